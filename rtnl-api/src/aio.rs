//! [`AsyncIPRoute`] (feature `tokio`): [`IPRoute`](crate::IPRoute)'s commands on tokio.
//!
//! # What it is for
//! Driving many sockets, or many requests on one socket, from one runtime: every command is a
//! future, dumps are read with `next().await`, events with [`AsyncEvents::next`]. The handle
//! is `Clone + Send + Sync`: clone it into as many tasks as you like; their requests share one
//! socket and are matched to their answers by sequence number in
//! [`rtnl_core::asocket`]'s driver task (see there for the design and for cancellation).
//!
//! # What it must never do
//! Build a request or follow an answer differently from [`IPRoute`](crate::IPRoute): command
//! words and dumps are the same plans and queries (`rtnl-api/src/query.rs`: request and reply
//! type, body, single `get` or dump, the predicates of keyword filters), their bodies come from
//! [`crate::request`] (keywords, pyroute2's defaults); answers are followed by
//! [`rtnl_core::proto`] through the async socket. Only the waiting is async.
//!
//! # Replies
//! Every command word answers an [`AsyncReply`], as [`Reply`](crate::Reply) for the blocking
//! handle: `Done` with the kernel's messages once the request was answered (a `get`'s object;
//! nothing for a plain write), or `Dump` with an [`AsyncDump`] for `dump`/`show`.
//!
//! # Dumps
//! An [`AsyncDump`] hands out owned messages ([`AsyncDump::next`]: one copy per message, to
//! keep or to move between tasks) or zero-copy views ([`AsyncDump::for_each`]: each view
//! borrows the datagram the driver received, one copy per datagram, none per message). As with
//! the blocking [`Dump`](crate::Dump), dumps are all-or-nothing: when the kernel interrupts a
//! dump (`NLM_F_DUMP_INTR`), [`collect`](AsyncDump::collect) and [`count`](AsyncDump::count)
//! start again from empty; `next` and `for_each` give [`Error::DumpInterrupted`] once messages
//! were handed out, unless [`on_restart`](AsyncDump::on_restart) says how to start over.
//! Dropping an `AsyncDump` mid-way abandons the dump; the socket stays usable.
//!
//! # Names
//! Interface names in keyword arguments (`ifname`, `master`, `oif` ...) are resolved with a
//! `RTM_GETLINK` on the same socket before the request is built: the request builders are
//! synchronous, so the request is built once to learn the names it needs, the names are looked
//! up, and it is built again with them. A dump whose filter names an interface
//! (`get_neighbours(kw! { ifname: "v0" })`) is built the same way on its first read; an unknown
//! name is that read's error, the blocking dump's.
//!
//! ```no_run
//! use rtnl_api::{AsyncIPRoute, RouteFilter, kw};
//! # async fn run() -> rtnl_api::Result<()> {
//! let ipr = AsyncIPRoute::new()?; // inside a tokio runtime
//! ipr.link("add", kw! { ifname: "v0", kind: "veth", peer: "v1" }).await?;
//! ipr.addr("add", kw! { ifname: "v0", address: "10.0.0.1/24" }).await?;
//! ipr.link("set", kw! { ifname: "v0", state: "up" }).await?;
//! let mut routes = ipr.get_routes(RouteFilter::new().table(254));
//! while let Some(r) = routes.next().await {
//!     let r = r?;
//!     println!("{:?} dev {:?}", r.view().dst()?, r.view().oif()?);
//! }
//! # Ok(()) }
//! ```

use std::collections::{HashMap, VecDeque};
use std::ops::ControlFlow;

use rtnl_core::asocket::{self, AsyncSocket, Chunk, DumpItem};
use rtnl_core::generated::*;
use rtnl_core::netns::Netns;
use rtnl_core::proto::flags as nlm;
use rtnl_core::socket::{DumpEnd, SocketConfig};
use rtnl_core::{ArgError, Error, Result};

use crate::args::{Args, Value};
use crate::commands::words;
use crate::dump::{
    Addrs, Family, Links, Mdbs, Neighs, Netconfs, Nsids, Ntables, Routes, Rules, Stats, Tcs, Vlans,
    Vnis,
};
use crate::events::{self, Event};
use crate::filter::{AddrFilter, LinkFilter, NeighFilter, NtableFilter, RouteFilter, RuleFilter};
use crate::iproute::IPRoute;
use crate::query::{self, Plan, Pred, Query};
use crate::request::{self, Resolve};
use crate::tc::plan::{
    self as tc_plan, TcActionRequest, TcPreflight, TcRequest, action_answer, keeps_get_answer,
    name_the_kind, tc_request,
};
use crate::tc::{TcAction, TcActionMsg, TcActionSelect, TcSelect};

/// pyroute2's `AsyncIPRoute`: the commands of [`IPRoute`] as futures over one async socket.
///
/// Open it inside a tokio runtime; clone it to share the socket between tasks.
///
/// ```no_run
/// use rtnl_api::{AsyncIPRoute, Netns, kw};
/// # async fn run() -> rtnl_api::Result<()> {
/// let ipr = AsyncIPRoute::in_netns(Netns::Name("blue".into())).await?;
/// let (a, b) = tokio::join!(
///     ipr.route("add", kw! { dst: "10.1.0.0/24", gateway: "10.0.0.2" }),
///     ipr.route("add", kw! { dst: "10.2.0.0/24", gateway: "10.0.0.2" }),
/// );
/// a?;
/// b?;
/// println!("{} links", ipr.get_links(()).count().await?);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct AsyncIPRoute {
    sock: AsyncSocket,
    target: Option<String>,
}

impl AsyncIPRoute {
    /// A socket in the calling thread's network namespace (inside a tokio runtime).
    pub fn new() -> Result<Self> {
        Ok(AsyncIPRoute::from_socket(AsyncSocket::new()?))
    }

    /// A socket in `ns` (a name, path, descriptor or pid).
    pub async fn in_netns(ns: impl Into<Netns>) -> Result<Self> {
        Self::open_in(ns, SocketConfig::default()).await
    }

    /// A socket in `ns` configured by `cfg`. For every other option (groups, target, netns
    /// creation flags) use [`IPRoute::options`]`.open_async()`.
    pub async fn open_in(ns: impl Into<Netns>, cfg: SocketConfig) -> Result<Self> {
        Ok(AsyncIPRoute::from_socket(
            AsyncSocket::open_in(ns.into(), cfg).await?,
        ))
    }

    /// Wraps an async socket.
    pub fn from_socket(sock: AsyncSocket) -> Self {
        AsyncIPRoute { sock, target: None }
    }

    /// Moves an opened [`IPRoute`] (its socket, joined groups and target) onto the runtime.
    /// `nlm_echo` is not carried over: the async commands do not hand back echoes (yet).
    pub fn from_iproute(ipr: IPRoute) -> Result<Self> {
        Ok(AsyncIPRoute {
            sock: AsyncSocket::from_socket(ipr.sock)?,
            target: ipr.target,
        })
    }

    /// The async socket (raw requests, dumps and memberships).
    pub fn socket(&self) -> &AsyncSocket {
        &self.sock
    }

    /// Runs a command word's plan (names resolved on this socket first): a request is sent and
    /// answered now ([`AsyncReply::Done`]), a dump is started ([`AsyncReply::Dump`]).
    async fn run<F: Family + 'static>(
        &self,
        plan: impl Fn(&mut dyn Resolve) -> Result<Plan<F>> + Sync,
    ) -> Result<AsyncReply<F>> {
        let (plan, names) = resolved(&self.sock, &plan).await;
        let (c, body) = match plan? {
            Plan::Dump(q) => return Ok(AsyncReply::Dump(AsyncDump::from_query(&self.sock, q))),
            Plan::Send { command, body } => (command, body),
        };
        // `names` (and the namespace files it holds) lives until the request is answered.
        let chunks = self.sock.transact(c.msg_type, c.flags, body).await;
        drop(names);
        let mut out = Vec::new();
        for chunk in &chunks? {
            for m in chunk.messages() {
                out.push(F::to_owned(&F::parse(m.payload)?));
            }
        }
        Ok(AsyncReply::Done(out))
    }

    /// The dump `build` makes: started now when it names no interface, otherwise on its first
    /// read, once the names are looked up on this socket. A bad filter is the first read's error.
    fn dump<F: Family + 'static>(
        &self,
        build: impl Fn(&mut dyn Resolve) -> Result<Query<F>> + Send + Sync + 'static,
    ) -> AsyncDump<F> {
        let mut names = Names::default();
        let first = build(&mut names);
        if !names.asked.is_empty() {
            return AsyncDump::with_source(Source::Names {
                sock: self.sock.clone(),
                build: Box::new(build),
            });
        }
        match first {
            Ok(q) => AsyncDump::from_query(&self.sock, q),
            Err(e) => AsyncDump::with_source(Source::Failed(Some(e))),
        }
    }

    /// `link(cmd, kw)`: add, set, del ... links (keywords in [`request::link`]); `get` answers
    /// the link, `dump`/`show` streams with [`get_links`](Self::get_links)' keyword filters.
    /// As [`IPRoute::link`].
    ///
    /// ```no_run
    /// # async fn f(ipr: rtnl_api::AsyncIPRoute) -> rtnl_api::Result<()> {
    /// use rtnl_api::kw;
    /// ipr.link("add", kw! { ifname: "v0", kind: "veth", peer: "v1" }).await?;
    /// let v0 = ipr.link("get", kw! { ifname: "v0" }).await?.into_first().await?;
    /// let veths = ipr.link("dump", kw! { kind: "veth" }).await?.count().await?;
    /// # Ok(()) }
    /// ```
    pub async fn link(&self, cmd: &str, args: Args) -> Result<AsyncReply<Links>> {
        self.run(|r| words::link(cmd, &args, r)).await
    }

    /// `addr(cmd, kw)`: add, del, replace addresses, `dump` ([`request::addr`]).
    pub async fn addr(&self, cmd: &str, args: Args) -> Result<AsyncReply<Addrs>> {
        self.run(|r| words::addr(cmd, &args, r)).await
    }

    /// `route(cmd, kw)`: add, del, replace, change, append routes; `get` answers the route the
    /// kernel resolves ([`request::route_get`]); `dump`/`show` stream. As [`IPRoute::route`].
    ///
    /// ```no_run
    /// # async fn f(ipr: rtnl_api::AsyncIPRoute) -> rtnl_api::Result<()> {
    /// use rtnl_api::kw;
    /// if let Some(r) = ipr.route("get", kw! { dst: "10.1.0.1" }).await?.into_first().await? {
    ///     println!("dev {:?} via {:?}", r.view().oif()?, r.view().gateway()?);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn route(&self, cmd: &str, args: Args) -> Result<AsyncReply<Routes>> {
        self.run(|r| words::route(cmd, &args, r)).await
    }

    /// `rule(cmd, kw)`: add, del policy rules, `dump` ([`request::rule`]).
    pub async fn rule(&self, cmd: &str, args: Args) -> Result<AsyncReply<Rules>> {
        self.run(|r| words::rule(cmd, &args, r)).await
    }

    /// `neigh(cmd, kw)`: ARP/ND entries (`ip neigh`): `add`, `set`/`replace`, `change`,
    /// `append`, `del`, `get`, `dump`; keywords in [`request::neigh`]. As [`IPRoute::neigh`].
    ///
    /// ```no_run
    /// # async fn f(ipr: rtnl_api::AsyncIPRoute) -> rtnl_api::Result<()> {
    /// use rtnl_api::kw;
    /// ipr.neigh("add", kw! { ifname: "v0", dst: "10.0.0.9", lladdr: "02:00:00:00:00:09" })
    ///     .await?;
    /// ipr.neigh("dump", kw! { ifname: "v0" }).await?.for_each(|n| {
    ///     println!("{:?} {:?}", n.dst()?, n.lladdr()?);
    ///     Ok(())
    /// }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn neigh(&self, cmd: &str, args: Args) -> Result<AsyncReply<Neighs>> {
        self.run(|r| words::neigh(cmd, &args, r)).await
    }

    /// `fdb(cmd, kw)`: bridge FDB entries (`bridge fdb`), as [`IPRoute::fdb`].
    pub async fn fdb(&self, cmd: &str, args: Args) -> Result<AsyncReply<Neighs>> {
        self.run(|r| words::fdb(cmd, &args, r)).await
    }

    /// `brport(cmd, kw)`: bridge port options (`bridge link`), as [`IPRoute::brport`].
    pub async fn brport(&self, cmd: &str, args: Args) -> Result<AsyncReply<Links>> {
        self.run(|r| words::brport(cmd, &args, r)).await
    }

    /// `vlan_filter(cmd, kw)`: VLANs of a bridge port, as [`IPRoute::vlan_filter`].
    pub async fn vlan_filter(&self, cmd: &str, args: Args) -> Result<AsyncReply<Links>> {
        self.run(|r| words::vlan_filter(cmd, &args, r)).await
    }

    /// `vlandb(cmd, kw)`: the bridge VLAN database, as [`IPRoute::vlandb`].
    pub async fn vlandb(&self, cmd: &str, args: Args) -> Result<AsyncReply<Vlans>> {
        self.run(|r| words::vlandb(cmd, &args, r)).await
    }

    /// `stats(cmd, kw)`: link statistics (`get` one link, `dump` all), as [`IPRoute::stats`].
    ///
    /// ```no_run
    /// # async fn f(ipr: rtnl_api::AsyncIPRoute) -> rtnl_api::Result<()> {
    /// use rtnl_api::kw;
    /// let lo = ipr.stats("get", kw! { ifname: "lo", filter_mask: 1 }).await?.into_first().await?;
    /// # Ok(()) }
    /// ```
    pub async fn stats(&self, cmd: &str, args: Args) -> Result<AsyncReply<Stats>> {
        self.run(|r| words::stats(cmd, &args, r)).await
    }

    /// `nsid(cmd, kw)`: `get`, `set`, `dump` namespace ids, as [`IPRoute::nsid`].
    pub async fn nsid(&self, cmd: &str, args: Args) -> Result<AsyncReply<Nsids>> {
        self.run(|r| words::nsid(cmd, &args, r)).await
    }

    /// `ntable(cmd, kw)`: a neighbour table's or a device's neighbour parameters, as
    /// [`IPRoute::ntable`].
    pub async fn ntable(&self, cmd: &str, args: Args) -> Result<AsyncReply<Ntables>> {
        self.run(|r| words::ntable(cmd, &args, r)).await
    }

    /// `nexthop(cmd, kw)`: nexthop objects, as [`IPRoute::nexthop`].
    pub async fn nexthop(
        &self,
        cmd: &str,
        args: Args,
    ) -> Result<AsyncReply<crate::dump::Nexthops>> {
        self.run(|r| words::nexthop(cmd, &args, r)).await
    }

    /// Nexthop objects, as [`IPRoute::get_nexthops`].
    pub fn get_nexthops(
        &self,
        f: impl Into<crate::NexthopFilter>,
    ) -> AsyncDump<crate::dump::Nexthops> {
        AsyncDump::from_query(&self.sock, crate::commands::nexthop::nexthops(&f.into()))
    }

    /// Resilient-group buckets, as [`IPRoute::get_nexthop_buckets`].
    pub fn get_nexthop_buckets(
        &self,
        f: impl Into<crate::NexthopBucketFilter>,
    ) -> AsyncDump<crate::dump::NexthopBuckets> {
        AsyncDump::from_query(&self.sock, crate::commands::nexthop::buckets(&f.into()))
    }

    /// `mdb(cmd, kw)`: bridge multicast entries, as [`IPRoute::mdb`].
    pub async fn mdb(&self, cmd: &str, args: Args) -> Result<AsyncReply<Mdbs>> {
        self.run(|r| words::mdb(cmd, &args, r)).await
    }

    /// `vni(cmd, kw)`: a VXLAN device's VNI filter, as [`IPRoute::vni`].
    pub async fn vni(&self, cmd: &str, args: Args) -> Result<AsyncReply<Vnis>> {
        self.run(|r| words::vni(cmd, &args, r)).await
    }

    /// Links; `ifname`/`index` filters are a single kernel `get`, `kind`/`master` go to the
    /// kernel's dump filter, keyword filters as [`IPRoute::get_links`] (the same query).
    pub fn get_links(&self, f: impl Into<LinkFilter>) -> AsyncDump<Links> {
        let f = f.into();
        self.dump(move |r| query::links(f.clone(), r))
    }

    /// Addresses; `family` and `index` go to the kernel, keyword filters as
    /// [`IPRoute::get_addr`].
    pub fn get_addr(&self, f: impl Into<AddrFilter>) -> AsyncDump<Addrs> {
        let f = f.into();
        self.dump(move |r| query::addrs(f.clone(), r))
    }

    /// Routes; `family`, `table`, `oif`, `protocol` and `type` go to the kernel, keyword
    /// filters as [`IPRoute::get_routes`].
    pub fn get_routes(&self, f: impl Into<RouteFilter>) -> AsyncDump<Routes> {
        let f = f.into();
        self.dump(move |r| query::routes(f.clone(), r))
    }

    /// Default routes (dst_len 0) of `family` (0 = all) in `table` (None = all tables).
    pub fn get_default_routes(
        &self,
        family: impl Into<AddressFamily>,
        table: Option<u32>,
    ) -> AsyncDump<Routes> {
        let mut f = RouteFilter::new().family(family);
        f.table = table;
        f.default_only = true;
        self.get_routes(f)
    }

    /// Policy rules: a family (0 = all) or a [`RuleFilter`], as [`IPRoute::get_rules`].
    pub fn get_rules(&self, f: impl Into<RuleFilter>) -> AsyncDump<Rules> {
        let f = f.into();
        self.dump(move |_| query::rules(f.clone()))
    }

    /// Neighbours (FDB entries with family 7): `ifindex`/`ifname`, `master`, `family` go to the
    /// kernel, NDA_* keywords filter in userspace, as [`IPRoute::get_neighbours`].
    ///
    /// ```no_run
    /// # async fn f(ipr: rtnl_api::AsyncIPRoute) -> rtnl_api::Result<()> {
    /// use rtnl_api::kw;
    /// let on_v0 = ipr.get_neighbours(kw! { ifname: "v0", family: 2 }).collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn get_neighbours(&self, f: impl Into<NeighFilter>) -> AsyncDump<Neighs> {
        let f = f.into();
        self.dump(move |r| query::neighbours(f.clone(), r))
    }

    /// The bridge multicast database of bridge `ifindex` (0: every bridge), as
    /// [`IPRoute::get_mdb`].
    pub fn get_mdb(&self, ifindex: u32) -> AsyncDump<Mdbs> {
        AsyncDump::from_query(&self.sock, query::mdb(ifindex))
    }

    /// Bridge VLANs (the VLAN database) of `ifindex` (0: all), as [`IPRoute::get_vlandb`].
    pub fn get_vlandb(&self, ifindex: u32, flags: VlandbDumpf) -> AsyncDump<Vlans> {
        AsyncDump::from_query(&self.sock, query::vlandb(ifindex, flags))
    }

    /// VXLAN VNI filter entries of `ifindex` (0: all), as [`IPRoute::get_vnis`].
    pub fn get_vnis(&self, ifindex: u32, stats: bool) -> AsyncDump<Vnis> {
        AsyncDump::from_query(&self.sock, query::vnis(ifindex, stats))
    }

    /// Link statistics of `ifindex` (0: every link), groups `filter_mask`, as
    /// [`IPRoute::get_stats`].
    pub fn get_stats(&self, ifindex: u32, filter_mask: u32) -> AsyncDump<Stats> {
        AsyncDump::from_query(&self.sock, query::stats(ifindex, filter_mask))
    }

    /// Per-device IP configuration of one family (0: all), as [`IPRoute::get_netconf`].
    pub fn get_netconf(&self, family: impl Into<AddressFamily>) -> AsyncDump<Netconfs> {
        AsyncDump::from_query(&self.sock, query::netconf(family.into().into()))
    }

    /// Neighbour tables of one family (0: all).
    pub fn get_neighbour_tables(&self, family: impl Into<AddressFamily>) -> AsyncDump<Ntables> {
        AsyncDump::from_query(&self.sock, query::neighbour_tables(family.into().into()))
    }

    /// Neighbour tables with keyword filters, as [`IPRoute::get_ntables`].
    pub fn get_ntables(&self, f: impl Into<NtableFilter>) -> AsyncDump<Ntables> {
        let f = f.into();
        self.dump(move |_| query::ntables(f.clone()))
    }

    /// Bridge ports' VLANs (pyroute2's `get_vlans`), as [`IPRoute::get_vlans`].
    pub fn get_vlans(&self, f: impl Into<LinkFilter>) -> AsyncDump<Links> {
        let f = f.into();
        self.dump(move |r| query::vlans(f.clone(), r))
    }

    /// The indexes of the links called `ifname`.
    pub async fn link_lookup(&self, ifname: &str) -> Result<Vec<u32>> {
        Ok(ifindex(&self.sock, ifname).await?.into_iter().collect())
    }

    /// Joins multicast groups by name (empty: [`events::DEFAULT_GROUPS`]), as
    /// [`IPRoute::bind`] does; [`events`](Self::events) then reads their notifications.
    pub async fn bind(&self, groups: &[&str]) -> Result<()> {
        let names = if groups.is_empty() {
            events::DEFAULT_GROUPS
        } else {
            groups
        };
        for name in names {
            self.sock.add_membership(events::group(name)?).await?;
        }
        Ok(())
    }

    /// The notifications of the joined groups, in order.
    pub fn events(&self) -> AsyncEvents {
        AsyncEvents {
            sock: self.sock.clone(),
            target: self.target.clone(),
        }
    }
}

/// tc: the same pre-flight questions, decisions and requests as [`IPRoute::tc`]
/// (`rtnl-api/src/tc/plan.rs`); the questions are queries awaited on this socket.
impl AsyncIPRoute {
    /// `tc(cmd, kind, index, handle, kw)`, as [`IPRoute::tc`]: qdiscs (add, del, change,
    /// replace, get, dump), classes (add-class ... dump-class), filters (add-filter ...
    /// dump-filter), chains. A class under a classless qdisc is refused before anything is
    /// sent (the parent qdisc is looked up first), a rate in % reads the link's speed. Writes
    /// answer an empty list; `get*` and `dump*` what the kernel answered.
    ///
    /// ```no_run
    /// # async fn f(ipr: rtnl_api::AsyncIPRoute) -> rtnl_api::Result<()> {
    /// use rtnl_api::kw;
    /// let idx = 2;
    /// ipr.tc("add", "htb", idx, "1:", kw! { default: "10" }).await?;
    /// ipr.tc("add-class", "htb", idx, "1:10", kw! { parent: "1:", rate: "5mbit" }).await?;
    /// let classes = ipr.tc("dump-class", "", idx, 0, kw! {}).await?;
    /// # Ok(()) }
    /// ```
    pub async fn tc(
        &self,
        cmd: &str,
        kind: &str,
        index: u32,
        handle: impl Into<Value>,
        args: Args,
    ) -> Result<Vec<TcOwned>> {
        let handle = handle.into();
        let pre = TcPreflight::new(cmd, index, &handle, &args)?;
        if let Some(q) = pre.parent_query() {
            let qdiscs = AsyncDump::from_query(&self.sock, q).collect().await?;
            pre.check_parent(&qdiscs)?;
        }
        let link_mbit = match pre.link_query() {
            Some(q) => pre.speed(&AsyncDump::from_query(&self.sock, q).collect().await?),
            None => None,
        };
        let build =
            |r: &mut dyn Resolve| tc_request(cmd, kind, index, &handle, &args, r, link_mbit);
        let (req, names) = resolved(&self.sock, &build).await;
        let (command, body) = match req? {
            TcRequest::Dump(q) => return AsyncDump::from_query(&self.sock, q).collect().await,
            TcRequest::Write { command, body } => {
                let r = self
                    .sock
                    .request(command.msg_type, command.flags, body)
                    .await;
                drop(names);
                return r.map(|()| Vec::new()).map_err(|e| name_the_kind(e, kind));
            }
            TcRequest::Get { command, body } => (command, body),
        };
        let mut out = Vec::new();
        for chunk in self
            .sock
            .transact(command.msg_type, command.flags, body)
            .await?
        {
            for m in chunk.messages() {
                if keeps_get_answer(&command, m.msg_type()) {
                    out.push(TcMsg::parse(m.payload)?.to_owned_msg());
                }
            }
        }
        Ok(out)
    }

    /// `tc_action(cmd, kind, kw)`: shared tc actions (add, replace, del, get, flush, dump), as
    /// [`IPRoute::tc_action`]. Writes answer an empty list.
    ///
    /// ```no_run
    /// # async fn f(ipr: rtnl_api::AsyncIPRoute) -> rtnl_api::Result<()> {
    /// use rtnl_api::kw;
    /// ipr.tc_action("add", "mirred", kw! { action: "egress redirect", ifindex: 2, index: 9 })
    ///     .await?;
    /// let all = ipr.tc_action("dump", "mirred", kw! {}).await?;
    /// ipr.tc_action("del", "mirred", kw! { index: 9 }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn tc_action(&self, cmd: &str, kind: &str, args: Args) -> Result<Vec<TcActionMsg>> {
        let build = |r: &mut dyn Resolve| TcActionRequest::new(cmd, kind, &args, r);
        let (req, names) = resolved(&self.sock, &build).await;
        let req = req?;
        let (write, dump) = (req.is_write(), req.is_dump());
        let (c, body) = (req.command, req.body);
        let mut out = Vec::new();
        if write {
            let r = self.sock.request(c.msg_type, c.flags, body).await;
            drop(names);
            return r.map(|()| out);
        }
        if !dump {
            for chunk in self.sock.transact(c.msg_type, c.flags, body).await? {
                out.extend(chunk.messages().filter_map(|m| action_answer(&m)));
            }
            return Ok(out);
        }
        let mut d = self.sock.dump(c.msg_type, body);
        while let Some(item) = d.next().await? {
            match item {
                DumpItem::Messages(c) => out.extend(c.messages().filter_map(|m| action_answer(&m))),
                DumpItem::Restarted => out.clear(),
                _ => {}
            }
        }
        match d.end() {
            Some(DumpEnd::Inconsistent { attempts }) => Err(Error::DumpInterrupted { attempts }),
            _ => Ok(out),
        }
    }

    /// Qdiscs of every interface (`ifindex` 0) or one, as [`IPRoute::get_qdiscs`].
    pub fn get_qdiscs(&self, ifindex: u32) -> AsyncDump<Tcs> {
        AsyncDump::from_query(&self.sock, tc_plan::qdiscs(ifindex))
    }

    /// Classes of an interface, as [`IPRoute::get_classes`].
    pub fn get_classes(&self, ifindex: u32) -> AsyncDump<Tcs> {
        AsyncDump::from_query(&self.sock, tc_plan::classes(ifindex))
    }

    /// Filters of an interface under `parent` (0 = the root qdisc; `0xffff_fff1` =
    /// ingress/clsact), as [`IPRoute::get_filters`].
    pub fn get_filters(&self, ifindex: u32, parent: u32) -> AsyncDump<Tcs> {
        AsyncDump::from_query(&self.sock, tc_plan::filters(ifindex, parent))
    }

    fn tc_where(&self, q: Result<Query<Tcs>>) -> AsyncDump<Tcs> {
        match q {
            Ok(q) => AsyncDump::from_query(&self.sock, q),
            Err(e) => AsyncDump::with_source(Source::Failed(Some(e))),
        }
    }

    /// Qdiscs that `sel` selects, as [`IPRoute::get_qdiscs_where`]; a bad handle is the first
    /// read's error.
    ///
    /// ```no_run
    /// # async fn f(ipr: rtnl_api::AsyncIPRoute) -> rtnl_api::Result<()> {
    /// use rtnl_api::tc::TcSelect;
    /// let htb = ipr.get_qdiscs_where(&TcSelect::new().index(2).kind("htb")).collect().await?;
    /// # Ok(()) }
    /// ```
    pub fn get_qdiscs_where(&self, sel: &TcSelect) -> AsyncDump<Tcs> {
        self.tc_where(sel.query(RTM_GETQDISC, RTM_NEWQDISC, false))
    }

    /// Classes that `sel` selects (it needs the device's index), as
    /// [`IPRoute::get_classes_where`].
    pub fn get_classes_where(&self, sel: &TcSelect) -> AsyncDump<Tcs> {
        self.tc_where(sel.query(RTM_GETTCLASS, RTM_NEWTCLASS, false))
    }

    /// Filters that `sel` selects, as [`IPRoute::get_filters_where`].
    pub fn get_filters_where(&self, sel: &TcSelect) -> AsyncDump<Tcs> {
        self.tc_where(sel.query(RTM_GETTFILTER, RTM_NEWTFILTER, true))
    }

    /// Shared actions that `sel` selects, in the kernel's order, as
    /// [`IPRoute::get_actions_where`] (the same `tc_action` words).
    ///
    /// ```no_run
    /// # async fn f(ipr: rtnl_api::AsyncIPRoute) -> rtnl_api::Result<()> {
    /// use rtnl_api::tc::TcActionSelect;
    /// let mirreds = ipr.get_actions_where(&TcActionSelect::new().kind("mirred")).await?;
    /// # Ok(()) }
    /// ```
    pub async fn get_actions_where(&self, sel: &TcActionSelect) -> Result<Vec<TcAction>> {
        let mut out = Vec::new();
        for (cmd, kind, args) in sel.words() {
            let msgs = match self.tc_action(cmd, &kind, args).await {
                Err(e) if cmd == "get" && e.errno() == Some(2) => Vec::new(),
                r => r?,
            };
            out.extend(sel.keep(&msgs));
        }
        Ok(out)
    }
}

/// Names a request needs: learnt on a first build, then looked up, then used on the second.
#[derive(Default)]
struct Names {
    asked: Vec<String>,
    known: HashMap<String, Option<u32>>,
    /// Namespace files a request names by fd (`net_ns_fd="ns1"`), open until it is sent.
    held: Vec<std::fs::File>,
}

impl Resolve for Names {
    fn ifindex(&mut self, name: &str) -> Result<u32> {
        match self.known.get(name) {
            Some(Some(i)) => Ok(*i),
            Some(None) => Err(ArgError::new(name, format!("no such interface {name:?}")).into()),
            None => {
                self.asked.push(name.to_string());
                Ok(0) // a placeholder: this build is thrown away
            }
        }
    }

    fn netns_fd(&mut self, k: &str, ns: &str) -> Result<i32> {
        use std::os::fd::AsRawFd;
        let f = request::open_netns(k, ns)?;
        let fd = f.as_raw_fd();
        self.held.push(f);
        Ok(fd)
    }
}

/// Builds `build` with the interface names it asks for looked up on `sock`: a first build
/// learns the names, they are looked up, and a second build uses them (only when the first
/// asked for any). The [`Names`] hold the namespace files the request names; keep them until
/// it is answered.
async fn resolved<T>(
    sock: &AsyncSocket,
    build: &(dyn Fn(&mut dyn Resolve) -> Result<T> + Sync),
) -> (Result<T>, Names) {
    let mut names = Names::default();
    let first = build(&mut names);
    if names.asked.is_empty() {
        return (first, names);
    }
    drop(first);
    names.held.clear();
    for name in std::mem::take(&mut names.asked) {
        match ifindex(sock, &name).await {
            Ok(index) => names.known.insert(name, index),
            Err(e) => return (Err(e), names),
        };
    }
    (build(&mut names), names)
}

/// The index of the interface called `name`, if there is one (a single RTM_GETLINK).
async fn ifindex(sock: &AsyncSocket, name: &str) -> Result<Option<u32>> {
    let q = query::links(LinkFilter::new().ifname(name), &mut request::NoResolve)?;
    for chunk in get(sock, q.msg_type, q.body).await? {
        for m in chunk.messages() {
            if m.msg_type() == q.reply_type {
                return Ok(Some(LinkMsg::parse(m.payload)?.header().index() as u32));
            }
        }
    }
    Ok(None)
}

/// The answer of a single `get`; a get for something that does not exist (ENODEV, ENOENT,
/// ESRCH) is an empty answer, as for the blocking [`Dump`](crate::Dump).
async fn get(sock: &AsyncSocket, msg_type: u16, body: Vec<u8>) -> Result<VecDeque<Chunk>> {
    match sock.transact(msg_type, nlm::REQUEST | nlm::ACK, body).await {
        Ok(chunks) => Ok(chunks.into()),
        Err(Error::Kernel(k)) if matches!(k.errno, 19 | 2 | 3) => Ok(VecDeque::new()),
        Err(e) => Err(e),
    }
}

/// A dump's query waiting for the names it filters by.
type Build<F> = Box<dyn Fn(&mut dyn Resolve) -> Result<Query<F>> + Send + Sync>;

enum Source<F: Family> {
    Dump(asocket::AsyncDump),
    /// A query naming interfaces: built on the first read, once its names are looked up.
    Names {
        sock: AsyncSocket,
        build: Build<F>,
    },
    /// A query that could not be built: its error is the first read's.
    Failed(Option<Error>),
    /// A single `get`, not sent yet.
    Get {
        sock: AsyncSocket,
        msg_type: u16,
        body: Vec<u8>,
    },
    /// The answer of a `get`.
    Got(VecDeque<Chunk>),
}

/// A dump (or single `get`) of family `F` ([`AsyncIPRoute::get_links`] ...).
///
/// The dump request goes when the `AsyncDump` is made (a `get`: on the first read).
pub struct AsyncDump<F: Family> {
    src: Source<F>,
    reply_type: u16,
    preds: Vec<Pred<F>>,
    on_restart: Option<Box<dyn FnMut() + Send>>,
    keep_inconsistent: bool,
    /// Owned messages received but not handed out yet ([`next`](Self::next)).
    ready: VecDeque<F::Owned>,
    /// Messages of the current attempt were handed out.
    handed_out: bool,
    done: bool,
}

impl<F: Family> std::fmt::Debug for AsyncDump<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncDump")
            .field("reply_type", &self.reply_type)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<F: Family> AsyncDump<F> {
    /// The async shell of a [`Query`]: a dump is requested at once, a `get` on the first read.
    pub(crate) fn from_query(sock: &AsyncSocket, q: Query<F>) -> Self {
        let src = match q.single {
            true => Source::Get {
                sock: sock.clone(),
                msg_type: q.msg_type,
                body: q.body,
            },
            false => Source::Dump(sock.dump(q.msg_type, q.body)),
        };
        AsyncDump {
            reply_type: q.reply_type,
            preds: q.preds,
            ..Self::with_source(src)
        }
    }

    fn with_source(src: Source<F>) -> Self {
        AsyncDump {
            src,
            reply_type: 0,
            preds: Vec::new(),
            on_restart: None,
            keep_inconsistent: false,
            ready: VecDeque::new(),
            handed_out: false,
            done: false,
        }
    }

    /// Keeps only the messages `pred` accepts (a userspace filter).
    pub fn filter(
        mut self,
        pred: impl for<'a> Fn(&F::View<'a>) -> bool + Send + Sync + 'static,
    ) -> Self {
        self.preds.push(Box::new(pred));
        self
    }

    /// Called when an interrupted dump starts over: the messages handed out so far are void.
    pub fn on_restart(mut self, f: impl FnMut() + Send + 'static) -> Self {
        self.on_restart = Some(Box::new(f));
        self
    }

    /// Accepts a dump whose every attempt was interrupted (the last attempt, complete but
    /// possibly mixing states); without it such a dump is [`Error::DumpInterrupted`].
    pub fn keep_inconsistent(mut self) -> Self {
        self.keep_inconsistent = true;
        self
    }

    /// The next chunk of the answer; `Ok(None)` at its end.
    async fn next_item(&mut self) -> Result<Option<DumpItem>> {
        if self.done {
            return Ok(None);
        }
        loop {
            match &mut self.src {
                Source::Dump(d) => {
                    let item = d.next().await.inspect_err(|_| self.done = true)?;
                    if item.is_none() {
                        self.done = true;
                        if let Some(DumpEnd::Inconsistent { attempts }) = d.end()
                            && !self.keep_inconsistent
                        {
                            return Err(Error::DumpInterrupted { attempts });
                        }
                    }
                    return Ok(item);
                }
                Source::Get {
                    sock,
                    msg_type,
                    body,
                } => {
                    let r = get(sock, *msg_type, std::mem::take(body)).await;
                    self.src = Source::Got(r.inspect_err(|_| self.done = true)?);
                }
                Source::Got(q) => {
                    let c = q.pop_front();
                    self.done = c.is_none();
                    return Ok(c.map(DumpItem::Messages));
                }
                Source::Names { sock, build } => {
                    let q = match resolved(sock, &**build).await.0 {
                        Ok(q) => q,
                        Err(e) => {
                            self.done = true;
                            return Err(e);
                        }
                    };
                    let sock = sock.clone();
                    // The query's predicates first, then those given with `filter`.
                    let mut preds = q.preds;
                    preds.append(&mut self.preds);
                    let d = AsyncDump::from_query(
                        &sock,
                        Query {
                            preds: Vec::new(),
                            ..q
                        },
                    );
                    self.src = d.src;
                    self.reply_type = d.reply_type;
                    self.preds = preds;
                }
                Source::Failed(e) => {
                    self.done = true;
                    return e.take().map_or(Ok(None), Err);
                }
            }
        }
    }

    /// A restart: the caller's handler, or an error when messages were already handed out.
    fn restarted(&mut self) -> Result<()> {
        self.ready.clear();
        match self.on_restart.as_mut() {
            Some(h) => h(),
            None if self.handed_out => return Err(Error::DumpInterrupted { attempts: 1 }),
            None => {}
        }
        self.handed_out = false;
        Ok(())
    }

    fn each_view(&self, c: &Chunk, mut f: impl FnMut(F::View<'_>) -> Result<()>) -> Result<()> {
        for m in c.messages() {
            if m.msg_type() != self.reply_type {
                continue;
            }
            let v = F::parse(m.payload)?;
            if self.preds.iter().all(|p| p(&v)) {
                f(v)?;
            }
        }
        Ok(())
    }

    /// The dump as a `futures::Stream` of owned messages (what `StreamExt` combinators and
    /// `while let Some(x) = s.next().await` loops take).
    ///
    /// ```no_run
    /// # async fn f(ipr: rtnl_api::aio::AsyncIPRoute) -> rtnl_api::Result<()> {
    /// use futures_util::StreamExt;
    /// let links: Vec<_> = ipr.get_links(()).into_stream().collect().await;
    /// # Ok(()) }
    /// ```
    pub fn into_stream(self) -> impl futures_util::Stream<Item = Result<F::Owned>> + Send
    where
        F::Owned: Send,
    {
        futures_util::stream::unfold(self, |mut d| async move {
            let item = d.next().await?;
            Some((item, d))
        })
    }

    /// The next matching message, owned; `None` at the end of the dump.
    pub async fn next(&mut self) -> Option<Result<F::Owned>> {
        loop {
            if let Some(m) = self.ready.pop_front() {
                self.handed_out = true;
                return Some(Ok(m));
            }
            match self.next_item().await {
                Ok(None) => return None,
                Ok(Some(DumpItem::Messages(c))) => {
                    let mut ready = std::mem::take(&mut self.ready);
                    let r = self.each_view(&c, |v| {
                        ready.push_back(F::to_owned(&v));
                        Ok(())
                    });
                    self.ready = ready;
                    if let Err(e) = r {
                        return Some(Err(e));
                    }
                }
                Ok(Some(DumpItem::Restarted)) => {
                    if let Err(e) = self.restarted() {
                        self.done = true;
                        return Some(Err(e));
                    }
                }
                Ok(Some(_)) => {}
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
    }

    /// Streams every matching message to `f` as a zero-copy view. An error from `f` stops the
    /// dump (it is abandoned; the socket stays usable) and is returned.
    pub async fn for_each(mut self, mut f: impl FnMut(F::View<'_>) -> Result<()>) -> Result<()> {
        while let Some(item) = self.next_item().await? {
            match item {
                DumpItem::Messages(c) => {
                    self.each_view(&c, &mut f)?;
                    self.handed_out = true;
                }
                DumpItem::Restarted => self.restarted()?,
                _ => {}
            }
        }
        Ok(())
    }

    /// Folds every matching message into a state that starts again from `init()` whenever
    /// the dump restarts, so the result holds exactly one complete attempt.
    pub async fn fold<S>(
        mut self,
        init: impl Fn() -> S,
        mut f: impl FnMut(&mut S, F::View<'_>) -> Result<()>,
    ) -> Result<S> {
        let mut state = init();
        while let Some(item) = self.next_item().await? {
            match item {
                DumpItem::Messages(c) => self.each_view(&c, |v| f(&mut state, v))?,
                DumpItem::Restarted => {
                    if let Some(h) = self.on_restart.as_mut() {
                        h();
                    }
                    state = init();
                }
                _ => {}
            }
        }
        Ok(state)
    }

    /// Owned copies of every matching message (of one complete attempt).
    pub async fn collect(self) -> Result<Vec<F::Owned>> {
        self.fold(Vec::new, |out, v| {
            out.push(F::to_owned(&v));
            Ok(())
        })
        .await
    }

    /// The number of matching messages (of one complete attempt).
    pub async fn count(self) -> Result<usize> {
        self.fold(
            || 0,
            |n, _| {
                *n += 1;
                Ok(())
            },
        )
        .await
    }
}

/// What an async command word answered, as [`Reply`](crate::Reply) for the blocking one:
/// owned messages already received, or a dump ready to stream.
///
/// A request (write or `get`) was sent and answered before the command's future completed
/// ([`Done`](Self::Done): a `get`'s answer, nothing for a plain write); a `dump`/`show` word is
/// an [`AsyncDump`] with the same filters as the blocking dump. `ipr.link("add", ..).await?;`
/// drops the reply.
///
/// ```no_run
/// # async fn f(ipr: rtnl_api::AsyncIPRoute) -> rtnl_api::Result<()> {
/// use rtnl_api::{AsyncReply, kw};
/// let r = ipr.route("get", kw! { dst: "10.1.0.1" }).await?;
/// assert!(matches!(r, AsyncReply::Done(_)));
/// let route = r.into_first().await?;
/// let n = ipr.neigh("dump", kw! { ifname: "v0" }).await?.count().await?;
/// # Ok(()) }
/// ```
pub enum AsyncReply<F: Family> {
    /// Answered: the messages the kernel sent back, oldest first; empty for a plain write.
    Done(Vec<F::Owned>),
    /// A dump: stream it.
    Dump(AsyncDump<F>),
}

impl<F: Family> AsyncReply<F> {
    /// Owned copies of every message (a dump is run and collected).
    pub async fn into_vec(self) -> Result<Vec<F::Owned>> {
        match self {
            AsyncReply::Done(v) => Ok(v),
            AsyncReply::Dump(d) => d.collect().await,
        }
    }

    /// The first message, if any (a dump is run to its end).
    pub async fn into_first(self) -> Result<Option<F::Owned>> {
        Ok(self.into_vec().await?.into_iter().next())
    }

    /// Each message as a zero-copy view (a dump streams).
    pub async fn for_each(self, mut f: impl FnMut(F::View<'_>) -> Result<()>) -> Result<()> {
        match self {
            AsyncReply::Done(v) => v.iter().try_for_each(|o| f(F::view(o))),
            AsyncReply::Dump(d) => d.for_each(f).await,
        }
    }

    /// The number of messages (a dump is run).
    pub async fn count(self) -> Result<usize> {
        match self {
            AsyncReply::Done(v) => Ok(v.len()),
            AsyncReply::Dump(d) => d.count().await,
        }
    }

    /// The messages already answered (empty for a dump not yet run).
    pub fn messages(&self) -> &[F::Owned] {
        match self {
            AsyncReply::Done(v) => v,
            AsyncReply::Dump(_) => &[],
        }
    }

    /// The dump, for its filters and restart handlers; `None` for an answered command.
    pub fn into_dump(self) -> Option<AsyncDump<F>> {
        match self {
            AsyncReply::Done(_) => None,
            AsyncReply::Dump(d) => Some(d),
        }
    }
}

impl<F: Family> std::fmt::Debug for AsyncReply<F>
where
    F::Owned: std::fmt::Debug,
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AsyncReply::Done(v) => f.debug_tuple("Done").field(v).finish(),
            AsyncReply::Dump(_) => f.write_str("Dump(..)"),
        }
    }
}

/// The notifications of an [`AsyncIPRoute`]'s joined groups ([`AsyncIPRoute::events`]).
///
/// An overflow (the kernel's queue or the core's backlog) is [`Event::Overrun`]: events were
/// lost, resynchronise with a dump. (The blocking reader's resync mode is not offered here.)
#[derive(Debug, Clone)]
pub struct AsyncEvents {
    sock: AsyncSocket,
    target: Option<String>,
}

impl AsyncEvents {
    /// Waits for the next notification datagram and hands each of its events to `f` (views
    /// into the datagram). Dropping the future before a notification arrived takes none.
    pub async fn next(&mut self, mut f: impl FnMut(Event<'_>) -> Result<()>) -> Result<()> {
        let n = match self.sock.next_event().await {
            Ok(n) => n,
            Err(Error::NoBufs) => return f(Event::Overrun),
            Err(e) => return Err(e),
        };
        let target = self.target.as_deref();
        for ev in rtnl_core::proto::messages(&n.bytes) {
            if let Some(e) = events::to_event(ev?, n.nsid, target)? {
                f(e)?;
            }
        }
        Ok(())
    }

    /// Hands every event to `f` until it returns `ControlFlow::Break`.
    pub async fn for_each(
        &mut self,
        mut f: impl FnMut(Event<'_>) -> Result<ControlFlow<()>>,
    ) -> Result<()> {
        loop {
            let mut flow = ControlFlow::Continue(());
            self.next(|e| {
                if flow.is_continue() {
                    flow = f(e)?;
                }
                Ok(())
            })
            .await?;
            if flow.is_break() {
                return Ok(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kw;

    /// Handles, dumps, event readers and every command's future can move between threads
    /// (`tokio::spawn` on a multi-thread runtime); checked at compile time.
    #[allow(dead_code)]
    fn futures_are_send(ipr: AsyncIPRoute, mut ev: AsyncEvents) {
        fn send<T: Send>(_: T) {}
        fn shared<T: Send + Sync + Clone>(_: &T) {}
        shared(&ipr);
        send(ipr.link("add", kw! { ifname: "x" }));
        send(ipr.get_routes(()).next());
        send(ipr.get_links(()).for_each(|_| Ok(())));
        send(ipr.get_rules(2).collect());
        send(ipr.neigh("dump", kw! { ifname: "v0" }));
        send(ipr.get_neighbours(kw! { ifname: "v0" }).next());
        send(ipr.route("get", kw! { dst: "10.0.0.1" }));
        send(ipr.bind(&["link"]));
        send(ipr.tc(
            "add-class",
            "htb",
            1,
            "1:10",
            kw! { parent: "1:", rate: "10%" },
        ));
        send(ipr.tc_action("dump", "mirred", kw! {}));
        send(ipr.get_actions_where(&TcActionSelect::new()));
        send(ipr.get_filters_where(&TcSelect::new()).collect());
        send(ipr.qdisc_add(crate::typed::tc::Qdisc::on(1)));
        send(ev.next(|_| Ok(())));
    }

    /// The two-pass build (names learnt, looked up, then used) gives the bytes a build with the
    /// index gives, and an unknown name is the blocking API's error.
    #[test]
    fn names_are_learnt_then_resolved_into_the_same_request() {
        let args = kw! { dst: "10.1.0.0/24", oif: "v0", gateway: "10.0.0.2" };
        let mut names = Names::default();
        let mut first = Vec::new();
        request::route(&mut first, "add", &args, &mut names).unwrap();
        assert_eq!(names.asked, ["v0"]);
        names.known.insert("v0".into(), Some(7));
        let mut second = Vec::new();
        request::route(&mut second, "add", &args, &mut names).unwrap();
        let mut by_index = Vec::new();
        let direct = kw! { dst: "10.1.0.0/24", oif: 7, gateway: "10.0.0.2" };
        request::route(
            &mut by_index,
            "add",
            &direct,
            &mut crate::request::NoResolve,
        )
        .unwrap();
        assert_eq!(second, by_index);

        names.known.insert("v9".into(), None);
        let err = request::route(
            &mut Vec::new(),
            "add",
            &kw! { dst: "10.1.0.0/24", oif: "v9" },
            &mut names,
        )
        .expect_err("unknown name");
        assert!(
            err.to_string().contains("no such interface \"v9\""),
            "{err}"
        );
    }
}
