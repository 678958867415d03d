/* Plan for a Linux host: the rendered file is already the whole
 * replacement. `nft -f` applies it as one transaction that creates table
 * inet aclforge when missing, deletes it and loads the intended table whole,
 * so sets, counters and chains the live table has and the intended one
 * lacks go with the delete. Whatever the live table holds is another
 * version of the same table (the parser reads nothing else), and nothing
 * outside it is ever named: live does not change the text. */
#include "aclforge/driver.h"
#include "nftables/nftd.h"

int nftd_plan(const struct aclf_devpol *intended, const struct aclf_devpol *live,
	      struct aclf_buf *out, struct aclf_err *err)
{
	(void)live;
	return nftd_render(intended, out, err);
}
