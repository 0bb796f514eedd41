//! `link add|set|change|replace|delete|property`: iproute2's ip/iplink.c words (and its
//! per-kind parsers, `link_*.c`) into `IPRoute::link` keywords.
//!
//! Attributes go in the order ip adds them: the device options in the order given, then
//! `IFLA_GROUP`, `IFLA_LINK`, `IFLA_IFNAME`, and `IFLA_LINKINFO` last. Where ip sends a kind's
//! defaults unasked (vxlan's learning, the gre and ipip tunnels' zero keys and pmtudisc), the
//! same defaults are given as keywords here, so the kernel gets the same request.

use rtnl_api::{Args, Value};

use super::kinds;
use super::{Call, Failure, Names, Words, int, lladdr, matches, on_off};

/// The header flags a word changes (`up`, `arp off` ...): (flags, change).
#[derive(Default)]
struct Flags {
    flags: u32,
    change: u32,
}

impl Flags {
    fn set(&mut self, bit: u32, on: bool) {
        self.change |= bit;
        if on {
            self.flags |= bit;
        } else {
            self.flags &= !bit;
        }
    }
}

const IFF_UP: u32 = 0x1;
const IFF_NOARP: u32 = 0x80;
const IFF_PROMISC: u32 = 0x100;
const IFF_NOTRAILERS: u32 = 0x20;
const IFF_ALLMULTI: u32 = 0x200;
const IFF_MULTICAST: u32 = 0x1000;
const IFF_DYNAMIC: u32 = 0x8000;

/// What `iplink_parse` collects besides the attributes it adds in order.
#[derive(Default)]
struct Parsed {
    attrs: Vec<(String, Value)>,
    flags: Flags,
    name: Option<String>,
    dev: Option<String>,
    link: Option<String>,
    kind: Option<String>,
    group: Option<Value>,
    index: Option<i128>,
}

/// ip's `iplink_parse`: device options up to `type KIND` (the rest is the kind's).
fn parse_common(w: &mut Words<'_>, names: &mut dyn Names) -> Result<Parsed, Failure> {
    let mut p = Parsed::default();
    let mut seen_mtu = false;
    let mut seen_qlen = false;
    while let Some(word) = w.next() {
        match word {
            "up" => p.flags.set(IFF_UP, true),
            "down" => p.flags.set(IFF_UP, false),
            "name" => p.name = Some(w.arg()?.to_string()),
            "index" => {
                let v = w.arg()?;
                p.index = Some(
                    int(v)
                        .filter(|i| *i >= 0)
                        .ok_or_else(|| Failure::invarg("Invalid \"index\" value", v))?,
                );
            }
            _ if matches(word, "link") => p.link = Some(w.arg()?.to_string()),
            _ if matches(word, "address") => {
                let v = w.arg()?;
                p.attrs.push(("address".into(), lladdr(v)?));
            }
            _ if matches(word, "broadcast") || word == "brd" => {
                let v = w.arg()?;
                p.attrs.push(("broadcast".into(), lladdr(v)?));
            }
            _ if matches(word, "txqueuelen") || word == "qlen" || matches(word, "txqlen") => {
                let v = w.arg()?;
                if seen_qlen {
                    return Err(Failure::fatal(format!(
                        "Error: duplicate \"txqueuelen\": \"{v}\" is the second value."
                    )));
                }
                seen_qlen = true;
                let n = int_value(v, "Invalid \"txqueuelen\" value")?;
                p.attrs.push(("txqlen".into(), n));
            }
            "mtu" => {
                let v = w.arg()?;
                if seen_mtu {
                    return Err(Failure::fatal(format!(
                        "Error: duplicate \"mtu\": \"{v}\" is the second value."
                    )));
                }
                seen_mtu = true;
                p.attrs
                    .push(("mtu".into(), int_value(v, "Invalid \"mtu\" value")?));
            }
            "netns" => {
                let v = w.arg()?;
                match int(v) {
                    Some(pid) => p.attrs.push(("net_ns_pid".into(), Value::Int(pid))),
                    None => return Err(Failure::invarg("Invalid \"netns\" value", v)),
                }
            }
            "multicast" | "allmulticast" | "promisc" | "trailers" | "arp" | "carrier"
            | "protodown" => {
                let v = w.arg()?;
                let on = on_off(word, v)? == Value::Int(1);
                match word {
                    "multicast" => p.flags.set(IFF_MULTICAST, on),
                    "allmulticast" => p.flags.set(IFF_ALLMULTI, on),
                    "promisc" => p.flags.set(IFF_PROMISC, on),
                    "trailers" => p.flags.set(IFF_NOTRAILERS, !on),
                    "arp" => p.flags.set(IFF_NOARP, !on),
                    "carrier" => p.attrs.push(("carrier".into(), Value::Int(on as i128))),
                    _ => p.attrs.push(("proto_down".into(), Value::Int(on as i128))),
                }
            }
            _ if matches(word, "master") => {
                let v = w.arg()?;
                let i = names
                    .index(v)?
                    .ok_or_else(|| Failure::invarg("Device does not exist", v))?;
                p.attrs.push(("master".into(), Value::Int(i as i128)));
            }
            _ if matches(word, "nomaster") => p.attrs.push(("master".into(), Value::Int(0))),
            _ if matches(word, "dynamic") => {
                let v = w.arg()?;
                let on = on_off(word, v)? == Value::Int(1);
                p.flags.set(IFF_DYNAMIC, on);
            }
            _ if matches(word, "type") => {
                p.kind = Some(w.arg()?.to_string());
                break;
            }
            _ if matches(word, "alias") => {
                let v = w.arg()?;
                p.attrs.push(("ifalias".into(), Value::from(v)));
                break;
            }
            "group" => {
                let v = w.arg()?;
                p.group = Some(int_value(v, "Invalid \"group\" value")?);
            }
            _ if tail_word(word, w, &mut p)? => {}
            _ => {
                if matches(word, "help") {
                    return Err(Failure::fatal(super::help::LINK.trim_end()));
                }
                let d = if word == "dev" { w.arg()? } else { word };
                if p.dev.is_some() {
                    return Err(Failure::duparg("dev", d));
                }
                p.dev = Some(d.to_string());
            }
        }
    }
    Ok(p)
}

/// The last of `iplink_parse`'s words (`mode`, `state`, queues, `addrgenmode`,
/// `link-netnsid`): true when `word` was one of them.
fn tail_word(word: &str, w: &mut Words<'_>, p: &mut Parsed) -> Result<bool, Failure> {
    match word {
        "mode" => {
            let v = w.arg()?;
            let m = match v {
                "default" => 0,
                "dormant" => 1,
                _ => return Err(Failure::invarg("Invalid link mode", v)),
            };
            p.attrs.push(("linkmode".into(), Value::Int(m)));
        }
        "state" => {
            let v = w.arg()?;
            let states = [
                "UNKNOWN",
                "NOTPRESENT",
                "DOWN",
                "LOWERLAYERDOWN",
                "TESTING",
                "DORMANT",
                "UP",
            ];
            let s = states
                .iter()
                .position(|s| s.eq_ignore_ascii_case(v))
                .ok_or_else(|| Failure::invarg("Invalid operstate", v))?;
            p.attrs.push(("operstate".into(), Value::Int(s as i128)));
        }
        _ if matches(word, "numtxqueues") || matches(word, "numrxqueues") => {
            let v = w.arg()?;
            let key = if word.starts_with("numt") {
                "num_tx_queues"
            } else {
                "num_rx_queues"
            };
            p.attrs.push((key.into(), int_value(v, "Invalid value")?));
        }
        _ if matches(word, "addrgenmode") => {
            let v = w.arg()?;
            let m = match v {
                "eui64" => 0,
                "none" => 1,
                "stable_secret" => 2,
                "random" => 3,
                _ => return Err(Failure::invarg("Invalid address generation mode", v)),
            };
            let inet6 = Value::map([("addr_gen_mode", Value::Int(m))]);
            p.attrs
                .push(("af_spec".into(), Value::map([("inet6", inet6)])));
        }
        _ if matches(word, "link-netnsid") => {
            let v = w.arg()?;
            p.attrs.push((
                "link_netnsid".into(),
                int_value(v, "Invalid \"link-netnsid\" value")?,
            ));
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// A signed integer as ip's `get_integer`, or `invarg(why)`.
fn int_value(v: &str, why: &str) -> Result<Value, Failure> {
    int(v)
        .filter(|i| i32::try_from(*i).is_ok())
        .map(Value::Int)
        .ok_or_else(|| Failure::invarg(why, v))
}

/// Parses `link COMMAND ...`.
pub fn parse(cmd: &'static str, w: &mut Words<'_>, names: &mut dyn Names) -> Result<Call, Failure> {
    match cmd {
        "help" => return Ok(Call::Usage(super::help::LINK)),
        "property" => return property(w, names),
        _ => {}
    }
    let (api_cmd, create) = match cmd {
        "add" => ("add", true),
        "replace" => ("replace", true),
        "set" => ("set", false),
        _ => ("del", false),
    };
    let p = parse_common(w, names)?;
    let mut a = Args::new();
    if p.flags.change != 0 || p.flags.flags != 0 {
        a.set("flags", Value::Int(p.flags.flags as i128));
        a.set("change", Value::Int(p.flags.change as i128));
    }
    let mut name = p.name.clone();
    let mut index = 0i128;
    if !create {
        let Some(dev) = &p.dev else {
            return Err(Failure::fatal(
                "Not enough information: \"dev\" argument is required.",
            ));
        };
        if api_cmd == "set" && p.index.is_some() {
            return Err(Failure::fatal(
                "index can be used only when creating devices.",
            ));
        }
        index = names
            .index(dev)?
            .ok_or_else(|| Failure::arg(format!("Cannot find device \"{dev}\"")))?
            as i128;
    } else {
        if name.is_none() {
            name = p.dev.clone();
        }
        if let Some(i) = p.index {
            index = i;
        }
    }
    if index != 0 {
        a.set("index", Value::Int(index));
    }
    for (k, v) in &p.attrs {
        a = a.with(k.clone(), v.clone());
    }
    Ok(Call::Link(api_cmd, finish(a, &p, create, name, w, names)?))
}

/// What ip adds after the device options: `IFLA_GROUP`, `IFLA_LINK` (creation), `IFLA_IFNAME`,
/// then `IFLA_LINKINFO` with the kind's options.
fn finish(
    mut a: Args,
    p: &Parsed,
    create: bool,
    name: Option<String>,
    w: &mut Words<'_>,
    names: &mut dyn Names,
) -> Result<Args, Failure> {
    if let Some(g) = &p.group {
        if p.dev.is_none() && create {
            return Err(Failure::arg("group cannot be used when creating devices."));
        }
        a = a.with("group", g.clone());
    }
    if let (true, Some(l)) = (create, &p.link) {
        a = a.with("link", Value::Int(names.need(l)? as i128));
    }
    if let Some(n) = name {
        if n.is_empty() {
            return Err(Failure::invarg(
                "\"\" is not a valid device identifier",
                "name",
            ));
        }
        if n.len() > 15 {
            return Err(Failure::invarg("\"name\" too long", &n));
        }
        a = a.with("ifname", Value::from(n));
    }
    match &p.kind {
        Some(kind) => kinds::parse(kind, create, a, w, names),
        None if create => Err(Failure::arg(
            "Not enough information: \"type\" argument is required",
        )),
        None => Ok(a),
    }
}

/// `link property add|del dev NAME altname NEW [altname NEW2 ...]`: RTM_NEWLINKPROP /
/// RTM_DELLINKPROP with `IFLA_PROP_LIST`.
fn property(w: &mut Words<'_>, names: &mut dyn Names) -> Result<Call, Failure> {
    let cmd = match w.arg()? {
        c if matches(c, "add") => "property_add",
        c if matches(c, "delete") => "property_del",
        c => {
            return Err(Failure::fatal(format!(
                "Command \"{c}\" is unknown, try \"ip link help\"."
            )));
        }
    };
    let mut dev = None;
    let mut alts = Vec::new();
    while let Some(word) = w.next() {
        match word {
            "altname" => {
                let v = w.arg()?;
                if v.len() > 127 {
                    return Err(Failure::invarg("\"altname\" too long", v));
                }
                alts.push(v.to_string());
            }
            "dev" => dev = Some(w.arg()?.to_string()),
            other if dev.is_none() => dev = Some(other.to_string()),
            other => return Err(Failure::duparg("dev", other)),
        }
    }
    let Some(dev) = dev else {
        return Err(Failure::fatal(
            "Not enough information: \"dev\" argument is required.",
        ));
    };
    if alts.is_empty() {
        return Err(Failure::fatal(
            "Not enough information: \"altname\" argument is required.",
        ));
    }
    let index = names.need(&dev)?;
    let mut list = Vec::new();
    for n in alts {
        list.push(("alt_ifname".to_string(), Value::from(n)));
    }
    Ok(Call::Link(
        cmd,
        Args::new()
            .with("index", Value::Int(index as i128))
            .with("prop_list", Value::Map(list)),
    ))
}
