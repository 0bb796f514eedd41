//! Bridge multicast database, live: an MDB entry added with `bridge mdb add` reads back through
//! the generated MDB family (struct br_port_msg, MDBA_MDB -> MDBA_MDB_ENTRY -> MDBA_MDB_ENTRY_INFO
//! = struct br_mdb_entry then MDBA_MDB_EATTR_*) with the fields `bridge -j mdb show` prints.
//! In a fresh namespace; needs root (otherwise prints `skip: ...`).

mod common;
use common::{ifindex, sh};
use rtnl_core::testing::skip_unless_root;

use rtnl_core::generated::{MdbMsg, MdbState, RTM_GETMDB};
use rtnl_core::socket::DumpEvent;
use rtnl_core::testing::TestNetns;

/// The groups this test adds (the kernel adds others by itself, e.g. IPv6 solicited-node).
const OURS: &[&str] = &["239.1.2.3", "ff0e::42"];

#[test]
fn mdb_entries_read_back_as_bridge_shows_them() {
    if skip_unless_root("mdb_entries_read_back_as_bridge_shows_them") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    sh(&ns, "ip link add br0 type bridge mcast_snooping 1");
    sh(&ns, "ip link add v0 type veth peer name v1");
    sh(&ns, "ip link set v0 master br0");
    sh(&ns, "ip link set br0 up");
    sh(&ns, "ip link set v0 up");
    sh(&ns, "ip link set v1 up");
    sh(
        &ns,
        "bridge mdb add dev br0 port v0 grp 239.1.2.3 permanent",
    );
    sh(&ns, "bridge mdb add dev br0 port v0 grp ff0e::42 temp");
    let shown: serde_json::Value = serde_json::from_str(&sh(&ns, "bridge -j mdb show")).unwrap();
    // bridge -j mdb show: [{"mdb": [{"index", "dev", "port", "grp", "state", ...}], "router": ...}]
    let mut want: Vec<(String, String, String)> = shown
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| b["mdb"].as_array().cloned().unwrap_or_default())
        .map(|e| {
            (
                e["port"].as_str().unwrap().to_string(),
                e["grp"].as_str().unwrap().to_string(),
                e["state"].as_str().unwrap().to_string(),
            )
        })
        .filter(|(_, grp, _)| OURS.contains(&grp.as_str()))
        .collect();
    want.sort();
    assert_eq!(want.len(), 2, "{shown}");
    let (br0, v0) = (ifindex(&ns, "br0"), ifindex(&ns, "v0"));

    let mut s = ns.socket().unwrap();
    let mut got = Vec::new();
    s.dump(
        RTM_GETMDB,
        |b| {
            // struct br_port_msg: family AF_BRIDGE, 3 bytes padding, ifindex 0 (every bridge).
            b.extend_from_slice(&[7, 0, 0, 0, 0, 0, 0, 0]);
            Ok(())
        },
        |ev| {
            let DumpEvent::Message(m) = ev else {
                return Ok(());
            };
            // The kernel answers MDB dumps with RTM_GETMDB (br_mdb_dump), not RTM_NEWMDB.
            assert_eq!(m.msg_type(), RTM_GETMDB);
            let msg = MdbMsg::parse(m.payload).unwrap();
            // The reply's header names the bridge (its family is left 0 in dump replies).
            assert_eq!(msg.header().ifindex(), br0);
            let Some(mdb) = msg.mdb().unwrap() else {
                return Ok(());
            };
            for entry in mdb.entry() {
                for info in entry.unwrap().info() {
                    let (e, eattr) = info.unwrap();
                    let grp = match e.proto() {
                        0x0800 => {
                            std::net::Ipv4Addr::from(<[u8; 4]>::try_from(&e.addr[..4]).unwrap())
                                .to_string()
                        }
                        0x86dd => std::net::Ipv6Addr::from(e.addr).to_string(),
                        p => panic!("proto {p:#x}"),
                    };
                    let state = match e.state() {
                        MdbState::Permanent => "permanent",
                        MdbState::Temporary => "temp",
                        other => panic!("state {other:?}"),
                    };
                    if !OURS.contains(&grp.as_str()) {
                        continue; // groups the kernel joined by itself (IPv6 solicited-node ...)
                    }
                    assert_eq!(e.ifindex(), v0);
                    // A temporary entry has a running timer, a permanent one a zero timer.
                    let timer = eattr.timer().unwrap().unwrap_or(0);
                    assert_eq!(timer == 0, state == "permanent", "{grp} timer {timer}");
                    got.push(("v0".to_string(), grp, state.to_string()));
                }
            }
            Ok(())
        },
    )
    .unwrap();
    got.sort();
    assert_eq!(got, want);
}
