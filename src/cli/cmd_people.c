/* `shipgate user` (add, key, grant, revoke-grant, list) and `shipgate key` (generate, sign). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app/access.h"
#include "app/people.h"
#include "cli/args.h"
#include "cli/cli.h"
#include "cli/safe_text.h"
#include "util/buf.h"
#include "util/limits.h"

struct user_printer {
	struct sg_app *app;
	struct sg_error *err;
	int n_grants;
};

static int print_grant(void *ctx, const char *product)
{
	struct user_printer *u = ctx;

	fputs(u->n_grants++ ? ", " : "  products: ", stdout);
	sg_put_safe(stdout, product);
	return 0;
}

/* A user, their role and keys, and the products granted to them (an
 * admin sees every product whatever the grants). */
static int print_user(void *ctx, const struct sg_principal *p)
{
	struct user_printer *u = ctx;
	int rc;

	sg_put_safe(stdout, p->name);
	printf("  %s  %d key%s", sg_role_name(p->role), p->n_keys, p->n_keys == 1 ? "" : "s");
	u->n_grants = 0;
	rc = sg_app_user_grants(u->app, p->name, print_grant, u, u->err);
	if (rc == SG_ENOTFOUND) {
		/* A stored name longer than a name may be (altered behind
		 * shipgate's back) is listed cut, and found by nothing. */
		sg_error_clear(u->err);
		rc = 0;
	}
	if (p->role == SG_ROLE_ADMIN)
		fputs(u->n_grants ? " (admin: every product)" : "  products: every product (admin)", stdout);
	putchar('\n');
	return rc;
}

int sg_cmd_user(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	const char *role = NULL, *pub = NULL, *product = NULL;
	const struct sg_opt opts[] = {
		{"role", &role, NULL},
		{"public", &pub, NULL},
		{"product", &product, NULL},
		{NULL, NULL, NULL},
	};
	static const char usage[] = "shipgate user add NAME --role viewer|developer|security|cto|admin | "
				    "user key NAME --public FILE.pub | user grant NAME --product P | "
				    "user revoke-grant NAME --product P | user list";
	struct user_printer printer = {app, err, 0};
	struct sg_public_key key;
	struct sg_args args;
	long long id;
	int rc;

	if (argc < 1)
		return sg_error_set(err, SG_DIAG_USAGE, "usage: %s", usage);
	if ((rc = sg_args_parse(argc - 1, argv + 1, opts, &args, err)))
		return rc;
	if (product && strcmp(argv[0], "grant") != 0 && strcmp(argv[0], "revoke-grant") != 0)
		return sg_error_set(err, SG_DIAG_USAGE, "--product goes with user grant and user revoke-grant");
	if (strcmp(argv[0], "add") == 0) {
		if ((rc = sg_args_count(&args, 1, 1, usage, err)) || (rc = sg_args_require(role, "role", err)) ||
		    (rc = sg_app_user_add(app, args.positional[0], role, &id, err)))
			return rc;
		printf("user %s added with role %s\n", args.positional[0], role);
		return 0;
	}
	if (strcmp(argv[0], "key") == 0) {
		if ((rc = sg_args_count(&args, 1, 1, usage, err)) || (rc = sg_args_require(pub, "public", err)) ||
		    (rc = sg_app_user_key(app, args.positional[0], pub, &key, err)))
			return rc;
		printf("key %s registered for %s\n", key.key_id, args.positional[0]);
		return 0;
	}
	if (strcmp(argv[0], "grant") == 0) {
		if ((rc = sg_args_count(&args, 1, 1, usage, err)) || (rc = sg_args_require(product, "product", err)) ||
		    (rc = sg_app_user_grant(app, args.positional[0], product, err)))
			return rc;
		fputs("product ", stdout);
		sg_put_safe(stdout, product);
		fputs(" granted to ", stdout);
		sg_put_safe(stdout, args.positional[0]);
		putchar('\n');
		return 0;
	}
	if (strcmp(argv[0], "revoke-grant") == 0) {
		if ((rc = sg_args_count(&args, 1, 1, usage, err)) || (rc = sg_args_require(product, "product", err)) ||
		    (rc = sg_app_user_revoke_grant(app, args.positional[0], product, err)))
			return rc;
		fputs("grant of product ", stdout);
		sg_put_safe(stdout, product);
		fputs(" to ", stdout);
		sg_put_safe(stdout, args.positional[0]);
		fputs(" revoked\n", stdout);
		return 0;
	}
	if (strcmp(argv[0], "list") == 0) {
		if ((rc = sg_args_count(&args, 0, 0, usage, err)))
			return rc;
		return sg_app_users_list(app, print_user, &printer, err);
	}
	return sg_error_set(err, SG_DIAG_USAGE, "usage: %s", usage);
}

/* Read what to sign: a file, or standard input for "-". Bounded. */
static int read_message(const char *path, struct sg_buf *out, struct sg_error *err)
{
	char chunk[4096];
	ssize_t n;
	int fd = 0;

	if (strcmp(path, "-") != 0) {
		/* Flawfinder: ignore (reads the file named on the command line by its user) */
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
		if (fd < 0) {
			sg_error_where(err, path);
			return sg_error_set(err, SG_DIAG_FILE_OPEN, "cannot open the file to sign");
		}
	}
	/* Flawfinder: ignore (bounded by chunk's size) */
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if (sg_buf_add(out, chunk, (size_t)n) != 0)
			break;
	if (fd != 0)
		close(fd);
	if (n < 0)
		return sg_error_set(err, SG_DIAG_FILE_READ, "cannot read the file to sign");
	if (sg_buf_error(out))
		return sg_error_set(err, SG_DIAG_LIMIT_EXCEEDED, "the file to sign is larger than %u bytes",
				    SG_SIGNED_MAX_BYTES);
	return 0;
}

int sg_cmd_key(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	const char *out = NULL, *key_path = NULL;
	const struct sg_opt opts[] = {
		{"out", &out, NULL},
		{"key", &key_path, NULL},
		{NULL, NULL, NULL},
	};
	static const char usage[] = "shipgate key generate --out FILE | key sign --key FILE [FILE|-]";
	char text[SG_SIGNATURE_TEXT_BYTES];
	struct sg_public_key pub;
	struct sg_secret_key secret;
	struct sg_signature sig;
	struct sg_args args;
	struct sg_buf msg;
	int rc;

	if (argc < 1)
		return sg_error_set(err, SG_DIAG_USAGE, "usage: %s", usage);
	if ((rc = sg_args_parse(argc - 1, argv + 1, opts, &args, err)))
		return rc;
	if (strcmp(argv[0], "generate") == 0) {
		if ((rc = sg_args_count(&args, 0, 0, usage, err)) || (rc = sg_args_require(out, "out", err)) ||
		    (rc = sg_key_generate(out, &pub, err)))
			return rc;
		printf("key %s: private key in %s (keep it to yourself), public key in %s.pub\n", pub.key_id, out, out);
		return 0;
	}
	if (strcmp(argv[0], "sign") == 0) {
		if ((rc = sg_args_count(&args, 0, 1, usage, err)) || (rc = sg_args_require(key_path, "key", err)))
			return rc;
		sg_buf_init(&msg, SG_SIGNED_MAX_BYTES);
		rc = read_message(args.n_positional ? args.positional[0] : "-", &msg, err);
		if (!rc)
			rc = sg_secret_key_read(key_path, &secret, err);
		if (!rc) {
			sg_sign(&secret, msg.data, msg.len, &sig);
			sg_secret_key_wipe(&secret);
			sg_signature_format(&sig, text);
			fputs(text, stdout);
		}
		sg_buf_release(&msg);
		return rc;
	}
	return sg_error_set(err, SG_DIAG_USAGE, "usage: %s", usage);
}
