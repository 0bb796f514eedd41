//! `cargo xtask bench --cli`: the `rtnl` command line against iproute2 on the same namespace,
//! side by side, interleaved, in one run, output to /dev/null: `route show table 100` and
//! `-j route show table 100` at N routes (100 000), `link show` at M links (2 000: veth pairs).
//! Each tool is a whole process, as a user runs it (start-up included). The table shows the
//! medians, rtnl's time as a ratio of ip's, and each tool's peak RSS (GNU time's `%M`), against
//! the targets of issue 11 (at most 0.8x ip's time, under 16 MiB). Before timing, each rtnl
//! output is checked to be byte for byte ip's.
//!
//! CPU time (user + system, from the children's counters in /proc/self/stat) is shown beside
//! the wall time: on a shared machine it moves less.
//!
//! Options: `--routes N` (100000), `--links M` (2000), `--runs R` (7), `--prebuilt DIR` (take
//! `rtnl` from DIR instead of building it in release), `--out FILE` (also write the report).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::benchns::{Netns, median, run};

struct Opts {
    routes: usize,
    links: usize,
    runs: usize,
    prebuilt: Option<PathBuf>,
    out: Option<PathBuf>,
}

fn parse(args: &[String]) -> Result<Opts, String> {
    let mut o = Opts {
        routes: 100_000,
        links: 2_000,
        runs: 7,
        prebuilt: None,
        out: None,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut val = |name: &str| it.next().cloned().ok_or(format!("{name} needs a value"));
        let num = |v: String, name: &str| v.parse::<usize>().map_err(|e| format!("{name}: {e}"));
        match a.as_str() {
            "--routes" => o.routes = num(val("--routes")?, "--routes")?,
            "--links" => o.links = num(val("--links")?, "--links")?,
            "--runs" => o.runs = num(val("--runs")?, "--runs")?.max(1),
            "--prebuilt" => o.prebuilt = Some(PathBuf::from(val("--prebuilt")?)),
            "--out" => o.out = Some(PathBuf::from(val("--out")?)),
            other => return Err(format!("bench --cli: unknown option {other:?}")),
        }
    }
    Ok(o)
}

/// The release `rtnl`, built in the target directory cargo uses (CARGO_TARGET_DIR honoured).
fn build(root: &Path) -> Result<PathBuf, String> {
    run(Command::new(env!("CARGO")).current_dir(root).args([
        "build",
        "-q",
        "--release",
        "-p",
        "rtnl-cli",
        "--bin",
        "rtnl",
    ]))?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    Ok(target.join("release/rtnl"))
}

/// One workload: the same words for both tools.
struct Workload {
    title: String,
    words: &'static str,
}

/// Seconds of one run, output to /dev/null.
fn time_once(prog: &str, ns: &str, words: &str) -> Result<f64, String> {
    let t = std::time::Instant::now();
    let st = Command::new(prog)
        .args(["-n", ns])
        .args(words.split_whitespace())
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("{prog}: {e}"))?;
    let secs = t.elapsed().as_secs_f64();
    if !st.success() {
        return Err(format!("{prog} -n {ns} {words}: {st}"));
    }
    Ok(secs)
}

/// Peak RSS in KiB (GNU time's `%M`; 0 when /usr/bin/time is missing).
fn rss_kb(prog: &str, ns: &str, words: &str) -> u64 {
    Command::new("/usr/bin/time")
        .args(["-f", "%M", prog, "-n", ns])
        .args(words.split_whitespace())
        .stdout(Stdio::null())
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stderr)
                .lines()
                .last()
                .and_then(|l| l.trim().parse().ok())
        })
        .unwrap_or(0)
}

/// CPU seconds (user + system) this process's waited-for children used so far, from
/// /proc/self/stat (`cutime` + `cstime`, in USER_HZ ticks of 1/100 s).
fn children_cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, r)| r.split_whitespace().collect())
        .unwrap_or_default();
    let tick = |i: usize| {
        rest.get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (tick(13) + tick(14)) / 100.0
}

/// Mean CPU time (user + system) of one run, over `n` runs in a row (the tick counter's
/// rounding is paid once per batch, not once per run).
fn cpu_per_run(prog: &str, ns: &str, words: &str, n: usize) -> Result<f64, String> {
    let before = children_cpu();
    for _ in 0..n {
        time_once(prog, ns, words)?;
    }
    Ok((children_cpu() - before) / n as f64)
}

/// rtnl's output must be ip's, byte for byte, before it is timed.
fn same_output(cli: &str, ns: &str, words: &str) -> Result<usize, String> {
    let out = |prog: &str| -> Result<Vec<u8>, String> {
        let o = Command::new(prog)
            .args(["-n", ns])
            .args(words.split_whitespace())
            .output()
            .map_err(|e| format!("{prog}: {e}"))?;
        Ok(o.stdout)
    };
    let (ours, theirs) = (out(cli)?, out("ip")?);
    if ours != theirs {
        return Err(format!(
            "`rtnl {words}` and `ip {words}` differ ({} vs {} bytes)",
            ours.len(),
            theirs.len()
        ));
    }
    Ok(theirs.len())
}

/// Times each workload, ip and rtnl interleaved round by round; one table row per workload.
fn measure(
    cli: &str,
    ns: &Netns,
    w: &Workload,
    runs: usize,
    report: &mut String,
) -> Result<(), String> {
    let bytes = same_output(cli, &ns.0, w.words)?;
    let (mut ip, mut ours) = (Vec::new(), Vec::new());
    for round in 0..=runs {
        let a = time_once("ip", &ns.0, w.words)?;
        let b = time_once(cli, &ns.0, w.words)?;
        if round > 0 {
            ip.push(a);
            ours.push(b);
        }
    }
    let (ip_rss, our_rss) = (rss_kb("ip", &ns.0, w.words), rss_kb(cli, &ns.0, w.words));
    let (mi, mo) = (median(&mut ip), median(&mut ours));
    // CPU time is steadier than wall time on a shared machine: 3x the runs, in a row.
    let batch = 3 * runs;
    let (ci, co) = (
        cpu_per_run("ip", &ns.0, w.words, batch)?,
        cpu_per_run(cli, &ns.0, w.words, batch)?,
    );
    let ratio = mo / mi;
    let met = ratio <= 0.8 && our_rss < 16 * 1024;
    let _ = writeln!(
        report,
        "| {} | `{}` | {:.1} ms | {:.1} ms | **{:.2}x** | {:.1} / {:.1} ms ({:.2}x) | {:.1} MiB | {:.1} MiB | {:.1} MB | {} |",
        w.title,
        w.words,
        mi * 1e3,
        mo * 1e3,
        ratio,
        ci * 1e3,
        co * 1e3,
        co / ci,
        ip_rss as f64 / 1024.0,
        our_rss as f64 / 1024.0,
        bytes as f64 / 1e6,
        if met { "met" } else { "not met" }
    );
    Ok(())
}

/// Runs the CLI benchmark; returns the report.
pub fn main(root: &Path, args: &[String]) -> Result<String, String> {
    let o = parse(args)?;
    let cli = match &o.prebuilt {
        Some(dir) => dir.join("rtnl"),
        None => build(root)?,
    };
    let cli = cli.display().to_string();
    let ns = Netns::new()?;
    let mut report = String::new();
    let _ = writeln!(
        report,
        "## `rtnl` CLI vs iproute2, {} runs after a warm-up, interleaved, output to /dev/null\n",
        o.runs
    );
    let _ = writeln!(
        report,
        "| workload | command | ip (median) | rtnl (median) | rtnl / ip | CPU ip / rtnl (user+sys, mean) | ip peak RSS | rtnl peak RSS | output | target (time <= 0.8x, RSS < 16 MiB) |"
    );
    let _ = writeln!(report, "|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
    ns.load_v4(o.routes)?;
    for (title, words) in [
        (format!("{} routes, text", o.routes), "route show table 100"),
        (
            format!("{} routes, JSON", o.routes),
            "-j route show table 100",
        ),
    ] {
        measure(&cli, &ns, &Workload { title, words }, o.runs, &mut report)?;
    }
    run(Command::new("ip").args(["-n", &ns.0, "route", "flush", "table", "100"]))?;
    let mut lines = String::new();
    for i in 0..o.links / 2 {
        let _ = writeln!(lines, "link add b{i}a type veth peer name b{i}b");
    }
    ns.batch(&lines)?;
    // The namespace's own links (lo, v0, v1) count too.
    let links = o.links / 2 * 2 + 3;
    let w = Workload {
        title: format!("{links} links"),
        words: "link show",
    };
    measure(&cli, &ns, &w, o.runs, &mut report)?;
    let _ = writeln!(report);
    if let Some(p) = &o.out {
        std::fs::write(p, &report).map_err(|e| format!("write {}: {e}", p.display()))?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    /// The harness end to end at a tiny size, so it cannot rot (timings not checked): it runs
    /// the `rtnl` that `cargo test --workspace` built beside this test, and builds nothing.
    #[test]
    fn bench_cli_smoke() {
        if !crate::benchns::is_root() {
            eprintln!("skip: bench_cli_smoke: needs root");
            return;
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap();
        let exe = std::env::current_exe().unwrap();
        let bin = exe.parent().and_then(|d| d.parent()).unwrap().to_path_buf();
        if !bin.join("rtnl").exists() {
            eprintln!(
                "skip: bench_cli_smoke: {} lacks rtnl (run cargo test --workspace)",
                bin.display()
            );
            return;
        }
        let args: Vec<String> = [
            "--routes",
            "200",
            "--links",
            "10",
            "--runs",
            "1",
            "--prebuilt",
            bin.to_str().unwrap(),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let report = super::main(root, &args).unwrap();
        for want in [
            "| 200 routes, text | `route show table 100` |",
            "| 200 routes, JSON | `-j route show table 100` |",
            "| 13 links | `link show` |",
        ] {
            assert!(report.contains(want), "{want} missing from:\n{report}");
        }
    }
}
