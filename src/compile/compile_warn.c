/* Compile warnings as items (include/aclforge/compile.h), and their text. */
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/compile.h"

void aclf_warnings_init(struct aclf_warnings *w)
{
	memset(w, 0, sizeof(*w));
	aclf_arena_init(&w->arena);
}

void aclf_warnings_release(struct aclf_warnings *w)
{
	aclf_arena_release(&w->arena);
	memset(w, 0, sizeof(*w));
}

int aclf_warnings_text(const struct aclf_warnings *w, struct aclf_buf *out)
{
	int rc = 0;

	for (size_t i = 0; i < w->n; i++) {
		const struct aclf_warning *x = &w->v[i];
		if (x->kind == ACLF_WARN_LB_PER_CONNECTION) {
			rc |= aclf_buf_printf_escaped(
				out, "%s:%u:%u: warning: pool %s on %s: the HTTPS web services virtual "
				"servers %s balance per connection, not per request as mobile clients "
				"need (Lync 2013 hardware load balancer requirements); name the load "
				"balancer's TLS profiles with tls: {client_profile: ..., server_profile: "
				"...} on pool %s or on device %s\n",
				x->file, x->line, x->col, x->pool, x->device, x->services, x->pool, x->device);
			continue;
		}
		/* names come from the topology: escaped, one line per warning */
		rc |= aclf_buf_printf_escaped(out, "%s:%u:%u: warning: site rule %s (%s %s -> %s) on %s filter %s is %s ",
				      x->file, x->line, x->col, x->site_rule, aclf_action_name(x->action),
				      x->from, x->to, x->device, x->filter,
				      x->kind == ACLF_WARN_SHADOWED ? "shadowed by earlier rules:" : "redundant with");
		for (size_t k = 0; k < x->nrules; k++) {
			const struct aclf_warning_rule *r = &x->rules[k];
			if (r->is_default) {
				rc |= aclf_buf_printf(out, "%sthe default action %s", k ? ", " : "",
						      aclf_action_name(r->action));
				continue;
			}
			rc |= aclf_buf_printf_escaped(out, "%s%s %s", k ? ", " : "", r->id,
						      aclf_action_name(r->action));
			if (r->catalog)
				rc |= aclf_buf_printf_escaped(out, " (catalog %s)", r->catalog);
			else if (r->site_rule)
				rc |= aclf_buf_printf_escaped(out, " (site rule %s)", r->site_rule);
		}
		if (!x->nrules) /* not expected: every packet of the rule is decided by something */
			rc |= aclf_buf_puts(out, "nothing (it matches no packet)");
		rc |= aclf_buf_putc(out, '\n');
	}
	return rc ? -1 : 0;
}
