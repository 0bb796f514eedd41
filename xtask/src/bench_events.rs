//! `cargo xtask bench --events N`: route events received per second, `rtnl monitor route`
//! against `ip monitor route`, while N routes are added (`ip -batch`) and flushed in a fresh
//! namespace. Both monitors run side by side; each one's output is counted as it comes, and
//! the figures are the events each printed, how many it lost, and its rate (events over the
//! time from the first change to the last event it printed). rtnl's own word on an overflow
//! ("events were lost ... resynced" on stderr) is reported too: never a silent loss.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Watch {
    child: Child,
    seen: Arc<AtomicUsize>,
    current: Arc<AtomicUsize>,
    last: Arc<Mutex<Option<Instant>>>,
    stderr: std::thread::JoinHandle<String>,
}

fn watch(cmd: &str, args: &[&str]) -> Result<Watch, String> {
    let mut child = Command::new(cmd)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{cmd}: {e}"))?;
    let out = child.stdout.take().ok_or("stdout")?;
    let mut err = child.stderr.take().ok_or("stderr")?;
    let seen = Arc::new(AtomicUsize::new(0));
    let current = Arc::new(AtomicUsize::new(0));
    let last = Arc::new(Mutex::new(None));
    let (s, c, l) = (seen.clone(), current.clone(), last.clone());
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if line.contains("via 10.0.0.2") {
                // rtnl marks the state it dumps after an overflow `[current]`.
                match line.starts_with("[current]") {
                    true => c.fetch_add(1, Ordering::Relaxed),
                    false => s.fetch_add(1, Ordering::Relaxed),
                };
                if let Ok(mut t) = l.lock() {
                    *t = Some(Instant::now());
                }
            }
        }
    });
    let stderr = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut s);
        s
    });
    Ok(Watch {
        child,
        seen,
        current,
        last,
        stderr,
    })
}

/// Runs the events comparison with `routes` routes; returns the report.
pub fn run(ns: &crate::benchns::Netns, rtnl: &str, routes: usize) -> Result<String, String> {
    let mut ours = watch(rtnl, &["-n", &ns.0, "monitor", "route"])?;
    let mut theirs = watch("ip", &["-n", &ns.0, "monitor", "route"])?;
    std::thread::sleep(Duration::from_millis(500));
    let start = Instant::now();
    ns.load_v4(routes)?;
    crate::benchns::run(Command::new("ip").args(["-n", &ns.0, "route", "flush", "table", "100"]))?;
    let changed = start.elapsed();
    // Wait until neither monitor has printed anything for a second.
    let mut before = (usize::MAX, usize::MAX);
    loop {
        std::thread::sleep(Duration::from_secs(1));
        let now = (
            ours.seen.load(Ordering::Relaxed),
            theirs.seen.load(Ordering::Relaxed),
        );
        if now == before {
            break;
        }
        before = now;
    }
    let mut report = String::new();
    let _ = writeln!(
        report,
        "## Events: route events received, {} changes ({routes} adds, then a flush) in {:.2} s\n",
        2 * routes,
        changed.as_secs_f64()
    );
    let _ = writeln!(
        report,
        "| monitor | events printed | events missing | lost silently | events/s | what it said |"
    );
    let _ = writeln!(report, "|---|---:|---:|---:|---:|---|");
    for (name, w) in [
        ("rtnl monitor route", &mut ours),
        ("ip monitor route", &mut theirs),
    ] {
        let _ = w.child.kill();
        let _ = w.child.wait();
        let seen = w.seen.load(Ordering::Relaxed);
        let last = w.last.lock().ok().and_then(|t| *t);
        let rate = last
            .map(|t| seen as f64 / t.duration_since(start).as_secs_f64().max(1e-9))
            .unwrap_or(0.0);
        let stderr = std::mem::replace(&mut w.stderr, std::thread::spawn(String::new))
            .join()
            .unwrap_or_default();
        let overran = stderr.contains("events were lost");
        let current = w.current.load(Ordering::Relaxed);
        let said = match overran {
            true => {
                format!("overran; printed the current state ({current} routes) after each overflow")
            }
            false => "-".to_string(),
        };
        let missing = (2 * routes).saturating_sub(seen);
        let silent = if overran { 0 } else { missing };
        let _ = writeln!(
            report,
            "| {name} | {seen} | {missing} ({:.1} %) | {silent} | {rate:.0} | {said} |",
            100.0 * missing as f64 / (2 * routes) as f64
        );
    }
    Ok(report)
}
