//! `neigh`: RTM_NEWNEIGH / RTM_DELNEIGH / RTM_GETNEIGH keyword requests (ARP and ND entries;
//! with family AF_BRIDGE the same message carries FDB entries, see [`fdb`](super::fdb)).

use rtnl_core::generated::*;
use rtnl_core::spec::{Command, EncodeCtx, EnumSpec};
use rtnl_core::{ArgError, Result};

use super::*;
use crate::args::{Args, Value, family_of, int_as, prefix_arg};

/// A flag set given as a number, a name (`"permanent"`, `"NUD_PERMANENT"`), names joined by
/// `|` or `,`, or a list of these.
pub(crate) fn flags_arg(k: &str, v: &Value, spec: &EnumSpec) -> Result<u64, ArgError> {
    match v {
        Value::List(items) => items
            .iter()
            .try_fold(0u64, |acc, i| Ok(acc | flags_arg(k, i, spec)?)),
        v => int_as::<u64>(k, v, Some(spec)),
    }
}

/// `neigh(cmd, ...)`: RTM_NEWNEIGH / RTM_DELNEIGH / RTM_GETNEIGH (pyroute2's `neigh`).
///
/// Commands (schema/ndmsg.toml): `add` (CREATE|EXCL), `set` and `replace` (REPLACE|CREATE),
/// `change` (REPLACE), `append` (CREATE|APPEND), `del`/`delete`/`remove`, `get`, `dump`.
///
/// Keywords:
///
/// | keyword | where | |
/// | --- | --- | --- |
/// | `ifindex`, `index` | `ndm_ifindex` | the device, by index or by name (resolved) |
/// | `ifname` | `ndm_ifindex` | the device by name |
/// | `family` | `ndm_family` | default: the family of `dst` (AF_INET without one) |
/// | `state`, `nud` | `ndm_state` | NUD_* by name, number or list; default `permanent` except for `get`/`dump` (pyroute2) |
/// | `flags` | `ndm_flags` | NTF_* by name, number or list |
/// | `ndm_type` | `ndm_type` | route type |
/// | `dst` | NDA_DST | the neighbour's address |
/// | `lladdr` | NDA_LLADDR | its link-layer address |
/// | `master` | NDA_MASTER | by index or name |
/// | anything else | NDA_* by name | `vlan`, `port`, `vni`, `src_vni`, `protocol`, `nh_id`, `flags_ext` ... |
///
/// ```
/// let mut b = Vec::new();
/// let c = rtnl_api::request::neigh(
///     &mut b,
///     "add",
///     &rtnl_api::kw! { dst: "10.0.0.9", lladdr: "02:00:00:00:00:09", ifindex: 5 },
///     &mut rtnl_api::request::NoResolve,
/// )?;
/// assert_eq!(c.msg_type, 28); // RTM_NEWNEIGH
/// assert_eq!(&b[8..10], &[0x80, 0]); // NUD_PERMANENT, pyroute2's default
/// # Ok::<(), rtnl_api::Error>(())
/// ```
pub fn neigh(buf: &mut Vec<u8>, cmd: &str, args: &Args, r: &mut dyn Resolve) -> Result<Command> {
    let c = command(&NEIGH_MSG, cmd)?;
    if cmd == "dump" {
        neigh_dump(buf, args, r)?;
    } else {
        neigh_body(buf, args, r, cmd == "get")?;
    }
    Ok(*c)
}

/// A dump request as strict checking wants it: a header with only the family (and NTF_PROXY),
/// the device and master as NDA_IFINDEX / NDA_MASTER.
pub(crate) fn neigh_dump(buf: &mut Vec<u8>, args: &Args, r: &mut dyn Resolve) -> Result<()> {
    let mut hdr = Ndmsg::zeroed();
    let mut attrs = Vec::new();
    for (k, v) in args.iter() {
        match k {
            "family" => {
                hdr.set_family(int_as::<u8>(k, v, Some(AddressFamily::SPEC))?);
            }
            "flags" => {
                hdr.set_flags(NtfFlags(flags_arg(k, v, NtfFlags::SPEC)? as u8));
            }
            "ifindex" | "index" | "ifname" => attrs.push((8u16, ifindex_arg(k, v, r)?)),
            "master" => attrs.push((9u16, ifindex_arg(k, v, r)?)),
            _ => {
                return Err(ArgError::new(
                    k,
                    "not a neighbour dump keyword (family, flags, ifindex, master)",
                )
                .into());
            }
        }
    }
    NeighMsg::request(buf, &hdr);
    for (id, i) in attrs {
        rtnl_core::nla::put(buf, id, &i.to_ne_bytes());
    }
    Ok(())
}

/// The header and attributes of a neighbour message; `query` leaves the state default off.
pub(crate) fn neigh_body(
    buf: &mut Vec<u8>,
    args: &Args,
    r: &mut dyn Resolve,
    query: bool,
) -> Result<()> {
    let mut a = args.clone();
    let mut hdr = Ndmsg::zeroed();
    match (a.take_any(&["ifindex", "index"]), a.take("ifname")) {
        (Some((k, v)), _) => {
            hdr.set_ifindex(ifindex_arg(&k, &v, r)? as i32);
        }
        (None, Some(v)) => {
            hdr.set_ifindex(ifindex_arg("ifname", &v, r)? as i32);
        }
        (None, None) => {}
    }
    let dst = match a.get("dst") {
        Some(v) => Some(prefix_arg("dst", v)?.0),
        None => None,
    };
    let family = match (a.take("family"), dst) {
        (Some(v), _) => int_as::<u8>("family", &v, Some(AddressFamily::SPEC))?,
        (None, Some(ip)) => family_of(&ip),
        (None, None) if query => 0,
        (None, None) => 2,
    };
    hdr.set_family(family);
    let state = match a.take_any(&["state", "nud"]) {
        Some((k, v)) => flags_arg(&k, &v, NudState::SPEC)? as u16,
        None if query => 0,
        None => NudState::PERMANENT.0,
    };
    hdr.set_state(NudState(state));
    if let Some(v) = a.take("flags") {
        hdr.set_flags(NtfFlags(flags_arg("flags", &v, NtfFlags::SPEC)? as u8));
    }
    if let Some(v) = a.take("ndm_type") {
        hdr.set_type(int_as::<u8>("ndm_type", &v, Some(RtType::SPEC))?);
    }
    NeighMsg::request(buf, &hdr);
    let ctx = EncodeCtx {
        start: buf.len(),
        family,
    };
    for (k, v) in &a.0 {
        match k.as_str() {
            "dst" => put_kw(&NEIGH_SPEC, buf, ctx, k, &Value::Ip(prefix_arg(k, v)?.0))?,
            "master" | "NDA_MASTER" => {
                put_kw(&NEIGH_SPEC, buf, ctx, k, &ifindex_arg(k, v, r)?.into())?
            }
            _ => put_kw(&NEIGH_SPEC, buf, ctx, k, v)?,
        }
    }
    Ok(())
}
