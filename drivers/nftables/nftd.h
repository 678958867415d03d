/* Linux nftables driver internals. The conventions shared by render and parse
 * (table name, object names, limits) live here and in nftd_names.c; the
 * decisions behind them are written down in drivers/nftables/README.md.
 * Prefix nftd_: libnftables owns nft_. */
#ifndef ACLF_NFTD_H
#define ACLF_NFTD_H

#include <stdbool.h>
#include <stddef.h>

struct aclf_buf;
struct aclf_devpol;
struct aclf_err;
struct aclf_policy;

/* The one table aclforge owns on a host; nothing is rendered outside it. */
#define NFTD_FAMILY "inet"
#define NFTD_TABLE "aclforge"

/* Base chains that dispatch interface-bound filters (iifname/oifname jump). */
#define NFTD_IFACE_IN "iface_in"
#define NFTD_IFACE_OUT "iface_out"

/* Kernel limits: NFT_*_MAXNAMELEN is 256 with the NUL; nft caps comments at
 * 128 bytes; interface names are IFNAMSIZ - 1. */
#define NFTD_NAME_MAX 255
#define NFTD_COMMENT_MAX 128
#define NFTD_IFNAME_MAX 15

/* Render the device's filters as one `nft -f` file (see README.md).
 * Returns 0, or -1 with err set when the policy cannot be expressed. */
int nftd_render(const struct aclf_devpol *dp, struct aclf_buf *out, struct aclf_err *err);

/* The plan op: the render text, whatever live holds (nftables_plan.c,
 * README.md "Plan"). 0, or -1 with err set. */
int nftd_plan(const struct aclf_devpol *intended, const struct aclf_devpol *live,
	      struct aclf_buf *out, struct aclf_err *err);

/* Parse `nft -j list ruleset` (or `list table inet aclforge`) output, or
 * the text form (`nft [-a] list ruleset`, the file render writes): JSON
 * when the text starts with '[' or '{'. Returns 0 with *out added to pol,
 * or -1 with err set (called through aclf_driver_parse(), which withdraws
 * a device added before the failure). */
struct aclf_parse_opts;
int nftd_parse(const char *text, size_t len, const struct aclf_parse_opts *opts,
	       struct aclf_policy *pol, struct aclf_devpol **out, struct aclf_err *err);

/* true when s is a bare word the nft parser reads as a keyword (nft 1.0.6's
 * unconditional keywords plus those added since), so it cannot name a chain. */
bool nftd_is_keyword(const char *s);

/* Append s to out as an nft identifier: [A-Za-z_][A-Za-z0-9_.-]*; other
 * characters become '_' and a leading digit, '.' or '-' gets a '_' in front.
 * Returns 0, -1 when out of memory. */
int nftd_ident(struct aclf_buf *out, const char *s);

/* Object names. A group's IPv4 members live in set "<group>_v4", its IPv6
 * members in "<group>_v6". The counter of rule <id> in chain <chain> is
 * "<chain>.<id>". The '_' and '.' keep both clear of every nft keyword. */
#define NFTD_SET_V4_SUFFIX "_v4"
#define NFTD_SET_V6_SUFFIX "_v6"
#define NFTD_COUNTER_SEP '.'

/* nftd_push.c: fetch and the phases of a safe apply (driver.h). */
struct aclf_ssh;
struct aclf_device;
struct aclf_apply_opts;
struct aclf_txn;
int nftd_fetch(struct aclf_ssh *ssh, const struct aclf_device *dev, struct aclf_buf *running,
	       struct aclf_err *err);
int nftd_load(struct aclf_ssh *ssh, const struct aclf_device *dev, const struct aclf_buf *plan,
	      const struct aclf_apply_opts *opts, struct aclf_txn *txn, struct aclf_err *err);
int nftd_confirm(struct aclf_ssh *ssh, const struct aclf_device *dev, struct aclf_txn *txn,
		 struct aclf_err *err);
int nftd_rollback(struct aclf_ssh *ssh, const struct aclf_device *dev, struct aclf_txn *txn,
		  struct aclf_err *err);

/* nftd_snmp.c: what snmpd needs to publish the counters (run as root by
 * confirm, before it disarms, when the device has snmp settings), and the
 * counters op reading them back (driver.h). */
struct aclf_snmp_vbs;
struct aclf_counters;
struct aclf_devpol;
extern const char *const nftd_counter_walks[];
int nftd_snmp_publish(struct aclf_ssh *ssh, const struct aclf_device *dev, unsigned timeout_ms,
		      struct aclf_err *err);
int nftd_counters_op(const struct aclf_snmp_vbs *vbs, const struct aclf_device *dev,
		     const struct aclf_devpol *intended, struct aclf_counters *out,
		     struct aclf_err *err);

#endif
