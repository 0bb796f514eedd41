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
