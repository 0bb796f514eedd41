//! No hand-written function over 150 lines: a reader should see a function whole. Tests (the
//! `#[cfg(test)]` modules and `tests/`), benches and `rtnl-core/src/generated/` are exempt;
//! the few known exceptions below say why.
//!
//! The scan is lexical: comments, strings and char literals are blanked, then each `fn` with a
//! body is measured from its `fn` line to its closing brace.

use std::path::{Path, PathBuf};

const LIMIT: usize = 150;

/// Hand-written source, relative to the workspace root.
const DIRS: &[&str] = &[
    "codegen/src",
    "rtnl-core/src",
    "rtnl-api/src",
    "rtnl-cli/src",
    "xtask/src",
];

/// `(file, function, why)`: functions allowed to stay long for now. An entry that no longer
/// matches a long function fails the test, so the list only shrinks.
const EXCEPTIONS: &[(&str, &str, &str)] = &[];

/// The source with comments, string literals and char literals replaced by spaces (newlines
/// kept, so positions and line numbers still hold).
fn blank_literals(src: &str) -> Vec<u8> {
    let b = src.as_bytes();
    let mut out = b.to_vec();
    let blank = |out: &mut [u8], from: usize, to: usize| {
        for c in &mut out[from..to] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let n = b.len();
    let mut i = 0;
    while i < n {
        let rest = &b[i..];
        let j = if rest.starts_with(b"//") {
            rest.iter().position(|&c| c == b'\n').map_or(n, |k| i + k)
        } else if rest.starts_with(b"/*") {
            let (mut k, mut depth) = (i + 2, 1);
            while k < n && depth > 0 {
                if b[k..].starts_with(b"/*") {
                    depth += 1;
                    k += 2;
                } else if b[k..].starts_with(b"*/") {
                    depth -= 1;
                    k += 2;
                } else {
                    k += 1;
                }
            }
            k
        } else if let Some(end) = raw_string_end(b, i).filter(|_| i == 0 || !ident(b[i - 1])) {
            end
        } else if b[i] == b'"' {
            let mut k = i + 1;
            while k < n && b[k] != b'"' {
                k += if b[k] == b'\\' { 2 } else { 1 };
            }
            (k + 1).min(n)
        } else if b[i] == b'\'' {
            char_literal_end(src, i).unwrap_or(i + 1)
        } else {
            i + 1
        };
        if j > i + 1 || matches!(b[i], b'"' | b'/') {
            blank(&mut out, i, j);
        }
        i = j.max(i + 1);
    }
    out
}

/// The end of a raw string (`r"..."`, `r#"..."#`, `br"..."`) starting at `i`, if one does.
fn raw_string_end(b: &[u8], i: usize) -> Option<usize> {
    let mut k = i + usize::from(b[i] == b'b');
    if b.get(k) != Some(&b'r') {
        return None;
    }
    k += 1;
    let hashes = b[k..].iter().take_while(|&&c| c == b'#').count();
    k += hashes;
    if b.get(k) != Some(&b'"') {
        return None;
    }
    let mut close = vec![b'"'];
    close.extend(std::iter::repeat_n(b'#', hashes));
    let body = k + 1;
    let end = b[body..].windows(close.len()).position(|w| w == close)?;
    Some(body + end + close.len())
}

/// The end of a char literal at `i` (`'a'`, `'\n'`, `'\u{2018}'`), or None for a lifetime.
fn char_literal_end(src: &str, i: usize) -> Option<usize> {
    let rest = &src[i + 1..];
    if let Some(esc) = rest.strip_prefix('\\') {
        let close = esc.get(1..)?.find('\'')?;
        return Some(i + 1 + 1 + 1 + close + 1);
    }
    let c = rest.chars().next()?;
    rest[c.len_utf8()..]
        .starts_with('\'')
        .then(|| i + 1 + c.len_utf8() + 1)
}

/// The index of the brace closing the one at `open`.
fn matching_brace(b: &[u8], open: usize) -> usize {
    let mut depth = 0usize;
    for (k, &c) in b.iter().enumerate().skip(open) {
        match c {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return k;
                }
            }
            _ => {}
        }
    }
    b.len()
}

/// Blanks every `#[cfg(test)] mod NAME { ... }` (tests are exempt).
fn blank_test_modules(b: &mut [u8]) {
    const ATTR: &[u8] = b"#[cfg(test)]";
    let mut i = 0;
    while let Some(k) = b[i..].windows(ATTR.len()).position(|w| w == ATTR) {
        let at = i + k;
        let after = at + ATTR.len();
        let next: Vec<u8> = b[after..]
            .iter()
            .copied()
            .filter(|c| !c.is_ascii_whitespace())
            .take(3)
            .collect();
        i = after;
        if next == b"mod"
            && let Some(open) = b[after..].iter().position(|&c| c == b'{' || c == b';')
            && b[after + open] == b'{'
        {
            let close = matching_brace(b, after + open);
            let end = (close + 1).min(b.len());
            for c in &mut b[at..end] {
                if *c != b'\n' {
                    *c = b' ';
                }
            }
            i = close.min(b.len());
        }
    }
}

/// `(name, first line, length in lines)` of every function with a body in `src`.
fn functions(src: &str) -> Vec<(String, usize, usize)> {
    let mut b = blank_literals(src);
    blank_test_modules(&mut b);
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let line_of = |pos: usize| 1 + b[..pos].iter().filter(|&&c| c == b'\n').count();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(k) = b[i..].windows(3).position(|w| w == b"fn ") {
        let at = i + k;
        i = at + 3;
        if at > 0 && ident(b[at - 1]) {
            continue;
        }
        let name_start = at
            + 3
            + b[at + 3..]
                .iter()
                .take_while(|c| c.is_ascii_whitespace())
                .count();
        let name_len = b[name_start..].iter().take_while(|&&c| ident(c)).count();
        if name_len == 0 {
            continue;
        }
        let name = String::from_utf8_lossy(&b[name_start..name_start + name_len]).into_owned();
        // The body starts at the first `{` outside the signature's brackets; a `;` first means
        // a declaration without a body.
        let mut depth = 0i32;
        let mut open = None;
        for (p, &c) in b.iter().enumerate().skip(name_start + name_len) {
            match c {
                b'(' | b'[' | b'<' => depth += 1,
                b')' | b']' | b'>' => depth -= 1,
                b';' if depth <= 0 => break,
                b'{' if depth <= 0 => {
                    open = Some(p);
                    break;
                }
                _ => {}
            }
        }
        let Some(open) = open else { continue };
        let close = matching_brace(&b, open);
        let (first, last) = (line_of(at), line_of(close.min(b.len())));
        found.push((name, first, last - first + 1));
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n == "generated") {
                continue;
            }
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn no_hand_written_function_is_over_150_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for d in DIRS {
        rust_files(&root.join(d), &mut files);
    }
    files.sort();
    assert!(files.len() > 10, "found only {} files", files.len());
    let mut problems = Vec::new();
    let mut excused = Vec::new();
    for f in &files {
        let rel = f
            .strip_prefix(&root)
            .unwrap_or(f)
            .to_string_lossy()
            .into_owned();
        let src = std::fs::read_to_string(f).expect("read source");
        for (name, line, len) in functions(&src) {
            if len <= LIMIT {
                continue;
            }
            if EXCEPTIONS.iter().any(|e| e.0 == rel && e.1 == name) {
                excused.push((rel.clone(), name));
            } else {
                problems.push(format!(
                    "{rel}:{line}: fn {name} is {len} lines (at most {LIMIT}): split it"
                ));
            }
        }
    }
    for (file, name, _) in EXCEPTIONS {
        if !excused.iter().any(|(f, n)| f == file && n == name) {
            problems.push(format!(
                "{file}: fn {name} is no longer over {LIMIT} lines: remove it from EXCEPTIONS in xtask/tests/long_functions.rs"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_scan_measures_bodies_and_skips_literals_and_tests() {
    let src = r##"
// fn in_a_comment() { {
fn short(x: u8) -> Option<Vec<u8>> {
    let s = "fn in_a_string() { {";
    let r = r#"}"#;
    let c = '{';
    let l: &'static str = s;
    None
}
trait T {
    fn declared(&self);
}
#[cfg(test)]
mod tests {
    fn hidden() {
    }
}
"##;
    assert_eq!(functions(src), [("short".to_string(), 3, 7)]);
}
