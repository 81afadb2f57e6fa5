/* The SQLite schema as numbered migrations; see sqlite_schema.c. */
#ifndef SG_STORE_SQLITE_SCHEMA_H
#define SG_STORE_SQLITE_SCHEMA_H

/* 'SGTE': marks a SQLite file as a shipgate store (PRAGMA application_id). */
#define SG_SQLITE_APPLICATION_ID 0x53475445

/* migrations[i] takes the schema from version i to i+1 (PRAGMA user_version). */
extern const char *const sg_sqlite_migrations[];
extern const int sg_sqlite_migration_count;

#endif
