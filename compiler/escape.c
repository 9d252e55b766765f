/* escape.c - see escape.h. */
#include "escape.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
	size_t len = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3
		   : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
	if (!len || len > n)
		return 0;
	uint32_t c = len == 1 ? s[0] : s[0] & (0x7F >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if (c < min[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

const char *escape_control(uint32_t c, char buf[static 8])
{
	switch (c) {
	case '\n': return "\\n";
	case '\r': return "\\r";
	case '\t': return "\\t";
	}
	if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
		snprintf(buf, 8, "\\x%02x", (unsigned)c);
	else if (c == 0x2028 || c == 0x2029 || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069))
		snprintf(buf, 8, "\\u%04x", (unsigned)c);
	else
		return NULL;
	return buf;
}

bool escape_forges_command(const char *s, size_t n, size_t i, uint32_t c, bool *head)
{
	bool at_head = *head;
	/* the white space .NET's String.TrimStart removes (Char.IsWhiteSpace) that
	 * escape_control leaves as it is */
	*head = at_head && (c == ' ' || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
			    c == 0x202F || c == 0x205F || c == 0x3000);
	if (c == '[')
		return i >= 2 && s[i - 1] == '#' && s[i - 2] == '#';
	return c == ':' && at_head && i + 1 < n && s[i + 1] == ':';
}

void escape_text(struct strbuf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t plain = 0;       /* bytes before i that need no escape, appended in one go */
	bool head = true;       /* nothing but white space before i */
	for (size_t i = 0; i < n;) {
		char buf[8];
		const char *esc = NULL;
		uint32_t c = u[i];
		size_t len = 1;
		if (c >= 0x20 && c < 0x7F) {
			/* printable ASCII, the bulk of every message: escaped only where it
			 * would forge a workflow command */
			if (escape_forges_command(s, n, i, c, &head))
				esc = c == '[' ? "\\x5b" : "\\x3a";
		} else if ((len = utf8_decode(u + i, n - i, &c))) {
			esc = escape_control(c, buf);
			escape_forges_command(s, n, i, esc ? 0 : c, &head);
		} else {
			snprintf(buf, sizeof buf, "\\x%02x", u[i]);
			esc = buf;
			len = 1;
			head = false;
		}
		if (!esc) {
			i += len;
			continue;
		}
		strbuf_add(b, s + plain, i - plain);
		strbuf_str(b, esc);
		i += len;
		plain = i;
	}
	strbuf_add(b, s + plain, n - plain);
}

void print_escaped(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *text = NULL;
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	text = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(text, (size_t)n + 1, fmt, ap);
	va_end(ap);
	size_t len = (size_t)n;
	bool newline = len && text[len - 1] == '\n';
	struct strbuf b = {0};
	escape_text(&b, text, len - newline);
	if (newline)
		strbuf_add(&b, "\n", 1);
	fwrite(b.p, 1, b.len, f);
	free(b.p);
	free(text);
}
