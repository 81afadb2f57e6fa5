#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

int sg_exit_status(int code)
{
	switch (code) {
	case SG_OK:
		return 0;
	case SG_EPOLICY:
		return 1;
	case SG_EUSAGE:
	case SG_EINPUT:
	case SG_ENOTFOUND:
	case SG_ECONFLICT:
	case SG_EIO:
		return 2;
	case SG_ESTORE:
	case SG_EINTERNAL:
	case SG_ENOMEM:
	default:
		return 3;
	}
}

int sg_pick_format(const char *value, const char *const *allowed, struct sg_error *err)
{
	int i;
	char list[200] = "";
	size_t used = 0;

	if (!value)
		return 0;
	for (i = 0; allowed[i]; i++) {
		int n;
		if (strcmp(value, allowed[i]) == 0)
			return i;
		n = snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", allowed[i]);
		if (n > 0 && (size_t)n < sizeof(list) - used)
			used += (size_t)n;
	}
	sg_error_set(err, SG_DIAG_BAD_VALUE, "--format must be one of %s, not \"%.40s\"", list, value);
	return -1;
}
