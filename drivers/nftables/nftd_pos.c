/* Where each object of `nft -j list ruleset` starts, for messages: jansson
 * gives positions only for syntax errors, so the text it has read is
 * scanned once more for the elements of the top-level "nftables" array.
 * Lines and columns are 1-based; columns count characters, as jansson's
 * do. The text is valid JSON (jansson read it), but the scanner never
 * reads past its end whatever it holds. */
#include <string.h>

#include "aclforge/arena.h"
#include "nftables/nftd_parse.h"

struct scan {
	const char *s;
	size_t len, i;
	unsigned line, col; /* of the character at i */
};

static void adv(struct scan *c)
{
	unsigned char ch = (unsigned char)c->s[c->i++];

	if (ch == '\n') {
		c->line++;
		c->col = 1;
	} else if ((ch & 0xc0) != 0x80) {
		c->col++; /* UTF-8 continuation bytes are not characters */
	}
}

static void skip_ws(struct scan *c)
{
	while (c->i < c->len && strchr(" \t\r\n", c->s[c->i]) && c->s[c->i])
		adv(c);
}

/* c->i on '"': past the closing quote */
static void skip_string(struct scan *c)
{
	adv(c);
	while (c->i < c->len && c->s[c->i] != '"') {
		if (c->s[c->i] == '\\' && c->i + 1 < c->len)
			adv(c);
		adv(c);
	}
	if (c->i < c->len)
		adv(c);
}

/* past one value: a string, a nested object or array, or a bare word */
static void skip_value(struct scan *c)
{
	size_t depth = 0;

	do {
		if (c->i >= c->len)
			return;
		switch (c->s[c->i]) {
		case '"':
			skip_string(c);
			continue;
		case '{':
		case '[':
			depth++;
			break;
		case '}':
		case ']':
			if (depth == 0)
				return; /* the end of the enclosing container */
			depth--;
			break;
		case ',':
			if (depth == 0)
				return;
			break;
		default:
			break;
		}
		adv(c);
	} while (depth > 0 || (c->i < c->len && !strchr(",}] \t\r\n", c->s[c->i])));
}

int nftd_json_positions(const char *text, size_t len, struct aclf_arena *a, struct nftd_pos **out,
			size_t *n)
{
	struct scan c = { .s = text, .len = len, .line = 1, .col = 1 };
	size_t cap = 0;

	*out = NULL;
	*n = 0;
	skip_ws(&c);
	if (c.i >= len || text[c.i] != '{')
		return 0;
	adv(&c);
	for (;;) {
		size_t k0, k1;
		skip_ws(&c);
		if (c.i >= len || text[c.i] != '"')
			return 0;
		k0 = c.i;
		skip_string(&c);
		k1 = c.i;
		skip_ws(&c);
		if (c.i >= len || text[c.i] != ':')
			return 0;
		adv(&c);
		skip_ws(&c);
		if (k1 - k0 == 10 && !memcmp(text + k0, "\"nftables\"", 10) && c.i < len && text[c.i] == '[') {
			adv(&c);
			for (;;) {
				skip_ws(&c);
				if (c.i >= len || text[c.i] == ']')
					return 0;
				if (aclf_arena_grow(a, (void **)out, *n, &cap, sizeof(**out)) < 0)
					return -1;
				(*out)[*n].line = c.line;
				(*out)[*n].col = c.col;
				(*n)++;
				skip_value(&c);
				skip_ws(&c);
				if (c.i >= len || text[c.i] != ',')
					return 0;
				adv(&c);
			}
		}
		skip_value(&c);
		skip_ws(&c);
		if (c.i >= len || text[c.i] != ',')
			return 0;
		adv(&c);
	}
}
