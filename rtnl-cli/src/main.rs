//! `rtnl`: an ip(8)-like command line over rtnl-api.
//!
//! `rtnl [-j] [--raw] [-s] [-4|-6] [-n NETNS] OBJECT show [dev NAME] [table N]` for OBJECT in
//! link, addr, route, rule, neigh, ntable, qdisc, class, filter, and the bridge tool's mdb, vlan
//! and vni. Text output follows `ip`/`tc`; `-j` prints JSON with `ip -j`'s (`bridge -j`'s) key
//! names; `--raw` prints every message as header fields plus `attrs` as `[NAME, value]` pairs,
//! nests nested (pyroute2's shape), so nothing the kernel sent is hidden.

mod show;

use std::process::ExitCode;

use clap::{Parser, ValueEnum};

/// rtnl: links, addresses, routes, rules, neighbours and traffic control over rtnetlink.
#[derive(Parser, Debug)]
#[command(
    name = "rtnl",
    version,
    about,
    after_help = "Examples:\n  rtnl addr show\n  rtnl -j route show table 100\n  rtnl -n blue link show dev veth0\n  rtnl --raw route show"
)]
struct Cli {
    /// JSON output with ip -j's key names.
    #[arg(short = 'j', long = "json", global = true)]
    json: bool,
    /// Every message raw: header fields and [NAME, value] attribute pairs.
    #[arg(long, global = true)]
    raw: bool,
    /// IPv4 only.
    #[arg(short = '4', global = true)]
    v4: bool,
    /// IPv6 only.
    #[arg(short = '6', global = true)]
    v6: bool,
    /// Statistics too (`vni`: per-VNI counters, as `bridge -s vni show`).
    #[arg(short = 's', long = "stats", global = true)]
    stats: bool,
    /// Run in the named network namespace (ip netns name or path).
    #[arg(short = 'n', long = "netns", global = true)]
    netns: Option<String>,
    /// The object.
    object: Object,
    /// The command (only `show`/`list` for now) and its arguments: `dev NAME`, `table N`.
    #[arg(trailing_var_arg = true)]
    rest: Vec<String>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Object {
    #[value(alias = "l")]
    Link,
    #[value(alias = "a", alias = "address")]
    Addr,
    #[value(alias = "r")]
    Route,
    #[value(alias = "ru")]
    Rule,
    #[value(alias = "n", alias = "neighbour", alias = "neighbor")]
    Neigh,
    Qdisc,
    Class,
    Filter,
    /// Bridge multicast database (`bridge mdb`).
    Mdb,
    /// Bridge VLAN database (`bridge vlan`).
    Vlan,
    /// VXLAN VNI filter (`bridge vni`).
    Vni,
    /// Neighbour tables (`ip ntable`).
    #[value(alias = "nt")]
    Ntable,
}

/// What `show` was asked for.
#[derive(Debug, Default, Clone)]
pub struct ShowArgs {
    /// `dev NAME`.
    pub dev: Option<String>,
    /// `table N|main|local|all`.
    pub table: Option<String>,
    /// `parent H:M`, `ingress`, `egress` (tc filters).
    pub parent: Option<u32>,
    /// 0, 2 or 10.
    pub family: u8,
    /// `-j`.
    pub json: bool,
    /// `--raw`.
    pub raw: bool,
    /// The command's last attempt: an interrupted dump is kept (with ip's warning) instead of
    /// failing the attempt.
    pub last_attempt: bool,
}

/// The selectors `OBJECT show` takes besides its command word (`dev` also as a bare name for
/// link and addr, as `ip link show eth0`).
fn selectors(object: Object) -> &'static [&'static str] {
    match object {
        Object::Link | Object::Addr => &["dev"],
        Object::Route => &["dev", "table"],
        Object::Rule => &["dev", "iif", "table"],
        Object::Filter => &["dev", "parent", "ingress", "egress", "root"],
        Object::Neigh
        | Object::Qdisc
        | Object::Class
        | Object::Mdb
        | Object::Vlan
        | Object::Vni
        | Object::Ntable => &["dev"],
    }
}

/// Words ip's `link show`/`addr show` read as filters, not device names: rtnl does not filter
/// on them yet, so they are refused rather than taken for a device.
const IP_FILTER_WORDS: &[&str] = &[
    "up",
    "type",
    "master",
    "nomaster",
    "vrf",
    "group",
    "label",
    "scope",
    "to",
    "primary",
    "secondary",
    "temporary",
    "dynamic",
    "permanent",
    "tentative",
    "deprecated",
    "dadfailed",
    "nodad",
    "mngtmpaddr",
    "noprefixroute",
    "autojoin",
    "home",
    "all",
    "alias",
];

fn parse_rest(object: Object, rest: &[String], mut a: ShowArgs) -> Result<ShowArgs, String> {
    let mut it = rest.iter();
    let takes = selectors(object);
    match it.next().map(String::as_str) {
        None | Some("show" | "list" | "ls" | "lst" | "sh") => {}
        Some(other) => {
            return Err(format!(
                "command {other:?} is not supported yet: only `show`"
            ));
        }
    }
    while let Some(w) = it.next() {
        let word = match w.as_str() {
            "tab" => "table",
            "iif" => "iif",
            other => other,
        };
        let bare_dev =
            matches!(object, Object::Link | Object::Addr) && !IP_FILTER_WORDS.contains(&word);
        if !takes.contains(&word) && !bare_dev {
            return Err(format!(
                "{w:?} is not a selector `{} show` takes here (it takes: {})",
                object_name(object),
                takes.join(", ")
            ));
        }
        match word {
            "dev" | "iif" => a.dev = Some(it.next().ok_or("dev needs a NAME")?.clone()),
            "table" => a.table = Some(it.next().ok_or("table needs a number or name")?.clone()),
            "ingress" => a.parent = Some(0xffff_fff2),
            "egress" => a.parent = Some(0xffff_fff3),
            "root" => a.parent = Some(0xffff_ffff),
            "parent" => {
                let h = it.next().ok_or("parent needs a handle like 1:")?;
                a.parent = Some(parse_handle(h).ok_or(format!("{h:?} is not a handle like 1:10"))?);
            }
            other if a.dev.is_none() => a.dev = Some(other.to_string()),
            other => {
                return Err(format!(
                    "either \"dev\" is duplicate, or {other:?} is a garbage"
                ));
            }
        }
    }
    Ok(a)
}

fn object_name(o: Object) -> String {
    o.to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default()
}

/// `1:10` -> 0x0001_0010, `ffff:` -> 0xffff_0000 (hex, as tc writes them).
fn parse_handle(h: &str) -> Option<u32> {
    let (maj, min) = h.split_once(':')?;
    let maj = if maj.is_empty() {
        0
    } else {
        u32::from_str_radix(maj, 16).ok()?
    };
    let min = if min.is_empty() {
        0
    } else {
        u32::from_str_radix(min, 16).ok()?
    };
    (maj <= 0xffff && min <= 0xffff).then_some((maj << 16) | min)
}

/// How many times a show command whose dumps keep being interrupted is run.
const ATTEMPTS: u32 = 8;

/// Runs `OBJECT show` until it reads every dump uninterrupted (or its last attempt, which keeps
/// what it read and warns as `ip` does), and returns the output: nothing of an interrupted
/// attempt is ever printed, so a restart can never show an entry twice.
fn run(
    ipr: &mut rtnl_api::IPRoute,
    object: Object,
    args: &ShowArgs,
    stats: bool,
) -> rtnl_core::Result<Vec<u8>> {
    let policy = rtnl_core::proto::RestartPolicy::default();
    // One attempt per dump: the whole command is what starts over.
    ipr.socket()
        .set_restart_policy(rtnl_core::proto::RestartPolicy {
            attempts: 1,
            ..policy
        });
    let mut out = Vec::new();
    for attempt in 1..=ATTEMPTS {
        let a = ShowArgs {
            last_attempt: attempt == ATTEMPTS,
            ..args.clone()
        };
        out.clear();
        match show_object(ipr, object, &a, &mut out, stats) {
            Err(rtnl_core::Error::DumpInterrupted { .. }) if !a.last_attempt => {
                std::thread::sleep(policy.delay(attempt));
            }
            r => return r.map(|()| out),
        }
    }
    Ok(out)
}

fn show_object(
    ipr: &mut rtnl_api::IPRoute,
    object: Object,
    args: &ShowArgs,
    out: &mut Vec<u8>,
    stats: bool,
) -> rtnl_core::Result<()> {
    match object {
        Object::Link => show::link(ipr, args, out, false),
        Object::Addr => show::link(ipr, args, out, true),
        Object::Route => show::route(ipr, args, out),
        Object::Rule => show::rule(ipr, args, out),
        Object::Neigh => show::neigh(ipr, args, out),
        Object::Qdisc => show::tc(ipr, args, out, show::TcObject::Qdisc),
        Object::Class => show::tc(ipr, args, out, show::TcObject::Class),
        Object::Filter => show::tc(ipr, args, out, show::TcObject::Filter),
        Object::Mdb => show::mdb(ipr, args, out),
        Object::Vlan => show::vlan(ipr, args, out),
        Object::Vni => show::vni(ipr, args, out, stats),
        Object::Ntable => show::ntable(ipr, args, out),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.v4 && cli.v6 {
        eprintln!("rtnl: -4 and -6 exclude each other (give one, or neither for both families)");
        return ExitCode::FAILURE;
    }
    let family = if cli.v4 {
        2
    } else if cli.v6 {
        10
    } else {
        0
    };
    let args = match parse_rest(
        cli.object,
        &cli.rest,
        ShowArgs {
            family,
            json: cli.json,
            raw: cli.raw,
            ..Default::default()
        },
    ) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("rtnl: {e}");
            return ExitCode::FAILURE;
        }
    };
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
    let r = run(&mut ipr, cli.object, &args, cli.stats).and_then(|text| {
        use std::io::Write;
        let mut out = std::io::stdout().lock();
        out.write_all(&text)
            .and_then(|()| out.flush())
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
