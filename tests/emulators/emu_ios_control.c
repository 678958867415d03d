/* Test control of the emulated IOS device (the `emu-control` exec command):
 *   packet IFACE in|out PROTO SRC SPORT DST DPORT [established]
 * filters one packet through the list bound at IFACE in that direction for
 * the packet's family: the first matching entry's counter goes up, and the
 * answer is one line, "permit|deny LIST SEQ", "deny LIST implicit", or
 * "permit none" when no list filters the family there (or the list bound is
 * not defined: IOS passes the packet);
 *   clear counters
 * sets every entry's counter to 0 (as `clear access-list counters`). */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emu_ios.h"
#include "ios/ios.h"

#define CTL_WORDS 12

static int words(char *s, char **w)
{
	int n = 0;

	for (char *p = s; *p && n < CTL_WORDS;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		w[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return n;
}

static int usage(struct aclf_buf *out, const char *why)
{
	aclf_buf_printf(out, "emu-control: %s; usage: packet IFACE in|out PROTO SRC SPORT DST DPORT "
			     "[established] | clear counters\n", why);
	return -1;
}

static int port(const char *s, uint16_t *p)
{
	unsigned long v;

	if (ios_parse_uint(s, 65535, &v) < 0)
		return -1;
	*p = (uint16_t)v;
	return 0;
}

static int packet(struct eio_dev *d, char **w, int n, struct aclf_buf *out)
{
	struct eio_pkt p;
	struct eio_if *f;
	struct eio_acl *a;
	struct eio_ace *e;
	const char *name;
	bool in;

	memset(&p, 0, sizeof(p));
	if (n != 8 && !(n == 9 && !strcmp(w[8], "established")))
		return usage(out, "wrong number of words");
	f = eio_if_find(d, w[1]);
	if (!f)
		return usage(out, "no such interface");
	if (strcmp(w[2], "in") && strcmp(w[2], "out"))
		return usage(out, "direction is in or out");
	in = !strcmp(w[2], "in");
	p.fam = strchr(w[4], ':') ? 6 : 4;
	p.proto = ios_proto_parse(p.fam, w[3]);
	if (p.proto <= 0)
		return usage(out, "bad protocol");
	if (inet_pton(p.fam == 6 ? AF_INET6 : AF_INET, w[4], p.src) != 1 ||
	    inet_pton(p.fam == 6 ? AF_INET6 : AF_INET, w[6], p.dst) != 1)
		return usage(out, "bad address");
	if (port(w[5], &p.sport) < 0 || port(w[7], &p.dport) < 0)
		return usage(out, "bad port");
	p.established = n == 9;
	name = p.fam == 6 ? (in ? f->v6_in : f->v6_out) : (in ? f->acl_in : f->acl_out);
	a = name ? eio_acl_find(d, name, p.fam) : NULL;
	if (!a) {
		aclf_buf_puts(out, "permit none\n");
		return 0;
	}
	e = eio_acl_match(d, a, &p);
	if (!e) {
		aclf_buf_printf(out, "deny %s implicit\n", a->name);
		return 0;
	}
	e->matches++;
	aclf_buf_printf(out, "%s %s %lu\n", e->permit ? "permit" : "deny", a->name, e->seq);
	return 0;
}

int eio_control(struct eio_dev *d, const char *command, struct aclf_buf *out)
{
	char *s = strdup(command), *w[CTL_WORDS];
	int n, r;

	if (!s)
		return -1;
	n = words(s, w);
	if (n >= 1 && !strcmp(w[0], "packet")) {
		r = packet(d, w, n, out);
	} else if (n == 2 && !strcmp(w[0], "clear") && !strcmp(w[1], "counters")) {
		for (size_t k = 0; k < d->nacl; k++)
			for (size_t j = 0; j < d->acl[k]->n; j++)
				d->acl[k]->ace[j].matches = 0;
		r = 0;
	} else {
		r = usage(out, "unknown command");
	}
	free(s);
	return r;
}
