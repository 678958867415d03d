/* Output pipes of Junos commands: `| display set`, `| compare`,
 * `| match RE`, `| except RE`, `| no-more`. */
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "emu_junos.h"

/* a pattern as typed, its quotes removed: `match "a b"` */
static char *pattern(const char *t)
{
	size_t l;

	while (*t == ' ')
		t++;
	l = strlen(t);
	if (l >= 2 && t[0] == '"' && t[l - 1] == '"')
		return strndup(t + 1, l - 2);
	return strdup(t);
}

/* Split "cmd | a | b" outside quotes; returns the command part (heap) or
 * NULL; *bad = column of a pipe Junos does not know. */
char *emu_junos_split_pipes(const char *line, struct pipes *p, long *bad)
{
	const char *bar = NULL;
	bool q = false;
	char *cmd;

	*bad = -1;
	for (const char *c = line; *c; c++) {
		if (*c == '"')
			q = !q;
		if (*c == '|' && !q) {
			bar = c;
			break;
		}
	}
	cmd = strndup(line, bar ? (size_t)(bar - line) : strlen(line));
	if (!cmd || !bar)
		return cmd;
	while (bar) {
		const char *start = bar + 1, *next = strchr(start, '|');
		size_t len = next ? (size_t)(next - start) : strlen(start);
		char seg[512];
		char *t = seg, *e;

		if (len >= sizeof(seg)) {
			*bad = (long)(start - line);
			return cmd;
		}
		memcpy(seg, start, len);
		seg[len] = '\0';
		while (*t == ' ')
			t++;
		for (e = t + strlen(t); e > t && e[-1] == ' '; e--)
			*--e = '\0';
		if (!strcmp(t, "display set")) {
			p->display_set = true;
		} else if (!strcmp(t, "compare")) {
			p->compare = true;
		} else if (!strcmp(t, "no-more")) {
			p->no_more = true;
		} else if (!strncmp(t, "match ", 6) && !p->match) {
			p->match = pattern(t + 6);
		} else if (!strncmp(t, "except ", 7) && !p->except) {
			p->except = pattern(t + 7);
		} else {
			*bad = (long)(t - seg + (start - line));
			return cmd;
		}
		bar = next;
	}
	return cmd;
}

/* `| match` / `| except`: a regular expression (Junos' own kind) when it
 * uses only simple operators (no bounded repetition, back references,
 * stacked or many repetition operators: those can make the regex engine
 * take minutes and gigabytes), else the text itself: an emulator must
 * keep answering. */
struct matcher {
	const char *text;
	regex_t re;
	bool regex;
};

static bool simple_regex(const char *p)
{
	unsigned ops = 0;
	bool prev_op = false;

	if (strlen(p) > 128)
		return false;
	for (; *p; p++) {
		bool op = *p == '*' || *p == '+' || *p == '?';

		if (*p == '{' || *p == '}' || *p == '\\' || (op && prev_op) || (op && ++ops > 8))
			return false;
		prev_op = op;
	}
	return true;
}

static void matcher_init(struct matcher *m, const char *pat)
{
	m->text = pat;
	m->regex = pat && simple_regex(pat) && regcomp(&m->re, pat, REG_EXTENDED | REG_NOSUB) == 0;
}

static bool matcher_hit(const struct matcher *m, const char *line)
{
	if (m->regex)
		return regexec(&m->re, line, 0, NULL, 0) == 0;
	return strstr(line, m->text) != NULL;
}

static void matcher_release(struct matcher *m)
{
	if (m->regex)
		regfree(&m->re);
}

int emu_junos_filter_lines(struct aclf_buf *text, const struct pipes *p, struct aclf_buf *out)
{
	struct matcher mm, me;
	int rc = -1;

	matcher_init(&mm, p->match);
	matcher_init(&me, p->except);
	for (char *l = text->buf; *l;) {
		char *e = strstr(l, "\r\n");
		size_t len = e ? (size_t)(e - l) : strlen(l);
		char save = l[len];
		bool keep;

		l[len] = '\0';
		keep = (!p->match || matcher_hit(&mm, l)) && (!p->except || !matcher_hit(&me, l));
		l[len] = save;
		if (keep && (aclf_buf_add(out, l, len) < 0 || aclf_buf_puts(out, "\r\n") < 0))
			goto out;
		l += len + (e ? 2 : 0);
	}
	rc = 0;
out:
	matcher_release(&mm);
	matcher_release(&me);
	return rc;
}
