//! Golden bytes against pyroute2 0.9's tc plugins: `IPBatch::tc` for the same request as each
//! fixture of golden/pyroute2_tc.json (made by xtask/golden/pyroute2_tc_golden.py with
//! pyroute2's IPBatch; seq and pid zeroed). Offline: pyroute2 is not needed to run it.
//!
//! The qdiscs and classes of pyroute2's tc plugins (htb, tbf, fifos, prio, ingress, clsact, sfq,
//! fq_codel, netem, cake, choke, codel, drr, hfsc, plug) and u32; the other filters are
//! tc_filter_pyroute2.rs's. pyroute2's own keyword names (cake's `diffserv_mode`, `flow_mode`,
//! `atm_mode`, `ack_filter='aggressive'`, codel's `cdl_*`, hfsc's `rsc`/`fsc`/`usc`, plug's
//! `action`) are schema data: aliases and value names of schema/tcmsg.toml's `[[tc-plugin]]`s.
//!
//! Where pyroute2 and tc disagree we send what tc sends (tests/tc_golden.rs proves those
//! bytes); each such fixture is listed in [`DEVIATIONS`] with what differs, and the test checks
//! that everything else is equal (see `common::check_tc`).

mod common;

use rtnl_api::{Args, IPBatch, Value, kw};

/// Where we send what tc sends and pyroute2 does not: (fixture, the decoded fields that differ,
/// why). Everything else of the message must be equal, and the bytes must differ (a deviation
/// that is gone fails the test, to be removed here).
const DEVIATIONS: &[common::Deviation] = &[
    (
        "qdisc_htb_del",
        &["attrs/options/init/defcls"],
        "pyroute2 fills in default class 0x10 when none is given; tc sends 0 (no default class)",
    ),
    (
        "class_htb",
        &[
            "attrs/options/parms/rate/linklayer",
            "attrs/options/parms/ceil/linklayer",
        ],
        "pyroute2 leaves tc_ratespec.linklayer unaware; tc sets ethernet (TC_LINKLAYER_ETHERNET)",
    ),
    (
        "class_htb_burst",
        &[
            "attrs/options/parms/rate/linklayer",
            "attrs/options/parms/ceil/linklayer",
        ],
        "as class_htb",
    ),
    (
        "qdisc_tbf",
        &["attrs/options/parms/rate/linklayer", "attrs/options/burst"],
        "as class_htb, and pyroute2 sends no TCA_TBF_BURST (tc does)",
    ),
    (
        "qdisc_bfifo",
        &["attrs/options"],
        "pyroute2 drops bfifo's limit (sends no options at all)",
    ),
    (
        "qdisc_pfifo_fast",
        &["attrs/options"],
        "pyroute2 sends a zeroed tc_prio_qopt (bands 0); tc sends no options",
    ),
    (
        "qdisc_prio",
        &["attrs/options"],
        "pyroute2 sends a zeroed priomap as a bare struct; tc its default priomap as a compat nest",
    ),
    (
        "qdisc_sfq",
        &["attrs/options"],
        "pyroute2 sends the old 20-byte tc_sfq_qopt; tc the 72-byte tc_sfq_qopt_v1",
    ),
    (
        "qdisc_fq_codel",
        &["attrs/options"],
        "pyroute2 drops the limit (sends an empty TCA_OPTIONS)",
    ),
    (
        "filter_u32_del",
        &["attrs/options"],
        "pyroute2 sends classid and an empty selector with a delete; tc sends no options",
    ),
    (
        "qdisc_cake_autorate",
        &[],
        "attribute order only: we send tc's order (tc_golden.rs proves it), pyroute2 its plugin's; the kernel reads options by type",
    ),
    (
        "qdisc_cake_modes",
        &["attrs/options/target"],
        "tc derives cake's target from the rtt (rtt / 20: 50us for lan) and sends both; pyroute2 sends the rtt alone, so the kernel keeps its 5 ms default target above a 1 ms rtt (and the order differs)",
    ),
    (
        "qdisc_cake_ptm",
        &["attrs/options/base_rate64"],
        "pyroute2's cake alone reads an integer bandwidth as bit/s (>> 3; its get_rate, for every other rate, takes bytes/s); an integer rate is bytes/s everywhere in rtnl (and the order differs)",
    ),
    (
        "qdisc_cake_target",
        &["attrs/options/autorate"],
        "pyroute2 sends TCA_CAKE_AUTORATE 0 on a cake request without a bandwidth (the kernel's default); tc sends it only with a bandwidth (and the order differs)",
    ),
    (
        "qdisc_cake_raw",
        &[
            "attrs/options/raw",
            "attrs/options/atm",
            "attrs/options/overhead",
            "attrs/options/autorate",
        ],
        "tc's raw also sets atm none and overhead 0 and sends TCA_CAKE_RAW as a u32 0 (the kernel reads its presence); pyroute2 sends raw 1 and autorate 0 alone",
    ),
    (
        "qdisc_cake_not_raw",
        &["attrs/options/raw", "attrs/options/autorate"],
        "pyroute2 sends TCA_CAKE_RAW 0 for raw=False, and the kernel reads its mere presence as raw mode, dropping the overhead asked for (CAKE_FLAG_OVERHEAD cleared); we send no raw, as tc without the word",
    ),
    (
        "qdisc_cake_interplanetary",
        &[
            "attrs/options/rtt",
            "attrs/options/target",
            "attrs/options/autorate",
        ],
        "pyroute2's interplanetary rtt is 3600 s and sends no target; tc's (q_cake.c's presets) is 1000 s with target 50 s",
    ),
    (
        "qdisc_codel",
        &[],
        "attribute order only: we send tc's order (tc_golden.rs proves it), pyroute2 its plugin's; the kernel reads options by type",
    ),
    (
        "qdisc_plug",
        &["attrs/options"],
        "with no keyword pyroute2 sends tc_plug_qopt {action 0, limit 0}, which the kernel reads as a 0-byte queue limit; tc sends no options (the kernel then takes tx_queue_len * mtu)",
    ),
];

fn fixtures() -> Vec<(String, String, Vec<u8>)> {
    let v: serde_json::Value =
        serde_json::from_str(include_str!("golden/pyroute2_tc.json")).unwrap();
    v["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let hex = r["hex"].as_str().unwrap();
            let bytes = (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
                .collect();
            (
                r["name"].as_str().unwrap().into(),
                r["call"].as_str().unwrap().into(),
                bytes,
            )
        })
        .collect()
}

/// Our request for each fixture, pyroute2's keywords where we share them:
/// `(name, cmd, kind, handle, keywords)`.
fn ours() -> Vec<(&'static str, &'static str, &'static str, Value, Args)> {
    let h = |v: u32| Value::from(v);
    vec![
        ("qdisc_htb", "add", "htb", h(0x10000), kw! { default: 0x10 }),
        (
            "qdisc_htb_change",
            "change",
            "htb",
            h(0x10000),
            kw! { default: 0x20 },
        ),
        ("qdisc_htb_del", "del", "htb", h(0x10000), kw! {}),
        (
            "class_htb",
            "add-class",
            "htb",
            h(0x10010),
            kw! { parent: 0x10000, rate: "5mbit", ceil: "10mbit" },
        ),
        (
            "class_htb_burst",
            "add-class",
            "htb",
            h(0x10010),
            kw! { parent: 0x10000, rate: "1mbit", ceil: "2mbit", burst: 15360, prio: 2 },
        ),
        (
            "qdisc_tbf",
            "add",
            "tbf",
            h(0x10000),
            kw! { rate: "1mbit", burst: 4096, latency: 400 },
        ),
        (
            "qdisc_pfifo",
            "add",
            "pfifo",
            h(0x10000),
            kw! { limit: 100 },
        ),
        (
            "qdisc_pfifo_replace",
            "replace",
            "pfifo",
            h(0x10000),
            kw! { limit: 300 },
        ),
        (
            "qdisc_bfifo",
            "add",
            "bfifo",
            h(0x10000),
            kw! { limit: 65536 },
        ),
        ("qdisc_pfifo_fast", "add", "pfifo_fast", h(0), kw! {}),
        ("qdisc_ingress", "add", "ingress", h(0xffff0000), kw! {}),
        ("qdisc_clsact", "add", "clsact", h(0), kw! {}),
        ("qdisc_prio", "add", "prio", h(0x10000), kw! { bands: 3 }),
        ("qdisc_sfq", "add", "sfq", h(0x10000), kw! { perturb: 10 }),
        (
            "qdisc_fq_codel",
            "add",
            "fq_codel",
            h(0x10000),
            kw! { limit: 1000 },
        ),
        (
            "qdisc_netem",
            "add",
            "netem",
            h(0x10000),
            kw! { delay: 100000 },
        ),
        (
            "filter_u32",
            "add-filter",
            "u32",
            h(0),
            kw! { parent: 0x10000, prio: 1, protocol: 0x0800, keys: vec![Value::from("0x50/0xffff+20")], target: 0x10010 },
        ),
        (
            "filter_u32_mirred",
            "add-filter",
            "u32",
            h(0),
            kw! { parent: 0xffff0000u32, prio: 3, protocol: 0x0003, keys: vec![Value::from("0x0/0x0+0")],
            action: vec![Value::from(kw! { kind: "mirred", direction: "egress", action: "redirect", ifindex: 1 })], target: 0x10010 },
        ),
        (
            "filter_u32_gact",
            "add-filter",
            "u32",
            h(0),
            kw! { parent: 0xffff0000u32, prio: 3, protocol: 0x0003, keys: vec![Value::from("0x0/0x0+0")],
            action: kw! { kind: "gact", action: "drop" }, target: 0x10010 },
        ),
        (
            "filter_u32_del",
            "del-filter",
            "u32",
            h(0),
            kw! { parent: 0x10000, prio: 1, protocol: 0x0800, target: 0x10010 },
        ),
        (
            "qdisc_cake",
            "add",
            "cake",
            h(0x10000),
            kw! { bandwidth: "15mbit" },
        ),
        (
            "qdisc_cake_autorate",
            "add",
            "cake",
            h(0x10000),
            kw! { bandwidth: "unlimited", autorate: true, atm_mode: true },
        ),
        (
            "qdisc_cake_modes",
            "add",
            "cake",
            h(0x10000),
            kw! { bandwidth: "unlimited", autorate: true, nat: true, rtt: "lan",
            flow_mode: "dsthost", diffserv_mode: "precedence", fwmark: 0x1337 },
        ),
        (
            "qdisc_cake_ptm",
            "add",
            "cake",
            h(0x10000),
            kw! { bandwidth: 8000000, atm_mode: "ptm", overhead: 18, mpu: 64,
            ack_filter: "aggressive", wash: true, ingress: true, split_gso: false, memlimit: 1000000 },
        ),
        (
            "qdisc_cake_target",
            "add",
            "cake",
            h(0x10000),
            kw! { rtt: 20000, target: 1000, ack_filter: true },
        ),
        (
            "qdisc_cake_raw",
            "add",
            "cake",
            h(0x10000),
            kw! { raw: true },
        ),
        (
            "qdisc_cake_not_raw",
            "add",
            "cake",
            h(0x10000),
            kw! { raw: false, overhead: 18 },
        ),
        (
            "qdisc_cake_interplanetary",
            "add",
            "cake",
            h(0x10000),
            kw! { rtt: "interplanetary" },
        ),
        (
            "qdisc_choke",
            "add",
            "choke",
            h(0x10000),
            kw! { limit: 5500, bandwidth: "10mbit", ecn: true },
        ),
        (
            "qdisc_codel",
            "add",
            "codel",
            h(0x10000),
            kw! { cdl_limit: 1000, cdl_target: 5000, cdl_interval: 100000, cdl_ecn: 1 },
        ),
        ("qdisc_drr", "add", "drr", h(0x10000), kw! {}),
        (
            "class_drr",
            "add-class",
            "drr",
            h(0x10010),
            kw! { parent: 0x10000, quantum: 1600 },
        ),
        (
            "qdisc_hfsc",
            "add",
            "hfsc",
            h(0x10000),
            kw! { default: 0x10001 },
        ),
        (
            "class_hfsc",
            "add-class",
            "hfsc",
            h(0x10001),
            kw! { parent: 0x10000, rsc: kw! { m2: "5mbit" } },
        ),
        (
            "class_hfsc_curves",
            "add-class",
            "hfsc",
            h(0x10010),
            kw! { parent: 0x10001, rsc: kw! { m1: "10mbit", d: 10000, m2: "5mbit" },
            fsc: kw! { m2: "5mbit" }, usc: kw! { m2: "8mbit" } },
        ),
        (
            "qdisc_plug_limit",
            "add",
            "plug",
            h(0x10000),
            kw! { action: "TCQ_PLUG_LIMIT", limit: 10000 },
        ),
        (
            "qdisc_plug_release",
            "change",
            "plug",
            h(0x10000),
            kw! { action: "TCQ_PLUG_RELEASE_INDEFINITE" },
        ),
        ("qdisc_plug", "add", "plug", h(0x10000), kw! {}),
    ]
}

#[test]
fn pyroute2_tc_requests() {
    // The other classifiers' fixtures (filter_* but u32) are tc_filter_pyroute2.rs's.
    let fx: Vec<_> = fixtures()
        .into_iter()
        .filter(|f| !f.0.starts_with("filter_") || f.0.starts_with("filter_u32"))
        .collect();
    let ours = ours();
    assert_eq!(fx.len(), ours.len());
    let mut report = Vec::new();
    for ((name, call, want), (oname, cmd, kind, handle, args)) in fx.iter().zip(ours) {
        assert_eq!(name, oname);
        let mut b = IPBatch::new();
        if let Err(e) = b.tc(cmd, kind, 1, handle, args) {
            report.push(format!("{name}: {e}"));
            continue;
        }
        let got = b.bytes();
        common::check_tc(name, call, got, want, DEVIATIONS, &mut report);
    }
    assert!(report.is_empty(), "{}", report.join("\n\n"));
}
