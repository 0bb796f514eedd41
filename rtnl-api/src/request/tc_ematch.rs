//! basic's extended matches (tc/em_cmp.c, em_meta.c, em_u32.c, em_ipset.c by set index): tc's `match` expression
//! (`cmp(u8 at 9 layer network eq 6) and not meta(priority eq 5) or u32(u16 0x50 0xffff at
//! 22)`), or a list of maps (`{kind: "cmp", align: "u8", at: 9, layer: "network", op: "eq",
//! value: 6}`, `relation: "or"`, `not: true`; pyroute2's `offset`, `opnd`, `inverse` too), into TCA_BASIC_EMATCHES: the tree header, then
//! one attribute per match (struct tcf_ematch_hdr and the match's data). Parenthesized
//! groups (containers) are not supported.

use rtnl_core::{ArgError, Result};

use super::tc_filter_util::{Tree, num, text};
use crate::args::{Args, Value};

const K: &str = "match";

/// tc's meta names with their TCF_META_ID_* (integer-typed but `dev` and `sk_bound_if`, see
/// [`META_VAR`]). A name is also found without its underscores (pyroute2's `nfmark`, `pktlen`).
const META: &[(&str, u16)] = &[
    ("random", 1),
    ("loadavg_0", 2),
    ("loadavg_1", 3),
    ("loadavg_2", 4),
    ("priority", 6),
    ("protocol", 7),
    ("pkt_type", 8),
    ("pkt_len", 9),
    ("data_len", 10),
    ("mac_len", 11),
    ("nf_mark", 12),
    ("tc_index", 13),
    ("rt_classid", 14),
    ("rt_iif", 15),
    ("sk_family", 16),
    ("sk_prio", 40),
    ("vlan", 46),
    ("vlan_tag", 46),
    ("rxhash", 47),
    ("dev", 5),
    ("sk_bound_if", 19),
];

/// The variable-length (text) metas: their value is a name, sent without its NUL.
const META_VAR: &[&str] = &["dev", "sk_bound_if"];

fn err(reason: impl Into<String>) -> ArgError {
    ArgError::new(K, reason)
}

fn align(w: &str) -> Result<u8, ArgError> {
    match w {
        "u8" => Ok(1),
        "u16" => Ok(2),
        "u32" => Ok(4),
        w => Err(err(format!("{w:?}: the width is u8, u16 or u32"))),
    }
}

fn opnd(w: &str) -> Option<u8> {
    match w {
        "eq" => Some(0),
        "gt" => Some(1),
        "lt" => Some(2),
        _ => None,
    }
}

/// `cmp(ALIGN at OFF [layer L] [mask M] [trans] eq|gt|lt VALUE)` into struct tcf_em_cmp.
fn cmp(args: &[&str]) -> Result<Vec<u8>, ArgError> {
    let usage = || {
        err(format!(
            "cmp({}): cmp(u8|u16|u32 at OFFSET [layer link|network|transport] [mask M] [trans] eq|gt|lt VALUE)",
            args.join(" ")
        ))
    };
    let [w, "at", off, rest @ ..] = args else {
        return Err(usage());
    };
    let al = align(w)?;
    let off = num(K, off, 0xffff)? as u16;
    let (mut layer, mut mask, mut trans, mut op, mut val) = (0u8, 0u64, 0u8, None, None);
    let mut it = rest.iter();
    while let Some(w) = it.next() {
        match *w {
            "layer" => {
                layer = match *it.next().ok_or_else(usage)? {
                    "link" | "eth" => 0,
                    "network" | "ip" => 1,
                    "transport" | "tcp" => 2,
                    l => num(K, l, 2)? as u8,
                }
            }
            "mask" => mask = num(K, it.next().ok_or_else(usage)?, u32::MAX.into())?,
            "trans" => trans = 1,
            w => match opnd(w) {
                Some(o) => {
                    op = Some(o);
                    val = Some(num(K, it.next().ok_or_else(usage)?, u32::MAX.into())?);
                }
                None => return Err(usage()),
            },
        }
    }
    let (Some(op), Some(val)) = (op, val) else {
        return Err(usage());
    };
    let mut d = Vec::new();
    d.extend_from_slice(&(val as u32).to_ne_bytes());
    d.extend_from_slice(&(mask as u32).to_ne_bytes());
    d.extend_from_slice(&off.to_ne_bytes());
    d.push(al | trans << 4);
    d.push(layer | op << 4);
    Ok(d)
}

fn nla(out: &mut Vec<u8>, ty: u16, payload: &[u8]) {
    out.extend_from_slice(&((4 + payload.len()) as u16).to_ne_bytes());
    out.extend_from_slice(&ty.to_ne_bytes());
    out.extend_from_slice(payload);
    while !out.len().is_multiple_of(4) {
        out.push(0);
    }
}

/// `meta(NAME [shift N] [mask M] eq|gt|lt VALUE)`: TCA_EM_META_HDR, LVALUE (the mask), RVALUE.
fn meta(args: &[&str]) -> Result<Vec<u8>, ArgError> {
    let names = || META.iter().map(|m| m.0).collect::<Vec<_>>().join(", ");
    let usage = || {
        err(format!(
            "meta({}): meta(NAME [shift N] [mask M] eq|gt|lt VALUE)",
            args.join(" ")
        ))
    };
    let [name, rest @ ..] = args else {
        return Err(usage());
    };
    let (name, id) = META
        .iter()
        .find(|m| m.0 == *name || m.0.replace('_', "") == *name)
        .copied()
        .ok_or_else(|| err(format!("unknown meta {name:?}; one of {}", names())))?;
    let var = META_VAR.contains(&name);
    let (mut shift, mut mask, mut op, mut val, mut text) = (0u8, 0u64, None, None, None);
    let mut it = rest.iter();
    while let Some(w) = it.next() {
        match *w {
            "shift" => shift = num(K, it.next().ok_or_else(usage)?, 31)? as u8,
            "mask" => mask = num(K, it.next().ok_or_else(usage)?, u32::MAX.into())?,
            w => match opnd(w) {
                Some(o) if var => {
                    op = Some(o);
                    text = Some(it.next().ok_or_else(usage)?.to_string());
                    val = Some(0);
                }
                Some(o) => {
                    op = Some(o);
                    val = Some(num(K, it.next().ok_or_else(usage)?, u32::MAX.into())?);
                }
                None => return Err(usage()),
            },
        }
    }
    let (Some(op), Some(val)) = (op, val) else {
        return Err(usage());
    };
    // TCF_META_TYPE_INT (1) or _VAR (0) << 12; the right side is TCF_META_ID_VALUE (0).
    let ty: u16 = if var { 0 } else { 0x1000 };
    let mut hdr = Vec::new();
    hdr.extend_from_slice(&(ty | id).to_ne_bytes());
    hdr.extend_from_slice(&[shift, op]);
    hdr.extend_from_slice(&ty.to_ne_bytes());
    hdr.extend_from_slice(&[0, 0]);
    let mut d = Vec::new();
    nla(&mut d, 1, &hdr);
    nla(&mut d, 2, &(mask as u32).to_ne_bytes());
    match text {
        Some(t) => nla(&mut d, 3, t.as_bytes()),
        None => nla(&mut d, 3, &(val as u32).to_ne_bytes()),
    }
    Ok(d)
}

/// `ipset(INDEX src,dst...)`: struct xt_set_info (u16 set index, u8 dim, u8 flags: bit i set
/// for a `src` in dimension i, from 1). tc names the set and asks ipset for its index; here
/// the index is given (pyroute2's `{kind: "ipset", index: N, mode: "src,dst"}`).
fn ipset(args: &[&str]) -> Result<Vec<u8>, ArgError> {
    let [index, modes] = args else {
        return Err(err(format!(
            "ipset({}): ipset(INDEX MODES), MODES src or dst per dimension: src,dst",
            args.join(" ")
        )));
    };
    let index = num(K, index, u16::MAX.into()).map_err(|_| {
        err(format!(
            "ipset({index} ...): the set by its index (a number)"
        ))
    })? as u16;
    let (mut dim, mut flags) = (0u8, 0u8);
    for m in modes.split(',') {
        dim += 1;
        match m {
            "src" => flags |= 1 << dim,
            "dst" => {}
            m => return Err(err(format!("ipset mode {m:?}: src or dst"))),
        }
        if dim > 6 {
            return Err(err(format!("ipset({modes}): at most 6 dimensions")));
        }
    }
    let mut d = index.to_ne_bytes().to_vec();
    d.extend_from_slice(&[dim, flags]);
    Ok(d)
}

/// `u32(ALIGN VALUE MASK at OFF)` into a struct tc_u32_key on the aligned word.
fn u32m(args: &[&str]) -> Result<Vec<u8>, ArgError> {
    let usage = || {
        err(format!(
            "u32({}): u32(u8|u16|u32 VALUE MASK at OFFSET)",
            args.join(" ")
        ))
    };
    let [w, val, mask, "at", off] = args else {
        return Err(usage());
    };
    let size = u32::from(align(w)?);
    let bits = |v: u64| v > (u64::from(u32::MAX) >> (32 - size * 8));
    let (val, mask) = (
        num(K, val, u32::MAX.into())?,
        num(K, mask, u32::MAX.into())?,
    );
    if bits(val) || bits(mask) {
        return Err(err(format!(
            "u32({}): value or mask wider than {w}",
            args.join(" ")
        )));
    }
    let off = num(K, off, 0x7fff_ffff)? as u32;
    let b = off & 3;
    if b + size > 4 {
        return Err(err(format!(
            "u32({}): {w} at {off} crosses a 32-bit word",
            args.join(" ")
        )));
    }
    let shift = (4 - b - size) * 8;
    let mut d = Vec::new();
    d.extend_from_slice(&((mask as u32) << shift).to_be_bytes());
    d.extend_from_slice(&(((val & mask) as u32) << shift).to_be_bytes());
    d.extend_from_slice(&(off & !3).to_ne_bytes());
    d.extend_from_slice(&0u32.to_ne_bytes());
    Ok(d)
}

/// One match: (kind id, invert, data).
struct Match {
    kind: u16,
    invert: bool,
    relation: u16,
    data: Vec<u8>,
}

fn one(kind: &str, inner: &str, invert: bool) -> Result<Match, ArgError> {
    let args: Vec<&str> = inner.split_whitespace().collect();
    let (id, data) = match kind {
        "cmp" => (1, cmp(&args)?),
        "u32" => (3, u32m(&args)?),
        "meta" => (4, meta(&args)?),
        "ipset" => (8, ipset(&args)?),
        k => {
            return Err(err(format!(
                "unknown ematch {k:?}; cmp, meta, u32 or ipset"
            )));
        }
    };
    Ok(Match {
        kind: id,
        invert,
        relation: 0,
        data,
    })
}

/// tc's expression: `[not] KIND(ARGS) [and|or [not] KIND(ARGS)] ...`.
fn parse(s: &str) -> Result<Vec<Match>, ArgError> {
    let mut out: Vec<Match> = Vec::new();
    let mut rest = s.trim();
    let mut invert = false;
    while !rest.is_empty() {
        let word_end = rest
            .find(|c: char| c.is_whitespace() || c == '(')
            .unwrap_or(rest.len());
        let word = &rest[..word_end];
        match word {
            "not" | "!" => {
                invert = !invert;
                rest = rest[word_end..].trim_start();
                continue;
            }
            "and" | "&&" | "or" | "||" => {
                let last = out
                    .last_mut()
                    .filter(|m| m.relation == 0)
                    .ok_or_else(|| err(format!("{s:?}: {word} must follow a match")))?;
                last.relation = if word.starts_with('a') || word == "&&" {
                    1
                } else {
                    2
                };
                rest = rest[word_end..].trim_start();
                continue;
            }
            "" => {
                return Err(err(format!(
                    "{s:?}: groups in parentheses are not supported"
                )));
            }
            _ => {}
        }
        let open = rest[word_end..]
            .trim_start()
            .strip_prefix('(')
            .ok_or_else(|| err(format!("{s:?}: {word} needs (arguments)")))?;
        let close = open
            .find(')')
            .ok_or_else(|| err(format!("{s:?}: no ) after {word}(")))?;
        if out.last().is_some_and(|m| m.relation == 0) {
            return Err(err(format!("{s:?}: and/or between matches")));
        }
        out.push(one(word, &open[..close], invert)?);
        invert = false;
        rest = open[close + 1..].trim_start();
    }
    match out.last() {
        None => Err(err("an empty match")),
        Some(m) if m.relation != 0 => Err(err(format!("{s:?} ends with and/or"))),
        _ => Ok(out),
    }
}

/// A structured match (a map) as tc's text.
fn from_map(m: &[(String, Value)]) -> Result<(String, Option<String>), ArgError> {
    // pyroute2's meta: `object: {kind: NAME, opnd: OP, shift: N}` beside value and mask.
    if let Some((_, Value::Map(obj))) = m.iter().find(|(k, _)| k == "object") {
        let mut flat: Vec<(String, Value)> =
            m.iter().filter(|(k, _)| k != "object").cloned().collect();
        for (k, v) in obj {
            let k = if k == "kind" { "name" } else { k.as_str() };
            flat.push((k.to_string(), v.clone()));
        }
        return from_map(&flat);
    }
    // pyroute2's names (offset, opnd, inverse) are accepted beside tc's (at, op, not).
    let get = |k: &str| -> Result<Option<String>, ArgError> {
        let alias = match k {
            "at" => "offset",
            "op" => "opnd",
            "not" => "inverse",
            k => k,
        };
        m.iter()
            .find(|(n, _)| n == k || n == alias)
            .map(|(_, v)| match v {
                Value::Bool(b) => Ok(b.to_string()),
                v => text(&format!("{K}.{k}"), v),
            })
            .transpose()
    };
    let need = |k: &str| get(k)?.ok_or_else(|| err(format!("a {{kind: ...}} match needs {k}")));
    let kind = need("kind")?;
    let opt = |k: &str| -> Result<String, ArgError> {
        Ok(get(k)?.map(|v| format!(" {k} {v}")).unwrap_or_default())
    };
    let inner = match kind.as_str() {
        "cmp" => format!(
            "{} at {}{}{}{} {} {}",
            need("align")?,
            need("at")?,
            opt("layer")?,
            opt("mask")?,
            if get("trans")?.is_some_and(|t| t == "true") {
                " trans"
            } else {
                ""
            },
            get("op")?.unwrap_or_else(|| "eq".into()),
            need("value")?
        ),
        "meta" => format!(
            "{}{}{} {} {}",
            need("name")?,
            opt("shift")?,
            opt("mask")?,
            get("op")?.unwrap_or_else(|| "eq".into()),
            need("value")?
        ),
        "u32" => format!(
            "{} {} {} at {}",
            need("align")?,
            need("value")?,
            need("mask")?,
            need("at")?
        ),
        "ipset" => format!("{} {}", need("index")?, need("mode")?),
        k => {
            return Err(err(format!(
                "unknown ematch {k:?}; cmp, meta, u32 or ipset"
            )));
        }
    };
    let not = if get("not")?.is_some_and(|t| t == "true") {
        "not "
    } else {
        ""
    };
    let rel = get("relation")?.map(|r| r.to_ascii_lowercase());
    Ok((format!("{not}{kind}({inner})"), rel))
}

/// The match keyword as one expression.
fn expression(v: &Value) -> Result<String, ArgError> {
    match v {
        Value::Str(s) => Ok(s.clone()),
        Value::List(items) => {
            let mut s = String::new();
            for (i, it) in items.iter().enumerate() {
                let (t, rel) = match it {
                    Value::Map(m) => from_map(m)?,
                    Value::Str(t) => (t.clone(), None),
                    other => return Err(err(format!("a match is a map or text, got {other:?}"))),
                };
                if i > 0 {
                    s.push(' ');
                }
                s.push_str(&t);
                if i + 1 < items.len() {
                    s.push_str(&format!(" {}", rel.as_deref().unwrap_or("and")));
                }
            }
            Ok(s)
        }
        Value::Map(m) => Ok(from_map(m)?.0),
        other => Err(err(format!("expected an ematch expression, got {other:?}"))),
    }
}

/// The `ematch` routine: `match` into the `ematches` nest (first, as tc sends it).
pub(crate) fn ematch(tree: &mut Tree, a: &mut Args) -> Result<()> {
    let Some(v) = a.take("match").or_else(|| a.take("ematch")) else {
        return Ok(());
    };
    let ms = parse(&expression(&v)?)?;
    let mut list = Vec::new();
    for m in &ms {
        let mut p = Vec::new();
        p.extend_from_slice(&0u16.to_ne_bytes());
        p.extend_from_slice(&m.kind.to_ne_bytes());
        let flags = m.relation | if m.invert { 4 } else { 0 };
        p.extend_from_slice(&flags.to_ne_bytes());
        p.extend_from_slice(&0u16.to_ne_bytes());
        p.extend_from_slice(&m.data);
        list.push(Value::Bytes(p));
    }
    let hdr = Value::map([
        ("nmatches", Value::Int(ms.len() as i128)),
        ("progid", Value::Int(0)),
    ]);
    let nest = Value::map([("hdr", hdr), ("list", Value::List(list))]);
    tree.insert(0, ("ematches".into(), nest));
    Ok(())
}
