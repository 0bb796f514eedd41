//! A route's (or a nexthop's) `encap`, printed as ip's `lwt_print_encap` prints it: ` encap
//! TYPE ` and the type's fields (mpls labels and ttl; ip/ip6 id, src, dst, ttl/hoplimit,
//! tos/tc, flags; seg6 mode and segments; seg6local action, table, vrftable, nh4, nh6, iif,
//! oif). Types this printer does not know print their name only.
//!
//! JSON follows iproute2 6.9 and later: one `"encap"` object with `"encap_type"` first. The
//! 6.1 ip on these machines puts the fields at the top level of the route, where the tunnel's
//! `dst` and `src` repeat the route's own keys, which JSON readers keep only one of.

use rtnl_api::generated::*;
use rtnl_core::Result;

use super::common::{Names, print_table};
use crate::print::Printer;

/// IP_TUNNEL_* flag bits ip prints after an ip/ip6 encap, in its order.
const TUNNEL_FLAGS: [(u16, &str); 3] = [(1 << 2, "key"), (1 << 0, "csum"), (1 << 3, "seq")];

/// ip's name of a seg6local action (`format_action_type`).
fn action_name(a: Seg6LocalAction) -> Option<&'static str> {
    use Seg6LocalAction::*;
    Some(match a {
        End => "End",
        EndX => "End.X",
        EndT => "End.T",
        EndDx2 => "End.DX2",
        EndDx6 => "End.DX6",
        EndDx4 => "End.DX4",
        EndDt6 => "End.DT6",
        EndDt4 => "End.DT4",
        EndB6 => "End.B6",
        EndB6Encap => "End.B6.Encaps",
        EndBm => "End.BM",
        EndS => "End.S",
        EndAs => "End.AS",
        EndAm => "End.AM",
        EndBpf => "End.BPF",
        EndDt46 => "End.DT46",
        Unspec | Unknown(_) => return None,
    })
}

fn type_name(t: LwtunnelEncapTypes) -> &'static str {
    match u16::from(t) {
        1 => "mpls",
        2 => "ip",
        3 => "ila",
        4 => "ip6",
        5 => "seg6",
        6 => "bpf",
        7 => "seg6local",
        8 => "rpl",
        9 => "ioam6",
        10 => "xfrm",
        _ => "unknown",
    }
}

fn tunnel_flags(p: &mut Printer<'_>, flags: Option<u16>) {
    let f = flags.unwrap_or(0);
    for (bit, name) in TUNNEL_FLAGS {
        if f & bit != 0 {
            p.print(name, &format!("{name} "), true);
        }
    }
}

/// An ip or ip6 encap (LWTUNNEL_IP_* / LWTUNNEL_IP6_*: the same fields but the names of the
/// hop limit and traffic class): id, src, dst, `$ttl`, `$tos`, the flags.
macro_rules! ip_tunnel {
    ($p:expr, $m:expr, $ttl:ident, $tos:ident) => {{
        if let Some(id) = $m.id()? {
            $p.print("id", "id {} ", id);
        }
        if let Some(a) = $m.src()? {
            $p.print("src", "src {} ", a);
        }
        if let Some(a) = $m.dst()? {
            $p.print("dst", "dst {} ", a);
        }
        if let Some(t) = $m.$ttl()? {
            $p.print(stringify!($ttl), concat!(stringify!($ttl), " {} "), t);
        }
        if let Some(t) = $m.$tos()? {
            $p.print(stringify!($tos), concat!(stringify!($tos), " {} "), t);
        }
        tunnel_flags($p, $m.flags()?);
    }};
}

/// Segments as ip's `print_srh` lists them: `segs N [ A B ]`, the first segment first.
fn segs(p: &mut Printer<'_>, hdr: &Ipv6SrHdr, list: &[In6Addr]) {
    let n = usize::from(hdr.first_segment) + 1;
    p.text("segs {} [ ", n);
    p.open_array("segs");
    for s in list.iter().take(n).rev() {
        p.print("", "{} ", std::net::Ipv6Addr::from(s.addr8));
    }
    p.close_array();
    p.lit("] ");
}

/// Prints `attrs`' encap, if it has one.
pub fn print(p: &mut Printer<'_>, attrs: &RouteAttrs<'_>, names: &Names) -> Result<()> {
    print_encap(p, attrs.encap_type()?, attrs.encap()?, names)
}

/// Prints an encap given as its type and payload (a route's RTA_ENCAP*, a nexthop's
/// NHA_ENCAP*), if both are there.
pub fn print_encap(
    p: &mut Printer<'_>,
    ty: Option<LwtunnelEncapTypes>,
    e: Option<LwtEncap<'_>>,
    names: &Names,
) -> Result<()> {
    let (Some(ty), Some(e)) = (ty, e) else {
        return Ok(());
    };
    p.open_object("encap");
    p.print("encap_type", " encap {} ", type_name(ty));
    match e {
        LwtEncap::Mpls(m) => {
            if let Some(l) = m.dst()? {
                p.print("dst", " {} ", format_args!("{l}"));
            }
            if let Some(t) = m.ttl()? {
                p.print("ttl", "ttl {} ", t);
            }
        }
        LwtEncap::Ip(m) => ip_tunnel!(p, m, ttl, tos),
        LwtEncap::Ip6(m) => ip_tunnel!(p, m, hoplimit, tc),
        LwtEncap::Seg6(m) => {
            if let Some((hdr, list)) = m.srh()? {
                let mode = match hdr.mode.get() {
                    0 => "inline",
                    1 => "encap",
                    2 => "l2encap",
                    3 => "encap.red",
                    4 => "l2encap.red",
                    _ => "<unknown>",
                };
                p.print("mode", "mode {} ", mode);
                segs(p, &hdr.srh, list);
            }
        }
        LwtEncap::Seg6Local(m) => seg6local(p, &m, names)?,
        _ => {}
    }
    p.close_object();
    Ok(())
}

fn seg6local(p: &mut Printer<'_>, m: &EncapSeg6LocalAttrs<'_>, names: &Names) -> Result<()> {
    let Some(a) = m.action()? else {
        return Ok(());
    };
    match action_name(a) {
        Some(n) => p.print("action", "action {} ", n),
        None => p.print("action", "action {} ", "<invalid>"),
    }
    if let Some((hdr, list)) = m.srh()? {
        p.open_object("srh");
        segs(p, hdr, list);
        p.close_object();
    }
    if let Some(t) = m.table()? {
        print_table(p, "table", "table {} ", t);
    }
    if let Some(t) = m.vrftable()? {
        print_table(p, "vrftable", "vrftable {} ", t);
    }
    if let Some(a) = m.nh4()? {
        p.print("nh4", "nh4 {} ", a);
    }
    if let Some(a) = m.nh6()? {
        p.print("nh6", "nh6 {} ", a);
    }
    if let Some(i) = m.iif()? {
        names.print(p, "iif", "iif {} ", i);
    }
    if let Some(i) = m.oif()? {
        names.print(p, "oif", "oif {} ", i);
    }
    Ok(())
}
