//! `route_dump`/`route_dumps` and `route_load`/`route_loads`: routes saved and restored in the
//! format of `ip route save` / `ip route restore`: a 4-byte magic (0x45311224, host order),
//! then the kernel's RTM_NEWROUTE messages exactly as the dump delivered them (netlink header
//! included). Either side reads what the other wrote.

use std::io::{Read, Write};

use rtnl_core::generated::*;
use rtnl_core::proto::{self, Event, flags as nlm};
use rtnl_core::socket::DumpEvent;
use rtnl_core::{ArgError, Error, Result};

use crate::IPRoute;
use crate::iproute::RouteFilter;
use crate::query::routes_query;

/// `IPROUTE2_DUMP_MAGIC` (iproute2's ip/iproute.c `route_dump_magic`).
pub const ROUTE_DUMP_MAGIC: u32 = 0x4531_1224;

/// RTM_F_CLONED: a cache entry, which `ip route save` leaves out.
const RTM_F_CLONED: u32 = 0x200;

impl IPRoute {
    /// Writes the routes the filter matches in `ip route save` format; the number written.
    /// With no table in the filter, the main table, as `ip route save`; `ip route save` itself
    /// is `RouteFilter::new().family(2)` (IPv4 unless `-6`). Cache entries are left out.
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// use rtnl_api::RouteFilter;
    /// let f = std::fs::File::create("/tmp/routes")?;
    /// ipr.route_dump(f, RouteFilter::new().family(2))?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn route_dump(&mut self, mut w: impl Write, f: impl Into<RouteFilter>) -> Result<usize> {
        let (bytes, n) = self.route_save(f.into())?;
        w.write_all(&bytes)
            .map_err(|e| Error::io("route_dump write", e))?;
        Ok(n)
    }

    /// [`route_dump`](Self::route_dump) into bytes (pyroute2's `route_dumps`).
    pub fn route_dumps(&mut self, f: impl Into<RouteFilter>) -> Result<Vec<u8>> {
        Ok(self.route_save(f.into())?.0)
    }

    fn route_save(&mut self, mut f: RouteFilter) -> Result<(Vec<u8>, usize)> {
        f.table = match f.table {
            None => Some(254),
            Some(0) => None,
            t => t,
        };
        let body = routes_query(&f);
        let mut out = ROUTE_DUMP_MAGIC.to_ne_bytes().to_vec();
        let mut n = 0;
        self.sock.dump_with_end(
            RTM_GETROUTE,
            |b| {
                b.extend_from_slice(&body);
                Ok(())
            },
            |ev| {
                match ev {
                    DumpEvent::Message(m) if m.msg_type() == RTM_NEWROUTE => {
                        let r = RouteMsg::parse(m.payload)?;
                        if r.header().flags().0 & RTM_F_CLONED != 0
                            || (f.default_only && r.header().dst_len() != 0)
                        {
                            return Ok(());
                        }
                        let start = proto::begin_request(
                            &mut out,
                            m.msg_type(),
                            m.flags(),
                            m.seq(),
                            m.port(),
                        );
                        out.extend_from_slice(m.payload);
                        proto::finish_request(&mut out, start);
                        n += 1;
                    }
                    DumpEvent::Restarted => {
                        out.truncate(4);
                        n = 0;
                    }
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok((out, n))
    }

    /// Restores routes saved by [`route_dump`](Self::route_dump) or `ip route save`, as
    /// `ip route restore` does: each RTM_NEWROUTE sent back with REQUEST|CREATE|ACK added to
    /// its saved flags, in three passes (routes without gateway whose preferred source is none
    /// or their own destination; then the other routes without gateway; then those with a
    /// gateway), a route that exists (EEXIST) counting as restored. The number restored.
    ///
    /// pyroute2 replays the file in its order with `replace`; iproute2's order lets a gateway
    /// route find the network it goes through.
    pub fn route_load(&mut self, mut r: impl Read) -> Result<usize> {
        let mut data = Vec::new();
        r.read_to_end(&mut data)
            .map_err(|e| Error::io("route_load read", e))?;
        self.route_loads(&data)
    }

    /// [`route_load`](Self::route_load) from bytes (pyroute2's `route_loads`).
    ///
    /// ```no_run
    /// # let mut ipr = rtnl_api::IPRoute::new()?;
    /// let saved = ipr.route_dumps(rtnl_api::RouteFilter::new().family(2))?;
    /// ipr.flush_routes(())?;
    /// ipr.route_loads(&saved)?;
    /// # Ok::<(), rtnl_api::Error>(())
    /// ```
    pub fn route_loads(&mut self, data: &[u8]) -> Result<usize> {
        let magic = data
            .get(..4)
            .map(|m| u32::from_ne_bytes([m[0], m[1], m[2], m[3]]));
        if magic != Some(ROUTE_DUMP_MAGIC) {
            return Err(ArgError::new(
                "route_loads",
                "not a route dump: no ip route save magic (0x45311224) at the start",
            )
            .into());
        }
        let mut routes = Vec::new();
        for ev in proto::messages(&data[4..]) {
            if let Event::Message(m) = ev?
                && m.msg_type() == RTM_NEWROUTE
            {
                routes.push((m.flags(), m.payload));
            }
        }
        let mut n = 0;
        for pass in 0..3 {
            for (fl, payload) in &routes {
                if restore_pass(&RouteMsg::parse(payload)?)? != pass {
                    continue;
                }
                let r = self.sock.request(RTM_NEWROUTE, fl | nlm::CREATE, |b| {
                    b.extend_from_slice(payload);
                    Ok(())
                });
                match r {
                    Ok(()) => n += 1,
                    Err(Error::Kernel(k)) if k.errno == 17 => n += 1,
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(n)
    }
}

/// iproute2's restore order: 0 for routes to local addresses (no gateway, preferred source
/// none or the destination itself), 1 for local networks (no gateway, another preferred
/// source), 2 for routes through a gateway.
fn restore_pass(r: &RouteMsg<'_>) -> Result<u8> {
    if r.payload(5)?.is_some() {
        return Ok(2); // RTA_GATEWAY
    }
    match (r.payload(7)?, r.payload(1)?) {
        // RTA_PREFSRC, RTA_DST
        (Some(p), d) if Some(p) != d => Ok(1),
        _ => Ok(0),
    }
}
