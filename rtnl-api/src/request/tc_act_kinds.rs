//! The routines of action kinds whose keywords are not one value in one place (csum's list
//! of headers, nat's address/prefix, skbmod's flags from what is given, ct's mark/mask and
//! action flags): each returns where its values go, in tc's order, and
//! [`request::tc`](super::tc)'s encoder places them. Named by their `[[tc-plugin]]` entry's
//! `routine` (schema/tcmsg.toml, `# --- actions (tcact)`), which says why each needs code.

use std::net::Ipv4Addr;

use rtnl_core::ArgError;

use crate::args::{Args, Value, int_as, str_arg};

/// Where a value goes in the options tree (`attr` or `attr.field`).
pub(crate) type Placed = Vec<(&'static str, Value)>;

/// Runs routine `name` if it is one of these; None if not.
pub(crate) fn run(
    name: &str,
    a: &mut Args,
    tree: &[(String, Value)],
) -> Option<Result<Placed, ArgError>> {
    let given: Vec<&str> = tree.iter().map(|(k, _)| k.as_str()).collect();
    Some(match name {
        "pedit" => pedit(a, tree),
        "ife" => ife(a),
        "csum" => csum(a),
        "nat" => nat(a),
        "skbmod" => Ok(skbmod(&given)),
        "ct" => ct(a),
        _ => return None,
    })
}

/// The words of a keyword: a string of words or a list of strings.
fn words(k: &str, v: &Value) -> Result<Vec<String>, ArgError> {
    match v {
        Value::Str(s) => Ok(s.split_whitespace().map(str::to_string).collect()),
        Value::List(l) => l
            .iter()
            .map(|x| str_arg(k, x).map(str::to_string))
            .collect(),
        other => Err(ArgError::new(
            k,
            format!("words like \"ip4h tcp\", got {other:?}"),
        )),
    }
}

/// `csum`: `update` (tc's words: iph/ip4h/ipv4h, icmp, igmp, tcp, udp, udplite, sctp) into
/// tc_csum.update_flags.
fn csum(a: &mut Args) -> Result<Placed, ArgError> {
    let Some(v) = a.take("update") else {
        return Err(ArgError::new(
            "update",
            "csum needs the headers to update (ip4h, icmp, igmp, tcp, udp, udplite, sctp)",
        ));
    };
    let mut flags = 0u32;
    for w in words("update", &v)? {
        flags |= match w.as_str() {
            "iph" | "ip4h" | "ipv4h" => 1,
            "icmp" => 2,
            "igmp" => 4,
            "tcp" => 8,
            "udp" => 16,
            "udplite" => 32,
            "sctp" => 64,
            "and" => 0,
            _ => {
                return Err(ArgError::new(
                    "update",
                    format!("{w:?}: one of ip4h, icmp, igmp, tcp, udp, udplite, sctp"),
                ));
            }
        };
    }
    Ok(vec![("parms.update_flags", Value::Int(flags.into()))])
}

/// An IPv4 address and prefix (`10.0.0.0/24`, `default`/`any`: 0/0).
fn ip4_prefix(k: &str, v: &Value) -> Result<(u32, u32), ArgError> {
    let s = str_arg(k, v)?;
    if s == "default" || s == "any" {
        return Ok((0, 0));
    }
    let (a, len) = match s.split_once('/') {
        Some((a, l)) => (a, int_as::<u8>(k, &Value::Str(l.into()), None)?),
        None => (s, 32),
    };
    let a: Ipv4Addr = a
        .parse()
        .map_err(|_| ArgError::new(k, format!("{s:?} is not an IPv4 address[/prefix]")))?;
    if len > 32 {
        return Err(ArgError::new(k, format!("{s:?}: prefix over 32")));
    }
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    Ok((u32::from(a), mask))
}

/// `nat`: `direction` ingress (default) or egress, `old` address/prefix, `new` address
/// (tc/m_nat.c: `nat ingress OLD NEW`).
fn nat(a: &mut Args) -> Result<Placed, ArgError> {
    let egress = match a.take("direction") {
        None => false,
        Some(v) => match str_arg("direction", &v)? {
            "ingress" => false,
            "egress" => true,
            d => {
                return Err(ArgError::new(
                    "direction",
                    format!("{d:?}: ingress or egress"),
                ));
            }
        },
    };
    let (Some(old), Some(new)) = (a.take("old"), a.take("new")) else {
        return Err(ArgError::new(
            "old",
            "nat needs old (address/prefix) and new",
        ));
    };
    let (old, mask) = ip4_prefix("old", &old)?;
    let (new, _) = ip4_prefix("new", &new)?;
    Ok(vec![
        ("parms.old_addr", Value::Int(old.into())),
        ("parms.new_addr", Value::Int(new.into())),
        ("parms.mask", Value::Int(mask.into())),
        ("parms.flags", Value::Int(u32::from(egress).into())),
    ])
}

/// `skbmod`: tc_skbmod.flags from the fields given (dmac 1, smac 2, etype 4, swapmac 8).
fn skbmod(given: &[&str]) -> Placed {
    let mut flags = 0u64;
    for (k, bit) in [("dmac", 1), ("smac", 2), ("etype", 4), ("swapmac", 8)] {
        if given.contains(&k) {
            flags |= bit;
        }
    }
    vec![("parms.flags", Value::Int(flags.into()))]
}

/// `ct`: `mark` as tc writes it (`1/0xff`) and the action flags (commit, force, clear, and
/// `nat`: `"src addr A[-B] port P[-Q]"` or `"dst ..."`), as tc/m_ct.c sends them.
fn ct(a: &mut Args) -> Result<Placed, ArgError> {
    let mut out: Placed = Vec::new();
    if let Some(v) = a.take("mark") {
        let s = match &v {
            Value::Int(i) => i.to_string(),
            v => str_arg("mark", v)?.to_string(),
        };
        let (m, mask) = match s.split_once('/') {
            Some((m, k)) => (m.to_string(), Some(k.to_string())),
            None => (s.clone(), None),
        };
        let m: u32 = int_as("mark", &Value::Str(m), None)?;
        out.push(("mark", Value::Int(m.into())));
        if let Some(k) = mask {
            let k: u32 = int_as("mark", &Value::Str(k), None)?;
            out.push(("mark_mask", Value::Int(k.into())));
        }
    }
    let mut action = 0u16;
    for (k, bit) in [("commit", 1u16), ("force", 2), ("clear", 4)] {
        if let Some(v) = a.take(k)
            && !matches!(v, Value::Bool(false) | Value::Int(0))
        {
            action |= bit;
        }
    }
    if let Some(v) = a.take("nat") {
        action |= 8;
        let w = words("nat", &v)?;
        let mut it = w.iter().map(String::as_str);
        match it.next() {
            Some("src") => action |= 16,
            Some("dst") => action |= 32,
            _ => {
                return Err(ArgError::new(
                    "nat",
                    "nat: \"src|dst addr A[-B] [port P[-Q]]\"",
                ));
            }
        }
        while let Some(k) = it.next() {
            let r = it
                .next()
                .ok_or_else(|| ArgError::new("nat", format!("{k} needs a value")))?;
            let (lo, hi) = r.split_once('-').unwrap_or((r, r));
            match k {
                "addr" => {
                    for (at, x) in [("nat_ipv4_min", lo), ("nat_ipv4_max", hi)] {
                        let ip: Ipv4Addr = x.parse().map_err(|_| {
                            ArgError::new("nat", format!("{x:?} is not an IPv4 address"))
                        })?;
                        out.push((at, Value::Str(ip.to_string())));
                    }
                }
                "port" => {
                    for (at, x) in [("nat_port_min", lo), ("nat_port_max", hi)] {
                        let p: u16 = int_as("nat", &Value::Str(x.into()), None)?;
                        out.push((at, Value::Int(p.into())));
                    }
                }
                _ => return Err(ArgError::new("nat", format!("{k:?}: addr or port"))),
            }
        }
    }
    out.push(("action", Value::Int(action.into())));
    Ok(out)
}

/// `pedit` (legacy keys, tc/m_pedit.c): `munge`, one clause or a list, each
/// `"offset N u8|u16|u32 set V"` or `"ip src|dst|tos|dsfield|ttl|protocol set V"`; each
/// becomes a tc_pedit_key over the 32-bit word holding the field (mask keeps the other
/// bytes), after tc_pedit_sel (whose nkeys counts them).
fn pedit(a: &mut Args, tree: &[(String, Value)]) -> Result<Placed, ArgError> {
    let Some(v) = a.take("munge") else {
        return Err(ArgError::new("munge", "pedit needs munge clauses"));
    };
    let clauses = match v {
        Value::List(l) => l,
        v => vec![v],
    };
    let mut keys = Vec::new();
    for c in &clauses {
        let w = words("munge", c)?;
        let w: Vec<&str> = w.iter().map(String::as_str).collect();
        let (off, width, val) = match w.as_slice() {
            ["offset", off, ty, "set", val] => {
                let off: u32 = int_as("munge", &Value::Str((*off).into()), None)?;
                let width = match *ty {
                    "u8" => 1,
                    "u16" => 2,
                    "u32" => 4,
                    t => return Err(ArgError::new("munge", format!("{t:?}: u8, u16 or u32"))),
                };
                let val: u32 = int_as("munge", &Value::Str((*val).into()), None)?;
                (off, width, val)
            }
            ["ip", field, "set", val] => {
                let (off, width) = match *field {
                    "src" => (12, 4),
                    "dst" => (16, 4),
                    "tos" | "dsfield" => (1, 1),
                    "ttl" => (8, 1),
                    "protocol" => (9, 1),
                    f => {
                        return Err(ArgError::new(
                            "munge",
                            format!("ip {f:?}: src, dst, tos, dsfield, ttl or protocol"),
                        ));
                    }
                };
                let val = if width == 4 {
                    let ip: Ipv4Addr = val.parse().map_err(|_| {
                        ArgError::new("munge", format!("{val:?} is not an IPv4 address"))
                    })?;
                    u32::from(ip)
                } else {
                    int_as("munge", &Value::Str((*val).into()), None)?
                };
                (off, width, val)
            }
            _ => {
                return Err(ArgError::new(
                    "munge",
                    format!("{c:?}: \"offset N u8|u16|u32 set V\" or \"ip FIELD set V\""),
                ));
            }
        };
        let ind = (off & 3) as usize;
        if ind + width > 4 || (width < 4 && val >> (8 * width) != 0) {
            return Err(ArgError::new(
                "munge",
                format!("{c:?}: the value must fit the field and the field one 32-bit word"),
            ));
        }
        // Network byte order within the aligned word.
        let (mut mask, mut bytes) = ([0xffu8; 4], [0u8; 4]);
        let be = val.to_be_bytes();
        for j in 0..width {
            mask[ind + j] = 0;
            bytes[ind + j] = be[4 - width + j];
        }
        keys.push(Value::map([
            ("mask", Value::Int(u32::from_ne_bytes(mask).into())),
            ("val", Value::Int(u32::from_ne_bytes(bytes).into())),
            ("off", Value::Int((off & !3).into())),
        ]));
    }
    let head = tree
        .iter()
        .find(|(k, _)| k == "parms")
        .map(|(_, v)| v.clone())
        .unwrap_or(Value::Map(Vec::new()));
    Ok(vec![("parms", Value::List(vec![head, Value::List(keys)]))])
}

/// `ife`: `op` encode or decode (tc_ife.flags), and `allow` (mark, prio, tcindex: the
/// metadata to carry, each an empty TCA_IFE_META_* attribute in TCA_IFE_METALST).
fn ife(a: &mut Args) -> Result<Placed, ArgError> {
    let flags = match a.take("op") {
        Some(v) => match str_arg("op", &v)? {
            "encode" => 1,
            "decode" => 0,
            o => return Err(ArgError::new("op", format!("{o:?}: encode or decode"))),
        },
        None => return Err(ArgError::new("op", "ife needs op encode or decode")),
    };
    let mut out: Placed = vec![("parms.flags", Value::Int(flags))];
    if let Some(v) = a.take("allow") {
        let mut lst = Vec::new();
        for w in words("allow", &v)? {
            let id = match w.as_str() {
                "mark" => 1u8,
                "prio" => 2,
                "tcindex" => 3,
                m => {
                    return Err(ArgError::new(
                        "allow",
                        format!("{m:?}: mark, prio or tcindex"),
                    ));
                }
            };
            lst.extend_from_slice(&[4, 0, id, 0]);
        }
        out.push(("metalst", Value::Bytes(lst)));
    }
    Ok(out)
}
