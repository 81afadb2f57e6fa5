/*
 * ingest/sbom: the push checker (sg_sbom_check_*) against the file reader.
 * Every CycloneDX and SPDX document of ../shared/corpus, the SBOM fixtures
 * of tests/integration/fixtures/sca and hostile documents written here are
 * read by sg_sbom_read_file() and pushed to the checker in chunks of several
 * sizes: the result, every field of the error and the summary must be the
 * same. Clause: sca (an upload is refused before anything is written).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest/sbom.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/limits.h"

static int setup(void **state)
{
	(void)state;
	return sg_crypto_init();
}

static int take_component(void *ctx, const struct sg_sbom_component *c, struct sg_error *err)
{
	(void)ctx;
	(void)c;
	(void)err;
	return 0;
}

static int take_vex(void *ctx, const struct sg_sbom_vex *v, struct sg_error *err)
{
	(void)ctx;
	(void)v;
	(void)err;
	return 0;
}

struct outcome {
	int rc;
	struct sg_error err;
	struct sg_sbom_summary summary;
};

static void read_file(const char *path, struct outcome *o)
{
	struct sg_sbom_sink sink = {NULL, take_component, take_vex};

	memset(o, 0, sizeof(*o));
	sg_error_clear(&o->err);
	o->rc = sg_sbom_read_file(path, "upload.json", &sink, &o->summary, &o->err);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *data;

	assert_non_null(f);
	assert_int_equal(fstat(fileno(f), &st), 0);
	*len = (size_t)st.st_size;
	data = malloc(*len + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, *len, f), *len);
	fclose(f);
	return data;
}

/* Push data in chunks of `chunk` bytes (0: at once). */
static void check_pushed(const char *data, size_t len, size_t chunk, struct outcome *o)
{
	struct sg_sbom_check *c = NULL;
	size_t at = 0, n;

	memset(o, 0, sizeof(*o));
	sg_error_clear(&o->err);
	assert_int_equal(sg_sbom_check_new("upload.json", &c, &o->err), 0);
	assert_null(sg_sbom_check_summary(c));
	while (o->rc == 0 && at < len) {
		n = chunk == 0 || chunk > len - at ? len - at : chunk;
		o->rc = sg_sbom_check_feed(c, data + at, n, &o->err);
		at += n;
	}
	if (o->rc == 0)
		o->rc = sg_sbom_check_finish(c, &o->err);
	if (o->rc == 0) {
		assert_non_null(sg_sbom_check_summary(c));
		o->summary = *sg_sbom_check_summary(c);
	} else {
		assert_null(sg_sbom_check_summary(c));
	}
	sg_sbom_check_free(c);
}

static void assert_same_outcome(const struct outcome *want, const struct outcome *got, const char *what,
				size_t chunk)
{
	const struct sg_error *a = &want->err, *b = &got->err;
	const struct sg_sbom_summary *x = &want->summary, *y = &got->summary;

	if (want->rc != got->rc ||
	    (want->rc != 0 &&
	     (a->diag != b->diag || strcmp(a->message, b->message) != 0 || strcmp(a->where, b->where) != 0 ||
	      a->line != b->line || a->column != b->column || a->offset != b->offset ||
	      strcmp(a->pointer, b->pointer) != 0)))
		fail_msg("%s, chunks of %zu: read_file %d [%s] %s:%ld:%ld (%lld) %s: %s\n"
			 "                  checker %d [%s] %s:%ld:%ld (%lld) %s: %s",
			 what, chunk, want->rc, sg_diag_id(a->diag), a->where, a->line, a->column, a->offset,
			 a->pointer, a->message, got->rc, sg_diag_id(b->diag), b->where, b->line, b->column,
			 b->offset, b->pointer, b->message);
	if (want->rc != 0)
		return;
	if (x->format != y->format || strcmp(x->spec_version, y->spec_version) != 0 ||
	    strcmp(x->tool, y->tool) != 0 || strcmp(x->tool_version, y->tool_version) != 0 ||
	    strcmp(x->subject, y->subject) != 0 || x->components != y->components ||
	    x->without_purl != y->without_purl || x->vex != y->vex ||
	    memcmp(x->sha256, y->sha256, SG_SHA256_BYTES) != 0)
		fail_msg("%s, chunks of %zu: the summaries differ (components %lld/%lld, vex %lld/%lld, tool %s/%s)",
			 what, chunk, x->components, y->components, x->vex, y->vex, x->tool, y->tool);
}

struct tally {
	int files, accepted, refused;
};

/* The file read, against the checker fed 1, 7, 4096 and 65537 bytes at a
 * time and all at once (a byte at a time for the smaller files). */
static void check_file(const char *path, struct tally *t)
{
	static const size_t sizes[] = {1, 7, 4096, 65537, 0};
	struct outcome want, got;
	size_t len, i;
	char *data = slurp(path, &len);

	read_file(path, &want);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		if (sizes[i] == 1 && len > (1U << 20))
			continue;
		check_pushed(data, len, sizes[i], &got);
		assert_same_outcome(&want, &got, path, sizes[i]);
	}
	t->files++;
	if (want.rc == 0)
		t->accepted++;
	else
		t->refused++;
	free(data);
}

#define MAX_PATHS 2048

static char *paths[MAX_PATHS];
static size_t n_paths;

static int collect(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	size_t len = strlen(path);

	(void)st;
	(void)ftw;
	if (type == FTW_F && n_paths < MAX_PATHS && len > 5 && strcmp(path + len - 5, ".json") == 0) {
		paths[n_paths] = strdup(path);
		assert_non_null(paths[n_paths]);
		n_paths++;
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void check_tree(const char *dir, struct tally *t)
{
	size_t i;

	n_paths = 0;
	assert_int_equal(nftw(dir, collect, 16, FTW_PHYS), 0);
	qsort(paths, n_paths, sizeof(paths[0]), by_name);
	for (i = 0; i < n_paths; i++) {
		check_file(paths[i], t);
		free(paths[i]);
	}
	n_paths = 0;
}

static void test_corpus_cyclonedx(void **state)
{
	struct tally t = {0, 0, 0};

	(void)state;
	check_tree("../shared/corpus/cyclonedx", &t);
	print_message("%d CycloneDX corpus files: %d accepted, %d refused, alike\n", t.files, t.accepted, t.refused);
	assert_true(t.files >= 100);
	assert_true(t.accepted >= 50);
	assert_true(t.refused >= 10); /* 1.2 and 1.3 examples, schemas */
}

static void test_corpus_spdx(void **state)
{
	struct tally t = {0, 0, 0};

	(void)state;
	check_tree("../shared/corpus/spdx", &t);
	print_message("%d SPDX corpus files: %d accepted, %d refused, alike\n", t.files, t.accepted, t.refused);
	assert_true(t.files >= 15);
	assert_true(t.accepted >= 10);
	assert_true(t.refused >= 1); /* SPDX 3 */
}

/* The ingest tests' SBOMs, and the OSV records beside them (not SBOMs). */
static void test_fixtures(void **state)
{
	struct tally t = {0, 0, 0};

	(void)state;
	check_tree("tests/integration/fixtures/sca", &t);
	assert_true(t.accepted >= 5);
	assert_true(t.refused >= 5);
}

/* ---- hostile documents, as t5100-sca-hostile.sh writes them ---- */

static const char *const hostile[] = {
	"",
	"this is not JSON\n",
	"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"components\": [{\"type\": \"library\", \"name\"",
	"[1, 2, 3]\n",
	"{\"name\": \"x\"}\n",
	"\"CycloneDX\"",
	"<?xml version=\"1.0\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"></bom>\n",
	"<?xml version=\"1.0\"?>\n<rdf:RDF xmlns:spdx=\"http://spdx.org/rdf/terms#\"></rdf:RDF>\n",
	"<html></html>\n",
	"SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n",
	"\xEF\xBB\xBF<bom/>",
	"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.3\", \"components\": []}",
	"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.7\", \"components\": []}",
	"{\"bomFormat\": \"CycloneDX\", \"specVersion\": 1.5, \"components\": []}",
	"{\"bomFormat\": \"CycloneDX\", \"components\": []}",
	"{\"bomFormat\": \"SWID\", \"specVersion\": \"1.5\"}",
	"{\"bomFormat\": \"CycloneDX\", \"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\"}",
	"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"spdxVersion\": \"SPDX-2.3\", \"packages\": []}",
	"{\"spdxVersion\": \"SPDX-3.0\", \"packages\": []}",
	"{\"@context\": \"https://spdx.org/rdf/3.0.0/spdx-context.jsonld\", \"@graph\": []}",
	"{\"spdxVersion\": \"SPDX-2.1\", \"packages\": []}",
	"{\"spdxVersion\": 2.3}",
	"{\"spdxVersion\": \"SPDX-2.3\", \"packages\": [{\"name\": \"a\"}]}",
	"{\"spdxVersion\": \"SPDX-2.3\", \"packages\": [{\"SPDXID\": \"SPDXRef-a\", \"name\": \"a\"}]}",
	"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"components\": [{\"type\": \"library\"}]}",
	"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"components\": [{\"name\": \"a\"}]}",
	"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.4\", \"components\": [{\"type\": \"data\", \"name\": \"a\"}]}",
	"{\"components\": [{\"type\": \"data\", \"name\": \"a\"}], \"specVersion\": \"1.4\", \"bomFormat\": \"CycloneDX\"}",
	"{\"components\": [{\"type\": \"data\", \"name\": \"a\"}], \"specVersion\": \"1.5\", \"bomFormat\": \"CycloneDX\"}",
	"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"components\": [{\"type\": \"library\", \"name\": \"a\","
	" \"bom-ref\": \"\"}]}",
	"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"components\": [{\"type\": \"library\", \"name\": \"a\","
	" \"scope\": \"sometimes\"}]}",
	"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"components\": [{\"type\": \"library\", \"name\": \"a\","
	" \"licenses\": [{\"expression\": \"GPL-2.0-only OR OR MIT\"}]}]}",
	"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"vulnerabilities\": [{\"analysis\": {\"state\": "
	"\"not_affected\"}, \"affects\": [{\"ref\": \"a\"}]}]}",
	"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"vulnerabilities\": [{\"id\": \"CVE-1\", \"analysis\": "
	"{\"state\": \"maybe\"}}]}",
	"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"components\": [{\"type\": \"library\", \"name\": \"a\\u0000\"}]}",
	"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"components\": [{\"type\": \"library\", \"name\": \"\xc0\xaf\"}]}",
	"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"components\": [{\"type\": \"library\", \"name\": \"ok\"}]}",
	"{\"spdxVersion\": \"SPDX-2.2\", \"name\": \"doc\", \"packages\": [{\"SPDXID\": \"SPDXRef-a\", \"name\": \"a\"}]}",
};

static char *write_temp(const char *data, size_t len)
{
	char *path = strdup("/tmp/sg-sbom-check-XXXXXX");
	int fd;

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

static void check_text(const char *data, size_t len, struct tally *t)
{
	char *path = write_temp(data, len);

	check_file(path, t);
	unlink(path);
	free(path);
}

static void test_hostile(void **state)
{
	static const char nul[] = "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"components\": "
				  "[{\"type\": \"library\", \"name\": \"a\0b\"}]}";
	struct tally t = {0, 0, 0};
	size_t i, len, cut;
	char *data = slurp("tests/integration/fixtures/sca/demo-vex.cdx.json", &len);

	(void)state;
	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++)
		check_text(hostile[i], strlen(hostile[i]), &t);
	check_text(nul, sizeof(nul) - 1, &t);
	for (cut = 1; cut < len; cut += len / 13 + 1)
		check_text(data, cut, &t);
	free(data);
	print_message("%d hostile SBOMs: %d accepted, %d refused, alike\n", t.files, t.accepted, t.refused);
	assert_true(t.accepted >= 4);
	assert_true(t.refused >= 40);
}

/* XML is named as XML only when its first bytes say so: the checker keeps
 * them, however they arrive, and names it like the file reader. */
static void test_other_formats_named(void **state)
{
	static const char xml[] = "<?xml version=\"1.0\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"/>";
	struct outcome o;

	(void)state;
	check_pushed(xml, sizeof(xml) - 1, 1, &o);
	assert_int_equal(o.rc, SG_EINPUT);
	assert_true(o.err.diag == SG_DIAG_SBOM_UNSUPPORTED);
	assert_non_null(strstr(o.err.message, "CycloneDX XML"));
	assert_string_equal(o.err.where, "upload.json");
}

/* The limits: more VEX pairs (vulnerability, component) than the store
 * takes is refused by the reader, where the last statement ends; the
 * checker refuses it alike. */
static void test_vex_pairs_limit(void **state)
{
	struct sg_buf b;
	struct tally t = {0, 0, 0};
	long i, per = 5000, n = SG_SBOM_MAX_VEX / 5000 + 1;

	(void)state;
	sg_buf_init(&b, 64U << 20);
	sg_buf_adds(&b, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"vulnerabilities\":[");
	for (i = 0; i < n; i++) {
		long k;
		sg_buf_printf(&b, "%s{\"id\":\"CVE-%ld\",\"analysis\":{\"state\":\"not_affected\"},\"affects\":[", i ? "," : "",
			      i);
		for (k = 0; k < per; k++)
			sg_buf_printf(&b, "%s{\"ref\":\"r%ld\"}", k ? "," : "", k);
		sg_buf_adds(&b, "]}");
	}
	sg_buf_adds(&b, "]}");
	assert_int_equal(sg_buf_error(&b), 0);
	check_text(b.data, b.len, &t);
	assert_int_equal(t.refused, 1);
	{
		char *path = write_temp(b.data, b.len);
		struct outcome o;
		read_file(path, &o);
		unlink(path);
		free(path);
		assert_int_equal(o.rc, SG_EINPUT);
		assert_true(o.err.diag == SG_DIAG_LIMIT_EXCEEDED);
		assert_non_null(strstr(o.err.message, "VEX"));
		assert_int_equal(strncmp(o.err.pointer, "/vulnerabilities/", 17), 0);
	}
	sg_buf_release(&b);
}

/* "After an error every later feed/finish returns the same error." */
static void test_error_sticks(void **state)
{
	static const char bad[] = "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.3\"}";
	struct sg_sbom_check *c = NULL;
	struct sg_error err, first, again;

	(void)state;
	sg_error_clear(&err);
	assert_int_equal(sg_sbom_check_new("upload", &c, &err), 0);
	assert_int_equal(sg_sbom_check_feed(c, bad, sizeof(bad) - 1, &err), 0);
	assert_int_equal(sg_sbom_check_finish(c, &err), SG_EINPUT);
	assert_true(err.diag == SG_DIAG_SBOM_UNSUPPORTED);
	assert_string_equal(err.where, "upload");
	assert_string_equal(err.pointer, "/specVersion");
	first = err;
	sg_error_clear(&again);
	assert_int_equal(sg_sbom_check_feed(c, "x", 1, &again), SG_EINPUT);
	assert_memory_equal(&again, &first, sizeof(first));
	sg_error_clear(&again);
	assert_int_equal(sg_sbom_check_finish(c, &again), SG_EINPUT);
	assert_memory_equal(&again, &first, sizeof(first));
	assert_null(sg_sbom_check_summary(c));
	sg_sbom_check_free(c);
}

/* finish again changes nothing; feeding after it is a misuse. */
static void test_after_finish(void **state)
{
	static const char ok[] = "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"components\": "
				 "[{\"type\": \"library\", \"name\": \"a\", \"purl\": \"pkg:npm/a@1.0.0\"}]}";
	struct sg_sbom_check *c = NULL;
	struct sg_error err;
	unsigned char sha[SG_SHA256_BYTES];

	(void)state;
	sg_error_clear(&err);
	sg_sha256(ok, sizeof(ok) - 1, sha);
	assert_int_equal(sg_sbom_check_new("upload", &c, &err), 0);
	assert_int_equal(sg_sbom_check_feed(c, ok, sizeof(ok) - 1, &err), 0);
	assert_int_equal(sg_sbom_check_finish(c, &err), 0);
	assert_int_equal(sg_sbom_check_finish(c, &err), 0);
	assert_int_equal(sg_sbom_check_summary(c)->components, 1);
	assert_int_equal(sg_sbom_check_summary(c)->format, SG_SBOM_CYCLONEDX);
	assert_memory_equal(sg_sbom_check_summary(c)->sha256, sha, SG_SHA256_BYTES);
	assert_int_equal(sg_sbom_check_feed(c, " ", 1, &err), SG_EINTERNAL);
	assert_true(err.diag == SG_DIAG_INTERNAL);
	sg_sbom_check_free(c);
	sg_sbom_check_free(NULL);
	assert_null(sg_sbom_check_summary(NULL));
}

static void test_alloc_failures(void **state)
{
	static const char doc[] = "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\", \"components\": "
				  "[{\"type\": \"library\", \"name\": \"a\", \"licenses\": [{\"expression\": \"MIT OR "
				  "Apache-2.0\"}], \"components\": [{\"type\": \"library\", \"name\": \"b\"}]}], "
				  "\"vulnerabilities\": [{\"id\": \"CVE-1\", \"analysis\": {\"state\": \"not_affected\"}, "
				  "\"affects\": [{\"ref\": \"a\"}]}]}";
	unsigned long n;
	int ok = 0, failed = 0;

	(void)state;
	for (n = 1; n <= 60; n++) {
		struct sg_sbom_check *c = NULL;
		struct sg_error err;
		int rc;

		sg_error_clear(&err);
		sg_alloc_fail_after(n);
		rc = sg_sbom_check_new("upload", &c, &err);
		if (!rc)
			rc = sg_sbom_check_feed(c, doc, sizeof(doc) - 1, &err);
		if (!rc)
			rc = sg_sbom_check_finish(c, &err);
		sg_alloc_fail_after(0);
		sg_sbom_check_free(c);
		if (rc == 0) {
			ok++;
			continue;
		}
		failed++;
		assert_int_equal(rc, SG_ENOMEM);
		assert_true(err.diag == SG_DIAG_NO_MEMORY);
	}
	assert_true(failed > 0);
	assert_true(ok > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_cyclonedx),
		cmocka_unit_test(test_corpus_spdx),
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_other_formats_named),
		cmocka_unit_test(test_vex_pairs_limit),
		cmocka_unit_test(test_error_sticks),
		cmocka_unit_test(test_after_finish),
		cmocka_unit_test(test_alloc_failures),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
