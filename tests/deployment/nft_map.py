#!/usr/bin/python3
"""Helpers of tests/integration/deployment_nft.sh (run with /usr/bin/python3).

plan FLOWS EXAMPLE       the example's roles with their images and the flows
                         that apply, one per line:
                           role NAME ADDRESS SEND_IMAGE RECEIVE_IMAGE
                           device NAME RECEIVE_IMAGE     (devices of the roles)
                           flow LINE FROM TO PROTO SPORT DPORT VERDICT SIP DIP SRC DST
rewrite FLOWS EXAMPLE    an nftables ruleset (stdin) with every IPv4 address
                         or prefix that holds a role's address also holding
                         that role's images (stdout)
serve ADDR PROTO PORT T  answer one TCP connection or UDP datagram, T seconds
probe SADDR SPORT DADDR DPORT PROTO T
                         "answered" when the answer came back, else "silent"

Images: role k (in file order) sends from 198.18.1.(10+k) and receives on
198.18.2.(10+k); nothing else of 198.18.0.0/15 is in the rewritten rules.
"""
import ipaddress
import re
import socket
import sys


def parse(flows_path, example):
    roles, flows, section, ex = [], [], None, None
    with open(flows_path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            m = re.match(r"\[roles (.+)\]$", line)
            if m:
                section, ex = "roles", m.group(1)
                continue
            if line == "[flows]":
                section = "flows"
                continue
            w = line.split()
            if section == "roles" and ex == example:
                roles.append((w[0], ipaddress.ip_address(w[1])))
            elif section == "flows":
                flows.append((n, w[0], w[1], w[2], int(w[3]), int(w[4]), w[5]))
    images = {}
    for k, (name, addr) in enumerate(roles):
        images[name] = (addr, ipaddress.ip_address("198.18.1.%d" % (10 + k)),
                        ipaddress.ip_address("198.18.2.%d" % (10 + k)))
    return images, flows


def plan(flows_path, example):
    images, flows = parse(flows_path, example)
    for name, (addr, s, d) in images.items():
        print("role", name, addr, s, d)
    for line, frm, to, proto, sport, dport, verdict in flows:
        if frm in images and to in images:
            print("flow", line, frm, to, proto, sport, dport, verdict, images[frm][1], images[to][2],
                  images[frm][0], images[to][0])
    # the reverse proxies' own addresses: the example's rp role
    for role, devs in (("rp", ("rp1", "rp-ber")), ("rp-other", ("rp-muc",))):
        if role in images:
            for dev in devs:
                print("device", dev, images[role][2])


TOKEN = re.compile(r"\{[^{}\n]*\}|(?<![\w.:])\d+\.\d+\.\d+\.\d+(?:/\d+)?(?![\w.:])")
ADDR = re.compile(r"^\d+\.\d+\.\d+\.\d+(?:/\d+)?$")


def rewrite(flows_path, example):
    images, _ = parse(flows_path, example)

    def extra(tok):
        net = ipaddress.ip_network(tok, strict=False)
        if net.prefixlen == 0:
            return []
        out = []
        for addr, s, d in images.values():
            if addr.version == 4 and addr in net:
                out += [str(s), str(d)]
        return out

    def group(items):
        seen, out = set(), []
        for it in items:
            if it not in seen:
                seen.add(it)
                out.append(it)
        return out

    def sub(m):
        t = m.group(0)
        if t.startswith("{"):
            items = [i.strip() for i in t[1:-1].split(",")]
            if not any(ADDR.match(i) for i in items):
                return t
            add = []
            for i in items:
                if ADDR.match(i):
                    add += extra(i)
            return "{ " + ", ".join(group(items + add)) + " }"
        add = extra(t)
        return "{ " + ", ".join(group([t] + add)) + " }" if add else t

    for line in sys.stdin:
        sys.stdout.write(TOKEN.sub(sub, line))


def serve(addr, proto, port, t):
    if proto == "tcp":
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, port))
        s.listen(1)
        s.settimeout(t)
        try:
            c, _ = s.accept()
            c.close()
        except socket.timeout:
            pass
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((addr, port))
        s.settimeout(t)
        try:
            data, peer = s.recvfrom(64)
            s.sendto(b"answer", peer)
        except socket.timeout:
            pass
    s.close()


def probe(saddr, sport, daddr, dport, proto, t):
    kind = socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM
    s = socket.socket(socket.AF_INET, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((saddr, sport))
    s.settimeout(t)
    try:
        if proto == "tcp":
            s.connect((daddr, dport))
        else:
            s.sendto(b"question", (daddr, dport))
            s.recvfrom(64)
        print("answered")
    except (socket.timeout, OSError) as e:
        print("silent", type(e).__name__)
    s.close()


def main(a):
    if a[0] == "plan":
        plan(a[1], a[2])
    elif a[0] == "rewrite":
        rewrite(a[1], a[2])
    elif a[0] == "serve":
        serve(a[1], a[2], int(a[3]), float(a[4]))
    elif a[0] == "probe":
        probe(a[1], int(a[2]), a[3], int(a[4]), a[5], float(a[6]))
    else:
        sys.exit("unknown command " + a[0])


if __name__ == "__main__":
    main(sys.argv[1:])
