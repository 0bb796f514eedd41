//! tc plugins (`[[tc-plugin]]`): every entry checked against the formats it names — objects,
//! the options format, each keyword's unit and target path (an attribute of the options set,
//! then struct fields), rate specs (a `tc_ratespec` field, attributes for rate64, table and
//! burst), the attribute order, and a routine that is one the encoder has, with its reason.
//! Entries are keyed by (kind, object): an action and a classifier may share a kind name
//! (`bpf`), each in its own entry, as tc's m_bpf.c and f_bpf.c are two plugins.
//! Errors name the file, `tc-plugin KIND` (`tc-plugin KIND (OBJECTS)` where entries share the
//! kind) and the reason.

use std::collections::BTreeSet;

use super::{Files, Validator};
use crate::model::*;

/// The units the encoder reads (rtnl_core::spec::TcUnit).
pub const TC_UNITS: &[&str] = &[
    "int",
    "hex",
    "size",
    "time",
    "ticks",
    "rate",
    "handle",
    "flag",
    "string",
    "linklayer",
    "list",
    "percent",
    "ifindex",
    "verdict",
    "ethertype",
    "clockid",
    "fraction16",
    "words",
    "strings",
    "ns",
];

/// The routines the encoder has (rtnl-api request::tc), for what is not data.
pub const TC_ROUTINES: &[&str] = &[
    "cake",
    "gred",
    "hfsc",
    "ets",
    "red",
    "mqprio",
    "u32_sel",
    "tbf_limit",
    "mirred",
    "gact",
    "nest_compat",
    "police",
    "csum",
    "nat",
    "skbmod",
    "ct",
    "pedit",
    "ife",
    "gate",
    "act_bpf",
    // filters (tcfilt)
    "skip_flags",
    "route4",
    "flow",
    "bpf",
    "ematch",
    "flower",
];

/// What a path may end on.
#[derive(PartialEq)]
enum End {
    Any,
    Ratespec,
    Attr,
}

/// An options format: the struct and the set of a sub-message format.
struct Fmt<'s> {
    st: Option<&'s Struct>,
    set: Option<&'s Set>,
}

impl Validator<'_, '_> {
    /// Checks every tc plugin.
    pub(super) fn tc_plugins(&mut self, files: &Files) {
        let all = || files.iter().flat_map(|(_, _, f)| &f.tc_plugins);
        let mut seen = BTreeSet::new();
        for (_, path, f) in files {
            for p in &f.tc_plugins {
                let item = match all().filter(|o| o.kind == p.kind).count() {
                    1 => format!("tc-plugin {}", p.kind),
                    _ => format!("tc-plugin {} ({})", p.kind, p.object.join("/")),
                };
                for o in &p.object {
                    if !seen.insert((p.kind.clone(), o.clone())) {
                        self.err(
                            path,
                            &item,
                            format!("duplicate kind: another entry of kind {:?} is for {o:?} too (entries are keyed by kind and object)", p.kind),
                        );
                    }
                }
                for reason in self.plugin_errors(p) {
                    self.err(path, &item, reason);
                }
            }
        }
    }

    fn plugin_errors(&self, p: &TcPlugin) -> Vec<String> {
        let mut errs = Vec::new();
        for o in &p.object {
            if !["qdisc", "class", "filter", "action"].contains(&o.as_str()) {
                errs.push(format!(
                    "object {o:?} is not qdisc, class, filter or action"
                ));
            }
        }
        let action = p.object.iter().any(|o| o == "action");
        if action && p.object.len() > 1 {
            errs.push(format!(
                "objects {:?}: an action's options are a tc_act_options format, a qdisc's, class's or filter's a tc_options one: give the action its own entry of the same kind",
                p.object
            ));
        }
        let sub = if action {
            "tc_act_options"
        } else {
            "tc_options"
        };
        let fmt = match &p.options {
            Some(o) => match self.format(sub, o) {
                Some(f) => f,
                None => {
                    errs.push(format!("options {o:?} is not a format value of {sub}"));
                    return errs;
                }
            },
            None => Fmt {
                st: None,
                set: None,
            },
        };
        let obj_ok =
            |o: &Option<String>, errs: &mut Vec<String>, what: &str| object_ok(p, o, errs, what);
        let mut keys = BTreeSet::new();
        for k in &p.params {
            let what = format!("param {:?}", k.key);
            obj_ok(&k.object, &mut errs, &what);
            for name in std::iter::once(&k.key).chain(&k.aliases) {
                if !keys.insert((k.object.clone(), name.clone())) {
                    errs.push(format!("{what}: keyword {name:?} given twice"));
                }
            }
            let unit = k.unit.as_deref().unwrap_or("int");
            if !TC_UNITS.contains(&unit) {
                errs.push(format!("{what}: unit {unit:?} is not one of {TC_UNITS:?}"));
            }
            if let Some(to) = &k.to
                && let Err(e) = self.path(&fmt, to, End::Any)
            {
                errs.push(format!("{what}: to {to:?}: {e}"));
            }
            for x in &k.sets {
                if let Err(e) = self.path(&fmt, &x.to, End::Any) {
                    errs.push(format!("{what}: sets {:?}: {e}", x.to));
                }
                if x.bits && x.add {
                    errs.push(format!("{what}: sets {:?}: bits or add, not both", x.to));
                }
            }
        }
        value_name_errors(p, &keys, &mut errs);
        word_errors(p, &mut keys, &mut errs);
        for x in &p.fixed {
            obj_ok(&x.object, &mut errs, "fixed");
            if let Err(e) = self.path(&fmt, &x.to, End::Any) {
                errs.push(format!("fixed {:?}: {e}", x.to));
            }
        }
        self.ratespec_errors(p, &fmt, &mut errs);
        for o in &p.omit_empty {
            if !p.object.contains(o) {
                errs.push(format!(
                    "omit-empty: object {o:?} is not one of {:?}",
                    p.object
                ));
            }
        }
        for a in &p.order {
            if let Err(e) = self.path(&fmt, a, End::Attr) {
                errs.push(format!("order {a:?}: {e}"));
            }
        }
        match (&p.routine, p.why.is_empty()) {
            (Some(r), _) if !TC_ROUTINES.contains(&r.as_str()) => {
                errs.push(format!("routine {r:?} is not one of {TC_ROUTINES:?}"))
            }
            (Some(_), true) => errs.push("a routine needs its `why`".into()),
            (None, false) => errs.push("`why` without a routine".into()),
            _ => {}
        }
        errs
    }

    /// The errors of `p`'s rate specs (their struct paths, attributes and defaults).
    fn ratespec_errors(&self, p: &TcPlugin, fmt: &Fmt<'_>, errs: &mut Vec<String>) {
        for r in &p.ratespecs {
            let what = format!("ratespec {:?}", r.key);
            object_ok(p, &r.object, errs, &what);
            if let Err(e) = self.path(fmt, &r.ratespec, End::Ratespec) {
                errs.push(format!("{what}: ratespec {:?}: {e}", r.ratespec));
            }
            for a in [&r.rate64, &r.table, &r.burst_attr].into_iter().flatten() {
                if let Err(e) = self.path(fmt, a, End::Attr) {
                    errs.push(format!("{what}: {a:?}: {e}"));
                }
            }
            if let Some(b) = &r.buffer
                && let Err(e) = self.path(fmt, b, End::Any)
            {
                errs.push(format!("{what}: buffer {b:?}: {e}"));
            }
            if let Some(d) = &r.burst_default
                && !["rate/hz+mtu", "required"].contains(&d.as_str())
            {
                errs.push(format!(
                    "{what}: burst-default {d:?} is not \"rate/hz+mtu\" or \"required\""
                ));
            }
            if let Some(x) = &r.xmit_rate
                && !["rate64", "ratespec"].contains(&x.as_str())
            {
                errs.push(format!("{what}: xmit-rate {x:?} is not rate64 or ratespec"));
            }
            if let Some(d) = &r.default
                && !p.ratespecs.iter().any(|o| &o.key == d)
            {
                errs.push(format!(
                    "{what}: default {d:?} is not a rate of this plugin"
                ));
            }
        }
    }

    fn format(&self, sub: &str, value: &str) -> Option<Fmt<'_>> {
        let sm = self.names.subs.get(sub)?;
        let f = sm
            .formats
            .iter()
            .find(|f| f.value.as_str() == Some(value))?;
        Some(Fmt {
            st: f
                .structure
                .as_deref()
                .and_then(|s| self.names.structs.get(s).copied()),
            set: f
                .nest
                .as_deref()
                .and_then(|s| self.names.sets.get(s).copied()),
        })
    }

    /// Resolves `a.b.c`: an attribute of the set (or a field of the bare struct), then fields.
    fn path(&self, fmt: &Fmt, path: &str, end: End) -> Result<(), String> {
        let mut segs = path.split('.');
        let first = segs.next().unwrap_or_default();
        let attr = fmt
            .set
            .and_then(|s| s.attributes.iter().find(|a| a.name == first));
        let field = fmt
            .st
            .and_then(|s| s.fields.iter().find(|f| f.name.as_deref() == Some(first)));
        let mut ty: Option<&str> = match (attr, field) {
            (Some(a), _) => a.structure.as_deref(),
            (None, Some(f)) => f.ty.as_deref(),
            (None, None) => return Err(format!("no attribute or field {first:?} in the options")),
        };
        let rest: Vec<&str> = segs.collect();
        if end == End::Attr && (attr.is_none() || !rest.is_empty()) {
            return Err("not an attribute of the options set".into());
        }
        for seg in rest {
            let st = ty
                .and_then(|t| self.names.structs.get(t))
                .ok_or_else(|| format!("{seg:?}: not inside a struct"))?;
            let f = st
                .fields
                .iter()
                .find(|f| f.name.as_deref() == Some(seg))
                .ok_or_else(|| format!("struct {} has no field {seg:?}", st.name))?;
            ty = f.ty.as_deref();
        }
        if end == End::Ratespec && ty != Some("tc_ratespec") {
            return Err("not a tc_ratespec".into());
        }
        Ok(())
    }
}

/// An entry's `object = "..."` must be one of the plugin's objects.
fn object_ok(p: &TcPlugin, o: &Option<String>, errs: &mut Vec<String>, what: &str) {
    if let Some(o) = o
        && !p.object.contains(o)
    {
        errs.push(format!("{what}: object {o:?} is not one of {:?}", p.object));
    }
}

/// A value name that means a keyword (`values = { aggressive = "ack_filter_aggressive" }`)
/// must name one of the plugin's keywords for the same object (`keys`: (object, keyword)).
fn value_name_errors(
    p: &TcPlugin,
    keys: &BTreeSet<(Option<String>, String)>,
    errs: &mut Vec<String>,
) {
    for k in &p.params {
        for (name, m) in &k.values {
            if let TcValueName::Keyword(w) = m
                && !keys.contains(&(k.object.clone(), w.clone()))
                && !keys.contains(&(None, w.clone()))
            {
                errs.push(format!(
                    "param {:?}: value {name:?} means keyword {w:?}, which it does not have",
                    k.key
                ));
            }
        }
    }
}

/// The words (keywords a routine reads): only with a routine, unique, of a known unit.
fn word_errors(
    p: &TcPlugin,
    keys: &mut BTreeSet<(Option<String>, String)>,
    errs: &mut Vec<String>,
) {
    for w in &p.words {
        let what = format!("word {:?}", w.key);
        object_ok(p, &w.object, errs, &what);
        if p.routine.is_none() {
            errs.push(format!(
                "{what}: words are read by a routine, and there is none"
            ));
        }
        if !keys.insert((w.object.clone(), w.key.clone()))
            || (w.object.is_some() && keys.contains(&(None, w.key.clone())))
        {
            errs.push(format!("{what}: keyword {:?} given twice", w.key));
        }
        // `word`: a number or a word of its own syntax, which only the routine reads.
        let unit = w.unit.as_deref().unwrap_or("int");
        if !TC_UNITS.contains(&unit) && unit != "word" {
            errs.push(format!(
                "{what}: unit {unit:?} is not `word` or one of {TC_UNITS:?}"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    /// The real schema plus `extra` appended to schema/tcmsg.toml: the errors found.
    fn errors_with(extra: &str) -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema");
        let mut sources = Vec::new();
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "toml") {
                let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
                let mut text = std::fs::read_to_string(&p).unwrap();
                if stem == "tcmsg" {
                    text.push_str(extra);
                }
                sources.push((stem.clone(), format!("schema/{stem}.toml"), text));
            }
        }
        sources.sort();
        match crate::Schema::from_sources(sources) {
            Ok(_) => Vec::new(),
            Err(e) => {
                e.0.iter()
                    .map(|e| format!("{}: {}: {}", e.file, e.item, e.reason))
                    .collect()
            }
        }
    }

    #[test]
    fn the_schema_plugins_are_valid() {
        assert_eq!(errors_with(""), Vec::<String>::new());
    }

    #[test]
    fn a_bad_entry_names_file_kind_and_reason() {
        let errs = errors_with(
            r#"
[[tc-plugin]]
kind = "htb2"
object = ["qdisc", "widget"]
options = "htb"
routine = "magic"
params = [
  { key = "r2q", to = "init.nosuch" },
  { key = "x", unit = "furlong" },
  { key = "y", unit = "flag", sets = [{ to = "init.nowhere", value = 1 }] },
  { key = "z", unit = "flag", sets = [{ to = "init.debug", value = 1, bits = true, add = true }] },
]
ratespecs = [ { key = "rate", ratespec = "init.version" } ]
"#,
        );
        let all = errs.join("\n");
        for want in [
            "schema/tcmsg.toml: tc-plugin htb2: object \"widget\"",
            "struct tc_htb_glob has no field \"nosuch\"",
            "unit \"furlong\"",
            "not a tc_ratespec",
            "routine \"magic\"",
            "param \"y\": sets \"init.nowhere\"",
            "param \"z\": sets \"init.debug\": bits or add, not both",
        ] {
            assert!(all.contains(want), "{want:?} not in:\n{all}");
        }
        let words = errors_with(
            r#"
[[tc-plugin]]
kind = "pfifo2"
object = ["qdisc"]
options = "pfifo"
params = [ { key = "limit", to = "limit" } ]
words = [ { key = "limit" }, { key = "colour", unit = "paint", object = "class" } ]
"#,
        )
        .join("\n");
        for want in [
            "tc-plugin pfifo2: word \"limit\": words are read by a routine, and there is none",
            "word \"limit\": keyword \"limit\" given twice",
            "word \"colour\": unit \"paint\"",
            "word \"colour\": object \"class\" is not one of",
        ] {
            assert!(words.contains(want), "{want:?} not in:\n{words}");
        }
        let dup = errors_with("\n[[tc-plugin]]\nkind = \"htb\"\nobject = [\"qdisc\"]\n");
        assert!(
            dup.join("\n")
                .contains("tc-plugin htb (qdisc): duplicate kind: another entry of kind \"htb\" is for \"qdisc\" too"),
            "{dup:?}"
        );
    }

    /// An action and a classifier share a kind name (bpf) in two entries; a second action
    /// entry of that kind is a duplicate, and one entry cannot be both.
    #[test]
    fn entries_are_keyed_by_kind_and_object() {
        let dup = errors_with(
            "\n[[tc-plugin]]\nkind = \"bpf\"\nobject = [\"action\"]\noptions = \"bpf\"\n",
        );
        let all = dup.join("\n");
        assert!(
            all.contains("schema/tcmsg.toml: tc-plugin bpf (action): duplicate kind"),
            "{all}"
        );
        assert!(!all.contains("(filter): duplicate"), "{all}");
        let both = errors_with(
            "\n[[tc-plugin]]\nkind = \"bpf2\"\nobject = [\"filter\", \"action\"]\noptions = \"bpf\"\n",
        );
        assert!(
            both.join("\n")
                .contains("tc-plugin bpf2: objects [\"filter\", \"action\"]: an action's options"),
            "{both:?}"
        );
    }
}
