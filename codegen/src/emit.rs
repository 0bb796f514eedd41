//! Rust source from a validated [`Schema`]: one module per schema file plus `mod.rs`.
//!
//! Output is built with `quote` and formatted with `prettyplease`; iteration is in file and
//! declaration order (or sorted), never hash order, so the same schema gives the same bytes.

use std::collections::BTreeMap;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};

use crate::model::*;
use crate::schema::{Names, Schema, scalar_size};

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

fn snake_ident(s: &str) -> Ident {
    let mut s = s.replace(['-', '.'], "_").to_lowercase();
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    }
    Ident::new(&s, Span::call_site())
}

fn method_ident(s: &str) -> Ident {
    let id = snake_ident(s);
    if RESERVED_METHODS.contains(&id.to_string().as_str()) {
        format_ident!("{}_attr", id)
    } else {
        id
    }
}

fn type_ident(s: &str) -> Ident {
    Ident::new(&camel(s), Span::call_site())
}

fn upper_ident(s: &str) -> Ident {
    let mut u = s.replace(['-', '.'], "_").to_uppercase();
    if u.starts_with(|c: char| c.is_ascii_digit()) {
        u.insert_str(0, "F_");
    }
    Ident::new(&u, Span::call_site())
}

fn static_ident(name: &str, suffix: &str) -> Ident {
    Ident::new(
        &format!("{}_{suffix}", name.to_uppercase()),
        Span::call_site(),
    )
}

fn doc(s: &str) -> TokenStream {
    if s.is_empty() {
        return quote! {};
    }
    let lines = s.lines().map(|l| format!(" {l}"));
    quote! { #(#[doc = #lines])* }
}

fn rust_int(ty: &str) -> TokenStream {
    match ty {
        "u8" => quote!(u8),
        "u16" | "be16" => quote!(u16),
        "u32" | "be32" => quote!(u32),
        "u64" | "be64" => quote!(u64),
        "s8" => quote!(i8),
        "s16" => quote!(i16),
        "s32" => quote!(i32),
        "s64" => quote!(i64),
        _ => quote!(u8),
    }
}

/// The zerocopy field type of a scalar struct field.
fn field_repr(ty: &str) -> TokenStream {
    match ty {
        "u8" => quote!(u8),
        "s8" => quote!(i8),
        "u16" => quote!(::zerocopy::byteorder::native_endian::U16),
        "u32" => quote!(::zerocopy::byteorder::native_endian::U32),
        "u64" => quote!(::zerocopy::byteorder::native_endian::U64),
        "s16" => quote!(::zerocopy::byteorder::native_endian::I16),
        "s32" => quote!(::zerocopy::byteorder::native_endian::I32),
        "s64" => quote!(::zerocopy::byteorder::native_endian::I64),
        "be16" => quote!(::zerocopy::byteorder::network_endian::U16),
        "be32" => quote!(::zerocopy::byteorder::network_endian::U32),
        "be64" => quote!(::zerocopy::byteorder::network_endian::U64),
        _ => quote!(u8),
    }
}

fn scalar_variant(ty: &str) -> TokenStream {
    match ty {
        "u8" => quote!(U8),
        "u16" => quote!(U16),
        "u32" => quote!(U32),
        "u64" => quote!(U64),
        "s8" => quote!(S8),
        "s16" => quote!(S16),
        "s32" => quote!(S32),
        "s64" => quote!(S64),
        "be16" => quote!(Be16),
        "be32" => quote!(Be32),
        "be64" => quote!(Be64),
        _ => quote!(U8),
    }
}

fn is_single_byte(ty: &str) -> bool {
    matches!(ty, "u8" | "s8")
}

struct Ctx<'s> {
    names: Names<'s>,
    /// Max attribute id per set.
    sub_variants: BTreeMap<&'s str, Vec<String>>,
}

/// Generates `(file name, contents)` for every module and `mod.rs`.
pub fn generate(schema: &Schema) -> Vec<(String, String)> {
    let names = schema.names();
    let mut sub_variants = BTreeMap::new();
    for (_, _, f) in &schema.files {
        for sm in &f.sub_messages {
            sub_variants.insert(sm.name.as_str(), variant_names(schema, &names, sm));
        }
    }
    let cx = Ctx {
        names,
        sub_variants,
    };
    let mut out = Vec::new();
    let mut mods = Vec::new();
    let mut messages = Vec::new();
    let mut sets = Vec::new();
    let mut plugins = Vec::new();
    for (stem, path, f) in &schema.files {
        let tokens = file_tokens(&cx, f);
        let body = format_tokens(tokens);
        let header = format!(
            "// @generated by `cargo xtask regen` from {path} — do not edit.\n//! {}\n\n#![allow(clippy::all, clippy::pedantic, unused_imports, unused_variables, non_camel_case_types, non_upper_case_globals)]\n\n",
            if f.doc.is_empty() {
                format!("Generated from {path}.")
            } else {
                f.doc.lines().collect::<Vec<_>>().join("\n//! ")
            }
        );
        out.push((format!("{stem}.rs"), header + &body));
        mods.push(Ident::new(stem, Span::call_site()));
        if let Some(m) = &f.message {
            messages.push(static_ident(&m.name, "MSG"));
        }
        sets.extend(f.sets.iter().map(|s| static_ident(&s.name, "SPEC")));
        plugins.extend(f.tc_plugins.iter());
    }
    let plugin_items = plugins.iter().map(|p| {
        let kind = &p.kind;
        let objects = &p.object;
        let options = opt_str(p.options.as_deref());
        let parent = opt_str(p.default_parent.as_deref());
        let (rates, sizes, times, handles) = (&p.rates, &p.sizes, &p.times, &p.handles);
        quote! { TcPluginSpec { kind: #kind, objects: &[#(#objects),*], options: #options, default_parent: #parent,
            rates: &[#(#rates),*], sizes: &[#(#sizes),*], times: &[#(#times),*], handles: &[#(#handles),*] } }
    });
    let mut types: Vec<(u16, String)> = schema
        .files
        .iter()
        .filter_map(|(_, _, f)| f.message.as_ref())
        .flat_map(|m| m.types.iter().map(|t| (t.value, t.name.clone())))
        .collect();
    types.sort();
    let type_items = types.iter().map(|(v, n)| quote! { (#v, #n) });
    let mod_tokens = quote! {
        #(#[rustfmt::skip] pub mod #mods;)*
        #(pub use self::#mods::*;)*
        use crate::spec::*;

        /// Every message family of the schema.
        pub static MESSAGES: &[&MessageSpec] = &[#(&#messages),*];
        /// Every attribute set of the schema, reachable from a message or not (request-only sets
        /// such as MDBA_SET_ENTRY, RTM_GETSTATS's IFLA_STATS_GETSET).
        pub static SETS: &[&SetSpec] = &[#(&#sets),*];
        /// Every message type of the schema, by value.
        pub static MSG_TYPES: &[(u16, &str)] = &[#(#type_items),*];
        /// Every tc plugin of the schema.
        pub static TC_PLUGINS: &[TcPluginSpec] = &[#(#plugin_items),*];
    };
    let header = "// @generated by `cargo xtask regen` from schema/*.toml — do not edit.\n//! Types generated from `schema/`: one module per schema file. See schema/README.md.\n\n".to_string();
    out.push(("mod.rs".into(), header + &format_tokens(mod_tokens)));
    out
}

fn opt_str(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}

fn format_tokens(t: TokenStream) -> String {
    match syn::parse2::<syn::File>(t.clone()) {
        Ok(f) => prettyplease::unparse(&f),
        Err(e) => panic!("generator produced invalid Rust: {e}\n{t}"),
    }
}

/// Variant names of a sub-message's formats: string values camel-cased; integer values named by
/// `name`, or by the enum of the selector that uses the sub-message.
fn variant_names(schema: &Schema, names: &Names<'_>, sm: &SubMessage) -> Vec<String> {
    let mut sel_enum: Option<&Enum> = None;
    for (_, _, f) in &schema.files {
        for s in &f.sets {
            for a in &s.attributes {
                if a.sub_message.as_deref() == Some(sm.name.as_str()) {
                    match a.selector.as_deref() {
                        Some("header:family") => {
                            sel_enum = names.enums.get("address_family").copied()
                        }
                        Some(sel) if !sel.contains(':') => {
                            if let Some(e) = s
                                .attributes
                                .iter()
                                .find(|x| x.name == sel)
                                .and_then(|x| x.enumeration.as_deref())
                            {
                                sel_enum = names.enums.get(e).copied();
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    sm.formats
        .iter()
        .map(|f| {
            if let Some(n) = &f.name {
                return camel(n);
            }
            match &f.value {
                toml::Value::String(s) => camel(s),
                toml::Value::Integer(i) => sel_enum
                    .and_then(|e| e.values.iter().find(|v| v.value == *i))
                    .map(|v| camel(&v.name))
                    .unwrap_or_else(|| format!("V{i}")),
                _ => "Invalid".into(),
            }
        })
        .map(|n| {
            if n == "Unknown" {
                "UnknownKind".into()
            } else {
                n
            }
        })
        .collect()
}

fn file_tokens(cx: &Ctx<'_>, f: &File) -> TokenStream {
    let mut items = vec![quote! {
        use super::*;
        use crate::spec::*;
        use crate::types::*;
        use crate::error::{ArgError, DecodeError};
        use crate::nla;
        use crate::enums::{enum_plumbing, flags_plumbing};
        use crate::view::{AttrSet, Message, MsgFamily, OwnedMessage, SetBuilder, SetView};
        use ::zerocopy::{FromBytes, FromZeros, Immutable, IntoBytes, KnownLayout, Unaligned};
    }];
    for e in &f.enums {
        items.push(enum_tokens(e));
    }
    for s in &f.structs {
        items.push(struct_tokens(cx, s));
    }
    for s in &f.sets {
        items.push(set_tokens(cx, s));
    }
    for sm in &f.sub_messages {
        items.push(sub_tokens(cx, sm));
    }
    if let Some(m) = &f.message {
        items.push(message_tokens(cx, m));
    }
    quote! { #(#items)* }
}

// ---------------------------------------------------------------------------------------------

fn enum_tokens(e: &Enum) -> TokenStream {
    let ty = type_ident(&e.name);
    let int = rust_int(&e.ty);
    let spec_name = static_ident(&e.name, "ENUM");
    let d = doc(&e.doc);
    let flags = e.kind.as_deref() == Some("flags");
    let spec_vals = e.values.iter().map(|v| {
        let val = v.value as u64;
        let name = &v.name;
        let cname = v
            .cname
            .clone()
            .unwrap_or_else(|| format!("{}{}", e.prefix, v.name.to_uppercase()));
        quote! { (#val, #name, #cname) }
    });
    let ename = &e.name;
    let spec = quote! {
        #[doc = concat!("Names and values of `", #ename, "`.")]
        pub static #spec_name: EnumSpec = EnumSpec { name: #ename, flags: #flags, values: &[#(#spec_vals),*] };
    };
    if flags {
        let consts = e.values.iter().map(|v| {
            let c = upper_ident(&v.name);
            let lit = int_lit(&e.ty, v.value as u64);
            let cname = v
                .cname
                .clone()
                .unwrap_or_else(|| format!("{}{}", e.prefix, v.name.to_uppercase()));
            let dd = doc(&if v.doc.is_empty() {
                format!("`{cname}`")
            } else {
                format!("`{cname}`: {}", v.doc)
            });
            quote! { #dd pub const #c: Self = Self(#lit); }
        });
        return quote! {
            #d
            #[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
            pub struct #ty(pub #int);
            impl #ty {
                #(#consts)*
            }
            flags_plumbing!(#ty, #int, #spec_name);
            #spec
        };
    }
    // A value named "unknown" (IF_OPER_UNKNOWN) becomes `UnknownValue`: `Unknown(n)` is the fallback.
    let variants: Vec<Ident> = e
        .values
        .iter()
        .map(|v| match camel(&v.name).as_str() {
            "Unknown" => Ident::new("UnknownValue", Span::call_site()),
            _ => type_ident(&v.name),
        })
        .collect();
    let vdocs = e.values.iter().map(|v| {
        let cname = v
            .cname
            .clone()
            .unwrap_or_else(|| format!("{}{}", e.prefix, v.name.to_uppercase()));
        doc(&if v.doc.is_empty() {
            format!("`{cname}` ({})", v.value)
        } else {
            format!("`{cname}` ({}): {}", v.value, v.doc)
        })
    });
    let lits: Vec<Literal> = e
        .values
        .iter()
        .map(|v| int_lit(&e.ty, v.value as u64))
        .collect();
    let vnames = e.values.iter().map(|v| &v.name);
    quote! {
        #d
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum #ty {
            #(#vdocs #variants,)*
            /// A value this schema does not name (kept, never rejected).
            Unknown(#int),
        }
        impl From<#int> for #ty {
            fn from(v: #int) -> Self { match v { #(#lits => Self::#variants,)* v => Self::Unknown(v) } }
        }
        impl From<#ty> for #int {
            fn from(v: #ty) -> Self { match v { #(#ty::#variants => #lits,)* #ty::Unknown(v) => v } }
        }
        impl #ty {
            /// The name iproute2 prints (`None` for unknown values).
            pub fn name(self) -> Option<&'static str> {
                match self { #(Self::#variants => Some(#vnames),)* Self::Unknown(_) => None }
            }
        }
        enum_plumbing!(#ty, #int, #spec_name);
        #spec
    }
}

fn int_lit(ty: &str, v: u64) -> Literal {
    match ty {
        "u8" => Literal::u8_suffixed(v as u8),
        "u16" | "be16" => Literal::u16_suffixed(v as u16),
        "u32" | "be32" => Literal::u32_suffixed(v as u32),
        "u64" | "be64" => Literal::u64_suffixed(v),
        "s8" => Literal::i8_suffixed(v as i8),
        "s16" => Literal::i16_suffixed(v as i16),
        "s32" => Literal::i32_suffixed(v as i32),
        _ => Literal::i64_suffixed(v as i64),
    }
}

// ---------------------------------------------------------------------------------------------

fn struct_tokens(cx: &Ctx<'_>, s: &Struct) -> TokenStream {
    let ty = type_ident(&s.name);
    let size = s.size;
    let spec_name = static_ident(&s.name, "STRUCT");
    let d = doc(&if s.doc.is_empty() {
        format!("`struct {}` ({} bytes).", s.name, s.size)
    } else {
        s.doc.clone()
    });
    let mut fields = Vec::new();
    let mut accessors = Vec::new();
    let mut specs = Vec::new();
    let mut offset = 0usize;
    let mut memo = BTreeMap::new();
    for (i, f) in s.fields.iter().enumerate() {
        if let Some(p) = f.pad {
            let id = format_ident!("_pad{}", i);
            fields.push(quote! { #id: [u8; #p] });
            let pname = format!("_pad{i}");
            specs.push(quote! { FieldSpec { name: #pname, offset: #offset, ty: FieldType::Pad, count: #p, enumeration: None } });
            offset += p;
            continue;
        }
        let (Some(name), Some(t)) = (&f.name, &f.ty) else {
            continue;
        };
        let fid = snake_ident(name);
        let fdoc = doc(&f.doc);
        let count = f.count.unwrap_or(1);
        let (repr, width, fty) = match scalar_size(t) {
            Some(w) => {
                let sv = scalar_variant(t);
                (field_repr(t), w, quote!(FieldType::Scalar(Scalar::#sv)))
            }
            None => {
                let st = cx.names.structs[t.as_str()];
                let w = crate::schema::struct_size(st, &cx.names, &mut memo, 0).unwrap_or(0);
                let sid = type_ident(t);
                let sspec = static_ident(t, "STRUCT");
                (quote!(#sid), w, quote!(FieldType::Struct(&#sspec)))
            }
        };
        let full = if count == 1 {
            repr.clone()
        } else {
            quote!([#repr; #count])
        };
        fields.push(quote! { #fdoc pub #fid: #full });
        let en = f.enumeration.as_ref().or(f.flags.as_ref());
        let en_tok = match en {
            Some(e) => {
                let e = static_ident(e, "ENUM");
                quote!(Some(&#e))
            }
            None => quote!(None),
        };
        specs.push(quote! { FieldSpec { name: #name, offset: #offset, ty: #fty, count: #count, enumeration: #en_tok } });
        offset += width * count;
        if count == 1 && scalar_size(t).is_some() {
            let int = rust_int(t);
            let getter = method_ident(name);
            let setter = format_ident!("set_{}", fid.to_string().trim_end_matches('_'));
            let (get, set, vt) = if is_single_byte(t) {
                (quote!(self.#fid), quote!(self.#fid = v), int.clone())
            } else {
                (
                    quote!(self.#fid.get()),
                    quote!(self.#fid.set(v)),
                    int.clone(),
                )
            };
            match en {
                Some(e) => {
                    let et = type_ident(e);
                    accessors.push(quote! {
                        #[doc = concat!("`", #name, "` as [`", stringify!(#et), "`].")]
                        pub fn #getter(&self) -> #et { #et::from(#get) }
                        #[doc = concat!("Sets `", #name, "`.")]
                        pub fn #setter(&mut self, v: impl Into<#et>) -> &mut Self { let v: #vt = v.into().into(); #set; self }
                    });
                }
                None => accessors.push(quote! {
                    #[doc = concat!("`", #name, "`.")]
                    pub fn #getter(&self) -> #vt { #get }
                    #[doc = concat!("Sets `", #name, "`.")]
                    pub fn #setter(&mut self, v: #vt) -> &mut Self { #set; self }
                }),
            }
        }
    }
    let sname = &s.name;
    quote! {
        #d
        #[derive(Clone, Copy, Debug, PartialEq, Eq, FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
        #[repr(C)]
        pub struct #ty { #(#fields,)* }
        const _: () = assert!(core::mem::size_of::<#ty>() == #size);
        impl #ty {
            /// Size in bytes (the C `sizeof`).
            pub const SIZE: usize = #size;
            /// The field table.
            pub const SPEC: &'static StructSpec = &#spec_name;
            /// All zeros.
            pub fn zeroed() -> Self { <Self as FromZeros>::new_zeroed() }
            #(#accessors)*
        }
        impl Default for #ty { fn default() -> Self { Self::zeroed() } }
        impl serde::Serialize for #ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                serde::Serialize::serialize(&struct_view(&#spec_name, self.as_bytes(), Style::Map), s)
            }
        }
        #[doc = concat!("Field table of `struct ", #sname, "`.")]
        pub static #spec_name: StructSpec = StructSpec { name: #sname, size: #size, fields: &[#(#specs),*] };
    }
}

// ---------------------------------------------------------------------------------------------

/// The Rust type a getter returns for one occurrence, and the expression decoding `p` (with
/// `buf: &'a [u8]` the set's bytes and `ctx: Ctx<'a>` in scope).
fn value_type_expr(cx: &Ctx<'_>, set: &Set, a: &Attr, what: &str) -> (TokenStream, TokenStream) {
    let t = a.ty.as_str();
    if let Some(_w) = scalar_size(t) {
        let reader = Ident::new(t, Span::call_site());
        let int = rust_int(t);
        return match a.enumeration.as_ref().or(a.flags.as_ref()) {
            Some(e) => {
                let et = type_ident(e);
                (quote!(#et), quote!(read::#reader(p, #what).map(#et::from)))
            }
            None => (int, quote!(read::#reader(p, #what))),
        };
    }
    match t {
        "flag" => (quote!(bool), quote!(read::flag(p, #what))),
        "string" => (quote!(&'a str), quote!(read::string(p, #what))),
        "bytes" => (quote!(&'a [u8]), quote!(Ok::<_, DecodeError>(p))),
        "ip4" => (quote!(std::net::Ipv4Addr), quote!(read::ip4(p, #what))),
        "ip6" => (quote!(std::net::Ipv6Addr), quote!(read::ip6(p, #what))),
        "ipaddr" => (quote!(std::net::IpAddr), quote!(read::ipaddr(p, #what))),
        "lladdr" => (quote!(LlAddr<'a>), quote!(Ok::<_, DecodeError>(LlAddr(p)))),
        "mpls" => (quote!(MplsLabels<'a>), quote!(read::mpls(p, #what))),
        "bitfield32" => (quote!(Bitfield32), quote!(read::bitfield32(p, #what))),
        "struct" => {
            let st = type_ident(a.structure.as_deref().unwrap_or_default());
            match (&a.trailing, &a.count_field) {
                (Some(tr), Some(cf)) => {
                    let tt = type_ident(tr);
                    let head = cx.names.structs[a.structure.as_deref().unwrap_or_default()];
                    let cfield = head.fields.iter().find(|f| f.name.as_deref() == Some(cf));
                    let cid = snake_ident(cf);
                    let count = match cfield.and_then(|f| f.ty.as_deref()) {
                        Some(ty) if is_single_byte(ty) => quote!(h.#cid as usize),
                        _ => quote!(h.#cid.get() as usize),
                    };
                    (
                        quote!((&'a #st, &'a [#tt])),
                        quote!(read::struct_prefix::<#st>(p, #what).and_then(|(h, _)| read::struct_trailing::<#st, #tt>(p, #count, #what))),
                    )
                }
                (Some(tr), None) => {
                    let tt = type_ident(tr);
                    (
                        quote!((&'a #st, &'a [#tt])),
                        quote!(read::struct_rest::<#st, #tt>(p, #what)),
                    )
                }
                _ => (quote!(&'a #st), quote!(read::structure::<#st>(p, #what))),
            }
        }
        "nest" => {
            let vt = format_ident!("{}Attrs", camel(a.nest.as_deref().unwrap_or_default()));
            match &a.structure {
                Some(s) => {
                    let st = type_ident(s);
                    let size = cx.names.structs[s.as_str()].size;
                    (
                        quote!((&'a #st, #vt<'a>)),
                        quote!(read::structure::<#st>(p, #what).map(|h| (h, #vt::new(p.get(nla::align(#size)..).unwrap_or(&[]), ctx)))),
                    )
                }
                None => (
                    quote!(#vt<'a>),
                    quote!(Ok::<_, DecodeError>(#vt::new(p, ctx))),
                ),
            }
        }
        "array" => match (&a.nest, &a.elem) {
            (Some(n), _) => {
                let vt = format_ident!("{}Attrs", camel(n));
                (
                    quote!(Array<'a, #vt<'a>>),
                    quote!(Ok::<_, DecodeError>(Array::new(p, ctx, |p, ctx| Ok(#vt::new(p, ctx))))),
                )
            }
            (None, Some(e)) => {
                let fake = Attr {
                    ty: e.clone(),
                    enumeration: None,
                    flags: None,
                    ..a.clone()
                };
                let (et, ee) = value_type_expr(cx, set, &fake, what);
                (
                    quote!(Array<'a, #et>),
                    quote!(Ok::<_, DecodeError>(Array::new(p, ctx, |p, _ctx| #ee))),
                )
            }
            _ => (quote!(&'a [u8]), quote!(Ok::<_, DecodeError>(p))),
        },
        "multipath" => {
            let st = type_ident(a.structure.as_deref().unwrap_or_default());
            let vt = format_ident!("{}Attrs", camel(a.nest.as_deref().unwrap_or_default()));
            (
                quote!(Multipath<'a, #st, #vt<'a>>),
                quote!(Ok::<_, DecodeError>(Multipath::new(p, ctx, #vt::new))),
            )
        }
        "sub-message" => {
            let sm = type_ident(a.sub_message.as_deref().unwrap_or_default());
            let sel = selector_tokens(set, a);
            (
                quote!(#sm<'a>),
                quote!(#sm::decode(ctx.selector_payload(#sel, buf), p, ctx)),
            )
        }
        _ => (quote!(&'a [u8]), quote!(Ok::<_, DecodeError>(p))),
    }
}

fn selector_tokens(set: &Set, a: &Attr) -> TokenStream {
    match a.selector.as_deref() {
        Some("header:family") => quote!(Selector::Family),
        Some(s) if s.starts_with("outer:") => quote!(Selector::Outer),
        Some(s) => {
            let id = set
                .attributes
                .iter()
                .find(|x| x.name == s)
                .map(|x| x.id)
                .unwrap_or(0);
            quote!(Selector::Sibling(#id))
        }
        None => quote!(Selector::Family),
    }
}

fn kind_tokens(set: &Set, a: &Attr) -> TokenStream {
    let t = a.ty.as_str();
    if scalar_size(t).is_some() {
        let sv = scalar_variant(t);
        let en = match a.enumeration.as_ref().or(a.flags.as_ref()) {
            Some(e) => {
                let e = static_ident(e, "ENUM");
                quote!(Some(&#e))
            }
            None => quote!(None),
        };
        return quote!(Kind::Scalar(Scalar::#sv, #en));
    }
    let sspec = |n: &Option<String>| static_ident(n.as_deref().unwrap_or_default(), "STRUCT");
    let setspec = |n: &Option<String>| static_ident(n.as_deref().unwrap_or_default(), "SPEC");
    match t {
        "flag" => quote!(Kind::Flag),
        "string" => quote!(Kind::String),
        "bytes" => quote!(Kind::Bytes),
        "ip4" => quote!(Kind::Ip4),
        "ip6" => quote!(Kind::Ip6),
        "ipaddr" => quote!(Kind::IpAddr),
        "lladdr" => quote!(Kind::LlAddr),
        "mpls" => quote!(Kind::Mpls),
        "bitfield32" => quote!(Kind::Bitfield32),
        "struct" => {
            let s = sspec(&a.structure);
            match (&a.trailing, &a.count_field) {
                (Some(_), Some(cf)) => {
                    let tr = sspec(&a.trailing);
                    quote!(Kind::StructTrailing(&#s, &#tr, Some(#cf)))
                }
                (Some(_), None) => {
                    let tr = sspec(&a.trailing);
                    quote!(Kind::StructTrailing(&#s, &#tr, None))
                }
                _ => quote!(Kind::Struct(&#s)),
            }
        }
        "nest" => {
            let n = setspec(&a.nest);
            match &a.structure {
                Some(_) => {
                    let s = sspec(&a.structure);
                    quote!(Kind::HeaderNest(&#s, &#n))
                }
                None => quote!(Kind::Nest(&#n)),
            }
        }
        "array" => match (&a.nest, &a.elem) {
            (Some(_), _) => {
                let n = setspec(&a.nest);
                quote!(Kind::ArrayNest(&#n))
            }
            (None, Some(e)) => {
                let fake = Attr {
                    ty: e.clone(),
                    enumeration: None,
                    flags: None,
                    ..a.clone()
                };
                let inner = kind_tokens(set, &fake);
                quote!(Kind::ArrayElem(&#inner))
            }
            _ => quote!(Kind::Bytes),
        },
        "multipath" => {
            let s = sspec(&a.structure);
            let n = setspec(&a.nest);
            quote!(Kind::Multipath(&#s, &#n))
        }
        "sub-message" => {
            let sm = static_ident(a.sub_message.as_deref().unwrap_or_default(), "SUB");
            let sel = selector_tokens(set, a);
            quote!(Kind::SubMessage(&#sm, #sel))
        }
        _ => quote!(Kind::Bytes),
    }
}

fn cname(set: &Set, a: &Attr) -> String {
    a.cname
        .clone()
        .unwrap_or_else(|| format!("{}{}", set.prefix, a.name.to_uppercase()))
}

fn set_tokens(cx: &Ctx<'_>, set: &Set) -> TokenStream {
    let base = camel(&set.name);
    let view = format_ident!("{}Attrs", base);
    let attr_enum = format_ident!("{}Attr", base);
    let builder = format_ident!("{}Builder", base);
    let marker = format_ident!("{}Set", base);
    let spec_name = static_ident(&set.name, "SPEC");
    let n = set
        .attributes
        .iter()
        .map(|a| a.id as usize + 1)
        .max()
        .unwrap_or(1);
    let sname = &set.name;
    let prefix = &set.prefix;
    let d = doc(&if set.doc.is_empty() {
        format!("Attributes `{}*` (set `{}`).", set.prefix, set.name)
    } else {
        set.doc.clone()
    });

    let mut sorted: Vec<&Attr> = set.attributes.iter().collect();
    sorted.sort_by_key(|a| a.id);
    let spec_items = sorted.iter().map(|a| {
        let id = a.id;
        let name = &a.name;
        let c = cname(set, a);
        let kind = kind_tokens(set, a);
        let multi = a.multi;
        quote! { AttrSpec { id: #id, name: #name, cname: #c, kind: #kind, multi: #multi } }
    });

    let mut getters = Vec::new();
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    let mut setters = Vec::new();
    let mut extra = Vec::new();
    for a in &set.attributes {
        let c = cname(set, a);
        let id = a.id;
        let m = method_ident(&a.name);
        let (vt, expr) = value_type_expr(cx, set, a, &c);
        let mut vname = camel(&a.name);
        if vname == "Unknown" {
            vname = "UnknownAttr".into();
        }
        let v = Ident::new(&vname, Span::call_site());
        let adoc = if a.doc.is_empty() {
            format!("`{c}` ({})", a.ty)
        } else {
            format!("`{c}`: {}", a.doc)
        };
        let adoc = match &a.since {
            Some(s) => format!("{adoc} (kernel {s})"),
            None => adoc,
        };
        let dd = doc(&adoc);
        variants.push(quote! { #dd #v(#vt) });
        arms.push(quote! { #id => (#expr).map(#attr_enum::#v) });
        if a.multi {
            getters.push(quote! {
                #dd
                #[doc = ""]
                #[doc = "Repeated attribute: every occurrence, in order."]
                pub fn #m(&self) -> impl Iterator<Item = Result<#vt, DecodeError>> + use<'a> {
                    let (buf, ctx) = (self.buf, self.ctx);
                    nla::Attrs::new(buf).filter_map(move |r| match r {
                        Ok(r) if r.id == #id => { let p = r.payload; Some(#expr) }
                        Ok(_) => None,
                        Err(e) => Some(Err(e)),
                    })
                }
            });
        } else if a.ty == "flag" {
            getters.push(quote! {
                #dd
                pub fn #m(&self) -> Result<bool, DecodeError> { Ok(self.payload(#id)?.is_some()) }
            });
        } else {
            getters.push(quote! {
                #dd
                pub fn #m(&self) -> Result<Option<#vt>, DecodeError> {
                    let (buf, ctx) = (self.buf, self.ctx);
                    let _ = (buf, ctx);
                    match self.payload(#id)? { Some(p) => (#expr).map(Some), None => Ok(None) }
                }
            });
        }
        // Builders.
        let t = a.ty.as_str();
        let set_doc = doc(&format!("Appends `{c}`."));
        if let Some(_w) = scalar_size(t) {
            let int = rust_int(t);
            let bytes = if t.starts_with("be") {
                quote!(v.to_be_bytes())
            } else {
                quote!(v.to_ne_bytes())
            };
            match a.enumeration.as_ref().or(a.flags.as_ref()) {
                Some(e) => {
                    let et = type_ident(e);
                    setters.push(quote! { #set_doc pub fn #m(&mut self, v: impl Into<#et>) -> &mut Self { let v: #int = v.into().into(); nla::put(self.buf, #id, &#bytes); self } });
                }
                None => setters.push(quote! { #set_doc pub fn #m(&mut self, v: #int) -> &mut Self { nla::put(self.buf, #id, &#bytes); self } }),
            }
            continue;
        }
        match t {
            "flag" => setters.push(quote! { #set_doc pub fn #m(&mut self) -> &mut Self { nla::put(self.buf, #id, &[]); self } }),
            "string" => setters.push(quote! { #set_doc pub fn #m(&mut self, v: &str) -> &mut Self { nla::put_str(self.buf, #id, v); self } }),
            "bytes" | "lladdr" => setters.push(quote! { #set_doc pub fn #m(&mut self, v: &[u8]) -> &mut Self { nla::put(self.buf, #id, v); self } }),
            "ip4" => setters.push(quote! { #set_doc pub fn #m(&mut self, v: std::net::Ipv4Addr) -> &mut Self { nla::put(self.buf, #id, &v.octets()); self } }),
            "ip6" => setters.push(quote! { #set_doc pub fn #m(&mut self, v: std::net::Ipv6Addr) -> &mut Self { nla::put(self.buf, #id, &v.octets()); self } }),
            "ipaddr" => setters.push(quote! { #set_doc pub fn #m(&mut self, v: std::net::IpAddr) -> &mut Self {
                match v { std::net::IpAddr::V4(a) => nla::put(self.buf, #id, &a.octets()), std::net::IpAddr::V6(a) => nla::put(self.buf, #id, &a.octets()) }
                self } }),
            "mpls" => setters.push(quote! { #set_doc pub fn #m(&mut self, labels: &[u32]) -> &mut Self { nla::put(self.buf, #id, &encode_mpls(labels)); self } }),
            "bitfield32" => setters.push(quote! { #set_doc pub fn #m(&mut self, v: Bitfield32) -> &mut Self { nla::put(self.buf, #id, &v.to_bytes()); self } }),
            "struct" => {
                let st = type_ident(a.structure.as_deref().unwrap_or_default());
                match &a.trailing {
                    Some(tr) => {
                        let tt = type_ident(tr);
                        setters.push(quote! { #set_doc pub fn #m(&mut self, head: &#st, entries: &[#tt]) -> &mut Self {
                            let s = nla::begin_nest_raw(self.buf, #id); self.buf.extend_from_slice(head.as_bytes());
                            self.buf.extend_from_slice(entries.as_bytes()); nla::end_nest(self.buf, s); self } });
                    }
                    None => setters.push(quote! { #set_doc pub fn #m(&mut self, v: &#st) -> &mut Self { nla::put(self.buf, #id, v.as_bytes()); self } }),
                }
            }
            "nest" => {
                let nb = format_ident!("{}Builder", camel(a.nest.as_deref().unwrap_or_default()));
                match &a.structure {
                    Some(s) => {
                        let st = type_ident(s);
                        setters.push(quote! { #set_doc pub fn #m(&mut self, head: &#st, f: impl FnOnce(&mut #nb<'_>)) -> &mut Self {
                            let s = nla::begin_nest(self.buf, #id); self.buf.extend_from_slice(head.as_bytes()); nla::pad(self.buf);
                            f(&mut #nb::new(self.buf, self.ctx.family)); nla::end_nest(self.buf, s); self } });
                    }
                    None => setters.push(quote! { #set_doc pub fn #m(&mut self, f: impl FnOnce(&mut #nb<'_>)) -> &mut Self {
                        let s = nla::begin_nest(self.buf, #id); f(&mut #nb::new(self.buf, self.ctx.family)); nla::end_nest(self.buf, s); self } }),
                }
            }
            "array" => {
                if let Some(nest) = &a.nest {
                    let nb = format_ident!("{}Builder", camel(nest));
                    let dd2 = doc(&format!("Appends `{c}`: one nested element per call of `f`'s `add` (ids 1..n)."));
                    let hops = format_ident!("{}{}Items", base, camel(&a.name));
                    setters.push(quote! { #dd2 pub fn #m(&mut self, f: impl FnOnce(&mut #hops<'_>)) -> &mut Self {
                        let s = nla::begin_nest(self.buf, #id); let family = self.ctx.family;
                        f(&mut #hops { buf: self.buf, next: 1, family }); nla::end_nest(self.buf, s); self } });
                    extra.push(quote! {
                        #[doc = concat!("Writes the elements of `", #c, "`.")]
                        pub struct #hops<'b> { buf: &'b mut Vec<u8>, next: u16, family: u8 }
                        impl #hops<'_> {
                            /// Appends the next element.
                            pub fn add(&mut self, f: impl FnOnce(&mut #nb<'_>)) -> &mut Self {
                                let s = nla::begin_nest(self.buf, self.next); self.next += 1;
                                f(&mut #nb::new(self.buf, self.family)); nla::end_nest(self.buf, s); self
                            }
                        }
                    });
                }
            }
            "multipath" => {
                let st = type_ident(a.structure.as_deref().unwrap_or_default());
                let nb = format_ident!("{}Builder", camel(a.nest.as_deref().unwrap_or_default()));
                let hops = format_ident!("{}{}Hops", base, camel(&a.name));
                setters.push(quote! { #set_doc pub fn #m(&mut self, f: impl FnOnce(&mut #hops<'_>)) -> &mut Self {
                    let s = nla::begin_nest_raw(self.buf, #id); let family = self.ctx.family;
                    f(&mut #hops { buf: self.buf, family }); nla::end_nest(self.buf, s); self } });
                extra.push(quote! {
                    #[doc = concat!("Writes the entries of `", #c, "`: a struct, then its attributes.")]
                    pub struct #hops<'b> { buf: &'b mut Vec<u8>, family: u8 }
                    impl #hops<'_> {
                        /// Appends one entry; its length field is patched when `f` returns.
                        pub fn hop(&mut self, head: &#st, f: impl FnOnce(&mut #nb<'_>)) -> &mut Self {
                            let s = self.buf.len(); self.buf.extend_from_slice(head.as_bytes());
                            f(&mut #nb::new(self.buf, self.family));
                            let len = ((self.buf.len() - s) as u16).to_ne_bytes();
                            self.buf[s..s + 2].copy_from_slice(&len); nla::pad(self.buf); self
                        }
                    }
                });
            }
            "sub-message" => {
                let smn = a.sub_message.as_deref().unwrap_or_default();
                let sm = cx.names.subs[smn];
                let vnames = &cx.sub_variants[smn];
                for (fm, vn) in sm.formats.iter().zip(vnames) {
                    let fm_m = format_ident!("{}_{}", m.to_string().trim_end_matches('_'), snake_ident(&snake_of_camel(vn)).to_string().trim_start_matches('_'));
                    let fd = doc(&format!("Appends `{c}` in the `{}` format.", fmt_value(&fm.value)));
                    match (&fm.structure, &fm.nest) {
                        (None, Some(n)) => {
                            let nb = format_ident!("{}Builder", camel(n));
                            setters.push(quote! { #fd pub fn #fm_m(&mut self, f: impl FnOnce(&mut #nb<'_>)) -> &mut Self {
                                let s = nla::begin_nest(self.buf, #id); f(&mut #nb::new(self.buf, self.ctx.family)); nla::end_nest(self.buf, s); self } });
                        }
                        (Some(st), None) => {
                            let st = type_ident(st);
                            setters.push(quote! { #fd pub fn #fm_m(&mut self, v: &#st) -> &mut Self { nla::put(self.buf, #id, v.as_bytes()); self } });
                        }
                        (Some(st), Some(n)) => {
                            let st = type_ident(st);
                            let nb = format_ident!("{}Builder", camel(n));
                            setters.push(quote! { #fd pub fn #fm_m(&mut self, head: &#st, f: impl FnOnce(&mut #nb<'_>)) -> &mut Self {
                                let s = nla::begin_nest_raw(self.buf, #id); self.buf.extend_from_slice(head.as_bytes()); nla::pad(self.buf);
                                f(&mut #nb::new(self.buf, self.ctx.family)); nla::end_nest(self.buf, s); self } });
                        }
                        (None, None) => {}
                    }
                }
                let raw_m = format_ident!("{}_raw", m.to_string().trim_end_matches('_'));
                setters.push(quote! { #set_doc pub fn #raw_m(&mut self, payload: &[u8]) -> &mut Self { nla::put(self.buf, #id, payload); self } });
            }
            _ => {}
        }
    }

    quote! {
        #[doc = concat!("Attribute table of set `", #sname, "`.")]
        pub static #spec_name: SetSpec = SetSpec { name: #sname, prefix: #prefix, attrs: &[#(#spec_items),*] };

        #d
        pub struct #marker;

        impl AttrSet for #marker {
            const SPEC: &'static SetSpec = &#spec_name;
            type Index = nla::Index<#n>;
            type Attr<'a> = #attr_enum<'a>;
            fn index(buf: &[u8]) -> Result<Self::Index, DecodeError> { nla::Index::build(buf) }
            fn lookup<'a>(ix: &Self::Index, buf: &'a [u8], id: u16) -> Option<&'a [u8]> { ix.get(buf, id) }
            fn decode<'a>(id: u16, p: &'a [u8], buf: &'a [u8], ctx: Ctx<'a>) -> Result<#attr_enum<'a>, DecodeError> {
                match id {
                    #(#arms,)*
                    id => Ok(#attr_enum::Unknown { id, bytes: p }),
                }
            }
        }

        #d
        ///
        /// A zero-copy view ([`SetView`]): the typed getters are below.
        pub type #view<'a> = SetView<'a, #marker>;

        #d
        ///
        /// One typed attribute; ids this schema does not know come out as `Unknown`.
        #[derive(Debug, Clone)]
        pub enum #attr_enum<'a> {
            #(#variants,)*
            /// An attribute id this schema does not define (kept, not dropped).
            Unknown { id: u16, bytes: &'a [u8] },
        }

        impl<'a> SetView<'a, #marker> {
            #(#getters)*
        }

        #[doc = concat!("Writes attributes of set `", #sname, "` straight into a request buffer ([`SetBuilder`]).")]
        pub type #builder<'b> = SetBuilder<'b, #marker>;

        impl SetBuilder<'_, #marker> {
            #(#setters)*
        }

        #(#extra)*
    }
}

fn fmt_value(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn snake_of_camel(s: &str) -> String {
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

// ---------------------------------------------------------------------------------------------

fn sub_tokens(cx: &Ctx<'_>, sm: &SubMessage) -> TokenStream {
    let ty = type_ident(&sm.name);
    let spec_name = static_ident(&sm.name, "SUB");
    let vnames = &cx.sub_variants[sm.name.as_str()];
    let d = doc(&if sm.doc.is_empty() {
        format!(
            "Sub-message `{}`: the payload format chosen by a selector.",
            sm.name
        )
    } else {
        sm.doc.clone()
    });
    let sname = &sm.name;
    let numeric = sm.formats.first().is_some_and(|f| f.value.is_integer());
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    let mut specs = Vec::new();
    for (f, vn) in sm.formats.iter().zip(vnames) {
        let v = Ident::new(vn, Span::call_site());
        let what = format!("{} {}", sm.name, fmt_value(&f.value));
        let fdoc = doc(&if f.doc.is_empty() {
            format!("`{}`", fmt_value(&f.value))
        } else {
            f.doc.clone()
        });
        let (vt, expr) = match (&f.structure, &f.nest) {
            (None, Some(n)) => {
                let vt = format_ident!("{}Attrs", camel(n));
                (
                    Some(quote!(#vt<'a>)),
                    quote!(Ok(Self::#v(#vt::new(p, ctx)))),
                )
            }
            (Some(s), None) => {
                let st = type_ident(s);
                (
                    Some(quote!(&'a #st)),
                    quote!(read::structure::<#st>(p, #what).map(Self::#v)),
                )
            }
            (Some(s), Some(n)) => {
                let st = type_ident(s);
                let vt = format_ident!("{}Attrs", camel(n));
                let size = cx.names.structs[s.as_str()].size;
                (
                    Some(quote!(&'a #st, #vt<'a>)),
                    quote!(read::structure::<#st>(p, #what).map(|h| Self::#v(h, #vt::new(p.get(nla::align(#size)..).unwrap_or(&[]), ctx)))),
                )
            }
            (None, None) => (None, quote!(Ok(Self::#v))),
        };
        match vt {
            Some(vt) => variants.push(quote! { #fdoc #v(#vt) }),
            None => variants.push(quote! { #fdoc #v }),
        }
        let header = match &f.structure {
            Some(s) => {
                let s = static_ident(s, "STRUCT");
                quote!(Some(&#s))
            }
            None => quote!(None),
        };
        let set = match &f.nest {
            Some(n) => {
                let n = static_ident(n, "SPEC");
                quote!(Some(&#n))
            }
            None => quote!(None),
        };
        match &f.value {
            toml::Value::Integer(i) => {
                let i = *i as u64;
                arms.push(quote! { Some(#i) => #expr });
                specs.push(
                    quote! { FormatSpec { value: SelValue::Int(#i), header: #header, set: #set } },
                );
            }
            other => {
                let s = fmt_value(other);
                let bs = Literal::byte_string(s.as_bytes());
                arms.push(quote! { Some(#bs) => #expr });
                specs.push(
                    quote! { FormatSpec { value: SelValue::Str(#s), header: #header, set: #set } },
                );
            }
        }
    }
    let key = if numeric {
        quote!(sel.and_then(|s| s.as_int()))
    } else {
        quote!(sel.and_then(|s| s.as_str_bytes()))
    };
    quote! {
        #[doc = concat!("Format table of sub-message `", #sname, "`.")]
        pub static #spec_name: SubMessageSpec = SubMessageSpec { name: #sname, formats: &[#(#specs),*] };

        #d
        #[derive(Debug, Clone)]
        pub enum #ty<'a> {
            #(#variants,)*
            /// A selector value this schema has no format for (or no selector): the raw payload.
            Unknown(&'a [u8]),
        }

        impl<'a> #ty<'a> {
            /// The format table.
            pub const SPEC: &'static SubMessageSpec = &#spec_name;
            /// Decodes `p` in the format `sel` picks.
            pub fn decode(sel: Option<SelectorPayload<'a>>, p: &'a [u8], ctx: Ctx<'a>) -> Result<Self, DecodeError> {
                let _ = ctx;
                match #key {
                    #(#arms,)*
                    _ => Ok(Self::Unknown(p)),
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------

fn message_tokens(cx: &Ctx<'_>, m: &Message) -> TokenStream {
    let base = camel(&m.name);
    let msg = format_ident!("{}Msg", base);
    let owned = format_ident!("{}Owned", base);
    let header = type_ident(&m.header);
    let hspec = static_ident(&m.header, "STRUCT");
    let fam = format_ident!("{}Family", base);
    let set_marker = format_ident!("{}Set", camel(&m.attributes));
    let aspec = static_ident(&m.attributes, "SPEC");
    let spec_name = static_ident(&m.name, "MSG");
    let commands_name = static_ident(&m.name, "COMMANDS");
    let hstruct = cx.names.structs[m.header.as_str()];
    let top = cx.names.sets[m.attributes.as_str()];
    let name = &m.name;
    let d = doc(&if m.doc.is_empty() {
        format!(
            "A `{}` message: `struct {}` then `{}` attributes.",
            m.name, m.header, top.prefix
        )
    } else {
        m.doc.clone()
    });

    let consts = m.types.iter().map(|t| {
        let id = Ident::new(&t.name, Span::call_site());
        let v = t.value;
        let dd = doc(&format!("`{}` message type.", t.name));
        quote! { #dd pub const #id: u16 = #v; }
    });
    let type_items = m.types.iter().map(|t| {
        let v = t.value;
        let n = &t.name;
        quote! { (#v, #n) }
    });
    let cmd_items = m.commands.iter().map(|c| {
        let ty = m
            .types
            .iter()
            .find(|t| t.name == c.ty)
            .map(|t| t.value)
            .unwrap_or(0);
        let flags: u16 = c
            .flags
            .iter()
            .filter_map(|f| crate::schema::NLM_FLAGS.iter().find(|(n, _)| n == f))
            .fold(0, |a, (_, v)| a | v);
        let n = &c.name;
        quote! { Command { name: #n, msg_type: #ty, flags: #flags } }
    });
    // The outer selector attribute: the first `outer:X` used anywhere reachable.
    let mut outer = None;
    let reach = crate::schema::reachable(&cx.names, top);
    for sname in &reach {
        for a in &cx.names.sets[sname].attributes {
            if let Some(x) = a.selector.as_deref().and_then(|s| s.strip_prefix("outer:")) {
                outer = top.attributes.iter().find(|t| t.name == x).map(|t| t.id);
            }
        }
    }
    let outer = match outer {
        Some(id) => quote!(Some(#id)),
        None => quote!(None),
    };
    let mut off = 0usize;
    let mut family_offset = quote!(None);
    for f in &hstruct.fields {
        if f.name.as_deref() == Some("family") {
            family_offset = quote!(Some(#off));
            break;
        }
        off += f.pad.unwrap_or_else(|| {
            f.ty.as_deref().and_then(scalar_size).unwrap_or(0) * f.count.unwrap_or(1)
        });
    }
    let has_family = hstruct
        .fields
        .iter()
        .any(|f| f.name.as_deref() == Some("family"));
    let family_of = if has_family {
        if hstruct
            .fields
            .iter()
            .any(|f| f.name.as_deref() == Some("family") && f.enumeration.is_some())
        {
            quote!(u8::from(header.family()))
        } else {
            quote!(header.family())
        }
    } else {
        quote!(0u8)
    };
    let cmd_doc = format!("pyroute2's command words for `{}` messages.", m.name);
    quote! {
        #(#consts)*

        #[doc = #cmd_doc]
        pub static #commands_name: &[Command] = &[#(#cmd_items),*];

        #[doc = concat!("The `", #name, "` message family.")]
        pub static #spec_name: MessageSpec = MessageSpec {
            name: #name, header: &#hspec, attrs: &#aspec, types: &[#(#type_items),*],
            commands: #commands_name, outer: #outer, family_offset: #family_offset,
        };

        #[doc = concat!("Marker of the `", #name, "` message family (see [`MsgFamily`]).")]
        #[derive(Debug, Clone, Copy)]
        pub struct #fam;

        impl MsgFamily for #fam {
            type Header = #header;
            type Set = #set_marker;
            const SPEC: &'static MessageSpec = &#spec_name;
            const NAME: &'static str = stringify!(#msg);
            fn family(header: &#header) -> u8 { #family_of }
        }

        #d
        ///
        /// Derefs to its attribute view, so `msg.ifname()` and `msg.header().index()` both work.
        pub type #msg<'a> = Message<'a, #fam>;

        #[doc = concat!("An owned `", #name, "` message (its payload bytes); `view()` gives the zero-copy [`", stringify!(#msg), "`].")]
        pub type #owned = OwnedMessage<#fam>;
    }
}
