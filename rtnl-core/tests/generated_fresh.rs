//! `cargo test` alone catches generated code that is stale against `schema/`.

use std::path::Path;

#[test]
fn generated_code_matches_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let files = codegen::generate_dir(&root.join("schema"), &root.join("rtnl-core/src/generated"))
        .unwrap_or_else(|e| panic!("schema does not load:\n{e}"));
    let stale = codegen::stale_files(&files);
    assert!(
        stale.is_empty(),
        "stale generated files {stale:?}: run `cargo xtask regen`"
    );
    // No module without a schema file either.
    let on_disk = std::fs::read_dir(root.join("rtnl-core/src/generated"))
        .unwrap()
        .count();
    assert_eq!(
        on_disk,
        files.len(),
        "generated/ holds files no schema produces: run `cargo xtask regen`"
    );
}

/// rtnl-api's typed request setters come from the same schema.
#[test]
fn typed_request_setters_match_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let schema = codegen::Schema::load(&root.join("schema"))
        .unwrap_or_else(|e| panic!("schema does not load:\n{e}"));
    let want = codegen::generate_requests(&schema);
    let path = root.join("rtnl-api/src/typed/generated.rs");
    assert!(
        std::fs::read_to_string(&path).ok().as_deref() == Some(want.as_str()),
        "{} is stale: run `cargo xtask regen`",
        path.display()
    );
}

/// So do its typed tc kinds.
#[test]
fn typed_tc_kinds_match_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let schema = codegen::Schema::load(&root.join("schema"))
        .unwrap_or_else(|e| panic!("schema does not load:\n{e}"));
    let want = codegen::generate_tc_requests(&schema);
    let path = root.join("rtnl-api/src/typed/tc/generated.rs");
    assert!(
        std::fs::read_to_string(&path).ok().as_deref() == Some(want.as_str()),
        "{} is stale: run `cargo xtask regen`",
        path.display()
    );
}
