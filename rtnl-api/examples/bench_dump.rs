//! One side of the dump benchmark (`cargo xtask bench` runs it; it is not a user example).
//!
//! `bench_dump <floor|rtnl|nlpr> <table> [family]` dumps the routes of `table` in the current
//! network namespace (xtask starts it with `ip netns exec`), reads dst, gateway, oif, table and
//! priority of each route, and prints one JSON line: implementation, routes, bytes, seconds of
//! the dump alone, peak RSS and a checksum over the fields read (so nothing is optimised away and
//! all implementations provably read the same values).
//!
//! * `floor`: a raw recv loop that only walks message headers: the kernel's cost.
//! * `rtnl`: `IPRoute::get_routes` with the table filter in the kernel, typed getters.
//! * `async`: `AsyncIPRoute::get_routes` on a current-thread tokio runtime (the async shell:
//!   a driver task reads, the dump's task parses views of each datagram), typed getters.
//! * `nlpr`: netlink-packet-route + netlink-sys (sync), parsed into its types.
//! * `rtnetlink`: the `rtnetlink` crate (tokio, current-thread runtime, strict checking on so
//!   the table filter is the kernel's), owned `RouteMessage`s from its stream.

use std::net::IpAddr;
use std::time::Instant;

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn mix(acc: &mut u64, v: u64) {
    *acc = acc.wrapping_mul(0x100_0000_01b3).wrapping_add(v);
}

fn ip_bits(ip: IpAddr) -> u64 {
    match ip {
        IpAddr::V4(a) => u32::from(a) as u64,
        IpAddr::V6(a) => (u128::from(a) as u64) ^ ((u128::from(a) >> 64) as u64),
    }
}

struct Out {
    routes: u64,
    bytes: u64,
    sum: u64,
}

fn rtnl(table: u32, family: u8) -> Out {
    let mut ipr = rtnl_api::IPRoute::new().expect("socket");
    let mut o = Out {
        routes: 0,
        bytes: 0,
        sum: 0,
    };
    ipr.get_routes(rtnl_api::RouteFilter::new().family(family).table(table))
        .expect("request")
        .on_restart(|| panic!("dump interrupted"))
        .for_each(|r| {
            o.routes += 1;
            o.bytes += r.bytes().len() as u64;
            mix(&mut o.sum, r.dst()?.map(ip_bits).unwrap_or(0));
            mix(&mut o.sum, r.gateway()?.map(ip_bits).unwrap_or(0));
            mix(&mut o.sum, r.oif()?.unwrap_or(0) as u64);
            mix(&mut o.sum, r.table()?.unwrap_or(0) as u64);
            mix(&mut o.sum, r.priority()?.unwrap_or(0) as u64);
            Ok(())
        })
        .expect("dump");
    o
}

fn rtnl_async(table: u32, family: u8) -> Out {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let ipr = rtnl_api::AsyncIPRoute::new().expect("socket");
        let mut o = Out {
            routes: 0,
            bytes: 0,
            sum: 0,
        };
        ipr.get_routes(rtnl_api::RouteFilter::new().family(family).table(table))
            .on_restart(|| panic!("dump interrupted"))
            .for_each(|r| {
                o.routes += 1;
                o.bytes += r.bytes().len() as u64;
                mix(&mut o.sum, r.dst()?.map(ip_bits).unwrap_or(0));
                mix(&mut o.sum, r.gateway()?.map(ip_bits).unwrap_or(0));
                mix(&mut o.sum, r.oif()?.unwrap_or(0) as u64);
                mix(&mut o.sum, r.table()?.unwrap_or(0) as u64);
                mix(&mut o.sum, r.priority()?.unwrap_or(0) as u64);
                Ok(())
            })
            .await
            .expect("dump");
        o
    })
}

fn rtnetlink_dump(table: u32, family: u8) -> Out {
    use futures_util::TryStreamExt;
    use netlink_packet_route::route::{RouteAddress, RouteAttribute, RouteMessage};
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let (conn, handle, _) = rtnetlink::new_connection_with_strict_check().expect("socket");
        tokio::spawn(conn);
        let mut msg = RouteMessage::default();
        msg.header.address_family = family.into();
        msg.attributes.push(RouteAttribute::Table(table));
        let addr = |a: &RouteAddress| match a {
            RouteAddress::Inet(v) => u32::from(*v) as u64,
            RouteAddress::Inet6(v) => ip_bits(IpAddr::V6(*v)),
            _ => 0,
        };
        let mut o = Out {
            routes: 0,
            bytes: 0,
            sum: 0,
        };
        let mut routes = std::pin::pin!(handle.route().get(msg).execute());
        while let Some(r) = routes.try_next().await.expect("dump") {
            o.routes += 1;
            o.bytes += netlink_packet_core::Emitable::buffer_len(&r) as u64;
            let (mut dst, mut gw, mut oif, mut tbl, mut prio) = (0, 0, 0, r.header.table as u64, 0);
            for a in &r.attributes {
                match a {
                    RouteAttribute::Destination(d) => dst = addr(d),
                    RouteAttribute::Gateway(g) => gw = addr(g),
                    RouteAttribute::Oif(i) => oif = *i as u64,
                    RouteAttribute::Table(t) => tbl = *t as u64,
                    RouteAttribute::Priority(p) => prio = *p as u64,
                    _ => {}
                }
            }
            for v in [dst, gw, oif, tbl, prio] {
                mix(&mut o.sum, v);
            }
        }
        o
    })
}

fn floor(table: u32, family: u8) -> Out {
    use rtnl_core::proto;
    let fd = rtnl_core::socket::Socket::new().expect("socket");
    let mut sock = fd;
    let mut req = Vec::new();
    let at = proto::begin_request(
        &mut req,
        26,
        proto::flags::REQUEST | proto::flags::DUMP,
        1,
        0,
    );
    req.extend_from_slice(&[family, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    rtnl_core::nla::put(&mut req, 15, &table.to_ne_bytes());
    proto::finish_request(&mut req, at);
    sock.send_raw(&req).expect("send");
    let mut o = Out {
        routes: 0,
        bytes: 0,
        sum: 0,
    };
    let mut done = false;
    while !done {
        sock.recv_raw(|ev| {
            match ev {
                proto::Event::Message(m) => {
                    o.routes += 1;
                    o.bytes += m.payload.len() as u64;
                }
                proto::Event::Done { .. } => done = true,
                proto::Event::Error { error, .. } => panic!("{error}"),
                _ => {}
            }
            Ok(())
        })
        .expect("recv");
    }
    o
}

fn nlpr(table: u32, family: u8) -> Out {
    use netlink_packet_core::{
        NLM_F_DUMP, NLM_F_REQUEST, NetlinkHeader, NetlinkMessage, NetlinkPayload,
    };
    use netlink_packet_route::RouteNetlinkMessage;
    use netlink_packet_route::route::{RouteAddress, RouteAttribute, RouteMessage};
    use netlink_sys::{Socket, SocketAddr, protocols::NETLINK_ROUTE};

    let mut socket = Socket::new(NETLINK_ROUTE).expect("socket");
    socket.bind_auto().expect("bind");
    socket.connect(&SocketAddr::new(0, 0)).expect("connect");
    let _ = socket.set_netlink_get_strict_chk(true);
    let mut hdr = NetlinkHeader::default();
    hdr.flags = NLM_F_REQUEST | NLM_F_DUMP;
    let mut msg = RouteMessage::default();
    msg.header.address_family = family.into();
    msg.attributes.push(RouteAttribute::Table(table));
    let mut packet = NetlinkMessage::new(
        hdr,
        NetlinkPayload::from(RouteNetlinkMessage::GetRoute(msg)),
    );
    packet.finalize();
    let mut buf = vec![0; packet.buffer_len()];
    packet.serialize(&mut buf[..]);
    socket.send(&buf[..], 0).expect("send");
    let addr = |a: &RouteAddress| match a {
        RouteAddress::Inet(v) => u32::from(*v) as u64,
        RouteAddress::Inet6(v) => ip_bits(IpAddr::V6(*v)),
        _ => 0,
    };
    let mut o = Out {
        routes: 0,
        bytes: 0,
        sum: 0,
    };
    let mut rx = vec![0u8; 1 << 20];
    'outer: loop {
        let size = socket.recv(&mut &mut rx[..], 0).expect("recv");
        let mut off = 0;
        while off < size {
            let p =
                <NetlinkMessage<RouteNetlinkMessage>>::deserialize(&rx[off..size]).expect("parse");
            let len = p.header.length as usize;
            match p.payload {
                NetlinkPayload::Done(_) => break 'outer,
                NetlinkPayload::Error(e) => panic!("{e:?}"),
                NetlinkPayload::InnerMessage(RouteNetlinkMessage::NewRoute(r)) => {
                    o.routes += 1;
                    o.bytes += (len - 16) as u64;
                    let (mut dst, mut gw, mut oif, mut tbl, mut prio) =
                        (0, 0, 0, r.header.table as u64, 0);
                    for a in &r.attributes {
                        match a {
                            RouteAttribute::Destination(d) => dst = addr(d),
                            RouteAttribute::Gateway(g) => gw = addr(g),
                            RouteAttribute::Oif(i) => oif = *i as u64,
                            RouteAttribute::Table(t) => tbl = *t as u64,
                            RouteAttribute::Priority(p) => prio = *p as u64,
                            _ => {}
                        }
                    }
                    for v in [dst, gw, oif, tbl, prio] {
                        mix(&mut o.sum, v);
                    }
                }
                _ => {}
            }
            if len == 0 {
                break;
            }
            off += (len + 3) & !3;
        }
    }
    o
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let which = args.get(1).map(String::as_str).unwrap_or("rtnl");
    let table: u32 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(100);
    let family: u8 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(2);
    let t = Instant::now();
    let o = match which {
        "rtnl" => rtnl(table, family),
        "floor" => floor(table, family),
        "nlpr" => nlpr(table, family),
        "async" => rtnl_async(table, family),
        "rtnetlink" => rtnetlink_dump(table, family),
        other => {
            eprintln!("unknown implementation {other:?}: floor, rtnl, async, nlpr or rtnetlink");
            std::process::exit(2);
        }
    };
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{{\"impl\":\"{which}\",\"routes\":{},\"bytes\":{},\"secs\":{secs:.6},\"maxrss_kb\":{},\"checksum\":{}}}",
        o.routes,
        o.bytes,
        peak_rss_kb(),
        o.sum
    );
}
