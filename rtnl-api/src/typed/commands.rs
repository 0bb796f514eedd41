//! Typed requests of the commands beyond link/addr/route/rule: `neigh`, `fdb`, `brport`,
//! `vlan_filter`, `vlandb`, `stats`, `nsid` and `route("get")`.
//!
//! [`Neigh`], [`Fdb`], [`Brport`], [`Vlandb`], [`Nsid`] and [`RouteGet`] have one generated
//! setter per plain attribute of the set each sends (`generated.rs`); header fields, device
//! names and pyroute2's conveniences are written here. [`VlanFilter`] and [`Stats`] send no
//! attribute set of their own (VLAN entries, a header), so they are written here whole.

use std::net::IpAddr;

use rtnl_core::Result;
use rtnl_core::generated::{
    AddressFamily, BridgeFlags, BridgeMode, BridgeVlanInfoFlags, NtfFlags, NudState, RtType,
    RtmFlags,
};

use crate::args::{Args, Value};
use crate::dump::{Links, Neighs, Nsids, Routes, Vlans};
use crate::iproute::{IPBatch, IPRoute};
use crate::reply::Reply;

request_type! {
    /// A typed `neigh` request (RTM_NEWNEIGH / RTM_DELNEIGH / RTM_GETNEIGH), with `neigh`'s
    /// defaults (state `permanent` for writes, family from `dst`; see
    /// [`request::neigh`](crate::request::neigh)).
    ///
    /// ```
    /// use rtnl_api::typed::Neigh;
    /// use rtnl_api::kw;
    /// let ip: std::net::IpAddr = "10.0.0.9".parse().unwrap();
    /// assert_eq!(Neigh::on(5).dst(ip).vlan(7).into_args(),
    ///            kw! { ifindex: 5, dst: ip, vlan: 7 });
    /// ```
    ///
    /// ```compile_fail
    /// // A misspelt attribute does not compile.
    /// let n = rtnl_api::typed::Neigh::on(5).lladr(&[2, 0, 0, 0, 0, 9]);
    /// ```
    Neigh
}

request_type! {
    /// A typed `fdb` request: a bridge FDB entry (a neighbour message of family AF_BRIDGE),
    /// with pyroute2's defaults (state NOARP|PERMANENT, flag NTF_SELF; see
    /// [`request::fdb`](crate::request::fdb)).
    ///
    /// ```
    /// use rtnl_api::typed::Fdb;
    /// use rtnl_api::kw;
    /// assert_eq!(Fdb::on(5).lladdr(&[2, 0, 0, 0, 0, 9]).vlan(200).into_args(),
    ///            kw! { ifindex: 5, lladdr: vec![2u8, 0, 0, 0, 0, 9], vlan: 200 });
    /// ```
    ///
    /// ```compile_fail
    /// // Nor does a value of the wrong type.
    /// let f = rtnl_api::typed::Fdb::on(5).vlan("200");
    /// ```
    Fdb
}

request_type! {
    /// A typed `brport` request: options of a bridge port (IFLA_BRPORT_*; see
    /// [`request::brport`](crate::request::brport)).
    ///
    /// ```
    /// use rtnl_api::typed::Brport;
    /// use rtnl_api::kw;
    /// assert_eq!(Brport::on(5).cost(200).learning(0).into_args(),
    ///            kw! { index: 5, cost: 200, learning: 0 });
    /// ```
    ///
    /// ```compile_fail
    /// let p = rtnl_api::typed::Brport::on(5).costt(200);
    /// ```
    Brport
}

request_type! {
    /// A typed `vlan_filter` request: VLANs of a bridge port (`bridge vlan add/del`; see
    /// [`request::vlan_filter`](crate::request::vlan_filter)).
    ///
    /// ```
    /// use rtnl_api::typed::{VlanFilter, VlanInfo};
    /// use rtnl_api::kw;
    /// assert_eq!(VlanFilter::on(5).vlan(VlanInfo::vid(200).pvid()).into_args(),
    ///            kw! { index: 5, vlan_info: vec![rtnl_api::Value::from(kw! { vid: 200, pvid: true })] });
    /// ```
    ///
    /// ```compile_fail
    /// let v = rtnl_api::typed::VlanFilter::on(5).vlan(200);
    /// ```
    VlanFilter
}

request_type! {
    /// One VLAN (or range) of [`VlanFilter::vlan`] (IFLA_BRIDGE_VLAN_INFO).
    VlanInfo
}

request_type! {
    /// One VLAN-to-tunnel mapping (or range) of [`VlanFilter::tunnel`]
    /// (IFLA_BRIDGE_VLAN_TUNNEL_INFO).
    VlanTunnel
}

request_type! {
    /// A typed `vlandb` request: options of a VLAN in the bridge VLAN database (`bridge vlan
    /// set`; BRIDGE_VLANDB_ENTRY_*; see [`request::vlandb`](crate::request::vlandb)).
    ///
    /// ```
    /// use rtnl_api::typed::Vlandb;
    /// use rtnl_api::generated::MdbRtrType;
    /// use rtnl_api::kw;
    /// assert_eq!(Vlandb::on(5, 200).mcast_router(MdbRtrType::Perm).into_args(),
    ///            kw! { index: 5, vid: 200, mcast_router: 2 });
    /// ```
    ///
    /// ```compile_fail
    /// let v = rtnl_api::typed::Vlandb::on(5, 200).mcast_router(2);
    /// ```
    Vlandb
}

request_type! {
    /// A typed `stats` request: link statistics (RTM_GETSTATS; `filter_mask` default 31,
    /// pyroute2's; see [`request::stats`](crate::request::stats)).
    ///
    /// ```
    /// use rtnl_api::typed::Stats;
    /// use rtnl_api::kw;
    /// assert_eq!(Stats::of(5).filter_mask(1).into_args(), kw! { ifindex: 5, filter_mask: 1 });
    /// ```
    ///
    /// ```compile_fail
    /// let s = rtnl_api::typed::Stats::of(5).filter(1);
    /// ```
    Stats
}

request_type! {
    /// A typed `nsid` request: namespace ids (NETNSA_*; see
    /// [`request::nsid`](crate::request::nsid)).
    ///
    /// ```
    /// use rtnl_api::typed::Nsid;
    /// use rtnl_api::kw;
    /// assert_eq!(Nsid::new().pid(1).nsid(5).into_args(), kw! { pid: 1, nsid: 5 });
    /// ```
    ///
    /// ```compile_fail
    /// let n = rtnl_api::typed::Nsid::new().pid("1");
    /// ```
    Nsid
}

request_type! {
    /// A typed route lookup (`route("get")`, RTM_GETROUTE, `ip route get`): only the keys the
    /// kernel takes in a lookup (see [`request::route_get`](crate::request::route_get)); the
    /// kernel refuses a table, so there is no `table` setter.
    ///
    /// ```
    /// use rtnl_api::typed::RouteGet;
    /// use rtnl_api::kw;
    /// let ip: std::net::IpAddr = "10.0.0.2".parse().unwrap();
    /// assert_eq!(RouteGet::to(ip).mark(7).fibmatch().into_args(),
    ///            kw! { dst: ip, mark: 7, fibmatch: true });
    /// ```
    ///
    /// ```compile_fail
    /// let r = rtnl_api::typed::RouteGet::to("10.0.0.2".parse().unwrap()).table(100);
    /// ```
    RouteGet
}

/// The header fields and device names `Neigh` and `Fdb` share.
macro_rules! neigh_header {
    ($ty:ident) => {
        impl $ty {
            /// An entry on the device with index `ifindex`.
            pub fn on(ifindex: u32) -> Self {
                Self::new().ifindex(ifindex)
            }

            /// The device by index (the header's `ndm_ifindex`).
            pub fn ifindex(self, ifindex: u32) -> Self {
                self.kw("ifindex", ifindex)
            }

            /// The device by name (resolved by `IPRoute`; an `IPBatch` refuses names).
            pub fn ifname(self, ifname: &str) -> Self {
                self.kw("ifname", ifname)
            }

            /// The header's state (`NUD_*`).
            pub fn state(self, state: NudState) -> Self {
                self.kw("state", state.0)
            }

            /// The header's flags (`NTF_*`).
            pub fn flags(self, flags: NtfFlags) -> Self {
                self.kw("flags", flags.0)
            }
        }
    };
}

neigh_header!(Neigh);
neigh_header!(Fdb);

impl Neigh {
    /// The header's family (default: the family of `dst`, else AF_INET for writes).
    pub fn family(self, family: AddressFamily) -> Self {
        self.kw("family", u8::from(family))
    }

    /// The header's route type (`ndm_type`).
    pub fn ndm_type(self, t: RtType) -> Self {
        self.kw("ndm_type", u8::from(t))
    }
}

/// Index and name setters of the requests that name a link by `index`.
macro_rules! link_header {
    ($ty:ident) => {
        impl $ty {
            /// The link by index (the header's index).
            pub fn index(self, index: u32) -> Self {
                self.kw("index", index)
            }

            /// The link by name (resolved by `IPRoute`; an `IPBatch` refuses names).
            pub fn ifname(self, ifname: &str) -> Self {
                self.kw("ifname", ifname)
            }
        }
    };
}

link_header!(Brport);
link_header!(VlanFilter);
link_header!(Vlandb);

impl Brport {
    /// Options of the port with index `index`.
    pub fn on(index: u32) -> Self {
        Self::new().index(index)
    }
}

impl VlanFilter {
    /// VLANs of the port (or bridge, with [`vlan_flags`](Self::vlan_flags) `SELF`) with index
    /// `index`.
    pub fn on(index: u32) -> Self {
        Self::new().index(index)
    }

    /// Appends `v` to the list under `k`, which keeps its place.
    fn push(mut self, k: &'static str, v: impl Into<Args>) -> Self {
        let v = Value::from(v.into());
        match self.args.0.iter_mut().find(|(n, _)| n == k) {
            Some((_, Value::List(l))) => l.push(v),
            _ => self.args.set(k, Value::List(vec![v])),
        }
        self
    }

    /// A VLAN (or range) to add or delete (IFLA_BRIDGE_VLAN_INFO); call once per VLAN.
    pub fn vlan(self, v: VlanInfo) -> Self {
        self.push("vlan_info", v)
    }

    /// A VLAN-to-tunnel-id mapping (IFLA_BRIDGE_VLAN_TUNNEL_INFO); call once per mapping.
    pub fn tunnel(self, t: VlanTunnel) -> Self {
        self.push("vlan_tunnel_info", t)
    }

    /// IFLA_BRIDGE_MODE.
    pub fn mode(self, mode: BridgeMode) -> Self {
        self.kw("mode", u16::from(mode))
    }

    /// IFLA_BRIDGE_FLAGS: `SELF` (the bridge device itself) or `MASTER`.
    pub fn vlan_flags(self, flags: BridgeFlags) -> Self {
        self.kw("vlan_flags", flags.0)
    }
}

impl VlanInfo {
    /// VLAN `vid` (1..4094).
    pub fn vid(vid: u16) -> Self {
        Self::new().kw("vid", vid)
    }

    /// VLANs `first..=last` (sent as a RANGE_BEGIN and a RANGE_END entry, with the range flags
    /// only, as pyroute2 does).
    pub fn range(first: u16, last: u16) -> Self {
        Self::new().kw("vid", format!("{first}-{last}"))
    }

    /// The port's PVID, untagged on egress (PVID|UNTAGGED, as pyroute2's `pvid`).
    pub fn pvid(self) -> Self {
        self.kw("pvid", true)
    }

    /// Untagged on egress (UNTAGGED).
    pub fn untagged(self) -> Self {
        self.kw("untagged", true)
    }

    /// More BRIDGE_VLAN_INFO_* flags (`MASTER`, `BRENTRY` ...).
    pub fn flags(self, flags: BridgeVlanInfoFlags) -> Self {
        self.kw("flags", flags.0)
    }
}

impl VlanTunnel {
    /// VLAN `vid` carried in tunnel id `id` (a VNI).
    pub fn map(vid: u16, id: u32) -> Self {
        Self::new().kw("vid", vid).kw("id", id)
    }

    /// VLANs `vids` carried in tunnel ids `ids` (ranges of the same length).
    pub fn range(vids: (u16, u16), ids: (u32, u32)) -> Self {
        Self::new()
            .kw("vid", format!("{}-{}", vids.0, vids.1))
            .kw("id", format!("{}-{}", ids.0, ids.1))
    }
}

impl Vlandb {
    /// Options of VLAN `vid` on the port with index `index`.
    pub fn on(index: u32, vid: u16) -> Self {
        Self::new().index(index).vid(vid)
    }

    /// The VLAN (BRIDGE_VLANDB_ENTRY_INFO's vid).
    pub fn vid(self, vid: u16) -> Self {
        self.kw("vid", vid)
    }

    /// VLANs `first..=last` (BRIDGE_VLANDB_ENTRY_INFO and BRIDGE_VLANDB_ENTRY_RANGE).
    pub fn vid_range(self, first: u16, last: u16) -> Self {
        self.kw("vid", format!("{first}-{last}"))
    }
}

impl Stats {
    /// Statistics of the link with index `ifindex`.
    pub fn of(ifindex: u32) -> Self {
        Self::new().ifindex(ifindex)
    }

    /// The link by index (the header's `ifindex`).
    pub fn ifindex(self, ifindex: u32) -> Self {
        self.kw("ifindex", ifindex)
    }

    /// The link by name (resolved by `IPRoute`; an `IPBatch` refuses names).
    pub fn ifname(self, ifname: &str) -> Self {
        self.kw("ifname", ifname)
    }

    /// The groups to answer: bit `IFLA_STATS_x - 1` per group (default 31).
    pub fn filter_mask(self, mask: u32) -> Self {
        self.kw("filter_mask", mask)
    }

    /// The header's family.
    pub fn family(self, family: AddressFamily) -> Self {
        self.kw("family", u8::from(family))
    }
}

impl RouteGet {
    /// The route to `dst`.
    pub fn to(dst: IpAddr) -> Self {
        Self::new().dst(dst)
    }

    /// `iif` by name (resolved by `IPRoute`; an `IPBatch` refuses names).
    pub fn iif_name(self, ifname: &str) -> Self {
        self.kw("iif", ifname)
    }

    /// `oif` by name (resolved by `IPRoute`; an `IPBatch` refuses names).
    pub fn oif_name(self, ifname: &str) -> Self {
        self.kw("oif", ifname)
    }

    /// Answer the FIB entry that matched (`ip route get fibmatch`, RTM_F_FIB_MATCH).
    pub fn fibmatch(self) -> Self {
        self.kw("fibmatch", true)
    }

    /// RTM_F_LOOKUP_TABLE (default on for IPv4, as `ip route get`; IPv6 refuses it).
    pub fn lookup_table(self, on: bool) -> Self {
        self.kw("lookup_table", on)
    }

    /// More RTM_F_* flags.
    pub fn flags(self, flags: RtmFlags) -> Self {
        self.kw("flags", flags.0)
    }

    /// The header's TOS.
    pub fn tos(self, tos: u8) -> Self {
        self.kw("tos", tos)
    }

    /// The header's family (default: `dst`'s, else AF_INET).
    pub fn family(self, family: AddressFamily) -> Self {
        self.kw("family", u8::from(family))
    }
}

/// `neigh_add(Neigh)` ... on `IPRoute` and `IPBatch`, as `typed_commands!` does for link,
/// addr, route and rule.
macro_rules! typed_more_commands {
    ($target:ty => $neigh:ty, $links:ty, $vlans:ty, $stats:ty, $nsids:ty, $routes:ty) => {
        impl $target {
            /// `neigh("add", ...)`, typed.
            pub fn neigh_add(&mut self, req: Neigh) -> Result<$neigh> {
                self.neigh("add", req.into_args())
            }
            /// `neigh("set", ...)`, typed.
            pub fn neigh_set(&mut self, req: Neigh) -> Result<$neigh> {
                self.neigh("set", req.into_args())
            }
            /// `neigh("replace", ...)`, typed.
            pub fn neigh_replace(&mut self, req: Neigh) -> Result<$neigh> {
                self.neigh("replace", req.into_args())
            }
            /// `neigh("change", ...)`, typed.
            pub fn neigh_change(&mut self, req: Neigh) -> Result<$neigh> {
                self.neigh("change", req.into_args())
            }
            /// `neigh("append", ...)`, typed.
            pub fn neigh_append(&mut self, req: Neigh) -> Result<$neigh> {
                self.neigh("append", req.into_args())
            }
            /// `neigh("del", ...)`, typed.
            pub fn neigh_del(&mut self, req: Neigh) -> Result<$neigh> {
                self.neigh("del", req.into_args())
            }
            /// `neigh("get", ...)`, typed.
            pub fn neigh_get(&mut self, req: Neigh) -> Result<$neigh> {
                self.neigh("get", req.into_args())
            }
            /// `fdb("add", ...)`, typed.
            pub fn fdb_add(&mut self, req: Fdb) -> Result<$neigh> {
                self.fdb("add", req.into_args())
            }
            /// `fdb("append", ...)`, typed.
            pub fn fdb_append(&mut self, req: Fdb) -> Result<$neigh> {
                self.fdb("append", req.into_args())
            }
            /// `fdb("del", ...)`, typed.
            pub fn fdb_del(&mut self, req: Fdb) -> Result<$neigh> {
                self.fdb("del", req.into_args())
            }
            /// `brport("set", ...)`, typed.
            pub fn brport_set(&mut self, req: Brport) -> Result<$links> {
                self.brport("set", req.into_args())
            }
            /// `vlan_filter("add", ...)`, typed.
            pub fn vlan_filter_add(&mut self, req: VlanFilter) -> Result<$links> {
                self.vlan_filter("add", req.into_args())
            }
            /// `vlan_filter("del", ...)`, typed.
            pub fn vlan_filter_del(&mut self, req: VlanFilter) -> Result<$links> {
                self.vlan_filter("del", req.into_args())
            }
            /// `vlandb("set", ...)`, typed.
            pub fn vlandb_set(&mut self, req: Vlandb) -> Result<$vlans> {
                self.vlandb("set", req.into_args())
            }
            /// `stats("get", ...)`, typed.
            pub fn stats_get(&mut self, req: Stats) -> Result<$stats> {
                self.stats("get", req.into_args())
            }
            /// `nsid("get", ...)`, typed.
            pub fn nsid_get(&mut self, req: Nsid) -> Result<$nsids> {
                self.nsid("get", req.into_args())
            }
            /// `nsid("set", ...)`, typed.
            pub fn nsid_set(&mut self, req: Nsid) -> Result<$nsids> {
                self.nsid("set", req.into_args())
            }
            /// `route("get", ...)`, typed: the route the kernel would use.
            pub fn route_get(&mut self, req: RouteGet) -> Result<$routes> {
                self.route("get", req.into_args())
            }
        }
    };
}

typed_more_commands!(IPRoute => Reply<'_, Neighs>, Reply<'_, Links>, Reply<'_, Vlans>,
    Reply<'_, crate::dump::Stats>, Reply<'_, Nsids>, Reply<'_, Routes>);
typed_more_commands!(IPBatch => (), (), (), (), (), ());
