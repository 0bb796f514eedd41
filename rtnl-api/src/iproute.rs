//! [`IPRoute`]: pyroute2's command vocabulary over one netlink socket, and [`IPBatch`]: the same
//! requests compiled to bytes without a kernel.

use std::path::Path;

use rtnl_core::generated::*;
use rtnl_core::proto;
use rtnl_core::socket::Socket;
use rtnl_core::{Result, nla};

use crate::args::Args;
use crate::commands::words;
use crate::dump::{
    Addrs, Dump, Links, Mdbs, Neighs, Ntables, Routes, Rules, Stats, Tcs, Vlans, Vnis,
};
pub use crate::filter::{
    AddrFilter, LinkFilter, NeighFilter, NtableFilter, RouteFilter, RuleFilter,
};
use crate::query;
use crate::reply::Reply;
use crate::request::{self, NoResolve, Resolve};

/// A connection to the kernel's routing subsystem, with pyroute2's methods.
///
/// ```no_run
/// use rtnl_api::{IPRoute, RouteFilter, kw};
/// let mut ipr = IPRoute::new()?;
/// ipr.link("add", kw! { ifname: "br0", kind: "bridge" })?;
/// ipr.link("set", kw! { ifname: "br0", state: "up" })?;
/// ipr.get_routes(RouteFilter::new().table(254))?.for_each(|r| {
///     println!("{:?} via {:?}", r.dst()?, r.gateway()?);
///     Ok(())
/// })?;
/// # Ok::<(), rtnl_core::Error>(())
/// ```
///
/// # Sharing
///
/// An `IPRoute` is `Send` (move it to another thread) but its commands take `&mut self`: one
/// request is answered at a time, and a dump's views borrow its receive buffer. To share one
/// between threads, put it in a `Mutex` (requests are then serialised, as the kernel serialises
/// them on one socket anyway); for parallel work, open one `IPRoute` per thread — sockets are
/// cheap, and each has its own sequence numbers and buffers.
///
/// ```
/// fn assert_send<T: Send>() {}
/// assert_send::<rtnl_api::IPRoute>();
/// ```
#[derive(Debug)]
pub struct IPRoute {
    pub(crate) sock: Socket,
    /// Multicast groups joined with [`bind`](Self::bind) (what a resync dumps).
    pub(crate) groups: Vec<u32>,
    /// The tag events carry (`options().target(..)`).
    pub(crate) target: Option<String>,
    /// Write commands ask for an echo (`options().nlm_echo(true)`).
    pub(crate) echo: bool,
    /// What the kernel echoed for the last write command.
    pub(crate) echoed: Vec<crate::msg::OwnedMsg>,
    /// Files a request refers to by fd (`net_ns_fd="ns1"`), open until it is sent.
    pub(crate) held: Vec<std::fs::File>,
}

impl IPRoute {
    /// A socket in the calling thread's network namespace.
    pub fn new() -> Result<Self> {
        Ok(IPRoute::from_socket(Socket::new()?))
    }

    /// A socket in the named namespace (`ip netns` name, or a path like `/proc/PID/ns/net`).
    pub fn in_netns(name: &str) -> Result<Self> {
        let path = if name.contains('/') {
            Path::new(name).to_path_buf()
        } else {
            Path::new("/run/netns").join(name)
        };
        Ok(IPRoute::from_socket(Socket::new_in_netns(&path)?))
    }

    /// Wraps an open socket.
    pub fn from_socket(sock: Socket) -> Self {
        IPRoute {
            sock,
            groups: Vec::new(),
            target: None,
            echo: false,
            echoed: Vec::new(),
            held: Vec::new(),
        }
    }

    /// The socket (for raw requests, buffer sizes, multicast groups).
    pub fn socket(&mut self) -> &mut Socket {
        &mut self.sock
    }

    pub(crate) fn send(
        &mut self,
        build: impl FnOnce(&mut Vec<u8>, &mut Self) -> Result<rtnl_core::spec::Command>,
    ) -> Result<()> {
        let mut body = Vec::with_capacity(256);
        let c = build(&mut body, self);
        // Files the request names by fd stay open until it has been sent (or refused).
        let _held = std::mem::take(&mut self.held);
        let c = c?;
        if !self.echo {
            return self.sock.request(c.msg_type, c.flags, |b| {
                b.extend_from_slice(&body);
                Ok(())
            });
        }
        let mut echoed = Vec::new();
        let r = self.sock.transact(
            c.msg_type,
            c.flags | rtnl_core::proto::flags::ECHO,
            |b| {
                b.extend_from_slice(&body);
                Ok(())
            },
            |m| {
                echoed.push(crate::msg::Msg::parse(m.msg_type(), m.payload)?.to_owned());
                Ok(())
            },
        );
        self.echoed = echoed;
        r
    }

    /// What the kernel echoed for the last write command, when the `IPRoute` was opened with
    /// `options().nlm_echo(true)` (the created or changed object, as the kernel holds it).
    pub fn echoed(&self) -> &[crate::msg::OwnedMsg] {
        &self.echoed
    }

    /// `link(cmd, kw)`: add, set, del ... links. See [`request::link`] for the keywords.
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_api::kw;
    /// ipr.link("add", kw! { ifname: "v0", kind: "veth", peer: "v1" })?;
    /// ipr.link("set", kw! { ifname: "v0", mtu: 1400, state: "up" })?;
    /// ipr.link("del", kw! { ifname: "v0" })?;
    /// # Ok::<(), rtnl_core::Error>(())
    /// ```
    ///
    /// Returns a [`Reply`]: for `get` the link, with echo on what the kernel echoed, for
    /// `dump` the streaming [`Dump`] of [`get_links`](Self::get_links).
    pub fn link(&mut self, cmd: &str, args: Args) -> Result<Reply<'_, Links>> {
        let plan = words::link(cmd, &args, self)?;
        self.run_plan(plan)
    }

    /// `addr(cmd, kw)`: add, del, replace addresses, `dump`. See [`request::addr`].
    pub fn addr(&mut self, cmd: &str, args: Args) -> Result<Reply<'_, Addrs>> {
        let plan = words::addr(cmd, &args, self)?;
        self.run_plan(plan)
    }

    /// `route(cmd, kw)`: add, del, replace, change, append routes; `get` answers the route
    /// the kernel resolves (lookup keys and `fibmatch` in [`request::route_get`]); `dump`/`show`
    /// stream.
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_api::kw;
    /// if let Some(r) = ipr.route("get", kw! { dst: "10.1.0.1" })?.into_first()? {
    ///     let r = r.view();
    ///     println!("via {:?} dev {:?} src {:?}", r.gateway()?, r.oif()?, r.prefsrc()?);
    /// }
    /// # Ok::<(), rtnl_api::Error>(())
    /// ```
    pub fn route(&mut self, cmd: &str, args: Args) -> Result<Reply<'_, Routes>> {
        let plan = words::route(cmd, &args, self)?;
        self.run_plan(plan)
    }

    /// `rule(cmd, kw)`: add, del policy rules, `dump`. See [`request::rule`].
    pub fn rule(&mut self, cmd: &str, args: Args) -> Result<Reply<'_, Rules>> {
        let plan = words::rule(cmd, &args, self)?;
        self.run_plan(plan)
    }

    /// Links; `ifname`/`index` filters are a single kernel `get`, `kind`/`master` go to the
    /// kernel's dump filter.
    ///
    /// Keyword filters ([`LinkFilter::attr`], or a `kw!{}` map given as the filter) narrow it
    /// further: any IFLA_* attribute, compared in userspace.
    pub fn get_links(&mut self, f: impl Into<LinkFilter>) -> Result<Dump<'_, Links>> {
        let q = query::links(f.into(), self)?;
        Ok(self.dump_of(q))
    }

    /// Addresses; `family` and `index` go to the kernel.
    ///
    /// Keyword filters ([`AddrFilter::attr`], or a `kw!{}` map): `index`/`ifname` and
    /// `family` to the kernel, any IFA_* attribute (`address`, `label` ...) in userspace.
    pub fn get_addr(&mut self, f: impl Into<AddrFilter>) -> Result<Dump<'_, Addrs>> {
        let q = query::addrs(f.into(), self)?;
        Ok(self.dump_of(q))
    }

    /// Routes; `family`, `table`, `oif`, `protocol` and `type` go to the kernel.
    ///
    /// Keyword filters ([`RouteFilter::attr`], or a `kw!{}` map): `table`, `oif`, `proto`,
    /// `type`, `family` to the kernel, any RTA_* attribute (`dst`, `gateway`, `priority` ...)
    /// in userspace.
    pub fn get_routes(&mut self, f: impl Into<RouteFilter>) -> Result<Dump<'_, Routes>> {
        let q = query::routes(f.into(), self)?;
        Ok(self.dump_of(q))
    }

    /// Default routes (dst_len 0) of `family` (0 = all) in `table` (None = all tables).
    pub fn get_default_routes(
        &mut self,
        family: impl Into<AddressFamily>,
        table: Option<u32>,
    ) -> Result<Dump<'_, Routes>> {
        let mut f = RouteFilter::new().family(family);
        f.table = table;
        f.default_only = true;
        self.get_routes(f)
    }

    /// Policy rules: a family (`AddressFamily::Inet`, or a `u8`: 0 = all), or a
    /// [`RuleFilter`] whose family goes to the kernel and whose keyword filters (`priority`,
    /// `table`, `src`, `iifname` ... any FRA_* attribute) are compared in userspace.
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_api::{RuleFilter, kw};
    /// let n = ipr.get_rules(RuleFilter::new().family(2).attr("priority", 100))?.count()?;
    /// let m = ipr.get_rules(kw! { family: 2, table: 100 })?.count()?;
    /// # Ok::<(), rtnl_api::Error>(())
    /// ```
    pub fn get_rules(&mut self, f: impl Into<RuleFilter>) -> Result<Dump<'_, Rules>> {
        let q = query::rules(f.into())?;
        Ok(self.dump_of(q))
    }

    /// Neighbours (and FDB entries with family 7, AF_BRIDGE); `ifindex`/`master` go to the kernel.
    ///
    /// Keyword filters ([`NeighFilter::attr`], or a `kw!{}` map): any NDA_* attribute (`dst`,
    /// `lladdr`, `vlan` ...), compared in userspace.
    pub fn get_neighbours(&mut self, f: impl Into<NeighFilter>) -> Result<Dump<'_, Neighs>> {
        let q = query::neighbours(f.into(), self)?;
        Ok(self.dump_of(q))
    }

    /// Qdiscs, of every interface (`ifindex` 0) or one. The kernel dumps every device's
    /// qdiscs whatever the request's ifindex (as `tc` does, the others are dropped here).
    pub fn get_qdiscs(&mut self, ifindex: u32) -> Result<Dump<'_, Tcs>> {
        Ok(self.dump_of(crate::tc::plan::qdiscs(ifindex)))
    }

    /// Classes of an interface.
    pub fn get_classes(&mut self, ifindex: u32) -> Result<Dump<'_, Tcs>> {
        Ok(self.dump_of(crate::tc::plan::classes(ifindex)))
    }

    /// Filters of an interface under `parent` (0 = the root qdisc; `0xffff_fff1` = ingress/clsact).
    pub fn get_filters(&mut self, ifindex: u32, parent: u32) -> Result<Dump<'_, Tcs>> {
        Ok(self.dump_of(crate::tc::plan::filters(ifindex, parent)))
    }

    /// The bridge multicast database (`bridge mdb show`): one message per bridge, its
    /// MDBA_MDB entries (`struct br_mdb_entry` and MDBA_MDB_EATTR_*) and MDBA_ROUTER ports.
    /// `ifindex` 0 dumps every bridge; otherwise only that bridge's messages are kept.
    ///
    /// The kernel answers MDB dumps with messages of type `RTM_GETMDB` (not `RTM_NEWMDB`, which
    /// notifications use), and leaves the family of their header 0.
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// ipr.get_mdb(0)?.for_each(|m| {
    ///     for entry in m.mdb()?.into_iter().flat_map(|mdb| mdb.entry()) {
    ///         for info in entry?.info() {
    ///             let (e, _attrs) = info?;
    ///             println!("bridge {} port {} vid {}", m.header().ifindex(), e.ifindex(), e.vid());
    ///         }
    ///     }
    ///     Ok(())
    /// })?;
    /// # Ok::<(), rtnl_core::Error>(())
    /// ```
    pub fn get_mdb(&mut self, ifindex: u32) -> Result<Dump<'_, Mdbs>> {
        Ok(self.dump_of(query::mdb(ifindex)))
    }

    /// Bridge VLANs (`bridge vlan show`, the VLAN database): `ifindex` 0 for every bridge and
    /// port; `flags` are BRIDGE_VLANDB_DUMP_FLAGS ([`VlandbDumpf`]: statistics, global options).
    /// Needs a kernel with `CONFIG_BRIDGE_VLAN_FILTERING`; without it the dump is empty.
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_core::generated::VlandbDumpf;
    /// let n = ipr.get_vlandb(0, VlandbDumpf(0))?.count()?;
    /// # Ok::<(), rtnl_core::Error>(())
    /// ```
    pub fn get_vlandb(&mut self, ifindex: u32, flags: VlandbDumpf) -> Result<Dump<'_, Vlans>> {
        Ok(self.dump_of(query::vlandb(ifindex, flags)))
    }

    /// VXLAN VNI filter entries (`bridge vni show`) of one VXLAN device (`ifindex`, created
    /// `external vnifilter`) or of every one (0); `stats` asks for per-VNI counters
    /// (`bridge -s vni show`).
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// ipr.get_vnis(0, false)?.for_each(|m| {
    ///     for e in m.entry() {
    ///         let e = e?;
    ///         println!("dev {} vni {:?}-{:?}", m.header().ifindex(), e.start()?, e.end()?);
    ///     }
    ///     Ok(())
    /// })?;
    /// # Ok::<(), rtnl_core::Error>(())
    /// ```
    pub fn get_vnis(&mut self, ifindex: u32, stats: bool) -> Result<Dump<'_, Vnis>> {
        Ok(self.dump_of(query::vnis(ifindex, stats)))
    }

    /// Link statistics (`ip stats show`): `ifindex` 0 for every link; `filter_mask` selects the
    /// IFLA_STATS_* groups, bit `(IFLA_STATS_x - 1)` each (`1 << 0` is IFLA_STATS_LINK_64,
    /// `1 << 2` IFLA_STATS_LINK_XSTATS, `1 << 4` IFLA_STATS_AF_SPEC).
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// ipr.get_stats(0, 1 << 0)?.for_each(|s| {
    ///     if let Some(st) = s.link_64()? {
    ///         println!("{}: {} rx packets", s.header().ifindex(), st.rx_packets());
    ///     }
    ///     Ok(())
    /// })?;
    /// # Ok::<(), rtnl_core::Error>(())
    /// ```
    pub fn get_stats(&mut self, ifindex: u32, filter_mask: u32) -> Result<Dump<'_, Stats>> {
        Ok(self.dump_of(query::stats(ifindex, filter_mask)))
    }

    /// pyroute2's `get_vlans(**kw)`: the bridge ports' VLANs as links of family AF_BRIDGE with
    /// IFLA_EXT_MASK = RTEXT_FILTER_BRVLAN (each port's IFLA_AF_SPEC carries its
    /// IFLA_BRIDGE_VLAN_INFO), narrowed by the same filters as [`get_links`](Self::get_links):
    /// `master` to the kernel, any IFLA_* keyword in userspace. [`get_vlandb`](Self::get_vlandb)
    /// is the newer per-VLAN dump (`bridge vlan show`).
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_api::kw;
    /// ipr.get_vlans(kw! { ifname: "v1" })?.for_each(|port| {
    ///     println!("{:?}", port.af_spec()?);
    ///     Ok(())
    /// })?;
    /// # Ok::<(), rtnl_api::Error>(())
    /// ```
    pub fn get_vlans(&mut self, f: impl Into<LinkFilter>) -> Result<Dump<'_, Links>> {
        // A single `get` of one port answers without its VLANs: always a dump, the name or
        // index narrowed in userspace.
        let q = query::vlans(f.into(), self)?;
        Ok(self.dump_of(q))
    }

    /// Neighbour tables with keyword filters (pyroute2's `get_ntables`, plus filters): the
    /// family to the kernel, NDTA_* keywords (`name`: `"arp_cache"`, `"ndisc_cache"` ...) in
    /// userspace.
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_api::kw;
    /// let arp = ipr.get_ntables(kw! { name: "arp_cache" })?.count()?;
    /// # Ok::<(), rtnl_api::Error>(())
    /// ```
    pub fn get_ntables(&mut self, f: impl Into<NtableFilter>) -> Result<Dump<'_, Ntables>> {
        let q = query::ntables(f.into())?;
        Ok(self.dump_of(q))
    }

    /// Neighbour tables (`ip ntable show`) of one family (2: ARP, 10: ND) or all (0): per table a
    /// message with its thresholds, NDTA_CONFIG and NDTA_STATS, then one per device with its
    /// NDTA_PARMS (NDTPA_*).
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// ipr.get_neighbour_tables(2)?.for_each(|t| {
    ///     if let Some(p) = t.parms()? {
    ///         println!("{:?} ifindex {:?} queue {:?}", t.name()?, p.ifindex()?, p.queue_len()?);
    ///     }
    ///     Ok(())
    /// })?;
    /// # Ok::<(), rtnl_core::Error>(())
    /// ```
    pub fn get_neighbour_tables(
        &mut self,
        family: impl Into<AddressFamily>,
    ) -> Result<Dump<'_, Ntables>> {
        Ok(self.dump_of(query::neighbour_tables(family.into().into())))
    }

    /// Interface indexes whose attribute `key` equals `value` (pyroute2's `link_lookup`).
    ///
    /// `ifname`, `index` and `altname` (an alternative name, kept in IFLA_PROP_LIST: asked
    /// for with IFLA_ALT_IFNAME) are answered by the kernel; any other attribute of the link set
    /// (`address`, `mtu`, `master`, `operstate` ...) is compared on the encoded bytes.
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// let lo = ipr.link_lookup("ifname", "lo")?;
    /// assert_eq!(lo, [1]);
    /// let by_mac = ipr.link_lookup("address", "00:00:00:00:00:00")?;
    /// # Ok::<(), rtnl_core::Error>(())
    /// ```
    pub fn link_lookup(
        &mut self,
        key: &str,
        value: impl Into<rtnl_core::spec::Value>,
    ) -> Result<Vec<u32>> {
        let value = value.into();
        let mut out = Vec::new();
        // All-or-nothing: a restarted dump starts the list again from empty.
        let collect = |out: &mut Vec<u32>, d: Dump<'_, Links>| -> Result<()> {
            *out = d.fold(Vec::new, |v, l| {
                v.push(l.header().index() as u32);
                Ok(())
            })?;
            Ok(())
        };
        match key {
            "ifname" => {
                let name = crate::args::str_arg("ifname", &value)?.to_string();
                let d = self.get_links(LinkFilter::new().ifname(&name))?;
                collect(&mut out, d)?;
            }
            "index" => {
                let i = crate::args::int_as::<u32>("index", &value, None)?;
                let d = self.get_links(LinkFilter::new().index(i))?;
                collect(&mut out, d)?;
            }
            "altname" | "alt_ifname" => {
                let name = crate::args::str_arg(key, &value)?.to_string();
                let d = self.dump_of(query::link_by_altname(&name));
                collect(&mut out, d)?;
            }
            _ => {
                let spec = request::find_attr(&LINK_SPEC, key)
                    .ok_or_else(|| rtnl_core::ArgError::new(key, "not a link attribute"))?;
                let mut enc = Vec::new();
                rtnl_core::spec::encode_attr(
                    &LINK_SPEC,
                    &mut enc,
                    Default::default(),
                    spec.name,
                    &value,
                )?;
                let want = nla::Attrs::new(&enc)
                    .next()
                    .and_then(|a| a.ok())
                    .map(|a| trim(a.payload).to_vec())
                    .unwrap_or_default();
                let id = spec.id;
                let d = self.get_links(())?.filter(move |l: &LinkMsg<'_>| {
                    l.payload(id)
                        .ok()
                        .flatten()
                        .is_some_and(|p| trim(p) == want.as_slice())
                });
                collect(&mut out, d)?;
            }
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }
}

fn trim(p: &[u8]) -> &[u8] {
    let mut p = p;
    while let [rest @ .., 0] = p {
        p = rest;
    }
    p
}

impl Resolve for IPRoute {
    fn ifindex(&mut self, name: &str) -> Result<u32> {
        let found = self.link_lookup("ifname", name)?;
        found.first().copied().ok_or_else(|| {
            rtnl_core::ArgError::new(name, format!("no such interface {name:?}")).into()
        })
    }

    fn netns_fd(&mut self, k: &str, ns: &str) -> Result<i32> {
        use std::os::fd::AsRawFd;
        let f = request::open_netns(k, ns)?;
        let fd = f.as_raw_fd();
        self.held.push(f);
        Ok(fd)
    }
}

/// Requests compiled to bytes, not sent (pyroute2's `IPBatch`): sequence numbers and port ids
/// are 0. Names cannot be resolved: pass indexes.
///
/// ```
/// use rtnl_api::{IPBatch, kw};
/// let mut b = IPBatch::new();
/// b.link("set", kw! { index: 5, state: "up" })?;
/// b.route("add", kw! { dst: "10.1.0.0/24", gateway: "10.0.0.1" })?;
/// assert_eq!(b.bytes().len(), 32 + 44); // nlmsghdr + ifinfomsg; nlmsghdr + rtmsg + RTA_DST + RTA_GATEWAY
/// # Ok::<(), rtnl_core::Error>(())
/// ```
#[derive(Debug, Default, Clone)]
pub struct IPBatch {
    buf: Vec<u8>,
}

impl IPBatch {
    /// An empty batch.
    pub fn new() -> Self {
        Self::default()
    }

    pub(crate) fn push(
        &mut self,
        f: impl FnOnce(&mut Vec<u8>) -> Result<rtnl_core::spec::Command>,
    ) -> Result<()> {
        let mut body = Vec::new();
        let c = f(&mut body)?;
        let start = proto::begin_request(&mut self.buf, c.msg_type, c.flags, 0, 0);
        self.buf.extend_from_slice(&body);
        proto::finish_request(&mut self.buf, start);
        Ok(())
    }

    /// Appends a `link` request.
    pub fn link(&mut self, cmd: &str, args: Args) -> Result<()> {
        self.push(|b| request::link(b, cmd, &args, &mut NoResolve))
    }

    /// Appends an `addr` request.
    pub fn addr(&mut self, cmd: &str, args: Args) -> Result<()> {
        self.push(|b| request::addr(b, cmd, &args, &mut NoResolve))
    }

    /// Appends a `route` request.
    pub fn route(&mut self, cmd: &str, args: Args) -> Result<()> {
        match cmd {
            "get" => self.push(|b| request::route_get(b, &args, &mut NoResolve)),
            _ => self.push(|b| request::route(b, cmd, &args, &mut NoResolve)),
        }
    }

    /// Appends a `rule` request.
    pub fn rule(&mut self, cmd: &str, args: Args) -> Result<()> {
        self.push(|b| request::rule(b, cmd, &args, &mut NoResolve))
    }

    /// The compiled messages.
    pub fn bytes(&self) -> &[u8] {
        &self.buf
    }

    /// Empties the batch.
    pub fn reset(&mut self) {
        self.buf.clear();
    }

    /// Sends the batch, pipelined: as many requests per `send` as the socket's buffers take,
    /// each asking for an ACK. Every request is sent and every refusal is reported by index in
    /// [`Error::Batch`](rtnl_core::Error::Batch); netlink has no transactions, so the requests
    /// the kernel accepted stay applied.
    pub fn send(&self, ipr: &mut IPRoute) -> Result<()> {
        ipr.sock.send_batch(&self.buf)
    }

    /// [`send`](Self::send), but nothing more is sent after the chunk in which a request was
    /// refused: the report counts the requests not sent.
    pub fn send_stop_at_first_error(&self, ipr: &mut IPRoute) -> Result<()> {
        ipr.sock
            .send_batch_with(&self.buf, rtnl_core::proto::BatchMode::StopAtFirstError)
    }
}

/// The socket's descriptor, for `poll`/`epoll`/`mio`: readable when events (or replies) wait;
/// then `Events::poll` (see `rtnl_api::events`) reads them without blocking.
impl std::os::fd::AsFd for IPRoute {
    fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
        self.sock.as_fd()
    }
}
