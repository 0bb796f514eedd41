//! `fdb`: bridge forwarding database entries, which are neighbour messages of family AF_BRIDGE
//! with pyroute2's defaults for state and flags.

use rtnl_core::Result;
use rtnl_core::generated::*;
use rtnl_core::spec::Command;

use super::neigh::{flags_arg, neigh_body};
use super::*;
use crate::args::{Args, Value};

/// `fdb(cmd, ...)`: a [`neigh`](super::neigh) request with family AF_BRIDGE (`bridge fdb`).
///
/// Commands: `add`, `append`, `del` (and `replace`, `change`, `get`, `dump` as for `neigh`).
///
/// Defaults (pyroute2 0.9, `IPRoute.fdb`) for `add`, `append` and `del`: the state always
/// includes NUD_NOARP, and NUD_PERMANENT unless NUD_REACHABLE is given (so `0xc0` by
/// default: `bridge fdb add ... permanent`); the flags include NTF_SELF unless NTF_SELF or
/// NTF_MASTER is given (`bridge fdb add ... self`). `nud` is an alias of `state`.
///
/// `bulk_del` (RTM_DELNEIGH with NLM_F_BULK, `bridge fdb flush`) deletes every entry of the
/// device `ifindex` that matches: `state` and `flags` under `ndm_state_mask` /
/// `ndm_flags_mask` (NDA_NDM_STATE_MASK, NDA_NDM_FLAGS_MASK), `vlan`, and `brport` (a port of
/// the bridge, NDA_IFINDEX); the flags include NTF_SELF unless NTF_SELF or NTF_MASTER is given,
/// as bridge sends them.
///
/// Keywords: those of [`neigh`](super::neigh): `ifindex` (or `ifname`), `lladdr`, `dst` (the
/// remote of a VXLAN entry), `vlan`, `port`, `vni`, `src_vni`, `master` (NDA_MASTER), `state`,
/// `flags` ...
///
/// ```
/// let mut b = Vec::new();
/// let c = rtnl_api::request::fdb(
///     &mut b,
///     "add",
///     &rtnl_api::kw! { ifindex: 5, lladdr: "02:00:00:00:00:09", vlan: 200 },
///     &mut rtnl_api::request::NoResolve,
/// )?;
/// assert_eq!(c.msg_type, 28); // RTM_NEWNEIGH
/// assert_eq!(b[0], 7); // AF_BRIDGE
/// assert_eq!(&b[8..11], &[0xc0, 0, 2]); // NOARP|PERMANENT, NTF_SELF
/// # Ok::<(), rtnl_api::Error>(())
/// ```
pub fn fdb(buf: &mut Vec<u8>, cmd: &str, args: &Args, r: &mut dyn Resolve) -> Result<Command> {
    let c = command(&NEIGH_MSG, cmd)?;
    let mut a = args.clone();
    a.set("family", 7);
    if let Some((_, v)) = a.take_any(&["state", "nud"]) {
        a.set("state", v);
    }
    if matches!(cmd, "add" | "del" | "append") {
        let mut state = match a.get("state") {
            Some(v) => flags_arg("state", v, NudState::SPEC)? as u16,
            None => 0,
        };
        state |= NudState::NOARP.0;
        if state & (NudState::PERMANENT.0 | NudState::REACHABLE.0) == 0 {
            state |= NudState::PERMANENT.0;
        }
        a.set("state", Value::Int(state.into()));
        self_unless_master(&mut a)?;
    }
    if cmd == "bulk_del" {
        bulk_del_defaults(&mut a, r)?;
    }
    if cmd == "dump" {
        super::neigh::neigh_dump(buf, &a, r)?;
    } else {
        neigh_body(buf, &a, r, cmd == "get")?;
    }
    Ok(*c)
}

/// The flags with NTF_SELF added unless `self` or `master` is asked (bridge's and pyroute2's
/// default: the entry is the port's own).
fn self_unless_master(a: &mut Args) -> Result<()> {
    let mut flags = match a.get("flags") {
        Some(v) => flags_arg("flags", v, NtfFlags::SPEC)? as u8,
        None => 0,
    };
    if flags & (NtfFlags::SELF.0 | NtfFlags::MASTER.0) == 0 {
        flags |= NtfFlags::SELF.0;
    }
    a.set("flags", Value::Int(flags.into()));
    Ok(())
}

/// `bulk_del`: NTF_SELF unless `self` or `master` is asked (bridge's default), `brport` as
/// NDA_IFINDEX.
fn bulk_del_defaults(a: &mut Args, r: &mut dyn Resolve) -> Result<()> {
    self_unless_master(a)?;
    if a.get("state").is_none() {
        a.set("state", 0);
    }
    if let Some(v) = a.take("brport") {
        a.set(
            "NDA_IFINDEX",
            Value::Int(ifindex_arg("brport", &v, r)?.into()),
        );
    }
    Ok(())
}
