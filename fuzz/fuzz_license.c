/* Fuzz target: SPDX licence expressions (sca/license.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sca/license.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const deny[] = {"GPL-3.0-only", "AGPL-3.0-only"};
	static const char *const allow[] = {"MIT", "Apache-2.0", "GPL-3.0-only"};
	char *text, out[SG_LICENSE_EXPR_MAX_BYTES], offending[256];
	struct sg_error err;
	int ok;

	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (sg_license_normalize(text, out, sizeof(out), &err) == 0) {
		/* A normalised expression is a fixed point. */
		char again[SG_LICENSE_EXPR_MAX_BYTES];
		if (sg_license_normalize(out, again, sizeof(again), &err) != 0 || strcmp(out, again) != 0)
			abort();
	}
	(void)sg_license_evaluate(text, deny, 2, allow, 3, &ok, offending, sizeof(offending), &err);
	free(text);
	return 0;
}
