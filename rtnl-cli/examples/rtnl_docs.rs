//! Writes `rtnl`'s shell completions or man page from its clap definition (`rtnl_cli::Cli`).
//! Run through `cargo xtask completions DIR` / `cargo xtask man DIR`:
//!
//! ```text
//! rtnl_docs completions DIR   # DIR/rtnl.bash, DIR/_rtnl (zsh), DIR/rtnl.fish, DIR/_rtnl.ps1, DIR/rtnl.elv
//! rtnl_docs man DIR           # DIR/rtnl.8
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::Shell;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(what), Some(dir)) = (args.first(), args.get(1)) else {
        eprintln!("usage: rtnl_docs completions|man DIR");
        return ExitCode::FAILURE;
    };
    let dir = PathBuf::from(dir);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("{}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    let mut cmd = rtnl_cli::Cli::command();
    let r = match what.as_str() {
        "completions" => [
            Shell::Bash,
            Shell::Zsh,
            Shell::Fish,
            Shell::PowerShell,
            Shell::Elvish,
        ]
        .into_iter()
        .try_for_each(|sh| {
            let p = clap_complete::generate_to(sh, &mut cmd, "rtnl", &dir)?;
            println!("{}", p.display());
            Ok::<(), std::io::Error>(())
        }),
        "man" => {
            let man = clap_mangen::Man::new(cmd).section("8");
            let mut out = Vec::new();
            man.render(&mut out).and_then(|()| {
                let p = dir.join("rtnl.8");
                std::fs::write(&p, out)?;
                println!("{}", p.display());
                Ok(())
            })
        }
        other => {
            eprintln!("unknown: {other} (completions or man)");
            return ExitCode::FAILURE;
        }
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rtnl_docs: {e}");
            ExitCode::FAILURE
        }
    }
}
