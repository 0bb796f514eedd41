//! `stats`: link statistics requests (RTM_GETSTATS, `ip stats show`).

use rtnl_core::Result;
use rtnl_core::generated::*;
use rtnl_core::spec::Command;

use super::*;
use crate::args::{Args, int_as};

/// pyroute2's default `filter_mask`: IFLA_STATS_LINK_64, LINK_XSTATS, LINK_XSTATS_SLAVE,
/// LINK_OFFLOAD_XSTATS and AF_SPEC (bits 0..4).
pub const STATS_FILTER_DEFAULT: u32 = 31;

/// `stats(cmd, ...)`: `get` (one link) or `dump` (every link), RTM_GETSTATS.
///
/// Keywords: `ifindex` (or `index`, or `ifname`, resolved), `filter_mask` (bit
/// `IFLA_STATS_x - 1` per group; default 31, pyroute2's), `family` (0).
///
/// ```
/// let mut b = Vec::new();
/// let c = rtnl_api::request::stats(&mut b, "get", &rtnl_api::kw! { ifindex: 5 },
///     &mut rtnl_api::request::NoResolve)?;
/// assert_eq!(c.msg_type, 94); // RTM_GETSTATS
/// assert_eq!(&b[8..12], &31u32.to_ne_bytes());
/// # Ok::<(), rtnl_api::Error>(())
/// ```
pub fn stats(buf: &mut Vec<u8>, cmd: &str, args: &Args, r: &mut dyn Resolve) -> Result<Command> {
    let c = command(&STATS_MSG, cmd)?;
    let mut a = args.clone();
    let mut hdr = IfStatsMsg::zeroed();
    if let Some((k, v)) = a.take_any(&["ifindex", "index", "ifname"]) {
        hdr.set_ifindex(ifindex_arg(&k, &v, r)?);
    }
    hdr.set_filter_mask(match a.take("filter_mask") {
        Some(v) => int_as("filter_mask", &v, None)?,
        None => STATS_FILTER_DEFAULT,
    });
    if let Some(v) = a.take("family") {
        hdr.set_family(int_as::<u8>("family", &v, Some(AddressFamily::SPEC))?);
    }
    if let Some(k) = a.keys().next() {
        return Err(rtnl_core::ArgError::new(
            k,
            "not a stats keyword (ifindex, filter_mask, family)",
        )
        .into());
    }
    StatsMsg::request(buf, &hdr);
    Ok(*c)
}
