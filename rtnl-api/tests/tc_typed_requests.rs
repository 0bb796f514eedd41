//! The typed tc form (`rtnl_api::typed::tc`) and the keyword form (`tc(cmd, kind, index,
//! handle, kw)`, `tc_action`) compile to the same bytes, kind by kind (`IPBatch`, no root
//! needed); where `tc` itself was captured for the same command (golden/*_requests.txt, dev
//! lo is ifindex 1), the typed bytes are also tc's. And the typed form drives a real kernel.

mod common;

use rtnl_api::tc::TcHandle;
use rtnl_api::typed::tc::{
    Basic, Cake, Chain, Class, Csum, Ct, Filter, Flower, FqCodel, Gact, Htb, Ife, Matchall, Mirred,
    Nat, Netem, Pedit, Police, Qdisc, Tbf, U32, U32Match,
};
use rtnl_api::{IPBatch, Value, kw};

/// Every captured tc command and its one message.
fn captures() -> Vec<(String, Vec<u8>)> {
    [
        include_str!("golden/tc_requests.txt"),
        include_str!("golden/tc_qdisc2_requests.txt"),
        include_str!("golden/tc_filter_requests.txt"),
        include_str!("golden/tc_act_requests.txt"),
    ]
    .into_iter()
    .flat_map(common::captures)
    .collect()
}

/// The typed request and the keyword request give the same bytes; and tc's, when `tc` was
/// captured saying `what`.
fn same(what: &str, typed: impl FnOnce(&mut IPBatch), keyword: impl FnOnce(&mut IPBatch)) {
    let (mut t, mut k) = (IPBatch::new(), IPBatch::new());
    typed(&mut t);
    keyword(&mut k);
    assert!(!k.bytes().is_empty(), "{what}");
    assert!(
        t.bytes() == k.bytes(),
        "{what}: typed and keyword bytes differ\ntyped:\n{}\nkeyword:\n{}",
        common::show(t.bytes()),
        common::show(k.bytes())
    );
    // A `what` that says a tc command names a captured one (a typo would skip the check).
    let cap = captures().into_iter().find(|(c, _)| c == what);
    assert_eq!(
        cap.is_some(),
        what.starts_with("tc "),
        "{what}: not a captured tc command"
    );
    if let Some((_, want)) = cap {
        assert!(
            t.bytes() == want.as_slice(),
            "{what}: typed bytes are not tc's\ntyped:\n{}\ntc:\n{}",
            common::show(t.bytes()),
            common::show(&want)
        );
    }
}

fn list(items: &[&str]) -> Value {
    Value::List(items.iter().map(|s| Value::from(*s)).collect())
}

#[test]
fn htb_qdisc_and_class() {
    same(
        "tc qdisc add dev lo root handle 1: htb default 10 r2q 5 direct_qlen 100",
        |b| {
            b.qdisc_add(
                Qdisc::on(1)
                    .handle("1:")
                    .kind(Htb::qdisc().default(0x10).r2q(5).direct_qlen(100)),
            )
            .unwrap()
        },
        |b| {
            b.tc(
                "add",
                "htb",
                1,
                "1:",
                kw! { default: "10", r2q: 5, direct_qlen: 100 },
            )
            .unwrap()
        },
    );
    same(
        "tc class add dev lo parent 1: classid 1:10 htb rate 5mbit ceil 10mbit",
        |b| {
            b.class_add(
                Class::on(1)
                    .handle("1:10")
                    .parent("1:")
                    .kind(Htb::class().rate("5mbit").ceil("10mbit")),
            )
            .unwrap()
        },
        |b| {
            b.tc(
                "add-class",
                "htb",
                1,
                "1:10",
                kw! { parent: "1:", rate: "5mbit", ceil: "10mbit" },
            )
            .unwrap()
        },
    );
    same(
        "tc class add dev lo parent 1: classid 1:20 htb rate 1mbit burst 15k prio 2 quantum 1500 mtu 9000 mpu 64 overhead 4 linklayer atm",
        |b| {
            b.class_add(
                Class::on(1).handle(TcHandle(0x10020)).parent("1:").kind(
                    Htb::class()
                        .rate("1mbit")
                        .burst("15k")
                        .prio(2)
                        .quantum(1500)
                        .mtu(9000u32)
                        .mpu(64u32)
                        .overhead(4)
                        .linklayer("atm"),
                ),
            )
            .unwrap()
        },
        |b| {
            b.tc(
                "add-class",
                "htb",
                1,
                "1:20",
                kw! { parent: "1:", rate: "1mbit", burst: "15k", prio: 2, quantum: 1500, mtu: 9000,
                mpu: 64, overhead: 4, linklayer: "atm" },
            )
            .unwrap()
        },
    );
    // A rate as bytes/s (pyroute2's integer) is the same rate as tc's word.
    same(
        "class change, rate in bytes/s",
        |b| {
            b.class_change(
                Class::on(1)
                    .handle("1:10")
                    .parent("1:")
                    .kind(Htb::class().rate(750_000u64)),
            )
            .unwrap()
        },
        |b| {
            b.tc(
                "change-class",
                "htb",
                1,
                "1:10",
                kw! { parent: "1:", rate: "6mbit" },
            )
            .unwrap()
        },
    );
    same(
        "tc qdisc del dev lo root handle 1: htb",
        |b| {
            b.qdisc_del(Qdisc::on(1).handle("1:").kind(Htb::qdisc()))
                .unwrap()
        },
        |b| b.tc("del", "htb", 1, "1:", kw! {}).unwrap(),
    );
}

#[test]
fn tbf_netem_fq_codel_cake() {
    same(
        "tc qdisc add dev lo root tbf rate 1mbit burst 32kbit latency 400ms",
        |b| {
            b.qdisc_add(
                Qdisc::on(1).kind(Tbf::qdisc().rate("1mbit").burst("32kbit").latency("400ms")),
            )
            .unwrap()
        },
        |b| {
            b.tc(
                "add",
                "tbf",
                1,
                0,
                kw! { rate: "1mbit", burst: "32kbit", latency: "400ms" },
            )
            .unwrap()
        },
    );
    same(
        "tc qdisc add dev lo root tbf rate 10mbit burst 10kb limit 3000 peakrate 20mbit mtu 1540",
        |b| {
            b.qdisc_add(
                Qdisc::on(1).kind(
                    Tbf::qdisc()
                        .rate("10mbit")
                        .burst("10kb")
                        .limit(3000u32)
                        .peakrate("20mbit")
                        .mtu(1540u32),
                ),
            )
            .unwrap()
        },
        |b| {
            b.tc(
                "add",
                "tbf",
                1,
                0,
                kw! { rate: "10mbit", burst: "10kb", limit: 3000, peakrate: "20mbit", mtu: 1540 },
            )
            .unwrap()
        },
    );
    same(
        "tc qdisc add dev lo root netem delay 100ms 10ms loss 1% corrupt 0.1%",
        |b| {
            b.qdisc_add(
                Qdisc::on(1).kind(
                    Netem::qdisc()
                        .delay("100ms")
                        .jitter("10ms")
                        .loss("1%")
                        .corrupt("0.1%"),
                ),
            )
            .unwrap()
        },
        |b| {
            b.tc(
                "add",
                "netem",
                1,
                0,
                kw! { delay: "100ms", jitter: "10ms", loss: "1%", corrupt: "0.1%" },
            )
            .unwrap()
        },
    );
    same(
        "tc qdisc add dev lo root netem delay 10ms duplicate 1% limit 2000",
        |b| {
            b.qdisc_add(
                Qdisc::on(1).kind(Netem::qdisc().delay(10_000u32).duplicate("1%").limit(2000)),
            )
            .unwrap()
        },
        |b| {
            b.tc(
                "add",
                "netem",
                1,
                0,
                kw! { delay: "10ms", duplicate: "1%", limit: 2000 },
            )
            .unwrap()
        },
    );
    same(
        "tc qdisc add dev lo root fq_codel limit 1000 target 5ms interval 100ms ecn ce_threshold 2ms",
        |b| {
            b.qdisc_add(
                Qdisc::on(1).kind(
                    FqCodel::qdisc()
                        .limit(1000)
                        .target("5ms")
                        .interval("100ms")
                        .ecn()
                        .ce_threshold("2ms"),
                ),
            )
            .unwrap()
        },
        |b| {
            b.tc(
                "add",
                "fq_codel",
                1,
                0,
                kw! { limit: 1000, target: "5ms", interval: "100ms", ecn: true, ce_threshold: "2ms" },
            )
            .unwrap()
        },
    );
    same(
        "tc qdisc add dev lo root cake bandwidth 100mbit rtt 50ms diffserv4 triple-isolate nat wash ack-filter overhead 18 mpu 64 memlimit 32mb",
        |b| {
            b.qdisc_add(
                Qdisc::on(1).kind(
                    Cake::qdisc()
                        .bandwidth("100mbit")
                        .rtt("50ms")
                        .diffserv4()
                        .triple_isolate()
                        .nat()
                        .wash()
                        .ack_filter()
                        .overhead(18)
                        .mpu(64)
                        .memlimit("32mb"),
                ),
            )
            .unwrap()
        },
        |b| {
            b.tc(
                "add",
                "cake",
                1,
                0,
                kw! { bandwidth: "100mbit", rtt: "50ms", diffserv4: true, triple_isolate: true,
                nat: true, wash: true, ack_filter: true, overhead: 18, mpu: 64, memlimit: "32mb" },
            )
            .unwrap()
        },
    );
    same(
        "tc qdisc add dev lo root cake bandwidth 10mbit ptm dual-srchost ack-filter-aggressive fwmark 0xff",
        |b| {
            b.qdisc_add(
                Qdisc::on(1).kind(
                    Cake::qdisc()
                        .bandwidth("10mbit")
                        .ptm()
                        .dual_srchost()
                        .ack_filter_aggressive()
                        .fwmark(0xff),
                ),
            )
            .unwrap()
        },
        |b| {
            b.tc(
                "add",
                "cake",
                1,
                0,
                kw! { bandwidth: "10mbit", ptm: true, dual_srchost: true, ack_filter_aggressive: true, fwmark: 0xff },
            )
            .unwrap()
        },
    );
}

#[test]
fn u32_filters_with_matches_and_actions() {
    same(
        "tc filter add dev lo parent 1: protocol ip prio 1 u32 match ip dst 10.0.0.1/32 match ip dport 80 0xffff flowid 1:10",
        |b| {
            b.filter_add(
                Filter::on(1).parent("1:").protocol("ip").prio(1).kind(
                    U32::filter()
                        .match_(U32Match::ip_dst("10.0.0.1".parse().unwrap(), 32))
                        .match_("ip dport 80 0xffff")
                        .classid("1:10"),
                ),
            )
            .unwrap()
        },
        |b| {
            b.tc(
                "add-filter",
                "u32",
                1,
                0,
                kw! { parent: "1:", protocol: "ip", prio: 1,
                r#match: list(&["ip dst 10.0.0.1/32", "ip dport 80 0xffff"]), classid: "1:10" },
            )
            .unwrap()
        },
    );
    same(
        "tc filter add dev lo parent ffff: protocol ip prio 4 u32 match u32 0x0a000001 0xffffffff at 16 action mirred egress mirror dev lo",
        |b| {
            b.filter_add(
                Filter::on(1)
                    .parent("ffff:")
                    .protocol("ip")
                    .prio(4)
                    .kind(U32::filter().match_(U32Match::u32(0x0a00_0001, 0xffff_ffff, 16)))
                    .action(Mirred::action().egress_mirror().dev(1u32)),
            )
            .unwrap()
        },
        |b| {
            b.tc(
                "add-filter",
                "u32",
                1,
                0,
                kw! { parent: "ffff:", protocol: "ip", prio: 4, r#match: "u32 0x0a000001 0xffffffff at 16",
                      action: kw! { kind: "mirred", direction: "egress", action: "mirror", dev: 1 } },
            )
            .unwrap()
        },
    );
    same(
        "tc filter add dev lo parent ffff: protocol ip prio 6 u32 match u8 6 0xff at 9 action gact drop",
        |b| {
            b.filter_add(
                Filter::on(1)
                    .parent("ffff:")
                    .protocol("ip")
                    .prio(6)
                    // An action given before the kind still goes after its keywords.
                    .action(Gact::action().action("drop"))
                    .kind(U32::filter().match_("u8 6 0xff at 9")),
            )
            .unwrap()
        },
        |b| {
            b.tc(
                "add-filter",
                "u32",
                1,
                0,
                kw! { parent: "ffff:", protocol: "ip", prio: 6, r#match: "u8 6 0xff at 9",
                action: kw! { kind: "gact", action: "drop" } },
            )
            .unwrap()
        },
    );
}

#[test]
fn matchall_with_actions_and_chains() {
    same(
        "tc filter add dev lo parent ffff: prio 2 matchall skip_hw action gact drop",
        |b| {
            b.filter_add(
                Filter::on(1)
                    .parent("ffff:")
                    .prio(2)
                    .kind(Matchall::filter().skip_hw())
                    .action(Gact::action().action("drop")),
            )
            .unwrap()
        },
        |b| {
            b.tc(
                "add-filter",
                "matchall",
                1,
                0,
                kw! { parent: "ffff:", prio: 2, skip_hw: true,
                action: vec![Value::from(kw! { kind: "gact", action: "drop" })] },
            )
            .unwrap()
        },
    );
    // Two actions: mirror to dev 3, then redirect to dev 4 (a list, in call order).
    same(
        "matchall with mirred actions",
        |b| {
            b.filter_add(
                Filter::on(1)
                    .parent("ffff:")
                    .protocol("all")
                    .prio(5)
                    .kind(Matchall::filter().classid("1:1"))
                    .action(Mirred::action().ingress_mirror().dev(3u32))
                    .action(Mirred::action().egress_redirect().dev(4u32).index(9)),
            )
            .unwrap()
        },
        |b| {
            b.tc(
                "add-filter",
                "matchall",
                1,
                0,
                kw! { parent: "ffff:", protocol: "all", prio: 5, classid: "1:1", action: vec![
                    Value::from(kw! { kind: "mirred", direction: "ingress", action: "mirror", dev: 3 }),
                    Value::from(kw! { kind: "mirred", direction: "egress", action: "redirect", dev: 4, index: 9 }),
                ] },
            )
            .unwrap()
        },
    );
    same(
        "tc filter add dev lo parent 1: protocol ip prio 21 chain 3 matchall classid 1:10",
        |b| {
            b.filter_add(
                Filter::on(1)
                    .parent("1:")
                    .protocol("ip")
                    .prio(21)
                    .chain(3)
                    .kind(Matchall::filter().classid("1:10")),
            )
            .unwrap()
        },
        |b| {
            b.tc(
                "add-filter",
                "matchall",
                1,
                0,
                kw! { parent: "1:", protocol: "ip", prio: 21, chain: 3, classid: "1:10" },
            )
            .unwrap()
        },
    );
    for (cmd, word) in [
        ("tc chain add dev lo ingress chain 5", "add-chain"),
        ("tc chain del dev lo ingress chain 5", "del-chain"),
        ("tc chain get dev lo ingress chain 5", "get-chain"),
    ] {
        same(
            cmd,
            |b| {
                let c = Chain::on(1).parent("ffff:fff2").chain(5);
                match word {
                    "add-chain" => b.chain_add(c),
                    "del-chain" => b.chain_del(c),
                    _ => b.chain_get(c),
                }
                .unwrap()
            },
            |b| {
                b.tc(word, "", 1, 0, kw! { parent: "ffff:fff2", chain: 5 })
                    .unwrap()
            },
        );
    }
}

#[test]
fn shared_actions() {
    same(
        "tc actions add action gact pass index 6 cookie 0102aabb",
        |b| {
            b.action_add(
                Gact::action()
                    .action("pass")
                    .index(6)
                    .cookie(&[1, 2, 0xaa, 0xbb]),
            )
            .unwrap()
        },
        |b| {
            b.tc_action(
                "add",
                "gact",
                kw! { action: "pass", index: 6, cookie: "0102aabb" },
            )
            .unwrap()
        },
    );
    same(
        "tc actions add action gact pipe random determ drop 10 index 7",
        |b| {
            b.action_add(
                Gact::action()
                    .action("pipe")
                    .random("determ drop 10")
                    .index(7),
            )
            .unwrap()
        },
        |b| {
            b.tc_action(
                "add",
                "gact",
                kw! { action: "pipe", random: "determ drop 10", index: 7 },
            )
            .unwrap()
        },
    );
    same(
        "tc actions add action gact goto chain 3 index 8",
        |b| {
            b.action_add(Gact::action().action("goto chain 3").index(8))
                .unwrap()
        },
        |b| {
            b.tc_action("add", "gact", kw! { action: "goto chain 3", index: 8 })
                .unwrap()
        },
    );
    same(
        "tc actions add action mirred egress redirect dev lo index 9",
        |b| {
            b.action_add(Mirred::action().egress_redirect().dev(1u32).index(9))
                .unwrap()
        },
        |b| {
            b.tc_action(
                "add",
                "mirred",
                kw! { direction: "egress", action: "redirect", dev: 1, index: 9 },
            )
            .unwrap()
        },
    );
    same(
        "tc actions add action police rate 1mbit burst 10k conform-exceed drop/pipe index 13",
        |b| {
            b.action_add(
                Police::action()
                    .rate("1mbit")
                    .burst("10k")
                    .conform_exceed("drop/pipe")
                    .index(13),
            )
            .unwrap()
        },
        |b| {
            b.tc_action(
                "add",
                "police",
                kw! { rate: "1mbit", burst: "10k", conform_exceed: "drop/pipe", index: 13 },
            )
            .unwrap()
        },
    );
    same(
        "tc actions replace action gact continue index 5",
        |b| {
            b.action_replace(Gact::action().action("continue").index(5))
                .unwrap()
        },
        |b| {
            b.tc_action("replace", "gact", kw! { action: "continue", index: 5 })
                .unwrap()
        },
    );
    same(
        "tc actions del action gact index 5",
        |b| b.action_del(Gact::action().index(5)).unwrap(),
        |b| b.tc_action("del", "gact", kw! { index: 5 }).unwrap(),
    );
    same(
        "tc actions get action gact index 5",
        |b| b.action_get(Gact::action().index(5)).unwrap(),
        |b| b.tc_action("get", "gact", kw! { index: 5 }).unwrap(),
    );
}

/// The dumps and flushes: the keyword form's words.
#[test]
fn dumps_and_flushes() {
    same(
        "qdisc dump",
        |b| b.qdisc_dump(Qdisc::on(0)).unwrap(),
        |b| b.tc("dump", "", 0, 0, kw! {}).unwrap(),
    );
    same(
        "class dump",
        |b| b.class_dump(Class::on(2)).unwrap(),
        |b| b.tc("dump-class", "", 2, 0, kw! {}).unwrap(),
    );
    same(
        "filter dump",
        |b| b.filter_dump(Filter::on(2).parent("1:")).unwrap(),
        |b| b.tc("dump-filter", "", 2, 0, kw! { parent: "1:" }).unwrap(),
    );
    same(
        "chain dump",
        |b| b.chain_dump(Chain::on(1).parent("ffff:fff2")).unwrap(),
        |b| {
            b.tc("dump-chain", "", 1, 0, kw! { parent: "ffff:fff2" })
                .unwrap()
        },
    );
    same(
        "tc actions flush action gact",
        |b| b.action_flush(Gact::action()).unwrap(),
        |b| b.tc_action("flush", "gact", kw! {}).unwrap(),
    );
    same(
        "tc actions list action gact",
        |b| b.action_dump(Gact::action()).unwrap(),
        |b| b.tc_action("dump", "gact", kw! {}).unwrap(),
    );
}

/// The words a plugin's routine reads (schema `words`) have setters too: flower's keys,
/// basic's ematch, csum, nat, ct, pedit, ife.
#[test]
fn routine_words() {
    same(
        "tc filter add dev lo parent ffff: protocol ip prio 12 flower dst_ip 10.0.0.0/24 ip_proto tcp dst_port 80 classid 1:10",
        |b| {
            b.filter_add(
                Filter::on(1).parent("ffff:").protocol("ip").prio(12).kind(
                    Flower::filter()
                        .dst_ip("10.0.0.0/24")
                        .ip_proto("tcp")
                        .dst_port(80u32)
                        .classid("1:10"),
                ),
            )
            .unwrap()
        },
        |b| {
            b.tc(
                "add-filter",
                "flower",
                1,
                0,
                kw! { parent: "ffff:", protocol: "ip", prio: 12, dst_ip: "10.0.0.0/24",
                ip_proto: "tcp", dst_port: 80, classid: "1:10" },
            )
            .unwrap()
        },
    );
    same(
        "tc filter add dev lo parent ffff: protocol ipv6 prio 13 flower skip_hw src_ip 2001:db8::/32 ip_proto udp src_port 1000-2000 action gact drop",
        |b| {
            b.filter_add(
                Filter::on(1)
                    .parent("ffff:")
                    .protocol("ipv6")
                    .prio(13)
                    .kind(
                        Flower::filter()
                            .skip_hw()
                            .src_ip("2001:db8::/32")
                            .ip_proto("udp")
                            .src_port("1000-2000"),
                    )
                    .action(Gact::action().action("drop")),
            )
            .unwrap()
        },
        |b| {
            b.tc(
                "add-filter",
                "flower",
                1,
                0,
                kw! { parent: "ffff:", protocol: "ipv6", prio: 13, skip_hw: true,
                src_ip: "2001:db8::/32", ip_proto: "udp", src_port: "1000-2000",
                action: kw! { kind: "gact", action: "drop" } },
            )
            .unwrap()
        },
    );
    same(
        "tc filter add dev lo parent ffff: protocol ip prio 15 flower ct_state +trk+est-new ct_zone 5 ct_mark 7/0xff ip_tos 0x10/0xfc ip_ttl 64 classid 1:1",
        |b| {
            b.filter_add(
                Filter::on(1).parent("ffff:").protocol("ip").prio(15).kind(
                    Flower::filter()
                        .ct_state("+trk+est-new")
                        .ct_zone(5u32)
                        .ct_mark("7/0xff")
                        .ip_tos("0x10/0xfc")
                        .ip_ttl(64u32)
                        .classid("1:1"),
                ),
            )
            .unwrap()
        },
        |b| {
            b.tc(
                "add-filter",
                "flower",
                1,
                0,
                kw! { parent: "ffff:", protocol: "ip", prio: 15, ct_state: "+trk+est-new",
                ct_zone: 5, ct_mark: "7/0xff", ip_tos: "0x10/0xfc", ip_ttl: 64, classid: "1:1" },
            )
            .unwrap()
        },
    );
    same(
        "tc filter add dev lo parent 1: protocol ip prio 18 basic match 'cmp(u8 at 9 layer network eq 6)' classid 1:10",
        |b| {
            b.filter_add(
                Filter::on(1).parent("1:").protocol("ip").prio(18).kind(
                    Basic::filter()
                        .match_("cmp(u8 at 9 layer network eq 6)")
                        .classid("1:10"),
                ),
            )
            .unwrap()
        },
        |b| {
            b.tc(
                "add-filter",
                "basic",
                1,
                0,
                kw! { parent: "1:", protocol: "ip", prio: 18,
                r#match: "cmp(u8 at 9 layer network eq 6)", classid: "1:10" },
            )
            .unwrap()
        },
    );
    same(
        "tc actions add action csum ip4h tcp udp",
        |b| b.action_add(Csum::action().update("ip4h tcp udp")).unwrap(),
        |b| {
            b.tc_action("add", "csum", kw! { update: "ip4h tcp udp" })
                .unwrap()
        },
    );
    same(
        "tc actions add action nat ingress 10.0.0.1/32 192.168.0.1",
        |b| {
            b.action_add(
                Nat::action()
                    .direction("ingress")
                    .old("10.0.0.1/32")
                    .new_("192.168.0.1"),
            )
            .unwrap()
        },
        |b| {
            b.tc_action(
                "add",
                "nat",
                kw! { direction: "ingress", old: "10.0.0.1/32", new: "192.168.0.1" },
            )
            .unwrap()
        },
    );
    same(
        "tc actions add action ct zone 5 commit mark 1/0xff",
        |b| {
            b.action_add(Ct::action().zone(5).commit().mark("1/0xff"))
                .unwrap()
        },
        |b| {
            b.tc_action("add", "ct", kw! { zone: 5, commit: true, mark: "1/0xff" })
                .unwrap()
        },
    );
    same(
        "tc actions add action ct commit nat src addr 10.0.0.1 port 1000",
        |b| {
            b.action_add(Ct::action().commit().nat("src addr 10.0.0.1 port 1000"))
                .unwrap()
        },
        |b| {
            b.tc_action(
                "add",
                "ct",
                kw! { commit: true, nat: "src addr 10.0.0.1 port 1000" },
            )
            .unwrap()
        },
    );
    same(
        "tc actions add action pedit munge offset 13 u8 set 5 munge offset 14 u16 set 0x1234 pipe index 14",
        |b| {
            b.action_add(
                Pedit::action()
                    .munge("offset 13 u8 set 5")
                    .munge("offset 14 u16 set 0x1234")
                    .verdict("pipe")
                    .index(14),
            )
            .unwrap()
        },
        |b| {
            b.tc_action(
                "add",
                "pedit",
                kw! { munge: vec!["offset 13 u8 set 5", "offset 14 u16 set 0x1234"], verdict: "pipe", index: 14 },
            )
            .unwrap()
        },
    );
    same(
        "tc actions add action ife encode allow mark dst 00:11:22:33:44:55",
        |b| {
            b.action_add(
                Ife::action()
                    .op("encode")
                    .allow("mark")
                    .dst("00:11:22:33:44:55"),
            )
            .unwrap()
        },
        |b| {
            b.tc_action(
                "add",
                "ife",
                kw! { op: "encode", allow: "mark", dst: "00:11:22:33:44:55" },
            )
            .unwrap()
        },
    );
}

/// Every key flower's encoder takes (the list its error gives) has a setter on
/// `FlowerFilter`: the schema's `words` for flower follow the encoder's key table.
#[test]
fn every_flower_key_has_a_typed_setter() {
    let e = IPBatch::new()
        .tc("add-filter", "flower", 1, 0, kw! { bogus: 1 })
        .unwrap_err()
        .to_string();
    let keys = e.split("its keys: ").nth(1).expect(&e);
    let generated = include_str!("../src/typed/tc/generated.rs");
    let at = generated.find("impl FlowerFilter {").unwrap();
    let block = &generated[at..at + generated[at..].find("\n}\n").unwrap()];
    let mut n = 0;
    for k in keys.split(", ").map(str::trim).filter(|k| *k != "action") {
        assert!(
            block.contains(&format!("self.kw(\"{k}\"")),
            "flower key {k:?} has no FlowerFilter setter: add it to flower's `words` in schema/tcmsg.toml"
        );
        n += 1;
    }
    assert!(n > 20, "{keys}");
}

/// The typed form reports the keyword form's errors (it is the keyword form).
#[test]
fn typed_errors_are_the_keyword_errors() {
    let err = |typed: &dyn Fn(&mut IPBatch) -> rtnl_api::Result<()>,
               keyword: &dyn Fn(&mut IPBatch) -> rtnl_api::Result<()>| {
        let t = typed(&mut IPBatch::new()).unwrap_err().to_string();
        let k = keyword(&mut IPBatch::new()).unwrap_err().to_string();
        assert_eq!(t, k);
        t
    };
    let e = err(
        &|b| b.class_add(Class::on(1).handle("1:10").kind(Htb::class().ceil("1mbit"))),
        &|b| b.tc("add-class", "htb", 1, "1:10", kw! { ceil: "1mbit" }),
    );
    assert!(e.contains("rate"), "{e}");
    let e = err(
        &|b| b.qdisc_add(Qdisc::on(1).kind(Tbf::qdisc().rate("0bit").burst(1500u32).limit(100u32))),
        &|b| {
            b.tc(
                "add",
                "tbf",
                1,
                0,
                kw! { rate: "0bit", burst: 1500, limit: 100 },
            )
        },
    );
    assert!(e.contains("rate"), "{e}");
    let e = err(
        &|b| b.filter_add(Filter::on(1).kind(U32::filter().match_("ip dport eighty 0xffff"))),
        &|b| {
            b.tc(
                "add-filter",
                "u32",
                1,
                0,
                kw! { r#match: "ip dport eighty 0xffff" },
            )
        },
    );
    assert!(e.contains("eighty"), "{e}");
}

/// The typed form drives a real kernel: htb qdisc and class, a u32 filter with a mirred
/// action, a chain, a shared mirred action, and the deletes, checked with `tc -j`.
#[test]
fn typed_tc_live() {
    if !rtnl_core::netns::is_root() {
        eprintln!("skip: typed_tc_live: needs root");
        return;
    }
    let ns = rtnl_core::testing::TestNetns::new().unwrap();
    let mut ipr = rtnl_api::IPRoute::in_netns(ns.name()).unwrap();
    ipr.link_add(rtnl_api::typed::Link::veth("v0").peer("v1"))
        .unwrap();
    let v0 = ipr.link_lookup("ifname", "v0").unwrap()[0];
    let v1 = ipr.link_lookup("ifname", "v1").unwrap()[0];
    // `tc -j` where tc has JSON output (6.1 has none for htb classes: then `tc` alone).
    let tc = |args: &str| -> String {
        let out = std::process::Command::new("tc")
            .args(["-n", ns.name()])
            .args(args.split_whitespace())
            .output()
            .unwrap();
        assert!(out.status.success(), "tc {args}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    ipr.qdisc_add(
        Qdisc::on(v0)
            .handle("1:")
            .kind(Htb::qdisc().default(0x10).r2q(5)),
    )
    .unwrap();
    ipr.class_add(
        Class::on(v0)
            .handle("1:10")
            .parent("1:")
            .kind(Htb::class().rate("5mbit").ceil("10mbit").prio(2)),
    )
    .unwrap();
    ipr.filter_add(
        Filter::on(v0)
            .parent("1:")
            .prio(1)
            .protocol("ip")
            .kind(U32::filter().match_(U32Match::ip_dport(80)).classid("1:10"))
            .action(Mirred::action().egress_mirror().dev(v1)),
    )
    .unwrap();
    let q = tc("-j qdisc show dev v0");
    assert!(
        q.contains(r#""kind":"htb""#) && q.contains(r#""r2q":5"#),
        "{q}"
    );
    assert!(q.contains(r#""default":"0x10""#), "{q}");
    let c = tc("class show dev v0");
    assert!(
        c.contains("class htb 1:10 root prio 2 rate 5Mbit ceil 10Mbit"),
        "{c}"
    );
    let f = tc("-j filter show dev v0");
    assert!(f.contains(r#""flowid":"1:10""#), "{f}");
    assert!(
        f.contains(r#""kind":"mirred""#) && f.contains(r#""mirred_action":"mirror""#),
        "{f}"
    );
    // What the typed get answers is the class itself.
    let got = ipr
        .class_get(Class::on(v0).handle("1:10").parent("1:"))
        .unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].view().header().handle.get(), 0x0001_0010);
    // The dumps: this device's qdiscs (htb), its one class.
    let qs = ipr.qdisc_dump(Qdisc::on(v0)).unwrap();
    assert!(
        qs.iter().any(|q| q.view().kind().unwrap() == Some("htb")),
        "{qs:?}"
    );
    assert_eq!(ipr.class_dump(Class::on(v0)).unwrap().len(), 1);
    // A chain on the qdisc's block, then gone again.
    ipr.chain_add(Chain::on(v0).parent("1:").chain(5)).unwrap();
    assert!(tc("-j chain show dev v0 parent 1:").contains(r#""chain":5"#));
    ipr.chain_del(Chain::on(v0).parent("1:").chain(5)).unwrap();
    assert!(!tc("-j chain show dev v0 parent 1:").contains(r#""chain":5"#));
    // A shared action, asked for, then deleted.
    ipr.action_add(Mirred::action().egress_redirect().dev(v1).index(9))
        .unwrap();
    let a = ipr.action_get(Mirred::action().index(9)).unwrap();
    assert_eq!(a.len(), 1, "{a:?}");
    ipr.action_del(Mirred::action().index(9)).unwrap();
    assert!(ipr.action_get(Mirred::action().index(9)).is_err());
    ipr.filter_del(Filter::on(v0).parent("1:").prio(1).protocol("ip"))
        .unwrap();
    assert!(!tc("-j filter show dev v0").contains("flowid"));
    ipr.qdisc_del(Qdisc::on(v0).handle("1:").kind(Htb::qdisc()))
        .unwrap();
    assert!(!tc("-j qdisc show dev v0").contains("htb"));
}
