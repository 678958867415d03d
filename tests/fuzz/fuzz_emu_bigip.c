/* libFuzzer target for the BIG-IP kind of the device emulator: the input is
 * lines a client types (a first byte switches between a root bash session
 * and an admin tmsh session, or runs an exec command). Nothing may crash or
 * leak; a `submit cli transaction` or command that tmsh refuses leaves the
 * configuration exactly as it was (all or nothing); and `list ltm` works on
 * whatever the device holds. The kind's sources are built into this target
 * (tests/emulators/). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../emulators/emu_bigip_lex.c"
#include "../emulators/emu_bigip_list.c"
#include "../emulators/emu_bigip_objects.c"
#include "../emulators/emu_bigip_refs.c"
#include "../emulators/emu_bigip_tmsh.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* a tmsh error line: NNNNNNNN:S: or Syntax Error */
static bool refused(const char *t)
{
	for (const char *l = t; l && *l;) {
		size_t hex = 0;

		while (hex < 8 && ((l[hex] >= '0' && l[hex] <= '9') || (l[hex] >= 'a' && l[hex] <= 'f')))
			hex++;
		if ((hex == 8 && l[8] == ':') || !strncmp(l, "Syntax Error:", 13))
			return true;
		l = strchr(l, '\n');
		if (l)
			l++;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct emu_kind_opts o = { size && (data[0] & 1), 0, "lb1" };
	const struct emu_kind *k = &emu_kind_bigip;
	void *dev = k->create(&o);
	void *sess[2];
	struct aclf_buf out = ACLF_BUF_INIT, err = ACLF_BUF_INIT, before = ACLF_BUF_INIT,
			after = ACLF_BUF_INIT;
	size_t cur = 1;
	char *text;

	if (!dev)
		return 0;
	sess[0] = k->open(dev, "root");
	sess[1] = k->open(dev, "admin");
	text = malloc(size + 1);
	aclf_buf_init(&out, 1u << 20);
	aclf_buf_init(&err, 1u << 20);
	aclf_buf_init(&before, 0);
	aclf_buf_init(&after, 0);
	if (!sess[0] || !sess[1] || !text)
		goto out;
	memcpy(text, data, size);
	text[size] = '\0';
	for (char *line = text, *next; line; line = next) {
		const char *q = NULL;
		bool changed = false;
		enum emu_next r;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		aclf_buf_reset(&out);
		aclf_buf_reset(&err);
		if (line[0] == '\x01') {
			cur ^= 1;
			continue;
		}
		aclf_buf_reset(&before);
		k->dump(dev, &before);
		if (line[0] == '\x03') {
			int st = k->exec(dev, cur ? "admin" : "root", line + 1, &out, &err, &changed);

			aclf_buf_reset(&after);
			k->dump(dev, &after);
			if (!changed && strcmp(before.buf, after.buf)) {
				fprintf(stderr, "exec changed the configuration without saying so\n");
				abort();
			}
			(void)st;
			continue;
		}
		r = k->line(dev, sess[cur], line, &out, &q);
		aclf_buf_reset(&after);
		k->dump(dev, &after);
		if (refused(out.buf) && strcmp(before.buf, after.buf)) {
			fprintf(stderr, "a refused command changed the configuration:\n%s\n%s\n----\n%s\n",
				line, before.buf, after.buf);
			abort();
		}
		if (r != EMU_CHANGED && strcmp(before.buf, after.buf)) {
			fprintf(stderr, "the configuration changed without EMU_CHANGED: %s\n", line);
			abort();
		}
		if (r == EMU_CLOSE) {
			k->close(dev, sess[cur]);
			sess[cur] = k->open(dev, cur ? "admin" : "root");
			if (!sess[cur])
				goto out;
		}
		k->prompt(dev, sess[cur], &out);
	}
	aclf_buf_reset(&out);
	if (emu_bigip_tmsh(sess[1], "list ltm", &out, &(bool){ false }, &(bool){ false }) < 0)
		goto out;
out:
	for (size_t i = 0; i < 2; i++)
		if (sess[i])
			k->close(dev, sess[i]);
	k->destroy(dev);
	free(text);
	aclf_buf_release(&out);
	aclf_buf_release(&err);
	aclf_buf_release(&before);
	aclf_buf_release(&after);
	return 0;
}
