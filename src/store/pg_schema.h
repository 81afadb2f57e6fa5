/* The PostgreSQL schema as numbered migrations; see pg_schema.c. */
#ifndef SG_STORE_PG_SCHEMA_H
#define SG_STORE_PG_SCHEMA_H

/* migrations[i] takes the schema from version i to i+1 (shipgate_schema.version). */
extern const char *const sg_pg_migrations[];
extern const int sg_pg_migration_count;

#endif
