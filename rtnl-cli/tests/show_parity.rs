//! Show parity, byte for byte: the same command run by `ip`/`tc`/`bridge` and by `rtnl` on the
//! same fresh namespace must print the same text (and, with `-j`, the same JSON value) and exit
//! the same way. Each test builds its own namespace; IPv6 is switched off in it unless the test
//! needs it, so no autoconfiguration traffic moves a counter between the two reads.
//!
//! Needs root; otherwise each test prints `skip: <test>: needs root` and returns.

use std::process::Command;

use rtnl_core::testing::{TestNetns, skip_unless_root};

/// A command's stdout, stderr and exit code.
fn run(prog: &str, ns: &str, args: &str) -> (String, String, i32) {
    let out = Command::new(prog)
        .arg("-n")
        .arg(ns)
        .args(args.split_whitespace())
        .output()
        .unwrap_or_else(|e| panic!("{prog}: {e}"));
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn sh(ns: &str, cmd: &str) {
    let mut parts = cmd.split_whitespace();
    let prog = parts.next().unwrap();
    let rest: Vec<&str> = parts.collect();
    let (_, err, code) = run(prog, ns, &rest.join(" "));
    assert_eq!(code, 0, "{cmd}: {err}");
}

/// A fresh namespace with loopback up and, unless `v6`, IPv6 off; with IPv6, addresses skip
/// duplicate address detection, so none turns from `tentative` between two reads.
fn netns(v6: bool) -> TestNetns {
    let ns = TestNetns::new().unwrap();
    sh(ns.name(), "ip link set lo up");
    if v6 {
        let st = Command::new("ip")
            .args(["netns", "exec", ns.name(), "sysctl", "-qw"])
            .args([
                "net.ipv6.conf.all.accept_dad=0",
                "net.ipv6.conf.default.accept_dad=0",
            ])
            .status()
            .unwrap();
        assert!(st.success(), "sysctl accept_dad");
    }
    if !v6 {
        let st = Command::new("ip")
            .args(["netns", "exec", ns.name(), "sysctl", "-qw"])
            .args([
                "net.ipv6.conf.all.disable_ipv6=1",
                "net.ipv6.conf.default.disable_ipv6=1",
                "net.ipv6.conf.lo.disable_ipv6=1",
            ])
            .status()
            .unwrap();
        assert!(st.success(), "sysctl disable_ipv6");
    }
    ns
}

/// `prog ARGS` and `rtnl OURS` print the same bytes and exit alike; with `-j` in the
/// arguments the JSON values must be equal too (parsed), and non-trivial. Returns the output.
fn same(ns: &str, prog: &str, args: &str, ours: &str) -> String {
    let (t_out, t_err, t_code) = run(prog, ns, args);
    let (o_out, o_err, o_code) = run(env!("CARGO_BIN_EXE_rtnl"), ns, ours);
    assert_eq!(
        o_code, t_code,
        "`{prog} {args}` exits {t_code} ({t_err}), `rtnl {ours}` exits {o_code} ({o_err})"
    );
    if args.split_whitespace().any(|w| w == "-j") {
        let t: serde_json::Value = serde_json::from_str(&t_out)
            .unwrap_or_else(|e| panic!("{prog} {args}: not JSON ({e}): {t_out}"));
        let o: serde_json::Value = serde_json::from_str(&o_out)
            .unwrap_or_else(|e| panic!("rtnl {ours}: not JSON ({e}): {o_out}"));
        assert_eq!(o, t, "`rtnl {ours}` vs `{prog} {args}`");
    }
    assert_eq!(
        o_out, t_out,
        "`rtnl {ours}` (left) vs `{prog} {args}` (right), byte for byte"
    );
    t_out
}

/// `ip ARGS` and `rtnl ARGS`, text and `-j`; the text must hold `want`.
fn both_ip(ns: &str, args: &str, want: &str) {
    let text = same(ns, "ip", args, args);
    assert!(text.contains(want), "`ip {args}` lacks {want:?}:\n{text}");
    let j = format!("-j {args}");
    same(ns, "ip", &j, &j);
}

fn veths(ns: &str) {
    sh(ns, "ip link add v0 type veth peer name v1");
    sh(ns, "ip link add br0 type bridge");
    sh(ns, "ip link set v1 master br0");
    sh(ns, "ip link set v0 up");
    sh(ns, "ip link set v1 up");
    sh(ns, "ip link set br0 up");
    sh(ns, "ip link add v2 type veth peer name v3");
    settle(ns);
}

/// Waits until the namespace stops changing (a bridge gets its carrier and its link-local
/// address a moment after its port comes up): two reads of links, addresses and routes
/// 150 ms apart agree, or 5 s pass. Two tools read one after the other; both must see one state.
fn settle(ns: &str) {
    let read = || {
        [
            "link show",
            "addr show",
            "route show table all",
            "-6 route show table all",
        ]
        .iter()
        .map(|a| run("ip", ns, &format!("-j {a}")).0)
        .collect::<Vec<_>>()
    };
    let mut last = read();
    for _ in 0..33 {
        std::thread::sleep(std::time::Duration::from_millis(150));
        let now = read();
        let carrier = !now[0].contains("NO-CARRIER") || !now[0].contains("\"br0\"");
        if now == last && carrier {
            return;
        }
        last = now;
    }
}

#[test]
fn link_show_selectors_and_formats_match_ip() {
    if skip_unless_root("link_show_selectors_and_formats_match_ip") {
        return;
    }
    let ns = netns(false);
    let n = ns.name();
    veths(n);
    both_ip(n, "link show", "v0@v1");
    both_ip(n, "link show type bridge", "br0");
    both_ip(n, "link show master br0", "v1@v0");
    both_ip(n, "link show up", "LOWER_UP");
    both_ip(n, "link show dev v2", "v2@v3");
    both_ip(n, "-d link show dev lo", "lo");
    both_ip(n, "-d link show dev v0", "\n    veth ");
    both_ip(n, "-br link show", "UNKNOWN");
    both_ip(n, "-o link show", "\\    link/ether");
    both_ip(n, "-s link show dev lo", "RX:  bytes");
    both_ip(n, "-s -s link show dev lo", "TX errors:");
    both_ip(n, "-0 addr show dev lo", "link/loopback");
    same(n, "ip", "-j -p link show", "-j -p link show");
    // -h: human units once the counters pass 1000.
    let st = Command::new("ip")
        .args(["netns", "exec", n, "bash", "-c"])
        .arg("for i in 1 2 3 4 5; do head -c 1000 /dev/zero > /dev/udp/127.0.0.1/9; done")
        .output()
        .unwrap();
    assert!(st.status.success(), "udp to lo: {st:?}");
    both_ip(n, "-s -h link show dev lo", "k ");
    // The kind selector is the link's kind, not a prefix of it.
    both_ip(n, "link show type veth", "v3@v2");
}

/// `ip -n NS WORDS`, true when it succeeded; otherwise the skip line names the kind.
fn try_kind(test: &str, ns: &str, kind: &str, cmd: &str) -> bool {
    let (_, err, code) = run("ip", ns, cmd);
    if code != 0 {
        println!("skip: {test}: {kind}: `ip {cmd}` failed: {}", err.trim());
    }
    code == 0
}

#[test]
fn link_show_details_print_each_kind_as_ip() {
    let test = "link_show_details_print_each_kind_as_ip";
    if skip_unless_root(test) {
        return;
    }
    // IPv6 on: vxlan over IPv6 needs it (-d prints no counter it could move).
    let ns = netns(true);
    let n = ns.name();
    // Bridges stay down: their timers (gc_timer, a port's forward_delay_timer) then stand
    // still between ip's read and ours.
    sh(n, "ip link add v0 type veth peer name v1");
    sh(
        n,
        "ip link add br0 type bridge stp_state 1 group_fwd_mask 0x8",
    );
    sh(n, "ip link set v1 master br0");
    sh(
        n,
        "ip link set v1 type bridge_slave cost 7 hairpin on group_fwd_mask 0x4001",
    );
    // A veth whose peer lives in another named namespace: `link-netns NAME` (JSON: the id).
    let other = TestNetns::new().unwrap();
    sh(
        n,
        &format!(
            "ip link add x0 type veth peer name x1 netns {}",
            other.name()
        ),
    );
    sh(n, "ip link set v0 alias uplink-A");
    sh(n, "ip link property add dev v0 altname v0-alt");
    let mut want = vec![
        "\n    alias uplink-A\n    altname v0-alt\n",
        " link-netns rtnl-test-",
        "\n    veth \n    bridge_slave state disabled priority 32 cost 7 hairpin on guard off",
        "group_fwd_mask 0x4001 group_fwd_mask_str stp,lldp vlan_tunnel off",
        "\n    bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 1",
        "hello_timer    0.00 tcn_timer    0.00",
        "group_fwd_mask 0x8 group_address 01:80:c2:00:00:00 mcast_snooping 1",
    ];
    let kinds: &[(&str, &[&str], &str)] = &[
        (
            "vxlan",
            &[
                "link add vx0 type vxlan id 42 remote 10.0.0.2 dstport 4789",
                "link add vx1 type vxlan id 7 group 239.1.1.1 dev v0 dstport 0 nolearning ttl 5 \
                 tos inherit local 10.0.0.1 ageing 0 maxaddr 10 noudpcsum l2miss proxy gbp",
                "link add vx2 type vxlan id 8 remote 2001:db8::1 local 2001:db8::2 dstport 4790 \
                 ttl inherit df set flowlabel 0x123 udp6zerocsumtx remcsumtx remcsumrx",
                "link add vx3 type vxlan dstport 4791 external",
                // A vxlan dumped before the link its `dev` names.
                "link add vA index 500 type veth peer name vB index 501",
                "link add vx5 index 100 type vxlan id 77 dev vA dstport 4793",
                "link add vx4 type vxlan id 9 group ff05::1 dev v0 tos 0x10 df inherit \
                 srcport 1000 2000 dstport 4792",
            ],
            "\n    vxlan id 77 dev vA srcport 0 0 dstport 4793 ttl auto ageing 300 udpcsum",
        ),
        (
            "macvlan",
            &[
                "link add mv0 link v0 type macvlan mode bridge",
                "link add mv1 link v0 type macvlan mode source macaddr add 02:00:00:00:00:01",
            ],
            "\n    macvlan mode bridge bcqueuelen 1000 usedbcqueuelen 1000 addrgenmode",
        ),
        (
            "macvtap",
            &[
                "link add v2 type veth peer name v3",
                "link add mt0 link v2 type macvtap mode passthru",
            ],
            "\n    macvtap mode passthru",
        ),
        ("ifb", &["link add ifb0 type ifb"], "\n    ifb addrgenmode"),
        (
            "tun",
            &[
                "tuntap add tap0 mode tap",
                "tuntap add tun1 mode tun user 0 group 0 multi_queue",
            ],
            "\n    tun type tap pi off vnet_hdr off persist on addrgenmode",
        ),
    ];
    for (kind, cmds, line) in kinds {
        if cmds.iter().all(|c| try_kind(test, n, kind, c)) {
            want.push(line);
        }
    }
    let text = same(n, "ip", "-d link show", "-d link show");
    for w in &want {
        assert!(text.contains(w), "`ip -d link show` lacks {w:?}:\n{text}");
    }
    for args in [
        "-j -d link show",
        "-j -p -d link show",
        "-o -d link show",
        "-d link show type bridge",
        "-s -d link show",
        "-s -s -j -d link show",
        "-s link show dev v0",
        "-d addr show",
        "-j -d addr show",
        "-s addr show",
        "-s -j addr show",
        "addr show dev v0",
        "-6 -d addr show",
    ] {
        same(n, "ip", args, args);
    }
}

#[test]
fn addr_show_selectors_and_formats_match_ip() {
    if skip_unless_root("addr_show_selectors_and_formats_match_ip") {
        return;
    }
    let ns = netns(true);
    let n = ns.name();
    veths(n);
    sh(n, "ip addr add 10.0.0.1/24 dev v0");
    sh(n, "ip addr add 10.0.0.2/24 dev v0 label v0:x");
    sh(n, "ip addr add 10.3.0.1/24 brd + dev v2");
    sh(n, "ip -6 addr add 2001:db8::1/64 dev v0 nodad");
    sh(n, "ip -6 addr add fe80::99/64 dev v2 nodad");
    sh(n, "ip addr add 10.0.0.7/24 dev v0 noprefixroute");
    sh(
        n,
        "ip -6 addr add 2001:db8:7::1/64 dev v0 nodad noprefixroute",
    );
    both_ip(n, "addr show", "inet 10.0.0.1/24 scope global v0");
    // `up` is a selector, never a device name.
    both_ip(n, "addr show up", "v0@v1");
    both_ip(n, "addr show dev v0", "secondary v0:x");
    both_ip(n, "addr show label v0:*", "v0:x");
    both_ip(n, "addr show scope link", "fe80::99/64");
    both_ip(n, "-4 addr show", "brd 10.3.0.255");
    both_ip(n, "-6 addr show", "2001:db8::1/64 scope global nodad");
    // ip's flag order (secondary, nodad, ..., noprefixroute).
    both_ip(
        n,
        "addr show dev v0",
        "scope global secondary noprefixroute v0",
    );
    both_ip(n, "-6 addr show dev v0", "scope global nodad noprefixroute");
    both_ip(n, "-br addr show", "10.0.0.1/24 10.0.0.2/24");
    both_ip(n, "-o addr show", "\\       valid_lft");
    both_ip(n, "addr show type bridge", "br0");
    same(n, "ip", "-j -p addr show dev v0", "-j -p addr show dev v0");
}

#[test]
fn route_show_selectors_match_ip() {
    if skip_unless_root("route_show_selectors_match_ip") {
        return;
    }
    let ns = netns(true);
    let n = ns.name();
    veths(n);
    sh(n, "ip addr add 10.0.0.1/24 dev v0");
    sh(n, "ip link set v2 up");
    sh(n, "ip link set v3 up");
    sh(n, "ip addr add 10.1.0.1/24 dev v2");
    sh(n, "ip -6 addr add 2001:db8::1/64 dev v0 nodad");
    sh(n, "ip route add 10.9.0.0/16 via 10.0.0.2 metric 5");
    sh(
        n,
        "ip route add 10.60.0.0/16 via 10.0.0.2 mtu 1400 advmss 1300 proto static",
    );
    sh(
        n,
        "ip route add 10.50.0.0/16 nexthop via 10.0.0.2 dev v0 nexthop via 10.1.0.2 dev v2 weight 3",
    );
    sh(n, "ip route add blackhole 10.70.0.0/16 table 100");
    sh(n, "ip route add 10.80.0.0/16 dev v2 scope link table 100");
    sh(
        n,
        "ip -6 route add 2001:db8:5::/64 via 2001:db8::2 metric 7",
    );
    both_ip(n, "route show", "nexthop via 10.1.0.2 dev v2 weight 3");
    both_ip(
        n,
        "route show proto kernel",
        "10.0.0.0/24 dev v0 scope link",
    );
    both_ip(n, "route show proto static", "mtu 1400 advmss 1300");
    both_ip(
        n,
        "route show scope link",
        "10.1.0.0/24 dev v2 proto kernel src",
    );
    both_ip(n, "route show via 10.0.0.2", "10.9.0.0/16 dev v0 metric 5");
    both_ip(n, "route show dev v2", "10.1.0.0/24 proto kernel");
    both_ip(n, "route show table 100", "blackhole 10.70.0.0/16");
    both_ip(n, "route show table all", "local ::1 dev lo table local");
    both_ip(n, "route show table all type blackhole", "blackhole");
    both_ip(
        n,
        "-6 route show",
        "2001:db8:5::/64 via 2001:db8::2 dev v0 metric 7",
    );
    both_ip(n, "-d route show", "unicast 10.9.0.0/16");
    both_ip(n, "-o route show", "10.50.0.0/16 \\\tnexthop via 10.0.0.2");
    same(n, "ip", "-j -p route show", "-j -p route show");
}

#[test]
fn route_encap_prints_as_ip() {
    if skip_unless_root("route_encap_prints_as_ip") {
        return;
    }
    let ns = netns(true);
    let n = ns.name();
    veths(n);
    sh(n, "ip addr add 10.0.0.1/24 dev v0");
    sh(
        n,
        "ip route add 10.5.0.0/16 encap ip id 5 dst 10.0.0.9 ttl 3 tos 4 key csum dev v0",
    );
    sh(
        n,
        "ip route add 10.6.0.0/16 encap ip dst 10.0.0.9 id 7 src 10.0.0.1 dev v0",
    );
    sh(
        n,
        "ip route add 10.8.0.0/16 nexthop via 10.0.0.2 encap ip id 3 dst 10.0.0.5 nexthop via 10.0.0.3",
    );
    sh(
        n,
        "ip -6 route add 2001:db8::/64 encap ip6 id 5 dst 2001:db8:1::1 hoplimit 3 tc 4 seq dev v0",
    );
    let mut six = vec![];
    for r in [
        "2001:db8:21::/64 encap seg6 mode inline segs 2001:db8::1,2001:db8::2 dev v0",
        "2001:db8:22::/64 encap seg6local action End.DT6 table 100 dev v0",
        "2001:db8:23::/64 encap seg6local action End.X nh6 2001:db8::5 dev v0",
    ] {
        let (_, err, code) = run("ip", n, &format!("-6 route add {r}"));
        if code == 0 {
            six.push(r.split(' ').next().unwrap());
        } else {
            eprintln!(
                "skip: route_encap_prints_as_ip: `ip -6 route add {r}`: {}",
                err.trim()
            );
        }
    }
    let text = same(n, "ip", "-d route show", "-d route show");
    assert!(
        text.contains(
            "10.5.0.0/16  encap ip id 5 src 0.0.0.0 dst 10.0.0.9 ttl 3 tos 4 key csum dev v0"
        ),
        "{text}"
    );
    assert!(
        text.contains("nexthop  encap ip id 3 src 0.0.0.0 dst 10.0.0.5 ttl 0 tos 0 via 10.0.0.2"),
        "{text}"
    );
    let text = same(n, "ip", "-6 route show", "-6 route show");
    assert!(
        text.contains("encap ip6 id 5 src :: dst 2001:db8:1::1 hoplimit 3 tc 4 seq"),
        "{text}"
    );
    for d in six {
        assert!(text.contains(&format!("{d}  encap seg6")), "{d}: {text}");
    }
    // JSON: one "encap" object per route, as iproute2 6.9+ prints it (6.1 repeats the route's
    // own `dst` key at the top level).
    let (out, _, code) = run(env!("CARGO_BIN_EXE_rtnl"), n, "-j route show");
    assert_eq!(code, 0);
    let j: serde_json::Value = serde_json::from_str(&out).unwrap();
    let r = j
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["dst"] == "10.5.0.0/16")
        .unwrap();
    assert_eq!(
        r["encap"],
        serde_json::json!({"encap_type": "ip", "id": 5, "src": "0.0.0.0", "dst": "10.0.0.9",
            "ttl": 3, "tos": 4, "key": true, "csum": true})
    );
}

#[test]
fn netconf_show_matches_ip() {
    if skip_unless_root("netconf_show_matches_ip") {
        return;
    }
    let ns = netns(true);
    let n = ns.name();
    veths(n);
    let st = Command::new("ip")
        .args(["netns", "exec", n, "sysctl", "-qw"])
        .args([
            "net.ipv4.conf.v0.forwarding=1",
            "net.ipv4.conf.v2.rp_filter=2",
        ])
        .status()
        .unwrap();
    assert!(st.success(), "sysctl");
    both_ip(n, "netconf show", "inet v0 forwarding on rp_filter off");
    both_ip(n, "netconf show dev v2", "rp_filter loose");
    // With a family, ip 6.1 prints text even under -j: text only.
    let text = same(n, "ip", "-6 netconf show dev v0", "-6 netconf show dev v0");
    assert!(text.starts_with("inet6 v0 forwarding off"), "{text}");
    let text = same(n, "ip", "-4 netconf", "-4 netconf");
    assert!(text.contains("inet all forwarding"), "{text}");
}

#[test]
fn nexthop_show_matches_ip() {
    if skip_unless_root("nexthop_show_matches_ip") {
        return;
    }
    let ns = netns(true);
    let n = ns.name();
    veths(n);
    sh(n, "ip addr add 10.0.0.1/24 dev v0");
    sh(n, "ip addr add 2001:db8::1/64 dev v0 nodad");
    sh(n, "ip link set v2 up");
    sh(n, "ip link set v3 up");
    for c in [
        "ip nexthop add id 1 via 10.0.0.2 dev v0",
        "ip nexthop add id 2 via 10.0.0.3 dev v0 proto static onlink",
        "ip nexthop add id 3 dev v2",
        "ip nexthop add id 4 blackhole",
        "ip nexthop add id 5 via 2001:db8::2 dev v0",
        "ip nexthop add id 6 via 10.0.0.7 fdb",
        "ip nexthop add id 10 group 1/2,3",
        "ip nexthop add id 11 group 1,2/2 type resilient buckets 8 idle_timer 10 unbalanced_timer 15",
        "ip nexthop add id 12 group 6 fdb",
    ] {
        sh(n, c);
    }
    both_ip(n, "nexthop show", "id 10 group 1/2,3 \n");
    let text = same(n, "ip", "-d nexthop show", "-d nexthop show");
    assert!(
        text.contains("id 4 scope global blackhole proto unspec"),
        "{text}"
    );
    both_ip(
        n,
        "nexthop show id 11",
        "type resilient buckets 8 idle_timer 10 unbalanced_timer 15 ",
    );
    both_ip(n, "nexthop get id 2", "proto static onlink \n");
    both_ip(
        n,
        "nexthop show dev v0",
        "id 5 via 2001:db8::2 dev v0 scope link",
    );
    let text = same(n, "ip", "nexthop show dev v2", "nexthop show dev v2");
    assert_eq!(text, "id 3 dev v2 scope host \n");
    both_ip(n, "nexthop show groups", "id 12 group 6 fdb\n");
    both_ip(n, "nexthop list fdb", "id 6 via 10.0.0.7 scope link fdb\n");
    both_ip(n, "-6 nexthop show", "id 5 via 2001:db8::2");
    both_ip(n, "nexthop show proto 4", "id 2 ");
    // A missing id: nothing printed, the kernel's ENOENT (exit 2), as ip.
    assert_eq!(same(n, "ip", "nexthop get id 99", "nexthop get id 99"), "");
    same(n, "ip", "-j -p nexthop show", "-j -p nexthop show");
    // An encap nexthop: text as ip 6.1; JSON as iproute2 6.9+ (one "encap" object).
    let (_, err, code) = run(
        "ip",
        n,
        "nexthop add id 20 encap seg6 mode encap segs 2001:db8::5 via 10.0.0.2 dev v0",
    );
    if code == 0 {
        let text = same(n, "ip", "nexthop show id 20", "nexthop show id 20");
        assert!(text.starts_with("id 20  encap seg6 mode encap segs 1 [ 2001:db8::5 ] via"));
    } else {
        eprintln!("skip: nexthop_show_matches_ip: seg6 encap: {}", err.trim());
    }
}

/// `text` with every `idle_time` value (and JSON's) masked: a bucket's idle time grows
/// between two reads.
fn mask_idle(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("idle_time") {
        let (head, tail) = rest.split_at(i + "idle_time".len());
        out.push_str(head);
        let skip = tail
            .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | ' ' | '"' | ':')))
            .unwrap_or(tail.len());
        out.push_str(" T");
        rest = &tail[skip..];
    }
    out.push_str(rest);
    out
}

#[test]
fn nexthop_bucket_show_matches_ip() {
    if skip_unless_root("nexthop_bucket_show_matches_ip") {
        return;
    }
    let ns = netns(false);
    let n = ns.name();
    veths(n);
    sh(n, "ip addr add 10.0.0.1/24 dev v0");
    sh(n, "ip nexthop add id 1 via 10.0.0.2 dev v0");
    sh(n, "ip nexthop add id 2 via 10.0.0.3 dev v0");
    sh(
        n,
        "ip nexthop add id 10 group 1/2,3 type resilient buckets 8",
    );
    for args in [
        "nexthop bucket list",
        "nexthop bucket",
        "-j nexthop bucket list",
        "nexthop bucket show id 10",
        "nexthop bucket list nhid 2",
        "nexthop bucket list dev v0",
        "nexthop bucket get id 10 index 3",
        "-j nexthop bucket get id 10 index 3",
        "nexthop bucket get id 10 index 9",
        "nexthop bucket get id 11 index 0",
    ] {
        let (t_out, _, t_code) = run("ip", n, args);
        let (o_out, o_err, o_code) = run(env!("CARGO_BIN_EXE_rtnl"), n, args);
        assert_eq!(o_code, t_code, "`{args}`: {o_err}");
        assert_eq!(mask_idle(&o_out), mask_idle(&t_out), "`{args}`");
    }
    let (text, _, _) = run(env!("CARGO_BIN_EXE_rtnl"), n, "nexthop bucket list nhid 2");
    assert_eq!(
        text.lines().count(),
        6,
        "weight 3 of 4 holds 6 of 8 buckets: {text}"
    );
    assert!(text.starts_with("id 10 index "), "{text}");
}

#[test]
fn a_namespace_without_routes_prints_nothing_and_succeeds() {
    if skip_unless_root("a_namespace_without_routes_prints_nothing_and_succeeds") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    let n = ns.name();
    // No loopback address: the main table does not exist yet.
    assert_eq!(same(n, "ip", "route show", "route show"), "");
    assert_eq!(same(n, "ip", "-j route show", "-j route show"), "[]\n");
    assert_eq!(
        same(n, "ip", "-j -p route show", "-j -p route show"),
        "[ ]\n"
    );
    assert_eq!(same(n, "ip", "-6 route show", "-6 route show"), "");
}

#[test]
fn rule_and_neigh_show_match_ip() {
    if skip_unless_root("rule_and_neigh_show_match_ip") {
        return;
    }
    let ns = netns(false);
    let n = ns.name();
    veths(n);
    sh(n, "ip addr add 10.0.0.1/24 dev v0");
    sh(n, "ip rule add from 10.5.0.0/16 table 100 pref 100");
    sh(n, "ip rule add fwmark 0x10/0xff lookup 200 pref 200");
    sh(n, "ip rule add not iif v0 goto 32766 pref 300");
    sh(n, "ip neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev v0");
    sh(
        n,
        "ip neigh add 10.0.0.10 dev v0 nud noarp lladdr 02:00:00:00:00:0a",
    );
    both_ip(n, "rule show", "not from all iif v0 goto 32766");
    both_ip(
        n,
        "neigh show",
        "10.0.0.9 dev v0 lladdr 02:00:00:00:00:09 PERMANENT",
    );
    both_ip(n, "neigh show dev v0", "10.0.0.9 lladdr");
    both_ip(n, "neigh show nud noarp", "10.0.0.10");
}

#[test]
fn tc_show_matches_tc() {
    if skip_unless_root("tc_show_matches_tc") {
        return;
    }
    let ns = netns(false);
    let n = ns.name();
    veths(n);
    sh(n, "tc qdisc add dev v0 root handle 1: htb default 20");
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
        "tc filter add dev v0 parent 1: protocol ip prio 2 u32 match ip src 10.9.9.0/24 match ip dport 80 0xffff flowid 1:10",
    );
    sh(n, "tc qdisc add dev v2 root pfifo limit 50");
    sh(
        n,
        "tc qdisc add dev v3 root tbf rate 1mbit burst 32kb latency 400ms",
    );
    sh(n, "tc qdisc add dev br0 clsact");
    let both = |args: &str, want: &str| {
        let text = same(n, "tc", args, args);
        assert!(text.contains(want), "`tc {args}` lacks {want:?}:\n{text}");
        let j = format!("-j {args}");
        same(n, "tc", &j, &j);
    };
    both("qdisc show", "r2q 10 default 0x20 direct_packets_stat 0");
    // Only that device's qdiscs.
    both("qdisc show dev v0", "qdisc htb 1: root refcnt");
    both("qdisc show dev v2", "limit 50p");
    both("qdisc show dev v3", "rate 1Mbit burst 32Kb");
    both("-s qdisc show dev v0", " Sent 0 bytes 0 pkt");
    both("-s qdisc show", "backlog 0b 0p requeues 0");
    both(
        "filter show dev v0",
        "*flowid 1:10 not_in_hw \n  match 0a090900/ffffff00 at 12\n  match 00000050/0000ffff at 20",
    );
    // tc 6.1 prints htb classes as text even under -j: text only.
    let text = same(n, "tc", "class show dev v0", "class show dev v0");
    assert!(
        text.contains("rate 1Mbit ceil 1Mbit burst 1600b cburst 1600b"),
        "{text}"
    );
    same(n, "tc", "-s class show dev v0", "-s class show dev v0");
}

#[test]
fn fdb_and_bridge_link_show_match_bridge() {
    if skip_unless_root("fdb_and_bridge_link_show_match_bridge") {
        return;
    }
    let ns = netns(false);
    let n = ns.name();
    veths(n);
    sh(n, "ip link set v3 master br0");
    sh(n, "bridge fdb add 02:00:00:00:00:42 dev v1 master static");
    for (theirs, ours, want) in [
        (
            "fdb show",
            "fdb show",
            "02:00:00:00:00:42 dev v1 master br0 static",
        ),
        ("fdb show dev v1", "fdb show dev v1", "master br0 permanent"),
        ("fdb show br br0", "fdb show br br0", "dev v1 master br0"),
        (
            "link show",
            "brlink show",
            "master br0 state disabled priority 32 cost 2",
        ),
    ] {
        let text = same(n, "bridge", theirs, ours);
        assert!(
            text.contains(want),
            "`bridge {theirs}` lacks {want:?}:\n{text}"
        );
        same(n, "bridge", &format!("-j {theirs}"), &format!("-j {ours}"));
    }
}

#[test]
fn mdb_and_vni_show_match_bridge() {
    if skip_unless_root("mdb_and_vni_show_match_bridge") {
        return;
    }
    let ns = netns(false);
    let n = ns.name();
    for c in [
        "ip link add br0 type bridge mcast_igmp_version 3",
        "ip link add v0 type veth peer name v1",
        "ip link set v0 master br0",
        "ip link set br0 up",
        "ip link set v0 up",
        "ip link set v1 up",
        "bridge mdb add dev br0 port v0 grp 239.1.1.1 permanent",
        "bridge mdb add dev br0 port v0 grp 239.1.1.3 src 10.0.0.1 permanent",
        "bridge mdb add dev br0 port v0 grp 239.1.1.4 permanent vid 5",
        "bridge mdb add dev br0 port v0 grp 01:00:5e:01:01:05 permanent",
        "ip link add vx0 type vxlan external vnifilter dstport 4789 dev v1",
        "ip link add vx1 type vxlan external vnifilter dstport 4790",
        "bridge vni add dev vx0 vni 100",
        "bridge vni add dev vx0 vni 200-210",
        "bridge vni add dev vx0 vni 7 group 239.1.1.1",
        "bridge vni add dev vx0 vni 8-9 remote 10.0.0.5",
        "bridge vni add dev vx1 vni 300",
    ] {
        sh(n, c);
    }
    // bridge 6.1 cannot send these words (newer bridge's): rtnl adds the entry.
    let (_, err, code) = run(
        env!("CARGO_BIN_EXE_rtnl"),
        n,
        "mdb add dev br0 port v0 grp 239.1.1.2 permanent filter_mode include source_list 10.0.0.7,10.0.0.8 proto 250",
    );
    assert_eq!(code, 0, "{err}");
    for (args, want) in [
        (
            "mdb show",
            "dev br0 port v0 grp 239.1.1.3 src 10.0.0.1 permanent",
        ),
        ("mdb show dev br0", "grp 239.1.1.4 permanent vid 5"),
        ("-d mdb show", "filter_mode include source_list 10.0.0."),
        ("-s mdb show", "grp 01:00:5e:01:01:05 permanent    0.00"),
        ("-d -s mdb show", "proto 250"),
        ("vni show", "8-9               10.0.0.5"),
        ("vni show dev vx1", "vx1                300"),
        ("-s vni show", "RX: bytes 0 pkts 0 drops 0 errors 0"),
    ] {
        let text = same(n, "bridge", args, args);
        assert!(
            text.contains(want),
            "`bridge {args}` lacks {want:?}:\n{text}"
        );
        same(n, "bridge", &format!("-j {args}"), &format!("-j {args}"));
    }
}

#[test]
fn actions_and_chains_show_match_tc() {
    if skip_unless_root("actions_and_chains_show_match_tc") {
        return;
    }
    let ns = netns(false);
    let n = ns.name();
    veths(n);
    sh(
        n,
        "tc actions add action mirred egress redirect dev v1 index 3",
    );
    sh(
        n,
        "tc actions add action mirred egress mirror dev v1 index 4 cookie 0102",
    );
    sh(
        n,
        "tc actions add action mirred ingress mirror dev v1 pass index 5",
    );
    sh(n, "tc qdisc add dev v0 clsact");
    sh(n, "tc chain add dev v0 ingress chain 1");
    sh(n, "tc chain add dev v0 ingress chain 7");
    sh(
        n,
        "tc filter add dev v0 egress protocol ip prio 1 u32 match ip dst 10.0.0.0/8 action mirred egress redirect dev v1",
    );
    let both = |args: &str, want: &str| {
        let text = same(n, "tc", args, args);
        assert!(text.contains(want), "`tc {args}` lacks {want:?}:\n{text}");
        let j = format!("-j {args}");
        same(n, "tc", &j, &j);
    };
    both(
        "actions ls action mirred",
        "\taction order 1: mirred (Egress Redirect to device v1) stolen\n\tindex 3 ref 1 bind 0\n",
    );
    both("actions list action mirred", "\tcookie 0102\n");
    // The redirect bound to the filter: bind 1.
    both("actions show action mirred", "ref 1 bind 1");
    both(
        "actions get action mirred index 5",
        "(Ingress Mirror to device v1) pass",
    );
    both("chain show dev v0 ingress", "chain parent ffff: chain 7 \n");
    both(
        "chain get dev v0 ingress chain 1",
        "chain parent ffff: chain 1 \n",
    );
    // A filter's actions, printed bound (tc_print_action), and clsact's parent words.
    both(
        "filter show dev v0 egress",
        "terminal flowid not_in_hw \n  match 0a000000/ff000000 at 16\n\taction order 1: mirred (Egress Redirect to device v1) stolen\n\tindex 1 ref 1 bind 1\n",
    );
    // No parent: tc asks for the root's filters, and clsact's are not among them.
    same(n, "tc", "filter show dev v0", "filter show dev v0");
    // Nothing of a kind this kernel lacks: both print nothing and succeed.
    same(n, "tc", "actions ls action gact", "actions ls action gact");
    same(
        n,
        "tc",
        "-j actions ls action gact",
        "-j actions ls action gact",
    );
}

#[test]
fn class_json_has_newer_tcs_shape() {
    if skip_unless_root("class_json_has_newer_tcs_shape") {
        return;
    }
    let ns = netns(false);
    let n = ns.name();
    veths(n);
    sh(n, "tc qdisc add dev v0 root handle 1: htb default 20");
    sh(
        n,
        "tc class add dev v0 parent 1: classid 1:10 htb rate 1mbit",
    );
    sh(
        n,
        "tc class add dev v0 parent 1:10 classid 1:20 htb rate 2mbit ceil 4mbit prio 3",
    );
    sh(n, "tc qdisc add dev v0 parent 1:20 handle 20: pfifo");
    // The text is tc 6.1's, byte for byte (the leaf qdisc included).
    let text = same(n, "tc", "class show dev v0", "class show dev v0");
    assert!(
        text.contains("class htb 1:20 parent 1:10 leaf 20: prio 3 rate 2Mbit ceil 4Mbit"),
        "{text}"
    );
    // tc 6.1 prints text under -j; newer tc's print_class prints this (its print_* keys).
    let (out, err, code) = run(env!("CARGO_BIN_EXE_rtnl"), n, "-j class show dev v0");
    assert_eq!(code, 0, "{err}");
    let j: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(
        j,
        serde_json::json!([
            {"class": "htb", "handle": "1:10", "root": true, "rate": 125000, "ceil": 125000,
             "burst": 1600, "cburst": 1600},
            {"class": "htb", "handle": "1:20", "parent": "1:10", "leaf": "0x20", "prio": 3,
             "rate": 250000, "ceil": 500000, "burst": 1600, "cburst": 1600},
        ]),
        "{out}"
    );
    let (out, _, _) = run(env!("CARGO_BIN_EXE_rtnl"), n, "-j -s class show dev v0");
    let j: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let s = &j[1]["stats"];
    for k in [
        "bytes",
        "packets",
        "drops",
        "overlimits",
        "requeues",
        "backlog",
        "qlen",
        "lended",
        "tokens",
        "ctokens",
    ] {
        assert!(s[k].is_u64() || s[k].is_i64(), "stats lacks {k}: {out}");
    }
}
