//! tc actions and chains on this kernel, each test in a fresh namespace: shared actions added,
//! read back, deleted and flushed through `IPRoute::tc_action`, checked against what
//! `tc -j actions list` shows; `get_actions_where` by kind and index against the same list;
//! chains added, got and deleted through `IPRoute::tc`. Kinds this
//! kernel lacks (the add fails with ENOENT: no module) print `skip: <test>: <reason>`. Need
//! root; otherwise each prints `skip: <test>: needs root`.

use std::process::Command;

use rtnl_api::tc::TcActionSelect;
use rtnl_api::{Args, IPBatch, IPRoute, Value, kw};
use rtnl_core::testing::{TestNetns, skip_unless_root};
use serde_json::Value as J;

fn setup() -> (TestNetns, IPRoute) {
    let ns = TestNetns::new().unwrap();
    let ipr = IPRoute::from_socket(ns.socket().unwrap());
    (ns, ipr)
}

/// `tc -j ARGS` in the namespace, as JSON (null for no output).
fn tc_json(ns: &TestNetns, args: &str) -> J {
    let out = Command::new("tc")
        .args(["-j", "-n", ns.name()])
        .args(args.split_whitespace())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "tc {args}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or(J::Null)
}

/// The indexes tc lists for action `kind`.
fn tc_indexes(ns: &TestNetns, kind: &str) -> Vec<u64> {
    let j = tc_json(ns, &format!("actions list action {kind}"));
    let mut out = Vec::new();
    for tab in j.as_array().into_iter().flatten() {
        for a in tab["actions"].as_array().into_iter().flatten() {
            out.push(a["index"].as_u64().unwrap());
        }
    }
    out.sort();
    out
}

/// The first action of tc's JSON (after its `{"total acts": N}` element).
fn first_action(j: &J) -> &J {
    j.as_array()
        .into_iter()
        .flatten()
        .find_map(|t| t["actions"].as_array().and_then(|a| a.first()))
        .unwrap_or_else(|| panic!("no action in {j}"))
}

/// Our dump's indexes for `kind`.
fn our_indexes(ipr: &mut IPRoute, kind: &str) -> Vec<u64> {
    let mut out: Vec<u64> = ipr
        .tc_action("dump", kind, kw! {})
        .unwrap()
        .iter()
        .flat_map(|m| m.actions())
        .map(|(k, i)| {
            assert_eq!(k, kind);
            u64::from(i)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn mirred_add_get_dump_del_flush() {
    let name = "mirred_add_get_dump_del_flush";
    if skip_unless_root(name) {
        return;
    }
    let (ns, mut ipr) = setup();
    let lo = ipr.link_lookup("ifname", "lo").unwrap()[0];
    ipr.tc_action(
        "add",
        "mirred",
        kw! { direction: "egress", action: "redirect", dev: lo, index: 9 },
    )
    .unwrap();
    ipr.tc_action(
        "add",
        "mirred",
        kw! { direction: "ingress", action: "mirror", dev: "lo", index: 10, cookie: "0102aabb" },
    )
    .unwrap();
    assert_eq!(tc_indexes(&ns, "mirred"), [9, 10]);
    assert_eq!(our_indexes(&mut ipr, "mirred"), [9, 10]);
    let j = tc_json(&ns, "actions get action mirred index 10");
    let a = first_action(&j);
    assert_eq!(a["mirred_action"], "mirror", "{j}");
    assert_eq!(a["direction"], "ingress", "{j}");
    assert_eq!(a["cookie"], "0102aabb", "{j}");
    // The same index again is EEXIST (add is CREATE|EXCL); replace changes it in place.
    let e = ipr
        .tc_action(
            "add",
            "mirred",
            kw! { direction: "egress", action: "redirect", dev: lo, index: 9 },
        )
        .unwrap_err();
    assert!(e.to_string().contains("EEXIST"), "{e}");
    ipr.tc_action(
        "replace",
        "mirred",
        kw! { direction: "egress", action: "mirror", dev: lo, index: 9 },
    )
    .unwrap();
    let j = tc_json(&ns, "actions get action mirred index 9");
    assert_eq!(first_action(&j)["mirred_action"], "mirror", "{j}");
    // get answers the one action.
    let got = ipr.tc_action("get", "mirred", kw! { index: 9 }).unwrap();
    let acts: Vec<_> = got.iter().flat_map(|m| m.actions()).collect();
    assert_eq!(acts, [("mirred".to_string(), 9)]);
    ipr.tc_action("del", "mirred", kw! { index: 9 }).unwrap();
    assert_eq!(tc_indexes(&ns, "mirred"), [10]);
    let e = ipr
        .tc_action("get", "mirred", kw! { index: 9 })
        .unwrap_err();
    assert!(e.to_string().contains("ENOENT"), "{e}");
    ipr.tc_action("flush", "mirred", kw! {}).unwrap();
    assert_eq!(tc_indexes(&ns, "mirred"), Vec::<u64>::new());
    assert_eq!(our_indexes(&mut ipr, "mirred"), Vec::<u64>::new());
}

#[test]
fn batch_adds_a_list_of_actions() {
    let name = "batch_adds_a_list_of_actions";
    if skip_unless_root(name) {
        return;
    }
    let (ns, mut ipr) = setup();
    let lo = ipr.link_lookup("ifname", "lo").unwrap()[0];
    let m = |i: u32| -> Value {
        kw! { kind: "mirred", direction: "egress", action: "mirror", dev: lo, index: i }.into()
    };
    let mut b = IPBatch::new();
    b.tc_action("add", "", kw! { actions: Value::List(vec![m(21), m(22)]) })
        .unwrap();
    b.tc_action(
        "add",
        "mirred",
        kw! { direction: "egress", action: "redirect", dev: lo, index: 23 },
    )
    .unwrap();
    b.send(&mut ipr).unwrap();
    assert_eq!(tc_indexes(&ns, "mirred"), [21, 22, 23]);
}

/// Every other action kind: added (and read back by index) where the kernel has it.
#[test]
fn other_kinds_where_the_kernel_has_them() {
    let name = "other_kinds_where_the_kernel_has_them";
    if skip_unless_root(name) {
        return;
    }
    let (ns, mut ipr) = setup();
    let kinds: Vec<(&str, Args)> = vec![
        (
            "gact",
            kw! { action: "drop", random: "determ pass 10", index: 31 },
        ),
        ("skbedit", kw! { mark: 5, priority: "1:2", index: 32 }),
        (
            "vlan",
            kw! { op: "push", id: 100, protocol: "802.1q", index: 33 },
        ),
        ("connmark", kw! { zone: 5, index: 34 }),
        ("sample", kw! { rate: 100, group: 5, index: 35 }),
        ("mpls", kw! { op: "pop", protocol: "ip", index: 36 }),
        (
            "police",
            kw! { rate: "1mbit", burst: "10k", conform_exceed: "drop/pipe", index: 37 },
        ),
        ("csum", kw! { update: "ip4h tcp", index: 38 }),
        (
            "nat",
            kw! { old: "10.0.0.0/24", new: "10.1.0.0", index: 39 },
        ),
        ("skbmod", kw! { dmac: "00:11:22:33:44:55", index: 40 }),
        ("ct", kw! { zone: 5, commit: true, index: 41 }),
        ("pedit", kw! { munge: "ip ttl set 10", index: 42 }),
        ("ife", kw! { op: "encode", allow: "mark", index: 43 }),
        ("tunnel_key", kw! { op: "release", index: 44 }),
    ];
    let mut tested = 0;
    for (kind, args) in kinds {
        match ipr.tc_action("add", kind, args) {
            Err(rtnl_api::Error::Kernel(k)) if k.errno == 2 => {
                eprintln!("skip: {name}: {kind}: this kernel has no act_{kind} ({k})");
                continue;
            }
            r => r.unwrap_or_else(|e| panic!("{kind}: {e}")),
        };
        let ours = our_indexes(&mut ipr, kind);
        assert_eq!(tc_indexes(&ns, kind), ours, "{kind}");
        assert_eq!(ours.len(), 1, "{kind}");
        ipr.tc_action("flush", kind, kw! {}).unwrap();
        assert!(tc_indexes(&ns, kind).is_empty(), "{kind}");
        tested += 1;
    }
    eprintln!("{name}: {tested} kinds tested live");
}

#[test]
fn chains_add_get_del() {
    let name = "chains_add_get_del";
    if skip_unless_root(name) {
        return;
    }
    let (ns, mut ipr) = setup();
    let lo = ipr.link_lookup("ifname", "lo").unwrap()[0];
    ipr.tc("add", "clsact", lo, 0, kw! {}).unwrap();
    ipr.tc(
        "add-chain",
        "",
        lo,
        0,
        kw! { parent: "ffff:fff2", chain: 5 },
    )
    .unwrap();
    let j = tc_json(&ns, "chain show dev lo ingress");
    let chains: Vec<_> = j
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["chain"].as_u64().unwrap())
        .collect();
    assert_eq!(chains, [5], "{j}");
    let got = ipr
        .tc(
            "get-chain",
            "",
            lo,
            0,
            kw! { parent: "ffff:fff2", chain: 5 },
        )
        .unwrap();
    assert_eq!(got.len(), 1);
    let dump = ipr
        .tc("dump-chain", "", lo, 0, kw! { parent: "ffff:fff2" })
        .unwrap();
    assert_eq!(dump.len(), 1);
    ipr.tc(
        "del-chain",
        "",
        lo,
        0,
        kw! { parent: "ffff:fff2", chain: 5 },
    )
    .unwrap();
    assert!(
        tc_json(&ns, "chain show dev lo ingress")
            .as_array()
            .is_none_or(|a| a.is_empty())
    );
    let e = ipr
        .tc(
            "get-chain",
            "",
            lo,
            0,
            kw! { parent: "ffff:fff2", chain: 5 },
        )
        .unwrap_err();
    assert!(
        e.to_string().contains("ENOENT") || e.to_string().contains("EINVAL"),
        "{e}"
    );
}

/// An action in a filter's list takes `index` and `cookie` as a shared one does: the filter's
/// mirred shows in `tc actions list` under its index, with its cookie.
#[test]
fn filter_action_list_index_and_cookie() {
    let name = "filter_action_list_index_and_cookie";
    if skip_unless_root(name) {
        return;
    }
    let (ns, mut ipr) = setup();
    let lo = ipr.link_lookup("ifname", "lo").unwrap()[0];
    ipr.tc("add", "clsact", lo, 0, kw! {}).unwrap();
    let act: Value = kw! {
        kind: "mirred", direction: "egress", action: "mirror", dev: lo,
        index: 40, cookie: "aabbccdd",
    }
    .into();
    ipr.tc(
        "add-filter",
        "u32",
        lo,
        0,
        kw! {
            parent: "ffff:fff2", prio: 10, protocol: "ip",
            r#match: vec![Value::from("ip dst 10.0.0.1/32")], action: act,
        },
    )
    .unwrap();
    assert_eq!(tc_indexes(&ns, "mirred"), [40]);
    let j = tc_json(&ns, "actions get action mirred index 40");
    assert_eq!(first_action(&j)["cookie"], "aabbccdd", "{j}");
    assert_eq!(our_indexes(&mut ipr, "mirred"), [40]);
}

/// `(kind, index)` of what `get_actions_where(sel)` lists, sorted.
fn selected(ipr: &mut IPRoute, sel: &TcActionSelect) -> Vec<(String, u32)> {
    let mut v: Vec<_> = ipr
        .get_actions_where(sel)
        .unwrap()
        .into_iter()
        .map(|a| (a.kind, a.index))
        .collect();
    v.sort();
    v
}

/// `get_actions_where`: by kind (one dump), kind and index (the kernel's get; none for an
/// index it lacks), index alone and no selection (one dump per action kind), checked against
/// `tc actions list`; a second kind where the kernel has one (gact: else a printed skip with
/// the kernel's answer).
#[test]
fn get_actions_where_by_kind_and_index() {
    let name = "get_actions_where_by_kind_and_index";
    if skip_unless_root(name) {
        return;
    }
    let (ns, mut ipr) = setup();
    let lo = ipr.link_lookup("ifname", "lo").unwrap()[0];
    for i in [9u32, 10, 11] {
        ipr.tc_action(
            "add",
            "mirred",
            kw! { direction: "egress", action: "mirror", dev: lo, index: i },
        )
        .unwrap();
    }
    let m = |i: u32| ("mirred".to_string(), i);
    let sel = TcActionSelect::new;
    assert_eq!(tc_indexes(&ns, "mirred"), [9, 10, 11]);
    assert_eq!(
        selected(&mut ipr, &sel().kind("mirred")),
        [m(9), m(10), m(11)]
    );
    let one = ipr
        .get_actions_where(&sel().kind("mirred").index(10))
        .unwrap();
    assert_eq!(one.len(), 1, "{one:?}");
    assert_eq!((one[0].kind.as_str(), one[0].index), ("mirred", 10));
    let opts = one[0].attrs().options().unwrap().unwrap();
    let rtnl_api::generated::TcActOptions::Mirred(mirred) = opts else {
        panic!("not mirred options: {opts:?}");
    };
    assert_eq!(mirred.parms().unwrap().unwrap().ifindex(), lo);
    assert_eq!(selected(&mut ipr, &sel().kind("mirred").index(99)), []);
    assert_eq!(selected(&mut ipr, &sel().index(11)), [m(11)]);
    // gact, where this kernel has it: index 9 is then two actions of two kinds.
    let gact = ipr.tc_action("add", "gact", kw! { action: "drop", index: 9 });
    let mut all = vec![m(9), m(10), m(11)];
    match gact {
        Err(rtnl_api::Error::Kernel(k)) if k.errno == 2 => {
            eprintln!("skip: {name}: gact part: this kernel has no act_gact ({k})");
            assert_eq!(selected(&mut ipr, &sel().kind("gact")), []);
        }
        r => {
            r.unwrap();
            assert_eq!(tc_indexes(&ns, "gact"), [9]);
            assert_eq!(
                selected(&mut ipr, &sel().index(9)),
                [("gact".to_string(), 9), m(9)]
            );
            all.insert(0, ("gact".to_string(), 9));
        }
    }
    assert_eq!(selected(&mut ipr, &sel()), all);
    ipr.tc_action("del", "mirred", kw! { index: 10 }).unwrap();
    assert_eq!(selected(&mut ipr, &sel().kind("mirred").index(10)), []);
    assert_eq!(tc_indexes(&ns, "mirred"), [9, 11]);
}

/// Adds action `kind`; false (after a printed skip with the kernel's answer) where this
/// kernel has no module for it.
fn add_or_skip(ipr: &mut IPRoute, test: &str, kind: &str, args: Args) -> bool {
    match ipr.tc_action("add", kind, args) {
        Err(rtnl_api::Error::Kernel(k)) if k.errno == 2 => {
            eprintln!("skip: {test}: this kernel has no act_{kind} ({k})");
            false
        }
        r => {
            r.unwrap_or_else(|e| panic!("{kind}: {e}"));
            true
        }
    }
}

/// The gate action where the kernel has it: its schedule as tc shows it (open entry with
/// its interval and wildcards, the closed one), and read back through `get_actions_where`.
#[test]
fn gate_action_where_the_kernel_has_it() {
    let name = "gate_action_where_the_kernel_has_it";
    if skip_unless_root(name) {
        return;
    }
    let (ns, mut ipr) = setup();
    let args = kw! {
        sched_entry: vec!["open 200ms -1 -1", "close 100000000"],
        clockid: "CLOCK_TAI", index: 45,
    };
    if !add_or_skip(&mut ipr, name, "gate", args) {
        return;
    }
    let j = tc_json(&ns, "actions get action gate index 45");
    let a = first_action(&j);
    let sched = a["schedule"].as_array().unwrap_or_else(|| panic!("{j}"));
    assert_eq!(sched.len(), 2, "{j}");
    assert_eq!(sched[0]["gate_state"], "open", "{j}");
    assert_eq!(sched[0]["interval"], 200_000_000, "{j}");
    assert_eq!(sched[1]["gate_state"], "close", "{j}");
    assert_eq!(sched[1]["interval"], 100_000_000, "{j}");
    let ours = ipr
        .get_actions_where(&TcActionSelect::new().kind("gate").index(45))
        .unwrap();
    assert_eq!(ours.len(), 1, "{ours:?}");
    let Some(rtnl_api::generated::TcActOptions::Gate(g)) = ours[0].attrs().options().unwrap()
    else {
        panic!("no gate options: {ours:?}");
    };
    assert_eq!(g.clockid().unwrap(), Some(11));
    ipr.tc_action("del", "gate", kw! { index: 45 }).unwrap();
    assert!(tc_indexes(&ns, "gate").is_empty());
}

/// The bpf action where the kernel has it: classic bytecode (one `ret #0`), listed by tc
/// and read back with its ops through `get_actions_where`.
#[test]
fn bpf_action_where_the_kernel_has_it() {
    let name = "bpf_action_where_the_kernel_has_it";
    if skip_unless_root(name) {
        return;
    }
    let (ns, mut ipr) = setup();
    let args = kw! { bytecode: "1,6 0 0 0,", index: 46 };
    if !add_or_skip(&mut ipr, name, "bpf", args) {
        return;
    }
    assert_eq!(tc_indexes(&ns, "bpf"), [46]);
    let ours = ipr
        .get_actions_where(&TcActionSelect::new().kind("bpf"))
        .unwrap();
    assert_eq!(ours.len(), 1, "{ours:?}");
    assert_eq!(ours[0].index, 46);
    let Some(rtnl_api::generated::TcActOptions::Bpf(b)) = ours[0].attrs().options().unwrap() else {
        panic!("no bpf options: {ours:?}");
    };
    assert_eq!(b.ops_len().unwrap(), Some(1));
    ipr.tc_action("flush", "bpf", kw! {}).unwrap();
    assert!(tc_indexes(&ns, "bpf").is_empty());
}
