/* The SSH transport's pieces that need no network (src/transport/):
 * the visible last line prompts are matched on, quoting device text for
 * messages, the transcript's records, escaping and scrubbing, and
 * known_hosts matching (plain, [host]:port, several names, hashed names,
 * @revoked, a changed key, another key type, malformed lines, CRLF), what
 * aclf_ssh_open refuses before any packet, the options of a topology device.
 * tests/integration/ssh_transport.sh runs the whole transport against a
 * real sshd. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "aclforge/err.h"
#include "aclforge/topology.h"
/* the statics of the known_hosts scan (libssh's torture tests do the same) */
#include "transport/ssh_hostkey.c"

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* ---- the last line ---- */

static void last_is(const char *text, size_t len, size_t want_start, const char *want)
{
	struct aclf_buf cand;

	aclf_buf_init(&cand, 0);
	assert_int_equal(ssh_last_line(text, len, &cand), want_start);
	assert_int_equal(cand.len, strlen(want));
	assert_memory_equal(cand.buf, want, cand.len);
	aclf_buf_release(&cand);
}

#define LAST(t, start, want) last_is(t, sizeof(t) - 1, start, want)

static void test_last_line(void **state)
{
	(void)state;
	LAST("", 0, "");
	LAST("R1#", 0, "R1#");
	LAST("show run\r\nR1#", 10, "R1#");
	LAST("done\n", 5, "");
	/* bash's bracketed paste mode before the prompt */
	LAST("x\r\n\x1b[?2004hbox$ ", 3, "box$ ");
	/* an xterm title (OSC ... BEL) */
	LAST("\x1b]0;user@box\abox# ", 0, "box# ");
	/* a pager erased with carriage returns: what is visible is after the
	 * last one */
	LAST("a\r\n --More-- \r          \rR1#", 3, "R1#");
	/* a lone trailing carriage return does not empty the line */
	LAST("Proceed? [confirm]\r", 0, "Proceed? [confirm]");
	/* an unterminated escape sequence is dropped */
	LAST("R1#\x1b[", 0, "R1#");
}

static void test_match_with_nul(void **state)
{
	regex_t re;
	struct aclf_err err;

	(void)state;
	aclf_err_init(&err);
	assert_int_equal(ssh_re_compile(&re, "# $", "prompt", "d1", &err), 0);
	assert_true(ssh_re_match(&re, "a\0b# ", 5));
	assert_false(ssh_re_match(&re, "a# \0b", 5));
	regfree(&re);
	assert_int_equal(ssh_re_compile(&re, "([", "prompt", "d1", &err), -1);
	assert_int_equal(err.kind, ACLF_E_INPUT);
	assert_non_null(strstr(aclf_err_text(&err), "d1: prompt /([/ is not a valid regex"));
	aclf_err_release(&err);
}

static void test_quote_tail(void **state)
{
	struct aclf_buf b;

	(void)state;
	aclf_buf_init(&b, 0);
	ssh_quote_tail(&b, "it's\r\n\t\\\x01", 9, 100);
	assert_string_equal(b.buf, "'it\\'s\\r\\n\\t\\\\\\x01'");
	aclf_buf_reset(&b);
	ssh_quote_tail(&b, "0123456789", 10, 4);
	assert_string_equal(b.buf, "'...6789'");
	aclf_buf_release(&b);
}

/* ---- the transcript ---- */

static char *read_all(const char *path)
{
	struct aclf_buf b;

	aclf_buf_init(&b, 0);
	assert_int_equal(aclf_buf_read_file(&b, path), 0);
	return aclf_buf_detach(&b, NULL);
}

#define DATA(l, dir, s) ssh_log_data(l, dir, s, strlen(s))

static void test_transcript(void **state)
{
	char dir[] = "/tmp/aclf-ssh-local-XXXXXX", path[64], *text, *body;
	const char *scrub[] = { "tok", "tok123", NULL };
	const char *lines[] = { "^enable secret", "^username .* password", NULL };
	struct aclf_ssh_opts o = { .host = "198.18.0.1", .user = "u", .password = "s3cret",
				   .scrub = scrub, .scrub_lines = lines };
	struct ssh_log *l = NULL;
	struct aclf_err err;
	struct stat st;

	(void)state;
	aclf_err_init(&err);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t", dir);
	o.transcript = path;
	assert_int_equal(ssh_log_open(&l, &o, "d1", &err), 0);
	ssh_log_event(l, "exec: echo s3cret");
	/* lines split over several reads, a partial line flushed when the
	 * direction changes */
	DATA(l, '<', "abc s3c");
	DATA(l, '<', "ret def\nenable secret 5 $1$x\r\nR1#");
	DATA(l, '>', "typed tok123 and tok\n");
	DATA(l, '!', "esc \x1b[0m back\\slash \xc3\xa9\n");
	DATA(l, '<', "username bob password 7 0822\nlast");
	assert_int_equal(ssh_log_check(l, "d1", NULL, &err), 0);
	ssh_log_close(l);

	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	text = read_all(path);
	assert_non_null(strstr(text, "# aclforge ssh transcript: device d1, 198.18.0.1 port 22, user u, "));
	body = strchr(text, '\n') + 1;
	assert_string_equal(body, "# exec: echo ********\n"
				  "< abc ******** def\\n\n"
				  "< ********\\r\\n\n"
				  "< R1#\n"
				  "> typed ******** and ********\\n\n"
				  "! esc \\x1b[0m back\\\\slash \\xc3\\xa9\\n\n"
				  "< ********\\n\n"
				  "< last\n"
				  "# closed\n");
	assert_null(strstr(text, "s3cret"));
	free(text);

	/* a bad scrub regex is refused before the file is made */
	lines[0] = "([";
	unlink(path);
	assert_int_equal(ssh_log_open(&l, &o, "d1", &err), -1);
	assert_null(l);
	assert_int_equal(err.kind, ACLF_E_INPUT);
	assert_int_not_equal(access(path, F_OK), 0);
	aclf_err_release(&err);
	rmdir(dir);
}

/* A transcript that cannot be written fails the next operation; an
 * existing file is made private, a device is left alone. */
static void test_transcript_errors(void **state)
{
	char dir[] = "/tmp/aclf-ssh-local-XXXXXX", path[64];
	struct aclf_ssh_opts o = { .host = "h", .password = "pw" };
	struct ssh_log *l = NULL;
	struct aclf_err err;
	struct stat st, before;
	FILE *f;

	(void)state;
	aclf_err_init(&err);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(chmod(path, 0644), 0);
	o.transcript = path;
	assert_int_equal(ssh_log_open(&l, &o, "d1", &err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	ssh_log_close(l);
	unlink(path);
	rmdir(dir);

	assert_int_equal(stat("/dev/full", &before), 0);
	o.transcript = "/dev/full";
	assert_int_equal(ssh_log_open(&l, &o, "d1", &err), 0);
	DATA(l, '<', "line\n");
	assert_int_equal(ssh_log_check(l, "d1", "show x", &err), -1);
	assert_int_equal(err.kind, ACLF_E_INPUT);
	assert_string_equal(aclf_err_text(&err),
			    "d1: 'show x': transcript '/dev/full': No space left on device");
	ssh_log_close(l);
	assert_int_equal(stat("/dev/full", &st), 0);
	assert_int_equal(st.st_mode, before.st_mode);
	aclf_err_release(&err);
}

/* ---- open: what is refused before any packet ---- */

static void open_fails(const struct aclf_ssh_opts *o, const char *want)
{
	struct aclf_ssh *s = (struct aclf_ssh *)1;
	struct aclf_err err;

	aclf_err_init(&err);
	assert_int_equal(aclf_ssh_open(o, &s, &err), -1);
	assert_null(s);
	assert_int_equal(err.kind, ACLF_E_INPUT);
	if (!strstr(aclf_err_text(&err), want))
		fail_msg("got '%s', want '%s'", aclf_err_text(&err), want);
	aclf_err_release(&err);
}

static void test_open_refuses_locally(void **state)
{
	char dir[] = "/tmp/aclf-ssh-local-XXXXXX", key[64], want[160];
	/* loopback discard port: never reached, every case fails before */
	struct aclf_ssh_opts o = { .device = "d1", .host = "127.0.0.1", .port = 9 };

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(key, sizeof(key), "%s/key", dir);
	write_file(key, "not a key\n");

	open_fails(&(struct aclf_ssh_opts){ .device = "d1", .password = "x" },
		   "d1: no host to connect to");
	open_fails(&o, "d1: no way to log in: give a key file, the agent or a password");
	o.key_file = key;
	assert_int_equal(chmod(key, 0644), 0);
	snprintf(want, sizeof(want),
		 "d1: key file '%s' is accessible by group or others (mode 0644): refused", key);
	open_fails(&o, want);
	assert_int_equal(chmod(key, 0600), 0);
	snprintf(want, sizeof(want), "d1: key file '%s' holds no private key libssh can read", key);
	open_fails(&o, want);
	o.key_file = "/nonexistent/key";
	open_fails(&o, "d1: key file '/nonexistent/key': No such file or directory");
	unlink(key);
	rmdir(dir);
	o.key_file = NULL;
	o.password = "x";
	o.transcript = "/nonexistent/t";
	open_fails(&o, "d1: transcript '/nonexistent/t': No such file or directory");
	o.scrub_lines = (const char *const[]){ "([", NULL };
	open_fails(&o, "d1: scrub_lines entry /([/ is not a valid regex");
}

static void test_opts_from_device(void **state)
{
	struct aclf_device dev = { .name = "core1", .host = "198.18.0.1" };
	struct aclf_ssh_opts o;

	(void)state;
	dev.ssh.user = "netops";
	dev.ssh.key_file = "~/.ssh/id_ed25519";
	dev.ssh.agent = true;
	dev.ssh.port = 2222;
	dev.ssh.known_hosts = "~/.ssh/known_hosts";
	dev.ssh.password.kind = ACLF_SECRET_ENV;
	dev.ssh.password.ref = "CORE1_PW";
	memset(&o, 0xff, sizeof(o));
	aclf_ssh_opts_from_device(&o, &dev);
	assert_string_equal(o.device, "core1");
	assert_string_equal(o.host, "198.18.0.1");
	assert_int_equal(o.port, 2222);
	assert_string_equal(o.user, "netops");
	assert_string_equal(o.key_file, "~/.ssh/id_ed25519");
	assert_true(o.agent);
	assert_string_equal(o.known_hosts, "~/.ssh/known_hosts");
	/* the secret reference is the caller's to resolve */
	assert_null(o.password);
	assert_false(o.accept_new);
	assert_int_equal(o.connect_timeout_ms, 0);
	assert_null(o.transcript);

	{
		char *p = ssh_expand_path("~/x"), *q = ssh_expand_path("/abs/~"),
		     *r = ssh_expand_path("~user/x");
		const char *home = getenv("HOME");

		if (home && *home) {
			char want[512];

			snprintf(want, sizeof(want), "%s/x", home);
			assert_string_equal(p, want);
		}
		assert_string_equal(q, "/abs/~");
		assert_string_equal(r, "~user/x"); /* only the caller's own home */
		free(p);
		free(q);
		free(r);
	}
}

/* ---- known_hosts ---- */

struct keys {
	ssh_key a, b, c, ec; /* a, b, c: ed25519 */
	char *a64, *b64, *ec64;
};

static void keys_make(struct keys *k)
{
	assert_int_equal(ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &k->a), SSH_OK);
	assert_int_equal(ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &k->b), SSH_OK);
	assert_int_equal(ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &k->c), SSH_OK);
	assert_int_equal(ssh_pki_generate(SSH_KEYTYPE_ECDSA_P256, 256, &k->ec), SSH_OK);
	assert_int_equal(ssh_pki_export_pubkey_base64(k->a, &k->a64), SSH_OK);
	assert_int_equal(ssh_pki_export_pubkey_base64(k->b, &k->b64), SSH_OK);
	assert_int_equal(ssh_pki_export_pubkey_base64(k->ec, &k->ec64), SSH_OK);
}

static void keys_free(struct keys *k)
{
	ssh_key_free(k->a);
	ssh_key_free(k->b);
	ssh_key_free(k->c);
	ssh_key_free(k->ec);
	ssh_string_free_char(k->a64);
	ssh_string_free_char(k->b64);
	ssh_string_free_char(k->ec64);
}

/* Scan path for host_port with srv; returns the scan (caller releases). */
static struct kh_scan scan(const char *path, const char *host_port, ssh_key srv)
{
	struct kh_scan k = { 0 };

	aclf_buf_init(&k.others, 0);
	assert_int_equal(scan_file(&k, path, host_port, srv), 0);
	return k;
}

static void test_known_hosts(void **state)
{
	char dir[] = "/tmp/aclf-ssh-kh-XXXXXX", path[64], *text = NULL, fp[128];
	struct keys k;
	struct kh_scan r;

	(void)state;
	keys_make(&k);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/known_hosts", dir);
	assert_true(asprintf(&text,
			     "# comment\n"
			     "\n"
			     "other.example ssh-ed25519 %s\n"
			     "garbage\n"
			     "[198.18.0.1]:2222 ssh-ed25519 %s\r\n"
			     "198.18.0.9,dev9 ssh-ed25519 %s comment words\n"
			     "[198.18.0.7]:2222 ecdsa-sha2-nistp256 %s\n"
			     "@revoked * ssh-ed25519 %s\n"
			     "@cert-authority * ssh-ed25519 %s\n",
			     k.b64, k.a64, k.a64, k.ec64, k.b64, k.a64) > 0);
	write_file(path, text);

	r = scan(path, "[198.18.0.1]:2222", k.a);
	assert_true(r.ok);
	assert_int_equal(r.ok_line, 5);
	assert_false(r.revoked);
	aclf_buf_release(&r.others);

	/* the same address on port 22 is another host */
	r = scan(path, "198.18.0.1", k.a);
	assert_false(r.ok);
	assert_int_equal(r.others.len, 0);
	aclf_buf_release(&r.others);

	/* any of a line's names */
	r = scan(path, "dev9", k.a);
	assert_true(r.ok);
	assert_int_equal(r.ok_line, 6);
	aclf_buf_release(&r.others);

	/* a changed key: the recorded one's fingerprint and line */
	r = scan(path, "[198.18.0.1]:2222", k.c);
	assert_false(r.ok);
	assert_false(r.revoked);
	assert_true(r.same_type);
	assert_int_equal(fingerprint(k.a, fp, sizeof(fp)), 0);
	assert_true(strncmp(fp, "ssh-ed25519 SHA256:", 19) == 0);
	assert_non_null(strstr(r.others.buf, "line 5: "));
	assert_non_null(strstr(r.others.buf, fp));
	aclf_buf_release(&r.others);

	/* an ed25519 key where known_hosts has ecdsa: another type */
	r = scan(path, "[198.18.0.7]:2222", k.a);
	assert_false(r.ok);
	assert_false(r.same_type);
	assert_non_null(strstr(r.others.buf, "line 7: ecdsa-sha2-nistp256 SHA256:"));
	aclf_buf_release(&r.others);

	/* B is revoked for every host, even where a line accepts it */
	r = scan(path, "other.example", k.b);
	assert_true(r.revoked);
	assert_int_equal(r.revoked_line, 8);
	aclf_buf_release(&r.others);

	/* @cert-authority lines are not host keys */
	r = scan(path, "unlisted.example", k.a);
	assert_false(r.ok);
	assert_int_equal(r.others.len, 0);
	aclf_buf_release(&r.others);

	/* a missing file is an empty one */
	r = scan("/nonexistent/known_hosts", "dev9", k.a);
	assert_false(r.ok);
	aclf_buf_release(&r.others);

	free(text);
	unlink(path);
	rmdir(dir);
	keys_free(&k);
}

/* Hashed names (ssh-keygen -H), the form HashKnownHosts writes. */
static void test_known_hosts_hashed(void **state)
{
	char dir[] = "/tmp/aclf-ssh-kh-XXXXXX", path[64], cmd[160], *text = NULL;
	struct keys k;
	struct kh_scan r;

	(void)state;
	keys_make(&k);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/known_hosts", dir);
	assert_true(asprintf(&text, "[198.18.0.5]:2222 ssh-ed25519 %s\n", k.a64) > 0);
	write_file(path, text);
	free(text);
	snprintf(cmd, sizeof(cmd), "ssh-keygen -q -H -f %s >/dev/null 2>&1", path);
	assert_int_equal(system(cmd), 0);
	text = read_all(path);
	assert_true(text[0] == '|');
	assert_null(strstr(text, "198.18.0.5"));
	free(text);

	r = scan(path, "[198.18.0.5]:2222", k.a);
	assert_true(r.ok);
	aclf_buf_release(&r.others);
	r = scan(path, "[198.18.0.5]:2222", k.b);
	assert_false(r.ok);
	assert_true(r.same_type);
	assert_non_null(strstr(r.others.buf, "line 1: ssh-ed25519 SHA256:"));
	aclf_buf_release(&r.others);
	r = scan(path, "[198.18.0.6]:2222", k.a);
	assert_false(r.ok);
	assert_int_equal(r.others.len, 0);
	aclf_buf_release(&r.others);

	snprintf(cmd, sizeof(cmd), "rm -f %s %s.old", path, path);
	assert_int_equal(system(cmd), 0);
	rmdir(dir);
	keys_free(&k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_last_line),
		cmocka_unit_test(test_match_with_nul),
		cmocka_unit_test(test_quote_tail),
		cmocka_unit_test(test_transcript),
		cmocka_unit_test(test_transcript_errors),
		cmocka_unit_test(test_open_refuses_locally),
		cmocka_unit_test(test_opts_from_device),
		cmocka_unit_test(test_known_hosts),
		cmocka_unit_test(test_known_hosts_hashed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
