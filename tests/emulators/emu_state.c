/* --state-dir: each device's running configuration in DIR/PORT.cfg,
 * rewritten after every change through a temporary file and rename(2), so
 * that a reader never sees half a file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emu_server.h"

int emu_state_write(const struct emu_kind *kind, struct emu_device *dev)
{
	struct aclf_buf b = ACLF_BUF_INIT, tmp = ACLF_BUF_INIT;
	int fd = -1, rc = -1;
	size_t off = 0;

	if (!dev->state_path)
		return 0;
	aclf_buf_init(&b, 0);
	aclf_buf_init(&tmp, 0);
	kind->dump(dev->state, &b);
	if (aclf_buf_printf(&tmp, "%s.tmp", dev->state_path) < 0)
		goto out;
	fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		goto out;
	while (off < b.len) {
		ssize_t w = write(fd, b.buf + off, b.len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto out;
		off += (size_t)w;
	}
	if (close(fd) < 0) {
		fd = -1;
		goto out;
	}
	fd = -1;
	if (rename(tmp.buf, dev->state_path) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		fprintf(stderr, "aclforge-emu: cannot write '%s': %s\n", dev->state_path,
			strerror(errno));
	if (fd >= 0)
		close(fd);
	aclf_buf_release(&b);
	aclf_buf_release(&tmp);
	return rc;
}
