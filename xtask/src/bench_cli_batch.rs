//! `cargo xtask bench --cli-batch [--lines N] [--runs N]`: `rtnl -batch FILE` against
//! `ip -batch FILE` on the same file of N `route add` lines (100 000), each run in a fresh
//! namespace (a veth pair up, 10.0.0.1/24), interleaved round by round. Both are timed as whole
//! processes; after each run the routes are counted (`ip route show table 100`), so a run that
//! left routes out cannot pass for a fast one. Prints the medians and their ratio.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::benchns::{Netns, median, run};

/// A fresh namespace for one run, deleted on drop.
fn build(root: &Path) -> Result<PathBuf, String> {
    let mut c = Command::new(env!("CARGO"));
    c.current_dir(root).args([
        "build",
        "-q",
        "--release",
        "-p",
        "rtnl-cli",
        "--bin",
        "rtnl",
    ]);
    run(&mut c)?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    Ok(target.join("release/rtnl"))
}

/// Times one batch run in a fresh namespace; returns seconds and the routes it left.
fn one(prog: &str, file: &Path) -> Result<(f64, usize), String> {
    let ns = Netns::new()?;
    let t = Instant::now();
    let st = Command::new(prog)
        .args(["-n", &ns.0, "-batch"])
        .arg(file)
        .status()
        .map_err(|e| format!("{prog}: {e}"))?;
    let secs = t.elapsed().as_secs_f64();
    if !st.success() {
        return Err(format!("{prog} -batch failed: {st}"));
    }
    Ok((secs, ns.routes_in(100)?))
}

/// Runs the benchmark and returns its report.
pub fn main(root: &Path, args: &[String]) -> Result<String, String> {
    let mut lines = 100_000usize;
    let mut runs = 5usize;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut num = |name: &str| -> Result<usize, String> {
            it.next()
                .ok_or(format!("{name} needs a value"))?
                .parse()
                .map_err(|e| format!("{name}: {e}"))
        };
        match a.as_str() {
            "--lines" => lines = num("--lines")?,
            "--runs" => runs = num("--runs")?.max(1),
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    let rtnl = build(root)?;
    let rtnl = rtnl.display().to_string();
    let file = std::env::temp_dir().join(format!("rtnl-bench-batch-{}.txt", std::process::id()));
    let mut s = String::with_capacity(lines * 48);
    for i in 0..lines {
        let _ = writeln!(
            s,
            "route add 10.{}.{}.{}/32 via 10.0.0.2 table 100",
            1 + (i >> 16) % 250,
            (i >> 8) & 255,
            i & 255
        );
    }
    std::fs::write(&file, &s).map_err(|e| format!("write {}: {e}", file.display()))?;
    let (mut t_ip, mut t_rtnl) = (Vec::new(), Vec::new());
    let mut report = String::new();
    for _ in 0..runs {
        let (a, na) = one("ip", &file)?;
        let (b, nb) = one(&rtnl, &file)?;
        if na != lines || nb != lines {
            let _ = std::fs::remove_file(&file);
            return Err(format!(
                "routes loaded: ip {na}, rtnl {nb}, expected {lines}"
            ));
        }
        t_ip.push(a);
        t_rtnl.push(b);
    }
    let _ = std::fs::remove_file(&file);
    let (mi, mr) = (median(&mut t_ip), median(&mut t_rtnl));
    let _ = writeln!(
        report,
        "batch: {lines} `route add ... via 10.0.0.2 table 100` lines, fresh namespace per run, {runs} runs (median)"
    );
    let _ = writeln!(report, "| tool | median s | lines/s |");
    let _ = writeln!(report, "| --- | ---: | ---: |");
    for (name, m) in [("ip -batch", mi), ("rtnl -batch", mr)] {
        let _ = writeln!(report, "| {name} | {m:.3} | {:.0} |", lines as f64 / m);
    }
    let _ = writeln!(
        report,
        "rtnl -batch is {:.2}x faster than ip -batch",
        mi / mr
    );
    Ok(report)
}
