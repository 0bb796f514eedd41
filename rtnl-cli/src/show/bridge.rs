//! The bridge tool's objects: `mdb show`, `vlan show`, `vni show` and `brlink show` (`bridge
//! link show`), printed as `bridge` prints them (text and `-j`), from the zero-copy views.
#![allow(clippy::useless_conversion)]

use rtnl_api::generated::*;
use rtnl_api::{IPRoute, LinkFilter};
use rtnl_core::spec::Style;
use rtnl_core::{Error, Result};

use super::common::{Names, dev_index, each};
use crate::print::Printer;
use rtnl_cli::ShowArgs;

fn ifindex_of(ipr: &mut IPRoute, a: &ShowArgs) -> Result<u32> {
    match &a.dev {
        Some(d) => dev_index(ipr, d),
        None => Ok(0),
    }
}

/// The group of an MDB entry as `bridge mdb` prints it: IPv4, IPv6, or a MAC (proto 0).
fn print_group(p: &mut Printer<'_>, e: &BrMdbEntry) {
    match e.proto() {
        0x0800 => p.print(
            "grp",
            " grp {}",
            std::net::Ipv4Addr::new(e.addr[0], e.addr[1], e.addr[2], e.addr[3]),
        ),
        0x86dd => p.print("grp", " grp {}", std::net::Ipv6Addr::from(e.addr)),
        _ => {
            let m = &e.addr;
            p.print(
                "grp",
                " grp {}",
                format_args!(
                    "{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}",
                    m[0], m[1], m[2], m[3], m[4], m[5]
                ),
            )
        }
    }
}

/// iproute2's `format_timer`: centiseconds as `S.CC`, the seconds in 4 columns when
/// aligned (a string in JSON too).
fn print_timer(p: &mut Printer<'_>, key: &str, fmt: &str, t: u32, align: bool) {
    let (s, cs) = (t / 100, t % 100);
    match align {
        true => p.print(key, fmt, format_args!("{s:4}.{cs:02}")),
        false => p.print(key, fmt, format_args!("{s}.{cs:02}")),
    }
}

/// `-d`'s part of an MDB entry: filter mode, source list (each `address/timer`), protocol.
fn print_mdb_details(p: &mut Printer<'_>, attrs: &MdbEattrAttrs<'_>) -> Result<()> {
    if let Some(m) = attrs.group_mode()? {
        let mode = match m {
            McastFilterMode::Include => "include",
            _ => "exclude",
        };
        p.print("filter_mode", " filter_mode {}", mode);
    }
    if let Some(list) = attrs.src_list()? {
        p.open_array("source_list");
        p.lit(" source_list");
        let mut sep = " ";
        for src in list.entry() {
            let src = src?;
            let (Some(a), Some(t)) = (src.address()?, src.timer()?) else {
                continue;
            };
            p.open_object("");
            p.text("{}", sep);
            p.print("address", "{}", a);
            print_timer(p, "timer", "/{}", t, false);
            p.close_object();
            sep = ",";
        }
        p.close_array();
    }
    if let Some(pr) = attrs.rtprot()? {
        super::common::print_proto(p, "protocol", " proto {} ", u8::from(pr));
    }
    Ok(())
}

/// One MDB entry as bridge's `print_mdb_entry`: `dev BR port P grp G [src S] STATE [-d
/// details] [flags] [vid V] [-s timer]`.
fn print_mdb_entry(
    p: &mut Printer<'_>,
    names: &Names,
    a: &ShowArgs,
    br: u32,
    e: &BrMdbEntry,
    attrs: &MdbEattrAttrs<'_>,
) -> Result<()> {
    p.open_object("");
    p.json("index", br);
    names.print(p, "dev", "dev {}", br);
    names.print(p, "port", " port {}", e.ifindex());
    print_group(p, e);
    if let Some(src) = attrs.source()? {
        p.print("src", " src {}", src);
    }
    let state = match e.state() {
        MdbState::Permanent => "permanent",
        _ => "temp",
    };
    p.print("state", " {}", state);
    if a.details {
        print_mdb_details(p, attrs)?;
    }
    p.open_array("flags");
    let f = u8::from(e.flags());
    for (bit, n) in [
        (1u8, "offload"),
        (2, "fast_leave"),
        (4, "added_by_star_ex"),
        (8, "blocked"),
    ] {
        if f & bit != 0 {
            p.print("", " {}", n);
        }
    }
    p.close_array();
    if e.vid() != 0 {
        p.print("vid", " vid {}", e.vid());
    }
    if let (true, Some(t)) = (a.stats > 0, attrs.timer()?) {
        print_timer(p, "timer", " {}", t, true);
    }
    p.nl();
    p.close_object();
    Ok(())
}

/// `mdb show [dev BRIDGE]` (`-d`: filter mode, sources, protocol; `-s`: timers): `-j` is
/// `bridge -j mdb show`'s shape, one object whose `mdb` list holds every entry (`index`,
/// `dev`, `port`, `grp`, `src`, `state`, `flags`, `vid` when set).
pub fn mdb(ipr: &mut IPRoute, a: &ShowArgs, p: &mut Printer<'_>) -> Result<()> {
    let ifindex = ifindex_of(ipr, a)?;
    if a.raw {
        return each(ipr.get_mdb(ifindex)?, a, p, |p, m| {
            super::raw_line(p, &m.dyn_message(Style::Raw))
        });
    }
    let names = Names::load(ipr, a)?;
    p.start();
    p.open_object("");
    p.open_array("mdb");
    each(ipr.get_mdb(ifindex)?, a, p, |p, m| {
        let br = m.header().ifindex();
        let Some(mdb) = m.mdb()? else {
            return Ok(());
        };
        for entry in mdb.entry() {
            for info in entry?.info() {
                let (e, attrs) = info?;
                print_mdb_entry(p, &names, a, br, e, &attrs)?;
            }
        }
        Ok(())
    })?;
    p.close_array();
    p.open_object("router");
    p.close_object();
    p.close_object();
    p.end_all();
    Ok(())
}

/// Streams per-device lists (`vni`, `vlan`): a device's entries may come in several
/// consecutive messages; they go under one `{"ifname", KEY: [...]}` object, as bridge does.
struct PerDev {
    open: Option<u32>,
}

impl PerDev {
    fn enter(&mut self, p: &mut Printer<'_>, names: &Names, dev: u32, key: &str) {
        if self.open == Some(dev) {
            return;
        }
        self.close(p);
        p.open_object("");
        if p.is_json() {
            names.print(p, "ifname", "", dev);
        }
        p.open_array(key);
        self.open = Some(dev);
    }

    fn close(&mut self, p: &mut Printer<'_>) {
        if self.open.take().is_some() {
            p.close_array();
            p.close_object();
        }
    }
}

/// A device name as bridge's `%-16s  ` (text), `"ifname"` (JSON).
fn print_ifname_col(p: &mut Printer<'_>, names: &Names, dev: u32) {
    match names.get(dev) {
        Some(n) => {
            p.json("ifname", n);
            p.text("{}  ", format_args!("{n:<16}"));
        }
        None => {
            p.json("ifname", format_args!("if{dev}"));
            p.text("{}  ", format_args!("if{dev:<14}"));
        }
    }
}

/// One VXLAN_VNIFILTER_ENTRY as bridge's `print_vni`: ` VNI` (or ` START-END`) padded to
/// 14 columns, the group or remote, `-s`'s RX/TX lines.
fn print_vni_entry(p: &mut Printer<'_>, e: &VniEntryAttrs<'_>) -> Result<()> {
    let start = e.start()?.unwrap_or(0);
    match e.end()?.unwrap_or(0) {
        0 => {
            p.json("vni", start);
            p.text(" {}", format_args!("{start:<14}"));
        }
        end => {
            p.print("vni", " {}", start);
            if end != start {
                p.json("vniEnd", end);
                p.text("-{} ", format_args!("{end:<14}"));
            }
        }
    }
    let group: Option<std::net::IpAddr> = match (e.group()?, e.group6()?) {
        (Some(g), _) => Some(g.into()).filter(|g: &std::net::IpAddr| !g.is_unspecified()),
        (_, Some(g)) => Some(g.into()).filter(|g: &std::net::IpAddr| !g.is_unspecified()),
        _ => None,
    };
    if let Some(g) = group {
        let key = if g.is_multicast() { "group" } else { "remote" };
        p.print(key, " {}", g);
    }
    if let Some(st) = e.stats()? {
        p.open_object("stats");
        for (dir, list) in [
            (
                "RX: ",
                [
                    ("rx_bytes", "bytes {} ", st.rx_bytes()?),
                    ("rx_pkts", "pkts {} ", st.rx_pkts()?),
                    ("rx_drops", "drops {} ", st.rx_drops()?),
                    ("rx_errors", "errors {} ", st.rx_errors()?),
                ],
            ),
            (
                "TX: ",
                [
                    ("tx_bytes", "bytes {} ", st.tx_bytes()?),
                    ("tx_pkts", "pkts {} ", st.tx_pkts()?),
                    ("tx_drops", "drops {} ", st.tx_drops()?),
                    ("tx_errors", "errors {} ", st.tx_errors()?),
                ],
            ),
        ] {
            p.sl();
            p.lit("                   ");
            p.lit(dir);
            for (k, fmt, v) in list {
                if let Some(v) = v {
                    p.print(k, fmt, v);
                }
            }
        }
        p.close_object();
    }
    Ok(())
}

/// `vni show [dev VXLAN]` (`-s`: counters): the VNI filter of VXLAN devices created `external
/// vnifilter`, as `bridge vni show` prints it: a header line, then per message the device's
/// column and one line per entry, and an empty line (text); one `{"ifname", "vnis": [...]}`
/// object per message (`-j`).
pub fn vni(ipr: &mut IPRoute, a: &ShowArgs, p: &mut Printer<'_>) -> Result<()> {
    let ifindex = ifindex_of(ipr, a)?;
    let stats = a.stats > 0;
    if a.raw {
        return each(ipr.get_vnis(ifindex, stats)?, a, p, |p, m| {
            super::raw_line(p, &m.dyn_message(Style::Raw))
        });
    }
    let names = Names::load(ipr, a)?;
    p.start();
    p.text("{}\n", "dev               vni              group/remote   ");
    each(ipr.get_vnis(ifindex, stats)?, a, p, |p, m| {
        let dev = m.header().ifindex();
        let mut first = true;
        for e in m.entry() {
            let e = e?;
            if first {
                p.open_object("");
                print_ifname_col(p, &names, dev);
                p.open_array("vnis");
                first = false;
            } else {
                p.lit("                  ");
            }
            p.open_object("");
            print_vni_entry(p, &e)?;
            p.close_object();
            p.sl();
        }
        if !first {
            p.close_array();
            p.close_object();
        }
        p.sl();
        Ok(())
    })?;
    p.end_all();
    Ok(())
}

/// `vlan show [dev NAME]`: the bridge VLAN database (RTM_GETVLAN), `[{"ifname", "vlans":
/// [{"vlan", "vlanEnd", "flags"}]}]` as `bridge -j vlan show`; a kernel without bridge VLAN
/// filtering lists nothing.
pub fn vlan(ipr: &mut IPRoute, a: &ShowArgs, p: &mut Printer<'_>) -> Result<()> {
    let ifindex = ifindex_of(ipr, a)?;
    let r = if a.raw {
        each(ipr.get_vlandb(ifindex, VlandbDumpf(0))?, a, p, |p, m| {
            super::raw_line(p, &m.dyn_message(Style::Raw))
        })
    } else {
        let names = Names::load(ipr, a)?;
        let mut per = PerDev { open: None };
        p.start();
        let r = each(ipr.get_vlandb(ifindex, VlandbDumpf(0))?, a, p, |p, m| {
            let dev = m.header().ifindex();
            per.enter(p, &names, dev, "vlans");
            for e in m.entry() {
                let e = e?;
                let Some(info) = e.info()? else { continue };
                p.open_object("");
                names.text(p, "{} ", dev);
                p.print("vlan", "vlan {}", info.vid());
                if let Some(end) = e.range()?.filter(|end| *end != info.vid()) {
                    p.print("vlanEnd", "-{}", end);
                }
                let f = info.flags().0;
                if f & 6 != 0 {
                    p.open_array("flags");
                    if f & 2 != 0 {
                        p.print("", " {}", "PVID");
                    }
                    if f & 4 != 0 {
                        p.print("", " {}", "Egress Untagged");
                    }
                    p.close_array();
                }
                p.nl();
                p.close_object();
            }
            Ok(())
        });
        per.close(p);
        p.end_all();
        r
    };
    match r {
        // No bridge VLAN database on this kernel: nothing to list, as `bridge vlan show`.
        Err(Error::Kernel(k)) if k.errno == 95 => {
            p.reset();
            if !a.raw {
                p.start();
                p.end_all();
            }
            Ok(())
        }
        r => r,
    }
}

const BR_STATES: [&str; 5] = [
    "disabled",
    "listening",
    "learning",
    "forwarding",
    "blocking",
];

/// `brlink show [dev PORT]`: bridge ports as `bridge link show` prints them.
pub fn brlink(ipr: &mut IPRoute, a: &ShowArgs, p: &mut Printer<'_>) -> Result<()> {
    let mut f = LinkFilter::new();
    f.family = 7;
    let want = ifindex_of(ipr, a)?;
    if a.raw {
        return each(ipr.get_links(f)?, a, p, |p, l| {
            super::raw_line(p, &l.dyn_message(Style::Raw))
        });
    }
    let names = Names::load(ipr, a)?;
    p.start();
    each(ipr.get_links(f)?, a, p, |p, l| {
        let h = l.header();
        if want != 0 && h.index() as u32 != want {
            return Ok(());
        }
        p.open_object("");
        p.print("ifindex", "{}: ", h.index());
        let name = l.ifname()?.unwrap_or("");
        match l.link()?.filter(|i| *i != h.index() as u32) {
            Some(i) => {
                names.print(p, "link", "", i);
                p.print("ifname", "{}", name);
                names.text(p, "@{}", i);
            }
            None => p.print("ifname", "{}", name),
        }
        p.lit(": ");
        let flags = u32::from(h.flags());
        super::link::print_flags(p, flags, super::link::mdown(&l, &names)?);
        p.lit(" ");
        if let Some(m) = l.mtu()? {
            p.print("mtu", "mtu {} ", m);
        }
        if let Some(m) = l.master()? {
            names.print(p, "master", "master {} ", m);
        }
        if let Some(LinkProtinfo::Bridge(b)) = l.protinfo()? {
            if let Some(s) = b.state()? {
                let s = u8::from(s);
                match BR_STATES.get(s as usize) {
                    Some(n) => p.print("state", "state {} ", *n),
                    None => p.print("state", "state {} ", s),
                }
            }
            if let Some(pr) = b.priority()? {
                p.print("priority", "priority {} ", pr);
            }
            if let Some(c) = b.cost()? {
                p.print("cost", "cost {} ", c);
            }
        }
        p.nl();
        p.close_object();
        Ok(())
    })?;
    p.end_all();
    Ok(())
}
