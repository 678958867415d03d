/* Access lists by (family, name): an open-addressing hash table over
 * m->acls, built on first use and kept up to date as lists are added, so
 * that opening, binding and pairing tens of thousands of lists stays linear
 * (a scan per lookup made it quadratic). A removal reorders m->acls and
 * drops the table; the next lookup builds it again. */
#include <string.h>

#include "aclforge/arena.h"
#include "aclforge/hash.h"
#include "ios_parse.h"

static size_t hash(uint8_t fam, const char *name)
{
	return (size_t)(aclf_hash_str(name) ^ (fam == 6 ? 0x9e3779b97f4a7c15ull : 0));
}

/* The slot of (fam, name): its entry, or the empty slot it goes in. */
static size_t *slot(struct ios_model *m, uint8_t fam, const char *name)
{
	size_t mask = m->acl_tab_cap - 1, i = hash(fam, name) & mask;

	while (m->acl_tab[i]) {
		const struct ios_acl *a = &m->acls[m->acl_tab[i] - 1];
		if (a->family == fam && strcmp(a->name, name) == 0)
			break;
		i = (i + 1) & mask;
	}
	return &m->acl_tab[i];
}

/* A table for the lists there are, with room to grow: 0, -1 out of memory. */
static int build(struct ios_model *m)
{
	size_t cap = 16;

	while (cap <= 2 * (m->nacls + 1))
		cap *= 2;
	m->acl_tab = aclf_arena_alloc(m->a, cap * sizeof(*m->acl_tab));
	m->acl_tab_cap = m->acl_tab ? cap : 0;
	if (!m->acl_tab)
		return -1;
	for (size_t i = 0; i < m->nacls; i++) {
		size_t *s = slot(m, m->acls[i].family, m->acls[i].name);
		if (!*s) /* the first of a repeated name wins, as a scan would */
			*s = i + 1;
	}
	return 0;
}

long ios_acl_index(struct ios_model *m, uint8_t fam, const char *name)
{
	size_t *s;

	if (!name || !m->nacls)
		return -1;
	if (!m->acl_tab && build(m) < 0) {
		for (size_t i = 0; i < m->nacls; i++)
			if (m->acls[i].family == fam && strcmp(m->acls[i].name, name) == 0)
				return (long)i;
		return -1;
	}
	s = slot(m, fam, name);
	return *s ? (long)*s - 1 : -1;
}

void ios_acl_added(struct ios_model *m)
{
	size_t *s;

	if (!m->acl_tab)
		return;
	if (2 * (m->nacls + 1) >= m->acl_tab_cap) {
		ios_acl_forget_index(m); /* rebuilt, larger, on the next lookup */
		return;
	}
	s = slot(m, m->acls[m->nacls - 1].family, m->acls[m->nacls - 1].name);
	if (!*s)
		*s = m->nacls;
}

void ios_acl_forget_index(struct ios_model *m)
{
	m->acl_tab = NULL;
	m->acl_tab_cap = 0;
}
