/* Fuzz target: package URLs (sca/purl.c): parse, build both ways, map to OSV. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sca/purl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, out[SG_PURL_MAX_BYTES], again[SG_PURL_MAX_BYTES], eco[128], name[SG_PURL_MAX_BYTES];
	struct sg_purl p, q;
	struct sg_error err;

	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&p, 0, sizeof(p));
	if (sg_purl_parse(text, &p, &err) == 0) {
		/* Either answer is fine; a crash or a sanitizer report is not. */
		if (sg_purl_osv_package(&p, eco, sizeof(eco), name, sizeof(name), &err) != 0)
			eco[0] = '\0';
		if (sg_purl_build(&p, SG_PURL_NO_VERSION | SG_PURL_NO_QUALIFIERS, out, sizeof(out), &err) != 0)
			out[0] = '\0';
		/* What builds must parse again to the same canonical text. */
		if (sg_purl_build(&p, 0, out, sizeof(out), &err) == 0) {
			memset(&q, 0, sizeof(q));
			if (sg_purl_parse(out, &q, &err) != 0)
				abort();
			if (sg_purl_build(&q, 0, again, sizeof(again), &err) != 0 || strcmp(out, again) != 0)
				abort();
			sg_purl_free(&q);
		}
	}
	sg_purl_free(&p);
	free(text);
	return 0;
}
