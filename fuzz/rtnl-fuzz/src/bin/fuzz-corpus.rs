//! Captures the fuzz seed corpus (see `rtnl_fuzz::capture`): `fuzz-corpus [--clean] [DIR]`,
//! DIR defaulting to `fuzz/corpus`. `--clean` first removes the earlier `seed-*` files (kept:
//! anything else, such as minimized findings). Run by `cargo xtask fuzz-corpus`; needs root.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let args: Vec<String> = std::env::args().skip(1).collect();
    let clean = args.iter().any(|a| a == "--clean");
    let dir = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .unwrap_or_else(|| here.join("../corpus"));
    if clean {
        for (t, _) in rtnl_fuzz::TARGETS {
            for e in std::fs::read_dir(dir.join(t))
                .into_iter()
                .flatten()
                .flatten()
            {
                if e.file_name().to_string_lossy().starts_with("seed-") {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
    }
    let golden = here.join("../../rtnl-api/tests/golden/pyroute2.json");
    match rtnl_fuzz::capture::capture(&dir, &golden) {
        Ok(s) => {
            for skip in &s.skipped {
                println!("skip: {skip}");
            }
            for (t, n) in &s.files {
                println!("{t}: {n} seeds");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("fuzz-corpus: {e}");
            ExitCode::FAILURE
        }
    }
}
