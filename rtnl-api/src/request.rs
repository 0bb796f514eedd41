//! Keyword requests into netlink bytes: pyroute2's vocabulary and defaults, no I/O.
//!
//! Each function appends a message body (family header, then attributes) to a buffer and returns
//! the [`Command`] (message type and `NLM_F_*` flags) to send it with. Name lookups (`master="br0"`) go through a [`Resolve`], so the same code serves
//! [`IPRoute`](crate::IPRoute) (which asks the kernel) and [`IPBatch`](crate::IPBatch) (which
//! compiles requests without sending them, and cannot resolve names).
//!
//! Defaults follow pyroute2 0.9 (rtnl-api/tests/golden/README.md cites its source for each),
//! except where pyroute2 is wrong and iproute2 right; each such place says so.

use std::net::IpAddr;

use rtnl_core::generated::*;
use rtnl_core::spec::{Command, EncodeCtx, MessageSpec, SetSpec, encode_attr};
use rtnl_core::{ArgError, Result};

use crate::args::{Args, Value, family_of, int_arg, int_as, prefix_arg, str_arg};

/// Turns interface names into indexes.
pub trait Resolve {
    /// The index of the interface called `name`.
    fn ifindex(&mut self, name: &str) -> Result<u32>;
}

/// A resolver that refuses: for request compilation without a kernel.
pub struct NoResolve;

impl Resolve for NoResolve {
    fn ifindex(&mut self, name: &str) -> Result<u32> {
        Err(ArgError::new(
            name,
            format!(
                "interface names cannot be resolved here (IPBatch): pass an index for {name:?}"
            ),
        )
        .into())
    }
}

/// An interface given by index (`5`, `"5"`) or by name (`"eth0"`).
fn ifindex_arg(k: &str, v: &Value, r: &mut dyn Resolve) -> Result<u32> {
    match v {
        Value::Str(s) if rtnl_core::spec::parse_int(s).is_none() => resolve(k, s, r),
        v => Ok(int_as(k, v, None)?),
    }
}

/// Resolves the interface name `name` given as keyword `k`; a failure names both
/// (`bad argument "master": no such interface "nosuch"`).
fn resolve(k: &str, name: &str, r: &mut dyn Resolve) -> Result<u32> {
    r.ifindex(name).map_err(|e| match e {
        rtnl_core::Error::Arg(a) => ArgError::new(k, a.reason).into(),
        e => e,
    })
}

fn command(spec: &MessageSpec, cmd: &str) -> Result<&'static Command> {
    spec.command(cmd).ok_or_else(|| {
        let words: Vec<_> = spec.commands.iter().map(|c| c.name).collect();
        ArgError::new(
            "command",
            format!(
                "{cmd:?} is not a {} command; one of {}",
                spec.name,
                words.join(", ")
            ),
        )
        .into()
    })
}

/// Finds the attribute a keyword names in `set`: our name, the kernel constant, or pyroute2's
/// spelling (the constant without its family prefix: `IFLA_VXLAN_ID` -> `vxlan_id`).
pub(crate) fn find_attr(set: &SetSpec, key: &str) -> Option<&'static rtnl_core::spec::AttrSpec> {
    set.by_name(key).or_else(|| {
        let attrs: &'static [rtnl_core::spec::AttrSpec] = set.attrs;
        attrs.iter().find(|a| {
            let c = a.cname;
            let short = c.split_once('_').map(|(_, r)| r).unwrap_or(c);
            short.eq_ignore_ascii_case(key)
        })
    })
}

fn put_kw(
    set: &'static SetSpec,
    buf: &mut Vec<u8>,
    ctx: EncodeCtx,
    k: &str,
    v: &Value,
) -> Result<()> {
    let a = find_attr(set, k).ok_or_else(|| {
        ArgError::new(
            k,
            format!(
                "not a {} attribute (names: {}..., or the {}* constants)",
                set.name,
                set.attrs
                    .iter()
                    .take(6)
                    .map(|a| a.name)
                    .collect::<Vec<_>>()
                    .join(", "),
                set.prefix
            ),
        )
    })?;
    encode_attr(set, buf, ctx, a.name, v)?;
    Ok(())
}

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

/// `route(cmd, ...)`: RTM_NEWROUTE / RTM_DELROUTE / RTM_GETROUTE.
///
/// `dst` (`"10.0.0.0/24"`, `"default"`), `src`, `gateway`, `oif` (index or name), `table` (any
/// u32: the header byte is `table` when `0 < table < 255`, else 254, and RTA_TABLE is sent
/// whenever a table is given — pyroute2's encoding), `priority`, `metrics` (a map of RTAX_*),
/// `multipath` (a list of hop maps: `gateway`, `oif`, `hops`, `flags`, ...), `encap`
/// (`{type: "mpls", labels: "100/200"}`), header keywords `proto`/`protocol`, `scope`, `type`,
/// `tos`, `flags`, `family`; everything else an `RTA_*` attribute by name, in order.
///
/// Defaults: for `add`/`replace`/... proto static, type unicast, and scope universe — or link
/// when the route has no gateway, no multipath and no via (iproute2's rule; pyroute2 leaves
/// universe, which makes later routes via this one fail with "Nexthop has invalid gateway").
/// For `del`, scope nowhere (iproute2: "any scope"; pyroute2 sends 0 and fails on scope-link
/// routes) and proto/type 0 (any).
pub fn route(buf: &mut Vec<u8>, cmd: &str, args: &Args, r: &mut dyn Resolve) -> Result<Command> {
    let c = command(&ROUTE_MSG, cmd)?;
    let is_del = c.msg_type == RTM_DELROUTE;
    let is_get = c.msg_type == RTM_GETROUTE;
    let mut a = args.clone();
    let mut hdr = Rtmsg::zeroed();
    let family = route_prefixes(&mut a, &mut hdr)?;
    route_table(&mut a, &mut hdr, is_get)?;
    route_header_defaults(&mut a, &mut hdr, is_del, is_get)?;
    for key in ["oif", "iif"] {
        if let Some(v) = a.get(key).cloned() {
            let idx = ifindex_arg(key, &v, r)?;
            a.set(key, idx);
        }
    }
    route_multipath(&mut a, r)?;
    // encap={type, ...}: RTA_ENCAP_TYPE, then RTA_ENCAP in that type's format.
    let encap = a.take("encap");
    RouteMsg::request(buf, &hdr);
    let ctx = EncodeCtx {
        start: buf.len(),
        family,
    };
    for (k, v) in &a.0 {
        put_kw(&ROUTE_SPEC, buf, ctx, k, v)?;
    }
    if let Some(e) = encap {
        put_route_encap(buf, ctx, e)?;
    }
    Ok(*c)
}

/// `family`, `dst` (`"default"` is no dst), `dst_len`, `src`, `src_len`, `tos` into the header;
/// addresses given as text become [`Value::Ip`]; the family (default AF_INET) is the first
/// address's unless given. Returns the family.
fn route_prefixes(a: &mut Args, hdr: &mut Rtmsg) -> Result<u8> {
    let mut family: Option<u8> = match a.take("family") {
        Some(v) => Some(int_as("family", &v, Some(AddressFamily::SPEC))?),
        None => None,
    };
    let mut dst: Option<(IpAddr, u8)> = None;
    if let Some(v) = a.get("dst").cloned() {
        if matches!(&v, Value::Str(s) if s == "default") {
            a.take("dst");
        } else {
            let (ip, len) = prefix_arg("dst", &v)?;
            let max = if ip.is_ipv4() { 32 } else { 128 };
            dst = Some((ip, len.unwrap_or(max)));
            family.get_or_insert(family_of(&ip));
            a.set("dst", Value::Ip(ip));
        }
    }
    if let Some(v) = a.take("dst_len") {
        let l = int_as::<u8>("dst_len", &v, None)?;
        dst = dst.map(|(ip, _)| (ip, l));
        hdr.set_dst_len(l);
    }
    if let Some(v) = a.get("src").cloned() {
        let (ip, len) = prefix_arg("src", &v)?;
        hdr.set_src_len(len.unwrap_or(if ip.is_ipv4() { 32 } else { 128 }));
        a.set("src", Value::Ip(ip));
        family.get_or_insert(family_of(&ip));
    }
    for key in ["gateway", "prefsrc"] {
        if let Some(Value::Str(s)) = a.get(key).cloned() {
            let ip: IpAddr = s
                .parse()
                .map_err(|_| ArgError::new(key, format!("{s:?} is not an IP address")))?;
            family.get_or_insert(family_of(&ip));
            a.set(key, Value::Ip(ip));
        }
    }
    let family = family.unwrap_or(2);
    hdr.set_family(family);
    if let Some((_, len)) = dst {
        hdr.set_dst_len(len);
    }
    if let Some(v) = a.take("src_len") {
        hdr.set_src_len(int_as("src_len", &v, None)?);
    }
    if let Some(v) = a.take("tos") {
        hdr.set_tos(int_as("tos", &v, None)?);
    }
    Ok(family)
}

/// `table`: any u32 (a name from rt_table too); the header byte is the table when
/// `0 < table < 255`, else 254 (0 for `get`), and RTA_TABLE stays in the keywords.
fn route_table(a: &mut Args, hdr: &mut Rtmsg, is_get: bool) -> Result<()> {
    let table: Option<u32> = match a.get("table") {
        Some(v) => Some(int_as("table", v, Some(RtTable::SPEC))?),
        None => None,
    };
    if let Some(t) = table {
        a.set("table", t);
    }
    hdr.set_table(match table {
        Some(t) if t > 0 && t < 255 => t as u8,
        _ => 254,
    });
    if is_get {
        hdr.set_table(0);
    }
    Ok(())
}

/// `proto`/`protocol`, `type`, `scope`, `flags` into the header, with the defaults `route`'s
/// doc describes (the scope from the type, and from whether the route has a gateway).
fn route_header_defaults(a: &mut Args, hdr: &mut Rtmsg, is_del: bool, is_get: bool) -> Result<()> {
    let has_gw = a.get("gateway").is_some()
        || a.get("multipath").is_some()
        || a.get("via").is_some()
        || a.get("nh_id").is_some();
    let proto = match a.take_any(&["proto", "protocol"]) {
        Some((k, v)) => int_as::<u8>(&k, &v, Some(RtProto::SPEC))?,
        None if is_del || is_get => 0,
        None => 4,
    };
    hdr.set_protocol(proto);
    let rtype = match a.take("type") {
        Some(v) => int_as::<u8>("type", &v, Some(RtType::SPEC))?,
        None if is_del || is_get => 0,
        None => 1,
    };
    hdr.set_type(rtype);
    let scope = match a.take("scope") {
        Some(v) => int_as::<u8>("scope", &v, Some(RtScope::SPEC))?,
        None if is_get => 0,
        None if is_del => 255,
        None => match RtType::from(rtype) {
            RtType::Local | RtType::Nat => 254,
            RtType::Broadcast | RtType::Multicast | RtType::Anycast => 253,
            RtType::Unicast | RtType::Unspec if !has_gw && a.get("oif").is_some() => 253,
            _ => 0,
        },
    };
    hdr.set_scope(scope);
    if let Some(v) = a.take("flags") {
        hdr.set_flags(int_as::<u32>("flags", &v, Some(RtmFlags::SPEC))?);
    }
    Ok(())
}

/// `multipath`: each hop's `oif` (or `ifindex`, a name or an index) becomes `ifindex`, its
/// `gateway` an address; the other hop keywords pass through.
fn route_multipath(a: &mut Args, r: &mut dyn Resolve) -> Result<()> {
    let Some(Value::List(hops)) = a.get("multipath").cloned() else {
        return Ok(());
    };
    let mut out = Vec::new();
    for hop in hops {
        let Value::Map(m) = hop else {
            return Err(ArgError::new("multipath", "each hop is a map").into());
        };
        let mut h = Vec::new();
        for (k, v) in m {
            match k.as_str() {
                "oif" | "ifindex" => h.push((
                    "ifindex".to_string(),
                    Value::Int(ifindex_arg("multipath.oif", &v, r)? as i128),
                )),
                "gateway" => {
                    let (ip, _) = prefix_arg("multipath.gateway", &v)?;
                    h.push((k, Value::Ip(ip)));
                }
                _ => h.push((k, v)),
            }
        }
        out.push(Value::Map(h));
    }
    a.set("multipath", Value::List(out));
    Ok(())
}

/// `encap={type, ...}`: RTA_ENCAP_TYPE, then RTA_ENCAP in that type's format.
fn put_route_encap(buf: &mut Vec<u8>, ctx: EncodeCtx, e: Value) -> Result<()> {
    let Value::Map(mut m) = e else {
        return Err(ArgError::new(
            "encap",
            "expected a map like {type: \"mpls\", labels: \"100\"}",
        )
        .into());
    };
    let i = m
        .iter()
        .position(|(k, _)| k == "type")
        .ok_or_else(|| ArgError::new("encap", "needs type"))?;
    let ty = m.remove(i).1;
    let ty_num = int_arg("encap.type", &ty, Some(LwtunnelEncapTypes::SPEC))?;
    // pyroute2 spells MPLS labels `labels`; the attribute is MPLS_IPTUNNEL_DST.
    for (k, _) in m.iter_mut() {
        if k == "labels" {
            *k = "dst".into();
        }
    }
    put_kw(&ROUTE_SPEC, buf, ctx, "encap_type", &Value::Int(ty_num))?;
    put_kw(&ROUTE_SPEC, buf, ctx, "encap", &Value::Map(m))
}

/// `rule(cmd, ...)`: RTM_NEWRULE / RTM_DELRULE.
///
/// `src`/`dst` take prefixes (header lengths + FRA_SRC/FRA_DST); `table` any u32 (header byte
/// when < 256, and FRA_TABLE); `action` (`"to_tbl"`, `"blackhole"` ...; default to_tbl when a
/// table is given, as `ip rule` does); `priority`, `fwmark`, `fwmask`, `iifname`, ... by name.
pub fn rule(buf: &mut Vec<u8>, cmd: &str, args: &Args, _r: &mut dyn Resolve) -> Result<Command> {
    let c = command(&RULE_MSG, cmd)?;
    let mut a = args.clone();
    let mut hdr = FibRuleHdr::zeroed();
    let mut family: Option<u8> = match a.take("family") {
        Some(v) => Some(int_as("family", &v, Some(AddressFamily::SPEC))?),
        None => None,
    };
    for key in ["src", "dst"] {
        if let Some(v) = a.get(key).cloned() {
            let (ip, len) = prefix_arg(key, &v)?;
            let l = len.unwrap_or(if ip.is_ipv4() { 32 } else { 128 });
            if key == "src" {
                hdr.set_src_len(l);
            } else {
                hdr.set_dst_len(l);
            }
            family.get_or_insert(family_of(&ip));
            a.set(key, Value::Ip(ip));
        }
    }
    let family = family.unwrap_or(2);
    hdr.set_family(family);
    let table: Option<u32> = match a.get("table") {
        Some(v) => Some(int_as("table", v, Some(RtTable::SPEC))?),
        None => None,
    };
    if let Some(t) = table {
        a.set("table", t);
        hdr.set_table(if t < 256 { t as u8 } else { 0 });
    }
    let action = match a.take("action") {
        Some(v) => int_as::<u8>("action", &v, Some(FrAct::SPEC))?,
        None if table.is_some() => 1,
        None => 0,
    };
    hdr.set_action(action);
    if let Some(v) = a.take("tos") {
        hdr.set_tos(int_as("tos", &v, None)?);
    }
    RuleMsg::request(buf, &hdr);
    let ctx = EncodeCtx {
        start: buf.len(),
        family,
    };
    for (k, v) in &a.0 {
        put_kw(&RULE_SPEC, buf, ctx, k, v)?;
    }
    Ok(*c)
}
