#include "cli/safe_text.h"

#include <string.h>

#include "util/utf8.h"

void sg_put_safe_n(FILE *out, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len, i = 0, n;

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
		} else if ((n = sg_utf8_char_length(p + i, len - i)) > 0) {
			fwrite(p + i, 1, n, out);
			i += n;
		} else {
			fputs("\xEF\xBF\xBD", out); /* U+FFFD */
			i++;
		}
	}
}

void sg_put_safe(FILE *out, const char *s)
{
	sg_put_safe_n(out, s, (size_t)-1);
}
