//! Namespaces at scale (issue: events, namespaces and async): many namespaces, each given a
//! veth pair, an address and a route, dumped and removed, leave no file descriptor open. Its
//! own test binary, so that no other test opens descriptors meanwhile. `cargo xtask bench`-size
//! runs (500 namespaces) are for BENCHMARKS.md; this one is small. Needs root.

use rtnl_api::{IPRoute, kw};
use rtnl_core::testing::TestNetns;
use rtnl_core::testing::skip_unless_root;

fn fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

#[test]
fn namespaces_at_scale_leave_no_descriptor_open() {
    if skip_unless_root("namespaces_at_scale_leave_no_descriptor_open") {
        return;
    }
    let before = fds();
    let start = std::time::Instant::now();
    let n = 50;
    for i in 0..n {
        let ns = TestNetns::new().unwrap();
        let mut ipr = IPRoute::options().netns(ns.name()).open().unwrap();
        ipr.link("add", kw! { ifname: "v0", kind: "veth", peer: "v1" })
            .unwrap();
        ipr.link("set", kw! { ifname: "v0", state: "up" }).unwrap();
        ipr.addr(
            "add",
            kw! { ifname: "v0", address: format!("10.{}.0.1/24", i % 250) },
        )
        .unwrap();
        ipr.route(
            "add",
            kw! { dst: "10.250.0.0/16", gateway: format!("10.{}.0.2", i % 250) },
        )
        .unwrap();
        assert_eq!(ipr.get_links(()).unwrap().count().unwrap(), 3);
    }
    println!(
        "netns scale: {n} namespaces with a veth, an address and a route, dumped and removed in {:?}",
        start.elapsed()
    );
    assert_eq!(fds(), before, "no descriptor left open");
}
