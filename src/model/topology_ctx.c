/* The topology loader's context: errors collected with their position
 * (reported sorted by position when the load ends), the out-of-memory flag,
 * allocation in the topology's arena, and releasing what the load kept on
 * the heap. The bottom layer of topology_*.c: it calls none of them. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/arena.h"
#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "topology_int.h"

/* ---- error collection ---- */

static int add_msg(struct topo_ctx *c, unsigned line, unsigned col, const char *text, size_t len)
{
	struct topo_msg *m;
	char *s;

	c->nerrors++;
	if (c->nmsgs >= TOPO_MAX_ERRORS)
		return -1;
	if (c->nmsgs == c->msgcap) {
		size_t nc = c->msgcap ? c->msgcap * 2 : 16;
		struct topo_msg *nv = realloc(c->msgs, nc * sizeof(*nv));
		if (!nv) {
			c->nomem = true;
			return -1;
		}
		c->msgs = nv;
		c->msgcap = nc;
	}
	s = malloc(len + 1);
	if (!s) {
		c->nomem = true;
		return -1;
	}
	/* one message, one line: control characters from the input are masked */
	for (size_t i = 0; i < len; i++)
		s[i] = ((unsigned char)text[i] < 0x20 || text[i] == 0x7f) ? '?' : text[i];
	s[len] = '\0';
	m = &c->msgs[c->nmsgs];
	m->line = line;
	m->col = col;
	m->seq = c->nmsgs;
	m->text = s;
	c->nmsgs++;
	return -1;
}

int topo_err(struct topo_ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	struct aclf_buf b = ACLF_BUF_INIT;
	va_list ap;

	if (c->nmsgs >= TOPO_MAX_ERRORS) {
		c->nerrors++; /* counted, not printed */
		return -1;
	}
	aclf_buf_init(&b, 0);
	va_start(ap, fmt);
	if (aclf_buf_vprintf(&b, fmt, ap) < 0)
		c->nomem = true;
	va_end(ap);
	add_msg(c, n ? aclf_ynode_line(n) : 1, n ? aclf_ynode_col(n) : 1, b.buf, b.len);
	aclf_buf_release(&b);
	return -1;
}

int topo_nomem(struct topo_ctx *c)
{
	c->nomem = true;
	return -1;
}

static const char *file_name(const struct topo_ctx *c)
{
	return c->d->file ? c->d->file : "<input>";
}

/* Parse "L:C: " after the file name prefix. Returns the text start or NULL. */
static const char *parse_pos(const char *p, unsigned *line, unsigned *col)
{
	char *end;
	unsigned long l, k;

	if (*p < '0' || *p > '9')
		return NULL;
	l = strtoul(p, &end, 10);
	if (*end != ':' || end[1] < '0' || end[1] > '9')
		return NULL;
	k = strtoul(end + 1, &end, 10);
	if (end[0] != ':' || end[1] != ' ')
		return NULL;
	*line = (unsigned)l;
	*col = (unsigned)k;
	return end + 2;
}

/* Move the "file:line:col: text" lines of a scratch error into c. Lines are
 * split where the next "\nfile:" begins, so a message that quotes input with
 * a newline stays one message. */
int topo_absorb(struct topo_ctx *c, struct aclf_err *s)
{
	const char *file = file_name(c);
	size_t flen = strlen(file);
	const char *p = s->msg.buf;

	if (s->kind == ACLF_E_NOMEM)
		c->nomem = true;
	while (p && *p) {
		const char *next = p, *text = p;
		unsigned line = 0, col = 0;
		size_t len;

		for (;;) {
			next = strchr(next + 1, '\n');
			if (!next || (!strncmp(next + 1, file, flen) && next[1 + flen] == ':'))
				break;
		}
		len = next ? (size_t)(next - p) : strlen(p);
		if (len > flen && !strncmp(p, file, flen) && p[flen] == ':') {
			const char *t = parse_pos(p + flen + 1, &line, &col);
			if (t && (size_t)(t - p) <= len)
				text = t;
		}
		add_msg(c, line, col, text, len - (size_t)(text - p));
		p = next ? next + 1 : NULL;
	}
	aclf_err_release(s);
	return -1;
}

/* ---- allocation in the topology's arena ---- */

char *topo_strdup(struct topo_ctx *c, const char *s)
{
	char *r = aclf_arena_strdup(&c->t->arena, s);

	if (!r)
		c->nomem = true;
	return r;
}

void *topo_alloc(struct topo_ctx *c, size_t n, size_t size)
{
	void *p;

	if (n && size > ((size_t)-1) / n)
		return topo_nomem(c), NULL;
	p = aclf_arena_alloc(&c->t->arena, n * size);
	if (!p)
		c->nomem = true;
	return p;
}

/* ---- the end of a load ---- */

static int msg_cmp(const void *a, const void *b)
{
	const struct topo_msg *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void topo_ctx_flush(struct topo_ctx *c, struct aclf_err *err)
{
	const char *file = file_name(c);

	if (c->nomem)
		aclf_err_set(err, ACLF_E_NOMEM, "%s: out of memory", file);
	if (c->nmsgs)
		qsort(c->msgs, c->nmsgs, sizeof(*c->msgs), msg_cmp);
	for (size_t i = 0; i < c->nmsgs; i++)
		aclf_err_at(err, file, c->msgs[i].line, c->msgs[i].col, "%s", c->msgs[i].text);
	if (c->nerrors > c->nmsgs)
		aclf_err_set(err, ACLF_E_INPUT, "%s: %zu more errors not shown", file,
			     c->nerrors - c->nmsgs);
}

void topo_ctx_release(struct topo_ctx *c)
{
	for (size_t i = 0; i < c->nmsgs; i++)
		free(c->msgs[i].text);
	free(c->msgs);
	c->msgs = NULL;
	c->nmsgs = c->msgcap = 0;
	free(c->claims);
	free(c->pool_ix);
	free(c->net_ix);
	free(c->srv_ix);
	c->claims = NULL;
	c->pool_ix = c->net_ix = c->srv_ix = NULL;
	c->nclaims = c->claimcap = c->npool_ix = c->nnet_ix = c->nsrv_ix = 0;
}
