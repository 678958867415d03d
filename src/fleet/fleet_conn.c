/* One session to one device, as the topology says how to reach it. */
#include <stdio.h>
#include <stdlib.h>

#include "aclforge/err.h"
#include "aclforge/secret.h"
#include "aclforge/ssh.h"
#include "aclforge/topology.h"
#include "fleet/fleet_int.h"

int fleet_open(const struct aclf_device *dev, const struct aclf_fleet_opts *o,
	       struct aclf_ssh **out, struct aclf_err *err)
{
	struct aclf_ssh_opts so;
	struct aclf_secret pw = { NULL, 0 };
	char *transcript = NULL;
	int rc;

	*out = NULL;
	aclf_ssh_opts_from_device(&so, dev);
	so.accept_new = o->accept_new;
	so.connect_timeout_ms = o->connect_timeout_ms;
	so.command_timeout_ms = o->command_timeout_ms;
	if (dev->ssh.password.kind != ACLF_SECRET_NONE) {
		if (aclf_secret_resolve(&dev->ssh.password, &pw, err) < 0)
			return -1;
		so.password = pw.value; /* the transport scrubs it from the transcript */
	}
	if (o->transcripts) {
		size_t len = snprintf(NULL, 0, "%s/%s.log", o->transcripts, dev->name) + 1;

		transcript = malloc(len);
		if (!transcript) {
			aclf_secret_clear(&pw);
			return aclf_err_nomem(err);
		}
		snprintf(transcript, len, "%s/%s.log", o->transcripts, dev->name);
		so.transcript = transcript;
	}
	rc = aclf_ssh_open(&so, out, err);
	free(transcript);
	aclf_secret_clear(&pw);
	return rc;
}
