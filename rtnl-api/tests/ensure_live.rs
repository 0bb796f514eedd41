//! Live tests of `ensure` and `poll`, each in a fresh namespace. pyroute2 0.9's own tests of
//! these use NDB contexts and `dummy` links (tests/test_linux/test_ipr/test_basic.py's
//! `test_ensure*` are not in 0.9.7's test_ipr); the facts its docstrings promise are tested
//! here: idempotent presence and absence, EEXIST falling back to `set`, and a poll that times
//! out.

use std::time::{Duration, Instant};

use rtnl_api::msg::OwnedMsg;
use rtnl_api::{IPRoute, LinkFilter, Object, RouteFilter, kw};
use rtnl_core::testing::{TestNetns, skip_unless_root};

const T: Duration = Duration::from_secs(5);

#[test]
fn ensure_link_addr_route_idempotent() {
    if skip_unless_root("ensure_link_addr_route_idempotent") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    let mut ipr = IPRoute::from_socket(ns.socket().unwrap());
    for _ in 0..2 {
        let l = ipr
            .ensure(
                Object::Link,
                true,
                kw! { ifname: "br0", kind: "bridge", state: "up" },
                T,
            )
            .unwrap();
        assert_eq!(l.len(), 1);
        assert!(matches!(&l[0], OwnedMsg::Link(m) if m.view().ifname().unwrap() == Some("br0")));
    }
    for _ in 0..2 {
        let a = ipr
            .ensure(
                Object::Addr,
                true,
                kw! { ifname: "br0", address: "10.0.0.1/24" },
                T,
            )
            .unwrap();
        assert_eq!(a.len(), 1);
    }
    for _ in 0..2 {
        ipr.ensure(
            Object::Route,
            true,
            kw! { dst: "10.5.0.0/16", gateway: "10.0.0.2", table: 100 },
            T,
        )
        .unwrap();
    }
    assert_eq!(
        ipr.get_routes(RouteFilter::new().table(100))
            .unwrap()
            .count()
            .unwrap(),
        1
    );
    for _ in 0..2 {
        let gone = ipr
            .ensure(
                Object::Route,
                false,
                kw! { dst: "10.5.0.0/16", table: 100 },
                T,
            )
            .unwrap();
        assert!(gone.is_empty());
    }
    for _ in 0..2 {
        let gone = ipr
            .ensure(Object::Link, false, kw! { ifname: "br0" }, T)
            .unwrap();
        assert!(gone.is_empty());
    }
    assert_eq!(
        ipr.get_links(LinkFilter::new().ifname("br0"))
            .unwrap()
            .count()
            .unwrap(),
        0
    );
}

#[test]
fn ensure_falls_back_to_set_on_eexist() {
    if skip_unless_root("ensure_falls_back_to_set_on_eexist") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    let mut ipr = IPRoute::from_socket(ns.socket().unwrap());
    ipr.link("add", kw! { ifname: "v0", kind: "veth", peer: "v1" })
        .unwrap();
    for n in ["v0", "v1"] {
        ipr.link("set", kw! { ifname: n, state: "up" }).unwrap();
    }
    ipr.route("add", kw! { dst: "10.5.0.0/16", oif: "v0" })
        .unwrap();
    let v1 = ipr.link_lookup("ifname", "v1").unwrap()[0];
    // Not found by its identity (dst, oif v1), so `add`; the kernel says EEXIST (same
    // destination and metric), so `set` replaces it.
    let r = ipr
        .ensure(Object::Route, true, kw! { dst: "10.5.0.0/16", oif: v1 }, T)
        .unwrap();
    assert_eq!(r.len(), 1);
    let routes = ipr
        .get_routes(RouteFilter::new().family(2).table(254))
        .unwrap()
        .collect()
        .unwrap();
    let to5: Vec<_> = routes
        .iter()
        .filter(|r| r.view().header().dst_len() == 16)
        .collect();
    assert_eq!(to5.len(), 1);
    assert_eq!(to5[0].view().oif().unwrap(), Some(v1));
}

#[test]
fn poll_times_out_and_finds() {
    if skip_unless_root("poll_times_out_and_finds") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    let mut ipr = IPRoute::from_socket(ns.socket().unwrap());
    let t0 = Instant::now();
    let e = ipr
        .poll(
            Object::Link,
            true,
            kw! { ifname: "nosuch" },
            Duration::from_millis(300),
            Duration::from_millis(50),
        )
        .unwrap_err();
    assert!(matches!(e, rtnl_api::Error::Timeout(_)), "{e}");
    assert!(t0.elapsed() >= Duration::from_millis(300));
    assert!(t0.elapsed() < Duration::from_secs(3));
    let lo = ipr
        .poll(
            Object::Link,
            true,
            kw! { ifname: "lo" },
            T,
            Duration::from_millis(50),
        )
        .unwrap();
    assert_eq!(lo.len(), 1);
    let none = ipr
        .poll(
            Object::Link,
            false,
            kw! { ifname: "nosuch" },
            T,
            Duration::from_millis(50),
        )
        .unwrap();
    assert!(none.is_empty());
}

#[test]
fn link_lookup_by_altname() {
    if skip_unless_root("link_lookup_by_altname") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    let mut ipr = IPRoute::from_socket(ns.socket().unwrap());
    ipr.link("add", kw! { ifname: "v0", kind: "veth", peer: "v1" })
        .unwrap();
    let st = std::process::Command::new("ip")
        .args([
            "-n",
            ns.name(),
            "link",
            "property",
            "add",
            "dev",
            "v0",
            "altname",
            "uplink-long-name",
        ])
        .status()
        .unwrap();
    assert!(st.success());
    let v0 = ipr.link_lookup("ifname", "v0").unwrap();
    assert_eq!(v0.len(), 1);
    assert_eq!(ipr.link_lookup("altname", "uplink-long-name").unwrap(), v0);
    assert!(ipr.link_lookup("altname", "nosuch").unwrap().is_empty());
    // The altname is nested in IFLA_PROP_LIST of the link's dump.
    let l = ipr
        .get_links(LinkFilter::new().index(v0[0]))
        .unwrap()
        .collect()
        .unwrap();
    let names: Vec<String> = l[0]
        .view()
        .prop_list()
        .unwrap()
        .unwrap()
        .alt_ifname()
        .map(|n| n.unwrap().to_string())
        .collect();
    assert_eq!(names, ["uplink-long-name"]);
}
