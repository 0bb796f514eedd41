//! `route_dumps` / `route_loads` against `ip route save` / `ip route restore`, both
//! directions, in fresh namespaces: our dump has the bytes `ip route save` writes (sequence
//! numbers and port ids aside: each socket has its own), `ip route restore` takes ours, and we
//! restore what `ip route save` wrote. pyroute2 0.9 has no functional test of route_dumps.

use std::io::Write;
use std::process::{Command, Stdio};

use rtnl_api::{IPRoute, ROUTE_DUMP_MAGIC, RouteFilter, kw};
use rtnl_core::testing::{TestNetns, skip_unless_root};

/// A namespace with v0 (10.0.0.1/24, 2001:db8::1/64) and, with `routes`, routes through it.
fn ns_with(routes: bool) -> (TestNetns, IPRoute) {
    let ns = TestNetns::new().unwrap();
    let mut ipr = IPRoute::from_socket(ns.socket().unwrap());
    ipr.link("add", kw! { ifname: "v0", kind: "veth", peer: "v1" })
        .unwrap();
    ipr.link("set", kw! { ifname: "v0", state: "up" }).unwrap();
    ipr.link("set", kw! { ifname: "v1", state: "up" }).unwrap();
    ipr.addr("add", kw! { ifname: "v0", address: "10.0.0.1/24" })
        .unwrap();
    ipr.addr(
        "add",
        kw! { ifname: "v0", address: "2001:db8::1/64", flags: "nodad" },
    )
    .unwrap();
    if routes {
        ipr.route("add", kw! { dst: "10.5.0.0/16", gateway: "10.0.0.2" })
            .unwrap();
        ipr.route("add", kw! { dst: "10.6.0.0/16", oif: "v0", priority: 7 })
            .unwrap();
        ipr.route(
            "add",
            kw! { dst: "10.7.0.0/16", gateway: "10.0.0.3", metrics: kw! { mtu: 1300 } },
        )
        .unwrap();
        ipr.route(
            "add",
            kw! { dst: "2001:db8:5::/48", gateway: "2001:db8::2" },
        )
        .unwrap();
    }
    (ns, ipr)
}

fn ip_out(ns: &TestNetns, args: &str) -> Vec<u8> {
    let out = Command::new("ip")
        .args(["-n", ns.name()])
        .args(args.split_whitespace())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "ip {args}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// `ip route restore` reads its stdin three times (one pass per route class), so it needs a
/// file, not a pipe.
fn ip_restore(ns: &TestNetns, family: &str, data: &[u8]) {
    let path = std::env::temp_dir().join(format!("rtnl-restore-{}-{}", ns.name(), family));
    std::fs::File::create(&path)
        .unwrap()
        .write_all(data)
        .unwrap();
    let st = Command::new("ip")
        .args(["-n", ns.name(), family, "route", "restore"])
        .stdin(Stdio::from(std::fs::File::open(&path).unwrap()))
        .status()
        .unwrap();
    std::fs::remove_file(&path).unwrap();
    assert!(st.success(), "ip route restore");
}

/// Every message with nlmsg_seq and nlmsg_pid zeroed.
fn zero_seq_pid(d: &[u8]) -> Vec<u8> {
    let mut d = d.to_vec();
    let mut off = 4;
    while off + 16 <= d.len() {
        let len = u32::from_ne_bytes(d[off..off + 4].try_into().unwrap()) as usize;
        d[off + 8..off + 16].fill(0);
        off += (len + 3) & !3;
    }
    d
}

#[test]
fn route_dumps_equals_ip_route_save() {
    if skip_unless_root("route_dumps_equals_ip_route_save") {
        return;
    }
    let (ns, mut ipr) = ns_with(true);
    for (family, flag) in [(2u8, "-4"), (10, "-6")] {
        let ours = ipr.route_dumps(RouteFilter::new().family(family)).unwrap();
        assert_eq!(ours[..4], ROUTE_DUMP_MAGIC.to_ne_bytes());
        let theirs = ip_out(&ns, &format!("{flag} route save"));
        assert!(theirs.len() > 4 + 16, "ip route save wrote nothing");
        assert_eq!(
            zero_seq_pid(&ours),
            zero_seq_pid(&theirs),
            "family {family}"
        );
    }
}

#[test]
fn ip_route_restore_takes_ours() {
    if skip_unless_root("ip_route_restore_takes_ours") {
        return;
    }
    let (a, mut ipa) = ns_with(true);
    let (b, _ipb) = ns_with(false);
    for flag in ["-4", "-6"] {
        let family = if flag == "-4" { 2 } else { 10 };
        let saved = ipa.route_dumps(RouteFilter::new().family(family)).unwrap();
        ip_restore(&b, flag, &saved);
        let show = format!("-j {flag} route show");
        assert_eq!(
            String::from_utf8(ip_out(&a, &show)).unwrap(),
            String::from_utf8(ip_out(&b, &show)).unwrap()
        );
    }
}

#[test]
fn route_loads_takes_ip_route_save() {
    if skip_unless_root("route_loads_takes_ip_route_save") {
        return;
    }
    let (a, _ipa) = ns_with(true);
    let (c, mut ipc) = ns_with(false);
    for flag in ["-4", "-6"] {
        let saved = ip_out(&a, &format!("{flag} route save"));
        let n = ipc.route_loads(&saved).unwrap();
        assert!(n >= 3, "{flag}: {n}");
        let show = format!("-j {flag} route show");
        assert_eq!(
            String::from_utf8(ip_out(&a, &show)).unwrap(),
            String::from_utf8(ip_out(&c, &show)).unwrap()
        );
    }
    // Not a dump: refused, naming why.
    let e = ipc.route_loads(b"nope").unwrap_err().to_string();
    assert!(e.contains("magic"), "{e}");
    // A file round trip of our own.
    let path = std::env::temp_dir().join(format!("rtnl-routes-{}", std::process::id()));
    let (d, mut ipd) = ns_with(false);
    let (_a2, mut ipa2) = ns_with(true);
    ipa2.route_dump(
        std::fs::File::create(&path).unwrap(),
        RouteFilter::new().family(2),
    )
    .unwrap();
    ipd.route_load(std::fs::File::open(&path).unwrap()).unwrap();
    std::fs::remove_file(&path).unwrap();
    let got = ipd
        .get_routes(RouteFilter::new().family(2).table(254))
        .unwrap()
        .count()
        .unwrap();
    assert_eq!(got, 4, "connected + three restored");
    drop(d);
}
