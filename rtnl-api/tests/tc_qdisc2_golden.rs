//! Golden bytes for the qdiscs (and their classes) added after tc_golden.rs: fq_pie, skbprio,
//! sfb, cbs, plug, etf, ... — `IPBatch::tc` against what `tc` (iproute2 6.1) sends for the same
//! command, byte for byte (captured with strace by golden/tc_qdisc2_capture.sh from
//! golden/tc_qdisc2_commands.txt; nlmsg_seq zeroed, dev lo is ifindex 1). The kernel here lacks
//! most of these qdiscs; tc has sent its request before the kernel refuses it. Offline: needs
//! neither root nor tc.

use rtnl_api::{Args, IPBatch, Value, kw};

/// `(command, the one message tc sent)` in file order.
fn captures() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    for line in include_str!("golden/tc_qdisc2_requests.txt").lines() {
        if let Some(cmd) = line.strip_prefix("> ") {
            out.push((cmd.to_string(), Vec::new()));
        } else if !line.starts_with('#') && !line.is_empty() {
            let m = out.last_mut().expect("a command first");
            assert!(m.1.is_empty(), "{}: one message expected", m.0);
            m.1 = (0..line.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&line[i..i + 2], 16).unwrap())
                .collect();
        }
    }
    out
}

/// Our request for each captured command: `(tc command, cmd, kind, handle, keywords)`.
fn ours() -> Vec<(&'static str, &'static str, &'static str, Value, Args)> {
    let zero = Value::Int(0);
    let q = |cmd: &'static str, kind: &'static str, a: Args| {
        let word = if cmd.starts_with("tc qdisc change") {
            "change"
        } else {
            "add"
        };
        (cmd, word, kind, zero.clone(), a)
    };
    vec![
        q("tc qdisc add dev lo root fq_pie", "fq_pie", kw! {}),
        q(
            "tc qdisc add dev lo root fq_pie limit 2048 flows 512 target 10ms tupdate 20ms alpha 3 beta 30 quantum 1514 memory_limit 16mb ecn_prob 20 ecn bytemode dq_rate_estimator",
            "fq_pie",
            kw! { limit: 2048, flows: 512, target: "10ms", tupdate: "20ms", alpha: 3, beta: 30, quantum: 1514, memory_limit: "16mb", ecn_prob: 20, ecn: true, bytemode: true, dq_rate_estimator: true },
        ),
        q("tc qdisc add dev lo root skbprio", "skbprio", kw! {}),
        q(
            "tc qdisc add dev lo root skbprio limit 100",
            "skbprio",
            kw! { limit: 100 },
        ),
        q("tc qdisc add dev lo root sfb", "sfb", kw! {}),
        q(
            "tc qdisc add dev lo root sfb rehash 1000 db 100 limit 200 max 30 target 20 penalty_rate 10 penalty_burst 20",
            "sfb",
            kw! { rehash: 1000, db: 100, limit: 200, max: 30, target: 20, penalty_rate: 10, penalty_burst: 20 },
        ),
        q(
            "tc qdisc add dev lo root cbs hicredit 30 locredit -1470 sendslope -980000 idleslope 20000 offload 0",
            "cbs",
            kw! { hicredit: 30, locredit: -1470, sendslope: -980000, idleslope: 20000, offload: 0 },
        ),
        q(
            "tc qdisc add dev lo root cbs idleslope 10000 sendslope -990000",
            "cbs",
            kw! { idleslope: 10000, sendslope: -990000 },
        ),
        q("tc qdisc add dev lo root plug", "plug", kw! {}),
        q(
            "tc qdisc add dev lo root plug limit 10000",
            "plug",
            kw! { limit: 10000 },
        ),
        q(
            "tc qdisc change dev lo root plug release",
            "plug",
            kw! { release: true },
        ),
        q(
            "tc qdisc change dev lo root plug release_indefinite",
            "plug",
            kw! { release_indefinite: true },
        ),
        q(
            "tc qdisc change dev lo root plug block",
            "plug",
            kw! { block: true },
        ),
        q(
            "tc qdisc add dev lo root etf clockid CLOCK_TAI delta 300000",
            "etf",
            kw! { clockid: "CLOCK_TAI", delta: 300000 },
        ),
        q(
            "tc qdisc add dev lo root etf clockid CLOCK_TAI delta 200000 offload deadline_mode skip_sock_check",
            "etf",
            kw! { clockid: "CLOCK_TAI", delta: 200000, offload: true, deadline_mode: true, skip_sock_check: true },
        ),
    ]
}

/// A message as `field: hex` lines past the header, for a readable diff.
fn show(m: &[u8]) -> String {
    m.chunks(16)
        .map(|c| c.iter().map(|b| format!("{b:02x}")).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_tc_command_matches_tc_byte_for_byte() {
    let caps = captures();
    let ours = ours();
    assert_eq!(
        caps.len(),
        ours.len(),
        "one request of ours per captured command"
    );
    for ((cmd, want), (ocmd, word, kind, handle, args)) in caps.iter().zip(ours) {
        assert_eq!(cmd, ocmd, "the tables are in the same order");
        let mut b = IPBatch::new();
        b.tc(word, kind, 1, handle, args)
            .unwrap_or_else(|e| panic!("{cmd}: {e}"));
        let mut got = b.bytes().to_vec();
        if word.starts_with("change") || word == "replace-class" || word == "replace-filter" {
            // pyroute2's change and replace (the schema's command table) carry NLM_F_REPLACE;
            // tc's change and its class and filter replace do not. The kernel treats both alike (classes and filters
            // ignore the flag; a change finds the object it changes).
            assert_eq!(got[7] & 1, 1, "{cmd}: NLM_F_REPLACE");
            got[7] &= !1;
        }
        assert!(
            got == *want,
            "{cmd}\nours:\n{}\ntc:\n{}",
            show(&got),
            show(want)
        );
    }
}
