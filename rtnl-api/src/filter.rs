//! Keyword filters for dumps: the keywords the kernel filters on (strict checking) go into the
//! dump request; every other keyword is encoded as the attribute it names and compared with
//! each message's attribute bytes in userspace, so a filter means the same either way.

use rtnl_core::Result;
use rtnl_core::spec::{EncodeCtx, SetSpec};

use crate::args::Args;
use crate::dump::{Dump, Family};
use crate::reply::Reply;

/// Splits `args` into the keywords in `kernel` (for the request) and the rest.
pub(crate) fn split(args: &Args, kernel: &[&str]) -> (Args, Args) {
    let (k, u): (Vec<_>, Vec<_>) = args
        .0
        .iter()
        .cloned()
        .partition(|(n, _)| kernel.contains(&n.as_str()));
    (Args(k), Args(u))
}

/// The attributes `args` names in `set`, encoded: `(id, payload)` pairs to compare.
pub(crate) fn encode(
    set: &'static SetSpec,
    family: u8,
    args: &Args,
) -> Result<Vec<(u16, Vec<u8>)>> {
    let mut out = Vec::new();
    for (k, v) in args.iter() {
        let mut buf = Vec::new();
        let v = crate::commands::strip_prefix(v);
        crate::request::put_kw(set, &mut buf, EncodeCtx { start: 0, family }, k, &v)?;
        let a = rtnl_core::nla::Attrs::new(&buf)
            .next()
            .transpose()?
            .ok_or_else(|| rtnl_core::ArgError::new(k, "encodes to nothing"))?;
        out.push((a.id, trim(a.payload).to_vec()));
    }
    Ok(out)
}

/// Keeps, in a dump, only messages whose attributes equal every one of `want`.
pub(crate) fn apply<F: Family>(reply: Reply<'_, F>, want: Vec<(u16, Vec<u8>)>) -> Reply<'_, F> {
    match reply {
        Reply::Dump(d) => Reply::Dump(apply_dump(d, want)),
        r => r,
    }
}

/// [`apply`] on a dump.
pub(crate) fn apply_dump<F: Family>(d: Dump<'_, F>, want: Vec<(u16, Vec<u8>)>) -> Dump<'_, F> {
    if want.is_empty() {
        return d;
    }
    d.filter(move |v| {
        want.iter()
            .all(|(id, p)| F::attr(v, *id).is_some_and(|got| trim(got) == p.as_slice()))
    })
}

/// A payload without trailing NULs (strings compare with or without their terminator).
pub(crate) fn trim(p: &[u8]) -> &[u8] {
    let mut p = p;
    while let [rest @ .., 0] = p {
        p = rest;
    }
    p
}

macro_rules! keyword_filters {
    ($($filter:ident: $set:literal),* $(,)?) => {$(
        impl crate::iproute::$filter {
            #[doc = concat!("Adds a keyword filter: `k` names a ", $set, " attribute (or a \
                key the kernel filters by); the dump keeps messages whose attribute equals `v`.")]
            pub fn attr(mut self, k: &str, v: impl Into<crate::args::Value>) -> Self {
                self.attrs.set(k, v);
                self
            }
        }

        /// Keyword filters, pyroute2 style (`get_routes(table=100, dst="10.1.0.0/24")`): the
        /// keys the kernel filters by go to the kernel, the others are compared in userspace.
        impl From<Args> for crate::iproute::$filter {
            fn from(attrs: Args) -> Self {
                Self { attrs, ..Self::default() }
            }
        }
    )*};
}

keyword_filters!(
    LinkFilter: "IFLA_*",
    AddrFilter: "IFA_*",
    RouteFilter: "RTA_*",
    NeighFilter: "NDA_*",
    RuleFilter: "FRA_*",
    NtableFilter: "NDTA_*",
);
