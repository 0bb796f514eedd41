"""pyroute2 side of the write benchmark (run by `cargo xtask bench --writes` in the bench namespace).

usage: pyroute2_add.py N

Adds N IPv4 /32 routes via 10.0.0.2 to table 100, one IPRoute.route("add", ...) call per route
(the way pyroute2's users write it), with the destinations examples/bench_batch.rs uses, and
prints the seconds the adds took (the import and socket set-up excluded).
"""
import ipaddress
import sys
import time

from pyroute2 import IPRoute


def main():
    n = int(sys.argv[1])
    base = int(ipaddress.IPv4Address("10.16.0.0"))
    with IPRoute() as ipr:
        t = time.perf_counter()
        for i in range(n):
            dst = str(ipaddress.IPv4Address(base + i))
            ipr.route("add", dst=dst, dst_len=32, gateway="10.0.0.2", table=100)
        print(f"{time.perf_counter() - t:.6f}")


main()
