/* What libyaml accepts or reports that the loaders say better, for every
 * YAML file aclforge reads (catalog and topology): a parse error reworded
 * where libyaml's words mislead (tabs used for indentation, keys over
 * libyaml's 1024-character limit, control characters placed at their real
 * line:col), and strings holding a NUL character, which the C strings the
 * loaders keep would silently cut short. */
#include <stdio.h>
#include <string.h>

#include "aclforge/err.h"
#include "yaml_doc.h"

/* libyaml's limit for a simple (implicit) key, in characters */
#define YAML_SIMPLE_KEY_MAX 1024

static bool utf8_cont(unsigned char ch)
{
	return (ch & 0xc0) == 0x80;
}

/* Byte offset of a mark: libyaml counts lines and columns in characters. */
static size_t mark_offset(const char *data, size_t len, const yaml_mark_t *m)
{
	size_t off = 0, line = 0, col = 0;

	while (off < len && line < m->line)
		if (data[off++] == '\n')
			line++;
	while (off < len && col < m->column && data[off] != '\n') {
		off++;
		while (off < len && utf8_cont((unsigned char)data[off]))
			off++;
		col++;
	}
	return off;
}

/* 1-based line:col of a byte offset, columns in characters. */
static void offset_pos(const char *data, size_t len, size_t off, unsigned *line, unsigned *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off && i < len; i++) {
		if (data[i] == '\n') {
			++*line;
			*col = 1;
		} else if (!utf8_cont((unsigned char)data[i])) {
			++*col;
		}
	}
}

/* A key libyaml gave up on because it runs past 1024 characters: the mark
 * is on the ':' after it. Returns the key's start offset, or (size_t)-1. */
static size_t long_key_start(const char *data, size_t len, size_t colon)
{
	size_t start = colon, nchars = 0;

	if (colon >= len || data[colon] != ':')
		return (size_t)-1;
	/* back to the line's start, or to the flow indicator or the ": " before
	 * the key */
	while (start > 0 && data[start - 1] != '\n' && data[start - 1] != '{' && data[start - 1] != ',' &&
	       !(start > 1 && data[start - 1] == ' ' && data[start - 2] == ':'))
		start--;
	/* after "key: " stands a value, which cannot be a key on that line */
	if (start > 1 && data[start - 1] == ' ' && data[start - 2] == ':')
		return (size_t)-1;
	while (start < colon && (data[start] == ' ' || data[start] == '-'))
		start++;
	for (size_t i = start; i < colon; i++)
		nchars += !utf8_cont((unsigned char)data[i]);
	return nchars > YAML_SIMPLE_KEY_MAX ? start : (size_t)-1;
}

void aclf_ydoc_syntax_error(const yaml_parser_t *p, const char *data, size_t len, const char *file,
			    struct aclf_err *err)
{
	const char *problem = p->problem ? p->problem : "invalid YAML";
	unsigned line, col;
	size_t at, key;

	if (p->error == YAML_MEMORY_ERROR) {
		aclf_err_nomem(err);
		return;
	}
	if (p->error == YAML_READER_ERROR) {
		/* the reader knows a byte offset, not a mark */
		offset_pos(data, len, p->problem_offset, &line, &col);
		if (p->problem_value >= 0)
			aclf_err_at(err, file, line, col, "%s: found %s0x%02X", problem,
				    p->problem_value > 0xff ? "character " : "byte ",
				    (unsigned)p->problem_value);
		else
			aclf_err_at(err, file, line, col, "%s", problem);
		return;
	}
	line = (unsigned)p->problem_mark.line + 1;
	col = (unsigned)p->problem_mark.column + 1;
	at = mark_offset(data, len, &p->problem_mark);
	if (at < len && data[at] == '\t') {
		aclf_err_at(err, file, line, col, "tab character: YAML forbids tabs for indentation, "
						  "indent with spaces");
		return;
	}
	if ((key = long_key_start(data, len, at)) != (size_t)-1) {
		offset_pos(data, len, key, &line, &col);
		aclf_err_at(err, file, line, col, "key longer than %d characters: libyaml reads no "
						  "longer key (its limit for a simple key)",
			    YAML_SIMPLE_KEY_MAX);
		return;
	}
	aclf_err_at(err, file, line, col, "%s%s%s", problem, p->context ? " " : "",
		    p->context ? p->context : "");
}

/* Where a double-quoted scalar spells its NUL: \0, \x00, \u0000 or
 * \U00000000 between the scalar's marks. Returns the escape's offset or the
 * scalar's start. */
static size_t nul_escape(const char *data, size_t start, size_t end)
{
	static const struct {
		char letter;
		size_t zeros;
	} esc[] = { { '0', 0 }, { 'x', 2 }, { 'u', 4 }, { 'U', 8 } };

	for (size_t i = start; i + 1 < end; i++) {
		if (data[i] != '\\')
			continue;
		for (size_t k = 0; k < sizeof(esc) / sizeof(esc[0]); k++) {
			size_t z = 0;
			if (data[i + 1] != esc[k].letter)
				continue;
			while (z < esc[k].zeros && i + 2 + z < end && data[i + 2 + z] == '0')
				z++;
			if (z == esc[k].zeros)
				return i;
		}
		i++; /* the escaped character, e.g. the second of "\\" */
	}
	return start;
}

int aclf_ydoc_check_nul(struct aclf_ydoc *d, const char *data, size_t len, struct aclf_err *err)
{
	int rc = 0;

	for (yaml_node_t *n = d->doc.nodes.start; n < d->doc.nodes.top; n++) {
		size_t start, end;
		unsigned line, col;

		if (n->type != YAML_SCALAR_NODE ||
		    !memchr(n->data.scalar.value, '\0', n->data.scalar.length))
			continue;
		start = mark_offset(data, len, &n->start_mark);
		end = mark_offset(data, len, &n->end_mark);
		offset_pos(data, len, nul_escape(data, start, end), &line, &col);
		rc = aclf_err_at(err, d->file, line, col, "NUL character ('\\0') in a string: not "
							  "allowed, the value would end there");
	}
	return rc;
}
