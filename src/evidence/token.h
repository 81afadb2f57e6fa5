/*
 * The text of an API token (docs/api.md "Tokens and roles"): "sgt_" and the
 * base64url, without padding, of SG_TOKEN_RANDOM_BYTES random bytes. The
 * store keeps only the SHA-256 of the whole text, so a copy of the store
 * holds nothing a request can present; the first characters ("sgt_" + 8)
 * are kept too, to tell tokens apart in `token list`.
 *
 * The prefix names the secret's kind, as GitHub's "ghp_" does, so that
 * secret scanners and people recognise a leaked one.
 */
#ifndef SG_EVIDENCE_TOKEN_H
#define SG_EVIDENCE_TOKEN_H

#include "util/hash.h"
#include "util/limits.h"

#define SG_TOKEN_MARK "sgt_"
#define SG_TOKEN_MARK_LEN 4
/* base64 without padding: 4 characters per 3 bytes, and 2 or 3 for the rest */
#define SG_TOKEN_B64_LEN ((SG_TOKEN_RANDOM_BYTES / 3) * 4 + \
			  (SG_TOKEN_RANDOM_BYTES % 3 ? SG_TOKEN_RANDOM_BYTES % 3 + 1 : 0))
#define SG_TOKEN_TEXT_LEN (SG_TOKEN_MARK_LEN + SG_TOKEN_B64_LEN)
/* What `token list` shows of a token: the mark and 8 characters (48 of
 * its 256 random bits: enough to tell tokens apart, far too few to guess
 * the rest). */
#define SG_TOKEN_SHOWN_LEN (SG_TOKEN_MARK_LEN + 8)
#define SG_TOKEN_SHOWN_BYTES 16

/* A new token from the system's random source. */
void sg_token_generate(char text[SG_TOKEN_TEXT_BYTES]);
/* 0 when text has exactly the shape of a token (the mark, then base64url
 * of exactly SG_TOKEN_RANDOM_BYTES in its one canonical spelling, nothing
 * more), -1 otherwise. Reads at most SG_TOKEN_TEXT_BYTES bytes of text. */
int sg_token_check(const char *text);
/* The shown prefix of a well-shaped token. */
void sg_token_prefix(const char *text, char out[SG_TOKEN_SHOWN_BYTES]);
/* The SHA-256 of the text, as stored; -1 when libcrypto fails. */
int sg_token_hash(const char *text, unsigned char out[SG_SHA256_BYTES]);
/* 1 when the two hashes are equal, compared in constant time. */
int sg_token_hash_equal(const unsigned char a[SG_SHA256_BYTES], const unsigned char b[SG_SHA256_BYTES]);
/* Overwrite a token's text (a buffer of SG_TOKEN_TEXT_BYTES). */
void sg_token_wipe(char text[SG_TOKEN_TEXT_BYTES]);

#endif
