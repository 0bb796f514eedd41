#!/usr/bin/env python3
"""Generate golden netlink request fixtures from pyroute2.

Purpose: record pyroute2's exact request bytes for a fixed list of
rtnetlink calls, so the Rust implementation can be compared byte for byte.
Requests are compiled with pyroute2's IPBatch, which encodes messages into
a buffer instead of sending them (no kernel state is touched).  nlmsg_seq
and nlmsg_pid (bytes 8..16 of every netlink message) are zeroed so the
output is deterministic.  IPBatch cannot resolve names, so interfaces are
given by index.

NOTE: pyroute2 emits attributes in the order of the keyword arguments, so
the "call" text of each fixture is significant.  Every call below passes
its keywords so that the attributes come out in ascending attribute-id
order (the order a schema-driven encoder would naturally use).

Usage (called by `cargo xtask golden`):
    python3 xtask/golden/pyroute2_golden.py rtnl-api/tests/golden/pyroute2.json

Requires pyroute2 0.9.x (`pip install 'pyroute2>=0.9,<0.10'`).
"""

import json
import struct
import sys
import warnings

import pyroute2
from pyroute2 import IPBatch

# (name, python call evaluated with `ipb` bound to an IPBatch, note)
REQUESTS = [
    # --- link -----------------------------------------------------------
    ("link_add_bridge", "ipb.link('add', kind='bridge', ifname='br0')", ""),
    ("link_add_veth",
     "ipb.link('add', kind='veth', ifname='v0', peer={'ifname': 'v1'})", ""),
    ("link_add_veth_peer_str",
     "ipb.link('add', kind='veth', ifname='v0', peer='v1')",
     "string spelling of peer; bytes identical to link_add_veth"),
    ("link_set_up", "ipb.link('set', index=5, state='up')", ""),
    ("link_set_down", "ipb.link('set', index=5, state='down')", ""),
    ("link_set_mtu", "ipb.link('set', index=5, mtu=1400)", ""),
    ("link_set_ifname", "ipb.link('set', index=5, ifname='newname')", ""),
    ("link_set_address",
     "ipb.link('set', index=5, address='02:00:00:00:00:01')", ""),
    ("link_set_master", "ipb.link('set', index=5, master=7)", ""),
    ("link_set_nomaster", "ipb.link('set', index=5, master=0)",
     "nomaster: IFLA_MASTER=0"),
    ("link_del", "ipb.link('del', index=5)", ""),
    # --- addr -----------------------------------------------------------
    ("addr_add_v4",
     "ipb.addr('add', index=5, address='10.0.0.2', prefixlen=24)", ""),
    ("addr_add_v4_cidr", "ipb.addr('add', index=5, address='10.0.0.2/24')",
     "CIDR spelling; bytes identical to addr_add_v4"),
    ("addr_add_v6",
     "ipb.addr('add', index=5, address='2001:db8::2', prefixlen=64)", ""),
    ("addr_del_v4",
     "ipb.addr('del', index=5, address='10.0.0.2', prefixlen=24)", ""),
    ("addr_del_v6",
     "ipb.addr('del', index=5, address='2001:db8::2', prefixlen=64)", ""),
    # --- route ----------------------------------------------------------
    ("route_add_v4_gateway",
     "ipb.route('add', dst='10.1.0.0/24', gateway='10.0.0.1')", ""),
    ("route_add_v4_oif", "ipb.route('add', dst='10.1.0.0/24', oif=5)",
     "scope stays 0 (universe); iproute2 would use scope link"),
    ("route_add_v4_table100",
     "ipb.route('add', dst='10.1.0.0/24', gateway='10.0.0.1', table=100)",
     "rtm_table=100 and RTA_TABLE=100"),
    ("route_add_v4_table10000",
     "ipb.route('add', dst='10.1.0.0/24', gateway='10.0.0.1', table=10000)",
     "rtm_table=254 (RT_TABLE_MAIN) and RTA_TABLE=10000"),
    ("route_add_v4_priority",
     "ipb.route('add', dst='10.1.0.0/24', gateway='10.0.0.1', priority=50)",
     ""),
    ("route_add_v6_gateway",
     "ipb.route('add', dst='2001:db8:1::/64', gateway='2001:db8::1')", ""),
    ("route_add_v4_full",
     "ipb.route('add', dst='10.2.0.0/16', oif=5, gateway='10.0.0.1', "
     "priority=10, table=100)",
     "keywords in attribute-id order, like every other fixture"),
    ("route_del_v4_gateway",
     "ipb.route('del', dst='10.1.0.0/24', gateway='10.0.0.1')",
     "no proto/type defaults on del; rtm_table=254"),
    ("route_del_v4_table100",
     "ipb.route('del', dst='10.1.0.0/24', gateway='10.0.0.1', table=100)",
     ""),
    # --- ipcmd: neigh/fdb/brport/vlan/stats/nsid ------------------------
    ("ipcmd_neigh_add",
     "ipb.neigh('add', dst='10.0.0.9', lladdr='02:00:00:00:00:09', ifindex=5)",
     "state NUD_PERMANENT by default"),
    ("ipcmd_neigh_add_reachable",
     "ipb.neigh('add', dst='10.0.0.9', lladdr='02:00:00:00:00:09', ifindex=5, "
     "state='reachable')", "state by name"),
    ("ipcmd_neigh_add_v6",
     "ipb.neigh('add', dst='2001:db8::9', lladdr='02:00:00:00:00:09', ifindex=5)",
     "family from dst"),
    ("ipcmd_neigh_add_flags",
     "ipb.neigh('add', dst='10.0.0.9', lladdr='02:00:00:00:00:09', ifindex=5, "
     "flags=1)", "ndm_flags NTF_USE"),
    ("ipcmd_neigh_set",
     "ipb.neigh('set', dst='10.0.0.9', lladdr='02:00:00:00:00:09', ifindex=5)",
     "set == replace: REPLACE|CREATE"),
    ("ipcmd_neigh_replace",
     "ipb.neigh('replace', dst='10.0.0.9', lladdr='02:00:00:00:00:09', ifindex=5)",
     ""),
    ("ipcmd_neigh_change",
     "ipb.neigh('change', dst='10.0.0.9', lladdr='02:00:00:00:00:09', ifindex=5)",
     "REPLACE only"),
    ("ipcmd_neigh_append",
     "ipb.neigh('append', dst='10.0.0.9', lladdr='02:00:00:00:00:09', ifindex=5)",
     "CREATE|APPEND"),
    ("ipcmd_neigh_del", "ipb.neigh('del', dst='10.0.0.9', ifindex=5)",
     "state NUD_PERMANENT on del too (pyroute2; the kernel ignores it)"),
    ("ipcmd_neigh_get", "ipb.neigh('get', dst='10.0.0.9', ifindex=5)",
     "REQUEST|ACK, no state default"),
    ("ipcmd_neigh_dump", "ipb.neigh('dump')", ""),
    ("ipcmd_fdb_add", "ipb.fdb('add', ifindex=5, lladdr='02:00:00:00:00:09')",
     "AF_BRIDGE, state NOARP|PERMANENT, flags NTF_SELF"),
    ("ipcmd_fdb_add_master",
     "ipb.fdb('add', ifindex=5, lladdr='02:00:00:00:00:09', master=7)",
     "NDA_MASTER; NTF_SELF stays (only the NTF_MASTER flag replaces it)"),
    ("ipcmd_fdb_add_vlan",
     "ipb.fdb('add', ifindex=5, lladdr='02:00:00:00:00:09', vlan=200)", ""),
    ("ipcmd_fdb_add_vxlan",
     "ipb.fdb('add', ifindex=5, lladdr='02:00:00:00:00:09', dst='10.0.0.1', "
     "port=5678, vni=600)", "NDA_PORT big-endian"),
    ("ipcmd_fdb_append",
     "ipb.fdb('append', ifindex=5, lladdr='00:00:00:00:00:00', dst='10.0.0.1')",
     ""),
    ("ipcmd_fdb_del", "ipb.fdb('del', ifindex=5, lladdr='02:00:00:00:00:09')",
     ""),
    ("ipcmd_fdb_dump", "ipb.fdb('dump')", ""),
    ("ipcmd_brport_set",
     "ipb.brport('set', index=5, unicast_flood=0, cost=200)",
     "IFLA_LINKINFO kind bridge_slave + IFLA_INFO_SLAVE_DATA"),
    ("ipcmd_brport_dump", "ipb.brport('dump')", "RTM_GETLINK family AF_BRIDGE"),
    ("ipcmd_vlan_filter_add",
     "ipb.vlan_filter('add', index=5, vlan_info={'vid': 200})", "RTM_SETLINK"),
    ("ipcmd_vlan_filter_add_pvid",
     "ipb.vlan_filter('add', index=5, vlan_info={'vid': 200, 'pvid': True})",
     "pvid: PVID|UNTAGGED"),
    ("ipcmd_vlan_filter_add_range",
     "ipb.vlan_filter('add', index=5, vlan_info={'vid': '100-199'})",
     "RANGE_BEGIN, RANGE_END"),
    ("ipcmd_vlan_filter_del",
     "ipb.vlan_filter('del', index=5, vlan_info={'vid': 200})", "RTM_DELLINK"),
    ("ipcmd_vlan_filter_tunnel",
     "ipb.vlan_filter('add', index=5, vlan_tunnel_info={'vid': 20, 'id': 20})",
     ""),
    ("ipcmd_vlan_filter_tunnel_range",
     "ipb.vlan_filter('add', index=5, "
     "vlan_tunnel_info={'vid': '200-299', 'id': '200-299'})", ""),
    ("ipcmd_vlandb_dump", "ipb.vlandb('dump')", ""),
    ("ipcmd_vlandb_set",
     "ipb.vlandb('set', index=5, vid=200, mcast_router=2)",
     "pyroute2 drops index (br_vlan_msg calls it ifindex): deviation"),
    ("ipcmd_stats_get", "ipb.stats('get', ifindex=5)", "filter_mask 31"),
    ("ipcmd_stats_dump", "ipb.stats('dump')", ""),
    ("ipcmd_nsid_set", "ipb.set_netnsid(nsid=5, pid=1)", "RTM_NEWNSID"),
    ("ipcmd_nsid_get", "ipb.get_netnsid(pid=1)", "RTM_GETNSID, REQUEST only"),
    ("ipcmd_route_get", "ipb.route('get', dst='10.1.0.1')",
     "rtnl deviates: no rtm_table (strict checking refuses it), RTM_F_LOOKUP_TABLE as ip"),
]


def normalize(data):
    """Zero nlmsg_seq and nlmsg_pid of every netlink message in `data`."""
    data = bytearray(data)
    off = 0
    while off < len(data):
        (length,) = struct.unpack_from('=I', data, off)
        if length < 16:
            raise ValueError(f'bad nlmsg_len {length} at offset {off}')
        data[off + 8:off + 16] = bytes(8)
        off += (length + 3) & ~3
    return bytes(data)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    warnings.simplefilter('ignore')
    ipb = IPBatch()
    fixtures = []
    try:
        for name, call, note in REQUESTS:
            ipb.reset()
            eval(call, {'ipb': ipb})
            entry = {'name': name, 'call': call,
                     'hex': normalize(ipb.batch).hex()}
            if note:
                entry['note'] = note
            fixtures.append(entry)
    finally:
        ipb.close()
    fixtures.sort(key=lambda x: x['name'])
    out = {
        'pyroute2_version': pyroute2.__version__,
        'generated_by': 'cargo xtask golden',
        'requests': fixtures,
    }
    with open(sys.argv[1], 'w') as f:
        json.dump(out, f, indent=2)
        f.write('\n')


if __name__ == '__main__':
    main()
