#include "util/hash.h"

#include <openssl/evp.h>
#include <sodium.h>
#include <string.h>


_Static_assert(sizeof(crypto_generichash_state) <= sizeof(((struct sg_fphash *)0)->state),
	       "blake2b state does not fit");

void sg_fphash_init(struct sg_fphash *h)
{
	crypto_generichash_init((crypto_generichash_state *)(void *)h->state, NULL, 0,
				SG_FINGERPRINT_BYTES);
}

void sg_fphash_field(struct sg_fphash *h, const void *data, size_t len)
{
	unsigned char prefix[8];
	uint64_t n = len;
	int i;

	for (i = 0; i < 8; i++)
		prefix[i] = (unsigned char)(n >> (8 * i));
	crypto_generichash_update((crypto_generichash_state *)(void *)h->state, prefix, 8);
	if (len)
		crypto_generichash_update((crypto_generichash_state *)(void *)h->state, data, len);
}

void sg_fphash_bytes(struct sg_fphash *h, const void *data, size_t len)
{
	if (len)
		crypto_generichash_update((crypto_generichash_state *)(void *)h->state, data, len);
}

void sg_fphash_final(struct sg_fphash *h, unsigned char out[SG_FINGERPRINT_BYTES])
{
	crypto_generichash_final((crypto_generichash_state *)(void *)h->state, out,
				 SG_FINGERPRINT_BYTES);
}

static void rhash_tagged(struct sg_rhash *h, char tag, uint64_t n)
{
	unsigned char head[9];
	int i;

	head[0] = (unsigned char)tag;
	for (i = 0; i < 8; i++)
		head[1 + i] = (unsigned char)(n >> (8 * (7 - i)));
	crypto_generichash_update((crypto_generichash_state *)(void *)h->state, head, sizeof(head));
}

void sg_rhash_init(struct sg_rhash *h)
{
	crypto_generichash_init((crypto_generichash_state *)(void *)h->state, NULL, 0, SG_DIGEST_BYTES);
}

void sg_rhash_int(struct sg_rhash *h, long long v)
{
	rhash_tagged(h, 'i', (uint64_t)v);
}

void sg_rhash_text(struct sg_rhash *h, const char *s)
{
	size_t len;

	if (!s) {
		sg_rhash_null(h);
		return;
	}
	len = strlen(s);
	rhash_tagged(h, 't', len);
	if (len)
		crypto_generichash_update((crypto_generichash_state *)(void *)h->state,
					  (const unsigned char *)s, len);
}

void sg_rhash_text_n(struct sg_rhash *h, const char *s, size_t len)
{
	rhash_tagged(h, 't', len);
	if (len)
		crypto_generichash_update((crypto_generichash_state *)(void *)h->state, (const unsigned char *)s,
					  len);
}

void sg_rhash_blob(struct sg_rhash *h, const void *data, size_t len)
{
	rhash_tagged(h, 'b', len);
	if (len)
		crypto_generichash_update((crypto_generichash_state *)(void *)h->state, data, len);
}

void sg_rhash_null(struct sg_rhash *h)
{
	unsigned char tag = 'n';

	crypto_generichash_update((crypto_generichash_state *)(void *)h->state, &tag, 1);
}

void sg_rhash_final(struct sg_rhash *h, unsigned char out[SG_DIGEST_BYTES])
{
	crypto_generichash_final((crypto_generichash_state *)(void *)h->state, out, SG_DIGEST_BYTES);
}

int sg_crypto_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

int sg_sha256_init(struct sg_sha256 *h)
{
	h->failed = 0;
	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1) {
		h->failed = 1;
		return -1;
	}
	return 0;
}

void sg_sha256_update(struct sg_sha256 *h, const void *data, size_t len)
{
	if (!h->failed && EVP_DigestUpdate(h->ctx, data, len) != 1)
		h->failed = 1;
}

int sg_sha256_final(struct sg_sha256 *h, unsigned char out[SG_SHA256_BYTES])
{
	unsigned int len = 0;
	int rc = -1;

	if (!h->failed && EVP_DigestFinal_ex(h->ctx, out, &len) == 1 && len == SG_SHA256_BYTES)
		rc = 0;
	sg_sha256_abort(h);
	return rc;
}

void sg_sha256_abort(struct sg_sha256 *h)
{
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
}

void sg_sha256(const void *data, size_t len, unsigned char out[SG_SHA256_BYTES])
{
	unsigned int n = 0;

	if (EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) != 1 || n != SG_SHA256_BYTES)
		memset(out, 0, SG_SHA256_BYTES); /* only on allocation failure inside libcrypto */
}

void sg_hex(const unsigned char *bytes, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 15];
	}
	out[2 * len] = '\0';
}

int sg_hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int sg_unhex(const char *hex, unsigned char *out, size_t len)
{
	size_t i;

	if (strlen(hex) != 2 * len)
		return -1;
	for (i = 0; i < len; i++) {
		int hi = sg_hex_value(hex[2 * i]), lo = sg_hex_value(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}
