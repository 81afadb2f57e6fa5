/*
 * ingest/sbom: the CycloneDX JSON 1.4-1.6 and SPDX 2.2/2.3 JSON reader
 * (FORMATS.md section 4), through a recording sink.
 *
 * Every file of ../shared/corpus/cyclonedx and ../shared/corpus/spdx
 * (schema/ and purl-spec/ aside) is in the table below with its outcome: read,
 * with the component and VEX counts counted independently (python3 over the
 * JSON while this test was written), or refused with its diagnostic id. A
 * file the table does not name fails the test, so a new corpus file gets an
 * expectation. The real generator outputs in corpus/tools (cdxgen,
 * trivy-cdxgen, cyclonedx-npm, retire) are read with their fields checked,
 * and hostile synthetic documents are refused with their diagnostic.
 * Clause: sca (every component of the SBOM reaches the matcher, nested ones
 * included; a document that cannot be read completely is refused).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <archive.h>
#include <fcntl.h>
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

#define CORPUS "../shared/corpus/"

/* ---- the recording sink ---- */

#define TXT 256
#define MAX_REFS 8

struct rec_component {
	int found, depth;
	char ref[TXT], type[TXT], name[TXT], version[TXT], purl[TXT], scope[TXT];
	int has_ref, has_type, has_version, has_purl, has_scope;
	char licenses[SG_SBOM_MAX_LICENSES][TXT];
	size_t n_licenses;
};

struct rec_vex {
	char id[TXT], state[TXT], justification[TXT], detail[TXT];
	int has_justification, has_detail;
	char refs[MAX_REFS][TXT];
	size_t n_refs;
};

struct recorder {
	long long n, n_vex, nested, deep, optional, required, without_purl;
	int max_depth;
	const char *probe[4];        /* names of components to keep */
	struct rec_component probed[4];
	struct rec_component first;  /* the first component handed over */
	struct rec_vex vex;          /* the first VEX statement */
	long long fail_at;           /* 1-based component call to refuse; 0 never */
	int failed, calls_after_fail;
};

static void copy(char *dst, const char *src, int *has)
{
	snprintf(dst, TXT, "%s", src ? src : "");
	if (has)
		*has = src != NULL;
}

static void keep_component(struct rec_component *x, const struct sg_sbom_component *c)
{
	size_t i;

	memset(x, 0, sizeof(*x));
	x->found = 1;
	x->depth = c->depth;
	copy(x->ref, c->ref, &x->has_ref);
	copy(x->type, c->type, &x->has_type);
	copy(x->name, c->name, NULL);
	copy(x->version, c->version, &x->has_version);
	copy(x->purl, c->purl, &x->has_purl);
	copy(x->scope, c->scope, &x->has_scope);
	x->n_licenses = c->n_licenses;
	for (i = 0; i < c->n_licenses && i < SG_SBOM_MAX_LICENSES; i++)
		copy(x->licenses[i], c->licenses[i], NULL);
}

static int on_component(void *ctx, const struct sg_sbom_component *c, struct sg_error *err)
{
	struct recorder *r = ctx;
	size_t i, sum = 0;

	if (r->failed)
		r->calls_after_fail++;
	if (r->fail_at && r->n + 1 == r->fail_at) {
		r->failed = 1;
		return sg_error_set(err, SG_DIAG_CONFLICT, "refused component \"%s\"", c->name);
	}
	/* Touch every string, so ASan sees any dangling pointer. */
	assert_non_null(c->name);
	sum += strlen(c->name);
	if (c->ref)
		sum += strlen(c->ref);
	if (c->purl)
		sum += strlen(c->purl);
	assert_true(c->n_licenses <= SG_SBOM_MAX_LICENSES);
	for (i = 0; i < c->n_licenses; i++)
		sum += strlen(c->licenses[i]);
	assert_true(sum < ((size_t)1 << 20));
	if (r->n == 0)
		keep_component(&r->first, c);
	r->n++;
	if (c->depth > 0)
		r->nested++;
	if (c->depth > 1)
		r->deep++;
	if (c->depth > r->max_depth)
		r->max_depth = c->depth;
	if (!c->purl)
		r->without_purl++;
	if (c->scope && strcmp(c->scope, "optional") == 0)
		r->optional++;
	if (c->scope && strcmp(c->scope, "required") == 0)
		r->required++;
	for (i = 0; i < 4; i++)
		if (r->probe[i] && !r->probed[i].found && strcmp(c->name, r->probe[i]) == 0)
			keep_component(&r->probed[i], c);
	return 0;
}

static int on_vex(void *ctx, const struct sg_sbom_vex *v, struct sg_error *err)
{
	struct recorder *r = ctx;
	size_t i;

	(void)err;
	assert_non_null(v->id);
	assert_non_null(v->state);
	for (i = 0; i < v->n_refs; i++)
		assert_non_null(v->refs[i]);
	if (r->n_vex++ == 0) {
		copy(r->vex.id, v->id, NULL);
		copy(r->vex.state, v->state, NULL);
		copy(r->vex.justification, v->justification, &r->vex.has_justification);
		copy(r->vex.detail, v->detail, &r->vex.has_detail);
		r->vex.n_refs = v->n_refs;
		for (i = 0; i < v->n_refs && i < MAX_REFS; i++)
			copy(r->vex.refs[i], v->refs[i], NULL);
	}
	return 0;
}

static int read_path(const char *path, struct recorder *r, struct sg_sbom_summary *sum, struct sg_error *err)
{
	struct sg_sbom_sink sink = {r, on_component, on_vex};

	sg_error_clear(err);
	return sg_sbom_read_file(path, path, &sink, sum, err);
}

/* A document written to a temporary file and read. */
static int read_text(const char *text, size_t len, struct recorder *r, struct sg_sbom_summary *sum,
		     struct sg_error *err)
{
	char path[] = "/tmp/sg-test-sbom-XXXXXX";
	int fd = mkstemp(path), rc;

	assert_true(fd >= 0);
	assert_true(write(fd, text, len) == (ssize_t)len);
	close(fd);
	rc = read_path(path, r, sum, err);
	unlink(path);
	return rc;
}

static int read_json(const char *text, struct recorder *r, struct sg_sbom_summary *sum, struct sg_error *err)
{
	return read_text(text, strlen(text), r, sum, err);
}

/* Expect `text` to be refused with `diag`; returns the error for more checks. */
static struct sg_error refused(const char *text, enum sg_diag diag)
{
	struct recorder r;
	struct sg_sbom_summary sum;
	struct sg_error err;
	int rc;

	memset(&r, 0, sizeof(r));
	rc = read_json(text, &r, &sum, &err);
	if (rc == 0 || err.diag != diag)
		fail_msg("expected [%s], got rc %d [%s] %s (pointer %s)", sg_diag_id(diag), rc, sg_diag_id(err.diag),
			 err.message, err.pointer);
	assert_int_equal(rc, sg_diag_code(diag));
	return err;
}

/* Expect `text` to read; the recorder and summary are returned through r, sum. */
static void reads(const char *text, struct recorder *r, struct sg_sbom_summary *sum)
{
	struct sg_error err;
	int rc = read_json(text, r, sum, &err);

	if (rc != 0)
		fail_msg("expected a read, got rc %d [%s] %s (pointer %s)", rc, sg_diag_id(err.diag), err.message,
			 err.pointer);
}

#define CDX14(body) "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.4\",\"version\":1," body "}"
#define CDX15(body) "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\"," body "}"
#define CDX16(body) "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\"," body "}"
#define SPDX23(body) "{\"spdxVersion\":\"SPDX-2.3\",\"SPDXID\":\"SPDXRef-DOCUMENT\",\"name\":\"doc\"," body "}"
#define LIB(name) "{\"type\":\"library\",\"name\":\"" name "\"}"

/* ---- the corpus table ---- */

enum { CDX = SG_SBOM_CYCLONEDX, SPDX = SG_SBOM_SPDX };

struct expect {
	const char *file;      /* relative to CORPUS */
	enum sg_diag diag;     /* SG_DIAG_NONE: it reads */
	int format;
	long long components;  /* all of them, nested ones included; not metadata.component */
	long long vex;         /* vulnerabilities[] entries with an analysis.state */
};

#define READS(f, fmt, n, v) {f, SG_DIAG_NONE, fmt, n, v}
#define REFUSED(f, d) {f, SG_DIAG_##d, 0, 0, 0}

static const struct expect corpus[] = {
	READS("cyclonedx/bom-examples/CBOM/Algorithm/bom.json", CDX, 2, 0),
	READS("cyclonedx/bom-examples/CBOM/Certificate/bom.json", CDX, 4, 0),
	READS("cyclonedx/bom-examples/CBOM/Example-With-Dependencies/bom.json", CDX, 3, 0),
	READS("cyclonedx/bom-examples/CBOM/Key/bom.json", CDX, 3, 0),
	READS("cyclonedx/bom-examples/CBOM/Protocol/bom.json", CDX, 8, 0),
	READS("cyclonedx/bom-examples/HBOM/PCIe-SATA-adapter-board/bom.json", CDX, 6, 0),
	READS("cyclonedx/bom-examples/OBOM/Example-1-Decoupled/obom.json", CDX, 1, 0),
	/* CycloneDX 1.2 */
	REFUSED("cyclonedx/bom-examples/SBOM/cern-lhc-vdm-editor-e564943/bom.json", SBOM_UNSUPPORTED),
	REFUSED("cyclonedx/bom-examples/SBOM/dropwizard-1.3.15/bom.json", SBOM_UNSUPPORTED), /* CycloneDX 1.2 */
	READS("cyclonedx/bom-examples/SBOM/juice-shop/via_npm/bare/bom.1.4.json", CDX, 1115, 0),
	REFUSED("cyclonedx/bom-examples/SBOM/laravel-7.12.0/bom.1.2.json", SBOM_UNSUPPORTED), /* CycloneDX 1.2 */
	REFUSED("cyclonedx/bom-examples/SBOM/laravel-7.12.0/bom.1.3.json", SBOM_UNSUPPORTED), /* CycloneDX 1.3 */
	READS("cyclonedx/bom-examples/SBOM/laravel-7.12.0/bom.1.4.json", CDX, 62, 0),
	/* CycloneDX 1.2 */
	REFUSED("cyclonedx/bom-examples/SBOM/proton-bridge/proton-bridge-v1.8.0.bom.json", SBOM_UNSUPPORTED),
	READS("cyclonedx/bom-examples/SaaSBOM/apigateway-microservices-datastores/bom.json", CDX, 0, 0),
	READS("cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-1/vex-affected.json", CDX, 0, 1),
	READS("cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-1/vex-fixed.json", CDX, 0, 1),
	READS("cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-1/vex-not_affected.json", CDX, 0, 1),
	READS("cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-1/vex-under_investigation.json", CDX, 0, 1),
	READS("cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-2/vex.json", CDX, 0, 19),
	READS("cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-3/vex.json", CDX, 0, 19),
	READS("cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-4/vex.json", CDX, 0, 1),
	READS("cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-5/vex.json", CDX, 0, 1),
	READS("cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-6/vex.json", CDX, 0, 2),
	READS("cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-7/bom-1.json", CDX, 0, 0),
	READS("cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-7/bom-2.json", CDX, 0, 0),
	READS("cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-7/vex.json", CDX, 0, 4),
	READS("cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-8/bom-1.json", CDX, 0, 0),
	READS("cyclonedx/bom-examples/VEX/CISA-Use-Cases/Case-8/bom-2.json", CDX, 0, 0),
	READS("cyclonedx/bom-examples/VEX/Use-Cases/Case-1/vex.json", CDX, 0, 1),
	READS("cyclonedx/bom-examples/VEX/Use-Cases/Case-10/vex.json", CDX, 0, 1),
	READS("cyclonedx/bom-examples/VEX/Use-Cases/Case-11/vex.json", CDX, 0, 19),
	READS("cyclonedx/bom-examples/VEX/Use-Cases/Case-12/vex.json", CDX, 0, 3),
	READS("cyclonedx/bom-examples/VEX/Use-Cases/Case-13/bom-1.json", CDX, 0, 0),
	READS("cyclonedx/bom-examples/VEX/Use-Cases/Case-13/bom-2.json", CDX, 0, 0),
	READS("cyclonedx/bom-examples/VEX/Use-Cases/Case-13/bom-3.json", CDX, 0, 0),
	READS("cyclonedx/bom-examples/VEX/Use-Cases/Case-13/vex.json", CDX, 0, 2),
	READS("cyclonedx/bom-examples/VEX/Use-Cases/Case-2/vex.json", CDX, 0, 1),
	READS("cyclonedx/bom-examples/VEX/Use-Cases/Case-3/vex.json", CDX, 0, 1),
	READS("cyclonedx/bom-examples/VEX/Use-Cases/Case-4/vex.json", CDX, 0, 1),
	READS("cyclonedx/bom-examples/VEX/Use-Cases/Case-5/vex.json", CDX, 0, 2),
	READS("cyclonedx/bom-examples/VEX/Use-Cases/Case-6/bom-1.json", CDX, 0, 0),
	READS("cyclonedx/bom-examples/VEX/Use-Cases/Case-6/bom-2.json", CDX, 0, 0),
	READS("cyclonedx/bom-examples/VEX/Use-Cases/Case-6/bom-3.json", CDX, 0, 0),
	READS("cyclonedx/bom-examples/VEX/Use-Cases/Case-6/vex.json", CDX, 0, 1),
	READS("cyclonedx/bom-examples/VEX/Use-Cases/Case-7/vex.json", CDX, 0, 1),
	READS("cyclonedx/bom-examples/VEX/Use-Cases/Case-8/vex.json", CDX, 0, 1),
	READS("cyclonedx/bom-examples/VEX/Use-Cases/Case-9/bom-1.json", CDX, 0, 0),
	READS("cyclonedx/bom-examples/VEX/Use-Cases/Case-9/bom-2.json", CDX, 0, 0),
	READS("cyclonedx/bom-examples/VEX/Use-Cases/Case-9/bom-3.json", CDX, 0, 0),
	READS("cyclonedx/bom-examples/VEX/Use-Cases/Case-9/vex.json", CDX, 0, 19),
	REFUSED("cyclonedx/bom-examples/VEX/bom.json", SBOM_UNSUPPORTED), /* CycloneDX 1.3 */
	READS("cyclonedx/bom-examples/VEX/vex.json", CDX, 0, 1),
	READS("cyclonedx/defectdojo/issue_8022.json", CDX, 1, 1),
	READS("cyclonedx/defectdojo/issue_9277.json", CDX, 102, 0),
	READS("cyclonedx/defectdojo/jake2.json", CDX, 67, 0), /* licence "Apache-2.0 license": kept as a LicenseRef- */
	READS("cyclonedx/defectdojo/log4j.json", CDX, 1, 8),
	READS("cyclonedx/defectdojo/nested-component-log4j.json", CDX, 2, 8),
	READS("cyclonedx/defectdojo/no-severity.json", CDX, 0, 0),
	READS("cyclonedx/defectdojo/valid-vulnerability-1.4.json", CDX, 1, 1),
	READS("cyclonedx/heimdall2/dropwizard-vex.json", CDX, 0, 0),
	READS("cyclonedx/heimdall2/dropwizard-vulns.json", CDX, 167, 0),
	READS("cyclonedx/heimdall2/spdx-to-cyclonedx.json", CDX, 8, 0),
	READS("cyclonedx/heimdall2/syft-scan-alpine-container.json", CDX, 16, 0),
	READS("cyclonedx/heimdall2/vex.json", CDX, 0, 1),
	READS("cyclonedx/secobserve/grype.json", CDX, 106, 0),
	READS("cyclonedx/secobserve/grype_2.json", CDX, 1, 0),
	READS("cyclonedx/secobserve/grype_3.json", CDX, 1, 0),
	READS("cyclonedx/secobserve/licenses_1.json", CDX, 66, 0), /* licence "OSI Approved": a LicenseRef- */
	READS("cyclonedx/secobserve/trivy.json", CDX, 86, 0), /* licence "custom:XFREE86": a LicenseRef- */
	/* bomFormat "AnotherFormat" */
	REFUSED("cyclonedx/spec-conformance/1.4/invalid-bomformat-1.4.json", SBOM_UNSUPPORTED),
	/* schema-invalid; duplicate bom-refs: not checked (memory would grow) */
	READS("cyclonedx/spec-conformance/1.4/invalid-component-ref-1.4.json", CDX, 2, 0),
	/* schema-invalid; swid: not read */
	READS("cyclonedx/spec-conformance/1.4/invalid-component-swid-1.4.json", CDX, 1, 0),
	REFUSED("cyclonedx/spec-conformance/1.4/invalid-component-type-1.4.json", SBOM_INVALID), /* type "foo" */
	/* schema-invalid; dependencies[]: not read */
	READS("cyclonedx/spec-conformance/1.4/invalid-dependency-1.4.json", CDX, 3, 0),
	/* component without name */
	REFUSED("cyclonedx/spec-conformance/1.4/invalid-empty-component-1.4.json", SBOM_INVALID),
	/* schema-invalid; hashes: not read */
	READS("cyclonedx/spec-conformance/1.4/invalid-hash-alg-1.4.json", CDX, 1, 0),
	/* license and expression in one entry */
	REFUSED("cyclonedx/spec-conformance/1.4/invalid-license-choice-1.4.json", SBOM_INVALID),
	/* component without type */
	REFUSED("cyclonedx/spec-conformance/1.4/invalid-missing-component-type-1.4.json", SBOM_INVALID),
	/* schema-invalid; pedigree: not read */
	READS("cyclonedx/spec-conformance/1.4/invalid-patch-type-1.4.json", CDX, 1, 0),
	/* schema-invalid; serialNumber: not read */
	READS("cyclonedx/spec-conformance/1.4/invalid-serialnumber-1.4.json", CDX, 0, 0),
	READS("cyclonedx/spec-conformance/1.4/valid-bom-1.4.json", CDX, 2, 0),
	READS("cyclonedx/spec-conformance/1.4/valid-component-hashes-1.4.json", CDX, 1, 0),
	READS("cyclonedx/spec-conformance/1.4/valid-component-ref-1.4.json", CDX, 2, 0),
	READS("cyclonedx/spec-conformance/1.4/valid-component-swid-1.4.json", CDX, 1, 0),
	READS("cyclonedx/spec-conformance/1.4/valid-component-swid-full-1.4.json", CDX, 1, 0),
	READS("cyclonedx/spec-conformance/1.4/valid-component-types-1.4.json", CDX, 8, 0),
	READS("cyclonedx/spec-conformance/1.4/valid-dependency-1.4.json", CDX, 3, 0),
	READS("cyclonedx/spec-conformance/1.4/valid-empty-components-1.4.json", CDX, 0, 0),
	READS("cyclonedx/spec-conformance/1.4/valid-external-reference-1.4.json", CDX, 1, 0),
	READS("cyclonedx/spec-conformance/1.4/valid-metadata-tool-1.4.json", CDX, 0, 0),
	READS("cyclonedx/spec-conformance/1.4/valid-minimal-viable-1.4.json", CDX, 1, 0),
	READS("cyclonedx/spec-conformance/1.4/valid-service-empty-objects-1.4.json", CDX, 0, 0),
	READS("cyclonedx/spec-conformance/1.4/valid-vulnerability-1.4.json", CDX, 1, 1),
	/* bomFormat "AnotherFormat" */
	REFUSED("cyclonedx/spec-conformance/1.5/invalid-bomformat-1.5.json", SBOM_UNSUPPORTED),
	/* empty bom-ref (1.5+) */
	REFUSED("cyclonedx/spec-conformance/1.5/invalid-component-ref-1.5.json", SBOM_INVALID),
	/* schema-invalid; swid: not read */
	READS("cyclonedx/spec-conformance/1.5/invalid-component-swid-1.5.json", CDX, 1, 0),
	REFUSED("cyclonedx/spec-conformance/1.5/invalid-component-type-1.5.json", SBOM_INVALID), /* type "foo" */
	/* schema-invalid; dependencies[]: not read */
	READS("cyclonedx/spec-conformance/1.5/invalid-dependency-1.5.json", CDX, 3, 0),
	/* component without name */
	REFUSED("cyclonedx/spec-conformance/1.5/invalid-empty-component-1.5.json", SBOM_INVALID),
	/* schema-invalid; hashes: not read */
	READS("cyclonedx/spec-conformance/1.5/invalid-hash-alg-1.5.json", CDX, 1, 0),
	/* license and expression in one entry */
	REFUSED("cyclonedx/spec-conformance/1.5/invalid-license-choice-1.5.json", SBOM_INVALID),
	/* component without type */
	REFUSED("cyclonedx/spec-conformance/1.5/invalid-missing-component-type-1.5.json", SBOM_INVALID),
	/* schema-invalid; pedigree: not read */
	READS("cyclonedx/spec-conformance/1.5/invalid-patch-type-1.5.json", CDX, 1, 0),
	/* schema-invalid; serialNumber: not read */
	READS("cyclonedx/spec-conformance/1.5/invalid-serialnumber-1.5.json", CDX, 0, 0),
	READS("cyclonedx/spec-conformance/1.5/valid-bom-1.5.json", CDX, 2, 0),
	READS("cyclonedx/spec-conformance/1.5/valid-component-hashes-1.5.json", CDX, 1, 0),
	READS("cyclonedx/spec-conformance/1.5/valid-component-ref-1.5.json", CDX, 2, 0),
	READS("cyclonedx/spec-conformance/1.5/valid-component-swid-1.5.json", CDX, 1, 0),
	READS("cyclonedx/spec-conformance/1.5/valid-component-swid-full-1.5.json", CDX, 1, 0),
	READS("cyclonedx/spec-conformance/1.5/valid-component-types-1.5.json", CDX, 8, 0),
	READS("cyclonedx/spec-conformance/1.5/valid-dependency-1.5.json", CDX, 3, 0),
	READS("cyclonedx/spec-conformance/1.5/valid-empty-components-1.5.json", CDX, 0, 0),
	READS("cyclonedx/spec-conformance/1.5/valid-external-reference-1.5.json", CDX, 1, 0),
	READS("cyclonedx/spec-conformance/1.5/valid-metadata-tool-1.5.json", CDX, 0, 0),
	READS("cyclonedx/spec-conformance/1.5/valid-metadata-tool-deprecated-1.5.json", CDX, 0, 0),
	READS("cyclonedx/spec-conformance/1.5/valid-minimal-viable-1.5.json", CDX, 1, 0),
	READS("cyclonedx/spec-conformance/1.5/valid-service-empty-objects-1.5.json", CDX, 0, 0),
	READS("cyclonedx/spec-conformance/1.5/valid-vulnerability-1.5.json", CDX, 1, 1),
	/* bomFormat "AnotherFormat" */
	REFUSED("cyclonedx/spec-conformance/1.6/invalid-bomformat-1.6.json", SBOM_UNSUPPORTED),
	/* empty bom-ref (1.5+) */
	REFUSED("cyclonedx/spec-conformance/1.6/invalid-component-ref-1.6.json", SBOM_INVALID),
	/* schema-invalid; swid: not read */
	READS("cyclonedx/spec-conformance/1.6/invalid-component-swid-1.6.json", CDX, 1, 0),
	REFUSED("cyclonedx/spec-conformance/1.6/invalid-component-type-1.6.json", SBOM_INVALID), /* type "foo" */
	/* schema-invalid; dependencies[]: not read */
	READS("cyclonedx/spec-conformance/1.6/invalid-dependency-1.6.json", CDX, 3, 0),
	/* component without name */
	REFUSED("cyclonedx/spec-conformance/1.6/invalid-empty-component-1.6.json", SBOM_INVALID),
	/* schema-invalid; hashes: not read */
	READS("cyclonedx/spec-conformance/1.6/invalid-hash-alg-1.6.json", CDX, 1, 0),
	/* license and expression in one entry */
	REFUSED("cyclonedx/spec-conformance/1.6/invalid-license-choice-1.6.json", SBOM_INVALID),
	/* component without type */
	REFUSED("cyclonedx/spec-conformance/1.6/invalid-missing-component-type-1.6.json", SBOM_INVALID),
	/* schema-invalid; pedigree: not read */
	READS("cyclonedx/spec-conformance/1.6/invalid-patch-type-1.6.json", CDX, 1, 0),
	/* schema-invalid; serialNumber: not read */
	READS("cyclonedx/spec-conformance/1.6/invalid-serialnumber-1.6.json", CDX, 0, 0),
	READS("cyclonedx/spec-conformance/1.6/valid-bom-1.6.json", CDX, 3, 0),
	READS("cyclonedx/spec-conformance/1.6/valid-component-data-1.6.json", CDX, 1, 0),
	READS("cyclonedx/spec-conformance/1.6/valid-component-hashes-1.6.json", CDX, 1, 0),
	READS("cyclonedx/spec-conformance/1.6/valid-component-identifiers-1.6.json", CDX, 1, 0),
	READS("cyclonedx/spec-conformance/1.6/valid-component-ref-1.6.json", CDX, 3, 0),
	READS("cyclonedx/spec-conformance/1.6/valid-component-swid-1.6.json", CDX, 1, 0),
	READS("cyclonedx/spec-conformance/1.6/valid-component-swid-full-1.6.json", CDX, 1, 0),
	READS("cyclonedx/spec-conformance/1.6/valid-component-types-1.6.json", CDX, 9, 0),
	READS("cyclonedx/spec-conformance/1.6/valid-dependency-1.6.json", CDX, 3, 0),
	READS("cyclonedx/spec-conformance/1.6/valid-empty-components-1.6.json", CDX, 0, 0),
	READS("cyclonedx/spec-conformance/1.6/valid-external-reference-1.6.json", CDX, 2, 0),
	READS("cyclonedx/spec-conformance/1.6/valid-metadata-tool-1.6.json", CDX, 0, 0),
	READS("cyclonedx/spec-conformance/1.6/valid-metadata-tool-deprecated-1.6.json", CDX, 0, 0),
	READS("cyclonedx/spec-conformance/1.6/valid-minimal-viable-1.6.json", CDX, 1, 0),
	READS("cyclonedx/spec-conformance/1.6/valid-service-empty-objects-1.6.json", CDX, 0, 0),
	READS("cyclonedx/spec-conformance/1.6/valid-vulnerability-1.6.json", CDX, 1, 1),
	REFUSED("spdx/defectdojo/spdx_3_unsupported.json", SBOM_UNSUPPORTED), /* SPDX 3 */
	READS("spdx/defectdojo/spdx_many_vuln.json", SPDX, 4, 0),
	READS("spdx/defectdojo/spdx_no_vuln.json", SPDX, 3, 0),
	READS("spdx/defectdojo/spdx_one_vuln.json", SPDX, 3, 0),
	READS("spdx/heimdall2/SPDXJSONExample-v2.2.spdx.json", SPDX, 4, 0),
	READS("spdx/secobserve/multiple_observations.json", SPDX, 124, 0),
	READS("spdx/secobserve/no_observation.json", SPDX, 0, 0),
	REFUSED("spdx/spdx-examples-3.0/example10/spdx3.0/hello-source.spdx3.json", SBOM_UNSUPPORTED), /* SPDX 3 */
	REFUSED("spdx/spdx-examples-3.0/example11/spdx3.0/sbom.spdx3.json", SBOM_UNSUPPORTED), /* SPDX 3 */
	READS("spdx/spdx-examples/presentations/OSS-NA-2023/SPDXVersion2.3/01-MinimalSBOM.json", SPDX, 1, 0),
	READS("spdx/spdx-examples/presentations/OSS-NA-2023/SPDXVersion2.3/02-SBOMwSource.json", SPDX, 1, 0),
	READS("spdx/spdx-examples/presentations/OSS-NA-2023/SPDXVersion2.3/03-SBOMwDependency.json", SPDX, 2, 0),
	READS("spdx/spdx-examples/presentations/OSS-NA-2023/SPDXVersion2.3/04-SBOMwSecurity.json", SPDX, 2, 0),
	READS("spdx/spdx-examples/presentations/OSS-NA-2023/SPDXVersion2.3/05-SBOMwSourceLicense.json", SPDX, 1, 0),
	READS("spdx/spdx-examples/presentations/SBOMS-SPDX-Now-and-Future/ACME-v2.3.spdx.json", SPDX, 4, 0),
	READS("spdx/spdx-examples/software/example10/spdx2.3/hello-source.spdx.json", SPDX, 1, 0),
	READS("spdx/spdx-examples/software/example11/spdx2.3/sbom.spdx.json", SPDX, 4, 0),
	READS("spdx/spdx-examples/software/example12/spdx2.2/hello-dist.spdx.json", SPDX, 1, 0),
	READS("spdx/spdx-examples/software/example12/spdx2.2/hello-src.spdx.json", SPDX, 1, 0),
	READS("spdx/spdx-examples/software/example14/content/examplemaven-0.0.1.spdx.json", SPDX, 6, 0),
	READS("spdx/spdx-examples/software/example14/spdx2.3/examplemaven-0.0.1-enriched.spdx.json", SPDX, 6, 0),
	READS("spdx/spdx-examples/software/example7/spdx2.2/example7-bin.spdx.json", SPDX, 1, 0),
	READS("spdx/spdx-examples/software/example7/spdx2.2/example7-go-module.spdx.json", SPDX, 1, 0),
	READS("spdx/spdx-examples/software/example7/spdx2.2/example7-golang.spdx.json", SPDX, 2, 0),
	READS("spdx/spdx-examples/software/example7/spdx2.2/example7-third-party-modules.spdx.json", SPDX, 3, 0),
	READS("spdx/spdx-examples/software/example8/spdx2.3/examplemaven-0.0.1.spdx.json", SPDX, 6, 0),
	READS("spdx/spdx-examples/software/example9/spdx2.2/appbomination.spdx.json", SPDX, 7, 0),
	READS("spdx/spdx-spec-2.3.1/examples/SPDXJSONExample-v2.3.spdx.json", SPDX, 4, 0),
	/* a JSON schema, not an SBOM */
	REFUSED("spdx/spdx-spec-2.3.1/schemas/spdx-schema.json", SBOM_UNSUPPORTED),
};

#define N_CORPUS (sizeof(corpus) / sizeof(corpus[0]))

static int seen[N_CORPUS];
static char unknown[4096];
static size_t unknown_len;

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *rel = path + strlen(CORPUS);
	const char *base = path + ftw->base;
	size_t i;

	(void)st;
	if (type == FTW_D && (strcmp(base, "schema") == 0 || strcmp(base, "purl-spec") == 0))
		return FTW_SKIP_SUBTREE;
	if (type != FTW_F || strcmp(base, "SOURCES.md") == 0)
		return FTW_CONTINUE;
	for (i = 0; i < N_CORPUS; i++) {
		if (strcmp(corpus[i].file, rel) == 0) {
			seen[i]++;
			return FTW_CONTINUE;
		}
	}
	if (unknown_len < sizeof(unknown) - 1) {
		int w = snprintf(unknown + unknown_len, sizeof(unknown) - unknown_len, " %s", rel);
		if (w > 0)
			unknown_len += (size_t)w;
	}
	return FTW_CONTINUE;
}

/* Every file is named in the table, and reads or is refused as it says. */
static void test_corpus(void **state)
{
	char path[1024];
	size_t i;
	int bad = 0;

	(void)state;
	memset(seen, 0, sizeof(seen));
	unknown[0] = '\0';
	unknown_len = 0;
	assert_int_equal(nftw(CORPUS "cyclonedx", visit, 16, FTW_PHYS | FTW_ACTIONRETVAL), 0);
	assert_int_equal(nftw(CORPUS "spdx", visit, 16, FTW_PHYS | FTW_ACTIONRETVAL), 0);
	if (unknown_len)
		fail_msg("corpus files missing from the table in test_sbom.c:%s", unknown);
	for (i = 0; i < N_CORPUS; i++) {
		struct recorder r;
		struct sg_sbom_summary sum;
		struct sg_error err;
		int rc;

		if (!seen[i])
			fail_msg("the table names %s, which the corpus does not hold", corpus[i].file);
		snprintf(path, sizeof(path), "%s%s", CORPUS, corpus[i].file);
		memset(&r, 0, sizeof(r));
		rc = read_path(path, &r, &sum, &err);
		if (corpus[i].diag == SG_DIAG_NONE) {
			if (rc != 0 || (int)sum.format != corpus[i].format || sum.components != corpus[i].components ||
			    r.n != corpus[i].components || sum.vex != corpus[i].vex || r.n_vex != corpus[i].vex ||
			    sum.without_purl != r.without_purl) {
				print_error("%s: rc %d [%s] %s; format %d components %lld (sink %lld) vex %lld\n",
					    corpus[i].file, rc, sg_diag_id(err.diag), err.message, (int)sum.format,
					    sum.components, r.n, sum.vex);
				bad++;
			}
		} else if (rc != sg_diag_code(corpus[i].diag) || err.diag != corpus[i].diag || err.line < 1 ||
			   strcmp(err.where, path) != 0) {
			print_error("%s: expected [%s], got rc %d [%s] %s\n", corpus[i].file,
				    sg_diag_id(corpus[i].diag), rc, sg_diag_id(err.diag), err.message);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* ---- real files, field by field ---- */

static void read_corpus(const char *rel, struct recorder *r, struct sg_sbom_summary *sum)
{
	char path[1024];
	struct sg_error err;
	int rc;

	snprintf(path, sizeof(path), "%s%s", CORPUS, rel);
	rc = read_path(path, r, sum, &err);
	if (rc != 0)
		fail_msg("%s: rc %d [%s] %s", rel, rc, sg_diag_id(err.diag), err.message);
}

/* FORMATS.md 4.1: juice-shop nests components two levels deep. */
static void test_juice_shop_nesting(void **state)
{
	struct recorder r;
	struct sg_sbom_summary sum;

	(void)state;
	memset(&r, 0, sizeof(r));
	read_corpus("cyclonedx/bom-examples/SBOM/juice-shop/via_npm/bare/bom.1.4.json", &r, &sum);
	assert_int_equal(sum.format, SG_SBOM_CYCLONEDX);
	assert_string_equal(sum.spec_version, "1.4");
	assert_int_equal(r.n, 1115);
	assert_int_equal(r.nested, 278); /* 266 at depth 1, 12 at depth 2 */
	assert_int_equal(r.deep, 12);
	assert_int_equal(r.max_depth, 2);
	assert_int_equal(sum.without_purl, 0);
	assert_string_equal(sum.subject, "juice-shop");
	assert_string_equal(sum.tool, "cyclonedx-library");
	assert_string_equal(sum.tool_version, "1.13.3");
}

static void test_spdx_spec_example(void **state)
{
	struct recorder r;
	struct sg_sbom_summary sum;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.probe[0] = "glibc";
	r.probe[1] = "Jena";
	read_corpus("spdx/spdx-spec-2.3.1/examples/SPDXJSONExample-v2.3.spdx.json", &r, &sum);
	assert_int_equal(sum.format, SG_SBOM_SPDX);
	assert_string_equal(sum.spec_version, "SPDX-2.3");
	assert_string_equal(sum.subject, "SPDX-Tools-v2.0");
	assert_string_equal(sum.tool, "LicenseFind"); /* "Tool: LicenseFind-1.0" */
	assert_string_equal(sum.tool_version, "1.0");
	assert_int_equal(sum.components, 4);
	assert_int_equal(sum.without_purl, 3);
	assert_true(r.probed[0].found);
	assert_string_equal(r.probed[0].ref, "SPDXRef-Package");
	assert_string_equal(r.probed[0].type, "source"); /* primaryPackagePurpose SOURCE */
	assert_string_equal(r.probed[0].version, "2.11.1");
	assert_false(r.probed[0].has_purl);
	assert_int_equal(r.probed[0].n_licenses, 1); /* concluded, not declared */
	assert_string_equal(r.probed[0].licenses[0], "(LGPL-2.0-only OR LicenseRef-3)");
	assert_true(r.probed[1].found);
	assert_string_equal(r.probed[1].purl, "pkg:maven/org.apache.jena/apache-jena@3.12.0");
	assert_int_equal(r.probed[1].n_licenses, 0); /* NOASSERTION both */
}

/* A VEX document whose affects[] refs are BOM-Links to three products. */
static void test_vex_bom_links(void **state)
{
	struct recorder r;
	struct sg_sbom_summary sum;

	(void)state;
	memset(&r, 0, sizeof(r));
	read_corpus("cyclonedx/bom-examples/VEX/Use-Cases/Case-9/vex.json", &r, &sum);
	assert_int_equal(sum.vex, 19);
	assert_int_equal(r.n_vex, 19);
	assert_int_equal(r.n, 0);
	assert_string_equal(r.vex.id, "CVE-2020-11896");
	assert_string_equal(r.vex.state, "not_affected");
	assert_string_equal(r.vex.justification, "code_not_reachable");
	assert_true(r.vex.has_detail);
	assert_int_equal(strncmp(r.vex.detail, "Automated dataflow analysis", 27), 0);
	assert_int_equal(r.vex.n_refs, 3);
	assert_string_equal(r.vex.refs[0], "acme-product-1");
	assert_string_equal(r.vex.refs[1], "acme-product-2");
	assert_string_equal(r.vex.refs[2], "acme-product-3");
}

/* The generators this machine ran (corpus/tools/README.md). */
static void test_generators(void **state)
{
	static const struct {
		const char *file;
		const char *spec, *tool, *tool_version, *subject;
		long long components, nested, without_purl, optional;
	} gens[] = {
		{"tools/cdxgen/npm-vuln-app.cdx-1.6.json", "1.6", "cdxgen", "12.8.4", "npm-vuln-app", 56, 0, 0, 54},
		{"tools/cdxgen/c-zlib-examples.cdx-1.6.json", "1.6", "cdxgen", "12.8.4", "c-zlib-examples", 0, 0, 0, 0},
		{"tools/cyclonedx-npm/npm-vuln-app.cdx-1.6.json", "1.6", "npm", "11.19.1", "npm-vuln-app", 56, 1, 0, 0},
		{"tools/cyclonedx-npm/npm-vuln-app.cdx-1.4.json", "1.4", "npm", "11.19.1", "npm-vuln-app", 56, 1, 0, 0},
		{"tools/trivy-cdxgen/secrets-repo.cdx.json", "1.6", "trivy", "dev", "secrets-repo", 0, 0, 0, 0},
		{"tools/retire/npm-vuln-app.cdx-1.6-vex.json", "1.6", "retire", "5.7.0", "npm-vuln-app", 3, 0, 0, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(gens) / sizeof(gens[0]); i++) {
		struct recorder r;
		struct sg_sbom_summary sum;

		memset(&r, 0, sizeof(r));
		r.probe[0] = "axios";
		r.probe[1] = "utils-merge";
		r.probe[2] = "ms";
		read_corpus(gens[i].file, &r, &sum);
		assert_int_equal(sum.format, SG_SBOM_CYCLONEDX);
		assert_string_equal(sum.spec_version, gens[i].spec);
		assert_string_equal(sum.tool, gens[i].tool);
		assert_string_equal(sum.tool_version, gens[i].tool_version);
		assert_string_equal(sum.subject, gens[i].subject);
		assert_int_equal(sum.components, gens[i].components);
		assert_int_equal(r.nested, gens[i].nested);
		assert_int_equal(sum.without_purl, gens[i].without_purl);
		assert_int_equal(r.optional, gens[i].optional);
		assert_int_equal(sum.vex, 0); /* retire's 33 vulnerabilities have no analysis */
		if (gens[i].components == 56) {
			assert_true(r.probed[0].found);
			assert_string_equal(r.probed[0].purl, "pkg:npm/axios@0.21.0");
			assert_string_equal(r.probed[0].version, "0.21.0");
			assert_int_equal(r.probed[0].n_licenses, 1);
			assert_string_equal(r.probed[0].licenses[0], "MIT");
			/* cyclonedx-npm lists MIT twice for utils-merge: said once. */
			assert_int_equal(r.probed[1].n_licenses, 1);
			assert_string_equal(r.probed[1].licenses[0], "MIT");
		}
		if (gens[i].optional) { /* cdxgen: scope passed through */
			assert_string_equal(r.probed[0].scope, "optional");
			assert_int_equal(r.required, 2);
		}
		if (gens[i].nested)
			assert_int_equal(r.probed[2].depth, 1);
	}
}

/* corpus/tools keeps trivy's rootfs SBOM gzipped: unpack it first. */
static void gunzip(const char *from, char *to)
{
	struct archive *a = archive_read_new();
	struct archive_entry *entry;
	char buf[65536];
	la_ssize_t n;
	int fd;

	assert_non_null(a);
	assert_int_equal(archive_read_support_filter_gzip(a), ARCHIVE_OK);
	assert_int_equal(archive_read_support_format_raw(a), ARCHIVE_OK);
	assert_int_equal(archive_read_open_filename(a, from, sizeof(buf)), ARCHIVE_OK);
	assert_int_equal(archive_read_next_header(a, &entry), ARCHIVE_OK);
	fd = mkstemp(to);
	assert_true(fd >= 0);
	while ((n = archive_read_data(a, buf, sizeof(buf))) > 0)
		assert_true(write(fd, buf, (size_t)n) == n);
	assert_int_equal(n, 0);
	close(fd);
	archive_read_free(a);
}

static void test_trivy_rootfs(void **state)
{
	char path[] = "/tmp/sg-test-sbom-rootfs-XXXXXX";
	struct recorder r;
	struct sg_sbom_summary sum;
	struct sg_error err;
	int rc;

	(void)state;
	gunzip(CORPUS "tools/trivy-cdxgen/debian-rootfs.cdx-1.6.json.gz", path);
	memset(&r, 0, sizeof(r));
	r.probe[0] = "libegl1";
	r.probe[1] = "libpq-dev";
	r.probe[2] = "fp-compiler-3.2.2";
	rc = read_path(path, &r, &sum, &err);
	unlink(path);
	assert_int_equal(rc, 0);
	assert_int_equal(sum.components, 1456);
	assert_int_equal(sum.without_purl, 13);
	assert_string_equal(sum.tool, "trivy");
	assert_string_equal(sum.subject, "vm");
	/* trivy writes ids in the wrong case ("BSD-1-clause", "Tcl") and
	 * free-text names ("public-domain"): listed ids come out in their
	 * listed case, names as LicenseRef-. */
	assert_int_equal(r.probed[0].n_licenses, 7);
	assert_string_equal(r.probed[0].licenses[0], "MIT");
	assert_string_equal(r.probed[0].licenses[2], "LicenseRef-public-domain");
	assert_string_equal(r.probed[0].licenses[4], "BSD-1-Clause");
	assert_string_equal(r.probed[1].licenses[2], "TCL");
	/* 28 licence entries: the first SG_SBOM_MAX_LICENSES are kept. */
	assert_int_equal(r.probed[2].n_licenses, SG_SBOM_MAX_LICENSES);
	assert_string_equal(r.probed[2].licenses[0], "GPL-2.0-or-later");
	assert_string_equal(r.probed[2].licenses[1], "LicenseRef-LGPL-2.1-or-later-WITH-staticLink-exception");
}

static void test_cyclonedx_xml(void **state)
{
	struct recorder r;
	struct sg_sbom_summary sum;
	struct sg_error err;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(read_path(CORPUS "tools/cyclonedx-npm/npm-vuln-app.cdx-1.6.xml", &r, &sum, &err),
			 SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_SBOM_UNSUPPORTED);
	assert_non_null(strstr(err.message, "CycloneDX XML"));
	assert_int_equal(r.n, 0);
	(void)refused("SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n", SG_DIAG_SBOM_UNSUPPORTED);
	(void)refused("<?xml version=\"1.0\"?><rdf:RDF/>", SG_DIAG_SBOM_UNSUPPORTED);
	/* Broken JSON stays a JSON error. */
	(void)refused("{\"bomFormat\": \"CycloneDX\",", SG_DIAG_JSON_TRUNCATED);
	(void)refused("{\"bomFormat\" \"CycloneDX\"}", SG_DIAG_JSON_SYNTAX);
}

/* ---- hostile and synthetic documents ---- */

static void test_component_without_name(void **state)
{
	struct sg_error err;

	(void)state;
	err = refused(CDX14("\"components\":[" LIB("a") ",{\"type\":\"library\",\"version\":\"1\"}]"),
		      SG_DIAG_SBOM_INVALID);
	assert_string_equal(err.pointer, "/components/1");
	assert_true(err.line >= 1);
	err = refused(CDX15("\"components\":[{\"name\":\"a\"}]"), SG_DIAG_SBOM_INVALID); /* no type */
	assert_string_equal(err.pointer, "/components/0");
	err = refused(CDX15("\"components\":[{\"type\":\"library\",\"name\":7}]"), SG_DIAG_SBOM_INVALID);
	assert_string_equal(err.pointer, "/components/0/name");
	(void)refused(CDX15("\"components\":[\"lodash\"]"), SG_DIAG_SBOM_INVALID);
	(void)refused(CDX15("\"components\":{}"), SG_DIAG_SBOM_INVALID);
	(void)refused(SPDX23("\"packages\":[{\"SPDXID\":\"SPDXRef-a\"}]"), SG_DIAG_SBOM_INVALID);
	(void)refused(SPDX23("\"packages\":[{\"name\":\"a\"}]"), SG_DIAG_SBOM_INVALID);
}

static void test_long_strings(void **state)
{
	struct sg_buf b;
	struct sg_error err;
	size_t i;

	(void)state;
	/* Longer than SG_SBOM_MAX_FIELD_BYTES: refused naming the field. */
	sg_buf_init(&b, 4U << 20);
	sg_buf_adds(&b, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\","
			"\"components\":[{\"type\":\"library\",\"name\":\"");
	for (i = 0; i < SG_SBOM_MAX_FIELD_BYTES + 1; i++)
		sg_buf_addc(&b, 'a');
	sg_buf_adds(&b, "\"}]}");
	assert_int_equal(sg_buf_error(&b), 0);
	err = refused(b.data, SG_DIAG_SBOM_INVALID);
	assert_string_equal(err.pointer, "/components/0/name");
	assert_non_null(strstr(err.message, "\"name\""));
	/* 2 MiB: the JSON reader's string limit comes first. */
	sg_buf_reset(&b);
	sg_buf_adds(&b, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\","
			"\"components\":[{\"type\":\"library\",\"name\":\"");
	for (i = 0; i < (2U << 20); i++)
		sg_buf_addc(&b, 'a');
	sg_buf_adds(&b, "\"}]}");
	assert_int_equal(sg_buf_error(&b), 0);
	(void)refused(b.data, SG_DIAG_LIMIT_EXCEEDED);
	/* A long purl in an SPDX externalRefs entry. */
	sg_buf_reset(&b);
	sg_buf_adds(&b, SPDX23("\"packages\":[{\"SPDXID\":\"SPDXRef-a\",\"name\":\"a\",\"externalRefs\":[{"
			       "\"referenceCategory\":\"PACKAGE-MANAGER\",\"referenceType\":\"purl\","
			       "\"referenceLocator\":\"pkg:npm/"));
	sg_buf_truncate(&b, b.len - 1); /* reopen the document */
	for (i = 0; i < SG_SBOM_MAX_FIELD_BYTES; i++)
		sg_buf_addc(&b, 'a');
	sg_buf_adds(&b, "\"}]}]}");
	assert_int_equal(sg_buf_error(&b), 0);
	(void)refused(b.data, SG_DIAG_SBOM_INVALID);
	sg_buf_release(&b);
}

static void test_wrong_format(void **state)
{
	struct sg_error err;

	(void)state;
	err = refused("{\"bomFormat\":\"SPDX\",\"specVersion\":\"1.5\",\"components\":[]}", SG_DIAG_SBOM_UNSUPPORTED);
	assert_string_equal(err.pointer, "/bomFormat");
	(void)refused("{\"bomFormat\":1,\"specVersion\":\"1.5\"}", SG_DIAG_SBOM_UNSUPPORTED);
	err = refused("{\"components\":[" LIB("a") "]}", SG_DIAG_SBOM_UNSUPPORTED); /* no marker at all */
	assert_non_null(strstr(err.message, "not a CycloneDX or SPDX document"));
	(void)refused("[{\"bomFormat\":\"CycloneDX\"}]", SG_DIAG_SBOM_UNSUPPORTED);
	(void)refused("\"CycloneDX\"", SG_DIAG_SBOM_UNSUPPORTED);
	(void)refused("{\"bomFormat\":\"CycloneDX\",\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\"}",
		      SG_DIAG_SBOM_INVALID);
	/* SARIF is not an SBOM. */
	(void)refused("{\"version\":\"2.1.0\",\"runs\":[]}", SG_DIAG_SBOM_UNSUPPORTED);
}

static void test_cyclonedx_versions(void **state)
{
	struct recorder r;
	struct sg_sbom_summary sum;
	struct sg_error err;

	(void)state;
	err = refused("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.3\",\"components\":[" LIB("a") "]}",
		      SG_DIAG_SBOM_UNSUPPORTED);
	assert_non_null(strstr(err.message, "\"1.3\""));
	assert_string_equal(err.pointer, "/specVersion");
	(void)refused("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.7\"}", SG_DIAG_SBOM_UNSUPPORTED);
	(void)refused("{\"bomFormat\":\"CycloneDX\",\"specVersion\":1.5}", SG_DIAG_SBOM_INVALID);
	err = refused("{\"bomFormat\":\"CycloneDX\",\"components\":[]}", SG_DIAG_SBOM_INVALID); /* no specVersion */
	assert_string_equal(err.pointer, "/specVersion");
	/* The markers last: a nameless component read before them is
	 * reported as what it is only once the version is known to be read. */
	err = refused("{\"components\":[{\"type\":\"library\"}],\"specVersion\":\"1.3\",\"bomFormat\":\"CycloneDX\"}",
		      SG_DIAG_SBOM_UNSUPPORTED);
	assert_string_equal(err.pointer, "/specVersion");
	err = refused("{\"components\":[{\"type\":\"library\"}],\"specVersion\":\"1.5\",\"bomFormat\":\"CycloneDX\"}",
		      SG_DIAG_SBOM_INVALID);
	assert_string_equal(err.pointer, "/components/0");
	/* Markers after the components: they are handed over all the same. */
	memset(&r, 0, sizeof(r));
	reads("{\"components\":[" LIB("a") "," LIB("b") "],\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\"}",
	      &r, &sum);
	assert_int_equal(sum.components, 2);
	assert_string_equal(sum.spec_version, "1.6");
}

/* Checks that hold in some versions only wait for the version. */
static void test_version_dependent_checks(void **state)
{
	struct recorder r;
	struct sg_sbom_summary sum;

	(void)state;
	/* "data" is a 1.5 type; "cryptographic-asset" a 1.6 one. */
	(void)refused(CDX14("\"components\":[{\"type\":\"data\",\"name\":\"d\"}]"), SG_DIAG_SBOM_INVALID);
	(void)refused("{\"components\":[{\"type\":\"data\",\"name\":\"d\"}],\"bomFormat\":\"CycloneDX\","
		      "\"specVersion\":\"1.4\"}",
		      SG_DIAG_SBOM_INVALID);
	(void)refused(CDX15("\"components\":[{\"type\":\"cryptographic-asset\",\"name\":\"k\"}]"),
		      SG_DIAG_SBOM_INVALID);
	(void)refused(CDX16("\"components\":[{\"type\":\"foo\",\"name\":\"k\"}]"), SG_DIAG_SBOM_INVALID);
	memset(&r, 0, sizeof(r));
	reads("{\"components\":[{\"type\":\"data\",\"name\":\"d\"}],\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\"}",
	      &r, &sum);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.first.type, "data");
	/* An empty bom-ref is invalid from 1.5 on; in 1.4 it names nothing. */
	memset(&r, 0, sizeof(r));
	reads(CDX14("\"components\":[{\"type\":\"library\",\"name\":\"a\",\"bom-ref\":\"\"}]"), &r, &sum);
	assert_false(r.first.has_ref);
	(void)refused(CDX15("\"components\":[{\"type\":\"library\",\"name\":\"a\",\"bom-ref\":\"\"}]"),
		      SG_DIAG_SBOM_INVALID);
	(void)refused(CDX16("\"components\":[{\"type\":\"library\",\"name\":\"a\",\"scope\":\"dev\"}]"),
		      SG_DIAG_SBOM_INVALID);
}

static void test_spdx_versions(void **state)
{
	struct sg_error err;

	(void)state;
	err = refused("{\"spdxVersion\":\"SPDX-3.0\",\"@context\":\"https://spdx.org/rdf/3.0.0/spdx-context.jsonld\","
		      "\"@graph\":[]}",
		      SG_DIAG_SBOM_UNSUPPORTED);
	assert_non_null(strstr(err.message, "SPDX 3"));
	err = refused("{\"@context\":[\"https://spdx.org/rdf/3.0.1/spdx-context.jsonld\"],\"@graph\":[]}",
		      SG_DIAG_SBOM_UNSUPPORTED);
	assert_non_null(strstr(err.message, "SPDX 3"));
	(void)refused("{\"@context\":\"https://schema.org\",\"@graph\":[]}", SG_DIAG_SBOM_UNSUPPORTED);
	err = refused("{\"spdxVersion\":\"SPDX-2.1\",\"packages\":[]}", SG_DIAG_SBOM_UNSUPPORTED);
	assert_non_null(strstr(err.message, "SPDX-2.1"));
	(void)refused("{\"spdxVersion\":2.3}", SG_DIAG_SBOM_INVALID);
}

static void test_both_formats(void **state)
{
	(void)state;
	(void)refused("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"spdxVersion\":\"SPDX-2.3\"}",
		      SG_DIAG_SBOM_INVALID);
	(void)refused("{\"spdxVersion\":\"SPDX-2.3\",\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\"}",
		      SG_DIAG_SBOM_INVALID);
	/* Content of one format read before the other's marker. */
	(void)refused("{\"packages\":[{\"SPDXID\":\"SPDXRef-a\",\"name\":\"a\"}],\"bomFormat\":\"CycloneDX\","
		      "\"specVersion\":\"1.5\"}",
		      SG_DIAG_SBOM_INVALID);
	(void)refused("{\"components\":[" LIB("a") "],\"spdxVersion\":\"SPDX-2.3\"}", SG_DIAG_SBOM_INVALID);
}

static void test_vex(void **state)
{
	struct recorder r;
	struct sg_sbom_summary sum;
	struct sg_error err;

	(void)state;
	memset(&r, 0, sizeof(r));
	reads(CDX15("\"vulnerabilities\":[{\"id\":\"CVE-2024-1\"},"
		    "{\"id\":\"CVE-2024-2\",\"analysis\":{\"state\":\"not_affected\",\"justification\":"
		    "\"code_not_present\",\"detail\":\"gone\"},\"affects\":[{\"ref\":\"lib-a\"},"
		    "{\"ref\":\"urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#pkg:npm/%40scope%2Fname@1.0\"},"
		    "{\"ref\":\"urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1\"}]}]"),
	      &r, &sum);
	assert_int_equal(sum.vex, 1); /* the entry without analysis is a finding, not VEX */
	assert_string_equal(r.vex.id, "CVE-2024-2");
	assert_string_equal(r.vex.state, "not_affected");
	assert_string_equal(r.vex.justification, "code_not_present");
	assert_string_equal(r.vex.detail, "gone");
	assert_int_equal(r.vex.n_refs, 3);
	assert_string_equal(r.vex.refs[0], "lib-a");
	assert_string_equal(r.vex.refs[1], "pkg:npm/@scope/name@1.0"); /* fragment, percent-decoded */
	assert_string_equal(r.vex.refs[2], "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1"); /* a whole BOM */
	memset(&r, 0, sizeof(r));
	reads(CDX14("\"vulnerabilities\":[{\"id\":\"CVE-1\",\"analysis\":{\"state\":\"in_triage\"}}]"), &r, &sum);
	assert_false(r.vex.has_justification);
	assert_false(r.vex.has_detail);
	assert_int_equal(r.vex.n_refs, 0);

	err = refused(CDX15("\"vulnerabilities\":[{\"id\":\"CVE-1\",\"analysis\":{\"state\":\"fixed\"}}]"),
		      SG_DIAG_SBOM_INVALID);
	assert_string_equal(err.pointer, "/vulnerabilities/0/analysis/state");
	err = refused(CDX15("\"vulnerabilities\":[{\"id\":\"CVE-1\",\"analysis\":{\"state\":\"not_affected\","
			    "\"justification\":\"trust_me\"}}]"),
		      SG_DIAG_SBOM_INVALID);
	assert_string_equal(err.pointer, "/vulnerabilities/0/analysis/justification");
	(void)refused(CDX15("\"vulnerabilities\":[{\"analysis\":{\"state\":\"resolved\"}}]"), SG_DIAG_SBOM_INVALID);
	(void)refused(CDX15("\"vulnerabilities\":[{\"id\":\"CVE-1\",\"analysis\":{\"state\":\"resolved\"},"
			    "\"affects\":[{\"ref\":\"urn:cdx:x/1#bad%zz\"}]}]"),
		      SG_DIAG_SBOM_INVALID);
	(void)refused(CDX15("\"vulnerabilities\":[{\"id\":\"CVE-1\",\"analysis\":{\"state\":\"resolved\"},"
			    "\"affects\":[{\"ref\":\"urn:cdx:x/1#nul%00\"}]}]"),
		      SG_DIAG_SBOM_INVALID);
	(void)refused(CDX15("\"vulnerabilities\":[{\"id\":\"CVE-1\",\"analysis\":{\"state\":\"resolved\"},"
			    "\"affects\":[{\"versions\":[]}]}]"),
		      SG_DIAG_SBOM_INVALID);
	(void)refused(CDX15("\"vulnerabilities\":[{\"id\":\"CVE-1\",\"analysis\":\"resolved\"}]"),
		      SG_DIAG_SBOM_INVALID);
}

static void test_licences(void **state)
{
	struct recorder r;
	struct sg_sbom_summary sum;

	(void)state;
	memset(&r, 0, sizeof(r));
	reads(CDX15("\"components\":[{\"type\":\"library\",\"name\":\"a\",\"licenses\":["
		    "{\"license\":{\"id\":\"apache-2.0\"}},"
		    "{\"license\":{\"name\":\"mit\"}},"
		    "{\"license\":{\"name\":\"The Apache Software License, Version 2.0\"}},"
		    "{\"license\":{\"name\":\"\\u00e9\"}},"
		    "{\"expression\":\"mit or (bsd-3-clause AND Apache-2.0)\"},"
		    "{\"license\":{\"id\":\"Apache-2.0\",\"name\":\"Apache\"}}]}]"),
	      &r, &sum);
	assert_int_equal(r.first.n_licenses, 5);
	assert_string_equal(r.first.licenses[0], "Apache-2.0");
	assert_string_equal(r.first.licenses[1], "MIT"); /* a listed id written as a name */
	assert_string_equal(r.first.licenses[2], "LicenseRef-The-Apache-Software-License-Version-2.0");
	assert_string_equal(r.first.licenses[3], "LicenseRef-unnamed");
	assert_string_equal(r.first.licenses[4], "MIT OR (BSD-3-Clause AND Apache-2.0)");
	/* The sixth said Apache-2.0 again: said once. */

	/* Free text where an expression belongs is kept as a licence name, not
	 * a reason to refuse the SBOM (jake, cdxgen and trivy write it). */
	memset(&r, 0, sizeof(r));
	reads(CDX15("\"components\":[{\"type\":\"library\",\"name\":\"a\",\"licenses\":["
		    "{\"expression\":\"MIT License\"}]}]"),
	      &r, &sum);
	assert_int_equal(r.first.n_licenses, 1);
	assert_string_equal(r.first.licenses[0], "LicenseRef-MIT-License");
	(void)refused(CDX15("\"components\":[{\"type\":\"library\",\"name\":\"a\",\"licenses\":["
			    "{\"expression\":\"MIT\",\"license\":{\"id\":\"MIT\"}}]}]"),
		      SG_DIAG_SBOM_INVALID);
	(void)refused(CDX15("\"components\":[{\"type\":\"library\",\"name\":\"a\",\"licenses\":[{}]}]"),
		      SG_DIAG_SBOM_INVALID);
	(void)refused(CDX15("\"components\":[{\"type\":\"library\",\"name\":\"a\",\"licenses\":["
			    "{\"license\":{\"url\":\"https://x\"}}]}]"),
		      SG_DIAG_SBOM_INVALID);
	(void)refused(CDX15("\"components\":[{\"type\":\"library\",\"name\":\"a\",\"licenses\":[\"MIT\"]}]"),
		      SG_DIAG_SBOM_INVALID);
	memset(&r, 0, sizeof(r));
	reads(SPDX23("\"packages\":[{\"SPDXID\":\"SPDXRef-a\",\"name\":\"a\",\"licenseConcluded\":\"MIT AND\"}]"),
	      &r, &sum);
	assert_string_equal(r.first.licenses[0], "LicenseRef-MIT-AND");
}

/* More licence entries than SG_SBOM_MAX_LICENSES: the first ones are kept. */
static void test_many_licences(void **state)
{
	static const char *const ids[] = {"MIT", "ISC", "Zlib", "0BSD"};
	struct recorder r;
	struct sg_sbom_summary sum;
	struct sg_buf b;
	int i;

	(void)state;
	sg_buf_init(&b, 1U << 20);
	sg_buf_adds(&b, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":[{\"type\":\"library\","
			"\"name\":\"a\",\"licenses\":[");
	for (i = 0; i < 40; i++)
		sg_buf_printf(&b, "%s{\"license\":{\"name\":\"custom-%d\"}}", i ? "," : "", i);
	for (i = 0; i < 4; i++)
		sg_buf_printf(&b, ",{\"license\":{\"id\":\"%s\"}}", ids[i]);
	sg_buf_adds(&b, "]}]}");
	memset(&r, 0, sizeof(r));
	reads(b.data, &r, &sum);
	assert_int_equal(r.first.n_licenses, SG_SBOM_MAX_LICENSES);
	assert_string_equal(r.first.licenses[0], "LicenseRef-custom-0");
	assert_string_equal(r.first.licenses[SG_SBOM_MAX_LICENSES - 1], "LicenseRef-custom-15");
	sg_buf_release(&b);
}

static void test_nesting_subject_and_tools(void **state)
{
	struct recorder r;
	struct sg_sbom_summary sum;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.probe[0] = "org.acme/deep";
	r.probe[1] = "module-a";
	reads(CDX15("\"metadata\":{\"tools\":{\"components\":[{\"type\":\"application\",\"group\":\"g\","
		    "\"name\":\"gen\",\"version\":\"2.0\"}]},"
		    "\"component\":{\"type\":\"application\",\"group\":\"org.acme\",\"name\":\"product\","
		    "\"components\":[{\"type\":\"library\",\"name\":\"module-a\","
		    "\"purl\":\"pkg:maven/org.acme/module-a@1\"}]}},"
		    "\"components\":[{\"type\":\"library\",\"name\":\"top\",\"components\":["
		    "{\"type\":\"library\",\"name\":\"mid\",\"components\":["
		    "{\"type\":\"library\",\"group\":\"org.acme\",\"name\":\"deep\",\"version\":\"3\"}]}]},"
		    "{\"type\":\"library\",\"group\":\"\",\"name\":\"flat\"}]"),
	      &r, &sum);
	assert_string_equal(sum.subject, "org.acme/product");
	assert_string_equal(sum.tool, "gen");
	assert_string_equal(sum.tool_version, "2.0");
	assert_int_equal(sum.components, 5); /* the subject is not one; its module is */
	assert_int_equal(r.max_depth, 2);
	assert_true(r.probed[0].found);
	assert_int_equal(r.probed[0].depth, 2);
	assert_string_equal(r.probed[0].version, "3");
	assert_true(r.probed[1].found);
	assert_int_equal(r.probed[1].depth, 1);
	assert_string_equal(r.probed[1].purl, "pkg:maven/org.acme/module-a@1");
	assert_string_equal(r.first.name, "module-a"); /* handed over as each ends */
	assert_int_equal(sum.without_purl, 4);

	/* 1.4 tools: an array of {vendor, name, version}; the first one counts. */
	memset(&r, 0, sizeof(r));
	reads(CDX14("\"metadata\":{\"tools\":[{\"vendor\":\"v\",\"version\":\"1\"},{\"vendor\":\"v\",\"name\":\"t\","
		    "\"version\":\"9\"},{\"name\":\"u\"}]}"),
	      &r, &sum);
	assert_string_equal(sum.tool, "t");
	assert_string_equal(sum.tool_version, "9");
	assert_string_equal(sum.subject, "");
	(void)refused(CDX15("\"metadata\":{\"component\":{\"type\":\"application\"}}"), SG_DIAG_SBOM_INVALID);
}

static void test_spdx_fields(void **state)
{
	struct recorder r;
	struct sg_sbom_summary sum;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.probe[0] = "b";
	reads(SPDX23("\"creationInfo\":{\"creators\":[\"Organization: x\",\"Tool: sbom-tool-v2.1.0\",\"Tool: other-1\"]},"
		     "\"packages\":[{\"SPDXID\":\"SPDXRef-a\",\"name\":\"a\",\"versionInfo\":\"1.0\","
		     "\"primaryPackagePurpose\":\"OPERATING-SYSTEM\",\"licenseConcluded\":\"NOASSERTION\","
		     "\"licenseDeclared\":\"apache-2.0\",\"externalRefs\":["
		     "{\"referenceCategory\":\"SECURITY\",\"referenceType\":\"cpe23Type\","
		     "\"referenceLocator\":\"cpe:2.3:a\"},"
		     "{\"referenceCategory\":\"PACKAGE_MANAGER\",\"referenceType\":\"purl\","
		     "\"referenceLocator\":\"pkg:deb/debian/a@1.0\"},"
		     "{\"referenceCategory\":\"PACKAGE-MANAGER\",\"referenceType\":\"purl\","
		     "\"referenceLocator\":\"pkg:deb/debian/a2@1.0\"}]},"
		     "{\"SPDXID\":\"SPDXRef-b\",\"name\":\"b\",\"licenseConcluded\":\"NONE\","
		     "\"licenseDeclared\":\"NOASSERTION\"}]"),
	      &r, &sum);
	assert_string_equal(sum.tool, "sbom-tool");
	assert_string_equal(sum.tool_version, "v2.1.0");
	assert_string_equal(sum.subject, "doc");
	assert_int_equal(sum.components, 2);
	assert_int_equal(sum.without_purl, 1);
	assert_string_equal(r.first.ref, "SPDXRef-a");
	assert_string_equal(r.first.type, "operating-system");
	assert_string_equal(r.first.version, "1.0");
	assert_string_equal(r.first.purl, "pkg:deb/debian/a@1.0"); /* the first purl */
	assert_int_equal(r.first.n_licenses, 1);
	assert_string_equal(r.first.licenses[0], "Apache-2.0"); /* concluded said nothing: declared */
	assert_int_equal(r.first.depth, 0);
	assert_false(r.first.has_scope);
	assert_int_equal(r.probed[0].n_licenses, 0);
	assert_false(r.probed[0].has_type);
	assert_false(r.probed[0].has_version);

	memset(&r, 0, sizeof(r));
	reads(SPDX23("\"creationInfo\":{\"creators\":[\"Tool: spdx-maven-plugin\"]},\"packages\":[]"), &r, &sum);
	assert_string_equal(sum.tool, "spdx-maven-plugin");
	assert_string_equal(sum.tool_version, "");
	(void)refused(SPDX23("\"packages\":[{\"SPDXID\":\"SPDXRef-a\",\"name\":\"a\",\"primaryPackagePurpose\":\"GAME\"}]"),
		      SG_DIAG_SBOM_INVALID);
	(void)refused(SPDX23("\"packages\":{}"), SG_DIAG_SBOM_INVALID);
	(void)refused(SPDX23("\"packages\":[{\"SPDXID\":\"SPDXRef-a\",\"name\":\"a\",\"externalRefs\":[7]}]"),
		      SG_DIAG_SBOM_INVALID);
}

/* ---- limits ---- */

static void test_limits(void **state)
{
	struct sg_buf b;
	struct sg_error err;
	long i;

	(void)state;
	sg_buf_init(&b, 64U << 20);
	/* affects[] refs of one vulnerability */
	sg_buf_adds(&b, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"vulnerabilities\":[{\"id\":\"CVE-1\","
			"\"analysis\":{\"state\":\"exploitable\"},\"affects\":[");
	for (i = 0; i <= SG_SBOM_MAX_VEX_REFS; i++)
		sg_buf_printf(&b, "%s{\"ref\":\"r%ld\"}", i ? "," : "", i);
	sg_buf_adds(&b, "]}]}");
	assert_int_equal(sg_buf_error(&b), 0);
	err = refused(b.data, SG_DIAG_LIMIT_EXCEEDED);
	assert_non_null(strstr(err.pointer, "/affects/"));

	/* vulnerabilities[] */
	sg_buf_reset(&b);
	sg_buf_adds(&b, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"vulnerabilities\":[");
	for (i = 0; i <= SG_SBOM_MAX_VEX; i++)
		sg_buf_adds(&b, i ? ",{}" : "{}");
	sg_buf_adds(&b, "]}");
	assert_int_equal(sg_buf_error(&b), 0);
	(void)refused(b.data, SG_DIAG_LIMIT_EXCEEDED);

	/* components, nested ones counted too; no marker first, so the
	 * nameless ones wait and the limit is what stops the read */
	sg_buf_reset(&b);
	sg_buf_adds(&b, "{\"components\":[{\"components\":[");
	for (i = 0; i < SG_SBOM_MAX_COMPONENTS; i++)
		sg_buf_adds(&b, i ? ",{}" : "{}");
	sg_buf_adds(&b, "]}]}");
	assert_int_equal(sg_buf_error(&b), 0);
	err = refused(b.data, SG_DIAG_LIMIT_EXCEEDED);
	assert_non_null(strstr(err.message, "components"));

	/* nesting deeper than the JSON reader allows */
	sg_buf_reset(&b);
	sg_buf_adds(&b, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":[");
	for (i = 0; i < SG_JSON_MAX_DEPTH; i++)
		sg_buf_adds(&b, "{\"type\":\"library\",\"name\":\"n\",\"components\":[");
	for (i = 0; i < SG_JSON_MAX_DEPTH; i++)
		sg_buf_adds(&b, "]}");
	sg_buf_adds(&b, "]}");
	assert_int_equal(sg_buf_error(&b), 0);
	(void)refused(b.data, SG_DIAG_LIMIT_EXCEEDED);
	sg_buf_release(&b);
}

/* Nesting as deep as the JSON reader allows is read, every level handed over. */
static void test_deep_nesting(void **state)
{
	struct recorder r;
	struct sg_sbom_summary sum;
	struct sg_buf b;
	int i, levels = (SG_JSON_MAX_DEPTH - 2) / 2;

	(void)state;
	sg_buf_init(&b, 1U << 20);
	sg_buf_adds(&b, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\",\"components\":[");
	for (i = 0; i < levels; i++)
		sg_buf_printf(&b, "%s{\"type\":\"library\",\"name\":\"n%d\",\"components\":[", i ? "" : "", i);
	for (i = 0; i < levels; i++)
		sg_buf_adds(&b, "]}");
	sg_buf_adds(&b, "]}");
	memset(&r, 0, sizeof(r));
	reads(b.data, &r, &sum);
	assert_int_equal(sum.components, levels);
	assert_int_equal(r.max_depth, levels - 1);
	assert_int_equal(r.first.depth, levels - 1); /* the innermost ends first */
	sg_buf_release(&b);
}

/* ---- the sink, the file ---- */

static void test_sink_error_stops(void **state)
{
	struct recorder r;
	struct sg_sbom_summary sum;
	struct sg_error err;
	int rc;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.fail_at = 2;
	rc = read_json(CDX15("\"components\":[" LIB("a") "," LIB("b") "," LIB("c") "]"), &r, &sum, &err);
	assert_int_equal(rc, SG_ECONFLICT);
	assert_int_equal(err.diag, SG_DIAG_CONFLICT);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.calls_after_fail, 0);
}

static void test_stdin_and_sha256(void **state)
{
	static const char doc[] = CDX15("\"components\":[" LIB("a") "]");
	char path[] = "/tmp/sg-test-sbom-stdin-XXXXXX";
	unsigned char want[SG_SHA256_BYTES];
	struct recorder r;
	struct sg_sbom_summary sum;
	struct sg_error err;
	int fd, saved, rc;

	(void)state;
	sg_sha256(doc, sizeof(doc) - 1, want);
	memset(&r, 0, sizeof(r));
	assert_int_equal(read_json(doc, &r, &sum, &err), 0);
	assert_memory_equal(sum.sha256, want, SG_SHA256_BYTES);

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_true(write(fd, doc, sizeof(doc) - 1) == (ssize_t)(sizeof(doc) - 1));
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	saved = dup(STDIN_FILENO);
	assert_true(dup2(fd, STDIN_FILENO) >= 0);
	memset(&r, 0, sizeof(r));
	rc = read_path("-", &r, &sum, &err);
	assert_true(dup2(saved, STDIN_FILENO) >= 0);
	close(saved);
	close(fd);
	unlink(path);
	assert_int_equal(rc, 0);
	assert_int_equal(sum.components, 1);
	assert_memory_equal(sum.sha256, want, SG_SHA256_BYTES);
}

static void test_file_errors(void **state)
{
	struct recorder r;
	struct sg_sbom_summary sum;
	struct sg_error err;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(read_path("/nonexistent/sbom.json", &r, &sum, &err), SG_EIO);
	assert_int_equal(err.diag, SG_DIAG_FILE_OPEN);
	assert_string_equal(err.where, "/nonexistent/sbom.json");
	assert_int_equal(read_path("/tmp", &r, &sum, &err), SG_EIO);
	assert_int_equal(err.diag, SG_DIAG_FILE_OPEN);
	(void)refused("", SG_DIAG_JSON_TRUNCATED);
	(void)refused("\xEF\xBB\xBF" CDX15("\"components\":[]") "x", SG_DIAG_JSON_SYNTAX);
}

/* A UTF-8 byte order mark before the document is skipped. */
static void test_bom(void **state)
{
	struct recorder r;
	struct sg_sbom_summary sum;

	(void)state;
	memset(&r, 0, sizeof(r));
	reads("\xEF\xBB\xBF" CDX15("\"components\":[" LIB("a") "]"), &r, &sum);
	assert_int_equal(sum.components, 1);
}

/* Every allocation failure is a clean no-memory error: no crash, no leak. */
static void test_alloc_failures(void **state)
{
	static const char doc[] =
		CDX15("\"metadata\":{\"component\":{\"type\":\"application\",\"name\":\"p\"}},"
		      "\"components\":[{\"type\":\"library\",\"name\":\"a\",\"purl\":\"pkg:npm/a@1\","
		      "\"licenses\":[{\"license\":{\"id\":\"MIT\"}},{\"license\":{\"name\":\"Custom\"}}],"
		      "\"components\":[" LIB("b") "]}],"
		      "\"vulnerabilities\":[{\"id\":\"CVE-1\",\"analysis\":{\"state\":\"resolved\"},"
		      "\"affects\":[{\"ref\":\"a\"},{\"ref\":\"urn:cdx:x/1#b\"}]}]");
	static const char spdx[] =
		SPDX23("\"packages\":[{\"SPDXID\":\"SPDXRef-a\",\"name\":\"a\",\"licenseConcluded\":\"MIT\","
		       "\"externalRefs\":[{\"referenceCategory\":\"PACKAGE-MANAGER\",\"referenceType\":\"purl\","
		       "\"referenceLocator\":\"pkg:npm/a@1\"}]}]");
	const char *docs[] = {doc, spdx};
	unsigned long n;
	int d, bad = 0;

	(void)state;
	for (d = 0; d < 2; d++) {
		int ok = 0;
		for (n = 1; n <= 300 && ok < 3; n++) {
			struct recorder r;
			struct sg_sbom_summary sum;
			struct sg_error err;
			int rc;

			memset(&r, 0, sizeof(r));
			sg_alloc_fail_after(n);
			rc = read_json(docs[d], &r, &sum, &err);
			sg_alloc_fail_after(0);
			if (rc == 0) {
				ok++;
				assert_int_equal(sum.components, d == 0 ? 2 : 1);
				continue;
			}
			if (rc != SG_ENOMEM || err.diag != SG_DIAG_NO_MEMORY) {
				print_error("doc %d n=%lu: rc %d [%s] %s\n", d, n, rc, sg_diag_id(err.diag), err.message);
				bad++;
			}
		}
		assert_true(ok > 0);
	}
	assert_int_equal(bad, 0);
}

static int group_setup(void **state)
{
	(void)state;
	return sg_crypto_init();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_juice_shop_nesting),
		cmocka_unit_test(test_spdx_spec_example),
		cmocka_unit_test(test_vex_bom_links),
		cmocka_unit_test(test_generators),
		cmocka_unit_test(test_trivy_rootfs),
		cmocka_unit_test(test_cyclonedx_xml),
		cmocka_unit_test(test_component_without_name),
		cmocka_unit_test(test_long_strings),
		cmocka_unit_test(test_wrong_format),
		cmocka_unit_test(test_cyclonedx_versions),
		cmocka_unit_test(test_version_dependent_checks),
		cmocka_unit_test(test_spdx_versions),
		cmocka_unit_test(test_both_formats),
		cmocka_unit_test(test_vex),
		cmocka_unit_test(test_licences),
		cmocka_unit_test(test_many_licences),
		cmocka_unit_test(test_nesting_subject_and_tools),
		cmocka_unit_test(test_spdx_fields),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_sink_error_stops),
		cmocka_unit_test(test_stdin_and_sha256),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_alloc_failures),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
