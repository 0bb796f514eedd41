//! `ntable show [dev NAME]`: neighbour tables (ARP, ND), their thresholds, statistics and
//! per-device parameters. Text as `ip ntable` starts its lines; `-j` prints each message as data
//! with the schema's names (`name`, `thresh1`, `config`, `stats`, `parms` ...).
#![allow(clippy::useless_conversion)]

use rtnl_api::IPRoute;
use rtnl_api::generated::*;
use rtnl_core::Result;
use rtnl_core::spec::Style;

use super::common::{Names, dev_index, each, family_name, io};
use crate::print::Printer;
use rtnl_cli::ShowArgs;

/// `ntable show [dev NAME]`.
pub fn show(ipr: &mut IPRoute, a: &ShowArgs, p: &mut Printer<'_>) -> Result<()> {
    let ifindex = match &a.dev {
        Some(d) => Some(dev_index(ipr, d)?),
        None => None,
    };
    let keep = move |t: &NtableMsg<'_>| -> bool {
        ifindex.is_none_or(|i| {
            t.parms()
                .ok()
                .flatten()
                .and_then(|p| p.ifindex().ok().flatten())
                == Some(i)
        })
    };
    let dump = ipr.get_neighbour_tables(a.family)?.filter(keep);
    if a.raw {
        return each(dump, a, p, |p, t| {
            super::raw_line(p, &t.dyn_message(Style::Raw))
        });
    }
    if a.json {
        p.start();
        each(dump, a, p, |p, t| {
            p.json_serde("", &t.dyn_message(Style::Map)).map_err(io)
        })?;
        p.end_all();
        return Ok(());
    }
    drop(dump);
    let names = Names::load(ipr, a)?;
    let dump = ipr.get_neighbour_tables(a.family)?.filter(keep);
    each(dump, a, p, |p, t| {
        let fam = u8::from(t.header().family());
        p.text("{} ", if fam == 0 { "unspec" } else { family_name(fam) });
        p.text("{}", t.name()?.unwrap_or("?"));
        if let Some(pa) = t.parms()? {
            match pa.ifindex()? {
                Some(i) => names.text(p, " dev {}", i),
                None => p.lit(" dev *"),
            }
            if let Some(q) = pa.queue_len()? {
                p.text(" queue {}", q);
            }
            if let Some(r) = pa.reachable_time()? {
                p.text(" reachable {}", r);
            }
        }
        if let Some(t1) = t.thresh1()? {
            p.text(" thresh1 {}", t1);
        }
        p.nl();
        Ok(())
    })
}
