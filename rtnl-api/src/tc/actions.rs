//! `tc_action(cmd, kind, kw)` on [`IPRoute`] and [`IPBatch`]: shared tc actions
//! (RTM_*ACTION). The request is [`request::tc_act`](crate::request::tc_act)'s; writes wait
//! for the ACK, `get` and `dump` return the kernel's answers as [`TcActionMsg`]s.

use rtnl_core::Result;
use rtnl_core::generated::*;
use rtnl_core::socket::DumpEvent;
use rtnl_core::spec::Ctx;

use crate::args::Args;
use crate::request::NoResolve;
use crate::request::tc::TcEnv;
use crate::request::tc_act::tc_action;
use crate::tc::plan::{TcActionRequest, action_answer};
use crate::tc::units::Psched;
use crate::{IPBatch, IPRoute};

/// One action message the kernel answered (RTM_NEWACTION): struct tcamsg, then TCA_ROOT_*.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcActionMsg {
    /// The netlink message type.
    pub msg_type: u16,
    /// The payload: struct tcamsg, then the attributes.
    pub payload: Vec<u8>,
}

impl TcActionMsg {
    /// The TCA_ROOT_* attributes (`tab()` lists the actions).
    pub fn attrs(&self) -> TcRootAttrs<'_> {
        TcRootAttrs::new(
            self.payload.get(Tcamsg::SIZE..).unwrap_or_default(),
            Ctx::default(),
        )
    }

    /// `(kind, index)` of each action listed, the index read from the options' parms (or
    /// TCA_ACT_INDEX where the kernel sends it).
    pub fn actions(&self) -> Vec<(String, u32)> {
        self.each().into_iter().map(|a| (a.kind, a.index)).collect()
    }

    /// Each action listed, as an owned [`TcAction`].
    pub fn each(&self) -> Vec<TcAction> {
        let mut out = Vec::new();
        let Some(Ok(tab)) = self.attrs().tab().transpose() else {
            return out;
        };
        for a in tab.flatten() {
            let kind = a.kind().ok().flatten().unwrap_or_default().to_string();
            let index = a.index().ok().flatten().or_else(|| parms_index(&a));
            out.push(TcAction {
                kind,
                index: index.unwrap_or(0),
                payload: a.bytes().to_vec(),
            });
        }
        out
    }
}

/// One shared action as the kernel listed it (an entry of a dump's TCA_ROOT_TAB).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcAction {
    /// Its kind (`"mirred"`).
    pub kind: String,
    /// Its index (TCA_ACT_INDEX, or its options' parms.index).
    pub index: u32,
    /// Its TCA_ACT_* attributes (kind, options, stats, cookie ...).
    pub payload: Vec<u8>,
}

impl TcAction {
    /// The TCA_ACT_* attributes (`options()` are the kind's, decoded by kind).
    pub fn attrs(&self) -> TcActAttrs<'_> {
        TcActAttrs::new(&self.payload, Ctx::default())
    }
}

/// The index in an action's parms struct (its first field in every tc_* action struct).
fn parms_index(a: &TcActAttrs<'_>) -> Option<u32> {
    macro_rules! idx {
        ($o:expr, $($v:ident => $f:ident),*) => {
            match $o {
                $(TcActOptions::$v(x) => x.$f().ok().flatten().map(|p| p.index()),)*
                _ => None,
            }
        };
    }
    let o = a.options().ok().flatten()?;
    idx!(o, Mirred => parms, Gact => parms, Police => tbf, Skbedit => parms, Vlan => parms,
        Csum => parms, TunnelKey => parms, Sample => parms, Connmark => parms, Nat => parms,
        Mpls => parms, Bpf => parms, Gate => parms, Ct => parms, Ife => parms, Skbmod => parms)
}

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
