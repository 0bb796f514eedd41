//! Feature `serde`, live: `examples/json_requests` applies a JSON request file inside a fresh
//! namespace and `ip -j` sees the result; what the kernel dumps there goes to JSON and back to
//! the same bytes. Needs root (each test prints `skip: <test>: needs root` otherwise) and the
//! example built next to the test (`cargo test -p rtnl-api` builds it).

use std::path::PathBuf;
use std::process::Command;

use rtnl_api::IPRoute;
use rtnl_api::msg::{Msg, OwnedMsg};
use rtnl_core::testing::TestNetns;
use serde_json::Value as J;

/// `ip -n NS -j ARGS`, parsed.
fn ip_j(ns: &TestNetns, args: &str) -> J {
    let out = Command::new("ip")
        .args(["-n", ns.name(), "-j"])
        .args(args.split_whitespace())
        .output()
        .unwrap();
    assert!(out.status.success(), "ip {args}: {out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn json_request_file_drives_the_api() {
    let test = "json_request_file_drives_the_api";
    if !rtnl_core::netns::is_root() {
        eprintln!("skip: {test}: needs root");
        return;
    }
    // target/<profile>/deps/json_requests_live-HASH -> target/<profile>/examples/json_requests
    let exe = std::env::current_exe().unwrap();
    let path: PathBuf = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples/json_requests");
    if !path.exists() {
        eprintln!(
            "skip: {test}: {} was not built (run `cargo test -p rtnl-api`)",
            path.display()
        );
        return;
    }
    let ns = TestNetns::new().unwrap();
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/json_requests.json");
    let out = Command::new(&path)
        .args([ns.name(), file])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(r#"link add {"ifname":"br0","kind":"bridge"}"#),
        "{stdout}"
    );
    // Every link came out as one JSON line, br0 among them.
    let shown: Vec<J> = stdout
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        shown
            .iter()
            .any(|l| l["attrs"]["ifname"] == "br0" && l["attrs"]["mtu"] == 1400)
    );

    let br0 = &ip_j(&ns, "-d link show br0")[0];
    assert_eq!(br0["mtu"], 1400);
    assert_eq!(br0["linkinfo"]["info_kind"], "bridge");
    assert!(
        br0["flags"].as_array().unwrap().contains(&"UP".into()),
        "{br0}"
    );
    assert_eq!(ip_j(&ns, "link show veth0")[0]["master"], "br0");
    let addrs = &ip_j(&ns, "addr show br0")[0]["addr_info"];
    assert!(
        addrs
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["local"] == "10.7.0.1" && a["prefixlen"] == 24),
        "{addrs}"
    );
    let routes = ip_j(&ns, "route show table 100");
    assert_eq!(routes[0]["dst"], "10.8.0.0/16", "{routes}");
    assert_eq!(routes[0]["gateway"], "10.7.0.254", "{routes}");
    let rules = ip_j(&ns, "rule show");
    assert!(
        rules
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["priority"] == 1000 && r["src"] == "10.7.0.0" && r["table"] == "100"),
        "{rules}"
    );
}

/// Links, addresses and routes as the kernel sends them: to JSON and back, byte for byte (but
/// for the NLA_F_NESTED bit, which the encoder does not set).
#[test]
fn kernel_messages_round_trip_through_json() {
    let test = "kernel_messages_round_trip_through_json";
    if !rtnl_core::netns::is_root() {
        eprintln!("skip: {test}: needs root");
        return;
    }
    let ns = TestNetns::new().unwrap();
    let mut ipr = IPRoute::in_netns(ns.name()).unwrap();
    ipr.link("add", rtnl_api::kw! { ifname: "br0", kind: "bridge" })
        .unwrap();
    ipr.link(
        "add",
        rtnl_api::kw! { ifname: "v0", kind: "veth", peer: "v1" },
    )
    .unwrap();
    ipr.link(
        "set",
        rtnl_api::kw! { ifname: "v0", master: "br0", state: "up" },
    )
    .unwrap();
    ipr.link("set", rtnl_api::kw! { ifname: "br0", state: "up" })
        .unwrap();
    ipr.addr(
        "add",
        rtnl_api::kw! { ifname: "br0", address: "10.7.0.1/24" },
    )
    .unwrap();
    ipr.route(
        "add",
        rtnl_api::kw! { dst: "10.8.0.0/16", gateway: "10.7.0.254" },
    )
    .unwrap();
    let mut owned: Vec<OwnedMsg> = Vec::new();
    ipr.get_links(())
        .unwrap()
        .for_each(|l| {
            owned.push(Msg::Link(l).to_owned());
            Ok(())
        })
        .unwrap();
    ipr.get_addr(())
        .unwrap()
        .for_each(|a| {
            owned.push(Msg::Addr(a).to_owned());
            Ok(())
        })
        .unwrap();
    ipr.get_routes(())
        .unwrap()
        .for_each(|r| {
            owned.push(Msg::Route(r).to_owned());
            Ok(())
        })
        .unwrap();
    assert!(owned.len() >= 8, "{}", owned.len());
    let mut failed = Vec::new();
    for m in &owned {
        let json = serde_json::to_string(m).unwrap();
        match serde_json::from_str::<OwnedMsg>(&json) {
            Ok(back) if serde_json::to_string(&back).unwrap() == json => {
                // The encoder writes nests without NLA_F_NESTED (as pyroute2 does); the kernel
                // sets it on some (IFLA_DEVLINK_PORT, IFLA_DPLL_PIN): that bit is the only
                // difference allowed.
                let (a, b) = (bytes(&back), bytes(m));
                let flag_only = a.iter().zip(b).all(|(x, y)| x == y || x ^ y == 0x80);
                if a.len() != b.len() || !flag_only {
                    failed.push(format!("bytes differ: {a:02x?}\n{b:02x?}\n{json}"));
                }
            }
            Ok(back) => failed.push(format!(
                "differs:\n{json}\n{}",
                serde_json::to_string(&back).unwrap()
            )),
            Err(e) => failed.push(format!("{e}: {json}")),
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {}:\n{}",
        failed.len(),
        owned.len(),
        failed.join("\n")
    );
}

fn bytes(m: &OwnedMsg) -> &[u8] {
    match m {
        OwnedMsg::Link(m) => m.bytes(),
        OwnedMsg::Addr(m) => m.bytes(),
        OwnedMsg::Route(m) => m.bytes(),
        other => panic!("unexpected {other:?}"),
    }
}
