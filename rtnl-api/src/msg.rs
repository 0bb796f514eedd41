//! A message of any rtnetlink family, typed: what events hand out and what an echo returns.
//!
//! [`Msg::parse`] picks the family's zero-copy view from the message type (`RTM_NEWLINK` ->
//! [`Msg::Link`] ...); families the schema does not describe come raw ([`Msg::Other`]), never
//! dropped. [`OwnedMsg`] keeps a copy. This module only reads bytes it is given: it never
//! talks to a socket.

use rtnl_core::DecodeError;
use rtnl_core::generated::*;

/// A notification's message, typed by family; families without a schema come raw.
///
/// With feature `serde` it serializes like [`OwnedMsg`].
#[derive(Debug)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "snake_case")
)]
#[non_exhaustive]
// The views carry their one-pass attribute index inline; boxing them would allocate per event.
#[allow(clippy::large_enum_variant)]
pub enum Msg<'a> {
    /// `RTM_NEWLINK` / `RTM_DELLINK`.
    Link(LinkMsg<'a>),
    /// `RTM_NEWADDR` / `RTM_DELADDR`.
    Addr(AddrMsg<'a>),
    /// `RTM_NEWROUTE` / `RTM_DELROUTE`.
    Route(RouteMsg<'a>),
    /// `RTM_NEWRULE` / `RTM_DELRULE`.
    Rule(RuleMsg<'a>),
    /// `RTM_NEWNEIGH` / `RTM_DELNEIGH` (neighbours and FDB entries).
    Neigh(NeighMsg<'a>),
    /// Qdiscs, classes, filters and chains (`RTM_NEWQDISC` ... `RTM_DELCHAIN`).
    Tc(TcMsg<'a>),
    /// `RTM_NEWMDB` / `RTM_DELMDB`.
    Mdb(MdbMsg<'a>),
    /// `RTM_NEWPREFIX`.
    Prefix(PrefixMsg<'a>),
    /// `RTM_NEWNDUSEROPT`.
    NdUserOpt(NduseroptMsg<'a>),
    /// `RTM_NEWNSID` / `RTM_DELNSID`: a namespace got or lost an id here.
    Nsid(NsidMsg<'a>),
    /// `RTM_NEWNETCONF` / `RTM_DELNETCONF`: a device's IP configuration.
    Netconf(NetconfMsg<'a>),
    /// `RTM_NEWNEXTHOP` / `RTM_DELNEXTHOP`: a nexthop object (`ip nexthop`).
    Nexthop(NexthopMsg<'a>),
    /// `RTM_NEWNEXTHOPBUCKET` / `RTM_DELNEXTHOPBUCKET`: a resilient group's bucket.
    NexthopBucket(NexthopBucketMsg<'a>),
    /// Anything else: its type and payload.
    Other {
        /// The message type.
        msg_type: u16,
        /// Its payload (family header and attributes).
        payload: &'a [u8],
    },
}

impl<'a> Msg<'a> {
    /// The typed view of a notification of type `msg_type`.
    pub fn parse(msg_type: u16, payload: &'a [u8]) -> Result<Msg<'a>, DecodeError> {
        Ok(match msg_type {
            16 | 17 => Msg::Link(LinkMsg::parse(payload)?),
            20 | 21 => Msg::Addr(AddrMsg::parse(payload)?),
            24 | 25 => Msg::Route(RouteMsg::parse(payload)?),
            32 | 33 => Msg::Rule(RuleMsg::parse(payload)?),
            28 | 29 => Msg::Neigh(NeighMsg::parse(payload)?),
            36 | 37 | 40 | 41 | 44 | 45 | 100 | 101 => Msg::Tc(TcMsg::parse(payload)?),
            84 | 85 => Msg::Mdb(MdbMsg::parse(payload)?),
            52 => Msg::Prefix(PrefixMsg::parse(payload)?),
            68 => Msg::NdUserOpt(NduseroptMsg::parse(payload)?),
            88 | 89 => Msg::Nsid(NsidMsg::parse(payload)?),
            80 | 81 => Msg::Netconf(NetconfMsg::parse(payload)?),
            104 | 105 => Msg::Nexthop(NexthopMsg::parse(payload)?),
            116 | 117 => Msg::NexthopBucket(NexthopBucketMsg::parse(payload)?),
            _ => Msg::Other { msg_type, payload },
        })
    }

    /// An owned copy, to keep beyond the callback.
    pub fn to_owned(&self) -> OwnedMsg {
        match self {
            Msg::Link(m) => OwnedMsg::Link(m.to_owned_msg()),
            Msg::Addr(m) => OwnedMsg::Addr(m.to_owned_msg()),
            Msg::Route(m) => OwnedMsg::Route(m.to_owned_msg()),
            Msg::Rule(m) => OwnedMsg::Rule(m.to_owned_msg()),
            Msg::Neigh(m) => OwnedMsg::Neigh(m.to_owned_msg()),
            Msg::Tc(m) => OwnedMsg::Tc(m.to_owned_msg()),
            Msg::Mdb(m) => OwnedMsg::Mdb(m.to_owned_msg()),
            Msg::Prefix(m) => OwnedMsg::Prefix(m.to_owned_msg()),
            Msg::NdUserOpt(m) => OwnedMsg::NdUserOpt(m.to_owned_msg()),
            Msg::Nsid(m) => OwnedMsg::Nsid(m.to_owned_msg()),
            Msg::Netconf(m) => OwnedMsg::Netconf(m.to_owned_msg()),
            Msg::Nexthop(m) => OwnedMsg::Nexthop(m.to_owned_msg()),
            Msg::NexthopBucket(m) => OwnedMsg::NexthopBucket(m.to_owned_msg()),
            Msg::Other { msg_type, payload } => OwnedMsg::Other {
                msg_type: *msg_type,
                payload: payload.to_vec(),
            },
        }
    }
}

/// A kept copy of a [`Msg`].
///
/// With feature `serde` it serializes as `{"link": {<header fields>, "attrs": {...}}}` (the
/// family in snake case, then the message as its view shows it) and deserializes from the same
/// shape, encoding the fields and attributes back through the schema's tables.
#[derive(Debug, Clone)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "snake_case")
)]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)]
pub enum OwnedMsg {
    /// A link.
    Link(LinkOwned),
    /// An address.
    Addr(AddrOwned),
    /// A route.
    Route(RouteOwned),
    /// A rule.
    Rule(RuleOwned),
    /// A neighbour.
    Neigh(NeighOwned),
    /// A qdisc, class, filter or chain.
    Tc(TcOwned),
    /// An MDB entry.
    Mdb(MdbOwned),
    /// A prefix notification.
    Prefix(PrefixOwned),
    /// An ND user option.
    NdUserOpt(NduseroptOwned),
    /// A namespace id.
    Nsid(NsidOwned),
    /// A device's IP configuration.
    Netconf(NetconfOwned),
    /// A nexthop object.
    Nexthop(NexthopOwned),
    /// A nexthop bucket.
    NexthopBucket(NexthopBucketOwned),
    /// Another message type.
    Other {
        /// The message type.
        msg_type: u16,
        /// Its payload.
        payload: Vec<u8>,
    },
}
