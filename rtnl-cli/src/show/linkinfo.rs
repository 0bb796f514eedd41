//! `-d`'s kind line: IFLA_LINKINFO printed as `ip -d link show` prints it (iproute2 6.1's
//! `print_linktype` and each kind's `print_opt`: ip/iplink_bridge.c, iplink_bridge_slave.c,
//! iplink_vxlan.c, iplink_macvlan.c, iptuntap.c), field by field from the zero-copy views,
//! text and `-j` from the same calls. Kinds ip prints no options for (veth, ifb ...) show their
//! name only; ip's quirks are kept where they change what is printed (a bridge's
//! `designated_root` shows the bridge id, `vnifilter` has no trailing blank).
#![allow(clippy::useless_conversion)]

use std::io::Write;

use rtnl_api::generated::*;
use rtnl_core::Result;

use super::common::Names;
use crate::print::{CHex, Printer, Value};

/// A timer in USER_HZ ticks as ip prints it: `SECS.CC` (JSON: a bare number).
#[derive(Clone, Copy)]
struct Timer(u64);

impl Value for Timer {
    fn text(&self, out: &mut Vec<u8>) {
        // ip's __jiffies_to_tv then `%i.%.2i`, through C ints.
        let _ = write!(
            out,
            "{}.{:02}",
            (self.0 / 100) as i32,
            (self.0 % 100) as i32
        );
    }
    fn number(&self) -> bool {
        true
    }
}

/// `key %4i.%.2i ` as text, `"key":S.CC` as JSON.
fn timer(p: &mut Printer<'_>, key: &str, ticks: u64) {
    if p.is_json() {
        p.json(key, Timer(ticks));
    } else {
        let t = Timer(ticks);
        p.text(
            "{} ",
            format_args!("{key} {:>4}.{:02}", (t.0 / 100) as i32, (t.0 % 100) as i32),
        );
    }
}

/// iproute2's `print_on_off`: `on`/`off` as text, a bool in JSON.
fn on_off(p: &mut Printer<'_>, key: &str, fmt: &str, v: u8) {
    if p.is_json() {
        p.json(key, v != 0);
    } else {
        p.text(fmt, if v != 0 { "on" } else { "off" });
    }
}

/// A bridge id as ip's `br_dump_bridge_id`: `PPPP.` then glibc's `ether_ntoa` (no padding).
struct BridgeId<'a>(&'a IflaBridgeId);

impl Value for BridgeId<'_> {
    fn text(&self, out: &mut Vec<u8>) {
        let (p, a) = (self.0.prio, self.0.addr);
        let _ = write!(
            out,
            "{:02x}{:02x}.{:x}:{:x}:{:x}:{:x}:{:x}:{:x}",
            p[0], p[1], a[0], a[1], a[2], a[3], a[4], a[5]
        );
    }
}

/// The `linkinfo` object: the kind's line, and a port's `KIND_slave` line.
pub fn print_linkinfo(p: &mut Printer<'_>, info: &LinkinfoAttrs<'_>, names: &Names) -> Result<()> {
    p.open_object("linkinfo");
    if let Some(kind) = info.kind()? {
        p.sl();
        p.print("info_kind", "    {} ", kind);
        if has_print_opt(kind) {
            p.open_object("info_data");
            match info.data()? {
                Some(LinkinfoData::Bridge(b)) => bridge(p, &b)?,
                Some(LinkinfoData::Vxlan(v)) => vxlan(p, &v, names)?,
                Some(LinkinfoData::Macvlan(m) | LinkinfoData::Macvtap(m)) => macvlan(p, &m)?,
                Some(LinkinfoData::Tun(t)) => tun(p, &t)?,
                _ => {}
            }
            p.close_object();
        }
    }
    if let Some(kind) = info.slave_kind()? {
        p.sl();
        p.print("info_slave_kind", "    {}_slave ", kind);
        if kind == "bridge" {
            p.open_object("info_slave_data");
            if let Some(LinkinfoSlaveData::Bridge(b)) = info.slave_data()? {
                bridge_slave(p, &b, names)?;
            }
            p.close_object();
        }
    }
    p.close_object();
    Ok(())
}

/// The links a kind's options name by index (a vxlan's `dev`, a bridge port's
/// `backup_port`): `link show` holds a link back until their names are known.
pub fn named_links(info: &LinkinfoAttrs<'_>) -> Result<[Option<u32>; 2]> {
    let dev = match info.data()? {
        Some(LinkinfoData::Vxlan(v)) => v.link()?.filter(|l| *l != 0),
        _ => None,
    };
    let backup = match info.slave_data()? {
        Some(LinkinfoSlaveData::Bridge(b)) => b.backup_port()?,
        _ => None,
    };
    Ok([dev, backup])
}

/// The kinds whose options this printer knows (ip opens `info_data` for them even when the
/// kernel sent none).
fn has_print_opt(kind: &str) -> bool {
    matches!(kind, "bridge" | "vxlan" | "macvlan" | "macvtap" | "tun")
}

/// ip's `ll_proto_n2a` for the VLAN protocols a bridge reports.
fn vlan_protocol(p: &mut Printer<'_>, v: u16) {
    match v {
        0x8100 => p.print("vlan_protocol", "vlan_protocol {} ", "802.1Q"),
        0x88a8 => p.print("vlan_protocol", "vlan_protocol {} ", "802.1ad"),
        n => p.print("vlan_protocol", "vlan_protocol {} ", format_args!("[{n}]")),
    }
}

/// iplink_bridge.c's `bridge_print_opt`, in its order.
fn bridge(p: &mut Printer<'_>, b: &LinkinfoBridgeAttrs<'_>) -> Result<()> {
    for (k, t, v) in [
        ("forward_delay", "forward_delay {} ", b.forward_delay()?),
        ("hello_time", "hello_time {} ", b.hello_time()?),
        ("max_age", "max_age {} ", b.max_age()?),
        ("ageing_time", "ageing_time {} ", b.ageing_time()?),
        ("stp_state", "stp_state {} ", b.stp_state()?),
        ("priority", "priority {} ", b.priority()?.map(u32::from)),
        (
            "vlan_filtering",
            "vlan_filtering {} ",
            b.vlan_filtering()?.map(u32::from),
        ),
    ] {
        if let Some(v) = v {
            p.print(k, t, v);
        }
    }
    if let Some(v) = b.vlan_protocol()? {
        vlan_protocol(p, v);
    }
    let bridge_id = b.bridge_id()?;
    if let Some(id) = bridge_id {
        p.print("bridge_id", "bridge_id {} ", BridgeId(id));
    }
    // ip 6.1 prints the bridge id here, whatever IFLA_BR_ROOT_ID holds.
    if let Some(id) = b.root_id()? {
        p.print(
            "root_id",
            "designated_root {} ",
            BridgeId(bridge_id.unwrap_or(id)),
        );
    }
    for (k, t, v) in [
        ("root_port", "root_port {} ", b.root_port()?.map(u32::from)),
        ("root_path_cost", "root_path_cost {} ", b.root_path_cost()?),
        (
            "topology_change",
            "topology_change {} ",
            b.topology_change()?.map(u32::from),
        ),
        (
            "topology_change_detected",
            "topology_change_detected {} ",
            b.topology_change_detected()?.map(u32::from),
        ),
    ] {
        if let Some(v) = v {
            p.print(k, t, v);
        }
    }
    for (k, v) in [
        ("hello_timer", b.hello_timer()?),
        ("tcn_timer", b.tcn_timer()?),
        ("topology_change_timer", b.topology_change_timer()?),
        ("gc_timer", b.gc_timer()?),
    ] {
        if let Some(v) = v {
            timer(p, k, v);
        }
    }
    for (k, t, v) in [
        (
            "vlan_default_pvid",
            "vlan_default_pvid {} ",
            b.vlan_default_pvid()?.map(u32::from),
        ),
        (
            "vlan_stats_enabled",
            "vlan_stats_enabled {} ",
            b.vlan_stats_enabled()?.map(u32::from),
        ),
        (
            "vlan_stats_per_port",
            "vlan_stats_per_port {} ",
            b.vlan_stats_per_port()?.map(u32::from),
        ),
    ] {
        if let Some(v) = v {
            p.print(k, t, v);
        }
    }
    if let Some(m) = b.group_fwd_mask()? {
        p.print("group_fwd_mask", "group_fwd_mask {} ", CHex(m.into()));
    }
    if let Some(a) = b.group_addr()? {
        p.print("group_addr", "group_address {} ", format_args!("{a}"));
    }
    bridge_mcast(p, b)
}

/// The multicast and netfilter half of `bridge_print_opt`.
fn bridge_mcast(p: &mut Printer<'_>, b: &LinkinfoBridgeAttrs<'_>) -> Result<()> {
    if let Some(v) = b.mcast_snooping()? {
        p.print("mcast_snooping", "mcast_snooping {} ", v);
    }
    if let Some(bm) = b.multi_boolopt()? {
        // BR_BOOLOPT_NO_LL_LEARN (bit 0), BR_BOOLOPT_MCAST_VLAN_SNOOPING (bit 1).
        for (bit, k, t) in [
            (1u32, "no_linklocal_learn", "no_linklocal_learn {} "),
            (2, "mcast_vlan_snooping", "mcast_vlan_snooping {} "),
        ] {
            if bm.selector & bit != 0 {
                p.print(k, t, u32::from(bm.value & bit != 0));
            }
        }
    }
    let u8s = |v: Option<u8>| v.map(u64::from);
    let u32s = |v: Option<u32>| v.map(u64::from);
    for (k, t, v) in [
        (
            "mcast_router",
            "mcast_router {} ",
            b.mcast_router()?.map(|r| u64::from(u8::from(r))),
        ),
        (
            "mcast_query_use_ifaddr",
            "mcast_query_use_ifaddr {} ",
            u8s(b.mcast_query_use_ifaddr()?),
        ),
        (
            "mcast_querier",
            "mcast_querier {} ",
            u8s(b.mcast_querier()?),
        ),
        (
            "mcast_hash_elasticity",
            "mcast_hash_elasticity {} ",
            u32s(b.mcast_hash_elasticity()?),
        ),
        (
            "mcast_hash_max",
            "mcast_hash_max {} ",
            u32s(b.mcast_hash_max()?),
        ),
        (
            "mcast_last_member_cnt",
            "mcast_last_member_count {} ",
            u32s(b.mcast_last_member_cnt()?),
        ),
        (
            "mcast_startup_query_cnt",
            "mcast_startup_query_count {} ",
            u32s(b.mcast_startup_query_cnt()?),
        ),
        (
            "mcast_last_member_intvl",
            "mcast_last_member_interval {} ",
            b.mcast_last_member_intvl()?,
        ),
        (
            "mcast_membership_intvl",
            "mcast_membership_interval {} ",
            b.mcast_membership_intvl()?,
        ),
        (
            "mcast_querier_intvl",
            "mcast_querier_interval {} ",
            b.mcast_querier_intvl()?,
        ),
        (
            "mcast_query_intvl",
            "mcast_query_interval {} ",
            b.mcast_query_intvl()?,
        ),
        (
            "mcast_query_response_intvl",
            "mcast_query_response_interval {} ",
            b.mcast_query_response_intvl()?,
        ),
        (
            "mcast_startup_query_intvl",
            "mcast_startup_query_interval {} ",
            b.mcast_startup_query_intvl()?,
        ),
        (
            "mcast_stats_enabled",
            "mcast_stats_enabled {} ",
            u8s(b.mcast_stats_enabled()?),
        ),
        (
            "mcast_igmp_version",
            "mcast_igmp_version {} ",
            u8s(b.mcast_igmp_version()?),
        ),
        (
            "mcast_mld_version",
            "mcast_mld_version {} ",
            u8s(b.mcast_mld_version()?),
        ),
        (
            "nf_call_iptables",
            "nf_call_iptables {} ",
            u8s(b.nf_call_iptables()?),
        ),
        (
            "nf_call_ip6tables",
            "nf_call_ip6tables {} ",
            u8s(b.nf_call_ip6tables()?),
        ),
        (
            "nf_call_arptables",
            "nf_call_arptables {} ",
            u8s(b.nf_call_arptables()?),
        ),
    ] {
        if let Some(v) = v {
            p.print(k, t, v);
        }
    }
    Ok(())
}

const PORT_STATES: [&str; 5] = [
    "disabled",
    "listening",
    "learning",
    "forwarding",
    "blocking",
];

/// iplink_bridge_slave.c's `bridge_slave_print_opt`, in its order.
fn bridge_slave(p: &mut Printer<'_>, b: &LinkinfoBrportAttrs<'_>, names: &Names) -> Result<()> {
    if let Some(s) = b.state()? {
        let s = u8::from(s);
        match PORT_STATES.get(s as usize) {
            Some(n) => p.print("state", "state {} ", *n),
            None => p.print("state_index", "state ({}) ", s as i32),
        }
    }
    if let Some(v) = b.priority()? {
        p.print("priority", "priority {} ", v as i32);
    }
    if let Some(v) = b.cost()? {
        p.print("cost", "cost {} ", v as i32);
    }
    for (k, t, v) in [
        ("hairpin", "hairpin {} ", b.mode()?.map(u8::from)),
        ("guard", "guard {} ", b.guard()?),
        ("root_block", "root_block {} ", b.protect()?),
        ("fastleave", "fastleave {} ", b.fast_leave()?),
        ("learning", "learning {} ", b.learning()?),
        ("flood", "flood {} ", b.unicast_flood()?),
    ] {
        if let Some(v) = v {
            on_off(p, k, t, v);
        }
    }
    if let Some(v) = b.id()? {
        p.print("id", "port_id {} ", CHex(v.into()));
    }
    if let Some(v) = b.no()? {
        p.print("no", "port_no {} ", CHex(v.into()));
    }
    if let Some(v) = b.designated_port()? {
        p.print("designated_port", "designated_port {} ", v);
    }
    if let Some(v) = b.designated_cost()? {
        p.print("designated_cost", "designated_cost {} ", v);
    }
    if let Some(id) = b.bridge_id()? {
        p.print("bridge_id", "designated_bridge {} ", BridgeId(id));
    }
    if let Some(id) = b.root_id()? {
        p.print("root_id", "designated_root {} ", BridgeId(id));
    }
    for (k, v) in [
        ("hold_timer", b.hold_timer()?),
        ("message_age_timer", b.message_age_timer()?),
        ("forward_delay_timer", b.forward_delay_timer()?),
    ] {
        if let Some(v) = v {
            timer(p, k, v);
        }
    }
    if let Some(v) = b.topology_change_ack()? {
        p.print("topology_change_ack", "topology_change_ack {} ", v);
    }
    if let Some(v) = b.config_pending()? {
        p.print("config_pending", "config_pending {} ", v);
    }
    for (k, t, v) in [
        ("proxy_arp", "proxy_arp {} ", b.proxyarp()?),
        ("proxy_arp_wifi", "proxy_arp_wifi {} ", b.proxyarp_wifi()?),
    ] {
        if let Some(v) = v {
            on_off(p, k, t, v);
        }
    }
    if let Some(v) = b.multicast_router()? {
        p.print("multicast_router", "mcast_router {} ", u8::from(v));
    }
    bridge_slave_rest(p, b, names)
}

/// The second half of `bridge_slave_print_opt`.
fn bridge_slave_rest(
    p: &mut Printer<'_>,
    b: &LinkinfoBrportAttrs<'_>,
    names: &Names,
) -> Result<()> {
    if let Some(v) = b.fast_leave()? {
        // Text only: JSON has it as `fastleave` already.
        p.text("mcast_fast_leave {} ", if v != 0 { "on" } else { "off" });
    }
    for (k, t, v) in [
        ("mcast_flood", "mcast_flood {} ", b.mcast_flood()?),
        ("bcast_flood", "bcast_flood {} ", b.bcast_flood()?),
        (
            "mcast_to_unicast",
            "mcast_to_unicast {} ",
            b.mcast_to_ucast()?,
        ),
        ("neigh_suppress", "neigh_suppress {} ", b.neigh_suppress()?),
    ] {
        if let Some(v) = v {
            on_off(p, k, t, v);
        }
    }
    if let Some(m) = b.group_fwd_mask()? {
        p.print("group_fwd_mask", "group_fwd_mask {} ", CHex(m.into()));
        p.print("group_fwd_mask_str", "group_fwd_mask_str {} ", FwdMask(m));
    }
    for (k, t, v) in [
        ("vlan_tunnel", "vlan_tunnel {} ", b.vlan_tunnel()?),
        ("isolated", "isolated {} ", b.isolated()?),
        ("locked", "locked {} ", b.locked()?),
    ] {
        if let Some(v) = v {
            on_off(p, k, t, v);
        }
    }
    if let Some(i) = b.backup_port()? {
        names.print(p, "backup_port", "backup_port {} ", i);
    }
    Ok(())
}

/// A port's group forward mask as ip's `_bitmask2str` names its bits (`stp,lacp,0x10,...`).
struct FwdMask(u16);

impl Value for FwdMask {
    fn text(&self, out: &mut Vec<u8>) {
        if self.0 == 0 {
            out.extend_from_slice(b"0x0");
            return;
        }
        let mut first = true;
        for i in 0..16 {
            if self.0 & (1 << i) == 0 {
                continue;
            }
            if !first {
                out.push(b',');
            }
            first = false;
            match i {
                0 => out.extend_from_slice(b"stp"),
                2 => out.extend_from_slice(b"lacp"),
                14 => out.extend_from_slice(b"lldp"),
                _ => {
                    let _ = write!(out, "{:#x}", 1u32 << i);
                }
            }
        }
    }
}

/// iplink_vxlan.c's `vxlan_print_opt`, in its order.
fn vxlan(p: &mut Printer<'_>, v: &LinkinfoVxlanAttrs<'_>, names: &Names) -> Result<()> {
    if v.collect_metadata()?.is_some_and(|x| x != 0) {
        p.flag("external", "external ");
    }
    if v.vnifilter()?.is_some_and(|x| x != 0) {
        p.flag("vnifilter", "vnifilter");
    }
    if let Some(id) = v.id()? {
        p.print("id", "id {} ", id);
    }
    if let Some(g) = v.group()? {
        if g.is_multicast() {
            p.print("group", "group {} ", g);
        } else if !g.is_unspecified() {
            p.print("remote", "remote {} ", g);
        }
    } else if let Some(g) = v.group6()? {
        if g.is_multicast() {
            p.print("group6", "group {} ", g);
        } else if !g.is_unspecified() {
            p.print("remote6", "remote {} ", g);
        }
    }
    if let Some(l) = v.local()? {
        if !l.is_unspecified() {
            p.print("local", "local {} ", l);
        }
    } else if let Some(l) = v.local6()?
        && !l.is_unspecified()
    {
        p.print("local6", "local {} ", l);
    }
    if let Some(link) = v.link()?.filter(|l| *l != 0) {
        names.print(p, "link", "dev {} ", link);
    }
    if let Some(r) = v.port_range()? {
        p.open_object("port_range");
        p.json("low", r.low());
        p.json("high", r.high());
        p.close_object();
        p.text("srcport {} ", format_args!("{} {}", r.low(), r.high()));
    }
    if let Some(port) = v.port()? {
        p.print("port", "dstport {} ", port);
    }
    if let Some(l) = v.learning()? {
        p.json("learning", l != 0);
        if l == 0 {
            p.lit("nolearning ");
        }
    }
    for (k, t, x) in [
        ("proxy", "proxy ", v.proxy()?),
        ("rsc", "rsc ", v.rsc()?),
        ("l2miss", "l2miss ", v.l2miss()?),
        ("l3miss", "l3miss ", v.l3miss()?),
    ] {
        if x.is_some_and(|x| x != 0) {
            p.flag(k, t);
        }
    }
    match v.tos()?.unwrap_or(0) {
        0 => {}
        1 if !p.is_json() => p.lit("tos inherit "),
        tos => p.print("tos", "tos {} ", CHex(tos.into())),
    }
    if v.ttl_inherit()?.is_some_and(|x| x != 0) {
        p.lit("ttl inherit ");
    } else if let Some(ttl) = v.ttl()? {
        if p.is_json() || ttl != 0 {
            p.print("ttl", "ttl {} ", ttl);
        } else {
            p.lit("ttl auto ");
        }
    }
    match v.df()?.map(u8::from) {
        Some(0) => p.json("df", "unset"),
        Some(1) => p.print("df", "df {} ", "set"),
        Some(2) => p.print("df", "df {} ", "inherit"),
        _ => {}
    }
    if let Some(l) = v.label()?.filter(|l| *l != 0) {
        p.print("label", "flowlabel {} ", CHex(l.into()));
    }
    match v.ageing()? {
        Some(0) => {
            p.json("ageing", 0u32);
            p.lit("ageing none ");
        }
        Some(a) => p.print("ageing", "ageing {} ", a),
        None => {}
    }
    if let Some(m) = v.limit()?.filter(|m| *m != 0) {
        p.print("limit", "maxaddr {} ", m);
    }
    vxlan_csum(p, v)
}

/// The checksum and extension words of `vxlan_print_opt`.
fn vxlan_csum(p: &mut Printer<'_>, v: &LinkinfoVxlanAttrs<'_>) -> Result<()> {
    for (k, t, x) in [
        ("udp_csum", "udpcsum ", v.udp_csum()?),
        (
            "udp_zero_csum6_tx",
            "udp6zerocsumtx ",
            v.udp_zero_csum6_tx()?,
        ),
        (
            "udp_zero_csum6_rx",
            "udp6zerocsumrx ",
            v.udp_zero_csum6_rx()?,
        ),
    ] {
        if let Some(x) = x {
            p.json(k, x != 0);
            if x == 0 {
                p.lit("no");
            }
            p.lit(t);
        }
    }
    for (k, t, x) in [
        ("remcsum_tx", "remcsumtx ", v.remcsum_tx()?),
        ("remcsum_rx", "remcsumrx ", v.remcsum_rx()?),
    ] {
        if x.is_some_and(|x| x != 0) {
            p.flag(k, t);
        }
    }
    if v.gbp()? {
        p.flag("gbp", "gbp ");
    }
    if v.gpe()? {
        p.flag("gpe", "gpe ");
    }
    Ok(())
}

/// iplink_macvlan.c's `macvlan_print_opt` (macvlan and macvtap).
fn macvlan(p: &mut Printer<'_>, m: &LinkinfoMacvlanAttrs<'_>) -> Result<()> {
    let Some(mode) = m.mode()?.map(u32::from) else {
        return Ok(());
    };
    let name = match mode {
        1 => "private",
        2 => "vepa",
        4 => "bridge",
        8 => "passthru",
        16 => "source",
        _ => "unknown",
    };
    p.print("mode", "mode {} ", name);
    let flags = m.flags()?.map_or(0, |f| f.0);
    if flags & 1 != 0 {
        p.flag("nopromisc", "nopromisc ");
    }
    if flags & 2 != 0 {
        p.flag("nodst", "nodst ");
    }
    if let Some(q) = m.bc_queue_len()? {
        p.print("bcqueuelen", "bcqueuelen {} ", q);
    }
    if let Some(q) = m.bc_queue_len_used()? {
        p.print("usedbcqueuelen", "usedbcqueuelen {} ", q);
    }
    if mode != 16 {
        return Ok(());
    }
    let Some(count) = m.macaddr_count()? else {
        return Ok(());
    };
    p.print("macaddr_count", "remotes ({}) ", count as i32);
    let Some(list) = m.macaddr_data()? else {
        return Ok(());
    };
    p.open_array("macaddr_data");
    for a in list.macaddr() {
        let a = a?;
        if a.as_bytes().len() < 6 {
            continue;
        }
        p.print("", "{} ", format_args!("{a}"));
    }
    p.close_array();
    Ok(())
}

/// A tun owner's or group's name from the local `file` (`/etc/passwd`, `/etc/group`: ip's
/// getpwuid/getgrgid without NSS), else its number.
fn id_name(p: &mut Printer<'_>, key: &str, fmt: &str, file: &str, id: u32) {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let name = text.lines().find_map(|l| {
        let mut f = l.split(':');
        let name = f.next()?;
        (f.nth(1)?.parse::<u32>().ok()? == id).then_some(name)
    });
    match name {
        Some(n) => p.print(key, fmt, n),
        None => p.print(key, fmt, id),
    }
}

/// iptuntap.c's `tun_print_opt`.
fn tun(p: &mut Printer<'_>, t: &LinkinfoTunAttrs<'_>) -> Result<()> {
    if let Some(ty) = t.type_()? {
        match ty {
            1 => p.print("type", "type {} ", "tun"),
            2 => p.print("type", "type {} ", "tap"),
            n => p.print("type", "type {} ", format_args!("UNKNOWN:{n}")),
        }
    }
    if let Some(v) = t.pi()? {
        on_off(p, "pi", "pi {} ", v);
    }
    if let Some(v) = t.vnet_hdr()? {
        on_off(p, "vnet_hdr", "vnet_hdr {} ", v);
    }
    if t.multi_queue()?.is_some_and(|m| m != 0) {
        p.flag("multi_queue", "multi_queue ");
        if let Some(n) = t.num_queues()? {
            p.print("numqueues", "numqueues {} ", n);
        }
        if let Some(n) = t.num_disabled_queues()? {
            p.print("numdisabled", "numdisabled {} ", n);
        }
    } else {
        p.json("multi_queue", false);
    }
    if let Some(v) = t.persist()? {
        on_off(p, "persist", "persist {} ", v);
    }
    if let Some(u) = t.owner()? {
        id_name(p, "user", "user {} ", "/etc/passwd", u);
    }
    if let Some(g) = t.group()? {
        id_name(p, "group", "group {} ", "/etc/group", g);
    }
    Ok(())
}
