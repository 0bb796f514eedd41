//! `rtnl netns list | add NAME | del NAME | set NAME NETNSID | identify [PID] | pids NAME |
//! attach NAME PID | exec NAME CMD... | list-id [target-nsid ID] [nsid ID] | help`, as `ip netns`
//! does, over `rtnl_core::netns` and rtnl-api's namespace ids (`IPRoute::nsid`). `list` and
//! `list-id` print text and `-j` from the same printer calls.
//!
//! `exec` moves this (single-threaded) process's only thread into the namespace and then runs
//! the command, which inherits it; unlike `ip netns exec` it does not remount `/sys` or bind
//! `/etc/netns/NAME` files.

use std::io::Write;

use std::os::fd::AsRawFd;

use rtnl_api::{IPRoute, Netns, Result, kw, netns};
use rtnl_core::{ArgError, Error};

use crate::print::Printer;

/// `rtnl netns help`: the usage, printed on stderr with status 255 as `ip netns help` does.
pub const USAGE: &str = "Usage:\trtnl netns list
\trtnl netns add NAME
\trtnl netns attach NAME PID
\trtnl netns set NAME NETNSID
\trtnl netns delete NAME
\trtnl netns identify [PID]
\trtnl netns pids NAME
\trtnl netns exec NAME cmd ...
\trtnl netns list-id [target-nsid POSITIVE-INT] [nsid POSITIVE-INT]
NETNSID := auto | POSITIVE-INT
";

fn io(e: std::io::Error) -> Error {
    Error::io("write stdout", e)
}

fn name_arg<'a>(words: &'a [String], i: usize, what: &str) -> Result<&'a str> {
    words
        .get(i)
        .map(String::as_str)
        .ok_or_else(|| ArgError::new("netns", format!("{what} needs a namespace NAME")).into())
}

/// The id this namespace gave the named namespace `name`, if any (`ip netns list`'s `(id: N)`).
fn nsid_of(ipr: &mut IPRoute, name: &str) -> Option<i32> {
    let f = std::fs::File::open(Netns::Name(name.to_string()).path()).ok()?;
    let m = ipr.get_netnsid(kw! { fd: f.as_raw_fd() }).ok().flatten()?;
    m.view().nsid().ok().flatten().filter(|n| *n >= 0)
}

/// `netns list`: each name, with `(id: N)` where this namespace has given it an id.
fn list(p: &mut Printer) -> Result<()> {
    let mut ipr = IPRoute::new().ok();
    p.start();
    for name in netns::list()? {
        p.open_object("");
        p.print("name", "{}", name.as_str());
        if let Some(id) = ipr.as_mut().and_then(|i| nsid_of(i, &name)) {
            p.print("id", " (id: {})", id);
        }
        p.close_object();
        p.nl();
    }
    p.end_all();
    Ok(())
}

/// `netns set NAME NETNSID|auto`: gives the namespace an id here (the kernel picks for `auto`).
/// Errors as ip's: a bad id is `invarg` (status 255), a missing namespace status 1.
fn set(words: &[String]) -> Result<Option<i32>> {
    let name = name_arg(words, 1, "set")?;
    let id = match words.get(2).map(String::as_str) {
        Some("auto") => -1,
        Some(w) => match w.parse::<i64>() {
            Ok(n) if (0..=i64::from(i32::MAX)).contains(&n) => n,
            _ => {
                eprintln!("Error: argument \"{w}\" is wrong: Invalid \"netnsid\" value");
                return Ok(Some(255));
            }
        },
        None => return Err(ArgError::new("set", "needs NAME NETNSID").into()),
    };
    let f = match std::fs::File::open(Netns::Name(name.to_string()).path()) {
        Ok(f) => f,
        Err(e) => {
            let e = std::io::Error::from_raw_os_error(e.raw_os_error().unwrap_or(0));
            let why = e.to_string();
            let why = why.split(" (os error").next().unwrap_or_default();
            eprintln!("Cannot open network namespace \"{name}\": {why}");
            return Ok(Some(1));
        }
    };
    IPRoute::new()?.set_netnsid(kw! { nsid: id, fd: f.as_raw_fd() })?;
    Ok(None)
}

/// `netns list-id [target-nsid ID] [nsid ID]`: the ids this namespace (or the one with id
/// `target-nsid`) gave, with the name of the namespace where one of /run/netns has it.
fn list_id(words: &[String], p: &mut Printer) -> Result<()> {
    let mut target = None;
    let mut only = None;
    let mut it = words[1..].iter();
    while let Some(w) = it.next() {
        let slot = match w.as_str() {
            "target-nsid" => &mut target,
            "nsid" => &mut only,
            other => {
                return Err(ArgError::new(
                    "list-id",
                    format!("{other:?} is not target-nsid or nsid"),
                )
                .into());
            }
        };
        let v = it
            .next()
            .and_then(|v| v.parse::<u32>().ok())
            .filter(|v| *v <= i32::MAX as u32);
        *slot =
            Some(v.ok_or_else(|| ArgError::new(w.as_str(), "needs a positive integer"))? as i32);
    }
    let mut ipr = IPRoute::new()?;
    let mut names = Vec::new();
    for name in netns::list()? {
        if let Some(id) = nsid_of(&mut ipr, &name) {
            names.push((id, name));
        }
    }
    let mut ids = Vec::new();
    let args = match target {
        Some(t) => kw! { target_nsid: t },
        None => rtnl_api::Args::new(),
    };
    ipr.nsid("dump", args)?.for_each(|m| {
        if let Some(n) = m.nsid()? {
            ids.push((n, m.current_nsid()?));
        }
        Ok(())
    })?;
    p.start();
    for (n, current) in ids
        .into_iter()
        .filter(|(n, _)| only.is_none_or(|o| o == *n))
    {
        p.open_object("");
        p.print("nsid", "nsid {} ", n);
        if let Some(c) = current {
            p.print("current-nsid", "current-nsid {} ", c);
        }
        if target.is_none()
            && let Some((_, name)) = names.iter().find(|(id, _)| *id == n)
        {
            p.print("name", "(iproute2 netns name: {})", name.as_str());
        }
        p.close_object();
        p.nl();
    }
    p.end_all();
    Ok(())
}

/// Runs `rtnl netns WORDS...`; returns the exit code of `exec`'s command (or 255 for
/// `help`) when there is one. `json`/`pretty`: `-j`/`-p` for `list` and `list-id`.
pub fn run(words: &[String], json: bool, pretty: bool, out: &mut dyn Write) -> Result<Option<i32>> {
    match words.first().map(String::as_str) {
        None | Some("list" | "show" | "ls") => {
            let mut p = Printer::new(out, json, pretty);
            list(&mut p)?;
            p.finish().map_err(io)?;
        }
        Some("list-id") => {
            let mut p = Printer::new(out, json, pretty);
            list_id(words, &mut p)?;
            p.finish().map_err(io)?;
        }
        Some("set") => return set(words),
        Some("help") => {
            eprint!("{USAGE}");
            return Ok(Some(255));
        }
        Some("add") => {
            netns::create(name_arg(words, 1, "add")?)?;
        }
        Some("del" | "delete") => {
            netns::remove(name_arg(words, 1, "del")?)?;
        }
        Some("identify") => {
            let pid = match words.get(1) {
                Some(p) => p
                    .parse()
                    .map_err(|_| ArgError::new("pid", format!("{p:?} is not a process id")))?,
                None => std::process::id(),
            };
            if let Some(name) = netns::pid_to_ns(pid)? {
                writeln!(out, "{name}").map_err(io)?;
            }
        }
        Some("pids") => {
            let ns = Netns::Name(name_arg(words, 1, "pids")?.to_string());
            for pid in netns::ns_pids(&ns)? {
                writeln!(out, "{pid}").map_err(io)?;
            }
        }
        Some("attach") => {
            let name = name_arg(words, 1, "attach")?;
            let pid = words
                .get(2)
                .and_then(|p| p.parse().ok())
                .ok_or_else(|| ArgError::new("attach", "needs NAME PID"))?;
            netns::attach(name, pid)?;
        }
        Some("exec") => {
            let name = name_arg(words, 1, "exec")?;
            let Some((cmd, args)) = words.get(2..).and_then(|w| w.split_first()) else {
                return Err(ArgError::new("exec", "needs NAME CMD [ARGS...]").into());
            };
            netns::enter(&Netns::Name(name.to_string()))?;
            let status = std::process::Command::new(cmd)
                .args(args)
                .status()
                .map_err(|e| Error::io(format!("exec {cmd}"), e))?;
            return Ok(Some(status.code().unwrap_or(1)));
        }
        Some(other) => {
            return Err(ArgError::new(
                "netns",
                format!("{other:?} is not a netns command (list, add, del, set, identify, pids, attach, exec, list-id, help)"),
            )
            .into());
        }
    }
    Ok(None)
}
