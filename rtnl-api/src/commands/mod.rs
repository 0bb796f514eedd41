//! `impl IPRoute` and `impl IPBatch` blocks for the commands beyond link/addr/route/rule, one
//! file per area: neighbours and FDB (`neigh`), bridge ports and VLANs (`bridge`), link
//! statistics (`stats`), namespace ids (`nsid`), flushes (`flush`). Each command word is a
//! [`Plan`] made in [`words`] (shared with the async handle) and run by [`IPRoute::run`], the
//! one blocking path from a command word to a [`Reply`].

use rtnl_core::Result;
use rtnl_core::proto::flags as nlm;

use crate::IPRoute;
use crate::dump::{Dump, Family};
use crate::query::{Plan, Query};
use crate::reply::Reply;

mod bridge;
mod ensure;
mod flush;
mod neigh;
mod netconf;
pub(crate) mod nexthop;
mod nsid;
mod save;
mod stats;
pub(crate) mod words;

pub use ensure::Object;
pub use nexthop::{NexthopBucketFilter, NexthopFilter};
pub use nsid::NetnsInfo;
pub use save::ROUTE_DUMP_MAGIC;

impl IPRoute {
    /// Runs a command word's [`Plan`]: a dump becomes a [`Reply::Dump`] (not sent yet);
    /// anything else is sent now (with NLM_F_ECHO on writes when the `IPRoute` was opened with
    /// `nlm_echo`) and its answer comes back as owned messages of family `F`.
    pub(crate) fn run_plan<F: Family + 'static>(&mut self, plan: Plan<F>) -> Result<Reply<'_, F>> {
        let (c, body) = match plan {
            Plan::Dump(q) => return Ok(Reply::Dump(self.dump_of(q))),
            Plan::Send { command, body } => (command, body),
        };
        // Files the request names by fd stay open until it has been answered.
        let _held = std::mem::take(&mut self.held);
        let echo = self.echo && c.msg_type & 3 != 2;
        let flags = if echo { c.flags | nlm::ECHO } else { c.flags };
        let mut out = Vec::new();
        let mut echoed = Vec::new();
        let r = self.sock.transact(
            c.msg_type,
            flags,
            |b| {
                b.extend_from_slice(&body);
                Ok(())
            },
            |m| {
                out.push(F::to_owned(&F::parse(m.payload)?));
                if echo {
                    echoed.push(crate::msg::Msg::parse(m.msg_type(), m.payload)?.to_owned());
                }
                Ok(())
            },
        );
        if echo {
            self.echoed = echoed;
        }
        r?;
        Ok(Reply::Done(out))
    }

    /// The blocking shell of a [`Query`]: a [`Dump`] on this socket.
    pub(crate) fn dump_of<F: Family + 'static>(&mut self, q: Query<F>) -> Dump<'_, F> {
        let mut d = Dump::new(self, q.msg_type, q.reply_type, q.body, q.single);
        for p in q.preds {
            d = d.filter(p);
        }
        d
    }
}
