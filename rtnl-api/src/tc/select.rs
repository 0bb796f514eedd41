//! Which qdiscs, classes and filters a `get_*_where` dump keeps: by device, parent, handle and
//! kind ([`TcSelect`]); which shared actions `get_actions_where` lists: by kind and index
//! ([`TcActionSelect`]); on [`IPRoute`].

use rtnl_core::Result;
use rtnl_core::generated::*;

use crate::args::Value;
use crate::dump::Tcs;
use crate::query::Query;
use crate::tc::plan::tc_query;
use crate::tc::{TcAction, TcHandle};
use crate::{Dump, IPRoute};

/// A selection of tc objects: every field left out matches all. Handles are tc's words
/// (`"1:10"`, `"root"`, `"ingress"`) or raw 32-bit numbers; a bad one is an `ArgError` when the
/// dump is asked for.
///
/// ```no_run
/// # let mut ipr = rtnl_api::IPRoute::new()?;
/// use rtnl_api::tc::TcSelect;
/// let htb = ipr.get_classes_where(&TcSelect::new().index(2).parent("1:").kind("htb"))?.collect()?;
/// # Ok::<(), rtnl_core::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct TcSelect {
    index: u32,
    parent: Option<Value>,
    handle: Option<Value>,
    kind: Option<String>,
}

impl TcSelect {
    /// Everything (of every device, for qdiscs; classes and filters need a device).
    pub fn new() -> TcSelect {
        TcSelect::default()
    }

    /// Only the device with this index.
    pub fn index(mut self, index: u32) -> TcSelect {
        self.index = index;
        self
    }

    /// Only objects whose parent is this (`"1:"`, `"root"`, `"ingress"`).
    pub fn parent(mut self, parent: impl Into<Value>) -> TcSelect {
        self.parent = Some(parent.into());
        self
    }

    /// Only the object with this handle (a qdisc's `"1:"`, a class's `"1:10"`, a filter's).
    pub fn handle(mut self, handle: impl Into<Value>) -> TcSelect {
        self.handle = Some(handle.into());
        self
    }

    /// Only objects of this kind (`"htb"`, `"u32"`).
    pub fn kind(mut self, kind: &str) -> TcSelect {
        self.kind = Some(kind.to_string());
        self
    }

    /// The parent and handle as numbers.
    fn handles(&self) -> Result<(Option<u32>, Option<u32>)> {
        let h = |k: &str, v: &Option<Value>| -> Result<Option<u32>> {
            Ok(match v {
                Some(v) => Some(TcHandle::from_value(k, v)?.0),
                None => None,
            })
        };
        Ok((h("parent", &self.parent)?, h("handle", &self.handle)?))
    }

    /// The dump of `get`, kept to what this selects; `parent` also goes into the request
    /// (where the kernel reads it: a filter dump's qdisc or class).
    pub(crate) fn query(&self, get: u16, new: u16, parent_in_request: bool) -> Result<Query<Tcs>> {
        let (mut parent, handle) = self.handles()?;
        let mut req_parent = 0;
        if parent_in_request {
            // The kernel selects a filter dump's qdisc or class by the request's parent (0,
            // as for "root": the root qdisc), and answers with the qdisc's own handle as
            // parent (ffff: for a dump under ffff:fff1): it is not compared again here.
            req_parent = parent.filter(|p| *p != u32::MAX).unwrap_or(0);
            parent = None;
        }
        let (index, kind) = (self.index, self.kind.clone());
        Ok(tc_query(get, new, index, req_parent).filter(move |m| {
            let h = m.header();
            (index == 0 || h.ifindex.get() as u32 == index)
                && parent.is_none_or(|p| h.parent.get() == p)
                && handle.is_none_or(|x| h.handle.get() == x)
                && kind
                    .as_deref()
                    .is_none_or(|k| m.kind().ok().flatten() == Some(k))
        }))
    }
}

impl IPRoute {
    /// Qdiscs that `sel` selects (by device, parent, handle, kind).
    pub fn get_qdiscs_where(&mut self, sel: &TcSelect) -> Result<Dump<'_, Tcs>> {
        Ok(self.dump_of(sel.query(RTM_GETQDISC, RTM_NEWQDISC, false)?))
    }

    /// Classes that `sel` selects; the kernel dumps classes of one device, so `sel` needs its
    /// index.
    pub fn get_classes_where(&mut self, sel: &TcSelect) -> Result<Dump<'_, Tcs>> {
        Ok(self.dump_of(sel.query(RTM_GETTCLASS, RTM_NEWTCLASS, false)?))
    }

    /// Filters that `sel` selects: those attached to `sel`'s parent (the root qdisc when it
    /// has none; `"ingress"` for ingress/clsact), on its device.
    pub fn get_filters_where(&mut self, sel: &TcSelect) -> Result<Dump<'_, Tcs>> {
        Ok(self.dump_of(sel.query(RTM_GETTFILTER, RTM_NEWTFILTER, true)?))
    }
}

/// A selection of shared tc actions (what `tc actions list` lists): by kind and index; a field
/// left out matches all.
///
/// ```no_run
/// # let mut ipr = rtnl_api::IPRoute::new()?;
/// use rtnl_api::tc::TcActionSelect;
/// let mirreds = ipr.get_actions_where(&TcActionSelect::new().kind("mirred"))?;
/// let nine = ipr.get_actions_where(&TcActionSelect::new().kind("mirred").index(9))?;
/// for a in ipr.get_actions_where(&TcActionSelect::new())? {
///     println!("{} {}", a.kind, a.index);
/// }
/// # let _ = (mirreds, nine);
/// # Ok::<(), rtnl_core::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct TcActionSelect {
    pub(super) kind: Option<String>,
    pub(super) index: Option<u32>,
}

impl TcActionSelect {
    /// Every action of every kind.
    pub fn new() -> TcActionSelect {
        TcActionSelect::default()
    }

    /// Only actions of this kind (`"mirred"`, `"gact"`).
    pub fn kind(mut self, kind: &str) -> TcActionSelect {
        self.kind = Some(kind.to_string());
        self
    }

    /// Only the action with this index.
    pub fn index(mut self, index: u32) -> TcActionSelect {
        self.index = Some(index);
        self
    }
}

impl IPRoute {
    /// Shared actions that `sel` selects, in the kernel's order. The kernel lists actions one
    /// kind at a time (RTM_GETACTION naming the kind in TCA_ACT_TAB), so a kind and an index
    /// ask the kernel for that one action (none when it answers ENOENT), a kind alone is one
    /// dump, and no kind is one dump per action kind the schema decodes (a kind this kernel
    /// lacks lists nothing). An index without a kind is compared here.
    pub fn get_actions_where(&mut self, sel: &TcActionSelect) -> Result<Vec<TcAction>> {
        let mut out = Vec::new();
        for (cmd, kind, args) in sel.words() {
            let msgs = match self.tc_action(cmd, &kind, args) {
                Err(e) if cmd == "get" && e.errno() == Some(2) => Vec::new(),
                r => r?,
            };
            out.extend(sel.keep(&msgs));
        }
        Ok(out)
    }
}
