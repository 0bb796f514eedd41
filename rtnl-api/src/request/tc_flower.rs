//! flower's keys by tc's names (tc/f_flower.c): each keyword is a value and, where tc sends
//! one, a mask, from one word (`10.0.0.0/24`, `7/0xff`, `+trk+est`, `1000-2000`). Keys go in
//! the caller's order among classid/indev/actions (as tc parses them), then TCA_FLOWER_FLAGS
//! (skip_hw/skip_sw, always sent) and the filter's protocol as TCA_FLOWER_KEY_ETH_TYPE.

use std::net::IpAddr;

use rtnl_core::{ArgError, Result};

use super::tc_filter_util::{FilterCtx, Tree, num, text};
use crate::args::{Args, Value};

/// How a key's word becomes attributes.
#[derive(Clone, Copy)]
enum K {
    /// An address with an optional prefix: `(v4 attr, v6 attr)`, each with `_mask`.
    Ip(&'static str, &'static str),
    /// A port or a `min-max` range: `src`/`dst` (the attribute depends on ip_proto).
    Port(&'static str),
    /// A MAC address with an optional `/mask` or `/len`: attr and `attr_mask`.
    Mac(&'static str),
    /// A number (`bits` wide) without a mask.
    Num(&'static str, u32),
    /// A number with an optional `/mask` (default: all ones).
    Masked(&'static str, u32),
    /// An ethertype (name or number).
    EthType(&'static str),
    /// ip_proto: tcp, udp, sctp, icmp, icmpv6 or a number.
    Proto,
    /// ct_state: `+trk+est-new`.
    CtState,
    /// A flag keyword (skip_hw, skip_sw).
    Skip(u32),
    /// ICMP `type` or `code` (a number; tc sends the mask 0xff): icmpv4 or icmpv6 by ip_proto.
    Icmp(&'static str),
}

/// Every key flower takes here, by tc's name.
const KEYS: &[(&str, K)] = &[
    ("src_ip", K::Ip("key_ipv4_src", "key_ipv6_src")),
    ("dst_ip", K::Ip("key_ipv4_dst", "key_ipv6_dst")),
    ("ip_proto", K::Proto),
    ("src_port", K::Port("src")),
    ("dst_port", K::Port("dst")),
    ("vlan_id", K::Num("key_vlan_id", 12)),
    ("vlan_prio", K::Num("key_vlan_prio", 3)),
    ("vlan_ethtype", K::EthType("key_vlan_eth_type")),
    ("cvlan_id", K::Num("key_cvlan_id", 12)),
    ("cvlan_prio", K::Num("key_cvlan_prio", 3)),
    ("cvlan_ethtype", K::EthType("key_cvlan_eth_type")),
    ("dst_mac", K::Mac("key_eth_dst")),
    ("src_mac", K::Mac("key_eth_src")),
    ("ct_state", K::CtState),
    ("ct_zone", K::Masked("key_ct_zone", 16)),
    ("ct_mark", K::Masked("key_ct_mark", 32)),
    ("enc_key_id", K::Num("key_enc_key_id", 32)),
    ("enc_src_ip", K::Ip("key_enc_ipv4_src", "key_enc_ipv6_src")),
    ("enc_dst_ip", K::Ip("key_enc_ipv4_dst", "key_enc_ipv6_dst")),
    ("enc_dst_port", K::Num("key_enc_udp_dst_port", 16)),
    ("enc_tos", K::Masked("key_enc_ip_tos", 8)),
    ("enc_ttl", K::Masked("key_enc_ip_ttl", 8)),
    ("ip_tos", K::Masked("key_ip_tos", 8)),
    ("ip_ttl", K::Masked("key_ip_ttl", 8)),
    ("tcp_flags", K::Masked("key_tcp_flags", 12)),
    ("type", K::Icmp("type")),
    ("code", K::Icmp("code")),
    ("skip_hw", K::Skip(1)),
    ("skip_sw", K::Skip(2)),
];

/// conntrack state words (TCA_FLOWER_KEY_CT_FLAGS_*).
const CT: &[(&str, u16)] = &[
    ("new", 1),
    ("est", 2),
    ("rel", 4),
    ("trk", 8),
    ("inv", 0x10),
    ("rpl", 0x20),
];

/// Ethertypes by name (as the filter's `protocol`).
const ETH: &[(&str, u16)] = &[
    ("ip", 0x0800),
    ("arp", 0x0806),
    ("ipv6", 0x86dd),
    ("802.1q", 0x8100),
    ("802.1ad", 0x88a8),
    ("mpls_uc", 0x8847),
    ("mpls_mc", 0x8848),
];

/// Whether `word` is one of flower's keys: `Some(true)` for a flag (skip_hw, skip_sw),
/// `Some(false)` for a key taking a value.
pub(crate) fn key_flag(word: &str) -> Option<bool> {
    KEYS.iter()
        .find(|(n, _)| *n == word)
        .map(|(_, k)| matches!(k, K::Skip(_)))
}

/// Every key name, for errors.
pub(crate) fn key_names() -> String {
    let names: Vec<_> = KEYS.iter().map(|k| k.0).collect();
    format!("classid, indev, action, {}", names.join(", "))
}

fn ones(bits: u32) -> u64 {
    if bits >= 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    }
}

fn push(out: &mut Tree, attr: &str, v: Value) {
    out.push((attr.to_string(), v));
}

/// `value[/mask]` as numbers of `bits` bits.
fn masked(k: &str, s: &str, bits: u32) -> Result<(u64, u64), ArgError> {
    let (v, m) = match s.split_once('/') {
        Some((v, m)) => (v, Some(m)),
        None => (s, None),
    };
    let v = num(k, v, ones(bits))?;
    let m = m.map(|m| num(k, m, ones(bits))).transpose()?;
    Ok((v, m.unwrap_or(ones(bits))))
}

fn ip(k: &str, s: &str, v4: &str, v6: &str, out: &mut Tree) -> Result<(), ArgError> {
    let (a, len) = match s.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (s, None),
    };
    let addr: IpAddr = a
        .parse()
        .map_err(|_| ArgError::new(k, format!("{a:?} is not an IP address")))?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let len = match len {
        Some(l) => num(k, l, max)? as u32,
        None => max as u32,
    };
    let mask_bits: u128 = if len == 0 {
        0
    } else {
        u128::MAX << (128 - len)
    };
    let (attr, mask) = match addr {
        IpAddr::V4(_) => (v4, IpAddr::from(((mask_bits >> 96) as u32).to_be_bytes())),
        IpAddr::V6(_) => (v6, IpAddr::from(mask_bits.to_be_bytes())),
    };
    push(out, attr, Value::Ip(addr));
    push(out, &format!("{attr}_mask"), Value::Ip(mask));
    Ok(())
}

fn mac(k: &str, s: &str, attr: &str, out: &mut Tree) -> Result<(), ArgError> {
    let (a, m) = match s.split_once('/') {
        Some((a, m)) => (a, Some(m)),
        None => (s, None),
    };
    let mask = match m {
        None => "ff:ff:ff:ff:ff:ff".to_string(),
        Some(m) if m.contains(':') => m.to_string(),
        Some(l) => {
            let l = num(k, l, 48)?;
            let bits = if l == 0 { 0 } else { u64::MAX << (64 - l) };
            let b = bits.to_be_bytes();
            b[..6]
                .iter()
                .map(|x| format!("{x:02x}"))
                .collect::<Vec<_>>()
                .join(":")
        }
    };
    push(out, attr, Value::Str(a.into()));
    push(out, &format!("{attr}_mask"), Value::Str(mask));
    Ok(())
}

fn eth_type(k: &str, s: &str) -> Result<u16, ArgError> {
    match ETH.iter().find(|(n, _)| n.eq_ignore_ascii_case(s)) {
        Some((_, v)) => Ok(*v),
        None => num(k, s, 0xffff).map(|v| v as u16),
    }
}

fn ct_state(k: &str, s: &str, out: &mut Tree) -> Result<(), ArgError> {
    let (mut state, mut mask) = (0u16, 0u16);
    let mut rest = s.trim();
    while !rest.is_empty() {
        let on = match rest.as_bytes()[0] {
            b'+' => true,
            b'-' => false,
            _ => {
                return Err(ArgError::new(
                    k,
                    format!("{s:?}: +word or -word, e.g. +trk+est"),
                ));
            }
        };
        let end = rest[1..].find(['+', '-']).map_or(rest.len(), |i| i + 1);
        let w = &rest[1..end];
        let (_, bit) = CT.iter().find(|(n, _)| *n == w).ok_or_else(|| {
            let names: Vec<_> = CT.iter().map(|c| c.0).collect();
            ArgError::new(k, format!("{w:?} is not one of {}", names.join(", ")))
        })?;
        mask |= bit;
        if on {
            state |= bit;
        }
        rest = &rest[end..];
    }
    push(out, "key_ct_state", Value::Int(state.into()));
    push(out, "key_ct_state_mask", Value::Int(mask.into()));
    Ok(())
}

/// One key into its attributes; `proto` is the ip_proto seen so far.
fn key(k: &str, kind: K, s: &str, proto: &mut Option<u8>, out: &mut Tree) -> Result<u32> {
    match kind {
        K::Ip(v4, v6) => ip(k, s, v4, v6, out)?,
        K::Mac(attr) => mac(k, s, attr, out)?,
        K::Num(attr, bits) => push(out, attr, Value::Int(num(k, s, ones(bits))?.into())),
        K::Masked(attr, bits) => {
            let (v, m) = masked(k, s, bits)?;
            push(out, attr, Value::Int(v.into()));
            push(out, &format!("{attr}_mask"), Value::Int(m.into()));
        }
        K::EthType(attr) => push(out, attr, Value::Int(eth_type(k, s)?.into())),
        K::Proto => {
            let p = match s {
                "tcp" => 6,
                "udp" => 17,
                "sctp" => 132,
                "icmp" => 1,
                "icmpv6" => 58,
                // tc reads a numeric ip_proto in base 16 (f_flower.c: "3a" is 58); an
                // integer keyword value is taken as is (flower() writes it as 0x..).
                s => num(k, &format!("0x{}", s.trim_start_matches("0x")), 255)? as u8,
            };
            *proto = Some(p);
            push(out, "key_ip_proto", Value::Int(p.into()));
        }
        K::Port(dir) => {
            if let Some((lo, hi)) = s.split_once('-') {
                let (lo, hi) = (num(k, lo, 0xffff)?, num(k, hi, 0xffff)?);
                if lo >= hi {
                    return Err(ArgError::new(k, "a port range is min-max with min < max").into());
                }
                push(out, &format!("key_port_{dir}_min"), Value::Int(lo.into()));
                push(out, &format!("key_port_{dir}_max"), Value::Int(hi.into()));
            } else {
                let l4 = match proto {
                    Some(6) => "tcp",
                    Some(17) => "udp",
                    Some(132) => "sctp",
                    _ => {
                        return Err(ArgError::new(
                            k,
                            "a port needs ip_proto tcp, udp or sctp before it",
                        )
                        .into());
                    }
                };
                let v = num(k, s, 0xffff)?;
                push(out, &format!("key_{l4}_{dir}"), Value::Int(v.into()));
            }
        }
        K::CtState => ct_state(k, s, out)?,
        K::Icmp(field) => {
            let v = match proto {
                Some(1) => "icmpv4",
                Some(58) => "icmpv6",
                _ => {
                    return Err(ArgError::new(
                        k,
                        "an ICMP type or code needs ip_proto icmp or icmpv6 before it",
                    )
                    .into());
                }
            };
            let attr = format!("key_{v}_{field}");
            push(out, &attr, Value::Int(num(k, s, 255)?.into()));
            push(out, &format!("{attr}_mask"), Value::Int(0xff));
        }
        K::Skip(bit) => {
            return Ok(match s {
                "true" | "1" => bit,
                "false" | "0" => 0,
                _ => return Err(ArgError::new(k, "a flag: true or false").into()),
            });
        }
    }
    Ok(0)
}

/// The `flower` routine: keys by name, then flags and the ethertype.
pub(crate) fn flower(
    tree: &mut Tree,
    _inputs: &[(&str, Value)],
    a: &mut Args,
    ctx: &mut FilterCtx,
) -> Result<()> {
    // (position of the keyword among the caller's, attributes) for tree entries and keys.
    let pos = |words: &[&str]| {
        ctx.order
            .iter()
            .position(|o| words.contains(&o.as_str()))
            .unwrap_or(usize::MAX)
    };
    let mut groups: Vec<(usize, Tree)> = Vec::new();
    for (attr, v) in tree.drain(..) {
        let p = match attr.as_str() {
            "classid" => pos(&["classid", "flowid"]),
            "act" => pos(&["action", "actions"]),
            other => pos(&[other]),
        };
        groups.push((p, vec![(attr, v)]));
    }
    let mut flags = 0u32;
    let mut proto = None;
    // ip_proto first: a port needs it whatever the order of the caller's map.
    let mut given: Vec<(usize, &str, K)> = KEYS
        .iter()
        .filter(|(n, _)| a.get(n).is_some())
        .map(|(n, kind)| (pos(&[n]), *n, *kind))
        .collect();
    given.sort_by_key(|(p, n, _)| (*n != "ip_proto", *p));
    for (p, n, kind) in given {
        let v = a.take(n).expect("listed");
        let s = match (kind, &v) {
            (K::Skip(_), Value::Bool(b)) => b.to_string(),
            (K::Proto, Value::Int(i)) => format!("0x{i:x}"),
            _ => text(n, &v)?,
        };
        let mut out = Vec::new();
        flags |= key(n, kind, &s, &mut proto, &mut out)?;
        groups.push((p, out));
    }
    if let Some((k, _)) = a.iter().next() {
        return Err(ArgError::new(
            k,
            format!("flower has no key {k:?}; its keys: {}", key_names()),
        )
        .into());
    }
    if flags == 3 {
        return Err(ArgError::new("skip_sw", "skip_hw and skip_sw are mutually exclusive").into());
    }
    groups.sort_by_key(|g| g.0);
    tree.extend(groups.into_iter().flat_map(|g| g.1));
    tree.push(("flags".into(), Value::Int(flags.into())));
    if ctx.proto != 0x0003 && ctx.proto != 0 {
        tree.push(("key_eth_type".into(), Value::Int(ctx.proto.into())));
    }
    Ok(())
}
