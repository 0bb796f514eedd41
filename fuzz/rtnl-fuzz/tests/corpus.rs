//! Every fuzz target over its whole committed corpus (`fuzz/corpus/<target>/`), on the stable
//! toolchain: a seed that panics fails here, without a fuzzer. Prints how many inputs each target
//! ran. The open findings (`fuzz/artifacts-found/<target>/`, minimized inputs that still panic,
//! described in fuzz/README.md) are run too and reported, without failing: once one passes, the
//! test says to move it into the corpus, where it guards against the bug coming back.

use std::path::{Path, PathBuf};
use std::time::Instant;

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v
}

#[test]
fn every_target_over_its_corpus() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut line = Vec::new();
    let mut total = 0;
    let mut open = Vec::new();
    let t0 = Instant::now();
    for (name, f) in rtnl_fuzz::TARGETS {
        let files = inputs(&fuzz.join("corpus").join(name));
        assert!(!files.is_empty(), "{name}: no corpus in fuzz/corpus/{name}");
        for p in &files {
            let data = std::fs::read(p).unwrap();
            let r = std::panic::catch_unwind(|| f(&data));
            assert!(r.is_ok(), "{name}: {} panics", p.display());
        }
        total += files.len();
        line.push(format!("{name} {}", files.len()));
        for p in inputs(&fuzz.join("artifacts-found").join(name)) {
            let data = std::fs::read(p.as_path()).unwrap();
            let hook = std::panic::take_hook();
            std::panic::set_hook(Box::new(|_| {}));
            let r = std::panic::catch_unwind(|| f(&data));
            std::panic::set_hook(hook);
            match r {
                Err(_) => open.push(format!(
                    "{name}/{}",
                    p.file_name().unwrap().to_string_lossy()
                )),
                Ok(()) => println!(
                    "fixed: {} passes now: move it into fuzz/corpus/{name}/ and out of fuzz/README.md's open findings",
                    p.display()
                ),
            }
        }
    }
    println!(
        "fuzz corpus: {total} inputs in {:.1} s ({})",
        t0.elapsed().as_secs_f64(),
        line.join(", ")
    );
    if !open.is_empty() {
        println!(
            "fuzz findings still open (fuzz/README.md): {}",
            open.join(", ")
        );
    }
}

#[test]
fn the_walk_covers_every_family_and_set() {
    let mut ours: Vec<_> = rtnl_fuzz::families::FAMILIES.iter().map(|f| f.0).collect();
    let mut schema: Vec<_> = rtnl_core::generated::MESSAGES
        .iter()
        .map(|m| m.name)
        .collect();
    ours.sort();
    schema.sort();
    assert_eq!(
        ours, schema,
        "fuzz/rtnl-fuzz/src/families.rs: FAMILIES must list every family"
    );
    // build.rs found the sets and their getters in rtnl-core/src/generated/.
    let sets = rtnl_fuzz::getters::SET_SPECS;
    assert!(
        sets.len() >= rtnl_core::generated::SETS.len(),
        "{} sets walked",
        sets.len()
    );
    for s in rtnl_core::generated::SETS {
        assert!(
            rtnl_fuzz::getters::set_index(s).is_some(),
            "set {} is not walked",
            s.name
        );
    }
    assert!(
        rtnl_fuzz::getters::GETTERS > 1000,
        "{} getters",
        rtnl_fuzz::getters::GETTERS
    );
    println!(
        "fuzz walk: {} families, {} sets, {} typed getters",
        ours.len(),
        sets.len(),
        rtnl_fuzz::getters::GETTERS
    );
}
