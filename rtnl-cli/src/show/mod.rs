//! `OBJECT show`: dumps through rtnl-api, printed as `ip`/`tc`/`bridge` print them, straight
//! from the zero-copy views through the [`Printer`] (text and `-j` from the same calls, no
//! map or string per message). One file per object; [`common`] holds what they share.
//! `--raw` prints the generated table-driven view of every message instead.

pub mod bridge;
pub mod common;
pub mod encap;
pub mod link;
pub mod linkinfo;
pub mod neigh;
pub mod netconf;
pub mod nexthop;
pub mod ntable;
pub mod route;
pub mod rule;
pub mod tc;
pub mod tc_action;

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

/// Runs `OBJECT show` into `p` (monitor and netns have their own modules: nothing here).
pub fn object(ipr: &mut IPRoute, object: Object, a: &ShowArgs, p: &mut Printer<'_>) -> Result<()> {
    match object {
        Object::Link => link::show_link(ipr, a, p),
        Object::Addr => link::show_addr(ipr, a, p),
        Object::Route => route::show(ipr, a, p),
        Object::Rule => rule::show(ipr, a, p),
        Object::Neigh => neigh::show(ipr, a, p),
        Object::Fdb => neigh::show_fdb(ipr, a, p),
        Object::Qdisc => tc::show(ipr, a, p, tc::TcObject::Qdisc),
        Object::Class => tc::show(ipr, a, p, tc::TcObject::Class),
        Object::Filter => tc::show(ipr, a, p, tc::TcObject::Filter),
        Object::Mdb => bridge::mdb(ipr, a, p),
        Object::Vlan => bridge::vlan(ipr, a, p),
        Object::Vni => bridge::vni(ipr, a, p),
        Object::Brlink => bridge::brlink(ipr, a, p),
        Object::Ntable => ntable::show(ipr, a, p),
        Object::Netconf => netconf::show(ipr, a, p),
        Object::Nexthop => nexthop::show(ipr, a, p),
        // Their shows are write/'s commands (`actions list`, `chain show`).
        Object::Monitor | Object::Netns | Object::Action | Object::Chain => Ok(()),
    }
}
