//! `OBJECT show`: dumps through rtnl-api, printed as `ip`/`tc` print them.
//!
//! Each object is first turned into a JSON object with `ip -j`'s key names (the `-j` output);
//! the text form is rendered from that same object, so both always agree. `--raw` bypasses
//! both and prints the generated table-driven view of every message.
//!
//! Header fields are read through `u8::from(..)`/`u16::from(..)`: whether the schema gives a
//! field an enum (`rt_table`) or leaves it an integer, this code reads the number the same way.
#![allow(clippy::useless_conversion)]

use std::collections::HashMap;
use std::io::Write;

use rtnl_api::generated::*;
use rtnl_api::{AddrFilter, IPRoute, LinkFilter, NeighFilter, RouteFilter};
use rtnl_core::spec::Style;
use rtnl_core::{ArgError, Error, Result};
use serde_json::{Map, Value as J, json};

use rtnl_cli::ShowArgs;

/// Dumps are all-or-nothing: an interrupted dump fails the whole command with
/// [`Error::DumpInterrupted`], and `main` runs the command again from empty (nothing printed
/// yet). On its last attempt the command keeps what it read and warns, as `ip` does.
trait Attempt {
    fn attempt(self, a: &ShowArgs) -> Self;
}

impl<'s, F: rtnl_api::Family> Attempt for rtnl_api::Dump<'s, F> {
    fn attempt(self, a: &ShowArgs) -> Self {
        if a.last_attempt {
            self.keep_inconsistent(|_| {
                eprintln!("Dump was interrupted and may be inconsistent.");
            })
        } else {
            self
        }
    }
}

fn io(e: std::io::Error) -> Error {
    Error::io("write stdout", e)
}

/// ifindex -> name, from one links dump.
fn names(ipr: &mut IPRoute, a: &ShowArgs) -> Result<HashMap<u32, String>> {
    let mut m = HashMap::new();
    ipr.get_links(())?.attempt(a).for_each(|l| {
        m.insert(
            l.header().index() as u32,
            l.ifname()?.unwrap_or("").to_string(),
        );
        Ok(())
    })?;
    Ok(m)
}

fn dev_index(ipr: &mut IPRoute, dev: &str) -> Result<u32> {
    ipr.link_lookup("ifname", dev)?
        .first()
        .copied()
        .ok_or_else(|| ArgError::new("dev", format!("Cannot find device \"{dev}\"")).into())
}

fn emit(
    out: &mut dyn Write,
    a: &ShowArgs,
    items: &[J],
    text: impl Fn(&J, &mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    if a.json {
        serde_json::to_writer(&mut *out, items).map_err(|e| io(e.into()))?;
        writeln!(out).map_err(io)?;
    } else {
        for it in items {
            text(it, out).map_err(io)?;
        }
    }
    Ok(())
}

/// Writes items as they come: a JSON array (`-j`) or text lines; memory stays bounded.
struct Stream<'o> {
    out: &'o mut dyn Write,
    json: bool,
    first: bool,
}

impl<'o> Stream<'o> {
    fn new(out: &'o mut dyn Write, json: bool) -> Result<Self> {
        if json {
            out.write_all(b"[").map_err(io)?;
        }
        Ok(Stream {
            out,
            json,
            first: true,
        })
    }

    fn item(
        &mut self,
        it: &J,
        text: impl Fn(&J, &mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        if self.json {
            if !self.first {
                self.out.write_all(b",").map_err(io)?;
            }
            serde_json::to_writer(&mut *self.out, it).map_err(|e| io(e.into()))?;
        } else {
            text(it, self.out).map_err(io)?;
        }
        self.first = false;
        Ok(())
    }

    fn end(self) -> Result<()> {
        if self.json {
            self.out.write_all(b"]\n").map_err(io)?;
        }
        Ok(())
    }
}

fn raw_line(out: &mut dyn Write, v: &impl serde::Serialize) -> Result<()> {
    serde_json::to_writer(&mut *out, v).map_err(|e| io(e.into()))?;
    writeln!(out).map_err(io)
}

// ---------------------------------------------------------------------------------------------
// links and addresses

const IP_FLAG_ORDER: &[(u32, &str)] = &[
    (0x8, "LOOPBACK"),
    (0x2, "BROADCAST"),
    (0x10, "POINTOPOINT"),
    (0x1000, "MULTICAST"),
    (0x80, "NOARP"),
    (0x200, "ALLMULTI"),
    (0x100, "PROMISC"),
    (0x400, "MASTER"),
    (0x800, "SLAVE"),
    (0x4, "DEBUG"),
    (0x8000, "DYNAMIC"),
    (0x4000, "AUTOMEDIA"),
    (0x2000, "PORTSEL"),
    (0x20, "NOTRAILERS"),
    (0x1, "UP"),
    (0x10000, "LOWER_UP"),
    (0x20000, "DORMANT"),
    (0x40000, "ECHO"),
];

fn link_flags(flags: u32) -> Vec<J> {
    let mut v = Vec::new();
    if flags & 0x1 != 0 && flags & 0x40 == 0 {
        v.push(J::from("NO-CARRIER"));
    }
    for (bit, name) in IP_FLAG_ORDER {
        if flags & bit != 0 {
            v.push(J::from(*name));
        }
    }
    v
}

fn link_type(t: u16) -> String {
    match t {
        1 => "ether".into(),
        772 => "loopback".into(),
        776 => "sit".into(),
        768 => "ipip".into(),
        778 => "gre".into(),
        65534 => "none".into(),
        65535 => "void".into(),
        n => format!("[{n}]"),
    }
}

pub(crate) fn link_json(l: &LinkMsg<'_>, names: &HashMap<u32, String>) -> Result<Map<String, J>> {
    let h = l.header();
    let mut o = Map::new();
    o.insert("ifindex".into(), json!(h.index()));
    if let Some(link) = l.link()? {
        match l.link_netnsid()? {
            Some(nsid) => {
                o.insert("link_index".into(), json!(link));
                o.insert("link_netnsid".into(), json!(nsid));
            }
            None => {
                o.insert(
                    "link".into(),
                    names
                        .get(&link)
                        .map(|n| J::from(n.as_str()))
                        .unwrap_or(J::Null),
                );
            }
        }
    }
    o.insert("ifname".into(), json!(l.ifname()?.unwrap_or("")));
    o.insert("flags".into(), J::Array(link_flags(u32::from(h.flags()))));
    if let Some(m) = l.mtu()? {
        o.insert("mtu".into(), json!(m));
    }
    if let Some(q) = l.qdisc()? {
        o.insert("qdisc".into(), json!(q));
    }
    if let Some(m) = l.master()? {
        o.insert(
            "master".into(),
            json!(names.get(&m).cloned().unwrap_or_else(|| m.to_string())),
        );
    }
    if let Some(s) = l.operstate()? {
        o.insert(
            "operstate".into(),
            json!(
                s.name()
                    .map(str::to_uppercase)
                    .unwrap_or_else(|| u8::from(s).to_string())
            ),
        );
    }
    if let Some(m) = l.linkmode()? {
        o.insert(
            "linkmode".into(),
            json!(
                m.name()
                    .map(str::to_uppercase)
                    .unwrap_or_else(|| u8::from(m).to_string())
            ),
        );
    }
    if let Some(g) = l.group()? {
        o.insert(
            "group".into(),
            if g == 0 {
                json!("default")
            } else {
                json!(g.to_string())
            },
        );
    }
    if let Some(q) = l.txqlen()? {
        o.insert("txqlen".into(), json!(q));
    }
    o.insert("link_type".into(), json!(link_type(u16::from(h.type_()))));
    if let Some(a) = l.address()? {
        o.insert("address".into(), json!(a.to_string()));
    }
    if let Some(a) = l.broadcast()? {
        o.insert("broadcast".into(), json!(a.to_string()));
    }
    if let Some(li) = l.linkinfo()? {
        let mut info = Map::new();
        if let Some(k) = li.kind()? {
            info.insert("info_kind".into(), json!(k));
        }
        if let Some(k) = li.slave_kind()? {
            info.insert("info_slave_kind".into(), json!(k));
        }
        o.insert("linkinfo".into(), J::Object(info));
    }
    Ok(o)
}

pub(crate) fn addr_json(a: &AddrMsg<'_>) -> Result<J> {
    let h = a.header();
    let mut o = Map::new();
    let fam = h.family();
    o.insert(
        "family".into(),
        json!(match u8::from(fam) {
            2 => "inet",
            10 => "inet6",
            _ => "unknown",
        }),
    );
    let local = a.local()?;
    let address = a.address()?;
    if let Some(l) = local.or(address) {
        o.insert("local".into(), json!(l.to_string()));
    }
    if let (Some(l), Some(p)) = (local, address)
        && l != p
    {
        o.insert("address".into(), json!(p.to_string()));
    }
    o.insert("prefixlen".into(), json!(u8::from(h.prefixlen())));
    if let Some(b) = a.broadcast()? {
        o.insert("broadcast".into(), json!(b.to_string()));
    }
    o.insert("scope".into(), json!(scope_name(u8::from(h.scope()))));
    let flags = a
        .flags()?
        .map(u32::from)
        .unwrap_or(u8::from(h.flags()) as u32);
    for (bit, name) in [
        (0x1, "secondary"),
        (0x2, "nodad"),
        (0x4, "optimistic"),
        (0x8, "dadfailed"),
        (0x10, "home"),
        (0x20, "deprecated"),
        (0x40, "tentative"),
        (0x100, "mngtmpaddr"),
        (0x200, "noprefixroute"),
        (0x400, "autojoin"),
        (0x800, "stable-privacy"),
    ] {
        if flags & bit != 0 {
            let key = if name == "secondary" && u8::from(fam) == 10 {
                "temporary"
            } else {
                name
            };
            o.insert(key.into(), json!(true));
        }
    }
    if flags & 0x80 == 0 {
        o.insert("dynamic".into(), json!(true));
    }
    if let Some(l) = a.label()? {
        o.insert("label".into(), json!(l));
    }
    if let Some(ci) = a.cacheinfo()? {
        o.insert("valid_life_time".into(), json!(ci.valid()));
        o.insert("preferred_life_time".into(), json!(ci.prefered()));
    }
    Ok(J::Object(o))
}

fn scope_name(s: u8) -> String {
    match s {
        0 => "global".into(),
        200 => "site".into(),
        253 => "link".into(),
        254 => "host".into(),
        255 => "nowhere".into(),
        n => n.to_string(),
    }
}

/// `link show` and `addr show`.
pub fn link(ipr: &mut IPRoute, a: &ShowArgs, out: &mut dyn Write, with_addrs: bool) -> Result<()> {
    let filter = match &a.dev {
        Some(d) => LinkFilter::new().ifname(d),
        None => LinkFilter::new(),
    };
    if a.raw {
        ipr.get_links(filter.clone())?
            .attempt(a)
            .for_each(|l| raw_line(out, &l.dyn_message(Style::Raw)))?;
        if with_addrs {
            ipr.get_addr(AddrFilter::new().family(a.family))?
                .attempt(a)
                .for_each(|m| raw_line(out, &m.dyn_message(Style::Raw)))?;
        }
        return Ok(());
    }
    let names = names(ipr, a)?;
    let links = ipr.get_links(filter)?.attempt(a).collect()?;
    if let (Some(d), true) = (&a.dev, links.is_empty()) {
        return Err(ArgError::new("dev", format!("Device \"{d}\" does not exist.")).into());
    }
    let mut addrs: HashMap<u32, Vec<J>> = HashMap::new();
    if with_addrs {
        ipr.get_addr(AddrFilter::new().family(a.family))?
            .attempt(a)
            .for_each(|m| {
                addrs
                    .entry(m.header().index())
                    .or_default()
                    .push(addr_json(&m)?);
                Ok(())
            })?;
    }
    let mut items = Vec::new();
    for l in &links {
        let l = l.view();
        let mut o = link_json(&l, &names)?;
        if with_addrs {
            o.remove("linkmode");
            o.remove("linkinfo");
            let list = addrs
                .remove(&(l.header().index() as u32))
                .unwrap_or_default();
            if a.family != 0 && list.is_empty() {
                continue;
            }
            o.insert("addr_info".into(), J::Array(list));
        } else {
            o.remove("linkinfo");
        }
        items.push(J::Object(o));
    }
    emit(out, a, &items, |it, w| link_text(it, w, with_addrs))
}

pub(crate) fn s<'a>(o: &'a J, k: &str) -> Option<&'a str> {
    o.get(k).and_then(J::as_str)
}

pub(crate) fn link_text(o: &J, w: &mut dyn Write, with_addrs: bool) -> std::io::Result<()> {
    let flags: Vec<&str> = o["flags"]
        .as_array()
        .map(|a| a.iter().filter_map(J::as_str).collect())
        .unwrap_or_default();
    let mut name = s(o, "ifname").unwrap_or("").to_string();
    if let Some(l) = s(o, "link") {
        name = format!("{name}@{l}");
    } else if o.get("link_index").is_some() {
        name = format!("{name}@if{}", o["link_index"]);
    }
    write!(w, "{}: {}: <{}>", o["ifindex"], name, flags.join(","))?;
    if let Some(m) = o.get("mtu") {
        write!(w, " mtu {m}")?;
    }
    if let Some(q) = s(o, "qdisc") {
        write!(w, " qdisc {q}")?;
    }
    if let Some(m) = s(o, "master") {
        write!(w, " master {m}")?;
    }
    if let Some(st) = s(o, "operstate") {
        write!(w, " state {st}")?;
    }
    if let Some(m) = s(o, "linkmode") {
        write!(w, " mode {m}")?;
    }
    if let Some(g) = s(o, "group") {
        write!(w, " group {g}")?;
    }
    if let Some(q) = o.get("txqlen") {
        write!(w, " qlen {q}")?;
    }
    writeln!(w)?;
    write!(w, "    link/{}", s(o, "link_type").unwrap_or("?"))?;
    if let Some(a) = s(o, "address") {
        write!(w, " {a}")?;
    }
    if let Some(b) = s(o, "broadcast") {
        let kw = if flags.contains(&"POINTOPOINT") {
            "peer"
        } else {
            "brd"
        };
        write!(w, " {kw} {b}")?;
    }
    if o.get("link_netnsid").is_some() {
        write!(w, " link-netnsid {}", o["link_netnsid"])?;
    }
    writeln!(w)?;
    if with_addrs {
        for ai in o["addr_info"].as_array().into_iter().flatten() {
            write!(
                w,
                "    {} {}",
                s(ai, "family").unwrap_or(""),
                s(ai, "local").unwrap_or("")
            )?;
            if let Some(p) = s(ai, "address") {
                write!(w, " peer {p}")?;
            }
            write!(w, "/{}", ai["prefixlen"])?;
            if let Some(b) = s(ai, "broadcast") {
                write!(w, " brd {b}")?;
            }
            write!(w, " scope {}", s(ai, "scope").unwrap_or(""))?;
            for f in [
                "secondary",
                "temporary",
                "dynamic",
                "noprefixroute",
                "tentative",
                "deprecated",
                "dadfailed",
                "mngtmpaddr",
                "nodad",
                "optimistic",
                "home",
                "autojoin",
                "stable-privacy",
            ] {
                if ai.get(f).is_some() {
                    write!(w, " {f}")?;
                }
            }
            if let Some(l) = s(ai, "label") {
                write!(w, " {l}")?;
            }
            writeln!(w)?;
            let life = |k: &str| match ai.get(k).and_then(J::as_u64) {
                Some(4_294_967_295) | None => "forever".to_string(),
                Some(n) => format!("{n}sec"),
            };
            writeln!(
                w,
                "       valid_lft {} preferred_lft {}",
                life("valid_life_time"),
                life("preferred_life_time")
            )?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// routes

fn table_name(t: u32) -> String {
    match t {
        253 => "default".into(),
        254 => "main".into(),
        255 => "local".into(),
        n => n.to_string(),
    }
}

fn parse_table(t: &str) -> Result<Option<u32>> {
    Ok(match t {
        "all" | "0" => None,
        "main" => Some(254),
        "local" => Some(255),
        "default" => Some(253),
        n => Some(
            n.parse()
                .map_err(|_| ArgError::new("table", format!("{n:?} is not a table id or name")))?,
        ),
    })
}

fn proto_name(p: u8) -> String {
    RtProto::from(p)
        .name()
        .map(str::to_string)
        .unwrap_or_else(|| p.to_string())
}

pub(crate) fn route_json(
    r: &RouteMsg<'_>,
    names: &HashMap<u32, String>,
    show_table: bool,
) -> Result<Option<J>> {
    let h = r.header();
    if u32::from(h.flags()) & 0x200 != 0 {
        return Ok(None); // RTM_F_CLONED: ip hides cached clones
    }
    let mut o = Map::new();
    let ty = u8::from(h.type_());
    if ty != 1 {
        o.insert(
            "type".into(),
            json!(
                RtType::from(ty)
                    .name()
                    .map(str::to_string)
                    .unwrap_or_else(|| ty.to_string())
            ),
        );
    }
    let fam = u8::from(h.family());
    let max = if fam == 10 { 128 } else { 32 };
    match r.dst()? {
        Some(d) if h.dst_len() == max => o.insert("dst".into(), json!(d.to_string())),
        Some(d) => o.insert("dst".into(), json!(format!("{d}/{}", h.dst_len()))),
        None if h.dst_len() == 0 => o.insert("dst".into(), json!("default")),
        None => o.insert("dst".into(), json!(format!("0/{}", h.dst_len()))),
    };
    if let Some(g) = r.gateway()? {
        o.insert("gateway".into(), json!(g.to_string()));
    }
    if let Some(i) = r.oif()? {
        o.insert(
            "dev".into(),
            json!(names.get(&i).cloned().unwrap_or_else(|| format!("if{i}"))),
        );
    }
    let table = r.table()?.unwrap_or(u8::from(h.table()) as u32);
    if show_table && table != 254 {
        o.insert("table".into(), json!(table_name(table)));
    }
    let p = u8::from(h.protocol());
    // ip hides "proto boot" (what `ip route add` sets) unless asked for details.
    if p != 0 && p != 3 {
        o.insert("protocol".into(), json!(proto_name(p)));
    }
    let sc = u8::from(h.scope());
    if sc != 0 {
        o.insert("scope".into(), json!(scope_name(sc)));
    }
    if let Some(p) = r.prefsrc()? {
        o.insert("prefsrc".into(), json!(p.to_string()));
    }
    if let Some(m) = r.priority()? {
        o.insert("metric".into(), json!(m));
    }
    let mut flags = Vec::new();
    let f = u32::from(h.flags());
    for (bit, n) in [
        (1u32, "dead"),
        (2, "pervasive"),
        (4, "onlink"),
        (8, "offload"),
        (16, "linkdown"),
        (32, "unresolved"),
        (64, "trap"),
    ] {
        if f & bit != 0 {
            flags.push(json!(n));
        }
    }
    o.insert("flags".into(), J::Array(flags));
    if let Some(m) = r.metrics()? {
        // Every RTAX_* the schema knows, by name (the table-driven view), as `ip -j` nests them.
        if let Ok(J::Object(mo)) = serde_json::to_value(m.dyn_attrs(Style::Map))
            && !mo.is_empty()
        {
            o.insert("metrics".into(), J::Array(vec![J::Object(mo)]));
        }
    }
    if let Some(hops) = r.multipath()? {
        let mut nh = Vec::new();
        for hop in hops {
            let (hdr, attrs) = hop?;
            let mut ho = Map::new();
            if let Some(g) = attrs.gateway()? {
                ho.insert("gateway".into(), json!(g.to_string()));
            }
            let i = hdr.ifindex() as u32;
            ho.insert(
                "dev".into(),
                json!(names.get(&i).cloned().unwrap_or_else(|| format!("if{i}"))),
            );
            ho.insert("weight".into(), json!(hdr.hops() as u32 + 1));
            let mut hf = Vec::new();
            for (bit, n) in [(1u8, "dead"), (4, "onlink"), (16, "linkdown")] {
                if u8::from(hdr.flags()) & bit != 0 {
                    hf.push(json!(n));
                }
            }
            ho.insert("flags".into(), J::Array(hf));
            nh.push(J::Object(ho));
        }
        o.insert("nexthops".into(), J::Array(nh));
    }
    Ok(Some(J::Object(o)))
}

/// `route show [table N] [dev NAME]`: main table and IPv4 unless told otherwise, like `ip`.
pub fn route(ipr: &mut IPRoute, a: &ShowArgs, out: &mut dyn Write) -> Result<()> {
    let (table, show_table) = match a.table.as_deref() {
        None => (Some(254), false),
        Some(t) => {
            let t = parse_table(t)?;
            (t, t.is_none())
        }
    };
    let family = if a.family == 0 { 2 } else { a.family };
    let mut f = RouteFilter::new().family(family);
    f.table = table;
    if let Some(d) = &a.dev {
        f.oif = Some(dev_index(ipr, d)?);
    }
    if a.raw {
        let r = ipr
            .get_routes(f)?
            .attempt(a)
            .for_each(|r| raw_line(out, &r.dyn_message(Style::Raw)));
        return no_such_table_is_empty(r);
    }
    let names = names(ipr, a)?;
    let want = table;
    // Routes are written as they come, no list of them is kept (the command's output buffer
    // is printed once the attempt is complete).
    let mut stream = Stream::new(out, a.json)?;
    let r = ipr.get_routes(f)?.attempt(a).for_each(|r| {
        // The kernel filters by table under strict checking; check again for old kernels.
        let t = r.table()?.unwrap_or(u8::from(r.header().table()) as u32);
        if want.is_some_and(|w| w != t) {
            return Ok(());
        }
        match route_json(&r, &names, show_table)? {
            Some(j) => stream.item(&j, route_text),
            None => Ok(()),
        }
    });
    no_such_table_is_empty(r)?;
    stream.end()
}

/// A table that does not exist (a fresh namespace has no main table) holds no routes: `ip`
/// prints nothing and succeeds, and so do we.
fn no_such_table_is_empty(r: Result<()>) -> Result<()> {
    match r {
        Err(Error::Kernel(k)) if k.errno == 2 => Ok(()),
        r => r,
    }
}

pub(crate) fn route_text(o: &J, w: &mut dyn Write) -> std::io::Result<()> {
    if let Some(t) = s(o, "type") {
        write!(w, "{t} ")?;
    }
    write!(w, "{}", s(o, "dst").unwrap_or(""))?;
    if let Some(g) = s(o, "gateway") {
        write!(w, " via {g}")?;
    }
    if let Some(d) = s(o, "dev") {
        write!(w, " dev {d}")?;
    }
    if let Some(t) = s(o, "table") {
        write!(w, " table {t}")?;
    }
    if let Some(p) = s(o, "protocol") {
        write!(w, " proto {p}")?;
    }
    if let Some(sc) = s(o, "scope") {
        write!(w, " scope {sc}")?;
    }
    if let Some(p) = s(o, "prefsrc") {
        write!(w, " src {p}")?;
    }
    if let Some(m) = o.get("metric") {
        write!(w, " metric {m}")?;
    }
    for f in o["flags"].as_array().into_iter().flatten() {
        write!(w, " {}", f.as_str().unwrap_or(""))?;
    }
    if let Some(ms) = o
        .get("metrics")
        .and_then(|m| m.get(0))
        .and_then(J::as_object)
    {
        for (k, v) in ms {
            write!(w, " {k} {v}")?;
        }
    }
    writeln!(w)?;
    for nh in o
        .get("nexthops")
        .and_then(J::as_array)
        .into_iter()
        .flatten()
    {
        write!(w, "\tnexthop")?;
        if let Some(g) = s(nh, "gateway") {
            write!(w, " via {g}")?;
        }
        writeln!(
            w,
            " dev {} weight {}",
            s(nh, "dev").unwrap_or(""),
            nh["weight"]
        )?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// rules

/// `rule show`.
pub fn rule(ipr: &mut IPRoute, a: &ShowArgs, out: &mut dyn Write) -> Result<()> {
    let family = if a.family == 0 { 2 } else { a.family };
    // `dev NAME` (ip's alias of `iif NAME`) keeps the rules whose FRA_IIFNAME is NAME.
    let dev = a.dev.clone();
    let rules = ipr
        .get_rules(family)?
        .attempt(a)
        .filter(move |r| match &dev {
            Some(d) => matches!(r.iifname(), Ok(Some(n)) if n == d),
            None => true,
        });
    if a.raw {
        return rules.for_each(|r| raw_line(out, &r.dyn_message(Style::Raw)));
    }
    let mut items = Vec::new();
    rules.for_each(|r| {
        let h = r.header();
        let mut o = Map::new();
        o.insert("priority".into(), json!(r.priority()?.unwrap_or(0)));
        if u32::from(h.flags()) & 2 != 0 {
            o.insert("not".into(), json!(true));
        }
        match r.src()? {
            Some(s) => {
                o.insert("src".into(), json!(s.to_string()));
                if h.src_len() != if s.is_ipv4() { 32 } else { 128 } {
                    o.insert("srclen".into(), json!(h.src_len()));
                }
            }
            None => {
                o.insert("src".into(), json!("all"));
            }
        }
        if let Some(d) = r.dst()? {
            o.insert("dst".into(), json!(d.to_string()));
            if h.dst_len() != if d.is_ipv4() { 32 } else { 128 } {
                o.insert("dstlen".into(), json!(h.dst_len()));
            }
        }
        if let Some(m) = r.fwmark()? {
            o.insert("fwmark".into(), json!(format!("{m:#x}")));
            if let Some(k) = r.fwmask()?
                && k != u32::MAX
            {
                o.insert("fwmask".into(), json!(format!("{k:#x}")));
            }
        }
        if let Some(i) = r.iifname()? {
            o.insert("iif".into(), json!(i));
        }
        if let Some(i) = r.oifname()? {
            o.insert("oif".into(), json!(i));
        }
        let table = r.table()?.unwrap_or(u8::from(h.table()) as u32);
        match FrAct::from(u8::from(h.action())) {
            FrAct::ToTbl => {
                o.insert("table".into(), json!(table_name(table)));
            }
            FrAct::Goto => {
                o.insert("action".into(), json!("goto"));
                if let Some(g) = r.goto()? {
                    o.insert("target".into(), json!(g));
                }
            }
            FrAct::Nop => {
                o.insert("action".into(), json!("nop"));
            }
            other => {
                o.insert("action".into(), json!(other.name().unwrap_or("unknown")));
            }
        }
        items.push(J::Object(o));
        Ok(())
    })?;
    emit(out, a, &items, |o, w| {
        write!(w, "{}:\t", o["priority"])?;
        if o.get("not").is_some() {
            write!(w, "not ")?;
        }
        write!(w, "from {}", s(o, "src").unwrap_or("all"))?;
        if let Some(l) = o.get("srclen") {
            write!(w, "/{l}")?;
        }
        if let Some(d) = s(o, "dst") {
            write!(w, " to {d}")?;
            if let Some(l) = o.get("dstlen") {
                write!(w, "/{l}")?;
            }
        }
        if let Some(m) = s(o, "fwmark") {
            write!(w, " fwmark {m}")?;
            if let Some(k) = s(o, "fwmask") {
                write!(w, "/{k}")?;
            }
        }
        if let Some(i) = s(o, "iif") {
            write!(w, " iif {i}")?;
        }
        if let Some(i) = s(o, "oif") {
            write!(w, " oif {i}")?;
        }
        if let Some(t) = s(o, "table") {
            write!(w, " lookup {t}")?;
        }
        if let Some(a) = s(o, "action") {
            write!(w, " {a}")?;
            if let Some(t) = o.get("target") {
                write!(w, " {t}")?;
            }
        }
        writeln!(w)
    })
}

// ---------------------------------------------------------------------------------------------
// neighbours

/// `neigh show [dev NAME]`.
pub fn neigh(ipr: &mut IPRoute, a: &ShowArgs, out: &mut dyn Write) -> Result<()> {
    let mut f = NeighFilter::new().family(a.family);
    if let Some(d) = &a.dev {
        f.ifindex = Some(dev_index(ipr, d)?);
    }
    if a.raw {
        return ipr
            .get_neighbours(f)?
            .attempt(a)
            .for_each(|n| raw_line(out, &n.dyn_message(Style::Raw)));
    }
    let names = names(ipr, a)?;
    let mut items = Vec::new();
    ipr.get_neighbours(f)?.attempt(a).for_each(|n| {
        let h = n.header();
        let state = u16::from(h.state());
        if state & 0x40 != 0 && a.dev.is_none() {
            return Ok(()); // NUD_NOARP entries are hidden, as `ip neigh` hides them
        }
        let mut o = Map::new();
        if let Some(d) = n.dst()? {
            o.insert("dst".into(), json!(d.to_string()));
        }
        let i = h.ifindex() as u32;
        o.insert(
            "dev".into(),
            json!(names.get(&i).cloned().unwrap_or_else(|| format!("if{i}"))),
        );
        if let Some(l) = n.lladdr()? {
            o.insert("lladdr".into(), json!(l.to_string()));
        }
        if u8::from(h.flags()) & 0x80 != 0 {
            o.insert("router".into(), J::Null);
        }
        let mut st = Vec::new();
        for (bit, name) in [
            (1u16, "INCOMPLETE"),
            (2, "REACHABLE"),
            (4, "STALE"),
            (8, "DELAY"),
            (0x10, "PROBE"),
            (0x20, "FAILED"),
            (0x40, "NOARP"),
            (0x80, "PERMANENT"),
        ] {
            if state & bit != 0 {
                st.push(json!(name));
            }
        }
        if state == 0 {
            st.push(json!("NONE"));
        }
        o.insert("state".into(), J::Array(st));
        items.push(J::Object(o));
        Ok(())
    })?;
    emit(out, a, &items, |o, w| {
        write!(
            w,
            "{} dev {}",
            s(o, "dst").unwrap_or("?"),
            s(o, "dev").unwrap_or("?")
        )?;
        if let Some(l) = s(o, "lladdr") {
            write!(w, " lladdr {l}")?;
        }
        if o.get("router").is_some() {
            write!(w, " router")?;
        }
        let st: Vec<&str> = o["state"]
            .as_array()
            .map(|a| a.iter().filter_map(J::as_str).collect())
            .unwrap_or_default();
        writeln!(w, " {}", st.join(" "))
    })
}

// ---------------------------------------------------------------------------------------------
// traffic control

/// Which tc object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TcObject {
    /// `qdisc show`
    Qdisc,
    /// `class show`
    Class,
    /// `filter show`
    Filter,
}

/// `1:10`, `1:`, `root`.
pub fn handle(h: u32) -> String {
    let (maj, min) = (h >> 16, h & 0xffff);
    if min == 0 {
        format!("{maj:x}:")
    } else {
        format!("{maj:x}:{min:x}")
    }
}

fn tc_json(t: &TcMsg<'_>, obj: TcObject, names: &HashMap<u32, String>) -> Result<J> {
    let h = t.header();
    let mut o = Map::new();
    let kind = t.kind()?.unwrap_or("").to_string();
    let parent = h.parent();
    match obj {
        TcObject::Qdisc => {
            o.insert("kind".into(), json!(kind));
            o.insert("handle".into(), json!(handle(h.handle())));
        }
        TcObject::Class => {
            o.insert("class".into(), json!(kind));
            o.insert("handle".into(), json!(handle(h.handle())));
        }
        TcObject::Filter => {}
    }
    let i = h.ifindex() as u32;
    if obj == TcObject::Qdisc {
        o.insert(
            "dev".into(),
            json!(names.get(&i).cloned().unwrap_or_else(|| format!("if{i}"))),
        );
    }
    if parent == 0xffff_ffff {
        o.insert("root".into(), json!(true));
    } else if obj != TcObject::Qdisc || parent != 0 {
        o.insert("parent".into(), json!(handle(parent)));
    }
    if obj == TcObject::Qdisc
        && let Some(opts) = qdisc_options(t)?
    {
        o.insert("options".into(), opts);
    }
    if obj == TcObject::Filter {
        let info = h.info();
        let proto = u16::from_be((info & 0xffff) as u16);
        o.insert(
            "protocol".into(),
            json!(match proto {
                0x0800 => "ip".to_string(),
                0x86dd => "ipv6".to_string(),
                0x0003 => "all".to_string(),
                0x0806 => "arp".to_string(),
                0x8100 => "802.1Q".to_string(),
                p => format!("[{p:04x}]"),
            }),
        );
        o.insert("pref".into(), json!(info >> 16));
        o.insert("kind".into(), json!(kind));
        if let Some(c) = t.chain()? {
            o.insert("chain".into(), json!(c));
        }
        if h.handle() != 0 {
            let mut opts = Map::new();
            let fh = h.handle();
            opts.insert(
                "fh".into(),
                json!(
                    format!("{:x}:{:x}:{:x}", fh >> 20, (fh >> 12) & 0xff, fh & 0xfff)
                        .replace(":0:0", ":")
                        .replace(":0:", "::")
                ),
            );
            o.insert("options".into(), J::Object(opts));
        }
    }
    Ok(J::Object(o))
}

/// A qdisc's options as `tc -j` shows them, for the kinds whose options need no unit conversion
/// (tbf's are in scheduler ticks: left out rather than shown differently from tc).
fn qdisc_options(t: &TcMsg<'_>) -> Result<Option<J>> {
    let mut m = Map::new();
    match t.options()? {
        Some(TcOptions::Htb(h)) => {
            if let Some(g) = h.init()? {
                m.insert("r2q".into(), json!(g.rate2quantum()));
                m.insert("default".into(), json!(format!("{:#x}", g.defcls())));
                m.insert("direct_packets_stat".into(), json!(g.direct_pkts()));
            }
            if let Some(q) = h.direct_qlen()? {
                m.insert("direct_qlen".into(), json!(q));
            }
        }
        Some(TcOptions::PfifoFast(p)) | Some(TcOptions::Prio(p)) => {
            m.insert("bands".into(), json!(p.bands()));
            m.insert("priomap".into(), json!(p.priomap.to_vec()));
            m.insert("multiqueue".into(), json!(false));
        }
        Some(TcOptions::Pfifo(f)) | Some(TcOptions::Bfifo(f)) => {
            m.insert("limit".into(), json!(f.limit()));
        }
        Some(TcOptions::Ingress | TcOptions::Clsact | TcOptions::Mq | TcOptions::Noqueue)
        | None => {}
        Some(_) => return Ok(None),
    }
    Ok(Some(J::Object(m)))
}

/// `qdisc show [dev NAME]`, `class show dev NAME`, `filter show dev NAME`.
pub fn tc(ipr: &mut IPRoute, a: &ShowArgs, out: &mut dyn Write, obj: TcObject) -> Result<()> {
    let ifindex = match &a.dev {
        Some(d) => dev_index(ipr, d)?,
        None if obj == TcObject::Qdisc => 0,
        None => return Err(ArgError::new("dev", "class and filter show need dev NAME").into()),
    };
    let names = names(ipr, a)?;
    let mut items = Vec::new();
    let raw = a.raw;
    let mut raws: Vec<String> = Vec::new();
    let mut each = |t: TcMsg<'_>| -> Result<()> {
        if raw {
            raws.push(serde_json::to_string(&t.dyn_message(Style::Raw)).unwrap_or_default());
        } else {
            items.push(tc_json(&t, obj, &names)?);
        }
        Ok(())
    };
    match obj {
        TcObject::Qdisc => ipr.get_qdiscs(ifindex)?.attempt(a).for_each(&mut each)?,
        TcObject::Class => ipr.get_classes(ifindex)?.attempt(a).for_each(&mut each)?,
        TcObject::Filter => {
            ipr.get_filters(ifindex, a.parent.unwrap_or(0))?
                .attempt(a)
                .for_each(&mut each)?;
        }
    }
    if raw {
        for r in raws {
            writeln!(out, "{r}").map_err(io)?;
        }
        return Ok(());
    }
    emit(out, a, &items, |o, w| {
        match obj {
            TcObject::Qdisc => write!(
                w,
                "qdisc {} {} dev {}",
                s(o, "kind").unwrap_or(""),
                s(o, "handle").unwrap_or(""),
                s(o, "dev").unwrap_or("")
            )?,
            TcObject::Class => write!(
                w,
                "class {} {}",
                s(o, "class").unwrap_or(""),
                s(o, "handle").unwrap_or("")
            )?,
            TcObject::Filter => write!(w, "filter")?,
        }
        if o.get("root").is_some() {
            write!(w, " root")?;
        } else if let Some(p) = s(o, "parent") {
            write!(w, " parent {p}")?;
        }
        if obj == TcObject::Filter {
            write!(
                w,
                " protocol {} pref {} {}",
                s(o, "protocol").unwrap_or(""),
                o["pref"],
                s(o, "kind").unwrap_or("")
            )?;
            if let Some(c) = o.get("chain") {
                write!(w, " chain {c}")?;
            }
            if let Some(fh) = o
                .get("options")
                .and_then(|x| x.get("fh"))
                .and_then(J::as_str)
            {
                write!(w, " fh {fh}")?;
            }
        }
        writeln!(w)
    })
}

/// The group of an MDB entry as `bridge mdb` prints it: IPv4, IPv6, or a MAC (proto 0).
fn mdb_group(e: &BrMdbEntry) -> String {
    match e.proto() {
        0x0800 => std::net::Ipv4Addr::new(e.addr[0], e.addr[1], e.addr[2], e.addr[3]).to_string(),
        0x86dd => std::net::Ipv6Addr::from(e.addr).to_string(),
        _ => e.addr[..6]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(":"),
    }
}

/// `rtnl mdb show [dev BRIDGE]`: the bridge multicast database. `-j` prints `bridge -j mdb
/// show`'s shape: one object whose `mdb` list holds every entry (`index`, `dev`, `port`, `grp`,
/// `state`, `flags`, `vid` when set).
pub fn mdb(ipr: &mut IPRoute, a: &ShowArgs, out: &mut dyn Write) -> Result<()> {
    let ifindex = match &a.dev {
        Some(d) => dev_index(ipr, d)?,
        None => 0,
    };
    if a.raw {
        return ipr
            .get_mdb(ifindex)?
            .attempt(a)
            .for_each(|m| raw_line(out, &m.dyn_message(Style::Raw)));
    }
    let names = names(ipr, a)?;
    let name = |i: u32| names.get(&i).cloned().unwrap_or_else(|| format!("if{i}"));
    let mut entries = Vec::new();
    ipr.get_mdb(ifindex)?.attempt(a).for_each(|m| {
        let br = m.header().ifindex();
        let Some(mdb) = m.mdb()? else {
            return Ok(());
        };
        for entry in mdb.entry() {
            for info in entry?.info() {
                let (e, _) = info?;
                let mut o = Map::new();
                o.insert("index".into(), json!(br));
                o.insert("dev".into(), json!(name(br)));
                o.insert("port".into(), json!(name(e.ifindex())));
                o.insert("grp".into(), json!(mdb_group(e)));
                let state = match e.state() {
                    MdbState::Permanent => "permanent",
                    _ => "temp",
                };
                o.insert("state".into(), json!(state));
                let f = u8::from(e.flags());
                let mut flags = Vec::new();
                for (bit, n) in [
                    (1u8, "offload"),
                    (2, "fast_leave"),
                    (4, "star_exclude"),
                    (8, "blocked"),
                    (16, "offload_failed"),
                ] {
                    if f & bit != 0 {
                        flags.push(json!(n));
                    }
                }
                o.insert("flags".into(), J::Array(flags));
                if e.vid() != 0 {
                    o.insert("vid".into(), json!(e.vid()));
                }
                entries.push(J::Object(o));
            }
        }
        Ok(())
    })?;
    if a.json {
        let all = [json!({ "mdb": entries, "router": {} })];
        return emit(out, a, &all, |_, _| Ok(()));
    }
    emit(out, a, &entries, |o, w| {
        write!(
            w,
            "dev {} port {} grp {} {}",
            s(o, "dev").unwrap_or("?"),
            s(o, "port").unwrap_or("?"),
            s(o, "grp").unwrap_or("?"),
            s(o, "state").unwrap_or("?")
        )?;
        if let Some(v) = o.get("vid") {
            write!(w, " vid {v}")?;
        }
        writeln!(w)
    })
}

/// `rtnl vni show [dev VXLAN]` (`-s` for counters is `--stats`): the VNI filter of VXLAN devices
/// created `external vnifilter`. `-j` prints `bridge -j vni show`'s shape:
/// `[{"ifname", "vnis": [{"vni", "vniEnd", "group"|"remote", "stats"}]}]`.
pub fn vni(ipr: &mut IPRoute, a: &ShowArgs, out: &mut dyn Write, stats: bool) -> Result<()> {
    let ifindex = match &a.dev {
        Some(d) => dev_index(ipr, d)?,
        None => 0,
    };
    if a.raw {
        return ipr
            .get_vnis(ifindex, stats)?
            .attempt(a)
            .for_each(|m| raw_line(out, &m.dyn_message(Style::Raw)));
    }
    let names = names(ipr, a)?;
    let mut devs: Vec<(u32, Vec<J>)> = Vec::new();
    ipr.get_vnis(ifindex, stats)?.attempt(a).for_each(|m| {
        let dev = m.header().ifindex();
        let mut vnis = Vec::new();
        for e in m.entry() {
            let e = e?;
            let mut o = Map::new();
            let start = e.start()?.unwrap_or(0);
            o.insert("vni".into(), json!(start));
            if let Some(end) = e.end()?.filter(|end| *end != start) {
                o.insert("vniEnd".into(), json!(end));
            }
            let group: Option<std::net::IpAddr> = match (e.group()?, e.group6()?) {
                (Some(g), _) => Some(g.into()),
                (_, Some(g)) => Some(g.into()),
                _ => None,
            };
            if let Some(g) = group {
                let key = if g.is_multicast() { "group" } else { "remote" };
                o.insert(key.into(), json!(g.to_string()));
            }
            if let Some(st) = e.stats()? {
                o.insert(
                    "stats".into(),
                    json!({
                        "rx_bytes": st.rx_bytes()?.unwrap_or(0),
                        "rx_pkts": st.rx_pkts()?.unwrap_or(0),
                        "rx_drops": st.rx_drops()?.unwrap_or(0),
                        "rx_errors": st.rx_errors()?.unwrap_or(0),
                        "tx_bytes": st.tx_bytes()?.unwrap_or(0),
                        "tx_pkts": st.tx_pkts()?.unwrap_or(0),
                        "tx_drops": st.tx_drops()?.unwrap_or(0),
                        "tx_errors": st.tx_errors()?.unwrap_or(0),
                    }),
                );
            }
            vnis.push(J::Object(o));
        }
        // A device's VNIs may come in several messages: keep them under one object, as bridge does.
        match devs.iter_mut().find(|(d, _)| *d == dev) {
            Some((_, v)) => v.extend(vnis),
            None => devs.push((dev, vnis)),
        }
        Ok(())
    })?;
    let items: Vec<J> = devs
        .into_iter()
        .map(|(d, vnis)| {
            json!({
                "ifname": names.get(&d).cloned().unwrap_or_else(|| format!("if{d}")),
                "vnis": vnis,
            })
        })
        .collect();
    emit(out, a, &items, |o, w| {
        for v in o["vnis"].as_array().into_iter().flatten() {
            let vni = match v.get("vniEnd") {
                Some(end) => format!("{}-{end}", v["vni"]),
                None => v["vni"].to_string(),
            };
            let peer = s(v, "group").or(s(v, "remote")).unwrap_or("");
            writeln!(w, "{} vni {vni} {peer}", s(o, "ifname").unwrap_or("?"))?;
        }
        Ok(())
    })
}

/// `rtnl vlan show [dev NAME]`: the bridge VLAN database (`bridge vlan show` over RTM_GETVLAN).
/// `-j` prints `[{"ifname", "vlans": [{"vlan", "vlanEnd", "flags"}]}]` as `bridge -j vlan show`
/// does; this needs a kernel with bridge VLAN filtering, without it nothing is listed.
pub fn vlan(ipr: &mut IPRoute, a: &ShowArgs, out: &mut dyn Write) -> Result<()> {
    let ifindex = match &a.dev {
        Some(d) => dev_index(ipr, d)?,
        None => 0,
    };
    if a.raw {
        let r = ipr
            .get_vlans(ifindex, VlandbDumpf(0))?
            .attempt(a)
            .for_each(|m| raw_line(out, &m.dyn_message(Style::Raw)));
        return match r {
            Err(Error::Kernel(k)) if k.errno == 95 => Ok(()),
            r => r,
        };
    }
    let names = names(ipr, a)?;
    let mut devs: Vec<(u32, Vec<J>)> = Vec::new();
    let r = ipr
        .get_vlans(ifindex, VlandbDumpf(0))?
        .attempt(a)
        .for_each(|m| {
            let dev = m.header().ifindex();
            let mut vlans = Vec::new();
            for e in m.entry() {
                let e = e?;
                let Some(info) = e.info()? else { continue };
                let mut o = Map::new();
                o.insert("vlan".into(), json!(info.vid()));
                if let Some(end) = e.range()?.filter(|end| *end != info.vid()) {
                    o.insert("vlanEnd".into(), json!(end));
                }
                let mut flags = Vec::new();
                if info.flags().0 & 2 != 0 {
                    flags.push(json!("PVID"));
                }
                if info.flags().0 & 4 != 0 {
                    flags.push(json!("Egress Untagged"));
                }
                if !flags.is_empty() {
                    o.insert("flags".into(), J::Array(flags));
                }
                vlans.push(J::Object(o));
            }
            match devs.iter_mut().find(|(d, _)| *d == dev) {
                Some((_, v)) => v.extend(vlans),
                None => devs.push((dev, vlans)),
            }
            Ok(())
        });
    match r {
        // No bridge VLAN database on this kernel: nothing to list, as `bridge vlan show`.
        Err(Error::Kernel(k)) if k.errno == 95 => {}
        r => r?,
    }
    let items: Vec<J> = devs
        .into_iter()
        .map(|(d, vlans)| {
            json!({
                "ifname": names.get(&d).cloned().unwrap_or_else(|| format!("if{d}")),
                "vlans": vlans,
            })
        })
        .collect();
    emit(out, a, &items, |o, w| {
        for v in o["vlans"].as_array().into_iter().flatten() {
            writeln!(w, "{} vlan {}", s(o, "ifname").unwrap_or("?"), v["vlan"])?;
        }
        Ok(())
    })
}

/// `rtnl ntable show [dev NAME]`: neighbour tables (ARP, ND), their thresholds, statistics and
/// per-device parameters. `-j` prints each message as data with the schema's names (`name`,
/// `thresh1`, `config`, `stats`, `parms` ...); `--raw` as NDTA_* pairs.
pub fn ntable(ipr: &mut IPRoute, a: &ShowArgs, out: &mut dyn Write) -> Result<()> {
    let ifindex = match &a.dev {
        Some(d) => Some(dev_index(ipr, d)?),
        None => None,
    };
    let keep = move |t: &NtableMsg<'_>| -> bool {
        match ifindex {
            None => true,
            Some(i) => {
                t.parms()
                    .ok()
                    .flatten()
                    .and_then(|p| p.ifindex().ok().flatten())
                    == Some(i)
            }
        }
    };
    let style = if a.raw { Style::Raw } else { Style::Map };
    if a.raw || a.json {
        let mut st = Stream::new(out, a.json && !a.raw)?;
        ipr.get_neighbour_tables(a.family)?
            .attempt(a)
            .filter(move |t| keep(t))
            .for_each(|t| {
                if a.raw {
                    raw_line(st.out, &t.dyn_message(style))
                } else {
                    let v = serde_json::to_value(t.dyn_message(style)).map_err(|e| io(e.into()))?;
                    st.item(&v, |_, _| Ok(()))
                }
            })?;
        return st.end();
    }
    let names = names(ipr, a)?;
    ipr.get_neighbour_tables(a.family)?
        .attempt(a)
        .filter(move |t| keep(t))
        .for_each(|t| {
            let fam = match u8::from(t.header().family()) {
                2 => "inet",
                10 => "inet6",
                _ => "unspec",
            };
            write!(out, "{fam} {}", t.name()?.unwrap_or("?")).map_err(io)?;
            if let Some(p) = t.parms()? {
                let dev = match p.ifindex()? {
                    Some(i) => names.get(&i).cloned().unwrap_or_else(|| format!("if{i}")),
                    None => "*".into(),
                };
                write!(out, " dev {dev}").map_err(io)?;
                if let Some(q) = p.queue_len()? {
                    write!(out, " queue {q}").map_err(io)?;
                }
                if let Some(r) = p.reachable_time()? {
                    write!(out, " reachable {r}").map_err(io)?;
                }
            }
            if let Some(t1) = t.thresh1()? {
                write!(out, " thresh1 {t1}").map_err(io)?;
            }
            writeln!(out).map_err(io)
        })
}
