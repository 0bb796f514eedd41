//! codegen: the rtnl schema (`schema/*.toml`) in, Rust source out.
//!
//! [`Schema::load`] parses every file ([`model`]: the TOML as serde data) and validates it
//! ([`validate`]: errors name file, item and reason), resolving it into [`ir::Model`] (typed
//! attribute kinds, references as ids, selectors resolved); [`generate`] ([`emit`]) turns the
//! model into one module per file plus `mod.rs`, built with `quote` and formatted with
//! `prettyplease`, deterministic byte for byte. [`names`] is how schema names become Rust
//! names, shared by both. The only I/O is reading the schema; writing files is `xtask`'s job.
//!
//! ```no_run
//! let schema = codegen::Schema::load(std::path::Path::new("schema")).unwrap();
//! for (name, source) in codegen::generate(&schema) {
//!     println!("{name}: {} bytes", source.len());
//! }
//! ```

pub mod coverage;
pub mod cproof;
pub mod emit;
pub mod ir;
pub mod model;
pub mod names;
pub mod schema;
pub mod validate;

pub use emit::{generate, generate_requests, generate_tc_requests};
pub use schema::{Schema, SchemaError, SchemaErrors};

use std::path::{Path, PathBuf};

/// The generated files for the schema in `schema_dir`, as `(path under out_dir, contents)`.
pub fn generate_dir(
    schema_dir: &Path,
    out_dir: &Path,
) -> Result<Vec<(PathBuf, String)>, SchemaErrors> {
    let schema = Schema::load(schema_dir)?;
    Ok(generate(&schema)
        .into_iter()
        .map(|(n, c)| (out_dir.join(n), c))
        .collect())
}

/// Compares generated files with what is on disk: the stale or missing ones.
pub fn stale_files(files: &[(PathBuf, String)]) -> Vec<PathBuf> {
    files
        .iter()
        .filter(|(p, c)| std::fs::read_to_string(p).ok().as_deref() != Some(c.as_str()))
        .map(|(p, _)| p.clone())
        .collect()
}
