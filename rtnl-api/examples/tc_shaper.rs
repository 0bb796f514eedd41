//! A tc shaper: an htb root qdisc on a veth, a parent class with the link's budget, three leaf
//! classes with rate/ceil, and u32 filters steering traffic to them — what
//!
//! ```sh
//! tc qdisc add dev v0 root handle 1: htb default 30
//! tc class add dev v0 parent 1: classid 1:1 htb rate 100mbit
//! tc class add dev v0 parent 1:1 classid 1:10 htb rate 30mbit ceil 100mbit prio 1
//! tc class add dev v0 parent 1:1 classid 1:20 htb rate 20mbit ceil 50mbit prio 2
//! tc class add dev v0 parent 1:1 classid 1:30 htb rate 10mbit ceil 100mbit prio 3
//! tc filter add dev v0 parent 1: protocol ip prio 1 u32 match ip dport 22 0xffff flowid 1:10
//! tc filter add dev v0 parent 1: protocol ip prio 2 u32 match ip dst 10.0.0.0/24 flowid 1:20
//! ```
//!
//! does, then the classes and filters read back. It changes the namespace it runs in, so it
//! wants one made for it:
//!
//! ```sh
//! sudo ip netns add demo
//! sudo cargo run -p rtnl-api --example tc_shaper -- demo
//! sudo ip netns exec demo tc -s class show dev v0
//! sudo ip netns del demo
//! ```

use rtnl_api::generated::TcOptions;
use rtnl_api::tc::TcHandle;
use rtnl_api::{IPRoute, Result, Value, kw};

fn main() -> Result<()> {
    let Some(netns) = std::env::args().nth(1) else {
        eprintln!(
            "usage: tc_shaper NETNS   (it adds links and qdiscs: give it a namespace of its own)"
        );
        std::process::exit(2);
    };
    let mut ipr = IPRoute::in_netns(&netns)?;
    ipr.link("add", kw! { ifname: "v0", kind: "veth", peer: "v1" })?;
    ipr.link("set", kw! { ifname: "v0", state: "up" })?;
    ipr.link("set", kw! { ifname: "v1", state: "up" })?;
    let v0 = ipr.link_lookup("ifname", "v0")?[0];

    // Unclassified traffic goes to 1:30 (`default 30`: tc reads it in hex, so do we).
    ipr.tc("add", "htb", v0, "1:", kw! { default: "30" })?;
    ipr.tc(
        "add-class",
        "htb",
        v0,
        "1:1",
        kw! { parent: "1:", rate: "100mbit" },
    )?;
    for (class, rate, ceil, prio) in [
        ("1:10", "30mbit", "100mbit", 1),
        ("1:20", "20mbit", "50mbit", 2),
        ("1:30", "10mbit", "100mbit", 3),
    ] {
        ipr.tc(
            "add-class",
            "htb",
            v0,
            class,
            kw! { parent: "1:1", rate: rate, ceil: ceil, prio: prio },
        )?;
    }
    // ssh first; then everything for 10.0.0.0/24.
    ipr.tc(
        "add-filter",
        "u32",
        v0,
        0,
        kw! { parent: "1:", protocol: "ip", prio: 1, r#match: "ip dport 22 0xffff", flowid: "1:10" },
    )?;
    ipr.tc(
        "add-filter",
        "u32",
        v0,
        0,
        kw! { parent: "1:", protocol: "ip", prio: 2, r#match: vec![Value::from("ip dst 10.0.0.0/24")], flowid: "1:20" },
    )?;

    ipr.get_qdiscs(v0)?.for_each(|q| {
        println!(
            "qdisc {} {} dev v0 parent {}",
            q.kind()?.unwrap_or("?"),
            TcHandle(q.header().handle.get()),
            TcHandle(q.header().parent.get())
        );
        Ok(())
    })?;
    for c in ipr.tc("dump-class", "", v0, 0, kw! {})? {
        let c = c.view();
        let Some(TcOptions::Htb(o)) = c.options()? else {
            continue;
        };
        let Some(p) = o.parms()? else { continue };
        println!(
            "class htb {} parent {} prio {} rate {}bit ceil {}bit",
            TcHandle(c.header().handle.get()),
            TcHandle(c.header().parent.get()),
            p.prio(),
            u64::from(p.rate.rate()) * 8,
            u64::from(p.ceil.rate()) * 8,
        );
    }
    for f in ipr.tc("dump-filter", "", v0, 0, kw! { parent: "1:" })? {
        let f = f.view();
        let Some(TcOptions::U32(o)) = f.options()? else {
            continue;
        };
        // The kernel lists the hash table (800:) too; the rules carry a flowid.
        let Some(classid) = o.classid()? else {
            continue;
        };
        println!(
            "filter u32 pref {} handle {:#x} flowid {}",
            f.header().info.get() >> 16,
            f.header().handle.get(),
            TcHandle(classid)
        );
    }
    Ok(())
}
