//! Traffic control: tc's units and handles, and the `tc` command on [`IPRoute`](crate::IPRoute)
//! and [`IPBatch`](crate::IPBatch) (the request encoder is [`request::tc`](crate::request::tc)).

mod actions;
mod answer;
mod commands;
mod handle;
pub(crate) mod plan;
mod select;
pub mod units;

pub use answer::{TcAction, TcActionMsg};
pub use handle::TcHandle;
pub use select::{TcActionSelect, TcSelect};
