/* The topology loader's typed values: YAML nodes checked for their type,
 * keys, numbers, booleans and names, each error collected into the
 * context (topology_ctx.c). */
#include <stdlib.h>
#include <string.h>

#include "aclforge/err.h"
#include "aclforge/prefix.h"
#include "topology_int.h"

int topo_check_keys(struct topo_ctx *c, yaml_node_t *map, const char *const *allowed,
		    const char *what)
{
	struct aclf_err s;

	aclf_err_init(&s);
	if (aclf_ymap_check_keys(c->d, map, allowed, what, &s) < 0)
		return topo_absorb(c, &s);
	aclf_err_release(&s);
	return 0;
}

int topo_expect(struct topo_ctx *c, yaml_node_t *n, yaml_node_type_t type, const char *what)
{
	struct aclf_err s;

	if (!n)
		return topo_err(c, NULL, "%s: missing", what);
	aclf_err_init(&s);
	if (aclf_yexpect(c->d, n, type, what, &s) < 0)
		return topo_absorb(c, &s);
	aclf_err_release(&s);
	return 0;
}

int topo_str(struct topo_ctx *c, yaml_node_t *n, const char *what, const char **out)
{
	if (topo_expect(c, n, YAML_SCALAR_NODE, what) < 0)
		return -1;
	*out = topo_strdup(c, aclf_yscalar(n));
	return *out ? 0 : -1;
}

int topo_uint(struct topo_ctx *c, yaml_node_t *n, unsigned long min, unsigned long max,
	      const char *what, unsigned long *out)
{
	struct aclf_err s;

	aclf_err_init(&s);
	if (aclf_yuint(c->d, n, min, max, what, out, &s) < 0)
		return topo_absorb(c, &s);
	aclf_err_release(&s);
	return 0;
}

int topo_bool(struct topo_ctx *c, yaml_node_t *n, const char *what, bool *out)
{
	struct aclf_err s;

	aclf_err_init(&s);
	if (aclf_ybool(c->d, n, what, out, &s) < 0)
		return topo_absorb(c, &s);
	aclf_err_release(&s);
	return 0;
}

bool topo_null(const yaml_node_t *n)
{
	const char *s = aclf_yscalar(n);

	if (!s || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	       !strcmp(s, "NULL");
}

int topo_no_v4mapped(struct topo_ctx *c, yaml_node_t *n, const char *what, const char *s,
		     const struct aclf_prefix *p)
{
	struct aclf_prefix v4;
	char fix[ACLF_PREFIX_STRLEN];

	if (!aclf_prefix_v4mapped(p, &v4))
		return 0;
	if (aclf_prefix_is_host(&v4))
		aclf_prefix_format_addr(&v4, fix, sizeof(fix));
	else
		aclf_prefix_format(&v4, fix, sizeof(fix));
	return topo_err(c, n, "%s: '%.80s' is an IPv4-mapped IPv6 %s, which no IPv6 packet carries: "
			      "write the IPv4 %s '%s'", what, s,
			aclf_prefix_is_host(p) ? "address" : "prefix",
			aclf_prefix_is_host(&v4) ? "address" : "prefix", fix);
}

bool topo_name_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > TOPO_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
		if (!alnum && (i == 0 || (ch != '-' && ch != '_' && ch != '.')))
			return false;
	}
	return true;
}

struct name_key {
	const char *name;
	size_t i;
};

static int name_key_cmp(const void *a, const void *b)
{
	const struct name_key *x = a, *y = b;
	int r = strcmp(x->name, y->name);

	return r ? r : (x->i < y->i ? -1 : x->i > y->i);
}

bool *topo_check_names(struct topo_ctx *c, yaml_node_t *map, const char *what)
{
	size_t n = aclf_ymap_len(map), nk = 0;
	bool *skip = topo_alloc(c, n ? n : 1, sizeof(*skip));
	struct name_key *keys;

	if (!skip)
		return NULL;
	keys = calloc(n ? n : 1, sizeof(*keys));
	if (!keys)
		return topo_nomem(c), NULL;
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *kn = aclf_ymap_key_at(c->d, map, i);
		const char *k = aclf_yscalar(kn);

		skip[i] = true;
		if (!k) {
			topo_err(c, kn, "%s: expected a name as key, found a %s", what,
				 kn && kn->type == YAML_SEQUENCE_NODE ? "list" : "mapping");
		} else if (!topo_name_valid(k)) {
			topo_err(c, kn,
				 "%s: invalid name '%.80s', expected 1 to %d letters, digits, '-', '_' "
				 "or '.', starting with a letter or digit",
				 what, k, TOPO_NAME_MAX);
		} else {
			skip[i] = false;
			keys[nk].name = k;
			keys[nk++].i = i;
		}
	}
	qsort(keys, nk, sizeof(*keys), name_key_cmp);
	for (size_t j = 1, first = 0; j < nk; j++) {
		if (strcmp(keys[j].name, keys[first].name) != 0) {
			first = j;
			continue;
		}
		skip[keys[j].i] = true;
		topo_err(c, aclf_ymap_key_at(c->d, map, keys[j].i),
			 "%s: duplicate name '%s' (first at line %u)", what, keys[j].name,
			 aclf_ynode_line(aclf_ymap_key_at(c->d, map, keys[first].i)));
	}
	free(keys);
	return skip;
}
