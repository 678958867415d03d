/* The emulated IOS device's show commands and its running configuration,
 * laid out as classic IOS 15.x prints it: no sequence numbers, `deny`
 * padded to `deny   `, remarks where they were typed; `show access-lists`
 * with sequence numbers and `(N matches)` counters, no remarks, IPv6
 * entries with `sequence N` at their end (device-cli-notes 1.2). */
#include <stdlib.h>
#include <string.h>

#include "emu_ios.h"

/* a buffer of "\n"-ended lines to out with "\r\n" */
static void put_crlf(struct aclf_buf *out, const struct aclf_buf *b)
{
	eio_puts(out, b->buf);
}

static void hash_hex(const char *s, struct aclf_buf *out)
{
	unsigned long long h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	aclf_buf_printf(out, "%016llx", h);
}

void eio_config_text(struct eio_dev *d, struct aclf_buf *b)
{
	aclf_buf_puts(b, "!\nversion 15.2\nservice timestamps debug datetime msec\n"
			 "service timestamps log datetime msec\nno service password-encryption\n!\n");
	aclf_buf_printf(b, "hostname %s\n!\nboot-start-marker\nboot-end-marker\n!\n", d->hostname);
	if (d->enable_secret) {
		aclf_buf_puts(b, "enable secret 5 $1$aclf$");
		hash_hex(d->enable_secret, b);
		aclf_buf_puts(b, "\n!\n");
	}
	aclf_buf_puts(b, "no aaa new-model\n!\n");
	for (size_t k = 0; k < d->nusers; k++)
		aclf_buf_printf(b, "username %s privilege %u\n", d->users[k].name, d->users[k].priv);
	if (d->nusers)
		aclf_buf_puts(b, "!\n");
	for (size_t k = 0; k < d->nog; k++) {
		const struct eio_og *g = d->og[k];

		aclf_buf_printf(b, "object-group %s %s\n",
				g->kind == EIO_OG_NETWORK ? "network" : "service", g->name);
		for (size_t j = 0; j < g->n; j++) {
			aclf_buf_putc(b, ' ');
			eio_member_text(&g->m[j], g->kind, b);
			aclf_buf_putc(b, '\n');
		}
		aclf_buf_puts(b, "!\n");
	}
	for (size_t k = 0; k < d->nif; k++) {
		const struct eio_if *f = d->ifs[k];

		aclf_buf_printf(b, "interface %s\n", f->name);
		if (f->description)
			aclf_buf_printf(b, " description %s\n", f->description);
		aclf_buf_puts(b, " no ip address\n");
		if (f->acl_in)
			aclf_buf_printf(b, " ip access-group %s in\n", f->acl_in);
		if (f->acl_out)
			aclf_buf_printf(b, " ip access-group %s out\n", f->acl_out);
		if (f->v6_in)
			aclf_buf_printf(b, " ipv6 traffic-filter %s in\n", f->v6_in);
		if (f->v6_out)
			aclf_buf_printf(b, " ipv6 traffic-filter %s out\n", f->v6_out);
		if (f->shutdown)
			aclf_buf_puts(b, " shutdown\n");
		aclf_buf_puts(b, "!\n");
	}
	aclf_buf_puts(b, "ip forward-protocol nd\n!\nno ip http server\n!\n");
	for (int fam = 4; fam <= 6; fam += 2)
		for (size_t k = 0; k < d->nacl; k++) {
			const struct eio_acl *a = d->acl[k];

			if (a->fam != fam)
				continue;
			aclf_buf_printf(b, fam == 4 ? "ip access-list extended %s\n" : "ipv6 access-list %s\n",
					a->name);
			for (size_t j = 0; j < a->n; j++) {
				aclf_buf_putc(b, ' ');
				eio_ace_text(&a->ace[j], a->fam, fam == 4, b);
				aclf_buf_putc(b, '\n');
			}
			aclf_buf_puts(b, "!\n");
		}
	aclf_buf_puts(b, "!\nline con 0\nline vty 0 4\n login local\n transport input ssh\n!\nend\n");
}

void eio_running_config(struct eio_dev *d, struct aclf_buf *out)
{
	struct aclf_buf b = ACLF_BUF_INIT;

	aclf_buf_init(&b, 0);
	eio_config_text(d, &b);
	eio_puts(out, "Building configuration...\n\n");
	aclf_buf_printf(out, "Current configuration : %zu bytes\r\n", b.len);
	put_crlf(out, &b);
	aclf_buf_release(&b);
}

static void show_acl(const struct eio_acl *a, struct aclf_buf *out)
{
	struct aclf_buf b = ACLF_BUF_INIT;

	aclf_buf_init(&b, 0);
	aclf_buf_printf(&b, a->fam == 4 ? "Extended IP access list %s\n" : "IPv6 access list %s\n",
			a->name);
	for (size_t j = 0; j < a->n; j++) {
		const struct eio_ace *e = &a->ace[j];

		if (e->remark)
			continue;
		aclf_buf_puts(&b, "    ");
		if (a->fam == 4)
			aclf_buf_printf(&b, "%lu ", e->seq);
		eio_ace_text(e, a->fam, false, &b);
		if (e->matches)
			aclf_buf_printf(&b, " (%llu match%s)", e->matches, e->matches == 1 ? "" : "es");
		if (a->fam == 6)
			aclf_buf_printf(&b, " sequence %lu", e->seq);
		aclf_buf_putc(&b, '\n');
	}
	put_crlf(out, &b);
	aclf_buf_release(&b);
}

/* fams: 4, 6 or 0 (both); name NULL: all */
static int show_acls(struct eio_cmd *c, size_t i, int fams)
{
	const char *name = i < c->l->n ? c->l->tok[i] : NULL;

	if (name && eio_end(c, i + 1) < 0)
		return -1;
	for (size_t k = 0; k < c->dev->nacl; k++) {
		const struct eio_acl *a = c->dev->acl[k];

		if ((fams && a->fam != fams) || (name && strcmp(a->name, name)))
			continue;
		show_acl(a, c->out);
	}
	return 0;
}

static int show_og(struct eio_cmd *c, size_t i)
{
	const char *name = i < c->l->n ? c->l->tok[i] : NULL;
	struct aclf_buf b = ACLF_BUF_INIT;

	if (name && eio_end(c, i + 1) < 0)
		return -1;
	aclf_buf_init(&b, 0);
	for (size_t k = 0; k < c->dev->nog; k++) {
		const struct eio_og *g = c->dev->og[k];

		if (name && strcmp(g->name, name))
			continue;
		aclf_buf_printf(&b, "%s object group %s\n",
				g->kind == EIO_OG_NETWORK ? "Network" : "Service", g->name);
		for (size_t j = 0; j < g->n; j++) {
			aclf_buf_puts(&b, " ");
			eio_member_text(&g->m[j], g->kind, &b);
			aclf_buf_putc(&b, '\n');
		}
		aclf_buf_putc(&b, '\n');
	}
	put_crlf(c->out, &b);
	aclf_buf_release(&b);
	return 0;
}

static void show_version(struct eio_cmd *c)
{
	struct aclf_buf b = ACLF_BUF_INIT;

	aclf_buf_init(&b, 0);
	aclf_buf_printf(&b,
			"Cisco IOS Software, C3750E Software (C3750E-UNIVERSALK9-M), Version 15.2(4)E10, "
			"RELEASE SOFTWARE (fc2)\n"
			"Technical Support: http://www.cisco.com/techsupport\n"
			"Copyright (c) 1986-2020 by Cisco Systems, Inc.\n"
			"Compiled Tue 31-Mar-20 02:58 by prod_rel_team\n\n"
			"ROM: Bootstrap program is C3750E boot loader\n"
			"BOOTLDR: C3750E Boot Loader (C3750X-HBOOT-M) Version 15.2(3r)E, RELEASE SOFTWARE (fc1)\n\n"
			"%s uptime is 1 hour, 5 minutes\n"
			"System returned to ROM by power-on\n"
			"System image file is \"flash:/c3750e-universalk9-mz.152-4.E10.bin\"\n\n"
			"cisco WS-C3750X-48P (PowerPC405) processor (revision A0) with 262144K bytes of memory.\n"
			"Processor board ID FDO0000A0AA\n"
			"Last reset from power-on\n"
			"1 Virtual Ethernet interface\n"
			"4 Gigabit Ethernet interfaces\n"
			"The password-recovery mechanism is enabled.\n\n"
			"512K bytes of flash-simulated non-volatile configuration memory.\n"
			"Model number                    : WS-C3750X-48P-S (aclforge-emu)\n\n"
			"Configuration register is 0xF\n\n",
			c->dev->hostname);
	put_crlf(c->out, &b);
	aclf_buf_release(&b);
}

int eio_show(struct eio_cmd *c, size_t i)
{
	static const char *const user_kw[] = { "clock", "privilege", "terminal", "version", NULL };
	static const char *const priv_kw[] = {
		"access-lists", "clock", "interfaces", "ip", "ipv6", "object-group", "privilege",
		"running-config", "startup-config", "terminal", "version", NULL,
	};
	bool user = c->s->mode == EIO_USER;
	const char *const *kw = user ? user_kw : priv_kw;
	int k = eio_kw(c, i, kw);
	const char *w;

	if (k < 0)
		return -1;
	w = kw[k];
	if (!strcmp(w, "version")) {
		if (eio_end(c, i + 1) < 0)
			return -1;
		show_version(c);
	} else if (!strcmp(w, "privilege")) {
		if (eio_end(c, i + 1) < 0)
			return -1;
		aclf_buf_printf(c->out, "Current privilege level is %d\r\n", user ? 1 : 15);
	} else if (!strcmp(w, "access-lists")) {
		return show_acls(c, i + 1, 0);
	} else if (!strcmp(w, "ip") || !strcmp(w, "ipv6")) {
		static const char *const ip_kw[] = { "access-lists", "interface", "route", NULL };
		static const char *const ip6_kw[] = { "access-list", "interface", "route", NULL };
		bool v6 = !strcmp(w, "ipv6");
		int t = eio_kw(c, i + 1, v6 ? ip6_kw : ip_kw);

		if (t < 0)
			return -1;
		if (t != 0)
			return eio_invalid(c, i + 1);
		return show_acls(c, i + 2, v6 ? 6 : 4);
	} else if (!strcmp(w, "object-group")) {
		return show_og(c, i + 1);
	} else if (!strcmp(w, "running-config")) {
		if (eio_end(c, i + 1) < 0)
			return -1;
		eio_running_config(c->dev, c->out);
	} else if (!strcmp(w, "startup-config")) {
		if (eio_end(c, i + 1) < 0)
			return -1;
		if (!c->dev->startup) {
			eio_puts(c->out, "startup-config is not present\n");
			return 0;
		}
		aclf_buf_printf(c->out, "Using %zu out of 524288 bytes\r\n", strlen(c->dev->startup));
		eio_puts(c->out, c->dev->startup);
	} else {
		return eio_invalid(c, i);
	}
	return 0;
}
