/* IOS per-entry counters over the CLI (README.md here, "Counters"): no
 * MIB carries per-ACE counters on IOS or IOS-XE, so the matches come from
 * `show access-lists` (with `show object-group`, whose groups the entries
 * name), and which list an intended filter runs as from the bindings of
 * `show running-config` (version A or B of its name, ios_plan.c).
 *
 * Each intended entry's sequence number and rule come from the rendered
 * intended list: IOS numbers the entries of a list it is given without
 * numbers 10, 20, ... (remarks take none), and each rule's entries follow
 * the remark naming its id. The live entry at that number counts for the
 * rule only when it means the same (the entries' rules compared field by
 * field, object-groups expanded, so version B's group names do not
 * matter); otherwise a note says so and nothing is counted. One entry with
 * an object-group stands for its whole expansion: its one counter is the
 * rule's. IOS counts no bytes. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/counters.h"
#include "aclforge/driver.h"
#include "aclforge/topology.h"
#include "ios_parse.h"

/* the commands counters_read runs, in this order */
const char IOS_CNT_RUN[] = "show running-config";
const char IOS_CNT_ACL[] = "show access-lists";
const char IOS_CNT_OG[] = "show object-group";

/* IOS numbers a list's entries from 10 in steps of 10 */
#define IOS_SEQ_STEP 10u
/* how many lines a note quotes of an entry */
#define NOTE_ENTRY_MAX 160

/* One text read into a model, its lists' rules built. */
struct side {
	struct ios_model m;
	const char *text;
	size_t len;
	struct aclf_filter *fv; /* per list of m, rules in entry order */
	size_t **first;         /* per list: index of each entry's first rule, and
	                         * one past the last entry's */
};

struct cctx {
	struct aclf_arena a;     /* scratch for the three models */
	struct aclf_policy *pol; /* scratch for their rules */
	struct side run, live, want;
	const struct aclf_device *dev;
	const struct aclf_devpol *intended;
	struct aclf_counters *out;
	struct aclf_err *err;
};

static int nomem(struct cctx *c)
{
	return aclf_err_nomem(c->err);
}

/* Read text into s->m; a failure is the device's text (or, for the
 * rendered list, a bug) named with its command. */
static int read_side(struct cctx *c, struct side *s, const char *label, const char *text,
		     size_t len, enum aclf_err_kind kind)
{
	struct aclf_err e;
	int rc = 0;

	memset(&s->m, 0, sizeof(s->m));
	s->m.a = &c->a;
	s->m.src = label;
	s->text = text;
	s->len = len;
	aclf_err_init(&e);
	s->m.err = &e;
	if (ios_model_read(&s->m, text, len) < 0)
		rc = -1;
	if (rc == 0) {
		s->fv = aclf_arena_alloc(&c->a, (s->m.nacls ? s->m.nacls : 1) * sizeof(*s->fv));
		s->first = aclf_arena_alloc(&c->a, (s->m.nacls ? s->m.nacls : 1) * sizeof(*s->first));
		if (!s->fv || !s->first)
			rc = aclf_err_nomem(&e);
		else if (ios_build_rules(&s->m, c->pol, s->fv) < 0)
			rc = -1;
	}
	if (rc < 0) {
		if (e.kind == ACLF_E_NOMEM)
			aclf_err_nomem(c->err);
		else
			aclf_err_remote(c->err, kind, c->dev->name, label, "%s", aclf_err_text(&e));
	}
	s->m.err = c->err;
	aclf_err_release(&e);
	return rc;
}

/* The rules ios_build_rules made for list k come in entry order, each with
 * the provenance "line N" of its entry: where each entry's rules start. */
static int index_rules(struct cctx *c, struct side *s)
{
	for (size_t k = 0; k < s->m.nacls; k++) {
		const struct ios_acl *acl = &s->m.acls[k];
		const struct aclf_filter *f = &s->fv[k];
		size_t *first = aclf_arena_alloc(&c->a, (acl->n + 1) * sizeof(*first)), r = 0;

		if (!first)
			return nomem(c);
		for (size_t j = 0; j < acl->n; j++) {
			char ref[32];

			snprintf(ref, sizeof(ref), "line %u", acl->v[j].line);
			first[j] = r;
			while (r < f->nrules && f->rules[r].nprov && f->rules[r].prov[0].ref &&
			       !strcmp(f->rules[r].prov[0].ref, ref))
				r++;
		}
		first[acl->n] = r;
		s->first[k] = first;
	}
	return 0;
}

static long find_acl(const struct ios_model *m, const char *name, uint8_t fam)
{
	for (size_t k = 0; k < m->nacls; k++)
		if (m->acls[k].family == fam && !strcmp(m->acls[k].name, name))
			return (long)k;
	return -1;
}

/* The list the running configuration binds at iface and dir for fam. */
static const char *bound(const struct ios_model *m, const char *iface, enum aclf_direction dir,
			 uint8_t fam)
{
	const char *name = NULL;

	for (size_t k = 0; k < m->nbinds; k++)
		if (m->binds[k].family == fam && m->binds[k].dir == dir &&
		    !strcmp(m->binds[k].iface, iface))
			name = m->binds[k].acl; /* the last one written holds */
	return name;
}

static bool same_rule(const struct aclf_rule *x, const struct aclf_rule *y)
{
	return !x->opaque && !y->opaque && x->action == y->action && x->protocol == y->protocol &&
	       x->established == y->established && aclf_pset_equal(&x->src, &y->src) &&
	       aclf_pset_equal(&x->dst, &y->dst) && aclf_ports_equal(&x->src_ports, &y->src_ports) &&
	       aclf_ports_equal(&x->dst_ports, &y->dst_ports);
}

static bool same_note(const char *x, const char *y)
{
	return (!x && !y) || (x && y && !strcmp(x, y));
}

/* Do entry j of want's list wk and entry i of live's list lk mean the same? */
static bool same_entry(const struct side *want, size_t wk, size_t j, const struct side *live,
		       size_t lk, size_t i)
{
	size_t w0 = want->first[wk][j], w1 = want->first[wk][j + 1];
	size_t l0 = live->first[lk][i], l1 = live->first[lk][i + 1];

	if (w1 - w0 != l1 - l0 || w1 == w0)
		return false;
	if (!same_note(want->m.acls[wk].v[j].note, live->m.acls[lk].v[i].note))
		return false;
	/* a service group's pieces (one per protocol and source ports) in
	 * any order: each is unique within its entry */
	for (size_t n = w0; n < w1; n++) {
		bool found = false;

		for (size_t k = l0; k < l1 && !found; k++)
			found = same_rule(&want->fv[wk].rules[n], &live->fv[lk].rules[k]);
		if (!found)
			return false;
	}
	return true;
}

/* Line no of s's text, trimmed, into buf. */
static const char *line_of(const struct side *s, unsigned no, char *buf, size_t size)
{
	const char *p = s->text, *end = s->text + s->len;
	size_t n;

	for (unsigned k = 1; k < no && p < end; k++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	n = 0;
	while (p + n < end && p[n] != '\n' && p[n] != '\r')
		n++;
	snprintf(buf, size, "%.*s", (int)n, p);
	return buf;
}

static bool seq_is(const char *seq, unsigned long want)
{
	unsigned long v;

	return seq && ios_parse_uint(seq, 4294967295ul, &v) == 0 && v == want;
}

/* The rule of f whose id the remark starts with, looked for from *hint on
 * (remarks come in rule order), or NULL. */
static long rule_of(const struct aclf_filter *f, const char *remark, size_t *hint)
{
	size_t n = strcspn(remark, " ;");

	for (size_t t = 0; t < f->nrules; t++) {
		size_t r = (*hint + t) % f->nrules;
		const char *id = f->rules[r].id;

		if (id && strlen(id) == n && !strncmp(id, remark, n)) {
			*hint = r;
			return (long)r;
		}
	}
	return -1;
}

/* The entries of one family of intended filter f (rules counted from out
 * index base) against the live list bound at its point. */
static const char *matches(int64_t n)
{
	return n == 1 ? "match is" : "matches are";
}

/* noted[r]: rule r of f has a note of its own (no "no counter" line then) */
static int count_family(struct cctx *c, const struct aclf_filter *f, size_t base, uint8_t fam,
			bool *noted)
{
	char want_name[256], ebuf[NOTE_ENTRY_MAX], lbuf[NOTE_ENTRY_MAX];
	const char *live_name, *fname = fam == 4 ? "IPv4" : "IPv6";
	long wk, lk, owner = -1;
	const struct ios_acl *wa, *la;
	size_t hint = 0;
	bool *claimed;

	snprintf(want_name, sizeof(want_name), "%s%s", f->name, fam == 4 ? "" : IOS_V6_SUFFIX);
	wk = find_acl(&c->want.m, want_name, fam);
	if (wk < 0)
		return 0; /* render wrote no list of this family */
	wa = &c->want.m.acls[wk];
	live_name = bound(&c->run.m, f->binding.name, f->binding.direction, fam);
	if (!live_name)
		return aclf_counters_note(c->out, "filter '%s': no %s list is bound at %s %s on the "
					  "device: its entries are not counted",
					  f->name, fname, f->binding.name,
					  f->binding.direction == ACLF_DIR_IN ? "in" : "out");
	lk = find_acl(&c->live.m, live_name, fam);
	if (lk < 0)
		return aclf_counters_note(c->out, "filter '%s': list '%s' bound at %s is not in '%s': "
					  "its entries are not counted",
					  f->name, live_name, f->binding.name, IOS_CNT_ACL);
	la = &c->live.m.acls[lk];
	claimed = aclf_arena_alloc(&c->a, (la->n ? la->n : 1) * sizeof(*claimed));
	if (!claimed)
		return nomem(c);
	memset(claimed, 0, (la->n ? la->n : 1) * sizeof(*claimed));
	for (size_t j = 0; j < wa->n; j++) {
		const struct ios_ace *we = &wa->v[j];
		unsigned long seq = IOS_SEQ_STEP * (unsigned long)(j + 1);
		struct aclf_rule_cnt *rc;
		char counter[32];
		long li = -1;

		if (we->remark)
			owner = rule_of(f, we->remark, &hint);
		for (size_t i = 0; i < la->n && li < 0; i++)
			if (seq_is(la->v[i].seq, seq))
				li = (long)i;
		if (owner < 0) {
			/* the default entry (or an entry of no rule): intended, but
			 * no rule's; a live entry there that means something else
			 * is named below when it has matches */
			if (li >= 0 && same_entry(&c->want, (size_t)wk, j, &c->live, (size_t)lk, (size_t)li))
				claimed[li] = true;
			continue;
		}
		rc = &c->out->rules[base + (size_t)owner];
		rc->source = ACLF_CNT_CLI;
		if (li < 0) {
			noted[owner] = true;
			if (aclf_counters_note(c->out, "filter '%s' rule '%s': list '%s' has no entry %lu "
					       "(intended: %s): not counted",
					       f->name, rc->rule, live_name, seq,
					       line_of(&c->want, we->line, ebuf, sizeof(ebuf))) < 0)
				return nomem(c);
			continue;
		}
		claimed[li] = true;
		if (!same_entry(&c->want, (size_t)wk, j, &c->live, (size_t)lk, (size_t)li)) {
			int64_t h = la->v[li].hits < 0 ? 0 : la->v[li].hits;

			noted[owner] = true;
			if (aclf_counters_note(c->out, "filter '%s' rule '%s': entry %lu of list '%s' is "
					       "'%s', not the intended '%s': its %" PRId64 " %s "
					       "not counted",
					       f->name, rc->rule, seq, live_name,
					       line_of(&c->live, la->v[li].line, lbuf, sizeof(lbuf)),
					       line_of(&c->want, we->line, ebuf, sizeof(ebuf)), h,
					       h == 1 ? "match is" : "matches are") < 0)
				return nomem(c);
			continue;
		}
		snprintf(counter, sizeof(counter), "%lu", seq);
		if (aclf_rule_cnt_add(c->out, rc, live_name, counter,
				      la->v[li].hits < 0 ? 0 : (uint64_t)la->v[li].hits, 0, false) < 0)
			return nomem(c);
	}
	for (size_t i = 0; i < la->n; i++)
		if (!claimed[i] && la->v[i].hits > 0 &&
		    aclf_counters_note(c->out, "list '%s' (filter '%s'): entry %s '%s' is no intended "
				       "rule's: its %" PRId64 " %s not counted",
				       live_name, f->name, la->v[i].seq ? la->v[i].seq : "?",
				       line_of(&c->live, la->v[i].line, lbuf, sizeof(lbuf)),
				       la->v[i].hits, matches(la->v[i].hits)) < 0)
			return nomem(c);
	return 0;
}

static int count(struct cctx *c)
{
	const struct aclf_devpol *dp = c->intended;

	for (size_t k = 0; k < dp->nfilters; k++) {
		const struct aclf_filter *f = &dp->filters[k];
		size_t base = c->out->nrules;
		bool *noted;

		for (size_t r = 0; r < f->nrules; r++) {
			struct aclf_rule_cnt *rc = aclf_counters_add_rule(c->out, f->name, &f->rules[r]);

			if (!rc)
				return nomem(c);
			rc->source = ACLF_CNT_CLI;
		}
		if (f->binding.kind != ACLF_BIND_INTERFACE || !f->binding.name)
			continue;
		noted = aclf_arena_alloc(&c->a, (f->nrules ? f->nrules : 1) * sizeof(*noted));
		if (!noted)
			return nomem(c);
		memset(noted, 0, (f->nrules ? f->nrules : 1) * sizeof(*noted));
		if (count_family(c, f, base, 4, noted) < 0 || count_family(c, f, base, 6, noted) < 0)
			return -1;
		for (size_t r = 0; r < f->nrules; r++) {
			const struct aclf_rule_cnt *rc = &c->out->rules[base + r];

			if (!rc->found && !noted[r] && aclf_counters_note(c->out, "filter '%s' rule '%s': no counter "
							     "on the device",
							     f->name, rc->rule) < 0)
				return nomem(c);
		}
	}
	return 0;
}

static const struct aclf_buf *need(struct cctx *c, const struct aclf_cli_capture *cap,
				   const char *cmd)
{
	const struct aclf_buf *b = aclf_cli_capture_get(cap, cmd);

	if (!b)
		aclf_err_remote(c->err, ACLF_E_BUG, c->dev->name, cmd, "not captured");
	return b;
}

int ios_counters_cli(const struct aclf_cli_capture *cap, const struct aclf_device *dev,
		     const struct aclf_devpol *intended, struct aclf_counters *out,
		     struct aclf_err *err)
{
	struct cctx c;
	const struct aclf_buf *run, *acl, *og;
	struct aclf_buf want = ACLF_BUF_INIT, shown = ACLF_BUF_INIT;
	int rc = -1;

	memset(&c, 0, sizeof(c));
	c.dev = dev;
	c.intended = intended;
	c.out = out;
	c.err = err;
	aclf_arena_init(&c.a);
	aclf_buf_init(&want, 0);
	aclf_buf_init(&shown, 0);
	if (!(c.pol = aclf_policy_new())) {
		nomem(&c);
		goto out;
	}
	if (!(run = need(&c, cap, IOS_CNT_RUN)) || !(acl = need(&c, cap, IOS_CNT_ACL)) ||
	    !(og = need(&c, cap, IOS_CNT_OG)))
		goto out;
	/* the lists as show prints them, with the groups they name */
	if (aclf_buf_add(&shown, acl->buf, acl->len) < 0 || aclf_buf_puts(&shown, "\n") < 0 ||
	    aclf_buf_add(&shown, og->buf, og->len) < 0) {
		nomem(&c);
		goto out;
	}
	if (ios_render(intended, &want, err) < 0)
		goto out;
	if (read_side(&c, &c.run, IOS_CNT_RUN, run->buf, run->len, ACLF_E_DEVICE) < 0 ||
	    read_side(&c, &c.live, IOS_CNT_ACL, shown.buf, shown.len, ACLF_E_DEVICE) < 0 ||
	    read_side(&c, &c.want, "the rendered intended policy", want.buf, want.len, ACLF_E_BUG) < 0 ||
	    index_rules(&c, &c.live) < 0 || index_rules(&c, &c.want) < 0)
		goto out;
	rc = count(&c);
out:
	ios_model_free(&c.run.m);
	ios_model_free(&c.live.m);
	ios_model_free(&c.want.m);
	aclf_policy_free(c.pol);
	aclf_buf_release(&want);
	aclf_buf_release(&shown);
	aclf_arena_release(&c.a);
	return rc;
}
