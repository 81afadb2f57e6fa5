/*
 * Digests. SHA-256 for artifacts and policies (what auditors and other tools
 * recompute) comes from OpenSSL's libcrypto, which uses the CPU's SHA
 * instructions: on the benchmark machine it hashes a 118 MB SARIF log in
 * 0.08 s against 0.36 s for libsodium's portable code, a sixth of the whole
 * ingest. BLAKE2b-128 for compact finding fingerprints comes from libsodium.
 */
#ifndef SG_UTIL_HASH_H
#define SG_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

#define SG_SHA256_BYTES 32
#define SG_FINGERPRINT_BYTES 16

struct sg_sha256 {
	void *ctx; /* EVP_MD_CTX */
	int failed;
};

int sg_crypto_init(void); /* sodium_init; 0 on success */
/* Returns 0, or -1 when out of memory (then update is a no-op and final fails). */
int sg_sha256_init(struct sg_sha256 *h);
void sg_sha256_update(struct sg_sha256 *h, const void *data, size_t len);
/* Writes the digest and frees the state; -1 if any step failed. */
int sg_sha256_final(struct sg_sha256 *h, unsigned char out[SG_SHA256_BYTES]);
/* Frees the state without a digest (on an error path). */
void sg_sha256_abort(struct sg_sha256 *h);
void sg_sha256(const void *data, size_t len, unsigned char out[SG_SHA256_BYTES]);

/* BLAKE2b with a 16-byte output: finding fingerprints (stored as 16-byte BLOBs,
 * see DESIGN.md "Finding identity"). Fields are length-prefixed so that
 * ("ab","c") and ("a","bc") differ. */
struct sg_fphash {
	unsigned char state[384] __attribute__((aligned(64))); /* crypto_generichash_state */
};
void sg_fphash_init(struct sg_fphash *h);
void sg_fphash_field(struct sg_fphash *h, const void *data, size_t len);
/* Raw bytes, no length prefix: consecutive calls hash as their concatenation. */
void sg_fphash_bytes(struct sg_fphash *h, const void *data, size_t len);
void sg_fphash_final(struct sg_fphash *h, unsigned char out[SG_FINGERPRINT_BYTES]);

/*
 * BLAKE2b-256 over typed values: the digests of the audit ledger (its chain
 * and the state of each object it vouches for). Each value is a tag byte,
 * then for an integer 8 bytes big-endian, for text or bytes an 8-byte
 * big-endian length and the bytes; NULL is the tag alone. So no two
 * sequences of values share an encoding, and every store backend computes
 * the same digest from the same values (docs/audit.md).
 */
#define SG_DIGEST_BYTES 32
struct sg_rhash {
	unsigned char state[384] __attribute__((aligned(64))); /* crypto_generichash_state */
};
void sg_rhash_init(struct sg_rhash *h);
void sg_rhash_int(struct sg_rhash *h, long long v);
void sg_rhash_text(struct sg_rhash *h, const char *s); /* NULL hashes as NULL */
/* Text of len bytes, which may hold NUL bytes: all of them are hashed. */
void sg_rhash_text_n(struct sg_rhash *h, const char *s, size_t len);
void sg_rhash_blob(struct sg_rhash *h, const void *data, size_t len);
void sg_rhash_null(struct sg_rhash *h);
void sg_rhash_final(struct sg_rhash *h, unsigned char out[SG_DIGEST_BYTES]);

/* Lower-case hex of len bytes into out (2*len+1 bytes). */
void sg_hex(const unsigned char *bytes, size_t len, char *out);
/* The value of one hex digit, or -1. */
int sg_hex_value(char c);
/* Parse exactly 2*len hex digits; 0 on success. */
int sg_unhex(const char *hex, unsigned char *out, size_t len);

#endif
