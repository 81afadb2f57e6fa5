#include "cli/safe_text.h"

#include <string.h>

#include "util/utf8.h"

size_t sg_put_utf8_char(FILE *out, const char *s, size_t len)
{
	size_t n = sg_utf8_char_length((const unsigned char *)s, len);

	if (n == 0) {
		fputs("\xEF\xBF\xBD", out); /* U+FFFD */
		return 1;
	}
	fwrite(s, 1, n, out);
	return n;
}

void sg_put_safe_n(FILE *out, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len, i = 0;

	if (!s)
		return;
	len = sg_utf8_cut(s, strlen(s), max);
	while (i < len) {
		if (p[i] < 0x20 || p[i] == 0x7f) {
			fputc('?', out);
			i++;
		} else if (p[i] < 0x80) {
			fputc(p[i], out);
			i++;
		} else {
			i += sg_put_utf8_char(out, s + i, len - i);
		}
	}
}

void sg_put_safe(FILE *out, const char *s)
{
	sg_put_safe_n(out, s, (size_t)-1);
}
