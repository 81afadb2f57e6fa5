/*
 * evidence/token: the text of an API token ("sgt_" + base64url without
 * padding of 32 random bytes), the shape check every bearer token passes
 * before it is hashed and looked up, and the SHA-256 the store keeps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "evidence/token.h"
#include "util/hash.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static int setup(void **state)
{
	(void)state;
	return sg_crypto_init();
}

static int b64_value(char c)
{
	const char *at = strchr(alphabet, c);

	return c && at ? (int)(at - alphabet) : -1;
}

static void test_generate_shape(void **state)
{
	char a[SG_TOKEN_TEXT_BYTES], b[SG_TOKEN_TEXT_BYTES];
	size_t i;

	(void)state;
	assert_int_equal(SG_TOKEN_TEXT_LEN, 47); /* "sgt_" + 43 */
	memset(a, 0x5a, sizeof(a));
	sg_token_generate(a);
	assert_int_equal(strlen(a), SG_TOKEN_TEXT_LEN);
	assert_memory_equal(a, "sgt_", 4);
	for (i = 4; i < SG_TOKEN_TEXT_LEN; i++)
		assert_true(b64_value(a[i]) >= 0);
	/* 32 bytes are 256 bits; 43 characters carry 258: the last one's two
	 * low bits are zero. */
	assert_int_equal(b64_value(a[SG_TOKEN_TEXT_LEN - 1]) & 3, 0);
	assert_int_equal(sg_token_check(a), 0);
	sg_token_generate(b);
	assert_int_equal(sg_token_check(b), 0);
	assert_string_not_equal(a, b);
}

/* Many tokens: every one passes its own check, none repeats a prefix in a
 * small sample (48 random bits each). */
static void test_generate_many(void **state)
{
	char t[SG_TOKEN_TEXT_BYTES], prefixes[64][SG_TOKEN_SHOWN_BYTES];
	int i, j;

	(void)state;
	for (i = 0; i < 64; i++) {
		sg_token_generate(t);
		assert_int_equal(sg_token_check(t), 0);
		sg_token_prefix(t, prefixes[i]);
		for (j = 0; j < i; j++)
			assert_string_not_equal(prefixes[i], prefixes[j]);
	}
}

static void test_prefix(void **state)
{
	char out[SG_TOKEN_SHOWN_BYTES];

	(void)state;
	sg_token_prefix("sgt_abcdefghIJKLMNOPQRSTUVWXYZ0123456789-_abcdefgh", out);
	assert_string_equal(out, "sgt_abcdefgh");
	assert_int_equal(strlen(out), SG_TOKEN_SHOWN_LEN);
}

/* Each variant of a good token: one character changed, added or removed. */
static void test_check_refuses(void **state)
{
	char good[SG_TOKEN_TEXT_BYTES], t[SG_TOKEN_TEXT_BYTES + 8];
	static const char bad_chars[] = "+/= .\n\t\"%\x7f";
	size_t i;
	int last;

	(void)state;
	sg_token_generate(good);
	assert_int_equal(sg_token_check(good), 0);

	assert_int_equal(sg_token_check(NULL), -1);
	assert_int_equal(sg_token_check(""), -1);
	assert_int_equal(sg_token_check("sgt_"), -1);
	assert_int_equal(sg_token_check("Bearer"), -1);

	/* The mark: exact, case included. */
	snprintf(t, sizeof(t), "%s", good);
	t[0] = 'S';
	assert_int_equal(sg_token_check(t), -1);
	snprintf(t, sizeof(t), "%s", good);
	t[3] = '-';
	assert_int_equal(sg_token_check(t), -1);
	snprintf(t, sizeof(t), "ghp_%s", good + 4);
	assert_int_equal(sg_token_check(t), -1);

	/* One character short, one too many, padding, a line break. */
	snprintf(t, sizeof(t), "%.*s", SG_TOKEN_TEXT_LEN - 1, good);
	assert_int_equal(sg_token_check(t), -1);
	snprintf(t, sizeof(t), "%sA", good);
	assert_int_equal(sg_token_check(t), -1);
	snprintf(t, sizeof(t), "%s=", good);
	assert_int_equal(sg_token_check(t), -1);
	snprintf(t, sizeof(t), "%s\n", good);
	assert_int_equal(sg_token_check(t), -1);
	snprintf(t, sizeof(t), " %.*s", SG_TOKEN_TEXT_LEN - 1, good);
	assert_int_equal(sg_token_check(t), -1);

	/* A character outside base64url, at the start, the middle, the end. */
	for (i = 0; bad_chars[i]; i++) {
		size_t at[3] = {4, 20, SG_TOKEN_TEXT_LEN - 1};
		size_t k;
		for (k = 0; k < 3; k++) {
			snprintf(t, sizeof(t), "%s", good);
			t[at[k]] = bad_chars[i];
			assert_int_equal(sg_token_check(t), -1);
		}
	}
	/* Standard base64's alphabet is not base64url's. */
	snprintf(t, sizeof(t), "%s", good);
	t[10] = '+';
	assert_int_equal(sg_token_check(t), -1);

	/* A last character with unused bits set decodes to the same bytes: a
	 * second spelling of one token, refused. */
	last = b64_value(good[SG_TOKEN_TEXT_LEN - 1]);
	for (i = 1; i < 4; i++) {
		snprintf(t, sizeof(t), "%s", good);
		t[SG_TOKEN_TEXT_LEN - 1] = alphabet[last | (int)i];
		assert_int_equal(sg_token_check(t), -1);
	}

	/* A NUL inside ends the text: it is then short. */
	snprintf(t, sizeof(t), "%s", good);
	t[30] = '\0';
	assert_int_equal(sg_token_check(t), -1);
}

/* Every text of the right shape passes, whatever its characters. */
static void test_check_accepts_alphabet(void **state)
{
	char t[SG_TOKEN_TEXT_BYTES];
	size_t i, j;

	(void)state;
	for (j = 0; j < 64; j += 2) {
		memcpy(t, "sgt_", 4);
		for (i = 4; i < SG_TOKEN_TEXT_LEN - 1; i++)
			t[i] = alphabet[(i + j) % 64];
		t[SG_TOKEN_TEXT_LEN - 1] = alphabet[(j * 4) % 64]; /* low bits clear */
		t[SG_TOKEN_TEXT_LEN] = '\0';
		assert_int_equal(sg_token_check(t), 0);
	}
}

/* Only the first SG_TOKEN_TEXT_BYTES are read: a long text is refused
 * without being measured whole. */
static void test_check_long_text(void **state)
{
	static char big[1 << 16];

	(void)state;
	memset(big, 'A', sizeof(big) - 1);
	memcpy(big, "sgt_", 4);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(sg_token_check(big), -1);
}

/* The stored hash is the SHA-256 of the whole text (FIPS 180-2 "abc"). */
static void test_hash(void **state)
{
	static const char abc[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
	unsigned char h[SG_SHA256_BYTES], h2[SG_SHA256_BYTES];
	char hex[2 * SG_SHA256_BYTES + 1], t[SG_TOKEN_TEXT_BYTES];

	(void)state;
	assert_int_equal(sg_token_hash("abc", h), 0);
	sg_hex(h, sizeof(h), hex);
	assert_string_equal(hex, abc);

	sg_token_generate(t);
	assert_int_equal(sg_token_hash(t, h), 0);
	sg_sha256(t, strlen(t), h2);
	assert_memory_equal(h, h2, SG_SHA256_BYTES);
	assert_int_equal(sg_token_hash_equal(h, h2), 1);
	h2[31] ^= 1;
	assert_int_equal(sg_token_hash_equal(h, h2), 0);
	h2[31] ^= 1;
	h2[0] ^= 0x80;
	assert_int_equal(sg_token_hash_equal(h, h2), 0);
}

static void test_wipe(void **state)
{
	char t[SG_TOKEN_TEXT_BYTES], zero[SG_TOKEN_TEXT_BYTES];

	(void)state;
	sg_token_generate(t);
	sg_token_wipe(t);
	memset(zero, 0, sizeof(zero));
	assert_memory_equal(t, zero, sizeof(zero));
	assert_int_equal(sg_token_check(t), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generate_shape),
		cmocka_unit_test(test_generate_many),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_check_refuses),
		cmocka_unit_test(test_check_accepts_alphabet),
		cmocka_unit_test(test_check_long_text),
		cmocka_unit_test(test_hash),
		cmocka_unit_test(test_wipe),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
