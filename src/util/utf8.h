/* UTF-8 helpers for cutting and checking text (RFC 3629). */
#ifndef SG_UTIL_UTF8_H
#define SG_UTIL_UTF8_H

#include <stddef.h>

/* The longest prefix of s[0..len) of at most max bytes that does not end
 * inside a multi-byte character. */
size_t sg_utf8_cut(const char *s, size_t len, size_t max);

/* Length (1 to 4) of the well-formed UTF-8 character at s, or 0 if the bytes
 * there are not one (a stray continuation byte, an overlong form, a
 * surrogate, a code point above U+10FFFF, or a truncated sequence). */
size_t sg_utf8_char_length(const unsigned char *s, size_t len);

#endif
