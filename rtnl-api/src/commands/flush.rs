//! `flush_addr`, `flush_routes`, `flush_rules`: a dump, then one pipelined batch of deletes
//! (as `ip addr flush` / `ip route flush` / `ip rule flush`, which send each dumped object
//! back as a delete).

use rtnl_core::Result;
use rtnl_core::generated::*;
use rtnl_core::proto::{self, flags as nlm};

use crate::IPRoute;
use crate::iproute::{AddrFilter, RouteFilter};

/// Appends a delete of type `msg_type` whose body is `body`.
fn push_del(batch: &mut Vec<u8>, msg_type: u16, body: &[u8]) {
    let start = proto::begin_request(batch, msg_type, nlm::REQUEST | nlm::ACK, 0, 0);
    batch.extend_from_slice(body);
    proto::finish_request(batch, start);
}

impl IPRoute {
    /// Removes every address the filter matches (`ip addr flush`); the number removed.
    ///
    /// Each delete carries the address's header, IFA_ADDRESS and IFA_LOCAL. They go as one
    /// pipelined batch, secondaries before primaries (a primary's delete takes its
    /// secondaries along); a refusal fails with [`Error::Batch`](rtnl_core::Error::Batch),
    /// naming each refused delete (the others stay done).
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_api::AddrFilter;
    /// let n = ipr.flush_addr(AddrFilter::new().index(2).family(2))?;
    /// # Ok::<(), rtnl_api::Error>(())
    /// ```
    pub fn flush_addr(&mut self, f: impl Into<AddrFilter>) -> Result<usize> {
        let mut batch = Vec::new();
        let mut n = 0;
        let mut addrs = self.get_addr(f)?.collect()?;
        // Secondaries first: deleting an IPv4 primary takes its secondaries with it (without
        // promote_secondaries), and their own deletes would then fail EADDRNOTAVAIL.
        addrs.sort_by_key(|a| a.view().header().flags() & 1 == 0); // IFA_F_SECONDARY
        for a in addrs {
            let v = a.view();
            let mut body = v.bytes()[..core::mem::size_of::<Ifaddrmsg>()].to_vec();
            for id in [1u16, 2] {
                if let Some(p) = v.payload(id)? {
                    rtnl_core::nla::put(&mut body, id, p);
                }
            }
            push_del(&mut batch, RTM_DELADDR, &body);
            n += 1;
        }
        self.send_deletes(&batch)?;
        Ok(n)
    }

    /// Removes every route the filter matches (`ip route flush`); the number removed. With no
    /// table in the filter, the main table (254) is flushed, as `ip route flush` does; give
    /// `table(0)` for every table.
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_api::RouteFilter;
    /// let n = ipr.flush_routes(RouteFilter::new().table(100))?;
    /// # Ok::<(), rtnl_api::Error>(())
    /// ```
    pub fn flush_routes(&mut self, f: impl Into<RouteFilter>) -> Result<usize> {
        let mut f = f.into();
        f.table = match f.table {
            None => Some(254),
            Some(0) => None,
            t => t,
        };
        let mut batch = Vec::new();
        let n = match self.get_routes(f)?.fold(
            || 0,
            |n, r| {
                *n += 1;
                push_del(&mut batch, RTM_DELROUTE, r.bytes());
                Ok(())
            },
        ) {
            // A table that does not exist (IPv6 says so) has nothing to flush.
            Err(rtnl_core::Error::Kernel(k)) if k.errno == 2 => return Ok(0),
            n => n?,
        };
        // An interrupted dump starts over: keep only the last attempt's deletes.
        let keep = last_n(&batch, n);
        self.send_deletes(keep)?;
        Ok(n)
    }

    /// Removes the policy rules of `family` (0 = every family) except the priority-0 `local`
    /// rule, as `ip rule flush` does; the number removed. (pyroute2
    /// removes every rule, the `local` one too, which leaves the host unable to route.)
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// let n = ipr.flush_rules(2)?;
    /// # Ok::<(), rtnl_api::Error>(())
    /// ```
    pub fn flush_rules(&mut self, family: impl Into<AddressFamily>) -> Result<usize> {
        self.flush_rules_where(family, |_| true)
    }

    /// [`flush_rules`](Self::flush_rules) of the rules `keep` selects only (pyroute2's
    /// `flush_rules(family=..., priority=lambda x: 100 < x < 500)`); the number removed.
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// let n = ipr.flush_rules_where(2, |r| matches!(r.priority(), Ok(Some(101..=499))))?;
    /// # Ok::<(), rtnl_api::Error>(())
    /// ```
    pub fn flush_rules_where(
        &mut self,
        family: impl Into<AddressFamily>,
        keep: impl Fn(&RuleMsg<'_>) -> bool,
    ) -> Result<usize> {
        let mut batch = Vec::new();
        let mut n = 0;
        for r in self.get_rules(family.into())?.collect()? {
            let v = r.view();
            // iproute2 flushes the rules with a priority: the local rule (priority 0, which
            // the kernel does not let go) has none.
            if v.priority()?.is_none() || !keep(&v) {
                continue;
            }
            push_del(&mut batch, RTM_DELRULE, v.bytes());
            n += 1;
        }
        self.send_deletes(&batch)?;
        Ok(n)
    }

    fn send_deletes(&mut self, batch: &[u8]) -> Result<()> {
        if batch.is_empty() {
            return Ok(());
        }
        self.sock.send_batch(batch)
    }
}

/// The last `n` messages of a batch.
fn last_n(batch: &[u8], n: usize) -> &[u8] {
    let mut starts = Vec::new();
    let mut off = 0;
    while off + 4 <= batch.len() {
        starts.push(off);
        let len = u32::from_ne_bytes([batch[off], batch[off + 1], batch[off + 2], batch[off + 3]]);
        off += rtnl_core::nla::align(len as usize);
    }
    match starts.len().checked_sub(n) {
        Some(i) if i < starts.len() => &batch[starts[i]..],
        _ => &[],
    }
}
