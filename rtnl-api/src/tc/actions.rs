//! `tc_action(cmd, kind, kw)` on [`IPRoute`] and [`IPBatch`]: shared tc actions
//! (RTM_*ACTION). The request is [`request::tc_act`](crate::request::tc_act)'s; writes wait
//! for the ACK, `get` and `dump` return the kernel's answers as [`TcActionMsg`]s.

use rtnl_core::Result;
use rtnl_core::socket::DumpEvent;

use crate::args::Args;
use crate::request::NoResolve;
use crate::request::tc::TcEnv;
use crate::request::tc_act::tc_action;
use crate::tc::answer::TcActionMsg;
use crate::tc::plan::{TcActionRequest, action_answer};
use crate::tc::units::Psched;
use crate::{IPBatch, IPRoute};
impl IPRoute {
    /// `tc_action(cmd, kind, kw)`: tc's `actions` command: add, replace (change), del, get,
    /// flush, dump (list). See [`request::tc_act::tc_action`](crate::request::tc_act::tc_action)
    /// for the keywords. Writes return an empty list.
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_api::kw;
    /// ipr.tc_action("add", "gact", kw! { action: "drop", index: 5 })?;
    /// let all = ipr.tc_action("dump", "gact", kw! {})?;
    /// ipr.tc_action("del", "gact", kw! { index: 5 })?;
    /// # Ok::<(), rtnl_core::Error>(())
    /// ```
    pub fn tc_action(&mut self, cmd: &str, kind: &str, args: Args) -> Result<Vec<TcActionMsg>> {
        let req = TcActionRequest::new(cmd, kind, &args, self)?;
        let (c, body) = (req.command, &req.body);
        let mut out = Vec::new();
        if req.is_write() {
            self.send(|b, _| {
                b.extend_from_slice(body);
                Ok(c)
            })?;
            return Ok(out);
        }
        let put = |b: &mut Vec<u8>| {
            b.extend_from_slice(body);
            Ok(())
        };
        if req.is_dump() {
            self.sock.dump(c.msg_type, put, |e| {
                match e {
                    DumpEvent::Message(m) => out.extend(action_answer(&m)),
                    DumpEvent::Restarted => out.clear(),
                    _ => {}
                }
                Ok(())
            })?;
        } else {
            self.sock.transact(c.msg_type, c.flags, put, |m| {
                out.extend(action_answer(&m));
                Ok(())
            })?;
        }
        Ok(out)
    }
}

impl IPBatch {
    /// Appends a `tc_action` request (add, replace, del, flush).
    pub fn tc_action(&mut self, cmd: &str, kind: &str, args: Args) -> Result<()> {
        let env = TcEnv {
            clock: Psched::read(),
            link_mbit: None,
        };
        self.push(|b| tc_action(b, cmd, kind, &args, &mut NoResolve, &env))
    }
}
