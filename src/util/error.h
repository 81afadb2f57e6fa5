/*
 * Errors: return codes, error classes and stable diagnostic ids.
 *
 * Fallible functions return 0 on success or a negative SG_E* code and fill a
 * caller-provided struct sg_error. There is no global "last error": the server
 * calls into the library from several threads.
 *
 * Every diagnostic has a stable id declared once in SG_DIAGNOSTICS below and
 * documented in docs/diagnostics.md. Tests assert ids, not message text.
 */
#ifndef SG_UTIL_ERROR_H
#define SG_UTIL_ERROR_H

#include <stddef.h>
#include <stdint.h>

#define SG_MUST_USE __attribute__((warn_unused_result))
/* Flawfinder: ignore (declares format checking; calls nothing) */
#define SG_PRINTF(a, b) __attribute__((format(printf, a, b)))

enum {
	SG_OK = 0,
	SG_EUSAGE = -1,     /* bad command line or request */
	SG_EINPUT = -2,     /* bad input document */
	SG_ENOTFOUND = -3,  /* a named thing does not exist */
	SG_ECONFLICT = -4,  /* it exists already / state forbids it */
	SG_EPOLICY = -5,    /* the policy is not met (exit 1) */
	SG_ESTORE = -6,     /* the store failed */
	SG_EINTERNAL = -7,  /* a bug or an environment failure */
	SG_ENOMEM = -8,
	SG_EIO = -9,        /* an input file cannot be opened or read */
};

/* X(id-as-C-name, "stable-id", class) : class is one of the codes above. */
#define SG_DIAGNOSTICS(X)                                                  \
	X(USAGE,              "usage",              SG_EUSAGE)                 \
	X(FILE_OPEN,          "file-open",          SG_EIO)                    \
	X(FILE_READ,          "file-read",          SG_EIO)                    \
	X(FILE_WRITE,         "file-write",         SG_EINTERNAL)              \
	X(JSON_SYNTAX,        "json-syntax",        SG_EINPUT)                 \
	X(JSON_TRUNCATED,     "json-truncated",     SG_EINPUT)                 \
	X(JSON_NUL,           "json-nul-byte",      SG_EINPUT)                 \
	X(LIMIT_EXCEEDED,     "limit-exceeded",     SG_EINPUT)                 \
	X(SARIF_NOT_SARIF,    "sarif-not-sarif",    SG_EINPUT)                 \
	X(SARIF_VERSION,      "sarif-version",      SG_EINPUT)                 \
	X(SARIF_INVALID,      "sarif-invalid",      SG_EINPUT)                 \
	X(SARIF_NO_TOOL,      "sarif-no-tool",      SG_EINPUT)                 \
	X(SARIF_BAD_RULE_REF, "sarif-bad-rule-ref", SG_EINPUT)                 \
	X(POLICY_SYNTAX,      "policy-syntax",      SG_EINPUT)                 \
	X(POLICY_UNKNOWN_KEY, "policy-unknown-key", SG_EINPUT)                 \
	X(POLICY_VALUE,       "policy-value",       SG_EINPUT)                 \
	X(POLICY_DUPLICATE,   "policy-duplicate-key", SG_EINPUT)               \
	X(NOT_FOUND,          "not-found",          SG_ENOTFOUND)              \
	X(CONFLICT,           "conflict",           SG_ECONFLICT)              \
	X(BAD_VALUE,          "bad-value",          SG_EUSAGE)                 \
	X(STORE_URL,          "store-url",          SG_EUSAGE)                 \
	X(STORE_OPEN,         "store-open",         SG_ESTORE)                 \
	X(STORE_SCHEMA,       "store-schema",       SG_ESTORE)                 \
	X(STORE_FAILED,       "store-failed",       SG_ESTORE)                 \
	X(STORE_UNAVAILABLE,  "store-unavailable",  SG_ESTORE)                 \
	X(NO_MEMORY,          "no-memory",          SG_ENOMEM)                 \
	X(KEY_FILE,           "key-file",           SG_EINPUT)                 \
	X(APPROVAL_REFUSED,   "approval-refused",   SG_EPOLICY)                \
	X(NOT_PERMITTED,      "not-permitted",      SG_EPOLICY)                \
	X(AUDIT_BROKEN,       "audit-broken",       SG_EPOLICY)                \
	X(SBOM_INVALID,       "sbom-invalid",       SG_EINPUT)                 \
	X(SBOM_UNSUPPORTED,   "sbom-unsupported",   SG_EINPUT)                 \
	X(OSV_INVALID,        "osv-invalid",        SG_EINPUT)                 \
	X(ARCHIVE_UNSAFE,     "archive-unsafe",     SG_EINPUT)                 \
	X(PURL_INVALID,       "purl-invalid",       SG_EINPUT)                 \
	X(VERSION_INVALID,    "version-invalid",    SG_EINPUT)                 \
	X(LICENSE_INVALID,    "license-invalid",    SG_EINPUT)                 \
	X(CVSS_INVALID,       "cvss-invalid",       SG_EINPUT)                 \
	X(UNAUTHENTICATED,    "unauthenticated",    SG_EUSAGE)                 \
	X(RATE_LIMITED,       "rate-limited",       SG_EUSAGE)                 \
	X(UNAVAILABLE,        "unavailable",        SG_ESTORE)                 \
	X(INTERNAL,           "internal",           SG_EINTERNAL)

enum sg_diag {
	SG_DIAG_NONE = 0,
#define SG_DIAG_ENUM(name, id, cls) SG_DIAG_##name,
	SG_DIAGNOSTICS(SG_DIAG_ENUM)
#undef SG_DIAG_ENUM
	SG_DIAG_COUNT
};

/*
 * The detail of one failure. `where` says what was being read (a file name,
 * "command line", a store URL without credentials); line/column are 1-based
 * and 0 when unknown; offset is a byte offset, -1 when unknown; pointer is a
 * JSON pointer or YAML path, empty when unknown.
 */
struct sg_error {
	int code;           /* SG_E* */
	enum sg_diag diag;
	char message[512];
	char where[256];
	long line;
	long column;
	long long offset;
	char pointer[256];
};

void sg_error_clear(struct sg_error *err);

/* Set code, diag and message; keeps position fields as they are. Returns the code. */
int sg_error_set(struct sg_error *err, enum sg_diag diag, const char *fmt, ...) SG_PRINTF(3, 4);

/* Set where (e.g. the file being read) if it is not set yet. */
void sg_error_where(struct sg_error *err, const char *where);

const char *sg_diag_id(enum sg_diag diag);
int sg_diag_code(enum sg_diag diag);

/* One-line rendering: "where:line:column: pointer: message [diag-id]". */
void sg_error_format(const struct sg_error *err, char *out, size_t out_size);
/* The same without the trailing " [id]", for answers that carry the id apart. */
void sg_error_describe(const struct sg_error *err, char *out, size_t out_size);

#endif
