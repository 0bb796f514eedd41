//! [`Reply`]: what a command word (`link("add")`, `route("get")`, `neigh("dump")` ...) answers.
//!
//! # Why one type for every command word
//!
//! pyroute2's `ipr.route(cmd, ...)` returns what the kernel answered: nothing for a plain write,
//! the echoed object when `nlm_echo` is on, the resolved route for `get`, and a generator for
//! `dump`. One Rust method must return one type, so [`Reply`] is an enum of the two shapes:
//!
//! * [`Reply::Done`]: the request was sent and answered **before the method returned** (a
//!   write can never be forgotten by dropping its reply); it holds owned typed copies of the
//!   messages the kernel sent back (a `get`'s answer, an echo; empty for a plain write).
//! * [`Reply::Dump`]: a `dump`/`show` command, prepared but not yet run: the same streaming
//!   [`Dump`] the `get_*` helpers return (zero-copy, bounded memory), run by
//!   [`for_each`](Reply::for_each), [`into_vec`](Reply::into_vec) or
//!   [`into_dump`](Reply::into_dump).
//!
//! A dump borrows the [`IPRoute`](crate::IPRoute) (its views point into the socket's receive
//! buffer), so every `Reply` carries that borrow; `ipr.link("add", kw!{...})?;` is unaffected
//! (the reply is dropped at the `;`), and a kept answer is detached with
//! [`into_vec`](Reply::into_vec) or [`into_first`](Reply::into_first):
//!
//! ```no_run
//! # let mut ipr = rtnl_api::IPRoute::new()?;
//! use rtnl_api::kw;
//! let route = ipr.route("get", kw! { dst: "10.1.0.1" })?.into_first()?;
//! ipr.link("set", kw! { ifname: "lo", state: "up" })?; // the IPRoute is free again
//! # Ok::<(), rtnl_api::Error>(())
//! ```
//!
//! To keep a write's outcome without its messages (to `match` on it, say), drop the reply:
//! `let r = ipr.link("add", kw!{...}).map(drop);`.
//!
//! Every message goes through the sans-IO core (`rtnl_core::proto`) by way of the socket's
//! `transact` and `dump`: sequence matching, ACKs and errors exist once.

use std::fmt;

use rtnl_core::Result;

use crate::dump::{Dump, Family};

/// What a command answered: owned messages already received, or a dump ready to stream.
pub enum Reply<'s, F: Family> {
    /// Answered: the messages the kernel sent back (a `get`'s answer, an echo), oldest first;
    /// empty for a write without echo.
    Done(Vec<F::Owned>),
    /// A dump, not yet sent: stream it.
    Dump(Dump<'s, F>),
}

impl<'s, F: Family> Reply<'s, F> {
    /// Owned copies of every message (a dump is run and collected).
    pub fn into_vec(self) -> Result<Vec<F::Owned>> {
        match self {
            Reply::Done(v) => Ok(v),
            Reply::Dump(d) => d.collect(),
        }
    }

    /// The first message, if any (a dump is run to its end).
    pub fn into_first(self) -> Result<Option<F::Owned>> {
        Ok(self.into_vec()?.into_iter().next())
    }

    /// Each message as a zero-copy view (a dump streams).
    pub fn for_each(self, mut f: impl FnMut(F::View<'_>) -> Result<()>) -> Result<()> {
        match self {
            Reply::Done(v) => v.iter().try_for_each(|o| f(F::view(o))),
            Reply::Dump(d) => d.for_each(f),
        }
    }

    /// The number of messages (a dump is run).
    pub fn count(self) -> Result<usize> {
        match self {
            Reply::Done(v) => Ok(v.len()),
            Reply::Dump(d) => d.count(),
        }
    }

    /// The messages already answered (empty for a dump not yet run).
    pub fn messages(&self) -> &[F::Owned] {
        match self {
            Reply::Done(v) => v,
            Reply::Dump(_) => &[],
        }
    }

    /// The dump, for its filters and restart handlers; `None` for an answered command.
    pub fn into_dump(self) -> Option<Dump<'s, F>> {
        match self {
            Reply::Done(_) => None,
            Reply::Dump(d) => Some(d),
        }
    }
}

impl<F: Family> fmt::Debug for Reply<'_, F>
where
    F::Owned: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reply::Done(v) => f.debug_tuple("Done").field(v).finish(),
            Reply::Dump(_) => f.write_str("Dump(..)"),
        }
    }
}
