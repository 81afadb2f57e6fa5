/*
 * Every table of the store's schema (version 5) with its columns, the one
 * list `shipgate migrate` copies by. Both backends hold these tables with
 * these columns (sqlite_schema.c, pg_schema.c); tests/unit/test_store_tables.c
 * holds the list against a new SQLite store, so that a migration that adds a
 * table or a column and forgets this list fails a test instead of leaving
 * data behind in every copy.
 *
 * The order is one that foreign keys allow: a table comes after every table
 * it references, so rows load in this order into a store that checks them.
 */
#ifndef SG_STORE_TABLES_H
#define SG_STORE_TABLES_H

#include <stddef.h>

#include "util/error.h"

struct sg_buf;

struct sg_table_def {
	const char *name;
	const char *const *columns;
	size_t n_columns;
	/* One letter a column, as the SQLite schema declares it: 'I' INTEGER
	 * (BIGINT), 'T' TEXT, 'B' BLOB (BYTEA). */
	const char *types;
	/* The columns that order its rows: the primary key, or the unique key
	 * of a table without one. */
	const char *const *key;
	size_t n_key;
	/* The column a sequence fills when an insert leaves it out (id, seq);
	 * NULL when none does. */
	const char *identity;
};

extern const struct sg_table_def sg_store_tables[];
extern const size_t sg_store_table_count;

/* The table of that name; NULL when the schema has none. */
const struct sg_table_def *sg_store_table_find(const char *name);

/*
 * Does the table have these columns, in any order, each once? Backends take
 * table and column names from callers and put them into SQL text, so they
 * accept only names from this list. Returns the index of the first column
 * not found or repeated, or -1 when all are the table's.
 */
long sg_store_table_check_columns(const struct sg_table_def *t, const char *const *columns, size_t n);

/* The column's type letter ('I', 'T', 'B'); 0 when the table has no such column. */
char sg_store_table_column_type(const struct sg_table_def *t, const char *column);

/* The table named, if it has every column named (once): what a copy may
 * name, since these names go into SQL text. SG_DIAG_INTERNAL otherwise. */
int sg_store_table_named(const char *table, const char *const *columns, size_t n_columns,
			 const struct sg_table_def **out, struct sg_error *err);
/* "a", "b", "c": the names quoted (names from this list hold no quote). */
void sg_store_table_add_names(struct sg_buf *b, const char *const *names, size_t n);

#endif
