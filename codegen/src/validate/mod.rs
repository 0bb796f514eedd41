//! Validation: the parsed schema files in, the resolved [`Model`] out, or every problem found
//! (file, item, reason). One pass per item kind — names, structs, enums, attribute sets,
//! sub-messages, messages, tc plugins — each resolving references to ids as it checks them.
//! The error types and the name tables over the parsed files live here too (`schema`, which
//! loads the files and calls [`validate`], re-exports them); nothing here imports `schema` or
//! `emit`.

mod messages;
mod sets;
mod structs;
mod tc;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use crate::ir::{self, EnumId, Model, SetId, StructId, SubId};
use crate::model::*;
use crate::names::camel;

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
    v.tc_plugins(files);
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

/// An `outer:X` selector to check once the message's top set is known: (file, set, X).
type OuterNeed<'s> = (&'s str, &'s str, &'s str);

/// The checks in progress: problems found so far, and the name tables they resolve against.
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

/// Name tables over all files.
pub struct Names<'s> {
    pub structs: HashMap<&'s str, &'s Struct>,
    pub enums: HashMap<&'s str, &'s Enum>,
    pub sets: HashMap<&'s str, &'s Set>,
    pub subs: HashMap<&'s str, &'s SubMessage>,
}

impl<'s> Names<'s> {
    /// The tables of `files` (the first definition of a name wins).
    pub fn of(files: &'s Files) -> Self {
        let mut n = Names {
            structs: HashMap::new(),
            enums: HashMap::new(),
            sets: HashMap::new(),
            subs: HashMap::new(),
        };
        for (_, _, f) in files {
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
                let w = match ir::Scalar::parse(t).map(ir::Scalar::size) {
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
