//! `tc(cmd, kind, index, handle, kw)` on [`IPRoute`] and [`IPBatch`]: the request is
//! `request::tc`'s; here it is sent (writes wait for the ACK; `get*` and `dump*` return the
//! kernel's answer as owned messages) or compiled into a batch.

use rtnl_core::Result;
use rtnl_core::generated::*;

use crate::args::{Args, Value};
use crate::request::NoResolve;
use crate::request::tc::{TcEnv, tc};
use crate::tc::plan::{TcPreflight, TcRequest, keeps_get_answer, name_the_kind, tc_request};
use crate::tc::units::Psched;
use crate::{IPBatch, IPRoute};

impl IPRoute {
    /// `tc(cmd, kind, index, handle, kw)`, pyroute2's words: qdiscs (add, del, change,
    /// replace, get, dump), classes (add-class ... dump-class), filters (add-filter ...
    /// dump-filter). Writes return an empty list; `get*` and `dump*` return what the kernel
    /// answered. See [`request::tc::tc`](crate::request::tc::tc) for the keywords.
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_api::kw;
    /// let idx = 2;
    /// ipr.tc("add", "htb", idx, "1:", kw! { default: "10" })?;
    /// ipr.tc("add-class", "htb", idx, "1:10", kw! { parent: "1:", rate: "5mbit", ceil: "10mbit" })?;
    /// ipr.tc("add-filter", "u32", idx, 0, kw! {
    ///     parent: "1:", prio: 1, protocol: "ip",
    ///     r#match: vec![rtnl_api::Value::from("ip dport 80 0xffff")], flowid: "1:10",
    /// })?;
    /// let classes = ipr.tc("dump-class", "", idx, 0, kw! {})?;
    /// # Ok::<(), rtnl_core::Error>(())
    /// ```
    pub fn tc(
        &mut self,
        cmd: &str,
        kind: &str,
        index: u32,
        handle: impl Into<Value>,
        args: Args,
    ) -> Result<Vec<TcOwned>> {
        let handle = handle.into();
        let pre = TcPreflight::new(cmd, index, &handle, &args)?;
        if let Some(q) = pre.parent_query() {
            let qdiscs = self.dump_of(q).collect()?;
            pre.check_parent(&qdiscs)?;
        }
        let link_mbit = match pre.link_query() {
            Some(q) => pre.speed(&self.dump_of(q).collect()?),
            None => None,
        };
        let (command, body) = match tc_request(cmd, kind, index, &handle, &args, self, link_mbit)? {
            TcRequest::Dump(q) => return self.dump_of(q).collect(),
            TcRequest::Write { command, body } => {
                return match self.send(|b, _| {
                    b.extend_from_slice(&body);
                    Ok(command)
                }) {
                    Ok(()) => Ok(Vec::new()),
                    Err(e) => Err(name_the_kind(e, kind)),
                };
            }
            TcRequest::Get { command, body } => (command, body),
        };
        let mut out = Vec::new();
        self.sock.transact(
            command.msg_type,
            command.flags,
            |b| {
                b.extend_from_slice(&body);
                Ok(())
            },
            |m| {
                if keeps_get_answer(&command, m.msg_type()) {
                    out.push(TcMsg::parse(m.payload)?.to_owned_msg());
                }
                Ok(())
            },
        )?;
        Ok(out)
    }
}

impl IPBatch {
    /// Appends a `tc` request (names cannot be resolved: pass indexes). A batch cannot ask
    /// the kernel which qdisc a class goes under, so a class under a classless qdisc is left
    /// to the kernel to refuse (`IPRoute::tc` refuses it before sending).
    pub fn tc(
        &mut self,
        cmd: &str,
        kind: &str,
        index: u32,
        handle: impl Into<Value>,
        args: Args,
    ) -> Result<()> {
        let handle = handle.into();
        // No kernel to ask which device `index` is: a rate in % of the link speed is refused.
        let env = TcEnv {
            clock: Psched::read(),
            link_mbit: None,
        };
        self.push(|b| tc(b, cmd, kind, index, &handle, &args, &mut NoResolve, &env))
    }
}
