//! Runs every program of `examples/` the way a newcomer would, each inside a fresh network
//! namespace (`example NETNS`), and checks what it prints and what `ip`/`tc` see afterwards.
//!
//! `cargo test` builds the examples next to the test binaries (`target/<profile>/examples/`);
//! a run that did not build them (`cargo test --test examples_live` alone) says so and skips.
//! Needs root; otherwise each test prints `skip: <test>: needs root`.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use rtnl_core::testing::TestNetns;

/// Each example should take well under this (they run in about 0.1 s; 10 000 routes included).
const QUICK: Duration = Duration::from_secs(10);

/// The example binary cargo built with this test, or a skip line saying why not.
fn example(test: &str, name: &str) -> Option<PathBuf> {
    if !rtnl_core::netns::is_root() {
        eprintln!("skip: {test}: needs root");
        return None;
    }
    // target/<profile>/deps/examples_live-HASH -> target/<profile>/examples/NAME
    let exe = std::env::current_exe().ok()?;
    let path = exe.parent()?.parent()?.join("examples").join(name);
    if !path.exists() {
        eprintln!(
            "skip: {test}: {} was not built (run `cargo test -p rtnl-api`, which builds examples)",
            path.display()
        );
        return None;
    }
    Some(path)
}

/// Runs the example with the namespace's name; returns its stdout, failing on a non-zero exit.
fn run(path: &PathBuf, ns: &TestNetns) -> String {
    let t = Instant::now();
    let out = Command::new(path).arg(ns.name()).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{} {}: {}\nstdout:\n{stdout}\nstderr:\n{}",
        path.display(),
        ns.name(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        t.elapsed() < QUICK,
        "{} took {:?}",
        path.display(),
        t.elapsed()
    );
    stdout
}

/// `tool -n NS args` (ip, tc), its stdout; fails the test on error.
fn tool(ns: &TestNetns, tool: &str, args: &str) -> String {
    let out = Command::new(tool)
        .args(["-n", ns.name()])
        .args(args.split_whitespace())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{tool} {args}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn has(out: &str, want: &str) {
    assert!(out.contains(want), "{want:?} missing from:\n{out}");
}

#[test]
fn example_list() {
    let Some(ex) = example("example_list", "list") else {
        return;
    };
    let ns = TestNetns::new().unwrap();
    tool(&ns, "ip", "link set lo up");
    tool(&ns, "ip", "link add v0 type veth peer name v1");
    tool(&ns, "ip", "addr add 10.0.0.1/24 dev v0");
    tool(&ns, "ip", "link set v0 up");
    let out = run(&ex, &ns);
    has(&out, "1: lo: <");
    has(&out, "inet 127.0.0.1/8");
    has(&out, ": v0: <");
    has(&out, "inet 10.0.0.1/24");
    has(&out, "routes:");
    has(&out, "127.0.0.1/32");
}

#[test]
fn example_bridge() {
    let Some(ex) = example("example_bridge", "bridge") else {
        return;
    };
    let ns = TestNetns::new().unwrap();
    let out = run(&ex, &ns);
    has(&out, "veth0 master br0");
    has(&out, "veth1 master br0");
    let ports = tool(&ns, "ip", "-o link show master br0");
    assert_eq!(ports.lines().count(), 2, "{ports}");
}

#[test]
fn example_policy_routing() {
    let Some(ex) = example("example_policy_routing", "policy_routing") else {
        return;
    };
    let ns = TestNetns::new().unwrap();
    let out = run(&ex, &ns);
    has(&out, "1000: from 10.1.0.0/24 lookup 100");
    has(&out, "1001: from all fwmark 0x10 lookup 100");
    has(&out, "default via 10.1.0.254");
    has(&out, "192.0.2.0/24");
    has(
        &tool(&ns, "ip", "rule show"),
        "1000:\tfrom 10.1.0.0/24 lookup 100",
    );
    has(
        &tool(&ns, "ip", "route show table 100"),
        "default via 10.1.0.254 dev uplink0",
    );
}

#[test]
fn example_tc_view() {
    let Some(ex) = example("example_tc_view", "tc_view") else {
        return;
    };
    let ns = TestNetns::new().unwrap();
    tool(&ns, "ip", "link add v0 type veth peer name v1");
    // htb and pfifo: qdiscs the plainest kernels have built in.
    tool(&ns, "tc", "qdisc add dev v0 root handle 1: htb default 10");
    tool(&ns, "tc", "qdisc add dev v1 root pfifo limit 100");
    let out = run(&ex, &ns);
    has(&out, "qdisc htb 1: dev v0 parent root default 0x10");
    has(&out, "qdisc pfifo");
    has(&out, "dev v1 parent root limit 100p");
}

#[test]
fn example_tc_shaper() {
    let Some(ex) = example("example_tc_shaper", "tc_shaper") else {
        return;
    };
    let ns = TestNetns::new().unwrap();
    let out = run(&ex, &ns);
    has(&out, "qdisc htb 1: dev v0 parent root");
    has(
        &out,
        "class htb 1:10 parent 1:1 prio 1 rate 30000000bit ceil 100000000bit",
    );
    has(
        &out,
        "class htb 1:20 parent 1:1 prio 2 rate 20000000bit ceil 50000000bit",
    );
    has(&out, "filter u32 pref 1 handle 0x80000800 flowid 1:10");
    has(&out, "filter u32 pref 2 handle 0x80100800 flowid 1:20");
    // What tc sees (tc 6.1 prints htb classes as text even with -j).
    let q: serde_json::Value =
        serde_json::from_str(&tool(&ns, "tc", "-j qdisc show dev v0")).unwrap();
    assert_eq!(q[0]["kind"], "htb", "{q}");
    assert_eq!(q[0]["handle"], "1:", "{q}");
    assert_eq!(q[0]["options"]["default"], "0x30", "{q}");
    let classes = tool(&ns, "tc", "class show dev v0");
    has(&classes, "class htb 1:1 root rate 100Mbit ceil 100Mbit");
    has(
        &classes,
        "class htb 1:10 parent 1:1 prio 1 rate 30Mbit ceil 100Mbit",
    );
    has(
        &classes,
        "class htb 1:20 parent 1:1 prio 2 rate 20Mbit ceil 50Mbit",
    );
    has(
        &classes,
        "class htb 1:30 parent 1:1 prio 3 rate 10Mbit ceil 100Mbit",
    );
    let filters = tool(&ns, "tc", "filter show dev v0");
    has(&filters, "*flowid 1:10");
    has(&filters, "match 00000016/0000ffff at 20");
    has(&filters, "*flowid 1:20");
    has(&filters, "match 0a000000/ffffff00 at 16");
}

#[test]
fn example_batch_routes() {
    let Some(ex) = example("example_batch_routes", "batch_routes") else {
        return;
    };
    let ns = TestNetns::new().unwrap();
    let out = run(&ex, &ns);
    has(&out, "added 10000 routes");
    has(&out, "table 100 holds 10000 routes");
    has(&out, "table 100 holds 0");
}

#[test]
fn example_readme() {
    let Some(ex) = example("example_readme", "readme") else {
        return;
    };
    let ns = TestNetns::new().unwrap();
    let out = run(&ex, &ns);
    has(&out, "Some(10.9.0.0)/16 via Some(10.0.0.2)");
    has(&out, "RTM_NEWROUTE failed: EEXIST (File exists, errno 17)");
}

/// README.md shows `examples/readme.rs` from `use` to the end: the two never drift apart.
#[test]
fn readme_shows_the_example() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let example = std::fs::read_to_string(format!("{root}/rtnl-api/examples/readme.rs")).unwrap();
    let code = &example[example.find("use rtnl_api").unwrap()..];
    assert!(
        readme.contains(code),
        "README.md's library example differs from rtnl-api/examples/readme.rs; paste:\n{code}"
    );
}

#[test]
fn example_watch_links() {
    let Some(path) = example("example_watch_links", "watch_links") else {
        return;
    };
    let ns = TestNetns::new().unwrap();
    let child = Command::new(&path)
        .args([ns.name(), "1"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Let it join the group, then make a change for it to see.
    std::thread::sleep(Duration::from_millis(300));
    tool(&ns, "ip", "link add br0 type bridge");
    tool(&ns, "ip", "link del br0");
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains(": br0 mtu 1500") && stdout.contains("new link"),
        "{stdout}"
    );
    assert!(stdout.contains("deleted link"), "{stdout}");
}
