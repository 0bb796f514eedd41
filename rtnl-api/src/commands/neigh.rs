//! `neigh`, `fdb` and `ntable` on [`IPRoute`] and [`IPBatch`].

use rtnl_core::Result;

use crate::args::Args;
use crate::dump::{Neighs, Ntables};
use crate::reply::Reply;
use crate::request::{self, NoResolve};

use super::words;
use crate::{IPBatch, IPRoute};

impl IPRoute {
    /// `neigh(cmd, kw)`: ARP/ND entries (`ip neigh`). Commands: `add`, `set`/`replace`,
    /// `change`, `append`, `del`, `get`, `dump`; keywords in [`request::neigh`].
    ///
    /// `get` answers the entry ([`Reply::Done`]), `dump` streams ([`Reply::Dump`]): `ifindex`,
    /// `master` and `family` go to the kernel, any other NDA_* keyword (`dst`, `lladdr` ...)
    /// filters in userspace. The kernel echoes no neighbour write (`nlm_echo`): their
    /// notifications do not carry the request's header.
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_api::kw;
    /// ipr.neigh("add", kw! { ifname: "v0", dst: "10.0.0.9", lladdr: "02:00:00:00:00:09" })?;
    /// let n = ipr.neigh("get", kw! { ifname: "v0", dst: "10.0.0.9" })?.into_first()?;
    /// println!("{:?}", n.map(|n| n.view().header().state()));
    /// ipr.neigh("dump", kw! { ifname: "v0" })?.for_each(|n| {
    ///     println!("{:?} {:?}", n.dst()?, n.lladdr()?);
    ///     Ok(())
    /// })?;
    /// # Ok::<(), rtnl_api::Error>(())
    /// ```
    pub fn neigh(&mut self, cmd: &str, args: Args) -> Result<Reply<'_, Neighs>> {
        let plan = words::neigh(cmd, &args, self)?;
        self.run_plan(plan)
    }

    /// `fdb(cmd, kw)`: bridge FDB entries (`bridge fdb`), neighbour messages of family
    /// AF_BRIDGE with pyroute2's defaults (state NOARP|PERMANENT, flag NTF_SELF); commands
    /// `add`, `append`, `del`, `dump`; keywords in [`request::fdb`].
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_api::kw;
    /// ipr.fdb("add", kw! { ifname: "v0", lladdr: "02:00:00:00:00:09", master: "br0" })?;
    /// ipr.fdb("dump", kw! { ifname: "v0" })?.for_each(|e| {
    ///     println!("{:?} vlan {:?}", e.lladdr()?, e.vlan()?);
    ///     Ok(())
    /// })?;
    /// # Ok::<(), rtnl_api::Error>(())
    /// ```
    pub fn fdb(&mut self, cmd: &str, args: Args) -> Result<Reply<'_, Neighs>> {
        let plan = words::fdb(cmd, &args, self)?;
        self.run_plan(plan)
    }

    /// `ntable(cmd, kw)`: set a neighbour table's thresholds or a device's neighbour
    /// parameters (`ip ntable change`); commands `set`, `change`; keywords in
    /// [`request::ntable`]. The tables are listed by [`get_ntables`](IPRoute::get_ntables).
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_api::kw;
    /// ipr.ntable("set", kw! { name: "arp_cache", ifname: "v0", base_reachable_time: 60000 })?;
    /// # Ok::<(), rtnl_api::Error>(())
    /// ```
    pub fn ntable(&mut self, cmd: &str, args: Args) -> Result<Reply<'_, Ntables>> {
        let plan = words::ntable(cmd, &args, self)?;
        self.run_plan(plan)
    }
}

impl IPBatch {
    /// Appends a `neigh` request ([`request::neigh`]).
    pub fn neigh(&mut self, cmd: &str, args: Args) -> Result<()> {
        self.push(|b| request::neigh(b, cmd, &args, &mut NoResolve))
    }

    /// Appends an `fdb` request ([`request::fdb`]).
    pub fn fdb(&mut self, cmd: &str, args: Args) -> Result<()> {
        self.push(|b| request::fdb(b, cmd, &args, &mut NoResolve))
    }

    /// Appends an `ntable` request ([`request::ntable`]).
    pub fn ntable(&mut self, cmd: &str, args: Args) -> Result<()> {
        self.push(|b| request::ntable(b, cmd, &args, &mut NoResolve))
    }
}
