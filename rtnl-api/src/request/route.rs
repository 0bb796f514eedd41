//! `route`: RTM_NEWROUTE / RTM_DELROUTE / RTM_GETROUTE keyword requests.

use rtnl_core::generated::*;
use rtnl_core::spec::{Command, EncodeCtx};
use rtnl_core::{ArgError, Result};

use super::*;
use crate::args::{Args, Value, family_of, int_as, prefix_arg, prefix_or_mask_arg};
use crate::names::NameTable;

/// `route(cmd, ...)`: RTM_NEWROUTE / RTM_DELROUTE / RTM_GETROUTE.
///
/// | keyword | meaning |
/// | --- | --- |
/// | `dst` | with `family=28` (AF_MPLS) a label (`16`, `{label: 16, bos: 1}`); else `"10.0.0.0/24"`, `"10.0.0.0/255.255.255.0"`, a bare address (/32, /128), or `"default"`, `"0.0.0.0/0"`, `"::/0"` (no RTA_DST; the latter two set the family) |
/// | `src`, `dst_len`, `src_len`, `family` | the header and RTA_SRC |
/// | `tos` | a number or a name of iproute2's `rt_dsfield` (`"AF11"`) |
/// | `gateway`, `prefsrc` | addresses (they set the family when nothing else does) |
/// | `via` | RTA_VIA, a next hop of another family: `"inet6/fe80::1"`, an address, or `{family, addr}` |
/// | `oif`, `iif` | an index or an interface name (of a list, the first, as pyroute2 takes it) |
/// | `table` | any u32, `main`/`local`/`default`, or a name of iproute2's `rt_tables`: the header byte is the table when `0 < table < 255`, else 254, and RTA_TABLE is sent whenever a table is given (pyroute2's encoding) |
/// | `proto` / `protocol`, `scope` | numbers, the kernel's names, or names of iproute2's `rt_protos` / `rt_scopes` |
/// | `type` | `unicast`, `blackhole`, `unreachable`, `prohibit`, `local` ... |
/// | `realms` / `flow` | RTA_FLOW: a number, a name of `rt_realms`, or `"from/to"` |
/// | `priority` | RTA_PRIORITY; for IPv6, 0 is sent as 1024 (IP6_RT_PRIO_USER, as pyroute2 does) |
/// | `flags` | a number, or RTNH_F_/RTM_F_ names: `["onlink"]`, `"onlink,pervasive"` |
/// | `metrics` | a map of RTAX_* by name: `{mtu: 1400, cc_algo: "cubic", hoplimit: 5}` |
/// | `multipath` | a list of hop maps: `gateway`, `oif` (or `ifindex`: index or name), `hops`, `flags`, `via`, `newdst`, and its own `encap`; pyroute2's raw `attrs: [["RTA_GATEWAY", "10.0.0.1"]]` pairs too |
/// | `encap` | `{type: "mpls", labels: "100/200"}`, `{type: "seg6", mode: "encap", segs: ["2001:db8::5"] or "a,b", hmac: 7}`, `{type: "seg6local", action: "End.DT6", table: 10}` (every action pyroute2 knows: End, End.X `nh6`, End.T `table`, End.DX2 `oif`, End.DX6 `nh6`, End.DX4 `nh4`, End.DT6 `table`, End.DT4/End.DT46 `vrf_table`, End.B6/End.B6.Encaps `srh: {segs, hmac}`, End.BPF `bpf: {fd, name}`), `{type: "bpf", in: {fd, name}, out: ..., xmit: {fd, name, headroom}}` |
///
/// Everything else is an `RTA_*` attribute by name, in order. Segment lists are written last
/// first, as iproute2 writes them (pyroute2 writes them as given: with several segments it
/// sends packets to the last one first).
///
/// Defaults: for `add`/`replace`/... proto static, type unicast, and scope universe — or link
/// when an IPv4 route has no gateway, no multipath and no via (iproute2's rule; pyroute2 leaves
/// universe, which makes later routes via this one fail with "Nexthop has invalid gateway").
/// For `del`, scope nowhere (iproute2: "any scope"; pyroute2 sends 0 and fails on scope-link
/// routes) and proto/type 0 (any).
///
/// ```
/// use rtnl_api::{IPBatch, kw};
/// let mut b = IPBatch::new();
/// b.route("add", kw! { dst: "10.1.0.0/255.255.255.0", gateway: "10.0.0.1", table: 300 })?;
/// b.route("add", kw! { dst: "default", gateway: "10.0.0.1", oif: 2, flags: vec!["onlink"] })?;
/// b.route("add", kw! { dst: "10.2.0.0/24", type: "blackhole", proto: "boot" })?;
/// b.route("add", kw! { dst: "10.3.0.0/24", metrics: kw! { mtu: 1400, cc_algo: "cubic" }, gateway: "10.0.0.1" })?;
/// b.route("add", kw! { dst: "10.4.0.0/24", multipath: vec![
///     kw! { gateway: "10.0.0.1", oif: 2, encap: kw! { type: "mpls", labels: "100/200" } },
///     kw! { gateway: "10.0.0.2", oif: 3, hops: 2 },
/// ] })?;
/// b.route("add", kw! { dst: "10.5.0.0/24", oif: 2, encap: kw! { type: "seg6", mode: "encap", segs: "2001:db8::5,2001:db8::6" } })?;
/// b.route("add", kw! { dst: "2001:db8:3::/64", oif: 2, encap: kw! { type: "seg6local", action: "End.DX6", nh6: "2001:db8::9" } })?;
/// b.route("add", kw! { dst: "10.6.0.0/24", oif: 2, via: "inet6/fe80::1" })?;
/// # Ok::<(), rtnl_core::Error>(())
/// ```
pub fn route(buf: &mut Vec<u8>, cmd: &str, args: &Args, r: &mut dyn Resolve) -> Result<Command> {
    let c = command(&ROUTE_MSG, cmd)?;
    let is_del = c.msg_type == RTM_DELROUTE;
    let is_get = c.msg_type == RTM_GETROUTE;
    let mut a = args.clone();
    let mut hdr = Rtmsg::zeroed();
    let family = route_prefixes(&mut a, &mut hdr, cmd == "dump")?;
    route_table(&mut a, &mut hdr, is_get)?;
    route_header_defaults(&mut a, &mut hdr, is_del, is_get)?;
    for key in ["oif", "iif"] {
        if let Some(v) = a.get(key).cloned() {
            // pyroute2 takes the first of a list or tuple (`oif=(index,)`).
            let v = match v {
                Value::List(l) => l
                    .into_iter()
                    .next()
                    .ok_or_else(|| ArgError::new(key, "an empty list"))?,
                v => v,
            };
            let idx = ifindex_arg(key, &v, r)?;
            a.set(key, idx);
        }
    }
    route_multipath(&mut a, r)?;
    route_values(&mut a, family)?;
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
fn route_prefixes(a: &mut Args, hdr: &mut Rtmsg, dump: bool) -> Result<u8> {
    let mut family: Option<u8> = match a.take("family") {
        Some(v) => Some(int_as("family", &v, Some(AddressFamily::SPEC))?),
        None => None,
    };
    let mut dst: Option<(IpAddr, u8)> = None;
    if family == Some(28) {
        // AF_MPLS: `dst` is a label (RTA_DST a label stack), the header's dst_len 20
        // (pyroute2's set_family; the kernel requires it).
        hdr.set_dst_len(20);
    } else if let Some(v) = a.get("dst").cloned() {
        let any = match &v {
            Value::Str(s) => match s.trim() {
                "" | "default" => Some(None),
                "0" | "0.0.0.0" | "0.0.0.0/0" => Some(Some(2)),
                "::" | "::/0" => Some(Some(10)),
                _ => None,
            },
            _ => None,
        };
        if let Some(f) = any {
            // pyroute2's set_dst: no RTA_DST, only the family.
            a.take("dst");
            if let Some(f) = f {
                family.get_or_insert(f);
            }
        } else {
            let (ip, len) = prefix_or_mask_arg("dst", &v)?;
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
        let (ip, len) = prefix_or_mask_arg("src", &v)?;
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
    // A dump asks for every family, as pyroute2's and ip's do.
    let family = family.unwrap_or(if dump { 0 } else { 2 });
    hdr.set_family(family);
    if let Some((_, len)) = dst {
        hdr.set_dst_len(len);
    }
    if let Some(v) = a.take("src_len") {
        hdr.set_src_len(int_as("src_len", &v, None)?);
    }
    if let Some(v) = a.take("tos") {
        hdr.set_tos(match &v {
            Value::Str(s) => {
                u8::try_from(crate::names::lookup("tos", s, None, NameTable::Dsfield)?)
                    .map_err(|_| ArgError::new("tos", format!("{s:?} is out of range")))?
            }
            v => int_as("tos", v, None)?,
        });
    }
    Ok(family)
}

/// `table`: any u32 (a name from rt_table too); the header byte is the table when
/// `0 < table < 255`, else 254 (0 for `get`), and RTA_TABLE stays in the keywords.
fn route_table(a: &mut Args, hdr: &mut Rtmsg, is_get: bool) -> Result<()> {
    let table: Option<u32> = match a.get("table") {
        Some(v) => Some(table_arg("table", v)?),
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
        Some((k, v)) => named_u8(&k, &v, RtProto::SPEC, NameTable::Protos)?,
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
        Some(v) => super::addr::scope_arg("scope", &v)?,
        None if is_get => 0,
        // AF_MPLS routes are universe only: the kernel refuses any other scope, in a delete too.
        None if hdr.family == 28 => 0,
        None if is_del => 255,
        None => match RtType::from(rtype) {
            RtType::Local | RtType::Nat => 254,
            RtType::Broadcast | RtType::Multicast | RtType::Anycast => 253,
            // iproute2: IPv6 routes stay universe; IPv4 ones without a gateway are link.
            _ if hdr.family == 10 => 0,
            RtType::Unicast | RtType::Unspec if !has_gw && a.get("oif").is_some() => 253,
            _ => 0,
        },
    };
    hdr.set_scope(scope);
    if let Some(v) = a.take("flags") {
        hdr.set_flags(route_flags("flags", &v)?);
    }
    Ok(())
}

/// Route flags: a number, or names (a list, or `"a,b"`) of RTNH_F_* (`onlink`, `pervasive`:
/// pyroute2's `names2flags`) or RTM_F_* (`notify`, `lookup_table`).
fn route_flags(k: &str, v: &Value) -> Result<u32> {
    let items: Vec<Value> = match v {
        Value::List(l) => l.clone(),
        Value::Str(s) if rtnl_core::spec::parse_int(s).is_none() => {
            s.split(',').map(|p| Value::from(p.trim())).collect()
        }
        v => return Ok(int_as(k, v, None)?),
    };
    let mut f = 0u32;
    for it in &items {
        f |= match it {
            Value::Str(s) => RtnhFlags::SPEC
                .parse(s)
                .or_else(|| RtmFlags::SPEC.parse(s))
                .ok_or_else(|| {
                    ArgError::new(
                        k,
                        format!("{s:?} is not a route flag (onlink, pervasive, dead, notify, ...)"),
                    )
                })? as u32,
            v => int_as::<u32>(k, v, None)?,
        };
    }
    Ok(f)
}

/// A table: a number, `main`/`local`/`default`, or a name of iproute2's `rt_tables`.
pub(crate) fn table_arg(k: &str, v: &Value) -> Result<u32> {
    match v {
        Value::Str(s) => Ok(crate::names::lookup(
            k,
            s,
            Some(RtTable::SPEC),
            NameTable::Tables,
        )?),
        v => Ok(int_as(k, v, None)?),
    }
}

/// A one-byte header value by number, kernel name, or a name of iproute2's file `table`.
fn named_u8(
    k: &str,
    v: &Value,
    builtin: &rtnl_core::spec::EnumSpec,
    table: NameTable,
) -> Result<u8> {
    let n = match v {
        Value::Str(s) => crate::names::lookup(k, s, Some(builtin), table)?,
        v => int_as(k, v, None)?,
    };
    u8::try_from(n).map_err(|_| ArgError::new(k, format!("{n} is out of range")).into())
}

/// `via` (RTA_VIA), `realms` (RTA_FLOW by number, name or `"from/to"`), `metrics` by name (RTAX_*,
/// `cc_algo` as text, `None`-like empty entries dropped), and IPv6's `priority=0` as 1024 (the
/// kernel's IP6_RT_PRIO_USER, pyroute2's set_priority).
fn route_values(a: &mut Args, family: u8) -> Result<()> {
    if let Some(v) = a.get("via").cloned() {
        a.set("via", via_arg("via", &v)?);
    }
    let at = a.keys().position(|k| k == "realms" || k == "flow");
    if let Some(i) = at {
        let (k, v) = a.0[i].clone();
        let realm =
            |t: &str| -> Result<u32> { Ok(crate::names::lookup(&k, t, None, NameTable::Realms)?) };
        let n = match &v {
            Value::Str(s) => match s.split_once('/') {
                Some((from, to)) => (realm(from)? << 16) | realm(to)?,
                None => realm(s)?,
            },
            v => int_as(&k, v, None)?,
        };
        // In the keyword's place: pyroute2 sends attributes in the caller's order.
        a.0[i] = ("flow".into(), Value::Int(n.into()));
    }
    if family == 10
        && matches!(a.get("priority"), Some(v) if int_as::<u32>("priority", v, None)? == 0)
    {
        a.set("priority", 1024u32);
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
        for (k, v) in hop_pairs(m)? {
            match k.as_str() {
                "oif" | "ifindex" => h.push((
                    "ifindex".to_string(),
                    Value::Int(ifindex_arg("multipath.oif", &v, r)? as i128),
                )),
                "gateway" => {
                    let (ip, _) = prefix_arg("multipath.gateway", &v)?;
                    h.push((k, Value::Ip(ip)));
                }
                "flags" => h.push((k, Value::Int(route_flags("multipath.flags", &v)?.into()))),
                "via" => h.push((k, via_arg("multipath.via", &v)?)),
                "encap" => {
                    let (ty, e) = super::encap::encap_value("multipath.encap", &v)?;
                    h.push(("encap_type".into(), Value::Int(ty)));
                    h.push(("encap".into(), e));
                }
                _ => h.push((k, v)),
            }
        }
        out.push(Value::Map(h));
    }
    a.set("multipath", Value::List(out));
    Ok(())
}

/// A hop's keywords, pyroute2's raw `attrs: [["RTA_GATEWAY", "10.0.0.1"], ...]` spread out
/// among them (`RTA_GATEWAY` as `gateway`).
fn hop_pairs(m: Vec<(String, Value)>) -> Result<Vec<(String, Value)>> {
    let mut out = Vec::new();
    for (k, v) in m {
        let Value::List(attrs) = v else {
            out.push((k, v));
            continue;
        };
        if k != "attrs" {
            out.push((k, Value::List(attrs)));
            continue;
        }
        for pair in attrs {
            match pair {
                Value::List(kv) if kv.len() == 2 => match (&kv[0], &kv[1]) {
                    (Value::Str(n), v) => {
                        let name = n.strip_prefix("RTA_").map(str::to_lowercase);
                        out.push((name.unwrap_or_else(|| n.clone()), v.clone()));
                    }
                    _ => {
                        return Err(
                            ArgError::new("multipath.attrs", "a pair's name is a string").into(),
                        );
                    }
                },
                _ => {
                    return Err(ArgError::new(
                        "multipath.attrs",
                        "each entry is a [name, value] pair",
                    )
                    .into());
                }
            }
        }
    }
    Ok(out)
}

/// `encap={type, ...}`: RTA_ENCAP_TYPE, then RTA_ENCAP in that type's format.
fn put_route_encap(buf: &mut Vec<u8>, ctx: EncodeCtx, e: Value) -> Result<()> {
    let (ty, v) = super::encap::encap_value("encap", &e)?;
    // RTA_ENCAP, then RTA_ENCAP_TYPE: iproute2's order, and pyroute2's for every type but MPLS
    // (which it sends type first; the kernel reads both in any order). The encoder picks
    // RTA_ENCAP's format from a sibling already written, so the pair is built aside.
    let mut tmp = Vec::new();
    let tctx = EncodeCtx {
        start: 0,
        family: ctx.family,
    };
    put_kw(&ROUTE_SPEC, &mut tmp, tctx, "encap_type", &Value::Int(ty))?;
    let split = tmp.len();
    put_kw(&ROUTE_SPEC, &mut tmp, tctx, "encap", &v)?;
    if ty == 1 {
        buf.extend_from_slice(&tmp);
    } else {
        buf.extend_from_slice(&tmp[split..]);
        buf.extend_from_slice(&tmp[..split]);
    }
    Ok(())
}

/// `via`: RTA_VIA, struct rtvia (the family) then the address: `"inet6/fe80::1"`, an address of
/// any family (`via="2001:db8::1"` on an IPv4 route), or `{family, addr}`.
fn via_arg(k: &str, v: &Value) -> Result<Value> {
    let (fam, addr) = match v {
        Value::Bytes(_) => return Ok(v.clone()),
        Value::Map(m) => {
            let get = |n: &str| m.iter().find(|(x, _)| x == n).map(|(_, v)| v);
            let addr = get("addr").ok_or_else(|| ArgError::new(k, "needs addr"))?;
            let (ip, _) = prefix_arg(k, addr)?;
            let fam = match get("family") {
                Some(f) => int_as::<u16>(k, f, Some(AddressFamily::SPEC))?,
                None => family_of(&ip).into(),
            };
            (fam, ip)
        }
        Value::Str(s) => {
            let text = s
                .strip_prefix("inet6/")
                .or_else(|| s.strip_prefix("inet/"))
                .unwrap_or(s);
            let (ip, _) = prefix_arg(k, &Value::from(text))?;
            (family_of(&ip).into(), ip)
        }
        v => {
            let (ip, _) = prefix_arg(k, v)?;
            (family_of(&ip).into(), ip)
        }
    };
    let mut b = fam.to_ne_bytes().to_vec();
    match addr {
        IpAddr::V4(a) => b.extend_from_slice(&a.octets()),
        IpAddr::V6(a) => b.extend_from_slice(&a.octets()),
    }
    Ok(Value::Bytes(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kw;

    fn body(args: Args) -> Vec<u8> {
        let mut b = Vec::new();
        route(&mut b, "add", &args, &mut NoResolve).unwrap();
        b
    }

    #[test]
    fn realms_by_number_name_and_pair() {
        // RTA_FLOW (11): "from/to" is from << 16 | to.
        let b = body(kw! { dst: "10.0.0.0/24", gateway: "10.0.0.1", realms: "2/3" });
        assert!(
            b.windows(8).any(|w| w == [8, 0, 11, 0, 3, 0, 2, 0]),
            "{b:?}"
        );
        let b = body(kw! { dst: "10.0.0.0/24", gateway: "10.0.0.1", realms: 5 });
        assert!(
            b.windows(8).any(|w| w == [8, 0, 11, 0, 5, 0, 0, 0]),
            "{b:?}"
        );
        let e = route(
            &mut Vec::new(),
            "add",
            &kw! { dst: "10.0.0.0/24", realms: "no-such-realm" },
            &mut NoResolve,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("realms") && e.contains("rt_realms"), "{e}");
    }

    #[test]
    fn tos_by_name_where_iproute2_names_it() {
        if crate::names::NameTable::Dsfield.entries().is_empty() {
            println!("skip: tos_by_name_where_iproute2_names_it: no rt_dsfield file here");
            return;
        }
        let want = crate::names::NameTable::Dsfield
            .entries()
            .iter()
            .find(|e| e.1 == "AF11")
            .map(|e| e.0 as u8)
            .expect("iproute2's rt_dsfield names AF11");
        assert_eq!(want, 0x28);
        let b = body(kw! { dst: "10.0.0.0/24", gateway: "10.0.0.1", tos: "AF11" });
        assert_eq!(b[3], want);
    }

    #[test]
    fn ipv6_routes_stay_universe_and_metric_0_is_1024() {
        let b = body(kw! { dst: "2001:db8::/64", oif: 2, priority: 0 });
        assert_eq!(b[6], 0, "scope universe");
        assert!(b.windows(8).any(|w| w == [8, 0, 6, 0, 0, 4, 0, 0]), "{b:?}");
        let b = body(kw! { dst: "10.0.0.0/24", oif: 2 });
        assert_eq!(b[6], 253, "an IPv4 route with only a device is scope link");
    }

    #[test]
    fn hops_carry_their_own_newdst_via_and_named_flags() {
        let b = body(kw! { dst: "10.0.0.0/24", multipath: vec![
            kw! { gateway: "10.0.0.1", oif: 2, newdst: "100/200", flags: vec!["onlink"] },
            kw! { oif: 3, via: "inet6/fe80::1" },
        ] });
        // RTA_NEWDST (19) in the first hop: two labels, bottom of stack on the second.
        let labels = [0x00, 0x06, 0x40, 0x00, 0x00, 0x0c, 0x81, 0x00];
        assert!(
            b.windows(12)
                .any(|w| w[..4] == [12, 0, 19, 0] && w[4..] == labels),
            "{b:?}"
        );
        // rtnh_flags of the first hop: RTNH_F_ONLINK.
        assert!(
            b.windows(8).any(|w| w == [8 + 8 + 12, 0, 4, 0, 2, 0, 0, 0]),
            "{b:?}"
        );
        // RTA_VIA (18) in the second: AF_INET6, then the address.
        assert!(b.windows(6).any(|w| w == [22, 0, 18, 0, 10, 0]), "{b:?}");
    }

    #[test]
    fn unknown_flags_and_actions_are_named() {
        let e = route(
            &mut Vec::new(),
            "add",
            &kw! { dst: "10.0.0.0/24", flags: vec!["sideways"] },
            &mut NoResolve,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("flags") && e.contains("sideways"), "{e}");
        let e = route(
            &mut Vec::new(),
            "add",
            &kw! { dst: "2001:db8::/64", encap: kw! { type: "seg6local", action: "End.Nope" } },
            &mut NoResolve,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("encap.action") && e.contains("End.DT6"), "{e}");
    }
}
