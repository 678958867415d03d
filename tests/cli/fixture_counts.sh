#!/usr/bin/env bash
# Every captured device text in tests/fixtures/{ios,junos,bigip} is read
# whole: each entry exact or opaque (counted by hand from the fixture:
# entries = permit/deny lines of IP lists, opaque = those with a construct
# the neutral policy cannot hold, and the BIG-IP virtuals with a property
# that changes which traffic they carry: source, reject, ip-forward,
# disabled, VLAN lists), or the whole file refused with the line
# and reason. Where each file comes from: SOURCES.md beside it.
set -uo pipefail
B=${ACLF_BIN:?} F=${ACLF_FIXTURES:?}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail() { echo "fixture_counts: $*" >&2; exit 1; }
n=0
# driver file rules opaque lb
while read -r drv file rules opaque lb; do
	"$B" parse --driver "$drv" "$F/$drv/$file" >"$T/p.json" 2>"$T/err" || fail "$file: $(cat "$T/err")"
	got=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["devices"][0]
r=[r for f in d["filters"] for r in f["rules"]]
o=sum(1 for x in r + d.get("lb_services",[]) if x.get("opaque"))
assert o==d.get("opaque_entries",0)
print(len(r), o, len(d.get("lb_services",[])))' "$T/p.json") || fail "$file: json"
	[ "$got" = "$rules $opaque $lb" ] || fail "$file: rules opaque lb = $got, expected $rules $opaque $lb"
	if [ "$opaque" -gt 0 ]; then
		grep -q ": $opaque opaque entries" "$T/err" || fail "$file: no count on stderr: $(cat "$T/err")"
		"$B" parse --strict --driver "$drv" "$F/$drv/$file" >/dev/null 2>&1 && fail "$file: --strict accepted it"
	else
		[ ! -s "$T/err" ] || fail "$file: stderr: $(cat "$T/err")"
	fi
	n=$((n + 1))
done <<'LIST'
ios cisco_ios_show_access-list2.raw 4 1 0
ios cisco_ios_show_access-list3.raw 27 0 0
ios cisco_ios_show_ip_access-lists.raw 81 6 0
ios ios_ShowAccessLists_golden_output_customer1_output.txt 7 5 0
ios ios_ShowAccessLists_golden_output_customer2_output.txt 3 1 0
ios ios_ShowAccessLists_golden_output_customer3_output.txt 10 8 0
ios ios_ShowAccessLists_golden_output_ios_output.txt 4 0 0
ios ios_ShowAccessLists_golden_output_standard_output.txt 6 0 0
ios iosxe_ShowAccessLists_golden_output_output.txt 17 5 0
ios ios-object-group-network.cfg 1 0 0
ios ios_as2border1.cfg 12 0 0
ios ios_as2dept1.cfg 17 0 0
junos junos_define-structure-from-nested_curly.cfg 1 0 0
junos junos_firewall-filter-from-port_set.cfg 1 0 0
junos junos_firewall_set.cfg 8 6 0
junos junos_firewall-filter-dscp_set.cfg 3 3 0
junos junos_firewall-filter-hop-limit_set.cfg 4 4 0
junos junos_firewall-filter-ip-protocol_set.cfg 1 1 0
junos junos_firewall-filter-packet-length-spaced-range_set.cfg 2 2 0
junos junos_firewall-filter-ttl_set.cfg 3 3 0
junos junos_firewall-ipv6-filters_set.cfg 7 3 0
junos junos_firewall-policer_set.cfg 2 2 0
junos junos_prefix-normalization-validation_set.cfg 4 4 0
junos junos_destination-class_set.cfg 4 4 0
junos junos_firewall-source-address_set.cfg 3 1 0
bigip f5_bigip_structured_ltm.conf 0 1 1
bigip lync_list_handmade.txt 0 2 5
bigip f5_bigip_structured_ltm_virtual_address_arp_disabled.conf 0 3 3
bigip f5_bigip_structured_ltm_virtual_address_icmp_echo_disabled.conf 0 3 3
bigip f5_bigip_structured_ltm_virtual_disabled.conf 0 1 3
bigip f5_bigip_structured_ltm_virtual_ip_protocol.conf 0 0 1
bigip f5_bigip_structured_snat.conf 0 1 1
bigip f5_bigip_structured_vip_description.conf 0 0 3
bigip f5_bigip_structured_virtual_misconfigurations.conf 0 12 12
bigip f5_bigip_structured_virtual_pool_translation_options.conf 0 0 4
bigip f5_bigip_structured_virtual_reject.conf 0 2 2
LIST
# refused whole, at the line of the cause
while read -r drv file where; do
	"$B" parse --driver "$drv" "$F/$drv/$file" >"$T/out" 2>"$T/err"; rc=$?
	[ $rc -eq 2 ] || fail "$file: exit $rc, expected 2"
	[ ! -s "$T/out" ] || fail "$file: printed a policy"
	grep -q "$file:$where" "$T/err" || fail "$file: not refused at $where: $(cat "$T/err")"
	n=$((n + 1))
done <<'LIST'
ios cisco_ios_show_access-list.raw 22:21: range 80 53 is empty
ios ios-acl.cfg 5:13: 'access-list AL extended' is not ios syntax
ios ios-object-group-service.cfg 29:22: object-group 'og-undef' is not defined
junos junos_firewall-filters_set.cfg 19:51: filter lists are not supported
junos junos_gh-6149-flatten_curly.cfg 49:21: 'then next term' is not supported
bigip f5_bigip_structured_ltm_virtual_cases.conf 35:13: virtual '/Common/missing_dest' has no destination
bigip f5_bigip_structured_vlan_references.conf 13:13: virtual '/Common/SOME_VIRTUAL' has no destination
LIST
echo "fixture_counts: $n files"
