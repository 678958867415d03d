/* Skipping a whole unit test binary when the machine lacks what it needs
 * (root, nft, a network namespace): main() checks before running the group
 * and returns aclf_test_skip(...), so that ctest (SKIP_RETURN_CODE 77 in
 * tests/CMakeLists.txt) reports the test as Skipped instead of Passed.
 * cmocka's own skip() is not used: it leaves the exit code at 0. */
#ifndef ACLF_TEST_SKIPS_H
#define ACLF_TEST_SKIPS_H

#define ACLF_SKIP_RC 77

/* Prints "SKIP: <test>: <why>" and returns ACLF_SKIP_RC, for main() to
 * return. With ACLF_NO_SKIP=1 (scripts/test sets it when run as root, as in
 * CI) a skip is a failure: prints "FAIL: ..." and returns 1. */
int aclf_test_skip(const char *test, const char *why);

#endif
