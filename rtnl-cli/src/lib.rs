//! The `rtnl` command line's argument parsing, as a library so that tests and the fuzzer
//! (fuzz/, target `cli_args`) reach it without spawning the binary. `src/main.rs` runs what
//! [`parse`] returns.

use clap::{Parser, ValueEnum};

pub mod write;

/// rtnl: links, addresses, routes, rules, neighbours and traffic control over rtnetlink.
#[derive(Parser, Debug)]
#[command(
    name = "rtnl",
    version,
    about,
    disable_help_flag = true,
    after_help = "Examples:\n  rtnl addr show\n  rtnl -j route show table 100\n  rtnl -n blue link show dev veth0\n  rtnl --raw route show\n  rtnl link add br0 type bridge stp_state 1\n  rtnl addr add 10.0.0.1/24 dev veth0\n  rtnl route add 10.1.0.0/24 via 10.0.0.2 metric 10\n  rtnl rule add from 10.1.0.0/16 table 100 pref 100\n  rtnl -force -batch routes.txt\n  rtnl route help"
)]
pub struct Cli {
    /// Help (`-h` is ip's `-human`).
    #[arg(long = "help", action = clap::ArgAction::Help, global = true)]
    pub help: Option<bool>,
    /// JSON output with ip -j's key names.
    #[arg(short = 'j', long = "json", global = true)]
    pub json: bool,
    /// Pretty JSON (`-p`, as ip's `-j -p`).
    #[arg(short = 'p', long = "pretty", global = true)]
    pub pretty: bool,
    /// Details (`-d`).
    #[arg(short = 'd', long = "details", global = true)]
    pub details: bool,
    /// Brief output, one line per object (`-br`).
    #[arg(long = "brief", global = true)]
    pub brief: bool,
    /// One line per record (`-o`).
    #[arg(short = 'o', long = "oneline", global = true)]
    pub oneline: bool,
    /// Human units for counters (`-h`, as ip's `-human`).
    #[arg(short = 'h', long = "human", global = true)]
    pub human: bool,
    /// Link layer only (`-0`).
    #[arg(short = '0', global = true)]
    pub v0: bool,
    /// Every message raw: header fields and [NAME, value] attribute pairs.
    #[arg(long, global = true)]
    pub raw: bool,
    /// IPv4 only.
    #[arg(short = '4', global = true)]
    pub v4: bool,
    /// IPv6 only.
    #[arg(short = '6', global = true)]
    pub v6: bool,
    /// Statistics too (`-s -s`: more of them; `vni`: per-VNI counters, as `bridge -s vni show`).
    #[arg(short = 's', long = "stats", global = true, action = clap::ArgAction::Count)]
    pub stats: u8,
    /// A timestamp line before each event (`monitor`).
    #[arg(short = 't', long = "timestamp", global = true)]
    pub timestamp: bool,
    /// Run in the named network namespace (ip netns name or path).
    #[arg(short = 'n', long = "netns", global = true)]
    pub netns: Option<String>,
    /// `-batch FILE` (or `-` for stdin): run the commands of FILE, one a line, as `ip -batch`
    /// (read before the object: see write/batch.rs).
    #[arg(long = "batch", value_name = "FILE")]
    pub batch: Option<String>,
    /// `-force`: with `-batch`, go on after a failed line (exit status 1 at the end).
    #[arg(long = "force")]
    pub force: bool,
    /// The object.
    pub object: Object,
    /// The command and its arguments, in ip's words: `show [dev NAME] [table N]`, and for
    /// link, addr, route, rule and neigh `add|set|del|replace|change|append|flush|get|help ...`
    /// (route also `save|restore`); fdb, vlan and brlink in bridge's words, qdisc, class and
    /// filter, actions and chain in tc's.
    #[arg(trailing_var_arg = true)]
    pub rest: Vec<String>,
}

/// The object a command line names (variant docs are clap's help text, so few have one).
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Object {
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
    /// Shared tc actions (`tc actions`).
    #[value(alias = "actions")]
    Action,
    /// tc filter chains (`tc chain`).
    Chain,
    /// Bridge forwarding database (`bridge fdb`).
    Fdb,
    /// Bridge ports (`bridge link`).
    #[value(alias = "bridge-link")]
    Brlink,
    /// Bridge multicast database (`bridge mdb`).
    Mdb,
    /// Bridge VLAN database (`bridge vlan`).
    Vlan,
    /// VXLAN VNI filter (`bridge vni`).
    Vni,
    /// Neighbour tables (`ip ntable`).
    #[value(alias = "nt")]
    Ntable,
    /// Per-device IP configuration (`ip netconf`).
    Netconf,
    /// Nexthop objects (`ip nexthop`).
    #[value(alias = "nh")]
    Nexthop,
    /// Events as they happen (`ip monitor`).
    #[value(alias = "mon")]
    Monitor,
    /// Named network namespaces (`ip netns`).
    Netns,
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
    /// 0, 2 or 10 (`-4`, `-6`), 17 (`-0`).
    pub family: u8,
    /// `-j`.
    pub json: bool,
    /// `-p`.
    pub pretty: bool,
    /// `-s` count.
    pub stats: u8,
    /// `-d`.
    pub details: bool,
    /// `-br`.
    pub brief: bool,
    /// `-o`.
    pub oneline: bool,
    /// `-h`.
    pub human: bool,
    /// `up` (links, addresses).
    pub up: bool,
    /// `type KIND` (links; for routes the route type).
    pub kind: Option<String>,
    /// `type TYPE` of `route show` (unicast, local, blackhole ...).
    pub rtype: Option<String>,
    /// `master NAME`.
    pub master: Option<String>,
    /// `label PATTERN` (addresses).
    pub label: Option<String>,
    /// `scope SCOPE` (addresses, routes).
    pub scope: Option<String>,
    /// `proto PROTO` (routes).
    pub proto: Option<String>,
    /// `via ADDR` (routes).
    pub via: Option<String>,
    /// `nud STATE` (neighbours).
    pub nud: Option<String>,
    /// `id ID` (nexthops).
    pub id: Option<String>,
    /// `groups` (nexthops: groups only).
    pub groups: bool,
    /// `fdb` (nexthops: FDB nexthops only).
    pub fdb: bool,
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
        Object::Link => &["dev", "up", "type", "master"],
        Object::Addr => &["dev", "up", "type", "master", "label", "scope"],
        Object::Route => &["dev", "oif", "table", "proto", "scope", "type", "via"],
        Object::Rule => &["dev", "iif", "table"],
        Object::Filter => &["dev", "parent", "ingress", "egress", "root"],
        Object::Neigh => &["dev", "nud"],
        Object::Nexthop => &["id", "dev", "master", "groups", "fdb", "proto"],
        Object::Fdb => &["dev", "br"],
        Object::Qdisc
        | Object::Class
        | Object::Mdb
        | Object::Vlan
        | Object::Vni
        | Object::Ntable
        | Object::Netconf
        | Object::Brlink => &["dev"],
        // Their words are their own (monitor objects, netns commands, tc's actions and
        // chains: write/).
        Object::Monitor | Object::Netns | Object::Action | Object::Chain => &[],
    }
}

/// Words ip's `link show`/`addr show` read as filters, never device names: those rtnl filters
/// on (`up`, `type`, `master`, `label`, `scope`) are selectors; the others are refused rather
/// than taken for a device.
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

/// The words after OBJECT: the command (only `show` and its spellings) and its arguments, each
/// checked against the selectors `OBJECT show` takes.
pub fn parse_rest(object: Object, rest: &[String], mut a: ShowArgs) -> Result<ShowArgs, String> {
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
            "oif" => "dev",
            "protocol" => "proto",
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
            "up" => a.up = true,
            "type" if object == Object::Route => {
                a.rtype = Some(it.next().ok_or("type needs a route type")?.clone())
            }
            "type" => a.kind = Some(it.next().ok_or("type needs a KIND")?.clone()),
            "master" => a.master = Some(it.next().ok_or("master needs a NAME")?.clone()),
            "label" => a.label = Some(it.next().ok_or("label needs a PATTERN")?.clone()),
            "scope" => a.scope = Some(it.next().ok_or("scope needs a SCOPE")?.clone()),
            "proto" => a.proto = Some(it.next().ok_or("proto needs a PROTOCOL")?.clone()),
            "via" => a.via = Some(it.next().ok_or("via needs an ADDRESS")?.clone()),
            "nud" => a.nud = Some(it.next().ok_or("nud needs a STATE")?.clone()),
            "id" => a.id = Some(it.next().ok_or("id needs an ID")?.clone()),
            "groups" => a.groups = true,
            "fdb" => a.fdb = true,
            "br" => a.master = Some(it.next().ok_or("br needs a BRIDGE")?.clone()),
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

/// A tc handle: `1:10` -> 0x0001_0010, `ffff:` -> 0xffff_0000 (hex, as tc writes them).
pub fn parse_handle(h: &str) -> Option<u32> {
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

/// A parsed command line: what to show, where.
#[derive(Debug, Clone)]
pub struct Invocation {
    /// The object.
    pub object: Object,
    /// `show`'s arguments and the output options.
    pub args: ShowArgs,
    /// `-n NETNS`.
    pub netns: Option<String>,
    /// `-s`.
    pub stats: bool,
    /// `-t`.
    pub timestamp: bool,
    /// The words after OBJECT, as given (what `monitor` and `netns` read).
    pub words: Vec<String>,
}

/// Why a command line was refused.
#[derive(Debug)]
pub enum ParseError {
    /// clap's error (also `--help` and `--version`, which clap prints and exits with).
    Clap(clap::Error),
    /// The words after OBJECT, or `-4` with `-6` (exit code 1, as ip's bad arguments).
    Args(String),
}

/// Parses a whole command line (`argv[0]` first).
pub fn parse<I, T>(argv: I) -> Result<Invocation, ParseError>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = Cli::try_parse_from(ip_options(argv)).map_err(ParseError::Clap)?;
    if cli.v4 && cli.v6 {
        return Err(ParseError::Args(
            "-4 and -6 exclude each other (give one, or neither for both families)".into(),
        ));
    }
    let family = if cli.v4 {
        2
    } else if cli.v6 {
        10
    } else if cli.v0 {
        17
    } else {
        0
    };
    let base = ShowArgs {
        family,
        json: cli.json,
        raw: cli.raw,
        pretty: cli.pretty,
        stats: cli.stats,
        details: cli.details,
        brief: cli.brief,
        oneline: cli.oneline,
        human: cli.human,
        ..Default::default()
    };
    let mut cli = cli;
    if let Some(show) = cli
        .rest
        .first()
        .and_then(|w| write::show_command(cli.object, w))
    {
        cli.rest[0] = show.to_string();
    }
    let own_words = matches!(cli.object, Object::Monitor | Object::Netns)
        || write::write_command(cli.object, &cli.rest).is_some()
        || cli
            .rest
            .first()
            .is_some_and(|w| write::is_unknown_command(cli.object, w));
    let args = if own_words {
        Ok(base)
    } else {
        parse_rest(cli.object, &cli.rest, base)
    }
    .map_err(ParseError::Args)?;
    Ok(Invocation {
        object: cli.object,
        args,
        netns: cli.netns,
        stats: cli.stats > 0,
        timestamp: cli.timestamp,
        words: cli.rest,
    })
}

/// ip's single-dash long options before OBJECT (`-br`, `-brief`, `-human`, `-details`,
/// `-oneline`, `-pretty`, `-stats`, `-json`, `-netns`, `-help`) in clap's spelling; `-h` is
/// ip's `-human` (help is `--help`). Words after OBJECT are left as they are.
pub fn ip_options<I, T>(argv: I) -> Vec<std::ffi::OsString>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let mut out = Vec::new();
    let mut before_object = true;
    let mut value_next = false;
    for (i, a) in argv.into_iter().enumerate() {
        let a: std::ffi::OsString = a.into();
        if i == 0 || !before_object || value_next {
            value_next = false;
            out.push(a);
            continue;
        }
        let s = a.to_str().unwrap_or("");
        let long = |full: &str, min: usize| s.len() >= min && full.starts_with(s);
        let mapped = if !s.starts_with('-') || s.starts_with("--") {
            if !s.starts_with('-') {
                before_object = false;
            }
            None
        } else if long("-brief", 3) {
            Some("--brief")
        } else if long("-human-readable", 3) {
            Some("--human")
        } else if long("-details", 4) {
            Some("--details")
        } else if long("-oneline", 4) {
            Some("--oneline")
        } else if long("-pretty", 4) {
            Some("--pretty")
        } else if long("-statistics", 4) {
            Some("--stats")
        } else if long("-json", 3) {
            Some("--json")
        } else if long("-netns", 4) {
            Some("--netns")
        } else if long("-help", 4) {
            Some("--help")
        } else {
            None
        };
        value_next = matches!(s, "-n" | "--netns") || mapped == Some("--netns");
        out.push(mapped.map(Into::into).unwrap_or(a));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Invocation {
        parse(std::iter::once("rtnl").chain(line.split_whitespace()))
            .unwrap_or_else(|e| panic!("{line}: {e:?}"))
    }

    #[test]
    fn ip_style_options() {
        let a = args("-br -h -s -s -d -o -p -j -0 link show").args;
        assert!(a.brief && a.human && a.details && a.oneline && a.pretty && a.json);
        assert_eq!((a.stats, a.family), (2, 17));
        let a = args("-brief -human -details -oneline -statistics link show").args;
        assert!(a.brief && a.human && a.details && a.oneline);
        assert_eq!(a.stats, 1);
        // A word after the object is the command's, never rtnl's option (ip too takes
        // `link show -br` for a device named -br).
        assert_eq!(args("link show -br").args.dev.as_deref(), Some("-br"));
        let i = args("-n blue -br addr show");
        assert_eq!(i.netns.as_deref(), Some("blue"));
    }

    #[test]
    fn selectors_are_never_device_names() {
        let a = args("addr show up").args;
        assert!(a.up && a.dev.is_none());
        let a = args("link show type bridge master br0 up").args;
        assert_eq!(a.kind.as_deref(), Some("bridge"));
        assert_eq!(a.master.as_deref(), Some("br0"));
        let a = args("addr show label v0:* scope link").args;
        assert_eq!(
            (a.label.as_deref(), a.scope.as_deref()),
            (Some("v0:*"), Some("link"))
        );
        let a = args("route show proto kernel scope link via 10.0.0.2 dev v0 type unicast").args;
        assert_eq!(a.proto.as_deref(), Some("kernel"));
        assert_eq!(a.via.as_deref(), Some("10.0.0.2"));
        assert_eq!(a.rtype.as_deref(), Some("unicast"));
        assert_eq!(a.dev.as_deref(), Some("v0"));
        // A bare name is still a device for link and addr, as in ip.
        assert_eq!(args("link show eth9").args.dev.as_deref(), Some("eth9"));
        // Filters rtnl does not apply are refused, not taken for a device.
        assert!(parse(["rtnl", "addr", "show", "dynamic"]).is_err());
        assert!(parse(["rtnl", "route", "show", "up"]).is_err());
    }
}
