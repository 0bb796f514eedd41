//! tc's `actions get|list` and `chain get|show`, printed as tc prints them (tc/m_action.c's
//! `print_action`, m_mirred.c, m_gact.c; tc_filter.c's `print_filter` for chains), text and
//! `-j` from the same printer calls, straight from the kernel's answer.
#![allow(clippy::useless_conversion)]

use rtnl_api::IPRoute;
use rtnl_api::generated::*;
use rtnl_api::tc::TcActionMsg;
use rtnl_cli::ShowArgs;
use rtnl_cli::write::tc::TcCall;
use rtnl_cli::write::tc_action::{ActionCall, failure};
use rtnl_cli::write::{Failure, kernel_text};
use rtnl_core::Result;
use rtnl_core::spec::Ctx;

use super::common::Names;
use crate::print::Printer;

/// TC_ACT_EXT opcodes (pkt_cls.h): the top nibble of a verdict.
const TC_ACT_JUMP: i32 = 0x1000_0000;
const TC_ACT_GOTO_CHAIN: i32 = 0x2000_0000;
const TC_ACT_EXT_OPCODE_MAX: i32 = 0xf000_0000_u32 as i32;

/// USER_HZ: the kernel reports an action's times in clock ticks of 1/100 s.
const USER_HZ: u64 = 100;

/// tc's `action_n2a`.
fn action_name(a: i32) -> String {
    match a {
        _ if a & TC_ACT_EXT_OPCODE_MAX == TC_ACT_GOTO_CHAIN => "goto".into(),
        _ if a & TC_ACT_EXT_OPCODE_MAX == TC_ACT_JUMP => "jump".into(),
        -1 => "continue".into(),
        0 => "pass".into(),
        1 => "reclassify".into(),
        2 => "drop".into(),
        3 => "pipe".into(),
        4 => "stolen".into(),
        8 => "trap".into(),
        n => n.to_string(),
    }
}

/// tc's `print_action_control`: `PREFIX VERDICT[ chain N| N]SUFFIX`, JSON `control_action`.
fn control(p: &mut Printer<'_>, prefix: &str, a: i32, suffix: &str) {
    p.lit(prefix);
    p.open_object("control_action");
    p.print("type", "{}", action_name(a).as_str());
    if a & TC_ACT_EXT_OPCODE_MAX == TC_ACT_GOTO_CHAIN {
        p.print("chain", " chain {}", (a & 0x0fff_ffff) as u32);
    }
    if a & TC_ACT_EXT_OPCODE_MAX == TC_ACT_JUMP {
        p.print("jump", " {}", (a & 0x0fff_ffff) as u32);
    }
    p.close_object();
    p.lit(suffix);
}

/// tc's `print_tm` (with `-s`): the times the kernel gives, in seconds.
fn print_tm(p: &mut Printer<'_>, tm: &TcfT) {
    for (key, fmt, v) in [
        ("installed", " installed {} sec", tm.install()),
        ("last_used", " used {} sec", tm.lastuse()),
        ("first_used", " firstused {} sec", tm.firstuse()),
        ("expires", " expires {} sec", tm.expires()),
    ] {
        if v != 0 {
            p.print(key, fmt, v / USER_HZ);
        }
    }
}

/// `index N ref R bind B` of an action's parms (`sep` before `index`: mirred `\t`, gact `\t `).
fn counts(p: &mut Printer<'_>, sep: &str, index: u32, refcnt: i32, bindcnt: i32) {
    p.lit(sep);
    p.print("index", "index {}", index);
    p.print("ref", " ref {}", refcnt);
    p.print("bind", " bind {}", bindcnt);
}

/// One action's options, as its tc module prints them (mirred, gact; other kinds their name).
fn options(
    p: &mut Printer<'_>,
    kind: &str,
    a: &TcActAttrs<'_>,
    names: &Names,
    stats: bool,
) -> Result<()> {
    p.print("kind", "{} ", kind);
    match a.options()? {
        Some(TcActOptions::Mirred(m)) => {
            let Some(o) = m.parms()? else {
                return Ok(());
            };
            let e = o.eaction.get();
            let (text, act, dir) = match e {
                1 => ("Egress Redirect", "redirect", "egress"),
                2 => ("Egress Mirror", "mirror", "egress"),
                3 => ("Ingress Redirect", "redirect", "ingress"),
                4 => ("Ingress Mirror", "mirror", "ingress"),
                _ => ("unknown", "unknown", "unknown"),
            };
            p.text("({}", text);
            p.json("mirred_action", act);
            p.json("direction", dir);
            let idx = o.ifindex.get();
            match names.get(idx) {
                Some(n) => p.print("to_dev", " to device {})", n),
                None => p.print("to_dev", " to device {})", format_args!("if{idx}")),
            }
            control(p, " ", o.action.get(), "");
            p.sl();
            counts(p, "\t", o.index.get(), o.refcnt.get(), o.bindcnt.get());
            if let (true, Some(tm)) = (stats, m.tm()?) {
                print_tm(p, tm);
            }
            p.sl();
        }
        Some(TcActOptions::Gact(g)) => {
            let Some(o) = g.parms()? else {
                return Ok(());
            };
            control(p, "action ", o.action.get(), "");
            let (ptype, pval, paction) = match g.prob()? {
                Some(pp) => (pp.ptype.get(), pp.pval.get(), pp.paction.get()),
                None => (0, 0, 0),
            };
            p.open_object("prob");
            p.sl();
            let t = match ptype {
                1 => "netrand",
                2 => "determ",
                _ => "none",
            };
            p.print("random_type", "\t random type {}", t);
            control(p, " ", paction, " ");
            p.print("val", "val {}", i32::from(pval));
            p.close_object();
            p.sl();
            counts(p, "\t ", o.index.get(), o.refcnt.get(), o.bindcnt.get());
            if let (true, Some(tm)) = (stats, g.tm()?) {
                print_tm(p, tm);
            }
            p.sl();
        }
        _ => p.sl(),
    }
    Ok(())
}

/// tc's `print_tcstats2_attr` with prefix `\t` (an action's statistics).
fn stats2(p: &mut Printer<'_>, s: &TcStats2Attrs<'_>) -> Result<()> {
    if let Some(b) = s.basic()? {
        let packets = match s.pkt64()? {
            Some(n) if n != 0 => n,
            _ => u64::from(b.packets()),
        };
        p.lit("\t");
        p.print("bytes", "Sent {} bytes", b.bytes_attr());
        p.print("packets", " {} pkt", packets);
    }
    if let Some(q) = s.queue()? {
        p.print("drops", " (dropped {}", q.drops());
        p.print("overlimits", ", overlimits {}", q.overlimits());
        p.print("requeues", " requeues {}) ", q.requeues());
        if s.rate_est()?.is_none() {
            p.sl();
        }
        p.lit("\t");
        p.lit("backlog ");
        super::common::print_size(p, "backlog", "{}", q.backlog());
        p.print("qlen", " {}p", q.qlen());
        p.text(" requeues {}", q.requeues());
    }
    Ok(())
}

/// tc's `print_hw_stats`: `\t[used_]hw_stats immediate|delayed|disabled`.
fn hw_stats(p: &mut Printer<'_>, key: &str, b: rtnl_core::types::Bitfield32) {
    let v = b.value & b.selector;
    p.lit("\t");
    p.lit(key);
    p.open_array(key);
    for (bit, name) in [(1u32, "immediate"), (2, "delayed"), (0, "disabled")] {
        if (v == 0 && bit == 0) || v & bit != 0 {
            p.print("", " {}", name);
        }
    }
    p.close_array();
    p.sl();
}

/// tc's `tc_print_one_action`; `bind` for a filter's action (no skip_hw/skip_sw/in_hw).
fn one_action(
    p: &mut Printer<'_>,
    a: &TcActAttrs<'_>,
    names: &Names,
    stats: bool,
    bind: bool,
) -> Result<()> {
    let Some(kind) = a.kind()? else {
        eprintln!("NULL Action!");
        return Ok(());
    };
    options(p, kind, a, names, stats)?;
    if let (true, Some(s)) = (stats, a.stats()?) {
        p.lit("\tAction statistics:");
        p.sl();
        p.open_object("stats");
        stats2(p, &s)?;
        p.close_object();
        p.sl();
    }
    if let Some(c) = a.cookie()? {
        let hex: String = c.iter().map(|b| format!("{b:02x}")).collect();
        p.print("cookie", "\tcookie {}", hex.as_str());
        p.sl();
    }
    let flags = a.flags()?;
    let in_hw = a.in_hw_count()?;
    if flags.is_some() || in_hw.is_some() {
        let (mut skip_hw, mut newline) = (false, false);
        if let Some(f) = flags {
            for (bit, key) in [(1u32, "no_percpu"), (2, "skip_hw"), (4, "skip_sw")] {
                if f.selector & bit != 0 && (bit == 1 || !bind) {
                    newline = true;
                    let on = f.value & bit != 0;
                    p.json(key, on);
                    p.lit("\t");
                    p.lit(key);
                    skip_hw |= bit == 2 && on;
                }
            }
        }
        if let (Some(n), false) = (in_hw, skip_hw || bind) {
            newline = true;
            if n != 0 {
                p.flag("in_hw", "\tin_hw");
                p.print("in_hw_count", " in_hw_count {}", n);
            } else {
                p.flag("not_in_hw", "\tnot_in_hw");
            }
        }
        if newline {
            p.sl();
        }
    }
    if let Some(b) = a.hw_stats()? {
        hw_stats(p, "hw_stats", b);
    }
    if let Some(b) = a.used_hw_stats()? {
        hw_stats(p, "used_hw_stats", b);
    }
    Ok(())
}

/// tc's `print_action`: one answer (`total acts N`, then each action by its order).
fn print_msg(p: &mut Printer<'_>, m: &TcActionMsg, names: &Names, stats: bool) -> Result<()> {
    let root = m.payload.get(Tcamsg::SIZE..).unwrap_or_default();
    let attrs = TcRootAttrs::new(root, Ctx::default());
    p.open_object("");
    p.print("total acts", "total acts {}", attrs.count()?.unwrap_or(0));
    p.sl();
    p.close_object();
    let Some(tab) = rtnl_core::nla::Attrs::new(root)
        .flatten()
        .find(|a| a.id == 1)
        .map(|a| a.payload)
    else {
        return Ok(());
    };
    p.open_object("");
    action_tab(p, tab, names, stats, false)?;
    p.close_object();
    Ok(())
}

/// A filter's action list (TCA_*_ACT), as tc's `tc_print_action` prints it.
pub(super) fn bound_actions(
    p: &mut Printer<'_>,
    tab: &[u8],
    names: &Names,
    stats: bool,
) -> Result<()> {
    action_tab(p, tab, names, stats, true)
}

/// tc's `tc_dump_action`: the nests of an action table by their type (the order), as tc's
/// parse_rtattr_nested keeps them: sorted, the last of a duplicate winning.
fn action_tab(
    p: &mut Printer<'_>,
    tab: &[u8],
    names: &Names,
    stats: bool,
    bind: bool,
) -> Result<()> {
    let mut acts: Vec<(u16, &[u8])> = rtnl_core::nla::Attrs::new(tab)
        .flatten()
        .map(|a| (a.id, a.payload))
        .collect();
    acts.sort_by_key(|a| a.0);
    acts.reverse();
    acts.dedup_by_key(|a| a.0);
    acts.reverse();
    p.open_array("actions");
    for (order, bytes) in acts {
        p.open_object("");
        p.sl();
        p.print("order", "\taction order {}: ", u32::from(order));
        one_action(
            p,
            &TcActAttrs::new(bytes, Ctx::default()),
            names,
            stats,
            bind,
        )?;
        p.close_object();
    }
    p.close_array();
    Ok(())
}

/// `actions get|list`: the kernel's answer, as tc prints it.
pub fn actions(
    ipr: &mut IPRoute,
    c: ActionCall,
    a: &ShowArgs,
    p: &mut Printer<'_>,
) -> std::result::Result<(), Failure> {
    let cmd = c.cmd;
    let msgs = ipr
        .tc_action(cmd, &c.kind, c.kw)
        .map_err(|e| failure(cmd, &e))?;
    let names = Names::load(ipr, a).map_err(|e| Failure::from_error(&e))?;
    p.start();
    for m in &msgs {
        print_msg(p, m, &names, a.stats > 0).map_err(|e| Failure::from_error(&e))?;
    }
    p.end_all();
    Ok(())
}

/// tc's `print_tc_classid`.
fn classid(h: u32) -> String {
    match (h, h >> 16, h & 0xffff) {
        (0xffff_ffff, _, _) => "root".into(),
        (0, _, _) => "none".into(),
        (_, 0, min) => format!(":{min:x}"),
        (_, maj, 0) => format!("{maj:x}:"),
        (_, maj, min) => format!("{maj:x}:{min:x}"),
    }
}

/// `chain get|show`: the chains, as tc's `print_filter` prints a chain message (`show` leaves
/// out the parent and chain asked for when the answer repeats them, as tc's filters do).
pub fn chains(
    ipr: &mut IPRoute,
    c: TcCall,
    a: &ShowArgs,
    p: &mut Printer<'_>,
) -> std::result::Result<(), Failure> {
    let show = c.cmd == "dump-chain";
    let int = |k: &str| match c.kw.get(k) {
        Some(rtnl_api::Value::Int(v)) => Some(*v as u32),
        _ => None,
    };
    let (want_parent, want_chain) = (int("parent"), int("chain"));
    let msgs = ipr
        .tc(&c.cmd, &c.kind, c.ifindex, c.handle.clone(), c.kw.clone())
        .map_err(|e| {
            let mut f = Failure::from_error(&e);
            if let rtnl_core::Error::Kernel(k) = &e {
                f.msg = format!("{}\nWe have an error talking to the kernel", kernel_text(k));
                f.code = if show { 1 } else { 2 };
            }
            f
        })?;
    let names = Names::load(ipr, a).map_err(|e| Failure::from_error(&e))?;
    p.start();
    for m in &msgs {
        let t = m.view();
        let h = t.header();
        p.open_object("");
        p.lit("chain ");
        let idx = h.ifindex() as u32;
        if c.ifindex == 0 || c.ifindex != idx {
            names.print(p, "dev", "dev {} ", idx);
        }
        let parent = h.parent();
        if !(show && want_parent == Some(parent)) {
            match parent {
                0xffff_ffff => p.flag("root", "root "),
                0xffff_fff2 => p.flag("ingress", "ingress "),
                0xffff_fff3 => p.flag("egress", "egress "),
                _ => p.print("parent", "parent {} ", classid(parent).as_str()),
            }
        }
        if let Some(k) = t.kind().map_err(|e| Failure::from_error(&e.into()))? {
            p.print("kind", "{} ", k);
        }
        if let Some(n) = t.chain().map_err(|e| Failure::from_error(&e.into()))?
            && !(show && want_chain == Some(n))
        {
            p.print("chain", "chain {} ", n);
        }
        p.sl();
        p.close_object();
    }
    p.end_all();
    Ok(())
}
