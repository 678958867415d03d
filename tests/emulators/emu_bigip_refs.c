/* References between LTM objects (emu_bigip_objects.c keeps the objects):
 * what a create or modify names must exist (pool members create their
 * node), what a delete removes must be unused, and tmsh's words for each
 * (see emu_bigip_objects.c for which texts are sourced). */
#include <stdlib.h>
#include <string.h>

#include "emu_bigip.h"

int bp_not_found(struct aclf_buf *err, enum bp_kind k, const char *name)
{
	if (aclf_buf_printf(err, "01020036:3: The requested %s (", bp_kind_display(k)) < 0 ||
	    aclf_buf_puts_escaped(err, name, false) < 0 || aclf_buf_puts(err, ") was not found.\n") < 0)
		return -1;
	return 1;
}

static bool exists(struct bstore *st, enum bp_kind k, const char *name)
{
	return bp_builtin(k, name) || bstore_find(st, k, name) != NULL;
}

/* node part of "/Common/n:80" */
static char *member_node(const char *m)
{
	const char *sep = strrchr(m, ':');

	return strndup(m, sep ? (size_t)(sep - m) : strlen(m));
}

/* Check o's references against st; pool members whose node is missing get
 * one (added to st). Returns 0, 1 with err, -1. */
int bp_resolve(struct bstore *st, struct bobj *o, struct aclf_buf *err)
{
	for (size_t i = 0; i < o->props.n; i++) {
		struct bnode *p = &o->props.kids[i];
		bool coll;
		int ref = bp_prop_ref(o->kind, p->key, &coll);

		if (ref < 0)
			continue;
		if (!coll) {
			if (p->val && strcmp(p->val, "none") && !exists(st, (enum bp_kind)ref, p->val))
				return bp_not_found(err, (enum bp_kind)ref, p->val);
			if (!strcmp(p->key, "defaults-from") && p->val && !strcmp(p->val, o->name))
				return bp_not_found(err, o->kind, p->val);
			continue;
		}
		for (size_t k = 0; k < p->n; k++) {
			struct bnode *it = &p->kids[k];

			if (ref != BK_NODE) {
				if (!exists(st, (enum bp_kind)ref, it->key))
					return bp_not_found(err, (enum bp_kind)ref, it->key);
				continue;
			}
			{
				char *node = member_node(it->key);
				struct bnode *addr = bnode_get(it, "address");
				struct bobj *n;
				bool v6;
				const char *base;

				if (!node)
					return -1;
				n = bstore_find(st, BK_NODE, node);
				base = strrchr(node, '/') ? strrchr(node, '/') + 1 : node;
				if (!n) {
					const char *a = addr && addr->val ? addr->val : base;
					struct bobj nn = { BK_NODE, NULL, NULL, { 0 } };
					struct bnode *av;

					if (!bp_is_ip(a, &v6)) {
						int r = bp_not_found(err, BK_NODE, node);

						free(node);
						return r;
					}
					for (size_t j = 0; j < st->n; j++) {
						struct bnode *oa = st->v[j].kind == BK_NODE
									   ? bnode_get(&st->v[j].props, "address")
									   : NULL;

						if (oa && oa->val && !strcmp(oa->val, a)) {
							aclf_buf_printf(err, "0107003a:3: Pool member node (%s) and existing node (%s) cannot use the same IP Address (%s).\n",
									node, st->v[j].name, a);
							free(node);
							return 1;
						}
					}
					nn.name = node;
					nn.props.block = true;
					av = bnode_put(&nn.props, "address");
					if (!av || !(av->val = strdup(a)) || bstore_add(st, &nn) < 0) {
						bobj_release(&nn);
						return -1;
					}
					continue;
				}
				free(node);
				if (addr && addr->val) {
					struct bnode *na = bnode_get(&n->props, "address");

					if (na && na->val && strcmp(na->val, addr->val)) {
						aclf_buf_printf(err, "0107003a:3: Pool member node (%s) and existing node (%s) cannot use the same IP Address (%s).\n",
								n->name, n->name, addr->val);
						return 1;
					}
				}
			}
		}
	}
	if (o->kind == BK_NODE) {
		struct bnode *a = bnode_get(&o->props, "address");
		bool v6;

		if (!a || !a->val || !bp_is_ip(a->val, &v6)) {
			aclf_buf_printf(err, "01070734:3: Configuration error: invalid node address (%s)\n",
					a && a->val ? a->val : "none");
			return 1;
		}
	}
	if (o->kind == BK_VIRTUAL) {
		struct bnode *d = bnode_get(&o->props, "destination");
		struct bnode *pr = bnode_get(&o->props, "ip-protocol");

		for (size_t j = 0; d && d->val && j < st->n; j++) {
			struct bobj *x = &st->v[j];
			struct bnode *xd, *xp;

			if (x->kind != BK_VIRTUAL || !strcmp(x->name, o->name))
				continue;
			xd = bnode_get(&x->props, "destination");
			xp = bnode_get(&x->props, "ip-protocol");
			if (xd && xd->val && !strcmp(xd->val, d->val) &&
			    (!pr || !xp || !strcmp(pr->val, xp->val))) {
				aclf_buf_printf(err, "01070333:3: Virtual Server %s illegally shares destination address, source address, service port, ip-protocol, and route domain with Virtual Server %s.\n",
						o->name, x->name);
				return 1;
			}
		}
	}
	return 0;
}

/* defaults tmsh fills in for a new virtual */
int bp_virtual_defaults(struct bobj *o)
{
	struct bnode *k;

	if (!bnode_get(&o->props, "profiles")) {
		k = bnode_put(&o->props, "profiles");
		if (!k)
			return -1;
		k->block = true;
		if (!bnode_put(k, "/Common/fastL4"))
			return -1;
		k->kids[0].block = true;
	}
	if (!bnode_get(&o->props, "source")) {
		k = bnode_put(&o->props, "source");
		if (!k || !(k->val = strdup("0.0.0.0/0")))
			return -1;
	}
	if (!bnode_get(&o->props, "translate-address")) {
		k = bnode_put(&o->props, "translate-address");
		if (!k || !(k->val = strdup("enabled")))
			return -1;
	}
	if (!bnode_get(&o->props, "translate-port")) {
		k = bnode_put(&o->props, "translate-port");
		if (!k || !(k->val = strdup("enabled")))
			return -1;
	}
	return 0;
}

/* who uses o (the first one), for delete */
int bp_in_use(struct bstore *st, const struct bobj *o, struct aclf_buf *err)
{
	for (size_t j = 0; j < st->n; j++) {
		struct bobj *x = &st->v[j];

		for (size_t i = 0; i < x->props.n; i++) {
			struct bnode *p = &x->props.kids[i];
			bool coll, uses = false;
			int ref = bp_prop_ref(x->kind, p->key, &coll);

			if (ref < 0 || ref != (int)o->kind)
				continue;
			if (!coll)
				uses = p->val && !strcmp(p->val, o->name);
			for (size_t k = 0; coll && k < p->n && !uses; k++) {
				if (ref == BK_NODE) {
					char *n = member_node(p->kids[k].key);

					uses = n && !strcmp(n, o->name);
					free(n);
				} else {
					uses = !strcmp(p->kids[k].key, o->name);
				}
			}
			if (!uses)
				continue;
			switch (o->kind) {
			case BK_POOL:
				aclf_buf_printf(err, "01070265:3: The Pool (%s) cannot be deleted because it is in use by a Virtual Server (%s).\n",
						o->name, x->name);
				break;
			case BK_NODE:
				aclf_buf_printf(err, "01070110:3: Node address '%s' is referenced by a member of pool '%s'.\n",
						o->name, x->name);
				break;
			case BK_MONITOR:
				aclf_buf_printf(err, "01070083:3: Monitor %s is in use.\n", o->name);
				break;
			case BK_VIRTUAL:
			case BK_PERSIST:
			case BK_PROFILE:
			case BK_SNATPOOL:
			case BK_COUNT:
				aclf_buf_printf(err, "01070265:3: The %s (%s) cannot be deleted because it is in use by a %s (%s).\n",
						bp_kind_display(o->kind), o->name, bp_kind_display(x->kind), x->name);
				break;
			}
			return 1;
		}
		if (x->kind == BK_VIRTUAL && o->kind == BK_SNATPOOL) {
			struct bnode *sat = bnode_get(&x->props, "source-address-translation");
			struct bnode *pool = sat ? bnode_get(sat, "pool") : NULL;
			char *full = pool && pool->val ? bp_fullname(pool->val) : NULL;
			bool uses = full && !strcmp(full, o->name);

			free(full);
			if (uses) {
				aclf_buf_printf(err, "01070265:3: The SNAT Pool (%s) cannot be deleted because it is in use by a Virtual Server (%s).\n",
						o->name, x->name);
				return 1;
			}
		}
	}
	return 0;
}

