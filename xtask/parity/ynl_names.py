"""Extract the attribute ids and types of the kernel's YNL specs for the rtnetlink families.

usage: python3 xtask/parity/ynl_names.py SPEC_DIR OUT.json [--source TEXT]   (needs PyYAML)

SPEC_DIR holds rt-link.yaml, rt-addr.yaml, rt-route.yaml, rt-neigh.yaml, rt-rule.yaml and
tc.yaml, copied unchanged from Documentation/netlink/specs/ of the kernel tree (torvalds/linux).
--source names where they came from (repository, commit, path) and is written to the output's
"source" field; the committed codegen/tests/parity/ynl.json says which torvalds/linux commit
each of the six files was taken at. For every attribute of every attribute-set it
writes the C constant (name-prefix + name), the numeric id (explicit `value`, else previous + 1,
starting at 1) and the YNL type; the Rust test `codegen/tests/parity.rs` checks each against our
schema.
"""
import json
import os
import sys

import yaml

SPECS = ['rt-link', 'rt-addr', 'rt-route', 'rt-neigh', 'rt-rule', 'tc']


def cname(prefix, name):
    return (prefix + name).upper().replace('-', '_')


def main():
    args = sys.argv[1:]
    source = 'kernel Documentation/netlink/specs (commit not given)'
    if '--source' in args:
        i = args.index('--source')
        source = args[i + 1]
        del args[i:i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    spec_dir, out_path = args
    out = []
    for spec in SPECS:
        with open(os.path.join(spec_dir, spec + '.yaml')) as f:
            doc = yaml.safe_load(f)
        for aset in doc.get('attribute-sets', []):
            if 'subset-of' in aset:
                continue
            prefix = aset.get('name-prefix', '')
            nxt = 1
            for a in aset.get('attributes', []):
                v = a.get('value', nxt)
                nxt = v + 1
                if a.get('type') == 'unused' or a['name'] == 'unspec':
                    continue
                out.append({
                    'spec': spec,
                    'set': aset['name'],
                    'cname': cname(prefix, a['name']),
                    'id': v,
                    'type': a.get('type'),
                    'byte_order': a.get('byte-order', ''),
                })
    out.sort(key=lambda r: (r['spec'], r['set'], r['id'], r['cname']))
    doc = {'source': source, 'generated_by': 'python3 xtask/parity/ynl_names.py', 'attributes': out}
    with open(out_path, 'w') as f:
        json.dump(doc, f, indent=1, sort_keys=True)
        f.write('\n')


if __name__ == '__main__':
    main()
