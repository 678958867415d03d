/* The SNMP transport and the counter decoders driven from the command line,
 * for the scripts (tests/integration/snmp_*.sh) and the benchmark:
 *
 *   snmp_probe [-t MS] [-r TRIES] [-m MAXREP] [-n RUNS] [-c CONTEXT] [-i INFLIGHT] [-a PERADDR]
 *              [-d junos|bigip] [-W junos|bigip] [-w OID]... [-g OID]... AGENT...
 *
 * AGENT is NAME=HOST:PORT:2c:COMMUNITY or
 * NAME=HOST:PORT:3:USER:AUTH:AUTHPASS:PRIV:PRIVPASS (AUTH and PRIV "-" for
 * none). All agents are polled in one aclf_snmp_run, RUNS times with one
 * engine ID cache. -W walks what that driver's counters op reads (its
 * counter_walks, in their order, where -W stands among -w and -g).
 * Prints, per job in the order they ended:
 *   done NAME ms=MS values=N requests=R resends=S   (ms since the run started;
 *                                          S: tries that timed out)
 *   fail NAME ms=MS ERROR
 * then the values (NAME OID TYPE VALUE; octet strings in hex) or, with -d,
 * the decoded rows:
 *   NAME fwc FILTER|COUNTER|TYPE|PACKETS|BYTES|BASE|IFL|DIR
 *   NAME vs NAME|PKTS_IN|BYTES_IN|PKTS_OUT|BYTES_OUT|TOT_CONNS|CUR_CONNS
 *   NAME mbr POOL|NODE|PORT|PKTS_IN|BYTES_IN|PKTS_OUT|BYTES_OUT|TOT_CONNS|CUR_CONNS
 * and last "discoveries N" (engine IDs found over the network). Exit 0 when
 * every job succeeded, 3 when one failed, 2 on bad usage. With -q only the
 * done/fail lines and a "values N ms MS requests R resends S" total are
 * printed. -i and -a set the run's caps on requests in flight in all and
 * per agent address. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aclforge/err.h"
#include "aclforge/snmp.h"
#include "bigip/bigip_snmp.h"
#include "junos/junos_snmp.h"

static int usage(void)
{
	fprintf(stderr, "usage: snmp_probe [-t MS] [-r TRIES] [-m MAXREP] [-n RUNS] [-c CONTEXT] [-i INFLIGHT] "
			"[-a PERADDR] [-q] "
			"[-d junos|bigip] [-W junos|bigip] [-w OID]... [-g OID]... AGENT...\n");
	return 2;
}

static char *field(char **p)
{
	char *s = *p, *c;

	if (!s)
		return NULL;
	c = strchr(s, ':');
	if (c) {
		*c = 0;
		*p = c + 1;
	} else {
		*p = NULL;
	}
	return s;
}

static const char *none(const char *s)
{
	return s && strcmp(s, "-") ? s : NULL;
}

static int parse_agent(char *spec, struct aclf_snmp_opts *o)
{
	char *eq = strchr(spec, '='), *p, *port, *ver;

	if (!eq)
		return -1;
	*eq = 0;
	o->device = spec;
	p = eq + 1;
	o->host = field(&p);
	port = field(&p);
	ver = field(&p);
	if (!o->host || !port || !ver)
		return -1;
	o->port = (uint16_t)strtoul(port, NULL, 10);
	if (!strcmp(ver, "2c")) {
		o->version = 2;
		o->community = p;
		return p ? 0 : -1;
	}
	o->version = 3;
	o->user = field(&p);
	o->auth_proto = none(field(&p));
	o->auth_pass = field(&p);
	o->priv_proto = none(field(&p));
	o->priv_pass = p;
	return 0;
}

static void print_vbs(const char *name, const struct aclf_snmp_vbs *l)
{
	for (size_t k = 0; k < l->n; k++) {
		const struct aclf_snmp_vb *vb = &l->v[k];
		char o[ACLF_SNMP_MAX_OID * 11 + 8];

		printf("%s %s %s ", name, aclf_snmp_oid_str(vb->oid, vb->oid_len, o, sizeof(o)),
		       aclf_snmp_type_name(vb->type));
		switch (vb->type) {
		case ACLF_SNMP_INTEGER:
			printf("%" PRId64 "\n", vb->i);
			break;
		case ACLF_SNMP_COUNTER32:
		case ACLF_SNMP_GAUGE32:
		case ACLF_SNMP_TIMETICKS:
		case ACLF_SNMP_COUNTER64:
			printf("%" PRIu64 "\n", vb->u);
			break;
		case ACLF_SNMP_OBJID:
			printf("%s\n", (const char *)vb->str);
			break;
		default:
			for (size_t i = 0; i < vb->str_len; i++)
				printf("%02x", vb->str[i]);
			printf("\n");
			break;
		}
	}
}

static void print_traffic(const struct bigip_traffic *t)
{
	printf("|%" PRIu64 "|%" PRIu64 "|%" PRIu64 "|%" PRIu64 "|%" PRIu64 "|%" PRIu64 "\n",
	       t->pkts_in, t->bytes_in, t->pkts_out, t->bytes_out, t->tot_conns, t->cur_conns);
}

static int decode(const char *how, const char *name, const struct aclf_snmp_vbs *l)
{
	struct aclf_err err;
	int rc = 0;

	aclf_err_init(&err);
	if (!strcmp(how, "junos")) {
		struct junos_fwcs c;

		if (junos_snmp_decode(l, name, &c, &err) < 0) {
			printf("decode-fail %s %s\n", name, aclf_err_text(&err));
			rc = -1;
		}
		for (size_t k = 0; rc == 0 && k < c.n; k++)
			printf("%s fwc %s|%s|%d|%" PRIu64 "|%" PRIu64 "|%s|%s|%c\n", name, c.v[k].filter,
			       c.v[k].counter, c.v[k].type, c.v[k].packets, c.v[k].bytes, c.v[k].base,
			       c.v[k].ifl, c.v[k].dir ? c.v[k].dir : '-');
		junos_fwcs_release(&c);
	} else {
		struct bigip_snmp_stats s;

		if (bigip_snmp_decode(l, name, &s, &err) < 0) {
			printf("decode-fail %s %s\n", name, aclf_err_text(&err));
			rc = -1;
		}
		for (size_t k = 0; rc == 0 && k < s.nvs; k++) {
			printf("%s vs %s", name, s.vs[k].name);
			print_traffic(&s.vs[k].t);
		}
		for (size_t k = 0; rc == 0 && k < s.nmbr; k++) {
			printf("%s mbr %s|%s|%u", name, s.mbr[k].pool, s.mbr[k].node,
			       (unsigned)s.mbr[k].port);
			print_traffic(&s.mbr[k].t);
		}
		bigip_snmp_stats_release(&s);
	}
	aclf_err_release(&err);
	return rc;
}

static int by_done(const void *a, const void *b)
{
	const struct aclf_snmp_job *x = *(const struct aclf_snmp_job *const *)a;
	const struct aclf_snmp_job *y = *(const struct aclf_snmp_job *const *)b;

	return x->done_ms < y->done_ms ? -1 : x->done_ms > y->done_ms;
}

int main(int argc, char **argv)
{
	struct aclf_snmp_req reqs[32];
	size_t nreqs = 0, nagents;
	unsigned timeout = 0, tries = 0, maxrep = 0, runs = 1;
	struct aclf_snmp_run_opts ro = { 0 };
	const char *how = NULL, *context = NULL;
	bool quiet = false;
	struct aclf_snmp **agents;
	struct aclf_snmp_job *jobs;
	struct aclf_snmp_job **order;
	struct aclf_snmp_cache *cache;
	struct aclf_err err;
	int opt, rc = 0;

	while ((opt = getopt(argc, argv, "t:r:m:n:c:i:a:d:W:w:g:q")) != -1) {
		switch (opt) {
		case 't':
			timeout = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'r':
			tries = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'm':
			maxrep = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'n':
			runs = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'd':
			how = optarg;
			if (strcmp(how, "junos") && strcmp(how, "bigip"))
				return usage();
			break;
		case 'c':
			context = optarg;
			break;
		case 'i':
			ro.max_inflight = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'a':
			ro.max_per_addr = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'q':
			quiet = true;
			break;
		case 'W': {
			const char *const *walks = !strcmp(optarg, "junos") ? junos_counter_walks :
						   !strcmp(optarg, "bigip") ? bigip_counter_walks :
									      NULL;

			if (!walks)
				return usage();
			for (size_t k = 0; walks[k]; k++)
				if (nreqs == 32 || aclf_snmp_req_set(&reqs[nreqs++], walks[k], false) < 0)
					return usage();
			break;
		}
		case 'w':
		case 'g':
			if (nreqs == 32 || aclf_snmp_req_set(&reqs[nreqs++], optarg, opt == 'g') < 0)
				return usage();
			break;
		default:
			return usage();
		}
	}
	nagents = (size_t)(argc - optind);
	if (!nagents || !nreqs)
		return usage();
	agents = calloc(nagents, sizeof(*agents));
	jobs = calloc(nagents, sizeof(*jobs));
	order = calloc(nagents, sizeof(*order));
	cache = aclf_snmp_cache_new();
	if (!agents || !jobs || !order || !cache)
		return 3;
	aclf_err_init(&err);
	for (size_t k = 0; k < nagents; k++) {
		struct aclf_snmp_opts o;

		memset(&o, 0, sizeof(o));
		if (parse_agent(argv[optind + (int)k], &o) < 0)
			return usage();
		o.timeout_ms = timeout;
		o.tries = tries;
		o.max_repetitions = maxrep;
		o.context = context;
		if (aclf_snmp_new(&o, &agents[k], &err) < 0) {
			fprintf(stderr, "snmp_probe: %s\n", aclf_err_text(&err));
			rc = 2;
			runs = 0;
			break;
		}
	}
	for (unsigned run = 0; run < runs; run++) {
		int64_t t0 = aclf_snmp_now_ms();
		size_t total = 0;
		unsigned long requests = 0, resends = 0;

		for (size_t k = 0; k < nagents; k++)
			aclf_snmp_job_init(&jobs[k], agents[k], reqs, nreqs);
		if (aclf_snmp_run(jobs, nagents, cache, &ro, &err) < 0) {
			fprintf(stderr, "snmp_probe: %s\n", aclf_err_text(&err));
			return 3;
		}
		for (size_t k = 0; k < nagents; k++)
			order[k] = &jobs[k];
		qsort(order, nagents, sizeof(*order), by_done);
		for (size_t k = 0; k < nagents; k++) {
			struct aclf_snmp_job *j = order[k];
			const char *name = aclf_snmp_device(j->snmp);

			requests += j->requests;
			resends += j->resends;
			if (j->rc < 0) {
				printf("fail %s ms=%" PRId64 " %s\n", name, j->done_ms - t0,
				       aclf_err_text(&j->err));
				rc = 3;
				continue;
			}
			printf("done %s ms=%" PRId64 " values=%zu requests=%u resends=%u\n", name,
			       j->done_ms - t0, j->vbs.n, j->requests, j->resends);
			total += j->vbs.n;
		}
		if (quiet)
			printf("values %zu ms %" PRId64 " requests %lu resends %lu\n", total,
			       aclf_snmp_now_ms() - t0, requests, resends);
		for (size_t k = 0; !quiet && run + 1 == runs && k < nagents; k++) {
			struct aclf_snmp_job *j = &jobs[k];

			if (j->rc < 0)
				continue;
			if (how) {
				if (decode(how, aclf_snmp_device(j->snmp), &j->vbs) < 0)
					rc = 3;
			} else {
				print_vbs(aclf_snmp_device(j->snmp), &j->vbs);
			}
		}
		for (size_t k = 0; k < nagents; k++)
			aclf_snmp_job_release(&jobs[k]);
	}
	if (runs)
		printf("discoveries %u\n", aclf_snmp_cache_discoveries(cache));
	for (size_t k = 0; k < nagents; k++)
		aclf_snmp_free(agents[k]);
	aclf_snmp_cache_free(cache);
	free(agents);
	free(jobs);
	free(order);
	aclf_err_release(&err);
	return rc;
}
