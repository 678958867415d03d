/* Render helpers: the object-group registry (network groups named after the
 * rule's address-set names, service groups numbered), their definitions,
 * port specs and remark text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/hash.h"
#include "aclforge/prefix.h"
#include "ios.h"

#define IOS_NAME_MAX 64

void ios_safe_name(const char *s, char *out, size_t outlen)
{
	size_t w = 0;

	if (outlen == 0)
		return;
	for (; s && *s && w + 1 < outlen; s++) {
		char c = *s;
		bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			  c == '_' || c == '-' || c == '.';
		out[w++] = ok ? c : '_';
	}
	if (w == 0 && outlen > 1)
		out[w++] = '_';
	out[w] = '\0';
}

static bool net_name_used(const struct ios_ogs *g, const char *name)
{
	uint64_t h = aclf_hash_str(name);
	size_t it;

	for (size_t e = aclf_htab_find(&g->names, h, &it); e != ACLF_HTAB_END; e = aclf_htab_next(&g->names, h, &it))
		if (strcmp(e % 2 ? g->svc[e / 2].name : g->net[e / 2].name, name) == 0)
			return true;
	return false;
}

/* Remember a new group's name (net: 2 * i, service: 2 * i + 1). */
static int name_add(struct ios_ogs *g, const char *name, size_t e)
{
	return aclf_htab_put(&g->names, aclf_hash_str(name), e);
}

static const char *suffix_of(const struct ios_ogs *g)
{
	return g->suffix ? g->suffix : "";
}

/* A free name: base, base-2, base-3, ... each followed by the suffix. */
static const char *free_name(const struct ios_ogs *g, const char *base)
{
	char buf[IOS_NAME_MAX + 48];

	snprintf(buf, sizeof(buf), "%s%s", base, suffix_of(g));
	if (!net_name_used(g, buf))
		return aclf_arena_strdup(g->a, buf);
	for (unsigned k = 2;; k++) {
		snprintf(buf, sizeof(buf), "%s-%u%s", base, k, suffix_of(g));
		if (!net_name_used(g, buf))
			return aclf_arena_strdup(g->a, buf);
	}
}

/* name is base or base-N (N starting with a digit), then the suffix */
static bool name_of_base(const struct ios_ogs *g, const char *name, const char *base)
{
	size_t nb = strlen(base), ns = strlen(suffix_of(g)), nn = strlen(name), rest;

	if (nn < nb + ns || strncmp(name, base, nb) != 0 || strcmp(name + nn - ns, suffix_of(g)) != 0)
		return false;
	rest = nn - nb - ns;
	return rest == 0 || (name[nb] == '-' && rest >= 2 && name[nb + 1] >= '0' && name[nb + 1] <= '9');
}

/* Room for the base name: the suffix still fits in IOS_NAME_MAX. */
static size_t base_room(const struct ios_ogs *g, size_t size)
{
	size_t ns = strlen(suffix_of(g));

	return ns + 2 < size ? size - ns : 2;
}

/* The first group holding set (by identity: hash, then contents), or
 * SIZE_MAX. */
static size_t first_of_set(struct ios_ogs *g, const struct aclf_prefix_set *set, uint64_t h)
{
	size_t it;

	for (size_t e = aclf_htab_find(&g->net_by_set, h, &it); e != ACLF_HTAB_END;
	     e = aclf_htab_next(&g->net_by_set, h, &it))
		if (aclf_pset_equal(&g->net[e].set, set))
			return e;
	return SIZE_MAX;
}

/* The group of set under want, or a new one (with members when nmembers). */
static const char *net_group(struct ios_ogs *g, const char *want, const struct aclf_prefix_set *set,
			     const char **members, size_t nmembers)
{
	char base[IOS_NAME_MAX + 1];
	struct ios_og_net *n;
	uint64_t h = aclf_setid_hash(&g->ids, set);
	size_t first = first_of_set(g, set, h);

	if (want)
		ios_safe_name(want, base, base_room(g, sizeof(base)));
	/* the same contents under the wanted name (or any name when unnamed),
	 * the earliest such group */
	for (size_t i = first; i != SIZE_MAX; i = g->net[i].next_same)
		if (!want || name_of_base(g, g->net[i].name, base))
			return g->net[i].name;
	if (aclf_arena_grow(g->a, (void **)&g->net, g->nnet, &g->net_cap, sizeof(*g->net)) < 0)
		return NULL;
	n = &g->net[g->nnet];
	if (!want)
		snprintf(base, sizeof(base), "NET-%zu", g->nnet + 1);
	n->name = free_name(g, base);
	n->set = *set; /* the policy's set: it outlives the rendering */
	n->members = NULL;
	n->nmembers = 0;
	if (nmembers) {
		if (!(n->members = aclf_arena_alloc_raw(g->a, nmembers * sizeof(*n->members))))
			return NULL;
		memcpy(n->members, members, nmembers * sizeof(*n->members));
		n->nmembers = nmembers;
	}
	n->next_same = SIZE_MAX;
	n->last_same = g->nnet;
	if (!n->name || name_add(g, n->name, 2 * g->nnet) < 0)
		return NULL;
	if (first == SIZE_MAX) {
		if (aclf_htab_put(&g->net_by_set, h, g->nnet) < 0)
			return NULL;
	} else {
		g->net[g->net[first].last_same].next_same = g->nnet;
		g->net[first].last_same = g->nnet;
	}
	g->nnet++;
	return n->name;
}

const char *ios_ogs_net(struct ios_ogs *g, const char *want, const struct aclf_prefix_set *set)
{
	return net_group(g, want, set, NULL, 0);
}

const char *ios_ogs_net_parts(struct ios_ogs *g, const char *want, const struct aclf_prefix_set *set,
			      const struct aclf_set_part *parts, size_t nparts)
{
	const char **members = malloc((nparts ? nparts : 1) * sizeof(*members));
	const char *out = NULL;
	size_t n = 0;

	if (!members)
		return NULL;
	for (size_t i = 0; i < nparts; i++) {
		struct aclf_prefix_set v4;
		aclf_pset_family_view(&parts[i].set, 4, &v4);
		if (!v4.n)
			continue;
		if (!(members[n++] = net_group(g, parts[i].name, &v4, NULL, 0)))
			goto out;
	}
	out = n == 1 ? members[0] : net_group(g, want, set, members, n);
out:
	free(members);
	return out;
}

static uint64_t svc_hash(int proto, const struct aclf_port_set *sports, const struct aclf_port_set *dports)
{
	uint64_t h = aclf_hash_add(ACLF_HASH_INIT, &proto, sizeof(proto));
	const struct aclf_port_set *ps[2] = { sports, dports };

	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < ps[k]->n; i++) {
			uint16_t r[2] = { ps[k]->v[i].lo, ps[k]->v[i].hi };
			h = aclf_hash_add(h, r, sizeof(r));
		}
		h = aclf_hash_add(h, &ps[k]->n, sizeof(ps[k]->n));
	}
	return h;
}

const char *ios_ogs_svc(struct ios_ogs *g, int proto, const struct aclf_port_set *sports,
			const struct aclf_port_set *dports)
{
	char base[IOS_NAME_MAX + 1];
	struct ios_og_svc *s;
	uint64_t h = svc_hash(proto, sports, dports);
	size_t it;

	for (size_t i = aclf_htab_find(&g->svc_by_ports, h, &it); i != ACLF_HTAB_END;
	     i = aclf_htab_next(&g->svc_by_ports, h, &it))
		if (g->svc[i].proto == proto && aclf_ports_equal(&g->svc[i].sports, sports) &&
		    aclf_ports_equal(&g->svc[i].dports, dports))
			return g->svc[i].name;
	if (aclf_arena_grow(g->a, (void **)&g->svc, g->nsvc, &g->svc_cap, sizeof(*g->svc)) < 0)
		return NULL;
	s = &g->svc[g->nsvc];
	snprintf(base, sizeof(base), "SVC-%s-%zu", proto == ACLF_PROTO_TCP ? "TCP" : "UDP",
		 g->nsvc + 1);
	s->name = free_name(g, base);
	s->proto = proto;
	if (!s->name || aclf_ports_copy(g->a, sports, &s->sports) < 0 ||
	    aclf_ports_copy(g->a, dports, &s->dports) < 0 || name_add(g, s->name, 2 * g->nsvc + 1) < 0 ||
	    aclf_htab_put(&g->svc_by_ports, h, g->nsvc) < 0)
		return NULL;
	g->nsvc++;
	return s->name;
}

void ios_ogs_release(struct ios_ogs *g)
{
	aclf_setid_release(&g->ids);
	aclf_htab_free(&g->net_by_set);
	aclf_htab_free(&g->svc_by_ports);
	aclf_htab_free(&g->names);
}

/* " N" for a port number */
static int put_port(struct aclf_buf *b, unsigned v)
{
	char d[8], *e = d + sizeof(d);

	*--e = '\0';
	do {
		*--e = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	*--e = ' ';
	return aclf_buf_puts(b, e);
}

int ios_put_range(struct aclf_buf *b, const struct aclf_port_range *r)
{
	int rc;

	/* one call after the other: | does not order its operands */
	if (r->lo == r->hi) {
		rc = aclf_buf_puts(b, " eq");
		return rc | put_port(b, r->lo);
	}
	rc = aclf_buf_puts(b, " range");
	rc |= put_port(b, r->lo);
	return rc | put_port(b, r->hi);
}

static int put_net_entry(struct aclf_buf *b, const struct aclf_prefix *p)
{
	char addr[ACLF_PREFIX_STRLEN], mask[ACLF_PREFIX_STRLEN];
	int rc;

	aclf_prefix_format_addr(p, addr, sizeof(addr));
	if (p->len == 32) {
		rc = aclf_buf_puts(b, " host ");
		rc |= aclf_buf_puts(b, addr);
		return rc | aclf_buf_putc(b, '\n');
	}
	aclf_prefix_format_mask(p, false, mask, sizeof(mask));
	rc = aclf_buf_putc(b, ' ');
	rc |= aclf_buf_puts(b, addr);
	rc |= aclf_buf_putc(b, ' ');
	rc |= aclf_buf_puts(b, mask);
	return rc | aclf_buf_putc(b, '\n');
}

int ios_ogs_write(const struct ios_ogs *g, struct aclf_buf *out)
{
	int rc = 0;

	for (size_t i = 0; i < g->nnet; i++) {
		rc |= aclf_buf_printf(out, "object-group network %s\n", g->net[i].name);
		/* a group of groups names them (each defined above it) */
		for (size_t k = 0; k < g->net[i].nmembers; k++)
			rc |= aclf_buf_printf(out, " group-object %s\n", g->net[i].members[k]);
		for (size_t k = 0; !g->net[i].nmembers && k < g->net[i].set.n; k++)
			rc |= put_net_entry(out, &g->net[i].set.v[k]);
		rc |= aclf_buf_puts(out, "!\n");
	}
	for (size_t i = 0; i < g->nsvc; i++) {
		const struct ios_og_svc *s = &g->svc[i];
		const char *p = s->proto == ACLF_PROTO_TCP ? "tcp" : "udp";
		size_t ns = s->sports.n ? s->sports.n : 1, nd = s->dports.n ? s->dports.n : 1;

		rc |= aclf_buf_printf(out, "object-group service %s\n", s->name);
		for (size_t a = 0; a < ns; a++) {
			for (size_t d = 0; d < nd; d++) {
				rc |= aclf_buf_putc(out, ' ');
				rc |= aclf_buf_puts(out, p);
				if (s->sports.n) {
					rc |= aclf_buf_puts(out, " source");
					rc |= ios_put_range(out, &s->sports.v[a]);
				}
				if (s->dports.n)
					rc |= ios_put_range(out, &s->dports.v[d]);
				rc |= aclf_buf_putc(out, '\n');
			}
		}
		rc |= aclf_buf_puts(out, "!\n");
	}
	return rc ? -1 : 0;
}

/* ---- remarks -------------------------------------------------------------- */

struct rtext {
	char *out;
	size_t len, cap;
	bool full;
};

static void put(struct rtext *t, const char *s)
{
	for (; *s; s++) {
		char c = (*s >= 0x20 && *s < 0x7f) ? *s : ' ';
		if (t->len + 1 >= t->cap) {
			t->full = true;
			break;
		}
		t->out[t->len++] = c;
	}
	t->out[t->len] = '\0';
}

static void put_sep(struct rtext *t)
{
	if (t->len)
		put(t, " ");
}

/* table part of a seed ref "server:3" (len of "server"), 0 when malformed */
static size_t seed_table(const char *ref)
{
	const char *colon = strchr(ref, ':');

	return colon && colon != ref && colon[1] ? (size_t)(colon - ref) : 0;
}

/* seed refs grouped by table: "server table row 3", "server table rows 3,
 * 11; hlb table row 1" */
static void put_seeds(struct rtext *t, const struct aclf_rule *r)
{
	bool first_table = true;

	for (size_t i = 0; i < r->nprov && !t->full; i++) {
		const char *ref = r->prov[i].ref;
		size_t tl = seed_table(ref), n = 0;
		bool seen = false;
		char table[32];

		/* once the text is full nothing more is written: stop looking */
		if (strcmp(r->prov[i].kind, "seed") != 0)
			continue;
		if (!tl || tl >= sizeof(table)) {
			put(t, first_table ? "" : "; ");
			put(t, ref);
			first_table = false;
			continue;
		}
		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(r->prov[j].kind, "seed") == 0 && seed_table(r->prov[j].ref) == tl &&
			       strncmp(r->prov[j].ref, ref, tl) == 0;
		if (seen)
			continue;
		for (size_t j = i; j < r->nprov; j++)
			n += strcmp(r->prov[j].kind, "seed") == 0 && seed_table(r->prov[j].ref) == tl &&
			     strncmp(r->prov[j].ref, ref, tl) == 0;
		memcpy(table, ref, tl);
		table[tl] = '\0';
		put(t, first_table ? "" : "; ");
		put(t, table);
		put(t, n > 1 ? " table rows " : " table row ");
		first_table = false;
		for (size_t j = i, k = 0; j < r->nprov && !t->full; j++) {
			if (strcmp(r->prov[j].kind, "seed") != 0 || seed_table(r->prov[j].ref) != tl ||
			    strncmp(r->prov[j].ref, ref, tl) != 0)
				continue;
			put(t, k++ ? ", " : "");
			put(t, r->prov[j].ref + tl + 1);
		}
	}
}

void ios_remark_text(const struct aclf_rule *r, char *out, size_t outlen)
{
	char tmp[512];
	struct rtext t = { tmp, 0, sizeof(tmp), false };
	bool ret = false;
	size_t nseed = 0;

	tmp[0] = '\0';
	if (outlen == 0)
		return;
	out[0] = '\0';
	for (size_t i = 0; i < r->nprov; i++) {
		if (strcmp(r->prov[i].kind, "return-path") == 0)
			ret = true;
		if (strcmp(r->prov[i].kind, "seed") == 0)
			nseed++;
	}
	if (r->id)
		put(&t, r->id);
	if (ret) {
		put_sep(&t);
		put(&t, "return");
	}
	for (size_t i = 0; i < r->nprov && !t.full; i++) {
		if (strcmp(r->prov[i].kind, "catalog") == 0 ||
		    strcmp(r->prov[i].kind, "topology-rule") == 0) {
			put_sep(&t);
			if (r->prov[i].kind[0] == 't')
				put(&t, "site-rule ");
			put(&t, r->prov[i].ref);
		}
	}
	if (nseed) {
		put(&t, t.len ? " (" : "(");
		put_seeds(&t, r);
		put(&t, ")");
	}
	if (r->comment && *r->comment) {
		put_sep(&t);
		put(&t, r->comment);
	}
	/* trim blanks, then shorten to the IOS limit */
	while (t.len && t.out[t.len - 1] == ' ')
		t.out[--t.len] = '\0';
	if (t.out[0] == ' ') {
		size_t lead = strspn(t.out, " ");
		memmove(t.out, t.out + lead, t.len - lead + 1);
		t.len -= lead;
	}
	if (t.full && t.len + 3 <= IOS_REMARK_MAX) {
		memcpy(t.out + t.len, "...", 4);
		t.len += 3;
	} else if (t.len > IOS_REMARK_MAX || t.full) {
		/* cut at a blank near the limit when there is one */
		size_t keep = IOS_REMARK_MAX - 3, k = keep;
		while (k > IOS_REMARK_MAX - 20 && t.out[k] != ' ' && t.out[k - 1] != ' ')
			k--;
		if (t.out[k] == ' ' || t.out[k - 1] == ' ')
			keep = k;
		while (keep > 0 && t.out[keep - 1] == ' ')
			keep--;
		memcpy(t.out + keep, "...", 4);
		t.len = keep + 3;
	}
	snprintf(out, outlen, "%s", t.out);
}
