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
    let details = report("coverage.md", &table);
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
        "{} header enums, {defined} constants, all covered; {} blocks excluded as not netlink; {details}",
        rows.len(),
        codegen::coverage::EXCLUDED_BLOCKS.len()
    );
}

/// Keeps the test run readable: a long table goes to `<target dir>/rtnl-reports/NAME` (and to
/// stdout as well with `RTNL_VERBOSE=1`); returns a note saying where it went.
fn report(name: &str, text: &str) -> String {
    if std::env::var_os("RTNL_VERBOSE").is_some_and(|v| v == "1") {
        println!("{text}");
    }
    // <target dir>/<profile>/deps/TEST-HASH -> <target dir>/rtnl-reports/NAME
    let exe = std::env::current_exe().ok();
    let dir = exe
        .as_deref()
        .and_then(|e| Some(e.parent()?.parent()?.parent()?.join("rtnl-reports")));
    let written = dir.and_then(|d| {
        std::fs::create_dir_all(&d).ok()?;
        std::fs::write(d.join(name), text).ok()?;
        Some(d.join(name))
    });
    match written {
        Some(p) => format!("details in {} (RTNL_VERBOSE=1 prints them)", p.display()),
        None => "RTNL_VERBOSE=1 prints the details".to_string(),
    }
}

/// `NAME<TAB>VALUE[<TAB>SOURCE]` lines of a record (comments start with `#`); `-` is "absent".
fn record(file: &str) -> std::collections::BTreeMap<String, Option<i128>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(root.join("tests/parity").join(file))
        .unwrap_or_else(|e| panic!("{file}: {e}"))
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut it = l.split('\t');
            let name = it.next().unwrap().to_string();
            let v = it.next().unwrap_or("-");
            (name, v.parse().ok())
        })
        .collect()
}

/// Items newer than the installed headers (`since`) equal the values recorded from a newer copy
/// of the headers (`cargo xtask record-newer`, newer_headers.tsv, whose first lines name the
/// source) or, for the few that copy lacks, by hand with their source (newer_by_hand.tsv).
/// Runs without gcc or headers: it reads the records.
#[test]
fn newer_items_match_the_recorded_header_values() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let schema = codegen::Schema::load(&root.join("schema")).unwrap_or_else(|e| panic!("{e}"));
    let checks = codegen::cproof::checks(&schema, codegen::cproof::Items::Newer);
    let (auto, by_hand) = (record("newer_headers.tsv"), record("newer_by_hand.tsv"));
    let mut bad = Vec::new();
    let (mut from_headers, mut from_hand) = (0, 0);
    for k in &checks {
        let got = match (auto.get(&k.name).copied().flatten(), by_hand.get(&k.name)) {
            (Some(v), _) => {
                from_headers += 1;
                v
            }
            (None, Some(Some(v))) => {
                from_hand += 1;
                *v
            }
            _ => {
                bad.push(format!(
                    "{}: no recorded value (run `cargo xtask record-newer UAPI_DIR SOURCE`, or record it by hand with its source)",
                    k.name
                ));
                continue;
            }
        };
        if got != k.ours {
            bad.push(format!(
                "{}: schema says {}, the recorded header says {got}",
                k.name, k.ours
            ));
        }
    }
    println!(
        "{} newer items: {from_headers} equal the recorded headers, {from_hand} the values recorded by hand",
        checks.len()
    );
    assert!(checks.len() > 100, "too few newer items: {}", checks.len());
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// The schema covers every constant of the newer headers newer_headers.tsv was recorded from, and
/// coverage::TABLE / TABLE_NEWER list every enum block of them: `cargo xtask record-newer` writes
/// that copy's coverage into the record's header, so this runs without the headers.
#[test]
fn newer_headers_are_fully_covered() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/parity/newer_headers.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("# coverage against this copy: "))
        .expect("newer_headers.tsv has no coverage line: run `cargo xtask record-newer UAPI_DIR SOURCE`");
    let (counts, rest) = line.split_once(" constants, ").expect(line);
    let (covered, defined) = counts.split_once('/').expect(line);
    let unlisted = rest.strip_suffix(" enum blocks unlisted").expect(line);
    assert!(defined.parse::<usize>().unwrap() > 1900, "{line}");
    assert_eq!(
        (covered, unlisted),
        (defined, "0"),
        "coverage against the recorded newer headers is not complete ({line}): see `cargo xtask coverage --include UAPI_DIR`"
    );
}
