#!/usr/bin/env python3
"""Capture iproute2's request bytes for the neigh/fdb/brport/vlan/stats/nsid/route-get
commands that `ip` and `bridge` can express (the ipcmd golden fixtures).

Each command runs under `strace -f -e trace=sendmsg,sendto -e write=3,4` inside a scratch network
namespace with known devices; the request whose nlmsg_type is the one expected is kept, with
nlmsg_seq and nlmsg_pid zeroed. The fixture records the command line and the rtnl call that
must produce the same bytes (`rtnl-api/tests/golden_iproute2.rs` replays it through IPBatch).
Interface indexes in the calls are those of the scratch namespace.

Usage (root, iproute2 and strace installed):
    python3 xtask/golden/iproute2_golden.py rtnl-api/tests/golden/iproute2.json
"""

import json
import re
import subprocess
import sys

NS = 'rtnl-golden-ipcmd'

SETUP = [
    'ip link add v0 type veth peer name v1',
    'ip link add br0 type bridge',
    'ip link set v1 master br0',
    'ip addr add 10.0.0.1/24 dev v0',
    'ip link set v0 up',
    'ip link set v1 up',
    'ip link set br0 up',
    'ip link add vx0 type vxlan id 500 dev v0 dstport 4789',
]

# (name, command, nlmsg_type, rtnl call: [method, cmd, [[key, value], ...]], note)
CASES = [
    ('neigh_add', 'ip neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev v0', 28,
     ['neigh', 'add', [['dst', '10.0.0.9'], ['lladdr', '02:00:00:00:00:09'], ['ifindex', '{v0}']]], ''),
    ('neigh_add_reachable',
     'ip neigh add 10.0.0.10 lladdr 02:00:00:00:00:0a dev v0 nud reachable', 28,
     ['neigh', 'add', [['dst', '10.0.0.10'], ['lladdr', '02:00:00:00:00:0a'], ['ifindex', '{v0}'],
                       ['state', 'reachable']]], ''),
    ('neigh_add_v6', 'ip -6 neigh add 2001:db8::9 lladdr 02:00:00:00:00:09 dev v0', 28,
     ['neigh', 'add', [['dst', '2001:db8::9'], ['lladdr', '02:00:00:00:00:09'], ['ifindex', '{v0}']]], ''),
    ('neigh_replace', 'ip neigh replace 10.0.0.9 lladdr 02:00:00:00:00:19 dev v0', 28,
     ['neigh', 'replace', [['dst', '10.0.0.9'], ['lladdr', '02:00:00:00:00:19'], ['ifindex', '{v0}']]], ''),
    ('neigh_change', 'ip neigh change 10.0.0.9 lladdr 02:00:00:00:00:29 dev v0', 28,
     ['neigh', 'change', [['dst', '10.0.0.9'], ['lladdr', '02:00:00:00:00:29'], ['ifindex', '{v0}']]], ''),
    ('neigh_get', 'ip neigh get 10.0.0.9 dev v0', 30,
     ['neigh', 'get', [['dst', '10.0.0.9'], ['ifindex', '{v0}']]], ''),
    ('neigh_del', 'ip neigh del 10.0.0.9 dev v0', 29,
     ['neigh', 'del', [['dst', '10.0.0.9'], ['ifindex', '{v0}']]], ''),
    ('neigh_dump_dev', 'ip neigh show dev v0', 30,
     ['neigh', 'dump', [['ifindex', '{v0}']]], ''),
    ('fdb_add', 'bridge fdb add 02:00:00:00:00:09 dev v0', 28,
     ['fdb', 'add', [['lladdr', '02:00:00:00:00:09'], ['ifindex', '{v0}']]], ''),
    ('fdb_add_vlan', 'bridge fdb add 02:00:00:00:00:09 dev v1 vlan 200 master', 28,
     ['fdb', 'add', [['lladdr', '02:00:00:00:00:09'], ['ifindex', '{v1}'], ['flags', 'master'],
                     ['vlan', 200]]], ''),
    ('fdb_add_vxlan',
     'bridge fdb add 02:00:00:00:00:09 dev vx0 dst 10.0.0.2 port 5678 vni 600', 28,
     ['fdb', 'add', [['lladdr', '02:00:00:00:00:09'], ['ifindex', '{vx0}'], ['dst', '10.0.0.2'],
                     ['port', 5678], ['vni', 600]]], ''),
    ('fdb_append_vxlan', 'bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.0.0.3', 28,
     ['fdb', 'append', [['lladdr', '00:00:00:00:00:00'], ['ifindex', '{vx0}'], ['dst', '10.0.0.3']]], ''),
    ('fdb_del', 'bridge fdb del 02:00:00:00:00:09 dev v0', 29,
     ['fdb', 'del', [['lladdr', '02:00:00:00:00:09'], ['ifindex', '{v0}']]], ''),
    ('brport_set', 'ip link set dev v1 type bridge_slave cost 200', 16,
     ['brport', 'set', [['index', '{v1}'], ['cost', 200]]], ''),
    ('vlan_filter_add', 'bridge vlan add dev v1 vid 200', 19,
     ['vlan_filter', 'add', [['index', '{v1}'], ['vlan_info', {'vid': 200}]]], ''),
    ('vlan_filter_add_pvid', 'bridge vlan add dev v1 vid 300 pvid untagged', 19,
     ['vlan_filter', 'add', [['index', '{v1}'], ['vlan_info', {'vid': 300, 'pvid': True}]]], ''),
    ('vlan_filter_add_range', 'bridge vlan add dev v1 vid 100-199', 19,
     ['vlan_filter', 'add', [['index', '{v1}'], ['vlan_info', {'vid': '100-199'}]]], ''),
    ('vlan_filter_del', 'bridge vlan del dev v1 vid 200', 17,
     ['vlan_filter', 'del', [['index', '{v1}'], ['vlan_info', {'vid': 200}]]], ''),
    ('vlandb_set', 'bridge vlan set dev v1 vid 200 mcast_router 2', 112,
     ['vlandb', 'set', [['index', '{v1}'], ['vid', 200], ['mcast_router', 2]]], ''),
    ('stats_get', 'ip stats show dev v0 group link', 94,
     ['stats', 'get', [['ifindex', '{v0}'], ['filter_mask', 1]]], ''),
    ('nsid_dump', 'ip netns list-id', 90, ['nsid', 'dump', []], ''),
    ('route_get', 'ip route get 10.0.0.2', 26, ['route', 'get', [['dst', '10.0.0.2']]], ''),
    ('route_get_fibmatch', 'ip route get fibmatch 10.0.0.2', 26,
     ['route', 'get', [['dst', '10.0.0.2'], ['fibmatch', True]]], ''),
]

HEX = re.compile(r'^ \| [0-9a-f]{5}  ')


def run(cmd):
    subprocess.run(['ip', 'netns', 'exec', NS] + cmd.split(), check=True)


def capture(cmd):
    out = subprocess.run(
        ['strace', '-f', '-e', 'trace=sendmsg,sendto', '-e', 'write=3,4', 'ip', 'netns', 'exec', NS]
        + cmd.split(), capture_output=True, text=True)
    msgs, cur = [], None
    for line in out.stderr.splitlines():
        if re.match(r'^(\[pid +\d+\] )?send(msg|to)\(', line):
            cur = bytearray()
            msgs.append(cur)
        if HEX.match(line) and cur is not None:
            # ' | 00000  xx xx ... xx  xx ... xx  ascii |': 16 bytes in columns 10..59
            cur.extend(bytes.fromhex(''.join(re.findall(r'[0-9a-f]{2}', line[10:59]))))
    return msgs


def main():
    subprocess.run(['ip', 'netns', 'del', NS], capture_output=True)
    subprocess.run(['ip', 'netns', 'add', NS], check=True)
    try:
        for c in SETUP:
            run(c)
        links = json.loads(subprocess.run(['ip', '-j', '-n', NS, 'link', 'show'],
                                          capture_output=True, check=True).stdout)
        idx = {l['ifname']: l['ifindex'] for l in links}
        fixtures = []
        for name, cmd, mtype, call, note in CASES:
            found = None
            for m in capture(cmd):
                if len(m) >= 16 and int.from_bytes(m[4:6], 'little') == mtype:
                    found = bytearray(m[:int.from_bytes(m[0:4], 'little')])
            if found is None:
                sys.exit(f'{name}: no request of type {mtype} from {cmd!r}')
            found[8:16] = bytes(8)
            method, word, args = call
            args = [[k, int(v.format(**idx)) if isinstance(v, str) and v.startswith('{') else v]
                    for k, v in args]
            entry = {'name': name, 'command': cmd, 'method': method, 'cmd': word,
                     'args': args, 'hex': found.hex()}
            if note:
                entry['note'] = note
            fixtures.append(entry)
    finally:
        subprocess.run(['ip', 'netns', 'del', NS])
    version = subprocess.run(['ip', '-V'], capture_output=True, text=True).stdout.strip()
    with open(sys.argv[1], 'w') as f:
        json.dump({'iproute2': version, 'generated_by': 'xtask/golden/iproute2_golden.py',
                   'requests': fixtures}, f, indent=2)
        f.write('\n')


if __name__ == '__main__':
    main()
