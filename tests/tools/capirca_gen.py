#!/usr/bin/python3
"""Translate aclforge's neutral policy JSON into Capirca input, and back.

Standard library only; run with /usr/bin/python3 (Debian's python3-capirca
lives there). Used by tests/cli/capirca_crosscheck.sh and tests/bench/render.c.

  capirca_gen.py gen POLICY.json OUTDIR [--device NAME]... [--targets cisco,juniper]
                     [--drop-rule DEVICE/FILTER/ID] [--established-option OPT]
      Write OUTDIR/def/NETWORK.net, OUTDIR/def/SERVICES.svc and one
      OUTDIR/policies/pol/<device>__<filter>.pol per IOS/Junos filter (all filters of
      the named devices when --device is given, whatever their driver).
      Prints one line per policy file: "<pol name>\t<device>\t<driver>\t<filter>\t<terms>".

  capirca_gen.py splice POLICY.json DEVICE FILTER PARSED.json OUT.json [--names A,B]
                        [--others]
      Build the one-device JSON that `aclforge diff --live` reads: the
      device's filters from POLICY.json with FILTER replaced by the filters
      named A, B, ... (default FILTER and FILTER-V6) of the one device in
      PARSED.json (what `aclforge parse` made of Capirca's or our own text),
      concatenated in that order under FILTER's name and binding. PARSED.json
      may hold no other filter unless --others is given (a whole device).

  capirca_gen.py aces FILE.acl...
      Count IOS access-list entries (permit/deny lines inside access lists,
      not remarks, not object-group members) per file: "<entries>\t<lines>\t<file>".

Translation rules (see the comments in gen_policy):
  - one Capirca term per neutral rule; neutral rules carry one protocol each,
    which keeps Capirca from pooling ports across protocols (google/capirca#11);
  - src_ports -> source-port, dst_ports -> destination-port (own service tokens);
  - established -> option:: tcp-established (TCP ACK/RST, like ours). The
    plain `established` option would make Capirca's FixHighPorts add
    destination ports 1024-65535 (google/capirca#86); --established-option
    established writes it anyway, to show that the cross-check notices;
  - the filter's default action becomes a final term without matches;
  - headers: `cisco NAME extended` + `cisco NAME-V6 inet6` (aclforge's IOS
    names) and `juniper NAME inet` + `juniper NAME inet6`; Capirca drops a
    term from a family's filter when its addresses have none of that family.
"""
import ipaddress
import json
import os
import re
import sys

IOS_V6_SUFFIX = "-V6"


def die(msg):
    sys.stderr.write("capirca_gen: %s\n" % msg)
    sys.exit(2)


def safe(name):
    return re.sub(r"[^A-Za-z0-9_-]", "_", name)


class Tokens:
    """Deduplicated Capirca network and service tokens."""

    def __init__(self):
        self.nets = {}      # tuple(prefixes) -> token
        self.svcs = {}      # (proto, tuple(ranges)) -> token

    def net(self, prefixes):
        key = tuple(prefixes)
        if key not in self.nets:
            self.nets[key] = "NET%d" % (len(self.nets) + 1)
        return self.nets[key]

    def svc(self, proto, ranges):
        key = (proto, tuple(tuple(r) for r in ranges))
        if key not in self.svcs:
            self.svcs[key] = "SVC%d" % (len(self.svcs) + 1)
        return self.svcs[key]

    def write(self, defdir):
        os.makedirs(defdir, exist_ok=True)
        with open(os.path.join(defdir, "NETWORK.net"), "w") as f:
            for key, tok in self.nets.items():
                f.write("%s = %s\n" % (tok, key[0]))
                for p in key[1:]:
                    f.write("%s %s\n" % (" " * (len(tok) + 2), p))
                f.write("\n")
        with open(os.path.join(defdir, "SERVICES.svc"), "w") as f:
            for (proto, ranges), tok in self.svcs.items():
                items = ["%d/%s" % (lo, proto) if lo == hi else "%d-%d/%s" % (lo, hi, proto)
                         for lo, hi in ranges]
                f.write("%s = %s\n" % (tok, items[0]))
                for it in items[1:]:
                    f.write("%s %s\n" % (" " * (len(tok) + 2), it))
                f.write("\n")


def proto_of(p):
    """Capirca protocol keyword, or None for any protocol."""
    if p in ("any", 0, "0"):
        return None
    if p == "icmp6":
        return "icmpv6"
    return str(p)


def families(prefixes):
    return {ipaddress.ip_network(p).version for p in prefixes}


def term_lines(tok, rule, est_opt):
    proto = proto_of(rule["protocol"])
    out = []
    out.append("  source-address:: %s" % tok.net(rule["src"]))
    out.append("  destination-address:: %s" % tok.net(rule["dst"]))
    if proto:
        out.append("  protocol:: %s" % proto)
    sp, dp = rule.get("src_ports") or [], rule.get("dst_ports") or []
    if (sp or dp) and proto not in ("tcp", "udp"):
        die("rule %s: ports without tcp or udp" % rule.get("id"))
    if rule.get("established"):
        if proto != "tcp":
            die("rule %s: established without tcp" % rule.get("id"))
        out.append("  option:: %s" % est_opt)
    if sp:
        out.append("  source-port:: %s" % tok.svc(proto, sp))
    if dp:
        out.append("  destination-port:: %s" % tok.svc(proto, dp))
    out.append("  action:: %s" % ("accept" if rule["action"] == "permit" else "deny"))
    return out


def gen_policy(tok, dev, flt, targets, drop, est_opt):
    """Text of one .pol file for one filter, and its number of terms."""
    terms = []
    for i, rule in enumerate(flt["rules"]):
        rid = rule.get("id") or "r%04d" % (i + 1)
        if drop == "%s/%s/%s" % (dev["name"], flt["name"], rid):
            continue
        name = "t%04d-%s" % (i + 1, safe(rid))
        terms.append("term %s {\n%s\n}\n" % (name, "\n".join(term_lines(tok, rule, est_opt))))
    terms.append("term default-%s {\n  action:: %s\n}\n" % (
        flt["default_action"], "accept" if flt["default_action"] == "permit" else "deny"))
    body = "".join(terms)
    headers = []
    if "cisco" in targets:
        headers.append("cisco %s extended" % flt["name"])
        headers.append("cisco %s%s inet6" % (flt["name"], IOS_V6_SUFFIX))
    if "juniper" in targets:
        headers.append("juniper %s inet" % flt["name"])
        headers.append("juniper %s inet6" % flt["name"])
    text = ""
    for h in headers:
        text += "header {\n  comment:: \"aclforge %s %s\"\n  target:: %s\n}\n\n%s\n" % (
            dev["name"], flt["name"], h, body)
    return text, len(terms)


def cmd_gen(args):
    devices, targets, drop, est_opt = [], ["cisco", "juniper"], None, "tcp-established"
    pos = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--device":
            devices.append(args[i + 1]); i += 2
        elif a == "--targets":
            targets = args[i + 1].split(","); i += 2
        elif a == "--drop-rule":
            drop = args[i + 1]; i += 2
        elif a == "--established-option":
            est_opt = args[i + 1]; i += 2
        else:
            pos.append(a); i += 1
    if len(pos) != 2:
        die("usage: gen POLICY.json OUTDIR [options]")
    with open(pos[0]) as f:
        pol = json.load(f)
    out = pos[1]
    tok = Tokens()
    poldir = os.path.join(out, "policies", "pol")
    os.makedirs(poldir, exist_ok=True)
    seen = set()
    for dev in pol["devices"]:
        if devices:
            if dev["name"] not in devices:
                continue
        elif dev["driver"] not in ("ios", "junos"):
            continue
        seen.add(dev["name"])
        for flt in dev.get("filters", []):
            text, n = gen_policy(tok, dev, flt, targets, drop, est_opt)
            name = "%s__%s" % (safe(dev["name"]), safe(flt["name"]))
            with open(os.path.join(poldir, name + ".pol"), "w") as f:
                f.write(text)
            print("%s\t%s\t%s\t%s\t%d" % (name, dev["name"], dev["driver"], flt["name"], n))
    missing = [d for d in devices if d not in seen]
    if missing:
        die("no device %s in %s" % (", ".join(missing), pos[0]))
    tok.write(os.path.join(out, "def"))


def cmd_splice(args):
    names, others = None, False
    pos = []
    i = 0
    while i < len(args):
        if args[i] == "--names":
            names = args[i + 1].split(","); i += 2
        elif args[i] == "--others":
            others = True; i += 1
        else:
            pos.append(args[i]); i += 1
    if len(pos) != 5:
        die("usage: splice POLICY.json DEVICE FILTER PARSED.json OUT.json [--names A,B]")
    polf, devname, fname, parsedf, outf = pos
    names = names or [fname, fname + IOS_V6_SUFFIX]
    with open(polf) as f:
        pol = json.load(f)
    with open(parsedf) as f:
        parsed = json.load(f)
    dev = next((d for d in pol["devices"] if d["name"] == devname), None)
    if not dev:
        die("no device '%s' in %s" % (devname, polf))
    flt = next((x for x in dev["filters"] if x["name"] == fname), None)
    if not flt:
        die("no filter '%s' on device '%s'" % (fname, devname))
    if len(parsed["devices"]) != 1:
        die("%s: expected one device" % parsedf)
    pfs = {x["name"]: x for x in parsed["devices"][0].get("filters", [])}
    extra = sorted(set(pfs) - set(names))
    if extra and not others:
        die("%s: unexpected filter(s) %s (expected %s)" % (parsedf, ", ".join(extra), ", ".join(names)))
    if names[0] not in pfs:
        die("%s: no filter '%s' (found %s)" % (parsedf, names[0], ", ".join(sorted(pfs)) or "none"))
    rules, default = [], None
    for n in names:
        if n not in pfs:
            continue
        p = pfs[n]
        if default is None:
            default = p["default_action"]
        elif p["default_action"] != default:
            die("%s: filters %s disagree on the default action" % (parsedf, ", ".join(names)))
        for k, r in enumerate(p.get("rules", [])):
            r = dict(r)
            r["id"] = "%s:%s" % (n, r.get("id") or "%d" % (k + 1))
            rules.append(r)
    new = dict(flt)
    new["default_action"] = default
    new["rules"] = rules
    live = dict(dev)
    live["filters"] = [new if x["name"] == fname else x for x in dev["filters"]]
    with open(outf, "w") as f:
        json.dump({"devices": [live]}, f, indent=2)
        f.write("\n")


ACE_RE = re.compile(r"^\s+(\d+\s+)?(permit|deny)\b")


def cmd_aces(args):
    for path in args:
        aces = lines = 0
        inacl = False
        with open(path) as f:
            for line in f:
                if not line.strip():
                    continue
                if not line.lstrip().startswith("!"):
                    lines += 1
                if line[:1] not in (" ", "\t"):
                    inacl = line.startswith("ip access-list") or line.startswith("ipv6 access-list")
                elif inacl and ACE_RE.match(line):
                    aces += 1
        print("%d\t%d\t%s" % (aces, lines, path))


def main():
    if len(sys.argv) < 2:
        die("usage: capirca_gen.py gen|splice|aces ...")
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "gen":
        cmd_gen(args)
    elif cmd == "splice":
        cmd_splice(args)
    elif cmd == "aces":
        cmd_aces(args)
    else:
        die("unknown command '%s'" % cmd)


if __name__ == "__main__":
    main()
