/* `shipgate init`: create the store and a starter policy file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "policy/policy_yaml.h"

/* Write the built-in policy to `path` unless a file is there already. */
static int write_starter_policy(const char *path, int *wrote, struct sg_error *err)
{
	const char *text = sg_policy_builtin_text();
	size_t len = strlen(text), done = 0;
	int fd;

	*wrote = 0;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		if (errno == EEXIST)
			return 0;
		sg_error_where(err, path);
		return sg_error_set(err, SG_DIAG_FILE_WRITE, "cannot create: %s", strerror(errno));
	}
	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			unlink(path);
			sg_error_where(err, path);
			return sg_error_set(err, SG_DIAG_FILE_WRITE, "cannot write: %s", strerror(errno));
		}
		done += (size_t)n;
	}
	if (close(fd) != 0) {
		unlink(path);
		sg_error_where(err, path);
		return sg_error_set(err, SG_DIAG_FILE_WRITE, "cannot write: %s", strerror(errno));
	}
	*wrote = 1;
	return 0;
}

int sg_app_init_store(struct sg_app *app, const char *policy_out, struct sg_init_report *report,
		      struct sg_error *err)
{
	struct sg_store *store;
	int rc;

	memset(report, 0, sizeof(*report));
	rc = sg_app_store(app, SG_STORE_OPEN_CREATE, &store, err);
	if (rc)
		return rc;
	if (!policy_out)
		policy_out = SG_DEFAULT_POLICY_FILE;
	snprintf(report->policy_path, sizeof(report->policy_path), "%s", policy_out);
	return write_starter_policy(policy_out, &report->wrote_policy, err);
}
