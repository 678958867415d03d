/* Fetch and safe apply on an F5 BIG-IP over SSH exec channels (README.md
 * here, "Apply"). Every command is one `tmsh -q -c '...'`: a bash login
 * (root, advanced shell) runs tmsh with those commands, and the exec channel
 * gives stdout, stderr and the exit status apart, with no prompts or pager
 * to guess at.
 *
 * Success is decided by tmsh's own grammar: a line `NNNNNNNN:S: message`
 * (eight hex digits, severity S, 0 the worst, 3 an error; 4 and above are
 * warnings and notices) or `Syntax Error: ...` is a refusal, and so is a
 * nonzero exit status; the first such line is quoted as the device's words.
 *
 * The transaction: load reads the device first and keeps that text
 * (txn->state: the old configuration, aclf_ objects included), then sends
 * the plan as one `create cli transaction` ... `submit cli transaction`,
 * which BIG-IP applies whole or not at all. confirm is `save sys config`.
 * rollback reads the device again: unchanged since load, there is nothing
 * to undo; else a reverse transaction (the plan op from what it runs now
 * back to the old text, parsed) restores the old aclf_ objects, and a
 * last read checks that the old services are back. BIG-IP has no timed
 * restore: txn->armed stays false. */
#include <stdio.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/diff.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/ssh.h"
#include "aclforge/topology.h"
#include "bigip/bigip.h"

#define BIGIP_FETCH_BODY "list ltm"
#define BIGIP_FETCH_CMD "tmsh -q -c '" BIGIP_FETCH_BODY "'"
/* txn->state: this line, then the text load read (empty on a device with
 * no LTM objects at all) */
#define BIGIP_STATE_HDR "# old configuration: " BIGIP_FETCH_CMD "\n"

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Is line (len bytes, no line end) one of tmsh's refusals? An error code
 * of severity 0..3, or a syntax error. */
static bool tmsh_refusal(const char *line, size_t len)
{
	static const char syn[] = "Syntax Error:";
	size_t i;

	if (len >= sizeof(syn) - 1 && !memcmp(line, syn, sizeof(syn) - 1))
		return true;
	if (len < 11)
		return false;
	for (i = 0; i < 8; i++)
		if (!is_hex(line[i]))
			return false;
	return line[8] == ':' && line[9] >= '0' && line[9] <= '3' && line[10] == ':';
}

/* The first refusal line of b into w (CR dropped); false when none. */
static bool find_refusal(const struct aclf_buf *b, struct aclf_buf *w)
{
	const char *p = b->buf, *end = b->buf + b->len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);

		while (len && p[len - 1] == '\r')
			len--;
		if (tmsh_refusal(p, len)) {
			aclf_buf_add(w, p, len);
			return true;
		}
		p = nl ? nl + 1 : end;
	}
	return false;
}

/* The last non-empty line of stderr (or stdout), for a nonzero exit status
 * without a refusal line. */
static void last_words(const struct aclf_ssh_result *r, struct aclf_buf *w)
{
	const struct aclf_buf *b = r->err.len ? &r->err : &r->out;
	size_t len = b->len, start;

	while (len && (b->buf[len - 1] == '\n' || b->buf[len - 1] == '\r' || b->buf[len - 1] == ' '))
		len--;
	if (!len) {
		aclf_buf_puts(w, "(no output)");
		return;
	}
	start = len;
	while (start && b->buf[start - 1] != '\n')
		start--;
	aclf_buf_add(w, b->buf + start, len - start);
}

/* aclf_ssh_exec, its failure (a lost or silent session) named by label
 * rather than by the whole command, which for a transaction is the plan. */
static int exec_as(struct aclf_ssh *ssh, const struct aclf_device *dev, const char *label,
		  const char *cmd, const struct aclf_ssh_exec_opts *xo, struct aclf_ssh_result *r,
		  struct aclf_err *err)
{
	struct aclf_err e;
	struct aclf_buf prefix = ACLF_BUF_INIT;
	const char *t;
	int rc;

	aclf_err_init(&e);
	rc = aclf_ssh_exec(ssh, cmd, xo, r, &e);
	if (rc < 0) {
		aclf_buf_init(&prefix, 0);
		t = aclf_err_text(&e);
		/* the transport's words without its "DEVICE: 'COMMAND': " */
		if (aclf_buf_printf(&prefix, "%s: '%s': ", dev->name, cmd) == 0 &&
		    !strncmp(t, prefix.buf, prefix.len))
			t += prefix.len;
		aclf_err_remote(err, e.kind, dev->name, label, "%s", t);
		aclf_buf_release(&prefix);
	}
	aclf_err_release(&e);
	return rc;
}

/* Run cmd; a refusal line or a nonzero exit status is the device's
 * refusal (ACLF_E_DEVICE, quoting it), a lost or silent session the
 * transport's error. label names the command in messages. */
static int run(struct aclf_ssh *ssh, const struct aclf_device *dev, const char *label,
	       const char *cmd, unsigned timeout_ms, struct aclf_ssh_result *r, struct aclf_err *err)
{
	struct aclf_ssh_exec_opts xo = { .timeout_ms = timeout_ms };
	struct aclf_buf w = ACLF_BUF_INIT;
	bool refused;

	if (exec_as(ssh, dev, label, cmd, &xo, r, err) < 0)
		return -1;
	aclf_buf_init(&w, 0);
	refused = find_refusal(&r->err, &w) || find_refusal(&r->out, &w);
	if (!refused && r->status == 0) {
		aclf_buf_release(&w);
		return 0;
	}
	if (refused)
		aclf_err_remote(err, ACLF_E_DEVICE, dev->name, label, "%s", w.buf);
	else {
		last_words(r, &w);
		if (r->status < 0)
			aclf_err_remote(err, ACLF_E_DEVICE, dev->name, label,
					"ended without an exit status%s%s: %s",
					r->signal[0] ? " by signal " : "", r->signal, w.buf);
		else
			aclf_err_remote(err, ACLF_E_DEVICE, dev->name, label, "exit status %d: %s",
					r->status, w.buf);
	}
	aclf_buf_release(&w);
	return -1;
}

static int fetch_to(struct aclf_ssh *ssh, const struct aclf_device *dev, unsigned timeout_ms,
		    struct aclf_buf *out, struct aclf_err *err)
{
	struct aclf_ssh_result r;
	int rc;

	aclf_ssh_result_init(&r);
	rc = run(ssh, dev, BIGIP_FETCH_CMD, BIGIP_FETCH_CMD, timeout_ms, &r, err);
	if (rc == 0 && aclf_buf_add(out, r.out.buf, r.out.len) < 0)
		rc = aclf_err_remote(err, ACLF_E_NOMEM, dev->name, BIGIP_FETCH_CMD, "out of memory");
	aclf_ssh_result_release(&r);
	return rc;
}

int bigip_fetch(struct aclf_ssh *ssh, const struct aclf_device *dev, struct aclf_buf *running,
		struct aclf_err *err)
{
	/* every LTM object of /Common in bigip.conf form, as parse reads it; a
	 * device with nothing of aclforge's lists no aclf_ object */
	return fetch_to(ssh, dev, 0, running, err);
}

/* "tmsh -q -c 'create cli transaction; LINE; ...; submit cli transaction'"
 * from the plan's lines (empty ones skipped). A plan holding a single
 * quote cannot be put between single quotes: refused, nothing sent. */
static int txn_cmd(const struct aclf_device *dev, const char *plan, size_t len,
		   struct aclf_buf *cmd, struct aclf_err *err)
{
	const char *p = plan, *end = plan + len;

	if (memchr(plan, '\'', len))
		return aclf_err_remote(err, ACLF_E_INPUT, dev->name, NULL,
				       "the plan holds a single quote, which tmsh -c '...' cannot carry");
	aclf_buf_reset(cmd);
	if (aclf_buf_puts(cmd, "tmsh -q -c 'create cli transaction") < 0)
		return aclf_err_nomem(err);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = (size_t)((nl ? nl : end) - p);

		while (l && (p[l - 1] == '\r' || p[l - 1] == ' '))
			l--;
		if (l && (aclf_buf_puts(cmd, "; ") < 0 || aclf_buf_add(cmd, p, l) < 0))
			return aclf_err_nomem(err);
		p = nl ? nl + 1 : end;
	}
	if (aclf_buf_puts(cmd, "; submit cli transaction'") < 0)
		return aclf_err_nomem(err);
	return 0;
}

int bigip_load(struct aclf_ssh *ssh, const struct aclf_device *dev, const struct aclf_buf *plan,
	       const struct aclf_apply_opts *opts, struct aclf_txn *txn, struct aclf_err *err)
{
	struct aclf_ssh_result r;
	struct aclf_buf cmd = ACLF_BUF_INIT;
	unsigned tmo = opts->command_timeout_ms;
	int rc = -1;

	aclf_ssh_result_init(&r);
	aclf_buf_init(&cmd, 0);
	if (txn_cmd(dev, plan->buf, plan->len, &cmd, err) < 0)
		goto out;
	/* the old configuration, kept before anything changes: rollback plans
	 * the way back from it, on this session or another */
	aclf_buf_reset(&txn->state);
	if (aclf_buf_puts(&txn->state, BIGIP_STATE_HDR) < 0) {
		aclf_err_nomem(err);
		goto out;
	}
	if (fetch_to(ssh, dev, tmo, &txn->state, err) < 0) {
		aclf_buf_reset(&txn->state);
		goto out;
	}
	/* one transaction: all of it or nothing (a failed submit changes
	 * nothing; rollback still reads the device to make sure) */
	txn->loaded = true;
	if (run(ssh, dev, "submit cli transaction", cmd.buf, tmo, &r, err) < 0)
		goto out;
	rc = 0;
out:
	aclf_buf_release(&cmd);
	aclf_ssh_result_release(&r);
	return rc;
}

int bigip_confirm(struct aclf_ssh *ssh, const struct aclf_device *dev, struct aclf_txn *txn,
		  struct aclf_err *err)
{
	struct aclf_ssh_result r;
	int rc;

	(void)txn;
	aclf_ssh_result_init(&r);
	rc = run(ssh, dev, "save sys config", "tmsh -q -c 'save sys config'", 0, &r, err);
	aclf_ssh_result_release(&r);
	return rc;
}

/* Parse device text into a new policy of its own. */
static int parse_text(const struct aclf_device *dev, const char *text, size_t len,
		      struct aclf_policy **pol, struct aclf_devpol **dp, struct aclf_err *err)
{
	struct bigip_parse_opts po = { .strict = false };

	*pol = aclf_policy_new();
	if (!*pol)
		return aclf_err_nomem(err);
	if (bigip_parse_ex(text, len, dev->name, BIGIP_FETCH_CMD, &po, *pol, dp, err) < 0) {
		aclf_policy_free(*pol);
		*pol = NULL;
		return -1;
	}
	return 0;
}

int bigip_rollback(struct aclf_ssh *ssh, const struct aclf_device *dev, struct aclf_txn *txn,
		   struct aclf_err *err)
{
	struct aclf_buf cur = ACLF_BUF_INIT, plan = ACLF_BUF_INIT, cmd = ACLF_BUF_INIT;
	struct aclf_policy *opol = NULL, *cpol = NULL, *npol = NULL;
	struct aclf_devpol *old = NULL, *now = NULL, *after = NULL;
	struct aclf_ssh_result r;
	size_t ndiff = 0, hl = strlen(BIGIP_STATE_HDR), olen;
	const char *otext;
	int rc = -1;

	if (txn->state.len < hl || memcmp(txn->state.buf, BIGIP_STATE_HDR, hl) != 0)
		return 0; /* load read nothing, so it sent nothing */
	otext = txn->state.buf + hl;
	olen = txn->state.len - hl;
	aclf_ssh_result_init(&r);
	aclf_buf_init(&cur, 0);
	aclf_buf_init(&plan, 0);
	aclf_buf_init(&cmd, 0);
	if (fetch_to(ssh, dev, 0, &cur, err) < 0)
		goto out;
	if (cur.len == olen && !memcmp(cur.buf, otext, olen)) {
		rc = 0; /* the transaction never went in: the old state is there */
		goto out;
	}
	if (parse_text(dev, otext, olen, &opol, &old, err) < 0 ||
	    parse_text(dev, cur.buf, cur.len, &cpol, &now, err) < 0)
		goto out;
	if (bigip_plan(old, now, &plan, err) < 0 || txn_cmd(dev, plan.buf, plan.len, &cmd, err) < 0)
		goto out;
	if (run(ssh, dev, "submit cli transaction (rollback)", cmd.buf, 0, &r, err) < 0)
		goto out;
	/* verify: the old services are back, by meaning */
	aclf_buf_reset(&cur);
	if (fetch_to(ssh, dev, 0, &cur, err) < 0 || parse_text(dev, cur.buf, cur.len, &npol, &after, err) < 0 ||
	    aclf_diff_lb(old, after, NULL, &ndiff, err) < 0)
		goto out;
	if (ndiff) {
		aclf_err_remote(err, ACLF_E_DEVICE, dev->name, BIGIP_FETCH_CMD,
				"after the rollback transaction the device runs %zu load-balancer "
				"difference(s) from its old services", ndiff);
		goto out;
	}
	rc = 0;
out:
	aclf_policy_free(npol);
	aclf_policy_free(cpol);
	aclf_policy_free(opol);
	aclf_buf_release(&cmd);
	aclf_buf_release(&plan);
	aclf_buf_release(&cur);
	aclf_ssh_result_release(&r);
	return rc;
}
