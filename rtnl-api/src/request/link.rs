//! `link`: RTM_NEWLINK / RTM_DELLINK / RTM_GETLINK keyword requests.

use rtnl_core::generated::*;
use rtnl_core::spec::{Command, EncodeCtx};
use rtnl_core::{ArgError, Result};

use super::*;
use crate::args::{Args, Value, int_as, str_arg};

/// `link(cmd, ...)`: RTM_NEWLINK / RTM_DELLINK / RTM_GETLINK.
///
/// Header keywords: `index`, `state` (`"up"`/`"down"`), `flags`, `change`, `family`. `kind`
/// (plus the kind's own keywords, pyroute2 spelled: `vxlan_id`, `br_stp_state`, or our names)
/// becomes `IFLA_LINKINFO`, always last; `peer` is the veth peer (a name or a map). `master` and
/// `link` take names or indexes. Everything else is an `IFLA_*` attribute by name, in order.
pub fn link(buf: &mut Vec<u8>, cmd: &str, args: &Args, r: &mut dyn Resolve) -> Result<Command> {
    let c = command(&LINK_MSG, cmd)?;
    let mut a = args.clone();
    let mut hdr = Ifinfomsg::zeroed();
    if let Some(v) = a.take("index") {
        hdr.set_index(int_as("index", &v, None)?);
    }
    if let Some(v) = a.take("family") {
        hdr.set_family(int_as::<u8>("family", &v, Some(AddressFamily::SPEC))?);
    }
    let mut flags: u32 = match a.take("flags") {
        Some(v) => int_as("flags", &v, Some(IffFlags::SPEC))?,
        None => 0,
    };
    let mut change: u32 = match a.take("change") {
        Some(v) => int_as("change", &v, Some(IffFlags::SPEC))?,
        None => 0,
    };
    if let Some(v) = a.take("state") {
        match str_arg("state", &v)? {
            "up" => {
                flags |= IffFlags::UP.bits();
                change |= IffFlags::UP.bits();
            }
            "down" => {
                flags &= !IffFlags::UP.bits();
                change |= IffFlags::UP.bits();
            }
            s => {
                return Err(
                    ArgError::new("state", format!("{s:?}: expected \"up\" or \"down\"")).into(),
                );
            }
        }
    }
    hdr.set_flags(flags);
    hdr.set_change(change);
    for key in ["master", "link"] {
        if let Some(v) = a.get(key).cloned() {
            let idx = ifindex_arg(key, &v, r)?;
            a.set(key, idx);
        }
    }
    let kind = a.take("kind");
    let peer = a.take("peer");
    let data_set = match &kind {
        Some(k) => {
            let k = str_arg("kind", k)?;
            LinkinfoData::SPEC
                .formats
                .iter()
                .find(|f| f.value == rtnl_core::spec::SelValue::Str(k_static(k)))
                .and_then(|f| f.set)
        }
        None => None,
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
        let p = match p {
            Value::Str(name) => Value::map([("ifname", name)]),
            other => other,
        };
        data_kw.push(("peer".into(), p));
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
            info.push(("data".into(), Value::Map(data)));
        }
        put_kw(&LINK_SPEC, buf, ctx, "linkinfo", &Value::Map(info))?;
    } else if !data_kw.is_empty() {
        return Err(ArgError::new(data_kw[0].0.clone(), "this option needs kind=...").into());
    }
    Ok(*c)
}

/// The static name of a kind string (for comparing with the schema's format table).
fn k_static(k: &str) -> &'static str {
    LinkinfoData::SPEC
        .formats
        .iter()
        .find_map(|f| match f.value {
            rtnl_core::spec::SelValue::Str(s) if s == k => Some(s),
            _ => None,
        })
        .unwrap_or("\0no such kind")
}
