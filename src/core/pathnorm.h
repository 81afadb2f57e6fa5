/*
 * Normalising the artifact location of a result into the path that counts for
 * identity and is shown to people (SARIF 2.1.0 §3.4; FORMATS.md 1.4).
 *
 *  - percent-decoding; `file:` URIs to paths (`file:///C:/x` -> `C:/x`,
 *    `file://host/x` -> `//host/x`); other schemes are kept as written;
 *  - a relative reference with a known base (the resolved uriBaseId) is joined to it;
 *    a base that is not a file URI (https://host/repo/) leaves it as it is;
 *  - backslashes become slashes, a drive letter is upper-cased;
 *  - "." segments and duplicate slashes are removed, ".." resolved where it can be;
 *  - an absolute path under `source_root` is made relative to it.
 *
 * Pure string work; the result is at most out_size-1 bytes or an error.
 */
#ifndef SG_CORE_PATHNORM_H
#define SG_CORE_PATHNORM_H

#include <stddef.h>

/*
 * base: the uriBaseId resolved to a URI or path, or NULL.
 * source_root: an absolute, normalised directory without trailing slash, or NULL.
 * Returns 0, or -1 when the result does not fit or the input is malformed
 * (a bad percent escape, a NUL).
 */
int sg_path_normalize(const char *uri, const char *base, const char *source_root,
		      char *out, size_t out_size);

/* Is `path` relative and free of ".." segments (safe to join under a root)? */
int sg_path_is_contained(const char *path);

#endif
