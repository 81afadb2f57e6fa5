/*
 * Fuzz target: the SBOM reader (ingest/sbom*.c), CycloneDX and SPDX; and the
 * push checker (ingest/sbom_check.c), fed in pieces, which must reach the
 * reader's verdict.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ingest/sbom.h"
#include "util/hash.h"

static size_t touch(const char *s)
{
	return s ? strlen(s) : 0;
}

static int on_component(void *ctx, const struct sg_sbom_component *c, struct sg_error *err)
{
	size_t i, sum = 0;

	(void)ctx;
	(void)err;
	/* Touch every string handed over, so ASan sees any dangling pointer. */
	sum += touch(c->ref) + touch(c->type) + touch(c->name) + touch(c->version) + touch(c->purl) +
	       touch(c->scope);
	if (!c->name || c->n_licenses > SG_SBOM_MAX_LICENSES || c->depth < 0)
		abort();
	for (i = 0; i < c->n_licenses; i++)
		sum += touch(c->licenses[i]);
	return sum == (size_t)-1;
}

static int on_vex(void *ctx, const struct sg_sbom_vex *v, struct sg_error *err)
{
	size_t i, sum = 0;

	(void)ctx;
	(void)err;
	if (!v->id || !v->state)
		abort();
	sum += touch(v->id) + touch(v->state) + touch(v->justification) + touch(v->detail);
	for (i = 0; i < v->n_refs; i++)
		sum += touch(v->refs[i]);
	return sum == (size_t)-1;
}

static void check_pushed(const uint8_t *data, size_t size, int read_rc, const struct sg_error *read_err)
{
	struct sg_sbom_check *c = NULL;
	size_t off = 0, piece = size ? 1 + data[size - 1] % 89 : 1;
	struct sg_error err;
	int rc;

	sg_error_clear(&err);
	rc = sg_sbom_check_new("fuzz", &c, &err);
	while (!rc && off < size) {
		size_t n = size - off < piece ? size - off : piece;
		rc = sg_sbom_check_feed(c, data + off, n, &err);
		off += n;
	}
	if (!rc)
		rc = sg_sbom_check_finish(c, &err);
	sg_sbom_check_free(c);
	if (err.diag == SG_DIAG_NO_MEMORY || read_err->diag == SG_DIAG_NO_MEMORY)
		return;
	if ((rc == 0) != (read_rc == 0) || (rc && err.diag != read_err->diag))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int initialised;
	char path[] = "/tmp/sg-fuzz-sbom-XXXXXX";
	struct sg_sbom_sink sink = {NULL, on_component, on_vex};
	struct sg_sbom_summary summary;
	struct sg_error err;
	int fd, rc;

	if (!initialised) {
		sg_crypto_init();
		initialised = 1;
	}
	fd = mkstemp(path);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		sg_error_clear(&err);
		rc = sg_sbom_read_file(path, "fuzz", &sink, &summary, &err);
		if (rc != 0 && err.diag == SG_DIAG_NONE)
			abort(); /* a failure must say why */
		check_pushed(data, size, rc, &err);
	}
	close(fd);
	unlink(path);
	return 0;
}
