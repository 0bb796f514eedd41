//! Live proof that `rtnl` writes as `ip` writes: every command of [`CMDS`] (and, in tests of
//! their own, of [`BRIDGE_TC_CMDS`] after [`BRIDGE_TC_SETUP`] and of [`MCAST_CMDS`] after
//! [`MCAST_SETUP`]) runs with `ip` in one fresh
//! namespace and with `rtnl` (the same words) in another, each under `strace` (a
//! `bridge OBJ ...` or `tc OBJ ...` line runs that tool against `rtnl OBJ ...`, bridge's `link`
//! being `brlink`).
//! Then:
//!
//! * every command exits with the same status in both (0, 1, 2 or 255);
//! * every write request (RTM_NEW*/DEL* LINK, ADDR, ROUTE, NEIGH, RULE, LINKPROP) and every
//!   `get` lookup (RTM_GETROUTE, RTM_GETNEIGH; its printed answer too) has the same bytes,
//!   after [`canon`]: sequence numbers and port ids zeroed, top-level attributes (and those
//!   inside IFLA_LINKINFO, its data and RTA_METRICS) sorted, since the kernel reads them by
//!   type, not by position; a table given in the header or in RTA_TABLE/FRA_TABLE compared as
//!   one value; IFA_FLAGS folded into the header's flags; IFLA_INFO_KIND and IFLA_IFALIAS
//!   without their NUL (ip sends strlen bytes, rtnl-api a C string; the kernel reads both);
//!   a lookup's NLM_F_ACK dropped (rtnl-api asks for an ack after the answer, ip does not);
//! * the final state read with `ip -d -j` (links, addresses, routes of every table, rules of
//!   both families, neighbours) and `bridge -d -j` (fdb, link, vlan; for [`MCAST_CMDS`] also
//!   mdb, vni and the devices' `ip ntable`) is the same, ignoring
//!   what differs between any two namespaces (ifindex aside, MAC addresses and what derives
//!   from them, timers, lifetimes).
//!
//! Kinds this kernel lacks (dummy, vlan, bond, vrf, gre, ipip, sit, geneve, wireguard) are
//! refused by both with the same status: their requests are checked by bytes only. Flushes are
//! checked by state only (ip resends each dumped message; rtnl sends a keyword delete).
//!
//! Needs root and strace; otherwise it prints `skip: ...` and returns.

use std::process::Command;

use rtnl_core::testing::{TestNetns, skip_unless_root};
use serde_json::Value as J;

/// The commands, in order. A `#` marks those compared by state and status only.
const CMDS: &[&str] = &[
    "link add v0 type veth peer name v1",
    "link add v0 type veth peer name v1",
    "link add v2 type veth peer v3",
    "link set v0 up",
    "link set dev v1 up",
    "link set v0 mtu 1400",
    "link set v0 mtu 99999",
    "link set v0 mtu abc",
    "link set nosuch up",
    "link set v2 address 02:00:00:00:00:02",
    "link set v2 address zz",
    "link set v2 txqueuelen 500",
    "link set v2 alias hello",
    "link set v3 name v3x",
    "link set dev v3x name v3",
    "link set v2 arp off",
    "link set v2 multicast off",
    "link set v2 promisc on",
    "link set v2 allmulticast on",
    "link set v1 group 5",
    "link set v3 up down",
    "link add br0 type bridge",
    "link add br1 type bridge stp_state 1 forward_delay 400 hello_time 300 max_age 2500 priority 100 ageing_time 12000",
    "link set br0 type bridge vlan_filtering 0 mcast_snooping 0 group_fwd_mask 0x8",
    "link set v2 master br0",
    "link set v3 master br1",
    "link set v2 type bridge_slave cost 9 priority 5 learning off flood off",
    "link set v2 type bridge_slave guard on hairpin on",
    "link set v3 nomaster",
    "link add vx0 type vxlan id 42 dstport 4789 dev v0",
    "link add vx1 type vxlan id 43 group 239.1.1.1 dev v0 ttl 5 nolearning",
    "link add vx2 type vxlan vni 44 local 10.0.0.1 remote 10.0.0.9 dstport 8472 ageing 100 maxaddress 50",
    "link add mv0 link v0 type macvlan mode bridge",
    "link add mvt0 link v0 type macvtap mode vepa",
    "link add ifb0 type ifb",
    "link add d0 type dummy",
    "link add vl0 link v0 type vlan id 5",
    "link add b0 type bond mode 802.3ad miimon 100",
    "link add vr0 type vrf table 10",
    "link add g0 type gre remote 10.0.0.2 local 10.0.0.1 ttl 64",
    "link add g1 type gretap key 5 remote 10.0.0.2",
    "link add i0 type ipip remote 10.0.0.2",
    "link add s0 type sit remote 1.2.3.4",
    "link add ge0 type geneve id 5 remote 10.0.0.9",
    "link add w0 type wireguard",
    "link add x0 type nosuchkind",
    "link add b1 type bond mode active-backup miimon 50 updelay 100 downdelay 100 xmit_hash_policy layer3+4 lacp_rate fast min_links 1",
    "link add b2 type bond mode balance-alb arp_interval 100 arp_validate all primary_reselect better fail_over_mac active ad_select count",
    "link add mv1 link v0 type macvlan mode private nopromisc",
    "link add mv2 link v0 type macvlan mode passthru nopromisc",
    "link add vl1 link v0 type vlan protocol 802.1ad id 100",
    "link add ipv0 link v0 type ipvlan mode l3 private",
    "link add vti0 type vti remote 10.0.0.2 local 10.0.0.1 ikey 5 okey 6",
    "link add xf0 type xfrm dev v0 if_id 7",
    "link add vx5 type vxlan id 50 external gbp dstport 4790",
    "link add vx5 type vxlan external gbp dstport 4790",
    "link add vx7 type vxlan dstport 4789",
    "link add vx8 type vxlan id 8 group 239.1.1.8 dstport 4789",
    "link add vx6 type vxlan id 51 local 10.0.0.1 nolearning noproxy l2miss l3miss udpcsum dstport 4789",
    "link add ge1 type geneve id 9 remote 10.0.0.9 dstport 6081 ttl 9 tos 4",
    "link add br5 type bridge mcast_snooping 1 mcast_querier 1 mcast_hash_max 1024 mcast_last_member_count 3 mcast_query_interval 12000 nf_call_iptables 1 vlan_default_pvid 5",
    "link add g5 type gre remote 10.0.0.2 key 9 nopmtudisc",
    "link add g6 type erspan remote 10.0.0.2 local 10.0.0.1",
    "link add g7 type erspan remote 10.0.0.2 erspan_ver 2",
    "link add vti1 type vti remote 10.0.0.2",
    "link add vti2 type vti6 remote 2001:db8::1",
    "link add i5 type ipip remote 10.0.0.2 local 10.0.0.1 dev v0 ttl 10 tos 1",
    "link add br6 type bridge vlan_protocol 802.1ad group_address 01:80:c2:00:00:0e",
    "link set v1 type bond_slave queue_id 1",
    "link set v2 type bridge_slave state 3 mcast_flood off bcast_flood off neigh_suppress on isolated on",
    "link add v9 numtxqueues 4 numrxqueues 4 type veth peer name v10 mtu 1400",
    "link add v11 address 02:00:00:00:00:11 type veth peer name v12 address 02:00:00:00:00:12",
    "link add v13 txqueuelen 100 mtu 1300 type veth",
    "link set v13 state dormant mode dormant",
    "link set v13 addrgenmode none",
    "link add nameless",
    "link property add dev v0 altname vzero",
    "link property add dev v0 altname vzero",
    "link property del dev v0 altname vzero",
    "link del ifb0",
    "link del nosuch",
    "link delete dev mvt0",
    "link foo",
    "link set",
    "l s v1 mtu 1300",
    "addr add 10.0.0.1/24 dev v0",
    "addr add 10.0.0.1/24 dev v0",
    "address add 10.0.0.2/24 dev v0 label v0:1",
    "a add 10.0.0.300/24 dev v0",
    "addr add 10.0.1.1/24 brd + dev v0",
    "addr add 10.0.2.1 peer 10.0.2.2/32 dev v0",
    "addr add 2001:db8::1/64 dev v0 nodad",
    "addr add 2001:db8:1::1/64 dev v0 noprefixroute nodad",
    "addr add 10.0.3.1/24 dev v0 valid_lft 1000 preferred_lft 500",
    "addr add 10.0.4.1/24 dev v0 scope link",
    "addr add 10.0.5.1/24 dev v0 metric 50",
    "addr replace 10.0.0.1/24 dev v0",
    "addr del 10.0.0.2/24 dev v0",
    "addr del 10.9.9.9/24 dev v0",
    "addr add 10.0.6.1/24 dev nosuch",
    "addr add 10.0.7.1/24",
    "addr add 10.0.8.1/24 dev v1",
    "addr add 10.0.9.1/24 dev v1",
    "# addr flush dev v1",
    "route add 10.1.0.0/24 dev v0",
    "route add 10.1.0.0/24 dev v0",
    "route add 10.2.0.0/24 via 10.0.0.9",
    "route add 10.3.0.0/24 via 10.0.0.9 metric 10 proto static",
    "route add 10.4.0.0/24 via 10.0.0.9 table 100",
    "route add 10.5.0.0/24 dev v0 table 1000",
    "route add blackhole 10.6.0.0/24",
    "route add unreachable 10.7.0.0/24 table 100",
    "route add prohibit 10.8.0.0/24",
    "route add 10.9.0.0/24 via 192.168.99.1",
    "route add 10.10.0.0/24 via 192.168.99.1 dev v0 onlink",
    "route add 10.11.0.0/24 dev v0 src 10.0.0.1 mtu 1300 advmss 1200",
    "route add 10.12.0.0/24 dev v0 mtu lock 1300 window 65535 initcwnd 10",
    "route add 10.13.0.0/24 nexthop via 10.0.0.9 weight 2 nexthop via 10.0.1.9 weight 3",
    "route add 2001:db8:5::/64 via 2001:db8::9 pref high",
    "route add 2001:db8:6::/64 dev v0 metric 100",
    "route replace 10.2.0.0/24 via 10.0.0.8",
    "route change 10.3.0.0/24 via 10.0.0.7 metric 10 proto static",
    "route append 10.14.0.0/24 via 10.0.0.9",
    "route prepend 10.21.0.0/24 via 10.0.0.9",
    "route prepend 10.21.0.0/24 via 10.0.0.8",
    "route append 10.14.0.0/24 via 10.0.0.8",
    "route del 10.14.0.0/24 via 10.0.0.8",
    "route del 10.99.0.0/24",
    "route add 10.300.0.0/24 dev v0",
    "route add 10.15.0.0/24 dev nosuch",
    "r a 10.17.0.0/24 dev v0",
    "route add 10.18.0.0/24 encap mpls 100 dev v0",
    "route add 10.22.0.0/16 encap ip id 5 dst 10.0.0.9 ttl 3 tos 4 key csum dev v0",
    "route add 10.23.0.0/16 encap ip dst 10.0.0.9 id 7 src 10.0.0.1 dev v0",
    "route add 2001:db8:19::/64 encap ip6 id 5 dst 2001:db8:1::1 hoplimit 3 tc 4 seq dev v0",
    "route add 10.24.0.0/16 encap mpls 100/200 ttl 5 dev v0",
    "route add 10.25.0.0/24 nexthop via 10.0.0.9 encap mpls 300 nexthop via 10.0.1.9 encap ip id 3 dst 10.0.0.5",
    "route add 2001:db8:20::/64 encap seg6 mode encap segs 2001:db8::1,2001:db8::2 dev v0",
    "route add 2001:db8:21::/64 encap seg6 mode inline segs 2001:db8::1 hmac 7 dev v0",
    "route add 2001:db8:22::/64 encap seg6local action End.DT6 table 100 dev v0",
    "route add 2001:db8:23::/64 encap seg6local action End.X nh6 2001:db8::5 dev v0",
    "route add 10.26.0.0/16 encap ip id x dst 10.0.0.9 dev v0",
    "route add 10.26.0.0/16 encap foo 5 dev v0",
    "route add 10.26.0.0/16 encap ip id 5 dst 10.0.0.300 dev v0",
    "route add default via 10.0.0.254",
    "route add 10.19.0.0/24 dev v0 table 200",
    "# route flush table 200",
    "route apend 10.20.0.0/24 dev v0",
    "route get 10.2.0.5",
    "route get 10.4.0.5",
    "route get 10.0.0.5 from 10.0.0.1",
    "route get 10.0.0.5 mark 5 oif v0",
    "route get 10.0.0.1",
    "route get fibmatch 10.4.0.5",
    "route get fibmatch 10.1.0.7",
    "route get to 10.13.0.1 uid 7 ipproto tcp sport 5 dport 80",
    "route get 10.0.0.5/24",
    "route get 2001:db8:5::1",
    "-6 route get 2001:db8::5 oif v0",
    "-j route get 10.2.0.5",
    "route get 10.0.0.5 iif v0",
    "route get 10.0.0.300",
    "route get",
    "route get 10.0.0.5 table 100",
    "route get 10.0.0.5 oif nosuch",
    "route get 10.0.0.5 mark x",
    "r g 10.3.0.9",
    "rule add from 10.0.0.0/8 table 100",
    "rule add to 192.168.0.0/16 lookup main pref 200",
    "rule add fwmark 0x10/0xff table 101 pref 300",
    "rule add iif v0 table 102 pref 400",
    "rule add blackhole pref 500",
    "rule add from 10.1.0.0/16 prohibit pref 600",
    "rule add not from 10.2.0.0/16 table 103 pref 700",
    "rule add pref 800 table 104 oif v1",
    "rule add tos 0x10 table 105 pref 900",
    "rule add from 2001:db8::/32 table 106 pref 1000",
    "-6 rule add from 2001:db8::/32 table 106 pref 1000",
    "-6 route add 2001:db8:7::/64 dev v0",
    "rule del pref 500",
    "rule del pref 12345",
    "rule add from 10.0.0.300/8 table 1",
    "ru add from 10.3.0.0/16 table 107 pref 1100",
    "neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev v0",
    "neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev v0",
    "neigh add 10.0.0.10 lladdr 02:00:00:00:00:0a dev v0 nud reachable router",
    "neigh add 10.0.0.11 lladdr 02:00:00:00:00:0b dev v0 nud stale",
    "neigh add 10.0.0.12 lladdr 02:00:00:00:00:0c dev v0 nud noarp",
    "neigh add 10.0.0.13 dev v0 lladdr 02:00:00:00:00:0d protocol static",
    "neigh add 10.0.0.14 dev v0 lladdr 02:00:00:00:00:0e extern_learn",
    "neigh add 10.0.0.15 dev v0 managed",
    "neigh add 10.0.0.16 dev v0 use",
    "neigh add 10.0.0.17 dev v0 lladdr null",
    "neigh add to 10.0.0.18 dev v1 lladdr 2:0:0:0:0:12 nud 0x2",
    "neigh add 2001:db8::9 lladdr 02:00:00:00:00:19 dev v0 nud permanent",
    "-6 neigh add 2001:db8::a lladdr 02:00:00:00:00:1a dev v0",
    "-6 neigh add 10.0.0.20 dev v0",
    "neigh add proxy 10.0.0.50 dev v0",
    "neigh add proxy 2001:db8::50 dev v0",
    "neigh replace 10.0.0.9 lladdr 02:00:00:00:00:99 dev v0",
    "neigh replace 10.0.0.21 lladdr 02:00:00:00:00:21 dev v0 nud perm",
    "neigh change 10.0.0.11 lladdr 02:00:00:00:00:bb dev v0 nud reachable",
    "neigh change 10.0.0.22 lladdr 02:00:00:00:00:22 dev v0",
    "neigh chg 10.0.0.12 dev v0 lladdr 02:00:00:00:00:cc nud noarp",
    "neigh del 10.0.0.13 dev v0",
    "neigh del 10.0.0.99 dev v0",
    "neigh delete proxy 2001:db8::50 dev v0",
    "neigh add 10.0.0.23 dev nosuch",
    "neigh add 10.0.0.24",
    "neigh add 10.0.0.25 lladdr zz dev v0",
    "neigh add 10.0.0.26 dev v0 nud bogus",
    "neigh add 10.0.0.300 dev v0",
    "neigh add 10.0.0.27 to 10.0.0.28 dev v0",
    "neigh add 10.0.0.29 dev v0 lladdr 02:00:00:00:00:29 lladdr 02:00:00:00:00:30",
    "neigh add 10.0.0.31 dev v0 protocol bogus",
    "neigh get 10.0.0.9 dev v0",
    "neigh get 10.0.0.98 dev v0",
    "neigh get proxy 10.0.0.50 dev v0",
    "neigh get 10.0.0.9",
    "neigh get 10.0.0.9 dev nosuch",
    "# neigh flush dev v1",
    "# neigh flush 10.0.0.10/31",
    "# neigh flush dev v0 nud noarp",
    "neigh flush",
    "neigh flush dev nosuch",
    "neigh frob",
    "n a 10.0.0.32 dev v0 lladdr 02:00:00:00:00:32",
    // Resolving entries change state on the kernel's timers: not compared at the end.
    "neigh del 10.0.0.15 dev v0",
    "neigh del 10.0.0.16 dev v0",
    "# route flush dev v0",
    "# -6 route flush table main",
    "# addr flush dev v0 scope link",
    "# rule flush",
    "# -6 rule flush",
    "link help",
    "foo bar",
];

/// What [`BRIDGE_TC_CMDS`] runs on, made with ip in both namespaces.
const BRIDGE_TC_SETUP: &[&str] = &[
    "link add v0 type veth peer name v1",
    "link set v0 up",
    "link set v1 up",
    "link add v2 type veth peer v3",
    "link add br0 type bridge",
    "link set v2 master br0",
    "link add vx0 type vxlan id 42 dstport 4789 dev v0",
    "addr add 10.0.0.1/24 dev v0",
];

/// bridge's and tc's commands, against `rtnl` (compared as [`CMDS`]).
const BRIDGE_TC_CMDS: &[&str] = &[
    "bridge fdb add 02:00:00:00:01:01 dev v2",
    "bridge fdb add 02:00:00:00:01:01 dev v2",
    "bridge fdb add 02:00:00:00:01:02 dev v2 master",
    "bridge fdb add 02:00:00:00:01:03 dev v2 master static",
    "bridge fdb add 02:00:00:00:01:04 dev v2 master dynamic",
    "bridge fdb add 02:00:00:00:01:05 dev v2 master permanent sticky",
    "bridge fdb add 02:00:00:00:01:06 dev v2 master vlan 5",
    "bridge fdb add 02:00:00:00:01:07 dev v2 self local",
    "bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.9",
    "bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.10 port 4790 vni 42",
    "bridge fdb add 02:00:00:00:01:08 dev vx0 dst 10.0.0.11 self permanent src_vni 7",
    "bridge fdb replace 02:00:00:00:01:02 dev v2 master static",
    "bridge fdb replace 02:00:00:00:01:09 dev v2 master",
    "bridge fdb del 02:00:00:00:01:01 dev v2",
    "bridge fdb delete 02:00:00:00:01:01 dev v2",
    "bridge fdb del 02:00:00:00:01:09 dev v2 master",
    "bridge fdb add 02:00:00:00:01:0a dev nosuch",
    "bridge fdb add zz dev v2",
    "bridge fdb add 02:00:00:00:01:0b",
    "bridge fdb add 02:00:00:00:01:0c dev v2 vlan 5 vlan 6",
    "bridge fdb add 02:00:00:00:01:0d dev v2 port x",
    "bridge fdb add 02:00:00:00:01:0e dev vx0 vni 99999999",
    "bridge fdb add 02:00:00:00:01:0f dev vx0 dst 10.0.0.300",
    "bridge fdb add 02:00:00:00:01:10 dev v2 bogus",
    "bridge fdb frob",
    "bridge fdb a 02:00:00:00:01:11 dev v2 m",
    "bridge vlan add dev v2 vid 5",
    "bridge vlan add dev v2 vid 10-20 untagged master",
    "bridge vlan add dev br0 vid 7 pvid untagged self",
    "bridge vlan add dev v2 vid 10-20 pvid",
    "bridge vlan add dev v2 vid 20-10",
    "bridge vlan add dev v2 vid 5000",
    "bridge vlan add dev nosuch vid 5",
    "bridge vlan add dev v2",
    "bridge vlan del dev v2 vid 5 master",
    "bridge vlan delete dev v2 vid 30-40",
    "bridge vlan frob",
    "bridge vlan set dev v2 vid 5 state 3",
    "bridge vlan set dev v2 vid 5-7 state forwarding mcast_router 2",
    "bridge vlan set dev v2 vid 8 mcast_router 1 state blocking",
    "bridge vlan set dev v2 vid 5 state bogus",
    "bridge vlan set dev v2 vid 5 mcast_router x",
    "bridge vlan set dev v2 vid 9-8 state 3",
    "bridge vlan set dev v2",
    "bridge vlan set dev nosuch vid 5",
    "bridge link set dev v2 cost 5 priority 3 learning off flood off",
    "bridge link set dev v2 hairpin on guard on fastleave on root_block off",
    "bridge link set dev v2 mcast_flood off bcast_flood off mcast_to_unicast on",
    "bridge link set dev v2 neigh_suppress on isolated on vlan_tunnel off",
    "bridge link set dev v2 learning_sync off",
    "bridge link set dev v2 state 3",
    "bridge link set dev v2 state blocking",
    "bridge link set dev v2 backup_port v0",
    "bridge link set dev v2 nobackup_port",
    "bridge link set dev v2 cost x priority 7",
    "bridge link set dev v2 hwmode vepa",
    "bridge link set dev v2 self learning on",
    "bridge link set dev v2 master flood on",
    "bridge link set dev v2 learning maybe",
    "bridge link set dev v2 state bogus",
    "bridge link set dev v2 hwmode foo",
    "bridge link set dev v2 backup_port nosuch",
    "bridge link set dev v2 bogus",
    "bridge link set cost 5",
    "bridge link set dev nosuch cost 5",
    "bridge link frob",
    "bridge link change dev v2 cost 11",
    "tc qdisc add dev v0 root handle 1: htb default 20",
    "tc qdisc add dev v0 root handle 1: htb default 20",
    "tc class add dev v0 parent 1: classid 1:10 htb rate 5mbit ceil 10mbit",
    "tc class add dev v0 parent 1: classid 1:20 htb rate 1mbit burst 15k prio 2",
    "tc class add dev v0 parent 1:10 classid 1:11 htb rate 1mbit ceil 5mbit cburst 3k quantum 1500",
    "tc class add dev v0 parent 1: classid 1:30 htb",
    "tc class add dev v0 parent 1: classid 1:40 htb rate abc",
    "tc class add dev v0 parent 1: classid 1:50 htb rate 1mbit bogus 5",
    "tc filter add dev v0 parent 1: protocol ip prio 1 u32 match ip dst 10.0.0.0/24 flowid 1:10",
    "tc filter add dev v0 parent 1: protocol ip prio 2 u32 match ip dport 80 0xffff match ip protocol 6 0xff flowid 1:20",
    "tc filter add dev v0 parent 1: protocol ip pref 3 u32 match ip src 192.168.0.0/16 classid 1:11",
    "tc qdisc add dev v0 parent 1:11 handle 10: pfifo limit 100",
    "tc qdisc add dev v0 parent 1:20 handle 20: bfifo limit 10kb",
    "tc qdisc add dev v1 root handle 5: tbf rate 1mbit burst 32kbit latency 400ms",
    "tc qdisc add dev v1 root handle 6: tbf rate 1mbit burst 32kbit latency 400ms",
    "tc qdisc replace dev v1 root handle 5: tbf rate 2mbit burst 64kbit limit 30000",
    "tc qdisc add dev v1 ingress",
    "tc qdisc del dev v1 ingress",
    "tc qdisc del dev v1 ingress",
    "tc qdisc add dev v1 clsact",
    "tc qdisc add dev v1 root handle 7: mqprio num_tc 3 map 0 0 0 1 1 1 2 2 queues 2@0 2@2 4@4 hw 0",
    "tc qdisc add dev v1 root handle 8: mqprio num_tc 2 map 0 1 queues 1@0 1@1 mode channel shaper bw_rlimit min_rate 1mbit 2mbit max_rate 5mbit 6mbit",
    "tc filter add dev v1 ingress protocol ip prio 10 u32 match ip dst 10.9.0.0/16 classid 1:1",
    "tc filter add dev v1 egress protocol all pref 11 u32 match u32 0 0",
    "tc class change dev v0 parent 1: classid 1:10 htb rate 6mbit ceil 10mbit",
    "tc class replace dev v0 parent 1: classid 1:10 htb rate 7mbit ceil 10mbit",
    "tc class replace dev v0 parent 1: classid 1:70 htb rate 1mbit",
    "tc qdisc change dev v0 root handle 1: htb default 30",
    "tc filter del dev v0 parent 1: prio 2",
    "tc qdisc change dev v0 parent 1:11 handle 10: pfifo limit 200",
    "tc qdisc add dev nosuch root pfifo",
    "tc qdisc add dev v0 root handle zz: htb",
    "tc qdisc add dev v0 parent zz htb",
    "tc class del dev v0 classid 1:20",
    "tc class del dev v0 classid 1:99",
    "tc qdisc frob",
    "tc qdisc add dev v1 parent 5: handle 7: pfifo_head_drop limit 40",
    "tc qdisc replace dev v1 root handle 5: tbf rate 1mbit buffer 10k limit 3000",
    "tc qdisc replace dev v1 root handle 5: tbf rate 1mbit maxburst 10k latency 50ms peakrate 2mbit mtu 1600",
    "tc qdisc add dev v0 parent 1:10 handle 11: htb r2q 5 direct_qlen 100",
    "tc class add dev v0 parent 1: classid 1:60 htb rate 1kbit ceil 2kbit mtu 9000 mpu 64 overhead 4 linklayer ethernet",
    "tc filter add dev v0 parent 1: protocol ip prio 5 u32 match ip tos 0x10 0xff match ip sport 22 0xffff classid 1:10",
    "tc filter add dev v0 parent 1: protocol ip prio 6 handle 5 fw classid 1:10",
    "tc filter add dev v0 parent 1: protocol ip prio 7 route to 5 classid 1:10",
    "tc filter add dev v0 parent 1: protocol ip prio 8 basic classid 1:10",
    "tc filter add dev v0 parent 1: protocol ip prio 9 matchall classid 1:10",
    "tc filter replace dev v0 parent 1: protocol ip prio 1 handle 800::800 u32 match ip dst 10.0.1.0/24 flowid 1:20",
    "tc filter change dev v0 parent 1: protocol ip prio 1 handle 800::800 u32 match ip dst 10.0.2.0/24 flowid 1:10",
    "tc filter add dev v0 parent 1: protocol ip prio 12 u32 divisor 256",
    "tc filter add dev v0 parent 1: protocol 802.1q prio 13 u32 match u16 0x0800 0xffff at 2 flowid 1:10",
    "tc filter add dev v0 parent 1: prio 14 protocol ip chain 0 u32 match ip dst 1.2.3.4 flowid 1:10",
    "tc filter add dev v0 parent 1: protocol ipv6 prio 15 u32 match ip6 dst 2001:db8::/32 flowid 1:10",
    "tc filter add dev v0 parent 1: protocol ipv6 prio 15 u32 match ip6 src 2001:db8:f::/45 match ip6 sport 1024 fc00 match ip6 priority 0x10 0xff classid 1:10",
    "tc filter add dev v0 parent 1: protocol ip prio 16 handle 2: u32 divisor 16",
    "tc filter add dev v0 parent 1: protocol ip prio 16 u32 match ip protocol 6 0xff offset at 0 mask 0f00 shift 6 eat hashkey mask 0x000000ff at 20 link 2:",
    "tc filter add dev v0 parent 1: protocol ip prio 16 u32 ht 2: sample ip src 10.0.0.21/32 divisor 16 match ip src 10.0.0.21/32 classid 1:10",
    "tc filter add dev v0 parent 1: protocol ip prio 17 u32 match ip protocol 6 0xff match tcp dst 80 0xffff match ip nofrag match ether src 02:00:00:00:00:01 flowid 1:20",
    "tc filter add dev v0 parent 1: protocol ip prio 1 handle 800::9 u32 order 9 match ip icmp_type 8 0xff match icmp code 0 ff flowid 1:10",
    "tc filter add dev v0 parent 1: protocol ip prio 19 u32 match ip6 dst 2001:db8::/130 flowid 1:10",
    "tc filter add dev v0 parent 1: protocol ip prio 19 u32 match ip bogus 1 2 flowid 1:10",
    "tc filter add dev v0 parent 1: protocol ip prio 19 u32 match ip src 10.0.0.1 colour 1",
    "tc filter add dev v0 parent 1: protocol ip prio 19 u32 match",
    "tc filter add dev v0 parent 1: protocol ip prio 19 u32 ht 2: sample ip src 10.0.0.5/32 divisor 16",
    "tc filter add dev v0 parent 1: protocol ip prio 19 u32 match ip src 10.0.0.1 police rate 1mbit burst 10k drop",
    "tc qdisc add dev v0 parent 1:60 handle 60: pfifo",
    "tc qdisc add dev v0 parent 1:60 handle 61: bfifo",
    "tc qdisc del dev v0 root",
];

/// What [`MCAST_CMDS`] runs on, made with ip in both namespaces: a bridge with IGMPv3/MLDv2
/// whose ports are up (temporary MDB entries need a forwarding port), a VXLAN device with a VNI
/// filter and one without.
const MCAST_SETUP: &[&str] = &[
    "link add br0 type bridge mcast_igmp_version 3 mcast_mld_version 2",
    "link add v0 type veth peer name v1",
    "link add v2 type veth peer name v3",
    "link set v0 master br0",
    "link set v2 master br0",
    "link set br0 up",
    "link set v0 up",
    "link set v1 up",
    "link add vx0 type vxlan external vnifilter dstport 4789",
    "link add vx1 type vxlan id 5 dstport 4790",
];

/// `ip ntable change`, bridge's `mdb add|del`, `vni add|delete`, `fdb get|flush` (issue 11):
/// their own refusals, the kernel's, and the state they leave (compared as [`CMDS`], plus
/// [`MCAST_READS`]). bridge 6.1 here ignores `mdb`'s `filter_mode`/`source_list`/`proto`
/// (newer bridge words): those are checked by [`mdb_upstream_words_reach_the_kernel`].
const MCAST_CMDS: &[&str] = &[
    "-4 ntable change name arp_cache dev v0 queue 7 base_reachable 20000",
    "ntable change name arp_cache dev v0 retrans 500 gc_stale 30000 delay_probe 3000 app_probes 1 ucast_probes 2 mcast_probes 4 anycast_delay 900 proxy_delay 700 proxy_queue 32 locktime 800",
    "-6 ntable change name ndisc_cache dev v1 queue 9 retrans 0x400",
    "ntable chg name arp_cache dev v1 queue 11",
    "ntable change name arp_cache thresh1 64 thresh2 128 thresh3 256",
    "ntable change name arp_cache gc_int 30000",
    "ntable change name nosuch dev v0 queue 3",
    "-6 ntable change name arp_cache dev v0 queue 3",
    "ntable change name arp_cache dev nosuch queue 3",
    "ntable change name arp_cache dev v0",
    "ntable change dev v0 queue 3",
    "ntable change name arp_cache family inet queue 3",
    "ntable change name arp_cache dev v0 queue x",
    "ntable change name arp_cache name arp_cache dev v0 queue 3",
    "ntable frob",
    "bridge mdb add dev br0 port v0 grp 239.1.1.1 permanent",
    "bridge mdb add dev br0 port v0 grp 239.1.1.1 permanent",
    "bridge mdb add dev br0 port v0 grp 239.1.1.2",
    "bridge mdb add dev br0 port v0 grp 239.1.1.3 src 10.0.0.1 permanent",
    "bridge mdb add dev br0 port v0 grp 239.1.1.4 permanent vid 5",
    "bridge mdb add dev br0 port v0 grp ff0e::1 permanent",
    "bridge mdb add dev br0 port v0 grp ff0e::2 src 2001:db8::1 permanent",
    "bridge mdb add dev br0 port v2 grp 01:00:5e:01:01:05 permanent",
    "bridge mdb add dev br0 port v0 grp 239.1.1.7 bogus permanent",
    "bridge mdb a dev br0 port v0 grp 239.1.1.8 temp",
    "bridge mdb del dev br0 port v0 grp 239.1.1.2",
    "bridge mdb delete dev br0 port v0 grp 239.1.1.3 src 10.0.0.1",
    "bridge mdb del dev br0 port v0 grp 239.9.9.9",
    "bridge mdb add dev br0 port v0 grp 239.1.1.9 src zz permanent",
    "bridge mdb add dev br0 port v0",
    "bridge mdb add dev br0 port nosuch grp 239.1.1.5",
    "bridge mdb add dev nosuch port v0 grp 239.1.1.5",
    "bridge mdb add dev br0 port v0 grp zz",
    "bridge mdb add dev v0 port v2 grp 239.1.1.6 permanent",
    "bridge mdb frob",
    "bridge vni add dev vx0 vni 100",
    "bridge vni add dev vx0 vni 100",
    "bridge vni add dev vx0 vni 200-210",
    "bridge vni add dev vx0 vni 300,310-312",
    "bridge vni add dev vx0 vni 400 group 239.1.1.1",
    "bridge vni add dev vx0 vni 401 remote 10.0.0.9",
    "bridge vni add dev vx0 vni 402 group 10.0.0.1",
    "bridge vni add dev vx0 vni 403 remote zz",
    "bridge vni add dev vx0 vni 0",
    "bridge vni add dev vx0 vni 500-490",
    "bridge vni add dev vx1 vni 5",
    "bridge vni add dev nosuch vni 5",
    "bridge vni add dev vx0",
    "bridge vni add dev vx0 vni 5 vni 6",
    "bridge vni delete dev vx0 vni 100",
    "bridge vni delete dev vx0 vni 310-312",
    "bridge vni del dev vx0 vni 300",
    "bridge vni frob",
    "bridge fdb add 02:00:00:00:01:01 dev v2 master static",
    "bridge fdb add 02:00:00:00:01:02 dev v2 master static vlan 5",
    "bridge fdb add 02:00:00:00:01:03 dev v2 master dynamic",
    "bridge fdb add 02:00:00:00:01:04 dev v2 master permanent",
    "bridge fdb add 02:00:00:00:01:05 dev v2 master sticky",
    "bridge fdb add 02:00:00:00:01:06 dev v0 master static",
    "bridge fdb get 02:00:00:00:01:01 br br0",
    "bridge fdb get 02:00:00:00:01:01 dev v2 master",
    "bridge -j fdb get 02:00:00:00:01:02 brport v2 vlan 5 master",
    "bridge fdb get to 02:00:00:00:01:04 br br0 dynamic",
    "bridge fdb get 02:00:00:00:01:03 br br0 dynamic",
    "bridge fdb g 2:0:0:0:1:3 br br0",
    "bridge fdb get 02:00:00:00:01:09 br br0",
    "bridge -j fdb get 02:00:00:00:01:09 br br0",
    "bridge fdb get 02:00:00:00:01:01",
    "bridge fdb get zz br br0",
    "bridge fdb get 02:00:00:00:01:01 br nosuch",
    "bridge fdb get 02:00:00:00:01:01 dev v2 vlan 1 vlan 2",
    "bridge fdb get 02:00:00:00:01:01 dev v2 vni 99999999",
    "bridge fdb flush dev br0 brport v2 dynamic",
    "bridge fdb flush dev br0 vlan 5 nopermanent",
    "bridge fdb flush dev br0 sticky noextern_learn nooffloaded",
    "bridge fdb flush dev v0 master static",
    "bridge fdb flush dev br0 vlan 5000",
    "bridge fdb flush dev nosuch",
    "bridge fdb flush vlan 5",
    "bridge fdb flush dev br0 brport nosuch",
    "bridge fdb flush dev br0 vlan 1 vlan 2",
    "bridge fdb flush dev v1 self",
    "bridge fdb flush dev v2 master nostatic nodynamic added_by_user",
    "bridge fdb flush dev v2 master permanent",
    "bridge mdb help",
    "bridge vni help",
    "ntable help",
];

/// What [`MCAST_CMDS`] leave, read besides [`state`]'s reads (with `-d -j`).
const MCAST_READS: &[(&str, &[&str])] = &[
    ("bridge", &["mdb", "show"]),
    ("bridge", &["vni", "show"]),
    ("ip", &["ntable", "show", "dev", "v0"]),
    ("ip", &["ntable", "show", "dev", "v1"]),
];

/// What [`ACTION_CHAIN_CMDS`] runs on, made with ip in both namespaces.
const ACTION_CHAIN_SETUP: &[&str] = &[
    "link add v0 type veth peer name v1",
    "link set v0 up",
    "link set v1 up",
];

/// tc's `actions` and `chain` commands against `rtnl actions` / `rtnl chain` (compared as
/// [`CMDS`]; what `get`, `actions ls` and `chain show` print too). gact and police are
/// modules this kernel lacks: both tools are refused alike, and their requests compared.
const ACTION_CHAIN_CMDS: &[&str] = &[
    "tc actions add action mirred egress redirect dev v1 index 3",
    "tc actions add action mirred egress redirect dev v1 index 3",
    "tc actions add action mirred egress mirror dev v1 index 4 cookie 0102aabb",
    "tc actions add action mirred ingress redirect dev v1 index 6 pipe",
    "tc action add action mirred egress mirror dev v1",
    "tc actions add action mirred ingress mirror dev v1 pass index 12",
    "tc actions add action mirred egress mirror index 13 dev v1 index 14",
    "tc actions add mirred egress mirror dev v1 index 10 action mirred ingress mirror dev v1 index 11",
    "tc actions replace action mirred egress mirror dev v1 index 3",
    "tc actions change action mirred egress redirect dev v1 index 3",
    "tc actions add action mirred egress redirect dev nosuch index 7",
    "tc actions add action mirred egress dev v1 index 7",
    // tc sends a mirred with only an index (the kernel refuses it); rtnl refuses it first.
    "# tc actions add action mirred index 7",
    "tc actions add",
    "tc actions add action gact drop index 5",
    "tc actions add action pass index 8",
    "tc actions add action gact goto chain 3 index 9",
    "tc actions add action police rate 1mbit burst 10k conform-exceed drop/pipe index 1",
    "tc actions add action foo",
    "tc actions add action mirred egress redirect dev v1 index 15 cookie zz",
    "tc actions add action gact drop random determ pass 10 index 16",
    "tc actions add action drop random netrand pipe 50",
    "tc actions add action gact jump 2 index 17",
    "tc actions add action police rate 1mbit burst 10k drop index 2",
    "tc actions add action gact bogus",
    "tc actions get action mirred index 3",
    "tc actions get action mirred index 99",
    "tc actions get action mirred",
    "tc actions get action gact index 5",
    "tc -s actions get action police index 1",
    "tc actions ls action mirred",
    "tc -j actions ls action mirred",
    "tc actions list action gact",
    "tc actions ls",
    "tc actions del action mirred index 4",
    "tc actions del action mirred index 4",
    "tc actions delete action mirred",
    "tc actions flush action gact",
    "tc actions frob",
    "tc qdisc add dev v0 clsact",
    "tc filter add dev v0 ingress protocol ip prio 1 u32 match ip src 10.0.0.0/8 action mirred egress redirect dev v1",
    "tc filter add dev v0 ingress protocol ip prio 2 u32 match ip dst 10.1.0.0/16 action mirred egress mirror dev v1 index 20 cookie 01 flowid 1:1",
    "tc filter add dev v0 ingress protocol ip prio 3 u32 match ip dst 10.2.0.0/16 action mirred egress bogus dev v1",
    "tc filter add dev v0 ingress protocol ip prio 4 flower dst_ip 10.3.0.0/16 ip_proto tcp dst_port 80 skip_hw action mirred egress redirect dev v1",
    "tc filter add dev v0 ingress protocol ip prio 5 u32 match ip dst 10.4.0.0/16 action drop",
    "tc filter add dev v0 egress protocol ip prio 6 u32 match ip dst 10.5.0.0/16 action mirred egress mirror dev v1 pipe action mirred egress redirect dev v1 flowid 1:5",
    "tc chain add dev v0 ingress chain 1",
    "tc chain add dev v0 ingress chain 1",
    "tc chain add dev v0 egress chain 2",
    "tc chain add dev v1 ingress chain 1",
    "tc chain add dev nosuch ingress chain 1",
    "tc chain add dev v0 ingress chain x",
    "tc chain add dev v0 ingress chain 3 u32",
    "tc chain add dev v0 ingress chain 4 protocol ip flower dst_mac 00:11:22:33:44:55",
    "tc chain add dev v0 ingress chain 5 protocol ip flower dst_ip 10.0.0.0/8 ip_proto tcp",
    "tc chain add dev v0 ingress chain 6 prio 3 protocol ipv6 u32",
    "tc chain add dev v0 ingress chain 8 bogus",
    "tc chain add dev v0 ingress chain 9 chain 10",
    "tc chain get dev v0 ingress chain 1",
    "tc chain get dev v0 ingress chain 9",
    "tc chain show dev v0 ingress",
    "tc -j chain show dev v0 egress",
    "tc chain del dev v0 ingress chain 1",
    "tc chain del dev v0 ingress chain 1",
    "tc chain frob",
    "tc actions flush action mirred",
];

/// What [`NEXTHOP_CMDS`] runs on, made with ip in both namespaces (a blackhole nexthop needs
/// `lo` up).
const NEXTHOP_SETUP: &[&str] = &[
    "link set lo up",
    "link add v0 type veth peer name v1",
    "link set v0 up",
    "link set v1 up",
    "addr add 10.0.0.1/24 dev v0",
    "addr add 2001:db8::1/64 dev v0 nodad",
];

/// `ip nexthop` writes, against `rtnl nexthop` (compared as [`CMDS`]).
const NEXTHOP_CMDS: &[&str] = &[
    "nexthop add id 1 via 10.0.0.2 dev v0",
    "nexthop add id 1 via 10.0.0.2 dev v0",
    "nexthop add id 2 via 10.0.0.3 dev v0 proto static",
    "nexthop add id 3 dev v0",
    "nexthop add id 4 blackhole",
    "nexthop add id 5 via 10.0.0.9 dev v0 onlink",
    "nexthop add id 6 via 2001:db8::2 dev v0",
    "nexthop add id 7 via inet6 2001:db8::3 dev v0",
    "nexthop add id 8 dev v0 via 2001:db8::4",
    "nexthop add id 8 via inet 10.0.0.8 dev v0 protocol 99",
    "nexthop add id 9 encap seg6 mode encap segs 2001:db8::5 via 10.0.0.2 dev v0",
    "nexthop add id 12 encap mpls 100/200 via 10.0.0.2 dev v0",
    "nexthop add id 13 via 10.0.0.7 fdb",
    "nexthop add id 10 group 1/2,3",
    "nexthop add id 11 group 1,2/2 type resilient buckets 8 idle_timer 10 unbalanced_timer 20",
    "nexthop add id 14 group 1/2 type mpath",
    "nexthop add id 15 group 13 fdb",
    "nexthop add id 16 group 1/5 type resilient",
    "nexthop add id 17 group 1/5 type resilient proto static",
    "nexthop add id 18 group 6/7",
    "nexthop replace id 1 via 10.0.0.4 dev v0",
    "nexthop replace id 20 via 10.0.0.5 dev v0",
    "nexthop replace id 10 group 1,4/2/5",
    "nexthop add id 21 group 1,0",
    "nexthop add id 21 group 1,257",
    "nexthop add id 21 group 1/x",
    "nexthop add id 21 type foo",
    "nexthop add id 21 dev nosuch",
    "nexthop add id 21 bogus",
    "nexthop add id 21 group 99",
    "nexthop add id 21 blackhole dev v0",
    "nexthop get id 10",
    "nexthop get id 11",
    "nexthop get id 99",
    "nexthop get",
    "nexthop get id 10 foo",
    "nexthop a id 30 blackhole",
    "nexthop r id 30 via 10.0.0.30 dev v0",
    "nex add id 31 blackhole",
    "-6 nexthop add id 32 blackhole",
    "nexthop d id 31",
    "nexthop del id 14",
    "nexthop del id 14",
    "nexthop delete id 2",
    "nexthop help",
    "nexthop foo",
    "# nexthop flush protocol 4",
    "# nexthop flush id 30",
];

/// The request types compared: RTM_NEW/DEL/SETLINK, ADDR, ROUTE (and GETROUTE), NEIGH (and
/// GETNEIGH), RULE, QDISC, TCLASS, TFILTER, ACTION (and GETACTION), CHAIN (and GETCHAIN),
/// NEWVLAN, NEW/DELLINKPROP, SETNEIGHTBL, NEW/DELMDB, NEW/DELTUNNEL, NEW/DEL/GETNEXTHOP.
const COMPARED: &[u16] = &[
    16, 17, 19, 20, 21, 24, 25, 26, 28, 29, 30, 32, 33, 36, 37, 40, 41, 44, 45, 48, 49, 50, 67, 84,
    85, 100, 101, 102, 104, 105, 106, 108, 109, 112, 120, 121,
];

/// Runs `prog -n NS WORDS...` under strace; returns the exit status, the write requests and
/// what it printed.
fn run(prog: &str, ns: &str, words: &str, trace: &std::path::Path) -> (i32, Vec<Vec<u8>>, String) {
    let out = Command::new("strace")
        .args([
            "-f",
            "-qq",
            "-e",
            "trace=sendmsg,sendto",
            "-e",
            "write=all",
            "-o",
        ])
        .arg(trace)
        .arg(prog)
        .arg("-n")
        .arg(ns)
        .args(words.split_whitespace())
        .stderr(std::process::Stdio::null())
        .output()
        .unwrap();
    let text = std::fs::read_to_string(trace).unwrap_or_default();
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.code().unwrap_or(-1), requests(&text), printed)
}

/// The netlink write requests in an strace `-e write=all` dump.
fn requests(text: &str) -> Vec<Vec<u8>> {
    let mut sends: Vec<Vec<u8>> = Vec::new();
    for line in text.lines() {
        if let Some(hex) = line.trim_start().strip_prefix("| ") {
            let Some(cur) = sends.last_mut() else {
                continue;
            };
            // " | 00000  28 00 ...  ascii |": offset, then up to 16 bytes.
            let body = hex.get(7..7 + 49).unwrap_or("");
            for b in body.split_whitespace() {
                if let Ok(v) = u8::from_str_radix(b, 16) {
                    cur.push(v);
                }
            }
        } else if line.contains("sendmsg(") || line.contains("sendto(") {
            sends.push(Vec::new());
        }
    }
    let mut out = Vec::new();
    for s in sends {
        let mut p = &s[..];
        while p.len() >= 16 {
            let len = u32::from_ne_bytes(p[0..4].try_into().unwrap()) as usize;
            if len < 16 || len > p.len() {
                break;
            }
            let ty = u16::from_ne_bytes([p[4], p[5]]);
            // ip's start-up probe (an empty RTM_NEWLINK) is not a write.
            let probe = ty == 16 && len == 32 && p[16..32].iter().all(|b| *b == 0);
            if !probe && COMPARED.contains(&ty) {
                out.push(canon(&p[..len]));
            }
            p = &p[(len + 3) & !3..];
        }
    }
    out
}

/// Attributes of a payload: (type without NLA_F_ flags, flags, payload).
fn attrs(mut p: &[u8]) -> Vec<(u16, u16, Vec<u8>)> {
    let mut v = Vec::new();
    while p.len() >= 4 {
        let len = u16::from_ne_bytes([p[0], p[1]]) as usize;
        let ty = u16::from_ne_bytes([p[2], p[3]]);
        if len < 4 || len > p.len() {
            break;
        }
        v.push((ty & 0x3fff, ty & 0xc000, p[4..len].to_vec()));
        p = &p[((len + 3) & !3).min(p.len())..];
    }
    v
}

fn emit(list: &[(u16, u16, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (t, f, p) in list {
        out.extend_from_slice(&((p.len() + 4) as u16).to_ne_bytes());
        out.extend_from_slice(&(t | f).to_ne_bytes());
        out.extend_from_slice(p);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    out
}

fn trim_nul(p: &mut Vec<u8>) {
    while p.last() == Some(&0) {
        p.pop();
    }
}

/// RTA_MULTIPATH's hops (struct rtnexthop + attributes each) with each hop's attributes
/// sorted (ip sends a hop's RTA_ENCAP before RTA_ENCAP_TYPE, rtnl-api after: the kernel reads
/// them by type) and RTA_ENCAP's padding zeroed.
fn canon_hops(mut p: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while p.len() >= 8 {
        let len = (u16::from_ne_bytes([p[0], p[1]]) as usize).clamp(8, p.len());
        let mut a = attrs(&p[8..len]);
        for x in a.iter_mut().filter(|x| x.0 == 22) {
            x.2 = emit(&attrs(&x.2));
        }
        a.sort();
        out.extend_from_slice(&p[..8]);
        out.extend_from_slice(&emit(&a));
        p = &p[((len + 3) & !3).min(p.len())..];
    }
    out
}

/// A request in the form both sides are compared in (see the module doc).
fn canon(m: &[u8]) -> Vec<u8> {
    let ty = u16::from_ne_bytes([m[4], m[5]]);
    let mut flags = u16::from_ne_bytes([m[6], m[7]]);
    if matches!(ty, 26 | 30 | 50 | 102 | 106) {
        // A lookup's NLM_F_ACK: rtnl-api asks for an ack after the answer, ip does not.
        flags &= !4;
    }
    let fixed = match ty {
        16 | 17 | 19 | 108 | 109 => 16,
        36..=46 | 100..=102 => 20,
        112 | 84 | 85 | 120 | 121 => 8,
        48..=50 | 67 => 4,
        20 | 21 | 104..=106 => 8,
        _ => 12,
    };
    let mut hdr = m[16..16 + fixed].to_vec();
    let mut a = attrs(&m[16 + fixed..]);
    match ty {
        20 | 21 => {
            // IFA_FLAGS (8) and the header's flags byte are one value to the kernel.
            if let Some(i) = a.iter().position(|x| x.0 == 8) {
                let v = u32::from_ne_bytes(a[i].2[..4].try_into().unwrap());
                a.remove(i);
                hdr[2] = 0;
                a.push((8, 0, v.to_ne_bytes().to_vec()));
            } else if hdr[2] != 0 {
                a.push((8, 0, (hdr[2] as u32).to_ne_bytes().to_vec()));
                hdr[2] = 0;
            }
        }
        24 | 25 | 32 | 33 => {
            // The table: header byte, or RTA_TABLE/FRA_TABLE (15) when given.
            let table = match a.iter().position(|x| x.0 == 15) {
                Some(i) => u32::from_ne_bytes(a.remove(i).2[..4].try_into().unwrap()),
                None => hdr[4] as u32,
            };
            hdr[4] = 0;
            if table != 0 {
                a.push((15, 0, table.to_ne_bytes().to_vec()));
            }
            if ty == 24 || ty == 25 {
                for x in a.iter_mut() {
                    match x.0 {
                        8 => {
                            let mut inner = attrs(&x.2);
                            inner.sort();
                            x.2 = emit(&inner);
                        }
                        9 => x.2 = canon_hops(&x.2),
                        // RTA_ENCAP: ip leaves its u8 attributes' padding uninitialised.
                        22 => x.2 = emit(&attrs(&x.2)),
                        _ => {}
                    }
                }
            }
        }
        104..=106 => {
            // NHA_ENCAP: ip leaves its u8 attributes' padding uninitialised (as RTA_ENCAP).
            for x in a.iter_mut().filter(|x| x.0 == 8) {
                x.2 = emit(&attrs(&x.2));
            }
        }
        _ => {
            for x in a.iter_mut() {
                match x.0 {
                    20 => trim_nul(&mut x.2),
                    18 => {
                        let mut li = attrs(&x.2);
                        for y in li.iter_mut() {
                            match y.0 {
                                1 => trim_nul(&mut y.2),
                                2 | 5 if !y.2.is_empty() => {
                                    let mut d = attrs(&y.2);
                                    d.sort();
                                    y.2 = emit(&d);
                                }
                                _ => {}
                            }
                        }
                        li.sort();
                        x.2 = emit(&li);
                    }
                    _ => {}
                }
            }
        }
    }
    a.sort();
    let mut out = Vec::new();
    out.extend_from_slice(&ty.to_ne_bytes());
    out.extend_from_slice(&flags.to_ne_bytes());
    out.extend_from_slice(&hdr);
    out.extend_from_slice(&emit(&a));
    out
}

fn ip_json(ns: &str, args: &[&str]) -> J {
    let out = Command::new("ip")
        .args(["-n", ns, "-d", "-j"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "ip {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    if text.trim().is_empty() {
        return J::Array(vec![]);
    }
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("ip {args:?}: {e}: {text}"))
}

/// Keys that differ between any two namespaces holding the same configuration.
const VOLATILE: &[&str] = &[
    "ifindex",
    "address",
    "broadcast",
    "permaddr",
    "bridge_id",
    "root_id",
    "designated_root",
    "designated_bridge",
    "hello_timer",
    "tcn_timer",
    "topology_change_timer",
    "gc_timer",
    "message_age_timer",
    "forward_delay_timer",
    "hold_timer",
    "valid_life_time",
    "preferred_life_time",
    "link_netnsid",
    "inet6_addr_gen_mode",
    // ntable: the randomized reachable time.
    "reachable",
];

fn scrub(v: &mut J) {
    match v {
        J::Object(m) => {
            m.retain(|k, _| !VOLATILE.contains(&k.as_str()));
            for x in m.values_mut() {
                scrub(x);
            }
        }
        J::Array(a) => {
            // Link-local IPv6 addresses and routes derive from the random MACs; the kernel
            // makes link-local multicast neighbours (ff02::) as its own timers go.
            a.retain(|x| {
                let s = |k: &str| x.get(k).and_then(J::as_str).unwrap_or("");
                !s("local").starts_with("fe80")
                    && !s("dst").starts_with("fe80:")
                    && !s("dst").starts_with("ff02::")
                    && !s("grp").starts_with("ff02:")
            });
            for x in a.iter_mut() {
                scrub(x);
            }
        }
        _ => {}
    }
}

fn state(ns: &str) -> Vec<(String, J)> {
    state_with(ns, &[])
}

/// [`state`] plus `extra` reads (tool and words, run with `-d -j`).
fn state_with(ns: &str, extra: &[(&str, &[&str])]) -> Vec<(String, J)> {
    let reads: &[&[&str]] = &[
        &["link", "show"],
        &["addr", "show"],
        &["route", "show", "table", "all"],
        &["-6", "route", "show", "table", "all"],
        &["rule", "show"],
        &["-6", "rule", "show"],
        &["neigh", "show", "nud", "all"],
        &["neigh", "show", "proxy"],
        &["nexthop", "show"],
    ];
    let bridge_reads: &[(&str, &[&str])] = &[
        ("bridge", &["fdb", "show"]),
        ("bridge", &["link", "show"]),
        ("bridge", &["vlan", "show"]),
        ("tc", &["qdisc", "show"]),
        ("tc", &["class", "show", "dev", "v0"]),
        ("tc", &["filter", "show", "dev", "v0", "parent", "1:"]),
        ("tc", &["filter", "show", "dev", "v1", "ingress"]),
        ("tc", &["filter", "show", "dev", "v1", "egress"]),
        ("tc", &["actions", "ls", "action", "mirred"]),
        ("tc", &["chain", "show", "dev", "v0", "ingress"]),
        ("tc", &["chain", "show", "dev", "v0", "egress"]),
    ];
    let bridge = bridge_reads.iter().chain(extra).map(|(tool, r)| {
        let out = Command::new(tool)
            .args(["-n", ns, "-d", "-j"])
            .args(r.iter())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        // tc 6.1's JSON for a u32 `offset` is not JSON ("    offset " as a bare key): such
        // output is compared as text.
        let mut j: J = match text.trim() {
            "" => J::Array(vec![]),
            t => serde_json::from_str(t).unwrap_or_else(|_| J::String(t.to_string())),
        };
        scrub(&mut j);
        // Entries come in hash order; learned and per-device local entries carry the
        // random MACs (only the configured 02:00:00:00:01:xx ones are compared).
        if let J::Array(a) = &mut j {
            if r[0] == "fdb" {
                a.retain(|x| {
                    x.get("mac").and_then(J::as_str).is_some_and(|m| {
                        m.starts_with("02:00:00:00:01:") || m == "00:00:00:00:00:00"
                    })
                });
            }
            a.sort_by_key(|x| x.to_string());
            // MDB entries come in hash order too.
            for x in a.iter_mut() {
                if let Some(J::Array(m)) = x.get_mut("mdb") {
                    m.sort_by_key(|e| e.to_string());
                }
            }
        }
        (format!("{tool} {}", r.join(" ")), j)
    });
    reads
        .iter()
        .map(|r| {
            let mut j = ip_json(ns, r);
            scrub(&mut j);
            // Neighbours come in hash order; the kernel's own IPv6 routes (fe80::/64, ff00::/8
            // per device) in the order the devices came up: both compared as sets.
            let unordered = r.contains(&"neigh") || r.contains(&"route");
            if let (true, J::Array(a)) = (unordered, &mut j) {
                a.sort_by_key(|x| x.to_string());
            }
            (r.join(" "), j)
        })
        .chain(bridge)
        .collect()
}

fn have_strace() -> bool {
    Command::new("strace")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs `cmds` with ip/bridge/tc in one fresh namespace and with rtnl in another (after
/// `setup`, made with ip in both) and compares them: status, request bytes, what `get`
/// printed, and the final state. Returns (requests compared by bytes, problems).
///
/// The final state is read with `extra` reads too.
fn compare_with(setup: &[&str], cmds: &[&str], extra: &[(&str, &[&str])]) -> (usize, Vec<String>) {
    let rtnl = env!("CARGO_BIN_EXE_rtnl");
    let a = TestNetns::new().unwrap();
    let b = TestNetns::new().unwrap();
    for ns in [a.name(), b.name()] {
        for c in setup {
            let st = Command::new("ip")
                .args(["-n", ns])
                .args(c.split_whitespace())
                .status()
                .unwrap();
            assert!(st.success(), "setup: ip {c}");
        }
    }
    let dir =
        std::env::temp_dir().join(format!("rtnl-writes-{}-{}", std::process::id(), cmds.len()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut problems = Vec::new();
    let mut compared_bytes = 0;
    for (i, line) in cmds.iter().enumerate() {
        let (bytes_too, words) = match line.strip_prefix("# ") {
            Some(w) => (false, w),
            None => (true, *line),
        };
        // `bridge OBJ ...` runs bridge against `rtnl OBJ ...` (bridge's `link` is `brlink`).
        let (tool, ours) = match (words.strip_prefix("bridge "), words.strip_prefix("tc ")) {
            (Some(w), _) => ("bridge", w.replacen("link ", "brlink ", 1)),
            (_, Some(w)) => ("tc", w.to_string()),
            _ => ("ip", words.to_string()),
        };
        let words = words.strip_prefix(tool).map_or(words, str::trim_start);
        let (st_ip, req_ip, out_ip) = run(tool, a.name(), words, &dir.join(format!("{i}.ip")));
        let (st_rt, req_rt, out_rt) = run(rtnl, b.name(), &ours, &dir.join(format!("{i}.rtnl")));
        // `get` (and tc's `actions ls`, `chain show`) prints its answer: the same text (or
        // JSON) as ip's.
        let prints =
            words.contains(" get") || words.contains("actions ls") || words.contains("chain show");
        if prints && out_ip != out_rt {
            problems.push(format!(
                "#{i} `{words}`: printed\n  ip:   {out_ip:?}\n  rtnl: {out_rt:?}"
            ));
        }
        if st_ip != st_rt {
            problems.push(format!(
                "#{i} `{words}`: exit status ip {st_ip}, rtnl {st_rt}"
            ));
        }
        if bytes_too && req_ip != req_rt {
            problems.push(format!(
                "#{i} `{words}`: requests differ\n  ip:   {:02x?}\n  rtnl: {:02x?}",
                req_ip, req_rt
            ));
        }
        compared_bytes += usize::from(bytes_too && !req_ip.is_empty());
    }
    let _ = std::fs::remove_dir_all(&dir);
    let (sa, sb) = (state_with(a.name(), extra), state_with(b.name(), extra));
    for ((what, ja), (_, jb)) in sa.into_iter().zip(sb) {
        if ja != jb {
            problems.push(format!(
                "state `ip {what}` differs:\n  ip:   {ja}\n  rtnl: {jb}"
            ));
        }
    }
    (compared_bytes, problems)
}

/// One table of commands against the peer's ([`compare_with`]): at least `least` requests
/// compared by bytes, and no problem. Skips (printed) without root or strace.
fn table(name: &str, setup: &[&str], cmds: &[&str], extra: &[(&str, &[&str])], least: usize) {
    if skip_unless_root(name) {
        return;
    }
    if !have_strace() {
        eprintln!("skip: {name}: needs strace");
        return;
    }
    let (compared_bytes, problems) = compare_with(setup, cmds, extra);
    eprintln!(
        "{name}: {} commands, {compared_bytes} compared by bytes",
        cmds.len()
    );
    assert!(
        compared_bytes >= least,
        "too few requests compared: {compared_bytes}"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn writes_match_ip() {
    assert!(CMDS.len() >= 80);
    table("writes_match_ip", &[], CMDS, &[], 60);
}

#[test]
fn bridge_and_tc_writes_match() {
    table(
        "bridge_and_tc_writes_match",
        BRIDGE_TC_SETUP,
        BRIDGE_TC_CMDS,
        &[],
        60,
    );
}

#[test]
fn ntable_mdb_vni_fdb_writes_match() {
    table(
        "ntable_mdb_vni_fdb_writes_match",
        MCAST_SETUP,
        MCAST_CMDS,
        MCAST_READS,
        50,
    );
}

#[test]
fn nexthop_writes_match_ip() {
    table(
        "nexthop_writes_match_ip",
        NEXTHOP_SETUP,
        NEXTHOP_CMDS,
        &[],
        30,
    );
}

#[test]
fn actions_and_chains_match_tc() {
    table(
        "actions_and_chains_match_tc",
        ACTION_CHAIN_SETUP,
        ACTION_CHAIN_CMDS,
        &[],
        25,
    );
}

/// `mdb add`'s words newer than this bridge (6.1 ignores them): `filter_mode`, `source_list`
/// and `proto` reach the kernel as upstream bridge sends them, and `bridge -d -j mdb show`
/// reads them back; their refusals are upstream bridge's.
#[test]
fn mdb_upstream_words_reach_the_kernel() {
    if skip_unless_root("mdb_upstream_words_reach_the_kernel") {
        return;
    }
    let rtnl = env!("CARGO_BIN_EXE_rtnl");
    let ns = TestNetns::new().unwrap();
    for c in MCAST_SETUP {
        let st = Command::new("ip")
            .args(["-n", ns.name()])
            .args(c.split_whitespace())
            .status()
            .unwrap();
        assert!(st.success(), "setup: ip {c}");
    }
    let run = |words: &str| {
        let out = Command::new(rtnl)
            .args(["-n", ns.name()])
            .args(words.split_whitespace())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
        (out.status.code().unwrap_or(-1), err)
    };
    let ok = [
        "mdb add dev br0 port v0 grp 239.1.1.1 permanent filter_mode include source_list 10.0.0.1,10.0.0.2 proto zebra",
        "mdb add dev br0 port v0 grp 239.1.1.2 permanent filter_mode exclude proto 250",
    ];
    for w in ok {
        assert_eq!(run(w), (0, String::new()), "{w}");
    }
    for (w, msg) in [
        (
            "mdb add dev br0 port v0 grp 239.1.1.3 permanent filter_mode maybe",
            "Invalid filter mode \"maybe\"",
        ),
        (
            "mdb add dev br0 port v0 grp 239.1.1.3 permanent filter_mode include source_list 10.0.0.1,zz",
            "Invalid source entry \"zz\" in source list",
        ),
        (
            "mdb add dev br0 port v0 grp 239.1.1.3 permanent proto nosuchproto",
            "Invalid protocol value \"nosuchproto\"",
        ),
    ] {
        assert_eq!(run(w), (255, msg.to_string()), "{w}");
    }
    let out = Command::new("bridge")
        .args(["-n", ns.name(), "-d", "-j", "mdb", "show"])
        .output()
        .unwrap();
    let j: J = serde_json::from_slice(&out.stdout).unwrap();
    let entries = j[0]["mdb"].as_array().cloned().unwrap_or_default();
    let find = |g: &str| {
        entries
            .iter()
            .find(|e| e["grp"] == g && e.get("src").is_none())
            .cloned()
            .unwrap_or_else(|| panic!("no entry {g}: {j}"))
    };
    let e1 = find("239.1.1.1");
    assert_eq!(
        (&e1["filter_mode"], &e1["protocol"]),
        (&J::from("include"), &J::from("zebra")),
        "{e1}"
    );
    let srcs: Vec<&str> = e1["source_list"]
        .as_array()
        .map(|l| l.iter().filter_map(|s| s["address"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(srcs.len(), 2, "{e1}");
    assert!(
        srcs.contains(&"10.0.0.1") && srcs.contains(&"10.0.0.2"),
        "{e1}"
    );
    let e2 = find("239.1.1.2");
    assert_eq!(e2["filter_mode"], "exclude", "{e2}");
    assert_eq!(e2["protocol"], "250", "{e2}");
}

#[test]
fn canon_sorts_and_folds() {
    // Same route, table in the header vs. in RTA_TABLE, attributes in another order.
    let mk = |table_hdr: u8, attrs: &[(u16, Vec<u8>)]| {
        let mut body = vec![2, 24, 0, 0, table_hdr, 3, 253, 1, 0, 0, 0, 0];
        body.extend(emit(
            &attrs
                .iter()
                .map(|(t, p)| (*t, 0, p.clone()))
                .collect::<Vec<_>>(),
        ));
        let mut m = ((16 + body.len()) as u32).to_ne_bytes().to_vec();
        m.extend_from_slice(&24u16.to_ne_bytes());
        m.extend_from_slice(&0x0605u16.to_ne_bytes());
        m.extend_from_slice(&[9; 8]);
        m.extend(body);
        canon(&m)
    };
    let dst = (1, vec![10, 1, 0, 0]);
    let oif = (4, 3u32.to_ne_bytes().to_vec());
    let t100 = (15, 100u32.to_ne_bytes().to_vec());
    assert_eq!(
        mk(100, &[dst.clone(), oif.clone()]),
        mk(254, &[oif.clone(), dst.clone(), t100])
    );
    assert_ne!(mk(100, &[dst.clone(), oif.clone()]), mk(101, &[dst, oif]));
}

/// A batch with comments, blank lines, quotes and failing lines.
const BATCH: &str = "# set-up\n\
link add v0 type veth peer name v1\n\
link set v0 up\n\
\n\
addr add 10.0.0.1/24 dev v0   # trailing comment\n\
route add 10.1.0.0/24 via 10.0.0.9\n\
route add 10.1.0.0/24 via 10.0.0.9\n\
route add 10.2.0.0/24 dev \"v0\" metric 7\n\
route add 10.3.0.0/24 dev v1\n\
rule add from 10.0.0.0/8 table 100 pref 100\n\
  addr add 10.0.1.1/24 dev v1\n\
link set v1 mtu 1300\n\
route add 10.4.0.0/24 dev v0\n\
route add 10.300.0.0/24 dev v0\n\
route add 10.5.0.0/24 dev v0\n";

/// Runs `prog [-force] -batch FILE` in `ns`: (status, the `Command failed` lines).
fn batch(prog: &str, ns: &str, force: bool, file: &std::path::Path) -> (i32, Vec<String>) {
    let mut c = Command::new(prog);
    c.args(["-n", ns]);
    if force {
        c.arg("-force");
    }
    let out = c.arg("-batch").arg(file).output().unwrap();
    let failed = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.starts_with("Command failed"))
        .map(str::to_string)
        .collect();
    (out.status.code().unwrap_or(-1), failed)
}

#[test]
fn batch_matches_ip() {
    if skip_unless_root("batch_matches_ip") {
        return;
    }
    let rtnl = env!("CARGO_BIN_EXE_rtnl");
    let file = std::env::temp_dir().join(format!("rtnl-batch-{}.txt", std::process::id()));
    std::fs::write(&file, BATCH).unwrap();
    for force in [true, false] {
        let (a, b) = (TestNetns::new().unwrap(), TestNetns::new().unwrap());
        let ip = batch("ip", a.name(), force, &file);
        let rt = batch(rtnl, b.name(), force, &file);
        assert_eq!(ip.0, 1, "ip -batch fails on the refused lines");
        assert_eq!(ip, rt, "force {force}: status and failed lines");
        let f = file.display();
        let want: Vec<String> = if force {
            // Line 14's bad prefix ends ip itself (exit(1)), -force or not.
            [7, 9]
                .iter()
                .map(|n| format!("Command failed {f}:{n}"))
                .collect()
        } else {
            vec![format!("Command failed {f}:7")]
        };
        assert_eq!(rt.1, want);
        // Without -force the lines pipelined after the refused one were applied too (see
        // write/batch.rs): the state is compared with -force only.
        if force {
            for ((what, ja), (_, jb)) in state(a.name()).into_iter().zip(state(b.name())) {
                assert_eq!(ja, jb, "force {force}: `ip {what}` differs");
            }
        }
    }
    let _ = std::fs::remove_file(&file);
}

/// tc's batch lines: actions and chains among qdiscs and filters, a refused line (3), a help
/// that is no failure (5).
const TC_BATCH: &str = "qdisc add dev v0 clsact\n\
actions add action mirred egress redirect dev v1 index 3\n\
actions add action mirred egress redirect dev v1 index 3\n\
chain add dev v0 ingress chain 2\n\
chain help\n\
filter add dev v0 ingress protocol ip prio 1 u32 match ip dst 10.0.0.0/8 action mirred egress mirror dev v1\n\
actions ls action mirred\n";

#[test]
fn tc_batch_matches_tc() {
    if skip_unless_root("tc_batch_matches_tc") {
        return;
    }
    let rtnl = env!("CARGO_BIN_EXE_rtnl");
    let file = std::env::temp_dir().join(format!("rtnl-tc-batch-{}.txt", std::process::id()));
    std::fs::write(&file, TC_BATCH).unwrap();
    for force in [true, false] {
        let (a, b) = (TestNetns::new().unwrap(), TestNetns::new().unwrap());
        for ns in [a.name(), b.name()] {
            for c in ACTION_CHAIN_SETUP {
                let st = Command::new("ip")
                    .args(["-n", ns])
                    .args(c.split_whitespace())
                    .status()
                    .unwrap();
                assert!(st.success(), "setup: ip {c}");
            }
        }
        let tc = batch("tc", a.name(), force, &file);
        let rt = batch(rtnl, b.name(), force, &file);
        assert_eq!(tc.0, 1, "tc -batch fails on the refused line");
        assert_eq!(tc, rt, "force {force}: status and failed lines");
        assert_eq!(rt.1, vec![format!("Command failed {}:3", file.display())]);
        for ((what, ja), (_, jb)) in state(a.name()).into_iter().zip(state(b.name())) {
            assert_eq!(ja, jb, "force {force}: `{what}` differs");
        }
    }
    let _ = std::fs::remove_file(&file);
}

/// `nexthop` lines in a batch: pipelined by rtnl (`IPBatch::nexthop`), refusals reported by
/// line as ip reports them (8: exists, 10: no nexthop 99, 12: a group member cannot become a
/// blackhole).
const NEXTHOP_BATCH: &str = "link set lo up\n\
link add v0 type veth peer name v1\n\
link set v0 up\n\
link set v1 up\n\
addr add 10.0.0.1/24 dev v0\n\
nexthop add id 1 via 10.0.0.2 dev v0\n\
nexthop add id 2 via 10.0.0.3 dev v0\n\
nexthop add id 1 via 10.0.0.2 dev v0\n\
nexthop add id 10 group 1/2,3\n\
nexthop add id 11 group 1/99\n\
nexthop add id 12 group 1,2/2 type resilient buckets 4\n\
nexthop replace id 2 blackhole\n\
nexthop del id 12\n";

#[test]
fn nexthop_batch_matches_ip() {
    if skip_unless_root("nexthop_batch_matches_ip") {
        return;
    }
    let rtnl = env!("CARGO_BIN_EXE_rtnl");
    let file = std::env::temp_dir().join(format!("rtnl-nh-batch-{}.txt", std::process::id()));
    std::fs::write(&file, NEXTHOP_BATCH).unwrap();
    let (a, b) = (TestNetns::new().unwrap(), TestNetns::new().unwrap());
    let ip = batch("ip", a.name(), true, &file);
    let rt = batch(rtnl, b.name(), true, &file);
    let f = file.display();
    let want: Vec<String> = [8, 10, 12]
        .iter()
        .map(|n| format!("Command failed {f}:{n}"))
        .collect();
    assert_eq!(ip, (1, want), "ip -force -batch");
    assert_eq!(rt, ip, "status and failed lines");
    // The nexthops (the IPv6 multicast routes of the two veth ends come in link-up order,
    // which a pipelined batch does not keep).
    let nexthops = |ns: &str| {
        state(ns)
            .into_iter()
            .find(|(what, _)| what == "nexthop show")
            .unwrap()
            .1
    };
    let (ja, jb) = (nexthops(a.name()), nexthops(b.name()));
    assert_eq!(ja.as_array().map(Vec::len), Some(3), "{ja}");
    assert_eq!(ja, jb);
    let _ = std::fs::remove_file(&file);
}

/// Runs the rtnl binary (no namespace, nothing written): (status, stderr).
fn rtnl_says(words: &str) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_rtnl"))
        .args(words.split_whitespace())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn help_and_typos_as_ip_with_a_hint() {
    for (obj, first) in [
        ("link", "Usage: rtnl link add"),
        ("address", "Usage: rtnl address"),
        ("route", "Usage: rtnl route"),
        ("rule", "Usage: rtnl rule"),
        ("neigh", "Usage: rtnl neigh"),
        ("fdb", "Usage: rtnl fdb"),
        ("vlan", "Usage: rtnl vlan"),
        ("brlink", "Usage: rtnl brlink set"),
        ("mdb", "Usage: rtnl mdb"),
        ("vni", "Usage: rtnl vni"),
        ("ntable", "Usage: rtnl ntable change"),
        ("qdisc", "Usage: rtnl qdisc"),
        ("filter", "Usage: rtnl qdisc"),
        ("actions", "Usage: rtnl actions"),
        ("action", "Usage: rtnl actions"),
    ] {
        let (st, err) = rtnl_says(&format!("{obj} help"));
        assert_eq!(st, 255, "{obj} help exits as ip's usage()");
        assert!(err.starts_with(first), "{obj}: {err}");
    }
    // tc's chain_usage() returns 0.
    let (st, err) = rtnl_says("chain help");
    assert_eq!(st, 0, "chain help exits as tc's: {err}");
    assert!(err.starts_with("Usage: rtnl chain"), "{err}");
    let (st, err) = rtnl_says("actions frob");
    assert_eq!(st, 255);
    assert!(err.contains("try \"tc actions help\""), "{err}");
    let (st, err) = rtnl_says("route apend 10.0.0.0/24 dev lo");
    assert_eq!(st, 255);
    assert!(err.contains("did you mean \"append\"?"), "{err}");
    let (st, err) = rtnl_says("help");
    assert_eq!(st, 255, "ip help exits 255");
    assert!(err.contains("Usage: rtnl"), "{err}");
    let (st, err) = rtnl_says("roue show");
    assert_eq!(st, 1);
    assert!(
        err.contains("Object \"roue\" is unknown") && err.contains("\"route\"?"),
        "{err}"
    );
}

/// The same links, addresses and routes in a fresh namespace (set up with ip).
fn routes_setup(ns: &str, with_routes: bool) {
    let mut cmds = vec![
        "link add v0 type veth peer name v1",
        "link set v0 up",
        "link set v1 up",
        "addr add 10.0.0.1/24 dev v0",
        "addr add 2001:db8::1/64 dev v0 nodad",
    ];
    if with_routes {
        cmds.extend([
            "route add 10.1.0.0/24 via 10.0.0.9",
            "route add 10.2.0.0/24 dev v0 metric 7 proto static",
            "route add 10.3.0.0/24 via 10.0.0.9 table 100",
            "route add blackhole 10.4.0.0/24",
            "route add 2001:db8:1::/64 via 2001:db8::9",
        ]);
    }
    for c in cmds {
        let st = Command::new("ip")
            .args(["-n", ns])
            .args(c.split_whitespace())
            .status()
            .unwrap();
        assert!(st.success(), "ip {c}");
    }
}

/// Runs `prog -n NS WORDS`, stdin from `input` (a file: ip route restore wants it seekable):
/// (status, stdout).
fn run_io(prog: &str, ns: &str, words: &str, input: Option<&std::path::Path>) -> (i32, Vec<u8>) {
    let mut c = Command::new(prog);
    c.args(["-n", ns]).args(words.split_whitespace());
    if let Some(f) = input {
        c.stdin(std::fs::File::open(f).unwrap());
    }
    let out = c.output().unwrap();
    (out.status.code().unwrap_or(-1), out.stdout)
}

/// A route dump with each message's sequence number and port id zeroed (they name the
/// request, not the routes).
fn dump_canon(d: &[u8]) -> Vec<u8> {
    let mut out = d.get(..4).unwrap_or_default().to_vec();
    let mut p = d.get(4..).unwrap_or_default();
    while p.len() >= 16 {
        let len = u32::from_ne_bytes(p[0..4].try_into().unwrap()) as usize;
        if len < 16 || len > p.len() {
            break;
        }
        let mut m = p[..len].to_vec();
        m[8..16].fill(0);
        out.extend(m);
        p = &p[((len + 3) & !3).min(p.len())..];
    }
    out
}

#[test]
fn route_save_restore_match_ip() {
    if skip_unless_root("route_save_restore_match_ip") {
        return;
    }
    let rtnl = env!("CARGO_BIN_EXE_rtnl");
    // Saves only read: ip and rtnl save from the same namespace (two namespaces' IPv6
    // link-local and multicast routes come and go at their own times).
    let a = TestNetns::new().unwrap();
    routes_setup(a.name(), true);
    let dir = std::env::temp_dir().join(format!("rtnl-save-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut saved = Vec::new();
    for words in [
        "route save",
        "-6 route save",
        "route save table 100",
        "route save table all",
    ] {
        let (st_ip, out_ip) = run_io("ip", a.name(), words, None);
        let (st_rt, out_rt) = run_io(rtnl, a.name(), words, None);
        assert_eq!((st_ip, st_rt), (0, 0), "`{words}`");
        assert!(out_ip.len() > 4, "`{words}`: ip saved nothing");
        assert_eq!(
            dump_canon(&out_ip),
            dump_canon(&out_rt),
            "`{words}`: saved bytes"
        );
        let f = dir.join(format!("{}.dump", saved.len()));
        std::fs::write(&f, &out_ip).unwrap();
        saved.push((words, f));
    }
    // Restore ip's dumps into two fresh namespaces: ip in one, rtnl in the other.
    let (c, d) = (TestNetns::new().unwrap(), TestNetns::new().unwrap());
    routes_setup(c.name(), false);
    routes_setup(d.name(), false);
    for (words, f) in &saved {
        let r = words.replace("save", "restore");
        let r = r
            .trim_end_matches(" table 100")
            .trim_end_matches(" table all");
        let (st_ip, _) = run_io("ip", c.name(), r, Some(f));
        let (st_rt, _) = run_io(rtnl, d.name(), r, Some(f));
        assert_eq!(st_ip, st_rt, "`{r}` of `{words}`");
    }
    // Two namespaces list their kernel-made IPv6 routes (ff00::/8 per device) in the order
    // their devices came up: compared as sets.
    let sorted = |j: J| match j {
        J::Array(mut v) => {
            v.sort_by_key(|e| e.to_string());
            J::Array(v)
        }
        j => j,
    };
    for ((what, jc), (_, jd)) in state(c.name()).into_iter().zip(state(d.name())) {
        assert_eq!(sorted(jc), sorted(jd), "after restore: `ip {what}` differs");
    }
    // Refusals: not a dump (ip's magic check), a save selector that is no prefix.
    let garbage = dir.join("garbage");
    std::fs::write(&garbage, "garbage\n").unwrap();
    for (words, input) in [
        ("route restore", Some(garbage.as_path())),
        ("route save bogus", None),
        ("route save table nosuchtable", None),
    ] {
        let st_ip = run_io("ip", c.name(), words, input).0;
        let st_rt = run_io(rtnl, d.name(), words, input).0;
        assert_ne!(st_ip, 0, "`{words}`");
        assert_eq!(st_ip, st_rt, "`{words}`: exit status");
    }
    // What was restored is what was saved: the IPv4 routes of every table (IPv6 multicast
    // and link-local routes come and go with the links' timing).
    let v4 = |ns: &str| {
        let mut j = ip_json(ns, &["-4", "route", "show", "table", "all"]);
        scrub(&mut j);
        j
    };
    assert_eq!(
        v4(a.name()),
        v4(d.name()),
        "restored routes differ from the saved ones"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn route_save_selectors_match_ip() {
    if skip_unless_root("route_save_selectors_match_ip") {
        return;
    }
    let rtnl = env!("CARGO_BIN_EXE_rtnl");
    let ns = TestNetns::new().unwrap();
    let n = ns.name();
    routes_setup(n, true);
    for c in [
        "route add 10.1.0.128/25 via 10.0.0.8",
        "route add default via 10.0.0.254",
        "route add 10.5.0.0/16 dev v0 scope link metric 9",
    ] {
        let st = Command::new("ip")
            .args(["-n", n])
            .args(c.split_whitespace())
            .status()
            .unwrap();
        assert!(st.success(), "ip {c}");
    }
    // Saves only read: ip and rtnl save from the same namespace.
    let (_, everything) = run_io("ip", n, "route save", None);
    for (words, subset) in [
        ("route save 10.1.0.0/24", true),
        ("route save to 10.1.0.0/24", true),
        ("route save to exact 10.1.0.0/24", true),
        ("route save root 10.1.0.0/24", true),
        ("route save match 10.1.0.200", true),
        ("route save to root 10/8", true),
        ("route save default", true),
        ("route save proto static", true),
        ("route save metric 9", true),
        ("route save scope link", true),
        ("route save type blackhole", true),
        ("route save via 10.0.0.9", true),
        ("route save src 10.0.0.1", true),
        ("route save from 0/0", false),
        ("route save table all root 10.3.0.0/16", true),
        ("route save table all default", true),
        ("route save table all to 2001:db8:1::/64", true),
        ("-6 route save match 2001:db8:1::5", true),
        ("route save dev v0 proto all scope all", false),
    ] {
        let (st_ip, out_ip) = run_io("ip", n, words, None);
        let (st_rt, out_rt) = run_io(rtnl, n, words, None);
        assert_eq!((st_ip, st_rt), (0, 0), "`{words}`");
        assert!(out_ip.len() > 4, "`{words}`: ip saved nothing");
        if subset {
            assert!(
                out_ip.len() < everything.len(),
                "`{words}`: selects nothing"
            );
        }
        assert_eq!(
            dump_canon(&out_ip),
            dump_canon(&out_rt),
            "`{words}`: saved bytes"
        );
    }
    // Refused selectors: the same status and, as ip writes the magic first, the same bytes.
    for words in [
        "route save bogus",
        "-4 route save to 2001:db8::1",
        "route save metric x",
        "route save type nosuchtype",
        "route save to",
    ] {
        let ip = run_io("ip", n, words, None);
        let rt = run_io(rtnl, n, words, None);
        assert_ne!(ip.0, 0, "`{words}`");
        assert_eq!(ip, rt, "`{words}`: exit status and stdout");
    }
}

#[test]
fn batch_json_gets_and_shows_print_as_ip() {
    if skip_unless_root("batch_json_gets_and_shows_print_as_ip") {
        return;
    }
    let rtnl = env!("CARGO_BIN_EXE_rtnl");
    let ns = TestNetns::new().unwrap();
    routes_setup(ns.name(), true);
    let file = std::env::temp_dir().join(format!("rtnl-jgets-{}.txt", std::process::id()));
    // (ip 6.1 keeps `link show`'s state for a later `addr show` of the same batch: addresses
    // are shown first; lo's, which no IPv6 autoconfiguration changes between the two runs.)
    std::fs::write(
        &file,
        "addr show dev lo\nroute get 10.0.0.1\nlink show dev lo\nroute get 10.1.0.5\n\
         route add 10.7.0.0/24 via 10.0.0.9\nroute show\nroute get fibmatch 10.7.0.1\n\
         neigh show\nlink\n",
    )
    .unwrap();
    for opts in ["-j", "-j -p", "-d", "-d -j", ""] {
        let out = |prog: &str| {
            let _ = Command::new("ip")
                .args(["-n", ns.name(), "route", "del", "10.7.0.0/24"])
                .output();
            let o = Command::new(prog)
                .args(["-n", ns.name()])
                .args(opts.split_whitespace())
                .arg("-batch")
                .arg(&file)
                .output()
                .unwrap();
            (
                o.status.code(),
                String::from_utf8_lossy(&o.stdout).into_owned(),
            )
        };
        let ip = out("ip");
        let rt = out(rtnl);
        assert_eq!(ip.0, Some(0), "`ip {opts} -batch`: {ip:?}");
        assert!(ip.1.contains("10.7.0.0/24"), "`ip {opts} -batch`: {ip:?}");
        assert_eq!(ip, rt, "`{opts} -batch`: status and what was printed");
    }
    // A refused show line: ip's message and line, the batch going on under -force.
    std::fs::write(&file, "link show dev nosuch0\nlink show dev lo\n").unwrap();
    let all = |prog: &str| {
        let o = Command::new(prog)
            .args(["-n", ns.name(), "-force", "-batch"])
            .arg(&file)
            .output()
            .unwrap();
        (o.status.code(), o.stdout, o.stderr)
    };
    let (ip, rt) = (all("ip"), all(rtnl));
    assert_eq!(ip.0, Some(1), "ip -force -batch: {ip:?}");
    assert_eq!(ip, rt, "a refused show line: status, stdout, stderr");
    let _ = std::fs::remove_file(&file);
}

#[test]
fn batch_gets_print_as_ip() {
    if skip_unless_root("batch_gets_print_as_ip") {
        return;
    }
    let rtnl = env!("CARGO_BIN_EXE_rtnl");
    let ns = TestNetns::new().unwrap();
    routes_setup(ns.name(), true);
    let file = std::env::temp_dir().join(format!("rtnl-gets-{}.txt", std::process::id()));
    std::fs::write(
        &file,
        "route get 10.1.0.5\nneigh add 10.0.0.9 dev v0 lladdr 02:00:00:00:00:09\n\
         neigh get 10.0.0.9 dev v0\nroute get fibmatch 10.3.0.1\nroute get 10.0.0.1\n",
    )
    .unwrap();
    let out = |prog: &str| {
        let o = Command::new(prog)
            .args(["-n", ns.name(), "-batch"])
            .arg(&file)
            .output()
            .unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
        )
    };
    let ip = out("ip");
    // The neigh add of ip's run makes rtnl's fail: compare ip's run with a fresh start.
    let _ = Command::new("ip")
        .args(["-n", ns.name(), "neigh", "del", "10.0.0.9", "dev", "v0"])
        .status();
    let rt = out(rtnl);
    let _ = std::fs::remove_file(&file);
    assert!(ip.1.contains("cache"), "{ip:?}");
    assert_eq!(ip, rt, "status and what the get lines printed");
}
