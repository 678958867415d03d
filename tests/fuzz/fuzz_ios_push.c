/* libFuzzer target for what IOS apply reads from a device (ios_push.c):
 * the refusal grammar on a reply, and the split of a plan against a running
 * configuration. Input: running configuration, a NUL byte, plan text (no
 * NUL: the same text as both). Checks: every list or group rollback
 * defines again (N) is a block of the running configuration and a removal
 * the load sends; every load line is one line of the plan or a removal. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ios/ios_push.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool has_text_line(const char *text, const char *line, size_t n)
{
	for (const char *p = text; p && *p;) {
		const char *e = strchr(p, '\n');
		size_t m = e ? (size_t)(e - p) : strlen(p);
		if (m == n && !strncmp(p, line, n))
			return true;
		p = e ? e + 1 : NULL;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aclf_buf run = ACLF_BUF_INIT, plan = ACLF_BUF_INIT, load = ACLF_BUF_INIT,
			state = ACLF_BUF_INIT, w = ACLF_BUF_INIT;
	const uint8_t *nul = memchr(data, 0, size);
	size_t rlen = nul ? (size_t)(nul - data) : size;

	aclf_buf_init(&run, 0);
	aclf_buf_init(&plan, 0);
	aclf_buf_init(&load, 0);
	aclf_buf_init(&state, 0);
	aclf_buf_init(&w, 0);
	aclf_buf_add(&run, data, rlen);
	if (nul)
		aclf_buf_add(&plan, nul + 1, size - rlen - 1);
	else
		aclf_buf_add(&plan, data, size);
	/* the texts as the shell gives them: no NUL inside */
	aclf_buf_truncate(&run, strlen(run.buf));
	aclf_buf_truncate(&plan, strlen(plan.buf));
	if (refusal(run.buf, &w) && w.len == 0)
		abort();
	if (split(&plan, run.buf, &load, &state) == 0) {
		for (const char *p = state.buf; *p;) {
			const char *e = strchr(p, '\n');
			size_t n = (size_t)(e - p);
			char no[1100];
			if (!e)
				abort();
			if (p[0] == 'N') {
				if (n - 2 > 1000 || !has_text_line(run.buf, p + 2, n - 2))
					abort();
				snprintf(no, sizeof(no), "no %.*s", (int)(n - 2), p + 2);
				if (!has_text_line(load.buf, no, strlen(no)))
					abort();
			}
			p = e + 1;
		}
		for (const char *p = load.buf; *p;) {
			const char *e = strchr(p, '\n');
			size_t n = (size_t)(e - p);
			if (!e)
				abort();
			if (n < 1023 && strncmp(p, "no ", 3) && !has_text_line(plan.buf, p, n))
				abort();
			p = e + 1;
		}
	}
	aclf_buf_release(&run);
	aclf_buf_release(&plan);
	aclf_buf_release(&load);
	aclf_buf_release(&state);
	aclf_buf_release(&w);
	return 0;
}
