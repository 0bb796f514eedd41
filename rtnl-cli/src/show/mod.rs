//! `OBJECT show`: dumps through rtnl-api, printed as `ip`/`tc`/`bridge` print them, straight
//! from the zero-copy views through the [`Printer`] (text and `-j` from the same calls, no
//! map or string per message). One file per object; [`common`] holds what they share.
//! `--raw` prints the generated table-driven view of every message instead.

pub mod common;
pub mod link;
pub mod route;

use rtnl_api::IPRoute;
use rtnl_core::Result;

use crate::print::Printer;
use rtnl_cli::{Object, ShowArgs};

/// `--raw`: one message as a JSON line of header fields and `[NAME, value]` pairs.
pub fn raw_line(p: &mut Printer<'_>, v: &impl serde::Serialize) -> Result<()> {
    let buf = p.raw();
    serde_json::to_writer(&mut *buf, v).map_err(|e| common::io(e.into()))?;
    buf.push(b'\n');
    Ok(())
}

/// Runs `OBJECT show` into `p`; false when this module does not show `object`.
pub fn object(
    ipr: &mut IPRoute,
    object: Object,
    a: &ShowArgs,
    p: &mut Printer<'_>,
) -> Option<Result<()>> {
    Some(match object {
        Object::Link => link::show_link(ipr, a, p),
        Object::Addr => link::show_addr(ipr, a, p),
        Object::Route => route::show(ipr, a, p),
        _ => return None,
    })
}
