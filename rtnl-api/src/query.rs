//! What a dump is, whatever the shell: [`Query`] (request type, reply type, body, single `get`
//! or dump, userspace predicates) and [`Plan`] (what a command word does: send a request now,
//! or run a `Query`). Both are built here once, from filters and keywords, and handed to a
//! shell: the blocking [`Dump`](crate::Dump) / [`Reply`](crate::Reply) of
//! [`IPRoute`](crate::IPRoute) or the async `AsyncDump` / `AsyncReply` of `AsyncIPRoute`.
//!
//! # What it must never do
//! Send or receive: every function here is synchronous and sans-IO. Interface names are
//! resolved through the [`Resolve`] the caller passes (the blocking `IPRoute` looks them up at
//! once; the async handle learns them on a first build, looks them up, and builds again).

use rtnl_core::generated::*;
use rtnl_core::proto::flags as nlm;
use rtnl_core::spec::Command;
use rtnl_core::{ArgError, Result};

use crate::args::{Args, int_as, str_arg};
use crate::dump::{
    Addrs, Family, Links, Mdbs, Neighs, Netconfs, Ntables, Routes, Rules, Stats, Vlans, Vnis,
};
use crate::filter::{
    self, AddrFilter, LinkFilter, NeighFilter, NtableFilter, RouteFilter, RuleFilter,
};
use crate::request::{Resolve, ifindex_arg};

/// A userspace predicate of a query (`Send + Sync`: an async dump moves between tasks).
pub(crate) type Pred<F> = Box<dyn for<'a> Fn(&<F as Family>::View<'a>) -> bool + Send + Sync>;

/// A dump (or single `get`) ready to run: the request and what to keep of its answer.
pub(crate) struct Query<F: Family> {
    /// The request's message type (`RTM_GETLINK`).
    pub msg_type: u16,
    /// The type of the answer's messages (`RTM_NEWLINK`); others are skipped.
    pub reply_type: u16,
    /// Family header and kernel-side filter attributes.
    pub body: Vec<u8>,
    /// A single `get` (NLM_F_REQUEST | NLM_F_ACK), not a dump.
    pub single: bool,
    /// Userspace predicates: a message is kept when every one accepts it.
    pub preds: Vec<Pred<F>>,
}

impl<F: Family> Query<F> {
    /// A dump of `msg_type` answered with `reply_type` messages.
    pub fn dump(msg_type: u16, reply_type: u16, body: Vec<u8>) -> Self {
        Query {
            msg_type,
            reply_type,
            body,
            single: false,
            preds: Vec::new(),
        }
    }

    /// A single `get` of `msg_type` answered with `reply_type` messages.
    pub fn get(msg_type: u16, reply_type: u16, body: Vec<u8>) -> Self {
        Query {
            single: true,
            ..Self::dump(msg_type, reply_type, body)
        }
    }

    /// Keeps only the messages `pred` accepts.
    pub fn filter(
        mut self,
        pred: impl for<'a> Fn(&F::View<'a>) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.preds.push(Box::new(pred));
        self
    }

    /// Keeps only messages whose attributes equal every one of `want` ([`filter::encode`]).
    pub fn matching(self, want: Vec<(u16, Vec<u8>)>) -> Self {
        if want.is_empty() {
            return self;
        }
        self.filter(move |v| {
            want.iter()
                .all(|(id, p)| F::attr(v, *id).is_some_and(|got| filter::trim(got) == p.as_slice()))
        })
    }
}

/// What a command word does: send a request now and answer with its messages, or run a dump.
pub(crate) enum Plan<F: Family> {
    /// A request (write or `get`), sent and answered before the command returns.
    Send {
        /// Message type and flags.
        command: Command,
        /// Family header and attributes.
        body: Vec<u8>,
    },
    /// A dump, run when read.
    Dump(Query<F>),
}

impl<F: Family> Plan<F> {
    /// The plan of a request `build` writes: a DUMP request becomes a [`Query`] (every
    /// rtnetlink family answers RTM_GETx dumps with RTM_NEWx, GET & !3), anything else is sent.
    pub fn build(
        r: &mut dyn Resolve,
        build: impl FnOnce(&mut Vec<u8>, &mut dyn Resolve) -> Result<Command>,
    ) -> Result<Self> {
        let mut body = Vec::with_capacity(256);
        let command = build(&mut body, r)?;
        Ok(match command.flags & nlm::DUMP == nlm::DUMP {
            true => Plan::Dump(Query::dump(command.msg_type, command.msg_type & !3, body)),
            false => Plan::Send { command, body },
        })
    }

    /// A dump keeps only the messages `pred` accepts; a request is unchanged.
    pub fn filter(
        self,
        pred: impl for<'a> Fn(&F::View<'a>) -> bool + Send + Sync + 'static,
    ) -> Self {
        match self {
            Plan::Dump(q) => Plan::Dump(q.filter(pred)),
            p => p,
        }
    }

    /// A dump keeps only messages whose attributes equal `want`; a request is unchanged.
    pub fn matching(self, want: Vec<(u16, Vec<u8>)>) -> Self {
        match self {
            Plan::Dump(q) => Plan::Dump(q.matching(want)),
            p => p,
        }
    }
}

fn family(a: &mut Args) -> Result<u8> {
    Ok(match a.take("family") {
        Some(v) => int_as("family", &v, Some(AddressFamily::SPEC))?,
        None => 0,
    })
}

/// Links (`get_links`): `ifname`/`index` are a single kernel `get`, `kind`/`master` go to the
/// kernel's dump filter; keyword filters as [`links_with`].
pub(crate) fn links(mut f: LinkFilter, r: &mut dyn Resolve) -> Result<Query<Links>> {
    if !f.attrs.is_empty() {
        let attrs = std::mem::take(&mut f.attrs);
        return links_with(f, &attrs, r);
    }
    let (body, single) = links_query(&f);
    Ok(match single {
        true => Query::get(RTM_GETLINK, RTM_NEWLINK, body),
        false => Query::dump(RTM_GETLINK, RTM_NEWLINK, body),
    })
}

/// The link dump of `f` narrowed by keyword filters `args` (`link("dump", kw)`): `family`,
/// `kind`, `master` (by index or name) go to the kernel; `index`, `altname` (any of the
/// link's alternative names) and every IFLA_* keyword (`ifname`, `mtu` ...) in userspace.
pub(crate) fn links_with(
    mut f: LinkFilter,
    args: &Args,
    r: &mut dyn Resolve,
) -> Result<Query<Links>> {
    let mut a = args.clone();
    if a.get("family").is_some() {
        f = f.family(family(&mut a)?);
    }
    if let Some(v) = a.take("kind") {
        f = f.kind(str_arg("kind", &v)?);
    }
    if let Some(v) = a.take("master") {
        f = f.master(ifindex_arg("master", &v, r)?);
    }
    let index = match a.take("index") {
        Some(v) => Some(int_as::<i32>("index", &v, None)?),
        None => None,
    };
    // An alternative name lives inside IFLA_PROP_LIST: compared against each one there.
    let altname = match a.take_any(&["altname", "alt_ifname"]) {
        Some((k, v)) => Some(str_arg(&k, &v)?.to_string()),
        None => None,
    };
    let want = filter::encode(&LINK_SPEC, f.family, &a)?;
    let (body, _) = links_query(&f);
    let mut q = Query::<Links>::dump(RTM_GETLINK, RTM_NEWLINK, body);
    if let Some(i) = index {
        q = q.filter(move |l| l.header().index() == i);
    }
    if let Some(name) = altname {
        q = q.filter(move |l| {
            matches!(l.prop_list(), Ok(Some(p))
                if p.alt_ifname().any(|n| n.is_ok_and(|n| n == name)))
        });
    }
    Ok(q.matching(want))
}

/// A single RTM_GETLINK for the link with alternative name `name` (IFLA_ALT_IFNAME; the
/// kernel keeps alternative names in IFLA_PROP_LIST and looks them up by this attribute).
pub(crate) fn link_by_altname(name: &str) -> Query<Links> {
    let hdr = Ifinfomsg::zeroed();
    let mut body = Vec::new();
    LinkMsg::request(&mut body, &hdr);
    rtnl_core::nla::put_str(&mut body, 53, name); // IFLA_ALT_IFNAME
    Query::get(RTM_GETLINK, RTM_NEWLINK, body)
}

/// Addresses: `family` and `index` (or `ifname`) go to the kernel; any IFA_* keyword
/// (`address`, `local`, `label` ...) filters in userspace.
pub(crate) fn addrs(mut f: AddrFilter, r: &mut dyn Resolve) -> Result<Query<Addrs>> {
    let mut a = std::mem::take(&mut f.attrs);
    if a.get("family").is_some() {
        f = f.family(family(&mut a)?);
    }
    if let Some((k, v)) = a.take_any(&["index", "ifindex", "ifname"]) {
        f = f.index(ifindex_arg(&k, &v, r)?);
    }
    let want = filter::encode(&ADDR_SPEC, f.family, &a)?;
    Ok(Query::dump(RTM_GETADDR, RTM_NEWADDR, addr_query(&f)).matching(want))
}

/// Routes: `family`, `table`, `oif`, `proto`/`protocol` and `type` go to the kernel;
/// `dst_len`, `src_len` (header fields) and every RTA_* keyword (`dst`, `gateway`, `priority`
/// ...) filter in userspace, as does `default_only`.
pub(crate) fn routes(mut f: RouteFilter, r: &mut dyn Resolve) -> Result<Query<Routes>> {
    let mut a = std::mem::take(&mut f.attrs);
    if a.get("family").is_some() {
        f = f.family(family(&mut a)?);
    }
    if let Some(v) = a.take("table") {
        f = f.table(int_as("table", &v, Some(RtTable::SPEC))?);
    }
    if let Some(v) = a.take("oif") {
        f = f.oif(ifindex_arg("oif", &v, r)?);
    }
    if let Some((k, v)) = a.take_any(&["proto", "protocol"]) {
        f = f.protocol(int_as(&k, &v, Some(RtProto::SPEC))?);
    }
    if let Some(v) = a.take("type") {
        f.rtype = Some(int_as("type", &v, Some(RtType::SPEC))?);
    }
    // Header fields pyroute2 filters on too: the prefix lengths, compared in userspace.
    let mut lens = [None, None];
    for (i, k) in ["dst_len", "src_len"].into_iter().enumerate() {
        if let Some(v) = a.take(k) {
            lens[i] = Some(int_as::<u8>(k, &v, None)?);
        }
    }
    let want = filter::encode(&ROUTE_SPEC, f.family, &a)?;
    let mut q = Query::<Routes>::dump(RTM_GETROUTE, RTM_NEWROUTE, routes_query(&f));
    if f.default_only {
        q = q.filter(|r| r.header().dst_len() == 0);
    }
    let [dst, src] = lens;
    if dst.is_some() || src.is_some() {
        q = q.filter(move |r| {
            dst.is_none_or(|l| r.header().dst_len() == l)
                && src.is_none_or(|l| r.header().src_len() == l)
        });
    }
    Ok(q.matching(want))
}

/// Policy rules: the family to the kernel, any FRA_* keyword (`priority`, `table` ...) in
/// userspace. `action` (a header field) is refused.
pub(crate) fn rules(mut f: RuleFilter) -> Result<Query<Rules>> {
    let mut a = std::mem::take(&mut f.attrs);
    if let Some(v) = a.take("family") {
        f.family = int_as("family", &v, Some(AddressFamily::SPEC))?;
    }
    if a.get("action").is_some() {
        return Err(ArgError::new("action", "a header field: filter with a predicate").into());
    }
    let want = filter::encode(&RULE_SPEC, f.family, &a)?;
    Ok(Query::dump(RTM_GETRULE, RTM_NEWRULE, rules_query(f.family)).matching(want))
}

/// Neighbours (FDB entries with family 7): `ifindex`/`ifname`, `master`, `family` to the
/// kernel, any NDA_* keyword in userspace.
pub(crate) fn neighbours(mut f: NeighFilter, r: &mut dyn Resolve) -> Result<Query<Neighs>> {
    let mut a = std::mem::take(&mut f.attrs);
    if a.get("family").is_some() {
        f = f.family(family(&mut a)?);
    }
    if let Some((k, v)) = a.take_any(&["ifindex", "index", "ifname"]) {
        f = f.ifindex(ifindex_arg(&k, &v, r)?);
    }
    if let Some(v) = a.take("master") {
        f.master = Some(ifindex_arg("master", &v, r)?);
    }
    let want = filter::encode(&NEIGH_SPEC, f.family, &a)?;
    Ok(Query::dump(RTM_GETNEIGH, RTM_NEWNEIGH, neigh_query(&f)).matching(want))
}

/// pyroute2's `get_vlans`: bridge ports as AF_BRIDGE links with RTEXT_FILTER_BRVLAN, narrowed
/// as [`links_with`]; a name or index is compared in userspace (a single `get` of one port
/// answers without its VLANs).
pub(crate) fn vlans(mut f: LinkFilter, r: &mut dyn Resolve) -> Result<Query<Links>> {
    f.family = u8::from(AddressFamily::Bridge);
    f.ext_mask = Some(f.ext_mask.unwrap_or(0) | RtextFilter::BRVLAN.0);
    if let Some(n) = f.ifname.take() {
        f.attrs.set("ifname", n);
    }
    let index = f.index.take();
    let attrs = std::mem::take(&mut f.attrs);
    let q = links_with(f, &attrs, r)?;
    Ok(match index {
        Some(i) => q.filter(move |l| l.header().index() as u32 == i),
        None => q,
    })
}

/// The bridge multicast database of bridge `ifindex` (0: every bridge). The kernel answers
/// MDB dumps with messages of type `RTM_GETMDB`. It refuses a dump whose header names a
/// bridge (EINVAL "Filtering by device index is not supported for mdb dump request"): every
/// bridge is dumped, the one asked for kept.
pub(crate) fn mdb(ifindex: u32) -> Query<Mdbs> {
    let mut hdr = BrPortMsg::zeroed();
    hdr.set_family(AddressFamily::Bridge);
    let mut body = Vec::new();
    MdbMsg::request(&mut body, &hdr);
    let q = Query::<Mdbs>::dump(RTM_GETMDB, RTM_GETMDB, body);
    match ifindex {
        0 => q,
        _ => q.filter(move |m| m.header().ifindex() == ifindex),
    }
}

/// Per-device IP configuration of `family` (0: every family), `ip netconf show`.
pub(crate) fn netconf(family: u8) -> Query<Netconfs> {
    let mut hdr = Netconfmsg::zeroed();
    hdr.set_family(family);
    let mut body = Vec::new();
    NetconfMsg::request(&mut body, &hdr);
    Query::<Netconfs>::dump(RTM_GETNETCONF, RTM_NEWNETCONF, body)
}

/// The bridge VLAN database of `ifindex` (0: all), with BRIDGE_VLANDB_DUMP_FLAGS `flags`.
pub(crate) fn vlandb(ifindex: u32, flags: VlandbDumpf) -> Query<Vlans> {
    let mut hdr = BrVlanMsg::zeroed();
    hdr.set_family(AddressFamily::Bridge);
    hdr.set_ifindex(ifindex);
    let mut body = Vec::new();
    VlanMsg::request(&mut body, &hdr);
    if flags.0 != 0 {
        // BRIDGE_VLANDB_DUMP_FLAGS (id 1 of the dump-request set `vlan_dump`).
        rtnl_core::nla::put(&mut body, 1, &flags.0.to_ne_bytes());
    }
    Query::dump(RTM_GETVLAN, RTM_NEWVLAN, body)
}

/// VXLAN VNI filter entries of `ifindex` (0: every device), with counters when `stats`.
pub(crate) fn vnis(ifindex: u32, stats: bool) -> Query<Vnis> {
    let mut hdr = TunnelMsg::zeroed();
    hdr.set_family(AddressFamily::Bridge);
    hdr.set_ifindex(ifindex);
    if stats {
        hdr.set_flags(TunnelMsgFlags::STATS);
    }
    let mut body = Vec::new();
    VniMsg::request(&mut body, &hdr);
    Query::dump(RTM_GETTUNNEL, RTM_NEWTUNNEL, body)
}

/// Link statistics of `ifindex` (a single `get`; 0: a dump of every link), groups `filter_mask`.
pub(crate) fn stats(ifindex: u32, filter_mask: u32) -> Query<Stats> {
    let mut hdr = IfStatsMsg::zeroed();
    hdr.set_ifindex(ifindex);
    hdr.set_filter_mask(filter_mask);
    let mut body = Vec::new();
    StatsMsg::request(&mut body, &hdr);
    match ifindex {
        0 => Query::dump(RTM_GETSTATS, RTM_NEWSTATS, body),
        _ => Query::get(RTM_GETSTATS, RTM_NEWSTATS, body),
    }
}

/// Neighbour tables of one family (0: all).
pub(crate) fn neighbour_tables(family: u8) -> Query<Ntables> {
    let mut hdr = Ndtmsg::zeroed();
    hdr.set_family(family);
    let mut body = Vec::new();
    NtableMsg::request(&mut body, &hdr);
    Query::dump(RTM_GETNEIGHTBL, RTM_NEWNEIGHTBL, body)
}

/// Neighbour tables with keyword filters: the family to the kernel, NDTA_* keywords (`name`
/// ...) in userspace.
pub(crate) fn ntables(mut f: NtableFilter) -> Result<Query<Ntables>> {
    let mut a = std::mem::take(&mut f.attrs);
    if let Some(v) = a.take("family") {
        f.family = int_as("family", &v, Some(AddressFamily::SPEC))?;
    }
    let want = filter::encode(&NEIGHTBL_SPEC, f.family, &a)?;
    Ok(neighbour_tables(f.family).matching(want))
}

// The request bodies (family header + kernel-side filters).

/// A link dump's body, and whether it is a single `get` (by name or index).
pub(crate) fn links_query(f: &LinkFilter) -> (Vec<u8>, bool) {
    let mut hdr = Ifinfomsg::zeroed();
    hdr.set_family(f.family);
    let mut body = Vec::new();
    let single = f.ifname.is_some() || f.index.is_some();
    if let Some(i) = f.index {
        hdr.set_index(i as i32);
    }
    {
        let mut b = LinkMsg::request(&mut body, &hdr);
        if let Some(n) = &f.ifname {
            b.ifname(n);
        }
        if let Some(m) = f.ext_mask {
            b.ext_mask(RtextFilter(m));
        }
        if !single {
            if let Some(m) = f.master {
                b.master(m);
            }
            if let Some(k) = &f.kind {
                b.linkinfo(|li| {
                    li.kind(k);
                });
            }
        }
    }
    (body, single)
}

/// An address dump's body.
pub(crate) fn addr_query(f: &AddrFilter) -> Vec<u8> {
    let mut hdr = Ifaddrmsg::zeroed();
    hdr.set_family(f.family);
    if let Some(i) = f.index {
        hdr.set_index(i);
    }
    let mut body = Vec::new();
    AddrMsg::request(&mut body, &hdr);
    body
}

/// A route dump's body (`default_only` is a userspace filter, not part of it).
pub(crate) fn routes_query(f: &RouteFilter) -> Vec<u8> {
    let mut hdr = Rtmsg::zeroed();
    hdr.set_family(f.family);
    if let Some(p) = f.protocol {
        hdr.set_protocol(p);
    }
    if let Some(t) = f.rtype {
        hdr.set_type(t);
    }
    let mut body = Vec::new();
    {
        let mut b = RouteMsg::request(&mut body, &hdr);
        if let Some(t) = f.table {
            b.table(t);
        }
        if let Some(o) = f.oif {
            b.oif(o);
        }
    }
    body
}

/// A neighbour dump's body (NDA_IFINDEX / NDA_MASTER: what strict checking filters by).
pub(crate) fn neigh_query(f: &NeighFilter) -> Vec<u8> {
    let mut hdr = Ndmsg::zeroed();
    hdr.set_family(f.family);
    let mut body = Vec::new();
    {
        let mut b = NeighMsg::request(&mut body, &hdr);
        if let Some(i) = f.ifindex {
            b.ifindex(i);
        }
        if let Some(m) = f.master {
            b.master(m);
        }
    }
    body
}

/// A rule dump's body.
pub(crate) fn rules_query(family: u8) -> Vec<u8> {
    let mut hdr = FibRuleHdr::zeroed();
    hdr.set_family(family);
    let mut body = Vec::new();
    RuleMsg::request(&mut body, &hdr);
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    /// IFLA_EXT_MASK goes into a link dump's request only when asked for, as a u32 attribute.
    #[test]
    fn ext_mask_is_sent_when_asked() {
        let (plain, _) = links_query(&LinkFilter::new());
        assert_eq!(plain.len(), Ifinfomsg::SIZE, "no attribute: {plain:?}");
        let (body, single) = links_query(&LinkFilter::new().ext_mask(RtextFilter::SKIP_STATS.0));
        assert!(!single);
        let attr = &body[Ifinfomsg::SIZE..];
        // len 8, type 29 (IFLA_EXT_MASK), value 8 (RTEXT_FILTER_SKIP_STATS).
        assert_eq!(attr, [8, 0, 29, 0, 8, 0, 0, 0]);
    }

    /// Resolves every name to one index, and remembers the names asked for.
    struct Fixed(u32, Vec<String>);

    impl Resolve for Fixed {
        fn ifindex(&mut self, name: &str) -> Result<u32> {
            self.1.push(name.to_string());
            Ok(self.0)
        }
    }

    /// A keyword filter splits into the kernel's part (in the body, names resolved through the
    /// caller's `Resolve`) and userspace predicates; a command word's dump is the same query.
    #[test]
    fn keyword_filters_split_into_body_and_predicates() {
        let mut r = Fixed(7, Vec::new());
        let f = crate::kw! { ifname: "v0", family: 2, lladdr: "02:00:00:00:00:01" };
        let q = neighbours(f.into(), &mut r).unwrap();
        assert_eq!(r.1, ["v0"]);
        assert_eq!(
            (q.msg_type, q.reply_type, q.single),
            (RTM_GETNEIGH, RTM_NEWNEIGH, false)
        );
        let kernel = NeighFilter::new().family(2).ifindex(7);
        assert_eq!(q.body, neigh_query(&kernel));
        assert_eq!(q.preds.len(), 1, "lladdr is compared in userspace");

        let q = links(crate::kw! { master: "br0", mtu: 1500 }.into(), &mut r).unwrap();
        assert_eq!(r.1, ["v0", "br0"]);
        assert_eq!(q.body, links_query(&LinkFilter::new().master(7)).0);
        assert_eq!(q.preds.len(), 1);
        // Without keywords an ifname is a single `get`, with no predicate.
        let q = links(LinkFilter::new().ifname("v0"), &mut r).unwrap();
        assert!(q.single && q.preds.is_empty());

        let Plan::Dump(w) = crate::commands::words::route(
            "dump",
            &crate::kw! { table: 100, oif: "v0", dst: "10.0.0.0/24" },
            &mut r,
        )
        .unwrap() else {
            panic!("route dump is a dump")
        };
        let q = routes(
            crate::kw! { table: 100, oif: "v0", dst: "10.0.0.0/24" }.into(),
            &mut r,
        )
        .unwrap();
        assert_eq!(w.body, q.body);
        assert_eq!(w.body, routes_query(&RouteFilter::new().table(100).oif(7)));
        assert_eq!((w.preds.len(), q.preds.len()), (1, 1));
        // A bad keyword names itself.
        let e = rules(crate::kw! { action: 1 }.into())
            .map(drop)
            .unwrap_err();
        assert!(e.to_string().contains("action"), "{e}");
    }
}
