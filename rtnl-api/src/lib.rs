//! rtnl-api: pyroute2's `IPRoute` for Rust.
//!
//! [`IPRoute`] speaks rtnetlink with pyroute2's vocabulary: `link`, `addr`, `route`, `rule`
//! commands with keyword arguments ([`kw!`]), and streaming dumps (`get_links`, `get_addr`,
//! `get_routes`, `get_rules`, `get_neighbours`, `get_qdiscs`, `get_classes`, `get_filters`,
//! `get_default_routes`, `link_lookup`) that hand out zero-copy typed views generated from the
//! schema. [`IPBatch`] compiles the same requests to bytes without sending them.
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
//! # Ok::<(), rtnl_core::Error>(())
//! ```
//!
//! Errors carry what the kernel said: `RTM_NEWROUTE failed: EEXIST (File exists, errno 17)`,
//! with the extended-ack text when the kernel gives one.

pub mod args;
pub mod dump;
pub mod events;
mod iproute;
pub mod options;
pub mod request;

pub use args::{Args, Value};
pub use dump::{Dump, Family};
pub use iproute::{AddrFilter, IPBatch, IPRoute, LinkFilter, NeighFilter, RouteFilter};
pub use rtnl_core::generated;
pub use rtnl_core::{Error, Result};
