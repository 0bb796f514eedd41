//! `link("dump")`, `addr("dump")`, `route("dump")`, `rule("dump")`: the command words' dumps
//! are the `get_*` helpers' dumps. Keywords the kernel filters on go into the request (as the
//! helpers' filters); every other keyword names an attribute compared in userspace
//! ([`filter`](crate::filter)).

use rtnl_core::generated::*;
use rtnl_core::{ArgError, Result};

use crate::IPRoute;
use crate::args::{Args, Value, int_as};
use crate::dump::{Addrs, Dump, Links, Neighs, Routes, Rules};
use crate::filter;
use crate::iproute::{AddrFilter, LinkFilter, NeighFilter, RouteFilter, addr_query, rules_query};
use crate::reply::Reply;
use crate::request::ifindex_arg;

fn family(a: &mut Args) -> Result<u8> {
    Ok(match a.take("family") {
        Some(v) => int_as("family", &v, Some(AddressFamily::SPEC))?,
        None => 0,
    })
}

impl IPRoute {
    /// `link("dump", kw)`: `family`, `kind`, `master` (by index or name) go to the kernel;
    /// `index`, `altname` (any of the link's alternative names) and every IFLA_* keyword
    /// (`ifname`, `mtu`, `address` ...) filter in userspace.
    pub(crate) fn link_dump_cmd(&mut self, args: &Args) -> Result<Reply<'_, Links>> {
        Ok(Reply::Dump(self.link_dump(LinkFilter::new(), args)?))
    }

    /// The dump of `f` narrowed by keyword filters `args` (as [`link_dump_cmd`]).
    pub(crate) fn link_dump(&mut self, f: LinkFilter, args: &Args) -> Result<Dump<'_, Links>> {
        let mut a = args.clone();
        let mut f = f;
        if a.get("family").is_some() {
            f = f.family(family(&mut a)?);
        }
        if let Some(v) = a.take("kind") {
            f = f.kind(crate::args::str_arg("kind", &v)?);
        }
        if let Some(v) = a.take("master") {
            f = f.master(ifindex_arg("master", &v, self)?);
        }
        let index = match a.take("index") {
            Some(v) => Some(int_as::<i32>("index", &v, None)?),
            None => None,
        };
        // An alternative name lives inside IFLA_PROP_LIST: compared against each one there.
        let altname = match a.take_any(&["altname", "alt_ifname"]) {
            Some((k, v)) => Some(crate::args::str_arg(&k, &v)?.to_string()),
            None => None,
        };
        let want = filter::encode(&LINK_SPEC, f.family, &a)?;
        let (body, _) = crate::iproute::links_query(&f);
        let d: Dump<'_, Links> = Dump::new(self, RTM_GETLINK, RTM_NEWLINK, body, false);
        let d = match index {
            Some(i) => d.filter(move |l| l.header().index() == i),
            None => d,
        };
        let d = match altname {
            Some(name) => d.filter(move |l| {
                matches!(l.prop_list(), Ok(Some(p))
                    if p.alt_ifname().any(|n| n.is_ok_and(|n| n == name)))
            }),
            None => d,
        };
        Ok(filter::apply_dump(d, want))
    }

    /// `addr("dump", kw)`: `family` and `index` (or `ifname`) go to the kernel; every IFA_*
    /// keyword (`address`, `local`, `label` ...) filters in userspace.
    pub(crate) fn addr_dump_cmd(&mut self, args: &Args) -> Result<Reply<'_, Addrs>> {
        Ok(Reply::Dump(self.addr_dump(AddrFilter::new(), args)?))
    }

    /// The dump of `f` narrowed by keyword filters `args` (as [`addr_dump_cmd`]).
    pub(crate) fn addr_dump(&mut self, f: AddrFilter, args: &Args) -> Result<Dump<'_, Addrs>> {
        let mut a = args.clone();
        let mut f = f;
        if a.get("family").is_some() {
            f = f.family(family(&mut a)?);
        }
        if let Some((k, v)) = a.take_any(&["index", "ifindex", "ifname"]) {
            f = f.index(ifindex_arg(&k, &v, self)?);
        }
        let want = filter::encode(&ADDR_SPEC, f.family, &a)?;
        let d = Dump::new(self, RTM_GETADDR, RTM_NEWADDR, addr_query(&f), false);
        Ok(filter::apply_dump(d, want))
    }

    /// `route("dump", kw)`: `family`, `table`, `oif`, `proto`/`protocol` and `type` go to the
    /// kernel; `dst_len`, `src_len` (header fields) and every RTA_* keyword (`dst`, `gateway`,
    /// `priority` ...) filter in userspace.
    pub(crate) fn route_dump_cmd(&mut self, args: &Args) -> Result<Reply<'_, Routes>> {
        Ok(Reply::Dump(self.route_dump_with(RouteFilter::new(), args)?))
    }

    /// The dump of `f` narrowed by keyword filters `args` (as [`route_dump_cmd`]).
    pub(crate) fn route_dump_with(
        &mut self,
        f: RouteFilter,
        args: &Args,
    ) -> Result<Dump<'_, Routes>> {
        let mut a = args.clone();
        let mut f = f;
        if a.get("family").is_some() {
            f = f.family(family(&mut a)?);
        }
        if let Some(v) = a.take("table") {
            f = f.table(int_as("table", &v, Some(RtTable::SPEC))?);
        }
        if let Some(v) = a.take("oif") {
            f = f.oif(ifindex_arg("oif", &v, self)?);
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
        let d = Dump::new(
            self,
            RTM_GETROUTE,
            RTM_NEWROUTE,
            crate::iproute::routes_query(&f),
            false,
        );
        let d = match f.default_only {
            true => d.filter(|r: &RouteMsg<'_>| r.header().dst_len() == 0),
            false => d,
        };
        let d = match lens {
            [None, None] => d,
            [dst, src] => d.filter(move |r: &RouteMsg<'_>| {
                dst.is_none_or(|l| r.header().dst_len() == l)
                    && src.is_none_or(|l| r.header().src_len() == l)
            }),
        };
        Ok(filter::apply_dump(d, want))
    }

    /// `rule("dump", kw)`: `family` goes to the kernel; every FRA_* keyword (`priority`,
    /// `table`, `fwmark` ...) filters in userspace.
    pub(crate) fn rule_dump_cmd(&mut self, args: &Args) -> Result<Reply<'_, Rules>> {
        let mut a = args.clone();
        let fam = family(&mut a)?;
        if a.get("action").is_some() {
            return Err(ArgError::new("action", "a header field: filter with a predicate").into());
        }
        let want = filter::encode(&RULE_SPEC, fam, &a)?;
        let d = Dump::new(self, RTM_GETRULE, RTM_NEWRULE, rules_query(fam), false);
        Ok(filter::apply(Reply::Dump(d), want))
    }
}

impl IPRoute {
    /// The neighbour dump of `f` narrowed by keyword filters `args`: `ifindex`/`ifname`,
    /// `master`, `family` to the kernel, any NDA_* keyword in userspace.
    pub(crate) fn neigh_dump(&mut self, f: NeighFilter, args: &Args) -> Result<Dump<'_, Neighs>> {
        let mut a = args.clone();
        let mut f = f;
        if a.get("family").is_some() {
            f = f.family(family(&mut a)?);
        }
        if let Some((k, v)) = a.take_any(&["ifindex", "index", "ifname"]) {
            f = f.ifindex(ifindex_arg(&k, &v, self)?);
        }
        if let Some(v) = a.take("master") {
            f.master = Some(ifindex_arg("master", &v, self)?);
        }
        let want = filter::encode(&NEIGH_SPEC, f.family, &a)?;
        let body = crate::iproute::neigh_query(&f);
        let d = Dump::new(self, RTM_GETNEIGH, RTM_NEWNEIGH, body, false);
        Ok(filter::apply_dump(d, want))
    }
}

/// A prefix given as text (`"10.0.0.0/24"`) compares as its address.
pub(crate) fn strip_prefix(v: &Value) -> Value {
    match v {
        Value::Str(s) => match s.split_once('/') {
            Some((a, _)) if a.parse::<std::net::IpAddr>().is_ok() => {
                Value::Ip(a.parse().unwrap_or(std::net::Ipv4Addr::UNSPECIFIED.into()))
            }
            _ => v.clone(),
        },
        v => v.clone(),
    }
}
