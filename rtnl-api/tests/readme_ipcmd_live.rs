//! Runs `examples/neighbours.rs` (neighbours, FDB, route get) in a fresh namespace and checks
//! that README.md shows it verbatim. Needs root; otherwise prints `skip: <test>: needs root`.

use std::process::Command;

use rtnl_core::testing::TestNetns;

#[test]
fn example_neighbours() {
    if rtnl_core::testing::skip_unless_root("example_neighbours") {
        return;
    }
    // target/<profile>/deps/readme_ipcmd_live-HASH -> target/<profile>/examples/neighbours
    let exe = std::env::current_exe().unwrap();
    let path = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples/neighbours");
    if !path.exists() {
        eprintln!(
            "skip: example_neighbours: {} was not built (run `cargo test -p rtnl-api`)",
            path.display()
        );
        return;
    }
    let ns = TestNetns::new().unwrap();
    let out = Command::new(&path).arg(ns.name()).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for want in [
        "neigh 10.0.0.2 lladdr 02:00:00:00:00:02 permanent",
        "fdb 02:00:00:00:00:03 master Some(",
        "get 10.9.1.1 via 10.0.0.2 src 10.0.0.1 table Some(254)",
    ] {
        assert!(stdout.contains(want), "{want:?} missing in:\n{stdout}");
    }
}

#[test]
fn readme_shows_the_neighbours_example() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let example =
        std::fs::read_to_string(format!("{root}/rtnl-api/examples/neighbours.rs")).unwrap();
    let code = &example[example.find("use rtnl_api").unwrap()..];
    assert!(
        readme.contains(code),
        "README.md's neighbours example differs from rtnl-api/examples/neighbours.rs; paste:\n{code}"
    );
}
