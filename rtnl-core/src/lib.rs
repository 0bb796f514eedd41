//! rtnl-core: the rtnetlink protocol without policy.
//!
//! * [`nla`]: netlink attributes: a checked iterator over received bytes, and a writer that
//!   patches nest lengths when a nest closes.
//! * [`spec`]: the schema as static data (attribute sets, structs, enums), with the table-driven
//!   encoder/decoder used by by-name setters, JSON output and raw printing.
//! * [`generated`]: zero-copy views, builders and tables generated from `schema/` by
//!   `cargo xtask regen` (never edited by hand).
//! * [`proto`]: the sans-IO netlink core: requests into bytes, received bytes into events.
//! * [`socket`]: a blocking NETLINK_ROUTE socket around [`proto`].
//! * `asocket` (feature `tokio`): the async shell around the same [`proto`]: one driver task
//!   owns the socket and routes answers by sequence number to many requests in flight.
//! * [`netns`]: sockets inside other network namespaces, without fork (file descriptors only).
//! * [`locate`]: names the attribute a kernel error's offset points at, in the request we sent.
//! * `testing` (feature `test-support`): a fresh named namespace per live test.
//! * feature `tracing`: requests, answers, dump restarts and batches logged at debug/trace level
//!   through the `tracing` crate (off by default; no default features).
//! * feature `serde`: `serde::Serialize` for every view ([`view::SetView`], [`view::Message`],
//!   [`view::OwnedMessage`]), generated struct, enum and flag type, and the table-driven JSON
//!   views (`spec::DynAttrs`, `spec::DynMessage`); `Deserialize` for [`spec::Value`] and for
//!   owned messages (encoded back through [`spec::encode_shown_message`]). Without it the
//!   crate has no serde dependency at all.
//! * [`view`]: the view and builder every attribute set shares (generated code adds the typed
//!   getters and setters).
//!
//! # Contract
//! No function in this crate panics on any input bytes: malformed data is a [`DecodeError`].
//! Unknown attributes, enum values and sub-message kinds are kept and shown raw, never dropped.

#[cfg(feature = "tokio")]
pub mod asocket;
mod enums;
pub mod error;
#[rustfmt::skip] // prettyplease's output, checked by `cargo xtask regen --check`
pub mod generated;
pub mod locate;
pub mod netns;
pub mod nla;
pub mod proto;
pub mod socket;
pub mod spec;
#[allow(unsafe_code)] // the crate's only unsafe: setsockopt calls rustix does not wrap
mod sys;
#[cfg(feature = "test-support")]
pub mod testing;
mod trace;
pub mod types;
pub mod view;

pub use error::{ArgError, BatchError, BatchFailure, DecodeError, Error, KernelError};
pub use spec::msg_type_name;

/// Result alias of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
