/* The BIG-IP kind: root logs in to bash (`[root@lb1:Active:Standalone]
 * config # `), other users to tmsh (`admin@(lb1)(cfg-sync Standalone)
 * (Active)(/Common)(tmos)# `); `tmsh` from bash and `quit` back; tmsh
 * commands on LTM objects, CLI transactions (all or nothing), `save sys
 * config`, the preferences tools send first; the exec channel (bash with
 * `tmsh -c '...'`, or tmsh for tmsh users); and the kind table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu_bigip.h"

static void *bigip_create(const struct emu_kind_opts *o)
{
	struct bigip_dev *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->opts = *o;
	d->hostname = strdup(o->hostname ? o->hostname : "lb1");
	if (!d->hostname) {
		free(d);
		return NULL;
	}
	d->opts.hostname = d->hostname;
	return d;
}

static void bigip_destroy(void *dev)
{
	struct bigip_dev *d = dev;

	if (!d)
		return;
	bstore_release(&d->running);
	bstore_release(&d->saved);
	free(d->hostname);
	free(d);
}

static void drop_queue(struct bigip_sess *s)
{
	for (size_t i = 0; i < s->nqueued; i++)
		free(s->queued[i]);
	free(s->queued);
	s->queued = NULL;
	s->nqueued = 0;
	s->txn = false;
}

static void *bigip_open(void *dev, const char *user)
{
	struct bigip_sess *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->dev = dev;
	s->user = strdup(user && *user ? user : "admin");
	if (!s->user) {
		free(s);
		return NULL;
	}
	s->shell = strcmp(s->user, "root") ? BS_TMSH : BS_BASH;
	return s;
}

static void bigip_close(void *dev, void *sess)
{
	struct bigip_sess *s = sess;

	(void)dev;
	if (!s)
		return;
	drop_queue(s);
	free(s->user);
	free(s);
}

static void bigip_banner(void *dev, void *sess, struct aclf_buf *out)
{
	(void)dev;
	(void)sess;
	aclf_buf_puts(out, "Last login: Sat Dec  5 00:00:00 2026 from 198.18.0.1\r\n");
}

static void bigip_prompt(void *dev, void *sess, struct aclf_buf *out)
{
	struct bigip_sess *s = sess;
	struct bigip_dev *d = dev;

	if (s->shell == BS_BASH) {
		aclf_buf_puts(out, "[");
		aclf_buf_puts_escaped(out, s->user, false);
		aclf_buf_putc(out, '@');
		aclf_buf_puts_escaped(out, d->hostname, false);
		aclf_buf_puts(out, ":Active:Standalone] config # ");
		return;
	}
	aclf_buf_puts_escaped(out, s->user, false);
	aclf_buf_puts(out, "@(");
	aclf_buf_puts_escaped(out, d->hostname, false);
	aclf_buf_puts(out, ")(cfg-sync Standalone)(Active)(/Common)(tmos)# ");
}

static int tmsh_syntax(struct aclf_buf *out, const char *w, const char *what)
{
	if (aclf_buf_puts(out, "Syntax Error: \"") < 0 || aclf_buf_puts_escaped(out, w, true) < 0 ||
	    aclf_buf_printf(out, "\" %s\r\n", what) < 0)
		return -1;
	return 1;
}

static int crlf(struct aclf_buf *out, const struct aclf_buf *err)
{
	for (size_t i = 0; i < err->len; i++) {
		if (err->buf[i] == '\n' && (i == 0 || err->buf[i - 1] != '\r') &&
		    aclf_buf_putc(out, '\r') < 0)
			return -1;
		if (aclf_buf_putc(out, err->buf[i]) < 0)
			return -1;
	}
	return 0;
}

static bool word_is(const struct bwords *w, size_t i, const char *s)
{
	return i < w->n && w->v[i].w && !strcmp(w->v[i].w, s);
}

static int do_list(struct bigip_sess *s, const struct bwords *w, struct aclf_buf *out)
{
	struct blist_opts o = { false, false, false, s->dev->numeric };
	struct aclf_buf err = ACLF_BUF_INIT;
	enum bp_kind kind;
	int k = -1;
	const char *type = NULL, *name = NULL;
	size_t i = 1;
	int rc;

	if (word_is(w, i, "/ltm") || word_is(w, i, "ltm"))
		i++;
	else
		return tmsh_syntax(out, i < w->n && w->v[i].w ? w->v[i].w : "list", "unexpected argument");
	if (i < w->n && w->v[i].w && bp_kind_lookup(w->v[i].w, &kind) == 0) {
		k = (int)kind;
		i++;
		if (bp_has_type(kind) && i < w->n && w->v[i].w && bp_type_ok(kind, w->v[i].w))
			type = w->v[i++].w;
	}
	for (; i < w->n; i++) {
		const char *x = w->v[i].w;

		if (!x)
			return tmsh_syntax(out, "{", "unexpected argument");
		if (!strcmp(x, "one-line"))
			o.one_line = true;
		else if (!strcmp(x, "recursive"))
			o.recursive = true;
		else if (!strcmp(x, "all-properties") || !strcmp(x, "non-default-properties"))
			continue;
		else if (!name && k >= 0)
			name = x;
		else
			return tmsh_syntax(out, x, "unexpected argument");
	}
	aclf_buf_init(&err, 0);
	rc = bp_list(&s->dev->running, k, type, name, &o, out, &err);
	if (rc > 0)
		crlf(out, &err);
	aclf_buf_release(&err);
	return rc;
}

/* Run queued transaction commands against a copy; replace on success. */
static int submit(struct bigip_sess *s, struct aclf_buf *out, bool *changed)
{
	struct bstore work;
	struct aclf_buf err = ACLF_BUF_INIT;
	int rc = 0;

	if (s->dev->opts.fail_commit) {
		drop_queue(s);
		return aclf_buf_puts(out, "01070711:3: Caught configuration exception (0), "
					  "transaction validation failed.\r\n") < 0 ? -1 : 1;
	}
	if (bstore_copy(&work, &s->dev->running) < 0)
		return -1;
	aclf_buf_init(&err, 0);
	for (size_t i = 0; i < s->nqueued && rc == 0; i++) {
		struct bwords w = { 0 };
		int r = bw_split(s->queued[i], &w);

		rc = r < 0 ? -1 : r > 0 ? tmsh_syntax(&err, s->queued[i], "unterminated quote")
					: bp_command(&work, &w, 0, &err);
		bw_release(&w);
	}
	drop_queue(s);
	if (rc) {
		bstore_release(&work);
		if (rc > 0)
			crlf(out, &err);
		aclf_buf_release(&err);
		return rc;
	}
	aclf_buf_release(&err);
	bstore_release(&s->dev->running);
	s->dev->running = work;
	*changed = true;
	return 0;
}

static int cli_cmd(struct bigip_sess *s, const struct bwords *w, struct aclf_buf *out, bool *changed)
{
	const char *verb = w->v[0].w;

	if (word_is(w, 1, "cli") && word_is(w, 2, "transaction") && w->n == 3) {
		if (!strcmp(verb, "create")) {
			if (s->txn)
				return tmsh_syntax(out, "transaction", "a transaction is already open");
			s->txn = true;
			return 0;
		}
		if (!s->txn)
			return tmsh_syntax(out, "transaction", "no transaction is open");
		if (!strcmp(verb, "submit"))
			return submit(s, out, changed);
		if (!strcmp(verb, "delete")) {
			drop_queue(s);
			return 0;
		}
		if (!strcmp(verb, "list")) {
			for (size_t i = 0; i < s->nqueued; i++)
				if (aclf_buf_printf(out, "[%zu] ", i + 1) < 0 ||
				    aclf_buf_puts_escaped(out, s->queued[i], false) < 0 ||
				    aclf_buf_puts(out, "\r\n") < 0)
					return -1;
			return 0;
		}
	}
	if (!strcmp(verb, "modify") && word_is(w, 1, "cli") && word_is(w, 2, "preference"))
		return 0;
	if (!strcmp(verb, "modify") && word_is(w, 1, "cli") && word_is(w, 2, "global-settings") &&
	    word_is(w, 3, "service") && w->n == 5) {
		if (word_is(w, 4, "number") || word_is(w, 4, "name")) {
			s->dev->numeric = word_is(w, 4, "number");
			return 0;
		}
		return tmsh_syntax(out, w->v[4].w ? w->v[4].w : "{", "unexpected argument");
	}
	return tmsh_syntax(out, w->n > 1 && w->v[1].w ? w->v[1].w : verb, "unexpected argument");
}

int emu_bigip_tmsh(struct bigip_sess *s, const char *cmd, struct aclf_buf *out, bool *changed,
	       bool *quit)
{
	struct bwords w = { 0 };
	int r = bw_split(cmd, &w), rc = 0;
	const char *verb;

	if (r < 0)
		return -1;
	if (r > 0) {
		rc = tmsh_syntax(out, cmd, "unterminated quoted string");
		goto out;
	}
	if (w.n == 0)
		goto out;
	verb = w.v[0].w;
	if (!verb) {
		rc = tmsh_syntax(out, "{", "unexpected argument");
		goto out;
	}
	if (!strcmp(verb, "quit") || !strcmp(verb, "exit")) {
		*quit = true;
	} else if (!strcmp(verb, "tmsh") && w.n == 1) {
		/* already in tmsh */
	} else if (word_is(&w, 1, "cli")) {
		rc = cli_cmd(s, &w, out, changed);
	} else if ((!strcmp(verb, "create") || !strcmp(verb, "modify") || !strcmp(verb, "delete")) &&
		   (word_is(&w, 1, "ltm") || word_is(&w, 1, "/ltm"))) {
		if (s->txn) {
			char **q = realloc(s->queued, (s->nqueued + 1) * sizeof(*q));

			if (!q || !(q[s->nqueued] = strdup(cmd))) {
				if (q)
					s->queued = q;
				rc = -1;
				goto out;
			}
			s->queued = q;
			s->nqueued++;
		} else {
			struct aclf_buf err = ACLF_BUF_INIT;

			aclf_buf_init(&err, 0);
			rc = bp_command(&s->dev->running, &w, 0, &err);
			if (rc == 0)
				*changed = true;
			else if (rc > 0)
				crlf(out, &err);
			aclf_buf_release(&err);
		}
	} else if (!strcmp(verb, "list")) {
		rc = do_list(s, &w, out);
	} else if (!strcmp(verb, "save") && word_is(&w, 1, "sys") && word_is(&w, 2, "config")) {
		struct bstore copy;

		if (bstore_copy(&copy, &s->dev->running) < 0) {
			rc = -1;
			goto out;
		}
		bstore_release(&s->dev->saved);
		s->dev->saved = copy;
		rc = aclf_buf_puts(out, "Saving running configuration...\r\n  /config/bigip.conf\r\n"
					"  /config/bigip_base.conf\r\n  /config/bigip_user.conf\r\n"
					"Saving Ethernet mapping...done\r\n");
	} else if (!strcmp(verb, "run") && word_is(&w, 1, "/util") && word_is(&w, 2, "bash")) {
		/* `run /util bash -c "stty cols 255"`: nothing to show */
	} else if (!strcmp(verb, "show") && word_is(&w, 1, "sys") && word_is(&w, 2, "version")) {
		rc = aclf_buf_puts(out, "\r\nSys::Version\r\nMain Package\r\n  Product     BIG-IP\r\n"
					"  Version     15.1.8\r\n  Build       0.0.7\r\n"
					"  Edition     Final\r\n\r\n");
	} else {
		rc = tmsh_syntax(out, verb, "unexpected argument");
	}
out:
	bw_release(&w);
	return rc;
}

/* ---- bash ---- */

struct run {
	struct bigip_sess *s;
	struct aclf_buf *out;
	bool *changed;
	int status;
};

static int run_one(void *ctx, const char *cmd)
{
	struct run *r = ctx;
	bool quit = false;
	int rc = emu_bigip_tmsh(r->s, cmd, r->out, r->changed, &quit);

	if (rc < 0)
		return -1;
	if (rc > 0) {
		/* tmsh -c runs its commands in turn and stops at the first
		 * refused one: nothing after it runs */
		r->status = 1;
		return 1;
	}
	return 0;
}

/* `tmsh [-q] [-c] ARGS`: the arguments, unquoted, run as tmsh commands */
static int bash_tmsh(struct bigip_sess *s, const char *args, struct aclf_buf *out, bool *changed)
{
	struct run r = { s, out, changed, 0 };
	char *body;
	size_t l;
	enum bigip_shell old = s->shell;

	for (;;) {
		while (*args == ' ')
			args++;
		if (!strncmp(args, "-q ", 3))
			args += 3;
		else if (!strncmp(args, "-c ", 3))
			args += 3;
		else
			break;
	}
	l = strlen(args);
	if (l >= 2 && (args[0] == '\'' || args[0] == '"') && args[l - 1] == args[0])
		body = strndup(args + 1, l - 2);
	else
		body = strdup(args);
	if (!body)
		return -1;
	s->shell = BS_TMSH;
	if (bw_commands(body, run_one, &r) < 0)
		r.status = -1; /* a positive answer: stopped at a refused command */
	s->shell = old;
	if (s->txn)
		drop_queue(s); /* a transaction does not outlive its tmsh */
	free(body);
	return r.status;
}

static int bash_line(struct bigip_sess *s, const char *line, struct aclf_buf *out, bool *changed,
		     bool *close)
{
	const char *p = line;

	while (*p == ' ')
		p++;
	if (!*p)
		return 0;
	if (!strcmp(p, "exit") || !strcmp(p, "logout")) {
		*close = true;
		return 0;
	}
	if (!strcmp(p, "tmsh")) {
		s->shell = BS_TMSH;
		s->from_bash = true;
		return 0;
	}
	if (!strncmp(p, "tmsh ", 5))
		return bash_tmsh(s, p + 5, out, changed);
	if (!strcmp(p, "cat /config/bigip.conf")) {
		struct blist_opts o = { false, false, true, true };
		struct aclf_buf err = ACLF_BUF_INIT;
		int r;

		aclf_buf_init(&err, 0);
		r = aclf_buf_puts(out, "#TMSH-VERSION: 15.1.8\r\n\r\n");
		if (r == 0)
			r = bp_list(&s->dev->saved, -1, NULL, NULL, &o, out, &err);
		aclf_buf_release(&err);
		return r;
	}
	if (!strncmp(p, "stty ", 5))
		return 0;
	{
		size_t n = strcspn(p, " ");

		if (aclf_buf_puts(out, "-bash: ") < 0 || aclf_buf_add_escaped(out, p, n, false) < 0 ||
		    aclf_buf_puts(out, ": command not found\r\n") < 0)
			return -1;
	}
	return 127;
}

static enum emu_next bigip_line(void *dev, void *sess, const char *line, struct aclf_buf *out,
				const char **question)
{
	struct bigip_sess *s = sess;
	bool changed = false, quit = false;

	(void)dev;
	*question = NULL;
	if (s->shell == BS_BASH) {
		bash_line(s, line, out, &changed, &quit);
		if (quit)
			return EMU_CLOSE;
		return changed ? EMU_CHANGED : EMU_CONTINUE;
	}
	emu_bigip_tmsh(s, line, out, &changed, &quit);
	if (quit) {
		drop_queue(s);
		if (!s->from_bash)
			return EMU_CLOSE;
		s->shell = BS_BASH;
		s->from_bash = false;
	}
	return changed ? EMU_CHANGED : EMU_CONTINUE;
}

static void bigip_reject(void *dev, void *sess, const char *line, struct aclf_buf *out)
{
	(void)dev;
	(void)sess;
	aclf_buf_puts(out, "01070734:3: Configuration error: ");
	aclf_buf_puts_escaped(out, line, false);
	aclf_buf_puts(out, "\r\n");
}

static int to_lf(struct aclf_buf *dst, const struct aclf_buf *src)
{
	for (size_t i = 0; i < src->len; i++) {
		if (src->buf[i] == '\r' && i + 1 < src->len && src->buf[i + 1] == '\n')
			continue;
		if (aclf_buf_putc(dst, src->buf[i]) < 0)
			return -1;
	}
	return 0;
}

static int bigip_exec(void *dev, const char *user, const char *command, struct aclf_buf *out,
		      struct aclf_buf *errout, bool *changed)
{
	struct bigip_sess *s = bigip_open(dev, user);
	struct aclf_buf t = ACLF_BUF_INIT;
	bool quit = false;
	int status;

	*changed = false;
	if (!s) {
		aclf_buf_puts(errout, "out of memory\n");
		return 1;
	}
	s->exec = true;
	aclf_buf_init(&t, 0);
	if (s->shell == BS_BASH) {
		status = bash_line(s, command, &t, changed, &quit);
	} else {
		const char *c = command;

		while (*c == ' ')
			c++;
		status = bash_tmsh(s, strncmp(c, "tmsh ", 5) ? c : c + 5, &t, changed);
	}
	if (status < 0) {
		aclf_buf_puts(errout, "out of memory\n");
		status = 1;
	} else {
		to_lf(status ? errout : out, &t);
	}
	aclf_buf_release(&t);
	bigip_close(dev, s);
	return status;
}

static void bigip_dump(void *dev, struct aclf_buf *out)
{
	struct bigip_dev *d = dev;
	struct blist_opts o = { false, false, true, true };
	struct aclf_buf t = ACLF_BUF_INIT, err = ACLF_BUF_INIT;

	aclf_buf_init(&t, 0);
	aclf_buf_init(&err, 0);
	aclf_buf_puts(&t, "#TMSH-VERSION: 15.1.8\n\n");
	bp_list(&d->running, -1, NULL, NULL, &o, &t, &err);
	to_lf(out, &t);
	aclf_buf_release(&t);
	aclf_buf_release(&err);
}

const struct emu_kind emu_kind_bigip = {
	.name = "bigip",
	.create = bigip_create,
	.destroy = bigip_destroy,
	.open = bigip_open,
	.close = bigip_close,
	.banner = bigip_banner,
	.prompt = bigip_prompt,
	.line = bigip_line,
	.reject = bigip_reject,
	.exec = bigip_exec,
	.dump = bigip_dump,
	.tick = NULL,
	.control = NULL,
};
