//! `route("get")`: an RTM_GETROUTE lookup request, as `ip route get` sends it and as the
//! kernel's strict checking accepts it (`inet_rtm_valid_getroute_req`,
//! `inet6_rtm_valid_getroute_req`): only `rtm_family`, full-length `rtm_dst_len` /
//! `rtm_src_len`, `rtm_tos` and the RTM_F_* lookup flags in the header, and only the lookup
//! attributes RTA_DST, RTA_SRC, RTA_IIF, RTA_OIF, RTA_MARK, RTA_UID, RTA_IP_PROTO, RTA_SPORT,
//! RTA_DPORT (and RTA_FLOWLABEL for IPv6).

use rtnl_core::generated::*;
use rtnl_core::spec::{Command, EncodeCtx};
use rtnl_core::{ArgError, Result};

use super::*;
use crate::args::{Args, Value, family_of, int_as, prefix_arg};

/// RTM_F_LOOKUP_TABLE: the answer's table is the one the lookup used.
const RTM_F_LOOKUP_TABLE: u32 = 0x1000;
/// RTM_F_FIB_MATCH: answer the matching FIB entry rather than the resolved route.
const RTM_F_FIB_MATCH: u32 = 0x2000;

/// `route("get", ...)`: the route the kernel would use (RTM_GETROUTE, `ip route get`).
///
/// | keyword | |
/// | --- | --- |
/// | `dst` | the address to look up (required; a prefix length other than the full one is refused by the kernel) |
/// | `src`, `iif`, `oif` (index or name), `mark`/`fwmark`, `uid`, `ipproto`, `sport`, `dport`, `flowlabel` | lookup keys |
/// | `tos`, `family`, `dst_len`, `src_len` | header fields (the lengths default to the full length, the only one the kernel takes) |
/// | `fibmatch` | `true`: the FIB entry that matched (`ip route get fibmatch`), RTM_F_FIB_MATCH |
/// | `lookup_table` | default `true` for IPv4, as `ip route get` sends it (IPv6 refuses it): the answer's table is the table the lookup used (RTM_F_LOOKUP_TABLE); `false` to leave it off |
/// | `flags` | more RTM_F_* bits |
///
/// pyroute2 0.9 puts RT_TABLE_MAIN in the header's table, which a strict-checking kernel
/// refuses ("Invalid values in header for route get request"); rtnl follows iproute2. To look
/// up in one table, add a rule or use `oif` (a VRF's device) as iproute2 does.
///
/// ```
/// let mut b = Vec::new();
/// let c = rtnl_api::request::route_get(
///     &mut b,
///     &rtnl_api::kw! { dst: "10.0.0.2", fibmatch: true },
///     &mut rtnl_api::request::NoResolve,
/// )?;
/// assert_eq!(c.msg_type, 26); // RTM_GETROUTE
/// assert_eq!(&b[..2], &[2, 32]); // AF_INET, dst_len 32
/// assert_eq!(&b[8..12], &0x3000u32.to_ne_bytes()); // LOOKUP_TABLE | FIB_MATCH
/// # Ok::<(), rtnl_api::Error>(())
/// ```
pub fn route_get(buf: &mut Vec<u8>, args: &Args, r: &mut dyn Resolve) -> Result<Command> {
    let c = command(&ROUTE_MSG, "get")?;
    let mut a = args.clone();
    let mut hdr = Rtmsg::zeroed();
    let mut flags = 0;
    let mut family = None;
    let mut attrs: Vec<(&str, Value)> = Vec::new();
    for key in ["dst", "src"] {
        if let Some(v) = a.take(key) {
            let (ip, len) = prefix_arg(key, &v)?;
            let full = if ip.is_ipv4() { 32 } else { 128 };
            let len = len.unwrap_or(full);
            if key == "dst" {
                hdr.set_dst_len(len);
            } else {
                hdr.set_src_len(len);
            }
            family.get_or_insert(family_of(&ip));
            attrs.push((key, Value::Ip(ip)));
        }
    }
    // Explicit lengths (pyroute2's `dst_len`/`src_len`): the kernel wants the full length.
    if let Some(v) = a.take("dst_len") {
        hdr.set_dst_len(int_as("dst_len", &v, None)?);
    }
    if let Some(v) = a.take("src_len") {
        hdr.set_src_len(int_as("src_len", &v, None)?);
    }
    if let Some(v) = a.take("family") {
        family = Some(int_as("family", &v, Some(AddressFamily::SPEC))?);
    }
    let family = family.unwrap_or(2);
    hdr.set_family(family);
    // iproute2 asks IPv4 lookups for their table; IPv6 refuses the flag ("Invalid flags").
    if family == 2 {
        flags |= RTM_F_LOOKUP_TABLE;
    }
    if let Some(v) = a.take("tos") {
        hdr.set_tos(int_as("tos", &v, None)?);
    }
    let on = |k: &str, v: &Value| -> Result<bool> {
        match v {
            Value::Bool(b) => Ok(*b),
            v => Ok(int_as::<u8>(k, v, None)? != 0),
        }
    };
    if let Some(v) = a.take("fibmatch")
        && on("fibmatch", &v)?
    {
        flags |= RTM_F_FIB_MATCH;
    }
    if let Some(v) = a.take("lookup_table")
        && !on("lookup_table", &v)?
    {
        flags &= !RTM_F_LOOKUP_TABLE;
    }
    if let Some(v) = a.take("flags") {
        flags |= int_as::<u32>("flags", &v, Some(RtmFlags::SPEC))?;
    }
    hdr.set_flags(flags);
    if let Some(k) = ["table", "proto", "protocol", "scope", "type"]
        .into_iter()
        .find(|k| a.get(k).is_some())
    {
        return Err(ArgError::new(
            k,
            "not a lookup key: the kernel refuses it in a route get (strict checking)",
        )
        .into());
    }
    for (k, v) in a.0 {
        let v = match k.as_str() {
            "iif" | "oif" => Value::from(ifindex_arg(&k, &v, r)?),
            _ => v,
        };
        let k: &str = match k.as_str() {
            "fwmark" => "mark",
            "ipproto" => "ip_proto",
            k => k,
        };
        attrs.push((
            ROUTE_SPEC
                .by_name(k)
                .map(|s| s.name)
                .ok_or_else(|| ArgError::new(k, "not a route get keyword"))?,
            v,
        ));
    }
    RouteMsg::request(buf, &hdr);
    let ctx = EncodeCtx {
        start: buf.len(),
        family: hdr.family().into(),
    };
    for (k, v) in &attrs {
        put_kw(&ROUTE_SPEC, buf, ctx, k, v)?;
    }
    Ok(*c)
}
