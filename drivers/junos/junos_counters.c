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

static int nomem(struct aclf_err *err)
{
	return aclf_err_set(err, ACLF_E_NOMEM, "out of memory");
}

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

int junos_cmap_add(struct junos_cmap *c, const char *filter, const char *counter, size_t fidx,
		   long ridx)
{
	struct junos_cmap_entry *e;

	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].fidx == fidx && c->v[i].ridx == ridx && !strcmp(c->v[i].filter, filter) &&
		    !strcmp(c->v[i].counter, counter))
			return 0;
	if (aclf_arena_grow(&c->arena, (void **)&c->v, c->n, &c->cap, sizeof(*c->v)) < 0)
		return -1;
	e = &c->v[c->n];
	e->filter = aclf_arena_strdup(&c->arena, filter);
	e->counter = aclf_arena_strdup(&c->arena, counter);
	e->fidx = fidx;
	e->ridx = ridx;
	if (!e->filter || !e->counter)
		return -1;
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
		for (size_t ri = 0; ri < f->nrules; ri++)
			if (f->rules[ri].id && add_pair(c, f->name, f->rules[ri].id, fi, (long)ri) < 0)
				return -1;
		/* the term name, for rules whose id is not their term's name */
		for (size_t ri = 0; ri < f->nrules; ri++) {
			const char *dn = f->rules[ri].device_name;
			bool taken = false;
			if (!dn)
				continue;
			for (size_t k = 0; k < f->nrules && !taken; k++)
				taken = (f->rules[k].id && !strcmp(f->rules[k].id, dn)) ||
					(k < ri && f->rules[k].device_name &&
					 !strcmp(f->rules[k].device_name, dn));
			if (!taken && add_pair(c, f->name, dn, fi, (long)ri) < 0)
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
		if (n == 0 || (starts(p, n, "show ") || (n == 4 && starts(p, n, "show"))) ||
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
				return nomem(err);
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
				return nomem(err);
			c = &out->v[out->n];
			c->filter = filter;
			c->name = aclf_arena_strndup(&out->arena, p, m);
			if (!c->name)
				return nomem(err);
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

/* name == base + sfx */
static bool is_suffixed(const char *name, const char *base, const char *sfx)
{
	size_t bl = strlen(base);

	return !strncmp(name, base, bl) && !strcmp(name + bl, sfx);
}

static bool entry_matches(const struct aclf_devpol *dp, const struct junos_cmap_entry *e,
			  const struct junos_counter *c)
{
	const struct aclf_filter *f;
	char sfx[256], ifd[128], unit[16];

	if (!strcmp(c->filter, e->filter) && !strcmp(c->name, e->counter))
		return true;
	if (e->fidx >= dp->nfilters)
		return false;
	f = &dp->filters[e->fidx];
	if (f->binding.kind != ACLF_BIND_INTERFACE || !f->binding.name)
		return false;
	/* the device names the unit even where the binding leaves it out */
	if (junos_split_ifname(f->binding.name, ifd, sizeof(ifd), unit, sizeof(unit)) < 0)
		return false;
	snprintf(sfx, sizeof(sfx), "-%s.%s-%c", ifd, unit,
		 f->binding.direction == ACLF_DIR_OUT ? 'o' : 'i');
	return is_suffixed(c->filter, e->filter, sfx) && is_suffixed(c->name, e->counter, sfx);
}

int junos_counters_attach(struct aclf_devpol *dp, const struct junos_counters *c,
			  const struct junos_cmap *map, struct aclf_buf *report, size_t *attached,
			  struct aclf_err *err)
{
	struct junos_cmap conv;
	size_t nat = 0;
	int rc = 0;

	junos_cmap_init(&conv);
	if (!map) {
		if (junos_cmap_convention(&conv, dp) < 0) {
			rc = nomem(err);
			goto out;
		}
		map = &conv;
	}
	for (size_t fi = 0; fi < dp->nfilters; fi++)
		for (size_t ri = 0; ri < dp->filters[fi].nrules; ri++)
			dp->filters[fi].rules[ri].hits = -1;
	for (size_t i = 0; i < c->n; i++) {
		const struct junos_counter *ct = &c->v[i];
		bool rule = false, def = false, shared = false;
		long seen_f = -1, seen_r = -1;
		if (ct->policer)
			continue;
		for (size_t k = 0; k < map->n; k++) {
			const struct junos_cmap_entry *e = &map->v[k];
			struct aclf_rule *r;
			if (!entry_matches(dp, e, ct))
				continue;
			if (e->fidx >= dp->nfilters || e->ridx >= (long)dp->filters[e->fidx].nrules)
				continue;
			if (e->ridx < 0) {
				def = true;
				continue;
			}
			r = &dp->filters[e->fidx].rules[e->ridx];
			if (r->hits < 0)
				r->hits = 0;
			r->hits = (uint64_t)r->hits + ct->packets > (uint64_t)INT64_MAX
					  ? INT64_MAX : (int64_t)((uint64_t)r->hits + ct->packets);
			if (seen_f == (long)e->fidx && seen_r != e->ridx)
				shared = true;
			seen_f = (long)e->fidx;
			seen_r = e->ridx;
			rule = true;
		}
		if (rule)
			nat++;
		if (!report)
			continue;
		if (shared && aclf_buf_printf(report, "filter '%s': counter '%s' counts several terms; "
					      "each of their rules got its %llu packets\n", ct->filter,
					      ct->name, (unsigned long long)ct->packets) < 0)
			rc = nomem(err);
		if (!rule && def &&
		    aclf_buf_printf(report, "filter '%s': counter '%s' counts the default action: %llu packets\n",
				    ct->filter, ct->name, (unsigned long long)ct->packets) < 0)
			rc = nomem(err);
		if (!rule && !def &&
		    aclf_buf_printf(report, "filter '%s': counter '%s' (%llu packets) matches no rule\n",
				    ct->filter, ct->name, (unsigned long long)ct->packets) < 0)
			rc = nomem(err);
		if (rc < 0)
			goto out;
	}
	if (attached)
		*attached = nat;
out:
	junos_cmap_release(&conv);
	return rc;
}
