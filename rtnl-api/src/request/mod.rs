//! Keyword requests into netlink bytes: pyroute2's vocabulary and defaults, no I/O.
//!
//! Each function appends a message body (family header, then attributes) to a buffer and returns
//! the [`Command`] (message type and `NLM_F_*` flags) to send it with. Name lookups (`master="br0"`) go through a [`Resolve`], so the same code serves
//! [`IPRoute`](crate::IPRoute) (which asks the kernel) and [`IPBatch`](crate::IPBatch) (which
//! compiles requests without sending them, and cannot resolve names).
//!
//! Defaults follow pyroute2 0.9 (rtnl-api/tests/golden/README.md cites its source for each),
//! except where pyroute2 is wrong and iproute2 right; each such place says so.

use std::net::IpAddr;

use rtnl_core::spec::{Command, EncodeCtx, MessageSpec, SetSpec, encode_attr};
use rtnl_core::{ArgError, Result};

use crate::args::{Value, int_as};

/// Turns interface names into indexes.
pub trait Resolve {
    /// The index of the interface called `name`.
    fn ifindex(&mut self, name: &str) -> Result<u32>;

    /// An open file descriptor of the network namespace `ns` (a name under `/run/netns`, or a
    /// path), kept open until the request is sent. The default refuses: compiled bytes
    /// ([`IPBatch`](crate::IPBatch)) cannot hold a file open, so they take an fd number.
    fn netns_fd(&mut self, k: &str, ns: &str) -> Result<i32> {
        Err(ArgError::new(
            k,
            format!("namespace {ns:?} cannot be opened here (IPBatch): pass an open fd"),
        )
        .into())
    }
}

/// Opens a namespace given as a name (`/run/netns/NAME`) or a path (anything with a `/`).
pub(crate) fn open_netns(k: &str, ns: &str) -> Result<std::fs::File> {
    let path = match ns.contains('/') {
        true => std::path::PathBuf::from(ns),
        false => std::path::Path::new("/run/netns").join(ns),
    };
    std::fs::File::open(&path).map_err(|e| {
        ArgError::new(
            k,
            format!("cannot open network namespace {}: {e}", path.display()),
        )
        .into()
    })
}

/// A resolver that refuses: for request compilation without a kernel.
pub struct NoResolve;

impl Resolve for NoResolve {
    fn ifindex(&mut self, name: &str) -> Result<u32> {
        Err(ArgError::new(
            name,
            format!(
                "interface names cannot be resolved here (IPBatch): pass an index for {name:?}"
            ),
        )
        .into())
    }
}

/// An interface given by index (`5`, `"5"`) or by name (`"eth0"`).
pub(crate) fn ifindex_arg(k: &str, v: &Value, r: &mut dyn Resolve) -> Result<u32> {
    match v {
        Value::Str(s) if rtnl_core::spec::parse_int(s).is_none() => resolve(k, s, r),
        v => Ok(int_as(k, v, None)?),
    }
}

/// Resolves the interface name `name` given as keyword `k`; a failure names both
/// (`bad argument "master": no such interface "nosuch"`).
pub(crate) fn resolve(k: &str, name: &str, r: &mut dyn Resolve) -> Result<u32> {
    r.ifindex(name).map_err(|e| match e {
        rtnl_core::Error::Arg(a) => ArgError::new(k, a.reason).into(),
        e => e,
    })
}

pub(crate) fn command(spec: &MessageSpec, cmd: &str) -> Result<&'static Command> {
    spec.command(cmd).ok_or_else(|| {
        let words: Vec<_> = spec.commands.iter().map(|c| c.name).collect();
        ArgError::new(
            "command",
            format!(
                "{cmd:?} is not a {} command; one of {}",
                spec.name,
                words.join(", ")
            ),
        )
        .into()
    })
}

/// Finds the attribute a keyword names in `set`: our name, the kernel constant, or pyroute2's
/// spelling (the constant without its family prefix: `IFLA_VXLAN_ID` -> `vxlan_id`).
pub(crate) fn find_attr(set: &SetSpec, key: &str) -> Option<&'static rtnl_core::spec::AttrSpec> {
    set.by_name(key).or_else(|| {
        let attrs: &'static [rtnl_core::spec::AttrSpec] = set.attrs;
        attrs.iter().find(|a| {
            let c = a.cname;
            let short = c.split_once('_').map(|(_, r)| r).unwrap_or(c);
            short.eq_ignore_ascii_case(key)
        })
    })
}

pub(crate) fn put_kw(
    set: &'static SetSpec,
    buf: &mut Vec<u8>,
    ctx: EncodeCtx,
    k: &str,
    v: &Value,
) -> Result<()> {
    let a = find_attr(set, k).ok_or_else(|| {
        ArgError::new(
            k,
            format!(
                "not a {} attribute (names: {}..., or the {}* constants)",
                set.name,
                set.attrs
                    .iter()
                    .take(6)
                    .map(|a| a.name)
                    .collect::<Vec<_>>()
                    .join(", "),
                set.prefix
            ),
        )
    })?;
    encode_attr(set, buf, ctx, a.name, v)?;
    Ok(())
}

mod addr;
mod encap;
mod link;
mod nexthop;
mod route;
mod rule;
pub mod tc;
pub mod tc_act;
mod tc_act_kinds;
mod tc_u32;
// The classifiers other than u32 (tcfilt).
mod tc_ematch;
mod tc_filter;
mod tc_filter_util;
mod tc_flower;
mod tc_qdisc;

mod brport;
mod fdb;
mod mdb;
mod neigh;
mod nsid;
mod ntable;
mod route_get;
mod stats;
mod vlan;
mod vni;

pub use addr::addr;
pub use link::link;
pub use nexthop::nexthop;
pub use route::route;
pub use rule::rule;

pub use brport::brport;
pub use fdb::fdb;
pub use mdb::mdb;
pub use neigh::neigh;
pub use nsid::nsid;
pub use ntable::ntable;
pub use route_get::route_get;
pub use stats::{STATS_FILTER_DEFAULT, stats};
pub use vlan::{vlan_filter, vlandb};
pub use vni::vni;
