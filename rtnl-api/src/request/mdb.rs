//! `mdb`: RTM_NEWMDB / RTM_DELMDB keyword requests (`bridge mdb add|del`): one multicast group
//! on one bridge port, as struct br_mdb_entry plus MDBE_ATTR_* attributes.

use std::net::IpAddr;

use rtnl_core::generated::*;
use rtnl_core::spec::{Command, EncodeCtx};
use rtnl_core::{ArgError, Result};

use super::neigh::flags_arg;
use super::*;
use crate::args::{Args, Value, int_as};

/// ETH_P_IP and ETH_P_IPV6: br_mdb_entry's `proto` for an IP group (0 for a MAC group).
const ETH_P_IP: u16 = 0x0800;
const ETH_P_IPV6: u16 = 0x86dd;

/// `mdb(cmd, ...)`: add or delete a bridge multicast group entry (RTM_NEWMDB / RTM_DELMDB).
///
/// Commands (schema/mdbmsg.toml): `add` (CREATE|EXCL, what `bridge mdb add` sends),
/// `replace` (CREATE|REPLACE), `del`. The dump is [`IPRoute::get_mdb`](crate::IPRoute::get_mdb).
///
/// Keywords:
///
/// | keyword | where | |
/// | --- | --- | --- |
/// | `ifindex`, `index`, `ifname` | `br_port_msg.ifindex` | the bridge, by index or name |
/// | `port` | `br_mdb_entry.ifindex` | the port, by index or name |
/// | `group`, `grp` | `br_mdb_entry.addr` and `proto` | an IPv4 or IPv6 group, or a MAC (`01:00:5e:...`, proto 0) |
/// | `state` | `br_mdb_entry.state` | `temporary` (default) or `permanent` (MDB_*) |
/// | `flags` | `br_mdb_entry.flags` | MDB_FLAGS_* |
/// | `vid` | `br_mdb_entry.vid` | the VLAN |
/// | `source`, `group_mode`, `src_list`, `rtprot` (or `proto`), `dst`, `dst_port`, `vni`, `src_vni`, `via` (or `ifindex` of the set), `state_mask` | MDBA_SET_ENTRY_ATTRS | MDBE_ATTR_* in the order given (NLA_F_NESTED, which the kernel requires); `src_list` is a list of addresses or one string joined by `,`; `via` a device |
///
/// ```
/// let mut b = Vec::new();
/// let c = rtnl_api::request::mdb(
///     &mut b,
///     "add",
///     &rtnl_api::kw! { ifindex: 4, port: 5, group: "239.1.1.1", state: "permanent" },
///     &mut rtnl_api::request::NoResolve,
/// )?;
/// assert_eq!(c.msg_type, 84); // RTM_NEWMDB
/// assert_eq!(b.len(), 8 + 4 + 28); // br_port_msg, MDBA_SET_ENTRY
/// assert_eq!(&b[16..24], &[1, 0, 0, 0, 239, 1, 1, 1]); // state, flags, vid, group
/// # Ok::<(), rtnl_api::Error>(())
/// ```
pub fn mdb(buf: &mut Vec<u8>, cmd: &str, args: &Args, r: &mut dyn Resolve) -> Result<Command> {
    let c = command(&MDB_MSG, cmd)?;
    if matches!(cmd, "get" | "dump") {
        return Err(ArgError::new(
            "command",
            "an MDB dump is IPRoute::get_mdb; mdb() adds and deletes",
        )
        .into());
    }
    let mut hdr = BrPortMsg::zeroed();
    hdr.set_family(AddressFamily::Bridge);
    let mut e = BrMdbEntry::zeroed();
    let mut group = false;
    let mut attrs: Vec<(String, Value)> = Vec::new();
    for (k, v) in args.iter() {
        match k {
            "ifindex" | "index" | "ifname" => {
                hdr.set_ifindex(ifindex_arg(k, v, r)?);
            }
            "port" => {
                e.set_ifindex(ifindex_arg(k, v, r)?);
            }
            "group" | "grp" => {
                group_arg(k, v, &mut e)?;
                group = true;
            }
            "state" => {
                e.set_state(int_as::<u8>(k, v, Some(MdbState::SPEC))?);
            }
            "flags" => {
                e.set_flags(MdbFlags(flags_arg(k, v, MdbFlags::SPEC)? as u8));
            }
            "vid" => {
                e.set_vid(int_as::<u16>(k, v, None)?);
            }
            "via" => attrs.push(("ifindex".into(), ifindex_arg(k, v, r)?.into())),
            "proto" => attrs.push(("rtprot".into(), v.clone())),
            "src_list" => attrs.push((k.into(), src_list(k, v)?)),
            _ if find_attr(&MDBE_ATTR_SPEC, k).is_some() => attrs.push((k.into(), v.clone())),
            _ => {
                return Err(ArgError::new(
                    k,
                    "not an mdb keyword (ifindex, port, group, state, flags, vid, or an \
                     MDBE_ATTR_* name: source, group_mode, src_list, rtprot, dst ...)",
                )
                .into());
            }
        }
    }
    if !group {
        return Err(ArgError::new("group", "an mdb entry needs its group address").into());
    }
    MdbMsg::request(buf, &hdr);
    MdbSetEntryBuilder::new(buf, 7).entry(&e);
    if !attrs.is_empty() {
        let ctx = EncodeCtx {
            start: buf.len(),
            family: 7,
        };
        put_kw(&MDB_SET_ENTRY_SPEC, buf, ctx, "attrs", &Value::Map(attrs))?;
    }
    Ok(*c)
}

/// The group into `e`: IPv4 or IPv6 (with its ETH_P_*), or a MAC (proto 0).
fn group_arg(k: &str, v: &Value, e: &mut BrMdbEntry) -> Result<(), ArgError> {
    let ip = match v {
        Value::Ip(ip) => Some(*ip),
        Value::Str(s) => s.parse::<IpAddr>().ok(),
        _ => None,
    };
    match ip {
        Some(IpAddr::V4(a)) => {
            e.addr[..4].copy_from_slice(&a.octets());
            e.set_proto(ETH_P_IP);
        }
        Some(IpAddr::V6(a)) => {
            e.addr.copy_from_slice(&a.octets());
            e.set_proto(ETH_P_IPV6);
        }
        None => {
            let mac = match v {
                Value::Str(s) => rtnl_core::types::parse_lladdr(s),
                Value::Bytes(b) => Some(b.clone()),
                _ => None,
            };
            let mac = mac.filter(|m| m.len() == 6).ok_or_else(|| {
                ArgError::new(k, "an IPv4 or IPv6 group address, or a MAC address")
            })?;
            e.addr[..6].copy_from_slice(&mac);
        }
    }
    Ok(())
}

/// `src_list` as MDBE_ATTR_SRC_LIST wants it: `{entry: [{address}, ...]}`, from a list of
/// addresses or one string of them joined by `,` (bridge's `source_list`).
fn src_list(k: &str, v: &Value) -> Result<Value, ArgError> {
    let items: Vec<Value> = match v {
        Value::Map(_) => return Ok(v.clone()),
        Value::List(l) => l.clone(),
        Value::Str(s) => s.split(',').map(Value::from).collect(),
        _ => return Err(ArgError::new(k, "a list of source addresses")),
    };
    let entries = items
        .into_iter()
        .map(|a| Value::map([("address", a)]))
        .collect();
    Ok(Value::map([("entry", Value::List(entries))]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kw;

    #[test]
    fn attrs_nested_in_the_order_given() {
        let mut b = Vec::new();
        let a = kw! {
            ifindex: 4, port: 5, group: "ff0e::1", vid: 3,
            group_mode: "include", src_list: "10.0.0.1,10.0.0.2", proto: "static",
        };
        mdb(&mut b, "add", &a, &mut NoResolve).unwrap();
        assert_eq!(&b[..8], &[[7, 0, 0, 0], 4u32.to_ne_bytes()].concat()[..]);
        // The entry: port 5, temporary, vid 3, the IPv6 group, ETH_P_IPV6.
        assert_eq!(&b[12..16], &5u32.to_ne_bytes());
        assert_eq!(&b[18..20], &3u16.to_ne_bytes());
        assert_eq!(&b[20..22], &[0xff, 0x0e]);
        assert_eq!(&b[36..38], &[0x86, 0xdd]);
        // MDBA_SET_ENTRY_ATTRS|NLA_F_NESTED: GROUP_MODE, SRC_LIST{ENTRY{ADDRESS} x2}, RTPROT.
        let attrs = &b[40..];
        assert_eq!(u16::from_ne_bytes([attrs[2], attrs[3]]), 2 | 0x8000);
        assert_eq!(
            &attrs[4..12],
            &[[5u16, 3].map(u16::to_ne_bytes).concat(), vec![1, 0, 0, 0]].concat()[..]
        );
        assert_eq!(u16::from_ne_bytes([attrs[14], attrs[15]]), 2 | 0x8000);
        assert_eq!(u16::from_ne_bytes([attrs[18], attrs[19]]), 1 | 0x8000);
        assert_eq!(&attrs[24..28], &[10, 0, 0, 1]);
        let e = mdb(
            &mut Vec::new(),
            "add",
            &kw! { ifindex: 4, port: 5 },
            &mut NoResolve,
        );
        assert!(e.unwrap_err().to_string().contains("group"));
        let e = mdb(&mut Vec::new(), "add", &kw! { group: "zz" }, &mut NoResolve);
        assert!(e.unwrap_err().to_string().contains("MAC"));
    }
}
