//! Sub-messages (an enum per format, decoded by the selector's value) and message families (the
//! marker implementing `MsgFamily`, the aliases, message types and command words).

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{Emitter, doc, lit};
use crate::ir::*;
use crate::names::{camel, ident, static_ident, type_ident};

impl Emitter<'_> {
    pub(super) fn sub_tokens(&self, sm: &SubDef) -> TokenStream {
        let ty = type_ident(&sm.name);
        let spec_name = static_ident(&sm.name, "SUB");
        let d = doc(&match sm.doc.as_str() {
            "" => format!(
                "Sub-message `{}`: the payload format chosen by a selector.",
                sm.name
            ),
            d => d.to_string(),
        });
        let sname = &sm.name;
        let numeric = matches!(
            sm.formats.first().map(|f| &f.value),
            Some(FormatValue::Int(_))
        );
        let needs_at = sm
            .formats
            .iter()
            .any(|f| f.header.is_some() || f.set.is_some());
        let (mut variants, mut arms, mut specs) = (Vec::new(), Vec::new(), Vec::new());
        for f in &sm.formats {
            let v = ident(&f.variant);
            let fdoc = doc(&match f.doc.as_str() {
                "" => format!("`{}`", f.value),
                d => d.to_string(),
            });
            let (vt, expr) = match (f.header, f.set) {
                (None, Some(n)) => {
                    let vt = self.set_named(n, "Attrs");
                    (
                        Some(quote!(#vt<'a>)),
                        quote!(decode::nest(at).map(Self::#v)),
                    )
                }
                (Some(s), None) => {
                    let st = self.struct_ty(s);
                    (
                        Some(quote!(&'a #st)),
                        quote!(at.read(read::structure).map(Self::#v)),
                    )
                }
                (Some(s), Some(n)) => {
                    let (st, vt) = (self.struct_ty(s), self.set_named(n, "Attrs"));
                    (
                        Some(quote!(&'a #st, #vt<'a>)),
                        quote!(decode::header_nest(at).map(|(h, v)| Self::#v(h, v))),
                    )
                }
                (None, None) => (None, quote!(Ok(Self::#v))),
            };
            variants.push(match vt {
                Some(vt) => quote! { #fdoc #v(#vt) },
                None => quote! { #fdoc #v },
            });
            let header = match f.header {
                Some(s) => {
                    let s = self.struct_spec(s);
                    quote!(Some(&#s))
                }
                None => quote!(None),
            };
            let set = match f.set {
                Some(n) => {
                    let n = self.set_spec(n);
                    quote!(Some(&#n))
                }
                None => quote!(None),
            };
            let (pat, value) = match &f.value {
                FormatValue::Int(i) => {
                    let i = lit(*i as u64);
                    (quote!(#i), quote!(SelValue::Int(#i)))
                }
                FormatValue::Str(s) => {
                    let bs = Literal::byte_string(s.as_bytes());
                    (quote!(#bs), quote!(SelValue::Str(#s)))
                }
            };
            arms.push(quote! { Some(#pat) => #expr });
            specs.push(quote! { format(#value, #header, #set) });
        }
        let key = match numeric {
            true => quote!(sel.and_then(|s| s.as_int())),
            false => quote!(sel.and_then(|s| s.as_str_bytes())),
        };
        let (ctx, at) = match needs_at {
            true => (
                quote!(ctx),
                quote! { let at = At { payload: p, set: &[], ctx }; },
            ),
            false => (quote!(_ctx), quote! {}),
        };
        let spec_doc = doc(&format!("Format table of sub-message `{}`.", sm.name));
        quote! {
            #spec_doc
            pub static #spec_name: SubMessageSpec = SubMessageSpec { name: #sname, formats: &[#(#specs),*] };

            #d
            #[derive(Debug, Clone)]
            pub enum #ty<'a> {
                #(#variants,)*
                /// A selector value this schema has no format for (or no selector): the raw payload.
                Unknown(&'a [u8]),
            }

            impl #ty<'_> {
                /// The format table.
                pub const SPEC: &'static SubMessageSpec = &#spec_name;
            }

            impl<'a> SubMessage<'a> for #ty<'a> {
                fn decode(sel: Option<SelectorPayload<'a>>, p: &'a [u8], #ctx: Ctx<'a>) -> Result<Self, DecodeError> {
                    #at
                    match #key {
                        #(#arms,)*
                        _ => Ok(Self::Unknown(p)),
                    }
                }
            }
        }
    }

    pub(super) fn message_tokens(&self, m: &MessageDef) -> TokenStream {
        let base = camel(&m.name);
        let (msg, owned, fam) = (
            format_ident!("{base}Msg"),
            format_ident!("{base}Owned"),
            format_ident!("{base}Family"),
        );
        let header = self.struct_ty(m.header);
        let hspec = self.struct_spec(m.header);
        let set_marker = self.set_named(m.attrs, "Set");
        let aspec = self.set_spec(m.attrs);
        let spec_name = static_ident(&m.name, "MSG");
        let commands_name = static_ident(&m.name, "COMMANDS");
        let name = &m.name;
        let d = doc(&match m.doc.as_str() {
            "" => format!(
                "A `{}` message: `struct {}` then `{}` attributes.",
                m.name, self.m.structs[m.header.0].name, self.m.sets[m.attrs.0].prefix
            ),
            d => d.to_string(),
        });
        let consts = m.types.iter().map(|(n, v)| {
            let (id, v, dd) = (
                ident(n),
                lit(u64::from(*v)),
                doc(&format!("`{n}` message type.")),
            );
            quote! { #dd pub const #id: u16 = #v; }
        });
        let type_items = m.types.iter().map(|(n, _)| {
            let id = ident(n);
            quote! { (#id, #n) }
        });
        let cmd_items = m.commands.iter().map(|c| {
            let ty = m
                .types
                .iter()
                .find(|(_, v)| *v == c.msg_type)
                .map(|(n, _)| ident(n));
            let flags = c.flags.iter().map(|f| ident(f));
            let flags = match c.flags.is_empty() {
                true => quote!(0),
                false => quote!(#(nlm_f::#flags)|*),
            };
            let n = &c.name;
            quote! { Command { name: #n, msg_type: #ty, flags: #flags } }
        });
        let outer = match m.outer {
            Some(id) => {
                let id = lit(u64::from(id));
                quote!(Some(#id))
            }
            None => quote!(None),
        };
        let (family_offset, family_fn) = match m.family {
            Some((off, typed)) => {
                let off = lit(off as u64);
                let get = match typed {
                    true => quote!(u8::from(header.family())),
                    false => quote!(header.family()),
                };
                (
                    quote!(Some(#off)),
                    quote! { fn family(header: &#header) -> u8 { #get } },
                )
            }
            None => (quote!(None), quote! { fn family(_: &#header) -> u8 { 0 } }),
        };
        let cmd_doc = doc(&format!(
            "pyroute2's command words for `{}` messages.",
            m.name
        ));
        let spec_doc = doc(&format!("The `{}` message family.", m.name));
        let fam_doc = doc(&format!(
            "Marker of the `{}` message family (see [`MsgFamily`]).",
            m.name
        ));
        let owned_doc = doc(&format!(
            "An owned `{}` message (its payload bytes); `view()` gives the zero-copy [`{msg}`].",
            m.name
        ));
        let msg_name = msg.to_string();
        quote! {
            #(#consts)*

            #cmd_doc
            pub static #commands_name: &[Command] = &[#(#cmd_items),*];

            #spec_doc
            pub static #spec_name: MessageSpec = MessageSpec {
                name: #name, header: &#hspec, attrs: &#aspec, types: &[#(#type_items),*],
                commands: #commands_name, outer: #outer, family_offset: #family_offset,
            };

            #fam_doc
            #[derive(Debug, Clone, Copy)]
            pub struct #fam;

            impl MsgFamily for #fam {
                type Header = #header;
                type Set = #set_marker;
                const SPEC: &'static MessageSpec = &#spec_name;
                const NAME: &'static str = #msg_name;
                #family_fn
            }

            #d
            ///
            /// Derefs to its attribute view, so `msg.ifname()` and `msg.header().index()` both work.
            pub type #msg<'a> = Message<'a, #fam>;

            #owned_doc
            pub type #owned = OwnedMessage<#fam>;
        }
    }
}
