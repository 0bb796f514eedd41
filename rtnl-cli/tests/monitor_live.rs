//! `rtnl monitor route` beside `ip monitor route` while 50 000 routes are added and flushed
//! (issue: events): rtnl reports every one of the 100 000 events, or says on stderr that the
//! kernel dropped some and resyncs — never a silent loss. Needs root; otherwise prints a skip.

use rtnl_core::testing::skip_unless_root;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Duration;

use rtnl_api::{IPBatch, IPRoute, kw};
use rtnl_core::testing::TestNetns;

#[test]
fn monitor_route_never_loses_events_silently() {
    if skip_unless_root("monitor_route_never_loses_events_silently") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    let mut ipr = IPRoute::from_socket(ns.socket().unwrap());
    ipr.link("add", kw! { ifname: "v0", kind: "veth", peer: "v1" })
        .unwrap();
    ipr.link("set", kw! { ifname: "v0", state: "up" }).unwrap();
    ipr.addr("add", kw! { ifname: "v0", address: "10.0.0.1/24" })
        .unwrap();
    // Each monitor's output is read as it comes (a full pipe would stall it).
    let spawn = |cmd: &str, args: &[&str]| {
        let mut child = Command::new(cmd)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut o = child.stdout.take().unwrap();
        let mut e = child.stderr.take().unwrap();
        let out = std::thread::spawn(move || {
            let mut s = String::new();
            o.read_to_string(&mut s).unwrap();
            s
        });
        let err = std::thread::spawn(move || {
            let mut s = String::new();
            e.read_to_string(&mut s).unwrap();
            s
        });
        (child, out, err)
    };
    let ours = spawn(
        env!("CARGO_BIN_EXE_rtnl"),
        &["-n", ns.name(), "monitor", "route"],
    );
    let theirs = spawn("ip", &["-n", ns.name(), "monitor", "route"]);
    std::thread::sleep(Duration::from_millis(400));
    let n = 50_000u32;
    let mut b = IPBatch::new();
    for i in 0..n {
        let dst = format!("11.{}.{}.0/24", i / 256, i % 256);
        b.route("add", kw! { dst: dst, gateway: "10.0.0.2", table: 100 })
            .unwrap();
    }
    b.send(&mut ipr).unwrap();
    let st = Command::new("ip")
        .args(["-n", ns.name(), "route", "flush", "table", "100"])
        .status()
        .unwrap();
    assert!(st.success());
    std::thread::sleep(Duration::from_secs(2));
    type Running = (
        std::process::Child,
        std::thread::JoinHandle<String>,
        std::thread::JoinHandle<String>,
    );
    let collect = |(mut child, out, err): Running| {
        child.kill().unwrap();
        child.wait().unwrap();
        (out.join().unwrap(), err.join().unwrap())
    };
    let (out, err) = collect(ours);
    let (ip_out, _) = collect(theirs);
    let count = |text: &str, deleted: bool| {
        text.lines()
            .filter(|l| l.contains("via 10.0.0.2") && l.starts_with("Deleted ") == deleted)
            .count()
    };
    let (added, deleted) = (count(&out, false), count(&out, true));
    let (ip_added, ip_deleted) = (count(&ip_out, false), count(&ip_out, true));
    let overran = err.contains("events were lost");
    let resynced = err.contains("resynced");
    println!(
        "monitor: {} events; rtnl printed {added} new + {deleted} deleted{}; ip monitor printed {ip_added} + {ip_deleted}",
        2 * n,
        if overran {
            ", said it overran and resynced"
        } else {
            ""
        }
    );
    if !overran {
        assert_eq!(
            (added, deleted),
            (n as usize, n as usize),
            "every event, when none was lost"
        );
    } else {
        assert!(resynced, "an overrun is followed by a resync: {err}");
    }
}

/// `rtnl monitor netconf` beside `ip monitor netconf`: a sysctl change and a new (then
/// deleted) veth pair print the same lines, the new devices named although their netconf
/// events come before their link events.
#[test]
fn monitor_netconf_prints_as_ip() {
    if skip_unless_root("monitor_netconf_prints_as_ip") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    let sh = |args: &str| {
        let st = Command::new("ip")
            .args(["-n", ns.name()])
            .args(args.split_whitespace())
            .status()
            .unwrap();
        assert!(st.success(), "ip {args}");
    };
    sh("link add v0 type veth peer name v1");
    let spawn = |cmd: &str| {
        Command::new(cmd)
            .args(["-n", ns.name(), "monitor", "netconf"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let ours = spawn(env!("CARGO_BIN_EXE_rtnl"));
    let theirs = spawn("ip");
    std::thread::sleep(Duration::from_millis(400));
    let st = Command::new("ip")
        .args(["netns", "exec", ns.name(), "sysctl", "-qw"])
        .arg("net.ipv4.conf.v0.forwarding=1")
        .status()
        .unwrap();
    assert!(st.success());
    sh("link add d0 type veth peer name d1");
    sh("link del d0");
    std::thread::sleep(Duration::from_millis(600));
    let read = |mut c: std::process::Child| {
        c.kill().unwrap();
        let mut s = String::new();
        c.stdout.take().unwrap().read_to_string(&mut s).unwrap();
        c.wait().unwrap();
        s
    };
    let (ours, theirs) = (read(ours), read(theirs));
    assert!(theirs.contains("inet v0 forwarding on"), "{theirs}");
    assert!(theirs.contains("inet6 d1 forwarding off"), "{theirs}");
    assert!(theirs.contains("Deleted inet d0"), "{theirs}");
    assert_eq!(ours, theirs);
}

/// `rtnl monitor nexthop` beside `ip monitor nexthop`: nexthops and a group added, replaced
/// and deleted print the same lines (`Deleted ` ones too).
#[test]
fn monitor_nexthop_prints_as_ip() {
    if skip_unless_root("monitor_nexthop_prints_as_ip") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    let sh = |args: &str| {
        let st = Command::new("ip")
            .args(["-n", ns.name()])
            .args(args.split_whitespace())
            .status()
            .unwrap();
        assert!(st.success(), "ip {args}");
    };
    sh("link set lo up");
    sh("link add v0 type veth peer name v1");
    sh("link set v0 up");
    sh("link set v1 up");
    sh("addr add 10.0.0.1/24 dev v0");
    let spawn = |cmd: &str| {
        Command::new(cmd)
            .args(["-n", ns.name(), "monitor", "nexthop"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let ours = spawn(env!("CARGO_BIN_EXE_rtnl"));
    let theirs = spawn("ip");
    std::thread::sleep(Duration::from_millis(400));
    sh("nexthop add id 1 via 10.0.0.2 dev v0");
    sh("nexthop add id 2 blackhole");
    sh("nexthop add id 3 via 10.0.0.3 dev v0 proto static");
    sh("nexthop add id 10 group 1/3,4");
    sh("nexthop replace id 1 via 10.0.0.4 dev v0");
    sh("nexthop del id 10");
    sh("nexthop del id 2");
    // A resilient group, then new weights (6.18 moves its buckets without bucket events).
    sh("nexthop add id 11 group 1/3 type resilient buckets 4 idle_timer 0");
    sh("nexthop replace id 11 group 1,3/3 type resilient buckets 4 idle_timer 0");
    std::thread::sleep(Duration::from_millis(600));
    let read = |mut c: std::process::Child| {
        c.kill().unwrap();
        let mut s = String::new();
        c.stdout.take().unwrap().read_to_string(&mut s).unwrap();
        c.wait().unwrap();
        s
    };
    let (ours, theirs) = (read(ours), read(theirs));
    assert!(theirs.contains("id 10 group 1/3,4 "), "{theirs}");
    assert!(theirs.contains("Deleted id 2 blackhole"), "{theirs}");
    assert_eq!(ours, theirs);
}
