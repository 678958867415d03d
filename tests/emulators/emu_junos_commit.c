/* Commits: `commit check`, `commit`, `commit confirmed N` and its timer
 * (the automatic rollback when it is not confirmed in time), `rollback N`,
 * the exclusive lock; and `show firewall`, the counters of what was
 * committed (emu_junos_packet.c counts into them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu_junos.h"

struct jt_node *emu_junos_candidate(struct junos_sess *s)
{
	return s->db == JDB_PRIVATE ? s->priv : s->dev->shared;
}

bool emu_junos_uncommitted(struct junos_sess *s)
{
	return !jt_equal(emu_junos_candidate(s), s->dev->running);
}

int emu_junos_locked_msg(struct junos_dev *d, struct aclf_buf *out)
{
	if (aclf_buf_puts(out, "error: configuration database locked by:\r\n  ") < 0 ||
	    aclf_buf_puts_escaped(out, d->exclusive_user ? d->exclusive_user : "root", false) < 0)
		return -1;
	return aclf_buf_puts(out, " terminal pts/0 (pid 4242) on since 2026-12-05 00:00:00 UTC\r\n"
				  "      exclusive [edit]\r\n");
}

void emu_junos_release_lock(struct junos_sess *s)
{
	struct junos_dev *d = s->dev;

	if (d->exclusive == s) {
		d->exclusive = NULL;
		free(d->exclusive_user);
		d->exclusive_user = NULL;
	}
}

static unsigned long long unit_ms(const struct junos_dev *d)
{
	return d->opts.confirm_unit_ms ? d->opts.confirm_unit_ms : 60000ULL;
}

int emu_junos_banner_pending(struct junos_dev *d, struct aclf_buf *out)
{
	unsigned long long left = d->pending_minutes;

	if (!d->pending)
		return 0;
	if (d->pending_armed) {
		unsigned long long ms = d->deadline_ms > d->now_ms ? d->deadline_ms - d->now_ms : 0;

		left = (ms + unit_ms(d) - 1) / unit_ms(d);
		if (left == 0)
			left = 1;
	}
	return aclf_buf_printf(out, "# commit confirmed will be rolled back in %llu minute%s\r\n",
			       left, left == 1 ? "" : "s");
}

void emu_junos_commit_info_release(struct junos_commit_info *c)
{
	free(c->user);
	free(c->comment);
	memset(c, 0, sizeof(*c));
}

/* old (what ran) goes to rollback 1 with its commit's entry; the new
 * running configuration's entry is who (NULL: the system), comment and
 * confirmed. Returns 0, or -1 out of memory with nothing changed. */
static int history_push(struct junos_dev *d, struct jt_node *old, const char *who,
			const char *comment, unsigned confirmed)
{
	struct junos_commit_info c = { .confirmed = confirmed };

	if ((who && !(c.user = strdup(who))) || (comment && !(c.comment = strdup(comment)))) {
		emu_junos_commit_info_release(&c);
		return -1;
	}
	if (d->nhistory == JUNOS_HISTORY) {
		jt_free(d->history[--d->nhistory]);
		emu_junos_commit_info_release(&d->info[d->nhistory + 1]);
	}
	memmove(&d->history[1], &d->history[0], d->nhistory * sizeof(d->history[0]));
	memmove(&d->info[1], &d->info[0], (d->nhistory + 1) * sizeof(d->info[0]));
	d->history[0] = old;
	d->info[0] = c;
	d->nhistory++;
	return 0;
}

int emu_junos_show_commits(struct junos_dev *d, struct aclf_buf *out)
{
	for (size_t i = 0; i <= d->nhistory; i++) {
		const struct junos_commit_info *c = &d->info[i];
		char idx[24];

		snprintf(idx, sizeof(idx), "%zu", i);
		if (aclf_buf_printf(out, "%-4s2026-12-05 00:00:00 UTC by ", idx) < 0 ||
		    aclf_buf_puts_escaped(out, c->user ? c->user : "root", false) < 0 ||
		    aclf_buf_puts(out, c->user ? " via cli" : " via other") < 0 ||
		    (c->confirmed && aclf_buf_printf(out, " commit confirmed, rollback in %umins",
						     c->confirmed) < 0) ||
		    aclf_buf_puts(out, "\r\n") < 0)
			return -1;
		if (c->comment && (aclf_buf_puts(out, "    ") < 0 ||
				   aclf_buf_puts_escaped(out, c->comment, false) < 0 ||
				   aclf_buf_puts(out, "\r\n") < 0))
			return -1;
		if (i == 0 && d->pending && aclf_buf_puts(out, "    rollback pending\r\n") < 0)
			return -1;
	}
	return 0;
}

/* ---- the check a commit runs: references resolve ---- */

static struct jt_node *path_find(struct jt_node *root, const char *const *w)
{
	size_t n = 0;

	while (w[n])
		n++;
	return jt_find(root, (char *const *)w, n);
}

static int check_refs(struct jt_node *cfg, struct aclf_buf *out, unsigned *errors)
{
	struct jt_node *ifs = path_find(cfg, (const char *const[]){ "interfaces", NULL });
	struct jt_node *plists =
		path_find(cfg, (const char *const[]){ "policy-options", "prefix-list", NULL });
	struct jt_node *fams = path_find(cfg, (const char *const[]){ "firewall", "family", NULL });

	for (size_t i = 0; ifs && i < ifs->n; i++) {
		struct jt_node *units = jt_find(ifs->kids[i], (char *[]){ "unit" }, 1);

		for (size_t u = 0; units && u < units->n; u++) {
			struct jt_node *fam = jt_find(units->kids[u], (char *[]){ "family" }, 1);

			for (size_t f = 0; fam && f < fam->n; f++) {
				struct jt_node *flt = jt_find(fam->kids[f], (char *[]){ "filter" }, 1);
				const char *fw = fam->kids[f]->word;

				for (size_t k = 0; flt && k < flt->n; k++) {
					struct jt_node *dir = flt->kids[k];
					char *path[4] = { "firewall", "family", (char *)fw, "filter" };
					struct jt_node *defs = jt_find(cfg, path, 4);

					if (!dir->n || (strcmp(dir->word, "input") && strcmp(dir->word, "output")))
						continue;
					if (defs && jt_find(defs, &dir->kids[0]->word, 1))
						continue;
					if (!strcmp(fw, "inet") && jt_find(cfg, (char *[]){ "firewall", "filter", dir->kids[0]->word }, 3))
						continue;
					(*errors)++;
					if (aclf_buf_puts(out, "[edit interfaces ") < 0 ||
					    jt_put_word(out, ifs->kids[i]->word) < 0 ||
					    aclf_buf_printf(out, " unit %s family %s filter]\r\n  '%s'\r\n"
								 "    Referenced filter '",
							    units->kids[u]->word, fw, dir->word) < 0 ||
					    aclf_buf_puts_escaped(out, dir->kids[0]->word, false) < 0 ||
					    aclf_buf_puts(out, "' is not defined\r\n") < 0)
						return -1;
				}
			}
		}
	}
	for (size_t f = 0; fams && f < fams->n; f++) {
		struct jt_node *filters = jt_find(fams->kids[f], (char *[]){ "filter" }, 1);

		for (size_t x = 0; filters && x < filters->n; x++) {
			struct jt_node *terms = jt_find(filters->kids[x], (char *[]){ "term" }, 1);

			for (size_t t = 0; terms && t < terms->n; t++) {
				struct jt_node *from = jt_find(terms->kids[t], (char *[]){ "from" }, 1);

				for (size_t c = 0; from && c < from->n; c++) {
					struct jt_node *cond = from->kids[c];

					if (!strstr(cond->word, "prefix-list"))
						continue;
					for (size_t v = 0; v < cond->n; v++) {
						if (plists && jt_find(plists, &cond->kids[v]->word, 1))
							continue;
						(*errors)++;
						if (aclf_buf_printf(out, "[edit firewall family %s filter ",
								    fams->kids[f]->word) < 0 ||
						    jt_put_word(out, filters->kids[x]->word) < 0 ||
						    aclf_buf_puts(out, " term ") < 0 ||
						    jt_put_word(out, terms->kids[t]->word) < 0 ||
						    aclf_buf_printf(out, " from]\r\n  '%s ", cond->word) < 0 ||
						    aclf_buf_puts_escaped(out, cond->kids[v]->word, false) < 0 ||
						    aclf_buf_puts(out, "'\r\n    Referenced prefix-list '") < 0 ||
						    aclf_buf_puts_escaped(out, cond->kids[v]->word, false) < 0 ||
						    aclf_buf_puts(out, "' is not defined\r\n") < 0)
							return -1;
					}
				}
			}
		}
	}
	return 0;
}

/* 0 the check passes, 1 it failed (printed), -1 out of memory */
static int commit_check(struct junos_sess *s, struct aclf_buf *out)
{
	unsigned errors = 0;

	if (s->dev->opts.fail_commit) {
		if (aclf_buf_puts(out, "[edit firewall]\r\n  'family inet'\r\n"
				       "    statements constraint check failed\r\n") < 0)
			return -1;
		errors++;
	} else if (check_refs(emu_junos_candidate(s), out, &errors) < 0) {
		return -1;
	}
	if (!errors)
		return 0;
	return aclf_buf_puts(out, "error: configuration check-out failed\r\n") < 0 ? -1 : 1;
}

int emu_junos_arm_foreign(struct junos_dev *d, const char *args, struct aclf_buf *out)
{
	char user[64];
	unsigned minutes;
	char *u;

	if (sscanf(args, "%63s %u", user, &minutes) != 2 || minutes < 1 || minutes > 65535) {
		aclf_buf_puts(out, "usage: foreign-commit USER MINUTES\n");
		return -1;
	}
	u = strdup(user);
	if (!u)
		return -1;
	free(d->foreign_user);
	d->foreign_user = u;
	d->foreign_minutes = minutes;
	return aclf_buf_printf(out, "armed: %s commits confirmed %u after the next commit "
				    "confirmed of another user\n",
			       user, minutes) < 0 ? -1 : 0;
}

/* The armed foreign commit, as if foreign_user had typed `set system
 * location building FOREIGN` and `commit confirmed N comment "foreign
 * trial"` in a shared session of their own right after ours. */
static void foreign_commit(struct junos_dev *d)
{
	char *w[] = { "system", "location", "building", "FOREIGN" };
	struct jt_node *next = jt_copy(d->running);
	bool shared_clean = jt_equal(d->shared, d->running);

	if (!next || jt_set(next, w, 4) < 0 ||
	    history_push(d, d->running, d->foreign_user, "foreign trial", d->foreign_minutes) < 0) {
		jt_free(next);
		return;
	}
	d->running = next;
	d->pending_minutes = d->foreign_minutes;
	d->pending_armed = d->seen_tick;
	d->deadline_ms = d->now_ms + d->foreign_minutes * unit_ms(d);
	if (shared_clean) {
		struct jt_node *sh = jt_copy(next);

		if (sh) {
			jt_free(d->shared);
			d->shared = sh;
		}
	}
	free(d->foreign_user);
	d->foreign_user = NULL;
}

static int bad_word(struct junos_sess *s, const char *line, size_t col, struct aclf_buf *out)
{
	(void)line;
	if (emu_junos_caret(s, col, out) < 0)
		return -1;
	return aclf_buf_puts(out, "syntax error.\r\n");
}

int emu_junos_commit_cmd(struct junos_sess *s, char *const *w, size_t n, struct aclf_buf *out,
		     bool *changed)
{
	struct junos_dev *d = s->dev;
	bool check = false, confirmed = false, and_quit = false;
	unsigned long minutes = 10;
	const char *comment = NULL;
	struct jt_node *cand = emu_junos_candidate(s), *old, *next, *prev = NULL;
	bool was_shared_clean;
	int r;

	for (size_t i = 1; i < n; i++) {
		if (!strcmp(w[i], "check") && i == 1 && n == 2) {
			check = true;
		} else if (!strcmp(w[i], "confirmed") && !confirmed) {
			confirmed = true;
			if (i + 1 < n && w[i + 1][0] >= '0' && w[i + 1][0] <= '9') {
				char *end;

				minutes = strtoul(w[i + 1], &end, 10);
				if (*end || minutes < 1 || minutes > 65535) {
					if (aclf_buf_printf(out, "error: value %s is not within range (1..65535)\r\n",
							    w[i + 1]) < 0)
						return -1;
					return 0;
				}
				i++;
			}
		} else if (!strcmp(w[i], "and-quit")) {
			and_quit = true;
		} else if (!strcmp(w[i], "comment") && i + 1 < n) {
			comment = w[++i];
		} else if (!strcmp(w[i], "synchronize") || !strcmp(w[i], "no-synchronize")) {
			continue;
		} else {
			/* the column is not known here: the caret goes under the word's
			 * place in a line written with single spaces */
			size_t col = 0;

			for (size_t k = 0; k < i; k++)
				col += strlen(w[k]) + 1;
			return bad_word(s, NULL, col, out);
		}
	}
	if (d->exclusive && d->exclusive != s)
		return emu_junos_locked_msg(d, out);
	r = commit_check(s, out);
	if (r)
		return r < 0 ? -1 : 0;
	if (check) {
		/* a commit check confirms too */
		d->pending = false;
		jt_free(d->pending_prev);
		d->pending_prev = NULL;
		return aclf_buf_puts(out, "configuration check succeeds\r\n");
	}
	next = jt_copy(cand);
	if (!next)
		return -1;
	old = d->running;
	was_shared_clean = jt_equal(d->shared, old);
	if (!jt_equal(old, next))
		*changed = true;
	if (confirmed && !d->pending) {
		prev = jt_copy(old);
		if (!prev) {
			jt_free(next);
			return -1;
		}
	}
	if (history_push(d, old, s->user, comment, confirmed ? (unsigned)minutes : 0) < 0) {
		jt_free(prev);
		jt_free(next);
		return -1;
	}
	if (confirmed) {
		if (prev)
			d->pending_prev = prev;
		d->pending = true;
		d->pending_minutes = (unsigned)minutes;
		d->pending_armed = d->seen_tick;
		d->deadline_ms = d->now_ms + minutes * unit_ms(d);
	} else if (d->pending) {
		d->pending = false;
		jt_free(d->pending_prev);
		d->pending_prev = NULL;
	}
	d->running = next;
	if (s->db == JDB_PRIVATE && was_shared_clean) {
		struct jt_node *sh = jt_copy(next);

		if (sh) {
			jt_free(d->shared);
			d->shared = sh;
		}
	}
	if (confirmed && d->foreign_user && strcmp(d->foreign_user, s->user))
		foreign_commit(d);
	if (confirmed &&
	    aclf_buf_printf(out, "commit confirmed will be automatically rolled back in %lu minute%s unless confirmed\r\n",
			    minutes, minutes == 1 ? "" : "s") < 0)
		return -1;
	if (aclf_buf_puts(out, "commit complete\r\n") < 0)
		return -1;
	if (and_quit) {
		if (aclf_buf_puts(out, "Exiting configuration mode\r\n") < 0)
			return -1;
		s->mode = JM_OPER;
		emu_junos_release_lock(s);
		if (d->editors)
			d->editors--;
	}
	return 0;
}

int emu_junos_rollback_cmd(struct junos_sess *s, char *const *w, size_t n, struct aclf_buf *out)
{
	struct junos_dev *d = s->dev;
	unsigned long k = 0;
	struct jt_node *src, *copy, **slot;

	if (n > 2 || (n == 2 && (w[1][0] < '0' || w[1][0] > '9'))) {
		size_t col = strlen(w[0]) + 1;

		return bad_word(s, NULL, n > 2 ? col + strlen(w[1]) + 1 : col, out);
	}
	if (n == 2) {
		char *end;

		k = strtoul(w[1], &end, 10);
		if (*end || k >= JUNOS_HISTORY)
			return aclf_buf_printf(out, "error: value %s is not within range (0..49)\r\n", w[1]);
	}
	if (k > d->nhistory)
		return aclf_buf_printf(out, "error: Cannot open rollback file for rollback %lu\r\n", k);
	if (d->exclusive && d->exclusive != s && s->db != JDB_PRIVATE)
		return emu_junos_locked_msg(d, out);
	src = k == 0 ? d->running : d->history[k - 1];
	copy = jt_copy(src);
	if (!copy)
		return -1;
	slot = s->db == JDB_PRIVATE ? &s->priv : &d->shared;
	jt_free(*slot);
	*slot = copy;
	return aclf_buf_puts(out, "load complete\r\n");
}

bool emu_junos_tick(void *dev, unsigned long long now_ms)
{
	struct junos_dev *d = dev;
	bool shared_clean;

	d->now_ms = now_ms;
	d->seen_tick = true;
	if (!d->pending)
		return false;
	if (!d->pending_armed) {
		d->pending_armed = true;
		d->deadline_ms = now_ms + d->pending_minutes * unit_ms(d);
		return false;
	}
	if (now_ms < d->deadline_ms)
		return false;
	/* not confirmed: the previous configuration is committed again */
	shared_clean = jt_equal(d->shared, d->running);
	if (history_push(d, d->running, NULL, NULL, 0) < 0)
		return false; /* out of memory: tried again at the next tick */
	d->running = d->pending_prev;
	d->pending_prev = NULL;
	d->pending = false;
	d->broadcast_gen++;
	if (shared_clean) {
		struct jt_node *sh = jt_copy(d->running);

		if (sh) {
			jt_free(d->shared);
			d->shared = sh;
		}
	}
	return true;
}

/* ---- counters ---- */

static int show_filter(struct junos_dev *d, struct jt_node *f, struct aclf_buf *out)
{
	struct jt_node *terms = jt_find(f, (char *[]){ "term" }, 1);
	bool header = false;
	char line[80];

	snprintf(line, sizeof(line), "Filter: %s", f->word);
	if (aclf_buf_printf(out, "\r\n%-63s\r\n", line) < 0)
		return -1;
	for (size_t t = 0; terms && t < terms->n; t++) {
		struct jt_node *cnt = jt_find(terms->kids[t], (char *[]){ "then", "count" }, 2);
		const struct junos_counter *c;

		if (!cnt || !cnt->n)
			continue;
		if (!header && aclf_buf_printf(out, "Counters:\r\n%-52s%s%21s\r\n", "Name", "Bytes",
					       "Packets") < 0)
			return -1;
		header = true;
		c = emu_junos_counter_get(d, f->word, cnt->kids[0]->word);
		if (aclf_buf_printf(out, "%-40s%17llu%21llu\r\n", cnt->kids[0]->word,
				    c ? c->bytes : 0, c ? c->packets : 0) < 0)
			return -1;
	}
	return 0;
}

int emu_junos_show_firewall(struct junos_dev *d, const char *filter, struct aclf_buf *out)
{
	static const char *const fams[] = { "inet", "inet6", NULL };
	bool found = false;

	for (size_t i = 0; fams[i]; i++) {
		char *p[4] = { "firewall", "family", (char *)fams[i], "filter" };
		struct jt_node *fl = jt_find(d->running, p, 4);

		for (size_t k = 0; fl && k < fl->n; k++) {
			if (filter && strcmp(filter, fl->kids[k]->word))
				continue;
			found = true;
			if (show_filter(d, fl->kids[k], out) < 0)
				return -1;
		}
	}
	if (filter && !found)
		return aclf_buf_puts(out, "error: filter not found\r\n") < 0 ? -1 : 1;
	return 0;
}
