//! Live tests of `stats` and the namespace-id commands (`get_netnsid`, `set_netnsid`,
//! `nsid("dump")`, `get_netns_info`), each in fresh namespaces, checked against `ip -j -s link`
//! and `ip netns list-id`. pyroute2 0.9 has no functional test of these in test_ipr (its
//! test_netns.py covers the NetNS class, not these IPRoute methods), so nothing is ported;
//! these tests assert the facts `ip` reports.

use std::os::fd::AsRawFd;
use std::process::Command;

use rtnl_api::{IPRoute, kw};
use rtnl_core::testing::{TestNetns, skip_unless_root};
use serde_json::Value as J;

fn ip_json(ns: &str, args: &str) -> J {
    let out = Command::new("ip")
        .args(["-j", "-n", ns])
        .args(args.split_whitespace())
        .output()
        .unwrap();
    assert!(out.status.success(), "ip {args}");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn stats_get_and_dump() {
    if skip_unless_root("stats_get_and_dump") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    let mut ipr = IPRoute::from_socket(ns.socket().unwrap());
    ipr.link("set", kw! { ifname: "lo", state: "up" }).unwrap();
    ipr.link("add", kw! { ifname: "v0", kind: "veth", peer: "v1" })
        .unwrap();
    // Five datagrams to the discard port on lo (no ping on these machines).
    let send = "import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); \
                [s.sendto(b'x', ('127.0.0.1', 9)) for _ in range(5)]";
    let st = Command::new("ip")
        .args(["netns", "exec", ns.name(), "python3", "-c", send])
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let lo = ipr
        .stats("get", kw! { ifname: "lo", filter_mask: 1 })
        .unwrap()
        .into_vec()
        .unwrap();
    assert_eq!(lo.len(), 1);
    let ours = lo[0].view().link_64().unwrap().unwrap().rx_packets();
    let theirs = &ip_json(ns.name(), "-s link show dev lo")[0]["stats64"]["rx"]["packets"];
    assert_eq!(theirs.as_u64(), Some(ours));
    assert!(ours >= 5, "five datagrams on lo: {ours}");
    // dump: one message per link (lo, v0, v1), with pyroute2's default filter_mask 31.
    let all = ipr.stats("dump", kw! {}).unwrap().into_vec().unwrap();
    assert_eq!(all.len(), 3);
    assert!(all.iter().all(|s| s.view().header().filter_mask() == 31));
    // An unknown keyword is named.
    let e = ipr
        .stats("get", kw! { ifname: "lo", nosuch: 1 })
        .unwrap_err();
    assert!(e.to_string().contains("nosuch"), "{e}");
}

#[test]
fn netnsid_set_get_dump_info() {
    if skip_unless_root("netnsid_set_get_dump_info") {
        return;
    }
    let a = TestNetns::new().unwrap();
    let b = TestNetns::new().unwrap();
    let mut ipr = IPRoute::from_socket(a.socket().unwrap());
    let bf = std::fs::File::open(b.path()).unwrap();
    let fd = bf.as_raw_fd();
    // No id yet: the kernel answers -1 (NETNSA_NSID_NOT_ASSIGNED).
    let none = ipr.get_netnsid(kw! { fd: fd }).unwrap().unwrap();
    assert_eq!(none.view().nsid().unwrap(), Some(-1));
    ipr.set_netnsid(kw! { nsid: 9, fd: fd }).unwrap();
    let got = ipr.get_netnsid(kw! { fd: fd }).unwrap().unwrap();
    assert_eq!(got.view().nsid().unwrap(), Some(9));
    let ids: Vec<i32> = ipr
        .nsid("dump", kw! {})
        .unwrap()
        .into_vec()
        .unwrap()
        .iter()
        .filter_map(|m| m.view().nsid().ok().flatten())
        .collect();
    assert_eq!(ids, [9]);
    let ip = ip_json(a.name(), "netns list-id");
    assert_eq!(ip[0]["nsid"], 9, "{ip}");
    // The kernel picks an id when none is given (NETNSA_NSID -1).
    let c = TestNetns::new().unwrap();
    let cf = std::fs::File::open(c.path()).unwrap();
    ipr.set_netnsid(kw! { fd: cf.as_raw_fd() }).unwrap();
    let picked = ipr
        .get_netnsid(kw! { fd: cf.as_raw_fd() })
        .unwrap()
        .unwrap()
        .view()
        .nsid()
        .unwrap()
        .unwrap();
    assert!(picked >= 0 && picked != 9, "{picked}");
    // get_netns_info: B by its path, with id 9 and the veth whose peer is there.
    ipr.link(
        "add",
        kw! { ifname: "va", kind: "veth", peer: kw! { ifname: "vb", net_ns_fd: fd } },
    )
    .unwrap();
    let info = ipr.get_netns_info().unwrap();
    let bi = info
        .iter()
        .find(|i| i.path == b.path())
        .unwrap_or_else(|| panic!("{info:?}"));
    assert_eq!(bi.nsid, Some(9));
    assert_eq!(bi.peers, ["va"]);
}
