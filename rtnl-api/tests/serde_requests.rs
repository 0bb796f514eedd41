//! Feature `serde`: keyword arguments read from JSON compile to the same bytes as the same
//! arguments written with `kw!`, and owned messages go to JSON and back to the same bytes.
//! No root needed: requests are compiled with `IPBatch`, never sent.

use rtnl_api::msg::{Msg, OwnedMsg};
use rtnl_api::{Args, IPBatch, Value, kw};

/// The bytes `IPBatch` compiles for one keyword request.
fn batch(object: &str, cmd: &str, args: Args) -> Vec<u8> {
    let mut b = IPBatch::new();
    match object {
        "link" => b.link(cmd, args),
        "addr" => b.addr(cmd, args),
        "route" => b.route(cmd, args),
        "rule" => b.rule(cmd, args),
        _ => unreachable!("{object}"),
    }
    .unwrap_or_else(|e| panic!("{object} {cmd}: {e}"));
    b.bytes().to_vec()
}

/// `(object, cmd, the kw! form, the same request as JSON)`.
fn cases() -> Vec<(&'static str, &'static str, Args, &'static str)> {
    vec![
        (
            "link",
            "add",
            kw! { ifname: "br0", kind: "bridge", mtu: 1400 },
            r#"{"ifname": "br0", "kind": "bridge", "mtu": 1400}"#,
        ),
        (
            "link",
            "add",
            kw! { ifname: "v0", kind: "veth", peer: "v1" },
            r#"{"ifname": "v0", "kind": "veth", "peer": "v1"}"#,
        ),
        (
            "link",
            "set",
            kw! { index: 5, state: "up", address: "02:00:00:00:00:0a" },
            r#"{"index": 5, "state": "up", "address": "02:00:00:00:00:0a"}"#,
        ),
        (
            "addr",
            "add",
            kw! { index: 3, address: "10.0.0.1/24", broadcast: "10.0.0.255" },
            r#"{"index": 3, "address": "10.0.0.1/24", "broadcast": "10.0.0.255"}"#,
        ),
        (
            "route",
            "add",
            kw! { dst: "10.1.0.0/24", gateway: "10.0.0.1", table: 100, metrics: kw! { mtu: 1400 } },
            r#"{"dst": "10.1.0.0/24", "gateway": "10.0.0.1", "table": 100, "metrics": {"mtu": 1400}}"#,
        ),
        (
            "route",
            "add",
            kw! { dst: "10.2.0.0/16", multipath: vec![
                Value::from(kw! { gateway: "10.0.0.1", oif: 2 }),
                Value::from(kw! { gateway: "10.0.0.2", oif: 3, hops: 1 }),
            ] },
            r#"{"dst": "10.2.0.0/16", "multipath": [
                {"gateway": "10.0.0.1", "oif": 2}, {"gateway": "10.0.0.2", "oif": 3, "hops": 1}]}"#,
        ),
        (
            "rule",
            "add",
            kw! { src: "10.7.0.0/24", table: 100, priority: 1000, fwmark: 16 },
            r#"{"src": "10.7.0.0/24", "table": 100, "priority": 1000, "fwmark": 16}"#,
        ),
    ]
}

#[test]
fn args_from_json_compile_to_the_kw_bytes() {
    for (object, cmd, kw_form, json) in cases() {
        let from_json: Args = serde_json::from_str(json).unwrap();
        assert_eq!(from_json, kw_form, "{json}");
        let want = batch(object, cmd, kw_form.clone());
        assert_eq!(batch(object, cmd, from_json), want, "{object} {cmd} {json}");
        // And back: Args -> JSON -> Args is the identity (order kept).
        let again: Args = serde_json::from_str(&serde_json::to_string(&kw_form).unwrap()).unwrap();
        assert_eq!(again, kw_form);
    }
}

#[test]
fn args_from_json_errors_say_why() {
    let e = serde_json::from_str::<Args>("[1, 2]")
        .unwrap_err()
        .to_string();
    assert!(e.contains("keyword arguments are a map"), "{e}");
    let e = serde_json::from_str::<Args>(r#"{"mtu": 1.5}"#)
        .unwrap_err()
        .to_string();
    assert!(e.contains("floating point"), "{e}");
    // A well-formed file with a bad keyword fails where the keyword is encoded, by name.
    let a: Args = serde_json::from_str(r#"{"ifname": "x", "mtu": "lots"}"#).unwrap();
    let e = IPBatch::new().link("add", a).unwrap_err().to_string();
    assert!(e.contains("mtu"), "{e}");
}

/// Each message of a compiled batch: its type and payload (header + attributes).
fn messages(bytes: &[u8]) -> Vec<(u16, Vec<u8>)> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while rest.len() >= 16 {
        let len = u32::from_ne_bytes(rest[0..4].try_into().unwrap()) as usize;
        let ty = u16::from_ne_bytes(rest[4..6].try_into().unwrap());
        out.push((ty, rest[16..len].to_vec()));
        rest = &rest[len.next_multiple_of(4).min(rest.len())..];
    }
    out
}

#[test]
fn owned_messages_round_trip_through_json() {
    for (object, cmd, args, _) in cases() {
        for (ty, payload) in messages(&batch(object, cmd, args)) {
            let owned = Msg::parse(ty, &payload).unwrap().to_owned();
            let json = serde_json::to_string(&owned).unwrap();
            let back: OwnedMsg = serde_json::from_str(&json)
                .unwrap_or_else(|e| panic!("{object} {cmd}: {e}\n{json}"));
            let back_json = serde_json::to_string(&back).unwrap();
            assert_eq!(back_json, json, "{object} {cmd}");
            let bytes = match &back {
                OwnedMsg::Link(m) => m.bytes(),
                OwnedMsg::Addr(m) => m.bytes(),
                OwnedMsg::Route(m) => m.bytes(),
                OwnedMsg::Rule(m) => m.bytes(),
                other => panic!("{object} {cmd}: came back as {other:?}"),
            };
            assert_eq!(bytes, &payload[..], "{object} {cmd}: {json}");
        }
    }
}
