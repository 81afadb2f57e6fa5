/*
 * Reading the flagged source line of a result under --source-root, when the
 * result carries no snippet (its text is part of the finding's identity).
 * Only files inside the root are read: the path comes from an untrusted log,
 * so "..", absolute paths and symbolic links out of the root are refused.
 * The last file read is kept, since results come grouped by file.
 */
#ifndef SG_INGEST_SOURCE_LINES_H
#define SG_INGEST_SOURCE_LINES_H

#include "util/error.h"

struct sg_source_lines;

/* root must be an existing directory. */
int sg_source_lines_open(const char *root, struct sg_source_lines **out, struct sg_error *err) SG_MUST_USE;
void sg_source_lines_free(struct sg_source_lines *s);
/* The root, absolute and without symbolic links. */
const char *sg_source_lines_root(const struct sg_source_lines *s);
/* Line `line` (1-based) of `path` relative to the root, without its newline;
 * NULL when the file cannot or may not be read, or has no such line. The
 * text lives until the next call. */
const char *sg_source_line(struct sg_source_lines *s, const char *path, long line);

#endif
