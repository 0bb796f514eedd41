//! The routines of action kinds whose keywords are not one value in one place (csum's list
//! of headers, nat's address/prefix, skbmod's flags from what is given, ct's mark/mask and
//! action flags, gate's schedule, the bpf action's bytecode): each returns where its values
//! go, in tc's order, and
//! [`request::tc`](super::tc)'s encoder places them. Named by their `[[tc-plugin]]` entry's
//! `routine` (schema/tcmsg.toml, `# --- actions (tcact)`), which says why each needs code.

use std::net::Ipv4Addr;

use rtnl_core::ArgError;

use super::tc_filter_util::input;
use crate::args::{Args, Value, int_as, str_arg};
use crate::tc::units::time_ns;

/// Where a value goes in the options tree (`attr` or `attr.field`).
pub(crate) type Placed = Vec<(&'static str, Value)>;

/// Runs routine `name` if it is one of these; None if not.
///
/// `inputs`: the converted values of the entry's params without `to`.
pub(crate) fn run(
    name: &str,
    a: &mut Args,
    tree: &[(String, Value)],
    inputs: &[(&str, Value)],
) -> Option<Result<Placed, ArgError>> {
    let given: Vec<&str> = tree.iter().map(|(k, _)| k.as_str()).collect();
    Some(match name {
        "gate" => gate(inputs, tree),
        "act_bpf" => act_bpf(inputs, &given),
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

/// One of gate's `sched_entry` clauses (tc/m_gate.c): `open|close INTERVAL [IPV MAX_OCTETS]`
/// into a TCA_GATE_ONE_ENTRY nest: the gate flag when open, the interval, ipv and
/// max_octets (-1, the wildcard, unless given; always -1 for a closed entry).
fn gate_entry(text: &str) -> Result<Value, ArgError> {
    const K: &str = "sched_entry";
    let w: Vec<&str> = text.split_whitespace().collect();
    let usage = || {
        ArgError::new(
            K,
            format!("{text:?}: expected \"open|close INTERVAL [INTERNAL_PRIO MAX_OCTETS]\""),
        )
    };
    let (state, interval, rest) = match w.as_slice() {
        [s, i, rest @ ..] if rest.len() <= 2 => (*s, *i, rest),
        _ => return Err(usage()),
    };
    let open = match state.to_ascii_lowercase().as_str() {
        "open" => true,
        "close" => false,
        _ => return Err(usage()),
    };
    let interval = u32::try_from(time_ns(K, &Value::Str(interval.into()))?)
        .map_err(|_| ArgError::new(K, format!("{text:?}: the interval is 0..{} ns", u32::MAX)))?;
    let num = |i: usize| -> Result<i32, ArgError> {
        match rest.get(i) {
            None => Ok(-1),
            Some(x) => int_as(K, &Value::Str((*x).into()), None),
        }
    };
    let (ipv, max_octets) = (num(0)?, num(1)?);
    let (ipv, max_octets) = if open { (ipv, max_octets) } else { (-1, -1) };
    let mut e = Vec::new();
    if open {
        e.push(("gate".to_string(), Value::Bool(true)));
    }
    e.push(("interval".to_string(), Value::Int(interval.into())));
    e.push(("ipv".to_string(), Value::Int(ipv.into())));
    e.push(("max_octets".to_string(), Value::Int(max_octets.into())));
    Ok(Value::Map(e))
}

/// `gate` (tc/m_gate.c): the schedule (`sched_entry`, one clause or a list) into
/// TCA_GATE_ENTRY_LIST, and priority, flags and the times, each sent only when tc would
/// (priority not -1, the others not 0).
fn gate(inputs: &[(&str, Value)], tree: &[(String, Value)]) -> Result<Placed, ArgError> {
    let mut out: Placed = Vec::new();
    let int = |k: &str| match input(inputs, k) {
        Some(Value::Int(i)) => Some(*i),
        _ => None,
    };
    if let Some(p) = int("priority").filter(|p| *p != -1) {
        i32::try_from(p).map_err(|_| ArgError::new("priority", format!("{p}: out of range")))?;
        out.push(("priority", Value::Int(p)));
    }
    for (k, at) in [
        ("flags", "flags"),
        ("base_time", "base_time"),
        ("cycle_time", "cycle_time"),
        ("cycle_time_ext", "cycle_time_ext"),
    ] {
        if let Some(v) = int(k).filter(|v| *v != 0) {
            out.push((at, Value::Int(v)));
        }
    }
    let mut entries = Vec::new();
    if let Some(Value::List(l)) = input(inputs, "sched_entry") {
        for x in l {
            entries.push(gate_entry(str_arg("sched_entry", x)?)?);
        }
    }
    let indexed = tree.iter().any(|(k, v)| {
        k == "parms" && matches!(v, Value::Map(m) if m.iter().any(|(f, x)| f == "index" && *x != Value::Int(0)))
    });
    if entries.is_empty() && !indexed {
        return Err(ArgError::new(
            "sched_entry",
            "gate needs at least one sched_entry (\"open|close INTERVAL [INTERNAL_PRIO MAX_OCTETS]\"), or index naming an existing gate action",
        ));
    }
    out.push((
        "entry_list",
        Value::Map(vec![("entry".to_string(), Value::List(entries))]),
    ));
    Ok(out)
}

/// The bpf action (tc/m_bpf.c): classic `bytecode` (or `bytecode_file`, a file holding that
/// text, as tc's bytecode-file) into ops_len and ops; or `fd` (with `name`) of a loaded
/// program. Exactly one of the three.
fn act_bpf(inputs: &[(&str, Value)], given: &[&str]) -> Result<Placed, ArgError> {
    let code = input(inputs, "bytecode");
    let file = input(inputs, "bytecode_file");
    let fd = given.contains(&"fd");
    let text = match (code, file, fd) {
        (Some(c), None, false) => str_arg("bytecode", c)?.to_string(),
        (None, Some(f), false) => {
            let path = str_arg("bytecode_file", f)?;
            std::fs::read_to_string(path)
                .map_err(|e| ArgError::new("bytecode_file", format!("{path}: {e}")))?
        }
        (None, None, true) => return Ok(Vec::new()),
        (None, None, false) => {
            return Err(ArgError::new(
                "bytecode",
                "bpf needs bytecode, bytecode_file, or fd (a loaded program) with name",
            ));
        }
        _ => {
            return Err(ArgError::new(
                if fd { "fd" } else { "bytecode_file" },
                "bpf takes one of bytecode, bytecode_file and fd",
            ));
        }
    };
    let k = if code.is_some() {
        "bytecode"
    } else {
        "bytecode_file"
    };
    let ops = super::tc_filter::bpf_bytecode(k, text.trim())?;
    Ok(vec![
        ("ops_len", Value::Int((ops.len() / 8) as i128)),
        ("ops", Value::Bytes(ops)),
    ])
}
