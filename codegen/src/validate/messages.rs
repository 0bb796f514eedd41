//! Sub-messages (format values, references, variant names), messages (header, top set, outer
//! selectors, types, commands) and tc plugins.

use std::collections::{BTreeMap, BTreeSet};

use super::reachable;
use super::{Files, Validator};
use crate::ir::NLM_FLAGS;
use crate::ir::{self, AttrType, EnumId, Model, SetId, StructId, SubId};
use crate::model::*;
use crate::names::camel;

impl<'s> Validator<'s, '_> {
    pub(super) fn subs(&mut self, files: &Files, model: &Model) -> Vec<ir::SubDef> {
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

    pub(super) fn messages(&mut self, files: &Files, model: &Model) -> Vec<ir::MessageDef> {
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
