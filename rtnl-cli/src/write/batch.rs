//! `rtnl [-force] -batch FILE` (`-` for stdin), and the front of every command line: ip's
//! object abbreviations (`rtnl r a ...`, `rtnl l s ...`) and its unknown-object message.
//!
//! A batch is read as ip reads it (`#` starts a comment, blank lines are skipped, `"..."`
//! quotes a word) and pipelined: address, route and rule lines are compiled into an
//! [`IPBatch`] and sent in chunks through the library's batch send (one `sendmsg` for many
//! requests, the ACKs read after); link lines and flushes run one at a time, as later lines may
//! name what they create. A refusal prints ip's message and `Command failed FILE:LINE`.
//!
//! Without `-force`, ip stops at the first refused line and so does rtnl, reporting that line
//! and exiting 1 as ip does; but netlink has no transactions, and the lines after it in the same
//! pipelined chunk (at most the socket's batch chunk, a link line or a flush always ends one)
//! were already sent and stay applied. With `-force` both run every line.

use std::collections::HashMap;
use std::io::Read;

use rtnl_api::{IPBatch, IPRoute};

use super::{Call, Failure, Names, execute_with, nearest, parse};
use crate::{Object, ShowArgs};

/// What the front of the command line decided.
#[derive(Debug)]
pub enum Front {
    /// The command is done (a batch ran, or the object was unknown): exit with this status.
    Done(u8),
    /// Go on with these arguments (the object word spelled out in full).
    Args(Vec<std::ffi::OsString>),
}

/// The objects in the order ip matches their prefixes, with the name clap knows them by.
const OBJECTS: &[(&str, &str)] = &[
    ("address", "addr"),
    ("route", "route"),
    ("rule", "rule"),
    ("neighbor", "neigh"),
    ("neighbour", "neigh"),
    ("ntable", "ntable"),
    ("link", "link"),
    ("monitor", "monitor"),
    ("netns", "netns"),
    ("netconf", "netconf"),
    ("nexthop", "nexthop"),
];

/// Other objects rtnl knows by their full name only (tc's and bridge's).
const EXACT: &[&str] = &[
    "addr",
    "neigh",
    "qdisc",
    "class",
    "filter",
    "action",
    "actions",
    "chain",
    "fdb",
    "brlink",
    "bridge-link",
    "mdb",
    "vlan",
    "vni",
    "nh",
];

/// The object a word names, as ip resolves prefixes.
pub fn object_word(w: &str) -> Option<&'static str> {
    if let Some(e) = EXACT.iter().find(|e| **e == w) {
        return Some(e);
    }
    OBJECTS
        .iter()
        .find(|(full, _)| super::matches(w, full))
        .map(|(_, name)| *name)
}

/// Options that take a value (so the value is not the object).
fn takes_value(o: &str) -> bool {
    matches!(o, "-n" | "--netns" | "-netns" | "-batch" | "--batch" | "-b")
}

/// Reads the global options ip reads before the object: `-batch FILE` runs the batch,
/// `-force` keeps going after a failure; the object word is spelled out.
pub fn front(argv: Vec<std::ffi::OsString>) -> Front {
    let words: Vec<String> = argv
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let mut batch: Option<String> = None;
    let mut force = false;
    let mut netns: Option<String> = None;
    let mut family = 0u8;
    let mut out: Vec<std::ffi::OsString> = Vec::new();
    let mut i = 1;
    out.push(argv[0].clone());
    while i < words.len() {
        let w = words[i].as_str();
        if !w.starts_with('-') || w == "-" {
            break;
        }
        match w {
            "-batch" | "--batch" | "-b" => {
                batch = words.get(i + 1).cloned();
                i += 2;
                continue;
            }
            "-force" | "--force" => {
                force = true;
                i += 1;
                continue;
            }
            _ => {}
        }
        match w {
            "-4" => family = 2,
            "-6" => family = 10,
            _ => {}
        }
        if matches!(w, "-n" | "--netns" | "-netns") {
            netns = words.get(i + 1).cloned();
        }
        out.push(argv[i].clone());
        if takes_value(w) {
            if let Some(v) = argv.get(i + 1) {
                out.push(v.clone());
            }
            i += 1;
        }
        i += 1;
    }
    if let Some(file) = batch {
        // The output options (`-j`, `-p`, `-d`, `-s` ...) as a show reads them: the look of
        // what the batch's get and show lines print.
        let look = crate::parse(
            out.iter()
                .cloned()
                .chain([std::ffi::OsString::from("link")]),
        )
        .map(|i| i.args)
        .unwrap_or(ShowArgs {
            family,
            ..Default::default()
        });
        return Front::Done(run_batch(&file, netns.as_deref(), &look, force));
    }
    if let Some(w) = words.get(i) {
        if super::matches(w, "help") {
            // ip help: the usage on stderr, exit 255.
            use clap::CommandFactory;
            eprintln!("{}", crate::Cli::command().render_help());
            return Front::Done(255);
        }
        match object_word(w) {
            Some(name) => out.push(name.into()),
            None => {
                let all: Vec<&str> = OBJECTS
                    .iter()
                    .map(|(f, _)| *f)
                    .chain(EXACT.iter().copied())
                    .collect();
                let mut msg = format!("Object \"{w}\" is unknown, try \"ip help\".");
                if let Some(s) = nearest(w, &all) {
                    msg.push_str(&format!(" (did you mean \"{s}\"?)"));
                }
                eprintln!("{msg}");
                return Front::Done(1);
            }
        }
        out.extend(argv[i + 1..].iter().cloned());
    }
    Front::Args(out)
}

/// Interface names resolved once per batch (a link line forgets them: it may rename or
/// delete).
struct Cache<'a> {
    ipr: &'a mut IPRoute,
    names: HashMap<String, Option<u32>>,
}

impl Names for Cache<'_> {
    fn index(&mut self, name: &str) -> Result<Option<u32>, Failure> {
        if let Some(i) = self.names.get(name) {
            return Ok(*i);
        }
        let i = self.ipr.index(name)?;
        self.names.insert(name.to_string(), i);
        Ok(i)
    }
}

/// Splits a batch line into words as ip's `makeargs` does: blanks separate, `"..."` or
/// `'...'` quote, `#` at the start of a word ends the line.
pub fn split_line(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None => match c {
                '"' | '\'' => {
                    quote = Some(c);
                    in_word = true;
                }
                '#' if !in_word => break,
                c if c.is_whitespace() => {
                    if in_word {
                        out.push(std::mem::take(&mut cur));
                        in_word = false;
                    }
                }
                c => {
                    cur.push(c);
                    in_word = true;
                }
            },
        }
    }
    if in_word {
        out.push(cur);
    }
    out
}

/// How many compiled requests are sent at a time.
const CHUNK: usize = 8192;

/// The pipelined requests not sent yet, with the line each came from.
struct Pending {
    batch: IPBatch,
    lines: Vec<usize>,
}

/// Runs a batch file and returns ip's exit status (1 when any line failed); `look` holds the
/// family (`-4`/`-6`) and how get and show lines print.
pub fn run_batch(file: &str, netns: Option<&str>, look: &ShowArgs, force: bool) -> u8 {
    let family = match look.family {
        17 => 0,
        f => f,
    };
    let text = if file == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map(|_| s)
    } else {
        std::fs::read_to_string(file)
    };
    let text = match text {
        Ok(t) => t,
        Err(e) => {
            eprintln!("Cannot open file \"{file}\" for reading: {e}");
            return 1;
        }
    };
    // `-n NETNS`: this one-threaded process moves into the namespace itself (as a show does
    // in main.rs), so what a show line opens besides this socket (the names of other
    // namespaces, for `link-netns NAME`) is opened there too.
    let entered = match netns {
        Some(ns) => rtnl_core::netns::enter(&rtnl_api::Netns::from(ns))
            .map_err(|e| Failure::arg(format!("Cannot open netlink socket: {e}"))),
        None => Ok(()),
    };
    let mut ipr = match entered.and_then(|()| super::open(None)) {
        Ok(i) => i,
        Err(f) => {
            eprintln!("{}", f.msg);
            return 1;
        }
    };
    let name = file;
    let mut failed = false;
    let mut names: HashMap<String, Option<u32>> = HashMap::new();
    let mut p = Pending {
        batch: IPBatch::new(),
        lines: Vec::new(),
    };
    for (n, line) in text.lines().enumerate() {
        let lineno = n + 1;
        let words = split_line(line);
        if words.is_empty() {
            continue;
        }
        let r = match batch_line(family, &mut ipr, &mut names, &mut p, &words) {
            Ok(None) => {
                p.lines.push(lineno);
                if p.lines.len() >= CHUNK {
                    flush(&mut ipr, &mut p, name, force)
                } else {
                    Ok(())
                }
            }
            Ok(Some(call)) => {
                // What came before this line goes first, as ip ran it first.
                let before = flush(&mut ipr, &mut p, name, force);
                if before.is_err() && !force {
                    return 1;
                }
                names.clear();
                let r = execute_with(&mut ipr, call, look).map_err(|f| {
                    eprintln!("{}", f.msg);
                    eprintln!("Command failed {name}:{lineno}");
                });
                before.and(r)
            }
            Err(f) => {
                let before = flush(&mut ipr, &mut p, name, force);
                if before.is_err() && !force {
                    return 1;
                }
                eprintln!("{}", f.msg);
                if f.exits {
                    // ip exit()s on these, batch or not.
                    return f.code;
                }
                if f.code == 0 {
                    // A message that is no failure (tc's `chain help`, `bad action KIND`).
                    continue;
                }
                eprintln!("Command failed {name}:{lineno}");
                Err(())
            }
        };
        if r.is_err() {
            failed = true;
            if !force {
                return 1;
            }
        }
    }
    if flush(&mut ipr, &mut p, name, force).is_err() {
        failed = true;
    }
    u8::from(failed)
}

/// Parses one line and pipelines it (`None`), or hands back what must run on its own (links,
/// flushes, help: later lines may depend on them).
fn batch_line(
    family: u8,
    ipr: &mut IPRoute,
    names: &mut HashMap<String, Option<u32>>,
    p: &mut Pending,
    words: &[String],
) -> Result<Option<Call>, Failure> {
    let Some(object) = object_word(&words[0]).and_then(object_of) else {
        return Err(Failure::arg(format!(
            "Object \"{}\" is unknown, try \"ip help\".",
            words[0]
        )));
    };
    let rest = &words[1..];
    if super::write_command(object, rest).is_none()
        && rest
            .first()
            .is_none_or(|w| super::show_command(object, w).is_some())
    {
        return Ok(Some(Call::Show(object, rest.to_vec())));
    }
    let call = {
        let mut cache = Cache {
            ipr,
            names: std::mem::take(names),
        };
        let r = parse(object, family, &words[1..], &mut cache);
        *names = cache.names;
        r?
    };
    let r = match call {
        Call::Route(c, a) => p.batch.route(c, a),
        Call::Addr(c, a) => p.batch.addr(c, a),
        Call::Rule(c, a) => p.batch.rule(c, a),
        Call::Neigh(c, a) => p.batch.neigh(c, a),
        Call::Nexthop(c, a) => p.batch.nexthop(c, a),
        other => return Ok(Some(other)),
    };
    r.map_err(|e| Failure::from_error(&e))?;
    Ok(None)
}

/// The clap object of a spelled-out object word (writes only).
fn object_of(name: &str) -> Option<Object> {
    Some(match name {
        "link" => Object::Link,
        "addr" => Object::Addr,
        "route" => Object::Route,
        "rule" => Object::Rule,
        "neigh" => Object::Neigh,
        "fdb" => Object::Fdb,
        "vlan" => Object::Vlan,
        "brlink" | "bridge-link" => Object::Brlink,
        "mdb" => Object::Mdb,
        "vni" => Object::Vni,
        "ntable" => Object::Ntable,
        "qdisc" => Object::Qdisc,
        "class" => Object::Class,
        "filter" => Object::Filter,
        "action" | "actions" => Object::Action,
        "chain" => Object::Chain,
        "nexthop" | "nh" => Object::Nexthop,
        _ => return None,
    })
}

/// Sends what is pending; each refusal prints ip's message and its line.
fn flush(ipr: &mut IPRoute, p: &mut Pending, name: &str, force: bool) -> Result<(), ()> {
    if p.lines.is_empty() {
        return Ok(());
    }
    let r = if force {
        p.batch.send(ipr)
    } else {
        p.batch.send_stop_at_first_error(ipr)
    };
    let lines = std::mem::take(&mut p.lines);
    p.batch.reset();
    match r {
        Ok(()) => Ok(()),
        Err(rtnl_core::Error::Batch(b)) => {
            let mut failures = b.failures.clone();
            failures.sort_by_key(|f| f.index);
            // Without -force ip stops at the first refusal: only that one is reported.
            if !force {
                failures.truncate(1);
            }
            for f in failures {
                eprintln!("{}", super::kernel_text(&f.error));
                eprintln!(
                    "Command failed {name}:{}",
                    lines.get(f.index).copied().unwrap_or(0)
                );
            }
            Err(())
        }
        Err(e) => {
            eprintln!("{}", Failure::from_error(&e).msg);
            Err(())
        }
    }
}
