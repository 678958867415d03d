/* What `list ltm ...` prints: objects by kind, then by name, properties
 * sorted as tmsh sorts them, nested four spaces a level (or `one-line`),
 * names relative to /Common (`recursive`: Common/x; bigip.conf: /Common/x),
 * ports by service name unless `cli global-settings service number`
 * (bigip.conf: numbers). */
#include <stdlib.h>
#include <string.h>

#include "emu_bigip.h"

static const struct {
	const char *name;
	unsigned port;
} services[] = {
	{ "ssh", 22 },       { "domain", 53 },      { "http", 80 },        { "epmap", 135 },
	{ "https", 443 },    { "snpp", 444 },       { "ddm-ssl", 448 },    { "pharos", 4443 },
	{ "sip", 5060 },     { "sip-tls", 5061 },   { "vtsas", 5070 },     { "powerschool", 5071 },
	{ "ayiya", 5072 },   { "tag-upp", 5073 },   { "onscreen", 5080 },  { "webcache", 8080 },
};

const char *bp_service_name(unsigned port)
{
	for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if (services[i].port == port)
			return services[i].name;
	return NULL;
}

int bp_service_port(const char *name)
{
	for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++)
		if (!strcmp(services[i].name, name))
			return (int)services[i].port;
	return -1;
}

struct lp {
	const struct blist_opts *o;
	struct aclf_buf *out;
};

static int put_name(struct lp *l, const char *full)
{
	if (l->o->full || strncmp(full, "/Common/", 8))
		return aclf_buf_puts(l->out, full);
	if (l->o->recursive)
		return aclf_buf_puts(l->out, full + 1);
	return aclf_buf_puts(l->out, full + 8);
}

/* a name stored as typed (vlans, rules): in bigip.conf with its folder */
static int put_plain_name(struct lp *l, const char *n)
{
	if (n[0] == '/')
		return put_name(l, n);
	if (l->o->full)
		return aclf_buf_printf(l->out, "/Common/%s", n);
	if (l->o->recursive)
		return aclf_buf_printf(l->out, "Common/%s", n);
	return aclf_buf_puts(l->out, n);
}

static int put_port(struct lp *l, const char *p)
{
	const char *name = (l->o->numeric || l->o->full) ? NULL
							 : bp_service_name((unsigned)strtoul(p, NULL, 10));

	if (!strcmp(p, "0"))
		return aclf_buf_puts(l->out, "any");
	return aclf_buf_puts(l->out, name ? name : p);
}

static int put_word(struct lp *l, const char *w)
{
	bool plain = *w != '\0';

	for (const char *p = w; *p && plain; p++)
		if (*p == ' ' || *p == '"' || *p == '{' || *p == '}' || *p == ';' || *p == '\\' ||
		    (unsigned char)*p < 0x20)
			plain = false;
	if (plain)
		return aclf_buf_puts(l->out, w);
	if (aclf_buf_putc(l->out, '"') < 0)
		return -1;
	for (const char *p = w; *p; p++) {
		if ((*p == '"' || *p == '\\') && aclf_buf_putc(l->out, '\\') < 0)
			return -1;
		if (*p == '\n' ? aclf_buf_puts(l->out, "\\n") < 0 : aclf_buf_putc(l->out, *p) < 0)
			return -1;
	}
	return aclf_buf_putc(l->out, '"');
}

static int put_dest(struct lp *l, const char *d)
{
	const char *sep = strrchr(d, ':');
	const char *dot = strrchr(d, '.');

	if (strchr(d, ':') != sep || (dot && dot > (sep ? sep : d)))
		sep = dot; /* IPv6: ADDR.PORT */
	if (!sep)
		return aclf_buf_puts(l->out, d);
	if (l->o->full && d[0] != '*' && aclf_buf_puts(l->out, "/Common/") < 0)
		return -1;
	if (aclf_buf_add(l->out, d, (size_t)(sep - d + 1)) < 0)
		return -1;
	return put_port(l, sep + 1);
}

static int put_member(struct lp *l, const char *m)
{
	const char *sep = strrchr(m, ':');
	char *node = strndup(m, (size_t)(sep - m));
	const char *base;
	char sepc;
	int r;

	if (!node)
		return -1;
	base = strrchr(node, '/') ? strrchr(node, '/') + 1 : node;
	sepc = strchr(base, ':') ? '.' : ':';
	r = put_name(l, node);
	free(node);
	if (r < 0 || aclf_buf_putc(l->out, sepc) < 0)
		return -1;
	return put_port(l, sep + 1);
}

static int cmp_nodes(const void *a, const void *b)
{
	return strcmp((*(const struct bnode *const *)a)->key, (*(const struct bnode *const *)b)->key);
}

static bool is_ref_key(const char *k)
{
	return !strcmp(k, "pool") || !strcmp(k, "monitor") || !strcmp(k, "defaults-from") ||
	       !strcmp(k, "fallback-persistence");
}

static int nl(struct lp *l, unsigned depth)
{
	if (l->o->one_line)
		return aclf_buf_putc(l->out, ' ');
	if (aclf_buf_puts(l->out, "\r\n") < 0)
		return -1;
	for (unsigned i = 0; i < depth; i++)
		if (aclf_buf_puts(l->out, "    ") < 0)
			return -1;
	return 0;
}

static int put_body(struct lp *l, const struct bnode *n, unsigned depth, const char *coll);

/* one property or item at depth (the line already indented) */
static int put_entry(struct lp *l, const struct bnode *k, unsigned depth, const char *coll)
{
	int r;

	if (coll) {
		if (!strcmp(coll, "members"))
			r = put_member(l, k->key);
		else if (!strcmp(coll, "vlans") || !strcmp(coll, "rules"))
			r = put_plain_name(l, k->key);
		else
			r = put_name(l, k->key);
	} else {
		r = aclf_buf_puts(l->out, k->key);
	}
	if (r < 0)
		return -1;
	if (k->val) {
		if (aclf_buf_putc(l->out, ' ') < 0)
			return -1;
		if (!strcmp(k->key, "destination"))
			return put_dest(l, k->val);
		if (is_ref_key(k->key) && k->val[0] == '/')
			return put_name(l, k->val);
		if (!strcmp(k->key, "pool") && k->val[0] != '/')
			return put_plain_name(l, k->val);
		return put_word(l, k->val);
	}
	if (!k->block)
		return 0;
	if (k->n == 0)
		return aclf_buf_puts(l->out, " { }");
	if (aclf_buf_puts(l->out, " {") < 0)
		return -1;
	if (put_body(l, k, depth + 1, coll ? NULL : k->key) < 0 || nl(l, depth) < 0)
		return -1;
	return aclf_buf_putc(l->out, '}');
}

static int put_body(struct lp *l, const struct bnode *n, unsigned depth, const char *coll)
{
	const struct bnode **v = malloc((n->n + 1) * sizeof(*v));
	size_t m = 0;
	int rc = 0;

	if (!v)
		return -1;
	for (size_t i = 0; i < n->n; i++) {
		/* an empty collection is not listed */
		if (!coll && n->kids[i].block && n->kids[i].n == 0 && !n->kids[i].val &&
		    (!strcmp(n->kids[i].key, "persist") || !strcmp(n->kids[i].key, "vlans") ||
		     !strcmp(n->kids[i].key, "rules") || !strcmp(n->kids[i].key, "members") ||
		     !strcmp(n->kids[i].key, "profiles")))
			continue;
		v[m++] = &n->kids[i];
	}
	if (!coll)
		qsort(v, m, sizeof(*v), cmp_nodes);
	for (size_t i = 0; i < m && rc == 0; i++)
		rc = (nl(l, depth) < 0 || put_entry(l, v[i], depth, coll) < 0) ? -1 : 0;
	free(v);
	return rc;
}

static int put_obj(struct lp *l, const struct bobj *o)
{
	if (aclf_buf_printf(l->out, "ltm %s ", bp_kind_word(o->kind)) < 0 ||
	    (o->type && aclf_buf_printf(l->out, "%s ", o->type) < 0) || put_name(l, o->name) < 0)
		return -1;
	if (o->props.n == 0)
		return aclf_buf_puts(l->out, l->o->one_line ? " { }\r\n" : " { }\r\n");
	if (aclf_buf_puts(l->out, " {") < 0 || put_body(l, &o->props, 1, NULL) < 0 || nl(l, 0) < 0)
		return -1;
	if (l->o->one_line && l->out->len && l->out->buf[l->out->len - 1] == ' ')
		aclf_buf_truncate(l->out, l->out->len - 1);
	if (l->o->one_line && aclf_buf_putc(l->out, ' ') < 0)
		return -1;
	return aclf_buf_puts(l->out, "}\r\n");
}

static int cmp_objs(const void *a, const void *b)
{
	return strcmp((*(const struct bobj *const *)a)->name, (*(const struct bobj *const *)b)->name);
}

int bp_list(const struct bstore *st, int kind, const char *type, const char *name,
	    const struct blist_opts *o, struct aclf_buf *out, struct aclf_buf *err)
{
	static const enum bp_kind order[] = { BK_NODE, BK_POOL, BK_VIRTUAL, BK_SNATPOOL, BK_MONITOR,
					      BK_PERSIST, BK_PROFILE };
	const struct bobj **v = malloc((st->n + 1) * sizeof(*v));
	struct lp l = { o, out };
	char *full = name ? bp_fullname(name) : NULL;
	size_t found = 0;
	int rc = 0;

	if (!v || (name && !full)) {
		free(v);
		free(full);
		return -1;
	}
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]) && rc == 0; k++) {
		size_t m = 0;

		if (kind >= 0 && (int)order[k] != kind)
			continue;
		for (size_t i = 0; i < st->n; i++) {
			const struct bobj *x = &st->v[i];

			if (x->kind != order[k] || (type && (!x->type || strcmp(x->type, type))) ||
			    (full && strcmp(full, x->name)))
				continue;
			v[m++] = x;
		}
		qsort(v, m, sizeof(*v), cmp_objs);
		for (size_t i = 0; i < m && rc == 0; i++)
			rc = put_obj(&l, v[i]);
		found += m;
	}
	if (rc == 0 && full && !found) {
		aclf_buf_printf(err, "01020036:3: The requested %s (%s) was not found.\n",
				bp_kind_display(kind >= 0 ? (enum bp_kind)kind : BK_VIRTUAL), full);
		rc = 1;
	}
	free(v);
	free(full);
	return rc;
}
