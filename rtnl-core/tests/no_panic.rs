//! Arbitrary bytes never panic: every parser entry point (netlink framing, every message family's
//! view, typed iteration, every getter, the table-driven JSON and raw views) returns values or
//! errors. Random buffers, and valid messages with random corruption.

use proptest::prelude::*;
use rtnl_core::generated::*;
use rtnl_core::spec::{DynMessage, Style};

fn exercise(payload: &[u8]) {
    for spec in MESSAGES {
        for style in [Style::Map, Style::Raw] {
            let _ = serde_json::to_string(&DynMessage {
                spec,
                payload,
                style,
            });
        }
    }
    if let Ok(m) = LinkMsg::parse(payload) {
        let _ = m.attrs_iter().count();
        let _ = (
            m.ifname(),
            m.mtu(),
            m.address(),
            m.stats64(),
            m.operstate(),
            m.alt_ifname().count(),
        );
        if let Ok(Some(li)) = m.linkinfo() {
            let _ = (li.kind(), li.data(), li.slave_data());
        }
        let _ = (m.af_spec(), m.protinfo(), format!("{m:?}"));
    }
    if let Ok(m) = RouteMsg::parse(payload) {
        let _ = m.attrs_iter().count();
        let _ = (
            m.dst(),
            m.gateway(),
            m.table(),
            m.encap(),
            m.newdst(),
            m.cacheinfo(),
        );
        if let Ok(Some(hops)) = m.multipath() {
            let _ = hops.count();
        }
        if let Ok(Some(mx)) = m.metrics() {
            let _ = (mx.mtu(), mx.cc_algo());
        }
    }
    if let Ok(m) = AddrMsg::parse(payload) {
        let _ = (
            m.attrs_iter().count(),
            m.address(),
            m.label(),
            m.cacheinfo(),
        );
    }
    if let Ok(m) = RuleMsg::parse(payload) {
        let _ = (
            m.attrs_iter().count(),
            m.src(),
            m.uid_range(),
            m.sport_range(),
        );
    }
    if let Ok(m) = NeighMsg::parse(payload) {
        let _ = (m.attrs_iter().count(), m.dst(), m.lladdr(), m.cacheinfo());
    }
    if let Ok(m) = TcMsg::parse(payload) {
        let _ = (m.attrs_iter().count(), m.kind(), m.options(), m.xstats());
        if let Ok(Some(s)) = m.stats2() {
            let _ = (s.app(), s.basic(), s.queue());
        }
        if let Ok(Some(TcOptions::U32(u))) = m.options() {
            let _ = u.sel();
            if let Ok(Some(acts)) = u.act() {
                let _ = acts.count();
            }
        }
    }
}

proptest! {
    // No failure persistence: proptest looks for a lib.rs beside integration tests, prints a
    // warning per test when there is none, and a failure prints its seed anyway.
    #![proptest_config(ProptestConfig {
        cases: 2000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_bytes(buf in prop::collection::vec(any::<u8>(), 0..512)) {
        exercise(&buf);
        for ev in rtnl_core::proto::messages(&buf) {
            let _ = ev;
        }
        let _ = rtnl_core::nla::Attrs::new(&buf).count();
    }

    #[test]
    fn corrupted_valid_messages(flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6), cut in any::<prop::sample::Index>()) {
        // A real-looking link message with nests, sub-messages and a struct-headed nest.
        let mut buf = Vec::new();
        let h = Ifinfomsg::zeroed();
        LinkMsg::request(&mut buf, &h)
            .ifname("veth0")
            .mtu(1500)
            .linkinfo(|li| {
                li.kind("veth").data_veth(|v| {
                    v.peer(&Ifinfomsg::zeroed(), |p| {
                        p.ifname("veth1");
                    });
                });
            })
            .af_spec_unspec(|a| {
                a.inet6(|i| {
                    i.token(std::net::Ipv6Addr::LOCALHOST);
                });
            });
        for (at, byte) in &flips {
            let i = at.index(buf.len());
            buf[i] = *byte;
        }
        let end = cut.index(buf.len() + 1);
        exercise(&buf[..end]);
    }
}
