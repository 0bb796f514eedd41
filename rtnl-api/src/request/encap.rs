//! `encap` for routes and multipath hops, as pyroute2 takes it: `{type: "mpls", labels:
//! "100/200"}`, `{type: "seg6", mode, segs, hmac}`, `{type: "seg6local", action: "End.DT6",
//! table: 10}`, `{type: "bpf", in: {fd, name}, xmit: {fd, name, headroom}}`; any other type
//! takes the `LWTUNNEL_*` set's attributes by name.
//!
//! Segment lists are written the way iproute2 writes them (the last segment first, as the
//! routing header carries them); pyroute2 writes them in the order given, which sends packets
//! to the last segment first when there are several (with one segment both agree).

use std::net::Ipv6Addr;

use rtnl_core::generated::*;
use rtnl_core::{ArgError, Result};

use crate::args::{Value, int_arg, int_as};

/// The encap type number and the RTA_ENCAP map for `encap`.
pub(crate) fn encap_value(k: &str, e: &Value) -> Result<(i128, Value)> {
    let Value::Map(m) = e else {
        return Err(
            ArgError::new(k, "expected a map like {type: \"mpls\", labels: \"100\"}").into(),
        );
    };
    let get = |n: &str| m.iter().find(|(x, _)| x == n).map(|(_, v)| v);
    let ty = get("type").ok_or_else(|| ArgError::new(k, "needs type"))?;
    // pyroute2 spells LWTUNNEL_ENCAP_SEG6_LOCAL "seg6local".
    let ty = match ty {
        Value::Str(s) if s == "seg6local" => Value::from("seg6_local"),
        v => v.clone(),
    };
    let ty = int_arg(&format!("{k}.type"), &ty, Some(LwtunnelEncapTypes::SPEC))?;
    let rest: Vec<(String, Value)> = m.iter().filter(|(x, _)| x != "type").cloned().collect();
    let v = match ty {
        1 => Value::Map(
            rest.into_iter()
                .map(|(x, v)| (if x == "labels" { "dst".into() } else { x }, v))
                .collect(),
        ),
        5 => {
            let mode = get("mode").ok_or_else(|| ArgError::new(k, "seg6 needs mode"))?;
            let mode = int_as::<i32>(&format!("{k}.mode"), mode, Some(Seg6IptunMode::SPEC))?;
            let segs = segs_arg(k, get("segs"))?;
            let hmac = hmac_arg(k, get("hmac"))?;
            let srh = srh_bytes(&segs, mode == 0, hmac);
            let mut b = mode.to_ne_bytes().to_vec();
            b.extend_from_slice(&srh);
            Value::map([("srh", Value::Bytes(b))])
        }
        6 => bpf_encap(k, &rest)?,
        7 => seg6local(k, &rest)?,
        _ => Value::Map(rest),
    };
    Ok((ty, v))
}

/// `segs`: a list of IPv6 addresses or `"a,b"`.
fn segs_arg(k: &str, v: Option<&Value>) -> Result<Vec<Ipv6Addr>> {
    let items: Vec<Value> = match v {
        Some(Value::List(l)) => l.clone(),
        Some(Value::Str(s)) => s
            .split(',')
            .filter(|p| !p.is_empty())
            .map(Value::from)
            .collect(),
        _ => {
            return Err(ArgError::new(k, "needs segs: a list of IPv6 addresses or \"a,b\"").into());
        }
    };
    let segs = items
        .iter()
        .map(|s| match s {
            Value::Str(s) => s.trim().parse::<Ipv6Addr>().map_err(|_| {
                ArgError::new(format!("{k}.segs"), format!("{s:?} is not an IPv6 address"))
            }),
            Value::Ip(std::net::IpAddr::V6(a)) => Ok(*a),
            v => Err(ArgError::new(
                format!("{k}.segs"),
                format!("{v:?} is not an IPv6 address"),
            )),
        })
        .collect::<std::result::Result<Vec<_>, _>>()?;
    if segs.is_empty() {
        return Err(ArgError::new(format!("{k}.segs"), "no segments").into());
    }
    Ok(segs)
}

fn hmac_arg(k: &str, v: Option<&Value>) -> Result<Option<u32>> {
    match v {
        None => Ok(None),
        Some(v) => {
            let h = int_arg(&format!("{k}.hmac"), v, None)?;
            Ok((h != 0).then_some(h as u32))
        }
    }
}

/// struct ipv6_sr_hdr, its segments (last first, an empty first slot for inline mode, as
/// iproute2 writes them), and the HMAC TLV when a key id is given.
fn srh_bytes(segs: &[Ipv6Addr], inline: bool, hmac: Option<u32>) -> Vec<u8> {
    let mut all: Vec<Ipv6Addr> = segs.iter().rev().copied().collect();
    if inline {
        all.insert(0, Ipv6Addr::UNSPECIFIED);
    }
    let n = all.len();
    let len = 8 + 16 * n + if hmac.is_some() { 40 } else { 0 };
    let mut b = vec![
        0,
        ((len >> 3) - 1) as u8,
        4,
        (n - 1) as u8,
        (n - 1) as u8,
        if hmac.is_some() { 1 << 3 } else { 0 },
        0,
        0,
    ];
    for s in all {
        b.extend_from_slice(&s.octets());
    }
    if let Some(h) = hmac {
        b.extend_from_slice(&[5, 38, 0, 0]);
        b.extend_from_slice(&h.to_be_bytes());
        b.extend_from_slice(&[0; 32]);
    }
    b
}

/// `{in|out|xmit: {fd, name, headroom}}` (headroom of xmit: LWT_BPF_XMIT_HEADROOM).
fn bpf_encap(k: &str, rest: &[(String, Value)]) -> Result<Value> {
    let mut out = Vec::new();
    let mut headroom = None;
    for (hook, v) in rest {
        let Value::Map(p) = v else {
            return Err(ArgError::new(format!("{k}.{hook}"), "expected {fd, name}").into());
        };
        let mut prog = Vec::new();
        for (x, pv) in p {
            match x.as_str() {
                "headroom" => headroom = Some(pv.clone()),
                _ => prog.push((x.clone(), pv.clone())),
            }
        }
        out.push((hook.clone(), Value::Map(prog)));
    }
    if let Some(h) = headroom {
        out.push(("xmit_headroom".into(), h));
    }
    Ok(Value::Map(out))
}

/// pyroute2's seg6local: `action` by name (`End.DT6`, `End.B6.Encaps` ...) and the keywords
/// each action takes (`nh6`, `nh4`, `table`, `vrf_table`, `oif`, `srh: {segs, hmac}`,
/// `bpf: {fd, name}`).
fn seg6local(k: &str, rest: &[(String, Value)]) -> Result<Value> {
    let mut out = Vec::new();
    // End.B6.Encaps pushes a new outer header: no empty first slot (iproute2, pyroute2).
    let mut inline = true;
    for (x, v) in rest {
        let key = format!("{k}.{x}");
        match x.as_str() {
            "action" => {
                let n = match v {
                    Value::Str(s) => Seg6LocalAction::SPEC
                        .parse(&s.replace('.', "_").replace("_Encaps", "_encap"))
                        .ok_or_else(|| {
                            ArgError::new(&key, format!("{s:?} is not a seg6local action (End, End.X, End.T, End.DX2, End.DX6, End.DX4, End.DT6, End.DT4, End.DT46, End.B6, End.B6.Encaps, End.BM, End.S, End.AS, End.AM, End.BPF)"))
                        })? as i128,
                    v => int_arg(&key, v, None)?,
                };
                inline = n != 10;
                out.push(("action".into(), Value::Int(n)));
            }
            "vrf_table" => out.push(("vrftable".into(), v.clone())),
            "srh" => {
                let Value::Map(m) = v else {
                    return Err(ArgError::new(&key, "expected {segs, hmac}").into());
                };
                let get = |n: &str| m.iter().find(|(x, _)| x == n).map(|(_, v)| v);
                let segs = segs_arg(&key, get("segs"))?;
                let hmac = hmac_arg(&key, get("hmac"))?;
                out.push(("srh".into(), Value::Bytes(srh_bytes(&segs, inline, hmac))));
            }
            "bpf" => {
                let Value::Map(m) = v else {
                    return Err(ArgError::new(&key, "expected {fd, name}").into());
                };
                let prog = m
                    .iter()
                    .map(|(n, v)| match n.as_str() {
                        "fd" => ("prog".to_string(), v.clone()),
                        "name" => ("prog_name".to_string(), v.clone()),
                        _ => (n.clone(), v.clone()),
                    })
                    .collect();
                out.push(("bpf".into(), Value::Map(prog)));
            }
            _ => out.push((x.clone(), v.clone())),
        }
    }
    Ok(Value::Map(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_go_last_first_with_an_empty_slot_inline_as_iproute2_writes_them() {
        let a: Ipv6Addr = "2001:db8::a".parse().unwrap();
        let b: Ipv6Addr = "2001:db8::b".parse().unwrap();
        let s = srh_bytes(&[a, b], false, None);
        assert_eq!(&s[..8], &[0, 4, 4, 1, 1, 0, 0, 0]);
        assert_eq!(&s[8..24], &b.octets());
        assert_eq!(&s[24..40], &a.octets());
        let s = srh_bytes(&[a], true, Some(7));
        assert_eq!(s.len(), 8 + 32 + 40);
        assert_eq!(&s[..8], &[0, 9, 4, 1, 1, 8, 0, 0]);
        assert_eq!(&s[8..24], &[0; 16]);
        assert_eq!(&s[40..48], &[5, 38, 0, 0, 0, 0, 0, 7]);
    }
}
