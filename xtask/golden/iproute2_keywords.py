#!/usr/bin/env python3
"""Record iproute2's request bytes for the keyword forms of issue 8 (ipkw).

Purpose: the second oracle for rtnl's keyword encoder.  Each entry runs one
`ip` command under `strace -e trace=sendmsg -e write=3,4,5` in a fresh
network namespace (lo = 1, v0 = 2, v1 = 3, br0 = 4: indexes are fixed), keeps
the first RTM_NEW* request it sends, zeroes nlmsg_seq/nlmsg_pid, and stores it
with the rtnl call that must produce the same request.  The test
`requests_match_iproute2` in rtnl-api/tests/golden.rs replays the call and
compares the message type and body; `order_free` entries compare the
top-level attributes as a set (the kernel parses them into a table by type,
so their order does not matter there).  `ip route add` sends proto boot
unless told, pyroute2 and rtnl static: the route calls name proto='boot' so
the rest compares.  Header bytes where rtnl follows
pyroute2 rather than iproute2 are listed in the test's IP_DEVIATIONS.

Usage (as root; needs ip and strace):
    unshare -n python3 xtask/golden/iproute2_keywords.py rtnl-api/tests/golden/iproute2_keywords.json
"""

import json
import re
import subprocess
import sys

SETUP = [
    'ip link add v1 type veth peer name v0',
    'ip link add br0 type bridge',
    'ip link set v0 up', 'ip link set v1 up', 'ip link set lo up',
    'ip addr add 10.0.0.1/24 dev v0',
    'ip -6 addr add 2001:db8::1/64 dev v0 nodad',
]

# (name, ip command, rtnl call, order_free, note)
CASES = [
    ('link_arp_off', 'ip link set dev v0 arp off',
     "ipb.link('set', index=2, arp=False)", False, ''),
    ('link_up', 'ip link set dev v0 up',
     "ipb.link('set', index=2, state='up')", False, ''),
    ('link_group_name', 'ip link set dev v0 group default',
     "ipb.link('set', index=2, group='default')", False, ''),
    ('link_master_name', 'ip link set dev v1 master br0',
     "ipb.link('set', index=3, master=4)", False, 'the name resolves to 4'),
    ('link_property_add', 'ip link property add dev v0 altname uplink',
     "ipb.link('property_add', index=2, altname='uplink')", False,
     'IFLA_PROP_LIST with NLA_F_NESTED'),
    ('addr_brd_plus', 'ip addr add 10.0.0.2/24 brd + dev v0',
     "ipb.addr('add', index=2, address='10.0.0.2/24', broadcast=True)", True,
     'ip sends IFA_LOCAL first'),
    ('addr_lifetimes', 'ip addr add 10.0.0.3/24 dev v0 valid_lft 600 preferred_lft 300',
     "ipb.addr('add', index=2, address='10.0.0.3/24', preferred=300, valid=600)", True, ''),
    ('route_onlink', 'ip route add 10.1.0.0/24 via 10.9.0.1 dev v0 onlink',
     "ipb.route('add', proto='boot', dst='10.1.0.0/24', gateway='10.9.0.1', oif=2, flags=['onlink'])", True, ''),
    ('route_table_300', 'ip route add 10.2.0.0/24 via 10.0.0.9 table 300',
     "ipb.route('add', proto='boot', dst='10.2.0.0/24', gateway='10.0.0.9', table=300)", True, ''),
    ('route_dev_scope_link', 'ip route add 10.3.0.0/24 dev v0 proto boot',
     "ipb.route('add', dst='10.3.0.0/24', oif=2, proto='boot')", True,
     'no gateway: scope link, as rtnl does'),
    ('route_via_inet6', 'ip route add 10.4.0.0/24 via inet6 fe80::1 dev v0',
     "ipb.route('add', proto='boot', dst='10.4.0.0/24', oif=2, via='inet6/fe80::1')", True,
     'RTA_VIA'),
    ('route_seg6_two_segs',
     'ip route add 10.5.0.0/24 dev v0 encap seg6 mode encap segs 2001:db8::5,2001:db8::6',
     "ipb.route('add', proto='boot', dst='10.5.0.0/24', oif=2, encap={'type': 'seg6', 'mode': 'encap', 'segs': ['2001:db8::5', '2001:db8::6']})",
     True, 'segments last first in the header (pyroute2 writes them as given)'),
    ('route_seg6_inline_hmac',
     'ip -6 route add 2001:db8:5::/64 dev v0 encap seg6 mode inline segs 2001:db8::5,2001:db8::6 hmac 7',
     "ipb.route('add', proto='boot', dst='2001:db8:5::/64', oif=2, encap={'type': 'seg6', 'mode': 'inline', 'segs': '2001:db8::5,2001:db8::6', 'hmac': 7})",
     True, ''),
    ('route_seg6local_dt6',
     'ip -6 route add 2001:db8:6::/64 encap seg6local action End.DT6 table 10 dev v0',
     "ipb.route('add', proto='boot', dst='2001:db8:6::/64', oif=2, encap={'type': 'seg6local', 'action': 'End.DT6', 'table': 10})",
     True, ''),
    ('route_seg6local_b6',
     'ip -6 route add 2001:db8:7::/64 encap seg6local action End.B6 srh segs 2001:db8::5,2001:db8::6 dev v0',
     "ipb.route('add', proto='boot', dst='2001:db8:7::/64', oif=2, encap={'type': 'seg6local', 'action': 'End.B6', 'srh': {'segs': '2001:db8::5,2001:db8::6'}})",
     True, ''),
    ('route_metrics_cc_algo',
     'ip route add 10.6.0.0/24 via 10.0.0.9 mtu 1400 congctl cubic',
     "ipb.route('add', proto='boot', dst='10.6.0.0/24', gateway='10.0.0.9', metrics={'mtu': 1400, 'cc_algo': 'cubic'})",
     True, ''),
    ('rule_ranges',
     'ip rule add sport 80-120 dport 443 ipproto tcp table 100 pref 1000',
     "ipb.rule('add', sport='80-120', dport=443, ip_proto='tcp', table=100, priority=1000)",
     True, ''),
    ('rule_uidrange',
     'ip rule add uidrange 1000-2000 table 100 pref 1001',
     "ipb.rule('add', uid_range='1000:2000', table=100, priority=1001)", True, ''),
    ('rule_from_prefix',
     'ip rule add from 10.0.0.0/8 lookup 100 pref 1002',
     "ipb.rule('add', src='10.0.0.0/8', table=100, priority=1002)", True, ''),
    ('rule_blackhole', 'ip rule add blackhole pref 1003',
     "ipb.rule('add', action='blackhole', priority=1003)", True, ''),
    ('rule_table_big', 'ip rule add lookup 10000 pref 1004',
     "ipb.rule('add', table=10000, priority=1004)", True, ''),
]

NEW_TYPES = {16, 20, 24, 32, 108}


def capture(cmd):
    out = subprocess.run(
        ['strace', '-f', '-e', 'trace=sendmsg', '-e', 'write=3,4,5'] + cmd.split(),
        capture_output=True, text=True).stderr
    msgs, cur = [], None
    for line in out.splitlines():
        if re.match(r'\s*\* \d+ bytes in buffer', line):
            cur = bytearray()
            msgs.append(cur)
        m = re.match(r'\s*\| [0-9a-f]{5}  ((?:[0-9a-f]{2} ?\s?)+)', line)
        if m and cur is not None:
            cur += bytes.fromhex(m.group(1).replace(' ', ''))
    for m in msgs:
        if len(m) >= 16 and int.from_bytes(m[4:6], 'little') in NEW_TYPES:
            m[8:16] = bytes(8)
            return bytes(m)
    raise SystemExit(f'{cmd}: no RTM_NEW* request seen:\n{out}')


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for c in SETUP:
        subprocess.run(c.split(), check=True)
    out = []
    for name, cmd, call, order_free, note in CASES:
        e = {'name': name, 'ip': cmd, 'call': call, 'order_free': order_free,
             'hex': capture(cmd).hex()}
        if note:
            e['note'] = note
        out.append(e)
    ver = subprocess.run(['ip', '-V'], capture_output=True, text=True).stdout.strip()
    with open(sys.argv[1], 'w') as f:
        json.dump({'iproute2': ver, 'generated_by': 'xtask/golden/iproute2_keywords.py',
                   'requests': out}, f, indent=2)
        f.write('\n')


if __name__ == '__main__':
    main()
