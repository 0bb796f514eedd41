//! Every id, enum value, flag, `sizeof` and `offsetof` in `schema/` equals the kernel header's:
//! a C program generated from the schema is compiled with gcc against /usr/include/linux and run.

use std::path::Path;
use std::process::Command;

#[test]
fn schema_matches_kernel_headers() {
    if Command::new("gcc").arg("--version").output().is_err()
        || !Path::new("/usr/include/linux/rtnetlink.h").exists()
    {
        eprintln!(
            "skip: schema_matches_kernel_headers: needs gcc and linux-libc-dev (.ci/run installs them)"
        );
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let schema = codegen::Schema::load(&root.join("schema")).unwrap_or_else(|e| panic!("{e}"));
    let src = codegen::cproof::c_program(&schema);
    let dir = std::env::temp_dir().join(format!("rtnl-cproof-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (c, exe) = (dir.join("proof.c"), dir.join("proof"));
    std::fs::write(&c, &src).unwrap();
    let out = Command::new("gcc")
        .arg("-o")
        .arg(&exe)
        .arg(&c)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the headers lack a constant the schema names, or a field name is wrong:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run = Command::new(&exe).output().unwrap();
    let text = String::from_utf8_lossy(&run.stdout);
    let checks = text.lines().count();
    let bad = codegen::cproof::mismatches(&text);
    assert!(
        bad.is_empty(),
        "{} of {checks} checks differ:\n{}",
        bad.len(),
        bad.join("\n")
    );
    assert!(checks > 100, "suspiciously few checks: {checks}");
    println!("{checks} constants, sizes and offsets agree with /usr/include/linux");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_header_constant_is_covered_or_excluded_with_a_reason() {
    if !Path::new("/usr/include/linux/rtnetlink.h").exists() {
        eprintln!("skip: every_header_constant_is_covered: needs linux-libc-dev");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let schema = codegen::Schema::load(&root.join("schema")).unwrap_or_else(|e| panic!("{e}"));
    let rows = codegen::coverage::report(&schema, Path::new("/usr/include")).unwrap();
    let table = codegen::coverage::render(&rows);
    println!("{table}");
    let missing: Vec<_> = rows
        .iter()
        .flat_map(|r| r.missing.iter().map(move |m| format!("{}: {m}", r.item)))
        .collect();
    assert!(
        missing.is_empty(),
        "constants missing from the schema (add them, or to coverage::EXCLUDED with a reason):\n{}",
        missing.join("\n")
    );
    assert!(
        rows.iter().all(|r| r.defined > 0),
        "a header enum parsed empty:\n{table}"
    );
    // Every enum block of the covered headers is listed (or excluded as a whole, with a reason).
    let unlisted = codegen::coverage::unlisted(Path::new("/usr/include")).unwrap();
    assert!(
        unlisted.is_empty(),
        "enum blocks of the headers that coverage::TABLE does not list (model them and list them, or add them to coverage::EXCLUDED_BLOCKS with a reason):\n{}",
        unlisted
            .iter()
            .map(|(h, first, n)| format!("{h}: {first} ({n} constants)"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let defined: usize = rows.iter().map(|r| r.defined).sum();
    println!(
        "{} header enums, {defined} constants, all covered; {} blocks excluded as not netlink",
        rows.len(),
        codegen::coverage::EXCLUDED_BLOCKS.len()
    );
}
