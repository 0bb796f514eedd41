//! `link("dump")`, `addr("dump")`, `route("dump")`, `rule("dump")`: the command words' dumps
//! are the `get_*` helpers' dumps. Keywords the kernel filters on go into the request (as the
//! helpers' filters); every other keyword names an attribute compared in userspace
//! ([`filter`](crate::filter)).

use rtnl_core::generated::*;
use rtnl_core::{ArgError, Result};

use crate::IPRoute;
use crate::args::{Args, Value, int_as};
use crate::dump::{Addrs, Dump, Links, Routes, Rules};
use crate::filter;
use crate::iproute::{AddrFilter, LinkFilter, RouteFilter, addr_query, rules_query};
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
    /// `index` and every IFLA_* keyword (`ifname`, `mtu`, `address` ...) filter in userspace.
    pub(crate) fn link_dump_cmd(&mut self, args: &Args) -> Result<Reply<'_, Links>> {
        let mut a = args.clone();
        let mut f = LinkFilter::new().family(family(&mut a)?);
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
        let want = filter::encode(&LINK_SPEC, f.family, &a)?;
        let (body, _) = crate::iproute::links_query(&f);
        let d: Dump<'_, Links> = Dump::new(self, RTM_GETLINK, RTM_NEWLINK, body, false);
        let d = match index {
            Some(i) => d.filter(move |l| l.header().index() == i),
            None => d,
        };
        Ok(filter::apply(Reply::Dump(d), want))
    }

    /// `addr("dump", kw)`: `family` and `index` (or `ifname`) go to the kernel; every IFA_*
    /// keyword (`address`, `local`, `label` ...) filters in userspace.
    pub(crate) fn addr_dump_cmd(&mut self, args: &Args) -> Result<Reply<'_, Addrs>> {
        let mut a = args.clone();
        let mut f = AddrFilter::new().family(family(&mut a)?);
        if let Some((k, v)) = a.take_any(&["index", "ifindex", "ifname"]) {
            f = f.index(ifindex_arg(&k, &v, self)?);
        }
        let want = filter::encode(&ADDR_SPEC, f.family, &a)?;
        let d = Dump::new(self, RTM_GETADDR, RTM_NEWADDR, addr_query(&f), false);
        Ok(filter::apply(Reply::Dump(d), want))
    }

    /// `route("dump", kw)`: `family`, `table`, `oif`, `proto`/`protocol` and `type` go to the
    /// kernel; every RTA_* keyword (`dst`, `gateway`, `priority` ...) filters in userspace.
    pub(crate) fn route_dump_cmd(&mut self, args: &Args) -> Result<Reply<'_, Routes>> {
        let mut a = args.clone();
        let mut f = RouteFilter::new().family(family(&mut a)?);
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
        let want = filter::encode(&ROUTE_SPEC, f.family, &a)?;
        let d = Dump::new(
            self,
            RTM_GETROUTE,
            RTM_NEWROUTE,
            crate::iproute::routes_query(&f),
            false,
        );
        Ok(filter::apply(Reply::Dump(d), want))
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
