//! `OBJECT add|set|del|...`: ip's write commands, parsed from ip's own words into rtnl-api
//! keyword [`Args`] and run through [`IPRoute`] (or [`IPBatch`](rtnl_api::IPBatch) for
//! `-batch`). No netlink bytes are built here: the words become keywords, rtnl-api encodes them.
//!
//! Words are matched as iproute2 matches them (`matches()`: any non-empty prefix of the word,
//! first match in ip's order wins, so `ip r a` is `route add`), and failures carry ip's text and
//! exit status ([`Failure`]): 1 for a refused argument ip returns from, 255 where ip calls
//! `exit(-1)` (`invarg`, `duparg`, an incomplete command), 2 for a kernel refusal.

pub mod addr;
pub mod batch;
pub mod bridge;
mod encap;
pub mod help;
pub mod kinds;
pub mod link;
pub mod mdb;
pub mod neigh;
pub mod nexthop;
pub mod ntable;
pub mod route;
pub mod route_get;
pub mod rule;
pub mod tc;
pub mod tc_action;

use rtnl_api::{Args, IPRoute, Value};

use crate::Object;

/// Why a write command failed, with ip's message and exit status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The process exit status ip uses for this failure (1, 2 or 255).
    pub code: u8,
    /// The message, as ip prints it on stderr (no trailing newline).
    pub msg: String,
    /// ip leaves the whole process here (`exit()`): a batch stops, even with `-force`.
    pub exits: bool,
}

impl Failure {
    /// A refusal ip returns from (`Cannot find device "x"`): exit status 1.
    pub fn arg(msg: impl Into<String>) -> Self {
        Failure {
            code: 1,
            msg: msg.into(),
            exits: false,
        }
    }

    /// A refusal where ip calls `exit(-1)`: exit status 255.
    pub fn fatal(msg: impl Into<String>) -> Self {
        Failure {
            code: 255,
            msg: msg.into(),
            exits: true,
        }
    }

    /// ip's `invarg()`: `Error: argument "ARG" is wrong: WHY` (exit 255).
    pub fn invarg(why: &str, arg: &str) -> Self {
        Self::fatal(format!("Error: argument \"{arg}\" is wrong: {why}"))
    }

    /// ip's `duparg2()`: `Error: either "KEY" is duplicate, or "ARG" is a garbage.` (exit 255).
    pub fn duparg(key: &str, arg: &str) -> Self {
        Self::fatal(format!(
            "Error: either \"{key}\" is duplicate, or \"{arg}\" is a garbage."
        ))
    }

    /// ip's `get_prefix()` failure (`exit(1)`).
    pub fn prefix(arg: &str) -> Self {
        Failure {
            exits: true,
            ..Self::arg(format!(
                "Error: any valid prefix is expected rather than \"{arg}\"."
            ))
        }
    }

    /// ip's `get_addr()` failure (`exit(1)`).
    pub fn address(arg: &str) -> Self {
        Failure {
            exits: true,
            ..Self::arg(format!(
                "Error: any valid address is expected rather than \"{arg}\"."
            ))
        }
    }

    /// An error from rtnl-api: a kernel refusal prints as ip prints it (the extended ack as
    /// `Error: TEXT.`, else `RTNETLINK answers: STRERROR`) with status 2; a refused keyword
    /// with status 1.
    pub fn from_error(e: &rtnl_core::Error) -> Self {
        match e {
            rtnl_core::Error::Kernel(k) => Failure {
                code: 2,
                msg: kernel_text(k),
                exits: false,
            },
            rtnl_core::Error::Batch(b) => match b.failures.first() {
                Some(f) => Failure {
                    code: 2,
                    msg: kernel_text(&f.error),
                    exits: false,
                },
                None => Failure::arg(b.to_string()),
            },
            rtnl_core::Error::Arg(a) => Failure::arg(format!(
                "Error: argument \"{}\" is wrong: {}",
                a.name, a.reason
            )),
            other => Failure::arg(other.to_string()),
        }
    }
}

/// A kernel refusal as ip prints it.
pub fn kernel_text(k: &rtnl_core::KernelError) -> String {
    match &k.ext_ack {
        Some(m) if m.ends_with('.') => format!("Error: {m}"),
        Some(m) => format!("Error: {m}."),
        None => {
            let e = std::io::Error::from_raw_os_error(k.errno).to_string();
            let e = e.split(" (os error").next().unwrap_or("").to_string();
            format!("RTNETLINK answers: {e}")
        }
    }
}

/// iproute2's `matches(word, full)`: `word` is a non-empty prefix of `full`.
pub fn matches(word: &str, full: &str) -> bool {
    !word.is_empty() && full.starts_with(word)
}

/// The words after the command, read one at a time as ip's `NEXT_ARG()` reads them.
#[derive(Debug)]
pub struct Words<'a> {
    w: &'a [String],
    pos: usize,
}

impl<'a> Words<'a> {
    /// A cursor over `w`.
    pub fn new(w: &'a [String]) -> Self {
        Words { w, pos: 0 }
    }

    /// The next word, if any.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<&'a str> {
        let w = self.w.get(self.pos)?;
        self.pos += 1;
        Some(w.as_str())
    }

    /// The next word without taking it.
    pub fn peek(&self) -> Option<&'a str> {
        self.w.get(self.pos).map(String::as_str)
    }

    /// ip's `NEXT_ARG()`: the value a keyword needs, or "Command line is not complete".
    pub fn arg(&mut self) -> Result<&'a str, Failure> {
        self.next()
            .ok_or_else(|| Failure::fatal("Command line is not complete. Try option \"help\""))
    }

    /// The words not read yet.
    pub fn rest(&self) -> &'a [String] {
        &self.w[self.pos.min(self.w.len())..]
    }
}

/// Turns interface names into indexes (ip's `ll_name_to_index`).
pub trait Names {
    /// The index of `name`, or `None` when there is no such device.
    fn index(&mut self, name: &str) -> Result<Option<u32>, Failure>;

    /// The index of `name`, or ip's `Cannot find device "NAME"` (exit 1).
    fn need(&mut self, name: &str) -> Result<u32, Failure> {
        self.index(name)?
            .ok_or_else(|| Failure::arg(format!("Cannot find device \"{name}\"")))
    }
}

/// [`Names`] over a kernel connection: one `RTM_GETLINK` by name per lookup.
impl Names for IPRoute {
    fn index(&mut self, name: &str) -> Result<Option<u32>, Failure> {
        if name.is_empty() || name.len() > 15 {
            return Ok(None);
        }
        match self.link_lookup("ifname", name) {
            Ok(v) => Ok(v.first().copied()),
            Err(rtnl_core::Error::Kernel(k)) if k.errno == 19 => Ok(None),
            Err(e) => Err(Failure::from_error(&e)),
        }
    }
}

/// One parsed write command: a keyword request for rtnl-api, a flush, or help text.
#[derive(Debug, Clone, PartialEq)]
pub enum Call {
    /// `IPRoute::link(cmd, args)`.
    Link(&'static str, Args),
    /// `IPRoute::addr(cmd, args)`.
    Addr(&'static str, Args),
    /// `IPRoute::route(cmd, args)`.
    Route(&'static str, Args),
    /// `IPRoute::rule(cmd, args)`.
    Rule(&'static str, Args),
    /// `IPRoute::neigh(cmd, args)`.
    Neigh(&'static str, Args),
    /// `neigh get`: the entry, printed by the caller (main.rs).
    NeighGet(Args),
    /// `neigh flush`: delete every entry the selectors match.
    NeighFlush(neigh::FlushSel),
    /// `route get`: the answer, printed by the caller (main.rs).
    RouteGet(Args),
    /// `route save`: the routes in ip's binary format on stdout.
    RouteSave(route_get::SaveSel),
    /// `route restore`: the routes `route save` wrote, from stdin.
    RouteRestore,
    /// bridge's `fdb add|append|replace|del`: `IPRoute::neigh(cmd, args)` (AF_BRIDGE).
    Fdb(&'static str, Args),
    /// bridge's `fdb get`: the entry, printed by the caller (main.rs); `true` for `dynamic`
    /// (a permanent entry is not printed).
    FdbGet(Args, bool),
    /// bridge's `fdb flush`: `IPRoute::fdb("bulk_del", args)` (NLM_F_BULK).
    FdbFlush(Args),
    /// bridge's `mdb add|del`: `IPRoute::mdb(cmd, args)`.
    Mdb(&'static str, Args),
    /// bridge's `vni add|delete`: `IPRoute::vni(cmd, args)`.
    Vni(&'static str, Args),
    /// `ntable change`: `IPRoute::ntable("change", args)`.
    Ntable(Args),
    /// bridge's `vlan add|del`: `IPRoute::vlan_filter(cmd, args)`.
    Vlan(&'static str, Args),
    /// bridge's `vlan set`: `IPRoute::vlandb("set", args)`.
    VlanDb(Args),
    /// bridge's `link set`: an AF_BRIDGE RTM_SETLINK ([`bridge::brlink_set`]).
    Brlink(Args),
    /// tc's `qdisc|class|filter add|del|change|replace`: `IPRoute::tc`.
    Tc(tc::TcCall),
    /// tc's `actions add|change|replace|delete|flush` (and `get`/`list`, printed by the
    /// caller): `IPRoute::tc_action`.
    Action(tc_action::ActionCall),
    /// tc's `chain add|delete` (and `get`/`show`, printed by the caller): `IPRoute::tc`.
    Chain(tc::TcCall),
    /// `addr flush`: delete every address the selectors match.
    AddrFlush(addr::FlushSel),
    /// `route flush`: delete every route the selectors match.
    RouteFlush(route::FlushSel),
    /// `rule flush`: delete every rule but the one at priority 0.
    RuleFlush(u8),
    /// A `-batch` line that shows (`link show dev lo`): the object and its words from the
    /// command on, printed by the caller's registered printer ([`set_get_printer`]).
    Show(Object, Vec<String>),
    /// `IPRoute::nexthop(cmd, args)`.
    Nexthop(&'static str, Args),
    /// `nexthop get id ID`: the nexthop, printed by the caller (main.rs).
    NexthopGet(u32),
    /// `nexthop bucket list|get ...`: the buckets, printed by the caller (main.rs).
    NexthopBucket(rtnl_api::NexthopBucketFilter),
    /// `nexthop flush`: delete every nexthop the selectors match.
    NexthopFlush(nexthop::FlushSel),
    /// `OBJECT help`: ip's usage text (printed on stderr, exit 255 as ip's `usage()`).
    Usage(&'static str),
}

/// bridge's `vni` words, compared whole (`strcmp`), not as prefixes.
const VNI: &[&str] = &["add", "delete", "show", "lst", "list", "help"];

/// bridge's `mdb` words (prefixes, in bridge's order).
const MDB: &[(&str, Option<&str>)] = &[
    ("add", Some("add")),
    ("delete", Some("delete")),
    ("show", None),
    ("lst", None),
    ("list", None),
    ("help", Some("help")),
];

/// ip's `ntable` words (prefixes, in ip's order).
const NTABLE: &[(&str, Option<&str>)] = &[
    ("change", Some("change")),
    ("chg", Some("change")),
    ("show", None),
    ("lst", None),
    ("list", None),
    ("help", Some("help")),
];

/// tc's `actions` command words (m_action.c's `do_action`, in its order).
const TC_ACTION: &[(&str, Option<&str>)] = &[
    ("add", Some("add")),
    ("change", Some("change")),
    ("replace", Some("replace")),
    ("delete", Some("del")),
    ("get", Some("get")),
    ("list", Some("dump")),
    ("show", Some("dump")),
    ("lst", Some("dump")),
    ("flush", Some("flush")),
    ("help", Some("help")),
];
/// tc's `chain` command words (tc_filter.c's `do_chain`).
const TC_CHAIN: &[(&str, Option<&str>)] = &[
    ("add", Some("add")),
    ("delete", Some("del")),
    ("get", Some("get")),
    ("list", Some("dump")),
    ("show", Some("dump")),
    ("lst", Some("dump")),
    ("help", Some("help")),
];

/// ip's `nexthop` words (ip/ipnexthop.c's do_ipnh, in its order).
const NEXTHOP: &[(&str, Option<&str>)] = &[
    ("add", Some("add")),
    ("replace", Some("replace")),
    ("delete", Some("delete")),
    ("list", None),
    ("show", None),
    ("lst", None),
    ("get", Some("get")),
    ("flush", Some("flush")),
    ("bucket", Some("bucket")),
    ("help", Some("help")),
];

/// Each object's command words in the order ip tests them (`(word, command)`; the command is
/// `None` for show and the words show.rs serves), so prefixes resolve as ip resolves them.
fn commands(object: Object) -> &'static [(&'static str, Option<&'static str>)] {
    const LINK: &[(&str, Option<&str>)] = &[
        ("add", Some("add")),
        ("set", Some("set")),
        ("change", Some("set")),
        ("replace", Some("replace")),
        ("delete", Some("delete")),
        ("show", None),
        ("lst", None),
        ("list", None),
        ("xstats", None),
        ("afstats", None),
        ("property", Some("property")),
        ("help", Some("help")),
    ];
    const ADDR: &[(&str, Option<&str>)] = &[
        ("add", Some("add")),
        ("change", Some("change")),
        ("chg", Some("change")),
        ("replace", Some("replace")),
        ("delete", Some("delete")),
        ("list", None),
        ("show", None),
        ("lst", None),
        ("flush", Some("flush")),
        ("save", None),
        ("showdump", None),
        ("restore", None),
        ("help", Some("help")),
    ];
    const ROUTE: &[(&str, Option<&str>)] = &[
        ("add", Some("add")),
        ("change", Some("change")),
        ("chg", Some("change")),
        ("replace", Some("replace")),
        ("prepend", Some("prepend")),
        ("append", Some("append")),
        ("test", None),
        ("delete", Some("delete")),
        ("list", None),
        ("show", None),
        ("lst", None),
        ("get", Some("get")),
        ("flush", Some("flush")),
        ("save", Some("save")),
        ("restore", Some("restore")),
        ("showdump", None),
        ("help", Some("help")),
    ];
    const RULE: &[(&str, Option<&str>)] = &[
        ("list", None),
        ("lst", None),
        ("show", None),
        ("save", None),
        ("restore", None),
        ("add", Some("add")),
        ("delete", Some("delete")),
        ("flush", Some("flush")),
        ("help", Some("help")),
    ];
    const NEIGH: &[(&str, Option<&str>)] = &[
        ("add", Some("add")),
        ("change", Some("change")),
        ("chg", Some("change")),
        ("replace", Some("replace")),
        ("delete", Some("delete")),
        ("get", Some("get")),
        ("show", None),
        ("lst", None),
        ("list", None),
        ("flush", Some("flush")),
        ("help", Some("help")),
    ];
    const FDB: &[(&str, Option<&str>)] = &[
        ("add", Some("add")),
        ("append", Some("append")),
        ("replace", Some("replace")),
        ("delete", Some("delete")),
        ("get", Some("get")),
        ("show", None),
        ("lst", None),
        ("list", None),
        ("help", Some("help")),
    ];
    const VLAN: &[(&str, Option<&str>)] = &[
        ("add", Some("add")),
        ("delete", Some("delete")),
        ("show", None),
        ("lst", None),
        ("list", None),
        ("tunnelshow", None),
        ("global", None),
        ("set", Some("set")),
        ("help", Some("help")),
    ];
    const BRLINK: &[(&str, Option<&str>)] = &[
        ("set", Some("set")),
        ("change", Some("set")),
        ("show", None),
        ("lst", None),
        ("list", None),
        ("help", Some("help")),
    ];
    const QDISC: &[(&str, Option<&str>)] = &[
        ("add", Some("add")),
        ("change", Some("change")),
        ("replace", Some("replace")),
        ("delete", Some("del")),
        ("show", None),
        ("list", None),
        ("lst", None),
        ("help", Some("help")),
    ];
    const FILTER: &[(&str, Option<&str>)] = &[
        ("add", Some("add")),
        ("change", Some("change")),
        ("replace", Some("replace")),
        ("delete", Some("del")),
        ("show", None),
        ("list", None),
        ("lst", None),
        ("help", Some("help")),
    ];
    match object {
        Object::Action => TC_ACTION,
        Object::Chain => TC_CHAIN,
        Object::Nexthop => NEXTHOP,
        Object::Qdisc | Object::Class => QDISC,
        Object::Filter => FILTER,
        Object::Fdb => FDB,
        Object::Mdb => MDB,
        Object::Ntable => NTABLE,
        Object::Vlan => VLAN,
        Object::Brlink => BRLINK,
        Object::Neigh => NEIGH,
        Object::Link => LINK,
        Object::Addr => ADDR,
        Object::Route => ROUTE,
        Object::Rule => RULE,
        _ => &[],
    }
}

/// What a write command line is, after the object: `Some(command)` for the commands this
/// module runs, `None` for `show` and the rest (show.rs's, or unknown).
pub fn write_command(object: Object, words: &[String]) -> Option<&'static str> {
    let w = words.first()?.as_str();
    // Words bridge compares whole (`strcmp`): fdb's `flush`, every word of `vni`.
    match (object, w) {
        (Object::Fdb, "flush") => return Some("flush"),
        (Object::Vni, "add") => return Some("add"),
        (Object::Vni, "delete") => return Some("delete"),
        (Object::Vni, "help") => return Some("help"),
        (Object::Vni, _) => return None,
        _ => {}
    }
    commands(object)
        .iter()
        .find(|(full, _)| matches(w, full))
        .and_then(|(_, c)| *c)
}

/// `show` when `word` is an abbreviation ip reads as its show command for `object` (`sh`,
/// `l`, `lst` ...), so the show parser sees one spelling.
pub fn show_command(object: Object, word: &str) -> Option<&'static str> {
    commands(object)
        .iter()
        .find(|(full, _)| matches(word, full))
        .filter(|(full, c)| c.is_none() && matches!(*full, "show" | "list" | "lst"))
        .map(|_| "show")
}

/// True when `word` is none of the object's command words (ip: `Command "X" is unknown`).
pub fn is_unknown_command(object: Object, word: &str) -> bool {
    if object == Object::Vni {
        return !VNI.contains(&word);
    }
    let c = commands(object);
    !c.is_empty() && !c.iter().any(|(full, _)| matches(word, full))
}

/// Parses `OBJECT COMMAND ARGS...` (`words` starts at the command); `family` is `-4`/`-6`'s
/// (0 when neither: ip's `preferred_family`).
pub fn parse(
    object: Object,
    family: u8,
    words: &[String],
    names: &mut dyn Names,
) -> Result<Call, Failure> {
    let Some(cmd) = write_command(object, words) else {
        return Err(unknown_command(object, words.first().map_or("", |w| w)));
    };
    let mut w = Words::new(&words[1..]);
    match object {
        Object::Link => link::parse(cmd, &mut w, names),
        Object::Addr => addr::parse(cmd, family, &mut w, names),
        Object::Route if matches!(cmd, "get" | "save" | "restore") => {
            route_get::parse(cmd, family, &mut w, names)
        }
        Object::Route => route::parse(cmd, family, &mut w, names),
        Object::Rule => rule::parse(cmd, family, &mut w, names),
        Object::Neigh => neigh::parse(cmd, family, &mut w, names),
        Object::Fdb | Object::Vlan | Object::Brlink | Object::Mdb | Object::Vni => {
            bridge::parse(object, cmd, &mut w, names)
        }
        Object::Ntable => ntable::parse(cmd, family, &mut w, names),
        Object::Qdisc | Object::Class | Object::Filter | Object::Chain => {
            tc::parse(object, cmd, &mut w, names)
        }
        Object::Action => tc_action::parse(cmd, &mut w, names),
        Object::Nexthop => nexthop::parse(cmd, family, &mut w, names),
        _ => Err(unknown_command(object, cmd)),
    }
}

/// ip's `Command "X" is unknown, try "ip OBJECT help".` (exit 255), with the nearest command
/// word when one is close.
pub fn unknown_command(object: Object, word: &str) -> Failure {
    let name = object_word(object);
    let mut all: Vec<&str> = commands(object).iter().map(|(w, _)| *w).collect();
    if object == Object::Vni {
        all = VNI.to_vec();
    }
    let tool = match object {
        Object::Fdb | Object::Vlan | Object::Brlink | Object::Mdb | Object::Vni => "bridge",
        Object::Qdisc | Object::Class | Object::Filter | Object::Action | Object::Chain => "tc",
        _ => "ip",
    };
    let mut msg = format!("Command \"{word}\" is unknown, try \"{tool} {name} help\".");
    if let Some(s) = nearest(word, &all) {
        msg.push_str(&format!(" (did you mean \"{s}\"?)"));
    }
    Failure::fatal(msg)
}

/// The word for an object in ip's messages.
pub fn object_word(o: Object) -> &'static str {
    match o {
        Object::Link => "link",
        Object::Addr => "address",
        Object::Route => "route",
        Object::Rule => "rule",
        Object::Neigh => "neigh",
        Object::Fdb => "fdb",
        Object::Vlan => "vlan",
        Object::Brlink => "link",
        Object::Mdb => "mdb",
        Object::Vni => "vni",
        Object::Ntable => "ntable",
        Object::Qdisc => "qdisc",
        Object::Class => "class",
        Object::Filter => "filter",
        Object::Action => "actions",
        Object::Chain => "chain",
        Object::Nexthop => "nexthop",
        _ => "",
    }
}

/// The word of `all` nearest to `w` (edit distance at most 2, or 1 for short words).
pub fn nearest<'s>(w: &str, all: &[&'s str]) -> Option<&'s str> {
    let limit = if w.len() <= 3 { 1 } else { 2 };
    all.iter()
        .map(|c| (distance(w, c), *c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance (words are short).
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Prints a `get` answer ([`Call::NeighGet`], [`Call::RouteGet`], [`Call::NexthopGet`] ...) or a batch's show line
/// ([`Call::Show`]) with the given look (`-j`, `-p`, `-d` ...): the printers live with the show
/// code in the binary, which registers one here so `-batch` lines print too.
pub type GetPrinter = fn(&mut IPRoute, Call, &crate::ShowArgs) -> Result<(), Failure>;

static GET_PRINTER: std::sync::OnceLock<GetPrinter> = std::sync::OnceLock::new();

/// Registers the printer of `get` answers and batch show lines (once; later calls are
/// ignored).
pub fn set_get_printer(f: GetPrinter) {
    let _ = GET_PRINTER.set(f);
}

impl Call {
    /// Whether the command prints the kernel's answer (`neigh get`, `route get`, tc's
    /// `actions get|list`, `chain get|show`): the caller's printer runs it.
    pub fn prints(&self) -> bool {
        match self {
            Call::NeighGet(_)
            | Call::RouteGet(_)
            | Call::FdbGet(..)
            | Call::Show(..)
            | Call::NexthopGet(_)
            | Call::NexthopBucket(_) => true,
            Call::Action(a) => matches!(a.cmd, "get" | "dump"),
            Call::Chain(c) => matches!(c.cmd.as_str(), "get-chain" | "dump-chain"),
            _ => false,
        }
    }
}

/// Whether `OBJECT COMMAND` prints an answer (see [`Call::prints`]), from its words.
pub fn prints(object: Object, words: &[String]) -> bool {
    matches!(
        (object, write_command(object, words)),
        (_, Some("get"))
            | (Object::Action | Object::Chain, Some("dump"))
            | (Object::Nexthop, Some("bucket"))
    )
}

/// Table names (`rt_tables`).
pub fn table(s: &str) -> Result<u32, Failure> {
    Ok(match s {
        "default" => 253,
        "main" => 254,
        "local" => 255,
        "unspec" | "all" => 0,
        _ => int(s)
            .and_then(|v| u32::try_from(v).ok())
            .ok_or_else(|| Failure::invarg("\"table\" value is invalid\n", s))?,
    })
}

/// C's `atoi`: the leading decimal digits (with a sign), 0 when there are none.
pub fn atoi(s: &str) -> i64 {
    let t = s.trim_start();
    let (neg, t) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    let v = digits.parse::<i64>().unwrap_or(0);
    if neg { -v } else { v }
}

/// Runs one parsed command.
pub fn execute(ipr: &mut IPRoute, call: Call) -> Result<(), Failure> {
    execute_with(ipr, call, &crate::ShowArgs::default())
}

/// Runs one parsed command; what it prints (a `get`, a batch's show line) has `look`.
pub fn execute_with(ipr: &mut IPRoute, call: Call, look: &crate::ShowArgs) -> Result<(), Failure> {
    if let (true, Some(print)) = (call.prints(), GET_PRINTER.get()) {
        return print(ipr, call, look);
    }
    let r = match call {
        // Writes: the reply is empty (no echo asked); only failure matters.
        Call::Link(c, a) => ipr.link(c, a).map(drop),
        Call::Addr(c, a) => ipr.addr(c, a).map(drop),
        Call::Route(c, a) => ipr.route(c, a).map(drop),
        Call::Rule(c, a) => ipr.rule(c, a).map(drop),
        Call::Neigh(c, a) => ipr.neigh(c, a).map(drop),
        Call::NeighGet(a) => ipr.neigh("get", a).map(drop),
        Call::NeighFlush(sel) => return neigh::flush(ipr, &sel),
        Call::RouteGet(a) => ipr.route("get", a).map(drop),
        Call::Fdb(c, a) => {
            return ipr
                .neigh(c, a)
                .map(drop)
                .map_err(|e| bridge::kernel_failure(&e));
        }
        Call::FdbGet(a, _) => {
            return ipr
                .fdb("get", a)
                .map(drop)
                .map_err(|e| bridge::kernel_failure(&e));
        }
        Call::FdbFlush(a) => {
            return ipr
                .fdb("bulk_del", a)
                .map(drop)
                .map_err(|e| bridge::kernel_failure(&e));
        }
        Call::Mdb(c, a) => {
            return ipr
                .mdb(c, a)
                .map(drop)
                .map_err(|e| bridge::kernel_failure(&e));
        }
        Call::Vni(c, a) => {
            return ipr
                .vni(c, a)
                .map(drop)
                .map_err(|e| bridge::kernel_failure(&e));
        }
        Call::Ntable(a) => ipr.ntable("change", a).map(drop),
        Call::Vlan(c, a) => {
            return ipr
                .vlan_filter(c, a)
                .map(drop)
                .map_err(|e| bridge::kernel_failure(&e));
        }
        Call::Tc(c) | Call::Chain(c) => return tc::execute(ipr, c),
        Call::Action(c) => return tc_action::execute(ipr, c),
        Call::VlanDb(a) => {
            return ipr
                .vlandb("set", a)
                .map(drop)
                .map_err(|e| bridge::kernel_failure(&e));
        }
        Call::Brlink(a) => {
            return bridge::brlink_set(ipr, &a).map_err(|e| bridge::kernel_failure(&e));
        }
        Call::RouteSave(sel) => return route_get::save(ipr, &sel),
        Call::RouteRestore => return route_get::restore(ipr),
        Call::AddrFlush(sel) => return addr::flush(ipr, &sel),
        Call::RouteFlush(sel) => return route::flush(ipr, &sel),
        Call::RuleFlush(family) => return rule::flush(ipr, family),
        Call::Nexthop(c, a) => ipr.nexthop(c, a).map(drop),
        Call::NexthopGet(id) => ipr.nexthop("get", Args::new().with("id", id)).map(drop),
        Call::NexthopBucket(f) => ipr.get_nexthop_buckets(f).and_then(|d| d.count()).map(drop),
        Call::NexthopFlush(sel) => return nexthop::flush(ipr, &sel),
        Call::Usage(text) => return Err(Failure::fatal(text.trim_end())),
        Call::Show(object, _) => {
            return Err(Failure::arg(format!(
                "{} show: no printer in this program",
                object_word(object)
            )));
        }
    };
    r.map_err(|e| Failure::from_error(&e))
}

/// An integer as ip's `get_integer`/`get_unsigned` read it (decimal, `0x` hex, `0` octal).
pub fn int(s: &str) -> Option<i128> {
    let (neg, t) = match s.strip_prefix('-') {
        Some(t) => (true, t),
        None => (false, s),
    };
    let v = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        i128::from_str_radix(h, 16).ok()?
    } else if t.len() > 1 && t.starts_with('0') {
        i128::from_str_radix(&t[1..], 8).ok()?
    } else {
        t.parse().ok()?
    };
    Some(if neg { -v } else { v })
}

/// An unsigned integer that fits `max`, or ip's `invarg(why, s)`.
pub fn uint(s: &str, max: u64, why: &str) -> Result<Value, Failure> {
    match int(s) {
        Some(v) if v >= 0 && v <= max as i128 => Ok(Value::Int(v)),
        _ => Err(Failure::invarg(why, s)),
    }
}

/// A link-layer address (`aa:bb:cc:dd:ee:ff`), checked as ip's `ll_addr_a2n` checks it.
pub(crate) fn lladdr(v: &str) -> Result<Value, Failure> {
    let ok = v
        .split(':')
        .all(|b| !b.is_empty() && b.len() <= 2 && u8::from_str_radix(b, 16).is_ok());
    if !ok {
        return Err(Failure::arg(format!("\"{v}\" is invalid lladdr.")));
    }
    Ok(Value::from(v))
}

/// `on`/`off` as 1/0, or ip's `on_off()` complaint (exit 1).
pub fn on_off(key: &str, s: &str) -> Result<Value, Failure> {
    match s {
        "on" => Ok(Value::Int(1)),
        "off" => Ok(Value::Int(0)),
        _ => Err(Failure::arg(format!(
            "Error: argument of \"{key}\" must be \"on\" or \"off\", not \"{s}\""
        ))),
    }
}

/// Opens the connection a write needs (`-n NETNS` or this namespace).
pub fn open(netns: Option<&str>) -> Result<IPRoute, Failure> {
    let r = match netns {
        Some(ns) => IPRoute::in_netns(ns),
        None => IPRoute::new(),
    };
    r.map_err(|e| Failure::arg(format!("Cannot open netlink socket: {e}")))
}

/// Runs one write command line (`words` from the command on) and returns ip's exit status,
/// with the failure on stderr.
pub fn run(netns: Option<&str>, family: u8, object: Object, words: &[String]) -> u8 {
    let r = open(netns).and_then(|mut ipr| {
        let call = parse(object, family, words, &mut ipr)?;
        execute(&mut ipr, call)
    });
    match r {
        Ok(()) => 0,
        Err(f) => {
            eprintln!("{}", f.msg);
            f.code
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn prefixes_match_as_ip() {
        assert!(matches("a", "add"));
        assert!(!matches("", "add"));
        assert!(!matches("adx", "add"));
        let w = |s: &str| vec![s.to_string()];
        assert_eq!(write_command(Object::Route, &w("a")), Some("add"));
        assert_eq!(write_command(Object::Route, &w("d")), Some("delete"));
        assert_eq!(write_command(Object::Link, &w("s")), Some("set")); // ip: set before show
        assert_eq!(write_command(Object::Link, &w("sh")), None);
        assert_eq!(write_command(Object::Rule, &w("a")), Some("add"));
        assert_eq!(write_command(Object::Addr, &w("l")), None);
    }

    #[test]
    fn show_abbreviations() {
        assert_eq!(show_command(Object::Link, "sh"), Some("show"));
        assert_eq!(show_command(Object::Link, "s"), None); // set
        assert_eq!(show_command(Object::Addr, "l"), Some("show"));
        assert_eq!(show_command(Object::Route, "ls"), Some("show")); // a prefix of lst
        assert_eq!(show_command(Object::Rule, "lst"), Some("show"));
    }

    #[test]
    fn typos_suggest() {
        assert_eq!(nearest("ad", &["add", "del"]), Some("add"));
        assert_eq!(nearest("replcae", &["replace", "add"]), Some("replace"));
        assert_eq!(nearest("zzzzzz", &["replace", "add"]), None);
        let f = unknown_command(Object::Route, "apend");
        assert_eq!(f.code, 255);
        assert!(f.msg.contains("did you mean \"append\""), "{}", f.msg);
    }

    /// Names without a kernel: `v0` is 3, `v1` 4, nothing else exists.
    pub(crate) struct Fake;

    impl Names for Fake {
        fn index(&mut self, name: &str) -> Result<Option<u32>, Failure> {
            Ok(match name {
                "v0" => Some(3),
                "v1" => Some(4),
                _ => None,
            })
        }
    }

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    /// Compiles a command line with IPBatch: its request bytes (header included).
    fn bytes(object: Object, line: &str) -> Vec<u8> {
        let mut b = rtnl_api::IPBatch::new();
        match parse(object, 0, &words(line), &mut Fake).unwrap() {
            Call::Route(c, a) => b.route(c, a),
            Call::Addr(c, a) => b.addr(c, a),
            Call::Rule(c, a) => b.rule(c, a),
            Call::Link(c, a) => b.link(c, a),
            other => panic!("{other:?}"),
        }
        .unwrap();
        b.bytes().to_vec()
    }

    #[test]
    fn route_header_as_ip() {
        // ip route add 10.1.0.0/24 dev v0: proto boot, scope link, type unicast, main.
        let m = bytes(Object::Route, "a 10.1.0.0/24 dev v0");
        assert_eq!(&m[16..28], &[2, 24, 0, 0, 254, 3, 253, 1, 0, 0, 0, 0]);
        // With a gateway the scope is universe; a delete is scope nowhere, proto 0.
        let m = bytes(Object::Route, "add 10.1.0.0/24 via 10.0.0.1");
        assert_eq!(m[22], 0);
        let m = bytes(Object::Route, "del 10.1.0.0/24");
        assert_eq!((m[21], m[22], m[23]), (0, 255, 0));
        // IPv6 keeps universe even without a gateway.
        let m = bytes(Object::Route, "add 2001:db8::/64 dev v0");
        assert_eq!((m[16], m[22]), (10, 0));
    }

    #[test]
    fn refusals_as_ip() {
        let f = |o, l: &str| parse(o, 0, &words(l), &mut Fake).unwrap_err();
        let e = f(Object::Addr, "add 10.0.0.300/24 dev v0");
        assert_eq!(e.code, 1);
        assert_eq!(
            e.msg,
            "Error: any valid prefix is expected rather than \"10.0.0.300/24\"."
        );
        let e = f(Object::Link, "set v0 mtu abc");
        assert_eq!(
            (e.code, e.msg.as_str()),
            (
                255,
                "Error: argument \"abc\" is wrong: Invalid \"mtu\" value"
            )
        );
        assert_eq!(f(Object::Route, "add 10.0.0.0/24 dev nosuch").code, 1);
        assert_eq!(f(Object::Link, "set").code, 255);
        assert_eq!(f(Object::Addr, "add 10.0.0.1/24 dev v0 foo").code, 255);
        assert_eq!(
            f(Object::Link, "add vx type vxlan external id 5").msg,
            "vxlan: both 'external' and vni cannot be specified"
        );
    }

    #[test]
    fn ints_as_ip() {
        assert_eq!(int("0x10"), Some(16));
        assert_eq!(int("010"), Some(8));
        assert_eq!(int("12"), Some(12));
        assert_eq!(int("x"), None);
    }
}
