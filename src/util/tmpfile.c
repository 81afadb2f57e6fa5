/* Unlinked temporary files (tmpfile.h). */
#include "util/tmpfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int sg_tmpfile_open(struct sg_error *err)
{
	const char *dir = secure_getenv("TMPDIR");
	char path[4096];
	int fd;

	if (!dir || !dir[0])
		dir = "/tmp";
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	/* A file system without O_TMPFILE: create, then unlink at once. */
	if ((size_t)snprintf(path, sizeof(path), "%s/shipgate-XXXXXX", dir) >= sizeof(path))
		return sg_error_set(err, SG_DIAG_INTERNAL, "the temporary directory's name is too long");
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return sg_error_set(err, SG_DIAG_INTERNAL, "cannot create a temporary file in \"%.200s\": %s", dir,
				    strerror(errno));
	(void)unlink(path);
	return fd;
}
