/* aclforge-emu: SSH device emulators for tests.
 *
 *   aclforge-emu --kind ios|junos|bigip --listen ADDR:PORT[-LASTPORT]
 *       --host-key FILE --authorized-keys FILE [--password-file FILE]
 *       [--state-dir DIR] [--delay-ms N] [--drop-after N] [--reject REGEX]
 *       [--fail-commit] [--hang-after N] [--confirm-unit-ms N]
 *
 * Every port of the range is one device with its own state; PORT 0 takes
 * a free port (a single device). Prints "listening ADDR:PORT-LAST" once
 * every port listens; SIGTERM or SIGINT ends it, every session closed and
 * everything freed (exit 0). Exit 2: bad usage; 3: a port cannot be
 * listened on.
 *
 * Per session, a command is a non-empty line of the shell or an exec
 * request (`emu-control ...` is not one): --delay-ms N waits N ms before
 * each answer; --drop-after N cuts the TCP connection (no SSH goodbye) when
 * command N+1 arrives, which is not run; --hang-after N stops answering at
 * command N+1 (not run; the connection stays until the client leaves);
 * --reject ERE (POSIX extended, matched against the line as typed) answers
 * a matching command with the kind's error instead of running it. A shell
 * line longer than 4096 bytes gets that error too. `emu-control ARGS` on an
 * exec channel goes to the kind's control op (exit 0, or 1 with the reason
 * on stderr). */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu_kinds.h"
#include "emu_server.h"

#define MAX_PORTS 4096

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void usage(FILE *f)
{
	char kinds[128];

	emu_kind_names(kinds, sizeof(kinds));
	fprintf(f, "usage: aclforge-emu --kind %s --listen ADDR:PORT[-LASTPORT]\n"
		   "         --host-key FILE --authorized-keys FILE [--password-file FILE]\n"
		   "         [--state-dir DIR] [--delay-ms N] [--drop-after N] [--reject REGEX]\n"
		   "         [--fail-commit] [--hang-after N] [--confirm-unit-ms N]\n",
		kinds);
}

static int bad(const char *fmt, const char *arg)
{
	fprintf(stderr, "aclforge-emu: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	usage(stderr);
	return 2;
}

static int number(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 10);
	return *end || errno || *v > max ? -1 : 0;
}

/* ADDR:PORT[-LAST]; the address may be [v6] */
static int listen_arg(struct emu_opts *o, const char *arg)
{
	const char *colon = strrchr(arg, ':'), *dash;
	unsigned long p, l;
	char tmp[16];
	size_t al;

	if (!colon || colon == arg)
		return -1;
	al = (size_t)(colon - arg);
	if (arg[0] == '[' && arg[al - 1] == ']') {
		arg++;
		al -= 2;
	}
	o->addr = strndup(arg, al);
	if (!o->addr)
		return -1;
	dash = strchr(colon + 1, '-');
	if (dash) {
		if ((size_t)(dash - colon - 1) >= sizeof(tmp))
			return -1;
		memcpy(tmp, colon + 1, (size_t)(dash - colon - 1));
		tmp[dash - colon - 1] = '\0';
		if (number(tmp, 65535, &p) < 0 || number(dash + 1, 65535, &l) < 0)
			return -1;
	} else {
		if (number(colon + 1, 65535, &p) < 0)
			return -1;
		l = p;
	}
	if (l < p || (p == 0 && l != 0) || l - p >= MAX_PORTS)
		return -1;
	o->port = (unsigned)p;
	o->last = (unsigned)l;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "listen", required_argument, NULL, 'l' },
		{ "host-key", required_argument, NULL, 'H' },
		{ "authorized-keys", required_argument, NULL, 'a' },
		{ "password-file", required_argument, NULL, 'p' },
		{ "state-dir", required_argument, NULL, 's' },
		{ "delay-ms", required_argument, NULL, 'd' },
		{ "drop-after", required_argument, NULL, 'D' },
		{ "reject", required_argument, NULL, 'r' },
		{ "fail-commit", no_argument, NULL, 'f' },
		{ "hang-after", required_argument, NULL, 'g' },
		{ "confirm-unit-ms", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct emu_opts o;
	struct emu_auth auth;
	struct aclf_buf err = ACLF_BUF_INIT;
	struct sigaction sa;
	unsigned long v;
	int c, rc;

	memset(&o, 0, sizeof(o));
	memset(&auth, 0, sizeof(auth));
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'k':
			o.kind = emu_kind_find(optarg);
			if (!o.kind) {
				char kinds[128];

				emu_kind_names(kinds, sizeof(kinds));
				fprintf(stderr, "aclforge-emu: unknown kind '%s' (known: %s)\n", optarg,
					kinds);
				rc = 2;
				goto out;
			}
			break;
		case 'l':
			free(o.addr);
			o.addr = NULL;
			if (listen_arg(&o, optarg) < 0) {
				rc = bad("--listen wants ADDR:PORT[-LASTPORT], got '%s'", optarg);
				goto out;
			}
			break;
		case 'H':
			o.host_key = optarg;
			break;
		case 'a':
			o.authorized_keys = optarg;
			break;
		case 'p':
			o.password_file = optarg;
			break;
		case 's':
			o.state_dir = optarg;
			break;
		case 'd':
		case 'D':
		case 'g':
		case 'c':
			if (number(optarg, 86400000UL, &v) < 0) {
				rc = bad("not a number: '%s'", optarg);
				goto out;
			}
			if (c == 'd')
				o.delay_ms = (unsigned)v;
			else if (c == 'D')
				o.drop_after = v;
			else if (c == 'g')
				o.hang_after = v;
			else
				o.confirm_unit_ms = (unsigned)v;
			break;
		case 'r':
			if (o.has_reject)
				regfree(&o.reject);
			o.has_reject = false;
			if (regcomp(&o.reject, optarg, REG_EXTENDED | REG_NOSUB) != 0) {
				rc = bad("--reject: not a POSIX extended regular expression: '%s'", optarg);
				goto out;
			}
			o.has_reject = true;
			break;
		case 'f':
			o.fail_commit = true;
			break;
		case 'h':
			usage(stdout);
			rc = 0;
			goto out;
		default:
			usage(stderr);
			rc = 2;
			goto out;
		}
	}
	if (optind < argc) {
		rc = bad("unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (!o.kind || !o.addr || !o.host_key || !o.authorized_keys) {
		rc = bad("%s", "--kind, --listen, --host-key and --authorized-keys are required");
		goto out;
	}
	{
		/* a host key that cannot be read is bad input, not a network
		 * failure: checked once here, before any port */
		ssh_key hk = NULL;

		if (ssh_pki_import_privkey_file(o.host_key, NULL, NULL, NULL, &hk) != SSH_OK) {
			fprintf(stderr, "aclforge-emu: cannot read the host key '%s' (a private key "
					"without passphrase)\n", o.host_key);
			rc = 2;
			goto out;
		}
		ssh_key_free(hk);
	}
	aclf_buf_init(&err, 0);
	if (emu_auth_load(&auth, o.authorized_keys, o.password_file, &err) < 0) {
		fprintf(stderr, "aclforge-emu: %s\n", err.buf);
		rc = 2;
		goto out;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	ssh_init();
	rc = emu_server_run(&o, &auth, &stop_flag);
	ssh_finalize();
out:
	emu_auth_release(&auth);
	aclf_buf_release(&err);
	if (o.has_reject)
		regfree(&o.reject);
	free(o.addr);
	return rc;
}
