//! `get_qdiscs_where` / `get_classes_where` / `get_filters_where` (by device, parent, handle,
//! kind) against what `tc -j` shows for the same selection, and a class under a classless
//! qdisc refused before anything is sent. Each test in a fresh namespace with a veth; needs
//! root (otherwise `skip: <test>: needs root`).

use std::process::Command;

use rtnl_api::tc::{TcHandle, TcSelect};
use rtnl_api::{IPRoute, kw};
use rtnl_core::testing::{TestNetns, skip_unless_root};
use serde_json::Value as J;

/// A namespace with `v0` (up) and its peer `v1`; the socket; v0's index.
fn setup() -> (TestNetns, IPRoute, u32) {
    let ns = TestNetns::new().unwrap();
    let mut ipr = IPRoute::from_socket(ns.socket().unwrap());
    for args in [
        "link add v0 type veth peer name v1",
        "link set v0 up",
        "link set v1 up",
    ] {
        let out = Command::new("ip")
            .args(["-n", ns.name()])
            .args(args.split_whitespace())
            .output()
            .unwrap();
        assert!(out.status.success(), "ip {args}: {out:?}");
    }
    let v0 = ipr.link_lookup("ifname", "v0").unwrap()[0];
    (ns, ipr, v0)
}

/// `tc -j ARGS` in the namespace, as JSON objects.
fn tc_json(ns: &TestNetns, args: &str) -> Vec<J> {
    let out = Command::new("tc")
        .args(["-j", "-n", ns.name()])
        .args(args.split_whitespace())
        .output()
        .unwrap();
    assert!(out.status.success(), "tc {args}: {out:?}");
    if out.stdout.is_empty() {
        return Vec::new();
    }
    serde_json::from_slice::<J>(&out.stdout)
        .unwrap()
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The handles tc prints for the classes it shows (`class htb 1:10 parent 1:1 ...`: tc 6.1
/// prints classes as text even with -j), sorted.
fn tc_handles(ns: &TestNetns, args: &str) -> Vec<String> {
    let out = Command::new("tc")
        .args(["-n", ns.name()])
        .args(args.split_whitespace())
        .output()
        .unwrap();
    assert!(out.status.success(), "tc {args}: {out:?}");
    let mut v: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().nth(2).map(str::to_string))
        .collect();
    v.sort();
    v
}

fn ours(dump: Vec<rtnl_api::generated::TcOwned>) -> Vec<String> {
    let mut v: Vec<String> = dump
        .iter()
        .map(|m| TcHandle(m.view().header().handle.get()).to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn a_class_under_a_classless_qdisc_is_refused_naming_its_kind() {
    if skip_unless_root("a_class_under_a_classless_qdisc_is_refused_naming_its_kind") {
        return;
    }
    let (ns, mut ipr, v0) = setup();
    ipr.tc("add", "pfifo", v0, "1:", kw! { limit: 10 }).unwrap();
    for (handle, args, name) in [
        ("1:10", kw! { parent: "1:", rate: "1mbit" }, "parent"),
        ("1:10", kw! { rate: "1mbit" }, "handle"),
    ] {
        match ipr.tc("add-class", "htb", v0, handle, args) {
            Err(rtnl_api::Error::Arg(e)) => {
                assert_eq!(e.name, name, "{e}");
                assert!(
                    e.reason.contains("pfifo") && e.reason.contains("htb"),
                    "{e}"
                );
            }
            other => panic!("not refused: {other:?}"),
        }
    }
    assert!(tc_json(&ns, "class show dev v0").is_empty());
    // A classful parent is not refused.
    ipr.tc("del", "", v0, 0, kw! {}).unwrap();
    ipr.tc("add", "htb", v0, "1:", kw! { default: "10" })
        .unwrap();
    ipr.tc(
        "add-class",
        "htb",
        v0,
        "1:10",
        kw! { parent: "1:", rate: "1mbit" },
    )
    .unwrap();
    assert_eq!(tc_handles(&ns, "class show dev v0"), ["1:10"]);
}

#[test]
fn get_where_selects_by_device_parent_handle_kind_as_tc_shows() {
    if skip_unless_root("get_where_selects_by_device_parent_handle_kind_as_tc_shows") {
        return;
    }
    let (ns, mut ipr, v0) = setup();
    let v1 = ipr.link_lookup("ifname", "v1").unwrap()[0];
    ipr.tc("add", "htb", v0, "1:", kw! { default: "10" })
        .unwrap();
    ipr.tc("add", "ingress", v0, 0, kw! {}).unwrap();
    ipr.tc(
        "add",
        "tbf",
        v1,
        "2:",
        kw! { rate: "1mbit", burst: "10k", latency: "50ms" },
    )
    .unwrap();
    for (h, parent) in [("1:1", "1:"), ("1:10", "1:1"), ("1:20", "1:1")] {
        ipr.tc(
            "add-class",
            "htb",
            v0,
            h,
            kw! { parent: parent, rate: "1mbit" },
        )
        .unwrap();
    }
    for (parent, prio) in [("1:", 1), ("1:", 2), ("ffff:", 3)] {
        ipr.tc(
            "add-filter",
            "u32",
            v0,
            0,
            kw! { parent: parent, prio: prio, protocol: "ip", r#match: "ip dport 80 0xffff", classid: "1:10" },
        )
        .unwrap();
    }
    let q =
        |ipr: &mut IPRoute, s: TcSelect| ours(ipr.get_qdiscs_where(&s).unwrap().collect().unwrap());
    assert_eq!(q(&mut ipr, TcSelect::new().index(v0).kind("htb")), ["1:"]);
    assert_eq!(q(&mut ipr, TcSelect::new().kind("tbf")), ["2:"]);
    assert_eq!(
        q(&mut ipr, TcSelect::new().index(v0).handle("ffff:")),
        ["ffff:"]
    );
    assert_eq!(
        q(&mut ipr, TcSelect::new().index(v0).parent("ingress")),
        ["ffff:"]
    );
    assert!(q(&mut ipr, TcSelect::new().index(v1).kind("htb")).is_empty());

    let c = |ipr: &mut IPRoute, s: TcSelect| {
        ours(ipr.get_classes_where(&s).unwrap().collect().unwrap())
    };
    assert_eq!(
        c(&mut ipr, TcSelect::new().index(v0)),
        tc_handles(&ns, "class show dev v0")
    );
    assert_eq!(
        c(&mut ipr, TcSelect::new().index(v0).parent("1:1")),
        ["1:10", "1:20"]
    );
    assert_eq!(
        c(&mut ipr, TcSelect::new().index(v0).handle("1:10")),
        tc_handles(&ns, "class show dev v0 classid 1:10")
    );
    assert_eq!(c(&mut ipr, TcSelect::new().index(v0).kind("htb")).len(), 3);
    assert!(c(&mut ipr, TcSelect::new().index(v0).kind("drr")).is_empty());

    let f = |ipr: &mut IPRoute, s: TcSelect| ipr.get_filters_where(&s).unwrap().collect().unwrap();
    let root = f(&mut ipr, TcSelect::new().index(v0).parent("1:").kind("u32"));
    assert_eq!(
        root.len(),
        tc_json(&ns, "filter show dev v0 parent 1:").len()
    );
    let prios = |d: &[rtnl_api::generated::TcOwned]| {
        let mut p: Vec<u32> = d
            .iter()
            .map(|m| m.view().header().info.get() >> 16)
            .collect();
        p.dedup();
        p
    };
    assert_eq!(prios(&root), [1, 2]);
    let ingress = f(&mut ipr, TcSelect::new().index(v0).parent("ingress"));
    assert_eq!(
        ingress.len(),
        tc_json(&ns, "filter show dev v0 ingress").len()
    );
    assert_eq!(prios(&ingress), [3]);
    assert!(f(&mut ipr, TcSelect::new().index(v0).parent("1:").kind("fw")).is_empty());
    let bad = ipr.get_classes_where(&TcSelect::new().index(v0).parent("1:2:3"));
    assert!(matches!(bad, Err(rtnl_api::Error::Arg(ref e)) if e.name == "parent"));
}
