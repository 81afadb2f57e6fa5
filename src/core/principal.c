#include "core/principal.h"

#include <string.h>

static const char *const role_names[SG_ROLE_COUNT] = {
	[SG_ROLE_VIEWER] = "viewer",
	[SG_ROLE_DEVELOPER] = "developer",
	[SG_ROLE_SECURITY] = "security",
	[SG_ROLE_CTO] = "cto",
	[SG_ROLE_ADMIN] = "admin",
};

const char *sg_role_name(enum sg_role role)
{
	return (unsigned)role < SG_ROLE_COUNT ? role_names[role] : "unknown";
}

int sg_role_parse(const char *name, enum sg_role *out)
{
	int i;

	for (i = 0; i < SG_ROLE_COUNT; i++) {
		if (strcmp(name, role_names[i]) == 0) {
			*out = (enum sg_role)i;
			return 0;
		}
	}
	return -1;
}
