//! `rtnl`: an ip(8)-like command line over rtnl-api.
//!
//! `rtnl [-j] [--raw] [-s] [-4|-6] [-n NETNS] OBJECT show [dev NAME] [table N]` for OBJECT in
//! link, addr, route, rule, neigh, ntable, qdisc, class, filter, and the bridge tool's mdb, vlan
//! and vni. Text output follows `ip`/`tc`; `-j` prints JSON with `ip -j`'s (`bridge -j`'s) key
//! names; `--raw` prints every message as header fields plus `attrs` as `[NAME, value]` pairs,
//! nests nested (pyroute2's shape), so nothing the kernel sent is hidden.

mod show;

use std::process::ExitCode;

use rtnl_cli::{Object, ParseError, ShowArgs};

fn main() -> ExitCode {
    let cli = match rtnl_cli::parse(std::env::args_os()) {
        Ok(c) => c,
        Err(ParseError::Clap(e)) => e.exit(),
        Err(ParseError::Args(e)) => {
            eprintln!("rtnl: {e}");
            return ExitCode::from(2);
        }
    };
    let args: ShowArgs = cli.args;
    let ipr = match &cli.netns {
        Some(ns) => rtnl_api::IPRoute::in_netns(ns),
        None => rtnl_api::IPRoute::new(),
    };
    let mut ipr = match ipr {
        Ok(i) => i,
        Err(e) => {
            eprintln!("rtnl: {e}");
            return ExitCode::FAILURE;
        }
    };
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    let r = match cli.object {
        Object::Link => show::link(&mut ipr, &args, &mut out, false),
        Object::Addr => show::link(&mut ipr, &args, &mut out, true),
        Object::Route => show::route(&mut ipr, &args, &mut out),
        Object::Rule => show::rule(&mut ipr, &args, &mut out),
        Object::Neigh => show::neigh(&mut ipr, &args, &mut out),
        Object::Qdisc => show::tc(&mut ipr, &args, &mut out, show::TcObject::Qdisc),
        Object::Class => show::tc(&mut ipr, &args, &mut out, show::TcObject::Class),
        Object::Filter => show::tc(&mut ipr, &args, &mut out, show::TcObject::Filter),
        Object::Mdb => show::mdb(&mut ipr, &args, &mut out),
        Object::Vlan => show::vlan(&mut ipr, &args, &mut out),
        Object::Vni => show::vni(&mut ipr, &args, &mut out, cli.stats),
        Object::Ntable => show::ntable(&mut ipr, &args, &mut out),
    };
    use std::io::Write;
    let r = r.and_then(|()| {
        out.flush()
            .map_err(|e| rtnl_core::Error::io("write stdout", e))
    });
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(rtnl_core::Error::Io { source, .. })
            if source.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("rtnl: {e}");
            ExitCode::FAILURE
        }
    }
}
