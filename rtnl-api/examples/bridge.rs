//! A bridge with two veth ports: `ip link add br0 type bridge`, two veth pairs, their host ends
//! enslaved to br0, everything up, then the bridge's ports listed (`bridge link`).
//!
//! It changes the namespace it runs in, so it wants one made for it:
//!
//! ```sh
//! sudo ip netns add demo
//! sudo cargo run -p rtnl-api --example bridge -- demo
//! sudo ip netns del demo
//! ```

use rtnl_api::{IPRoute, LinkFilter, Result, kw};

fn main() -> Result<()> {
    let Some(netns) = std::env::args().nth(1) else {
        eprintln!("usage: bridge NETNS   (it adds links: give it a namespace of its own)");
        std::process::exit(2);
    };
    let mut ipr = IPRoute::in_netns(&netns)?;

    ipr.link("add", kw! { ifname: "br0", kind: "bridge" })?;
    for (port, peer) in [("veth0", "veth0p"), ("veth1", "veth1p")] {
        ipr.link("add", kw! { ifname: port, kind: "veth", peer: peer })?;
        // `master` takes a name or an index; names are looked up with one RTM_GETLINK.
        ipr.link("set", kw! { ifname: port, master: "br0", state: "up" })?;
        ipr.link("set", kw! { ifname: peer, state: "up" })?;
    }
    ipr.link("set", kw! { ifname: "br0", state: "up" })?;

    let br0 = ipr.link_lookup("ifname", "br0")?[0];
    println!("br0 is link {br0}");
    // The kernel filters the dump by IFLA_MASTER: only br0's ports come back.
    ipr.get_links(LinkFilter::new().master(br0))?
        .for_each(|l| {
            println!(
                "port {}: {} master br0 <{}>",
                l.header().index(),
                l.ifname()?.unwrap_or("?"),
                l.header().flags()
            );
            Ok(())
        })?;
    Ok(())
}
