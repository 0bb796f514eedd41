//! `route get|save|restore`: iproute2's ip/iproute.c `iproute_get` words into
//! `IPRoute::route("get")` keywords (the answer is printed by show/route.rs), and `save` /
//! `restore` in ip's binary format through `route_dumps` / `route_loads`.

use std::io::{IsTerminal, Read, Write};
use std::net::IpAddr;

use rtnl_api::{Args, IPRoute, RouteFilter, Value};

use super::route::{proto, table};
use super::{Call, Failure, Names, Words, int, matches};

/// `route save`'s selectors.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SaveSel {
    /// `-4`/`-6` (IPv4 unless `-6` or `table all`, as ip; 0: both).
    pub family: u8,
    /// `table T` (0: every table; none: main).
    pub table: Option<u32>,
    /// `dev NAME` / `oif NAME`, as its index.
    pub oif: Option<u32>,
    /// `proto P`.
    pub protocol: Option<u8>,
}

/// The family name ip's `get_prefix`/`get_addr` errors use.
fn family_name(f: u8) -> &'static str {
    match f {
        2 => "inet",
        10 => "inet6",
        _ => "any valid",
    }
}

/// ip's `get_prefix(ADDR, family)` for `route get`: the address and its length.
fn prefix_of(s: &str, family: u8) -> Result<(IpAddr, u8), Failure> {
    let bad = || Failure {
        exits: true,
        ..Failure::arg(format!(
            "Error: {} prefix is expected rather than \"{s}\".",
            family_name(family)
        ))
    };
    let (ip, len) = super::addr::prefix(s).map_err(|_| bad())?;
    let ok = match family {
        2 => ip.is_ipv4(),
        10 => ip.is_ipv6(),
        _ => true,
    };
    if !ok {
        return Err(bad());
    }
    Ok((ip, len.unwrap_or(if ip.is_ipv4() { 32 } else { 128 })))
}

/// Parses `route get|save|restore ...`.
pub fn parse(
    cmd: &'static str,
    family: u8,
    w: &mut Words<'_>,
    names: &mut dyn Names,
) -> Result<Call, Failure> {
    match cmd {
        "save" => save_sel(family, w, names),
        "restore" => Ok(Call::RouteRestore),
        _ => get(family, w, names),
    }
}

/// A number for `key`, or ip's `invarg(why)`.
fn num(s: &str, max: u64, why: &str) -> Result<Value, Failure> {
    super::uint(s, max, why)
}

/// `get [to] ADDR [from ADDR] [iif DEV] [oif DEV] [mark N] [uid N] [fibmatch] ...`.
fn get(mut family: u8, w: &mut Words<'_>, names: &mut dyn Names) -> Result<Call, Failure> {
    let mut a = Args::new();
    let mut idev: Option<&str> = None;
    let mut odev: Option<&str> = None;
    let mut mark: Option<Value> = None;
    let mut dst = false;
    while let Some(word) = w.next() {
        match word {
            "tos" => a = a.with("tos", num(w.arg()?, 255, "TOS value is invalid\n")?),
            _ if matches(word, "dsfield") => {
                a = a.with("tos", num(w.arg()?, 255, "TOS value is invalid\n")?)
            }
            _ if matches(word, "from") => {
                let v = w.arg()?;
                if matches(v, "help") {
                    return Ok(Call::Usage(super::help::ROUTE));
                }
                let (ip, len) = prefix_of(v, family)?;
                family = if ip.is_ipv4() { 2 } else { 10 };
                a = a
                    .with("src", Value::Ip(ip))
                    .with("src_len", Value::Int(len as i128));
            }
            _ if matches(word, "iif") => idev = Some(w.arg()?),
            _ if matches(word, "mark") => {
                mark = Some(num(w.arg()?, u32::MAX as u64, "invalid mark value")?)
            }
            "dev" => odev = Some(w.arg()?),
            _ if matches(word, "oif") => odev = Some(w.arg()?),
            _ if matches(word, "notify") => a = a.with("flags", Value::Int(0x100)),
            _ if matches(word, "connected") => {}
            _ if matches(word, "uid") => {
                a = a.with("uid", num(w.arg()?, u32::MAX as u64, "invalid UID")?)
            }
            _ if matches(word, "fibmatch") => a = a.with("fibmatch", Value::Bool(true)),
            _ if matches(word, "sport") => {
                a = a.with("sport", num(w.arg()?, 0xffff, "invalid sport\n")?)
            }
            _ if matches(word, "dport") => {
                a = a.with("dport", num(w.arg()?, 0xffff, "invalid dport\n")?)
            }
            _ if matches(word, "ipproto") => {
                let s = w.arg()?;
                let p = match s {
                    "tcp" => 6,
                    "udp" => 17,
                    "icmp" => 1,
                    "ipv6-icmp" | "icmpv6" => 58,
                    _ => int(s)
                        .filter(|v| (0..=255).contains(v))
                        .ok_or_else(|| Failure::invarg("Invalid \"ipproto\" value\n", s))?,
                };
                a = a.with("ipproto", Value::Int(p));
            }
            _ => {
                let v = if word == "to" { w.arg()? } else { word };
                if matches(v, "help") {
                    return Ok(Call::Usage(super::help::ROUTE));
                }
                let (ip, len) = prefix_of(v, family)?;
                family = if ip.is_ipv4() { 2 } else { 10 };
                let full = if ip.is_ipv4() { 32 } else { 128 };
                if len != full {
                    eprintln!(
                        "Warning: /{len} as prefix is invalid, only /{full} (or none) is supported."
                    );
                }
                a = a.with("dst", Value::Ip(ip));
                dst = true;
            }
        }
    }
    if !dst {
        return Err(Failure::arg("need at least a destination address"));
    }
    if let Some(d) = idev {
        a = a.with("iif", Value::Int(names.need(d)? as i128));
    }
    if let Some(d) = odev {
        a = a.with("oif", Value::Int(names.need(d)? as i128));
    }
    if let Some(m) = mark.filter(|m| *m != Value::Int(0)) {
        a = a.with("mark", m);
    }
    let family = if family == 0 { 2 } else { family };
    let mut out = Args::new()
        .with("family", Value::Int(family as i128))
        .with("lookup_table", Value::Bool(family == 2));
    for (k, v) in a.iter() {
        out = out.with(k, v.clone());
    }
    Ok(Call::RouteGet(out))
}

/// `save [table T] [dev D] [proto P]`.
fn save_sel(family: u8, w: &mut Words<'_>, names: &mut dyn Names) -> Result<Call, Failure> {
    let mut sel = SaveSel {
        family: if family == 0 { 2 } else { family },
        ..Default::default()
    };
    while let Some(word) = w.next() {
        match word {
            _ if matches(word, "table") => {
                let t = w.arg()?;
                sel.table = Some(if t == "all" { 0 } else { table(t)? });
            }
            "dev" | "oif" => sel.oif = Some(names.need(w.arg()?)?),
            _ if matches(word, "protocol") => sel.protocol = Some(proto(w.arg()?)?),
            _ => {
                // ip reads any other word as a `to` prefix; rtnl saves whole tables only.
                let v = if word == "to" { w.arg()? } else { word };
                super::addr::prefix(v)?;
                return Err(Failure::arg(format!(
                    "rtnl route save: selecting by prefix (\"{v}\") is not supported"
                )));
            }
        }
    }
    // `table all` without -4/-6 saves both families, as ip; else IPv4 unless -6.
    if family == 0 && sel.table == Some(0) {
        sel.family = 0;
    }
    Ok(Call::RouteSave(sel))
}

/// `route save`: the routes in ip's binary format on stdout (never on a terminal, as ip).
pub fn save(ipr: &mut IPRoute, sel: &SaveSel) -> Result<(), Failure> {
    if std::io::stdout().is_terminal() {
        return Err(Failure::arg("Not sending a binary stream to stdout"));
    }
    let mut f = RouteFilter::new().family(sel.family);
    f.table = sel.table;
    f.oif = sel.oif;
    f.protocol = sel.protocol;
    let bytes = ipr.route_dumps(f).map_err(|e| Failure::from_error(&e))?;
    let mut out = std::io::stdout().lock();
    out.write_all(&bytes)
        .and_then(|()| out.flush())
        .map_err(|e| Failure::arg(format!("Cannot write route dump: {e}")))
}

/// `route restore`: the routes `route save` wrote, read from stdin.
pub fn restore(ipr: &mut IPRoute) -> Result<(), Failure> {
    if std::io::stdin().is_terminal() {
        return Err(Failure::arg("Can't restore route dump from a terminal"));
    }
    let mut data = Vec::new();
    std::io::stdin()
        .read_to_end(&mut data)
        .map_err(|e| Failure::arg(format!("Cannot read route dump: {e}")))?;
    // ip's check and words: the 4-byte magic first.
    let magic = data
        .get(..4)
        .map_or(0, |m| u32::from_ne_bytes([m[0], m[1], m[2], m[3]]));
    if magic != rtnl_api::ROUTE_DUMP_MAGIC {
        let elems = usize::from(data.len() >= 4);
        return Err(Failure::arg(format!(
            "Magic mismatch ({elems} elems, {magic:x} magic)"
        )));
    }
    ipr.route_loads(&data)
        .map(drop)
        .map_err(|e| Failure::from_error(&e))
}
