/* Is each device ready to connect to? Before any command connects, every
 * device's connection settings and secrets are checked (secret.h): SSH
 * needs a user, a way to log in (key, agent or password) and a known hosts
 * file to verify the device's host key (never trusted on first use); the
 * key, known hosts file and password must resolve; SNMP's community or
 * SNMPv3 secrets must resolve (SNMPv3 passphrases at least 8 characters).
 * A topology compiles without any of this (a team compiles without the
 * secrets); `aclforge check` reports it. */
#ifndef ACLFORGE_CHECK_H
#define ACLFORGE_CHECK_H

#include <stddef.h>

#include "aclforge/arena.h"

struct aclf_topology;
struct aclf_buf;
struct aclf_err;

/* One problem: where the topology writes the setting (the device's name
 * when it writes nothing), the device, the setting ("ssh.password",
 * "snmp.auth.sha", "ssh") and what is wrong, naming the reference
 * ("env:NAME: not set"), never a secret. */
struct aclf_check_problem {
	const char *file;
	unsigned line, col;
	const char *device;
	const char *what;
	const char *text;
};

struct aclf_check_report {
	struct aclf_arena arena;  /* owns every string */
	struct aclf_check_problem *v;
	size_t n, cap;
	size_t ndevices;          /* devices checked */
};

void aclf_check_report_init(struct aclf_check_report *r);
void aclf_check_report_release(struct aclf_check_report *r);

/* Check every device of t (or only the one named). Problems go to out;
 * returns 0 (out->n == 0: ready) or -1 with err set (no such device, out
 * of memory). */
int aclf_check_devices(const struct aclf_topology *t, const char *only_device,
		       struct aclf_check_report *out, struct aclf_err *err);

/* One line per problem: "FILE:LINE:COL: DEVICE: WHAT: TEXT". Returns 0 or
 * -1 when out of memory. */
int aclf_check_report_text(const struct aclf_check_report *r, struct aclf_buf *out);

#endif
