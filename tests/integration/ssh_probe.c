/* ssh_probe: drives the SSH transport (aclforge/ssh.h) from the command
 * line, for tests/integration/ssh_transport.sh. One session, the actions in
 * order; one output line per action:
 *
 *   open ok auth=METHOD recorded=0|1 ms=N hostkey=TYPE SHA256:...
 *   exec status=N signal=NAME ms=N out='...' err='...'
 *   shell ok ms=N banner='...'
 *   line ok answered=N ms=N prompt='...' text='...'
 *   error exit=N kind=KIND ms=N usable=0|1 text='...' msg: MESSAGE
 *
 * Quoted values escape \n \r \t \\ \' and other bytes as \xNN. After a
 * failed action the next ones still run (a test can show the session is
 * still usable); the exit code is the first failure's aclf_err_exit_code
 * (a failed open ends the run).
 *
 * Options: --device NAME --host H --port P --user U --key FILE --agent
 * --agent-socket PATH --password-env VAR (the password is read from that
 * variable, never from argv) --known-hosts FILE --accept-new
 * --connect-timeout MS --timeout MS --session-timeout MS --keepalive MS
 * --cap BYTES --transcript FILE --scrub SECRET --scrub-line ERE.
 * Actions: exec CMD | exec-in CMD INPUT | shell PROMPT_ERE | line TEXT |
 * answer ERE REPLY (for the next line) | timeout MS (for the next exec or
 * line) | close-shell. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aclforge/err.h"
#include "aclforge/ssh.h"

#define MAXV 16

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void quoted(const char *s, size_t n)
{
	putchar('\'');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\r')
			fputs("\\r", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c == '\\' || c == '\'')
			printf("\\%c", c);
		else if (c < 0x20 || c > 0x7e)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	putchar('\'');
}

static const char *kind_name(enum aclf_err_kind k)
{
	switch (k) {
	case ACLF_E_NONE:
		return "none";
	case ACLF_E_INPUT:
		return "input";
	case ACLF_E_POLICY:
		return "policy";
	case ACLF_E_DEVICE:
		return "device";
	case ACLF_E_TRANSPORT:
		return "transport";
	case ACLF_E_NOMEM:
		return "nomem";
	case ACLF_E_BUG:
		return "bug";
	}
	return "?";
}

/* Print the error line; returns its exit code. */
static int report(struct aclf_ssh *s, struct aclf_err *err, long t0, const struct aclf_buf *text)
{
	int code = aclf_err_exit_code(err);

	printf("error exit=%d kind=%s ms=%ld usable=%d text=", code, kind_name(err->kind),
	       now_ms() - t0, s ? aclf_ssh_usable(s) : 0);
	quoted(text ? text->buf : "", text ? text->len : 0);
	printf(" msg: %s\n", aclf_err_text(err));
	fflush(stdout);
	aclf_err_release(err);
	return code;
}

static int usage(const char *why)
{
	fprintf(stderr, "ssh_probe: %s (see the comment at the top of ssh_probe.c)\n", why);
	return 2;
}

int main(int argc, char **argv)
{
	struct aclf_ssh_opts o = { 0 };
	const char *scrub[MAXV + 1] = { NULL }, *scrub_lines[MAXV + 1] = { NULL };
	struct aclf_ssh_answer answers[MAXV];
	size_t nscrub = 0, nlines = 0, nanswers = 0;
	unsigned next_timeout = 0;
	struct aclf_ssh *s = NULL;
	struct aclf_err err;
	int i, first = 0;
	long t0;

	aclf_err_init(&err);
	for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(k, "--agent") == 0) {
			o.agent = true;
			continue;
		}
		if (strcmp(k, "--accept-new") == 0) {
			o.accept_new = true;
			continue;
		}
		if (!v)
			return usage("option without a value");
		i++;
		if (strcmp(k, "--device") == 0)
			o.device = v;
		else if (strcmp(k, "--host") == 0)
			o.host = v;
		else if (strcmp(k, "--port") == 0)
			o.port = (uint16_t)strtoul(v, NULL, 10);
		else if (strcmp(k, "--user") == 0)
			o.user = v;
		else if (strcmp(k, "--key") == 0)
			o.key_file = v;
		else if (strcmp(k, "--agent-socket") == 0)
			o.agent_socket = v;
		else if (strcmp(k, "--password-env") == 0) {
			o.password = getenv(v);
			if (!o.password)
				return usage("--password-env names an unset variable");
		} else if (strcmp(k, "--known-hosts") == 0)
			o.known_hosts = v;
		else if (strcmp(k, "--connect-timeout") == 0)
			o.connect_timeout_ms = (unsigned)strtoul(v, NULL, 10);
		else if (strcmp(k, "--timeout") == 0)
			o.command_timeout_ms = (unsigned)strtoul(v, NULL, 10);
		else if (strcmp(k, "--session-timeout") == 0)
			o.session_timeout_ms = (unsigned)strtoul(v, NULL, 10);
		else if (strcmp(k, "--keepalive") == 0)
			o.keepalive_ms = (unsigned)strtoul(v, NULL, 10);
		else if (strcmp(k, "--cap") == 0)
			o.output_cap = (size_t)strtoull(v, NULL, 10);
		else if (strcmp(k, "--transcript") == 0)
			o.transcript = v;
		else if (strcmp(k, "--scrub") == 0 && nscrub < MAXV)
			scrub[nscrub++] = v;
		else if (strcmp(k, "--scrub-line") == 0 && nlines < MAXV)
			scrub_lines[nlines++] = v;
		else
			return usage("unknown option");
	}
	o.scrub = scrub;
	o.scrub_lines = scrub_lines;

	t0 = now_ms();
	if (aclf_ssh_open(&o, &s, &err) < 0)
		return report(NULL, &err, t0, NULL);
	printf("open ok auth=%s recorded=%d ms=%ld hostkey=%s\n", aclf_ssh_auth_method(s),
	       aclf_ssh_host_key_recorded(s), now_ms() - t0, aclf_ssh_host_key(s));
	fflush(stdout);

	for (; i < argc; i++) {
		const char *a = argv[i];
		int code = 0;

		t0 = now_ms();
		if ((strcmp(a, "exec") == 0 && i + 1 < argc) ||
		    (strcmp(a, "exec-in") == 0 && i + 2 < argc)) {
			struct aclf_ssh_exec_opts xo = { .timeout_ms = next_timeout };
			struct aclf_ssh_result r;
			const char *cmd = argv[++i];

			if (strcmp(a, "exec-in") == 0) {
				xo.input = argv[++i];
				xo.input_len = strlen(argv[i]);
			}
			aclf_ssh_result_init(&r);
			if (aclf_ssh_exec(s, cmd, &xo, &r, &err) < 0) {
				code = report(s, &err, t0, &r.out);
			} else {
				printf("exec status=%d signal=%s ms=%u out=", r.status, r.signal, r.ms);
				quoted(r.out.buf, r.out.len);
				fputs(" err=", stdout);
				quoted(r.err.buf, r.err.len);
				putchar('\n');
			}
			aclf_ssh_result_release(&r);
			next_timeout = 0;
		} else if (strcmp(a, "shell") == 0 && i + 1 < argc) {
			struct aclf_ssh_shell_opts so = { .prompt = argv[++i],
							  .timeout_ms = next_timeout };
			struct aclf_buf banner;

			aclf_buf_init(&banner, 0);
			if (aclf_ssh_shell_open(s, &so, &banner, &err) < 0) {
				code = report(s, &err, t0, &banner);
			} else {
				printf("shell ok ms=%ld banner=", now_ms() - t0);
				quoted(banner.buf, banner.len);
				putchar('\n');
			}
			aclf_buf_release(&banner);
			next_timeout = 0;
		} else if (strcmp(a, "answer") == 0 && i + 2 < argc && nanswers < MAXV) {
			answers[nanswers].prompt = argv[++i];
			answers[nanswers++].reply = argv[++i];
		} else if (strcmp(a, "timeout") == 0 && i + 1 < argc) {
			next_timeout = (unsigned)strtoul(argv[++i], NULL, 10);
		} else if (strcmp(a, "close-shell") == 0) {
			aclf_ssh_shell_close(s);
			printf("close-shell ok\n");
		} else if (strcmp(a, "line") == 0 && i + 1 < argc) {
			struct aclf_ssh_line l = { .text = argv[++i], .answers = answers,
						   .nanswers = nanswers, .timeout_ms = next_timeout };
			struct aclf_ssh_reply r;

			aclf_ssh_reply_init(&r);
			if (aclf_ssh_shell_run(s, &l, &r, &err) < 0) {
				code = report(s, &err, t0, &r.text);
			} else {
				printf("line ok answered=%u ms=%ld prompt=", r.answered, now_ms() - t0);
				quoted(r.prompt.buf, r.prompt.len);
				fputs(" text=", stdout);
				quoted(r.text.buf, r.text.len);
				putchar('\n');
			}
			aclf_ssh_reply_release(&r);
			nanswers = 0;
			next_timeout = 0;
		} else {
			aclf_ssh_close(s);
			return usage("unknown action or missing argument");
		}
		fflush(stdout);
		if (code && !first)
			first = code;
	}
	aclf_ssh_close(s);
	return first;
}
