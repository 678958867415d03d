/* The core side of the driver interface: the registry's lookups and the ops
 * called through the core, which owns "nothing partial". */
#include <stdio.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "aclforge/topology.h"
#include "registry.h"

const struct aclf_driver *const *aclf_drivers(void)
{
	return aclf_driver_registry;
}

const struct aclf_driver *aclf_driver_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; aclf_driver_registry[i]; i++)
		if (strcmp(aclf_driver_registry[i]->name, name) == 0)
			return aclf_driver_registry[i];
	return NULL;
}

const char *aclf_driver_names(char *buf, size_t len, const char *last)
{
	size_t n = 0, used = 0;

	while (aclf_driver_registry[n])
		n++;
	if (len)
		buf[0] = '\0';
	for (size_t i = 0; i < n && used < len; i++) {
		const char *sep = i == 0 ? "" : i + 1 == n ? last : ", ";
		int w = snprintf(buf + used, len - used, "%s%s", sep, aclf_driver_registry[i]->name);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return buf;
}

const struct aclf_driver *aclf_driver_detect(const char *text, size_t len)
{
	const struct aclf_driver *best = NULL;
	int best_score = 49;

	for (size_t i = 0; aclf_driver_registry[i]; i++) {
		const struct aclf_driver *d = aclf_driver_registry[i];
		int s = d->sniff ? d->sniff(text, len) : 0;
		if (s > best_score) {
			best = d;
			best_score = s;
		}
	}
	return best;
}

void aclf_text_end(const char *text, size_t len, unsigned *line, unsigned *col)
{
	size_t end = len, start;

	if (end > 0 && text[end - 1] == '\n')
		end--;
	if (end > 0 && text[end - 1] == '\r')
		end--;
	*line = 1;
	for (size_t i = 0; i < end; i++)
		*line += text[i] == '\n';
	for (start = end; start > 0 && text[start - 1] != '\n'; start--)
		;
	*col = (unsigned)(end - start) + 1;
}

bool aclf_text_has_line(const char *text, size_t len, const char *const *starts)
{
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		while (i < end && (text[i] == ' ' || text[i] == '\t'))
			i++;
		for (size_t k = 0; starts[k]; k++) {
			size_t n = strlen(starts[k]);
			if (end - i >= n && !memcmp(text + i, starts[k], n))
				return true;
		}
		i = end + 1;
	}
	return false;
}

static bool blank(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!strchr(" \t\r\n", text[i]) || !text[i])
			return false;
	return true;
}

static int unsupported(const struct aclf_driver *drv, const char *op, struct aclf_err *err)
{
	return aclf_err_set(err, ACLF_E_INPUT, "driver '%s' cannot %s", drv ? drv->name : "?", op);
}

/* Text another driver is sure of, and this one less so, is that driver's:
 * refused before parsing, naming both (the other driver, or NULL). */
static const struct aclf_driver *foreign_text(const struct aclf_driver *drv, const char *text,
					      size_t len, int own)
{
	const struct aclf_driver *best = NULL;
	int best_score = own > 49 ? own : 49;

	for (size_t i = 0; aclf_driver_registry[i]; i++) {
		const struct aclf_driver *d = aclf_driver_registry[i];
		int s = d == drv || !d->sniff ? 0 : d->sniff(text, len);
		if (s > best_score) {
			best = d;
			best_score = s;
		}
	}
	return best;
}

int aclf_driver_parse(const struct aclf_driver *drv, const char *text, size_t len,
		      const struct aclf_parse_opts *opts, struct aclf_policy *pol,
		      struct aclf_devpol **out, struct aclf_err *err)
{
	static const struct aclf_parse_opts none;
	size_t ndev = pol->ndevices;
	struct aclf_devpol *dp = NULL;
	const struct aclf_driver *other;
	const char *label;
	int own;

	*out = NULL;
	if (!drv || !drv->ops->parse)
		return unsupported(drv, "parse", err);
	label = opts && opts->label ? opts->label : "<input>";
	own = drv->sniff && text ? drv->sniff(text, len) : 0;
	if (text && (other = foreign_text(drv, text, len, own)) != NULL)
		return aclf_err_at(err, label, 1, 1, "this is %s text (%s), not %s: expected %s",
				   other->name, other->reads, drv->name, drv->reads);
	if (drv->ops->parse(text, len, opts ? opts : &none, pol, &dp, err) < 0) {
		pol->ndevices = ndev; /* nothing partial stays visible */
		if (!err->count)
			aclf_err_set(err, ACLF_E_BUG, "driver '%s': parse failed without a reason", drv->name);
		return -1;
	}
	if (!dp || pol->ndevices != ndev + 1 || dp != &pol->devices[ndev]) {
		pol->ndevices = ndev;
		return aclf_err_set(err, ACLF_E_BUG, "driver '%s': parse did not add exactly one device",
				    drv->name);
	}
	/* nothing read from text the driver does not know as its own: that is
	 * no device without filters but the wrong text (or none at all) --
	 * unless the driver's own fetch read it and the device printed nothing */
	if (own <= 0 && dp->nfilters == 0 && dp->nlb == 0 && !(opts && opts->fetched && blank(text, len))) {
		pol->ndevices = ndev;
		return aclf_err_at(err, label, 1, 1, "%s, nothing %s reads: expected %s",
				   blank(text, len) ? "no text" : "no construct found", drv->name,
				   drv->reads);
	}
	*out = dp;
	return 0;
}

int aclf_driver_render(const struct aclf_driver *drv, const struct aclf_devpol *dp,
		       const struct aclf_device *dev, struct aclf_buf *out, struct aclf_err *err)
{
	size_t start = out->len;

	if (!drv || !drv->ops->render)
		return unsupported(drv, "render", err);
	if (drv->ops->render(dp, dev, out, err) < 0) {
		aclf_buf_truncate(out, start);
		if (!err->count)
			aclf_err_set(err, ACLF_E_BUG, "driver '%s': render failed without a reason", drv->name);
		return -1;
	}
	return 0;
}

int aclf_driver_plan(const struct aclf_driver *drv, const struct aclf_devpol *intended,
		     const struct aclf_devpol *live, const struct aclf_device *dev,
		     struct aclf_buf *out, struct aclf_err *err)
{
	size_t start = out->len;

	if (!drv || !drv->ops->plan)
		return unsupported(drv, "plan", err);
	if (!intended)
		return aclf_err_set(err, ACLF_E_BUG, "driver '%s': plan without an intended policy",
				    drv->name);
	/* a plan turns what this kind of device runs into the intended policy:
	 * text another driver read cannot be that */
	if (live && live->driver && strcmp(live->driver, drv->name) != 0)
		return aclf_err_set(err, ACLF_E_INPUT,
				    "device '%s': cannot plan for driver '%s' against a live "
				    "configuration read by driver '%s'",
				    intended->name ? intended->name : "?", drv->name, live->driver);
	if (drv->ops->plan(intended, live, dev, out, err) < 0) {
		aclf_buf_truncate(out, start);
		if (!err->count)
			aclf_err_set(err, ACLF_E_BUG, "driver '%s': plan failed without a reason", drv->name);
		return -1;
	}
	return 0;
}

int aclf_driver_script(const struct aclf_driver *drv, const struct aclf_buf *plan,
		       const char *running, const struct aclf_device *dev, struct aclf_buf *out,
		       struct aclf_err *err)
{
	size_t start = out->len;

	if (!drv || !drv->ops->script)
		return aclf_buf_add(out, plan->buf, plan->len) < 0 ? aclf_err_nomem(err) : 0;
	if (drv->ops->script(plan, running, dev, out, err) < 0) {
		aclf_buf_truncate(out, start);
		if (!err->count)
			aclf_err_set(err, ACLF_E_BUG, "driver '%s': script failed without a reason",
				     drv->name);
		return -1;
	}
	return 0;
}

const char *aclf_driver_check_name(const struct aclf_driver *drv, enum aclf_name_kind kind,
				   const char *name)
{
	return drv && drv->check_name ? drv->check_name(kind, name) : NULL;
}
