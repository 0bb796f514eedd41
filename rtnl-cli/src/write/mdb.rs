//! bridge's `mdb add|del` (bridge/mdb.c `mdb_modify`, through `IPRoute::mdb`) and `vni
//! add|delete` (bridge/vni.c `vni_modify`, through `IPRoute::vni`), in bridge's words.
//!
//! Both return -1 from bridge for every refusal, their own and the kernel's (exit status 255);
//! `vni`'s bad address leaves through `get_addr` (`exit(1)`), its bad group through `invarg`
//! (255).

use rtnl_api::{Args, Value};

use super::{Call, Failure, Names, Words, atoi, matches};

/// A refusal bridge returns -1 for (exit status 255).
fn fail(msg: impl Into<String>) -> Failure {
    Failure {
        exits: false,
        ..Failure::fatal(msg)
    }
}

/// An address as `inet_pton` reads it (v4 or v6, no prefix).
fn pton(s: &str) -> Option<std::net::IpAddr> {
    s.parse().ok()
}

/// bridge's `MDBE_ATTR_*` words, in the order bridge adds them to MDBA_SET_ENTRY_ATTRS
/// whatever order they were given in, each with its refusal.
const ATTR_WORDS: &[(&str, &str)] = &[
    ("src", "Invalid source address"),
    ("filter_mode", "Invalid filter mode"),
    ("source_list", ""),
    ("proto", "Invalid protocol value"),
    ("dst", "Invalid underlay destination address"),
    ("dst_port", "Invalid destination port"),
    ("vni", "Invalid destination VNI"),
    ("src_vni", "Invalid source VNI"),
    ("via", ""),
];

/// One MDBE_ATTR_* word's value as an rtnl-api keyword, or bridge's refusal.
fn mdb_attr(
    word: &str,
    v: &str,
    why: &str,
    names: &mut dyn Names,
) -> Result<(&'static str, Value), Failure> {
    let bad = || fail(format!("{why} \"{v}\""));
    Ok(match word {
        "src" => ("source", Value::Ip(pton(v).ok_or_else(bad)?)),
        "filter_mode" => match v {
            "include" | "exclude" => ("group_mode", Value::from(v)),
            _ => return Err(bad()),
        },
        "source_list" => {
            let mut list = Vec::new();
            for s in v.split(',') {
                let ip = pton(s)
                    .ok_or_else(|| fail(format!("Invalid source entry \"{s}\" in source list")))?;
                list.push(Value::Ip(ip));
            }
            ("src_list", Value::List(list))
        }
        "proto" => {
            let n = match super::int(v) {
                Some(n) if (0..=255).contains(&n) => n,
                Some(_) => return Err(bad()),
                None => rtnl_core::generated::RtProto::SPEC
                    .value_of(v)
                    .map(i128::from)
                    .ok_or_else(bad)?,
            };
            ("rtprot", Value::Int(n))
        }
        "dst" => ("dst", Value::Ip(pton(v).ok_or_else(bad)?)),
        "dst_port" => {
            let p = super::int(v).filter(|p| (0..=0xffff).contains(p));
            ("dst_port", Value::Int(p.ok_or_else(bad)?))
        }
        "vni" | "src_vni" => {
            let n = super::int(v).filter(|n| (0..=u32::MAX as i128).contains(n));
            (
                if word == "vni" { "vni" } else { "src_vni" },
                Value::Int(n.ok_or_else(bad)?),
            )
        }
        _ => {
            let i = names
                .index(v)?
                .ok_or_else(|| fail(format!("Cannot find device \"{v}\"")))?;
            ("via", Value::Int(i.into()))
        }
    })
}

/// `mdb add|del dev BRIDGE port PORT grp GROUP [src SOURCE] [permanent|temp] [vid VID]
/// [filter_mode include|exclude] [source_list S1,S2] [proto P] [dst IP] [dst_port N] [vni N]
/// [src_vni N] [via DEV]`.
pub fn mdb(cmd: &'static str, w: &mut Words<'_>, names: &mut dyn Names) -> Result<Call, Failure> {
    if cmd == "help" {
        return Ok(Call::Usage(super::help::MDB));
    }
    let add = cmd == "add";
    let (mut dev, mut port, mut grp) = (None, None, None);
    let mut permanent = false;
    let mut vid = 0i64;
    let mut given: Vec<(&'static str, &str)> = Vec::new();
    while let Some(word) = w.next() {
        match word {
            "dev" => dev = Some(w.arg()?),
            "grp" => grp = Some(w.arg()?),
            "port" => port = Some(w.arg()?),
            "permanent" => permanent |= add,
            "temp" => {}
            "vid" => vid = atoi(w.arg()?),
            _ => match ATTR_WORDS.iter().find(|(a, _)| *a == word) {
                Some((a, _)) => {
                    let v = w.arg()?;
                    given.retain(|(g, _)| g != a);
                    given.push((a, v));
                }
                None if matches(word, "help") => return Ok(Call::Usage(super::help::MDB)),
                None => {}
            },
        }
    }
    let (Some(d), Some(g), Some(p)) = (dev, grp, port) else {
        return Err(fail(
            "Device, group address and port name are required arguments.",
        ));
    };
    let br = names
        .index(d)?
        .ok_or_else(|| fail(format!("Cannot find device \"{d}\"")))?;
    let port = names
        .index(p)?
        .ok_or_else(|| fail(format!("Cannot find device \"{p}\"")))?;
    let group_ok =
        pton(g).is_some() || rtnl_core::types::parse_lladdr(g).is_some_and(|m| m.len() == 6);
    if !group_ok {
        return Err(fail(format!("Invalid address \"{g}\"")));
    }
    let mut a = Args::new()
        .with("ifindex", Value::Int(br.into()))
        .with("port", Value::Int(port.into()))
        .with("group", g)
        .with("state", Value::Int(permanent.into()))
        .with("vid", Value::Int((vid as u16).into()));
    // bridge's order, not the command line's.
    for (word, why) in ATTR_WORDS {
        if let Some((_, v)) = given.iter().find(|(g, _)| g == word) {
            let (k, v) = mdb_attr(word, v, why, names)?;
            a = a.with(k, v);
        }
    }
    Ok(Call::Mdb(if add { "add" } else { "del" }, a))
}

/// `vni add|delete dev VXLAN vni N[-M][,N[-M]...] [group ADDR | remote ADDR]`.
pub fn vni(cmd: &'static str, w: &mut Words<'_>, names: &mut dyn Names) -> Result<Call, Failure> {
    if cmd == "help" {
        return Ok(Call::Usage(super::help::VNI));
    }
    let (mut dev, mut vni) = (None, None);
    let mut group: Option<std::net::IpAddr> = None;
    while let Some(word) = w.next() {
        match word {
            "dev" => dev = Some(w.arg()?),
            "vni" => {
                let v = w.arg()?;
                if vni.is_some() {
                    return Err(Failure::invarg("duplicate vni", v));
                }
                vni = Some(v);
            }
            "group" | "remote" => {
                if group.is_some() {
                    return Err(Failure::invarg("duplicate group", word));
                }
                let v = w.arg()?;
                let ip = pton(v).ok_or_else(|| Failure::address(v))?;
                if word == "group" && !ip.is_multicast() {
                    return Err(Failure::invarg("invalid group address", v));
                }
                group = Some(ip);
            }
            "help" => return Ok(Call::Usage(super::help::VNI)),
            _ => {}
        }
    }
    let (Some(d), Some(list)) = (dev, vni) else {
        return Err(fail("Device and VNI ID are required arguments."));
    };
    // bridge's `atoi` of each `N` or `N-M` (an end of 0 is no end); the kernel judges them.
    let entries: Vec<Value> = list
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| match s.split_once('-') {
            Some((lo, hi)) if atoi(hi) as u32 != 0 => {
                Value::from(format!("{}-{}", atoi(lo) as u32, atoi(hi) as u32))
            }
            Some((lo, _)) => Value::Int((atoi(lo) as u32).into()),
            None => Value::Int((atoi(s) as u32).into()),
        })
        .collect();
    let ifindex = names
        .index(d)?
        .ok_or_else(|| fail(format!("Cannot find vxlan device \"{d}\"")))?;
    let mut a = Args::new()
        .with("ifindex", Value::Int(ifindex.into()))
        .with("vni", Value::List(entries));
    if let Some(g) = group {
        a = a.with("group", Value::Ip(g));
    }
    Ok(Call::Vni(if cmd == "add" { "add" } else { "del" }, a))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake;

    impl Names for Fake {
        fn index(&mut self, name: &str) -> Result<Option<u32>, Failure> {
            Ok(match name {
                "br0" => Some(2),
                "v0" => Some(3),
                _ => None,
            })
        }
    }

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn mdb_attrs_in_bridges_order() {
        let w = words(
            "dev br0 proto static port v0 grp 239.1.1.1 source_list 10.0.0.1 filter_mode include",
        );
        let Call::Mdb("add", a) = mdb("add", &mut Words::new(&w), &mut Fake).unwrap() else {
            panic!()
        };
        let keys: Vec<&str> = a.keys().collect();
        assert_eq!(
            keys,
            [
                "ifindex",
                "port",
                "group",
                "state",
                "vid",
                "group_mode",
                "src_list",
                "rtprot"
            ]
        );
        for (line, msg) in [
            (
                "dev br0 port v0",
                "Device, group address and port name are required arguments.",
            ),
            ("dev br0 port v0 grp zz", "Invalid address \"zz\""),
            (
                "dev br0 port nosuch grp 239.1.1.1",
                "Cannot find device \"nosuch\"",
            ),
            (
                "dev br0 port v0 grp 239.1.1.1 filter_mode x",
                "Invalid filter mode \"x\"",
            ),
        ] {
            let e = mdb("add", &mut Words::new(&words(line)), &mut Fake).unwrap_err();
            assert_eq!((e.code, e.msg.as_str()), (255, msg), "{line}");
        }
    }

    #[test]
    fn vni_as_bridge() {
        let w = words("dev br0 vni 5,7-9,x group 239.1.1.1");
        let Call::Vni("del", a) = vni("delete", &mut Words::new(&w), &mut Fake).unwrap() else {
            panic!()
        };
        assert_eq!(
            a.get("vni"),
            Some(&Value::List(vec![
                Value::Int(5),
                Value::from("7-9"),
                Value::Int(0)
            ]))
        );
        let e = vni(
            "add",
            &mut Words::new(&words("dev br0 vni 5 group 10.0.0.1")),
            &mut Fake,
        );
        assert_eq!(e.unwrap_err().code, 255);
        let e = vni(
            "add",
            &mut Words::new(&words("dev br0 vni 5 remote x")),
            &mut Fake,
        );
        assert_eq!(e.unwrap_err().code, 1);
        let e = vni(
            "add",
            &mut Words::new(&words("dev nosuch vni 5")),
            &mut Fake,
        );
        assert_eq!(e.unwrap_err().msg, "Cannot find vxlan device \"nosuch\"");
    }
}
