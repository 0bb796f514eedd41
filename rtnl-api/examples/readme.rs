//! The library example of README.md, as a program a test runs (`tests/examples_live.rs`) in a
//! fresh namespace; README.md shows this file's `main` verbatim, and a test keeps them equal.
//!
//! ```sh
//! sudo ip netns add blue
//! sudo cargo run -p rtnl-api --example readme -- blue
//! sudo ip netns del blue
//! ```

use rtnl_api::{IPRoute, RouteFilter, kw};

fn main() -> rtnl_api::Result<()> {
    let netns = std::env::args().nth(1).unwrap_or_else(|| "blue".into()); // `ip netns add blue`
    let mut ipr = IPRoute::in_netns(&netns)?; // or IPRoute::new(): this namespace
    ipr.link("add", kw! { ifname: "v0", kind: "veth", peer: "v1" })?;
    ipr.link("set", kw! { ifname: "v0", state: "up", mtu: 1400 })?;
    ipr.addr("add", kw! { ifname: "v0", address: "10.0.0.1/24" })?;
    let route = kw! { dst: "10.9.0.0/16", gateway: "10.0.0.2", table: 10000 };
    ipr.route("add", route.clone())?;

    // Streams zero-copy views straight from the receive buffer; the table filter runs in the kernel.
    let routes = ipr.get_routes(RouteFilter::new().table(10000))?;
    routes.for_each(|r| {
        let (dst, len, gw) = (r.dst()?, r.header().dst_len(), r.gateway()?);
        println!("{dst:?}/{len} via {gw:?} dev {:?}", r.oif()?);
        Ok(())
    })?;

    // Errors say what the kernel said:
    // "RTM_NEWROUTE failed: EEXIST (File exists, errno 17)"
    let err = ipr.route("add", route).unwrap_err();
    assert_eq!(err.errno(), Some(17));
    println!("{err}");
    Ok(())
}
