//! `ip addr; ip route`: every link with its addresses, then every route of every table.
//!
//! ```sh
//! cargo run -p rtnl-api --example list               # this namespace
//! sudo cargo run -p rtnl-api --example list -- blue  # the namespace `ip netns add blue` made
//! ```
//!
//! Read-only: it changes nothing. Each dump streams zero-copy views out of the socket's receive
//! buffer; only what is printed is copied.

use std::collections::BTreeMap;

use rtnl_api::{AddrFilter, IPRoute, Result, RouteFilter};

fn main() -> Result<()> {
    let mut ipr = match std::env::args().nth(1) {
        Some(netns) => IPRoute::in_netns(&netns)?,
        None => IPRoute::new()?,
    };

    // Addresses first, by interface index, so each link prints with its own.
    let mut addrs: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    ipr.get_addr(AddrFilter::new())?.for_each(|a| {
        let h = a.header();
        // IPv4 puts the interface's own address in IFA_LOCAL (IFA_ADDRESS is the peer's on
        // point-to-point links); IPv6 has IFA_ADDRESS only.
        if let Some(ip) = a.local()?.or(a.address()?) {
            let family = if ip.is_ipv4() { "inet" } else { "inet6" };
            let line = format!("{family} {ip}/{} scope {}", h.prefixlen(), h.scope());
            addrs.entry(h.index()).or_default().push(line);
        }
        Ok(())
    })?;

    let mut names: BTreeMap<u32, String> = BTreeMap::new();
    ipr.get_links(())?.for_each(|l| {
        let index = l.header().index() as u32;
        let name = l.ifname()?.unwrap_or("?").to_string();
        println!(
            "{index}: {name}: <{}> mtu {} state {}",
            l.header().flags(),
            l.mtu()?.unwrap_or(0),
            l.operstate()?.map(|s| s.to_string()).unwrap_or_default(),
        );
        for a in addrs.get(&index).into_iter().flatten() {
            println!("    {a}");
        }
        names.insert(index, name);
        Ok(())
    })?;

    println!("routes:");
    ipr.get_routes(RouteFilter::new())?.for_each(|r| {
        let h = r.header();
        let dst = match r.dst()? {
            Some(ip) => format!("{ip}/{}", h.dst_len()),
            None => "default".to_string(),
        };
        let mut line = format!("    {} {dst}", h.type_());
        if let Some(gw) = r.gateway()? {
            line += &format!(" via {gw}");
        }
        if let Some(oif) = r.oif()? {
            let dev = names.get(&oif).map(String::as_str).unwrap_or("?");
            line += &format!(" dev {dev}");
        }
        // The header's byte names tables below 256 (`main`, `local`); RTA_TABLE holds any id.
        match r.table()? {
            Some(id) if id > 255 => line += &format!(" table {id}"),
            _ => line += &format!(" table {}", h.table()),
        }
        println!("{line}");
        Ok(())
    })?;
    Ok(())
}
