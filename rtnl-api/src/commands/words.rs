//! Command words (`link("add")`, `neigh("dump")` ...) as [`Plan`]s: what each word sends, or
//! which dump it runs with which filters. The blocking [`IPRoute`](crate::IPRoute) and the
//! async `AsyncIPRoute` both run these plans; neither builds a command word's request itself.

use rtnl_core::Result;
use rtnl_core::generated::{LinkMsg, NEIGH_SPEC};

use crate::args::Args;
use crate::dump::{Addrs, Links, Mdbs, Neighs, Nsids, Ntables, Routes, Rules, Stats, Vlans, Vnis};
use crate::filter::{self, AddrFilter, LinkFilter, RouteFilter, RuleFilter};
use crate::query::{self, Plan};
use crate::request::{self, Resolve};

/// What the kernel filters neighbour dumps by (NDA_IFINDEX, NDA_MASTER, the family); other
/// keywords (`dst`, `lladdr`, `vlan` ...) are compared in userspace.
const NEIGH_DUMP_KEYS: &[&str] = &["ifindex", "index", "ifname", "family", "master"];

/// `link(cmd, kw)`; `dump`/`show` is [`query::links_with`].
pub(crate) fn link(cmd: &str, args: &Args, r: &mut dyn Resolve) -> Result<Plan<Links>> {
    match cmd {
        "dump" | "show" => Ok(Plan::Dump(query::links_with(LinkFilter::new(), args, r)?)),
        _ => Plan::build(r, |b, r| request::link(b, cmd, args, r)),
    }
}

/// `addr(cmd, kw)`; `dump`/`show` is [`query::addrs`].
pub(crate) fn addr(cmd: &str, args: &Args, r: &mut dyn Resolve) -> Result<Plan<Addrs>> {
    match cmd {
        "dump" | "show" => Ok(Plan::Dump(query::addrs(AddrFilter::from(args.clone()), r)?)),
        _ => Plan::build(r, |b, r| request::addr(b, cmd, args, r)),
    }
}

/// `route(cmd, kw)`; `get` is [`request::route_get`], `dump`/`show` is [`query::routes`].
pub(crate) fn route(cmd: &str, args: &Args, r: &mut dyn Resolve) -> Result<Plan<Routes>> {
    match cmd {
        "get" => Plan::build(r, |b, r| request::route_get(b, args, r)),
        "dump" | "show" => Ok(Plan::Dump(query::routes(
            RouteFilter::from(args.clone()),
            r,
        )?)),
        _ => Plan::build(r, |b, r| request::route(b, cmd, args, r)),
    }
}

/// `rule(cmd, kw)`; `dump`/`show` is [`query::rules`].
pub(crate) fn rule(cmd: &str, args: &Args, r: &mut dyn Resolve) -> Result<Plan<Rules>> {
    match cmd {
        "dump" | "show" => Ok(Plan::Dump(query::rules(RuleFilter::from(args.clone()))?)),
        _ => Plan::build(r, |b, r| request::rule(b, cmd, args, r)),
    }
}

/// `neigh(cmd, kw)`: a `dump` sends the keys the kernel filters by and compares the others.
pub(crate) fn neigh(cmd: &str, args: &Args, r: &mut dyn Resolve) -> Result<Plan<Neighs>> {
    if cmd != "dump" {
        return Plan::build(r, |b, r| request::neigh(b, cmd, args, r));
    }
    let (kernel, user) = filter::split(args, NEIGH_DUMP_KEYS);
    let want = filter::encode(&NEIGH_SPEC, 0, &user)?;
    Ok(Plan::build(r, |b, r| request::neigh(b, cmd, &kernel, r))?.matching(want))
}

/// `fdb(cmd, kw)`: as [`neigh`], family AF_BRIDGE.
pub(crate) fn fdb(cmd: &str, args: &Args, r: &mut dyn Resolve) -> Result<Plan<Neighs>> {
    if cmd != "dump" {
        return Plan::build(r, |b, r| request::fdb(b, cmd, args, r));
    }
    let (kernel, user) = filter::split(args, NEIGH_DUMP_KEYS);
    let want = filter::encode(&NEIGH_SPEC, 7, &user)?;
    Ok(Plan::build(r, |b, r| request::fdb(b, cmd, &kernel, r))?.matching(want))
}

/// `brport(cmd, kw)`: a `dump` naming a port (`index`/`ifname`) asks for every port and keeps
/// that one (the kernel refuses a bridge link dump whose header names a link).
pub(crate) fn brport(cmd: &str, args: &Args, r: &mut dyn Resolve) -> Result<Plan<Links>> {
    if matches!(cmd, "dump" | "show") {
        let mut a = args.clone();
        if let Some((k, v)) = a.take_any(&["index", "ifname"]) {
            let i = request::ifindex_arg(&k, &v, r)? as i32;
            let p = Plan::build(r, |b, r| request::brport(b, cmd, &a, r))?;
            return Ok(p.filter(move |l: &LinkMsg<'_>| l.header().index() == i));
        }
    }
    Plan::build(r, |b, r| request::brport(b, cmd, args, r))
}

/// `vlan_filter(cmd, kw)`.
pub(crate) fn vlan_filter(cmd: &str, args: &Args, r: &mut dyn Resolve) -> Result<Plan<Links>> {
    Plan::build(r, |b, r| request::vlan_filter(b, cmd, args, r))
}

/// `vlandb(cmd, kw)`.
pub(crate) fn vlandb(cmd: &str, args: &Args, r: &mut dyn Resolve) -> Result<Plan<Vlans>> {
    Plan::build(r, |b, r| request::vlandb(b, cmd, args, r))
}

/// `stats(cmd, kw)`.
pub(crate) fn stats(cmd: &str, args: &Args, r: &mut dyn Resolve) -> Result<Plan<Stats>> {
    Plan::build(r, |b, r| request::stats(b, cmd, args, r))
}

/// `nsid(cmd, kw)`.
pub(crate) fn nsid(cmd: &str, args: &Args, r: &mut dyn Resolve) -> Result<Plan<Nsids>> {
    Plan::build(r, |b, r| request::nsid(b, cmd, args, r))
}

/// `ntable(cmd, kw)`.
pub(crate) fn ntable(cmd: &str, args: &Args, r: &mut dyn Resolve) -> Result<Plan<Ntables>> {
    Plan::build(r, |b, r| request::ntable(b, cmd, args, r))
}

/// `mdb(cmd, kw)`.
pub(crate) fn mdb(cmd: &str, args: &Args, r: &mut dyn Resolve) -> Result<Plan<Mdbs>> {
    Plan::build(r, |b, r| request::mdb(b, cmd, args, r))
}

/// `vni(cmd, kw)`.
pub(crate) fn vni(cmd: &str, args: &Args, r: &mut dyn Resolve) -> Result<Plan<Vnis>> {
    Plan::build(r, |b, r| request::vni(b, cmd, args, r))
}

/// `nexthop(cmd, kw)` (`show` is `dump`; its filter keywords go to the kernel).
pub(crate) fn nexthop(
    cmd: &str,
    args: &Args,
    r: &mut dyn Resolve,
) -> Result<Plan<crate::dump::Nexthops>> {
    let cmd = if cmd == "show" { "dump" } else { cmd };
    Plan::build(r, |b, r| request::nexthop(b, cmd, args, r))
}
