#include "cli/args.h"

#include <string.h>

static const struct sg_opt *find(const struct sg_opt *opts, const char *name, size_t len)
{
	for (; opts && opts->name; opts++)
		if (strlen(opts->name) == len && strncmp(opts->name, name, len) == 0)
			return opts;
	return NULL;
}

int sg_args_parse(int argc, char **argv, const struct sg_opt *opts, struct sg_args *out,
		  struct sg_error *err)
{
	int i, only_positional = 0;

	out->n_positional = 0;
	for (i = 0; i < argc; i++) {
		const char *arg = argv[i];
		const struct sg_opt *o;
		const char *eq;
		size_t len;

		if (only_positional || arg[0] != '-' || strcmp(arg, "-") == 0) {
			if (out->n_positional >= SG_MAX_POSITIONAL)
				return sg_error_set(err, SG_DIAG_USAGE, "too many arguments");
			out->positional[out->n_positional++] = arg;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_positional = 1;
			continue;
		}
		if (arg[1] != '-')
			return sg_error_set(err, SG_DIAG_USAGE, "unknown option \"%s\" (options are --long)", arg);
		eq = strchr(arg + 2, '=');
		len = eq ? (size_t)(eq - (arg + 2)) : strlen(arg + 2);
		o = find(opts, arg + 2, len);
		if (!o)
			return sg_error_set(err, SG_DIAG_USAGE, "unknown option \"--%.*s\"", (int)len, arg + 2);
		if (o->flag) {
			if (eq)
				return sg_error_set(err, SG_DIAG_USAGE, "option --%s takes no value", o->name);
			*o->flag = 1;
			continue;
		}
		if (eq) {
			*o->value = eq + 1;
		} else {
			if (i + 1 >= argc)
				return sg_error_set(err, SG_DIAG_USAGE, "option --%s needs a value", o->name);
			*o->value = argv[++i];
		}
	}
	return 0;
}

int sg_args_require(const char *value, const char *name, struct sg_error *err)
{
	if (!value)
		return sg_error_set(err, SG_DIAG_USAGE, "--%s is required", name);
	return 0;
}

int sg_args_count(const struct sg_args *a, size_t min, size_t max, const char *usage,
		  struct sg_error *err)
{
	if (a->n_positional < min || a->n_positional > max)
		return sg_error_set(err, SG_DIAG_USAGE, "usage: %s", usage);
	return 0;
}
