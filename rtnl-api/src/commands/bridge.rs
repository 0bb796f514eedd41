//! `brport`, `vlan_filter`, `vlandb`, `mdb` and `vni` on [`IPRoute`] and [`IPBatch`].

use rtnl_core::Result;

use crate::args::Args;
use crate::dump::{Links, Mdbs, Vlans, Vnis};
use crate::reply::Reply;
use crate::request::{self, NoResolve};

use super::words;
use crate::{IPBatch, IPRoute};

impl IPRoute {
    /// `brport(cmd, kw)`: bridge port options (`bridge link`). `set` sends IFLA_BRPORT_*
    /// options of the port `index`/`ifname`; `dump`/`show` lists AF_BRIDGE links, whose
    /// `protinfo` holds the options. Keywords in [`request::brport`].
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_api::kw;
    /// ipr.brport("set", kw! { ifname: "v0", cost: 200, learning: false })?;
    /// ipr.brport("dump", kw! {})?.for_each(|p| {
    ///     println!("{:?} {:?}", p.ifname()?, p.header().index());
    ///     Ok(())
    /// })?;
    /// # Ok::<(), rtnl_api::Error>(())
    /// ```
    ///
    /// A `dump` with `index`/`ifname` lists that port only: the kernel refuses a bridge link
    /// dump whose header names a link (EINVAL "Invalid values in header for bridge link dump
    /// request"), so the dump asks for every port and keeps the one named.
    pub fn brport(&mut self, cmd: &str, args: Args) -> Result<Reply<'_, Links>> {
        let plan = words::brport(cmd, &args, self)?;
        self.run_plan(plan)
    }

    /// `vlan_filter(cmd, kw)`: `add`/`del` VLANs of a bridge port (`bridge vlan add/del`);
    /// keywords (`index`, `vlan_info` with `vid` as a number or `"100-199"`, `pvid`,
    /// `untagged`, `vlan_tunnel_info`) in [`request::vlan_filter`].
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_api::kw;
    /// ipr.vlan_filter("add", kw! { ifname: "v0", vlan_info: kw! { vid: 200, pvid: true } })?;
    /// # Ok::<(), rtnl_api::Error>(())
    /// ```
    pub fn vlan_filter(&mut self, cmd: &str, args: Args) -> Result<Reply<'_, Links>> {
        let plan = words::vlan_filter(cmd, &args, self)?;
        self.run_plan(plan)
    }

    /// `vlandb(cmd, kw)`: the bridge VLAN database (`bridge vlan set` / `bridge vlan show`):
    /// `set` per-VLAN options, `dump` entries; keywords in [`request::vlandb`].
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_api::kw;
    /// ipr.vlandb("dump", kw! { dump_flags: "stats" })?.for_each(|v| {
    ///     println!("port {}", v.header().ifindex());
    ///     Ok(())
    /// })?;
    /// # Ok::<(), rtnl_api::Error>(())
    /// ```
    pub fn vlandb(&mut self, cmd: &str, args: Args) -> Result<Reply<'_, Vlans>> {
        let plan = words::vlandb(cmd, &args, self)?;
        self.run_plan(plan)
    }

    /// `mdb(cmd, kw)`: `add`, `replace` or `del` a bridge multicast group entry (`bridge mdb
    /// add/del`); keywords in [`request::mdb`]. The entries are listed by
    /// [`get_mdb`](IPRoute::get_mdb).
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_api::kw;
    /// ipr.mdb("add", kw! { ifname: "br0", port: "v0", group: "239.1.1.1", state: "permanent" })?;
    /// # Ok::<(), rtnl_api::Error>(())
    /// ```
    pub fn mdb(&mut self, cmd: &str, args: Args) -> Result<Reply<'_, Mdbs>> {
        let plan = words::mdb(cmd, &args, self)?;
        self.run_plan(plan)
    }

    /// `vni(cmd, kw)`: `add` or `del` VNIs of a VXLAN device's filter (`bridge vni add/del`;
    /// the device made with `external vnifilter`); keywords in [`request::vni`]. The filter
    /// is listed by [`get_vnis`](IPRoute::get_vnis).
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_api::kw;
    /// ipr.vni("add", kw! { ifname: "vx0", vni: "100-110", group: "239.1.1.1" })?;
    /// # Ok::<(), rtnl_api::Error>(())
    /// ```
    pub fn vni(&mut self, cmd: &str, args: Args) -> Result<Reply<'_, Vnis>> {
        let plan = words::vni(cmd, &args, self)?;
        self.run_plan(plan)
    }
}

impl IPBatch {
    /// Appends a `brport` request ([`request::brport`]).
    pub fn brport(&mut self, cmd: &str, args: Args) -> Result<()> {
        self.push(|b| request::brport(b, cmd, &args, &mut NoResolve))
    }

    /// Appends a `vlan_filter` request ([`request::vlan_filter`]).
    pub fn vlan_filter(&mut self, cmd: &str, args: Args) -> Result<()> {
        self.push(|b| request::vlan_filter(b, cmd, &args, &mut NoResolve))
    }

    /// Appends a `vlandb` request ([`request::vlandb`]).
    pub fn vlandb(&mut self, cmd: &str, args: Args) -> Result<()> {
        self.push(|b| request::vlandb(b, cmd, &args, &mut NoResolve))
    }

    /// Appends an `mdb` request ([`request::mdb`]).
    pub fn mdb(&mut self, cmd: &str, args: Args) -> Result<()> {
        self.push(|b| request::mdb(b, cmd, &args, &mut NoResolve))
    }

    /// Appends a `vni` request ([`request::vni`]).
    pub fn vni(&mut self, cmd: &str, args: Args) -> Result<()> {
        self.push(|b| request::vni(b, cmd, &args, &mut NoResolve))
    }
}
