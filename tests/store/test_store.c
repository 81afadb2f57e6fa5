/*
 * The store conformance suite (STYLE.md "Backends are tables of functions
 * chosen by name ... one conformance suite runs against every backend").
 *
 * It uses store.h only. The store under test comes from SG_TEST_STORE_URL, a
 * URL template in which "%s" is replaced by a name unique to each case, e.g.
 *
 *   SG_TEST_STORE_URL='sqlite:/tmp/sg/%s.db'
 *   SG_TEST_STORE_URL='postgresql://postgres@%2Ftmp%2Fpg:5432/sgtest?options=-csearch_path%3D%s'
 *
 * Unset, each case gets its own SQLite file in a fresh mkdtemp directory. A
 * few cases are about the SQLite file itself (a foreign database, a newer
 * schema, file modes, symlinks); they run only for sqlite: URLs and use the
 * sqlite3 API directly to build their hostile files.
 *
 * PostgreSQL (a URL starting postgresql: or postgres:, anything libpq takes):
 * a store is a schema, the first of the search_path. "%s" is replaced by a
 * schema name unique to the run and the case ("sgt_" PID "_" name: letters,
 * digits and '_'), so it belongs where the search_path is set, as above; a
 * URL without "%s" gets "options=-csearch_path%3D%s" appended. The database
 * must exist, and the URL's user must be allowed to create schemas in it (a
 * password goes in the URL or in PGPASSWORD). No other variable is read: the
 * fixture opens its own libpq connection with the same URL, creates each
 * name's schema, empty, before the name is used (an empty schema is "no
 * store yet", as a missing SQLite file is) and drops it, with everything in
 * it, after the case. The PostgreSQL-only cases (a foreign schema, a newer
 * schema version, a writer waiting for another, credentials in the name)
 * build their hostile schemas over that connection.
 *
 * Clauses: remediate.release (open findings and their counts feed the gate),
 * sast (scans by commit), remediate.sla (fixed / reopened history),
 * exceptions (false_positive is a person's decision and stays).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/finding.h"
#include "core/identity.h"
#include "core/audit.h"
#include "core/exception.h"
#include "core/policy.h"
#include "core/principal.h"
#include "store/store.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/hash.h"

#define T0 ((time_t)1764417600) /* 2025-11-29T12:00:00Z */
#define COMMIT_A "0123456789abcdef0123456789abcdef01234567"
#define COMMIT_B "fedcba9876543210fedcba9876543210fedcba98"

/* ---- where the stores live ---- */

static char tmpdir[128];     /* ours to remove; empty when the URL came from the environment */
static char url_template[512];
static PGconn *pg_admin;     /* PostgreSQL: the fixture's own connection, for schemas */

/* Schemas made for the running case, dropped by its teardown. */
#define MAX_CASE_SCHEMAS 8
static char case_schemas[MAX_CASE_SCHEMAS][64];
static int n_case_schemas;

static int is_sqlite(void)
{
	return strncmp(url_template, "sqlite:", 7) == 0;
}

static int is_pg(void)
{
	return strncmp(url_template, "postgresql:", 11) == 0 || strncmp(url_template, "postgres:", 9) == 0;
}

/* The template with "%s" replaced by text (no printf: the template is user input). */
static void fill_template(const char *text, char *out, size_t size)
{
	const char *mark = strstr(url_template, "%s");

	if (!mark) {
		snprintf(out, size, "%s", url_template);
		return;
	}
	snprintf(out, size, "%.*s%s%s", (int)(mark - url_template), url_template, text, mark + 2);
}

/* The schema holding the store called name on PostgreSQL: unique to this run
 * (other runs may share the database) and plain enough for a search_path. */
static void schema_for(const char *name, char *out, size_t size)
{
	size_t i;

	snprintf(out, size, "sgt_%ld_%s", (long)getpid(), name);
	for (i = 0; out[i]; i++)
		if (!((out[i] >= 'a' && out[i] <= 'z') || (out[i] >= '0' && out[i] <= '9')))
			out[i] = '_';
}

/*
 * Run SQL over the fixture's connection, with every "@" in it replaced by
 * schema as a quoted identifier (identifiers cannot be parameters; values
 * are: param, when not NULL, is $1 of a single statement). Returns the
 * result for the caller to PQclear, or fails the case.
 */
static PGresult *pg_run(const char *sql, const char *schema, const char *param)
{
	char text[1024];
	char *quoted;
	size_t used = 0;
	PGresult *res;
	ExecStatusType st;

	quoted = PQescapeIdentifier(pg_admin, schema, strlen(schema));
	if (!quoted)
		fail_msg("cannot quote %s: %s", schema, PQerrorMessage(pg_admin));
	text[0] = '\0';
	for (; *sql && used + 1 < sizeof(text); sql++) {
		if (*sql == '@') {
			used += (size_t)snprintf(text + used, sizeof(text) - used, "%s", quoted);
		} else {
			text[used++] = *sql;
			text[used] = '\0';
		}
	}
	PQfreemem(quoted);
	if (*sql || used + 1 >= sizeof(text))
		fail_msg("SQL too long for pg_run");
	/* PQexec takes several statements; PQexecParams, one with parameters. */
	res = param ? PQexecParams(pg_admin, text, 1, NULL, &param, NULL, NULL, 0) : PQexec(pg_admin, text);
	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		char msg[300];
		snprintf(msg, sizeof(msg), "%s", PQresultErrorMessage(res));
		PQclear(res);
		fail_msg("%s: %s", text, msg);
	}
	return res;
}

static void pg_run_done(const char *sql, const char *schema)
{
	PQclear(pg_run(sql, schema, NULL));
}

/* How many tables and views the schema holds; -1 when there is no such schema. */
static long pg_tables_in(const char *schema)
{
	PGresult *res = pg_run("SELECT (SELECT count(*) FROM pg_class c WHERE c.relnamespace = n.oid"
			       "        AND c.relkind IN ('r', 'p', 'v'))"
			       " FROM pg_namespace n WHERE n.nspname = $1",
			       "", schema);
	long n = PQntuples(res) == 1 ? strtol(PQgetvalue(res, 0, 0), NULL, 10) : -1;

	PQclear(res);
	return n;
}

/* A fresh, empty schema for this case, dropped at its end. */
static void pg_new_schema(const char *schema)
{
	if (n_case_schemas >= MAX_CASE_SCHEMAS)
		fail_msg("more than %d stores in one case", MAX_CASE_SCHEMAS);
	pg_run_done("DROP SCHEMA IF EXISTS @ CASCADE; CREATE SCHEMA @", schema);
	snprintf(case_schemas[n_case_schemas++], sizeof(case_schemas[0]), "%s", schema);
}

/* The URL of the store called name. On PostgreSQL its schema is made here. */
static void make_url(const char *name, char *out, size_t size)
{
	char schema[64];

	if (!is_pg()) {
		fill_template(name, out, size);
		return;
	}
	schema_for(name, schema, sizeof(schema));
	pg_new_schema(schema);
	fill_template(schema, out, size);
}

/* The file behind a sqlite: URL. */
static const char *sqlite_path(const char *url)
{
	return strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url;
}

static void remove_tree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char child[1024];

	if (lstat(path, &st) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	d = opendir(path);
	if (d) {
		while ((e = readdir(d))) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
			remove_tree(child);
		}
		closedir(d);
	}
	rmdir(path);
}

/* The fixture's own connection to the database the URL names. */
static int pg_setup(void)
{
	char url[600];

	if (!strstr(url_template, "%s")) {
		size_t len = strlen(url_template);
		snprintf(url_template + len, sizeof(url_template) - len, "%soptions=-csearch_path%%3D%%s",
			 strchr(url_template, '?') ? "&" : "?");
	}
	fill_template("public", url, sizeof(url));
	pg_admin = PQconnectdb(url);
	if (!pg_admin || PQstatus(pg_admin) != CONNECTION_OK) {
		fprintf(stderr, "cannot connect to SG_TEST_STORE_URL's database: %s\n",
			pg_admin ? PQerrorMessage(pg_admin) : "out of memory");
		return -1;
	}
	PQclear(PQexec(pg_admin, "SET client_min_messages = 'warning'"));
	return 0;
}

static int group_setup(void **state)
{
	const char *env = getenv("SG_TEST_STORE_URL");

	(void)state;
	if (sg_crypto_init() != 0)
		return -1;
	if (env && *env) {
		snprintf(url_template, sizeof(url_template), "%s", env);
		return is_pg() ? pg_setup() : 0;
	}
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/sg-store-test-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(url_template, sizeof(url_template), "sqlite:%s/%%s.db", tmpdir);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	if (tmpdir[0])
		remove_tree(tmpdir);
	if (pg_admin)
		PQfinish(pg_admin);
	pg_admin = NULL;
	return 0;
}

/* ---- per-case fixture: a fresh store with one product ---- */

struct fx {
	char url[600];
	char schema[64];      /* PostgreSQL: the store's schema */
	struct sg_store *s;
	struct sg_store *s2;  /* a second connection, when a case needs one */
	long long product;
	long long other_product;
	struct sg_error err;
};

static struct fx fx;
static unsigned case_counter;

#define OK(call)                                                                               \
	do {                                                                                   \
		int rc_ = (call);                                                              \
		if (rc_ != 0)                                                                  \
			fail_msg("%s returned %d: %s [%s]", #call, rc_, fx.err.message,         \
				 sg_diag_id(fx.err.diag));                                     \
	} while (0)

static int case_teardown(void **state)
{
	int i;

	(void)state;
	if (fx.s) {
		sg_store_rollback(fx.s);
		sg_store_close(fx.s);
	}
	if (fx.s2) {
		sg_store_rollback(fx.s2);
		sg_store_close(fx.s2);
	}
	fx.s = fx.s2 = NULL;
	/* The stores' connections are closed: nothing holds their schemas. */
	for (i = 0; i < n_case_schemas; i++)
		pg_run_done("DROP SCHEMA IF EXISTS @ CASCADE", case_schemas[i]);
	n_case_schemas = 0;
	return 0;
}

static int case_setup(void **state)
{
	char name[32];

	(void)state;
	memset(&fx, 0, sizeof(fx));
	n_case_schemas = 0;
	snprintf(name, sizeof(name), "case%u", ++case_counter);
	make_url(name, fx.url, sizeof(fx.url));
	if (is_pg())
		schema_for(name, fx.schema, sizeof(fx.schema));
	sg_error_clear(&fx.err);
	if (sg_store_open(fx.url, SG_STORE_OPEN_CREATE, &fx.s, &fx.err) != 0 ||
	    sg_store_begin(fx.s, &fx.err) != 0 ||
	    sg_store_product_ensure(fx.s, "shop", T0, &fx.product, &fx.err) != 0 ||
	    sg_store_product_ensure(fx.s, "other", T0, &fx.other_product, &fx.err) != 0 ||
	    sg_store_commit(fx.s, &fx.err) != 0) {
		/* cmocka runs no teardown after a failed setup. */
		fprintf(stderr, "case setup: %s [%s]\n", fx.err.message, sg_diag_id(fx.err.diag));
		case_teardown(state);
		return -1;
	}
	return 0;
}

/* ---- helpers ---- */

static struct sg_view view_of(long long product, const char *kind, const char *tool, const char *category)
{
	struct sg_view v;

	v.product_id = product;
	v.kind = kind;
	v.tool = tool;
	v.category = category;
	return v;
}

static long long new_ingest(struct sg_store *s, long long product, time_t now)
{
	long long id = 0;

	OK(sg_store_ingest_begin(s, product, now, &id, &fx.err));
	assert_true(id > 0);
	return id;
}

static long long new_scan(struct sg_store *s, long long product, long long ingest, const char *kind,
			  const char *tool, const char *category, const char *commit, unsigned char digest_byte,
			  time_t created_at)
{
	struct sg_scan_record r;
	long long id = 0;

	memset(&r, 0, sizeof(r));
	r.product_id = product;
	r.ingest_id = ingest;
	r.kind = kind;
	r.tool = tool;
	r.tool_version = "1.0";
	r.category = category;
	r.commit = commit;
	r.artifact_name = "scan.sarif";
	memset(r.artifact_sha256, digest_byte, sizeof(r.artifact_sha256));
	r.created_at = created_at;
	OK(sg_store_scan_insert(s, &r, &id, &fx.err));
	assert_true(id > 0);
	return id;
}

static void make_base(unsigned char base[SG_FINGERPRINT_BYTES], int n)
{
	memset(base, 0, SG_FINGERPRINT_BYTES);
	base[0] = (unsigned char)n;
	base[15] = 0xa5;
}

static struct sg_sighting_outcome sight(struct sg_store *s, const struct sg_view *v, long long ingest,
					long long scan, int base_n, enum sg_severity sev, const char *rule,
					time_t now)
{
	unsigned char base[SG_FINGERPRINT_BYTES];
	struct sg_sighting in;
	struct sg_sighting_outcome out;

	make_base(base, base_n);
	memset(&in, 0, sizeof(in));
	in.rule = rule;
	in.rule_name = "a rule";
	in.tool_severity = sev;
	in.severity = sev;
	in.path = "src/a.c";
	in.line = 10 + base_n;
	in.column = 2;
	in.message = "something is wrong";
	memset(&out, 0, sizeof(out));
	OK(sg_store_finding_sight(s, v, ingest, scan, base, &in, now, &out, &fx.err));
	assert_true(out.finding_id > 0);
	return out;
}

/* A finding copied out of its callback (the strings live only that long). */
struct got {
	int n;
	long long id;
	unsigned char fingerprint[SG_FINGERPRINT_BYTES];
	char product[64], kind[32], tool[64], category[64], rule[64], path[64], message[128];
	char first_seen[SG_TIME_TEXT], last_seen[SG_TIME_TEXT];
	enum sg_severity severity;
	enum sg_finding_status status;
	long line;
	long long first_seen_scan, last_seen_scan;
};

static int copy_finding(void *ctx, const struct sg_finding *f)
{
	struct got *g = ctx;

	g->n++;
	g->id = f->id;
	memcpy(g->fingerprint, f->fingerprint, SG_FINGERPRINT_BYTES);
	snprintf(g->product, sizeof(g->product), "%s", f->product ? f->product : "");
	snprintf(g->kind, sizeof(g->kind), "%s", f->kind ? f->kind : "");
	snprintf(g->tool, sizeof(g->tool), "%s", f->tool ? f->tool : "");
	snprintf(g->category, sizeof(g->category), "%s", f->category ? f->category : "");
	snprintf(g->rule, sizeof(g->rule), "%s", f->rule ? f->rule : "");
	snprintf(g->path, sizeof(g->path), "%s", f->path ? f->path : "");
	snprintf(g->message, sizeof(g->message), "%s", f->message ? f->message : "");
	snprintf(g->first_seen, sizeof(g->first_seen), "%s", f->first_seen ? f->first_seen : "");
	snprintf(g->last_seen, sizeof(g->last_seen), "%s", f->last_seen ? f->last_seen : "");
	g->severity = f->severity;
	g->status = f->status;
	g->line = f->line;
	g->first_seen_scan = f->first_seen_scan;
	g->last_seen_scan = f->last_seen_scan;
	return 0;
}

static struct got get(struct sg_store *s, long long id)
{
	struct got g;

	memset(&g, 0, sizeof(g));
	OK(sg_store_finding_get(s, id, copy_finding, &g, &fx.err));
	assert_int_equal(g.n, 1);
	return g;
}

/* Findings as a list of ids, in the order given. */
struct ids {
	int n;
	long long id[32];
	enum sg_severity sev[32];
	int stop_after; /* return 7 after this many; 0 never */
};

static int collect_id(void *ctx, const struct sg_finding *f)
{
	struct ids *l = ctx;

	if (l->n < 32) {
		l->id[l->n] = f->id;
		l->sev[l->n] = f->severity;
	}
	l->n++;
	if (l->stop_after && l->n >= l->stop_after)
		return 7;
	return 0;
}

struct events {
	int n;
	enum sg_event_kind kind[16];
	long long scan[16];
	char from[16][24], to[16][24], reason[16][64];
};

static int collect_event(void *ctx, const struct sg_finding_event *e)
{
	struct events *l = ctx;

	if (l->n < 16) {
		l->kind[l->n] = e->kind;
		l->scan[l->n] = e->scan_id;
		snprintf(l->from[l->n], sizeof(l->from[0]), "%s", e->from_status ? e->from_status : "");
		snprintf(l->to[l->n], sizeof(l->to[0]), "%s", e->to_status ? e->to_status : "");
		snprintf(l->reason[l->n], sizeof(l->reason[0]), "%s", e->reason ? e->reason : "");
	}
	l->n++;
	return 0;
}

static struct events events_of(struct sg_store *s, long long id)
{
	struct events e;

	memset(&e, 0, sizeof(e));
	OK(sg_store_finding_events(s, id, collect_event, &e, &fx.err));
	return e;
}

/* ---- opening ---- */

/* "without [create], a missing store is SG_ENOTFOUND (so a mistyped --db never starts an empty store)" */
static void test_open_missing_not_found(void **state)
{
	char url[600];
	struct sg_store *s = (struct sg_store *)&url; /* must be reset to NULL */
	struct sg_error err;

	(void)state;
	make_url("never-created", url, sizeof(url));
	sg_error_clear(&err);
	assert_int_equal(sg_store_open(url, SG_STORE_OPEN_EXISTING, &s, &err), SG_ENOTFOUND);
	assert_null(s);
	assert_int_equal(err.diag, SG_DIAG_NOT_FOUND);
	/* And nothing was created by trying. */
	sg_error_clear(&err);
	assert_int_equal(sg_store_open(url, SG_STORE_OPEN_EXISTING, &s, &err), SG_ENOTFOUND);
	if (is_sqlite())
		assert_int_not_equal(access(sqlite_path(url), F_OK), 0);
	if (is_pg()) {
		char schema[64];
		schema_for("never-created", schema, sizeof(schema));
		assert_int_equal(pg_tables_in(schema), 0);
	}
}

/* Create, then reopen: migrations apply once, and data stays. */
static void test_create_and_reopen(void **state)
{
	long long id = 0;
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		sg_store_close(fx.s);
		fx.s = NULL;
		OK(sg_store_open(fx.url, i == 0 ? SG_STORE_OPEN_EXISTING : SG_STORE_OPEN_CREATE, &fx.s,
				 &fx.err));
		OK(sg_store_product_find(fx.s, "shop", &id, &fx.err));
		assert_int_equal(id, fx.product);
	}
}

static void test_store_name(void **state)
{
	(void)state;
	assert_non_null(sg_store_name(fx.s));
	if (is_sqlite())
		assert_string_equal(sg_store_name(fx.s), fx.url);
}

static void test_bad_urls(void **state)
{
	struct sg_store *s = NULL;
	struct sg_error err;

	(void)state;
	sg_error_clear(&err);
	assert_int_equal(sg_store_open("nosuchbackend:/tmp/x", SG_STORE_OPEN_CREATE, &s, &err), SG_EUSAGE);
	assert_int_equal(err.diag, SG_DIAG_STORE_URL);
	assert_null(s);
	sg_error_clear(&err);
	assert_int_equal(sg_store_open("sqlite:", SG_STORE_OPEN_CREATE, &s, &err), SG_EUSAGE);
	assert_int_equal(err.diag, SG_DIAG_STORE_URL);
	assert_null(s);
}

/* An SQLite database that is not a shipgate store is refused, and left as it was. */
static void test_foreign_sqlite_file(void **state)
{
	char url[600];
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	struct sg_store *s = NULL;
	struct sg_error err;
	int mode, tables = -1;

	(void)state;
	if (!is_sqlite())
		skip();
	make_url("foreign", url, sizeof(url));
	assert_int_equal(sqlite3_open(sqlite_path(url), &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE invoices(id INTEGER PRIMARY KEY, total REAL);"
					  "INSERT INTO invoices(total) VALUES (9.5);",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	db = NULL;

	for (mode = 0; mode < 2; mode++) {
		sg_error_clear(&err);
		assert_int_equal(sg_store_open(url, mode, &s, &err), SG_ESTORE);
		assert_int_equal(err.diag, SG_DIAG_STORE_SCHEMA);
		assert_null(s);
	}
	/* Untouched: still one table, no shipgate header. */
	assert_int_equal(sqlite3_open_v2(sqlite_path(url), &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_schema", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	tables = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_int_equal(tables, 1);
}

/* A file that is not a database at all. */
static void test_not_a_database(void **state)
{
	char url[600];
	FILE *f;
	struct sg_store *s = NULL;
	struct sg_error err;

	(void)state;
	if (!is_sqlite())
		skip();
	make_url("garbage", url, sizeof(url));
	f = fopen(sqlite_path(url), "w");
	assert_non_null(f);
	fputs("this is not a database, it is a shopping list: eggs, milk, flour, sugar, butter\n", f);
	fclose(f);
	sg_error_clear(&err);
	assert_int_equal(sg_store_open(url, SG_STORE_OPEN_EXISTING, &s, &err), SG_ESTORE);
	assert_null(s);
	assert_true(err.diag == SG_DIAG_STORE_OPEN || err.diag == SG_DIAG_STORE_SCHEMA);
}

/* A store written by a newer shipgate (a higher schema version) is refused. */
static void test_newer_schema(void **state)
{
	sqlite3 *db = NULL;
	struct sg_error err;

	(void)state;
	if (!is_sqlite())
		skip();
	sg_store_close(fx.s);
	fx.s = NULL;
	assert_int_equal(sqlite3_open(sqlite_path(fx.url), &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 9999", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	sg_error_clear(&err);
	assert_int_equal(sg_store_open(fx.url, SG_STORE_OPEN_EXISTING, &fx.s, &err), SG_ESTORE);
	assert_int_equal(err.diag, SG_DIAG_STORE_SCHEMA);
	assert_null(fx.s);
}

/* "Findings are sensitive": a new store and its directories are private. */
static void test_private_files(void **state)
{
	char url[700], dir[300];
	struct sg_store *s = NULL;
	struct sg_error err;
	struct stat st;

	(void)state;
	if (!is_sqlite() || !tmpdir[0])
		skip();
	snprintf(dir, sizeof(dir), "%s/nested/deeper", tmpdir);
	snprintf(url, sizeof(url), "sqlite:%s/store.db", dir);
	sg_error_clear(&err);
	if (sg_store_open(url, SG_STORE_OPEN_CREATE, &s, &err) != 0)
		fail_msg("%s", err.message);
	sg_store_close(s);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(sqlite_path(url), &st), 0);
	assert_int_equal(st.st_mode & 077, 0);
}

/* The store file is opened without following a link. */
static void test_symlink_refused(void **state)
{
	char url[600];
	struct sg_store *s = NULL;
	struct sg_error err;

	(void)state;
	if (!is_sqlite())
		skip();
	make_url("link", url, sizeof(url));
	assert_int_equal(symlink(sqlite_path(fx.url), sqlite_path(url)), 0);
	sg_error_clear(&err);
	assert_int_equal(sg_store_open(url, SG_STORE_OPEN_EXISTING, &s, &err), SG_ESTORE);
	assert_null(s);
}

/* A directory where the store file should be. */
static void test_directory_refused(void **state)
{
	char url[600];
	struct sg_store *s = NULL;
	struct sg_error err;

	(void)state;
	if (!is_sqlite())
		skip();
	make_url("adir", url, sizeof(url));
	assert_int_equal(mkdir(sqlite_path(url), 0700), 0);
	sg_error_clear(&err);
	assert_int_equal(sg_store_open(url, SG_STORE_OPEN_CREATE, &s, &err), SG_ESTORE);
	assert_int_equal(err.diag, SG_DIAG_STORE_OPEN);
	assert_null(s);
}

/* ---- PostgreSQL: the schema a store lives in ---- */

/* A schema holding someone else's tables is refused, and left as it was. */
static void test_pg_foreign_schema(void **state)
{
	char url[600], schema[64];
	struct sg_store *s = NULL;
	struct sg_error err;
	int mode;

	(void)state;
	if (!is_pg())
		skip();
	make_url("foreign", url, sizeof(url));
	schema_for("foreign", schema, sizeof(schema));
	pg_run_done("CREATE TABLE @.invoices(id BIGINT PRIMARY KEY, total NUMERIC);"
		    "INSERT INTO @.invoices VALUES (1, 9.5)",
		    schema);
	for (mode = 0; mode < 3; mode++) {
		sg_error_clear(&err);
		assert_int_equal(sg_store_open(url, mode, &s, &err), SG_ESTORE);
		assert_int_equal(err.diag, SG_DIAG_STORE_SCHEMA);
		assert_null(s);
	}
	/* Untouched: still the one table, and no shipgate_schema beside it. */
	assert_int_equal(pg_tables_in(schema), 1);
}

/* A store written by a newer shipgate (a higher shipgate_schema.version) is refused. */
static void test_pg_newer_schema(void **state)
{
	struct sg_error err;
	int mode;

	(void)state;
	if (!is_pg())
		skip();
	sg_store_close(fx.s);
	fx.s = NULL;
	pg_run_done("UPDATE @.shipgate_schema SET version = 9999", fx.schema);
	for (mode = 0; mode < 3; mode++) {
		sg_error_clear(&err);
		assert_int_equal(sg_store_open(fx.url, mode, &fx.s, &err), SG_ESTORE);
		assert_int_equal(err.diag, SG_DIAG_STORE_SCHEMA);
		assert_null(fx.s);
	}
}

/* An empty schema is "no store in this database": SG_ENOTFOUND unless
 * asked to create one, and trying creates nothing. */
static void test_pg_empty_schema_not_found(void **state)
{
	char url[600], schema[64];
	struct sg_store *s = NULL;
	struct sg_error err;

	(void)state;
	if (!is_pg())
		skip();
	make_url("empty", url, sizeof(url));
	schema_for("empty", schema, sizeof(schema));
	sg_error_clear(&err);
	assert_int_equal(sg_store_open(url, SG_STORE_OPEN_EXISTING, &s, &err), SG_ENOTFOUND);
	assert_int_equal(err.diag, SG_DIAG_NOT_FOUND);
	assert_null(s);
	sg_error_clear(&err);
	assert_int_equal(sg_store_open(url, SG_STORE_OPEN_NO_UPGRADE, &s, &err), SG_ENOTFOUND);
	assert_null(s);
	assert_int_equal(pg_tables_in(schema), 0);
	/* Created, it is a store that opens as one. */
	sg_error_clear(&err);
	if (sg_store_open(url, SG_STORE_OPEN_CREATE, &s, &err) != 0)
		fail_msg("%s [%s]", err.message, sg_diag_id(err.diag));
	sg_store_close(s);
	s = NULL;
	assert_true(pg_tables_in(schema) > 1);
	if (sg_store_open(url, SG_STORE_OPEN_EXISTING, &s, &err) != 0)
		fail_msg("%s [%s]", err.message, sg_diag_id(err.diag));
	sg_store_close(s);
}

/* "postgres:" is the same backend as "postgresql:", as for libpq. */
static void test_pg_short_scheme(void **state)
{
	char url[620];
	struct sg_store *s = NULL;
	struct sg_error err;
	long long id = 0;

	(void)state;
	if (!is_pg())
		skip();
	snprintf(url, sizeof(url), "postgres:%s", strchr(fx.url, ':') + 1);
	sg_error_clear(&err);
	if (sg_store_open(url, SG_STORE_OPEN_EXISTING, &s, &err) != 0)
		fail_msg("%s [%s]", err.message, sg_diag_id(err.diag));
	assert_int_equal(sg_store_product_find(s, "shop", &id, &err), 0);
	assert_int_equal(id, fx.product);
	sg_store_close(s);
}

/* A second thread starts a transaction on its own connection, so that the
 * case can see whether it waits. */
struct waiter {
	struct sg_store *s;
	int read;
	int rc;
	struct sg_error err;
	atomic_int done;
};

static void *waiter_run(void *arg)
{
	struct waiter *w = arg;

	sg_error_clear(&w->err);
	w->rc = w->read ? sg_store_begin_read(w->s, &w->err) : sg_store_begin(w->s, &w->err);
	atomic_store(&w->done, 1);
	return NULL;
}

/* Whether the waiter finished within ms milliseconds. */
static int waiter_done_within(struct waiter *w, int ms)
{
	struct timespec tick = {0, 10 * 1000 * 1000};
	int waited;

	for (waited = 0; waited < ms; waited += 10) {
		if (atomic_load(&w->done))
			return 1;
		nanosleep(&tick, NULL);
	}
	return atomic_load(&w->done);
}

static void waiter_start(struct waiter *w, pthread_t *t, struct sg_store *s, int read)
{
	memset(w, 0, sizeof(*w));
	w->s = s;
	w->read = read;
	atomic_init(&w->done, 0);
	assert_int_equal(pthread_create(t, NULL, waiter_run, w), 0);
}

/*
 * "Writers are serialised ... readers never wait": while one connection holds
 * a write transaction, another's begin_read starts at once and its begin waits
 * until the first commits, then sees what it committed.
 */
static void test_pg_writer_waits_for_writer(void **state)
{
	struct waiter w;
	pthread_t t;
	int reader_waited, writer_waited, writer_went_on;
	long long id = 0;

	(void)state;
	if (!is_pg())
		skip();
	OK(sg_store_open(fx.url, SG_STORE_OPEN_EXISTING, &fx.s2, &fx.err));
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_product_ensure(fx.s, "during", T0, &id, &fx.err));

	waiter_start(&w, &t, fx.s2, 1);
	reader_waited = !waiter_done_within(&w, 10000);
	if (reader_waited)
		sg_store_rollback(fx.s); /* let it go before joining */
	pthread_join(t, NULL);
	assert_false(reader_waited);
	if (w.rc != 0)
		fail_msg("begin_read: %s [%s]", w.err.message, sg_diag_id(w.err.diag));
	assert_int_equal(sg_store_product_find(fx.s2, "during", &id, &fx.err), SG_ENOTFOUND);
	OK(sg_store_commit(fx.s2, &fx.err));

	waiter_start(&w, &t, fx.s2, 0);
	writer_waited = !waiter_done_within(&w, 300);
	sg_error_clear(&fx.err);
	if (sg_store_commit(fx.s, &fx.err) != 0)
		sg_store_rollback(fx.s);
	writer_went_on = waiter_done_within(&w, 10000);
	pthread_join(t, NULL);
	assert_true(writer_waited);
	assert_true(writer_went_on);
	if (w.rc != 0)
		fail_msg("begin: %s [%s]", w.err.message, sg_diag_id(w.err.diag));
	assert_int_equal(fx.err.code, 0);
	/* The second writer's reads start after the first's commit. */
	OK(sg_store_product_find(fx.s2, "during", &id, &fx.err));
	OK(sg_store_commit(fx.s2, &fx.err));
}

/* A password in the URL never reaches a message: not the store's name, not an error. */
static void expect_no_secret(const char *url)
{
	struct sg_store *s = NULL;
	struct sg_error err;

	sg_error_clear(&err);
	if (sg_store_open(url, SG_STORE_OPEN_EXISTING, &s, &err) == 0) {
		assert_non_null(sg_store_name(s));
		if (strstr(sg_store_name(s), "secret"))
			fail_msg("the store name shows the password: %s", sg_store_name(s));
		sg_store_close(s);
		return;
	}
	assert_null(s);
	if (strstr(err.message, "secret"))
		fail_msg("an error shows the password: %s", err.message);
}

static void test_pg_name_hides_password(void **state)
{
	char url[700];
	const char *authority, *at, *rest;
	struct sg_store *s = NULL;
	struct sg_error err;

	(void)state;
	if (!is_pg())
		skip();
	/* Nobody listens on port 1: the connection fails, and says so. */
	sg_error_clear(&err);
	assert_int_equal(sg_store_open("postgresql://user:secret@127.0.0.1:1/db", SG_STORE_OPEN_EXISTING, &s,
				       &err),
			 SG_ESTORE);
	assert_int_equal(err.diag, SG_DIAG_STORE_UNAVAILABLE);
	assert_null(s);
	assert_null(strstr(err.message, "secret"));
	expect_no_secret("postgresql://user:secret@127.0.0.1:1/db?password=secret");
	expect_no_secret("postgresql:///db?host=127.0.0.1&port=1&password=secret&user=u");

	/* The case's own store with a password added: the socket trusts it and
	 * opens, or the server checks it and refuses; neither shows it. */
	snprintf(url, sizeof(url), "%s%spassword=secret", fx.url, strchr(fx.url, '?') ? "&" : "?");
	expect_no_secret(url);
	authority = strstr(fx.url, "//");
	if (authority) {
		authority += 2;
		rest = authority + strcspn(authority, "/?");
		at = memchr(authority, '@', (size_t)(rest - authority));
		if (at) /* user@host: user:secret@host */
			snprintf(url, sizeof(url), "%.*s:secret%s", (int)(at - fx.url), fx.url, at);
		else /* //host: //postgres:secret@host */
			snprintf(url, sizeof(url), "%.*spostgres:secret@%s", (int)(authority - fx.url), fx.url,
				 authority);
		expect_no_secret(url);
	}
}

/* The allocation torture loop over open (STYLE.md "Tests"). */
static void test_open_alloc_failures(void **state)
{
	unsigned long n;
	int ok = 0;

	(void)state;
	for (n = 1; n <= 10; n++) {
		struct sg_store *s = NULL;
		struct sg_error err;
		int rc;

		sg_error_clear(&err);
		sg_alloc_fail_after(n);
		rc = sg_store_open(fx.url, SG_STORE_OPEN_EXISTING, &s, &err);
		sg_alloc_fail_after(0);
		if (rc == 0) {
			ok++;
			sg_store_close(s);
			continue;
		}
		assert_null(s);
		assert_int_equal(rc, SG_ENOMEM);
		assert_int_equal(err.diag, SG_DIAG_NO_MEMORY);
	}
	assert_true(ok > 0);
}

/* ---- products and releases ---- */

static void test_product_ensure_idempotent(void **state)
{
	long long a = 0, b = 0, c = 0;

	(void)state;
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_product_ensure(fx.s, "shop", T0 + 5, &a, &fx.err));
	OK(sg_store_product_ensure(fx.s, "shop", T0 + 9, &b, &fx.err));
	OK(sg_store_product_ensure(fx.s, "Shop", T0, &c, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	assert_int_equal(a, fx.product);
	assert_int_equal(b, fx.product);
	assert_int_not_equal(c, fx.product);
	assert_int_not_equal(fx.other_product, fx.product);
}

static void test_product_find_missing(void **state)
{
	long long id = 0;

	(void)state;
	OK(sg_store_product_find(fx.s, "other", &id, &fx.err));
	assert_int_equal(id, fx.other_product);
	sg_error_clear(&fx.err);
	assert_int_equal(sg_store_product_find(fx.s, "nosuch", &id, &fx.err), SG_ENOTFOUND);
	assert_int_equal(fx.err.diag, SG_DIAG_NOT_FOUND);
}

static void test_release_create_find(void **state)
{
	struct sg_release r;
	long long id = 0, id2 = 0;

	(void)state;
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_release_create(fx.s, fx.product, "1.4.0", COMMIT_A, "sha256:beef", T0, &id, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	assert_true(id > 0);
	OK(sg_store_release_find(fx.s, fx.product, "1.4.0", &r, &fx.err));
	assert_int_equal(r.id, id);
	assert_string_equal(r.version, "1.4.0");
	assert_string_equal(r.commit, COMMIT_A);
	assert_string_equal(r.build_digest, "sha256:beef");
	assert_int_equal(r.created_at, T0);
	/* Without a build digest. */
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_release_create(fx.s, fx.product, "1.5.0", COMMIT_B, NULL, T0, &id2, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	OK(sg_store_release_find(fx.s, fx.product, "1.5.0", &r, &fx.err));
	assert_string_equal(r.build_digest, "");
}

/* "SG_ECONFLICT when the product already has that version." */
static void test_release_duplicate(void **state)
{
	long long id = 0, again = 0, other = 0;

	(void)state;
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_release_create(fx.s, fx.product, "2.0", COMMIT_A, NULL, T0, &id, &fx.err));
	sg_error_clear(&fx.err);
	assert_int_equal(sg_store_release_create(fx.s, fx.product, "2.0", COMMIT_B, NULL, T0, &again, &fx.err),
			 SG_ECONFLICT);
	assert_int_equal(fx.err.diag, SG_DIAG_CONFLICT);
	/* The same version of another product is another release. */
	OK(sg_store_release_create(fx.s, fx.other_product, "2.0", COMMIT_B, NULL, T0, &other, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	assert_int_not_equal(other, id);
}

static void test_release_find_missing(void **state)
{
	struct sg_release r;

	(void)state;
	sg_error_clear(&fx.err);
	assert_int_equal(sg_store_release_find(fx.s, fx.product, "9.9", &r, &fx.err), SG_ENOTFOUND);
	assert_int_equal(fx.err.diag, SG_DIAG_NOT_FOUND);
}

/* ---- scans ---- */

static void test_scan_find_artifact(void **state)
{
	unsigned char digest[SG_SHA256_BYTES], other[SG_SHA256_BYTES];
	long long ingest, scan, nocommit, found = 0;

	(void)state;
	memset(digest, 0x11, sizeof(digest));
	memset(other, 0x22, sizeof(other));
	OK(sg_store_begin(fx.s, &fx.err));
	ingest = new_ingest(fx.s, fx.product, T0);
	scan = new_scan(fx.s, fx.product, ingest, "sast", "Semgrep", "", COMMIT_A, 0x11, T0);
	nocommit = new_scan(fx.s, fx.product, ingest, "sast", "Semgrep", "", NULL, 0x11, T0);
	OK(sg_store_commit(fx.s, &fx.err));

	OK(sg_store_scan_find_artifact(fx.s, fx.product, "sast", COMMIT_A, digest, "", 0, &found, &fx.err));
	assert_int_equal(found, scan);
	/* Re-ingesting the same file is a no-op: each part of the key must match. */
	assert_int_equal(sg_store_scan_find_artifact(fx.s, fx.product, "dast", COMMIT_A, digest, "", 0, &found, &fx.err),
			 SG_ENOTFOUND);
	assert_int_equal(sg_store_scan_find_artifact(fx.s, fx.product, "sast", COMMIT_A, other, "", 0, &found, &fx.err),
			 SG_ENOTFOUND);
	assert_int_equal(sg_store_scan_find_artifact(fx.s, fx.product, "sast", COMMIT_B, digest, "", 0, &found, &fx.err),
			 SG_ENOTFOUND);
	assert_int_equal(sg_store_scan_find_artifact(fx.s, fx.other_product, "sast", COMMIT_A, digest, "", 0, &found,
						     &fx.err),
			 SG_ENOTFOUND);
	/* No commit matches no commit. */
	OK(sg_store_scan_find_artifact(fx.s, fx.product, "sast", NULL, digest, "", 0, &found, &fx.err));
	/* The same bytes read with other options (another --category ...) are not a duplicate. */
	assert_int_equal(sg_store_scan_find_artifact(fx.s, fx.product, "sast", COMMIT_A, digest, "category=web", 0,
						     &found, &fx.err),
			 SG_ENOTFOUND);
	assert_int_equal(found, nocommit);
	/* "among the scans with an id below before_scan_id" */
	assert_int_equal(sg_store_scan_find_artifact(fx.s, fx.product, "sast", COMMIT_A, digest, "", scan, &found,
						     &fx.err),
			 SG_ENOTFOUND);
	OK(sg_store_scan_find_artifact(fx.s, fx.product, "sast", COMMIT_A, digest, "", scan + 1, &found, &fx.err));
	assert_int_equal(found, scan);
}

/* "Set the artifact digest of scan first_scan_id and every later scan". */
static void test_scans_set_artifact(void **state)
{
	unsigned char digest[SG_SHA256_BYTES], zero[SG_SHA256_BYTES];
	long long ingest, before, first, second, found = 0;

	(void)state;
	memset(digest, 0x33, sizeof(digest));
	memset(zero, 0, sizeof(zero));
	OK(sg_store_begin(fx.s, &fx.err));
	ingest = new_ingest(fx.s, fx.product, T0);
	before = new_scan(fx.s, fx.product, ingest, "sast", "Early", "", COMMIT_A, 0, T0);
	first = new_scan(fx.s, fx.product, ingest, "sast", "A", "", COMMIT_A, 0, T0);
	second = new_scan(fx.s, fx.product, ingest, "sast", "B", "", COMMIT_A, 0, T0);
	OK(sg_store_scans_set_artifact(fx.s, first, digest, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	OK(sg_store_scan_find_artifact(fx.s, fx.product, "sast", COMMIT_A, digest, "", 0, &found, &fx.err));
	assert_int_equal(found, first);
	OK(sg_store_scan_find_artifact(fx.s, fx.product, "sast", COMMIT_A, digest, "", 0, &found, &fx.err));
	OK(sg_store_scan_find_artifact(fx.s, fx.product, "sast", COMMIT_A, zero, "", 0, &found, &fx.err));
	assert_int_equal(found, before);
	(void)second;
}

/* The gate's sast clause: the newest scan, and the scan of a commit. */
static void test_scan_newest(void **state)
{
	struct sg_gate_scan g;
	long long ingest, s1, s2;

	(void)state;
	OK(sg_store_scan_newest(fx.s, fx.product, "sast", NULL, &g, &fx.err));
	assert_int_equal(g.found, 0);

	OK(sg_store_begin(fx.s, &fx.err));
	ingest = new_ingest(fx.s, fx.product, T0);
	s1 = new_scan(fx.s, fx.product, ingest, "sast", "Semgrep", "", COMMIT_A, 1, T0 + 100);
	s2 = new_scan(fx.s, fx.product, ingest, "sast", "CodeQL", "", COMMIT_B, 2, T0 + 200);
	/* Inserted last, but older: "newest" is by time. */
	(void)new_scan(fx.s, fx.product, ingest, "sast", "Old", "", COMMIT_B, 3, T0 + 50);
	(void)new_scan(fx.s, fx.product, ingest, "dast", "ZAP", "", COMMIT_A, 4, T0 + 900);
	OK(sg_store_commit(fx.s, &fx.err));

	OK(sg_store_scan_newest(fx.s, fx.product, "sast", NULL, &g, &fx.err));
	assert_int_equal(g.found, 1);
	assert_int_equal(g.id, s2);
	assert_string_equal(g.tool, "CodeQL");
	assert_string_equal(g.commit, COMMIT_B);
	assert_int_equal(g.created_at, T0 + 200);

	OK(sg_store_scan_newest(fx.s, fx.product, "sast", COMMIT_A, &g, &fx.err));
	assert_int_equal(g.found, 1);
	assert_int_equal(g.id, s1);
	assert_string_equal(g.tool, "Semgrep");

	OK(sg_store_scan_newest(fx.s, fx.other_product, "sast", NULL, &g, &fx.err));
	assert_int_equal(g.found, 0);
	OK(sg_store_scan_newest(fx.s, fx.product, "sca", NULL, &g, &fx.err));
	assert_int_equal(g.found, 0);
}

/* "a prefix of at least 7 hex digits matches either way" */
static void test_scan_newest_commit_prefix(void **state)
{
	struct sg_gate_scan g;
	long long ingest, full, shortc;

	(void)state;
	OK(sg_store_begin(fx.s, &fx.err));
	ingest = new_ingest(fx.s, fx.product, T0);
	full = new_scan(fx.s, fx.product, ingest, "sast", "Full", "", COMMIT_A, 1, T0);
	shortc = new_scan(fx.s, fx.product, ingest, "sast", "Short", "", "fedcba9", 2, T0);
	OK(sg_store_commit(fx.s, &fx.err));

	/* The query is a prefix of the stored commit. */
	OK(sg_store_scan_newest(fx.s, fx.product, "sast", "0123456", &g, &fx.err));
	assert_int_equal(g.found, 1);
	assert_int_equal(g.id, full);
	OK(sg_store_scan_newest(fx.s, fx.product, "sast", "0123456789ab", &g, &fx.err));
	assert_int_equal(g.id, full);
	/* The stored commit is a prefix of the query. */
	OK(sg_store_scan_newest(fx.s, fx.product, "sast", COMMIT_B, &g, &fx.err));
	assert_int_equal(g.found, 1);
	assert_int_equal(g.id, shortc);
	/* Six digits are too few to mean a commit. */
	OK(sg_store_scan_newest(fx.s, fx.product, "sast", "012345", &g, &fx.err));
	assert_int_equal(g.found, 0);
	/* A longer query that differs after the stored digits does not match. */
	OK(sg_store_scan_newest(fx.s, fx.product, "sast", "0123456789ab0000", &g, &fx.err));
	assert_int_equal(g.found, 0);
	OK(sg_store_scan_newest(fx.s, fx.product, "sast", "1123456", &g, &fx.err));
	assert_int_equal(g.found, 0);
}

/* ---- findings ---- */

/* A first sighting creates the finding; the next ingest's sees it again. */
static void test_sight_new_then_seen(void **state)
{
	struct sg_view v = view_of(fx.product, "sast", "Semgrep", "");
	unsigned char base[SG_FINGERPRINT_BYTES], want[SG_FINGERPRINT_BYTES];
	struct sg_sighting_outcome a, b;
	long long i1, s1, i2, s2;
	struct got g;

	(void)state;
	OK(sg_store_begin(fx.s, &fx.err));
	i1 = new_ingest(fx.s, fx.product, T0);
	s1 = new_scan(fx.s, fx.product, i1, "sast", "Semgrep", "", COMMIT_A, 1, T0);
	a = sight(fx.s, &v, i1, s1, 1, SG_SEV_HIGH, "R1", T0);
	OK(sg_store_commit(fx.s, &fx.err));
	assert_int_equal(a.is_new, 1);
	assert_int_equal(a.reopened, 0);
	assert_int_equal(a.occurrence, 0);
	make_base(base, 1);
	sg_identity_fingerprint(base, 0, want);
	assert_memory_equal(a.fingerprint, want, SG_FINGERPRINT_BYTES);

	g = get(fx.s, a.finding_id);
	assert_int_equal(g.id, a.finding_id);
	assert_memory_equal(g.fingerprint, want, SG_FINGERPRINT_BYTES);
	assert_string_equal(g.product, "shop");
	assert_string_equal(g.kind, "sast");
	assert_string_equal(g.tool, "Semgrep");
	assert_string_equal(g.category, "");
	assert_string_equal(g.rule, "R1");
	assert_int_equal(g.severity, SG_SEV_HIGH);
	assert_int_equal(g.status, SG_STATUS_OPEN);
	assert_string_equal(g.path, "src/a.c");
	assert_int_equal(g.line, 11);
	assert_string_equal(g.message, "something is wrong");
	assert_string_equal(g.first_seen, "2025-11-29T12:00:00Z");
	assert_int_equal(g.first_seen_scan, s1);
	assert_int_equal(g.last_seen_scan, s1);

	OK(sg_store_begin(fx.s, &fx.err));
	i2 = new_ingest(fx.s, fx.product, T0 + 60);
	s2 = new_scan(fx.s, fx.product, i2, "sast", "Semgrep", "", COMMIT_B, 2, T0 + 60);
	b = sight(fx.s, &v, i2, s2, 1, SG_SEV_HIGH, "R1", T0 + 60);
	OK(sg_store_commit(fx.s, &fx.err));
	assert_int_equal(b.finding_id, a.finding_id);
	assert_int_equal(b.is_new, 0);
	assert_int_equal(b.reopened, 0);
	assert_int_equal(b.occurrence, 0);
	g = get(fx.s, a.finding_id);
	assert_int_equal(g.first_seen_scan, s1);
	assert_int_equal(g.last_seen_scan, s2);
	assert_string_equal(g.first_seen, "2025-11-29T12:00:00Z");
	assert_string_equal(g.last_seen, "2025-11-29T12:01:00Z");
	/* History: only "opened". */
	{
		struct events e = events_of(fx.s, a.finding_id);
		assert_int_equal(e.n, 1);
		assert_int_equal(e.kind[0], SG_EVENT_OPENED);
		assert_string_equal(e.to[0], "open");
	}
}

/*
 * "k counts the identical results before it in the ingest": the same base
 * three times is occurrences 0, 1, 2; a new ingest counts from 0 again.
 */
static void test_occurrence_counts_per_ingest(void **state)
{
	struct sg_view v = view_of(fx.product, "sast", "Semgrep", "");
	unsigned char base[SG_FINGERPRINT_BYTES], want[SG_FINGERPRINT_BYTES];
	struct sg_sighting_outcome o[4], other;
	long long ids[3], i1, s1, i2, s2;
	int k;

	(void)state;
	make_base(base, 4);
	OK(sg_store_begin(fx.s, &fx.err));
	i1 = new_ingest(fx.s, fx.product, T0);
	s1 = new_scan(fx.s, fx.product, i1, "sast", "Semgrep", "", COMMIT_A, 1, T0);
	for (k = 0; k < 3; k++) {
		o[k] = sight(fx.s, &v, i1, s1, 4, SG_SEV_LOW, "R", T0);
		assert_int_equal(o[k].occurrence, (unsigned long long)k);
		assert_int_equal(o[k].is_new, 1);
		sg_identity_fingerprint(base, (unsigned long long)k, want);
		assert_memory_equal(o[k].fingerprint, want, SG_FINGERPRINT_BYTES);
		ids[k] = o[k].finding_id;
	}
	/* Another base in between has its own count. */
	other = sight(fx.s, &v, i1, s1, 5, SG_SEV_LOW, "R", T0);
	assert_int_equal(other.occurrence, 0);
	OK(sg_store_commit(fx.s, &fx.err));
	assert_int_not_equal(ids[0], ids[1]);
	assert_int_not_equal(ids[1], ids[2]);

	OK(sg_store_begin(fx.s, &fx.err));
	i2 = new_ingest(fx.s, fx.product, T0 + 10);
	s2 = new_scan(fx.s, fx.product, i2, "sast", "Semgrep", "", COMMIT_A, 2, T0 + 10);
	for (k = 0; k < 3; k++) {
		o[k] = sight(fx.s, &v, i2, s2, 4, SG_SEV_LOW, "R", T0 + 10);
		assert_int_equal(o[k].occurrence, (unsigned long long)k);
		assert_int_equal(o[k].is_new, 0);
		assert_int_equal(o[k].finding_id, ids[k]);
	}
	/* A fourth identical result is a new finding. */
	o[3] = sight(fx.s, &v, i2, s2, 4, SG_SEV_LOW, "R", T0 + 10);
	assert_int_equal(o[3].occurrence, 3);
	assert_int_equal(o[3].is_new, 1);
	OK(sg_store_commit(fx.s, &fx.err));
}

/*
 * A batch of sightings (sg_store_findings_sight_many) settles every result as
 * one call each would: the same fingerprints, occurrences, new and reopened
 * outcomes and the same finding states. One product is fed one by one, the
 * other in batches that split identical results across batches.
 */
struct step {
	const int *bases;
	size_t n;
	size_t split; /* the first batch's size; the rest is a second batch */
};

static void fill_item(struct sg_sight_item *item, int base_n)
{
	memset(item, 0, sizeof(*item));
	make_base(item->base, base_n);
	item->sighting.rule = "R";
	item->sighting.rule_name = "a \"quoted\" rule, with {braces} and \\ backslash";
	item->sighting.tool_severity = SG_SEV_HIGH;
	item->sighting.severity = SG_SEV_HIGH;
	item->sighting.path = base_n % 2 ? "src/a.c" : NULL;
	item->sighting.line = base_n % 2 ? 10 + base_n : 0;
	item->sighting.message = "NULL";
}

struct fp_search {
	const unsigned char *fingerprint;
	long long id;
};

static int match_fingerprint(void *ctx, const struct sg_finding *f)
{
	struct fp_search *q = ctx;

	if (memcmp(f->fingerprint, q->fingerprint, SG_FINGERPRINT_BYTES) == 0)
		q->id = f->id;
	return 0;
}

/* The id of a product's finding with this fingerprint (0: none). */
static long long id_by_fingerprint(long long product, const unsigned char *fingerprint)
{
	struct sg_finding_filter filter;
	struct fp_search q = {fingerprint, 0};

	memset(&filter, 0, sizeof(filter));
	filter.product_id = product;
	filter.any_status = 1;
	filter.limit = 1000;
	OK(sg_store_findings_list(fx.s, &filter, match_fingerprint, &q, &fx.err));
	return q.id;
}

static void run_step(const struct step *st, long long product, int batched, time_t now,
		     struct sg_sighting_outcome *out)
{
	struct sg_view v = view_of(product, "sast", "Semgrep", "");
	struct sg_sight_item items[8];
	long long ingest, scan, closed = 0;
	size_t k;

	for (k = 0; k < st->n; k++)
		fill_item(&items[k], st->bases[k]);
	OK(sg_store_begin(fx.s, &fx.err));
	ingest = new_ingest(fx.s, product, now);
	scan = new_scan(fx.s, product, ingest, "sast", "Semgrep", "", NULL, (unsigned char)now, now);
	if (batched) {
		OK(sg_store_findings_sight_many(fx.s, &v, ingest, scan, items, st->split, now, out, &fx.err));
		OK(sg_store_findings_sight_many(fx.s, &v, ingest, scan, items + st->split, st->n - st->split, now,
						out + st->split, &fx.err));
	} else {
		for (k = 0; k < st->n; k++)
			OK(sg_store_finding_sight(fx.s, &v, ingest, scan, items[k].base, &items[k].sighting, now,
						  &out[k], &fx.err));
	}
	OK(sg_store_findings_close_unseen(fx.s, &v, ingest, scan, now, &closed, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
}

static void test_sight_many_matches_one_by_one(void **state)
{
	static const int ingest1[] = {1, 2, 2, 3, 2};
	static const int ingest2[] = {1, 2};
	static const int ingest3[] = {3, 2, 2, 2, 4, 1};
	const struct step steps[] = {
		{ingest1, 5, 2},
		{ingest2, 2, 1},
		{ingest3, 6, 3},
	};
	struct sg_sighting_outcome one[8], many[8];
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		time_t now = T0 + 10 * (time_t)i;
		memset(one, 0, sizeof(one));
		memset(many, 0, sizeof(many));
		run_step(&steps[i], fx.product, 0, now, one);
		run_step(&steps[i], fx.other_product, 1, now, many);
		for (k = 0; k < steps[i].n; k++) {
			struct got a, b;
			/* A new finding's id may be 0 in a batch: find it by fingerprint. */
			if (many[k].finding_id == 0 && many[k].is_new)
				many[k].finding_id = id_by_fingerprint(fx.other_product, many[k].fingerprint);
			a = get(fx.s, one[k].finding_id);
			b = get(fx.s, many[k].finding_id);
			assert_int_equal(many[k].occurrence, one[k].occurrence);
			assert_memory_equal(many[k].fingerprint, one[k].fingerprint, SG_FINGERPRINT_BYTES);
			assert_int_equal(many[k].is_new, one[k].is_new);
			assert_int_equal(many[k].reopened, one[k].reopened);
			assert_true(many[k].finding_id > 0);
			assert_int_equal(b.status, a.status);
			assert_string_equal(b.message, a.message);
			assert_int_equal(b.line, a.line);
			assert_int_equal(events_of(fx.s, many[k].finding_id).n, events_of(fx.s, one[k].finding_id).n);
		}
	}
	/* What the third step means: step 2 fixed base 3 and the second and
	 * third results of base 2; step 3 reopens them and finds base 4 new. */
	assert_int_equal(many[0].reopened, 1);
	assert_int_equal(many[1].reopened, 0);
	assert_int_equal(many[2].reopened, 1);
	assert_int_equal(many[3].occurrence, 2);
	assert_int_equal(many[3].reopened, 1);
	assert_int_equal(many[4].is_new, 1);
	assert_int_equal(many[5].reopened, 0);
}

/* Two products never share a finding, even with the same fingerprint. */
static void test_findings_per_product(void **state)
{
	struct sg_view v1 = view_of(fx.product, "sast", "Semgrep", "");
	struct sg_view v2 = view_of(fx.other_product, "sast", "Semgrep", "");
	struct sg_sighting_outcome a, b;
	long long i1, s1, i2, s2;

	(void)state;
	OK(sg_store_begin(fx.s, &fx.err));
	i1 = new_ingest(fx.s, fx.product, T0);
	s1 = new_scan(fx.s, fx.product, i1, "sast", "Semgrep", "", NULL, 1, T0);
	a = sight(fx.s, &v1, i1, s1, 9, SG_SEV_HIGH, "R", T0);
	i2 = new_ingest(fx.s, fx.other_product, T0);
	s2 = new_scan(fx.s, fx.other_product, i2, "sast", "Semgrep", "", NULL, 1, T0);
	b = sight(fx.s, &v2, i2, s2, 9, SG_SEV_HIGH, "R", T0);
	OK(sg_store_commit(fx.s, &fx.err));
	assert_int_equal(b.is_new, 1);
	assert_int_not_equal(a.finding_id, b.finding_id);
}

/*
 * DESIGN.md: "A full scan that no longer reports a finding marks it fixed",
 * for the view scanned only: open findings of other tools, categories,
 * kinds and products stay; false positives and fixed ones are left alone.
 */
static void test_close_unseen(void **state)
{
	struct sg_view v = view_of(fx.product, "sast", "Semgrep", "");
	struct sg_view v_tool = view_of(fx.product, "sast", "CodeQL", "");
	struct sg_view v_cat = view_of(fx.product, "sast", "Semgrep", "backend");
	struct sg_view v_kind = view_of(fx.product, "dast", "Semgrep", "");
	struct sg_view v_prod = view_of(fx.other_product, "sast", "Semgrep", "");
	struct sg_sighting_outcome kept, gone, fp, tool, cat, kind, prod;
	long long i1, s1, i2, s2, closed = -1;
	struct events e;

	(void)state;
	OK(sg_store_begin(fx.s, &fx.err));
	i1 = new_ingest(fx.s, fx.product, T0);
	s1 = new_scan(fx.s, fx.product, i1, "sast", "Semgrep", "", COMMIT_A, 1, T0);
	kept = sight(fx.s, &v, i1, s1, 1, SG_SEV_HIGH, "R", T0);
	gone = sight(fx.s, &v, i1, s1, 2, SG_SEV_HIGH, "R", T0);
	fp = sight(fx.s, &v, i1, s1, 3, SG_SEV_HIGH, "R", T0);
	tool = sight(fx.s, &v_tool, i1, s1, 4, SG_SEV_HIGH, "R", T0);
	cat = sight(fx.s, &v_cat, i1, s1, 5, SG_SEV_HIGH, "R", T0);
	kind = sight(fx.s, &v_kind, i1, s1, 6, SG_SEV_HIGH, "R", T0);
	OK(sg_store_commit(fx.s, &fx.err));
	OK(sg_store_begin(fx.s, &fx.err));
	{
		long long io = new_ingest(fx.s, fx.other_product, T0);
		long long so = new_scan(fx.s, fx.other_product, io, "sast", "Semgrep", "", NULL, 1, T0);
		prod = sight(fx.s, &v_prod, io, so, 7, SG_SEV_HIGH, "R", T0);
	}
	OK(sg_store_finding_set_status(fx.s, fp.finding_id, SG_STATUS_OPEN, SG_STATUS_FALSE_POSITIVE,
				       SG_EVENT_TRIAGED, "test code only", T0, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));

	/* The next full scan of v reports only `kept`. */
	OK(sg_store_begin(fx.s, &fx.err));
	i2 = new_ingest(fx.s, fx.product, T0 + 3600);
	s2 = new_scan(fx.s, fx.product, i2, "sast", "Semgrep", "", COMMIT_B, 2, T0 + 3600);
	(void)sight(fx.s, &v, i2, s2, 1, SG_SEV_HIGH, "R", T0 + 3600);
	OK(sg_store_findings_close_unseen(fx.s, &v, i2, s2, T0 + 3600, &closed, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));

	assert_int_equal(closed, 1);
	assert_int_equal(get(fx.s, gone.finding_id).status, SG_STATUS_FIXED);
	assert_int_equal(get(fx.s, kept.finding_id).status, SG_STATUS_OPEN);
	assert_int_equal(get(fx.s, fp.finding_id).status, SG_STATUS_FALSE_POSITIVE);
	assert_int_equal(get(fx.s, tool.finding_id).status, SG_STATUS_OPEN);
	assert_int_equal(get(fx.s, cat.finding_id).status, SG_STATUS_OPEN);
	assert_int_equal(get(fx.s, kind.finding_id).status, SG_STATUS_OPEN);
	assert_int_equal(get(fx.s, prod.finding_id).status, SG_STATUS_OPEN);

	/* The fixed one's history says when and by which scan. */
	e = events_of(fx.s, gone.finding_id);
	assert_int_equal(e.n, 2);
	assert_int_equal(e.kind[0], SG_EVENT_OPENED);
	assert_int_equal(e.kind[1], SG_EVENT_FIXED);
	assert_int_equal(e.scan[1], s2);
	assert_string_equal(e.from[1], "open");
	assert_string_equal(e.to[1], "fixed");
	/* The others got no event. */
	assert_int_equal(events_of(fx.s, kept.finding_id).n, 1);
	assert_int_equal(events_of(fx.s, tool.finding_id).n, 1);

	/* Closing again closes nothing more (fixed stays fixed, no second event). */
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_findings_close_unseen(fx.s, &v, i2, s2, T0 + 3700, &closed, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	assert_int_equal(closed, 0);
	assert_int_equal(events_of(fx.s, gone.finding_id).n, 2);
}

/* "a later report of it reopens it (a regression event)" */
static void test_fixed_reopens(void **state)
{
	struct sg_view v = view_of(fx.product, "sast", "Semgrep", "");
	struct sg_sighting_outcome a, again;
	long long i, s, closed = 0;
	struct events e;

	(void)state;
	OK(sg_store_begin(fx.s, &fx.err));
	i = new_ingest(fx.s, fx.product, T0);
	s = new_scan(fx.s, fx.product, i, "sast", "Semgrep", "", NULL, 1, T0);
	a = sight(fx.s, &v, i, s, 1, SG_SEV_CRITICAL, "R", T0);
	OK(sg_store_commit(fx.s, &fx.err));

	OK(sg_store_begin(fx.s, &fx.err));
	i = new_ingest(fx.s, fx.product, T0 + 10);
	s = new_scan(fx.s, fx.product, i, "sast", "Semgrep", "", NULL, 2, T0 + 10);
	OK(sg_store_findings_close_unseen(fx.s, &v, i, s, T0 + 10, &closed, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	assert_int_equal(closed, 1);

	OK(sg_store_begin(fx.s, &fx.err));
	i = new_ingest(fx.s, fx.product, T0 + 20);
	s = new_scan(fx.s, fx.product, i, "sast", "Semgrep", "", NULL, 3, T0 + 20);
	again = sight(fx.s, &v, i, s, 1, SG_SEV_CRITICAL, "R", T0 + 20);
	OK(sg_store_commit(fx.s, &fx.err));
	assert_int_equal(again.finding_id, a.finding_id);
	assert_int_equal(again.is_new, 0);
	assert_int_equal(again.reopened, 1);
	assert_int_equal(get(fx.s, a.finding_id).status, SG_STATUS_OPEN);
	e = events_of(fx.s, a.finding_id);
	assert_int_equal(e.n, 3);
	assert_int_equal(e.kind[0], SG_EVENT_OPENED);
	assert_int_equal(e.kind[1], SG_EVENT_FIXED);
	assert_int_equal(e.kind[2], SG_EVENT_REOPENED);
	assert_int_equal(e.scan[2], s);
	assert_string_equal(e.from[2], "fixed");
	assert_string_equal(e.to[2], "open");
}

/* exceptions: a person's false_positive survives later sightings. */
static void test_false_positive_survives_sighting(void **state)
{
	struct sg_view v = view_of(fx.product, "sast", "Semgrep", "");
	struct sg_sighting_outcome a, again;
	long long i, s;

	(void)state;
	OK(sg_store_begin(fx.s, &fx.err));
	i = new_ingest(fx.s, fx.product, T0);
	s = new_scan(fx.s, fx.product, i, "sast", "Semgrep", "", NULL, 1, T0);
	a = sight(fx.s, &v, i, s, 1, SG_SEV_HIGH, "R", T0);
	OK(sg_store_finding_set_status(fx.s, a.finding_id, SG_STATUS_OPEN, SG_STATUS_FALSE_POSITIVE,
				       SG_EVENT_TRIAGED, "generated code", T0, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	OK(sg_store_begin(fx.s, &fx.err));
	i = new_ingest(fx.s, fx.product, T0 + 5);
	s = new_scan(fx.s, fx.product, i, "sast", "Semgrep", "", NULL, 2, T0 + 5);
	again = sight(fx.s, &v, i, s, 1, SG_SEV_HIGH, "R", T0 + 5);
	OK(sg_store_commit(fx.s, &fx.err));
	assert_int_equal(again.is_new, 0);
	assert_int_equal(again.reopened, 0);
	assert_int_equal(get(fx.s, a.finding_id).status, SG_STATUS_FALSE_POSITIVE);
}

/* Triage records the event with its reason; a stale `from` is a conflict. */
static void test_set_status(void **state)
{
	struct sg_view v = view_of(fx.product, "sast", "Semgrep", "");
	struct sg_sighting_outcome a;
	long long i, s;
	struct events e;

	(void)state;
	OK(sg_store_begin(fx.s, &fx.err));
	i = new_ingest(fx.s, fx.product, T0);
	s = new_scan(fx.s, fx.product, i, "sast", "Semgrep", "", NULL, 1, T0);
	a = sight(fx.s, &v, i, s, 1, SG_SEV_HIGH, "R", T0);
	OK(sg_store_commit(fx.s, &fx.err));

	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_finding_set_status(fx.s, a.finding_id, SG_STATUS_OPEN, SG_STATUS_FALSE_POSITIVE,
				       SG_EVENT_TRIAGED, "only in tests", T0 + 1, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	assert_int_equal(get(fx.s, a.finding_id).status, SG_STATUS_FALSE_POSITIVE);
	e = events_of(fx.s, a.finding_id);
	assert_int_equal(e.n, 2);
	assert_int_equal(e.kind[1], SG_EVENT_TRIAGED);
	assert_int_equal(e.scan[1], 0);
	assert_string_equal(e.from[1], "open");
	assert_string_equal(e.to[1], "false_positive");
	assert_string_equal(e.reason[1], "only in tests");

	/* Someone else changed it meanwhile: `from` no longer holds. */
	OK(sg_store_begin(fx.s, &fx.err));
	sg_error_clear(&fx.err);
	assert_int_equal(sg_store_finding_set_status(fx.s, a.finding_id, SG_STATUS_OPEN, SG_STATUS_FALSE_POSITIVE,
						     SG_EVENT_TRIAGED, "again", T0 + 2, &fx.err),
			 SG_ECONFLICT);
	assert_int_equal(fx.err.diag, SG_DIAG_CONFLICT);
	sg_store_rollback(fx.s);
	assert_int_equal(events_of(fx.s, a.finding_id).n, 2);
	assert_int_equal(get(fx.s, a.finding_id).status, SG_STATUS_FALSE_POSITIVE);
}

static void test_finding_get_not_found(void **state)
{
	struct got g;

	(void)state;
	memset(&g, 0, sizeof(g));
	sg_error_clear(&fx.err);
	assert_int_equal(sg_store_finding_get(fx.s, 424242, copy_finding, &g, &fx.err), SG_ENOTFOUND);
	assert_int_equal(fx.err.diag, SG_DIAG_NOT_FOUND);
	assert_int_equal(g.n, 0);
}

/* Five findings: critical, high, high, medium, low (sightings in that id order shuffled). */
static void seed_findings(long long ids[6])
{
	struct sg_view v = view_of(fx.product, "sast", "Semgrep", "");
	static const enum sg_severity sev[6] = {SG_SEV_MEDIUM, SG_SEV_HIGH, SG_SEV_CRITICAL,
						SG_SEV_LOW, SG_SEV_HIGH, SG_SEV_INFO};
	long long i, s;
	int k;

	OK(sg_store_begin(fx.s, &fx.err));
	i = new_ingest(fx.s, fx.product, T0);
	s = new_scan(fx.s, fx.product, i, "sast", "Semgrep", "", NULL, 1, T0);
	for (k = 0; k < 6; k++)
		ids[k] = sight(fx.s, &v, i, s, 20 + k, sev[k], "R", T0).finding_id;
	OK(sg_store_commit(fx.s, &fx.err));
}

/* "findings list": by severity (gravest first), then newest first; with filters and a limit. */
static void test_findings_list_order_and_filters(void **state)
{
	struct sg_finding_filter f;
	struct ids l;
	long long ids[6];

	(void)state;
	seed_findings(ids);
	/* ids[2] critical; ids[1], ids[4] high; ids[0] medium; ids[3] low; ids[5] info */
	memset(&f, 0, sizeof(f));
	f.product_id = fx.product;
	f.status = SG_STATUS_OPEN;
	f.min_severity = SG_SEV_INFO;
	memset(&l, 0, sizeof(l));
	OK(sg_store_findings_list(fx.s, &f, collect_id, &l, &fx.err));
	assert_int_equal(l.n, 6);
	assert_int_equal(l.id[0], ids[2]);
	assert_int_equal(l.id[1], ids[1] > ids[4] ? ids[1] : ids[4]);
	assert_int_equal(l.id[2], ids[1] > ids[4] ? ids[4] : ids[1]);
	assert_int_equal(l.id[3], ids[0]);
	assert_int_equal(l.id[4], ids[3]);
	assert_int_equal(l.id[5], ids[5]);

	/* At or above high. */
	f.min_severity = SG_SEV_HIGH;
	memset(&l, 0, sizeof(l));
	OK(sg_store_findings_list(fx.s, &f, collect_id, &l, &fx.err));
	assert_int_equal(l.n, 3);
	assert_int_equal(l.sev[2], SG_SEV_HIGH);

	/* A limit. */
	f.min_severity = SG_SEV_INFO;
	f.limit = 2;
	memset(&l, 0, sizeof(l));
	OK(sg_store_findings_list(fx.s, &f, collect_id, &l, &fx.err));
	assert_int_equal(l.n, 2);
	assert_int_equal(l.id[0], ids[2]);

	/* Another product has none. */
	f.limit = 0;
	f.product_id = fx.other_product;
	memset(&l, 0, sizeof(l));
	OK(sg_store_findings_list(fx.s, &f, collect_id, &l, &fx.err));
	assert_int_equal(l.n, 0);
}

static void test_findings_list_status(void **state)
{
	struct sg_finding_filter f;
	struct ids l;
	long long ids[6];

	(void)state;
	seed_findings(ids);
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_finding_set_status(fx.s, ids[1], SG_STATUS_OPEN, SG_STATUS_FALSE_POSITIVE,
				       SG_EVENT_TRIAGED, "x", T0, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	memset(&f, 0, sizeof(f));
	f.product_id = fx.product;
	f.status = SG_STATUS_FALSE_POSITIVE;
	memset(&l, 0, sizeof(l));
	OK(sg_store_findings_list(fx.s, &f, collect_id, &l, &fx.err));
	assert_int_equal(l.n, 1);
	assert_int_equal(l.id[0], ids[1]);
	f.status = SG_STATUS_OPEN;
	memset(&l, 0, sizeof(l));
	OK(sg_store_findings_list(fx.s, &f, collect_id, &l, &fx.err));
	assert_int_equal(l.n, 5);
	f.status = SG_STATUS_FIXED;
	memset(&l, 0, sizeof(l));
	OK(sg_store_findings_list(fx.s, &f, collect_id, &l, &fx.err));
	assert_int_equal(l.n, 0);
	f.any_status = 1;
	memset(&l, 0, sizeof(l));
	OK(sg_store_findings_list(fx.s, &f, collect_id, &l, &fx.err));
	assert_int_equal(l.n, 6);
}

/* "A callback returns 0 to go on, anything else to stop (returned by the operation)." */
static void test_callback_stops(void **state)
{
	struct sg_finding_filter f;
	struct ids l;
	long long ids[6];

	(void)state;
	seed_findings(ids);
	memset(&f, 0, sizeof(f));
	f.product_id = fx.product;
	f.any_status = 1;
	memset(&l, 0, sizeof(l));
	l.stop_after = 2;
	assert_int_equal(sg_store_findings_list(fx.s, &f, collect_id, &l, &fx.err), 7);
	assert_int_equal(l.n, 2);
	/* The store is still usable after a stopped list. */
	memset(&l, 0, sizeof(l));
	OK(sg_store_findings_list(fx.s, &f, collect_id, &l, &fx.err));
	assert_int_equal(l.n, 6);
}

/* The gate's counts: open findings per severity at or above the minimum. */
static void test_open_counts(void **state)
{
	long long counts[SG_SEV_COUNT], ids[6];

	(void)state;
	seed_findings(ids);
	OK(sg_store_begin(fx.s, &fx.err));
	/* A false positive does not count. */
	OK(sg_store_finding_set_status(fx.s, ids[4], SG_STATUS_OPEN, SG_STATUS_FALSE_POSITIVE,
				       SG_EVENT_TRIAGED, "x", T0, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	OK(sg_store_findings_open_counts(fx.s, fx.product, SG_SEV_INFO, counts, &fx.err));
	assert_int_equal(counts[SG_SEV_CRITICAL], 1);
	assert_int_equal(counts[SG_SEV_HIGH], 1);
	assert_int_equal(counts[SG_SEV_MEDIUM], 1);
	assert_int_equal(counts[SG_SEV_LOW], 1);
	assert_int_equal(counts[SG_SEV_INFO], 1);
	memset(counts, 0x55, sizeof(counts));
	OK(sg_store_findings_open_counts(fx.s, fx.product, SG_SEV_HIGH, counts, &fx.err));
	assert_int_equal(counts[SG_SEV_CRITICAL], 1);
	assert_int_equal(counts[SG_SEV_HIGH], 1);
	assert_int_equal(counts[SG_SEV_MEDIUM], 0);
	assert_int_equal(counts[SG_SEV_LOW], 0);
	assert_int_equal(counts[SG_SEV_INFO], 0);
	OK(sg_store_findings_open_counts(fx.s, fx.other_product, SG_SEV_INFO, counts, &fx.err));
	assert_int_equal(counts[SG_SEV_CRITICAL] + counts[SG_SEV_HIGH] + counts[SG_SEV_MEDIUM] +
				 counts[SG_SEV_LOW] + counts[SG_SEV_INFO],
			 0);
}

/* "The policy may override per rule or per tool": stored severities follow the policy. */
static void test_apply_overrides(void **state)
{
	struct sg_view v = view_of(fx.product, "sast", "Semgrep", "");
	struct sg_severity_override o[2];
	struct sg_policy p;
	struct sg_sighting_outcome r1, r2;
	long long i, s;
	int changed = -1;

	(void)state;
	OK(sg_store_begin(fx.s, &fx.err));
	i = new_ingest(fx.s, fx.product, T0);
	s = new_scan(fx.s, fx.product, i, "sast", "Semgrep", "", NULL, 1, T0);
	r1 = sight(fx.s, &v, i, s, 1, SG_SEV_HIGH, "R1", T0);
	r2 = sight(fx.s, &v, i, s, 2, SG_SEV_HIGH, "R2", T0);
	OK(sg_store_commit(fx.s, &fx.err));

	memset(&p, 0, sizeof(p));
	memset(o, 0, sizeof(o));
	snprintf(o[0].tool, sizeof(o[0].tool), "Semgrep");
	snprintf(o[0].rule, sizeof(o[0].rule), "R1");
	o[0].severity = SG_SEV_LOW;
	snprintf(o[1].tool, sizeof(o[1].tool), "Semgrep");
	o[1].severity = SG_SEV_MEDIUM;
	p.overrides = o;
	p.n_overrides = 2;
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_findings_apply_overrides(fx.s, fx.product, &p, &changed, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	assert_int_equal(changed, 1);
	assert_int_equal(get(fx.s, r1.finding_id).severity, SG_SEV_LOW);    /* the rule's override wins */
	assert_int_equal(get(fx.s, r2.finding_id).severity, SG_SEV_MEDIUM); /* the tool's */

	/* The same policy again changes nothing. */
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_findings_apply_overrides(fx.s, fx.product, &p, &changed, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	assert_int_equal(changed, 0);

	/* A policy without overrides gives the tools' severities back. */
	p.overrides = NULL;
	p.n_overrides = 0;
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_findings_apply_overrides(fx.s, fx.product, &p, &changed, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	assert_int_equal(changed, 1);
	assert_int_equal(get(fx.s, r1.finding_id).severity, SG_SEV_HIGH);
	assert_int_equal(get(fx.s, r2.finding_id).severity, SG_SEV_HIGH);
}

/* ---- transactions ---- */

/* "on any error the caller rolls back and nothing it did is kept" */
static void test_rollback_discards_everything(void **state)
{
	struct sg_view v;
	struct sg_release r;
	struct sg_gate_scan g;
	long long p = 0, i, s, rel = 0, counts[SG_SEV_COUNT];

	(void)state;
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_product_ensure(fx.s, "ephemeral", T0, &p, &fx.err));
	v = view_of(p, "sast", "Semgrep", "");
	i = new_ingest(fx.s, p, T0);
	s = new_scan(fx.s, p, i, "sast", "Semgrep", "", COMMIT_A, 1, T0);
	(void)sight(fx.s, &v, i, s, 1, SG_SEV_CRITICAL, "R", T0);
	(void)sight(fx.s, &(struct sg_view){fx.product, "sast", "Semgrep", ""}, i, s, 2, SG_SEV_CRITICAL, "R",
		    T0);
	OK(sg_store_release_create(fx.s, fx.product, "3.0", COMMIT_A, NULL, T0, &rel, &fx.err));
	sg_store_rollback(fx.s);

	sg_error_clear(&fx.err);
	assert_int_equal(sg_store_product_find(fx.s, "ephemeral", &p, &fx.err), SG_ENOTFOUND);
	sg_error_clear(&fx.err);
	assert_int_equal(sg_store_release_find(fx.s, fx.product, "3.0", &r, &fx.err), SG_ENOTFOUND);
	OK(sg_store_scan_newest(fx.s, fx.product, "sast", NULL, &g, &fx.err));
	assert_int_equal(g.found, 0);
	OK(sg_store_findings_open_counts(fx.s, fx.product, SG_SEV_INFO, counts, &fx.err));
	assert_int_equal(counts[SG_SEV_CRITICAL], 0);

	/* And the store goes on working. */
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_product_ensure(fx.s, "ephemeral", T0, &p, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	OK(sg_store_product_find(fx.s, "ephemeral", &p, &fx.err));
}

/* A savepoint undoes part of a transaction (an abandoned live SARIF read). */
static void test_savepoint(void **state)
{
	struct sg_view v = view_of(fx.product, "sast", "Semgrep", "");
	long long i, s, counts[SG_SEV_COUNT], p = 0;

	(void)state;
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_product_ensure(fx.s, "kept", T0, &p, &fx.err));
	i = new_ingest(fx.s, fx.product, T0);
	s = new_scan(fx.s, fx.product, i, "sast", "Semgrep", "", NULL, 1, T0);
	OK(sg_store_savepoint(fx.s, &fx.err));
	(void)sight(fx.s, &v, i, s, 1, SG_SEV_HIGH, "R", T0);
	(void)sight(fx.s, &v, i, s, 2, SG_SEV_HIGH, "R", T0);
	OK(sg_store_rollback_to_savepoint(fx.s, &fx.err));
	/* Sighted again after the undo: new again, and counted from 0. */
	{
		struct sg_sighting_outcome o = sight(fx.s, &v, i, s, 1, SG_SEV_HIGH, "R", T0);
		assert_int_equal(o.is_new, 1);
		assert_int_equal(o.occurrence, 0);
	}
	OK(sg_store_release_savepoint(fx.s, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	OK(sg_store_findings_open_counts(fx.s, fx.product, SG_SEV_INFO, counts, &fx.err));
	assert_int_equal(counts[SG_SEV_HIGH], 1);
	OK(sg_store_product_find(fx.s, "kept", &p, &fx.err));
}

/* "A read-only transaction: a consistent view that does not block writers." */
static void test_begin_read_consistent(void **state)
{
	struct sg_view v = view_of(fx.product, "sast", "Semgrep", "");
	long long counts[SG_SEV_COUNT], i, s;

	(void)state;
	OK(sg_store_begin(fx.s, &fx.err));
	i = new_ingest(fx.s, fx.product, T0);
	s = new_scan(fx.s, fx.product, i, "sast", "Semgrep", "", NULL, 1, T0);
	(void)sight(fx.s, &v, i, s, 1, SG_SEV_HIGH, "R", T0);
	OK(sg_store_commit(fx.s, &fx.err));

	OK(sg_store_open(fx.url, SG_STORE_OPEN_EXISTING, &fx.s2, &fx.err));

	OK(sg_store_begin_read(fx.s, &fx.err));
	OK(sg_store_findings_open_counts(fx.s, fx.product, SG_SEV_INFO, counts, &fx.err));
	assert_int_equal(counts[SG_SEV_HIGH], 1);

	/* Another connection writes and commits while the read is open. */
	OK(sg_store_begin(fx.s2, &fx.err));
	i = new_ingest(fx.s2, fx.product, T0 + 1);
	s = new_scan(fx.s2, fx.product, i, "sast", "Semgrep", "", NULL, 2, T0 + 1);
	(void)sight(fx.s2, &v, i, s, 2, SG_SEV_HIGH, "R", T0 + 1);
	OK(sg_store_commit(fx.s2, &fx.err));

	/* The reader still sees its snapshot. */
	OK(sg_store_findings_open_counts(fx.s, fx.product, SG_SEV_INFO, counts, &fx.err));
	assert_int_equal(counts[SG_SEV_HIGH], 1);
	OK(sg_store_commit(fx.s, &fx.err));

	/* A new read sees the write. */
	OK(sg_store_findings_open_counts(fx.s, fx.product, SG_SEV_INFO, counts, &fx.err));
	assert_int_equal(counts[SG_SEV_HIGH], 2);
}

/* ---- principals and keys ---- */

static long long add_user(const char *name, enum sg_role role, time_t now)
{
	long long id = 0;

	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_principal_add(fx.s, name, role, now, &id, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	assert_true(id > 0);
	return id;
}

/* A public key of 32 bytes of `fill`, registered under key id `key_id`. */
static long long add_key(long long principal, const char *key_id, unsigned char fill_byte, time_t now)
{
	unsigned char key[SG_PUBLIC_KEY_BYTES];
	long long id = 0;

	memset(key, fill_byte, sizeof(key));
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_key_add(fx.s, principal, key_id, key, now, &id, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	assert_true(id > 0);
	return id;
}

struct people {
	int n;
	long long id[8];
	char name[8][SG_PRINCIPAL_NAME_BYTES];
	enum sg_role role[8];
	time_t created_at[8];
	int n_keys[8];
	int stop_after;
};

static int collect_principal(void *ctx, const struct sg_principal *p)
{
	struct people *l = ctx;

	if (l->n < 8) {
		l->id[l->n] = p->id;
		snprintf(l->name[l->n], sizeof(l->name[0]), "%s", p->name);
		l->role[l->n] = p->role;
		l->created_at[l->n] = p->created_at;
		l->n_keys[l->n] = p->n_keys;
	}
	l->n++;
	return l->stop_after && l->n >= l->stop_after ? 9 : 0;
}

static int find_person(const struct people *l, const char *name)
{
	int i;

	for (i = 0; i < l->n && i < 8; i++)
		if (strcmp(l->name[i], name) == 0)
			return i;
	return -1;
}

/* "SG_ECONFLICT when the name is taken"; "SG_ENOTFOUND when there is no such principal". */
static void test_principal_add_find(void **state)
{
	struct sg_principal p;
	long long ana, bob, again = 0;

	(void)state;
	ana = add_user("ana", SG_ROLE_CTO, T0);
	bob = add_user("bob", SG_ROLE_DEVELOPER, T0 + 5);
	assert_int_not_equal(ana, bob);

	memset(&p, 0x5a, sizeof(p));
	OK(sg_store_principal_find(fx.s, "ana", &p, &fx.err));
	assert_int_equal(p.id, ana);
	assert_string_equal(p.name, "ana");
	assert_int_equal(p.role, SG_ROLE_CTO);
	assert_int_equal(p.created_at, T0);
	assert_int_equal(p.n_keys, 0);
	OK(sg_store_principal_find(fx.s, "bob", &p, &fx.err));
	assert_int_equal(p.id, bob);
	assert_int_equal(p.role, SG_ROLE_DEVELOPER);
	assert_int_equal(p.created_at, T0 + 5);

	/* The name is taken, whatever the role. */
	OK(sg_store_begin(fx.s, &fx.err));
	sg_error_clear(&fx.err);
	assert_int_equal(sg_store_principal_add(fx.s, "ana", SG_ROLE_ADMIN, T0, &again, &fx.err), SG_ECONFLICT);
	assert_int_equal(fx.err.diag, SG_DIAG_CONFLICT);
	sg_store_rollback(fx.s);
	OK(sg_store_principal_find(fx.s, "ana", &p, &fx.err));
	assert_int_equal(p.role, SG_ROLE_CTO);

	/* Names are exact: no case folding, no prefix. */
	sg_error_clear(&fx.err);
	assert_int_equal(sg_store_principal_find(fx.s, "Ana", &p, &fx.err), SG_ENOTFOUND);
	assert_int_equal(fx.err.diag, SG_DIAG_NOT_FOUND);
	sg_error_clear(&fx.err);
	assert_int_equal(sg_store_principal_find(fx.s, "an", &p, &fx.err), SG_ENOTFOUND);
	sg_error_clear(&fx.err);
	assert_int_equal(sg_store_principal_find(fx.s, "nobody", &p, &fx.err), SG_ENOTFOUND);
	assert_int_equal(fx.err.diag, SG_DIAG_NOT_FOUND);
}

static void test_principals_list(void **state)
{
	static const char *const names[] = {"zed", "ana", "mia", "bob", "lee"};
	static const enum sg_role roles[] = {SG_ROLE_VIEWER, SG_ROLE_CTO, SG_ROLE_SECURITY, SG_ROLE_DEVELOPER,
					     SG_ROLE_ADMIN};
	struct people l;
	long long ids[5];
	int i, at;

	(void)state;
	memset(&l, 0, sizeof(l));
	OK(sg_store_principals_list(fx.s, collect_principal, &l, &fx.err));
	assert_int_equal(l.n, 0);
	for (i = 0; i < 5; i++)
		ids[i] = add_user(names[i], roles[i], T0 + i);
	(void)add_key(ids[2], "00000000000000a1", 1, T0);
	(void)add_key(ids[2], "00000000000000a2", 2, T0);
	memset(&l, 0, sizeof(l));
	OK(sg_store_principals_list(fx.s, collect_principal, &l, &fx.err));
	assert_int_equal(l.n, 5);
	for (i = 0; i < 5; i++) {
		at = find_person(&l, names[i]);
		assert_true(at >= 0);
		assert_int_equal(l.id[at], ids[i]);
		assert_int_equal(l.role[at], roles[i]);
		assert_int_equal(l.created_at[at], T0 + i);
		assert_int_equal(l.n_keys[at], i == 2 ? 2 : 0);
	}
	/* A callback that stops: its value comes back. */
	memset(&l, 0, sizeof(l));
	l.stop_after = 2;
	assert_int_equal(sg_store_principals_list(fx.s, collect_principal, &l, &fx.err), 9);
	assert_int_equal(l.n, 2);
}

/* "SG_ECONFLICT when the key id is registered already (to anyone)". */
static void test_key_add_find(void **state)
{
	unsigned char key[SG_PUBLIC_KEY_BYTES], want[SG_PUBLIC_KEY_BYTES];
	struct sg_principal p;
	long long ana, bob, owner = 0, id = 0;

	(void)state;
	ana = add_user("ana", SG_ROLE_CTO, T0);
	bob = add_user("bob", SG_ROLE_SECURITY, T0);
	(void)add_key(ana, "0123456789abcdef", 0x11, T0);
	(void)add_key(bob, "fedcba9876543210", 0x22, T0);

	OK(sg_store_key_find(fx.s, "0123456789abcdef", &owner, key, &fx.err));
	assert_int_equal(owner, ana);
	memset(want, 0x11, sizeof(want));
	assert_memory_equal(key, want, SG_PUBLIC_KEY_BYTES);
	OK(sg_store_key_find(fx.s, "fedcba9876543210", &owner, key, &fx.err));
	assert_int_equal(owner, bob);
	memset(want, 0x22, sizeof(want));
	assert_memory_equal(key, want, SG_PUBLIC_KEY_BYTES);
	OK(sg_store_principal_find(fx.s, "ana", &p, &fx.err));
	assert_int_equal(p.n_keys, 1);

	/* The same key id again, for its owner or for someone else. */
	memset(key, 0x33, sizeof(key));
	OK(sg_store_begin(fx.s, &fx.err));
	sg_error_clear(&fx.err);
	assert_int_equal(sg_store_key_add(fx.s, bob, "0123456789abcdef", key, T0, &id, &fx.err), SG_ECONFLICT);
	assert_int_equal(fx.err.diag, SG_DIAG_CONFLICT);
	sg_store_rollback(fx.s);
	OK(sg_store_begin(fx.s, &fx.err));
	sg_error_clear(&fx.err);
	assert_int_equal(sg_store_key_add(fx.s, ana, "0123456789abcdef", key, T0, &id, &fx.err), SG_ECONFLICT);
	sg_store_rollback(fx.s);
	/* The first registration stands. */
	OK(sg_store_key_find(fx.s, "0123456789abcdef", &owner, key, &fx.err));
	assert_int_equal(owner, ana);
	memset(want, 0x11, sizeof(want));
	assert_memory_equal(key, want, SG_PUBLIC_KEY_BYTES);

	sg_error_clear(&fx.err);
	assert_int_equal(sg_store_key_find(fx.s, "0000000000000000", &owner, key, &fx.err), SG_ENOTFOUND);
	assert_int_equal(fx.err.diag, SG_DIAG_NOT_FOUND);
	sg_error_clear(&fx.err);
	assert_int_equal(sg_store_key_find(fx.s, "0123456789ABCDEF", &owner, key, &fx.err), SG_ENOTFOUND);
}

/* ---- exceptions ---- */

struct exc_copy {
	long long id;
	enum sg_exception_scope scope;
	long long finding_id;
	unsigned char fingerprint[SG_FINGERPRINT_BYTES];
	char tool[64], rule[64], component[64];
	int has_tool, has_rule;
	long long product_id;
	char product[64];
	int has_product;
	char reason[128], expires_on[16], requester[64];
	time_t expires_at, requested_at;
	char approver[64], key_id[17];
	int has_approver;
	unsigned char sig[SG_SIGNATURE_BYTES];
	size_t sig_len;
	unsigned char public_key[SG_PUBLIC_KEY_BYTES];
	int has_public_key;
	time_t approved_at;
	char revoked_by[64], revoke_reason[128];
	int has_revoked_by;
	time_t revoked_at;
};

struct excs {
	int n;
	struct exc_copy e[8];
};

static int collect_exception(void *ctx, const struct sg_exception *e)
{
	struct excs *l = ctx;
	struct exc_copy *c;

	if (l->n >= 8) {
		l->n++;
		return 0;
	}
	c = &l->e[l->n++];
	memset(c, 0, sizeof(*c));
	c->id = e->id;
	c->scope = e->scope;
	c->finding_id = e->finding_id;
	memcpy(c->fingerprint, e->finding_fingerprint, SG_FINGERPRINT_BYTES);
	c->has_tool = e->tool != NULL;
	c->has_rule = e->rule != NULL;
	snprintf(c->tool, sizeof(c->tool), "%s", e->tool ? e->tool : "");
	snprintf(c->rule, sizeof(c->rule), "%s", e->rule ? e->rule : "");
	snprintf(c->component, sizeof(c->component), "%s", e->component ? e->component : "");
	c->product_id = e->product_id;
	c->has_product = e->product != NULL;
	snprintf(c->product, sizeof(c->product), "%s", e->product ? e->product : "");
	snprintf(c->reason, sizeof(c->reason), "%s", e->reason ? e->reason : "(null)");
	snprintf(c->expires_on, sizeof(c->expires_on), "%s", e->expires_on ? e->expires_on : "(null)");
	snprintf(c->requester, sizeof(c->requester), "%s", e->requester ? e->requester : "(null)");
	c->expires_at = e->expires_at;
	c->requested_at = e->requested_at;
	c->has_approver = e->approver != NULL;
	snprintf(c->approver, sizeof(c->approver), "%s", e->approver ? e->approver : "");
	snprintf(c->key_id, sizeof(c->key_id), "%s", e->approver_key_id ? e->approver_key_id : "");
	c->sig_len = e->signature ? e->signature_len : 0;
	if (e->signature && e->signature_len == SG_SIGNATURE_BYTES)
		memcpy(c->sig, e->signature, SG_SIGNATURE_BYTES);
	c->has_public_key = e->approver_public_key != NULL;
	if (e->approver_public_key)
		memcpy(c->public_key, e->approver_public_key, SG_PUBLIC_KEY_BYTES);
	c->approved_at = e->approved_at;
	c->has_revoked_by = e->revoked_by != NULL;
	snprintf(c->revoked_by, sizeof(c->revoked_by), "%s", e->revoked_by ? e->revoked_by : "");
	snprintf(c->revoke_reason, sizeof(c->revoke_reason), "%s", e->revoke_reason ? e->revoke_reason : "");
	c->revoked_at = e->revoked_at;
	return 0;
}

static struct excs list_exceptions(long long id, long long product_id, int approved_only)
{
	struct sg_exception_filter f;
	struct excs l;

	memset(&f, 0, sizeof(f));
	f.id = id;
	f.product_id = product_id;
	f.approved_only = approved_only;
	memset(&l, 0, sizeof(l));
	OK(sg_store_exceptions_list(fx.s, &f, collect_exception, &l, &fx.err));
	return l;
}

/* A rule-scope request (tool "Semgrep") of `product` (0: every product). */
static long long request_rule(const char *rule, long long product, long long requester, time_t now)
{
	struct sg_exception_request r;
	long long id = 0;

	memset(&r, 0, sizeof(r));
	r.scope = SG_SCOPE_RULE;
	r.tool = "Semgrep";
	r.rule = rule;
	r.product_id = product;
	r.reason = "vendored code, fixed upstream";
	r.expires_on = "2026-01-31";
	r.expires_at = (time_t)1769817600;
	r.requester_id = requester;
	r.requested_at = now;
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_exception_insert(fx.s, &r, &id, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	assert_true(id > 0);
	return id;
}

static long long request_finding(long long finding_id, const unsigned char fp[SG_FINGERPRINT_BYTES],
				 long long product, long long requester, time_t now)
{
	struct sg_exception_request r;
	long long id = 0;

	memset(&r, 0, sizeof(r));
	r.scope = SG_SCOPE_FINDING;
	r.finding_id = finding_id;
	memcpy(r.finding_fingerprint, fp, SG_FINGERPRINT_BYTES);
	r.product_id = product;
	r.reason = "line one\nline two";
	r.expires_on = "2026-02-28";
	r.expires_at = (time_t)1772236800;
	r.requester_id = requester;
	r.requested_at = now;
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_exception_insert(fx.s, &r, &id, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	assert_true(id > 0);
	return id;
}

static void make_sig(unsigned char sig[SG_SIGNATURE_BYTES], unsigned char fill_byte)
{
	int i;

	for (i = 0; i < SG_SIGNATURE_BYTES; i++)
		sig[i] = (unsigned char)(fill_byte + i);
}

/* One finding of product shop, for finding-scope exceptions. */
static struct sg_sighting_outcome one_finding(enum sg_severity sev, const char *rule, int base_n, time_t now)
{
	struct sg_view v = view_of(fx.product, "sast", "Semgrep", "");
	struct sg_sighting_outcome o;
	long long i, s;

	OK(sg_store_begin(fx.s, &fx.err));
	i = new_ingest(fx.s, fx.product, now);
	s = new_scan(fx.s, fx.product, i, "sast", "Semgrep", "", NULL, (unsigned char)base_n, now);
	o = sight(fx.s, &v, i, s, base_n, sev, rule, now);
	OK(sg_store_commit(fx.s, &fx.err));
	return o;
}

/* Insert, then list: every field comes back; filters by id, product, approval. */
static void test_exception_insert_list(void **state)
{
	struct sg_sighting_outcome f;
	struct excs l;
	long long ana, e1, e2, e3;

	(void)state;
	ana = add_user("ana", SG_ROLE_DEVELOPER, T0);
	f = one_finding(SG_SEV_HIGH, "R1", 1, T0);
	e1 = request_finding(f.finding_id, f.fingerprint, fx.product, ana, T0 + 10);
	e2 = request_rule("R2", 0, ana, T0 + 20);
	e3 = request_rule("R3", fx.other_product, ana, T0 + 30);
	assert_true(e1 < e2 && e2 < e3);

	/* "In id order." */
	l = list_exceptions(0, 0, 0);
	assert_int_equal(l.n, 3);
	assert_int_equal(l.e[0].id, e1);
	assert_int_equal(l.e[1].id, e2);
	assert_int_equal(l.e[2].id, e3);

	assert_int_equal(l.e[0].scope, SG_SCOPE_FINDING);
	assert_int_equal(l.e[0].finding_id, f.finding_id);
	assert_memory_equal(l.e[0].fingerprint, f.fingerprint, SG_FINGERPRINT_BYTES);
	assert_int_equal(l.e[0].product_id, fx.product);
	assert_int_equal(l.e[0].has_product, 1);
	assert_string_equal(l.e[0].product, "shop");
	assert_string_equal(l.e[0].reason, "line one\nline two");
	assert_string_equal(l.e[0].expires_on, "2026-02-28");
	assert_int_equal(l.e[0].expires_at, 1772236800);
	assert_string_equal(l.e[0].requester, "ana");
	assert_int_equal(l.e[0].requested_at, T0 + 10);
	/* Pending: no approval, no revocation. */
	assert_int_equal(l.e[0].has_approver, 0);
	assert_int_equal(l.e[0].sig_len, 0);
	assert_int_equal(l.e[0].has_public_key, 0);
	assert_int_equal(l.e[0].has_revoked_by, 0);

	assert_int_equal(l.e[1].scope, SG_SCOPE_RULE);
	assert_string_equal(l.e[1].tool, "Semgrep");
	assert_string_equal(l.e[1].rule, "R2");
	/* Every product: product_id 0 and no product name. */
	assert_int_equal(l.e[1].product_id, 0);
	assert_int_equal(l.e[1].has_product, 0);
	assert_string_equal(l.e[1].reason, "vendored code, fixed upstream");
	assert_string_equal(l.e[1].expires_on, "2026-01-31");
	assert_int_equal(l.e[1].requested_at, T0 + 20);
	assert_string_equal(l.e[2].product, "other");

	/* By id. */
	l = list_exceptions(e2, 0, 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.e[0].id, e2);
	l = list_exceptions(e3 + 100, 0, 0);
	assert_int_equal(l.n, 0);
	/* By product: its own and every product's, not another product's. */
	l = list_exceptions(0, fx.product, 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.e[0].id, e1);
	assert_int_equal(l.e[1].id, e2);
	l = list_exceptions(0, fx.other_product, 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.e[0].id, e2);
	assert_int_equal(l.e[1].id, e3);
	l = list_exceptions(e3, fx.product, 0);
	assert_int_equal(l.n, 0);
	/* Approved only: none yet. */
	l = list_exceptions(0, 0, 1);
	assert_int_equal(l.n, 0);
}

/* An approval is recorded once, with its key and signature; listing it joins
 * the approver's registered key. */
static void test_exception_approve(void **state)
{
	unsigned char sig[SG_SIGNATURE_BYTES], want_key[SG_PUBLIC_KEY_BYTES];
	struct excs l;
	long long ana, carol, e1, e2;

	(void)state;
	ana = add_user("ana", SG_ROLE_DEVELOPER, T0);
	carol = add_user("carol", SG_ROLE_CTO, T0);
	(void)add_key(carol, "00000000000000c1", 0xc1, T0);
	e1 = request_rule("R1", fx.product, ana, T0);
	e2 = request_rule("R2", fx.product, ana, T0);
	make_sig(sig, 0x10);

	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_exception_approve(fx.s, e2, carol, "00000000000000c1", sig, T0 + 100, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));

	l = list_exceptions(0, 0, 1);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.e[0].id, e2);
	assert_int_equal(l.e[0].has_approver, 1);
	assert_string_equal(l.e[0].approver, "carol");
	assert_string_equal(l.e[0].key_id, "00000000000000c1");
	assert_int_equal(l.e[0].sig_len, SG_SIGNATURE_BYTES);
	assert_memory_equal(l.e[0].sig, sig, SG_SIGNATURE_BYTES);
	assert_int_equal(l.e[0].has_public_key, 1);
	memset(want_key, 0xc1, sizeof(want_key));
	assert_memory_equal(l.e[0].public_key, want_key, SG_PUBLIC_KEY_BYTES);
	assert_int_equal(l.e[0].approved_at, T0 + 100);
	assert_int_equal(l.e[0].has_revoked_by, 0);
	/* The other stays pending. */
	l = list_exceptions(e1, 0, 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.e[0].has_approver, 0);

	/* "SG_ECONFLICT if it was approved or revoked meanwhile": only once. */
	make_sig(sig, 0x20);
	OK(sg_store_begin(fx.s, &fx.err));
	sg_error_clear(&fx.err);
	assert_int_equal(sg_store_exception_approve(fx.s, e2, carol, "00000000000000c1", sig, T0 + 200, &fx.err),
			 SG_ECONFLICT);
	assert_int_equal(fx.err.diag, SG_DIAG_CONFLICT);
	sg_store_rollback(fx.s);
	l = list_exceptions(e2, 0, 0);
	assert_int_equal(l.e[0].approved_at, T0 + 100);
	make_sig(sig, 0x10);
	assert_memory_equal(l.e[0].sig, sig, SG_SIGNATURE_BYTES);
}

/* The registered key joined to an approval is the approver's own: a key id
 * that belongs to someone else gives no key, so the approval cannot verify. */
static void test_exception_approver_key_is_own(void **state)
{
	unsigned char sig[SG_SIGNATURE_BYTES];
	struct excs l;
	long long ana, carol, e1;

	(void)state;
	ana = add_user("ana", SG_ROLE_DEVELOPER, T0);
	carol = add_user("carol", SG_ROLE_CTO, T0);
	(void)add_key(ana, "00000000000000a1", 0xa1, T0);
	e1 = request_rule("R1", fx.product, ana, T0);
	make_sig(sig, 0x30);
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_exception_approve(fx.s, e1, carol, "00000000000000a1", sig, T0 + 1, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	l = list_exceptions(e1, 0, 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.e[0].approver, "carol");
	assert_string_equal(l.e[0].key_id, "00000000000000a1");
	assert_int_equal(l.e[0].has_public_key, 0);
}

/* Revoke: once; an approval after it is a conflict; an active one can be revoked. */
static void test_exception_revoke(void **state)
{
	unsigned char sig[SG_SIGNATURE_BYTES];
	struct excs l;
	long long ana, carol, pending, active;

	(void)state;
	ana = add_user("ana", SG_ROLE_DEVELOPER, T0);
	carol = add_user("carol", SG_ROLE_CTO, T0);
	(void)add_key(carol, "00000000000000c1", 0xc1, T0);
	pending = request_rule("R1", fx.product, ana, T0);
	active = request_rule("R2", 0, ana, T0);
	make_sig(sig, 0x40);
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_exception_approve(fx.s, active, carol, "00000000000000c1", sig, T0 + 1, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));

	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_exception_revoke(fx.s, pending, carol, "no longer needed", T0 + 50, &fx.err));
	OK(sg_store_exception_revoke(fx.s, active, ana, "fixed after all", T0 + 60, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));

	l = list_exceptions(0, 0, 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.e[0].id, pending);
	assert_int_equal(l.e[0].has_revoked_by, 1);
	assert_string_equal(l.e[0].revoked_by, "carol");
	assert_int_equal(l.e[0].revoked_at, T0 + 50);
	assert_string_equal(l.e[0].revoke_reason, "no longer needed");
	assert_int_equal(l.e[0].has_approver, 0);
	/* A revoked approval keeps its approval fields. */
	assert_string_equal(l.e[1].revoked_by, "ana");
	assert_string_equal(l.e[1].revoke_reason, "fixed after all");
	assert_string_equal(l.e[1].approver, "carol");
	assert_memory_equal(l.e[1].sig, sig, SG_SIGNATURE_BYTES);
	/* approved_only still lists an approval that was revoked. */
	l = list_exceptions(0, 0, 1);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.e[0].id, active);

	/* A second revocation is a conflict, and changes nothing. */
	OK(sg_store_begin(fx.s, &fx.err));
	sg_error_clear(&fx.err);
	assert_int_equal(sg_store_exception_revoke(fx.s, pending, ana, "again", T0 + 70, &fx.err), SG_ECONFLICT);
	assert_int_equal(fx.err.diag, SG_DIAG_CONFLICT);
	sg_store_rollback(fx.s);
	/* No approval after a revocation. */
	OK(sg_store_begin(fx.s, &fx.err));
	sg_error_clear(&fx.err);
	assert_int_equal(sg_store_exception_approve(fx.s, pending, carol, "00000000000000c1", sig, T0 + 80, &fx.err),
			 SG_ECONFLICT);
	assert_int_equal(fx.err.diag, SG_DIAG_CONFLICT);
	sg_store_rollback(fx.s);
	l = list_exceptions(pending, 0, 0);
	assert_string_equal(l.e[0].revoked_by, "carol");
	assert_int_equal(l.e[0].revoked_at, T0 + 50);
	assert_int_equal(l.e[0].has_approver, 0);
}

/* ---- the audit ledger ---- */

struct ledger {
	int n;
	long long seq[8], object_id[8];
	time_t at[8];
	char actor[8][32], action[8][48], label[8][48], payload[8][96];
	enum sg_object_kind kind[8];
	int has_state[8];
	unsigned char state[8][SG_DIGEST_BYTES], prev[8][SG_DIGEST_BYTES], hash[8][SG_DIGEST_BYTES],
		recomputed[8][SG_DIGEST_BYTES];
};

static int collect_audit(void *ctx, const struct sg_audit_event *e)
{
	struct ledger *l = ctx;
	int i = l->n;

	if (i < 8) {
		l->seq[i] = e->seq;
		l->at[i] = e->at;
		snprintf(l->actor[i], sizeof(l->actor[i]), "%s", e->actor ? e->actor : "(null)");
		snprintf(l->action[i], sizeof(l->action[i]), "%s", e->action ? e->action : "(null)");
		snprintf(l->label[i], sizeof(l->label[i]), "%s", e->object_label ? e->object_label : "(null)");
		snprintf(l->payload[i], sizeof(l->payload[i]), "%s", e->payload ? e->payload : "(null)");
		l->kind[i] = e->object_kind;
		l->object_id[i] = e->object_id;
		l->has_state[i] = e->has_state;
		memcpy(l->state[i], e->state, SG_DIGEST_BYTES);
		memcpy(l->prev[i], e->prev_hash, SG_DIGEST_BYTES);
		memcpy(l->hash[i], e->hash, SG_DIGEST_BYTES);
		sg_audit_hash(e, l->recomputed[i]);
	}
	l->n++;
	return 0;
}

/* Append one event chained to the head, as app/ does. */
static void append_event(time_t at, const char *actor, const char *action, enum sg_object_kind kind,
			 long long object_id, const char *label, const char *payload, const unsigned char *state_digest)
{
	struct sg_audit_event e;
	long long seq = -1;

	memset(&e, 0, sizeof(e));
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_audit_head(fx.s, &seq, e.prev_hash, &fx.err));
	e.seq = seq + 1;
	e.at = at;
	e.actor = actor;
	e.action = action;
	e.object_kind = kind;
	e.object_id = object_id;
	e.object_label = label;
	e.payload = payload;
	if (state_digest) {
		e.has_state = 1;
		memcpy(e.state, state_digest, SG_DIGEST_BYTES);
	}
	sg_audit_hash(&e, e.hash);
	OK(sg_store_audit_append(fx.s, &e, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
}

static void test_audit_head_empty(void **state)
{
	unsigned char hash[SG_DIGEST_BYTES], zero[SG_DIGEST_BYTES];
	struct ledger l;
	long long seq = -1;

	(void)state;
	memset(hash, 0x77, sizeof(hash));
	memset(zero, 0, sizeof(zero));
	OK(sg_store_audit_head(fx.s, &seq, hash, &fx.err));
	assert_int_equal(seq, 0);
	assert_memory_equal(hash, zero, SG_DIGEST_BYTES);
	memset(&l, 0, sizeof(l));
	OK(sg_store_audit_list(fx.s, 0, collect_audit, &l, &fx.err));
	assert_int_equal(l.n, 0);
}

/* Append three, list them: in seq order, every field as appended, the chain intact. */
static void test_audit_append_list(void **state)
{
	unsigned char st1[SG_DIGEST_BYTES], st3[SG_DIGEST_BYTES], hash[SG_DIGEST_BYTES], zero[SG_DIGEST_BYTES];
	struct ledger l;
	long long seq = 0;
	int i;

	(void)state;
	memset(st1, 0xa1, sizeof(st1));
	memset(st3, 0xa3, sizeof(st3));
	memset(zero, 0, sizeof(zero));
	append_event(T0, "ana", "user.add", SG_OBJ_USER, 1, "user ana", "{\"role\":\"cto\"}", st1);
	append_event(T0 + 10, "ana", "policy.load", SG_OBJ_POLICY, 0, "policy secure-development",
		     "{\"text\":\"a\\nb\"}", NULL);
	append_event(T0 + 20, "bob", "exception.request", SG_OBJ_EXCEPTION, 7, "exception 7", "{}", st3);

	OK(sg_store_audit_head(fx.s, &seq, hash, &fx.err));
	assert_int_equal(seq, 3);

	memset(&l, 0, sizeof(l));
	OK(sg_store_audit_list(fx.s, 0, collect_audit, &l, &fx.err));
	assert_int_equal(l.n, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(l.seq[i], i + 1);
		/* Stored and read back, each event hashes to its stored hash. */
		assert_memory_equal(l.recomputed[i], l.hash[i], SG_DIGEST_BYTES);
		if (i > 0)
			assert_memory_equal(l.prev[i], l.hash[i - 1], SG_DIGEST_BYTES);
	}
	assert_memory_equal(l.prev[0], zero, SG_DIGEST_BYTES);
	assert_memory_equal(hash, l.hash[2], SG_DIGEST_BYTES);

	assert_int_equal(l.at[0], T0);
	assert_string_equal(l.actor[0], "ana");
	assert_string_equal(l.action[0], "user.add");
	assert_int_equal(l.kind[0], SG_OBJ_USER);
	assert_int_equal(l.object_id[0], 1);
	assert_string_equal(l.label[0], "user ana");
	assert_string_equal(l.payload[0], "{\"role\":\"cto\"}");
	assert_int_equal(l.has_state[0], 1);
	assert_memory_equal(l.state[0], st1, SG_DIGEST_BYTES);

	assert_int_equal(l.kind[1], SG_OBJ_POLICY);
	assert_int_equal(l.object_id[1], 0);
	assert_string_equal(l.payload[1], "{\"text\":\"a\\nb\"}");
	assert_int_equal(l.has_state[1], 0);

	assert_int_equal(l.at[2], T0 + 20);
	assert_string_equal(l.actor[2], "bob");
	assert_string_equal(l.action[2], "exception.request");
	assert_int_equal(l.kind[2], SG_OBJ_EXCEPTION);
	assert_int_equal(l.object_id[2], 7);
	assert_memory_equal(l.state[2], st3, SG_DIGEST_BYTES);

	/* "from `since` on" */
	memset(&l, 0, sizeof(l));
	OK(sg_store_audit_list(fx.s, T0 + 10, collect_audit, &l, &fx.err));
	assert_int_equal(l.n, 2);
	assert_int_equal(l.seq[0], 2);
	memset(&l, 0, sizeof(l));
	OK(sg_store_audit_list(fx.s, T0 + 21, collect_audit, &l, &fx.err));
	assert_int_equal(l.n, 0);
}

/* An append that is rolled back leaves the ledger as it was. */
static void test_audit_append_rollback(void **state)
{
	struct sg_audit_event e;
	unsigned char hash[SG_DIGEST_BYTES], before[SG_DIGEST_BYTES];
	long long seq = 0;

	(void)state;
	append_event(T0, "ana", "user.add", SG_OBJ_USER, 1, "user ana", "{}", NULL);
	OK(sg_store_audit_head(fx.s, &seq, before, &fx.err));
	memset(&e, 0, sizeof(e));
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_audit_head(fx.s, &seq, e.prev_hash, &fx.err));
	e.seq = seq + 1;
	e.at = T0 + 1;
	e.actor = "ana";
	e.action = "user.add";
	e.object_kind = SG_OBJ_USER;
	e.object_id = 2;
	e.object_label = "user bob";
	e.payload = "{}";
	sg_audit_hash(&e, e.hash);
	OK(sg_store_audit_append(fx.s, &e, &fx.err));
	sg_store_rollback(fx.s);
	OK(sg_store_audit_head(fx.s, &seq, hash, &fx.err));
	assert_int_equal(seq, 1);
	assert_memory_equal(hash, before, SG_DIGEST_BYTES);
}

struct digests {
	int n;
	long long id[16], seq[16];
	int has_state[16];
	unsigned char d[16][SG_DIGEST_BYTES];
};

static int collect_digest(void *ctx, long long object_id, long long seq, int has_state,
			  const unsigned char digest[SG_DIGEST_BYTES])
{
	struct digests *l = ctx;

	if (l->n < 16) {
		l->id[l->n] = object_id;
		l->seq[l->n] = seq;
		l->has_state[l->n] = has_state;
		memcpy(l->d[l->n], digest, SG_DIGEST_BYTES);
	}
	l->n++;
	return 0;
}

/* "The latest event of each object of a kind, by object id." */
static void test_audit_latest(void **state)
{
	unsigned char a[SG_DIGEST_BYTES], b[SG_DIGEST_BYTES], c[SG_DIGEST_BYTES], zero[SG_DIGEST_BYTES];
	struct digests l;

	(void)state;
	memset(a, 0xaa, sizeof(a));
	memset(b, 0xbb, sizeof(b));
	memset(c, 0xcc, sizeof(c));
	memset(zero, 0, sizeof(zero));
	memset(&l, 0, sizeof(l));
	OK(sg_store_audit_latest(fx.s, SG_OBJ_EXCEPTION, collect_digest, &l, &fx.err));
	assert_int_equal(l.n, 0);

	append_event(T0, "ana", "exception.request", SG_OBJ_EXCEPTION, 20, "exception 20", "{}", a); /* 1 */
	append_event(T0, "ana", "exception.request", SG_OBJ_EXCEPTION, 3, "exception 3", "{}", b);   /* 2 */
	append_event(T0, "ana", "user.add", SG_OBJ_USER, 3, "user 3", "{}", c);                       /* 3 */
	append_event(T0, "ana", "exception.note", SG_OBJ_EXCEPTION, 20, "exception 20", "{}", NULL); /* 4 */
	append_event(T0, "ana", "exception.approve", SG_OBJ_EXCEPTION, 3, "exception 3", "{}", c);  /* 5 */
	append_event(T0, "ana", "user.add", SG_OBJ_USER, 1, "user 1", "{}", a);                       /* 6 */

	memset(&l, 0, sizeof(l));
	OK(sg_store_audit_latest(fx.s, SG_OBJ_EXCEPTION, collect_digest, &l, &fx.err));
	assert_int_equal(l.n, 2);
	assert_int_equal(l.id[0], 3);
	assert_int_equal(l.seq[0], 5);
	assert_int_equal(l.has_state[0], 1);
	assert_memory_equal(l.d[0], c, SG_DIGEST_BYTES);
	assert_int_equal(l.id[1], 20);
	assert_int_equal(l.seq[1], 4);
	assert_int_equal(l.has_state[1], 0);

	memset(&l, 0, sizeof(l));
	OK(sg_store_audit_latest(fx.s, SG_OBJ_USER, collect_digest, &l, &fx.err));
	assert_int_equal(l.n, 2);
	assert_int_equal(l.id[0], 1);
	assert_int_equal(l.seq[0], 6);
	assert_memory_equal(l.d[0], a, SG_DIGEST_BYTES);
	assert_int_equal(l.id[1], 3);
	assert_int_equal(l.seq[1], 3);
	assert_memory_equal(l.d[1], c, SG_DIGEST_BYTES);

	memset(&l, 0, sizeof(l));
	OK(sg_store_audit_latest(fx.s, SG_OBJ_RELEASE, collect_digest, &l, &fx.err));
	assert_int_equal(l.n, 0);
}

static struct digests digests_of(enum sg_object_kind kind, long long object_id)
{
	struct digests l;

	memset(&l, 0, sizeof(l));
	OK(sg_store_object_digests(fx.s, kind, object_id, collect_digest, &l, &fx.err));
	return l;
}

/* The digest of a product follows docs/audit.md: sg_rhash over its id,
 * name and creation time, so that every backend computes the same. */
static void test_object_digest_product_value(void **state)
{
	unsigned char want[SG_DIGEST_BYTES];
	struct sg_rhash h;
	struct digests l;

	(void)state;
	sg_rhash_init(&h);
	sg_rhash_int(&h, fx.product);
	sg_rhash_text(&h, "shop");
	sg_rhash_int(&h, (long long)T0);
	sg_rhash_final(&h, want);
	l = digests_of(SG_OBJ_PRODUCT, fx.product);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.id[0], fx.product);
	assert_int_equal(l.seq[0], 0);
	assert_int_equal(l.has_state[0], 1);
	assert_memory_equal(l.d[0], want, SG_DIGEST_BYTES);
}

/* object_id 0: every object of the kind, by id; each the same as alone. */
static void test_object_digests_all(void **state)
{
	struct digests all, one;
	long long ids[3];
	int i;

	(void)state;
	ids[0] = add_user("zed", SG_ROLE_VIEWER, T0);
	ids[1] = add_user("ana", SG_ROLE_CTO, T0);
	ids[2] = add_user("bob", SG_ROLE_CTO, T0);
	all = digests_of(SG_OBJ_USER, 0);
	assert_int_equal(all.n, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(all.id[i], ids[i]);
		assert_int_equal(all.seq[i], 0);
		assert_int_equal(all.has_state[i], 1);
		one = digests_of(SG_OBJ_USER, ids[i]);
		assert_int_equal(one.n, 1);
		assert_int_equal(one.id[0], ids[i]);
		assert_memory_equal(one.d[0], all.d[i], SG_DIGEST_BYTES);
	}
	/* Same role, other name: other digest. */
	assert_memory_not_equal(all.d[1], all.d[2], SG_DIGEST_BYTES);
	all = digests_of(SG_OBJ_PRODUCT, 0);
	assert_int_equal(all.n, 2);
	assert_int_equal(all.id[0], fx.product < fx.other_product ? fx.product : fx.other_product);
	assert_true(all.id[0] < all.id[1]);
	/* No such object, or a kind no table holds: nothing. */
	assert_int_equal(digests_of(SG_OBJ_USER, ids[2] + 1000).n, 0);
	assert_int_equal(digests_of(SG_OBJ_POLICY, 0).n, 0);
	assert_int_equal(digests_of(SG_OBJ_RELEASE, 0).n, 0);
}

/* A digest is stable while its rows stay, and changes when one changes;
 * the other objects' digests do not move. */
static void test_object_digests_follow_rows(void **state)
{
	unsigned char sig[SG_SIGNATURE_BYTES];
	struct digests before, after, again;
	struct sg_sighting_outcome f;
	long long ana, carol, e1, e2, id = 0;

	(void)state;
	ana = add_user("ana", SG_ROLE_DEVELOPER, T0);
	carol = add_user("carol", SG_ROLE_CTO, T0);
	(void)add_key(carol, "00000000000000c1", 0xc1, T0);
	e1 = request_rule("R1", fx.product, ana, T0);
	e2 = request_rule("R2", fx.product, ana, T0);

	/* Exceptions: an approval changes the approved one only. */
	before = digests_of(SG_OBJ_EXCEPTION, 0);
	again = digests_of(SG_OBJ_EXCEPTION, 0);
	assert_int_equal(before.n, 2);
	assert_memory_equal(before.d[0], again.d[0], SG_DIGEST_BYTES);
	assert_memory_equal(before.d[1], again.d[1], SG_DIGEST_BYTES);
	make_sig(sig, 0x50);
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_exception_approve(fx.s, e2, carol, "00000000000000c1", sig, T0 + 5, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	after = digests_of(SG_OBJ_EXCEPTION, 0);
	assert_int_equal(after.id[0], e1);
	assert_int_equal(after.id[1], e2);
	assert_memory_equal(after.d[0], before.d[0], SG_DIGEST_BYTES);
	assert_memory_not_equal(after.d[1], before.d[1], SG_DIGEST_BYTES);
	/* A revocation changes it again. */
	before = after;
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_exception_revoke(fx.s, e2, carol, "done", T0 + 6, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	after = digests_of(SG_OBJ_EXCEPTION, e2);
	assert_memory_not_equal(after.d[0], before.d[1], SG_DIGEST_BYTES);

	/* Keys: a new key is a new object; the user's own row is unchanged. */
	before = digests_of(SG_OBJ_USER, carol);
	(void)add_key(carol, "00000000000000c2", 0xc2, T0);
	after = digests_of(SG_OBJ_USER, carol);
	assert_memory_equal(after.d[0], before.d[0], SG_DIGEST_BYTES);
	assert_int_equal(digests_of(SG_OBJ_KEY, 0).n, 2);

	/* Products: ensuring an existing one changes nothing. */
	before = digests_of(SG_OBJ_PRODUCT, 0);
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_product_ensure(fx.s, "shop", T0 + 99, &id, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	after = digests_of(SG_OBJ_PRODUCT, 0);
	assert_int_equal(after.n, before.n);
	assert_memory_equal(after.d[0], before.d[0], SG_DIGEST_BYTES);
	assert_memory_equal(after.d[1], before.d[1], SG_DIGEST_BYTES);

	/* Findings (id: a product): a triage changes its product's digest only. */
	f = one_finding(SG_SEV_HIGH, "R1", 1, T0);
	{
		struct sg_view v = view_of(fx.other_product, "sast", "Semgrep", "");
		long long i, s;
		OK(sg_store_begin(fx.s, &fx.err));
		i = new_ingest(fx.s, fx.other_product, T0);
		s = new_scan(fx.s, fx.other_product, i, "sast", "Semgrep", "", NULL, 9, T0);
		(void)sight(fx.s, &v, i, s, 2, SG_SEV_LOW, "R9", T0);
		OK(sg_store_commit(fx.s, &fx.err));
	}
	before = digests_of(SG_OBJ_FINDINGS, 0);
	assert_int_equal(before.n, 2);
	again = digests_of(SG_OBJ_FINDINGS, 0);
	assert_memory_equal(before.d[0], again.d[0], SG_DIGEST_BYTES);
	assert_memory_equal(before.d[1], again.d[1], SG_DIGEST_BYTES);
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_finding_set_status(fx.s, f.finding_id, SG_STATUS_OPEN, SG_STATUS_FALSE_POSITIVE, SG_EVENT_TRIAGED,
				       "test only", T0 + 7, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	after = digests_of(SG_OBJ_FINDINGS, 0);
	assert_int_equal(after.n, 2);
	{
		int shop = after.id[0] == fx.product ? 0 : 1;
		assert_int_equal(after.id[shop], fx.product);
		assert_memory_not_equal(after.d[shop], before.d[shop], SG_DIGEST_BYTES);
		assert_memory_equal(after.d[!shop], before.d[!shop], SG_DIGEST_BYTES);
		again = digests_of(SG_OBJ_FINDINGS, fx.product);
		assert_int_equal(again.n, 1);
		assert_memory_equal(again.d[0], after.d[shop], SG_DIGEST_BYTES);
	}
	/* The triage added an event to the product's history. */
	before = digests_of(SG_OBJ_HISTORY, fx.product);
	assert_int_equal(before.n, 1);
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_finding_set_status(fx.s, f.finding_id, SG_STATUS_FALSE_POSITIVE, SG_STATUS_OPEN, SG_EVENT_TRIAGED,
				       "not so", T0 + 8, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	after = digests_of(SG_OBJ_HISTORY, fx.product);
	assert_memory_not_equal(after.d[0], before.d[0], SG_DIGEST_BYTES);
}

/* ---- findings: waivers, SLA filters ---- */

struct wids {
	int n;
	long long id[32], waiver[32];
	time_t first_seen_at[32];
};

static int collect_waived(void *ctx, const struct sg_finding *f)
{
	struct wids *l = ctx;

	if (l->n < 32) {
		l->id[l->n] = f->id;
		l->waiver[l->n] = f->waiver_id;
		l->first_seen_at[l->n] = f->first_seen_at;
	}
	l->n++;
	return 0;
}

static long long waiver_of(const struct wids *l, long long id)
{
	int i;

	for (i = 0; i < l->n && i < 32; i++)
		if (l->id[i] == id)
			return l->waiver[i];
	return -1;
}

/*
 * Findings f1, f2 (high, Semgrep R1), f3 (critical, Semgrep R2), f4 (medium,
 * Semgrep R2), f5 (high, CodeQL R1). Exceptions: e1 finding f1, e2 rule
 * Semgrep/R1, e3 finding f3, e4 rule Semgrep/R2 (not in the waiver list).
 */
struct waiver_fixture {
	long long f[5], e[4];
	long long waivers[3];
};

static void seed_waivers(struct waiver_fixture *w)
{
	struct sg_view sem = view_of(fx.product, "sast", "Semgrep", "");
	struct sg_view cql = view_of(fx.product, "sast", "CodeQL", "");
	long long ana, i, s;
	struct sg_sighting_outcome o[5];

	ana = add_user("ana", SG_ROLE_DEVELOPER, T0);
	OK(sg_store_begin(fx.s, &fx.err));
	i = new_ingest(fx.s, fx.product, T0);
	s = new_scan(fx.s, fx.product, i, "sast", "Semgrep", "", NULL, 1, T0);
	o[0] = sight(fx.s, &sem, i, s, 1, SG_SEV_HIGH, "R1", T0);
	o[1] = sight(fx.s, &sem, i, s, 2, SG_SEV_HIGH, "R1", T0);
	o[2] = sight(fx.s, &sem, i, s, 3, SG_SEV_CRITICAL, "R2", T0);
	o[3] = sight(fx.s, &sem, i, s, 4, SG_SEV_MEDIUM, "R2", T0);
	s = new_scan(fx.s, fx.product, i, "sast", "CodeQL", "", NULL, 2, T0);
	o[4] = sight(fx.s, &cql, i, s, 5, SG_SEV_HIGH, "R1", T0);
	OK(sg_store_commit(fx.s, &fx.err));
	for (i = 0; i < 5; i++)
		w->f[i] = o[i].finding_id;
	w->e[0] = request_finding(o[0].finding_id, o[0].fingerprint, fx.product, ana, T0);
	w->e[1] = request_rule("R1", fx.product, ana, T0);
	w->e[2] = request_finding(o[2].finding_id, o[2].fingerprint, fx.product, ana, T0);
	w->e[3] = request_rule("R2", fx.product, ana, T0);
	w->waivers[0] = w->e[0];
	w->waivers[1] = w->e[1];
	w->waivers[2] = w->e[2];
}

static struct sg_finding_filter waiver_filter(const struct waiver_fixture *w, enum sg_waiver_mode mode)
{
	struct sg_finding_filter f;

	memset(&f, 0, sizeof(f));
	f.product_id = fx.product;
	f.status = SG_STATUS_OPEN;
	f.min_severity = SG_SEV_INFO;
	f.waivers = w->waivers;
	f.n_waivers = 3;
	f.waiver_mode = mode;
	return f;
}

static void test_findings_waivers_count(void **state)
{
	struct waiver_fixture w;
	struct sg_finding_filter f;
	long long c[SG_SEV_COUNT];

	(void)state;
	seed_waivers(&w);
	/* Ignore: everything. */
	f = waiver_filter(&w, SG_WAIVERS_IGNORE);
	OK(sg_store_findings_count(fx.s, &f, c, &fx.err));
	assert_int_equal(c[SG_SEV_CRITICAL], 1);
	assert_int_equal(c[SG_SEV_HIGH], 3);
	assert_int_equal(c[SG_SEV_MEDIUM], 1);
	assert_int_equal(c[SG_SEV_LOW] + c[SG_SEV_INFO], 0);
	/* Exclude: f3 by its finding exception, f1 and f2 by the rule; f4 (e4
	 * is not a waiver) and f5 (another tool's R1) stay. */
	f = waiver_filter(&w, SG_WAIVERS_EXCLUDE);
	memset(c, 0x55, sizeof(c));
	OK(sg_store_findings_count(fx.s, &f, c, &fx.err));
	assert_int_equal(c[SG_SEV_CRITICAL], 0);
	assert_int_equal(c[SG_SEV_HIGH], 1);
	assert_int_equal(c[SG_SEV_MEDIUM], 1);
	assert_int_equal(c[SG_SEV_LOW] + c[SG_SEV_INFO], 0);
	/* Only: the covered ones. */
	f = waiver_filter(&w, SG_WAIVERS_ONLY);
	OK(sg_store_findings_count(fx.s, &f, c, &fx.err));
	assert_int_equal(c[SG_SEV_CRITICAL], 1);
	assert_int_equal(c[SG_SEV_HIGH], 2);
	assert_int_equal(c[SG_SEV_MEDIUM], 0);
	/* No waivers: exclude takes all, only takes none. */
	f = waiver_filter(&w, SG_WAIVERS_EXCLUDE);
	f.n_waivers = 0;
	OK(sg_store_findings_count(fx.s, &f, c, &fx.err));
	assert_int_equal(c[SG_SEV_CRITICAL] + c[SG_SEV_HIGH] + c[SG_SEV_MEDIUM], 5);
	f.waiver_mode = SG_WAIVERS_ONLY;
	OK(sg_store_findings_count(fx.s, &f, c, &fx.err));
	assert_int_equal(c[SG_SEV_CRITICAL] + c[SG_SEV_HIGH] + c[SG_SEV_MEDIUM], 0);
	/* A waived false positive is not open: not counted either way. */
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_finding_set_status(fx.s, w.f[1], SG_STATUS_OPEN, SG_STATUS_FALSE_POSITIVE, SG_EVENT_TRIAGED, "x",
				       T0, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	f = waiver_filter(&w, SG_WAIVERS_ONLY);
	OK(sg_store_findings_count(fx.s, &f, c, &fx.err));
	assert_int_equal(c[SG_SEV_HIGH], 1);
}

/* Only: waiver_id is the lowest covering exception among the waivers. */
static void test_findings_waivers_list(void **state)
{
	struct waiver_fixture w;
	struct sg_finding_filter f;
	struct wids l;
	long long only_rule[2];

	(void)state;
	seed_waivers(&w);
	f = waiver_filter(&w, SG_WAIVERS_ONLY);
	memset(&l, 0, sizeof(l));
	OK(sg_store_findings_list(fx.s, &f, collect_waived, &l, &fx.err));
	assert_int_equal(l.n, 3);
	/* Gravest first. */
	assert_int_equal(l.id[0], w.f[2]);
	assert_int_equal(waiver_of(&l, w.f[2]), w.e[2]);
	assert_int_equal(waiver_of(&l, w.f[0]), w.e[0]); /* e1 and e2 cover it: the lowest */
	assert_int_equal(waiver_of(&l, w.f[1]), w.e[1]);
	assert_int_equal(waiver_of(&l, w.f[4]), -1);

	/* Without e1 in the list, the rule's exception covers f1. */
	only_rule[0] = w.e[1];
	only_rule[1] = w.e[2];
	f.waivers = only_rule;
	f.n_waivers = 2;
	memset(&l, 0, sizeof(l));
	OK(sg_store_findings_list(fx.s, &f, collect_waived, &l, &fx.err));
	assert_int_equal(l.n, 3);
	assert_int_equal(waiver_of(&l, w.f[0]), w.e[1]);

	/* Exclude lists the uncovered, with no waiver id. */
	f = waiver_filter(&w, SG_WAIVERS_EXCLUDE);
	memset(&l, 0, sizeof(l));
	OK(sg_store_findings_list(fx.s, &f, collect_waived, &l, &fx.err));
	assert_int_equal(l.n, 2);
	assert_int_equal(l.id[0], w.f[4]);
	assert_int_equal(l.id[1], w.f[3]);
	assert_int_equal(l.waiver[0], 0);
	assert_int_equal(l.waiver[1], 0);

	/* A limit applies after the waiver filter. */
	f = waiver_filter(&w, SG_WAIVERS_ONLY);
	f.limit = 1;
	memset(&l, 0, sizeof(l));
	OK(sg_store_findings_list(fx.s, &f, collect_waived, &l, &fx.err));
	assert_int_equal(l.n, 1);
	assert_int_equal(l.id[0], w.f[2]);
}

/* one_severity, first_seen_until (at or before) and by_first_seen (oldest first). */
static void test_findings_sla_filters(void **state)
{
	struct sg_finding_filter f;
	struct wids l;
	long long c[SG_SEV_COUNT];
	long long h1, h2, cr, m1;

	(void)state;
	h1 = one_finding(SG_SEV_HIGH, "R", 1, T0).finding_id;
	cr = one_finding(SG_SEV_CRITICAL, "R", 2, T0 + 100).finding_id;
	h2 = one_finding(SG_SEV_HIGH, "R", 3, T0 + 200).finding_id;
	m1 = one_finding(SG_SEV_MEDIUM, "R", 4, T0 + 50).finding_id;

	memset(&f, 0, sizeof(f));
	f.product_id = fx.product;
	f.status = SG_STATUS_OPEN;
	f.min_severity = SG_SEV_HIGH;
	f.one_severity = 1;
	memset(&l, 0, sizeof(l));
	OK(sg_store_findings_list(fx.s, &f, collect_waived, &l, &fx.err));
	assert_int_equal(l.n, 2);
	assert_int_equal(l.id[0], h2); /* newest first */
	assert_int_equal(l.id[1], h1);
	assert_int_equal(l.first_seen_at[0], T0 + 200);
	assert_int_equal(l.first_seen_at[1], T0);
	OK(sg_store_findings_count(fx.s, &f, c, &fx.err));
	assert_int_equal(c[SG_SEV_HIGH], 2);
	assert_int_equal(c[SG_SEV_CRITICAL], 0);

	/* At or before the cutoff: the boundary is included. */
	f.first_seen_until = T0 + 199;
	memset(&l, 0, sizeof(l));
	OK(sg_store_findings_list(fx.s, &f, collect_waived, &l, &fx.err));
	assert_int_equal(l.n, 1);
	assert_int_equal(l.id[0], h1);
	f.first_seen_until = T0 + 200;
	OK(sg_store_findings_count(fx.s, &f, c, &fx.err));
	assert_int_equal(c[SG_SEV_HIGH], 2);
	f.first_seen_until = T0;
	OK(sg_store_findings_count(fx.s, &f, c, &fx.err));
	assert_int_equal(c[SG_SEV_HIGH], 1);

	/* Oldest first, over every severity at or above medium. */
	f.one_severity = 0;
	f.min_severity = SG_SEV_MEDIUM;
	f.first_seen_until = 0;
	f.by_first_seen = 1;
	memset(&l, 0, sizeof(l));
	OK(sg_store_findings_list(fx.s, &f, collect_waived, &l, &fx.err));
	assert_int_equal(l.n, 4);
	assert_int_equal(l.id[0], h1);
	assert_int_equal(l.id[1], m1);
	assert_int_equal(l.id[2], cr);
	assert_int_equal(l.id[3], h2);
	/* The first one only, with a limit. */
	f.limit = 1;
	memset(&l, 0, sizeof(l));
	OK(sg_store_findings_list(fx.s, &f, collect_waived, &l, &fx.err));
	assert_int_equal(l.n, 1);
	assert_int_equal(l.id[0], h1);
	/* Another ingest later does not move the first detection. */
	(void)one_finding(SG_SEV_HIGH, "R", 1, T0 + 900);
	f.limit = 0;
	f.one_severity = 1;
	f.min_severity = SG_SEV_HIGH;
	memset(&l, 0, sizeof(l));
	OK(sg_store_findings_list(fx.s, &f, collect_waived, &l, &fx.err));
	assert_int_equal(l.n, 2);
	assert_int_equal(l.id[0], h1);
	assert_int_equal(l.first_seen_at[0], T0);
}

/* ---- dependency analysis: SBOM components, VEX, the OSV database ---- */

#define M_DEC "2024-12-01T00:00:00Z"
#define T_DEC ((time_t)1733011200)
#define M_JAN "2025-01-01T00:00:00Z"
#define T_JAN ((time_t)1735689600)
#define M_FEB "2025-02-01T00:00:00Z"
#define T_FEB ((time_t)1738368000)
#define M_MAR "2025-03-01T00:00:00Z"
#define T_MAR ((time_t)1740787200)

#define AFF_LEFT_PAD "{\"package\":{\"ecosystem\":\"npm\",\"name\":\"left-pad\"},\"versions\":[\"1.0.0\"]}"
#define AFF_RIGHT_PAD "{\"package\":{\"ecosystem\":\"npm\",\"name\":\"right-pad\"},\"versions\":[\"2.0.0\"]}"
#define AFF_DEB12 "{\"package\":{\"ecosystem\":\"Debian:12\",\"name\":\"openssl\"}}"
#define AFF_DEB11 "{\"package\":{\"ecosystem\":\"Debian:11\",\"name\":\"openssl\"}}"
#define AFF_PYPI "{\"package\":{\"ecosystem\":\"PyPI\",\"name\":\"openssl\"}}"

static const struct sg_vuln_package PKG_LEFT[] = {{"npm", "npm", "left-pad", AFF_LEFT_PAD}};
static const struct sg_vuln_package PKG_RIGHT[] = {{"npm", "npm", "right-pad", AFF_RIGHT_PAD}};
static const struct sg_vuln_package PKG_BOTH_PADS[] = {
	{"npm", "npm", "left-pad", AFF_LEFT_PAD},
	{"npm", "npm", "right-pad", AFF_RIGHT_PAD},
};
static const struct sg_vuln_package PKG_DEB12[] = {{"Debian:12", "Debian", "openssl", AFF_DEB12}};
static const struct sg_vuln_package PKG_DEB11_PYPI[] = {
	{"Debian:11", "Debian", "openssl", AFF_DEB11},
	{"PyPI", "PyPI", "openssl", AFF_PYPI},
};
static const struct sg_vuln_package PKG_DEB_BOTH[] = {
	{"Debian:11", "Debian", "openssl", AFF_DEB11},
	{"Debian:12", "Debian", "openssl", AFF_DEB12},
};

/* A scan of kind sca (an SBOM) in an ingest of its own, inside the caller's transaction. */
static long long sca_scan_in(struct sg_store *s, long long product, const char *commit, const char *release,
			     const char *artifact, unsigned char digest_byte, time_t created_at)
{
	struct sg_scan_record r;
	long long id = 0;

	memset(&r, 0, sizeof(r));
	r.product_id = product;
	r.ingest_id = new_ingest(s, product, created_at);
	r.kind = "sca";
	r.tool = "syft";
	r.tool_version = "1.4.1";
	r.category = "";
	r.commit = commit;
	r.release = release;
	r.artifact_name = artifact;
	memset(r.artifact_sha256, digest_byte, sizeof(r.artifact_sha256));
	r.options = "";
	r.created_at = created_at;
	OK(sg_store_scan_insert(s, &r, &id, &fx.err));
	assert_true(id > 0);
	return id;
}

static long long sca_scan(long long product, const char *commit, const char *release, const char *artifact,
			  unsigned char digest_byte, time_t created_at)
{
	long long id;

	OK(sg_store_begin(fx.s, &fx.err));
	id = sca_scan_in(fx.s, product, commit, release, artifact, digest_byte, created_at);
	OK(sg_store_commit(fx.s, &fx.err));
	return id;
}

/* A component that can be matched: every field set. */
static struct sg_component_record npm_component(long long scan, const char *name, const char *version)
{
	struct sg_component_record c;

	memset(&c, 0, sizeof(c));
	c.scan_id = scan;
	c.ref = name;
	c.name = name;
	c.version = version;
	c.purl = "pkg:npm/left-pad@1.0.0?vcs_url=x";
	c.component = "pkg:npm/left-pad";
	c.ecosystem = "npm";
	c.package = name;
	c.type = "library";
	c.scope = "required";
	c.licenses = "MIT\nApache-2.0 OR BSD-3-Clause";
	c.depth = 2;
	return c;
}

static long long add_component(const struct sg_component_record *c)
{
	long long id = 0;

	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_component_insert(fx.s, c, &id, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	assert_true(id > 0);
	return id;
}

static void add_vex(long long scan, const char *vuln, const char *state, const char *justification,
		    const char *detail, const char *ref)
{
	struct sg_vex_record v;

	memset(&v, 0, sizeof(v));
	v.scan_id = scan;
	v.vuln = vuln;
	v.state = state;
	v.justification = justification;
	v.detail = detail;
	v.ref = ref;
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_vex_insert(fx.s, &v, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
}

/* Text copied out of a callback; "(null)" stands for NULL. */
static void copy_text(char *out, size_t size, const char *v)
{
	snprintf(out, size, "%s", v ? v : "(null)");
}

struct comp_copy {
	long long id, scan_id;
	char ref[32], name[32], version[32], purl[64], component[64], ecosystem[32], package[32], type[32],
		scope[32], licenses[64], unmatched[64];
	int depth;
};

struct comps {
	int n;
	struct comp_copy c[8];
	int stop_after; /* return 9 after this many; 0 never */
};

static int collect_component(void *ctx, const struct sg_component_record *c)
{
	struct comps *l = ctx;
	struct comp_copy *o;

	if (l->n < 8) {
		o = &l->c[l->n];
		o->id = c->id;
		o->scan_id = c->scan_id;
		copy_text(o->ref, sizeof(o->ref), c->ref);
		copy_text(o->name, sizeof(o->name), c->name);
		copy_text(o->version, sizeof(o->version), c->version);
		copy_text(o->purl, sizeof(o->purl), c->purl);
		copy_text(o->component, sizeof(o->component), c->component);
		copy_text(o->ecosystem, sizeof(o->ecosystem), c->ecosystem);
		copy_text(o->package, sizeof(o->package), c->package);
		copy_text(o->type, sizeof(o->type), c->type);
		copy_text(o->scope, sizeof(o->scope), c->scope);
		copy_text(o->licenses, sizeof(o->licenses), c->licenses);
		copy_text(o->unmatched, sizeof(o->unmatched), c->unmatched);
		o->depth = c->depth;
	}
	l->n++;
	return l->stop_after && l->n >= l->stop_after ? 9 : 0;
}

static struct comps components_of(long long scan)
{
	struct comps l;

	memset(&l, 0, sizeof(l));
	OK(sg_store_components_list(fx.s, scan, collect_component, &l, &fx.err));
	return l;
}

struct vex_copy {
	long long scan_id;
	char vuln[32], state[32], justification[48], detail[64], ref[32];
};

struct vexes {
	int n;
	struct vex_copy v[8];
	int stop_after;
};

static int collect_vex(void *ctx, const struct sg_vex_record *v)
{
	struct vexes *l = ctx;
	struct vex_copy *o;

	if (l->n < 8) {
		o = &l->v[l->n];
		o->scan_id = v->scan_id;
		copy_text(o->vuln, sizeof(o->vuln), v->vuln);
		copy_text(o->state, sizeof(o->state), v->state);
		copy_text(o->justification, sizeof(o->justification), v->justification);
		copy_text(o->detail, sizeof(o->detail), v->detail);
		copy_text(o->ref, sizeof(o->ref), v->ref);
	}
	l->n++;
	return l->stop_after && l->n >= l->stop_after ? 9 : 0;
}

static struct vexes vex_of(long long scan)
{
	struct vexes l;

	memset(&l, 0, sizeof(l));
	OK(sg_store_vex_list(fx.s, scan, collect_vex, &l, &fx.err));
	return l;
}

struct head_copy {
	long long product_id, scan_id;
	char product[32], commit[72], release[32], artifact[64];
};

struct heads {
	int n;
	struct head_copy h[8];
	int stop_after;
};

static int collect_head(void *ctx, const struct sg_sbom_head *h)
{
	struct heads *l = ctx;
	struct head_copy *o;

	if (l->n < 8) {
		o = &l->h[l->n];
		o->product_id = h->product_id;
		o->scan_id = h->scan_id;
		copy_text(o->product, sizeof(o->product), h->product);
		copy_text(o->commit, sizeof(o->commit), h->commit);
		copy_text(o->release, sizeof(o->release), h->release);
		copy_text(o->artifact, sizeof(o->artifact), h->artifact_name);
	}
	l->n++;
	return l->stop_after && l->n >= l->stop_after ? 9 : 0;
}

static struct heads heads_of(long long product)
{
	struct heads l;

	memset(&l, 0, sizeof(l));
	OK(sg_store_sbom_heads(fx.s, product, collect_head, &l, &fx.err));
	return l;
}

/* The head of a product in a list, or NULL. */
static const struct head_copy *head_of(const struct heads *l, long long product)
{
	int i;

	for (i = 0; i < l->n && i < 8; i++)
		if (l->h[i].product_id == product)
			return &l->h[i];
	return NULL;
}

/* A record with one severity, summary and digest; the test changes what it needs. */
static struct sg_vuln_record vuln_of(const char *osv_id, const char *modified, time_t modified_at,
				     const struct sg_vuln_package *packages, size_t n_packages)
{
	struct sg_vuln_record r;

	memset(&r, 0, sizeof(r));
	r.osv_id = osv_id;
	r.modified = modified;
	r.modified_at = modified_at;
	r.aliases = "";
	r.summary = "prototype pollution";
	r.severity = SG_SEV_HIGH;
	r.score = 75;
	r.severity_source = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N";
	memset(r.record_sha256, 0x3c, sizeof(r.record_sha256));
	r.imported_at = T0;
	r.packages = packages;
	r.n_packages = n_packages;
	return r;
}

static enum sg_vuln_upsert upsert(const struct sg_vuln_record *r)
{
	enum sg_vuln_upsert outcome = (enum sg_vuln_upsert)99;

	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_vuln_upsert(fx.s, r, &outcome, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	return outcome;
}

struct cand_copy {
	long long vuln_id;
	char osv_id[32], aliases[64], summary[64], severity_source[64], ecosystem[32], affected[128];
	int severity, score, withdrawn;
};

struct cands {
	int n;
	struct cand_copy c[8];
	int stop_after;
};

static int collect_candidate(void *ctx, const struct sg_vuln_candidate *c)
{
	struct cands *l = ctx;
	struct cand_copy *o;

	if (l->n < 8) {
		o = &l->c[l->n];
		o->vuln_id = c->vuln_id;
		copy_text(o->osv_id, sizeof(o->osv_id), c->osv_id);
		copy_text(o->aliases, sizeof(o->aliases), c->aliases);
		copy_text(o->summary, sizeof(o->summary), c->summary);
		copy_text(o->severity_source, sizeof(o->severity_source), c->severity_source);
		copy_text(o->ecosystem, sizeof(o->ecosystem), c->ecosystem);
		copy_text(o->affected, sizeof(o->affected), c->affected);
		o->severity = c->severity;
		o->score = c->score;
		o->withdrawn = c->withdrawn;
	}
	l->n++;
	return l->stop_after && l->n >= l->stop_after ? 9 : 0;
}

static struct cands candidates_of(const char *eco_base, const char *name)
{
	struct cands l;

	memset(&l, 0, sizeof(l));
	OK(sg_store_vuln_candidates(fx.s, eco_base, name, collect_candidate, &l, &fx.err));
	return l;
}

struct eco_counts {
	int n;
	char eco[8][32], newest[8][32];
	long long records[8], withdrawn[8];
	int stop_after;
};

static int collect_count(void *ctx, const struct sg_vulndb_count *c)
{
	struct eco_counts *l = ctx;

	if (l->n < 8) {
		copy_text(l->eco[l->n], sizeof(l->eco[0]), c->eco_base);
		copy_text(l->newest[l->n], sizeof(l->newest[0]), c->newest_modified);
		l->records[l->n] = c->records;
		l->withdrawn[l->n] = c->withdrawn;
	}
	l->n++;
	return l->stop_after && l->n >= l->stop_after ? 9 : 0;
}

static struct eco_counts vulndb_counts(void)
{
	struct eco_counts l;

	memset(&l, 0, sizeof(l));
	OK(sg_store_vulndb_counts(fx.s, collect_count, &l, &fx.err));
	return l;
}

struct named {
	size_t n;
	long long id[8];
};

static struct named vulns_named(const char *name, size_t max)
{
	struct named l;

	memset(&l, 0, sizeof(l));
	assert_true(max <= 8);
	l.n = 77;
	OK(sg_store_vuln_ids_named(fx.s, name, l.id, max, &l.n, &fx.err));
	return l;
}

static int named_has(const struct named *l, long long id)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->id[i] == id)
			return 1;
	return 0;
}

/* The id a name leads to, when it leads to exactly one record. */
static long long vuln_id(const char *name)
{
	struct named l = vulns_named(name, 8);

	assert_int_equal(l.n, 1);
	return l.id[0];
}

/* Components come back as inserted: every field, NULLs as NULLs, in insertion order, per scan. */
static void test_components_round_trip(void **state)
{
	struct sg_component_record full, bare, other;
	struct comps l;
	long long s1, s2, id_full, id_bare, id_other;

	(void)state;
	s1 = sca_scan(fx.product, COMMIT_A, NULL, "bom.json", 1, T0);
	s2 = sca_scan(fx.product, COMMIT_B, NULL, "bom2.json", 2, T0 + 1);
	full = npm_component(s1, "left-pad", "1.0.0");
	memset(&bare, 0, sizeof(bare));
	bare.scan_id = s1;
	bare.name = "vendored-zlib";
	bare.type = "file";
	bare.scope = "optional";
	bare.unmatched = "no purl";
	other = npm_component(s2, "right-pad", "2.0.0");
	other.depth = 0;

	id_full = add_component(&full);
	id_bare = add_component(&bare);
	id_other = add_component(&other);
	assert_true(id_full != id_bare && id_bare != id_other);

	l = components_of(s1);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.c[0].id, id_full);
	assert_int_equal(l.c[0].scan_id, s1);
	assert_string_equal(l.c[0].ref, "left-pad");
	assert_string_equal(l.c[0].name, "left-pad");
	assert_string_equal(l.c[0].version, "1.0.0");
	assert_string_equal(l.c[0].purl, "pkg:npm/left-pad@1.0.0?vcs_url=x");
	assert_string_equal(l.c[0].component, "pkg:npm/left-pad");
	assert_string_equal(l.c[0].ecosystem, "npm");
	assert_string_equal(l.c[0].package, "left-pad");
	assert_string_equal(l.c[0].type, "library");
	assert_string_equal(l.c[0].scope, "required");
	assert_string_equal(l.c[0].licenses, "MIT\nApache-2.0 OR BSD-3-Clause");
	assert_int_equal(l.c[0].depth, 2);
	assert_string_equal(l.c[0].unmatched, "(null)");

	assert_int_equal(l.c[1].id, id_bare);
	assert_int_equal(l.c[1].scan_id, s1);
	assert_string_equal(l.c[1].ref, "(null)");
	assert_string_equal(l.c[1].name, "vendored-zlib");
	assert_string_equal(l.c[1].version, "(null)");
	assert_string_equal(l.c[1].purl, "(null)");
	assert_string_equal(l.c[1].component, "(null)");
	assert_string_equal(l.c[1].ecosystem, "(null)");
	assert_string_equal(l.c[1].package, "(null)");
	assert_string_equal(l.c[1].type, "file");
	assert_string_equal(l.c[1].scope, "optional");
	assert_string_equal(l.c[1].licenses, "(null)");
	assert_int_equal(l.c[1].depth, 0);
	assert_string_equal(l.c[1].unmatched, "no purl");

	/* The other scan's own. */
	l = components_of(s2);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.c[0].id, id_other);
	assert_string_equal(l.c[0].name, "right-pad");
	assert_int_equal(l.c[0].depth, 0);
	/* A scan without components, and no scan at all. */
	assert_int_equal(components_of(s2 + 1000).n, 0);
	assert_int_equal(components_of(0).n, 0);
}

/* VEX statements per scan, in insertion order, NULLs kept. */
static void test_vex_round_trip(void **state)
{
	struct vexes l;
	long long s1, s2;

	(void)state;
	s1 = sca_scan(fx.product, NULL, NULL, "bom.json", 1, T0);
	s2 = sca_scan(fx.product, NULL, NULL, "bom2.json", 2, T0 + 1);
	add_vex(s1, "CVE-2024-0001", "not_affected", "code_not_reachable", "only in tests", "left-pad");
	add_vex(s2, "GHSA-aaaa-bbbb-cccc", "fixed", NULL, NULL, "right-pad");
	add_vex(s1, "CVE-2024-0002", "in_triage", NULL, NULL, "pkg:npm/left-pad@1.0.0");

	l = vex_of(s1);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].scan_id, s1);
	assert_string_equal(l.v[0].vuln, "CVE-2024-0001");
	assert_string_equal(l.v[0].state, "not_affected");
	assert_string_equal(l.v[0].justification, "code_not_reachable");
	assert_string_equal(l.v[0].detail, "only in tests");
	assert_string_equal(l.v[0].ref, "left-pad");
	assert_string_equal(l.v[1].vuln, "CVE-2024-0002");
	assert_string_equal(l.v[1].state, "in_triage");
	assert_string_equal(l.v[1].justification, "(null)");
	assert_string_equal(l.v[1].detail, "(null)");
	assert_string_equal(l.v[1].ref, "pkg:npm/left-pad@1.0.0");

	l = vex_of(s2);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.v[0].scan_id, s2);
	assert_string_equal(l.v[0].vuln, "GHSA-aaaa-bbbb-cccc");
	assert_string_equal(l.v[0].state, "fixed");
	assert_int_equal(vex_of(s2 + 1000).n, 0);
}

/* "The newest SBOM scan of each product (product_id 0), or of one": scans of
 * other kinds and products without an SBOM do not count. */
static void test_sbom_heads(void **state)
{
	const struct head_copy *h;
	struct heads l;
	long long s2, s3, quiet = 0;

	(void)state;
	(void)sca_scan(fx.product, COMMIT_A, NULL, "bom-1.json", 1, T0);
	OK(sg_store_begin(fx.s, &fx.err));
	(void)new_scan(fx.s, fx.product, new_ingest(fx.s, fx.product, T0 + 5), "sast", "Semgrep", "", COMMIT_A, 9,
		       T0 + 5);
	OK(sg_store_product_ensure(fx.s, "quiet", T0, &quiet, &fx.err));
	(void)new_scan(fx.s, quiet, new_ingest(fx.s, quiet, T0 + 6), "sast", "Semgrep", "", NULL, 8, T0 + 6);
	OK(sg_store_commit(fx.s, &fx.err));
	s2 = sca_scan(fx.product, COMMIT_B, "2.0", "bom-2.cdx.json", 2, T0 + 10);
	s3 = sca_scan(fx.other_product, NULL, NULL, "other.spdx.json", 3, T0 + 20);
	OK(sg_store_begin(fx.s, &fx.err));
	(void)new_scan(fx.s, fx.other_product, new_ingest(fx.s, fx.other_product, T0 + 30), "sast", "Semgrep", "",
		       NULL, 7, T0 + 30);
	OK(sg_store_commit(fx.s, &fx.err));

	l = heads_of(0);
	assert_int_equal(l.n, 2);
	h = head_of(&l, fx.product);
	assert_non_null(h);
	assert_int_equal(h->scan_id, s2);
	assert_string_equal(h->product, "shop");
	assert_string_equal(h->commit, COMMIT_B);
	assert_string_equal(h->release, "2.0");
	assert_string_equal(h->artifact, "bom-2.cdx.json");
	h = head_of(&l, fx.other_product);
	assert_non_null(h);
	assert_int_equal(h->scan_id, s3);
	assert_string_equal(h->product, "other");
	assert_string_equal(h->commit, "(null)");
	assert_string_equal(h->release, "(null)");
	assert_string_equal(h->artifact, "other.spdx.json");
	assert_null(head_of(&l, quiet));

	/* One product. */
	l = heads_of(fx.product);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.h[0].product_id, fx.product);
	assert_int_equal(l.h[0].scan_id, s2);
	l = heads_of(fx.other_product);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.h[0].scan_id, s3);
	assert_int_equal(heads_of(quiet).n, 0);
	assert_int_equal(heads_of(quiet + 1000).n, 0);
}

/* "Name the tool of a scan once it is known": the scan (and only it) changes. */
static void test_scan_set_tool(void **state)
{
	struct sg_gate_scan g;
	struct digests before, after, again;
	long long s1, s2;

	(void)state;
	s1 = sca_scan(fx.product, COMMIT_A, NULL, "bom.json", 1, T0);
	s2 = sca_scan(fx.other_product, COMMIT_A, NULL, "bom.json", 1, T0);
	before = digests_of(SG_OBJ_INGEST, 0);
	assert_int_equal(before.n, 2);

	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_scan_set_tool(fx.s, s1, "cyclonedx-npm", "4.0.0", &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	OK(sg_store_scan_newest(fx.s, fx.product, "sca", NULL, &g, &fx.err));
	assert_int_equal(g.found, 1);
	assert_int_equal(g.id, s1);
	assert_string_equal(g.tool, "cyclonedx-npm");
	OK(sg_store_scan_newest(fx.s, fx.other_product, "sca", NULL, &g, &fx.err));
	assert_int_equal(g.id, s2);
	assert_string_equal(g.tool, "syft");
	/* The ingest's audited state follows (it holds tool and tool_version);
	 * the other ingest's does not move. */
	after = digests_of(SG_OBJ_INGEST, 0);
	assert_int_equal(after.n, 2);
	assert_memory_not_equal(after.d[0], before.d[0], SG_DIGEST_BYTES);
	assert_memory_equal(after.d[1], before.d[1], SG_DIGEST_BYTES);

	/* No version: a change of its own, and the same state again when set back. */
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_scan_set_tool(fx.s, s1, "cyclonedx-npm", NULL, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	again = digests_of(SG_OBJ_INGEST, 0);
	assert_memory_not_equal(again.d[0], after.d[0], SG_DIGEST_BYTES);
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_scan_set_tool(fx.s, s1, "cyclonedx-npm", "4.0.0", &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	again = digests_of(SG_OBJ_INGEST, 0);
	assert_memory_equal(again.d[0], after.d[0], SG_DIGEST_BYTES);
}

/*
 * "Add the record, or replace the stored one when this one's modified is
 * later; else leave it": ADDED, then UNCHANGED for as old or older, UPDATED
 * for newer, and an update replaces the packages and aliases.
 */
static void test_vuln_upsert(void **state)
{
	struct sg_vuln_record r;
	struct cands c;
	struct named n;
	long long id;

	(void)state;
	r = vuln_of("GHSA-pad1-0000-0001", M_FEB, T_FEB, PKG_LEFT, 1);
	r.aliases = "CVE-2025-0001\nCVE-2025-0002";
	assert_int_equal(upsert(&r), SG_VULN_ADDED);
	id = vuln_id("GHSA-pad1-0000-0001");
	assert_int_equal(vuln_id("CVE-2025-0001"), id);
	assert_int_equal(vuln_id("CVE-2025-0002"), id);

	/* As new (equal modified) and older: left as it was, whatever they hold. */
	r = vuln_of("GHSA-pad1-0000-0001", M_FEB, T_FEB, PKG_RIGHT, 1);
	r.aliases = "CVE-2025-0009";
	r.summary = "as new";
	assert_int_equal(upsert(&r), SG_VULN_UNCHANGED);
	r = vuln_of("GHSA-pad1-0000-0001", M_JAN, T_JAN, PKG_RIGHT, 1);
	r.aliases = "CVE-2025-0009";
	r.summary = "older";
	assert_int_equal(upsert(&r), SG_VULN_UNCHANGED);
	c = candidates_of("npm", "left-pad");
	assert_int_equal(c.n, 1);
	assert_string_equal(c.c[0].summary, "prototype pollution");
	assert_string_equal(c.c[0].aliases, "CVE-2025-0001\nCVE-2025-0002");
	assert_int_equal(candidates_of("npm", "right-pad").n, 0);
	assert_int_equal(vulns_named("CVE-2025-0009", 8).n, 0);

	/* Newer: every field replaced; packages and aliases are the new ones only. */
	r = vuln_of("GHSA-pad1-0000-0001", M_MAR, T_MAR, PKG_RIGHT, 1);
	r.aliases = "CVE-2025-0003";
	r.summary = NULL;
	r.severity = SG_SEV_CRITICAL;
	r.score = 98;
	r.severity_source = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
	r.withdrawn = 1;
	assert_int_equal(upsert(&r), SG_VULN_UPDATED);
	assert_int_equal(candidates_of("npm", "left-pad").n, 0);
	c = candidates_of("npm", "right-pad");
	assert_int_equal(c.n, 1);
	assert_string_equal(c.c[0].osv_id, "GHSA-pad1-0000-0001");
	assert_string_equal(c.c[0].aliases, "CVE-2025-0003");
	assert_string_equal(c.c[0].summary, "(null)");
	assert_int_equal(c.c[0].severity, SG_SEV_CRITICAL);
	assert_int_equal(c.c[0].score, 98);
	assert_string_equal(c.c[0].severity_source, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
	assert_int_equal(c.c[0].withdrawn, 1);
	assert_string_equal(c.c[0].ecosystem, "npm");
	assert_string_equal(c.c[0].affected, AFF_RIGHT_PAD);
	assert_int_equal(vulns_named("CVE-2025-0001", 8).n, 0);
	assert_int_equal(vulns_named("CVE-2025-0002", 8).n, 0);
	assert_int_equal(vulns_named("CVE-2025-0009", 8).n, 0);
	n = vulns_named("CVE-2025-0003", 8);
	assert_int_equal(n.n, 1);
	assert_int_equal(n.id[0], vuln_id("GHSA-pad1-0000-0001"));
	/* Still one record. */
	{
		struct eco_counts k = vulndb_counts();
		assert_int_equal(k.n, 1);
		assert_int_equal(k.records[0], 1);
		assert_string_equal(k.newest[0], M_MAR);
	}
	/* The stored one is now as of March: February is older. */
	r = vuln_of("GHSA-pad1-0000-0001", M_FEB, T_FEB, PKG_LEFT, 1);
	assert_int_equal(upsert(&r), SG_VULN_UNCHANGED);
	assert_int_equal(candidates_of("npm", "left-pad").n, 0);

	/* An update with no aliases and no packages leaves none. */
	r = vuln_of("GHSA-pad1-0000-0001", "2025-04-01T00:00:00Z", T_MAR + 86400 * 31, NULL, 0);
	assert_int_equal(upsert(&r), SG_VULN_UPDATED);
	assert_int_equal(candidates_of("npm", "right-pad").n, 0);
	assert_int_equal(vulns_named("CVE-2025-0003", 8).n, 0);
	(void)vuln_id("GHSA-pad1-0000-0001"); /* still exactly one record by that id */
}

/*
 * Four records over npm, Debian and PyPI: V1 npm left-pad and right-pad, V2
 * Debian:12 openssl (withdrawn, no severity, score or summary), V3 Debian:11
 * and PyPI openssl, V4 npm left-pad (withdrawn), V5 Debian:11 and Debian:12
 * openssl (two entries of one package), V6 no packages at all.
 */
static void seed_vulndb(long long v[6])
{
	struct sg_vuln_record r;
	static const char *const ids[6] = {"GHSA-v1", "DSA-v2", "OSV-v3", "GHSA-v4", "DSA-v5", "GHSA-v6"};
	int i;

	r = vuln_of("GHSA-v1", M_JAN, T_JAN, PKG_BOTH_PADS, 2);
	r.aliases = "CVE-2025-1111";
	assert_int_equal(upsert(&r), SG_VULN_ADDED);
	r = vuln_of("DSA-v2", M_FEB, T_FEB, PKG_DEB12, 1);
	r.withdrawn = 1;
	r.summary = NULL;
	r.severity = -1;
	r.score = -1;
	r.severity_source = NULL;
	assert_int_equal(upsert(&r), SG_VULN_ADDED);
	r = vuln_of("OSV-v3", M_DEC, T_DEC, PKG_DEB11_PYPI, 2);
	r.severity = SG_SEV_INFO;
	r.score = 0;
	assert_int_equal(upsert(&r), SG_VULN_ADDED);
	r = vuln_of("GHSA-v4", M_MAR, T_MAR, PKG_LEFT, 1);
	r.withdrawn = 1;
	assert_int_equal(upsert(&r), SG_VULN_ADDED);
	r = vuln_of("DSA-v5", M_JAN, T_JAN, PKG_DEB_BOTH, 2);
	assert_int_equal(upsert(&r), SG_VULN_ADDED);
	r = vuln_of("GHSA-v6", M_MAR, T_MAR, NULL, 0);
	r.withdrawn = 1;
	assert_int_equal(upsert(&r), SG_VULN_ADDED);
	for (i = 0; i < 6; i++)
		v[i] = vuln_id(ids[i]);
}

/* Candidates: by eco_base and exact name, withdrawn ones included, in record id order. */
static void test_vuln_candidates(void **state)
{
	struct cands c;
	long long v[6];
	int i, deb11 = 0, deb12 = 0;

	(void)state;
	seed_vulndb(v);
	c = candidates_of("npm", "left-pad");
	assert_int_equal(c.n, 2);
	assert_true(c.c[0].vuln_id < c.c[1].vuln_id);
	assert_int_equal(c.c[0].vuln_id, v[0]);
	assert_string_equal(c.c[0].osv_id, "GHSA-v1");
	assert_string_equal(c.c[0].aliases, "CVE-2025-1111");
	assert_string_equal(c.c[0].summary, "prototype pollution");
	assert_int_equal(c.c[0].severity, SG_SEV_HIGH);
	assert_int_equal(c.c[0].score, 75);
	assert_int_equal(c.c[0].withdrawn, 0);
	assert_string_equal(c.c[0].ecosystem, "npm");
	assert_string_equal(c.c[0].affected, AFF_LEFT_PAD); /* that package's entry, not the other's */
	assert_int_equal(c.c[1].vuln_id, v[3]);
	assert_string_equal(c.c[1].osv_id, "GHSA-v4");
	assert_int_equal(c.c[1].withdrawn, 1);
	assert_string_equal(c.c[1].aliases, "");

	c = candidates_of("npm", "right-pad");
	assert_int_equal(c.n, 1);
	assert_int_equal(c.c[0].vuln_id, v[0]);
	assert_string_equal(c.c[0].affected, AFF_RIGHT_PAD);

	/* Debian: every release's entries, by the ecosystem's base. */
	c = candidates_of("Debian", "openssl");
	assert_int_equal(c.n, 4);
	assert_int_equal(c.c[0].vuln_id, v[1]);
	assert_string_equal(c.c[0].ecosystem, "Debian:12");
	assert_string_equal(c.c[0].affected, AFF_DEB12);
	assert_int_equal(c.c[0].withdrawn, 1);
	assert_int_equal(c.c[0].severity, -1); /* "or -1 when the record gives none" */
	assert_int_equal(c.c[0].score, -1);
	assert_string_equal(c.c[0].summary, "(null)");
	assert_int_equal(c.c[1].vuln_id, v[2]);
	assert_string_equal(c.c[1].ecosystem, "Debian:11");
	assert_string_equal(c.c[1].affected, AFF_DEB11);
	assert_int_equal(c.c[1].severity, SG_SEV_INFO); /* 0 is a severity, not "none" */
	assert_int_equal(c.c[1].score, 0);
	/* One record with two entries for the package: one candidate per entry. */
	for (i = 2; i < 4; i++) {
		assert_int_equal(c.c[i].vuln_id, v[4]);
		if (strcmp(c.c[i].ecosystem, "Debian:11") == 0) {
			deb11++;
			assert_string_equal(c.c[i].affected, AFF_DEB11);
		} else if (strcmp(c.c[i].ecosystem, "Debian:12") == 0) {
			deb12++;
			assert_string_equal(c.c[i].affected, AFF_DEB12);
		}
	}
	assert_int_equal(deb11, 1);
	assert_int_equal(deb12, 1);

	c = candidates_of("PyPI", "openssl");
	assert_int_equal(c.n, 1);
	assert_int_equal(c.c[0].vuln_id, v[2]);
	assert_string_equal(c.c[0].affected, AFF_PYPI);

	/* Exact matches only: no prefix, no other ecosystem, no full ecosystem name. */
	assert_int_equal(candidates_of("npm", "left").n, 0);
	assert_int_equal(candidates_of("npm", "left-pad-extra").n, 0);
	assert_int_equal(candidates_of("npm", "openssl").n, 0);
	assert_int_equal(candidates_of("PyPI", "left-pad").n, 0);
	assert_int_equal(candidates_of("Debian:12", "openssl").n, 0);
	assert_int_equal(candidates_of("Maven", "openssl").n, 0);
}

/* Per ecosystem base, in its order: records with a package of it (each
 * once), withdrawn ones, and the newest modified. */
static void test_vulndb_counts(void **state)
{
	struct eco_counts k;
	long long v[6];

	(void)state;
	assert_int_equal(vulndb_counts().n, 0);
	seed_vulndb(v);
	k = vulndb_counts();
	assert_int_equal(k.n, 3);
	assert_string_equal(k.eco[0], "Debian");
	assert_int_equal(k.records[0], 3); /* v2, v3, v5 (two entries, one record) */
	assert_int_equal(k.withdrawn[0], 1);
	assert_string_equal(k.newest[0], M_FEB);
	assert_string_equal(k.eco[1], "PyPI");
	assert_int_equal(k.records[1], 1);
	assert_int_equal(k.withdrawn[1], 0);
	assert_string_equal(k.newest[1], M_DEC);
	assert_string_equal(k.eco[2], "npm");
	assert_int_equal(k.records[2], 2); /* v1 (two npm packages, one record) and v4 */
	assert_int_equal(k.withdrawn[2], 1);
	assert_string_equal(k.newest[2], M_MAR);

	/* An update that withdraws v1 moves npm's counts. */
	{
		struct sg_vuln_record r = vuln_of("GHSA-v1", "2025-04-01T00:00:00Z", T_MAR + 86400 * 31, PKG_LEFT, 1);
		r.withdrawn = 1;
		assert_int_equal(upsert(&r), SG_VULN_UPDATED);
	}
	k = vulndb_counts();
	assert_int_equal(k.n, 3);
	assert_string_equal(k.eco[2], "npm");
	assert_int_equal(k.records[2], 2);
	assert_int_equal(k.withdrawn[2], 2);
	assert_string_equal(k.newest[2], "2025-04-01T00:00:00Z");
}

/* "Does a record with this id, or with this alias, exist? The record ids (up to max)." */
static void test_vuln_ids_named(void **state)
{
	struct sg_vuln_record r;
	struct named n;
	long long ghsa, pysec, self;

	(void)state;
	r = vuln_of("GHSA-xxxx-0001", M_JAN, T_JAN, PKG_LEFT, 1);
	r.aliases = "CVE-2025-7777\n\nPYSEC-2025-1\n"; /* an empty line and a trailing newline */
	assert_int_equal(upsert(&r), SG_VULN_ADDED);
	r = vuln_of("PYSEC-2025-1", M_JAN, T_JAN, PKG_DEB11_PYPI, 2);
	r.aliases = "CVE-2025-7777\nGHSA-xxxx-0001";
	assert_int_equal(upsert(&r), SG_VULN_ADDED);
	r = vuln_of("OSV-self", M_JAN, T_JAN, NULL, 0);
	r.aliases = "OSV-self"; /* names itself: still one record */
	assert_int_equal(upsert(&r), SG_VULN_ADDED);

	n = vulns_named("GHSA-xxxx-0001", 8); /* its id, and the other's alias */
	assert_int_equal(n.n, 2);
	ghsa = n.id[0] < n.id[1] ? n.id[0] : n.id[1];
	pysec = n.id[0] < n.id[1] ? n.id[1] : n.id[0];
	assert_true(ghsa != pysec);
	n = vulns_named("CVE-2025-7777", 8);
	assert_int_equal(n.n, 2);
	assert_true(named_has(&n, ghsa));
	assert_true(named_has(&n, pysec));
	n = vulns_named("PYSEC-2025-1", 8);
	assert_int_equal(n.n, 2);
	self = vuln_id("OSV-self");
	assert_true(self != ghsa && self != pysec);

	/* Up to max. */
	n = vulns_named("CVE-2025-7777", 1);
	assert_int_equal(n.n, 1);
	assert_true(n.id[0] == ghsa || n.id[0] == pysec);
	assert_int_equal(vulns_named("CVE-2025-7777", 0).n, 0);

	/* Nothing by that name; names are exact. */
	assert_int_equal(vulns_named("CVE-2025-7778", 8).n, 0);
	assert_int_equal(vulns_named("CVE-2025-777", 8).n, 0);
	assert_int_equal(vulns_named("", 8).n, 0);
}

/* A sighting's component is stored and returned by findings_list and finding_get. */
static struct sg_sighting_outcome sight_component(struct sg_store *s, const struct sg_view *v, long long ingest,
						  long long scan, int base_n, enum sg_severity sev, const char *rule,
						  const char *component, time_t now)
{
	unsigned char base[SG_FINGERPRINT_BYTES];
	struct sg_sighting in;
	struct sg_sighting_outcome out;

	make_base(base, base_n);
	memset(&in, 0, sizeof(in));
	in.rule = rule;
	in.tool_severity = sev;
	in.severity = sev;
	in.message = "a vulnerable dependency";
	in.component = component;
	memset(&out, 0, sizeof(out));
	OK(sg_store_finding_sight(s, v, ingest, scan, base, &in, now, &out, &fx.err));
	assert_true(out.finding_id > 0);
	return out;
}

struct comp_of_findings {
	int n;
	long long id[8];
	char component[8][64];
};

static int collect_finding_component(void *ctx, const struct sg_finding *f)
{
	struct comp_of_findings *l = ctx;

	if (l->n < 8) {
		l->id[l->n] = f->id;
		copy_text(l->component[l->n], sizeof(l->component[0]), f->component);
	}
	l->n++;
	return 0;
}

static const char *component_in(const struct comp_of_findings *l, long long id)
{
	int i;

	for (i = 0; i < l->n && i < 8; i++)
		if (l->id[i] == id)
			return l->component[i];
	return "(absent)";
}

static void test_finding_component(void **state)
{
	struct sg_view sca = view_of(fx.product, "sca", "shipgate", "");
	struct sg_view sast = view_of(fx.product, "sast", "Semgrep", "");
	struct sg_sighting_outcome a, b, again;
	struct comp_of_findings l;
	struct sg_finding_filter f;
	long long i, s;

	(void)state;
	OK(sg_store_begin(fx.s, &fx.err));
	i = new_ingest(fx.s, fx.product, T0);
	s = sca_scan_in(fx.s, fx.product, NULL, NULL, "bom.json", 1, T0);
	a = sight_component(fx.s, &sca, i, s, 1, SG_SEV_HIGH, "GHSA-v1", "pkg:npm/left-pad", T0);
	s = new_scan(fx.s, fx.product, i, "sast", "Semgrep", "", NULL, 2, T0);
	b = sight(fx.s, &sast, i, s, 2, SG_SEV_HIGH, "R1", T0);
	OK(sg_store_commit(fx.s, &fx.err));

	memset(&l, 0, sizeof(l));
	OK(sg_store_finding_get(fx.s, a.finding_id, collect_finding_component, &l, &fx.err));
	assert_int_equal(l.n, 1);
	assert_string_equal(l.component[0], "pkg:npm/left-pad");
	memset(&l, 0, sizeof(l));
	OK(sg_store_finding_get(fx.s, b.finding_id, collect_finding_component, &l, &fx.err));
	assert_string_equal(l.component[0], "(null)");

	memset(&f, 0, sizeof(f));
	f.product_id = fx.product;
	f.status = SG_STATUS_OPEN;
	memset(&l, 0, sizeof(l));
	OK(sg_store_findings_list(fx.s, &f, collect_finding_component, &l, &fx.err));
	assert_int_equal(l.n, 2);
	assert_string_equal(component_in(&l, a.finding_id), "pkg:npm/left-pad");
	assert_string_equal(component_in(&l, b.finding_id), "(null)");
	/* And through the filtered path (a waiver mode). */
	f.waiver_mode = SG_WAIVERS_EXCLUDE;
	f.one_severity = 1;
	f.min_severity = SG_SEV_HIGH;
	memset(&l, 0, sizeof(l));
	OK(sg_store_findings_list(fx.s, &f, collect_finding_component, &l, &fx.err));
	assert_int_equal(l.n, 2);
	assert_string_equal(component_in(&l, a.finding_id), "pkg:npm/left-pad");

	/* A later sighting of the same finding keeps it. */
	OK(sg_store_begin(fx.s, &fx.err));
	i = new_ingest(fx.s, fx.product, T0 + 60);
	s = sca_scan_in(fx.s, fx.product, NULL, NULL, "bom.json", 3, T0 + 60);
	again = sight_component(fx.s, &sca, i, s, 1, SG_SEV_HIGH, "GHSA-v1", "pkg:npm/left-pad", T0 + 60);
	OK(sg_store_commit(fx.s, &fx.err));
	assert_int_equal(again.finding_id, a.finding_id);
	assert_int_equal(again.is_new, 0);
	memset(&l, 0, sizeof(l));
	OK(sg_store_finding_get(fx.s, a.finding_id, collect_finding_component, &l, &fx.err));
	assert_string_equal(l.component[0], "pkg:npm/left-pad");
}

/* A component-scope request of `product`. */
static long long request_component(const char *component, long long product, long long requester, time_t now)
{
	struct sg_exception_request r;
	long long id = 0;

	memset(&r, 0, sizeof(r));
	r.scope = SG_SCOPE_COMPONENT;
	r.component = component;
	r.product_id = product;
	r.reason = "not reachable from our code";
	r.expires_on = "2026-01-31";
	r.expires_at = (time_t)1769817600;
	r.requester_id = requester;
	r.requested_at = now;
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_exception_insert(fx.s, &r, &id, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	assert_true(id > 0);
	return id;
}

/*
 * "component-scope exceptions waive findings whose component equals the
 * exception's component": f1 (high) and f2 (critical) in pkg:npm/left-pad,
 * f3 (high) in pkg:npm/right-pad, f4 (low) in pkg:npm/left-pad-extra, f5
 * (high) a SAST finding with no component. e1 covers left-pad, e2 right-pad.
 */
static void test_component_waiver(void **state)
{
	struct sg_view sca = view_of(fx.product, "sca", "shipgate", "");
	struct sg_view sast = view_of(fx.product, "sast", "Semgrep", "");
	struct sg_finding_filter f;
	struct wids l;
	long long fid[5], e1, e2, ana, i, s, waivers[2], c[SG_SEV_COUNT];

	(void)state;
	ana = add_user("ana", SG_ROLE_DEVELOPER, T0);
	OK(sg_store_begin(fx.s, &fx.err));
	i = new_ingest(fx.s, fx.product, T0);
	s = sca_scan_in(fx.s, fx.product, NULL, NULL, "bom.json", 1, T0);
	fid[0] = sight_component(fx.s, &sca, i, s, 1, SG_SEV_HIGH, "GHSA-1", "pkg:npm/left-pad", T0).finding_id;
	fid[1] = sight_component(fx.s, &sca, i, s, 2, SG_SEV_CRITICAL, "GHSA-2", "pkg:npm/left-pad", T0).finding_id;
	fid[2] = sight_component(fx.s, &sca, i, s, 3, SG_SEV_HIGH, "GHSA-3", "pkg:npm/right-pad", T0).finding_id;
	fid[3] = sight_component(fx.s, &sca, i, s, 4, SG_SEV_LOW, "GHSA-4", "pkg:npm/left-pad-extra", T0).finding_id;
	s = new_scan(fx.s, fx.product, i, "sast", "Semgrep", "", NULL, 2, T0);
	fid[4] = sight(fx.s, &sast, i, s, 5, SG_SEV_HIGH, "R1", T0).finding_id;
	OK(sg_store_commit(fx.s, &fx.err));
	e1 = request_component("pkg:npm/left-pad", fx.product, ana, T0);
	e2 = request_component("pkg:npm/right-pad", fx.product, ana, T0);
	waivers[0] = e1;
	waivers[1] = e2;

	memset(&f, 0, sizeof(f));
	f.product_id = fx.product;
	f.status = SG_STATUS_OPEN;
	f.min_severity = SG_SEV_INFO;
	f.waivers = waivers;
	f.n_waivers = 1; /* e1 only */

	/* Exclude: left-pad's two go; right-pad's (e2 is not a waiver), the
	 * look-alike and the finding without a component stay. */
	f.waiver_mode = SG_WAIVERS_EXCLUDE;
	OK(sg_store_findings_count(fx.s, &f, c, &fx.err));
	assert_int_equal(c[SG_SEV_CRITICAL], 0);
	assert_int_equal(c[SG_SEV_HIGH], 2);
	assert_int_equal(c[SG_SEV_LOW], 1);
	assert_int_equal(c[SG_SEV_MEDIUM] + c[SG_SEV_INFO], 0);
	memset(&l, 0, sizeof(l));
	OK(sg_store_findings_list(fx.s, &f, collect_waived, &l, &fx.err));
	assert_int_equal(l.n, 3);
	assert_int_equal(waiver_of(&l, fid[2]), 0);
	assert_int_equal(waiver_of(&l, fid[3]), 0);
	assert_int_equal(waiver_of(&l, fid[4]), 0);
	assert_int_equal(waiver_of(&l, fid[0]), -1);
	assert_int_equal(waiver_of(&l, fid[1]), -1);

	/* Only: the two, gravest first, waived by e1. */
	f.waiver_mode = SG_WAIVERS_ONLY;
	OK(sg_store_findings_count(fx.s, &f, c, &fx.err));
	assert_int_equal(c[SG_SEV_CRITICAL], 1);
	assert_int_equal(c[SG_SEV_HIGH], 1);
	assert_int_equal(c[SG_SEV_LOW], 0);
	memset(&l, 0, sizeof(l));
	OK(sg_store_findings_list(fx.s, &f, collect_waived, &l, &fx.err));
	assert_int_equal(l.n, 2);
	assert_int_equal(l.id[0], fid[1]);
	assert_int_equal(l.id[1], fid[0]);
	assert_int_equal(l.waiver[0], e1);
	assert_int_equal(l.waiver[1], e1);

	/* With e2 a waiver too, right-pad's finding is waived by it. */
	f.n_waivers = 2;
	memset(&l, 0, sizeof(l));
	OK(sg_store_findings_list(fx.s, &f, collect_waived, &l, &fx.err));
	assert_int_equal(l.n, 3);
	assert_int_equal(waiver_of(&l, fid[2]), e2);
	assert_int_equal(waiver_of(&l, fid[0]), e1);
	assert_int_equal(waiver_of(&l, fid[3]), -1);

	/* "And none of these covers it": a lapsed component waiver. */
	memset(&f, 0, sizeof(f));
	f.product_id = fx.product;
	f.status = SG_STATUS_OPEN;
	f.min_severity = SG_SEV_INFO;
	f.also_not = waivers;
	f.n_also_not = 1;
	OK(sg_store_findings_count(fx.s, &f, c, &fx.err));
	assert_int_equal(c[SG_SEV_CRITICAL], 0);
	assert_int_equal(c[SG_SEV_HIGH], 2);
	assert_int_equal(c[SG_SEV_LOW], 1);
}

/* The state of an SBOM (its components and VEX statements) per scan, for the ledger. */
static void test_object_digests_sbom(void **state)
{
	struct sg_component_record c;
	struct digests before, after, again;
	long long s1, s2;

	(void)state;
	s1 = sca_scan(fx.product, NULL, NULL, "bom.json", 1, T0);
	s2 = sca_scan(fx.other_product, NULL, NULL, "bom.json", 2, T0);
	c = npm_component(s1, "left-pad", "1.0.0");
	(void)add_component(&c);
	c = npm_component(s2, "right-pad", "2.0.0");
	(void)add_component(&c);

	before = digests_of(SG_OBJ_SBOM, 0);
	assert_int_equal(before.n, 2);
	assert_int_equal(before.id[0], s1);
	assert_int_equal(before.id[1], s2);
	assert_int_equal(before.seq[0], 0);
	assert_int_equal(before.has_state[0], 1);
	again = digests_of(SG_OBJ_SBOM, s1);
	assert_int_equal(again.n, 1);
	assert_int_equal(again.id[0], s1);
	assert_memory_equal(again.d[0], before.d[0], SG_DIGEST_BYTES);
	assert_memory_not_equal(before.d[0], before.d[1], SG_DIGEST_BYTES);

	/* A component added changes its scan's state only. */
	c = npm_component(s1, "is-odd", "3.0.1");
	(void)add_component(&c);
	after = digests_of(SG_OBJ_SBOM, 0);
	assert_int_equal(after.n, 2);
	assert_memory_not_equal(after.d[0], before.d[0], SG_DIGEST_BYTES);
	assert_memory_equal(after.d[1], before.d[1], SG_DIGEST_BYTES);
	/* So does a VEX statement. */
	before = after;
	add_vex(s1, "CVE-2024-0001", "not_affected", "code_not_reachable", NULL, "left-pad");
	after = digests_of(SG_OBJ_SBOM, s1);
	assert_memory_not_equal(after.d[0], before.d[0], SG_DIGEST_BYTES);
	again = digests_of(SG_OBJ_SBOM, s2);
	assert_memory_equal(again.d[0], before.d[1], SG_DIGEST_BYTES);
	/* Stable while nothing changes. */
	again = digests_of(SG_OBJ_SBOM, s1);
	assert_memory_equal(again.d[0], after.d[0], SG_DIGEST_BYTES);
	/* A scan with nothing stored is no object. */
	assert_int_equal(digests_of(SG_OBJ_SBOM, s2 + 1000).n, 0);
}

/* The OSV database is one object (id 1): it changes with an upsert that
 * changes it, and not with one that leaves it. */
static void test_object_digests_vulndb(void **state)
{
	struct sg_vuln_record r;
	struct digests before, after, one;

	(void)state;
	assert_int_equal(digests_of(SG_OBJ_VULNDB, 0).n, 0);
	r = vuln_of("GHSA-v1", M_FEB, T_FEB, PKG_LEFT, 1);
	assert_int_equal(upsert(&r), SG_VULN_ADDED);
	before = digests_of(SG_OBJ_VULNDB, 0);
	assert_int_equal(before.n, 1);
	assert_int_equal(before.id[0], 1);
	assert_int_equal(before.has_state[0], 1);
	one = digests_of(SG_OBJ_VULNDB, 1);
	assert_int_equal(one.n, 1);
	assert_int_equal(one.id[0], 1);
	assert_memory_equal(one.d[0], before.d[0], SG_DIGEST_BYTES);

	/* UNCHANGED (as new, and older) leaves it, even with other contents. */
	r = vuln_of("GHSA-v1", M_FEB, T_FEB, PKG_RIGHT, 1);
	r.summary = "something else";
	assert_int_equal(upsert(&r), SG_VULN_UNCHANGED);
	r.modified = M_JAN;
	r.modified_at = T_JAN;
	assert_int_equal(upsert(&r), SG_VULN_UNCHANGED);
	after = digests_of(SG_OBJ_VULNDB, 0);
	assert_memory_equal(after.d[0], before.d[0], SG_DIGEST_BYTES);

	/* UPDATED changes it; so does a new record. */
	r.modified = M_MAR;
	r.modified_at = T_MAR;
	assert_int_equal(upsert(&r), SG_VULN_UPDATED);
	after = digests_of(SG_OBJ_VULNDB, 0);
	assert_int_equal(after.n, 1);
	assert_memory_not_equal(after.d[0], before.d[0], SG_DIGEST_BYTES);
	before = after;
	r = vuln_of("GHSA-v2", M_FEB, T_FEB, NULL, 0);
	assert_int_equal(upsert(&r), SG_VULN_ADDED);
	after = digests_of(SG_OBJ_VULNDB, 0);
	assert_int_equal(after.n, 1);
	assert_memory_not_equal(after.d[0], before.d[0], SG_DIGEST_BYTES);
}

/* "on any error the caller rolls back and nothing it did is kept": SBOM
 * scans, components, VEX, records, tool names and findings' components. */
static void test_sca_rollback_discards_everything(void **state)
{
	struct sg_view sca = view_of(fx.product, "sca", "shipgate", "");
	struct sg_component_record c;
	struct sg_vex_record v;
	struct sg_vuln_record r;
	struct sg_gate_scan g;
	struct digests ingest_before;
	enum sg_vuln_upsert outcome;
	long long kept, s, i, id = 0, counts[SG_SEV_COUNT];

	(void)state;
	kept = sca_scan(fx.product, COMMIT_A, NULL, "bom.json", 1, T0);
	ingest_before = digests_of(SG_OBJ_INGEST, 0);

	OK(sg_store_begin(fx.s, &fx.err));
	s = sca_scan_in(fx.s, fx.product, COMMIT_B, NULL, "bom2.json", 2, T0 + 10);
	c = npm_component(s, "left-pad", "1.0.0");
	OK(sg_store_component_insert(fx.s, &c, &id, &fx.err));
	c.scan_id = kept;
	OK(sg_store_component_insert(fx.s, &c, &id, &fx.err));
	memset(&v, 0, sizeof(v));
	v.scan_id = kept;
	v.vuln = "CVE-2024-0001";
	v.state = "not_affected";
	v.ref = "left-pad";
	OK(sg_store_vex_insert(fx.s, &v, &fx.err));
	r = vuln_of("GHSA-v1", M_FEB, T_FEB, PKG_LEFT, 1);
	r.aliases = "CVE-2025-1111";
	OK(sg_store_vuln_upsert(fx.s, &r, &outcome, &fx.err));
	assert_int_equal(outcome, SG_VULN_ADDED);
	OK(sg_store_scan_set_tool(fx.s, kept, "trivy", "0.50", &fx.err));
	i = new_ingest(fx.s, fx.product, T0 + 10);
	(void)sight_component(fx.s, &sca, i, s, 1, SG_SEV_CRITICAL, "GHSA-v1", "pkg:npm/left-pad", T0 + 10);
	/* Visible inside the transaction. */
	assert_int_equal(components_of(kept).n, 1);
	assert_int_equal(candidates_of("npm", "left-pad").n, 1);
	assert_int_equal(heads_of(fx.product).h[0].scan_id, s);
	sg_store_rollback(fx.s);

	assert_int_equal(components_of(s).n, 0);
	assert_int_equal(components_of(kept).n, 0);
	assert_int_equal(vex_of(kept).n, 0);
	{
		struct heads h = heads_of(fx.product);
		assert_int_equal(h.n, 1);
		assert_int_equal(h.h[0].scan_id, kept);
	}
	assert_int_equal(candidates_of("npm", "left-pad").n, 0);
	assert_int_equal(vulndb_counts().n, 0);
	assert_int_equal(vulns_named("GHSA-v1", 8).n, 0);
	assert_int_equal(vulns_named("CVE-2025-1111", 8).n, 0);
	assert_int_equal(digests_of(SG_OBJ_SBOM, 0).n, 0);
	assert_int_equal(digests_of(SG_OBJ_VULNDB, 0).n, 0);
	OK(sg_store_scan_newest(fx.s, fx.product, "sca", NULL, &g, &fx.err));
	assert_int_equal(g.id, kept);
	assert_string_equal(g.tool, "syft");
	{
		struct digests d = digests_of(SG_OBJ_INGEST, 0);
		assert_int_equal(d.n, ingest_before.n);
		assert_memory_equal(d.d[0], ingest_before.d[0], SG_DIGEST_BYTES);
	}
	OK(sg_store_findings_open_counts(fx.s, fx.product, SG_SEV_INFO, counts, &fx.err));
	assert_int_equal(counts[SG_SEV_CRITICAL], 0);

	/* And the store goes on: the record is new again, not an update. */
	assert_int_equal(upsert(&r), SG_VULN_ADDED);
	assert_int_equal(vuln_id("CVE-2025-1111"), vuln_id("GHSA-v1"));
}

/* A savepoint undoes an update: the record as it was, and an update again after. */
static void test_vuln_upsert_savepoint(void **state)
{
	struct sg_vuln_record r;
	enum sg_vuln_upsert outcome;
	struct cands c;

	(void)state;
	r = vuln_of("GHSA-v1", M_JAN, T_JAN, PKG_LEFT, 1);
	r.aliases = "CVE-2025-1111";
	assert_int_equal(upsert(&r), SG_VULN_ADDED);

	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_savepoint(fx.s, &fx.err));
	r = vuln_of("GHSA-v1", M_FEB, T_FEB, PKG_RIGHT, 1);
	r.aliases = "CVE-2025-2222";
	OK(sg_store_vuln_upsert(fx.s, &r, &outcome, &fx.err));
	assert_int_equal(outcome, SG_VULN_UPDATED);
	OK(sg_store_rollback_to_savepoint(fx.s, &fx.err));
	OK(sg_store_release_savepoint(fx.s, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));

	c = candidates_of("npm", "left-pad");
	assert_int_equal(c.n, 1);
	assert_string_equal(c.c[0].aliases, "CVE-2025-1111");
	assert_int_equal(candidates_of("npm", "right-pad").n, 0);
	assert_int_equal(vulns_named("CVE-2025-1111", 8).n, 1);
	assert_int_equal(vulns_named("CVE-2025-2222", 8).n, 0);
	/* The store still holds January's: February is an update. */
	assert_int_equal(upsert(&r), SG_VULN_UPDATED);
	assert_int_equal(candidates_of("npm", "right-pad").n, 1);
}

/* A callback's non-zero return stops each list and is returned; the store
 * goes on working. */
static void test_sca_callbacks_stop(void **state)
{
	struct sg_component_record c;
	struct comps lc;
	struct vexes lv;
	struct heads lh;
	struct cands lk;
	struct eco_counts le;
	long long s, v[6];

	(void)state;
	s = sca_scan(fx.product, NULL, NULL, "bom.json", 1, T0);
	(void)sca_scan(fx.other_product, NULL, NULL, "bom.json", 2, T0);
	c = npm_component(s, "left-pad", "1.0.0");
	(void)add_component(&c);
	(void)add_component(&c);
	(void)add_component(&c);
	add_vex(s, "CVE-1", "fixed", NULL, NULL, "a");
	add_vex(s, "CVE-2", "fixed", NULL, NULL, "b");
	seed_vulndb(v);

	memset(&lc, 0, sizeof(lc));
	lc.stop_after = 2;
	assert_int_equal(sg_store_components_list(fx.s, s, collect_component, &lc, &fx.err), 9);
	assert_int_equal(lc.n, 2);
	memset(&lv, 0, sizeof(lv));
	lv.stop_after = 1;
	assert_int_equal(sg_store_vex_list(fx.s, s, collect_vex, &lv, &fx.err), 9);
	assert_int_equal(lv.n, 1);
	memset(&lh, 0, sizeof(lh));
	lh.stop_after = 1;
	assert_int_equal(sg_store_sbom_heads(fx.s, 0, collect_head, &lh, &fx.err), 9);
	assert_int_equal(lh.n, 1);
	memset(&lk, 0, sizeof(lk));
	lk.stop_after = 1;
	assert_int_equal(sg_store_vuln_candidates(fx.s, "Debian", "openssl", collect_candidate, &lk, &fx.err), 9);
	assert_int_equal(lk.n, 1);
	memset(&le, 0, sizeof(le));
	le.stop_after = 2;
	assert_int_equal(sg_store_vulndb_counts(fx.s, collect_count, &le, &fx.err), 9);
	assert_int_equal(le.n, 2);

	/* Whole again. */
	assert_int_equal(components_of(s).n, 3);
	assert_int_equal(vex_of(s).n, 2);
	assert_int_equal(heads_of(0).n, 2);
	assert_int_equal(candidates_of("Debian", "openssl").n, 4);
	assert_int_equal(vulndb_counts().n, 3);
}

/*
 * Matching lists a scan's components and, for each, looks up its
 * candidates, reads the scan's VEX and records findings, all from inside
 * the callbacks (app/sca_match.c): every list must survive the store being
 * used under it.
 */
struct matching {
	long long scan, ingest;
	struct sg_view view;
	int components, candidates, vex, named, sighted;
	int base;
	const char *component;
};

static int match_candidate(void *ctx, const struct sg_vuln_candidate *c)
{
	struct matching *m = ctx;
	struct sg_sighting_outcome o;
	struct named n;

	m->candidates++;
	n.n = 0;
	OK(sg_store_vuln_ids_named(fx.s, c->osv_id, n.id, 8, &n.n, &fx.err));
	m->named += (int)n.n;
	o = sight_component(fx.s, &m->view, m->ingest, m->scan, ++m->base, SG_SEV_HIGH, c->osv_id, m->component,
			    T0);
	m->sighted += o.is_new;
	return 0;
}

static int count_vex(void *ctx, const struct sg_vex_record *v)
{
	struct matching *m = ctx;

	(void)v;
	m->vex++;
	return 0;
}

static int match_component(void *ctx, const struct sg_component_record *c)
{
	struct matching *m = ctx;

	m->components++;
	OK(sg_store_vex_list(fx.s, m->scan, count_vex, m, &fx.err));
	if (!c->package)
		return 0;
	m->component = c->component;
	return sg_store_vuln_candidates(fx.s, "npm", c->package, match_candidate, m, &fx.err);
}

static void test_sca_lists_survive_store_use(void **state)
{
	struct sg_component_record c;
	struct matching m;
	long long v[6], counts[SG_SEV_COUNT];

	(void)state;
	seed_vulndb(v); /* left-pad: v1, v4; right-pad: v1 */
	memset(&m, 0, sizeof(m));
	m.view = view_of(fx.product, "sca", "shipgate", "");
	m.scan = sca_scan(fx.product, NULL, NULL, "bom.json", 1, T0);
	c = npm_component(m.scan, "left-pad", "1.0.0");
	(void)add_component(&c);
	c = npm_component(m.scan, "right-pad", "2.0.0");
	c.component = "pkg:npm/right-pad";
	(void)add_component(&c);
	memset(&c, 0, sizeof(c));
	c.scan_id = m.scan;
	c.name = "vendored";
	c.type = "file";
	c.scope = "required";
	c.unmatched = "no purl";
	(void)add_component(&c);
	add_vex(m.scan, "CVE-2025-1111", "not_affected", "code_not_reachable", NULL, "left-pad");
	add_vex(m.scan, "GHSA-v4", "affected", NULL, NULL, "left-pad");

	OK(sg_store_begin(fx.s, &fx.err));
	m.ingest = new_ingest(fx.s, fx.product, T0);
	OK(sg_store_components_list(fx.s, m.scan, match_component, &m, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	assert_int_equal(m.components, 3);
	assert_int_equal(m.vex, 6);
	assert_int_equal(m.candidates, 3);
	assert_int_equal(m.named, 3);
	assert_int_equal(m.sighted, 3);
	OK(sg_store_findings_open_counts(fx.s, fx.product, SG_SEV_INFO, counts, &fx.err));
	assert_int_equal(counts[SG_SEV_HIGH], 3);
}

/* ---- API tokens and product grants ---- */

/* A token whose hash is 32 bytes of `fill`. */
static long long add_token(long long principal, unsigned char fill_byte, const char *prefix, time_t now,
			   time_t expires_at)
{
	unsigned char sha[SG_SHA256_BYTES];
	long long id = 0;

	memset(sha, fill_byte, sizeof(sha));
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_token_insert(fx.s, principal, sha, prefix, now, expires_at, &id, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	assert_true(id > 0);
	return id;
}

static struct sg_token_record find_token(unsigned char fill_byte)
{
	unsigned char sha[SG_SHA256_BYTES];
	struct sg_token_record t;

	memset(sha, fill_byte, sizeof(sha));
	memset(&t, 0x5a, sizeof(t));
	OK(sg_store_token_find(fx.s, sha, &t, &fx.err));
	return t;
}

/* "The token with this hash, with its user's name and role, whatever its
 * state"; "SG_ENOTFOUND when there is none"; a second token with the same
 * hash is SG_ECONFLICT. */
static void test_token_insert_find(void **state)
{
	unsigned char sha[SG_SHA256_BYTES];
	struct sg_token_record t;
	long long ana, bob, t1, t2, again = 0;

	(void)state;
	ana = add_user("ana", SG_ROLE_ADMIN, T0);
	bob = add_user("bob", SG_ROLE_DEVELOPER, T0);
	t1 = add_token(ana, 0x11, "sgt_aaaaaaaa", T0 + 1, 0);
	t2 = add_token(bob, 0x22, "sgt_bbbbbbbb", T0 + 2, T0 + 86400);
	assert_int_not_equal(t1, t2);

	t = find_token(0x11);
	assert_int_equal(t.id, t1);
	assert_int_equal(t.principal_id, ana);
	assert_int_equal(t.user_found, 1);
	assert_string_equal(t.user, "ana");
	assert_int_equal(t.role, SG_ROLE_ADMIN);
	memset(sha, 0x11, sizeof(sha));
	assert_memory_equal(t.sha256, sha, SG_SHA256_BYTES);
	assert_string_equal(t.prefix, "sgt_aaaaaaaa");
	assert_int_equal(t.created_at, T0 + 1);
	assert_int_equal(t.expires_at, 0); /* never */
	assert_int_equal(t.revoked, 0);
	assert_int_equal(t.revoked_at, 0);

	t = find_token(0x22);
	assert_int_equal(t.id, t2);
	assert_string_equal(t.user, "bob");
	assert_int_equal(t.role, SG_ROLE_DEVELOPER);
	assert_int_equal(t.expires_at, T0 + 86400);

	/* Another hash, one bit off: not found. */
	memset(sha, 0x11, sizeof(sha));
	sha[31] ^= 1;
	sg_error_clear(&fx.err);
	assert_int_equal(sg_store_token_find(fx.s, sha, &t, &fx.err), SG_ENOTFOUND);
	assert_int_equal(fx.err.diag, SG_DIAG_NOT_FOUND);

	/* The same hash again, for anyone. */
	memset(sha, 0x11, sizeof(sha));
	OK(sg_store_begin(fx.s, &fx.err));
	sg_error_clear(&fx.err);
	assert_int_equal(sg_store_token_insert(fx.s, bob, sha, "sgt_cccccccc", T0, 0, &again, &fx.err), SG_ECONFLICT);
	assert_int_equal(fx.err.diag, SG_DIAG_CONFLICT);
	sg_store_rollback(fx.s);
	t = find_token(0x11);
	assert_int_equal(t.principal_id, ana);
}

/* A token outlives its user's row (removed behind shipgate's back): it is
 * still found, marked so, for the caller to refuse. */
static void test_token_user_gone(void **state)
{
	struct sg_token_record t;
	sqlite3 *db = NULL;
	long long ana;
	char sql[128];

	(void)state;
	if (!is_sqlite())
		skip();
	ana = add_user("ana", SG_ROLE_ADMIN, T0);
	(void)add_token(ana, 0x31, "sgt_dddddddd", T0, 0);
	assert_int_equal(sqlite3_open(sqlite_path(fx.url), &db), SQLITE_OK);
	snprintf(sql, sizeof(sql), "DELETE FROM principal WHERE id = %lld", ana);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK); /* foreign keys off */
	sqlite3_close(db);
	t = find_token(0x31);
	assert_int_equal(t.principal_id, ana);
	assert_int_equal(t.user_found, 0);
	assert_string_equal(t.user, "");
	assert_int_equal(t.role, SG_ROLE_VIEWER);
}

/* "SG_ENOTFOUND, or SG_ECONFLICT when it is revoked already"; a rollback
 * undoes a revocation. */
static void test_token_revoke(void **state)
{
	struct sg_token_record t;
	long long ana, t1, t2;

	(void)state;
	ana = add_user("ana", SG_ROLE_SECURITY, T0);
	t1 = add_token(ana, 0x41, "sgt_eeeeeeee", T0, 0);
	t2 = add_token(ana, 0x42, "sgt_ffffffff", T0, 0);

	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_token_revoke(fx.s, t1, T0 + 50, &fx.err));
	sg_store_rollback(fx.s);
	assert_int_equal(find_token(0x41).revoked, 0);

	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_token_revoke(fx.s, t1, T0 + 60, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	t = find_token(0x41);
	assert_int_equal(t.revoked, 1);
	assert_int_equal(t.revoked_at, T0 + 60);
	assert_int_equal(find_token(0x42).revoked, 0); /* only that one */

	OK(sg_store_begin(fx.s, &fx.err));
	sg_error_clear(&fx.err);
	assert_int_equal(sg_store_token_revoke(fx.s, t1, T0 + 70, &fx.err), SG_ECONFLICT);
	assert_int_equal(fx.err.diag, SG_DIAG_CONFLICT);
	sg_error_clear(&fx.err);
	assert_int_equal(sg_store_token_revoke(fx.s, t2 + 100, T0 + 70, &fx.err), SG_ENOTFOUND);
	assert_int_equal(fx.err.diag, SG_DIAG_NOT_FOUND);
	sg_store_rollback(fx.s);
	assert_int_equal(find_token(0x41).revoked_at, T0 + 60); /* the first revocation stands */
}

struct token_list {
	int n;
	long long id[8];
	char user[8][SG_PRINCIPAL_NAME_BYTES];
	char prefix[8][16];
	int revoked[8];
	int stop_after;
};

static int collect_token(void *ctx, const struct sg_token_record *t)
{
	struct token_list *l = ctx;

	if (l->n < 8) {
		l->id[l->n] = t->id;
		snprintf(l->user[l->n], sizeof(l->user[0]), "%s", t->user);
		snprintf(l->prefix[l->n], sizeof(l->prefix[0]), "%s", t->prefix);
		l->revoked[l->n] = t->revoked;
	}
	l->n++;
	return l->stop_after && l->n >= l->stop_after ? 6 : 0;
}

static struct token_list tokens_of(long long id, long long principal_id)
{
	struct sg_token_filter f;
	struct token_list l;

	memset(&l, 0, sizeof(l));
	f.id = id;
	f.principal_id = principal_id;
	OK(sg_store_tokens_list(fx.s, &f, collect_token, &l, &fx.err));
	return l;
}

/* "In id order", every user's or one's, or one token. */
static void test_tokens_list(void **state)
{
	struct sg_token_filter all = {0, 0};
	struct token_list l;
	long long zed, ana, t[4];

	(void)state;
	assert_int_equal(tokens_of(0, 0).n, 0);
	zed = add_user("zed", SG_ROLE_VIEWER, T0);
	ana = add_user("ana", SG_ROLE_CTO, T0);
	t[0] = add_token(zed, 1, "sgt_00000001", T0, 0);
	t[1] = add_token(ana, 2, "sgt_00000002", T0, 0);
	t[2] = add_token(zed, 3, "sgt_00000003", T0, T0 + 5);
	t[3] = add_token(ana, 4, "sgt_00000004", T0, 0);
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_token_revoke(fx.s, t[2], T0 + 1, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));

	l = tokens_of(0, 0);
	assert_int_equal(l.n, 4);
	assert_int_equal(l.id[0], t[0]);
	assert_int_equal(l.id[3], t[3]);
	assert_true(l.id[0] < l.id[1] && l.id[1] < l.id[2] && l.id[2] < l.id[3]);
	assert_string_equal(l.user[0], "zed");
	assert_string_equal(l.user[1], "ana");
	assert_string_equal(l.prefix[2], "sgt_00000003");
	assert_int_equal(l.revoked[2], 1);
	assert_int_equal(l.revoked[3], 0);

	l = tokens_of(0, zed);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.id[0], t[0]);
	assert_int_equal(l.id[1], t[2]);
	l = tokens_of(t[1], 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.id[0], t[1]);
	assert_int_equal(tokens_of(t[1], zed).n, 0); /* both filters hold */
	assert_int_equal(tokens_of(t[3] + 10, 0).n, 0);
	assert_int_equal(tokens_of(0, ana + zed + 10).n, 0);

	/* A callback that stops: its value comes back. */
	memset(&l, 0, sizeof(l));
	l.stop_after = 3;
	assert_int_equal(sg_store_tokens_list(fx.s, &all, collect_token, &l, &fx.err), 6);
	assert_int_equal(l.n, 3);
}

struct names {
	int n;
	char name[8][64];
	int stop_after;
};

static int collect_name(void *ctx, const char *name)
{
	struct names *l = ctx;

	if (l->n < 8)
		snprintf(l->name[l->n], sizeof(l->name[0]), "%s", name);
	l->n++;
	return l->stop_after && l->n >= l->stop_after ? 5 : 0;
}

static struct names grants_of(long long principal)
{
	struct names l;

	memset(&l, 0, sizeof(l));
	OK(sg_store_grants_list(fx.s, principal, collect_name, &l, &fx.err));
	return l;
}

static int granted(long long principal, const char *product)
{
	int g = -1;

	OK(sg_store_grant_check(fx.s, principal, product, &g, &fx.err));
	assert_true(g == 0 || g == 1);
	return g;
}

static void grant(long long principal, const char *product, time_t now)
{
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_grant_add(fx.s, principal, product, now, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
}

/* Grants name products (which need not exist yet), per user, exactly;
 * granting twice or removing what is not there is SG_ECONFLICT. */
static void test_grants(void **state)
{
	struct names l;
	long long ana, bob;

	(void)state;
	ana = add_user("ana", SG_ROLE_DEVELOPER, T0);
	bob = add_user("bob", SG_ROLE_VIEWER, T0);
	assert_int_equal(grants_of(ana).n, 0);
	assert_int_equal(granted(ana, "shop"), 0);

	grant(ana, "shop", T0);
	grant(ana, "not-yet-ingested", T0);
	grant(ana, "Zebra", T0);
	grant(bob, "other", T0);
	l = grants_of(ana);
	assert_int_equal(l.n, 3);
	/* Name order, bytewise: upper case first. */
	assert_string_equal(l.name[0], "Zebra");
	assert_string_equal(l.name[1], "not-yet-ingested");
	assert_string_equal(l.name[2], "shop");
	l = grants_of(bob);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.name[0], "other");

	assert_int_equal(granted(ana, "shop"), 1);
	assert_int_equal(granted(ana, "not-yet-ingested"), 1);
	assert_int_equal(granted(ana, "other"), 0); /* bob's */
	assert_int_equal(granted(bob, "shop"), 0);
	assert_int_equal(granted(ana, "Shop"), 0);  /* exact: no case folding */
	assert_int_equal(granted(ana, "sho"), 0);   /* no prefix */
	assert_int_equal(granted(ana, "zebra"), 0);

	/* Twice. */
	OK(sg_store_begin(fx.s, &fx.err));
	sg_error_clear(&fx.err);
	assert_int_equal(sg_store_grant_add(fx.s, ana, "shop", T0, &fx.err), SG_ECONFLICT);
	assert_int_equal(fx.err.diag, SG_DIAG_CONFLICT);
	sg_store_rollback(fx.s);

	/* Removed, in a transaction that is rolled back, then for good. */
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_grant_remove(fx.s, ana, "shop", &fx.err));
	assert_int_equal(granted(ana, "shop"), 0);
	sg_store_rollback(fx.s);
	assert_int_equal(granted(ana, "shop"), 1);
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_grant_remove(fx.s, ana, "shop", &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	assert_int_equal(granted(ana, "shop"), 0);
	assert_int_equal(grants_of(ana).n, 2);

	/* What is not there. */
	OK(sg_store_begin(fx.s, &fx.err));
	sg_error_clear(&fx.err);
	assert_int_equal(sg_store_grant_remove(fx.s, ana, "shop", &fx.err), SG_ECONFLICT);
	assert_int_equal(fx.err.diag, SG_DIAG_CONFLICT);
	sg_error_clear(&fx.err);
	assert_int_equal(sg_store_grant_remove(fx.s, bob, "Zebra", &fx.err), SG_ECONFLICT);
	sg_store_rollback(fx.s);
	assert_int_equal(grants_of(bob).n, 1);

	/* A callback that stops. */
	memset(&l, 0, sizeof(l));
	l.stop_after = 1;
	assert_int_equal(sg_store_grants_list(fx.s, ana, collect_name, &l, &fx.err), 5);
	assert_int_equal(l.n, 1);
}

static void test_product_name(void **state)
{
	char name[SG_PRODUCT_NAME_BYTES];

	(void)state;
	OK(sg_store_product_name(fx.s, fx.product, name, &fx.err));
	assert_string_equal(name, "shop");
	OK(sg_store_product_name(fx.s, fx.other_product, name, &fx.err));
	assert_string_equal(name, "other");
	sg_error_clear(&fx.err);
	assert_int_equal(sg_store_product_name(fx.s, fx.product + fx.other_product + 10, name, &fx.err),
			 SG_ENOTFOUND);
	assert_int_equal(fx.err.diag, SG_DIAG_NOT_FOUND);
}

/* A token's state digest (docs/audit.md): sg_rhash over id, principal_id,
 * sha256, prefix, created_at, expires_at, revoked_at, NULL for never. It
 * follows a revocation, and only that token's. */
static void test_object_digests_token(void **state)
{
	unsigned char want[SG_DIGEST_BYTES], sha[SG_SHA256_BYTES];
	struct digests before, after;
	struct sg_rhash h;
	long long ana, t1, t2;

	(void)state;
	assert_int_equal(digests_of(SG_OBJ_TOKEN, 0).n, 0);
	ana = add_user("ana", SG_ROLE_DEVELOPER, T0);
	t1 = add_token(ana, 0x51, "sgt_gggggggg", T0 + 3, 0);
	t2 = add_token(ana, 0x52, "sgt_hhhhhhhh", T0 + 4, T0 + 999);

	memset(sha, 0x51, sizeof(sha));
	sg_rhash_init(&h);
	sg_rhash_int(&h, t1);
	sg_rhash_int(&h, ana);
	sg_rhash_blob(&h, sha, sizeof(sha));
	sg_rhash_text(&h, "sgt_gggggggg");
	sg_rhash_int(&h, (long long)(T0 + 3));
	sg_rhash_null(&h);
	sg_rhash_null(&h);
	sg_rhash_final(&h, want);
	before = digests_of(SG_OBJ_TOKEN, 0);
	assert_int_equal(before.n, 2);
	assert_int_equal(before.id[0], t1);
	assert_int_equal(before.id[1], t2);
	assert_int_equal(before.has_state[0], 1);
	assert_memory_equal(before.d[0], want, SG_DIGEST_BYTES);
	after = digests_of(SG_OBJ_TOKEN, t2);
	assert_int_equal(after.n, 1);
	assert_memory_equal(after.d[0], before.d[1], SG_DIGEST_BYTES);

	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_token_revoke(fx.s, t2, T0 + 10, &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	after = digests_of(SG_OBJ_TOKEN, 0);
	assert_memory_equal(after.d[0], before.d[0], SG_DIGEST_BYTES);
	assert_memory_not_equal(after.d[1], before.d[1], SG_DIGEST_BYTES);
	assert_int_equal(digests_of(SG_OBJ_TOKEN, t2 + 10).n, 0);
}

/* A user's grants are one object (id: the user): sg_rhash over each
 * grant's product and created_at, in name order. A user without grants
 * has no state. */
static void test_object_digests_grant(void **state)
{
	unsigned char want[SG_DIGEST_BYTES];
	struct digests before, after;
	struct sg_rhash h;
	long long ana, bob;

	(void)state;
	ana = add_user("ana", SG_ROLE_DEVELOPER, T0);
	bob = add_user("bob", SG_ROLE_DEVELOPER, T0);
	assert_int_equal(digests_of(SG_OBJ_GRANT, 0).n, 0);
	grant(ana, "web", T0 + 1);
	grant(ana, "api", T0 + 2);
	grant(bob, "web", T0 + 3);

	sg_rhash_init(&h);
	sg_rhash_text(&h, "api");
	sg_rhash_int(&h, (long long)(T0 + 2));
	sg_rhash_text(&h, "web");
	sg_rhash_int(&h, (long long)(T0 + 1));
	sg_rhash_final(&h, want);
	before = digests_of(SG_OBJ_GRANT, 0);
	assert_int_equal(before.n, 2);
	assert_int_equal(before.id[0], ana);
	assert_int_equal(before.id[1], bob);
	assert_memory_equal(before.d[0], want, SG_DIGEST_BYTES);
	after = digests_of(SG_OBJ_GRANT, bob);
	assert_int_equal(after.n, 1);
	assert_memory_equal(after.d[0], before.d[1], SG_DIGEST_BYTES);

	/* A grant removed changes its user's state only; the last one gone,
	 * the user has none. */
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_grant_remove(fx.s, ana, "api", &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	after = digests_of(SG_OBJ_GRANT, 0);
	assert_int_equal(after.n, 2);
	assert_memory_not_equal(after.d[0], before.d[0], SG_DIGEST_BYTES);
	assert_memory_equal(after.d[1], before.d[1], SG_DIGEST_BYTES);
	OK(sg_store_begin(fx.s, &fx.err));
	OK(sg_store_grant_remove(fx.s, ana, "web", &fx.err));
	OK(sg_store_commit(fx.s, &fx.err));
	after = digests_of(SG_OBJ_GRANT, 0);
	assert_int_equal(after.n, 1);
	assert_int_equal(after.id[0], bob);
	assert_int_equal(digests_of(SG_OBJ_GRANT, ana).n, 0);
}

/* A store of schema 3 (before tokens) is upgraded by migration 4 on open,
 * its data kept. */
static void test_migration_4(void **state)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long id = 0, ana;

	(void)state;
	if (!is_sqlite())
		skip();
	sg_store_close(fx.s);
	fx.s = NULL;
	assert_int_equal(sqlite3_open(sqlite_path(fx.url), &db), SQLITE_OK);
	/* Back to schema 3: without the tables of migration 4 and of any after it. */
	assert_int_equal(sqlite3_exec(db,
				      "DROP TABLE IF EXISTS sla_notice; DROP TABLE IF EXISTS job_run;"
				      "DROP TABLE IF EXISTS job; DROP TABLE api_token; DROP TABLE product_grant;"
				      "PRAGMA user_version = 3",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	db = NULL;
	OK(sg_store_open(fx.url, SG_STORE_OPEN_EXISTING, &fx.s, &fx.err));
	OK(sg_store_product_find(fx.s, "shop", &id, &fx.err));
	assert_int_equal(id, fx.product);
	ana = add_user("ana", SG_ROLE_DEVELOPER, T0);
	(void)add_token(ana, 0x61, "sgt_iiiiiiii", T0, 0);
	grant(ana, "shop", T0);
	assert_int_equal(find_token(0x61).principal_id, ana);
	assert_int_equal(granted(ana, "shop"), 1);
	assert_int_equal(sqlite3_open(sqlite_path(fx.url), &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_true(sqlite3_column_int(st, 0) >= 4);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* A token's hash is 32 bytes: the schema refuses another size. */
static void test_token_hash_size(void **state)
{
	sqlite3 *db = NULL;
	long long ana;
	char sql[200];

	(void)state;
	if (!is_sqlite())
		skip();
	ana = add_user("ana", SG_ROLE_DEVELOPER, T0);
	assert_int_equal(sqlite3_open(sqlite_path(fx.url), &db), SQLITE_OK);
	snprintf(sql, sizeof(sql),
		 "INSERT INTO api_token(principal_id, sha256, prefix, created_at) VALUES (%lld, x'0011', 'sgt_', 1)", ana);
	assert_int_not_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(tokens_of(0, 0).n, 0);
}

#define CASE(f) cmocka_unit_test_setup_teardown(f, case_setup, case_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		CASE(test_open_missing_not_found),
		CASE(test_create_and_reopen),
		CASE(test_store_name),
		CASE(test_bad_urls),
		CASE(test_foreign_sqlite_file),
		CASE(test_not_a_database),
		CASE(test_newer_schema),
		CASE(test_private_files),
		CASE(test_symlink_refused),
		CASE(test_directory_refused),
		CASE(test_pg_foreign_schema),
		CASE(test_pg_newer_schema),
		CASE(test_pg_empty_schema_not_found),
		CASE(test_pg_short_scheme),
		CASE(test_pg_writer_waits_for_writer),
		CASE(test_pg_name_hides_password),
		CASE(test_open_alloc_failures),
		CASE(test_product_ensure_idempotent),
		CASE(test_product_find_missing),
		CASE(test_release_create_find),
		CASE(test_release_duplicate),
		CASE(test_release_find_missing),
		CASE(test_scan_find_artifact),
		CASE(test_scans_set_artifact),
		CASE(test_scan_newest),
		CASE(test_scan_newest_commit_prefix),
		CASE(test_sight_new_then_seen),
		CASE(test_occurrence_counts_per_ingest),
		CASE(test_sight_many_matches_one_by_one),
		CASE(test_findings_per_product),
		CASE(test_close_unseen),
		CASE(test_fixed_reopens),
		CASE(test_false_positive_survives_sighting),
		CASE(test_set_status),
		CASE(test_finding_get_not_found),
		CASE(test_findings_list_order_and_filters),
		CASE(test_findings_list_status),
		CASE(test_callback_stops),
		CASE(test_open_counts),
		CASE(test_apply_overrides),
		CASE(test_rollback_discards_everything),
		CASE(test_savepoint),
		CASE(test_begin_read_consistent),
		CASE(test_principal_add_find),
		CASE(test_principals_list),
		CASE(test_key_add_find),
		CASE(test_exception_insert_list),
		CASE(test_exception_approve),
		CASE(test_exception_approver_key_is_own),
		CASE(test_exception_revoke),
		CASE(test_audit_head_empty),
		CASE(test_audit_append_list),
		CASE(test_audit_append_rollback),
		CASE(test_audit_latest),
		CASE(test_object_digest_product_value),
		CASE(test_object_digests_all),
		CASE(test_object_digests_follow_rows),
		CASE(test_findings_waivers_count),
		CASE(test_findings_waivers_list),
		CASE(test_findings_sla_filters),
		CASE(test_components_round_trip),
		CASE(test_vex_round_trip),
		CASE(test_sbom_heads),
		CASE(test_scan_set_tool),
		CASE(test_vuln_upsert),
		CASE(test_vuln_candidates),
		CASE(test_vulndb_counts),
		CASE(test_vuln_ids_named),
		CASE(test_finding_component),
		CASE(test_component_waiver),
		CASE(test_object_digests_sbom),
		CASE(test_object_digests_vulndb),
		CASE(test_sca_rollback_discards_everything),
		CASE(test_vuln_upsert_savepoint),
		CASE(test_sca_callbacks_stop),
		CASE(test_sca_lists_survive_store_use),
		CASE(test_token_insert_find),
		CASE(test_token_user_gone),
		CASE(test_token_revoke),
		CASE(test_tokens_list),
		CASE(test_grants),
		CASE(test_product_name),
		CASE(test_object_digests_token),
		CASE(test_object_digests_grant),
		CASE(test_migration_4),
		CASE(test_token_hash_size),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
