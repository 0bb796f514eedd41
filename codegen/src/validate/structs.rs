//! Structs (fields add up to the declared size, references resolved) and enums (values fit,
//! no duplicates).

use std::collections::{BTreeMap, BTreeSet};

use super::struct_size;
use super::{Files, Validator};
use crate::ir::{self, EnumId, Scalar, StructId};

impl<'s> Validator<'s, '_> {
    pub(super) fn structs(&mut self, files: &Files) -> Vec<ir::StructDef> {
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
    pub(super) fn enum_ref(
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

    pub(super) fn enums(&mut self, files: &Files) -> Vec<ir::EnumDef> {
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
