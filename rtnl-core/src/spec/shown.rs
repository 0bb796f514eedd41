//! The way back from data to bytes: a message as the `json` views show it (header fields, then
//! `"attrs"`, in map style) into the message's payload bytes, through the keyword encoder.
//!
//! Most of what the views show is already what the encoder accepts (numbers, enum and flag
//! names, addresses, MACs). What differs is shape, and it follows the attribute's [`Kind`]:
//! bytes shown as hex, a struct followed by attributes shown as `{"header", "attrs"}`, arrays,
//! multipath hops. [`shown_to_value`] undoes those; [`encode_shown_message`] builds a whole
//! message. A sub-message payload (`linkinfo`'s `data` ...) takes the format its selector picks:
//! a sibling attribute's shown value (`"kind": "veth"`) or the header's family; a selector the
//! shown map does not hold leaves the payload as shown. Anything the encoder cannot take back (an
//! `UNKNOWN_<id>` attribute, a `"<...>"` decode error) is an [`ArgError`] naming it, never a
//! panic.

use super::encode::{EncodeCtx, encode_attr, encode_map, encode_struct};
use super::select::SelectorPayload;
use super::tables::{FieldType, FormatSpec, Kind, MessageSpec, Selector, SetSpec, StructSpec};
use super::value::Value;
use crate::error::ArgError;
use crate::nla;

/// A message shown as data (`{"family": 2, ..., "attrs": {...}}`) back into payload bytes.
///
/// ```
/// use rtnl_core::spec::{Value, encode_shown_message};
/// let v = Value::map([("family", Value::from(2)), ("dst_len", 24.into()),
///     ("attrs", Value::map([("dst", "10.0.0.0"), ("oif", "3")]))]);
/// let bytes = encode_shown_message(&rtnl_core::generated::ROUTE_MSG, &v).unwrap();
/// assert_eq!(bytes.len(), 12 + 8 + 8);
/// ```
pub fn encode_shown_message(spec: &MessageSpec, v: &Value) -> Result<Vec<u8>, ArgError> {
    let Value::Map(m) = v else {
        return Err(ArgError::new(
            spec.name,
            "expected a map of header fields and \"attrs\"",
        ));
    };
    let header: Vec<_> = m.iter().filter(|(k, _)| k != "attrs").cloned().collect();
    let mut buf = Vec::new();
    encode_struct(spec.header, &mut buf, spec.name, &Value::Map(header))?;
    let family = spec
        .family_offset
        .and_then(|o| buf.get(o).copied())
        .unwrap_or(0);
    nla::pad(&mut buf);
    let attrs = match m.iter().find(|(k, _)| k == "attrs") {
        Some((_, Value::Map(a))) => Value::Map(set_back(spec.attrs, a, family)),
        Some((_, other)) => other.clone(),
        None => Value::Map(Vec::new()),
    };
    encode_map(spec.attrs, &mut buf, family, spec.name, &attrs)?;
    Ok(buf)
}

/// A value as the map-style views show an attribute of kind `kind`, back into the keyword
/// form the encoder takes. Values already in keyword form come back unchanged. `family` is the
/// message header's address family (family-selected sub-messages need it; 0 when none).
pub fn shown_to_value(kind: &Kind, v: &Value, family: u8) -> Value {
    let back = |k: &Kind, x: &Value| shown_to_value(k, x, family);
    match (kind, v) {
        (Kind::Bytes, Value::Str(h)) => unhex(h).map_or_else(|| v.clone(), Value::Bytes),
        (Kind::Nest(set), Value::Map(m)) => Value::Map(set_back(set, m, family)),
        (Kind::Struct(st), Value::Map(m)) => struct_back(st, m),
        (Kind::StructTrailing(head, tail, _), Value::List(pair)) if pair.len() == 2 => {
            let entries = match &pair[1] {
                Value::List(e) => e.iter().map(|e| struct_or(tail, e)).collect(),
                other => vec![other.clone()],
            };
            Value::List(vec![struct_or(head, &pair[0]), Value::List(entries)])
        }
        (Kind::StructArray(st), Value::List(items)) => {
            Value::List(items.iter().map(|e| struct_or(st, e)).collect())
        }
        (Kind::HeaderNest(st, set), Value::Map(m)) => header_back(st, set, m, family),
        (Kind::ArrayNest(set), Value::List(items)) => {
            Value::List(items.iter().map(|x| back(&Kind::Nest(set), x)).collect())
        }
        (Kind::ArrayElem(k), Value::List(items)) => {
            Value::List(items.iter().map(|x| back(k, x)).collect())
        }
        (Kind::Multipath(st, set), Value::List(hops)) => Value::List(
            hops.iter()
                .map(|h| match h {
                    Value::Map(m) => header_back(st, set, m, family),
                    other => other.clone(),
                })
                .collect(),
        ),
        _ => v.clone(),
    }
}

/// A set's attributes: each by its kind; a repeated attribute's list item by item; a
/// sub-message by the format its selector picks.
fn set_back(set: &SetSpec, m: &[(String, Value)], family: u8) -> Vec<(String, Value)> {
    m.iter()
        .map(|(k, v)| {
            let v = match (set.by_name(k), v) {
                (Some(a), Value::List(items)) if a.multi => Value::List(
                    items
                        .iter()
                        .map(|x| shown_to_value(&a.kind, x, family))
                        .collect(),
                ),
                (Some(a), v) => match &a.kind {
                    Kind::SubMessage(sm, sel) => {
                        match selected(set, m, *sel, family, |p| sm.pick(p)) {
                            Some(f) => format_back(f, v, family),
                            None => v.clone(),
                        }
                    }
                    kind => shown_to_value(kind, v, family),
                },
                (None, v) => v.clone(),
            };
            (k.clone(), v)
        })
        .collect()
}

/// The format a sub-message's selector picks: the sibling attribute's shown value encoded to
/// its payload bytes, or the header's family.
fn selected(
    set: &SetSpec,
    siblings: &[(String, Value)],
    sel: Selector,
    family: u8,
    pick: impl Fn(SelectorPayload<'_>) -> Option<&'static FormatSpec>,
) -> Option<&'static FormatSpec> {
    match sel {
        Selector::Family => pick(SelectorPayload::Int(family.into())),
        Selector::Sibling(id) => {
            let a = set.by_id(id)?;
            let (_, v) = siblings.iter().find(|(k, _)| k == a.name || k == a.cname)?;
            let mut buf = Vec::new();
            encode_attr(set, &mut buf, EncodeCtx::default(), a.name, v).ok()?;
            let payload = nla::Attrs::new(&buf).next()?.ok()?.payload;
            pick(SelectorPayload::Bytes(payload))
        }
        Selector::Outer => None,
    }
}

/// A sub-message payload in the shape its format shows.
fn format_back(f: &FormatSpec, v: &Value, family: u8) -> Value {
    match (f.header, f.set) {
        (Some(st), Some(set)) => shown_to_value(&Kind::HeaderNest(st, set), v, family),
        (Some(st), None) => shown_to_value(&Kind::Struct(st), v, family),
        (None, Some(set)) => shown_to_value(&Kind::Nest(set), v, family),
        (None, None) => v.clone(),
    }
}

fn struct_or(st: &StructSpec, v: &Value) -> Value {
    match v {
        Value::Map(m) => struct_back(st, m),
        other => other.clone(),
    }
}

/// A struct's fields; nested structs (one or an array of them) by their own fields.
fn struct_back(st: &StructSpec, m: &[(String, Value)]) -> Value {
    Value::Map(
        m.iter()
            .map(|(k, v)| {
                let inner = st
                    .fields
                    .iter()
                    .find(|f| f.name == k)
                    .and_then(|f| match f.ty {
                        FieldType::Struct(s) => Some(s),
                        _ => None,
                    });
                let v = match (inner, v) {
                    (Some(s), Value::List(items)) => {
                        Value::List(items.iter().map(|x| struct_or(s, x)).collect())
                    }
                    (Some(s), v) => struct_or(s, v),
                    (None, v) => v.clone(),
                };
                (k.clone(), v)
            })
            .collect(),
    )
}

/// `{"header": {...}, "attrs": {...}}` into one keyword map: the struct's fields, then the
/// attributes (the shape the encoder takes for a struct followed by attributes).
fn header_back(st: &StructSpec, set: &SetSpec, m: &[(String, Value)], family: u8) -> Value {
    let mut out = Vec::new();
    for (k, v) in m {
        match (k.as_str(), v) {
            ("header", Value::Map(h)) => {
                if let Value::Map(f) = struct_back(st, h) {
                    out.extend(f);
                }
            }
            ("attrs", Value::Map(a)) => out.extend(set_back(set, a, family)),
            _ => out.push((k.clone(), v.clone())),
        }
    }
    Value::Map(out)
}

/// Hex text (as the views show bytes) into bytes; `None` when it is not hex.
fn unhex(h: &str) -> Option<Vec<u8>> {
    if !h.len().is_multiple_of(2) || !h.is_ascii() {
        return None;
    }
    (0..h.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&h[i..i + 2], 16).ok())
        .collect()
}
