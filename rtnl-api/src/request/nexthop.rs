//! `nexthop`: RTM_NEWNEXTHOP / RTM_DELNEXTHOP / RTM_GETNEXTHOP keyword requests (`ip nexthop`).
//!
//! The attributes go in the order the keywords come (as ip sends its words), each value read
//! in place; the header (family, protocol, flags) is taken out first.

use rtnl_core::generated::*;
use rtnl_core::spec::{Command, EncodeCtx};
use rtnl_core::{ArgError, Result};

use super::*;
use crate::args::{Args, Value, family_of, int_arg, int_as, prefix_arg};

/// `nexthop(cmd, ...)`: add, replace (set), del, get and dump nexthop objects.
///
/// | keyword | meaning |
/// | --- | --- |
/// | `id` | NHA_ID (0 or none on add: the kernel picks one) |
/// | `gateway` (`via`) | NHA_GATEWAY; its family is the header's unless `family` is given |
/// | `oif` (`ifname`, `dev`) | NHA_OIF: an index or a name; the family is AF_INET unless said, as ip's |
/// | `blackhole`, `fdb` | the flags (`true`); blackhole alone makes the family AF_INET, as ip's |
/// | `group` | NHA_GROUP: `"1/2,3"` (ip's `id[,weight]/...`), or a list of ids, `"id,weight"` strings and `{id, weight}` maps; weights 1..=256 |
/// | `group_type` | `mpath` or `resilient` (or a number) |
/// | `buckets`, `idle_timer`, `unbalanced_timer` | NHA_RES_GROUP of a resilient group, timers in seconds as ip takes them (sent as 1/100 s); `res_group: {buckets, idle_timer, ...}` takes the raw nest (timers in 1/100 s) |
/// | `encap` | as a route's: `{type: "seg6", mode: "encap", segs: "2001:db8::5"}`, `{type: "mpls", labels: "100/200"}` ... |
/// | `protocol` (`proto`) | the header's protocol: a number or a name (`static`, `boot` ...) |
/// | `flags` | the header's RTNH_F_* flags: a number, a name or a list of names (`onlink`); `onlink: true` too |
/// | `family` | the header's family (`inet`, `inet6`, 2, 10) |
/// | `groups`, `master` | dump filters (with `oif` and `fdb`): groups only, nexthops of a master's ports (index or name) |
///
/// Everything else is an `NHA_*` attribute by name: `op_flags` (6.9: 1 asks a dump or get for
/// each group's `group_stats`, 3 for the hardware counters too), `hw_stats_enable` (6.9),
/// `res_group: {buckets, idle_timer, unbalanced_timer}` (timers in 1/100 s).
///
/// ```
/// use rtnl_api::{IPBatch, Value, kw};
/// let mut b = IPBatch::new();
/// b.nexthop("add", kw! { id: 1, gateway: "10.0.0.2", oif: 2 })?;
/// b.nexthop("add", kw! { id: 2, blackhole: true })?;
/// b.nexthop("add", kw! { id: 10, group: "1/2,3" })?;
/// let members = vec![Value::from(1), kw! { id: 2, weight: 3 }.into()];
/// b.nexthop("add", kw! { id: 11, group: members, group_type: "resilient", buckets: 8 })?;
/// b.nexthop("del", kw! { id: 10 })?;
/// # Ok::<(), rtnl_core::Error>(())
/// ```
pub fn nexthop(buf: &mut Vec<u8>, cmd: &str, args: &Args, r: &mut dyn Resolve) -> Result<Command> {
    let c = command(&NEXTHOP_MSG, cmd)?;
    let mut a = args.clone();
    let mut hdr = Nhmsg::zeroed();
    let mut family: Option<u8> = match a.take("family") {
        Some(v) => Some(int_as("family", &v, Some(AddressFamily::SPEC))?),
        None => None,
    };
    if let Some((k, v)) = a.take_any(&["protocol", "proto"]) {
        hdr.set_protocol(int_as::<u8>(&k, &v, Some(RtProto::SPEC))?);
    }
    let mut flags = match a.take("flags") {
        Some(v) => flags_arg(&v)?,
        None => 0,
    };
    if let Some(v) = a.take("onlink")
        && int_arg("onlink", &v, None)? != 0
    {
        flags |= 4;
    }
    hdr.set_flags(flags);
    let mut out: Vec<(String, Value)> = Vec::with_capacity(a.len());
    let mut res: Vec<(String, Value)> = Vec::new();
    let mut res_at: Option<usize> = None;
    let mut encap: Option<(usize, Value)> = None;
    for (k, v) in a.0 {
        match k.as_str() {
            "gateway" | "via" => {
                let (ip, _) = prefix_arg(&k, &v)?;
                family.get_or_insert(family_of(&ip));
                out.push(("gateway".into(), Value::Ip(ip)));
            }
            "oif" | "ifname" | "dev" | "ifindex" => {
                let idx = ifindex_arg(&k, &v, r)?;
                if !matches!(c.msg_type, RTM_GETNEXTHOP) {
                    family.get_or_insert(2);
                }
                out.push(("oif".into(), Value::Int(idx.into())));
            }
            "master" => {
                let idx = ifindex_arg(&k, &v, r)?;
                out.push((k, Value::Int(idx.into())));
            }
            "blackhole" => {
                if matches!(v, Value::Bool(true)) {
                    family.get_or_insert(2);
                }
                out.push((k, v));
            }
            "group" => out.push((k.clone(), group_arg(&k, &v)?)),
            "buckets" | "idle_timer" | "unbalanced_timer" => {
                res_at.get_or_insert(out.len());
                let n: i128 = match k.as_str() {
                    "buckets" => int_as::<u16>(&k, &v, None)?.into(),
                    _ => timer_arg(&k, &v)?,
                };
                res.push((k, Value::Int(n)));
            }
            "encap" => encap = Some((out.len(), v)),
            _ => out.push((k, v)),
        }
    }
    // ip sends the resilient nest just before NHA_GROUP_TYPE (`type resilient buckets N`).
    if let Some(at) = res_at {
        let at = out
            .iter()
            .position(|(k, _)| k == "group_type")
            .unwrap_or(at);
        out.insert(at, ("res_group".into(), Value::Map(res)));
    }
    let family = family.unwrap_or(0);
    hdr.set_family(family);
    NexthopMsg::request(buf, &hdr);
    let ctx = EncodeCtx {
        start: buf.len(),
        family,
    };
    for (i, (k, v)) in out.iter().enumerate() {
        if let Some((at, e)) = &encap
            && *at == i
        {
            put_encap(buf, ctx, e)?;
        }
        put_kw(&NEXTHOP_SPEC, buf, ctx, k, v)?;
    }
    if let Some((at, e)) = &encap
        && *at >= out.len()
    {
        put_encap(buf, ctx, e)?;
    }
    Ok(*c)
}

/// NHA_ENCAP, then NHA_ENCAP_TYPE (ip's order, as for routes).
fn put_encap(buf: &mut Vec<u8>, ctx: EncodeCtx, e: &Value) -> Result<()> {
    let (ty, v) = super::encap::encap_value("encap", e)?;
    // The encoder picks NHA_ENCAP's format from a sibling already written: build the pair
    // aside, type first, and append it encap first.
    let mut tmp = Vec::new();
    let tctx = EncodeCtx {
        start: 0,
        family: ctx.family,
    };
    put_kw(&NEXTHOP_SPEC, &mut tmp, tctx, "encap_type", &Value::Int(ty))?;
    let split = tmp.len();
    put_kw(&NEXTHOP_SPEC, &mut tmp, tctx, "encap", &v)?;
    buf.extend_from_slice(&tmp[split..]);
    buf.extend_from_slice(&tmp[..split]);
    Ok(())
}

/// The header's flags: a number, a flag name (`onlink`) or a list of them.
fn flags_arg(v: &Value) -> Result<u32> {
    match v {
        Value::List(items) => items
            .iter()
            .try_fold(0u32, |acc, it| Ok(acc | flags_arg(it)?)),
        v => Ok(int_as::<u32>("flags", v, Some(NhFlags::SPEC))?),
    }
}

/// A timer in seconds, as ip takes it, in the kernel's 1/100 s (below `u32::MAX / 100`).
fn timer_arg(k: &str, v: &Value) -> Result<i128> {
    let s = int_arg(k, v, None)?;
    if !(0..i128::from(u32::MAX / 100)).contains(&s) {
        return Err(ArgError::new(k, format!("{s} seconds: out of range")).into());
    }
    Ok(s * 100)
}

/// `group`: the members as NHA_GROUP's `nexthop_grp` entries (`{id, weight: w - 1}`).
fn group_arg(k: &str, v: &Value) -> Result<Value> {
    let items: Vec<Value> = match v {
        Value::Str(s) => s.split('/').map(Value::from).collect(),
        Value::List(l) => l.clone(),
        v => vec![v.clone()],
    };
    if items.is_empty() {
        return Err(ArgError::new(k, "no members").into());
    }
    let entry = |id: &Value, weight: Option<&Value>| -> Result<Value> {
        let id = int_as::<u32>(k, id, None)?;
        let w = match weight {
            Some(w) => int_arg(k, w, None)?,
            None => 1,
        };
        if !(1..=256).contains(&w) {
            return Err(ArgError::new(k, format!("weight {w}: 1 to 256")).into());
        }
        Ok(Value::map([
            ("id", Value::Int(id.into())),
            ("weight", Value::Int(w - 1)),
        ]))
    };
    items
        .iter()
        .map(|it| match it {
            Value::Str(s) => match s.split_once(',') {
                Some((id, w)) => entry(&Value::from(id.trim()), Some(&Value::from(w.trim()))),
                None => entry(&Value::from(s.trim()), None),
            },
            Value::Map(m) => {
                let get = |n: &str| m.iter().find(|(x, _)| x == n).map(|(_, v)| v);
                if let Some((x, _)) = m.iter().find(|(x, _)| x != "id" && x != "weight") {
                    return Err(
                        ArgError::new(k, format!("{x:?}: a member takes id and weight")).into(),
                    );
                }
                let id = get("id").ok_or_else(|| ArgError::new(k, "a member needs an id"))?;
                entry(id, get("weight"))
            }
            v => entry(v, None),
        })
        .collect::<Result<Vec<_>>>()
        .map(Value::List)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kw;

    fn body(cmd: &str, a: Args) -> Vec<u8> {
        let mut b = Vec::new();
        nexthop(&mut b, cmd, &a, &mut NoResolve).unwrap();
        b
    }

    #[test]
    fn group_weights_are_sent_less_one() {
        let b = body("add", kw! { id: 10, group: "1/2,3" });
        // nhmsg (family 0), NHA_ID 10, NHA_GROUP [1 w0, 2 w2].
        assert_eq!(&b[..8], &[0; 8]);
        assert_eq!(&b[8..16], &[8, 0, 1, 0, 10, 0, 0, 0]);
        assert_eq!(&b[16..20], &[20, 0, 2, 0]);
        assert_eq!(&b[20..28], &[1, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(&b[28..36], &[2, 0, 0, 0, 2, 0, 0, 0]);
        let members = vec![Value::from(1), kw! { id: 2, weight: 3 }.into()];
        assert_eq!(b, body("add", kw! { id: 10, group: members }));
        assert_eq!(b, body("add", kw! { id: 10, group: vec!["1", "2,3"] }));
    }

    #[test]
    fn family_and_header_as_ip() {
        let b = body(
            "add",
            kw! { id: 1, gateway: "10.0.0.2", oif: 3, onlink: true, proto: "static" },
        );
        assert_eq!(&b[..8], &[2, 0, 4, 0, 4, 0, 0, 0]);
        let b = body("add", kw! { id: 1, blackhole: true });
        assert_eq!(b[0], 2);
        let b = body("add", kw! { id: 1, gateway: "2001:db8::1", oif: 3 });
        assert_eq!(b[0], 10);
        // The resilient nest is flagged NLA_F_NESTED and comes where its first keyword was.
        let b = body(
            "add",
            kw! { id: 11, group: "1/2", group_type: "resilient", buckets: 8, idle_timer: 10 },
        );
        let tail = &b[b.len() - 28..];
        assert_eq!(&tail[..4], &[20, 0, 12, 0x80]);
        assert_eq!(&tail[4..12], &[6, 0, 1, 0, 8, 0, 0, 0]);
        assert_eq!(&tail[12..20], &[8, 0, 2, 0, 232, 3, 0, 0]);
        assert_eq!(&tail[20..28], &[6, 0, 3, 0, 1, 0, 0, 0]);
    }

    #[test]
    fn bad_values_name_the_keyword() {
        let mut b = Vec::new();
        let e = |a: Args, b: &mut Vec<u8>| {
            nexthop(b, "add", &a, &mut NoResolve)
                .unwrap_err()
                .to_string()
        };
        assert!(e(kw! { id: 1, group: "1,0" }, &mut b).contains("group"));
        assert!(e(kw! { id: 1, group: "x" }, &mut b).contains("group"));
        assert!(e(kw! { id: 1, group_type: "nosuch" }, &mut b).contains("group_type"));
        assert!(e(kw! { id: 1, oif: "v0" }, &mut b).contains("oif"));
        assert!(e(kw! { id: 1, idle_timer: -1 }, &mut b).contains("idle_timer"));
    }
}
