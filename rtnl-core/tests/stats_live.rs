//! Link statistics, live: RTM_GETSTATS with the xstats groups, read through the generated stats
//! family (struct if_stats_msg, IFLA_STATS_LINK_XSTATS[_SLAVE] -> LINK_XSTATS_TYPE_BRIDGE ->
//! BRIDGE_XSTATS_MCAST / _STP structs), agrees with `ip -j stats show`: every counter lies
//! between two readings of `ip` taken before and after ours (the bridge runs STP and multicast
//! snooping, so counters move). In a fresh namespace; needs root (otherwise prints `skip: ...`).

mod common;
use common::{ifindex, run, sh};
use rtnl_core::testing::skip_unless_root;

use rtnl_core::generated::{BrMcastStats, BridgeStpXstats, RTM_GETSTATS, RTM_NEWSTATS, StatsMsg};
use rtnl_core::socket::DumpEvent;
use rtnl_core::testing::TestNetns;
use serde_json::Value;

/// `ip -j stats show dev DEV group GROUP`: the bridge subgroup's `key` object.
fn ip_suite(ns: &TestNetns, dev: &str, group: &str, key: &str) -> Value {
    let v: Value = serde_json::from_str(&run(
        ns,
        "ip",
        &["-j", "stats", "show", "dev", dev, "group", group],
    ))
    .unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .find(|s| s["subgroup"] == "bridge" && s.get(key).is_some())
        .unwrap_or_else(|| panic!("no bridge {key} in {v}"))[key]
        .clone()
}

/// Our counters under ip's names.
fn mcast_fields(m: &BrMcastStats) -> Vec<(&'static str, u64)> {
    let g = |a: &[zerocopy::byteorder::native_endian::U64; 2], i: usize| a[i].get();
    vec![
        ("igmp_queries.rx_v1", g(&m.igmp_v1queries, 0)),
        ("igmp_queries.tx_v1", g(&m.igmp_v1queries, 1)),
        ("igmp_queries.rx_v2", g(&m.igmp_v2queries, 0)),
        ("igmp_queries.tx_v2", g(&m.igmp_v2queries, 1)),
        ("igmp_queries.rx_v3", g(&m.igmp_v3queries, 0)),
        ("igmp_queries.tx_v3", g(&m.igmp_v3queries, 1)),
        ("igmp_reports.rx_v1", g(&m.igmp_v1reports, 0)),
        ("igmp_reports.tx_v1", g(&m.igmp_v1reports, 1)),
        ("igmp_reports.rx_v2", g(&m.igmp_v2reports, 0)),
        ("igmp_reports.tx_v2", g(&m.igmp_v2reports, 1)),
        ("igmp_reports.rx_v3", g(&m.igmp_v3reports, 0)),
        ("igmp_reports.tx_v3", g(&m.igmp_v3reports, 1)),
        ("igmp_leaves.rx", g(&m.igmp_leaves, 0)),
        ("igmp_leaves.tx", g(&m.igmp_leaves, 1)),
        ("igmp_parse_errors", m.igmp_parse_errors.get()),
        ("mld_queries.rx_v1", g(&m.mld_v1queries, 0)),
        ("mld_queries.tx_v1", g(&m.mld_v1queries, 1)),
        ("mld_queries.rx_v2", g(&m.mld_v2queries, 0)),
        ("mld_queries.tx_v2", g(&m.mld_v2queries, 1)),
        ("mld_reports.rx_v1", g(&m.mld_v1reports, 0)),
        ("mld_reports.tx_v1", g(&m.mld_v1reports, 1)),
        ("mld_reports.rx_v2", g(&m.mld_v2reports, 0)),
        ("mld_reports.tx_v2", g(&m.mld_v2reports, 1)),
        ("mld_leaves.rx", g(&m.mld_leaves, 0)),
        ("mld_leaves.tx", g(&m.mld_leaves, 1)),
        ("mld_parse_errors", m.mld_parse_errors.get()),
    ]
}

fn stp_fields(s: &BridgeStpXstats) -> Vec<(&'static str, u64)> {
    vec![
        ("transition_blk", s.transition_blk()),
        ("transition_fwd", s.transition_fwd()),
        ("rx_bpdu", s.rx_bpdu()),
        ("tx_bpdu", s.tx_bpdu()),
        ("rx_tcn", s.rx_tcn()),
        ("tx_tcn", s.tx_tcn()),
    ]
}

fn at(v: &Value, path: &str) -> u64 {
    path.split('.')
        .fold(v, |v, k| &v[k])
        .as_u64()
        .unwrap_or_else(|| panic!("{path} not in {v}"))
}

fn between(what: &str, ours: &[(&str, u64)], before: &Value, after: &Value) {
    for (k, v) in ours {
        let (lo, hi) = (at(before, k), at(after, k));
        assert!(
            lo <= *v && *v <= hi,
            "{what} {k}: ours {v}, ip said {lo} then {hi}"
        );
    }
}

#[test]
fn bridge_xstats_agree_with_ip_stats() {
    if skip_unless_root("bridge_xstats_agree_with_ip_stats") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    sh(
        &ns,
        "ip link add br0 type bridge stp_state 1 mcast_snooping 1 hello_time 100",
    );
    sh(&ns, "ip link add v0 type veth peer name v1");
    sh(&ns, "ip link set v0 master br0");
    for dev in ["br0", "v0", "v1"] {
        run(&ns, "ip", &["link", "set", dev, "up"]);
    }
    let (br0, v0) = (ifindex(&ns, "br0"), ifindex(&ns, "v0"));
    // STP sends a BPDU per hello time (1 s here) on the designated port: wait for some, so that
    // the STP counters are not all zero.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let mcast_before = ip_suite(&ns, "br0", "xstats", "multicast");
    let stp_before = ip_suite(&ns, "v0", "xstats_slave", "stp");

    let (mut mcast, mut stp) = (None, None);
    let mut s = ns.socket().unwrap();
    s.dump(
        RTM_GETSTATS,
        |b| {
            // struct if_stats_msg: every link, IFLA_STATS_LINK_XSTATS (bit 1) and _SLAVE (bit 2).
            b.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0]);
            b.extend_from_slice(&(1u32 << 1 | 1u32 << 2).to_ne_bytes());
            Ok(())
        },
        |ev| {
            let DumpEvent::Message(m) = ev else {
                return Ok(());
            };
            assert_eq!(m.msg_type(), RTM_NEWSTATS);
            let msg = StatsMsg::parse(m.payload).unwrap();
            let ifi = msg.header().ifindex();
            if ifi == br0 {
                let x = msg
                    .link_xstats()
                    .unwrap()
                    .expect("br0: no IFLA_STATS_LINK_XSTATS");
                let b = x
                    .bridge()
                    .unwrap()
                    .expect("br0: no LINK_XSTATS_TYPE_BRIDGE");
                mcast = Some(mcast_fields(
                    b.mcast().unwrap().expect("no BRIDGE_XSTATS_MCAST"),
                ));
            }
            if ifi == v0 {
                let x = msg
                    .link_xstats_slave()
                    .unwrap()
                    .expect("v0: no IFLA_STATS_LINK_XSTATS_SLAVE");
                let b = x.bridge().unwrap().expect("v0: no LINK_XSTATS_TYPE_BRIDGE");
                stp = Some(stp_fields(b.stp().unwrap().expect("no BRIDGE_XSTATS_STP")));
            }
            Ok(())
        },
    )
    .unwrap();
    let mcast_after = ip_suite(&ns, "br0", "xstats", "multicast");
    let stp_after = ip_suite(&ns, "v0", "xstats_slave", "stp");
    between(
        "br0 mcast",
        &mcast.expect("no br0 stats"),
        &mcast_before,
        &mcast_after,
    );
    let stp = stp.expect("no v0 stats");
    assert!(
        stp.iter().any(|(k, v)| *k == "tx_bpdu" && *v > 0),
        "no BPDU sent yet: {stp:?}"
    );
    between("v0 stp", &stp, &stp_before, &stp_after);
}
