//! Helpers the live tests share: running iproute2 inside a test namespace.

#![allow(dead_code)] // each test binary uses its own subset

use rtnl_core::testing::TestNetns;

/// Runs `tool -n NS args...` (ip, bridge, tc) and returns its stdout; a failure fails the test
/// with the tool's stderr.
pub fn run(ns: &TestNetns, tool: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(tool)
        .args(["-n", ns.name()])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A link's index, as `ip -j link show DEV` reports it.
pub fn ifindex(ns: &TestNetns, dev: &str) -> u32 {
    let j: serde_json::Value =
        serde_json::from_str(&run(ns, "ip", &["-j", "link", "show", dev])).unwrap();
    j[0]["ifindex"].as_u64().unwrap() as u32
}

/// `sh(ns, "ip link add br0 type bridge")`: [`run`] with the tool and its arguments in one string
/// (split on white space; for arguments without spaces).
pub fn sh(ns: &TestNetns, cmd: &str) -> String {
    let mut words = cmd.split_whitespace();
    let tool = words.next().expect("a command");
    let args: Vec<&str> = words.collect();
    run(ns, tool, &args)
}
