/* nftables driver against the real nft: every case's rendering is checked
 * with `nft -c -f`, loaded with `nft -f` twice (table absent, then present),
 * listed with `nft -j list ruleset` and parsed back to the same policy. Each
 * command runs in its own fresh network namespace (unshare -n), so the
 * host's ruleset is never touched. Skipped (exit 77, skips.h) without nft
 * or without a way to make a network namespace (root, or unprivileged user
 * namespaces). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "aclforge/buf.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "drivers.h"
#include "nftd_cases.h"
#include "skips.h"

static const char *ns_prefix;

/* Run cmd in sh, output into out; returns the exit status or -1. */
static int run(const char *cmd, struct aclf_buf *out)
{
	char chunk[4096];
	size_t n;
	FILE *f = popen(cmd, "r");
	int st;

	if (!f)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		assert_int_equal(aclf_buf_add(out, chunk, n), 0);
	st = pclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Sets ns_prefix to the way nft runs in a fresh network namespace here;
 * returns NULL, or why the tests cannot run. */
static const char *probe(void)
{
	static const char *const prefixes[] = { "unshare -n", "unshare -rn" };
	struct aclf_buf out;

	aclf_buf_init(&out, 0);
	if (run("command -v nft", &out) != 0) {
		aclf_buf_release(&out);
		return "needs nft (not found in PATH)";
	}
	for (size_t i = geteuid() == 0 ? 0 : 1; i < 2 && !ns_prefix; i++) {
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "%s nft list ruleset 2>/dev/null", prefixes[i]);
		aclf_buf_reset(&out);
		if (run(cmd, &out) == 0)
			ns_prefix = prefixes[i];
	}
	aclf_buf_release(&out);
	return ns_prefix ? NULL : "cannot run nft in a new network namespace (needs root, or "
				  "unprivileged user namespaces for unshare -rn)";
}

static char *write_temp(const char *text)
{
	char *path = strdup("/tmp/aclf-nft-XXXXXX");
	int fd = mkstemp(path);
	size_t len = strlen(text);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	return path;
}

static char *render_case(const char *name)
{
	struct aclf_policy *p = aclf_policy_new();
	struct aclf_buf out;
	struct aclf_err err;
	char *path;

	aclf_buf_init(&out, 0);
	aclf_err_init(&err);
	if (aclf_driver_render(&aclf_driver_nftables, tc_build(p, name), NULL, &out, &err) < 0)
		fail_msg("%s: %s", name, aclf_err_text(&err));
	path = write_temp(out.buf);
	aclf_buf_release(&out);
	aclf_err_release(&err);
	aclf_policy_free(p);
	return path;
}

/* Run "<script>; nft -j list ruleset" in a fresh namespace and check the
 * listing parses back to case `name`. Returns the JSON (caller frees). */
static char *listing_is(const char *script, const char *name)
{
	struct aclf_policy *want = aclf_policy_new(), *got = aclf_policy_new();
	struct aclf_devpol *dp = NULL;
	struct aclf_buf out;
	struct aclf_err err;
	char *cmd = NULL, why[256];

	aclf_buf_init(&out, 0);
	aclf_err_init(&err);
	assert_true(asprintf(&cmd, "%s sh -c '%s && nft -j list ruleset'", ns_prefix, script) > 0);
	if (run(cmd, &out) != 0)
		fail_msg("'%s' failed", cmd);
	if (aclf_driver_parse(&aclf_driver_nftables, out.buf, out.len, &(struct aclf_parse_opts){ .name = name }, got, &dp, &err) < 0)
		fail_msg("%s: %s\n%s", name, aclf_err_text(&err), out.buf);
	if (!tc_same_devpol(tc_build(want, name), dp, why, sizeof(why)))
		fail_msg("%s after '%s': %s", name, script, why);
	free(cmd);
	aclf_err_release(&err);
	aclf_policy_free(want);
	aclf_policy_free(got);
	return aclf_buf_detach(&out, NULL);
}

static void test_check_load_list_parse(void **state)
{
	(void)state;
	for (size_t i = 0; tc_names[i]; i++) {
		char *path = render_case(tc_names[i]), *script = NULL, *json;

		print_message("case %s\n", tc_names[i]);
		/* check, load into a namespace without the table, load again over it */
		assert_true(asprintf(&script, "nft -c -f %s && nft -f %s && nft -f %s", path, path,
				     path) > 0);
		json = listing_is(script, tc_names[i]);
		free(json);
		free(script);
		unlink(path);
		free(path);
	}
}

/* Loading B over A leaves nothing of A: sets, counters, chains all go. */
static void test_replace_and_coexist(void **state)
{
	const char *fx = getenv("ACLF_FIXTURES");
	char *a, *b, *script = NULL, *json, *other = NULL;

	(void)state;
	a = render_case("mixed");
	b = render_case("v4");
	assert_true(asprintf(&other, "%s/nftables/other_tables.nft", fx ? fx : "tests/fixtures") > 0);
	assert_true(asprintf(&script, "nft -f %s && nft -f %s && nft -f %s", other, a, b) > 0);
	json = listing_is(script, "v4");
	assert_null(strstr(json, "clients_v4"));
	assert_null(strstr(json, "fe01-input"));
	/* another table on the host is left alone */
	assert_non_null(strstr(json, "{\"table\": {\"family\": \"ip\", \"name\": \"filter\""));
	assert_non_null(strstr(json, "{\"table\": {\"family\": \"inet\", \"name\": \"other\""));
	free(json);
	free(script);
	unlink(a);
	unlink(b);
	free(a);
	free(b);
	free(other);
}

/* The check is real: nft refuses a file with a dangling set reference, and
 * a failed file changes nothing (the transaction is all or nothing). */
static void test_nft_refuses(void **state)
{
	struct aclf_buf out;
	char *good, *bad, *cmd = NULL;
	FILE *f;

	(void)state;
	aclf_buf_init(&out, 0);
	good = render_case("v4");
	bad = render_case("mixed");
	f = fopen(bad, "a");
	assert_non_null(f);
	fputs("add rule inet aclforge fe01-input ip saddr @nosuch_v4 accept\n", f);
	fclose(f);
	assert_true(asprintf(&cmd, "%s nft -c -f %s 2>&1", ns_prefix, bad) > 0);
	assert_int_not_equal(run(cmd, &out), 0);
	assert_non_null(strstr(out.buf, "nosuch_v4"));
	free(cmd);
	/* load v4, fail to load the broken file over it: v4 is still there whole */
	assert_true(asprintf(&cmd, "nft -f %s && ! nft -f %s 2>/dev/null", good, bad) > 0);
	free(listing_is(cmd, "v4"));
	free(cmd);
	aclf_buf_release(&out);
	unlink(good);
	unlink(bad);
	free(good);
	free(bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_load_list_parse),
		cmocka_unit_test(test_replace_and_coexist),
		cmocka_unit_test(test_nft_refuses),
	};
	const char *why = probe();

	/* all or nothing: every test needs the namespace */
	if (why)
		return aclf_test_skip("test_nftables_live", why);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
