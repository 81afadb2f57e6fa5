/*
 * Fuzz target: the SARIF reader (ingest/sarif.c), both passes; and the push
 * checker (ingest/sarif_check.c), fed in pieces, which must reach the same
 * verdict as the reader with a sink that reads live (as an ingest does).
 */
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

static int take_all(void *ctx, const struct sg_sarif_run *run, const struct sg_sarif_result *res,
		    struct sg_error *err)
{
	(void)ctx;
	(void)run;
	(void)res;
	(void)err;
	return 0;
}

static int abandon_all(void *ctx, struct sg_error *err)
{
	(void)ctx;
	(void)err;
	return 0;
}

/* The checker, fed in pieces of a size the input chooses: its verdict and
 * diagnostic must be the live reader's. */
static void check_pushed(const char *path, const uint8_t *data, size_t size, const struct sg_sarif_options *opts)
{
	struct sg_sarif_sink live = {NULL, NULL, take_all, NULL, abandon_all};
	struct sg_sarif_summary a, b;
	struct sg_sarif_check *c = NULL;
	struct sg_error ea, eb;
	size_t off = 0, piece = size ? 1 + data[0] % 97 : 1;
	int ra, rb;

	sg_error_clear(&ea);
	sg_error_clear(&eb);
	ra = sg_sarif_read_file(path, "fuzz", opts, &live, &a, &ea);
	rb = sg_sarif_check_new("fuzz", opts, &c, &eb);
	while (!rb && off < size) {
		size_t n = size - off < piece ? size - off : piece;
		rb = sg_sarif_check_feed(c, data + off, n, &eb);
		off += n;
	}
	if (!rb)
		rb = sg_sarif_check_finish(c, &b, &eb);
	sg_sarif_check_free(c);
	if (eb.diag == SG_DIAG_NO_MEMORY || ea.diag == SG_DIAG_NO_MEMORY)
		return;
	if ((ra == 0) != (rb == 0) || (ra && ea.diag != eb.diag))
		abort();
	if (!ra && (a.n_results != b.n_results || memcmp(a.sha256, b.sha256, sizeof(a.sha256)) != 0))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int initialised;
	char path[] = "/tmp/sg-fuzz-sarif-XXXXXX";
	struct sg_sarif_sink sink = {NULL, on_run, on_result, NULL, NULL};
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
		check_pushed(path, data, size, &opts);
	}
	close(fd);
	unlink(path);
	return 0;
}
