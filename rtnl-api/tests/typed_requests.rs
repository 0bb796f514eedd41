//! The typed request form and the keyword form compile to the same bytes, command by command
//! (`IPBatch`, no root needed); and the typed form drives a real kernel (in a fresh namespace).

use std::net::IpAddr;

use rtnl_api::generated::{AddressFamily, FrAct, IffFlags, MacvlanMode, RtProto, RtScope, RtType};
use rtnl_api::typed::{
    Addr, BridgeOptions, Link, MacvlanOptions, Metrics, Nexthop, Route, Rule, VxlanOptions,
};
use rtnl_api::{Args, IPBatch, IPRoute, Value, kw};

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// Bytes of one typed request and of one keyword request.
fn same(what: &str, typed: impl FnOnce(&mut IPBatch), keyword: impl FnOnce(&mut IPBatch)) {
    let (mut t, mut k) = (IPBatch::new(), IPBatch::new());
    typed(&mut t);
    keyword(&mut k);
    assert!(!k.bytes().is_empty(), "{what}");
    assert_eq!(
        t.bytes(),
        k.bytes(),
        "{what}: typed and keyword bytes differ"
    );
}

#[test]
fn link_commands() {
    same(
        "link add veth",
        |b| b.link_add(Link::veth("v0").peer("v1").mtu(1400)).unwrap(),
        |b| {
            b.link(
                "add",
                kw! { ifname: "v0", kind: "veth", peer: "v1", mtu: 1400 },
            )
            .unwrap()
        },
    );
    same(
        "link add bridge",
        |b| b.link_add(Link::bridge("br0").txqlen(100).up()).unwrap(),
        |b| {
            b.link(
                "add",
                kw! { ifname: "br0", kind: "bridge", txqlen: 100, state: "up" },
            )
            .unwrap()
        },
    );
    same(
        "link set",
        |b| {
            b.link_set(
                Link::new()
                    .index(5)
                    .master(2)
                    .up()
                    .address(&[2, 0, 0, 0, 0, 10])
                    .ifalias("uplink"),
            )
            .unwrap()
        },
        |b| {
            b.link(
                "set",
                kw! { index: 5, master: 2, state: "up", address: "02:00:00:00:00:0a", ifalias: "uplink" },
            )
            .unwrap()
        },
    );
    same(
        "link set flags",
        |b| {
            b.link_set(
                Link::new()
                    .index(5)
                    .flags(IffFlags::UP)
                    .change(IffFlags::UP)
                    .down(),
            )
            .unwrap()
        },
        |b| {
            b.link("set", kw! { index: 5, flags: 1, change: 1, state: "down" })
                .unwrap()
        },
    );
    same(
        "link del",
        |b| b.link_del(Link::new().index(7)).unwrap(),
        |b| b.link("del", kw! { index: 7 }).unwrap(),
    );
    same(
        "link add family",
        |b| {
            b.link_add(Link::named("x").family(AddressFamily::Bridge).group(3))
                .unwrap()
        },
        |b| {
            b.link("add", kw! { ifname: "x", family: 7, group: 3 })
                .unwrap()
        },
    );
}

#[test]
fn link_kind_options() {
    same(
        "link add vxlan",
        |b| {
            b.link_add(
                Link::named("vx0")
                    .options(VxlanOptions::new().id(42).port(4789).learning(0))
                    .mtu(1450),
            )
            .unwrap()
        },
        |b| {
            b.link(
                "add",
                kw! { ifname: "vx0", kind: "vxlan", vxlan_id: 42, vxlan_port: 4789, vxlan_learning: 0, mtu: 1450 },
            )
            .unwrap()
        },
    );
    same(
        "link add bridge options",
        |b| {
            b.link_add(Link::named("br0").options(BridgeOptions::new().stp_state(1).priority(100)))
                .unwrap()
        },
        |b| {
            b.link(
                "add",
                kw! { ifname: "br0", kind: "bridge", br_stp_state: 1, br_priority: 100 },
            )
            .unwrap()
        },
    );
    same(
        "link add macvlan",
        |b| {
            b.link_add(
                Link::named("mv0")
                    .link(2)
                    .options(MacvlanOptions::new().mode(MacvlanMode::Bridge)),
            )
            .unwrap()
        },
        |b| {
            b.link(
                "add",
                kw! { ifname: "mv0", link: 2, kind: "macvlan", macvlan_mode: "bridge" },
            )
            .unwrap()
        },
    );
}

#[test]
fn addr_commands() {
    same(
        "addr add v4",
        |b| {
            b.addr_add(
                Addr::on(3)
                    .address(ip("10.0.0.1"))
                    .prefixlen(24)
                    .broadcast("10.0.0.255".parse().unwrap())
                    .label("v0:1"),
            )
            .unwrap()
        },
        |b| {
            b.addr(
                "add",
                kw! { index: 3, address: "10.0.0.1/24", broadcast: "10.0.0.255", label: "v0:1" },
            )
            .unwrap()
        },
    );
    same(
        "addr add v6",
        |b| {
            b.addr_add(
                Addr::on(3)
                    .address(ip("2001:db8::1"))
                    .prefixlen(64)
                    .scope(RtScope::Link),
            )
            .unwrap()
        },
        |b| {
            b.addr(
                "add",
                kw! { index: 3, address: "2001:db8::1/64", scope: "link" },
            )
            .unwrap()
        },
    );
    same(
        "addr del",
        |b| {
            b.addr_del(Addr::on(3).address(ip("10.0.0.1")).prefixlen(24))
                .unwrap()
        },
        |b| {
            b.addr("del", kw! { index: 3, address: "10.0.0.1/24" })
                .unwrap()
        },
    );
}

#[test]
fn route_commands() {
    same(
        "route add",
        |b| {
            b.route_add(
                Route::to(ip("10.1.0.0"), 24)
                    .gateway(ip("10.0.0.1"))
                    .table(100)
                    .priority(20),
            )
            .unwrap()
        },
        |b| {
            b.route(
                "add",
                kw! { dst: "10.1.0.0/24", gateway: "10.0.0.1", table: 100, priority: 20 },
            )
            .unwrap()
        },
    );
    same(
        "route add header",
        |b| {
            b.route_add(
                Route::to(ip("192.0.2.0"), 24)
                    .route_type(RtType::Unreachable)
                    .proto(RtProto::Boot)
                    .scope(RtScope::Universe)
                    .tos(4),
            )
            .unwrap()
        },
        |b| {
            b.route(
                "add",
                kw! { dst: "192.0.2.0/24", proto: "boot", scope: 0, tos: 4 }
                    .with("type", "unreachable"),
            )
            .unwrap()
        },
    );
    same(
        "route replace v6",
        |b| {
            b.route_replace(
                Route::to(ip("2001:db8:1::"), 48)
                    .oif(2)
                    .prefsrc(ip("2001:db8::1")),
            )
            .unwrap()
        },
        |b| {
            b.route(
                "replace",
                kw! { dst: "2001:db8:1::/48", oif: 2, prefsrc: "2001:db8::1" },
            )
            .unwrap()
        },
    );
    same(
        "route add metrics",
        |b| {
            b.route_add(
                Route::to(ip("10.3.0.0"), 16)
                    .gateway(ip("10.0.0.1"))
                    .metrics(Metrics::new().mtu(1400).hoplimit(9)),
            )
            .unwrap()
        },
        |b| {
            b.route("add", kw! { dst: "10.3.0.0/16", gateway: "10.0.0.1", metrics: kw! { mtu: 1400, hoplimit: 9 } })
                .unwrap()
        },
    );
    same(
        "route add multipath",
        |b| {
            b.route_add(Route::to(ip("10.4.0.0"), 16).multipath([
                Nexthop::via(ip("10.0.0.1")).oif(2),
                Nexthop::via(ip("10.0.0.2")).oif(3).hops(1),
            ]))
            .unwrap()
        },
        |b| {
            b.route(
                "add",
                kw! { dst: "10.4.0.0/16", multipath: vec![
                    Value::from(kw! { gateway: "10.0.0.1", oif: 2 }),
                    Value::from(kw! { gateway: "10.0.0.2", oif: 3, hops: 1 }),
                ] },
            )
            .unwrap()
        },
    );
    same(
        "route del",
        |b| {
            b.route_del(Route::to(ip("10.1.0.0"), 24).table(100))
                .unwrap()
        },
        |b| {
            b.route("del", kw! { dst: "10.1.0.0/24", table: 100 })
                .unwrap()
        },
    );
    same(
        "route add default",
        |b| {
            b.route_add(
                Route::new()
                    .gateway(ip("10.0.0.254"))
                    .family(AddressFamily::Inet),
            )
            .unwrap()
        },
        |b| {
            b.route("add", kw! { gateway: "10.0.0.254", family: 2 })
                .unwrap()
        },
    );
}

#[test]
fn rule_commands() {
    same(
        "rule add",
        |b| {
            b.rule_add(
                Rule::new()
                    .src_prefix(ip("10.7.0.0"), 24)
                    .table(100)
                    .priority(1000),
            )
            .unwrap()
        },
        |b| {
            b.rule(
                "add",
                kw! { src: "10.7.0.0/24", table: 100, priority: 1000 },
            )
            .unwrap()
        },
    );
    same(
        "rule add fwmark",
        |b| {
            b.rule_add(
                Rule::new()
                    .fwmark(0x10)
                    .fwmask(0xff)
                    .table(100)
                    .priority(1001)
                    .iifname("v0"),
            )
            .unwrap()
        },
        |b| {
            b.rule(
                "add",
                kw! { fwmark: 0x10, fwmask: 0xff, table: 100, priority: 1001, iifname: "v0" },
            )
            .unwrap()
        },
    );
    same(
        "rule add blackhole",
        |b| {
            b.rule_add(
                Rule::new()
                    .dst_prefix(ip("2001:db8::"), 32)
                    .action(FrAct::Blackhole)
                    .tos(8),
            )
            .unwrap()
        },
        |b| {
            b.rule(
                "add",
                kw! { dst: "2001:db8::/32", action: "blackhole", tos: 8 },
            )
            .unwrap()
        },
    );
    same(
        "rule del",
        |b| b.rule_del(Rule::new().priority(1000)).unwrap(),
        |b| b.rule("del", kw! { priority: 1000 }).unwrap(),
    );
}

#[test]
fn typed_is_its_keyword_form() {
    let a: Args = Link::veth("v0").peer("v1").mtu(1400).mtu(1500).into();
    // A second value replaces the first in place.
    assert_eq!(a, kw! { ifname: "v0", kind: "veth", peer: "v1", mtu: 1500 });
    // A kind and a kind with options replace each other: one IFLA_LINKINFO, never two.
    let a: Args = Link::named("x")
        .options(VxlanOptions::new().id(1))
        .kind("bridge")
        .into();
    assert_eq!(a, kw! { ifname: "x", kind: "bridge" });
    let a: Args = Link::bridge("x").options(VxlanOptions::new().id(1)).into();
    assert_eq!(a.keys().collect::<Vec<_>>(), ["ifname", "linkinfo"]);
}

#[test]
fn typed_requests_live() {
    if !rtnl_core::netns::is_root() {
        eprintln!("skip: typed_requests_live: needs root");
        return;
    }
    let ns = rtnl_core::testing::TestNetns::new().unwrap();
    let mut ipr = IPRoute::in_netns(ns.name()).unwrap();
    ipr.link_add(Link::veth("v0").peer("v1").mtu(1400)).unwrap();
    ipr.link_add(
        Link::named("vx0")
            .options(VxlanOptions::new().id(42).port(4789))
            .mtu(1450),
    )
    .unwrap();
    let v0 = ipr.link_lookup("ifname", "v0").unwrap()[0];
    ipr.link_set(Link::new().index(v0).up()).unwrap();
    ipr.addr_add(Addr::on(v0).address(ip("10.5.0.1")).prefixlen(24))
        .unwrap();
    ipr.route_add(
        Route::to(ip("10.6.0.0"), 16)
            .gateway(ip("10.5.0.254"))
            .table(100),
    )
    .unwrap();
    ipr.rule_add(
        Rule::new()
            .src_prefix(ip("10.5.0.0"), 24)
            .table(100)
            .priority(1000),
    )
    .unwrap();
    let ip_j = |args: &str| -> serde_json::Value {
        let out = std::process::Command::new("ip")
            .args(["-n", ns.name(), "-j"])
            .args(args.split_whitespace())
            .output()
            .unwrap();
        assert!(out.status.success(), "ip {args}: {out:?}");
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let vx = &ip_j("-d link show vx0")[0];
    assert_eq!(vx["mtu"], 1450, "{vx}");
    assert_eq!(vx["linkinfo"]["info_kind"], "vxlan", "{vx}");
    assert_eq!(vx["linkinfo"]["info_data"]["id"], 42, "{vx}");
    assert_eq!(vx["linkinfo"]["info_data"]["port"], 4789, "{vx}");
    let link = &ip_j("link show v0")[0];
    assert_eq!(link["mtu"], 1400, "{link}");
    assert!(
        link["flags"].as_array().unwrap().contains(&"UP".into()),
        "{link}"
    );
    let addr = &ip_j("addr show v0")[0]["addr_info"];
    assert!(
        addr.as_array()
            .unwrap()
            .iter()
            .any(|a| a["local"] == "10.5.0.1" && a["prefixlen"] == 24),
        "{addr}"
    );
    let routes = ip_j("route show table 100");
    assert_eq!(routes[0]["dst"], "10.6.0.0/16", "{routes}");
    let rules = ip_j("rule show");
    assert!(
        rules
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["priority"] == 1000 && r["table"] == "100"),
        "{rules}"
    );
    ipr.route_del(Route::to(ip("10.6.0.0"), 16).table(100))
        .unwrap();
    ipr.rule_del(Rule::new().priority(1000)).unwrap();
    ipr.addr_del(Addr::on(v0).address(ip("10.5.0.1")).prefixlen(24))
        .unwrap();
    ipr.link_del(Link::new().index(v0)).unwrap();
    assert_eq!(ip_j("route show table 100"), serde_json::json!([]));
    assert!(ipr.link_lookup("ifname", "v0").unwrap().is_empty());
}
