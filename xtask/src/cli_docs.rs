//! `cargo xtask completions DIR` and `cargo xtask man DIR`: `rtnl`'s shell completions (bash,
//! zsh, fish, PowerShell, elvish) and its man page, generated from the CLI's clap definition by
//! rtnl-cli's `rtnl_docs` example (clap_complete, clap_mangen), so xtask itself does not depend
//! on the libraries it regenerates.

use std::path::Path;
use std::process::{Command, ExitCode};

/// Runs `rtnl_docs WHAT DIR`.
pub fn cmd(root: &Path, what: &str, args: &[String]) -> ExitCode {
    let Some(dir) = args.first() else {
        eprintln!("usage: cargo xtask {what} DIR");
        return ExitCode::FAILURE;
    };
    let dir = std::env::current_dir()
        .map(|c| c.join(dir))
        .unwrap_or_else(|_| dir.into());
    let st = Command::new(env!("CARGO"))
        .current_dir(root)
        .args([
            "run",
            "-q",
            "-p",
            "rtnl-cli",
            "--example",
            "rtnl_docs",
            "--",
            what,
        ])
        .arg(&dir)
        .status();
    match st {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(s) => {
            eprintln!("{what}: rtnl_docs failed: {s}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("{what}: cargo: {e}");
            ExitCode::FAILURE
        }
    }
}
