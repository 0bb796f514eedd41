#!/usr/bin/env python3
"""Generate golden tc request fixtures from pyroute2 (its tc plugins).

Each fixture is the exact bytes pyroute2 0.9's IPBatch compiles for one
`tc(...)` call (nothing is sent; nlmsg_seq and nlmsg_pid zeroed).
rtnl-api/tests/pyroute2_tc_golden.rs replays the same request through our
IPBatch::tc and compares.  Kept apart from pyroute2_golden.py so that tc
fixtures and the others can grow independently.

Usage:
    python3 xtask/golden/pyroute2_tc_golden.py rtnl-api/tests/golden/pyroute2_tc.json

Requires pyroute2 0.9.x (`pip install 'pyroute2>=0.9,<0.10'`); /proc/net/psched is read
by pyroute2 for the tick conversions (every kernel since 2.6 reports the same clock).
"""

import json
import sys
import warnings

import pyroute2
from pyroute2 import IPBatch

# (name, python call evaluated with `ipb` bound to an IPBatch)
REQUESTS = [
    ("qdisc_htb", "ipb.tc('add', 'htb', 1, 0x10000, default=0x10)"),
    ("qdisc_htb_change", "ipb.tc('change', 'htb', 1, 0x10000, default=0x20)"),
    ("qdisc_htb_del", "ipb.tc('del', 'htb', 1, 0x10000)"),
    ("class_htb", "ipb.tc('add-class', 'htb', 1, 0x10010, parent=0x10000, rate='5mbit', ceil='10mbit')"),
    ("class_htb_burst",
     "ipb.tc('add-class', 'htb', 1, 0x10010, parent=0x10000, rate='1mbit', ceil='2mbit', burst=15360, prio=2)"),
    ("qdisc_tbf", "ipb.tc('add', 'tbf', 1, 0x10000, rate='1mbit', burst=4096, latency=400)"),
    ("qdisc_pfifo", "ipb.tc('add', 'pfifo', 1, 0x10000, limit=100)"),
    ("qdisc_pfifo_replace", "ipb.tc('replace', 'pfifo', 1, 0x10000, limit=300)"),
    ("qdisc_bfifo", "ipb.tc('add', 'bfifo', 1, 0x10000, limit=65536)"),
    ("qdisc_pfifo_fast", "ipb.tc('add', 'pfifo_fast', 1, 0)"),
    ("qdisc_ingress", "ipb.tc('add', 'ingress', 1, 0xffff0000)"),
    ("qdisc_clsact", "ipb.tc('add', 'clsact', 1)"),
    ("qdisc_prio", "ipb.tc('add', 'prio', 1, 0x10000, bands=3)"),
    ("qdisc_sfq", "ipb.tc('add', 'sfq', 1, 0x10000, perturb=10)"),
    ("qdisc_fq_codel", "ipb.tc('add', 'fq_codel', 1, 0x10000, limit=1000)"),
    ("qdisc_netem", "ipb.tc('add', 'netem', 1, 0x10000, delay=100000)"),
    ("filter_u32",
     "ipb.tc('add-filter', 'u32', 1, parent=0x10000, prio=1, protocol=0x0800, keys=['0x50/0xffff+20'], target=0x10010)"),
    ("filter_u32_mirred",
     "ipb.tc('add-filter', 'u32', 1, parent=0xffff0000, prio=3, protocol=0x0003, keys=['0x0/0x0+0'], target=0x10010, "
     "action=[{'kind': 'mirred', 'direction': 'egress', 'action': 'redirect', 'ifindex': 1}])"),
    ("filter_u32_gact",
     "ipb.tc('add-filter', 'u32', 1, parent=0xffff0000, prio=3, protocol=0x0003, keys=['0x0/0x0+0'], target=0x10010, "
     "action={'kind': 'gact', 'action': 'drop'})"),
    ("filter_u32_del", "ipb.tc('del-filter', 'u32', 1, parent=0x10000, prio=1, protocol=0x0800, target=0x10010)"),
    # --- filters (tcfilt): the classifiers other than u32 that pyroute2 has
    ("filter_matchall", "ipb.tc('add-filter', 'matchall', 1, parent=0xffff0000, prio=2, protocol=0x0003, classid=0x10010)"),
    ("filter_matchall_gact",
     "ipb.tc('add-filter', 'matchall', 1, parent=0xffff0000, prio=2, protocol=0x0800, action={'kind': 'gact', 'action': 'drop'})"),
    ("filter_fw", "ipb.tc('add-filter', 'fw', 1, 5, parent=0x10000, prio=3, protocol=0x0800, classid=0x10010)"),
    ("filter_bpf_fd",
     "ipb.tc('add-filter', 'bpf', 1, parent=0xffff0000, prio=4, protocol=0x0003, fd=7, name='prog', direct_action=True)"),
    ("filter_bpf_fd_classid",
     "ipb.tc('add-filter', 'bpf', 1, parent=0x10000, prio=5, protocol=0x0800, fd=7, name='prog', classid=0x10010, flags=1)"),
    ("filter_basic_cmp",
     "ipb.tc('add-filter', 'basic', 1, parent=0x10000, prio=6, protocol=0x0800, classid=0x10010, "
     "match=[{'kind': 'cmp', 'align': 'u8', 'offset': 9, 'layer': 'network', 'opnd': 'eq', 'value': 6}])"),
    ("filter_basic_cmp_or",
     "ipb.tc('add-filter', 'basic', 1, parent=0x10000, prio=7, protocol=0x0800, classid=0x10010, "
     "match=[{'kind': 'cmp', 'align': 'u16', 'offset': 2, 'layer': 'transport', 'opnd': 'gt', 'value': 1023, 'relation': 'or'}, "
     "{'kind': 'cmp', 'align': 'u8', 'offset': 9, 'layer': 'network', 'opnd': 'eq', 'value': 17, 'inverse': True}])"),
]


def main(out):
    warnings.filterwarnings('ignore')
    fixtures = []
    for name, call in REQUESTS:
        ipb = IPBatch()
        eval(call, {'ipb': ipb})
        data = bytearray(ipb.batch)
        data[8:16] = bytes(8)
        fixtures.append({'name': name, 'call': call, 'hex': data.hex()})
    doc = {
        'pyroute2_version': pyroute2.__version__,
        'generated_by': 'python3 xtask/golden/pyroute2_tc_golden.py',
        'requests': fixtures,
    }
    with open(out, 'w') as f:
        json.dump(doc, f, indent=2)
        f.write('\n')


if __name__ == '__main__':
    main(sys.argv[1])
