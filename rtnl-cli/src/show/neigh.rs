//! `neigh show` (as `ip neigh show`) and `fdb show` (as `bridge fdb show`), printed from the
//! zero-copy view.
#![allow(clippy::useless_conversion)]

use rtnl_api::generated::*;
use rtnl_api::{IPRoute, NeighFilter};
use rtnl_core::spec::Style;
use rtnl_core::{ArgError, Result};

use super::common::{Names, dev_index, each, print_proto};
use crate::print::Printer;
use rtnl_cli::ShowArgs;

const NUD: [(u16, &str); 8] = [
    (0x1, "INCOMPLETE"),
    (0x2, "REACHABLE"),
    (0x4, "STALE"),
    (0x8, "DELAY"),
    (0x10, "PROBE"),
    (0x20, "FAILED"),
    (0x40, "NOARP"),
    (0x80, "PERMANENT"),
];

/// A `nud` word as ip reads it: a state name (any case), `all`, `none`.
fn parse_nud(s: &str) -> Option<u16> {
    match s {
        "all" => return Some(0xffff),
        "none" => return Some(0),
        _ => {}
    }
    NUD.iter()
        .find(|(_, n)| n.eq_ignore_ascii_case(s))
        .map(|(b, _)| *b)
}

/// One neighbour: `DST dev DEV lladdr MAC [router] STATE `.
pub fn print_neigh(
    p: &mut Printer<'_>,
    n: &NeighMsg<'_>,
    names: &Names,
    no_dev: bool,
) -> Result<()> {
    let h = n.header();
    p.open_object("");
    if let Some(d) = n.dst()? {
        p.print("dst", "{} ", d);
    }
    if !no_dev {
        names.print(p, "dev", "dev {} ", h.ifindex() as u32);
    }
    if let Some(l) = n.lladdr()? {
        p.print("lladdr", "lladdr {} ", format_args!("{l}"));
    }
    let flags = u8::from(h.flags());
    for (bit, name, text) in [
        (0x80, "router", "router "),
        (0x08, "proxy", "proxy "),
        (0x10, "extern_learn", "extern_learn "),
    ] {
        if flags & bit != 0 {
            p.null(name, text);
        }
    }
    if n.flags_ext()?.is_some_and(|f| u32::from(f) & 1 != 0) {
        p.null("managed", "managed ");
    }
    let state = u16::from(h.state());
    if state != 0 {
        p.open_array("state");
        for (bit, name) in NUD {
            if state & bit != 0 {
                p.print("", "{} ", name);
            }
        }
        p.close_array();
    }
    if let Some(pr) = n.protocol()? {
        print_proto(p, "protocol", "proto {} ", u8::from(pr));
    }
    p.nl();
    p.close_object();
    Ok(())
}

/// `neigh show [dev NAME] [nud STATE]`: NOARP and NONE entries hidden unless asked, as ip.
pub fn show(ipr: &mut IPRoute, a: &ShowArgs, p: &mut Printer<'_>) -> Result<()> {
    let mut f = NeighFilter::new().family(a.family);
    if let Some(d) = &a.dev {
        f.ifindex = Some(dev_index(ipr, d)?);
    }
    let mask = match &a.nud {
        Some(s) => parse_nud(s)
            .ok_or_else(|| ArgError::new("nud", format!("{s:?} is not a neighbour state")))?,
        None => !0x40,
    };
    if a.raw {
        return each(ipr.get_neighbours(f)?, a, p, |p, n| {
            super::raw_line(p, &n.dyn_message(Style::Raw))
        });
    }
    let names = Names::load(ipr, a)?;
    p.start();
    each(ipr.get_neighbours(f)?, a, p, |p, n| {
        let state = u16::from(n.header().state());
        let shown = if state == 0 {
            mask == 0 || mask == 0xffff
        } else {
            state & mask != 0
        };
        if shown {
            print_neigh(p, &n, &names, a.dev.is_some())?;
        }
        Ok(())
    })?;
    p.end_all();
    Ok(())
}

/// `neigh get`: asks the kernel for one entry (`kw` from write/neigh.rs) and prints it as
/// `ip neigh get` does.
pub fn get(ipr: &mut IPRoute, kw: rtnl_api::Args, a: &ShowArgs, p: &mut Printer<'_>) -> Result<()> {
    let names = Names::load(ipr, a)?;
    p.start();
    ipr.neigh("get", kw)?
        .for_each(|n| print_neigh(p, &n, &names, false))?;
    p.end_all();
    Ok(())
}

/// bridge's name of an FDB entry's state.
fn fdb_state(p: &mut Printer<'_>, s: u16) {
    let name = if s & 0x80 != 0 {
        "permanent"
    } else if s & 0x40 != 0 {
        "static"
    } else if s & 0x4 != 0 {
        "stale"
    } else if s & 0x2 != 0 {
        ""
    } else {
        p.json("state", format_args!("{s:#x}"));
        p.text("state {}", format_args!("{s:#x}"));
        return;
    };
    p.print("state", "{}", name);
}

/// One FDB entry: `MAC dev DEV [vlan V] [dst IP] [self] [master BR] STATE`.
pub fn print_fdb(p: &mut Printer<'_>, n: &NeighMsg<'_>, names: &Names, no_dev: bool) -> Result<()> {
    let h = n.header();
    p.open_object("");
    if let Some(l) = n.lladdr()? {
        p.print("mac", "{} ", format_args!("{l}"));
    }
    if !no_dev {
        names.print(p, "ifname", "dev {} ", h.ifindex() as u32);
    }
    if let Some(v) = n.vlan()? {
        p.print("vlan", "vlan {} ", v);
    }
    if let Some(d) = n.dst()? {
        p.print("dst", "dst {} ", d);
    }
    if let Some(v) = n.vni()? {
        p.print("vni", "vni {} ", v);
    }
    let flags = u8::from(h.flags());
    p.open_array("flags");
    for (bit, name) in [
        (0x2u8, "self"),
        (0x80, "router"),
        (0x10, "extern_learn"),
        (0x20, "offload"),
        (0x40, "sticky"),
    ] {
        if flags & bit != 0 {
            p.print("", "{} ", name);
        }
    }
    p.close_array();
    if let Some(m) = n.master()? {
        names.print(p, "master", "master {} ", m);
    }
    fdb_state(p, u16::from(h.state()));
    p.nl();
    p.close_object();
    Ok(())
}

/// `fdb get`: asks the kernel for one FDB entry (`kw` from write/bridge.rs) and prints it as
/// `bridge fdb get` does (with `dynamic`, only when it is not permanent).
pub fn fdb_get(
    ipr: &mut IPRoute,
    kw: rtnl_api::Args,
    dynamic: bool,
    a: &ShowArgs,
    p: &mut Printer<'_>,
) -> Result<()> {
    // Nothing is printed (not even `-j`'s brackets) when the kernel refuses, as bridge.
    let answer = ipr.fdb("get", kw)?.into_vec()?;
    let names = Names::load(ipr, a)?;
    p.start();
    for n in &answer {
        let n = n.view();
        if !(dynamic && u16::from(n.header().state()) & 0x80 != 0) {
            print_fdb(p, &n, &names, false)?;
        }
    }
    p.end_all();
    Ok(())
}

/// `fdb show [dev PORT] [br BRIDGE]`: the bridge forwarding database (AF_BRIDGE neighbours).
pub fn show_fdb(ipr: &mut IPRoute, a: &ShowArgs, p: &mut Printer<'_>) -> Result<()> {
    let mut f = NeighFilter::new().family(7);
    if let Some(d) = &a.dev {
        f.ifindex = Some(dev_index(ipr, d)?);
    }
    if let Some(b) = &a.master {
        f.master = Some(dev_index(ipr, b)?);
    }
    if a.raw {
        return each(ipr.get_neighbours(f)?, a, p, |p, n| {
            super::raw_line(p, &n.dyn_message(Style::Raw))
        });
    }
    let names = Names::load(ipr, a)?;
    p.start();
    each(ipr.get_neighbours(f)?, a, p, |p, n| {
        print_fdb(p, &n, &names, a.dev.is_some())
    })?;
    p.end_all();
    Ok(())
}
