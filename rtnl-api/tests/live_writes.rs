//! Live tests of the first writes: each in a fresh namespace, checked with rtnl's own dumps and
//! with `ip -j` (what rtnl writes must look to `ip` like what `ip` writes). Need root; otherwise
//! each prints `skip: <test>: needs root`.

use rtnl_core::testing::skip_unless_root;
use std::process::Command;

use rtnl_api::{AddrFilter, IPRoute, LinkFilter, RouteFilter, kw};
use rtnl_core::testing::TestNetns;
use serde_json::Value as J;

fn ip_json(ns: &str, args: &str) -> Vec<J> {
    let out = Command::new("ip")
        .args(["-j", "-n", ns])
        .args(args.split_whitespace())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "ip {args}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<J>(&out.stdout)
        .unwrap()
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn setup() -> (TestNetns, IPRoute) {
    let ns = TestNetns::new().unwrap();
    let ipr = IPRoute::from_socket(ns.socket().unwrap());
    (ns, ipr)
}

#[test]
fn link_add_set_del() {
    if skip_unless_root("link_add_set_del") {
        return;
    }
    let (ns, mut ipr) = setup();
    let n = ns.name();
    ipr.link("add", kw! { ifname: "br0", kind: "bridge" })
        .unwrap();
    ipr.link("add", kw! { ifname: "v0", kind: "veth", peer: "v1" })
        .unwrap();
    ipr.link(
        "set",
        kw! { ifname: "v0", mtu: 1400, address: "02:00:00:00:00:01" },
    )
    .unwrap();
    ipr.link("set", kw! { ifname: "v0", state: "up" }).unwrap();
    ipr.link("set", kw! { ifname: "v1", master: "br0" })
        .unwrap();
    ipr.link("set", kw! { ifname: "br0", ifname_new_is_not_a_keyword: 1 })
        .unwrap_err();

    let v0 = &ip_json(n, "-d link show dev v0")[0];
    assert_eq!(v0["mtu"], 1400);
    assert_eq!(v0["address"], "02:00:00:00:00:01");
    assert!(
        v0["flags"].as_array().unwrap().iter().any(|f| f == "UP"),
        "{v0}"
    );
    assert_eq!(v0["linkinfo"]["info_kind"], "veth");
    assert_eq!(ip_json(n, "link show dev v1")[0]["master"], "br0");
    assert_eq!(
        ip_json(n, "-d link show dev br0")[0]["linkinfo"]["info_kind"],
        "bridge"
    );

    // rtnl's dumps see the same: by name (kernel get), by kind and master (kernel filters).
    let idx = ipr.link_lookup("ifname", "v0").unwrap();
    assert_eq!(idx.len(), 1);
    assert_eq!(
        ipr.link_lookup("address", "02:00:00:00:00:01").unwrap(),
        idx
    );
    assert_eq!(
        ipr.link_lookup("ifname", "nope").unwrap(),
        Vec::<u32>::new()
    );
    let br = ipr.link_lookup("ifname", "br0").unwrap()[0];
    let ports = ipr
        .get_links(LinkFilter::new().master(br))
        .unwrap()
        .collect()
        .unwrap();
    assert_eq!(ports.len(), 1);
    assert_eq!(ports[0].view().ifname().unwrap(), Some("v1"));
    assert_eq!(
        ipr.get_links(LinkFilter::new().kind("veth"))
            .unwrap()
            .count()
            .unwrap(),
        2
    );

    // Rename, down, nomaster, delete.
    ipr.link("set", kw! { index: idx[0], ifname: "v0new" })
        .unwrap();
    ipr.link("set", kw! { ifname: "v0new", state: "down" })
        .unwrap();
    ipr.link("set", kw! { ifname: "v1", master: 0 }).unwrap();
    assert!(ip_json(n, "link show dev v1")[0].get("master").is_none());
    ipr.link("del", kw! { ifname: "v0new" }).unwrap();
    assert!(
        ip_json(n, "link show")
            .iter()
            .all(|l| l["ifname"] != "v0new" && l["ifname"] != "v1")
    );
    let err = ipr.link("del", kw! { ifname: "v0new" }).unwrap_err();
    assert_eq!(err.errno(), Some(19), "{err}");
    assert!(
        err.to_string().contains("ENODEV") && err.to_string().contains("RTM_DELLINK"),
        "{err}"
    );
}

#[test]
fn addr_add_del_v4_v6() {
    if skip_unless_root("addr_add_del_v4_v6") {
        return;
    }
    let (ns, mut ipr) = setup();
    let n = ns.name();
    ipr.link("add", kw! { ifname: "v0", kind: "veth", peer: "v1" })
        .unwrap();
    ipr.addr("add", kw! { ifname: "v0", address: "10.0.0.2/24" })
        .unwrap();
    ipr.addr(
        "add",
        kw! { ifname: "v0", address: "2001:db8::2", prefixlen: 64 },
    )
    .unwrap();
    let info = ip_json(n, "addr show dev v0")[0]["addr_info"]
        .as_array()
        .cloned()
        .unwrap();
    assert!(
        info.iter()
            .any(|a| a["local"] == "10.0.0.2" && a["prefixlen"] == 24 && a["family"] == "inet"),
        "{info:?}"
    );
    assert!(
        info.iter()
            .any(|a| a["local"] == "2001:db8::2" && a["prefixlen"] == 64),
        "{info:?}"
    );
    let idx = ipr.link_lookup("ifname", "v0").unwrap()[0];
    let mine = ipr
        .get_addr(AddrFilter::new().family(2).index(idx))
        .unwrap()
        .collect()
        .unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(
        mine[0].view().local().unwrap(),
        Some("10.0.0.2".parse().unwrap())
    );
    let e = ipr
        .addr("add", kw! { ifname: "v0", address: "10.0.0.2/24" })
        .unwrap_err();
    assert_eq!(e.errno(), Some(17), "{e}");
    ipr.addr("del", kw! { ifname: "v0", address: "10.0.0.2/24" })
        .unwrap();
    ipr.addr("del", kw! { ifname: "v0", address: "2001:db8::2/64" })
        .unwrap();
    let info = ip_json(n, "addr show dev v0")[0]["addr_info"]
        .as_array()
        .cloned()
        .unwrap();
    assert!(
        info.iter()
            .all(|a| a["local"] != "10.0.0.2" && a["local"] != "2001:db8::2"),
        "{info:?}"
    );
}

#[test]
fn route_add_del_tables_priority_and_errors() {
    if skip_unless_root("route_add_del_tables_priority_and_errors") {
        return;
    }
    let (ns, mut ipr) = setup();
    let n = ns.name();
    ipr.link("add", kw! { ifname: "v0", kind: "veth", peer: "v1" })
        .unwrap();
    ipr.link("set", kw! { ifname: "v0", state: "up" }).unwrap();
    ipr.link("set", kw! { ifname: "v1", state: "up" }).unwrap();
    ipr.addr("add", kw! { ifname: "v0", address: "10.0.0.1/24" })
        .unwrap();
    ipr.route("add", kw! { dst: "10.1.0.0/24", gateway: "10.0.0.2" })
        .unwrap();
    ipr.route("add", kw! { dst: "10.2.0.0/24", oif: "v0" })
        .unwrap();
    // A route via a dev-only route's network: works because rtnl gives dev routes scope link.
    ipr.route("add", kw! { dst: "10.9.0.0/24", gateway: "10.2.0.1" })
        .unwrap();
    ipr.route(
        "add",
        kw! { dst: "10.3.0.0/24", gateway: "10.0.0.2", table: 100, priority: 7 },
    )
    .unwrap();
    ipr.route(
        "add",
        kw! { dst: "10.4.0.0/24", gateway: "10.0.0.2", table: 10000 },
    )
    .unwrap();
    let main = ip_json(n, "route show");
    assert!(
        main.iter().any(|r| r["dst"] == "10.1.0.0/24"
            && r["gateway"] == "10.0.0.2"
            && r["protocol"] == "static"),
        "{main:?}"
    );
    assert!(
        main.iter()
            .any(|r| r["dst"] == "10.2.0.0/24" && r["dev"] == "v0" && r["scope"] == "link"),
        "{main:?}"
    );
    let t100 = ip_json(n, "route show table 100");
    assert_eq!(t100.len(), 1);
    assert_eq!(t100[0]["metric"], 7);
    assert_eq!(ip_json(n, "route show table 10000").len(), 1);

    // Kernel-side table filter, u32 tables.
    let mut seen = Vec::new();
    ipr.get_routes(RouteFilter::new().family(2).table(10000))
        .unwrap()
        .for_each(|r| {
            seen.push((r.dst()?.unwrap().to_string(), r.table()?.unwrap()));
            Ok(())
        })
        .unwrap();
    assert_eq!(seen, [("10.4.0.0".to_string(), 10000)]);
    let defaults = ipr.get_default_routes(2, None).unwrap().count().unwrap();
    assert_eq!(defaults, 0);

    // EEXIST, with the request named.
    let e = ipr
        .route("add", kw! { dst: "10.1.0.0/24", gateway: "10.0.0.2" })
        .unwrap_err();
    assert_eq!(e.errno(), Some(17));
    let text = e.to_string();
    assert!(
        text.contains("EEXIST") && text.contains("RTM_NEWROUTE"),
        "{text}"
    );
    // An unreachable gateway: the kernel's extended ack text comes through.
    let e = ipr
        .route("add", kw! { dst: "10.5.0.0/24", gateway: "192.0.2.77" })
        .unwrap_err();
    let rtnl_core::Error::Kernel(k) = &e else {
        panic!("{e}")
    };
    assert!(k.ext_ack.is_some(), "no extended ack in {e}");

    // Delete (any scope, as iproute2 does), including the table-10000 one.
    ipr.route("del", kw! { dst: "10.2.0.0/24", oif: "v0" })
        .unwrap();
    ipr.route("del", kw! { dst: "10.4.0.0/24", table: 10000 })
        .unwrap();
    assert!(ip_json(n, "route show table 10000").is_empty());
    assert!(
        ip_json(n, "route show")
            .iter()
            .all(|r| r["dst"] != "10.2.0.0/24")
    );
}
