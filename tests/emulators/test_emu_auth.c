/* aclforge-emu's credentials (emu_auth.c) and --state-dir writes
 * (emu_state.c): authorized_keys lines with options and comments, a line
 * that is no key refused with FILE:LINE, the two password file forms,
 * wrong users and passwords refused; the state file replaced whole. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emu_kinds.h"
#include "emu_server.h"

#define K1 "AAAAC3NzaC1lZDI1NTE5AAAAILlBx2SVzAl6MnubLyifFsw9Rrdf7UQkae2epg0cb4jy"
#define K2 "AAAAC3NzaC1lZDI1NTE5AAAAIKlH43ynrDDfnt2YUTZXQXiOfXyimmBmlBa1uiIU/4oY"

static char dir[64];

static int mkdir_setup(void **st)
{
	(void)st;
	snprintf(dir, sizeof(dir), "/tmp/test_emu_auth.XXXXXX");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int rm_teardown(void **st)
{
	char cmd[128];

	(void)st;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static const char *file(const char *name, const char *text)
{
	static char p[4][128];
	static int n;
	char *path = p[n++ % 4];
	FILE *f;

	snprintf(path, sizeof(p[0]), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static ssh_key key(const char *b64)
{
	ssh_key k = NULL;

	assert_int_equal(ssh_pki_import_pubkey_base64(b64, SSH_KEYTYPE_ED25519, &k), SSH_OK);
	return k;
}

static void keys(void **st)
{
	struct emu_auth a;
	struct aclf_buf err = ACLF_BUF_INIT;
	ssh_key k1 = key(K1), k2 = key(K2);
	const char *ak;

	(void)st;
	aclf_buf_init(&err, 0);
	ak = file("ak", "# a comment\n\nfrom=\"127.0.0.1\",no-pty ssh-ed25519 " K1 " t1@host\n");
	assert_int_equal(emu_auth_load(&a, ak, NULL, &err), 0);
	assert_int_equal(a.nkeys, 1);
	assert_true(emu_auth_key(&a, k1));
	assert_false(emu_auth_key(&a, k2));
	assert_false(emu_auth_password(&a, "netops", ""));
	emu_auth_release(&a);

	ak = file("ak2", "ssh-ed25519 " K1 "\nssh-ed25519 not-base64!\n");
	assert_int_equal(emu_auth_load(&a, ak, NULL, &err), -1);
	assert_non_null(strstr(err.buf, "/ak2:2: not a public key line"));
	emu_auth_release(&a);
	aclf_buf_reset(&err);

	ak = file("ak3", "# nothing\n");
	assert_int_equal(emu_auth_load(&a, ak, NULL, &err), -1);
	assert_non_null(strstr(err.buf, "no public key in"));
	emu_auth_release(&a);
	ssh_key_free(k1);
	ssh_key_free(k2);
	aclf_buf_release(&err);
}

static void passwords(void **st)
{
	struct emu_auth a;
	struct aclf_buf err = ACLF_BUF_INIT;
	const char *ak = file("ak", "ssh-ed25519 " K1 "\n");

	(void)st;
	aclf_buf_init(&err, 0);
	assert_int_equal(emu_auth_load(&a, ak, file("pw", "netops:pa:ss\n"), &err), 0);
	assert_true(emu_auth_password(&a, "netops", "pa:ss"));
	assert_false(emu_auth_password(&a, "other", "pa:ss"));
	assert_false(emu_auth_password(&a, "netops", "pa:s"));
	assert_false(emu_auth_password(&a, "netops", "pa:sss"));
	assert_false(emu_auth_password(&a, "netops", ""));
	emu_auth_release(&a);

	assert_int_equal(emu_auth_load(&a, ak, file("pw2", "bare-pw\r\n"), &err), 0);
	assert_true(emu_auth_password(&a, "anyone", "bare-pw"));
	assert_false(emu_auth_password(&a, "anyone", "bare-pw\r"));
	emu_auth_release(&a);

	assert_int_equal(emu_auth_load(&a, ak, file("pw3", "netops:\n"), &err), -1);
	assert_non_null(strstr(err.buf, "no password in"));
	emu_auth_release(&a);
	aclf_buf_release(&err);
}

static void state_file(void **st)
{
	const struct emu_kind *k = emu_kind_find("ios");
	struct emu_kind_opts o = { .hostname = "sw7" };
	struct emu_device d;
	struct aclf_buf b = ACLF_BUF_INIT;
	char path[128];

	(void)st;
	memset(&d, 0, sizeof(d));
	d.state = k->create(&o);
	assert_non_null(d.state);
	snprintf(path, sizeof(path), "%s/2201.cfg", dir);
	d.state_path = path;
	file("2201.cfg", "old text that is longer than nothing\n");
	assert_int_equal(emu_state_write(k, &d), 0);
	aclf_buf_init(&b, 0);
	assert_int_equal(aclf_buf_read_file(&b, path), 0);
	assert_non_null(strstr(b.buf, "hostname sw7\n"));
	assert_null(strstr(b.buf, "old text"));
	assert_string_equal(b.buf + b.len - 4, "end\n");
	snprintf(path, sizeof(path), "%s/2201.cfg.tmp", dir);
	assert_int_equal(access(path, F_OK), -1);
	/* a directory that is not there: -1, said on stderr */
	snprintf(path, sizeof(path), "%s/no/such/2201.cfg", dir);
	assert_int_equal(emu_state_write(k, &d), -1);
	k->destroy(d.state);
	aclf_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(keys, mkdir_setup, rm_teardown),
		cmocka_unit_test_setup_teardown(passwords, mkdir_setup, rm_teardown),
		cmocka_unit_test_setup_teardown(state_file, mkdir_setup, rm_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
