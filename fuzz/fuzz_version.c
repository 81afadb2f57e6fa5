/* Fuzz target: every version order (sca/version_*.c). Input "a\nb": both
 * are compared under each order; a total order must be antisymmetric. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sca/version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sg_error err;
	char *a, *b;
	int order, ab, ba;

	a = malloc(size + 1);
	if (!a)
		return 0;
	memcpy(a, data, size);
	a[size] = '\0';
	b = strchr(a, '\n');
	if (b)
		*b++ = '\0';
	else
		b = a;
	for (order = 1; order < SG_VORDER_COUNT; order++) {
		/* A string the order reads compares with itself as equal. */
		if (sg_version_check((enum sg_vorder)order, a, &err) == 0 &&
		    (sg_version_compare((enum sg_vorder)order, a, a, &ab, &err) != 0 || ab != 0))
			abort();
		if (sg_version_compare((enum sg_vorder)order, a, b, &ab, &err) != 0)
			continue;
		if (sg_version_compare((enum sg_vorder)order, b, a, &ba, &err) != 0)
			abort(); /* a pair that compares one way compares the other */
		if ((ab < 0) != (ba > 0) || (ab == 0) != (ba == 0))
			abort();
	}
	free(a);
	return 0;
}
