//! Typed requests: the compile-checked form of every keyword command (`link`, `addr`,
//! `route`, `rule`, `neigh`, `fdb`, `brport`, `vlan_filter`, `vlandb`, `stats`, `nsid`,
//! `nexthop`, and `route("get")`), beside the keyword form.
//!
//! [`Link`], [`Addr`], [`Route`], [`Rule`] and [`NexthopObject`] have one setter per attribute of the family's set
//! that takes a plain value, generated from the schema (`generated.rs`, by `cargo xtask
//! regen`): `mtu(u32)`, `ifname(&str)`, `gateway(IpAddr)`, `scope(RtScope)` ... A misspelt
//! attribute or a value of the wrong type does not compile, and rustdoc lists every option.
//! Header fields and pyroute2's conveniences are written here by hand (`index`, `up`, `kind`,
//! `peer`, `dst_len`, `proto`, `src_prefix` ...). Nests have their own generated types: a
//! route's [`Metrics`], and one options type per link kind ([`VxlanOptions`],
//! [`BridgeOptions`] ...: `IFLA_INFO_DATA`) for [`Link::options`]; multipath hops are
//! [`Nexthop`]s. Encaps have no typed form yet: use the keyword form for them.
//!
//! The other commands (`commands.rs`): [`Neigh`], [`Fdb`], [`Brport`], [`VlanFilter`] (with
//! [`VlanInfo`], [`VlanTunnel`]), [`Vlandb`], [`Stats`], [`Nsid`] and [`RouteGet`], sent by
//! `neigh_add` ... `fdb_add`, `brport_set`, `vlan_filter_add`, `vlandb_set`, `stats_get`,
//! `nsid_get`/`nsid_set`, `route_get` on [`IPRoute`] and [`IPBatch`].
//!
//! Traffic control is [`tc`]: [`tc::Qdisc`], [`tc::Class`], [`tc::Filter`] and [`tc::Chain`]
//! with one generated options type per tc plugin and object (`tc::Htb::qdisc()`,
//! `tc::U32::filter()`, `tc::Mirred::action()` ...), sent by `qdisc_add`, `class_add`,
//! `filter_add`, `chain_add`, `action_add` ...
//!
//! ```no_run
//! use rtnl_api::typed::{Fdb, Neigh, RouteGet, VlanFilter, VlanInfo};
//!
//! let mut ipr = rtnl_api::IPRoute::new()?;
//! let v0 = ipr.link_lookup("ifname", "v0")?[0];
//! ipr.neigh_add(Neigh::on(v0).dst("10.0.0.9".parse().unwrap()).lladdr(&[2, 0, 0, 0, 0, 9]))?;
//! ipr.fdb_add(Fdb::on(v0).lladdr(&[2, 0, 0, 0, 0, 10]).vlan(200))?;
//! ipr.vlan_filter_add(VlanFilter::on(v0).vlan(VlanInfo::vid(200).pvid()))?;
//! if let Some(r) = ipr.route_get(RouteGet::to("10.0.0.9".parse().unwrap()))?.into_first()? {
//!     println!("dev {:?}", r.view().oif()?);
//! }
//! # Ok::<(), rtnl_api::Error>(())
//! ```
//!
//! A typed request records the same keywords a `kw!` request holds, in call order, and is sent
//! through the same keyword encoder (with the same pyroute2 defaults), so both forms produce
//! identical bytes: `tests/typed_requests.rs` checks each command. Setting an attribute twice
//! keeps the last value at the first position.
//!
//! ```
//! use rtnl_api::IPBatch;
//! use rtnl_api::typed::{Link, Route};
//! use rtnl_api::generated::RtProto;
//!
//! let mut b = IPBatch::new();
//! b.link_add(Link::veth("v0").peer("v1").mtu(1400))?;
//! b.route_add(Route::to("10.1.0.0".parse().unwrap(), 24).gateway("10.0.0.1".parse().unwrap())
//!     .proto(RtProto::Boot).table(100))?;
//! assert!(!b.bytes().is_empty());
//! # Ok::<(), rtnl_api::Error>(())
//! ```
//!
//! ```compile_fail
//! // A misspelt attribute does not compile.
//! let l = rtnl_api::typed::Link::named("v0").mtuu(1400);
//! ```
//!
//! ```compile_fail
//! // Nor does a value of the wrong type.
//! let l = rtnl_api::typed::Link::named("v0").mtu("1400");
//! ```

use std::net::IpAddr;

use rtnl_core::Result;
use rtnl_core::generated::{AddressFamily, FrAct, IffFlags, RtProto, RtScope, RtType};

use crate::args::{Args, Value};
use crate::dump::{Addrs, Links, Routes, Rules};
use crate::iproute::{IPBatch, IPRoute};
use crate::reply::Reply;

/// What every typed request shares: its keywords, in order.
macro_rules! request_type {
    ($(#[$doc:meta])* $ty:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct $ty {
            args: $crate::args::Args,
        }

        impl $ty {
            /// An empty request (every field the keyword form's default).
            pub fn new() -> Self {
                // Not `Self::default()`: a setter may be called `default` (htb's).
                <Self as Default>::default()
            }

            /// Sets keyword `k` (replacing an earlier value in place).
            #[allow(dead_code)] // types without generated setters
            pub(in crate::typed) fn kw(
                mut self,
                k: &'static str,
                v: impl Into<$crate::args::Value>,
            ) -> Self {
                self.args.set(k, v);
                self
            }

            /// The keyword form of this request: what a `kw!` request with the same fields holds.
            pub fn args(&self) -> &$crate::args::Args {
                &self.args
            }

            /// The keyword form, by value.
            pub fn into_args(self) -> $crate::args::Args {
                self.into()
            }
        }

        impl From<$ty> for $crate::args::Args {
            fn from(r: $ty) -> $crate::args::Args {
                let mut a = r.args;
                // `linkinfo` (a kind with options) goes last, where the keyword form puts it.
                if let Some(info) = a.take("linkinfo") {
                    a.set("linkinfo", info);
                }
                a
            }
        }
    };
}

mod commands;
pub mod tc;
#[rustfmt::skip] // prettyplease's output, checked by `cargo xtask regen --check`
mod generated;

pub use commands::*;
pub use generated::*;

/// A link kind's options (`IFLA_INFO_DATA`): generated per kind (`VxlanOptions`,
/// `BridgeOptions` ...), given to [`Link::options`].
pub trait KindOptions: Into<Args> {
    /// The kind (`IFLA_INFO_KIND`).
    const KIND: &'static str;
}

request_type! {
    /// A typed `link` request (RTM_NEWLINK / RTM_DELLINK / RTM_GETLINK).
    ///
    /// ```
    /// use rtnl_api::typed::Link;
    /// use rtnl_api::kw;
    /// assert_eq!(Link::bridge("br0").mtu(1400).into_args(),
    ///            kw! { ifname: "br0", kind: "bridge", mtu: 1400 });
    /// ```
    Link
}

request_type! {
    /// A typed `addr` request (RTM_NEWADDR / RTM_DELADDR).
    ///
    /// ```
    /// use rtnl_api::typed::Addr;
    /// use rtnl_api::kw;
    /// assert_eq!(Addr::on(3).address("10.0.0.1".parse().unwrap()).prefixlen(24).into_args(),
    ///            kw! { index: 3, address: "10.0.0.1".parse::<std::net::IpAddr>().unwrap(), prefixlen: 24 });
    /// ```
    Addr
}

request_type! {
    /// A typed `route` request (RTM_NEWROUTE / RTM_DELROUTE / RTM_GETROUTE), with `route`'s
    /// defaults (proto static, type unicast, scope from the gateway; see
    /// [`request::route`](crate::request::route)).
    Route
}

request_type! {
    /// One next hop of [`Route::multipath`] (`struct rtnexthop` and its attributes).
    ///
    /// ```
    /// use rtnl_api::typed::Nexthop;
    /// let h = Nexthop::via("10.0.0.1".parse().unwrap()).oif(2).hops(1);
    /// assert_eq!(h.args().keys().collect::<Vec<_>>(), ["gateway", "oif", "hops"]);
    /// ```
    Nexthop
}

request_type! {
    /// A typed `nexthop` request (RTM_NEWNEXTHOP / RTM_DELNEXTHOP), a nexthop object as `ip
    /// nexthop` makes it ([`Nexthop`] is a route's multipath hop); see
    /// [`request::nexthop`](crate::request::nexthop).
    ///
    /// ```
    /// use rtnl_api::typed::NexthopObject;
    /// use rtnl_api::kw;
    /// assert_eq!(NexthopObject::with_id(10).group("1/2,3").into_args(),
    ///            kw! { id: 10u32, group: "1/2,3" });
    /// ```
    NexthopObject
}

request_type! {
    /// A typed `rule` request (RTM_NEWRULE / RTM_DELRULE); action `to_tbl` when a table is
    /// given, as `ip rule` does.
    Rule
}

impl Link {
    /// A link called `ifname`.
    pub fn named(ifname: &str) -> Self {
        Self::new().ifname(ifname)
    }

    /// A bridge called `ifname` (`kind: "bridge"`).
    pub fn bridge(ifname: &str) -> Self {
        Self::named(ifname).kind("bridge")
    }

    /// A veth pair's first end called `ifname`; name the other with [`peer`](Self::peer).
    pub fn veth(ifname: &str) -> Self {
        Self::named(ifname).kind("veth")
    }

    /// The link with index `index` (the header's `ifi_index`).
    pub fn index(self, index: u32) -> Self {
        self.kw("index", index)
    }

    /// Alternative names (`altname`): with [`IPRoute::link_property_add`] /
    /// [`IPRoute::link_property_del`], IFLA_PROP_LIST of IFLA_ALT_IFNAME (NLA_F_NESTED, as the
    /// kernel requires); in a `get`, the name to look the link up by.
    ///
    /// ```
    /// use rtnl_api::typed::Link;
    /// let mut b = rtnl_api::IPBatch::new();
    /// b.link_property_add(Link::new().index(5).altnames(&["uplink", "wan"]))?;
    /// # Ok::<(), rtnl_api::Error>(())
    /// ```
    pub fn altnames(self, names: &[&str]) -> Self {
        let v: Vec<Value> = names.iter().map(|n| Value::from(*n)).collect();
        self.kw("altname", Value::List(v))
    }

    /// The link kind (`IFLA_INFO_KIND`: `"bridge"`, `"veth"`, `"vxlan"` ...); sent last, inside
    /// `IFLA_LINKINFO`; replaces [`options`](Self::options).
    pub fn kind(mut self, kind: &str) -> Self {
        self.args.take("linkinfo");
        self.kw("kind", kind)
    }

    /// A kind with its options (`IFLA_LINKINFO`: `IFLA_INFO_KIND` and `IFLA_INFO_DATA`), sent
    /// last; replaces [`kind`](Self::kind).
    ///
    /// ```
    /// use rtnl_api::typed::{Link, VxlanOptions};
    /// let l = Link::named("vx0").options(VxlanOptions::new().id(42).port(4789));
    /// assert_eq!(l.into_args().keys().collect::<Vec<_>>(), ["ifname", "linkinfo"]);
    /// ```
    pub fn options<O: KindOptions>(mut self, options: O) -> Self {
        self.args.take("kind");
        let info = Value::map([
            ("kind", Value::from(O::KIND)),
            ("data", Value::from(options.into())),
        ]);
        self.kw("linkinfo", info)
    }

    /// The veth peer's name (`VETH_INFO_PEER`).
    pub fn peer(self, ifname: &str) -> Self {
        self.kw("peer", ifname)
    }

    /// `state: "up"`: sets IFF_UP in `ifi_flags` and `ifi_change`.
    pub fn up(self) -> Self {
        self.kw("state", "up")
    }

    /// `state: "down"`: clears IFF_UP, and says so in `ifi_change`.
    pub fn down(self) -> Self {
        self.kw("state", "down")
    }

    /// The header's `ifi_flags`.
    pub fn flags(self, flags: IffFlags) -> Self {
        self.kw("flags", flags.0)
    }

    /// The header's `ifi_change` (which flags to change).
    pub fn change(self, change: IffFlags) -> Self {
        self.kw("change", change.0)
    }

    /// The header's family (`AF_BRIDGE` for bridge port settings).
    pub fn family(self, family: AddressFamily) -> Self {
        self.kw("family", u8::from(family))
    }
}

impl Addr {
    /// An address on the link with index `index`.
    pub fn on(index: u32) -> Self {
        Self::new().index(index)
    }

    /// The link's index (the header's `ifa_index`).
    pub fn index(self, index: u32) -> Self {
        self.kw("index", index)
    }

    /// The prefix length (the header's `ifa_prefixlen`; default /32 or /128).
    pub fn prefixlen(self, len: u8) -> Self {
        self.kw("prefixlen", len)
    }

    /// The header's scope.
    pub fn scope(self, scope: RtScope) -> Self {
        self.kw("scope", u8::from(scope))
    }

    /// The header's family (default: the address's).
    pub fn family(self, family: AddressFamily) -> Self {
        self.kw("family", u8::from(family))
    }
}

impl Route {
    /// A route to `dst`/`len`.
    pub fn to(dst: IpAddr, len: u8) -> Self {
        Self::new().dst(dst).dst_len(len)
    }

    /// The destination prefix length (the header's `rtm_dst_len`; default the full address).
    pub fn dst_len(self, len: u8) -> Self {
        self.kw("dst_len", len)
    }

    /// The source prefix length (the header's `rtm_src_len`).
    pub fn src_len(self, len: u8) -> Self {
        self.kw("src_len", len)
    }

    /// The header's protocol (default `static` for adds).
    pub fn proto(self, proto: RtProto) -> Self {
        self.kw("proto", u8::from(proto))
    }

    /// The header's scope (default universe, or link without a gateway).
    pub fn scope(self, scope: RtScope) -> Self {
        self.kw("scope", u8::from(scope))
    }

    /// The header's route type (default unicast for adds).
    pub fn route_type(self, rtype: RtType) -> Self {
        self.kw("type", u8::from(rtype))
    }

    /// The header's TOS.
    pub fn tos(self, tos: u8) -> Self {
        self.kw("tos", tos)
    }

    /// The header's family (default: the first address's, else AF_INET).
    pub fn family(self, family: AddressFamily) -> Self {
        self.kw("family", u8::from(family))
    }

    /// Multipath next hops (`RTA_MULTIPATH`); the route then has no scope-link default.
    pub fn multipath(self, hops: impl IntoIterator<Item = Nexthop>) -> Self {
        let hops: Vec<Value> = hops
            .into_iter()
            .map(|h| Value::from(Args::from(h)))
            .collect();
        self.kw("multipath", hops)
    }
}

impl Nexthop {
    /// A hop through gateway `gateway` (`RTA_GATEWAY`).
    pub fn via(gateway: IpAddr) -> Self {
        Self::new().kw("gateway", gateway)
    }

    /// The hop's interface index (`rtnh_ifindex`).
    pub fn oif(self, index: u32) -> Self {
        self.kw("oif", index)
    }

    /// `rtnh_hops`: the hop's weight minus one.
    pub fn hops(self, hops: u8) -> Self {
        self.kw("hops", hops)
    }

    /// `rtnh_flags` (`RTNH_F_*`).
    pub fn flags(self, flags: u8) -> Self {
        self.kw("flags", flags)
    }
}

impl Rule {
    /// Traffic from `src`/`len` (FRA_SRC and the header's `src_len`).
    pub fn src_prefix(self, src: IpAddr, len: u8) -> Self {
        self.kw("src", format!("{src}/{len}"))
    }

    /// Traffic to `dst`/`len` (FRA_DST and the header's `dst_len`).
    pub fn dst_prefix(self, dst: IpAddr, len: u8) -> Self {
        self.kw("dst", format!("{dst}/{len}"))
    }

    /// The header's action (default `to_tbl` when a table is given).
    pub fn action(self, action: FrAct) -> Self {
        self.kw("action", u8::from(action))
    }

    /// The header's TOS.
    pub fn tos(self, tos: u8) -> Self {
        self.kw("tos", tos)
    }

    /// The header's family (default: the first address's, else AF_INET).
    pub fn family(self, family: AddressFamily) -> Self {
        self.kw("family", u8::from(family))
    }
}

impl NexthopObject {
    /// The nexthop `id` (0: the kernel picks one).
    pub fn with_id(id: u32) -> Self {
        Self::new().id(id)
    }

    /// The group's members in ip's words: `"1/2,3"` (id, then `,weight` when not 1).
    pub fn group(self, members: &str) -> Self {
        self.kw("group", members)
    }

    /// The device by name (NHA_OIF, looked up when sent).
    pub fn dev(self, name: &str) -> Self {
        self.kw("oif", name)
    }

    /// The header's protocol (`RtProto::Static` ...).
    pub fn protocol(self, p: RtProto) -> Self {
        self.kw("protocol", u8::from(p))
    }

    /// RTNH_F_ONLINK: the gateway is on the link whatever the addresses say.
    pub fn onlink(self) -> Self {
        self.kw("onlink", true)
    }

    /// The header's family (default: the gateway's, else inet with a device or blackhole).
    pub fn family(self, family: AddressFamily) -> Self {
        self.kw("family", u8::from(family))
    }

    /// A resilient group's bucket count (NHA_RES_GROUP_BUCKETS).
    pub fn buckets(self, n: u16) -> Self {
        self.kw("buckets", n)
    }

    /// A resilient group's idle timer, in seconds.
    pub fn idle_timer(self, secs: u32) -> Self {
        self.kw("idle_timer", secs)
    }

    /// A resilient group's unbalanced timer, in seconds.
    pub fn unbalanced_timer(self, secs: u32) -> Self {
        self.kw("unbalanced_timer", secs)
    }
}

/// `nexthop_add(NexthopObject)` ... on `IPRoute` and `IPBatch`, as `typed_commands!`.
macro_rules! typed_nexthop_commands {
    ($target:ty => $reply:ty) => {
        impl $target {
            /// `nexthop("add", ...)`, typed.
            pub fn nexthop_add(&mut self, req: NexthopObject) -> Result<$reply> {
                self.nexthop("add", req.into_args())
            }
            /// `nexthop("replace", ...)`, typed.
            pub fn nexthop_replace(&mut self, req: NexthopObject) -> Result<$reply> {
                self.nexthop("replace", req.into_args())
            }
            /// `nexthop("del", ...)`, typed.
            pub fn nexthop_del(&mut self, req: NexthopObject) -> Result<$reply> {
                self.nexthop("del", req.into_args())
            }
        }
    };
}

typed_nexthop_commands!(IPRoute => Reply<'_, crate::dump::Nexthops>);
typed_nexthop_commands!(IPBatch => ());

/// `link_add(Link)` ... on `IPRoute` and `IPBatch`: each the keyword command with the typed
/// request's keywords, answering what the keyword command answers (on `IPRoute` a [`Reply`]:
/// with echo on, what the kernel echoed).
macro_rules! typed_commands {
    ($target:ty => $link:ty, $addr:ty, $route:ty, $rule:ty) => {
        impl $target {
            /// `link("add", ...)`, typed.
            pub fn link_add(&mut self, req: Link) -> Result<$link> {
                self.link("add", req.into_args())
            }
            /// `link("set", ...)`, typed.
            pub fn link_set(&mut self, req: Link) -> Result<$link> {
                self.link("set", req.into_args())
            }
            /// `link("change", ...)`, typed.
            pub fn link_change(&mut self, req: Link) -> Result<$link> {
                self.link("change", req.into_args())
            }
            /// `link("replace", ...)`, typed.
            pub fn link_replace(&mut self, req: Link) -> Result<$link> {
                self.link("replace", req.into_args())
            }
            /// `link("update", ...)`, typed.
            pub fn link_update(&mut self, req: Link) -> Result<$link> {
                self.link("update", req.into_args())
            }
            /// `link("property_add", ...)`, typed: adds [`Link::altnames`].
            pub fn link_property_add(&mut self, req: Link) -> Result<$link> {
                self.link("property_add", req.into_args())
            }
            /// `link("property_del", ...)`, typed: removes [`Link::altnames`].
            pub fn link_property_del(&mut self, req: Link) -> Result<$link> {
                self.link("property_del", req.into_args())
            }
            /// `link("del", ...)`, typed.
            pub fn link_del(&mut self, req: Link) -> Result<$link> {
                self.link("del", req.into_args())
            }
            /// `link("get", ...)`, typed.
            pub fn link_get(&mut self, req: Link) -> Result<$link> {
                self.link("get", req.into_args())
            }
            /// `addr("add", ...)`, typed.
            pub fn addr_add(&mut self, req: Addr) -> Result<$addr> {
                self.addr("add", req.into_args())
            }
            /// `addr("replace", ...)`, typed.
            pub fn addr_replace(&mut self, req: Addr) -> Result<$addr> {
                self.addr("replace", req.into_args())
            }
            /// `addr("change", ...)`, typed.
            pub fn addr_change(&mut self, req: Addr) -> Result<$addr> {
                self.addr("change", req.into_args())
            }
            /// `addr("del", ...)`, typed.
            pub fn addr_del(&mut self, req: Addr) -> Result<$addr> {
                self.addr("del", req.into_args())
            }
            /// `route("add", ...)`, typed.
            pub fn route_add(&mut self, req: Route) -> Result<$route> {
                self.route("add", req.into_args())
            }
            /// `route("replace", ...)`, typed.
            pub fn route_replace(&mut self, req: Route) -> Result<$route> {
                self.route("replace", req.into_args())
            }
            /// `route("set", ...)`, typed.
            pub fn route_set(&mut self, req: Route) -> Result<$route> {
                self.route("set", req.into_args())
            }
            /// `route("change", ...)`, typed.
            pub fn route_change(&mut self, req: Route) -> Result<$route> {
                self.route("change", req.into_args())
            }
            /// `route("append", ...)`, typed.
            pub fn route_append(&mut self, req: Route) -> Result<$route> {
                self.route("append", req.into_args())
            }
            /// `route("prepend", ...)`, typed.
            pub fn route_prepend(&mut self, req: Route) -> Result<$route> {
                self.route("prepend", req.into_args())
            }
            /// `route("del", ...)`, typed.
            pub fn route_del(&mut self, req: Route) -> Result<$route> {
                self.route("del", req.into_args())
            }
            /// `rule("add", ...)`, typed.
            pub fn rule_add(&mut self, req: Rule) -> Result<$rule> {
                self.rule("add", req.into_args())
            }
            /// `rule("del", ...)`, typed.
            pub fn rule_del(&mut self, req: Rule) -> Result<$rule> {
                self.rule("del", req.into_args())
            }
        }
    };
}

typed_commands!(IPRoute => Reply<'_, Links>, Reply<'_, Addrs>, Reply<'_, Routes>, Reply<'_, Rules>);
typed_commands!(IPBatch => (), (), (), ());
