/* Writing files into a directory one at a time (aclf_outdir_begin, _add,
 * _commit, _abort): each file is on disk in a temporary directory beside
 * DIR as soon as it is added, DIR changes only at commit, and abort (or a
 * failed add) leaves DIR and its parent as they were. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aclforge/err.h"
#include "aclforge/outdir.h"

static char top[64];

static int make_top(void **state)
{
	(void)state;
	snprintf(top, sizeof(top), "/tmp/aclf-outdir-XXXXXX");
	return mkdtemp(top) ? 0 : -1;
}

static int remove_top(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	return system(cmd) == 0 ? 0 : -1;
}

/* how many entries (besides . and ..) dir holds; -1 when it does not exist */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static char *slurp(const char *dir, const char *name)
{
	char p[1024];
	FILE *f;
	char *s = calloc(1, 256);

	assert_non_null(s);
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if (!(f = fopen(p, "r"))) {
		free(s);
		return NULL;
	}
	assert_true(fread(s, 1, 255, f) < 255);
	fclose(f);
	return s;
}

/* one file's text while the write is open: in the temporary directory, the
 * only entry beside DIR */
static void test_added_file_is_on_disk_before_commit(void **state)
{
	char dir[128], tmp[512];
	struct aclf_err err;
	struct aclf_outdir *o;
	DIR *d;
	struct dirent *e;
	char *s = NULL;

	(void)state;
	aclf_err_init(&err);
	snprintf(dir, sizeof(dir), "%s/new", top);
	o = aclf_outdir_begin(dir, &err);
	assert_non_null(o);
	assert_int_equal(aclf_outdir_add(o, "a.ios", "alpha\n", 6), 0);
	assert_int_equal(entries(top), 1); /* the temporary directory, not DIR */
	assert_int_equal(entries(dir), -1);
	d = opendir(top);
	assert_non_null(d);
	while ((e = readdir(d)))
		if (e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(tmp, sizeof(tmp), "%s/%s", top, e->d_name);
			s = slurp(tmp, "a.ios");
		}
	closedir(d);
	assert_non_null(s);
	assert_string_equal(s, "alpha\n");
	free(s);
	assert_int_equal(aclf_outdir_add(o, "b.nft", "beta\n", 5), 0);
	assert_int_equal(aclf_outdir_commit(o), 0);
	assert_int_equal(entries(top), 1);
	assert_int_equal(entries(dir), 2);
	s = slurp(dir, "b.nft");
	assert_string_equal(s, "beta\n");
	free(s);
	aclf_err_release(&err);
}

/* abort after some files: an existing DIR keeps its old text, nothing is
 * left beside it */
static void test_abort_leaves_dir(void **state)
{
	char dir[128], p[192];
	struct aclf_err err;
	struct aclf_outdir *o;
	FILE *f;
	char *s;

	(void)state;
	aclf_err_init(&err);
	snprintf(dir, sizeof(dir), "%s/old", top);
	assert_int_equal(mkdir(dir, 0777), 0);
	snprintf(p, sizeof(p), "%s/a.ios", dir);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs("old\n", f);
	fclose(f);
	o = aclf_outdir_begin(dir, &err);
	assert_non_null(o);
	assert_int_equal(aclf_outdir_add(o, "a.ios", "new\n", 4), 0);
	assert_int_equal(aclf_outdir_add(o, "c.junos", "more\n", 5), 0);
	/* the same name twice is refused, and the caller aborts */
	assert_int_equal(aclf_outdir_add(o, "a.ios", "again\n", 6), -1);
	assert_non_null(strstr(aclf_err_text(&err), "written twice"));
	aclf_outdir_abort(o);
	assert_int_equal(entries(top), 1);
	assert_int_equal(entries(dir), 1);
	s = slurp(dir, "a.ios");
	assert_string_equal(s, "old\n");
	free(s);
	aclf_err_release(&err);
}

/* names that are not file names, and a DIR that is a file */
static void test_refusals(void **state)
{
	char p[128];
	struct aclf_err err;
	struct aclf_outdir *o;
	FILE *f;

	(void)state;
	aclf_err_init(&err);
	snprintf(p, sizeof(p), "%s/file", top);
	f = fopen(p, "w");
	assert_non_null(f);
	fclose(f);
	assert_null(aclf_outdir_begin(p, &err));
	assert_non_null(strstr(aclf_err_text(&err), "is not a directory"));
	aclf_err_release(&err);
	aclf_err_init(&err);
	snprintf(p, sizeof(p), "%s/x", top);
	o = aclf_outdir_begin(p, &err);
	assert_non_null(o);
	assert_int_equal(aclf_outdir_add(o, "a/b", "", 0), -1);
	assert_int_equal(aclf_outdir_add(o, "..", "", 0), -1);
	aclf_outdir_abort(o);
	assert_int_equal(entries(p), -1);
	assert_int_equal(entries(top), 1); /* only "file" */
	aclf_outdir_abort(NULL);
	aclf_err_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_added_file_is_on_disk_before_commit, make_top,
						remove_top),
		cmocka_unit_test_setup_teardown(test_abort_leaves_dir, make_top, remove_top),
		cmocka_unit_test_setup_teardown(test_refusals, make_top, remove_top),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
