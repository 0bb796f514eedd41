//! `cargo xtask bench`: route dumps measured side by side, interleaved, in one run.
//!
//! Builds a fresh network namespace (`rtnl-bench-<pid>`), loads N IPv4 /32 routes via a gateway
//! into table 100 with `ip -batch` (then M IPv6 routes for a second run), and times each
//! implementation on the same dump: the raw recv floor, rtnl, rtnl async (AsyncIPRoute on a
//! current-thread tokio runtime), netlink-packet-route, the `rtnetlink` crate (tokio), pyroute2
//! (installed with pip into `target/bench-venv`), `ip route show`, `ip -j route show` and the
//! `rtnl` CLI. Each gets a warm-up and `--runs` counted runs, interleaved round by round; the
//! table shows the median, the spread (min..max), routes/s, peak RSS and the ratios to rtnl and to
//! the floor. Library runners time the dump alone (inside the process); command-line tools are
//! timed as whole processes (their start-up included, as a user sees them).
//!
//! Needs root (namespaces). Options: `--routes N` (100000), `--v6 N` (20000), `--runs N` (5),
//! `--no-pyroute2`, `--debug` (dev profile), `--prebuilt DIR` (take `examples/bench_dump` and
//! `rtnl` from DIR instead of building them: the smoke test uses what `cargo test` built),
//! `--rss-scale a,b,c` (rtnl's peak RSS at several route counts), `--out FILE` (also write the
//! report there), `--events N` (instead: route events per second, `rtnl monitor` against `ip
//! monitor`, while N routes are added and flushed; `bench_events.rs`), `--writes N` (instead:
//! adding N routes, rtnl's pipelined IPBatch against `ip -batch` and pyroute2 one call per route,
//! `--py-writes N` of those; `bench_writes.rs`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[derive(Debug, Clone)]
struct Opts {
    routes: usize,
    v6: usize,
    runs: usize,
    pyroute2: bool,
    debug: bool,
    prebuilt: Option<PathBuf>,
    events: Option<usize>,
    writes: Option<usize>,
    py_writes: usize,
    rss_scale: Vec<usize>,
    out: Option<PathBuf>,
}

fn parse(args: &[String]) -> Result<Opts, String> {
    let mut o = Opts {
        routes: 100_000,
        v6: 20_000,
        runs: 5,
        pyroute2: true,
        debug: false,
        prebuilt: None,
        events: None,
        writes: None,
        py_writes: 5_000,
        rss_scale: vec![],
        out: None,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut val = |name: &str| it.next().cloned().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--routes" => {
                o.routes = val("--routes")?
                    .parse()
                    .map_err(|e| format!("--routes: {e}"))?
            }
            "--v6" => o.v6 = val("--v6")?.parse().map_err(|e| format!("--v6: {e}"))?,
            "--runs" => o.runs = val("--runs")?.parse().map_err(|e| format!("--runs: {e}"))?,
            "--no-pyroute2" => o.pyroute2 = false,
            "--debug" => o.debug = true,
            "--prebuilt" => o.prebuilt = Some(PathBuf::from(val("--prebuilt")?)),
            "--events" => {
                o.events = Some(
                    val("--events")?
                        .parse()
                        .map_err(|e| format!("--events: {e}"))?,
                )
            }
            "--writes" => {
                o.writes = Some(
                    val("--writes")?
                        .parse()
                        .map_err(|e| format!("--writes: {e}"))?,
                )
            }
            "--py-writes" => {
                o.py_writes = val("--py-writes")?
                    .parse()
                    .map_err(|e| format!("--py-writes: {e}"))?
            }
            "--out" => o.out = Some(PathBuf::from(val("--out")?)),
            "--rss-scale" => {
                o.rss_scale = val("--rss-scale")?
                    .split(',')
                    .map(|s| s.trim().parse().map_err(|e| format!("--rss-scale: {e}")))
                    .collect::<Result<_, _>>()?
            }
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    if o.runs == 0 {
        return Err("--runs must be at least 1".into());
    }
    Ok(o)
}

use crate::benchns::{Netns, median, run};

#[derive(Debug, Clone, Default)]
struct Sample {
    secs: f64,
    rss_kb: u64,
    routes: u64,
    checksum: Option<u64>,
}

fn field(line: &str, key: &str) -> Option<String> {
    let at = line.find(&format!("\"{key}\":"))? + key.len() + 3;
    let rest = &line[at..];
    let end = rest.find([',', '}']).unwrap_or(rest.len());
    Some(rest[..end].trim().trim_matches('"').to_string())
}

fn sample(line: &str) -> Result<Sample, String> {
    let line = line.lines().last().unwrap_or("");
    let num = |k: &str| field(line, k).ok_or(format!("no {k} in {line:?}"));
    Ok(Sample {
        secs: num("secs")?.parse().map_err(|e| format!("secs: {e}"))?,
        rss_kb: num("maxrss_kb")?.parse().map_err(|e| format!("rss: {e}"))?,
        routes: num("routes")?.parse().map_err(|e| format!("routes: {e}"))?,
        checksum: field(line, "checksum").and_then(|c| c.parse().ok()),
    })
}

struct Runner {
    name: &'static str,
    kind: &'static str,
    cmd: Vec<String>,
}

fn time_cmd(cmd: &[String]) -> Result<f64, String> {
    let t = std::time::Instant::now();
    let st = Command::new(&cmd[0])
        .args(&cmd[1..])
        .stdout(Stdio::null())
        .status()
        .map_err(|e| format!("{cmd:?}: {e}"))?;
    let secs = t.elapsed().as_secs_f64();
    if !st.success() {
        return Err(format!("{cmd:?} failed: {st}"));
    }
    Ok(secs)
}

/// Peak RSS of a command, from GNU time (`%M`), in KiB; 0 when /usr/bin/time is missing.
fn rss_cmd(cmd: &[String]) -> u64 {
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .args(cmd)
        .stdout(Stdio::null())
        .output();
    out.ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stderr)
                .lines()
                .last()
                .and_then(|l| l.trim().parse().ok())
        })
        .unwrap_or(0)
}

fn measure(
    ns: &Netns,
    runners: &[Runner],
    runs: usize,
    family: u8,
) -> Result<Vec<(String, Vec<Sample>)>, String> {
    let mut all: Vec<(String, Vec<Sample>)> = runners
        .iter()
        .map(|r| (r.name.to_string(), vec![]))
        .collect();
    let mut rss = vec![0u64; runners.len()];
    for round in 0..=runs {
        for (i, r) in runners.iter().enumerate() {
            let s = if r.kind == "lib" {
                let mut cmd = Command::new("ip");
                cmd.args(["netns", "exec", &ns.0])
                    .args(&r.cmd)
                    .arg("100")
                    .arg(family.to_string());
                sample(&run(&mut cmd)?)?
            } else {
                let argv: Vec<String> = r
                    .cmd
                    .iter()
                    .map(|a| if a == "NS" { ns.0.clone() } else { a.clone() })
                    .collect();
                if round == 0 {
                    rss[i] = rss_cmd(&argv);
                }
                Sample {
                    secs: time_cmd(&argv)?,
                    rss_kb: rss[i],
                    routes: 0,
                    checksum: None,
                }
            };
            if round > 0 {
                all[i].1.push(s);
            }
        }
    }
    Ok(all)
}

fn table(title: &str, results: &[(String, Vec<Sample>)], expect: usize) -> Result<String, String> {
    let mut out = String::new();
    let med = |name: &str| -> Option<f64> {
        results
            .iter()
            .find(|r| r.0 == name)
            .map(|r| median(&mut r.1.iter().map(|s| s.secs).collect::<Vec<_>>()))
    };
    let (rtnl, floor) = (
        med("rtnl").unwrap_or(f64::NAN),
        med("floor").unwrap_or(f64::NAN),
    );
    let best_floor = results
        .iter()
        .find(|r| r.0 == "floor")
        .and_then(|r| r.1.iter().map(|s| s.secs).min_by(|a, b| a.total_cmp(b)))
        .unwrap_or(f64::NAN);
    let _ = writeln!(out, "### {title}\n");
    let _ = writeln!(
        out,
        "| implementation | x rtnl (time) | x floor | x floor (best runs) | median | spread (min..max) | routes/s | peak RSS |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|");
    let checks: Vec<(String, u64)> = results
        .iter()
        .filter_map(|(n, s)| {
            s.first()
                .and_then(|s| s.checksum)
                .filter(|c| *c != 0)
                .map(|c| (n.clone(), c))
        })
        .collect();
    for (name, samples) in results {
        let mut secs: Vec<f64> = samples.iter().map(|s| s.secs).collect();
        let m = median(&mut secs);
        let (lo, hi) = (secs[0], secs[secs.len() - 1]);
        let rss = samples.iter().map(|s| s.rss_kb).max().unwrap_or(0);
        let routes = samples.iter().map(|s| s.routes).max().unwrap_or(0);
        if routes != 0 && routes as usize != expect {
            return Err(format!("{name} saw {routes} routes, expected {expect}"));
        }
        let _ = writeln!(
            out,
            "| {name} | {:.2} | {:.2} | {:.2} | {:.1} ms | {:.1}..{:.1} ms | {:.0} | {:.1} MiB |",
            m / rtnl,
            m / floor,
            lo / best_floor,
            m * 1e3,
            lo * 1e3,
            hi * 1e3,
            expect as f64 / m,
            rss as f64 / 1024.0
        );
    }
    if let Some((first, c)) = checks.first()
        && let Some((other, _)) = checks.iter().find(|(_, x)| x != c)
    {
        return Err(format!(
            "{first} and {other} read different values (checksums differ)"
        ));
    }
    let _ = writeln!(out);
    Ok(out)
}

fn build(root: &Path, debug: bool) -> Result<PathBuf, String> {
    // Target filters (`--example`) apply to every selected package: build the two separately.
    for args in [
        &["-p", "rtnl-api", "--example", "bench_dump"][..],
        &["-p", "rtnl-api", "--example", "bench_batch"][..],
        &["-p", "rtnl-cli", "--bin", "rtnl"][..],
    ] {
        let mut c = Command::new(env!("CARGO"));
        c.current_dir(root).args(["build", "-q"]).args(args);
        if !debug {
            c.arg("--release");
        }
        run(&mut c)?;
    }
    Ok(root
        .join("target")
        .join(if debug { "debug" } else { "release" }))
}

fn pyroute2_python(root: &Path) -> Result<PathBuf, String> {
    let venv = root.join("target/bench-venv");
    let py = venv.join("bin/python3");
    if !py.exists() {
        run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    }
    let ok = Command::new(&py)
        .args(["-c", "import pyroute2"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        run(Command::new(&py).args(["-m", "pip", "install", "-q", "pyroute2>=0.9,<0.10"]))?;
    }
    Ok(py)
}

/// `--events N` and `--writes N`: the benchmarks that replace the dump table; `None` when
/// neither was asked for.
fn other_benchmark(root: &Path, o: &Opts, bin: &Path, cli: &str) -> Result<Option<String>, String> {
    let report = if let Some(routes) = o.events {
        let ns = Netns::new()?;
        crate::bench_events::run(&ns, cli, routes)?
    } else if let Some(routes) = o.writes {
        let py = if o.pyroute2 {
            Some(pyroute2_python(root)?)
        } else {
            None
        };
        let ns = Netns::new()?;
        crate::bench_writes::run_writes(&ns, bin, py.as_deref(), root, routes, o.py_writes, o.runs)?
    } else {
        return Ok(None);
    };
    if let Some(p) = &o.out {
        std::fs::write(p, &report).map_err(|e| format!("write {}: {e}", p.display()))?;
    }
    Ok(Some(report))
}

/// Runs the benchmark; returns the report.
pub fn main(root: &Path, args: &[String]) -> Result<String, String> {
    if let Some(("--cli", rest)) = args.split_first().map(|(a, r)| (a.as_str(), r)) {
        return crate::bench_cli::main(root, rest); // the CLI benchmark: bench_cli.rs
    }
    let o = parse(args)?;
    if !crate::benchns::is_root() {
        return Err("cargo xtask bench needs root (it creates a network namespace)".into());
    }
    let bin = match &o.prebuilt {
        Some(dir) => dir.clone(),
        None => build(root, o.debug)?,
    };
    let ex = bin.join("examples/bench_dump").display().to_string();
    let cli = bin.join("rtnl").display().to_string();
    if let Some(report) = other_benchmark(root, &o, &bin, &cli)? {
        return Ok(report);
    }
    let mut runners = vec![
        Runner {
            name: "floor",
            kind: "lib",
            cmd: vec![ex.clone(), "floor".into()],
        },
        Runner {
            name: "rtnl",
            kind: "lib",
            cmd: vec![ex.clone(), "rtnl".into()],
        },
        Runner {
            name: "rtnl async (tokio)",
            kind: "lib",
            cmd: vec![ex.clone(), "async".into()],
        },
        Runner {
            name: "netlink-packet-route",
            kind: "lib",
            cmd: vec![ex.clone(), "nlpr".into()],
        },
        Runner {
            name: "rtnetlink (tokio)",
            kind: "lib",
            cmd: vec![ex.clone(), "rtnetlink".into()],
        },
    ];
    if o.pyroute2 {
        let py = pyroute2_python(root)?;
        runners.push(Runner {
            name: "pyroute2",
            kind: "lib",
            cmd: vec![
                py.display().to_string(),
                root.join("xtask/bench/pyroute2_dump.py")
                    .display()
                    .to_string(),
            ],
        });
    }
    let cmd = |name: &'static str, argv: &str| Runner {
        name,
        kind: "cmd",
        cmd: argv.split_whitespace().map(str::to_string).collect(),
    };
    runners.push(cmd("ip route show", "ip -n NS route show table 100"));
    runners.push(cmd("ip -j route show", "ip -n NS -j route show table 100"));
    let mut r = cmd("rtnl CLI", "CLI -n NS route show table 100");
    r.cmd[0] = cli.clone();
    runners.push(r);

    let ns = Netns::new()?;
    let mut report = String::new();
    let _ = writeln!(
        report,
        "## Route dump, {} runs after a warm-up, interleaved\n",
        o.runs
    );
    ns.load_v4(o.routes)?;
    report += &table(
        &format!("{} IPv4 routes (table 100)", o.routes),
        &measure(&ns, &runners, o.runs, 2)?,
        o.routes,
    )?;
    if o.v6 > 0 {
        run(Command::new("ip").args(["-n", &ns.0, "route", "flush", "table", "100"]))?;
        ns.load_v6(o.v6)?;
        let v6: Vec<Runner> = runners
            .into_iter()
            .map(|mut r| {
                if r.kind == "cmd" {
                    let at = r.cmd.iter().position(|a| a == "route").unwrap_or(1);
                    r.cmd.insert(at, "-6".into());
                }
                r
            })
            .collect();
        report += &table(
            &format!("{} IPv6 routes (table 100)", o.v6),
            &measure(&ns, &v6, o.runs, 10)?,
            o.v6,
        )?;
    }
    if !o.rss_scale.is_empty() {
        let _ = writeln!(
            report,
            "### rtnl peak RSS by route count\n\n| routes | peak RSS | median dump |\n|---:|---:|---:|"
        );
        for n in &o.rss_scale {
            run(Command::new("ip").args(["-n", &ns.0, "-6", "route", "flush", "table", "100"]))
                .ok();
            ns.load_v4(*n)?;
            let r = [Runner {
                name: "rtnl",
                kind: "lib",
                cmd: vec![ex.clone(), "rtnl".into()],
            }];
            let res = measure(&ns, &r, o.runs, 2)?;
            let rss = res[0].1.iter().map(|s| s.rss_kb).max().unwrap_or(0);
            let m = median(&mut res[0].1.iter().map(|s| s.secs).collect::<Vec<_>>());
            let _ = writeln!(
                report,
                "| {n} | {:.1} MiB | {:.1} ms |",
                rss as f64 / 1024.0,
                m * 1e3
            );
        }
        let _ = writeln!(report);
    }
    if let Some(p) = &o.out {
        std::fs::write(p, &report).map_err(|e| format!("write {}: {e}", p.display()))?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    /// The harness end to end with a tiny route count, so it cannot rot (timings not checked).
    /// It runs the binaries `cargo test --workspace` built next to this test (the bench_dump
    /// example and `rtnl`, in the same target directory), so it builds nothing itself.
    #[test]
    fn bench_smoke() {
        if !crate::benchns::is_root() {
            eprintln!("skip: bench_smoke: needs root");
            return;
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap();
        // target/debug/deps/xtask-HASH -> target/debug
        let exe = std::env::current_exe().unwrap();
        let bin = exe.parent().and_then(|d| d.parent()).unwrap().to_path_buf();
        if !bin.join("examples/bench_dump").exists() || !bin.join("rtnl").exists() {
            eprintln!(
                "skip: bench_smoke: {} lacks examples/bench_dump or rtnl (run cargo test --workspace)",
                bin.display()
            );
            return;
        }
        let args: Vec<String> = [
            "--routes",
            "300",
            "--v6",
            "30",
            "--runs",
            "1",
            "--no-pyroute2",
            "--prebuilt",
            bin.to_str().unwrap(),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let report = super::main(root, &args).unwrap();
        for want in [
            "300 IPv4 routes",
            "30 IPv6 routes",
            "| floor |",
            "| rtnl |",
            "| rtnl async (tokio) |",
            "| netlink-packet-route |",
            "| ip route show |",
            "| rtnl CLI |",
        ] {
            assert!(report.contains(want), "{want} missing from:\n{report}");
        }
    }

    /// The write benchmark's smoke run: 200 routes each way, checked by counting the table.
    #[test]
    fn bench_writes_smoke() {
        if !crate::benchns::is_root() {
            eprintln!("skip: bench_writes_smoke: needs root");
            return;
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap();
        let exe = std::env::current_exe().unwrap();
        let bin = exe.parent().and_then(|d| d.parent()).unwrap().to_path_buf();
        if !bin.join("examples/bench_batch").exists() {
            eprintln!(
                "skip: bench_writes_smoke: {} lacks examples/bench_batch (run cargo test --workspace)",
                bin.display()
            );
            return;
        }
        let args: Vec<String> = [
            "--writes",
            "200",
            "--runs",
            "1",
            "--no-pyroute2",
            "--prebuilt",
            bin.to_str().unwrap(),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let report = super::main(root, &args).unwrap();
        for want in [
            "Adding 200 IPv4 routes",
            "| ip -batch |",
            "| rtnl IPBatch (pipelined) |",
        ] {
            assert!(report.contains(want), "{want} missing from:\n{report}");
        }
    }
}
