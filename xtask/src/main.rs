//! Developer tasks: `cargo xtask <task>`, one function per task.
//!
//! * `regen [--check]`: regenerate `rtnl-core/src/generated/`, `rtnl-api/src/typed/generated.rs` and `typed/tc/generated.rs` from `schema/` (or, with
//!   `--check`, fail naming every stale file).
//! * `check-schema`: load and validate the schema, print every problem.
//! * `coverage [--include DIR]`: per header enum, the constants the headers define and the
//!   schema covers.
//! * `record-newer UAPI_DIR SOURCE`: prove the schema's `since` items against newer headers and
//!   record their values in `codegen/tests/parity/newer_headers.tsv`.
//! * `golden`: regenerate the pyroute2 golden fixtures (needs `pip install pyroute2`).
//! * `parity-pyroute2`: re-extract pyroute2's attribute vocabulary into
//!   `codegen/tests/parity/pyroute2.json` (needs python3 and `pip install pyroute2`).
//! * `bench [--routes N] [--v6 N] [--runs N] ...`: the dump benchmark (root; see `bench.rs`).
//! * `bench --cli-batch [--lines N] [--runs N]`: `rtnl -batch` against `ip -batch` on N
//!   `route add` lines (root; see `bench_cli_batch.rs`).
//! * `fuzz-corpus [--clean] [DIR]`: capture the fuzz seed corpus from a namespace (root; see
//!   `fuzz.rs` and fuzz/README.md).
//!
//! * `completions DIR`, `man DIR`: `rtnl`'s shell completions and man page (`cli_docs.rs`).
//!
//! `RTNL_SCHEMA_DIR` points the schema tasks at another schema directory.

mod bench;
mod bench_cli;
mod bench_cli_batch;
mod bench_events;
mod bench_writes;
mod benchns;
mod cli_docs;
mod fuzz;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = root();
    let schema = std::env::var_os("RTNL_SCHEMA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("schema"));
    let rest = args.get(1..).unwrap_or(&[]);
    match args.first().map(String::as_str) {
        Some("regen") => cmd_regen(&root, &schema, rest),
        Some("check-schema") => cmd_check_schema(&schema),
        Some("coverage") => cmd_coverage(&schema, rest),
        Some("record-newer") => cmd_record_newer(&root, &schema, rest),
        Some("golden") => cmd_golden(&root),
        Some("parity-pyroute2") => cmd_parity_pyroute2(&root),
        Some("bench") => cmd_bench(&root, rest),
        Some("fuzz-corpus") => fuzz::corpus(&root, rest),
        Some(w @ ("completions" | "man")) => cli_docs::cmd(&root, w, rest),
        _ => {
            eprintln!(
                "usage: cargo xtask <regen [--check] | check-schema | coverage | golden | parity-pyroute2 | record-newer UAPI_DIR SOURCE | bench [options] | fuzz-corpus [--clean] [DIR] | completions DIR | man DIR>"
            );
            ExitCode::FAILURE
        }
    }
}

/// Loads and validates the schema, printing every problem when it fails.
fn load_schema(schema: &Path) -> Result<codegen::Schema, ExitCode> {
    codegen::Schema::load(schema).map_err(|e| {
        eprint!("{e}");
        ExitCode::FAILURE
    })
}

/// `regen [--check]`: writes the generated files whose bytes changed (and removes those whose
/// schema file is gone), or with `--check` names every stale file and fails.
fn cmd_regen(root: &Path, schema: &Path, args: &[String]) -> ExitCode {
    let out = root.join("rtnl-core/src/generated");
    let check = args.iter().any(|a| a == "--check");
    let mut files = match codegen::generate_dir(schema, &out) {
        Ok(f) => f,
        Err(e) => {
            eprint!("{e}");
            return ExitCode::FAILURE;
        }
    };
    // rtnl-api's typed requests take their setters from the same schema.
    let (typed, typed_tc) = match load_schema(schema) {
        Ok(s) => (
            codegen::generate_requests(&s),
            codegen::generate_tc_requests(&s),
        ),
        Err(code) => return code,
    };
    let typed_path = root.join("rtnl-api/src/typed/generated.rs");
    let typed_tc_path = root.join("rtnl-api/src/typed/tc/generated.rs");
    let mut stale = codegen::stale_files(&files);
    for (p, c) in [(&typed_path, &typed), (&typed_tc_path, &typed_tc)] {
        if std::fs::read_to_string(p).ok().as_deref() != Some(c.as_str()) {
            stale.push(p.clone());
        }
    }
    if check {
        if stale.is_empty() {
            println!("generated code is up to date ({} files)", files.len() + 2);
            return ExitCode::SUCCESS;
        }
        for p in &stale {
            eprintln!(
                "stale: {} — run `cargo xtask regen`",
                p.strip_prefix(root).unwrap_or(p).display()
            );
        }
        return ExitCode::FAILURE;
    }
    // Remove generated modules whose schema file is gone.
    if let Ok(rd) = std::fs::read_dir(&out) {
        for e in rd.flatten() {
            if !files.iter().any(|(p, _)| *p == e.path()) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    std::fs::create_dir_all(&out).expect("create rtnl-core/src/generated");
    files.push((typed_path, typed));
    files.push((typed_tc_path, typed_tc));
    for (p, c) in &files {
        if stale.contains(p) {
            std::fs::write(p, c).unwrap_or_else(|e| panic!("write {}: {e}", p.display()));
            println!("wrote {}", p.strip_prefix(root).unwrap_or(p).display());
        }
    }
    ExitCode::SUCCESS
}

/// `check-schema`: load and validate, print every problem.
fn cmd_check_schema(schema: &Path) -> ExitCode {
    match load_schema(schema) {
        Ok(s) => {
            println!("schema OK: {} files", s.files.len());
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}

/// `coverage [--include DIR]`: the header constants the schema covers, per enum, and the enums
/// of the listed headers not listed yet; fails when a listed enum misses a constant.
fn cmd_coverage(schema: &Path, args: &[String]) -> ExitCode {
    let schema = match load_schema(schema) {
        Ok(s) => s,
        Err(code) => return code,
    };
    // `--include DIR`: count against another copy of the headers (a newer kernel's
    // include/uapi), to see what it defines that the schema lacks.
    let include = args
        .iter()
        .position(|a| a == "--include")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
        .unwrap_or_else(|| "/usr/include".into());
    let strict = include == Path::new("/usr/include");
    match codegen::coverage::report_in(&schema, &include, strict) {
        Ok(rows) => {
            print!("{}", codegen::coverage::render(&rows));
            if let Ok(rest) = codegen::coverage::unlisted_in(&include, strict) {
                let n: usize = rest.iter().map(|r| r.2).sum();
                println!(
                    "\nEnums of these headers not listed yet ({} enums, {n} constants):\n",
                    rest.len()
                );
                for (h, first, count) in rest {
                    println!("- {h}: {first} ({count})");
                }
            }
            if rows.iter().any(|r| !r.missing.is_empty()) {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("coverage: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `record-newer UAPI_DIR SOURCE`: see [`record_newer`].
fn cmd_record_newer(root: &Path, schema: &Path, args: &[String]) -> ExitCode {
    match (args.first(), args.get(1)) {
        (Some(dir), Some(source)) => match load_schema(schema) {
            Ok(s) => record_newer(root, &s, Path::new(dir), source),
            Err(code) => code,
        },
        _ => {
            eprintln!(
                "usage: cargo xtask record-newer UAPI_DIR SOURCE\n  UAPI_DIR holds linux/*.h newer than /usr/include (iproute2's include/uapi); SOURCE says where it came from (repository, commit, date)"
            );
            ExitCode::FAILURE
        }
    }
}

/// `golden`: run `xtask/golden/pyroute2_golden.py` to rewrite
/// `rtnl-api/tests/golden/pyroute2.json`.
fn cmd_golden(root: &Path) -> ExitCode {
    let status = Command::new("python3")
        .arg(root.join("xtask/golden/pyroute2_golden.py"))
        .arg(root.join("rtnl-api/tests/golden/pyroute2.json"))
        .status();
    match status {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(s) => {
            eprintln!(
                "pyroute2_golden.py failed ({s}); is pyroute2 installed? pip install 'pyroute2>=0.9,<0.10'"
            );
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("cannot run python3: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `bench [options]`: the benchmark table (see `bench.rs`).
fn cmd_bench(root: &Path, args: &[String]) -> ExitCode {
    let cli_batch = args.first().is_some_and(|a| a == "--cli-batch");
    match if cli_batch {
        bench_cli_batch::main(root, &args[1..])
    } else {
        bench::main(root, args)
    } {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bench: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `parity-pyroute2`: run `xtask/parity/pyroute2_names.py` and rewrite `codegen/tests/parity/pyroute2.json`.
fn cmd_parity_pyroute2(root: &Path) -> ExitCode {
    const INSTALL: &str = "pip install 'pyroute2>=0.9,<0.10'";
    let probe = Command::new("python3")
        .args(["-c", "import pyroute2; print(pyroute2.__version__)"])
        .output();
    match probe {
        Err(e) => {
            eprintln!("parity-pyroute2 needs python3, which cannot be run here ({e})");
            return ExitCode::FAILURE;
        }
        Ok(o) if !o.status.success() => {
            eprintln!(
                "parity-pyroute2 needs pyroute2 0.9.x for python3, which is not installed: {INSTALL}"
            );
            return ExitCode::FAILURE;
        }
        Ok(o) => {
            let v = String::from_utf8_lossy(&o.stdout).trim().to_string();
            if !v.starts_with("0.9.") {
                eprintln!(
                    "warning: pyroute2 {v} found; the committed data comes from 0.9.x ({INSTALL})"
                );
            }
        }
    }
    let out = root.join("codegen/tests/parity/pyroute2.json");
    match Command::new("python3")
        .arg(root.join("xtask/parity/pyroute2_names.py"))
        .arg(&out)
        .status()
    {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(s) => {
            eprintln!("pyroute2_names.py failed ({s})");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("cannot run python3: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Proves the schema's `since` items against a newer copy of the uapi headers and records the
/// headers' values, with their source, in `codegen/tests/parity/newer_headers.tsv` (which the
/// test `newer_items_match_the_recorded_header_values` reads). The C program is the header proof's,
/// compiled with `-I UAPI_DIR` ahead of /usr/include; an item that copy lacks is recorded as
/// missing (the test then fails until it is found in a newer source or its `since` is wrong).
fn record_newer(root: &Path, schema: &codegen::Schema, uapi: &Path, source: &str) -> ExitCode {
    use codegen::cproof::{Items, checks, program};
    let all = checks(schema, Items::Newer);
    let mut keep = all.clone();
    let mut missing: Vec<String> = Vec::new();
    let dir = std::env::temp_dir().join(format!("rtnl-newer-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (c, exe) = (dir.join("newer.c"), dir.join("newer"));
    let output = loop {
        std::fs::write(&c, program(&keep)).expect("write newer.c");
        let out = Command::new("gcc")
            .arg("-I")
            .arg(uapi)
            .arg("-o")
            .arg(&exe)
            .arg(&c)
            .output();
        let out = match out {
            Ok(o) => o,
            Err(e) => {
                eprintln!("record-newer needs gcc: {e}");
                return ExitCode::FAILURE;
            }
        };
        if out.status.success() {
            match Command::new(&exe).output() {
                Ok(o) => break String::from_utf8_lossy(&o.stdout).into_owned(),
                Err(e) => {
                    eprintln!("cannot run the proof program: {e}");
                    return ExitCode::FAILURE;
                }
            }
        }
        // Names the headers lack: drop their checks and compile again.
        let err = String::from_utf8_lossy(&out.stderr);
        let lacking: Vec<String> = err
            .lines()
            .filter(|l| l.contains("undeclared") || l.contains("has no member"))
            .filter_map(|l| {
                let a = l
                    .find('\u{2018}')
                    .map(|i| i + 3)
                    .or_else(|| l.find('\'').map(|i| i + 1))?;
                let rest = &l[a..];
                let b = rest.find('\u{2019}').or_else(|| rest.find('\''))?;
                Some(rest[..b].to_string())
            })
            .collect();
        let before = keep.len();
        keep.retain(|k| {
            let gone = lacking.iter().any(|n| k.expr.contains(n.as_str()));
            if gone {
                missing.push(k.name.clone());
            }
            !gone
        });
        if keep.len() == before {
            eprintln!(
                "the proof program does not compile against {}:\n{err}",
                uapi.display()
            );
            return ExitCode::FAILURE;
        }
    };
    // The coverage of the schema against the same copy (what `cargo xtask coverage --include
    // UAPI_DIR` reports), kept in the record so a test can check it without the headers.
    let coverage = match (
        codegen::coverage::report_in(schema, uapi, false),
        codegen::coverage::unlisted_in(uapi, false),
    ) {
        (Ok(rows), Ok(rest)) => {
            let defined: usize = rows.iter().map(|r| r.defined).sum();
            let covered: usize = rows.iter().map(|r| r.covered).sum();
            format!(
                "{covered}/{defined} constants, {} enum blocks unlisted",
                rest.len()
            )
        }
        (Err(e), _) | (_, Err(e)) => format!("error: {e}"),
    };
    let mut tsv = format!(
        "# The header value of every schema item newer than the installed 6.1 headers (`since`),\n# from: {source}\n# Written by `cargo xtask record-newer`; read by codegen/tests/c_headers.rs.\n# coverage against this copy: {coverage}\n# NAME<TAB>VALUE (`-` where that copy of the headers lacks the item)\n"
    );
    let mut bad = Vec::new();
    for line in output.lines() {
        let mut it = line.split('\t');
        if let (Some(n), Some(ours), Some(theirs)) = (it.next(), it.next(), it.next()) {
            tsv.push_str(&format!("{n}\t{theirs}\n"));
            if ours != theirs {
                bad.push(format!("{n}: schema says {ours}, the header says {theirs}"));
            }
        }
    }
    for m in &missing {
        tsv.push_str(&format!("{m}\t-\n"));
    }
    let out = root.join("codegen/tests/parity/newer_headers.tsv");
    std::fs::write(&out, tsv).expect("write newer_headers.tsv");
    println!("coverage against {}: {coverage}", uapi.display());
    println!(
        "{} newer items: {} recorded, {} not in {}; wrote {}",
        all.len(),
        all.len() - missing.len(),
        missing.len(),
        uapi.display(),
        out.strip_prefix(root).unwrap_or(&out).display()
    );
    for b in &bad {
        println!("mismatch: {b}");
    }
    for m in &missing {
        println!("missing: {m}");
    }
    if bad.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
