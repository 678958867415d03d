#!/usr/bin/env bash
# No file of src/ names a driver: vendor facts live in drivers/<kind>/ and
# the registry (drivers/registry.c). The names come from the registry itself,
# so a new driver is checked the moment it is registered.
set -euo pipefail
SRC=${ACLF_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
names=$(sed -n 's/^[[:space:]]*&aclf_driver_\([a-z0-9_]*\),.*/\1/p' "$SRC/drivers/registry.c")
[ -n "$names" ] || { echo "no_vendor_in_src: no driver found in drivers/registry.c" >&2; exit 1; }
# the descriptors' own spellings as well (IOS, Junos, BIG-IP, F5, tmsh, nft)
words="$names IOS Junos BIG-IP bigip F5 tmsh nft"
found=0
for w in $words; do
	if hits=$(grep -rnwi -- "$w" "$SRC/src"); then
		echo "$hits" | sed "s#^$SRC/##" >&2
		found=1
	fi
done
if [ $found -ne 0 ]; then
	echo "no_vendor_in_src: the lines above name a driver in src/; move the fact into its descriptor" >&2
	exit 1
fi
echo "no_vendor_in_src: src/ names none of:" $words
