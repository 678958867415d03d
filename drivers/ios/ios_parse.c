/* Parse IOS device text: `show running-config` (classic IOS without
 * sequence numbers, IOS-XE with them, whole or just the ACL part) and
 * `show access-lists` / `show ip access-lists` / `show ipv6 access-list`
 * output. Lines are read one by one into sections:
 *
 *   ip access-list extended|standard NAME   (config, indented entries)
 *   ipv6 access-list NAME
 *   access-list N ...                       (numbered, one line each)
 *   Extended|Standard IP access list NAME   (show output)
 *   IPv6 access list NAME
 *   object-group network|service|v6-network|v6-service NAME
 *   interface NAME   (ip access-group / ipv6 traffic-filter)
 *
 * and the deletions a plan writes (ios_plan.c), applied in order as IOS
 * does: `no ip access-list extended|standard NAME`, `no ipv6 access-list
 * NAME`, `no access-list N`, `no object-group KIND NAME`, and inside an
 * interface `no ip access-group [NAME] in|out`, `no ipv6 traffic-filter
 * [NAME] in|out`. Deleting what is not there changes nothing.
 *
 * Everything else outside these sections is skipped (a running-config has
 * much more; text without any access list is a device without filters).
 * Inside an access list, a line that is not an entry is an
 * error naming the line, so truncated or garbled text never yields a
 * partial policy. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ios_parse.h"

enum sect {
	S_NONE,
	S_ACL,
	S_OG,
	S_IFACE,
	S_SKIP,
};

struct pstate {
	struct ios_model *m;
	enum sect sect;
	size_t idx;          /* the ACL or object-group of the section */
	const char *iface;
};

static bool eq(const struct ios_line *l, size_t i, const char *w)
{
	return i < l->n && strcasecmp(l->t[i].s, w) == 0;
}

static bool is_number(const char *s)
{
	unsigned long v;

	return ios_parse_uint(s, 4294967295UL, &v) == 0;
}

/* a line that belongs to the access list being read */
static bool entry_word(const struct ios_line *l)
{
	const char *s = l->t[0].s;

	return !strcasecmp(s, "permit") || !strcasecmp(s, "deny") || !strcasecmp(s, "remark") ||
	       !strcasecmp(s, "sequence") || !strcasecmp(s, "dynamic") ||
	       !strcasecmp(s, "evaluate") || is_number(s);
}

static struct ios_acl *acl_open(struct pstate *ps, const struct ios_line *l, size_t name_at,
				enum ios_acl_kind kind, bool show)
{
	struct ios_model *m = ps->m;
	const char *name = l->t[name_at].s;
	uint8_t fam = kind == IOS_ACL_V6 ? 6 : 4;
	struct ios_acl *a;
	long i = ios_acl_index(m, fam, name);

	if (i >= 0) {
		a = &m->acls[i];
		if (a->kind != kind) {
			ios_perr(m, l->no, l->t[name_at].col,
				 "access list '%s' is already a %s list", name,
				 a->kind == IOS_ACL_STANDARD ? "standard" : "extended");
			return NULL;
		}
		ps->idx = (size_t)i;
		return a;
	}
	if (aclf_arena_grow(m->a, (void **)&m->acls, m->nacls, &m->acls_cap, sizeof(*m->acls)) < 0) {
		aclf_err_nomem(m->err);
		return NULL;
	}
	if (!(name = ios_keep(m, name)))
		return NULL;
	ps->idx = m->nacls;
	a = &m->acls[m->nacls++];
	memset(a, 0, sizeof(*a));
	a->name = name;
	a->kind = kind;
	a->family = fam;
	a->show = show;
	a->line = l->no;
	ios_acl_added(m);
	return a;
}

static int open_section(struct pstate *ps, const struct ios_line *l, size_t name_at,
			enum ios_acl_kind kind, bool show)
{
	if (name_at >= l->n)
		return ios_perr(ps->m, l->no, (unsigned)strlen(l->raw) + 1,
				"access list header without a name");
	if (!acl_open(ps, l, name_at, kind, show))
		return -1;
	ps->sect = S_ACL;
	return 0;
}

/* "Extended IP access list NAME", "Standard IP access list NAME",
 * "IPv6 access list NAME [(per-user)]", "Extended MAC access list NAME" */
static int show_header(struct pstate *ps, const struct ios_line *l, bool *done)
{
	size_t k;
	enum ios_acl_kind kind;

	*done = false;
	for (k = 0; k + 1 < l->n; k++)
		if (eq(l, k, "access") && eq(l, k + 1, "list"))
			break;
	if (k + 1 >= l->n || k == 0 || k > 2 || l->t[0].s[0] < 'A' || l->t[0].s[0] > 'Z')
		return 0;
	*done = true;
	if (k == 2 && eq(l, 0, "Extended") && eq(l, 1, "IP"))
		kind = IOS_ACL_EXTENDED;
	else if (k == 2 && eq(l, 0, "Standard") && eq(l, 1, "IP"))
		kind = IOS_ACL_STANDARD;
	else if (k == 1 && eq(l, 0, "IPv6"))
		kind = IOS_ACL_V6;
	else if (k == 2 && eq(l, 1, "MAC")) {
		ps->sect = S_SKIP;
		return 0;
	} else
		return ios_perr(ps->m, l->no, 1, "unsupported access list type '%.*s'",
				(int)(l->t[k].col - 2), l->raw);
	if (k + 3 < l->n && !(k + 4 == l->n && l->t[k + 3].s[0] == '('))
		return ios_perr(ps->m, l->no, l->t[k + 3].col, "unexpected '%s' after access list name",
				l->t[k + 3].s);
	return open_section(ps, l, k + 2, kind, true);
}

/* "Extended IP access list", "IPv6 access list", ...: a capitalised word,
 * then "access list" as the second or third word */
static bool looks_like_show_header(const struct ios_line *l)
{
	if (l->t[0].s[0] < 'A' || l->t[0].s[0] > 'Z')
		return false;
	return (eq(l, 1, "access") && eq(l, 2, "list")) || (eq(l, 2, "access") && eq(l, 3, "list"));
}

/* access-list N ... (numbered lists, one entry per line) */
static int numbered(struct pstate *ps, const struct ios_line *l)
{
	struct ios_model *m = ps->m;
	unsigned long n;
	enum ios_acl_kind kind;
	struct ios_acl *a;

	if (l->n < 2)
		return 0;
	if (ios_parse_uint(l->t[1].s, 99999, &n) < 0) {
		if (eq(l, 2, "extended") || eq(l, 2, "standard") || eq(l, 2, "permit") ||
		    eq(l, 2, "deny") || eq(l, 2, "remark"))
			return ios_perr(m, l->no, l->t[1].col,
					"'access-list %s %s' is not ios syntax: named lists use 'ip access-list'",
					l->t[1].s, l->t[2].s);
		return 0; /* access-list compiled, dynamic-extended, ... */
	}
	if ((n >= 1 && n <= 99) || (n >= 1300 && n <= 1999))
		kind = IOS_ACL_STANDARD;
	else if ((n >= 100 && n <= 199) || (n >= 2000 && n <= 2699))
		kind = IOS_ACL_EXTENDED;
	else
		return 0; /* not an IP list (MAC, protocol type, ...) */
	if (!(a = acl_open(ps, l, 1, kind, false)))
		return -1;
	return ios_ace_line(m, a, l, 2);
}

/* `no ip access-group [NAME] in|out` / `no ipv6 traffic-filter [NAME]
 * in|out` inside an interface: the binding of that family and direction
 * goes (when NAME is given, only if it is the list bound). */
static int iface_no_line(struct pstate *ps, const struct ios_line *l)
{
	struct ios_model *m = ps->m;
	enum aclf_direction dir;
	const char *name = NULL;
	uint8_t fam;

	if (eq(l, 1, "ip") && eq(l, 2, "access-group"))
		fam = 4;
	else if (eq(l, 1, "ipv6") && eq(l, 2, "traffic-filter"))
		fam = 6;
	else
		return 0;
	if (l->n < 4 || l->n > 5 || !(eq(l, l->n - 1, "in") || eq(l, l->n - 1, "out")))
		return ios_perr(m, l->no, l->n < 4 ? (unsigned)strlen(l->raw) + 1 : l->t[l->n - 1].col,
				"expected '%s [NAME] in|out'", fam == 4 ? "no ip access-group"
									: "no ipv6 traffic-filter");
	dir = eq(l, l->n - 1, "in") ? ACLF_DIR_IN : ACLF_DIR_OUT;
	if (l->n == 5)
		name = l->t[3].s;
	for (size_t i = 0; i < m->nbinds;) {
		const struct ios_bind *b = &m->binds[i];
		if (b->family == fam && b->dir == dir && strcmp(b->iface, ps->iface) == 0 &&
		    (!name || strcmp(b->acl, name) == 0)) {
			memmove(&m->binds[i], &m->binds[i + 1], (m->nbinds - i - 1) * sizeof(*m->binds));
			m->nbinds--;
			continue;
		}
		i++;
	}
	return 0;
}

static int iface_line(struct pstate *ps, const struct ios_line *l)
{
	struct ios_model *m = ps->m;
	struct ios_bind *b;
	uint8_t fam;

	if (eq(l, 0, "no"))
		return iface_no_line(ps, l);
	if (eq(l, 0, "ip") && eq(l, 1, "access-group"))
		fam = 4;
	else if (eq(l, 0, "ipv6") && eq(l, 1, "traffic-filter"))
		fam = 6;
	else
		return 0;
	if (l->n != 4 || !(eq(l, 3, "in") || eq(l, 3, "out"))) {
		if (l->n < 3)
			return ios_perr(m, l->no, (unsigned)strlen(l->raw) + 1,
					"expected an access list name, got end of line");
		if (l->n < 4)
			return ios_perr(m, l->no, (unsigned)strlen(l->raw) + 1,
					"expected 'in' or 'out', got end of line");
		return ios_perr(m, l->no, l->t[3].col, "expected 'in' or 'out', got '%s'", l->t[3].s);
	}
	if (aclf_arena_grow(m->a, (void **)&m->binds, m->nbinds, &m->binds_cap, sizeof(*m->binds)) < 0)
		return aclf_err_nomem(m->err);
	b = &m->binds[m->nbinds];
	b->iface = ps->iface;
	if (!(b->acl = ios_keep(m, l->t[2].s)))
		return -1;
	m->nbinds++;
	b->family = fam;
	b->dir = eq(l, 3, "in") ? ACLF_DIR_IN : ACLF_DIR_OUT;
	b->line = l->no;
	return 0;
}

static bool numbered_ip(const char *s)
{
	unsigned long n;

	return ios_parse_uint(s, 99999, &n) == 0 &&
	       ((n >= 1 && n <= 199) || (n >= 1300 && n <= 2699));
}

/* Remove access list NAME of family fam (kind checked when given). */
static int drop_acl(struct ios_model *m, const struct ios_line *l, size_t name_at, uint8_t fam,
		    int kind)
{
	const char *name = l->t[name_at].s;
	long k = ios_acl_index(m, fam, name);
	size_t i = (size_t)k;
	const struct ios_acl *a;

	if (k < 0)
		return 0;
	a = &m->acls[i];
	if (kind >= 0 && a->kind != (enum ios_acl_kind)kind)
		return ios_perr(m, l->no, l->t[name_at].col, "access list '%s' is a %s list",
				name, a->kind == IOS_ACL_STANDARD ? "standard" : "extended");
	free(m->acls[i].v);
	memmove(&m->acls[i], &m->acls[i + 1], (m->nacls - i - 1) * sizeof(*m->acls));
	m->nacls--;
	ios_acl_forget_index(m);
	return 0;
}

/* `no ...` at the top level: deletions of access lists and object-groups;
 * other `no` commands are not ours and are skipped. */
static int no_line(struct pstate *ps, const struct ios_line *l)
{
	static const struct {
		const char *w;
		enum ios_og_kind k;
	} kinds[] = {
		{ "network", IOS_OG_NET }, { "service", IOS_OG_SVC },
		{ "v6-network", IOS_OG_NET6 }, { "v6-service", IOS_OG_SVC6 },
	};
	struct ios_model *m = ps->m;

	if (eq(l, 1, "ip") && eq(l, 2, "access-list") && (eq(l, 3, "extended") || eq(l, 3, "standard"))) {
		if (l->n != 5)
			return ios_perr(m, l->no, l->n < 5 ? (unsigned)strlen(l->raw) + 1 : l->t[5].col,
					"expected one access list name");
		return drop_acl(m, l, 4, 4, eq(l, 3, "extended") ? IOS_ACL_EXTENDED : IOS_ACL_STANDARD);
	}
	if (eq(l, 1, "ipv6") && eq(l, 2, "access-list") && l->n == 4)
		return drop_acl(m, l, 3, 6, IOS_ACL_V6);
	if (eq(l, 1, "access-list") && l->n == 3 && numbered_ip(l->t[2].s))
		return drop_acl(m, l, 2, 4, -1);
	if (eq(l, 1, "object-group")) {
		for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
			struct ios_og *g;
			if (!eq(l, 2, kinds[i].w))
				continue;
			if (l->n != 4)
				return ios_perr(m, l->no, l->n < 4 ? (unsigned)strlen(l->raw) + 1 : l->t[4].col,
						"expected one object-group name");
			if (!(g = ios_og_find(m, l->t[3].s)))
				return 0;
			if (g->kind != kinds[i].k)
				return ios_perr(m, l->no, l->t[3].col, "object-group '%s' is not a %s group",
						g->name, kinds[i].w);
			memmove(g, g + 1, (size_t)(m->ogs + m->nogs - g - 1) * sizeof(*g));
			m->nogs--;
			ios_og_forget_index(m);
			return 0;
		}
	}
	return 0;
}

static int top_line(struct pstate *ps, const struct ios_line *l)
{
	struct ios_model *m = ps->m;
	bool done;

	ps->sect = S_NONE;
	if (eq(l, 0, "no"))
		return no_line(ps, l);
	if (eq(l, 0, "ip") && eq(l, 1, "access-list")) {
		if (eq(l, 2, "extended") || eq(l, 2, "standard")) {
			if (l->n > 4)
				return ios_perr(m, l->no, l->t[4].col,
						"unexpected '%s' after access list name", l->t[4].s);
			return open_section(ps, l, 3, eq(l, 2, "extended") ? IOS_ACL_EXTENDED
									   : IOS_ACL_STANDARD, false);
		}
		if (eq(l, 2, "role-based") || eq(l, 2, "reflexive"))
			return ios_perr(m, l->no, l->t[2].col, "unsupported access list type '%s'",
					l->t[2].s);
		return 0; /* ip access-list resequence / logging / ... */
	}
	if (eq(l, 0, "ipv6") && eq(l, 1, "access-list")) {
		if (l->n == 3)
			return open_section(ps, l, 2, IOS_ACL_V6, false);
		if (eq(l, 2, "extended") || eq(l, 2, "standard"))
			return ios_perr(m, l->no, l->t[2].col,
					"'ipv6 access-list %s' is not ios syntax", l->t[2].s);
		if (l->n == 2)
			return open_section(ps, l, 2, IOS_ACL_V6, false);
		return 0; /* ipv6 access-list log-update ... */
	}
	if (eq(l, 0, "access-list"))
		return numbered(ps, l);
	if (eq(l, 0, "hostname") && l->n == 2) {
		m->hostname = ios_keep(m, l->t[1].s);
		return m->hostname ? 0 : -1;
	}
	if (eq(l, 0, "object-group") && l->n >= 2) {
		static const struct {
			const char *w;
			enum ios_og_kind k;
		} kinds[] = {
			{ "network", IOS_OG_NET }, { "service", IOS_OG_SVC },
			{ "v6-network", IOS_OG_NET6 }, { "v6-service", IOS_OG_SVC6 },
		};
		for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
			if (!eq(l, 1, kinds[i].w))
				continue;
			if (l->n != 3)
				return ios_perr(m, l->no, l->n < 3 ? (unsigned)strlen(l->raw) + 1 : l->t[3].col,
						"expected one object-group name");
			if (!ios_og_open(m, l, kinds[i].k, l->t[2].s))
				return -1;
			ps->idx = (size_t)(ios_og_find(m, l->t[2].s) - m->ogs);
			ps->sect = S_OG;
			return 0;
		}
		ps->sect = S_SKIP;
		return 0;
	}
	if (eq(l, 0, "interface") && l->n >= 2) {
		const char *name = l->raw + l->t[1].col - 1;
		size_t n = strlen(name);
		while (n && (name[n - 1] == ' ' || name[n - 1] == '\t'))
			n--;
		if (!(ps->iface = aclf_arena_strndup(m->a, name, n)))
			return aclf_err_nomem(m->err);
		ps->sect = S_IFACE;
		return 0;
	}
	/* show object-group: "Network object group NAME", "Service object
	 * group NAME", items indented as in the configuration */
	if ((eq(l, 0, "Network") || eq(l, 0, "Service")) && eq(l, 1, "object") && eq(l, 2, "group") &&
	    l->n == 4) {
		enum ios_og_kind k = eq(l, 0, "Network") ? IOS_OG_NET : IOS_OG_SVC;
		if (!ios_og_open(m, l, k, l->t[3].s))
			return -1;
		ps->idx = (size_t)(ios_og_find(m, l->t[3].s) - m->ogs);
		ps->sect = S_OG;
		return 0;
	}
	if (eq(l, 0, "mac") && eq(l, 1, "access-list")) {
		ps->sect = S_SKIP;
		return 0;
	}
	if (show_header(ps, l, &done) < 0)
		return -1;
	return 0;
}

static int one_line(struct pstate *ps, const struct ios_line *l)
{
	struct ios_model *m = ps->m;
	bool top = l->indent == 0;

	if (l->n == 0)
		return 0;
	/* IOS-XE indents the headers of show access-lists output under some
	 * commands: a header is one at any indent */
	if (!top && looks_like_show_header(l)) {
		bool done;
		ps->sect = S_NONE;
		return show_header(ps, l, &done);
	}
	if (ps->sect == S_ACL && entry_word(l))
		return ios_ace_line(m, &m->acls[ps->idx], l, 0);
	if (ps->sect == S_SKIP && (!top || entry_word(l)))
		return 0;
	if (!top) {
		switch (ps->sect) {
		case S_ACL:
			if (eq(l, 0, "exit") && l->n == 1) {
				ps->sect = S_NONE;
				return 0;
			}
			return ios_perr(m, l->no, l->t[0].col, "unexpected '%s' in access list '%s'",
					l->t[0].s, m->acls[ps->idx].name);
		case S_OG:
			if (eq(l, 0, "exit") && l->n == 1) {
				ps->sect = S_NONE;
				return 0;
			}
			return ios_og_line(m, &m->ogs[ps->idx], l);
		case S_IFACE:
			return iface_line(ps, l);
		case S_NONE:
		case S_SKIP:
			return 0;
		}
		return 0;
	}
	if (l->t[0].s[0] == '!') {
		ps->sect = S_NONE;
		return 0;
	}
	return top_line(ps, l);
}

/* How much the model holds, to tell whether a line changed it. */
static size_t model_size(const struct pstate *ps)
{
	const struct ios_model *m = ps->m;
	size_t n = m->nacls + m->nogs + m->nbinds;

	if (ps->idx < m->nacls)
		n += m->acls[ps->idx].n;
	if (ps->idx < m->nogs)
		n += m->ogs[ps->idx].n;
	return n;
}

/* The lines of text into m, each read in the line arena la. */
static int read_lines(struct ios_model *m, const char *text, size_t len)
{
	struct pstate ps;
	unsigned no = 0;

	memset(&ps, 0, sizeof(ps));
	ps.m = m;
	for (size_t pos = 0; pos < len;) {
		const char *s = text + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;
		struct ios_line l;
		pos += n + (nl ? 1 : 0);
		no++;
		if (n && s[n - 1] == '\r')
			n--;
		if (memchr(s, '\0', n)) {
			if (ps.sect == S_ACL || ps.sect == S_OG)
				return ios_perr(m, no, (unsigned)((const char *)memchr(s, '\0', n) - s) + 1,
						"NUL byte in line");
			continue;
		}
		size_t before = model_size(&ps);
		if (m->la)
			aclf_arena_reset(m->la);
		if (ios_line_split(m, s, n, no, &l) < 0 || one_line(&ps, &l) < 0)
			return -1;
		/* a last line without its line end may be cut short ("eq 50" of
		 * "eq 5060"): refused when it entered anything; a cut that falls
		 * between statements (after '!', a line skipped) loses nothing */
		if (!nl && l.n && (model_size(&ps) != before || ps.sect == S_ACL || ps.sect == S_OG))
			return ios_perr(m, no, (unsigned)n + 1,
					"text ends in the middle of a line (no line end after '%s'): cut "
					"short?",
					l.t[l.n - 1].s);
	}
	return 0;
}

int ios_model_read(struct ios_model *m, const char *text, size_t len)
{
	struct aclf_arena la;
	int rc;

	if (m->la)
		return read_lines(m, text, len);
	/* memory proportional to what the model keeps, not to the text */
	aclf_arena_init(&la);
	m->la = &la;
	rc = read_lines(m, text, len);
	m->la = NULL;
	aclf_arena_release(&la);
	return rc;
}

void ios_model_free(struct ios_model *m)
{
	for (size_t i = 0; i < m->nacls; i++) {
		free(m->acls[i].v);
		m->acls[i].v = NULL;
		m->acls[i].n = m->acls[i].cap = 0;
	}
}

int ios_parse(const char *text, size_t len, const char *name, const char *label, bool strict,
	      struct aclf_policy *pol, struct aclf_devpol **out, struct aclf_err *err)
{
	struct aclf_arena scratch;
	struct ios_model m;
	int rc = -1;

	if (out)
		*out = NULL;
	if (!text && len)
		return aclf_err_set(err, ACLF_E_BUG, "ios parse: no text");
	aclf_arena_init(&scratch);
	memset(&m, 0, sizeof(m));
	m.a = &scratch;
	m.err = err;
	m.src = label && *label ? label : "<input>";
	m.strict = strict;
	if (ios_model_read(&m, text, len) == 0)
		rc = ios_build(&m, name, pol, out);
	ios_model_free(&m);
	aclf_arena_release(&scratch);
	return rc;
}
