#!/usr/bin/python3
"""A minimal SNMPv2c agent for tests/integration/snmp_toobig.sh: it serves
a table of 50 Counter64 values, 1.3.6.1.4.1.99999.1.1 .. .50 (value = 1000
x row), and answers a GETBULK whose max-repetitions is over LIMIT with the
error status tooBig (as devices do whose answer would not fit), else with up
to max-repetitions rows. Built on pysnmp's message API (python3-pysnmp4,
which Debian's snmpsim depends on).

    snmp_toobig.py PORT LIMIT LOG

LOG gets one line per request: "bulk MAXREP tooBig|ok" or "get".
"""
import socket
import sys

from pyasn1.codec.ber import decoder, encoder
from pysnmp.proto import api, rfc1905

port, limit, log = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
p = api.protoModules[api.protoVersion2c]
base = (1, 3, 6, 1, 4, 1, 99999, 1)
rows = [(base + (i,), 1000 * i) for i in range(1, 51)]

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", port))
out = open(log, "a", buffering=1)
while True:
    data, peer = s.recvfrom(65536)
    try:
        req, _ = decoder.decode(data, asn1Spec=p.Message())
    except Exception:
        continue
    rsp = p.apiMessage.getResponse(req)
    rpdu = p.apiMessage.getPDU(rsp)
    qpdu = p.apiMessage.getPDU(req)
    vbs = p.apiPDU.getVarBinds(qpdu)
    if qpdu.isSameTypeWith(p.GetBulkRequestPDU()):
        maxrep = int(p.apiBulkPDU.getMaxRepetitions(qpdu))
        start = tuple(vbs[0][0])
        if maxrep > limit:
            out.write(f"bulk {maxrep} tooBig\n")
            p.apiPDU.setErrorStatus(rpdu, 1)
            p.apiPDU.setVarBinds(rpdu, vbs)
        else:
            out.write(f"bulk {maxrep} ok\n")
            after = [(o, v) for o, v in rows if o > start][:maxrep]
            res = [(p.ObjectIdentifier(o), p.Counter64(v)) for o, v in after]
            if len(after) < maxrep:
                res.append((p.ObjectIdentifier(start if not after else after[-1][0]), rfc1905.endOfMibView))
            p.apiPDU.setVarBinds(rpdu, res)
    else:
        out.write("get\n")
        p.apiPDU.setVarBinds(rpdu, [(o, rfc1905.noSuchObject) for o, _ in vbs])
    s.sendto(encoder.encode(rsp), peer)
