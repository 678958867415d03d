/* The audit as one self-contained HTML page (src/report/): the port matrix
 * (sender classes against receiver roles and ports, each cell coloured by
 * the state of the rules behind it on the devices enforcing it), then per
 * device the drift list with example packets, the counters, the rules not
 * in place or without hits and the extra entries, and per catalog row its
 * seed row, document and rules. Inline CSS only: no script, no font, no
 * address outside the page. */
#ifndef ACLFORGE_REPORT_H
#define ACLFORGE_REPORT_H

struct aclf_buf;
struct aclf_err;
struct aclf_topology;
struct aclf_catalog;
struct aclf_policy;
struct json_t; /* jansson's json_t */

/* Write the page for report (the document `aclforge audit --format json`
 * prints: "devices" with each device's "outcome", "note", "error", "diff",
 * and where present "counters", "rules", "extra"; "audited_at") about the
 * policy compiled from topo and cat. Fields the report lacks are shown as
 * absent (a device without per-rule verdicts: its rules are in place unless
 * its drift list names them; without counters: no hits unknown). Every
 * string of the report, the topology and the catalog is escaped. Returns 0,
 * or -1 with err set (ACLF_E_INPUT: report is not such a document;
 * ACLF_E_NOMEM). */
int aclf_audit_html(struct aclf_buf *out, const struct aclf_topology *topo,
		    const struct aclf_catalog *cat, const struct aclf_policy *pol,
		    const struct json_t *report, struct aclf_err *err);

#endif
