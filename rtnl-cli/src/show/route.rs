//! `route show`, printed as `ip route show` prints it (text and `-j`), field by field from the
//! zero-copy view. A selector ip prints no field for (`dev`, `proto`, `scope`, `via`, one
//! `table`) is left out of each line, as ip leaves it out.
#![allow(clippy::useless_conversion)]

use std::net::IpAddr;

use rtnl_api::generated::*;
use rtnl_api::{IPRoute, RouteFilter};
use rtnl_core::spec::Style;
use rtnl_core::{ArgError, Error, Result};

use super::common::{
    Names, dev_index, each, parse_proto, parse_scope, parse_table, print_proto, print_scope,
    print_table,
};
use crate::print::Printer;
use rtnl_cli::ShowArgs;

/// What a `route show` line leaves out and keeps out, from its selectors.
#[derive(Default, Clone, Copy)]
pub struct RouteLook {
    /// Print `table T` for tables other than main (`table all`; monitor).
    pub show_table: bool,
    /// `dev` was a selector: no `dev` field.
    pub no_dev: bool,
    /// `proto` was a selector: no `proto` field.
    pub no_proto: bool,
    /// `scope` was a selector: no `scope` field.
    pub no_scope: bool,
    /// `via` was a selector: no `via` field.
    pub no_via: bool,
    /// `-d`: type, proto and scope always.
    pub details: bool,
}

const RTNH_FLAGS: [(u32, &str); 7] = [
    (1, "dead"),
    (2, "pervasive"),
    (4, "onlink"),
    (8, "offload"),
    (16, "linkdown"),
    (32, "unresolved"),
    (64, "trap"),
];

/// The RTNH_F_* flags as ip's `print_rt_flags` prints them (`onlink `; JSON `"flags": [...]`).
pub fn flags(p: &mut Printer<'_>, f: u32) {
    p.open_array("flags");
    for (bit, n) in RTNH_FLAGS {
        if f & bit != 0 {
            p.print("", "{} ", n);
        }
    }
    p.close_array();
}

/// One route, as ip prints it (RTM_F_CLONED entries are skipped, as ip skips them): returns
/// whether it printed anything.
pub fn print_route(
    p: &mut Printer<'_>,
    r: &RouteMsg<'_>,
    names: &Names,
    look: RouteLook,
) -> Result<bool> {
    let h = r.header();
    let rflags = u32::from(h.flags());
    if rflags & 0x200 != 0 {
        return Ok(false);
    }
    p.open_object("");
    let ty = u8::from(h.type_());
    if ty != 1 || look.details {
        match RtType::from(ty).name() {
            Some(n) => p.print("type", "{} ", n),
            None => p.print("type", "{} ", format_args!("{ty}")),
        }
    }
    let fam = u8::from(h.family());
    let max = if fam == 10 { 128 } else { 32 };
    let len = h.dst_len();
    match r.dst()? {
        Some(d) if len == max => p.print("dst", "{} ", d),
        Some(d) => p.print("dst", "{} ", format_args!("{d}/{len}")),
        None if len == 0 => p.print("dst", "{} ", "default"),
        None => p.print("dst", "{} ", format_args!("0/{len}")),
    }
    if let Some(s) = r.src()? {
        match h.src_len() {
            l if l == max => p.print("from", "from {} ", s),
            l => p.print("from", "from {} ", format_args!("{s}/{l}")),
        }
    }
    super::encap::print(p, r.attrs(), names)?;
    if !look.no_via
        && let Some(g) = r.gateway()?
    {
        p.print("gateway", "via {} ", g);
    }
    if !look.no_dev
        && let Some(i) = r.oif()?
    {
        names.print(p, "dev", "dev {} ", i);
    }
    let table = r.table()?.unwrap_or(u8::from(h.table()) as u32);
    if look.show_table && (table != 254 || look.details) {
        print_table(p, "table", "table {} ", table);
    }
    let proto = u8::from(h.protocol());
    if !look.no_proto && (proto != 3 || look.details) {
        print_proto(p, "protocol", "proto {} ", proto);
    }
    let scope = u8::from(h.scope());
    if !look.no_scope && (scope != 0 || look.details) {
        print_scope(p, "scope", "scope {} ", scope);
    }
    if let Some(s) = r.prefsrc()? {
        p.print("prefsrc", "src {} ", s);
    }
    if let Some(m) = r.priority()? {
        p.print("metric", "metric {} ", m);
    }
    flags(p, rflags);
    if let Some(m) = r.metrics()? {
        metrics(p, &m)?;
    }
    if let Some(hops) = r.multipath()? {
        p.open_array("nexthops");
        for hop in hops {
            let (hdr, attrs) = hop?;
            p.open_object("");
            p.sl();
            p.lit("\tnexthop ");
            super::encap::print(p, &attrs, names)?;
            if let Some(g) = attrs.gateway()? {
                p.print("gateway", "via {} ", g);
            }
            names.print(p, "dev", "dev {} ", hdr.ifindex() as u32);
            p.print("weight", "weight {} ", hdr.hops() as u32 + 1);
            flags(p, u32::from(u8::from(hdr.flags())));
            p.close_object();
        }
        p.close_array();
    }
    if let Some(pref) = r.pref()? {
        match pref {
            0 => p.print("pref", "pref {}", "medium"),
            1 => p.print("pref", "pref {}", "high"),
            3 => p.print("pref", "pref {}", "low"),
            n => p.print("pref", "pref {}", n),
        }
    }
    p.nl();
    p.close_object();
    Ok(true)
}

/// RTCF_* cache flags, in the order ip prints them.
const RTCF: [(u32, &str); 14] = [
    (0x8000_0000, "local"),
    (0x4000_0000, "reject"),
    (0x2000_0000, "mc"),
    (0x1000_0000, "brd"),
    (0x0800_0000, "dst-nat"),
    (0x0080_0000, "src-nat"),
    (0x0040_0000, "masq"),
    (0x0002_0000, "dst-direct"),
    (0x0400_0000, "src-direct"),
    (0x0004_0000, "redirected"),
    (0x0100_0000, "redirect"),
    (0x0020_0000, "fastroute"),
    (0x0001_0000, "notify"),
    (0x0008_0000, "proxy"),
];

/// A `route get` answer that is a resolved (RTM_F_CLONED) route, as ip prints it: the
/// address, `from`, `via`, `dev`, `table`, `src`, `mark`, `uid`, then `cache <FLAGS>` on a
/// line of its own (IPv4).
fn print_resolved(
    p: &mut Printer<'_>,
    r: &RouteMsg<'_>,
    names: &Names,
    details: bool,
) -> Result<()> {
    let h = r.header();
    let rflags = u32::from(h.flags());
    let fam = u8::from(h.family());
    let max = if fam == 10 { 128 } else { 32 };
    p.open_object("");
    let ty = u8::from(h.type_());
    if ty != 1 || details {
        match RtType::from(ty).name() {
            Some(n) => p.print("type", "{} ", n),
            None => p.print("type", "{} ", format_args!("{ty}")),
        }
    }
    let with_len = |a: IpAddr, len: u8| -> String {
        if len == max {
            a.to_string()
        } else {
            format!("{a}/{len}")
        }
    };
    match r.dst()? {
        Some(d) => p.print("dst", "{} ", with_len(d, h.dst_len()).as_str()),
        None => p.print("dst", "{} ", "default"),
    }
    if let Some(s) = r.src()? {
        p.print("from", "from {} ", with_len(s, h.src_len()).as_str());
    }
    if let Some(g) = r.gateway()? {
        p.print("gateway", "via {} ", g);
    }
    if let Some(i) = r.oif()? {
        names.print(p, "dev", "dev {} ", i);
    }
    let table = r.table()?.unwrap_or(u8::from(h.table()) as u32);
    if table != 254 || details {
        print_table(p, "table", "table {} ", table);
    }
    if let Some(s) = r.prefsrc()? {
        p.print("prefsrc", "src {} ", s);
    }
    if let Some(m) = r.priority()? {
        p.print("metric", "metric {} ", m);
    }
    flags(p, rflags & 0xff);
    if let Some(m) = r.mark()?.filter(|m| *m != 0) {
        p.print("mark", "mark {} ", m);
    }
    if let Some(u) = r.uid()? {
        p.print("uid", "uid {} ", u);
    }
    if fam == 2 {
        p.sl();
        p.open_array("cache");
        p.lit("    cache ");
        let mut f = rflags & !0xffff;
        if f != 0 {
            p.lit("<");
            for (bit, name) in RTCF {
                if f & bit != 0 {
                    f &= !bit;
                    p.print("", "{}", name);
                    if f != 0 {
                        p.lit(",");
                    }
                }
            }
            if f != 0 {
                p.print("", "{}", format_args!("{f:x}"));
            }
            p.lit("> ");
        }
        p.close_array();
    }
    if let Some(m) = r.metrics()? {
        metrics(p, &m)?;
    }
    p.nl();
    p.close_object();
    Ok(())
}

/// `route get`: asks the kernel (`kw` from write/route_get.rs) and prints the answer as
/// `ip route get` does (a `fibmatch` answer as a `route show` line with its table).
pub fn get(ipr: &mut IPRoute, kw: rtnl_api::Args, a: &ShowArgs, p: &mut Printer<'_>) -> Result<()> {
    let names = Names::load(ipr, a)?;
    p.start();
    ipr.route("get", kw)?.for_each(|r| {
        if u32::from(r.header().flags()) & 0x200 != 0 {
            print_resolved(p, &r, &names, a.details)
        } else {
            let look = RouteLook {
                show_table: true,
                details: a.details,
                ..Default::default()
            };
            print_route(p, &r, &names, look).map(drop)
        }
    })?;
    p.end_all();
    Ok(())
}

/// RTA_METRICS: `"metrics":[{...}]`, and ` mtu 1400` ... in text.
fn metrics(p: &mut Printer<'_>, m: &MetricsAttrs<'_>) -> Result<()> {
    let plain: [(&str, Option<u32>); 10] = [
        ("mtu", m.mtu()?),
        ("window", m.window()?),
        ("ssthresh", m.ssthresh()?),
        ("cwnd", m.cwnd()?),
        ("advmss", m.advmss()?),
        ("reordering", m.reordering()?),
        ("hoplimit", m.hoplimit()?),
        ("initcwnd", m.initcwnd()?),
        ("initrwnd", m.initrwnd()?),
        ("quickack", m.quickack()?),
    ];
    let cc = m.cc_algo()?;
    if plain.iter().all(|(_, v)| v.is_none()) && cc.is_none() {
        return Ok(());
    }
    p.open_array("metrics");
    p.open_object("");
    for (k, v) in plain {
        if let Some(v) = v {
            p.lit(k);
            p.print(k, " {} ", v);
        }
    }
    if let Some(c) = cc {
        p.print("congctl", "congctl {} ", c);
    }
    p.close_object();
    p.close_array();
    Ok(())
}

/// `route show [table N|all] [dev NAME] [proto P] [scope S] [type T] [via ADDR]`: main table
/// and IPv4 unless told otherwise, like `ip`.
pub fn show(ipr: &mut IPRoute, a: &ShowArgs, p: &mut Printer<'_>) -> Result<()> {
    let (table, show_table) = match a.table.as_deref() {
        None => (Some(254), false),
        Some(t) => {
            let t = parse_table(t)?;
            (t, t.is_none())
        }
    };
    // IPv4 unless told otherwise, as ip; `table all` without -4/-6 lists both families.
    let family = match (a.family, show_table) {
        (0, true) => 0,
        (0, false) => 2,
        (f, _) => f,
    };
    let mut f = RouteFilter::new().family(family);
    f.table = table;
    if let Some(d) = &a.dev {
        f.oif = Some(dev_index(ipr, d)?);
    }
    if let Some(pr) = &a.proto {
        f.protocol =
            Some(parse_proto(pr).ok_or_else(|| {
                ArgError::new("proto", format!("{pr:?} is not a route protocol"))
            })?);
    }
    let scope = match &a.scope {
        Some(s) => Some(
            parse_scope(s)
                .ok_or_else(|| ArgError::new("scope", format!("{s:?} is not a scope")))?,
        ),
        None => None,
    };
    if let Some(t) = &a.rtype {
        f.rtype = Some(
            (0..=255u8)
                .find(|&n| RtType::from(n).name() == Some(t.as_str()))
                .ok_or_else(|| ArgError::new("type", format!("{t:?} is not a route type")))?,
        );
    }
    let via: Option<IpAddr> = match &a.via {
        Some(v) => Some(
            v.parse()
                .map_err(|_| ArgError::new("via", format!("{v:?} is not an address")))?,
        ),
        None => None,
    };
    if a.raw {
        let r = each(ipr.get_routes(f)?, a, p, |p, r| {
            super::raw_line(p, &r.dyn_message(Style::Raw))
        });
        return no_such_table_is_empty(r);
    }
    let names = Names::load(ipr, a)?;
    let look = RouteLook {
        show_table,
        no_dev: a.dev.is_some(),
        no_proto: a.proto.is_some(),
        no_scope: scope.is_some(),
        no_via: via.is_some(),
        details: a.details,
    };
    let (want, oif, proto, rtype) = (table, f.oif, f.protocol, f.rtype);
    p.start();
    let r = each(ipr.get_routes(f)?, a, p, |p, r| {
        // The kernel filters by table, oif, protocol and type under strict checking; check
        // again for kernels that do not, and apply scope and via here.
        let h = r.header();
        let t = r.table()?.unwrap_or(u8::from(h.table()) as u32);
        if want.is_some_and(|w| w != t)
            || scope.is_some_and(|s| s != u8::from(h.scope()))
            || proto.is_some_and(|x| x != u8::from(h.protocol()))
            || rtype.is_some_and(|x| x != u8::from(h.type_()))
            || oif.is_some() && r.oif()? != oif
            || via.is_some() && r.gateway()? != via
        {
            return Ok(());
        }
        print_route(p, &r, &names, look).map(|_| ())
    });
    no_such_table_is_empty(r)?;
    p.end_all();
    Ok(())
}

/// A table that does not exist (a fresh namespace has no main table) holds no routes: `ip`
/// prints nothing and succeeds, and so do we.
fn no_such_table_is_empty(r: Result<()>) -> Result<()> {
    match r {
        Err(Error::Kernel(k)) if k.errno == 2 => Ok(()),
        r => r,
    }
}
