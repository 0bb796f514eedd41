//! `rtnl monitor [all | link | address | route | rule | neigh | qdisc | nsid | mdb ...]
//! [all-nsid]`: events printed as `ip monitor` prints them (text, or one JSON object a line
//! with `-j`; `-t` puts a timestamp line before each). It runs until killed.
//!
//! Never silent about loss: when the kernel drops events (the receive queue overflowed), a line
//! on stderr says so, the current state of the watched objects follows (each line marked
//! `[current]`), then a line saying the resync is done.

use std::collections::HashMap;
use std::io::Write;
use std::ops::ControlFlow;

use rtnl_api::events::{Change, Event, Msg};
use rtnl_api::{IPRoute, Result};
use rtnl_core::spec::Style;
use serde_json::{Value as J, json};

use crate::show_old as show;

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
        _ => return None,
    })
}

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
                    format!("{other:?} is not an object monitor watches (all, link, address, route, rule, neigh, qdisc, nsid, netconf, mdb, prefix, all-nsid)"),
                )
                .into());
            }
        }
    }
    if objects.is_empty() {
        objects.extend(ALL);
    }
    let labels = objects.len() > 1;
    let wanted: Vec<&str> = objects
        .iter()
        .filter_map(|o| groups(o))
        .flatten()
        .copied()
        .collect();
    let mut opts = IPRoute::options().groups(&wanted).all_ns(all_nsid);
    if let Some(ns) = netns {
        opts = opts.netns(ns);
    }
    let mut ipr = opts.open()?;
    let mut names = link_names(&mut ipr)?;
    ipr.events().resync(true).for_each(|ev| {
        print_event(ev, &mut names, labels, &style, out)?;
        out.flush()
            .map_err(|e| rtnl_core::Error::io("write stdout", e))?;
        Ok(ControlFlow::Continue(()))
    })
}

fn link_names(ipr: &mut IPRoute) -> Result<HashMap<u32, String>> {
    ipr.get_links(())?.fold(HashMap::new, |m, l| {
        m.insert(
            l.header().index() as u32,
            l.ifname()?.unwrap_or("").to_string(),
        );
        Ok(())
    })
}

fn io(e: std::io::Error) -> rtnl_core::Error {
    rtnl_core::Error::io("write stdout", e)
}

fn print_event(
    ev: Event<'_>,
    names: &mut HashMap<u32, String>,
    labels: bool,
    style: &Look,
    out: &mut dyn Write,
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
        let i = l.header().index() as u32;
        match change {
            Change::Del => names.remove(&i),
            _ => names.insert(i, l.ifname()?.unwrap_or("").to_string()),
        };
    }
    let (label, obj) = describe(&msg, names)?;
    if style.json {
        let mut o = json!({ "event": match change { Change::New => "new", Change::Del => "deleted", _ => "current" }, "object": label.trim_matches(['[', ']']).to_ascii_lowercase() });
        if let Some(n) = nsid {
            o["nsid"] = json!(n);
        }
        o["data"] = obj;
        serde_json::to_writer(&mut *out, &o).map_err(|e| io(e.into()))?;
        return writeln!(out).map_err(io);
    }
    if style.timestamps {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        writeln!(
            out,
            "Timestamp: {}.{:06} s",
            now.as_secs(),
            now.subsec_micros()
        )
        .map_err(io)?;
    }
    if let Some(n) = nsid {
        write!(out, "[nsid {n}]").map_err(io)?;
    }
    if labels {
        write!(out, "{label}").map_err(io)?;
    }
    match change {
        Change::Del => write!(out, "Deleted ").map_err(io)?,
        Change::Current => write!(out, "[current] ").map_err(io)?,
        _ => {}
    }
    match &msg {
        Msg::Link(_) => show::link_text(&obj, out, false).map_err(io),
        Msg::Route(_) => show::route_text(&obj, out).map_err(io),
        Msg::Addr(_) => addr_text(&obj, out).map_err(io),
        _ => writeln!(out, "{obj}").map_err(io),
    }
}

/// The label `ip monitor` prints before an event of several kinds, and the object as JSON.
fn describe(msg: &Msg<'_>, names: &HashMap<u32, String>) -> Result<(&'static str, J)> {
    Ok(match msg {
        Msg::Link(l) => ("[LINK]", J::Object(show::link_json(l, names)?)),
        Msg::Addr(a) => {
            let mut o = show::addr_json(a)?;
            let i = a.header().index();
            o["ifindex"] = json!(i);
            o["dev"] = json!(names.get(&i).cloned().unwrap_or_else(|| format!("if{i}")));
            ("[ADDR]", o)
        }
        Msg::Route(r) => (
            "[ROUTE]",
            show::route_json(r, names, true)?.unwrap_or(J::Null),
        ),
        Msg::Rule(m) => (
            "[RULE]",
            serde_json::to_value(m.dyn_message(Style::Map)).unwrap_or(J::Null),
        ),
        Msg::Neigh(m) => (
            "[NEIGH]",
            serde_json::to_value(m.dyn_message(Style::Map)).unwrap_or(J::Null),
        ),
        Msg::Tc(m) => (
            "[TC]",
            serde_json::to_value(m.dyn_message(Style::Map)).unwrap_or(J::Null),
        ),
        Msg::Mdb(m) => (
            "[MDB]",
            serde_json::to_value(m.dyn_message(Style::Map)).unwrap_or(J::Null),
        ),
        Msg::Other { msg_type, payload } => (
            "[OTHER]",
            json!({ "type": rtnl_core::msg_type_name(*msg_type), "bytes": payload.len() }),
        ),
        _ => ("[OTHER]", J::Null),
    })
}

/// `3: v0    inet 10.0.0.1/24 scope global v0`, as `ip monitor address` prints an address.
fn addr_text(o: &J, w: &mut dyn Write) -> std::io::Result<()> {
    let s = |k| show::s(o, k).unwrap_or("");
    writeln!(
        w,
        "{}: {}    {} {}/{} scope {} {}",
        o["ifindex"],
        s("dev"),
        s("family"),
        s("local"),
        o["prefixlen"],
        s("scope"),
        show::s(o, "label").unwrap_or(s("dev"))
    )
}
