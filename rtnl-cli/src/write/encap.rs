//! `encap TYPE ...` of a route or a nexthop, in ip's words (ip/iproute_lwtunnel.c), into the
//! `encap` map rtnl-api's route keywords take (`{type: "ip", id: 5, dst: ...}`): `mpls LABELS
//! [ttl TTL]`, `ip` / `ip6` (`id`, `dst`, `src`, `tos`/`tc`, `ttl`/`hoplimit`, flags `key`,
//! `csum`, `seq`), `seg6 mode MODE segs A,B [hmac KEYID]` and `seg6local action ACTION [table
//! T] [vrftable T] [nh4 A] [nh6 A] [iif DEV] [oif DEV] [srh segs A,B [hmac KEYID]]`.
//!
//! As ip, the options of a type are read while the words are that type's; the first other word
//! goes back to the route (`... encap ip id 5 dst 10.0.0.9 dev v0`). The attributes go in the
//! order the words came, and the tunnel flags last, as ip sends them.

use std::net::IpAddr;

use rtnl_api::Value;

use super::{Failure, Names, Words, int};

/// IP_TUNNEL_*_BIT of the flag words ip takes after `encap ip|ip6`.
const TUNNEL_FLAGS: &[(&str, u32)] = &[("csum", 0), ("key", 2), ("seq", 3)];

/// The words after `encap`: the `encap` keyword's map.
pub(super) fn encap(w: &mut Words<'_>, names: &mut dyn Names) -> Result<Value, Failure> {
    let ty = w.arg()?;
    let mut m: Vec<(String, Value)> = vec![("type".into(), Value::from(ty))];
    match ty {
        "mpls" => {
            m.push(("labels".into(), Value::from(w.arg()?)));
            if w.peek() == Some("ttl") {
                w.next();
                m.push(("ttl".into(), number(w.arg()?, "ttl", 255)?));
            }
        }
        "ip" | "ip6" => ip_tunnel(w, ty == "ip6", &mut m)?,
        "seg6" => seg6(w, &mut m)?,
        "seg6local" => seg6local(w, names, &mut m)?,
        _ => return Err(Failure::invarg("\"encap type\" value is invalid\n", ty)),
    }
    Ok(Value::Map(m))
}

fn number(s: &str, what: &str, max: i128) -> Result<Value, Failure> {
    int(s)
        .filter(|v| (0..=max).contains(v))
        .map(Value::Int)
        .ok_or_else(|| Failure::invarg(&format!("\"{what}\" value is invalid\n"), s))
}

fn address(s: &str, v6: bool) -> Result<Value, Failure> {
    match s.parse::<IpAddr>() {
        Ok(a) if a.is_ipv6() == v6 => Ok(Value::Ip(a)),
        _ => Err(Failure::address(s)),
    }
}

/// `encap ip|ip6 id ID dst ADDR [src ADDR] [tos|tc N] [ttl|hoplimit N] [key] [csum] [seq]`.
fn ip_tunnel(w: &mut Words<'_>, v6: bool, m: &mut Vec<(String, Value)>) -> Result<(), Failure> {
    let (tos, ttl) = if v6 {
        ("tc", "hoplimit")
    } else {
        ("tos", "ttl")
    };
    let mut flags = 0u32;
    while let Some(word) = w.peek() {
        match word {
            "id" => {
                w.next();
                let s = w.arg()?;
                let id = s
                    .parse::<u64>()
                    .map_err(|_| Failure::invarg("\"id\" value is invalid\n", s))?;
                m.push(("id".into(), Value::Int(id.into())));
            }
            "dst" | "src" => {
                w.next();
                m.push((word.into(), address(w.arg()?, v6)?));
            }
            _ if word == tos => {
                w.next();
                m.push((word.into(), number(w.arg()?, word, 255)?));
            }
            _ if word == ttl => {
                w.next();
                m.push((word.into(), number(w.arg()?, word, 255)?));
            }
            _ => match TUNNEL_FLAGS.iter().find(|(n, _)| *n == word) {
                Some((_, bit)) => {
                    w.next();
                    flags |= 1 << bit;
                }
                None => break,
            },
        }
    }
    if flags != 0 {
        m.push(("flags".into(), Value::Int(flags.into())));
    }
    Ok(())
}

/// `segs A,B` and an optional `hmac KEYID` into `m`.
fn segs_hmac(w: &mut Words<'_>, m: &mut Vec<(String, Value)>) -> Result<(), Failure> {
    while let Some(word) = w.peek() {
        match word {
            "segs" => {
                w.next();
                m.push(("segs".into(), Value::from(w.arg()?)));
            }
            "hmac" => {
                w.next();
                m.push(("hmac".into(), number(w.arg()?, "hmac", u32::MAX.into())?));
            }
            _ => break,
        }
    }
    Ok(())
}

/// `encap seg6 mode inline|encap|l2encap segs A,B [hmac KEYID]`.
fn seg6(w: &mut Words<'_>, m: &mut Vec<(String, Value)>) -> Result<(), Failure> {
    if w.peek() == Some("mode") {
        w.next();
        let s = w.arg()?;
        if !["inline", "encap", "l2encap", "encap.red", "l2encap.red"].contains(&s) {
            return Err(Failure::invarg("\"mode\" value is invalid\n", s));
        }
        m.push(("mode".into(), Value::from(s.replace('.', "_"))));
    }
    segs_hmac(w, m)?;
    if !m.iter().any(|(k, _)| k == "segs") {
        return Err(Failure::fatal("Error: seg6 needs segs"));
    }
    Ok(())
}

/// `encap seg6local action ACTION [table T] [vrftable T] [nh4 A] [nh6 A] [iif DEV] [oif DEV]
/// [srh segs A,B [hmac KEYID]]`.
fn seg6local(
    w: &mut Words<'_>,
    names: &mut dyn Names,
    m: &mut Vec<(String, Value)>,
) -> Result<(), Failure> {
    while let Some(word) = w.peek() {
        match word {
            "action" => {
                w.next();
                m.push(("action".into(), Value::from(w.arg()?)));
            }
            "table" | "vrftable" => {
                w.next();
                let s = w.arg()?;
                let t = super::table(s)?;
                let key = if word == "table" {
                    "table"
                } else {
                    "vrf_table"
                };
                m.push((key.into(), Value::Int(t.into())));
            }
            "nh4" | "nh6" => {
                w.next();
                m.push((word.into(), address(w.arg()?, word == "nh6")?));
            }
            "iif" | "oif" => {
                w.next();
                let dev = names.need(w.arg()?)?;
                m.push((word.into(), Value::Int(dev.into())));
            }
            "srh" => {
                w.next();
                let mut srh = Vec::new();
                segs_hmac(w, &mut srh)?;
                m.push(("srh".into(), Value::Map(srh)));
            }
            _ => break,
        }
    }
    if !m.iter().any(|(k, _)| k == "action") {
        return Err(Failure::fatal("Error: seg6local needs an action"));
    }
    Ok(())
}
