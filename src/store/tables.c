/*
 * The store's tables, schema version 5 (tables.h). Columns are in the
 * schema's order; a migration that adds a table or a column adds it here too
 * (tests/unit/test_store_tables.c fails until it does).
 */
#include "store/tables.h"

#include "util/buf.h"

#include <string.h>

/* A list and its length, for one initializer. */
#define NAMES(...) (const char *const[]){__VA_ARGS__}, \
	sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *)

const struct sg_table_def sg_store_tables[] = {
	{"product", NAMES("id", "name", "severity_rules", "created_at"), "ITBI", NAMES("id"), "id"},
	{"ingest", NAMES("id", "product_id", "created_at"), "III", NAMES("id"), "id"},
	{"scan",
	 NAMES("id", "product_id", "ingest_id", "kind", "tool", "tool_version", "category", "commit_sha",
	       "release_version", "environment", "artifact_name", "artifact_sha256", "ingest_options",
	       "results_null", "result_count", "new_count", "reopened_count", "fixed_count", "created_at"),
	 "IIITTTTTTTTBTIIIIII", NAMES("id"), "id"},
	{"finding",
	 NAMES("id", "product_id", "fingerprint", "kind", "tool", "category", "rule", "rule_name", "tool_severity",
	       "severity", "status", "path", "line", "message", "first_seen_scan", "last_seen_scan",
	       "last_seen_ingest", "first_seen_at", "last_seen_at", "component"),
	 "IIBTTTTTIITTITIIIIIT", NAMES("id"), "id"},
	{"finding_event", NAMES("id", "finding_id", "scan_id", "at", "event", "from_status", "to_status", "reason"),
	 "IIIITTTT", NAMES("id"), "id"},
	{"release", NAMES("id", "product_id", "version", "commit_sha", "build_digest", "created_at"), "IITTTI",
	 NAMES("id"), "id"},
	{"principal", NAMES("id", "name", "role", "created_at"), "ITTI", NAMES("id"), "id"},
	{"principal_key", NAMES("id", "principal_id", "key_id", "public_key", "created_at"), "IITBI", NAMES("id"),
	 "id"},
	{"exception",
	 NAMES("id", "scope", "finding_id", "finding_fingerprint", "tool", "rule", "component", "product_id",
	       "reason", "expires_on", "expires_at", "requester_id", "requested_at", "approver_id",
	       "approver_key_id", "signature", "approved_at", "revoked_by", "revoked_at", "revoke_reason"),
	 "ITIBTTTITTIIIITBIIIT", NAMES("id"), "id"},
	{"audit_event",
	 NAMES("seq", "at", "actor", "action", "object_kind", "object_id", "object_label", "payload", "state_digest",
	       "prev_hash", "hash"),
	 "IITTTITTBBB", NAMES("seq"), "seq"},
	{"sbom_component",
	 NAMES("id", "scan_id", "ref", "name", "version", "purl", "component", "ecosystem", "package", "type",
	       "scope", "licenses", "depth", "unmatched"),
	 "IITTTTTTTTTTIT", NAMES("id"), "id"},
	{"sbom_vex", NAMES("id", "scan_id", "vuln", "state", "justification", "detail", "ref"), "IITTTTT",
	 NAMES("id"), "id"},
	{"vuln",
	 NAMES("id", "osv_id", "modified", "modified_at", "withdrawn", "aliases", "summary", "severity", "score",
	       "severity_source", "record_sha256", "imported_at"),
	 "ITTIITTIITBI", NAMES("id"), "id"},
	{"vuln_package", NAMES("id", "vuln_id", "ecosystem", "eco_base", "name", "affected", "digest"), "IITTTTB",
	 NAMES("id"), "id"},
	{"api_token", NAMES("id", "principal_id", "sha256", "prefix", "created_at", "expires_at", "revoked_at"),
	 "IIBTIII", NAMES("id"), "id"},
	/* No primary key: its unique key orders it. */
	{"product_grant", NAMES("principal_id", "product", "created_at"), "ITI", NAMES("principal_id", "product"),
	 NULL},
	{"job", NAMES("name", "interval_seconds", "next_run_at", "created_at"), "TIII", NAMES("name"), NULL},
	{"job_run", NAMES("id", "job", "instance", "started_at", "finished_at", "outcome", "summary"), "ITTIITT",
	 NAMES("id"), "id"},
	{"sla_notice", NAMES("finding_id", "stage", "run_id", "sent_at"), "ITII", NAMES("finding_id", "stage"), NULL},
};

const size_t sg_store_table_count = sizeof(sg_store_tables) / sizeof(sg_store_tables[0]);

const struct sg_table_def *sg_store_table_find(const char *name)
{
	size_t i;

	for (i = 0; name && i < sg_store_table_count; i++)
		if (strcmp(sg_store_tables[i].name, name) == 0)
			return &sg_store_tables[i];
	return NULL;
}

static long column_index(const struct sg_table_def *t, const char *column)
{
	size_t i;

	for (i = 0; column && i < t->n_columns; i++)
		if (strcmp(t->columns[i], column) == 0)
			return (long)i;
	return -1;
}

long sg_store_table_check_columns(const struct sg_table_def *t, const char *const *columns, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (column_index(t, columns[i]) < 0)
			return (long)i;
		for (j = 0; j < i; j++)
			if (strcmp(columns[j], columns[i]) == 0)
				return (long)i;
	}
	return -1;
}

char sg_store_table_column_type(const struct sg_table_def *t, const char *column)
{
	long i = column_index(t, column);

	return i < 0 ? 0 : t->types[i];
}

int sg_store_table_named(const char *table, const char *const *columns, size_t n_columns,
			 const struct sg_table_def **out, struct sg_error *err)
{
	const struct sg_table_def *t = sg_store_table_find(table);
	long bad;

	if (!t)
		return sg_error_set(err, SG_DIAG_INTERNAL, "the store has no table \"%.60s\"", table ? table : "");
	if (n_columns == 0)
		return sg_error_set(err, SG_DIAG_INTERNAL, "no columns named for table %s", t->name);
	if ((bad = sg_store_table_check_columns(t, columns, n_columns)) >= 0)
		return sg_error_set(err, SG_DIAG_INTERNAL, "table %s has no column \"%.60s\" (or it is named twice)",
				    t->name, columns[bad]);
	*out = t;
	return 0;
}

void sg_store_table_add_names(struct sg_buf *b, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sg_buf_printf(b, "%s\"%s\"", i ? ", " : "", names[i]);
}
