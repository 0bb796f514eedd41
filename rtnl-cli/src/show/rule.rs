//! `rule show`, printed as `ip rule show` prints it (text and `-j`), from the zero-copy view.
#![allow(clippy::useless_conversion)]

use rtnl_api::IPRoute;
use rtnl_api::generated::*;
use rtnl_core::Result;
use rtnl_core::spec::Style;

use super::common::{each, print_table};
use crate::print::{Hex, Printer};
use rtnl_cli::ShowArgs;

/// One rule: `PRIO:\tfrom SRC [to DST] [fwmark M[/K]] [iif I] [oif O] lookup T | goto N | ...`.
pub fn print_rule(p: &mut Printer<'_>, r: &RuleMsg<'_>) -> Result<()> {
    let h = r.header();
    p.open_object("");
    p.print("priority", "{}:\t", r.priority()?.unwrap_or(0));
    if u32::from(h.flags()) & 2 != 0 {
        p.null("not", "not ");
    }
    match r.src()? {
        Some(s) => {
            p.print("src", "from {}", s);
            let full = if s.is_ipv4() { 32 } else { 128 };
            if h.src_len() != full {
                p.print("srclen", "/{}", h.src_len());
            }
        }
        None => p.print("src", "from {}", "all"),
    }
    if let Some(d) = r.dst()? {
        p.print("dst", " to {}", d);
        let full = if d.is_ipv4() { 32 } else { 128 };
        if h.dst_len() != full {
            p.print("dstlen", "/{}", h.dst_len());
        }
    }
    if let Some(m) = r.fwmark()? {
        p.print("fwmark", " fwmark {}", Hex(m.into()));
        if let Some(k) = r.fwmask()?
            && k != u32::MAX
        {
            p.print("fwmask", "/{}", Hex(k.into()));
        }
    }
    if let Some(i) = r.iifname()? {
        p.print("iif", " iif {}", i);
    }
    if let Some(o) = r.oifname()? {
        p.print("oif", " oif {}", o);
    }
    let table = r.table()?.unwrap_or(u8::from(h.table()) as u32);
    match FrAct::from(u8::from(h.action())) {
        FrAct::ToTbl => print_table(p, "table", " lookup {}", table),
        FrAct::Goto => {
            p.print("goto", " goto {}", r.goto()?.unwrap_or(0));
        }
        FrAct::Nop => p.print("action", " {}", "nop"),
        other => p.print("action", " {}", other.name().unwrap_or("unknown")),
    }
    p.nl();
    p.close_object();
    Ok(())
}

/// `rule show [dev|iif NAME]`: IPv4 unless -6, as ip.
pub fn show(ipr: &mut IPRoute, a: &ShowArgs, p: &mut Printer<'_>) -> Result<()> {
    let family = if a.family == 0 { 2 } else { a.family };
    // `dev NAME` (ip's alias of `iif NAME`) keeps the rules whose FRA_IIFNAME is NAME.
    let dev = a.dev.clone();
    let rules = ipr.get_rules(family)?.filter(move |r| match &dev {
        Some(d) => matches!(r.iifname(), Ok(Some(n)) if n == d),
        None => true,
    });
    if a.raw {
        return each(rules, a, p, |p, r| {
            super::raw_line(p, &r.dyn_message(Style::Raw))
        });
    }
    p.start();
    each(rules, a, p, |p, r| print_rule(p, &r))?;
    p.end_all();
    Ok(())
}
