//! Structs: the zerocopy type, its size check, field accessors and field table.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Emitter, doc, lit};
use crate::ir::*;
use crate::names::{method_ident, snake_ident, static_ident, type_ident};

/// The zerocopy field type of a scalar struct field.
fn field_repr(s: Scalar) -> TokenStream {
    let endian = if s.is_be() {
        quote!(network_endian)
    } else {
        quote!(native_endian)
    };
    let t = format_ident!("{}", s.rust().to_uppercase());
    match s {
        Scalar::U8 => quote!(u8),
        Scalar::S8 => quote!(i8),
        _ => quote!(::zerocopy::byteorder::#endian::#t),
    }
}

impl Emitter<'_> {
    pub(super) fn struct_tokens(&self, s: &StructDef) -> TokenStream {
        let ty = type_ident(&s.name);
        let size = lit(s.size as u64);
        let spec_name = static_ident(&s.name, "STRUCT");
        let d = doc(&match s.doc.as_str() {
            "" => format!("`struct {}` ({} bytes).", s.name, s.size),
            d => d.to_string(),
        });
        let mut fields = Vec::new();
        let mut accessors = Vec::new();
        let mut specs = Vec::new();
        for (i, f) in s.fields.iter().enumerate() {
            let offset = lit(f.offset as u64);
            let (name, fdoc, fty, count, names) = match &f.kind {
                FieldKind::Pad(p) => {
                    let (id, p) = (format_ident!("_pad{}", i), lit(*p as u64));
                    fields.push(quote! { #id: [u8; #p] });
                    let pname = format!("_pad{i}");
                    specs.push(quote! { field(#pname, #offset, FieldType::Pad, #p, None) });
                    continue;
                }
                FieldKind::Value {
                    name,
                    doc,
                    ty,
                    count,
                    names,
                } => (name, doc, ty, *count, *names),
            };
            let fid = snake_ident(name);
            let (repr, spec_ty) = match fty {
                FieldType::Scalar(sc) => {
                    let v = format_ident!("{}", sc.variant());
                    (field_repr(*sc), quote!(FieldType::Scalar(Scalar::#v)))
                }
                FieldType::Struct(id, _) => {
                    let (t, spec) = (self.struct_ty(*id), self.struct_spec(*id));
                    (quote!(#t), quote!(FieldType::Struct(&#spec)))
                }
            };
            let n = lit(count as u64);
            let full = if count == 1 {
                repr
            } else {
                quote!([#repr; #n])
            };
            let fdoc = doc(fdoc);
            fields.push(quote! { #fdoc pub #fid: #full });
            let en = match names {
                Some(e) => {
                    let e = self.enum_spec(e);
                    quote!(Some(&#e))
                }
                None => quote!(None),
            };
            specs.push(quote! { field(#name, #offset, #spec_ty, #n, #en) });
            if let (FieldType::Scalar(sc), 1) = (fty, count) {
                accessors.push(self.field_accessors(name, *sc, names));
            }
        }
        let counted = s.count_field.as_ref().map(|cf| {
            let f = snake_ident(&cf.name);
            let get = match cf.ty.size() {
                1 => quote!(self.#f),
                _ => quote!(self.#f.get()),
            };
            quote! { impl Counted for #ty { fn count(&self) -> usize { #get as usize } } }
        });
        let spec_doc = doc(&format!("Field table of `struct {}`.", s.name));
        let sname = &s.name;
        quote! {
            #d
            #[derive(Clone, Copy, Debug, PartialEq, Eq)]
            #[derive(FromBytes, IntoBytes, KnownLayout, Immutable, Unaligned)]
            #[repr(C)]
            pub struct #ty { #(#fields,)* }
            const _: () = size_is::<#ty>(#size);
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
            #[cfg(feature = "serde")]
            impl serde::Serialize for #ty {
                fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    serde::Serialize::serialize(&struct_view(&#spec_name, self.as_bytes(), Style::Map), s)
                }
            }
            #counted
            #spec_doc
            pub static #spec_name: StructSpec = StructSpec { name: #sname, size: #size, fields: &[#(#specs),*] };
        }
    }

    /// `name()` and `set_name(v)` of a scalar field (typed by its enum when it has one).
    fn field_accessors(&self, name: &str, sc: Scalar, names: Option<EnumId>) -> TokenStream {
        let fid = snake_ident(name);
        let getter = method_ident(name);
        let setter = format_ident!("set_{}", fid.to_string().trim_end_matches('_'));
        let int = format_ident!("{}", sc.rust());
        let (get, set) = match sc.size() {
            1 => (quote!(self.#fid), quote!(self.#fid = v)),
            _ => (quote!(self.#fid.get()), quote!(self.#fid.set(v))),
        };
        let set_doc = doc(&format!("Sets `{name}`."));
        match names {
            Some(e) => {
                let et = self.enum_ty(e);
                let get_doc = doc(&format!("`{name}` as [`{et}`]."));
                let set = match sc.size() {
                    1 => quote!(self.#fid = v.into().into()),
                    _ => quote!(self.#fid.set(v.into().into())),
                };
                quote! {
                    #get_doc
                    pub fn #getter(&self) -> #et { #et::from(#get) }
                    #set_doc
                    pub fn #setter(&mut self, v: impl Into<#et>) -> &mut Self { #set; self }
                }
            }
            None => {
                let get_doc = doc(&format!("`{name}`."));
                quote! {
                    #get_doc
                    pub fn #getter(&self) -> #int { #get }
                    #set_doc
                    pub fn #setter(&mut self, v: #int) -> &mut Self { #set; self }
                }
            }
        }
    }
}
