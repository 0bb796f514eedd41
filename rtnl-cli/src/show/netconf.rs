//! `netconf show [dev NAME]`: per-device IP configuration, printed as `ip netconf show` prints
//! it (text and `-j` from the same calls): family, interface (`all`, `default`), then the
//! switches the kernel reports, each `on`/`off` (`rp_filter`: `off`, `strict`, `loose`).
//! `monitor netconf` prints its events with [`print_netconf`].

use rtnl_api::IPRoute;
use rtnl_api::generated::*;
use rtnl_core::Result;

use super::common::{Names, dev_index, each};
use crate::print::Printer;
use rtnl_cli::ShowArgs;

fn on_off(p: &mut Printer<'_>, key: &str, fmt: &str, v: Option<i32>) {
    if let Some(v) = v {
        if p.is_json() {
            p.json(key, v != 0);
        } else {
            p.text(fmt, if v != 0 { "on" } else { "off" });
        }
    }
}

/// One netconf message (a monitor prints `Deleted` before it for RTM_DELNETCONF).
pub fn print_netconf(p: &mut Printer<'_>, m: &NetconfMsg<'_>, names: &Names) -> Result<()> {
    p.open_object("");
    let fam = match u8::from(m.header().family()) {
        2 => "inet",
        10 => "inet6",
        28 => "mpls",
        7 => "bridge",
        _ => "unknown",
    };
    p.print("family", "{} ", fam);
    if let Some(i) = m.ifindex()? {
        match i {
            -1 => p.print("interface", "{} ", "all"),
            -2 => p.print("interface", "{} ", "default"),
            i => names.print(p, "interface", "{} ", i as u32),
        }
    }
    on_off(p, "forwarding", "forwarding {} ", m.forwarding()?);
    if let Some(r) = m.rp_filter()? {
        match r {
            0 => p.print("rp_filter", "rp_filter {} ", "off"),
            1 => p.print("rp_filter", "rp_filter {} ", "strict"),
            2 => p.print("rp_filter", "rp_filter {} ", "loose"),
            r => p.print("rp_filter", "rp_filter {} ", r as u32),
        }
    }
    on_off(p, "mc_forwarding", "mc_forwarding {} ", m.mc_forwarding()?);
    on_off(p, "proxy_neigh", "proxy_neigh {} ", m.proxy_neigh()?);
    on_off(
        p,
        "ignore_routes_with_linkdown",
        "ignore_routes_with_linkdown {} ",
        m.ignore_routes_with_linkdown()?,
    );
    on_off(p, "input", "input {} ", m.input()?);
    p.close_object();
    p.nl();
    Ok(())
}

/// `netconf show [dev NAME]` (`-4`/`-6` pick the family), as ip: every device's message,
/// or only `dev`'s.
pub fn show(ipr: &mut IPRoute, a: &ShowArgs, p: &mut Printer<'_>) -> Result<()> {
    let ifindex = match &a.dev {
        Some(d) => Some(dev_index(ipr, d)? as i32),
        None => None,
    };
    let names = Names::load(ipr, a)?;
    let dump = ipr
        .get_netconf(a.family)?
        .filter(move |m| ifindex.is_none_or(|i| m.ifindex().ok().flatten() == Some(i)));
    p.start();
    each(dump, a, p, |p, m| print_netconf(p, &m, &names))?;
    p.end_all();
    Ok(())
}
