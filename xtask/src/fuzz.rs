//! `cargo xtask fuzz-corpus [--clean] [DIR]`: captures the fuzz seed corpus (`fuzz/corpus/`) from
//! a fresh network namespace. The capture itself is the `fuzz-corpus` binary of rtnl-fuzz (it
//! needs rtnl-core, which xtask must not depend on: `regen` has to build while the generated
//! code is stale); this runs it. Needs root. See fuzz/README.md.

use std::path::Path;
use std::process::{Command, ExitCode};

/// Runs the capture with `args` passed through.
pub fn corpus(root: &Path, args: &[String]) -> ExitCode {
    let status = Command::new(env!("CARGO"))
        .current_dir(root)
        .args([
            "run",
            "--quiet",
            "--package",
            "rtnl-fuzz",
            "--bin",
            "fuzz-corpus",
            "--",
        ])
        .args(args)
        .status();
    match status {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(s) => {
            eprintln!("fuzz-corpus failed ({s})");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("cannot run cargo: {e}");
            ExitCode::FAILURE
        }
    }
}
