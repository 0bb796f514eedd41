//! One side of the write benchmark (`cargo xtask bench --writes N` runs it; it is not a user
//! example).
//!
//! `bench_batch add NETNS N` adds N IPv4 /32 routes via 10.0.0.2 to table 100 of the named
//! namespace with one pipelined [`IPBatch`] (the same routes, in the same words, as the `ip
//! -batch` file the benchmark gives `ip`), and prints one JSON line: implementation, routes,
//! seconds (compiling the batch and sending it, as a user's program would), peak RSS.
//!
//! `bench_batch flush NETNS` removes every route of table 100 with
//! [`IPRoute::flush_routes`] (one dump, then one pipelined batch of deletes), as `ip route flush
//! table 100` does, and prints the same kind of line.
//!
//! The process is timed as a whole by the benchmark too, start-up included, as `ip` is.

use std::time::Instant;

use rtnl_api::{IPBatch, IPRoute, Result, RouteFilter, kw};

fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// The i-th destination: 10.{i>>16}.{i>>8}.{i}/32 shifted into 10.16.0.0/12, away from the
/// namespace's own 10.0.0.0/24.
pub fn dst(i: u32) -> String {
    let n = (10u32 << 24) | (16 << 16) | i;
    format!("{}/32", std::net::Ipv4Addr::from(n))
}

fn add(netns: &str, routes: u32) -> Result<()> {
    let mut ipr = IPRoute::in_netns(netns)?;
    let t = Instant::now();
    let mut batch = IPBatch::new();
    for i in 0..routes {
        batch.route(
            "add",
            kw! { dst: dst(i), gateway: "10.0.0.2", table: 100u32 },
        )?;
    }
    batch.send(&mut ipr)?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{{\"impl\":\"rtnl\",\"routes\":{routes},\"secs\":{secs:.6},\"maxrss_kb\":{}}}",
        peak_rss_kb()
    );
    Ok(())
}

fn flush(netns: &str) -> Result<()> {
    let mut ipr = IPRoute::in_netns(netns)?;
    let t = Instant::now();
    let routes = ipr.flush_routes(RouteFilter::new().table(100))?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{{\"impl\":\"rtnl flush\",\"routes\":{routes},\"secs\":{secs:.6},\"maxrss_kb\":{}}}",
        peak_rss_kb()
    );
    Ok(())
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["add", netns, n] => add(netns, n.parse().expect("N: a number")),
        ["flush", netns] => flush(netns),
        _ => {
            eprintln!("usage: bench_batch add NETNS N | bench_batch flush NETNS");
            std::process::exit(2);
        }
    }
}
