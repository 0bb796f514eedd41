//! `rtnl`: an ip(8)-like command line over rtnl-api.
//!
//! `rtnl [-j [-p]] [-s [-s]] [-d] [-br] [-o] [-h] [-4|-6|-0] [--raw] [-n NETNS] OBJECT show
//! [SELECTORS]` for OBJECT in link, addr, route, rule, neigh, ntable, nexthop, qdisc, class, filter, and
//! the bridge tool's fdb, brlink (`bridge link`), mdb, vlan and vni; selectors as ip's (`dev`,
//! `up`, `type`, `master`, `label`, `scope`, `proto`, `via`, `table`, `nud`, `br`). Text and
//! `-j` print what `ip`/`tc`/`bridge` print, byte for byte, straight from the zero-copy views
//! through one printer (`print/`, objects in `show/`); `--raw` prints every message as header
//! fields plus `attrs` as `[NAME, value]` pairs, nests nested (pyroute2's shape), so nothing the
//! kernel sent is hidden.

mod monitor;
mod netns_cmd;
mod print;
mod show;

use std::process::ExitCode;

use rtnl_cli::{Object, ParseError, ShowArgs};

/// How many times a show command whose dumps keep being interrupted is run.
const ATTEMPTS: u32 = 8;

/// Runs `OBJECT show` until it reads every dump uninterrupted (or its last attempt, which keeps
/// what it read and warns as `ip` does), printing through one [`print::Printer`] on stdout:
/// what an interrupted attempt buffered is dropped, so a restart never shows an entry twice;
/// once output went out (more than a buffer's worth), the dump is kept as `ip` keeps it.
fn run(ipr: &mut rtnl_api::IPRoute, object: Object, args: &ShowArgs) -> rtnl_core::Result<()> {
    let mut stdout = std::io::stdout().lock();
    let mut p = print::Printer::new(&mut stdout, args.json, args.pretty);
    p.set_oneline(args.oneline);
    let policy = rtnl_core::proto::RestartPolicy::default();
    ipr.socket()
        .set_restart_policy(rtnl_core::proto::RestartPolicy {
            attempts: 1,
            ..policy
        });
    for attempt in 1..=ATTEMPTS {
        let a = ShowArgs {
            last_attempt: attempt == ATTEMPTS,
            ..args.clone()
        };
        p.reset();
        let r = show::object(ipr, object, &a, &mut p);
        match r {
            Err(rtnl_core::Error::DumpInterrupted { .. }) if !a.last_attempt && !p.spilled() => {
                std::thread::sleep(policy.delay(attempt));
            }
            r => {
                let done = p
                    .finish()
                    .map_err(|e| rtnl_core::Error::io("write stdout", e));
                return r.and(done);
            }
        }
    }
    Ok(())
}

/// `rtnl netns ...`: its output, or `exec`'s command's exit code.
/// `-n NETNS netns ...` runs in NETNS, as `ip -n NETNS netns ...` does.
fn netns_command(netns: Option<&str>, words: &[String], args: &ShowArgs) -> ExitCode {
    if let Some(ns) = netns
        && let Err(e) = rtnl_core::netns::enter(&rtnl_api::Netns::from(ns))
    {
        return report(Err(e));
    }
    let mut out = Vec::new();
    let r = netns_cmd::run(words, args.json, args.pretty, &mut out);
    use std::io::Write;
    let _ = std::io::stdout().write_all(&out);
    match r {
        Ok(Some(code)) => ExitCode::from(code.clamp(0, 255) as u8),
        Ok(None) => ExitCode::SUCCESS,
        Err(e) => report(Err(e)),
    }
}

/// The exit code of a result, with the error on stderr (as ip: 1 for a bad argument, 2 for a
/// kernel refusal).
fn report(r: rtnl_core::Result<()>) -> ExitCode {
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(rtnl_core::Error::Io { source, .. })
            if source.kind() == std::io::ErrorKind::BrokenPipe =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("rtnl: {e}");
            match e {
                rtnl_core::Error::Kernel(_) => ExitCode::from(2),
                _ => ExitCode::FAILURE,
            }
        }
    }
}

/// Write commands (ip's, bridge's and tc's objects), help and unknown command words
/// (write/): their exit status, or `None` for a show.
fn write_command(cli: &rtnl_cli::Invocation) -> Option<u8> {
    use rtnl_cli::write;
    let first = cli.words.first()?;
    if write::prints(cli.object, &cli.words) {
        return Some(get_command(cli));
    }
    if write::write_command(cli.object, &cli.words).is_some() {
        return Some(write::run(
            cli.netns.as_deref(),
            cli.args.family,
            cli.object,
            &cli.words,
        ));
    }
    if write::is_unknown_command(cli.object, first) {
        eprintln!("{}", write::unknown_command(cli.object, first).msg);
        return Some(255);
    }
    None
}

/// A batch's show line (`link show dev lo`): read as a command line's words would be, printed
/// with the batch's look.
fn batch_show(
    ipr: &mut rtnl_api::IPRoute,
    object: Object,
    words: &[String],
    look: &ShowArgs,
) -> Result<(), rtnl_cli::write::Failure> {
    use rtnl_cli::write::Failure;
    let mut words = words.to_vec();
    if let Some(w) = words.first_mut()
        && let Some(show) = rtnl_cli::write::show_command(object, w)
    {
        *w = show.to_string();
    }
    let args = rtnl_cli::parse_rest(object, &words, look.clone()).map_err(Failure::arg)?;
    run(ipr, object, &args).map_err(|e| match e {
        // A show's refusals carry ip's own words (`Device "X" does not exist.`).
        rtnl_core::Error::Arg(a) => Failure::arg(a.reason),
        e => Failure::from_error(&e),
    })
}

/// Prints a `neigh get` / `route get` / `fdb get` / `actions get|list` / `chain get|show`
/// answer, or a batch's show line, with `args`' look.
fn print_get(
    ipr: &mut rtnl_api::IPRoute,
    call: rtnl_cli::write::Call,
    args: &ShowArgs,
) -> Result<(), rtnl_cli::write::Failure> {
    use rtnl_cli::write::{self, Call, Failure};
    if let Call::Show(object, words) = &call {
        return batch_show(ipr, *object, words, args);
    }
    let mut out = std::io::stdout().lock();
    let mut p = print::Printer::new(&mut out, args.json, args.pretty);
    let r = match call {
        Call::NeighGet(kw) => show::neigh::get(ipr, kw, args, &mut p),
        Call::RouteGet(kw) => show::route::get(ipr, kw, args, &mut p),
        Call::FdbGet(kw, dynamic) => {
            let r = show::neigh::fdb_get(ipr, kw, dynamic, args, &mut p);
            let done = p.finish();
            // bridge's `fdb get` returns -2 for a kernel refusal: exit status 254.
            r.map_err(|e| Failure {
                code: 254,
                ..Failure::from_error(&e)
            })?;
            return done.map_err(|e| Failure::arg(e.to_string()));
        }
        Call::Action(c) if c.cmd == "get" || c.cmd == "dump" => {
            let r = show::tc_action::actions(ipr, c, args, &mut p);
            let done = p.finish();
            r?;
            return done.map_err(|e| Failure::arg(e.to_string()));
        }
        Call::Chain(c) if c.cmd == "get-chain" || c.cmd == "dump-chain" => {
            let r = show::tc_action::chains(ipr, c, args, &mut p);
            let done = p.finish();
            r?;
            return done.map_err(|e| Failure::arg(e.to_string()));
        }
        Call::NexthopGet(id) => show::nexthop::get(ipr, id, args, &mut p),
        Call::NexthopBucket(f) => show::nexthop::buckets(ipr, f, args, &mut p),
        other => return write::execute(ipr, other),
    };
    let done = p.finish();
    r.map_err(|e| Failure::from_error(&e))?;
    done.map_err(|e| Failure::arg(e.to_string()))
}

/// `neigh get` / `route get` / `fdb get`: parsed by write/, printed by show/; ip's exit status.
fn get_command(cli: &rtnl_cli::Invocation) -> u8 {
    use rtnl_cli::write;
    let r = write::open(cli.netns.as_deref()).and_then(|mut ipr| {
        let call = write::parse(cli.object, cli.args.family, &cli.words, &mut ipr)?;
        print_get(&mut ipr, call, &cli.args)
    });
    match r {
        Ok(()) => 0,
        Err(f) => {
            eprintln!("{}", f.msg);
            f.code
        }
    }
}

fn main() -> ExitCode {
    // `get` and show lines of a batch print as ip prints them (with the batch's -j, -p, -d).
    rtnl_cli::write::set_get_printer(print_get);
    // ip's front: `-batch FILE`, `-force`, object abbreviations (write/batch.rs).
    let argv = match rtnl_cli::write::batch::front(std::env::args_os().collect()) {
        rtnl_cli::write::batch::Front::Done(code) => return ExitCode::from(code),
        rtnl_cli::write::batch::Front::Args(a) => a,
    };
    let cli = match rtnl_cli::parse(argv) {
        Ok(c) => c,
        Err(ParseError::Clap(e)) => e.exit(),
        Err(ParseError::Args(e)) => {
            eprintln!("rtnl: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(code) = write_command(&cli) {
        return ExitCode::from(code);
    }
    let args: ShowArgs = cli.args;
    match cli.object {
        Object::Netns => return netns_command(cli.netns.as_deref(), &cli.words, &args),
        Object::Monitor if cli.words.first().is_some_and(|w| w == "help") => {
            eprint!("{}", monitor::USAGE);
            return ExitCode::from(255);
        }
        Object::Monitor => {
            let look = monitor::Look {
                json: args.json,
                timestamps: cli.timestamp,
            };
            // One write a event (flushed after each, as ip does), not one per line.
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            return report(monitor::run(
                cli.netns.as_deref(),
                &cli.words,
                look,
                &mut out,
            ));
        }
        _ => {}
    }
    // `-n NETNS`: this one-threaded process moves into the namespace itself, as ip does (no
    // helper thread to start and wait for: on a busy machine that hand-off alone costs ms).
    let ipr = match &cli.netns {
        Some(ns) => rtnl_core::netns::enter(&rtnl_api::Netns::from(ns.as_str()))
            .and_then(|()| rtnl_api::IPRoute::new()),
        None => rtnl_api::IPRoute::new(),
    };
    let mut ipr = match ipr {
        Ok(i) => i,
        Err(e) => {
            eprintln!("rtnl: {e}");
            return ExitCode::FAILURE;
        }
    };
    report(run(&mut ipr, cli.object, &args))
}
