//! Live tests: state built with `ip`/`tc` in a fresh network namespace, then `rtnl -j ... show`
//! must agree with `ip -j`/`tc -j` on the same namespace, entry by entry, field by field, for
//! the fields both print. Each object also names fields that must be compared at least once, so
//! an empty or key-less output cannot pass.
//!
//! Needs root; otherwise each test prints `skip: <test>: needs root` and returns.

use rtnl_core::testing::skip_unless_root;
use std::collections::BTreeSet;
use std::process::Command;

use rtnl_core::testing::TestNetns;
use serde_json::Value as J;

fn sh(ns: &str, cmd: &str) {
    let mut parts: Vec<&str> = cmd.split_whitespace().collect();
    let prog = parts.remove(0);
    let out = Command::new(prog)
        .arg("-n")
        .arg(ns)
        .args(&parts)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{cmd}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs a command that may fail because the kernel lacks a feature; returns whether it worked.
fn try_sh(ns: &str, cmd: &str) -> bool {
    let mut parts: Vec<&str> = cmd.split_whitespace().collect();
    let prog = parts.remove(0);
    let out = Command::new(prog)
        .arg("-n")
        .arg(ns)
        .args(&parts)
        .output()
        .unwrap();
    if !out.status.success() {
        eprintln!(
            "skip: setup `{cmd}`: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    out.status.success()
}

fn json_of(prog: &str, args: &[&str]) -> Vec<J> {
    let out = Command::new(prog).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{prog} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let v: J = serde_json::from_str(text.trim())
        .unwrap_or_else(|e| panic!("{prog} {args:?}: not JSON ({e}): {text}"));
    v.as_array().cloned().unwrap_or_default()
}

fn ours(ns: &str, args: &str) -> Vec<J> {
    let mut a = vec!["-j", "-n", ns];
    a.extend(args.split_whitespace());
    json_of(env!("CARGO_BIN_EXE_rtnl"), &a)
}

fn theirs(prog: &str, ns: &str, args: &str) -> Vec<J> {
    let mut a = vec!["-j", "-n", ns];
    a.extend(args.split_whitespace());
    json_of(prog, &a)
}

/// Matches entries by `key(entry)`, compares every field both have; returns the fields compared.
fn agree(
    what: &str,
    ours: &[J],
    theirs: &[J],
    key: impl Fn(&J) -> String,
    ignore: &[&str],
) -> BTreeSet<String> {
    let mut compared = BTreeSet::new();
    let ok: BTreeSet<String> = ours.iter().map(&key).collect();
    let tk: BTreeSet<String> = theirs.iter().map(&key).collect();
    assert_eq!(ok, tk, "{what}: rtnl and ip list different entries");
    for t in theirs {
        let k = key(t);
        let o = ours.iter().find(|o| key(o) == k).unwrap();
        for (field, tv) in t.as_object().unwrap() {
            if ignore.contains(&field.as_str()) {
                continue;
            }
            if let Some(ov) = o.get(field) {
                compare(
                    &format!("{what} {k} .{field}"),
                    ov,
                    tv,
                    &mut compared,
                    field,
                );
            }
        }
    }
    compared
}

fn compare(at: &str, ov: &J, tv: &J, compared: &mut BTreeSet<String>, field: &str) {
    match (ov, tv) {
        (J::Array(a), J::Array(b)) if a.iter().chain(b).any(J::is_object) => {
            assert_eq!(a.len(), b.len(), "{at}: lengths differ: rtnl {ov} ip {tv}");
            for (x, y) in a.iter().zip(b) {
                compare(at, x, y, compared, field);
            }
        }
        (J::Object(a), J::Object(b)) => {
            for (k, y) in b {
                if let Some(x) = a.get(k) {
                    compare(
                        &format!("{at}.{k}"),
                        x,
                        y,
                        compared,
                        &format!("{field}.{k}"),
                    );
                }
            }
        }
        _ => {
            assert_eq!(ov, tv, "{at}: rtnl says {ov}, ip says {tv}");
            compared.insert(field.to_string());
        }
    }
}

fn must(what: &str, compared: &BTreeSet<String>, fields: &[&str]) {
    for f in fields {
        assert!(
            compared.contains(*f),
            "{what}: field {f} was never compared (compared: {compared:?})"
        );
    }
}

fn build_links(ns: &str) {
    sh(ns, "ip link set lo up");
    sh(ns, "ip link add br0 type bridge");
    sh(ns, "ip link add v0 type veth peer name v1");
    sh(ns, "ip link set v1 master br0");
    sh(ns, "ip link set v0 mtu 1400 up");
    sh(ns, "ip link set v1 up");
    sh(ns, "ip link set br0 up");
    try_sh(
        ns,
        "ip link add vx0 type vxlan id 42 dstport 4789 local 10.0.0.1 dev v0",
    );
    try_sh(ns, "ip link add mv0 link v0 type macvlan mode bridge");
    try_sh(ns, "ip link add ifb0 type ifb");
    sh(ns, "ip addr add 10.0.0.1/24 dev v0");
    sh(ns, "ip addr add 10.0.1.1/24 brd + dev v0");
    sh(ns, "ip -6 addr add 2001:db8::1/64 dev v0 nodad");
    sh(ns, "ip addr add 192.168.7.1/24 dev br0 label br0:x");
}

#[test]
fn links_and_addresses_agree_with_ip() {
    if skip_unless_root("links_and_addresses_agree_with_ip") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    let n = ns.name();
    build_links(n);
    let o = ours(n, "link show");
    let t = theirs("ip", n, "link show");
    assert!(t.len() >= 5, "setup made too few links: {}", t.len());
    let c = agree("link", &o, &t, |e| e["ifindex"].to_string(), &[]);
    must(
        "link",
        &c,
        &[
            "ifindex",
            "ifname",
            "flags",
            "mtu",
            "operstate",
            "address",
            "qdisc",
            "txqlen",
            "master",
            "link",
            "link_type",
            "group",
            "linkmode",
            "broadcast",
        ],
    );

    let o = ours(n, "addr show");
    let t = theirs("ip", n, "addr show");
    let c = agree("addr", &o, &t, |e| e["ifindex"].to_string(), &[]);
    must(
        "addr",
        &c,
        &[
            "addr_info.family",
            "addr_info.local",
            "addr_info.prefixlen",
            "addr_info.scope",
            "addr_info.label",
            "addr_info.valid_life_time",
            "addr_info.broadcast",
        ],
    );

    let o = ours(n, "link show dev v0");
    assert_eq!(o.len(), 1);
    assert_eq!(o[0]["ifname"], "v0");
    assert_eq!(o[0]["mtu"], 1400);
}

#[test]
fn routes_agree_with_ip() {
    if skip_unless_root("routes_agree_with_ip") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    let n = ns.name();
    build_links(n);
    sh(n, "ip route add 10.1.0.0/24 via 10.0.0.2");
    sh(n, "ip route add 10.2.0.0/24 dev v0");
    sh(n, "ip route add 10.3.0.0/24 via 10.0.0.2 table 100");
    sh(
        n,
        "ip route add 10.4.0.0/24 via 10.0.0.2 table 10000 metric 7",
    );
    sh(
        n,
        "ip route add 10.5.0.0/24 nexthop via 10.0.0.2 weight 1 nexthop via 10.0.0.3 weight 2",
    );
    sh(n, "ip route add blackhole 10.6.0.0/24");
    sh(
        n,
        "ip route add 10.7.0.0/24 via 10.0.0.2 mtu 1300 advmss 1200",
    );
    sh(n, "ip route add default via 10.0.0.254");
    sh(n, "ip -6 route add 2001:db8:5::/64 via 2001:db8::2");
    for (args, min) in [
        ("route show", 8),
        ("route show table 100", 1),
        ("route show table 10000", 1),
        ("-6 route show", 2),
    ] {
        let o = ours(n, args);
        let t = theirs("ip", n, args);
        assert!(t.len() >= min, "{args}: ip shows {}", t.len());
        let c = agree(
            args,
            &o,
            &t,
            |e| format!("{} {} {} {}", e["type"], e["dst"], e["dev"], e["metric"]),
            &[],
        );
        // `ip` hides "proto boot" (what `ip route add` sets), so protocol is compared on the
        // main table's kernel routes only.
        let mut need = vec!["dst", "flags", "gateway"];
        if args == "route show" {
            need.extend([
                "protocol",
                "dev",
                "scope",
                "prefsrc",
                "type",
                "metrics.mtu",
                "metrics.advmss",
                "nexthops.gateway",
                "nexthops.dev",
                "nexthops.weight",
            ]);
        }
        if args.contains("10000") {
            need.push("metric");
        }
        must(args, &c, &need);
    }
}

#[test]
fn rules_and_neighbours_agree_with_ip() {
    if skip_unless_root("rules_and_neighbours_agree_with_ip") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    let n = ns.name();
    build_links(n);
    sh(n, "ip rule add fwmark 0x10 table 100 priority 100");
    sh(n, "ip rule add from 10.9.0.0/16 table 200 priority 200");
    sh(n, "ip rule add to 10.8.0.0/16 lookup 10000 priority 300");
    let o = ours(n, "rule show");
    let t = theirs("ip", n, "rule show");
    assert_eq!(t.len(), 6);
    let c = agree("rule", &o, &t, |e| e["priority"].to_string(), &[]);
    must(
        "rule",
        &c,
        &[
            "priority", "src", "srclen", "dst", "dstlen", "fwmark", "table",
        ],
    );

    sh(
        n,
        "ip neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev v0 nud permanent",
    );
    sh(
        n,
        "ip -6 neigh add 2001:db8::9 lladdr 02:00:00:00:00:19 dev v0 nud permanent",
    );
    let o = ours(n, "neigh show");
    let t = theirs("ip", n, "neigh show");
    let c = agree(
        "neigh",
        &o,
        &t,
        |e| format!("{} {}", e["dst"], e["dev"]),
        &[],
    );
    must("neigh", &c, &["dst", "dev", "lladdr", "state"]);
}

#[test]
fn tc_agrees_with_tc() {
    if skip_unless_root("tc_agrees_with_tc") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    let n = ns.name();
    build_links(n);
    sh(n, "tc qdisc add dev v0 root handle 1: htb default 10");
    sh(
        n,
        "tc class add dev v0 parent 1: classid 1:10 htb rate 1mbit",
    );
    sh(
        n,
        "tc class add dev v0 parent 1: classid 1:20 htb rate 2mbit ceil 3mbit",
    );
    sh(
        n,
        "tc filter add dev v0 parent 1: protocol ip prio 1 u32 match ip dst 10.0.0.0/24 flowid 1:10",
    );
    sh(
        n,
        "tc qdisc add dev v1 root tbf rate 1mbit burst 32k latency 50ms",
    );
    sh(n, "tc qdisc add dev v1 ingress");
    let o = ours(n, "qdisc show");
    let t = theirs("tc", n, "qdisc show");
    let c = agree(
        "qdisc",
        &o,
        &t,
        |e| format!("{} {}", e["dev"], e["handle"]),
        &[],
    );
    must(
        "qdisc",
        &c,
        &[
            "kind",
            "handle",
            "dev",
            "root",
            "parent",
            "options.r2q",
            "options.default",
            "options.direct_qlen",
        ],
    );
    let o = ours(n, "filter show dev v0");
    let t = theirs("tc", n, "filter show dev v0");
    let key = |e: &J| {
        format!(
            "{} {} {}",
            e["parent"],
            e["pref"],
            e.get("options")
                .and_then(|x| x.get("fh"))
                .cloned()
                .unwrap_or(J::Null)
        )
    };
    let c = agree("filter", &o, &t, key, &[]);
    must(
        "filter",
        &c,
        &["parent", "protocol", "pref", "kind", "chain", "options.fh"],
    );
    // tc 6.1 prints htb classes as text even with -j: compare our handles with its text.
    let out = Command::new("tc")
        .args(["-n", n, "class", "show", "dev", "v0"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let o = ours(n, "class show dev v0");
    assert_eq!(
        o.len(),
        text.lines().filter(|l| l.starts_with("class ")).count()
    );
    for c in &o {
        let h = c["handle"].as_str().unwrap();
        assert!(
            text.contains(&format!("class htb {h} ")),
            "class {h} not in tc's output:\n{text}"
        );
    }
}

#[test]
fn raw_output_keeps_every_attribute() {
    if skip_unless_root("raw_output_keeps_every_attribute") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    let n = ns.name();
    build_links(n);
    let out = Command::new(env!("CARGO_BIN_EXE_rtnl"))
        .args(["-n", n, "--raw", "link", "show", "dev", "v0"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: J =
        serde_json::from_str(String::from_utf8_lossy(&out.stdout).lines().next().unwrap()).unwrap();
    let attrs = v["attrs"].as_array().unwrap();
    let names: Vec<&str> = attrs.iter().filter_map(|p| p[0].as_str()).collect();
    for want in [
        "IFLA_IFNAME",
        "IFLA_MTU",
        "IFLA_ADDRESS",
        "IFLA_LINKINFO",
        "IFLA_STATS64",
    ] {
        assert!(
            names.contains(&want),
            "{want} missing from --raw: {names:?}"
        );
    }
    let unknown: Vec<_> = names.iter().filter(|n| n.starts_with("UNKNOWN_")).collect();
    assert!(
        unknown.is_empty(),
        "attributes the schema does not know: {unknown:?}"
    );
}

#[test]
fn raw_output_of_every_object_decodes_every_attribute() {
    if skip_unless_root("raw_output_of_every_object_decodes_every_attribute") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    let n = ns.name();
    build_links(n);
    sh(
        n,
        "ip route add 10.5.0.0/24 nexthop via 10.0.0.2 weight 1 nexthop via 10.0.0.3 weight 2",
    );
    sh(
        n,
        "ip route add 10.7.0.0/24 via 10.0.0.2 mtu 1300 table 10000",
    );
    sh(n, "ip rule add fwmark 0x10 table 100 priority 100");
    sh(
        n,
        "ip neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev v0 nud permanent",
    );
    sh(n, "tc qdisc add dev v0 root handle 1: htb default 10");
    sh(
        n,
        "tc class add dev v0 parent 1: classid 1:10 htb rate 1mbit",
    );
    sh(
        n,
        "tc filter add dev v0 parent 1: protocol ip prio 1 u32 match ip dst 10.0.0.0/24 flowid 1:10",
    );
    sh(
        n,
        "tc qdisc add dev v1 root tbf rate 1mbit burst 32k latency 50ms",
    );
    // More of what this kernel has: tuntap, macvtap, a multi-queue veth under mq, fifo qdiscs,
    // clsact with a u32 filter carrying a mirred action.
    try_sh(n, "ip tuntap add tap0 mode tap");
    try_sh(n, "ip link add mvt0 link v0 type macvtap mode bridge");
    sh(
        n,
        "ip link add q0 numtxqueues 4 numrxqueues 4 type veth peer name q1",
    );
    sh(n, "tc qdisc add dev q0 root handle 1: mq");
    sh(n, "tc qdisc add dev q0 parent 1:1 pfifo limit 100");
    sh(n, "tc qdisc add dev q0 parent 1:2 bfifo limit 10000");
    sh(n, "tc qdisc add dev q1 clsact");
    try_sh(
        n,
        "tc filter add dev q1 ingress protocol ip prio 1 u32 match ip src 10.0.0.0/8 action mirred egress redirect dev v1",
    );
    // pfifo_head_drop and pfifo_fast, a classic-BPF classifier, SRv6 encap and local routes.
    sh(n, "tc qdisc add dev q0 parent 1:3 pfifo_head_drop limit 50");
    sh(n, "tc qdisc add dev q0 parent 1:4 pfifo_fast");
    let bpf = Command::new("tc")
        .args(["-n", n, "filter", "add", "dev", "q1", "egress", "bpf"])
        .args(["bytecode", "1,6 0 0 4294967295,", "classid", "1:1"])
        .output()
        .unwrap();
    assert!(
        bpf.status.success(),
        "tc filter add bpf: {}",
        String::from_utf8_lossy(&bpf.stderr)
    );
    sh(
        n,
        "ip -6 route add 2001:db8:9::/64 encap seg6 mode encap segs 2001:db8::2,2001:db8::3 dev v0",
    );
    sh(
        n,
        "ip -6 route add 2001:db8:a::/64 encap seg6local action End dev v0",
    );
    sh(
        n,
        "ip -6 route add 2001:db8:b::/64 encap seg6local action End.DT6 table 100 dev v0",
    );
    for args in [
        "filter show dev q1 egress",
        "filter show dev q1 ingress",
        "link show",
        "addr show",
        "route show",
        "route show table all",
        "-6 route show",
        "rule show",
        "neigh show",
        "ntable show",
        "mdb show",
        "qdisc show",
        "class show dev v0",
        "filter show dev v0",
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_rtnl"))
            .args(["-n", n, "--raw"])
            .args(args.split_whitespace())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.lines().count() > 0, "{args}: no messages");
        for line in text.lines() {
            let _: J = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{args}: not JSON ({e}): {line}"));
            assert!(
                !line.contains("UNKNOWN_"),
                "{args}: an attribute the schema does not know: {line}"
            );
            assert!(
                !line.contains("\"<"),
                "{args}: a value that did not decode: {line}"
            );
        }
    }
}

/// `rtnl mdb|vni|vlan show` against `bridge -j`: MDB entries (the test's own groups: the kernel
/// may join link-local groups between the two reads), VNI filters exactly, with and without
/// per-VNI statistics; the VLAN database when the kernel has bridge VLAN filtering.
#[test]
fn bridge_mdb_vni_and_vlan_agree_with_bridge() {
    if skip_unless_root("bridge_mdb_vni_and_vlan_agree_with_bridge") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    let n = ns.name();
    sh(n, "ip link add br0 type bridge mcast_snooping 1");
    sh(n, "ip link add v0 type veth peer name v1");
    sh(n, "ip link set v0 master br0");
    sh(n, "ip link set br0 up");
    sh(n, "ip link set v0 up");
    sh(n, "ip link set v1 up");
    let groups = ["239.1.2.3", "ff0e::42", "01:00:5e:01:02:04"];
    sh(n, "bridge mdb add dev br0 port v0 grp 239.1.2.3 permanent");
    sh(n, "bridge mdb add dev br0 port v0 grp ff0e::42 temp");
    sh(
        n,
        "bridge mdb add dev br0 port v0 grp 01:00:5e:01:02:04 permanent",
    );
    let pick = |v: Vec<J>| -> Vec<J> {
        assert_eq!(v.len(), 1, "one object holds every bridge's entries: {v:?}");
        let mut e: Vec<J> = v[0]["mdb"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| groups.contains(&e["grp"].as_str().unwrap_or("")))
            .cloned()
            .collect();
        e.sort_by_key(|x| x["grp"].to_string());
        e
    };
    let (o, t) = (
        pick(ours(n, "mdb show")),
        pick(theirs("bridge", n, "mdb show")),
    );
    assert_eq!(o.len(), 3, "{o:?}");
    assert_eq!(o, t, "rtnl -j mdb show vs bridge -j mdb show");

    sh(
        n,
        "ip link add vx0 type vxlan dstport 4789 local 10.0.0.1 external vnifilter",
    );
    sh(n, "ip link set vx0 up");
    sh(n, "bridge vni add dev vx0 vni 100-102");
    sh(n, "bridge vni add dev vx0 vni 300 remote 10.0.0.9");
    let o = ours(n, "vni show");
    assert_eq!(o, theirs("bridge", n, "vni show"), "vni show");
    assert_eq!(o[0]["vnis"].as_array().map(Vec::len), Some(2), "{o:?}");
    let o = ours(n, "-s vni show dev vx0");
    assert_eq!(o, theirs("bridge", n, "-s vni show dev vx0"), "-s vni show");
    assert!(o[0]["vnis"][0]["stats"].is_object(), "{o:?}");

    let out = Command::new(env!("CARGO_BIN_EXE_rtnl"))
        .args(["-j", "-n", n, "vlan", "show"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() && err.contains("EOPNOTSUPP") {
        eprintln!(
            "skip: bridge_mdb_vni_and_vlan_agree_with_bridge: VLAN database: the kernel answers RTM_GETVLAN with EOPNOTSUPP (no CONFIG_BRIDGE_VLAN_FILTERING): {}",
            err.trim()
        );
        return;
    }
    assert!(out.status.success(), "rtnl vlan show: {err}");
    let o: Vec<J> = serde_json::from_slice(&out.stdout).unwrap();
    let t = theirs("bridge", n, "vlan show");
    let ids = |v: &[J]| -> BTreeSet<String> {
        v.iter()
            .flat_map(|d| {
                d["vlans"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .into_iter()
                    .map(move |x| format!("{} {}", d["ifname"], x["vlan"]))
            })
            .collect()
    };
    assert_eq!(ids(&o), ids(&t), "vlan show");
}
