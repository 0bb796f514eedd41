//! Events, live: typed notifications with new/del told apart, and an overflow that is never
//! silent (issue: events). Each test owns a fresh namespace; without root each prints a skip.

use rtnl_core::testing::skip_unless_root;
use std::collections::HashSet;
use std::ops::ControlFlow;
use std::time::Duration;

use rtnl_api::events::{Change, Event, Msg};
use rtnl_api::{IPBatch, IPRoute, kw};
use rtnl_core::testing::TestNetns;

#[test]
fn link_events_tell_new_from_del() {
    if skip_unless_root("link_events_tell_new_from_del") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    let mut listener = IPRoute::from_socket(ns.socket().unwrap());
    listener.bind(&["link"]).unwrap();
    let mut ipr = IPRoute::from_socket(ns.socket().unwrap());
    ipr.link("add", kw! { ifname: "v0", kind: "veth", peer: "v1" })
        .unwrap();
    ipr.link("del", kw! { ifname: "v0" }).unwrap();
    let mut seen = Vec::new();
    listener
        .events()
        .idle_timeout(Duration::from_millis(300))
        .for_each(|ev| {
            if let Event::Message {
                change,
                msg: Msg::Link(l),
                ..
            } = ev
            {
                seen.push((change, l.ifname()?.unwrap_or("").to_string()));
            }
            Ok(ControlFlow::Continue(()))
        })
        .unwrap();
    assert!(seen.contains(&(Change::New, "v0".into())), "{seen:?}");
    assert!(seen.contains(&(Change::Del, "v0".into())), "{seen:?}");
    assert!(seen.contains(&(Change::Del, "v1".into())), "{seen:?}");
}

#[test]
fn an_overflow_is_reported_and_the_resync_covers_every_change() {
    if skip_unless_root("an_overflow_is_reported_and_the_resync_covers_every_change") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    let mut ipr = IPRoute::from_socket(ns.socket().unwrap());
    ipr.link("add", kw! { ifname: "v0", kind: "veth", peer: "v1" })
        .unwrap();
    ipr.link("set", kw! { ifname: "v0", state: "up" }).unwrap();
    ipr.addr("add", kw! { ifname: "v0", address: "10.0.0.1/24" })
        .unwrap();
    let mut listener = IPRoute::from_socket(ns.socket().unwrap());
    listener.socket().set_rcvbuf(64 * 1024).unwrap();
    listener.bind(&["ipv4_route"]).unwrap();
    // Far more notifications than a small receive queue holds, while nobody reads.
    let n = 5000u32;
    let mut b = IPBatch::new();
    let mut want = HashSet::new();
    for i in 0..n {
        let dst = format!("10.{}.{}.0", 100 + i / 256, i % 256);
        b.route(
            "add",
            kw! { dst: format!("{dst}/24"), gateway: "10.0.0.2", table: 100 },
        )
        .unwrap();
        want.insert(dst);
    }
    b.send(&mut ipr).unwrap();
    let (mut delivered, mut current, mut overruns, mut resynced) = (0, 0, 0, 0);
    let mut got = HashSet::new();
    listener
        .events()
        .resync(true)
        .idle_timeout(Duration::from_millis(500))
        .for_each(|ev| {
            match ev {
                Event::Message {
                    change,
                    msg: Msg::Route(r),
                    ..
                } => {
                    if let Some(d) = r.dst()? {
                        got.insert(d.to_string());
                    }
                    match change {
                        Change::Current => current += 1,
                        _ => delivered += 1,
                    }
                }
                Event::Overrun => overruns += 1,
                Event::Resynced => resynced += 1,
                _ => {}
            }
            Ok(ControlFlow::Continue(()))
        })
        .unwrap();
    println!(
        "events: {n} routes added; {delivered} delivered as events, {overruns} overrun(s), \
         {current} current routes from {resynced} resync(s)"
    );
    assert!(
        overruns >= 1,
        "the small queue must overflow, or this test proves nothing"
    );
    assert_eq!(resynced, overruns, "every overrun is followed by a resync");
    let missing: Vec<_> = want.difference(&got).collect();
    assert!(
        missing.is_empty(),
        "{} changes neither delivered nor resynced: {:?}",
        missing.len(),
        &missing[..missing.len().min(5)]
    );
}

#[test]
fn poll_reads_what_is_queued_without_waiting() {
    if skip_unless_root("poll_reads_what_is_queued_without_waiting") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    let mut listener = IPRoute::from_socket(ns.socket().unwrap());
    listener.bind(&["RTMGRP_LINK"]).unwrap();
    // Groups above 32 (no legacy bitmask bit) join through NETLINK_ADD_MEMBERSHIP too.
    listener.bind(&["RTNLGRP_TUNNEL", "stats"]).unwrap();
    assert_eq!(listener.groups(), [1, 35, 36]);
    assert_eq!(
        listener
            .events()
            .poll(|_| Ok(ControlFlow::Continue(())))
            .unwrap(),
        0
    );
    let mut ipr = IPRoute::from_socket(ns.socket().unwrap());
    ipr.link("add", kw! { ifname: "br0", kind: "bridge" })
        .unwrap();
    let n = listener
        .events()
        .poll(|_| Ok(ControlFlow::Continue(())))
        .unwrap();
    assert!(n >= 1, "the new bridge's notification was queued");
}

#[test]
fn nsid_events_are_typed() {
    if skip_unless_root("nsid_events_are_typed") {
        return;
    }
    let a = TestNetns::new().unwrap();
    let b = TestNetns::new().unwrap();
    let mut listener = IPRoute::from_socket(a.socket().unwrap());
    listener.bind(&["nsid"]).unwrap();
    let st = std::process::Command::new("ip")
        .args(["-n", a.name(), "netns", "set", b.name(), "9"])
        .status()
        .unwrap();
    assert!(st.success());
    let mut ids = Vec::new();
    listener
        .events()
        .idle_timeout(Duration::from_millis(300))
        .for_each(|ev| {
            if let Event::Message {
                change: Change::New,
                msg: Msg::Nsid(n),
                ..
            } = ev
            {
                ids.push(n.nsid()?);
            }
            Ok(ControlFlow::Continue(()))
        })
        .unwrap();
    assert_eq!(ids, [Some(9)]);
}
