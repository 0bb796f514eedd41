//! Namespaces at scale: N fresh named namespaces (default 500), each given a veth pair, an
//! address and a route, each dumped, all removed — timed phase by phase, with the process's
//! open file descriptors counted before and after (none may be left open).
//!
//! ```sh
//! sudo cargo run --release -p rtnl-api --example netns_scale -- 500
//! ```
//!
//! It creates and deletes namespaces named `rtnl-scale-<pid>-<i>`, never touching others.

use std::time::Instant;

use rtnl_api::{IPRoute, Result, kw, netns};

fn fds() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .map(|d| d.count())
        .unwrap_or(0)
}

fn main() -> Result<()> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(500);
    let before = fds();
    let names: Vec<String> = (0..n)
        .map(|i| format!("rtnl-scale-{}-{i}", std::process::id()))
        .collect();

    let t = Instant::now();
    for name in &names {
        netns::create(name)?;
    }
    let created = t.elapsed();

    let t = Instant::now();
    let mut links = 0;
    for (i, name) in names.iter().enumerate() {
        let mut ipr = IPRoute::in_netns(name)?;
        ipr.link("add", kw! { ifname: "v0", kind: "veth", peer: "v1" })?;
        ipr.link("set", kw! { ifname: "v0", state: "up" })?;
        ipr.addr(
            "add",
            kw! { ifname: "v0", address: format!("10.{}.{}.1/24", i / 250, i % 250) },
        )?;
        ipr.route(
            "add",
            kw! { dst: "10.255.0.0/16", gateway: format!("10.{}.{}.2", i / 250, i % 250) },
        )?;
        links += ipr.get_links(())?.count()?;
    }
    let configured = t.elapsed();

    let t = Instant::now();
    for name in &names {
        netns::remove(name)?;
    }
    let removed = t.elapsed();
    let after = fds();
    println!(
        "{n} namespaces: create {:.2} s, veth + address + route + dump each {:.2} s, remove {:.2} s; \
         {links} links dumped; file descriptors before {before}, after {after}",
        created.as_secs_f64(),
        configured.as_secs_f64(),
        removed.as_secs_f64()
    );
    assert_eq!(links, 3 * n, "lo, v0 and v1 in each");
    assert_eq!(before, after, "no descriptor left open");
    Ok(())
}
