//! `impl IPRoute` and `impl IPBatch` blocks for the commands beyond link/addr/route/rule, one
//! file per area: neighbours and FDB (`neigh`), bridge ports and VLANs (`bridge`), link
//! statistics (`stats`), namespace ids (`nsid`), flushes (`flush`). Each command builds its
//! body with a [`request`](crate::request) function and runs through [`IPRoute::command`],
//! the one path from a command word to a [`Reply`].

use rtnl_core::Result;
use rtnl_core::proto::flags as nlm;
use rtnl_core::spec::Command;

use crate::IPRoute;
use crate::dump::{Dump, Family};
use crate::reply::Reply;

mod bridge;
mod dumps;
mod ensure;
mod flush;
mod lookup;
mod neigh;
mod netconf;
mod nexthop;
mod nsid;
mod save;
mod stats;

pub(crate) use dumps::strip_prefix;
pub use ensure::Object;
pub use nexthop::{NexthopBucketFilter, NexthopFilter};
pub use nsid::NetnsInfo;
pub use save::ROUTE_DUMP_MAGIC;

impl IPRoute {
    /// Runs a command word: `build` writes the body and names the message type and flags.
    /// A DUMP request becomes a [`Reply::Dump`] (not sent yet); anything else is sent now
    /// (with NLM_F_ECHO on writes when the `IPRoute` was opened with `nlm_echo`) and its
    /// answer comes back as owned messages of family `F`.
    pub(crate) fn command<F: Family>(
        &mut self,
        build: impl FnOnce(&mut Vec<u8>, &mut Self) -> Result<Command>,
    ) -> Result<Reply<'_, F>> {
        let mut body = Vec::with_capacity(256);
        let c = build(&mut body, self)?;
        if c.flags & nlm::DUMP == nlm::DUMP {
            // Every rtnetlink family answers RTM_GETx dumps with RTM_NEWx (GET & !3).
            let d = Dump::new(self, c.msg_type, c.msg_type & !3, body, false);
            return Ok(Reply::Dump(d));
        }
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
}
