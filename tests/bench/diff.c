/* Benchmark of the semantic diff: a policy of N rules shaped like a compiled
 * Lync site (client and server prefixes, server pools, the catalog's port
 * ranges, return-path rules, a few denies on top) against a rewrite of it
 * with the same meaning (rules split by destination and by port range,
 * denies and permits shuffled within their blocks), and against the rewrite
 * with one permit dropped. A second table is a worst case: random nested
 * prefixes (/8 to /32), port ranges and mixed permit/deny, against the same
 * rules with their port ranges split in two. Times are per comparison;
 * ratios are against the 10-rule case measured in the same run. No
 * thresholds: it prints.
 *
 *   bench_diff [max-rules]      (default 5000; the worst case stops at 3000) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aclforge/diff.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"

static uint64_t rng = 42;

static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned rn(unsigned n)
{
	return (unsigned)(rnd() % n);
}

static const struct aclf_port_range ports[] = {
	{ 443, 443 }, { 444, 444 }, { 445, 445 }, { 135, 135 }, { 1433, 1433 }, { 3478, 3478 },
	{ 5061, 5061 }, { 5062, 5062 }, { 5063, 5063 }, { 5064, 5065 }, { 5066, 5067 },
	{ 5068, 5068 }, { 5070, 5070 }, { 5071, 5075 }, { 5076, 5080 }, { 8057, 8057 },
	{ 8080, 8080 }, { 8404, 8404 }, { 49152, 57500 }, { 57501, 65535 }, { 1024, 65535 },
	{ 50000, 59999 }, { 80, 80 }, { 5086, 5087 }, { 448, 448 },
};
#define NPORTS (sizeof(ports) / sizeof(ports[0]))

struct spec {
	enum aclf_action action;
	int proto;
	bool est;
	struct aclf_prefix src[8], dst[4];
	int nsrc, ndst;
	struct aclf_port_range sp[3], dp[3];
	int nsp, ndp;
};

static void client_prefix(struct aclf_prefix *p)
{
	if (rn(6) == 0)
		aclf_prefix_from_u128(6, ((aclf_u128)0x20010db8u << 96) | ((aclf_u128)rn(200) << 80), 48,
				      p);
	else
		aclf_prefix_from_u128(4, 0x0a000000u | (20u + rn(40)) << 16 | rn(256) << 8,
				      (uint8_t)(22 + rn(3)), p);
}

static void server_host(struct aclf_prefix *p)
{
	unsigned pool = rn(60);

	aclf_prefix_from_u128(4, 0x0a010000u | pool << 8 | (10u + rn(4)), 32, p);
}

static void gen(struct spec *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct spec *s = &v[i];

		memset(s, 0, sizeof(*s));
		s->action = i < n / 20 ? ACLF_DENY : ACLF_PERMIT;
		s->proto = rn(4) ? ACLF_PROTO_TCP : ACLF_PROTO_UDP;
		s->nsrc = 1 + (int)rn(8);
		for (int k = 0; k < s->nsrc; k++)
			if (rn(3))
				client_prefix(&s->src[k]);
			else
				server_host(&s->src[k]);
		s->ndst = 1 + (int)rn(4);
		for (int k = 0; k < s->ndst; k++)
			server_host(&s->dst[k]);
		s->ndp = 1 + (int)rn(3);
		for (int k = 0; k < s->ndp; k++)
			s->dp[k] = ports[rn(NPORTS)];
		if (s->action == ACLF_DENY) {
			s->nsrc = 1;
			server_host(&s->src[0]);
		} else if (rn(10) == 0) {
			/* a return path: server port back to clients */
			s->proto = ACLF_PROTO_TCP;
			s->est = true;
			memcpy(s->sp, s->dp, sizeof(s->sp));
			s->nsp = s->ndp;
			s->ndp = 0;
			memcpy(s->dst, s->src, 4 * sizeof(s->src[0]));
			s->ndst = s->nsrc < 4 ? s->nsrc : 4;
			s->nsrc = 1;
			server_host(&s->src[0]);
		}
	}
}

static void add(struct aclf_policy *p, struct aclf_filter *f, const struct spec *s)
{
	struct aclf_rule *r = aclf_filter_add_rule(p, f);

	if (!r) {
		fprintf(stderr, "bench_diff: out of memory\n");
		exit(2);
	}
	r->id = aclf_arena_printf(&p->arena, "r%zu", f->nrules);
	r->action = s->action;
	r->protocol = s->proto;
	r->established = s->est;
	if (aclf_pset_merge(&p->arena, s->src, (size_t)s->nsrc, &r->src) < 0 ||
	    aclf_pset_merge(&p->arena, s->dst, (size_t)s->ndst, &r->dst) < 0 ||
	    aclf_ports_merge(&p->arena, s->sp, (size_t)s->nsp, &r->src_ports) < 0 ||
	    aclf_ports_merge(&p->arena, s->dp, (size_t)s->ndp, &r->dst_ports) < 0) {
		fprintf(stderr, "bench_diff: out of memory\n");
		exit(2);
	}
}

static struct aclf_filter *make(struct aclf_policy *p, const char *name)
{
	struct aclf_devpol *d = aclf_policy_add_device(p, "dev", "ios");
	struct aclf_filter *f = d ? aclf_devpol_add_filter(p, d, name) : NULL;

	if (!f) {
		fprintf(stderr, "bench_diff: out of memory\n");
		exit(2);
	}
	f->default_action = ACLF_DENY;
	return f;
}

static void shuffle(struct spec *v, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = rn((unsigned)i);
		struct spec t = v[i - 1];

		v[i - 1] = v[j];
		v[j] = t;
	}
}

/* same meaning: shuffle within the deny and permit blocks, split some rules */
static void rewrite(struct aclf_policy *p, struct aclf_filter *f, struct spec *v, size_t n,
		    size_t drop)
{
	size_t nd = n / 20;

	shuffle(v, nd);
	shuffle(v + nd, n - nd);
	for (size_t i = 0; i < n; i++) {
		struct spec s = v[i];

		if (i == drop)
			continue;
		if (rn(3) == 0 && s.ndst > 1) {
			for (int k = 0; k < s.ndst; k++) {
				struct spec t = s;

				t.dst[0] = s.dst[k];
				t.ndst = 1;
				add(p, f, &t);
			}
		} else if (rn(3) == 0 && s.ndp > 1) {
			for (int k = 0; k < s.ndp; k++) {
				struct spec t = s;

				t.dp[0] = s.dp[k];
				t.ndp = 1;
				add(p, f, &t);
			}
		} else {
			add(p, f, &s);
		}
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* seconds per comparison, repeated until 0.2 s have passed; *items = d.n */
static double time_diff(const struct aclf_filter *a, const struct aclf_filter *b, size_t *items)
{
	double t0 = now(), t;
	int reps = 0;

	do {
		struct aclf_diff d;
		struct aclf_err err;

		aclf_diff_init(&d);
		aclf_err_init(&err);
		if (aclf_diff_filters(a, b, &d, 0, &err) < 0) {
			fprintf(stderr, "bench_diff: %s\n", aclf_err_text(&err));
			exit(1);
		}
		*items = d.n;
		aclf_diff_release(&d);
		aclf_err_release(&err);
		reps++;
		t = now() - t0;
	} while (t < 0.2);
	return t / reps;
}

static void nested_prefix(struct aclf_prefix *p)
{
	static const uint8_t lens[] = { 8, 16, 20, 24, 28, 32, 32, 32 };
	uint8_t len = lens[rn(8)];

	aclf_prefix_from_u128(4, 0x0a000000u | rn(4) << 16 | rn(256) << 8 | rn(256), len, p);
}

/* the worst case: everything overlaps, actions mixed */
static void gen_nested(struct aclf_policy *p, struct aclf_filter *f, size_t n, bool split)
{
	for (size_t i = 0; i < n; i++) {
		struct spec s;
		uint16_t lo = (uint16_t)rn(2000), hi = (uint16_t)(lo + rn(100));
		bool any_port = rn(4) == 0;

		memset(&s, 0, sizeof(s));
		s.action = rn(3) == 0 ? ACLF_DENY : ACLF_PERMIT;
		s.proto = rn(2) ? ACLF_PROTO_TCP : ACLF_PROTO_UDP;
		s.nsrc = 1 + (int)rn(3);
		s.ndst = 1 + (int)rn(3);
		for (int k = 0; k < s.nsrc; k++)
			nested_prefix(&s.src[k]);
		for (int k = 0; k < s.ndst; k++)
			nested_prefix(&s.dst[k]);
		if (any_port) {
			add(p, f, &s);
			continue;
		}
		s.ndp = 1;
		s.dp[0] = (struct aclf_port_range){ lo, hi };
		if (split && lo < hi) {
			struct spec t = s;
			uint16_t mid = (uint16_t)(lo + (hi - lo) / 2);

			s.dp[0].hi = mid;
			t.dp[0].lo = (uint16_t)(mid + 1);
			add(p, f, &s);
			add(p, f, &t);
		} else {
			add(p, f, &s);
		}
	}
}

static void worst_case(size_t maxn)
{
	static const size_t sizes[] = { 10, 100, 1000, 3000 };
	double base = 0;

	printf("\nworst case: nested prefixes, mixed actions\n%8s %8s %12s %8s\n", "rules", "rewrite",
	       "same(ms)", "ratio");
	for (size_t si = 0; si < sizeof(sizes) / sizeof(sizes[0]) && sizes[si] <= maxn; si++) {
		size_t n = sizes[si], items;
		struct aclf_policy *pa = aclf_policy_new(), *pb = aclf_policy_new();
		struct aclf_filter *a, *b;
		double t;

		if (!pa || !pb) {
			fprintf(stderr, "bench_diff: out of memory\n");
			exit(2);
		}
		a = make(pa, "a");
		b = make(pb, "b");
		rng = 7 + n;
		gen_nested(pa, a, n, false);
		rng = 7 + n;
		gen_nested(pb, b, n, true);
		t = time_diff(a, b, &items);
		if (items != 0) {
			fprintf(stderr, "bench_diff: a rewrite with the same meaning differs (%zu)\n", items);
			exit(1);
		}
		if (si == 0)
			base = t;
		printf("%8zu %8zu %12.3f %8.1f\n", n, b->nrules, t * 1e3, t / base);
		fflush(stdout);
		aclf_policy_free(pa);
		aclf_policy_free(pb);
	}
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 10, 100, 1000, 5000 };
	size_t maxn = argc > 1 ? strtoul(argv[1], NULL, 10) : 5000;
	double base = 0, base_m = 0;

	printf("%8s %8s %12s %8s %12s %8s %6s\n", "rules", "rewrite", "same(ms)", "ratio",
	       "drop1(ms)", "ratio", "items");
	for (size_t si = 0; si < sizeof(sizes) / sizeof(sizes[0]) && sizes[si] <= maxn; si++) {
		size_t n = sizes[si], items_same, items_drop;
		struct spec *v = calloc(n, sizeof(*v));
		struct aclf_policy *pa = aclf_policy_new(), *pb = aclf_policy_new(),
				   *pc = aclf_policy_new();
		struct aclf_filter *a, *b, *c;
		double ts, tm;

		if (!v || !pa || !pb || !pc) {
			fprintf(stderr, "bench_diff: out of memory\n");
			return 2;
		}
		rng = 42 + n;
		gen(v, n);
		a = make(pa, "a");
		for (size_t i = 0; i < n; i++)
			add(pa, a, &v[i]);
		b = make(pb, "b");
		rewrite(pb, b, v, n, (size_t)-1);
		c = make(pc, "c");
		rewrite(pc, c, v, n, n / 20 + rn((unsigned)(n - n / 20)));
		ts = time_diff(a, b, &items_same);
		tm = time_diff(a, c, &items_drop);
		if (items_same != 0) {
			fprintf(stderr, "bench_diff: a rewrite with the same meaning differs (%zu)\n",
				items_same);
			return 1;
		}
		if (si == 0) {
			base = ts;
			base_m = tm;
		}
		printf("%8zu %8zu %12.3f %8.1f %12.3f %8.1f %6zu\n", n, b->nrules, ts * 1e3, ts / base,
		       tm * 1e3, tm / base_m, items_drop);
		fflush(stdout);
		free(v);
		aclf_policy_free(pa);
		aclf_policy_free(pb);
		aclf_policy_free(pc);
	}
	worst_case(maxn);
	return 0;
}
