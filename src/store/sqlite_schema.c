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

	/* 2: people and their keys, exceptions, the audit ledger */
	"CREATE TABLE principal ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  role TEXT NOT NULL CHECK (role IN ('viewer', 'developer', 'security', 'cto', 'admin')),"
	"  created_at INTEGER NOT NULL);"

	"CREATE TABLE principal_key ("
	"  id INTEGER PRIMARY KEY,"
	"  principal_id INTEGER NOT NULL REFERENCES principal(id),"
	"  key_id TEXT NOT NULL UNIQUE,"
	"  public_key BLOB NOT NULL CHECK (length(public_key) = 32),"
	"  created_at INTEGER NOT NULL);"

	"CREATE TABLE exception ("
	"  id INTEGER PRIMARY KEY,"
	"  scope TEXT NOT NULL CHECK (scope IN ('finding', 'rule', 'component')),"
	"  finding_id INTEGER REFERENCES finding(id),"
	"  finding_fingerprint BLOB,"
	"  tool TEXT,"
	"  rule TEXT,"
	"  component TEXT,"
	"  product_id INTEGER REFERENCES product(id)," /* NULL: every product */
	"  reason TEXT NOT NULL,"
	"  expires_on TEXT NOT NULL,"
	"  expires_at INTEGER NOT NULL,"
	"  requester_id INTEGER NOT NULL REFERENCES principal(id),"
	"  requested_at INTEGER NOT NULL,"
	"  approver_id INTEGER REFERENCES principal(id),"
	"  approver_key_id TEXT,"
	"  signature BLOB,"
	"  approved_at INTEGER,"
	"  revoked_by INTEGER REFERENCES principal(id),"
	"  revoked_at INTEGER,"
	"  revoke_reason TEXT);"
	"CREATE INDEX exception_by_product ON exception(product_id);"

	/* Findings of a product in id order, for the digest the ledger keeps
	 * of them (an index on product_id holds (product_id, rowid)). */
	"CREATE INDEX finding_by_product ON finding(product_id);"
	"CREATE INDEX scan_by_ingest ON scan(ingest_id);"
	/* finding_by_gate grows a column: the gate lists blockers gravest
	 * first and newest first within a severity (its order), and clause
	 * remediate.sla counts the open findings of a severity first seen before
	 * a cutoff (a range of it). One index for both costs an ingest less than
	 * two: measured on 1M new findings, a second index added 3.5 s. */
	"DROP INDEX finding_by_gate;"
	"CREATE INDEX finding_by_gate ON finding(product_id, status, severity, first_seen_at);"

	"CREATE TABLE audit_event ("
	"  seq INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  object_kind TEXT NOT NULL,"
	"  object_id INTEGER NOT NULL,"
	"  object_label TEXT NOT NULL,"
	"  payload TEXT NOT NULL,"
	"  state_digest BLOB,"
	"  prev_hash BLOB NOT NULL,"
	"  hash BLOB NOT NULL);"
	"CREATE INDEX audit_by_object ON audit_event(object_kind, object_id, seq);"
	"CREATE INDEX audit_by_time ON audit_event(at);",
	/* 3: dependency analysis: SBOM components and VEX statements per scan,
	 * the OSV vulnerability database, findings naming a component */
	"ALTER TABLE finding ADD COLUMN component TEXT;" /* purl without version or qualifiers */
	"CREATE INDEX finding_by_component ON finding(product_id, component) WHERE component IS NOT NULL;"
	"CREATE TABLE sbom_component ("
	"  id INTEGER PRIMARY KEY,"
	"  scan_id INTEGER NOT NULL REFERENCES scan(id),"
	"  ref TEXT,"
	"  name TEXT NOT NULL,"
	"  version TEXT,"
	"  purl TEXT,"
	"  component TEXT,"          /* canonical purl without version or qualifiers */
	"  ecosystem TEXT,"          /* OSV ecosystem ("npm", "Debian:12") */
	"  package TEXT,"            /* OSV package name */
	"  type TEXT,"
	"  scope TEXT,"
	"  licenses TEXT,"           /* normalised SPDX expressions, one per line */
	"  depth INTEGER NOT NULL DEFAULT 0,"
	"  unmatched TEXT);"         /* why it cannot be matched; NULL when it can */
	"CREATE INDEX sbom_component_by_scan ON sbom_component(scan_id);"
	"CREATE TABLE sbom_vex ("
	"  id INTEGER PRIMARY KEY,"
	"  scan_id INTEGER NOT NULL REFERENCES scan(id),"
	"  vuln TEXT NOT NULL,"
	"  state TEXT NOT NULL,"
	"  justification TEXT,"
	"  detail TEXT,"
	"  ref TEXT NOT NULL);"
	"CREATE INDEX sbom_vex_by_scan ON sbom_vex(scan_id);"
	"CREATE TABLE vuln ("
	"  id INTEGER PRIMARY KEY,"
	"  osv_id TEXT NOT NULL UNIQUE,"
	"  modified TEXT NOT NULL,"
	"  modified_at INTEGER NOT NULL,"
	"  withdrawn INTEGER NOT NULL DEFAULT 0,"
	"  aliases TEXT NOT NULL DEFAULT '',"  /* one per line */
	"  summary TEXT,"
	"  severity INTEGER CHECK (severity BETWEEN 0 AND 4)," /* NULL: the record gives none */
	"  score INTEGER,"                      /* CVSS base score in tenths */
	"  severity_source TEXT,"               /* the vector or word it came from */
	"  record_sha256 BLOB NOT NULL,"
	"  imported_at INTEGER NOT NULL);"
	"CREATE INDEX vuln_by_sha256 ON vuln(record_sha256);"
	"CREATE TABLE vuln_package ("
	"  id INTEGER PRIMARY KEY,"
	"  vuln_id INTEGER NOT NULL REFERENCES vuln(id),"
	"  ecosystem TEXT NOT NULL,"           /* as the record names it ("Debian:12") */
	"  eco_base TEXT NOT NULL,"            /* before the first ':' */
	"  name TEXT NOT NULL,"                /* normalised as purls name it (PEP 503 for PyPI) */
	"  affected TEXT NOT NULL,"            /* the affected[] entry, compact JSON */
	"  digest BLOB NOT NULL);"             /* of the columns above (sqlite_sca.c) */
	"CREATE INDEX vuln_package_by_name ON vuln_package(eco_base, name);"
	"CREATE INDEX vuln_package_by_vuln ON vuln_package(vuln_id);",
	/* 4: API tokens and the products granted to users (the HTTP API). A
	 * token is kept as the SHA-256 of its text only; a grant names a product
	 * rather than referencing it, because products are created by their
	 * first ingest and a grant may come first. */
	"CREATE TABLE api_token ("
	"  id INTEGER PRIMARY KEY,"
	"  principal_id INTEGER NOT NULL REFERENCES principal(id),"
	"  sha256 BLOB NOT NULL UNIQUE CHECK (length(sha256) = 32),"
	"  prefix TEXT NOT NULL,"        /* "sgt_" and 8 more characters, to tell tokens apart */
	"  created_at INTEGER NOT NULL,"
	"  expires_at INTEGER,"          /* NULL: never */
	"  revoked_at INTEGER);"         /* NULL: not revoked */
	"CREATE INDEX api_token_by_principal ON api_token(principal_id);"
	"CREATE TABLE product_grant ("
	"  principal_id INTEGER NOT NULL REFERENCES principal(id),"
	"  product TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  UNIQUE (principal_id, product));",
	/* 5: background jobs that servers sharing a store run once per due
	 * time (store.h "Background jobs"), their runs, and the SLA notices
	 * sent, so that each is sent once. */
	"CREATE TABLE job ("
	"  name TEXT PRIMARY KEY,"
	"  interval_seconds INTEGER NOT NULL CHECK (interval_seconds > 0),"
	"  next_run_at INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE job_run ("
	"  id INTEGER PRIMARY KEY,"
	"  job TEXT NOT NULL REFERENCES job(name),"
	"  instance TEXT NOT NULL,"
	"  started_at INTEGER NOT NULL,"
	"  finished_at INTEGER,"
	"  outcome TEXT CHECK (outcome IN ('ok', 'failed')),"
	"  summary TEXT);"
	"CREATE INDEX job_run_by_job ON job_run(job, id);"
	"CREATE TABLE sla_notice ("
	"  finding_id INTEGER NOT NULL REFERENCES finding(id),"
	"  stage TEXT NOT NULL,"
	"  run_id INTEGER REFERENCES job_run(id),"
	"  sent_at INTEGER NOT NULL,"
	"  PRIMARY KEY (finding_id, stage));",
};

const int sg_sqlite_migration_count = (int)(sizeof(sg_sqlite_migrations) / sizeof(sg_sqlite_migrations[0]));
