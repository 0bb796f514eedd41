//! VXLAN VNI filtering, live: VNIs added with `bridge vni add` on an `external vnifilter` VXLAN
//! device read back through the generated tunnel family (struct tunnel_msg, VXLAN_VNIFILTER_ENTRY
//! -> START / END / GROUP, and VNIFILTER_ENTRY_STATS with TUNNEL_MSG_FLAG_STATS) as
//! `bridge -j [-s] vni show` prints them. No routes, no LWT encaps. In a fresh namespace; needs
//! root (otherwise prints `skip: ...`).

mod common;
use common::{run, sh};
use rtnl_core::testing::skip_unless_root;

use rtnl_core::generated::{RTM_GETTUNNEL, RTM_NEWTUNNEL, VniMsg};
use rtnl_core::socket::DumpEvent;
use rtnl_core::testing::TestNetns;
use serde_json::{Value, json};

/// Our dump, as `bridge -j vni show` writes its `vnis` list.
fn ours(ns: &TestNetns, stats: bool) -> Vec<Value> {
    let mut s = ns.socket().unwrap();
    let mut out = Vec::new();
    s.dump(
        RTM_GETTUNNEL,
        |b| {
            // struct tunnel_msg: AF_BRIDGE, flags (TUNNEL_MSG_FLAG_STATS), reserved, ifindex 0.
            b.extend_from_slice(&[7, stats as u8, 0, 0, 0, 0, 0, 0]);
            Ok(())
        },
        |ev| {
            let DumpEvent::Message(m) = ev else {
                return Ok(());
            };
            assert_eq!(m.msg_type(), RTM_NEWTUNNEL);
            let msg = VniMsg::parse(m.payload).unwrap();
            for e in msg.entry() {
                let e = e.unwrap();
                let mut v = json!({ "vni": e.start().unwrap().unwrap() });
                if let Some(end) = e.end().unwrap() {
                    v["vniEnd"] = json!(end);
                }
                if let Some(g) = e.group().unwrap() {
                    v["remote"] = json!(g.to_string());
                }
                if let Some(g) = e.group6().unwrap() {
                    v["remote"] = json!(g.to_string());
                }
                if let Some(st) = e.stats().unwrap() {
                    v["stats"] = json!({
                        "rx_bytes": st.rx_bytes().unwrap(),
                        "rx_pkts": st.rx_pkts().unwrap(),
                        "rx_drops": st.rx_drops().unwrap(),
                        "rx_errors": st.rx_errors().unwrap(),
                        "tx_bytes": st.tx_bytes().unwrap(),
                        "tx_pkts": st.tx_pkts().unwrap(),
                        "tx_drops": st.tx_drops().unwrap(),
                        "tx_errors": st.tx_errors().unwrap(),
                    });
                }
                out.push(v);
            }
            Ok(())
        },
    )
    .unwrap();
    out
}

#[test]
fn vni_filter_reads_back_as_bridge_shows_it() {
    if skip_unless_root("vni_filter_reads_back_as_bridge_shows_it") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    sh(
        &ns,
        "ip link add vx0 type vxlan dstport 4789 external vnifilter local 10.0.0.1",
    );
    sh(&ns, "ip link set vx0 up");
    sh(&ns, "bridge vni add dev vx0 vni 200-210 remote 10.0.0.2");
    sh(&ns, "bridge vni add dev vx0 vni 300");
    for stats in [false, true] {
        let args: &[&str] = if stats {
            &["-j", "-s", "vni", "show"]
        } else {
            &["-j", "vni", "show"]
        };
        let shown: Value = serde_json::from_str(&run(&ns, "bridge", args)).unwrap();
        let mut want = shown[0]["vnis"].as_array().unwrap().clone();
        // With -s, bridge prints one entry per VNI (ranges split), each with its counters.
        let mut got = ours(&ns, stats);
        let key = |v: &Value| v["vni"].as_u64().unwrap();
        want.sort_by_key(key);
        got.sort_by_key(key);
        assert_eq!(got, want, "stats {stats}:\nours {got:#?}\nbridge {want:#?}");
        assert_eq!(want.len(), if stats { 12 } else { 2 }, "{shown}");
    }
}
