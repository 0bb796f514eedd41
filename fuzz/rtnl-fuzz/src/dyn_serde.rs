//! Target `dyn_serde`: the table-driven views (`spec::DynMessage`, `spec::DynAttrs`) through
//! serde_json, in both styles (`Style::Map`, the JSON of `rtnl -j`; `Style::Raw`, pyroute2's
//! `[NAME, value]` pairs of `rtnl --raw`).
//!
//! Input: as for `families` (the corpora share seeds): a selector byte below 0x80 picks a message
//! family and the rest is a message payload; `[0x80 | hi, lo, family, attrs...]` picks an
//! attribute set directly. Checked: serialization never fails (malformed data is shown as text,
//! never an error), to a string and to a `serde_json::Value` alike; the text is JSON; in the raw
//! style there is one pair per attribute (malformed tails included).

use rtnl_core::spec::{Ctx, DynAttrs, DynMessage, Style};

use crate::families::FAMILIES;
use crate::getters::SET_SPECS;

/// The fuzz target.
pub fn fuzz(data: &[u8]) {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    if sel & 0x80 == 0 {
        let name = FAMILIES[sel as usize % FAMILIES.len()].0;
        let Some(spec) = rtnl_core::generated::MESSAGES
            .iter()
            .copied()
            .find(|m| m.name == name)
        else {
            return;
        };
        for style in [Style::Map, Style::Raw] {
            let m = DynMessage {
                spec,
                payload: rest,
                style,
            };
            let v = show(&m);
            if rest.len() >= spec.header.size {
                check_attrs(&m.attrs(), &v["attrs"]);
            }
        }
        return;
    }
    let [lo, family, attrs @ ..] = rest else {
        return;
    };
    let which = ((((sel & 0x7f) as usize) << 8) | *lo as usize) % SET_SPECS.len();
    for style in [Style::Map, Style::Raw] {
        let d = DynAttrs {
            set: SET_SPECS[which],
            buf: attrs,
            ctx: Ctx {
                family: *family,
                ..Ctx::default()
            },
            style,
        };
        let v = show(&d);
        check_attrs(&d, &v);
    }
}

/// Serializes `v` both ways; both must succeed and agree on being JSON.
fn show(v: &impl serde::Serialize) -> serde_json::Value {
    let text = serde_json::to_string(v).unwrap_or_else(|e| panic!("to_string failed: {e}"));
    let value = serde_json::to_value(v).unwrap_or_else(|e| panic!("to_value failed: {e}"));
    let parsed: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    // Map style may repeat a key (an attribute the schema does not mark multi, sent twice):
    // the Value keeps the last, so only the kind of value is compared.
    assert_eq!(
        core::mem::discriminant(&parsed),
        core::mem::discriminant(&value)
    );
    value
}

fn check_attrs(d: &DynAttrs<'_>, v: &serde_json::Value) {
    let raw = rtnl_core::nla::Attrs::new(d.buf).count();
    match d.style {
        Style::Raw => {
            let n = v.as_array().map(Vec::len);
            assert_eq!(n, Some(raw), "raw style: one pair per attribute");
        }
        Style::Map => {
            let n = v.as_object().map(|o| o.len());
            assert!(
                n.is_some_and(|n| n <= raw),
                "map style: at most one key per attribute"
            );
        }
    }
}
