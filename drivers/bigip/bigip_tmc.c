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
 * port ranges and a restricted source cannot be held and are refused with
 * the value at fault (README.md). */
#include <stdlib.h>
#include <string.h>

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

int bigip_tmc_dest(const struct bip_obj *t, struct aclf_prefix *vip, uint16_t *port, int *proto,
		   long *rd, const struct bip_val **at, const char **why)
{
	uint16_t sport;

	*at = NULL;
	*proto = -1;
	if (t->tmc_list.s) {
		*at = &t->tmc_list;
		*why = "an address or port list";
		return -1;
	}
	if (!t->tmc_daddr.s) {
		*why = "no destination-address-inline";
		return -1;
	}
	if (dest_addr(t->tmc_daddr.s, vip, rd) < 0) {
		*at = &t->tmc_daddr;
		*why = "a destination address that is not one address or network";
		return -1;
	}
	*port = 0;
	if (t->tmc_dport.s && bigip_port_parse(t->tmc_dport.s, port) < 0) {
		*at = &t->tmc_dport;
		*why = "a destination port range or list";
		return -1;
	}
	if (t->tmc_saddr.s && !any_addr(t->tmc_saddr.s)) {
		*at = &t->tmc_saddr;
		*why = "a source address";
		return -1;
	}
	if (t->tmc_sport.s && (bigip_port_parse(t->tmc_sport.s, &sport) < 0 || sport != 0)) {
		*at = &t->tmc_sport;
		*why = "a source port";
		return -1;
	}
	if (t->ip_protocol.s && (*proto = aclf_proto_parse(t->ip_protocol.s)) < 0) {
		*at = &t->ip_protocol;
		*why = "an unknown protocol";
		return -1;
	}
	return 0;
}
