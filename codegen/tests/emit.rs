//! The emitter against expected output: each `tests/emit/NAME.toml` is a one-file schema whose
//! generated module must equal `tests/emit/NAME.rs` byte for byte (and the `mod.rs` of the
//! first, `values`, must equal `tests/emit/values.mod.rs`). After a deliberate change to the
//! emitter, rewrite the expectations with
//! `UPDATE_EXPECT=1 cargo test -p codegen --test emit` and review the diff.

use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/emit")
}

/// The generated files of the one-file schema `stem`.
fn generate(stem: &str) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(dir().join(format!("{stem}.toml"))).unwrap();
    let path = format!("schema/{stem}.toml");
    let schema = codegen::Schema::from_sources(vec![(stem.into(), path, text)])
        .unwrap_or_else(|e| panic!("fixture {stem}.toml does not validate:\n{e}"));
    codegen::generate(&schema)
}

/// Compares `actual` with the file `expected` (or writes it, with `UPDATE_EXPECT=1`).
fn check(expected: &str, actual: &str) {
    let path = dir().join(expected);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    if want == actual {
        return;
    }
    let line = want
        .lines()
        .zip(actual.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(want.lines().count().min(actual.lines().count()));
    panic!(
        "codegen/tests/emit/{expected} differs from the emitter's output at line {}:\n  expected: {:?}\n  actual:   {:?}\n\
         If the change is intended, run `UPDATE_EXPECT=1 cargo test -p codegen --test emit` and review the diff.",
        line + 1,
        want.lines().nth(line).unwrap_or("<end of file>"),
        actual.lines().nth(line).unwrap_or("<end of file>"),
    );
}

fn check_module(stem: &str) {
    let files = generate(stem);
    let module = files
        .iter()
        .find(|(n, _)| *n == format!("{stem}.rs"))
        .expect("a module per schema file");
    check(&format!("{stem}.rs"), &module.1);
    syn::parse_file(&module.1).unwrap_or_else(|e| panic!("{stem}.rs does not parse: {e}"));
}

#[test]
fn values_enums_flags_message() {
    check_module("values");
    let files = generate("values");
    let module = files.iter().find(|(n, _)| n == "mod.rs").unwrap();
    check("values.mod.rs", &module.1);
}

#[test]
fn structs_nests_arrays_multipath() {
    check_module("nests");
}

#[test]
fn sub_messages_and_selectors() {
    check_module("submessages");
}

#[test]
fn every_fixture_has_a_test() {
    let mut stems: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .filter_map(|e| e.ok()?.path().file_stem()?.to_str().map(String::from))
        .filter(|s| !s.contains('.'))
        .collect();
    stems.sort();
    stems.dedup();
    assert_eq!(stems, ["nests", "submessages", "values"]);
}
