/* `show firewall` counters -> rule hits.
 *
 * Output layout (genieparser golden outputs, tests/fixtures/junos/):
 *   Filter: NAME
 *   Counters:
 *   Name                                  Bytes              Packets
 *   COUNTER                            28553344730            151730215
 *   Policers:
 *   Name                                  Bytes              Packets
 *   POLICER                                2508396                48164
 * The counter name is everything before the last two numbers. Policers are
 * read but never attached (they limit rates; they do not count a term).
 * A filter with `interface-specific` shows as "NAME-IFNAME-i" / "-o" with
 * counters "COUNTER-IFNAME-i"; those attach to the filter bound there. */
#include <stdio.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "junos.h"

void junos_cmap_init(struct junos_cmap *c)
{
	memset(c, 0, sizeof(*c));
	aclf_arena_init(&c->arena);
}

void junos_cmap_release(struct junos_cmap *c)
{
	aclf_arena_release(&c->arena);
	memset(c, 0, sizeof(*c));
}

static const char *key_of(struct aclf_arena *a, const char *filter, const char *counter)
{
	return aclf_arena_printf(a, "%s\n%s", filter, counter);
}

long junos_cmap_find(const struct junos_cmap *c, const char *filter, const char *counter)
{
	char buf[512];
	size_t fl = strlen(filter), cl = strlen(counter);

	if (fl + cl + 2 > sizeof(buf)) {
		/* long names: the slow way */
		for (size_t i = 0; i < c->n; i++)
			if (!strcmp(c->v[i].filter, filter) && !strcmp(c->v[i].counter, counter))
				return (long)i;
		return -1;
	}
	memcpy(buf, filter, fl);
	buf[fl] = '\n';
	memcpy(buf + fl + 1, counter, cl + 1);
	return junos_smap_get(&c->bykey, buf);
}

int junos_cmap_add(struct junos_cmap *c, const char *filter, const char *counter, size_t fidx,
		   long ridx)
{
	struct junos_cmap_entry *e;
	const char *key = key_of(&c->arena, filter, counter);
	const char *dup = aclf_arena_printf(&c->arena, "%zu %ld %s\n%s", fidx, ridx, filter, counter);
	long head;

	if (!key || !dup)
		return -1;
	if (junos_smap_get(&c->seen, dup) >= 0)
		return 0;
	if (aclf_arena_grow(&c->arena, (void **)&c->v, c->n, &c->cap, sizeof(*c->v)) < 0 ||
	    junos_smap_put(&c->arena, &c->seen, dup, 1) < 0)
		return -1;
	e = &c->v[c->n];
	e->filter = aclf_arena_strdup(&c->arena, filter);
	e->counter = aclf_arena_strdup(&c->arena, counter);
	e->fidx = fidx;
	e->ridx = ridx;
	e->next = -1;
	if (!e->filter || !e->counter)
		return -1;
	head = junos_smap_get(&c->bykey, key);
	if (head < 0) {
		if (junos_smap_put(&c->arena, &c->bykey, key, (long)c->n) < 0)
			return -1;
	} else {
		while (c->v[head].next >= 0)
			head = c->v[head].next;
		c->v[head].next = (long)c->n;
	}
	c->n++;
	return 0;
}

static int add_pair(struct junos_cmap *c, const char *filter, const char *counter, size_t fidx,
		    long ridx)
{
	const char *v6 = aclf_arena_printf(&c->arena, "%s-v6", counter);

	if (!v6 || junos_cmap_add(c, filter, counter, fidx, ridx) < 0)
		return -1;
	return junos_cmap_add(c, filter, v6, fidx, ridx);
}

int junos_cmap_convention(struct junos_cmap *c, const struct aclf_devpol *dp)
{
	for (size_t fi = 0; fi < dp->nfilters; fi++) {
		const struct aclf_filter *f = &dp->filters[fi];
		struct junos_smap names = { 0 };
		for (size_t ri = 0; ri < f->nrules; ri++) {
			const char *id = f->rules[ri].id;
			if (id && (add_pair(c, f->name, id, fi, (long)ri) < 0 ||
				   junos_smap_put(&c->arena, &names, id, (long)ri) < 0))
				return -1;
		}
		/* the term name, for rules whose id is not their term's name:
		 * the first rule of the term, unless a rule has it as id */
		for (size_t ri = 0; ri < f->nrules; ri++) {
			const char *dn = f->rules[ri].device_name;
			if (!dn || junos_smap_get(&names, dn) >= 0)
				continue;
			if (junos_smap_put(&c->arena, &names, dn, (long)ri) < 0 ||
			    add_pair(c, f->name, dn, fi, (long)ri) < 0)
				return -1;
		}
		if (add_pair(c, f->name, "default-deny", fi, -1) < 0 ||
		    add_pair(c, f->name, "default-accept", fi, -1) < 0)
			return -1;
	}
	return 0;
}

void junos_counters_init(struct junos_counters *c)
{
	memset(c, 0, sizeof(*c));
	aclf_arena_init(&c->arena);
}

void junos_counters_release(struct junos_counters *c)
{
	aclf_arena_release(&c->arena);
	memset(c, 0, sizeof(*c));
}

static bool starts(const char *p, size_t n, const char *w)
{
	size_t wl = strlen(w);

	return n >= wl && !memcmp(p, w, wl);
}

static int parse_u64(const char *p, size_t n, uint64_t *out)
{
	uint64_t v = 0;

	if (n == 0 || n > 20)
		return -1;
	for (size_t i = 0; i < n; i++) {
		unsigned d;
		if (p[i] < '0' || p[i] > '9')
			return -1;
		d = (unsigned)(p[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* last word of p[0..*n): its start; *n shrinks to what is before it */
static const char *last_word(const char *p, size_t *n, size_t *wl)
{
	size_t e = *n, s;

	while (e && (p[e - 1] == ' ' || p[e - 1] == '\t'))
		e--;
	s = e;
	while (s && p[s - 1] != ' ' && p[s - 1] != '\t')
		s--;
	*wl = e - s;
	*n = s;
	return p + s;
}

enum section { SEC_NONE, SEC_COUNTERS, SEC_POLICERS };

int junos_counters_parse(const char *text, size_t len, const char *name,
			 struct junos_counters *out, struct aclf_err *err)
{
	return junos_counters_parse_from(text, len, name, 1, out, err);
}

int junos_counters_parse_from(const char *text, size_t len, const char *name, unsigned first_line,
			      struct junos_counters *out, struct aclf_err *err)
{
	size_t pos = 0;
	unsigned line = first_line ? first_line - 1 : 0;
	const char *filter = NULL;
	enum section sec = SEC_NONE;
	bool header = false;
	char snip[64];

	while (pos < len) {
		const char *p = text + pos, *nl = memchr(p, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - p) : len - pos;
		pos += n + (nl ? 1 : 0);
		line++;
		if (memchr(p, '\0', n))
			return aclf_err_at(err, name, line, 1, "unexpected NUL byte");
		while (n && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		while (n && (p[0] == ' ' || p[0] == '\t')) {
			p++;
			n--;
		}
		if (n == 0 || junos_prompt_len(p, n) || (starts(p, n, "show ") || (n == 4 && starts(p, n, "show"))) ||
		    (p[0] == '{' && p[n - 1] == '}' && !memchr(p, ' ', n)))
			continue;
		if (starts(p, n, "Filter:")) {
			size_t s = 7;
			while (s < n && (p[s] == ' ' || p[s] == '\t'))
				s++;
			if (s == n)
				return aclf_err_at(err, name, line, 1, "'Filter:' without a name");
			filter = aclf_arena_strndup(&out->arena, p + s, n - s);
			if (!filter)
				return aclf_err_nomem(err);
			sec = SEC_NONE;
			header = false;
			continue;
		}
		if ((n == 9 && starts(p, n, "Counters:")) || (n == 9 && starts(p, n, "Policers:"))) {
			if (!filter)
				return aclf_err_at(err, name, line, 1, "'%.9s' before any 'Filter:' line", p);
			sec = p[0] == 'C' ? SEC_COUNTERS : SEC_POLICERS;
			header = true;
			continue;
		}
		if (sec != SEC_NONE && header) {
			size_t m = n, wl;
			const char *w2 = last_word(p, &m, &wl), *w1;
			size_t wl1;
			w1 = last_word(p, &m, &wl1);
			if (wl == 7 && !memcmp(w2, "Packets", 7) && wl1 == 5 && !memcmp(w1, "Bytes", 5) &&
			    starts(p, n, "Name")) {
				header = false;
				continue;
			}
			return aclf_err_at(err, name, line, 1,
					   "expected the 'Name Bytes Packets' header, got '%s'",
					   junos_snippet(snip, sizeof(snip), p, n));
		}
		if (sec != SEC_NONE) {
			size_t m = n, wl2, wl1;
			const char *w2 = last_word(p, &m, &wl2), *w1 = last_word(p, &m, &wl1);
			struct junos_counter *c;
			uint64_t bytes, packets;
			while (m && (p[m - 1] == ' ' || p[m - 1] == '\t'))
				m--;
			if (m == 0 || parse_u64(w1, wl1, &bytes) < 0 || parse_u64(w2, wl2, &packets) < 0)
				return aclf_err_at(err, name, line, 1,
						   "expected 'NAME BYTES PACKETS', got '%s'",
						   junos_snippet(snip, sizeof(snip), p, n));
			if (aclf_arena_grow(&out->arena, (void **)&out->v, out->n, &out->cap,
					    sizeof(*out->v)) < 0)
				return aclf_err_nomem(err);
			c = &out->v[out->n];
			c->filter = filter;
			c->name = aclf_arena_strndup(&out->arena, p, m);
			if (!c->name)
				return aclf_err_nomem(err);
			c->bytes = bytes;
			c->packets = packets;
			c->policer = sec == SEC_POLICERS;
			c->line = line;
			out->n++;
			continue;
		}
		return aclf_err_at(err, name, line, 1, "unexpected line in 'show firewall' output: '%s'",
				   junos_snippet(snip, sizeof(snip), p, n));
	}
	return 0;
}

/* "-IFD.UNIT-i" / "-o": what interface-specific adds to the names of a
 * filter bound at an interface, or NULL */
static const char *if_suffix(struct aclf_arena *a, const struct aclf_filter *f)
{
	char ifd[128], unit[16];

	if (f->binding.kind != ACLF_BIND_INTERFACE || !f->binding.name ||
	    junos_split_ifname(f->binding.name, ifd, sizeof(ifd), unit, sizeof(unit)) < 0)
		return NULL;
	/* the device names the unit even where the binding leaves it out */
	return aclf_arena_printf(a, "-%s.%s-%c", ifd, unit,
				 f->binding.direction == ACLF_DIR_OUT ? 'o' : 'i');
}

static bool ends_with(const char *s, const char *sfx, size_t *base)
{
	size_t n = strlen(s), k = strlen(sfx);

	if (n <= k || strcmp(s + n - k, sfx))
		return false;
	*base = n - k;
	return true;
}

struct hit {
	bool rule, def, shared;
	long seen_f, seen_r;
};

/* add a counter's packets to the rules of the chain from entry i (only
 * those of filter only_f when only_f >= 0) */
static void take(struct aclf_devpol *dp, const struct junos_cmap *map, long i, long only_f,
		 uint64_t packets, struct hit *h)
{
	for (; i >= 0; i = map->v[i].next) {
		const struct junos_cmap_entry *e = &map->v[i];
		struct aclf_rule *r;
		if ((only_f >= 0 && (long)e->fidx != only_f) || e->fidx >= dp->nfilters ||
		    e->ridx >= (long)dp->filters[e->fidx].nrules)
			continue;
		if (e->ridx < 0) {
			h->def = true;
			continue;
		}
		r = &dp->filters[e->fidx].rules[e->ridx];
		if (r->hits < 0)
			r->hits = 0;
		r->hits = (uint64_t)r->hits + packets > (uint64_t)INT64_MAX
				  ? INT64_MAX : (int64_t)((uint64_t)r->hits + packets);
		if (h->seen_f == (long)e->fidx && h->seen_r != e->ridx)
			h->shared = true;
		h->seen_f = (long)e->fidx;
		h->seen_r = e->ridx;
		h->rule = true;
	}
}

int junos_counters_attach(struct aclf_devpol *dp, const struct junos_counters *c,
			  const struct junos_cmap *map, struct aclf_buf *report, size_t *attached,
			  struct aclf_err *err)
{
	struct junos_cmap conv;
	const char **sfx;
	size_t nat = 0;
	int rc = 0;

	junos_cmap_init(&conv);
	if (!map) {
		if (junos_cmap_convention(&conv, dp) < 0) {
			rc = aclf_err_nomem(err);
			goto out;
		}
		map = &conv;
	}
	for (size_t fi = 0; fi < dp->nfilters; fi++)
		for (size_t ri = 0; ri < dp->filters[fi].nrules; ri++)
			dp->filters[fi].rules[ri].hits = -1;
	sfx = aclf_arena_alloc(&conv.arena, (dp->nfilters ? dp->nfilters : 1) * sizeof(*sfx));
	if (!sfx) {
		rc = aclf_err_nomem(err);
		goto out;
	}
	for (size_t fi = 0; fi < dp->nfilters; fi++)
		sfx[fi] = if_suffix(&conv.arena, &dp->filters[fi]);
	for (size_t i = 0; i < c->n; i++) {
		const struct junos_counter *ct = &c->v[i];
		struct hit h = { false, false, false, -1, -1 };
		bool rule, def, shared;
		if (ct->policer)
			continue;
		take(dp, map, junos_cmap_find(map, ct->filter, ct->name), -1, ct->packets, &h);
		/* interface-specific: strip "-IFD.UNIT-i" from both names */
		for (size_t fi = 0; fi < dp->nfilters; fi++) {
			size_t fb, cb;
			char *f2, *c2;
			if (!sfx[fi] || !ends_with(ct->filter, sfx[fi], &fb) ||
			    !ends_with(ct->name, sfx[fi], &cb))
				continue;
			f2 = aclf_arena_strndup(&conv.arena, ct->filter, fb);
			c2 = aclf_arena_strndup(&conv.arena, ct->name, cb);
			if (!f2 || !c2) {
				rc = aclf_err_nomem(err);
				goto out;
			}
			take(dp, map, junos_cmap_find(map, f2, c2), (long)fi, ct->packets, &h);
		}
		rule = h.rule;
		def = h.def;
		shared = h.shared;
		if (rule)
			nat++;
		if (!report)
			continue;
		if (shared && aclf_buf_printf(report, "filter '%s': counter '%s' counts several terms; "
					      "each of their rules got its %llu packets\n", ct->filter,
					      ct->name, (unsigned long long)ct->packets) < 0)
			rc = aclf_err_nomem(err);
		if (!rule && def &&
		    aclf_buf_printf(report, "filter '%s': counter '%s' counts the default action: %llu packets\n",
				    ct->filter, ct->name, (unsigned long long)ct->packets) < 0)
			rc = aclf_err_nomem(err);
		if (!rule && !def &&
		    aclf_buf_printf(report, "filter '%s': counter '%s' (%llu packets) matches no rule\n",
				    ct->filter, ct->name, (unsigned long long)ct->packets) < 0)
			rc = aclf_err_nomem(err);
		if (rc < 0)
			goto out;
	}
	if (attached)
		*attached = nat;
out:
	junos_cmap_release(&conv);
	return rc;
}
