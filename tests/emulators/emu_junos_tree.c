/* The Junos configuration as a tree of words: `set a b c` adds the path
 * a > b > c. The few facts of Junos' schema the text forms need are here:
 * which statements hold one value (a new `set` replaces it), which
 * keywords name their children on one line (`filter X {`, `term T {`),
 * which hold lists printed as blocks (`source-address { ...; }`), and that
 * a term has one terminating action. */
#include <stdlib.h>
#include <string.h>

#include "emu_junos.h"

static const char *const single_valued[] = {
	"count", "input", "output", "description", "host-name", "policer", "mtu",
	"vlan-id", "screen-length", "screen-width", NULL,
};

static const char *const terminating[] = { "accept", "discard", "reject", NULL };

static bool in_list(const char *const *l, const char *w)
{
	for (; *l; l++)
		if (!strcmp(*l, w))
			return true;
	return false;
}

struct jt_node *jt_new(const char *word)
{
	struct jt_node *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	if (word && !(t->word = strdup(word))) {
		free(t);
		return NULL;
	}
	return t;
}

void jt_free(struct jt_node *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		jt_free(t->kids[i]);
	free(t->kids);
	free(t->word);
	free(t);
}

static int add_kid(struct jt_node *t, struct jt_node *k)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 4;
		struct jt_node **v = realloc(t->kids, cap * sizeof(*v));

		if (!v)
			return -1;
		t->kids = v;
		t->cap = cap;
	}
	t->kids[t->n++] = k;
	return 0;
}

struct jt_node *jt_copy(const struct jt_node *t)
{
	struct jt_node *c = jt_new(t->word);

	if (!c)
		return NULL;
	for (size_t i = 0; i < t->n; i++) {
		struct jt_node *k = jt_copy(t->kids[i]);

		if (!k || add_kid(c, k) < 0) {
			jt_free(k);
			jt_free(c);
			return NULL;
		}
	}
	return c;
}

static struct jt_node *kid(const struct jt_node *t, const char *w)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->kids[i]->word, w))
			return t->kids[i];
	return NULL;
}

/* Same statements; the order of children does not matter except for the
 * values of one list, which Junos keeps as entered (it matters for terms,
 * whose order is the filter's). Order of terms is compared: kids order is
 * compared everywhere, as the CLI keeps insertion order. */
bool jt_equal(const struct jt_node *a, const struct jt_node *b)
{
	if (a->n != b->n)
		return false;
	if ((a->word == NULL) != (b->word == NULL) || (a->word && strcmp(a->word, b->word)))
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (!jt_equal(a->kids[i], b->kids[i]))
			return false;
	return true;
}

static void remove_kid(struct jt_node *t, size_t i)
{
	jt_free(t->kids[i]);
	memmove(&t->kids[i], &t->kids[i + 1], (t->n - i - 1) * sizeof(*t->kids));
	t->n--;
}

int jt_set(struct jt_node *root, char *const *words, size_t n)
{
	struct jt_node *t = root;

	for (size_t i = 0; i < n; i++) {
		struct jt_node *k = kid(t, words[i]);

		if (!k) {
			/* one value: a new one replaces the old */
			if (t->word && i == n - 1 && in_list(single_valued, t->word))
				while (t->n)
					remove_kid(t, t->n - 1);
			/* one terminating action per term */
			if (t->word && !strcmp(t->word, "then") && in_list(terminating, words[i]))
				for (size_t j = t->n; j-- > 0;)
					if (in_list(terminating, t->kids[j]->word))
						remove_kid(t, j);
			k = jt_new(words[i]);
			if (!k || add_kid(t, k) < 0) {
				jt_free(k);
				return -1;
			}
		}
		t = k;
	}
	return 0;
}

struct jt_node *jt_find(struct jt_node *root, char *const *words, size_t n)
{
	struct jt_node *t = root;

	for (size_t i = 0; i < n && t; i++)
		t = kid(t, words[i]);
	return t;
}

static int del_rec(struct jt_node *t, char *const *words, size_t n)
{
	for (size_t i = 0; i < t->n; i++) {
		struct jt_node *k = t->kids[i];
		int r;

		if (strcmp(k->word, words[0]))
			continue;
		if (n == 1) {
			remove_kid(t, i);
			return 1;
		}
		r = del_rec(k, words + 1, n - 1);
		if (r > 0 && k->n == 0)
			remove_kid(t, i);
		return r;
	}
	return 0;
}

int jt_delete(struct jt_node *root, char *const *words, size_t n)
{
	if (n == 0) {
		int any = root->n > 0;

		while (root->n)
			remove_kid(root, root->n - 1);
		return any;
	}
	return del_rec(root, words, n);
}

static bool plain_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.' || c == '/' || c == ':' || c == '*' || c == ',';
}

int jt_put_word(struct aclf_buf *out, const char *w)
{
	bool plain = *w != '\0';

	for (const char *p = w; *p && plain; p++)
		plain = plain_char(*p);
	if (plain)
		return aclf_buf_puts(out, w);
	if (aclf_buf_putc(out, '"') < 0)
		return -1;
	for (const char *p = w; *p; p++) {
		if ((*p == '"' || *p == '\\') && aclf_buf_putc(out, '\\') < 0)
			return -1;
		if (aclf_buf_putc(out, *p) < 0)
			return -1;
	}
	return aclf_buf_putc(out, '"');
}

struct pathv {
	char **v;
	size_t n, cap;
};

static int set_lines(const struct jt_node *t, struct pathv *p, struct aclf_buf *out)
{
	if (t->n == 0) {
		if (aclf_buf_puts(out, "set") < 0)
			return -1;
		for (size_t i = 0; i < p->n; i++)
			if (aclf_buf_putc(out, ' ') < 0 || jt_put_word(out, p->v[i]) < 0)
				return -1;
		return aclf_buf_puts(out, "\r\n");
	}
	for (size_t i = 0; i < t->n; i++) {
		if (p->n == p->cap) {
			size_t cap = p->cap ? p->cap * 2 : 16;
			char **v = realloc(p->v, cap * sizeof(*v));

			if (!v)
				return -1;
			p->v = v;
			p->cap = cap;
		}
		p->v[p->n++] = t->kids[i]->word;
		if (set_lines(t->kids[i], p, out) < 0)
			return -1;
		p->n--;
	}
	return 0;
}

int jt_display_set(const struct jt_node *t, char *const *prefix, size_t nprefix,
		   struct aclf_buf *out)
{
	struct pathv p = { NULL, 0, 0 };
	int rc = 0;

	if (t->n == 0 && nprefix == 0)
		return 0;
	for (size_t i = 0; i < nprefix && rc == 0; i++) {
		if (p.n == p.cap) {
			size_t cap = p.cap ? p.cap * 2 : 16;
			char **v = realloc(p.v, cap * sizeof(*v));

			if (!v) {
				rc = -1;
				break;
			}
			p.v = v;
			p.cap = cap;
		}
		p.v[p.n++] = prefix[i];
	}
	if (rc == 0)
		rc = set_lines(t, &p, out);
	free(p.v);
	return rc;
}

/* ---- curly text ---- */

/* One printed item: `label` is one or two words ("term r1"), node the
 * statement whose children make the body. */
struct item {
	const char *kw;          /* the keyword of a keyed pair, or NULL */
	const struct jt_node *node;
	bool keyed;
};

/* Keywords whose children are names printed with them: `filter X {`. */
static bool keyed(const char *w, const char *top)
{
	if (!strcmp(w, "family") || !strcmp(w, "term") || !strcmp(w, "unit"))
		return true;
	if (!strcmp(w, "filter") || !strcmp(w, "policer"))
		return top && !strcmp(top, "firewall");
	if (!strcmp(w, "prefix-list"))
		return top && !strcmp(top, "policy-options");
	return false;
}

/* Lists Junos prints as blocks even with one entry. */
static bool block_list(const char *w, const char *top)
{
	static const char *const l[] = { "source-address", "destination-address", "address",
					 "source-prefix-list", "destination-prefix-list", NULL };

	if (!strcmp(w, "prefix-list"))
		return top && !strcmp(top, "firewall");
	return in_list(l, w);
}

static size_t items_of(const struct jt_node *t, const char *top, struct item **out)
{
	size_t n = 0, cap = 0;
	struct item *v = NULL;

	for (size_t i = 0; i < t->n; i++) {
		const struct jt_node *k = t->kids[i];
		const char *tp = top ? top : k->word;

		if (keyed(k->word, tp) && k->n) {
			for (size_t j = 0; j < k->n; j++) {
				if (n == cap) {
					struct item *nv;

					cap = cap ? cap * 2 : 8;
					nv = realloc(v, cap * sizeof(*v));
					if (!nv) {
						free(v);
						*out = NULL;
						return (size_t)-1;
					}
					v = nv;
				}
				v[n++] = (struct item){ k->word, k->kids[j], true };
			}
			continue;
		}
		if (n == cap) {
			struct item *nv;

			cap = cap ? cap * 2 : 8;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				*out = NULL;
				return (size_t)-1;
			}
			v = nv;
		}
		v[n++] = (struct item){ NULL, k, false };
	}
	*out = v;
	return n;
}

static bool all_leaves(const struct jt_node *t)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->kids[i]->n)
			return false;
	return true;
}

static int indent(struct aclf_buf *out, unsigned depth)
{
	for (unsigned i = 0; i < depth; i++)
		if (aclf_buf_puts(out, "    ") < 0)
			return -1;
	return 0;
}

static int label(struct aclf_buf *out, const struct item *it)
{
	if (it->kw && (aclf_buf_puts(out, it->kw) < 0 || aclf_buf_putc(out, ' ') < 0))
		return -1;
	return jt_put_word(out, it->node->word);
}

static int curly_items(const struct jt_node *t, unsigned depth, const char *top,
		       struct aclf_buf *out);

/* One item with its body, at depth. */
static int curly_item(const struct item *it, unsigned depth, const char *top, struct aclf_buf *out)
{
	const struct jt_node *k = it->node;
	const char *tp = top ? top : k->word;

	if (indent(out, depth) < 0 || label(out, it) < 0)
		return -1;
	if (k->n == 0)
		return aclf_buf_puts(out, ";\r\n");
	if (!it->keyed && all_leaves(k) && !block_list(k->word, tp)) {
		if (k->n == 1) {
			if (aclf_buf_putc(out, ' ') < 0 || jt_put_word(out, k->kids[0]->word) < 0)
				return -1;
		} else {
			if (aclf_buf_puts(out, " [") < 0)
				return -1;
			for (size_t i = 0; i < k->n; i++)
				if (aclf_buf_putc(out, ' ') < 0 || jt_put_word(out, k->kids[i]->word) < 0)
					return -1;
			if (aclf_buf_puts(out, " ]") < 0)
				return -1;
		}
		return aclf_buf_puts(out, ";\r\n");
	}
	if (aclf_buf_puts(out, " {\r\n") < 0 || curly_items(k, depth + 1, tp, out) < 0 ||
	    indent(out, depth) < 0 || aclf_buf_puts(out, "}\r\n") < 0)
		return -1;
	return 0;
}

static int curly_items(const struct jt_node *t, unsigned depth, const char *top,
		       struct aclf_buf *out)
{
	struct item *v;
	size_t n = items_of(t, top, &v);
	int rc = 0;

	if (n == (size_t)-1)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = curly_item(&v[i], depth, top ? top : v[i].node->word, out);
	free(v);
	return rc;
}

int jt_curly(const struct jt_node *t, unsigned depth, char *const *ctx, size_t nctx,
	     struct aclf_buf *out)
{
	return curly_items(t, depth, nctx ? ctx[0] : NULL, out);
}

/* ---- show | compare ---- */

struct cmp {
	struct aclf_buf *out;
	char **path;
	size_t n;
	bool header;
};

static int header(struct cmp *c)
{
	if (c->header)
		return 0;
	c->header = true;
	if (aclf_buf_puts(c->out, "[edit") < 0)
		return -1;
	for (size_t i = 0; i < c->n; i++)
		if (aclf_buf_putc(c->out, ' ') < 0 || jt_put_word(c->out, c->path[i]) < 0)
			return -1;
	return aclf_buf_puts(c->out, "]\r\n");
}

/* the item's text at depth 1, every line marked */
static int marked(struct cmp *c, const struct item *it, const char *top, char mark)
{
	struct aclf_buf t = ACLF_BUF_INIT;
	int rc = -1;

	aclf_buf_init(&t, 0);
	if (header(c) < 0 || curly_item(it, 1, top, &t) < 0)
		goto out;
	for (char *p = t.buf; *p;) {
		char *e = strstr(p, "\r\n");
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (aclf_buf_putc(c->out, mark) < 0 || aclf_buf_add(c->out, p, len) < 0 ||
		    aclf_buf_puts(c->out, "\r\n") < 0)
			goto out;
		p += len + (e ? 2 : 0);
	}
	rc = 0;
out:
	aclf_buf_release(&t);
	return rc;
}

static const struct item *find_item(const struct item *v, size_t n, const struct item *it)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].node->word, it->node->word) &&
		    ((v[i].kw == NULL && it->kw == NULL) ||
		     (v[i].kw && it->kw && !strcmp(v[i].kw, it->kw))))
			return &v[i];
	return NULL;
}

static int cmp_rec(const struct jt_node *a, const struct jt_node *b, const char *top,
		   struct aclf_buf *out, char **path, size_t npath);

static int oneline(const struct item *it, const char *top)
{
	return !it->keyed && it->node->n && all_leaves(it->node) &&
	       !block_list(it->node->word, top ? top : it->node->word);
}

static int cmp_items(struct cmp *c, const struct jt_node *a, const struct jt_node *b,
		     const char *top)
{
	struct item *va = NULL, *vb = NULL;
	size_t na = items_of(a, top, &va), nb = (na == (size_t)-1) ? 0 : items_of(b, top, &vb);
	int rc = -1;

	if (na == (size_t)-1 || nb == (size_t)-1)
		goto out;
	for (size_t i = 0; i < na; i++) {
		const char *tp = top ? top : va[i].node->word;

		if (!find_item(vb, nb, &va[i]) && marked(c, &va[i], tp, '-') < 0)
			goto out;
	}
	for (size_t i = 0; i < nb; i++) {
		const char *tp = top ? top : vb[i].node->word;
		const struct item *o = find_item(va, na, &vb[i]);

		if (!o) {
			if (marked(c, &vb[i], tp, '+') < 0)
				goto out;
			continue;
		}
		if (jt_equal(o->node, vb[i].node))
			continue;
		if (oneline(o, tp) || oneline(&vb[i], tp) || !o->node->n || !vb[i].node->n) {
			if (marked(c, o, tp, '-') < 0 || marked(c, &vb[i], tp, '+') < 0)
				goto out;
			continue;
		}
		{
			char **p = realloc(c->path, (c->n + 2) * sizeof(*p));
			size_t n = c->n;

			if (!p)
				goto out;
			c->path = p;
			if (vb[i].kw)
				p[n++] = (char *)vb[i].kw;
			p[n++] = vb[i].node->word;
			if (cmp_rec(o->node, vb[i].node, tp, c->out, c->path, n) < 0)
				goto out;
		}
	}
	rc = 0;
out:
	free(va);
	free(vb);
	return rc;
}

static int cmp_rec(const struct jt_node *a, const struct jt_node *b, const char *top,
		   struct aclf_buf *out, char **path, size_t npath)
{
	struct cmp c = { out, NULL, npath, false };
	int rc;

	c.path = malloc((npath + 1) * sizeof(*c.path));
	if (!c.path)
		return -1;
	if (npath)
		memcpy(c.path, path, npath * sizeof(*path));
	rc = cmp_items(&c, a, b, top);
	free(c.path);
	return rc;
}

int jt_compare(const struct jt_node *a, const struct jt_node *b, struct aclf_buf *out)
{
	return cmp_rec(a, b, NULL, out, NULL, 0);
}
