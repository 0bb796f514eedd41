//! Streaming dumps: typed zero-copy views handed to a callback straight from the receive buffer.
//!
//! A [`Dump`] is a prepared request (family header + kernel-side filter attributes) plus
//! userspace predicates. [`Dump::for_each`] streams: no allocation per message, memory bounded by
//! the socket's one receive buffer. [`Dump::collect`] keeps owned copies. Filters the kernel can
//! apply (strict checking: route table/oif/protocol/type, link master/kind, address ifindex,
//! neighbour ifindex/master, tc ifindex/parent) are put in the request; the rest are predicates.
//!
//! When the kernel marks a dump interrupted (`NLM_F_DUMP_INTR`: the table changed while it was
//! being read) the socket redoes it. [`Dump::collect`] and [`Dump::count`] start over cleanly;
//! a [`Dump::for_each`] caller says how to start over with [`Dump::on_restart`], and without it
//! gets [`Error::DumpInterrupted`] rather than silently repeated messages.

use rtnl_core::generated::*;
use rtnl_core::proto::flags as nlm;
use rtnl_core::socket::DumpEvent;
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
        }
    }

    /// Keeps only the messages `pred` accepts (a userspace filter).
    pub fn filter(mut self, pred: impl for<'a> Fn(&F::View<'a>) -> bool + 's) -> Self {
        self.preds.push(Box::new(pred));
        self
    }

    /// Called when an interrupted dump starts over: the messages seen so far are void.
    pub fn on_restart(mut self, f: impl FnMut() + 's) -> Self {
        self.on_restart = Some(Box::new(f));
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
        ipr.sock.dump(
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
            },
        )
    }

    /// Owned copies of every matching message (an interrupted dump starts over cleanly).
    pub fn collect(self) -> Result<Vec<F::Owned>> {
        let out = std::cell::RefCell::new(Vec::new());
        self.on_restart(|| out.borrow_mut().clear()).for_each(|v| {
            out.borrow_mut().push(F::to_owned(&v));
            Ok(())
        })?;
        Ok(out.into_inner())
    }

    /// The number of matching messages.
    pub fn count(self) -> Result<usize> {
        let n = std::cell::Cell::new(0usize);
        self.on_restart(|| n.set(0)).for_each(|_| {
            n.set(n.get() + 1);
            Ok(())
        })?;
        Ok(n.get())
    }
}
