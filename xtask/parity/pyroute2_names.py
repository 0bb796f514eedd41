"""Extract pyroute2's attribute vocabulary (name -> id) for the rtnetlink families.

usage: python3 xtask/parity/pyroute2_names.py OUT.json   (needs `pip install 'pyroute2>=0.9,<0.10'`)

Walks the nla_map of ifinfmsg, ifaddrmsg, rtmsg, fibmsg, ndmsg and tcmsg recursively (nested
classes named by the map's type field) and writes one record per attribute: the class path, the
NLA name and its numeric id. Deterministic output (sorted), committed as data; the Rust test
`codegen/tests/parity.rs` checks each name against our schema's name tables.
"""
import json
import sys

import pyroute2
from pyroute2.netlink.rtnl.fibmsg import fibmsg
from pyroute2.netlink.rtnl.ifaddrmsg import ifaddrmsg
from pyroute2.netlink.rtnl.ifinfmsg import ifinfmsg
from pyroute2.netlink.rtnl.ndmsg import ndmsg
from pyroute2.netlink.rtnl.rtmsg import rtmsg
from pyroute2.netlink.rtnl.tcmsg import tcmsg


def entries(cls):
    m = getattr(cls, 'nla_map', None)
    if not m:
        return []
    if isinstance(m, dict):
        m = [(k,) + tuple(v) if isinstance(v, (list, tuple)) else (k, v) for k, v in m.items()]
    out = []
    for pos, e in enumerate(m):
        if isinstance(e[0], int):
            out.append((e[0], e[1], e[2] if len(e) > 2 else None))
        else:
            out.append((pos, e[0], e[1] if len(e) > 1 else None))
    return out


def walk(cls, path, seen, out):
    if id(cls) in seen:
        return
    seen.add(id(cls))
    for nid, name, ty in entries(cls):
        if not isinstance(name, str) or name.endswith('_UNSPEC') or name.startswith('UNKNOWN'):
            continue
        out.append({'path': path, 'name': name, 'id': nid})
        if isinstance(ty, str):
            sub = getattr(cls, ty, None)
            if isinstance(sub, type) and getattr(sub, 'nla_map', None):
                walk(sub, path + '/' + name, seen, out)


def main():
    out = []
    for cls in (ifinfmsg, ifaddrmsg, rtmsg, fibmsg, ndmsg, tcmsg):
        walk(cls, cls.__name__, set(), out)
    out.sort(key=lambda r: (r['path'], r['id'], r['name']))
    doc = {'pyroute2_version': pyroute2.__version__, 'generated_by': 'python3 xtask/parity/pyroute2_names.py', 'attributes': out}
    with open(sys.argv[1], 'w') as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write('\n')


if __name__ == '__main__':
    main()
