//! `nexthop add|replace|delete|flush`: iproute2's ip/ipnexthop.c words into `IPRoute::nexthop`
//! keywords, in the order the words come (ip sends the attributes in that order). The header
//! family is ip's: `-4`/`-6`, else `via`'s address family, else inet once `dev` or `blackhole`
//! is read. `flush` deletes what a dump with the same selectors lists (groups first when it
//! flushes everything, as ip does).

use std::net::IpAddr;

use rtnl_api::{Args, IPRoute, NexthopFilter, Value};

use super::route::proto;
use super::{Call, Failure, Names, Words, int, matches};

/// What `nexthop flush` deletes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlushSel {
    /// The kernel-side filters (`dev`, `master`, `groups`, `fdb`; `id` deletes one).
    pub filter: NexthopFilter,
    /// `protocol P`: compared here, as ip compares it.
    pub proto: Option<u8>,
    /// No selector: everything, groups first.
    pub all: bool,
}

/// ip's `ipnh_parse_id`.
fn id(s: &str) -> Result<u32, Failure> {
    int(s)
        .and_then(|v| u32::try_from(v).ok())
        .ok_or_else(|| Failure::invarg("invalid id value", s))
}

/// ip's device lookup here: `Device does not exist` (exit 255).
fn dev(names: &mut dyn Names, s: &str) -> Result<u32, Failure> {
    names
        .index(s)?
        .ok_or_else(|| Failure::invarg("Device does not exist\n", s))
}

/// Parses `nexthop COMMAND ...`.
pub fn parse(
    cmd: &'static str,
    family: u8,
    w: &mut Words<'_>,
    names: &mut dyn Names,
) -> Result<Call, Failure> {
    match cmd {
        "help" => return Ok(Call::Usage(super::help::NEXTHOP)),
        "flush" => return flush_sel(family, w, names).map(Call::NexthopFlush),
        "get" => return get(w),
        "bucket" => return bucket(family, w, names),
        _ => {}
    }
    let mut fam = family;
    let mut a: Vec<(String, Value)> = Vec::new();
    let mut onlink = false;
    let mut protocol: Option<u8> = None;
    while let Some(word) = w.next() {
        match word {
            "id" => a.push(("id".into(), Value::Int(id(w.arg()?)?.into()))),
            "dev" => {
                let i = dev(names, w.arg()?)?;
                a.push(("oif".into(), Value::Int(i.into())));
                if fam == 0 {
                    fam = 2;
                }
            }
            "via" => {
                let mut s = w.arg()?;
                let want = match s {
                    "inet" => Some(2),
                    "inet6" => Some(10),
                    _ => None,
                };
                if want.is_some() {
                    s = w.arg()?;
                }
                let ip: IpAddr = s.parse().map_err(|_| Failure::address(s))?;
                let f = if ip.is_ipv4() { 2 } else { 10 };
                match want.or((fam != 0).then_some(fam)) {
                    Some(x) if x != f => return Err(Failure::address(s)),
                    _ => {}
                }
                if fam == 0 {
                    fam = f;
                } else if fam != f {
                    return Err(Failure::invarg("address family mismatch\n", s));
                }
                a.push(("gateway".into(), Value::Ip(ip)));
            }
            "encap" => a.push(("encap".into(), super::encap::encap(w, names)?)),
            "blackhole" => {
                a.push(("blackhole".into(), Value::Bool(true)));
                if fam == 0 {
                    fam = 2;
                }
            }
            "fdb" => a.push(("fdb".into(), Value::Bool(true))),
            "onlink" => onlink = true,
            "group" => {
                let s = w.arg()?;
                a.push(("group".into(), group(s)?));
            }
            "type" => group_type(w, &mut a)?,
            _ if matches(word, "protocol") => protocol = Some(proto(w.arg()?)?),
            "help" => return Ok(Call::Usage(super::help::NEXTHOP)),
            other => return Err(Failure::invarg("", other)),
        }
    }
    let mut args = Args::new().with("family", fam);
    if let Some(p) = protocol {
        args = args.with("protocol", p);
    }
    if onlink {
        args = args.with("flags", 4);
    }
    for (k, v) in a {
        args = args.with(k, v);
    }
    let cmd = match cmd {
        "delete" => "del",
        c => c,
    };
    Ok(Call::Nexthop(cmd, args))
}

/// `get id ID`: anything else, or no id, is ip's usage (exit 255).
fn get(w: &mut Words<'_>) -> Result<Call, Failure> {
    let mut nh = None;
    while let Some(word) = w.next() {
        match word {
            "id" => nh = Some(id(w.arg()?)?),
            _ => return Ok(Call::Usage(super::help::NEXTHOP)),
        }
    }
    Ok(match nh {
        Some(i) if i != 0 => Call::NexthopGet(i),
        _ => Call::Usage(super::help::NEXTHOP),
    })
}

/// `bucket [list|show|lst] [dev D] [master D] [id ID] [nhid ID]` and `bucket get id ID index
/// N`, as ip's `do_ipnh_bucket`.
fn bucket(family: u8, w: &mut Words<'_>, names: &mut dyn Names) -> Result<Call, Failure> {
    let mut f = rtnl_api::NexthopBucketFilter {
        family,
        ..Default::default()
    };
    let usage = Ok(Call::Usage(super::help::NEXTHOP));
    match w.next() {
        None => {}
        Some(c) if matches(c, "list") || matches(c, "show") || matches(c, "lst") => {
            while let Some(word) = w.next() {
                match word {
                    _ if matches(word, "dev") => f.oif = Some(dev(names, w.arg()?)?),
                    _ if matches(word, "master") => f.master = Some(dev(names, w.arg()?)?),
                    "id" => f.id = Some(id(w.arg()?)?),
                    "nhid" => f.nhid = Some(id(w.arg()?)?),
                    _ if matches(word, "help") => return usage,
                    other => return Err(Failure::invarg("", other)),
                }
            }
        }
        Some(c) if matches(c, "get") => {
            while let Some(word) = w.next() {
                match word {
                    "id" => f.id = Some(id(w.arg()?)?),
                    "index" => {
                        let s = w.arg()?;
                        let i = int(s)
                            .and_then(|v| u16::try_from(v).ok())
                            .ok_or_else(|| Failure::invarg("invalid bucket index value", s))?;
                        f.index = Some(i);
                    }
                    _ => return usage,
                }
            }
            if f.id.is_none_or(|i| i == 0) || f.index.is_none() {
                return usage;
            }
        }
        Some(c) if matches(c, "help") => return usage,
        Some(c) => {
            return Err(Failure::fatal(format!(
                "Command \"{c}\" is unknown, try \"ip nexthop help\"."
            )));
        }
    }
    Ok(Call::NexthopBucket(f))
}

/// `group ID[,WEIGHT]/...`, checked as ip's `add_nh_group_attr` checks it.
fn group(s: &str) -> Result<Value, Failure> {
    let bad = || Failure::invarg("\"group\" value is invalid\n", s);
    let mut out = Vec::new();
    for m in s.split('/') {
        let (i, wt) = match m.split_once(',') {
            Some((i, wt)) => (i, Some(wt)),
            None => (m, None),
        };
        let i = int(i).filter(|v| (0..=u32::MAX as i128).contains(v));
        let Some(i) = i else { return Err(bad()) };
        let mut e = vec![("id".to_string(), Value::Int(i))];
        if let Some(wt) = wt {
            match int(wt) {
                Some(v) if (1..=256).contains(&v) => e.push(("weight".into(), Value::Int(v))),
                _ => return Err(Failure::invarg("\"weight\" is invalid\n", wt)),
            }
        }
        out.push(Value::Map(e));
    }
    Ok(Value::List(out))
}

/// `type mpath|resilient [buckets N] [idle_timer S] [unbalanced_timer S]`: the resilient
/// nest (when any word follows `resilient`, as ip opens it), then the type.
fn group_type(w: &mut Words<'_>, a: &mut Vec<(String, Value)>) -> Result<(), Failure> {
    let t = w.arg()?;
    let ty = match t {
        "mpath" => 0,
        "resilient" => 1,
        _ => return Err(Failure::invarg("\"type\" value is invalid\n", t)),
    };
    if ty == 1 && w.peek().is_some() {
        let mut res: Vec<(String, Value)> = Vec::new();
        while let Some(k) = w.peek() {
            let (why, max) = match k {
                "buckets" => ("invalid buckets value", u16::MAX as i128),
                "idle_timer" => ("invalid idle timer value", (u32::MAX / 100) as i128 - 1),
                "unbalanced_timer" => (
                    "invalid unbalanced timer value",
                    (u32::MAX / 100) as i128 - 1,
                ),
                _ => break,
            };
            w.next();
            let s = w.arg()?;
            let v = int(s)
                .filter(|v| (0..=max).contains(v))
                .ok_or_else(|| Failure::invarg(why, s))?;
            let v = if k == "buckets" { v } else { v * 100 };
            res.push((k.to_string(), Value::Int(v)));
        }
        a.push(("res_group".into(), Value::Map(res)));
    }
    a.push(("group_type".into(), Value::Int(ty)));
    Ok(())
}

/// `flush [dev D] [master D] [groups] [fdb] [protocol P] [id N]`.
fn flush_sel(family: u8, w: &mut Words<'_>, names: &mut dyn Names) -> Result<FlushSel, Failure> {
    let mut sel = FlushSel {
        all: w.peek().is_none(),
        ..Default::default()
    };
    sel.filter.family = family;
    while let Some(word) = w.next() {
        match word {
            "id" => {
                sel.filter.id = Some(id(w.arg()?)?);
                return Ok(sel);
            }
            _ if matches(word, "dev") => sel.filter.oif = Some(dev(names, w.arg()?)?),
            _ if matches(word, "groups") => sel.filter.groups = true,
            _ if matches(word, "master") => sel.filter.master = Some(dev(names, w.arg()?)?),
            _ if matches(word, "protocol") => {
                let s = w.arg()?;
                let p = int(s)
                    .and_then(|v| u8::try_from(v).ok())
                    .ok_or_else(|| Failure::invarg("invalid protocol value", s))?;
                sel.proto = Some(p);
            }
            _ if matches(word, "fdb") => sel.filter.fdb = true,
            other => return Err(Failure::invarg("", other)),
        }
    }
    Ok(sel)
}

/// Deletes what `sel` selects, one RTM_DELNEXTHOP each; prints ip's count line.
pub fn flush(ipr: &mut IPRoute, sel: &FlushSel) -> Result<(), Failure> {
    let err = |e: rtnl_core::Error| Failure::from_error(&e);
    if let Some(i) = sel.filter.id {
        return ipr
            .nexthop("del", Args::new().with("id", i))
            .map(drop)
            .map_err(err);
    }
    let mut passes = vec![sel.filter.clone()];
    if sel.all {
        // Groups first: deleting a member would change its groups under the dump.
        passes.insert(
            0,
            NexthopFilter {
                groups: true,
                ..sel.filter.clone()
            },
        );
    }
    let mut flushed = 0u32;
    for f in passes {
        let mut ids = Vec::new();
        ipr.get_nexthops(f)
            .map_err(err)?
            .for_each(|nh| {
                if sel
                    .proto
                    .is_none_or(|p| u8::from(nh.header().protocol()) == p)
                    && let Some(i) = nh.id()?
                {
                    ids.push(i);
                }
                Ok(())
            })
            .map_err(err)?;
        for i in ids {
            // A member deleted with its group (or by another flusher) is not an error.
            if ipr.nexthop("del", Args::new().with("id", i)).is_ok() {
                flushed += 1;
            }
        }
    }
    match flushed {
        0 => println!("Nothing to flush"),
        n => println!("Flushed {n} nexthops"),
    }
    Ok(())
}
