//! Golden bytes for tc actions and chains: `IPBatch::tc_action` / `IPBatch::tc` requests
//! against what `tc` (iproute2 6.1) sends for the same command, byte for byte (captured with
//! strace by golden/tc_capture.sh from golden/tc_act_commands.txt; nlmsg_seq zeroed, dev
//! lo is ifindex 1; actions this kernel lacks are captured all the same: tc sends before the
//! kernel refuses). Offline: needs neither root nor tc.

mod common;

use rtnl_api::{Args, IPBatch, Value, kw};

/// `(command, the one message tc sent)` in file order.
fn captures() -> Vec<(String, Vec<u8>)> {
    common::captures(include_str!("golden/tc_act_requests.txt"))
}

/// How we say a captured command.
enum Ours {
    /// `tc_action(cmd, kind, kw)`.
    Action(&'static str, &'static str, Args),
    /// `tc(cmd, "", 1, 0, kw)` (chains).
    Tc(&'static str, Args),
    /// A captured command with no entry here (fails the test: every capture is built).
    Todo,
}

fn ours(tc: &str) -> Ours {
    use Ours::*;
    match tc {
        "tc actions add action gact drop index 5" => {
            Action("add", "gact", kw! { action: "drop", index: 5 })
        }
        "tc actions add action gact pass index 6 cookie 0102aabb" => Action(
            "add",
            "gact",
            kw! { action: "pass", index: 6, cookie: "0102aabb" },
        ),
        "tc actions add action gact pipe random determ drop 10 index 7" => Action(
            "add",
            "gact",
            kw! { action: "pipe", random: "determ drop 10", index: 7 },
        ),
        "tc actions add action gact goto chain 3 index 8" => {
            Action("add", "gact", kw! { action: "goto chain 3", index: 8 })
        }
        "tc actions add action gact reclassify random netrand pass 50" => Action(
            "add",
            "gact",
            kw! { action: "reclassify", random: "netrand pass 50" },
        ),
        "tc actions add action mirred egress redirect dev lo index 9" => Action(
            "add",
            "mirred",
            kw! { direction: "egress", action: "redirect", dev: 1, index: 9 },
        ),
        "tc actions add action mirred ingress mirror dev lo" => Action(
            "add",
            "mirred",
            kw! { direction: "ingress", action: "mirror", dev: 1 },
        ),
        "tc actions replace action gact continue index 5" => {
            Action("replace", "gact", kw! { action: "continue", index: 5 })
        }
        "tc actions del action gact index 5" => Action("del", "gact", kw! { index: 5 }),
        "tc actions get action gact index 5" => Action("get", "gact", kw! { index: 5 }),
        "tc actions flush action gact" => Action("flush", "gact", kw! {}),
        "tc actions list action gact" => Action("dump", "gact", kw! {}),
        "tc actions add action skbedit mark 5 priority 1:2 queue_mapping 3 index 10" => Action(
            "add",
            "skbedit",
            kw! { mark: 5, priority: "1:2", queue_mapping: 3, index: 10 },
        ),
        "tc actions add action skbedit ptype host pipe" => {
            Action("add", "skbedit", kw! { ptype: 0, verdict: "pipe" })
        }
        "tc actions add action vlan push id 100 protocol 802.1q priority 3 index 11" => Action(
            "add",
            "vlan",
            kw! { op: "push", id: 100, protocol: "802.1q", priority: 3, index: 11 },
        ),
        "tc actions add action vlan pop" => Action("add", "vlan", kw! { op: "pop" }),
        "tc actions add action vlan modify id 200 protocol 802.1ad" => Action(
            "add",
            "vlan",
            kw! { op: "modify", id: 200, protocol: "802.1ad" },
        ),
        "tc actions add action connmark zone 5 index 12" => {
            Action("add", "connmark", kw! { zone: 5, index: 12 })
        }
        "tc actions add action sample rate 100 group 5 trunc 128" => {
            Action("add", "sample", kw! { rate: 100, group: 5, trunc: 128 })
        }
        "tc actions add action mpls push label 100 tc 3 ttl 64" => Action(
            "add",
            "mpls",
            kw! { op: "push", label: 100, tc: 3, ttl: 64 },
        ),
        "tc actions add action mpls pop protocol ip" => {
            Action("add", "mpls", kw! { op: "pop", protocol: "ip" })
        }
        "tc chain add dev lo ingress chain 5" => {
            Tc("add-chain", kw! { parent: "ffff:fff2", chain: 5 })
        }
        "tc chain del dev lo ingress chain 5" => {
            Tc("del-chain", kw! { parent: "ffff:fff2", chain: 5 })
        }
        "tc chain get dev lo ingress chain 5" => {
            Tc("get-chain", kw! { parent: "ffff:fff2", chain: 5 })
        }
        "tc actions add action tunnel_key set src_ip 192.0.2.1 dst_ip 192.0.2.2 id 42 dst_port 4789 tos 4 ttl 64 nocsum" => {
            Action(
                "add",
                "tunnel_key",
                kw! { op: "set", src_ip: "192.0.2.1", dst_ip: "192.0.2.2", id: 42, dst_port: 4789, tos: 4, ttl: 64, nocsum: 1 },
            )
        }
        "tc actions add action tunnel_key unset" => {
            Action("add", "tunnel_key", kw! { op: "release" })
        }
        "tc actions add action police rate 1mbit burst 10k conform-exceed drop/pipe index 13" => {
            Action(
                "add",
                "police",
                kw! { rate: "1mbit", burst: "10k", conform_exceed: "drop/pipe", index: 13 },
            )
        }
        "tc actions add action police rate 1mbit burst 10k mtu 2kb peakrate 2mbit" => Action(
            "add",
            "police",
            kw! { rate: "1mbit", burst: "10k", mtu: "2kb", peakrate: "2mbit" },
        ),
        "tc actions add action csum ip4h tcp udp" => {
            Action("add", "csum", kw! { update: "ip4h tcp udp" })
        }
        "tc actions add action nat ingress 10.0.0.1/32 192.168.0.1" => Action(
            "add",
            "nat",
            kw! { direction: "ingress", old: "10.0.0.1/32", new: "192.168.0.1" },
        ),
        "tc actions add action skbmod set dmac 00:11:22:33:44:55" => {
            Action("add", "skbmod", kw! { dmac: "00:11:22:33:44:55" })
        }
        "tc actions add action ct zone 5 commit mark 1/0xff" => {
            Action("add", "ct", kw! { zone: 5, commit: true, mark: "1/0xff" })
        }
        "tc actions add action ct commit nat src addr 10.0.0.1 port 1000" => Action(
            "add",
            "ct",
            kw! { commit: true, nat: "src addr 10.0.0.1 port 1000" },
        ),
        "tc actions add action pedit munge offset 12 u32 set 0x0a000001" => Action(
            "add",
            "pedit",
            kw! { munge: "offset 12 u32 set 0x0a000001" },
        ),
        "tc actions add action pedit munge ip src set 10.0.0.1" => {
            Action("add", "pedit", kw! { munge: "ip src set 10.0.0.1" })
        }
        "tc actions add action pedit munge offset 13 u8 set 5 munge offset 14 u16 set 0x1234 pipe index 14" => {
            Action(
                "add",
                "pedit",
                kw! { munge: vec!["offset 13 u8 set 5", "offset 14 u16 set 0x1234"], verdict: "pipe", index: 14 },
            )
        }
        "tc actions add action pedit munge ip dst set 10.0.0.2 munge ip ttl set 10 munge ip tos set 4" => {
            Action(
                "add",
                "pedit",
                kw! { munge: vec!["ip dst set 10.0.0.2", "ip ttl set 10", "ip tos set 4"] },
            )
        }
        "tc actions add action ife encode allow mark dst 00:11:22:33:44:55" => Action(
            "add",
            "ife",
            kw! { op: "encode", allow: "mark", dst: "00:11:22:33:44:55" },
        ),
        "tc actions add action gate base-time 0 sched-entry open 200000000 -1 -1 sched-entry close 100000000 -1 -1" => {
            Action(
                "add",
                "gate",
                kw! { base_time: 0, sched_entry: vec!["open 200000000 -1 -1", "close 100000000 -1 -1"] },
            )
        }
        "tc actions add action bpf bytecode '1,6 0 0 0,'" => {
            Action("add", "bpf", kw! { bytecode: "1,6 0 0 0," })
        }
        _ => Todo,
    }
}

#[test]
fn every_action_command_matches_tc_byte_for_byte() {
    let mut done = Vec::new();
    let mut todo = Vec::new();
    for (cmd, want) in captures() {
        let mut b = IPBatch::new();
        match ours(&cmd) {
            Ours::Action(word, kind, args) => b.tc_action(word, kind, args),
            Ours::Tc(word, args) => b.tc(word, "", 1, Value::Int(0), args),
            Ours::Todo => {
                todo.push(cmd);
                continue;
            }
        }
        .unwrap_or_else(|e| panic!("{cmd}: {e}"));
        let got = b.bytes().to_vec();
        assert!(
            got == want,
            "{cmd}\nours:\n{}\ntc:\n{}",
            common::show(&got),
            common::show(&want)
        );
        done.push(cmd);
    }
    println!("matched {} commands; not done: {todo:#?}", done.len());
    assert!(todo.is_empty(), "not done: {todo:#?}");
    assert_eq!(done.len(), 40, "{done:#?}");
}

#[test]
fn bad_action_input_is_an_arg_error() {
    let err = |cmd: &str, kind: &str, a: Args| -> rtnl_api::ArgError {
        match IPBatch::new().tc_action(cmd, kind, a).unwrap_err() {
            rtnl_api::Error::Arg(e) => e,
            e => panic!("{cmd} {kind}: not an ArgError: {e}"),
        }
    };
    assert_eq!(err("add", "gact", kw! {}).name, "action");
    assert_eq!(
        err("add", "gact", kw! { action: "goto chain x" }).name,
        "action"
    );
    assert_eq!(
        err("add", "gact", kw! { action: "drop", cookie: "xyz" }).name,
        "cookie"
    );
    assert_eq!(err("del", "gact", kw! {}).name, "index");
    assert!(err("add", "nosuch", kw! {}).name.ends_with("kind"));
    assert_eq!(err("frob", "gact", kw! {}).name, "cmd");
    let e = err("add", "vlan", kw! { op: "sideways" });
    assert!(e.reason.contains("v_action"), "{e}");
    assert_eq!(err("add", "sample", kw! { rate: 1 }).name, "group");
    assert_eq!(err("add", "police", kw! { rate: "1mbit" }).name, "burst");
    assert_eq!(
        err(
            "add",
            "police",
            kw! { rate: "1mbit", burst: "10k", peakrate: "2mbit" }
        )
        .name,
        "mtu"
    );
    assert_eq!(
        err("add", "pedit", kw! { munge: "offset 15 u16 set 1" }).name,
        "munge"
    );
    assert_eq!(
        err("add", "pedit", kw! { munge: "ip src set 10.0.0" }).name,
        "munge"
    );
    assert_eq!(
        err("add", "nat", kw! { old: "10.0.0.1/33", new: "10.0.0.2" }).name,
        "old"
    );
    assert_eq!(
        err("add", "csum", kw! { update: "ip4h tcpp" }).name,
        "update"
    );
    assert_eq!(err("add", "ct", kw! { mark: "1/x" }).name, "mark");
    let e = err("add", "skbedit", kw! { colour: "red" });
    assert!(e.name.contains("colour"), "{e}");
}

/// The capture of `cmd` (its bytes).
fn capture(cmd: &str) -> Vec<u8> {
    captures()
        .into_iter()
        .find(|(c, _)| c == cmd)
        .unwrap_or_else(|| panic!("no capture of {cmd}"))
        .1
}

/// Keywords as tc spells them (with dashes, which `kw!` cannot write).
fn dashed(kv: Vec<(&str, Value)>) -> Args {
    kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

fn action_bytes(kind: &str, a: Args) -> Vec<u8> {
    let mut b = IPBatch::new();
    b.tc_action("add", kind, a)
        .unwrap_or_else(|e| panic!("{kind}: {e}"));
    b.bytes().to_vec()
}

/// gate's other spellings give the captured bytes: tc's dashed words, a time with a unit,
/// a close entry without its wildcards; bpf's bytecode read from a file (tc's bytecode-file).
#[test]
fn gate_and_bpf_other_spellings_give_the_same_bytes() {
    let gate = capture(
        "tc actions add action gate base-time 0 sched-entry open 200000000 -1 -1 sched-entry close 100000000 -1 -1",
    );
    // tc's dashed words (what the CLI passes on).
    let ours = action_bytes(
        "gate",
        dashed(vec![
            ("base-time", Value::Int(0)),
            (
                "sched-entry",
                Value::List(vec!["open 200ms".into(), "CLOSE 0.1s 7 1500".into()]),
            ),
            ("verdict", Value::from("pipe")),
        ]),
    );
    assert!(
        ours == gate,
        "{}\n{}",
        common::show(&ours),
        common::show(&gate)
    );
    // A base time with a unit is its nanoseconds (TCA_GATE_BASE_TIME, sent as it is not 0).
    let entries = || Value::List(vec!["open 200000000".into(), "close 100000000".into()]);
    let in_ns = action_bytes(
        "gate",
        kw! { base_time: 1_500_000_000, sched_entry: entries() },
    );
    let with_unit = action_bytes("gate", kw! { base_time: "1.5s", sched_entry: entries() });
    assert_eq!(in_ns, with_unit);
    assert_eq!(in_ns.len(), gate.len() + 12);
    let bpf = capture("tc actions add action bpf bytecode '1,6 0 0 0,'");
    let path = std::env::temp_dir().join(format!("tc_act_golden_{}.bpf", std::process::id()));
    std::fs::write(&path, "1,6 0 0 0,\n").unwrap();
    let ours = action_bytes(
        "bpf",
        dashed(vec![("bytecode-file", Value::from(path.to_str().unwrap()))]),
    );
    std::fs::remove_file(&path).unwrap();
    assert!(
        ours == bpf,
        "{}\n{}",
        common::show(&ours),
        common::show(&bpf)
    );
}

/// gate's and bpf's bad words are ArgErrors naming the keyword; an unknown gate word is named
/// and gate's words are listed.
#[test]
fn gate_and_bpf_keyword_errors() {
    let err = |kind: &str, a: Args| -> rtnl_api::ArgError {
        match IPBatch::new().tc_action("add", kind, a).unwrap_err() {
            rtnl_api::Error::Arg(e) => e,
            e => panic!("{kind}: not an ArgError: {e}"),
        }
    };
    let e = err(
        "gate",
        dashed(vec![
            ("sched_entry", Value::from("open 10")),
            ("sched-entri", Value::from("close 10")),
        ]),
    );
    assert_eq!(e.name, "actions.sched-entri", "{e}");
    for w in [
        "sched_entry",
        "sched-entry",
        "base_time",
        "cycle_time",
        "cycle_time_ext",
        "clockid",
        "priority",
        "index",
        "verdict",
    ] {
        assert!(e.reason.contains(w), "{w:?} not listed: {e}");
    }
    let e = err("gate", kw! {});
    assert_eq!(e.name, "sched_entry", "{e}");
    for bad in [
        "ajar 10",
        "open",
        "open 10 1 2 3",
        "open ten",
        "open 10 x",
        "open -5",
    ] {
        let e = err("gate", kw! { sched_entry: bad });
        assert_eq!(e.name, "sched_entry", "{bad}: {e}");
    }
    assert_eq!(
        err(
            "gate",
            kw! { sched_entry: "open 10", clockid: "CLOCK_NOON" }
        )
        .name,
        "clockid"
    );
    assert_eq!(err("bpf", kw! {}).name, "bytecode");
    assert_eq!(err("bpf", kw! { bytecode: "1,6 0 0 0,", fd: 3 }).name, "fd");
    assert_eq!(err("bpf", kw! { bytecode: "2,6 0 0 0," }).name, "bytecode");
    let e = err(
        "bpf",
        kw! { bytecode_file: "/nonexistent/tc_act_golden.bpf" },
    );
    assert_eq!(e.name, "bytecode_file", "{e}");
    assert!(e.reason.contains("/nonexistent/tc_act_golden.bpf"), "{e}");
    // del/get/flush/dump name any kind the schema decodes (ctinfo has no plugin to build it).
    IPBatch::new().tc_action("flush", "ctinfo", kw! {}).unwrap();
    let e = IPBatch::new()
        .tc_action("flush", "ctinfoo", kw! {})
        .unwrap_err();
    assert!(
        matches!(&e, rtnl_api::Error::Arg(a) if a.name == "kind" && a.reason.contains("ctinfo")),
        "{e}"
    );
    // The bpf classifier's words are not the action's, and the other way round.
    assert!(
        err("bpf", kw! { bytecode: "1,6 0 0 0,", da: true })
            .name
            .contains("da")
    );
}
