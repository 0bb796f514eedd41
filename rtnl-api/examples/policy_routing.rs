//! Policy routing: traffic from 10.1.0.0/24 uses its own table (100) with its own default route,
//! as `ip rule add from 10.1.0.0/24 lookup 100 priority 1000` + `ip route add default via
//! 10.1.0.254 table 100` do; a second rule sends fwmark 0x10 to the same table. Then the rules
//! and table 100 are listed (`ip rule`, `ip route show table 100`).
//!
//! It changes the namespace it runs in, so it wants one made for it:
//!
//! ```sh
//! sudo ip netns add demo
//! sudo cargo run -p rtnl-api --example policy_routing -- demo
//! sudo ip netns del demo
//! ```

use rtnl_api::{IPRoute, Result, RouteFilter, kw};

const AF_INET: u8 = 2;

fn main() -> Result<()> {
    let Some(netns) = std::env::args().nth(1) else {
        eprintln!("usage: policy_routing NETNS   (it adds links, routes and rules)");
        std::process::exit(2);
    };
    let mut ipr = IPRoute::in_netns(&netns)?;

    // An uplink for table 100: a veth link with an address, so 10.1.0.254 is reachable.
    // (veth rather than dummy: it is built into more kernels.)
    ipr.link(
        "add",
        kw! { ifname: "uplink0", kind: "veth", peer: "uplink0p" },
    )?;
    ipr.link("set", kw! { ifname: "uplink0", state: "up" })?;
    ipr.link("set", kw! { ifname: "uplink0p", state: "up" })?;
    ipr.addr("add", kw! { ifname: "uplink0", address: "10.1.0.1/24" })?;

    ipr.route(
        "add",
        kw! { dst: "default", gateway: "10.1.0.254", table: 100 },
    )?;
    // `type` is a Rust keyword, so it cannot be a `kw!` key; `with` takes any name.
    let unreachable = kw! { dst: "192.0.2.0/24", table: 100 }.with("type", "unreachable");
    ipr.route("add", unreachable)?;
    ipr.rule(
        "add",
        kw! { src: "10.1.0.0/24", table: 100, priority: 1000 },
    )?;
    ipr.rule("add", kw! { fwmark: 0x10, table: 100, priority: 1001 })?;

    println!("rules:");
    ipr.get_rules(AF_INET)?.for_each(|r| {
        let h = r.header();
        let from = match r.src()? {
            Some(ip) => format!("{ip}/{}", h.src_len()),
            None => "all".to_string(),
        };
        let mut line = format!("    {}: from {from}", r.priority()?.unwrap_or(0));
        if let Some(mark) = r.fwmark()? {
            line += &format!(" fwmark {mark:#x}");
        }
        // FRA_TABLE holds the full 32-bit id; the header's byte only ids below 256.
        let table = r.table()?.unwrap_or(u32::from(h.table()));
        println!("{line} lookup {table}");
        Ok(())
    })?;

    println!("table 100:");
    ipr.get_routes(RouteFilter::new().family(AF_INET).table(100))?
        .for_each(|r| {
            let h = r.header();
            let dst = match r.dst()? {
                Some(ip) => format!("{ip}/{}", h.dst_len()),
                None => "default".to_string(),
            };
            match r.gateway()? {
                Some(gw) => println!("    {} {dst} via {gw}", h.type_()),
                None => println!("    {} {dst}", h.type_()),
            }
            Ok(())
        })?;
    Ok(())
}
