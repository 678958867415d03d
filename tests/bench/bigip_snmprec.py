#!/usr/bin/python3
"""Writes an snmpsim recording (.snmprec) of a BIG-IP with N virtual
servers, each with a pool of M members (default 2), every column of both
statistics entries as tests/tools/counters_snmprec.py makes them (made-up
numbers, not captured from a device). For measuring what `counters` asks
of a large BIG-IP (requests and values: no timing here):

    bigip_snmprec.py N [M] > lb500.snmprec
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
import counters_snmprec as cs  # noqa: E402


def main():
    n = int(sys.argv[1])
    m = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    rows = []
    for v in range(n):
        vs = f"aclf_svc{v:04d}-443_vs"
        pool = f"/Common/aclf_svc{v:04d}-443_pool"
        rows += cs.vs_rows("/Common/" + vs, cs.made_up(vs, "pkts"), cs.made_up(vs, "bytes", scale=10**12),
                           cs.made_up(vs, "conns"), cs.made_up(vs, "cur", scale=1000))
        for k in range(m):
            node = f"/Common/aclf_srv{(v * m + k) % 4096:04d}"
            rows += cs.mbr_rows(pool, node, 443, cs.made_up(pool, node, "pkts"), cs.made_up(pool, node, "conns"))
    rows.append(("1.3.6.1.2.1.1.1.0", 4, f"BIG-IP with {n} virtual servers made for aclforge's benchmark"))
    rows.append(("1.3.6.1.2.1.1.3.0", 67, 4242))
    rows.sort(key=lambda r: [int(x) for x in r[0].split(".")])
    for oid, tag, val in rows:
        print(f"{oid}|{tag}|{val}")


if __name__ == "__main__":
    main()
