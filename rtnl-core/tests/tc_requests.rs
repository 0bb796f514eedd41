//! The exact requests `tc` (iproute2 6.1) sends, decoded offline with the generated views.
//! `tc_requests/requests.txt` holds the bytes, captured with strace by
//! `tc_requests/capture.sh` from the commands in `tc_requests/commands.txt` (many of these
//! qdiscs, classifiers and actions are missing from this machine's kernel, but tc sends the
//! request before the kernel refuses it). Every request must decode to the expected typed
//! values, with no attribute the schema does not know.

use rtnl_core::generated::*;
use rtnl_core::spec::Array;
use rtnl_core::spec::Ctx;

/// `(command, [netlink message])` in file order.
fn requests() -> Vec<(String, Vec<Vec<u8>>)> {
    let mut out: Vec<(String, Vec<Vec<u8>>)> = Vec::new();
    for line in include_str!("tc_requests/requests.txt").lines() {
        if let Some(cmd) = line.strip_prefix("> ") {
            out.push((cmd.to_string(), Vec::new()));
        } else if !line.starts_with('#') && !line.is_empty() {
            let bytes = (0..line.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&line[i..i + 2], 16).unwrap())
                .collect();
            out.last_mut().unwrap().1.push(bytes);
        }
    }
    out
}

/// The one message `tc` sent for the command that starts with `prefix`.
fn msg(prefix: &str) -> Vec<u8> {
    let all = requests();
    let (_, msgs) = all
        .iter()
        .find(|(c, _)| c.starts_with(prefix))
        .unwrap_or_else(|| panic!("no fixture for {prefix:?}"));
    assert_eq!(msgs.len(), 1, "{prefix}: one message expected");
    msgs[0].clone()
}

/// The netlink message type and the payload after the 16-byte header.
fn split(m: &[u8]) -> (u16, &[u8]) {
    let len = u32::from_ne_bytes(m[..4].try_into().unwrap()) as usize;
    assert_eq!(len, m.len());
    (u16::from_ne_bytes(m[4..6].try_into().unwrap()), &m[16..])
}

/// The request as JSON (the generated tables), for the no-unknown check.
fn json(m: &[u8]) -> serde_json::Value {
    let (ty, p) = split(m);
    if (RTM_NEWACTION..=RTM_GETACTION).contains(&ty) {
        let root = TcRootAttrs::new(&p[Tcamsg::SIZE..], Ctx::default());
        serde_json::to_value(&root).unwrap()
    } else {
        serde_json::to_value(TcMsg::parse(p).unwrap()).unwrap()
    }
}

/// Paths of `UNKNOWN_<id>` keys anywhere in `v`.
fn unknowns(v: &serde_json::Value, path: &str, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                if k.starts_with("UNKNOWN_") {
                    out.push(format!("{path}/{k}"));
                }
                unknowns(x, &format!("{path}/{k}"), out);
            }
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                unknowns(x, &format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn tc(m: &[u8]) -> TcMsg<'_> {
    TcMsg::parse(split(m).1).unwrap()
}

fn all<'a, T>(a: Option<Array<'a, T>>) -> Vec<T> {
    a.unwrap().collect::<Result<Vec<_>, _>>().unwrap()
}

/// The options of the only action of a classifier's action list.
fn one_action<'a>(acts: Option<Array<'a, TcActAttrs<'a>>>) -> TcActOptions<'a> {
    let acts = all(acts);
    assert_eq!(acts.len(), 1);
    acts[0].options().unwrap().unwrap()
}

#[test]
fn every_request_decodes_without_unknown_attributes() {
    let reqs = requests();
    assert!(reqs.len() >= 20, "{} fixtures", reqs.len());
    for (cmd, msgs) in &reqs {
        assert!(!msgs.is_empty(), "{cmd}: no message captured");
        for m in msgs {
            let mut bad = Vec::new();
            unknowns(&json(m), "", &mut bad);
            assert!(bad.is_empty(), "{cmd}: unknown attributes {bad:?}");
        }
    }
}

#[test]
fn htb_qdisc_and_class() {
    let m = msg("tc qdisc add dev lo root handle 1: htb");
    let t = tc(&m);
    assert_eq!(split(&m).0, RTM_NEWQDISC);
    assert_eq!(
        (
            t.header().ifindex.get(),
            t.header().handle.get(),
            t.header().parent.get()
        ),
        (1, 0x1_0000, 0xffff_ffff)
    );
    assert_eq!(t.kind().unwrap(), Some("htb"));
    let Some(TcOptions::Htb(o)) = t.options().unwrap() else {
        panic!("htb options")
    };
    let init = o.init().unwrap().unwrap();
    assert_eq!(
        (init.version(), init.rate2quantum(), init.defcls()),
        (3, 5, 0x10)
    );

    let m = msg("tc class add dev lo parent 1: classid 1:10 htb");
    let t = tc(&m);
    assert_eq!(split(&m).0, RTM_NEWTCLASS);
    let Some(TcOptions::Htb(o)) = t.options().unwrap() else {
        panic!("htb options")
    };
    let p = o.parms().unwrap().unwrap();
    assert_eq!(
        (p.rate.rate(), p.ceil.rate(), p.prio()),
        (125_000, 250_000, 2)
    );
    assert_eq!(p.rate.linklayer(), TcLinkLayer::Ethernet);
    assert_eq!(o.rtab().unwrap().unwrap().len(), 1024);
    assert_eq!(o.ctab().unwrap().unwrap().len(), 1024);
}

#[test]
fn tbf() {
    let m = msg("tc qdisc add dev lo root tbf");
    let t = tc(&m);
    let Some(TcOptions::Tbf(o)) = t.options().unwrap() else {
        panic!("tbf options")
    };
    let p = o.parms().unwrap().unwrap();
    assert_eq!((p.rate.rate(), p.limit()), (125_000, 54_096));
    assert_eq!(p.peakrate.linklayer(), TcLinkLayer::Unaware);
    assert_eq!(o.burst().unwrap(), Some(4096));
}

#[test]
fn netem_loss_models() {
    let m = msg("tc qdisc add dev lo root netem delay");
    let t = tc(&m);
    let Some(TcOptions::Netem(q, a)) = t.options().unwrap() else {
        panic!("netem options")
    };
    assert_eq!(
        (q.latency(), q.jitter(), q.limit()),
        (1_562_500, 156_250, 1000)
    );
    assert_eq!(a.corr().unwrap().unwrap().delay_corr(), 1 << 30);
    let ge = a.loss().unwrap().unwrap().ge().unwrap().unwrap();
    assert_eq!(
        (ge.p(), ge.r(), ge.h(), ge.k1()),
        (42_949_673, 429_496_730, 1_288_490_189, 4_294_967)
    );
    assert_eq!(a.rate().unwrap().unwrap().rate(), 125_000);
    let slot = a.slot().unwrap().unwrap();
    assert_eq!((slot.min_delay(), slot.max_delay()), (800_000, 1_000_000));

    let m = msg("tc qdisc add dev lo root netem loss state");
    let t = tc(&m);
    let Some(TcOptions::Netem(_, a)) = t.options().unwrap() else {
        panic!("netem options")
    };
    let gi = a.loss().unwrap().unwrap().gi().unwrap().unwrap();
    assert_eq!(
        (gi.p13(), gi.p31(), gi.p32(), gi.p14(), gi.p23()),
        (
            42_949_673,
            429_496_730,
            858_993_459,
            1_717_986_918,
            1_288_490_188
        )
    );
}

#[test]
fn fq_codel() {
    let m = msg("tc qdisc add dev lo root fq_codel");
    let t = tc(&m);
    let Some(TcOptions::FqCodel(o)) = t.options().unwrap() else {
        panic!("fq_codel options")
    };
    assert_eq!(o.limit().unwrap(), Some(1000));
    assert_eq!(o.target().unwrap(), Some(5000));
    assert_eq!(o.interval().unwrap(), Some(100_000));
    assert_eq!(o.ecn().unwrap(), Some(1));
    assert_eq!(o.ce_threshold().unwrap(), Some(2000));
}

#[test]
fn gred_vq_list() {
    let m = msg("tc qdisc change dev lo root gred");
    let t = tc(&m);
    let Some(TcOptions::Gred(o)) = t.options().unwrap() else {
        panic!("gred options")
    };
    let vqs: Vec<_> = o
        .vq_list()
        .unwrap()
        .unwrap()
        .entry()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(vqs.len(), 1);
    assert_eq!(vqs[0].dp().unwrap(), Some(1));
    assert_eq!(vqs[0].flags().unwrap(), Some(2)); // TC_RED_HARDDROP
}

#[test]
fn cake() {
    let m = msg("tc qdisc add dev lo root cake");
    let t = tc(&m);
    let Some(TcOptions::Cake(o)) = t.options().unwrap() else {
        panic!("cake options")
    };
    assert_eq!(o.base_rate64().unwrap(), Some(12_500_000));
    assert_eq!(o.diffserv_mode().unwrap(), Some(CakeDiffserv::Diffserv4));
    assert_eq!(o.flow_mode().unwrap(), Some(CakeFlow::Triple));
    assert_eq!(o.atm().unwrap(), Some(CakeAtm::Ptm));
    assert_eq!(o.ack_filter().unwrap(), Some(CakeAck::Filter));
    assert_eq!(o.overhead().unwrap(), Some(18));
    assert_eq!(o.nat().unwrap(), Some(1));
}

#[test]
fn taprio_schedule() {
    let m = msg("tc qdisc add dev lo root taprio");
    let t = tc(&m);
    let Some(TcOptions::Taprio(o)) = t.options().unwrap() else {
        panic!("taprio options")
    };
    assert_eq!(o.priomap().unwrap().unwrap().num_tc, 2);
    assert_eq!(o.sched_base_time().unwrap(), Some(1000));
    assert_eq!(o.sched_clockid().unwrap(), Some(11)); // CLOCK_TAI
    let entries: Vec<_> = o
        .sched_entry_list()
        .unwrap()
        .unwrap()
        .entry()
        .collect::<Result<_, _>>()
        .unwrap();
    let got: Vec<_> = entries
        .iter()
        .map(|e| {
            (
                e.cmd().unwrap().unwrap(),
                e.gate_mask().unwrap().unwrap(),
                e.interval().unwrap().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (TcTaprioCmd::SetGates, 1, 300_000),
            (TcTaprioCmd::SetGates, 2, 200_000)
        ]
    );
}

#[test]
fn mqprio_mode_and_shaper() {
    let m = msg("tc qdisc add dev lo root mqprio");
    let t = tc(&m);
    let Some(TcOptions::Mqprio(q, a)) = t.options().unwrap() else {
        panic!("mqprio options")
    };
    assert_eq!((q.num_tc, q.hw()), (2, TcMqprioHwOffload::Tcs));
    assert_eq!(a.mode().unwrap(), Some(TcMqprioMode::Channel));
    assert_eq!(a.shaper().unwrap(), Some(TcMqprioShaper::BwRate));
    assert_eq!(all(a.min_rate64().unwrap())[..2], [125_000, 250_000]);
    assert_eq!(all(a.max_rate64().unwrap())[..2], [375_000, 500_000]);
}

#[test]
fn flower_keys_ct_state_and_flags() {
    let m = msg("tc filter add dev lo ingress protocol ip pref 10 flower");
    let t = tc(&m);
    assert_eq!(split(&m).0, RTM_NEWTFILTER);
    assert_eq!(t.header().info.get(), (10 << 16) | 0x0008); // pref 10, ETH_P_IP in network order
    let Some(TcOptions::Flower(o)) = t.options().unwrap() else {
        panic!("flower options")
    };
    assert_eq!(o.key_eth_type().unwrap(), Some(0x0800));
    assert_eq!(o.key_ipv4_dst().unwrap(), Some("10.0.0.0".parse().unwrap()));
    assert_eq!(
        o.key_ipv4_dst_mask().unwrap(),
        Some("255.255.255.0".parse().unwrap())
    );
    assert_eq!(o.key_ip_proto().unwrap(), Some(6));
    assert_eq!(o.key_tcp_dst().unwrap(), Some(80));
    let est_trk = TcaFlowerKeyCtFlags::ESTABLISHED | TcaFlowerKeyCtFlags::TRACKED;
    assert_eq!(o.key_ct_state().unwrap(), Some(est_trk));
    assert_eq!(o.key_ct_state_mask().unwrap(), Some(est_trk));
    assert_eq!(o.key_flags().unwrap(), Some(TcaFlowerKeyFlags::IS_FRAGMENT));
    assert_eq!(
        o.key_flags_mask().unwrap(),
        Some(TcaFlowerKeyFlags::IS_FRAGMENT | TcaFlowerKeyFlags::FRAG_IS_FIRST)
    );
    let TcActOptions::Gact(g) = one_action(o.act().unwrap()) else {
        panic!("gact")
    };
    assert_eq!(g.parms().unwrap().unwrap().action(), TcActVerdict::Shot);
}

#[test]
fn flower_geneve_enc_opts() {
    let m = msg("tc filter add dev lo ingress protocol ip pref 11 flower");
    let t = tc(&m);
    let Some(TcOptions::Flower(o)) = t.options().unwrap() else {
        panic!("flower options")
    };
    assert_eq!(o.key_enc_key_id().unwrap(), Some(42));
    assert_eq!(
        o.key_enc_ipv4_dst().unwrap(),
        Some("192.0.2.1".parse().unwrap())
    );
    let opts: Vec<_> = o
        .key_enc_opts()
        .unwrap()
        .unwrap()
        .geneve()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(opts.len(), 1);
    assert_eq!(opts[0].class().unwrap(), Some(0x0102));
    assert_eq!(opts[0].type_().unwrap(), Some(0x80));
    assert_eq!(opts[0].data().unwrap(), Some(&[0x00, 0x80, 0x00, 0x22][..]));
    let masks: Vec<_> = o
        .key_enc_opts_mask()
        .unwrap()
        .unwrap()
        .geneve()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(masks[0].class().unwrap(), Some(0xffff));
}

#[test]
fn flower_mpls_lse() {
    let m = msg("tc filter add dev lo ingress protocol mpls_uc pref 12 flower");
    let t = tc(&m);
    let Some(TcOptions::Flower(o)) = t.options().unwrap() else {
        panic!("flower options")
    };
    assert_eq!(o.key_eth_type().unwrap(), Some(0x8847));
    let lses: Vec<_> = o
        .key_mpls_opts()
        .unwrap()
        .unwrap()
        .lse()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(lses.len(), 2);
    assert_eq!(
        (
            lses[0].depth().unwrap(),
            lses[0].label().unwrap(),
            lses[0].ttl().unwrap()
        ),
        (Some(1), Some(100), Some(64))
    );
    assert_eq!(
        (lses[1].depth().unwrap(), lses[1].bos().unwrap()),
        (Some(2), Some(1))
    );
}

#[test]
fn u32_selector() {
    let m = msg("tc filter add dev lo parent 1: protocol ip prio 1 u32");
    let t = tc(&m);
    let Some(TcOptions::U32(o)) = t.options().unwrap() else {
        panic!("u32 options")
    };
    assert_eq!(o.classid().unwrap(), Some(0x1_0010));
    let (sel, keys) = o.sel().unwrap().unwrap();
    assert_eq!((sel.flags, sel.nkeys), (1, 2)); // TC_U32_TERMINAL
    assert_eq!(
        (keys[0].val(), keys[0].mask(), keys[0].off()),
        (0x0a00_0001, 0xffff_ffff, 16)
    );
    assert_eq!(
        (keys[1].val(), keys[1].mask(), keys[1].off()),
        (80, 0xffff, 20)
    );
}

#[test]
fn matchall_gact_random() {
    let m = msg("tc filter add dev lo ingress pref 20 matchall");
    let t = tc(&m);
    let Some(TcOptions::Matchall(o)) = t.options().unwrap() else {
        panic!("matchall options")
    };
    let TcActOptions::Gact(g) = one_action(o.act().unwrap()) else {
        panic!("gact")
    };
    assert_eq!(g.parms().unwrap().unwrap().action(), TcActVerdict::Shot);
    let p = g.prob().unwrap().unwrap();
    assert_eq!(
        (p.ptype(), p.pval(), p.paction()),
        (2, 10, TcActVerdict::Ok)
    ); // PGACT_DETERM
}

#[test]
fn matchall_police() {
    let m = msg("tc filter add dev lo ingress pref 21 matchall");
    let t = tc(&m);
    let Some(TcOptions::Matchall(o)) = t.options().unwrap() else {
        panic!("matchall options")
    };
    let TcActOptions::Police(p) = one_action(o.act().unwrap()) else {
        panic!("police")
    };
    let tbf = p.tbf().unwrap().unwrap();
    assert_eq!(
        (tbf.rate.rate(), tbf.burst(), tbf.action()),
        (125_000, 1_280_000, TcActVerdict::Shot)
    );
    assert_eq!(p.rate().unwrap().unwrap().len(), 1024);
}

#[test]
fn basic_ematch_tree() {
    let m = msg("tc filter add dev lo parent 1: prio 3 basic");
    let t = tc(&m);
    let Some(TcOptions::Basic(o)) = t.options().unwrap() else {
        panic!("basic options")
    };
    assert_eq!(o.classid().unwrap(), Some(0x1_0010));
    let tree = o.ematches().unwrap().unwrap();
    let hdr = tree.hdr().unwrap().unwrap();
    assert_eq!((hdr.nmatches(), hdr.progid()), (1, TcfEmProg::Tc));
    let list = all(tree.list().unwrap());
    assert_eq!(list.len(), 1);
    // struct tcf_ematch_hdr: matchid 0, kind 1 (TCF_EM_CMP), then the cmp match.
    assert_eq!(&list[0][..4], &[0, 0, 1, 0]);
}

#[test]
fn pedit_extended_keys_and_csum() {
    let m = msg("tc filter add dev lo ingress pref 22 matchall");
    let t = tc(&m);
    let Some(TcOptions::Matchall(o)) = t.options().unwrap() else {
        panic!("matchall options")
    };
    let acts = all(o.act().unwrap());
    assert_eq!(acts.len(), 2);
    let Some(TcActOptions::Pedit(p)) = acts[0].options().unwrap() else {
        panic!("pedit")
    };
    let (sel, keys) = p.parms_ex().unwrap().unwrap();
    assert_eq!((sel.nkeys, keys[0].val(), keys[0].off()), (1, 10, 8));
    let ex: Vec<_> = p
        .keys_ex()
        .unwrap()
        .unwrap()
        .key_ex()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(ex.len(), 1);
    assert_eq!(ex[0].htype().unwrap(), Some(PeditHeaderType::Ip4));
    assert_eq!(ex[0].cmd().unwrap(), Some(PeditCmd::Set));
    let Some(TcActOptions::Csum(c)) = acts[1].options().unwrap() else {
        panic!("csum")
    };
    assert_eq!(
        c.parms().unwrap().unwrap().update_flags(),
        TcaCsumUpdateFlags::IPV4HDR | TcaCsumUpdateFlags::TCP
    );
}

#[test]
fn tunnel_key_geneve_opts() {
    let m = msg("tc filter add dev lo ingress pref 23 matchall");
    let t = tc(&m);
    let Some(TcOptions::Matchall(o)) = t.options().unwrap() else {
        panic!("matchall options")
    };
    let TcActOptions::TunnelKey(k) = one_action(o.act().unwrap()) else {
        panic!("tunnel_key")
    };
    assert_eq!(
        k.enc_ipv4_src().unwrap(),
        Some("192.0.2.1".parse().unwrap())
    );
    assert_eq!(
        k.enc_ipv4_dst().unwrap(),
        Some("192.0.2.2".parse().unwrap())
    );
    assert_eq!(k.enc_key_id().unwrap(), Some(42));
    assert_eq!(k.enc_dst_port().unwrap(), Some(6081));
    let g: Vec<_> = k
        .enc_opts()
        .unwrap()
        .unwrap()
        .geneve()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        (g[0].class().unwrap(), g[0].type_().unwrap()),
        (Some(0x0102), Some(0x80))
    );
    assert_eq!(g[0].data().unwrap(), Some(&[0x00, 0x80, 0x00, 0x22][..]));
}

#[test]
fn gate_entries() {
    let m = msg("tc filter add dev lo ingress pref 24 matchall");
    let t = tc(&m);
    let Some(TcOptions::Matchall(o)) = t.options().unwrap() else {
        panic!("matchall options")
    };
    let TcActOptions::Gate(g) = one_action(o.act().unwrap()) else {
        panic!("gate")
    };
    let e: Vec<_> = g
        .entry_list()
        .unwrap()
        .unwrap()
        .entry()
        .collect::<Result<_, _>>()
        .unwrap();
    let got: Vec<_> = e
        .iter()
        .map(|x| {
            (
                x.gate().unwrap(),
                x.interval().unwrap().unwrap(),
                x.ipv().unwrap().unwrap(),
                x.max_octets().unwrap().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [(true, 200_000_000, -1, -1), (false, 100_000_000, -1, -1)]
    );
}

#[test]
fn actions_root_tab() {
    let m = msg("tc actions add action gact drop index 5");
    let (ty, p) = split(&m);
    assert_eq!(ty, RTM_NEWACTION);
    assert_eq!(p[0], 0); // tcamsg.tca_family
    let root = TcRootAttrs::new(&p[Tcamsg::SIZE..], Ctx::default());
    let TcActOptions::Gact(g) = one_action(root.tab().unwrap()) else {
        panic!("gact")
    };
    let parms = g.parms().unwrap().unwrap();
    assert_eq!((parms.index(), parms.action()), (5, TcActVerdict::Shot));
}
