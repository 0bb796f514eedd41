//! The schema as static data, and the table-driven codec built on it.
//!
//! `cargo xtask regen` emits, next to the typed views and builders, one static [`SetSpec`],
//! [`StructSpec`], [`EnumSpec`], [`SubMessageSpec`] and [`MessageSpec`] per schema item. This
//! module walks those tables to
//!
//! * encode pyroute2-style keyword arguments: [`encode_attr`] (`set("mtu", 1400)`,
//!   `set("IFLA_MTU", 1400)`, `set("linkinfo", {"kind": "bridge"})`) from a [`Value`];
//! * show any message as data (feature `serde`): `DynAttrs` implements `serde::Serialize` as a map
//!   (`{"dst": "10.0.0.0", ...}`, for JSON) or as pyroute2's `[[NAME, value], ...]` pairs.
//!
//! Typed getters do not use these tables (they are generated code); this path is for the generic
//! cases: keywords, JSON, raw printing, and every attribute a schema gains without new code.
//! Nothing here panics on any input bytes: malformed attributes serialize as an `"error"` entry
//! that names the problem, and unknown attributes as `UNKNOWN_<id>` with their bytes in hex.
//!
//! One job per module, everything re-exported here (generated code says `use crate::spec::*`):
//!
//! * `tables`: the table types themselves ([`Scalar`], [`EnumSpec`], [`StructSpec`],
//!   [`SetSpec`], [`Kind`], [`SubMessageSpec`], [`MessageSpec`], [`TcPluginSpec`]) and their
//!   lookups by id and name;
//! * `select`: which format a sub-message payload has: [`Ctx`] (what nested views inherit) and
//!   selector values ([`SelectorPayload`], [`SelectorBytes`]);
//! * `iter`: iterators over repeated payloads for generated getters ([`Array`], [`Multipath`],
//!   [`MultipathIter`]);
//! * `value`: [`Value`], a keyword argument as pyroute2 users write it, and [`parse_int`];
//! * `encode`: keywords into attribute bytes ([`encode_attr`], [`encode_map`],
//!   [`encode_struct`]);
//! * `json` (feature `serde`): serde views over received bytes (`DynAttrs`, `DynMessage`,
//!   `struct_view`);
//! * `shown`: the way back, a message as the views show it into bytes
//!   ([`encode_shown_message`], [`shown_to_value`]);
//! * `value_serde` (feature `serde`): [`Value`] to and from JSON (and any serde format), in
//!   the document's order.

mod encode;
mod iter;
#[cfg(feature = "serde")]
mod json;
mod select;
mod shown;
mod tables;
mod value;
#[cfg(feature = "serde")]
mod value_serde;

pub use encode::{EncodeCtx, encode_attr, encode_map, encode_struct};
pub use iter::{Array, Multipath, MultipathIter};
#[cfg(feature = "serde")]
pub use json::{DynAttrs, DynMessage, Style, struct_view};
pub use select::{Ctx, MAX_NESTING, SelectorBytes, SelectorPayload};
pub use shown::{encode_shown_message, shown_to_value};
pub use tables::{
    AttrSpec, Command, EnumSpec, FieldSpec, FieldType, FormatSpec, Kind, MessageSpec, Scalar,
    SelValue, Selector, SetSpec, StructSpec, SubMessageSpec, TcParamSpec, TcPluginSpec,
    TcRatespecSpec, TcSetOp, TcUnit, TcValueMeans, message_for_type, msg_type_name,
};
pub use value::{Value, parse_int};

#[cfg(test)]
mod tests;
