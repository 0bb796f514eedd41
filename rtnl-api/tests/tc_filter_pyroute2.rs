//! Golden bytes against pyroute2 0.9.7's tc for the classifiers other than u32 that it has
//! (matchall, fw, bpf by fd, basic with cmp ematches): the `filter_*` fixtures of
//! golden/pyroute2_tc.json (xtask/golden/pyroute2_tc_golden.py, block "filters (tcfilt)"),
//! replayed through `IPBatch::tc` with pyroute2's keywords. Offline.

mod common;

use rtnl_api::{Args, IPBatch, Value, kw};

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
        .filter(|f: &(String, String, Vec<u8>)| {
            f.0.starts_with("filter_") && !f.0.starts_with("filter_u32")
        })
        .collect()
}

fn cmp(align: &str, offset: i32, layer: &str, opnd: &str, value: i32) -> Args {
    kw! { kind: "cmp", align: align, offset: offset, layer: layer, opnd: opnd, value: value }
}

/// `(name, kind, handle, keywords)`, all add-filter.
fn ours() -> Vec<(&'static str, &'static str, Value, Args)> {
    let zero = Value::Int(0);
    vec![
        (
            "filter_matchall",
            "matchall",
            zero.clone(),
            kw! { parent: 0xffff0000u32, prio: 2, protocol: 0x0003, classid: 0x10010 },
        ),
        (
            "filter_matchall_gact",
            "matchall",
            zero.clone(),
            kw! { parent: 0xffff0000u32, prio: 2, protocol: 0x0800,
            action: kw! { kind: "gact", action: "drop" } },
        ),
        (
            "filter_fw",
            "fw",
            Value::Int(5),
            kw! { parent: 0x10000, prio: 3, protocol: 0x0800, classid: 0x10010 },
        ),
        (
            "filter_bpf_fd",
            "bpf",
            zero.clone(),
            kw! { parent: 0xffff0000u32, prio: 4, protocol: 0x0003, fd: 7, name: "prog",
            direct_action: true },
        ),
        (
            "filter_bpf_fd_classid",
            "bpf",
            zero.clone(),
            kw! { parent: 0x10000, prio: 5, protocol: 0x0800, fd: 7, name: "prog",
            classid: 0x10010, flags: 1 },
        ),
        (
            "filter_basic_cmp",
            "basic",
            zero.clone(),
            kw! { parent: 0x10000, prio: 6, protocol: 0x0800, classid: 0x10010,
            r#match: vec![Value::from(cmp("u8", 9, "network", "eq", 6))] },
        ),
        (
            "filter_basic_cmp_or",
            "basic",
            zero.clone(),
            kw! { parent: 0x10000, prio: 7, protocol: 0x0800, classid: 0x10010,
            r#match: vec![
                Value::from(cmp("u16", 2, "transport", "gt", 1023).with("relation", "or")),
                Value::from(cmp("u8", 9, "network", "eq", 17).with("inverse", true)),
            ] },
        ),
    ]
}

#[test]
fn pyroute2_filter_requests() {
    let fx = fixtures();
    let ours = ours();
    assert_eq!(fx.len(), ours.len());
    let mut report = Vec::new();
    for ((name, call, want), (oname, kind, handle, args)) in fx.iter().zip(ours) {
        assert_eq!(name, oname);
        let mut b = IPBatch::new();
        if let Err(e) = b.tc("add-filter", kind, 1, handle, args) {
            report.push(format!("{name}: {e}"));
            continue;
        }
        let got = b.bytes();
        if *name == "filter_matchall" {
            // pyroute2 sends TCA_MATCHALL_CLASSID big-endian (its nla_map says be32); the
            // kernel (nla_get_u32) and tc use host order. The rest is equal.
            let n = got.len();
            let mut swapped = got.to_vec();
            swapped[n - 4..].reverse();
            assert_ne!(got, want.as_slice(), "{name}: the deviation is gone");
            assert_eq!(
                swapped, *want,
                "{name}: only the classid's byte order differs"
            );
            continue;
        }
        if got != want.as_slice() {
            report.push(format!(
                "{name}: {call}\nours:\n{}\npyroute2:\n{}",
                common::show(got),
                common::show(want)
            ));
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n\n"));
}
