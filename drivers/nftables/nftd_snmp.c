/* Counters of table inet aclforge over the host's own snmpd (README.md
 * here, "Counters over SNMP").
 *
 * snmpd runs as the unprivileged Debian-snmp, which cannot list nftables
 * counters, and never as root. So apply publishes, as root, before it
 * confirms (nftd_snmp_publish):
 *   /usr/local/lib/aclforge/nft-counters-write  a root loop (a systemd
 *       service where systemd runs, else a process in a session of its own)
 *       that writes /run/aclforge/nft-counters every 5 seconds (once at
 *       once): a header line with the time, then "COUNTER PACKETS BYTES"
 *       per named counter of the table, or one "error ..." line with nft's
 *       own words;
 *   /usr/local/lib/aclforge/nft-counters-read  what snmpd runs (as
 *       Debian-snmp) to answer: its own time, then that file;
 *   /etc/snmp/snmpd.conf.d/aclforge.conf  `extend aclforge-nft` running
 *       the reader (Debian's stock snmpd.conf includes that directory);
 * then tells snmpd to read its configuration again (SIGHUP to the pid in
 * /run/snmpd.pid, as Debian's unit starts it; else systemctl reload).
 *
 * The counters op reads NET-SNMP-EXTEND-MIB's nsExtendOutLine rows of
 * "aclforge-nft" and maps "<chain>.<id>" (render's counter of rule id in
 * the filter's chain, nftd_render.c) to the intended rules. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/counters.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/snmp.h"
#include "aclforge/ssh.h"
#include "aclforge/topology.h"
#include "nftables/nftd.h"

/* nsExtendOutLine."aclforge-nft" (1.3.6.1.4.1.8072.1.3.2.4.1.2, the
 * extend's name as a length-prefixed index, then the line number) */
#define NFTD_EXTEND_NAME "aclforge-nft"
#define NFTD_EXTEND_LINES "1.3.6.1.4.1.8072.1.3.2.4.1.2.12.97.99.108.102.111.114.103.101.45.110.102.116"
#define NFTD_COUNTERS_MAX_AGE 60 /* seconds: older means the writer stopped */

const char *const nftd_counter_walks[] = { NFTD_EXTEND_LINES, NULL };

/* Run as root through `sh -s` (the script on stdin). */
static const char publish_sh[] =
	"set -e\n"
	"L=/usr/local/lib/aclforge\n"
	"mkdir -p \"$L\" /run/aclforge /etc/snmp/snmpd.conf.d\n"
	"chmod 755 \"$L\" /run/aclforge\n"
	"cat >\"$L/nft-counters-write.new\" <<'EOF_W'\n"
	"#!/bin/sh\n"
	"# aclforge: the named counters of table inet aclforge for snmpd, every 5 s (root)\n"
	"out=/run/aclforge/nft-counters\n"
	"while :; do\n"
	"\tmkdir -p /run/aclforge\n"
	"\tif t=$(nft list counters table inet aclforge 2>&1); then\n"
	"\t\t{ echo \"aclforge-nft-counters written $(date +%s)\"\n"
	"\t\t  printf '%s\\n' \"$t\" | awk '$1 == \"counter\" { n = $2 } $1 == \"packets\" { print n, $2, $4 }'\n"
	"\t\t} >\"$out.new\"\n"
	"\telse\n"
	"\t\tprintf 'error nft list counters table inet aclforge: %s\\n' \"$(printf '%s' \"$t\" | tail -n 1)\" >\"$out.new\"\n"
	"\tfi\n"
	"\tchmod 644 \"$out.new\" && mv -f \"$out.new\" \"$out\"\n"
	"\t[ \"$1\" = once ] && exit 0\n"
	"\tsleep 5\n"
	"done\n"
	"EOF_W\n"
	"cat >\"$L/nft-counters-read.new\" <<'EOF_R'\n"
	"#!/bin/sh\n"
	"# aclforge: run by snmpd (extend aclforge-nft) to publish the counters the writer keeps\n"
	"f=/run/aclforge/nft-counters\n"
	"echo \"aclforge-nft-counters read $(date +%s)\"\n"
	"if [ -r \"$f\" ]; then cat \"$f\"; else echo \"error no $f: aclforge's counter writer is not running\"; fi\n"
	"EOF_R\n"
	"chmod 755 \"$L/nft-counters-write.new\" \"$L/nft-counters-read.new\"\n"
	"mv -f \"$L/nft-counters-write.new\" \"$L/nft-counters-write\"\n"
	"mv -f \"$L/nft-counters-read.new\" \"$L/nft-counters-read\"\n"
	"printf '# aclforge: the counters of nftables table inet aclforge (NET-SNMP-EXTEND-MIB nsExtendOutLine.\"aclforge-nft\")\\n"
	"extend aclforge-nft /bin/sh %s/nft-counters-read\\n' \"$L\" >/etc/snmp/snmpd.conf.d/aclforge.conf.new\n"
	"chmod 644 /etc/snmp/snmpd.conf.d/aclforge.conf.new\n"
	"mv -f /etc/snmp/snmpd.conf.d/aclforge.conf.new /etc/snmp/snmpd.conf.d/aclforge.conf\n"
	"sh \"$L/nft-counters-write\" once\n"
	"if [ -d /run/systemd/system ]; then\n"
	"\tprintf '[Unit]\\nDescription=aclforge: nftables counters for snmpd\\n[Service]\\n"
	"ExecStart=/bin/sh %s/nft-counters-write\\nRestart=always\\n[Install]\\nWantedBy=multi-user.target\\n' \"$L\" "
	">/etc/systemd/system/aclforge-nft-counters.service\n"
	"\tsystemctl daemon-reload\n"
	"\tsystemctl enable aclforge-nft-counters.service\n"
	"\tsystemctl restart aclforge-nft-counters.service\n"
	"else\n"
	"\tp=$(cat /run/aclforge/write.pid 2>/dev/null || :)\n"
	"\tif [ -n \"$p\" ] && tr '\\000' ' ' </proc/$p/cmdline 2>/dev/null | grep -qF \"$L/nft-counters-write\"; then\n"
	"\t\tkill \"$p\"\n"
	"\tfi\n"
	"\tsetsid sh \"$L/nft-counters-write\" </dev/null >/dev/null 2>&1 &\n"
	"\techo $! >/run/aclforge/write.pid\n"
	"fi\n"
	"if [ -s /run/snmpd.pid ] && kill -HUP \"$(cat /run/snmpd.pid)\" 2>/dev/null; then\n"
	"\techo snmpd reloaded\n"
	"elif [ -d /run/systemd/system ] && systemctl is-active --quiet snmpd; then\n"
	"\tsystemctl reload snmpd\n"
	"\techo snmpd reloaded\n"
	"else\n"
	"\techo 'no snmpd running (no /run/snmpd.pid, no active snmpd unit) to publish the counters' >&2\n"
	"\texit 1\n"
	"fi\n";

int nftd_snmp_publish(struct aclf_ssh *ssh, const struct aclf_device *dev, unsigned timeout_ms,
		      struct aclf_err *err)
{
	struct aclf_ssh_exec_opts xo = { .input = publish_sh, .input_len = sizeof(publish_sh) - 1,
					 .timeout_ms = timeout_ms };
	const char *label = "publish the counters to snmpd (snmpd.conf.d/aclforge.conf)";
	const char *cmd = dev->ssh.sudo ? "sudo -n sh -s" : "sh -s";
	struct aclf_ssh_result r;
	int rc = 0;

	aclf_ssh_result_init(&r);
	if (aclf_ssh_exec(ssh, cmd, &xo, &r, err) < 0) {
		rc = -1;
	} else if (r.status != 0) {
		const struct aclf_buf *b = r.err.len ? &r.err : &r.out;
		size_t len = b->len;

		while (len && (b->buf[len - 1] == '\n' || b->buf[len - 1] == '\r'))
			len--;
		rc = aclf_err_remote(err, ACLF_E_DEVICE, dev->name, label, "exit status %d: %.*s",
				     r.status, (int)len, len ? b->buf : "(no output)");
	}
	aclf_ssh_result_release(&r);
	return rc;
}

/* ---- reading back ---- */

struct line {
	const char *name;
	uint64_t packets, bytes;
};

static int bad(struct aclf_err *err, const struct aclf_device *dev, const char *what,
	       const char *text)
{
	return aclf_err_remote(err, ACLF_E_DEVICE, dev->name, "walk " NFTD_EXTEND_LINES, "%s: '%.80s'",
			       what, text);
}

static bool num(const char *s, char **end, uint64_t *v)
{
	if (*s < '0' || *s > '9')
		return false;
	*v = strtoull(s, end, 10);
	return true;
}

int nftd_counters_op(const struct aclf_snmp_vbs *vbs, const struct aclf_device *dev,
		     const struct aclf_devpol *intended, struct aclf_counters *out,
		     struct aclf_err *err)
{
	struct line *v = calloc(vbs->n ? vbs->n : 1, sizeof(*v));
	uint64_t read_at = 0, written_at = 0;
	bool have_read = false, have_written = false;
	size_t n = 0;
	struct aclf_buf name = ACLF_BUF_INIT;
	int rc = -1;

	aclf_buf_init(&name, 0);
	if (!v)
		return aclf_err_nomem(err);
	for (size_t k = 0; k < vbs->n; k++) {
		const struct aclf_snmp_vb *vb = &vbs->v[k];
		const char *s = (const char *)vb->str;
		char *end;

		if (vb->type != ACLF_SNMP_OCTETS) {
			bad(err, dev, "a line that is not a string", aclf_snmp_type_name(vb->type));
			goto out;
		}
		if (strlen(s) != vb->str_len) {
			bad(err, dev, "a line holding NUL", "");
			goto out;
		}
		if (!strncmp(s, "error ", 6)) {
			aclf_err_remote(err, ACLF_E_DEVICE, dev->name, "walk " NFTD_EXTEND_LINES, "%s",
					s + 6);
			goto out;
		}
		if (!strncmp(s, "aclforge-nft-counters read ", 27) && num(s + 27, &end, &read_at) && !*end) {
			have_read = true;
			continue;
		}
		if (!strncmp(s, "aclforge-nft-counters written ", 30) &&
		    num(s + 30, &end, &written_at) && !*end) {
			have_written = true;
			continue;
		}
		{
			const char *sp = strchr(s, ' ');

			if (!sp || sp == s || !num(sp + 1, &end, &v[n].packets) || *end != ' ' ||
			    !num(end + 1, &end, &v[n].bytes) || *end) {
				bad(err, dev, "not a line 'COUNTER PACKETS BYTES'", s);
				goto out;
			}
			v[n].name = aclf_arena_strndup(&out->arena, s, (size_t)(sp - s));
			if (!v[n].name) {
				aclf_err_nomem(err);
				goto out;
			}
			for (size_t k2 = 0; k2 < n; k2++)
				if (!strcmp(v[k2].name, v[n].name)) {
					bad(err, dev, "a counter listed twice", s);
					goto out;
				}
			n++;
		}
	}
	if (!have_read) {
		aclf_err_remote(err, ACLF_E_DEVICE, dev->name, "walk " NFTD_EXTEND_LINES,
				"no extend '" NFTD_EXTEND_NAME "' in the host's snmpd (apply publishes "
				"it: snmpd.conf.d/aclforge.conf)");
		goto out;
	}
	if (!have_written || (read_at > written_at && read_at - written_at > NFTD_COUNTERS_MAX_AGE)) {
		aclf_err_remote(err, ACLF_E_DEVICE, dev->name, "walk " NFTD_EXTEND_LINES,
				"the counters are %s (aclforge's counter writer on the host is not "
				"running)", have_written ? "stale" : "missing");
		goto out;
	}
	for (size_t i = 0; intended && i < intended->nfilters; i++) {
		const struct aclf_filter *f = &intended->filters[i];

		for (size_t j = 0; j < f->nrules; j++) {
			const struct aclf_rule *r = &f->rules[j];
			struct aclf_rule_cnt *rc_;
			char id[32];

			snprintf(id, sizeof(id), "r%04zu", j + 1);
			aclf_buf_reset(&name);
			if (nftd_ident(&name, f->name && *f->name ? f->name : "filter") < 0 ||
			    aclf_buf_putc(&name, NFTD_COUNTER_SEP) < 0 ||
			    nftd_ident(&name, r->id && *r->id ? r->id : id) < 0 ||
			    !(rc_ = aclf_counters_add_rule(out, f->name, r))) {
				aclf_err_nomem(err);
				goto out;
			}
			for (size_t k = 0; k < n; k++)
				if (!strcmp(v[k].name, name.buf) &&
				    aclf_rule_cnt_add(out, rc_, "table inet aclforge", v[k].name,
						      v[k].packets, v[k].bytes, true) < 0) {
					aclf_err_nomem(err);
					goto out;
				}
			if (!rc_->found && aclf_counters_note(out, "filter '%s' rule '%s': no counter "
							      "'%s' on the host", f->name, rc_->rule,
							      name.buf) < 0) {
				aclf_err_nomem(err);
				goto out;
			}
		}
	}
	rc = 0;
out:
	aclf_buf_release(&name);
	free(v);
	return rc;
}
