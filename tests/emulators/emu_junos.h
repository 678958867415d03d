/* The Junos kind of the device emulator: internal interface between its
 * files.
 *
 *   emu_junos_tree.c    the configuration as a tree of words: set, delete,
 *                       copy, compare, `display set`, curly text, `| compare`
 *   emu_junos_stmt.c    statement text: words with columns, `[ lists ]`,
 *                       the light schema that gives Junos' syntax errors
 *   emu_junos_load.c    `load merge|replace|override|set terminal` input
 *   emu_junos_commit.c  commit, commit check/confirmed, rollback, the
 *                       exclusive lock, the confirm timer, `show firewall`
 *   emu_junos_packet.c  control commands: counters, a packet through a filter
 *   emu_junos_pipe.c    output pipes: display set, compare, match, except
 *   emu_junos_cli.c     modes, prompts, commands, exec; the kind table
 *
 * A device holds the committed configuration and its history (rollback
 * 0..49), the shared candidate, the exclusive lock's owner and a pending
 * `commit confirmed`. A session holds its mode, its edit path, a private
 * candidate when it has one and a `load ... terminal` in progress. */
#ifndef ACLF_EMU_JUNOS_H
#define ACLF_EMU_JUNOS_H

#include <stdbool.h>
#include <stddef.h>

#include "aclforge/buf.h"
#include "emu_kind.h"

/* ---- tree ---- */
struct jt_node {
	char *word;              /* NULL at the root */
	struct jt_node **kids;   /* in the order they were set */
	size_t n, cap;
};

struct jt_node *jt_new(const char *word);
void jt_free(struct jt_node *t);
struct jt_node *jt_copy(const struct jt_node *t);
bool jt_equal(const struct jt_node *a, const struct jt_node *b);
/* Add the path words[0..n-1]; single-valued statements replace their old
 * value. Returns 0 or -1 when out of memory. */
int jt_set(struct jt_node *root, char *const *words, size_t n);
/* Remove the node at the path and every ancestor it leaves empty. Returns
 * 1 when something was removed, 0 when the statement was not found. */
int jt_delete(struct jt_node *root, char *const *words, size_t n);
struct jt_node *jt_find(struct jt_node *root, char *const *words, size_t n);
/* `show configuration | display set` of the subtree at prefix (words of
 * its path, printed before every line). */
int jt_display_set(const struct jt_node *t, char *const *prefix, size_t nprefix,
		   struct aclf_buf *out);
/* Curly text of t's children at indentation depth. */
int jt_curly(const struct jt_node *t, unsigned depth, char *const *ctx, size_t nctx,
	     struct aclf_buf *out);
/* `show | compare`: what changes from a (committed) to b (candidate). */
int jt_compare(const struct jt_node *a, const struct jt_node *b, struct aclf_buf *out);
/* One word as Junos prints it (quoted when it holds anything unusual). */
int jt_put_word(struct aclf_buf *out, const char *w);

/* ---- statements ---- */
struct jst_word {
	char *w;
	size_t col;    /* 0-based offset in the line */
	bool open, close; /* '[' or ']' */
};

struct jst {
	struct jst_word *v;
	size_t n, cap;
};

void jst_release(struct jst *s);
/* Split a line into words (quotes, brackets). Returns 0, or -1 with *bad
 * the 0-based column of an unterminated quote. */
int jst_split(const char *line, struct jst *s, size_t *bad);
/* Check a configuration path (after the edit path is prepended): returns
 * -1 when it is fine, or the index of the first word Junos would put its
 * caret under; *what is "syntax error" or "missing argument" etc. */
long jst_check(char *const *words, size_t n, const char **what);
/* The paths one statement stands for: `a b [ c d ]` -> `a b c`, `a b d`.
 * Calls fn for each; stops at its first nonzero return. */
int jst_expand(const struct jst *s, size_t first, char *const *pre, size_t npre,
	       int (*fn)(void *ctx, char *const *w, size_t n), void *ctx);

/* ---- device and session ---- */
#define JUNOS_HISTORY 50

struct junos_counter {
	char *filter, *name;
	unsigned long long packets, bytes;
};

/* One entry of `show system commit`: who committed, how, the comment. */
struct junos_commit_info {
	char *user;          /* NULL: the system's own commit (root via other) */
	char *comment;       /* `commit comment "..."`, NULL without */
	unsigned confirmed;  /* `commit confirmed N`: N, else 0 */
};

struct junos_dev {
	struct emu_kind_opts opts;
	char *hostname;
	struct jt_node *running;
	struct jt_node *history[JUNOS_HISTORY]; /* [0] = running's predecessor (rollback 1) */
	size_t nhistory;
	/* [0] = running's commit, [k] = history[k - 1]'s */
	struct junos_commit_info info[JUNOS_HISTORY + 1];
	struct jt_node *shared;                 /* the shared candidate */
	void *exclusive;                        /* session holding the lock, or NULL */
	char *exclusive_user;
	unsigned editors;                       /* sessions in configuration mode */
	/* commit confirmed */
	bool pending;
	bool pending_armed;                     /* deadline known (a tick was seen) */
	unsigned pending_minutes;
	unsigned long long deadline_ms, now_ms;
	bool seen_tick;
	struct jt_node *pending_prev;           /* what an expiry restores */
	unsigned long long broadcast_gen;       /* bumped by an automatic rollback */
	/* emu-control foreign-commit USER MINUTES: right after the next commit
	 * confirmed of another user, USER commits confirmed MINUTES too */
	char *foreign_user;
	unsigned foreign_minutes;
	struct junos_counter *counters;
	size_t ncounters, ccap;
};

enum junos_mode { JM_OPER, JM_CONFIG };
enum junos_db { JDB_SHARED, JDB_PRIVATE, JDB_EXCLUSIVE };
enum junos_ask { JA_NONE, JA_EXIT, JA_DELETE };

struct junos_sess {
	struct junos_dev *dev;
	char *user;
	enum junos_mode mode;
	enum junos_db db;
	struct jt_node *priv;      /* private candidate */
	char **edit;               /* edit path */
	size_t nedit;
	/* load ... terminal in progress */
	bool loading;
	int load_kind;             /* enum junos_load */
	struct aclf_buf loadbuf;
	enum junos_ask ask;
	unsigned long long seen_gen;
	bool exec;                 /* a one-command exec session: no prompts */
};

enum junos_load { JL_MERGE, JL_REPLACE, JL_OVERRIDE, JL_SET, JL_UPDATE };

struct jt_node *emu_junos_candidate(struct junos_sess *s);
/* the prompt's last line, as the caret counts it */
int emu_junos_prompt_text(struct junos_sess *s, struct aclf_buf *out);
/* caret under column col of a line typed after the prompt */
int emu_junos_caret(struct junos_sess *s, size_t col, struct aclf_buf *out);

/* load: apply text to the candidate as `load KIND terminal` does; prints
 * the errors and `load complete`. */
int emu_junos_load_text(struct junos_sess *s, int kind, const char *text, size_t len,
		    struct aclf_buf *out);
/* one `set`/`delete` statement (words after the verb's position first);
 * label NULL: interactive (caret errors), else "terminal" with line no. */
int emu_junos_statement(struct junos_sess *s, const char *line, struct aclf_buf *out,
		    const char *label, unsigned lineno, bool *changed);

/* pipes (emu_junos_pipe.c) */
struct pipes {
	bool display_set, compare, no_more;
	char *match, *except;
};

/* Split "cmd | a | b" outside quotes: the command part (heap, NULL when
 * out of memory); *bad = the column of a pipe Junos does not know, or -1. */
char *emu_junos_split_pipes(const char *line, struct pipes *p, long *bad);
/* text's lines that `| match` / `| except` keep, appended to out */
int emu_junos_filter_lines(struct aclf_buf *text, const struct pipes *p, struct aclf_buf *out);

/* commit */
int emu_junos_commit_cmd(struct junos_sess *s, char *const *w, size_t n, struct aclf_buf *out,
		     bool *changed);
int emu_junos_rollback_cmd(struct junos_sess *s, char *const *w, size_t n, struct aclf_buf *out);
/* the lock line block of "error: configuration database locked by:" */
int emu_junos_locked_msg(struct junos_dev *d, struct aclf_buf *out);
bool emu_junos_tick(void *dev, unsigned long long now_ms);
int emu_junos_show_firewall(struct junos_dev *d, const char *filter, struct aclf_buf *out);
/* control commands (emu_junos_packet.c): count, packet */
int emu_junos_control(void *dev, const char *command, struct aclf_buf *out);
const struct junos_counter *emu_junos_counter_get(const struct junos_dev *d, const char *filter,
					      const char *name);
bool emu_junos_uncommitted(struct junos_sess *s);
/* arm the foreign commit (emu-control foreign-commit); 0, -1 bad or out
 * of memory (out says why) */
int emu_junos_arm_foreign(struct junos_dev *d, const char *args, struct aclf_buf *out);
int emu_junos_banner_pending(struct junos_dev *d, struct aclf_buf *out);
/* `show system commit`: newest first, `rollback pending` under entry 0
 * while a commit confirmed waits */
int emu_junos_show_commits(struct junos_dev *d, struct aclf_buf *out);
void emu_junos_commit_info_release(struct junos_commit_info *c);
void emu_junos_release_lock(struct junos_sess *s);

#endif
