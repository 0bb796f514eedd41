//! Events: the kernel's multicast notifications as typed zero-copy views, where a lost event is
//! never silent.
//!
//! [`IPRoute::bind`] joins multicast groups by name (`"link"`, `"ipv4_route"`, `RTNLGRP_*` or
//! the legacy `RTMGRP_*` spelling; groups above 32 too, through `NETLINK_ADD_MEMBERSHIP`);
//! [`IPRoute::events`] then reads them. Each notification is an [`Event::Message`] with its
//! [`Change`] (new or deleted, told apart by the message type) and a typed view ([`Msg`]) into
//! the receive buffer: no allocation per event ([`Msg::to_owned`] keeps one).
//!
//! When the socket's queue overflows (`ENOBUFS`: the kernel dropped notifications) the reader
//! gets [`Event::Overrun`]. With [`Events::resync`] on, the families of the joined groups are
//! then dumped and every current object comes as `Event::Message` with [`Change::Current`],
//! followed by [`Event::Resynced`]: every change is either delivered or covered by that state.
//! Notifications that arrive during the dump are kept by the protocol core and follow it.
//!
//! ```no_run
//! use rtnl_api::{IPRoute, events::{Event, Msg}};
//! use std::ops::ControlFlow;
//!
//! let mut ipr = IPRoute::new()?;
//! ipr.bind(&["link", "ipv4_route"])?;
//! ipr.events().resync(true).for_each(|ev| {
//!     match ev {
//!         Event::Message { change, msg: Msg::Link(l), .. } => {
//!             println!("{change:?} link {:?}", l.ifname()?)
//!         }
//!         Event::Overrun => eprintln!("events were lost; the current state follows"),
//!         _ => {}
//!     }
//!     Ok(ControlFlow::Continue(()))
//! })?;
//! # Ok::<(), rtnl_core::Error>(())
//! ```

use std::ops::ControlFlow;
use std::time::Duration;

use rtnl_core::generated::*;
use rtnl_core::proto::Event as Raw;
use rtnl_core::{ArgError, Error, Result};

use crate::iproute::{AddrFilter, IPRoute, NeighFilter, RouteFilter};

/// What happened to the object of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Change {
    /// Created or changed (`RTM_NEW*`).
    New,
    /// Deleted (`RTM_DEL*`).
    Del,
    /// Part of the current state, dumped after an overrun ([`Events::resync`]).
    Current,
}

pub use crate::msg::{Msg, OwnedMsg};

/// What [`Events::for_each`] hands out.
#[derive(Debug)]
#[non_exhaustive]
// The views carry their one-pass attribute index inline; boxing them would allocate per event.
#[allow(clippy::large_enum_variant)]
pub enum Event<'a> {
    /// A notification (or, after an overrun with resync on, an object of the current state).
    Message {
        /// New, deleted, or current.
        change: Change,
        /// The message, typed.
        msg: Msg<'a>,
        /// The namespace id of its origin, when the socket listens to all namespaces
        /// (`IPRoute::options().all_ns(true)`) and the kernel attached one.
        nsid: Option<i32>,
        /// The tag the `IPRoute` was opened with (`IPRoute::options().target(..)`).
        target: Option<&'a str>,
    },
    /// The socket's queue overflowed: notifications were lost. With resync on, the current
    /// state follows, then [`Event::Resynced`]; without it, resynchronise yourself.
    Overrun,
    /// Every family of the joined groups has been dumped after an overrun.
    Resynced,
}

/// Which families a group's notifications belong to (what a resync dumps).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Link,
    Addr4,
    Addr6,
    Route4,
    Route6,
    Rule4,
    Rule6,
    Neigh,
    Tc,
    Nexthop,
}

fn family_of(group: u32) -> Option<Family> {
    Some(match group {
        1 => Family::Link,
        3 => Family::Neigh,
        4 => Family::Tc,
        5 => Family::Addr4,
        7 => Family::Route4,
        8 => Family::Rule4,
        9 => Family::Addr6,
        11 => Family::Route6,
        19 => Family::Rule6,
        32 => Family::Nexthop,
        _ => return None,
    })
}

/// The group number of a name: `"link"`, `"RTNLGRP_LINK"`, `"RTMGRP_LINK"`, or a number.
///
/// ```
/// use rtnl_api::events::group;
/// assert_eq!(group("link").unwrap(), 1);
/// assert_eq!(group("RTMGRP_IPV4_ROUTE").unwrap(), 7);
/// assert_eq!(group("RTNLGRP_NSID").unwrap(), 28);
/// assert!(group("nosuch").is_err());
/// ```
pub fn group(name: &str) -> Result<u32, ArgError> {
    if let Ok(n) = name.parse::<u32>() {
        return Ok(n);
    }
    let upper = name.to_ascii_uppercase();
    let key = match upper.strip_prefix("RTMGRP_") {
        Some(rest) => format!("RTNLGRP_{rest}"),
        None => name.to_string(),
    };
    RTNLGRP_ENUM
        .values
        .iter()
        .find(|(_, short, c)| short.eq_ignore_ascii_case(&key) || c.eq_ignore_ascii_case(&key))
        .map(|(v, _, _)| *v as u32)
        .filter(|v| *v != 0)
        .ok_or_else(|| {
            ArgError::new(
                "groups",
                format!(
                    "{name:?} is not a multicast group (RTNLGRP_*/RTMGRP_* or a name like \"link\")"
                ),
            )
        })
}

/// The groups `bind(&[])` joins: pyroute2's default set.
pub const DEFAULT_GROUPS: &[&str] = &[
    "link",
    "neigh",
    "tc",
    "ipv4_ifaddr",
    "ipv4_route",
    "ipv4_rule",
    "ipv6_ifaddr",
    "ipv6_route",
    "ipv6_rule",
    "nsid",
];

impl IPRoute {
    /// Joins multicast groups by name (empty: [`DEFAULT_GROUPS`]); [`events`](Self::events)
    /// then reads their notifications.
    pub fn bind(&mut self, groups: &[&str]) -> Result<()> {
        let names = if groups.is_empty() {
            DEFAULT_GROUPS
        } else {
            groups
        };
        for name in names {
            let g = group(name)?;
            self.sock.add_membership(g)?;
            if !self.groups.contains(&g) {
                self.groups.push(g);
            }
        }
        Ok(())
    }

    /// The groups joined so far.
    pub fn groups(&self) -> &[u32] {
        &self.groups
    }

    /// Reads the notifications of the joined groups.
    pub fn events(&mut self) -> Events<'_> {
        Events {
            ipr: self,
            resync: false,
            idle: None,
        }
    }
}

/// A reader of events ([`IPRoute::events`]).
pub struct Events<'s> {
    ipr: &'s mut IPRoute,
    resync: bool,
    idle: Option<Duration>,
}

impl Events<'_> {
    /// After an overrun, dump the joined groups' families and hand out their current state.
    pub fn resync(mut self, on: bool) -> Self {
        self.resync = on;
        self
    }

    /// Return `Ok` when no event arrives for `idle` (default: wait for ever).
    pub fn idle_timeout(mut self, idle: Duration) -> Self {
        self.idle = Some(idle);
        self
    }

    /// Hands every event to `f` until `f` breaks, the idle timeout passes, or an error.
    pub fn for_each(self, mut f: impl FnMut(Event<'_>) -> Result<ControlFlow<()>>) -> Result<()> {
        let Events { ipr, resync, idle } = self;
        // The idle timeout replaces the socket's receive timeout while events are read.
        let before = ipr.sock.recv_timeout();
        ipr.sock.set_recv_timeout(idle.or(before))?;
        let r = loop {
            match read_one(ipr, &mut f) {
                Ok(ControlFlow::Continue(())) => continue,
                Ok(ControlFlow::Break(())) => break Ok(()),
                Err(Error::Timeout(_)) => break Ok(()),
                Err(Error::NoBufs) => match f(Event::Overrun) {
                    Ok(ControlFlow::Continue(())) if resync => match resync_all(ipr, &mut f) {
                        Ok(ControlFlow::Continue(())) => continue,
                        Ok(ControlFlow::Break(())) => break Ok(()),
                        Err(e) => break Err(e),
                    },
                    Ok(ControlFlow::Continue(())) => continue,
                    Ok(ControlFlow::Break(())) => break Ok(()),
                    Err(e) => break Err(e),
                },
                Err(e) => break Err(e),
            }
        };
        ipr.sock.set_recv_timeout(before)?;
        r
    }

    /// Handles the events already queued, without waiting; returns how many there were.
    pub fn poll(self, mut f: impl FnMut(Event<'_>) -> Result<ControlFlow<()>>) -> Result<usize> {
        let mut n = 0;
        let mut flow = ControlFlow::Continue(());
        let IPRoute { sock, target, .. } = self.ipr;
        let target = target.as_deref();
        while flow.is_continue() {
            let got = sock.try_recv_raw(|nsid, ev| {
                if flow.is_continue()
                    && let Some(e) = to_event(ev, nsid, target)?
                {
                    n += 1;
                    flow = f(e)?;
                }
                Ok(())
            });
            match got {
                Ok(true) => {}
                Ok(false) => break,
                Err(Error::NoBufs) => flow = f(Event::Overrun)?,
                Err(e) => return Err(e),
            }
        }
        Ok(n)
    }
}

pub(crate) fn to_event<'a>(
    ev: Raw<'a>,
    nsid: Option<i32>,
    target: Option<&'a str>,
) -> Result<Option<Event<'a>>> {
    Ok(match ev {
        Raw::Message(m) => {
            let change = if m.msg_type() % 4 == 1 && m.msg_type() >= 16 {
                Change::Del
            } else {
                Change::New
            };
            Some(Event::Message {
                change,
                msg: Msg::parse(m.msg_type(), m.payload)?,
                nsid,
                target,
            })
        }
        Raw::Overrun => Some(Event::Overrun),
        _ => None,
    })
}

/// Reads one datagram of notifications.
fn read_one(
    ipr: &mut IPRoute,
    f: &mut impl FnMut(Event<'_>) -> Result<ControlFlow<()>>,
) -> Result<ControlFlow<()>> {
    let mut flow = ControlFlow::Continue(());
    let IPRoute { sock, target, .. } = ipr;
    let target = target.as_deref();
    sock.recv_raw_nsid(|nsid, ev| {
        if flow.is_continue()
            && let Some(e) = to_event(ev, nsid, target)?
        {
            flow = f(e)?;
        }
        Ok(())
    })?;
    Ok(flow)
}

/// Dumps every family of the joined groups as [`Change::Current`] messages. Each family is
/// collected first (all-or-nothing: an interrupted dump starts again from empty), so no object
/// is handed out twice; a resync is rare, so the owned copies cost nothing that matters.
fn resync_all(
    ipr: &mut IPRoute,
    f: &mut impl FnMut(Event<'_>) -> Result<ControlFlow<()>>,
) -> Result<ControlFlow<()>> {
    let mut families: Vec<Family> = ipr.groups.iter().filter_map(|g| family_of(*g)).collect();
    families.sort_by_key(|f| *f as u8);
    families.dedup();
    for fam in families {
        let current = current_state(ipr, fam)?;
        for owned in &current {
            let msg = match owned {
                OwnedMsg::Link(m) => Msg::Link(m.view()),
                OwnedMsg::Addr(m) => Msg::Addr(m.view()),
                OwnedMsg::Route(m) => Msg::Route(m.view()),
                OwnedMsg::Rule(m) => Msg::Rule(m.view()),
                OwnedMsg::Neigh(m) => Msg::Neigh(m.view()),
                OwnedMsg::Tc(m) => Msg::Tc(m.view()),
                OwnedMsg::Nexthop(m) => Msg::Nexthop(m.view()),
                _ => continue,
            };
            let flow = f(Event::Message {
                change: Change::Current,
                msg,
                nsid: None,
                target: ipr.target.as_deref(),
            })?;
            if flow.is_break() {
                return Ok(flow);
            }
        }
    }
    f(Event::Resynced)
}

/// The current objects of one family, kept (the last attempt if the kernel keeps interrupting).
fn current_state(ipr: &mut IPRoute, fam: Family) -> Result<Vec<OwnedMsg>> {
    let v4 = |a, b| {
        if matches!(fam, Family::Addr4 | Family::Route4 | Family::Rule4) {
            a
        } else {
            b
        }
    };
    let af = v4(2, 10);
    Ok(match fam {
        Family::Link => kept(ipr.get_links(())?)?
            .into_iter()
            .map(OwnedMsg::Link)
            .collect(),
        Family::Addr4 | Family::Addr6 => kept(ipr.get_addr(AddrFilter::new().family(af))?)?
            .into_iter()
            .map(OwnedMsg::Addr)
            .collect(),
        Family::Route4 | Family::Route6 => kept(ipr.get_routes(RouteFilter::new().family(af))?)?
            .into_iter()
            .map(OwnedMsg::Route)
            .collect(),
        Family::Rule4 | Family::Rule6 => kept(ipr.get_rules(af)?)?
            .into_iter()
            .map(OwnedMsg::Rule)
            .collect(),
        Family::Neigh => kept(ipr.get_neighbours(NeighFilter::new())?)?
            .into_iter()
            .map(OwnedMsg::Neigh)
            .collect(),
        Family::Tc => {
            let mut all: Vec<OwnedMsg> = kept(ipr.get_qdiscs(0)?)?
                .into_iter()
                .map(OwnedMsg::Tc)
                .collect();
            all.extend(kept(ipr.get_classes(0)?)?.into_iter().map(OwnedMsg::Tc));
            all
        }
        Family::Nexthop => kept(ipr.get_nexthops(())?)?
            .into_iter()
            .map(OwnedMsg::Nexthop)
            .collect(),
    })
}

fn kept<F: crate::dump::Family>(d: crate::dump::Dump<'_, F>) -> Result<Vec<F::Owned>> {
    d.keep_inconsistent(|_| {}).collect()
}
