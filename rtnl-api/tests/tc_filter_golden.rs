//! Golden bytes for the classifiers other than u32 (matchall, fw, route, flow, bpf, flower,
//! basic): `IPBatch::tc` against what `tc` (iproute2 6.1) sends for the same command, byte for
//! byte (captured with strace by golden/tc_capture.sh from golden/tc_filter_commands.txt;
//! nlmsg_seq zeroed, dev lo is ifindex 1). The kernel here lacks most of these classifiers;
//! tc has sent its request before the kernel refuses it. Offline: needs neither root nor tc.

mod common;

use rtnl_api::{Args, IPBatch, Value, kw};

/// `(command, the one message tc sent)` in file order.
fn captures() -> Vec<(String, Vec<u8>)> {
    common::captures(include_str!("golden/tc_filter_requests.txt"))
}

fn drop_action() -> Value {
    kw! { kind: "gact", action: "drop" }.into()
}

/// Our request for each captured command: `(tc command, kind, handle, keywords)`; add-filter
/// unless the kind says `del-filter KIND`.
fn ours() -> Vec<(&'static str, &'static str, Value, Args)> {
    let zero = Value::Int(0);
    vec![
        (
            "tc filter add dev lo parent 1: protocol ip prio 1 matchall classid 1:10",
            "matchall",
            zero.clone(),
            kw! { parent: "1:", protocol: "ip", prio: 1, classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent ffff: prio 2 matchall skip_hw action gact drop",
            "matchall",
            zero.clone(),
            kw! { parent: "ffff:", prio: 2, skip_hw: true, action: drop_action() },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 3 handle 5 fw classid 1:10",
            "fw",
            Value::Int(5),
            kw! { parent: "1:", protocol: "ip", prio: 3, classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 4 handle 6/0xff fw classid 1:20",
            "fw",
            Value::from("6/0xff"),
            kw! { parent: "1:", protocol: "ip", prio: 4, classid: "1:20" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 5 route to 10 classid 1:10",
            "route",
            zero.clone(),
            kw! { parent: "1:", protocol: "ip", prio: 5, to: 10, classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 6 route from 3 to 4 classid 1:10",
            "route",
            zero.clone(),
            kw! { parent: "1:", protocol: "ip", prio: 6, from: 3, to: 4, classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 7 route fromif lo classid 1:10",
            "route",
            zero.clone(),
            kw! { parent: "1:", protocol: "ip", prio: 7, fromif: 1, classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 8 flow hash keys src,dst,proto-dst divisor 1024 baseclass 1:1",
            "flow",
            zero.clone(),
            kw! { parent: "1:", protocol: "ip", prio: 8, mode: "hash", keys: "src,dst,proto-dst",
            divisor: 1024, baseclass: "1:1" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 9 flow map key mark addend 10 divisor 64 baseclass 1:1",
            "flow",
            zero.clone(),
            kw! { parent: "1:", protocol: "ip", prio: 9, mode: "map", key: "mark", addend: 10,
            divisor: 64, baseclass: "1:1" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 10 bpf bytecode \"1,6 0 0 4294967295,\" classid 1:10",
            "bpf",
            zero.clone(),
            kw! { parent: "1:", protocol: "ip", prio: 10, bytecode: "1,6 0 0 4294967295,",
            classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent ffff: protocol all prio 11 bpf bytecode \"4,40 0 0 12,21 0 1 2048,6 0 0 262144,6 0 0 0,\" da",
            "bpf",
            zero.clone(),
            kw! { parent: "ffff:", protocol: "all", prio: 11,
            bytecode: "4,40 0 0 12,21 0 1 2048,6 0 0 262144,6 0 0 0,", da: true },
        ),
        (
            "tc filter add dev lo parent ffff: protocol ip prio 12 flower dst_ip 10.0.0.0/24 ip_proto tcp dst_port 80 classid 1:10",
            "flower",
            zero.clone(),
            kw! { parent: "ffff:", protocol: "ip", prio: 12, dst_ip: "10.0.0.0/24",
            ip_proto: "tcp", dst_port: 80, classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent ffff: protocol ipv6 prio 13 flower skip_hw src_ip 2001:db8::/32 ip_proto udp src_port 1000-2000 action gact drop",
            "flower",
            zero.clone(),
            kw! { parent: "ffff:", protocol: "ipv6", prio: 13, skip_hw: true,
            src_ip: "2001:db8::/32", ip_proto: "udp", src_port: "1000-2000", action: drop_action() },
        ),
        (
            "tc filter add dev lo parent ffff: protocol 802.1q prio 14 flower vlan_id 10 vlan_prio 3 vlan_ethtype ip dst_mac 02:00:00:00:00:01 src_mac 02:00:00:00:00:00/ff:ff:ff:00:00:00 classid 1:1",
            "flower",
            zero.clone(),
            kw! { parent: "ffff:", protocol: "802.1q", prio: 14, vlan_id: 10, vlan_prio: 3,
            vlan_ethtype: "ip", dst_mac: "02:00:00:00:00:01",
            src_mac: "02:00:00:00:00:00/ff:ff:ff:00:00:00", classid: "1:1" },
        ),
        (
            "tc filter add dev lo parent ffff: protocol ip prio 15 flower ct_state +trk+est-new ct_zone 5 ct_mark 7/0xff ip_tos 0x10/0xfc ip_ttl 64 classid 1:1",
            "flower",
            zero.clone(),
            kw! { parent: "ffff:", protocol: "ip", prio: 15, ct_state: "+trk+est-new",
            ct_zone: 5, ct_mark: "7/0xff", ip_tos: "0x10/0xfc", ip_ttl: 64, classid: "1:1" },
        ),
        (
            "tc filter add dev lo parent ffff: protocol ip prio 16 flower enc_key_id 42 enc_src_ip 192.0.2.1 enc_dst_ip 192.0.2.2 enc_dst_port 4789 skip_sw classid 1:1",
            "flower",
            zero.clone(),
            kw! { parent: "ffff:", protocol: "ip", prio: 16, enc_key_id: 42,
            enc_src_ip: "192.0.2.1", enc_dst_ip: "192.0.2.2", enc_dst_port: 4789,
            skip_sw: true, classid: "1:1" },
        ),
        (
            "tc filter add dev lo parent ffff: protocol ip prio 17 flower ip_proto tcp tcp_flags 0x02/0x12 classid 1:1",
            "flower",
            zero.clone(),
            kw! { parent: "ffff:", protocol: "ip", prio: 17, ip_proto: "tcp",
            tcp_flags: "0x02/0x12", classid: "1:1" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 18 basic match 'cmp(u8 at 9 layer network eq 6)' classid 1:10",
            "basic",
            zero.clone(),
            kw! { parent: "1:", protocol: "ip", prio: 18,
            r#match: "cmp(u8 at 9 layer network eq 6)", classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 19 basic match 'meta(priority eq 5) and not u32(u16 0x50 0xffff at 22)' classid 1:10",
            "basic",
            zero.clone(),
            kw! { parent: "1:", protocol: "ip", prio: 19,
            r#match: "meta(priority eq 5) and not u32(u16 0x50 0xffff at 22)", classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 20 basic match 'cmp(u16 at 2 layer transport gt 1023) or meta(nf_mark mask 0xff eq 3)' classid 1:10",
            "basic",
            zero.clone(),
            kw! { parent: "1:", protocol: "ip", prio: 20,
            r#match: "cmp(u16 at 2 layer transport gt 1023) or meta(nf_mark mask 0xff eq 3)",
            classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 21 chain 3 matchall classid 1:10",
            "matchall",
            zero.clone(),
            kw! { parent: "1:", protocol: "ip", prio: 21, chain: 3, classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent ffff: protocol ip prio 22 flower indev lo src_ip 192.168.1.1 dst_ip 10.0.0.0/8 ip_proto sctp src_port 5000 dst_port 6000-7000 classid 1:2",
            "flower",
            zero.clone(),
            kw! { parent: "ffff:", protocol: "ip", prio: 22, indev: "lo", src_ip: "192.168.1.1",
            dst_ip: "10.0.0.0/8", ip_proto: "sctp", src_port: 5000, dst_port: "6000-7000",
            classid: "1:2" },
        ),
        (
            "tc filter add dev lo parent ffff: protocol ip prio 23 flower ip_proto 3a enc_src_ip 2001:db8::1 enc_dst_ip 2001:db8::/64 enc_tos 0x10/0xff enc_ttl 64 skip_sw",
            "flower",
            zero.clone(),
            kw! { parent: "ffff:", protocol: "ip", prio: 23, ip_proto: 58,
            enc_src_ip: "2001:db8::1", enc_dst_ip: "2001:db8::/64", enc_tos: "0x10/0xff",
            enc_ttl: 64, skip_sw: true },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 24 flow hash keys nfct-src,mark,rxhash perturb 10 divisor 256 baseclass 1:1",
            "flow",
            zero.clone(),
            kw! { parent: "1:", protocol: "ip", prio: 24, keys: "nfct-src,mark,rxhash",
            perturb: 10, divisor: 256, baseclass: "1:1" },
        ),
        (
            "tc filter add dev lo parent 1: prio 25 basic match 'not cmp(u32 at 0 layer link mask 0xff00 trans lt 10) and meta(rt_iif shift 2 gt 1)' classid 1:10",
            "basic",
            zero.clone(),
            kw! { parent: "1:", prio: 25,
            r#match: "not cmp(u32 at 0 layer link mask 0xff00 trans lt 10) and meta(rt_iif shift 2 gt 1)",
            classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 26 route to 1 from 2 classid 1:5",
            "route",
            zero.clone(),
            kw! { parent: "1:", protocol: "ip", prio: 26, to: 1, from: 2, classid: "1:5" },
        ),
        (
            "tc filter del dev lo parent ffff: protocol ip prio 12 flower",
            "del-filter flower",
            zero.clone(),
            kw! { parent: "ffff:", protocol: "ip", prio: 12 },
        ),
        (
            "tc filter del dev lo parent 1: protocol ip prio 18 basic",
            "del-filter basic",
            zero.clone(),
            kw! { parent: "1:", protocol: "ip", prio: 18 },
        ),
        (
            "tc filter del dev lo parent 1: protocol ip prio 10 bpf",
            "del-filter bpf",
            zero.clone(),
            kw! { parent: "1:", protocol: "ip", prio: 10 },
        ),
        (
            "tc filter add dev lo parent ffff: protocol ip prio 27 flower ip_proto icmp type 8 code 0 classid 1:1",
            "flower",
            zero.clone(),
            kw! { parent: "ffff:", protocol: "ip", prio: 27, ip_proto: "icmp", r#type: 8, code: 0,
            classid: "1:1" },
        ),
        (
            "tc filter add dev lo parent ffff: protocol ipv6 prio 28 flower ip_proto icmpv6 type 128 classid 1:1",
            "flower",
            zero.clone(),
            kw! { parent: "ffff:", protocol: "ipv6", prio: 28, ip_proto: "icmpv6", r#type: 128,
            classid: "1:1" },
        ),
    ]
}

#[test]
fn every_filter_command_matches_tc_byte_for_byte() {
    let caps = captures();
    let ours = ours();
    assert_eq!(caps.len(), ours.len(), "one request of ours per command");
    let mut bad = Vec::new();
    for ((cmd, want), (ocmd, kind, handle, args)) in caps.iter().zip(ours) {
        assert_eq!(cmd, ocmd, "the tables are in the same order");
        let mut b = IPBatch::new();
        // `kind` is the kind, or "del-filter KIND" for a delete.
        let (cmd, kind) = kind.split_once(' ').unwrap_or(("add-filter", kind));
        if let Err(e) = b.tc(cmd, kind, 1, handle, args) {
            bad.push(format!("{cmd}: {e}"));
            continue;
        }
        let got = b.bytes().to_vec();
        if got != *want {
            bad.push(format!(
                "{cmd}\nours:\n{}\ntc:\n{}",
                common::show(&got),
                common::show(want)
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n\n"));
}

#[test]
fn bad_filter_input_is_an_arg_error_naming_the_keyword() {
    let err = |kind: &str, a: Args| -> rtnl_api::ArgError {
        match IPBatch::new().tc("add-filter", kind, 1, 0, a).unwrap_err() {
            rtnl_api::Error::Arg(e) => e,
            e => panic!("{kind}: not an ArgError: {e}"),
        }
    };
    // An unknown flower key lists the keys flower has.
    let e = err("flower", kw! { dst_ip: "10.0.0.1", dst_prot: 80 });
    assert_eq!(e.name, "dst_prot");
    for k in [
        "dst_port",
        "src_ip",
        "ct_state",
        "vlan_id",
        "enc_key_id",
        "tcp_flags",
    ] {
        assert!(e.reason.contains(k), "{e}");
    }
    let e = err("flower", kw! { dst_port: 80 });
    assert!(e.name == "dst_port" && e.reason.contains("ip_proto"), "{e}");
    let e = err("flower", kw! { dst_ip: "10.0.0.300/24" });
    assert_eq!(e.name, "dst_ip");
    let e = err("flower", kw! { ct_state: "+trk+bogus" });
    assert!(
        e.reason.contains("bogus") && e.reason.contains("est"),
        "{e}"
    );
    let e = err("flower", kw! { skip_hw: true, skip_sw: true });
    assert!(e.reason.contains("exclusive"), "{e}");
    let e = err("flower", kw! { ip_proto: "tcp", src_port: "2000-1000" });
    assert_eq!(e.name, "src_port");
    // bpf: a count that does not match, neither bytecode nor fd, both.
    let e = err("bpf", kw! { bytecode: "2,6 0 0 0," });
    assert!(e.name == "bytecode" && e.reason.contains("2"), "{e}");
    let e = err("bpf", kw! { bytecode: "1,6 0 x 0," });
    assert_eq!(e.name, "bytecode");
    let e = err("bpf", kw! { classid: "1:1" });
    assert_eq!(e.name, "bytecode");
    let e = err("bpf", kw! { fd: 3, bytecode: "1,6 0 0 0," });
    assert_eq!(e.name, "bytecode");
    // basic: unknown ematch, meta name, missing operator, dangling relation, groups.
    for (m, needle) in [
        ("nbyte(\"x\" at 0)", "cmp, meta or u32"),
        ("meta(colour eq 1)", "priority"),
        ("cmp(u8 at 9 layer network 6)", "eq|gt|lt"),
        ("cmp(u8 at 9 eq 6) and", "ends with"),
        ("(cmp(u8 at 9 eq 6))", "parentheses"),
        ("u32(u16 0x50 0xffff at 23)", "crosses"),
    ] {
        let e = err("basic", kw! { r#match: m });
        assert!(e.name == "match" && e.reason.contains(needle), "{m}: {e}");
    }
    // flow: unknown key, map mode with two keys; route: from and fromif.
    let e = err("flow", kw! { keys: "src,colour" });
    assert!(e.reason.contains("proto-dst"), "{e}");
    let e = err("flow", kw! { mode: "map", keys: "src,dst" });
    assert!(e.reason.contains("one key"), "{e}");
    let e = err("route", kw! { from: 1, fromif: 1 });
    assert_eq!(e.name, "fromif");
    let e = IPBatch::new()
        .tc("add-filter", "fw", 1, "6/0xff", kw! { mask: 0xf })
        .unwrap_err();
    assert!(e.to_string().contains("not both"), "{e}");
    let e = err("matchall", kw! { colour: 1 });
    assert!(e.name == "colour" && e.reason.contains("skip_hw"), "{e}");
}

#[test]
fn every_captured_filter_decodes_as_its_kind() {
    use rtnl_api::generated::{TcMsg, TcOptions};
    for (cmd, m) in captures() {
        let msg = TcMsg::parse(&m[16..]).unwrap_or_else(|e| panic!("{cmd}: {e}"));
        let opts = msg.options().unwrap_or_else(|e| panic!("{cmd}: {e}"));
        let kind = ["matchall", "fw", "route", "flow", "bpf", "flower", "basic"]
            .into_iter()
            .find(|k| cmd.split_whitespace().any(|w| w == *k))
            .unwrap();
        let ok = match (&opts, kind) {
            (None, _) => cmd.contains(" del "),
            (Some(TcOptions::Matchall(_)), "matchall") => true,
            (Some(TcOptions::Fw(_)), "fw") => true,
            (Some(TcOptions::Route(r)), "route") => r.classid().unwrap().is_some(),
            (Some(TcOptions::Flow(f)), "flow") => f.keys().unwrap().is_some(),
            (Some(TcOptions::Bpf(_)), "bpf") => true,
            (Some(TcOptions::Flower(f)), "flower") => f.flags().unwrap().is_some(),
            (Some(TcOptions::Basic(b)), "basic") => b.ematches().unwrap().is_some(),
            _ => false,
        };
        assert!(ok, "{cmd}: decoded as {opts:?}");
    }
}
