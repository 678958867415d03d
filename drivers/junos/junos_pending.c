/* Whether `show system commit` says a commit confirmed waits for its
 * confirmation (README.md here, "Apply", "someone else's commit
 * confirmed"). The newest commit is entry 0:
 *
 *   0   2026-09-20 23:16:51 UTC by admin via cli commit confirmed, rollback in 2mins
 *       rollback pending
 *   1   2026-09-20 23:10:02 UTC by admin via cli
 *
 * followed, indented, by its commit comment when it has one and by
 * `rollback pending` while the device's timer runs. The `commit confirmed,
 * rollback in Nmins` text stays on an entry after it was confirmed, so it
 * alone says nothing; only `rollback pending` under entry 0 does. An
 * entry's number may be right-aligned; a line that is no entry belongs to
 * the entry above it. */
#include <string.h>

#include "aclforge/buf.h"
#include "junos.h"

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* the line [l, l + n) without its leading and trailing blanks */
static void trim(const char **l, size_t *n)
{
	while (*n && blank(**l)) {
		(*l)++;
		(*n)--;
	}
	while (*n && blank((*l)[*n - 1]))
		(*n)--;
}

/* An entry's first line: its number, blanks, the date ("0   2026-..."),
 * the number maybe right-aligned; `rescue  2026-...` too. Sets *zero for
 * entry 0. */
static bool entry_line(const char *t, size_t n, bool *zero)
{
	size_t i = 0;

	if (n > 6 && !memcmp(t, "rescue", 6) && blank(t[6])) {
		*zero = false;
		return true;
	}
	while (i < n && t[i] >= '0' && t[i] <= '9')
		i++;
	if (!i || i == n || !blank(t[i]))
		return false;
	*zero = i == 1 && t[0] == '0';
	while (i < n && blank(t[i]))
		i++;
	return i < n && t[i] >= '0' && t[i] <= '9';
}

int junos_commit_pending(const char *text, size_t len, struct aclf_buf *words)
{
	const char *end = text + len;
	bool in0 = false, pending = false;
	size_t start = words->len;

	for (const char *l = text; l < end;) {
		const char *e = memchr(l, '\n', (size_t)(end - l));
		const char *t = l;
		size_t tn = e ? (size_t)(e - l) : (size_t)(end - l);
		bool zero = false;

		l = e ? e + 1 : end;
		trim(&t, &tn);
		if (!tn)
			continue;
		if (entry_line(t, tn, &zero)) {
			if (in0)
				break; /* the entry after entry 0 */
			if (!zero)
				continue;
			in0 = true;
			if (aclf_buf_add(words, t, tn) < 0)
				return -1;
			continue;
		}
		if (!in0)
			continue;
		/* a line of entry 0: its comment, `rollback pending` */
		if (tn == strlen("rollback pending") && !memcmp(t, "rollback pending", tn))
			pending = true;
		if (aclf_buf_puts(words, " / ") < 0 || aclf_buf_add(words, t, tn) < 0)
			return -1;
	}
	if (!pending)
		aclf_buf_truncate(words, start);
	return pending ? 1 : 0;
}

/* Entry 0's words (junos_commit_pending: "ENTRY / LINE / ..."): whether
 * the entry is someone else's, by what the device shows. Without the mark,
 * it is when it has a comment line other than `rollback pending`, or
 * when its "by USER via" names another user than the prompt's. A release
 * that printed no comment lines would show our own entry as ours (same
 * user, no comment); another session of our own user is then not told
 * apart. */
bool junos_commit_foreign(const char *w, const char *mark, const char *prompt)
{
	const char *by = strstr(w, " by "), *seg, *at;
	size_t ulen;

	if (strstr(w, mark))
		return false;
	prompt += strspn(prompt, "\r\n ");
	at = strchr(prompt, '@');
	ulen = at ? (size_t)(at - prompt) : 0;
	for (seg = strstr(w, " / "); seg; seg = strstr(seg, " / ")) {
		seg += 3;
		if (strncmp(seg, "rollback pending", 16) || (seg[16] && strncmp(seg + 16, " / ", 3)))
			return true; /* a comment that is not our mark */
	}
	return !by || !ulen || strncmp(by + 4, prompt, ulen) || strncmp(by + 4 + ulen, " via ", 5);
}
