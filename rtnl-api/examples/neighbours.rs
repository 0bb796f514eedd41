//! Neighbours, the bridge FDB and a route lookup: README.md shows this file's `main` verbatim
//! and `tests/readme_ipcmd_live.rs` runs it in a fresh namespace.
//!
//! ```sh
//! sudo ip netns add blue
//! sudo cargo run -p rtnl-api --example neighbours -- blue
//! sudo ip netns del blue
//! ```

use rtnl_api::{IPRoute, kw};

fn main() -> rtnl_api::Result<()> {
    let netns = std::env::args().nth(1).unwrap_or_else(|| "blue".into());
    let mut ipr = IPRoute::in_netns(&netns)?;
    ipr.link("add", kw! { ifname: "br0", kind: "bridge" })?;
    ipr.link("add", kw! { ifname: "v0", kind: "veth", peer: "v1" })?;
    ipr.link("set", kw! { ifname: "v1", master: "br0" })?;
    for dev in ["br0", "v0", "v1"] {
        ipr.link("set", kw! { ifname: dev, state: "up" })?;
    }
    ipr.addr("add", kw! { ifname: "v0", address: "10.0.0.1/24" })?;

    // ip neigh add 10.0.0.2 lladdr 02:00:00:00:00:02 dev v0 (permanent: pyroute2's default)
    let mac = "02:00:00:00:00:02";
    ipr.neigh("add", kw! { ifname: "v0", dst: "10.0.0.2", lladdr: mac })?;
    ipr.neigh("dump", kw! { ifname: "v0" })?.for_each(|n| {
        let (dst, lladdr, state) = (n.dst()?.unwrap(), n.lladdr()?.unwrap(), n.header().state());
        println!("neigh {dst} lladdr {lladdr} {state}"); // neigh 10.0.0.2 lladdr 02:00:00:00:00:02 permanent
        Ok(())
    })?;

    // bridge fdb add 02:00:00:00:00:03 dev v1 master (NOARP|PERMANENT by default)
    let fdb = kw! { ifname: "v1", lladdr: "02:00:00:00:00:03", flags: "master" };
    ipr.fdb("add", fdb)?;
    ipr.fdb("dump", kw! { ifname: "v1", lladdr: "02:00:00:00:00:03" })?
        .for_each(|e| {
            println!("fdb {} master {:?}", e.lladdr()?.unwrap(), e.master()?); // master Some(<br0's index>)
            Ok(())
        })?;

    // ip route get 10.9.1.1: the kernel's answer, typed and owned.
    ipr.route("add", kw! { dst: "10.9.0.0/16", gateway: "10.0.0.2" })?;
    if let Some(r) = ipr.route("get", kw! { dst: "10.9.1.1" })?.into_first()? {
        let r = r.view();
        let (dst, via, src) = (
            r.dst()?.unwrap(),
            r.gateway()?.unwrap(),
            r.prefsrc()?.unwrap(),
        );
        println!("get {dst} via {via} src {src} table {:?}", r.table()?); // table Some(254)
    }
    Ok(())
}
