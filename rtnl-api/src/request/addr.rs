//! `addr`: RTM_NEWADDR / RTM_DELADDR keyword requests.

use std::net::Ipv4Addr;

use rtnl_core::generated::*;
use rtnl_core::spec::{Command, EncodeCtx};
use rtnl_core::{ArgError, Result};

use super::*;
use crate::args::{Args, Value, family_of, int_as, prefix_or_mask_arg, prefixlen_arg, str_arg};

/// `addr(cmd, ...)`: RTM_NEWADDR / RTM_DELADDR.
///
/// | keyword | meaning |
/// | --- | --- |
/// | `index` (or `ifname`, resolved) | the interface |
/// | `address` | `"10.0.0.2"`, `"10.0.0.2/24"` or `"10.0.0.2/255.255.255.0"` (IFA_ADDRESS) |
/// | `prefixlen` / `mask` | `24` or a dotted mask `"255.255.255.0"` (default /32, /128) |
/// | `local` | IFA_LOCAL; for IPv4 it defaults to `address` (pyroute2 and the kernel's `ip addr` do so), sent after the other attributes as pyroute2 sends it |
/// | `broadcast` | an address, or `true`: computed from address and prefix (`ip addr add ... brd +`) |
/// | `preferred` / `preferred_lft`, `valid` / `valid_lft` | lifetimes in seconds: IFA_CACHEINFO (the one not given is forever, 0xffffffff); preferred above valid is refused |
/// | `flags` | IFA_FLAGS: a number, names (`"nodad"`, `"IFA_F_NOPREFIXROUTE"`) or a list of names |
/// | `scope` | the header's scope, by number or name (`link`, `host`, or iproute2's `rt_scopes`) |
///
/// Everything else is an `IFA_*` attribute by name (`label`, `proto`, `rt_priority` ...).
///
/// ```
/// use rtnl_api::{IPBatch, kw};
/// let mut b = IPBatch::new();
/// b.addr("add", kw! { index: 5, address: "10.0.0.2", mask: "255.255.255.0", broadcast: true })?;
/// b.addr("add", kw! { index: 5, address: "2001:db8::2/64", preferred: 300, valid: 600 })?;
/// # Ok::<(), rtnl_core::Error>(())
/// ```
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
    let address = a
        .get("address")
        .map(|v| prefix_or_mask_arg("address", v))
        .transpose()?;
    let local = a
        .get("local")
        .map(|v| prefix_or_mask_arg("local", v))
        .transpose()?;
    let (ip, len) = match address.or(local) {
        Some((ip, len)) => (Some(ip), len),
        None => (None, None),
    };
    let family = match (a.take("family"), ip) {
        (Some(v), _) => int_as::<u8>("family", &v, Some(AddressFamily::SPEC))?,
        (None, Some(ip)) => family_of(&ip),
        // A dump asks for every family, as pyroute2's and ip's do.
        (None, None) if cmd == "dump" => 0,
        (None, None) => 2,
    };
    hdr.set_family(family);
    let prefixlen = match a.take_any(&["prefixlen", "mask"]) {
        Some((k, v)) => prefixlen_arg(&k, &v)?,
        None if cmd == "dump" => 0,
        None => len.unwrap_or(if family == 10 { 128 } else { 32 }),
    };
    hdr.set_prefixlen(prefixlen);
    if let Some(v) = a.take("scope") {
        hdr.set_scope(scope_arg("scope", &v)?);
    }
    for (k, parsed) in [("address", address), ("local", local)] {
        if let Some((ip, _)) = parsed {
            a.set(k, Value::Ip(ip));
        }
    }
    if matches!(a.get("broadcast"), Some(Value::Bool(_))) {
        let b = broadcast_of(ip, prefixlen)?;
        match b {
            Some(b) => a.set("broadcast", Value::Ip(b.into())),
            None => {
                a.take("broadcast");
            }
        }
    }
    addr_cacheinfo(&mut a)?;
    if let Some(v) = a.get("flags").cloned() {
        let (f, _) = super::link::flag_list("flags", &v, IfaFlags::SPEC)?;
        a.set("flags", f);
    }
    // IPv4: IFA_LOCAL defaults to the address, after every other attribute (pyroute2's
    // finalize adds it last).
    if let (None, Some(ip @ IpAddr::V4(_))) = (&local, ip) {
        a.0.push(("local".into(), Value::Ip(ip)));
    }
    AddrMsg::request(buf, &hdr);
    let ctx = EncodeCtx {
        start: buf.len(),
        family,
    };
    for (k, v) in &a.0 {
        put_kw(&ADDR_SPEC, buf, ctx, k, v)?;
    }
    Ok(*c)
}

/// `broadcast=true`: the address with every host bit set (IPv4); `false` sends none. IPv6 has
/// no broadcast: refused.
fn broadcast_of(ip: Option<IpAddr>, prefixlen: u8) -> Result<Option<Ipv4Addr>> {
    match ip {
        Some(IpAddr::V4(a)) => {
            let host = u32::MAX.checked_shr(u32::from(prefixlen)).unwrap_or(0);
            Ok(Some(Ipv4Addr::from(u32::from(a) | host)))
        }
        Some(IpAddr::V6(_)) => {
            Err(ArgError::new("broadcast", "IPv6 addresses have no broadcast").into())
        }
        None => Err(ArgError::new("broadcast", "broadcast=true needs address").into()),
    }
}

/// `preferred`/`preferred_lft` and `valid`/`valid_lft` into IFA_CACHEINFO, where the first of
/// them was (pyroute2's order); the one not given is forever (0xffffffff).
fn addr_cacheinfo(a: &mut Args) -> Result<()> {
    let Some(pos) = a
        .keys()
        .position(|k| matches!(k, "preferred" | "preferred_lft" | "valid" | "valid_lft"))
    else {
        return Ok(());
    };
    let mut life = |keys: &[&str]| -> Result<u32> {
        match a.take_any(keys) {
            Some((k, v)) => Ok(match v {
                Value::Str(s) if s == "forever" => u32::MAX,
                v => int_as(&k, &v, None)?,
            }),
            None => Ok(u32::MAX),
        }
    };
    let preferred = life(&["preferred", "preferred_lft"])?;
    let valid = life(&["valid", "valid_lft"])?;
    if preferred > valid {
        return Err(ArgError::new(
            "preferred",
            format!("preferred lifetime {preferred} is longer than valid {valid}"),
        )
        .into());
    }
    let ci = Value::map([("prefered", preferred), ("valid", valid)]);
    a.0.insert(pos.min(a.0.len()), ("cacheinfo".into(), ci));
    Ok(())
}

/// A scope: a number, a name of the kernel's (`link`, `host`), or of iproute2's `rt_scopes`.
pub(crate) fn scope_arg(k: &str, v: &Value) -> Result<u8> {
    let n = match v {
        Value::Str(s) => {
            crate::names::lookup(k, s, Some(RtScope::SPEC), crate::names::NameTable::Scopes)?
        }
        v => int_as(k, v, None)?,
    };
    u8::try_from(n).map_err(|_| ArgError::new(k, format!("{n} is out of range")).into())
}
