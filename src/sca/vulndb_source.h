/*
 * Where OSV records come from for `vulndb import`: a directory (walked,
 * *.json files), a single .json file, or a .zip archive such as OSV's
 * per-ecosystem all.zip (read with libarchive). Each record's bytes are handed
 * to a callback one at a time, so memory holds one record.
 *
 * Archives are hostile input: entry count, entry size, total uncompressed
 * size and compression ratio are limited (util/limits.h SG_VULNDB_*), entry
 * names with "..", absolute paths, or NUL are refused, and only regular-file
 * entries ending in .json are read. Any violation is an input error naming
 * the archive and entry; nothing is half-taken because the caller's
 * transaction covers the whole import.
 */
#ifndef SG_SCA_VULNDB_SOURCE_H
#define SG_SCA_VULNDB_SOURCE_H

#include <stddef.h>

#include "util/error.h"

/* where: "path" or "archive.zip:entry/name.json". Return 0 to go on. */
typedef int (*sg_vulndb_record_cb)(void *ctx, const char *where, const char *data, size_t len,
				   struct sg_error *err);

/* Hand every record under path to cb; *n_files counts them. */
int sg_vulndb_source_read(const char *path, sg_vulndb_record_cb cb, void *ctx, long long *n_files,
			  struct sg_error *err) SG_MUST_USE;

#endif
