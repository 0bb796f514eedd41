"""pyroute2 side of the dump benchmark (run by `cargo xtask bench` inside the bench namespace).

usage: pyroute2_dump.py TABLE [FAMILY]

Dumps the routes of TABLE with pyroute2's IPRoute.get_routes (the same call a pyroute2 user
writes), reads dst, gateway, oif, table and priority of each, and prints one JSON line like the
Rust runners: routes, seconds of the dump alone, peak RSS (KiB), checksum of the fields read.
"""
import ipaddress
import json
import resource
import socket
import sys
import time

from pyroute2 import IPRoute


def bits(addr):
    if addr is None:
        return 0
    ip = int(ipaddress.ip_address(addr))
    return (ip & 0xFFFFFFFFFFFFFFFF) ^ (ip >> 64)


def main():
    table = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    family = int(sys.argv[2]) if len(sys.argv) > 2 else socket.AF_INET
    acc = 0
    n = 0
    t = time.perf_counter()
    with IPRoute() as ipr:
        for r in ipr.get_routes(family=family, table=table):
            n += 1
            for v in (
                bits(r.get('dst')),
                bits(r.get('gateway')),
                r.get('oif') or 0,
                r.get('table') or 0,
                r.get('priority') or 0,
            ):
                acc = (acc * 0x100000001B3 + v) & 0xFFFFFFFFFFFFFFFF
    secs = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"impl": "pyroute2", "routes": n, "bytes": 0, "secs": round(secs, 6), "maxrss_kb": rss, "checksum": acc}, separators=(",", ":")))


if __name__ == "__main__":
    main()
