//! `qdisc show`, `class show`, `filter show`, printed as `tc` prints them (text and `-j`,
//! `-s` statistics), from the zero-copy view: options of htb, tbf, pfifo/bfifo, pfifo_fast/prio;
//! htb classes' rates and bursts; u32 filters' handles, keys (`match`) and `flowid`.
#![allow(clippy::useless_conversion)]

use rtnl_api::IPRoute;
use rtnl_api::generated::*;
use rtnl_core::spec::Style;
use rtnl_core::{ArgError, Result};

use super::common::{Names, dev_index, each, print_size};
use crate::print::{Hex, Printer, Value};
use rtnl_cli::ShowArgs;

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

/// A handle as tc prints it: `1:10`, `1:`.
fn print_handle(p: &mut Printer<'_>, key: &str, fmt: &str, h: u32) {
    let (maj, min) = (h >> 16, h & 0xffff);
    if min == 0 {
        p.print(key, fmt, format_args!("{maj:x}:"));
    } else {
        p.print(key, fmt, format_args!("{maj:x}:{min:x}"));
    }
}

/// The scheduler clock of /proc/net/psched, as tc reads it: microseconds per tick.
fn tick_in_usec() -> f64 {
    let text = std::fs::read_to_string("/proc/net/psched").unwrap_or_default();
    let v: Vec<u32> = text
        .split_whitespace()
        .filter_map(|w| u32::from_str_radix(w, 16).ok())
        .collect();
    match v[..] {
        [t2us, us2t, clock_res, ..] if us2t != 0 => {
            let t2us = if clock_res == 1_000_000_000 {
                us2t
            } else {
                t2us
            };
            f64::from(t2us) / f64::from(us2t) * (f64::from(clock_res) / 1e6)
        }
        _ => 1.0,
    }
}

/// Bytes sent in `ticks` at `rate` bytes/s (tc's `tc_calc_xmitsize`).
fn xmitsize(rate: u64, ticks: u32, tick: f64) -> u32 {
    (rate as f64 * (f64::from(ticks) / tick) / 1e6) as u32
}

/// A rate as tc prints it (`1Mbit`, `1500Kbit`); JSON gets bytes/s.
fn print_rate(p: &mut Printer<'_>, key: &str, fmt: &str, bytes: u64) {
    if p.is_json() {
        return p.json(key, bytes);
    }
    let units = ["", "K", "M", "G", "T"];
    let mut r = bytes * 8;
    let mut i = 0;
    while i < units.len() - 1 && r >= 1000 && (r.is_multiple_of(1000) || r >= 1_000_000) {
        r /= 1000;
        i += 1;
    }
    p.text(fmt, format_args!("{r}{}bit", units[i]));
}

/// A time in microseconds as tc prints it (`400ms`, `1.5s`, `20us`); JSON gets the number.
fn print_time(p: &mut Printer<'_>, key: &str, fmt: &str, us: f64) {
    if p.is_json() {
        return p.json(key, us.max(0.0) as u64);
    }
    let r = |x: f64| (x * 10.0).round() / 10.0;
    if us >= 1e6 {
        p.text(fmt, format_args!("{}s", r(us / 1e6)));
    } else if us >= 1e3 {
        p.text(fmt, format_args!("{}ms", r(us / 1e3)));
    } else {
        p.text(fmt, format_args!("{}us", us.max(0.0) as u64));
    }
}

/// The options of a qdisc or class, as tc's plugins print them (kinds tc shows no options
/// for, and kinds not known here, print an empty `options` object). A class's options are
/// fields of the class itself in JSON, as newer tc's print_class prints them (tc 6.1 prints
/// classes as text only).
fn options(p: &mut Printer<'_>, t: &TcMsg<'_>, obj: TcObject, tick: f64) -> Result<()> {
    let nest = obj != TcObject::Class;
    if nest {
        p.open_object("options");
    }
    match t.options()? {
        Some(TcOptions::Htb(h)) if obj == TcObject::Class => {
            if let Some(o) = h.parms()? {
                let rate = h.rate64()?.unwrap_or(u64::from(o.rate.rate()));
                let ceil = h.ceil64()?.unwrap_or(u64::from(o.ceil.rate()));
                // An inner class (level > 0) has no priority of its own (q_htb.c).
                if o.level() == 0 {
                    p.print("prio", "prio {} ", o.prio());
                }
                print_rate(p, "rate", "rate {} ", rate);
                print_rate(p, "ceil", "ceil {} ", ceil);
                print_size(p, "burst", "burst {} ", xmitsize(rate, o.buffer(), tick));
                print_size(p, "cburst", "cburst {} ", xmitsize(ceil, o.cbuffer(), tick));
            }
        }
        Some(TcOptions::Htb(h)) => {
            if let Some(g) = h.init()? {
                p.print("r2q", "r2q {}", g.rate2quantum());
                p.print("default", " default {}", Hex(g.defcls().into()));
                p.print(
                    "direct_packets_stat",
                    " direct_packets_stat {}",
                    g.direct_pkts(),
                );
            }
            if let Some(q) = h.direct_qlen()? {
                p.print("direct_qlen", " direct_qlen {}", q);
            }
        }
        Some(TcOptions::Tbf(tb)) => {
            if let Some(o) = tb.parms()? {
                let rate = tb.rate64()?.unwrap_or(u64::from(o.rate.rate()));
                print_rate(p, "rate", "rate {} ", rate);
                let burst = xmitsize(rate, o.buffer(), tick);
                print_size(p, "burst", "burst {} ", burst);
                if rate > 0 {
                    let lat =
                        1e6 * (f64::from(o.limit()) / rate as f64) - f64::from(o.buffer()) / tick;
                    print_time(p, "lat", "lat {} ", lat);
                }
            }
        }
        Some(TcOptions::Pfifo(f)) => p.print("limit", "limit {}p", f.limit()),
        Some(TcOptions::Bfifo(f)) => {
            p.lit("limit ");
            print_size(p, "limit", "{}", f.limit());
        }
        Some(TcOptions::PfifoFast(o) | TcOptions::Prio(o)) => {
            p.print("bands", "bands {} ", o.bands());
            p.open_array("priomap");
            p.lit("priomap");
            for b in o.priomap {
                p.print("", " {}", b);
            }
            p.close_array();
            p.json("multiqueue", false);
        }
        _ => {}
    }
    if nest {
        p.close_object();
    }
    Ok(())
}

/// `-s`: ` Sent B bytes P pkt (dropped D, overlimits O requeues R) ` / ` backlog Bb Qp requeues R`.
fn stats(p: &mut Printer<'_>, t: &TcMsg<'_>) -> Result<()> {
    let (mut bytes, mut packets) = (0u64, 0u32);
    let (mut drops, mut over, mut requeues, mut backlog, mut qlen) = (0, 0, 0, 0, 0);
    if let Some(s2) = t.stats2()? {
        if let Some(b) = s2.basic()? {
            (bytes, packets) = (b.bytes_attr(), b.packets());
        }
        if let Some(q) = s2.queue()? {
            (drops, over, requeues, backlog, qlen) = (
                q.drops(),
                q.overlimits(),
                q.requeues(),
                q.backlog(),
                q.qlen(),
            );
        }
    } else if let Some(s) = t.stats()? {
        (bytes, packets, drops, over, backlog, qlen) = (
            s.bytes_attr(),
            s.packets(),
            s.drops(),
            s.overlimits(),
            s.backlog(),
            s.qlen(),
        );
    }
    p.lit("\n");
    p.print("bytes", " Sent {} bytes", bytes);
    p.print("packets", " {} pkt", packets);
    p.print("drops", " (dropped {}", drops);
    p.print("overlimits", ", overlimits {}", over);
    p.print("requeues", " requeues {}) ", requeues);
    p.lit("\n backlog ");
    print_size(p, "backlog", "{}", backlog);
    p.print("qlen", " {}p", qlen);
    p.text(" requeues {}", requeues);
    if let Some(TcXstats::Htb(x)) = t.xstats()? {
        p.print("lended", "\n lended: {}", x.lends());
        p.print("borrowed", " borrowed: {}", x.borrows());
        p.print("giants", " giants: {}", x.giants());
        p.print("tokens", "\n tokens: {}", x.tokens());
        p.print("ctokens", " ctokens: {}\n", x.ctokens());
    }
    Ok(())
}

/// tc's name of a filter's protocol.
fn print_protocol(p: &mut Printer<'_>, proto: u16) {
    let name = match proto {
        0x0800 => "ip",
        0x86dd => "ipv6",
        0x0003 => "all",
        0x0806 => "arp",
        0x8100 => "802.1Q",
        0x88a8 => "802.1ad",
        p_ => return p.print("protocol", "protocol {} ", format_args!("[{p_:04x}]")),
    };
    p.print("protocol", "protocol {} ", name);
}

/// A u32 handle: `800:`, `800::800`, `800:1:`.
struct U32Handle(u32);

impl Value for U32Handle {
    fn text(&self, out: &mut Vec<u8>) {
        use std::io::Write;
        let h = self.0;
        let (ht, hash, node) = (h >> 20, (h >> 12) & 0xff, h & 0xfff);
        if ht != 0 {
            let _ = write!(out, "{ht:x}:");
        }
        if hash != 0 {
            let _ = write!(out, "{hash:x}");
        }
        if hash != 0 || node != 0 {
            out.push(b':');
        }
        if node != 0 {
            let _ = write!(out, "{node:x}");
        }
    }
}

/// u32's options: handle, order, divisor or key, flowid, hw flags, match keys.
fn u32_options(
    p: &mut Printer<'_>,
    u: &TcU32Attrs<'_>,
    handle: u32,
    names: &Names,
    stats: bool,
) -> Result<()> {
    p.print("fh", "fh {} ", U32Handle(handle));
    if handle & 0xfff != 0 {
        p.print("order", "order {} ", handle & 0xfff);
    }
    let sel = u.sel()?;
    if let Some(d) = u.divisor()? {
        p.print("ht_divisor", "ht divisor {} ", d);
    } else if let Some(h) = u.hash()? {
        p.print("key_ht", "key ht {} ", format_args!("{:x}", h >> 20));
        p.print("bkt", "bkt {} ", format_args!("{:x}", (h >> 12) & 0xff));
    }
    if let Some(c) = u.classid()? {
        let terminal = sel.is_some_and(|(s, _)| s.flags & 1 != 0);
        p.text("{}", if terminal { "*" } else { "" });
        print_handle(p, "flowid", "flowid {} ", c);
    } else if sel.is_some_and(|(s, _)| s.flags & 1 != 0) {
        p.lit("terminal flowid ");
    }
    if let Some(l) = u.link()? {
        p.print("link", "link {} ", format_args!("{:x}:", l >> 20));
    }
    if let Some(f) = u.flags()? {
        if f & 1 != 0 {
            p.flag("skip_hw", "skip_hw ");
        }
        if f & 2 != 0 {
            p.flag("skip_sw", "skip_sw ");
        }
        if f & 4 != 0 {
            p.flag("in_hw", "in_hw ");
        } else {
            p.flag("not_in_hw", "not_in_hw ");
        }
    }
    if let Some((_, keys)) = sel {
        for k in keys {
            p.lit("\n  ");
            p.open_object("match");
            p.json("value", format_args!("{:x}", k.val.get()));
            p.text("match {}", format_args!("{:08x}", k.val.get()));
            p.json("mask", format_args!("{:x}", k.mask.get()));
            p.text("/{}", format_args!("{:08x}", k.mask.get()));
            p.json("offmask", "");
            p.print("off", " at {}", k.off.get());
            p.close_object();
        }
    }
    // TCA_U32_ACT: the filter's actions, as tc_print_action prints bound ones.
    if let Some(a) = u.raw_attrs().flatten().find(|a| a.id == 7) {
        super::tc_action::bound_actions(p, a.payload, names, stats)?;
    }
    Ok(())
}

/// One qdisc, class or filter, as tc prints it.
fn print_tc(
    p: &mut Printer<'_>,
    t: &TcMsg<'_>,
    obj: TcObject,
    names: &Names,
    look: (bool, u8, f64, Option<u32>),
) -> Result<()> {
    let (no_dev, stats_level, tick, asked_parent) = look;
    let h = t.header();
    let kind = t.kind()?.unwrap_or("");
    let parent = h.parent();
    p.open_object("");
    match obj {
        TcObject::Qdisc => {
            p.print("kind", "qdisc {} ", kind);
            print_handle(p, "handle", "{} ", h.handle());
        }
        TcObject::Class => {
            p.print("class", "class {} ", kind);
            print_handle(p, "handle", "{} ", h.handle());
        }
        TcObject::Filter => p.lit("filter "),
    }
    if !no_dev {
        names.print(p, "dev", "dev {} ", h.ifindex() as u32);
    }
    if obj == TcObject::Filter {
        // tc_filter.c: the parent asked for is not repeated; clsact's are words.
        match parent {
            _ if asked_parent == Some(parent) => {}
            0xffff_ffff => p.flag("root", "root "),
            0xffff_fff2 => p.flag("ingress", "ingress "),
            0xffff_fff3 => p.flag("egress", "egress "),
            _ => print_handle(p, "parent", "parent {} ", parent),
        }
    } else if parent == 0xffff_ffff {
        p.flag("root", "root ");
    } else if obj != TcObject::Qdisc || parent != 0 {
        print_handle(p, "parent", "parent {} ", parent);
    }
    if obj == TcObject::Qdisc && h.info() != 1 {
        p.print("refcnt", "refcnt {} ", h.info());
    }
    if obj == TcObject::Class && h.info() != 0 {
        // The class's leaf qdisc: `leaf 10: `, JSON "0x10" (tc's print_0xhex).
        p.text("leaf {}: ", format_args!("{:x}", h.info() >> 16));
        p.json("leaf", Hex((h.info() >> 16).into()));
    }
    if obj == TcObject::Filter {
        let info = h.info();
        print_protocol(p, u16::from_be((info & 0xffff) as u16));
        p.print("pref", "pref {} ", info >> 16);
        p.print("kind", "{} ", kind);
        if let Some(c) = t.chain()? {
            p.print("chain", "chain {} ", c);
        }
        if h.handle() != 0 {
            p.open_object("options");
            match t.options()? {
                Some(TcOptions::U32(u)) => u32_options(p, &u, h.handle(), names, stats_level > 0)?,
                _ => print_handle(p, "fh", "fh {} ", h.handle()),
            }
            p.close_object();
        }
    } else {
        options(p, t, obj, tick)?;
    }
    if stats_level > 0 && obj == TcObject::Qdisc {
        stats(p, t)?;
    } else if stats_level > 0 && obj == TcObject::Class {
        // Newer tc's print_class: the statistics under "stats".
        p.open_object("stats");
        stats(p, t)?;
        p.close_object();
    }
    p.nl();
    p.close_object();
    Ok(())
}

/// `qdisc show [dev NAME]`, `class show dev NAME`, `filter show dev NAME [parent H]`.
pub fn show(ipr: &mut IPRoute, a: &ShowArgs, p: &mut Printer<'_>, obj: TcObject) -> Result<()> {
    let ifindex = match &a.dev {
        Some(d) => dev_index(ipr, d)?,
        None if obj == TcObject::Qdisc => 0,
        None => return Err(ArgError::new("dev", "class and filter show need dev NAME").into()),
    };
    let names = if a.raw {
        Names::default()
    } else {
        Names::load(ipr, a)?
    };
    // The kernel dumps every device's qdiscs: keep only the one asked for, as tc does.
    let dump = match obj {
        TcObject::Qdisc => ipr.get_qdiscs(ifindex)?,
        TcObject::Class => ipr.get_classes(ifindex)?,
        TcObject::Filter => ipr.get_filters(ifindex, a.parent.unwrap_or(0))?,
    }
    .filter(move |t| ifindex == 0 || t.header().ifindex() as u32 == ifindex);
    if a.raw {
        return each(dump, a, p, |p, t| {
            super::raw_line(p, &t.dyn_message(Style::Raw))
        });
    }
    let look = (a.dev.is_some(), a.stats, tick_in_usec(), a.parent);
    p.start();
    each(dump, a, p, |p, t| print_tc(p, &t, obj, &names, look))?;
    p.end_all();
    Ok(())
}
