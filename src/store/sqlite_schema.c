/*
 * Numbered migrations. Never edit a migration that has shipped: add one.
 * Times are unix seconds (UTC). Fingerprints are 16-byte BLOBs: a unique
 * index on them is ~2x faster to fill than one on 64-char hex text
 * (DESIGN.md "Finding identity").
 */
#include "store/sqlite_schema.h"

const char *const sg_sqlite_migrations[] = {
	/* 1: products, scans, findings and their history, releases */
	"CREATE TABLE product ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  severity_rules BLOB,"
	"  created_at INTEGER NOT NULL);"

	"CREATE TABLE ingest ("
	"  id INTEGER PRIMARY KEY,"
	"  product_id INTEGER NOT NULL REFERENCES product(id),"
	"  created_at INTEGER NOT NULL);"

	"CREATE TABLE scan ("
	"  id INTEGER PRIMARY KEY,"
	"  product_id INTEGER NOT NULL REFERENCES product(id),"
	"  ingest_id INTEGER NOT NULL REFERENCES ingest(id),"
	"  kind TEXT NOT NULL,"
	"  tool TEXT NOT NULL,"
	"  tool_version TEXT,"
	"  category TEXT NOT NULL DEFAULT '',"
	"  commit_sha TEXT,"
	"  release_version TEXT,"
	"  environment TEXT,"
	"  artifact_name TEXT,"
	"  artifact_sha256 BLOB NOT NULL,"
	"  ingest_options TEXT NOT NULL DEFAULT '',"
	"  results_null INTEGER NOT NULL DEFAULT 0,"
	"  result_count INTEGER NOT NULL DEFAULT 0,"
	"  new_count INTEGER NOT NULL DEFAULT 0,"
	"  reopened_count INTEGER NOT NULL DEFAULT 0,"
	"  fixed_count INTEGER NOT NULL DEFAULT 0,"
	"  created_at INTEGER NOT NULL);"
	"CREATE INDEX scan_by_kind ON scan(product_id, kind, created_at);"
	"CREATE INDEX scan_by_artifact ON scan(product_id, artifact_sha256);"

	"CREATE TABLE finding ("
	"  id INTEGER PRIMARY KEY,"
	"  product_id INTEGER NOT NULL REFERENCES product(id),"
	"  fingerprint BLOB NOT NULL CHECK (length(fingerprint) = 16),"
	"  kind TEXT NOT NULL,"
	"  tool TEXT NOT NULL,"
	"  category TEXT NOT NULL,"
	"  rule TEXT NOT NULL,"
	"  rule_name TEXT,"
	"  tool_severity INTEGER NOT NULL CHECK (tool_severity BETWEEN 0 AND 4),"
	"  severity INTEGER NOT NULL CHECK (severity BETWEEN 0 AND 4),"
	"  status TEXT NOT NULL CHECK (status IN ('open', 'fixed', 'false_positive')),"
	"  path TEXT,"
	"  line INTEGER,"
	"  message TEXT,"
	"  first_seen_scan INTEGER NOT NULL REFERENCES scan(id),"
	"  last_seen_scan INTEGER NOT NULL REFERENCES scan(id),"
	"  last_seen_ingest INTEGER NOT NULL,"
	"  first_seen_at INTEGER NOT NULL,"
	"  last_seen_at INTEGER NOT NULL,"
	"  UNIQUE (product_id, fingerprint));"
	"CREATE INDEX finding_by_gate ON finding(product_id, status, severity);"

	"CREATE TABLE finding_event ("
	"  id INTEGER PRIMARY KEY,"
	"  finding_id INTEGER NOT NULL REFERENCES finding(id),"
	"  scan_id INTEGER REFERENCES scan(id),"
	"  at INTEGER NOT NULL,"
	"  event TEXT NOT NULL,"
	"  from_status TEXT,"
	"  to_status TEXT NOT NULL,"
	"  reason TEXT);"
	"CREATE INDEX finding_event_by_finding ON finding_event(finding_id);"

	"CREATE TABLE release ("
	"  id INTEGER PRIMARY KEY,"
	"  product_id INTEGER NOT NULL REFERENCES product(id),"
	"  version TEXT NOT NULL,"
	"  commit_sha TEXT NOT NULL,"
	"  build_digest TEXT,"
	"  created_at INTEGER NOT NULL,"
	"  UNIQUE (product_id, version));",
};

const int sg_sqlite_migration_count = (int)(sizeof(sg_sqlite_migrations) / sizeof(sg_sqlite_migrations[0]));
