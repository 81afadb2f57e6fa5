#include "util/hash.h"

#include <sodium.h>
#include <string.h>

_Static_assert(sizeof(crypto_hash_sha256_state) <= sizeof(((struct sg_sha256 *)0)->state),
	       "sha256 state does not fit");

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

void sg_fphash_final(struct sg_fphash *h, unsigned char out[SG_FINGERPRINT_BYTES])
{
	crypto_generichash_final((crypto_generichash_state *)(void *)h->state, out,
				 SG_FINGERPRINT_BYTES);
}

int sg_crypto_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

void sg_sha256_init(struct sg_sha256 *h)
{
	crypto_hash_sha256_init((crypto_hash_sha256_state *)(void *)h->state);
}

void sg_sha256_update(struct sg_sha256 *h, const void *data, size_t len)
{
	crypto_hash_sha256_update((crypto_hash_sha256_state *)(void *)h->state, data, len);
}

void sg_sha256_final(struct sg_sha256 *h, unsigned char out[SG_SHA256_BYTES])
{
	crypto_hash_sha256_final((crypto_hash_sha256_state *)(void *)h->state, out);
}

void sg_sha256(const void *data, size_t len, unsigned char out[SG_SHA256_BYTES])
{
	crypto_hash_sha256(out, data, len);
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

static int hexval(char c)
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
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}
