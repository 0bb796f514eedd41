//! Serde views over received bytes: [`DynAttrs`] (a set's attributes), [`DynMessage`] (header
//! fields, then `"attrs"`) and [`struct_view`], each serializable as a map for JSON
//! ([`Style::Map`]) or as pyroute2's `[[NAME, value], ...]` pairs ([`Style::Raw`]).
//!
//! The views never panic on any bytes: a malformed attribute shows as an `"error"` entry or a
//! `"<...>"` string naming the problem, an unknown one as `UNKNOWN_<id>` with its bytes in hex.
//! They borrow the bytes and never copy a message. What they allocate is small and only where
//! serde needs an owned value: hex and error text, an unknown attribute's `UNKNOWN_<id>` name,
//! and the element list of an array or a repeated attribute. Paths that must not allocate per
//! message (dump loops) read the generated views instead.

use std::fmt::Write as _;

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use super::iter::MultipathIter;
use super::select::Ctx;
use super::tables::{
    AttrSpec, EnumSpec, FieldType, FormatSpec, IN6_ADDR, Kind, MessageSpec, Scalar, Selector,
    SetSpec, StructSpec, SubMessageSpec,
};
use crate::error::DecodeError;
use crate::nla;
use crate::types::{self, read};

/// How [`DynAttrs`] serializes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `{"name": value}`; repeated attributes become arrays; enums by name.
    Map,
    /// pyroute2's shape: `[["RTA_DST", value], ...]`; numbers as numbers.
    Raw,
}

/// A set's attributes over received bytes, serializable in either [`Style`].
#[derive(Debug, Clone, Copy)]
pub struct DynAttrs<'a> {
    /// The set.
    pub set: &'static SetSpec,
    /// Its attributes' bytes.
    pub buf: &'a [u8],
    /// Inherited context.
    pub ctx: Ctx<'a>,
    /// Output shape.
    pub style: Style,
}

struct DynValue<'a> {
    kind: &'static Kind,
    payload: &'a [u8],
    siblings: &'a [u8],
    ctx: Ctx<'a>,
    style: Style,
    what: &'static str,
}

struct DynStruct<'a> {
    spec: &'static StructSpec,
    bytes: &'a [u8],
    style: Style,
    /// A whole attribute payload: bytes beyond the struct (fields a newer kernel appended) are
    /// kept, as hex under `_extra`, so nothing the kernel sent is hidden.
    extra: bool,
}

fn hex(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() * 2);
    for x in b {
        let _ = write!(s, "{x:02x}");
    }
    s
}

fn unknown_name(id: u16) -> String {
    format!("UNKNOWN_{id}")
}

impl Serialize for DynAttrs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.ctx.too_deep() {
            return ser_err(s, Ctx::TOO_DEEP);
        }
        match self.style {
            Style::Raw => {
                let mut seq = s.serialize_seq(None)?;
                for a in nla::Attrs::new(self.buf) {
                    match a {
                        Ok(a) => match self.set.by_id(a.id) {
                            Some(spec) => {
                                seq.serialize_element(&(spec.cname, self.value(spec, a.payload)))?
                            }
                            None => seq.serialize_element(&(unknown_name(a.id), hex(a.payload)))?,
                        },
                        Err(e) => seq.serialize_element(&("error", e.to_string()))?,
                    }
                }
                seq.end()
            }
            Style::Map => {
                let mut map = s.serialize_map(None)?;
                let mut seen_multi: Vec<u16> = Vec::new();
                for a in nla::Attrs::new(self.buf) {
                    match a {
                        Ok(a) => match self.set.by_id(a.id) {
                            Some(spec) if spec.multi => {
                                if seen_multi.contains(&a.id) {
                                    continue;
                                }
                                seen_multi.push(a.id);
                                let all: Vec<_> = nla::Attrs::new(self.buf)
                                    .filter_map(Result::ok)
                                    .filter(|b| b.id == a.id)
                                    .map(|b| self.value(spec, b.payload))
                                    .collect();
                                map.serialize_entry(spec.name, &all)?;
                            }
                            Some(spec) => {
                                map.serialize_entry(spec.name, &self.value(spec, a.payload))?
                            }
                            None => map.serialize_entry(&unknown_name(a.id), &hex(a.payload))?,
                        },
                        Err(e) => map.serialize_entry("error", &e.to_string())?,
                    }
                }
                map.end()
            }
        }
    }
}

impl<'a> DynAttrs<'a> {
    fn value(&self, spec: &'static AttrSpec, payload: &'a [u8]) -> DynValue<'a> {
        DynValue {
            kind: &spec.kind,
            payload,
            siblings: self.buf,
            ctx: self.ctx,
            style: self.style,
            what: spec.cname,
        }
    }
}

fn ser_err<S: Serializer>(s: S, e: DecodeError) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format!("<{e}>"))
}

fn ser_scalar<S: Serializer>(
    s: S,
    sc: Scalar,
    e: Option<&'static EnumSpec>,
    b: &[u8],
    style: Style,
) -> Result<S::Ok, S::Error> {
    let Some(v) = sc.read(b) else {
        return s.serialize_str("<short>");
    };
    if let (Some(e), Style::Map) = (e, style)
        && !e.flags
        && let Some(n) = e.name_of(v as u64)
    {
        return s.serialize_str(n);
    }
    if sc.signed() {
        s.serialize_i64(v as i64)
    } else {
        s.serialize_u64(v as u64)
    }
}

impl Serialize for DynValue<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (p, what, style) = (self.payload, self.what, self.style);
        match self.kind {
            Kind::Scalar(sc, e) => {
                if p.len() != sc.size() {
                    return ser_err(s, DecodeError::new(what, 0, "payload has the wrong length"));
                }
                ser_scalar(s, *sc, *e, p, style)
            }
            Kind::Flag => s.serialize_bool(true),
            Kind::String => match read::string(p, what) {
                Ok(v) => s.serialize_str(v),
                Err(_) => s.serialize_str(&String::from_utf8_lossy(p)),
            },
            Kind::Bytes => s.serialize_str(&hex(p)),
            Kind::Ip4 | Kind::Ip6 | Kind::IpAddr => match read::ipaddr(p, what) {
                Ok(a) => s.collect_str(&a),
                Err(e) => ser_err(s, e),
            },
            Kind::LlAddr => types::LlAddr(p).serialize(s),
            Kind::Mpls => match read::mpls(p, what) {
                Ok(m) => s.collect_str(&m),
                Err(e) => ser_err(s, e),
            },
            Kind::Bitfield32 => match read::bitfield32(p, what) {
                Ok(b) => b.serialize(s),
                Err(e) => ser_err(s, e),
            },
            Kind::Struct(st) => DynStruct {
                extra: true,
                spec: st,
                bytes: p,
                style,
            }
            .serialize(s),
            Kind::StructTrailing(head, tail, _) => ser_struct_trailing(s, head, tail, p, style),
            Kind::StructArray(st) => ser_struct_array(s, st, p, style),
            Kind::Nest(set) => self.attrs(set, p).serialize(s),
            Kind::HeaderNest(st, set) => header_then_attrs(s, st, set, p, self.ctx, style),
            Kind::ArrayNest(set) => self.ser_array_nest(s, set),
            Kind::ArrayElem(kind) => self.ser_array_elem(s, kind),
            Kind::Multipath(st, set) => self.ser_multipath(s, st, set),
            Kind::SubMessage(sm, sel) => self.ser_sub_message(s, sm, *sel),
        }
    }
}

impl<'a> DynValue<'a> {
    /// The attributes in `buf` as a set of this value's context and style.
    fn attrs(&self, set: &'static SetSpec, buf: &'a [u8]) -> DynAttrs<'a> {
        DynAttrs {
            set,
            buf,
            ctx: self.ctx.nested(),
            style: self.style,
        }
    }

    /// An indexed array of nests: a list of attribute maps.
    fn ser_array_nest<S: Serializer>(
        &self,
        s: S,
        set: &'static SetSpec,
    ) -> Result<S::Ok, S::Error> {
        let items: Vec<_> = nla::Attrs::new(self.payload)
            .filter_map(Result::ok)
            .map(|a| self.attrs(set, a.payload))
            .collect();
        items.serialize(s)
    }

    /// An indexed array of values: a list.
    fn ser_array_elem<S: Serializer>(&self, s: S, kind: &'static Kind) -> Result<S::Ok, S::Error> {
        let p = self.payload;
        let items: Vec<_> = nla::Attrs::new(p)
            .filter_map(Result::ok)
            .map(|a| DynValue {
                kind,
                payload: a.payload,
                siblings: p,
                ctx: self.ctx,
                style: self.style,
                what: self.what,
            })
            .collect();
        items.serialize(s)
    }

    /// `RTA_MULTIPATH`: a list of `{header, attrs}` hops; a malformed hop ends the list with an
    /// error string.
    fn ser_multipath<S: Serializer>(
        &self,
        s: S,
        st: &'static StructSpec,
        set: &'static SetSpec,
    ) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for hop in MultipathIter::new(self.payload, st.size) {
            match hop {
                Ok((h, attrs)) => {
                    let mut m = std::collections::BTreeMap::new();
                    m.insert(
                        "header",
                        DynOr::S(DynStruct {
                            extra: false,
                            spec: st,
                            bytes: h,
                            style: self.style,
                        }),
                    );
                    m.insert("attrs", DynOr::A(self.attrs(set, attrs)));
                    seq.serialize_element(&m)?;
                }
                Err(e) => seq.serialize_element(&format!("<{e}>"))?,
            }
        }
        seq.end()
    }

    /// A sub-message in the format its selector picks; hex when none (an unknown kind) or when
    /// the format is empty.
    fn ser_sub_message<S: Serializer>(
        &self,
        s: S,
        sm: &'static SubMessageSpec,
        sel: Selector,
    ) -> Result<S::Ok, S::Error> {
        let (p, style) = (self.payload, self.style);
        let fmt = self
            .ctx
            .selector_payload(sel, self.siblings)
            .and_then(|v| sm.pick(v));
        match fmt {
            None => s.serialize_str(&hex(p)),
            Some(FormatSpec {
                header: None,
                set: None,
                ..
            }) => s.serialize_str(&hex(p)),
            Some(FormatSpec {
                header: None,
                set: Some(set),
                ..
            }) => self.attrs(set, p).serialize(s),
            Some(FormatSpec {
                header: Some(st),
                set: None,
                ..
            }) => DynStruct {
                extra: false,
                spec: st,
                bytes: p,
                style,
            }
            .serialize(s),
            Some(FormatSpec {
                header: Some(st),
                set: Some(set),
                ..
            }) => header_then_attrs(s, st, set, p, self.ctx, style),
        }
    }
}

/// A struct followed by as many entries as fill the payload: `[header, [entries]]`, or an
/// error string with the bytes in hex when they are not a header and whole entries.
fn ser_struct_trailing<S: Serializer>(
    s: S,
    head: &'static StructSpec,
    tail: &'static StructSpec,
    p: &[u8],
    style: Style,
) -> Result<S::Ok, S::Error> {
    if p.len() < head.size || !(p.len() - head.size).is_multiple_of(tail.size.max(1)) {
        return s.serialize_str(&format!(
            "<{} + {}[]: {} bytes are not a header and whole entries: {}>",
            head.name,
            tail.name,
            p.len(),
            hex(p)
        ));
    }
    let mut seq = s.serialize_seq(None)?;
    seq.serialize_element(&DynStruct {
        extra: false,
        spec: head,
        bytes: p,
        style,
    })?;
    let rest = p.get(head.size..).unwrap_or(&[]);
    let items: Vec<_> = rest
        .chunks_exact(tail.size.max(1))
        .map(|c| DynStruct {
            extra: false,
            spec: tail,
            bytes: c,
            style,
        })
        .collect();
    seq.serialize_element(&items)?;
    seq.end()
}

/// Structs back to back (NHA_GROUP): a list of objects.
fn ser_struct_array<S: Serializer>(
    s: S,
    st: &'static StructSpec,
    p: &[u8],
    style: Style,
) -> Result<S::Ok, S::Error> {
    if !p.len().is_multiple_of(st.size.max(1)) {
        return s.serialize_str(&format!(
            "<{}[]: {} bytes are not whole entries: {}>",
            st.name,
            p.len(),
            hex(p)
        ));
    }
    let mut seq = s.serialize_seq(Some(p.len() / st.size.max(1)))?;
    for c in p.chunks_exact(st.size.max(1)) {
        seq.serialize_element(&DynStruct {
            extra: false,
            spec: st,
            bytes: c,
            style,
        })?;
    }
    seq.end()
}

/// A struct followed by attributes (`VETH_INFO_PEER`, netem's options): `{header, attrs}`.
fn header_then_attrs<S: Serializer>(
    s: S,
    st: &'static StructSpec,
    set: &'static SetSpec,
    p: &[u8],
    ctx: Ctx<'_>,
    style: Style,
) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(2))?;
    map.serialize_entry(
        "header",
        &DynStruct {
            extra: false,
            spec: st,
            bytes: p,
            style,
        },
    )?;
    let rest = p.get(nla::align(st.size)..).unwrap_or(&[]);
    map.serialize_entry(
        "attrs",
        &DynAttrs {
            set,
            buf: rest,
            ctx: ctx.nested(),
            style,
        },
    )?;
    map.end()
}

enum DynOr<'a> {
    S(DynStruct<'a>),
    A(DynAttrs<'a>),
}

impl Serialize for DynOr<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            DynOr::S(x) => x.serialize(s),
            DynOr::A(x) => x.serialize(s),
        }
    }
}

impl Serialize for DynStruct<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.spec.name == IN6_ADDR && self.bytes.len() >= 16 {
            let mut o = [0u8; 16];
            o.copy_from_slice(&self.bytes[..16]);
            return s.collect_str(&std::net::Ipv6Addr::from(o));
        }
        if self.bytes.len() < self.spec.size {
            return s.serialize_str(&format!(
                "<{}: {} bytes, struct needs {}>",
                self.spec.name,
                self.bytes.len(),
                self.spec.size
            ));
        }
        let mut map = s.serialize_map(None)?;
        for f in self.spec.fields {
            let b = &self.bytes[f.offset..];
            match &f.ty {
                FieldType::Pad => {}
                FieldType::Scalar(sc) if f.count == 1 => {
                    map.serialize_entry(f.name, &ScalarOut(*sc, f.enumeration, b, self.style))?
                }
                FieldType::Scalar(sc) => {
                    let items: Vec<_> = (0..f.count)
                        .map(|i| ScalarOut(*sc, None, &b[i * sc.size()..], self.style))
                        .collect();
                    map.serialize_entry(f.name, &items)?
                }
                FieldType::Struct(st) => {
                    let items: Vec<_> = (0..f.count)
                        .map(|i| DynStruct {
                            extra: false,
                            spec: st,
                            bytes: &b[i * st.size..],
                            style: self.style,
                        })
                        .collect();
                    if f.count == 1 {
                        map.serialize_entry(f.name, &items[0])?
                    } else {
                        map.serialize_entry(f.name, &items)?
                    }
                }
            }
        }
        if self.extra && self.bytes.len() > self.spec.size {
            map.serialize_entry("_extra", &hex(&self.bytes[self.spec.size..]))?;
        }
        map.end()
    }
}

struct ScalarOut<'a>(Scalar, Option<&'static EnumSpec>, &'a [u8], Style);

impl Serialize for ScalarOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ser_scalar(s, self.0, self.1, self.2, self.3)
    }
}

/// A struct's bytes, serialized field by field.
pub fn struct_view<'a>(
    spec: &'static StructSpec,
    bytes: &'a [u8],
    style: Style,
) -> impl Serialize + 'a {
    DynStruct {
        spec,
        bytes,
        style,
        extra: false,
    }
}

/// A whole message (fixed header + attributes) over received bytes, serializable: header fields,
/// then `"attrs"` in the chosen [`Style`].
#[derive(Debug, Clone, Copy)]
pub struct DynMessage<'a> {
    /// The family.
    pub spec: &'static MessageSpec,
    /// Header and attributes (the netlink message's payload).
    pub payload: &'a [u8],
    /// Output shape.
    pub style: Style,
}

impl DynMessage<'_> {
    /// The attributes after the header.
    pub fn attrs(&self) -> DynAttrs<'_> {
        DynAttrs {
            set: self.spec.attrs,
            buf: self
                .payload
                .get(nla::align(self.spec.header.size)..)
                .unwrap_or(&[]),
            ctx: self.spec.ctx(self.payload).nested(),
            style: self.style,
        }
    }
}

impl Serialize for DynMessage<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let h = self.spec.header;
        let mut map = s.serialize_map(None)?;
        if self.payload.len() < h.size {
            map.serialize_entry("error", &format!("message shorter than struct {}", h.name))?;
            return map.end();
        }
        for f in h.fields {
            if let (FieldType::Scalar(sc), 1) = (&f.ty, f.count) {
                map.serialize_entry(
                    f.name,
                    &ScalarOut(*sc, f.enumeration, &self.payload[f.offset..], self.style),
                )?;
            }
        }
        map.serialize_entry("attrs", &self.attrs())?;
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::Style;
    use crate::spec::tests::json;

    #[test]
    fn malformed_bytes_serialize_as_errors_not_panics() {
        for bad in [
            &[5u8, 0, 1, 0, 9][..],
            &[8, 0, 1, 0, 1, 2, 3],
            &[4, 0, 7, 0, 2, 0, 7, 0],
        ] {
            let _ = json(bad, Style::Map);
            let _ = json(bad, Style::Raw);
        }
    }
}
