/* Fuzz target: key and signature files (evidence/keys.c). The whole input
 * goes to each of the three parsers, so one seed serves all. */
#include <stdint.h>

#include "evidence/keys.h"
#include "util/hash.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int initialised;
	struct sg_public_key pub;
	struct sg_secret_key secret;
	struct sg_signature sig;
	struct sg_error err;

	if (!initialised) {
		sg_crypto_init();
		initialised = 1;
	}
	if (size > SG_KEY_FILE_MAX_BYTES)
		return 0; /* the readers refuse larger files before parsing */
	sg_error_clear(&err);
	if (sg_public_key_parse((const char *)data, size, &pub, &err) == 0)
		sg_error_clear(&err);
	sg_error_clear(&err);
	if (sg_secret_key_parse((const char *)data, size, &secret, &err) == 0)
		sg_secret_key_wipe(&secret);
	sg_error_clear(&err);
	if (sg_signature_parse((const char *)data, size, &sig, &err) == 0)
		sg_error_clear(&err);
	return 0;
}
