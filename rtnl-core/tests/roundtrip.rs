//! Emit, then parse: generated builders (typed and by-name) and generated views agree, for
//! integers of every width and byte order, addresses of both families, MACs, strings, flags,
//! structs, nests, sub-messages, multipath hops and u32 keys (property tests).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use proptest::prelude::*;
use rtnl_core::generated::*;
use rtnl_core::spec::{Ctx, Value};

fn route_view(buf: &[u8]) -> RouteAttrs<'_> {
    RouteAttrs::new(buf, Ctx::default())
}

proptest! {
    // No failure persistence: proptest looks for a lib.rs beside integration tests, prints a
    // warning per test when there is none, and a failure prints its seed anyway.
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn route_scalars_and_addresses(table in any::<u32>(), prio in any::<u32>(), pref in any::<u8>(), sport in any::<u16>(),
                                   expires in any::<u64>(), v4 in any::<u32>(), v6 in any::<u128>(), labels in prop::collection::vec(0u32..(1 << 20), 1..4)) {
        let mut buf = Vec::new();
        RouteBuilder::new(&mut buf, 2)
            .table(table)
            .priority(prio)
            .pref(pref)
            .sport(sport)
            .expires(expires)
            .dst(IpAddr::V4(Ipv4Addr::from(v4)))
            .gateway(IpAddr::V6(Ipv6Addr::from(v6)))
            .newdst(&labels);
        let r = route_view(&buf);
        prop_assert_eq!(r.table().unwrap(), Some(table));
        prop_assert_eq!(r.priority().unwrap(), Some(prio));
        prop_assert_eq!(r.pref().unwrap(), Some(pref));
        prop_assert_eq!(r.sport().unwrap(), Some(sport));
        prop_assert_eq!(r.expires().unwrap(), Some(expires));
        prop_assert_eq!(r.dst().unwrap(), Some(IpAddr::V4(Ipv4Addr::from(v4))));
        prop_assert_eq!(r.gateway().unwrap(), Some(IpAddr::V6(Ipv6Addr::from(v6))));
        let got: Vec<u32> = r.newdst().unwrap().unwrap().iter().map(|l| l.label).collect();
        prop_assert_eq!(got, labels);
        // be16 is really network order on the wire.
        let raw = r.payload(28).unwrap().unwrap();
        prop_assert_eq!(raw, &sport.to_be_bytes()[..]);
    }

    #[test]
    fn by_name_setters_match_typed_setters(table in any::<u32>(), mtu in 68u32..65536, oif in any::<u32>(), v4 in any::<u32>()) {
        let ip = Ipv4Addr::from(v4);
        let mut typed = Vec::new();
        RouteBuilder::new(&mut typed, 2).table(table).oif(oif).gateway(IpAddr::V4(ip)).metrics(|m| { m.mtu(mtu); });
        let mut named = Vec::new();
        RouteBuilder::new(&mut named, 2)
            .set("table", table).unwrap()
            .set("RTA_OIF", oif).unwrap()
            .set("gateway", ip.to_string()).unwrap()
            .set("metrics", Value::map([("mtu", mtu)])).unwrap();
        prop_assert_eq!(&typed, &named);
        prop_assert_eq!(route_view(&named).metrics().unwrap().unwrap().mtu().unwrap(), Some(mtu));
    }

    #[test]
    fn links_strings_macs_signed_and_nests(name in "[a-z][a-z0-9]{0,14}", mac in any::<[u8; 6]>(), nsid in any::<i32>(), vni in 0u32..(1 << 24), label in any::<u32>(), port in any::<u16>()) {
        let mut buf = Vec::new();
        LinkBuilder::new(&mut buf, 0)
            .ifname(&name)
            .address(&mac)
            .link_netnsid(nsid)
            .linkinfo(|li| {
                li.kind("vxlan").data_vxlan(|v| { v.id(vni).label(label).port(port); });
            });
        let l = LinkAttrs::new(&buf, Ctx::default());
        prop_assert_eq!(l.ifname().unwrap(), Some(name.as_str()));
        prop_assert_eq!(l.address().unwrap().unwrap().as_bytes(), &mac[..]);
        prop_assert_eq!(l.link_netnsid().unwrap(), Some(nsid));
        let li = l.linkinfo().unwrap().unwrap();
        prop_assert_eq!(li.kind().unwrap(), Some("vxlan"));
        match li.data().unwrap().unwrap() {
            LinkinfoData::Vxlan(v) => {
                prop_assert_eq!(v.id().unwrap(), Some(vni));
                prop_assert_eq!(v.label().unwrap(), Some(label));
                prop_assert_eq!(v.port().unwrap(), Some(port));
            }
            other => prop_assert!(false, "wrong sub-message format: {:?}", other),
        }
    }

    #[test]
    fn multipath_hops(hops in prop::collection::vec((any::<u32>(), any::<u8>(), 1i32..1000), 1..5)) {
        let mut buf = Vec::new();
        RouteBuilder::new(&mut buf, 2).multipath(|mp| {
            for (gw, weight, ifindex) in &hops {
                let mut h = Rtnexthop::zeroed();
                h.set_hops(*weight).set_ifindex(*ifindex);
                mp.hop(&h, |a| { a.gateway(IpAddr::V4(Ipv4Addr::from(*gw))); });
            }
        });
        let got: Vec<_> = route_view(&buf).multipath().unwrap().unwrap().map(|h| {
            let (h, a) = h.unwrap();
            (a.gateway().unwrap().unwrap(), h.hops(), h.ifindex(), h.len() as usize)
        }).collect();
        prop_assert_eq!(got.len(), hops.len());
        for ((gw, w, i, len), (egw, ew, ei)) in got.into_iter().zip(hops) {
            prop_assert_eq!(gw, IpAddr::V4(Ipv4Addr::from(egw)));
            prop_assert_eq!((w, i), (ew, ei));
            prop_assert_eq!(len, 8 + 8, "rtnh_len covers the struct and its attributes");
        }
    }

    #[test]
    fn u32_selector_with_keys(keys in prop::collection::vec((any::<u32>(), any::<u32>(), any::<i32>()), 0..6), classid in any::<u32>()) {
        use zerocopy::IntoBytes;
        let mut sel = TcU32Sel::zeroed();
        sel.set_nkeys(keys.len() as u8).set_flags(1);
        let ks: Vec<TcU32Key> = keys.iter().map(|(v, m, off)| {
            let mut k = TcU32Key::zeroed();
            k.set_val(*v).set_mask(*m).set_off(*off);
            k
        }).collect();
        let mut buf = Vec::new();
        TcBuilder::new(&mut buf, 0).kind("u32").options_u32(|u| { u.classid(classid).sel(&sel, &ks); });
        let tc = TcAttrs::new(&buf, Ctx::default());
        let TcOptions::U32(u) = tc.options().unwrap().unwrap() else { panic!("not u32") };
        prop_assert_eq!(u.classid().unwrap(), Some(classid));
        let (head, got) = u.sel().unwrap().unwrap();
        prop_assert_eq!(head.nkeys() as usize, keys.len());
        prop_assert_eq!(got.as_bytes(), ks.as_bytes());
        for (k, (v, m, off)) in got.iter().zip(keys) {
            prop_assert_eq!((k.val(), k.mask(), k.off()), (v, m, off));
        }
    }

    #[test]
    fn seg6_routing_header_with_segments(segs in prop::collection::vec(any::<u128>(), 1..6), tag in any::<u16>()) {
        let mut head = Seg6IptunnelSrh::zeroed();
        head.set_mode(1);
        head.srh.hdrlen = (segs.len() * 2) as u8;
        head.srh.type_ = 4;
        head.srh.first_segment = (segs.len() - 1) as u8;
        head.srh.set_tag(tag);
        let entries: Vec<In6Addr> = segs.iter().map(|s| In6Addr { addr8: s.to_be_bytes() }).collect();
        let mut buf = Vec::new();
        RouteBuilder::new(&mut buf, 10).encap_type(5u16).encap_seg6(|e| { e.srh(&head, &entries); });
        let LwtEncap::Seg6(e) = route_view(&buf).encap().unwrap().unwrap() else { panic!("not seg6") };
        let (h, got) = e.srh().unwrap().unwrap();
        prop_assert_eq!(h.srh.first_segment as usize + 1, got.len());
        prop_assert_eq!(h.srh.tag(), tag);
        let got: Vec<u128> = got.iter().map(|a| u128::from_be_bytes(a.addr8)).collect();
        prop_assert_eq!(&got, &segs);
        // The JSON view shows the segments as addresses, and the by-name encoder takes them back.
        let view = rtnl_core::spec::DynAttrs { set: &ROUTE_SPEC, buf: &buf, ctx: Ctx::default(), style: rtnl_core::spec::Style::Map };
        let json = serde_json::to_value(view).unwrap();
        let shown = json["encap"]["srh"][1].clone();
        let want: Vec<String> = segs.iter().map(|s| Ipv6Addr::from(*s).to_string()).collect();
        prop_assert_eq!(shown, serde_json::json!(want));
        let mut by_name = Vec::new();
        let v = Value::List(vec![
            Value::Bytes(zerocopy::IntoBytes::as_bytes(&head).to_vec()),
            Value::List(want.iter().map(|s| Value::Str(s.clone())).collect()),
        ]);
        rtnl_core::spec::encode_attr(&ENCAP_SEG6_SPEC, &mut by_name, Default::default(), "srh", &v).unwrap();
        let LwtEncap::Seg6(e) = route_view(&buf).encap().unwrap().unwrap() else { unreachable!() };
        prop_assert_eq!(&by_name[4..], &buf[buf.len() - by_name.len() + 4..], "{:?}", e.srh());
    }

    #[test]
    fn structs_flags_and_family_sub_messages(prefered in any::<u32>(), valid in any::<u32>(), flags in any::<u32>()) {
        let mut ci = IfaCacheinfo::zeroed();
        ci.set_prefered(prefered).set_valid(valid);
        let mut buf = Vec::new();
        AddrBuilder::new(&mut buf, 10).cacheinfo(&ci).flags(IfaFlags(flags));
        let a = AddrAttrs::new(&buf, Ctx::default());
        let got = a.cacheinfo().unwrap().unwrap();
        prop_assert_eq!((got.prefered(), got.valid()), (prefered, valid));
        prop_assert_eq!(a.flags().unwrap(), Some(IfaFlags(flags)));
    }
}

#[test]
fn af_spec_is_chosen_by_the_header_family() {
    let mut buf = Vec::new();
    LinkBuilder::new(&mut buf, 0).af_spec_unspec(|a| {
        a.inet6(|i| {
            i.addr_gen_mode(In6AddrGenMode::StablePrivacy);
        });
    });
    let unspec = LinkAttrs::new(
        &buf,
        Ctx {
            family: 0,
            ..Ctx::default()
        },
    );
    let Some(LinkAfSpec::Unspec(u)) = unspec.af_spec().unwrap() else {
        panic!("family 0 picks af_spec_unspec")
    };
    assert_eq!(
        u.inet6().unwrap().unwrap().addr_gen_mode().unwrap(),
        Some(In6AddrGenMode::StablePrivacy)
    );
    let bridge = LinkAttrs::new(
        &buf,
        Ctx {
            family: 7,
            ..Ctx::default()
        },
    );
    assert!(
        matches!(bridge.af_spec().unwrap(), Some(LinkAfSpec::Bridge(_))),
        "family 7 picks af_spec_bridge"
    );
    let other = LinkAttrs::new(
        &buf,
        Ctx {
            family: 99,
            ..Ctx::default()
        },
    );
    assert!(
        matches!(other.af_spec().unwrap(), Some(LinkAfSpec::Unknown(_))),
        "unknown families stay raw"
    );
}

#[test]
fn unknown_attributes_are_kept() {
    let mut buf = Vec::new();
    RouteBuilder::new(&mut buf, 2).table(7).raw(999, &[1, 2, 3]);
    let all: Vec<_> = route_view(&buf)
        .attrs_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(matches!(all[0], RouteAttr::Table(7)));
    assert!(matches!(
        all[1],
        RouteAttr::Unknown {
            id: 999,
            bytes: [1, 2, 3]
        }
    ));
}

/// A struct payload longer than the struct (fields a newer kernel appended) keeps the rest.
#[test]
fn bytes_beyond_a_struct_are_shown_not_dropped() {
    let mut buf = Vec::new();
    let mut ci = vec![0u8; RtaCacheinfo::SIZE];
    ci[0] = 7;
    ci.extend_from_slice(&[0xde, 0xad, 0xbe, 0xef]);
    rtnl_core::nla::put(&mut buf, 12, &ci); // RTA_CACHEINFO
    let view = rtnl_core::spec::DynAttrs {
        set: &ROUTE_SPEC,
        buf: &buf,
        ctx: Ctx::default(),
        style: rtnl_core::spec::Style::Map,
    };
    let json = serde_json::to_value(view).unwrap();
    assert_eq!(json["cacheinfo"]["clntref"], 7, "{json}");
    assert_eq!(json["cacheinfo"]["_extra"], "deadbeef", "{json}");
    // The typed getter reads the struct it knows.
    assert_eq!(route_view(&buf).cacheinfo().unwrap().unwrap().clntref(), 7);
    // The by-name encoder takes the shown value back, extra bytes included.
    let shown = Value::Map(vec![
        ("clntref".into(), Value::Int(7)),
        ("_extra".into(), Value::Str("deadbeef".into())),
    ]);
    let mut again = Vec::new();
    rtnl_core::spec::encode_attr(
        &ROUTE_SPEC,
        &mut again,
        Default::default(),
        "cacheinfo",
        &shown,
    )
    .unwrap();
    assert_eq!(again, buf);
}

/// Flags print as iproute2's names joined by `|`, with the bits no name covers in hex; enums by
/// name, or as the number when the schema does not name the value.
#[test]
fn flags_and_enums_print_by_name() {
    assert_eq!(
        IfaFlags(0x80 | 0x200).to_string(),
        "permanent|noprefixroute"
    );
    assert_eq!(
        IfaFlags(0x80 | 0x8000_0000).to_string(),
        "permanent|0x80000000"
    );
    assert_eq!(IfaFlags(0).to_string(), "0x0");
    assert_eq!(format!("{:?}", IfaFlags(0x80)), "IfaFlags(permanent)");
    assert_eq!(RtProto::from_name("static"), Some(RtProto::from(4u8)));
    assert_eq!(RtProto::from(4u8).to_string(), "static");
    assert_eq!(RtProto::from(77u8).to_string(), "77");
    assert_eq!(serde_json::to_value(RtProto::from(77u8)).unwrap(), 77);
}
