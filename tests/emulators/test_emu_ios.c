/* The IOS kind of aclforge-emu fed lines directly (no SSH): modes and
 * prompts, abbreviations, the caret / ambiguous / incomplete errors, list
 * edits with sequence numbers, bindings, counters through emu-control,
 * enable, questions, and the round trip of aclforge's own IOS render
 * (tests/fixtures/ios/render_lync.expected) typed into configuration mode
 * and read back from the running configuration by the IOS driver's parser:
 * the same meaning (semantic diff without an item). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aclforge/buf.h"
#include "aclforge/diff.h"
#include "aclforge/driver.h"
#include "aclforge/err.h"
#include "aclforge/policy.h"
#include "emu_kinds.h"

struct fx {
	const struct emu_kind *k;
	void *dev, *sess;
	struct aclf_buf out;
	const char *q;
	enum emu_next r;
};

static int setup(void **st)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct emu_kind_opts o = { .hostname = "sw1" };

	assert_non_null(f);
	f->k = emu_kind_find("ios");
	assert_non_null(f->k);
	f->dev = f->k->create(&o);
	assert_non_null(f->dev);
	f->sess = f->k->open(f->dev, "admin");
	assert_non_null(f->sess);
	aclf_buf_init(&f->out, 0);
	*st = f;
	return 0;
}

static int teardown(void **st)
{
	struct fx *f = *st;

	f->k->close(f->dev, f->sess);
	f->k->destroy(f->dev);
	aclf_buf_release(&f->out);
	free(f);
	return 0;
}

/* one line; the output in f->out.buf */
static const char *in(struct fx *f, const char *line)
{
	aclf_buf_reset(&f->out);
	f->r = f->k->line(f->dev, f->sess, line, &f->out, &f->q);
	return f->out.buf;
}

static const char *prompt(struct fx *f)
{
	static char p[128];
	struct aclf_buf b = ACLF_BUF_INIT;

	aclf_buf_init(&b, 0);
	f->k->prompt(f->dev, f->sess, &b);
	snprintf(p, sizeof(p), "%s", b.buf);
	aclf_buf_release(&b);
	return p;
}

static char *dump(struct fx *f)
{
	struct aclf_buf b = ACLF_BUF_INIT;

	aclf_buf_init(&b, 0);
	f->k->dump(f->dev, &b);
	return aclf_buf_detach(&b, NULL);
}

static void has(const char *text, const char *part)
{
	if (!strstr(text, part))
		fail_msg("expected \"%s\" in:\n%s", part, text);
}

static void lacks(const char *text, const char *part)
{
	if (strstr(text, part))
		fail_msg("did not expect \"%s\" in:\n%s", part, text);
}

static void modes(void **st)
{
	struct fx *f = *st;

	assert_string_equal(prompt(f), "sw1#");
	assert_string_equal(in(f, "configure terminal"),
			    "Enter configuration commands, one per line.  End with CNTL/Z.\r\n");
	assert_string_equal(prompt(f), "sw1(config)#");
	in(f, "ip access-list extended ACL1");
	assert_int_equal(f->r, EMU_CHANGED);
	assert_string_equal(prompt(f), "sw1(config-ext-nacl)#");
	in(f, "exit");
	assert_string_equal(prompt(f), "sw1(config)#");
	in(f, "ipv6 access-list ACL1-V6");
	assert_string_equal(prompt(f), "sw1(config-ipv6-acl)#");
	/* a global command leaves the sub-mode by itself */
	in(f, "interface Vlan110");
	assert_string_equal(prompt(f), "sw1(config-if)#");
	in(f, "object-group network NETS");
	assert_string_equal(prompt(f), "sw1(config-network-group)#");
	in(f, "object-group service SVCS");
	assert_string_equal(prompt(f), "sw1(config-service-group)#");
	in(f, "hostname core1");
	assert_string_equal(prompt(f), "core1(config)#");
	in(f, "end");
	assert_string_equal(prompt(f), "core1#");
	in(f, "disable");
	assert_string_equal(prompt(f), "core1>");
	/* user EXEC has no configure and no running-config */
	has(in(f, "show running-config"), "% Invalid input detected at '^' marker.");
	has(in(f, "configure terminal"), "% Invalid input detected at '^' marker.");
	assert_string_equal(prompt(f), "core1>");
	assert_string_equal(in(f, "terminal length 0"), "");
	assert_string_equal(in(f, "terminal width 511"), "");
	in(f, "exit");
	assert_int_equal(f->r, EMU_CLOSE);
}

static void abbreviations_and_errors(void **st)
{
	struct fx *f = *st;

	in(f, "conf t");
	assert_string_equal(prompt(f), "sw1(config)#");
	in(f, "end");
	has(in(f, "sh run"), "Current configuration : ");
	has(in(f, "sh run"), "\r\nhostname sw1\r\n");
	assert_string_equal(in(f, "wr mem"), "Building configuration...\r\n[OK]\r\n");
	has(in(f, "sh ver"), "Cisco IOS Software");
	/* the caret under the first character no command takes: "ru" is
	 * running-config's, "x" is not (prompt "sw1#" is 4 columns) */
	assert_string_equal(in(f, "show ruxx"),
			    "           ^\r\n% Invalid input detected at '^' marker.\r\n\r\n");
	assert_string_equal(in(f, "  bogus"),
			    "      ^\r\n% Invalid input detected at '^' marker.\r\n\r\n");
	assert_string_equal(in(f, "co"), "% Ambiguous command:  \"co\"\r\n");
	{
		/* more words than any command has: the caret under the first
		 * word too many, nothing done */
		struct aclf_buf l = ACLF_BUF_INIT;

		aclf_buf_init(&l, 0);
		for (int k = 0; k < 70; k++)
			aclf_buf_puts(&l, "x ");
		has(in(f, l.buf), "% Invalid input detected at '^' marker.");
		assert_int_equal(strspn(f->out.buf, " "), 4 + 2 * 64);
		aclf_buf_release(&l);
	}
	assert_string_equal(in(f, "show ip"), "% Incomplete command.\r\n\r\n");
	assert_string_equal(in(f, "terminal length 600"),
			    "                    ^\r\n% Invalid input detected at '^' marker.\r\n\r\n");
	/* the copy question, its default answer */
	assert_string_equal(in(f, "copy run start"), "");
	assert_non_null(f->q);
	assert_string_equal(f->q, "Destination filename [startup-config]? ");
	assert_string_equal(in(f, ""), "Building configuration...\r\n[OK]\r\n");
	assert_null(f->q);
	has(in(f, "show startup-config"), "hostname sw1");
	/* a comment and an empty line are nothing */
	assert_string_equal(in(f, "! a comment"), "");
	assert_string_equal(in(f, ""), "");
}

static void acl_edits(void **st)
{
	struct fx *f = *st;
	char *cfg;

	in(f, "conf t");
	in(f, "ip access-list extended EDGE");
	in(f, " remark first the web");
	in(f, " permit tcp any host 192.0.2.10 eq 80");
	in(f, " permit udp 198.51.100.7 0.0.0.255 host 192.0.2.20 range 16384 32767");
	in(f, " deny ip any any log");
	in(f, "15 permit tcp host 192.0.2.1 any established");
	assert_int_equal(f->r, EMU_CHANGED);
	assert_string_equal(in(f, "20 permit icmp any any"), "% Duplicate sequence number\r\n");
	/* the same entry again is nothing */
	in(f, "permit tcp any host 192.0.2.10 eq www");
	assert_int_equal(f->r, EMU_CONTINUE);
	assert_string_equal(in(f, "do show access-lists EDGE"),
			    "Extended IP access list EDGE\r\n"
			    "    10 permit tcp any host 192.0.2.10 eq www\r\n"
			    "    15 permit tcp host 192.0.2.1 any established\r\n"
			    "    20 permit udp 198.51.100.0 0.0.0.255 host 192.0.2.20 range 16384 32767\r\n"
			    "    30 deny ip any any log\r\n");
	in(f, "no 20");
	assert_int_equal(f->r, EMU_CHANGED);
	in(f, "permit tcp any any eq 5061");
	has(in(f, "do show ip access-lists"), "    40 permit tcp any any eq 5061\r\n");
	lacks(in(f, "do show ip access-lists"), "range 16384");
	/* a bad address: the caret under it (prompt is 21 columns) */
	assert_string_equal(in(f, "permit tcp host 1.2.3.x any"),
			    "                                     ^\r\n"
			    "% Invalid input detected at '^' marker.\r\n\r\n");
	assert_string_equal(prompt(f), "sw1(config-ext-nacl)#");
	assert_string_equal(in(f, "permit tcp any"), "% Incomplete command.\r\n\r\n");
	in(f, "ip access-list resequence EDGE 100 5");
	has(in(f, "do show access-lists"), "    115 permit tcp any any eq 5061\r\n");
	/* IPv6 */
	in(f, "ipv6 access-list EDGE-V6");
	in(f, "permit tcp 2001:db8:20::/48 host 2001:db8:1::11 eq 5061");
	in(f, "sequence 5 deny ipv6 any any");
	assert_string_equal(in(f, "do show ipv6 access-list"),
			    "IPv6 access list EDGE-V6\r\n"
			    "    deny ipv6 any any sequence 5\r\n"
			    "    permit tcp 2001:DB8:20::/48 host 2001:DB8:1::11 eq 5061 sequence 10\r\n");
	in(f, "no sequence 5");
	lacks(in(f, "do show ipv6 access-list"), "deny");
	/* object-groups */
	in(f, "object-group network FE");
	in(f, " host 10.1.1.11");
	in(f, " 10.1.1.13 255.255.255.254");
	in(f, "object-group service SIP");
	in(f, " tcp eq 5061");
	in(f, " udp source range 1024 65535 eq 3478");
	in(f, "ip access-list extended GRP");
	in(f, " permit object-group SIP any object-group FE");
	in(f, " permit tcp object-group FE any eq 443");
	assert_string_equal(in(f, " permit tcp object-group NOPE any"),
			    "                                              ^\r\n"
			    "% Invalid input detected at '^' marker.\r\n\r\n");
	assert_string_equal(in(f, "no object-group network FE"), "% Object-group FE is being used\r\n");
	in(f, "end");
	has(in(f, "show object-group"),
	    "Network object group FE\r\n host 10.1.1.11\r\n 10.1.1.12 255.255.255.254\r\n");
	cfg = dump(f);
	has(cfg, "ip access-list extended EDGE\n remark first the web\n"
		 " permit tcp any host 192.0.2.10 eq www\n");
	has(cfg, " deny   ip any any log\n");
	has(cfg, "object-group service SIP\n tcp eq 5061\n udp source range 1024 65535 eq 3478\n!\n");
	has(cfg, "ip access-list extended GRP\n permit object-group SIP any object-group FE\n"
		 " permit tcp object-group FE any eq 443\n!\n");
	has(cfg, "ipv6 access-list EDGE-V6\n permit tcp 2001:DB8:20::/48 host 2001:DB8:1::11 eq 5061\n");
	free(cfg);
	in(f, "conf t");
	in(f, "no ip access-list extended GRP");
	in(f, "no object-group network FE");
	assert_int_equal(f->r, EMU_CHANGED);
	cfg = dump(f);
	lacks(cfg, "GRP");
	lacks(cfg, "object-group network FE");
	free(cfg);
}

static void bindings_and_counters(void **st)
{
	struct fx *f = *st;
	struct aclf_buf c = ACLF_BUF_INIT;
	char *cfg;

	aclf_buf_init(&c, 0);
	in(f, "conf t");
	in(f, "ip access-list extended IN1");
	in(f, " permit tcp 198.18.0.0 0.0.255.255 host 198.18.1.1 eq 5061");
	in(f, " permit udp any range 1024 65535 host 198.18.1.1 eq 3478");
	in(f, " deny ip any any");
	in(f, "ip access-list extended IN2");
	in(f, " permit ip any any");
	in(f, "int vlan 110");
	assert_string_equal(prompt(f), "sw1(config-if)#");
	in(f, " ip access-group IN1 in");
	in(f, "interface gi0/0");
	in(f, " ip access-group IN1 out");
	in(f, "end");
	cfg = dump(f);
	has(cfg, "interface Vlan110\n no ip address\n ip access-group IN1 in\n!\n");
	has(cfg, "interface GigabitEthernet0/0\n no ip address\n ip access-group IN1 out\n!\n");
	free(cfg);

	assert_int_equal(f->k->control(f->dev, "packet Vlan110 in tcp 198.18.0.2 50000 198.18.1.1 5061", &c), 0);
	assert_string_equal(c.buf, "permit IN1 10\n");
	aclf_buf_reset(&c);
	assert_int_equal(f->k->control(f->dev, "packet Vlan110 in tcp 198.18.0.3 50001 198.18.1.1 5061", &c), 0);
	aclf_buf_reset(&c);
	assert_int_equal(f->k->control(f->dev, "packet Vlan110 in udp 192.0.2.1 5000 198.18.1.1 3478", &c), 0);
	assert_string_equal(c.buf, "permit IN1 20\n");
	aclf_buf_reset(&c);
	assert_int_equal(f->k->control(f->dev, "packet Vlan110 in udp 192.0.2.1 53 198.18.1.1 3478", &c), 0);
	assert_string_equal(c.buf, "deny IN1 30\n");
	aclf_buf_reset(&c);
	assert_int_equal(f->k->control(f->dev, "packet Vlan110 in tcp 2001:db8::1 1 2001:db8::2 2", &c), 0);
	assert_string_equal(c.buf, "permit none\n");
	aclf_buf_reset(&c);
	assert_int_equal(f->k->control(f->dev, "packet Vlan999 in tcp 1.1.1.1 1 2.2.2.2 2", &c), -1);
	has(c.buf, "no such interface");
	aclf_buf_reset(&c);
	assert_string_equal(in(f, "show access-lists IN1"),
			    "Extended IP access list IN1\r\n"
			    "    10 permit tcp 198.18.0.0 0.0.255.255 host 198.18.1.1 eq 5061 (2 matches)\r\n"
			    "    20 permit udp any range 1024 65535 host 198.18.1.1 eq 3478 (1 match)\r\n"
			    "    30 deny ip any any (1 match)\r\n");

	/* a new binding replaces the old one; `no` with another name keeps it */
	in(f, "conf t");
	in(f, "interface Vlan110");
	in(f, "ip access-group IN2 in");
	in(f, "no ip access-group IN1 in");
	assert_int_equal(f->r, EMU_CONTINUE);
	assert_int_equal(f->k->control(f->dev, "packet Vlan110 in udp 192.0.2.1 53 198.18.1.1 3478", &c), 0);
	assert_string_equal(c.buf, "permit IN2 10\n");
	aclf_buf_reset(&c);
	in(f, "no ip access-group IN2 in");
	assert_int_equal(f->r, EMU_CHANGED);
	in(f, "ipv6 traffic-filter V6 in");
	in(f, "end");
	cfg = dump(f);
	has(cfg, "interface Vlan110\n no ip address\n ipv6 traffic-filter V6 in\n!\n");
	free(cfg);
	assert_int_equal(f->k->control(f->dev, "clear counters", &c), 0);
	lacks(in(f, "show access-lists"), "match");
	aclf_buf_release(&c);
}

static void enable_levels(void **st)
{
	struct fx *f = *st;
	void *ro;

	in(f, "conf t");
	in(f, "username ro privilege 1");
	in(f, "end");
	ro = f->k->open(f->dev, "ro");
	assert_non_null(ro);
	f->k->close(f->dev, f->sess);
	f->sess = ro;
	assert_string_equal(prompt(f), "sw1>");
	assert_string_equal(in(f, "enable"), "% No password set\r\n");
	/* the secret is set from a privileged session */
	ro = f->sess;
	f->sess = f->k->open(f->dev, "admin");
	in(f, "conf t");
	in(f, "enable secret 0 Tr1cky");
	in(f, "end");
	f->k->close(f->dev, f->sess);
	f->sess = ro;
	assert_string_equal(in(f, "en"), "");
	assert_string_equal(f->q, "Password: ");
	assert_true(f->k->secret(f->dev, f->sess));
	in(f, "wrong");
	assert_string_equal(f->q, "Password: ");
	in(f, "Tr1cky");
	assert_null(f->q);
	assert_false(f->k->secret(f->dev, f->sess));
	assert_string_equal(prompt(f), "sw1#");
	in(f, "disable");
	in(f, "enable");
	in(f, "a");
	in(f, "b");
	assert_string_equal(in(f, "c"), "% Bad secrets\r\n\r\n");
	assert_string_equal(prompt(f), "sw1>");
}

static void reject_and_exec(void **st)
{
	struct fx *f = *st;
	struct aclf_buf o = ACLF_BUF_INIT, e = ACLF_BUF_INIT;
	bool changed = true;

	aclf_buf_reset(&f->out);
	f->k->reject(f->dev, f->sess, "show clock", &f->out);
	assert_string_equal(f->out.buf, "    ^\r\n% Invalid input detected at '^' marker.\r\n\r\n");
	aclf_buf_init(&o, 0);
	aclf_buf_init(&e, 0);
	assert_int_equal(f->k->exec(f->dev, "admin", "show privilege", &o, &e, &changed), 0);
	assert_string_equal(o.buf, "Current privilege level is 15\r\n");
	assert_false(changed);
	aclf_buf_release(&o);
	aclf_buf_release(&e);
}

/* ---- the round trip of aclforge's render ------------------------------------ */

static char *read_fixture(const char *name)
{
	const char *dir = getenv("ACLF_FIXTURES");
	struct aclf_buf p = ACLF_BUF_INIT, b = ACLF_BUF_INIT;

	aclf_buf_init(&p, 0);
	aclf_buf_init(&b, 0);
	aclf_buf_printf(&p, "%s/%s", dir ? dir : "tests/fixtures", name);
	if (aclf_buf_read_file(&b, p.buf) < 0)
		fail_msg("cannot read %s", p.buf);
	aclf_buf_release(&p);
	return aclf_buf_detach(&b, NULL);
}

static struct aclf_devpol *parse_ios(struct aclf_policy *pol, const char *text)
{
	struct aclf_err err;
	struct aclf_devpol *dp = NULL;
	struct aclf_parse_opts po = { .name = "core1" };

	aclf_err_init(&err);
	if (aclf_driver_parse(aclf_driver_find("ios"), text, strlen(text), &po, pol, &dp, &err) < 0)
		fail_msg("parse: %s", err.msg.buf);
	aclf_err_release(&err);
	return dp;
}

static void render_round_trip(void **st)
{
	struct fx *f = *st;
	char *render = read_fixture("ios/render_lync.expected"), *line, *save = NULL, *cfg;
	struct aclf_policy *pa = aclf_policy_new(), *pb = aclf_policy_new();
	struct aclf_devpol *a, *b;
	struct aclf_diff d;
	struct aclf_err err;
	unsigned lines = 0;

	assert_non_null(pa);
	assert_non_null(pb);
	in(f, "configure terminal");
	for (line = strtok_r(render, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *copy = strdup(line);

		in(f, copy);
		if (strstr(f->out.buf, "%"))
			fail_msg("line '%s' answered: %s", copy, f->out.buf);
		free(copy);
		lines++;
	}
	assert_true(lines > 40);
	in(f, "end");
	assert_string_equal(prompt(f), "sw1#");
	free(render);
	render = read_fixture("ios/render_lync.expected");
	cfg = dump(f);
	a = parse_ios(pa, render);
	b = parse_ios(pb, cfg);
	aclf_diff_init(&d);
	aclf_err_init(&err);
	assert_int_equal(aclf_diff_devices(a, b, &d, NULL, 10, &err), 0);
	if (d.n + d.nlb) {
		struct aclf_buf t = ACLF_BUF_INIT;

		aclf_buf_init(&t, 0);
		aclf_diff_print_text(&d, "core1", &t);
		fail_msg("the emulator's running-config means something else:\n%s", t.buf);
	}
	/* and it is really there: the parse found the bound filters */
	has(cfg, "ip access-group ACLF-VLAN110-IN in");
	aclf_diff_release(&d);
	aclf_err_release(&err);
	aclf_policy_free(pa);
	aclf_policy_free(pb);
	free(render);
	free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(modes, setup, teardown),
		cmocka_unit_test_setup_teardown(abbreviations_and_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(acl_edits, setup, teardown),
		cmocka_unit_test_setup_teardown(bindings_and_counters, setup, teardown),
		cmocka_unit_test_setup_teardown(enable_levels, setup, teardown),
		cmocka_unit_test_setup_teardown(reject_and_exec, setup, teardown),
		cmocka_unit_test_setup_teardown(render_round_trip, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
