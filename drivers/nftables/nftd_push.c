/* Fetch and safe apply on a Linux host over SSH exec channels (README.md
 * here, "Apply"). Every command runs nft as the login user, or through
 * `sudo -n` when the device's ssh has `sudo: true`. Success is nft's (or
 * the shell's) exit status 0; a failure quotes the command and what it
 * wrote on stderr, never a guess from its output.
 *
 * The transaction lives in a directory the host makes (mktemp -d
 * /tmp/aclforge.XXXXXXXX, mode 0700): old.nft (the table as it was, as one
 * nft -f file that restores it whole, or removes it when there was none),
 * new.nft (the plan), net.sh (the safety net). The net runs in a session
 * of its own (setsid, stdio on /dev/null), so it outlives the SSH session:
 * after confirm_s seconds it restores old.nft unless confirm or rollback
 * claimed the directory first. Claiming is `mkdir fired`, atomic on the
 * host, so the net and a late confirm never both act. */
#include <stdio.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/ssh.h"
#include "aclforge/topology.h"
#include "nftables/nftd.h"

#define NFTD_DIR_PREFIX "/tmp/aclforge."

static const char *priv(const struct aclf_device *dev)
{
	return dev->ssh.sudo ? "sudo -n " : "";
}

/* The last non-empty line of stderr (or stdout), trimmed, as the host's
 * own words. */
static void words(const struct aclf_ssh_result *r, struct aclf_buf *w)
{
	const struct aclf_buf *b = r->err.len ? &r->err : &r->out;
	size_t len = b->len;

	while (len && (b->buf[len - 1] == '\n' || b->buf[len - 1] == '\r' || b->buf[len - 1] == ' '))
		len--;
	if (!len) {
		aclf_buf_puts(w, "(no output)");
		return;
	}
	aclf_buf_add(w, b->buf, len);
}

/* Run cmd (with input on stdin); a nonzero exit status is the device's
 * refusal. label is how messages name the command. */
static int run(struct aclf_ssh *ssh, const struct aclf_device *dev, const char *label,
	       const char *cmd, const void *input, size_t input_len, unsigned timeout_ms,
	       struct aclf_ssh_result *r, struct aclf_err *err)
{
	struct aclf_ssh_exec_opts xo = { .input = input, .input_len = input_len,
					 .timeout_ms = timeout_ms };
	struct aclf_buf w = ACLF_BUF_INIT;

	if (aclf_ssh_exec(ssh, cmd, &xo, r, err) < 0)
		return -1;
	if (r->status == 0)
		return 0;
	aclf_buf_init(&w, 0);
	words(r, &w);
	if (r->status < 0)
		aclf_err_remote(err, ACLF_E_DEVICE, dev->name, label, "ended without an exit status%s%s: %s",
				r->signal[0] ? " by signal " : "", r->signal, w.buf);
	else
		aclf_err_remote(err, ACLF_E_DEVICE, dev->name, label, "exit status %d: %s", r->status,
				w.buf);
	aclf_buf_release(&w);
	return -1;
}

int nftd_fetch(struct aclf_ssh *ssh, const struct aclf_device *dev, struct aclf_buf *running,
	       struct aclf_err *err)
{
	struct aclf_ssh_result r;
	char cmd[64];
	int rc;

	/* the whole ruleset: the parser reads table inet aclforge and nothing
	 * else, and a host without it lists no such table (nothing of ours) */
	snprintf(cmd, sizeof(cmd), "%snft -j list ruleset", priv(dev));
	aclf_ssh_result_init(&r);
	rc = run(ssh, dev, cmd, cmd, NULL, 0, 0, &r, err);
	if (rc == 0 && aclf_buf_add(running, r.out.buf, r.out.len) < 0)
		rc = aclf_err_remote(err, ACLF_E_NOMEM, dev->name, cmd, "out of memory");
	aclf_ssh_result_release(&r);
	return rc;
}

/* The transaction directory the host named: exactly NFTD_DIR_PREFIX and
 * mktemp's letters, so it can be put in a command as it is. */
static int dir_ok(const char *d, size_t len)
{
	size_t plen = strlen(NFTD_DIR_PREFIX);

	if (len <= plen || len > 64 || strncmp(d, NFTD_DIR_PREFIX, plen) != 0)
		return 0;
	for (size_t i = plen; i < len; i++)
		if (!((d[i] >= 'a' && d[i] <= 'z') || (d[i] >= 'A' && d[i] <= 'Z') ||
		      (d[i] >= '0' && d[i] <= '9')))
			return 0;
	return 1;
}

static const char *txn_dir(const struct aclf_txn *txn)
{
	return txn->state.len && dir_ok(txn->state.buf, txn->state.len) ? txn->state.buf : NULL;
}

/* "sudo -n sh -c '<script with D for the directory>'": scripts hold no
 * single quote, and the directory is checked by dir_ok. */
static int script(struct aclf_buf *cmd, const struct aclf_device *dev, const char *dir,
		  const char *text)
{
	aclf_buf_reset(cmd);
	if (aclf_buf_printf(cmd, "%ssh -c 'D=%s; ", priv(dev), dir) < 0 || aclf_buf_puts(cmd, text) < 0 ||
	    aclf_buf_putc(cmd, '\'') < 0)
		return -1;
	return 0;
}

/* The table as it is now, as one file that brings it back whole: create
 * (a no-op when it exists), delete, and what `nft list table` prints; no
 * table now gives a file that leaves none. Checked with nft -c. */
static const char save_sh[] =
	"set -e; cd \"$D\"; { echo \"table inet aclforge {}\"; echo \"delete table inet aclforge\"; "
	"if nft list table inet aclforge >old.body 2>old.err; then cat old.body; "
	"elif grep -q \"No such file or directory\" old.err; then :; "
	"else cat old.err >&2; exit 1; fi; } >old.nft; nft -c -f old.nft";

/* The net: started in a session of its own; waits, then restores unless
 * someone claimed the directory. */
static const char net_sh_fmt[] =
	"cd \"%s\" || exit 0\n"
	"echo $$ >net.pid\n"
	"sleep %u\n"
	"mkdir fired 2>/dev/null || exit 0\n"
	"nft -f old.nft >net.out 2>&1\n"
	"echo $? >net.done\n";

static const char arm_sh[] =
	"cat >\"$D/net.sh\" && { setsid sh \"$D/net.sh\" </dev/null >/dev/null 2>&1 & } ; i=0; "
	"while [ ! -s \"$D/net.pid\" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; "
	"test -s \"$D/net.pid\"";

int nftd_load(struct aclf_ssh *ssh, const struct aclf_device *dev, const struct aclf_buf *plan,
	      const struct aclf_apply_opts *opts, struct aclf_txn *txn, struct aclf_err *err)
{
	struct aclf_ssh_result r;
	struct aclf_buf cmd = ACLF_BUF_INIT, net = ACLF_BUF_INIT;
	unsigned tmo = opts->command_timeout_ms;
	const char *d;
	size_t len;
	int rc = -1;

	aclf_ssh_result_init(&r);
	aclf_buf_init(&cmd, 0);
	aclf_buf_init(&net, 0);
	if (aclf_buf_printf(&cmd, "%smktemp -d %sXXXXXXXX", priv(dev), NFTD_DIR_PREFIX) < 0)
		goto nomem;
	if (run(ssh, dev, cmd.buf, cmd.buf, NULL, 0, tmo, &r, err) < 0)
		goto out;
	len = r.out.len;
	while (len && (r.out.buf[len - 1] == '\n' || r.out.buf[len - 1] == '\r'))
		len--;
	if (!dir_ok(r.out.buf, len)) {
		aclf_err_remote(err, ACLF_E_DEVICE, dev->name, cmd.buf,
				"expected a directory %sXXXXXXXX, the host printed '%.*s'",
				NFTD_DIR_PREFIX, (int)(len > 80 ? 80 : len), r.out.buf);
		goto out;
	}
	aclf_buf_reset(&txn->state);
	if (aclf_buf_add(&txn->state, r.out.buf, len) < 0)
		goto nomem;
	d = txn->state.buf;

	/* the old table, saved and checked before anything changes */
	if (script(&cmd, dev, d, save_sh) < 0)
		goto nomem;
	if (run(ssh, dev, "save table inet aclforge (nft list table; nft -c -f old.nft)", cmd.buf,
		NULL, 0, tmo, &r, err) < 0)
		goto cleanup;
	/* the plan, written and checked by nft itself: a rejected rule stops
	 * here with nothing changed */
	if (script(&cmd, dev, d, "umask 077; cat >\"$D/new.nft\"") < 0)
		goto nomem;
	if (run(ssh, dev, "write new.nft", cmd.buf, plan->buf, plan->len, tmo, &r, err) < 0)
		goto cleanup;
	if (script(&cmd, dev, d, "nft -c -f \"$D/new.nft\"") < 0)
		goto nomem;
	if (run(ssh, dev, "nft -c -f new.nft", cmd.buf, NULL, 0, tmo, &r, err) < 0)
		goto cleanup;
	/* arm the net (it may be armed from here on, whatever this returns) */
	if (aclf_buf_printf(&net, net_sh_fmt, d, opts->confirm_s ? opts->confirm_s
								 : ACLF_APPLY_CONFIRM_S) < 0 ||
	    script(&cmd, dev, d, arm_sh) < 0)
		goto nomem;
	txn->armed = true;
	if (run(ssh, dev, "arm the timed restore (setsid sh net.sh)", cmd.buf, net.buf, net.len, tmo,
		&r, err) < 0)
		goto out;
	/* one transaction: the whole table or nothing; its pid recorded, so a
	 * rollback after a timeout can stop a load that is still running */
	if (script(&cmd, dev, d, "echo $$ >\"$D/load.pid\"; exec nft -f \"$D/new.nft\"") < 0)
		goto nomem;
	txn->loaded = true;
	if (run(ssh, dev, "nft -f new.nft", cmd.buf, NULL, 0, tmo, &r, err) < 0)
		goto out;
	rc = 0;
	goto out;
cleanup:
	/* nothing armed, nothing changed: the directory goes, best effort (a
	 * lost session leaves it, harmless, in /tmp) */
	if (aclf_ssh_usable(ssh) && script(&cmd, dev, d, "rm -rf \"$D\"") == 0) {
		struct aclf_err ignore;

		aclf_err_init(&ignore);
		run(ssh, dev, "rm", cmd.buf, NULL, 0, tmo, &r, &ignore);
		aclf_err_release(&ignore);
	}
	goto out;
nomem:
	aclf_err_remote(err, ACLF_E_NOMEM, dev->name, NULL, "out of memory");
out:
	aclf_buf_release(&cmd);
	aclf_buf_release(&net);
	aclf_ssh_result_release(&r);
	return rc;
}

/* Claim the directory (mkdir fired): then stop the net and run what
 * follows; when the net claimed it first it has restored (or is
 * restoring) the old table. */
static const char confirm_sh[] =
	"cd \"$D\" || exit 3; if mkdir fired 2>/dev/null; then "
	"kill -TERM -\"$(cat net.pid)\" 2>/dev/null; cd /; rm -rf \"$D\"; echo disarmed; "
	"else echo fired; fi";

/* A load still running (after a timeout) is killed first: only the process
 * whose command line names this transaction's new.nft. */
static const char rollback_sh[] =
	"cd \"$D\" 2>/dev/null || { echo over; exit 0; }; if [ -s load.pid ]; then p=$(cat load.pid); "
	"if tr \"\\000\" \" \" </proc/$p/cmdline 2>/dev/null | grep -qF \"$D/new.nft\"; then "
	"kill -KILL \"$p\"; fi; fi; "
	"if mkdir fired 2>/dev/null; then "
	"if [ -s net.pid ]; then kill -TERM -\"$(cat net.pid)\" 2>/dev/null; fi; "
	"if [ -e old.nft ]; then nft -f old.nft || exit 1; fi; echo restored; "
	"else i=0; while [ ! -e net.done ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done; "
	"[ -e net.done ] || { echo \"the timed restore has not finished\" >&2; exit 1; }; "
	"[ \"$(cat net.done)\" = 0 ] || { cat net.out >&2; exit 1; }; echo fired; fi; "
	"cd /; rm -rf \"$D\"";

int nftd_confirm(struct aclf_ssh *ssh, const struct aclf_device *dev, struct aclf_txn *txn,
		 struct aclf_err *err)
{
	struct aclf_ssh_result r;
	struct aclf_buf cmd = ACLF_BUF_INIT;
	const char *d = txn_dir(txn);
	int rc = -1;

	if (!d)
		return aclf_err_remote(err, ACLF_E_BUG, dev->name, NULL, "confirm without a transaction");
	aclf_ssh_result_init(&r);
	aclf_buf_init(&cmd, 0);
	/* counters for snmpd while the net is still armed: a host that cannot
	 * publish them goes back to its old table with the rest */
	if (dev->snmp.version && nftd_snmp_publish(ssh, dev, 0, err) < 0)
		goto out;
	if (script(&cmd, dev, d, confirm_sh) < 0) {
		aclf_err_remote(err, ACLF_E_NOMEM, dev->name, NULL, "out of memory");
		goto out;
	}
	if (run(ssh, dev, "disarm the timed restore", cmd.buf, NULL, 0, 0, &r, err) < 0)
		goto out;
	if (!strncmp(r.out.buf, "fired", 5)) {
		txn->fired = true;
		aclf_err_remote(err, ACLF_E_DEVICE, dev->name, "disarm the timed restore",
				"too late: the timed restore had already put the old table back");
		goto out;
	}
	txn->armed = false;
	rc = 0;
out:
	aclf_buf_release(&cmd);
	aclf_ssh_result_release(&r);
	return rc;
}

int nftd_rollback(struct aclf_ssh *ssh, const struct aclf_device *dev, struct aclf_txn *txn,
		  struct aclf_err *err)
{
	struct aclf_ssh_result r;
	struct aclf_buf cmd = ACLF_BUF_INIT;
	const char *d = txn_dir(txn);
	int rc = -1;

	if (!d)
		return 0; /* the host never made the directory: nothing changed */
	aclf_ssh_result_init(&r);
	aclf_buf_init(&cmd, 0);
	if (script(&cmd, dev, d, rollback_sh) < 0) {
		aclf_err_remote(err, ACLF_E_NOMEM, dev->name, NULL, "out of memory");
		goto out;
	}
	if (run(ssh, dev, "restore the saved table (nft -f old.nft)", cmd.buf, NULL, 0, 60000, &r,
		err) < 0)
		goto out;
	if (!strncmp(r.out.buf, "fired", 5))
		txn->fired = true;
	/* no directory: confirm removed it (or it never was) */
	if (!strncmp(r.out.buf, "over", 4))
		txn->over = true;
	txn->armed = false;
	rc = 0;
out:
	aclf_buf_release(&cmd);
	aclf_ssh_result_release(&r);
	return rc;
}
