#!/bin/bash
# SNMPv3 against Net-SNMP's snmpd on 127.0.0.1 (its own configuration, a
# free high port, run as root by the test): authPriv with SHA-256 and AES,
# authPriv with SHA-512 and AES-256, authNoPriv with SHA; the values equal
# snmpget's and snmpbulkwalk's; a wrong authentication passphrase, a wrong
# privacy passphrase and an unknown user each fail with the agent's reason,
# naming the device and the OID, while a good agent polled beside them
# succeeds (one user of one engine with two sets of keys: the second job
# waits for the first); a passphrase under 8 characters and an unknown
# protocol are refused before sending.
# Driven through tests/integration/snmp_probe.c ($ACLF_SNMP_PROBE).
set -u

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../cli/testlib.bash" # skip
fail() { echo "FAIL: $*"; exit 1; }
. "$here/snmplib.bash"

[ "$(id -u)" -eq 0 ] || skip "needs root to run snmpd"
PROBE=${ACLF_SNMP_PROBE:-}
[ -n "$PROBE" ] && [ -x "$PROBE" ] || fail "no snmp_probe binary at '${PROBE}' (ACLF_SNMP_PROBE)"
for t in snmpd snmpget snmpbulkwalk ss; do
	command -v "$t" >/dev/null 2>&1 || skip "needs $t"
done

snmp_tmp snmpv3
cat >"$SNMP_TMP/snmpd.conf" <<'EOF'
createUser privsha256 SHA-256 "auth-pass-256" AES "priv-pass-aes"
createUser privsha512 SHA-512 "auth-pass-512" AES-256 "priv-pass-aes256"
createUser authsha SHA "auth-pass-sha"
rouser privsha256 priv
rouser privsha512 priv
rouser authsha auth
sysLocation aclforge test agent
sysContact nobody
EOF
CHECK_ARGS=(-v3 -l authPriv -u privsha256 -a SHA-256 -A auth-pass-256 -x AES -X priv-pass-aes)
snmpd_start "$SNMP_TMP/snmpd.conf"
A=127.0.0.1:$SNMPD_PORT
out=$SNMP_TMP/out
SYS=1.3.6.1.2.1.1
UPTIME=1.3.6.1.2.1.1.3.0
IFT=1.3.6.1.2.1.2.2.1

# ---- authPriv SHA-256/AES: a walk of system and interfaces, equal to snmpbulkwalk's ----
"$PROBE" -w "$SYS" -w "$IFT" "p256=$A:3:privsha256:sha256:auth-pass-256:aes:priv-pass-aes" >"$out" ||
	fail "authPriv sha256/aes: $(cat "$out")"
grep -q '^done p256 ' "$out" || fail "no done line: $(cat "$out")"
# sysUpTime moves and the interface counters too: compare the OIDs all,
# and the values of the objects that do not change
grep '^p256 ' "$out" | awk '{print $2}' >"$SNMP_TMP/oids-ours"
snmpbulkwalk -On "${CHECK_ARGS[@]}" "$A" "$SYS" | sed -n 's/^\.\([0-9.]*\) = .*/\1/p' >"$SNMP_TMP/oids-theirs"
snmpbulkwalk -On "${CHECK_ARGS[@]}" "$A" "$IFT" | sed -n 's/^\.\([0-9.]*\) = .*/\1/p' >>"$SNMP_TMP/oids-theirs"
[ "$(wc -l <"$SNMP_TMP/oids-theirs")" -gt 20 ] || fail "snmpbulkwalk: too few values"
diff -u "$SNMP_TMP/oids-theirs" "$SNMP_TMP/oids-ours" || fail "the walked OIDs differ from snmpbulkwalk's"
loc=$(grep '^p256 1.3.6.1.2.1.1.6.0 ' "$out" | awk '{print $NF}')
[ "$(printf '%s' "aclforge test agent" | od -An -tx1 | tr -d ' \n')" = "$loc" ] ||
	fail "sysLocation read as '$loc'"
lo=$(snmpget -On -Oqv "${CHECK_ARGS[@]}" "$A" 1.3.6.1.2.1.2.2.1.2.1 | tr -d \")
[ "$(printf '%s' "$lo" | od -An -tx1 | tr -d ' \n')" = "$(grep '^p256 1.3.6.1.2.1.2.2.1.2.1 ' "$out" | awk '{print $NF}')" ] ||
	fail "ifDescr.1 differs from snmpget's '$lo'"
grep -q "^p256 $UPTIME timeticks [0-9][0-9]*$" "$out" || fail "sysUpTime not read as timeticks"
echo "ok: authPriv SHA-256/AES walks equal to snmpbulkwalk's"

# ---- authPriv SHA-512/AES-256 and authNoPriv SHA, with a GET ----
"$PROBE" -g "$UPTIME" -g 1.3.6.1.2.1.1.4.0 "p512=$A:3:privsha512:sha512:auth-pass-512:aes256:priv-pass-aes256" \
	"asha=$A:3:authsha:sha:auth-pass-sha:-:-" >"$out" || fail "sha512/aes256 and sha: $(cat "$out")"
for n in p512 asha; do
	grep -q "^done $n .*values=2 " "$out" || fail "$n: $(grep "$n" "$out")"
	grep -q "^$n 1.3.6.1.2.1.1.4.0 octet string $(printf nobody | od -An -tx1 | tr -d ' \n')$" "$out" ||
		fail "$n: sysContact not read"
done
grep -qx 'discoveries 1' "$out" || fail "one agent, one engine ID discovery: $(grep discoveries "$out")"
echo "ok: authPriv SHA-512/AES-256 and authNoPriv SHA"

# ---- wrong passphrases and an unknown user, beside a good agent ----
"$PROBE" -t 1000 -r 2 -w "$SYS" \
	"good=$A:3:privsha256:sha256:auth-pass-256:aes:priv-pass-aes" \
	"badauth=$A:3:privsha256:sha256:wrong-auth-pass:aes:priv-pass-aes" \
	"badpriv=$A:3:privsha256:sha256:auth-pass-256:aes:wrong-priv-pass" \
	"nouser=$A:3:nosuchuser:sha256:auth-pass-256:aes:priv-pass-aes" \
	"badlevel=$A:3:authsha:sha:auth-pass-sha:aes:priv-pass-aes" >"$out"
rc=$?
[ "$rc" -eq 3 ] || fail "exit $rc, expected 3: $(cat "$out")"
grep -q '^done good ' "$out" || fail "the good agent failed beside the bad ones: $(grep good "$out")"
grep -q "^fail badauth .*badauth: 'walk $SYS': udp:$A: authentication failure (usmStatsWrongDigests)" "$out" ||
	fail "wrong auth passphrase: $(grep badauth "$out")"
grep -q "^fail nouser .*nouser: 'walk $SYS': udp:$A: unknown user name (usmStatsUnknownUserNames)" "$out" ||
	fail "unknown user: $(grep nouser "$out")"
grep -q "^fail badlevel .*unsupported security level" "$out" || fail "authsha at authPriv: $(grep badlevel "$out")"
# a wrong privacy passphrase: the agent cannot decrypt the request; snmpd
# answers with usmStatsDecryptionErrors or stays silent
grep -qE "^fail badpriv .*'walk $SYS'.*(decryption error|timeout)" "$out" || fail "wrong priv passphrase: $(grep badpriv "$out")"
echo "ok: $(grep '^fail badpriv' "$out" | sed 's/.*: //')"
echo "ok: wrong auth passphrase, unknown user and security level fail with the agent's reason"

# ---- refused before sending ----
"$PROBE" -w "$SYS" "short=$A:3:privsha256:sha256:short:aes:priv-pass-aes" >"$out" 2>&1
[ $? -eq 2 ] || fail "a short passphrase accepted: $(cat "$out")"
grep -q "short: snmp: the auth passphrase needs at least 8 characters" "$out" || fail "short passphrase: $(cat "$out")"
"$PROBE" -w "$SYS" "md=$A:3:privsha256:sha3:auth-pass-256:aes:priv-pass-aes" >"$out" 2>&1
[ $? -eq 2 ] || fail "an unknown protocol accepted: $(cat "$out")"
grep -q "unknown authentication protocol 'sha3'" "$out" || fail "unknown protocol: $(cat "$out")"
echo "ok: short passphrases and unknown protocols refused before sending"
echo PASS
