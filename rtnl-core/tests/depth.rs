//! Depth is bounded (issue: reliability): a message nesting a set inside itself 10 000 levels
//! deep (tc ets's TCA_ETS_QUANTA holds another tc_ets set) is decoded, shown with Debug, JSON
//! and raw output, and searched for an offending attribute, in a thread with a 256 KiB stack —
//! no overflow, and the levels past `MAX_NESTING` come out as a decode error.

use rtnl_core::generated::TcMsg;
use rtnl_core::nla;
use rtnl_core::spec::{DynMessage, MAX_NESTING, Style, message_for_type};

const RTM_NEWQDISC: u16 = 36;
const TCA_KIND: u16 = 1;
const TCA_OPTIONS: u16 = 2;
const TCA_ETS_QUANTA: u16 = 3;

/// struct tcmsg, TCA_KIND "ets", TCA_OPTIONS with `levels` nested TCA_ETS_QUANTA.
fn deep_ets(levels: usize) -> Vec<u8> {
    let mut b = vec![0u8; 20];
    nla::put_str(&mut b, TCA_KIND, "ets");
    let mut open = vec![nla::begin_nest(&mut b, TCA_OPTIONS)];
    for _ in 0..levels {
        open.push(nla::begin_nest(&mut b, TCA_ETS_QUANTA));
    }
    while let Some(at) = open.pop() {
        nla::end_nest(&mut b, at);
    }
    b
}

#[test]
fn ten_thousand_levels_in_a_small_stack() {
    let payload = deep_ets(10_000);
    assert!(payload.len() < 65_535, "fits one attribute length");
    let t = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let m = TcMsg::parse(&payload).expect("the message itself parses");
            let debug = format!("{m:?}");
            assert!(
                debug.contains("nested deeper than 32 levels"),
                "Debug stops with an error"
            );
            let spec = message_for_type(RTM_NEWQDISC).unwrap();
            for style in [Style::Map, Style::Raw] {
                let json = serde_json::to_string(&DynMessage {
                    spec,
                    payload: &payload,
                    style,
                })
                .unwrap();
                assert!(
                    json.contains("nested deeper than 32 levels"),
                    "{style:?} output too"
                );
                assert!(json.len() < 10_000, "only {MAX_NESTING} levels are shown");
            }
            // The offending-attribute search is bounded as well.
            let mut req = vec![0u8; 16];
            req[4..6].copy_from_slice(&RTM_NEWQDISC.to_ne_bytes());
            req.extend_from_slice(&payload);
            let path = rtnl_core::locate::attr_path(&req, (req.len() - 4) as u32);
            assert!(path.is_none() || path.unwrap().matches(" > ").count() <= 32);
        })
        .unwrap();
    t.join().expect("no stack overflow, no panic");
}
