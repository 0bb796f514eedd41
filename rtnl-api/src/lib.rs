//! rtnl-api: pyroute2's `IPRoute` for Rust.
//!
//! [`IPRoute`] speaks rtnetlink with pyroute2's vocabulary: `link`, `addr`, `route`, `rule`,
//! `neigh`, `fdb`, `brport`, `vlan_filter`, `vlandb`, `stats`, `nsid` commands with keyword
//! arguments ([`kw!`]), each answering a [`Reply`] (a `get`'s answer or an echo as owned typed
//! messages, a `dump` as a stream); streaming dumps (`get_links`, `get_addr`, `get_routes`,
//! `get_rules`, `get_neighbours`, `get_qdiscs`, `get_classes`, `get_filters`,
//! `get_default_routes`, `link_lookup`) that hand out zero-copy typed views generated from the
//! schema; and the helpers `flush_addr`/`flush_routes`/`flush_rules`, `ensure`/`poll`,
//! `route_dumps`/`route_loads`, `get_netnsid`/`set_netnsid`/`get_netns_info`. [`IPBatch`]
//! compiles the same requests to bytes without sending them. [`typed`] is the compile-checked
//! form of the same commands (`ipr.link_add(Link::veth("v0").peer("v1"))`): setters generated
//! from the schema, the same bytes as the keyword form.
//!
//! ```no_run
//! use rtnl_api::{IPRoute, LinkFilter, kw};
//!
//! let mut ipr = IPRoute::new()?;
//! ipr.link("add", kw! { ifname: "v0", kind: "veth", peer: "v1" })?;
//! ipr.addr("add", kw! { ifname: "v0", address: "10.0.0.1/24" })?;
//! ipr.link("set", kw! { ifname: "v0", state: "up" })?;
//! ipr.route("add", kw! { dst: "10.9.0.0/16", gateway: "10.0.0.2", table: 100 })?;
//! ipr.get_links(())?.for_each(|l| {
//!     println!("{} {} mtu {:?}", l.header().index(), l.ifname()?.unwrap_or("?"), l.mtu()?);
//!     Ok(())
//! })?;
//! # Ok::<(), rtnl_api::Error>(())
//! ```
//!
//! Errors carry what the kernel said: `RTM_NEWROUTE failed: EEXIST (File exists, errno 17)`,
//! with the extended-ack text when the kernel gives one.
//!
//! # One dependency
//!
//! This crate re-exports everything of [`rtnl_core`] a program needs, so `rtnl-api` is the only
//! dependency to declare: the socket ([`Socket`], [`socket`]), the sans-IO core and its events
//! ([`proto`], [`Event`](proto::Event), [`RestartPolicy`], [`BatchMode`]), namespaces ([`netns`]), the
//! generated views, builders, enums and flags ([`generated`]), the schema tables and keyword
//! values ([`spec`], [`Value`]), attribute helpers ([`nla`], [`types`]) and the errors
//! ([`Error`], [`KernelError`], [`ArgError`], [`DecodeError`], [`BatchError`]).
//!
//! # Features
//!
//! None is on by default.
//! * `tracing`: requests, answers, dump restarts and batches logged through the `tracing`
//!   crate (debug and trace level).
//! * `tokio`: `AsyncIPRoute` (module `aio`): the same commands as futures, many requests in
//!   flight on one socket, dumps read with `next().await`, an async event stream; built on
//!   rtnl-core's async shell (`asocket`) around the same protocol core.
//! * `test-support`: `testing::TestNetns`, a fresh network namespace per test, deleted on drop
//!   (what this project's own live tests use).
//! * `serde` (rtnl-core's `serde` too): views, [`msg::Msg`] and owned messages
//!   ([`msg::OwnedMsg`], `generated::LinkOwned` ...) implement `Serialize` (JSON output);
//!   owned messages, [`Args`] and [`Value`] implement `Deserialize`, so a JSON request file can
//!   drive the keyword API (`examples/json_requests.rs`: `[{"object": "link", "cmd": "add",
//!   "args": {"ifname": "br0", "kind": "bridge"}}, ...]`). Off by default: a library that
//!   never prints JSON does not compile serde.

#[cfg(feature = "tokio")]
pub mod aio;
pub mod args;
mod commands;
pub mod dump;
pub mod events;
mod filter;
mod iproute;
pub mod msg;
pub mod names;
pub mod options;
mod query;
pub mod reply;
pub mod request;
pub mod tc;
pub mod typed;

#[cfg(feature = "tokio")]
pub use aio::{AsyncDump, AsyncEvents, AsyncIPRoute, AsyncReply};
pub use args::{Args, Value};
pub use commands::{NetnsInfo, NexthopBucketFilter, NexthopFilter, Object, ROUTE_DUMP_MAGIC};
pub use dump::{Dump, Family};
pub use iproute::{AddrFilter, IPBatch, IPRoute, LinkFilter, NeighFilter, RouteFilter, RuleFilter};
pub use reply::Reply;

// rtnl-core, re-exported so that a program depends on rtnl-api alone.
#[cfg(feature = "tokio")]
pub use rtnl_core::asocket;
pub use rtnl_core::netns::Netns;
pub use rtnl_core::proto::{BatchMode, Counters, RestartPolicy};
pub use rtnl_core::socket::{DumpEnd, DumpEvent, Socket, SocketConfig};
#[cfg(feature = "test-support")]
pub use rtnl_core::testing;
pub use rtnl_core::{
    ArgError, BatchError, BatchFailure, DecodeError, Error, KernelError, Result, msg_type_name,
};
pub use rtnl_core::{generated, locate, netns, nla, proto, socket, spec, types, view};
