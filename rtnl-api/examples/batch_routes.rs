//! 10 000 routes in one batch: `IPBatch` compiles the requests to bytes without a kernel, and
//! `send` writes them in socket-sized chunks and reads every ACK, reporting each refusal by
//! index. Then one dump counts them, and a second batch deletes them.
//!
//! It changes the namespace it runs in, so it wants one made for it:
//!
//! ```sh
//! sudo ip netns add demo
//! sudo cargo run --release -p rtnl-api --example batch_routes -- demo
//! sudo ip netns del demo
//! ```

use std::time::Instant;

use rtnl_api::{IPBatch, IPRoute, Result, RouteFilter, kw};

const ROUTES: u32 = 10_000;
const TABLE: u32 = 100;

fn main() -> Result<()> {
    let Some(netns) = std::env::args().nth(1) else {
        eprintln!("usage: batch_routes NETNS   (it adds a link and 10 000 routes)");
        std::process::exit(2);
    };
    let mut ipr = IPRoute::in_netns(&netns)?;
    // (veth rather than dummy: it is built into more kernels.)
    ipr.link("add", kw! { ifname: "veth0", kind: "veth", peer: "veth0p" })?;
    ipr.link("set", kw! { ifname: "veth0", state: "up" })?;
    ipr.link("set", kw! { ifname: "veth0p", state: "up" })?;
    // A batch holds bytes only: it cannot look names up, so it takes the link's index.
    let oif = ipr.link_lookup("ifname", "veth0")?[0];

    // 10.{i/256}.{i%256}.0/24 for i in 0..10 000: 10.0.0.0/24 .. 10.39.15.0/24.
    let mut batch = IPBatch::new();
    for i in 0..ROUTES {
        let dst = format!("10.{}.{}.0/24", i >> 8, i & 0xff);
        batch.route("add", kw! { dst: dst, oif: oif, table: TABLE })?;
    }
    let t = Instant::now();
    batch.send(&mut ipr)?;
    println!(
        "added {ROUTES} routes ({} bytes) in {} ms",
        batch.bytes().len(),
        t.elapsed().as_millis()
    );

    let n = ipr.get_routes(RouteFilter::new().table(TABLE))?.count()?;
    println!("table {TABLE} holds {n} routes");

    let mut del = IPBatch::new();
    for i in 0..ROUTES {
        let dst = format!("10.{}.{}.0/24", i >> 8, i & 0xff);
        del.route("del", kw! { dst: dst, oif: oif, table: TABLE })?;
    }
    let t = Instant::now();
    del.send(&mut ipr)?;
    let n = ipr.get_routes(RouteFilter::new().table(TABLE))?.count()?;
    println!(
        "deleted them in {} ms; table {TABLE} holds {n}",
        t.elapsed().as_millis()
    );
    Ok(())
}
