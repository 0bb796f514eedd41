//! Dump filters: the filter types of the `get_*` dumps (`LinkFilter` ... `NtableFilter`) and their
//! keyword filters. The keywords the kernel filters on (strict checking) go into the
//! dump request; every other keyword is encoded as the attribute it names and compared with
//! each message's attribute bytes in userspace, so a filter means the same either way.

use rtnl_core::Result;
use rtnl_core::spec::{EncodeCtx, SetSpec};

use rtnl_core::generated::AddressFamily;

use crate::args::{Args, Value};

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
        let v = strip_prefix(v);
        crate::request::put_kw(set, &mut buf, EncodeCtx { start: 0, family }, k, &v)?;
        let a = rtnl_core::nla::Attrs::new(&buf)
            .next()
            .transpose()?
            .ok_or_else(|| rtnl_core::ArgError::new(k, "encodes to nothing"))?;
        out.push((a.id, trim(a.payload).to_vec()));
    }
    Ok(out)
}

/// A payload without trailing NULs (strings compare with or without their terminator).
pub(crate) fn trim(p: &[u8]) -> &[u8] {
    let mut p = p;
    while let [rest @ .., 0] = p {
        p = rest;
    }
    p
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

macro_rules! keyword_filters {
    ($($filter:ident: $set:literal),* $(,)?) => {$(
        impl $filter {
            #[doc = concat!("Adds a keyword filter: `k` names a ", $set, " attribute (or a \
                key the kernel filters by); the dump keeps messages whose attribute equals `v`.")]
            pub fn attr(mut self, k: &str, v: impl Into<crate::args::Value>) -> Self {
                self.attrs.set(k, v);
                self
            }
        }

        /// Keyword filters, pyroute2 style (`get_routes(table=100, dst="10.1.0.0/24")`): the
        /// keys the kernel filters by go to the kernel, the others are compared in userspace.
        impl From<Args> for $filter {
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

/// Which links to dump.
#[derive(Debug, Clone, Default)]
pub struct LinkFilter {
    /// Header family (0; 7 = AF_BRIDGE for bridge port info).
    pub family: u8,
    /// Only this name (a kernel `get`).
    pub ifname: Option<String>,
    /// Only this index (a kernel `get`).
    pub index: Option<u32>,
    /// Only links of this kind (kernel filter).
    pub kind: Option<String>,
    /// Only ports of this master (kernel filter).
    pub master: Option<u32>,
    /// Keyword filters: IFLA_* attributes by name, compared in userspace.
    pub attrs: Args,
    /// IFLA_EXT_MASK (`RTEXT_FILTER_*`): what the kernel adds to or leaves out of each link
    /// (`SKIP_STATS`: no counters, smaller messages and a faster dump).
    pub ext_mask: Option<u32>,
}

impl LinkFilter {
    /// Everything.
    pub fn new() -> Self {
        Self::default()
    }
    /// Only `name`.
    pub fn ifname(mut self, name: &str) -> Self {
        self.ifname = Some(name.into());
        self
    }
    /// Only `index`.
    pub fn index(mut self, index: u32) -> Self {
        self.index = Some(index);
        self
    }
    /// Only links of `kind`.
    pub fn kind(mut self, kind: &str) -> Self {
        self.kind = Some(kind.into());
        self
    }
    /// Only ports of `master`.
    pub fn master(mut self, master: u32) -> Self {
        self.master = Some(master);
        self
    }
    /// Header family.
    pub fn family(mut self, family: impl Into<AddressFamily>) -> Self {
        self.family = family.into().into();
        self
    }
    /// IFLA_EXT_MASK, e.g. `RtextFilter::SKIP_STATS.0` when no counter is read.
    pub fn ext_mask(mut self, mask: u32) -> Self {
        self.ext_mask = Some(mask);
        self
    }
}

impl From<()> for LinkFilter {
    fn from(_: ()) -> Self {
        Self::default()
    }
}

/// Which addresses to dump.
#[derive(Debug, Clone, Default)]
pub struct AddrFilter {
    /// 0 = all, 2 = IPv4, 10 = IPv6.
    pub family: u8,
    /// Only this interface.
    pub index: Option<u32>,
    /// Keyword filters: IFA_* attributes by name, compared in userspace.
    pub attrs: Args,
}

impl AddrFilter {
    /// Everything.
    pub fn new() -> Self {
        Self::default()
    }
    /// Only `family`.
    pub fn family(mut self, family: impl Into<AddressFamily>) -> Self {
        self.family = family.into().into();
        self
    }
    /// Only interface `index`.
    pub fn index(mut self, index: u32) -> Self {
        self.index = Some(index);
        self
    }
}

impl From<()> for AddrFilter {
    fn from(_: ()) -> Self {
        Self::default()
    }
}

/// Which neighbour tables to dump.
#[derive(Debug, Clone, Default)]
pub struct NtableFilter {
    /// 0 = all, 2 = IPv4 (arp_cache), 10 = IPv6 (ndisc_cache) (kernel filter).
    pub family: u8,
    /// Keyword filters: NDTA_* attributes by name (`name` ...), compared in userspace.
    pub attrs: Args,
}

impl NtableFilter {
    /// Every table.
    pub fn new() -> Self {
        Self::default()
    }
    /// Only `family`.
    pub fn family(mut self, family: impl Into<AddressFamily>) -> Self {
        self.family = family.into().into();
        self
    }
}

impl From<()> for NtableFilter {
    fn from(_: ()) -> Self {
        Self::default()
    }
}

impl From<u8> for NtableFilter {
    fn from(family: u8) -> Self {
        Self::new().family(family)
    }
}

impl From<AddressFamily> for NtableFilter {
    fn from(family: AddressFamily) -> Self {
        Self::new().family(family)
    }
}

/// Which policy rules to dump.
#[derive(Debug, Clone, Default)]
pub struct RuleFilter {
    /// 0 = all, 2 = IPv4, 10 = IPv6 (kernel filter).
    pub family: u8,
    /// Keyword filters: FRA_* attributes by name (`priority`, `table` ...), compared in
    /// userspace.
    pub attrs: Args,
}

impl RuleFilter {
    /// Every rule.
    pub fn new() -> Self {
        Self::default()
    }
    /// Only `family`.
    pub fn family(mut self, family: impl Into<AddressFamily>) -> Self {
        self.family = family.into().into();
        self
    }
}

impl From<()> for RuleFilter {
    fn from(_: ()) -> Self {
        Self::default()
    }
}

impl From<u8> for RuleFilter {
    fn from(family: u8) -> Self {
        Self::new().family(family)
    }
}

impl From<AddressFamily> for RuleFilter {
    fn from(family: AddressFamily) -> Self {
        Self::new().family(family)
    }
}

/// Which routes to dump.
#[derive(Debug, Clone, Default)]
pub struct RouteFilter {
    /// 0 = all, 2 = IPv4, 10 = IPv6.
    pub family: u8,
    /// Only this table (any u32; kernel filter).
    pub table: Option<u32>,
    /// Only routes out of this interface (kernel filter).
    pub oif: Option<u32>,
    /// Only this protocol (kernel filter).
    pub protocol: Option<u8>,
    /// Only this route type (kernel filter).
    pub rtype: Option<u8>,
    /// Only default routes (dst_len 0).
    pub default_only: bool,
    /// Keyword filters: RTA_* attributes by name, compared in userspace.
    pub attrs: Args,
}

impl RouteFilter {
    /// Everything.
    pub fn new() -> Self {
        Self::default()
    }
    /// Only `family`.
    pub fn family(mut self, family: impl Into<AddressFamily>) -> Self {
        self.family = family.into().into();
        self
    }
    /// Only `table`.
    pub fn table(mut self, table: u32) -> Self {
        self.table = Some(table);
        self
    }
    /// Only out of `oif`.
    pub fn oif(mut self, oif: u32) -> Self {
        self.oif = Some(oif);
        self
    }
    /// Only `protocol`.
    pub fn protocol(mut self, p: u8) -> Self {
        self.protocol = Some(p);
        self
    }
}

impl From<()> for RouteFilter {
    fn from(_: ()) -> Self {
        Self::default()
    }
}

/// Which neighbours to dump.
#[derive(Debug, Clone, Default)]
pub struct NeighFilter {
    /// 0 = all, 2, 10, or 7 (AF_BRIDGE: the FDB).
    pub family: u8,
    /// Only this interface (kernel filter).
    pub ifindex: Option<u32>,
    /// Only ports of this master (kernel filter).
    pub master: Option<u32>,
    /// Keyword filters: NDA_* attributes by name, compared in userspace.
    pub attrs: Args,
}

impl NeighFilter {
    /// Everything.
    pub fn new() -> Self {
        Self::default()
    }
    /// Only `family`.
    pub fn family(mut self, family: impl Into<AddressFamily>) -> Self {
        self.family = family.into().into();
        self
    }
    /// Only interface `ifindex`.
    pub fn ifindex(mut self, i: u32) -> Self {
        self.ifindex = Some(i);
        self
    }
}

impl From<()> for NeighFilter {
    fn from(_: ()) -> Self {
        Self::default()
    }
}
