/*
 * Ed25519 keys and signatures (libsodium), and the files that carry them.
 * A private key never leaves its file but to sign in this process; the
 * store keeps only public keys, so anything holding the store (a server)
 * can verify and never sign.
 *
 * Files are text (docs/exceptions.md):
 *   shipgate ed25519 secret key | public key | signature
 *   key-id: 16 hex digits: the first 8 bytes of sg_rhash (BLAKE2b-256, typed
 *           values) over the text "shipgate key id v1" and the public key
 *   secret: | public: | signature: base64 of the key or signature bytes
 * They are read defensively: a regular file of at most 4 KiB, opened
 * without following a symbolic link; a private key readable by others is
 * refused, as ssh does.
 */
#ifndef SG_EVIDENCE_KEYS_H
#define SG_EVIDENCE_KEYS_H

#include <stddef.h>

#include "core/exception.h"
#include "util/error.h"
#include "util/limits.h"

#define SG_KEY_ID_TEXT 17 /* 16 hex digits + NUL */
#define SG_SECRET_KEY_BYTES 64

struct sg_public_key {
	char key_id[SG_KEY_ID_TEXT];
	unsigned char key[SG_PUBLIC_KEY_BYTES];
};

struct sg_secret_key {
	char key_id[SG_KEY_ID_TEXT];
	unsigned char key[SG_SECRET_KEY_BYTES]; /* wipe with sg_secret_key_wipe() */
};

struct sg_signature {
	char key_id[SG_KEY_ID_TEXT];
	unsigned char sig[SG_SIGNATURE_BYTES];
};

void sg_key_id(const unsigned char key[SG_PUBLIC_KEY_BYTES], char out[SG_KEY_ID_TEXT]);

/* Write a new pair: path (0600) and path.pub (0644). Neither may exist yet. */
int sg_key_generate(const char *path, struct sg_public_key *out, struct sg_error *err) SG_MUST_USE;
int sg_public_key_read(const char *path, struct sg_public_key *out, struct sg_error *err) SG_MUST_USE;
int sg_secret_key_read(const char *path, struct sg_secret_key *out, struct sg_error *err) SG_MUST_USE;
void sg_secret_key_wipe(struct sg_secret_key *key);

/* Parse the text of a file (the readers' second half; also for the fuzzer). */
int sg_public_key_parse(const char *text, size_t len, struct sg_public_key *out,
			struct sg_error *err) SG_MUST_USE;
int sg_secret_key_parse(const char *text, size_t len, struct sg_secret_key *out,
			struct sg_error *err) SG_MUST_USE;
int sg_signature_parse(const char *text, size_t len, struct sg_signature *out,
		       struct sg_error *err) SG_MUST_USE;

int sg_signature_read(const char *path, struct sg_signature *out, struct sg_error *err) SG_MUST_USE;
/* The signature file's text (NUL-terminated) into out. */
#define SG_SIGNATURE_TEXT_BYTES 200
void sg_signature_format(const struct sg_signature *sig, char out[SG_SIGNATURE_TEXT_BYTES]);

/* A signature as base64 (as in a signature file), for JSON output. */
#define SG_SIGNATURE_B64_BYTES 89
void sg_signature_b64(const unsigned char sig[SG_SIGNATURE_BYTES], char out[SG_SIGNATURE_B64_BYTES]);

void sg_sign(const struct sg_secret_key *key, const void *msg, size_t len, struct sg_signature *out);
/* 0 when sig is a valid signature of msg by key. */
int sg_verify(const unsigned char key[SG_PUBLIC_KEY_BYTES], const void *msg, size_t len,
	      const unsigned char sig[SG_SIGNATURE_BYTES]);

/* Does the exception's stored approval verify against its approver's
 * registered key? 0 if so; otherwise -1 and why in `why`. */
int sg_exception_verify(const struct sg_exception *e, char *why, size_t why_size);

#endif
