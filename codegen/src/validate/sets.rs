//! Attribute sets: ids and names unique, each type word known, its keys those the type takes,
//! its references resolved into an [`AttrType`].

use std::collections::{BTreeMap, BTreeSet};

use super::{Files, OuterNeed, Validator};
use crate::ir::{self, AttrType, Scalar, SetId, StructId, SubId};
use crate::model::*;

/// Attribute value types other than scalars.
const VALUE_TYPES: &[&str] = &[
    "flag",
    "string",
    "bytes",
    "ip4",
    "ip6",
    "ipaddr",
    "lladdr",
    "mpls",
    "bitfield32",
    "struct",
    "structs",
    "nest",
    "array",
    "multipath",
    "sub-message",
];

/// The type words whose payload is attributes: the only ones `nested = true` (NLA_F_NESTED) fits.
const NESTING_TYPES: &[&str] = &["nest", "array", "multipath", "sub-message"];

/// The keys each type word accepts besides id, name, type, doc, multi, nested, since, cname.
fn allowed_keys(ty: &str) -> &'static [&'static str] {
    match ty {
        _ if Scalar::parse(ty).is_some() => &["enum", "flags"],
        "struct" => &["struct", "trailing", "count-field"],
        "structs" => &["struct"],
        "nest" => &["nest", "struct"],
        "array" => &["nest", "elem"],
        "multipath" => &["struct", "nest"],
        "sub-message" => &["sub-message", "selector"],
        _ => &[],
    }
}

/// The value types with no reference: their [`AttrType`].
fn simple_type(ty: &str) -> Option<AttrType> {
    Some(match ty {
        "flag" => AttrType::Flag,
        "string" => AttrType::String,
        "bytes" => AttrType::Bytes,
        "ip4" => AttrType::Ip4,
        "ip6" => AttrType::Ip6,
        "ipaddr" => AttrType::IpAddr,
        "lladdr" => AttrType::LlAddr,
        "mpls" => AttrType::Mpls,
        "bitfield32" => AttrType::Bitfield32,
        _ => return Scalar::parse(ty).map(|s| AttrType::Scalar(s, None)),
    })
}

impl<'s> Validator<'s, '_> {
    pub(super) fn sets(
        &mut self,
        files: &'s Files,
        structs: &mut [ir::StructDef],
    ) -> Vec<ir::SetDef> {
        let mut out = Vec::new();
        let mut outer_needs = Vec::new();
        for (_, path, f) in files {
            for s in &f.sets {
                let mut ids = BTreeMap::new();
                let mut seen = BTreeSet::new();
                let mut attrs = Vec::new();
                for a in &s.attributes {
                    let item = format!("attribute-set {}, attribute {}", s.name, a.name);
                    if let Some(other) = ids.insert(a.id, a.name.as_str()) {
                        self.err(path, &item, format!("duplicate id {} (also {other})", a.id));
                    }
                    if !seen.insert(a.name.as_str()) {
                        self.err(path, &item, "duplicate name");
                    }
                    if a.id & 0xc000 != 0 {
                        self.err(
                            path,
                            &item,
                            format!("id {} uses the NLA_F_ flag bits", a.id),
                        );
                    }
                    let ty = self.attr_type(path, &item, s, a, structs, &mut outer_needs);
                    if a.nested && !NESTING_TYPES.contains(&a.ty.as_str()) {
                        self.err(
                            path,
                            &item,
                            format!(
                                "nested = true on a {} (only {NESTING_TYPES:?} carry attributes)",
                                a.ty
                            ),
                        );
                    }
                    attrs.push(ir::AttrDef {
                        id: a.id,
                        name: a.name.clone(),
                        cname: a
                            .cname
                            .clone()
                            .unwrap_or_else(|| format!("{}{}", s.prefix, a.name.to_uppercase())),
                        doc: a.doc.clone(),
                        type_word: a.ty.clone(),
                        since: a.since.clone(),
                        multi: a.multi,
                        nested: a.nested,
                        ty,
                    });
                }
                let (name, prefix, doc) = (s.name.clone(), s.prefix.clone(), s.doc.clone());
                out.push(ir::SetDef {
                    name,
                    prefix,
                    doc,
                    attrs,
                });
            }
        }
        self.outer_needs = outer_needs;
        out
    }

    /// Checks one attribute's type and keys; resolves them.
    fn attr_type(
        &mut self,
        path: &'s str,
        item: &str,
        set: &'s Set,
        a: &'s Attr,
        structs: &mut [ir::StructDef],
        outer_needs: &mut Vec<OuterNeed<'s>>,
    ) -> AttrType {
        let t = a.ty.as_str();
        let scalar = Scalar::parse(t);
        if scalar.is_none() && !VALUE_TYPES.contains(&t) {
            self.err(path, item, format!("unknown type {t:?}"));
            return AttrType::Bytes;
        }
        let allowed = allowed_keys(t);
        for (key, present) in [
            ("enum", a.enumeration.is_some()),
            ("flags", a.flags.is_some()),
            ("struct", a.structure.is_some()),
            ("nest", a.nest.is_some()),
            ("elem", a.elem.is_some()),
            ("trailing", a.trailing.is_some()),
            ("count-field", a.count_field.is_some()),
            ("sub-message", a.sub_message.is_some()),
            ("selector", a.selector.is_some()),
        ] {
            if present && !allowed.contains(&key) {
                self.err(
                    path,
                    item,
                    format!("key {key:?} does not apply to type {t}"),
                );
            }
        }
        if let Some(sc) = scalar {
            let names = self.enum_ref(
                path,
                item,
                a.enumeration.as_deref(),
                a.flags.as_deref(),
                Some(t),
            );
            return AttrType::Scalar(sc, names);
        }
        if let Some(simple) = simple_type(t) {
            return simple;
        }
        let head =
            |v: &mut Self, required| v.need_struct(path, item, t, "struct", &a.structure, required);
        match t {
            "struct" => {
                let h = head(self, true);
                self.struct_type(path, item, a, h, structs)
            }
            "structs" => match head(self, true) {
                Some(h) if structs[h.0].size == 0 => {
                    self.err(
                        path,
                        item,
                        "structs of a 0-byte struct: no entry count fits",
                    );
                    AttrType::StructArray(h)
                }
                h => AttrType::StructArray(h.unwrap_or(StructId(0))),
            },
            "nest" => {
                let set = self
                    .need_set(path, item, t, &a.nest, true)
                    .unwrap_or(SetId(0));
                match head(self, false) {
                    Some(h) => AttrType::HeaderNest(h, set),
                    None => AttrType::Nest(set),
                }
            }
            "array" => self.array_type(path, item, a),
            "multipath" => {
                let h = head(self, true).unwrap_or(StructId(0));
                let set = self
                    .need_set(path, item, t, &a.nest, true)
                    .unwrap_or(SetId(0));
                AttrType::Multipath(h, set)
            }
            _ => self.sub_type(path, item, set, a, outer_needs),
        }
    }

    /// A `struct = "..."`-style reference (`required`: the type needs it).
    fn need_struct(
        &mut self,
        path: &str,
        item: &str,
        t: &str,
        key: &str,
        v: &Option<String>,
        required: bool,
    ) -> Option<StructId> {
        match v {
            Some(n) => match self.ids.structs.get(n.as_str()) {
                Some(id) => return Some(*id),
                None => self.err(path, item, format!("{key} {n:?} is not a defined struct")),
            },
            None if required => self.err(path, item, format!("type {t} needs {key} = \"...\"")),
            None => {}
        }
        None
    }

    /// A `nest = "..."` reference (`required`: the type needs it).
    fn need_set(
        &mut self,
        path: &str,
        item: &str,
        t: &str,
        v: &Option<String>,
        required: bool,
    ) -> Option<SetId> {
        match v {
            Some(n) => match self.ids.sets.get(n.as_str()) {
                Some(id) => return Some(*id),
                None => self.err(
                    path,
                    item,
                    format!("nest {n:?} is not a defined attribute-set"),
                ),
            },
            None if required => self.err(path, item, format!("type {t} needs nest = \"...\"")),
            None => {}
        }
        None
    }

    fn struct_type(
        &mut self,
        path: &str,
        item: &str,
        a: &Attr,
        head: Option<StructId>,
        structs: &mut [ir::StructDef],
    ) -> AttrType {
        let head_id = head.unwrap_or(StructId(0));
        let trailing = self.need_struct(path, item, "struct", "trailing", &a.trailing, false);
        match (trailing, &a.count_field) {
            (None, Some(_)) if a.trailing.is_none() => {
                self.err(path, item, "count-field needs trailing");
                AttrType::Struct(head_id)
            }
            (Some(tr), Some(cf)) => {
                let Some(h) = head.and_then(|h| structs.get_mut(h.0)) else {
                    return AttrType::Struct(head_id);
                };
                let field = h.fields.iter().find_map(|f| match &f.kind {
                    ir::FieldKind::Value {
                        name, ty, count, ..
                    } if name == cf => Some((ty, *count)),
                    _ => None,
                });
                let found = match field {
                    None => Err(format!(
                        "count-field {cf:?} is not a field of struct {}",
                        h.name
                    )),
                    Some((ir::FieldType::Scalar(ty), 1)) => Ok(ir::CountField {
                        name: cf.clone(),
                        ty: *ty,
                    }),
                    Some(_) => Err(format!(
                        "count-field {cf:?} is not an integer field of struct {}",
                        h.name
                    )),
                };
                match (found, &h.count_field) {
                    (Err(reason), _) => self.err(path, item, reason),
                    (Ok(f), Some(g)) if f != *g => {
                        let reason =
                            format!("struct {} is counted by two different fields", h.name);
                        self.err(path, item, reason);
                    }
                    (Ok(f), _) => h.count_field = Some(f),
                }
                AttrType::StructCounted(head_id, tr)
            }
            (Some(tr), None) => AttrType::StructRest(head_id, tr),
            (None, _) => AttrType::Struct(head_id),
        }
    }

    fn array_type(&mut self, path: &str, item: &str, a: &Attr) -> AttrType {
        match (&a.nest, &a.elem) {
            (Some(_), None) => AttrType::ArrayNest(
                self.need_set(path, item, "array", &a.nest, true)
                    .unwrap_or(SetId(0)),
            ),
            (None, Some(t)) => {
                let elem = simple_type(t).filter(|e| match e {
                    AttrType::Scalar(s, _) => !s.is_be(),
                    e => matches!(
                        e,
                        AttrType::String
                            | AttrType::Bytes
                            | AttrType::Ip4
                            | AttrType::Ip6
                            | AttrType::IpAddr
                            | AttrType::LlAddr
                    ),
                });
                match elem {
                    Some(e) => AttrType::ArrayElem(Box::new(e)),
                    None => {
                        let reason = match Scalar::parse(t) {
                            Some(s) if s.is_be() => {
                                format!("elem {t:?}: big-endian array elements are not supported")
                            }
                            _ => format!("elem {t:?} is not a scalar or a simple value type"),
                        };
                        self.err(path, item, reason);
                        AttrType::Bytes
                    }
                }
            }
            _ => {
                self.err(path, item, "array needs exactly one of nest or elem");
                AttrType::Bytes
            }
        }
    }

    fn sub_type(
        &mut self,
        path: &'s str,
        item: &str,
        set: &'s Set,
        a: &'s Attr,
        outer_needs: &mut Vec<OuterNeed<'s>>,
    ) -> AttrType {
        let sub = match &a.sub_message {
            Some(n) => match self.ids.subs.get(n.as_str()) {
                Some(id) => *id,
                None => {
                    self.err(path, item, format!("sub-message {n:?} is not defined"));
                    SubId(0)
                }
            },
            None => {
                self.err(path, item, "type sub-message needs sub-message = \"...\"");
                SubId(0)
            }
        };
        let sel = match a.selector.as_deref() {
            None => {
                self.err(path, item, "sub-message without selector");
                ir::Selector::Family
            }
            Some("header:family") => ir::Selector::Family,
            Some(sel) if sel.starts_with("header:") => {
                self.err(
                    path,
                    item,
                    format!("selector {sel:?}: only header:family is supported"),
                );
                ir::Selector::Family
            }
            Some(sel) if sel.starts_with("outer:") => {
                outer_needs.push((path, &set.name, &sel[6..]));
                ir::Selector::Outer
            }
            Some(sel) => match set.attributes.iter().find(|x| x.name == sel) {
                None => {
                    self.err(
                        path,
                        item,
                        format!("selector {sel:?} is not an attribute of set {}", set.name),
                    );
                    ir::Selector::Family
                }
                Some(x) if x.ty != "string" && Scalar::parse(&x.ty).is_none() => {
                    let reason = format!(
                        "selector {sel:?} must be a string or an integer, it is {}",
                        x.ty
                    );
                    self.err(path, item, reason);
                    ir::Selector::Family
                }
                Some(x) => ir::Selector::Sibling(x.id),
            },
        };
        AttrType::SubMessage(sub, sel)
    }
}
