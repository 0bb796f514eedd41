//! `cargo xtask bench --writes N`: adding N routes, measured side by side in one run.
//!
//! In a fresh namespace (`benchns.rs`), each round adds the same N IPv4 /32 routes via a gateway
//! to table 100 three ways and removes them again:
//!
//! * `ip -batch FILE` with N `route add` lines (the whole process timed);
//! * rtnl: `examples/bench_batch add` (one pipelined `IPBatch`; the whole process timed too);
//! * pyroute2, one `IPRoute.route("add", ...)` call per route as its users write it, on a
//!   smaller count (`--py N`, 5 000 by default: at its ~2.6k routes/s, 100 000 would take
//!   about 40 s a round); its rate is what is compared.
//!
//! Between adds the table is flushed: after `ip -batch` by `ip route flush table 100`, after
//! rtnl by `IPRoute::flush_routes` (`bench_batch flush`), both timed. Each add and each flush is
//! checked by counting the table afterwards, so a run that lost routes fails instead of looking
//! fast.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::Command;

use crate::benchns::{Netns, run};

/// The i-th destination, as `examples/bench_batch.rs` spells it: 10.16.0.0/12 upwards.
fn dst(i: usize) -> String {
    let n = (10u32 << 24) | (16 << 16) | i as u32;
    format!("{}/32", std::net::Ipv4Addr::from(n))
}

fn timed(cmd: &mut Command) -> Result<f64, String> {
    let t = std::time::Instant::now();
    run(cmd)?;
    Ok(t.elapsed().as_secs_f64())
}

fn flush(ns: &Netns) -> Result<f64, String> {
    timed(Command::new("ip").args(["-n", &ns.0, "route", "flush", "table", "100"]))
}

fn expect(ns: &Netns, who: &str, n: usize) -> Result<(), String> {
    let got = ns.routes_in(100)?;
    if got != n {
        return Err(format!("{who}: table 100 holds {got} routes, expected {n}"));
    }
    Ok(())
}

fn median(mut v: Vec<f64>) -> f64 {
    crate::benchns::median(&mut v)
}

/// Runs the write benchmark; returns its report (markdown).
pub fn run_writes(
    ns: &Netns,
    bin: &Path,
    py: Option<&Path>,
    root: &Path,
    routes: usize,
    py_routes: usize,
    runs: usize,
) -> Result<String, String> {
    let file = std::env::temp_dir().join(format!("rtnl-bench-writes-{}.batch", std::process::id()));
    let mut lines = String::with_capacity(routes * 48);
    for i in 0..routes {
        let _ = writeln!(lines, "route add {} via 10.0.0.2 table 100", dst(i));
    }
    std::fs::File::create(&file)
        .and_then(|mut f| f.write_all(lines.as_bytes()))
        .map_err(|e| format!("{}: {e}", file.display()))?;
    let ex = bin.join("examples/bench_batch");
    let (mut ip, mut rtnl, mut pyr) = (vec![], vec![], vec![]);
    let (mut ipflush, mut rflush) = (vec![], vec![]);
    for round in 0..=runs {
        let t_ip = timed(Command::new("ip").args(["-n", &ns.0, "-batch"]).arg(&file))?;
        expect(ns, "ip -batch", routes)?;
        let t_flush = flush(ns)?;
        expect(ns, "ip route flush", 0)?;
        let t_rtnl = timed(
            Command::new(&ex)
                .args(["add", &ns.0])
                .arg(routes.to_string()),
        )?;
        expect(ns, "rtnl IPBatch", routes)?;
        let t_rflush = timed(Command::new(&ex).args(["flush", &ns.0]))?;
        expect(ns, "rtnl flush_routes", 0)?;
        if round == 0 {
            continue; // the warm-up
        }
        ip.push(t_ip);
        rtnl.push(t_rtnl);
        ipflush.push(t_flush);
        rflush.push(t_rflush);
        if let Some(py) = py {
            let out = run(Command::new("ip")
                .args(["netns", "exec", &ns.0])
                .arg(py)
                .arg(root.join("xtask/bench/pyroute2_add.py"))
                .arg(py_routes.to_string()))?;
            let secs: f64 = out
                .trim()
                .parse()
                .map_err(|e| format!("pyroute2_add.py printed {out:?}: {e}"))?;
            expect(ns, "pyroute2", py_routes)?;
            flush(ns)?;
            pyr.push(secs);
        }
    }
    let _ = std::fs::remove_file(&file);
    let (ip_m, rtnl_m) = (median(ip.clone()), median(rtnl.clone()));
    let mut r = String::new();
    let _ = writeln!(
        r,
        "## Adding {routes} IPv4 routes (table 100, via a gateway), {runs} runs after a warm-up, interleaved\n"
    );
    let _ = writeln!(
        r,
        "| implementation | routes | median | min..max | routes/s | ip -batch time / this |\n|---|---:|---:|---:|---:|---:|"
    );
    let mut row = |name: &str, n: usize, v: &[f64]| {
        let m = median(v.to_vec());
        let lo = v.iter().cloned().fold(f64::MAX, f64::min);
        let hi = v.iter().cloned().fold(0.0, f64::max);
        let rate = n as f64 / m;
        let _ = writeln!(
            r,
            "| {name} | {n} | {:.0} ms | {:.0}..{:.0} ms | {:.0} | {:.2}x |",
            m * 1e3,
            lo * 1e3,
            hi * 1e3,
            rate,
            rate / (routes as f64 / ip_m)
        );
    };
    row("ip -batch", routes, &ip);
    row("rtnl IPBatch (pipelined)", routes, &rtnl);
    if !pyr.is_empty() {
        row("pyroute2, one call per route", py_routes, &pyr);
    }
    row("ip route flush table 100", routes, &ipflush);
    row("rtnl flush_routes (table 100)", routes, &rflush);
    let _ = writeln!(
        r,
        "\nrtnl is {:.2}x as fast as `ip -batch`{}. Flushing: rtnl {:.2}x as fast as `ip route flush` (the last column compares every row with `ip -batch`).\n",
        ip_m / rtnl_m,
        if pyr.is_empty() {
            String::new()
        } else {
            format!(
                " and {:.0}x as fast as pyroute2 by rate",
                (routes as f64 / rtnl_m) / (py_routes as f64 / median(pyr.clone()))
            )
        },
        median(ipflush.clone()) / median(rflush.clone())
    );
    Ok(r)
}
