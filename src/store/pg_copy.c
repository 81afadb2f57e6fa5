/*
 * Copying a whole store, PostgreSQL's side (store.h "Copying a whole
 * store"): a table's rows read through a cursor (pg_each), cells typed by
 * the result's column types, and rows loaded with COPY ... FROM STDIN in
 * text format, 64 KiB a message, so that neither side holds more than a
 * fetch or a message, however many rows the table has.
 *
 * COPY cannot go through pg_query(): its rows are a stream, not parameters.
 * Its values are escaped for COPY's text format, never spliced into SQL; the
 * only names in SQL text are tables.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/pg_internal.h"
#include "store/tables.h"
#include "util/alloc.h"
#include "util/hash.h"
#include "util/buf.h"

#define SQL_MAX 8192
#define COPY_CHUNK (64 * 1024)

/* Type oids (catalog/pg_type_d.h, which only the server's headers ship). */
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_TEXT 25
#define OID_VARCHAR 1043


/* ---- reading ---- */

/* A column's bytes, decoded into a buffer kept across rows: memory grows
 * with the largest value, not with the rows. */
struct bytes_buf {
	unsigned char *p;
	size_t cap;
};

struct rows_walk {
	const struct sg_table_def *t;
	const char *const *columns;
	size_t n;
	struct sg_cell *cells;
	struct bytes_buf *bytes;
	sg_row_cb cb;
	void *ctx;
};

/* bytea_output is hex (pg.c sets it): "\x" and two digits a byte. */
static int decode_bytea(const char *text, size_t text_len, struct bytes_buf *b, size_t *len)
{
	size_t i, n;

	if (text_len < 2 || text_len % 2 || text[0] != '\\' || text[1] != 'x')
		return -1;
	n = (text_len - 2) / 2;
	if (n + 1 > b->cap) {
		unsigned char *grown = sg_realloc(b->p, n + 1);
		if (!grown)
			return -2;
		b->p = grown;
		b->cap = n + 1;
	}
	for (i = 0; i < n; i++) {
		int hi = sg_hex_value(text[2 + 2 * i]), lo = sg_hex_value(text[3 + 2 * i]);
		if (hi < 0 || lo < 0)
			return -1;
		b->p[i] = (unsigned char)(hi << 4 | lo);
	}
	*len = n;
	return 0;
}

static int read_cell(struct rows_walk *w, const PGresult *res, int row, size_t i, struct sg_error *err)
{
	struct sg_cell *c = &w->cells[i];
	const char *v;
	int col = (int)i;

	memset(c, 0, sizeof(*c));
	if (PQgetisnull(res, row, col)) {
		c->type = SG_CELL_NULL;
		return 0;
	}
	v = PQgetvalue(res, row, col);
	switch (PQftype(res, col)) {
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
		c->type = SG_CELL_INT;
		c->i = strtoll(v, NULL, 10);
		return 0;
	case OID_TEXT:
	case OID_VARCHAR:
		c->type = SG_CELL_TEXT;
		c->p = v;
		c->len = (size_t)PQgetlength(res, row, col);
		return 0;
	case OID_BYTEA:
		c->type = SG_CELL_BLOB;
		switch (decode_bytea(v, (size_t)PQgetlength(res, row, col), &w->bytes[i], &c->len)) {
		case 0:
			c->p = w->bytes[i].p;
			return 0;
		case -2:
			return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		default:
			return sg_error_set(err, SG_DIAG_STORE_FAILED, "table %s: column %s is not hex bytea",
					    w->t->name, w->columns[i]);
		}
	default:
		return sg_error_set(err, SG_DIAG_STORE_FAILED,
				    "table %s: column %s has a type the schema does not give it (oid %u)", w->t->name,
				    w->columns[i], (unsigned)PQftype(res, col));
	}
}

static int each_row(void *ctx, const PGresult *res, int row, struct sg_error *err)
{
	struct rows_walk *w = ctx;
	size_t i;
	int rc;

	if ((size_t)PQnfields(res) != w->n)
		return sg_error_set(err, SG_DIAG_INTERNAL, "table %s: %d columns read, %zu asked for", w->t->name,
				    PQnfields(res), w->n);
	for (i = 0; i < w->n; i++)
		if ((rc = read_cell(w, res, row, i, err)))
			return rc;
	return w->cb(w->ctx, w->cells, w->n, err);
}

int pg_table_rows(void *impl, const char *table, const char *const *columns, size_t n_columns, sg_row_cb cb,
		  void *ctx, struct sg_error *err)
{
	struct pg *s = impl;
	struct rows_walk w;
	struct sg_buf sql;
	size_t i;
	int rc;

	memset(&w, 0, sizeof(w));
	if ((rc = sg_store_table_named(table, columns, n_columns, &w.t, err)))
		return rc;
	w.columns = columns;
	w.n = n_columns;
	w.cb = cb;
	w.ctx = ctx;
	sg_buf_init(&sql, SQL_MAX);
	sg_buf_adds(&sql, "SELECT ");
	sg_store_table_add_names(&sql, columns, n_columns);
	sg_buf_printf(&sql, " FROM \"%s\" ORDER BY ", w.t->name);
	sg_store_table_add_names(&sql, w.t->key, w.t->n_key);
	w.cells = sg_calloc(n_columns, sizeof(*w.cells));
	w.bytes = sg_calloc(n_columns, sizeof(*w.bytes));
	if (sg_buf_error(&sql) || !w.cells || !w.bytes)
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	else
		rc = pg_each(s, sql.data, NULL, "cannot read the store", each_row, &w, err);
	for (i = 0; w.bytes && i < n_columns; i++)
		sg_free(w.bytes[i].p);
	sg_free(w.bytes);
	sg_free(w.cells);
	sg_buf_release(&sql);
	return rc;
}

/* ---- loading ---- */

/*
 * The load under way. struct pg has no room for it, and one handle serves
 * one thread at a time (store.h), so a thread loads into one table at a
 * time: begin, rows, end.
 */
/* A value's COPY text: SQLite's values are at most 16 MiB (sqlite.c), and
 * escaping at most doubles them, hex doubles a blob. */
#define CELL_MAX (40u << 20)

struct pg_load {
	struct pg *s;
	const struct sg_table_def *t;
	char types[64];     /* the schema's type of each column loaded ('I', 'T', 'B') */
	size_t n_columns;
	long identity;      /* the identity column's place among them; -1: not loaded */
	long long max_id;
	long long rows;
	int failed;         /* a row failed: end aborts the COPY */
	struct sg_buf cell; /* one value in COPY's text format */
	size_t used;
	char buf[COPY_CHUNK];
};
void pg_load_forget(struct pg *s)
{
	if (s->load)
		sg_buf_release(&s->load->cell);
	sg_free(s->load);
	s->load = NULL;
}

/* The connection's own words, first line only. */
static int copy_fail(struct pg *s, const PGresult *res, const char *table, struct sg_error *err)
{
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *detail = res ? PQresultErrorField(res, PG_DIAG_CONTEXT) : NULL;
	int len;

	if (!msg)
		msg = PQerrorMessage(s->conn);
	len = (int)strcspn(msg, "\n");
	if (PQstatus(s->conn) != CONNECTION_OK) {
		s->in_tx = 0; /* the server has rolled it back */
		s->in_savepoint = 0;
		return sg_error_set(err, SG_DIAG_STORE_UNAVAILABLE,
				    "cannot copy rows into table %s: the database connection was lost (%.*s); nothing "
				    "of this copy was kept",
				    table, len, msg);
	}
	if (detail)
		return sg_error_set(err, SG_DIAG_STORE_FAILED, "cannot copy rows into table %s: %.*s (%.*s)", table,
				    len, msg, (int)strcspn(detail, "\n"), detail);
	return sg_error_set(err, SG_DIAG_STORE_FAILED, "cannot copy rows into table %s: %.*s", table, len, msg);
}

int pg_table_load_begin(void *impl, const char *table, const char *const *columns, size_t n_columns,
			struct sg_error *err)
{
	struct pg *s = impl;
	const struct sg_table_def *t;
	struct sg_buf sql;
	PGresult *res;
	size_t i;
	int rc;

	if ((rc = sg_store_table_named(table, columns, n_columns, &t, err)))
		return rc;
	if (!s->in_tx)
		return sg_error_set(err, SG_DIAG_INTERNAL, "a table is loaded inside a write transaction");
	if (n_columns > sizeof(s->load->types))
		return sg_error_set(err, SG_DIAG_INTERNAL, "table %s: too many columns", t->name);
	pg_load_forget(s); /* one left by a load that failed before its end */
	s->load = sg_calloc(1, sizeof(*s->load));
	if (!s->load)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	s->load->s = s;
	s->load->t = t;
	s->load->n_columns = n_columns;
	s->load->identity = -1;
	sg_buf_init(&s->load->cell, CELL_MAX);
	for (i = 0; i < n_columns; i++) {
		s->load->types[i] = sg_store_table_column_type(t, columns[i]);
		if (t->identity && strcmp(columns[i], t->identity) == 0)
			s->load->identity = (long)i;
	}
	sg_buf_init(&sql, SQL_MAX);
	sg_buf_printf(&sql, "COPY \"%s\" (", t->name);
	sg_store_table_add_names(&sql, columns, n_columns);
	sg_buf_adds(&sql, ") FROM STDIN");
	if (sg_buf_error(&sql)) {
		sg_buf_release(&sql);
		pg_load_forget(s);
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	}
	res = PQexec(s->conn, sql.data);
	sg_buf_release(&sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		rc = copy_fail(s, res, t->name, err);
		PQclear(res);
		pg_load_forget(s);
		return rc;
	}
	PQclear(res);
	return 0;
}

static int flush(struct pg_load *l, struct sg_error *err)
{
	if (l->used && PQputCopyData(l->s->conn, l->buf, (int)l->used) != 1) {
		l->failed = 1;
		return copy_fail(l->s, NULL, l->t->name, err);
	}
	l->used = 0;
	return 0;
}

/* Rows may break across COPY messages anywhere: the server joins them. */
static int put(struct pg_load *l, const void *data, size_t len, struct sg_error *err)
{
	const char *p = data;
	int rc;

	while (len) {
		size_t n = sizeof(l->buf) - l->used;
		if (n == 0) {
			if ((rc = flush(l, err)))
				return rc;
			n = sizeof(l->buf);
		}
		if (n > len)
			n = len;
		memcpy(l->buf + l->used, p, n);
		l->used += n;
		p += n;
		len -= n;
	}
	return 0;
}

/* One value in COPY's text format (pg.c), then into the stream. */
static int put_value(struct pg_load *l, const struct sg_cell *c, int bytea, struct sg_error *err)
{
	sg_buf_reset(&l->cell);
	if (bytea)
		pg_copy_bytea(&l->cell, c->p, c->len);
	else
		pg_copy_text(&l->cell, c->p, c->len);
	if (sg_buf_error(&l->cell)) {
		l->failed = 1;
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "table %s: out of memory for a value", l->t->name);
	}
	return put(l, l->cell.data, l->cell.len, err);
}

static int put_cell(struct pg_load *l, size_t i, const struct sg_cell *c, struct sg_error *err)
{
	char num[24];
	int n;

	switch (c->type) {
	case SG_CELL_NULL:
		return put(l, "\\N", 2, err);
	case SG_CELL_INT:
		if (l->types[i] == 'B')
			break;
		if ((long)i == l->identity && (l->rows == 0 || c->i > l->max_id))
			l->max_id = c->i;
		n = snprintf(num, sizeof(num), "%lld", c->i);
		return put(l, num, (size_t)n, err);
	case SG_CELL_TEXT:
	case SG_CELL_BLOB:
		if (l->types[i] == 'B')
			return put_value(l, c, 1, err);
		/* Text into an integer column: the server parses it, or refuses it. */
		if (c->type == SG_CELL_BLOB && l->types[i] == 'I')
			break;
		return put_value(l, c, 0, err);
	}
	l->failed = 1;
	return sg_error_set(err, SG_DIAG_STORE_FAILED, "table %s: a value of the wrong type for column %zu",
			    l->t->name, i + 1);
}

int pg_table_load_row(void *impl, const struct sg_cell *cells, size_t n, struct sg_error *err)
{
	struct pg_load *l = ((struct pg *)impl)->load;
	size_t i;
	int rc;

	if (!l || l->s != impl)
		return sg_error_set(err, SG_DIAG_INTERNAL, "a row to load, but no load was begun");
	if (l->failed)
		return sg_error_set(err, SG_DIAG_INTERNAL, "table %s: a row after a failed one", l->t->name);
	if (n != l->n_columns) {
		l->failed = 1;
		return sg_error_set(err, SG_DIAG_INTERNAL, "a row of %zu cells for %zu columns of table %s", n,
				    l->n_columns, l->t->name);
	}
	for (i = 0; i < n; i++)
		if ((i && (rc = put(l, "\t", 1, err))) || (rc = put_cell(l, i, &cells[i], err)))
			return rc;
	if ((rc = put(l, "\n", 1, err)))
		return rc;
	l->rows++;
	return 0;
}

/* The end of the COPY: its one result, or the first error. */
static int finish_copy(struct pg_load *l, struct sg_error *err)
{
	struct pg *s = l->s;
	int rc = 0, sent;
	PGresult *res;

	if (!l->failed && (rc = flush(l, err)))
		l->failed = 1;
	sent = PQputCopyEnd(s->conn, l->failed ? "shipgate: the copy was abandoned" : NULL);
	if (sent != 1 && !rc)
		rc = copy_fail(s, NULL, l->t->name, err);
	while ((res = PQgetResult(s->conn))) {
		ExecStatusType st = PQresultStatus(res);
		if (st == PGRES_COPY_IN) {
			/* The end could not be sent: the connection is of no more use. */
			PQclear(res);
			return rc ? rc : copy_fail(s, NULL, l->t->name, err);
		}
		if (st != PGRES_COMMAND_OK && !rc && !l->failed)
			rc = copy_fail(s, res, l->t->name, err);
		PQclear(res);
	}
	return rc;
}

/* Identity columns took explicit values: the next insert must not reuse one. */
static int move_sequence(struct pg_load *l, struct sg_error *err)
{
	char table[80];
	struct pg_params p;
	PGresult *res;

	if (l->identity < 0 || l->rows == 0)
		return 0;
	snprintf(table, sizeof(table), "\"%s\"", l->t->name);
	pg_params_init(&p);
	pg_param_text(&p, table);
	pg_param_text(&p, l->t->identity);
	pg_param_int(&p, l->max_id);
	res = pg_query(l->s, "SELECT setval(pg_get_serial_sequence($1::text, $2::text), $3::bigint)", &p,
		       "cannot move an id sequence past the copied rows", err);
	if (!res)
		return err->code;
	PQclear(res);
	return 0;
}

int pg_table_load_end(void *impl, struct sg_error *err)
{
	struct pg *s = impl;
	struct pg_load *l = s->load;
	int rc, failed;

	if (!l || l->s != impl)
		return sg_error_set(err, SG_DIAG_INTERNAL, "a load ended that was not begun");
	failed = l->failed;
	rc = finish_copy(l, err);
	if (!rc && failed)
		rc = sg_error_set(err, SG_DIAG_STORE_FAILED, "table %s: the copy was abandoned", l->t->name);
	if (!rc)
		rc = move_sequence(l, err);
	pg_load_forget(s);
	return rc;
}

int pg_is_empty(void *impl, int *empty, struct sg_error *err)
{
	struct pg *s = impl;
	size_t i;
	int rc = 0;

	*empty = 1;
	for (i = 0; rc == 0 && *empty && i < sg_store_table_count; i++) {
		struct sg_buf sql;
		PGresult *res;

		sg_buf_init(&sql, SQL_MAX);
		sg_buf_printf(&sql, "SELECT 1 FROM \"%s\" LIMIT 1", sg_store_tables[i].name);
		if (sg_buf_error(&sql)) {
			sg_buf_release(&sql);
			return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		}
		res = pg_query(s, sql.data, NULL, "cannot read the store", err);
		sg_buf_release(&sql);
		if (!res)
			return err->code;
		*empty = PQntuples(res) == 0;
		PQclear(res);
	}
	return rc;
}
