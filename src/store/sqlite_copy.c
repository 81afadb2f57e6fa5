/*
 * Copying a whole store, SQLite's side (store.h "Copying a whole store"):
 * reading a table's rows in key order, typed as SQLite stored them, and
 * loading rows into an empty table with one prepared INSERT.
 *
 * Table and column names go into SQL text, so only the names in tables.c
 * are taken; every value is a bound parameter.
 */
#include <stdio.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "store/tables.h"
#include "util/alloc.h"
#include "util/buf.h"

#define SQL_MAX 8192



static int prepare_built(struct sq *s, struct sg_buf *b, sqlite3_stmt **st, struct sg_error *err)
{
	int rc;

	if (sg_buf_error(b)) {
		sg_buf_release(b);
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	}
	rc = sq_prepare(s, b->data, st, err);
	sg_buf_release(b);
	return rc;
}

/* A column's value as a cell; 0, or -1 for a type a cell cannot hold (REAL). */
static int read_cell(sqlite3_stmt *st, int i, struct sg_cell *c)
{
	memset(c, 0, sizeof(*c));
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_NULL:
		c->type = SG_CELL_NULL;
		return 0;
	case SQLITE_INTEGER:
		c->type = SG_CELL_INT;
		c->i = sqlite3_column_int64(st, i);
		return 0;
	case SQLITE_TEXT:
		c->type = SG_CELL_TEXT;
		c->p = sqlite3_column_text(st, i);
		c->len = (size_t)sqlite3_column_bytes(st, i);
		return c->p ? 0 : -1;
	case SQLITE_BLOB:
		c->type = SG_CELL_BLOB;
		c->p = sqlite3_column_blob(st, i);
		c->len = (size_t)sqlite3_column_bytes(st, i);
		return 0;
	default:
		return -1;
	}
}

int sq_table_rows(void *impl, const char *table, const char *const *columns, size_t n_columns, sg_row_cb cb,
		  void *ctx, struct sg_error *err)
{
	struct sq *s = impl;
	const struct sg_table_def *t;
	struct sg_cell *cells;
	sqlite3_stmt *st = NULL;
	struct sg_buf sql;
	size_t i;
	int rc, step = SQLITE_DONE;

	if ((rc = sg_store_table_named(table, columns, n_columns, &t, err)))
		return rc;
	sg_buf_init(&sql, SQL_MAX);
	sg_buf_adds(&sql, "SELECT ");
	sg_store_table_add_names(&sql, columns, n_columns);
	sg_buf_printf(&sql, " FROM \"%s\" ORDER BY ", t->name);
	sg_store_table_add_names(&sql, t->key, t->n_key);
	if ((rc = prepare_built(s, &sql, &st, err)))
		return rc;
	cells = sg_calloc(n_columns, sizeof(*cells));
	if (!cells) {
		sqlite3_finalize(st);
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	}
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; rc == 0 && i < n_columns; i++)
			if (read_cell(st, (int)i, &cells[i]) != 0)
				rc = sg_error_set(err, SG_DIAG_STORE_FAILED,
						  "table %s holds a value of a type no column of the schema has, in "
						  "column %s",
						  t->name, columns[i]);
		if (rc == 0)
			rc = cb(ctx, cells, n_columns, err);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = sq_fail(s, err, "cannot read the store");
	sg_free(cells);
	sqlite3_finalize(st);
	return rc;
}

void sq_load_forget(struct sq *s)
{
	sqlite3_finalize(s->load_insert);
	s->load_insert = NULL;
	s->load_table = NULL;
	s->load_columns = 0;
}

int sq_table_load_begin(void *impl, const char *table, const char *const *columns, size_t n_columns,
			struct sg_error *err)
{
	struct sq *s = impl;
	const struct sg_table_def *t;
	struct sg_buf sql;
	size_t i;
	int rc;

	if ((rc = sg_store_table_named(table, columns, n_columns, &t, err)))
		return rc;
	if (!s->in_tx)
		return sg_error_set(err, SG_DIAG_INTERNAL, "a table is loaded inside a write transaction");
	sq_load_forget(s); /* one left by a load that failed before its end */
	sg_buf_init(&sql, SQL_MAX);
	sg_buf_printf(&sql, "INSERT INTO \"%s\" (", t->name);
	sg_store_table_add_names(&sql, columns, n_columns);
	sg_buf_adds(&sql, ") VALUES (");
	for (i = 0; i < n_columns; i++)
		sg_buf_adds(&sql, i ? ", ?" : "?");
	sg_buf_adds(&sql, ")");
	if ((rc = prepare_built(s, &sql, &s->load_insert, err)))
		return rc;
	s->load_table = t;
	s->load_columns = n_columns;
	return 0;
}

static int bind_cell(sqlite3_stmt *st, int i, const struct sg_cell *c)
{
	switch (c->type) {
	case SG_CELL_INT:
		return sqlite3_bind_int64(st, i, c->i);
	case SG_CELL_TEXT:
		return sqlite3_bind_text64(st, i, c->p, c->len, SQLITE_STATIC, SQLITE_UTF8);
	case SG_CELL_BLOB:
		/* A NULL pointer would bind NULL, not an empty BLOB. */
		if (c->len == 0)
			return sqlite3_bind_zeroblob(st, i, 0);
		return sqlite3_bind_blob64(st, i, c->p, c->len, SQLITE_STATIC);
	case SG_CELL_NULL:
	default:
		return sqlite3_bind_null(st, i);
	}
}

int sq_table_load_row(void *impl, const struct sg_cell *cells, size_t n, struct sg_error *err)
{
	struct sq *s = impl;
	sqlite3_stmt *st = s->load_insert;
	size_t i;

	if (!st)
		return sg_error_set(err, SG_DIAG_INTERNAL, "a row to load, but no load was begun");
	if (n != s->load_columns)
		return sg_error_set(err, SG_DIAG_INTERNAL, "a row of %zu cells for %zu columns of table %s", n,
				    s->load_columns, s->load_table->name);
	for (i = 0; i < n; i++)
		if (bind_cell(st, (int)i + 1, &cells[i]) != SQLITE_OK)
			return sq_fail(s, err, "cannot copy a row");
	if (sqlite3_step(st) != SQLITE_DONE) {
		char what[96];
		int rc;
		snprintf(what, sizeof(what), "cannot copy a row into table %s", s->load_table->name);
		rc = sq_fail(s, err, what);
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	return 0;
}

/* SQLite gives a rowid key max(rowid) + 1 by itself: no sequence to move. */
int sq_table_load_end(void *impl, struct sg_error *err)
{
	struct sq *s = impl;
	int begun = s->load_insert != NULL;

	sq_load_forget(s);
	if (!begun)
		return sg_error_set(err, SG_DIAG_INTERNAL, "a load ended that was not begun");
	return 0;
}

int sq_is_empty(void *impl, int *empty, struct sg_error *err)
{
	struct sq *s = impl;
	size_t i;
	int rc = 0;

	*empty = 1;
	for (i = 0; rc == 0 && *empty && i < sg_store_table_count; i++) {
		sqlite3_stmt *st = NULL;
		struct sg_buf sql;
		int step;

		sg_buf_init(&sql, SQL_MAX);
		sg_buf_printf(&sql, "SELECT 1 FROM \"%s\" LIMIT 1", sg_store_tables[i].name);
		if ((rc = prepare_built(s, &sql, &st, err)))
			break;
		step = sqlite3_step(st);
		if (step == SQLITE_ROW)
			*empty = 0;
		else if (step != SQLITE_DONE)
			rc = sq_fail(s, err, "cannot read the store");
		sqlite3_finalize(st);
	}
	return rc;
}
