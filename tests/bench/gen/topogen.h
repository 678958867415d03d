/* Generated Lync deployments for the benchmarks (tests/bench): YAML
 * topologies of any size, deterministic for a given set of options. */
#ifndef ACLF_BENCH_TOPOGEN_H
#define ACLF_BENCH_TOPOGEN_H

#include <stdbool.h>

#include "aclforge/buf.h"

enum topogen_layout {
	/* every pool in its own /24 somewhere among the 128 /16s of 10.0.0.0/9,
	 * its servers on odd host numbers (no two aggregate); client /28s at
	 * even /28 positions of 10.128.0.0/9, scattered, so none aggregate */
	TOPOGEN_SCATTERED,
	/* the benchmarks' former layout: servers numbered on from
	 * 192.168.0.0, client /28s drawn at random in 10.0.0.0/8 (some collide
	 * or aggregate) */
	TOPOGEN_SEQUENTIAL,
};

struct topogen {
	unsigned servers;          /* Lync servers: 60% front end, 20% director, 20% mediation */
	unsigned clients;          /* client /28 networks (at most 262,144 scattered) */
	enum topogen_layout layout;
	unsigned pools_per_block;  /* 0: 50; UINT32_MAX: all pools in one block. Each block of pools has an IOS core switch and a
	                            * Junos firewall with one filter per pool, a BIG-IP
	                            * balancing its front end and director pools and an
	                            * nftables router guarding all its pools (forward chain) */
	bool central;              /* one IOS core, one Junos firewall (one filter per pool
	                            * each) and one nftables router guard every pool;
	                            * only the BIG-IPs go per block */
	const char *catalog;       /* NULL: lync2013-internal */
};

/* What a generated topology holds. */
struct topogen_stats {
	unsigned pools, blocks, devices;
};

/* Append the topology's YAML to out; 0 or -1 (out of memory, or more
 * clients than the layout has room for). */
int topogen_yaml(const struct topogen *g, struct aclf_buf *out, struct topogen_stats *st);

#endif
