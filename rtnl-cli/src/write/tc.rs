//! tc's write commands: `qdisc|class|filter add|delete|change|replace|link` and
//! `chain add|delete|get|show` (tc_filter.c's `do_chain`: a filter's header words, a kind
//! naming the chain's template) in tc's words
//! (tc/tc_qdisc.c, tc_class.c, tc_filter.c for the header words: `dev`, `root`, `ingress`,
//! `clsact`, `egress`, `parent`, `handle`, `classid`, `prio`, `protocol`, `chain`), the
//! kind's own words passed on as `IPRoute::tc` keywords (`htb default 20`, `rate 5mbit`,
//! u32's `match ip dst 10.0.0.0/24 flowid 1:10`), which rtnl-api checks and encodes.

use rtnl_api::{Args, IPRoute, Value};
use rtnl_core::spec::TcUnit;

use super::{Call, Failure, Names, Words, matches};
use crate::Object;

/// TC_H_ROOT, TC_H_INGRESS (= TC_H_CLSACT) and the clsact minors.
const TC_H_ROOT: u32 = 0xffff_ffff;
const TC_H_INGRESS: u32 = 0xffff_fff1;
const TC_H_MIN_INGRESS: u32 = 0xfff2;
const TC_H_MIN_EGRESS: u32 = 0xfff3;

/// One tc request: `IPRoute::tc(cmd, kind, ifindex, handle, kw)`.
#[derive(Debug, Clone, PartialEq)]
pub struct TcCall {
    /// rtnl-api's command (`add`, `add-class`, `del-filter` ...).
    pub cmd: String,
    /// The kind (`""`: none).
    pub kind: String,
    /// The device.
    pub ifindex: u32,
    /// The handle (`Value::Int(0)`: none).
    pub handle: Value,
    /// The header and kind keywords.
    pub kw: Args,
}

/// tc's `get_tc_classid`: `root`, `none`, `MAJ:MIN` or `MAJ:` (hex).
fn classid(s: &str) -> Option<u32> {
    match s {
        "root" => Some(TC_H_ROOT),
        "none" => Some(0),
        _ => crate::parse_handle(s).or_else(|| {
            let v = u32::from_str_radix(s, 16).ok()?;
            (v <= 0xffff).then_some(v)
        }),
    }
}

/// tc's `get_qdisc_handle`: `MAJ[:]` (hex), `none`.
fn qdisc_handle(s: &str) -> Option<u32> {
    if s == "none" {
        return Some(0);
    }
    let maj = s.split(':').next()?;
    let v = u32::from_str_radix(maj, 16).ok()?;
    (v < 0x10000).then_some(v << 16)
}

/// Parses `qdisc|class|filter COMMAND ...`.
pub fn parse(
    object: Object,
    cmd: &'static str,
    w: &mut Words<'_>,
    names: &mut dyn Names,
) -> Result<Call, Failure> {
    let obj = match object {
        Object::Class => "class",
        Object::Filter => "filter",
        Object::Chain => "chain",
        _ => "qdisc",
    };
    if cmd == "help" && obj == "chain" {
        // tc's chain_usage() returns 0.
        return Err(Failure {
            code: 0,
            msg: super::help::CHAIN.trim_end().to_string(),
            exits: false,
        });
    }
    if cmd == "help" {
        return Ok(Call::Usage(super::help::TC));
    }
    // A chain's header words are a filter's (tc_filter_modify serves both).
    let filterish = matches!(obj, "filter" | "chain");
    let mut dev: Option<&str> = None;
    let mut parent: Option<u32> = None;
    let mut handle = Value::Int(0);
    let mut kind: Option<&str> = None;
    let mut kw = Args::new();
    while let Some(word) = w.next() {
        match word {
            "dev" => {
                let v = w.arg()?;
                if dev.is_some() {
                    return Err(Failure::fatal(format!(
                        "Error: duplicate \"dev\": \"{v}\" is the second value."
                    )));
                }
                dev = Some(v);
            }
            "root" => set_parent(&mut parent, TC_H_ROOT)?,
            "ingress" | "clsact" if obj == "qdisc" => {
                set_parent(&mut parent, TC_H_INGRESS)?;
                kind = Some(word);
                break;
            }
            "ingress" | "egress" if filterish => {
                let min = if word == "ingress" {
                    TC_H_MIN_INGRESS
                } else {
                    TC_H_MIN_EGRESS
                };
                set_parent(&mut parent, (TC_H_INGRESS & 0xffff_0000) | min)?;
            }
            "parent" => {
                let v = w.arg()?;
                if parent.is_some() {
                    return Err(Failure::fatal(format!(
                        "Error: duplicate \"parent\": \"{v}\" is the second value."
                    )));
                }
                parent = Some(classid(v).ok_or_else(|| Failure::invarg("invalid parent ID", v))?);
            }
            "handle" if obj == "qdisc" => {
                let v = w.arg()?;
                handle = Value::Int(
                    qdisc_handle(v).ok_or_else(|| Failure::invarg("invalid qdisc ID", v))? as i128,
                );
            }
            "classid" if obj == "class" => {
                let v = w.arg()?;
                handle = Value::Int(
                    classid(v).ok_or_else(|| Failure::invarg("invalid class ID", v))? as i128,
                );
            }
            "handle" if obj == "filter" => handle = Value::from(w.arg()?),
            _ if filterish && (matches(word, "preference") || matches(word, "priority")) => {
                let v = w.arg()?;
                kw = kw.with("prio", super::uint(v, 0xffff, "invalid priority value")?);
            }
            _ if filterish && matches(word, "protocol") => {
                kw = kw.with("protocol", Value::from(w.arg()?));
            }
            "chain" if filterish => {
                let v = w.arg()?;
                if kw.get("chain").is_some() {
                    return Err(Failure::fatal(format!(
                        "Error: duplicate \"chain\": \"{v}\" is the second value."
                    )));
                }
                kw = kw.with(
                    "chain",
                    super::uint(v, u32::MAX as u64, "invalid chain index value")?,
                );
            }
            _ if matches(word, "help") => return Ok(Call::Usage(super::help::TC)),
            _ => {
                kind = Some(word);
                break;
            }
        }
    }
    if let Some(p) = parent {
        kw = kw.with("parent", Value::Int(p as i128));
    } else if obj == "qdisc" {
        kw = kw.with("parent", Value::Int(0));
    }
    let kind = kind.unwrap_or("");
    if !kind.is_empty() {
        kw = kind_words(kind, obj, w, kw, names)?;
    } else if let Some(x) = w.next() {
        return Err(Failure::arg(format!(
            "Garbage instead of arguments \"{x} ...\". Try \"tc {obj} help\"."
        )));
    }
    let ifindex = match dev {
        Some(d) => names.need(d)?,
        None => 0,
    };
    let api = match (cmd, obj) {
        (c, "qdisc") => c.to_string(),
        (c, o) => format!("{c}-{o}"),
    };
    let call = TcCall {
        cmd: api,
        kind: kind.to_string(),
        ifindex,
        handle,
        kw,
    };
    Ok(if obj == "chain" {
        Call::Chain(call)
    } else {
        Call::Tc(call)
    })
}

/// A second `root`/`parent`: tc's complaint.
fn set_parent(parent: &mut Option<u32>, v: u32) -> Result<(), Failure> {
    if parent.is_some() {
        return Err(Failure::arg("Error: \"root\" is duplicate parent ID"));
    }
    *parent = Some(v);
    Ok(())
}

/// Words of u32 that end a clause (`match`, `sample`, `offset`, `hashkey`, `police`).
const U32_WORDS: &[&str] = &[
    "match", "classid", "flowid", "target", "link", "divisor", "ht", "hashkey", "sample", "offset",
    "indev", "order", "action", "police", "skip_hw", "skip_sw", "help",
];

/// The kind's words as its keywords: `KEY VALUE` pairs (flags alone), u32's own (see
/// [`u32_words`]), a filter's `action ...` list through the actions' reader
/// ([`action_list`](super::tc_action::action_list)); a word the kind does not have is tc's
/// `What is "X"?` (exit 1).
fn kind_words(
    kind: &str,
    obj: &str,
    w: &mut Words<'_>,
    mut kw: Args,
    names: &mut dyn Names,
) -> Result<Args, Failure> {
    if kind == "u32" && obj == "filter" {
        return u32_words(w, kw, names);
    }
    let plugin = rtnl_api::request::tc::plugin(kind, obj).ok();
    while let Some(word) = w.next() {
        if word == "action" && obj == "filter" {
            filter_actions(w, &mut kw, names)?;
            continue;
        }
        // tbf's other names of its burst.
        let word = match (kind, word) {
            ("tbf", "buffer" | "maxburst") => "burst",
            _ => word,
        };
        let unit = plugin.and_then(|p| {
            p.params
                .iter()
                .find(|q| q.key == word || q.aliases.contains(&word))
                .map(|q| q.unit)
                .or_else(|| {
                    p.ratespecs
                        .iter()
                        .any(|r| r.key == word || r.burst == Some(word))
                        .then_some(TcUnit::Rate)
                })
        });
        let unit = unit.or_else(|| {
            rtnl_api::request::tc::routine_keyword(kind, word)
                .map(|flag| if flag { TcUnit::Flag } else { TcUnit::Size })
        });
        match unit {
            Some(TcUnit::Flag) => kw = kw.with(word, Value::Bool(true)),
            // tc reads a list up to the next keyword (mqprio's `map 0 0 1 1`, `min_rate 1mbit
            // 2mbit`, `fp E P`, taprio's `max-sdu 0 300`).
            Some(TcUnit::List | TcUnit::Words) => {
                let mut items = vec![w.arg()?];
                while let Some(n) = w.peek() {
                    if is_keyword(plugin, kind, n) {
                        break;
                    }
                    items.push(n);
                    w.next();
                }
                kw = kw.with(word, Value::from(items.join(" ")));
            }
            Some(_) => kw = kw.with(word, Value::from(w.arg()?)),
            None if plugin.is_none() => kw = kw.with(word, Value::from(w.arg()?)),
            None => return Err(Failure::arg(format!("What is \"{word}\"?"))),
        }
    }
    Ok(kw)
}

/// Whether `word` is one of the kind's keywords (which ends a list value).
fn is_keyword(plugin: Option<&rtnl_core::spec::TcPluginSpec>, kind: &str, word: &str) -> bool {
    plugin.is_some_and(|p| {
        p.params
            .iter()
            .any(|q| q.key == word || q.aliases.contains(&word))
            || p.ratespecs
                .iter()
                .any(|r| r.key == word || r.burst == Some(word))
    }) || rtnl_api::request::tc::routine_keyword(kind, word).is_some()
}

/// The words up to the next u32 word.
fn u32_clause<'a>(w: &mut Words<'a>) -> Vec<&'a str> {
    let mut clause = Vec::new();
    while let Some(n) = w.peek() {
        if U32_WORDS.contains(&n) {
            break;
        }
        clause.push(n);
        w.next();
    }
    clause
}

/// A filter's `action ...` list (tc's parse_action, up to flowid/classid), appended to the
/// `action` keyword in the words' place. A refusal is the filter's: exit 1, or 255 where tc
/// exits at once.
fn filter_actions(w: &mut Words<'_>, kw: &mut Args, names: &mut dyn Names) -> Result<(), Failure> {
    let more = super::tc_action::action_list(w, &["flowid", "classid"], names)
        .map_err(|f| if f.exits { f } else { Failure::arg(f.msg) })?;
    if more.is_empty() {
        return Err(Failure::arg("Illegal \"action\""));
    }
    let mut acts = match kw.get("action") {
        Some(Value::List(l)) => l.clone(),
        _ => Vec::new(),
    };
    acts.extend(more);
    kw.set("action", Value::List(acts));
    Ok(())
}

/// u32's words (tc/f_u32.c `u32_parse_opt`) as rtnl-api's u32 keywords: `match` clauses as
/// one list (where the first was: a `match mark` is written there), `sample` (with its own
/// `divisor N`), `offset`, `hashkey` as their words, `police` as a map of its words;
/// classid/flowid, link, divisor, ht, order, indev with their value; skip_hw, skip_sw; an
/// `action ...` list.
fn u32_words(w: &mut Words<'_>, mut kw: Args, names: &mut dyn Names) -> Result<Args, Failure> {
    let mut matches_: Vec<Value> = Vec::new();
    let incomplete = || Failure::fatal("Command line is not complete. Try option \"help\"");
    while let Some(word) = w.next() {
        let key = [
            "match", "offset", "hashkey", "classid", "divisor", "order", "police",
        ]
        .into_iter()
        .find(|k| matches(word, k))
        .unwrap_or(word);
        // tc's NEXT_ARG() after each of these words.
        if ["match", "sample", "offset", "hashkey", "police"].contains(&key) && w.peek().is_none() {
            return Err(incomplete());
        }
        match key {
            "match" => {
                if matches_.is_empty() {
                    kw.set("match", Value::List(Vec::new()));
                }
                matches_.push(Value::from(u32_clause(w).join(" ")));
            }
            "sample" | "offset" | "hashkey" => {
                let mut clause = u32_clause(w);
                if key == "sample" && w.peek() == Some("divisor") {
                    w.next();
                    clause.extend(["divisor", w.arg()?]);
                    // tc reads on after a sample's divisor (another NEXT_ARG()).
                    if w.peek().is_none() {
                        return Err(incomplete());
                    }
                }
                kw = kw.with(key, Value::from(clause.join(" ")));
            }
            "police" => kw = kw.with(key, police_words(&u32_clause(w))?),
            "classid" | "flowid" | "link" | "divisor" | "ht" | "order" | "indev" => {
                kw = kw.with(key, Value::from(w.arg()?));
            }
            "skip_hw" | "skip_sw" => kw = kw.with(key, Value::Bool(true)),
            "action" => filter_actions(w, &mut kw, names)?,
            _ => return Err(Failure::arg(format!("What is \"{word}\"?"))),
        }
    }
    if !matches_.is_empty() {
        kw.set("match", Value::List(matches_));
    }
    Ok(kw)
}

/// A filter's `police` words (tc/m_police.c) as the police action's keywords: `KEY VALUE`
/// pairs, `conform-exceed X[/Y]`, and a bare verdict (`drop`, `pass`, `goto chain N` ...) as
/// the exceed one.
fn police_words(words: &[&str]) -> Result<Value, Failure> {
    const VERDICTS: &[&str] = &[
        "reclassify",
        "drop",
        "shot",
        "continue",
        "pass",
        "ok",
        "pipe",
    ];
    let mut m = Args::new();
    let mut it = words.iter().copied();
    while let Some(word) = it.next() {
        let mut val = || {
            it.next()
                .ok_or_else(|| Failure::fatal("Command line is not complete. Try option \"help\""))
        };
        m = match word {
            "goto" => {
                let (c, n) = (val()?, val()?);
                m.with("exceed", format!("goto {c} {n}"))
            }
            _ if VERDICTS.iter().any(|v| matches(word, v)) => m.with("exceed", word),
            "conform-exceed" => m.with("conform_exceed", val()?),
            _ => m.with(word, val()?),
        };
    }
    Ok(Value::from(m))
}

/// NLM_F_CREATE.
const NLM_F_CREATE: u16 = 0x400;

/// Runs one tc request. Where tc's flags are not rtnl-api's (pyroute2's), the body is encoded
/// by `request::tc` and sent here with tc's: `change` has none but REQUEST|ACK (rtnl-api:
/// NLM_F_REPLACE), `class replace` and `filter replace` NLM_F_CREATE alone (rtnl-api:
/// REPLACE|CREATE; tc_class.c and tc_filter.c send no NLM_F_REPLACE). `qdisc replace` is
/// CREATE|REPLACE in both.
pub fn execute(ipr: &mut IPRoute, c: TcCall) -> Result<(), Failure> {
    let flags = match c.cmd.as_str() {
        "change" | "change-class" | "change-filter" => 0,
        "replace-filter" | "replace-class" => NLM_F_CREATE,
        _ => {
            return ipr
                .tc(&c.cmd, &c.kind, c.ifindex, c.handle, c.kw)
                .map(drop)
                .map_err(|e| Failure::from_error(&e));
        }
    };
    let env = rtnl_api::request::tc::TcEnv {
        clock: rtnl_api::tc::units::Psched::read(),
        link_mbit: None,
    };
    let mut body = Vec::new();
    let r = rtnl_api::request::tc::tc(
        &mut body, &c.cmd, &c.kind, c.ifindex, &c.handle, &c.kw, ipr, &env,
    )
    .and_then(|cmd| {
        ipr.socket().request(cmd.msg_type, flags, |b| {
            b.extend_from_slice(&body);
            Ok(())
        })
    });
    r.map_err(|e| Failure::from_error(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_as_tc() {
        assert_eq!(classid("root"), Some(TC_H_ROOT));
        assert_eq!(classid("1:10"), Some(0x0001_0010));
        assert_eq!(classid("1:"), Some(0x0001_0000));
        assert_eq!(classid("zz"), None);
        assert_eq!(qdisc_handle("1:"), Some(0x0001_0000));
        assert_eq!(qdisc_handle("ffff"), Some(0xffff_0000));
        assert_eq!(qdisc_handle("10000:"), None);
        assert_eq!(qdisc_handle("zz:"), None);
    }

    use crate::write::tests::Fake;

    fn chain(line: &str, cmd: &'static str) -> Result<Call, Failure> {
        let w: Vec<String> = line.split_whitespace().map(str::to_string).collect();
        parse(Object::Chain, cmd, &mut Words::new(&w), &mut Fake)
    }

    #[test]
    fn chain_words_as_tc() {
        let Ok(Call::Chain(c)) = chain(
            "dev v0 ingress chain 2 protocol ip flower dst_mac 00:11:22:33:44:55",
            "add",
        ) else {
            panic!("not a chain call");
        };
        assert_eq!(
            (c.cmd.as_str(), c.kind.as_str(), c.ifindex),
            ("add-chain", "flower", 3)
        );
        assert_eq!(c.kw.get("chain"), Some(&Value::Int(2)));
        assert_eq!(c.kw.get("parent"), Some(&Value::Int(0xffff_fff2)));
        assert_eq!(c.kw.get("dst_mac"), Some(&Value::from("00:11:22:33:44:55")));
        assert!(
            matches!(chain("dev v0 egress", "dump"), Ok(Call::Chain(c)) if c.cmd == "dump-chain")
        );
        // tc's duparg and invarg exit 255; chain help is tc's usage, exit 0.
        assert_eq!(
            chain("dev v0 chain 1 chain 2", "add").unwrap_err().code,
            255
        );
        assert_eq!(chain("dev v0 chain x", "add").unwrap_err().code, 255);
        assert_eq!(chain("dev nosuch chain 1", "add").unwrap_err().code, 1);
        assert_eq!(chain("", "help").unwrap_err().code, 0);
    }

    #[test]
    fn filter_actions_in_their_place() {
        let w: Vec<String> = "dev v0 ingress prio 1 protocol ip u32 match ip dst 10.0.0.0/8 action mirred egress redirect dev v1 flowid 1:1"
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let Ok(Call::Tc(c)) = parse(Object::Filter, "add", &mut Words::new(&w), &mut Fake) else {
            panic!("not a tc call");
        };
        let keys: Vec<&str> = c.kw.keys().collect();
        assert_eq!(
            keys,
            ["prio", "protocol", "parent", "match", "action", "flowid"]
        );
        // A bad action inside a filter is the filter's refusal (exit 1).
        let w: Vec<String> =
            "dev v0 u32 match ip dst 10.0.0.0/8 action mirred egress redirect dev nosuch"
                .split_whitespace()
                .map(str::to_string)
                .collect();
        assert_eq!(
            parse(Object::Filter, "add", &mut Words::new(&w), &mut Fake)
                .unwrap_err()
                .code,
            1
        );
    }
}
