/* Skipping a unit test binary: see skips.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "skips.h"

int aclf_test_skip(const char *test, const char *why)
{
	const char *no = getenv("ACLF_NO_SKIP");

	if (no && strcmp(no, "1") == 0) {
		printf("FAIL: %s: would skip (%s), but ACLF_NO_SKIP=1 forbids skipping\n", test, why);
		fflush(stdout);
		return 1;
	}
	printf("SKIP: %s: %s\n", test, why);
	fflush(stdout);
	return ACLF_SKIP_RC;
}
