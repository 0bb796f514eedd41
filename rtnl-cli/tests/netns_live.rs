//! `rtnl netns set | list | list-id | help` against `ip netns` on the same namespaces: ids given
//! by one tool are read back by the other, text and `-j` equal, exit statuses and messages of
//! the error cases equal. `-n NS` runs the command in NS for both.
//!
//! Needs root; otherwise the test prints `skip: <test>: needs root` and returns.

use std::process::Command;

use rtnl_core::testing::{TestNetns, skip_unless_root};

/// `prog -n ns WORDS...`: exit status, stdout, stderr.
fn run(prog: &str, ns: &str, words: &str) -> (i32, String, String) {
    let out = Command::new(prog)
        .args(["-n", ns])
        .args(words.split_whitespace())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const RTNL: &str = env!("CARGO_BIN_EXE_rtnl");

#[test]
fn netns_ids_as_ip() {
    if skip_unless_root("netns_ids_as_ip") {
        return;
    }
    // `a` is where ids are given; `b`, `c` get them.
    let (a, b, c) = (
        TestNetns::new().unwrap(),
        TestNetns::new().unwrap(),
        TestNetns::new().unwrap(),
    );
    let (a, b, c) = (a.name(), b.name(), c.name());
    assert_eq!(run(RTNL, a, &format!("netns set {b} 7")).0, 0);
    assert_eq!(run("ip", a, &format!("netns set {c} auto")).0, 0);

    let mut checked = 0;
    for words in [
        "netns list-id".to_string(),
        "-j netns list-id".to_string(),
        "netns list-id nsid 7".to_string(),
        "-j netns list-id nsid 0".to_string(),
    ] {
        let ours = run(RTNL, a, &words);
        let theirs = run("ip", a, &words);
        assert_eq!(ours, theirs, "{words}");
        checked += usize::from(!theirs.1.is_empty());
    }
    assert_eq!(checked, 4, "every list-id printed something");
    let ours = run(RTNL, a, "netns list-id").1;
    assert!(
        ours.contains(&format!("nsid 7 (iproute2 netns name: {b})")),
        "{ours}"
    );
    assert!(
        ours.contains(&format!("nsid 0 (iproute2 netns name: {c})")),
        "{ours}"
    );

    // `netns list`: the same lines for our namespaces (others may come and go meanwhile).
    for words in ["netns list", "-j netns list"] {
        let mine = |out: String| -> Vec<String> {
            let mut v: Vec<String> = if words.starts_with("-j") {
                let j: serde_json::Value = serde_json::from_str(&out).unwrap();
                j.as_array()
                    .unwrap()
                    .iter()
                    .filter(|e| [a, b, c].contains(&e["name"].as_str().unwrap()))
                    .map(|e| e.to_string())
                    .collect()
            } else {
                out.lines()
                    .filter(|l| [a, b, c].contains(&l.split(' ').next().unwrap()))
                    .map(str::to_string)
                    .collect()
            };
            v.sort();
            v
        };
        let ours = mine(run(RTNL, a, words).1);
        assert_eq!(ours, mine(run("ip", a, words).1), "{words}");
        assert_eq!(ours.len(), 3, "{words}: {ours:?}");
    }

    // Error cases: status and message as ip's.
    for words in [
        format!("netns set {b} x"),
        "netns set rtnl-no-such-ns 3".to_string(),
    ] {
        let (ours, theirs) = (run(RTNL, a, &words), run("ip", a, &words));
        assert_eq!(ours.0, theirs.0, "{words}");
        assert_eq!(ours.2, theirs.2, "{words}");
        assert_ne!(ours.0, 0, "{words}");
    }
    let (code, _, err) = run(RTNL, a, "netns help");
    assert_eq!(code, 255);
    assert!(err.contains("rtnl netns set NAME NETNSID"), "{err}");
}
