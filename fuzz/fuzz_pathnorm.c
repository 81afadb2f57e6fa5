/* Fuzz target: artifact URI normalisation (core/pathnorm.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/pathnorm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *uri, *base = NULL, out[512];
	const char *sep;

	uri = malloc(size + 1);
	if (!uri)
		return 0;
	memcpy(uri, data, size);
	uri[size] = '\0';
	/* "uri\nbase": a second line, if any, is the uriBaseId's value. */
	sep = memchr(uri, '\n', size);
	if (sep) {
		uri[sep - uri] = '\0';
		base = uri + (sep - uri) + 1;
	}
	if (sg_path_normalize(uri, base, "/src/root", out, sizeof(out)) == 0)
		(void)sg_path_is_contained(out);
	free(uri);
	return 0;
}
