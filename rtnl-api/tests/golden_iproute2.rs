//! Golden request tests against iproute2: for each neigh/fdb/brport/vlan/stats/nsid/route-get
//! command that `ip` or `bridge` can express, the request `ip`/`bridge` sent (captured with
//! strace by `xtask/golden/iproute2_golden.py`, seq and pid zeroed) equals what our `IPBatch`
//! compiles for the recorded call, byte for byte, except the differences in [`DEVIATIONS`].
//! iproute2 is not needed to run it.

use rtnl_api::{Args, IPBatch, Value};
use serde_json::Value as J;

/// (fixture, byte offset, iproute2's byte, our byte, why).
const DEVIATIONS: &[(&str, usize, u8, u8, &str)] = &[
    (
        "neigh_get",
        6,
        0x01,
        0x05,
        "nlmsg_flags: ACK asked as pyroute2 does (rtnl always asks: the end of every answer and \
         every error are then seen); `ip neigh get` sends REQUEST alone",
    ),
    ("stats_get", 6, 0x01, 0x05, "nlmsg_flags: as neigh_get"),
    ("route_get", 6, 0x01, 0x05, "nlmsg_flags: as neigh_get"),
    (
        "route_get_fibmatch",
        6,
        0x01,
        0x05,
        "nlmsg_flags: as neigh_get",
    ),
];

/// Where iproute2 sends a string attribute without its NUL (the kernel takes both; pyroute2
/// and rtnl send it): (fixture, string, offset of the one nest around it).
const NO_NUL: &[(&str, &str, usize)] = &[(
    "brport_set",
    "bridge_slave",
    32, // IFLA_LINKINFO, after nlmsghdr and ifinfomsg
)];

/// iproute2's bytes with the NUL `NO_NUL` says it left out, lengths fixed up.
fn add_nul(want: &mut Vec<u8>, s: &str, nest: usize) {
    let pos = want
        .windows(s.len())
        .position(|w| w == s.as_bytes())
        .unwrap();
    let attr = pos - 4;
    let old = u16::from_ne_bytes([want[attr], want[attr + 1]]) as usize;
    assert_eq!(old, 4 + s.len(), "the string has no NUL");
    let align = |n: usize| (n + 3) & !3;
    let delta = align(old + 1) - align(old);
    want.splice(attr + old..attr + old, std::iter::repeat_n(0, delta));
    want[attr..attr + 2].copy_from_slice(&((old + 1) as u16).to_ne_bytes());
    let n = u16::from_ne_bytes([want[nest], want[nest + 1]]) as usize + delta;
    want[nest..nest + 2].copy_from_slice(&(n as u16).to_ne_bytes());
    let l = u32::from_ne_bytes(want[..4].try_into().unwrap()) as usize + delta;
    want[..4].copy_from_slice(&(l as u32).to_ne_bytes());
}

fn value(j: &J) -> Value {
    match j {
        J::String(s) => Value::Str(s.clone()),
        J::Number(n) => Value::Int(n.as_i64().unwrap().into()),
        J::Bool(b) => Value::Bool(*b),
        J::Object(m) => Value::Map(m.iter().map(|(k, v)| (k.clone(), value(v))).collect()),
        other => panic!("no value for {other}"),
    }
}

fn ours(method: &str, cmd: &str, args: Args) -> Vec<u8> {
    let mut b = IPBatch::new();
    match method {
        "neigh" => b.neigh(cmd, args),
        "fdb" => b.fdb(cmd, args),
        "brport" => b.brport(cmd, args),
        "vlan_filter" => b.vlan_filter(cmd, args),
        "vlandb" => b.vlandb(cmd, args),
        "stats" => b.stats(cmd, args),
        "nsid" => b.nsid(cmd, args),
        "route" => b.route(cmd, args),
        m => panic!("no iproute2 golden support for {m}"),
    }
    .unwrap_or_else(|e| panic!("{method}({cmd}): {e}"));
    b.bytes().to_vec()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn requests_match_iproute2() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/golden/iproute2.json"
    ))
    .unwrap();
    let doc: J = serde_json::from_str(&text).unwrap();
    let fixtures = doc["requests"].as_array().unwrap();
    assert!(fixtures.len() >= 20, "fixtures missing: {}", fixtures.len());
    let mut failures = Vec::new();
    for f in fixtures {
        let name = f["name"].as_str().unwrap();
        let h = f["hex"].as_str().unwrap();
        let mut want: Vec<u8> = (0..h.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
            .collect();
        for (n, st, nest) in NO_NUL {
            if *n == name {
                add_nul(&mut want, st, *nest);
            }
        }
        for (n, off, theirs, ours_b, _why) in DEVIATIONS {
            if *n == name {
                assert_eq!(want[*off], *theirs, "{name}: deviation stale at {off}");
                want[*off] = *ours_b;
            }
        }
        let args: Args = f["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|kv| (kv[0].as_str().unwrap().to_string(), value(&kv[1])))
            .collect();
        let got = ours(
            f["method"].as_str().unwrap(),
            f["cmd"].as_str().unwrap(),
            args,
        );
        if got != want {
            failures.push(format!(
                "{name}: {}\n iproute2: {}\n ours:     {}",
                f["command"],
                hex(&want),
                hex(&got)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} requests differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_deviation_names_a_fixture() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/golden/iproute2.json"
    ))
    .unwrap();
    for d in DEVIATIONS {
        assert!(text.contains(&format!("\"name\": \"{}\"", d.0)), "{}", d.0);
    }
}
