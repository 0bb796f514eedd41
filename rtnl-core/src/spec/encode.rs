//! Keywords into attribute bytes: [`encode_attr`] (one attribute of a set, by our name or the
//! kernel's constant), [`encode_map`] (a nest), [`encode_struct`] (a struct by field names), all
//! driven by the static tables.
//!
//! The encoder only appends to the caller's buffer: it never sends, does no I/O, and never
//! panics on any [`Value`]. A bad value is an [`ArgError`] naming the argument (with its nesting
//! path: `linkinfo.data.vxlan_id`), and an attribute that fails leaves no bytes behind.

use std::net::IpAddr;

use super::select::SelectorPayload;
use super::tables::{
    AttrSpec, EnumSpec, FieldType, FormatSpec, IN6_ADDR, Kind, Scalar, Selector, SetSpec,
    StructSpec, SubMessageSpec,
};
use super::value::Value;
use crate::error::ArgError;
use crate::nla;
use crate::types;

/// Where an attribute is being encoded: the start of its set's attributes in the buffer (to find
/// sibling selectors) and the message's family.
#[derive(Debug, Clone, Copy, Default)]
pub struct EncodeCtx {
    /// Offset in the buffer where the current set's attributes begin.
    pub start: usize,
    /// The header's address family.
    pub family: u8,
}

fn bad(name: &str, reason: impl Into<String>) -> ArgError {
    ArgError::new(name, reason)
}

/// Appends attribute `name` (our name or the kernel's constant) of `set` with value `v`.
///
/// ```
/// use rtnl_core::spec::{encode_attr, EncodeCtx};
/// let mut buf = Vec::new();
/// encode_attr(&rtnl_core::generated::ROUTE_SPEC, &mut buf, EncodeCtx::default(), "oif", &3u32.into()).unwrap();
/// assert_eq!(buf, [8, 0, 4, 0, 3, 0, 0, 0]);
/// let err = encode_attr(&rtnl_core::generated::ROUTE_SPEC, &mut buf, EncodeCtx::default(), "oif", &"x".into());
/// assert!(err.unwrap_err().to_string().contains("oif"));
/// ```
pub fn encode_attr(
    set: &SetSpec,
    buf: &mut Vec<u8>,
    ctx: EncodeCtx,
    name: &str,
    v: &Value,
) -> Result<(), ArgError> {
    let spec = set.by_name(name).ok_or_else(|| {
        bad(
            name,
            format!(
                "no such attribute in set {} (prefix {})",
                set.name, set.prefix
            ),
        )
    })?;
    if let (true, Value::List(items)) = (spec.multi, v) {
        for item in items {
            encode_one(spec, buf, ctx, name, item)?;
        }
        return Ok(());
    }
    encode_one(spec, buf, ctx, name, v)
}

fn encode_one(
    spec: &AttrSpec,
    buf: &mut Vec<u8>,
    ctx: EncodeCtx,
    name: &str,
    v: &Value,
) -> Result<(), ArgError> {
    if matches!(spec.kind, Kind::Flag) {
        match v {
            Value::Bool(false) => return Ok(()),
            Value::Bool(true) => {
                nla::put(buf, spec.id, &[]);
                return Ok(());
            }
            _ => return Err(bad(name, "a flag takes true or false")),
        }
    }
    let ty = match spec.nested {
        true => spec.id | nla::NLA_F_NESTED,
        false => spec.id,
    };
    let start = nla::begin_nest_raw(buf, ty);
    let r = encode_payload(&spec.kind, buf, ctx, name, v).and_then(|()| {
        // nla_len is 16 bits: a longer attribute would be cut, and the kernel would read the
        // rest of its payload as further attributes.
        let len = buf.len() - start;
        if len > MAX_ATTR_LEN {
            return Err(bad(
                name,
                format!(
                    "{len} bytes: more than the {MAX_ATTR_LEN} an attribute (or nest) can hold"
                ),
            ));
        }
        Ok(())
    });
    if r.is_err() {
        buf.truncate(start);
        return r;
    }
    nla::end_nest(buf, start);
    Ok(())
}

/// The longest attribute, header included: `nla_len` is a `u16`.
pub const MAX_ATTR_LEN: usize = u16::MAX as usize;

/// Appends the payload of one attribute of kind `kind` (its header is the caller's).
fn encode_payload(
    kind: &Kind,
    buf: &mut Vec<u8>,
    ctx: EncodeCtx,
    name: &str,
    v: &Value,
) -> Result<(), ArgError> {
    match kind {
        Kind::Scalar(sc, e) => encode_scalar(*sc, *e, buf, name, v),
        Kind::Flag => Ok(()),
        Kind::String => encode_string(buf, name, v),
        Kind::Bytes => encode_bytes(buf, name, v),
        // In AF_MPLS (28) messages an address (RTA_DST) is a label stack.
        Kind::IpAddr if ctx.family == 28 => encode_mpls(buf, name, v),
        Kind::Ip4 | Kind::Ip6 | Kind::IpAddr => encode_ip(kind, buf, name, v),
        Kind::LlAddr => encode_lladdr(buf, name, v),
        Kind::Mpls => encode_mpls(buf, name, v),
        Kind::Bitfield32 => encode_bitfield32(buf, name, v),
        Kind::Struct(st) => encode_struct(st, buf, name, v),
        Kind::StructTrailing(head, tail, count) => {
            encode_struct_trailing(head, tail, *count, buf, name, v)
        }
        Kind::StructArray(st) => encode_struct_array(st, buf, name, v),
        Kind::Nest(set) => encode_map(set, buf, ctx.family, name, v),
        Kind::HeaderNest(st, set) => {
            let Value::Map(m) = v else {
                return Err(bad(name, "expected a map"));
            };
            encode_header_then_set(st, set, buf, ctx.family, name, m)
        }
        Kind::ArrayNest(set) => encode_array_nest(set, buf, ctx.family, name, v),
        Kind::ArrayElem(k) => encode_array_elem(k, buf, ctx, name, v),
        Kind::Multipath(st, set) => encode_multipath(st, set, buf, ctx.family, name, v),
        Kind::SubMessage(sm, sel) => encode_sub_message(sm, *sel, buf, ctx, name, v),
    }
}

/// An integer, a numeric string, or (with an enum) one of its names.
fn encode_scalar(
    sc: Scalar,
    e: Option<&EnumSpec>,
    buf: &mut Vec<u8>,
    name: &str,
    v: &Value,
) -> Result<(), ArgError> {
    let i = v.as_int(e).ok_or_else(|| {
        bad(
            name,
            format!("expected an integer{}, got {v:?}", enum_hint(e)),
        )
    })?;
    let b = sc
        .bytes(i)
        .ok_or_else(|| bad(name, format!("{i} does not fit in {sc:?}")))?;
    buf.extend_from_slice(&b);
    Ok(())
}

/// Text, NUL-terminated.
fn encode_string(buf: &mut Vec<u8>, name: &str, v: &Value) -> Result<(), ArgError> {
    match v {
        Value::Str(s) if s.contains('\0') => Err(bad(
            name,
            format!("{s:?} contains a NUL byte: the kernel would read only what comes before it"),
        )),
        Value::Str(s) => {
            buf.extend_from_slice(s.as_bytes());
            buf.push(0);
            Ok(())
        }
        _ => Err(bad(name, "expected a string")),
    }
}

/// Bytes as given (a string's UTF-8 bytes, without NUL).
fn encode_bytes(buf: &mut Vec<u8>, name: &str, v: &Value) -> Result<(), ArgError> {
    match v {
        Value::Bytes(b) => buf.extend_from_slice(b),
        Value::Str(s) => buf.extend_from_slice(s.as_bytes()),
        _ => return Err(bad(name, "expected bytes")),
    }
    Ok(())
}

/// An address of the family `kind` allows (`IpAddr` takes either).
fn encode_ip(kind: &Kind, buf: &mut Vec<u8>, name: &str, v: &Value) -> Result<(), ArgError> {
    let ip = match v {
        Value::Ip(ip) => *ip,
        Value::Str(s) => s
            .parse()
            .map_err(|_| bad(name, format!("{s:?} is not an IP address")))?,
        _ => return Err(bad(name, "expected an IP address")),
    };
    match (kind, ip) {
        (Kind::Ip4 | Kind::IpAddr, IpAddr::V4(a)) => buf.extend_from_slice(&a.octets()),
        (Kind::Ip6 | Kind::IpAddr, IpAddr::V6(a)) => buf.extend_from_slice(&a.octets()),
        _ => return Err(bad(name, format!("{ip} is of the wrong address family"))),
    }
    Ok(())
}

/// A link-layer address: `02:00:00:00:00:01`, or raw bytes.
fn encode_lladdr(buf: &mut Vec<u8>, name: &str, v: &Value) -> Result<(), ArgError> {
    match v {
        Value::Bytes(b) => buf.extend_from_slice(b),
        Value::Str(s) => buf.extend_from_slice(
            &types::parse_lladdr(s)
                .ok_or_else(|| bad(name, format!("{s:?} is not a link-layer address")))?,
        ),
        _ => {
            return Err(bad(
                name,
                "expected a link-layer address like 02:00:00:00:00:01",
            ));
        }
    }
    Ok(())
}

/// An MPLS label stack: one label, `"100/200"`, a `{label, bos}` map (pyroute2's), or a list
/// of labels or maps. The bottom-of-stack bit is the last label's, whatever a map says.
fn encode_mpls(buf: &mut Vec<u8>, name: &str, v: &Value) -> Result<(), ArgError> {
    let label = |x: &Value| match x {
        Value::Map(m) => m
            .iter()
            .find(|(k, _)| k == "label")
            .and_then(|(_, v)| v.as_int(None)),
        x => x.as_int(None),
    };
    let labels: Vec<u32> = match v {
        Value::Int(i) => vec![*i as u32],
        Value::Map(_) => {
            vec![label(v).ok_or_else(|| bad(name, "a map's label is an integer"))? as u32]
        }
        Value::Str(s) => s
            .split('/')
            .map(|p| {
                p.trim()
                    .parse()
                    .map_err(|_| bad(name, format!("{p:?} is not an MPLS label")))
            })
            .collect::<Result<_, _>>()?,
        Value::List(l) => l
            .iter()
            .map(|x| {
                label(x)
                    .map(|i| i as u32)
                    .ok_or_else(|| bad(name, "labels are integers or {label} maps"))
            })
            .collect::<Result<_, _>>()?,
        _ => return Err(bad(name, "expected MPLS labels like 100/200")),
    };
    buf.extend_from_slice(&types::encode_mpls(&labels));
    Ok(())
}

/// `nla_bitfield32`: an integer (value and selector alike), `[value, selector]`, or a map.
fn encode_bitfield32(buf: &mut Vec<u8>, name: &str, v: &Value) -> Result<(), ArgError> {
    let (value, selector) = match v {
        Value::Int(i) => (*i as u32, *i as u32),
        Value::List(l) if l.len() == 2 => (
            l[0].as_int(None)
                .ok_or_else(|| bad(name, "value is an integer"))? as u32,
            l[1].as_int(None)
                .ok_or_else(|| bad(name, "selector is an integer"))? as u32,
        ),
        Value::Map(m) => {
            let get = |k: &str| {
                m.iter()
                    .find(|(n, _)| n == k)
                    .and_then(|(_, v)| v.as_int(None))
            };
            (
                get("value").unwrap_or(0) as u32,
                get("selector").unwrap_or(0) as u32,
            )
        }
        _ => return Err(bad(name, "expected {value, selector}")),
    };
    buf.extend_from_slice(&types::Bitfield32 { value, selector }.to_bytes());
    Ok(())
}

/// A struct, then trailing structs: `[header, [entries]]` (the count field, if the schema names
/// one, is set from the entries), or raw bytes.
fn encode_struct_trailing(
    head: &StructSpec,
    tail: &StructSpec,
    count: Option<&str>,
    buf: &mut Vec<u8>,
    name: &str,
    v: &Value,
) -> Result<(), ArgError> {
    match v {
        Value::Bytes(b) => buf.extend_from_slice(b),
        Value::List(l) if l.len() == 2 => {
            let Value::List(items) = &l[1] else {
                return Err(bad(name, "second element: list of entries"));
            };
            let mut h = l[0].clone();
            if let (Value::Map(m), Some(count)) = (&mut h, count) {
                m.retain(|(k, _)| k != count);
                m.push((count.to_string(), Value::Int(items.len() as i128)));
            }
            encode_struct(head, buf, name, &h)?;
            for it in items {
                encode_struct(tail, buf, name, it)?;
            }
        }
        _ => return Err(bad(name, "expected [header, [entries]] or bytes")),
    }
    Ok(())
}

/// Structs back to back: a list of entries (maps or bytes), or bytes.
fn encode_struct_array(
    st: &StructSpec,
    buf: &mut Vec<u8>,
    name: &str,
    v: &Value,
) -> Result<(), ArgError> {
    match v {
        Value::Bytes(b) if b.len().is_multiple_of(st.size.max(1)) => buf.extend_from_slice(b),
        Value::List(items) => {
            for it in items {
                encode_struct(st, buf, name, it)?;
            }
        }
        _ => {
            return Err(bad(name, format!("expected a list of {} entries", st.name)));
        }
    }
    Ok(())
}

/// An indexed array of nests: a list of maps, as nests 1..n.
fn encode_array_nest(
    set: &SetSpec,
    buf: &mut Vec<u8>,
    family: u8,
    name: &str,
    v: &Value,
) -> Result<(), ArgError> {
    encode_indexed(buf, name, v, |buf, it| {
        encode_map(set, buf, family, name, it)
    })
}

/// An indexed array of values: a list, as attributes 1..n of kind `k`.
fn encode_array_elem(
    k: &Kind,
    buf: &mut Vec<u8>,
    ctx: EncodeCtx,
    name: &str,
    v: &Value,
) -> Result<(), ArgError> {
    encode_indexed(buf, name, v, |buf, it| {
        encode_payload(k, buf, ctx, name, it)
    })
}

/// A list as attributes 1..n, each item's payload written by `item`.
fn encode_indexed(
    buf: &mut Vec<u8>,
    name: &str,
    v: &Value,
    mut item: impl FnMut(&mut Vec<u8>, &Value) -> Result<(), ArgError>,
) -> Result<(), ArgError> {
    let items = match v {
        Value::List(items) => items,
        // Already encoded (a tc action list with tc's NLA_F_NESTED bits): as it is.
        Value::Bytes(b) => {
            buf.extend_from_slice(b);
            return Ok(());
        }
        _ => return Err(bad(name, "expected a list")),
    };
    for (i, it) in items.iter().enumerate() {
        let s = nla::begin_nest_raw(buf, (i + 1) as u16);
        item(buf, it)?;
        nla::end_nest(buf, s);
    }
    Ok(())
}

/// `RTA_MULTIPATH`: a list of hop maps, each the struct's fields and the attributes that follow
/// it; the struct's first `u16` is set to the hop's length.
fn encode_multipath(
    st: &StructSpec,
    set: &SetSpec,
    buf: &mut Vec<u8>,
    family: u8,
    name: &str,
    v: &Value,
) -> Result<(), ArgError> {
    let Value::List(hops) = v else {
        return Err(bad(name, "expected a list of hops"));
    };
    for (i, hop) in hops.iter().enumerate() {
        let Value::Map(m) = hop else {
            return Err(bad(name, "each hop is a map"));
        };
        let (hdr, attrs) = split_fields(st, m);
        let s = buf.len();
        encode_struct(st, buf, name, &hdr)?;
        encode_map(set, buf, family, name, &attrs)?;
        let len = u16::try_from(buf.len() - s).map_err(|_| {
            bad(
                name,
                format!(
                    "hop #{i} is {} bytes: more than the 65 535 its length field (rtnh_len) holds",
                    buf.len() - s
                ),
            )
        })?;
        buf[s..s + 2].copy_from_slice(&len.to_ne_bytes());
        nla::pad(buf);
    }
    Ok(())
}

/// A sub-message in the format its selector picks (raw bytes are always accepted).
fn encode_sub_message(
    sm: &SubMessageSpec,
    sel: Selector,
    buf: &mut Vec<u8>,
    ctx: EncodeCtx,
    name: &str,
    v: &Value,
) -> Result<(), ArgError> {
    // Sibling selectors are resolved by scanning the set's bytes written so far.
    let fmt = match sel {
        Selector::Sibling(id) => nla::Attrs::new(buf.get(ctx.start..).unwrap_or(&[]))
            .filter_map(Result::ok)
            .find(|a| a.id == id)
            .and_then(|a| sm.select(a.payload)),
        Selector::Family => sm.pick(SelectorPayload::Int(ctx.family as u64)),
        Selector::Outer => None,
    };
    match (fmt, v) {
        (_, Value::Bytes(b)) => buf.extend_from_slice(b),
        (None, _) => {
            return Err(bad(
                name,
                format!(
                    "cannot tell the format of {}: set its selector first, or pass bytes",
                    sm.name
                ),
            ));
        }
        (
            Some(FormatSpec {
                header: None,
                set: Some(set),
                ..
            }),
            v,
        ) => encode_map(set, buf, ctx.family, name, v)?,
        (
            Some(FormatSpec {
                header: Some(st),
                set: None,
                ..
            }),
            v,
        ) => encode_struct(st, buf, name, v)?,
        (
            Some(FormatSpec {
                header: Some(st),
                set: Some(set),
                ..
            }),
            Value::Map(m),
        ) => {
            encode_header_then_set(st, set, buf, ctx.family, name, m)?;
        }
        (
            Some(FormatSpec {
                header: None,
                set: None,
                ..
            }),
            _,
        ) => {}
        _ => return Err(bad(name, "expected a map")),
    }
    Ok(())
}

/// Splits keywords into a struct's fields and the attributes that follow it (pyroute2 mixes
/// both in one map: `{"hops": 0, "gateway": ...}`).
fn split_fields(st: &StructSpec, m: &[(String, Value)]) -> (Value, Value) {
    let (hdr, attrs): (Vec<_>, Vec<_>) = m
        .iter()
        .cloned()
        .partition(|(k, _)| st.fields.iter().any(|f| f.name == k));
    (Value::Map(hdr), Value::Map(attrs))
}

/// A struct (from the map's field keywords), padding, then the set's attributes (the rest).
fn encode_header_then_set(
    st: &StructSpec,
    set: &SetSpec,
    buf: &mut Vec<u8>,
    family: u8,
    name: &str,
    m: &[(String, Value)],
) -> Result<(), ArgError> {
    let (hdr, attrs) = split_fields(st, m);
    encode_struct(st, buf, name, &hdr)?;
    nla::pad(buf);
    encode_map(set, buf, family, name, &attrs)
}

fn enum_hint(e: Option<&EnumSpec>) -> String {
    match e {
        Some(e) => {
            let names: Vec<_> = e.values.iter().take(12).map(|v| v.1).collect();
            format!(" or one of {} ({})", e.name, names.join(", "))
        }
        None => String::new(),
    }
}

/// Encodes a map of attribute names to values as the attributes of `set`.
pub fn encode_map(
    set: &SetSpec,
    buf: &mut Vec<u8>,
    family: u8,
    name: &str,
    v: &Value,
) -> Result<(), ArgError> {
    let Value::Map(m) = v else {
        return Err(bad(
            name,
            format!("expected a map of {} attributes", set.name),
        ));
    };
    let ctx = EncodeCtx {
        start: buf.len(),
        family,
    };
    for (k, v) in m {
        encode_attr(set, buf, ctx, k, v)
            .map_err(|e| ArgError::new(format!("{name}.{}", e.name), e.reason))?;
    }
    Ok(())
}

/// Encodes a struct from raw bytes (exact size) or a map of field names (missing fields are zero).
pub fn encode_struct(
    st: &StructSpec,
    buf: &mut Vec<u8>,
    name: &str,
    v: &Value,
) -> Result<(), ArgError> {
    match v {
        Value::Ip(std::net::IpAddr::V6(a)) if st.name == IN6_ADDR => {
            buf.extend_from_slice(&a.octets());
            Ok(())
        }
        Value::Str(s) if st.name == IN6_ADDR => {
            let a: std::net::Ipv6Addr = s
                .parse()
                .map_err(|_| bad(name, format!("{s:?} is not an IPv6 address")))?;
            buf.extend_from_slice(&a.octets());
            Ok(())
        }
        Value::Bytes(b) if b.len() == st.size => {
            buf.extend_from_slice(b);
            Ok(())
        }
        Value::Bytes(b) => Err(bad(
            name,
            format!("{} is {} bytes, got {}", st.name, st.size, b.len()),
        )),
        Value::Map(m) => {
            let start = buf.len();
            buf.resize(start + st.size, 0);
            let mut extra = Vec::new();
            for (k, fv) in m {
                if k == "_extra" {
                    // What a decoded view showed beyond the struct goes back as it came.
                    extra = match fv {
                        Value::Bytes(b) => b.clone(),
                        Value::Str(h) => (0..h.len() / 2)
                            .map(|i| u8::from_str_radix(h.get(2 * i..2 * i + 2).unwrap_or(""), 16))
                            .collect::<Result<_, _>>()
                            .map_err(|_| bad(name, format!("{}._extra: not hex", st.name)))?,
                        _ => return Err(bad(name, format!("{}._extra: hex bytes", st.name))),
                    };
                    continue;
                }
                let f =
                    st.fields.iter().find(|f| f.name == k).ok_or_else(|| {
                        bad(name, format!("struct {} has no field {k:?}", st.name))
                    })?;
                let at = start + f.offset;
                match &f.ty {
                    FieldType::Scalar(sc) if f.count == 1 => {
                        let i = fv.as_int(f.enumeration).ok_or_else(|| {
                            bad(name, format!("{}.{k}: expected an integer", st.name))
                        })?;
                        let b = sc.bytes(i).ok_or_else(|| {
                            bad(name, format!("{}.{k}: {i} does not fit", st.name))
                        })?;
                        buf[at..at + b.len()].copy_from_slice(&b);
                    }
                    FieldType::Scalar(sc) => {
                        let Value::List(items) = fv else {
                            return Err(bad(name, format!("{k}: expected a list")));
                        };
                        for (i, it) in items.iter().take(f.count).enumerate() {
                            let n = it
                                .as_int(None)
                                .ok_or_else(|| bad(name, format!("{k}: integers")))?;
                            let b = sc
                                .bytes(n)
                                .ok_or_else(|| bad(name, format!("{k}: {n} does not fit")))?;
                            let o = at + i * sc.size();
                            buf[o..o + b.len()].copy_from_slice(&b);
                        }
                    }
                    FieldType::Struct(inner) => {
                        let mut tmp = Vec::new();
                        encode_struct(inner, &mut tmp, name, fv)?;
                        if tmp.len() != inner.size {
                            // Only `_extra` makes it longer, and only the outermost struct has
                            // room after it.
                            return Err(bad(
                                name,
                                format!("{}.{k}: _extra fits only the outermost struct", st.name),
                            ));
                        }
                        buf[at..at + tmp.len()].copy_from_slice(&tmp);
                    }
                    FieldType::Pad => {}
                }
            }
            buf.extend_from_slice(&extra);
            Ok(())
        }
        _ => Err(bad(name, format!("expected a map of {} fields", st.name))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::FieldSpec;
    use crate::spec::tests::{HDR, TOP};

    #[test]
    fn bad_keywords_name_the_argument() {
        let mut buf = Vec::new();
        let e = encode_attr(
            &TOP,
            &mut buf,
            EncodeCtx::default(),
            "color",
            &"green".into(),
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("color") && e.to_string().contains("red"),
            "{e}"
        );
        let e = encode_attr(
            &TOP,
            &mut buf,
            EncodeCtx::default(),
            "port",
            &70000u32.into(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("does not fit"), "{e}");
        let e = encode_attr(&TOP, &mut buf, EncodeCtx::default(), "nope", &1u8.into()).unwrap_err();
        assert!(e.to_string().contains("no such attribute"), "{e}");
        let e = encode_attr(
            &TOP,
            &mut buf,
            EncodeCtx::default(),
            "data",
            &Value::map([("x", 1u32)]),
        )
        .unwrap_err();
        assert!(e.to_string().contains("selector"), "{e}");
        assert!(buf.is_empty(), "a failed attribute leaves no bytes behind");
    }

    static PAIR: StructSpec = StructSpec {
        name: "pair",
        size: 10,
        fields: &[
            FieldSpec {
                name: "tag",
                offset: 0,
                ty: FieldType::Scalar(Scalar::U16),
                count: 1,
                enumeration: None,
            },
            FieldSpec {
                name: "hdr",
                offset: 2,
                ty: FieldType::Struct(&HDR),
                count: 1,
                enumeration: None,
            },
        ],
    };

    #[test]
    fn nested_structs_fill_their_field_and_no_more() {
        let mut buf = Vec::new();
        let v = Value::map([
            ("tag", Value::from(1u16)),
            ("hdr", Value::map([("port", 80u16)])),
        ]);
        encode_struct(&PAIR, &mut buf, "pair", &v).unwrap();
        assert_eq!(buf.len(), 10);
        assert_eq!(&buf[6..8], &[0, 80]);
        // Bytes beyond a nested struct have nowhere to go: an error, not a panic.
        let v = Value::map([("hdr", Value::map([("_extra", "0000")]))]);
        let e = encode_struct(&PAIR, &mut Vec::new(), "pair", &v).unwrap_err();
        assert!(e.to_string().contains("_extra"), "{e}");
    }

    #[test]
    fn what_the_kernel_would_misread_is_refused_naming_the_keyword() {
        use crate::generated::{LINK_SPEC, ROUTE_SPEC};
        let mut buf = Vec::new();
        let ctx = EncodeCtx::default();
        let err = encode_attr(&LINK_SPEC, &mut buf, ctx, "ifname", &"v0\0x".into()).unwrap_err();
        assert_eq!(err.name, "ifname");
        assert!(err.reason.contains("NUL"), "{err}");
        let long = "x".repeat(70_000);
        let err =
            encode_attr(&LINK_SPEC, &mut buf, ctx, "ifalias", &long.as_str().into()).unwrap_err();
        assert_eq!(err.name, "ifalias");
        assert!(err.reason.contains("65535"), "{err}");
        // A nest over 65 535 bytes: many multipath hops.
        let hop = Value::Map(vec![("gateway".into(), "10.0.0.1".into())]);
        let hops = Value::List(vec![hop; 5000]);
        let err = encode_attr(
            &ROUTE_SPEC,
            &mut buf,
            EncodeCtx {
                start: 0,
                family: 2,
            },
            "multipath",
            &hops,
        )
        .unwrap_err();
        assert_eq!(err.name, "multipath");
        assert!(
            buf.is_empty(),
            "nothing of a refused attribute stays in the buffer"
        );
    }
}
