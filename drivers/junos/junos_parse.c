/* The Junos parse entry: set or curly configuration, optionally followed by
 * `show firewall` output (counters become rule hits). The core rolls back
 * the device a failed parse added (aclf_driver_parse). */
#include <string.h>

#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "junos.h"

size_t junos_prompt_len(const char *p, size_t n)
{
	size_t i = 0, at = 0;

	for (; i < n && p[i] != ' ' && p[i] != '\t'; i++)
		if (p[i] == '@' && !at)
			at = i;
	if (!at || i < at + 3 || (p[i - 1] != '>' && p[i - 1] != '#'))
		return 0;
	while (i < n && (p[i] == ' ' || p[i] == '\t'))
		i++;
	return i < n && p[i] != '\r' ? i : 0; /* a prompt echoes a command */
}

/* The device's own name: system host-name, else the host of the first
 * prompt echoed ("user@HOST> ", "user@HOST:node0> "). 0 or -1 (memory). */
static int set_hostname(struct aclf_devpol *dp, struct aclf_policy *pol, const char *host,
			const char *text, size_t len)
{
	size_t pos = 0, hl = host ? strlen(host) : 0;

	while (!host && pos < len) {
		const char *p = text + pos, *nl = memchr(p, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - p) : len - pos, i = 0;
		pos += n + (nl ? 1 : 0);
		while (i < n && (p[i] == ' ' || p[i] == '\t'))
			i++;
		if (junos_prompt_len(p + i, n - i)) {
			const char *at = memchr(p + i, '@', n - i);
			host = at + 1;
			for (hl = 0; host[hl] != '>' && host[hl] != '#' && host[hl] != ':' && host[hl] != ' ';)
				hl++;
		}
	}
	if (host && hl && !(dp->hostname = aclf_arena_strndup(&pol->arena, host, hl)))
		return -1;
	return 0;
}

/* The first line that starts `show firewall` output, or len. */
static size_t counters_start(const char *text, size_t len)
{
	size_t pos = 0;

	while (pos < len) {
		const char *p = text + pos, *nl = memchr(p, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - p) : len - pos, i = 0;
		while (i < n && (p[i] == ' ' || p[i] == '\t'))
			i++;
		i += junos_prompt_len(p + i, n - i);
		if ((n - i >= 7 && !memcmp(p + i, "Filter:", 7)) ||
		    (n - i >= 13 && !memcmp(p + i, "show firewall", 13)))
			return pos;
		pos += n + (nl ? 1 : 0);
	}
	return len;
}

/* set form when the first line that says something starts with a verb */
static enum junos_format detect(const char *text, size_t len, bool *empty)
{
	static const char *const verbs[] = { "set ", "delete ", "deactivate ", "activate ", NULL };
	size_t pos = 0;

	*empty = true;
	while (pos < len) {
		const char *p = text + pos, *nl = memchr(p, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - p) : len - pos, i = 0;
		pos += n + (nl ? 1 : 0);
		while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r'))
			i++;
		if (i == n || p[i] == '#' || (n - i >= 5 && !memcmp(p + i, "show ", 5)) ||
		    junos_prompt_len(p + i, n - i) ||
		    (p[i] == '{' && memchr(p + i, '}', n - i) && !memchr(p + i, ' ', n - i)))
			continue;
		*empty = false;
		for (size_t k = 0; verbs[k]; k++) {
			size_t vl = strlen(verbs[k]);
			if (n - i >= vl && !memcmp(p + i, verbs[k], vl))
				return JUNOS_FMT_SET;
		}
		return JUNOS_FMT_CURLY;
	}
	return JUNOS_FMT_SET;
}

int junos_parse_text(const char *text, size_t len, const char *name, const char *label, bool strict,
		     enum junos_format fmt, struct aclf_policy *pol, struct aclf_devpol **out,
		     struct aclf_buf *report, struct aclf_err *err)
{
	struct junos_model m;
	struct junos_stmts st = { 0 };
	struct junos_cmap cmap;
	struct junos_counters ctr;
	struct aclf_devpol *dp = NULL;
	size_t split = counters_start(text, len);
	bool empty;
	int rc = -1;

	if (!name)
		name = "junos";
	/* positions in messages are the input's, never the device's name */
	if (!label || !*label)
		label = "<input>";
	junos_model_init(&m, label);
	m.strict = strict;
	junos_cmap_init(&cmap);
	junos_counters_init(&ctr);
	st.arena = &m.arena;
	if (fmt == JUNOS_FMT_AUTO)
		fmt = detect(text, split, &empty);
	else
		detect(text, split, &empty);
	if (empty) {
		if (split < len)
			aclf_err_at(err, label, 1, 1, "'show firewall' output without the configuration "
				    "it counts for");
		else
			aclf_err_at(err, label, 1, 1, "no junos configuration in the text");
		goto out;
	}
	if ((fmt == JUNOS_FMT_SET ? junos_set_to_stmts(text, split, label, &st, err)
				  : junos_curly_to_stmts(text, split, label, &st, err)) < 0)
		goto out;
	if (junos_model_load(&m, &st, err) < 0 || junos_model_build(&m, name, pol, &dp, &cmap, err) < 0)
		goto out;
	if (set_hostname(dp, pol, m.hostname, text, len) < 0) {
		aclf_err_nomem(err);
		goto out;
	}
	if (split < len) {
		/* counters after the configuration: line numbers continue */
		unsigned first = 1;
		for (size_t i = 0; i < split; i++)
			first += text[i] == '\n';
		if (junos_counters_parse_from(text + split, len - split, label, first, &ctr, err) < 0 ||
		    junos_counters_attach(dp, &ctr, &cmap, report, NULL, err) < 0)
			goto out;
	}
	*out = dp;
	rc = 0;
out:
	junos_counters_release(&ctr);
	junos_cmap_release(&cmap);
	junos_model_release(&m);
	return rc;
}
