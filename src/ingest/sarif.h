/*
 * SARIF 2.1.0 reader (OASIS SARIF v2.1.0 Errata 01; FORMATS.md section 1).
 *
 * It streams the log, so that memory does not grow with the number of
 * results, and accepts members in any order (`version` last, `tool` or
 * `originalUriBaseIds` after `results`), in at most two passes:
 *
 *   pass 1 checks the whole document (JSON syntax, version, limits) and keeps
 *          what results refer to: per run the tool, its rules, uriBaseIds,
 *          artifacts and automationDetails.id (all bounded by util/limits.h).
 *          A run whose context precedes its results (the usual order) has its
 *          results handed to the sink already, if the sink can abandon them;
 *   pass 2 hands each result, resolved against its complete run, to the
 *          sink, when pass 1 could not.
 *
 * A document that fails any check is an error whatever the sink was given:
 * the caller's transaction makes the ingest all or nothing.
 */
#ifndef SG_INGEST_SARIF_H
#define SG_INGEST_SARIF_H

#include <stddef.h>

#include "core/identity.h"
#include "core/severity.h"
#include "util/error.h"
#include "util/hash.h"

struct sg_sarif_run {
	int index;                /* position in runs[] */
	const char *tool;         /* tool.driver.name */
	const char *tool_version; /* driver version or semanticVersion; may be NULL */
	const char *category;     /* from automationDetails.id, or the override; "" if none */
	int results_null;         /* results absent or null: the tool failed, close nothing */
	long long result_count;   /* results[] length; in run_begin only when read in pass 2 */
};

struct sg_sarif_result {
	const char *rule_id;       /* "" when the result names no rule */
	const char *rule_name;     /* reportingDescriptor.name; may be NULL */
	enum sg_level level;       /* effective level (§3.27.10) */
	enum sg_severity severity; /* security-severity, else from level */
	int severity_from_score;
	const char *path;          /* normalised; NULL when the result has no location */
	long line, column;         /* 0 when unknown */
	const char *snippet;       /* region.snippet.text; may be NULL */
	const char *message;       /* message.text, else the rule's short description */
	const struct sg_fingerprint_entry *fps;
	size_t n_fps;
};

/*
 * The sink: each callback returns 0 to go on, or a negative SG_E* with err
 * filled. A sink that can undo what it did (abandon != NULL: the ingest rolls
 * back to a savepoint) lets the reader hand results over during pass 1, when
 * a run's context comes before its results, and skip pass 2. If the reader
 * then meets something that changes results already handed over, it calls
 * abandon() and hands everything over again in pass 2.
 */
struct sg_sarif_sink {
	void *ctx;
	int (*run_begin)(void *ctx, const struct sg_sarif_run *run, struct sg_error *err);
	int (*result)(void *ctx, const struct sg_sarif_run *run, const struct sg_sarif_result *res,
		      struct sg_error *err);
	int (*run_end)(void *ctx, const struct sg_sarif_run *run, struct sg_error *err);
	int (*abandon)(void *ctx, struct sg_error *err); /* may be NULL */
};

struct sg_sarif_options {
	const char *source_root;       /* absolute, normalised; NULL for none */
	const char *category_override; /* --category; NULL for none */
};

struct sg_sarif_summary {
	unsigned char sha256[SG_SHA256_BYTES]; /* of the file's bytes, as read */
	int n_runs;
	long long n_results;      /* all results of all runs */
	long long n_not_failures; /* results whose kind is not "fail": not findings */
	long long n_absent;       /* baselineState "absent" (§3.27.24): not in this run */
};

/*
 * Read the SARIF log in the file `path` (a regular file: it is read twice).
 * `name` is how errors refer to it. Errors: SARIF_* and JSON_* diagnostics,
 * LIMIT_EXCEEDED, FILE_* (see docs/diagnostics.md), or whatever the sink returned.
 */
int sg_sarif_read_file(const char *path, const char *name, const struct sg_sarif_options *opts,
		       const struct sg_sarif_sink *sink, struct sg_sarif_summary *summary,
		       struct sg_error *err) SG_MUST_USE;

/*
 * A push checker: the same checks as sg_sarif_read_file() (JSON, document
 * shape, version, limits, rule and artifact references, URIs), on a log
 * that arrives in chunks (an upload), without a sink. It accepts exactly
 * the logs sg_sarif_read_file() accepts when it reads them for an ingest
 * (a sink that can abandon), and refuses the others with the same error,
 * `name` standing for the file: the server checks an upload while it
 * arrives, then ingests it from its spool file.
 *
 * Most logs are settled as they arrive (a bad one is refused at the feed
 * that completes the block of bytes showing it, see util/json_reader.h).
 * A log whose results come before what they refer to (a run's tool, or
 * its uriBaseIds, after its results; `version` last) needs its results read
 * a second time: the checker keeps the bytes in an unlinked temporary file
 * ($TMPDIR or /tmp) for that, so its memory stays bounded (SARIF limits in
 * util/limits.h) whatever the log's size.
 *
 * opts and name are copied. After an error, feed and finish return it
 * again. finish fills summary (it may be NULL) as sg_sarif_read_file() does.
 */
struct sg_sarif_check;

int sg_sarif_check_new(const char *name, const struct sg_sarif_options *opts, struct sg_sarif_check **out,
		       struct sg_error *err) SG_MUST_USE;
/* The caller writes every byte it feeds, in order, to fd (a regular file,
 * from offset 0) before feeding it: pass 2 then reads fd, and the checker
 * keeps no copy of its own. Call it before the first feed. */
void sg_sarif_check_use_spool(struct sg_sarif_check *c, int fd);
int sg_sarif_check_feed(struct sg_sarif_check *c, const void *data, size_t len, struct sg_error *err) SG_MUST_USE;
int sg_sarif_check_finish(struct sg_sarif_check *c, struct sg_sarif_summary *summary,
			  struct sg_error *err) SG_MUST_USE;
void sg_sarif_check_free(struct sg_sarif_check *c);

#endif
