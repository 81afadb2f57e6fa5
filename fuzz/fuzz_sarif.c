/* Fuzz target: the SARIF reader (ingest/sarif.c), both passes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/sarif.h"
#include "util/hash.h"

static int on_run(void *ctx, const struct sg_sarif_run *run, struct sg_error *err)
{
	(void)ctx;
	(void)err;
	return run->tool && run->category ? 0 : -1;
}

static int on_result(void *ctx, const struct sg_sarif_run *run, const struct sg_sarif_result *res,
		     struct sg_error *err)
{
	size_t i, sum = 0;

	(void)ctx;
	(void)run;
	(void)err;
	/* Touch every string handed over, so ASan sees any dangling pointer. */
	sum += strlen(res->rule_id) + strlen(res->message);
	if (res->path)
		sum += strlen(res->path);
	if (res->snippet)
		sum += strlen(res->snippet);
	for (i = 0; i < res->n_fps; i++)
		sum += strlen(res->fps[i].name) + strlen(res->fps[i].value);
	return sum == (size_t)-1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int initialised;
	char path[] = "/tmp/sg-fuzz-sarif-XXXXXX";
	struct sg_sarif_sink sink = {NULL, on_run, on_result, NULL};
	struct sg_sarif_options opts = {"/src", NULL};
	struct sg_sarif_summary summary;
	struct sg_error err;
	int fd;

	if (!initialised) {
		sg_crypto_init();
		initialised = 1;
	}
	fd = mkstemp(path);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		sg_error_clear(&err);
		if (sg_sarif_read_file(path, "fuzz", &opts, &sink, &summary, &err) != 0)
			summary.n_runs = 0; /* rejected: nothing more to check */
	}
	close(fd);
	unlink(path);
	return 0;
}
