//! The benchmarks' namespace: a fresh named namespace with a veth pair and addresses, routes
//! loaded with `ip -batch`, removed on drop; and running a command for its output. Shared by
//! the dump benchmark (`bench.rs`) and the events benchmark (`bench_events.rs`); `median` and
//! `is_root` for every benchmark.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::{Command, Stdio};

/// The median of `v` (sorted in place; the mean of the middle two for an even count).
pub(crate) fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Whether this process runs as root (effective uid 0): the benchmarks make namespaces.
pub(crate) fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(2) == Some("0"))
        })
        .unwrap_or(false)
}

pub(crate) fn run(cmd: &mut Command) -> Result<String, String> {
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{cmd:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

pub(crate) struct Netns(pub(crate) String);

impl Netns {
    pub(crate) fn new() -> Result<Netns, String> {
        // A counter too: the smoke tests run in one process, in parallel.
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("rtnl-bench-{}-{n}", std::process::id());
        run(Command::new("ip").args(["netns", "add", &name]))?;
        let ns = Netns(name);
        for c in [
            "link set lo up",
            "link add v0 type veth peer name v1",
            "link set v0 up",
            "link set v1 up",
            "addr add 10.0.0.1/24 dev v0",
            "-6 addr add 2001:db8::1/64 dev v0 nodad",
        ] {
            run(Command::new("ip")
                .arg("-n")
                .arg(&ns.0)
                .args(c.split_whitespace()))?;
        }
        Ok(ns)
    }

    /// How many routes table `table` holds (`ip route show table N`, a line each).
    pub(crate) fn routes_in(&self, table: u32) -> Result<usize, String> {
        let t = table.to_string();
        Ok(
            run(Command::new("ip").args(["-n", &self.0, "route", "show", "table", &t]))?
                .lines()
                .count(),
        )
    }

    pub(crate) fn batch(&self, lines: &str) -> Result<(), String> {
        let mut child = Command::new("ip")
            .args(["-n", &self.0, "-batch", "-"])
            .stdin(Stdio::piped())
            .spawn()
            .map_err(|e| format!("ip -batch: {e}"))?;
        child
            .stdin
            .take()
            .ok_or("stdin")?
            .write_all(lines.as_bytes())
            .map_err(|e| format!("ip -batch: {e}"))?;
        let st = child.wait().map_err(|e| format!("ip -batch: {e}"))?;
        if st.success() {
            Ok(())
        } else {
            Err(format!("ip -batch failed: {st}"))
        }
    }

    pub(crate) fn load_v4(&self, n: usize) -> Result<(), String> {
        run(Command::new("ip").args(["-n", &self.0, "route", "flush", "table", "100"])).ok();
        let mut s = String::with_capacity(n * 48);
        for i in 0..n {
            let _ = writeln!(
                s,
                "route add 10.{}.{}.{}/32 via 10.0.0.2 table 100",
                1 + (i >> 16) % 250,
                (i >> 8) & 255,
                i & 255
            );
        }
        self.batch(&s)
    }

    pub(crate) fn load_v6(&self, n: usize) -> Result<(), String> {
        let mut s = String::with_capacity(n * 56);
        for i in 0..n {
            let _ = writeln!(
                s,
                "route add 2001:db8:{:x}:{:x}::1/128 via 2001:db8::2 table 100",
                1 + (i >> 16),
                i & 0xffff
            );
        }
        self.batch(&s)
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip").args(["netns", "del", &self.0]).status();
    }
}
