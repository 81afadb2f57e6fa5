/*
 * `shipgate migrate --from URL --to URL`: copy a whole store, audit ledger
 * included, into an empty one, on either backend (SQLite to PostgreSQL and
 * back). Ids, times and hashes are copied as they are, so the ledger's chain
 * and every digest it recorded still hold: the copy is verified as
 * `audit verify` would, inside the transaction that wrote it, and kept only
 * if it verifies.
 */
#ifndef SG_APP_MIGRATE_H
#define SG_APP_MIGRATE_H

#include "app/audit.h"
#include "store/store.h"

#define SG_MIGRATE_MAX_TABLES 32

struct sg_migrate_table {
	const char *name;
	long long rows;
};

struct sg_migrate_report {
	char from[256];  /* the stores' names, without credentials */
	char to[256];
	struct sg_migrate_table tables[SG_MIGRATE_MAX_TABLES];
	size_t n_tables; /* copied (all of them when it succeeded) */
	long long rows;
	double copy_seconds;   /* copying the rows */
	double verify_seconds; /* verifying the copy, before it is committed */
	struct sg_audit_verify_report verify;
};

/*
 * Copy the store at from_url (it must exist; read in one read transaction)
 * into the store at to_url (created when missing), which must hold no rows:
 * else SG_ECONFLICT and nothing is written. Everything is written in one
 * transaction of the target, which is committed only when the copy verifies
 * (else SG_EPOLICY, diagnostic audit-broken, nothing kept). An error names
 * the store it came from.
 */
int sg_app_migrate(const char *from_url, const char *to_url, struct sg_migrate_report *report,
		   struct sg_error *err) SG_MUST_USE;

#endif
