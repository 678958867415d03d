#!/usr/bin/python3
"""Writes an snmpsim recording (.snmprec: OID|TAG|VALUE, sorted by OID) for
a device from aclforge's own render of it, so that the counters a device
would keep carry the names aclforge gives them (not captured from a device;
used by tests/integration/counters_snmpsim.sh).

    counters_snmprec.py junos FILE.junos [EXTRA.snmprec] > fw1.snmprec
    counters_snmprec.py bigip FILE.tmsh > lb1.snmprec

junos: one jnxFWCounterTable row (type counter) per `then count NAME` of
each filter, family inet and inet6 alike, packets and bytes made up from
the names (stable from run to run); besides, for the first filter:
  - two interface-specific instances, FILTER-ge-0/0/1.0-i whose counters
    keep their names and FILTER-xe-1/2/3:1.100-o whose counters are named
    NAME-xe-1/2/3:1.100-o (both forms occur), each with its own numbers;
  - its last rule's counter left out (a rule the device does not count);
  - a policer row named after its first rule (not a counter of that rule).
The rows of EXTRA (the MX960's real firewall table) are kept as they are:
filters aclforge does not own.

bigip: one ltmVirtualServStatTable row per `create ltm virtual`, one
ltmPoolMemberStatTable row per pool member (node NAME:PORT), in /Common;
the last virtual left out. Each row has every column of its entry, as an
agent serves them (VS_COLUMNS and MBR_COLUMNS: the column counts of the
15.1 MIB text), the ones aclforge reads made up from the names, the others
made-up numbers too: a walk of the whole entries reads all of them, the
columns `counters` walks only theirs. tests/bench/bigip_snmprec.py makes
a larger one with vs_rows and mbr_rows.
"""
import hashlib
import re
import sys

FWC = "1.3.6.1.4.1.2636.3.5.2.1"
VS = "1.3.6.1.4.1.3375.2.2.10.2.3.1"
MBR = "1.3.6.1.4.1.3375.2.2.5.4.3.1"


def idx(s):
    b = s.encode()
    return ".".join([str(len(b))] + [str(c) for c in b])


def made_up(*names, scale=1000000):
    h = hashlib.sha256("|".join(names).encode()).digest()
    return int.from_bytes(h[:8], "big") % scale


def junos(path, extra):
    filters = {}  # name -> counters in order
    for line in open(path):
        m = re.match(r'set firewall family inet6? filter "?([^" ]+)"? term "?([^" ]+)"? then count "?([^" ]+)"?$',
                     line.strip())
        if m:
            filters.setdefault(m.group(1), []).append(m.group(3))
    rows = []

    def row(f, c, typ, pk, by):
        i = f"{idx(f)}.{idx(c)}.{typ}"
        rows.append((f"{FWC}.3.{i}", 2, typ))
        rows.append((f"{FWC}.4.{i}", 70, pk))
        rows.append((f"{FWC}.5.{i}", 70, by))

    for n, (f, counters) in enumerate(filters.items()):
        rules = [c for c in counters if not c.startswith("default-")]
        dropped = set()
        if n == 0 and rules:
            last = rules[-1][:-3] if rules[-1].endswith("-v6") else rules[-1]
            dropped = {last, last + "-v6"}
        for c in counters:
            if c in dropped:
                continue
            pk = made_up(f, c)
            row(f, c, 2, pk, pk * 97 + made_up(c, f, scale=97))
            if n == 0:
                for inst, suffix in (("ge-0/0/1.0-i", ""), ("xe-1/2/3:1.100-o", "-xe-1/2/3:1.100-o")):
                    pk = made_up(f, c, inst)
                    row(f"{f}-{inst}", c + suffix, 2, pk, pk * 80)
        if n == 0 and rules:
            row(f, rules[0], 3, 424242, 42424200)
    if extra:
        for line in open(extra):
            oid, tag, val = line.rstrip("\n").split("|", 2)
            if oid.startswith(FWC + "."):
                rows.append((oid, tag, val))
    return rows


VS_COLUMNS = 38   # ltmVirtualServStatEntry: 1 Name, 2-38 numbers
MBR_COLUMNS = 30  # ltmPoolMemberStatEntry: 1 PoolName, 2 AddrType, 3 Addr, 4 Port, 28 NodeName


def vs_rows(name, pkts, byts, conns, cur):
    """Every column of the virtual's row: 6 ClientPktsIn, 7 ClientBytesIn,
    11 ClientTotConns, 12 ClientCurConns (Gauge32) as given."""
    i = idx(name)
    given = {6: (70, pkts), 7: (70, byts), 11: (70, conns), 12: (66, cur)}
    rows = [(f"{VS}.1.{i}", 4, name)]
    for col in range(2, VS_COLUMNS + 1):
        tag, val = given.get(col, (70, made_up(name, str(col))))
        rows.append((f"{VS}.{col}.{i}", tag, val))
    return rows


def mbr_rows(pool, node, port, pkts, conns):
    """Every column of the pool member's row (index pool, node name, port):
    5 ServerPktsIn and 10 ServerTotConns as given."""
    i = f"{idx(pool)}.{idx(node)}.{port}"
    given = {1: (4, pool), 2: (2, 0), 3: (4, ""), 4: (2, port), 5: (70, pkts), 10: (70, conns),
             28: (4, node)}
    return [(f"{MBR}.{col}.{i}",) + given.get(col, (70, made_up(pool, node, str(port), str(col))))
            for col in range(1, MBR_COLUMNS + 1)]


def bigip(path):
    rows = []
    text = open(path).read()
    pools = {}
    for m in re.finditer(r"^create ltm pool (\S+) \{.*?members replace-all-with \{(.*)\} monitor", text, re.M):
        pools[m.group(1)] = re.findall(r"(\S+):(\d+) \{ address", m.group(2))
    virtuals = re.findall(r"^create ltm virtual (\S+) \{.* pool (\S+) ", text, re.M)
    for n, (vs, pool) in enumerate(virtuals):
        if n < len(virtuals) - 1:
            rows += vs_rows("/Common/" + vs, made_up(vs, "pkts"), made_up(vs, "bytes", scale=10**12),
                            made_up(vs, "conns"), made_up(vs, "cur", scale=1000))
        for node, port in pools.get(pool, []):
            p, nd = "/Common/" + pool, "/Common/" + node
            rows += mbr_rows(p, nd, port, made_up(p, nd, port, "pkts"), made_up(p, nd, port, "conns"))
    return rows


def main():
    kind, path = sys.argv[1], sys.argv[2]
    rows = junos(path, sys.argv[3] if len(sys.argv) > 3 else None) if kind == "junos" else bigip(path)
    rows.append(("1.3.6.1.2.1.1.1.0", 4, f"{kind} recording derived from aclforge's render"))
    rows.append(("1.3.6.1.2.1.1.3.0", 67, 4242))
    for oid, _, _ in rows:
        assert len(oid.split(".")) <= 128, oid
    rows.sort(key=lambda r: [int(x) for x in r[0].split(".")])
    for oid, tag, val in rows:
        print(f"{oid}|{tag}|{val}")


if __name__ == "__main__":
    main()
