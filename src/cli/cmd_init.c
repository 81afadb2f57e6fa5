#include <stdio.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "store/store.h"

int sg_cmd_init(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	const struct sg_opt opts[] = {{NULL, NULL, NULL}};
	struct sg_init_report report;
	struct sg_args args;
	int rc;

	if ((rc = sg_args_parse(argc, argv, opts, &args, err)) ||
	    (rc = sg_args_count(&args, 0, 0, "shipgate init", err)))
		return rc;
	rc = sg_app_init_store(app, NULL, &report, err);
	if (rc)
		return rc;
	/* The store's name, not the URL as given: it may hold a password. */
	printf("store ready: %s\n", app->store ? sg_store_name(app->store) : "(closed)");
	if (report.wrote_policy)
		printf("wrote %s: the built-in policy, commented; edit it to change the policy\n",
		       report.policy_path);
	else
		printf("kept the existing %s\n", report.policy_path);
	return 0;
}
