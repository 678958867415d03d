/* Interface names in a topology, checked against the way IOS prints them.
 *
 * IOS accepts "Gi1/0/1", "gi1/0/1" or "vlan110" on its command line, but
 * its running configuration, `show access-lists` and IF-MIB's ifDescr
 * always spell the type in full and in its own case: GigabitEthernet1/0/1,
 * Vlan110. A binding is found again by that name (fetch, plan, audit,
 * interface counters), so a topology that abbreviates would render a
 * configuration the device takes and then never see it in place: every
 * plan would report drift and apply would push it again. Such names are
 * refused with the full type to write; a type this table does not know is
 * let through (platforms add types). */
#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "ios.h"

/* The types as IOS prints them, each with what the error asks for. */
#define T(name, example)                                                                    \
	{ name, "an IOS interface name with its type spelled as the running configuration " \
		"prints it (" example "); IOS takes abbreviations and other cases on input "  \
		"but never shows them, so a binding written so is never found again" }

static const struct {
	const char *type;
	const char *want;
} types[] = {
	T("AppGigabitEthernet", "AppGigabitEthernet1/0/1"),
	T("BDI", "BDI110"),
	T("Dialer", "Dialer1"),
	T("Ethernet", "Ethernet0/0"),
	T("FastEthernet", "FastEthernet0/1"),
	T("FiveGigabitEthernet", "FiveGigabitEthernet1/0/1"),
	T("FortyGigabitEthernet", "FortyGigabitEthernet1/1/1"),
	T("GigabitEthernet", "GigabitEthernet1/0/1"),
	T("HundredGigE", "HundredGigE1/0/1"),
	T("Loopback", "Loopback0"),
	T("Port-channel", "Port-channel1"),
	T("Serial", "Serial0/0/0"),
	T("TenGigabitEthernet", "TenGigabitEthernet1/0/1"),
	T("Tunnel", "Tunnel1"),
	T("TwentyFiveGigE", "TwentyFiveGigE1/0/1"),
	T("TwoGigabitEthernet", "TwoGigabitEthernet1/0/1"),
	T("Virtual-Template", "Virtual-Template1"),
	T("Vlan", "Vlan110"),
};

#define NTYPES (sizeof(types) / sizeof(types[0]))

static const char *const ambiguous =
	"an IOS interface name with its type spelled in full as the running configuration "
	"prints it (GigabitEthernet1/0/1, TenGigabitEthernet1/0/1, Port-channel1, Vlan110); "
	"IOS takes abbreviations on input but never shows them, so a binding written so is "
	"never found again";

const char *ios_ifname_check(const char *s)
{
	size_t n = 0, hits = 0, hit = 0;

	/* the type: everything before the first digit */
	while (s[n] && !isdigit((unsigned char)s[n]))
		n++;
	if (!n)
		return NULL;
	for (size_t k = 0; k < NTYPES; k++) {
		size_t tl = strlen(types[k].type);
		if (tl == n && !strncmp(s, types[k].type, n))
			return NULL; /* as IOS prints it */
		if (tl == n && !strncasecmp(s, types[k].type, n))
			return types[k].want; /* "vlan110" */
		if (n < tl && !strncasecmp(s, types[k].type, n)) {
			hits++;
			hit = k;
		}
	}
	if (hits == 1)
		return types[hit].want; /* "Gi1/0/1" */
	return hits ? ambiguous : NULL;
}
