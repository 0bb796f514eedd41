//! `rtnl monitor [all | link | address | route | rule | neigh | qdisc | nsid | mdb ...]
//! [all-nsid]`: events printed as `ip monitor` prints them (text, or one JSON object a line
//! with `-j`; `-t` puts a timestamp line before each). It runs until killed.
//!
//! Never silent about loss: when the kernel drops events (the receive queue overflowed), a line
//! on stderr says so, the current state of the watched objects follows (each line marked
//! `[current]`), then a line saying the resync is done.

use std::io::Write;
use std::ops::ControlFlow;

use rtnl_api::events::{Change, Event, Msg};
use rtnl_api::{IPRoute, Result};
use rtnl_cli::ShowArgs;
use rtnl_core::spec::Style;

use crate::print::Printer;
use crate::show::common::Names;
use crate::show::link::{self, LinkLook};
use crate::show::route::{self, RouteLook};
use crate::show::{neigh, rule};

/// The multicast groups of each `ip monitor` object word.
fn groups(word: &str) -> Option<&'static [&'static str]> {
    Some(match word {
        "link" => &["link"],
        "address" | "addr" => &["ipv4_ifaddr", "ipv6_ifaddr"],
        "route" => &["ipv4_route", "ipv6_route"],
        "rule" => &["ipv4_rule", "ipv6_rule"],
        "neigh" => &["neigh"],
        "qdisc" | "tc" | "class" | "filter" => &["tc"],
        "nsid" => &["nsid"],
        "netconf" => &["ipv4_netconf", "ipv6_netconf"],
        "mdb" => &["mdb"],
        "prefix" => &["ipv6_prefix"],
        "nexthop" => &["nexthop"],
        _ => return None,
    })
}

/// `rtnl monitor help`: the usage, printed on stderr with status 255 as `ip monitor help` does.
pub const USAGE: &str = "Usage: rtnl monitor [ all | OBJECTS ] [ label ] [ all-nsid ]
OBJECTS :=  address | link | neigh | netconf | nexthop | nsid | prefix | qdisc | route | rule | mdb
";

const ALL: &[&str] = &["link", "address", "route", "rule", "neigh", "qdisc", "nsid"];

/// How monitor output looks.
pub struct Look {
    /// `-j`.
    pub json: bool,
    /// `-t`.
    pub timestamps: bool,
}

/// Runs `rtnl monitor WORDS...` in `netns` (or here) until killed or an error.
pub fn run(netns: Option<&str>, words: &[String], style: Look, out: &mut dyn Write) -> Result<()> {
    let mut all_nsid = false;
    let mut objects: Vec<&str> = Vec::new();
    for w in words {
        match w.as_str() {
            "all" => objects.extend(ALL),
            "all-nsid" => all_nsid = true,
            "label" => {}
            other if groups(other).is_some() => objects.push(other),
            other => {
                return Err(rtnl_core::ArgError::new(
                    "monitor",
                    format!("{other:?} is not an object monitor watches (all, link, address, route, rule, neigh, qdisc, nsid, netconf, nexthop, mdb, prefix, all-nsid)"),
                )
                .into());
            }
        }
    }
    if objects.is_empty() {
        objects.extend(ALL);
    }
    let labels = objects.len() > 1;
    let mut wanted: Vec<&str> = objects
        .iter()
        .filter_map(|o| groups(o))
        .flatten()
        .copied()
        .collect();
    // Link events keep the interface names current (a route or netconf event of a device made
    // after the start names it, as ip's lookup on a miss does); printed only when asked for.
    let print_links = wanted.contains(&"link");
    if !print_links {
        wanted.push("link");
    }
    let mut opts = IPRoute::options().groups(&wanted).all_ns(all_nsid);
    if let Some(ns) = netns {
        opts = opts.netns(ns);
    }
    let mut ipr = opts.open()?;
    let mut names = Names::load(
        &mut ipr,
        &ShowArgs {
            last_attempt: true,
            ..Default::default()
        },
    )?;
    // One printer for the whole run: its buffer is reused, and each event is written and
    // flushed on its own, as ip does.
    let mut p = Printer::new(out, style.json, false);
    // A second socket in the same namespace names a device an event mentions before its link
    // event arrives (a netconf event of a new device comes first), as ip's lookup on a miss.
    let mut lookup = None;
    ipr.events().resync(true).for_each(|ev| {
        if let Event::Message {
            msg: Msg::Netconf(m),
            ..
        } = &ev
            && let Some(i) = m.ifindex()?.filter(|i| *i > 0)
            && names.get(i as u32).is_none()
        {
            learn(&mut lookup, netns, &mut names, i as u32)?;
        }
        print_event(ev, &mut names, labels, print_links, &style, &mut p)?;
        p.finish().map_err(io)?;
        p.reset();
        Ok(ControlFlow::Continue(()))
    })
}

/// Looks up link `index` on `lookup` (opened on first use in `netns`) into `names`.
fn learn(
    lookup: &mut Option<IPRoute>,
    netns: Option<&str>,
    names: &mut Names,
    index: u32,
) -> Result<()> {
    if lookup.is_none() {
        let mut opts = IPRoute::options();
        if let Some(ns) = netns {
            opts = opts.netns(ns);
        }
        *lookup = Some(opts.open()?);
    }
    if let Some(ipr) = lookup.as_mut() {
        ipr.get_links(rtnl_api::LinkFilter::new().index(index))?
            .for_each(|l| {
                let h = l.header();
                names.insert(
                    h.index() as u32,
                    l.ifname()?.unwrap_or(""),
                    u32::from(h.flags()),
                );
                Ok(())
            })?;
    }
    Ok(())
}

fn io(e: std::io::Error) -> rtnl_core::Error {
    rtnl_core::Error::io("write stdout", e)
}

fn print_event(
    ev: Event<'_>,
    names: &mut Names,
    labels: bool,
    print_links: bool,
    style: &Look,
    p: &mut Printer<'_>,
) -> Result<()> {
    let (change, msg, nsid) = match ev {
        Event::Message {
            change, msg, nsid, ..
        } => (change, msg, nsid),
        Event::Overrun => {
            eprintln!(
                "rtnl: events were lost (the receive queue overflowed); the current state follows"
            );
            return Ok(());
        }
        Event::Resynced => {
            eprintln!("rtnl: resynced");
            return Ok(());
        }
        _ => return Ok(()),
    };
    if let Msg::Link(l) = &msg {
        let h = l.header();
        let i = h.index() as u32;
        match change {
            Change::Del => names.remove(i),
            _ => names.insert(i, l.ifname()?.unwrap_or(""), u32::from(h.flags())),
        };
        if !print_links {
            return Ok(());
        }
    }
    let label = label_of(&msg);
    if style.json {
        p.open_object("");
        let event = match change {
            Change::New => "new",
            Change::Del => "deleted",
            _ => "current",
        };
        p.json("event", event);
        p.json("object", label_word(label));
        if let Some(n) = nsid {
            p.json("nsid", n);
        }
        p.key_next("data");
    } else {
        if style.timestamps {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default();
            p.text("Timestamp: {}", now.as_secs());
            p.text(".{} s\n", format_args!("{:06}", now.subsec_micros()));
        }
        if let Some(n) = nsid {
            p.text("[nsid {}]", n);
        }
        if labels {
            p.lit(label);
        }
        match change {
            Change::Del => p.lit("Deleted "),
            Change::Current => p.lit("[current] "),
            _ => {}
        }
    }
    print_msg(&msg, names, p)?;
    if style.json {
        p.close_object();
        p.raw().push(b'\n');
    }
    Ok(())
}

/// The label `ip monitor` prints before an event of several kinds.
fn label_of(msg: &Msg<'_>) -> &'static str {
    match msg {
        Msg::Link(_) => "[LINK]",
        Msg::Addr(_) => "[ADDR]",
        Msg::Route(_) => "[ROUTE]",
        Msg::Rule(_) => "[RULE]",
        Msg::Neigh(_) => "[NEIGH]",
        Msg::Tc(_) => "[TC]",
        Msg::Mdb(_) => "[MDB]",
        Msg::Netconf(_) => "[NETCONF]",
        Msg::Nexthop(_) => "[NEXTHOP]",
        Msg::NexthopBucket(_) => "[NEXTHOPBUCKET]",
        _ => "[OTHER]",
    }
}

/// `[ROUTE]` -> `route`, the JSON `object` field.
fn label_word(label: &str) -> &'static str {
    match label {
        "[LINK]" => "link",
        "[ADDR]" => "addr",
        "[ROUTE]" => "route",
        "[RULE]" => "rule",
        "[NEIGH]" => "neigh",
        "[TC]" => "tc",
        "[MDB]" => "mdb",
        "[NETCONF]" => "netconf",
        "[NEXTHOP]" => "nexthop",
        "[NEXTHOPBUCKET]" => "nexthop_bucket",
        _ => "other",
    }
}

/// One event's object, through the show printers (links, addresses as `ip monitor address`
/// prints them, routes, rules, neighbours); the others as the schema's table-driven view.
fn print_msg(msg: &Msg<'_>, names: &Names, p: &mut Printer<'_>) -> Result<()> {
    let serde = |p: &mut Printer<'_>, v: &dyn erased::Ser| -> Result<()> {
        if p.is_json() { v.json(p) } else { v.text(p) }
    };
    match msg {
        Msg::Link(l) => {
            link::print_link(p, l, names, LinkLook::default())?;
            p.nl();
            p.close_object();
        }
        Msg::Addr(a) => {
            let i = a.header().index();
            p.open_object("");
            p.print("ifindex", "{}: ", i);
            names.print(p, "dev", "{}", i);
            link::print_addr_fields(p, a)?;
            p.nl();
            p.close_object();
        }
        Msg::Route(r) => {
            let look = RouteLook {
                show_table: true,
                ..Default::default()
            };
            if !route::print_route(p, r, names, look)? {
                p.null("", "");
                p.nl();
            }
        }
        Msg::Rule(r) => rule::print_rule(p, r)?,
        Msg::Neigh(n) => neigh::print_neigh(p, n, names, false)?,
        Msg::Tc(m) => serde(p, &m.dyn_message(Style::Map))?,
        Msg::Mdb(m) => serde(p, &m.dyn_message(Style::Map))?,
        Msg::Netconf(m) => crate::show::netconf::print_netconf(p, m, names)?,
        Msg::Nexthop(m) => crate::show::nexthop::print_nexthop(p, m, names, false)?,
        Msg::NexthopBucket(m) => crate::show::nexthop::print_bucket(p, m)?,
        Msg::Other { msg_type, payload } => {
            p.open_object("");
            p.print("type", "{}", rtnl_core::msg_type_name(*msg_type));
            p.print("bytes", " ({} bytes)", payload.len());
            p.nl();
            p.close_object();
        }
        _ => {
            p.null("", "");
            p.nl();
        }
    }
    Ok(())
}

/// Serializable views printed as JSON in both modes (one line of text).
mod erased {
    use crate::print::Printer;

    /// A serde value the monitor prints whole.
    pub trait Ser {
        /// As a JSON field value.
        fn json(&self, p: &mut Printer<'_>) -> rtnl_core::Result<()>;
        /// As a text line (its JSON).
        fn text(&self, p: &mut Printer<'_>) -> rtnl_core::Result<()>;
    }

    impl<T: serde::Serialize> Ser for T {
        fn json(&self, p: &mut Printer<'_>) -> rtnl_core::Result<()> {
            p.json_serde("", self).map_err(super::io)
        }
        fn text(&self, p: &mut Printer<'_>) -> rtnl_core::Result<()> {
            let buf = p.raw();
            serde_json::to_writer(&mut *buf, self).map_err(|e| super::io(e.into()))?;
            buf.push(b'\n');
            Ok(())
        }
    }
}
