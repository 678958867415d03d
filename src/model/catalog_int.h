/* Internal to the catalog loader: vocabulary lists beyond the public ones. */
#ifndef ACLFORGE_CATALOG_INT_H
#define ACLFORGE_CATALOG_INT_H

#include <stdbool.h>

#include "aclforge/catalog.h"

/* NULL-terminated lists of accepted `app` and `media` values. */
const char *const *catalog_apps(void);
const char *const *catalog_media_kinds(void);
/* May a row of table t carry this role? False for unknown roles. */
bool catalog_role_fits_table(const char *role, enum aclf_cat_table t);

#endif
