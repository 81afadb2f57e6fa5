/*
 * Command-line options for one verb: a table of --name options (with or
 * without a value; `--name value` or `--name=value`) and positional words.
 * Unknown options and missing values are usage errors (exit 2).
 */
#ifndef SG_CLI_ARGS_H
#define SG_CLI_ARGS_H

#include <stddef.h>

#include "util/error.h"

struct sg_opt {
	const char *name;   /* without the leading "--" */
	const char **value; /* option with a value; NULL for a flag */
	int *flag;          /* flag: set to 1 */
};

#define SG_MAX_POSITIONAL 1000

struct sg_args {
	const char *positional[SG_MAX_POSITIONAL];
	size_t n_positional;
};

int sg_args_parse(int argc, char **argv, const struct sg_opt *opts, struct sg_args *out,
		  struct sg_error *err) SG_MUST_USE;

/* Ensure a required option was given. */
int sg_args_require(const char *value, const char *name, struct sg_error *err) SG_MUST_USE;
int sg_args_count(const struct sg_args *a, size_t min, size_t max, const char *usage,
		  struct sg_error *err) SG_MUST_USE;

#endif
