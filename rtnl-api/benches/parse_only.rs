//! Parse-only benchmarks: a dump held in memory, parsed and read by rtnl and by
//! netlink-packet-route. Run: `sudo cargo bench -p rtnl-api --bench parse_only`.
//!
//! As root, the dumps are real kernel bytes: a throwaway namespace is filled (100 000 routes;
//! 500 veth pairs = 1 000 links with an address each), dumped through rtnl, and the messages are
//! framed again with a netlink header. Without root, the same shapes are built with rtnl's
//! generated builders (and the run says so).

use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr};
use std::process::{Command, Stdio};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use netlink_packet_core::{NetlinkMessage, NetlinkPayload};
use netlink_packet_route::RouteNetlinkMessage;
use netlink_packet_route::address::AddressAttribute;
use netlink_packet_route::link::LinkAttribute;
use netlink_packet_route::route::RouteAttribute;
use rtnl_api::{AddrFilter, IPRoute, RouteFilter};
use rtnl_core::generated::*;
use rtnl_core::proto::{self, Event};

struct Dumps {
    routes: Vec<u8>,
    links: Vec<u8>,
    addrs: Vec<u8>,
    counts: (u64, u64, u64),
    real: bool,
}

fn frame(out: &mut Vec<u8>, ty: u16, payload: &[u8]) {
    let at = proto::begin_request(out, ty, proto::flags::MULTI, 1, 0);
    out.extend_from_slice(payload);
    proto::finish_request(out, at);
}

fn is_root() -> bool {
    rtnl_core::netns::is_root()
}

fn batch(ns: &str, lines: &str) {
    use std::io::Write;
    let mut c = Command::new("ip")
        .args(["-n", ns, "-batch", "-"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    c.stdin.take().unwrap().write_all(lines.as_bytes()).unwrap();
    assert!(c.wait().unwrap().success());
}

fn captured() -> Dumps {
    let ns = rtnl_core::testing::TestNetns::new().unwrap();
    let n = ns.name();
    let mut s = String::from(
        "link add v0 type veth peer name v1\nlink set v0 up\naddr add 10.0.0.1/24 dev v0\n",
    );
    for i in 0..100_000u32 {
        s += &format!(
            "route add 10.{}.{}.{}/32 via 10.0.0.2 table 100\n",
            1 + (i >> 16),
            (i >> 8) & 255,
            i & 255
        );
    }
    for i in 0..499u32 {
        s += &format!(
            "link add a{i} type veth peer name b{i}\naddr add 172.{}.{}.1/24 dev a{i}\n",
            16 + (i >> 8),
            i & 255
        );
    }
    batch(n, &s);
    let mut ipr = IPRoute::in_netns(n).unwrap();
    let (mut routes, mut links, mut addrs) = (Vec::new(), Vec::new(), Vec::new());
    let mut counts = (0, 0, 0);
    for r in ipr
        .get_routes(RouteFilter::new().family(2).table(100))
        .unwrap()
        .collect()
        .unwrap()
    {
        frame(&mut routes, RTM_NEWROUTE, r.bytes());
        counts.0 += 1;
    }
    for l in ipr.get_links(()).unwrap().collect().unwrap() {
        frame(&mut links, RTM_NEWLINK, l.bytes());
        counts.1 += 1;
    }
    for a in ipr.get_addr(AddrFilter::new()).unwrap().collect().unwrap() {
        frame(&mut addrs, RTM_NEWADDR, a.bytes());
        counts.2 += 1;
    }
    Dumps {
        routes,
        links,
        addrs,
        counts,
        real: true,
    }
}

fn synthesized() -> Dumps {
    let (mut routes, mut links, mut addrs) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..100_000u32 {
        let mut p = Vec::new();
        let mut h = Rtmsg::zeroed();
        h.set_family(2u8)
            .set_dst_len(32)
            .set_table(RtTable::Main)
            .set_protocol(RtProto::Boot)
            .set_type(RtType::Unicast);
        RouteMsg::request(&mut p, &h)
            .table(100)
            .dst(IpAddr::V4(Ipv4Addr::from(0x0a01_0000 + i)))
            .gateway(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2)))
            .oif(2);
        frame(&mut routes, RTM_NEWROUTE, &p);
    }
    for i in 0..1000u32 {
        let mut p = Vec::new();
        let mut h = Ifinfomsg::zeroed();
        h.set_index(i as i32 + 1)
            .set_flags(IffFlags::UP | IffFlags::BROADCAST);
        LinkMsg::request(&mut p, &h)
            .ifname(&format!("a{i}"))
            .mtu(1500)
            .address(&[2, 0, 0, 0, (i >> 8) as u8, i as u8])
            .operstate(IfOper::Up)
            .stats64(&RtnlLinkStats64::zeroed())
            .linkinfo(|li| {
                li.kind("veth");
            });
        frame(&mut links, RTM_NEWLINK, &p);
        let mut p = Vec::new();
        let mut h = Ifaddrmsg::zeroed();
        h.set_family(2u8).set_prefixlen(24).set_index(i + 1);
        let a = IpAddr::V4(Ipv4Addr::from(0xac10_0001 + (i << 8)));
        AddrMsg::request(&mut p, &h)
            .address(a)
            .local(a)
            .label(&format!("a{i}"))
            .cacheinfo(&IfaCacheinfo::zeroed());
        frame(&mut addrs, RTM_NEWADDR, &p);
    }
    Dumps {
        routes,
        links,
        addrs,
        counts: (100_000, 1000, 1000),
        real: false,
    }
}

fn rtnl_routes(buf: &[u8]) -> u64 {
    let mut acc = 0u64;
    for ev in proto::messages(buf) {
        if let Ok(Event::Message(m)) = ev {
            let r = RouteMsg::parse(m.payload).unwrap();
            let d = r
                .dst()
                .unwrap()
                .map(|a| matches!(a, IpAddr::V4(_)) as u64)
                .unwrap_or(0);
            let g = r.gateway().unwrap().is_some() as u64;
            acc += d
                + g
                + r.oif().unwrap().unwrap_or(0) as u64
                + r.table().unwrap().unwrap_or(0) as u64
                + r.priority().unwrap().unwrap_or(0) as u64;
        }
    }
    acc
}

fn nlpr_messages(buf: &[u8], mut f: impl FnMut(RouteNetlinkMessage)) {
    let mut off = 0;
    while off < buf.len() {
        let p = <NetlinkMessage<RouteNetlinkMessage>>::deserialize(&buf[off..]).unwrap();
        off += (p.header.length as usize + 3) & !3;
        if let NetlinkPayload::InnerMessage(m) = p.payload {
            f(m);
        }
    }
}

fn nlpr_routes(buf: &[u8]) -> u64 {
    let mut acc = 0u64;
    nlpr_messages(buf, |m| {
        if let RouteNetlinkMessage::NewRoute(r) = m {
            for a in &r.attributes {
                acc += match a {
                    RouteAttribute::Destination(_) => 1,
                    RouteAttribute::Gateway(_) => 1,
                    RouteAttribute::Oif(i) => *i as u64,
                    RouteAttribute::Table(t) => *t as u64,
                    RouteAttribute::Priority(p) => *p as u64,
                    _ => 0,
                };
            }
        }
    });
    acc
}

fn rtnl_links(buf: &[u8]) -> u64 {
    let mut acc = 0u64;
    for ev in proto::messages(buf) {
        if let Ok(Event::Message(m)) = ev {
            let l = LinkMsg::parse(m.payload).unwrap();
            acc += l.ifname().unwrap().map(str::len).unwrap_or(0) as u64
                + l.mtu().unwrap().unwrap_or(0) as u64
                + l.address()
                    .unwrap()
                    .map(|a| a.as_bytes().len())
                    .unwrap_or(0) as u64
                + l.operstate().unwrap().map(u8::from).unwrap_or(0) as u64;
        }
    }
    acc
}

fn nlpr_links(buf: &[u8]) -> u64 {
    let mut acc = 0u64;
    nlpr_messages(buf, |m| {
        if let RouteNetlinkMessage::NewLink(l) = m {
            for a in &l.attributes {
                acc += match a {
                    LinkAttribute::IfName(n) => n.len() as u64,
                    LinkAttribute::Mtu(v) => *v as u64,
                    LinkAttribute::Address(a) => a.len() as u64,
                    LinkAttribute::OperState(_) => 1,
                    _ => 0,
                };
            }
        }
    });
    acc
}

fn rtnl_addrs(buf: &[u8]) -> u64 {
    let mut acc = 0u64;
    for ev in proto::messages(buf) {
        if let Ok(Event::Message(m)) = ev {
            let a = AddrMsg::parse(m.payload).unwrap();
            acc += a.address().unwrap().is_some() as u64
                + a.local().unwrap().is_some() as u64
                + a.label().unwrap().map(str::len).unwrap_or(0) as u64
                + a.header().prefixlen() as u64;
        }
    }
    acc
}

fn nlpr_addrs(buf: &[u8]) -> u64 {
    let mut acc = 0u64;
    nlpr_messages(buf, |m| {
        if let RouteNetlinkMessage::NewAddress(a) = m {
            acc += a.header.prefix_len as u64;
            for at in &a.attributes {
                acc += match at {
                    AddressAttribute::Address(_) | AddressAttribute::Local(_) => 1,
                    AddressAttribute::Label(l) => l.len() as u64,
                    _ => 0,
                };
            }
        }
    });
    acc
}

fn bench(c: &mut Criterion) {
    let d = if is_root() { captured() } else { synthesized() };
    eprintln!(
        "parse_only: {} dumps: {} routes ({} bytes), {} links ({} bytes), {} addresses ({} bytes)",
        if d.real {
            "captured kernel"
        } else {
            "synthesized (not root)"
        },
        d.counts.0,
        d.routes.len(),
        d.counts.1,
        d.links.len(),
        d.counts.2,
        d.addrs.len()
    );
    type Parse = fn(&[u8]) -> u64;
    let sets: [(&str, &Vec<u8>, u64, Parse, Parse); 3] = [
        ("routes", &d.routes, d.counts.0, rtnl_routes, nlpr_routes),
        ("links", &d.links, d.counts.1, rtnl_links, nlpr_links),
        ("addresses", &d.addrs, d.counts.2, rtnl_addrs, nlpr_addrs),
    ];
    for (name, buf, n, ours, theirs) in sets {
        for (unit, tp) in [
            ("bytes", Throughput::Bytes(buf.len() as u64)),
            ("messages", Throughput::Elements(n)),
        ] {
            let mut g = c.benchmark_group(format!("{name}/{unit}"));
            g.throughput(tp);
            g.bench_function("rtnl", |b| b.iter(|| black_box(ours(black_box(buf)))));
            g.bench_function("netlink-packet-route", |b| {
                b.iter(|| black_box(theirs(black_box(buf))))
            });
            g.finish();
        }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
