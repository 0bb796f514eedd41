//! Dumps are all-or-nothing for the user (issue: reliability): `rtnl -j addr show` run 40 times
//! while another socket adds and removes addresses as fast as it can must print each address
//! once, every time, and succeed. Needs root; otherwise prints a skip.

use rtnl_core::testing::skip_unless_root;
use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rtnl_api::{AddrFilter, IPBatch, IPRoute, kw};
use rtnl_core::testing::TestNetns;
use serde_json::Value as J;

#[test]
fn addr_show_under_churn_never_prints_an_address_twice() {
    if skip_unless_root("addr_show_under_churn_never_prints_an_address_twice") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    let mut ipr = IPRoute::from_socket(ns.socket().unwrap());
    ipr.link("add", kw! { ifname: "v0", kind: "veth", peer: "v1" })
        .unwrap();
    // Enough addresses that one dump spans several datagrams, so a change can land mid-dump.
    let v0 = ipr.link_lookup("ifname", "v0").unwrap()[0];
    let batch = {
        let mut b2 = IPBatch::new();
        for i in 0..1500u32 {
            let a = format!("10.{}.{}.1/32", 1 + i / 250, i % 250);
            b2.addr("add", kw! { index: v0, address: a }).unwrap();
        }
        b2
    };
    batch.send(&mut ipr).unwrap();

    let stop = Arc::new(AtomicBool::new(false));
    let churn = {
        let stop = stop.clone();
        let mut other = IPRoute::from_socket(ns.socket().unwrap());
        std::thread::spawn(move || {
            let mut changes = 0u64;
            while !stop.load(Ordering::Relaxed) {
                other
                    .addr("add", kw! { index: v0, address: "10.200.0.1/32" })
                    .unwrap();
                other
                    .addr("del", kw! { index: v0, address: "10.200.0.1/32" })
                    .unwrap();
                changes += 2;
            }
            changes
        })
    };

    // The churn does interrupt dumps: the library sees restarts (otherwise this test proves
    // nothing, and says so by failing).
    let mut restarts = 0;
    for _ in 0..20 {
        let n = std::cell::Cell::new(0);
        ipr.get_addr(AddrFilter::new().family(2))
            .unwrap()
            .on_restart(|| n.set(n.get() + 1))
            .keep_inconsistent(|_| {})
            .count()
            .unwrap();
        restarts += n.get();
    }

    let mut failures = Vec::new();
    let mut warned = 0;
    for run in 0..40 {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_rtnl"))
            .args(["-n", ns.name(), "-j", "addr", "show"])
            .output()
            .unwrap();
        warned += String::from_utf8_lossy(&out.stderr).contains("may be inconsistent") as u32;
        if !out.status.success() {
            failures.push(format!(
                "run {run}: exit {:?}: {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
            continue;
        }
        let links: Vec<J> = serde_json::from_slice(&out.stdout).unwrap();
        let mut seen = HashSet::new();
        let mut n = 0;
        for l in &links {
            for a in l["addr_info"].as_array().into_iter().flatten() {
                let key = (
                    l["ifname"].to_string(),
                    a["local"].to_string(),
                    a["prefixlen"].to_string(),
                );
                if !seen.insert(key.clone()) {
                    failures.push(format!("run {run}: {key:?} printed twice"));
                }
                n += 1;
            }
        }
        // 1 500 addresses on v0, 127.0.0.1 on lo only if lo is up (it is not), and perhaps the
        // churning one.
        if !(1500..=1501).contains(&n) {
            failures.push(format!("run {run}: {n} addresses"));
        }
    }
    stop.store(true, Ordering::Relaxed);
    let changes = churn.join().unwrap();
    println!(
        "churn: {changes} address changes; library dumps restarted {restarts} times in 20; \
         40 CLI runs, {} failed, {warned} kept an inconsistent last attempt with ip's warning",
        failures.len()
    );
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(
        restarts > 0,
        "the churn never interrupted a dump: the test proved nothing"
    );
}
