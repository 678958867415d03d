/* audit --since FILE: an earlier `aclforge counters --format json` read
 * back (include/aclforge/audit.h), and the per-rule deltas against it. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aclforge/audit.h"
#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "aclforge/topology.h"

void aclf_since_release(struct aclf_since *s)
{
	if (!s)
		return;
	aclf_arena_release(&s->arena);
	memset(s, 0, sizeof(*s));
}

/* Where the text of a JSON string value first appears in the file:
 * line and column (1-based) of its opening quote; 0, 0 when not found. */
static void locate(const char *text, size_t len, const char *value, unsigned *line, unsigned *col)
{
	json_t *js = json_string(value);
	char *q = js ? json_dumps(js, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
	const char *at = NULL;

	json_decref(js);
	*line = *col = 0;
	if (q && text)
		at = memmem(text, len, q, strlen(q));
	if (at) {
		*line = 1;
		*col = 1;
		for (const char *p = text; p < at; p++) {
			if (*p == '\n') {
				(*line)++;
				*col = 1;
			} else {
				(*col)++;
			}
		}
	}
	free(q);
}

/* A counter: an integer >= 0, a decimal string (above 2^63-1), or null. */
static int counter(json_t *v, bool *has, uint64_t *out)
{
	const char *s;
	char *end;

	*has = false;
	if (!v || json_is_null(v))
		return 0;
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*out = (uint64_t)json_integer_value(v);
		*has = true;
		return 0;
	}
	if (!json_is_string(v))
		return -1;
	s = json_string_value(v);
	errno = 0;
	*out = strtoull(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno)
		return -1;
	*has = true;
	return 0;
}

static const char *str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

struct sctx {
	const char *path, *text;
	size_t len;
	struct aclf_since *s;
	struct aclf_err *err;
};

static int bad(struct sctx *c, const char *what, size_t dev, const char *name)
{
	unsigned line = 0, col = 0;

	if (name)
		locate(c->text, c->len, name, &line, &col);
	if (line)
		return aclf_err_at(c->err, c->path, line, col, "%s", what);
	return aclf_err_set(c->err, ACLF_E_INPUT, "%s: devices[%zu]: %s", c->path, dev, what);
}

static int one_dev(struct sctx *c, json_t *jd, size_t i, const struct aclf_topology *topo)
{
	struct aclf_since_dev *d = &c->s->devs[i];
	const char *name = str(jd, "name"), *at = str(jd, "polled_at");
	json_t *rules = json_object_get(jd, "rules");
	char msg[300];

	if (!json_is_object(jd) || !name)
		return bad(c, "not a device of `aclforge counters --format json` (no \"name\")", i,
			   NULL);
	if (!aclf_topology_device(topo, name)) {
		snprintf(msg, sizeof(msg), "device '%s' is not in the topology (a reading of "
			 "another topology?)", name);
		return bad(c, msg, i, name);
	}
	if (!json_is_array(rules) ||
	    (!at && !json_is_null(json_object_get(jd, "polled_at")))) {
		snprintf(msg, sizeof(msg), "device '%s': no \"rules\" array or \"polled_at\" "
			 "(not `aclforge counters --format json`)", name);
		return bad(c, msg, i, name);
	}
	d->name = aclf_arena_strdup(&c->s->arena, name);
	d->polled_at = at ? aclf_arena_strdup(&c->s->arena, at) : NULL;
	d->rules = aclf_arena_alloc(&c->s->arena, (json_array_size(rules) + 1) * sizeof(*d->rules));
	if (!d->name || (at && !d->polled_at) || !d->rules)
		return aclf_err_nomem(c->err);
	if (counter(json_object_get(jd, "sys_uptime"), &d->has_uptime, &d->uptime_cs) < 0) {
		snprintf(msg, sizeof(msg), "device '%s': \"sys_uptime\" is not a counter", name);
		return bad(c, msg, i, name);
	}
	for (size_t k = 0; k < json_array_size(rules); k++) {
		json_t *jr = json_array_get(rules, k);
		struct aclf_since_rule *r = &d->rules[d->nrules];
		const char *f = str(jr, "filter"), *id = str(jr, "rule");

		if (!f || !id || counter(json_object_get(jr, "packets"), &r->has_packets,
					 &r->packets) < 0 ||
		    counter(json_object_get(jr, "bytes"), &r->has_bytes, &r->bytes) < 0) {
			snprintf(msg, sizeof(msg), "device '%s': rules[%zu]: expected \"filter\", "
				 "\"rule\" and counters \"packets\", \"bytes\"", name, k);
			return bad(c, msg, i, name);
		}
		if (!(r->filter = aclf_arena_strdup(&c->s->arena, f)) ||
		    !(r->rule = aclf_arena_strdup(&c->s->arena, id)))
			return aclf_err_nomem(c->err);
		d->nrules++;
	}
	return 0;
}

int aclf_since_load_mem(const char *text, size_t len, const char *path,
			const struct aclf_topology *topo, struct aclf_since *s, struct aclf_err *err)
{
	struct sctx c = { .path = path, .text = text, .len = len, .s = s, .err = err };
	json_error_t je;
	json_t *root = NULL, *devs;
	int rc = -1;

	memset(s, 0, sizeof(*s));
	aclf_arena_init(&s->arena);
	if (!(s->file = aclf_arena_strdup(&s->arena, path)))
		return aclf_err_nomem(err);
	root = json_loadb(text ? text : "", text ? len : 0, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		aclf_err_at(err, path, je.line > 0 ? (unsigned)je.line : 1,
			    je.column > 0 ? (unsigned)je.column : 1, "%s", je.text);
		goto out;
	}
	devs = json_object_get(root, "devices");
	if (!json_is_object(root) || !json_is_array(devs)) {
		aclf_err_at(err, path, 1, 1, "not the output of `aclforge counters --format json` (no "
			    "\"devices\" array)");
		goto out;
	}
	s->devs = aclf_arena_alloc(&s->arena, (json_array_size(devs) + 1) * sizeof(*s->devs));
	if (!s->devs) {
		aclf_err_nomem(err);
		goto out;
	}
	for (size_t i = 0; i < json_array_size(devs); i++) {
		if (one_dev(&c, json_array_get(devs, i), i, topo) < 0)
			goto out;
		s->ndevs++;
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}

int aclf_since_load(const char *path, const struct aclf_topology *topo, struct aclf_since *s,
		    struct aclf_err *err)
{
	struct aclf_buf text = ACLF_BUF_INIT;
	char chunk[8192];
	size_t n;
	FILE *f;
	int rc;

	memset(s, 0, sizeof(*s));
	f = fopen(path, "r");
	if (!f)
		return aclf_err_set(err, ACLF_E_INPUT, "--since '%s': %s", path, strerror(errno));
	/* the text too: names are placed in it for messages */
	aclf_buf_init(&text, 0);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (aclf_buf_add(&text, chunk, n) < 0) {
			fclose(f);
			aclf_buf_release(&text);
			return aclf_err_nomem(err);
		}
	if (ferror(f)) {
		rc = aclf_err_set(err, ACLF_E_INPUT, "--since '%s': %s", path, strerror(errno));
		fclose(f);
		aclf_buf_release(&text);
		return rc;
	}
	fclose(f);
	rc = aclf_since_load_mem(text.buf, text.len, path, topo, s, err);
	aclf_buf_release(&text);
	return rc;
}

/* The delta of one counter; *reset when it went back and did not wrap. */
static uint64_t delta(uint64_t prev, uint64_t cur, bool restarted, bool *reset)
{
	if (restarted) {
		*reset = true;
		return cur;
	}
	if (cur >= prev)
		return cur - prev;
	if (prev <= UINT32_MAX && prev >= (UINT64_C(1) << 31) && cur <= UINT32_MAX)
		return (UINT64_C(1) << 32) - prev + cur; /* a Counter32 wrapped */
	if (prev >= (UINT64_C(1) << 63))
		return cur - prev; /* a Counter64 wrapped: modulo 2^64 */
	*reset = true;
	return cur;
}

int aclf_audit_since(struct aclf_audit_dev *a, const struct aclf_since_dev *sd, const char *file,
		     bool has_now, uint64_t now_uptime)
{
	bool agent_restarted = has_now && sd->has_uptime && now_uptime < sd->uptime_cs;

	a->since = true;
	a->since_file = aclf_arena_strdup(&a->arena, file);
	if (!a->since_file)
		return -1;
	snprintf(a->since_polled_at, sizeof(a->since_polled_at), "%s", sd->polled_at ? sd->polled_at
										     : "");
	a->since_restarted = agent_restarted;
	for (size_t i = 0; i < a->nrules; i++) {
		struct aclf_rule_verdict *v = &a->rules[i];
		const struct aclf_since_rule *p = NULL;
		bool reset = false;

		for (size_t k = 0; k < sd->nrules && !p; k++)
			if (!strcmp(sd->rules[k].filter, v->filter) && !strcmp(sd->rules[k].rule, v->rule))
				p = &sd->rules[k];
		if (!v->counted || !p || !p->has_packets)
			continue;
		v->has_delta = true;
		v->delta_packets = delta(p->packets, v->packets, agent_restarted, &reset);
		/* bytes wrap on their own, but reset with the packets */
		if (v->has_bytes && p->has_bytes) {
			v->has_delta_bytes = true;
			v->delta_bytes = delta(p->bytes, v->bytes, agent_restarted || reset, &reset);
		}
		v->restarted = reset;
		a->since_restarted |= reset;
	}
	return 0;
}
