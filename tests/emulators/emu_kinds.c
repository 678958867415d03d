/* The one table of device kinds: a kind is one line here and one in
 * CMakeLists.txt. */
#include <stdio.h>
#include <string.h>

#include "emu_kinds.h"

const struct emu_kind *const emu_kinds[] = {
	&emu_kind_ios,
	&emu_kind_junos,
	&emu_kind_bigip,
	NULL,
};

const struct emu_kind *emu_kind_find(const char *name)
{
	for (size_t k = 0; emu_kinds[k]; k++)
		if (!strcmp(emu_kinds[k]->name, name))
			return emu_kinds[k];
	return NULL;
}

static const struct {
	const char *kind, *prefix;
} host_prefix[] = {
	{ "ios", "sw" }, { "junos", "fw" }, { "bigip", "lb" },
};

void emu_kind_hostname(const struct emu_kind *k, size_t index, char *buf, size_t size)
{
	const char *p = "dev";

	for (size_t j = 0; j < sizeof(host_prefix) / sizeof(host_prefix[0]); j++)
		if (!strcmp(host_prefix[j].kind, k->name))
			p = host_prefix[j].prefix;
	snprintf(buf, size, "%s%zu", p, index + 1);
}

void emu_kind_names(char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t k = 0; emu_kinds[k] && n < size; k++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", k ? "|" : "", emu_kinds[k]->name);
}
