/* libFuzzer target for the Junos driver: the parse entry point (format
 * detected, counters after the configuration), the set and curly parsers
 * forced, and the `show firewall` counter parser. Whatever parses is
 * rendered; whatever renders must parse back and render to the same text. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "drivers.h"
#include "junos/junos.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_render(const struct aclf_devpol *dp)
{
	struct aclf_buf a = ACLF_BUF_INIT, b = ACLF_BUF_INIT;
	struct aclf_err err;
	struct aclf_policy *pol;
	struct aclf_devpol *back = NULL;

	aclf_buf_init(&a, 0);
	aclf_buf_init(&b, 0);
	aclf_err_init(&err);
	/* refused (the device text said something render will not write), or
	 * nothing to say (no filters; empty text does not parse): done */
	if (junos_render(dp, &a, &err) < 0 || a.len == 0)
		goto out;
	pol = aclf_policy_new();
	if (!pol)
		goto out;
	if (junos_parse_text(a.buf, a.len, "again", "again.txt", false, JUNOS_FMT_SET, pol, &back, NULL, &err) < 0) {
		fprintf(stderr, "rendered text does not parse: %s\n%s\n", aclf_err_text(&err), a.buf);
		abort();
	}
	if (junos_render(back, &b, &err) < 0 || strcmp(a.buf, b.buf)) {
		fprintf(stderr, "render(parse(render)) differs: %s\n%s\n----\n%s\n",
			err.count ? aclf_err_text(&err) : "", a.buf, b.buf);
		abort();
	}
	aclf_policy_free(pol);
out:
	aclf_buf_release(&a);
	aclf_buf_release(&b);
	aclf_err_release(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum junos_format fmts[] = { JUNOS_FMT_AUTO, JUNOS_FMT_SET, JUNOS_FMT_CURLY };
	const char *text = (const char *)data;
	struct junos_counters c;
	struct aclf_err err;

	if (size > 65536)
		return 0;
	for (size_t k = 0; k < sizeof(fmts) / sizeof(fmts[0]); k++) {
		struct aclf_policy *pol = aclf_policy_new();
		struct aclf_devpol *dp = NULL;
		struct aclf_buf report = ACLF_BUF_INIT;
		if (!pol)
			return 0;
		aclf_err_init(&err);
		aclf_buf_init(&report, 0);
		/* the driver's own format detection goes through the core, which
		 * owns rollback; the forced formats call the driver directly */
		int rc = fmts[k] == JUNOS_FMT_AUTO
				 ? aclf_driver_parse(&aclf_driver_junos, text, size,
						     &(struct aclf_parse_opts){ .name = "fuzz", .notes = &report },
						     pol, &dp, &err)
				 : junos_parse_text(text, size, "fuzz", "fuzz.txt", false, fmts[k], pol, &dp, &report, &err);
		if (rc == 0)
			check_render(dp);
		else if (fmts[k] == JUNOS_FMT_AUTO && pol->ndevices != 0)
			abort(); /* a failed parse leaves nothing behind */
		aclf_buf_release(&report);
		aclf_err_release(&err);
		aclf_policy_free(pol);
	}
	junos_counters_init(&c);
	aclf_err_init(&err);
	if (junos_counters_parse(text, size, "fuzz", &c, &err) == 0 && c.n) {
		/* attach to a small policy by convention */
		struct aclf_policy *pol = aclf_policy_new();
		static const char cfg[] = "set firewall family inet filter F term a then count a\n"
					  "set firewall family inet filter F term b from protocol tcp\n";
		struct aclf_devpol *dp = NULL;
		struct aclf_buf report = ACLF_BUF_INIT;
		aclf_buf_init(&report, 0);
		if (pol && junos_parse_text(cfg, sizeof(cfg) - 1, "cfg", "cfg.txt", false, JUNOS_FMT_SET, pol, &dp, NULL, &err) == 0)
			junos_counters_attach(dp, &c, NULL, &report, NULL, &err);
		aclf_buf_release(&report);
		aclf_policy_free(pol);
	}
	aclf_err_release(&err);
	junos_counters_release(&c);
	return 0;
}
