//! Feature `tracing`: a dump and a request show up as events, read by a tiny subscriber written
//! here (no subscriber crate needed). Reads only, in the calling namespace: no root needed.
//! `cargo test -p rtnl-core --features tracing --test tracing_events` (CI runs it).

#![cfg(feature = "tracing")]

use std::sync::{Arc, Mutex};

use rtnl_core::socket::{DumpEvent, Socket};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Keeps `LEVEL message field=value ...` of every event.
#[derive(Clone, Default)]
struct Keep(Arc<Mutex<Vec<String>>>);

struct Line<'a>(&'a mut String);

impl Visit for Line<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        match field.name() {
            "message" => self.0.push_str(&format!(" {value:?}")),
            name => self.0.push_str(&format!(" {name}={value:?}")),
        }
    }
}

impl Subscriber for Keep {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut line = event.metadata().level().to_string();
        event.record(&mut Line(&mut line));
        self.0.lock().unwrap().push(line);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

const RTM_GETLINK: u16 = 18;

#[test]
fn requests_answers_and_dumps_are_traced() {
    let keep = Keep::default();
    tracing::subscriber::with_default(keep.clone(), || {
        let mut s = Socket::new().unwrap();
        let mut links = 0;
        s.dump(
            RTM_GETLINK,
            |b| {
                b.extend_from_slice(&[0u8; 16]);
                Ok(())
            },
            |ev| {
                if let DumpEvent::Message(_) = ev {
                    links += 1;
                }
                Ok(())
            },
        )
        .unwrap();
        assert!(links > 0);
        // A get of link 1 (lo) with an ACK: one request, one answer.
        let mut ifi = [0u8; 16];
        ifi[4..8].copy_from_slice(&1i32.to_ne_bytes());
        s.request(RTM_GETLINK, 0, |b| {
            b.extend_from_slice(&ifi);
            Ok(())
        })
        .unwrap();
    });
    let lines = keep.0.lock().unwrap().join("\n");
    for want in [
        "DEBUG dump dump=\"RTM_GETLINK\" seq=",
        "TRACE datagram received bytes=",
        "DEBUG request request=\"RTM_GETLINK\" seq=",
        "DEBUG answered seq=",
    ] {
        assert!(lines.contains(want), "{want:?} missing from:\n{lines}");
    }
}
