/* The Junos kind: operational and configuration modes, prompts, the
 * commands a push or audit tool sends, the exec channel, and the kind
 * table the emulator's server calls (emu_kind.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu_junos.h"

#define JUNOS_VERSION "21.4R3-S5.4"

static const char exit_question[] = "Exit with uncommitted changes? [yes,no] (yes) ";
static const char delete_question[] = "Delete everything under this level? [yes,no] (no) ";

static void *junos_create(const struct emu_kind_opts *o)
{
	struct junos_dev *d = calloc(1, sizeof(*d));
	char *base[][4] = {
		{ "version", JUNOS_VERSION, NULL, NULL },
		{ "system", "host-name", NULL, NULL },
		{ "system", "services", "ssh", NULL },
	};

	if (!d)
		return NULL;
	d->opts = *o;
	d->hostname = strdup(o->hostname ? o->hostname : "fw1");
	d->running = jt_new(NULL);
	if (!d->hostname || !d->running)
		goto fail;
	base[1][2] = d->hostname;
	for (size_t i = 0; i < sizeof(base) / sizeof(base[0]); i++) {
		size_t n = 0;

		while (n < 4 && base[i][n])
			n++;
		if (jt_set(d->running, base[i], n) < 0)
			goto fail;
	}
	d->opts.hostname = d->hostname;
	d->shared = jt_copy(d->running);
	if (!d->shared)
		goto fail;
	return d;
fail:
	jt_free(d->running);
	free(d->hostname);
	free(d);
	return NULL;
}

static void junos_destroy(void *dev)
{
	struct junos_dev *d = dev;

	if (!d)
		return;
	jt_free(d->running);
	jt_free(d->shared);
	jt_free(d->pending_prev);
	for (size_t i = 0; i < d->nhistory; i++)
		jt_free(d->history[i]);
	for (size_t i = 0; i <= d->nhistory; i++)
		emu_junos_commit_info_release(&d->info[i]);
	for (size_t i = 0; i < d->ncounters; i++) {
		free(d->counters[i].filter);
		free(d->counters[i].name);
	}
	free(d->counters);
	free(d->exclusive_user);
	free(d->foreign_user);
	free(d->hostname);
	free(d);
}

static void *junos_open(void *dev, const char *user)
{
	struct junos_sess *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->dev = dev;
	s->user = strdup(user && *user ? user : "root");
	if (!s->user) {
		free(s);
		return NULL;
	}
	s->seen_gen = s->dev->broadcast_gen;
	aclf_buf_init(&s->loadbuf, 16u << 20);
	return s;
}

static void clear_edit(struct junos_sess *s)
{
	for (size_t i = 0; i < s->nedit; i++)
		free(s->edit[i]);
	free(s->edit);
	s->edit = NULL;
	s->nedit = 0;
}

/* Leave configuration mode: private and exclusive changes are dropped. */
static void leave_config(struct junos_sess *s)
{
	struct junos_dev *d = s->dev;

	if (s->mode != JM_CONFIG)
		return;
	if (s->db == JDB_PRIVATE) {
		jt_free(s->priv);
		s->priv = NULL;
	} else if (s->db == JDB_EXCLUSIVE && d->exclusive == s) {
		struct jt_node *c = jt_copy(d->running);

		if (c) {
			jt_free(d->shared);
			d->shared = c;
		}
	}
	emu_junos_release_lock(s);
	clear_edit(s);
	s->mode = JM_OPER;
	s->db = JDB_SHARED;
	s->loading = false;
	s->ask = JA_NONE;
	if (d->editors)
		d->editors--;
}

static void junos_close(void *dev, void *sess)
{
	struct junos_sess *s = sess;

	(void)dev;
	if (!s)
		return;
	leave_config(s);
	jt_free(s->priv);
	clear_edit(s);
	aclf_buf_release(&s->loadbuf);
	free(s->user);
	free(s);
}

static void junos_banner(void *dev, void *sess, struct aclf_buf *out)
{
	(void)dev;
	(void)sess;
	aclf_buf_puts(out, "--- JUNOS " JUNOS_VERSION " built 2023-03-21 08:25:41 UTC\r\n");
}

int emu_junos_prompt_text(struct junos_sess *s, struct aclf_buf *out)
{
	if (aclf_buf_puts_escaped(out, s->user, false) < 0 || aclf_buf_putc(out, '@') < 0 ||
	    aclf_buf_puts_escaped(out, s->dev->hostname, false) < 0)
		return -1;
	return aclf_buf_puts(out, s->mode == JM_CONFIG ? "# " : "> ");
}

static void junos_prompt(void *dev, void *sess, struct aclf_buf *out)
{
	struct junos_sess *s = sess;

	(void)dev;
	if (s->loading || s->ask)
		return;
	if (s->mode == JM_CONFIG) {
		aclf_buf_puts(out, "\r\n");
		emu_junos_banner_pending(s->dev, out);
		aclf_buf_puts(out, "[edit");
		for (size_t i = 0; i < s->nedit; i++) {
			aclf_buf_putc(out, ' ');
			jt_put_word(out, s->edit[i]);
		}
		aclf_buf_puts(out, "]\r\n");
	}
	emu_junos_prompt_text(s, out);
}

int emu_junos_caret(struct junos_sess *s, size_t col, struct aclf_buf *out)
{
	struct aclf_buf p = ACLF_BUF_INIT;
	size_t n;

	aclf_buf_init(&p, 0);
	if (emu_junos_prompt_text(s, &p) < 0) {
		aclf_buf_release(&p);
		return -1;
	}
	n = s->exec ? col : p.len + col;
	aclf_buf_release(&p);
	for (size_t i = 0; i < n; i++)
		if (aclf_buf_putc(out, ' ') < 0)
			return -1;
	return aclf_buf_puts(out, "^\r\n");
}

/* ---- commands ---- */

struct words {
	struct jst st;
	char **w;
	size_t n;
};

static int words_of(const char *line, struct words *w)
{
	size_t bad;
	int r;

	memset(w, 0, sizeof(*w));
	r = jst_split(line, &w->st, &bad);
	if (r < 0) {
		jst_release(&w->st);
		return r;
	}
	w->w = malloc((w->st.n + 1) * sizeof(*w->w));
	if (!w->w) {
		jst_release(&w->st);
		return -2;
	}
	for (size_t i = 0; i < w->st.n; i++)
		w->w[i] = w->st.v[i].w;
	w->n = w->st.n;
	return 0;
}

static void words_release(struct words *w)
{
	jst_release(&w->st);
	free(w->w);
}

static int unknown(struct junos_sess *s, const struct words *w, size_t i, struct aclf_buf *out)
{
	size_t col = i < w->st.n ? w->st.v[i].col : 0;

	if (emu_junos_caret(s, col, out) < 0)
		return -1;
	return aclf_buf_puts(out, i == 0 ? "unknown command.\r\n" : "syntax error, expecting <command>.\r\n");
}

static int show_config(struct junos_sess *s, struct jt_node *cfg, char *const *path, size_t n,
		       const struct pipes *p, bool header, struct aclf_buf *out)
{
	struct jt_node *t = jt_find(cfg, path, n);

	if (!t)
		return 0;
	if (p->display_set)
		return jt_display_set(t, path, n, out);
	if (header && n == 0 &&
	    aclf_buf_printf(out, "## Last commit: 2026-12-05 00:00:00 UTC by %s\r\n", s->user) < 0)
		return -1;
	if (t->n == 0)
		return 0;
	return jt_curly(t, 0, path, n, out);
}

static int show_version(struct junos_sess *s, struct aclf_buf *out)
{
	if (aclf_buf_puts(out, "Hostname: ") < 0 ||
	    aclf_buf_puts_escaped(out, s->dev->hostname, false) < 0)
		return -1;
	return aclf_buf_puts(out, "\r\nModel: vsrx\r\nJunos: " JUNOS_VERSION "\r\n"
				  "JUNOS OS Kernel 64-bit  [20230321.be2b6cc_builder_stable_12_214]\r\n"
				  "JUNOS Software Release [" JUNOS_VERSION "]\r\n");
}

static int oper_show(struct junos_sess *s, const struct words *w, const struct pipes *p,
		     struct aclf_buf *out)
{
	if (w->n < 2)
		return unknown(s, w, 1, out);
	if (!strcmp(w->w[1], "version") && w->n == 2)
		return show_version(s, out);
	if (!strcmp(w->w[1], "configuration"))
		return show_config(s, s->dev->running, w->w + 2, w->n - 2, p, true, out);
	if (!strcmp(w->w[1], "firewall")) {
		const char *f = NULL;

		if (w->n == 4 && !strcmp(w->w[2], "filter"))
			f = w->w[3];
		else if (w->n != 2)
			return unknown(s, w, 2, out);
		return emu_junos_show_firewall(s->dev, f, out) < 0 ? -1 : 0;
	}
	if (!strcmp(w->w[1], "system") && w->n == 3 && !strcmp(w->w[2], "commit"))
		return emu_junos_show_commits(s->dev, out);
	return unknown(s, w, 1, out);
}

static int oper_set_cli(struct junos_sess *s, const struct words *w, struct aclf_buf *out)
{
	if (w->n < 3)
		return unknown(s, w, 2, out);
	if (!strcmp(w->w[2], "screen-length") && w->n == 4)
		return aclf_buf_printf(out, "Screen length set to %s\r\n", w->w[3]);
	if (!strcmp(w->w[2], "screen-width") && w->n == 4)
		return aclf_buf_printf(out, "Screen width set to %s\r\n", w->w[3]);
	if (!strcmp(w->w[2], "timestamp") && w->n == 4 && !strcmp(w->w[3], "disable"))
		return 0;
	if (!strcmp(w->w[2], "complete-on-space") && w->n == 4)
		return aclf_buf_printf(out, "%s complete-on-space\r\n",
				       strcmp(w->w[3], "off") ? "Enabling" : "Disabling");
	if (!strcmp(w->w[2], "terminal") && w->n == 3)
		return 0;
	return unknown(s, w, 2, out);
}

/* the list of who else is in configuration mode (by count: sessions
 * do not list each other here) */
static int editing(struct junos_dev *d, struct aclf_buf *out)
{
	return aclf_buf_printf(out, "Users currently editing the configuration:\r\n"
				    "  %u other session%s [edit]\r\n",
			       d->editors, d->editors == 1 ? "" : "s");
}

static int configure(struct junos_sess *s, const struct words *w, struct aclf_buf *out)
{
	struct junos_dev *d = s->dev;
	enum junos_db db = JDB_SHARED;

	if (w->n > 2)
		return unknown(s, w, 2, out);
	if (w->n == 2) {
		if (!strcmp(w->w[1], "private"))
			db = JDB_PRIVATE;
		else if (!strcmp(w->w[1], "exclusive"))
			db = JDB_EXCLUSIVE;
		else
			return unknown(s, w, 1, out);
	}
	if (db != JDB_SHARED && d->exclusive)
		return emu_junos_locked_msg(d, out);
	/* someone's uncommitted changes in the shared candidate: a private
	 * copy is refused outright, exclusive names the editors first */
	if (db == JDB_PRIVATE && !jt_equal(d->shared, d->running))
		return aclf_buf_puts(out, "error: shared configuration database modified\r\n");
	if (db == JDB_EXCLUSIVE && !jt_equal(d->shared, d->running)) {
		if (d->editors && editing(d, out) < 0)
			return -1;
		return aclf_buf_puts(out, "error: configuration database modified\r\n");
	}
	if (db == JDB_PRIVATE) {
		s->priv = jt_copy(d->running);
		if (!s->priv)
			return -1;
	}
	if (db == JDB_EXCLUSIVE) {
		d->exclusive = s;
		d->exclusive_user = strdup(s->user);
	}
	if (db != JDB_SHARED &&
	    aclf_buf_puts(out, "warning: uncommitted changes will be discarded on exit\r\n") < 0)
		return -1;
	if (aclf_buf_puts(out, "Entering configuration mode\r\n") < 0)
		return -1;
	if (db == JDB_SHARED && d->exclusive) {
		if (aclf_buf_puts(out, "Users currently editing the configuration:\r\n  ") < 0 ||
		    aclf_buf_puts_escaped(out, d->exclusive_user, false) < 0 ||
		    aclf_buf_puts(out, " terminal pts/0 (pid 4242) on since 2026-12-05 00:00:00 UTC\r\n"
				       "      exclusive [edit]\r\n") < 0)
			return -1;
	} else if (db == JDB_SHARED && d->editors && editing(d, out) < 0) {
		return -1;
	}
	s->db = db;
	s->mode = JM_CONFIG;
	d->editors++;
	return 0;
}

static enum emu_next oper_line(struct junos_sess *s, const char *line, struct aclf_buf *out);

static int edit_cmd(struct junos_sess *s, const struct words *w, struct aclf_buf *out)
{
	const char *what;
	char **path = malloc((s->nedit + w->n) * sizeof(*path));
	size_t n = 0;
	long bad;

	if (!path)
		return -1;
	for (size_t i = 0; i < s->nedit; i++)
		path[n++] = s->edit[i];
	for (size_t i = 1; i < w->n; i++)
		path[n++] = w->w[i];
	bad = jst_check(path, n, &what);
	if (bad >= 0 && strcmp(what, "missing argument")) {
		size_t tok = (size_t)bad >= s->nedit ? (size_t)bad - s->nedit + 1 : 1;
		int r = emu_junos_caret(s, tok < w->st.n ? w->st.v[tok].col : 0, out);

		free(path);
		return r < 0 ? -1 : aclf_buf_printf(out, "%s.\r\n", what);
	}
	for (size_t i = 1; i < w->n; i++) {
		char **e = realloc(s->edit, (s->nedit + 1) * sizeof(*e));

		if (!e || !(e[s->nedit] = strdup(w->w[i]))) {
			if (e)
				s->edit = e;
			free(path);
			return -1;
		}
		s->edit = e;
		s->nedit++;
	}
	free(path);
	return 0;
}

static enum emu_next exit_config(struct junos_sess *s, struct aclf_buf *out, const char **question,
				 bool all)
{
	if (!all && s->nedit) {
		free(s->edit[--s->nedit]);
		return EMU_CONTINUE;
	}
	if (emu_junos_uncommitted(s)) {
		aclf_buf_puts(out, "The configuration has been changed but not committed\r\n");
		*question = exit_question;
		s->ask = JA_EXIT;
		return EMU_CONTINUE;
	}
	aclf_buf_puts(out, "Exiting configuration mode\r\n");
	leave_config(s);
	return EMU_CONTINUE;
}

static enum emu_next config_line(struct junos_sess *s, const char *line, struct aclf_buf *out,
				 const char **question)
{
	struct junos_dev *d = s->dev;
	struct words w;
	struct pipes p = { 0 };
	long badpipe;
	char *cmd = emu_junos_split_pipes(line, &p, &badpipe);
	enum emu_next next = EMU_CONTINUE;
	bool changed = false;
	int r = 0;

	if (!cmd)
		return EMU_CONTINUE;
	if (badpipe >= 0) {
		emu_junos_caret(s, (size_t)badpipe, out);
		aclf_buf_puts(out, "syntax error.\r\n");
		goto done_nowords;
	}
	if (words_of(cmd, &w) < 0) {
		emu_junos_caret(s, strlen(cmd), out);
		aclf_buf_puts(out, "syntax error.\r\n");
		goto done_nowords;
	}
	if (w.n == 0) {
		/* nothing typed */
	} else if (!strcmp(w.w[0], "delete") && w.n == 1) {
		if (s->db != JDB_PRIVATE && d->exclusive && d->exclusive != s) {
			r = emu_junos_locked_msg(d, out);
		} else {
			*question = delete_question;
			s->ask = JA_DELETE;
		}
	} else if (!strcmp(w.w[0], "set") || !strcmp(w.w[0], "delete")) {
		if (s->db != JDB_PRIVATE && d->exclusive && d->exclusive != s)
			r = emu_junos_locked_msg(d, out);
		else
			r = emu_junos_statement(s, cmd, out, NULL, 0, &changed) < 0 ? -1 : 0;
	} else if (!strcmp(w.w[0], "show")) {
		if (p.compare) {
			r = jt_compare(d->running, emu_junos_candidate(s), out);
		} else {
			char **path = malloc((s->nedit + w.n) * sizeof(*path));
			size_t n = 0;

			if (!path) {
				r = -1;
			} else {
				struct aclf_buf t = ACLF_BUF_INIT;

				aclf_buf_init(&t, 0);
				for (size_t i = 0; i < s->nedit; i++)
					path[n++] = s->edit[i];
				for (size_t i = 1; i < w.n; i++)
					path[n++] = w.w[i];
				r = show_config(s, emu_junos_candidate(s), path, n, &p, false, &t);
				if (r == 0)
					r = (p.match || p.except) ? emu_junos_filter_lines(&t, &p, out)
								  : aclf_buf_add(out, t.buf, t.len);
				aclf_buf_release(&t);
				free(path);
			}
		}
	} else if (!strcmp(w.w[0], "commit")) {
		r = emu_junos_commit_cmd(s, w.w, w.n, out, &changed);
		if (changed)
			next = EMU_CHANGED;
	} else if (!strcmp(w.w[0], "rollback")) {
		r = emu_junos_rollback_cmd(s, w.w, w.n, out);
	} else if (!strcmp(w.w[0], "load")) {
		static const char *const kinds[] = { "merge", "replace", "override", "set", "update" };
		int k = -1;

		for (int i = 0; i < 5 && w.n == 3; i++)
			if (!strcmp(w.w[1], kinds[i]))
				k = i;
		if (k < 0 || strcmp(w.w[2], "terminal")) {
			r = unknown(s, &w, k < 0 ? 1 : 2, out);
		} else if (s->db != JDB_PRIVATE && d->exclusive && d->exclusive != s) {
			r = emu_junos_locked_msg(d, out);
		} else {
			s->loading = true;
			s->load_kind = k;
			aclf_buf_reset(&s->loadbuf);
			r = aclf_buf_puts(out, "[Type ^D at a new line to end input]\r\n");
		}
	} else if (!strcmp(w.w[0], "edit") && w.n > 1) {
		r = edit_cmd(s, &w, out);
	} else if (!strcmp(w.w[0], "top") && w.n == 1) {
		clear_edit(s);
	} else if (!strcmp(w.w[0], "up") && w.n == 1) {
		if (s->nedit)
			free(s->edit[--s->nedit]);
	} else if ((!strcmp(w.w[0], "exit") || !strcmp(w.w[0], "quit")) &&
		   (w.n == 1 || (w.n == 2 && !strcmp(w.w[1], "configuration-mode")))) {
		next = exit_config(s, out, question, w.n == 2);
	} else if (!strcmp(w.w[0], "run") && w.n > 1) {
		const char *rest = line + w.st.v[1].col;

		s->mode = JM_OPER;
		next = oper_line(s, rest, out);
		s->mode = JM_CONFIG;
		if (next == EMU_CLOSE)
			next = EMU_CONTINUE;
	} else {
		r = unknown(s, &w, 0, out);
	}
	(void)r;
	words_release(&w);
done_nowords:
	free(cmd);
	free(p.match);
	free(p.except);
	return next;
}

static enum emu_next oper_line(struct junos_sess *s, const char *line, struct aclf_buf *out)
{
	struct words w;
	struct pipes p = { 0 };
	long badpipe;
	char *cmd = emu_junos_split_pipes(line, &p, &badpipe);
	enum emu_next next = EMU_CONTINUE;
	struct aclf_buf t = ACLF_BUF_INIT;

	if (!cmd)
		return EMU_CONTINUE;
	aclf_buf_init(&t, 0);
	if (badpipe >= 0 || words_of(cmd, &w) < 0) {
		emu_junos_caret(s, badpipe >= 0 ? (size_t)badpipe : strlen(cmd), out);
		aclf_buf_puts(out, "syntax error.\r\n");
		goto done_nowords;
	}
	if (w.n == 0) {
		/* nothing typed */
	} else if (!strcmp(w.w[0], "show")) {
		oper_show(s, &w, &p, &t);
	} else if (!strcmp(w.w[0], "set") && w.n > 1 && !strcmp(w.w[1], "cli")) {
		oper_set_cli(s, &w, &t);
	} else if (!strcmp(w.w[0], "configure")) {
		configure(s, &w, &t);
	} else if ((!strcmp(w.w[0], "exit") || !strcmp(w.w[0], "quit")) && w.n == 1) {
		next = EMU_CLOSE;
	} else {
		unknown(s, &w, 0, &t);
	}
	if (p.match || p.except)
		emu_junos_filter_lines(&t, &p, out);
	else
		aclf_buf_add(out, t.buf, t.len);
	words_release(&w);
done_nowords:
	aclf_buf_release(&t);
	free(cmd);
	free(p.match);
	free(p.except);
	return next;
}

static enum emu_next finish_load(struct junos_sess *s, struct aclf_buf *out)
{
	s->loading = false;
	emu_junos_load_text(s, s->load_kind, s->loadbuf.buf, s->loadbuf.len, out);
	aclf_buf_reset(&s->loadbuf);
	return EMU_CONTINUE;
}

static enum emu_next junos_line(void *dev, void *sess, const char *line, struct aclf_buf *out,
				const char **question)
{
	struct junos_sess *s = sess;
	struct junos_dev *d = dev;

	*question = NULL;
	if (s->seen_gen != d->broadcast_gen) {
		s->seen_gen = d->broadcast_gen;
		aclf_buf_puts(out, "\r\nBroadcast Message from root@");
		aclf_buf_puts_escaped(out, d->hostname, false);
		aclf_buf_puts(out, "\r\n        (no tty) at 2026-12-05 00:00:00 UTC...\r\n\r\n"
				   "Commit was not confirmed; automatic rollback complete.\r\n\r\n");
	}
	if (s->loading) {
		const char *eot = strchr(line, '\x04');

		if (eot) {
			if (eot > line && aclf_buf_add(&s->loadbuf, line, (size_t)(eot - line)) < 0)
				aclf_buf_puts(out, "error: input too large\r\n");
			return finish_load(s, out);
		}
		if (aclf_buf_puts(&s->loadbuf, line) < 0 || aclf_buf_putc(&s->loadbuf, '\n') < 0) {
			s->loading = false;
			aclf_buf_reset(&s->loadbuf);
			aclf_buf_puts(out, "error: input too large\r\n");
		}
		return EMU_CONTINUE;
	}
	if (s->ask == JA_DELETE) {
		s->ask = JA_NONE;
		if (!strcmp(line, "yes") || !strcmp(line, "y")) {
			struct jt_node *at = jt_find(emu_junos_candidate(s), s->edit, s->nedit);

			if (at && s->nedit)
				jt_delete(emu_junos_candidate(s), s->edit, s->nedit);
			else if (at)
				jt_delete(at, NULL, 0);
		}
		return EMU_CONTINUE;
	}
	if (s->ask == JA_EXIT) {
		s->ask = JA_NONE;
		if (!*line || !strcmp(line, "yes") || !strcmp(line, "y")) {
			aclf_buf_puts(out, "Exiting configuration mode\r\n");
			leave_config(s);
		}
		return EMU_CONTINUE;
	}
	if (s->mode == JM_CONFIG)
		return config_line(s, line, out, question);
	return oper_line(s, line, out);
}

static void junos_reject(void *dev, void *sess, const char *line, struct aclf_buf *out)
{
	(void)dev;
	(void)sess;
	aclf_buf_puts(out, "error: syntax error: ");
	aclf_buf_puts_escaped(out, line, false);
	aclf_buf_puts(out, "\r\n");
}

/* A line of the output that Junos' own grammar calls an error. */
static bool has_error(const char *t)
{
	for (const char *l = t; l && *l;) {
		if (!strncmp(l, "error:", 6) || !strncmp(l, "syntax error", 12) ||
		    !strncmp(l, "unknown command.", 16) || !strncmp(l, "missing argument.", 17))
			return true;
		l = strchr(l, '\n');
		if (l)
			l++;
	}
	return false;
}

static int crlf_to_lf(struct aclf_buf *dst, const struct aclf_buf *src)
{
	for (size_t i = 0; i < src->len; i++) {
		if (src->buf[i] == '\r' && i + 1 < src->len && src->buf[i + 1] == '\n')
			continue;
		if (aclf_buf_putc(dst, src->buf[i]) < 0)
			return -1;
	}
	return 0;
}

/* `cli -c "a; b"`, `cli "a"` or a plain operational command; commands
 * separated by ';' run one after the other in one session. */
static int junos_exec(void *dev, const char *user, const char *command, struct aclf_buf *out,
		      struct aclf_buf *errout, bool *changed)
{
	struct junos_sess *s = junos_open(dev, user);
	struct aclf_buf t = ACLF_BUF_INIT;
	const char *c = command;
	char *body = NULL;
	int status = 0;

	*changed = false;
	if (!s) {
		aclf_buf_puts(errout, "error: out of memory\n");
		return 1;
	}
	s->exec = true;
	aclf_buf_init(&t, 0);
	while (*c == ' ')
		c++;
	if (!strncmp(c, "cli ", 4)) {
		c += 4;
		while (*c == ' ')
			c++;
		if (!strncmp(c, "-c ", 3))
			c += 3;
		while (*c == ' ')
			c++;
	}
	if (*c == '"' || *c == '\'') {
		size_t l = strlen(c);

		if (l < 2 || c[l - 1] != *c) {
			aclf_buf_puts(errout, "error: unterminated quoted string\n");
			status = 1;
			goto out;
		}
		body = strndup(c + 1, l - 2);
	} else {
		body = strdup(c);
	}
	if (!body) {
		status = 1;
		goto out;
	}
	for (char *p = body, *next; p; p = next) {
		const char *q = NULL;
		bool inq = false;
		enum emu_next r;

		next = NULL;
		for (char *e = p; *e; e++) {
			if (*e == '"')
				inq = !inq;
			if (*e == ';' && !inq) {
				*e = '\0';
				next = e + 1;
				break;
			}
		}
		while (*p == ' ')
			p++;
		r = junos_line(dev, s, p, &t, &q);
		if (r == EMU_CHANGED)
			*changed = true;
		if (q)
			junos_line(dev, s, "yes", &t, &q);
		if (r == EMU_CLOSE)
			break;
	}
	if (s->loading)
		finish_load(s, &t);
	if (has_error(t.buf)) {
		status = 1;
		crlf_to_lf(errout, &t);
	} else {
		crlf_to_lf(out, &t);
	}
out:
	free(body);
	aclf_buf_release(&t);
	junos_close(dev, s);
	return status;
}

static void junos_dump(void *dev, struct aclf_buf *out)
{
	struct junos_dev *d = dev;
	struct aclf_buf t = ACLF_BUF_INIT;

	aclf_buf_init(&t, 0);
	jt_display_set(d->running, NULL, 0, &t);
	crlf_to_lf(out, &t);
	aclf_buf_release(&t);
}

const struct emu_kind emu_kind_junos = {
	.name = "junos",
	.create = junos_create,
	.destroy = junos_destroy,
	.open = junos_open,
	.close = junos_close,
	.banner = junos_banner,
	.prompt = junos_prompt,
	.line = junos_line,
	.reject = junos_reject,
	.exec = junos_exec,
	.dump = junos_dump,
	.tick = emu_junos_tick,
	.control = emu_junos_control,
};
