/* Fuzz target: CVSS vectors (sca/cvss*.c): a score, when given, is 0.0 to 10.0. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sca/cvss.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sg_error err;
	char *text;
	int score, version;

	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (sg_cvss_base_score(text, &score, &version, &err) == 0 &&
	    (score < 0 || score > 100 || (version != 3 && version != 4)))
		abort();
	free(text);
	return 0;
}
