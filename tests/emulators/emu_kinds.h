/* The device kinds aclforge-emu knows, by name (emu_kinds.c). */
#ifndef ACLF_EMU_KINDS_H
#define ACLF_EMU_KINDS_H

#include "emu_kind.h"

/* NULL-terminated, in the order `--kind` lists them */
extern const struct emu_kind *const emu_kinds[];

/* The kind named name, or NULL. */
const struct emu_kind *emu_kind_find(const char *name);

/* The host name of the index-th device (0-based) of a port range: "sw1",
 * "sw2", ... for ios, "fw1" for junos, "lb1" for bigip. */
void emu_kind_hostname(const struct emu_kind *k, size_t index, char *buf, size_t size);

/* "ios|junos|..." for messages */
void emu_kind_names(char *buf, size_t size);

#endif
