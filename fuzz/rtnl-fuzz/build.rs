//! Writes `$OUT_DIR/getters.rs`: for every attribute set of `rtnl-core/src/generated/` (each
//! `impl<'a> SetView<'a, XSet>` block), a match arm that builds a view over the input and calls
//! every typed getter taking only `&self`. Reading the generated sources keeps the list complete
//! through every regen without a second generator; `tests/corpus.rs` fails if it comes out empty.

use std::fmt::Write;
use std::path::Path;

/// What a getter returns, as far as the call needs to know.
enum Ret {
    Nested,
    Result,
    Iter,
    Other,
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rtnl-core/src/generated");
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    let mut sets: Vec<(String, Vec<(String, Ret)>)> = Vec::new();
    for f in files {
        println!("cargo::rerun-if-changed={}", f.display());
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let mut rest = text.as_str();
        const HEAD: &str = "\nimpl<'a> SetView<'a, ";
        while let Some(at) = rest.find(HEAD) {
            rest = &rest[at + HEAD.len()..];
            let Some(end) = rest.find("> {\n") else { break };
            let set = rest[..end].to_string();
            let body_end = rest.find("\n}\n").unwrap_or(rest.len());
            let body = &rest[..body_end];
            let mut getters = Vec::new();
            let mut b = body;
            while let Some(p) = b.find("pub fn ") {
                b = &b[p + 7..];
                let Some(open) = b.find('(') else { break };
                let name = b[..open].to_string();
                let args: String = b[open + 1..]
                    .chars()
                    .take_while(|c| *c != ')')
                    .filter(|c| !c.is_whitespace())
                    .collect();
                let sig_end = b.find('{').unwrap_or(b.len());
                let sig = &b[..sig_end];
                let nested = sig.split("-> Result<Option<").nth(1).is_some_and(|t| {
                    let ty = t.split('<').next().unwrap_or("");
                    ty.ends_with("Attrs") && t.starts_with(&format!("{ty}<'a>>, DecodeError>"))
                });
                let ret = if nested {
                    Ret::Nested
                } else if sig.contains("-> Result<") {
                    Ret::Result
                } else if sig.contains("-> impl Iterator") {
                    Ret::Iter
                } else {
                    Ret::Other
                };
                if (args == "&self" || args == "&self,")
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    getters.push((name, ret));
                }
            }
            sets.push((set, getters));
            rest = &rest[body_end..];
        }
    }
    let mut out = String::new();
    writeln!(
        out,
        "/// The sets found, in the order the set selector uses."
    )
    .unwrap();
    writeln!(out, "pub static SET_NAMES: &[&str] = &[").unwrap();
    for (s, _) in &sets {
        writeln!(out, "    {s:?},").unwrap();
    }
    writeln!(out, "];").unwrap();
    writeln!(out, "/// How many typed getters the walk calls.").unwrap();
    let total: usize = sets.iter().map(|(_, g)| g.len()).sum();
    writeln!(out, "pub static GETTERS: usize = {total};").unwrap();
    writeln!(out, "/// Their tables, in the same order.").unwrap();
    writeln!(
        out,
        "pub static SET_SPECS: &[&rtnl_core::spec::SetSpec] = &["
    )
    .unwrap();
    for (s, _) in &sets {
        writeln!(
            out,
            "    <rtnl_core::generated::{s} as rtnl_core::view::AttrSet>::SPEC,"
        )
        .unwrap();
    }
    writeln!(out, "];").unwrap();
    writeln!(out, "/// The selector of the set whose table is `spec`.").unwrap();
    writeln!(
        out,
        "pub fn set_index(spec: &rtnl_core::spec::SetSpec) -> Option<usize> {{\n    SET_SPECS.iter().position(|s| core::ptr::eq(*s, spec))\n}}"
    )
    .unwrap();
    writeln!(
        out,
        "/// Views `buf` as set number `which` and calls every getter; then the common checks."
    )
    .unwrap();
    writeln!(
        out,
        "pub fn walk_set(which: usize, buf: &[u8], ctx: rtnl_core::spec::Ctx<'_>, depth: u32) {{"
    )
    .unwrap();
    writeln!(
        out,
        "    if depth > crate::families::MAX_DEPTH {{ return; }}"
    )
    .unwrap();
    writeln!(out, "    match which {{").unwrap();
    for (i, (s, getters)) in sets.iter().enumerate() {
        writeln!(out, "        {i} => {{").unwrap();
        writeln!(
            out,
            "            let v = rtnl_core::view::SetView::<rtnl_core::generated::{s}>::new(buf, ctx);"
        )
        .unwrap();
        for (g, ret) in getters {
            let call = match ret {
                Ret::Nested => format!(
                    "if let Ok(Some(n)) = v.{g}() {{ crate::families::nested(&n, depth) }} else {{ crate::sink(&v.{g}()) }}"
                ),
                Ret::Result => format!("crate::sink(&v.{g}());"),
                Ret::Iter => format!("v.{g}().for_each(|x| crate::sink(&x));"),
                Ret::Other => format!("let _ = v.{g}();"),
            };
            writeln!(out, "            {call}").unwrap();
        }
        writeln!(out, "            crate::families::check_set(&v);").unwrap();
        writeln!(out, "        }}").unwrap();
    }
    writeln!(out, "        _ => {{}}").unwrap();
    writeln!(out, "    }}\n}}").unwrap();
    let dst = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("getters.rs");
    std::fs::write(&dst, out).expect("write getters.rs");
}
