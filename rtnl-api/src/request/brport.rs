//! `brport`: bridge port options (`bridge link set`, `ip link set dev X type bridge_slave`),
//! sent as IFLA_LINKINFO { kind "bridge_slave", IFLA_INFO_SLAVE_DATA { IFLA_BRPORT_* } } of a
//! link `set`; dumps ask for AF_BRIDGE links, whose IFLA_PROTINFO carries the same options.

use rtnl_core::generated::*;
use rtnl_core::nla;
use rtnl_core::spec::{Command, EncodeCtx, encode_attr};
use rtnl_core::{ArgError, Result};

use super::*;
use crate::args::{Args, Value, int_as};

/// `brport(cmd, ...)`: `set` (RTM_NEWLINK, REQUEST|ACK, as pyroute2 forwards it to
/// `link("set", kind="bridge_slave", ...)`), `dump`/`show` (RTM_GETLINK of family AF_BRIDGE).
///
/// Keywords: `index` (or `ifname`, resolved) picks the port; every other keyword is an
/// IFLA_BRPORT_* attribute by name, with or without its prefix (`cost`, `priority`, `state`,
/// `learning`, `unicast_flood`, `mcast_flood`, `neigh_suppress`, `isolated`, `IFLA_BRPORT_GUARD`
/// ...); `true`/`false` are 1/0.
///
/// ```
/// let mut b = Vec::new();
/// let c = rtnl_api::request::brport(
///     &mut b,
///     "set",
///     &rtnl_api::kw! { index: 5, unicast_flood: 0, cost: 200 },
///     &mut rtnl_api::request::NoResolve,
/// )?;
/// assert_eq!(c.msg_type, 16); // RTM_NEWLINK
/// # Ok::<(), rtnl_api::Error>(())
/// ```
pub fn brport(buf: &mut Vec<u8>, cmd: &str, args: &Args, r: &mut dyn Resolve) -> Result<Command> {
    let mut a = args.clone();
    let mut hdr = Ifinfomsg::zeroed();
    match (a.take("index"), a.take("ifname")) {
        (Some(v), _) => {
            hdr.set_index(ifindex_arg("index", &v, r)? as i32);
        }
        (None, Some(v)) => {
            hdr.set_index(ifindex_arg("ifname", &v, r)? as i32);
        }
        (None, None) => {}
    }
    match cmd {
        "set" => {
            let c = command(&LINK_MSG, "set")?;
            LinkMsg::request(buf, &hdr);
            let li = nla::begin_nest_raw(buf, 18); // IFLA_LINKINFO
            nla::put_str(buf, 1, "bridge_slave"); // IFLA_INFO_KIND
            let sd = nla::begin_nest_raw(buf, 5); // IFLA_INFO_SLAVE_DATA
            let ctx = EncodeCtx {
                start: buf.len(),
                family: 0,
            };
            for (k, v) in &a.0 {
                // `true`/`false` are 1/0, except for a flag (IFLA_BRPORT_FLUSH), which takes them.
                let flag = LINKINFO_BRPORT_SPEC
                    .by_name(k)
                    .is_some_and(|s| matches!(s.kind, rtnl_core::spec::Kind::Flag));
                let v = match v {
                    Value::Bool(b) if !flag => Value::Int(*b as i128),
                    v => v.clone(),
                };
                encode_attr(&LINKINFO_BRPORT_SPEC, buf, ctx, k, &v).map_err(|e| {
                    ArgError::new(k, format!("not a bridge port option ({})", e.reason))
                })?;
            }
            nla::end_nest(buf, sd);
            nla::end_nest(buf, li);
            Ok(*c)
        }
        "dump" | "show" => {
            let c = command(&LINK_MSG, "dump")?;
            let family = match a.take("family") {
                Some(v) => int_as("family", &v, Some(AddressFamily::SPEC))?,
                None => 7,
            };
            hdr.set_family(family);
            LinkMsg::request(buf, &hdr);
            Ok(*c)
        }
        _ => Err(ArgError::new(
            "command",
            format!("{cmd:?} is not a brport command; one of set, dump, show"),
        )
        .into()),
    }
}
