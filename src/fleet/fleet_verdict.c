/* Per-rule verdicts of an audit (include/aclforge/audit.h), by meaning:
 * the diff's per-rule answers (aclf_diff_rules) turned into words.
 *
 * - missing: the live policy surely decides some packet the rule decides
 *   otherwise (why: that packet, and the live entry that decides it);
 * - cannot judge: no such packet surely, but an opaque live entry may
 *   decide part of it otherwise (why: a packet and that entry);
 * - in place: every packet it decides, the live policy decides the same.
 *   A filter the device does not have lets everything through: its permit
 *   rules are in place by meaning (why says nothing filters them), its
 *   deny rules missing.
 * In place is by meaning, not by entry: when live entries before the
 * rule's own entry decide its packets the same way (a broader permit
 * shadows it), the rule is in place but its own counter cannot count
 * them; why says so. The rule's own entry is the live entry of its
 * filter named like the rule (id, device name or comment).
 * - extra: a live entry that surely decides some packet otherwise than
 *   the intended policy (denies what it permits, or permits what it
 *   denies). Not extra: a live entry that only repeats what the intended
 *   policy does anyway (its traffic is decided as intended), and a
 *   catch-all entry (every address, protocol and port of a family) with
 *   the intended filter's default action: the default action written out
 *   (a final "deny everything" entry); the rules it takes traffic from are missing
 *   and name it. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/audit.h"
#include "aclforge/buf.h"
#include "aclforge/counters.h"
#include "aclforge/diff.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"

const char *aclf_verdict_name(enum aclf_verdict v)
{
	switch (v) {
	case ACLF_V_IN_PLACE: return "in place";
	case ACLF_V_USED: return "in place, used";
	case ACLF_V_NO_HITS: return "in place, no hits";
	case ACLF_V_MISSING: return "missing";
	case ACLF_V_CANNOT_JUDGE: return "cannot judge";
	}
	return "?";
}

void aclf_audit_dev_init(struct aclf_audit_dev *a)
{
	memset(a, 0, sizeof(*a));
	aclf_arena_init(&a->arena);
}

void aclf_audit_dev_release(struct aclf_audit_dev *a)
{
	if (!a)
		return;
	aclf_arena_release(&a->arena);
	memset(a, 0, sizeof(*a));
}

/* "tcp 198.18.0.1:1024 -> 198.18.1.1:5061 (established)" into b */
static int packet(struct aclf_buf *b, const struct aclf_diff_item *it)
{
	char s[ACLF_PREFIX_STRLEN], d[ACLF_PREFIX_STRLEN], pb[16];

	aclf_prefix_format_addr(&it->src, s, sizeof(s));
	aclf_prefix_format_addr(&it->dst, d, sizeof(d));
	if (it->protocol == ACLF_PROTO_TCP || it->protocol == ACLF_PROTO_UDP)
		return aclf_buf_printf(b, "%s %s:%u -> %s:%u%s",
				       aclf_proto_name(it->protocol, pb, sizeof(pb)), s, it->src_port, d,
				       it->dst_port, it->established ? " (established)" : "");
	return aclf_buf_printf(b, "%s %s -> %s", aclf_proto_name(it->protocol, pb, sizeof(pb)), s, d);
}

static const char *entry_name(const char *id)
{
	return id ? id : "its default action";
}

static int why_missing(struct aclf_buf *b, const struct aclf_rule_check *c, const char *rule)
{
	const struct aclf_diff_item *it = &c->example;

	if (packet(b, it) < 0)
		return -1;
	if (c->live_filter < 0)
		return aclf_buf_printf(b, ": intended %s by %s, live permits it: the device has no "
				       "filter '%s' (nothing filters this traffic)",
				       it->permitted_by_a ? "permits" : "denies", rule,
				       it->filter_a ? it->filter_a : "?");
	return aclf_buf_printf(b, ": intended %s by %s, live %s by %s", it->permitted_by_a ?
			       "permits" : "denies", rule, it->permitted_by_a ? "denies" : "permits",
			       entry_name(it->rule_b));
}

static int why_undecided(struct aclf_buf *b, const struct aclf_rule_check *c, const char *rule)
{
	const struct aclf_diff_item *it = &c->example;

	if (packet(b, it) < 0)
		return -1;
	return aclf_buf_printf(b, ": intended %s by %s, live depends on opaque entry %s (%s): %s",
			       it->permitted_by_a ? "permits" : "denies", rule,
			       it->rule_b ? it->rule_b : "?",
			       it->opaque_reason ? it->opaque_reason : "not fully understood",
			       it->opaque_raw ? it->opaque_raw : "");
}

/* The names of one live filter's entries: its id, device name and the
 * first word of its comment (as a rendered remark carries the rule's id),
 * each to the first entry that has it; built once per filter, so that
 * finding a rule's own entry is not a pass over the whole filter. */
struct names {
	const struct aclf_filter *lf;
	const char **key;
	size_t *klen;
	long *val;
	size_t cap;
};

static uint64_t name_hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return h;
}

static long names_find(const struct names *m, const char *s, size_t n, size_t *slot)
{
	size_t k = (size_t)name_hash(s, n) & (m->cap - 1);

	for (; m->key[k]; k = (k + 1) & (m->cap - 1))
		if (m->klen[k] == n && !memcmp(m->key[k], s, n))
			break;
	*slot = k;
	return m->key[k] ? m->val[k] : -1;
}

static void names_add(struct names *m, const char *s, size_t n, long v)
{
	size_t k;

	if (s && names_find(m, s, n, &k) < 0) {
		m->key[k] = s;
		m->klen[k] = n;
		m->val[k] = v;
	}
}

static void names_release(struct names *m)
{
	free(m->key);
	free(m->klen);
	free(m->val);
	memset(m, 0, sizeof(*m));
}

/* m for lf (kept when it is lf's already); -1 out of memory */
static int names_build(struct names *m, const struct aclf_filter *lf)
{
	if (m->lf == lf)
		return 0;
	names_release(m);
	m->lf = lf;
	for (m->cap = 16; lf && m->cap < 6 * lf->nrules; m->cap *= 2)
		;
	m->key = calloc(m->cap, sizeof(*m->key));
	m->klen = calloc(m->cap, sizeof(*m->klen));
	m->val = calloc(m->cap, sizeof(*m->val));
	if (!m->key || !m->klen || !m->val)
		return -1;
	for (size_t k = 0; lf && k < lf->nrules; k++) {
		const struct aclf_rule *e = &lf->rules[k];

		if (e->id)
			names_add(m, e->id, strlen(e->id), (long)k);
		if (e->device_name)
			names_add(m, e->device_name, strlen(e->device_name), (long)k);
		if (e->comment)
			names_add(m, e->comment, strcspn(e->comment, " "), (long)k);
	}
	return 0;
}

/* The live entry that is the rule's own: named like it (its id, device
 * name, or the first word of its comment). */
static long own_entry(const struct names *m, const char *id)
{
	size_t slot;

	if (!id || !m->lf)
		return -1;
	if (strchr(id, ' ')) { /* not a word: the comments are read whole */
		size_t n = strlen(id);

		for (size_t k = 0; k < m->lf->nrules; k++) {
			const struct aclf_rule *e = &m->lf->rules[k];

			if ((e->id && !strcmp(e->id, id)) ||
			    (e->device_name && !strcmp(e->device_name, id)) ||
			    (e->comment && !strncmp(e->comment, id, n) &&
			     (e->comment[n] == '\0' || e->comment[n] == ' ')))
				return (long)k;
		}
		return -1;
	}
	return names_find(m, id, strlen(id), &slot);
}

/* An in place rule's note: nothing filters it, it decides nothing, or
 * other live entries decide (part of) its traffic before its own. */
static int why_in_place(struct aclf_buf *b, const struct aclf_rule_check *c,
			const struct names *m, const char *filter, const char *id)
{
	const struct aclf_filter *lf = m->lf;
	long own;
	const char *own_id;
	bool own_decides = false;
	size_t others = 0;

	if (c->live_filter < 0)
		return aclf_buf_printf(b, "the device has no filter '%s': its traffic passes "
				       "unfiltered, and nothing counts it", filter);
	if (!c->decides)
		return aclf_buf_printf(b, "it decides no packet: earlier intended rules decide all of "
				       "its traffic, so its counter reads zero");
	own = own_entry(m, id);
	if (own < 0)
		return 0;
	own_id = lf->rules[own].id;
	for (size_t i = 0; i < c->ndeciders; i++) {
		if (c->deciders[i] && own_id && !strcmp(c->deciders[i], own_id))
			own_decides = true;
		else
			others++;
	}
	if (!others)
		return 0;
	if (aclf_buf_printf(b, own_decides ? "live entr%s " : "in place by meaning, but live entr%s ",
			    others == 1 ? "y" : "ies") < 0)
		return -1;
	for (size_t i = 0, n = 0; i < c->ndeciders; i++) {
		if (c->deciders[i] && own_id && !strcmp(c->deciders[i], own_id))
			continue;
		if (aclf_buf_printf(b, "%s%s", n++ ? ", " : "", entry_name(c->deciders[i])) < 0)
			return -1;
	}
	if (own_decides)
		return aclf_buf_printf(b, " also decide%s part of its traffic the same way: its own "
				       "entry %s counts only the rest", others == 1 ? "s" : "",
				       own_id ? own_id : "?");
	return aclf_buf_printf(b, " decide%s all of its traffic before its own entry %s (shadowed): "
			       "its counter reads zero", others == 1 ? "s" : "", own_id ? own_id : "?");
}

/* The line an entry came from: a provenance "device" "line N". */
static long entry_line(const struct aclf_rule *e)
{
	for (size_t k = 0; k < e->nprov; k++) {
		unsigned long n;
		char *end;

		if (!e->prov[k].kind || strcmp(e->prov[k].kind, "device") || !e->prov[k].ref ||
		    strncmp(e->prov[k].ref, "line ", 5))
			continue;
		n = strtoul(e->prov[k].ref + 5, &end, 10);
		if (!*end && n > 0 && n < 100000000)
			return (long)n;
	}
	return -1;
}

/* The entry as text: the device's own, or a neutral summary. */
static int entry_text(struct aclf_buf *b, const struct aclf_rule *e)
{
	char pb[16], px[ACLF_PREFIX_STRLEN];
	const struct aclf_prefix_set *sets[2] = { &e->src, &e->dst };
	const char *names[2] = { e->src_name, e->dst_name };

	if (e->raw)
		return aclf_buf_puts(b, e->raw);
	if (aclf_buf_printf(b, "%s %s", aclf_action_name(e->action),
			    aclf_proto_name(e->protocol, pb, sizeof(pb))) < 0)
		return -1;
	for (int s = 0; s < 2; s++) {
		if (s && aclf_buf_puts(b, " ->") < 0)
			return -1;
		if (names[s]) {
			if (aclf_buf_printf(b, " %s", names[s]) < 0)
				return -1;
		} else if (sets[s]->n) {
			aclf_prefix_format(&sets[s]->v[0], px, sizeof(px));
			if (aclf_buf_printf(b, " %s", px) < 0 ||
			    (sets[s]->n > 1 && aclf_buf_printf(b, " (+%zu more)", sets[s]->n - 1) < 0))
				return -1;
		}
	}
	for (size_t k = 0; k < e->dst_ports.n; k++)
		if (aclf_buf_printf(b, k ? ",%u" : " port %u", e->dst_ports.v[k].lo) < 0 ||
		    (e->dst_ports.v[k].hi != e->dst_ports.v[k].lo &&
		     aclf_buf_printf(b, "-%u", e->dst_ports.v[k].hi) < 0))
			return -1;
	if (e->established && aclf_buf_puts(b, " established") < 0)
		return -1;
	return 0;
}

static bool covers_all(const struct aclf_prefix_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].len == 0)
			return true;
	return false;
}

/* e matches every packet of a family and acts as the intended filter
 * named filter (NULL: none, which permits) does by default */
static bool default_written_out(const struct aclf_devpol *intended, const char *filter,
				const struct aclf_rule *e)
{
	enum aclf_action def = ACLF_PERMIT;

	if (e->opaque || e->protocol != ACLF_PROTO_ANY || e->established || e->src_ports.n ||
	    e->dst_ports.n || !covers_all(&e->src) || !covers_all(&e->dst))
		return false;
	for (size_t i = 0; filter && i < intended->nfilters; i++)
		if (intended->filters[i].name && !strcmp(intended->filters[i].name, filter))
			def = intended->filters[i].default_action;
	return e->action == def;
}

/* b's text copied into the arena, b emptied; NULL text: "" */
static const char *take(struct aclf_audit_dev *a, struct aclf_buf *b, bool *bad)
{
	const char *s = b->len ? aclf_arena_strndup(&a->arena, b->buf, b->len) : NULL;

	if (b->len && !s)
		*bad = true;
	aclf_buf_reset(b);
	return s;
}

static bool lb_key(const struct aclf_lb_diff_item *it, const struct aclf_lb_service *s)
{
	return it->protocol == s->protocol && it->port == s->port &&
	       aclf_prefix_cmp(&it->vip, &s->vip) == 0;
}

/* an item about a service only one side has, or about an opaque one */
static bool whole_service(const struct aclf_lb_diff_item *it)
{
	return !strcmp(it->field, "service") || !strcmp(it->field, "opaque");
}

/* What one lb difference says, in the audit's words, into b. */
static int lb_why(struct aclf_buf *b, const struct aclf_lb_diff_item *it)
{
	if (b->len && aclf_buf_puts(b, "; ") < 0)
		return -1;
	if (!strcmp(it->field, "opaque"))
		return aclf_buf_printf(b, "the device's service is opaque (%s): %s",
				       it->opaque_reason ? it->opaque_reason : "not fully understood",
				       it->opaque_raw ? it->opaque_raw : "");
	if (!strcmp(it->field, "service"))
		return aclf_buf_puts(b, it->a ? "the device has no such service"
				     : "a service on the device nothing intends");
	if (!strcmp(it->field, "members"))
		return aclf_buf_printf(b, "members: only intended %s; only live %s",
				       it->a ? it->a : "none", it->b ? it->b : "none");
	return aclf_buf_printf(b, "%s: intended %s, live %s", it->field, it->a ? it->a : "",
			       it->b ? it->b : "");
}

/* The lb services' verdicts from the lb differences in d: each intended
 * service in order (in place, missing, cannot judge), then each live one
 * nothing intends (extra). */
static int lb_verdicts(const struct aclf_devpol *intended, const struct aclf_diff *d,
		       struct aclf_audit_dev *a)
{
	struct aclf_buf b = ACLF_BUF_INIT;
	size_t nextra = 0;
	bool bad = false;

	for (size_t k = 0; k < d->nlb; k++)
		nextra += whole_service(&d->lb[k]) && !d->lb[k].a;
	a->nlb = 0;
	a->lb = aclf_arena_alloc(&a->arena, (intended->nlb + nextra + 1) * sizeof(*a->lb));
	if (!a->lb)
		return -1;
	aclf_buf_init(&b, 0);
	for (size_t i = 0; i < intended->nlb && !bad; i++) {
		const struct aclf_lb_service *s = &intended->lb[i];
		struct aclf_lb_usage *u = &a->lb[a->nlb++];

		memset(u, 0, sizeof(*u));
		u->s = s;
		u->verdict = ACLF_V_IN_PLACE;
		u->service = s->name ? s->name : "";
		for (size_t k = 0; k < d->nlb; k++) {
			const struct aclf_lb_diff_item *it = &d->lb[k];

			if (!lb_key(it, s) || (whole_service(it) && !it->a))
				continue;
			if (it->undecided && u->verdict != ACLF_V_MISSING)
				u->verdict = ACLF_V_CANNOT_JUDGE;
			else if (!it->undecided)
				u->verdict = ACLF_V_MISSING;
			bad |= lb_why(&b, it) < 0;
		}
		u->why = take(a, &b, &bad);
	}
	for (size_t k = 0; k < d->nlb && !bad; k++) {
		const struct aclf_lb_diff_item *it = &d->lb[k];
		struct aclf_lb_usage *u;

		if (!whole_service(it) || it->a)
			continue;
		u = &a->lb[a->nlb++];
		memset(u, 0, sizeof(*u));
		u->extra = true;
		u->service = aclf_arena_strdup(&a->arena, it->service ? it->service : "");
		bad |= !u->service || lb_why(&b, it) < 0;
		u->why = take(a, &b, &bad);
	}
	aclf_buf_release(&b);
	return bad ? -1 : 0;
}

int aclf_audit_verdicts(const struct aclf_devpol *intended, const struct aclf_devpol *live,
			bool same, struct aclf_audit_dev *a, struct aclf_err *err)
{
	struct aclf_rule_checks rc;
	struct aclf_diff lbd;
	int ret = -1;

	aclf_rule_checks_init(&rc);
	aclf_diff_init(&lbd);
	if (aclf_diff_rules(intended, live, same, &rc, err) == 0 &&
	    aclf_diff_lb_items(intended, live, &lbd, err) == 0)
		ret = aclf_audit_judge(intended, live, &rc, &lbd, a, err);
	aclf_diff_release(&lbd);
	aclf_rule_checks_release(&rc);
	return ret;
}

int aclf_audit_judge(const struct aclf_devpol *intended, const struct aclf_devpol *live,
		     const struct aclf_rule_checks *checks, const struct aclf_diff *d,
		     struct aclf_audit_dev *a, struct aclf_err *err)
{
	const struct aclf_rule_checks rc = *checks;
	struct aclf_buf b = ACLF_BUF_INIT;
	struct names m;
	bool bad = false;
	int ret = -1;

	memset(&m, 0, sizeof(m));
	aclf_buf_init(&b, 0);
	if (lb_verdicts(intended, d, a) < 0)
		goto nomem;
	a->rules = aclf_arena_alloc(&a->arena, (rc.nrules + 1) * sizeof(*a->rules));
	a->extra = aclf_arena_alloc(&a->arena, (rc.nextra + 1) * sizeof(*a->extra));
	if (!a->rules || !a->extra)
		goto nomem;
	for (size_t i = 0; i < rc.nrules; i++) {
		const struct aclf_rule_check *c = &rc.rules[i];
		const struct aclf_filter *f = &intended->filters[c->filter];
		const struct aclf_rule *r = &f->rules[c->rule];
		const struct aclf_filter *lf = c->live_filter >= 0 ? &live->filters[c->live_filter]
								  : NULL;
		struct aclf_rule_verdict *v = &a->rules[a->nrules++];
		char tmp[32];
		const char *id = r->id;
		int w = 0;

		memset(v, 0, sizeof(*v));
		if (!id) {
			snprintf(tmp, sizeof(tmp), "#%zu", c->rule + 1);
			id = tmp;
		}
		v->filter = f->name ? f->name : "";
		v->rule = r->id ? r->id : aclf_arena_strdup(&a->arena, id);
		v->r = r;
		switch (c->state) {
		case ACLF_RULE_DIFFERS:
			v->verdict = ACLF_V_MISSING;
			w = why_missing(&b, c, id);
			break;
		case ACLF_RULE_UNDECIDED:
			v->verdict = ACLF_V_CANNOT_JUDGE;
			w = why_undecided(&b, c, id);
			break;
		case ACLF_RULE_SAME:
			v->verdict = ACLF_V_IN_PLACE;
			if (lf && names_build(&m, lf) < 0)
				goto nomem;
			w = why_in_place(&b, c, &m, v->filter, id);
			break;
		}
		if (!v->rule || w < 0)
			goto nomem;
		v->why = take(a, &b, &bad);
	}
	for (size_t i = 0; i < rc.nextra; i++) {
		const struct aclf_entry_check *c = &rc.extra[i];
		const struct aclf_filter *lf = &live->filters[c->filter];
		const struct aclf_rule *e = &lf->rules[c->rule];
		const struct aclf_diff_item *it = &c->example;
		struct aclf_extra_entry *x;

		if (default_written_out(intended, it->filter_a, e))
			continue;
		x = &a->extra[a->nextra++];
		memset(x, 0, sizeof(*x));
		x->filter = aclf_arena_strdup(&a->arena, lf->name ? lf->name : "");
		x->entry = e->id ? aclf_arena_strdup(&a->arena, e->id)
				 : aclf_arena_printf(&a->arena, "#%zu", c->rule + 1);
		x->line = entry_line(e);
		x->counted = e->hits >= 0;
		x->packets = e->hits >= 0 ? (uint64_t)e->hits : 0;
		if (!x->filter || !x->entry || entry_text(&b, e) < 0)
			goto nomem;
		x->text = take(a, &b, &bad);
		if (!x->text && !(x->text = aclf_arena_strdup(&a->arena, "")))
			goto nomem;
		if (packet(&b, it) < 0 ||
		    aclf_buf_printf(&b, ": live %s by %s, intended %s by %s", it->permitted_by_a ?
				    "denies" : "permits", x->entry, it->permitted_by_a ? "permits" :
				    "denies", it->rule_a ? it->rule_a : it->filter_a ?
				    "its default action" : "no filter (everything passes)") < 0)
			goto nomem;
		x->why = take(a, &b, &bad);
	}
	if (bad)
		goto nomem;
	ret = 0;
	goto out;
nomem:
	aclf_err_nomem(err);
out:
	names_release(&m);
	aclf_buf_release(&b);
	return ret;
}

int aclf_audit_set_absent(struct aclf_audit_dev *a, const char *why)
{
	a->absent = aclf_arena_strdup(&a->arena, why ? why : "");
	return a->absent ? 0 : -1;
}

int aclf_audit_join_counters(struct aclf_audit_dev *a, const struct aclf_counters *c,
			     const char *polled_at)
{
	bool snmp = false, cli = false;

	snprintf(a->polled_at, sizeof(a->polled_at), "%s", polled_at ? polled_at : "");
	a->absent = NULL;
	for (size_t i = 0, hint = 0; i < a->nrules; i++) {
		struct aclf_rule_verdict *v = &a->rules[i];
		const struct aclf_rule_cnt *rc = NULL;

		/* both in policy order: the entry after the last one matched
		 * first, then the whole list */
		for (size_t n = 0; n <= c->nrules && !rc; n++) {
			size_t k = n ? n - 1 : hint;

			if (k < c->nrules && c->rules[k].found && c->rules[k].filter && c->rules[k].rule &&
			    !strcmp(c->rules[k].filter, v->filter) && !strcmp(c->rules[k].rule, v->rule)) {
				rc = &c->rules[k];
				hint = k + 1;
			}
		}
		if (!rc) {
			/* counters were read, none of them this rule's */
			if (v->verdict == ACLF_V_IN_PLACE && !v->why &&
			    !(v->why = aclf_arena_strdup(&a->arena, "the device has no counter for it")))
				return -1;
			continue;
		}
		v->counted = true;
		v->packets = rc->packets;
		v->has_bytes = rc->has_bytes;
		v->bytes = rc->has_bytes ? rc->bytes : 0;
		snmp |= rc->source == ACLF_CNT_SNMP;
		cli |= rc->source == ACLF_CNT_CLI;
		if (v->verdict == ACLF_V_IN_PLACE)
			v->verdict = rc->packets ? ACLF_V_USED : ACLF_V_NO_HITS;
	}
	for (size_t k = 0; k < c->nlb; k++) {
		const struct aclf_lb_cnt *lc = &c->lb[k];
		struct aclf_lb_usage *u = NULL;

		for (size_t i = 0; i < a->nlb && !u; i++)
			if (!a->lb[i].extra && lc->name && !strcmp(a->lb[i].service, lc->name))
				u = &a->lb[i];
		if (!u)
			continue;
		if (lc->object && !(u->object = aclf_arena_strdup(&a->arena, lc->object)))
			return -1;
		u->counted = lc->found;
		u->packets_in = lc->packets_in;
		u->bytes_in = lc->bytes_in;
		u->connections_total = lc->connections_total;
		snmp |= u->counted; /* virtual server statistics: SNMP only */
		if (u->counted && u->verdict == ACLF_V_IN_PLACE)
			u->verdict = u->packets_in ? ACLF_V_USED : ACLF_V_NO_HITS;
	}
	/* counters were read, none of them this service's */
	for (size_t i = 0; i < a->nlb; i++)
		if (!a->lb[i].extra && !a->lb[i].counted && a->lb[i].verdict == ACLF_V_IN_PLACE &&
		    !a->lb[i].why &&
		    !(a->lb[i].why = aclf_arena_strdup(&a->arena, "the device has no statistics for it")))
			return -1;
	a->source = snmp && cli ? "snmp+cli" : snmp ? "snmp" : cli ? "cli" : NULL;
	return 0;
}
