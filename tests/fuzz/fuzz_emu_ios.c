/* libFuzzer target for the emulated IOS device's line handler
 * (tests/emulators/emu_ios*.c), which reads whatever an SSH client types.
 * The input is lines: each goes to the kind's line op in turn, except
 * lines starting with "#ctl " (the rest goes to the control op, as
 * `emu-control` does) and "#exec " (the exec op). After every line the
 * prompt is one line of printable text, and the running configuration
 * always ends in "end"; ASan and UBSan watch the rest. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "emu_kinds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_prompt(const struct emu_kind *k, void *dev, void *sess)
{
	struct aclf_buf p = ACLF_BUF_INIT;

	aclf_buf_init(&p, 0);
	k->prompt(dev, sess, &p);
	if (!p.len)
		abort();
	for (size_t i = 0; i < p.len; i++)
		if ((unsigned char)p.buf[i] < 0x20)
			abort();
	aclf_buf_release(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct emu_kind *k = emu_kind_find("ios");
	struct emu_kind_opts o = { .hostname = "sw1" };
	struct aclf_buf out = ACLF_BUF_INIT, err = ACLF_BUF_INIT;
	char *text = malloc(size + 1), *line, *save = NULL;
	void *dev, *sess;

	if (!k || !text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	dev = k->create(&o);
	sess = dev ? k->open(dev, size && data[0] == 'u' ? "ro" : "admin") : NULL;
	if (!dev || !sess)
		abort();
	aclf_buf_init(&out, 1 << 20);
	aclf_buf_init(&err, 1 << 20);
	for (line = strtok_r(text, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save)) {
		const char *q = NULL;
		bool changed;

		aclf_buf_reset(&out);
		aclf_buf_reset(&err);
		if (!strncmp(line, "#ctl ", 5)) {
			k->control(dev, line + 5, &out);
		} else if (!strncmp(line, "#exec ", 6)) {
			k->exec(dev, "admin", line + 6, &out, &err, &changed);
		} else if (!strncmp(line, "#rej ", 5)) {
			k->reject(dev, sess, line + 5, &out);
		} else if (k->line(dev, sess, line, &out, &q) == EMU_CLOSE) {
			k->close(dev, sess);
			sess = k->open(dev, "admin");
			if (!sess)
				abort();
		}
		check_prompt(k, dev, sess);
		if (k->secret)
			(void)k->secret(dev, sess);
	}
	aclf_buf_reset(&out);
	k->dump(dev, &out);
	if (out.len < 4 || strcmp(out.buf + out.len - 4, "end\n") != 0)
		abort();
	k->close(dev, sess);
	k->destroy(dev);
	aclf_buf_release(&out);
	aclf_buf_release(&err);
	free(text);
	return 0;
}
