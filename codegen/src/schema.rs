//! Loading the schema: every `*.toml` parsed ([`crate::model`]), then validated and resolved
//! ([`crate::validate`] -> [`crate::ir::Model`]). Errors name the file, the item and the reason.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::Path;

use crate::ir::Model;
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
    /// The same, resolved: what the generator reads.
    pub model: Model,
}

/// Name tables over all files.
pub struct Names<'s> {
    pub structs: HashMap<&'s str, &'s Struct>,
    pub enums: HashMap<&'s str, &'s Enum>,
    pub sets: HashMap<&'s str, &'s Set>,
    pub subs: HashMap<&'s str, &'s SubMessage>,
}

/// The scalar types and their widths.
pub fn scalar_size(ty: &str) -> Option<usize> {
    crate::ir::Scalar::parse(ty).map(crate::ir::Scalar::size)
}

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
        let mut schema = Schema {
            files,
            model: Model::default(),
        };
        schema.model = crate::validate::validate(&schema.files, &schema.names())?;
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
}

fn one(file: &str, item: &str, reason: &str) -> SchemaErrors {
    SchemaErrors(vec![SchemaError {
        file: file.into(),
        item: item.into(),
        reason: reason.into(),
    }])
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
