/* audit --html FILE: the run's report as one HTML page (src/report/),
 * written beside FILE and renamed over it, so FILE is either the old page
 * or the whole new one. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "aclforge/fleet.h"
#include "aclforge/report.h"
#include "cli.h"
#include "cmd_fleet.h"

int cli_html_check(const char *path)
{
	char *copy = strdup(path);
	struct stat st;
	int rc = 0;

	if (!copy)
		return cli_usage_error("audit", "out of memory");
	if (!*path || (stat(path, &st) == 0 && S_ISDIR(st.st_mode)))
		rc = cli_usage_error("audit", "--html '%s': expected a file name", path);
	else if (stat(dirname(copy), &st) != 0 || !S_ISDIR(st.st_mode))
		rc = cli_usage_error("audit", "--html '%s': its directory does not exist", path);
	free(copy);
	return rc;
}

void cli_utc_now(char *out, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, len, "%s", "");
}

static int write_atomic(const char *path, const struct aclf_buf *b, struct aclf_err *err)
{
	struct aclf_buf tmp = ACLF_BUF_INIT;
	ssize_t n = 0;
	size_t off = 0;
	int fd = -1, rc = -1;

	aclf_buf_init(&tmp, 0);
	if (aclf_buf_printf(&tmp, "%s.tmpXXXXXX", path) < 0) {
		aclf_err_nomem(err);
		goto out;
	}
	if ((fd = mkstemp(tmp.buf)) < 0) {
		aclf_err_set(err, ACLF_E_INPUT, "cannot write '%s': %s", path, strerror(errno));
		goto out;
	}
	while (off < b->len && (n = write(fd, b->buf + off, b->len - off)) > 0)
		off += (size_t)n;
	if (off < b->len || fchmod(fd, 0644) != 0 || fsync(fd) != 0) {
		aclf_err_set(err, ACLF_E_INPUT, "cannot write '%s': %s", tmp.buf, strerror(errno));
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		aclf_err_set(err, ACLF_E_INPUT, "cannot write '%s': %s", tmp.buf, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp.buf, path) != 0) {
		aclf_err_set(err, ACLF_E_INPUT, "cannot rename '%s' to '%s': %s", tmp.buf, path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (rc < 0 && tmp.len)
		unlink(tmp.buf);
	aclf_buf_release(&tmp);
	return rc;
}

int cli_audit_html(const char *path, const char *audited_at, const struct aclf_topology *topo,
		   const struct aclf_catalog *cat, const struct aclf_policy *pol,
		   const struct aclf_fleet *fl)
{
	struct aclf_buf js = ACLF_BUF_INIT, page = ACLF_BUF_INIT;
	struct aclf_fleet view = *fl;
	json_t *report = NULL;
	struct aclf_err err;
	int rc = CLI_OK;

	aclf_err_init(&err);
	aclf_buf_init(&js, 0);
	aclf_buf_init(&page, 0);
	/* the page is made from the document --format json prints: the
	 * devices as they are, each with its diff report as JSON */
	view.devs = calloc(fl->n ? fl->n : 1, sizeof(*view.devs));
	for (size_t i = 0; view.devs && i < fl->n; i++) {
		view.devs[i] = fl->devs[i];
		view.devs[i].diff = fl->devs[i].diff_json;
	}
	if (!view.devs || aclf_fleet_print_json(&view, &js) < 0 ||
	    !(report = json_loadb(js.buf, js.len, 0, NULL))) {
		aclf_err_nomem(&err);
		rc = cli_fail(&err);
		goto out;
	}
	if (!json_object_get(report, "audited_at") && *audited_at)
		json_object_set_new(report, "audited_at", json_string(audited_at));
	if (aclf_audit_html(&page, topo, cat, pol, report, &err) < 0 || write_atomic(path, &page, &err) < 0)
		rc = cli_fail(&err);
out:
	json_decref(report);
	free(view.devs);
	aclf_buf_release(&js);
	aclf_buf_release(&page);
	aclf_err_release(&err);
	return rc;
}
