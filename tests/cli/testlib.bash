# Sourced by the tests/cli/*.sh scripts (not a test itself: ctest runs *.sh).
#
# skip WHY: this machine lacks what the test needs (root, nft, Capirca):
# print "SKIP: WHY" and exit 77, which ctest reports as Skipped, never as
# Passed. With ACLF_NO_SKIP=1 (scripts/test sets it when run as root, as in
# CI) a skip is a failure instead.
skip() {
	if [ "${ACLF_NO_SKIP:-}" = 1 ]; then
		echo "FAIL: would skip ($*), but ACLF_NO_SKIP=1 forbids skipping"
		exit 1
	fi
	echo "SKIP: $*"
	exit 77
}
