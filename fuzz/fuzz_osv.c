/*
 * Fuzz target: OSV records (sca/osv.c) and their evaluation
 * (sca/osv_match.c). The input is read as a record and, separately, as one
 * affected entry in the store's form. Every entry read must survive the
 * store's JSON unchanged, and every evaluation must end in a verdict or a
 * version-invalid error, with a bounded, NUL-terminated explanation.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sca/osv.h"
#include "util/buf.h"
#include "util/limits.h"

#define MAX_EVALS 48 /* per input: each one may sort thousands of events */

static void check_verdict(const struct sg_osv_verdict *v)
{
	if (!memchr(v->decided_by, '\0', sizeof(v->decided_by)) || !memchr(v->fixed_in, '\0', sizeof(v->fixed_in)))
		abort();
	if (v->affected && v->decided_by[0] == '\0')
		abort(); /* an affected verdict always says why */
	if (v->unparseable < 0)
		abort();
}

static void evaluate(const struct sg_osv_affected *a, enum sg_vorder order, const char *version, int *budget)
{
	struct sg_osv_verdict v;
	struct sg_error err;
	int rc;

	if (*budget <= 0)
		return;
	(*budget)--;
	sg_error_clear(&err);
	rc = sg_osv_evaluate(a, order, version, &v, &err);
	if (rc == 0)
		check_verdict(&v);
	else if (err.diag != SG_DIAG_VERSION_INVALID && err.diag != SG_DIAG_NO_MEMORY)
		abort();
}

/* Versions worth trying: a fixed one, then the entry's own strings (on
 * range boundaries), under its ecosystem's order and under SemVer. */
static void evaluate_entry(const struct sg_osv_affected *a, int *budget)
{
	enum sg_vorder orders[2] = {sg_vorder_for_ecosystem(a->ecosystem), SG_VORDER_SEMVER};
	size_t i, j;
	int o;

	for (o = 0; o < 2; o++) {
		evaluate(a, orders[o], "1.0.0", budget);
		for (i = 0; i < a->n_ranges; i++)
			for (j = 0; j < a->ranges[i].n_events && j < 4; j++)
				evaluate(a, orders[o], a->ranges[i].events[j].version, budget);
		for (i = 0; i < a->n_versions && i < 4; i++)
			evaluate(a, orders[o], a->versions[i], budget);
	}
}

static void round_trip(const struct sg_osv_affected *a)
{
	struct sg_buf first, second;
	struct sg_osv_affected back;
	struct sg_error err;

	sg_buf_init(&first, SG_OSV_MAX_RECORD_BYTES);
	sg_buf_init(&second, SG_OSV_MAX_RECORD_BYTES);
	if (sg_osv_affected_to_json(a, &first) != 0)
		abort();
	sg_error_clear(&err);
	if (sg_osv_affected_from_json(first.data, first.len, &back, &err) != 0)
		abort(); /* what the store wrote, it must read */
	if (sg_osv_affected_to_json(&back, &second) != 0 || first.len != second.len ||
	    memcmp(first.data, second.data, first.len) != 0)
		abort();
	sg_osv_affected_free(&back);
	sg_buf_release(&first);
	sg_buf_release(&second);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sg_osv_record rec;
	struct sg_osv_affected entry;
	struct sg_error err;
	int known, tenths, budget = MAX_EVALS;
	size_t i;

	sg_error_clear(&err);
	if (sg_osv_parse((const char *)data, size, "fuzz", &rec, &err) == 0) {
		if (!rec.id || !rec.modified)
			abort();
		sg_osv_severity(&rec, &known, &tenths);
		if (known && tenths > 100)
			abort();
		for (i = 0; i < rec.n_affected; i++) {
			round_trip(&rec.affected[i]);
			evaluate_entry(&rec.affected[i], &budget);
		}
		sg_osv_record_free(&rec);
	}
	sg_error_clear(&err);
	if (sg_osv_affected_from_json((const char *)data, size, &entry, &err) == 0) {
		round_trip(&entry);
		evaluate_entry(&entry, &budget);
		sg_osv_affected_free(&entry);
	}
	return 0;
}
