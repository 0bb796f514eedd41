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
    # --- the other tc plugins of pyroute2 (sched_cake, sched_choke, sched_codel, sched_drr,
    # sched_hfsc, sched_plug; cls_flow; act_police, act_connmark, act_skbedit, act_vlan, act_bpf
    # under filters; em_meta under basic), in pyroute2's own keyword names
    ("qdisc_cake", "ipb.tc('add', 'cake', 1, 0x10000, bandwidth='15mbit')"),
    ("qdisc_cake_autorate", "ipb.tc('add', 'cake', 1, 0x10000, bandwidth='unlimited', autorate=True, atm_mode=True)"),
    ("qdisc_cake_modes",
     "ipb.tc('add', 'cake', 1, 0x10000, bandwidth='unlimited', autorate=True, nat=True, rtt='lan', "
     "flow_mode='dsthost', diffserv_mode='precedence', fwmark=0x1337)"),
    ("qdisc_cake_ptm",
     "ipb.tc('add', 'cake', 1, 0x10000, bandwidth=8000000, atm_mode='ptm', overhead=18, mpu=64, "
     "ack_filter='aggressive', wash=True, ingress=True, split_gso=False, memlimit=1000000)"),
    ("qdisc_cake_target", "ipb.tc('add', 'cake', 1, 0x10000, rtt=20000, target=1000, ack_filter=True)"),
    ("qdisc_cake_raw", "ipb.tc('add', 'cake', 1, 0x10000, raw=True)"),
    ("qdisc_cake_not_raw", "ipb.tc('add', 'cake', 1, 0x10000, raw=False, overhead=18)"),
    ("qdisc_cake_interplanetary", "ipb.tc('add', 'cake', 1, 0x10000, rtt='interplanetary')"),
    ("qdisc_choke", "ipb.tc('add', 'choke', 1, 0x10000, limit=5500, bandwidth='10mbit', ecn=True)"),
    ("qdisc_codel",
     "ipb.tc('add', 'codel', 1, 0x10000, cdl_limit=1000, cdl_target=5000, cdl_interval=100000, cdl_ecn=1)"),
    ("qdisc_drr", "ipb.tc('add', 'drr', 1, 0x10000)"),
    ("class_drr", "ipb.tc('add-class', 'drr', 1, 0x10010, parent=0x10000, quantum=1600)"),
    ("qdisc_hfsc", "ipb.tc('add', 'hfsc', 1, 0x10000, default=0x10001)"),
    ("class_hfsc", "ipb.tc('add-class', 'hfsc', 1, 0x10001, parent=0x10000, rsc={'m2': '5mbit'})"),
    ("class_hfsc_curves",
     "ipb.tc('add-class', 'hfsc', 1, 0x10010, parent=0x10001, rsc={'m1': '10mbit', 'd': 10000, 'm2': '5mbit'}, "
     "fsc={'m2': '5mbit'}, usc={'m2': '8mbit'})"),
    ("qdisc_plug_limit", "ipb.tc('add', 'plug', 1, 0x10000, action='TCQ_PLUG_LIMIT', limit=10000)"),
    ("qdisc_plug_release", "ipb.tc('change', 'plug', 1, 0x10000, action='TCQ_PLUG_RELEASE_INDEFINITE')"),
    ("qdisc_plug", "ipb.tc('add', 'plug', 1, 0x10000)"),
    ("filter_flow_hash",
     "ipb.tc('add-filter', 'flow', 1, 0x10, parent=0x10000, prio=1, protocol=0x0003, mode='hash', keys='src,dst', "
     "divisor=1024, perturb=60, baseclass=0x10010)"),
    ("filter_flow_hash_nfct",
     "ipb.tc('add-filter', 'flow', 1, 0x11, parent=0x10000, prio=2, protocol=0x0003, mode='hash', keys='src,nfct-src', "
     "divisor=1024, baseclass=0x10010)"),
    ("filter_flow_map",
     "ipb.tc('add-filter', 'flow', 1, 10, parent=0x10000, prio=3, protocol=0x0800, mode='map', key='dst', "
     "divisor=1024, baseclass=0x10010, ops=[{'op': 'and', 'num': 0xff}, {'op': 'rshift', 'num': 4}])"),
    ("filter_flow_map_xor",
     "ipb.tc('add-filter', 'flow', 1, 11, parent=0x10000, prio=4, protocol=0x0800, mode='map', key='mark', "
     "divisor=256, baseclass=0x10010, ops=[{'op': 'xor', 'num': 0xff}])"),
    ("filter_flow_map_addend",
     "ipb.tc('add-filter', 'flow', 1, 12, parent=0x10000, prio=5, protocol=0x0800, mode='map', key='src', "
     "divisor=256, baseclass=0x10010, ops=[{'op': 'addend', 'num': '-192.168.0.0'}])"),
    ("filter_matchall_police",
     "ipb.tc('add-filter', 'matchall', 1, parent=0xffff0000, prio=10, protocol=0x0003, "
     "action={'kind': 'police', 'rate': '1mbit', 'burst': 12000, 'limit': 2000, 'action': 'drop'})"),
    ("filter_matchall_connmark",
     "ipb.tc('add-filter', 'matchall', 1, parent=0xffff0000, prio=11, protocol=0x0003, "
     "action={'kind': 'connmark', 'zone': 5})"),
    ("filter_matchall_skbedit",
     "ipb.tc('add-filter', 'matchall', 1, parent=0xffff0000, prio=12, protocol=0x0003, "
     "action={'kind': 'skbedit', 'priority': 0x10001, 'mark': 0x1337, 'mask': 0xffffffff, 'ptype': 'host'})"),
    ("filter_matchall_skbedit_queue",
     "ipb.tc('add-filter', 'matchall', 1, parent=0xffff0000, prio=13, protocol=0x0003, "
     "action={'kind': 'skbedit', 'queue': 2})"),
    ("filter_matchall_vlan_push",
     "ipb.tc('add-filter', 'matchall', 1, parent=0xffff0000, prio=14, protocol=0x0003, "
     "action={'kind': 'vlan', 'v_action': 'push', 'id': 10, 'priority': 3})"),
    ("filter_matchall_vlan_pop",
     "ipb.tc('add-filter', 'matchall', 1, parent=0xffff0000, prio=15, protocol=0x0003, "
     "action={'kind': 'vlan', 'v_action': 'pop'})"),
    ("filter_matchall_vlan_modify_ad",
     "ipb.tc('add-filter', 'matchall', 1, parent=0xffff0000, prio=16, protocol=0x0003, "
     "action={'kind': 'vlan', 'v_action': 'modify', 'id': 20, 'protocol': '802.1ad', 'action': 'ok'})"),
    ("filter_matchall_act_bpf",
     "ipb.tc('add-filter', 'matchall', 1, parent=0xffff0000, prio=17, protocol=0x0003, "
     "action={'kind': 'bpf', 'fd': 7, 'name': 'prog', 'action': 'ok'})"),
    ("filter_bpf_fd_act",
     "ipb.tc('add-filter', 'bpf', 1, parent=0xffff0000, prio=18, protocol=0x0003, fd=7, name='prog', "
     "action={'kind': 'gact', 'action': 'drop'})"),
    ("filter_basic_meta",
     "ipb.tc('add-filter', 'basic', 1, parent=0x10000, prio=20, protocol=0x0800, classid=0x10010, "
     "match=[{'kind': 'meta', 'object': {'kind': 'nfmark', 'opnd': 'eq'}, 'value': 0x1337, 'mask': 0xffff}])"),
    ("filter_basic_meta_gt_or",
     "ipb.tc('add-filter', 'basic', 1, parent=0x10000, prio=21, protocol=0x0800, classid=0x10010, "
     "match=[{'kind': 'meta', 'object': {'kind': 'priority', 'opnd': 'gt'}, 'value': 5, 'relation': 'or'}, "
     "{'kind': 'meta', 'object': {'kind': 'pktlen', 'opnd': 'lt'}, 'value': 100, 'inverse': True}])"),
    ("filter_basic_meta_dev",
     "ipb.tc('add-filter', 'basic', 1, parent=0x10000, prio=22, protocol=0x0800, classid=0x10010, "
     "match=[{'kind': 'meta', 'object': {'kind': 'dev', 'opnd': 'eq'}, 'value': 'lo'}])"),
    ("filter_basic_ipset",
     "ipb.tc('add-filter', 'basic', 1, parent=0x10000, prio=23, protocol=0x0800, classid=0x10010, "
     "match=[{'kind': 'ipset', 'index': 0, 'mode': 'src'}])"),
    ("filter_basic_ipset_or",
     "ipb.tc('add-filter', 'basic', 1, parent=0x10000, prio=24, protocol=0x0800, classid=0x10010, "
     "match=[{'kind': 'ipset', 'index': 3, 'mode': 'src,dst', 'relation': 'or'}, "
     "{'kind': 'ipset', 'index': 1, 'mode': 'dst', 'inverse': True}])"),
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
