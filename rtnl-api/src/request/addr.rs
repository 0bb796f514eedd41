//! `addr`: RTM_NEWADDR / RTM_DELADDR keyword requests.

use rtnl_core::Result;
use rtnl_core::generated::*;
use rtnl_core::spec::{Command, EncodeCtx};

use super::*;
use crate::args::{Args, Value, family_of, int_as, prefix_arg, str_arg};

/// `addr(cmd, ...)`: RTM_NEWADDR / RTM_DELADDR.
///
/// `address` may carry the prefix (`"10.0.0.2/24"`) or take `prefixlen` (default /32, /128);
/// `index` (or `ifname`, resolved) picks the interface. IPv4 sends IFA_ADDRESS and IFA_LOCAL
/// (both the address, pyroute2's default); IPv6 sends IFA_ADDRESS. `flags` becomes IFA_FLAGS;
/// `scope` the header's scope; everything else an `IFA_*` attribute by name.
pub fn addr(buf: &mut Vec<u8>, cmd: &str, args: &Args, r: &mut dyn Resolve) -> Result<Command> {
    let c = command(&ADDR_MSG, cmd)?;
    let mut a = args.clone();
    let mut hdr = Ifaddrmsg::zeroed();
    match (a.take("index"), a.take("ifname")) {
        (Some(v), _) => {
            hdr.set_index(int_as("index", &v, None)?);
        }
        (None, Some(v)) => {
            hdr.set_index(resolve("ifname", str_arg("ifname", &v)?, r)?);
        }
        (None, None) => {}
    }
    let address = a.take("address");
    let local = a.take("local");
    let (ip, len) = match address.as_ref().or(local.as_ref()) {
        Some(v) => {
            let (ip, len) = prefix_arg("address", v)?;
            (Some(ip), len)
        }
        None => (None, None),
    };
    let family = match (a.take("family"), ip) {
        (Some(v), _) => int_as::<u8>("family", &v, Some(AddressFamily::SPEC))?,
        (None, Some(ip)) => family_of(&ip),
        (None, None) => 2,
    };
    hdr.set_family(family);
    let prefixlen = match a.take_any(&["prefixlen", "mask"]) {
        Some((k, v)) => int_as::<u8>(&k, &v, None)?,
        None => len.unwrap_or(if family == 10 { 128 } else { 32 }),
    };
    hdr.set_prefixlen(prefixlen);
    if let Some(v) = a.take("scope") {
        hdr.set_scope(int_as::<u8>("scope", &v, Some(RtScope::SPEC))?);
    }
    AddrMsg::request(buf, &hdr);
    let ctx = EncodeCtx {
        start: buf.len(),
        family,
    };
    let strip = |v: &Value| -> Result<Value> {
        let (ip, _) = prefix_arg("address", v)?;
        Ok(Value::Ip(ip))
    };
    if let Some(v) = &address {
        put_kw(&ADDR_SPEC, buf, ctx, "address", &strip(v)?)?;
    }
    match (&local, ip) {
        (Some(v), _) => put_kw(&ADDR_SPEC, buf, ctx, "local", &strip(v)?)?,
        (None, Some(ip @ IpAddr::V4(_))) => put_kw(&ADDR_SPEC, buf, ctx, "local", &Value::Ip(ip))?,
        _ => {}
    }
    if let Some(v) = a.take("flags") {
        put_kw(&ADDR_SPEC, buf, ctx, "flags", &v)?;
    }
    for (k, v) in &a.0 {
        put_kw(&ADDR_SPEC, buf, ctx, k, v)?;
    }
    Ok(*c)
}
