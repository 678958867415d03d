/* Plan: one tmsh transaction body that replaces every aclforge-owned object
 * (named "aclf_...") the live device has by the intended ones.
 *
 *   delete ltm virtual ...      every owned object live services use, in
 *   delete ltm pool ...         dependency order (bigip_render_delete with
 *   delete ltm node ...         all_owned: create fails on an object that
 *   delete ltm monitor ...      exists, so even an unchanged object is
 *   delete ltm persistence ...  deleted and created again inside the one
 *   delete ltm profile ...      transaction)
 *   create ltm ...              the render text
 *
 * The apply step wraps it in `create cli transaction` ... `submit cli
 * transaction` and adds `save sys config`. Objects whose names do not start
 * with "aclf_" are never named. A live owned object that a virtual which is
 * not aclforge's uses cannot be replaced (deleting it would fail the
 * transaction, or take the object from under that virtual): an error. */
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "bigip/bigip.h"
#include "bigip_int.h"

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* "ltm <type> [subtype] /Folder/name": the name's start */
static bool owned_ref(const char *ref)
{
	const char *sp = strrchr(ref, ' ');

	return sp && strncmp(base_name(sp + 1), BIGIP_PREFIX, strlen(BIGIP_PREFIX)) == 0;
}

static int check_shared(const struct aclf_devpol *live, const char *dev, struct aclf_err *err)
{
	for (size_t i = 0; live && i < live->nlb; i++) {
		const struct aclf_lb_service *s = &live->lb[i];
		const char *vs = NULL;
		for (size_t k = 0; k < s->nprov && !vs; k++)
			if (strcmp(s->prov[k].kind, "device") == 0 &&
			    strncmp(s->prov[k].ref, "ltm virtual ", 12) == 0)
				vs = s->prov[k].ref;
		if (!vs || owned_ref(vs))
			continue;
		for (size_t k = 0; k < s->nprov; k++)
			if (strcmp(s->prov[k].kind, "device") == 0 && owned_ref(s->prov[k].ref))
				return aclf_err_set(err, ACLF_E_POLICY,
						    "device '%s': cannot plan: aclforge's %s is used by "
						    "%s, which is not aclforge's (replacing it would "
						    "take it from under that virtual)",
						    dev, s->prov[k].ref, vs);
	}
	return 0;
}

int bigip_plan(const struct aclf_devpol *intended, const struct aclf_devpol *live,
	       struct aclf_buf *out, struct aclf_err *err)
{
	const char *dev = intended->name ? intended->name : "?";
	struct aclf_buf create = ACLF_BUF_INIT, text = ACLF_BUF_INIT;
	int rc = -1;

	aclf_buf_init(&create, 0);
	aclf_buf_init(&text, 0);
	if (check_shared(live, dev, err) < 0 || bigip_render(intended, &create, err) < 0)
		goto out;
	if (bigip_render_delete(intended, live, true, &text, err) < 0)
		goto out;
	if (aclf_buf_add(&text, create.buf, create.len) < 0 ||
	    aclf_buf_add(out, text.buf, text.len) < 0) {
		aclf_err_set(err, ACLF_E_NOMEM, "out of memory planning device '%s'", dev);
		goto out;
	}
	rc = 0;
out:
	aclf_buf_release(&create);
	aclf_buf_release(&text);
	return rc;
}
