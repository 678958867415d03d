/* FNV-1a over bytes, for hash tables and for grouping equal values. Not for
 * anything an adversary picks to collide: callers compare keys in full. */
#ifndef ACLFORGE_HASH_H
#define ACLFORGE_HASH_H

#include <stddef.h>
#include <stdint.h>

/* The start value aclforge has always used. It is not FNV's published
 * offset basis (14695981039346656037), but any value serves: keeping it
 * keeps every table's layout and every grouping as it was. */
#define ACLF_HASH_INIT 1469598103934665603ull

/* h continued over n bytes of data. */
uint64_t aclf_hash_add(uint64_t h, const void *data, size_t n);
/* A NUL-terminated string from ACLF_HASH_INIT. */
uint64_t aclf_hash_str(const char *s);

#endif
