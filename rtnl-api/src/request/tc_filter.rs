//! The routines of the classifiers other than u32 (schema/tcmsg.toml `# --- filters`): what
//! their `[[tc-plugin]]` entries cannot say as data. `skip_flags` (matchall), `route4`,
//! `flow`, `bpf` live here; `flower` in `tc_flower`, `ematch` (basic) in `tc_ematch`.
//!
//! A routine works on the options tree the generic encoder built from the entry's params
//! (`(attribute, value)` in tc's order), the keywords not yet read, and the values of the
//! params without `to` (`inputs`).

use rtnl_core::{ArgError, Result};

use super::tc_filter_util::{FilterCtx, Tree, input, num, skip_bits, text};
use crate::args::{Args, Value, str_arg};

/// Runs the filter routine `name`; false when `name` is not one of this module's.
pub(crate) fn run(
    name: &str,
    tree: &mut Tree,
    inputs: &[(&str, Value)],
    a: &mut Args,
    ctx: &mut FilterCtx,
) -> Result<bool> {
    match name {
        "skip_flags" => skip_flags(tree, inputs, "flags")?,
        "route4" => route4(tree, ctx)?,
        "flow" => flow(tree, inputs)?,
        "bpf" => bpf(tree, inputs)?,
        "flower" => super::tc_flower::flower(tree, inputs, a, ctx)?,
        "ematch" => super::tc_ematch::ematch(tree, a)?,
        _ => return Ok(false),
    }
    Ok(true)
}

fn tree_int(tree: &Tree, k: &str) -> Option<u32> {
    tree.iter()
        .find(|(n, _)| n == k)
        .and_then(|(_, v)| match v {
            Value::Int(i) => u32::try_from(*i).ok(),
            _ => None,
        })
}

fn skip_flags(tree: &mut Tree, inputs: &[(&str, Value)], attr: &str) -> Result<(), ArgError> {
    let bits = skip_bits(inputs)?;
    if bits != 0 {
        tree.push((attr.into(), Value::Int(bits.into())));
    }
    Ok(())
}

/// route: the handle tc computes (f_route.c): `to` in the low 16 bits (0x8000 without), `from`
/// or `fromif | 0x8000` in the high 16 (0xffff without).
fn route4(tree: &mut Tree, ctx: &mut FilterCtx) -> Result<(), ArgError> {
    let (to, from, iif) = (
        tree_int(tree, "to"),
        tree_int(tree, "from"),
        tree_int(tree, "iif"),
    );
    if from.is_some() && iif.is_some() {
        return Err(ArgError::new(
            "fromif",
            "route takes from or fromif, not both",
        ));
    }
    for (k, v) in [("to", to), ("from", from)] {
        if v.is_some_and(|v| v > 0xff) {
            return Err(ArgError::new(k, "a realm is 0..255"));
        }
    }
    if iif.is_some_and(|i| i > 0x7fff) {
        return Err(ArgError::new("fromif", "interface index above 0x7fff"));
    }
    let low = to.unwrap_or(0x8000);
    let high = match (from, iif) {
        (Some(f), _) => f,
        (_, Some(i)) => i | 0x8000,
        _ => 0xffff,
    };
    ctx.handle = Some(high << 16 | low);
    Ok(())
}

/// flow: `keys` names into the mask of 1 << FLOW_KEY_* (in place), map mode with exactly one
/// key, TCA_FLOW_MODE appended.
fn flow(tree: &mut Tree, inputs: &[(&str, Value)]) -> Result<(), ArgError> {
    const KEYS: &[&str] = &[
        "src",
        "dst",
        "proto",
        "proto-src",
        "proto-dst",
        "iif",
        "priority",
        "mark",
        "nfct",
        "nfct-src",
        "nfct-dst",
        "nfct-proto-src",
        "nfct-proto-dst",
        "rt-classid",
        "sk-uid",
        "sk-gid",
        "vlan-tag",
        "rxhash",
    ];
    let mode = match input(inputs, "mode") {
        Some(v) => match str_arg("mode", v)? {
            "hash" => 1,
            "map" => 0,
            m => return Err(ArgError::new("mode", format!("{m:?}: hash or map"))),
        },
        None => 1,
    };
    let Some(slot) = tree.iter_mut().find(|(k, _)| k == "keys") else {
        return Err(ArgError::new(
            "keys",
            "flow needs keys (src, dst, mark ...)",
        ));
    };
    let text = str_arg("keys", &slot.1)?.to_string();
    let mut mask = 0u32;
    let mut n = 0;
    for w in text.split(',').map(str::trim).filter(|w| !w.is_empty()) {
        let w2 = w.replace('_', "-");
        let bit = KEYS.iter().position(|k| *k == w2).ok_or_else(|| {
            ArgError::new(
                "keys",
                format!("unknown flow key {w:?}; one of {}", KEYS.join(", ")),
            )
        })?;
        mask |= 1 << bit;
        n += 1;
    }
    if mode == 0 && n != 1 {
        return Err(ArgError::new("keys", "flow map mode takes exactly one key"));
    }
    slot.1 = Value::Int(mask.into());
    tree.push(("mode".into(), Value::Int(mode)));
    flow_ops(tree, inputs, mask)
}

/// flow's map operations: tc's `and`, `or`, `xor` (folded into one mask and xor, as tc's
/// transfer_bitop, sent after the mode when they change anything) and pyroute2's `ops`, a list
/// of `{op, num}` (and, or, xor, rshift, addend; an addend may be `-A.B.C.D` for src/dst keys).
fn flow_ops(tree: &mut Tree, inputs: &[(&str, Value)], keys: u32) -> Result<(), ArgError> {
    let (mut mask, mut xor) = (u32::MAX, 0u32);
    let mut bitop = |op: &str, k: &str, v: &Value| -> Result<bool, ArgError> {
        if !matches!(op, "and" | "or" | "xor") {
            return Ok(false);
        }
        let n = u32::try_from(num(k, &text(k, v)?, u32::MAX.into())?).unwrap_or(0);
        let (m, x) = match op {
            "and" => (n, 0),
            "or" => (!n, n),
            _ => (u32::MAX, n),
        };
        xor = x ^ (xor & m);
        mask &= m;
        Ok(true)
    };
    for (k, v) in inputs {
        bitop(k, k, v)?;
    }
    if let Some(Value::List(ops)) = input(inputs, "ops") {
        for op in ops {
            let Value::Map(m) = op else {
                return Err(ArgError::new(
                    "ops",
                    format!("an op is {{op, num}}, got {op:?}"),
                ));
            };
            let get = |n: &str| m.iter().find(|(k, _)| k == n).map(|(_, v)| v);
            let (Some(o), Some(v)) = (get("op"), get("num")) else {
                return Err(ArgError::new("ops", "an op is {op, num}"));
            };
            let o = str_arg("ops.op", o)?;
            if bitop(o, "ops.num", v)? {
                continue;
            }
            let n = match o {
                "rshift" => num("ops.num", &text("ops.num", v)?, 31)? as u32,
                "addend" => flow_addend(&text("ops.num", v)?, keys)?,
                o => {
                    return Err(ArgError::new(
                        "ops.op",
                        format!("{o:?}: and, or, xor, rshift or addend"),
                    ));
                }
            };
            let at = tree
                .iter()
                .position(|(k, _)| k == "mode")
                .unwrap_or(tree.len());
            tree.insert(at, (o.to_string(), Value::Int(n.into())));
        }
    }
    if mask != u32::MAX || xor != 0 {
        tree.push(("mask".into(), Value::Int(mask.into())));
        tree.push(("xor".into(), Value::Int(xor.into())));
    }
    Ok(())
}

/// tc's get_addend: a number, or an IPv4 address for the src/dst keys, `-` for its negation.
fn flow_addend(s: &str, keys: u32) -> Result<u32, ArgError> {
    let (neg, t) = match s.strip_prefix('-') {
        Some(t) => (true, t),
        None => (false, s),
    };
    // FLOW_KEY_SRC, DST, NFCT_SRC, NFCT_DST
    let addr_keys = 1 | 1 << 1 | 1 << 9 | 1 << 10;
    let n = match num("addend", t, u32::MAX.into()) {
        Ok(n) => n as u32,
        Err(e) => match t.parse::<std::net::Ipv4Addr>() {
            Ok(ip) if keys & addr_keys != 0 => u32::from(ip),
            _ => return Err(e),
        },
    };
    Ok(if neg { n.wrapping_neg() } else { n })
}

/// Classic BPF as tc reads it: `"N,code jt jf k,code jt jf k,..."` into struct sock_filter
/// (u16 code, u8 jt, u8 jf, u32 k, native order).
pub(crate) fn bpf_bytecode(k: &str, s: &str) -> Result<Vec<u8>, ArgError> {
    let mut parts = s.split(',').map(str::trim);
    let n: usize = parts
        .next()
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| ArgError::new(k, "bytecode starts with the instruction count"))?;
    let mut out = Vec::new();
    let mut got = 0;
    for ins in parts.filter(|p| !p.is_empty()) {
        let f: Vec<&str> = ins.split_whitespace().collect();
        let bad = || ArgError::new(k, format!("{ins:?} is not \"code jt jf k\""));
        let [code, jt, jf, kk] = f[..] else {
            return Err(bad());
        };
        let code: u16 = code.parse().map_err(|_| bad())?;
        let jt: u8 = jt.parse().map_err(|_| bad())?;
        let jf: u8 = jf.parse().map_err(|_| bad())?;
        let kk: u32 = kk.parse().map_err(|_| bad())?;
        out.extend_from_slice(&code.to_ne_bytes());
        out.extend_from_slice(&[jt, jf]);
        out.extend_from_slice(&kk.to_ne_bytes());
        got += 1;
    }
    if got != n || n == 0 || n > 4096 {
        return Err(ArgError::new(
            k,
            format!("bytecode says {n} instructions and has {got} (1..4096)"),
        ));
    }
    Ok(out)
}

/// bpf: bytecode (ops_len, ops) or fd, `da` into TCA_BPF_FLAGS, skip_* into FLAGS_GEN.
fn bpf(tree: &mut Tree, inputs: &[(&str, Value)]) -> Result<(), ArgError> {
    let fd = tree.iter().any(|(k, _)| k == "fd");
    match input(inputs, "bytecode") {
        Some(_) if fd => {
            return Err(ArgError::new(
                "bytecode",
                "bpf takes bytecode or fd, not both",
            ));
        }
        Some(v) => {
            let ops = bpf_bytecode("bytecode", str_arg("bytecode", v)?)?;
            tree.push(("ops_len".into(), Value::Int((ops.len() / 8) as i128)));
            tree.push(("ops".into(), Value::Bytes(ops)));
        }
        None if !fd => {
            return Err(ArgError::new(
                "bytecode",
                "bpf needs bytecode or fd (a loaded program) with name",
            ));
        }
        None => {}
    }
    // `da` (tc) / `direct_action` (pyroute2) sets TCA_BPF_FLAG_ACT_DIRECT in `flags`.
    if input(inputs, "da").is_some() {
        match tree.iter_mut().find(|(k, _)| k == "flags") {
            Some((_, Value::Int(f))) => *f |= 1,
            _ => tree.push(("flags".into(), Value::Int(1))),
        }
    }
    skip_flags(tree, inputs, "flags_gen")
}

/// fw's handle as tc reads it: the fwmark, a number (`5`, `0x10`), optionally `/MASK`; the
/// mask becomes the `mask` keyword (TCA_FW_MASK) unless one is given.
pub(crate) fn fw_handle(s: &str, a: &mut Args) -> Result<u32, ArgError> {
    let (h, m) = match s.split_once('/') {
        Some((h, m)) => (h, Some(m)),
        None => (s, None),
    };
    let h = num("handle", h, u32::MAX.into())? as u32;
    if let Some(m) = m {
        let m = num("handle", m, u32::MAX.into())?;
        if a.get("mask").is_some() {
            return Err(ArgError::new(
                "mask",
                "fw takes the mask in the handle (MARK/MASK) or as mask, not both",
            ));
        }
        a.set("mask", Value::Int(m.into()));
    }
    Ok(h)
}
