#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"

int sg_cmd_release(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	const char *commit = NULL, *digest = NULL;
	const struct sg_opt opts[] = {
		{"commit", &commit, NULL},
		{"build-digest", &digest, NULL},
		{NULL, NULL, NULL},
	};
	static const char usage[] = "shipgate release create PRODUCT VERSION --commit SHA [--build-digest D]";
	struct sg_args args;
	long long id;
	int rc;

	if (argc < 1 || strcmp(argv[0], "create") != 0)
		return sg_error_set(err, SG_DIAG_USAGE, "usage: %s", usage);
	if ((rc = sg_args_parse(argc - 1, argv + 1, opts, &args, err)) ||
	    (rc = sg_args_count(&args, 2, 2, usage, err)) || (rc = sg_args_require(commit, "commit", err)))
		return rc;
	rc = sg_app_release_create(app, args.positional[0], args.positional[1], commit, digest, &id, err);
	if (rc)
		return rc;
	printf("release %s %s created (commit %s)\n", args.positional[0], args.positional[1], commit);
	return 0;
}
