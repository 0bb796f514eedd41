//! schema/README.md's file table lists every `schema/*.toml`, and nothing else: a newcomer reads
//! the table to find where a message lives, so a file missing from it is as good as hidden.

use std::path::Path;

/// The file names in the first column of the table under `## Files` (`| `rtmsg.toml` | ... |`).
fn table_files(readme: &str) -> Vec<String> {
    readme
        .lines()
        .skip_while(|l| l.trim() != "## Files")
        .skip(1)
        .take_while(|l| !l.starts_with("## "))
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once('`'))
        .map(|(name, _)| name.to_string())
        .collect()
}

/// What is wrong with the table, given the `*.toml` names in the directory: one line per file
/// missing from the table, listed but absent, or listed twice.
fn table_problems(readme: &str, dir: &[String]) -> Vec<String> {
    let listed = table_files(readme);
    let mut problems = Vec::new();
    for f in dir {
        if !listed.contains(f) {
            problems.push(format!(
                "schema/{f} is missing from the file table of schema/README.md"
            ));
        }
    }
    for (i, f) in listed.iter().enumerate() {
        if !dir.contains(f) {
            problems.push(format!(
                "schema/README.md lists {f}, which is not in schema/"
            ));
        } else if listed[..i].contains(f) {
            problems.push(format!("schema/README.md lists {f} twice"));
        }
    }
    problems
}

fn schema_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema")
}

#[test]
fn readme_file_table_lists_every_schema_file() {
    let dir = schema_dir();
    let readme = std::fs::read_to_string(dir.join("README.md")).expect("read schema/README.md");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("read schema/")
        .map(|e| {
            e.expect("schema/ entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.ends_with(".toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no *.toml in {}", dir.display());
    let problems = table_problems(&readme, &files);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_comparison_names_missing_extra_and_repeated_files() {
    let readme = "# x\n\n## Files\n\n| file | what |\n| --- | --- |\n| `a.toml` | A |\n| `gone.toml` | G |\n| `a.toml` | again |\n\n## Next\n\n| `b.toml` | not the file table |\n";
    let dir = ["a.toml".to_string(), "b.toml".to_string()];
    assert_eq!(
        table_problems(readme, &dir),
        [
            "schema/b.toml is missing from the file table of schema/README.md",
            "schema/README.md lists gone.toml, which is not in schema/",
            "schema/README.md lists a.toml twice",
        ]
    );
}
