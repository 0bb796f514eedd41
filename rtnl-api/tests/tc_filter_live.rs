//! u32's selector words (read back with `tc filter show`), and the filter kinds other than
//! u32 on this kernel: bpf (cls_bpf is built) added through
//! `IPRoute::tc` with classic bytecode, read back with rtnl's own get and with `tc -j`, then
//! deleted; the kinds this kernel lacks (flower, matchall, basic, fw, route, flow: BRIEF §7)
//! are probed: the kernel must refuse them naming the kind (ENOENT), and each prints
//! `skip: <test>: <reason>`; where a kernel has one, the filter is read back and deleted.
//! Need root; otherwise each prints `skip: <test>: needs root`.

use std::process::Command;

use rtnl_api::generated::TcOptions;
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
        assert!(
            out.status.success(),
            "ip {args}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let v0 = ipr.link_lookup("ifname", "v0").unwrap()[0];
    (ns, ipr, v0)
}

/// `tc -j filter show dev v0 ARGS` in the namespace.
fn filters(ns: &TestNetns, args: &str) -> Vec<J> {
    let out = Command::new("tc")
        .args(["-j", "-n", ns.name(), "filter", "show", "dev", "v0"])
        .args(args.split_whitespace())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "tc filter show {args}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<J>(&out.stdout)
        .unwrap()
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|f| f.get("options").is_some())
        .collect()
}

#[test]
fn bpf_bytecode_filter() {
    if skip_unless_root("bpf_bytecode_filter") {
        return;
    }
    let (ns, mut ipr, v0) = setup();
    ipr.tc("add", "htb", v0, "1:", kw! {}).unwrap();
    let base = || kw! { parent: "1:", protocol: "ip", prio: 10 };
    ipr.tc(
        "add-filter",
        "bpf",
        v0,
        0,
        base()
            .with(
                "bytecode",
                "4,40 0 0 12,21 0 1 2048,6 0 0 4294967295,6 0 0 0,",
            )
            .with("classid", "1:10"),
    )
    .unwrap();
    let shown = filters(&ns, "parent 1:");
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(shown[0]["kind"], "bpf", "{shown:?}");
    assert_eq!(shown[0]["pref"], 10, "{shown:?}");
    assert_eq!(shown[0]["options"]["flowid"], "1:10", "{shown:?}");
    let ours = ipr
        .tc("dump-filter", "", v0, 0, kw! { parent: "1:" })
        .unwrap();
    let bpf: Vec<_> = ours
        .iter()
        .filter_map(|m| match m.view().options() {
            Ok(Some(TcOptions::Bpf(b))) => Some((
                b.classid().unwrap(),
                b.ops_len().unwrap(),
                b.ops().unwrap().map(<[u8]>::len),
            )),
            _ => None,
        })
        .collect();
    assert_eq!(bpf, vec![(Some(0x10010), Some(4), Some(32))]);
    ipr.tc("del-filter", "", v0, 0, base()).unwrap();
    assert!(filters(&ns, "parent 1:").is_empty());
}

#[test]
fn bpf_direct_action_on_clsact() {
    if skip_unless_root("bpf_direct_action_on_clsact") {
        return;
    }
    let (ns, mut ipr, v0) = setup();
    ipr.tc("add", "clsact", v0, 0, kw! {}).unwrap();
    let base = || kw! { parent: "ffff:fff3", protocol: "all", prio: 1 };
    // On egress (ffff:fff3): TC_ACT_OK (0) for every packet, as a direct-action program.
    ipr.tc(
        "add-filter",
        "bpf",
        v0,
        0,
        base().with("bytecode", "1,6 0 0 0,").with("da", true),
    )
    .unwrap();
    let shown = filters(&ns, "egress");
    assert_eq!(
        shown.len(),
        1,
        "{shown:?} / ingress: {:?}",
        filters(&ns, "ingress")
    );
    assert_eq!(shown[0]["options"]["direct-action"], true, "{shown:?}");
    let text = Command::new("tc")
        .args(["-n", ns.name(), "filter", "show", "dev", "v0", "egress"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("direct-action"), "{text}");
    // Bad bytecode is refused before anything is sent.
    let e = ipr
        .tc(
            "add-filter",
            "bpf",
            v0,
            0,
            base().with("bytecode", "2,6 0 0 0,"),
        )
        .unwrap_err();
    assert!(e.to_string().contains("bytecode"), "{e}");
    ipr.tc("del-filter", "", v0, 0, base()).unwrap();
    assert!(filters(&ns, "egress").is_empty());
}

/// Adds one filter of `kind`; where the kernel lacks it, checks the refusal and prints skip.
fn probe(test: &str, kind: &str, args: rtnl_api::Args) {
    if skip_unless_root(test) {
        return;
    }
    let (ns, mut ipr, v0) = setup();
    ipr.tc("add", "htb", v0, "1:", kw! {}).unwrap();
    let handle = if kind == "fw" { 5 } else { 0 };
    let args = args
        .with("parent", "1:")
        .with("protocol", "ip")
        .with("prio", 3);
    match ipr.tc("add-filter", kind, v0, handle, args) {
        Ok(_) => {
            let shown = filters(&ns, "parent 1:");
            assert_eq!(shown.len(), 1, "{shown:?}");
            assert_eq!(shown[0]["kind"], kind, "{shown:?}");
            ipr.tc("del-filter", "", v0, 0, kw! { parent: "1:", prio: 3 })
                .unwrap();
            assert!(filters(&ns, "parent 1:").is_empty());
        }
        Err(e) => {
            let s = e.to_string();
            assert!(
                s.contains("RTM_NEWTFILTER") && s.contains("ENOENT") && s.contains(kind),
                "{s}"
            );
            eprintln!("skip: {test}: this kernel lacks cls_{kind} ({s})");
        }
    }
}

#[test]
fn flower_probe() {
    probe(
        "flower_probe",
        "flower",
        kw! { dst_ip: "10.0.0.0/24", ip_proto: "tcp", dst_port: 80, classid: "1:10" },
    );
}

#[test]
fn matchall_probe() {
    probe("matchall_probe", "matchall", kw! { classid: "1:10" });
}

#[test]
fn basic_probe() {
    probe(
        "basic_probe",
        "basic",
        kw! { r#match: "cmp(u8 at 9 layer network eq 6)", classid: "1:10" },
    );
}

#[test]
fn fw_probe() {
    probe("fw_probe", "fw", kw! { classid: "1:10" });
}

#[test]
fn route_probe() {
    probe("route_probe", "route", kw! { to: 10, classid: "1:10" });
}

#[test]
fn flow_probe() {
    probe(
        "flow_probe",
        "flow",
        kw! { keys: "src,dst", divisor: 1024, baseclass: "1:1" },
    );
}

/// u32's selector words the kernel takes: a hash table, a node linking to it through
/// `offset`/`hashkey`, a `sample`d node in one of its buckets, `ip6`, `tcp`, `mark`,
/// `ether` and `ip nofrag` matches, `order` (no `police`: this kernel lacks act_police; its
/// bytes are in tc_filter_golden); read back with `tc -j` (the keys as tc prints them) and
/// deleted.
#[test]
fn u32_selector_words() {
    if skip_unless_root("u32_selector_words") {
        return;
    }
    let (ns, mut ipr, v0) = setup();
    ipr.tc("add", "htb", v0, "1:", kw! {}).unwrap();
    let base = |prio: u32, proto: &str| kw! { parent: "1:", protocol: proto, prio: prio };
    let list = |l: &[&str]| rtnl_api::Value::List(l.iter().map(|s| (*s).into()).collect());
    let adds: Vec<(rtnl_api::Value, rtnl_api::Args)> = vec![
        ("1:".into(), base(5, "ip").with("divisor", 16)),
        (
            0.into(),
            base(5, "ip")
                .with("ht", "800::")
                .with("match", "ip protocol 6 0xff")
                .with("offset", "at 0 mask 0f00 shift 6 eat")
                .with("hashkey", "mask 0x000000ff at 20")
                .with("link", "1:"),
        ),
        (
            0.into(),
            base(5, "ip")
                .with("ht", "1:")
                .with("sample", "ip src 10.0.0.21/32 divisor 16")
                .with("match", "ip src 10.0.0.21/32")
                .with("classid", "1:10"),
        ),
        (
            "800::9".into(),
            base(5, "ip")
                .with("order", 9)
                .with(
                    "match",
                    list(&["ip nofrag", "tcp dst 80 0xffff", "mark 0x10 0xff"]),
                )
                .with("classid", "1:10"),
        ),
        (
            0.into(),
            base(6, "ipv6")
                .with(
                    "match",
                    list(&["ip6 dst 2001:db8::/32", "ip6 protocol 17 0xff"]),
                )
                .with("flowid", "1:10"),
        ),
        (
            0.into(),
            base(7, "all")
                .with("match", "ether src 02:00:00:00:00:01")
                .with("classid", "1:10"),
        ),
    ];
    for (handle, args) in adds {
        if let Err(e) = ipr.tc("add-filter", "u32", v0, handle, args.clone()) {
            panic!("u32 {args:?}: {e}");
        }
    }
    let out = Command::new("tc")
        .args(["-n", ns.name(), "filter", "show", "dev", "v0"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for want in [
        // The node in 1:'s bucket 5 (10.0.0.21 folded, modulo 16).
        "fh 1:5:800 ",
        "fh 800::9 order 9 ",
        "match 00000000/00003fff at 4\n  match 00000050/0000ffff at nexthdr+0\n",
        "link 1: ",
        "match 00060000/00ff0000 at 8\n    offset 0f00>>6 at 0  eat \n    hash mask 000000ff at 20",
        "match 20010db8/ffffffff at 24\n  match 00001100/0000ff00 at 4\n",
        "match 02000000/ffffffff at -8\n  match 00010000/ffff0000 at -4\n",
    ] {
        assert!(text.contains(want), "{want:?} not in {text}");
    }
    ipr.tc("del-filter", "", v0, 0, kw! { parent: "1:" })
        .unwrap();
    assert!(filters(&ns, "").is_empty());
}
