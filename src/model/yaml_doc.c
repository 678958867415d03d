#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aclforge/err.h"
#include "yaml_doc.h"

int aclf_ydoc_load(struct aclf_ydoc *d, const char *data, size_t len, const char *file,
		   struct aclf_err *err)
{
	yaml_parser_t p;
	int rc = 0;

	memset(d, 0, sizeof(*d));
	d->file = file;
	if (!yaml_parser_initialize(&p))
		return aclf_err_nomem(err);
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	if (!yaml_parser_load(&p, &d->doc)) {
		aclf_ydoc_syntax_error(&p, data, len, file, err);
		rc = -1;
	} else {
		d->loaded = true;
		if (!yaml_document_get_root_node(&d->doc))
			rc = aclf_err_at(err, file, 1, 1, "empty document: expected a mapping");
		else if (aclf_ydoc_check_nul(d, data, len, err) < 0 || aclf_ydoc_merge(d, err) < 0)
			rc = -1;
	}
	yaml_parser_delete(&p);
	return rc;
}

void aclf_ydoc_release(struct aclf_ydoc *d)
{
	if (d->loaded)
		yaml_document_delete(&d->doc);
	d->loaded = false;
}

yaml_node_t *aclf_ydoc_root(struct aclf_ydoc *d)
{
	return d->loaded ? yaml_document_get_root_node(&d->doc) : NULL;
}

yaml_node_t *aclf_ydoc_node(struct aclf_ydoc *d, int index)
{
	return yaml_document_get_node(&d->doc, index);
}

unsigned aclf_ynode_line(const yaml_node_t *n)
{
	return n ? (unsigned)n->start_mark.line + 1 : 0;
}

unsigned aclf_ynode_col(const yaml_node_t *n)
{
	return n ? (unsigned)n->start_mark.column + 1 : 0;
}

int aclf_yverr(struct aclf_ydoc *d, const yaml_node_t *n, struct aclf_err *err, const char *fmt,
	       va_list ap)
{
	return aclf_err_vat(err, d->file, aclf_ynode_line(n), aclf_ynode_col(n), fmt, ap);
}

int aclf_yerr(struct aclf_ydoc *d, const yaml_node_t *n, struct aclf_err *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	aclf_yverr(d, n, err, fmt, ap);
	va_end(ap);
	return -1;
}

const char *aclf_yscalar(const yaml_node_t *n)
{
	if (!n || n->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)n->data.scalar.value;
}

size_t aclf_ymap_len(const yaml_node_t *map)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return 0;
	return (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
}

yaml_node_t *aclf_ymap_key_at(struct aclf_ydoc *d, yaml_node_t *map, size_t i)
{
	return yaml_document_get_node(&d->doc, map->data.mapping.pairs.start[i].key);
}

yaml_node_t *aclf_ymap_value_at(struct aclf_ydoc *d, yaml_node_t *map, size_t i)
{
	return yaml_document_get_node(&d->doc, map->data.mapping.pairs.start[i].value);
}

size_t aclf_yseq_len(const yaml_node_t *seq)
{
	if (!seq || seq->type != YAML_SEQUENCE_NODE)
		return 0;
	return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

yaml_node_t *aclf_yseq_at(struct aclf_ydoc *d, yaml_node_t *seq, size_t i)
{
	return yaml_document_get_node(&d->doc, seq->data.sequence.items.start[i]);
}

yaml_node_t *aclf_ymap_get(struct aclf_ydoc *d, yaml_node_t *map, const char *key)
{
	size_t n = aclf_ymap_len(map);

	for (size_t i = 0; i < n; i++) {
		const char *k = aclf_yscalar(aclf_ymap_key_at(d, map, i));
		if (k && strcmp(k, key) == 0)
			return aclf_ymap_value_at(d, map, i);
	}
	return NULL;
}

int aclf_ymap_check_keys(struct aclf_ydoc *d, yaml_node_t *map, const char *const *allowed,
			 const char *what, struct aclf_err *err)
{
	size_t n = aclf_ymap_len(map);
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		yaml_node_t *kn = aclf_ymap_key_at(d, map, i);
		const char *k = aclf_yscalar(kn);
		bool ok = false;

		if (!k) {
			rc = aclf_yerr(d, kn, err, "%s: expected a plain key", what);
			continue;
		}
		for (size_t j = 0; allowed[j] && !ok; j++)
			ok = strcmp(allowed[j], k) == 0;
		if (!ok) {
			struct aclf_buf b = ACLF_BUF_INIT;
			aclf_buf_init(&b, 0);
			for (size_t j = 0; allowed[j]; j++)
				aclf_buf_printf(&b, "%s%s", j ? ", " : "", allowed[j]);
			rc = aclf_yerr(d, kn, err, "%s: unknown key '%s', expected one of: %s", what, k, b.buf);
			aclf_buf_release(&b);
			continue;
		}
		for (size_t j = 0; j < i; j++) {
			const char *o = aclf_yscalar(aclf_ymap_key_at(d, map, j));
			if (o && strcmp(o, k) == 0) {
				rc = aclf_yerr(d, kn, err, "%s: duplicate key '%s' (first at line %u)", what, k,
					       aclf_ynode_line(aclf_ymap_key_at(d, map, j)));
				break;
			}
		}
	}
	return rc;
}

static const char *type_name(yaml_node_type_t t)
{
	switch (t) {
	case YAML_SCALAR_NODE:
		return "a scalar";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	case YAML_NO_NODE:
		return "nothing";
	}
	return "?";
}

int aclf_yexpect(struct aclf_ydoc *d, yaml_node_t *n, yaml_node_type_t type, const char *what,
		 struct aclf_err *err)
{
	if (!n)
		return aclf_err_at(err, d->file, 0, 0, "%s: missing, expected %s", what, type_name(type));
	if (n->type != type)
		return aclf_yerr(d, n, err, "%s: expected %s, found %s", what, type_name(type),
				 type_name(n->type));
	return 0;
}

int aclf_ystr(struct aclf_ydoc *d, yaml_node_t *n, const char *what, const char **out,
	      struct aclf_err *err)
{
	if (aclf_yexpect(d, n, YAML_SCALAR_NODE, what, err) < 0)
		return -1;
	*out = aclf_yscalar(n);
	return 0;
}

int aclf_yuint(struct aclf_ydoc *d, yaml_node_t *n, unsigned long min, unsigned long max,
	       const char *what, unsigned long *out, struct aclf_err *err)
{
	const char *s;
	char *end;
	unsigned long v;

	if (aclf_ystr(d, n, what, &s, err) < 0)
		return -1;
	if (*s < '0' || *s > '9')
		return aclf_yerr(d, n, err, "%s: expected a number from %lu to %lu, found '%s'", what, min,
				 max, s);
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return aclf_yerr(d, n, err, "%s: expected a number from %lu to %lu, found '%s'", what, min,
				 max, s);
	*out = v;
	return 0;
}

int aclf_ybool(struct aclf_ydoc *d, yaml_node_t *n, const char *what, bool *out,
	       struct aclf_err *err)
{
	const char *s;

	if (aclf_ystr(d, n, what, &s, err) < 0)
		return -1;
	if (!strcasecmp(s, "true") || !strcasecmp(s, "yes") || !strcasecmp(s, "on"))
		*out = true;
	else if (!strcasecmp(s, "false") || !strcasecmp(s, "no") || !strcasecmp(s, "off"))
		*out = false;
	else
		return aclf_yerr(d, n, err, "%s: expected true or false, found '%s'", what, s);
	return 0;
}
