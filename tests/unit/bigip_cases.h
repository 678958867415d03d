/* Hand-built lb services for the BIG-IP driver tests: a Lync 2013 Front End
 * pool (3 servers, collocated Mediation) on Microsoft's hardware load
 * balancer port set, as the compiler builds it (pool_name "<pool>-<port>",
 * tcp monitor on 5061 every 5 s with 16 s timeout, source-address affinity
 * 1800 s except the external web ports 4443 and 8080, idle timeout 1800 s,
 * SNAT automap, least-connections-member), plus helpers to read fixtures
 * and compare services field by field. */
#ifndef BIGIP_CASES_H
#define BIGIP_CASES_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/policy.h"
#include "aclforge/prefix.h"

/* Microsoft, Lync 2013 ports and protocols for internal servers: Front End
 * hardware load balancer ports, plus 5070 for a pool with Mediation. */
static const uint16_t bt_hlb_ports[] = {
	5061, 444, 135, 80, 8080, 443, 4443, 5072, 5073, 5075, 5076, 5071, 5080, 448, 5070,
};
#define BT_NHLB (sizeof(bt_hlb_ports) / sizeof(bt_hlb_ports[0]))

static inline struct aclf_prefix bt_addr(const char *s)
{
	struct aclf_prefix p;

	memset(&p, 0, sizeof(p));
	if (aclf_prefix_parse(s, &p, false) < 0)
		abort();
	return p;
}

static inline struct aclf_lb_service *bt_service(struct aclf_policy *pol, struct aclf_devpol *d,
						 const char *pool, const char *vip, uint16_t port,
						 const char *const *names, const char *const *addrs,
						 size_t nmembers)
{
	char name[96];
	struct aclf_lb_service *s;
	bool v6 = strchr(vip, ':') != NULL;

	snprintf(name, sizeof(name), "%s-%u%s", pool, port, v6 ? "-v6" : "");
	s = aclf_devpol_add_lb(pol, d, name);
	if (!s)
		abort();
	s->pool_name = aclf_arena_strdup(&pol->arena, name);
	s->vip = bt_addr(vip);
	s->protocol = ACLF_PROTO_TCP;
	s->port = port;
	s->monitor.type = "tcp";
	s->monitor.port = 5061;
	s->monitor.interval = 5;
	s->monitor.timeout = 16;
	if (port == 4443 || port == 8080) {
		s->persistence.kind = ACLF_PERSIST_NONE;
	} else {
		s->persistence.kind = ACLF_PERSIST_SOURCE_ADDR;
		s->persistence.mask_len = v6 ? 128 : 32;
		s->persistence.timeout = 1800;
	}
	/* web services: request-level balancing, reuse per client; HTTPS with
	 * TLS terminated by the site's profiles (as the compiler does when the
	 * topology names them) */
	if (port == 80 || port == 8080 || port == 443 || port == 4443) {
		s->request.enabled = true;
		s->request.reuse_mask_len = v6 ? 128 : 32;
	}
	if (port == 443 || port == 4443) {
		s->tls.client_profile = "/Common/lync-web-clientssl";
		s->tls.server_profile = "/Common/serverssl";
	}
	s->snat = ACLF_SNAT_AUTOMAP;
	s->idle_timeout = 1800;
	s->lb_method = "least-connections-member";
	s->vlan = "internal";
	for (size_t i = 0; i < nmembers; i++) {
		struct aclf_prefix a = bt_addr(addrs[i]);
		if (aclf_lb_add_member(pol, s, names ? names[i] : NULL, &a, port) < 0)
			abort();
	}
	if (aclf_lb_add_prov(pol, s, "pool", pool) < 0)
		abort();
	return s;
}

/* The Front End pool fe-berlin on all HLB ports (IPv4), and its port 443
 * on an IPv6 VIP. */
static inline struct aclf_devpol *bt_lync_fe(struct aclf_policy *pol)
{
	static const char *const names[] = { "fe01", "fe02", "fe03" };
	static const char *const v4[] = { "10.1.1.11", "10.1.1.12", "10.1.1.13" };
	static const char *const v6[] = { "2001:db8:1::11", "2001:db8:1::12", "2001:db8:1::13" };
	struct aclf_devpol *d = aclf_policy_add_device(pol, "lb1", "bigip");
	char ref[32];

	if (!d)
		abort();
	for (size_t i = 0; i < BT_NHLB; i++) {
		struct aclf_lb_service *s =
			bt_service(pol, d, "fe-berlin", "10.1.1.10", bt_hlb_ports[i], names, v4, 3);
		snprintf(ref, sizeof(ref), "hlb:%zu", i + 1);
		if (aclf_lb_add_prov(pol, s, "seed", ref) < 0 ||
		    aclf_lb_add_prov(pol, s, "catalog", "hlb-front-end") < 0)
			abort();
	}
	bt_service(pol, d, "fe-berlin", "2001:db8:1::10", 443, names, v6, 3);
	return d;
}

/* Everything else the IR can say: no persistence, no monitor, udp, device
 * defaults (0), indefinite idle timeout, member ports differing from the VIP
 * port, request-level balancing without a reuse mask, unnamed members, names
 * needing escapes, no pool_name. */
static inline struct aclf_devpol *bt_odd_fields(struct aclf_policy *pol)
{
	static const char *const addrs[] = { "192.0.2.21", "192.0.2.22" };
	static const char *const names[] = { "web 1;x=y", NULL };
	struct aclf_devpol *d = aclf_policy_add_device(pol, "lb2", "bigip");
	struct aclf_lb_service *s;

	if (!d)
		abort();
	s = bt_service(pol, d, "ext web", "192.0.2.10", 443, names, addrs, 2);
	s->members[0].port = 4443;
	s->members[1].port = 4443;
	s->persistence.kind = ACLF_PERSIST_NONE;
	s->persistence.mask_len = 0;
	s->persistence.timeout = 0;
	s->monitor.type = NULL;
	s->monitor.port = 0;
	s->monitor.interval = 0;
	s->monitor.timeout = 0;
	s->vlan = NULL;
	s->snat = ACLF_SNAT_NONE;
	s->lb_method = NULL;
	s->idle_timeout = UINT_MAX;
	/* per request, server-side connections shared by every client (the
	 * built-in oneconnect) */
	s->request.enabled = true;
	s->request.reuse_mask_len = 0;
	if (aclf_lb_add_prov(pol, s, "topology-rule", "why: \"quoted\" 100%") < 0)
		abort();

	s = bt_service(pol, d, "med", "192.0.2.30", 5070, names, addrs, 2);
	s->protocol = ACLF_PROTO_UDP;
	s->idle_timeout = 0;
	s->monitor.port = 0;
	s->monitor.interval = 0;
	s->monitor.timeout = 0;
	s->persistence.mask_len = 24;
	s->persistence.timeout = 0;
	s->pool_name = NULL;

	/* TLS terminated with a profile of another partition, plain text to
	 * the members (no server-side profile), request balancing off; an
	 * aclforge virtual that is disabled */
	s = bt_service(pol, d, "web", "192.0.2.40", 443, names, addrs, 2);
	s->request.enabled = false;
	s->request.reuse_mask_len = 0;
	s->tls.client_profile = "/Lync/web/clientssl-2048";
	s->tls.server_profile = NULL;
	s->disabled = true;
	return d;
}

static inline bool bt_same_str(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Compare every field; prov of b must start with a's and may go on with
 * "device"/"note" entries only. why names the first difference. */
static inline bool bt_same_service(const struct aclf_lb_service *a, const struct aclf_lb_service *b,
				   char *why, size_t whylen)
{
#define BT_DIFF(cond, what)                                                                        \
	do {                                                                                       \
		if (cond) {                                                                        \
			snprintf(why, whylen, "%s: %s", a->name, what);                            \
			return false;                                                              \
		}                                                                                  \
	} while (0)
	BT_DIFF(!bt_same_str(a->name, b->name), "name");
	BT_DIFF(!bt_same_str(a->pool_name, b->pool_name), "pool_name");
	BT_DIFF(aclf_prefix_cmp(&a->vip, &b->vip) != 0, "vip");
	BT_DIFF(a->protocol != b->protocol, "protocol");
	BT_DIFF(a->port != b->port, "port");
	BT_DIFF(a->nmembers != b->nmembers, "member count");
	for (size_t i = 0; i < a->nmembers; i++) {
		BT_DIFF(!bt_same_str(a->members[i].name, b->members[i].name), "member name");
		BT_DIFF(aclf_prefix_cmp(&a->members[i].address, &b->members[i].address) != 0,
			"member address");
		BT_DIFF(a->members[i].port != b->members[i].port, "member port");
	}
	BT_DIFF(!bt_same_str(a->monitor.type, b->monitor.type), "monitor type");
	BT_DIFF(a->monitor.port != b->monitor.port, "monitor port");
	BT_DIFF(a->monitor.interval != b->monitor.interval, "monitor interval");
	BT_DIFF(a->monitor.timeout != b->monitor.timeout, "monitor timeout");
	BT_DIFF(a->persistence.kind != b->persistence.kind, "persistence kind");
	BT_DIFF(a->persistence.mask_len != b->persistence.mask_len, "persistence mask");
	BT_DIFF(a->persistence.timeout != b->persistence.timeout, "persistence timeout");
	BT_DIFF(!bt_same_str(a->persistence.cookie_name, b->persistence.cookie_name), "cookie");
	BT_DIFF(a->request.enabled != b->request.enabled, "request balancing");
	BT_DIFF(a->request.reuse_mask_len != b->request.reuse_mask_len, "connection reuse mask");
	BT_DIFF(!bt_same_str(a->tls.client_profile, b->tls.client_profile), "tls client profile");
	BT_DIFF(!bt_same_str(a->tls.server_profile, b->tls.server_profile), "tls server profile");
	BT_DIFF(a->disabled != b->disabled, "disabled");
	BT_DIFF(a->snat != b->snat, "snat");
	BT_DIFF(a->idle_timeout != b->idle_timeout, "idle timeout");
	BT_DIFF(!bt_same_str(a->lb_method, b->lb_method), "lb method");
	BT_DIFF(!bt_same_str(a->vlan, b->vlan), "vlan");
	BT_DIFF(b->nprov < a->nprov, "provenance count");
	for (size_t i = 0; i < a->nprov; i++)
		BT_DIFF(strcmp(a->prov[i].kind, b->prov[i].kind) != 0 ||
				strcmp(a->prov[i].ref, b->prov[i].ref) != 0,
			"provenance");
	for (size_t i = a->nprov; i < b->nprov; i++)
		BT_DIFF(strcmp(b->prov[i].kind, "device") != 0, "extra provenance not device");
#undef BT_DIFF
	return true;
}

/* Read tests/fixtures/<rel>; aborts the test binary when missing. */
static inline void bt_read_fixture(const char *rel, struct aclf_buf *out)
{
	const char *dir = getenv("ACLF_FIXTURES");
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/fixtures", rel);
	aclf_buf_init(out, 0);
	if (aclf_buf_read_file(out, path) < 0) {
		fprintf(stderr, "cannot read fixture %s\n", path);
		abort();
	}
}

/* The provenance ref of the first entry of kind, or NULL. */
static inline const char *bt_prov(const struct aclf_lb_service *s, const char *kind, size_t nth)
{
	for (size_t i = 0; i < s->nprov; i++)
		if (strcmp(s->prov[i].kind, kind) == 0 && nth-- == 0)
			return s->prov[i].ref;
	return NULL;
}

static inline bool bt_has_note(const struct aclf_lb_service *s, const char *needle)
{
	for (size_t i = 0; i < s->nprov; i++)
		if (strcmp(s->prov[i].kind, "note") == 0 && strstr(s->prov[i].ref, needle))
			return true;
	return false;
}

#endif
