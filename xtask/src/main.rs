//! Developer tasks: `cargo xtask <task>`.
//!
//! * `regen [--check]`: regenerate `rtnl-core/src/generated/` from `schema/` (or, with
//!   `--check`, fail naming every stale file).
//! * `check-schema`: load and validate the schema, print every problem.
//! * `coverage`: per header enum, the constants the headers define and the schema covers.
//! * `golden`: regenerate the pyroute2 golden fixtures (needs `pip install pyroute2`).
//! * `parity-pyroute2`: re-extract pyroute2's attribute vocabulary into
//!   `codegen/tests/parity/pyroute2.json` (needs python3 and `pip install pyroute2`).
//! * `bench [--routes N] [--v6 N] [--runs N] ...`: the dump benchmark (root; see `bench.rs`).

mod bench;

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
    let out = root.join("rtnl-core/src/generated");
    match args.first().map(String::as_str) {
        Some("regen") => {
            let check = args.iter().any(|a| a == "--check");
            let files = match codegen::generate_dir(&schema, &out) {
                Ok(f) => f,
                Err(e) => {
                    eprint!("{e}");
                    return ExitCode::FAILURE;
                }
            };
            let stale = codegen::stale_files(&files);
            if check {
                if stale.is_empty() {
                    println!("generated code is up to date ({} files)", files.len());
                    return ExitCode::SUCCESS;
                }
                for p in &stale {
                    eprintln!(
                        "stale: {} — run `cargo xtask regen`",
                        p.strip_prefix(&root).unwrap_or(p).display()
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
            for (p, c) in &files {
                if stale.contains(p) {
                    std::fs::write(p, c).unwrap_or_else(|e| panic!("write {}: {e}", p.display()));
                    println!("wrote {}", p.strip_prefix(&root).unwrap_or(p).display());
                }
            }
            ExitCode::SUCCESS
        }
        Some("coverage") => {
            let schema = match codegen::Schema::load(&schema) {
                Ok(s) => s,
                Err(e) => {
                    eprint!("{e}");
                    return ExitCode::FAILURE;
                }
            };
            match codegen::coverage::report(&schema, Path::new("/usr/include")) {
                Ok(rows) => {
                    print!("{}", codegen::coverage::render(&rows));
                    if let Ok(rest) = codegen::coverage::unlisted(Path::new("/usr/include")) {
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
        Some("check-schema") => match codegen::Schema::load(&schema) {
            Ok(s) => {
                println!("schema OK: {} files", s.files.len());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprint!("{e}");
                ExitCode::FAILURE
            }
        },
        Some("bench") => match bench::main(&root, &args[1..]) {
            Ok(report) => {
                print!("{report}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("bench: {e}");
                ExitCode::FAILURE
            }
        },
        Some("golden") => {
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
        Some("parity-pyroute2") => parity_pyroute2(&root),
        _ => {
            eprintln!(
                "usage: cargo xtask <regen [--check] | check-schema | coverage | golden | parity-pyroute2 | bench [options]>"
            );
            ExitCode::FAILURE
        }
    }
}

/// Run `xtask/parity/pyroute2_names.py` and rewrite `codegen/tests/parity/pyroute2.json`.
fn parity_pyroute2(root: &Path) -> ExitCode {
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
