//! Live tests of `IPRoute::nexthop` and `get_nexthops`, each in a fresh namespace, checked
//! against `ip -j nexthop show` (iproute2 reads the same kernel state with its own parser).

use std::process::Command;

use rtnl_api::{IPRoute, NexthopFilter, Value, kw};
use rtnl_core::testing::{TestNetns, skip_unless_root};
use serde_json::Value as J;

fn ip_json(ns: &str, args: &str) -> Vec<J> {
    let out = Command::new("ip")
        .args(["-j", "-n", ns])
        .args(args.split_whitespace())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "ip {args}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<J>(&out.stdout)
        .unwrap_or(J::Null)
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn setup() -> (TestNetns, IPRoute) {
    let ns = TestNetns::new().unwrap();
    let mut ipr = IPRoute::from_socket(ns.socket().unwrap());
    ipr.link("add", kw! { ifname: "v0", kind: "veth", peer: "v1" })
        .unwrap();
    for dev in ["lo", "v0", "v1"] {
        ipr.link("set", kw! { ifname: dev, state: "up" }).unwrap();
    }
    ipr.addr("add", kw! { ifname: "v0", address: "10.0.0.1/24" })
        .unwrap();
    (ns, ipr)
}

/// The ids of the nexthops ip lists with `args`, in its order.
fn ip_ids(ns: &str, args: &str) -> Vec<u64> {
    ip_json(ns, args)
        .iter()
        .map(|n| n["id"].as_u64().unwrap())
        .collect()
}

fn our_ids(ipr: &mut IPRoute, f: NexthopFilter) -> Vec<u64> {
    let mut ids = Vec::new();
    ipr.get_nexthops(f)
        .unwrap()
        .for_each(|nh| {
            ids.push(u64::from(nh.id()?.unwrap_or(0)));
            Ok(())
        })
        .unwrap();
    ids
}

#[test]
fn nexthop_keywords_as_ip_reads_them() {
    if skip_unless_root("nexthop_keywords_as_ip_reads_them") {
        return;
    }
    let (ns, mut ipr) = setup();
    let v0 = ipr.link_lookup("ifname", "v0").unwrap()[0];
    ipr.nexthop("add", kw! { id: 1, gateway: "10.0.0.2", oif: "v0" })
        .unwrap();
    ipr.nexthop(
        "add",
        kw! { id: 2, gateway: "10.0.0.3", ifname: "v0", proto: "static", onlink: true },
    )
    .unwrap();
    ipr.nexthop("add", kw! { id: 3, blackhole: true }).unwrap();
    ipr.nexthop("add", kw! { id: 10, group: "1/2,3" }).unwrap();
    let members = vec![Value::from(1), kw! { id: 2, weight: 5 }.into()];
    ipr.nexthop(
        "add",
        kw! { id: 11, group: members, group_type: "resilient", buckets: 8, idle_timer: 3 },
    )
    .unwrap();
    // add is CREATE|EXCL; replace changes the nexthop in place.
    let e = ipr
        .nexthop("add", kw! { id: 1, gateway: "10.0.0.2", oif: v0 })
        .unwrap_err();
    assert!(e.to_string().contains("EEXIST"), "{e}");
    ipr.nexthop("replace", kw! { id: 1, gateway: "10.0.0.4", oif: v0 })
        .unwrap();

    let ip = ip_json(ns.name(), "nexthop show");
    let by_id = |id: u64| ip.iter().find(|n| n["id"] == id).cloned().unwrap();
    assert_eq!(by_id(1)["gateway"], "10.0.0.4");
    assert_eq!(by_id(1)["dev"], "v0");
    assert_eq!(by_id(2)["protocol"], "static");
    assert_eq!(by_id(2)["flags"], serde_json::json!(["onlink"]));
    assert_eq!(by_id(3)["blackhole"], J::Null);
    assert!(by_id(3).as_object().unwrap().contains_key("blackhole"));
    assert_eq!(
        by_id(10)["group"],
        serde_json::json!([{"id": 1}, {"id": 2, "weight": 3}])
    );
    assert_eq!(by_id(11)["type"], "resilient");
    assert_eq!(by_id(11)["resilient_args"]["buckets"], 8);
    assert_eq!(by_id(11)["resilient_args"]["idle_timer"], 3);
    assert_eq!(
        by_id(11)["group"],
        serde_json::json!([{"id": 1}, {"id": 2, "weight": 5}])
    );

    // What rtnl reads: the same objects, and the group members as the kernel keeps them.
    let mut ours = Vec::new();
    ipr.get_nexthops(())
        .unwrap()
        .for_each(|nh| {
            let members: Vec<(u32, u8)> = nh
                .group()?
                .unwrap_or(&[])
                .iter()
                .map(|g| (g.id.get(), g.weight))
                .collect();
            ours.push((nh.id()?.unwrap_or(0), members, nh.gateway()?));
            Ok(())
        })
        .unwrap();
    assert_eq!(
        ours.iter().map(|o| u64::from(o.0)).collect::<Vec<_>>(),
        ip_ids(ns.name(), "nexthop show")
    );
    let g10 = ours.iter().find(|o| o.0 == 10).unwrap();
    assert_eq!(g10.1, vec![(1, 0), (2, 2)]);
    let n1 = ours.iter().find(|o| o.0 == 1).unwrap();
    assert_eq!(n1.2, Some("10.0.0.4".parse().unwrap()));

    // The kernel-side filters, as ip sends them.
    assert_eq!(
        our_ids(&mut ipr, NexthopFilter::new().groups()),
        ip_ids(ns.name(), "nexthop show groups")
    );
    assert_eq!(
        our_ids(&mut ipr, NexthopFilter::new().oif(v0)),
        ip_ids(ns.name(), "nexthop show dev v0")
    );
    assert_eq!(our_ids(&mut ipr, NexthopFilter::new().id(10)), vec![10]);
    assert_eq!(
        our_ids(&mut ipr, NexthopFilter::new().id(99)),
        Vec::<u64>::new()
    );
    // The keyword dump takes the same filters.
    let n = ipr
        .nexthop("dump", kw! { oif: "v0" })
        .unwrap()
        .count()
        .unwrap();
    assert_eq!(n, ip_ids(ns.name(), "nexthop show dev v0").len());

    // del: deleting a group member drops it from its groups.
    ipr.nexthop("del", kw! { id: 10 }).unwrap();
    ipr.nexthop("del", kw! { id: 2 }).unwrap();
    assert_eq!(ip_ids(ns.name(), "nexthop show"), vec![1, 3, 11]);
    assert_eq!(
        ip_json(ns.name(), "nexthop show id 11")[0]["group"],
        serde_json::json!([{"id": 1}])
    );
    let e = ipr.nexthop("del", kw! { id: 10 }).unwrap_err();
    assert!(e.to_string().contains("ENOENT"), "{e}");
}

/// RTNLGRP_NEXTHOP notifications arrive typed (`Msg::Nexthop`): a new group with its members,
/// then its deletion.
#[test]
fn nexthop_events_are_typed() {
    if skip_unless_root("nexthop_events_are_typed") {
        return;
    }
    use rtnl_api::events::{Change, Event};
    use rtnl_api::msg::Msg;
    use std::ops::ControlFlow;
    let (ns, mut ipr) = setup();
    let mut listener = IPRoute::from_socket(ns.socket().unwrap());
    listener.bind(&["nexthop"]).unwrap();
    ipr.nexthop("add", kw! { id: 1, gateway: "10.0.0.2", oif: "v0" })
        .unwrap();
    ipr.nexthop("add", kw! { id: 7, group: "1,2" }).unwrap();
    ipr.nexthop("del", kw! { id: 7 }).unwrap();
    let mut seen = Vec::new();
    listener
        .events()
        .idle_timeout(std::time::Duration::from_millis(300))
        .for_each(|ev| {
            if let Event::Message {
                change,
                msg: Msg::Nexthop(n),
                ..
            } = ev
            {
                let members: Vec<(u32, u8)> = n
                    .group()?
                    .unwrap_or(&[])
                    .iter()
                    .map(|g| (g.id.get(), g.weight))
                    .collect();
                seen.push((matches!(change, Change::New), n.id()?, members));
            }
            Ok(ControlFlow::Continue(()))
        })
        .unwrap();
    assert_eq!(
        seen,
        [
            (true, Some(1), vec![]),
            (true, Some(7), vec![(1, 1)]),
            (false, Some(7), vec![(1, 1)]),
        ]
    );
}

/// The 6.9 attributes against this kernel: a dump asking NHA_OP_FLAGS = DUMP_STATS |
/// DUMP_HW_STATS answers each group's NHA_GROUP_STATS, one entry per member (packets and
/// packets_hw); NHA_HW_STATS_ENABLE set on a group comes back, with NHA_HW_STATS_USED.
#[test]
fn nexthop_group_stats_on_request() {
    if skip_unless_root("nexthop_group_stats_on_request") {
        return;
    }
    let (_ns, mut ipr) = setup();
    ipr.nexthop("add", kw! { id: 1, gateway: "10.0.0.2", oif: "v0" })
        .unwrap();
    ipr.nexthop("add", kw! { id: 2, gateway: "10.0.0.3", oif: "v0" })
        .unwrap();
    let r = ipr
        .nexthop("add", kw! { id: 10, group: "1/2", hw_stats_enable: 1 })
        .map(drop);
    if let Err(e) = &r {
        eprintln!(
            "skip: nexthop_group_stats_on_request: this kernel refuses NHA_HW_STATS_ENABLE: {e}"
        );
        return;
    }
    let mut stats = Vec::new();
    let mut hw = None;
    ipr.nexthop("dump", kw! { op_flags: 3 })
        .unwrap()
        .for_each(|nh| {
            if nh.id()? == Some(10) {
                hw = Some((nh.hw_stats_enable()?, nh.hw_stats_used()?));
                let gs = nh.group_stats()?.expect("NHA_GROUP_STATS on request");
                for e in gs.entry() {
                    let e = e?;
                    stats.push((e.id()?, e.packets()?, e.packets_hw()?));
                }
            }
            Ok(())
        })
        .unwrap();
    assert_eq!(
        stats,
        [(Some(1), Some(0), Some(0)), (Some(2), Some(0), Some(0))]
    );
    assert_eq!(hw, Some((Some(1), Some(0))));
    // Without the flag, no stats.
    let mut any = false;
    ipr.get_nexthops(NexthopFilter::new().id(10))
        .unwrap()
        .for_each(|nh| {
            any |= nh.group_stats()?.is_some();
            Ok(())
        })
        .unwrap();
    assert!(!any);
}
