/* The shared body of fetch, plan, audit and apply (cmd_fleet.c). */
#ifndef ACLFORGE_CMD_FLEET_H
#define ACLFORGE_CMD_FLEET_H

#include "aclforge/fleet.h"

int cli_fleet(const char *cmd, enum aclf_fleet_verb verb, int argc, char **argv,
	      void (*help)(void));

#endif
