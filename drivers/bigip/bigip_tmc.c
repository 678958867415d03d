/* ltm traffic-matching-criteria (BIG-IP 14.1 and later): a virtual that
 * names one instead of a destination listens on what it says, e.g.
 *
 *   ltm traffic-matching-criteria /Common/web_tmc {
 *       destination-address-inline 10.1.1.10
 *       destination-port-inline 443
 *       protocol tcp
 *       source-address-inline 0.0.0.0
 *   }
 *
 * The neutral lb service has one VIP (an address or a network) and one
 * port: criteria that say exactly that read exactly; address or port lists,
 * port ranges and a restricted source cannot be held: the virtual becomes an
 * opaque lb service with the value at fault and the criteria's text
 * (bigip_assemble.c, README.md). */
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/policy.h"
#include "bigip_int.h"

/* "any", "any6", "0.0.0.0", "0.0.0.0/0", "::", "::/0" (an %rd allowed) */
static bool any_addr(const char *s)
{
	struct aclf_prefix p;
	const char *slash = strchr(s, '/');
	char buf[64];
	long rd;

	if (!strcmp(s, "any") || !strcmp(s, "any6"))
		return true;
	if (strlen(s) >= sizeof(buf))
		return false;
	memcpy(buf, s, strlen(s) + 1);
	if (slash) {
		if (strcmp(slash + 1, "0") != 0)
			return false;
		buf[slash - s] = '\0';
	}
	return bigip_parse_addr(buf, &p, &rd) == 0 && aclf_prefix_first(&p) == 0;
}

/* "10.1.1.10", "10.1.1.10%2", "10.1.1.0/24", "2001:db8::10", "any" */
static int dest_addr(const char *s, struct aclf_prefix *vip, long *rd)
{
	const char *slash = strchr(s, '/');
	char buf[64];
	char *end;
	long len;

	if (!strcmp(s, "any") || !strcmp(s, "any6")) {
		*rd = -1;
		aclf_prefix_from_u128(s[3] ? 6 : 4, 0, 0, vip);
		return 0;
	}
	if (strlen(s) >= sizeof(buf))
		return -1;
	memcpy(buf, s, strlen(s) + 1);
	if (slash)
		buf[slash - s] = '\0';
	if (bigip_parse_addr(buf, vip, rd) < 0)
		return -1;
	if (!slash)
		return 0;
	len = strtol(slash + 1, &end, 10);
	if (end == slash + 1 || *end || len < 0 || len > (vip->family == 4 ? 32 : 128))
		return -1;
	aclf_prefix_from_u128(vip->family, aclf_prefix_first(vip), (uint8_t)len, vip);
	return 0;
}

/* Remember the first value the neutral form cannot hold. */
static void fault(const struct bip_val *v, const char *what, const struct bip_val **at,
		  const char **why, int *r)
{
	if (*r == 0) {
		*at = v;
		*why = what;
	}
	*r = 1;
}

int bigip_tmc_dest(const struct bip_obj *t, struct aclf_prefix *vip, uint16_t *port, int *proto,
		   long *rd, const struct bip_val **at, const char **why)
{
	const char *da = t->tmc_daddr.s;
	uint16_t sport;
	int r = 0;

	*at = NULL;
	*why = NULL;
	*proto = -1;
	*rd = -1;
	*port = 0;
	/* widest first: any address of the family the text suggests */
	aclf_prefix_from_u128(da && strchr(da, ':') ? 6 : 4, 0, 0, vip);
	if (t->tmc_dalist.s)
		fault(&t->tmc_dalist, "a destination address list", at, why, &r);
	else if (!da)
		fault(NULL, "no destination-address-inline", at, why, &r);
	else if (dest_addr(da, vip, rd) < 0) {
		aclf_prefix_from_u128(strchr(da, ':') ? 6 : 4, 0, 0, vip);
		*rd = -1;
		fault(&t->tmc_daddr, "a destination address that is not one address or network",
		      at, why, &r);
	}
	if (t->tmc_dplist.s)
		fault(&t->tmc_dplist, "a destination port list", at, why, &r);
	else if (t->tmc_dport.s && bigip_port_parse(t->tmc_dport.s, port) < 0) {
		*port = 0;
		fault(&t->tmc_dport, "a destination port range or list", at, why, &r);
	}
	if (t->tmc_salist.s)
		fault(&t->tmc_salist, "a source address list", at, why, &r);
	else if (t->tmc_saddr.s && !any_addr(t->tmc_saddr.s))
		fault(&t->tmc_saddr, "a source address", at, why, &r);
	if (t->tmc_splist.s)
		fault(&t->tmc_splist, "a source port list", at, why, &r);
	else if (t->tmc_sport.s && (bigip_port_parse(t->tmc_sport.s, &sport) < 0 || sport != 0))
		fault(&t->tmc_sport, "a source port", at, why, &r);
	if (t->ip_protocol.s && (*proto = aclf_proto_parse(t->ip_protocol.s)) < 0) {
		*proto = -1;
		fault(&t->ip_protocol, "an unknown protocol", at, why, &r);
	}
	return r;
}

char *bigip_tmc_text(struct aclf_arena *a, const struct bip_obj *t)
{
	const struct {
		const char *kw;
		const struct bip_val *v;
	} f[] = {
		{ "destination-address-inline", &t->tmc_daddr },
		{ "destination-address-list", &t->tmc_dalist },
		{ "destination-port-inline", &t->tmc_dport },
		{ "destination-port-list", &t->tmc_dplist },
		{ "protocol", &t->ip_protocol },
		{ "source-address-inline", &t->tmc_saddr },
		{ "source-address-list", &t->tmc_salist },
		{ "source-port-inline", &t->tmc_sport },
		{ "source-port-list", &t->tmc_splist },
	};
	struct aclf_buf b = ACLF_BUF_INIT;
	char *out;
	int r;

	aclf_buf_init(&b, 0);
	r = aclf_buf_printf(&b, "traffic-matching-criteria %s {", t->path ? t->path : t->hdr);
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (f[i].v->s)
			r |= aclf_buf_printf(&b, " %s %s", f[i].kw, f[i].v->s);
	r |= aclf_buf_puts(&b, " }");
	out = r < 0 ? NULL : aclf_arena_strdup(a, b.buf);
	aclf_buf_release(&b);
	return out;
}
