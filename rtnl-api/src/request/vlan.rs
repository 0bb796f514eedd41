//! `vlan_filter` (bridge port VLANs through IFLA_AF_SPEC of AF_BRIDGE links, `bridge vlan
//! add/del`) and `vlandb` (the VLAN database messages RTM_NEWVLAN / RTM_GETVLAN).

use rtnl_core::generated::*;
use rtnl_core::nla;
use rtnl_core::proto::flags as nlm;
use rtnl_core::spec::{Command, EncodeCtx, encode_attr};
use rtnl_core::{ArgError, Result};

use super::neigh::flags_arg;
use super::*;
use crate::args::{Args, Value, int_as};

/// pyroute2's `vlan_filter` command map: `add` is RTM_SETLINK, `del` RTM_DELLINK, both
/// REQUEST|ACK (what `bridge vlan add/del` sends).
const VLAN_FILTER: &[Command] = &[
    Command {
        name: "add",
        msg_type: RTM_SETLINK,
        flags: nlm::REQUEST | nlm::ACK,
    },
    Command {
        name: "del",
        msg_type: RTM_DELLINK,
        flags: nlm::REQUEST | nlm::ACK,
    },
];

/// `vlan_filter(cmd, ...)`: `add` / `del` a port's VLANs (pyroute2's `vlan_filter`).
///
/// Keywords:
/// * `index` (or `ifname`): the port (or the bridge itself, with `vlan_flags: "self"`);
/// * `vlan_info`: a map `{vid, pvid, untagged, flags}` or a list of them; `vid` is a number or
///   a range `"100-199"` (sent as two IFLA_BRIDGE_VLAN_INFO, RANGE_BEGIN and RANGE_END, each
///   with the entry's other flags, as bridge sends them; a range cannot be the pvid);
///   `pvid: true` sets PVID|UNTAGGED (pyroute2), `untagged: true` UNTAGGED; `flags` are
///   BRIDGE_VLAN_INFO_* by name (`master`, `pvid`, `untagged`, `brentry` ...) or number;
/// * `vlan_tunnel_info`: `{vid, id}`, each a number or a range of the same length;
/// * `mode`, `vlan_flags`: IFLA_BRIDGE_MODE and IFLA_BRIDGE_FLAGS (`self`, `master`).
///
/// ```
/// let mut b = Vec::new();
/// rtnl_api::request::vlan_filter(
///     &mut b,
///     "add",
///     &rtnl_api::kw! { index: 5, vlan_info: rtnl_api::kw! { vid: "100-199" } },
///     &mut rtnl_api::request::NoResolve,
/// )?;
/// assert_eq!(b.len(), 16 + 4 + 2 * 8); // ifinfomsg, IFLA_AF_SPEC, two VLAN_INFO
/// # Ok::<(), rtnl_api::Error>(())
/// ```
pub fn vlan_filter(
    buf: &mut Vec<u8>,
    cmd: &str,
    args: &Args,
    r: &mut dyn Resolve,
) -> Result<Command> {
    let c = VLAN_FILTER.iter().find(|c| c.name == cmd).ok_or_else(|| {
        ArgError::new(
            "command",
            format!("{cmd:?} is not a vlan_filter command; one of add, del"),
        )
    })?;
    let mut a = args.clone();
    let mut hdr = Ifinfomsg::zeroed();
    hdr.set_family(7);
    if let Some((k, v)) = a.take_any(&["index", "ifindex", "ifname"]) {
        hdr.set_index(ifindex_arg(&k, &v, r)? as i32);
    }
    LinkMsg::request(buf, &hdr);
    let spec = nla::begin_nest_raw(buf, 26); // IFLA_AF_SPEC
    let ctx = EncodeCtx {
        start: buf.len(),
        family: 7,
    };
    for (k, v) in &a.0 {
        match k.as_str() {
            "vlan_info" => each(v, &mut |m| vlan_info(buf, m))?,
            "vlan_tunnel_info" => each(v, &mut |m| vlan_tunnel_info(buf, m))?,
            "vlan_flags" | "flags" => {
                let f = flags_arg(k, v, BridgeFlags::SPEC)? as u16;
                encode_attr(&AF_SPEC_BRIDGE_SPEC, buf, ctx, "flags", &f.into())?;
            }
            "mode" => encode_attr(&AF_SPEC_BRIDGE_SPEC, buf, ctx, "mode", v)?,
            _ => {
                return Err(ArgError::new(
                    k,
                    "not a vlan_filter keyword (index, vlan_info, vlan_tunnel_info, mode, vlan_flags)",
                )
                .into());
            }
        }
    }
    nla::end_nest(buf, spec);
    Ok(*c)
}

/// A map of keyword values (`vlan_info: {vid, pvid}`).
type Map = [(String, Value)];

/// Calls `f` with `v` (a map) or with each map of `v` (a list of maps).
fn each(v: &Value, f: &mut dyn FnMut(&Map) -> Result<()>) -> Result<()> {
    match v {
        Value::Map(m) => f(m),
        Value::List(items) => items.iter().try_for_each(|i| each(i, f)),
        other => Err(ArgError::new("vlan_info", format!("expected a map, got {other:?}")).into()),
    }
}

fn get<'m>(m: &'m [(String, Value)], k: &str) -> Option<&'m Value> {
    m.iter().find(|(n, _)| n == k).map(|(_, v)| v)
}

/// A VLAN id or a range: `200`, `"200"`, `"100-199"`; ids must be 1..4094 and ranges rising.
fn range(k: &str, v: &Value, max: u32) -> Result<(u32, Option<u32>), ArgError> {
    let one = |s: &str| -> Result<u32, ArgError> {
        let n: u32 = s
            .trim()
            .parse()
            .map_err(|_| ArgError::new(k, format!("{s:?} is not a number")))?;
        match n {
            1.. if n <= max => Ok(n),
            _ => Err(ArgError::new(k, format!("{n} is not within 1..{max}"))),
        }
    };
    match v {
        Value::Str(s) => match s.split_once('-') {
            Some((lo, hi)) => {
                let (lo, hi) = (one(lo)?, one(hi)?);
                if lo >= hi {
                    return Err(ArgError::new(k, format!("range {s:?} does not rise")));
                }
                Ok((lo, Some(hi)))
            }
            None => Ok((one(s)?, None)),
        },
        v => Ok((one(&int_as::<u32>(k, v, None)?.to_string())?, None)),
    }
}

fn put_info(buf: &mut Vec<u8>, flags: u16, vid: u32) {
    let mut p = [0u8; 4];
    p[..2].copy_from_slice(&flags.to_ne_bytes());
    p[2..].copy_from_slice(&(vid as u16).to_ne_bytes());
    nla::put(buf, 2, &p); // IFLA_BRIDGE_VLAN_INFO
}

fn vlan_info(buf: &mut Vec<u8>, m: &[(String, Value)]) -> Result<()> {
    let vid = get(m, "vid").ok_or_else(|| ArgError::new("vlan_info", "needs a vid"))?;
    let (lo, hi) = range("vlan_info.vid", vid, 4094)?;
    let mut flags = match get(m, "flags") {
        Some(v) => flags_arg("vlan_info.flags", v, BridgeVlanInfoFlags::SPEC)? as u16,
        None => 0,
    };
    let on = |k: &str| matches!(get(m, k), Some(Value::Bool(true)) | Some(Value::Int(1..)));
    if on("pvid") {
        flags |= BridgeVlanInfoFlags::PVID.0 | BridgeVlanInfoFlags::UNTAGGED.0;
    }
    if on("untagged") {
        flags |= BridgeVlanInfoFlags::UNTAGGED.0;
    }
    match hi {
        // A range is two entries, each with the entry's flags and its range bit, as `bridge
        // vlan add vid 100-199 untagged` sends them (pyroute2 keeps the range bits only, which
        // loses `untagged`: the kernel applies an entry's flags to every VLAN of the range).
        Some(_) if flags & BridgeVlanInfoFlags::PVID.0 != 0 => {
            return Err(ArgError::new(
                "vlan_info.pvid",
                "a VLAN range cannot be the pvid (as bridge)",
            )
            .into());
        }
        Some(hi) => {
            put_info(buf, flags | BridgeVlanInfoFlags::RANGE_BEGIN.0, lo);
            put_info(buf, flags | BridgeVlanInfoFlags::RANGE_END.0, hi);
        }
        None => put_info(buf, flags, lo),
    }
    Ok(())
}

fn vlan_tunnel_info(buf: &mut Vec<u8>, m: &[(String, Value)]) -> Result<()> {
    let need =
        |k: &str| get(m, k).ok_or_else(|| ArgError::new("vlan_tunnel_info", format!("needs {k}")));
    let (vlo, vhi) = range("vlan_tunnel_info.vid", need("vid")?, 4094)?;
    let (ilo, ihi) = range("vlan_tunnel_info.id", need("id")?, 0xff_ffff)?;
    // One nest: VID then ID (pyroute2's order); a range is two, with the range flags.
    let tunnel = |buf: &mut Vec<u8>, vid: u32, flags: Option<u16>, id: u32| {
        let n = nla::begin_nest_raw(buf, 3); // IFLA_BRIDGE_VLAN_TUNNEL_INFO
        nla::put(buf, 2, &(vid as u16).to_ne_bytes());
        if let Some(f) = flags {
            nla::put(buf, 3, &f.to_ne_bytes());
        }
        nla::put(buf, 1, &id.to_ne_bytes());
        nla::end_nest(buf, n);
    };
    match (vhi, ihi) {
        (None, None) => tunnel(buf, vlo, None, ilo),
        (Some(vhi), Some(ihi)) if vhi - vlo == ihi - ilo => {
            tunnel(buf, vlo, Some(BridgeVlanInfoFlags::RANGE_BEGIN.0), ilo);
            tunnel(buf, vhi, Some(BridgeVlanInfoFlags::RANGE_END.0), ihi);
        }
        _ => {
            return Err(ArgError::new(
                "vlan_tunnel_info",
                "vid and id must both be single or ranges of the same length",
            )
            .into());
        }
    }
    Ok(())
}

/// `vlandb(cmd, ...)`: the bridge VLAN database (RTM_NEWVLAN / RTM_GETVLAN, `bridge vlan set`,
/// `bridge vlan show`). Commands from schema/brvlanmsg.toml: `set` (and `add`, `del`), `dump`.
///
/// * `set`: `index` (or `ifname`), `vid` (a number, or `"100-199"`: BRIDGE_VLANDB_ENTRY_RANGE),
///   then each BRIDGE_VLANDB_ENTRY_* option by name (`state`, `mcast_router`,
///   `neigh_suppress`, `mcast_max_groups` ...), sent in one BRIDGE_VLANDB_ENTRY whose
///   ENTRY_INFO has BRIDGE_VLAN_INFO_ONLY_OPTS (pyroute2; iproute2 sends the same).
/// * `dump`: `index` (0: every port) and `dump_flags` (BRIDGE_VLANDB_DUMP_FLAGS: `stats`,
///   `global`).
///
/// pyroute2 0.9 drops `index` from `set` (br_vlan_msg names it `ifindex`); rtnl sends it.
///
/// ```
/// let mut b = Vec::new();
/// rtnl_api::request::vlandb(
///     &mut b,
///     "set",
///     &rtnl_api::kw! { index: 5, vid: 200, mcast_router: 2 },
///     &mut rtnl_api::request::NoResolve,
/// )?;
/// assert_eq!(&b[4..8], &5u32.to_ne_bytes());
/// # Ok::<(), rtnl_api::Error>(())
/// ```
pub fn vlandb(buf: &mut Vec<u8>, cmd: &str, args: &Args, r: &mut dyn Resolve) -> Result<Command> {
    let c = command(&VLAN_MSG, cmd)?;
    let mut a = args.clone();
    let mut hdr = BrVlanMsg::zeroed();
    hdr.set_family(AddressFamily::Bridge);
    if let Some((k, v)) = a.take_any(&["index", "ifindex", "ifname"]) {
        hdr.set_ifindex(ifindex_arg(&k, &v, r)?);
    }
    VlanMsg::request(buf, &hdr);
    if cmd == "dump" {
        if let Some(v) = a.take("dump_flags") {
            let f = flags_arg("dump_flags", &v, VlandbDumpf::SPEC)? as u32;
            nla::put(buf, 1, &f.to_ne_bytes()); // BRIDGE_VLANDB_DUMP_FLAGS
        }
        if let Some(k) = a.keys().next() {
            return Err(ArgError::new(k, "not a vlandb dump keyword (index, dump_flags)").into());
        }
        return Ok(*c);
    }
    let vid = a
        .take("vid")
        .ok_or_else(|| ArgError::new("vid", "vlandb set needs a vid"))?;
    let (lo, hi) = range("vid", &vid, 4094)?;
    let entry = nla::begin_nest_raw(buf, 1 | nla::NLA_F_NESTED); // BRIDGE_VLANDB_ENTRY
    let mut info = [0u8; 4];
    info[..2].copy_from_slice(&BridgeVlanInfoFlags::ONLY_OPTS.0.to_ne_bytes());
    info[2..].copy_from_slice(&(lo as u16).to_ne_bytes());
    nla::put(buf, 1, &info); // BRIDGE_VLANDB_ENTRY_INFO
    if let Some(hi) = hi {
        nla::put(buf, 2, &(hi as u16).to_ne_bytes()); // BRIDGE_VLANDB_ENTRY_RANGE
    }
    let ctx = EncodeCtx {
        start: buf.len(),
        family: 7,
    };
    for (k, v) in &a.0 {
        put_kw(&VLANDB_ENTRY_SPEC, buf, ctx, k, v)?;
    }
    nla::end_nest(buf, entry);
    Ok(*c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kw;

    /// The IFLA_BRIDGE_VLAN_INFO entries of a request: (flags, vid).
    fn infos(b: &[u8]) -> Vec<(u16, u16)> {
        let mut out = Vec::new();
        let mut walk = |p: &[u8]| {
            let mut at = 0;
            while at + 4 <= p.len() {
                let len = u16::from_ne_bytes([p[at], p[at + 1]]) as usize;
                let ty = u16::from_ne_bytes([p[at + 2], p[at + 3]]) & 0x3fff;
                if ty == 2 && len == 8 {
                    let f = u16::from_ne_bytes([p[at + 4], p[at + 5]]);
                    let v = u16::from_ne_bytes([p[at + 6], p[at + 7]]);
                    out.push((f, v));
                }
                at += (len + 3) & !3;
            }
        };
        // ifinfomsg (16 bytes), then IFLA_AF_SPEC's payload holds the entries.
        let mut at = 16;
        while at + 4 <= b.len() {
            let len = u16::from_ne_bytes([b[at], b[at + 1]]) as usize;
            walk(&b[at + 4..at + len]);
            at += (len + 3) & !3;
        }
        out
    }

    #[test]
    fn a_range_keeps_its_flags_on_both_ends_as_bridge_sends_it() {
        let mut b = Vec::new();
        let a = kw! { index: 5, vlan_info: kw! { vid: "100-199", untagged: true } };
        vlan_filter(&mut b, "add", &a, &mut super::super::NoResolve).unwrap();
        let u = BridgeVlanInfoFlags::UNTAGGED.0;
        assert_eq!(
            infos(&b),
            [
                (u | BridgeVlanInfoFlags::RANGE_BEGIN.0, 100),
                (u | BridgeVlanInfoFlags::RANGE_END.0, 199)
            ]
        );
        let a = kw! { index: 5, vlan_info: kw! { vid: "100-199", pvid: true } };
        let e = vlan_filter(&mut Vec::new(), "add", &a, &mut super::super::NoResolve)
            .unwrap_err()
            .to_string();
        assert!(e.contains("pvid"), "{e}");
    }
}
