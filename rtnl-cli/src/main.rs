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
}

fn parse_rest(rest: &[String], mut a: ShowArgs) -> Result<ShowArgs, String> {
    let mut it = rest.iter();
    match it.next().map(String::as_str) {
        None | Some("show" | "list" | "ls" | "lst" | "sh") => {}
        Some(other) => {
            return Err(format!(
                "command {other:?} is not supported yet: only `show`"
            ));
        }
    }
    while let Some(w) = it.next() {
        match w.as_str() {
            "dev" => a.dev = Some(it.next().ok_or("dev needs a NAME")?.clone()),
            "table" | "tab" => {
                a.table = Some(it.next().ok_or("table needs a number or name")?.clone())
            }
            "ingress" => a.parent = Some(0xffff_fff2),
            "egress" => a.parent = Some(0xffff_fff3),
            "root" => a.parent = Some(0xffff_ffff),
            "parent" => {
                let h = it.next().ok_or("parent needs a handle like 1:")?;
                a.parent = Some(parse_handle(h).ok_or(format!("{h:?} is not a handle like 1:10"))?);
            }
            other if a.dev.is_none() => a.dev = Some(other.to_string()),
            other => return Err(format!("unexpected argument {other:?}")),
        }
    }
    Ok(a)
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let family = if cli.v4 {
        2
    } else if cli.v6 {
        10
    } else {
        0
    };
    let args = match parse_rest(
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
            return ExitCode::from(2);
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
