/* The emulated Cisco IOS device: the kind table, sessions, modes and
 * prompts, and the EXEC commands (user `sw1>` and privileged `sw1#`).
 *
 * A session starts privileged, as a vty login of a `privilege 15` user
 * does, unless `username NAME privilege N` (N < 15) names its user: then
 * it starts in user EXEC and `enable` asks for the `enable secret`
 * ("% No password set" without one, as on a vty line). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emu_ios.h"

void eio_puts(struct aclf_buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			aclf_buf_putc(out, '\r');
		aclf_buf_putc(out, *s);
	}
}

static void *ios_create(const struct emu_kind_opts *o)
{
	struct eio_dev *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->hostname = strdup(o->hostname && *o->hostname ? o->hostname : "Router");
	if (!d->hostname || !eio_if_get(d, "GigabitEthernet0/0") || !eio_if_get(d, "Vlan1")) {
		eio_dev_free_model(d);
		free(d->hostname);
		free(d);
		return NULL;
	}
	return d;
}

static void ios_destroy(void *dev)
{
	struct eio_dev *d = dev;

	if (!d)
		return;
	eio_dev_free_model(d);
	for (size_t k = 0; k < d->nusers; k++)
		free(d->users[k].name);
	free(d->users);
	free(d->hostname);
	free(d->enable_secret);
	free(d->startup);
	free(d);
}

static unsigned user_priv(const struct eio_dev *d, const char *user)
{
	for (size_t k = 0; k < d->nusers; k++)
		if (!strcmp(d->users[k].name, user))
			return d->users[k].priv;
	return 15;
}

static void *ios_open(void *dev, const char *user)
{
	struct eio_sess *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->mode = user_priv(dev, user ? user : "") >= 15 ? EIO_PRIV : EIO_USER;
	s->length = 24;
	s->width = 80;
	return s;
}

static void ios_close(void *dev, void *sess)
{
	struct eio_sess *s = sess;

	(void)dev;
	if (!s)
		return;
	free(s->ctx);
	free(s);
}

static void ios_banner(void *dev, void *sess, struct aclf_buf *out)
{
	(void)dev;
	(void)sess;
	eio_puts(out, "\n");
}

void eio_prompt(struct eio_dev *d, struct eio_sess *s, struct aclf_buf *out)
{
	static const char *const sub[] = {
		[EIO_USER] = ">", [EIO_PRIV] = "#", [EIO_CONF] = "(config)#",
		[EIO_CONF_ACL] = "(config-ext-nacl)#", [EIO_CONF_ACL6] = "(config-ipv6-acl)#",
		[EIO_CONF_IF] = "(config-if)#", [EIO_CONF_NETGRP] = "(config-network-group)#",
		[EIO_CONF_SVCGRP] = "(config-service-group)#",
	};

	aclf_buf_printf(out, "%s%s", d->hostname, sub[s->mode]);
}

static void ios_prompt(void *dev, void *sess, struct aclf_buf *out)
{
	eio_prompt(dev, sess, out);
}

/* ---- EXEC commands ------------------------------------------------------- */

static const char *const exec_kw[] = {
	"clear", "clock", "configure", "connect", "copy", "debug", "dir", "disable",
	"disconnect", "enable", "erase", "exit", "logout", "ping", "quit", "reload",
	"show", "ssh", "telnet", "terminal", "traceroute", "undebug", "write", NULL,
};
enum {
	X_CLEAR, X_CLOCK, X_CONFIGURE, X_CONNECT, X_COPY, X_DEBUG, X_DIR, X_DISABLE,
	X_DISCONNECT, X_ENABLE, X_ERASE, X_EXIT, X_LOGOUT, X_PING, X_QUIT, X_RELOAD,
	X_SHOW, X_SSH, X_TELNET, X_TERMINAL, X_TRACEROUTE, X_UNDEBUG, X_WRITE,
};
/* in user EXEC only these exist */
static const char *const user_kw[] = {
	"connect", "disable", "disconnect", "enable", "exit", "logout", "ping", "quit",
	"show", "ssh", "telnet", "terminal", "traceroute", NULL,
};

static void save(struct eio_cmd *c)
{
	struct aclf_buf b = ACLF_BUF_INIT;

	aclf_buf_init(&b, 0);
	eio_config_text(c->dev, &b);
	free(c->dev->startup);
	c->dev->startup = aclf_buf_detach(&b, NULL);
	c->dev->saved = true;
	eio_puts(c->out, "Building configuration...\n[OK]\n");
}

static int terminal(struct eio_cmd *c, size_t i)
{
	static const char *const kw[] = { "length", "monitor", "no", "width", NULL };
	unsigned long v;
	int k = eio_kw(c, i, kw);

	if (k < 0)
		return -1;
	if (k == 1)
		return eio_end(c, i + 1);
	if (k == 2) {
		static const char *const nkw[] = { "length", "monitor", "width", NULL };
		int n = eio_kw(c, i + 1, nkw);

		if (n < 0)
			return -1;
		if (eio_end(c, i + 2) < 0)
			return -1;
		if (n == 0)
			c->s->length = 24;
		else if (n == 2)
			c->s->width = 80;
		return 0;
	}
	if (eio_uint(c, i + 1, 0, 512, &v) < 0 || eio_end(c, i + 2) < 0)
		return -1;
	if (k == 0)
		c->s->length = (unsigned)v;
	else
		c->s->width = (unsigned)v;
	return 0;
}

static int copy(struct eio_cmd *c, size_t i, const char **question)
{
	static const char *const kw[] = { "flash:", "ftp:", "running-config", "scp:",
					  "startup-config", "tftp:", NULL };
	int a = eio_kw(c, i, kw), b;

	if (a < 0)
		return -1;
	b = eio_kw(c, i + 1, kw);
	if (b < 0)
		return -1;
	if (a != 2 || b != 4)
		return eio_invalid(c, i + (a != 2 ? 0 : 1));
	if (eio_end(c, i + 2) < 0)
		return -1;
	c->s->q = EIO_Q_COPY_DEST;
	*question = "Destination filename [startup-config]? ";
	return 0;
}

static int enable(struct eio_cmd *c, size_t i, const char **question)
{
	if (i < c->l->n) {
		unsigned long v;

		if (eio_uint(c, i, 0, 15, &v) < 0 || eio_end(c, i + 1) < 0)
			return -1;
	}
	if (c->s->mode != EIO_USER)
		return 0;
	if (!c->dev->enable_secret) {
		eio_puts(c->out, "% No password set\n");
		return -1;
	}
	c->s->q = EIO_Q_ENABLE_PW;
	c->s->tries = 0;
	*question = "Password: ";
	return 0;
}

int eio_exec_cmd(struct eio_cmd *c, size_t i, const char **question)
{
	bool user = c->s->mode == EIO_USER;
	int k = eio_kw(c, i, user ? user_kw : exec_kw);

	if (k < 0)
		return -1;
	if (user) /* to exec_kw's numbering */
		for (int j = 0; exec_kw[j]; j++)
			if (!strcmp(exec_kw[j], user_kw[k])) {
				k = j;
				break;
			}
	switch (k) {
	case X_CONFIGURE: {
		static const char *const kw[] = { "confirm", "memory", "network", "overwrite-network",
						  "replace", "revert", "terminal", NULL };
		int t = eio_kw_opt(c, i + 1, kw);

		if (t == -1)
			return -1;
		if (t >= 0 && t != 6)
			return eio_invalid(c, i + 1);
		if (eio_end(c, i + (t == 6 ? 2 : 1)) < 0)
			return -1;
		if (c->s->mode == EIO_PRIV) {
			eio_puts(c->out, "Enter configuration commands, one per line.  End with CNTL/Z.\n");
			c->s->mode = EIO_CONF;
		}
		return 0;
	}
	case X_COPY:
		return copy(c, i + 1, question);
	case X_DISABLE:
		if (eio_end(c, i + 1) < 0)
			return -1;
		c->s->mode = EIO_USER;
		return 0;
	case X_ENABLE:
		return enable(c, i + 1, question);
	case X_EXIT:
	case X_LOGOUT:
	case X_QUIT:
		if (eio_end(c, i + 1) < 0)
			return -1;
		c->s->closing = true;
		return 0;
	case X_SHOW:
		return eio_show(c, i + 1);
	case X_TERMINAL:
		return terminal(c, i + 1);
	case X_WRITE: {
		static const char *const kw[] = { "erase", "memory", "network", "terminal", NULL };
		int t = eio_kw_opt(c, i + 1, kw);

		if (t == -1)
			return -1;
		if (eio_end(c, i + (t >= 0 ? 2 : 1)) < 0)
			return -1;
		if (t == 3) {
			eio_running_config(c->dev, c->out);
			return 0;
		}
		if (t == 0 || t == 2)
			return eio_invalid(c, i + 1);
		save(c);
		return 0;
	}
	default:
		/* commands a real device has and this one does not do */
		return eio_invalid(c, i);
	}
}

/* ---- a line ----------------------------------------------------------------- */

static enum emu_next answer(struct eio_dev *d, struct eio_sess *s, const char *line,
			    struct aclf_buf *out, const char **question)
{
	enum eio_question q = s->q;

	s->q = EIO_Q_NONE;
	if (q == EIO_Q_ENABLE_PW) {
		if (d->enable_secret && !strcmp(line, d->enable_secret)) {
			s->mode = EIO_PRIV;
			return EMU_CONTINUE;
		}
		/* three tries, as IOS gives */
		if (++s->tries < 3) {
			s->q = EIO_Q_ENABLE_PW;
			*question = "Password: ";
			return EMU_CONTINUE;
		}
		eio_puts(out, "% Bad secrets\n\n");
		return EMU_CONTINUE;
	}
	/* EIO_Q_COPY_DEST: an empty answer takes the default */
	if (*line && strcmp(line, "startup-config") != 0 && strcmp(line, "nvram:startup-config")) {
		eio_puts(out, "%Error opening flash:");
		aclf_buf_puts(out, line);
		eio_puts(out, " (Permission denied)\n");
		return EMU_CONTINUE;
	}
	{
		struct eio_line l;
		struct eio_cmd c = { .dev = d, .s = s, .l = &l, .out = out };

		if (eio_split(&l, "") < 0)
			return EMU_CONTINUE;
		save(&c);
		eio_line_free(&l);
	}
	return EMU_CONTINUE;
}

static enum emu_next ios_line(void *dev, void *sess, const char *line, struct aclf_buf *out,
			      const char **question)
{
	struct eio_dev *d = dev;
	struct eio_sess *s = sess;
	struct eio_line l;
	struct aclf_buf pr = ACLF_BUF_INIT;
	struct eio_cmd c = { .dev = d, .s = s, .l = &l, .out = out };
	const char *p = line;

	*question = NULL;
	if (s->q != EIO_Q_NONE)
		return answer(d, s, line, out, question);
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p || *p == '!')
		return EMU_CONTINUE;
	if (eio_split(&l, line) < 0)
		return EMU_CONTINUE;
	aclf_buf_init(&pr, 0);
	eio_prompt(d, s, &pr);
	c.prompt_len = pr.len;
	aclf_buf_release(&pr);
	for (size_t k = 0; line[k]; k++)
		if (((unsigned char)line[k] < 0x20 && line[k] != '\t') || line[k] == 0x7f) {
			/* a terminal never passes these on; an exec command may */
			eio_invalid_at(&c, k);
			eio_line_free(&l);
			return EMU_CONTINUE;
		}
	if (l.overflow)
		eio_invalid_at(&c, l.overflow_col);
	else if (s->mode == EIO_USER || s->mode == EIO_PRIV)
		eio_exec_cmd(&c, 0, question);
	else if (eio_config(&c) == 0 && c.question)
		*question = c.question;
	eio_line_free(&l);
	if (s->closing)
		return EMU_CLOSE;
	if (c.changed)
		d->saved = false;
	return c.changed ? EMU_CHANGED : EMU_CONTINUE;
}

static bool ios_secret(void *dev, void *sess)
{
	(void)dev;
	return ((struct eio_sess *)sess)->q == EIO_Q_ENABLE_PW;
}

static void ios_reject(void *dev, void *sess, const char *line, struct aclf_buf *out)
{
	struct aclf_buf pr = ACLF_BUF_INIT;
	size_t col = 0;

	aclf_buf_init(&pr, 0);
	eio_prompt(dev, sess, &pr);
	while (line[col] == ' ' || line[col] == '\t')
		col++;
	for (size_t k = 0; k < pr.len + col; k++)
		aclf_buf_putc(out, ' ');
	aclf_buf_release(&pr);
	eio_puts(out, "^\n% Invalid input detected at '^' marker.\n\n");
}

static int ios_exec(void *dev, const char *user, const char *command, struct aclf_buf *out,
		    struct aclf_buf *errout, bool *changed)
{
	struct eio_sess *s = ios_open(dev, user);
	const char *q = NULL;
	enum emu_next r;

	(void)errout;
	*changed = false;
	if (!s)
		return 1;
	r = ios_line(dev, s, command, out, &q);
	*changed = r == EMU_CHANGED;
	ios_close(dev, s);
	return 0;
}

static void ios_dump(void *dev, struct aclf_buf *out)
{
	eio_config_text(dev, out);
}

static int ios_control(void *dev, const char *command, struct aclf_buf *out)
{
	return eio_control(dev, command, out);
}

const struct emu_kind emu_kind_ios = {
	.name = "ios",
	.create = ios_create,
	.destroy = ios_destroy,
	.open = ios_open,
	.close = ios_close,
	.banner = ios_banner,
	.prompt = ios_prompt,
	.line = ios_line,
	.reject = ios_reject,
	.exec = ios_exec,
	.dump = ios_dump,
	.tick = NULL,
	.control = ios_control,
	.secret = ios_secret,
};
