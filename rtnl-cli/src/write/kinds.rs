//! `type KIND [OPTIONS]`: each link kind's options in ip's words (iproute2's ip/link_*.c and
//! iplink_*.c), as the pyroute2-spelled keywords `request::link` takes (`vxlan_id`,
//! `br_stp_state`). Kinds ip sends defaults for (vxlan, geneve, the gre and ip tunnels) list
//! their attributes in ip's order with ip's defaults; the others keep the order given.

use rtnl_api::{Args, Value};

use super::{Failure, Names, Words, int, matches};

/// How an option's value is read.
#[derive(Clone, Copy, Debug)]
enum T {
    /// An unsigned integer up to this maximum.
    Int(u64),
    /// `on`/`off` as 1/0.
    OnOff,
    /// No value: a netlink flag.
    Flag,
    /// No value: the key is set to this number.
    Set(i128),
    /// An IP address (v4 key, v6 key).
    Ip(&'static str, &'static str),
    /// A link-layer address.
    Mac,
    /// A device name, as its index.
    Dev,
    /// One of these names.
    Enum(&'static [(&'static str, i128)]),
}

/// One option: ip's word, our keyword, how its value reads.
#[derive(Clone, Copy, Debug)]
struct Opt(&'static str, &'static str, T);

const U8: T = T::Int(0xff);
const U16: T = T::Int(0xffff);
const U32: T = T::Int(0xffff_ffff);
const U64: T = T::Int(u64::MAX);

const BRIDGE: &[Opt] = &[
    Opt("forward_delay", "br_forward_delay", U32),
    Opt("hello_time", "br_hello_time", U32),
    Opt("max_age", "br_max_age", U32),
    Opt("ageing_time", "br_ageing_time", U32),
    Opt("stp_state", "br_stp_state", U32),
    Opt("priority", "br_priority", U16),
    Opt("vlan_filtering", "br_vlan_filtering", U8),
    Opt(
        "vlan_protocol",
        "br_vlan_protocol",
        T::Enum(&[("802.1Q", 0x8100), ("802.1ad", 0x88a8)]),
    ),
    Opt("group_fwd_mask", "br_group_fwd_mask", U16),
    Opt("group_address", "br_group_addr", T::Mac),
    Opt("fdb_flush", "br_fdb_flush", T::Flag),
    Opt("vlan_default_pvid", "br_vlan_default_pvid", U16),
    Opt("vlan_stats_enabled", "br_vlan_stats_enabled", U8),
    Opt("vlan_stats_per_port", "br_vlan_stats_per_port", U8),
    Opt("mcast_router", "br_mcast_router", U8),
    Opt("mcast_snooping", "br_mcast_snooping", U8),
    Opt("mcast_query_use_ifaddr", "br_mcast_query_use_ifaddr", U8),
    Opt("mcast_querier", "br_mcast_querier", U8),
    Opt("mcast_hash_elasticity", "br_mcast_hash_elasticity", U32),
    Opt("mcast_hash_max", "br_mcast_hash_max", U32),
    Opt("mcast_last_member_count", "br_mcast_last_member_cnt", U32),
    Opt(
        "mcast_startup_query_count",
        "br_mcast_startup_query_cnt",
        U32,
    ),
    Opt(
        "mcast_last_member_interval",
        "br_mcast_last_member_intvl",
        U64,
    ),
    Opt(
        "mcast_membership_interval",
        "br_mcast_membership_intvl",
        U64,
    ),
    Opt("mcast_querier_interval", "br_mcast_querier_intvl", U64),
    Opt("mcast_query_interval", "br_mcast_query_intvl", U64),
    Opt(
        "mcast_query_response_interval",
        "br_mcast_query_response_intvl",
        U64,
    ),
    Opt(
        "mcast_startup_query_interval",
        "br_mcast_startup_query_intvl",
        U64,
    ),
    Opt("mcast_stats_enabled", "br_mcast_stats_enabled", U8),
    Opt("mcast_igmp_version", "br_mcast_igmp_version", U8),
    Opt("mcast_mld_version", "br_mcast_mld_version", U8),
    Opt("nf_call_iptables", "br_nf_call_iptables", U8),
    Opt("nf_call_ip6tables", "br_nf_call_ip6tables", U8),
    Opt("nf_call_arptables", "br_nf_call_arptables", U8),
];

const BRIDGE_SLAVE: &[Opt] = &[
    Opt("fdb_flush", "brport_flush", T::Flag),
    Opt(
        "state",
        "brport_state",
        T::Enum(&[
            ("disabled", 0),
            ("listening", 1),
            ("learning", 2),
            ("forwarding", 3),
            ("blocking", 4),
        ]),
    ),
    Opt("priority", "brport_priority", U16),
    Opt("cost", "brport_cost", U32),
    Opt("guard", "brport_guard", T::OnOff),
    Opt("hairpin", "brport_mode", T::OnOff),
    Opt("fastleave", "brport_fast_leave", T::OnOff),
    Opt("root_block", "brport_protect", T::OnOff),
    Opt("learning", "brport_learning", T::OnOff),
    Opt("flood", "brport_unicast_flood", T::OnOff),
    Opt("mcast_flood", "brport_mcast_flood", T::OnOff),
    Opt("bcast_flood", "brport_bcast_flood", T::OnOff),
    Opt("mcast_to_unicast", "brport_mcast_to_ucast", T::OnOff),
    Opt("proxy_arp", "brport_proxyarp", T::OnOff),
    Opt("proxy_arp_wifi", "brport_proxyarp_wifi", T::OnOff),
    Opt("mcast_router", "brport_multicast_router", U8),
    Opt("neigh_suppress", "brport_neigh_suppress", T::OnOff),
    Opt("vlan_tunnel", "brport_vlan_tunnel", T::OnOff),
    Opt("isolated", "brport_isolated", T::OnOff),
    Opt("locked", "brport_locked", T::OnOff),
    Opt("mab", "brport_mab", T::OnOff),
    Opt("group_fwd_mask", "brport_group_fwd_mask", U16),
    Opt("backup_port", "brport_backup_port", T::Dev),
    Opt("nobackup_port", "brport_backup_port", T::Set(0)),
];

const BOND_SLAVE: &[Opt] = &[
    Opt("queue_id", "bond_slave_queue_id", U16),
    Opt("prio", "bond_slave_prio", U32),
];

const VXLAN: &[Opt] = &[
    Opt("id", "vxlan_id", T::Int(0xff_ffff)),
    Opt("vni", "vxlan_id", T::Int(0xff_ffff)),
    Opt("group", "vxlan_group", T::Ip("vxlan_group", "vxlan_group6")),
    Opt(
        "remote",
        "vxlan_group",
        T::Ip("vxlan_group", "vxlan_group6"),
    ),
    Opt("local", "vxlan_local", T::Ip("vxlan_local", "vxlan_local6")),
    Opt("dev", "vxlan_link", T::Dev),
    Opt("ttl", "vxlan_ttl", U8),
    Opt("hoplimit", "vxlan_ttl", U8),
    Opt("tos", "vxlan_tos", U8),
    Opt("dstport", "vxlan_port", U16),
    Opt("nolearning", "vxlan_learning", T::Set(0)),
    Opt("learning", "vxlan_learning", T::Set(1)),
    Opt("noproxy", "vxlan_proxy", T::Set(0)),
    Opt("proxy", "vxlan_proxy", T::Set(1)),
    Opt("norsc", "vxlan_rsc", T::Set(0)),
    Opt("rsc", "vxlan_rsc", T::Set(1)),
    Opt("nol2miss", "vxlan_l2miss", T::Set(0)),
    Opt("l2miss", "vxlan_l2miss", T::Set(1)),
    Opt("nol3miss", "vxlan_l3miss", T::Set(0)),
    Opt("l3miss", "vxlan_l3miss", T::Set(1)),
    Opt("ageing", "vxlan_ageing", U32),
    Opt("maxaddress", "vxlan_limit", U32),
    Opt("noudpcsum", "vxlan_udp_csum", T::Set(0)),
    Opt("udpcsum", "vxlan_udp_csum", T::Set(1)),
    Opt("noexternal", "vxlan_collect_metadata", T::Set(0)),
    Opt("external", "vxlan_collect_metadata", T::Set(1)),
    Opt("gbp", "vxlan_gbp", T::Flag),
    Opt("gpe", "vxlan_gpe", T::Flag),
    Opt("vnifilter", "vxlan_vnifilter", T::OnOff),
];

/// The order ip's vxlan parser adds its attributes (learning always, on creation).
const VXLAN_ORDER: &[(&str, Option<i128>)] = &[
    ("vxlan_link", None),
    ("vxlan_ttl", None),
    ("vxlan_tos", None),
    ("vxlan_id", None),
    ("vxlan_group", None),
    ("vxlan_group6", None),
    ("vxlan_local", None),
    ("vxlan_local6", None),
    ("vxlan_learning", Some(1)),
    ("vxlan_proxy", None),
    ("vxlan_rsc", None),
    ("vxlan_l2miss", None),
    ("vxlan_l3miss", None),
    ("vxlan_collect_metadata", None),
    ("vxlan_vnifilter", None),
    ("vxlan_ageing", None),
    ("vxlan_limit", None),
    ("vxlan_port", None),
    ("vxlan_udp_csum", None),
    ("vxlan_gbp", None),
    ("vxlan_gpe", None),
];

const GENEVE: &[Opt] = &[
    Opt("id", "geneve_id", T::Int(0xff_ffff)),
    Opt("vni", "geneve_id", T::Int(0xff_ffff)),
    Opt(
        "remote",
        "geneve_remote",
        T::Ip("geneve_remote", "geneve_remote6"),
    ),
    Opt("ttl", "geneve_ttl", U8),
    Opt("hoplimit", "geneve_ttl", U8),
    Opt("tos", "geneve_tos", U8),
    Opt("dstport", "geneve_port", U16),
    Opt("external", "geneve_collect_metadata", T::Flag),
    Opt("udpcsum", "geneve_udp_csum", T::Set(1)),
    Opt("noudpcsum", "geneve_udp_csum", T::Set(0)),
];

const GENEVE_ORDER: &[(&str, Option<i128>)] = &[
    ("geneve_id", None),
    ("geneve_remote", None),
    ("geneve_remote6", None),
    ("geneve_label", Some(0)),
    ("geneve_ttl", Some(0)),
    ("geneve_tos", Some(0)),
    ("geneve_port", None),
    ("geneve_collect_metadata", None),
    ("geneve_udp_csum", None),
];

const GRE: &[Opt] = &[
    Opt("remote", "gre_remote", T::Ip("gre_remote", "gre_remote")),
    Opt("local", "gre_local", T::Ip("gre_local", "gre_local")),
    Opt("ttl", "gre_ttl", U8),
    Opt("hoplimit", "gre_ttl", U8),
    Opt("tos", "gre_tos", U8),
    Opt("dsfield", "gre_tos", U8),
    Opt("dev", "gre_link", T::Dev),
    Opt("key", "gre_key", U32),
    Opt("ikey", "gre_ikey", U32),
    Opt("okey", "gre_okey", U32),
    Opt("nopmtudisc", "gre_pmtudisc", T::Set(0)),
    Opt("pmtudisc", "gre_pmtudisc", T::Set(1)),
    Opt("external", "gre_collect_metadata", T::Flag),
    Opt("fwmark", "gre_fwmark", U32),
    Opt("erspan_ver", "gre_erspan_ver", T::Int(2)),
    Opt(
        "erspan_dir",
        "gre_erspan_dir",
        T::Enum(&[("ingress", 0), ("egress", 1)]),
    ),
    Opt("erspan_hwid", "gre_erspan_hwid", T::Int(63)),
    Opt("erspan", "gre_erspan_index", T::Int(0xfffff)),
];

const GRE_ORDER: &[(&str, Option<i128>)] = &[
    ("gre_ikey", Some(0)),
    ("gre_okey", Some(0)),
    ("gre_iflags", Some(0)),
    ("gre_oflags", Some(0)),
    ("gre_local", None),
    ("gre_remote", None),
    ("gre_pmtudisc", Some(1)),
    ("gre_tos", Some(0)),
    ("gre_ttl", Some(0)),
    ("gre_link", None),
    ("gre_fwmark", Some(0)),
    ("gre_encap_type", Some(0)),
    ("gre_encap_flags", Some(0)),
    ("gre_encap_sport", Some(0)),
    ("gre_encap_dport", Some(0)),
    ("gre_collect_metadata", None),
];

/// erspan: gre's order, then its version (1 unless given) and the version's fields.
const ERSPAN_ORDER: &[(&str, Option<i128>)] = &[
    ("gre_ikey", Some(0)),
    ("gre_okey", Some(0)),
    ("gre_iflags", Some(0)),
    ("gre_oflags", Some(0)),
    ("gre_local", None),
    ("gre_remote", None),
    ("gre_pmtudisc", Some(1)),
    ("gre_tos", Some(0)),
    ("gre_ttl", Some(0)),
    ("gre_link", None),
    ("gre_fwmark", Some(0)),
    ("gre_erspan_ver", Some(1)),
    ("gre_erspan_index", None),
    ("gre_erspan_dir", None),
    ("gre_erspan_hwid", None),
    ("gre_encap_type", Some(0)),
    ("gre_encap_flags", Some(0)),
    ("gre_encap_sport", Some(0)),
    ("gre_encap_dport", Some(0)),
    ("gre_collect_metadata", None),
];

const IPTUN: &[Opt] = &[
    Opt(
        "remote",
        "iptun_remote",
        T::Ip("iptun_remote", "iptun_remote"),
    ),
    Opt("local", "iptun_local", T::Ip("iptun_local", "iptun_local")),
    Opt("ttl", "iptun_ttl", U8),
    Opt("hoplimit", "iptun_ttl", U8),
    Opt("tos", "iptun_tos", U8),
    Opt("dsfield", "iptun_tos", U8),
    Opt("dev", "iptun_link", T::Dev),
    Opt("nopmtudisc", "iptun_pmtudisc", T::Set(0)),
    Opt("pmtudisc", "iptun_pmtudisc", T::Set(1)),
    Opt("external", "iptun_collect_metadata", T::Flag),
    Opt("fwmark", "iptun_fwmark", U32),
    Opt(
        "mode",
        "iptun_proto",
        T::Enum(&[
            ("ipip", 4),
            ("ip4ip4", 4),
            ("ip6ip", 41),
            ("any", 0),
            ("mplsip", 137),
        ]),
    ),
];

const IPTUN_ORDER: &[(&str, Option<i128>)] = &[
    ("iptun_proto", Some(0)),
    ("iptun_local", None),
    ("iptun_remote", None),
    ("iptun_pmtudisc", Some(1)),
    ("iptun_tos", Some(0)),
    ("iptun_ttl", Some(0)),
    ("iptun_link", Some(0)),
    ("iptun_fwmark", Some(0)),
    ("iptun_encap_type", Some(0)),
    ("iptun_encap_flags", Some(0)),
    ("iptun_encap_sport", Some(0)),
    ("iptun_encap_dport", Some(0)),
    ("iptun_collect_metadata", None),
];

const MACVLAN: &[Opt] = &[
    Opt(
        "mode",
        "macvlan_mode",
        T::Enum(&[
            ("private", 1),
            ("vepa", 2),
            ("bridge", 4),
            ("passthru", 8),
            ("source", 16),
        ]),
    ),
    Opt("nopromisc", "macvlan_flags", T::Set(1)),
    Opt("bcqueuelen", "macvlan_bc_queue_len", U32),
];

const VLAN: &[Opt] = &[
    Opt(
        "protocol",
        "vlan_protocol",
        T::Enum(&[("802.1Q", 0x8100), ("802.1q", 0x8100), ("802.1ad", 0x88a8)]),
    ),
    Opt("id", "vlan_id", T::Int(4094)),
];

const BOND: &[Opt] = &[
    Opt(
        "mode",
        "bond_mode",
        T::Enum(&[
            ("balance-rr", 0),
            ("active-backup", 1),
            ("balance-xor", 2),
            ("broadcast", 3),
            ("802.3ad", 4),
            ("balance-tlb", 5),
            ("balance-alb", 6),
        ]),
    ),
    Opt("active_slave", "bond_active_slave", T::Dev),
    Opt("clear_active_slave", "bond_active_slave", T::Set(0)),
    Opt("miimon", "bond_miimon", U32),
    Opt("updelay", "bond_updelay", U32),
    Opt("downdelay", "bond_downdelay", U32),
    Opt("peer_notify_delay", "bond_peer_notif_delay", U32),
    Opt("use_carrier", "bond_use_carrier", U8),
    Opt("arp_interval", "bond_arp_interval", U32),
    Opt(
        "arp_validate",
        "bond_arp_validate",
        T::Enum(&[
            ("none", 0),
            ("active", 1),
            ("backup", 2),
            ("all", 3),
            ("filter", 4),
            ("filter_active", 5),
            ("filter_backup", 6),
        ]),
    ),
    Opt(
        "arp_all_targets",
        "bond_arp_all_targets",
        T::Enum(&[("any", 0), ("all", 1)]),
    ),
    Opt("primary", "bond_primary", T::Dev),
    Opt(
        "primary_reselect",
        "bond_primary_reselect",
        T::Enum(&[("always", 0), ("better", 1), ("failure", 2)]),
    ),
    Opt(
        "fail_over_mac",
        "bond_fail_over_mac",
        T::Enum(&[("none", 0), ("active", 1), ("follow", 2)]),
    ),
    Opt(
        "xmit_hash_policy",
        "bond_xmit_hash_policy",
        T::Enum(&[
            ("layer2", 0),
            ("layer3+4", 1),
            ("layer2+3", 2),
            ("encap2+3", 3),
            ("encap3+4", 4),
            ("vlan+srcmac", 5),
        ]),
    ),
    Opt("resend_igmp", "bond_resend_igmp", U32),
    Opt("num_grat_arp", "bond_num_peer_notif", U8),
    Opt("num_unsol_na", "bond_num_peer_notif", U8),
    Opt("all_slaves_active", "bond_all_slaves_active", U8),
    Opt("min_links", "bond_min_links", U32),
    Opt("lp_interval", "bond_lp_interval", U32),
    Opt("packets_per_slave", "bond_packets_per_slave", U32),
    Opt(
        "lacp_rate",
        "bond_ad_lacp_rate",
        T::Enum(&[("slow", 0), ("fast", 1)]),
    ),
    Opt(
        "ad_select",
        "bond_ad_select",
        T::Enum(&[("stable", 0), ("bandwidth", 1), ("count", 2)]),
    ),
    Opt("ad_user_port_key", "bond_ad_user_port_key", U16),
    Opt("ad_actor_sys_prio", "bond_ad_actor_sys_prio", U16),
    Opt("ad_actor_system", "bond_ad_actor_system", T::Mac),
    Opt("tlb_dynamic_lb", "bond_tlb_dynamic_lb", U8),
    Opt("missed_max", "bond_missed_max", U8),
];

const VRF: &[Opt] = &[Opt("table", "vrf_table", U32)];

const IPVLAN: &[Opt] = &[
    Opt(
        "mode",
        "ipvlan_mode",
        T::Enum(&[("l2", 0), ("l3", 1), ("l3s", 2)]),
    ),
    Opt("bridge", "ipvlan_flags", T::Set(0)),
    Opt("private", "ipvlan_flags", T::Set(1)),
    Opt("vepa", "ipvlan_flags", T::Set(2)),
];

const VTI: &[Opt] = &[
    Opt("remote", "vti_remote", T::Ip("vti_remote", "vti_remote")),
    Opt("local", "vti_local", T::Ip("vti_local", "vti_local")),
    Opt("ikey", "vti_ikey", U32),
    Opt("okey", "vti_okey", U32),
    Opt("dev", "vti_link", T::Dev),
    Opt("fwmark", "vti_fwmark", U32),
];

const VTI_ORDER: &[(&str, Option<i128>)] = &[
    ("vti_link", None),
    ("vti_ikey", Some(0)),
    ("vti_okey", Some(0)),
    ("vti_local", None),
    ("vti_remote", None),
    ("vti_fwmark", Some(0)),
];

const XFRM: &[Opt] = &[
    Opt("dev", "xfrm_link", T::Dev),
    Opt("if_id", "xfrm_if_id", U32),
    Opt("external", "xfrm_collect_metadata", T::Flag),
];

/// An attribute order with ip's defaults (`None`: only when given).
type Order = &'static [(&'static str, Option<i128>)];

/// The options and (for kinds ip sends defaults for) the attribute order of a kind; `None`
/// for a kind the schema does not know.
fn table(kind: &str) -> Option<(&'static [Opt], Option<Order>)> {
    Some(match kind {
        "bridge" => (BRIDGE, None),
        "bridge_slave" => (BRIDGE_SLAVE, None),
        "bond_slave" => (BOND_SLAVE, None),
        "vxlan" => (VXLAN, Some(VXLAN_ORDER)),
        "geneve" => (GENEVE, Some(GENEVE_ORDER)),
        "gre" | "gretap" => (GRE, Some(GRE_ORDER)),
        "erspan" => (GRE, Some(ERSPAN_ORDER)),
        "ip6gre" | "ip6gretap" | "ip6erspan" => (GRE, None),
        "ipip" | "sit" => (IPTUN, Some(IPTUN_ORDER)),
        "ip6tnl" => (IPTUN, None),
        "macvlan" | "macvtap" => (MACVLAN, None),
        "vlan" => (VLAN, None),
        "bond" => (BOND, None),
        "vrf" => (VRF, None),
        "ipvlan" | "ipvtap" => (IPVLAN, None),
        "vti" | "vti6" => (VTI, Some(VTI_ORDER)),
        "xfrm" => (XFRM, None),
        "veth" | "vxcan" | "ifb" | "dummy" | "nlmon" | "wireguard" | "team" | "vcan" | "macsec"
        | "gtp" | "bareudp" | "hsr" | "netkit" | "ipoib" | "can" | "tun" | "tap" | "ovpn"
        | "rmnet" | "ppp" | "dsa" => (&[], None),
        _ => return None,
    })
}

/// Appends `kind` and the kind's options (the words after `type KIND`) to `a`.
pub fn parse(
    kind: &str,
    create: bool,
    mut a: Args,
    w: &mut Words<'_>,
    names: &mut dyn Names,
) -> Result<Args, Failure> {
    let Some((opts, order)) = table(kind) else {
        // ip sends an unknown kind as it is and lets the kernel refuse it.
        if let Some(x) = w.next() {
            return Err(garbage(x));
        }
        return Ok(a.with("kind", Value::from(kind)));
    };
    if matches!(kind, "veth" | "vxcan") {
        return veth(kind, a, w, names);
    }
    let mut got: Vec<(String, Value)> = Vec::new();
    while let Some(word) = w.next() {
        if matches(word, "help") {
            return Err(Failure::fatal(format!("Usage: ... {kind} [ OPTIONS ]")));
        }
        let Some(o) = opts
            .iter()
            .find(|o| o.0 == word)
            .or_else(|| opts.iter().find(|o| matches(word, o.0)))
        else {
            return Err(Failure::fatal(format!(
                "{kind}: unknown command \"{word}\"?"
            )));
        };
        let v = value(o, w, names)?;
        let key = match (o.2, &v) {
            (T::Ip(v4, v6), Value::Ip(ip)) => {
                if ip.is_ipv4() {
                    v4
                } else {
                    v6
                }
            }
            _ => o.1,
        };
        if key == "gre_key" {
            put(&mut got, "gre_ikey", v.clone());
            put(&mut got, "gre_okey", v);
            continue;
        }
        put(&mut got, key, v);
    }
    gre_key_flags(&mut got);
    check(kind, create, &mut got)?;
    if kind == "sit" && create {
        got.push(("iptun_flags".into(), Value::Bytes(vec![0, 0])));
    }
    let data: Vec<(String, Value)> = match order {
        Some(order) if create => {
            let mut out = Vec::new();
            for (k, d) in order {
                match got.iter().position(|(g, _)| g == k) {
                    Some(i) => out.push(got.remove(i)),
                    None => {
                        if let Some(d) = d {
                            out.push((k.to_string(), Value::Int(*d)));
                        }
                    }
                }
            }
            out.extend(got);
            out
        }
        _ => got,
    };
    a = a.with("kind", Value::from(kind));
    for (k, v) in data {
        a = a.with(k, v);
    }
    Ok(a)
}

/// The checks ip's kind parsers make after reading the options (each `return -1`: exit 1),
/// and the defaults that follow from other options.
fn check(kind: &str, create: bool, got: &mut Vec<(String, Value)>) -> Result<(), Failure> {
    let has = |got: &[(String, Value)], k: &str| got.iter().any(|(g, _)| g == k);
    let val =
        |got: &[(String, Value)], k: &str| got.iter().find(|(g, _)| g == k).map(|(_, v)| v.clone());
    match kind {
        "vxlan" => {
            let external = val(got, "vxlan_collect_metadata") == Some(Value::Int(1));
            if external && has(got, "vxlan_id") {
                return Err(Failure::arg(
                    "vxlan: both 'external' and vni cannot be specified",
                ));
            }
            if !external && !has(got, "vxlan_id") && create {
                return Err(Failure::arg("vxlan: missing virtual network identifier"));
            }
            let multicast = match val(got, "vxlan_group").or(val(got, "vxlan_group6")) {
                Some(Value::Ip(ip)) => ip.is_multicast(),
                _ => false,
            };
            if multicast && !has(got, "vxlan_link") {
                return Err(Failure::arg(
                    "vxlan: 'group' requires 'dev' to be specified",
                ));
            }
            if external && !has(got, "vxlan_learning") {
                put(got, "vxlan_learning", Value::Int(0));
            }
            if has(got, "vxlan_gpe") && !has(got, "vxlan_port") {
                put(got, "vxlan_port", Value::Int(4790));
            }
        }
        // Version 2 sends its direction and hardware id (0 unless given).
        "erspan" if create && val(got, "gre_erspan_ver") == Some(Value::Int(2)) => {
            for k in ["gre_erspan_dir", "gre_erspan_hwid"] {
                if !has(got, k) {
                    put(got, k, Value::Int(0));
                }
            }
        }
        "macvlan" | "macvtap" => {
            let passthru = val(got, "macvlan_mode") == Some(Value::Int(8));
            if has(got, "macvlan_flags") && !passthru {
                return Err(Failure::arg("nopromisc flag only valid in passthru mode"));
            }
        }
        _ => {}
    }
    Ok(())
}

/// `key`/`ikey`/`okey` also set `GRE_KEY` in the gre flags, as ip does.
fn gre_key_flags(got: &mut Vec<(String, Value)>) {
    const GRE_KEY: i128 = 0x2000;
    for (key, flags) in [("gre_ikey", "gre_iflags"), ("gre_okey", "gre_oflags")] {
        if got.iter().any(|(k, _)| k == key) {
            put(got, flags, Value::Int(GRE_KEY));
        }
    }
}

/// Sets `k`, replacing an earlier value (a repeated word wins, as in ip).
fn put(got: &mut Vec<(String, Value)>, k: &str, v: Value) {
    match got.iter_mut().find(|(g, _)| g == k) {
        Some(slot) => slot.1 = v,
        None => got.push((k.to_string(), v)),
    }
}

fn garbage(x: &str) -> Failure {
    Failure::arg(format!(
        "Garbage instead of arguments \"{x} ...\". Try \"ip link help\"."
    ))
}

/// One option's value.
fn value(o: &Opt, w: &mut Words<'_>, names: &mut dyn Names) -> Result<Value, Failure> {
    let why = || format!("invalid \"{}\" value", o.0);
    Ok(match o.2 {
        T::Set(v) => Value::Int(v),
        T::Flag => Value::Bool(true),
        T::Int(max) => {
            let s = w.arg()?;
            match int(s) {
                Some(v) if v >= 0 && v <= max as i128 => Value::Int(v),
                _ => return Err(Failure::invarg(&why(), s)),
            }
        }
        T::OnOff => super::on_off(o.0, w.arg()?)?,
        T::Ip(..) => {
            let s = w.arg()?;
            Value::Ip(s.parse().map_err(|_| Failure::address(s))?)
        }
        T::Mac => super::lladdr(w.arg()?)?,
        T::Dev => Value::Int(names.need(w.arg()?)? as i128),
        T::Enum(list) => {
            let s = w.arg()?;
            match list.iter().find(|(n, _)| *n == s) {
                Some((_, v)) => Value::Int(*v),
                None => match int(s) {
                    Some(v) => Value::Int(v),
                    None => return Err(Failure::invarg(&why(), s)),
                },
            }
        }
    })
}

/// `type veth [peer [name] NAME [mtu N] [address LLADDR] [txqueuelen N]]`.
fn veth(kind: &str, a: Args, w: &mut Words<'_>, names: &mut dyn Names) -> Result<Args, Failure> {
    let _ = names;
    let a = a.with("kind", Value::from(kind));
    match w.next() {
        None => return Ok(a),
        Some("peer") => {}
        Some(x) => return Err(garbage(x)),
    }
    let mut peer: Vec<(String, Value)> = Vec::new();
    let mut name = None;
    while let Some(word) = w.next() {
        match word {
            "name" => name = Some(w.arg()?.to_string()),
            "mtu" => {
                let s = w.arg()?;
                peer.push((
                    "mtu".into(),
                    super::uint(s, 0x7fff_ffff, "Invalid \"mtu\" value")?,
                ));
            }
            _ if matches(word, "address") => {
                peer.push(("address".into(), super::lladdr(w.arg()?)?));
            }
            _ if matches(word, "txqueuelen") => {
                let s = w.arg()?;
                peer.push((
                    "txqlen".into(),
                    super::uint(s, 0x7fff_ffff, "Invalid \"txqueuelen\" value")?,
                ));
            }
            other if name.is_none() => name = Some(other.to_string()),
            other => return Err(Failure::duparg("dev", other)),
        }
    }
    if let Some(n) = name {
        peer.push(("ifname".into(), Value::from(n)));
    }
    Ok(a.with("peer", Value::Map(peer)))
}
