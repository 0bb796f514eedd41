//! tc writes on this kernel: for each kind (htb, tbf, pfifo, bfifo, pfifo_fast, ingress,
//! clsact, mq, u32, mirred) add, change, replace, get and del through `IPRoute::tc`, each in a
//! fresh namespace with a veth, read back with rtnl's own `get` and compared field by field with
//! what `tc -j -s` shows. Need root; otherwise each prints `skip: <test>: needs root`.

use std::process::Command;

use rtnl_api::generated::{TcOptions, TcOwned};
use rtnl_api::tc::TcHandle;
use rtnl_api::tc::units::Psched;
use rtnl_api::{Args, IPRoute, Value, kw};
use rtnl_core::testing::{TestNetns, skip_unless_root};
use serde_json::{Value as J, json};

/// A namespace with `v0` (4 tx queues, up) and its peer `v1`; the socket; v0's index.
fn setup() -> (TestNetns, IPRoute, u32) {
    let ns = TestNetns::new().unwrap();
    let mut ipr = IPRoute::from_socket(ns.socket().unwrap());
    for args in [
        "link add v0 numtxqueues 4 type veth peer name v1",
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

/// `tc -j -s ARGS` in the namespace.
fn tc_json(ns: &TestNetns, args: &str) -> Vec<J> {
    let out = Command::new("tc")
        .args(["-j", "-s", "-n", ns.name()])
        .args(args.split_whitespace())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "tc {args}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<J>(&out.stdout)
        .unwrap()
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// `tc ARGS` (text) in the namespace.
fn tc_text(ns: &TestNetns, args: &str) -> String {
    let out = Command::new("tc")
        .args(["-n", ns.name()])
        .args(args.split_whitespace())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "tc {args}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The options of a qdisc as tc -j names them, from rtnl's typed view.
fn options_json(m: &TcOwned) -> J {
    let v = m.view();
    let clock = Psched::read();
    // tc_calc_xmitsize: bytes sent at `rate` in `ticks` (tick2time cuts to whole microseconds).
    let size = |rate: u32, ticks: u32| {
        let usec = (ticks as f64 / clock.tick_in_usec) as u32;
        (rate as f64 * usec as f64 / 1e6) as u64
    };
    match v.options().unwrap() {
        Some(TcOptions::Htb(o)) => {
            let init = o.init().unwrap().unwrap();
            json!({ "r2q": init.rate2quantum(), "default": format!("{:#x}", init.defcls()),
                    "direct_qlen": o.direct_qlen().unwrap() })
        }
        Some(TcOptions::Tbf(o)) => {
            let p = o.parms().unwrap().unwrap();
            json!({ "rate": p.rate.rate(), "burst": size(p.rate.rate(), p.buffer()) })
        }
        Some(TcOptions::Pfifo(o)) | Some(TcOptions::Bfifo(o)) => json!({ "limit": o.limit() }),
        Some(TcOptions::PfifoFast(o)) => {
            json!({ "bands": o.bands(), "priomap": o.priomap.to_vec() })
        }
        _ => json!({}),
    }
}

/// Compares rtnl's `get` of the qdisc at `parent` with tc's line for it: kind, handle, parent,
/// the options tc shows, and the basic statistics.
fn same_qdisc(ns: &TestNetns, ipr: &mut IPRoute, v0: u32, kind: &str, parent: &str) {
    let tcs = tc_json(ns, "qdisc show dev v0");
    let ours = ipr.tc("get", "", v0, 0, kw! { parent: parent }).unwrap();
    assert_eq!(ours.len(), 1, "get {kind} at {parent}");
    let m = &ours[0];
    let v = m.view();
    let theirs = tcs
        .iter()
        .find(|q| q["kind"] == kind)
        .unwrap_or_else(|| panic!("tc shows no {kind}: {tcs:?}"));
    assert_eq!(v.kind().unwrap(), Some(kind));
    assert_eq!(
        TcHandle(v.header().handle.get()).to_string(),
        theirs["handle"].as_str().unwrap()
    );
    let p = TcHandle(v.header().parent.get());
    if theirs["root"] == true {
        assert_eq!(p, TcHandle::ROOT);
    } else {
        assert_eq!(p.to_string(), theirs["parent"].as_str().unwrap());
    }
    let opts = options_json(m);
    for (k, want) in opts.as_object().unwrap() {
        assert_eq!(
            &theirs["options"][k], want,
            "{kind} option {k}: tc {theirs}"
        );
    }
    // Counters only grow (the link is up: IPv6 sends its solicitations): tc's reading before
    // ours <= ours <= tc's reading after.
    if theirs.get("bytes").is_some() {
        let basic = v.stats2().unwrap().unwrap().basic().unwrap().unwrap();
        let after = tc_json(ns, "qdisc show dev v0");
        let after = after.iter().find(|q| q["kind"] == kind).unwrap();
        for (k, ours) in [
            ("bytes", basic.bytes_attr()),
            ("packets", u64::from(basic.packets())),
        ] {
            let (lo, hi) = (theirs[k].as_u64().unwrap(), after[k].as_u64().unwrap());
            assert!(
                lo <= ours && ours <= hi,
                "{kind} {k}: tc {lo} then {hi}, rtnl {ours}"
            );
        }
    }
}

/// add, change, replace, get, del of one qdisc kind, each read back and compared with tc.
#[allow(clippy::too_many_arguments)]
fn qdisc_cycle(
    test: &str,
    kind: &str,
    handle: &str,
    parent: &str,
    add: Args,
    change: Option<Args>,
    replace: (&str, Args),
    check: &[(&str, J)],
) {
    if skip_unless_root(test) {
        return;
    }
    let (ns, mut ipr, v0) = setup();
    let h = Value::from(handle);
    ipr.tc("add", kind, v0, h.clone(), add.clone()).unwrap();
    same_qdisc(&ns, &mut ipr, v0, kind, parent);
    // add again: the kernel refuses (NLM_F_EXCL), and says so.
    let e = ipr
        .tc("add", kind, v0, h.clone(), add)
        .unwrap_err()
        .to_string();
    assert!(e.contains("EEXIST") || e.contains("EINVAL"), "{e}");
    match change {
        Some(change) => {
            ipr.tc("change", kind, v0, h.clone(), change).unwrap();
            same_qdisc(&ns, &mut ipr, v0, kind, parent);
        }
        None => {
            // This kind has no change operation (htb's qdisc): the kernel says so.
            let e = ipr
                .tc("change", kind, v0, h.clone(), kw! {})
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("EINVAL") && e.contains("Change operation not supported"),
                "{e}"
            );
        }
    }
    // replace: in place, or (a kind that cannot change) a new qdisc grafted in its stead.
    let h = Value::from(replace.0);
    ipr.tc("replace", kind, v0, h.clone(), replace.1).unwrap();
    same_qdisc(&ns, &mut ipr, v0, kind, parent);
    let tcs = tc_json(&ns, "qdisc show dev v0");
    let q = tcs.iter().find(|q| q["kind"] == kind).unwrap();
    for (k, want) in check {
        assert_eq!(&q["options"][k], want, "after replace: {k} in {q}");
    }
    ipr.tc("del", kind, v0, h, kw! { parent: parent }).unwrap();
    assert!(
        ipr.tc("get", "", v0, 0, kw! { parent: parent })
            .unwrap()
            .iter()
            .all(|m| m.view().kind().unwrap() != Some(kind))
    );
    assert!(
        !tc_json(&ns, "qdisc show dev v0")
            .iter()
            .any(|q| q["kind"] == kind)
    );
}

#[test]
fn htb_qdisc() {
    qdisc_cycle(
        "htb_qdisc",
        "htb",
        "1:",
        "root",
        kw! { default: "10" },
        None,
        ("2:", kw! { default: "30", r2q: 5 }),
        &[("default", json!("0x30")), ("r2q", json!(5))],
    );
}

#[test]
fn tbf() {
    qdisc_cycle(
        "tbf",
        "tbf",
        "1:",
        "root",
        kw! { rate: "1mbit", burst: "32kbit", latency: "400ms" },
        Some(kw! { rate: "2mbit", burst: "32kbit", latency: "400ms" }),
        ("1:", kw! { rate: "5mbit", burst: "64k", limit: "100k" }),
        &[("rate", json!(625_000)), ("burst", json!(65535))],
    );
}

#[test]
fn pfifo() {
    qdisc_cycle(
        "pfifo",
        "pfifo",
        "1:",
        "root",
        kw! { limit: 100 },
        Some(kw! { limit: 200 }),
        ("1:", kw! { limit: 300 }),
        &[("limit", json!(300))],
    );
}

#[test]
fn bfifo() {
    qdisc_cycle(
        "bfifo",
        "bfifo",
        "1:",
        "root",
        kw! { limit: "64k" },
        Some(kw! { limit: "128k" }),
        ("1:", kw! { limit: 3000 }),
        &[("limit", json!(3000))],
    );
}

#[test]
fn pfifo_fast() {
    qdisc_cycle(
        "pfifo_fast",
        "pfifo_fast",
        "1:",
        "root",
        kw! {},
        Some(kw! {}),
        ("1:", kw! {}),
        &[("bands", json!(3))],
    );
}

#[test]
fn ingress() {
    qdisc_cycle(
        "ingress",
        "ingress",
        "ffff:",
        "ffff:fff1",
        kw! {},
        Some(kw! {}),
        ("ffff:", kw! {}),
        &[],
    );
}

#[test]
fn clsact() {
    qdisc_cycle(
        "clsact",
        "clsact",
        "ffff:",
        "ffff:fff1",
        kw! {},
        Some(kw! {}),
        ("ffff:", kw! {}),
        &[],
    );
}

#[test]
fn mq() {
    if skip_unless_root("mq") {
        return;
    }
    let (ns, mut ipr, v0) = setup();
    ipr.tc("add", "mq", v0, "1:", kw! {}).unwrap();
    same_qdisc(&ns, &mut ipr, v0, "mq", "root");
    // One child per tx queue: get_qdiscs(v0) sees them, as tc does.
    let ours = ipr.get_qdiscs(v0).unwrap().collect().unwrap();
    let theirs = tc_json(&ns, "qdisc show dev v0");
    assert_eq!(ours.len(), theirs.len(), "{theirs:?}");
    assert_eq!(ours.len(), 5);
    ipr.tc("replace", "mq", v0, "1:", kw! {}).unwrap();
    same_qdisc(&ns, &mut ipr, v0, "mq", "root");
    ipr.tc("del", "", v0, 0, kw! {}).unwrap();
    assert!(
        !tc_json(&ns, "qdisc show dev v0")
            .iter()
            .any(|q| q["kind"] == "mq")
    );
}

#[test]
fn get_qdiscs_is_per_device() {
    if skip_unless_root("get_qdiscs_is_per_device") {
        return;
    }
    let (_ns, mut ipr, v0) = setup();
    let v1 = ipr.link_lookup("ifname", "v1").unwrap()[0];
    ipr.tc("add", "pfifo", v0, "1:", kw! { limit: 10 }).unwrap();
    ipr.tc("add", "bfifo", v1, "2:", kw! { limit: 1000 })
        .unwrap();
    let kinds = |ipr: &mut IPRoute, i: u32| -> Vec<(i32, String)> {
        ipr.get_qdiscs(i)
            .unwrap()
            .collect()
            .unwrap()
            .iter()
            .map(|q| {
                (
                    q.view().header().ifindex.get(),
                    q.view().kind().unwrap().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    assert_eq!(kinds(&mut ipr, v0), [(v0 as i32, "pfifo".to_string())]);
    assert_eq!(kinds(&mut ipr, v1), [(v1 as i32, "bfifo".to_string())]);
    assert!(kinds(&mut ipr, 0).len() >= 2);
    assert_eq!(ipr.tc("dump", "", v1, 0, kw! {}).unwrap().len(), 1);
}

#[test]
fn htb_class() {
    if skip_unless_root("htb_class") {
        return;
    }
    let (ns, mut ipr, v0) = setup();
    ipr.tc("add", "htb", v0, "1:", kw! { default: "10" })
        .unwrap();
    let check = |ipr: &mut IPRoute, rate: &str, ceil: &str, prio: u32| {
        let ours = ipr
            .tc("get-class", "", v0, "1:10", kw! { parent: "1:" })
            .unwrap();
        assert_eq!(ours.len(), 1);
        let v = ours[0].view();
        let Some(TcOptions::Htb(o)) = v.options().unwrap() else {
            panic!("htb class options")
        };
        let p = o.parms().unwrap().unwrap();
        // tc 6.1 prints htb classes as text even with -j.
        let line = format!("class htb 1:10 root prio {prio} rate {rate} ceil {ceil}");
        let text = tc_text(&ns, "class show dev v0");
        assert!(text.contains(&line), "{line:?} not in {text}");
        let tc_rate = |s: &str| rtnl_api::tc::units::rate("rate", &Value::from(s), None).unwrap();
        assert_eq!(u64::from(p.rate.rate()), tc_rate(rate));
        assert_eq!(u64::from(p.ceil.rate()), tc_rate(ceil));
        assert_eq!(p.prio(), prio);
        assert_eq!(TcHandle(v.header().handle.get()).to_string(), "1:10");
    };
    ipr.tc(
        "add-class",
        "htb",
        v0,
        "1:10",
        kw! { parent: "1:", rate: "5mbit", ceil: "10mbit", prio: 1 },
    )
    .unwrap();
    check(&mut ipr, "5Mbit", "10Mbit", 1);
    ipr.tc(
        "change-class",
        "htb",
        v0,
        "1:10",
        kw! { parent: "1:", rate: "6mbit", prio: 2 },
    )
    .unwrap();
    check(&mut ipr, "6Mbit", "6Mbit", 2);
    ipr.tc(
        "replace-class",
        "htb",
        v0,
        "1:10",
        kw! { parent: "1:", rate: "7mbit", ceil: "1gbit" },
    )
    .unwrap();
    check(&mut ipr, "7Mbit", "1Gbit", 0);
    // Above 2^32 - 1 bytes/s the rate goes in TCA_HTB_RATE64 / CEIL64 (tc_ratespec saturates).
    ipr.tc(
        "replace-class",
        "htb",
        v0,
        "1:10",
        kw! { parent: "1:", rate: "40gbit", ceil: "100gbit" },
    )
    .unwrap();
    let text = tc_text(&ns, "class show dev v0");
    assert!(text.contains("rate 40Gbit ceil 100Gbit"), "{text}");
    let ours = ipr
        .tc("get-class", "", v0, "1:10", kw! { parent: "1:" })
        .unwrap();
    let Some(TcOptions::Htb(o)) = ours[0].view().options().unwrap() else {
        panic!("htb")
    };
    assert_eq!(o.rate64().unwrap(), Some(5_000_000_000));
    assert_eq!(o.ceil64().unwrap(), Some(12_500_000_000));
    assert_eq!(o.parms().unwrap().unwrap().rate.rate(), u32::MAX);
    assert_eq!(ipr.tc("dump-class", "", v0, 0, kw! {}).unwrap().len(), 1);
    ipr.tc("del-class", "", v0, "1:10", kw! { parent: "1:" })
        .unwrap();
    assert!(ipr.tc("dump-class", "", v0, 0, kw! {}).unwrap().is_empty());
    assert!(tc_text(&ns, "class show dev v0").is_empty());
}

/// The u32 rules (not the hash tables) tc shows under `parent`.
fn u32_rules(ns: &TestNetns, parent: &str) -> Vec<J> {
    tc_json(ns, &format!("filter show dev v0 parent {parent}"))
        .into_iter()
        .filter(|f| f["options"]["match"].is_object())
        .collect()
}

#[test]
fn u32_filter() {
    if skip_unless_root("u32_filter") {
        return;
    }
    let (ns, mut ipr, v0) = setup();
    ipr.tc("add", "htb", v0, "1:", kw! {}).unwrap();
    let base = || kw! { parent: "1:", protocol: "ip", prio: 1 };
    let with = |m: &str, flowid: &str| base().with("match", m).with("flowid", flowid);
    let check = |ipr: &mut IPRoute, value: &str, mask: &str, off: i64, flowid: &str| {
        let rules = u32_rules(&ns, "1:");
        assert_eq!(rules.len(), 1, "{rules:?}");
        let o = &rules[0]["options"];
        assert_eq!(
            o["match"],
            json!({ "value": value, "mask": mask, "offmask": "", "off": off }),
            "{o}"
        );
        assert_eq!(o["flowid"], flowid);
        assert_eq!(o["fh"], "800::800");
        let ours = ipr.tc("get-filter", "u32", v0, "800::800", base()).unwrap();
        assert_eq!(ours.len(), 1);
        let v = ours[0].view();
        let Some(TcOptions::U32(u)) = v.options().unwrap() else {
            panic!("u32 options")
        };
        assert_eq!(TcHandle(u.classid().unwrap().unwrap()).to_string(), flowid);
        assert_eq!(
            v.header().info.get() >> 16,
            rules[0]["pref"].as_u64().unwrap() as u32
        );
        assert_eq!(v.header().handle.get(), 0x8000_0800);
    };
    ipr.tc(
        "add-filter",
        "u32",
        v0,
        0,
        with("ip dport 80 0xffff", "1:10"),
    )
    .unwrap();
    check(&mut ipr, "50", "ffff", 20, "1:10");
    // The kernel's u32 keeps an existing rule's selector on change and replace (u32_change
    // copies the old knode's keys); the class and actions change.
    ipr.tc(
        "change-filter",
        "u32",
        v0,
        "800::800",
        with("ip dst 10.0.0.0/24", "1:20"),
    )
    .unwrap();
    check(&mut ipr, "50", "ffff", 20, "1:20");
    ipr.tc(
        "replace-filter",
        "u32",
        v0,
        "800::800",
        base()
            .with("keys", "0x16/0xffff+20")
            .with("classid", "1:30"),
    )
    .unwrap();
    check(&mut ipr, "50", "ffff", 20, "1:30");
    // A new rule (the next node) takes pyroute2's keys (bytes 20..22 = 0x0016, as pyroute2 reads them).
    ipr.tc(
        "add-filter",
        "u32",
        v0,
        "800::801",
        base()
            .with("keys", "0x16/0xffff+20")
            .with("classid", "1:30"),
    )
    .unwrap();
    let rules = u32_rules(&ns, "1:");
    assert_eq!(
        rules[1]["options"]["match"],
        json!({ "value": "160000", "mask": "ffff0000", "offmask": "", "off": 20 }),
        "{rules:?}"
    );
    ipr.tc("del-filter", "u32", v0, "800::801", base()).unwrap();
    assert!(
        !ipr.tc("dump-filter", "", v0, 0, kw! { parent: "1:" })
            .unwrap()
            .is_empty()
    );
    ipr.tc("del-filter", "", v0, 0, base()).unwrap();
    assert!(u32_rules(&ns, "1:").is_empty());
    assert!(
        ipr.tc("dump-filter", "", v0, 0, kw! { parent: "1:" })
            .unwrap()
            .is_empty()
    );
}

#[test]
fn mirred_action() {
    if skip_unless_root("mirred_action") {
        return;
    }
    let (ns, mut ipr, v0) = setup();
    let v1 = ipr.link_lookup("ifname", "v1").unwrap()[0];
    ipr.tc("add", "ingress", v0, 0, kw! {}).unwrap();
    let act = |action: &str, dev: Value| -> Value {
        kw! { kind: "mirred", direction: "egress", action: action, dev: dev }.into()
    };
    let base = || kw! { parent: "ffff:", protocol: "ip", prio: 4 };
    let check = |ipr: &mut IPRoute, action: &str, verdict: &str| {
        let rules = u32_rules(&ns, "ffff:");
        assert_eq!(rules.len(), 1, "{rules:?}");
        let a = &rules[0]["options"]["actions"][0];
        assert_eq!(a["kind"], "mirred", "{a}");
        assert_eq!(a["mirred_action"], action, "{a}");
        assert_eq!(a["direction"], "egress", "{a}");
        assert_eq!(a["to_dev"], "v1", "{a}");
        assert_eq!(a["control_action"]["type"], verdict, "{a}");
        let ours = ipr.tc("get-filter", "u32", v0, "800::800", base()).unwrap();
        let v = ours[0].view();
        let Some(TcOptions::U32(u)) = v.options().unwrap() else {
            panic!("u32 options")
        };
        let acts: Vec<_> = u.act().unwrap().unwrap().collect::<Result<_, _>>().unwrap();
        assert_eq!(acts[0].kind().unwrap(), Some("mirred"));
    };
    ipr.tc(
        "add-filter",
        "u32",
        v0,
        0,
        base()
            .with("match", "ip dst 10.0.0.1/32")
            .with("action", act("redirect", "v1".into())),
    )
    .unwrap();
    check(&mut ipr, "redirect", "stolen");
    ipr.tc(
        "replace-filter",
        "u32",
        v0,
        "800::800",
        base()
            .with("match", "ip dst 10.0.0.1/32")
            .with("action", act("mirror", Value::Int(v1 as i128))),
    )
    .unwrap();
    check(&mut ipr, "mirror", "pipe");
    ipr.tc(
        "change-filter",
        "u32",
        v0,
        "800::800",
        base()
            .with("match", "ip dst 10.0.0.2/32")
            .with("action", act("redirect", "v1".into())),
    )
    .unwrap();
    check(&mut ipr, "redirect", "stolen");
    ipr.tc("del-filter", "", v0, 0, base()).unwrap();
    assert!(u32_rules(&ns, "ffff:").is_empty());
}

#[test]
fn missing_module_names_the_kind() {
    if skip_unless_root("missing_module_names_the_kind") {
        return;
    }
    let (_ns, mut ipr, v0) = setup();
    // netem is not built for this kernel (BRIEF §7); where it is, this checks nothing more.
    match ipr.tc("add", "netem", v0, "1:", kw! { delay: "10ms" }) {
        Ok(_) => eprintln!("skip: missing_module_names_the_kind: this kernel has netem"),
        Err(e) => {
            let e = e.to_string();
            assert!(
                e.contains("RTM_NEWQDISC") && e.contains("ENOENT") && e.contains("\"netem\""),
                "{e}"
            );
        }
    }
}

#[test]
fn percent_rate_needs_this_namespaces_sysfs() {
    if skip_unless_root("percent_rate_needs_this_namespaces_sysfs") {
        return;
    }
    let (_ns, mut ipr, v0) = setup();
    ipr.tc("add", "htb", v0, "1:", kw! {}).unwrap();
    // The test's sysfs shows the host's devices, not this namespace's v0: rtnl does not read
    // another device's speed, and says why before sending anything.
    let e = ipr
        .tc(
            "add-class",
            "htb",
            v0,
            "1:10",
            kw! { parent: "1:", rate: "10%" },
        )
        .unwrap_err();
    match e {
        rtnl_api::Error::Arg(a) => {
            assert_eq!(a.name, "rate");
            assert!(a.reason.contains("link speed"), "{a}");
        }
        e => panic!("not an ArgError: {e}"),
    }
    assert!(ipr.tc("dump-class", "", v0, 0, kw! {}).unwrap().is_empty());
}
