#!/usr/bin/env python3
"""Decode rtnetlink request bytes into readable Markdown tables.

Pure Python (no pyroute2).  Understands the messages used by the golden
fixtures: RTM_{NEW,DEL,SET,GET}LINK, RTM_{NEW,DEL}ADDR, RTM_{NEW,DEL}ROUTE,
including IFLA_LINKINFO / IFLA_INFO_DATA / VETH_INFO_PEER nesting.

Usage:
    python3 xtask/golden/decode.py rtnl-api/tests/golden/pyroute2.json
    python3 xtask/golden/decode.py --hex TITLE HEX [TITLE HEX ...]

Prints Markdown to stdout (pasted into rtnl-api/tests/golden/README.md).
"""

import ipaddress
import json
import struct
import sys

MSG_TYPES = {
    16: 'RTM_NEWLINK', 17: 'RTM_DELLINK', 18: 'RTM_GETLINK',
    19: 'RTM_SETLINK', 20: 'RTM_NEWADDR', 21: 'RTM_DELADDR',
    22: 'RTM_GETADDR', 24: 'RTM_NEWROUTE', 25: 'RTM_DELROUTE',
    26: 'RTM_GETROUTE',
}
FLAGS_COMMON = {1: 'NLM_F_REQUEST', 2: 'NLM_F_MULTI', 4: 'NLM_F_ACK',
                8: 'NLM_F_ECHO', 0x10: 'NLM_F_DUMP_INTR',
                0x20: 'NLM_F_DUMP_FILTERED'}
FLAGS_NEW = {0x100: 'NLM_F_REPLACE', 0x200: 'NLM_F_EXCL',
             0x400: 'NLM_F_CREATE', 0x800: 'NLM_F_APPEND'}
FLAGS_GET = {0x100: 'NLM_F_ROOT', 0x200: 'NLM_F_MATCH', 0x400: 'NLM_F_ATOMIC'}
FLAGS_DEL = {0x100: 'NLM_F_NONREC', 0x200: 'NLM_F_BULK'}

FAMILIES = {0: 'AF_UNSPEC', 2: 'AF_INET', 7: 'AF_BRIDGE', 10: 'AF_INET6'}
IFF = {1: 'IFF_UP', 2: 'IFF_BROADCAST', 8: 'IFF_LOOPBACK',
       0x10: 'IFF_POINTOPOINT', 0x40: 'IFF_RUNNING', 0x80: 'IFF_NOARP',
       0x100: 'IFF_PROMISC', 0x1000: 'IFF_MULTICAST'}
RT_TABLES = {0: 'RT_TABLE_UNSPEC', 253: 'RT_TABLE_DEFAULT',
             254: 'RT_TABLE_MAIN', 255: 'RT_TABLE_LOCAL'}
RT_PROTOS = {0: 'RTPROT_UNSPEC', 1: 'RTPROT_REDIRECT', 2: 'RTPROT_KERNEL',
             3: 'RTPROT_BOOT', 4: 'RTPROT_STATIC'}
RT_SCOPES = {0: 'RT_SCOPE_UNIVERSE', 200: 'RT_SCOPE_SITE',
             253: 'RT_SCOPE_LINK', 254: 'RT_SCOPE_HOST',
             255: 'RT_SCOPE_NOWHERE'}
RT_TYPES = {0: 'RTN_UNSPEC', 1: 'RTN_UNICAST', 2: 'RTN_LOCAL',
            3: 'RTN_BROADCAST', 4: 'RTN_ANYCAST', 5: 'RTN_MULTICAST',
            6: 'RTN_BLACKHOLE', 7: 'RTN_UNREACHABLE', 8: 'RTN_PROHIBIT'}

# attribute tables: id -> (name, kind); kind is a decoder name or a table
IFLA_INFO_DATA_VETH = {1: ('VETH_INFO_PEER', 'veth_peer')}
IFLA_LINKINFO = {1: ('IFLA_INFO_KIND', 'str'), 2: ('IFLA_INFO_DATA', 'data'),
                 3: ('IFLA_INFO_XSTATS', 'raw'),
                 4: ('IFLA_INFO_SLAVE_KIND', 'str'),
                 5: ('IFLA_INFO_SLAVE_DATA', 'raw')}
IFLA = {1: ('IFLA_ADDRESS', 'mac'), 2: ('IFLA_BROADCAST', 'mac'),
        3: ('IFLA_IFNAME', 'str'), 4: ('IFLA_MTU', 'u32'),
        5: ('IFLA_LINK', 'u32'), 6: ('IFLA_QDISC', 'str'),
        10: ('IFLA_MASTER', 'u32'), 13: ('IFLA_TXQLEN', 'u32'),
        16: ('IFLA_OPERSTATE', 'u8'), 17: ('IFLA_LINKMODE', 'u8'),
        18: ('IFLA_LINKINFO', IFLA_LINKINFO), 19: ('IFLA_NET_NS_PID', 'u32'),
        20: ('IFLA_IFALIAS', 'str'), 27: ('IFLA_GROUP', 'u32'),
        29: ('IFLA_EXT_MASK', 'u32'), 31: ('IFLA_NUM_TX_QUEUES', 'u32'),
        32: ('IFLA_NUM_RX_QUEUES', 'u32'), 53: ('IFLA_ALT_IFNAME', 'str')}
IFA = {1: ('IFA_ADDRESS', 'ip'), 2: ('IFA_LOCAL', 'ip'),
       3: ('IFA_LABEL', 'str'), 4: ('IFA_BROADCAST', 'ip'),
       5: ('IFA_ANYCAST', 'ip'), 6: ('IFA_CACHEINFO', 'raw'),
       7: ('IFA_MULTICAST', 'ip'), 8: ('IFA_FLAGS', 'u32'),
       9: ('IFA_RT_PRIORITY', 'u32'), 11: ('IFA_PROTO', 'u8')}
RTA = {1: ('RTA_DST', 'ip'), 2: ('RTA_SRC', 'ip'), 3: ('RTA_IIF', 'u32'),
       4: ('RTA_OIF', 'u32'), 5: ('RTA_GATEWAY', 'ip'),
       6: ('RTA_PRIORITY', 'u32'), 7: ('RTA_PREFSRC', 'ip'),
       8: ('RTA_METRICS', 'raw'), 9: ('RTA_MULTIPATH', 'raw'),
       11: ('RTA_FLOW', 'u32'), 15: ('RTA_TABLE', 'u32'),
       16: ('RTA_MARK', 'u32'), 20: ('RTA_PREF', 'u8'),
       21: ('RTA_ENCAP_TYPE', 'u16'), 22: ('RTA_ENCAP', 'raw'),
       30: ('RTA_NH_ID', 'u32')}


def named(value, table):
    return f'{value} ({table[value]})' if value in table else str(value)


def flag_names(value, table):
    names, rest = [], value
    for bit, name in sorted(table.items()):
        if value & bit:
            names.append(name)
            rest &= ~bit
    if rest:
        names.append(hex(rest))
    joined = ' \\| '.join(names) if names else '0'  # '|' escaped for tables
    return f'{value:#06x} ({joined})'


def nl_flags(value, msg_type):
    name = MSG_TYPES.get(msg_type, '')
    extra = (FLAGS_NEW if 'NEW' in name or 'SET' in name else
             FLAGS_GET if 'GET' in name else
             FLAGS_DEL if 'DEL' in name else {})
    return flag_names(value, {**FLAGS_COMMON, **extra})


def fmt_value(kind, payload):
    if kind == 'str':
        if payload.endswith(b'\0'):
            return f'"{payload[:-1].decode()}" + NUL'
        return f'"{payload.decode()}" (no NUL)'
    if kind == 'u8' and len(payload) == 1:
        return str(payload[0])
    if kind == 'u16' and len(payload) == 2:
        return str(struct.unpack('=H', payload)[0])
    if kind == 'u32' and len(payload) == 4:
        return str(struct.unpack('=I', payload)[0])
    if kind == 'mac':
        return ':'.join(f'{b:02x}' for b in payload)
    if kind == 'ip' and len(payload) in (4, 16):
        return str(ipaddress.ip_address(payload))
    return f'`{payload.hex()}`' if payload else '(empty)'


def header_ifinfomsg(data, off):
    family, _pad, itype, index, flags, change = struct.unpack_from(
        '=BBHiII', data, off)
    return 16, [('ifi_family', named(family, FAMILIES)), ('ifi_type', itype),
                ('ifi_index', index), ('ifi_flags', flag_names(flags, IFF)),
                ('ifi_change', flag_names(change, IFF))]


def header_ifaddrmsg(data, off):
    family, plen, flags, scope, index = struct.unpack_from('=BBBBI', data, off)
    return 8, [('ifa_family', named(family, FAMILIES)),
               ('ifa_prefixlen', plen), ('ifa_flags', hex(flags)),
               ('ifa_scope', named(scope, RT_SCOPES)), ('ifa_index', index)]


def header_rtmsg(data, off):
    (family, dst_len, src_len, tos, table, proto, scope, rtype,
     flags) = struct.unpack_from('=BBBBBBBBI', data, off)
    return 12, [('rtm_family', named(family, FAMILIES)),
                ('rtm_dst_len', dst_len), ('rtm_src_len', src_len),
                ('rtm_tos', tos), ('rtm_table', named(table, RT_TABLES)),
                ('rtm_protocol', named(proto, RT_PROTOS)),
                ('rtm_scope', named(scope, RT_SCOPES)),
                ('rtm_type', named(rtype, RT_TYPES)),
                ('rtm_flags', hex(flags))]


def walk_attrs(data, start, end, table, path, rows, base, kind=None):
    """Append (offset, nla_len, id, path/name, value) rows for [start,end)."""
    off = start
    while off + 4 <= end:
        nla_len, nla_type = struct.unpack_from('=HH', data, off)
        if nla_len < 4:
            rows.append((off - base, nla_len, nla_type, '?', 'bad nla_len'))
            return
        payload = bytes(data[off + 4:off + nla_len])
        flags = nla_type & 0xc000
        tid = nla_type & 0x3fff
        name, vkind = table.get(tid, (f'type {tid}', 'raw'))
        if flags & 0x8000:
            name += ' (NLA_F_NESTED)'
        full = f'{path}{name}'
        if isinstance(vkind, dict):
            rows.append((off - base, nla_len, nla_type, full, 'nested'))
            walk_attrs(data, off + 4, off + nla_len, vkind, full + ' / ',
                       rows, base, kind)
        elif vkind == 'data':
            sub = IFLA_INFO_DATA_VETH if kind == 'veth' else {}
            rows.append((off - base, nla_len, nla_type, full, 'nested'))
            walk_attrs(data, off + 4, off + nla_len, sub, full + ' / ',
                       rows, base, kind)
        elif vkind == 'veth_peer':
            _, hdr = header_ifinfomsg(data, off + 4)
            hdr_txt = ', '.join(f'{k}={v}' for k, v in hdr)
            rows.append((off - base, nla_len, nla_type, full,
                         f'struct ifinfomsg {{{hdr_txt}}} + attrs'))
            walk_attrs(data, off + 20, off + nla_len, IFLA, full + ' / ',
                       rows, base)
        else:
            rows.append((off - base, nla_len, nla_type, full,
                         fmt_value(vkind, payload)))
            if table is IFLA_LINKINFO and tid == 1:  # remember the kind
                kind = payload.rstrip(b'\0').decode()
        off += (nla_len + 3) & ~3


def decode_message(data, off):
    length, mtype, flags, seq, pid = struct.unpack_from('=IHHII', data, off)
    mname = MSG_TYPES.get(mtype, str(mtype))
    lines = ['| nlmsghdr | value |', '|---|---|',
             f'| nlmsg_len | {length} |',
             f'| nlmsg_type | {mtype} ({mname}) |',
             f'| nlmsg_flags | {nl_flags(flags, mtype)} |',
             f'| nlmsg_seq | {seq} |', f'| nlmsg_pid | {pid} |', '']
    if 'LINK' in mname:
        hlen, fields, table, hname = (*header_ifinfomsg(data, off + 16),
                                      IFLA, 'ifinfomsg')
    elif 'ADDR' in mname:
        hlen, fields, table, hname = (*header_ifaddrmsg(data, off + 16),
                                      IFA, 'ifaddrmsg')
    elif 'ROUTE' in mname:
        hlen, fields, table, hname = (*header_rtmsg(data, off + 16),
                                      RTA, 'rtmsg')
    else:
        return length, lines + ['(unknown message type)', '']
    lines += [f'| {hname} ({hlen} bytes) | value |', '|---|---|']
    lines += [f'| {k} | {v} |' for k, v in fields]
    lines.append('')
    rows = []
    walk_attrs(data, off + 16 + hlen, off + length, table, '', rows, off)
    if rows:
        lines += ['| offset | nla_len | id | attribute | value |',
                  '|---:|---:|---:|---|---|']
        lines += [f'| {o} | {ln} | {t} | {n} | {v} |'
                  for o, ln, t, n, v in rows]
    else:
        lines.append('(no attributes)')
    lines.append('')
    return length, lines


def decode(title, hexstr, call=None, note=None):
    data = bytes.fromhex(hexstr)
    out = [f'### {title}', '']
    if call:
        out += [f'`{call}`', '']
    if note:
        out += [f'Note: {note}', '']
    out += ['```', hexstr, '```', '']
    off = 0
    while off < len(data):
        length, lines = decode_message(data, off)
        out += lines
        off += (length + 3) & ~3
    return '\n'.join(out)


def main(argv):
    if len(argv) >= 3 and argv[0] == '--hex' and len(argv) % 2 == 1:
        for i in range(1, len(argv), 2):
            print(decode(argv[i], argv[i + 1]))
        return
    if len(argv) != 1:
        sys.exit(__doc__)
    with open(argv[0]) as f:
        doc = json.load(f)
    print(f'Decoded from `{argv[0]}` (pyroute2 {doc["pyroute2_version"]}).')
    print()
    for req in doc['requests']:
        print(decode(req['name'], req['hex'], req['call'], req.get('note')))


if __name__ == '__main__':
    main(sys.argv[1:])
