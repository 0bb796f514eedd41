//! Target `messages`: netlink framing over arbitrary bytes (a received datagram).
//!
//! `proto::messages` splits the buffer; `proto::Exchange::feed` follows a dump and a plain
//! request through it (with the sequence number of the first message, so the matching paths
//! run). Checked: each message's payload is its `nlmsg_len` minus the header; the iterator stops
//! after its first error; `feed` hands over only messages of its sequence number, and never
//! more than the splitter saw; a feed that ends (finished, interrupted, kernel error) saw the
//! `NLMSG_DONE`/`NLMSG_ERROR` the splitter reports for that sequence number.

use rtnl_core::proto::{self, Event, Exchange, NLMSG_HDRLEN, Status};

use crate::sink;

/// The fuzz target.
pub fn fuzz(data: &[u8]) {
    let mut events = 0usize;
    let mut errors = 0usize;
    let mut first_seq = None;
    for ev in proto::messages(data) {
        assert_eq!(errors, 0, "messages() went on after an error");
        events += 1;
        match ev {
            Ok(Event::Message(m)) => {
                assert_eq!(
                    m.payload.len() + NLMSG_HDRLEN,
                    m.header.len.get() as usize,
                    "payload length"
                );
                first_seq.get_or_insert(m.seq());
                let _ = rtnl_core::msg_type_name(m.msg_type());
                sink(&m);
            }
            Ok(Event::Error { error: k, .. }) => {
                first_seq.get_or_insert(k.request_seq);
                let _ = k.to_string();
                sink(&k);
            }
            Ok(Event::Done { seq, .. }) | Ok(Event::Ack { seq, .. }) => {
                first_seq.get_or_insert(seq);
            }
            Ok(ev) => {
                sink(&ev);
            }
            Err(e) => {
                errors += 1;
                let _ = e.to_string();
            }
        }
    }
    assert!(events <= data.len() / NLMSG_HDRLEN + 1);
    let seq = first_seq.unwrap_or(0);
    for dump in [true, false] {
        let mut ex = Exchange::new(seq, dump, 26);
        let mut fed = 0usize;
        let r = ex.feed(data, |m| {
            assert_eq!(m.seq(), seq, "feed handed over another sequence number");
            fed += 1;
            Ok(())
        });
        assert!(fed <= events, "feed saw more messages than the splitter");
        match r {
            Ok(Status::Pending) => {}
            // Finished or Interrupted (Status is non-exhaustive).
            Ok(_) => assert!(
                proto::messages(data).any(|e| matches!(
                    e,
                    Ok(Event::Done { seq: s, .. } | Event::Ack { seq: s, .. }) if s == seq
                )),
                "feed finished without a DONE or ACK for its sequence number"
            ),
            Err(e) => {
                let _ = e.to_string();
            }
        }
    }
}
