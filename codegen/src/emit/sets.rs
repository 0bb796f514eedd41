//! Attribute sets: the table, the marker implementing `AttrSet` (with the typed decoder), the
//! typed attribute enum, the getters and the setters.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::{Dec, Emitter, doc, lit};
use crate::ir::*;
use crate::names::{camel, ident, method_ident, snake_ident, snake_of_camel, static_ident};

impl Emitter<'_> {
    /// The Rust type of one value of `ty`.
    fn value_type(&self, ty: &AttrType) -> TokenStream {
        match ty {
            AttrType::Scalar(_, Some(e)) => {
                let e = self.enum_ty(*e);
                quote!(#e)
            }
            AttrType::Scalar(s, None) => {
                let i = ident(s.rust());
                quote!(#i)
            }
            AttrType::Flag => quote!(bool),
            AttrType::String => quote!(&'a str),
            AttrType::Bytes => quote!(&'a [u8]),
            AttrType::Ip4 => quote!(Ipv4Addr),
            AttrType::Ip6 => quote!(Ipv6Addr),
            AttrType::IpAddr => quote!(IpAddr),
            AttrType::LlAddr => quote!(LlAddr<'a>),
            AttrType::Mpls => quote!(MplsLabels<'a>),
            AttrType::Bitfield32 => quote!(Bitfield32),
            AttrType::Struct(s) => {
                let s = self.struct_ty(*s);
                quote!(&'a #s)
            }
            AttrType::StructRest(s, t) | AttrType::StructCounted(s, t) => {
                let (s, t) = (self.struct_ty(*s), self.struct_ty(*t));
                quote!((&'a #s, &'a [#t]))
            }
            AttrType::StructArray(s) => {
                let s = self.struct_ty(*s);
                quote!(&'a [#s])
            }
            AttrType::Nest(n) => {
                let v = self.set_named(*n, "Attrs");
                quote!(#v<'a>)
            }
            AttrType::HeaderNest(s, n) => {
                let (s, v) = (self.struct_ty(*s), self.set_named(*n, "Attrs"));
                quote!((&'a #s, #v<'a>))
            }
            AttrType::ArrayNest(n) => {
                let v = self.set_named(*n, "Attrs");
                quote!(Array<'a, #v<'a>>)
            }
            AttrType::ArrayElem(e) => {
                let e = self.value_type(e);
                quote!(Array<'a, #e>)
            }
            AttrType::Multipath(s, n) => {
                let (s, v) = (self.struct_ty(*s), self.set_named(*n, "Attrs"));
                quote!(Multipath<'a, #s, #v<'a>>)
            }
            AttrType::SubMessage(sm, _) => {
                let t = self.sub_ty(*sm);
                quote!(#t<'a>)
            }
        }
    }

    /// The shared reader or decoder that turns a payload into a value of `ty`.
    fn decoder(ty: &AttrType) -> Dec {
        let read = |f: &str| {
            let f = ident(f);
            Dec::Read(quote!(read::#f))
        };
        let decode = |f: &str| {
            let f = ident(f);
            Dec::With(quote!(decode::#f))
        };
        match ty {
            AttrType::Scalar(s, None) => read(s.word()),
            AttrType::Scalar(s, Some(_)) => {
                let f = ident(s.word());
                Dec::Read(quote!(decode::typed(read::#f)))
            }
            AttrType::Flag => Dec::Flag,
            AttrType::String => read("string"),
            AttrType::Bytes => Dec::Read(quote!(decode::bytes)),
            AttrType::Ip4 => read("ip4"),
            AttrType::Ip6 => read("ip6"),
            AttrType::IpAddr => read("ipaddr"),
            AttrType::LlAddr => Dec::Read(quote!(decode::lladdr)),
            AttrType::Mpls => read("mpls"),
            AttrType::Bitfield32 => read("bitfield32"),
            AttrType::Struct(_) => read("structure"),
            AttrType::StructRest(..) => read("struct_rest"),
            AttrType::StructArray(_) => read("struct_array"),
            AttrType::StructCounted(..) => Dec::Read(quote!(decode::counted)),
            AttrType::Nest(_) => decode("nest"),
            AttrType::HeaderNest(..) => decode("header_nest"),
            AttrType::ArrayNest(_) => decode("nests"),
            AttrType::ArrayElem(_) => decode("elems"),
            AttrType::Multipath(..) => decode("multipath"),
            AttrType::SubMessage(_, Selector::Sibling(id)) => {
                let id = lit(u64::from(*id));
                Dec::With(quote!(decode::by_sibling::<_, #id>))
            }
            AttrType::SubMessage(_, Selector::Outer) => decode("by_outer"),
            AttrType::SubMessage(_, Selector::Family) => decode("by_family"),
        }
    }

    /// The `Kind` of the attribute table.
    fn kind_tokens(&self, ty: &AttrType) -> TokenStream {
        let ss = |s: &StructId| self.struct_spec(*s);
        let ns = |n: &SetId| self.set_spec(*n);
        match ty {
            AttrType::Scalar(s, e) => {
                let v = ident(s.variant());
                let e = match e {
                    Some(e) => {
                        let e = self.enum_spec(*e);
                        quote!(Some(&#e))
                    }
                    None => quote!(None),
                };
                quote!(Kind::Scalar(Scalar::#v, #e))
            }
            AttrType::Flag => quote!(Kind::Flag),
            AttrType::String => quote!(Kind::String),
            AttrType::Bytes => quote!(Kind::Bytes),
            AttrType::Ip4 => quote!(Kind::Ip4),
            AttrType::Ip6 => quote!(Kind::Ip6),
            AttrType::IpAddr => quote!(Kind::IpAddr),
            AttrType::LlAddr => quote!(Kind::LlAddr),
            AttrType::Mpls => quote!(Kind::Mpls),
            AttrType::Bitfield32 => quote!(Kind::Bitfield32),
            AttrType::Struct(s) => {
                let s = ss(s);
                quote!(Kind::Struct(&#s))
            }
            AttrType::StructRest(s, t) => {
                let (s, t) = (ss(s), ss(t));
                quote!(Kind::StructTrailing(&#s, &#t, None))
            }
            AttrType::StructArray(s) => {
                let s = ss(s);
                quote!(Kind::StructArray(&#s))
            }
            AttrType::StructCounted(s, t) => {
                let cf = self.m.structs[s.0].count_field.as_ref().map(|f| &f.name);
                let (s, t) = (ss(s), ss(t));
                quote!(Kind::StructTrailing(&#s, &#t, Some(#cf)))
            }
            AttrType::Nest(n) => {
                let n = ns(n);
                quote!(Kind::Nest(&#n))
            }
            AttrType::HeaderNest(s, n) => {
                let (s, n) = (ss(s), ns(n));
                quote!(Kind::HeaderNest(&#s, &#n))
            }
            AttrType::ArrayNest(n) => {
                let n = ns(n);
                quote!(Kind::ArrayNest(&#n))
            }
            AttrType::ArrayElem(e) => {
                let inner = self.kind_tokens(e);
                quote!(Kind::ArrayElem(&#inner))
            }
            AttrType::Multipath(s, n) => {
                let (s, n) = (ss(s), ns(n));
                quote!(Kind::Multipath(&#s, &#n))
            }
            AttrType::SubMessage(sm, sel) => {
                let sm = static_ident(&self.m.subs[sm.0].name, "SUB");
                let sel = match sel {
                    Selector::Sibling(id) => {
                        let id = lit(u64::from(*id));
                        quote!(Selector::Sibling(#id))
                    }
                    Selector::Outer => quote!(Selector::Outer),
                    Selector::Family => quote!(Selector::Family),
                };
                quote!(Kind::SubMessage(&#sm, #sel))
            }
        }
    }

    pub(super) fn set_tokens(&self, set: &SetDef) -> TokenStream {
        let base = camel(&set.name);
        let (view, attr_enum) = (format_ident!("{base}Attrs"), format_ident!("{base}Attr"));
        let (builder, marker) = (format_ident!("{base}Builder"), format_ident!("{base}Set"));
        let spec_name = static_ident(&set.name, "SPEC");
        let n = lit(set
            .attrs
            .iter()
            .map(|a| u64::from(a.id) + 1)
            .max()
            .unwrap_or(1));
        let (sname, prefix) = (&set.name, &set.prefix);
        let d = doc(&match set.doc.as_str() {
            "" => format!("Attributes `{}*` (set `{}`).", set.prefix, set.name),
            d => d.to_string(),
        });
        let mut sorted: Vec<&AttrDef> = set.attrs.iter().collect();
        sorted.sort_by_key(|a| a.id);
        let spec_items = sorted.iter().map(|a| {
            let (id, name, c, kind) = (
                lit(u64::from(a.id)),
                &a.name,
                &a.cname,
                self.kind_tokens(&a.ty),
            );
            let spec = match a.multi {
                true => quote! { multi(#id, #name, #c, #kind) },
                false => quote! { attr(#id, #name, #c, #kind) },
            };
            match a.nested {
                true => quote! { #spec.nested() },
                false => spec,
            }
        });
        let (mut getters, mut variants, mut arms, mut setters, mut extra) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for a in &set.attrs {
            let (getter, variant, arm) = self.attr_view(a, &attr_enum);
            getters.push(getter);
            variants.push(variant);
            arms.push(arm);
            setters.extend(self.setters(&base, a, &mut extra));
        }
        let decode_body = match arms.is_empty() {
            true => quote! { Ok(#attr_enum::Unknown { id, bytes: at.payload }) },
            false => {
                quote! { match id { #(#arms,)* id => Ok(#attr_enum::Unknown { id, bytes: at.payload }) } }
            }
        };
        let spec_doc = doc(&format!("Attribute table of set `{}`.", set.name));
        let builder_doc = doc(&format!(
            "Writes attributes of set `{}` straight into a request buffer ([`SetBuilder`]).",
            set.name
        ));
        quote! {
            #spec_doc
            pub static #spec_name: SetSpec = SetSpec { name: #sname, prefix: #prefix, attrs: &[#(#spec_items),*] };

            #d
            pub struct #marker;

            impl AttrSet for #marker {
                const SPEC: &'static SetSpec = &#spec_name;
                type Index = nla::Index<#n>;
                type Attr<'a> = #attr_enum<'a>;
                fn decode<'a>(id: u16, at: At<'a>) -> Result<#attr_enum<'a>, DecodeError> { #decode_body }
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

            #builder_doc
            pub type #builder<'b> = SetBuilder<'b, #marker>;

            impl SetBuilder<'_, #marker> {
                #(#setters)*
            }

            #(#extra)*
        }
    }

    /// One attribute's getter, variant of the typed enum, and arm of the typed decoder: the
    /// getter and the arm name the same reader or decoder.
    fn attr_view(&self, a: &AttrDef, attr_enum: &Ident) -> (TokenStream, TokenStream, TokenStream) {
        let id = lit(u64::from(a.id));
        let m = method_ident(&a.name);
        let vt = self.value_type(&a.ty);
        let v = match camel(&a.name).as_str() {
            "Unknown" => ident("UnknownAttr"),
            c => ident(c),
        };
        let mut text = match a.doc.as_str() {
            "" => format!("`{}` ({})", a.cname, a.type_word),
            d => format!("`{}`: {d}", a.cname),
        };
        if let Some(s) = &a.since {
            text = format!("{text} (kernel {s})");
        }
        let dd = doc(&text);
        let dec = Self::decoder(&a.ty);
        let arm = match &dec {
            Dec::Flag => quote! { #id => Ok(#attr_enum::#v(true)) },
            Dec::Read(r) => quote! { #id => at.read(#r).map(#attr_enum::#v) },
            Dec::With(d) => quote! { #id => #d(at).map(#attr_enum::#v) },
        };
        let variant = quote! { #dd #v(#vt) };
        let getter = match (a.multi, dec) {
            (true, dec) => {
                let call = match dec {
                    Dec::Flag => quote!(self.get_all(#id, read::flag)),
                    Dec::Read(r) => quote!(self.get_all(#id, #r)),
                    Dec::With(d) => quote!(self.get_all_with(#id, #d)),
                };
                quote! {
                    #dd
                    ///
                    /// Repeated attribute: every occurrence, in order.
                    pub fn #m(&self) -> impl Iterator<Item = Result<#vt, DecodeError>> + use<'a> { #call }
                }
            }
            (false, Dec::Flag) => {
                quote! { #dd pub fn #m(&self) -> Result<bool, DecodeError> { self.has(#id) } }
            }
            (false, Dec::Read(r)) => {
                quote! { #dd pub fn #m(&self) -> Result<Option<#vt>, DecodeError> { self.get(#id, #r) } }
            }
            (false, Dec::With(d)) => {
                quote! { #dd pub fn #m(&self) -> Result<Option<#vt>, DecodeError> { self.get_with(#id, #d) } }
            }
        };
        (getter, variant, arm)
    }

    /// The typed setters of one attribute (several for a sub-message: one per format), and the
    /// helper writers arrays and multipath need (into `extra`).
    fn setters(&self, base: &str, a: &AttrDef, extra: &mut Vec<TokenStream>) -> Vec<TokenStream> {
        let id = wire_id(a);
        let m = method_ident(&a.name);
        let c = &a.cname;
        let sd = doc(&format!("Appends `{c}`."));
        let one = |args: TokenStream, body: TokenStream| {
            vec![quote! { #sd pub fn #m(&mut self, #args) -> &mut Self { #body } }]
        };
        match &a.ty {
            AttrType::Scalar(s, None) => {
                let i = ident(s.rust());
                match s.is_be() {
                    true => one(quote!(v: #i), quote!(self.put(#id, v.to_be_bytes()))),
                    false => one(quote!(v: #i), quote!(self.put(#id, v))),
                }
            }
            AttrType::Scalar(s, Some(e)) => {
                let (et, i) = (self.enum_ty(*e), ident(s.rust()));
                let body = match s.is_be() {
                    true => quote!(self.put(#id, #i::to_be_bytes(v.into().into()))),
                    false => quote!(self.put::<#i>(#id, v.into().into())),
                };
                one(quote!(v: impl Into<#et>), body)
            }
            AttrType::Flag => {
                vec![quote! { #sd pub fn #m(&mut self) -> &mut Self { self.raw(#id, &[]) } }]
            }
            AttrType::String => one(quote!(v: &str), quote!(self.put(#id, v))),
            AttrType::Bytes | AttrType::LlAddr => one(quote!(v: &[u8]), quote!(self.put(#id, v))),
            AttrType::Ip4 => one(quote!(v: Ipv4Addr), quote!(self.put(#id, v))),
            AttrType::Ip6 => one(quote!(v: Ipv6Addr), quote!(self.put(#id, v))),
            AttrType::IpAddr => one(quote!(v: IpAddr), quote!(self.put(#id, v))),
            AttrType::Mpls => one(
                quote!(labels: &[u32]),
                quote!(self.raw(#id, &encode_mpls(labels))),
            ),
            AttrType::Bitfield32 => one(quote!(v: Bitfield32), quote!(self.put(#id, v))),
            AttrType::Struct(s) => {
                let st = self.struct_ty(*s);
                one(quote!(v: &#st), quote!(self.raw(#id, v.as_bytes())))
            }
            AttrType::StructRest(s, t) | AttrType::StructCounted(s, t) => {
                let (st, tt) = (self.struct_ty(*s), self.struct_ty(*t));
                one(
                    quote!(head: &#st, entries: &[#tt]),
                    quote!(self.put_parts(#id, &[head.as_bytes(), entries.as_bytes()])),
                )
            }
            AttrType::StructArray(s) => {
                let st = self.struct_ty(*s);
                one(
                    quote!(entries: &[#st]),
                    quote!(self.raw(#id, entries.as_bytes())),
                )
            }
            AttrType::Nest(n) => {
                let nb = self.set_named(*n, "Builder");
                one(
                    quote!(f: impl FnOnce(&mut #nb<'_>)),
                    quote!(self.nest(#id, f)),
                )
            }
            AttrType::HeaderNest(s, n) => {
                let (st, nb) = (self.struct_ty(*s), self.set_named(*n, "Builder"));
                one(
                    quote!(head: &#st, f: impl FnOnce(&mut #nb<'_>)),
                    quote!(self.header_nest(#id, head.as_bytes(), f)),
                )
            }
            AttrType::ArrayNest(n) => self.array_setter(base, a, *n, extra),
            AttrType::ArrayElem(_) => Vec::new(),
            AttrType::Multipath(s, n) => self.multipath_setter(base, a, *s, *n, extra),
            AttrType::SubMessage(sm, _) => self.sub_setters(a, *sm),
        }
    }

    /// An indexed array of nests: its setter, and the alias of the writer `f` gets.
    fn array_setter(
        &self,
        base: &str,
        a: &AttrDef,
        n: SetId,
        extra: &mut Vec<TokenStream>,
    ) -> Vec<TokenStream> {
        let (id, m, c) = (wire_id(a), method_ident(&a.name), &a.cname);
        let marker = self.set_named(n, "Set");
        let items = format_ident!("{}{}Items", base, camel(&a.name));
        let items_doc = doc(&format!("Writes the elements of `{c}` ([`ArrayItems`])."));
        extra.push(quote! { #items_doc pub type #items<'b> = ArrayItems<'b, #marker>; });
        let dd = doc(&format!(
            "Appends `{c}`: one nested element per call of `f`'s `add` (ids 1..n)."
        ));
        vec![
            quote! { #dd pub fn #m(&mut self, f: impl FnOnce(&mut #items<'_>)) -> &mut Self { self.put_array(#id, f) } },
        ]
    }

    /// Multipath entries: the setter, and the alias of the writer `f` gets.
    fn multipath_setter(
        &self,
        base: &str,
        a: &AttrDef,
        s: StructId,
        n: SetId,
        extra: &mut Vec<TokenStream>,
    ) -> Vec<TokenStream> {
        let (id, m, c) = (wire_id(a), method_ident(&a.name), &a.cname);
        let (st, marker) = (self.struct_ty(s), self.set_named(n, "Set"));
        let hops = format_ident!("{}{}Hops", base, camel(&a.name));
        let hops_doc = doc(&format!(
            "Writes the entries of `{c}`: a struct, then its attributes ([`Hops`])."
        ));
        extra.push(quote! { #hops_doc pub type #hops<'b> = Hops<'b, #st, #marker>; });
        let sd = doc(&format!("Appends `{c}`."));
        vec![
            quote! { #sd pub fn #m(&mut self, f: impl FnOnce(&mut #hops<'_>)) -> &mut Self { self.put_hops(#id, f) } },
        ]
    }

    /// One setter per format of a sub-message (`data_vxlan`), and `data_raw`.
    fn sub_setters(&self, a: &AttrDef, sm: SubId) -> Vec<TokenStream> {
        let (id, m, c) = (wire_id(a), method_ident(&a.name), &a.cname);
        let stem = m.to_string().trim_end_matches('_').to_string();
        let mut out = Vec::new();
        for fm in &self.m.subs[sm.0].formats {
            let vn = snake_ident(&snake_of_camel(&fm.variant)).to_string();
            let fm_m = format_ident!("{stem}_{}", vn.trim_start_matches('_'));
            let fd = doc(&format!("Appends `{c}` in the `{}` format.", fm.value));
            out.push(match (fm.header, fm.set) {
                (None, Some(n)) => {
                    let nb = self.set_named(n, "Builder");
                    quote! { #fd pub fn #fm_m(&mut self, f: impl FnOnce(&mut #nb<'_>)) -> &mut Self { self.nest(#id, f) } }
                }
                (Some(s), None) => {
                    let st = self.struct_ty(s);
                    quote! { #fd pub fn #fm_m(&mut self, v: &#st) -> &mut Self { self.raw(#id, v.as_bytes()) } }
                }
                (Some(s), Some(n)) => {
                    let (st, nb) = (self.struct_ty(s), self.set_named(n, "Builder"));
                    quote! { #fd pub fn #fm_m(&mut self, head: &#st, f: impl FnOnce(&mut #nb<'_>)) -> &mut Self {
                        self.header_nest(#id, head.as_bytes(), f) } }
                }
                (None, None) => continue,
            });
        }
        let raw_m = format_ident!("{stem}_raw");
        let sd = doc(&format!("Appends `{c}`."));
        out.push(quote! { #sd pub fn #raw_m(&mut self, payload: &[u8]) -> &mut Self { self.raw(#id, payload) } });
        out
    }
}

/// The `nla_type` a typed setter writes: the id, with NLA_F_NESTED when the schema says
/// `nested = true` (only nesting types may).
fn wire_id(a: &AttrDef) -> TokenStream {
    let id = lit(u64::from(a.id));
    match a.nested {
        true => quote! { #id | crate::nla::NLA_F_NESTED },
        false => quote! { #id },
    }
}
