/* Digests through libsodium: SHA-256 for artifacts and policies (what auditors
 * and other tools recompute), BLAKE2b-128 for compact finding fingerprints. */
#ifndef SG_UTIL_HASH_H
#define SG_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

#define SG_SHA256_BYTES 32
#define SG_FINGERPRINT_BYTES 16

struct sg_sha256 {
	unsigned char state[128] __attribute__((aligned(64))); /* crypto_hash_sha256_state */
};

int sg_crypto_init(void); /* sodium_init; 0 on success */
void sg_sha256_init(struct sg_sha256 *h);
void sg_sha256_update(struct sg_sha256 *h, const void *data, size_t len);
void sg_sha256_final(struct sg_sha256 *h, unsigned char out[SG_SHA256_BYTES]);
void sg_sha256(const void *data, size_t len, unsigned char out[SG_SHA256_BYTES]);

/* BLAKE2b with a 16-byte output: finding fingerprints (stored as 16-byte BLOBs,
 * see DESIGN.md "Finding identity"). Fields are length-prefixed so that
 * ("ab","c") and ("a","bc") differ. */
struct sg_fphash {
	unsigned char state[384] __attribute__((aligned(64))); /* crypto_generichash_state */
};
void sg_fphash_init(struct sg_fphash *h);
void sg_fphash_field(struct sg_fphash *h, const void *data, size_t len);
void sg_fphash_final(struct sg_fphash *h, unsigned char out[SG_FINGERPRINT_BYTES]);

/* Lower-case hex of len bytes into out (2*len+1 bytes). */
void sg_hex(const unsigned char *bytes, size_t len, char *out);
/* Parse exactly 2*len hex digits; 0 on success. */
int sg_unhex(const char *hex, unsigned char *out, size_t len);

#endif
