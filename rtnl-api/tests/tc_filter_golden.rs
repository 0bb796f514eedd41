//! Golden bytes for the classifiers (matchall, fw, route, flow, bpf, flower, basic, and u32's
//! selector words beyond tc_golden's): `IPBatch::tc` against what `tc` (iproute2 6.1) sends for the same command, byte for
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
    .into_iter()
    .chain(u32_ours())
    .collect()
}

/// u32's selector words: `(tc command, "u32", handle, keywords)` as [`ours`].
fn u32_ours() -> Vec<(&'static str, &'static str, Value, Args)> {
    let zero = || Value::Int(0);
    let gact = |v: &str| -> Args {
        kw! { kind: "gact", action: v }
    };
    vec![
        (
            "tc filter add dev lo parent 1: protocol ipv6 prio 30 u32 match ip6 dst 2001:db8::/32 flowid 1:1",
            "u32",
            zero(),
            kw! { parent: "1:", protocol: "ipv6", prio: 30, r#match: "ip6 dst 2001:db8::/32", flowid: "1:1" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ipv6 prio 31 u32 match ip6 src 2001:db8:1:2::/64 match ip6 dst 2001:db8::1 classid 1:10",
            "u32",
            zero(),
            kw! { parent: "1:", protocol: "ipv6", prio: 31,
            r#match: vec!["ip6 src 2001:db8:1:2::/64", "ip6 dst 2001:db8::1"], classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ipv6 prio 32 u32 match ip6 src 2001:db8:f::/45 match ip6 protocol 6 0xff match ip6 dport 443 0xffff match ip6 sport 1024 fc00 classid 1:10",
            "u32",
            zero(),
            kw! { parent: "1:", protocol: "ipv6", prio: 32,
            r#match: vec!["ip6 src 2001:db8:f::/45", "ip6 protocol 6 0xff", "ip6 dport 443 0xffff",
                "ip6 sport 1024 fc00"], classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ipv6 prio 33 u32 match ip6 priority 0x10 0xff match ip6 flowlabel 0x12345 0xfffff classid 1:10",
            "u32",
            zero(),
            kw! { parent: "1:", protocol: "ipv6", prio: 33,
            r#match: vec!["ip6 priority 0x10 0xff", "ip6 flowlabel 0x12345 0xfffff"], classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ipv6 prio 34 u32 match ip6 icmp_type 128 0xff match ip6 icmp_code 0 ff classid 1:10",
            "u32",
            zero(),
            kw! { parent: "1:", protocol: "ipv6", prio: 34,
            r#match: vec!["ip6 icmp_type 128 0xff", "ip6 icmp_code 0 ff"], classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 35 u32 match ip ihl 5 0x0f match ip icmp_type 8 0xff match ip icmp_code 0 0xff match ip precedence 0xa0 0xe0 classid 1:10",
            "u32",
            zero(),
            kw! { parent: "1:", protocol: "ip", prio: 35,
            r#match: vec!["ip ihl 5 0x0f", "ip icmp_type 8 0xff", "ip icmp_code 0 0xff",
                "ip precedence 0xa0 0xe0"], classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 36 u32 match ip nofrag match ip protocol 17 0xff classid 1:10",
            "u32",
            zero(),
            kw! { parent: "1:", protocol: "ip", prio: 36,
            r#match: vec!["ip nofrag", "ip protocol 17 0xff"], classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 37 u32 match ip firstfrag classid 1:10",
            "u32",
            zero(),
            kw! { parent: "1:", protocol: "ip", prio: 37, r#match: "ip firstfrag", classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 38 u32 match ip df match ip mf match ip dsfield 0x10 0xfc classid 1:10",
            "u32",
            zero(),
            kw! { parent: "1:", protocol: "ip", prio: 38,
            r#match: vec!["ip df", "ip mf", "ip dsfield 0x10 0xfc"], classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 39 u32 match ip protocol 6 0xff match tcp dst 80 0xffff match tcp src 1024 0xffff classid 1:10",
            "u32",
            zero(),
            kw! { parent: "1:", protocol: "ip", prio: 39,
            r#match: vec!["ip protocol 6 0xff", "tcp dst 80 0xffff", "tcp src 1024 0xffff"],
            classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 40 u32 match ip protocol 17 0xff match udp src 53 0xffff classid 1:10",
            "u32",
            zero(),
            kw! { parent: "1:", protocol: "ip", prio: 40,
            r#match: vec!["ip protocol 17 0xff", "udp src 53 0xffff"], classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 41 u32 match ip protocol 1 0xff match icmp type 8 0xff match icmp code 0 0xff classid 1:10",
            "u32",
            zero(),
            kw! { parent: "1:", protocol: "ip", prio: 41,
            r#match: vec!["ip protocol 1 0xff", "icmp type 8 0xff", "icmp code 0 0xff"],
            classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 42 u32 match mark 0x10 0xff classid 1:10",
            "u32",
            zero(),
            kw! { parent: "1:", protocol: "ip", prio: 42, r#match: "mark 0x10 0xff", classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 43 u32 match ip src 10.0.0.0/8 match mark 5 0xff flowid 1:1",
            "u32",
            zero(),
            kw! { parent: "1:", protocol: "ip", prio: 43,
            r#match: vec!["ip src 10.0.0.0/8", "mark 5 0xff"], flowid: "1:1" },
        ),
        (
            "tc filter add dev lo parent 1: protocol all prio 44 u32 match ether src 02:00:00:00:00:01 match ether dst 02:00:00:00:0a:0b classid 1:10",
            "u32",
            zero(),
            kw! { parent: "1:", protocol: "all", prio: 44,
            r#match: vec!["ether src 02:00:00:00:00:01", "ether dst 02:00:00:00:0a:0b"],
            classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 45 u32 match u8 6 ff at 9 match u16 0x1234 0xffff at nexthdr+2 match u32 0x1 0x1 at -4 match u32 0x5 0xf at nexthdr+ 8 classid 1:10",
            "u32",
            zero(),
            kw! { parent: "1:", protocol: "ip", prio: 45,
            r#match: vec!["u8 6 ff at 9", "u16 0x1234 0xffff at nexthdr+2", "u32 0x1 0x1 at -4",
                "u32 0x5 0xf at nexthdr+ 8"], classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 46 u32 match ip src 10.0.0.1/32 at 12 match ip dst 0.0.0.0/0 classid 1:10",
            "u32",
            zero(),
            kw! { parent: "1:", protocol: "ip", prio: 46,
            r#match: vec!["ip src 10.0.0.1/32 at 12", "ip dst 0.0.0.0/0"], classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 47 handle 1: u32 divisor 256",
            "u32",
            Value::from("1:"),
            kw! { parent: "1:", protocol: "ip", prio: 47, divisor: 256 },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 47 u32 ht 800:: match ip protocol 6 0xff offset at 0 mask 0f00 shift 6 eat hashkey mask 0x000000ff at 20 link 1:",
            "u32",
            zero(),
            kw! { parent: "1:", protocol: "ip", prio: 47, ht: "800::", r#match: "ip protocol 6 0xff",
            offset: "at 0 mask 0f00 shift 6 eat", hashkey: "mask 0x000000ff at 20", link: "1:" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 48 u32 match ip protocol 17 0xff offset plus 20 eat link 1: classid 1:10",
            "u32",
            zero(),
            kw! { parent: "1:", protocol: "ip", prio: 48, r#match: "ip protocol 17 0xff",
            offset: "plus 20 eat", link: "1:", classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 49 u32 ht 1: sample ip src 10.0.0.5/32 divisor 256 match ip src 10.0.0.5/32 classid 1:10",
            "u32",
            zero(),
            kw! { parent: "1:", protocol: "ip", prio: 49, ht: "1:",
            sample: "ip src 10.0.0.5/32 divisor 256", r#match: "ip src 10.0.0.5/32", classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 50 u32 ht 1: sample ip protocol 6 0xff match ip protocol 6 0xff classid 1:10",
            "u32",
            zero(),
            kw! { parent: "1:", protocol: "ip", prio: 50, ht: "1:", sample: "ip protocol 6 0xff",
            r#match: "ip protocol 6 0xff", classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 51 handle 800::7 u32 order 7 match ip dst 10.0.0.7/32 classid 1:10",
            "u32",
            Value::from("800::7"),
            kw! { parent: "1:", protocol: "ip", prio: 51, order: 7, r#match: "ip dst 10.0.0.7/32",
            classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 52 handle 800:: u32 order 9 match ip dst 10.0.0.9/32 classid 1:10",
            "u32",
            Value::from("800::"),
            kw! { parent: "1:", protocol: "ip", prio: 52, order: 9, r#match: "ip dst 10.0.0.9/32",
            classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 53 u32 match ip dst 10.0.0.1/32 skip_sw classid 1:10",
            "u32",
            zero(),
            kw! { parent: "1:", protocol: "ip", prio: 53, r#match: "ip dst 10.0.0.1/32", skip_sw: true,
            classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent ffff: protocol ip prio 54 u32 match ip src 10.0.0.1/32 police rate 1mbit burst 10k conform-exceed drop",
            "u32",
            zero(),
            kw! { parent: "ffff:", protocol: "ip", prio: 54, r#match: "ip src 10.0.0.1/32",
            police: kw! { rate: "1mbit", burst: "10k", conform_exceed: "drop" } },
        ),
        (
            "tc filter add dev lo parent ffff: protocol ip prio 55 u32 match ip src 10.0.0.2/32 action gact pass action gact drop",
            "u32",
            zero(),
            kw! { parent: "ffff:", protocol: "ip", prio: 55, r#match: "ip src 10.0.0.2/32",
            action: vec![gact("pass"), gact("drop")] },
        ),
        (
            "tc filter add dev lo parent ffff: protocol ip prio 56 u32 indev lo match ip src 10.0.0.3/32 classid 1:1",
            "u32",
            zero(),
            kw! { parent: "ffff:", protocol: "ip", prio: 56, indev: "lo",
            r#match: "ip src 10.0.0.3/32", classid: "1:1" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ipv6 prio 57 u32 match ip6 dst ::/0 classid 1:10",
            "u32",
            zero(),
            kw! { parent: "1:", protocol: "ipv6", prio: 57, r#match: "ip6 dst ::/0", classid: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 58 u32 classid 1:10 match mark 3 0x3 sample ip dst 10.0.0.17/32 divisor 16 ht 2: match ip dst 10.0.0.17/32",
            "u32",
            zero(),
            kw! { parent: "1:", protocol: "ip", prio: 58, classid: "1:10",
            r#match: vec!["mark 3 0x3", "ip dst 10.0.0.17/32"],
            sample: "ip dst 10.0.0.17/32 divisor 16", ht: "2:" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 20 handle 20 flow map key mark and 0xff rshift 4 divisor 256 baseclass 1:10",
            "flow",
            Value::Int(20),
            kw! { parent: "1:", protocol: "ip", prio: 20, mode: "map", key: "mark", and: 0xff,
            rshift: 4, divisor: 256, baseclass: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 21 handle 21 flow map key dst xor 0xff divisor 256 baseclass 1:10",
            "flow",
            Value::Int(21),
            kw! { parent: "1:", protocol: "ip", prio: 21, mode: "map", key: "dst", xor: 0xff,
            divisor: 256, baseclass: "1:10" },
        ),
        (
            // pyroute2's ops form of tc's `addend -192.168.0.0`.
            "tc filter add dev lo parent 1: protocol ip prio 22 handle 22 flow map key src divisor 256 baseclass 1:10 addend -192.168.0.0",
            "flow",
            Value::Int(22),
            kw! { parent: "1:", protocol: "ip", prio: 22, mode: "map", key: "src",
            ops: vec![Value::from(kw! { op: "addend", num: "-192.168.0.0" })],
            divisor: 256, baseclass: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 23 handle 23 flow map key dst or 0xf0 and 0xff divisor 256 baseclass 1:10",
            "flow",
            Value::Int(23),
            kw! { parent: "1:", protocol: "ip", prio: 23, mode: "map", key: "dst", or: 0xf0,
            and: 0xff, divisor: 256, baseclass: "1:10" },
        ),
        (
            "tc filter add dev lo parent 1: protocol ip prio 25 basic match 'meta(nf_mark mask 0xffff eq 0x1337)' classid 1:10",
            "basic",
            zero(),
            kw! { parent: "1:", protocol: "ip", prio: 25,
            r#match: "meta(nf_mark mask 0xffff eq 0x1337)", classid: "1:10" },
        ),
    ]
}

/// `m` with the `success` field of a u32 filter's TCA_U32_MARK zeroed: tc leaves it
/// uninitialised (stack garbage in f_u32.c's parse_mark; the kernel reads only val and mask),
/// we send 0.
fn without_mark_success(m: &[u8]) -> Vec<u8> {
    let mut m = m.to_vec();
    let attrs = |b: &[u8], at: usize| -> Vec<(u16, usize, usize)> {
        let mut out = Vec::new();
        let mut i = at;
        while i + 4 <= b.len() {
            let len = u16::from_ne_bytes([b[i], b[i + 1]]) as usize;
            let ty = u16::from_ne_bytes([b[i + 2], b[i + 3]]) & 0x3fff;
            if len < 4 {
                break;
            }
            out.push((ty, i + 4, i + len));
            i += (len + 3) & !3;
        }
        out
    };
    // TCA_OPTIONS (2) of the tcmsg (16 + 20 bytes in), TCA_U32_MARK (10) in it.
    for (ty, start, end) in attrs(&m, 36) {
        if ty != 2 {
            continue;
        }
        for (ty, s, e) in attrs(&m[..end], start) {
            if ty == 10 && e - s == 12 {
                m[s + 8..s + 12].fill(0);
            }
        }
    }
    m
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
        let want = &without_mark_success(want);
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
        ("nbyte(\"x\" at 0)", "cmp, meta, u32 or ipset"),
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
    // u32: a malformed match, a prefix out of range, a word u32 does not have, a link to a
    // node, a divisor not a power of two, an order that contradicts the handle, police's.
    for (a, name, needle) in [
        (kw! { r#match: "ip dport 80" }, "match", "mask is missing"),
        (kw! { r#match: "ip6 dst 2001:db8::/130" }, "match", "130"),
        (kw! { r#match: "tcp port 80 0xffff" }, "match", "src, dst"),
        (
            kw! { r#match: "ip src 10.0.0.1", colour: 1 },
            "colour",
            "classid",
        ),
        (kw! { link: "1:0:5" }, "link", "not a node"),
        (kw! { link: "800" }, "link", "no colon"),
        (kw! { divisor: 3 }, "divisor", "power of two"),
        (kw! { offset: "at 3" }, "offset", "even"),
        (kw! { sample: "ip6 dst 2001:db8::/64" }, "sample", "one key"),
        (
            kw! { indev: "a-name-much-too-long" },
            "indev",
            "device name",
        ),
        (
            kw! { police: kw! { rate: "1mbit", burst: "10k", colour: 1 } },
            "police.colour",
            "conform_exceed",
        ),
    ] {
        let e = err("u32", a);
        assert!(e.name == name && e.reason.contains(needle), "{e}");
    }
    let e = IPBatch::new()
        .tc("add-filter", "u32", 1, "800::5", kw! { order: 6 })
        .unwrap_err();
    assert!(e.to_string().contains("contradicts"), "{e}");
}

#[test]
fn every_captured_filter_decodes_as_its_kind() {
    use rtnl_api::generated::{TcMsg, TcOptions};
    for (cmd, m) in captures() {
        let msg = TcMsg::parse(&m[16..]).unwrap_or_else(|e| panic!("{cmd}: {e}"));
        let opts = msg.options().unwrap_or_else(|e| panic!("{cmd}: {e}"));
        let kind = [
            "matchall", "fw", "route", "flow", "bpf", "flower", "basic", "u32",
        ]
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
            (Some(TcOptions::U32(u)), "u32") => {
                u.sel().unwrap().is_some() || u.divisor().unwrap().is_some()
            }
            _ => false,
        };
        assert!(ok, "{cmd}: decoded as {opts:?}");
    }
}
