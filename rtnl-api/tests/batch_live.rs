//! Batches and dumps under failure, live (issue: reliability): a batch larger than the socket's
//! send buffer is split and every refusal named by index; a dump left by an error leaves the
//! socket usable. Each test owns a fresh namespace; without root each prints a skip.

use rtnl_api::{IPBatch, IPRoute, RouteFilter, kw};
use rtnl_core::Error;
use rtnl_core::testing::TestNetns;
use rtnl_core::testing::skip_unless_root;

fn setup() -> (TestNetns, IPRoute) {
    let ns = TestNetns::new().unwrap();
    let mut ipr = IPRoute::from_socket(ns.socket().unwrap());
    ipr.link("add", kw! { ifname: "v0", kind: "veth", peer: "v1" })
        .unwrap();
    ipr.link("set", kw! { ifname: "v0", state: "up" }).unwrap();
    ipr.addr("add", kw! { ifname: "v0", address: "10.0.0.1/24" })
        .unwrap();
    (ns, ipr)
}

#[test]
fn a_batch_over_the_send_buffer_is_split_and_its_failures_named_by_index() {
    if skip_unless_root("a_batch_over_the_send_buffer_is_split_and_its_failures_named_by_index") {
        return;
    }
    let (_ns, mut ipr) = setup();
    let mut b = IPBatch::new();
    let n = 3000u32;
    for i in 0..n {
        if i == 1500 {
            // Request 1500 repeats request 7: EEXIST, in the middle of the batch.
            b.route(
                "add",
                kw! { dst: "10.100.7.0/24", gateway: "10.0.0.2", table: 100 },
            )
            .unwrap();
        }
        let dst = format!("10.{}.{}.0/24", 100 + i / 256, i % 256);
        b.route("add", kw! { dst: dst, gateway: "10.0.0.2", table: 100 })
            .unwrap();
    }
    assert!(b.bytes().len() > 64 * 1024, "more than one send buffer");
    let err = b.send(&mut ipr).expect_err("one member fails");
    let Error::Batch(e) = &err else {
        panic!("{err}")
    };
    assert_eq!((e.requests, e.not_sent), (n as usize + 1, 0));
    assert_eq!(e.failures.len(), 1, "{err}");
    assert_eq!((e.failures[0].index, e.failures[0].error.errno), (1500, 17));
    assert!(
        err.to_string()
            .contains("#1500: RTM_NEWROUTE failed: EEXIST"),
        "{err}"
    );
    let routes = ipr
        .get_routes(RouteFilter::new().table(100))
        .unwrap()
        .count()
        .unwrap();
    assert_eq!(routes, n as usize, "every other member was applied");
}

#[test]
fn a_batch_can_stop_at_its_first_error() {
    if skip_unless_root("a_batch_can_stop_at_its_first_error") {
        return;
    }
    let (_ns, mut ipr) = setup();
    let mut b = IPBatch::new();
    b.route(
        "add",
        kw! { dst: "10.9.0.0/16", gateway: "10.0.0.2", table: 100 },
    )
    .unwrap();
    b.route(
        "add",
        kw! { dst: "10.9.0.0/16", gateway: "10.0.0.2", table: 100 },
    )
    .unwrap();
    let err = b.send_stop_at_first_error(&mut ipr).unwrap_err();
    let Error::Batch(e) = &err else {
        panic!("{err}")
    };
    assert_eq!((e.failures[0].index, e.not_sent), (1, 0), "{err}");
}

#[test]
fn a_dump_left_by_an_error_leaves_the_socket_usable() {
    if skip_unless_root("a_dump_left_by_an_error_leaves_the_socket_usable") {
        return;
    }
    let (_ns, mut ipr) = setup();
    let mut b = IPBatch::new();
    for i in 0..2000u32 {
        let dst = format!("10.{}.{}.0/24", 100 + i / 256, i % 256);
        b.route("add", kw! { dst: dst, gateway: "10.0.0.2", table: 100 })
            .unwrap();
    }
    b.send(&mut ipr).unwrap();
    for _ in 0..3 {
        let err = ipr
            .get_routes(RouteFilter::new().table(100))
            .unwrap()
            .for_each(|_| Err(Error::NoBufs))
            .unwrap_err();
        assert!(
            matches!(err, Error::NoBufs),
            "the callback's error comes back: {err}"
        );
        let n = ipr
            .get_routes(RouteFilter::new().table(100))
            .unwrap()
            .count()
            .unwrap();
        assert_eq!(n, 2000, "the next dump is whole (no EBUSY, no stale reply)");
    }
}

#[test]
fn errors_name_the_keyword_and_its_value() {
    if skip_unless_root("errors_name_the_keyword_and_its_value") {
        return;
    }
    let (_ns, mut ipr) = setup();
    let err = ipr
        .link("set", kw! { ifname: "v0", master: "nosuch" })
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("\"master\"") && err.contains("\"nosuch\""),
        "{err}"
    );
    let err = ipr
        .route("add", kw! { dst: "10.5.0.0/16", oif: "eth9" })
        .unwrap_err()
        .to_string();
    assert!(err.contains("\"oif\"") && err.contains("\"eth9\""), "{err}");
}
