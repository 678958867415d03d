/* Junos statement text: words (quoted strings, `[ lists ]`) with the
 * column each starts at, and a light schema for the hierarchies aclforge
 * writes (firewall, policy-options, interfaces) so that a mistyped keyword
 * or a bad prefix gets Junos' caret and `syntax error.`; other top-level
 * hierarchies are taken as they come. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "emu_junos.h"

void jst_release(struct jst *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].w);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int push(struct jst *s, const char *w, size_t len, size_t col, bool open, bool close)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct jst_word *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n].w = strndup(w, len);
	if (!s->v[s->n].w)
		return -1;
	s->v[s->n].col = col;
	s->v[s->n].open = open;
	s->v[s->n].close = close;
	s->n++;
	return 0;
}

int jst_split(const char *line, struct jst *s, size_t *bad)
{
	const char *p = line;

	while (*p) {
		size_t col = (size_t)(p - line);

		if (*p == ' ' || *p == '\t') {
			p++;
			continue;
		}
		if (*p == '[' || *p == ']') {
			if (push(s, p, 1, col, *p == '[', *p == ']') < 0)
				return -2;
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
					return -2;
				}
			}
			if (!*p) {
				aclf_buf_release(&w);
				*bad = col;
				return -1;
			}
			p++;
			if (push(s, w.buf, w.len, col, false, false) < 0) {
				aclf_buf_release(&w);
				return -2;
			}
			aclf_buf_release(&w);
			continue;
		}
		{
			const char *e = p;

			while (*e && *e != ' ' && *e != '\t' && *e != '[' && *e != ']' && *e != '"')
				e++;
			if (push(s, p, (size_t)(e - p), col, false, false) < 0)
				return -2;
			p = e;
		}
	}
	return 0;
}

static bool is_prefix(const char *w)
{
	char a[64];
	const char *slash = strchr(w, '/');
	size_t len = slash ? (size_t)(slash - w) : strlen(w);
	unsigned char bin[16];
	long max;

	if (len == 0 || len >= sizeof(a))
		return false;
	memcpy(a, w, len);
	a[len] = '\0';
	if (inet_pton(AF_INET, a, bin) == 1)
		max = 32;
	else if (inet_pton(AF_INET6, a, bin) == 1)
		max = 128;
	else
		return false;
	if (slash) {
		char *end;
		long l;

		if (slash[1] < '0' || slash[1] > '9')
			return false;
		l = strtol(slash + 1, &end, 10);
		if (*end || l > max)
			return false;
	}
	return true;
}

static bool one_of(const char *w, const char *const *l)
{
	for (; *l; l++)
		if (!strcmp(*l, w))
			return true;
	return false;
}

static const char *const top_words[] = {
	"system", "interfaces", "firewall", "policy-options", "protocols", "routing-options",
	"snmp", "security", "chassis", "groups", "apply-groups", "version", "services", "vlans",
	"routing-instances", "forwarding-options", "class-of-service", "event-options",
	"access", "applications", "schedulers", NULL,
};
static const char *const families[] = {
	"inet", "inet6", "any", "ethernet-switching", "bridge", "mpls", "vpls", "ccc", "iso", NULL,
};
static const char *const filter_words[] = {
	"term", "interface-specific", "fast-lookup-filter", "physical-interface-filter",
	"instance-shared", "enhanced-mode", "accounting-profile", NULL,
};
static const char *const addr_conds[] = {
	"source-address", "destination-address", "address", NULL,
};
static const char *const name_conds[] = {
	"source-prefix-list", "destination-prefix-list", "prefix-list", "protocol",
	"next-header", "payload-protocol", "source-port", "destination-port", "port",
	"source-port-except", "destination-port-except", "port-except", "icmp-type",
	"icmp-code", "icmp-type-except", "fragment-offset", "packet-length", "dscp",
	"tcp-flags", "protocol-except", "interface", "source-class", "destination-class",
	"ttl", "forwarding-class", "loss-priority", "precedence", "traffic-class", NULL,
};
static const char *const bare_conds[] = {
	"tcp-established", "tcp-initial", "is-fragment", "first-fragment",
	"source-port-range-optimize", "destination-port-range-optimize", NULL,
};
static const char *const bare_actions[] = {
	"accept", "discard", "log", "syslog", "sample", "port-mirror", "packet-mode", NULL,
};
static const char *const value_actions[] = {
	"count", "policer", "routing-instance", "forwarding-class", "loss-priority", "dscp",
	"traffic-class", "next", "next-ip", "next-ip6", NULL,
};
static const char *const filter_dirs[] = { "input", "output", "input-list", "output-list", NULL };

#define BAD(i, w)            \
	do {                 \
		*what = (w); \
		return (long)(i); \
	} while (0)

static long check_term(char *const *w, size_t n, size_t i, const char **what)
{
	/* w[i] is the word after the term's name */
	if (i >= n)
		return -1;
	if (!strcmp(w[i], "from")) {
		if (++i >= n)
			return -1;
		if (one_of(w[i], addr_conds)) {
			if (i + 1 >= n)
				BAD(n, "missing argument");
			if (!is_prefix(w[i + 1]))
				BAD(i + 1, "syntax error");
			if (i + 2 < n && (strcmp(w[i + 2], "except") || i + 3 < n))
				BAD(i + 2, "syntax error");
			return -1;
		}
		if (one_of(w[i], name_conds)) {
			if (i + 1 >= n)
				BAD(n, "missing argument");
			if (i + 2 < n && (strcmp(w[i + 2], "except") || i + 3 < n))
				BAD(i + 2, "syntax error");
			return -1;
		}
		if (one_of(w[i], bare_conds)) {
			if (i + 1 < n)
				BAD(i + 1, "syntax error");
			return -1;
		}
		BAD(i, "syntax error");
	}
	if (!strcmp(w[i], "then")) {
		if (++i >= n)
			return -1;
		if (one_of(w[i], bare_actions)) {
			if (i + 1 < n)
				BAD(i + 1, "syntax error");
			return -1;
		}
		if (!strcmp(w[i], "reject")) {
			if (i + 2 < n)
				BAD(i + 2, "syntax error");
			return -1;
		}
		if (one_of(w[i], value_actions)) {
			if (i + 1 >= n)
				BAD(n, "missing argument");
			if (i + 2 < n)
				BAD(i + 2, "syntax error");
			return -1;
		}
		BAD(i, "syntax error");
	}
	if (!strcmp(w[i], "filter")) {
		if (i + 1 >= n)
			BAD(n, "missing argument");
		return -1;
	}
	BAD(i, "syntax error");
}

static long check_firewall(char *const *w, size_t n, const char **what)
{
	size_t i = 1;

	if (i >= n)
		return -1;
	if (!strcmp(w[i], "family")) {
		if (++i >= n)
			BAD(n, "missing argument");
		if (!one_of(w[i], families))
			BAD(i, "syntax error");
		if (++i >= n)
			return -1;
		if (strcmp(w[i], "filter") && strcmp(w[i], "simple-filter") &&
		    strcmp(w[i], "service-filter"))
			BAD(i, "syntax error");
	} else if (!strcmp(w[i], "policer") || !strcmp(w[i], "interface-set") ||
		   !strcmp(w[i], "load-balance-group")) {
		return -1;
	} else if (strcmp(w[i], "filter")) {
		BAD(i, "syntax error");
	}
	/* w[i] = filter */
	if (++i >= n)
		BAD(n, "missing argument");
	if (++i >= n)
		return -1;
	if (!one_of(w[i], filter_words))
		BAD(i, "syntax error");
	if (strcmp(w[i], "term")) {
		if (!strcmp(w[i], "accounting-profile"))
			return i + 1 >= n ? (*what = "missing argument", (long)n) : -1;
		if (i + 1 < n)
			BAD(i + 1, "syntax error");
		return -1;
	}
	if (++i >= n)
		BAD(n, "missing argument");
	return check_term(w, n, i + 1, what);
}

static long check_policy(char *const *w, size_t n, const char **what)
{
	if (n < 2)
		return -1;
	if (strcmp(w[1], "prefix-list"))
		return one_of(w[1], (const char *const[]){ "policy-statement", "community",
							  "as-path", "condition", NULL })
			       ? -1
			       : (*what = "syntax error", 1);
	if (n < 3)
		BAD(n, "missing argument");
	if (n < 4)
		return -1;
	if (!strcmp(w[3], "apply-path")) {
		if (n < 5)
			BAD(n, "missing argument");
		return -1;
	}
	if (!is_prefix(w[3]))
		BAD(3, "syntax error");
	if (n > 4)
		BAD(4, "syntax error");
	return -1;
}

static long check_interfaces(char *const *w, size_t n, const char **what)
{
	size_t i;

	if (n < 3)
		return -1;
	if (strcmp(w[2], "unit"))
		return -1;
	if (n < 4)
		BAD(n, "missing argument");
	for (const char *p = w[3]; *p; p++)
		if (*p < '0' || *p > '9')
			BAD(3, "syntax error");
	if (n < 5 || strcmp(w[4], "family"))
		return -1;
	if (n < 6)
		BAD(n, "missing argument");
	if (!one_of(w[5], families))
		BAD(5, "syntax error");
	i = 6;
	if (i >= n)
		return -1;
	if (!strcmp(w[i], "filter")) {
		if (++i >= n)
			return -1;
		if (!one_of(w[i], filter_dirs))
			BAD(i, "syntax error");
		if (++i >= n)
			BAD(n, "missing argument");
		if (i + 1 < n && strncmp(w[i - 1], "input-list", 10) && strcmp(w[i - 1], "output-list"))
			BAD(i + 1, "syntax error");
		return -1;
	}
	if (!strcmp(w[i], "address")) {
		if (++i >= n)
			BAD(n, "missing argument");
		if (!is_prefix(w[i]))
			BAD(i, "syntax error");
	}
	return -1;
}

long jst_check(char *const *words, size_t n, const char **what)
{
	*what = "syntax error";
	if (n == 0)
		BAD(0, "missing argument");
	if (!one_of(words[0], top_words))
		BAD(0, "syntax error");
	if (!strcmp(words[0], "firewall"))
		return check_firewall(words, n, what);
	if (!strcmp(words[0], "policy-options"))
		return check_policy(words, n, what);
	if (!strcmp(words[0], "interfaces"))
		return check_interfaces(words, n, what);
	return -1;
}

int jst_expand(const struct jst *s, size_t first, char *const *pre, size_t npre,
	       int (*fn)(void *ctx, char *const *w, size_t n), void *ctx)
{
	size_t open = s->n, close = s->n, nw = 0;
	char **w;
	int rc = 0;

	for (size_t i = first; i < s->n; i++)
		if (s->v[i].open && open == s->n)
			open = i;
		else if (s->v[i].close && open < s->n && close == s->n)
			close = i;
	w = malloc((npre + s->n + 1) * sizeof(*w));
	if (!w)
		return -1;
	for (size_t i = 0; i < npre; i++)
		w[nw++] = pre[i];
	if (open == s->n) {
		for (size_t i = first; i < s->n; i++)
			w[nw++] = s->v[i].w;
		rc = fn(ctx, w, nw);
		free(w);
		return rc;
	}
	for (size_t i = first; i < open; i++)
		w[nw++] = s->v[i].w;
	for (size_t v = open + 1; v < close && rc == 0; v++) {
		size_t k = nw;

		w[k++] = s->v[v].w;
		for (size_t i = close + 1; i < s->n; i++)
			w[k++] = s->v[i].w;
		rc = fn(ctx, w, k);
	}
	free(w);
	return rc;
}
