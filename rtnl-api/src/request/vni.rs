//! `vni`: RTM_NEWTUNNEL / RTM_DELTUNNEL keyword requests (`bridge vni add|del`): the VNI
//! filter of a VXLAN device created `external vnifilter`.

use std::net::IpAddr;

use rtnl_core::generated::*;
use rtnl_core::spec::{Command, EncodeCtx};
use rtnl_core::{ArgError, Result};

use super::*;
use crate::args::{Args, Value, int_as, prefix_arg};

/// `vni(cmd, ...)`: add or delete VNIs of a VXLAN device's filter (RTM_NEWTUNNEL /
/// RTM_DELTUNNEL, REQUEST|ACK as bridge sends them).
///
/// Commands (schema/tunnelmsg.toml): `add`, `del`. The dump is
/// [`IPRoute::get_vnis`](crate::IPRoute::get_vnis).
///
/// Keywords:
///
/// | keyword | where | |
/// | --- | --- | --- |
/// | `ifindex`, `index`, `ifname` | `tunnel_msg.ifindex` | the VXLAN device, by index or name |
/// | `vni` | VXLAN_VNIFILTER_ENTRY | a VNI (`42`), a range (`"42-50"`), or a list of these: one entry each |
/// | `group` | VXLAN_VNIFILTER_ENTRY_GROUP / GROUP6 | the multicast group (or remote) of every entry, by its family |
/// | `entry` | VXLAN_VNIFILTER_ENTRY | entries as maps `{start, end, group, group6}`, sent as given |
///
/// Each entry is sent with NLA_F_NESTED, START, END (only when not 0), then the group.
///
/// ```
/// let mut b = Vec::new();
/// let c = rtnl_api::request::vni(
///     &mut b,
///     "add",
///     &rtnl_api::kw! { ifindex: 6, vni: "100-110", group: "239.1.1.1" },
///     &mut rtnl_api::request::NoResolve,
/// )?;
/// assert_eq!(c.msg_type, 120); // RTM_NEWTUNNEL
/// assert_eq!(b.len(), 8 + 4 + 3 * 8); // tunnel_msg, ENTRY{START, END, GROUP}
/// # Ok::<(), rtnl_api::Error>(())
/// ```
pub fn vni(buf: &mut Vec<u8>, cmd: &str, args: &Args, r: &mut dyn Resolve) -> Result<Command> {
    let c = command(&VNI_MSG, cmd)?;
    if cmd == "dump" {
        return Err(ArgError::new("command", "a VNI dump is IPRoute::get_vnis").into());
    }
    let mut hdr = TunnelMsg::zeroed();
    hdr.set_family(AddressFamily::Bridge);
    let mut a = args.clone();
    if let Some((k, v)) = a.take_any(&["ifindex", "index", "ifname"]) {
        hdr.set_ifindex(ifindex_arg(&k, &v, r)?);
    }
    let group = match a.take("group") {
        Some(v) => Some(prefix_arg("group", &v)?.0),
        None => None,
    };
    let mut entries: Vec<Value> = Vec::new();
    for (k, v) in a.iter() {
        match k {
            "vni" => {
                let list = match v {
                    Value::List(l) => l.clone(),
                    v => vec![v.clone()],
                };
                for item in &list {
                    entries.push(entry(k, item, group)?);
                }
            }
            "entry" => match v {
                Value::List(l) => entries.extend(l.iter().cloned()),
                v => entries.push(v.clone()),
            },
            _ => {
                return Err(
                    ArgError::new(k, "not a vni keyword (ifindex, vni, group, entry)").into(),
                );
            }
        }
    }
    VniMsg::request(buf, &hdr);
    let ctx = EncodeCtx {
        start: buf.len(),
        family: 7,
    };
    if !entries.is_empty() {
        put_kw(&VNI_SPEC, buf, ctx, "entry", &Value::List(entries))?;
    }
    Ok(*c)
}

/// One VXLAN_VNIFILTER_ENTRY from `42`, `"42"` or `"42-50"`, with the group by its family.
fn entry(k: &str, v: &Value, group: Option<IpAddr>) -> Result<Value, ArgError> {
    let num = |s: &str| -> Result<u32, ArgError> {
        rtnl_core::spec::parse_int(s.trim())
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| ArgError::new(k, format!("{s:?} is not a VNI")))
    };
    let (start, end) = match v {
        Value::Str(s) => match s.split_once('-') {
            Some((lo, hi)) => (num(lo)?, num(hi)?),
            None => (num(s)?, 0),
        },
        v => (int_as::<u32>(k, v, None)?, 0),
    };
    let mut m: Vec<(String, Value)> = vec![("start".into(), start.into())];
    if end != 0 {
        m.push(("end".into(), end.into()));
    }
    match group {
        Some(g @ IpAddr::V4(_)) => m.push(("group".into(), Value::Ip(g))),
        Some(g @ IpAddr::V6(_)) => m.push(("group6".into(), Value::Ip(g))),
        None => {}
    }
    Ok(Value::Map(m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kw;

    #[test]
    fn one_nested_entry_per_vni() {
        let mut b = Vec::new();
        let a = kw! { ifindex: 6, vni: vec![Value::Int(5), Value::from("7-9")], group: "ff05::1" };
        let c = vni(&mut b, "del", &a, &mut NoResolve).unwrap();
        assert_eq!(c.msg_type, 121);
        // ENTRY|NLA_F_NESTED {START 5, GROUP6}, ENTRY|NLA_F_NESTED {START 7, END 9, GROUP6}.
        let ty = |at: usize| u16::from_ne_bytes([b[at + 2], b[at + 3]]);
        let len = |at: usize| u16::from_ne_bytes([b[at], b[at + 1]]) as usize;
        assert_eq!((ty(8), len(8)), (1 | 0x8000, 4 + 8 + 20));
        assert_eq!((ty(12), ty(20)), (1, 4));
        assert_eq!((ty(40), len(40)), (1 | 0x8000, 4 + 8 + 8 + 20));
        assert_eq!(b.len(), 40 + 40);
        let e = vni(&mut Vec::new(), "add", &kw! { vni: "x" }, &mut NoResolve).unwrap_err();
        assert!(e.to_string().contains("VNI"), "{e}");
    }
}
