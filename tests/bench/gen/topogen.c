/* The generated deployments of tests/bench (topogen.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "topogen.h"

#define SCATTER_POOL_BITS 15   /* /24s in 10.0.0.0/9 */
#define SCATTER_CLIENT_BITS 18 /* even /28s in 10.128.0.0/9 */

enum { FE, DIR, MED, NKIND };

static const struct {
	const char *role, *tag;
	unsigned pct;            /* share of the servers */
	unsigned lo, hi;         /* pool size, scattered layout (Lync 2013 pools) */
	unsigned seq_size;       /* pool size, sequential layout */
} kinds[NKIND] = {
	[FE] = { "front-end", "fe", 60, 3, 12, 12 },
	[DIR] = { "director", "dir", 20, 2, 4, 4 },
	[MED] = { "mediation", "med", 20, 2, 4, 4 },
};

struct pool {
	unsigned kind, idx, size;
};

static uint32_t rng_next(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* A bijection of [0, 2^bits): consecutive inputs land far apart. */
static uint32_t scramble(uint32_t x, unsigned bits)
{
	uint32_t m = (1u << bits) - 1;

	x = (x * 0x9E3779B1u) & m;
	x ^= x >> (bits / 2 + 1);
	x = (x * 0x85EBCA6Bu) & m;
	x ^= x >> (bits / 2);
	return x & m;
}

/* The pools, front end, director and mediation taking turns so that every
 * block of pools holds all three roles. */
static struct pool *make_pools(const struct topogen *g, unsigned *npools)
{
	unsigned left[NKIND], n = 0, cap = 16;
	uint32_t seed = 2463534242u;
	struct pool *v = malloc(cap * sizeof(*v));

	left[FE] = g->servers * kinds[FE].pct / 100;
	left[DIR] = g->servers * kinds[DIR].pct / 100;
	left[MED] = g->servers - left[FE] - left[DIR];
	while (v && (left[FE] || left[DIR] || left[MED])) {
		for (unsigned k = 0; k < NKIND && v; k++) {
			unsigned size;
			if (!left[k])
				continue;
			if (g->layout == TOPOGEN_SEQUENTIAL)
				size = kinds[k].seq_size;
			else
				size = kinds[k].lo + rng_next(&seed) % (kinds[k].hi - kinds[k].lo + 1);
			if (size > left[k])
				size = left[k];
			if (n == cap) {
				struct pool *nv = realloc(v, 2 * cap * sizeof(*v));
				if (!nv) {
					free(v);
					v = NULL;
					break;
				}
				v = nv;
				cap *= 2;
			}
			v[n].kind = k;
			v[n].idx = n;
			v[n].size = size;
			n++;
			left[k] -= size;
		}
	}
	*npools = n;
	return v;
}

static int clients(const struct topogen *g, struct aclf_buf *b)
{
	uint32_t seed = 12345;
	int rc = 0;

	rc |= aclf_buf_puts(b, "networks:\n  clients:\n    kind: clients\n    prefixes:\n");
	for (unsigned i = 0; i < g->clients; i++) {
		uint32_t a;
		if (g->layout == TOPOGEN_SEQUENTIAL) {
			uint32_t r = rng_next(&seed) % (1u << 20); /* a /28 in 10.0.0.0/8 */
			a = (10u << 24) | (r << 4);
		} else {
			a = (10u << 24) | (1u << 23) | (scramble(i, SCATTER_CLIENT_BITS) << 5);
		}
		rc |= aclf_buf_printf(b, "      - %u.%u.%u.%u/28\n", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff,
				      a & 0xff);
	}
	rc |= aclf_buf_puts(b, "  gateways: {kind: pstn-gateway, prefixes: [172.31.0.10, 172.31.0.11]}\n"
			       "  rp: {kind: reverse-proxy, prefixes: [172.31.1.10]}\n");
	return rc;
}

static int pool_yaml(const struct topogen *g, const struct pool *p, unsigned *seq_ip, struct aclf_buf *b)
{
	const char *tag = kinds[p->kind].tag;
	uint32_t net = 0;
	int rc = 0;

	rc |= aclf_buf_printf(b, "  %s%u:\n    role: %s\n    fqdn: %s%u.example.net\n", tag, p->idx,
			      kinds[p->kind].role, tag, p->idx);
	if (g->layout == TOPOGEN_SEQUENTIAL) {
		rc |= aclf_buf_printf(b, "    vip: 172.%u.%u.%u\n", 16 + (p->idx >> 16) % 8, (p->idx >> 8) & 0xff,
				      p->idx & 0xff);
	} else {
		net = (10u << 24) | (scramble(p->idx, SCATTER_POOL_BITS) << 8);
		rc |= aclf_buf_printf(b, "    vip: %u.%u.%u.250\n", net >> 24, (net >> 16) & 0xff, (net >> 8) & 0xff);
	}
	if (p->idx == 0)
		rc |= aclf_buf_puts(b, "    cms: true\n");
	rc |= aclf_buf_puts(b, "    servers:\n");
	for (unsigned s = 0; s < p->size; s++) {
		uint32_t a;
		if (g->layout == TOPOGEN_SEQUENTIAL)
			a = (192u << 24) | (168u << 16) | ((*seq_ip)++ & 0xffff);
		else
			a = net | (11 + 2 * s);
		rc |= aclf_buf_printf(b, "      %s%u-%u: %u.%u.%u.%u\n", tag, p->idx, s, a >> 24, (a >> 16) & 0xff,
				      (a >> 8) & 0xff, a & 0xff);
	}
	return rc;
}

static int pool_list(struct aclf_buf *b, const struct pool *v, unsigned n, bool lb_only)
{
	int rc = 0;
	bool first = true;

	for (unsigned i = 0; i < n; i++) {
		if (lb_only && v[i].kind == MED)
			continue;
		rc |= aclf_buf_printf(b, "%s%s%u", first ? "" : ", ", kinds[v[i].kind].tag, v[i].idx);
		first = false;
	}
	return rc;
}

/* The filtering devices of pools v[0..n): an IOS core switch and a Junos
 * firewall with one filter per pool, an nftables router guarding all of
 * them; named and numbered after block blk. */
static int filters_yaml(unsigned blk, const struct pool *v, unsigned n, struct aclf_buf *b, unsigned *ndev)
{
	int rc = 0;

	rc |= aclf_buf_printf(b, "  core%u:\n    driver: ios\n    host: 192.0.%u.%u\n    protects:\n", blk,
			      blk / 64, 1 + 4 * (blk % 64));
	for (unsigned i = 0; i < n; i++)
		rc |= aclf_buf_printf(b, "      - {pools: [%s%u], interface: Vlan%u, direction: out}\n",
				      kinds[v[i].kind].tag, v[i].idx, 100 + i);
	rc |= aclf_buf_printf(b, "  fw%u:\n    driver: junos\n    host: 192.0.%u.%u\n    protects:\n", blk,
			      blk / 64, 2 + 4 * (blk % 64));
	for (unsigned i = 0; i < n; i++)
		rc |= aclf_buf_printf(b, "      - {pools: [%s%u], interface: ge-0/0/0.%u, direction: out}\n",
				      kinds[v[i].kind].tag, v[i].idx, 100 + i);
	rc |= aclf_buf_printf(b, "  gw%u:\n    driver: nftables\n    host: 192.0.%u.%u\n    protects:\n"
				 "      - chain: forward\n        pools: [", blk, blk / 64, 4 + 4 * (blk % 64));
	rc |= pool_list(b, v, n, false);
	rc |= aclf_buf_puts(b, "]\n");
	*ndev += 3;
	return rc;
}

/* The BIG-IP of pools v[0..n), balancing its front end and director
 * pools (none when it has none). */
static int lb_yaml(unsigned blk, const struct pool *v, unsigned n, struct aclf_buf *b, unsigned *ndev)
{
	int rc = 0;
	bool lb = false;

	for (unsigned i = 0; i < n; i++)
		lb = lb || v[i].kind != MED;
	if (!lb)
		return 0;
	/* its self IP (monitors, SNAT automap) is its own address */
	rc |= aclf_buf_printf(b, "  lb%u:\n    driver: bigip\n    host: 192.0.%u.%u\n    self_ips: [192.0.%u.%u]\n"
				 "    balances: [",
			      blk, blk / 64, 3 + 4 * (blk % 64), blk / 64, 3 + 4 * (blk % 64));
	rc |= pool_list(b, v, n, true);
	rc |= aclf_buf_puts(b, "]\n");
	(*ndev)++;
	return rc;
}

int topogen_yaml(const struct topogen *g, struct aclf_buf *b, struct topogen_stats *st)
{
	unsigned per = g->pools_per_block ? g->pools_per_block : 50, npools, seq_ip = 0;
	struct pool *pools;
	int rc = 0;

	memset(st, 0, sizeof(*st));
	if (g->layout == TOPOGEN_SCATTERED && g->clients > (1u << SCATTER_CLIENT_BITS))
		return -1;
	pools = make_pools(g, &npools);
	if (!pools)
		return -1;
	if (g->layout == TOPOGEN_SCATTERED && npools > (1u << SCATTER_POOL_BITS)) {
		free(pools);
		return -1;
	}
	rc |= aclf_buf_printf(b, "catalog: %s\nsite: bench\nload_balancing: hardware\n",
			      g->catalog ? g->catalog : "lync2013-internal");
	rc |= aclf_buf_puts(b, "client_media_ports: {enabled: true, audio: {start: 50020, count: 20}, "
			       "video: {start: 58000, count: 20}, app_sharing: {start: 42000, count: 20}, "
			       "file_transfer: {start: 42020, count: 20}}\n");
	rc |= clients(g, b);
	rc |= aclf_buf_puts(b, "pools:\n");
	for (unsigned i = 0; i < npools; i++)
		rc |= pool_yaml(g, &pools[i], &seq_ip, b);
	rc |= aclf_buf_puts(b, "devices:\n");
	if (g->central)
		rc |= filters_yaml(0, pools, npools, b, &st->devices);
	for (unsigned i = 0, blk = 0; i < npools; i += per, blk++) {
		unsigned n = npools - i < per ? npools - i : per;
		if (!g->central)
			rc |= filters_yaml(blk, pools + i, n, b, &st->devices);
		rc |= lb_yaml(blk, pools + i, n, b, &st->devices);
		st->blocks++;
	}
	st->pools = npools;
	free(pools);
	return rc ? -1 : 0;
}
