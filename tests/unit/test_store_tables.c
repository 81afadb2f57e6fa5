/*
 * store/tables.c against the real schema: a new SQLite store holds exactly
 * the tables and columns the list names, in its order and with its types,
 * its keys are the tables' keys, and the order lets foreign keys load. A
 * migration that adds a table or a column fails here until tables.c has it,
 * so `shipgate migrate` cannot silently leave it behind.
 *
 * Then the copying operations on SQLite (store.h "Copying a whole store"):
 * cells of every type (an empty BLOB is not NULL, text with tabs, newlines
 * and backslashes), a load into a second store, is_empty, and names that
 * are not the schema's refused.
 *
 * With SG_TEST_STORE_URL naming a PostgreSQL database (the conformance
 * suite's template, tests/store/test_store.c) or SG_TEST_PG_URL a cluster
 * (scripts/test.sh), the PostgreSQL schema is held against the list too, in
 * schemas of its own, and the same rows go through it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "store/tables.h"
#include "util/error.h"

static char dir[64];

static void store_path(const char *name, char *out, size_t size)
{
	snprintf(out, size, "%s/%s.db", dir, name);
}

static struct sg_store *open_store(const char *url)
{
	struct sg_store *s = NULL;
	struct sg_error err;

	sg_error_clear(&err);
	if (sg_store_open(url, SG_STORE_OPEN_CREATE, &s, &err) != 0)
		fail_msg("cannot open %s: %s", url, err.message);
	return s;
}

/* A new SQLite store, and the sqlite3 handle on its file. */
static sqlite3 *new_sqlite_store(const char *name)
{
	char path[128], url[160];
	sqlite3 *db = NULL;

	store_path(name, path, sizeof(path));
	snprintf(url, sizeof(url), "sqlite:%s", path);
	sg_store_close(open_store(url));
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	return db;
}

static char type_letter(const char *declared)
{
	if (strcmp(declared, "INTEGER") == 0)
		return 'I';
	if (strcmp(declared, "TEXT") == 0)
		return 'T';
	if (strcmp(declared, "BLOB") == 0)
		return 'B';
	return '?';
}

static long list_index(const char *table)
{
	const struct sg_table_def *t = sg_store_table_find(table);

	return t ? (long)(t - sg_store_tables) : -1;
}

/* ---- the list against the SQLite schema ---- */

static void test_every_table_listed(void **state)
{
	sqlite3 *db = new_sqlite_store("tables");
	sqlite3_stmt *st;
	size_t n = 0;

	(void)state;
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT name FROM sqlite_schema WHERE type = 'table' "
					    "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
					    -1, &st, NULL),
			 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		if (!sg_store_table_find(name))
			fail_msg("table %s of the SQLite schema is missing from store/tables.c: `shipgate migrate` "
				 "would not copy it",
				 name);
		n++;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_int_equal(n, sg_store_table_count);
}

static void check_columns(sqlite3 *db, const struct sg_table_def *t)
{
	char sql[128];
	sqlite3_stmt *st;
	size_t i = 0;

	snprintf(sql, sizeof(sql), "PRAGMA table_info(\"%s\")", t->name);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(strlen(t->types), t->n_columns);
	for (; sqlite3_step(st) == SQLITE_ROW; i++) {
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const char *type = (const char *)sqlite3_column_text(st, 2);
		if (i >= t->n_columns)
			fail_msg("table %s: column %s is missing from store/tables.c", t->name, name);
		if (strcmp(t->columns[i], name) != 0)
			fail_msg("table %s: column %zu is %s in the schema, %s in store/tables.c", t->name, i + 1, name,
				 t->columns[i]);
		if (type_letter(type) != t->types[i])
			fail_msg("table %s: column %s is %s in the schema, '%c' in store/tables.c", t->name, name, type,
				 t->types[i]);
	}
	sqlite3_finalize(st);
	if (i != t->n_columns)
		fail_msg("table %s: store/tables.c names %zu columns, the schema has %zu", t->name, t->n_columns, i);
}

/* The primary key's columns in key order, into names; how many. */
static size_t primary_key(sqlite3 *db, const char *table, char names[][64], size_t max)
{
	char sql[128];
	sqlite3_stmt *st;
	size_t n = 0;

	snprintf(sql, sizeof(sql), "SELECT name FROM pragma_table_info('%s') WHERE pk > 0 ORDER BY pk", table);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	while (n < max && sqlite3_step(st) == SQLITE_ROW)
		snprintf(names[n++], 64, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return n;
}

/* Is there a unique index on exactly these columns, in this order? */
static int has_unique_index(sqlite3 *db, const struct sg_table_def *t)
{
	char sql[256];
	sqlite3_stmt *st;
	int found = 0;

	snprintf(sql, sizeof(sql),
		 "SELECT group_concat(ii.name, ',') FROM pragma_index_list('%s') il, pragma_index_info(il.name) ii "
		 "WHERE il.\"unique\" GROUP BY il.name",
		 t->name);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	while (!found && sqlite3_step(st) == SQLITE_ROW) {
		char want[256] = "";
		size_t i;
		for (i = 0; i < t->n_key; i++)
			snprintf(want + strlen(want), sizeof(want) - strlen(want), "%s%s", i ? "," : "", t->key[i]);
		found = strcmp(want, (const char *)sqlite3_column_text(st, 0)) == 0;
	}
	sqlite3_finalize(st);
	return found;
}

static void check_key(sqlite3 *db, const struct sg_table_def *t)
{
	char pk[4][64];
	size_t n = primary_key(db, t->name, pk, 4), i;

	if (n == 0) {
		if (!has_unique_index(db, t))
			fail_msg("table %s has no primary key, and its key in store/tables.c is no unique index",
				 t->name);
		assert_null(t->identity);
		return;
	}
	assert_int_equal(n, t->n_key);
	for (i = 0; i < n; i++)
		if (strcmp(pk[i], t->key[i]) != 0)
			fail_msg("table %s: key column %zu is %s, store/tables.c says %s", t->name, i + 1, pk[i],
				 t->key[i]);
	/* An INTEGER PRIMARY KEY is the rowid: a sequence fills it (identity on PostgreSQL). */
	if (n == 1 && sg_store_table_column_type(t, pk[0]) == 'I') {
		assert_non_null(t->identity);
		assert_string_equal(t->identity, pk[0]);
	} else {
		assert_null(t->identity);
	}
}

/* Every table comes after the tables it references. */
static void check_foreign_keys(sqlite3 *db, const struct sg_table_def *t)
{
	char sql[128];
	sqlite3_stmt *st;
	long here = list_index(t->name);

	snprintf(sql, sizeof(sql), "SELECT \"table\" FROM pragma_foreign_key_list('%s')", t->name);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *parent = (const char *)sqlite3_column_text(st, 0);
		long there = list_index(parent);
		if (there < 0 || there >= here)
			fail_msg("table %s references %s, which store/tables.c lists after it: its rows could not load",
				 t->name, parent);
	}
	sqlite3_finalize(st);
}

static void test_columns_keys_and_order(void **state)
{
	sqlite3 *db = new_sqlite_store("columns");
	size_t i;

	(void)state;
	for (i = 0; i < sg_store_table_count; i++) {
		check_columns(db, &sg_store_tables[i]);
		check_key(db, &sg_store_tables[i]);
		check_foreign_keys(db, &sg_store_tables[i]);
	}
	sqlite3_close(db);
}

static void test_names_checked(void **state)
{
	const struct sg_table_def *t = sg_store_table_find("product");
	const char *const good[] = {"created_at", "id"};
	const char *const unknown[] = {"id", "name; DROP TABLE product"};
	const char *const twice[] = {"id", "name", "id"};

	(void)state;
	assert_non_null(t);
	assert_null(sg_store_table_find("sqlite_schema"));
	assert_null(sg_store_table_find("shipgate_schema"));
	assert_null(sg_store_table_find(NULL));
	assert_int_equal(sg_store_table_check_columns(t, good, 2), -1);
	assert_int_equal(sg_store_table_check_columns(t, unknown, 2), 1);
	assert_int_equal(sg_store_table_check_columns(t, twice, 3), 2);
	assert_int_equal(sg_store_table_column_type(t, "severity_rules"), 'B');
	assert_int_equal(sg_store_table_column_type(t, "nope"), 0);
}

/* ---- copying, through store.h ---- */

static const char *const product_columns[] = {"id", "name", "severity_rules", "created_at"};
#define ODD_NAME "tab\there, new\nline, cr\r, back\\slash \\N, \xc3\xa9"

struct collected {
	long long ids[8];
	char names[8][64];
	int rules_type[8];
	size_t rules_len[8];
	size_t n;
};

static int collect(void *ctx, const struct sg_cell *cells, size_t n, struct sg_error *err)
{
	struct collected *c = ctx;

	(void)err;
	assert_int_equal(n, 4);
	assert_true(c->n < 8);
	assert_int_equal(cells[0].type, SG_CELL_INT);
	assert_int_equal(cells[1].type, SG_CELL_TEXT);
	assert_int_equal(cells[3].type, SG_CELL_INT);
	c->ids[c->n] = cells[0].i;
	assert_true(cells[1].len < 64);
	memcpy(c->names[c->n], cells[1].p, cells[1].len);
	c->names[c->n][cells[1].len] = '\0';
	c->rules_type[c->n] = cells[2].type;
	c->rules_len[c->n] = cells[2].len;
	c->n++;
	return 0;
}

/* Three products: an empty BLOB, a NULL, a text full of COPY's specials. */
static void load_products(struct sg_store *s)
{
	static const unsigned char rules[3] = {0, '\t', 0xff};
	struct sg_cell row[4];
	struct sg_error err;

	sg_error_clear(&err);
	assert_int_equal(sg_store_begin(s, &err), 0);
	assert_int_equal(sg_store_table_load_begin(s, "product", product_columns, 4, &err), 0);
	memset(row, 0, sizeof(row));
	row[0] = (struct sg_cell){SG_CELL_INT, 5, NULL, 0};
	row[1] = (struct sg_cell){SG_CELL_TEXT, 0, "empty", 5};
	row[2] = (struct sg_cell){SG_CELL_BLOB, 0, NULL, 0};
	row[3] = (struct sg_cell){SG_CELL_INT, 1700000000, NULL, 0};
	assert_int_equal(sg_store_table_load_row(s, row, 4, &err), 0);
	row[0].i = 9;
	row[1] = (struct sg_cell){SG_CELL_TEXT, 0, ODD_NAME, strlen(ODD_NAME)};
	row[2] = (struct sg_cell){SG_CELL_NULL, 0, NULL, 0};
	assert_int_equal(sg_store_table_load_row(s, row, 4, &err), 0);
	row[0].i = 7;
	row[1] = (struct sg_cell){SG_CELL_TEXT, 0, "bytes", 5};
	row[2] = (struct sg_cell){SG_CELL_BLOB, 0, rules, sizeof(rules)};
	assert_int_equal(sg_store_table_load_row(s, row, 4, &err), 0);
	assert_int_equal(sg_store_table_load_end(s, &err), 0);
	assert_int_equal(sg_store_commit(s, &err), 0);
}

static void check_products(struct sg_store *s)
{
	struct collected c;
	struct sg_error err;

	memset(&c, 0, sizeof(c));
	sg_error_clear(&err);
	assert_int_equal(sg_store_table_rows(s, "product", product_columns, 4, collect, &c, &err), 0);
	assert_int_equal(c.n, 3);
	/* key order, not load order */
	assert_int_equal(c.ids[0], 5);
	assert_int_equal(c.ids[1], 7);
	assert_int_equal(c.ids[2], 9);
	assert_int_equal(c.rules_type[0], SG_CELL_BLOB);
	assert_int_equal(c.rules_len[0], 0);
	assert_int_equal(c.rules_type[1], SG_CELL_BLOB);
	assert_int_equal(c.rules_len[1], 3);
	assert_int_equal(c.rules_type[2], SG_CELL_NULL);
	assert_string_equal(c.names[2], ODD_NAME);
}

/* The next product the store makes itself gets an id past the copied ones. */
static void check_next_id(struct sg_store *s)
{
	struct sg_error err;
	long long id = 0;

	sg_error_clear(&err);
	assert_int_equal(sg_store_begin(s, &err), 0);
	assert_int_equal(sg_store_product_ensure(s, "after-the-copy", 1700000001, &id, &err), 0);
	assert_int_equal(sg_store_commit(s, &err), 0);
	assert_int_equal(id, 10);
}

static int forward(void *ctx, const struct sg_cell *cells, size_t n, struct sg_error *err)
{
	return sg_store_table_load_row(ctx, cells, n, err);
}

/* Load into `to` what `from` holds, as migrate does. */
static void copy_products(struct sg_store *from, struct sg_store *to)
{
	struct sg_error err;
	int empty = 0;

	sg_error_clear(&err);
	assert_int_equal(sg_store_is_empty(to, &empty, &err), 0);
	assert_true(empty);
	assert_int_equal(sg_store_begin_read(from, &err), 0);
	assert_int_equal(sg_store_begin(to, &err), 0);
	assert_int_equal(sg_store_table_load_begin(to, "product", product_columns, 4, &err), 0);
	assert_int_equal(sg_store_table_rows(from, "product", product_columns, 4, forward, to, &err), 0);
	assert_int_equal(sg_store_table_load_end(to, &err), 0);
	assert_int_equal(sg_store_commit(to, &err), 0);
	sg_store_rollback(from);
	assert_int_equal(sg_store_is_empty(to, &empty, &err), 0);
	assert_false(empty);
}

static void refuses_other_names(struct sg_store *s)
{
	const char *const bad[] = {"id", "name\" FROM product; --"};
	struct sg_error err;

	sg_error_clear(&err);
	assert_int_equal(sg_store_table_rows(s, "sqlite_schema", product_columns, 1, collect, NULL, &err),
			 SG_EINTERNAL);
	assert_int_equal(sg_store_table_rows(s, "product", bad, 2, collect, NULL, &err), SG_EINTERNAL);
	assert_int_equal(sg_store_table_load_begin(s, "product", bad, 2, &err), SG_EINTERNAL);
	/* outside a transaction */
	assert_int_equal(sg_store_table_load_begin(s, "product", product_columns, 4, &err), SG_EINTERNAL);
	/* a short row: refused, and the load ends so that the transaction can roll back */
	assert_int_equal(sg_store_begin(s, &err), 0);
	assert_int_equal(sg_store_table_load_begin(s, "product", product_columns, 4, &err), 0);
	assert_int_equal(sg_store_table_load_row(s, NULL, 3, &err), SG_EINTERNAL);
	if (sg_store_table_load_end(s, &err) != 0)
		sg_error_clear(&err);
	sg_store_rollback(s);
}

static void test_sqlite_copy(void **state)
{
	char path[128], url_a[160], url_b[160];
	struct sg_store *a, *b;

	(void)state;
	store_path("copy-a", path, sizeof(path));
	snprintf(url_a, sizeof(url_a), "sqlite:%s", path);
	store_path("copy-b", path, sizeof(path));
	snprintf(url_b, sizeof(url_b), "sqlite:%s", path);
	a = open_store(url_a);
	b = open_store(url_b);
	load_products(a);
	check_products(a);
	copy_products(a, b);
	check_products(b);
	check_next_id(b);
	refuses_other_names(b);
	sg_store_close(a);
	sg_store_close(b);
}

/* ---- PostgreSQL, when the environment names one ---- */

static int is_pg_url(const char *u)
{
	return u && (strncmp(u, "postgresql:", 11) == 0 || strncmp(u, "postgres:", 9) == 0);
}

/* The conformance suite's template, else scripts/test.sh's cluster (a base
 * URL: the user's default database). */
static const char *pg_template(void)
{
	const char *t = getenv("SG_TEST_STORE_URL");

	if (is_pg_url(t))
		return t;
	t = getenv("SG_TEST_PG_URL");
	return is_pg_url(t) ? t : NULL;
}

/* The template with its "%s" (or an appended search_path) naming schema. */
static void pg_url(const char *schema, char *out, size_t size)
{
	const char *t = pg_template(), *mark = strstr(t, "%s");

	if (mark)
		snprintf(out, size, "%.*s%s%s", (int)(mark - t), t, schema, mark + 2);
	else
		snprintf(out, size, "%s%soptions=-csearch_path%%3D%s", t, strchr(t, '?') ? "&" : "?", schema);
}

static void pg_do(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);

	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		fail_msg("%s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
}

static char pg_letter(const char *data_type)
{
	if (strcmp(data_type, "bigint") == 0)
		return 'I';
	if (strcmp(data_type, "text") == 0)
		return 'T';
	if (strcmp(data_type, "bytea") == 0)
		return 'B';
	return '?';
}

static void pg_check_schema(PGconn *c, const char *schema)
{
	const char *param = schema;
	PGresult *r = PQexecParams(c,
				   "SELECT table_name, column_name, data_type FROM information_schema.columns "
				   "WHERE table_schema = $1 AND table_name <> 'shipgate_schema' "
				   "ORDER BY table_name, ordinal_position",
				   1, NULL, &param, NULL, NULL, 0);
	const struct sg_table_def *t = NULL;
	size_t col = 0, tables = 0;
	int i;

	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	for (i = 0; i < PQntuples(r); i++) {
		const char *table = PQgetvalue(r, i, 0), *name = PQgetvalue(r, i, 1);
		if (!t || strcmp(t->name, table) != 0) {
			if (t && col != t->n_columns)
				fail_msg("PostgreSQL table %s has %zu columns, store/tables.c %zu", t->name, col,
					 t->n_columns);
			t = sg_store_table_find(table);
			if (!t)
				fail_msg("PostgreSQL table %s is missing from store/tables.c", table);
			col = 0;
			tables++;
		}
		if (col >= t->n_columns || strcmp(t->columns[col], name) != 0 ||
		    pg_letter(PQgetvalue(r, i, 2)) != t->types[col])
			fail_msg("PostgreSQL table %s: column %zu is %s %s, not as store/tables.c says", table, col + 1,
				 name, PQgetvalue(r, i, 2));
		col++;
	}
	PQclear(r);
	assert_non_null(t);
	assert_int_equal(col, t->n_columns);
	assert_int_equal(tables, sg_store_table_count);
}

static void test_postgresql(void **state)
{
	char schema_a[48], schema_b[48], url[600], sql[200], path[128];
	struct sg_store *a, *b, *back;
	PGconn *admin;

	(void)state;
	if (!pg_template()) {
		skip();
		return;
	}
	snprintf(schema_a, sizeof(schema_a), "sgtables_%ld_a", (long)getpid());
	snprintf(schema_b, sizeof(schema_b), "sgtables_%ld_b", (long)getpid());
	pg_url("public", url, sizeof(url));
	admin = PQconnectdb(url);
	if (PQstatus(admin) != CONNECTION_OK)
		fail_msg("cannot connect to %s: %s", url, PQerrorMessage(admin));
	pg_do(admin, "SET client_min_messages = warning");
	snprintf(sql, sizeof(sql), "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", schema_a, schema_a);
	pg_do(admin, sql);
	snprintf(sql, sizeof(sql), "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", schema_b, schema_b);
	pg_do(admin, sql);

	pg_url(schema_a, url, sizeof(url));
	a = open_store(url);
	pg_check_schema(admin, schema_a);
	load_products(a);
	check_products(a);
	check_next_id(a); /* load_end moved the identity's sequence */
	sg_store_close(a);

	/* SQLite to PostgreSQL and back */
	store_path("to-pg", path, sizeof(path));
	snprintf(url, sizeof(url), "sqlite:%s", path);
	back = open_store(url);
	load_products(back);
	pg_url(schema_b, url, sizeof(url));
	b = open_store(url);
	copy_products(back, b);
	check_products(b);
	refuses_other_names(b);
	sg_store_close(b);
	sg_store_close(back);

	snprintf(sql, sizeof(sql), "DROP SCHEMA %s CASCADE; DROP SCHEMA %s CASCADE", schema_a, schema_b);
	pg_do(admin, sql);
	PQfinish(admin);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/sg-tables.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char path[400];
	struct dirent *e;
	DIR *d = opendir(dir);

	(void)state;
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
	if (d)
		closedir(d);
	return rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_table_listed),
		cmocka_unit_test(test_columns_keys_and_order),
		cmocka_unit_test(test_names_checked),
		cmocka_unit_test(test_sqlite_copy),
		cmocka_unit_test(test_postgresql),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
