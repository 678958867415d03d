/* libFuzzer target for the Junos kind of the device emulator: the input is
 * lines a client types (and, by a first byte, switches between two
 * sessions, timer ticks and exec commands). Nothing may crash or leak; and
 * whatever the device runs, its curly `show configuration` loaded with
 * `load override` gives back the same configuration, and `show | compare`
 * of a configuration with itself is empty. The kind's sources are built
 * into this target (tests/emulators/). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../emulators/emu_junos_cli.c"
#include "../emulators/emu_junos_commit.c"
#include "../emulators/emu_junos_load.c"
#include "../emulators/emu_junos_packet.c"
#include "../emulators/emu_junos_pipe.c"
#include "../emulators/emu_junos_stmt.c"
#include "../emulators/emu_junos_tree.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_curly(struct junos_dev *d)
{
	struct aclf_buf text = ACLF_BUF_INIT, cmp = ACLF_BUF_INIT, out = ACLF_BUF_INIT;
	struct curly c = { 0 };
	struct jt_node *back = jt_new(NULL);
	unsigned el = 0, ec = 0;

	aclf_buf_init(&text, 0);
	aclf_buf_init(&cmp, 0);
	aclf_buf_init(&out, 0);
	if (!back || jt_curly(d->running, 0, NULL, 0, &text) < 0)
		goto out;
	if (curly_lex(text.buf, text.len, &c, &el, &ec) != 0) {
		fprintf(stderr, "curly text does not lex at %u:%u:\n%s\n", el, ec, text.buf);
		abort();
	}
	if (curly_apply(back, &c, false, &out) != 0 || !jt_equal(back, d->running)) {
		fprintf(stderr, "curly text does not load back:\n%s\n%s\n", text.buf, out.buf);
		abort();
	}
	if (jt_compare(d->running, d->running, &cmp) < 0 || cmp.len) {
		fprintf(stderr, "compare with itself is not empty:\n%s\n", cmp.buf);
		abort();
	}
out:
	curly_release(&c);
	jt_free(back);
	aclf_buf_release(&text);
	aclf_buf_release(&cmp);
	aclf_buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct emu_kind_opts o = { size && (data[0] & 1), 10, "fw1" };
	const struct emu_kind *k = &emu_kind_junos;
	void *dev = k->create(&o);
	void *sess[2];
	struct aclf_buf out = ACLF_BUF_INIT, err = ACLF_BUF_INIT;
	unsigned long long now = 0;
	size_t cur = 0;
	char *text;

	if (!dev)
		return 0;
	sess[0] = k->open(dev, "netops");
	sess[1] = k->open(dev, "other");
	text = malloc(size + 1);
	aclf_buf_init(&out, 1u << 20);
	aclf_buf_init(&err, 1u << 20);
	if (!sess[0] || !sess[1] || !text)
		goto out;
	memcpy(text, data, size);
	text[size] = '\0';
	for (char *line = text, *next; line; line = next) {
		const char *q = NULL;
		bool changed;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		aclf_buf_reset(&out);
		aclf_buf_reset(&err);
		switch (line[0]) {
		case '\x01':
			cur ^= 1;
			continue;
		case '\x02':
			now += (unsigned char)line[1] * 5ULL;
			k->tick(dev, now);
			continue;
		case '\x03':
			k->exec(dev, "netops", line + 1, &out, &err, &changed);
			continue;
		case '\x05':
			k->control(dev, line + 1, &out);
			continue;
		default:
			break;
		}
		if (k->line(dev, sess[cur], line, &out, &q) == EMU_CLOSE) {
			k->close(dev, sess[cur]);
			sess[cur] = k->open(dev, "netops");
			if (!sess[cur])
				goto out;
		}
		k->prompt(dev, sess[cur], &out);
	}
	aclf_buf_reset(&out);
	k->dump(dev, &out);
	check_curly(dev);
out:
	for (size_t i = 0; i < 2; i++)
		if (sess[i])
			k->close(dev, sess[i]);
	k->destroy(dev);
	free(text);
	aclf_buf_release(&out);
	aclf_buf_release(&err);
	return 0;
}
