//! tc's `actions` command (`rtnl actions add|change|replace|delete|get|list|flush`, tc/m_action.c)
//! and the one reader of tc's action words ([`action_list`]), which a filter's `action ...` list
//! goes through too: `[action] KIND ARGS [cookie HEX]`, repeated. Each action becomes the map
//! rtnl-api's action list takes (`{kind: "mirred", direction: "egress", action: "redirect",
//! dev: 4}`); rtnl-api checks and encodes it ([`IPRoute::tc_action`]).
//!
//! Exit statuses are tc's: every refusal of add/change/replace/delete/get/list is 255 (tc's
//! `do_action` returns -1), a refused flush 1.

use rtnl_api::request::tc::plugin;
use rtnl_api::{Args, IPRoute, Value};
use rtnl_core::spec::TcUnit;

use super::{Call, Failure, Names, Words, matches};

/// One `actions` request: `IPRoute::tc_action(cmd, kind, kw)`.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionCall {
    /// rtnl-api's command: add, change, replace, del, get, dump, flush.
    pub cmd: &'static str,
    /// The kind (`""` with `actions: [...]` in `kw` for add/change/replace).
    pub kind: String,
    /// The keywords (`actions`, or `index` for del/get).
    pub kw: Args,
}

/// The control verbs tc reads as a verdict (tc_util.c's `action_a2n`); a bare one is gact's.
const VERDICTS: &[&str] = &[
    "continue",
    "drop",
    "shot",
    "pass",
    "ok",
    "reclassify",
    "pipe",
    "goto",
    "jump",
    "trap",
];

/// Whether `w` is a verdict (`drop`, or the exceed half of police's `drop/pass`).
fn is_verdict(w: &str) -> bool {
    VERDICTS.contains(&w.split('/').next().unwrap_or(w))
}

/// tc's `parse_action_control`: a verdict word, with `goto chain N` and `jump N` taking more.
fn verdict(first: &str, w: &mut Words<'_>) -> Result<Value, Failure> {
    Ok(Value::from(match first {
        "goto" => {
            let c = w.arg()?;
            if c != "chain" {
                return Err(bad(format!("Bad action type goto {c}")));
            }
            format!("goto chain {}", w.arg()?)
        }
        "jump" => format!("jump {}", w.arg()?),
        v => v.to_string(),
    }))
}

/// A refusal where tc's parser returns -1 (exit 255 for `actions`, 1 inside a filter), as
/// opposed to [`Failure::fatal`]'s, where tc exits at once (255 everywhere).
fn bad(msg: impl Into<String>) -> Failure {
    Failure {
        code: 255,
        msg: msg.into(),
        exits: false,
    }
}

/// `index N` (tc's `get_u32`).
fn index(w: &mut Words<'_>) -> Result<Value, Failure> {
    let v = w.arg()?;
    match super::int(v) {
        Some(i) if (0..=i128::from(u32::MAX)).contains(&i) => Ok(Value::Int(i)),
        _ => Err(bad("Illegal \"index\"")),
    }
}

/// Reads actions in tc's words until a word of `stop` (a filter's `flowid`/`classid`) or the
/// end: each one `[action] KIND ARGS [cookie HEX]`, where KIND may be a bare verdict (`drop`:
/// gact's). A device (`mirred ... dev X`) is resolved here, so a missing one is tc's `Cannot
/// find device`. Refusals are tc's `actions` ones (exit 255).
pub fn action_list(
    w: &mut Words<'_>,
    stop: &[&str],
    names: &mut dyn Names,
) -> Result<Vec<Value>, Failure> {
    let mut out = Vec::new();
    let mut expecting = false;
    while let Some(word) = w.peek() {
        if stop.contains(&word) {
            break;
        }
        w.next();
        if word == "action" {
            expecting = true;
            continue;
        }
        expecting = false;
        let mut m: Vec<(String, Value)> = Vec::new();
        let kind = if is_verdict(word) {
            m.push(("action".into(), verdict(word, w)?));
            "gact"
        } else {
            word
        };
        m.insert(0, ("kind".into(), Value::from(kind)));
        match kind {
            "gact" => gact(w, &mut m)?,
            "mirred" => mirred(w, &mut m, names)?,
            _ => generic(kind, w, &mut m)?,
        }
        if w.peek() == Some("cookie") {
            w.next();
            let c = w.arg()?;
            if c.len() % 2 != 0 || c.len() > 32 || !c.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(Failure::invarg("cookie must be a hex string", c));
            }
            m.push(("cookie".into(), Value::from(c)));
        }
        if let Some(x) = w
            .peek()
            .filter(|x| matches(x, "hw_stats") || *x == "no_percpu")
        {
            return Err(Failure::fatal(format!(
                "Error: \"{x}\" is not supported by rtnl yet"
            )));
        }
        out.push(Value::Map(m));
    }
    if expecting {
        return Err(bad("bad action empty 1"));
    }
    Ok(out)
}

/// gact (tc/m_gact.c): `[gact] VERDICT [random determ|netrand VERDICT VAL] [index N]`.
fn gact(w: &mut Words<'_>, m: &mut Vec<(String, Value)>) -> Result<(), Failure> {
    if !m.iter().any(|(k, _)| k == "action") {
        let v = w.arg()?;
        if !is_verdict(v) {
            return Err(bad(format!("Bad action type {v}")));
        }
        m.push(("action".into(), verdict(v, w)?));
    }
    if w.peek() == Some("random") {
        w.next();
        let t = w.arg()?;
        let v = w.arg()?;
        let val = w.arg()?;
        m.push(("random".into(), Value::from(format!("{t} {v} {val}"))));
    }
    if w.peek().is_some_and(|x| matches(x, "index")) {
        w.next();
        m.push(("index".into(), index(w)?));
    }
    Ok(())
}

/// mirred (tc/m_mirred.c): `{egress|ingress} {mirror|redirect} [index N] dev DEV [VERDICT]`
/// (a verdict after a mirror only; after a redirect it is the next action, gact's).
fn mirred(
    w: &mut Words<'_>,
    m: &mut Vec<(String, Value)>,
    names: &mut dyn Names,
) -> Result<(), Failure> {
    let (mut dir, mut act, mut dev, mut mirror) = (false, false, false, false);
    let has_index = |m: &Vec<(String, Value)>| m.iter().any(|(k, _)| k == "index");
    while let Some(x) = w.peek() {
        match x {
            "egress" | "ingress" if !dir => {
                dir = true;
                m.push(("direction".into(), Value::from(x)));
            }
            "mirror" | "redirect" if !act => {
                act = true;
                mirror = x == "mirror";
                m.push(("action".into(), Value::from(x)));
            }
            "dev" if act => {
                w.next();
                let d = w.arg()?;
                let i = names
                    .index(d)?
                    .ok_or_else(|| bad(format!("Cannot find device \"{d}\"")))?;
                m.push(("dev".into(), Value::Int(i.into())));
                dev = true;
                break;
            }
            _ if matches(x, "index") && !has_index(m) => {
                w.next();
                m.push(("index".into(), index(w)?));
                continue;
            }
            _ => break,
        }
        w.next();
    }
    if !dir {
        return Err(bad(format!(
            "was expecting egress or ingress ({})",
            w.peek().unwrap_or("")
        )));
    }
    if !act || !dev {
        return Err(Failure::fatal(
            "mirred: need mirror or redirect and dev DEV",
        ));
    }
    // After the device: a mirror's verdict, then the index (unless given before).
    if mirror && let Some(x) = w.peek().filter(|x| is_verdict(x)) {
        w.next();
        m.push(("verdict".into(), verdict(x, w)?));
    }
    if w.peek().is_some_and(|x| matches(x, "index")) {
        if has_index(m) {
            return Err(bad("mirred: Illegal double index"));
        }
        w.next();
        m.push(("index".into(), index(w)?));
    }
    Ok(())
}

/// Any other kind of the schema: its keywords as `KEY VALUE` (a flag alone), `index N`, a
/// verdict (police's exceed[/conform] verdict as `conform-exceed`), and a first word that
/// is the kind's operation (`vlan pop`, `tunnel_key set`, `mpls push`) when it has one.
fn generic(kind: &str, w: &mut Words<'_>, m: &mut Vec<(String, Value)>) -> Result<(), Failure> {
    let p = plugin(kind, "action").map_err(|_| bad(format!("Bad action type {kind}")))?;
    let has = |k: &str| p.params.iter().any(|q| q.key == k);
    if has("op")
        && let Some(x) = w.peek()
        && !is_verdict(x)
        && x != "index"
    {
        w.next();
        m.push(("op".into(), Value::from(x)));
    }
    while let Some(x) = w.peek() {
        if matches(x, "index") && x.len() > 1 {
            w.next();
            m.push(("index".into(), index(w)?));
            continue;
        }
        if is_verdict(x) {
            w.next();
            let key = if kind == "police" {
                "conform-exceed"
            } else {
                "verdict"
            };
            m.push((key.into(), verdict(x, w)?));
            continue;
        }
        if kind == "police" && matches!(x, "conform-exceed" | "conform_exceed" | "action") {
            w.next();
            m.push(("conform-exceed".into(), Value::from(w.arg()?)));
            continue;
        }
        let unit = p
            .params
            .iter()
            .find(|q| q.key == x || q.aliases.contains(&x))
            .map(|q| q.unit)
            .or_else(|| {
                p.ratespecs
                    .iter()
                    .any(|r| r.key == x || r.burst == Some(x))
                    .then_some(TcUnit::Rate)
            });
        match unit {
            Some(TcUnit::Flag) => m.push((x.into(), Value::Bool(true))),
            Some(_) => {
                w.next();
                m.push((x.into(), Value::from(w.arg()?)));
                continue;
            }
            None => break,
        }
        w.next();
    }
    Ok(())
}

/// Parses `actions COMMAND ...` (`cmd` from the command table: add, change, replace, del, get,
/// dump, flush, help).
pub fn parse(cmd: &'static str, w: &mut Words<'_>, names: &mut dyn Names) -> Result<Call, Failure> {
    let call = |kind: &str, kw: Args| {
        Ok(Call::Action(ActionCall {
            cmd,
            kind: kind.to_string(),
            kw,
        }))
    };
    match cmd {
        "help" => Ok(Call::Usage(super::help::ACTION)),
        "add" | "change" | "replace" => {
            let acts = action_list(w, &[], names)?;
            if acts.is_empty() {
                return Err(Failure::fatal("Illegal \"action\""));
            }
            call("", Args::new().with("actions", Value::List(acts)))
        }
        "del" | "get" => {
            // tc skips the word after the command (`action`) unread.
            w.next();
            let mut found: Option<(&str, Value)> = None;
            while let Some(k) = w.next() {
                if k == "action" {
                    continue;
                }
                if plugin(k, "action").is_err() {
                    return Err(Failure::fatal(format!("Error: non existent action: {k}")));
                }
                if !w.next().is_some_and(|x| matches(x, "index")) {
                    return Err(Failure::fatal(format!(
                        "Error: no index specified action: {k}"
                    )));
                }
                let i = index(w)?;
                if found.is_some() {
                    return Err(Failure::fatal(
                        "Error: rtnl takes one action per delete or get",
                    ));
                }
                found = Some((k, i));
            }
            match found {
                Some((k, i)) => call(k, Args::new().with("index", i)),
                None => Err(Failure::fatal("Error: no action named")),
            }
        }
        _ => {
            // list, flush: `action KIND` (tc reads the second word after the command as the
            // kind, the first unread); fewer words is tc's usage.
            if w.rest().len() < 2 {
                return Ok(Call::Usage(super::help::ACTION));
            }
            w.next();
            let k = w.next().unwrap_or("");
            if plugin(k, "action").is_err() {
                // tc: "bad action KIND", nothing sent, exit 0.
                return Err(Failure {
                    code: 0,
                    msg: format!("bad action {k}"),
                    exits: false,
                });
            }
            call(k, Args::new())
        }
    }
}

/// Runs a write (`add`, `change`, `replace`, `del`, `flush`; `get` and `list` without their
/// printing), with tc's exit statuses and its `We have an error talking to the kernel`.
pub fn execute(ipr: &mut IPRoute, c: ActionCall) -> Result<(), Failure> {
    let cmd = c.cmd;
    ipr.tc_action(cmd, &c.kind, c.kw)
        .map(drop)
        .map_err(|e| failure(cmd, &e))
}

/// An rtnl-api error as tc reports it for `cmd`.
pub fn failure(cmd: &str, e: &rtnl_core::Error) -> Failure {
    let mut f = Failure::from_error(e);
    let kernel = matches!(e, rtnl_core::Error::Kernel(_));
    f.code = if cmd == "flush" && kernel { 1 } else { 255 };
    if kernel {
        f.msg.push_str(if cmd == "flush" {
            "\nWe have an error flushing"
        } else {
            "\nWe have an error talking to the kernel"
        });
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake;

    impl Names for Fake {
        fn index(&mut self, name: &str) -> Result<Option<u32>, Failure> {
            Ok((name == "v1").then_some(4))
        }
    }

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    fn list(s: &str, stop: &[&str]) -> Result<Vec<Value>, Failure> {
        let w = words(s);
        action_list(&mut Words::new(&w), stop, &mut Fake)
    }

    fn map(pairs: &[(&str, Value)]) -> Value {
        Value::Map(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn action_words_as_tc() {
        assert_eq!(
            list("action mirred egress redirect dev v1 index 3", &[]).unwrap(),
            vec![map(&[
                ("kind", Value::from("mirred")),
                ("direction", Value::from("egress")),
                ("action", Value::from("redirect")),
                ("dev", Value::Int(4)),
                ("index", Value::Int(3)),
            ])]
        );
        // A bare verdict is gact's; two actions; a filter's flowid ends the list.
        let v = list(
            "action drop index 5 action gact goto chain 3 flowid 1:1",
            &["flowid"],
        );
        assert_eq!(
            v.unwrap(),
            vec![
                map(&[
                    ("kind", Value::from("gact")),
                    ("action", Value::from("drop")),
                    ("index", Value::Int(5)),
                ]),
                map(&[
                    ("kind", Value::from("gact")),
                    ("action", Value::from("goto chain 3")),
                ]),
            ]
        );
        let p = list(
            "police rate 1mbit burst 10k conform-exceed drop/pipe index 1",
            &[],
        );
        assert_eq!(
            p.unwrap(),
            vec![map(&[
                ("kind", Value::from("police")),
                ("rate", Value::from("1mbit")),
                ("burst", Value::from("10k")),
                ("conform-exceed", Value::from("drop/pipe")),
                ("index", Value::Int(1)),
            ])]
        );
    }

    #[test]
    fn action_refusals_as_tc() {
        assert_eq!(
            list("action mirred egress redirect dev nosuch", &[])
                .unwrap_err()
                .code,
            255
        );
        assert_eq!(list("action foo", &[]).unwrap_err().code, 255);
        assert_eq!(list("action gact bogus", &[]).unwrap_err().code, 255);
        assert_eq!(list("action", &[]).unwrap_err().code, 255);
        let p = |s: &str, cmd| {
            let w = words(s);
            parse(cmd, &mut Words::new(&w), &mut Fake)
        };
        assert_eq!(p("action mirred", "get").unwrap_err().code, 255);
        assert_eq!(p("action nosuch index 1", "del").unwrap_err().code, 255);
        assert!(matches!(p("action", "dump"), Ok(Call::Usage(_))));
        assert_eq!(p("action nosuch", "dump").unwrap_err().code, 0);
        assert_eq!(
            p("action mirred index 3", "del").unwrap(),
            Call::Action(ActionCall {
                cmd: "del",
                kind: "mirred".into(),
                kw: Args::new().with("index", Value::Int(3)),
            })
        );
    }
}
