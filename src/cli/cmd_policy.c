#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "policy/policy_yaml.h"
#include "util/buf.h"

static int show(struct sg_app *app, struct sg_error *err)
{
	const struct sg_policy *policy;
	char sha[2 * SG_SHA256_BYTES + 1];
	struct sg_buf out;
	int rc;

	rc = sg_app_policy(app, &policy, err);
	if (rc)
		return rc;
	sg_hex(policy->sha256, SG_SHA256_BYTES, sha);
	sg_buf_init(&out, 1 << 20);
	if (sg_policy_render_yaml(policy, &out)) {
		sg_buf_release(&out);
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "cannot render the policy");
	}
	printf("# effective policy, from %s\n# sha256 %s\n%s", policy->source, sha, out.data);
	sg_buf_release(&out);
	return 0;
}

static int check(const char *file, struct sg_error *err)
{
	struct sg_policy policy;
	char sha[2 * SG_SHA256_BYTES + 1];
	int rc;

	memset(&policy, 0, sizeof(policy));
	rc = sg_policy_load_file(file, &policy, err);
	if (rc)
		return rc;
	sg_hex(policy.sha256, SG_SHA256_BYTES, sha);
	printf("%s: valid policy \"%s\" (sha256 %.16s)\n", file, policy.id, sha);
	sg_policy_release(&policy);
	return 0;
}

int sg_cmd_policy(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	const struct sg_opt opts[] = {{NULL, NULL, NULL}};
	struct sg_args args;
	int rc;

	if (argc < 1)
		return sg_error_set(err, SG_DIAG_USAGE, "usage: shipgate policy show | policy check FILE");
	if ((rc = sg_args_parse(argc - 1, argv + 1, opts, &args, err)))
		return rc;
	if (strcmp(argv[0], "show") == 0) {
		if ((rc = sg_args_count(&args, 0, 0, "shipgate policy show", err)))
			return rc;
		return show(app, err);
	}
	if (strcmp(argv[0], "check") == 0) {
		if ((rc = sg_args_count(&args, 1, 1, "shipgate policy check FILE", err)))
			return rc;
		return check(args.positional[0], err);
	}
	return sg_error_set(err, SG_DIAG_USAGE, "usage: shipgate policy show | policy check FILE");
}
