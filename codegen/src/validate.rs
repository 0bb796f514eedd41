//! Validation: the parsed schema files in, the resolved [`Model`] out, or every problem found
//! (file, item, reason). One pass per item kind — names, structs, enums, attribute sets,
//! sub-messages, messages, tc plugins — each resolving references to ids as it checks them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::ir::{self, AttrType, EnumId, Model, Scalar, SetId, StructId, SubId};
use crate::model::*;
use crate::names::camel;
use crate::schema::{NLM_FLAGS, Names, SchemaError, SchemaErrors, reachable, struct_size};

/// `(file stem, display path, contents)`, as [`crate::Schema`] holds them.
pub type Files = [(String, String, File)];

/// Checks `files` and resolves them into a [`Model`].
pub fn validate<'s>(files: &'s Files, names: &Names<'s>) -> Result<Model, SchemaErrors> {
    let mut v = Validator {
        errs: Vec::new(),
        names,
        ids: Ids::new(files),
        outer_needs: Vec::new(),
    };
    v.check_names(files);
    let mut model = Model {
        structs: v.structs(files),
        enums: v.enums(files),
        ..Model::default()
    };
    model.sets = v.sets(files, &mut model.structs);
    model.subs = v.subs(files, &model);
    model.messages = v.messages(files, &model);
    v.plugins(files);
    if !v.errs.is_empty() {
        return Err(SchemaErrors(v.errs));
    }
    model.files = module_files(files);
    Ok(model)
}

/// Name -> id tables (the first definition of a name wins; duplicates are errors anyway).
struct Ids<'s> {
    structs: HashMap<&'s str, StructId>,
    enums: HashMap<&'s str, EnumId>,
    sets: HashMap<&'s str, SetId>,
    subs: HashMap<&'s str, SubId>,
}

impl<'s> Ids<'s> {
    fn new(files: &'s Files) -> Self {
        fn table<'s, T, I>(
            items: impl Iterator<Item = &'s T>,
            name: fn(&'s T) -> &'s str,
            id: fn(usize) -> I,
        ) -> HashMap<&'s str, I>
        where
            T: 's,
        {
            let mut m = HashMap::new();
            for (i, t) in items.enumerate() {
                m.entry(name(t)).or_insert(id(i));
            }
            m
        }
        let all = || files.iter().map(|(_, _, f)| f);
        Ids {
            structs: table(all().flat_map(|f| &f.structs), |s| &s.name, StructId),
            enums: table(all().flat_map(|f| &f.enums), |e| &e.name, EnumId),
            sets: table(all().flat_map(|f| &f.sets), |s| &s.name, SetId),
            subs: table(all().flat_map(|f| &f.sub_messages), |s| &s.name, SubId),
        }
    }
}

struct Validator<'s, 'n> {
    errs: Vec<SchemaError>,
    names: &'n Names<'s>,
    ids: Ids<'s>,
    /// `outer:X` selectors seen in sets, checked against each message's top set.
    outer_needs: Vec<OuterNeed<'s>>,
}

impl<'s> Validator<'s, '_> {
    fn err(&mut self, file: &str, item: impl Into<String>, reason: impl Into<String>) {
        self.errs.push(SchemaError {
            file: file.into(),
            item: item.into(),
            reason: reason.into(),
        });
    }

    /// Unique names per kind, names spelled `[a-z0-9_]`, and unique generated Rust type names.
    fn check_names(&mut self, files: &'s Files) {
        let mut seen: HashMap<(&str, &str), &str> = HashMap::new();
        let mut rust_names: HashMap<String, String> = HashMap::new();
        for (_, path, f) in files {
            let set_types = |n: &str| {
                let c = camel(n);
                ["Attrs", "Attr", "Builder", "Set"]
                    .map(|s| format!("{c}{s}"))
                    .to_vec()
            };
            let items = (f
                .structs
                .iter()
                .map(|s| ("struct", &s.name, vec![camel(&s.name)])))
            .chain(
                f.enums
                    .iter()
                    .map(|e| ("enum", &e.name, vec![camel(&e.name)])),
            )
            .chain(
                f.sets
                    .iter()
                    .map(|s| ("attribute-set", &s.name, set_types(&s.name))),
            )
            .chain(
                f.sub_messages
                    .iter()
                    .map(|s| ("sub-message", &s.name, vec![camel(&s.name)])),
            )
            .chain(
                f.message
                    .iter()
                    .map(|m| ("message", &m.name, vec![format!("{}Msg", camel(&m.name))])),
            );
            for (kind, name, rust) in items {
                let item = format!("{kind} {name}");
                if let Some(other) = seen.insert((kind, name), path) {
                    self.err(
                        path,
                        &item,
                        format!("duplicate name (also defined in {other})"),
                    );
                }
                if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                {
                    self.err(path, &item, "names are [a-z0-9_]");
                }
                for r in rust {
                    let who = format!("{kind} {name} ({path})");
                    if let Some(other) = rust_names.insert(r.clone(), who.clone())
                        && other != who
                    {
                        let reason = format!("generated Rust name {r} collides with {other}");
                        self.err(path, &item, reason);
                    }
                }
            }
        }
    }

    fn structs(&mut self, files: &Files) -> Vec<ir::StructDef> {
        let mut out = Vec::new();
        let mut memo = BTreeMap::new();
        for (_, path, f) in files {
            for s in &f.structs {
                let item = format!("struct {}", s.name);
                let mut offset = 0usize;
                let mut seen = BTreeSet::new();
                let mut fields = Vec::new();
                for (i, fl) in s.fields.iter().enumerate() {
                    let kind = match (&fl.name, &fl.ty, fl.pad) {
                        (None, None, Some(p)) => ir::FieldKind::Pad(p),
                        (Some(n), Some(t), None) => {
                            let fitem = format!("{item}, field {n}");
                            if !seen.insert(n.as_str()) {
                                self.err(path, &fitem, "duplicate field name");
                            }
                            let ty = match (Scalar::parse(t), self.names.structs.get(t.as_str())) {
                                (Some(sc), _) => ir::FieldType::Scalar(sc),
                                (None, Some(inner)) => {
                                    let w = struct_size(inner, self.names, &mut memo, 0);
                                    ir::FieldType::Struct(
                                        self.ids.structs[t.as_str()],
                                        w.unwrap_or(0),
                                    )
                                }
                                (None, None) => {
                                    let reason =
                                        format!("unknown type {t:?} (a scalar or a struct name)");
                                    self.err(path, &fitem, reason);
                                    ir::FieldType::Struct(StructId(0), 0)
                                }
                            };
                            let names = self.enum_ref(
                                path,
                                &fitem,
                                fl.enumeration.as_deref(),
                                fl.flags.as_deref(),
                                Some(t),
                            );
                            let count = fl.count.unwrap_or(1);
                            let doc = fl.doc.clone();
                            ir::FieldKind::Value {
                                name: n.clone(),
                                doc,
                                ty,
                                count,
                                names,
                            }
                        }
                        _ => {
                            let fitem = format!("{item}, field #{}", i + 1);
                            self.err(path, fitem, "a field has name and type, or only pad");
                            continue;
                        }
                    };
                    let width = match &kind {
                        ir::FieldKind::Pad(p) => *p,
                        ir::FieldKind::Value {
                            ty: ir::FieldType::Scalar(sc),
                            count,
                            ..
                        } => sc.size() * count,
                        ir::FieldKind::Value {
                            ty: ir::FieldType::Struct(_, w),
                            count,
                            ..
                        } => w * count,
                    };
                    fields.push(ir::FieldDef { offset, kind });
                    offset += width;
                }
                if offset != s.size {
                    let reason = format!(
                        "fields add up to {offset} bytes but size is {} (padding must be explicit, trailing padding too)",
                        s.size
                    );
                    self.err(path, &item, reason);
                }
                let doc = s.doc.clone();
                out.push(ir::StructDef {
                    name: s.name.clone(),
                    doc,
                    size: s.size,
                    fields,
                    count_field: None,
                });
            }
        }
        out
    }

    /// Checks an `enum = ...` / `flags = ...` pair on a value of type `ty`.
    fn enum_ref(
        &mut self,
        path: &str,
        item: &str,
        en: Option<&str>,
        fl: Option<&str>,
        ty: Option<&str>,
    ) -> Option<EnumId> {
        if en.is_some() && fl.is_some() {
            self.err(path, item, "enum and flags are exclusive");
        }
        let mut found = None;
        for (key, name, want_flags) in [("enum", en, false), ("flags", fl, true)] {
            let Some(name) = name else { continue };
            let Some(e) = self.names.enums.get(name) else {
                self.err(path, item, format!("{key} {name:?} is not a defined enum"));
                continue;
            };
            let is_flags = e.kind.as_deref() == Some("flags");
            if is_flags != want_flags {
                let what = if is_flags { "flags" } else { "an enum" };
                self.err(path, item, format!("{name:?} is {what} but used as {key}"));
            }
            let width = |t: &str| Scalar::parse(t).map(Scalar::size);
            if let Some(t) = ty
                && width(t).is_some()
                && width(t) != width(&e.ty)
            {
                self.err(
                    path,
                    item,
                    format!("{key} {name:?} is {} but this value is {t}", e.ty),
                );
            }
            found = Some(self.ids.enums[name]);
        }
        found
    }

    fn enums(&mut self, files: &Files) -> Vec<ir::EnumDef> {
        let mut out = Vec::new();
        for (_, path, f) in files {
            for e in &f.enums {
                let item = format!("enum {}", e.name);
                let ty = Scalar::parse(&e.ty).unwrap_or_else(|| {
                    self.err(path, &item, format!("unknown type {:?}", e.ty));
                    Scalar::U8
                });
                let flags = match e.kind.as_deref() {
                    None | Some("enum") => false,
                    Some("flags") => true,
                    Some(k) => {
                        self.err(
                            path,
                            &item,
                            format!("kind must be enum or flags, not {k:?}"),
                        );
                        false
                    }
                };
                let mut names = BTreeSet::new();
                let mut values = BTreeMap::new();
                for v in &e.values {
                    let vitem = format!("{item}, value {}", v.name);
                    if !names.insert(v.name.as_str()) {
                        self.err(path, &vitem, "duplicate name");
                    }
                    if !flags && let Some(other) = values.insert(v.value, v.name.as_str()) {
                        self.err(
                            path,
                            &vitem,
                            format!("duplicate value {} (also {other})", v.value),
                        );
                    }
                    if Scalar::parse(&e.ty).is_some() && !fits(ty, v.value) {
                        self.err(
                            path,
                            &vitem,
                            format!("{} does not fit in {}", v.value, e.ty),
                        );
                    }
                }
                let values = e.values.iter().map(|v| ir::EnumValue {
                    name: v.name.clone(),
                    cname: v
                        .cname
                        .clone()
                        .unwrap_or_else(|| format!("{}{}", e.prefix, v.name.to_uppercase())),
                    value: v.value,
                    doc: v.doc.clone(),
                });
                let (name, doc) = (e.name.clone(), e.doc.clone());
                out.push(ir::EnumDef {
                    name,
                    doc,
                    ty,
                    flags,
                    values: values.collect(),
                });
            }
        }
        out
    }
}

/// True when `v` is a value of `ty`.
fn fits(ty: Scalar, v: i64) -> bool {
    let bits = 8 * ty.size() as u32;
    match (ty.is_signed(), bits) {
        (signed, 64) => signed || v >= 0,
        (true, b) => v >= -(1i64 << (b - 1)) && v < (1i64 << (b - 1)),
        (false, b) => v >= 0 && v < (1i64 << b),
    }
}

/// Which items each file defines, as ids (ids count items in file, then declaration order).
fn module_files(files: &Files) -> Vec<ir::ModFile> {
    let (mut st, mut en, mut se, mut su, mut msg) = (0, 0, 0, 0, 0);
    let take = |n: &mut usize, k: usize| {
        let r = *n..*n + k;
        *n += k;
        r
    };
    files
        .iter()
        .map(|(stem, path, f)| ir::ModFile {
            stem: stem.clone(),
            path: path.clone(),
            doc: f.doc.clone(),
            structs: take(&mut st, f.structs.len()).map(StructId).collect(),
            enums: take(&mut en, f.enums.len()).map(EnumId).collect(),
            sets: take(&mut se, f.sets.len()).map(SetId).collect(),
            subs: take(&mut su, f.sub_messages.len()).map(SubId).collect(),
            message: f.message.as_ref().map(|_| take(&mut msg, 1).start),
        })
        .collect()
}

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
    "nest",
    "array",
    "multipath",
    "sub-message",
];

/// The keys each type word accepts besides id, name, type, doc, multi, since, cname.
fn allowed_keys(ty: &str) -> &'static [&'static str] {
    match ty {
        _ if Scalar::parse(ty).is_some() => &["enum", "flags"],
        "struct" => &["struct", "trailing", "count-field"],
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

/// An `outer:X` selector to check once the message's top set is known: (file, set, X).
type OuterNeed<'s> = (&'s str, &'s str, &'s str);

impl<'s> Validator<'s, '_> {
    fn sets(&mut self, files: &'s Files, structs: &mut [ir::StructDef]) -> Vec<ir::SetDef> {
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
                let pos = h.fields.iter().position(
                    |f| matches!(&f.kind, ir::FieldKind::Value { name, .. } if name == cf),
                );
                match (pos, h.count_field) {
                    (None, _) => {
                        let reason =
                            format!("count-field {cf:?} is not a field of struct {}", h.name);
                        self.err(path, item, reason);
                    }
                    (Some(p), Some(q)) if p != q => {
                        let reason =
                            format!("struct {} is counted by two different fields", h.name);
                        self.err(path, item, reason);
                    }
                    (Some(p), _) => h.count_field = Some(p),
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
                        self.err(
                            path,
                            item,
                            format!("elem {t:?} is not a scalar or a simple value type"),
                        );
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

impl<'s> Validator<'s, '_> {
    fn subs(&mut self, files: &Files, model: &Model) -> Vec<ir::SubDef> {
        let mut out = Vec::new();
        for (_, path, f) in files {
            for s in &f.sub_messages {
                let sel_enum = self.selector_enum(model, SubId(out.len()));
                let mut vals = BTreeSet::new();
                let mut kinds = BTreeSet::new();
                let mut formats = Vec::new();
                for fm in &s.formats {
                    let value = match &fm.value {
                        toml::Value::String(x) => ir::FormatValue::Str(x.clone()),
                        toml::Value::Integer(i) => ir::FormatValue::Int(*i),
                        other => {
                            let reason =
                                format!("format value {other} must be a string or an integer");
                            self.err(path, format!("sub-message {}", s.name), reason);
                            continue;
                        }
                    };
                    kinds.insert(matches!(value, ir::FormatValue::Int(_)));
                    let item = format!("sub-message {}, format {value}", s.name);
                    if !vals.insert(value.to_string()) {
                        self.err(path, &item, "duplicate value");
                    }
                    let set = fm.nest.as_ref().and_then(|n| {
                        let id = self.ids.sets.get(n.as_str()).copied();
                        if id.is_none() {
                            self.err(
                                path,
                                &item,
                                format!("nest {n:?} is not a defined attribute-set"),
                            );
                        }
                        id
                    });
                    let header = fm.structure.as_ref().and_then(|n| {
                        let id = self.ids.structs.get(n.as_str()).copied();
                        if id.is_none() {
                            self.err(path, &item, format!("struct {n:?} is not a defined struct"));
                        }
                        id
                    });
                    let variant = variant_name(fm, &value, sel_enum.map(|e| &model.enums[e.0]));
                    formats.push(ir::FormatDef {
                        value,
                        variant,
                        doc: fm.doc.clone(),
                        header,
                        set,
                    });
                }
                if kinds.len() > 1 {
                    self.err(
                        path,
                        format!("sub-message {}", s.name),
                        "format values mix strings and integers",
                    );
                }
                out.push(ir::SubDef {
                    name: s.name.clone(),
                    doc: s.doc.clone(),
                    formats,
                });
            }
        }
        out
    }

    /// The enum naming a sub-message's integer formats: that of the last selector choosing it
    /// (the address families for `header:family`).
    fn selector_enum(&self, model: &Model, sub: SubId) -> Option<EnumId> {
        let mut found = None;
        for set in &model.sets {
            for a in &set.attrs {
                match a.ty {
                    AttrType::SubMessage(s, ir::Selector::Family) if s == sub => {
                        found = self.ids.enums.get("address_family").copied();
                    }
                    AttrType::SubMessage(s, ir::Selector::Sibling(id)) if s == sub => {
                        let sel = set.attrs.iter().find(|x| x.id == id);
                        if let Some(AttrType::Scalar(_, Some(e))) = sel.map(|x| &x.ty) {
                            found = Some(*e);
                        }
                    }
                    _ => {}
                }
            }
        }
        found
    }

    fn messages(&mut self, files: &Files, model: &Model) -> Vec<ir::MessageDef> {
        let mut out = Vec::new();
        let mut all_types: BTreeMap<u16, String> = BTreeMap::new();
        for (_, path, f) in files {
            let Some(m) = &f.message else { continue };
            let item = format!("message {}", m.name);
            let header = self.ids.structs.get(m.header.as_str()).copied();
            if header.is_none() {
                self.err(
                    path,
                    &item,
                    format!("header {:?} is not a defined struct", m.header),
                );
            }
            let attrs = self.ids.sets.get(m.attributes.as_str()).copied();
            let outer = match self.names.sets.get(m.attributes.as_str()) {
                None => {
                    let reason = format!(
                        "attributes {:?} is not a defined attribute-set",
                        m.attributes
                    );
                    self.err(path, &item, reason);
                    None
                }
                Some(top) => self.outer_selector(top),
            };
            for t in &m.types {
                self.message_type(path, &item, t);
                if let Some(other) = all_types.insert(t.value, t.name.clone())
                    && other != t.name
                {
                    let reason = format!("value {} already used by {other}", t.value);
                    self.err(path, format!("{item}, type {}", t.name), reason);
                }
            }
            let commands = self.commands(path, &item, m);
            let family = header.and_then(|h| {
                model.structs[h.0]
                    .fields
                    .iter()
                    .find_map(|f| match &f.kind {
                        ir::FieldKind::Value { name, names, .. } if name == "family" => {
                            Some((f.offset, names.is_some()))
                        }
                        _ => None,
                    })
            });
            out.push(ir::MessageDef {
                name: m.name.clone(),
                doc: m.doc.clone(),
                header: header.unwrap_or(StructId(0)),
                attrs: attrs.unwrap_or(SetId(0)),
                types: m.types.iter().map(|t| (t.name.clone(), t.value)).collect(),
                commands,
                outer,
                family,
            });
        }
        out
    }

    /// Checks the `outer:X` selectors reachable from `top`; the id of the (last) X.
    fn outer_selector(&mut self, top: &Set) -> Option<u16> {
        let reach = reachable(self.names, top);
        let mut outer = None;
        for (p, set, attr) in self.outer_needs.clone() {
            if !reach.contains(set) {
                continue;
            }
            match top.attributes.iter().find(|a| a.name == attr) {
                Some(a) => outer = Some(a.id),
                None => {
                    let reason = format!(
                        "selector outer:{attr}: {attr:?} is not an attribute of {}",
                        top.name
                    );
                    self.err(p, format!("attribute-set {set}"), reason);
                }
            }
        }
        outer
    }

    /// Every message type is a value of enum rtm_type (common.toml), with the same number.
    fn message_type(&mut self, path: &str, item: &str, t: &MsgType) {
        let titem = format!("{item}, type {}", t.name);
        let Some(e) = self.names.enums.get("rtm_type") else {
            self.err(
                path,
                titem,
                "enum rtm_type (the message types) is not defined",
            );
            return;
        };
        let cname = |v: &EnumValue| {
            v.cname
                .clone()
                .unwrap_or_else(|| format!("{}{}", e.prefix, v.name.to_uppercase()))
        };
        match e.values.iter().find(|v| cname(v) == t.name) {
            None => self.err(path, titem, "not a value of enum rtm_type"),
            Some(v) if v.value != i64::from(t.value) => {
                let reason = format!("value {} but enum rtm_type says {}", t.value, v.value);
                self.err(path, titem, reason);
            }
            Some(_) => {}
        }
    }

    fn commands(&mut self, path: &str, item: &str, m: &Message) -> Vec<ir::CommandDef> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for c in &m.commands {
            let ci = format!("{item}, command {}", c.name);
            if !seen.insert(c.name.as_str()) {
                self.err(path, &ci, "duplicate command");
            }
            let msg_type = m.types.iter().find(|t| t.name == c.ty).map(|t| t.value);
            if msg_type.is_none() {
                self.err(
                    path,
                    &ci,
                    format!("type {:?} is not one of the message's types", c.ty),
                );
            }
            for fl in &c.flags {
                if !NLM_FLAGS.iter().any(|(n, _)| n == fl) {
                    self.err(
                        path,
                        &ci,
                        format!("unknown flag {fl:?} (NLM_F_ names without prefix)"),
                    );
                }
            }
            out.push(ir::CommandDef {
                name: c.name.clone(),
                msg_type: msg_type.unwrap_or(0),
                flags: c.flags.clone(),
            });
        }
        out
    }

    /// tc plugins: only checked (the API layer reads them from the schema's data, not from
    /// generated code).
    fn plugins(&mut self, files: &Files) {
        let formats: BTreeSet<String> = files
            .iter()
            .flat_map(|(_, _, f)| f.sub_messages.iter())
            .flat_map(|s| s.formats.iter())
            .filter_map(|f| f.value.as_str().map(str::to_string))
            .collect();
        for (_, path, f) in files {
            for p in &f.tc_plugins {
                let item = format!("tc-plugin {}", p.kind);
                for o in &p.object {
                    if !["qdisc", "class", "filter", "action"].contains(&o.as_str()) {
                        self.err(
                            path,
                            &item,
                            format!("object {o:?} is not qdisc, class, filter or action"),
                        );
                    }
                }
                if let Some(o) = &p.options
                    && !formats.contains(o)
                {
                    self.err(
                        path,
                        &item,
                        format!("options {o:?} is not a format value of any sub-message"),
                    );
                }
            }
        }
    }
}

/// A format's variant name: its `name`, a string value camel-cased, or an integer named by the
/// selector's enum (`V7` when none names it); `Unknown` is taken by the fallback variant.
fn variant_name(fm: &Format, value: &ir::FormatValue, sel_enum: Option<&ir::EnumDef>) -> String {
    let n = match (&fm.name, value) {
        (Some(n), _) => camel(n),
        (None, ir::FormatValue::Str(s)) => camel(s),
        (None, ir::FormatValue::Int(i)) => sel_enum
            .and_then(|e| e.values.iter().find(|v| v.value == *i))
            .map(|v| camel(&v.name))
            .unwrap_or_else(|| format!("V{i}")),
    };
    if n == "Unknown" {
        "UnknownKind".into()
    } else {
        n
    }
}
