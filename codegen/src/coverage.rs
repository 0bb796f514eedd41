//! Coverage of the kernel's constants: for each header enum the schema models, how many
//! constants the header defines, how many the schema has, and which are missing.
//!
//! The header side is read from the C source (`enum { X_UNSPEC, X_A, X_B = 5, ... }`), the
//! schema side from attribute-set and enum C names. [`TABLE`] lists which header enum maps to
//! which schema item; [`EXCLUDED`] the constants left out on purpose, each with its reason.

use std::collections::BTreeSet;
use std::path::Path;

use crate::schema::Schema;

/// `(header under /usr/include, first constant of the enum, schema item)`: the item is an
/// attribute-set name, or `enum:NAME` for an enum.
pub const TABLE: &[(&str, &str, &str)] = &[
    ("linux/if_link.h", "IFLA_UNSPEC", "link"),
    ("linux/if_link.h", "IFLA_INFO_UNSPEC", "linkinfo"),
    ("linux/if_link.h", "IFLA_BR_UNSPEC", "linkinfo_bridge"),
    ("linux/if_link.h", "IFLA_BRPORT_UNSPEC", "linkinfo_brport"),
    ("linux/if_link.h", "IFLA_VXLAN_UNSPEC", "linkinfo_vxlan"),
    ("linux/if_link.h", "IFLA_MACVLAN_UNSPEC", "linkinfo_macvlan"),
    ("linux/if_link.h", "IFLA_INET6_UNSPEC", "af_inet6"),
    ("linux/if_link.h", "IFLA_XDP_UNSPEC", "link_xdp"),
    (
        "linux/if_link.h",
        "IFLA_PROTO_DOWN_REASON_UNSPEC",
        "proto_down_reason",
    ),
    ("linux/if_bridge.h", "IFLA_BRIDGE_FLAGS", "af_spec_bridge"),
    ("linux/veth.h", "VETH_INFO_UNSPEC", "linkinfo_veth"),
    ("linux/can/netlink.h", "IFLA_CAN_UNSPEC", "linkinfo_can"),
    ("linux/can/vxcan.h", "VXCAN_INFO_UNSPEC", "linkinfo_vxcan"),
    ("linux/if_link.h", "IFLA_IPOIB_UNSPEC", "linkinfo_ipoib"),
    ("linux/if_link.h", "IFLA_MCTP_UNSPEC", "af_mctp"),
    ("linux/if_link.h", "IFLA_DSA_UNSPEC", "linkinfo_dsa"),
    ("linux/if_link.h", "IFLA_TUN_UNSPEC", "linkinfo_tun"),
    (
        "linux/if_link.h",
        "IFLA_OFFLOAD_XSTATS_UNSPEC",
        "link_offload_xstats",
    ),
    (
        "linux/if_link.h",
        "IFLA_OFFLOAD_XSTATS_HW_S_INFO_UNSPEC",
        "hw_s_info_one",
    ),
    ("linux/if_link.h", "IFLA_MACSEC_UNSPEC", "linkinfo_macsec"),
    ("linux/if_link.h", "IFLA_XFRM_UNSPEC", "linkinfo_xfrm"),
    ("linux/if_link.h", "IFLA_GTP_UNSPEC", "linkinfo_gtp"),
    ("linux/if_link.h", "IFLA_BAREUDP_UNSPEC", "linkinfo_bareudp"),
    ("linux/if_link.h", "IFLA_HSR_UNSPEC", "linkinfo_hsr"),
    ("linux/if_link.h", "IFLA_PPP_UNSPEC", "linkinfo_ppp"),
    ("linux/if_link.h", "IFLA_RMNET_UNSPEC", "linkinfo_rmnet"),
    ("linux/if_link.h", "IFLA_VF_UNSPEC", "vf_info"),
    ("linux/if_link.h", "IFLA_PORT_UNSPEC", "port_self"),
    ("linux/if_link.h", "IFLA_VF_INFO_UNSPEC", "vfinfo_list"),
    ("linux/if_link.h", "IFLA_VF_STATS_RX_PACKETS", "vf_stats"),
    (
        "linux/if_link.h",
        "IFLA_VF_VLAN_INFO_UNSPEC",
        "vf_vlan_list",
    ),
    ("linux/if_link.h", "IFLA_VF_PORT_UNSPEC", "vf_ports"),
    ("linux/if_link.h", "IFLA_BOND_UNSPEC", "linkinfo_bond"),
    (
        "linux/if_link.h",
        "IFLA_BOND_SLAVE_UNSPEC",
        "linkinfo_bond_slave",
    ),
    ("linux/if_link.h", "IFLA_VLAN_UNSPEC", "linkinfo_vlan"),
    ("linux/if_link.h", "IFLA_IPVLAN_UNSPEC", "linkinfo_ipvlan"),
    ("linux/if_link.h", "IFLA_VRF_UNSPEC", "linkinfo_vrf"),
    ("linux/if_link.h", "IFLA_GENEVE_UNSPEC", "linkinfo_geneve"),
    ("linux/if_tunnel.h", "IFLA_GRE_UNSPEC", "linkinfo_gre"),
    ("linux/if_tunnel.h", "IFLA_IPTUN_UNSPEC", "linkinfo_iptun"),
    ("linux/if_tunnel.h", "IFLA_VTI_UNSPEC", "linkinfo_vti"),
    (
        "linux/if_link.h",
        "IFLA_VRF_PORT_UNSPEC",
        "linkinfo_vrf_port",
    ),
    (
        "linux/if_link.h",
        "IFLA_BOND_AD_INFO_UNSPEC",
        "bond_ad_info",
    ),
    ("linux/if_link.h", "IFLA_VLAN_QOS_UNSPEC", "vlan_qos"),
    ("linux/if_addr.h", "IFA_UNSPEC", "addr"),
    ("linux/rtnetlink.h", "RTA_UNSPEC", "route"),
    ("linux/rtnetlink.h", "RTAX_UNSPEC", "metrics"),
    ("linux/rtnetlink.h", "RTN_UNSPEC", "enum:rt_type"),
    ("linux/rtnetlink.h", "TCA_UNSPEC", "tc"),
    (
        "linux/lwtunnel.h",
        "LWTUNNEL_ENCAP_NONE",
        "enum:lwtunnel_encap_types",
    ),
    ("linux/lwtunnel.h", "LWTUNNEL_IP_UNSPEC", "encap_ip"),
    ("linux/lwtunnel.h", "LWTUNNEL_IP6_UNSPEC", "encap_ip6"),
    (
        "linux/mpls_iptunnel.h",
        "MPLS_IPTUNNEL_UNSPEC",
        "encap_mpls",
    ),
    (
        "linux/seg6_iptunnel.h",
        "SEG6_IPTUNNEL_UNSPEC",
        "encap_seg6",
    ),
    (
        "linux/seg6_local.h",
        "SEG6_LOCAL_UNSPEC",
        "encap_seg6_local",
    ),
    (
        "linux/seg6_local.h",
        "SEG6_LOCAL_ACTION_UNSPEC",
        "enum:seg6_local_action",
    ),
    ("linux/fib_rules.h", "FRA_UNSPEC", "rule"),
    ("linux/fib_rules.h", "FR_ACT_UNSPEC", "enum:fr_act"),
    ("linux/nexthop.h", "NHA_UNSPEC", "nexthop"),
    (
        "linux/nexthop.h",
        "NHA_RES_GROUP_UNSPEC",
        "nexthop_res_group",
    ),
    (
        "linux/nexthop.h",
        "NHA_RES_BUCKET_UNSPEC",
        "nexthop_res_bucket",
    ),
    (
        "linux/nexthop.h",
        "NEXTHOP_GRP_TYPE_MPATH",
        "enum:nexthop_grp_type",
    ),
    ("linux/neighbour.h", "NDA_UNSPEC", "neigh"),
    ("linux/neighbour.h", "NDTA_UNSPEC", "neightbl"),
    ("linux/neighbour.h", "NDTPA_UNSPEC", "neightbl_parms"),
    ("linux/gen_stats.h", "TCA_STATS_UNSPEC", "tc_stats2"),
    ("linux/pkt_sched.h", "TCA_HTB_UNSPEC", "tc_htb"),
    ("linux/pkt_sched.h", "TCA_TBF_UNSPEC", "tc_tbf"),
    ("linux/pkt_sched.h", "TCA_GRED_UNSPEC", "tc_gred"),
    ("linux/pkt_sched.h", "TCA_TAPRIO_ATTR_UNSPEC", "tc_taprio"),
    ("linux/if_link.h", "IFLA_STATS_UNSPEC", "link_stats"),
    ("linux/pkt_sched.h", "TCA_MQPRIO_UNSPEC", "tc_mqprio"),
    ("linux/pkt_sched.h", "TCA_CHOKE_UNSPEC", "tc_choke"),
    ("linux/pkt_sched.h", "TCA_SFB_UNSPEC", "tc_sfb"),
    ("linux/pkt_sched.h", "TCA_HHF_UNSPEC", "tc_hhf"),
    ("linux/pkt_sched.h", "TCA_FQ_PIE_UNSPEC", "tc_fq_pie"),
    ("linux/pkt_sched.h", "TCA_ETF_UNSPEC", "tc_etf"),
    ("linux/pkt_sched.h", "TCA_CBS_UNSPEC", "tc_cbs"),
    ("linux/pkt_sched.h", "TCA_QFQ_UNSPEC", "tc_qfq"),
    ("linux/pkt_sched.h", "TCA_ETS_UNSPEC", "tc_ets"),
    ("linux/pkt_sched.h", "TCA_CAKE_UNSPEC", "tc_cake"),
    ("linux/pkt_sched.h", "TCA_STAB_UNSPEC", "tc_stab"),
    ("linux/pkt_cls.h", "TCA_U32_UNSPEC", "tc_u32"),
    ("linux/pkt_cls.h", "TCA_FLOWER_UNSPEC", "tc_flower"),
    ("linux/pkt_cls.h", "TCA_BASIC_UNSPEC", "tc_basic"),
    ("linux/pkt_cls.h", "TCA_ROUTE4_UNSPEC", "tc_route4"),
    ("linux/pkt_cls.h", "TCA_CGROUP_UNSPEC", "tc_cgroup"),
    ("linux/pkt_cls.h", "TCA_FLOW_UNSPEC", "tc_flow"),
    ("linux/pkt_sched.h", "TCA_NETEM_UNSPEC", "tc_netem"),
    ("linux/pkt_sched.h", "TCA_FQ_CODEL_UNSPEC", "tc_fq_codel"),
    ("linux/pkt_sched.h", "TCA_CODEL_UNSPEC", "tc_codel"),
    ("linux/pkt_sched.h", "TCA_FQ_UNSPEC", "tc_fq"),
    ("linux/pkt_sched.h", "TCA_RED_UNSPEC", "tc_red"),
    ("linux/pkt_sched.h", "TCA_DRR_UNSPEC", "tc_drr"),
    ("linux/pkt_sched.h", "TCA_HFSC_UNSPEC", "tc_hfsc"),
    ("linux/pkt_sched.h", "TCA_PIE_UNSPEC", "tc_pie"),
    ("linux/pkt_cls.h", "TCA_MATCHALL_UNSPEC", "tc_matchall"),
    ("linux/pkt_cls.h", "TCA_FW_UNSPEC", "tc_fw"),
    ("linux/pkt_cls.h", "TCA_BPF_UNSPEC", "tc_bpf"),
    ("linux/pkt_cls.h", "TCA_ACT_UNSPEC", "tc_act"),
    (
        "linux/tc_act/tc_mirred.h",
        "TCA_MIRRED_UNSPEC",
        "tc_act_mirred",
    ),
    ("linux/tc_act/tc_gact.h", "TCA_GACT_UNSPEC", "tc_act_gact"),
    ("linux/pkt_cls.h", "TCA_POLICE_UNSPEC", "tc_police"),
    (
        "linux/tc_act/tc_skbedit.h",
        "TCA_SKBEDIT_UNSPEC",
        "tc_act_skbedit",
    ),
    ("linux/tc_act/tc_vlan.h", "TCA_VLAN_UNSPEC", "tc_act_vlan"),
    ("linux/tc_act/tc_csum.h", "TCA_CSUM_UNSPEC", "tc_act_csum"),
    (
        "linux/tc_act/tc_tunnel_key.h",
        "TCA_TUNNEL_KEY_UNSPEC",
        "tc_act_tunnel_key",
    ),
    ("linux/tc_act/tc_bpf.h", "TCA_ACT_BPF_UNSPEC", "tc_act_bpf"),
    (
        "linux/tc_act/tc_sample.h",
        "TCA_SAMPLE_UNSPEC",
        "tc_act_sample",
    ),
    (
        "linux/tc_act/tc_connmark.h",
        "TCA_CONNMARK_UNSPEC",
        "tc_act_connmark",
    ),
    ("linux/tc_act/tc_nat.h", "TCA_NAT_UNSPEC", "tc_act_nat"),
    ("linux/tc_act/tc_mpls.h", "TCA_MPLS_UNSPEC", "tc_act_mpls"),
    (
        "linux/tc_act/tc_pedit.h",
        "TCA_PEDIT_UNSPEC",
        "tc_act_pedit",
    ),
    ("linux/tc_act/tc_ct.h", "TCA_CT_UNSPEC", "tc_act_ct"),
    (
        "linux/tc_act/tc_ctinfo.h",
        "TCA_CTINFO_UNSPEC",
        "tc_act_ctinfo",
    ),
    ("linux/tc_act/tc_gate.h", "TCA_GATE_UNSPEC", "tc_act_gate"),
    ("linux/tc_act/tc_ife.h", "TCA_IFE_UNSPEC", "tc_act_ife"),
    (
        "linux/tc_act/tc_skbmod.h",
        "TCA_SKBMOD_UNSPEC",
        "tc_act_skbmod",
    ),
    (
        "linux/tc_act/tc_defact.h",
        "TCA_DEF_UNSPEC",
        "tc_act_simple",
    ),
    // The other lwtunnel encaps: ILA, RPL, IOAM6
    ("linux/ila.h", "ILA_ATTR_UNSPEC", "encap_ila"),
    ("linux/ila.h", "ILA_CSUM_ADJUST_TRANSPORT", "enum:ila_csum"),
    ("linux/ila.h", "ILA_ATYPE_IID", "enum:ila_atype"),
    ("linux/ila.h", "ILA_HOOK_ROUTE_OUTPUT", "enum:ila_hook"),
    ("linux/rpl_iptunnel.h", "RPL_IPTUNNEL_UNSPEC", "encap_rpl"),
    (
        "linux/ioam6_iptunnel.h",
        "IOAM6_IPTUNNEL_UNSPEC",
        "encap_ioam6",
    ),
    (
        "linux/ioam6_iptunnel.h",
        "__IOAM6_IPTUNNEL_MODE_MIN",
        "enum:ioam6_iptunnel_mode",
    ),
    // CAN, MRP and CFM headers (if_bridge.h's and if_link.h's siblings)
    (
        "linux/can/netlink.h",
        "CAN_STATE_ERROR_ACTIVE",
        "enum:can_state",
    ),
    ("linux/can/netlink.h", "IFLA_CAN_TDC_UNSPEC", "can_tdc"),
    (
        "linux/can/netlink.h",
        "IFLA_CAN_CTRLMODE_UNSPEC",
        "can_ctrlmode_ext",
    ),
    (
        "linux/mrp_bridge.h",
        "BR_MRP_RING_ROLE_DISABLED",
        "enum:br_mrp_ring_role",
    ),
    (
        "linux/mrp_bridge.h",
        "BR_MRP_IN_ROLE_DISABLED",
        "enum:br_mrp_in_role",
    ),
    (
        "linux/mrp_bridge.h",
        "BR_MRP_RING_STATE_OPEN",
        "enum:br_mrp_ring_state",
    ),
    (
        "linux/mrp_bridge.h",
        "BR_MRP_IN_STATE_OPEN",
        "enum:br_mrp_in_state",
    ),
    (
        "linux/mrp_bridge.h",
        "BR_MRP_PORT_STATE_DISABLED",
        "enum:br_mrp_port_state",
    ),
    (
        "linux/mrp_bridge.h",
        "BR_MRP_PORT_ROLE_PRIMARY",
        "enum:br_mrp_port_role",
    ),
    ("linux/cfm_bridge.h", "BR_CFM_PORT", "enum:br_cfm_domain"),
    (
        "linux/cfm_bridge.h",
        "BR_CFM_MEP_DIRECTION_DOWN",
        "enum:br_cfm_mep_direction",
    ),
    (
        "linux/cfm_bridge.h",
        "BR_CFM_CCM_INTERVAL_NONE",
        "enum:br_cfm_ccm_interval",
    ),
    // tc: blocks added for full coverage
    (
        "linux/pkt_sched.h",
        "TC_LINKLAYER_UNAWARE",
        "enum:tc_link_layer",
    ),
    (
        "linux/pkt_sched.h",
        "TCA_GRED_VQ_ENTRY_UNSPEC",
        "tc_gred_vq_list",
    ),
    ("linux/pkt_sched.h", "TCA_GRED_VQ_UNSPEC", "tc_gred_vq"),
    ("linux/pkt_sched.h", "TCA_CBQ_UNSPEC", "tc_cbq"),
    ("linux/pkt_sched.h", "TCA_DSMARK_UNSPEC", "tc_dsmark"),
    ("linux/pkt_sched.h", "TCA_ATM_UNSPEC", "tc_atm"),
    ("linux/pkt_sched.h", "NETEM_LOSS_UNSPEC", "tc_netem_loss"),
    (
        "linux/pkt_sched.h",
        "TC_MQPRIO_HW_OFFLOAD_NONE",
        "enum:tc_mqprio_hw_offload",
    ),
    (
        "linux/pkt_sched.h",
        "TC_MQPRIO_MODE_DCB",
        "enum:tc_mqprio_mode",
    ),
    (
        "linux/pkt_sched.h",
        "TC_MQPRIO_SHAPER_DCB",
        "enum:tc_mqprio_shaper",
    ),
    (
        "linux/pkt_sched.h",
        "TCA_FQ_CODEL_XSTATS_QDISC",
        "enum:tca_fq_codel_xstats_type",
    ),
    (
        "linux/pkt_sched.h",
        "__TCA_CAKE_STATS_INVALID",
        "tc_cake_stats",
    ),
    (
        "linux/pkt_sched.h",
        "__TCA_CAKE_TIN_STATS_INVALID",
        "tc_cake_tin_stats",
    ),
    ("linux/pkt_sched.h", "CAKE_FLOW_NONE", "enum:cake_flow"),
    (
        "linux/pkt_sched.h",
        "CAKE_DIFFSERV_DIFFSERV3",
        "enum:cake_diffserv",
    ),
    ("linux/pkt_sched.h", "CAKE_ACK_NONE", "enum:cake_ack"),
    ("linux/pkt_sched.h", "CAKE_ATM_NONE", "enum:cake_atm"),
    (
        "linux/pkt_sched.h",
        "TC_TAPRIO_CMD_SET_GATES",
        "enum:tc_taprio_cmd",
    ),
    (
        "linux/pkt_sched.h",
        "TCA_TAPRIO_SCHED_ENTRY_UNSPEC",
        "tc_taprio_sched_entry",
    ),
    (
        "linux/pkt_sched.h",
        "TCA_TAPRIO_SCHED_UNSPEC",
        "tc_taprio_sched",
    ),
    (
        "linux/pkt_sched.h",
        "TCA_TAPRIO_TC_ENTRY_UNSPEC",
        "tc_taprio_tc_entry",
    ),
    ("linux/pkt_cls.h", "TCA_ID_UNSPEC", "enum:tca_id"),
    ("linux/pkt_cls.h", "TCA_RSVP_UNSPEC", "tc_rsvp"),
    ("linux/pkt_cls.h", "TCA_TCINDEX_UNSPEC", "tc_tcindex"),
    ("linux/pkt_cls.h", "FLOW_KEY_SRC", "enum:flow_key"),
    ("linux/pkt_cls.h", "FLOW_MODE_MAP", "enum:flow_mode"),
    (
        "linux/pkt_cls.h",
        "TCA_FLOWER_KEY_CT_FLAGS_NEW",
        "enum:tca_flower_key_ct_flags",
    ),
    (
        "linux/pkt_cls.h",
        "TCA_FLOWER_KEY_ENC_OPTS_UNSPEC",
        "tc_flower_key_enc_opts",
    ),
    (
        "linux/pkt_cls.h",
        "TCA_FLOWER_KEY_ENC_OPT_GENEVE_UNSPEC",
        "tc_flower_key_enc_opt_geneve",
    ),
    (
        "linux/pkt_cls.h",
        "TCA_FLOWER_KEY_ENC_OPT_VXLAN_UNSPEC",
        "tc_flower_key_enc_opt_vxlan",
    ),
    (
        "linux/pkt_cls.h",
        "TCA_FLOWER_KEY_ENC_OPT_ERSPAN_UNSPEC",
        "tc_flower_key_enc_opt_erspan",
    ),
    (
        "linux/pkt_cls.h",
        "TCA_FLOWER_KEY_ENC_OPT_GTP_UNSPEC",
        "tc_flower_key_enc_opt_gtp",
    ),
    (
        "linux/pkt_cls.h",
        "TCA_FLOWER_KEY_MPLS_OPTS_UNSPEC",
        "tc_flower_key_mpls_opts",
    ),
    (
        "linux/pkt_cls.h",
        "TCA_FLOWER_KEY_MPLS_OPT_LSE_UNSPEC",
        "tc_flower_key_mpls_opt_lse",
    ),
    (
        "linux/pkt_cls.h",
        "TCA_FLOWER_KEY_FLAGS_IS_FRAGMENT",
        "enum:tca_flower_key_flags",
    ),
    (
        "linux/pkt_cls.h",
        "TCA_EMATCH_TREE_UNSPEC",
        "tc_ematch_tree",
    ),
    ("linux/pkt_cls.h", "TCF_LAYER_LINK", "enum:tcf_layer"),
    ("linux/pkt_cls.h", "TCF_EM_PROG_TC", "enum:tcf_em_prog"),
    ("linux/pkt_cls.h", "TCF_EM_OPND_EQ", "enum:tcf_em_opnd"),
    ("linux/rtnetlink.h", "TCA_ROOT_UNSPEC", "tc_root"),
    (
        "linux/tc_act/tc_csum.h",
        "TCA_CSUM_UPDATE_FLAG_IPV4HDR",
        "enum:tca_csum_update_flags",
    ),
    (
        "linux/tc_act/tc_gate.h",
        "TCA_GATE_ENTRY_UNSPEC",
        "tc_gate_entry",
    ),
    (
        "linux/tc_act/tc_gate.h",
        "TCA_GATE_ONE_ENTRY_UNSPEC",
        "tc_gate_entry_list",
    ),
    ("linux/tc_act/tc_ipt.h", "TCA_IPT_UNSPEC", "tc_act_ipt"),
    (
        "linux/tc_act/tc_pedit.h",
        "TCA_PEDIT_KEY_EX_HTYPE",
        "tc_pedit_key_ex",
    ),
    (
        "linux/tc_act/tc_pedit.h",
        "TCA_PEDIT_KEY_EX_HDR_TYPE_NETWORK",
        "enum:pedit_header_type",
    ),
    (
        "linux/tc_act/tc_pedit.h",
        "TCA_PEDIT_KEY_EX_CMD_SET",
        "enum:pedit_cmd",
    ),
    (
        "linux/tc_act/tc_tunnel_key.h",
        "TCA_TUNNEL_KEY_ENC_OPTS_UNSPEC",
        "tc_tunnel_key_enc_opts",
    ),
    (
        "linux/tc_act/tc_tunnel_key.h",
        "TCA_TUNNEL_KEY_ENC_OPT_GENEVE_UNSPEC",
        "tc_tunnel_key_enc_opt_geneve",
    ),
    (
        "linux/tc_act/tc_tunnel_key.h",
        "TCA_TUNNEL_KEY_ENC_OPT_VXLAN_UNSPEC",
        "tc_tunnel_key_enc_opt_vxlan",
    ),
    (
        "linux/tc_act/tc_tunnel_key.h",
        "TCA_TUNNEL_KEY_ENC_OPT_ERSPAN_UNSPEC",
        "tc_tunnel_key_enc_opt_erspan",
    ),
    // links, bridge, routes, neighbours: blocks added for full coverage
    ("linux/if_link.h", "IFLA_INET_UNSPEC", "af_inet"),
    (
        "linux/if_link.h",
        "IN6_ADDR_GEN_MODE_EUI64",
        "enum:in6_addr_gen_mode",
    ),
    (
        "linux/if_link.h",
        "MACVLAN_MODE_PRIVATE",
        "enum:macvlan_mode",
    ),
    (
        "linux/if_link.h",
        "MACVLAN_MACADDR_ADD",
        "enum:macvlan_macaddr_mode",
    ),
    ("linux/if_link.h", "IPVLAN_MODE_L2", "enum:ipvlan_mode"),
    ("linux/if_link.h", "VXLAN_DF_UNSET", "enum:vxlan_df"),
    ("linux/if_link.h", "GENEVE_DF_UNSET", "enum:geneve_df"),
    ("linux/if_link.h", "GTP_ROLE_GGSN", "enum:gtp_role"),
    ("linux/if_link.h", "IPOIB_MODE_DATAGRAM", "enum:ipoib_mode"),
    ("linux/if_link.h", "HSR_PROTOCOL_HSR", "enum:hsr_protocol"),
    ("linux/if_link.h", "XDP_ATTACHED_NONE", "enum:xdp_attached"),
    ("linux/if_link.h", "IFLA_EVENT_NONE", "enum:link_event"),
    (
        "linux/if_bridge.h",
        "IFLA_BRIDGE_VLAN_TUNNEL_UNSPEC",
        "bridge_vlan_tunnel_info",
    ),
    ("linux/if_bridge.h", "IFLA_BRIDGE_MST_UNSPEC", "bridge_mst"),
    (
        "linux/if_bridge.h",
        "IFLA_BRIDGE_MST_ENTRY_UNSPEC",
        "bridge_mst_entry",
    ),
    (
        "linux/if_bridge.h",
        "MDB_RTR_TYPE_DISABLED",
        "enum:mdb_rtr_type",
    ),
    (
        "linux/if_bridge.h",
        "BRIDGE_QUERIER_UNSPEC",
        "bridge_querier_state",
    ),
    ("linux/rtnetlink.h", "RT_SCOPE_UNIVERSE", "enum:rt_scope"),
    ("linux/rtnetlink.h", "RT_TABLE_UNSPEC", "enum:rt_table"),
    (
        "linux/seg6_iptunnel.h",
        "SEG6_IPTUN_MODE_INLINE",
        "enum:seg6_iptun_mode",
    ),
    ("linux/if_link.h", "BRIDGE_MODE_UNSPEC", "enum:brport_mode"),
    (
        "linux/if_link.h",
        "MACSEC_VALIDATE_DISABLED",
        "enum:macsec_validate",
    ),
    (
        "linux/if_link.h",
        "MACSEC_OFFLOAD_OFF",
        "enum:macsec_offload",
    ),
    (
        "linux/if_link.h",
        "IFLA_VF_LINK_STATE_AUTO",
        "enum:vf_link_state",
    ),
    (
        "linux/if_link.h",
        "PORT_REQUEST_PREASSOCIATE",
        "enum:port_request",
    ),
    (
        "linux/if_link.h",
        "PORT_VDP_RESPONSE_SUCCESS",
        "enum:port_response",
    ),
    (
        "linux/if_link.h",
        "IFLA_STATS_GETSET_UNSPEC",
        "link_stats_getset",
    ),
    ("linux/if_link.h", "LINK_XSTATS_TYPE_UNSPEC", "link_xstats"),
    (
        "linux/if_tunnel.h",
        "TUNNEL_ENCAP_NONE",
        "enum:tunnel_encap_types",
    ),
    ("linux/if_bridge.h", "BRIDGE_XSTATS_UNSPEC", "bridge_xstats"),
    ("linux/if_bridge.h", "BR_MCAST_DIR_RX", "enum:br_mcast_dir"),
    (
        "linux/if_bridge.h",
        "BR_BOOLOPT_NO_LL_LEARN",
        "enum:br_boolopt",
    ),
    ("linux/if_bridge.h", "IFLA_BRIDGE_MRP_UNSPEC", "bridge_mrp"),
    (
        "linux/if_bridge.h",
        "IFLA_BRIDGE_MRP_INSTANCE_UNSPEC",
        "bridge_mrp_instance",
    ),
    (
        "linux/if_bridge.h",
        "IFLA_BRIDGE_MRP_PORT_STATE_UNSPEC",
        "bridge_mrp_port_state",
    ),
    (
        "linux/if_bridge.h",
        "IFLA_BRIDGE_MRP_PORT_ROLE_UNSPEC",
        "bridge_mrp_port_role",
    ),
    (
        "linux/if_bridge.h",
        "IFLA_BRIDGE_MRP_RING_STATE_UNSPEC",
        "bridge_mrp_ring_state",
    ),
    (
        "linux/if_bridge.h",
        "IFLA_BRIDGE_MRP_RING_ROLE_UNSPEC",
        "bridge_mrp_ring_role",
    ),
    (
        "linux/if_bridge.h",
        "IFLA_BRIDGE_MRP_START_TEST_UNSPEC",
        "bridge_mrp_start_test",
    ),
    (
        "linux/if_bridge.h",
        "IFLA_BRIDGE_MRP_INFO_UNSPEC",
        "bridge_mrp_info",
    ),
    (
        "linux/if_bridge.h",
        "IFLA_BRIDGE_MRP_IN_STATE_UNSPEC",
        "bridge_mrp_in_state",
    ),
    (
        "linux/if_bridge.h",
        "IFLA_BRIDGE_MRP_IN_ROLE_UNSPEC",
        "bridge_mrp_in_role",
    ),
    (
        "linux/if_bridge.h",
        "IFLA_BRIDGE_MRP_START_IN_TEST_UNSPEC",
        "bridge_mrp_start_in_test",
    ),
    ("linux/if_bridge.h", "IFLA_BRIDGE_CFM_UNSPEC", "bridge_cfm"),
    (
        "linux/if_bridge.h",
        "IFLA_BRIDGE_CFM_MEP_CREATE_UNSPEC",
        "bridge_cfm_mep_create",
    ),
    (
        "linux/if_bridge.h",
        "IFLA_BRIDGE_CFM_MEP_DELETE_UNSPEC",
        "bridge_cfm_mep_delete",
    ),
    (
        "linux/if_bridge.h",
        "IFLA_BRIDGE_CFM_MEP_CONFIG_UNSPEC",
        "bridge_cfm_mep_config",
    ),
    (
        "linux/if_bridge.h",
        "IFLA_BRIDGE_CFM_CC_CONFIG_UNSPEC",
        "bridge_cfm_cc_config",
    ),
    (
        "linux/if_bridge.h",
        "IFLA_BRIDGE_CFM_CC_PEER_MEP_UNSPEC",
        "bridge_cfm_cc_peer_mep",
    ),
    (
        "linux/if_bridge.h",
        "IFLA_BRIDGE_CFM_CC_RDI_UNSPEC",
        "bridge_cfm_cc_rdi",
    ),
    (
        "linux/if_bridge.h",
        "IFLA_BRIDGE_CFM_CC_CCM_TX_UNSPEC",
        "bridge_cfm_cc_ccm_tx",
    ),
    (
        "linux/if_bridge.h",
        "IFLA_BRIDGE_CFM_MEP_STATUS_UNSPEC",
        "bridge_cfm_mep_status",
    ),
    (
        "linux/if_bridge.h",
        "IFLA_BRIDGE_CFM_CC_PEER_STATUS_UNSPEC",
        "bridge_cfm_cc_peer_status",
    ),
    (
        "linux/lwtunnel.h",
        "LWTUNNEL_IP_OPTS_UNSPEC",
        "encap_ip_opts",
    ),
    (
        "linux/lwtunnel.h",
        "LWTUNNEL_IP_OPT_GENEVE_UNSPEC",
        "encap_ip_opt_geneve",
    ),
    (
        "linux/lwtunnel.h",
        "LWTUNNEL_IP_OPT_VXLAN_UNSPEC",
        "encap_ip_opt_vxlan",
    ),
    (
        "linux/lwtunnel.h",
        "LWTUNNEL_IP_OPT_ERSPAN_UNSPEC",
        "encap_ip_opt_erspan",
    ),
    ("linux/lwtunnel.h", "LWT_BPF_PROG_UNSPEC", "encap_bpf_prog"),
    ("linux/lwtunnel.h", "LWT_BPF_UNSPEC", "encap_bpf"),
    ("linux/lwtunnel.h", "LWT_XFRM_UNSPEC", "encap_xfrm"),
    (
        "linux/seg6_local.h",
        "SEG6_LOCAL_BPF_PROG_UNSPEC",
        "seg6_local_bpf",
    ),
    (
        "linux/seg6_local.h",
        "SEG6_LOCAL_CNT_UNSPEC",
        "seg6_local_counters",
    ),
    (
        "linux/seg6_local.h",
        "SEG6_LOCAL_FLV_UNSPEC",
        "seg6_local_flavors",
    ),
    (
        "linux/seg6_local.h",
        "SEG6_LOCAL_FLV_OP_UNSPEC",
        "enum:seg6_local_flv_op",
    ),
    ("linux/neighbour.h", "FDB_NOTIFY_BIT", "enum:fdb_notify"),
    ("linux/neighbour.h", "NFEA_UNSPEC", "fdb_ext_attrs"),
    ("linux/rtnetlink.h", "RTM_BASE", "enum:rtm_type"),
    ("linux/rtnetlink.h", "RTNLGRP_NONE", "enum:rtnlgrp"),
    (
        "linux/if_link.h",
        "VNIFILTER_ENTRY_STATS_UNSPEC",
        "vni_entry_stats",
    ),
    (
        "linux/if_link.h",
        "VXLAN_VNIFILTER_ENTRY_UNSPEC",
        "vni_entry",
    ),
    ("linux/if_link.h", "VXLAN_VNIFILTER_UNSPEC", "vni"),
    (
        "linux/if_bridge.h",
        "BRIDGE_VLANDB_DUMP_UNSPEC",
        "vlan_dump",
    ),
    ("linux/if_bridge.h", "BRIDGE_VLANDB_UNSPEC", "vlan"),
    (
        "linux/if_bridge.h",
        "BRIDGE_VLANDB_ENTRY_UNSPEC",
        "vlandb_entry",
    ),
    (
        "linux/if_bridge.h",
        "BRIDGE_VLANDB_TINFO_UNSPEC",
        "vlandb_tinfo",
    ),
    (
        "linux/if_bridge.h",
        "BRIDGE_VLANDB_STATS_UNSPEC",
        "vlandb_stats",
    ),
    (
        "linux/if_bridge.h",
        "BRIDGE_VLANDB_GOPTS_UNSPEC",
        "vlandb_gopts",
    ),
    ("linux/if_bridge.h", "MDBA_UNSPEC", "mdb"),
    ("linux/if_bridge.h", "MDBA_MDB_UNSPEC", "mdb_mdb"),
    ("linux/if_bridge.h", "MDBA_MDB_ENTRY_UNSPEC", "mdb_entry"),
    ("linux/if_bridge.h", "MDBA_MDB_EATTR_UNSPEC", "mdb_eattr"),
    (
        "linux/if_bridge.h",
        "MDBA_MDB_SRCLIST_UNSPEC",
        "mdb_srclist",
    ),
    (
        "linux/if_bridge.h",
        "MDBA_MDB_SRCATTR_UNSPEC",
        "mdb_srcattr",
    ),
    ("linux/if_bridge.h", "MDBA_ROUTER_UNSPEC", "mdb_router"),
    (
        "linux/if_bridge.h",
        "MDBA_ROUTER_PATTR_UNSPEC",
        "mdb_router_pattr",
    ),
    (
        "linux/if_bridge.h",
        "MDBA_SET_ENTRY_UNSPEC",
        "mdb_set_entry",
    ),
    ("linux/if_bridge.h", "MDBE_ATTR_UNSPEC", "mdbe_attr"),
    ("linux/rtnetlink.h", "PREFIX_UNSPEC", "prefix"),
    ("linux/rtnetlink.h", "NDUSEROPT_UNSPEC", "nduseropt"),
];

/// Enum blocks that only headers newer than the installed 6.1 ones have (same shape as
/// [`TABLE`]). Counted by [`report_in`] and [`unlisted_in`] when not strict, i.e. against a newer
/// copy of the headers (`cargo xtask coverage --include DIR`); the strict `/usr/include` run
/// never reads them. Their schema items carry `since`.
pub const TABLE_NEWER: &[(&str, &str, &str)] = &[
    (
        "linux/nexthop.h",
        "NHA_GROUP_STATS_UNSPEC",
        "nexthop_group_stats",
    ),
    (
        "linux/nexthop.h",
        "NHA_GROUP_STATS_ENTRY_UNSPEC",
        "nexthop_group_stats_entry",
    ),
    ("linux/if_link.h", "BR_STP_MODE_AUTO", "enum:br_stp_mode"),
    ("linux/if_link.h", "NETKIT_NEXT", "enum:netkit_action"),
    ("linux/if_link.h", "NETKIT_L2", "enum:netkit_mode"),
    (
        "linux/if_link.h",
        "NETKIT_DEVICE_PAIR",
        "enum:netkit_pairing",
    ),
    ("linux/if_link.h", "NETKIT_SCRUB_NONE", "enum:netkit_scrub"),
    ("linux/if_link.h", "IFLA_NETKIT_UNSPEC", "linkinfo_netkit"),
    (
        "linux/if_link.h",
        "VXLAN_LABEL_FIXED",
        "enum:vxlan_label_policy",
    ),
    ("linux/if_link.h", "OVPN_MODE_P2P", "enum:ovpn_mode"),
    ("linux/if_link.h", "IFLA_OVPN_UNSPEC", "linkinfo_ovpn"),
    (
        "linux/if_bridge.h",
        "MDBA_GET_ENTRY_UNSPEC",
        "mdb_get_entry",
    ),
    ("linux/if_bridge.h", "MDBE_SRC_LIST_UNSPEC", "mdbe_src_list"),
    ("linux/if_bridge.h", "MDBE_SRCATTR_UNSPEC", "mdbe_srcattr"),
    (
        "linux/if_tunnel.h",
        "IP_TUNNEL_CSUM_BIT",
        "enum:ip_tunnel_flag_bit",
    ),
    ("linux/pkt_sched.h", "TC_FP_EXPRESS", "enum:tc_fp"),
    (
        "linux/pkt_sched.h",
        "TCA_MQPRIO_TC_ENTRY_UNSPEC",
        "tc_mqprio_tc_entry",
    ),
    (
        "linux/pkt_sched.h",
        "TCA_TAPRIO_OFFLOAD_STATS_PAD",
        "tc_taprio_offload_stats",
    ),
    (
        "linux/pkt_sched.h",
        "TC_DUALPI2_DROP_OVERLOAD_OVERFLOW",
        "enum:tc_dualpi2_drop_overload",
    ),
    (
        "linux/pkt_sched.h",
        "TC_DUALPI2_DROP_EARLY_DROP_DEQUEUE",
        "enum:tc_dualpi2_drop_early",
    ),
    (
        "linux/pkt_sched.h",
        "TC_DUALPI2_ECN_MASK_L4S_ECT",
        "enum:tc_dualpi2_ecn_mask",
    ),
    (
        "linux/pkt_sched.h",
        "TC_DUALPI2_SPLIT_GSO_NO_SPLIT_GSO",
        "enum:tc_dualpi2_split_gso",
    ),
    ("linux/pkt_sched.h", "TCA_DUALPI2_UNSPEC", "tc_dualpi2"),
    (
        "linux/pkt_cls.h",
        "TCA_FLOWER_KEY_ENC_OPT_PFCP_UNSPEC",
        "tc_flower_key_enc_opt_pfcp",
    ),
    (
        "linux/pkt_cls.h",
        "TCA_FLOWER_KEY_CFM_OPT_UNSPEC",
        "tc_flower_key_cfm",
    ),
    ("linux/can/netlink.h", "IFLA_CAN_PWM_UNSPEC", "can_pwm"),
];

/// Header enums the schema does not model yet (issue: complete coverage). They count in the
/// report's totals as uncovered, so the percentage says how far the schema is from complete,
/// but they do not fail the test (that one guards what is modelled against regressions).
pub const NOT_YET: &[(&str, &str)] = &[];

/// Constants left out on purpose, with the reason.
/// Enum blocks of [`HEADERS`] that are not netlink vocabulary: `(header, first constant,
/// reason)`. [`unlisted`] skips them.
pub const EXCLUDED_BLOCKS: &[(&str, &str, &str)] = &[
    (
        "linux/mrp_bridge.h",
        "BR_MRP_TLV_HEADER_END",
        "TLV types of MRP frames on the wire between switches; netlink never carries them",
    ),
    (
        "linux/mrp_bridge.h",
        "BR_MRP_SUB_TLV_HEADER_TEST_MGR_NACK",
        "sub-TLV types of MRP frames on the wire; netlink never carries them",
    ),
    (
        "linux/ila.h",
        "ILA_CMD_UNSPEC",
        "commands of the ILA generic netlink family, not rtnetlink",
    ),
    (
        "linux/cfm_bridge.h",
        "BR_CFM_OPCODE_CCM",
        "the opcode of CFM frames on the wire; netlink never carries it",
    ),
];

/// Constants a newer kernel renamed, the old name (the one the installed headers define, so the
/// one the schema uses) keeping the id: `(new name, schema's name, reason)`. The new name counts
/// as covered when the schema has the old one.
pub const RENAMED: &[(&str, &str, &str)] = &[(
    "IFLA_DSA_CONDUIT",
    "IFLA_DSA_MASTER",
    "6.7 renamed IFLA_DSA_MASTER to IFLA_DSA_CONDUIT (same id 1; the old name stays an alias)",
)];

pub const EXCLUDED: &[(&str, &str)] = &[
    ("IFLA_TARGET_NETNSID", "alias of IFLA_IF_NETNSID (same id)"),
    ("RTN_MAX", "bound, not a value"),
    (
        "NETKIT_NEXT",
        "-1, a BPF program's return code (continue to the next program), never a netkit policy",
    ),
];

/// One row of the report.
#[derive(Debug, Clone)]
pub struct Row {
    /// Header file.
    pub header: &'static str,
    /// Schema item.
    pub item: &'static str,
    /// Constants the header defines (UNSPEC, `__*_MAX` and `*_MAX` bounds and [`EXCLUDED`]
    /// left out).
    pub defined: usize,
    /// Of those, how many the schema has.
    pub covered: usize,
    /// The missing ones that are not excluded (empty for the enums in [`NOT_YET`]).
    pub missing: Vec<String>,
}

/// The constants of the C enum whose first constant is `first`: `(name, value)`, aliases
/// (a value seen before) and bounds (`__X`, `X_MAX = ...`, a trailing `X_MAX`/`X_SIZE` count,
/// `X_BASE = n`) dropped; `X_UNSPEC` kept only when
/// `keep_unspec`.
pub fn header_enum(text: &str, first: &str, keep_unspec: bool) -> Option<Vec<(String, i64)>> {
    // Strip comments and preprocessor lines.
    let mut clean = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("/*") {
        clean.push_str(&rest[..i]);
        rest = rest[i + 2..]
            .find("*/")
            .map(|j| &rest[i + 2 + j + 2..])
            .unwrap_or("");
    }
    clean.push_str(rest);
    // `#define NAME <number>` lines, for enum values written as another constant
    // (`TCA_ID_GACT = TCA_ACT_GACT`).
    let defines: Vec<(String, i64)> = clean
        .lines()
        .filter_map(|l| {
            let mut it = l.trim_start().strip_prefix("#define")?.split_whitespace();
            let (name, v) = (it.next()?, it.next()?);
            Some((name.to_string(), parse_int(v)?))
        })
        .collect();
    let clean: String = clean
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let mut at = 0;
    while let Some(i) = clean[at..].find("enum") {
        let start = at + i;
        let open = start + clean[start..].find('{')?;
        let close = open + clean[open..].find('}')?;
        at = close;
        let body = &clean[open + 1..close];
        let items: Vec<&str> = body
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if items
            .first()
            .map(|f| f.split('=').next().unwrap_or("").trim())
            != Some(first)
        {
            continue;
        }
        let mut out = Vec::new();
        let mut known: Vec<(String, i64)> = Vec::new();
        let mut val = -1i64;
        let last = items.len().saturating_sub(1);
        for (i, it) in items.into_iter().enumerate() {
            let (name, explicit) = match it.split_once('=') {
                Some((n, v)) => (n.trim(), Some(v.trim())),
                None => (it, None),
            };
            val = match explicit {
                Some(v) => parse_int(v)
                    .or_else(|| known.iter().find(|(n, _)| n == v).map(|(_, x)| *x))
                    .or_else(|| defines.iter().find(|(n, _)| n == v).map(|(_, x)| *x))
                    .or_else(|| {
                        // `(1 << n)` style bits.
                        let (a, b) = v
                            .trim_start_matches('(')
                            .trim_end_matches(')')
                            .split_once("<<")?;
                        Some(
                            a.trim().trim_end_matches('U').parse::<i64>().ok()?
                                << b.trim().parse::<i64>().ok()?,
                        )
                    })
                    .or_else(|| {
                        // `X - 1` style bounds.
                        let (a, b) = v.split_once('-')?;
                        Some(
                            known.iter().find(|(n, _)| n == a.trim())?.1
                                - b.trim().parse::<i64>().ok()?,
                        )
                    })
                    .unwrap_or(val + 1),
                None => val + 1,
            };
            known.push((name.to_string(), val));
            // Bounds, not values: `__X_MAX`, `X_MAX = __X_MAX - 1`, a trailing count
            // (`HSR_PROTOCOL_MAX`, `BR_MCAST_DIR_SIZE`) and a `_BASE` (`RTM_BASE = 16`).
            let bound = name.starts_with("__")
                || (name.ends_with("_MAX") && (explicit.is_some() || i == last))
                || (name.ends_with("_SIZE") && i == last && explicit.is_none())
                || (name.ends_with("_BASE") && explicit.is_some());
            let unspec = name.ends_with("_UNSPEC") && !keep_unspec;
            if bound || unspec || out.iter().any(|(_, v)| *v == val) {
                continue;
            }
            out.push((name.to_string(), val));
        }
        return Some(out);
    }
    None
}

/// An integer literal as the uapi headers write enum values: `5`, `0x10`, `1 << 3`,
/// `(1 << 3)`, `_BITUL(3)`.
pub fn parse_int(v: &str) -> Option<i64> {
    let v = v.trim();
    if let Some(inner) = v.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        return parse_int(inner);
    }
    if let Some(n) = v.strip_prefix("_BITUL(").and_then(|x| x.strip_suffix(')')) {
        return Some(1i64 << parse_int(n)?);
    }
    if let Some((a, b)) = v.split_once("<<") {
        return Some(parse_int(a)? << parse_int(b)?);
    }
    v.parse::<i64>().ok().or_else(|| {
        v.strip_prefix("0x")
            .and_then(|h| i64::from_str_radix(h, 16).ok())
    })
}

/// The report for `schema` against the headers under `include` (`/usr/include`).
pub fn report(schema: &Schema, include: &Path) -> Result<Vec<Row>, String> {
    report_in(schema, include, true)
}

/// [`report`] against any copy of the headers; with `strict` off, a header or enum block that
/// copy lacks (a newer kernel removed cbq, dsmark, atm ...) is passed over instead of an error.
pub fn report_in(schema: &Schema, include: &Path, strict: bool) -> Result<Vec<Row>, String> {
    let names = schema.names();
    let mut rows = Vec::new();
    let tables = if strict {
        &[TABLE][..]
    } else {
        &[TABLE, TABLE_NEWER][..]
    };
    for (header, first, item) in tables.iter().flat_map(|t| t.iter()) {
        let text = match std::fs::read_to_string(include.join(header)) {
            Ok(t) => t,
            Err(_) if !strict => continue,
            Err(e) => return Err(format!("{header}: {e}")),
        };
        let is_enum = item.starts_with("enum:");
        let consts = match header_enum(&text, first, is_enum) {
            Some(mut c) => {
                c.retain(|(n, _)| !EXCLUDED.iter().any(|(x, _)| x == n));
                c
            }
            None if !strict => continue,
            None => return Err(format!("{header}: no enum starting with {first}")),
        };
        let have: BTreeSet<String> = if let Some(e) = item.strip_prefix("enum:") {
            let e = names
                .enums
                .get(e)
                .ok_or(format!("schema has no enum {e}"))?;
            e.values
                .iter()
                .map(|v| {
                    v.cname
                        .clone()
                        .unwrap_or_else(|| format!("{}{}", e.prefix, v.name.to_uppercase()))
                })
                .collect()
        } else {
            let s = names
                .sets
                .get(item)
                .ok_or(format!("schema has no attribute-set {item}"))?;
            s.attributes
                .iter()
                .map(|a| {
                    a.cname
                        .clone()
                        .unwrap_or_else(|| format!("{}{}", s.prefix, a.name.to_uppercase()))
                })
                .collect()
        };
        let has = |n: &String| {
            have.contains(n)
                || RENAMED
                    .iter()
                    .any(|(new, old, _)| new == n && have.contains(*old))
        };
        let covered = consts.iter().filter(|(n, _)| has(n)).count();
        let missing = consts
            .iter()
            .filter(|(n, _)| !has(n))
            .map(|(n, _)| n.clone())
            .collect();
        rows.push(Row {
            header,
            item,
            defined: consts.len(),
            covered,
            missing,
        });
    }
    for (header, first) in NOT_YET {
        let text =
            std::fs::read_to_string(include.join(header)).map_err(|e| format!("{header}: {e}"))?;
        let consts = header_enum(&text, first, false)
            .ok_or(format!("{header}: no enum starting with {first}"))?;
        rows.push(Row {
            header,
            item: first,
            defined: consts.len(),
            covered: 0,
            missing: vec![],
        });
    }
    Ok(rows)
}

/// Headers whose every enum block should be modelled (the rtnetlink families and tc).
pub const HEADERS: &[&str] = &[
    "linux/if_link.h",
    "linux/if_bridge.h",
    "linux/if_tunnel.h",
    "linux/veth.h",
    "linux/if_addr.h",
    "linux/rtnetlink.h",
    "linux/lwtunnel.h",
    "linux/mpls_iptunnel.h",
    "linux/seg6_iptunnel.h",
    "linux/seg6_local.h",
    "linux/fib_rules.h",
    "linux/neighbour.h",
    "linux/pkt_sched.h",
    "linux/pkt_cls.h",
    "linux/gen_stats.h",
    "linux/tc_act/tc_bpf.h",
    "linux/tc_act/tc_connmark.h",
    "linux/tc_act/tc_csum.h",
    "linux/tc_act/tc_ct.h",
    "linux/tc_act/tc_ctinfo.h",
    "linux/tc_act/tc_defact.h",
    "linux/tc_act/tc_gact.h",
    "linux/tc_act/tc_gate.h",
    "linux/tc_act/tc_ife.h",
    "linux/tc_act/tc_ipt.h",
    "linux/tc_act/tc_mirred.h",
    "linux/tc_act/tc_mpls.h",
    "linux/tc_act/tc_nat.h",
    "linux/tc_act/tc_pedit.h",
    "linux/tc_act/tc_sample.h",
    "linux/tc_act/tc_skbedit.h",
    "linux/tc_act/tc_skbmod.h",
    "linux/tc_act/tc_tunnel_key.h",
    "linux/tc_act/tc_vlan.h",
    "linux/can/netlink.h",
    "linux/can/vxcan.h",
    "linux/mrp_bridge.h",
    "linux/cfm_bridge.h",
    "linux/ila.h",
    "linux/rpl_iptunnel.h",
    "linux/ioam6_iptunnel.h",
];

/// Enum blocks of [`HEADERS`] that [`TABLE`] does not list yet: `(header, first constant, count)`.
pub fn unlisted(include: &Path) -> Result<Vec<(&'static str, String, usize)>, String> {
    unlisted_in(include, true)
}

/// [`unlisted`] against any copy of the headers; with `strict` off, the blocks of
/// [`TABLE_NEWER`] count as listed too.
pub fn unlisted_in(
    include: &Path,
    strict: bool,
) -> Result<Vec<(&'static str, String, usize)>, String> {
    let listed = |first: &str| {
        TABLE.iter().any(|t| t.1 == first)
            || (!strict && TABLE_NEWER.iter().any(|t| t.1 == first))
            || EXCLUDED_BLOCKS.iter().any(|t| t.1 == first)
    };
    let mut out = Vec::new();
    for header in HEADERS {
        let text =
            std::fs::read_to_string(include.join(header)).map_err(|e| format!("{header}: {e}"))?;
        let mut at = 0;
        while let Some(i) = text[at..].find("enum") {
            let start = at + i;
            let Some(open) = text[start..].find('{').map(|o| start + o) else {
                break;
            };
            at = open + 1;
            // The first identifier after the brace, skipping comments and blank lines.
            let body = &text[open + 1..];
            let first = body
                .lines()
                .map(|l| {
                    l.split("/*")
                        .next()
                        .unwrap_or("")
                        .split("//")
                        .next()
                        .unwrap_or("")
                        .trim()
                })
                .find(|l| !l.is_empty() && !l.starts_with('*') && !l.starts_with('#'))
                .map(|l| {
                    l.trim_end_matches(',')
                        .split('=')
                        .next()
                        .unwrap_or("")
                        .trim()
                        .to_string()
                })
                .unwrap_or_default();
            if first.is_empty() || !first.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            if listed(&first) {
                continue;
            }
            if let Some(consts) = header_enum(&text, &first, false)
                && !consts.is_empty()
            {
                out.push((*header, first, consts.len()));
            }
        }
    }
    Ok(out)
}

/// The report as a markdown table.
pub fn render(rows: &[Row]) -> String {
    let mut out = String::from(
        "| header | enum | schema | defined | covered | missing |\n|---|---|---|---:|---:|---|\n",
    );
    let (mut d, mut c) = (0, 0);
    for r in rows {
        d += r.defined;
        c += r.covered;
        let (first, item, missing) = match TABLE.iter().chain(TABLE_NEWER).find(|t| t.2 == r.item) {
            Some(t) => (
                t.1,
                r.item,
                if r.missing.is_empty() {
                    "-".to_string()
                } else {
                    r.missing.join(", ")
                },
            ),
            None => (r.item, "(not yet)", "all".to_string()),
        };
        out.push_str(&format!(
            "| {} | {first} | {item} | {} | {} | {missing} |\n",
            r.header, r.defined, r.covered
        ));
    }
    out.push_str(&format!(
        "| **all** | | | **{d}** | **{c}** ({:.1} %) | |\n",
        100.0 * c as f64 / d.max(1) as f64
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_as_the_headers_write_them() {
        assert_eq!(parse_int("5"), Some(5));
        assert_eq!(parse_int("0x10"), Some(16));
        assert_eq!(parse_int("1 << 3"), Some(8));
        assert_eq!(parse_int("(1 << 5)"), Some(32));
        assert_eq!(parse_int("_BITUL(2)"), Some(4));
        assert_eq!(parse_int("X"), None);
        let text = "#define A_SEVEN 7\nenum {\n\tF_A = 1 << 0, /* a */\n\tF_B = (1 << 1),\n\tF_C = _BITUL(4),\n\t__F_MAX,\n};\n\
                    enum {\n\tK_NONE = 0,\n\tK_X = A_SEVEN,\n\tK_Y,\n\tK_MAX\n};\n";
        assert_eq!(
            header_enum(text, "F_A", true).unwrap(),
            [("F_A".into(), 1), ("F_B".into(), 2), ("F_C".into(), 16)]
        );
        // A closing K_MAX is a bound, #define'd values resolve.
        assert_eq!(
            header_enum(text, "K_NONE", true).unwrap(),
            [("K_NONE".into(), 0), ("K_X".into(), 7), ("K_Y".into(), 8)]
        );
    }
}
