/* The emulated Cisco IOS device, shared by tests/emulators/emu_ios*.c only.
 *
 * emu_ios.c        the kind table, sessions, modes, prompts, dispatch
 * emu_ios_cmd.c    keyword matching: abbreviations, caret, incomplete,
 *                  ambiguous
 * emu_ios_model.c  the tables: lists, object-groups, interfaces
 * emu_ios_acl.c    entries and group members parsed and printed
 * emu_ios_match.c  a test's packet against a list
 * emu_ios_control.c emu-control (packets, counters)
 * emu_ios_show.c   show commands, running-config
 * emu_ios_config.c configuration mode commands
 *
 * The device is pure data: lists, groups and interfaces with their
 * bindings, in the order they were made. */
#ifndef ACLF_EMU_IOS_H
#define ACLF_EMU_IOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aclforge/buf.h"
#include "emu_kind.h"

#define EMU_IOS_SEQ_MAX 2147483647UL

enum eio_addr_kind { EIO_ANY, EIO_HOST, EIO_WILD, EIO_PREFIX, EIO_GROUP };

/* An address of an entry or a group member. IPv4 masks are wildcards in
 * entries and subnet masks in groups: kept as given in `mask` with
 * `subnet` telling which. */
struct eio_addr {
	enum eio_addr_kind kind;
	uint8_t fam;              /* 4 or 6 */
	unsigned char a[16];
	unsigned char mask[16];   /* EIO_WILD: the wildcard bits */
	unsigned len;             /* EIO_PREFIX: prefix length */
	char *group;              /* EIO_GROUP: object-group name */
};

enum eio_port_op { EIO_P_NONE, EIO_P_EQ, EIO_P_NEQ, EIO_P_GT, EIO_P_LT, EIO_P_RANGE };

#define EIO_PORTS_MAX 10
struct eio_ports {
	enum eio_port_op op;
	size_t n;
	uint16_t p[EIO_PORTS_MAX];
};

/* One line of a list: a remark or an entry. */
struct eio_ace {
	unsigned long seq;
	char *remark;             /* non-NULL: a remark, nothing else set */
	bool permit;
	int proto;                /* -1: service object-group (svc) */
	char *svc;
	struct eio_addr src, dst;
	struct eio_ports sport, dport;
	char *icmp;               /* ICMP message name or "TYPE [CODE]" */
	bool established;
	int log;                  /* 0, 1 log, 2 log-input */
	unsigned long long matches;
};

struct eio_acl {
	char *name;
	uint8_t fam;              /* 4: ip access-list extended, 6: ipv6 */
	struct eio_ace *ace;
	size_t n, alloc;
};

enum eio_og_kind { EIO_OG_NETWORK, EIO_OG_SERVICE };

/* One member of an object-group. */
struct eio_member {
	char *group;              /* group-object NAME */
	char *description;        /* description TEXT */
	struct eio_addr addr;     /* network: host, A MASK (subnet), A/len, any */
	int proto;                /* service: protocol, -2 tcp-udp */
	struct eio_ports sport, dport;
	char *icmp;
};

struct eio_og {
	char *name;
	enum eio_og_kind kind;
	struct eio_member *m;
	size_t n, alloc;
};

struct eio_if {
	char *name;
	char *description;
	bool shutdown;
	char *acl_in, *acl_out;   /* ip access-group */
	char *v6_in, *v6_out;     /* ipv6 traffic-filter */
};

struct eio_user {
	char *name;
	unsigned priv;
};

struct eio_dev {
	char *hostname;
	char *enable_secret;      /* NULL: enable asks no password */
	struct eio_acl **acl;
	size_t nacl, aacl;
	struct eio_og **og;
	size_t nog, aog;
	struct eio_if **ifs;
	size_t nif, aif;
	bool saved;               /* startup-config equals running-config */
	char *startup;            /* startup-config text, NULL before a save */
	struct eio_user *users;   /* username NAME privilege N */
	size_t nusers;
};

enum eio_mode {
	EIO_USER, EIO_PRIV, EIO_CONF, EIO_CONF_ACL, EIO_CONF_ACL6, EIO_CONF_IF,
	EIO_CONF_NETGRP, EIO_CONF_SVCGRP,
};

enum eio_question { EIO_Q_NONE, EIO_Q_ENABLE_PW, EIO_Q_COPY_DEST };

struct eio_sess {
	enum eio_mode mode;
	char *ctx;                /* name of the list, group or interface the
	                           * sub-mode edits */
	enum eio_question q;
	unsigned width, length;
	bool closing;             /* exit/logout: the server closes */
	int tries;                /* wrong enable passwords so far */
};

/* ---- emu_ios_cmd.c: the command line as tokens ---------------------------- */

#define EIO_TOK_MAX 64
struct eio_line {
	const char *text;         /* the line as typed */
	size_t n;
	char *tok[EIO_TOK_MAX];
	size_t col[EIO_TOK_MAX];  /* 0-based offset of each token in text */
	bool overflow;            /* more than EIO_TOK_MAX words */
	size_t overflow_col;      /* where the first word too many starts */
	char *store;
};

/* Context of one command: the line, the output and the prompt length (for
 * the caret). Functions below print the error into out and return -1. */
struct eio_cmd {
	struct eio_dev *dev;
	struct eio_sess *s;
	struct eio_line *l;
	struct aclf_buf *out;
	size_t prompt_len;
	bool changed;
	const char *question;     /* set by `do copy ...` in config mode */
	bool syntax;              /* a parser error (caret, incomplete,
	                           * ambiguous) was printed */
};

int eio_split(struct eio_line *l, const char *text);
void eio_line_free(struct eio_line *l);
/* Which of the NULL-terminated words tok i abbreviates: the index, or -1
 * after printing the caret error (no match), % Ambiguous command, or
 * % Incomplete command (no token i). */
int eio_kw(struct eio_cmd *c, size_t i, const char *const *words);
/* Same, but a missing token i returns -2 without printing. */
int eio_kw_opt(struct eio_cmd *c, size_t i, const char *const *words);
/* Silent: the index of the word tok names, -1 for none or several. */
int eio_match(const char *tok, const char *const *words);
int eio_invalid(struct eio_cmd *c, size_t i);
int eio_invalid_at(struct eio_cmd *c, size_t col);
int eio_incomplete(struct eio_cmd *c);
/* token i must exist (else % Incomplete command.); returns it or NULL */
const char *eio_need(struct eio_cmd *c, size_t i);
/* no token from i on (else the caret under token i) */
int eio_end(struct eio_cmd *c, size_t i);
int eio_uint(struct eio_cmd *c, size_t i, unsigned long lo, unsigned long hi,
	     unsigned long *v);

/* ---- emu_ios_model.c: the device's tables -------------------------------- */

/* room for one more of n elements of size bytes in *v (capacity *alloc);
 * 0 or -1 */
int eio_grow(void **v, size_t *alloc, size_t n, size_t size);
struct eio_acl *eio_acl_find(struct eio_dev *d, const char *name, uint8_t fam);
struct eio_acl *eio_acl_get(struct eio_dev *d, const char *name, uint8_t fam);
void eio_acl_delete(struct eio_dev *d, const char *name, uint8_t fam);
struct eio_og *eio_og_find(struct eio_dev *d, const char *name);
struct eio_og *eio_og_get(struct eio_dev *d, const char *name, enum eio_og_kind kind);
void eio_og_delete(struct eio_dev *d, const char *name);
struct eio_if *eio_if_find(struct eio_dev *d, const char *name);
struct eio_if *eio_if_get(struct eio_dev *d, const char *name);
void eio_dev_free_model(struct eio_dev *d);

/* ---- emu_ios_acl.c: entries and members ------------------------------------ */

/* An entry from tokens i.. of the line (after the sequence number and
 * permit/deny); 0 or -1 with the error printed. */
int eio_ace_parse(struct eio_cmd *c, size_t i, uint8_t fam, struct eio_ace *e);
void eio_ace_release(struct eio_ace *e);
/* 0 when equal apart from sequence number and counter */
bool eio_ace_same(const struct eio_ace *a, const struct eio_ace *b);
/* Entry text without sequence number: "permit tcp any host 1.2.3.4 eq www";
 * pad pads deny to "deny  " as running-config does. */
void eio_ace_text(const struct eio_ace *e, uint8_t fam, bool pad, struct aclf_buf *out);
/* Inserts e (moved in) in sequence order; seq 0 = last + 10. Returns 0,
 * or -1 with the message printed (duplicate, over the maximum). Identical
 * entries are a silent no-op (e released). */
int eio_acl_add(struct eio_cmd *c, struct eio_acl *a, struct eio_ace *e);
int eio_member_parse(struct eio_cmd *c, size_t i, enum eio_og_kind k, struct eio_member *m);
void eio_member_release(struct eio_member *m);
bool eio_member_same(const struct eio_member *a, const struct eio_member *b);
void eio_member_text(const struct eio_member *m, enum eio_og_kind k, struct aclf_buf *out);
void eio_addr_text(const struct eio_addr *a, bool subnet, struct aclf_buf *out);

/* A packet for emu-control. */
struct eio_pkt {
	uint8_t fam;
	int proto;
	unsigned char src[16], dst[16];
	uint16_t sport, dport;
	bool established;         /* ACK or RST set */
};
/* ---- emu_ios_match.c -------------------------------------------------------- */

bool eio_ports_match(const struct eio_ports *pr, uint16_t p);
/* First entry of a that matches p, or NULL. */
struct eio_ace *eio_acl_match(struct eio_dev *d, struct eio_acl *a, const struct eio_pkt *p);

/* ---- emu_ios_show.c ------------------------------------------------------- */

/* `show running-config` ("\r\n" line ends) */
void eio_running_config(struct eio_dev *d, struct aclf_buf *out);
/* the configuration itself, from "!" to "end", "\n" line ends */
void eio_config_text(struct eio_dev *d, struct aclf_buf *out);
/* show ... from token i (after "show"); 0 or -1 */
int eio_show(struct eio_cmd *c, size_t i);

/* ---- emu_ios_config.c ----------------------------------------------------- */

/* A line in configuration mode or one of its sub-modes. */
int eio_config(struct eio_cmd *c);

/* ---- emu_ios_control.c: emu-control packet ... ------------------------- */

int eio_control(struct eio_dev *d, const char *command, struct aclf_buf *out);

/* ---- emu_ios.c ------------------------------------------------------------ */

/* The exec (privileged or user) commands from token i (`do` uses it). */
int eio_exec_cmd(struct eio_cmd *c, size_t i, const char **question);
void eio_prompt(struct eio_dev *d, struct eio_sess *s, struct aclf_buf *out);
/* "\r\n" line ends */
void eio_puts(struct aclf_buf *out, const char *s);

#endif
