/* One `from` condition or `then` action of a term.
 *
 * from: source-address, destination-address, address (either direction),
 *   each with `except`; source-prefix-list, destination-prefix-list,
 *   prefix-list (with `except`); protocol (inet), next-header and
 *   payload-protocol (inet6), single values or [ lists ]; source-port,
 *   destination-port, port (either direction) and their -except forms, as
 *   numbers, ranges or names; tcp-established and tcp-flags equal to
 *   "(ack | rst)"; *-port-range-optimize (no effect on matching).
 * then: accept, discard, reject [reason] (read as deny), count NAME; log,
 *   syslog, sample, port-mirror, packet-mode, forwarding-class,
 *   loss-priority, dscp and traffic-class do not change what passes and are
 *   ignored. Everything else (next term, policer, routing-instance, icmp-type,
 *   fragment matches, ...) is an error: the neutral policy cannot say it. */
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "junos.h"

/* aclf_arena_grow, but an empty array starts with room for one: a term
 * names one address, protocol or port list per direction far more often
 * than several (the arena's arrays of small elements start at eight). */
static int grow1(struct aclf_arena *a, void **v, size_t n, size_t *cap, size_t elsize)
{
	void *p;

	if (*cap)
		return aclf_arena_grow(a, v, n, cap, elsize);
	if (!(p = aclf_arena_alloc(a, elsize)))
		return -1;
	*v = p;
	*cap = 1;
	return 0;
}

static bool is_word(const struct junos_stmt *s, size_t i, const char *w)
{
	return i < s->ntok && !strcmp(s->tok[i].s, w);
}

static int bad(struct junos_model *m, const struct junos_stmt *s, size_t i, struct aclf_err *err,
	       const char *what)
{
	char snip[64];
	const struct junos_tok *t = &s->tok[i < s->ntok ? i : s->ntok - 1];

	if (i >= s->ntok)
		return aclf_err_at(err, m->name, t->line, t->col, "incomplete statement: %s after '%s'",
				   what, junos_snippet(snip, sizeof(snip), t->s, strlen(t->s)));
	return aclf_err_at(err, m->name, t->line, t->col, "%s '%s'", what,
			   junos_snippet(snip, sizeof(snip), t->s, strlen(t->s)));
}

/* A statement of term t the neutral form cannot hold: the term becomes
 * opaque (its match fields then a superset of the device's), or, strict,
 * an error. */
static int opaque(struct junos_model *m, struct junos_term *t, const struct junos_stmt *s,
		  size_t i, struct aclf_err *err, const char *what)
{
	char snip[64];
	const struct junos_tok *w = &s->tok[i < s->ntok ? i : s->ntok - 1];
	struct aclf_buf raw = ACLF_BUF_INIT;
	const char *why;
	int rc = 0;

	if (m->strict)
		return bad(m, s, i, err, what);
	why = aclf_arena_printf(&m->arena, "%s '%s'", what,
				junos_snippet(snip, sizeof(snip), w->s, strlen(w->s)));
	aclf_buf_init(&raw, 0);
	if (t->raw)
		rc = aclf_buf_printf(&raw, "%s; ", t->raw);
	for (size_t k = 0; k < s->ntok && rc == 0; k++)
		rc = aclf_buf_printf(&raw, "%s%s", k ? " " : "set ", s->tok[k].s);
	if (rc < 0 || !why)
		goto nomem;
	if (!t->opaque)
		t->opaque = why;
	if (!(t->raw = aclf_arena_strdup(&m->arena, raw.buf)))
		goto nomem;
	aclf_buf_release(&raw);
	return 0;
nomem:
	aclf_buf_release(&raw);
	return aclf_err_nomem(err);
}

/* Values from tok[i]: one word, or the words of "[ a b ]" which must end
 * the statement. Sets *first and *n to the word range. */
static int values(struct junos_model *m, const struct junos_stmt *s, size_t i, size_t *first,
		  size_t *n, size_t *end, struct aclf_err *err)
{
	if (i >= s->ntok)
		return bad(m, s, i, err, "expected a value");
	if (strcmp(s->tok[i].s, "[")) {
		*first = i;
		*n = 1;
		*end = i + 1;
		return 0;
	}
	for (size_t k = i + 1; k < s->ntok; k++) {
		if (!strcmp(s->tok[k].s, "]")) {
			if (k == i + 1)
				return bad(m, s, k, err, "empty list");
			*first = i + 1;
			*n = k - i - 1;
			*end = k + 1;
			return 0;
		}
	}
	return bad(m, s, s->ntok, err, "list not closed with ']'");
}

static int no_more(struct junos_model *m, const struct junos_stmt *s, size_t i, struct aclf_err *err)
{
	if (i < s->ntok)
		return bad(m, s, i, err, "unexpected");
	return 0;
}

/* "A/M" with a dotted IPv4 mask M (Junos accepts 1.2.3.4/255.0.255.0):
 * the prefixes it spells into v (at most JUNOS_MASK_MAX_PREFIXES): the
 * bits M clears are free, the lowest block of them the prefix length,
 * each combination of the others one prefix. Returns how many, 0 when
 * not such text, -1 when more than the maximum. */
static int dotted_mask(const char *text, struct aclf_prefix *v)
{
	char a[64];
	const char *slash = strchr(text, '/');
	struct aclf_prefix pa, pm;
	uint32_t addr, free_bits, high, sub = 0;
	unsigned t = 0, k = 0;
	int n = 0;

	if (!slash || !strchr(slash, '.') || (size_t)(slash - text) >= sizeof(a))
		return 0;
	memcpy(a, text, (size_t)(slash - text));
	a[slash - text] = '\0';
	if (aclf_prefix_parse(a, &pa, false) < 0 || pa.family != 4 ||
	    aclf_prefix_parse(slash + 1, &pm, false) < 0 || pm.family != 4 || strchr(slash + 1, '/'))
		return 0;
	addr = (uint32_t)aclf_prefix_first(&pa);
	free_bits = ~(uint32_t)aclf_prefix_first(&pm);
	while (t < 32 && (free_bits >> t) & 1u)
		t++;
	high = free_bits & ~(uint32_t)((1ull << t) - 1u);
	for (uint32_t b = high; b; b &= b - 1)
		k++;
	if (((size_t)1 << k) > JUNOS_MASK_MAX_PREFIXES)
		return -1;
	do {
		aclf_prefix_from_u128(4, (aclf_u128)((addr & ~free_bits) | sub), (uint8_t)(32 - t), &v[n++]);
		sub = (sub - high) & high;
	} while (sub);
	return n;
}

static bool has_except(const struct junos_term *t, int dir)
{
	for (size_t k = 0; k < t->naddr[dir]; k++)
		if (t->addr[dir][k].except)
			return true;
	for (size_t k = 0; k < t->npl[dir]; k++)
		if (t->pl[dir][k].except)
			return true;
	return false;
}

static int add_addr(struct junos_model *m, const struct junos_ffilter *f, struct junos_term *t,
		    int dir, const struct junos_stmt *s, size_t i, struct aclf_err *err)
{
	struct aclf_prefix many[JUNOS_MASK_MAX_PREFIXES];
	struct aclf_prefix p;
	const struct aclf_prefix *v = &p;
	bool except = false;
	int n = 1;

	if (i >= s->ntok)
		return bad(m, s, i, err, "expected an address");
	if (aclf_prefix_parse(s->tok[i].s, &p, true) < 0) {
		n = f->family == 4 ? dotted_mask(s->tok[i].s, many) : 0;
		if (n < 0)
			return opaque(m, t, s, i, err, "address mask spells more than "
				      JUNOS_MASK_MAX_STR " prefixes:");
		if (n == 0)
			return bad(m, s, i, err, "invalid address");
		v = many;
		p = many[0];
		/* longest match between such a mask and an except entry is
		 * not the prefixes' own: not judged */
		if (n > 1 && (is_word(s, i + 1, "except") || has_except(t, dir)))
			return opaque(m, t, s, i, err, "non-contiguous mask with except:");
		if (n > 1)
			t->noncontig[dir] = true;
	}
	if (is_word(s, i + 1, "except")) {
		except = true;
		i++;
	}
	if (no_more(m, s, i + 1, err) < 0)
		return -1;
	/* an address of the other family matches no packet of this filter
	 * (Junos refuses it at commit): left out, with the term opaque, its
	 * understood match is still a superset of the device's */
	if (p.family != f->family)
		return opaque(m, t, s, i - except, err, f->family == 4
			      ? "not an IPv4 address in a family inet filter:"
			      : "not an IPv6 address in a family inet6 filter:");
	if (except && t->noncontig[dir])
		return opaque(m, t, s, i, err, "except beside a non-contiguous mask:");
	for (int k = 0; k < n; k++) {
		if (grow1(&m->arena, (void **)&t->addr[dir], t->naddr[dir], &t->addrcap[dir],
				    sizeof(*t->addr[dir])) < 0)
			return aclf_err_nomem(err);
		t->addr[dir][t->naddr[dir]].p = v[k];
		t->addr[dir][t->naddr[dir]].except = except;
		t->naddr[dir]++;
	}
	return 0;
}

static int add_plref(struct junos_model *m, struct junos_term *t, int dir,
		     const struct junos_stmt *s, size_t i, struct aclf_err *err)
{
	struct junos_plref *r;
	bool except = false;

	if (i >= s->ntok)
		return bad(m, s, i, err, "expected a prefix-list name");
	if (is_word(s, i + 1, "except"))
		except = true;
	if (no_more(m, s, i + 1 + except, err) < 0)
		return -1;
	if (except && t->noncontig[dir])
		return opaque(m, t, s, i, err, "except beside a non-contiguous mask:");
	if (grow1(&m->arena, (void **)&t->pl[dir], t->npl[dir], &t->plcap[dir],
			    sizeof(*t->pl[dir])) < 0)
		return aclf_err_nomem(err);
	r = &t->pl[dir][t->npl[dir]++];
	r->name = s->tok[i].s;
	r->except = except;
	r->line = s->tok[i].line;
	r->col = s->tok[i].col;
	return 0;
}

static int add_protos(struct junos_model *m, struct junos_term *t, const struct junos_stmt *s,
		      size_t i, struct aclf_err *err)
{
	size_t first, n, end;

	if (values(m, s, i, &first, &n, &end, err) < 0 || no_more(m, s, end, err) < 0)
		return -1;
	for (size_t k = first; k < first + n; k++) {
		int p = junos_proto_lookup(s->tok[k].s);
		bool dup = false;
		if (p < 0)
			return bad(m, s, k, err, "unknown protocol");
		for (size_t j = 0; j < t->nprotos; j++)
			dup |= t->protos[j] == p;
		if (dup)
			continue;
		if (grow1(&m->arena, (void **)&t->protos, t->nprotos, &t->protocap,
				    sizeof(*t->protos)) < 0)
			return aclf_err_nomem(err);
		t->protos[t->nprotos++] = p;
	}
	t->proto_line = s->tok[i].line;
	return 0;
}

static int add_ports(struct junos_model *m, struct junos_ports *pp, bool except,
		     const struct junos_stmt *s, size_t i, struct aclf_err *err)
{
	size_t first, n, end;

	if (values(m, s, i, &first, &n, &end, err) < 0 || no_more(m, s, end, err) < 0)
		return -1;
	for (size_t k = first; k < first + n; k++) {
		struct aclf_port_range r;
		if (junos_port_range_parse(s->tok[k].s, &r) < 0)
			return bad(m, s, k, err, "invalid port");
		if (except) {
			if (grow1(&m->arena, (void **)&pp->ex, pp->nex, &pp->excap,
					    sizeof(*pp->ex)) < 0)
				return aclf_err_nomem(err);
			pp->ex[pp->nex++] = r;
		} else {
			if (grow1(&m->arena, (void **)&pp->v, pp->n, &pp->cap, sizeof(*pp->v)) < 0)
				return aclf_err_nomem(err);
			pp->v[pp->n++] = r;
			pp->set = true;
		}
	}
	return 0;
}

/* "(ack | rst)" in any order, spacing and parentheses */
static bool flags_established(const char *s)
{
	char buf[32];
	size_t w = 0;

	for (; *s; s++) {
		if (*s == ' ' || *s == '(' || *s == ')' || *s == '\t')
			continue;
		if (w + 1 >= sizeof(buf))
			return false;
		buf[w++] = *s;
	}
	buf[w] = '\0';
	return !strcmp(buf, "ack|rst") || !strcmp(buf, "rst|ack");
}

static int from_stmt(struct junos_model *m, struct junos_ffilter *f, struct junos_term *t,
		     const struct junos_stmt *s, size_t i, struct aclf_err *err)
{
	static const struct {
		const char *word;
		int dir;
	} addr[] = {
		{ "source-address", JUNOS_SRC }, { "destination-address", JUNOS_DST },
		{ "address", JUNOS_ANYDIR },
	}, plist[] = {
		{ "source-prefix-list", JUNOS_SRC }, { "destination-prefix-list", JUNOS_DST },
		{ "prefix-list", JUNOS_ANYDIR },
	}, port[] = {
		{ "source-port", JUNOS_SRC }, { "destination-port", JUNOS_DST }, { "port", JUNOS_ANYDIR },
	}, portex[] = {
		{ "source-port-except", JUNOS_SRC }, { "destination-port-except", JUNOS_DST },
		{ "port-except", JUNOS_ANYDIR },
	};
	const char *w;

	t->has_from = true;
	if (i >= s->ntok)
		return 0;
	w = s->tok[i].s;
	for (size_t k = 0; k < 3; k++) {
		if (!strcmp(w, addr[k].word))
			return add_addr(m, f, t, addr[k].dir, s, i + 1, err);
		if (!strcmp(w, plist[k].word))
			return add_plref(m, t, plist[k].dir, s, i + 1, err);
		if (!strcmp(w, port[k].word))
			return add_ports(m, &t->ports[port[k].dir], false, s, i + 1, err);
		if (!strcmp(w, portex[k].word))
			return add_ports(m, &t->ports[portex[k].dir], true, s, i + 1, err);
	}
	if ((f->family == 4 && !strcmp(w, "protocol")) ||
	    (f->family == 6 && (!strcmp(w, "next-header") || !strcmp(w, "payload-protocol"))))
		return add_protos(m, t, s, i + 1, err);
	if (!strcmp(w, "tcp-established")) {
		t->established = true;
		t->est_line = s->tok[i].line;
		t->est_col = s->tok[i].col;
		return no_more(m, s, i + 1, err);
	}
	if (!strcmp(w, "tcp-flags")) {
		if (i + 1 >= s->ntok)
			return bad(m, s, i + 1, err, "expected tcp flags");
		if (!flags_established(s->tok[i + 1].s))
			return opaque(m, t, s, i + 1, err,
				      "tcp-flags other than \"(ack | rst)\" are not supported:");
		t->established = true;
		t->est_line = s->tok[i].line;
		t->est_col = s->tok[i].col;
		return no_more(m, s, i + 2, err);
	}
	if (!strcmp(w, "source-port-range-optimize") || !strcmp(w, "destination-port-range-optimize"))
		return no_more(m, s, i + 1, err);
	return opaque(m, t, s, i, err, "unsupported match condition");
}

static int set_action(struct junos_model *m, struct junos_term *t, enum junos_action a,
		      const struct junos_stmt *s, size_t i, struct aclf_err *err)
{
	if (t->action != JUNOS_ACT_NONE && t->action != a)
		return bad(m, s, i, err, "second terminating action");
	t->action = a;
	return 0;
}

static int then_stmt(struct junos_model *m, struct junos_term *t, const struct junos_stmt *s,
		     size_t i, struct aclf_err *err)
{
	static const char *const flag[] = { "log", "syslog", "sample", "port-mirror", "packet-mode", NULL };
	static const char *const one_arg[] = { "forwarding-class", "loss-priority", "dscp",
					       "traffic-class", NULL };
	const char *w;

	if (i >= s->ntok)
		return 0;
	w = s->tok[i].s;
	if (!strcmp(w, "accept") || !strcmp(w, "discard")) {
		if (set_action(m, t, w[0] == 'a' ? JUNOS_ACT_ACCEPT : JUNOS_ACT_DISCARD, s, i, err) < 0)
			return -1;
		return no_more(m, s, i + 1, err);
	}
	if (!strcmp(w, "reject")) {
		/* reject answers with ICMP or a TCP reset: the packet is denied */
		if (set_action(m, t, JUNOS_ACT_REJECT, s, i, err) < 0)
			return -1;
		return no_more(m, s, i + 1 + (i + 1 < s->ntok), err);
	}
	if (!strcmp(w, "count")) {
		if (i + 1 >= s->ntok)
			return bad(m, s, i + 1, err, "expected a counter name");
		if (t->count && strcmp(t->count, s->tok[i + 1].s))
			return bad(m, s, i + 1, err, "second counter");
		t->count = s->tok[i + 1].s;
		return no_more(m, s, i + 2, err);
	}
	if (!strcmp(w, "next") && is_word(s, i + 1, "term"))
		return bad(m, s, i, err, "'then next term' is not supported:");
	for (size_t k = 0; flag[k]; k++)
		if (!strcmp(w, flag[k]))
			return no_more(m, s, i + 1, err);
	for (size_t k = 0; one_arg[k]; k++) {
		if (!strcmp(w, one_arg[k])) {
			if (i + 1 >= s->ntok)
				return bad(m, s, i + 1, err, "expected a value");
			return no_more(m, s, i + 2, err);
		}
	}
	return opaque(m, t, s, i, err, "unsupported action");
}

int junos_term_stmt(struct junos_model *m, struct junos_ffilter *f, struct junos_term *t,
		    const struct junos_stmt *s, size_t i, struct aclf_err *err)
{
	if (is_word(s, i, "from"))
		return from_stmt(m, f, t, s, i + 1, err);
	if (is_word(s, i, "then"))
		return then_stmt(m, t, s, i + 1, err);
	if (is_word(s, i, "filter"))
		return bad(m, s, i + 1, err, "nested filters are not supported:");
	return bad(m, s, i, err, "unsupported term statement");
}
