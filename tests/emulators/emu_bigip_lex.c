/* tmsh words: bare words, "quoted strings" (backslash escapes kept as the
 * character they escape), braces; and the split of `tmsh -c` text into
 * its commands at ';' or newlines outside quotes and braces. */
#include <stdlib.h>
#include <string.h>

#include "emu_bigip.h"

void bw_release(struct bwords *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->v[i].w);
	free(b->v);
	memset(b, 0, sizeof(*b));
}

static int push(struct bwords *b, const char *w, size_t len, char brace)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 32;
		struct bw *v = realloc(b->v, cap * sizeof(*v));

		if (!v)
			return -1;
		b->v = v;
		b->cap = cap;
	}
	b->v[b->n].w = NULL;
	b->v[b->n].brace = brace;
	if (!brace && !(b->v[b->n].w = strndup(w, len)))
		return -1;
	b->n++;
	return 0;
}

int bw_split(const char *t, struct bwords *b)
{
	const char *p = t;

	while (*p) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			p++;
			continue;
		}
		if (*p == '{' || *p == '}') {
			if (push(b, NULL, 0, *p) < 0)
				return -1;
			p++;
			continue;
		}
		if (*p == '"') {
			struct aclf_buf w = ACLF_BUF_INIT;

			aclf_buf_init(&w, 0);
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				if (aclf_buf_putc(&w, *p) < 0) {
					aclf_buf_release(&w);
					return -1;
				}
			}
			if (!*p) {
				aclf_buf_release(&w);
				return 1;
			}
			p++;
			if (push(b, w.buf, w.len, 0) < 0) {
				aclf_buf_release(&w);
				return -1;
			}
			aclf_buf_release(&w);
			continue;
		}
		{
			const char *e = p;

			while (*e && !strchr(" \t\r\n{}\"", *e))
				e++;
			if (push(b, p, (size_t)(e - p), 0) < 0)
				return -1;
			p = e;
		}
	}
	return 0;
}

int bw_commands(const char *text, int (*fn)(void *ctx, const char *cmd), void *ctx)
{
	size_t len = strlen(text), start = 0;
	int depth = 0;
	bool q = false;

	for (size_t i = 0; i <= len; i++) {
		char c = text[i];

		if (q) {
			if (c == '\\' && text[i + 1])
				i++;
			else if (c == '"')
				q = false;
			if (c != '\0')
				continue;
		}
		if (c == '"') {
			q = true;
			continue;
		}
		if (c == '{')
			depth++;
		else if (c == '}' && depth > 0)
			depth--;
		if (c == '\0' || ((c == ';' || c == '\n') && depth == 0)) {
			char *cmd = strndup(text + start, i - start);
			const char *p;
			int r = 0;

			if (!cmd)
				return -1;
			for (p = cmd; *p == ' ' || *p == '\t' || *p == '\r'; p++)
				;
			if (*p)
				r = fn(ctx, cmd);
			free(cmd);
			if (r)
				return r;
			start = i + 1;
		}
	}
	return 0;
}
