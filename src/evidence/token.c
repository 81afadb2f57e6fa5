#include "evidence/token.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define VARIANT sodium_base64_VARIANT_URLSAFE_NO_PADDING

_Static_assert(SG_TOKEN_TEXT_LEN < SG_TOKEN_TEXT_BYTES, "a token's text and its NUL fit");
_Static_assert(sodium_base64_ENCODED_LEN(SG_TOKEN_RANDOM_BYTES, VARIANT) == SG_TOKEN_B64_LEN + 1,
	       "SG_TOKEN_B64_LEN is libsodium's encoded length");
_Static_assert(SG_TOKEN_SHOWN_LEN < SG_TOKEN_SHOWN_BYTES, "the shown prefix and its NUL fit");

void sg_token_generate(char text[SG_TOKEN_TEXT_BYTES])
{
	unsigned char bytes[SG_TOKEN_RANDOM_BYTES];

	randombytes_buf(bytes, sizeof(bytes));
	memcpy(text, SG_TOKEN_MARK, SG_TOKEN_MARK_LEN);
	sodium_bin2base64(text + SG_TOKEN_MARK_LEN, SG_TOKEN_TEXT_BYTES - SG_TOKEN_MARK_LEN, bytes, sizeof(bytes),
			  VARIANT);
	sodium_memzero(bytes, sizeof(bytes));
}

int sg_token_check(const char *text)
{
	unsigned char bytes[SG_TOKEN_RANDOM_BYTES];
	const char *end = NULL;
	size_t n = 0;
	int rc;

	if (!text || strnlen(text, SG_TOKEN_TEXT_BYTES) != SG_TOKEN_TEXT_LEN ||
	    memcmp(text, SG_TOKEN_MARK, SG_TOKEN_MARK_LEN) != 0)
		return -1;
	/* libsodium stops at the first character outside the alphabet (b64_end
	 * says where) and refuses a last character whose unused bits are set,
	 * so each token has exactly one spelling. */
	rc = sodium_base642bin(bytes, sizeof(bytes), text + SG_TOKEN_MARK_LEN, SG_TOKEN_B64_LEN, NULL, &n, &end,
			       VARIANT);
	sodium_memzero(bytes, sizeof(bytes));
	if (rc != 0 || n != SG_TOKEN_RANDOM_BYTES || end != text + SG_TOKEN_TEXT_LEN)
		return -1;
	return 0;
}

void sg_token_prefix(const char *text, char out[SG_TOKEN_SHOWN_BYTES])
{
	snprintf(out, SG_TOKEN_SHOWN_BYTES, "%.*s", SG_TOKEN_SHOWN_LEN, text);
}

int sg_token_hash(const char *text, unsigned char out[SG_SHA256_BYTES])
{
	struct sg_sha256 h;

	if (sg_sha256_init(&h) != 0)
		return -1;
	sg_sha256_update(&h, text, strlen(text));
	return sg_sha256_final(&h, out);
}

int sg_token_hash_equal(const unsigned char a[SG_SHA256_BYTES], const unsigned char b[SG_SHA256_BYTES])
{
	return sodium_memcmp(a, b, SG_SHA256_BYTES) == 0;
}

void sg_token_wipe(char text[SG_TOKEN_TEXT_BYTES])
{
	sodium_memzero(text, SG_TOKEN_TEXT_BYTES);
}
