//! `link`: RTM_NEWLINK / RTM_DELLINK / RTM_GETLINK keyword requests.

use rtnl_core::generated::*;
use rtnl_core::spec::{Command, EncodeCtx};
use rtnl_core::{ArgError, Result};

use super::*;
use crate::args::{Args, Value, int_as, mac_arg, str_arg};

/// `link(cmd, ...)`: RTM_NEWLINK / RTM_DELLINK / RTM_GETLINK / RTM_NEWLINKPROP / RTM_DELLINKPROP.
///
/// Keywords, as pyroute2 takes them:
///
/// | keyword | meaning |
/// | --- | --- |
/// | `index`, `family` | the header (`family` by name too: `"bridge"`) |
/// | `state` | `"up"` / `"down"`: IFF_UP in `flags` and `change` |
/// | `arp` / `noarp` | `arp=false` or `noarp=true` sets IFF_NOARP; both put it in `change` |
/// | `flags` | a number, a name, or a list of names where `!` clears: `["IFF_UP", "!IFF_NOARP"]` (each named bit goes to `change`) |
/// | `change` | the mask (a number or names) |
/// | `address`, `broadcast` | MACs as `02:00:00:00:00:01`, `02-00-00-00-00-01` or `0200.0000.0001` |
/// | `altname` | IFLA_ALT_IFNAME (a name or a list); with `property_add` / `property_del`, IFLA_PROP_LIST (sent with NLA_F_NESTED, as the kernel requires) |
/// | `master`, `link`, `vxlan_link` | an index or an interface name |
/// | `group` | a number or a name from iproute2's `group` file ([`crate::names`]) |
/// | `kind` | IFLA_LINKINFO, always last; the kind's options go beside it at top level, pyroute2 spelled (`vxlan_id`, `br_stp_state`) or by our names; `kind="bridge_slave"` (`bond_slave` ...) takes the port's options (`brport_cost` ...) into IFLA_INFO_SLAVE_DATA, as `ip link set dev X type bridge_slave cost 5` sends them |
/// | `peer` | the veth peer: a name, or a map of link keywords; its `net_ns_fd` is a namespace name (`/run/netns/NAME`), a path, or an fd |
///
/// Everything else is an `IFLA_*` attribute by name (`mtu`, `ifname`, `txqlen` ...), in order.
///
/// ```
/// use rtnl_api::{IPBatch, kw};
/// let mut b = IPBatch::new();
/// b.link("add", kw! { ifname: "vx0", kind: "vxlan", vxlan_id: 42, vxlan_link: 2 })?;
/// b.link("set", kw! { index: 5, flags: vec!["IFF_UP", "!IFF_NOARP"], address: "0200.0000.0001" })?;
/// b.link("set", kw! { index: 5, state: "up", arp: false, group: "default" })?;
/// b.link("property_add", kw! { index: 5, altname: vec!["uplink", "wan"] })?;
/// b.link("add", kw! { ifname: "v0", kind: "veth", peer: kw! { ifname: "v1", net_ns_fd: 7 } })?;
/// # Ok::<(), rtnl_core::Error>(())
/// ```
pub fn link(buf: &mut Vec<u8>, cmd: &str, args: &Args, r: &mut dyn Resolve) -> Result<Command> {
    let c = command(&LINK_MSG, cmd)?;
    let mut a = args.clone();
    let hdr = link_header(&mut a)?;
    link_values(&mut a, cmd, r)?;
    let kind = a.take("kind");
    let peer = a.take("peer");
    // `kind="bridge_slave"` (iproute2's spelling): the options are the port's
    // (IFLA_INFO_SLAVE_DATA in the master kind's format), and the kind is sent as given.
    let slave_of = match &kind {
        Some(k) => str_arg("kind", k)?
            .strip_suffix("_slave")
            .map(str::to_string),
        None => None,
    };
    let data_set = match (&kind, &slave_of) {
        (_, Some(master)) => LinkinfoSlaveData::SPEC
            .formats
            .iter()
            .find(|f| {
                f.value
                    == rtnl_core::spec::SelValue::Str(k_static_in(LinkinfoSlaveData::SPEC, master))
            })
            .and_then(|f| f.set),
        (Some(k), None) => {
            let k = str_arg("kind", k)?;
            LinkinfoData::SPEC
                .formats
                .iter()
                .find(|f| f.value == rtnl_core::spec::SelValue::Str(k_static(k)))
                .and_then(|f| f.set)
        }
        (None, None) => None,
    };
    // Split the remaining keywords: link attributes vs. the kind's data.
    let mut link_kw = Vec::new();
    let mut data_kw = Vec::new();
    for (k, v) in a.0 {
        let pyroute2_spelled = data_set.is_some_and(|s| {
            s.attrs.iter().any(|x| {
                x.cname
                    .split_once('_')
                    .map(|(_, r)| r)
                    .unwrap_or("")
                    .eq_ignore_ascii_case(&k)
            })
        });
        if pyroute2_spelled
            || (find_attr(&LINK_SPEC, &k).is_none()
                && data_set.is_some_and(|s| find_attr(s, &k).is_some()))
        {
            data_kw.push((k, v));
        } else {
            link_kw.push((k, v));
        }
    }
    if let Some(p) = peer {
        data_kw.push(("peer".into(), peer_arg(p, r)?));
    }
    LinkMsg::request(buf, &hdr);
    let ctx = EncodeCtx {
        start: buf.len(),
        family: hdr.family,
    };
    for (k, v) in &link_kw {
        put_kw(&LINK_SPEC, buf, ctx, k, v)?;
    }
    if let Some(kind) = kind {
        let mut info = vec![("kind".to_string(), kind.clone())];
        if !data_kw.is_empty() {
            let set = data_set.ok_or_else(|| {
                ArgError::new(
                    "kind",
                    format!("kind {kind:?} takes no options in this schema"),
                )
            })?;
            let mut data = Vec::new();
            for (k, v) in data_kw {
                let at = find_attr(set, &k).ok_or_else(|| {
                    ArgError::new(k.clone(), format!("not an option of link kind {kind:?}"))
                })?;
                data.push((at.name.to_string(), v));
            }
            if slave_of.is_some() {
                // The slave data's format follows IFLA_INFO_SLAVE_KIND, which iproute2 does
                // not send: encode it here in the master kind's set.
                let mut bytes = Vec::new();
                rtnl_core::spec::encode_map(set, &mut bytes, 0, "slave_data", &Value::Map(data))?;
                info.push(("slave_data".into(), Value::Bytes(bytes)));
            } else {
                info.push(("data".into(), Value::Map(data)));
            }
        }
        put_kw(&LINK_SPEC, buf, ctx, "linkinfo", &Value::Map(info))?;
    } else if !data_kw.is_empty() {
        return Err(ArgError::new(data_kw[0].0.clone(), "this option needs kind=...").into());
    }
    Ok(*c)
}

/// The header: `index`, `family`, and `flags`/`change` from `flags`, `change`, `state`, `arp`
/// and `noarp` (pyroute2's `set_state`/`set_arp`/`set_noarp`/`names2flags`).
fn link_header(a: &mut Args) -> Result<Ifinfomsg> {
    let mut hdr = Ifinfomsg::zeroed();
    if let Some(v) = a.take("index") {
        hdr.set_index(int_as("index", &v, None)?);
    }
    if let Some(v) = a.take("family") {
        hdr.set_family(int_as::<u8>("family", &v, Some(AddressFamily::SPEC))?);
    }
    let (mut flags, mut change) = match a.take("flags") {
        Some(v) => flag_list("flags", &v, IffFlags::SPEC)?,
        None => (0, 0),
    };
    if let Some(v) = a.take("change") {
        change |= flag_list("change", &v, IffFlags::SPEC)?.0;
    }
    let up = IffFlags::UP.bits();
    if let Some(v) = a.take("state") {
        match str_arg("state", &v)? {
            "up" => flags |= up,
            "down" => flags &= !up,
            s => {
                return Err(
                    ArgError::new("state", format!("{s:?}: expected \"up\" or \"down\"")).into(),
                );
            }
        }
        change |= up;
    }
    let noarp_bit = IffFlags::NOARP.bits();
    for (k, noarp_when) in [("arp", false), ("noarp", true)] {
        if let Some(v) = a.take(k) {
            let on = match v {
                Value::Bool(b) => b,
                v => int_as::<u8>(k, &v, None)? != 0,
            };
            if on == noarp_when {
                flags |= noarp_bit;
            } else {
                flags &= !noarp_bit;
            }
            change |= noarp_bit;
        }
    }
    hdr.set_flags(flags);
    hdr.set_change(change);
    Ok(hdr)
}

/// Flags as a number, a name, `"a,b"`, or a list of names where a leading `!` clears the bit;
/// returns (bits set, every bit named): pyroute2's `names2flags`.
pub(crate) fn flag_list(
    k: &str,
    v: &Value,
    spec: &rtnl_core::spec::EnumSpec,
) -> Result<(u32, u32)> {
    let Value::List(items) = v else {
        let f: u32 = int_as(k, v, Some(spec))?;
        return Ok((f, f));
    };
    let (mut set, mut mask) = (0u32, 0u32);
    for it in items {
        let (clear, it) = match it {
            Value::Str(s) if s.starts_with('!') => (true, Value::from(&s[1..])),
            it => (false, it.clone()),
        };
        let bit: u32 = int_as(k, &it, Some(spec))?;
        if !clear {
            set |= bit;
        }
        mask |= bit;
    }
    Ok((set, mask))
}

/// Values that name things: interfaces (`master`, `link`, `vxlan_link`), groups, MACs,
/// `altname` (IFLA_PROP_LIST for the property commands).
fn link_values(a: &mut Args, cmd: &str, r: &mut dyn Resolve) -> Result<()> {
    for key in ["master", "link", "vxlan_link"] {
        if let Some(v) = a.get(key).cloned() {
            let idx = ifindex_arg(key, &v, r)?;
            a.set(key, idx);
        }
    }
    if let Some(Value::Str(s)) = a.get("group").cloned() {
        let g = crate::names::lookup("group", &s, None, crate::names::NameTable::Group)?;
        a.set("group", g);
    }
    for key in ["address", "broadcast"] {
        if let Some(v) = a.get(key).cloned() {
            a.set(key, mac_arg(key, &v)?);
        }
    }
    if let Some(v) = a.get("altname").cloned() {
        let names = match v {
            Value::List(l) => Value::List(l),
            v => Value::List(vec![v]),
        };
        let i = a.keys().position(|k| k == "altname").unwrap_or(0);
        a.0[i] = if cmd.starts_with("property_") {
            (
                "prop_list".into(),
                Value::Map(vec![("alt_ifname".into(), names)]),
            )
        } else {
            ("alt_ifname".into(), names)
        };
    }
    Ok(())
}

/// `peer`: a name, or a map of link keywords (pyroute2's IFLA_* names; `net_ns_fd` as a
/// namespace name, a path or an fd).
fn peer_arg(p: Value, r: &mut dyn Resolve) -> Result<Value> {
    let m = match p {
        Value::Str(name) => return Ok(Value::map([("ifname", name)])),
        Value::Map(m) => m,
        other => {
            return Err(ArgError::new(
                "peer",
                format!("expected a name or a map of link keywords, got {other:?}"),
            )
            .into());
        }
    };
    let mut out = Vec::new();
    for (k, v) in m {
        let v = match (k.as_str(), v) {
            ("net_ns_fd", Value::Str(s)) if rtnl_core::spec::parse_int(&s).is_none() => {
                Value::Int(r.netns_fd("peer.net_ns_fd", &s)?.into())
            }
            ("address" | "broadcast", v) => mac_arg(&k, &v)?,
            ("master" | "link", v) => Value::Int(ifindex_arg(&k, &v, r)?.into()),
            (_, v) => v,
        };
        out.push((k, v));
    }
    Ok(Value::Map(out))
}

/// The static name of a kind string (for comparing with the schema's format table).
fn k_static(k: &str) -> &'static str {
    k_static_in(LinkinfoData::SPEC, k)
}

/// [`k_static`] in another kind-selected format table.
fn k_static_in(spec: &'static rtnl_core::spec::SubMessageSpec, k: &str) -> &'static str {
    spec.formats
        .iter()
        .find_map(|f| match f.value {
            rtnl_core::spec::SelValue::Str(s) if s == k => Some(s),
            _ => None,
        })
        .unwrap_or("\0no such kind")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kw;

    #[test]
    fn compiled_requests_refuse_namespace_names_but_take_fds() {
        let mut b = Vec::new();
        let e = link(
            &mut b,
            "add",
            &kw! { ifname: "v0", kind: "veth", peer: kw! { ifname: "v1", net_ns_fd: "blue" } },
            &mut NoResolve,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("peer.net_ns_fd") && e.contains("blue"), "{e}");
        link(
            &mut b,
            "add",
            &kw! { ifname: "v0", kind: "veth", peer: kw! { ifname: "v1", net_ns_fd: 7 } },
            &mut NoResolve,
        )
        .unwrap();
    }

    #[test]
    fn flag_lists_set_and_clear_and_fill_change() {
        let (f, m) = flag_list(
            "flags",
            &Value::List(vec!["IFF_UP".into(), "!IFF_NOARP".into(), "promisc".into()]),
            IffFlags::SPEC,
        )
        .unwrap();
        let (up, noarp, promisc) = (
            IffFlags::UP.bits(),
            IffFlags::NOARP.bits(),
            IffFlags::PROMISC.bits(),
        );
        assert_eq!((f, m), (up | promisc, up | noarp | promisc));
        assert!(
            flag_list(
                "flags",
                &Value::List(vec!["IFF_NOPE".into()]),
                IffFlags::SPEC
            )
            .is_err()
        );
    }
}
