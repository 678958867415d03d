#!/usr/bin/python3
"""Writes tests/fixtures/snmp/bigip-ltm.snmprec: a BIG-IP recording made up
for the BIG-IP counter decoder (not captured from a device). Virtual servers
and pool members with /Common/... names, two of them as long as an OID of
128 sub-identifiers allows, counters as Counter64 mostly, one Counter32 and
one Gauge32 where devices send those. snmpsim format OID|TAG|VALUE (2
Integer, 4 OctetString, 65 Counter32, 66 Gauge32, 67 TimeTicks, 70
Counter64), sorted by OID.

    /usr/bin/python3 tests/tools/bigip_snmprec.py > tests/fixtures/snmp/bigip-ltm.snmprec
"""

VS = "1.3.6.1.4.1.3375.2.2.10.2.3.1"   # ltmVirtualServStatEntry
MBR = "1.3.6.1.4.1.3375.2.2.5.4.3.1"   # ltmPoolMemberStatEntry


def idx(s):
    return ".".join([str(len(s))] + [str(ord(c)) for c in s])


def long_name(prefix, total):
    s = prefix
    while len(s) < total:
        s += "x"
    return s[:total]


# VS index: 13 (entry) + 1 (column) + 1 (length) + n <= 128 -> n <= 113
VS_LONG = long_name("/Common/lync-fe-berlin-very-long-virtual-server-name-", 113)
# member index: 13 + 1 + (1 + p) + (1 + q) + 1 <= 128 -> p + q <= 111
POOL_LONG = long_name("/Common/pool-with-a-long-name-", 60)
NODE_LONG = long_name("/Common/node-", 51)

vservers = [
    # name, pkts_in, bytes_in, pkts_out, bytes_out, tot_conns, cur_conns, cur tag
    ("/Common/fe-berlin-sip-5061", 1200345, 987654321, 1100222, 876543210, 45678, 312, 66),
    ("/Common/fe-berlin-web-443", 5000000000, 6000000000000, 4000000000, 5000000000000, 700000, 1500, 70),
    ("/Common/dir-berlin-sip-5061", 0, 0, 0, 0, 0, 0, 66),
    (VS_LONG, 77, 7700, 66, 6600, 5, 1, 70),
]
members = [
    # pool, node, port, pkts_in, bytes_in, pkts_out, bytes_out, tot_conns, cur_conns
    ("/Common/fe-berlin-sip", "/Common/10.1.1.11", 5061, 400100, 329218107, 366740, 292181070, 15226, 104),
    ("/Common/fe-berlin-sip", "/Common/10.1.1.12", 5061, 400122, 329218110, 366741, 292181071, 15227, 105),
    ("/Common/fe-berlin-sip", "/Common/10.1.1.13", 5061, 400123, 329218104, 366741, 292181069, 15225, 103),
    ("/Common/fe-berlin-web", "/Common/10.1.1.11", 4443, 2500000000, 3000000000000, 2000000000, 2500000000000, 350000, 750),
    (POOL_LONG, NODE_LONG, 65535, 9, 900, 8, 800, 3, 0),
]

rows = []
for name, pi, bi, po, bo, tc, cc, cctag in vservers:
    i = idx(name)
    rows.append((f"{VS}.1.{i}", 4, name))
    rows.append((f"{VS}.6.{i}", 65 if pi < 2**32 and name.endswith("sip-5061") and pi else 70, pi))
    rows.append((f"{VS}.7.{i}", 70, bi))
    rows.append((f"{VS}.8.{i}", 70, po))
    rows.append((f"{VS}.9.{i}", 70, bo))
    rows.append((f"{VS}.11.{i}", 70, tc))
    rows.append((f"{VS}.12.{i}", cctag, cc))
for pool, node, port, pi, bi, po, bo, tc, cc in members:
    i = f"{idx(pool)}.{idx(node)}.{port}"
    rows.append((f"{MBR}.1.{i}", 4, pool))
    rows.append((f"{MBR}.4.{i}", 2, port))
    rows.append((f"{MBR}.5.{i}", 70, pi))
    rows.append((f"{MBR}.6.{i}", 70, bi))
    rows.append((f"{MBR}.7.{i}", 70, po))
    rows.append((f"{MBR}.8.{i}", 70, bo))
    rows.append((f"{MBR}.10.{i}", 70, tc))
    rows.append((f"{MBR}.11.{i}", 70, cc))
    rows.append((f"{MBR}.28.{i}", 4, node))

rows.append(("1.3.6.1.2.1.1.1.0", 4, "BIG-IP recording made for aclforge's tests"))
rows.append(("1.3.6.1.2.1.1.3.0", 67, 123456789))
for oid, _, _ in rows:
    assert len(oid.split(".")) <= 128, oid
rows.sort(key=lambda r: [int(x) for x in r[0].split(".")])
for oid, tag, val in rows:
    print(f"{oid}|{tag}|{val}")
