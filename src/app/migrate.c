/*
 * `shipgate migrate`: table by table, in the order foreign keys allow
 * (store/tables.c), rows streamed from the source into the target's one
 * write transaction; then the copy is verified in that transaction before
 * it is committed.
 */
#include "app/migrate.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "store/tables.h"

struct row_copy {
	struct sg_store *to;
	long long rows;
	int target_failed; /* the error came from the target, not the source */
};

static double seconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static int copy_row(void *ctx, const struct sg_cell *cells, size_t n, struct sg_error *err)
{
	struct row_copy *c = ctx;
	int rc = sg_store_table_load_row(c->to, cells, n, err);

	if (rc)
		c->target_failed = 1;
	else
		c->rows++;
	return rc;
}

static int copy_table(struct sg_store *from, struct sg_store *to, const struct sg_table_def *t, long long *rows,
		      struct sg_error *err)
{
	struct row_copy c = {to, 0, 0};
	struct sg_error ignored;
	int rc;

	if ((rc = sg_store_table_load_begin(to, t->name, t->columns, t->n_columns, err))) {
		sg_error_where(err, sg_store_name(to));
		return rc;
	}
	rc = sg_store_table_rows(from, t->name, t->columns, t->n_columns, copy_row, &c, err);
	*rows = c.rows;
	if (rc) {
		sg_error_where(err, sg_store_name(c.target_failed ? to : from));
		/* Ends the load so that the target can roll back; the copy's own
		 * error says what went wrong. */
		sg_error_clear(&ignored);
		if (sg_store_table_load_end(to, &ignored) != 0)
			sg_error_clear(&ignored);
		return rc;
	}
	if ((rc = sg_store_table_load_end(to, err)))
		sg_error_where(err, sg_store_name(to));
	return rc;
}

static int refuse_non_empty(struct sg_store *to, struct sg_error *err)
{
	int empty, rc;

	if ((rc = sg_store_is_empty(to, &empty, err))) {
		sg_error_where(err, sg_store_name(to));
		return rc;
	}
	if (!empty)
		return sg_error_set(err, SG_DIAG_CONFLICT,
				    "the target store %s is not empty: migrate copies into an empty store only "
				    "(a new SQLite file, or an empty PostgreSQL schema); nothing was written",
				    sg_store_name(to));
	return 0;
}

/* The copy does not verify: say whether the source itself does. */
static int refuse_unverified(struct sg_store *from, const struct sg_migrate_report *r, struct sg_error *err)
{
	struct sg_audit_verify_report source;
	struct sg_error ignored;

	memset(&source, 0, sizeof(source));
	sg_error_clear(&ignored);
	if (sg_app_audit_verify_in(from, NULL, &source, &ignored) == 0 && !source.ok)
		return sg_error_set(err, SG_DIAG_AUDIT_BROKEN,
				    "the source store does not verify (%s): run `shipgate --db %s audit verify`; "
				    "nothing was written",
				    source.problem, r->from);
	return sg_error_set(err, SG_DIAG_AUDIT_BROKEN, "the copy does not verify (%s); nothing was written",
			    r->verify.problem);
}

static int copy_store(struct sg_store *from, struct sg_store *to, struct sg_migrate_report *r,
		      struct sg_error *err)
{
	struct timespec start;
	size_t i;
	int rc;

	if (sg_store_table_count > SG_MIGRATE_MAX_TABLES)
		return sg_error_set(err, SG_DIAG_INTERNAL, "more tables than a migration report holds");
	if ((rc = refuse_non_empty(to, err)))
		return rc;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (i = 0; i < sg_store_table_count; i++) {
		struct sg_migrate_table *row = &r->tables[i];
		row->name = sg_store_tables[i].name;
		rc = copy_table(from, to, &sg_store_tables[i], &row->rows, err);
		r->rows += row->rows;
		r->n_tables = i + 1;
		if (rc)
			return rc;
	}
	r->copy_seconds = seconds_since(&start);
	clock_gettime(CLOCK_MONOTONIC, &start);
	if ((rc = sg_app_audit_verify_in(to, NULL, &r->verify, err))) {
		sg_error_where(err, sg_store_name(to));
		return rc;
	}
	r->verify_seconds = seconds_since(&start);
	if (!r->verify.ok)
		return refuse_unverified(from, r, err);
	return 0;
}

int sg_app_migrate(const char *from_url, const char *to_url, struct sg_migrate_report *report,
		   struct sg_error *err)
{
	struct sg_store *from = NULL, *to = NULL;
	int rc;

	memset(report, 0, sizeof(*report));
	if (strcmp(from_url, to_url) == 0)
		return sg_error_set(err, SG_DIAG_USAGE, "--from and --to name the same store");
	if ((rc = sg_store_open(from_url, SG_STORE_OPEN_EXISTING, &from, err)))
		return rc;
	snprintf(report->from, sizeof(report->from), "%s", sg_store_name(from));
	if ((rc = sg_store_open(to_url, SG_STORE_OPEN_CREATE, &to, err)))
		goto out;
	snprintf(report->to, sizeof(report->to), "%s", sg_store_name(to));
	/* One snapshot of the source, whatever writes it meanwhile. */
	if ((rc = sg_store_begin_read(from, err))) {
		sg_error_where(err, report->from);
		goto out;
	}
	if ((rc = sg_store_begin(to, err))) {
		sg_error_where(err, report->to);
		sg_store_rollback(from);
		goto out;
	}
	rc = copy_store(from, to, report, err);
	if (!rc && (rc = sg_store_commit(to, err)))
		sg_error_where(err, report->to);
	if (rc)
		sg_store_rollback(to);
	sg_store_rollback(from); /* it only read */
out:
	sg_store_close(to);
	sg_store_close(from);
	return rc;
}
