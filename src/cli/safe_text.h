/*
 * Text from scanned files (rule ids, paths, messages) is untrusted: printed
 * raw, an escape sequence in it would drive the reader's terminal. These
 * write it with control characters shown as '?' and ill-formed UTF-8 as
 * U+FFFD.
 */
#ifndef SG_CLI_SAFE_TEXT_H
#define SG_CLI_SAFE_TEXT_H

#include <stdio.h>

void sg_put_safe(FILE *out, const char *s);
/* Write the character at s (a non-ASCII byte starts it) as it is if it is
 * well-formed UTF-8, else U+FFFD; returns the bytes it used (at least 1). */
size_t sg_put_utf8_char(FILE *out, const char *s, size_t len);
/* At most max bytes of s (cut on a character boundary). */
void sg_put_safe_n(FILE *out, const char *s, size_t max);

#endif
