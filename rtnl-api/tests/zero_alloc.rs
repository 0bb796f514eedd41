//! Dump paths allocate nothing per message: parsing and reading every route, link and address of
//! an in-memory dump allocates zero times, and a live `get_routes().for_each` allocates the same
//! small constant for 1 000 and for 5 000 routes. netlink-packet-route's count on the same bytes
//! is printed for comparison.
//!
//! The counting allocator is `stats_alloc`'s wrapper around the system allocator.

use std::alloc::System;
use std::net::{IpAddr, Ipv4Addr};

use rtnl_core::generated::*;
use rtnl_core::proto::{self, Event};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// The counts are process-wide, and libtest's own thread allocates when any test finishes: so this
/// file has exactly one `#[test]`, which runs the checks one after the other.
#[test]
fn dump_paths_allocate_nothing_per_message() {
    parsing_dumps_allocates_nothing_per_message();
    live_route_dump_allocations_do_not_grow_with_the_table();
}

fn route_dump(n: u32) -> Vec<u8> {
    let mut buf = Vec::new();
    for i in 0..n {
        let at = proto::begin_request(&mut buf, RTM_NEWROUTE, proto::flags::MULTI, 1, 0);
        let mut h = Rtmsg::zeroed();
        h.set_family(2u8)
            .set_dst_len(32)
            .set_table(RtTable::Unspec)
            .set_protocol(RtProto::Static)
            .set_type(RtType::Unicast);
        RouteMsg::request(&mut buf, &h)
            .table(100)
            .dst(IpAddr::V4(Ipv4Addr::from(0x0a00_0000 + i)))
            .gateway(IpAddr::V4(Ipv4Addr::new(10, 255, 0, 1)))
            .oif(3)
            .priority(i % 7)
            .cacheinfo(&RtaCacheinfo::zeroed());
        proto::finish_request(&mut buf, at);
    }
    buf
}

fn link_dump(n: u32) -> Vec<u8> {
    let mut buf = Vec::new();
    for i in 0..n {
        let at = proto::begin_request(&mut buf, RTM_NEWLINK, proto::flags::MULTI, 1, 0);
        let mut h = Ifinfomsg::zeroed();
        h.set_index(i as i32 + 1)
            .set_flags(IffFlags::UP | IffFlags::BROADCAST);
        LinkMsg::request(&mut buf, &h)
            .ifname(&format!("veth{i}"))
            .mtu(1500)
            .address(&[2, 0, 0, 0, (i >> 8) as u8, i as u8])
            .operstate(IfOper::Up)
            .stats64(&RtnlLinkStats64::zeroed())
            .linkinfo(|li| {
                li.kind("veth");
            });
        proto::finish_request(&mut buf, at);
    }
    buf
}

fn addr_dump(n: u32) -> Vec<u8> {
    let mut buf = Vec::new();
    for i in 0..n {
        let at = proto::begin_request(&mut buf, RTM_NEWADDR, proto::flags::MULTI, 1, 0);
        let mut h = Ifaddrmsg::zeroed();
        h.set_family(2u8).set_prefixlen(24).set_index(i + 1);
        let a = IpAddr::V4(Ipv4Addr::from(0x0a00_0001 + (i << 8)));
        AddrMsg::request(&mut buf, &h)
            .address(a)
            .local(a)
            .label("x")
            .cacheinfo(&IfaCacheinfo::zeroed());
        proto::finish_request(&mut buf, at);
    }
    buf
}

fn count<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let region = Region::new(GLOBAL);
    let r = f();
    (r, region.change().allocations)
}

fn parsing_dumps_allocates_nothing_per_message() {
    let routes = route_dump(10_000);
    let (n, allocs) = count(|| {
        let mut n = 0u64;
        for ev in proto::messages(&routes) {
            let Ok(Event::Message(m)) = ev else {
                panic!("bad message")
            };
            let r = RouteMsg::parse(m.payload).unwrap();
            let v = (
                r.dst().unwrap(),
                r.gateway().unwrap(),
                r.oif().unwrap(),
                r.table().unwrap(),
                r.priority().unwrap(),
            );
            std::hint::black_box(v);
            n += 1;
        }
        n
    });
    assert_eq!(n, 10_000);
    assert_eq!(
        allocs, 0,
        "rtnl allocated {allocs} times reading 10 000 routes"
    );
    println!("rtnl: 0 allocations per route message");

    let links = link_dump(2_000);
    let (_, allocs) = count(|| {
        for ev in proto::messages(&links) {
            let Ok(Event::Message(m)) = ev else { panic!() };
            let l = LinkMsg::parse(m.payload).unwrap();
            let kind = l.linkinfo().unwrap().and_then(|li| li.kind().unwrap());
            std::hint::black_box((
                l.ifname().unwrap(),
                l.mtu().unwrap(),
                l.address().unwrap(),
                l.operstate().unwrap(),
                l.stats64().unwrap(),
                kind,
            ));
        }
    });
    assert_eq!(
        allocs, 0,
        "rtnl allocated {allocs} times reading 2 000 links"
    );

    let addrs = addr_dump(2_000);
    let (_, allocs) = count(|| {
        for ev in proto::messages(&addrs) {
            let Ok(Event::Message(m)) = ev else { panic!() };
            let a = AddrMsg::parse(m.payload).unwrap();
            std::hint::black_box((
                a.address().unwrap(),
                a.local().unwrap(),
                a.label().unwrap(),
                a.header().prefixlen(),
            ));
        }
    });
    assert_eq!(
        allocs, 0,
        "rtnl allocated {allocs} times reading 2 000 addresses"
    );
    println!("rtnl: 0 allocations per link and per address message");

    // The peer, on the same bytes.
    use netlink_packet_core::{NetlinkMessage, NetlinkPayload};
    use netlink_packet_route::RouteNetlinkMessage;
    let (_, allocs) = count(|| {
        let mut off = 0;
        while off < routes.len() {
            let p = <NetlinkMessage<RouteNetlinkMessage>>::deserialize(&routes[off..]).unwrap();
            off += (p.header.length as usize + 3) & !3;
            if let NetlinkPayload::InnerMessage(RouteNetlinkMessage::NewRoute(r)) = p.payload {
                std::hint::black_box(r.attributes.len());
            }
        }
    });
    println!(
        "netlink-packet-route: {:.1} allocations per route message",
        allocs as f64 / 10_000.0
    );
}

fn live_route_dump_allocations_do_not_grow_with_the_table() {
    let root = rtnl_core::netns::is_root();
    if !root {
        eprintln!("skip: live_route_dump_allocations_do_not_grow_with_the_table: needs root");
        return;
    }
    let ns = rtnl_core::testing::TestNetns::new().unwrap();
    let sh = |c: &str| {
        let ok = std::process::Command::new("ip")
            .args(["-n", ns.name()])
            .args(c.split_whitespace())
            .status()
            .unwrap()
            .success();
        assert!(ok, "{c}");
    };
    sh("link add v0 type veth peer name v1");
    sh("link set v0 up");
    sh("addr add 10.0.0.1/24 dev v0");
    let mut ipr = rtnl_api::IPRoute::from_socket(ns.socket().unwrap());
    let mut per_size = Vec::new();
    let mut loaded = 0u32;
    for n in [1_000u32, 5_000] {
        for i in loaded..n {
            ipr.route("add", rtnl_api::kw! { dst: format!("10.{}.{}.{}/32", 1 + (i >> 16), (i >> 8) & 255, i & 255), gateway: "10.0.0.2", table: 100 })
                .unwrap();
        }
        loaded = n;
        // Warm the receive buffer, then count.
        ipr.get_routes(rtnl_api::RouteFilter::new().family(2).table(100))
            .unwrap()
            .count()
            .unwrap();
        let (seen, allocs) = count(|| {
            let mut seen = 0u32;
            ipr.get_routes(rtnl_api::RouteFilter::new().family(2).table(100))
                .unwrap()
                .on_restart(|| {})
                .for_each(|r| {
                    std::hint::black_box((
                        r.dst()?,
                        r.gateway()?,
                        r.oif()?,
                        r.table()?,
                        r.priority()?,
                    ));
                    seen += 1;
                    Ok(())
                })
                .unwrap();
            seen
        });
        assert_eq!(seen, n);
        per_size.push(allocs);
    }
    println!(
        "rtnl live dump: {} allocations for 1 000 routes, {} for 5 000",
        per_size[0], per_size[1]
    );
    assert_eq!(
        per_size[0], per_size[1],
        "allocations grew with the number of routes: {per_size:?}"
    );
    assert!(
        per_size[1] <= 8,
        "more than a constant handful of allocations per dump: {per_size:?}"
    );
}
