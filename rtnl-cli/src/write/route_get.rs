//! `route get|save|restore`: iproute2's ip/iproute.c `iproute_get` words into
//! `IPRoute::route("get")` keywords (the answer is printed by show/route.rs), and `save` /
//! `restore` in ip's binary format through `route_dumps` / `route_loads`.

use std::io::{IsTerminal, Read, Write};
use std::net::IpAddr;

use rtnl_api::generated::RouteMsg;
use rtnl_api::{Args, IPRoute, RouteFilter, Value};

use super::route::{proto, rtntype};
use super::table;
use super::{Call, Failure, Names, Words, int, matches};

/// `route save`'s selectors (ip's `iproute_list_flush_or_save` words, `filter_nlmsg`'s tests).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SaveSel {
    /// `-4`/`-6` (IPv4 unless `-6` or `table all`, as ip; 0: both).
    pub family: u8,
    /// `table T` (0: every table; none: main).
    pub table: Option<u32>,
    /// `dev NAME` / `oif NAME`, as its index.
    pub oif: Option<u32>,
    /// `iif NAME`, as its index.
    pub iif: Option<u32>,
    /// `proto P` (`all`: none).
    pub protocol: Option<u8>,
    /// `scope S` (`all`: none).
    pub scope: Option<u8>,
    /// `type T`.
    pub rtype: Option<u8>,
    /// `metric N`.
    pub metric: Option<u32>,
    /// `tos T`.
    pub tos: Option<u8>,
    /// `[to] [root|match|exact] PREFIX`.
    pub to: Option<PrefixSel>,
    /// `from [root|match|exact] PREFIX`.
    pub from: Option<PrefixSel>,
    /// `via ADDR[/LEN]`.
    pub via: Option<PrefixSel>,
    /// `src ADDR[/LEN]`.
    pub prefsrc: Option<PrefixSel>,
}

/// A prefix selector as ip's `filter.rdst`/`filter.mdst` pair holds it: `root` keeps the
/// routes inside the prefix (their length at least its), `match` those containing it (at most
/// its length); both (`exact`, or none given): that prefix only.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrefixSel {
    /// The address (none for `default`/`any`/`all`, which matches either family).
    pub addr: Option<IpAddr>,
    /// Its length (32 or 128 when the word gave none).
    pub len: u8,
    /// Routes inside the prefix.
    pub root: bool,
    /// Routes containing the prefix.
    pub contains: bool,
}

impl PrefixSel {
    /// Whether a route's `family` and `addr/len` (the address's leading bytes, zero-padded)
    /// pass, as `filter_nlmsg` tests it.
    pub fn matches(&self, family: u8, addr: &[u8], len: u8) -> bool {
        if !self.family_is(family)
            || (self.root && self.len > len)
            || (self.contains && self.len < len)
        {
            return false;
        }
        let bits = if self.root { self.len } else { len };
        prefix_equal(addr, &octets(self.addr), bits)
    }

    /// Whether a one-address value (gateway, prefsrc; empty when absent) is inside.
    fn holds(&self, family: u8, addr: &[u8]) -> bool {
        self.family_is(family) && prefix_equal(addr, &octets(self.addr), self.len)
    }

    /// Whether a route of `family` can match (`default` matches either).
    fn family_is(&self, family: u8) -> bool {
        match self.addr {
            Some(IpAddr::V4(_)) => family == 2,
            Some(IpAddr::V6(_)) => family == 10,
            None => true,
        }
    }
}

/// An address's bytes (none when absent: they compare as zeros).
fn octets(a: Option<IpAddr>) -> Vec<u8> {
    match a {
        Some(IpAddr::V4(a)) => a.octets().to_vec(),
        Some(IpAddr::V6(a)) => a.octets().to_vec(),
        None => Vec::new(),
    }
}

/// Whether the first `bits` bits of `a` and `b` agree (missing bytes count as zeros).
fn prefix_equal(a: &[u8], b: &[u8], bits: u8) -> bool {
    let byte = |s: &[u8], i: usize| s.get(i).copied().unwrap_or(0);
    let full = usize::from(bits / 8);
    if (0..full).any(|i| byte(a, i) != byte(b, i)) {
        return false;
    }
    let rest = bits % 8;
    rest == 0 || (byte(a, full) ^ byte(b, full)) & (0xffu8 << (8 - rest)) == 0
}

/// ip's `get_prefix` for a selector: `default`/`any`/`all` or ADDR[/LEN].
fn prefix_sel(s: &str, family: u8, root: bool, contains: bool) -> Result<PrefixSel, Failure> {
    if matches!(s, "default" | "any" | "all") {
        return Ok(PrefixSel {
            addr: None,
            len: 0,
            root,
            contains,
        });
    }
    let (ip, len) = prefix_of(s, family)?;
    Ok(PrefixSel {
        addr: Some(ip),
        len,
        root,
        contains,
    })
}

/// `[root|match|exact] PREFIX` after `to` or `from`.
fn prefix_words(w: &mut Words<'_>, first: &str, family: u8) -> Result<PrefixSel, Failure> {
    if matches(first, "root") {
        prefix_sel(w.arg()?, family, true, false)
    } else if matches(first, "match") {
        prefix_sel(w.arg()?, family, false, true)
    } else if matches(first, "exact") {
        prefix_sel(w.arg()?, family, true, true)
    } else {
        prefix_sel(first, family, true, true)
    }
}

/// The family name ip's `get_prefix`/`get_addr` errors use.
fn family_name(f: u8) -> &'static str {
    match f {
        2 => "inet",
        10 => "inet6",
        _ => "any valid",
    }
}

/// An IPv4 prefix in the forms ip's `get_addr_ipv4` also reads: fewer than four parts
/// (`10/8`, `0/0`: the rest zero), parts in hex or octal (`0x0a.1`).
fn short_v4_prefix(s: &str) -> Option<(IpAddr, Option<u8>)> {
    let (a, l) = match s.split_once('/') {
        Some((a, l)) => (a, Some(l.parse::<u8>().ok().filter(|l| *l <= 32)?)),
        None => (s, None),
    };
    let mut o = [0u8; 4];
    let parts: Vec<&str> = a.split('.').collect();
    if parts.len() > 4 {
        return None;
    }
    for (i, part) in parts.iter().enumerate() {
        o[i] = super::int(part)
            .filter(|_| !part.starts_with('-'))
            .and_then(|v| u8::try_from(v).ok())?;
    }
    Some((IpAddr::from(o), l))
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
    let (ip, len) = super::addr::prefix(s)
        .ok()
        .or_else(|| short_v4_prefix(s))
        .ok_or_else(bad)?;
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
        // ip writes the dump's magic before it reads the selectors: a refused selector
        // leaves those 4 bytes on stdout, and so here.
        "save" => save_sel(family, w, names).inspect_err(|_| {
            if !std::io::stdout().is_terminal() {
                let mut out = std::io::stdout().lock();
                let _ = out
                    .write_all(&rtnl_api::ROUTE_DUMP_MAGIC.to_ne_bytes())
                    .and_then(|()| out.flush());
            }
        }),
        "restore" => Ok(Call::RouteRestore),
        _ => get(family, w, names),
    }
}

/// A number for `key`, or ip's `invarg(why)`.
fn num(s: &str, max: u64, why: &str) -> Result<Value, Failure> {
    super::uint(s, max, why)
}

/// An unsigned number up to `max`, or ip's `invarg(why)`.
fn unum(s: &str, max: u64, why: &str) -> Result<u64, Failure> {
    match super::int(s) {
        Some(v) if v >= 0 && v <= max as i128 => Ok(v as u64),
        _ => Err(Failure::invarg(why, s)),
    }
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

/// `save [table T] [dev|oif D] [iif D] [proto P] [scope S] [type T] [metric N] [tos T]
/// [via ADDR] [src ADDR] [from [root|match|exact] PREFIX] [[to] [root|match|exact] PREFIX]`,
/// read as ip reads `route show`'s selectors.
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
            "iif" => sel.iif = Some(names.need(w.arg()?)?),
            _ if matches(word, "protocol") => {
                let v = w.arg()?;
                sel.protocol = match v {
                    "all" => None,
                    _ => Some(proto(v).map_err(|_| Failure::invarg("invalid \"protocol\"\n", v))?),
                };
            }
            _ if matches(word, "scope") => {
                let v = w.arg()?;
                sel.scope = match v {
                    "all" => None,
                    _ => Some(
                        super::addr::scope(v)
                            .map_err(|_| Failure::invarg("invalid \"scope\"\n", v))?,
                    ),
                };
            }
            _ if matches(word, "type") => {
                let v = w.arg()?;
                sel.rtype = Some(
                    rtntype(v).ok_or_else(|| Failure::invarg("node type value is invalid\n", v))?,
                );
            }
            _ if matches(word, "metric") || matches(word, "priority") || word == "preference" => {
                let why = "\"metric\" value is invalid\n";
                sel.metric = Some(unum(w.arg()?, u32::MAX as u64, why)? as u32);
            }
            _ if word == "tos" || matches(word, "dsfield") => {
                sel.tos = Some(unum(w.arg()?, 255, "TOS value is invalid\n")? as u8);
            }
            "via" => {
                // `via [inet|inet6] ADDR`.
                let mut v = w.arg()?;
                let mut fam = family;
                if let Some(&(_, f)) = [("inet", 2u8), ("inet6", 10)].iter().find(|(n, _)| *n == v)
                {
                    fam = f;
                    v = w.arg()?;
                }
                sel.via = Some(prefix_sel(v, fam, false, false)?);
            }
            "src" => sel.prefsrc = Some(prefix_sel(w.arg()?, family, false, false)?),
            _ if matches(word, "from") => {
                let first = w.arg()?;
                sel.from = Some(prefix_words(w, first, family)?);
            }
            _ => {
                let first = if matches(word, "to") { w.arg()? } else { word };
                sel.to = Some(prefix_words(w, first, family)?);
            }
        }
    }
    // `table all` without -4/-6 saves both families, as ip; else IPv4 unless -6.
    if family == 0 && sel.table == Some(0) {
        sel.family = 0;
    }
    Ok(Call::RouteSave(sel))
}

/// Whether a saved route passes the selectors the kernel does not apply (ip's
/// `filter_nlmsg`).
fn save_keeps(sel: &SaveSel, r: &RouteMsg<'_>) -> rtnl_core::Result<bool> {
    let h = r.header();
    let fam = u8::from(h.family());
    if sel.scope.is_some_and(|s| s != u8::from(h.scope()))
        || sel.rtype.is_some_and(|t| t != u8::from(h.type_()))
        || sel.tos.is_some_and(|t| t != h.tos())
        || sel.protocol.is_some_and(|p| p != u8::from(h.protocol()))
        || sel
            .metric
            .is_some_and(|m| m != r.priority().ok().flatten().unwrap_or(0))
        || sel
            .iif
            .is_some_and(|i| i != r.iif().ok().flatten().unwrap_or(0))
        || sel
            .oif
            .is_some_and(|i| i != r.oif().ok().flatten().unwrap_or(0))
    {
        return Ok(false);
    }
    if let Some(t) = sel.to
        && !t.matches(fam, &octets(r.dst()?), h.dst_len())
    {
        return Ok(false);
    }
    if let Some(f) = sel.from
        && !f.matches(fam, &octets(r.src()?), h.src_len())
    {
        return Ok(false);
    }
    if let Some(v) = sel.via
        && !v.holds(fam, &octets(r.gateway()?))
    {
        return Ok(false);
    }
    if let Some(s) = sel.prefsrc
        && !s.holds(fam, &octets(r.prefsrc()?))
    {
        return Ok(false);
    }
    Ok(true)
}

/// The messages of a saved dump (after its magic) that `keep` keeps.
fn filter_dump(
    bytes: Vec<u8>,
    keep: impl Fn(&RouteMsg<'_>) -> rtnl_core::Result<bool>,
) -> rtnl_core::Result<Vec<u8>> {
    let mut out = bytes.get(..4).unwrap_or_default().to_vec();
    let mut at = 4;
    while at + 16 <= bytes.len() {
        let len =
            u32::from_ne_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]) as usize;
        if len < 16 || at + len > bytes.len() {
            break;
        }
        let m = &bytes[at..at + len];
        if keep(&RouteMsg::parse(&m[16..])?)? {
            out.extend_from_slice(m);
        }
        at += (len + 3) & !3;
    }
    Ok(out)
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
    let bytes = ipr
        .route_dumps(f)
        .and_then(|b| filter_dump(b, |r| save_keeps(sel, r)))
        .map_err(|e| Failure::from_error(&e))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(s: &str, root: bool, contains: bool) -> PrefixSel {
        prefix_sel(s, 0, root, contains).unwrap()
    }

    #[test]
    fn prefix_selectors_match_as_ip() {
        let net = [10, 1, 0, 0];
        // exact: that prefix only.
        assert!(sel("10.1.0.0/24", true, true).matches(2, &net, 24));
        assert!(!sel("10.1.0.0/24", true, true).matches(2, &net, 16));
        assert!(!sel("10.1.0.0/24", true, true).matches(10, &net, 24));
        // root: inside it; match: containing it.
        assert!(sel("10/8", true, false).matches(2, &[10, 1, 0, 128], 25));
        assert!(!sel("10/8", true, false).matches(2, &[11, 1, 0, 0], 16));
        assert!(!sel("10.1/16", true, false).matches(2, &[10, 0, 0, 0], 8));
        assert!(sel("10.1.0.200", false, true).matches(2, &net, 24));
        assert!(sel("10.1.0.200", false, true).matches(2, &[], 0));
        assert!(!sel("10.1.0.200", false, true).matches(2, &[10, 1, 1, 0], 24));
        // default: length 0, either family.
        assert!(sel("default", true, true).matches(10, &[], 0));
        assert!(!sel("default", true, true).matches(2, &net, 24));
        // ip's short and hex forms; a bad word is ip's error.
        assert_eq!(
            sel("0x0a.1/16", true, true).addr,
            Some(IpAddr::from([10, 1, 0, 0]))
        );
        assert!(prefix_sel("bogus", 0, true, true).is_err());
        assert!(prefix_sel("10.0.0.1", 10, true, true).is_err());
    }
}
