/* Would the intended policy lock out the session that applies it? The
 * packet that opens a new management session — from the session's own
 * source address, as the connected socket shows it, to the device's
 * address and SSH port — is put to every filter of the device that sees
 * traffic to the device itself: a host's input chain. (Filters bound to
 * interfaces are checked by the drivers that apply them: which interface
 * carries the management session is the device's to say.) */
#include <stdio.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/diff.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/prefix.h"
#include "aclforge/ssh.h"
#include "fleet/fleet_int.h"

int fleet_lockout(struct aclf_ssh *ssh, const struct aclf_devpol *intended, struct aclf_buf *note,
		  struct aclf_err *err)
{
	struct aclf_ssh_ends e;
	struct aclf_prefix src, dst;

	if (aclf_ssh_addrs(ssh, &e) < 0 || aclf_prefix_parse(e.local, &src, false) < 0 ||
	    aclf_prefix_parse(e.peer, &dst, false) < 0)
		return aclf_err_remote(err, ACLF_E_TRANSPORT, aclf_ssh_device(ssh), NULL,
				       "cannot read the session's own addresses to check that the "
				       "policy keeps it in");
	for (size_t i = 0; i < intended->nfilters; i++) {
		const struct aclf_filter *f = &intended->filters[i];
		long r;
		enum aclf_action a;

		if (f->binding.kind != ACLF_BIND_CHAIN || !f->binding.name ||
		    strcmp(f->binding.name, "input") != 0)
			continue;
		r = aclf_filter_decide(f, &src, &dst, 6, e.local_port, e.peer_port, false);
		a = r < 0 ? f->default_action : f->rules[r].action;
		if (a == ACLF_PERMIT)
			continue;
		aclf_buf_printf(note,
				"the intended filter '%s' would deny this session's own new connections "
				"(tcp %s -> %s port %u, %s)",
				f->name ? f->name : "?", e.local, e.peer, (unsigned)e.peer_port,
				r < 0 ? "its default action" : "its rule");
		if (r >= 0 && f->rules[r].id)
			aclf_buf_printf(note, " '%s'", f->rules[r].id);
		return 1;
	}
	return 0;
}
