//! How schema names become Rust names: `rta_cacheinfo` -> `RtaCacheinfo` (types), `mp_algo` ->
//! `mp_algo` (methods, with a suffix when the name is a keyword or a method every view has),
//! `route` -> `ROUTE_SPEC` (statics). Used by validation (generated names must not collide) and
//! by emission; depends on nothing else in the crate.

use proc_macro2::{Ident, Span};

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Methods every attribute view/builder has; attributes with these names get a `_attr` suffix.
const RESERVED_METHODS: &[&str] = &[
    "new",
    "bytes",
    "ctx",
    "attrs_iter",
    "raw_attrs",
    "dyn_attrs",
    "payload",
    "set",
    "raw",
    "buf",
    "clone",
    "fmt",
    "serialize",
    "header",
    "attrs",
    "parse",
    "get",
    "get_with",
    "get_all",
    "get_all_with",
    "has",
    "put",
    "put_parts",
    "put_array",
    "put_hops",
    "nest",
    "header_nest",
];

/// `rta_cacheinfo` -> `RtaCacheinfo`.
pub fn camel(s: &str) -> String {
    let mut out = String::new();
    let mut up = true;
    for c in s.chars() {
        if c == '_' || c == '-' || c == '.' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

/// `TtlPropagate` -> `ttl_propagate`.
pub fn snake_of_camel(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A snake-case identifier (`_` before a leading digit, `_` after a keyword).
pub fn snake_ident(s: &str) -> Ident {
    let mut s = s.replace(['-', '.'], "_").to_lowercase();
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    }
    ident(&s)
}

/// A method name: [`snake_ident`], with `_attr` after names every view or builder already has.
pub fn method_ident(s: &str) -> Ident {
    let id = snake_ident(s);
    if RESERVED_METHODS.contains(&id.to_string().as_str()) {
        ident(&format!("{id}_attr"))
    } else {
        id
    }
}

/// A type name ([`camel`]).
pub fn type_ident(s: &str) -> Ident {
    ident(&camel(s))
}

/// A constant name (`F_` before a leading digit).
pub fn upper_ident(s: &str) -> Ident {
    let mut u = s.replace(['-', '.'], "_").to_uppercase();
    if u.starts_with(|c: char| c.is_ascii_digit()) {
        u.insert_str(0, "F_");
    }
    ident(&u)
}

/// The static holding an item's table: `route`, `SPEC` -> `ROUTE_SPEC`.
pub fn static_ident(name: &str, suffix: &str) -> Ident {
    ident(&format!("{}_{suffix}", name.to_uppercase()))
}

/// An identifier as given.
pub fn ident(s: &str) -> Ident {
    Ident::new(s, Span::call_site())
}
