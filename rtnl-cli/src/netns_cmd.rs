//! `rtnl netns list | add NAME | del NAME | identify [PID] | pids NAME | attach NAME PID |
//! exec NAME CMD...`, as `ip netns` does, over `rtnl_core::netns`.
//!
//! `exec` moves this (single-threaded) process's only thread into the namespace and then runs
//! the command, which inherits it; unlike `ip netns exec` it does not remount `/sys` or bind
//! `/etc/netns/NAME` files.

use std::io::Write;

use rtnl_api::{Netns, Result, netns};
use rtnl_core::{ArgError, Error};

fn io(e: std::io::Error) -> Error {
    Error::io("write stdout", e)
}

fn name_arg<'a>(words: &'a [String], i: usize, what: &str) -> Result<&'a str> {
    words
        .get(i)
        .map(String::as_str)
        .ok_or_else(|| ArgError::new("netns", format!("{what} needs a namespace NAME")).into())
}

/// Runs `rtnl netns WORDS...`; returns the exit code of `exec`'s command when there is one.
pub fn run(words: &[String], out: &mut dyn Write) -> Result<Option<i32>> {
    match words.first().map(String::as_str) {
        None | Some("list" | "show" | "ls") => {
            for name in netns::list()? {
                writeln!(out, "{name}").map_err(io)?;
            }
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
                format!("{other:?} is not a netns command (list, add, del, identify, pids, attach, exec)"),
            )
            .into());
        }
    }
    Ok(None)
}
