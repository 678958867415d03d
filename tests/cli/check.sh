#!/usr/bin/env bash
# aclforge check: each device's connection settings and secrets before
# anything connects. Problems (world-readable secret files, unset env:
# variables, missing key or known hosts files) are one line each with the
# topology's file:line:col, the device and the reference, never the secret;
# exit 2 on any problem, 0 when every device is ready. Relative paths are
# the topology's, whatever directory aclforge runs in.
set -uo pipefail
B=${ACLF_BIN:?}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
SECRET=n0t-in-any-output

mkdir -p "$T/site/secrets" "$T/elsewhere"
printf '%s\n' "$SECRET" >"$T/site/secrets/core1.pw"; chmod 644 "$T/site/secrets/core1.pw"
printf '%s\n' "$SECRET" >"$T/site/secrets/community"; chmod 600 "$T/site/secrets/community"
printf '10.0.0.1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE\n' >"$T/site/known_hosts"
printf -- '-----BEGIN OPENSSH PRIVATE KEY-----\n%s\n-----END OPENSSH PRIVATE KEY-----\n' "$SECRET" >"$T/site/id"
chmod 666 "$T/site/id"
cat >"$T/site/t.yaml" <<'YAML'
site: s
load_balancing: dns
pools: {p: {role: mediation, fqdn: m.example.net, servers: {m1: 10.0.0.1}}}
devices:
  core1:
    driver: ios
    host: 10.0.0.1
    ssh: {user: netops, password: file:secrets/core1.pw, known_hosts: known_hosts}
    snmp: {version: 2c, community: file:secrets/community}
    protects: [{pools: [p], interface: Vlan1, direction: out}]
  m1-host:
    driver: nftables
    host: 10.0.0.1
    ssh: {user: root, key: id, known_hosts: known_hosts, password: env:ACLF_CHECK_TEST_PW}
    protects: [{servers: [m1], chain: input}]
networks: {mgmt: {kind: management, prefixes: [10.9.0.0/24]}}
YAML
unset ACLF_CHECK_TEST_PW
# from another directory: the topology's relative paths still resolve there
cd "$T/elsewhere" || fail "cd"
"$B" check ../site/t.yaml >"$T/out" 2>"$T/err"; rc=$?
[ "$rc" = 2 ] || fail "check with problems: exit $rc, expected 2: $(cat "$T/out" "$T/err")"
cat >"$T/want" <<EOF2
../site/t.yaml:8:35: core1: ssh.password: file:$T/site/secrets/core1.pw: mode 0644 lets group or others read or write it, expected 0600 or stricter (chmod 0600)
../site/t.yaml:14:28: m1-host: ssh.key: $T/site/id: mode 0666 lets group or others read or write it, expected 0600 or stricter (chmod 0600)
../site/t.yaml:14:68: m1-host: ssh.password: env:ACLF_CHECK_TEST_PW: not set
EOF2
diff -u "$T/want" "$T/out" || fail "check output"
grep -q -- "$SECRET" "$T/out" "$T/err" && fail "a secret was printed"

# one device only
"$B" check --device core1 ../site/t.yaml >"$T/out" 2>&1; rc=$?
[ "$rc" = 2 ] && [ "$(wc -l <"$T/out")" = 1 ] || fail "check --device core1: exit $rc: $(cat "$T/out")"
"$B" check --device nope ../site/t.yaml >"$T/out" 2>&1; rc=$?
[ "$rc" = 2 ] && grep -q "no device 'nope'" "$T/out" || fail "check --device nope: exit $rc: $(cat "$T/out")"

# fixed: ready
chmod 600 "$T/site/secrets/core1.pw" "$T/site/id"
ACLF_CHECK_TEST_PW=$SECRET "$B" check ../site/t.yaml >"$T/out" 2>"$T/err"; rc=$?
[ "$rc" = 0 ] || fail "check when ready: exit $rc: $(cat "$T/out" "$T/err")"
[ "$(cat "$T/out")" = "2 devices ready to connect" ] || fail "ready line: $(cat "$T/out")"
ACLF_CHECK_TEST_PW= "$B" check ../site/t.yaml >"$T/out" 2>&1; rc=$?
[ "$rc" = 2 ] && grep -q "env:ACLF_CHECK_TEST_PW: set but empty" "$T/out" || fail "empty variable: $(cat "$T/out")"

# a topology that does not load is reported as any command reports it
"$B" check "$T/none.yaml" >"$T/out" 2>&1; rc=$?
[ "$rc" = 2 ] || fail "missing topology: exit $rc"
"$B" check --help | grep -q '^usage: aclforge check' || fail "check --help"
"$B" --help | grep -q '^  check ' || fail "check not listed in aclforge --help"
echo "check: ok"
