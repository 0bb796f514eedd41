//! `neigh add|delete|change|replace|flush|get`: iproute2's ip/ipneigh.c words into
//! `IPRoute::neigh` keywords. `flush` dumps the entries and deletes those the selectors match
//! (never PERMANENT or NOARP ones unless `nud` names them, as ip); `get` is parsed here and
//! printed by the show side (main.rs).

use std::net::IpAddr;

use rtnl_api::{Args, IPRoute, Value};

use super::addr::prefix;
use super::lladdr;
use super::route::proto;
use super::{Call, Failure, Names, Words, int, matches};

/// `neigh flush`'s selectors.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlushSel {
    /// `dev NAME`, as its index.
    pub dev: Option<u32>,
    /// The NUD_* states flushed (0x100: entries with no state).
    pub state: u32,
    /// `-4`/`-6` or the prefix's family (0: every family).
    pub family: u8,
    /// `to PREFIX`.
    pub to: Option<(IpAddr, u8)>,
}

/// ip's `nud_state_a2n`: a state name (some by prefix, as ip) or a single-bit number.
pub fn nud(s: &str) -> Option<u32> {
    Some(match s {
        _ if matches(s, "permanent") => 0x80,
        _ if matches(s, "reachable") => 0x02,
        "noarp" => 0x40,
        "none" => 0,
        "stale" => 0x04,
        "incomplete" => 0x01,
        "delay" => 0x08,
        "probe" => 0x10,
        _ if matches(s, "failed") => 0x20,
        _ => {
            let v = u32::try_from(int(s)?).ok()?;
            if v >= 0x100 || v & v.wrapping_sub(1) != 0 {
                return None;
            }
            v
        }
    })
}

/// ip's `get_addr(ADDR, family)`: a host address of `family` (0: any).
fn address(s: &str, family: u8) -> Result<IpAddr, Failure> {
    let ip: IpAddr = s.parse().map_err(|_| match family {
        2 => addr_family_error("inet", s),
        10 => addr_family_error("inet6", s),
        _ => Failure::address(s),
    })?;
    match (family, ip) {
        (2, IpAddr::V6(_)) => Err(addr_family_error("inet", s)),
        (10, IpAddr::V4(_)) => Err(addr_family_error("inet6", s)),
        _ => Ok(ip),
    }
}

/// `Error: inet6 address is expected rather than "X".` (exit 1).
fn addr_family_error(f: &str, s: &str) -> Failure {
    Failure {
        exits: true,
        ..Failure::arg(format!(
            "Error: {f} address is expected rather than \"{s}\"."
        ))
    }
}

/// Parses `neigh COMMAND ...`.
pub fn parse(
    cmd: &'static str,
    family: u8,
    w: &mut Words<'_>,
    names: &mut dyn Names,
) -> Result<Call, Failure> {
    match cmd {
        "help" => Ok(Call::Usage(super::help::NEIGH)),
        "flush" => flush_sel(family, w, names),
        "get" => get(family, w, names),
        _ => modify(cmd, family, w, names),
    }
}

/// `add|change|replace|delete ADDR [lladdr L] [nud S] [proxy ADDR] [dev D] ...`.
fn modify(
    cmd: &'static str,
    family: u8,
    w: &mut Words<'_>,
    names: &mut dyn Names,
) -> Result<Call, Failure> {
    let mut state: Option<u32> = None;
    let mut flags: u32 = 0;
    let mut ext: u32 = 0;
    let mut lla: Option<&str> = None;
    let mut dev: Option<&str> = None;
    let mut dst: Option<&str> = None;
    let mut protocol: Option<u8> = None;
    while let Some(word) = w.next() {
        match word {
            _ if matches(word, "lladdr") => {
                let v = w.arg()?;
                if lla.is_some() {
                    return Err(Failure::fatal(format!(
                        "Error: duplicate \"lladdr\": \"{v}\" is the second value."
                    )));
                }
                lla = Some(v);
            }
            "nud" => {
                let v = w.arg()?;
                state = Some(nud(v).ok_or_else(|| Failure::invarg("nud state is bad", v))?);
            }
            _ if matches(word, "proxy") => {
                let v = w.arg()?;
                if matches(v, "help") {
                    return Ok(Call::Usage(super::help::NEIGH));
                }
                if dst.is_some() {
                    return Err(Failure::fatal(format!(
                        "Error: duplicate \"address\": \"{v}\" is the second value."
                    )));
                }
                address(v, family)?;
                dst = Some(v);
                dev.get_or_insert("");
                flags |= 0x08;
            }
            "router" => flags |= 0x80,
            _ if matches(word, "extern_learn") => flags |= 0x10,
            "dev" => dev = Some(w.arg()?),
            _ if matches(word, "protocol") => {
                protocol = Some(proto(w.arg()?)?);
            }
            _ if matches(word, "managed") => ext |= 1,
            "use" => flags |= 0x01,
            _ => {
                let mut v = word;
                if v == "to" {
                    v = w.arg()?;
                }
                if matches(v, "help") {
                    v = w.arg()?;
                }
                if dst.is_some() {
                    return Err(Failure::duparg("to", v));
                }
                address(v, family)?;
                dst = Some(v);
            }
        }
    }
    let (Some(d), Some(dst)) = (dev, dst) else {
        return Err(Failure::fatal(
            "Device and destination are required arguments.",
        ));
    };
    let ip = address(dst, family)?;
    // ip leaves a managed entry's state to the kernel (NUD_NONE), else PERMANENT.
    let state = state.unwrap_or(if ext & 1 != 0 { 0 } else { 0x80 });
    let mut a = Args::new()
        .with("family", Value::Int(if ip.is_ipv4() { 2 } else { 10 }))
        .with("state", Value::Int(state as i128))
        .with("flags", Value::Int(flags as i128))
        .with("dst", Value::Ip(ip));
    if let Some(p) = protocol {
        a = a.with("protocol", Value::Int(p as i128));
    }
    if ext != 0 {
        a = a.with("flags_ext", Value::Int(ext as i128));
    }
    match lla {
        // ip sends no NDA_LLADDR for `null`.
        Some("null") => {}
        Some(l) => a = a.with("lladdr", lladdr(l)?),
        None => {}
    }
    if !d.is_empty() {
        a = a.with("ifindex", Value::Int(names.need(d)? as i128));
    }
    let api = match cmd {
        "add" => "add",
        "change" => "change",
        "replace" => "replace",
        _ => "del",
    };
    Ok(Call::Neigh(api, a))
}

/// `get ADDR dev DEV` / `get proxy ADDR dev DEV`.
fn get(family: u8, w: &mut Words<'_>, names: &mut dyn Names) -> Result<Call, Failure> {
    let mut dev: Option<&str> = None;
    let mut dst: Option<IpAddr> = None;
    let mut flags = 0;
    while let Some(word) = w.next() {
        let v = match word {
            "dev" => {
                dev = Some(w.arg()?);
                continue;
            }
            _ if matches(word, "proxy") => {
                let v = w.arg()?;
                if dst.is_some() {
                    return Err(Failure::fatal(format!(
                        "Error: duplicate \"address\": \"{v}\" is the second value."
                    )));
                }
                flags = 0x08;
                v
            }
            "to" => w.arg()?,
            _ => word,
        };
        if matches(v, "help") {
            return Ok(Call::Usage(super::help::NEIGH));
        }
        if dst.is_some() && word != "proxy" {
            return Err(Failure::duparg("to", v));
        }
        dst = Some(address(v, family)?);
    }
    let (Some(d), Some(ip)) = (dev, dst) else {
        return Err(Failure::arg("Device and address are required arguments."));
    };
    let a = Args::new()
        .with("family", Value::Int(if ip.is_ipv4() { 2 } else { 10 }))
        .with("flags", Value::Int(flags))
        .with("dst", Value::Ip(ip))
        .with("ifindex", Value::Int(names.need(d)? as i128));
    Ok(Call::NeighGet(a))
}

/// `flush [dev D] [nud S] [proxy] [unused] [to] PREFIX`.
fn flush_sel(family: u8, w: &mut Words<'_>, names: &mut dyn Names) -> Result<Call, Failure> {
    if w.peek().is_none() {
        return Err(Failure::arg("Flush requires arguments."));
    }
    let mut sel = FlushSel {
        state: !(0x80 | 0x40),
        family,
        ..Default::default()
    };
    let mut dev: Option<&str> = None;
    let mut given = false;
    while let Some(word) = w.next() {
        match word {
            "dev" => {
                let v = w.arg()?;
                if dev.is_some() {
                    return Err(Failure::fatal(format!(
                        "Error: duplicate \"dev\": \"{v}\" is the second value."
                    )));
                }
                dev = Some(v);
            }
            "unused" | "proxy" => {}
            "nud" => {
                let v = w.arg()?;
                if !given {
                    given = true;
                    sel.state = 0;
                }
                let mut s = match nud(v) {
                    Some(s) => s,
                    None if v == "all" => !0x40,
                    None => return Err(Failure::invarg("nud state is bad", v)),
                };
                if s == 0 {
                    s = 0x100;
                }
                sel.state |= s;
            }
            _ => {
                let v = if word == "to" { w.arg()? } else { word };
                if matches(v, "help") {
                    return Ok(Call::Usage(super::help::NEIGH));
                }
                let (ip, len) = prefix(v)?;
                let l = len.unwrap_or(if ip.is_ipv4() { 32 } else { 128 });
                if sel.family == 0 {
                    sel.family = if ip.is_ipv4() { 2 } else { 10 };
                }
                sel.to = Some((ip, l));
            }
        }
    }
    if let Some(d) = dev {
        sel.dev = Some(names.need(d)?);
    }
    sel.state &= !0x20;
    Ok(Call::NeighFlush(sel))
}

/// True when `ip` is inside `net/len`.
fn inside(ip: IpAddr, net: IpAddr, len: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let m = u32::MAX.checked_shl(32 - len as u32).unwrap_or(0);
            u32::from(a) & m == u32::from(n) & m
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let m = u128::MAX.checked_shl(128 - len as u32).unwrap_or(0);
            u128::from(a) & m == u128::from(n) & m
        }
        _ => false,
    }
}

/// Deletes every entry the selectors match (one dump, then a delete each); proxy and
/// extern_learn entries match whatever their state, as in ip.
pub fn flush(ipr: &mut IPRoute, sel: &FlushSel) -> Result<(), Failure> {
    let mut doomed: Vec<(u8, i32, IpAddr)> = Vec::new();
    let mut kw = Args::new();
    if sel.family != 0 {
        kw = kw.with("family", Value::Int(sel.family as i128));
    }
    ipr.neigh("dump", kw)
        .and_then(|d| {
            d.for_each(|n| {
                let h = n.header();
                let state = u16::from(h.state()) as u32;
                let family = u8::from(h.family());
                let Some(dst) = n.dst()? else {
                    return Ok(());
                };
                let keep = sel.dev.is_some_and(|d| d as i32 != h.ifindex())
                    || (sel.family != 0 && sel.family != family)
                    || (state & sel.state == 0
                        && u8::from(h.flags()) & (0x08 | 0x10) == 0
                        && (state != 0 || sel.state & 0x100 == 0))
                    || sel.to.is_some_and(|(net, len)| !inside(dst, net, len));
                if !keep {
                    doomed.push((family, h.ifindex(), dst));
                }
                Ok(())
            })
        })
        .map_err(|e| Failure::from_error(&e))?;
    for (family, ifindex, dst) in doomed {
        let a = Args::new()
            .with("family", Value::Int(family as i128))
            .with("ifindex", Value::Int(ifindex as i128))
            .with("state", Value::Int(0))
            .with("dst", Value::Ip(dst));
        match ipr.neigh("del", a).map(drop) {
            Ok(()) => {}
            Err(rtnl_core::Error::Kernel(k)) if k.errno == 2 => {}
            Err(e) => return Err(Failure::from_error(&e)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nud_words_as_ip() {
        assert_eq!(nud("perm"), Some(0x80));
        assert_eq!(nud("reach"), Some(0x02));
        assert_eq!(nud("noarp"), Some(0x40));
        assert_eq!(nud("noa"), None); // strcmp, not a prefix
        assert_eq!(nud("0x4"), Some(0x04));
        assert_eq!(nud("3"), None); // not a single bit
        assert_eq!(nud("0x100"), None);
    }

    #[test]
    fn prefixes_contain() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert!(inside(ip("10.0.0.11"), ip("10.0.0.10"), 31));
        assert!(!inside(ip("10.0.0.12"), ip("10.0.0.10"), 31));
        assert!(inside(ip("2001:db8::1"), ip("2001:db8::"), 32));
        assert!(!inside(ip("10.0.0.1"), ip("2001:db8::"), 0));
    }
}
