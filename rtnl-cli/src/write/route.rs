//! `route add|change|replace|prepend|append|delete|flush`: iproute2's ip/iproute.c words into
//! `IPRoute::route` keywords. The header defaults are ip's, given as keywords (protocol boot,
//! scope link for a route with no gateway, scope nowhere for a delete), not rtnl-api's
//! pyroute2 defaults. `flush` dumps and deletes.

use std::net::IpAddr;

use rtnl_api::{Args, IPRoute, RouteFilter, Value};

use super::addr::prefix;
use super::{Call, Failure, Names, Words, int, matches, table};

/// `route flush`'s selectors.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlushSel {
    /// `table N` (default main; `all`: 0).
    pub table: u32,
    /// `dev NAME`.
    pub dev: Option<u32>,
    /// `proto P`.
    pub proto: Option<u8>,
    /// 2 or 10 (`-6`); ip flushes IPv4 unless told.
    pub family: u8,
}

/// Route type names (`rtnl_rtntype_a2n`).
pub fn rtntype(s: &str) -> Option<u8> {
    Some(match s {
        "unicast" => 1,
        "local" => 2,
        "broadcast" => 3,
        "anycast" => 4,
        "multicast" => 5,
        "blackhole" => 6,
        "unreachable" => 7,
        "prohibit" => 8,
        "throw" => 9,
        "nat" => 10,
        "xresolve" => 11,
        _ => return int(s).and_then(|v| u8::try_from(v).ok()),
    })
}

/// Protocol names (`rt_protos`).
pub fn proto(s: &str) -> Result<u8, Failure> {
    Ok(match s {
        "redirect" => 1,
        "kernel" => 2,
        "boot" => 3,
        "static" => 4,
        "ra" => 9,
        "dhcp" => 16,
        "keepalived" => 18,
        "babel" => 42,
        "bgp" => 186,
        "isis" => 187,
        "ospf" => 188,
        "rip" => 189,
        "eigrp" => 192,
        _ => int(s)
            .and_then(|v| u8::try_from(v).ok())
            .ok_or_else(|| Failure::invarg("\"protocol\" value is invalid\n", s))?,
    })
}

/// The RTAX_* words ip takes (`lock` before the value locks it).
const METRICS: &[(&str, &str, u32)] = &[
    ("mtu", "mtu", 2),
    ("hoplimit", "hoplimit", 10),
    ("advmss", "advmss", 8),
    ("reordering", "reordering", 9),
    ("rtt", "rtt", 4),
    ("rttvar", "rttvar", 5),
    ("window", "window", 3),
    ("cwnd", "cwnd", 7),
    ("initcwnd", "initcwnd", 11),
    ("initrwnd", "initrwnd", 14),
    ("ssthresh", "ssthresh", 6),
    ("features", "features", 12),
    ("quickack", "quickack", 15),
    ("rto_min", "rto_min", 13),
    ("fastopen_no_cookie", "fastopen_no_cookie", 17),
];

/// What a route line says, collected before the keywords are laid out.
#[derive(Default)]
struct Route {
    a: Vec<(String, Value)>,
    metrics: Vec<(String, Value)>,
    lock: u32,
    hops: Vec<Value>,
    dst: Option<String>,
    family: Option<u8>,
    rtype: Option<u8>,
    scope: Option<u8>,
    proto: Option<u8>,
    table: Option<u32>,
    flags: u32,
    gw: bool,
}

/// Parses `route COMMAND ...`.
pub fn parse(
    cmd: &'static str,
    family: u8,
    w: &mut Words<'_>,
    names: &mut dyn Names,
) -> Result<Call, Failure> {
    match cmd {
        "help" => return Ok(Call::Usage(super::help::ROUTE)),
        "flush" => return flush_args(family, w, names),
        _ => {}
    }
    let api_cmd = match cmd {
        "add" => "add",
        "change" => "change",
        "replace" => "replace",
        "prepend" => "prepend",
        "append" => "append",
        _ => "del",
    };
    let del = api_cmd == "del";
    let mut r = Route {
        family: (family != 0).then_some(family),
        ..Default::default()
    };
    while let Some(word) = w.next() {
        route_word(word, w, names, &mut r)?;
    }
    let mut a = Args::new();
    match &r.dst {
        Some(d) if d != "default" && d != "all" && d != "any" => {
            let (ip, len) = prefix(d)?;
            r.family.get_or_insert(if ip.is_ipv4() { 2 } else { 10 });
            let len = len.unwrap_or(if ip.is_ipv4() { 32 } else { 128 });
            a = a
                .with("dst", Value::Ip(ip))
                .with("dst_len", Value::Int(len as i128));
        }
        _ => {}
    }
    let rtype = r.rtype.unwrap_or(if del { 0 } else { 1 });
    let family = r.family.unwrap_or(2);
    let scope = match r.scope {
        Some(s) => s,
        None if family == 10 => 0,
        None => match rtype {
            2 | 10 => 254,
            3..=5 => 253,
            0 | 1 if del => 255,
            0 | 1 if !r.gw && r.hops.is_empty() => 253,
            _ => 0,
        },
    };
    a = a
        .with("family", Value::Int(family as i128))
        .with(
            "proto",
            Value::Int(r.proto.unwrap_or(if del { 0 } else { 3 }) as i128),
        )
        .with("type", Value::Int(rtype as i128))
        .with("scope", Value::Int(scope as i128));
    if r.flags != 0 {
        a = a.with("flags", Value::Int(r.flags as i128));
    }
    if let Some(t) = r.table {
        a = a.with("table", Value::Int(t as i128));
    }
    for (k, v) in r.a {
        a = a.with(k, v);
    }
    if !r.metrics.is_empty() || r.lock != 0 {
        let mut m = Vec::new();
        if r.lock != 0 {
            m.push(("lock".to_string(), Value::Int(r.lock as i128)));
        }
        m.extend(r.metrics);
        a = a.with("metrics", Value::Map(m));
    }
    if !r.hops.is_empty() {
        a = a.with("multipath", Value::List(r.hops));
    }
    Ok(Call::Route(api_cmd, a))
}

/// One word (and its value) of a route line.
fn route_word(
    word: &str,
    w: &mut Words<'_>,
    names: &mut dyn Names,
    r: &mut Route,
) -> Result<(), Failure> {
    match word {
        "src" => {
            let s = w.arg()?;
            let ip: IpAddr = s.parse().map_err(|_| Failure::address(s))?;
            r.a.push(("prefsrc".into(), Value::Ip(ip)));
        }
        "via" => {
            let mut s = w.arg()?;
            if matches!(s, "inet" | "inet6") {
                s = w.arg()?;
            }
            let ip: IpAddr = s.parse().map_err(|_| Failure::address(s))?;
            r.family.get_or_insert(if ip.is_ipv4() { 2 } else { 10 });
            r.gw = true;
            r.a.push(("gateway".into(), Value::Ip(ip)));
        }
        "from" => {
            let s = w.arg()?;
            let (ip, len) = prefix(s)?;
            r.a.push(("src".into(), Value::Ip(ip)));
            if let Some(l) = len {
                r.a.push(("src_len".into(), Value::Int(l as i128)));
            }
        }
        "tos" | "dsfield" => {
            let s = w.arg()?;
            r.a.push((
                "tos".into(),
                super::uint(s, 255, "\"tos\" value is invalid\n")?,
            ));
        }
        "metric" | "priority" | "preference" => {
            let s = w.arg()?;
            r.a.push((
                "priority".into(),
                super::uint(s, u32::MAX as u64, "\"metric\" value is invalid\n")?,
            ));
        }
        "scope" => r.scope = Some(super::addr::scope(w.arg()?)?),
        "onlink" => r.flags |= 4,
        "nhid" => {
            let s = w.arg()?;
            r.gw = true;
            r.a.push((
                "nh_id".into(),
                super::uint(s, u32::MAX as u64, "\"id\" value is invalid\n")?,
            ));
        }
        "nexthop" => {
            r.hops = nexthops(w, names)?;
        }
        "pref" => {
            let s = w.arg()?;
            let v = match s {
                "low" => 3,
                "medium" => 0,
                "high" => 1,
                _ => int(s)
                    .filter(|v| (0..=255).contains(v))
                    .ok_or_else(|| Failure::invarg("\"pref\" value is invalid\n", s))?,
            };
            r.a.push(("pref".into(), Value::Int(v)));
        }
        "encap" => r.a.push(("encap".into(), super::encap::encap(w, names)?)),
        "congctl" => {
            let mut s = w.arg()?;
            if s == "lock" {
                r.lock |= 1 << 16;
                s = w.arg()?;
            }
            r.metrics.push(("cc_algo".into(), Value::from(s)));
        }
        "dev" | "oif" => {
            let s = w.arg()?;
            r.a.push(("oif".into(), Value::Int(names.need(s)? as i128)));
        }
        _ if matches(word, "protocol") => r.proto = Some(proto(w.arg()?)?),
        _ if matches(word, "table") => r.table = Some(table(w.arg()?)?),
        _ => {
            if let Some((_, key, id)) = METRICS.iter().find(|(m, ..)| *m == word) {
                let mut s = w.arg()?;
                if s == "lock" {
                    r.lock |= 1 << id;
                    s = w.arg()?;
                }
                let v = super::uint(
                    s,
                    u32::MAX as u64,
                    &format!("\"{word}\" value is invalid\n"),
                )?;
                r.metrics.push((key.to_string(), v));
                return Ok(());
            }
            if matches(word, "help") {
                return Err(Failure::fatal(super::help::ROUTE.trim_end()));
            }
            let mut d = word;
            if d == "to" {
                d = w.arg()?;
            }
            let first = r.dst.is_none() && r.rtype.is_none();
            if let Some(t) = rtntype(d).filter(|_| first && int(d).is_none()) {
                r.rtype = Some(t);
                d = w.arg()?;
            }
            if r.dst.is_some() {
                return Err(Failure::duparg("to", d));
            }
            r.dst = Some(d.to_string());
        }
    }
    Ok(())
}

/// `nexthop via A dev D weight W onlink nexthop ...`: the hop maps rtnl-api's `multipath` takes.
fn nexthops(w: &mut Words<'_>, names: &mut dyn Names) -> Result<Vec<Value>, Failure> {
    let mut hops = Vec::new();
    let mut cur: Vec<(String, Value)> = Vec::new();
    while let Some(word) = w.next() {
        match word {
            "nexthop" => hops.push(Value::Map(std::mem::take(&mut cur))),
            "via" => {
                let s = w.arg()?;
                let ip: IpAddr = s.parse().map_err(|_| Failure::address(s))?;
                cur.push(("gateway".into(), Value::Ip(ip)));
            }
            "dev" => {
                let s = w.arg()?;
                cur.push(("oif".into(), Value::Int(names.need(s)? as i128)));
            }
            "weight" => {
                let s = w.arg()?;
                let v = int(s)
                    .filter(|v| (1..=256).contains(v))
                    .ok_or_else(|| Failure::invarg("\"weight\" is invalid\n", s))?;
                cur.push(("hops".into(), Value::Int(v - 1)));
            }
            "onlink" => cur.push(("flags".into(), Value::Int(4))),
            "encap" => cur.push(("encap".into(), super::encap::encap(w, names)?)),
            other => {
                return Err(Failure::invarg("unknown nexthop argument", other));
            }
        }
    }
    hops.push(Value::Map(cur));
    Ok(hops)
}

/// `route flush [table T] [dev D] [proto P]`.
fn flush_args(family: u8, w: &mut Words<'_>, names: &mut dyn Names) -> Result<Call, Failure> {
    if w.peek().is_none() {
        return Err(Failure::fatal("\"ip route flush\" requires arguments."));
    }
    let mut sel = FlushSel {
        table: 254,
        family: if family == 0 { 2 } else { family },
        ..Default::default()
    };
    while let Some(word) = w.next() {
        match word {
            _ if matches(word, "table") => sel.table = table(w.arg()?)?,
            "dev" | "oif" => sel.dev = Some(names.need(w.arg()?)?),
            _ if matches(word, "protocol") => sel.proto = Some(proto(w.arg()?)?),
            other => return Err(Failure::invarg("unknown flush selector", other)),
        }
    }
    Ok(Call::RouteFlush(sel))
}

/// Deletes every route `sel` matches.
pub fn flush(ipr: &mut IPRoute, sel: &FlushSel) -> Result<(), Failure> {
    let mut f = RouteFilter::new().family(sel.family);
    if sel.table != 0 {
        f = f.table(sel.table);
    }
    let mut victims = Vec::new();
    ipr.get_routes(f)
        .and_then(|d| {
            d.for_each(|m| {
                let h = m.header();
                let t = m.table()?.unwrap_or(u8::from(h.table()) as u32);
                if sel.table != 0 && t != sel.table {
                    return Ok(());
                }
                if sel.dev.is_some() && m.oif()? != sel.dev {
                    return Ok(());
                }
                if sel.proto.is_some_and(|p| p != u8::from(h.protocol())) {
                    return Ok(());
                }
                let mut a = Args::new()
                    .with("family", Value::Int(u8::from(h.family()) as i128))
                    .with("table", Value::Int(t as i128))
                    .with("tos", Value::Int(h.tos() as i128))
                    .with("type", Value::Int(u8::from(h.type_()) as i128))
                    .with("proto", Value::Int(0))
                    .with("scope", Value::Int(255));
                if let Some(d) = m.dst()? {
                    a = a
                        .with("dst", Value::Ip(d))
                        .with("dst_len", Value::Int(h.dst_len() as i128));
                }
                if let Some(p) = m.priority()? {
                    a = a.with("priority", Value::Int(p as i128));
                }
                if let Some(o) = m.oif()? {
                    a = a.with("oif", Value::Int(o as i128));
                }
                victims.push(a);
                Ok(())
            })
        })
        .map_err(|e| Failure::from_error(&e))?;
    for a in victims {
        match ipr.route("del", a).map(drop) {
            Ok(()) => {}
            Err(rtnl_core::Error::Kernel(k)) if k.errno == 3 => {}
            Err(e) => return Err(Failure::from_error(&e)),
        }
    }
    Ok(())
}
