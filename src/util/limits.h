/*
 * Every limit shipgate enforces on untrusted input, in one place.
 * docs/limits.md documents each one; a change here changes that page too.
 * Exceeding a limit is an input error (exit 2) with diagnostic `limit-exceeded`.
 */
#ifndef SG_UTIL_LIMITS_H
#define SG_UTIL_LIMITS_H

/* JSON documents (SARIF and every later JSON format). */
#define SG_JSON_MAX_DOCUMENT_BYTES   (4ULL << 30) /* 4 GiB: a 1M-result SARIF is ~1 GiB */
#define SG_JSON_MAX_DEPTH            128          /* SARIF code flows nest ~20 deep */
#define SG_JSON_MAX_STRING_BYTES     (1U << 20)   /* 1 MiB for one string or key */
#define SG_JSON_MAX_TOKEN_BYTES      1024         /* a number or literal: yajl re-lexes long ones */
#define SG_JSON_READ_CHUNK           (256U << 10) /* bytes read per parse step */

/* SARIF. */
#define SG_SARIF_MAX_RUNS            1000
#define SG_SARIF_MAX_RESULTS         10000000     /* per document, all runs together */
#define SG_SARIF_MAX_RULES           100000       /* per document, all runs and tool components */
#define SG_SARIF_MAX_EXTENSIONS      1000         /* tool.extensions per run */
#define SG_SARIF_MAX_URI_BASES       256          /* originalUriBaseIds per run */
#define SG_SARIF_MAX_ARTIFACTS       100000       /* run.artifacts kept per document */
#define SG_SARIF_MAX_URI_BASE_CHAIN  8            /* uriBaseId -> uriBaseId hops */
#define SG_SARIF_MAX_FINGERPRINTS    64           /* (partial)fingerprints per result */
#define SG_SARIF_MAX_FIELD_BYTES     4096         /* ids, paths, rule names kept per result */
#define SG_SARIF_MAX_MESSAGE_BYTES   8192         /* message text kept (longer is cut, not an error) */
#define SG_SARIF_MAX_LINE            100000000    /* line and column numbers */

/* Source lines read through --source-root to identify a finding. */
#define SG_SOURCE_MAX_FILE_BYTES     (64U << 20)
#define SG_SOURCE_MAX_LINE_BYTES     4096

/* Policy YAML. */
#define SG_POLICY_MAX_BYTES          (1U << 20)
#define SG_POLICY_MAX_DEPTH          16
#define SG_POLICY_MAX_LIST_ITEMS     1000

/* Command line and names. */
#define SG_MAX_NAME_BYTES            200          /* product names, versions, categories */
#define SG_MAX_COMMIT_BYTES          64
#define SG_MAX_REASON_BYTES          4096
#define SG_MAX_INGEST_FILES          1000
#define SG_INGEST_MAX_VIEWS          1000         /* (tool, category) views in one ingest */

/* Keys, signatures and what is signed (evidence/keys.c). */
#define SG_KEY_FILE_MAX_BYTES        4096         /* a key or signature file */
#define SG_SIGNED_MAX_BYTES          (64U << 10)  /* an exception's signed text; `key sign` input */

/* The audit ledger: the payload of one event (an ingest of
 * SG_MAX_INGEST_FILES files with long names fits). */
#define SG_AUDIT_MAX_PAYLOAD_BYTES   (8U << 20)

/* SBOMs (CycloneDX, SPDX). */
#define SG_SBOM_MAX_COMPONENTS       1000000      /* per document, nested ones included */
#define SG_SBOM_MAX_FIELD_BYTES      4096         /* names, versions, purls, refs kept */
#define SG_SBOM_MAX_VEX              100000       /* vulnerabilities[] entries */
#define SG_SBOM_MAX_VEX_REFS         10000        /* affects[] per vulnerability */

/* OSV records (one advisory each). */
#define SG_OSV_MAX_RECORD_BYTES      (16U << 20)  /* the largest real records list ~10k versions */
#define SG_OSV_MAX_AFFECTED          4096
#define SG_OSV_MAX_RANGES            256          /* per affected entry */
#define SG_OSV_MAX_EVENTS            4096         /* per range */
#define SG_OSV_MAX_VERSIONS          100000       /* versions[] per affected entry */
#define SG_OSV_MAX_ALIASES           256
#define SG_OSV_MAX_SUMMARY_BYTES     1024         /* kept (longer is cut, not an error) */
#define SG_OSV_MAX_VERSION_BYTES     256          /* one version string */

/* vulndb import sources: directories and zip archives. */
#define SG_VULNDB_MAX_ENTRIES        4000000      /* files in one archive or directory tree */
#define SG_VULNDB_MAX_TOTAL_BYTES    (32ULL << 30) /* uncompressed, one archive */
#define SG_VULNDB_MAX_RATIO          200          /* uncompressed : compressed, per archive */
#define SG_VULNDB_MAX_DIR_DEPTH      16

/* API tokens (shipgate token create): random bytes, shown once as text. */
#define SG_TOKEN_RANDOM_BYTES        32
#define SG_TOKEN_TEXT_BYTES          64           /* "sgt_" + base64url of the bytes, NUL */

/* The HTTP API server (shipgate serve); most can be changed by options. */
#define SG_HTTP_MAX_HEADER_BYTES     (16U << 10)  /* all of a request's headers, before auth */
#define SG_HTTP_MAX_BODY_BYTES       (512ULL << 20) /* an upload (--max-body) */
#define SG_HTTP_MAX_JSON_BODY_BYTES  (64U << 10)  /* a small JSON request (triage, exception) */
#define SG_HTTP_IDLE_TIMEOUT_S       30           /* no byte received for this long: closed */
#define SG_HTTP_REQUEST_TIMEOUT_S    600          /* one request, headers to answer (--request-timeout) */
#define SG_HTTP_MAX_CONNECTIONS      64           /* served at once, one thread each (--threads) */
#define SG_HTTP_MAX_PER_ADDRESS      32           /* connections from one client address (--per-address) */
#define SG_HTTP_RATE_PER_TOKEN       50           /* requests per second, sustained (--rate-limit) */
#define SG_HTTP_RATE_BURST_SECONDS   4            /* bucket: this many seconds of the rate */
#define SG_HTTP_MAX_PAGE_SIZE        1000         /* findings per page */
#define SG_HTTP_STOP_GRACE_S         30           /* SIGTERM: in-flight requests get this long */

/* The command line talking to a server (--server URL). */
#define SG_CLIENT_MAX_RESPONSE_BYTES (64U << 20)  /* one answer kept in memory */
#define SG_CLIENT_MAX_URL_BYTES      8192         /* a request's whole URL */
#define SG_CLIENT_MAX_TOKEN_BYTES    256          /* tokens are "sgt_" + 43 characters */
#define SG_CLIENT_CONNECT_TIMEOUT_S  10
/* No overall timeout (an upload takes as long as it takes), but a transfer
 * below 1 byte/s for this long is given up: as long as the server may take
 * over one request (SG_HTTP_REQUEST_TIMEOUT_S), since a large ingest can
 * keep it busy that long before the first byte of its answer. */
#define SG_CLIENT_LOW_SPEED_TIME_S   600

/* Gate output: every blocker is counted; at most this many are listed. */
#define SG_GATE_MAX_LISTED           1000

#endif
