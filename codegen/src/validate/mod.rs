//! Validation: the parsed schema files in, the resolved [`Model`] out, or every problem found
//! (file, item, reason). One pass per item kind — names, structs, enums, attribute sets,
//! sub-messages, messages, tc plugins — each resolving references to ids as it checks them.

mod messages;
mod sets;
mod structs;

use std::collections::HashMap;

use crate::ir::{self, EnumId, Model, SetId, StructId, SubId};
use crate::model::*;
use crate::names::camel;
use crate::schema::{Names, SchemaError, SchemaErrors};

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
