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

/// A value for an attribute kind, or None for kinds this test leaves to the typed tests.
fn value(kind: &Kind, r: &mut Rng, depth: usize) -> Option<Value> {
    Some(match kind {
        Kind::Scalar(sc, _) => {
            let bits = 8 * sc.size() as u32;
            let v = r.next() as i128 & ((1i128 << bits) - 1);
            let v = match sc {
                rtnl_core::spec::Scalar::S8
                | rtnl_core::spec::Scalar::S16
                | rtnl_core::spec::Scalar::S32
                | rtnl_core::spec::Scalar::S64 => {
                    if v >= 1i128 << (bits - 1) {
                        v - (1i128 << bits)
                    } else {
                        v
                    }
                }
                _ => v,
            };
            Value::Int(v)
        }
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
        Kind::Nest(set) if depth < 2 => {
            let mut m = Vec::new();
            for a in set.attrs.iter().take(4) {
                if let Some(v) = value(&a.kind, r, depth + 1) {
                    m.push((a.name.to_string(), v));
                }
            }
            Value::Map(m)
        }
        _ => return None,
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
        (_, j) => json_value(j),
    }
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
    let sets = all_sets();
    for set in &sets {
        for a in set.attrs {
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
        "{} sets, {attrs} attributes, {checks} round trips",
        sets.len()
    );
    assert!(attrs > 1000, "too few attributes exercised: {attrs}");
    assert!(
        failures.is_empty(),
        "{} attributes do not round-trip:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
