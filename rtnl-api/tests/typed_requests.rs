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

// The commands beyond link/addr/route/rule.

use rtnl_api::generated::{
    BrState, BridgeFlags, BridgeVlanInfoFlags, MdbRtrType, NtfExtFlags, NtfFlags, NudState,
    RtmFlags,
};
use rtnl_api::typed::{
    Brport, Fdb, Neigh, Nsid, RouteGet, Stats, VlanFilter, VlanInfo, VlanTunnel, Vlandb,
};

/// Two requests of a typed command equal their keyword forms, and each is its own (two
/// commands that produce the same bytes would not show the command word is honoured).
fn differ(a: impl FnOnce(&mut IPBatch), b: impl FnOnce(&mut IPBatch)) {
    let (mut x, mut y) = (IPBatch::new(), IPBatch::new());
    a(&mut x);
    b(&mut y);
    assert_ne!(x.bytes(), y.bytes());
}

#[test]
fn neigh_commands() {
    let mac = [2u8, 0, 0, 0, 0, 9];
    let typed = || {
        Neigh::on(5)
            .dst(ip("10.0.0.9"))
            .lladdr(&mac)
            .state(NudState::REACHABLE)
            .flags(NtfFlags::ROUTER)
    };
    let keyword = || {
        kw! { ifindex: 5, dst: "10.0.0.9", lladdr: "02:00:00:00:00:09", state: "reachable", flags: "router" }
    };
    same(
        "neigh add",
        |b| b.neigh_add(typed()).unwrap(),
        |b| b.neigh("add", keyword()).unwrap(),
    );
    same(
        "neigh set",
        |b| b.neigh_set(typed()).unwrap(),
        |b| b.neigh("set", keyword()).unwrap(),
    );
    same(
        "neigh replace",
        |b| b.neigh_replace(typed()).unwrap(),
        |b| b.neigh("replace", keyword()).unwrap(),
    );
    same(
        "neigh change",
        |b| b.neigh_change(typed()).unwrap(),
        |b| b.neigh("change", keyword()).unwrap(),
    );
    same(
        "neigh append",
        |b| b.neigh_append(typed()).unwrap(),
        |b| b.neigh("append", keyword()).unwrap(),
    );
    differ(
        |b| b.neigh_add(typed()).unwrap(),
        |b| b.neigh_append(typed()).unwrap(),
    );
    // pyroute2's default state (permanent) and the family of an IPv6 dst.
    same(
        "neigh add v6, defaults",
        |b| {
            b.neigh_add(
                Neigh::on(5)
                    .dst(ip("2001:db8::9"))
                    .lladdr(&mac)
                    .protocol(RtProto::Static)
                    .flags_ext(NtfExtFlags::MANAGED),
            )
            .unwrap()
        },
        |b| {
            b.neigh(
                "add",
                kw! { ifindex: 5, dst: "2001:db8::9", lladdr: "02:00:00:00:00:09", protocol: 4, flags_ext: 1 },
            )
            .unwrap()
        },
    );
    same(
        "neigh proxy",
        |b| {
            b.neigh_add(
                Neigh::on(5)
                    .dst(ip("10.0.0.10"))
                    .flags(NtfFlags::PROXY)
                    .ndm_type(RtType::Unicast)
                    .family(AddressFamily::Inet),
            )
            .unwrap()
        },
        |b| {
            b.neigh(
                "add",
                kw! { ifindex: 5, dst: "10.0.0.10", flags: 8, ndm_type: 1, family: 2 },
            )
            .unwrap()
        },
    );
    same(
        "neigh del",
        |b| b.neigh_del(Neigh::on(5).dst(ip("10.0.0.9"))).unwrap(),
        |b| b.neigh("del", kw! { ifindex: 5, dst: "10.0.0.9" }).unwrap(),
    );
    same(
        "neigh get",
        |b| b.neigh_get(Neigh::on(5).dst(ip("10.0.0.9"))).unwrap(),
        |b| b.neigh("get", kw! { ifindex: 5, dst: "10.0.0.9" }).unwrap(),
    );
}

#[test]
fn fdb_commands() {
    let mac = [2u8, 0, 0, 0, 0, 9];
    same(
        "fdb add",
        |b| {
            b.fdb_add(Fdb::on(5).lladdr(&mac).vlan(200).master(3))
                .unwrap()
        },
        |b| {
            b.fdb(
                "add",
                kw! { ifindex: 5, lladdr: "02:00:00:00:00:09", vlan: 200, master: 3 },
            )
            .unwrap()
        },
    );
    // A VXLAN entry: remote, port, vni; NTF_MASTER instead of the NTF_SELF default.
    same(
        "fdb append vxlan",
        |b| {
            b.fdb_append(
                Fdb::on(6)
                    .lladdr(&[0; 6])
                    .dst(ip("192.0.2.1"))
                    .port(4789)
                    .vni(42)
                    .flags(NtfFlags::MASTER)
                    .state(NudState::REACHABLE),
            )
            .unwrap()
        },
        |b| {
            b.fdb(
                "append",
                kw! { ifindex: 6, lladdr: "00:00:00:00:00:00", dst: "192.0.2.1", port: 4789, vni: 42, flags: "master", state: "reachable" },
            )
            .unwrap()
        },
    );
    same(
        "fdb del",
        |b| b.fdb_del(Fdb::on(5).lladdr(&mac).vlan(200)).unwrap(),
        |b| {
            b.fdb(
                "del",
                kw! { ifindex: 5, lladdr: "02:00:00:00:00:09", vlan: 200 },
            )
            .unwrap()
        },
    );
    differ(
        |b| b.fdb_add(Fdb::on(5).lladdr(&mac)).unwrap(),
        |b| b.neigh_add(Neigh::on(5).lladdr(&mac)).unwrap(),
    );
}

#[test]
fn bridge_commands() {
    // IFLA_BRPORT_FLUSH is a flag: an empty attribute, last in the nests.
    let mut b = IPBatch::new();
    b.brport_set(Brport::on(5).flush()).unwrap();
    assert!(b.bytes().ends_with(&[4, 0, 24, 0]), "{:?}", b.bytes());
    same(
        "brport set",
        |b| {
            b.brport_set(
                Brport::on(5)
                    .cost(200)
                    .priority(7)
                    .state(BrState::Blocking)
                    .learning(0)
                    .multicast_router(MdbRtrType::Perm)
                    .flush(),
            )
            .unwrap()
        },
        |b| {
            b.brport(
                "set",
                kw! { index: 5, cost: 200, priority: 7, state: 4, learning: false, multicast_router: 2, flush: true },
            )
            .unwrap()
        },
    );
    same(
        "vlan_filter add",
        |b| {
            b.vlan_filter_add(
                VlanFilter::on(5)
                    .vlan(VlanInfo::vid(200).pvid())
                    .vlan(VlanInfo::range(300, 399))
                    .vlan(
                        VlanInfo::vid(10)
                            .untagged()
                            .flags(BridgeVlanInfoFlags::MASTER),
                    )
                    .tunnel(VlanTunnel::map(200, 1200))
                    .tunnel(VlanTunnel::range((300, 309), (1300, 1309))),
            )
            .unwrap()
        },
        |b| {
            b.vlan_filter(
                "add",
                kw! {
                    index: 5,
                    vlan_info: vec![
                        Value::from(kw! { vid: 200, pvid: true }),
                        Value::from(kw! { vid: "300-399" }),
                        Value::from(kw! { vid: 10, untagged: true, flags: "master" }),
                    ],
                    vlan_tunnel_info: vec![
                        Value::from(kw! { vid: 200, id: 1200 }),
                        Value::from(kw! { vid: "300-309", id: "1300-1309" }),
                    ],
                },
            )
            .unwrap()
        },
    );
    same(
        "vlan_filter del self",
        |b| {
            b.vlan_filter_del(
                VlanFilter::on(3)
                    .vlan_flags(BridgeFlags::SELF)
                    .vlan(VlanInfo::vid(200)),
            )
            .unwrap()
        },
        |b| {
            b.vlan_filter(
                "del",
                kw! { index: 3, vlan_flags: "self", vlan_info: kw! { vid: 200 } },
            )
            .unwrap()
        },
    );
    differ(
        |b| {
            b.vlan_filter_add(VlanFilter::on(5).vlan(VlanInfo::vid(2)))
                .unwrap()
        },
        |b| {
            b.vlan_filter_del(VlanFilter::on(5).vlan(VlanInfo::vid(2)))
                .unwrap()
        },
    );
    same(
        "vlandb set",
        |b| {
            b.vlandb_set(
                Vlandb::on(5, 200)
                    .mcast_router(MdbRtrType::Perm)
                    .state(BrState::Forwarding)
                    .mcast_max_groups(10),
            )
            .unwrap()
        },
        |b| {
            b.vlandb(
                "set",
                kw! { index: 5, vid: 200, mcast_router: 2, state: 3, mcast_max_groups: 10 },
            )
            .unwrap()
        },
    );
    same(
        "vlandb set range",
        |b| {
            b.vlandb_set(Vlandb::new().index(5).vid_range(100, 199).neigh_suppress(1))
                .unwrap()
        },
        |b| {
            b.vlandb("set", kw! { index: 5, vid: "100-199", neigh_suppress: 1 })
                .unwrap()
        },
    );
}

#[test]
fn stats_nsid_route_get_commands() {
    same(
        "stats get",
        |b| b.stats_get(Stats::of(5).filter_mask(1)).unwrap(),
        |b| b.stats("get", kw! { ifindex: 5, filter_mask: 1 }).unwrap(),
    );
    same(
        "stats get defaults",
        |b| {
            b.stats_get(Stats::of(1).family(AddressFamily::Unspec))
                .unwrap()
        },
        |b| b.stats("get", kw! { index: 1, family: 0 }).unwrap(),
    );
    same(
        "nsid get",
        |b| b.nsid_get(Nsid::new().pid(1).target_nsid(3)).unwrap(),
        |b| b.nsid("get", kw! { pid: 1, target_nsid: 3 }).unwrap(),
    );
    // `set` puts NETNSA_NSID first, -1 (the kernel picks) without one.
    same(
        "nsid set",
        |b| b.nsid_set(Nsid::new().fd(7).nsid(5)).unwrap(),
        |b| b.nsid("set", kw! { fd: 7, nsid: 5 }).unwrap(),
    );
    same(
        "nsid set, kernel picks",
        |b| b.nsid_set(Nsid::new().pid(1)).unwrap(),
        |b| b.nsid("set", kw! { pid: 1 }).unwrap(),
    );
    differ(
        |b| b.nsid_get(Nsid::new().pid(1)).unwrap(),
        |b| b.nsid_set(Nsid::new().pid(1)).unwrap(),
    );
    same(
        "route get",
        |b| {
            b.route_get(
                RouteGet::to(ip("10.0.0.2"))
                    .src(ip("10.0.0.1"))
                    .iif(2)
                    .mark(7)
                    .uid(1000)
                    .ip_proto(6)
                    .sport(1234)
                    .dport(80)
                    .tos(0x10)
                    .fibmatch(),
            )
            .unwrap()
        },
        |b| {
            b.route(
                "get",
                kw! { dst: "10.0.0.2", src: "10.0.0.1", iif: 2, fwmark: 7, uid: 1000, ipproto: 6, sport: 1234, dport: 80, tos: 0x10, fibmatch: true },
            )
            .unwrap()
        },
    );
    same(
        "route get v6",
        |b| {
            b.route_get(
                RouteGet::to(ip("2001:db8::2"))
                    .oif(3)
                    .flowlabel(5)
                    .flags(RtmFlags::NOTIFY),
            )
            .unwrap()
        },
        |b| {
            b.route(
                "get",
                kw! { dst: "2001:db8::2", oif: 3, flowlabel: 5, flags: 0x100 },
            )
            .unwrap()
        },
    );
    same(
        "route get, no lookup table",
        |b| {
            b.route_get(RouteGet::to(ip("10.0.0.2")).lookup_table(false))
                .unwrap()
        },
        |b| {
            b.route("get", kw! { dst: "10.0.0.2", lookup_table: false })
                .unwrap()
        },
    );
}

/// The typed commands reach a real kernel: a neighbour, a route lookup, statistics, an id.
#[test]
fn typed_commands_live() {
    if !rtnl_core::netns::is_root() {
        eprintln!("skip: typed_commands_live: needs root");
        return;
    }
    let ns = rtnl_core::testing::TestNetns::new().unwrap();
    let mut ipr = IPRoute::in_netns(ns.name()).unwrap();
    ipr.link_add(Link::veth("v0").peer("v1")).unwrap();
    let v0 = ipr.link_lookup("ifname", "v0").unwrap()[0];
    ipr.link_set(Link::new().index(v0).up()).unwrap();
    ipr.addr_add(Addr::on(v0).address(ip("10.5.0.1")).prefixlen(24))
        .unwrap();
    let mac = [2u8, 0, 0, 0, 0, 9];
    ipr.neigh_add(Neigh::on(v0).dst(ip("10.5.0.9")).lladdr(&mac))
        .unwrap();
    let n = ipr
        .neigh_get(Neigh::on(v0).dst(ip("10.5.0.9")))
        .unwrap()
        .into_first()
        .unwrap()
        .expect("the neighbour just added");
    let lladdr = n.view().lladdr().unwrap().map(|a| a.to_string());
    assert_eq!(lladdr.as_deref(), Some("02:00:00:00:00:09"));
    assert_eq!(n.view().header().state(), NudState::PERMANENT);
    ipr.neigh_del(Neigh::on(v0).dst(ip("10.5.0.9"))).unwrap();
    assert!(
        ipr.neigh_get(Neigh::on(v0).dst(ip("10.5.0.9"))).is_err(),
        "deleted neighbour still answers"
    );
    let r = ipr
        .route_get(RouteGet::to(ip("10.5.0.7")))
        .unwrap()
        .into_first()
        .unwrap()
        .expect("a route to the link's subnet");
    assert_eq!(r.view().oif().unwrap(), Some(v0));
    let s = ipr
        .stats_get(Stats::of(v0).filter_mask(1))
        .unwrap()
        .into_first()
        .unwrap()
        .expect("stats of v0");
    assert_eq!(s.view().header().ifindex(), v0);
    ipr.nsid_set(Nsid::new().pid(std::process::id()).nsid(9))
        .unwrap();
    let me = ipr
        .nsid_get(Nsid::new().pid(std::process::id()))
        .unwrap()
        .into_first()
        .unwrap()
        .expect("an nsid answer");
    assert_eq!(me.view().nsid().unwrap(), Some(9));
}

/// The remaining command words of link, addr and route: each typed method sends its word.
#[test]
fn link_addr_route_other_words() {
    let link = || Link::new().index(5).mtu(1500);
    let lkw = || kw! { index: 5, mtu: 1500 };
    for (word, typed) in [
        (
            "change",
            IPBatch::link_change as fn(&mut IPBatch, Link) -> _,
        ),
        ("replace", IPBatch::link_replace),
        ("update", IPBatch::link_update),
    ] {
        same(
            word,
            |b| typed(b, link()).unwrap(),
            |b| b.link(word, lkw()).unwrap(),
        );
    }
    same(
        "link get",
        |b| b.link_get(Link::new().index(5)).unwrap(),
        |b| b.link("get", kw! { index: 5 }).unwrap(),
    );
    same(
        "link property_add",
        |b| {
            b.link_property_add(Link::new().index(5).altnames(&["uplink", "wan"]))
                .unwrap()
        },
        |b| {
            b.link(
                "property_add",
                kw! { index: 5, altname: vec!["uplink", "wan"] },
            )
            .unwrap()
        },
    );
    same(
        "link property_del",
        |b| {
            b.link_property_del(Link::new().index(5).altnames(&["uplink"]))
                .unwrap()
        },
        |b| {
            b.link("property_del", kw! { index: 5, altname: vec!["uplink"] })
                .unwrap()
        },
    );
    let addr = || Addr::on(5).address(ip("10.0.0.1")).prefixlen(24);
    let akw = || kw! { index: 5, address: "10.0.0.1", prefixlen: 24 };
    for (word, typed) in [
        (
            "replace",
            IPBatch::addr_replace as fn(&mut IPBatch, Addr) -> _,
        ),
        ("change", IPBatch::addr_change),
    ] {
        same(
            word,
            |b| typed(b, addr()).unwrap(),
            |b| b.addr(word, akw()).unwrap(),
        );
    }
    let route = || Route::to(ip("10.1.0.0"), 24).gateway(ip("10.0.0.254"));
    let rkw = || kw! { dst: "10.1.0.0/24", gateway: "10.0.0.254" };
    for (word, typed) in [
        ("set", IPBatch::route_set as fn(&mut IPBatch, Route) -> _),
        ("change", IPBatch::route_change),
        ("append", IPBatch::route_append),
        ("prepend", IPBatch::route_prepend),
    ] {
        same(
            word,
            |b| typed(b, route()).unwrap(),
            |b| b.route(word, rkw()).unwrap(),
        );
    }
    differ(
        |b| b.route_append(route()).unwrap(),
        |b| b.route_prepend(route()).unwrap(),
    );
}

/// Typed `brport_set` and `fdb_add`/`fdb_del` on a real bridge port, checked with ip and bridge.
#[test]
fn typed_bridge_live() {
    if !rtnl_core::netns::is_root() {
        eprintln!("skip: typed_bridge_live: needs root");
        return;
    }
    let ns = rtnl_core::testing::TestNetns::new().unwrap();
    let mut ipr = IPRoute::in_netns(ns.name()).unwrap();
    ipr.link_add(Link::bridge("br0")).unwrap();
    ipr.link_add(Link::veth("v0").peer("v1")).unwrap();
    let br = ipr.link_lookup("ifname", "br0").unwrap()[0];
    let v1 = ipr.link_lookup("ifname", "v1").unwrap()[0];
    ipr.link_set(Link::new().index(v1).master(br)).unwrap();
    ipr.brport_set(Brport::on(v1).cost(250).priority(9).learning(0))
        .unwrap();
    let json = |tool: &str, args: &str| -> serde_json::Value {
        let out = std::process::Command::new(tool)
            .args(["-j", "-n", ns.name()])
            .args(args.split_whitespace())
            .output()
            .unwrap();
        assert!(out.status.success(), "{tool} {args}: {out:?}");
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let d = &json("ip", "-d link show dev v1")[0]["linkinfo"]["info_slave_data"];
    assert_eq!(d["cost"], 250, "{d}");
    assert_eq!(d["priority"], 9, "{d}");
    assert_eq!(d["learning"], false, "{d}");
    let mac = [2u8, 0, 0, 0, 0, 0x42];
    let has = |fdb: &serde_json::Value| {
        fdb.as_array()
            .unwrap()
            .iter()
            .any(|e| e["mac"] == "02:00:00:00:00:42")
    };
    ipr.fdb_add(Fdb::on(v1).lladdr(&mac).flags(NtfFlags::MASTER))
        .unwrap();
    let fdb = json("bridge", "fdb show dev v1");
    assert!(has(&fdb), "{fdb}");
    ipr.fdb_del(Fdb::on(v1).lladdr(&mac).flags(NtfFlags::MASTER))
        .unwrap();
    let fdb = json("bridge", "fdb show dev v1");
    assert!(!has(&fdb), "{fdb}");
}

#[test]
fn nexthop_commands() {
    use rtnl_api::generated::NexthopGrpType;
    use rtnl_api::typed::NexthopObject;
    same(
        "nexthop add via",
        |b| {
            b.nexthop_add(
                NexthopObject::with_id(1)
                    .gateway(ip("10.0.0.2"))
                    .oif(3)
                    .onlink()
                    .protocol(RtProto::Static),
            )
            .unwrap()
        },
        |b| {
            b.nexthop(
                "add",
                kw! { id: 1, gateway: "10.0.0.2", oif: 3, onlink: true, protocol: "static" },
            )
            .unwrap()
        },
    );
    same(
        "nexthop add resilient group",
        |b| {
            b.nexthop_add(
                NexthopObject::with_id(10)
                    .group("1/2,3")
                    .group_type(NexthopGrpType::Resilient)
                    .buckets(8)
                    .idle_timer(10),
            )
            .unwrap()
        },
        |b| {
            b.nexthop(
                "add",
                kw! { id: 10, group: "1/2,3", group_type: "resilient", buckets: 8, idle_timer: 10 },
            )
            .unwrap()
        },
    );
    same(
        "nexthop replace blackhole, del",
        |b| {
            b.nexthop_replace(NexthopObject::with_id(4).blackhole())
                .unwrap();
            b.nexthop_del(NexthopObject::with_id(4)).unwrap()
        },
        |b| {
            b.nexthop("replace", kw! { id: 4, blackhole: true })
                .unwrap();
            b.nexthop("del", kw! { id: 4 }).unwrap()
        },
    );
    differ(
        |b| b.nexthop_add(NexthopObject::with_id(1).fdb()).unwrap(),
        |b| {
            b.nexthop_add(NexthopObject::with_id(1).blackhole())
                .unwrap()
        },
    );
}
