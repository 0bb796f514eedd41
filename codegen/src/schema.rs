//! Loading the schema: every `*.toml` parsed ([`crate::model`]), then validated and resolved
//! ([`crate::validate`] -> [`crate::ir::Model`]). Errors name the file, the item and the reason.

use std::path::Path;

use crate::ir::Model;
pub use crate::ir::NLM_FLAGS;
use crate::model::*;
pub use crate::validate::{Names, SchemaError, SchemaErrors, reachable, struct_size};

/// A loaded, validated schema.
#[derive(Debug)]
pub struct Schema {
    /// `(file stem, display path, contents)` in file-name order.
    pub files: Vec<(String, String, File)>,
    /// The same, resolved: what the generator reads.
    pub model: Model,
}

/// The scalar types and their widths.
pub fn scalar_size(ty: &str) -> Option<usize> {
    crate::ir::Scalar::parse(ty).map(crate::ir::Scalar::size)
}

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
        Names::of(&self.files)
    }
}

fn one(file: &str, item: &str, reason: &str) -> SchemaErrors {
    SchemaErrors(vec![SchemaError {
        file: file.into(),
        item: item.into(),
        reason: reason.into(),
    }])
}
