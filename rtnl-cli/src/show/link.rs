//! `link show` and `addr show`, printed as `ip link show` / `ip addr show` print them: the
//! link record (`-s`/`-s -s` counters, `-br`, `-o`), then for `addr show` its addresses, field
//! by field from the zero-copy views.
#![allow(clippy::useless_conversion)]

use rtnl_api::generated::*;
use rtnl_api::{AddrFilter, IPRoute, LinkFilter};
use rtnl_core::spec::Style;
use rtnl_core::{ArgError, Result};

use super::common::{
    Names, collect, dev_index, each, family_name, human, parse_scope, print_scope,
};
use crate::print::Printer;
use rtnl_cli::ShowArgs;

/// IFF_* flags in the order ip prints them.
const IFF_ORDER: &[(u32, &str)] = &[
    (0x8, "LOOPBACK"),
    (0x2, "BROADCAST"),
    (0x10, "POINTOPOINT"),
    (0x1000, "MULTICAST"),
    (0x80, "NOARP"),
    (0x200, "ALLMULTI"),
    (0x100, "PROMISC"),
    (0x400, "MASTER"),
    (0x800, "SLAVE"),
    (0x4, "DEBUG"),
    (0x8000, "DYNAMIC"),
    (0x4000, "AUTOMEDIA"),
    (0x2000, "PORTSEL"),
    (0x20, "NOTRAILERS"),
    (0x1, "UP"),
    (0x10000, "LOWER_UP"),
    (0x20000, "DORMANT"),
    (0x40000, "ECHO"),
];

const OPERSTATES: [&str; 7] = [
    "UNKNOWN",
    "NOTPRESENT",
    "DOWN",
    "LOWERLAYERDOWN",
    "TESTING",
    "DORMANT",
    "UP",
];

/// How a link record looks.
#[derive(Clone, Copy, Default)]
pub struct LinkLook {
    /// `addr show`: no `mode`, addresses follow.
    pub for_addr: bool,
    /// `-s` count.
    pub stats: u8,
    /// `-h`.
    pub human: bool,
    /// `addr show -4/-6`: no link-layer line.
    pub no_ll: bool,
    /// `-d`.
    pub details: bool,
}

/// `<A,B,C>` in text, `"flags":[...]` in JSON; NO-CARRIER first and M-DOWN last, as ip.
pub fn print_flags(p: &mut Printer<'_>, flags: u32, mdown: bool) {
    p.open_array("flags");
    p.lit("<");
    let mut first = true;
    let mut one = |p: &mut Printer<'_>, n: &str| {
        if !first {
            p.lit(",");
        }
        first = false;
        p.print("", "{}", n);
    };
    if flags & 0x1 != 0 && flags & 0x40 == 0 {
        one(p, "NO-CARRIER");
    }
    for (bit, name) in IFF_ORDER {
        if flags & bit != 0 {
            one(p, name);
        }
    }
    if mdown {
        one(p, "M-DOWN");
    }
    p.lit(">");
    p.close_array();
}

fn link_type(p: &mut Printer<'_>, fmt: &str, t: u16) {
    let name = match t {
        1 => "ether",
        772 => "loopback",
        776 => "sit",
        768 => "ipip",
        778 => "gre",
        65534 => "none",
        65535 => "void",
        n => return p.print("link_type", fmt, format_args!("[{n}]")),
    };
    p.print("link_type", fmt, name);
}

fn operstate(l: &LinkMsg<'_>) -> Result<Option<u8>> {
    Ok(l.operstate()?.map(u8::from))
}

fn print_operstate(p: &mut Printer<'_>, fmt: &str, s: u8) {
    match OPERSTATES.get(s as usize) {
        Some(n) => p.print("operstate", fmt, *n),
        None => p.print("operstate", fmt, format_args!("{s}")),
    }
}

/// `NAME@PEER` (or `NAME@ifN` / `NAME@NONE`): JSON gets `link` (or `link_index`) and `ifname`;
/// returns how many characters text printed, for `-br`'s padding.
fn print_name(p: &mut Printer<'_>, l: &LinkMsg<'_>, names: &Names) -> Result<usize> {
    let name = l.ifname()?.unwrap_or("");
    let mut width = name.len();
    match (l.link()?, l.link_netnsid()?) {
        (Some(link), Some(_)) => {
            p.json("link_index", link);
            p.print("ifname", "{}", name);
            p.text("@if{}", link);
            width += 3 + digits(link as u64);
        }
        (Some(link), None) if link != l.header().index() as u32 => {
            match names.get(link) {
                Some(n) => {
                    p.json("link", n);
                    width += 1 + n.len();
                }
                None => {
                    p.null("link", "");
                    width += 5;
                }
            }
            p.print("ifname", "{}", name);
            match names.get(link) {
                Some(n) => p.text("@{}", n),
                None => p.lit("@NONE"),
            }
        }
        _ => p.print("ifname", "{}", name),
    }
    Ok(width)
}

fn digits(mut v: u64) -> usize {
    let mut n = 1;
    while v >= 10 {
        v /= 10;
        n += 1;
    }
    n
}

/// Whether the link `l` names with IFLA_LINK is down (ip's `M-DOWN`).
pub fn mdown(l: &LinkMsg<'_>, names: &Names) -> Result<bool> {
    Ok(match (l.link()?, l.link_netnsid()?) {
        (Some(link), None) => names.flags(link).is_some_and(|f| f & 1 == 0),
        _ => false,
    })
}

/// One link record as `ip link show` (or, `look.for_addr`, `ip addr show`) prints it, its
/// addresses left to the caller. The JSON object is left open.
pub fn print_link(
    p: &mut Printer<'_>,
    l: &LinkMsg<'_>,
    names: &Names,
    look: LinkLook,
) -> Result<()> {
    let h = l.header();
    let flags = u32::from(h.flags());
    p.open_object("");
    p.print("ifindex", "{}: ", h.index());
    print_name(p, l, names)?;
    p.lit(": ");
    print_flags(p, flags, mdown(l, names)?);
    if let Some(m) = l.mtu()? {
        p.print("mtu", " mtu {}", m);
    }
    if let Some(q) = l.qdisc()? {
        p.print("qdisc", " qdisc {}", q);
    }
    if let Some(m) = l.master()? {
        names.print(p, "master", " master {}", m);
    }
    if let Some(s) = operstate(l)? {
        print_operstate(p, " state {}", s);
    }
    if !look.for_addr
        && let Some(m) = l.linkmode()?
    {
        match u8::from(m) {
            0 => p.print("linkmode", " mode {}", "DEFAULT"),
            1 => p.print("linkmode", " mode {}", "DORMANT"),
            2 => p.print("linkmode", " mode {}", "TESTING"),
            n => p.print("linkmode", " mode {}", n),
        }
    }
    if let Some(g) = l.group()? {
        if g == 0 {
            p.print("group", " group {}", "default");
        } else {
            p.print("group", " group {}", format_args!("{g}"));
        }
    }
    if let Some(q) = l.txqlen()?.or_else(|| names.txqlen(h.index() as u32)) {
        p.print("txqlen", " qlen {}", q);
    }
    if !look.no_ll {
        p.sl();
        link_type(p, "    link/{} ", u16::from(h.type_()));
        if let Some(a) = l.address()? {
            p.print("address", "{}", format_args!("{a}"));
        }
        if let Some(b) = l.broadcast()? {
            let fmt = if flags & 0x10 != 0 {
                " peer {}"
            } else {
                " brd {}"
            };
            p.print("broadcast", fmt, format_args!("{b}"));
        }
        if let Some(n) = l.link_netnsid()? {
            // JSON: the id; text: the namespace's name when it has one, as ip.
            p.json("link_netnsid", n);
            if !p.is_json() {
                match names.netns_name(n) {
                    Some(name) => p.text(" link-netns {}", name),
                    None if n >= 0 => p.text(" link-netnsid {}", n),
                    None => p.lit(" link-netnsid unknown"),
                }
            }
        }
        if look.details {
            details(p, l, names, look.for_addr)?;
        }
    }
    if (!look.for_addr || look.details)
        && let Some(a) = l.ifalias()?
    {
        p.sl();
        p.lit("    ");
        p.print("ifalias", "alias {}", a);
    }
    if !look.for_addr {
        print_stats(p, l, look)?;
    }
    if let Some(props) = l.prop_list()? {
        p.open_array("altnames");
        for name in props.alt_ifname() {
            p.sl();
            p.lit("    altname ");
            p.print("", "{}", name?);
        }
        p.close_array();
    }
    Ok(())
}

/// `-s`: the link's counters (`link show`: after its alias; `addr show`: after its
/// addresses, as ip prints them).
pub fn print_stats(p: &mut Printer<'_>, l: &LinkMsg<'_>, look: LinkLook) -> Result<()> {
    if look.stats > 0
        && let Some(s) = l.stats64()?
    {
        stats64(p, s, l.carrier_changes()?, look);
    }
    Ok(())
}

/// `-d`: promiscuity, MTU bounds, the kind and its options (show/linkinfo.rs), address
/// generation (`link show` only, as ip), queues and offload sizes, as ip prints them.
fn details(p: &mut Printer<'_>, l: &LinkMsg<'_>, names: &Names, for_addr: bool) -> Result<()> {
    if let Some(v) = l.promiscuity()? {
        p.print("promiscuity", " promiscuity {} ", v);
    }
    if let Some(v) = l.allmulti()? {
        p.print("allmulti", " allmulti {} ", v);
    }
    if let Some(v) = l.min_mtu()? {
        p.print("min_mtu", "minmtu {} ", v);
    }
    if let Some(v) = l.max_mtu()? {
        p.print("max_mtu", "maxmtu {} ", v);
    }
    if let Some(info) = l.linkinfo()? {
        super::linkinfo::print_linkinfo(p, &info, names)?;
    }
    let mode = match l.af_spec()? {
        _ if for_addr => None,
        Some(LinkAfSpec::Unspec(u)) => u.inet6()?.map(|i| i.addr_gen_mode()).transpose()?.flatten(),
        _ => None,
    };
    if let Some(m) = mode {
        match u8::from(m) {
            0 => p.print("inet6_addr_gen_mode", "addrgenmode {} ", "eui64"),
            1 => p.print("inet6_addr_gen_mode", "addrgenmode {} ", "none"),
            2 => p.print("inet6_addr_gen_mode", "addrgenmode {} ", "stable_secret"),
            3 => p.print("inet6_addr_gen_mode", "addrgenmode {} ", "random"),
            n => p.print(
                "inet6_addr_gen_mode",
                "addrgenmode {} ",
                format_args!("{n:#04x}"),
            ),
        }
    }
    for (k, t, v) in [
        ("num_tx_queues", "numtxqueues {} ", l.num_tx_queues()?),
        ("num_rx_queues", "numrxqueues {} ", l.num_rx_queues()?),
        ("gso_max_size", "gso_max_size {} ", l.gso_max_size()?),
        ("gso_max_segs", "gso_max_segs {} ", l.gso_max_segs()?),
        ("tso_max_size", "tso_max_size {} ", l.tso_max_size()?),
        ("tso_max_segs", "tso_max_segs {} ", l.tso_max_segs()?),
        ("gro_max_size", "gro_max_size {} ", l.gro_max_size()?),
    ] {
        if let Some(v) = v {
            p.print(k, t, v);
        }
    }
    Ok(())
}

/// `-s -j`: `stats64: {rx: {...}, tx: {...}}` with ip's keys (`-s -s`: the error counters).
fn stats64_json(p: &mut Printer<'_>, s: &RtnlLinkStats64, carrier: Option<u32>, two: bool) {
    p.open_object("stats64");
    p.open_object("rx");
    for (k, v) in [
        ("bytes", s.rx_bytes()),
        ("packets", s.rx_packets()),
        ("errors", s.rx_errors()),
        ("dropped", s.rx_dropped()),
        ("over_errors", s.rx_over_errors()),
        ("multicast", s.multicast()),
    ] {
        p.json(k, v);
    }
    if s.rx_compressed() != 0 {
        p.json("compressed", s.rx_compressed());
    }
    if two {
        for (k, v) in [
            ("length_errors", s.rx_length_errors()),
            ("crc_errors", s.rx_crc_errors()),
            ("frame_errors", s.rx_frame_errors()),
            ("fifo_errors", s.rx_fifo_errors()),
            ("missed_errors", s.rx_missed_errors()),
        ] {
            p.json(k, v);
        }
        if s.rx_nohandler() != 0 {
            p.json("nohandler", s.rx_nohandler());
        }
    }
    p.close_object();
    p.open_object("tx");
    for (k, v) in [
        ("bytes", s.tx_bytes()),
        ("packets", s.tx_packets()),
        ("errors", s.tx_errors()),
        ("dropped", s.tx_dropped()),
        ("carrier_errors", s.tx_carrier_errors()),
        ("collisions", s.collisions()),
    ] {
        p.json(k, v);
    }
    if s.tx_compressed() != 0 {
        p.json("compressed", s.tx_compressed());
    }
    if two {
        for (k, v) in [
            ("aborted_errors", s.tx_aborted_errors()),
            ("fifo_errors", s.tx_fifo_errors()),
            ("window_errors", s.tx_window_errors()),
            ("heartbeat_errors", s.tx_heartbeat_errors()),
        ] {
            p.json(k, v);
        }
        if let Some(c) = carrier {
            p.json("carrier_changes", c);
        }
    }
    p.close_object();
    p.close_object();
}

/// `-s`: the counters block (`-s -s`: and the error counters), as ip lays them out.
fn stats64(p: &mut Printer<'_>, s: &RtnlLinkStats64, carrier: Option<u32>, look: LinkLook) {
    let two = look.stats > 1;
    if p.is_json() {
        return stats64_json(p, s, carrier, two);
    }
    let rx = [
        s.rx_bytes(),
        s.rx_packets(),
        s.rx_errors(),
        s.rx_dropped(),
        s.rx_missed_errors(),
        s.multicast(),
    ];
    let tx = [
        s.tx_bytes(),
        s.tx_packets(),
        s.tx_errors(),
        s.tx_dropped(),
        s.tx_carrier_errors(),
        s.collisions(),
    ];
    let rxe = [
        s.rx_length_errors(),
        s.rx_crc_errors(),
        s.rx_frame_errors(),
        s.rx_fifo_errors(),
        s.rx_over_errors(),
    ];
    let txe = [
        s.tx_aborted_errors(),
        s.tx_fifo_errors(),
        s.tx_window_errors(),
        s.tx_heartbeat_errors(),
        carrier.unwrap_or(0) as u64,
    ];
    // ip's column widths: its header words, widened to the widest number of each column.
    let mut cols = [10usize, 7, 6, 7, 7, 7, 10];
    let width = |v: u64| match human(v).filter(|_| look.human) {
        Some(h) => h.len(),
        None => digits(v),
    };
    for (i, v) in rx.iter().chain(&tx).enumerate() {
        cols[i % 6] = cols[i % 6].max(width(*v));
    }
    if two {
        for (i, v) in rxe.iter().chain(&txe).enumerate() {
            cols[1 + i % 5] = cols[1 + i % 5].max(width(*v));
        }
    }
    let head = |p: &mut Printer<'_>, first: &str, words: &[&str], tail: bool| {
        p.sl();
        p.text("    {}", first);
        for (i, w) in words.iter().enumerate() {
            p.text(" {}", format_args!("{w:>0$}", cols[i + 1]));
        }
        if tail {
            p.text(" {}", format_args!("{:>1$}", "", cols[6]));
        }
    };
    let nums = |p: &mut Printer<'_>, lead: bool, vals: &[u64]| {
        p.sl();
        p.lit("    ");
        if lead {
            p.text("{} ", format_args!("{:>1$}", "", cols[0]));
        }
        for (i, v) in vals.iter().enumerate() {
            let w = cols[i + usize::from(lead)];
            if let Some(h) = human(*v).filter(|_| look.human) {
                p.text("{} ", format_args!("{h:>w$}"));
            } else {
                p.text("{} ", format_args!("{v:>w$}"));
            }
        }
    };
    let first = format!("RX: {:>1$}", "bytes", cols[0] - 4);
    head(
        p,
        &first,
        &["packets", "errors", "dropped", "missed", "mcast"],
        true,
    );
    nums(p, false, &rx);
    if two {
        head(
            p,
            "RX errors:",
            &["length", "crc", "frame", "fifo", "overrun"],
            false,
        );
        nums(p, true, &rxe);
    }
    let first = format!("TX: {:>1$}", "bytes", cols[0] - 4);
    head(
        p,
        &first,
        &["packets", "errors", "dropped", "carrier", "collsns"],
        true,
    );
    nums(p, false, &tx);
    if two {
        head(
            p,
            "TX errors:",
            &["aborted", "fifo", "window", "heartbt", "transns"],
            false,
        );
        nums(p, true, &txe);
    }
}

/// `-br`: `NAME@PEER        STATE          ` then the rest of the brief line.
fn print_brief_head(p: &mut Printer<'_>, l: &LinkMsg<'_>, names: &Names) -> Result<()> {
    p.open_object("");
    let w = print_name(p, l, names)?;
    p.text("{} ", format_args!("{:1$}", "", 16usize.saturating_sub(w)));
    match operstate(l)? {
        Some(s) => {
            let n = OPERSTATES.get(s as usize).copied().unwrap_or("UNKNOWN");
            p.json("operstate", n);
            p.text("{} ", format_args!("{n:<14}"));
        }
        None => p.text("{} ", format_args!("{:14}", "")),
    }
    Ok(())
}

/// The kernel-side filter and the userspace checks of `link show`/`addr show`.
fn link_filter(ipr: &mut IPRoute, a: &ShowArgs, for_addr: bool) -> Result<LinkFilter> {
    let mut f = match &a.dev {
        Some(d) => LinkFilter::new().ifname(d),
        None => LinkFilter::new(),
    };
    if a.stats == 0 && !a.raw && !(for_addr && a.family == 10) {
        // No counter is printed: the kernel leaves them out (smaller messages, a faster dump;
        // IPv6's own link dump takes no such attribute).
        f.ext_mask = Some(RtextFilter::SKIP_STATS.0);
    }
    if for_addr && a.family == 10 {
        // ip asks IPv6's own link dump (addrconf's reduced record: no qdisc, group, master).
        f.family = 10;
    }
    if let Some(k) = &a.kind {
        f.kind = Some(k.clone());
    }
    if let Some(m) = &a.master {
        f.master = Some(dev_index(ipr, m)?);
    }
    Ok(f)
}

fn keep_link(l: &LinkMsg<'_>, a: &ShowArgs, master: Option<u32>, kind: Option<&str>) -> bool {
    if a.up && u32::from(l.header().flags()) & 1 == 0 {
        return false;
    }
    if master.is_some() && l.master().ok().flatten() != master {
        return false;
    }
    if let Some(k) = kind {
        let lk = l
            .linkinfo()
            .ok()
            .flatten()
            .and_then(|i| i.kind().ok().flatten());
        if lk != Some(k) {
            return false;
        }
    }
    true
}

/// A link `up` leaves out: ip 6.1 still prints an empty object for it under `-j` (it opens
/// the object before it filters), and so do we, to print the same.
fn skipped(p: &mut Printer<'_>, a: &ShowArgs) {
    if a.up {
        p.open_object("");
        p.close_object();
    }
}

/// Links waiting to be printed until the links they name are known (their bytes, in order).
#[derive(Default)]
struct Waiting {
    bytes: Vec<u8>,
    spans: std::collections::VecDeque<(usize, usize)>,
    /// `-d`: the kind's options name links too (a vxlan's `dev`, a port's `backup_port`).
    details: bool,
}

impl Waiting {
    fn push(&mut self, l: &LinkMsg<'_>) {
        let b = l.bytes();
        self.spans.push_back((self.bytes.len(), b.len()));
        self.bytes.extend_from_slice(b);
    }

    /// Prints the waiting links, in order, up to the first that names an unknown link (all of
    /// them with `all`: the dump is over, what is unknown stays unknown).
    fn drain(
        &mut self,
        p: &mut Printer<'_>,
        names: &Names,
        all: bool,
        print: &mut impl FnMut(&mut Printer<'_>, &LinkMsg<'_>, &Names) -> Result<()>,
    ) -> Result<()> {
        while let Some(&(at, len)) = self.spans.front() {
            let l = LinkMsg::parse(&self.bytes[at..at + len])?;
            if !all && !names_known(&l, names, self.details)? {
                break;
            }
            print(p, &l, names)?;
            self.spans.pop_front();
        }
        if self.spans.is_empty() {
            self.bytes.clear();
        }
        Ok(())
    }
}

/// Whether every link `l` names (its peer, its master; with `details` those its kind's
/// options name) is known.
fn names_known(l: &LinkMsg<'_>, names: &Names, details: bool) -> Result<bool> {
    let peer = match (l.link()?, l.link_netnsid()?) {
        (Some(i), None) => names.get(i).is_some(),
        _ => true,
    };
    if !peer || l.master()?.is_some_and(|m| names.get(m).is_none()) {
        return Ok(false);
    }
    if details && let Some(info) = l.linkinfo()? {
        let named = super::linkinfo::named_links(&info)?;
        return Ok(named.iter().flatten().all(|i| names.get(*i).is_some()));
    }
    Ok(true)
}

/// `link show [dev NAME] [up] [type KIND] [master NAME]`.
pub fn show_link(ipr: &mut IPRoute, a: &ShowArgs, p: &mut Printer<'_>) -> Result<()> {
    let f = link_filter(ipr, a, false)?;
    if a.raw {
        return each(ipr.get_links(f)?, a, p, |p, l| {
            super::raw_line(p, &l.dyn_message(Style::Raw))
        });
    }
    let look = LinkLook {
        for_addr: false,
        stats: a.stats,
        human: a.human,
        no_ll: false,
        details: a.details,
    };
    let (master, kind) = (f.master, f.kind.clone());
    let filtered = f.ifname.is_some() || f.kind.is_some() || f.master.is_some();
    // One dump, as ip does it, printed as it comes: a link that names a link not dumped yet
    // (a veth's peer, a port's master) waits, its bytes kept in one reused buffer, until that
    // name is known; links wait only for each other, so the buffer stays small. A filtered
    // dump lacks other links' names: those come from a dump of their own first.
    let mut names = if filtered {
        Names::load(ipr, a)?
    } else {
        Names::default()
    };
    let mut waiting = Waiting {
        details: a.details,
        ..Waiting::default()
    };
    let mut seen = 0usize;
    let mut one = |p: &mut Printer<'_>, l: &LinkMsg<'_>, names: &Names| -> Result<()> {
        if !keep_link(l, a, master, kind.as_deref()) {
            skipped(p, a);
            return Ok(());
        }
        seen += 1;
        if a.brief {
            print_brief_head(p, l, names)?;
            if let Some(ad) = l.address()? {
                p.print("address", "{} ", format_args!("{ad}"));
            }
            print_flags(p, u32::from(l.header().flags()), mdown(l, names)?);
            p.lit(" ");
        } else {
            print_link(p, l, names, look)?;
        }
        p.nl();
        p.close_object();
        Ok(())
    };
    p.start();
    each(ipr.get_links(f)?, a, p, |p, l| {
        if !filtered {
            names.learn(&l)?;
        }
        waiting.push(&l);
        waiting.drain(p, &names, false, &mut one)
    })?;
    waiting.drain(p, &names, true, &mut one)?;
    if let (Some(d), 0) = (&a.dev, seen) {
        return Err(ArgError::new("dev", format!("Device \"{d}\" does not exist.")).into());
    }
    p.end_all();
    Ok(())
}

/// ip's address flags, in its order.
/// IFA_F_PERMANENT's place is where ip prints `dynamic` (when the flag is absent).
const IFA_FLAGS: &[(u32, &str)] = &[
    (0x1, "secondary"),
    (0x2, "nodad"),
    (0x4, "optimistic"),
    (0x8, "dadfailed"),
    (0x10, "home"),
    (0x20, "deprecated"),
    (0x40, "tentative"),
    (0x80, "dynamic"),
    (0x100, "mngtmpaddr"),
    (0x200, "noprefixroute"),
    (0x400, "autojoin"),
    (0x800, "stable-privacy"),
];

/// One address, as `ip addr show` prints it under its link (or `-br`'s `ADDR/LEN `).
pub fn print_addr(p: &mut Printer<'_>, m: &AddrMsg<'_>, brief: bool) -> Result<()> {
    let h = m.header();
    let local = m.local()?;
    let address = m.address()?;
    p.open_object("");
    if brief {
        if let Some(l) = local.or(address) {
            p.print("local", "{}", l);
        }
        p.print("prefixlen", "/{} ", u8::from(h.prefixlen()));
    } else {
        print_addr_fields(p, m)?;
    }
    p.close_object();
    Ok(())
}

/// An address's fields (the caller opens and closes the object): `    inet ADDR/LEN ... LABEL`
/// and its lifetimes line.
pub fn print_addr_fields(p: &mut Printer<'_>, m: &AddrMsg<'_>) -> Result<()> {
    let h = m.header();
    let fam = u8::from(h.family());
    let local = m.local()?;
    let address = m.address()?;
    p.print("family", "    {} ", family_name(fam));
    if let Some(l) = local.or(address) {
        p.print("local", "{}", l);
    }
    if let (Some(l), Some(peer)) = (local, address)
        && l != peer
    {
        p.print("address", " peer {}", peer);
    }
    p.print("prefixlen", "/{} ", u8::from(h.prefixlen()));
    if let Some(b) = m.broadcast()? {
        p.print("broadcast", "brd {} ", b);
    }
    print_scope(p, "scope", "scope {} ", u8::from(h.scope()));
    let flags = m
        .flags()?
        .map(u32::from)
        .unwrap_or(u8::from(h.flags()) as u32);
    for (bit, name) in IFA_FLAGS {
        if *bit == 0x80 {
            if flags & 0x80 == 0 {
                p.flag("dynamic", "dynamic ");
            }
        } else if flags & bit != 0 {
            let name = if *bit == 1 && fam == 10 {
                "temporary"
            } else {
                name
            };
            p.flag(name, name);
            p.lit(" ");
        }
    }
    if let Some(l) = m.label()? {
        p.print("label", "{}", l);
    }
    if let Some(ci) = m.cacheinfo()? {
        p.sl();
        p.lit("       valid_lft ");
        lifetime(p, "valid_life_time", ci.valid());
        p.lit(" preferred_lft ");
        lifetime(p, "preferred_life_time", ci.prefered());
    }
    Ok(())
}

fn lifetime(p: &mut Printer<'_>, key: &str, v: u32) {
    if v == u32::MAX {
        p.json(key, v);
        p.lit("forever");
    } else {
        p.print(key, "{}sec", v);
    }
}

/// `label PATTERN`: ip's fnmatch, for the patterns people write (exact, `*` anywhere).
fn label_matches(pat: &str, s: &str) -> bool {
    match pat.split_once('*') {
        None => pat == s,
        Some((a, rest)) => {
            s.len() >= a.len()
                && s.starts_with(a)
                && (0..=s.len() - a.len()).any(|i| {
                    s.is_char_boundary(a.len() + i) && label_matches(rest, &s[a.len() + i..])
                })
        }
    }
}

/// `addr show [dev NAME] [up] [label PATTERN] [scope S] [type KIND] [master NAME]`.
pub fn show_addr(ipr: &mut IPRoute, a: &ShowArgs, p: &mut Printer<'_>) -> Result<()> {
    let f = link_filter(ipr, a, true)?;
    let scope = match &a.scope {
        Some(s) => Some(
            parse_scope(s)
                .ok_or_else(|| ArgError::new("scope", format!("{s:?} is not a scope")))?,
        ),
        None => None,
    };
    if a.raw {
        each(ipr.get_links(f)?, a, p, |p, l| {
            super::raw_line(p, &l.dyn_message(Style::Raw))
        })?;
        return each(
            ipr.get_addr(AddrFilter::new().family(a.family))?,
            a,
            p,
            |p, m| super::raw_line(p, &m.dyn_message(Style::Raw)),
        );
    }
    let names = Names::load(ipr, a)?;
    // The addresses, kept (owned) and ordered by link, as ip keeps them to print under each
    // link; the links themselves stream. `-0`: links only.
    let mut addrs = if a.family == 17 {
        Vec::new()
    } else {
        collect(ipr.get_addr(AddrFilter::new().family(a.family))?, a, p)?
    };
    addrs.sort_by_key(|m| m.view().header().index());
    let label = a.label.as_deref();
    // `scope`, and `label` against the address's label (IPv6 addresses have none: the
    // device's name stands for it, as in ip).
    let keep = |m: &AddrMsg<'_>, ifname: &str| -> bool {
        let h = m.header();
        if scope.is_some_and(|s| s != u8::from(h.scope())) {
            return false;
        }
        label.is_none_or(|pat| label_matches(pat, m.label().ok().flatten().unwrap_or(ifname)))
    };
    let look = LinkLook {
        for_addr: true,
        stats: a.stats,
        human: a.human,
        // ip prints the link-layer line under -4/-6 only with -d.
        no_ll: (a.family == 2 || a.family == 10) && !a.details,
        details: a.details,
    };
    let (master, kind) = (f.master, f.kind.clone());
    let mut seen = 0usize;
    p.start();
    each(ipr.get_links(f)?, a, p, |p, l| {
        if !keep_link(&l, a, master, kind.as_deref()) {
            skipped(p, a);
            return Ok(());
        }
        seen += 1;
        let i = l.header().index() as u32;
        let from = addrs.partition_point(|m| m.view().header().index() < i);
        let to = addrs.partition_point(|m| m.view().header().index() <= i);
        let ifname = l.ifname()?.unwrap_or("");
        let matched = addrs[from..to]
            .iter()
            .filter(|m| keep(&m.view(), ifname))
            .count();
        // As ip: with -4/-6 a link without such addresses is left out; with `scope` or `label`
        // one whose addresses all fail it (with `label` no link record is printed, and a link
        // without addresses is an empty record).
        if ((a.family == 2 || a.family == 10) && matched == 0)
            || ((scope.is_some() || label.is_some()) && from != to && matched == 0)
        {
            return Ok(());
        }
        // -o: no link record, each address on its own line after `N: NAME` (in -j: `index`
        // and `dev` in each address).
        let oneline = a.oneline && !a.brief;
        if a.brief {
            print_brief_head(p, &l, &names)?;
        } else if oneline || label.is_some() {
            p.open_object("");
        } else {
            print_link(p, &l, &names, look)?;
        }
        // -0: links only, not even an empty address list.
        if a.family != 17 {
            p.open_array("addr_info");
        }
        let mut first = true;
        for m in &addrs[from..to] {
            let m = m.view();
            if !keep(&m, ifname) {
                // ip 6.1 opens an address's object before it applies `scope` and `label`:
                // an empty `{}` in -j, and so here.
                p.open_object("");
                p.close_object();
                continue;
            }
            if oneline {
                p.open_object("");
                p.print("index", "{}: ", i);
                p.print("dev", "{}", ifname);
                print_addr_fields(p, &m)?;
                p.close_object();
                p.nl();
                continue;
            } else if !(a.brief || label.is_some() && first) {
                p.sl();
            }
            first = false;
            print_addr(p, &m, a.brief)?;
        }
        if a.family != 17 {
            p.close_array();
        }
        if !(a.brief || oneline || label.is_some()) {
            print_stats(p, &l, look)?;
        }
        if !(oneline || label.is_some() && first) {
            p.nl();
        }
        p.close_object();
        Ok(())
    })?;
    if let (Some(d), 0) = (&a.dev, seen) {
        return Err(ArgError::new("dev", format!("Device \"{d}\" does not exist.")).into());
    }
    p.end_all();
    Ok(())
}
