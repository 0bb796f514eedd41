"""Extract pyroute2's attribute vocabulary (name -> id, and where) for the rtnetlink families.

usage: python3 xtask/parity/pyroute2_names.py OUT.json   (or `cargo xtask parity-pyroute2`;
needs `pip install 'pyroute2>=0.9,<0.10'`)

Walks the nla_map of ifinfmsg, ifstatsmsg, ifaddrmsg, rtmsg, fibmsg, ndmsg, ndtmsg and tcmsg
recursively and writes one record per attribute name: the message, the nesting path, the NLA
name and its numeric id.

pyroute2 names the payload class of an attribute by a string: a nested class (walked), a
built-in type (a leaf), or a dispatcher (a static method that picks the class at decode time:
IFLA_INFO_DATA by IFLA_INFO_KIND, TCA_OPTIONS by TCA_KIND, RTA_ENCAP by RTA_ENCAP_TYPE,
IFLA_AF_SPEC by the header's family ...). Dispatchers are expanded into every class they can
return, each labelled with its selector value when the dispatcher has a table (link kinds, tc
kinds, encap types, families) so the Rust test can follow the same branch of our sub-messages.

Each record's `nest` is the list of steps from the message's top-level set: [id, selector] per
step (selector null when the attribute is a plain nest). `path` is the same, readable:
`ifinfmsg/IFLA_LINKINFO/IFLA_INFO_DATA[vxlan]`. Deterministic output (sorted), committed as
data; `codegen/tests/parity.rs` resolves each record in our schema.
"""
import inspect
import json
import re
import sys
import types

import pyroute2
from pyroute2.netlink.rtnl import tcmsg as tcmsg_pkg
from pyroute2.netlink.rtnl.fibmsg import fibmsg
from pyroute2.netlink.rtnl.ifaddrmsg import ifaddrmsg
from pyroute2.netlink.rtnl.ifinfmsg import ifinfbase, ifinfmsg
from pyroute2.netlink.rtnl.ifstatsmsg import ifstatsmsg
from pyroute2.netlink.rtnl.ndmsg import ndmsg
from pyroute2.netlink.rtnl.ndtmsg import ndtmsg
from pyroute2.netlink.rtnl.rtmsg import rtmsg, rtmsg_base
from pyroute2.netlink.rtnl.tcmsg import common_act, sched_template

AF_UNSPEC, AF_BRIDGE = 0, 7


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


def is_nla_class(x):
    return isinstance(x, type) and bool(getattr(x, 'nla_map', None))


def tc_plugin(plug):
    """TCA_OPTIONS / TCA_XSTATS / TCA_STATS2: tcmsg.get_plugin(plug) per TCA_KIND."""
    out = []
    for kind, module in sorted(tcmsg_pkg.plugins.items()):
        iface = getattr(module, plug, getattr(sched_template, plug, None))
        for c in candidates_of_function(iface, module.__dict__) if isinstance(
            iface, types.FunctionType
        ) else [iface]:
            out.append((kind, c))
    return out


# Dispatchers whose table is a local variable (or a sibling module): their branches by selector.
TABLES = {
    'ifinfbase.af_spec': lambda cls: [
        (AF_UNSPEC, ifinfbase.af_spec_inet),
        (AF_BRIDGE, ifinfbase.af_spec_bridge),
    ],
    'ifinfbase.protinfo': lambda cls: [
        (AF_BRIDGE, sys.modules[ifinfbase.__module__].protinfo_bridge)
    ],
    'ifinfbase.ifinfo.info_slave_data': lambda cls: [
        ('bridge', cls.bridge_slave_data),
        ('bond', cls.bond_slave_data),
    ],
    'ifinfbase.ifinfo.info_data': lambda cls: sorted(cls.data_map.items()),
    'rtmsg_base.encap_info': lambda cls: sorted(cls.encaps.items()),
    'tcmsg.get_options': lambda cls: tc_plugin('options'),
    'tcmsg.get_xstats': lambda cls: tc_plugin('stats'),
    'tcmsg.get_stats2': lambda cls: tc_plugin('stats2'),
    'nla_plus_tca_act_opt.get_act_options': lambda cls: sorted(
        (k, m.options) for k, m in common_act.plugins.items()
    ),
}


def candidates_of_function(f, scope):
    """Classes a dispatcher without a table can return: the names its code refers to."""
    out = []
    for n in f.__code__.co_names:
        x = scope.get(n) if isinstance(scope, dict) else getattr(scope, n, None)
        if x is None:
            x = f.__globals__.get(n)
        if isinstance(x, type) and (getattr(x, 'nla_map', None) or getattr(x, 'fields', None)):
            out.append(x)
    return out


unknown_dispatchers = set()


def branches(cls, ty):
    """[(selector or None, class)] for the payload type name `ty` of an attribute of `cls`."""
    if not isinstance(ty, str):
        return []
    ty = ty.lstrip('*')
    x = inspect.getattr_static(cls, ty, None) if hasattr(cls, ty) else None
    if x is None:
        return []
    if isinstance(x, (staticmethod, classmethod)):
        x = x.__func__
    if isinstance(x, type):
        return [(None, x)]
    if isinstance(x, types.FunctionType):
        key = x.__qualname__
        if key in TABLES:
            return TABLES[key](cls)
        found = candidates_of_function(x, cls)
        if not found:
            unknown_dispatchers.add(key)
        return [(None, c) for c in found]
    return []


def indexed(es):
    """An indexed array spelt as a map (TCA_ACT_PRIO_0 .. _31): every name PREFIX_N, one type."""
    named = [e for e in es if isinstance(e[1], str) and not e[1].endswith('_UNSPEC')]
    return len(named) > 2 and len({re.sub(r'\d+$', '', e[1]) for e in named} | {None}) == 2 and all(
        re.search(r'_\d+$', e[1]) for e in named
    ) and len({e[2] for e in named}) == 1


def walk(msg, cls, steps, path, stack, out):
    # A class (or a copy of its map) inside itself: veth's peer is a whole link message again.
    if id(getattr(cls, 'nla_map', None)) in stack:
        return
    stack = stack + [id(cls.nla_map)]
    es = entries(cls)
    array = indexed(es)
    walked = False
    for nid, name, ty in es:
        if not isinstance(name, str) or name.endswith('_UNSPEC') or name.startswith(('UNKNOWN', '__')):
            continue
        out.append({'message': msg, 'nest': steps, 'path': path, 'name': name, 'id': nid})
        if array and walked:
            continue  # the positions of an indexed array share one element type: walk it once
        walked = True
        for sel, sub in branches(cls, ty):
            if is_nla_class(sub):
                label = name if sel is None else '%s[%s]' % (name, sel)
                walk(msg, sub, steps + [[nid, sel]], path + '/' + label, stack, out)


def main():
    out = []
    for cls in (ifinfmsg, ifstatsmsg, ifaddrmsg, rtmsg, fibmsg, ndmsg, ndtmsg, tcmsg_pkg.tcmsg):
        walk(cls.__name__, cls, [], cls.__name__, [], out)
    # One record per (place, name, id): shared classes reached twice by the same path collapse.
    seen, uniq = set(), []
    for r in out:
        k = (r['path'], r['name'], r['id'])
        if k not in seen:
            seen.add(k)
            uniq.append(r)
    uniq.sort(key=lambda r: (r['path'], r['id'], r['name']))
    for d in sorted(unknown_dispatchers):
        print('pyroute2_names.py: dispatcher %s returns no class we can walk' % d, file=sys.stderr)
    doc = {
        'pyroute2_version': pyroute2.__version__,
        'generated_by': 'cargo xtask parity-pyroute2 (python3 xtask/parity/pyroute2_names.py)',
        'attributes': uniq,
    }
    with open(sys.argv[1], 'w') as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write('\n')
    print('%d pyroute2 attribute names written to %s' % (len(uniq), sys.argv[1]))


if __name__ == '__main__':
    main()
