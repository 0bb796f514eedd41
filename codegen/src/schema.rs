//! Loading and validating the schema: every reference resolved, every size checked. Errors name the
//! file, the item and the reason.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::Path;

use crate::model::*;

/// A schema problem: which file, which item, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    /// The file (`schema/rtmsg.toml`).
    pub file: String,
    /// The item (`attribute-set route, attribute dst`).
    pub item: String,
    /// The reason.
    pub reason: String,
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.item, self.reason)
    }
}

/// Several schema problems (all that were found, not only the first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaErrors(pub Vec<SchemaError>);

impl fmt::Display for SchemaErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.0 {
            writeln!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SchemaErrors {}

/// A loaded, validated schema.
#[derive(Debug)]
pub struct Schema {
    /// `(file stem, display path, contents)` in file-name order.
    pub files: Vec<(String, String, File)>,
}

/// Where an item lives: file index and item index.
pub type Loc = (usize, usize);

/// Name tables over all files.
pub struct Names<'s> {
    pub structs: HashMap<&'s str, &'s Struct>,
    pub enums: HashMap<&'s str, &'s Enum>,
    pub sets: HashMap<&'s str, &'s Set>,
    pub subs: HashMap<&'s str, &'s SubMessage>,
}

/// The scalar types and their widths.
pub fn scalar_size(ty: &str) -> Option<usize> {
    Some(match ty {
        "u8" | "s8" => 1,
        "u16" | "s16" | "be16" => 2,
        "u32" | "s32" | "be32" => 4,
        "u64" | "s64" | "be64" => 8,
        _ => return None,
    })
}

/// Attribute value types other than scalars.
pub const VALUE_TYPES: &[&str] = &[
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

/// `NLM_F_` flag names accepted in command tables, and their values.
pub const NLM_FLAGS: &[(&str, u16)] = &[
    ("REQUEST", 0x01),
    ("MULTI", 0x02),
    ("ACK", 0x04),
    ("ECHO", 0x08),
    ("ROOT", 0x100),
    ("MATCH", 0x200),
    ("ATOMIC", 0x400),
    ("DUMP", 0x300),
    ("REPLACE", 0x100),
    ("EXCL", 0x200),
    ("CREATE", 0x400),
    ("APPEND", 0x800),
    ("NONREC", 0x100),
    ("BULK", 0x200),
];

impl Schema {
    /// Loads every `*.toml` in `dir` and validates the whole.
    pub fn load(dir: &Path) -> Result<Schema, SchemaErrors> {
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| one(&dir.display().to_string(), "directory", &e.to_string()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        let mut sources = Vec::new();
        for p in paths {
            let text = std::fs::read_to_string(&p)
                .map_err(|e| one(&p.display().to_string(), "file", &e.to_string()))?;
            let stem = p
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            sources.push((
                stem,
                format!(
                    "schema/{}",
                    p.file_name().unwrap_or_default().to_string_lossy()
                ),
                text,
            ));
        }
        Schema::from_sources(sources)
    }

    /// Parses and validates `(stem, display path, text)` triples (used by tests with small schemas).
    pub fn from_sources(sources: Vec<(String, String, String)>) -> Result<Schema, SchemaErrors> {
        let mut files = Vec::new();
        let mut errors = Vec::new();
        for (stem, path, text) in sources {
            match toml::from_str::<File>(&text) {
                Ok(f) => files.push((stem, path, f)),
                Err(e) => errors.push(SchemaError {
                    file: path,
                    item: "syntax".into(),
                    reason: e.to_string().trim().replace('\n', " "),
                }),
            }
        }
        if !errors.is_empty() {
            return Err(SchemaErrors(errors));
        }
        let schema = Schema { files };
        schema.validate()?;
        Ok(schema)
    }

    /// Name tables over all files (call after validation: names are unique then).
    pub fn names(&self) -> Names<'_> {
        let mut n = Names {
            structs: HashMap::new(),
            enums: HashMap::new(),
            sets: HashMap::new(),
            subs: HashMap::new(),
        };
        for (_, _, f) in &self.files {
            for s in &f.structs {
                n.structs.entry(&s.name).or_insert(s);
            }
            for e in &f.enums {
                n.enums.entry(&e.name).or_insert(e);
            }
            for s in &f.sets {
                n.sets.entry(&s.name).or_insert(s);
            }
            for s in &f.sub_messages {
                n.subs.entry(&s.name).or_insert(s);
            }
        }
        n
    }

    fn validate(&self) -> Result<(), SchemaErrors> {
        let mut errs = Vec::new();
        let mut err = |file: &str, item: String, reason: String| {
            errs.push(SchemaError {
                file: file.into(),
                item,
                reason,
            })
        };

        // Unique names per kind, and unique generated Rust type names.
        let mut seen: HashMap<(&str, &str), &str> = HashMap::new();
        let mut rust_names: HashMap<String, String> = HashMap::new();
        for (_, path, f) in &self.files {
            let items = f
                .structs
                .iter()
                .map(|s| ("struct", s.name.as_str(), vec![crate::emit::camel(&s.name)]))
                .chain(
                    f.enums
                        .iter()
                        .map(|e| ("enum", e.name.as_str(), vec![crate::emit::camel(&e.name)])),
                )
                .chain(f.sets.iter().map(|s| {
                    let c = crate::emit::camel(&s.name);
                    (
                        "attribute-set",
                        s.name.as_str(),
                        vec![
                            format!("{c}Attrs"),
                            format!("{c}Attr"),
                            format!("{c}Builder"),
                            format!("{c}Set"),
                        ],
                    )
                }))
                .chain(f.sub_messages.iter().map(|s| {
                    (
                        "sub-message",
                        s.name.as_str(),
                        vec![crate::emit::camel(&s.name)],
                    )
                }))
                .chain(f.message.iter().map(|m| {
                    let c = crate::emit::camel(&m.name);
                    ("message", m.name.as_str(), vec![format!("{c}Msg")])
                }));
            for (kind, name, rust) in items {
                if let Some(other) = seen.insert((kind, name), path) {
                    err(
                        path,
                        format!("{kind} {name}"),
                        format!("duplicate name (also defined in {other})"),
                    );
                }
                if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                {
                    err(path, format!("{kind} {name}"), "names are [a-z0-9_]".into());
                }
                for r in rust {
                    let who = format!("{kind} {name} ({path})");
                    if let Some(other) = rust_names.insert(r.clone(), who.clone())
                        && other != who
                    {
                        err(
                            path,
                            format!("{kind} {name}"),
                            format!("generated Rust name {r} collides with {other}"),
                        );
                    }
                }
            }
        }
        let names = self.names();

        // Structs.
        let mut sizes: BTreeMap<&str, Option<usize>> = BTreeMap::new();
        for (_, path, f) in &self.files {
            for s in &f.structs {
                let item = format!("struct {}", s.name);
                let mut total = 0usize;
                let mut fields = BTreeSet::new();
                for (i, fl) in s.fields.iter().enumerate() {
                    match (&fl.name, &fl.ty, fl.pad) {
                        (None, None, Some(p)) => total += p,
                        (Some(n), Some(t), None) => {
                            if !fields.insert(n.as_str()) {
                                err(
                                    path,
                                    format!("{item}, field {n}"),
                                    "duplicate field name".into(),
                                );
                            }
                            let count = fl.count.unwrap_or(1);
                            let w = match scalar_size(t) {
                                Some(w) => Some(w),
                                None => match names.structs.get(t.as_str()) {
                                    Some(inner) => struct_size(inner, &names, &mut sizes, 0),
                                    None => {
                                        err(
                                            path,
                                            format!("{item}, field {n}"),
                                            format!(
                                                "unknown type {t:?} (a scalar or a struct name)"
                                            ),
                                        );
                                        None
                                    }
                                },
                            };
                            total += w.unwrap_or(0) * count;
                            check_enum_ref(
                                &names,
                                fl.enumeration.as_deref(),
                                fl.flags.as_deref(),
                                Some(t),
                                &mut |r| err(path, format!("{item}, field {n}"), r),
                            );
                        }
                        _ => err(
                            path,
                            format!("{item}, field #{}", i + 1),
                            "a field has name and type, or only pad".into(),
                        ),
                    }
                }
                if total != s.size {
                    err(
                        path,
                        item,
                        format!(
                            "fields add up to {total} bytes but size is {} (padding must be explicit, trailing padding too)",
                            s.size
                        ),
                    );
                }
            }
        }

        // Enums.
        for (_, path, f) in &self.files {
            for e in &f.enums {
                let item = format!("enum {}", e.name);
                let Some(w) = scalar_size(&e.ty) else {
                    err(path, item, format!("unknown type {:?}", e.ty));
                    continue;
                };
                let flags = match e.kind.as_deref() {
                    None | Some("enum") => false,
                    Some("flags") => true,
                    Some(k) => {
                        err(
                            path,
                            item.clone(),
                            format!("kind must be enum or flags, not {k:?}"),
                        );
                        false
                    }
                };
                let mut ns = BTreeSet::new();
                let mut vs = BTreeMap::new();
                for v in &e.values {
                    if !ns.insert(v.name.as_str()) {
                        err(
                            path,
                            format!("{item}, value {}", v.name),
                            "duplicate name".into(),
                        );
                    }
                    if !flags && let Some(other) = vs.insert(v.value, v.name.as_str()) {
                        err(
                            path,
                            format!("{item}, value {}", v.name),
                            format!("duplicate value {} (also {other})", v.value),
                        );
                    }
                    let signed = e.ty.starts_with('s');
                    let bits = 8 * w as u32;
                    let fits = match (signed, bits) {
                        (_, 64) => signed || v.value >= 0,
                        (true, b) => v.value >= -(1i64 << (b - 1)) && v.value < (1i64 << (b - 1)),
                        (false, b) => v.value >= 0 && v.value < (1i64 << b),
                    };
                    if !fits {
                        err(
                            path,
                            format!("{item}, value {}", v.name),
                            format!("{} does not fit in {}", v.value, e.ty),
                        );
                    }
                }
            }
        }

        // Attribute sets.
        let mut outer_needs: Vec<(&str, &str, &str)> = Vec::new(); // (path, set, attr name)
        for (_, path, f) in &self.files {
            for s in &f.sets {
                let mut ids = BTreeMap::new();
                let mut ns = BTreeSet::new();
                for a in &s.attributes {
                    let item = format!("attribute-set {}, attribute {}", s.name, a.name);
                    let mut e = |r: String| err(path, item.clone(), r);
                    if let Some(other) = ids.insert(a.id, a.name.as_str()) {
                        e(format!("duplicate id {} (also {other})", a.id));
                    }
                    if !ns.insert(a.name.as_str()) {
                        e("duplicate name".into());
                    }
                    if a.id & 0xc000 != 0 {
                        e(format!("id {} uses the NLA_F_ flag bits", a.id));
                    }
                    let is_scalar = scalar_size(&a.ty).is_some();
                    if !is_scalar && !VALUE_TYPES.contains(&a.ty.as_str()) {
                        e(format!("unknown type {:?}", a.ty));
                        continue;
                    }
                    let allowed: &[&str] = match a.ty.as_str() {
                        _ if is_scalar => &["enum", "flags"],
                        "struct" => &["struct", "trailing", "count-field"],
                        "nest" => &["nest", "struct"],
                        "array" => &["nest", "elem"],
                        "multipath" => &["struct", "nest"],
                        "sub-message" => &["sub-message", "selector"],
                        _ => &[],
                    };
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
                            e(format!("key {key:?} does not apply to type {}", a.ty));
                        }
                    }
                    if is_scalar {
                        check_enum_ref(
                            &names,
                            a.enumeration.as_deref(),
                            a.flags.as_deref(),
                            Some(&a.ty),
                            &mut e,
                        );
                    }
                    let need_struct = |e: &mut dyn FnMut(String),
                                       key: &str,
                                       v: &Option<String>,
                                       required: bool| match v
                    {
                        Some(n) if !names.structs.contains_key(n.as_str()) => {
                            e(format!("{key} {n:?} is not a defined struct"))
                        }
                        None if required => e(format!("type {} needs {key} = \"...\"", a.ty)),
                        _ => {}
                    };
                    let need_set =
                        |e: &mut dyn FnMut(String), v: &Option<String>, required: bool| match v {
                            Some(n) if !names.sets.contains_key(n.as_str()) => {
                                e(format!("nest {n:?} is not a defined attribute-set"))
                            }
                            None if required => e(format!("type {} needs nest = \"...\"", a.ty)),
                            _ => {}
                        };
                    match a.ty.as_str() {
                        "struct" => {
                            need_struct(&mut e, "struct", &a.structure, true);
                            need_struct(&mut e, "trailing", &a.trailing, false);
                            match (
                                &a.trailing,
                                &a.count_field,
                                a.structure.as_deref().and_then(|n| names.structs.get(n)),
                            ) {
                                (Some(_), Some(cf), Some(st))
                                    if !st.fields.iter().any(|f| f.name.as_deref() == Some(cf)) =>
                                {
                                    e(format!(
                                        "count-field {cf:?} is not a field of struct {}",
                                        st.name
                                    ));
                                }
                                (None, Some(_), _) => e("count-field needs trailing".into()),
                                _ => {}
                            }
                        }
                        "nest" => {
                            need_set(&mut e, &a.nest, true);
                            need_struct(&mut e, "struct", &a.structure, false);
                        }
                        "array" => match (&a.nest, &a.elem) {
                            (Some(_), None) => need_set(&mut e, &a.nest, true),
                            (None, Some(t)) => {
                                if scalar_size(t).is_none()
                                    && !["string", "bytes", "ip4", "ip6", "ipaddr", "lladdr"]
                                        .contains(&t.as_str())
                                {
                                    e(format!("elem {t:?} is not a scalar or a simple value type"));
                                }
                            }
                            _ => e("array needs exactly one of nest or elem".into()),
                        },
                        "multipath" => {
                            need_struct(&mut e, "struct", &a.structure, true);
                            need_set(&mut e, &a.nest, true);
                        }
                        "sub-message" => {
                            match &a.sub_message {
                                Some(n) if !names.subs.contains_key(n.as_str()) => {
                                    e(format!("sub-message {n:?} is not defined"))
                                }
                                None => e("type sub-message needs sub-message = \"...\"".into()),
                                _ => {}
                            }
                            match a.selector.as_deref() {
                                None => e("sub-message without selector".into()),
                                Some("header:family") => {}
                                Some(sel) if sel.starts_with("header:") => {
                                    e(format!("selector {sel:?}: only header:family is supported"))
                                }
                                Some(sel) if sel.starts_with("outer:") => {
                                    outer_needs.push((path, &s.name, &sel[6..]))
                                }
                                Some(sel) => match s.attributes.iter().find(|x| x.name == sel) {
                                    None => e(format!(
                                        "selector {sel:?} is not an attribute of set {}",
                                        s.name
                                    )),
                                    Some(x) if x.ty != "string" && scalar_size(&x.ty).is_none() => {
                                        e(format!(
                                            "selector {sel:?} must be a string or an integer, it is {}",
                                            x.ty
                                        ))
                                    }
                                    Some(_) => {}
                                },
                            }
                        }
                        _ => {}
                    }
                }
            }
        }

        // Sub-messages.
        for (_, path, f) in &self.files {
            for s in &f.sub_messages {
                let mut vals = BTreeSet::new();
                let mut kinds = BTreeSet::new();
                for fm in &s.formats {
                    let v = match &fm.value {
                        toml::Value::String(x) => {
                            kinds.insert("string");
                            x.clone()
                        }
                        toml::Value::Integer(i) => {
                            kinds.insert("integer");
                            i.to_string()
                        }
                        other => {
                            err(
                                path,
                                format!("sub-message {}", s.name),
                                format!("format value {other} must be a string or an integer"),
                            );
                            continue;
                        }
                    };
                    let item = format!("sub-message {}, format {v}", s.name);
                    if !vals.insert(v.clone()) {
                        err(path, item.clone(), "duplicate value".into());
                    }
                    if let Some(n) = &fm.nest
                        && !names.sets.contains_key(n.as_str())
                    {
                        err(
                            path,
                            item.clone(),
                            format!("nest {n:?} is not a defined attribute-set"),
                        );
                    }
                    if let Some(n) = &fm.structure
                        && !names.structs.contains_key(n.as_str())
                    {
                        err(
                            path,
                            item.clone(),
                            format!("struct {n:?} is not a defined struct"),
                        );
                    }
                }
                if kinds.len() > 1 {
                    err(
                        path,
                        format!("sub-message {}", s.name),
                        "format values mix strings and integers".into(),
                    );
                }
            }
        }

        // Messages.
        let mut all_types: BTreeMap<u16, String> = BTreeMap::new();
        for (_, path, f) in &self.files {
            let Some(m) = &f.message else { continue };
            let item = format!("message {}", m.name);
            if !names.structs.contains_key(m.header.as_str()) {
                err(
                    path,
                    item.clone(),
                    format!("header {:?} is not a defined struct", m.header),
                );
            }
            match names.sets.get(m.attributes.as_str()) {
                None => err(
                    path,
                    item.clone(),
                    format!(
                        "attributes {:?} is not a defined attribute-set",
                        m.attributes
                    ),
                ),
                Some(top) => {
                    for (p, set, attr) in outer_needs
                        .iter()
                        .filter(|(_, set, _)| reachable(&names, top).contains(set))
                    {
                        if !top.attributes.iter().any(|a| a.name == *attr) {
                            err(
                                p,
                                format!("attribute-set {set}"),
                                format!(
                                    "selector outer:{attr}: {attr:?} is not an attribute of {}",
                                    top.name
                                ),
                            );
                        }
                    }
                }
            }
            for t in &m.types {
                // Every message type is a value of enum rtm_type (common.toml), with the same number.
                match names.enums.get("rtm_type") {
                    None => err(
                        path,
                        format!("{item}, type {}", t.name),
                        "enum rtm_type (the message types) is not defined".into(),
                    ),
                    Some(e) => match e.values.iter().find(|v| {
                        v.cname.as_deref().unwrap_or(&format!(
                            "{}{}",
                            e.prefix,
                            v.name.to_uppercase()
                        )) == t.name
                    }) {
                        None => err(
                            path,
                            format!("{item}, type {}", t.name),
                            "not a value of enum rtm_type".into(),
                        ),
                        Some(v) if v.value != i64::from(t.value) => err(
                            path,
                            format!("{item}, type {}", t.name),
                            format!("value {} but enum rtm_type says {}", t.value, v.value),
                        ),
                        Some(_) => {}
                    },
                }
                if let Some(other) = all_types.insert(t.value, t.name.clone())
                    && other != t.name
                {
                    err(
                        path,
                        format!("{item}, type {}", t.name),
                        format!("value {} already used by {other}", t.value),
                    );
                }
            }
            let mut cmds = BTreeSet::new();
            for c in &m.commands {
                let ci = format!("{item}, command {}", c.name);
                if !cmds.insert(c.name.as_str()) {
                    err(path, ci.clone(), "duplicate command".into());
                }
                if !m.types.iter().any(|t| t.name == c.ty) {
                    err(
                        path,
                        ci.clone(),
                        format!("type {:?} is not one of the message's types", c.ty),
                    );
                }
                for fl in &c.flags {
                    if !NLM_FLAGS.iter().any(|(n, _)| n == fl) {
                        err(
                            path,
                            ci.clone(),
                            format!("unknown flag {fl:?} (NLM_F_ names without prefix)"),
                        );
                    }
                }
            }
        }

        // tc plugins.
        let formats: BTreeSet<String> = self
            .files
            .iter()
            .flat_map(|(_, _, f)| f.sub_messages.iter())
            .flat_map(|s| s.formats.iter())
            .filter_map(|f| f.value.as_str().map(str::to_string))
            .collect();
        for (_, path, f) in &self.files {
            for p in &f.tc_plugins {
                let item = format!("tc-plugin {}", p.kind);
                for o in &p.object {
                    if !["qdisc", "class", "filter", "action"].contains(&o.as_str()) {
                        err(
                            path,
                            item.clone(),
                            format!("object {o:?} is not qdisc, class, filter or action"),
                        );
                    }
                }
                if let Some(o) = &p.options
                    && !formats.contains(o)
                {
                    err(
                        path,
                        item.clone(),
                        format!("options {o:?} is not a format value of any sub-message"),
                    );
                }
            }
        }

        if errs.is_empty() {
            Ok(())
        } else {
            Err(SchemaErrors(errs))
        }
    }
}

fn one(file: &str, item: &str, reason: &str) -> SchemaErrors {
    SchemaErrors(vec![SchemaError {
        file: file.into(),
        item: item.into(),
        reason: reason.into(),
    }])
}

fn check_enum_ref(
    names: &Names<'_>,
    en: Option<&str>,
    fl: Option<&str>,
    ty: Option<&str>,
    err: &mut dyn FnMut(String),
) {
    if en.is_some() && fl.is_some() {
        err("enum and flags are exclusive".into());
    }
    for (key, name, want_flags) in [("enum", en, false), ("flags", fl, true)] {
        let Some(name) = name else { continue };
        match names.enums.get(name) {
            None => err(format!("{key} {name:?} is not a defined enum")),
            Some(e) => {
                let is_flags = e.kind.as_deref() == Some("flags");
                if is_flags != want_flags {
                    err(format!(
                        "{name:?} is {} but used as {key}",
                        if is_flags { "flags" } else { "an enum" }
                    ));
                }
                if let Some(t) = ty
                    && scalar_size(t).is_some()
                    && scalar_size(t) != scalar_size(&e.ty)
                {
                    err(format!("{key} {name:?} is {} but this value is {t}", e.ty));
                }
            }
        }
    }
}

/// Size of a struct, computed from its fields (None when a field's type is unknown or cyclic).
pub fn struct_size<'s>(
    s: &'s Struct,
    names: &Names<'s>,
    memo: &mut BTreeMap<&'s str, Option<usize>>,
    depth: usize,
) -> Option<usize> {
    if depth > 16 {
        return None;
    }
    if let Some(v) = memo.get(s.name.as_str()) {
        return *v;
    }
    let mut total = 0;
    for f in &s.fields {
        total += match (&f.ty, f.pad) {
            (_, Some(p)) => p,
            (Some(t), None) => {
                let w = match scalar_size(t) {
                    Some(w) => w,
                    None => struct_size(names.structs.get(t.as_str())?, names, memo, depth + 1)?,
                };
                w * f.count.unwrap_or(1)
            }
            _ => return None,
        };
    }
    memo.insert(&s.name, Some(total));
    Some(total)
}

/// The names of all sets reachable from `top` (itself included) through nests, arrays,
/// multipath and sub-message formats.
pub fn reachable<'s>(names: &Names<'s>, top: &'s Set) -> BTreeSet<&'s str> {
    let mut out = BTreeSet::new();
    let mut todo = vec![top];
    while let Some(s) = todo.pop() {
        if !out.insert(s.name.as_str()) {
            continue;
        }
        for a in &s.attributes {
            let mut next: Vec<&str> = a.nest.iter().map(String::as_str).collect();
            if let Some(sm) = a.sub_message.as_deref().and_then(|n| names.subs.get(n)) {
                next.extend(sm.formats.iter().filter_map(|f| f.nest.as_deref()));
            }
            for n in next {
                if let Some(set) = names.sets.get(n) {
                    todo.push(set);
                }
            }
        }
    }
    out
}
