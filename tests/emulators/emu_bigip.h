/* The BIG-IP kind of the device emulator: internal interface between its
 * files.
 *
 *   emu_bigip_lex.c      tmsh words: quoted strings, braces, `;` between
 *                        the commands of `tmsh -c`
 *   emu_bigip_objects.c  the LTM objects aclforge renders (virtual, pool,
 *                        node, monitor, persistence, profile, snatpool):
 *                        the schema of their properties, create, modify,
 *                        delete, tmsh's errors
 *   emu_bigip_refs.c     references: resolved on create/modify, in use on
 *                        delete
 *   emu_bigip_list.c     `list ltm ...` (nested, one-line, recursive) and
 *                        the bigip.conf text of the dump
 *   emu_bigip_tmsh.c     bash and tmsh shells, prompts, CLI transactions,
 *                        `save sys config`, exec; the kind table
 *
 * Objects live in a store; a CLI transaction runs its commands against a
 * copy of the store and replaces the device's store only when every one
 * succeeded (all or nothing). */
#ifndef ACLF_EMU_BIGIP_H
#define ACLF_EMU_BIGIP_H

#include <stdbool.h>
#include <stddef.h>

#include "aclforge/buf.h"
#include "emu_kind.h"

/* ---- words ---- */
struct bw {
	char *w;     /* NULL for a brace */
	char brace;  /* '{' or '}' or 0 */
};

struct bwords {
	struct bw *v;
	size_t n, cap;
};

void bw_release(struct bwords *b);
/* Split tmsh text into words and braces. Returns 0, -1 out of memory, 1
 * when a quote is not closed. */
int bw_split(const char *text, struct bwords *b);
/* The commands of `tmsh -c 'a; b'` or of a line: split at ';' and
 * newlines outside quotes and braces. Calls fn per non-empty command. */
int bw_commands(const char *text, int (*fn)(void *ctx, const char *cmd), void *ctx);

/* ---- properties and objects ---- */
struct bnode {
	char *key;
	char *val;              /* a word value, or NULL */
	bool block;             /* has a { } body (possibly empty) */
	struct bnode *kids;     /* body entries in order */
	size_t n, cap;
};

enum bp_kind { BK_VIRTUAL, BK_POOL, BK_NODE, BK_MONITOR, BK_PERSIST, BK_PROFILE, BK_SNATPOOL,
	       BK_COUNT };

struct bobj {
	enum bp_kind kind;
	char *type;             /* monitor/persistence/profile type, else NULL */
	char *name;             /* full path: /Common/x */
	struct bnode props;     /* a block of properties */
};

struct bstore {
	struct bobj *v;
	size_t n, cap;
};

void bnode_release(struct bnode *n);
int bnode_copy(struct bnode *dst, const struct bnode *src);
void bstore_release(struct bstore *s);
int bstore_copy(struct bstore *dst, const struct bstore *src);
struct bobj *bstore_find(struct bstore *s, enum bp_kind k, const char *name);
/* "ltm pool" words -> kind; type for monitor/persistence/profile */
const char *bp_kind_word(enum bp_kind k);
const char *bp_kind_display(enum bp_kind k);
int bp_kind_lookup(const char *w, enum bp_kind *k);
bool bp_has_type(enum bp_kind k);
bool bp_type_ok(enum bp_kind k, const char *type);
/* a name as tmsh takes it: relative to /Common, or a full path */
char *bp_fullname(const char *name);

/* helpers shared by emu_bigip_objects.c and emu_bigip_refs.c */
struct bnode *bnode_get(struct bnode *n, const char *key);
/* a new or emptied entry for key; NULL when out of memory */
struct bnode *bnode_put(struct bnode *n, const char *key);
int bstore_add(struct bstore *s, struct bobj *o);
void bobj_release(struct bobj *o);
bool bp_builtin(enum bp_kind k, const char *full);
bool bp_is_ip(const char *a, bool *v6);
/* the kind a property of k names (-1 none); *coll: a { } collection */
int bp_prop_ref(enum bp_kind k, const char *key, bool *coll);

/* references (emu_bigip_refs.c): each returns 0, 1 with tmsh's error in
 * err, or -1 out of memory */
int bp_not_found(struct aclf_buf *err, enum bp_kind k, const char *name);
int bp_resolve(struct bstore *st, struct bobj *o, struct aclf_buf *err);
int bp_in_use(struct bstore *st, const struct bobj *o, struct aclf_buf *err);
int bp_virtual_defaults(struct bobj *o);

/* The commands on objects. Each returns 0, or 1 with tmsh's error in err
 * (the store is then unchanged), or -1 out of memory. w[0] is the verb
 * (create, modify, delete), w[1] "ltm", w[2] the kind... */
int bp_command(struct bstore *st, const struct bwords *w, size_t first, struct aclf_buf *err);

/* ---- printing ---- */
struct blist_opts {
	bool one_line;
	bool recursive;   /* names as Common/x (`cd /; list ... recursive`) */
	bool full;        /* names as /Common/x (bigip.conf) */
	bool numeric;     /* ports as numbers (cli global-settings service number) */
};

int bp_list(const struct bstore *st, int kind /* -1 all */, const char *type, const char *name,
	    const struct blist_opts *o, struct aclf_buf *out, struct aclf_buf *err);
/* The port part of a destination as tmsh shows it */
const char *bp_service_name(unsigned port);
int bp_service_port(const char *name);

/* ---- device and session ---- */
struct bigip_dev {
	struct emu_kind_opts opts;
	char *hostname;
	struct bstore running;
	struct bstore saved;      /* what `save sys config` wrote */
	bool numeric;             /* cli global-settings service number */
};

enum bigip_shell { BS_BASH, BS_TMSH };

struct bigip_sess {
	struct bigip_dev *dev;
	char *user;
	enum bigip_shell shell;
	bool from_bash;           /* quit goes back to bash */
	bool txn;                 /* a CLI transaction is open */
	char **queued;            /* its commands */
	size_t nqueued;
	bool exec;
};

/* run one tmsh command line; returns 0 ok, 1 tmsh error (printed), -1 oom;
 * *changed when the running configuration changed, *quit for quit/exit */
int emu_bigip_tmsh(struct bigip_sess *s, const char *cmd, struct aclf_buf *out, bool *changed,
	       bool *quit);

#endif
