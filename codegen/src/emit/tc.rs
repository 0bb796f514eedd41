//! The tc plugin table: `TC_PLUGINS`, one `TcPluginSpec` per `[[tc-plugin]]` entry, appended
//! to the module of the schema file that holds the entries (validation has checked them).

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, format_tokens};
use crate::model::{File, TcParam, TcPlugin, TcRatespec, TcValueName};

/// Appends `TC_PLUGINS` to the generated module of each schema file with tc plugins.
pub(super) fn append_plugins(files: &[(String, String, File)], out: &mut [(String, String)]) {
    for (stem, _, f) in files {
        if f.tc_plugins.is_empty() {
            continue;
        }
        let name = format!("{stem}.rs");
        if let Some((_, text)) = out.iter_mut().find(|(n, _)| *n == name) {
            text.push('\n');
            text.push_str(&format_tokens(table(&f.tc_plugins)));
        }
    }
}

fn opt(s: &Option<String>) -> TokenStream {
    match s {
        Some(s) => quote! { Some(#s) },
        None => quote! { None },
    }
}

fn strs(v: &[String]) -> TokenStream {
    quote! { &[#(#v),*] }
}

fn unit(u: Option<&str>) -> TokenStream {
    let v = match u.unwrap_or("int") {
        "hex" => quote! { Hex },
        "size" => quote! { Size },
        "time" => quote! { Time },
        "ticks" => quote! { Ticks },
        "rate" => quote! { Rate },
        "handle" => quote! { Handle },
        "flag" => quote! { Flag },
        "string" => quote! { String },
        "linklayer" => quote! { Linklayer },
        "list" => quote! { List },
        "percent" => quote! { Percent },
        "ifindex" => quote! { Ifindex },
        "verdict" => quote! { Verdict },
        "ethertype" => quote! { Ethertype },
        "clockid" => quote! { Clockid },
        "fraction16" => quote! { Fraction16 },
        "words" => quote! { Words },
        "strings" => quote! { Strings },
        "ns" => quote! { Ns },
        _ => quote! { Int },
    };
    quote! { TcUnit::#v }
}

fn param(p: &TcParam) -> TokenStream {
    let key = &p.key;
    let aliases = strs(&p.aliases);
    let (object, to, default) = (opt(&p.object), opt(&p.to), opt(&p.default));
    let unit = unit(p.unit.as_deref());
    let required = p.required;
    let sets = p.sets.iter().map(|x| {
        let (to, v) = (&x.to, x.value);
        let op = match (x.bits, x.add) {
            (true, _) => quote! { TcSetOp::Or },
            (false, true) => quote! { TcSetOp::Add },
            (false, false) => quote! { TcSetOp::Replace },
        };
        quote! { (#to, #v, #op) }
    });
    let values = p.values.iter().map(|(name, m)| match m {
        TcValueName::Keyword(k) => quote! { (#name, TcValueMeans::Keyword(#k)) },
        TcValueName::Int(n) => quote! { (#name, TcValueMeans::Int(#n)) },
    });
    quote! {
        TcParamSpec { key: #key, aliases: #aliases, object: #object, to: #to, unit: #unit,
            default: #default, required: #required, sets: &[#(#sets),*],
            values: &[#(#values),*] }
    }
}

fn ratespec(r: &TcRatespec) -> TokenStream {
    let (key, rs) = (&r.key, &r.ratespec);
    let (object, rate64, table) = (opt(&r.object), opt(&r.rate64), opt(&r.table));
    let (burst, burst_attr, buffer) = (opt(&r.burst), opt(&r.burst_attr), opt(&r.buffer));
    let (burst_default, default) = (opt(&r.burst_default), opt(&r.default));
    let xmit = r.xmit_rate.as_deref().unwrap_or("rate64");
    let required = r.required;
    quote! {
        TcRatespecSpec { key: #key, object: #object, ratespec: #rs, rate64: #rate64,
            table: #table, burst: #burst, burst_attr: #burst_attr, buffer: #buffer,
            burst_default: #burst_default, xmit_rate: #xmit, default: #default,
            required: #required }
    }
}

fn plugin(p: &TcPlugin) -> TokenStream {
    let kind = &p.kind;
    let objects = strs(&p.object);
    let (options, parent, handle) = (
        opt(&p.options),
        opt(&p.default_parent),
        opt(&p.default_handle),
    );
    let params = p.params.iter().map(param);
    let fixed = p.fixed.iter().map(|x| {
        let (o, to, v) = (x.object.as_deref().unwrap_or(""), &x.to, x.value);
        quote! { (#o, #to, #v) }
    });
    let rates = p.ratespecs.iter().map(ratespec);
    let order = strs(&p.order);
    let omit_empty = strs(&p.omit_empty);
    let nested_options = p.nested_options;
    let routine = match &p.routine {
        Some(r) => {
            let why = &p.why;
            quote! { Some((#r, #why)) }
        }
        None => quote! { None },
    };
    let d = &p.doc;
    quote! {
        TcPluginSpec { kind: #kind, objects: #objects, options: #options,
            default_parent: #parent, default_handle: #handle, params: &[#(#params),*],
            fixed: &[#(#fixed),*], ratespecs: &[#(#rates),*], order: #order, omit_empty: #omit_empty,
            nested_options: #nested_options,
            routine: #routine, doc: #d }
    }
}

fn table(plugins: &[TcPlugin]) -> TokenStream {
    let items = plugins.iter().map(plugin);
    let d = doc(
        "Every tc plugin of the schema (`[[tc-plugin]]`): what tc's per-kind code knows, read by\nrtnl-api's generic tc encoder.",
    );
    quote! {
        #d
        pub static TC_PLUGINS: &[TcPluginSpec] = &[#(#items),*];
    }
}
