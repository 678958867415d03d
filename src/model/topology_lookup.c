/* Topology lookups by name and pool role names. */
#include <stddef.h>
#include <string.h>

#include "aclforge/topology.h"

const struct aclf_pool *aclf_topology_pool(const struct aclf_topology *t, const char *name)
{
	if (!t || !name)
		return NULL;
	for (size_t i = 0; i < t->npools; i++)
		if (t->pools[i].name && !strcmp(t->pools[i].name, name))
			return &t->pools[i];
	return NULL;
}

const struct aclf_network *aclf_topology_network(const struct aclf_topology *t, const char *name)
{
	if (!t || !name)
		return NULL;
	for (size_t i = 0; i < t->nnetworks; i++)
		if (t->networks[i].name && !strcmp(t->networks[i].name, name))
			return &t->networks[i];
	return NULL;
}

const struct aclf_device *aclf_topology_device(const struct aclf_topology *t, const char *name)
{
	if (!t || !name)
		return NULL;
	for (size_t i = 0; i < t->ndevices; i++)
		if (t->devices[i].name && !strcmp(t->devices[i].name, name))
			return &t->devices[i];
	return NULL;
}

const struct aclf_site *aclf_topology_site(const struct aclf_topology *t, const char *name)
{
	if (!t || !name)
		return NULL;
	for (size_t i = 0; i < t->nsites; i++)
		if (t->sites[i].name && !strcmp(t->sites[i].name, name))
			return &t->sites[i];
	return NULL;
}

const struct aclf_server *aclf_topology_server(const struct aclf_topology *t, const char *name,
					       const struct aclf_pool **pool)
{
	if (pool)
		*pool = NULL;
	if (!t || !name)
		return NULL;
	for (size_t i = 0; i < t->npools; i++) {
		const struct aclf_pool *p = &t->pools[i];
		for (size_t s = 0; s < p->nservers; s++) {
			if (p->servers[s].name && !strcmp(p->servers[s].name, name)) {
				if (pool)
					*pool = p;
				return &p->servers[s];
			}
		}
	}
	return NULL;
}

const char *aclf_role_name(enum aclf_role r)
{
	switch (r) {
	case ACLF_ROLE_FRONT_END:
		return "front-end";
	case ACLF_ROLE_DIRECTOR:
		return "director";
	case ACLF_ROLE_MEDIATION:
		return "mediation";
	case ACLF_ROLE_PERSISTENT_CHAT:
		return "persistent-chat";
	case ACLF_ROLE_OFFICE_WEB_APPS:
		return "office-web-apps";
	case ACLF_ROLE_EDGE_INTERNAL:
		return "edge-internal";
	}
	return "?";
}

int aclf_role_parse(const char *s, enum aclf_role *out)
{
	static const enum aclf_role all[] = {
		ACLF_ROLE_FRONT_END,       ACLF_ROLE_DIRECTOR,        ACLF_ROLE_MEDIATION,
		ACLF_ROLE_PERSISTENT_CHAT, ACLF_ROLE_OFFICE_WEB_APPS, ACLF_ROLE_EDGE_INTERNAL,
	};

	if (!s)
		return -1;
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (!strcmp(aclf_role_name(all[i]), s)) {
			if (out)
				*out = all[i];
			return 0;
		}
	}
	return -1;
}
