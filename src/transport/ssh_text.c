/* Device text for messages and prompt matching. */
#include <regex.h>
#include <string.h>

#include "aclforge/err.h"
#include "ssh_int.h"

void ssh_quote_tail(struct aclf_buf *b, const char *s, size_t n, size_t max)
{
	size_t from = n > max ? n - max : 0;

	aclf_buf_putc(b, '\'');
	if (from)
		aclf_buf_puts(b, "...");
	for (size_t i = from; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		switch (ch) {
		case '\n':
			aclf_buf_puts(b, "\\n");
			break;
		case '\r':
			aclf_buf_puts(b, "\\r");
			break;
		case '\t':
			aclf_buf_puts(b, "\\t");
			break;
		case '\\':
			aclf_buf_puts(b, "\\\\");
			break;
		case '\'':
			aclf_buf_puts(b, "\\'");
			break;
		default:
			if (ch < 0x20 || ch == 0x7f)
				aclf_buf_printf(b, "\\x%02x", ch);
			else
				aclf_buf_putc(b, (char)ch);
		}
	}
	aclf_buf_putc(b, '\'');
}

/* Length of the escape sequence at s[0] == ESC (CSI "ESC [ ... final",
 * OSC "ESC ] ... BEL|ESC \", or a two-byte "ESC x"); runs to the end of
 * the text when unterminated. */
static size_t escape_len(const char *s, size_t n)
{
	size_t i;

	if (n < 2)
		return n;
	if (s[1] == '[') {
		for (i = 2; i < n; i++)
			if ((unsigned char)s[i] >= 0x40 && (unsigned char)s[i] <= 0x7e)
				return i + 1;
		return n;
	}
	if (s[1] == ']') {
		for (i = 2; i < n; i++) {
			if (s[i] == '\a')
				return i + 1;
			if (s[i] == 0x1b && i + 1 < n && s[i + 1] == '\\')
				return i + 2;
		}
		return n;
	}
	return 2;
}

size_t ssh_last_line(const char *text, size_t len, struct aclf_buf *cand)
{
	size_t start = len, vis;

	while (start > 0 && text[start - 1] != '\n')
		start--;
	vis = start;
	for (size_t i = start; i + 1 < len; i++)
		if (text[i] == '\r')
			vis = i + 1;
	aclf_buf_reset(cand);
	for (size_t i = vis; i < len;) {
		if (text[i] == 0x1b) {
			i += escape_len(text + i, len - i);
			continue;
		}
		if (text[i] != '\r')
			aclf_buf_putc(cand, text[i]);
		i++;
	}
	return start;
}

bool ssh_re_match(const regex_t *re, const char *s, size_t n)
{
	regmatch_t m[1];

	m[0].rm_so = 0;
	m[0].rm_eo = (regoff_t)n;
	return regexec(re, s, 1, m, REG_STARTEND) == 0;
}

int ssh_re_compile(regex_t *re, const char *pattern, const char *what, const char *device,
		   struct aclf_err *err)
{
	char msg[256];
	int rc = regcomp(re, pattern, REG_EXTENDED | REG_NOSUB);

	if (rc == 0)
		return 0;
	regerror(rc, re, msg, sizeof(msg));
	return aclf_err_remote(err, ACLF_E_INPUT, device, NULL, "%s /%s/ is not a valid regex: %s",
			       what, pattern, msg);
}
