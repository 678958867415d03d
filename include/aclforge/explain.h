/* Explain one packet: on each device that protects its destination, the
 * rule that decides it, the action, and the seed rows that rule serves;
 * the load balancers whose virtual server it reaches, with their members. */
#ifndef ACLFORGE_EXPLAIN_H
#define ACLFORGE_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aclforge/arena.h"
#include "aclforge/policy.h"

struct aclf_catalog;
struct aclf_topology;
struct aclf_err;

struct aclf_packet {
	struct aclf_prefix src, dst; /* host prefixes */
	int protocol;
	uint16_t src_port, dst_port;
	bool established;            /* TCP with ACK or RST set */
};

/* A catalog row a rule serves for this packet. */
struct aclf_explain_row {
	const char *id, *table;
	unsigned seed_row;
	const char *role, *service, *seed_protocol;
	bool return_path;            /* the rule is the return path of that row */
};

struct aclf_explain_filter {
	const char *device, *driver, *filter;
	const char *rule;            /* deciding rule id, NULL = the default action */
	enum aclf_action action;
	struct aclf_explain_row *rows;   /* what the deciding rule serves */
	size_t nrows;
	struct aclf_explain_row *also;   /* what later matching rules serve */
	size_t nalso;
	unsigned site_rule;          /* 1-based index of the site rule behind it, 0 = none */
	const struct aclf_topo_rule *site; /* that rule in the topology */
};

struct aclf_explain_lb {
	const char *device, *service;
	const struct aclf_lb_member *members;
	size_t nmembers;
	const char **rows;           /* catalog row ids */
	size_t nrows;
};

struct aclf_explain {
	struct aclf_arena arena;
	struct aclf_explain_filter *filters;
	size_t nfilters;
	struct aclf_explain_lb *lbs;
	size_t nlbs;
};

/* Is q a packet that can exist? Host addresses of one family, one protocol
 * (not ACLF_PROTO_ANY), ICMP of the addresses' family (icmp with IPv4,
 * icmp6 with IPv6), established only with TCP, ports only with TCP and UDP
 * (0 otherwise). Returns 0, or -1 with err set (ACLF_E_INPUT) saying what
 * cannot be. */
int aclf_packet_check(const struct aclf_packet *q, struct aclf_err *err);

/* Fills out (released with aclf_explain_release, which the caller calls
 * whatever the result). The packet must pass aclf_packet_check. pol is compiled from topo and cat; the result
 * points into all three. Returns 0 or -1 with err set. */
int aclf_explain(const struct aclf_topology *topo, const struct aclf_catalog *cat,
		 const struct aclf_policy *pol, const struct aclf_packet *q, struct aclf_explain *out,
		 struct aclf_err *err);
void aclf_explain_release(struct aclf_explain *x);

#endif
