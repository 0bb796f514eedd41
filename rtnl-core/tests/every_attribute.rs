//! Every attribute of every set: emit a generated value, parse it back to data, emit that data
//! again: the bytes are identical. Runs over every set of the schema (generated::SETS) and all
//! sets reachable from the message families (nests, arrays, multipath and sub-message formats
//! included), for integers of every width and byte order, enums by name, addresses, MACs,
//! strings, flags, label stacks, bitfields, structs and nested sets. Values come from a seeded
//! generator, many rounds per attribute.

use std::collections::BTreeSet;

use rtnl_core::nla;
use rtnl_core::spec::{
    AttrSpec, Ctx, DynAttrs, EncodeCtx, FieldType, Kind, SetSpec, StructSpec, Style, Value,
    encode_attr,
};
use serde_json::Value as J;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

fn all_sets() -> Vec<&'static SetSpec> {
    let mut out: Vec<&'static SetSpec> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut todo: Vec<&'static SetSpec> = rtnl_core::generated::MESSAGES
        .iter()
        .map(|m| m.attrs)
        .collect();
    // Sets no message reaches (request-only sets, statistics) too.
    todo.extend(rtnl_core::generated::SETS.iter().copied());
    while let Some(s) = todo.pop() {
        if !seen.insert(s.name) {
            continue;
        }
        out.push(s);
        for a in s.attrs {
            match &a.kind {
                Kind::Nest(n)
                | Kind::HeaderNest(_, n)
                | Kind::ArrayNest(n)
                | Kind::Multipath(_, n) => todo.push(n),
                Kind::SubMessage(sm, _) => todo.extend(sm.formats.iter().filter_map(|f| f.set)),
                _ => {}
            }
        }
    }
    out
}

/// Struct bytes with zeroed padding (padding is not data, it does not round-trip).
fn struct_bytes(st: &StructSpec, r: &mut Rng) -> Vec<u8> {
    let mut b = r.bytes(st.size);
    for f in st.fields {
        match &f.ty {
            FieldType::Pad => b[f.offset..f.offset + f.count].fill(0),
            FieldType::Struct(inner) => {
                for i in 0..f.count {
                    let at = f.offset + i * inner.size;
                    let nb = struct_bytes(inner, r);
                    b[at..at + inner.size].copy_from_slice(&nb);
                }
            }
            FieldType::Scalar(_) => {}
        }
    }
    // Bytes not covered by any field (implicit tail) are padding too.
    let covered: usize = st
        .fields
        .iter()
        .map(|f| f.offset + f.count * field_size(f))
        .max()
        .unwrap_or(0);
    b[covered.min(st.size)..].fill(0);
    b
}

fn field_size(f: &rtnl_core::spec::FieldSpec) -> usize {
    match &f.ty {
        FieldType::Scalar(s) => s.size(),
        FieldType::Struct(s) => s.size,
        FieldType::Pad => 1,
    }
}

/// A random integer of a scalar's width and signedness.
fn int_of(sc: rtnl_core::spec::Scalar, r: &mut Rng) -> i128 {
    use rtnl_core::spec::Scalar::{S8, S16, S32, S64};
    let bits = 8 * sc.size() as u32;
    let v = r.next() as i128 & ((1i128 << bits) - 1);
    match sc {
        S8 | S16 | S32 | S64 if v >= 1i128 << (bits - 1) => v - (1i128 << bits),
        _ => v,
    }
}

/// A struct as keywords (`{field: value}`), the way a user passes one; arrays of structs, which
/// the keyword encoder does not take, stay zero.
fn struct_map(st: &StructSpec, r: &mut Rng) -> Vec<(String, Value)> {
    let mut m = Vec::new();
    for f in st.fields {
        match &f.ty {
            FieldType::Pad => {}
            FieldType::Scalar(sc) if f.count == 1 => {
                m.push((f.name.to_string(), Value::Int(int_of(*sc, r))))
            }
            FieldType::Scalar(sc) => m.push((
                f.name.to_string(),
                Value::List((0..f.count).map(|_| Value::Int(int_of(*sc, r))).collect()),
            )),
            FieldType::Struct(inner) if f.count == 1 => {
                m.push((f.name.to_string(), Value::Map(struct_map(inner, r))))
            }
            FieldType::Struct(_) => {}
        }
    }
    m
}

/// Up to three attributes of a set, as keywords.
fn set_map(set: &SetSpec, r: &mut Rng, depth: usize) -> Vec<(String, Value)> {
    let mut m = Vec::new();
    for a in set.attrs.iter().take(3) {
        if let Some(v) = value(&a.kind, r, depth + 1) {
            m.push((a.name.to_string(), v));
        }
    }
    m
}

/// A value for an attribute kind, or None for kinds this test leaves to the typed tests
/// (sub-messages here: [`sub_message_formats_round_trip`] gives each its selector).
fn value(kind: &Kind, r: &mut Rng, depth: usize) -> Option<Value> {
    Some(match kind {
        Kind::Scalar(sc, _) => Value::Int(int_of(*sc, r)),
        Kind::Flag => Value::Bool(true),
        Kind::String => {
            let n = 1 + r.next() % 12;
            Value::Str(
                (0..n)
                    .map(|_| (b'a' + (r.next() % 26) as u8) as char)
                    .collect(),
            )
        }
        Kind::Bytes => {
            let n = (r.next() % 20) as usize;
            Value::Bytes(r.bytes(n))
        }
        Kind::Ip4 => Value::Ip(std::net::Ipv4Addr::from(r.next() as u32).into()),
        Kind::Ip6 => Value::Ip(
            std::net::Ipv6Addr::from(((r.next() as u128) << 64) | r.next() as u128).into(),
        ),
        Kind::IpAddr if r.next().is_multiple_of(2) => {
            Value::Ip(std::net::Ipv4Addr::from(r.next() as u32).into())
        }
        Kind::IpAddr => Value::Ip(
            std::net::Ipv6Addr::from(((r.next() as u128) << 64) | r.next() as u128).into(),
        ),
        Kind::LlAddr => Value::Bytes(r.bytes(6)),
        Kind::Mpls => {
            let n = 1 + r.next() % 3;
            Value::List(
                (0..n)
                    .map(|_| Value::Int((r.next() % (1 << 20)) as i128))
                    .collect(),
            )
        }
        Kind::Bitfield32 => Value::List(vec![
            Value::Int((r.next() as u32) as i128),
            Value::Int((r.next() as u32) as i128),
        ]),
        Kind::Struct(st) => Value::Bytes(struct_bytes(st, r)),
        Kind::StructTrailing(head, tail, _) => {
            let n = (r.next() % 4) as usize;
            Value::List(vec![
                Value::Map(struct_map(head, r)),
                Value::List((0..n).map(|_| Value::Map(struct_map(tail, r))).collect()),
            ])
        }
        Kind::StructArray(st) => {
            let n = (r.next() % 4) as usize;
            Value::List((0..n).map(|_| Value::Map(struct_map(st, r))).collect())
        }
        Kind::Nest(set) if depth < 2 => Value::Map(set_map(set, r, depth)),
        Kind::Nest(_) => Value::Map(Vec::new()),
        Kind::HeaderNest(st, set) => {
            let mut m = struct_map(st, r);
            if depth < 2 {
                m.extend(set_map(set, r, depth));
            }
            Value::Map(m)
        }
        Kind::ArrayNest(set) => {
            let n = 1 + (r.next() % 2) as usize;
            Value::List(
                (0..n)
                    .map(|_| {
                        Value::Map(if depth < 2 {
                            set_map(set, r, depth)
                        } else {
                            Vec::new()
                        })
                    })
                    .collect(),
            )
        }
        Kind::ArrayElem(k) => {
            let n = 1 + (r.next() % 3) as usize;
            Value::List(
                (0..n)
                    .map(|_| value(k, r, depth + 1))
                    .collect::<Option<Vec<_>>>()?,
            )
        }
        Kind::Multipath(st, set) => {
            let n = 1 + (r.next() % 2) as usize;
            Value::List(
                (0..n)
                    .map(|_| {
                        let mut m = struct_map(st, r);
                        if depth < 2 {
                            m.extend(set_map(set, r, depth));
                        }
                        Value::Map(m)
                    })
                    .collect(),
            )
        }
        Kind::SubMessage(..) => return None,
    })
}

/// JSON (map style) back into a keyword value, the way a user would pass it.
fn back(kind: &Kind, j: &J) -> Value {
    match (kind, j) {
        (Kind::Bytes, J::String(h)) => Value::Bytes(
            (0..h.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
                .collect(),
        ),
        (Kind::Nest(set), J::Object(m)) => Value::Map(
            m.iter()
                .map(|(k, v)| {
                    let a = set
                        .by_name(k)
                        .unwrap_or_else(|| panic!("{} has no {k}", set.name));
                    match (a.multi, v) {
                        (true, J::Array(items)) => (
                            k.clone(),
                            Value::List(items.iter().map(|x| back(&a.kind, x)).collect()),
                        ),
                        _ => (k.clone(), back(&a.kind, v)),
                    }
                })
                .collect(),
        ),
        (Kind::Struct(st), J::Object(m)) => struct_back(st, m),
        (Kind::StructTrailing(head, tail, _), J::Array(pair)) if pair.len() == 2 => {
            let entries = pair[1].as_array().cloned().unwrap_or_default();
            Value::List(vec![
                match &pair[0] {
                    J::Object(m) => struct_back(head, m),
                    j => json_value(j),
                },
                Value::List(
                    entries
                        .iter()
                        .map(|e| match e {
                            J::Object(m) => struct_back(tail, m),
                            j => json_value(j),
                        })
                        .collect(),
                ),
            ])
        }
        (Kind::StructArray(st), J::Array(entries)) => Value::List(
            entries
                .iter()
                .map(|e| match e {
                    J::Object(m) => struct_back(st, m),
                    j => json_value(j),
                })
                .collect(),
        ),
        (Kind::HeaderNest(st, set), J::Object(m)) => header_back(st, set, m),
        (Kind::ArrayNest(set), J::Array(items)) => {
            Value::List(items.iter().map(|x| back(&Kind::Nest(set), x)).collect())
        }
        (Kind::ArrayElem(k), J::Array(items)) => {
            Value::List(items.iter().map(|x| back(k, x)).collect())
        }
        (Kind::Multipath(st, set), J::Array(hops)) => Value::List(
            hops.iter()
                .map(|h| header_back(st, set, h.as_object().unwrap()))
                .collect(),
        ),
        (_, j) => json_value(j),
    }
}

/// `{"header": {...}, "attrs": {...}}` back into one keyword map (struct fields, then attributes).
fn header_back(st: &StructSpec, set: &'static SetSpec, m: &serde_json::Map<String, J>) -> Value {
    let mut out = match m.get("header") {
        Some(J::Object(h)) => match struct_back(st, h) {
            Value::Map(v) => v,
            _ => unreachable!(),
        },
        _ => Vec::new(),
    };
    if let Some(a) = m.get("attrs")
        && let Value::Map(v) = back(&Kind::Nest(set), a)
    {
        out.extend(v);
    }
    Value::Map(out)
}

fn struct_back(st: &StructSpec, m: &serde_json::Map<String, J>) -> Value {
    Value::Map(
        m.iter()
            .map(|(k, v)| {
                let f = st.fields.iter().find(|f| f.name == k).unwrap();
                let v = match (&f.ty, v) {
                    (FieldType::Struct(inner), J::Object(o)) => struct_back(inner, o),
                    (FieldType::Struct(inner), J::Array(a)) => Value::List(
                        a.iter()
                            .map(|x| struct_back(inner, x.as_object().unwrap()))
                            .collect(),
                    ),
                    _ => json_value(v),
                };
                (k.clone(), v)
            })
            .collect(),
    )
}

fn json_value(j: &J) -> Value {
    match j {
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => Value::Int(
            n.as_i64()
                .map(i128::from)
                .or_else(|| n.as_u64().map(i128::from))
                .unwrap(),
        ),
        J::String(s) => Value::Str(s.clone()),
        J::Array(a) => Value::List(a.iter().map(json_value).collect()),
        J::Object(o) => Value::Map(o.iter().map(|(k, v)| (k.clone(), json_value(v))).collect()),
        J::Null => Value::Bool(false),
    }
}

fn round_trip(set: &'static SetSpec, a: &'static AttrSpec, v: &Value) -> Result<(), String> {
    let mut first = Vec::new();
    encode_attr(set, &mut first, EncodeCtx::default(), a.name, v)
        .map_err(|e| format!("encode: {e}"))?;
    let view = DynAttrs {
        set,
        buf: &first,
        ctx: Ctx::default(),
        style: Style::Map,
    };
    let json = serde_json::to_value(view).unwrap();
    let decoded = json
        .get(a.name)
        .ok_or_else(|| format!("{} missing from {json}", a.name))?;
    let decoded = if a.multi { &decoded[0] } else { decoded };
    if let J::String(s) = decoded
        && s.starts_with('<')
    {
        return Err(format!("did not decode: {s}"));
    }
    let again = back(&a.kind, decoded);
    let mut second = Vec::new();
    encode_attr(set, &mut second, EncodeCtx::default(), a.name, &again)
        .map_err(|e| format!("re-encode {again:?}: {e}"))?;
    if first != second {
        return Err(format!(
            "bytes differ: {first:02x?} vs {second:02x?} (via {decoded})"
        ));
    }
    let _ = nla::Attrs::new(&first).count();
    Ok(())
}

#[test]
fn every_attribute_of_every_set_round_trips() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut attrs, mut checks, mut failures) = (0, 0, Vec::new());
    let mut by_kind: std::collections::BTreeMap<&str, usize> = Default::default();
    let sets = all_sets();
    for set in &sets {
        for a in set.attrs {
            *by_kind.entry(kind_name(&a.kind)).or_default() += 1;
            let mut tried = false;
            for _ in 0..20 {
                let Some(v) = value(&a.kind, &mut rng, 0) else {
                    break;
                };
                tried = true;
                checks += 1;
                if let Err(e) = round_trip(set, a, &v) {
                    failures.push(format!("{} {}: {e}", set.name, a.cname));
                    break;
                }
            }
            attrs += tried as usize;
        }
    }
    println!(
        "{} sets, {attrs} attributes, {checks} round trips; attributes by kind: {by_kind:?}",
        sets.len()
    );
    assert!(attrs > 1000, "too few attributes exercised: {attrs}");
    let all: usize = by_kind.values().sum();
    let subs = by_kind.get("sub-message").copied().unwrap_or(0);
    assert_eq!(
        attrs + subs,
        all,
        "every attribute but the sub-messages (tested with their selectors) gets a value"
    );
    for k in [
        "struct+trailing",
        "header+nest",
        "array of nests",
        "array",
        "multipath",
    ] {
        assert!(
            by_kind.get(k).copied().unwrap_or(0) > 0,
            "no {k} attribute exercised"
        );
    }
    assert!(
        failures.is_empty(),
        "{} attributes do not round-trip:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn kind_name(k: &Kind) -> &'static str {
    match k {
        Kind::StructTrailing(..) => "struct+trailing",
        Kind::StructArray(_) => "structs",
        Kind::HeaderNest(..) => "header+nest",
        Kind::ArrayNest(_) => "array of nests",
        Kind::ArrayElem(_) => "array",
        Kind::Multipath(..) => "multipath",
        Kind::SubMessage(..) => "sub-message",
        Kind::Nest(_) => "nest",
        Kind::Struct(_) => "struct",
        _ => "scalar or value",
    }
}

/// Every format of every sub-message chosen by a sibling (IFLA_INFO_KIND, TCA_KIND, an encap
/// type ...): the selector, then a generated value of that format, survive emit -> parse -> emit.
#[test]
fn sub_message_formats_round_trip() {
    use rtnl_core::spec::{SelValue, Selector};
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let (mut formats, mut failures) = (0, Vec::new());
    for set in all_sets() {
        for a in set.attrs {
            let Kind::SubMessage(sm, Selector::Sibling(id)) = &a.kind else {
                continue;
            };
            let sel = set.attrs.iter().find(|x| x.id == *id).unwrap();
            for f in sm.formats {
                let sel_v = match f.value {
                    SelValue::Str(s) => Value::Str(s.to_string()),
                    SelValue::Int(i) => Value::Int(i as i128),
                };
                let mut m = match f.header {
                    Some(st) => struct_map(st, &mut rng),
                    None => Vec::new(),
                };
                if let Some(inner) = f.set {
                    m.extend(set_map(inner, &mut rng, 0));
                }
                let v = match (f.header, f.set) {
                    (None, None) => continue,
                    (Some(st), None) => Value::Bytes(struct_bytes(st, &mut rng)),
                    _ => Value::Map(m),
                };
                formats += 1;
                let mut first = Vec::new();
                let ctx = EncodeCtx::default();
                let r = encode_attr(set, &mut first, ctx, sel.name, &sel_v)
                    .and_then(|_| encode_attr(set, &mut first, ctx, a.name, &v));
                if let Err(e) = r {
                    failures.push(format!(
                        "{} {} [{:?}]: encode: {e}",
                        set.name, a.cname, f.value
                    ));
                    continue;
                }
                let view = DynAttrs {
                    set,
                    buf: &first,
                    ctx: Ctx::default(),
                    style: Style::Map,
                };
                let json = serde_json::to_value(view).unwrap();
                let mut second = Vec::new();
                let again_sel = back(&sel.kind, &json[sel.name]);
                let again = match (f.header, f.set, &json[a.name]) {
                    (Some(st), Some(inner), J::Object(o)) => header_back(st, inner, o),
                    (None, Some(inner), j) => back(&Kind::Nest(inner), j),
                    (Some(st), None, J::Object(o)) => struct_back(st, o),
                    (_, _, j) => {
                        failures.push(format!(
                            "{} {} [{:?}]: did not decode: {j}",
                            set.name, a.cname, f.value
                        ));
                        continue;
                    }
                };
                let r = encode_attr(set, &mut second, ctx, sel.name, &again_sel)
                    .and_then(|_| encode_attr(set, &mut second, ctx, a.name, &again));
                match r {
                    Err(e) => failures.push(format!(
                        "{} {} [{:?}]: re-encode: {e}",
                        set.name, a.cname, f.value
                    )),
                    Ok(()) if first != second => failures.push(format!(
                        "{} {} [{:?}]: bytes differ (via {})",
                        set.name, a.cname, f.value, json[a.name]
                    )),
                    Ok(()) => {}
                }
            }
        }
    }
    println!("{formats} sub-message formats round-trip with their selectors");
    assert!(formats > 100, "too few formats exercised: {formats}");
    assert!(
        failures.is_empty(),
        "{} formats do not round-trip:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
