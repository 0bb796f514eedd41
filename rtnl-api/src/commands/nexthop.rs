//! `nexthop` and `get_nexthops`: nexthop objects (RTM_*NEXTHOP, `ip nexthop`).

use rtnl_core::Result;
use rtnl_core::generated::*;

use crate::dump::{Dump, NexthopBuckets, Nexthops};
use crate::query::{Plan, Query};
use crate::reply::Reply;
use crate::{Args, IPBatch, IPRoute, request};

/// Which nexthops to read, as `ip nexthop show` asks the kernel: `id` is a single get, the
/// others are the kernel's dump filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NexthopFilter {
    /// The header's family: 0 = all, 2 = IPv4, 10 = IPv6 (`-4`/`-6`).
    pub family: u8,
    /// One nexthop by id (RTM_GETNEXTHOP with NHA_ID, no dump).
    pub id: Option<u32>,
    /// Nexthops through this device (NHA_OIF).
    pub oif: Option<u32>,
    /// Nexthops whose device is a port of this master (NHA_MASTER).
    pub master: Option<u32>,
    /// Groups only (NHA_GROUPS).
    pub groups: bool,
    /// FDB nexthops only (NHA_FDB).
    pub fdb: bool,
}

impl NexthopFilter {
    /// Every nexthop.
    pub fn new() -> Self {
        Self::default()
    }
    /// Only `family`.
    pub fn family(mut self, family: impl Into<AddressFamily>) -> Self {
        self.family = family.into().into();
        self
    }
    /// Only the nexthop `id`.
    pub fn id(mut self, id: u32) -> Self {
        self.id = Some(id);
        self
    }
    /// Only nexthops through device `ifindex`.
    pub fn oif(mut self, ifindex: u32) -> Self {
        self.oif = Some(ifindex);
        self
    }
    /// Only nexthops whose device's master is `ifindex`.
    pub fn master(mut self, ifindex: u32) -> Self {
        self.master = Some(ifindex);
        self
    }
    /// Only groups.
    pub fn groups(mut self) -> Self {
        self.groups = true;
        self
    }
    /// Only FDB nexthops.
    pub fn fdb(mut self) -> Self {
        self.fdb = true;
        self
    }
}

impl From<()> for NexthopFilter {
    fn from(_: ()) -> Self {
        Self::default()
    }
}

/// The nexthops `f` selects: one `get` by id, or a dump (both handles run it).
pub(crate) fn nexthops(f: &NexthopFilter) -> Query<Nexthops> {
    let body = nexthops_query(f);
    match f.id {
        Some(_) => Query::get(RTM_GETNEXTHOP, RTM_NEWNEXTHOP, body),
        None => Query::dump(RTM_GETNEXTHOP, RTM_NEWNEXTHOP, body),
    }
}

/// The resilient-group buckets `f` selects: one `get` by id and index, or a dump.
pub(crate) fn buckets(f: &NexthopBucketFilter) -> Query<NexthopBuckets> {
    let body = buckets_query(f);
    match (f.id, f.index) {
        (Some(_), Some(_)) => Query::get(RTM_GETNEXTHOPBUCKET, RTM_NEWNEXTHOPBUCKET, body),
        _ => Query::dump(RTM_GETNEXTHOPBUCKET, RTM_NEWNEXTHOPBUCKET, body),
    }
}

/// The request body of `f`: the header, then the filters in the order ip sends them
/// (NHA_OIF, NHA_GROUPS, NHA_MASTER, NHA_FDB), or NHA_ID for one.
fn nexthops_query(f: &NexthopFilter) -> Vec<u8> {
    let mut hdr = Nhmsg::zeroed();
    hdr.set_family(f.family);
    let mut body = Vec::new();
    let mut b = NexthopMsg::request(&mut body, &hdr);
    if let Some(id) = f.id {
        b.id(id);
        return body;
    }
    if let Some(i) = f.oif {
        b.oif(i);
    }
    if f.groups {
        b.groups();
    }
    if let Some(i) = f.master {
        b.master(i);
    }
    if f.fdb {
        b.fdb();
    }
    body
}

/// Which buckets of resilient groups to read, as `ip nexthop bucket list|get` asks: `id` and
/// `index` together are one bucket (a get); otherwise a dump the kernel filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NexthopBucketFilter {
    /// The header's family (`-4`/`-6`; 0 = all).
    pub family: u8,
    /// The group's nexthop id (NHA_ID).
    pub id: Option<u32>,
    /// One bucket of group `id` (NHA_RES_BUCKET_INDEX): a get.
    pub index: Option<u16>,
    /// Buckets that hold this nexthop (NHA_RES_BUCKET_NH_ID).
    pub nhid: Option<u32>,
    /// Buckets of groups through this device (NHA_OIF).
    pub oif: Option<u32>,
    /// Buckets of groups whose devices are ports of this master (NHA_MASTER).
    pub master: Option<u32>,
}

impl From<()> for NexthopBucketFilter {
    fn from(_: ()) -> Self {
        Self::default()
    }
}

/// The request body of `f`, attributes in ip's order (NHA_OIF, NHA_MASTER, NHA_ID, then
/// NHA_RES_BUCKET with NLA_F_NESTED).
fn buckets_query(f: &NexthopBucketFilter) -> Vec<u8> {
    let mut hdr = Nhmsg::zeroed();
    hdr.set_family(f.family);
    let mut body = Vec::new();
    let mut b = NexthopBucketMsg::request(&mut body, &hdr);
    if f.index.is_none() {
        if let Some(i) = f.oif {
            b.oif(i);
        }
        if let Some(i) = f.master {
            b.master(i);
        }
    }
    if let Some(id) = f.id {
        b.id(id);
    }
    let (index, nhid) = match f.index {
        Some(i) => (Some(i), None),
        None => (None, f.nhid),
    };
    if index.is_some() || nhid.is_some() {
        b.res_bucket(|n| {
            if let Some(i) = index {
                n.index(i);
            }
            if let Some(i) = nhid {
                n.nh_id(i);
            }
        });
    }
    body
}

impl IPRoute {
    /// `nexthop(cmd, kw)`: add, replace, del, get nexthop objects; `dump`/`show` stream them
    /// (the filter keywords `oif`, `master`, `groups`, `fdb` go to the kernel). See
    /// [`request::nexthop`] for the keywords.
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_api::kw;
    /// ipr.nexthop("add", kw! { id: 1, gateway: "10.0.0.2", oif: "eth0" })?;
    /// ipr.nexthop("add", kw! { id: 10, group: "1/2,3", group_type: "mpath" })?;
    /// ipr.nexthop("del", kw! { id: 10 })?;
    /// # Ok::<(), rtnl_core::Error>(())
    /// ```
    pub fn nexthop(&mut self, cmd: &str, args: Args) -> Result<Reply<'_, Nexthops>> {
        let plan = super::words::nexthop(cmd, &args, self)?;
        self.run_plan(plan)
    }

    /// Nexthop objects, as `ip nexthop show` reads them: one by id, or a dump the kernel
    /// filters by device, master, groups or FDB.
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_api::NexthopFilter;
    /// ipr.get_nexthops(NexthopFilter::new().groups())?.for_each(|nh| {
    ///     println!("id {:?} members {:?}", nh.id()?, nh.group()?.map(|g| g.len()));
    ///     Ok(())
    /// })?;
    /// # Ok::<(), rtnl_api::Error>(())
    /// ```
    pub fn get_nexthops(&mut self, f: impl Into<NexthopFilter>) -> Result<Dump<'_, Nexthops>> {
        Ok(self.dump_of(nexthops(&f.into())))
    }
}

impl IPRoute {
    /// Buckets of resilient nexthop groups (`ip nexthop bucket list`), or one
    /// (`ip nexthop bucket get id ID index N`: `id` and `index` set).
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_api::NexthopBucketFilter;
    /// let f = NexthopBucketFilter { id: Some(10), ..Default::default() };
    /// ipr.get_nexthop_buckets(f)?.for_each(|b| {
    ///     let bucket = b.res_bucket()?.expect("a bucket");
    ///     println!("index {:?} holds {:?}", bucket.index()?, bucket.nh_id()?);
    ///     Ok(())
    /// })?;
    /// # Ok::<(), rtnl_api::Error>(())
    /// ```
    pub fn get_nexthop_buckets(
        &mut self,
        f: impl Into<NexthopBucketFilter>,
    ) -> Result<Dump<'_, NexthopBuckets>> {
        Ok(self.dump_of(buckets(&f.into())))
    }

    /// One bucket of resilient group `id` (`ip nexthop bucket get id ID index N`); a missing
    /// group or bucket is the kernel's error.
    pub fn get_nexthop_bucket(
        &mut self,
        family: u8,
        id: u32,
        index: u16,
    ) -> Result<Vec<NexthopBucketOwned>> {
        let f = NexthopBucketFilter {
            family,
            id: Some(id),
            index: Some(index),
            ..Default::default()
        };
        let plan = Plan::Send {
            command: *request::command(&NEXTHOP_BUCKET_MSG, "get")?,
            body: buckets_query(&f),
        };
        let r: Reply<'_, NexthopBuckets> = self.run_plan(plan)?;
        r.into_vec()
    }
}

impl IPBatch {
    /// Appends a `nexthop` request ([`request::nexthop`]).
    pub fn nexthop(&mut self, cmd: &str, args: Args) -> Result<()> {
        self.push(|b| request::nexthop(b, cmd, &args, &mut request::NoResolve))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes `ip nexthop bucket list dev v0 nhid 1 id 10` and `ip nexthop bucket get id
    /// 10 index 2` send (strace, iproute2 6.1; v0 is ifindex 3), after the netlink header.
    #[test]
    fn bucket_requests_are_ips() {
        let dump = buckets_query(&NexthopBucketFilter {
            oif: Some(3),
            nhid: Some(1),
            id: Some(10),
            ..Default::default()
        });
        let mut want = vec![0u8; 8];
        want.extend_from_slice(&[8, 0, 5, 0, 3, 0, 0, 0, 8, 0, 1, 0, 10, 0, 0, 0]);
        want.extend_from_slice(&[12, 0, 13, 0x80, 8, 0, 3, 0, 1, 0, 0, 0]);
        assert_eq!(dump, want);
        let get = buckets_query(&NexthopBucketFilter {
            id: Some(10),
            index: Some(2),
            ..Default::default()
        });
        let mut want = vec![0u8; 8];
        want.extend_from_slice(&[8, 0, 1, 0, 10, 0, 0, 0]);
        want.extend_from_slice(&[12, 0, 13, 0x80, 6, 0, 1, 0, 2, 0, 0, 0]);
        assert_eq!(get, want);
    }
}
