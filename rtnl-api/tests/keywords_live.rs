//! Live tests of pyroute2's keyword semantics (issue 8 items 3 and 5): each in a fresh
//! namespace, checked with `ip -j`; and the NLA_F_NESTED schema flag against the kernel's
//! policy: every attribute marked `nested = true` that the kernel checks is sent with and
//! without the flag, and the kernel must refuse (or misread) the one without. Need root;
//! otherwise each prints `skip: <test>: needs root`.

use std::process::Command;

use rtnl_api::request::{self, NoResolve};
use rtnl_api::{Args, IPRoute, kw};
use rtnl_core::testing::{TestNetns, skip_unless_root};
use serde_json::Value as J;

fn ip_json(ns: &str, args: &str) -> Vec<J> {
    let out = Command::new("ip")
        .args(["-j", "-d", "-n", ns])
        .args(args.split_whitespace())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "ip {args}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<J>(&out.stdout)
        .unwrap()
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn ip(ns: &str, args: &str) {
    let st = Command::new("ip")
        .args(["-n", ns])
        .args(args.split_whitespace())
        .status()
        .unwrap();
    assert!(st.success(), "ip {args}");
}

fn setup() -> (TestNetns, IPRoute) {
    let ns = TestNetns::new().unwrap();
    let ipr = IPRoute::from_socket(ns.socket().unwrap());
    (ns, ipr)
}

fn index_of(ns: &str, dev: &str) -> u32 {
    ip_json(ns, &format!("link show dev {dev}"))[0]["ifindex"]
        .as_u64()
        .unwrap() as u32
}

/// A `link` request's body as rtnl encodes it, and the same with NLA_F_NESTED cleared on the
/// first top-level attribute of type `attr`.
fn link_body_with_and_without(cmd: &str, args: &Args, attr: u16) -> (Vec<u8>, Vec<u8>) {
    let mut body = Vec::new();
    request::link(&mut body, cmd, args, &mut NoResolve).unwrap();
    let mut off = 16; // struct ifinfomsg
    let mut without = body.clone();
    let mut found = false;
    while off + 4 <= body.len() {
        let len = u16::from_ne_bytes([body[off], body[off + 1]]) as usize;
        let ty = u16::from_ne_bytes([body[off + 2], body[off + 3]]);
        if ty & 0x7fff == attr {
            assert_eq!(
                ty & 0x8000,
                0x8000,
                "attribute {attr} is sent with NLA_F_NESTED"
            );
            without[off + 3] &= 0x7f;
            found = true;
        }
        off += (len + 3) & !3;
    }
    assert!(found, "attribute {attr} not in the request");
    (body, without)
}

#[test]
fn prop_list_needs_nla_f_nested_and_gets_it() {
    if skip_unless_root("prop_list_needs_nla_f_nested_and_gets_it") {
        return;
    }
    let (ns, mut ipr) = setup();
    let n = ns.name();
    ip(n, "link add v0 type veth peer name v1");
    let idx = index_of(n, "v0");
    // The kernel's policy for IFLA_PROP_LIST (NLA_NESTED, strict): without the flag, refused.
    let (_, without) =
        link_body_with_and_without("property_add", &kw! { index: idx, altname: "bare" }, 52);
    let mut sock = ns.socket().unwrap();
    let e = sock
        .request(108, 0x0605, |b| {
            b.extend_from_slice(&without);
            Ok(())
        })
        .unwrap_err()
        .to_string();
    assert!(e.contains("NLA_F_NESTED"), "{e}");
    // Through the keyword API (flag set by the schema): accepted, several names at once.
    ipr.link(
        "property_add",
        kw! { index: idx, altname: vec!["uplink", "wan"] },
    )
    .unwrap();
    let alt = ip_json(n, "link show dev v0")[0]["altnames"].clone();
    assert_eq!(alt, serde_json::json!(["uplink", "wan"]));
    ipr.link("property_del", kw! { index: idx, altname: "wan" })
        .unwrap();
    let alt = ip_json(n, "link show dev v0")[0]["altnames"].clone();
    assert_eq!(alt, serde_json::json!(["uplink"]));
    // The altname names the link in later requests (IFLA_ALT_IFNAME).
    ipr.link("set", kw! { altname: "uplink", mtu: 1300 })
        .unwrap();
    assert_eq!(ip_json(n, "link show dev v0")[0]["mtu"], 1300);
}

#[test]
fn bridge_protinfo_needs_nla_f_nested_and_gets_it() {
    if skip_unless_root("bridge_protinfo_needs_nla_f_nested_and_gets_it") {
        return;
    }
    let (ns, _ipr) = setup();
    let n = ns.name();
    ip(n, "link add br0 type bridge");
    ip(n, "link add v0 type veth peer name v1");
    ip(n, "link set v0 master br0");
    let idx = index_of(n, "v0");
    let args = kw! { index: idx, family: "bridge", protinfo: kw! { cost: 33 } };
    let (with, without) = link_body_with_and_without("set", &args, 12);
    let mut sock = ns.socket().unwrap();
    // RTM_SETLINK (19) of AF_BRIDGE is the bridge's setlink: without NLA_F_NESTED it reads
    // IFLA_PROTINFO as the old one-byte port state and refuses eight bytes.
    let send = |sock: &mut rtnl_core::socket::Socket, body: &[u8]| {
        sock.request(19, 0x0005, |b| {
            b.extend_from_slice(body);
            Ok(())
        })
    };
    let e = send(&mut sock, &without).unwrap_err().to_string();
    assert!(e.contains("EINVAL"), "{e}");
    send(&mut sock, &with).unwrap();
    let cost = ip_json(n, "link show dev v0")[0]["linkinfo"]["info_slave_data"]["cost"].clone();
    assert_eq!(cost, 33);
}

#[test]
fn link_keywords() {
    if skip_unless_root("link_keywords") {
        return;
    }
    let (ns, mut ipr) = setup();
    let n = ns.name();
    let other = TestNetns::new().unwrap();
    ipr.link("add", kw! { ifname: "br0", kind: "bridge" })
        .unwrap();
    // peer in another namespace, given by its name; kind options at top level.
    ipr.link(
        "add",
        kw! { ifname: "v0", kind: "veth", peer: kw! { ifname: "p0", net_ns_fd: other.name() } },
    )
    .unwrap();
    assert_eq!(ip_json(other.name(), "link show dev p0").len(), 1);
    // ... and by path.
    let path = other.path().to_str().unwrap().to_string();
    ipr.link(
        "add",
        kw! { ifname: "v1", kind: "veth", peer: kw! { ifname: "p1", net_ns_fd: path } },
    )
    .unwrap();
    assert_eq!(ip_json(other.name(), "link show dev p1").len(), 1);
    ipr.link(
        "set",
        kw! { ifname: "v0", flags: vec!["IFF_UP", "!IFF_NOARP"], address: "0200.0000.00aa", master: "br0", group: "default" },
    )
    .unwrap();
    let v0 = &ip_json(n, "link show dev v0")[0];
    assert!(
        v0["flags"].as_array().unwrap().contains(&"UP".into()),
        "{v0}"
    );
    assert_eq!(v0["address"], "02:00:00:00:00:aa");
    assert_eq!(v0["master"], "br0");
    ipr.link("set", kw! { ifname: "v0", arp: false }).unwrap();
    let v0 = &ip_json(n, "link show dev v0")[0];
    assert!(
        v0["flags"].as_array().unwrap().contains(&"NOARP".into()),
        "{v0}"
    );
    ipr.link("set", kw! { ifname: "v0", noarp: false, state: "down" })
        .unwrap();
    let v0 = &ip_json(n, "link show dev v0")[0];
    let flags = v0["flags"].as_array().unwrap();
    assert!(
        !flags.contains(&"NOARP".into()) && !flags.contains(&"UP".into()),
        "{v0}"
    );
    // kind options at top level; vxlan_link by name.
    ipr.link(
        "add",
        kw! { ifname: "vx0", kind: "vxlan", vxlan_id: 42, vxlan_link: "v0", vxlan_port: 4789 },
    )
    .unwrap();
    let vx = &ip_json(n, "link show dev vx0")[0];
    assert_eq!(vx["linkinfo"]["info_data"]["id"], 42, "{vx}");
    assert_eq!(vx["linkinfo"]["info_data"]["link"], "v0", "{vx}");
    ipr.link("set", kw! { ifname: "v1", address: "02-00-00-00-00-bb" })
        .unwrap();
    assert_eq!(
        ip_json(n, "link show dev v1")[0]["address"],
        "02:00:00:00:00:bb"
    );
    let e = ipr
        .link("set", kw! { ifname: "v1", group: "no-such-group" })
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("group") && e.contains("/etc/iproute2/group"),
        "{e}"
    );
}

#[test]
fn addr_keywords() {
    if skip_unless_root("addr_keywords") {
        return;
    }
    let (ns, mut ipr) = setup();
    let n = ns.name();
    ip(n, "link add v0 type veth peer name v1");
    let idx = index_of(n, "v0");
    ipr.addr(
        "add",
        kw! { index: idx, address: "10.0.0.2", mask: "255.255.255.0", broadcast: true },
    )
    .unwrap();
    ipr.addr(
        "add",
        kw! { index: idx, address: "10.0.1.2/255.255.255.0", preferred: 300, valid: 600 },
    )
    .unwrap();
    let a = &ip_json(n, "addr show dev v0")[0]["addr_info"];
    let find = |ip: &str| {
        a.as_array()
            .unwrap()
            .iter()
            .find(|x| x["local"] == ip)
            .cloned()
            .unwrap_or_else(|| panic!("{ip} not in {a}"))
    };
    let one = find("10.0.0.2");
    assert_eq!(one["prefixlen"], 24);
    assert_eq!(one["broadcast"], "10.0.0.255");
    let two = find("10.0.1.2");
    assert_eq!(two["prefixlen"], 24);
    assert_eq!(two["valid_life_time"], 600);
    assert_eq!(two["preferred_life_time"], 300);
    let e = ipr
        .addr(
            "add",
            kw! { index: idx, address: "10.0.2.2/24", preferred: 600, valid: 300 },
        )
        .unwrap_err()
        .to_string();
    assert!(e.contains("preferred"), "{e}");
}

#[test]
fn route_keywords() {
    if skip_unless_root("route_keywords") {
        return;
    }
    let (ns, mut ipr) = setup();
    let n = ns.name();
    ip(n, "link add v0 type veth peer name v1");
    ip(n, "link set v0 up");
    ip(n, "link set v1 up");
    ip(n, "addr add 10.0.0.1/24 dev v0");
    ip(n, "-6 addr add 2001:db8::1/64 dev v0 nodad");
    ipr.route(
        "add",
        kw! { dst: "10.1.0.0/255.255.255.0", gateway: "10.0.0.2", table: 300 },
    )
    .unwrap();
    let r = ip_json(n, "route show table 300");
    assert_eq!(r[0]["dst"], "10.1.0.0/24", "{r:?}");
    ipr.route(
        "add",
        kw! { dst: "10.2.0.0/24", gateway: "10.9.0.1", oif: "v0", flags: vec!["onlink"], proto: "boot", metrics: kw! { mtu: 1400, cc_algo: "cubic" } },
    )
    .unwrap();
    let r = &ip_json(n, "route show 10.2.0.0/24")[0];
    assert!(
        r["flags"].as_array().unwrap().contains(&"onlink".into()),
        "{r}"
    );
    assert_eq!(r["protocol"], "boot");
    assert_eq!(r["metrics"][0]["mtu"], 1400, "{r}");
    assert_eq!(r["metrics"][0]["congestion"], "cubic", "{r}");
    ipr.route(
        "add",
        kw! { dst: "0.0.0.0/0", gateway: "10.0.0.2", table: "main" },
    )
    .unwrap();
    assert_eq!(ip_json(n, "route show default").len(), 1);
    ipr.route(
        "add",
        kw! { dst: "2001:db8:1::/64", gateway: "2001:db8::2", priority: 0 },
    )
    .unwrap();
    assert_eq!(
        ip_json(n, "-6 route show 2001:db8:1::/64")[0]["metric"],
        1024
    );
    // seg6: two segments, shown by ip in the order given (the header carries them last first).
    ipr.route(
        "add",
        kw! { dst: "10.3.0.0/24", oif: "v0", encap: kw! { type: "seg6", mode: "encap", segs: vec!["2001:db8::5", "2001:db8::6"] } },
    )
    .unwrap();
    let r = &ip_json(n, "route show 10.3.0.0/24")[0];
    assert_eq!(r["encap"], "seg6", "{r}");
    assert_eq!(
        r["segs"],
        serde_json::json!(["2001:db8::5", "2001:db8::6"]),
        "{r}"
    );
    ipr.route(
        "add",
        kw! { dst: "2001:db8:9::/64", oif: "v0", encap: kw! { type: "seg6local", action: "End.DT6", table: 254 } },
    )
    .unwrap();
    let r = &ip_json(n, "-6 route show 2001:db8:9::/64")[0];
    assert_eq!(r["action"], "End.DT6", "{r}");
    // RTA_VIA with an IPv6 next hop for an IPv4 route.
    ipr.route(
        "add",
        kw! { dst: "10.4.0.0/24", oif: "v0", via: "inet6/fe80::1" },
    )
    .unwrap();
    let r = &ip_json(n, "route show 10.4.0.0/24")[0];
    assert_eq!(
        r["via"],
        serde_json::json!({"family": "inet6", "host": "fe80::1"}),
        "{r}"
    );
}

#[test]
fn rule_keywords() {
    if skip_unless_root("rule_keywords") {
        return;
    }
    let (ns, mut ipr) = setup();
    let n = ns.name();
    ipr.rule(
        "add",
        kw! { sport: "80:120", dport: "443-443", ip_proto: "tcp", table: 100, priority: 1000 },
    )
    .unwrap();
    ipr.rule(
        "add",
        kw! { uid_range: "1000-2000", action: "prohibit", priority: 1001 },
    )
    .unwrap();
    ipr.rule(
        "add",
        kw! { src: "10.0.0.0", src_len: 8, table: 10000, priority: 1002 },
    )
    .unwrap();
    let rules = ip_json(n, "rule show");
    let at = |p: u64| {
        rules
            .iter()
            .find(|r| r["priority"] == p)
            .cloned()
            .unwrap_or_else(|| panic!("no rule {p} in {rules:?}"))
    };
    let r = at(1000);
    assert_eq!(
        (r["sport_start"].clone(), r["sport_end"].clone()),
        (80.into(), 120.into()),
        "{r}"
    );
    assert_eq!(r["dport"], 443, "{r}");
    assert_eq!(r["ipproto"], "tcp", "{r}");
    let r = at(1001);
    assert_eq!(
        (r["uid_start"].clone(), r["uid_end"].clone()),
        (1000.into(), 2000.into()),
        "{r}"
    );
    assert_eq!(r["action"], "prohibit", "{r}");
    let r = at(1002);
    assert_eq!(r["src"], "10.0.0.0", "{r}");
    assert_eq!(r["srclen"], 8, "{r}");
    assert_eq!(r["table"], "10000", "{r}");
}

/// Clears NLA_F_NESTED on the attribute reached by `path` (attribute types, outermost first)
/// among the attributes in `b[start..]`.
fn clear_nested(b: &mut [u8], start: usize, path: &[u16]) {
    let mut off = start;
    let end = b.len();
    while off + 4 <= end {
        let len = u16::from_ne_bytes([b[off], b[off + 1]]) as usize;
        let ty = u16::from_ne_bytes([b[off + 2], b[off + 3]]);
        if ty & 0x3fff == path[0] {
            if path.len() == 1 {
                assert_eq!(ty & 0x8000, 0x8000, "{path:?} is sent with NLA_F_NESTED");
                b[off + 3] &= 0x7f;
            } else {
                let (head, _) = b.split_at_mut(off + len);
                clear_nested(head, off + 4, &path[1..]);
            }
            return;
        }
        off += (len + 3) & !3;
    }
    panic!("{path:?} not found");
}

#[test]
fn mdb_entry_attrs_need_nla_f_nested_and_get_it() {
    if skip_unless_root("mdb_entry_attrs_need_nla_f_nested_and_get_it") {
        return;
    }
    use rtnl_core::generated::MDB_SET_ENTRY_SPEC;
    use rtnl_core::spec::{EncodeCtx, Value, encode_attr};
    let (ns, _ipr) = setup();
    let n = ns.name();
    ip(n, "link add br0 type bridge mcast_igmp_version 3");
    ip(n, "link add v0 type veth peer name v1");
    ip(n, "link set v0 master br0");
    ip(n, "link set br0 up");
    ip(n, "link set v0 up");
    let (br, port) = (index_of(n, "br0"), index_of(n, "v0"));
    let body = |group: u8| {
        // struct br_port_msg, then MDBA_SET_ENTRY (struct br_mdb_entry) and its attributes.
        let mut b = vec![7, 0, 0, 0];
        b.extend_from_slice(&br.to_ne_bytes());
        let mut entry = port.to_ne_bytes().to_vec();
        entry.extend_from_slice(&[1, 0, 0, 0, 239, 1, 1, group]);
        entry.extend_from_slice(&[0; 12]);
        entry.extend_from_slice(&[0x08, 0x00, 0, 0]);
        let ctx = EncodeCtx {
            start: b.len(),
            family: 7,
        };
        encode_attr(
            &MDB_SET_ENTRY_SPEC,
            &mut b,
            ctx,
            "entry",
            &Value::Bytes(entry),
        )
        .unwrap();
        let src = Value::map([("address", "10.0.0.9")]);
        let attrs = Value::map([
            ("group_mode", Value::from("include")),
            ("src_list", Value::map([("entry", Value::List(vec![src]))])),
        ]);
        encode_attr(&MDB_SET_ENTRY_SPEC, &mut b, ctx, "attrs", &attrs).unwrap();
        b
    };
    let mut sock = ns.socket().unwrap();
    let mut send = |b: &[u8]| {
        sock.request(84, 0x0605, |buf| {
            buf.extend_from_slice(b);
            Ok(())
        })
    };
    // MDBA_SET_ENTRY_ATTRS (2), MDBE_ATTR_SRC_LIST (2 in it), MDBE_SRC_LIST_ENTRY (1 in that).
    for (i, path) in [&[2u16][..], &[2, 2], &[2, 2, 1]].into_iter().enumerate() {
        let mut b = body(1 + i as u8);
        clear_nested(&mut b, 8, path);
        let e = send(&b).unwrap_err().to_string();
        assert!(e.contains("NLA_F_NESTED"), "{path:?}: {e}");
    }
    send(&body(9)).unwrap();
    let out = Command::new("bridge")
        .args(["-n", n, "-j", "mdb", "show"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("239.1.1.9") && text.contains("10.0.0.9"),
        "{text}"
    );
}

#[test]
fn async_peer_in_a_namespace_by_name() {
    if skip_unless_root("async_peer_in_a_namespace_by_name") {
        return;
    }
    let ns = TestNetns::new().unwrap();
    let other = TestNetns::new().unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let ipr = rtnl_api::AsyncIPRoute::in_netns(rtnl_api::Netns::Path(ns.path().to_path_buf()))
            .await
            .unwrap();
        ipr.link(
            "add",
            kw! { ifname: "v0", kind: "veth", peer: kw! { ifname: "p0", net_ns_fd: other.name() } },
        )
        .await
        .unwrap();
        let e = ipr
            .link(
                "add",
                kw! { ifname: "v1", kind: "veth", peer: kw! { ifname: "p1", net_ns_fd: "no-such-ns" } },
            )
            .await
            .unwrap_err()
            .to_string();
        assert!(e.contains("/run/netns/no-such-ns"), "{e}");
    });
    assert_eq!(ip_json(other.name(), "link show dev p0").len(), 1);
    assert_eq!(ip_json(ns.name(), "link show dev v0").len(), 1);
}
