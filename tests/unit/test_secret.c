/* What connecting needs, checked before connecting (include/aclforge/secret.h,
 * check.h, src/connect/): env: and file: secrets resolve only when set, a
 * file only its owner can read, one line; key and known hosts files as
 * OpenSSH checks them; ~/ from $HOME; every problem names the reference and
 * never the secret; the device report places each problem where the
 * topology writes the setting. Works in a temporary directory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aclforge/buf.h"
#include "aclforge/check.h"
#include "aclforge/err.h"
#include "aclforge/secret.h"
#include "aclforge/topology.h"

#define SECRET "s3cr3t-Value"
#define KEY "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE" SECRET "\n-----END OPENSSH PRIVATE KEY-----\n"

static char dir[64];

static int make_dir(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/aclf-secret-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* dir/name with text and mode; returns the path (static buffer). */
static const char *put(const char *name, const char *text, mode_t mode)
{
	static char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
	return path;
}

/* Resolve ref; on success its value, else the message (which must not
 * hold the secret). The caller frees. */
static char *resolve(enum aclf_secret_kind kind, const char *ref, int *rc)
{
	struct aclf_secret_ref r = { .kind = kind, .ref = ref };
	struct aclf_secret s;
	struct aclf_err err;
	char *out;

	aclf_err_init(&err);
	*rc = aclf_secret_resolve(&r, &s, &err);
	if (*rc == 0) {
		out = strdup(s.value);
		assert_int_equal(strlen(s.value), s.len);
		assert_int_equal(err.count, 0);
	} else {
		out = strdup(aclf_err_text(&err));
		assert_int_equal(err.count, 1);
		assert_int_equal(err.kind, ACLF_E_INPUT);
		assert_null(strstr(out, SECRET));
		assert_null(s.value);
	}
	aclf_secret_clear(&s);
	aclf_err_release(&err);
	assert_non_null(out);
	return out;
}

static void want_fail(enum aclf_secret_kind kind, const char *ref, const char *want)
{
	int rc;
	char *got = resolve(kind, ref, &rc);

	if (rc == 0 || strcmp(got, want) != 0)
		fail_msg("%s:\n got: %s\nwant: %s", ref, got, want);
	free(got);
}

static void want_value(enum aclf_secret_kind kind, const char *ref, const char *want)
{
	int rc;
	char *got = resolve(kind, ref, &rc);

	if (rc != 0 || strcmp(got, want) != 0)
		fail_msg("%s: %s", ref, got);
	free(got);
}

static void test_env(void **state)
{
	(void)state;
	unsetenv("ACLF_TEST_UNSET");
	setenv("ACLF_TEST_EMPTY", "", 1);
	setenv("ACLF_TEST_SET", SECRET, 1);
	setenv("ACLF_TEST_LINES", SECRET "\n" SECRET, 1);
	want_fail(ACLF_SECRET_ENV, "ACLF_TEST_UNSET", "env:ACLF_TEST_UNSET: not set");
	want_fail(ACLF_SECRET_ENV, "ACLF_TEST_EMPTY", "env:ACLF_TEST_EMPTY: set but empty");
	want_fail(ACLF_SECRET_ENV, "ACLF_TEST_LINES", "env:ACLF_TEST_LINES: holds a line break");
	want_value(ACLF_SECRET_ENV, "ACLF_TEST_SET", SECRET);
}

static void test_file(void **state)
{
	char path[256], want[512];
	struct aclf_buf big;

	(void)state;
	snprintf(path, sizeof(path), "%s/none", dir);
	snprintf(want, sizeof(want), "file:%s: no such file", path);
	want_fail(ACLF_SECRET_FILE, path, want);
	/* world- or group-readable files are refused, whatever they hold */
	snprintf(path, sizeof(path), "%s", put("pw644", SECRET "\n", 0644));
	snprintf(want, sizeof(want), "file:%s: mode 0644 lets group or others read or write it, "
				     "expected 0600 or stricter (chmod 0600)", path);
	want_fail(ACLF_SECRET_FILE, path, want);
	snprintf(path, sizeof(path), "%s", put("pw666", SECRET, 0666));
	snprintf(want, sizeof(want), "file:%s: mode 0666 lets group or others read or write it, "
				     "expected 0600 or stricter (chmod 0600)", path);
	want_fail(ACLF_SECRET_FILE, path, want);
	snprintf(path, sizeof(path), "%s", put("pw640", SECRET, 0640));
	snprintf(want, sizeof(want), "file:%s: mode 0640 lets group or others read or write it, "
				     "expected 0600 or stricter (chmod 0600)", path);
	want_fail(ACLF_SECRET_FILE, path, want);
	/* one line, one final line break allowed */
	want_value(ACLF_SECRET_FILE, put("pw", SECRET "\n", 0600), SECRET);
	want_value(ACLF_SECRET_FILE, put("pwcrlf", SECRET "\r\n", 0400), SECRET);
	snprintf(path, sizeof(path), "%s", put("pwlines", SECRET "\n" SECRET "\n", 0600));
	snprintf(want, sizeof(want), "file:%s: holds more than one line, expected the secret alone",
		 path);
	want_fail(ACLF_SECRET_FILE, path, want);
	snprintf(path, sizeof(path), "%s", put("pwempty", "\n", 0600));
	snprintf(want, sizeof(want), "file:%s: empty", path);
	want_fail(ACLF_SECRET_FILE, path, want);
	snprintf(want, sizeof(want), "file:%s: not a regular file", dir);
	want_fail(ACLF_SECRET_FILE, dir, want);
	aclf_buf_init(&big, 0);
	for (int i = 0; i < 500; i++)
		aclf_buf_puts(&big, SECRET);
	snprintf(path, sizeof(path), "%s", put("pwbig", big.buf, 0600));
	snprintf(want, sizeof(want), "file:%s: larger than 4096 bytes", path);
	want_fail(ACLF_SECRET_FILE, path, want);
	aclf_buf_release(&big);
}

/* ~/ is $HOME's, and says so when it fails. */
static void test_home(void **state)
{
	char *home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	char want[512];

	(void)state;
	put("homepw", SECRET, 0600);
	setenv("HOME", dir, 1);
	want_value(ACLF_SECRET_FILE, "~/homepw", SECRET);
	snprintf(want, sizeof(want), "file:~/nope (%s/nope): no such file", dir);
	want_fail(ACLF_SECRET_FILE, "~/nope", want);
	unsetenv("HOME");
	want_fail(ACLF_SECRET_FILE, "~/homepw", "~/homepw: HOME is not set, so '~/' cannot be expanded");
	if (home)
		setenv("HOME", home, 1);
	free(home);
}

static char *check_msg(int (*fn)(const char *, struct aclf_err *), const char *path, int *rc)
{
	struct aclf_err err;
	char *s;

	aclf_err_init(&err);
	*rc = fn(path, &err);
	s = strdup(*rc ? aclf_err_text(&err) : "");
	assert_null(strstr(s, SECRET));
	aclf_err_release(&err);
	return s;
}

static void want_check(int (*fn)(const char *, struct aclf_err *), const char *path,
			 const char *want_suffix)
{
	int rc;
	char *got = check_msg(fn, path, &rc);
	char want[512];

	if (want_suffix)
		snprintf(want, sizeof(want), "%s: %s", path, want_suffix);
	if (want_suffix ? rc == 0 || strcmp(got, want) != 0 : rc != 0)
		fail_msg("%s:\n got: %s\nwant: %s", path, got, want_suffix ? want : "(ok)");
	free(got);
}

static void test_key_and_known_hosts(void **state)
{
	char p[256];

	(void)state;
	want_check(aclf_key_file_check, put("id_ok", KEY, 0600), NULL);
	snprintf(p, sizeof(p), "%s", put("id_644", KEY, 0644));
	want_check(aclf_key_file_check, p, "mode 0644 lets group or others read or write it, "
					     "expected 0600 or stricter (chmod 0600)");
	snprintf(p, sizeof(p), "%s", put("id_pub", "ssh-ed25519 AAAAC3Nz" SECRET " me@host\n", 0600));
	want_check(aclf_key_file_check, p, "holds no private key (expected '-----BEGIN ... PRIVATE "
					     "KEY-----', found a public key)");
	want_check(aclf_known_hosts_check, put("kh_ok", "# hosts\n10.0.0.1 ssh-ed25519 AAAAC3Nz\n", 0644),
		     NULL);
	snprintf(p, sizeof(p), "%s", put("kh_666", "10.0.0.1 ssh-ed25519 AAAAC3Nz\n", 0666));
	want_check(aclf_known_hosts_check, p, "mode 0666 lets group or others write it, expected "
						"0644 or stricter (chmod 0644)");
	snprintf(p, sizeof(p), "%s", put("kh_empty", "# nothing yet\n\n", 0600));
	want_check(aclf_known_hosts_check, p, "holds no host key, so no device's key can be verified");
}

/* The device report: each problem where the topology writes the setting,
 * the device, the setting and the reference; nothing when all is ready. */
static void test_device_report(void **state)
{
	struct aclf_buf y, text, want;
	struct aclf_topology *t;
	struct aclf_check_report rep;
	struct aclf_err err;
	char path[256];

	(void)state;
	put("core1.pw", SECRET "\n", 0644);
	put("known_hosts", "10.0.0.1 ssh-ed25519 AAAAC3Nz\n", 0644);
	put("id", KEY, 0600);
	unsetenv("ACLF_TEST_COMMUNITY");
	setenv("ACLF_TEST_AUTH", "short", 1);
	aclf_buf_init(&y, 0);
	aclf_buf_puts(&y, "site: s\nload_balancing: dns\n"
			  "pools: {p: {role: mediation, fqdn: m.example.net, servers: {m1: 10.0.0.1}}}\n"
			  "devices:\n"
			  "  core1:\n"
			  "    driver: ios\n    host: 10.0.0.1\n"
			  "    ssh: {user: netops, password: file:core1.pw, known_hosts: known_hosts}\n"
			  "    snmp: {version: 2c, community: env:ACLF_TEST_COMMUNITY}\n"
			  "    protects: [{pools: [p], interface: Vlan1, direction: out}]\n"
			  "  m1-host:\n"
			  "    driver: nftables\n    host: 10.0.0.1\n"
			  "    ssh: {user: root, key: id, known_hosts: known_hosts}\n"
			  "    snmp: {version: 3, user: u, auth: {sha: env:ACLF_TEST_AUTH}}\n"
			  "    protects: [{servers: [m1], chain: input}]\n"
			  "  m1-nossh:\n"
			  "    driver: nftables\n    host: 10.0.0.1\n"
			  "    protects: [{servers: [m1], chain: forward}]\n");
	snprintf(path, sizeof(path), "%s", put("t.yaml", y.buf, 0644));
	aclf_err_init(&err);
	t = aclf_topology_load(path, &err);
	if (!t)
		fail_msg("%s", aclf_err_text(&err));
	aclf_check_report_init(&rep);
	assert_int_equal(aclf_check_devices(t, NULL, &rep, &err), 0);
	assert_int_equal(rep.ndevices, 3);
	aclf_buf_init(&text, 0);
	assert_int_equal(aclf_check_report_text(&rep, &text), 0);
	assert_null(strstr(text.buf, SECRET));
	aclf_buf_init(&want, 0);
	aclf_buf_printf(&want,
			"%s:8:35: core1: ssh.password: file:%s/core1.pw: mode 0644 lets group or others "
			"read or write it, expected 0600 or stricter (chmod 0600)\n"
			"%s:9:36: core1: snmp.community: env:ACLF_TEST_COMMUNITY: not set\n"
			"%s:15:45: m1-host: snmp.auth.sha: env:ACLF_TEST_AUTH: shorter than 8 characters, "
			"the SNMPv3 minimum\n"
			"%s:17:3: m1-nossh: ssh: no user to log in as (ssh.user)\n"
			"%s:17:3: m1-nossh: ssh: no way to log in: give ssh.key, ssh.agent or ssh.password\n"
			"%s:17:3: m1-nossh: ssh: no known_hosts, so the device's host key cannot be verified\n",
			path, dir, path, path, path, path, path);
	if (strcmp(text.buf, want.buf) != 0)
		fail_msg("\n got:\n%s\nwant:\n%s", text.buf, want.buf);
	aclf_check_report_release(&rep);
	/* fixed: ready */
	put("core1.pw", SECRET "\n", 0600);
	setenv("ACLF_TEST_COMMUNITY", SECRET, 1);
	setenv("ACLF_TEST_AUTH", SECRET, 1);
	aclf_check_report_init(&rep);
	assert_int_equal(aclf_check_devices(t, "core1", &rep, &err), 0);
	assert_int_equal(rep.ndevices, 1);
	assert_int_equal(rep.n, 0);
	aclf_check_report_release(&rep);
	aclf_check_report_init(&rep);
	assert_int_equal(aclf_check_devices(t, "m1-host", &rep, &err), 0);
	assert_int_equal(rep.n, 0);
	assert_int_equal(aclf_check_devices(t, "nope", &rep, &err), -1);
	aclf_check_report_release(&rep);
	aclf_topology_free(t);
	aclf_err_release(&err);
	aclf_buf_release(&want);
	aclf_buf_release(&text);
	aclf_buf_release(&y);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_home),
		cmocka_unit_test(test_key_and_known_hosts),
		cmocka_unit_test(test_device_report),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
