//! `addr add|change|replace|delete|flush`: iproute2's ip/ipaddress.c words into
//! `IPRoute::addr` keywords. `flush` dumps the addresses and deletes the matching ones.

use std::net::IpAddr;

use rtnl_api::{AddrFilter, Args, IPRoute, Value};

use super::{Call, Failure, Names, Words, int, matches};

/// `addr flush`'s selectors.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlushSel {
    /// `dev NAME`, as its index.
    pub dev: Option<u32>,
    /// `scope SCOPE`.
    pub scope: Option<u8>,
    /// `-4`/`-6` (0: both).
    pub family: u8,
    /// `to PREFIX` (exact address).
    pub to: Option<IpAddr>,
}

/// A prefix as ip's `get_prefix`: `ADDR[/LEN]`, or `Error: any valid prefix ...` (exit 1).
pub fn prefix(s: &str) -> Result<(IpAddr, Option<u8>), Failure> {
    let (a, l) = match s.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (s, None),
    };
    let ip: IpAddr = a.parse().map_err(|_| Failure::prefix(s))?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let len = match l {
        Some(l) => Some(
            l.parse::<u8>()
                .ok()
                .filter(|n| *n <= max)
                .ok_or_else(|| Failure::prefix(s))?,
        ),
        None => None,
    };
    Ok((ip, len))
}

/// A scope name or number (`rt_scopes`).
pub fn scope(s: &str) -> Result<u8, Failure> {
    Ok(match s {
        "global" | "universe" => 0,
        "site" => 200,
        "link" => 253,
        "host" => 254,
        "nowhere" => 255,
        _ => int(s)
            .and_then(|v| u8::try_from(v).ok())
            .ok_or_else(|| Failure::invarg("invalid scope value.", s))?,
    })
}

/// ip's IFA_F_* words.
fn flag_word(w: &str) -> Option<u32> {
    Some(match w {
        "home" => 0x10,
        "nodad" => 0x02,
        "optimistic" => 0x04,
        "mngtmpaddr" => 0x100,
        "noprefixroute" => 0x200,
        "autojoin" => 0x400,
        _ => return None,
    })
}

/// A lifetime: seconds or `forever`.
fn lifetime(key: &str, s: &str) -> Result<u32, Failure> {
    if s == "forever" {
        return Ok(u32::MAX);
    }
    int(s)
        .and_then(|v| u32::try_from(v).ok())
        .ok_or_else(|| Failure::invarg(&format!("invalid {key} value"), s))
}

/// Parses `addr COMMAND ...`.
pub fn parse(
    cmd: &'static str,
    family: u8,
    w: &mut Words<'_>,
    names: &mut dyn Names,
) -> Result<Call, Failure> {
    match cmd {
        "help" => return Ok(Call::Usage(super::help::ADDR)),
        "flush" => return flush_args(family, w, names),
        _ => {}
    }
    let api_cmd = match cmd {
        "add" => "add",
        "change" => "change",
        "replace" => "replace",
        _ => "del",
    };
    let mut local: Option<(IpAddr, Option<u8>, String)> = None;
    let mut peer: Option<(IpAddr, Option<u8>)> = None;
    let mut dev: Option<&str> = None;
    let mut brd: Option<&str> = None;
    let mut label: Option<&str> = None;
    let mut scope_v: Option<u8> = None;
    let mut metric: Option<Value> = None;
    let mut proto: Option<Value> = None;
    let mut valid: Option<u32> = None;
    let mut preferred: Option<u32> = None;
    let mut flags = 0u32;
    while let Some(word) = w.next() {
        match word {
            "peer" | "remote" => {
                let s = w.arg()?;
                if peer.is_some() {
                    return Err(Failure::duparg("peer", s));
                }
                let (ip, l) = prefix(s)?;
                peer = Some((ip, l));
            }
            _ if matches(word, "broadcast") || word == "brd" => {
                let s = w.arg()?;
                if brd.is_some() {
                    return Err(Failure::duparg("broadcast", s));
                }
                brd = Some(s);
            }
            "label" => label = Some(w.arg()?),
            _ if matches(word, "scope") => scope_v = Some(scope(w.arg()?)?),
            "dev" => {
                let s = w.arg()?;
                if dev.is_some() {
                    return Err(Failure::duparg("dev", s));
                }
                dev = Some(s);
            }
            "valid_lft" => valid = Some(lifetime("valid_lft", w.arg()?)?),
            "preferred_lft" => preferred = Some(lifetime("preferred_lft", w.arg()?)?),
            "metric" | "priority" | "preference" => {
                let s = w.arg()?;
                metric = Some(super::uint(
                    s,
                    u32::MAX as u64,
                    "\"metric\" value is invalid\n",
                )?);
            }
            "proto" => {
                let s = w.arg()?;
                proto = Some(super::uint(s, 255, "\"proto\" value is invalid\n")?);
            }
            _ if flag_word(word).is_some() => flags |= flag_word(word).unwrap_or(0),
            _ => {
                if matches(word, "help") {
                    return Ok(Call::Usage(super::help::ADDR));
                }
                let s = if word == "local" { w.arg()? } else { word };
                if local.is_some() {
                    return Err(Failure::duparg("local", s));
                }
                let (ip, l) = prefix(s)?;
                local = Some((ip, l, s.to_string()));
            }
        }
    }
    let Some(dev) = dev else {
        return Err(Failure::arg(
            "Not enough information: \"dev\" argument is required.",
        ));
    };
    let Some((lip, llen, _)) = local else {
        // ip sends a request without an address and lets the kernel refuse it.
        let idx = names.need(dev)?;
        return Ok(Call::Addr(
            api_cmd,
            Args::new()
                .with("index", Value::Int(idx as i128))
                .with("family", Value::Int(2)),
        ));
    };
    let idx = names.need(dev)?;
    let plen = match (peer, llen) {
        (Some((_, Some(l))), _) => l,
        (_, Some(l)) => l,
        _ => {
            if lip.is_ipv4() {
                32
            } else {
                128
            }
        }
    };
    let mut a = Args::new()
        .with("index", Value::Int(idx as i128))
        .with("local", Value::Ip(lip))
        .with("prefixlen", Value::Int(plen as i128))
        .with("address", Value::Ip(peer.map(|(ip, _)| ip).unwrap_or(lip)));
    if let Some(b) = brd {
        a = a.with("broadcast", broadcast(b, lip, plen)?);
    }
    if let Some(l) = label {
        a = a.with("label", Value::from(l));
    }
    let scope_v = match scope_v {
        Some(s) => Some(s),
        None if api_cmd != "del" && is_loopback(&lip) => Some(254),
        None => None,
    };
    if let Some(s) = scope_v {
        a = a.with("scope", Value::Int(s as i128));
    }
    a = lifetimes_and_flags(a, valid, preferred, flags)?;
    if let Some(m) = metric {
        a = a.with("rt_priority", m);
    }
    if let Some(p) = proto {
        a = a.with("proto", p);
    }
    Ok(Call::Addr(api_cmd, a))
}

/// `valid_lft`/`preferred_lft` (IFA_CACHEINFO) and the IFA_F_* words.
fn lifetimes_and_flags(
    mut a: Args,
    valid: Option<u32>,
    preferred: Option<u32>,
    flags: u32,
) -> Result<Args, Failure> {
    if valid.is_some() || preferred.is_some() {
        let v = valid.unwrap_or(u32::MAX);
        let p = preferred.unwrap_or(v);
        if p > v {
            return Err(Failure::arg("preferred_lft is greater than valid_lft"));
        }
        a = a.with(
            "cacheinfo",
            Value::map([
                ("prefered", Value::Int(p as i128)),
                ("valid", Value::Int(v as i128)),
                ("cstamp", Value::Int(0)),
                ("tstamp", Value::Int(0)),
            ]),
        );
    }
    if flags != 0 {
        a = a.with("flags", Value::Int(flags as i128));
    }
    Ok(a)
}

fn is_loopback(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v) => v.octets()[0] == 127,
        IpAddr::V6(v) => v.is_loopback(),
    }
}

/// `broadcast ADDR|+|-`.
fn broadcast(s: &str, local: IpAddr, plen: u8) -> Result<Value, Failure> {
    let IpAddr::V4(l) = local else {
        return Err(Failure::arg("Broadcast can be set only for IPv4 addresses"));
    };
    match s {
        "+" | "-" => {
            let host = if plen >= 31 { 0 } else { u32::MAX >> plen };
            let b = if s == "+" {
                u32::from(l) | host
            } else {
                u32::from(l) & !host
            };
            Ok(Value::Ip(IpAddr::V4(b.into())))
        }
        _ => s
            .parse::<IpAddr>()
            .map(Value::Ip)
            .map_err(|_| Failure::address(s)),
    }
}

/// `addr flush dev NAME [scope S] [to ADDR]`.
fn flush_args(family: u8, w: &mut Words<'_>, names: &mut dyn Names) -> Result<Call, Failure> {
    let mut sel = FlushSel {
        family,
        ..Default::default()
    };
    if w.peek().is_none() {
        return Err(Failure::arg("Flush requires arguments."));
    }
    while let Some(word) = w.next() {
        match word {
            "dev" => sel.dev = Some(names.need(w.arg()?)?),
            "scope" => sel.scope = Some(scope(w.arg()?)?),
            "to" => sel.to = Some(prefix(w.arg()?)?.0),
            other if sel.dev.is_none() => sel.dev = Some(names.need(other)?),
            other => return Err(Failure::duparg("dev", other)),
        }
    }
    Ok(Call::AddrFlush(sel))
}

/// Deletes every address `sel` matches (an address already gone with its primary is not an
/// error).
pub fn flush(ipr: &mut IPRoute, sel: &FlushSel) -> Result<(), Failure> {
    let mut f = AddrFilter::new().family(sel.family);
    if let Some(d) = sel.dev {
        f = f.index(d);
    }
    let mut victims = Vec::new();
    ipr.get_addr(f)
        .and_then(|d| {
            d.for_each(|m| {
                let h = m.header();
                if sel.dev.is_some_and(|d| d != h.index()) {
                    return Ok(());
                }
                if sel.scope.is_some_and(|s| s != u8::from(h.scope())) {
                    return Ok(());
                }
                let local = m.local()?.or(m.address()?);
                if sel.to.is_some() && sel.to != local {
                    return Ok(());
                }
                let Some(local) = local else { return Ok(()) };
                let mut a = Args::new()
                    .with("index", Value::Int(h.index() as i128))
                    .with("local", Value::Ip(local))
                    .with("prefixlen", Value::Int(h.prefixlen() as i128));
                if let Some(p) = m.address()? {
                    a = a.with("address", Value::Ip(p));
                }
                victims.push(a);
                Ok(())
            })
        })
        .map_err(|e| Failure::from_error(&e))?;
    for a in victims {
        match ipr.addr("del", a).map(drop) {
            Ok(()) => {}
            Err(rtnl_core::Error::Kernel(k)) if k.errno == 99 || k.errno == 2 => {}
            Err(e) => return Err(Failure::from_error(&e)),
        }
    }
    Ok(())
}
