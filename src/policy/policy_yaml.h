/*
 * The policy file (shipgate.yml) and the built-in policy, read into core's
 * policy model (core/policy.h). DESIGN.md section 5.
 *
 * The format, and the only keys this version accepts:
 *
 *   policy: secure-development        required; 1..127 of [A-Za-z0-9._-]
 *   block_release: [critical, high]   required list of severities; may be []
 *   approver_role: cto                optional; who approves exceptions (default cto)
 *   exception_max_days: 90            optional; longest exception an approver may sign
 *   sla_days: {critical: 7, ...}      optional; present = clause "remediate.sla"
 *   require:                          optional mapping
 *     sast:                           optional; present = clause "sast" enabled
 *       on_release_commit: true       true | false; default true
 *       max_age_days: 7               integer 1..3650; default 7
 *     sca:                            optional; present = clause "sca" enabled
 *       on_release_commit: true       true | false; default true
 *       max_age_days: 30              integer 1..3650; default 30
 *   licenses:                         optional; licence findings (kind license)
 *     deny: [GPL-3.0-only]            SPDX ids (or LicenseRef-...), case-insensitive
 *     allow: [MIT, Apache-2.0]        optional; absent or [] = all not denied
 *     severity: high                  of a violation; default high
 *   severity_overrides:               optional list
 *     - tool: Flawfinder              required, as SARIF tool.driver.name
 *       rule: FF1004                  optional; absent = every rule of the tool
 *       severity: low                 required
 *
 * Any other key is an error (policy-unknown-key), never ignored: a policy
 * must not look as if it enforced a clause that shipgate does not evaluate.
 *
 * The text is untrusted. It is read as a stream of libyaml events (no
 * document tree) in the safe subset of YAML: one document, no aliases or
 * anchors (no "billion laughs"), no tags, no %TAG directives, nesting at most
 * SG_POLICY_MAX_DEPTH, lists at most SG_POLICY_MAX_LIST_ITEMS, no NUL bytes,
 * valid UTF-8. Booleans are true/false only and integers are plain decimal,
 * so that YAML 1.1 readers (yes/no, octal 010) and shipgate never disagree.
 *
 * Errors: a negative SG_E* code, with `err` filled in: where = the source
 * name, line/column 1-based, pointer = the YAML path of the offending node
 * ("/require/sast/max_age_days", "/" for the document). Diagnostics:
 *   policy-syntax        not well-formed YAML, invalid UTF-8, a NUL byte, an
 *                        empty document, several documents, an alias, an
 *                        anchor, a tag, a %TAG directive, a non-string key
 *   policy-unknown-key   a key this version does not know
 *   policy-duplicate-key a key given twice in one mapping, a severity listed
 *                        twice in block_release, two overrides of one
 *                        (tool, rule)
 *   policy-value         a wrong type or value, a missing required key (at
 *                        the mapping that lacks it), a document that is not
 *                        a mapping
 *   limit-exceeded       size, nesting or list length above util/limits.h
 *   file-open, file-read reading the file failed (sg_policy_load_file)
 *   no-memory            an allocation failed
 * Reader errors (bad UTF-8) have an empty pointer and a byte offset too.
 */
#ifndef SG_POLICY_POLICY_YAML_H
#define SG_POLICY_POLICY_YAML_H

#include <stddef.h>

#include "core/policy.h"
#include "util/buf.h"
#include "util/error.h"

/*
 * Parse policy YAML text; `source` names it in errors and in policy->source
 * (cut to fit). *out need not be initialised: it is overwritten (not freed).
 * On success *out holds the policy (call sg_policy_release later) with
 * sha256 = SHA-256 of the len bytes of text; sg_crypto_init() must have been
 * called. On error returns a negative SG_E* code, fills err, and leaves
 * *out released (nothing to free).
 */
int sg_policy_parse(const char *text, size_t len, const char *source, struct sg_policy *out,
		    struct sg_error *err) SG_MUST_USE;

/*
 * Read and parse the file at `path` (at most SG_POLICY_MAX_BYTES; larger is
 * limit-exceeded). policy->source = path. file-open / file-read on IO errors.
 */
int sg_policy_load_file(const char *path, struct sg_policy *out,
			struct sg_error *err) SG_MUST_USE;

/* The built-in policy: the embedded text parsed with source "built-in". */
int sg_policy_load_builtin(struct sg_policy *out, struct sg_error *err) SG_MUST_USE;

/*
 * The embedded text of the built-in policy (static, NUL-terminated), which
 * `shipgate init` writes as the starter shipgate.yml. Its comments explain
 * every key: it is the file users edit.
 */
const char *sg_policy_builtin_text(void);

/*
 * Append the effective policy to `out` as canonical YAML: every key of the
 * file format, defaults spelled out, no comments (`shipgate policy show`).
 * Parsing the result gives an equal model (except sha256 and source).
 * Returns 0, or the buffer's error (SG_ENOMEM, SG_EINPUT when over its max).
 */
int sg_policy_render_yaml(const struct sg_policy *policy, struct sg_buf *out) SG_MUST_USE;

#endif
