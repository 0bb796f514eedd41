//! `get_netconf`: per-device IP configuration (RTM_GETNETCONF, `ip netconf show`).

use rtnl_core::Result;
use rtnl_core::generated::AddressFamily;

use crate::IPRoute;
use crate::dump::{Dump, Netconfs};

impl IPRoute {
    /// Per-device IP configuration (`ip netconf show`): one message per device and family,
    /// plus `all` (NETCONFA_IFINDEX -1) and `default` (-2), with forwarding, rp_filter,
    /// mc_forwarding, proxy_neigh, ignore_routes_with_linkdown (and input, bc_forwarding where
    /// the kernel reports them). `family` 0 dumps IPv4 and IPv6 (and MPLS where loaded).
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_api::generated::AddressFamily;
    /// ipr.get_netconf(AddressFamily::Inet)?.for_each(|c| {
    ///     println!("ifindex {:?} forwarding {:?}", c.ifindex()?, c.forwarding()?);
    ///     Ok(())
    /// })?;
    /// # Ok::<(), rtnl_api::Error>(())
    /// ```
    pub fn get_netconf(&mut self, family: impl Into<AddressFamily>) -> Result<Dump<'_, Netconfs>> {
        Ok(self.dump_of(crate::query::netconf(family.into().into())))
    }
}
