/* The contract between the emulator's SSH server (emu_server.c and friends)
 * and one device kind (emu_ios.c, emu_junos.c, emu_bigip.c).
 *
 * A kind is pure text processing: it never touches sockets or libssh. The
 * server owns connections, ports, options (--delay-ms, --drop-after,
 * --reject, --hang-after), --state-dir writes and the pty; a kind turns
 * one received line into output and a new prompt. That is what lets each
 * kind be unit-tested by feeding lines, and what lets one process serve
 * every port of a range as an independent device.
 *
 * Ownership: the server creates one device state per listening port
 * (kind->create) and one session state per SSH session (kind->open). All
 * text a kind produces goes into the struct aclf_buf it is given. Nothing
 * is global: two devices of the same kind share nothing. */
#ifndef ACLF_EMU_KIND_H
#define ACLF_EMU_KIND_H

#include <stdbool.h>
#include <stddef.h>

#include "aclforge/buf.h"

/* Options a kind reads (the server parses the command line). */
struct emu_kind_opts {
	bool fail_commit;          /* Junos `commit check`/`commit`, tmsh
	                            * `submit cli transaction` fail */
	unsigned confirm_unit_ms;  /* Junos: one "minute" of commit confirmed;
	                            * 0 = 60000 */
	const char *hostname;      /* device host name for prompts; never NULL */
};

/* What the server does after a line. */
enum emu_next {
	EMU_CONTINUE = 0, /* print out, then the prompt (kind->prompt) */
	EMU_CLOSE,        /* print out, then close the session (exit/logout) */
	EMU_CHANGED,      /* as CONTINUE, and the running configuration
	                   * changed: the server rewrites --state-dir's file */
};

struct emu_kind {
	const char *name; /* "ios", "junos", "bigip" */

	/* Device state, once per port; NULL on out of memory. */
	void *(*create)(const struct emu_kind_opts *o);
	void (*destroy)(void *dev);

	/* Session state for an interactive shell (pty) session. user is the
	 * authenticated user name. */
	void *(*open)(void *dev, const char *user);
	void (*close)(void *dev, void *sess);

	/* Text printed once when the shell starts, before the first prompt
	 * (may append nothing). */
	void (*banner)(void *dev, void *sess, struct aclf_buf *out);
	/* The current prompt, e.g. "sw1#", "sw1(config)#",
	 * "user@fw1# ", "root@(lb1)(cfg-sync Standalone)(Active)(/Common)(tmos)# ". */
	void (*prompt)(void *dev, void *sess, struct aclf_buf *out);

	/* One line the user typed (no CR/LF; the server handles echo and
	 * line editing). Output goes to out, lines ending in "\r\n" as a real
	 * pty shows them (the server converts "\n" to "\r\n" if a kind writes
	 * bare "\n"). A line that asks a question (IOS `write memory` may ask
	 * nothing; `copy` asks "[confirm]") sets *question to the question text
	 * and returns EMU_CONTINUE; the next line is the answer and comes to
	 * `line` again — the kind remembers it asked. */
	enum emu_next (*line)(void *dev, void *sess, const char *line, struct aclf_buf *out,
			      const char **question);

	/* The vendor's own error for a command rejected by --reject REGEX
	 * (IOS caret error, Junos "error: ...", tmsh "01020036:3: ..."). */
	void (*reject)(void *dev, void *sess, const char *line, struct aclf_buf *out);

	/* Exec channel (ssh host COMMAND), NULL when the kind has none.
	 * Returns the exit status; stdout/stderr apart. BIG-IP: bash and
	 * `tmsh -c '...'`. Junos accepts `cli -c '...'`-style exec too. */
	int (*exec)(void *dev, const char *user, const char *command, struct aclf_buf *out,
		    struct aclf_buf *errout, bool *changed);

	/* The running configuration as `show running-config` / `show
	 * configuration` / `list` would print it, for --state-dir. */
	void (*dump)(void *dev, struct aclf_buf *out);

	/* Called by the server about every 10 ms of wall clock with the
	 * monotonic time in ms: Junos uses it to roll back an unconfirmed
	 * commit. Returns true when the running configuration changed. May be
	 * NULL. */
	bool (*tick)(void *dev, unsigned long long now_ms);

	/* Control command from a test (see emu_server.c: a line on the
	 * control socket or `emu-control` exec command), e.g. IOS
	 * "packet in Vlan110 tcp 198.18.0.2 50000 198.18.1.1 5061" which
	 * counts a packet against the bound ACL's first matching entry.
	 * Returns 0 or -1 with a message in out. May be NULL. */
	int (*control)(void *dev, const char *command, struct aclf_buf *out);

	/* True while the line the session waits for is a secret (the answer
	 * to IOS `enable`'s "Password: "): the server does not echo it. May
	 * be NULL (every line is echoed). */
	bool (*secret)(void *dev, void *sess);
};

extern const struct emu_kind emu_kind_ios;
extern const struct emu_kind emu_kind_junos;
extern const struct emu_kind emu_kind_bigip;

#endif
