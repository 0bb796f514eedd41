//! Streaming dumps: typed zero-copy views handed to a callback straight from the receive buffer.
//!
//! A [`Dump`] is a prepared request (family header + kernel-side filter attributes) plus
//! userspace predicates. [`Dump::for_each`] streams: no allocation per message, memory bounded by
//! the socket's one receive buffer. [`Dump::collect`] keeps owned copies. Filters the kernel can
//! apply (strict checking: route table/oif/protocol/type, link master/kind, address ifindex,
//! neighbour ifindex/master, tc ifindex/parent) are put in the request; the rest are predicates.
//!
//! When the kernel marks a dump interrupted (`NLM_F_DUMP_INTR`: the table changed while it was
//! being read) the socket redoes it, with backoff ([`rtnl_core::proto::RestartPolicy`]). Dumps
//! are all-or-nothing for the user: [`Dump::collect`], [`Dump::count`] and [`Dump::fold`] start
//! again from empty on every restart (no duplicates, ever); a [`Dump::for_each`] caller says how
//! to start over with [`Dump::on_restart`], and without it gets [`Error::DumpInterrupted`]
//! rather than silently repeated messages. When every attempt is interrupted, the dump fails
//! with [`Error::DumpInterrupted`] — unless [`Dump::keep_inconsistent`] accepts the last
//! attempt (complete, but possibly mixing states), as `ip` does with its warning.

use rtnl_core::generated::*;
use rtnl_core::proto::flags as nlm;
use rtnl_core::socket::{DumpEnd, DumpEvent};
use rtnl_core::{DecodeError, Error, Result};

use crate::IPRoute;

/// A message family that can be dumped: its view, owned form and parser.
pub trait Family {
    /// The zero-copy view (`RouteMsg<'a>`).
    type View<'a>;
    /// The owned copy (`RouteOwned`).
    type Owned;
    /// Parses a message payload.
    fn parse(payload: &[u8]) -> Result<Self::View<'_>, DecodeError>;
    /// An owned copy of a view.
    fn to_owned(v: &Self::View<'_>) -> Self::Owned;
    /// The view of an owned copy.
    fn view(o: &Self::Owned) -> Self::View<'_>;
    /// The payload of attribute `id` (top level) of a view, if present.
    fn attr<'v>(v: &'v Self::View<'_>, id: u16) -> Option<&'v [u8]>;
}

macro_rules! family {
    ($(#[$d:meta])* $name:ident, $view:ident, $owned:ident) => {
        $(#[$d])*
        #[derive(Debug, Clone, Copy)]
        pub struct $name;
        impl Family for $name {
            type View<'a> = $view<'a>;
            type Owned = $owned;
            fn parse(payload: &[u8]) -> Result<$view<'_>, DecodeError> {
                $view::parse(payload)
            }
            fn to_owned(v: &$view<'_>) -> $owned {
                v.to_owned_msg()
            }
            fn view(o: &$owned) -> $view<'_> {
                o.view()
            }
            fn attr<'v>(v: &'v $view<'_>, id: u16) -> Option<&'v [u8]> {
                v.payload(id).ok().flatten()
            }
        }
    };
}

family!(/// Links (`RTM_NEWLINK`).
    Links, LinkMsg, LinkOwned);
family!(/// Addresses (`RTM_NEWADDR`).
    Addrs, AddrMsg, AddrOwned);
family!(/// Routes (`RTM_NEWROUTE`).
    Routes, RouteMsg, RouteOwned);
family!(/// Policy rules (`RTM_NEWRULE`).
    Rules, RuleMsg, RuleOwned);
family!(/// Neighbours and FDB entries (`RTM_NEWNEIGH`).
    Neighs, NeighMsg, NeighOwned);
family!(/// Qdiscs, classes and filters (`RTM_NEWQDISC` / `RTM_NEWTCLASS` / `RTM_NEWTFILTER`).
    Tcs, TcMsg, TcOwned);
family!(/// Bridge multicast database, one message per bridge (dump replies are `RTM_GETMDB`).
    Mdbs, MdbMsg, MdbOwned);
family!(/// Bridge VLANs and their options (`RTM_NEWVLAN`).
    Vlans, VlanMsg, VlanOwned);
family!(/// VXLAN VNI filter entries (`RTM_NEWTUNNEL`).
    Vnis, VniMsg, VniOwned);
family!(/// Link statistics (`RTM_NEWSTATS`).
    Stats, StatsMsg, StatsOwned);
family!(/// Neighbour tables (`RTM_NEWNEIGHTBL`).
    Ntables, NtableMsg, NtableOwned);
family!(/// Namespace ids (`RTM_NEWNSID`).
    Nsids, NsidMsg, NsidOwned);
family!(/// Per-device IP configuration (`RTM_NEWNETCONF`).
    Netconfs, NetconfMsg, NetconfOwned);
family!(/// Nexthop objects (`RTM_NEWNEXTHOP`).
    Nexthops, NexthopMsg, NexthopOwned);
family!(/// Resilient nexthop group buckets (`RTM_NEWNEXTHOPBUCKET`).
    NexthopBuckets, NexthopBucketMsg, NexthopBucketOwned);

type Pred<'s, F> = Box<dyn for<'a> Fn(&<F as Family>::View<'a>) -> bool + 's>;

/// A prepared dump (or single `get`); run it with [`for_each`](Dump::for_each),
/// [`collect`](Dump::collect) or [`count`](Dump::count).
pub struct Dump<'s, F: Family> {
    ipr: &'s mut IPRoute,
    msg_type: u16,
    reply_type: u16,
    body: Vec<u8>,
    single: bool,
    preds: Vec<Pred<'s, F>>,
    on_restart: Option<Box<dyn FnMut() + 's>>,
    on_inconsistent: Option<Box<dyn FnMut(u32) + 's>>,
}

impl<'s, F: Family> Dump<'s, F> {
    pub(crate) fn new(
        ipr: &'s mut IPRoute,
        msg_type: u16,
        reply_type: u16,
        body: Vec<u8>,
        single: bool,
    ) -> Self {
        Dump {
            ipr,
            msg_type,
            reply_type,
            body,
            single,
            preds: Vec::new(),
            on_restart: None,
            on_inconsistent: None,
        }
    }

    /// Keeps only the messages `pred` accepts (a userspace filter).
    pub fn filter(mut self, pred: impl for<'a> Fn(&F::View<'a>) -> bool + 's) -> Self {
        self.preds.push(Box::new(pred));
        self
    }

    /// Called when an interrupted dump starts over: the messages seen so far are void. Handlers
    /// add up: each one given is called, in the order given.
    pub fn on_restart(mut self, mut f: impl FnMut() + 's) -> Self {
        self.on_restart = Some(match self.on_restart.take() {
            Some(mut first) => Box::new(move || {
                first();
                f()
            }),
            None => Box::new(f),
        });
        self
    }

    /// Accepts a dump whose every attempt was interrupted: the last attempt (complete, but
    /// the kernel says it may mix old and new state) is kept, and `warn` gets the number of
    /// attempts — where `ip` prints "Dump was interrupted and may be inconsistent.". Without
    /// it such a dump is [`Error::DumpInterrupted`].
    pub fn keep_inconsistent(mut self, warn: impl FnMut(u32) + 's) -> Self {
        self.on_inconsistent = Some(Box::new(warn));
        self
    }

    /// Streams every matching message to `f`, zero-copy. An error from `f` stops the dump (the
    /// socket drains the rest, so it stays usable) and is returned.
    pub fn for_each(self, mut f: impl FnMut(F::View<'_>) -> Result<()>) -> Result<()> {
        let Dump {
            ipr,
            msg_type,
            reply_type,
            body,
            single,
            preds,
            mut on_restart,
            mut on_inconsistent,
        } = self;
        let mut handle = |payload: &[u8], ty: u16| -> Result<()> {
            if ty != reply_type {
                return Ok(());
            }
            let v = F::parse(payload)?;
            if preds.iter().all(|p| p(&v)) {
                f(v)?;
            }
            Ok(())
        };
        if single {
            let r = ipr.sock.transact(
                msg_type,
                nlm::REQUEST | nlm::ACK,
                |b| {
                    b.extend_from_slice(&body);
                    Ok(())
                },
                |m| handle(m.payload, m.msg_type()),
            );
            return match r {
                // A get for something that does not exist is an empty answer, not an error.
                Err(Error::Kernel(k)) if matches!(k.errno, 19 | 2 | 3) => Ok(()),
                r => r,
            };
        }
        let end = ipr.sock.dump_with_end(
            msg_type,
            |b| {
                b.extend_from_slice(&body);
                Ok(())
            },
            |ev| match ev {
                DumpEvent::Message(m) => handle(m.payload, m.msg_type()),
                DumpEvent::Restarted => match on_restart.as_mut() {
                    Some(h) => {
                        h();
                        Ok(())
                    }
                    None => Err(Error::DumpInterrupted { attempts: 1 }),
                },
                _ => Ok(()),
            },
        )?;
        match (end, on_inconsistent.as_mut()) {
            (DumpEnd::Complete, _) => Ok(()),
            (DumpEnd::Inconsistent { attempts }, Some(warn)) => {
                warn(attempts);
                Ok(())
            }
            (DumpEnd::Inconsistent { attempts }, None) => Err(Error::DumpInterrupted { attempts }),
            _ => Ok(()),
        }
    }

    /// Folds every matching message into a state that starts again from `init()` whenever
    /// the dump restarts, so the result holds exactly one complete attempt.
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// let mtus: u64 = ipr.get_links(())?.fold(|| 0, |sum, l| {
    ///     *sum += u64::from(l.mtu()?.unwrap_or(0));
    ///     Ok(())
    /// })?;
    /// # Ok::<(), rtnl_core::Error>(())
    /// ```
    pub fn fold<S>(
        self,
        init: impl Fn() -> S,
        mut f: impl FnMut(&mut S, F::View<'_>) -> Result<()>,
    ) -> Result<S> {
        let state = std::cell::RefCell::new(init());
        self.on_restart(|| *state.borrow_mut() = init())
            .for_each(|v| f(&mut state.borrow_mut(), v))?;
        Ok(state.into_inner())
    }

    /// Owned copies of every matching message (an interrupted dump starts over from empty;
    /// a handler given with [`on_restart`](Self::on_restart) is still called).
    pub fn collect(self) -> Result<Vec<F::Owned>> {
        self.fold(Vec::new, |out, v| {
            out.push(F::to_owned(&v));
            Ok(())
        })
    }

    /// The number of matching messages (of one complete attempt).
    pub fn count(self) -> Result<usize> {
        self.fold(
            || 0,
            |n, _| {
                *n += 1;
                Ok(())
            },
        )
    }
}
