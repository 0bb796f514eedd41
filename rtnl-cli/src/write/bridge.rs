//! bridge's write commands: `fdb add|append|replace|delete` (bridge/fdb.c `fdb_modify`, sent
//! through `IPRoute::neigh` with family AF_BRIDGE and bridge's own state and flags), `vlan
//! add|delete` (bridge/vlan.c `vlan_modify`, through `IPRoute::vlan_filter`), `vlan set`
//! (`vlan_option_set`, through `IPRoute::vlandb`) and `link set`
//! (bridge/link.c `brlink_modify`: an AF_BRIDGE RTM_SETLINK with IFLA_PROTINFO and
//! IFLA_AF_SPEC, encoded by `rtnl_api::request::link`).
//!
//! bridge exits 255 for nearly every failure, kernel refusals included (its commands return
//! -1), 234 for a bad `on`/`off` (-EINVAL), 1 where a shared helper calls `exit(1)`.

use rtnl_api::{Args, IPRoute, Value};

use super::{Call, Failure, Names, Words, atoi, matches};

/// NTF_* and NUD_* bits bridge sets.
const NTF_USE: u8 = 0x01;
const NTF_SELF: u8 = 0x02;
const NTF_MASTER: u8 = 0x04;
const NTF_EXT_LEARNED: u8 = 0x10;
const NTF_STICKY: u8 = 0x40;
const NTF_ROUTER: u8 = 0x80;
const NUD_REACHABLE: u16 = 0x02;
const NUD_NOARP: u16 = 0x40;
const NUD_PERMANENT: u16 = 0x80;
/// IFLA_BRIDGE_FLAGS bits.
const BRIDGE_FLAGS_MASTER: u16 = 1;
const BRIDGE_FLAGS_SELF: u16 = 2;

/// C's `strtoul(s, &end, 0)` that must read all of `s`.
fn strtoul(s: &str) -> Option<u64> {
    super::int(s).and_then(|v| u64::try_from(v).ok())
}

/// A refusal bridge returns -1 for (exit status 255).
fn fail(msg: impl Into<String>) -> Failure {
    Failure {
        exits: false,
        ..Failure::fatal(msg)
    }
}

/// Parses `fdb|vlan|link|mdb|vni COMMAND ...` of bridge.
pub fn parse(
    object: crate::Object,
    cmd: &'static str,
    w: &mut Words<'_>,
    names: &mut dyn Names,
) -> Result<Call, Failure> {
    match (object, cmd) {
        (crate::Object::Fdb, "help") => Ok(Call::Usage(super::help::FDB)),
        (crate::Object::Vlan, "help") => Ok(Call::Usage(super::help::VLAN)),
        (crate::Object::Brlink, "help") => Ok(Call::Usage(super::help::BRLINK)),
        (crate::Object::Fdb, _) => fdb(cmd, w, names),
        (crate::Object::Mdb, _) => super::mdb::mdb(cmd, w, names),
        (crate::Object::Vni, _) => super::mdb::vni(cmd, w, names),
        (crate::Object::Vlan, _) => vlan(cmd, w, names),
        _ => brlink(w, names),
    }
}

/// bridge's fdb address word (`[to] ADDR`) into `addr`, or `help`'s usage.
fn address_word<'a>(
    word: &'a str,
    w: &mut Words<'a>,
    addr: &mut Option<&'a str>,
) -> Result<Option<Call>, Failure> {
    let v = if word == "to" { w.arg()? } else { word };
    if matches(v, "help") {
        return Ok(Some(Call::Usage(super::help::FDB)));
    }
    if addr.is_some() {
        return Err(Failure::duparg("to", v));
    }
    *addr = Some(v);
    Ok(None)
}

/// `fdb add|append|replace|delete LLADDR dev DEV [self] [master] [vlan N] [dst IP] ...`.
fn fdb(cmd: &'static str, w: &mut Words<'_>, names: &mut dyn Names) -> Result<Call, Failure> {
    match cmd {
        "get" => return fdb_get(w, names),
        "flush" => return fdb_flush(w, names),
        _ => {}
    }
    let mut state = NUD_NOARP;
    let mut flags = 0u8;
    let mut dev: Option<&str> = None;
    let mut addr: Option<&str> = None;
    let mut extra: Vec<(&str, Value)> = Vec::new();
    let mut vid: Option<i64> = None;
    let mut dst: Option<std::net::IpAddr> = None;
    while let Some(word) = w.next() {
        match word {
            "dev" => dev = Some(w.arg()?),
            "dst" => {
                let v = w.arg()?;
                if dst.is_some() {
                    return Err(Failure::duparg("dst", v));
                }
                dst = Some(v.parse().map_err(|_| Failure::address(v))?);
            }
            "nhid" => {
                let v = w.arg()?;
                let n = strtoul(v)
                    .filter(|n| *n <= u32::MAX as u64)
                    .ok_or_else(|| Failure::invarg("\"id\" value is invalid\n", v))?;
                extra.push(("nh_id", Value::Int(n as i128)));
            }
            "port" => {
                let v = w.arg()?;
                let p = strtoul(v)
                    .filter(|p| *p <= 0xffff)
                    .ok_or_else(|| Failure::invarg("invalid port\n", v))?;
                if p != 0 {
                    extra.push(("port", Value::Int(p as i128)));
                }
            }
            "vni" | "src_vni" => {
                let v = w.arg()?;
                let why = if word == "vni" {
                    "invalid VNI\n"
                } else {
                    "invalid src VNI\n"
                };
                let n = strtoul(v)
                    .filter(|n| n >> 24 == 0)
                    .ok_or_else(|| Failure::invarg(why, v))?;
                extra.push((word, Value::Int(n as i128)));
            }
            "self" => flags |= NTF_SELF,
            _ if matches(word, "master") => flags |= NTF_MASTER,
            _ if matches(word, "router") => flags |= NTF_ROUTER,
            _ if matches(word, "local") || matches(word, "permanent") => state |= NUD_PERMANENT,
            _ if matches(word, "temp") || matches(word, "static") => state |= NUD_REACHABLE,
            _ if matches(word, "dynamic") => {
                state |= NUD_REACHABLE;
                state &= !NUD_NOARP;
            }
            _ if matches(word, "vlan") => {
                if vid.is_some() {
                    return Err(Failure::duparg("vlan", word));
                }
                vid = Some(atoi(w.arg()?));
            }
            _ if matches(word, "use") => flags |= NTF_USE,
            _ if matches(word, "extern_learn") => flags |= NTF_EXT_LEARNED,
            _ if matches(word, "sticky") => flags |= NTF_STICKY,
            _ => {
                if let Some(usage) = address_word(word, w, &mut addr)? {
                    return Ok(usage);
                }
            }
        }
    }
    let (Some(d), Some(addr)) = (dev, addr) else {
        return Err(fail("Device and address are required arguments."));
    };
    if flags & (NTF_SELF | NTF_MASTER) == 0 {
        flags |= NTF_SELF;
    }
    if state & (NUD_PERMANENT | NUD_REACHABLE) == 0 {
        state |= NUD_PERMANENT;
    }
    let mac: Vec<&str> = addr.split(':').collect();
    let ok = mac.len() == 6
        && mac
            .iter()
            .all(|b| !b.is_empty() && b.len() <= 2 && u8::from_str_radix(b, 16).is_ok());
    if !ok {
        return Err(fail(format!("Invalid mac address {addr}")));
    }
    let ifindex = names
        .index(d)?
        .ok_or_else(|| fail(format!("Cannot find device \"{d}\"")))?;
    let mut a = Args::new()
        .with("family", Value::Int(7))
        .with("ifindex", Value::Int(ifindex as i128))
        .with("state", Value::Int(state as i128))
        .with("flags", Value::Int(flags as i128))
        .with("lladdr", Value::from(addr));
    if let Some(ip) = dst {
        a = a.with("dst", Value::Ip(ip));
    }
    if let Some(v) = vid.filter(|v| *v >= 0) {
        a = a.with("vlan", Value::Int((v as u16) as i128));
    }
    for (k, v) in extra {
        a = a.with(k, v);
    }
    let api = match cmd {
        "add" => "add",
        "append" => "append",
        "replace" => "replace",
        _ => "del",
    };
    Ok(Call::Fdb(api, a))
}

/// `sscanf(addr, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx")` as bridge's `fdb get` reads a MAC: six
/// hex numbers (each cut to a byte), anything after the sixth ignored.
fn sscanf_mac(s: &str) -> Option<String> {
    let mut out = Vec::new();
    let mut rest = s;
    for i in 0..6 {
        if i > 0 {
            rest = rest.strip_prefix(':')?;
        }
        let t = rest.trim_start();
        let t = t
            .strip_prefix("0x")
            .or_else(|| t.strip_prefix("0X"))
            .unwrap_or(t);
        let n = t.chars().take_while(char::is_ascii_hexdigit).count();
        if n == 0 {
            return None;
        }
        let v = t[..n].chars().fold(0u8, |acc, c| {
            acc.wrapping_mul(16)
                .wrapping_add(c.to_digit(16).unwrap_or(0) as u8)
        });
        out.push(format!("{v:02x}"));
        rest = &t[n..];
    }
    Some(out.join(":"))
}

/// `fdb get [to] LLADDR [br BRIDGE] {brport|dev} DEV [vlan VID] [vni VNI] [self] [master]
/// [dynamic]` (bridge/fdb.c `fdb_get`): an RTM_GETNEIGH of family AF_BRIDGE, printed by the
/// caller as bridge prints the entry. A kernel refusal exits 254 there (bridge returns -2).
fn fdb_get(w: &mut Words<'_>, names: &mut dyn Names) -> Result<Call, Failure> {
    let (mut dev, mut br, mut addr) = (None, None, None);
    let mut vni: Option<u64> = None;
    let mut flags = 0u8;
    let mut vlan: i16 = -1;
    let mut dynamic = false;
    while let Some(word) = w.next() {
        match word {
            "brport" | "dev" => dev = Some(w.arg()?),
            "br" => br = Some(w.arg()?),
            "vni" => {
                let v = w.arg()?;
                let n = strtoul(v)
                    .filter(|n| n >> 24 == 0)
                    .ok_or_else(|| Failure::invarg("invalid VNI\n", v))?;
                vni = Some(n);
            }
            "self" => flags |= NTF_SELF,
            _ if matches(word, "master") => flags |= NTF_MASTER,
            _ if matches(word, "vlan") => {
                if vlan >= 0 {
                    return Err(Failure::duparg("vlan", word));
                }
                vlan = atoi(w.arg()?) as i16;
            }
            _ if matches(word, "dynamic") => dynamic = true,
            _ => {
                if let Some(usage) = address_word(word, w, &mut addr)? {
                    return Ok(usage);
                }
            }
        }
    }
    let (true, Some(addr)) = (dev.is_some() || br.is_some(), addr) else {
        return Err(fail("Device or master and address are required arguments."));
    };
    let mac = sscanf_mac(addr).ok_or_else(|| fail(format!("Invalid mac address {addr}")))?;
    let mut a = Args::new()
        .with("family", Value::Int(7))
        .with("flags", Value::Int(flags.into()))
        .with("lladdr", Value::from(mac));
    if vlan >= 0 {
        a = a.with("vlan", Value::Int(vlan.into()));
    }
    if let Some(n) = vni {
        a = a.with("vni", Value::Int(n.into()));
    }
    if let Some(d) = dev {
        let i = names
            .index(d)?
            .ok_or_else(|| fail(format!("Cannot find device \"{d}\"")))?;
        a = a.with("ifindex", Value::Int(i.into()));
    }
    if let Some(b) = br {
        let i = names
            .index(b)?
            .ok_or_else(|| fail(format!("Cannot find bridge device \"{b}\"")))?;
        a = a.with("master", Value::Int(i.into()));
    }
    Ok(Call::FdbGet(a, dynamic))
}

/// `fdb flush dev DEV [brport PORT] [vlan VID] [self] [master] [[no]permanent] [[no]static]
/// [[no]dynamic] [[no]added_by_user] [[no]extern_learn] [[no]sticky] [[no]offloaded]`
/// (bridge/fdb.c `fdb_flush`): one RTM_DELNEIGH with NLM_F_BULK (`IPRoute::fdb("bulk_del")`),
/// the state and flags with the masks that say which bits matter.
fn fdb_flush(w: &mut Words<'_>, names: &mut dyn Names) -> Result<Call, Failure> {
    let (mut dev, mut port) = (None, None);
    let (mut state, mut state_mask, mut flags, mut flags_mask) = (0u16, 0u16, 0u8, 0u8);
    let mut vid: i16 = -1;
    const NTF_OFFLOADED: u8 = 0x20;
    while let Some(word) = w.next() {
        let (no, base) = match word.strip_prefix("no") {
            Some(b) if !b.is_empty() => (true, b),
            _ => (false, word),
        };
        let flag = match base {
            "added_by_user" => NTF_USE,
            "extern_learn" => NTF_EXT_LEARNED,
            "sticky" => NTF_STICKY,
            "offloaded" => NTF_OFFLOADED,
            _ => 0,
        };
        match (word, no, base) {
            ("dev", ..) => dev = Some(w.arg()?),
            ("master", ..) => flags |= NTF_MASTER,
            ("self", ..) => flags |= NTF_SELF,
            (_, false, "permanent") => {
                state |= NUD_PERMANENT;
                state_mask |= NUD_PERMANENT;
            }
            (_, true, "permanent") => {
                state &= !NUD_PERMANENT;
                state_mask |= NUD_PERMANENT;
            }
            (_, false, "static") => {
                state |= NUD_NOARP;
                state_mask |= NUD_NOARP | NUD_PERMANENT;
            }
            (_, true, "static") => {
                state &= !NUD_NOARP;
                state_mask |= NUD_NOARP;
            }
            (_, false, "dynamic") => {
                state &= !NUD_NOARP | NUD_PERMANENT;
                state_mask |= NUD_NOARP | NUD_PERMANENT;
            }
            (_, true, "dynamic") => {
                state |= NUD_NOARP;
                state_mask |= NUD_NOARP;
            }
            _ if flag != 0 => {
                if no {
                    flags &= !flag;
                } else {
                    flags |= flag;
                }
                flags_mask |= flag;
            }
            ("brport", ..) => {
                if port.is_some() {
                    return Err(Failure::duparg("brport", word));
                }
                port = Some(w.arg()?);
            }
            ("vlan", ..) => {
                if vid >= 0 {
                    return Err(Failure::duparg("vlan", word));
                }
                vid = atoi(w.arg()?) as i16;
            }
            ("help", ..) => {
                w.arg()?;
            }
            _ => {}
        }
    }
    let Some(d) = dev else {
        return Err(fail("Device is a required argument."));
    };
    let ifindex = names
        .index(d)?
        .ok_or_else(|| fail(format!("Cannot find bridge device \"{d}\"")))?;
    let port = match port {
        Some(p) => Some(
            names
                .index(p)?
                .ok_or_else(|| fail(format!("Cannot find bridge port device \"{p}\"")))?,
        ),
        None => None,
    };
    if vid >= 4096 {
        return Err(fail(format!("Invalid VLAN ID \"{vid}\"")));
    }
    let mut a = Args::new()
        .with("ifindex", Value::Int(ifindex.into()))
        .with("state", Value::Int(state.into()))
        .with("flags", Value::Int(flags.into()));
    // bridge's `short port_ifidx`: an index is sent as it fits 16 bits.
    if let Some(p) = port.map(|p| p as u16 as i16).filter(|p| *p > -1) {
        a = a.with("brport", Value::Int(p.into()));
    }
    if vid > -1 {
        a = a.with("vlan", Value::Int(vid.into()));
    }
    if flags_mask != 0 {
        a = a.with("ndm_flags_mask", Value::Int(flags_mask.into()));
    }
    if state_mask != 0 {
        a = a.with("ndm_state_mask", Value::Int(state_mask.into()));
    }
    Ok(Call::FdbFlush(a))
}

/// `vlan set dev DEV vid N[-M] [state S] [mcast_router N]`: per-VLAN options (RTM_NEWVLAN,
/// `IPRoute::vlandb("set")`), in the order given, as bridge adds them.
fn vlan_set(w: &mut Words<'_>, names: &mut dyn Names) -> Result<Call, Failure> {
    let mut index: Option<u32> = None;
    let mut vid: Option<(i64, Option<i64>)> = None;
    let mut opts: Vec<(&'static str, Value)> = Vec::new();
    while let Some(word) = w.next() {
        match word {
            "dev" => {
                let d = w.arg()?;
                index = Some(
                    names
                        .index(d)?
                        .ok_or_else(|| fail(format!("Cannot find network device \"{d}\"")))?,
                );
            }
            "vid" => {
                let v = w.arg()?;
                vid = Some(match v.split_once('-') {
                    Some((a, b)) => (atoi(a), Some(atoi(b))),
                    None => (atoi(v), None),
                });
            }
            "state" => {
                let v = w.arg()?;
                let s = match v.parse::<u8>() {
                    Ok(n) => n as i128,
                    Err(_) => PORT_STATES
                        .iter()
                        .position(|n| n.eq_ignore_ascii_case(v))
                        .ok_or_else(|| fail("Error: invalid STP state"))?
                        as i128,
                };
                opts.push(("state", Value::Int(s)));
            }
            "mcast_router" => {
                let v = w.arg()?;
                opts.push(("mcast_router", super::uint(v, 255, "invalid mcast_router")?));
            }
            _ => {
                if matches(word, "help") {
                    w.arg()?;
                }
            }
        }
    }
    let (Some(index), Some((lo, hi))) = (index, vid) else {
        return Err(fail("Device and VLAN ID are required arguments."));
    };
    let lo16 = lo as u16;
    if lo16 >= 4096 {
        return Err(fail(format!("Invalid VLAN ID \"{lo16}\"")));
    }
    let vid = match hi {
        Some(hi) => {
            let hi16 = hi as u16;
            if hi == -1 || hi16 >= 4096 || lo16 >= hi16 {
                return Err(fail(format!("Invalid VLAN range \"{lo16}-{hi16}\"")));
            }
            Value::from(format!("{lo16}-{hi16}"))
        }
        None => Value::Int(lo16 as i128),
    };
    let mut a = Args::new()
        .with("index", Value::Int(index as i128))
        .with("vid", vid);
    for (k, v) in opts {
        a = a.with(k, v);
    }
    Ok(Call::VlanDb(a))
}

/// `vlan add|delete dev DEV vid N[-M] [pvid] [untagged] [self] [master]`.
fn vlan(cmd: &'static str, w: &mut Words<'_>, names: &mut dyn Names) -> Result<Call, Failure> {
    if cmd == "set" {
        return vlan_set(w, names);
    }
    let mut dev: Option<&str> = None;
    let mut vid: Option<i64> = None;
    let mut vid_end: Option<i64> = None;
    let mut flags = 0u16;
    let mut vflags = 0u16;
    while let Some(word) = w.next() {
        match word {
            "dev" => dev = Some(w.arg()?),
            "vid" => {
                let v = w.arg()?;
                match v.split_once('-') {
                    Some((a, b)) => {
                        vid = Some(atoi(a));
                        vid_end = Some(atoi(b));
                    }
                    None => vid = Some(atoi(v)),
                }
            }
            "self" => flags |= BRIDGE_FLAGS_SELF,
            "master" => flags |= BRIDGE_FLAGS_MASTER,
            "pvid" => vflags |= 2,
            "untagged" => vflags |= 4,
            _ => {
                if matches(word, "help") {
                    w.arg()?;
                }
            }
        }
    }
    let (Some(d), Some(vid)) = (dev, vid) else {
        return Err(fail("Device and VLAN ID are required arguments."));
    };
    let ifindex = names
        .index(d)?
        .ok_or_else(|| fail(format!("Cannot find bridge device \"{d}\"")))?;
    let vid16 = vid as u16;
    if vid16 >= 4096 {
        return Err(fail(format!("Invalid VLAN ID \"{vid16}\"")));
    }
    let one = |vid: u16, f: u16| {
        Value::map([
            ("vid", Value::Int(vid as i128)),
            ("flags", Value::Int(f as i128)),
        ])
    };
    // A range goes to rtnl-api as "LO-HI" (two entries there, each with the flags and its
    // range bit, as bridge sends them); bridge's own refusals come first, in its words.
    let info = match vid_end {
        Some(end) => {
            let e16 = end as u16;
            if end == -1 || e16 >= 4096 || vid16 >= e16 {
                return Err(fail(format!("Invalid VLAN range \"{vid16}-{e16}\"")));
            }
            if vflags & 2 != 0 {
                return Err(fail("pvid cannot be configured for a vlan range"));
            }
            Value::map([
                ("vid", Value::from(format!("{vid16}-{e16}"))),
                ("flags", Value::Int(vflags as i128)),
            ])
        }
        None => one(vid16, vflags),
    };
    let mut a = Args::new().with("index", Value::Int(ifindex as i128));
    if flags != 0 {
        a = a.with("vlan_flags", Value::Int(flags as i128));
    }
    a = a.with("vlan_info", info);
    Ok(Call::Vlan(if cmd == "add" { "add" } else { "del" }, a))
}

/// bridge's `parse_on_off`: 1/0, or its complaint (exit status 234, -EINVAL).
fn on_off(key: &str, s: &str) -> Result<Value, Failure> {
    match s {
        "on" => Ok(Value::Int(1)),
        "off" => Ok(Value::Int(0)),
        _ => Err(Failure {
            code: 234,
            ..fail(format!(
                "Error: argument of \"{key}\" must be one of \"off\", \"on\", not \"{s}\""
            ))
        }),
    }
}

/// STP port states by name (`port_states`).
const PORT_STATES: [&str; 5] = [
    "disabled",
    "listening",
    "learning",
    "forwarding",
    "blocking",
];

/// `link set dev DEV [cost N] [priority N] [state S] [learning on|off] ...`.
fn brlink(w: &mut Words<'_>, names: &mut dyn Names) -> Result<Call, Failure> {
    let mut dev: Option<&str> = None;
    // (IFLA_BRPORT_* keyword, value), sent in bridge's order (`ORDER`).
    let mut opts: Vec<(&'static str, Value)> = Vec::new();
    let mut flags = 0u16;
    let mut mode: Option<u16> = None;
    let mut cost = 0i64;
    while let Some(word) = w.next() {
        let key = match word {
            "dev" => {
                dev = Some(w.arg()?);
                continue;
            }
            "guard" => "guard",
            "hairpin" => "mode",
            "fastleave" => "fast_leave",
            "root_block" => "protect",
            "learning" => "learning",
            "learning_sync" => "learning_sync",
            "flood" => "unicast_flood",
            "mcast_flood" => "mcast_flood",
            "bcast_flood" => "bcast_flood",
            "mcast_to_unicast" => "mcast_to_ucast",
            "neigh_suppress" => "neigh_suppress",
            "vlan_tunnel" => "vlan_tunnel",
            "isolated" => "isolated",
            "locked" => "locked",
            "cost" => {
                cost = atoi(w.arg()?);
                continue;
            }
            "priority" => {
                let p = atoi(w.arg()?) as i16;
                opts.retain(|o| o.0 != "priority");
                if p >= 0 {
                    opts.push(("priority", Value::Int(p as i128)));
                }
                continue;
            }
            "state" => {
                let v = w.arg()?;
                let s = match v.parse::<i64>() {
                    Ok(n) => n as i8 as i64,
                    Err(_) => PORT_STATES
                        .iter()
                        .position(|n| n.eq_ignore_ascii_case(v))
                        .ok_or_else(|| fail("Error: invalid STP port state"))?
                        as i64,
                };
                opts.retain(|o| o.0 != "state");
                if s >= 0 {
                    opts.push(("state", Value::Int(s as i128)));
                }
                continue;
            }
            "hwmode" => {
                flags = BRIDGE_FLAGS_SELF;
                mode = Some(match w.arg()? {
                    "vepa" => 1,
                    "veb" => 0,
                    _ => return Err(fail("Mode argument must be \"vepa\" or \"veb\".")),
                });
                continue;
            }
            "self" => {
                flags |= BRIDGE_FLAGS_SELF;
                continue;
            }
            "master" => {
                flags |= BRIDGE_FLAGS_MASTER;
                continue;
            }
            "backup_port" => {
                let v = w.arg()?;
                let i = names
                    .index(v)?
                    .ok_or_else(|| fail(format!("Error: device {v} does not exist")))?;
                opts.retain(|o| o.0 != "backup_port");
                opts.push(("backup_port", Value::Int(i as i128)));
                continue;
            }
            "nobackup_port" => {
                opts.retain(|o| o.0 != "backup_port");
                opts.push(("backup_port", Value::Int(0)));
                continue;
            }
            _ => return Ok(Call::Usage(super::help::BRLINK)),
        };
        let v = on_off(word, w.arg()?)?;
        opts.retain(|o| o.0 != key);
        opts.push((key, v));
    }
    let Some(d) = dev else {
        return Err(fail("Device is a required argument."));
    };
    let index = names
        .index(d)?
        .ok_or_else(|| fail(format!("Cannot find bridge device \"{d}\"")))?;
    if cost > 0 {
        opts.push(("cost", Value::Int((cost as u32) as i128)));
    }
    // bridge's attribute order: flags first, then cost, priority, state, the rest.
    const ORDER: [&str; 17] = [
        "guard",
        "mode",
        "fast_leave",
        "protect",
        "unicast_flood",
        "mcast_flood",
        "bcast_flood",
        "mcast_to_ucast",
        "learning",
        "learning_sync",
        "cost",
        "priority",
        "state",
        "neigh_suppress",
        "vlan_tunnel",
        "isolated",
        "backup_port",
    ];
    opts.sort_by_key(|(k, _)| ORDER.iter().position(|o| o == k).unwrap_or(ORDER.len()));
    let mut a = Args::new()
        .with("family", Value::Int(7))
        .with("index", Value::Int(index as i128))
        .with("protinfo", Value::map(opts));
    if mode.is_some() || flags > 0 {
        let mut spec: Vec<(&str, Value)> = Vec::new();
        if flags > 0 {
            spec.push(("flags", Value::Int(flags as i128)));
        }
        if let Some(m) = mode {
            spec.push(("mode", Value::Int(m as i128)));
        }
        a = a.with("af_spec", Value::map(spec));
    }
    Ok(Call::Brlink(a))
}

/// Sends a `link set` of bridge: RTM_SETLINK (REQUEST|ACK, as bridge's `rtnl_talk`) with the
/// body rtnl-api encodes for `kw`.
pub fn brlink_set(ipr: &mut IPRoute, kw: &Args) -> rtnl_core::Result<()> {
    let mut body = Vec::new();
    rtnl_api::request::link(&mut body, "update", kw, &mut rtnl_api::request::NoResolve)?;
    // RTM_SETLINK; the socket adds NLM_F_REQUEST|NLM_F_ACK.
    ipr.socket().request(19, 0, |b| {
        b.extend_from_slice(&body);
        Ok(())
    })
}

/// bridge's exit status for a kernel refusal: 255 (its commands return -1).
pub fn kernel_failure(e: &rtnl_core::Error) -> Failure {
    match Failure::from_error(e) {
        f if f.code == 2 => Failure { code: 255, ..f },
        f => f,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atoi_as_c() {
        assert_eq!(atoi("12"), 12);
        assert_eq!(atoi("12abc"), 12);
        assert_eq!(atoi("x"), 0);
        assert_eq!(atoi("-3"), -3);
    }

    #[test]
    fn on_off_is_bridges() {
        assert_eq!(on_off("learning", "on").unwrap(), Value::Int(1));
        let f = on_off("learning", "maybe").unwrap_err();
        assert_eq!(f.code, 234);
        assert!(
            f.msg.contains("must be one of \"off\", \"on\""),
            "{}",
            f.msg
        );
    }
}
