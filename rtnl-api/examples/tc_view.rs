//! A traffic-control view (`tc qdisc show`): every qdisc of every link, with its handle, parent
//! and kind, and the typed options of the kinds it knows (here: htb's default class, pfifo's limit).
//!
//! ```sh
//! cargo run -p rtnl-api --example tc_view               # this namespace
//! sudo cargo run -p rtnl-api --example tc_view -- blue  # the namespace `ip netns add blue` made
//! ```
//!
//! Read-only: qdiscs, classes and filters are dumped and decoded (39 qdisc kinds, 12
//! classifiers, 21 actions). To add or change them, see `IPRoute::tc` and the `tc_shaper`
//! example.

use std::collections::BTreeMap;

use rtnl_api::generated::TcOptions;
use rtnl_api::{IPRoute, Result};

/// `tc`'s handle notation: `major:minor` in hex, `root`, `ingress`.
fn handle(h: u32) -> String {
    match h {
        0xffff_ffff => "root".into(),
        0xffff_fff1 => "ingress".into(),
        0 => "0:".into(),
        h => format!(
            "{:x}:{}",
            h >> 16,
            match h & 0xffff {
                0 => String::new(),
                m => format!("{m:x}"),
            }
        ),
    }
}

fn main() -> Result<()> {
    let mut ipr = match std::env::args().nth(1) {
        Some(netns) => IPRoute::in_netns(&netns)?,
        None => IPRoute::new()?,
    };
    let mut names = BTreeMap::new();
    ipr.get_links(())?.for_each(|l| {
        names.insert(l.header().index(), l.ifname()?.unwrap_or("?").to_string());
        Ok(())
    })?;

    ipr.get_qdiscs(0)?.for_each(|q| {
        let h = q.header();
        let dev = names.get(&h.ifindex()).map(String::as_str).unwrap_or("?");
        let kind = q.kind()?.unwrap_or("?");
        let mut line = format!(
            "qdisc {kind} {} dev {dev} parent {}",
            handle(h.handle()),
            handle(h.parent())
        );
        // TCA_OPTIONS decodes by TCA_KIND into the kind's own typed view.
        match q.options()? {
            Some(TcOptions::Htb(htb)) => {
                if let Some(glob) = htb.init()? {
                    line += &format!(" default {:#x}", glob.defcls());
                }
            }
            Some(TcOptions::Pfifo(fifo)) => line += &format!(" limit {}p", fifo.limit()),
            _ => {}
        }
        println!("{line}");
        Ok(())
    })?;
    Ok(())
}
