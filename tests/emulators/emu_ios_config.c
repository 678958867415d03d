/* The emulated IOS device's configuration mode and its sub-modes: lists
 * (`ip access-list extended`, `ipv6 access-list`), object-groups,
 * interfaces. As on IOS, a line a sub-mode does not accept is tried as a
 * global command, which leaves the sub-mode (so pasted configuration
 * text needs no `exit` lines); only when that fails too is the sub-mode's
 * error shown. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emu_ios.h"

static bool digits(const char *t)
{
	return *t && strspn(t, "0123456789") == strlen(t);
}

static int set_mode(struct eio_cmd *c, enum eio_mode m, const char *ctx)
{
	char *x = ctx ? strdup(ctx) : NULL;

	if (ctx && !x)
		return -1;
	free(c->s->ctx);
	c->s->ctx = x;
	c->s->mode = m;
	return 0;
}

static int rest(struct eio_cmd *c, size_t i, char **out)
{
	*out = NULL;
	if (i >= c->l->n)
		return eio_incomplete(c);
	*out = strdup(c->l->text + c->l->col[i]);
	return *out ? 0 : -1;
}

/* ---- interface names --------------------------------------------------- */

static const char *const if_types[] = {
	"Ethernet", "FastEthernet", "GigabitEthernet", "HundredGigE", "Loopback",
	"Port-channel", "TenGigabitEthernet", "Tunnel", "TwentyFiveGigE", "Vlan", NULL,
};

/* "gi1/0/1", "Vlan 110": the canonical name in *out */
static int if_name(struct eio_cmd *c, size_t i, struct aclf_buf *out)
{
	const char *t = eio_need(c, i);
	size_t tl, k;
	char type[64];
	int m;
	const char *num;

	if (!t)
		return -1;
	tl = strcspn(t, "0123456789");
	if (tl == 0 || tl >= sizeof(type))
		return eio_invalid(c, i);
	memcpy(type, t, tl);
	type[tl] = '\0';
	m = eio_match(type, if_types);
	if (m < 0)
		return eio_invalid(c, i);
	num = t + tl;
	if (!*num) { /* "Vlan 110" */
		if (i + 1 >= c->l->n)
			return eio_incomplete(c);
		num = c->l->tok[i + 1];
		i++;
	}
	for (k = 0; num[k]; k++)
		if (!isdigit((unsigned char)num[k]) && num[k] != '/' && num[k] != '.' && num[k] != ':')
			return eio_invalid_at(c, (size_t)(num - c->l->store) + k);
	if (!isdigit((unsigned char)num[0]) || !isdigit((unsigned char)num[k - 1]))
		return eio_invalid_at(c, (size_t)(num - c->l->store));
	if (eio_end(c, i + 1) < 0)
		return -1;
	aclf_buf_printf(out, "%s%s", if_types[m], num);
	return 0;
}

/* ---- global configuration ----------------------------------------------- */

static const char *const global_kw[] = {
	"aaa", "access-list", "banner", "do", "enable", "end", "exit", "hostname",
	"interface", "ip", "ipv6", "line", "no", "object-group", "service", "username", NULL,
};

static const char *const og_kinds[] = { "network", "service", NULL };

static bool og_in_use(struct eio_dev *d, const char *name)
{
	for (size_t k = 0; k < d->nacl; k++)
		for (size_t j = 0; j < d->acl[k]->n; j++) {
			const struct eio_ace *e = &d->acl[k]->ace[j];

			if ((e->svc && !strcmp(e->svc, name)) ||
			    (e->src.group && !strcmp(e->src.group, name)) ||
			    (e->dst.group && !strcmp(e->dst.group, name)))
				return true;
		}
	for (size_t k = 0; k < d->nog; k++)
		for (size_t j = 0; j < d->og[k]->n; j++)
			if (d->og[k]->m[j].group && !strcmp(d->og[k]->m[j].group, name))
				return true;
	return false;
}

static int acl_name_ok(struct eio_cmd *c, size_t i)
{
	const char *t = eio_need(c, i);
	unsigned long v;

	if (!t)
		return -1;
	if (digits(t)) { /* numbered extended lists only */
		if (eio_uint(c, i, 100, 2699, &v) < 0)
			return -1;
		if (v > 199 && v < 2000)
			return eio_invalid(c, i);
		return 0;
	}
	if (!isalpha((unsigned char)t[0]))
		return eio_invalid(c, i);
	return 0;
}

static int global_ip(struct eio_cmd *c, size_t i, bool no)
{
	static const char *const ip_kw[] = { "access-list", "domain", "forward-protocol", "http",
					     "route", NULL };
	static const char *const al_kw[] = { "extended", "logging", "resequence", "standard", NULL };
	int k = eio_kw(c, i, ip_kw), t;

	if (k < 0)
		return -1;
	if (k != 0)
		return eio_invalid(c, i);
	t = eio_kw(c, i + 1, al_kw);
	if (t < 0)
		return -1;
	if (t == 2 && !no) {
		unsigned long start, step;
		struct eio_acl *a;
		const char *name = eio_need(c, i + 2);

		if (!name)
			return -1;
		a = eio_acl_find(c->dev, name, 4);
		if (!a)
			return eio_invalid(c, i + 2);
		if (eio_uint(c, i + 3, 1, EMU_IOS_SEQ_MAX, &start) < 0 ||
		    eio_uint(c, i + 4, 1, EMU_IOS_SEQ_MAX, &step) < 0 || eio_end(c, i + 5) < 0)
			return -1;
		{
			size_t ne = 0;

			for (size_t j = 0; j < a->n; j++)
				ne += !a->ace[j].remark;
			if (ne && start + (ne - 1) * step > EMU_IOS_SEQ_MAX) {
				eio_puts(c->out, "% Exceeded maximum sequence number.\n");
				return -1;
			}
			ne = 0;
			for (size_t j = 0; j < a->n; j++)
				if (!a->ace[j].remark)
					a->ace[j].seq = start + step * ne++;
		}
		c->changed = true;
		return 0;
	}
	if (t != 0)
		return eio_invalid(c, i + 1);
	if (acl_name_ok(c, i + 2) < 0 || eio_end(c, i + 3) < 0)
		return -1;
	if (no) {
		if (eio_acl_find(c->dev, c->l->tok[i + 2], 4)) {
			eio_acl_delete(c->dev, c->l->tok[i + 2], 4);
			c->changed = true;
		}
		return 0;
	}
	if (!eio_acl_find(c->dev, c->l->tok[i + 2], 4)) {
		if (!eio_acl_get(c->dev, c->l->tok[i + 2], 4))
			return -1;
		c->changed = true;
	}
	return set_mode(c, EIO_CONF_ACL, c->l->tok[i + 2]);
}

static int global_ipv6(struct eio_cmd *c, size_t i, bool no)
{
	static const char *const kw[] = { "access-list", "route", "unicast-routing", NULL };
	int k = eio_kw(c, i, kw);
	const char *name;

	if (k < 0)
		return -1;
	if (k != 0)
		return eio_invalid(c, i);
	name = eio_need(c, i + 1);
	if (!name)
		return -1;
	if (!isalpha((unsigned char)name[0]))
		return eio_invalid(c, i + 1);
	if (eio_end(c, i + 2) < 0)
		return -1;
	if (no) {
		if (eio_acl_find(c->dev, name, 6)) {
			eio_acl_delete(c->dev, name, 6);
			c->changed = true;
		}
		return 0;
	}
	if (!eio_acl_find(c->dev, name, 6)) {
		if (!eio_acl_get(c->dev, name, 6))
			return -1;
		c->changed = true;
	}
	return set_mode(c, EIO_CONF_ACL6, name);
}

static int global_og(struct eio_cmd *c, size_t i, bool no)
{
	int k = eio_kw(c, i, og_kinds);
	const char *name;
	struct eio_og *g;

	if (k < 0)
		return -1;
	name = eio_need(c, i + 1);
	if (!name)
		return -1;
	if (!isalpha((unsigned char)name[0]))
		return eio_invalid(c, i + 1);
	if (eio_end(c, i + 2) < 0)
		return -1;
	g = eio_og_find(c->dev, name);
	if (g && g->kind != (enum eio_og_kind)k)
		return eio_invalid(c, i);
	if (no) {
		if (!g)
			return 0;
		/* IOS refuses to delete a group an entry uses (wording: GUESS) */
		if (og_in_use(c->dev, name)) {
			eio_puts(c->out, "% Object-group ");
			aclf_buf_puts(c->out, name);
			eio_puts(c->out, " is being used\n");
			return -1;
		}
		eio_og_delete(c->dev, name);
		c->changed = true;
		return 0;
	}
	if (!g) {
		if (!eio_og_get(c->dev, name, (enum eio_og_kind)k))
			return -1;
		c->changed = true;
	}
	return set_mode(c, k == 0 ? EIO_CONF_NETGRP : EIO_CONF_SVCGRP, name);
}

static int global_enable(struct eio_cmd *c, size_t i, bool no)
{
	static const char *const kw[] = { "password", "secret", NULL };
	int k = eio_kw(c, i, kw);
	size_t p = i + 1;
	char *pw;

	if (k < 0)
		return -1;
	if (no) {
		if (eio_end(c, i + 1) < 0)
			return -1;
		free(c->dev->enable_secret);
		c->dev->enable_secret = NULL;
		c->changed = true;
		return 0;
	}
	if (p < c->l->n && !strcmp(c->l->tok[p], "0"))
		p++;
	if (!eio_need(c, p) || eio_end(c, p + 1) < 0)
		return -1;
	pw = strdup(c->l->tok[p]);
	if (!pw)
		return -1;
	free(c->dev->enable_secret);
	c->dev->enable_secret = pw;
	c->changed = true;
	return 0;
}

static int global_username(struct eio_cmd *c, size_t i, bool no)
{
	static const char *const kw[] = { "password", "privilege", "secret", NULL };
	const char *name = eio_need(c, i);
	unsigned long priv = 1;
	struct eio_dev *d = c->dev;
	size_t k, j = i + 1;
	void *p;

	if (!name)
		return -1;
	if (no) {
		if (eio_end(c, i + 1) < 0)
			return -1;
		for (k = 0; k < d->nusers; k++)
			if (!strcmp(d->users[k].name, name)) {
				free(d->users[k].name);
				d->users[k] = d->users[--d->nusers];
				c->changed = true;
			}
		return 0;
	}
	while (j < c->l->n) {
		int t = eio_kw(c, j, kw);

		if (t < 0)
			return -1;
		if (t == 1) {
			if (eio_uint(c, j + 1, 0, 15, &priv) < 0)
				return -1;
			j += 2;
			continue;
		}
		/* password/secret [0|5|9] TEXT: the rest of the line */
		if (!eio_need(c, j + 1))
			return -1;
		break;
	}
	for (k = 0; k < d->nusers; k++)
		if (!strcmp(d->users[k].name, name))
			break;
	if (k == d->nusers) {
		p = realloc(d->users, (d->nusers + 1) * sizeof(*d->users));
		if (!p)
			return -1;
		d->users = p;
		d->users[k].name = strdup(name);
		if (!d->users[k].name)
			return -1;
		d->nusers++;
	}
	d->users[k].priv = (unsigned)priv;
	c->changed = true;
	return 0;
}

static int global(struct eio_cmd *c, size_t i)
{
	int k = eio_kw(c, i, global_kw);
	bool no = false;

	if (k < 0)
		return -1;
	if (!strcmp(global_kw[k], "no")) {
		static const char *const no_kw[] = { "enable", "hostname", "interface", "ip", "ipv6",
						     "object-group", "username", NULL };
		int n = eio_kw(c, i + 1, no_kw);

		if (n < 0)
			return -1;
		no = true;
		i++;
		for (k = 0; global_kw[k]; k++)
			if (!strcmp(global_kw[k], no_kw[n]))
				break;
	}
	if (!strcmp(global_kw[k], "do"))
		return eio_exec_cmd(c, i + 1, &c->question);
	if (!strcmp(global_kw[k], "end") || !strcmp(global_kw[k], "exit")) {
		if (eio_end(c, i + 1) < 0)
			return -1;
		return set_mode(c, EIO_PRIV, NULL);
	}
	if (!strcmp(global_kw[k], "hostname")) {
		char *h;

		if (no) {
			if (eio_end(c, i + 1) < 0)
				return -1;
			h = strdup("Router");
		} else {
			const char *t;
			size_t n;

			if (!eio_need(c, i + 1) || eio_end(c, i + 2) < 0)
				return -1;
			/* a letter, then letters, digits and hyphens, at most 63 */
			t = c->l->tok[i + 1];
			n = strlen(t);
			if (!isalpha((unsigned char)t[0]) || n > 63)
				return eio_invalid(c, i + 1);
			for (size_t j = 0; j < n; j++)
				if (!isalnum((unsigned char)t[j]) && t[j] != '-')
					return eio_invalid_at(c, c->l->col[i + 1] + j);
			h = strdup(c->l->tok[i + 1]);
		}
		if (!h)
			return -1;
		free(c->dev->hostname);
		c->dev->hostname = h;
		c->changed = true;
		return 0;
	}
	if (!strcmp(global_kw[k], "enable"))
		return global_enable(c, i + 1, no);
	if (!strcmp(global_kw[k], "username"))
		return global_username(c, i + 1, no);
	if (!strcmp(global_kw[k], "ip"))
		return global_ip(c, i + 1, no);
	if (!strcmp(global_kw[k], "ipv6"))
		return global_ipv6(c, i + 1, no);
	if (!strcmp(global_kw[k], "object-group"))
		return global_og(c, i + 1, no);
	if (!strcmp(global_kw[k], "interface")) {
		struct aclf_buf n = ACLF_BUF_INIT;
		int r;

		aclf_buf_init(&n, 0);
		r = if_name(c, i + 1, &n);
		if (r == 0 && no) {
			r = eio_invalid(c, i); /* physical interfaces stay */
		} else if (r == 0) {
			if (!eio_if_find(c->dev, n.buf)) {
				if (!eio_if_get(c->dev, n.buf))
					r = -1;
				else
					c->changed = true;
			}
			if (r == 0)
				r = set_mode(c, EIO_CONF_IF, eio_if_find(c->dev, n.buf)->name);
		}
		aclf_buf_release(&n);
		return r;
	}
	return eio_invalid(c, i); /* a real command this device does not do */
}

/* ---- lists ----------------------------------------------------------------- */

static const char *const acl_kw[] = { "default", "deny", "do", "end", "exit", "no", "permit",
				      "remark", NULL };
static const char *const acl6_kw[] = { "default", "deny", "do", "end", "exit", "no", "permit",
				       "remark", "sequence", NULL };
static const char *const entry_kw[] = { "deny", "permit", "remark", NULL };

/* an entry or remark from token i (permit|deny|remark) with sequence seq */
static int acl_entry(struct eio_cmd *c, size_t i, struct eio_acl *a, unsigned long seq, bool no)
{
	struct eio_ace e;
	int k = eio_kw(c, i, entry_kw);

	memset(&e, 0, sizeof(e));
	if (k < 0)
		return -1;
	e.seq = seq;
	if (k == 2) {
		if (rest(c, i + 1, &e.remark) < 0)
			return -1;
		if (strlen(e.remark) > 100) {
			free(e.remark);
			return eio_invalid_at(c, c->l->col[i + 1] + 100);
		}
	} else {
		e.permit = k == 1;
		if (eio_ace_parse(c, i + 1, a->fam, &e) < 0) {
			eio_ace_release(&e);
			return -1;
		}
	}
	if (no) {
		for (size_t j = 0; j < a->n; j++)
			if (eio_ace_same(&a->ace[j], &e)) {
				eio_ace_release(&a->ace[j]);
				memmove(a->ace + j, a->ace + j + 1, (a->n - j - 1) * sizeof(*a->ace));
				a->n--;
				c->changed = true;
				break;
			}
		eio_ace_release(&e);
		return 0;
	}
	return eio_acl_add(c, a, &e);
}

static int acl_delete_seq(struct eio_cmd *c, struct eio_acl *a, size_t i)
{
	unsigned long seq;

	if (eio_uint(c, i, 1, EMU_IOS_SEQ_MAX, &seq) < 0 || eio_end(c, i + 1) < 0)
		return -1;
	for (size_t j = 0; j < a->n; j++)
		if (!a->ace[j].remark && a->ace[j].seq == seq) {
			eio_ace_release(&a->ace[j]);
			memmove(a->ace + j, a->ace + j + 1, (a->n - j - 1) * sizeof(*a->ace));
			a->n--;
			c->changed = true;
			break;
		}
	return 0;
}

static int common_sub(struct eio_cmd *c, const char *w)
{
	if (!strcmp(w, "do"))
		return eio_exec_cmd(c, 1, &c->question);
	if (eio_end(c, 1) < 0)
		return -1;
	return set_mode(c, !strcmp(w, "end") ? EIO_PRIV : EIO_CONF, NULL);
}

static int acl_mode(struct eio_cmd *c)
{
	bool v6 = c->s->mode == EIO_CONF_ACL6;
	struct eio_acl *a = eio_acl_find(c->dev, c->s->ctx, v6 ? 6 : 4);
	const char *const *kw = v6 ? acl6_kw : acl_kw;
	unsigned long seq;
	const char *w;
	int k;

	if (!a) { /* deleted from another session */
		set_mode(c, EIO_CONF, NULL);
		return eio_invalid(c, 0);
	}
	if (!v6 && digits(c->l->tok[0])) {
		if (eio_uint(c, 0, 1, EMU_IOS_SEQ_MAX, &seq) < 0)
			return -1;
		return acl_entry(c, 1, a, seq, false);
	}
	k = eio_kw(c, 0, kw);
	if (k < 0)
		return -1;
	w = kw[k];
	if (!strcmp(w, "permit") || !strcmp(w, "deny") || !strcmp(w, "remark"))
		return acl_entry(c, 0, a, 0, false);
	if (!strcmp(w, "sequence")) {
		if (eio_uint(c, 1, 1, EMU_IOS_SEQ_MAX, &seq) < 0)
			return -1;
		return acl_entry(c, 2, a, seq, false);
	}
	if (!strcmp(w, "no")) {
		const char *t = eio_need(c, 1);

		if (!t)
			return -1;
		if (!v6 && digits(t))
			return acl_delete_seq(c, a, 1);
		if (v6 && eio_match(t, acl6_kw) == 8)
			return acl_delete_seq(c, a, 2);
		return acl_entry(c, 1, a, 0, true);
	}
	if (!strcmp(w, "default"))
		return eio_invalid(c, 0);
	return common_sub(c, w);
}

/* ---- interfaces ------------------------------------------------------------ */

static int bind(struct eio_cmd *c, size_t i, char **in, char **out, bool no)
{
	static const char *const dirs[] = { "in", "out", NULL };
	const char *name = NULL;
	char **slot;
	int d;

	if (no && i < c->l->n && eio_match(c->l->tok[i], dirs) >= 0 && i + 1 == c->l->n) {
		d = eio_kw(c, i, dirs);
	} else {
		name = eio_need(c, i);
		if (!name)
			return -1;
		if (!isalpha((unsigned char)name[0]) && !digits(name))
			return eio_invalid(c, i);
		d = eio_kw(c, i + 1, dirs);
		if (d < 0)
			return -1;
		i++;
	}
	if (d < 0 || eio_end(c, i + 1) < 0)
		return -1;
	slot = d == 0 ? in : out;
	if (no) {
		if (*slot && (!name || !strcmp(*slot, name))) {
			free(*slot);
			*slot = NULL;
			c->changed = true;
		}
		return 0;
	}
	if (*slot && !strcmp(*slot, name))
		return 0;
	free(*slot);
	*slot = strdup(name);
	c->changed = true;
	return *slot ? 0 : -1;
}

static int if_mode(struct eio_cmd *c)
{
	static const char *const kw[] = { "description", "do", "end", "exit", "ip", "ipv6", "no",
					  "shutdown", NULL };
	static const char *const ip_kw[] = { "access-group", "address", NULL };
	static const char *const ip6_kw[] = { "address", "enable", "traffic-filter", NULL };
	struct eio_if *f = eio_if_find(c->dev, c->s->ctx);
	size_t i = 0;
	bool no = false;
	int k;

	if (!f)
		return eio_invalid(c, 0);
	k = eio_kw(c, 0, kw);
	if (k < 0)
		return -1;
	if (k == 6) {
		static const char *const no_kw[] = { "description", "ip", "ipv6", "shutdown", NULL };
		int n = eio_kw(c, 1, no_kw);

		if (n < 0)
			return -1;
		no = true;
		i = 1;
		k = n == 0 ? 0 : n == 1 ? 4 : n == 2 ? 5 : 7;
	}
	switch (k) {
	case 0:
		if (no) {
			free(f->description);
			f->description = NULL;
			c->changed = true;
			return 0;
		}
		{
			char *t = NULL;

			if (rest(c, i + 1, &t) < 0)
				return -1;
			free(f->description);
			f->description = t;
			c->changed = true;
			return 0;
		}
	case 4: {
		int t = eio_kw(c, i + 1, ip_kw);

		if (t < 0)
			return -1;
		if (t != 0)
			return eio_invalid(c, i + 1);
		return bind(c, i + 2, &f->acl_in, &f->acl_out, no);
	}
	case 5: {
		int t = eio_kw(c, i + 1, ip6_kw);

		if (t < 0)
			return -1;
		if (t != 2)
			return eio_invalid(c, i + 1);
		return bind(c, i + 2, &f->v6_in, &f->v6_out, no);
	}
	case 7:
		if (eio_end(c, i + 1) < 0)
			return -1;
		if (f->shutdown != !no)
			c->changed = true;
		f->shutdown = !no;
		return 0;
	default:
		return common_sub(c, kw[k]);
	}
}

/* ---- object-groups ---------------------------------------------------------- */

static int og_mode(struct eio_cmd *c)
{
	static const char *const ctl_kw[] = { "do", "end", "exit", "no", NULL };
	enum eio_og_kind kind = c->s->mode == EIO_CONF_NETGRP ? EIO_OG_NETWORK : EIO_OG_SERVICE;
	struct eio_og *g = eio_og_find(c->dev, c->s->ctx);
	struct eio_member m;
	size_t i = 0;
	bool no = false;
	int k;

	if (!g)
		return eio_invalid(c, 0);
	k = eio_match(c->l->tok[0], ctl_kw);
	if (k == 3) {
		no = true;
		i = 1;
	} else if (k >= 0) {
		return common_sub(c, ctl_kw[k]);
	}
	if (eio_member_parse(c, i, kind, &m) < 0) {
		eio_member_release(&m);
		return -1;
	}
	if (m.group && !strcmp(m.group, g->name)) {
		eio_member_release(&m);
		return eio_invalid(c, i + 1);
	}
	for (size_t j = 0; j < g->n; j++)
		if (eio_member_same(&g->m[j], &m)) {
			if (no) {
				eio_member_release(&g->m[j]);
				memmove(g->m + j, g->m + j + 1, (g->n - j - 1) * sizeof(*g->m));
				g->n--;
				c->changed = true;
			} else if (m.description) { /* a new description replaces */
				free(g->m[j].description);
				g->m[j].description = m.description;
				m.description = NULL;
				c->changed = true;
			}
			eio_member_release(&m);
			return 0;
		}
	if (no) {
		eio_member_release(&m);
		return 0;
	}
	if (g->n == g->alloc) {
		size_t na = g->alloc ? g->alloc * 2 : 8;
		void *p = realloc(g->m, na * sizeof(*g->m));

		if (!p) {
			eio_member_release(&m);
			return -1;
		}
		g->m = p;
		g->alloc = na;
	}
	g->m[g->n++] = m;
	c->changed = true;
	return 0;
}

/* ---- dispatch --------------------------------------------------------------- */

static int sub_mode(struct eio_cmd *c)
{
	switch (c->s->mode) {
	case EIO_CONF_ACL:
	case EIO_CONF_ACL6:
		return acl_mode(c);
	case EIO_CONF_IF:
		return if_mode(c);
	case EIO_CONF_NETGRP:
	case EIO_CONF_SVCGRP:
		return og_mode(c);
	case EIO_USER:
	case EIO_PRIV:
	case EIO_CONF:
		break;
	}
	return global(c, 0);
}

int eio_config(struct eio_cmd *c)
{
	struct aclf_buf *real = c->out, mine = ACLF_BUF_INIT, parent = ACLF_BUF_INIT;
	enum eio_mode m = c->s->mode;
	int r;

	if (m == EIO_CONF)
		return global(c, 0);
	aclf_buf_init(&mine, 0);
	aclf_buf_init(&parent, 0);
	c->out = &mine;
	c->syntax = false;
	r = sub_mode(c);
	if (r < 0 && c->syntax && !c->changed && c->s->mode == m) {
		/* the parent mode's turn; it leaves the sub-mode when it knows
		 * the command (even if the command then fails) */
		c->out = &parent;
		c->s->mode = EIO_CONF;
		c->syntax = false;
		r = global(c, 0);
		if (r < 0 && c->syntax) {
			c->s->mode = m;
			aclf_buf_add(real, mine.buf, mine.len);
		} else {
			if (c->s->mode == EIO_CONF) {
				free(c->s->ctx);
				c->s->ctx = NULL;
			}
			aclf_buf_add(real, parent.buf, parent.len);
		}
	} else {
		aclf_buf_add(real, mine.buf, mine.len);
	}
	c->out = real;
	aclf_buf_release(&mine);
	aclf_buf_release(&parent);
	return r;
}
