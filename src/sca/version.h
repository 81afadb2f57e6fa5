/*
 * Version order per ecosystem (FORMATS.md section 6), exactly as each
 * ecosystem's own tool orders versions: node-semver, PEP 440 (packaging),
 * golang.org/x/mod/semver, Maven ComparableVersion, the Rust semver crate's
 * precedence, Gem::Version, NuGetVersion, dpkg and apk-tools.
 *
 * Versions are untrusted text: a string the ecosystem would not parse is
 * SG_EINPUT (never a crash, never a guess), so a caller can report it.
 */
#ifndef SG_SCA_VERSION_H
#define SG_SCA_VERSION_H

#include <stddef.h>

#include "util/error.h"

enum sg_vorder {
	SG_VORDER_NONE = 0, /* no comparator: report, never pass silently */
	SG_VORDER_SEMVER,   /* SemVer 2.0 precedence: OSV ranges of type SEMVER, crates.io, Hex, ... */
	SG_VORDER_NPM,      /* node-semver (SemVer 2.0, loose `v`/`=` prefixes) */
	SG_VORDER_GO,       /* golang.org/x/mod/semver without the `v` (+incompatible, pseudo-versions) */
	SG_VORDER_PYPI,     /* PEP 440 */
	SG_VORDER_MAVEN,    /* ComparableVersion */
	SG_VORDER_RUBYGEMS, /* Gem::Version */
	SG_VORDER_NUGET,    /* NuGetVersion */
	SG_VORDER_DPKG,     /* Debian, Ubuntu */
	SG_VORDER_APK,      /* Alpine, Wolfi, Chainguard */
};
#define SG_VORDER_COUNT 10

/* "npm", "pypi", ... (stable, used in messages and the store). */
const char *sg_vorder_name(enum sg_vorder order);

/*
 * The order an OSV ecosystem uses, chosen on the part before the first ':'
 * ("Debian:12" -> DPKG, "crates.io" -> SEMVER); SG_VORDER_NONE when shipgate
 * has no comparator for it.
 */
enum sg_vorder sg_vorder_for_ecosystem(const char *ecosystem);

/*
 * Compare a with b under `order`: *cmp < 0, 0 or > 0. SG_EINPUT with err
 * saying which version and why when either does not parse under that order
 * (or order is SG_VORDER_NONE). Nothing is allocated that outlives the call.
 */
int sg_version_compare(enum sg_vorder order, const char *a, const char *b, int *cmp,
		       struct sg_error *err) SG_MUST_USE;

/* Does v parse under order? 0 or SG_EINPUT with err filled. */
int sg_version_check(enum sg_vorder order, const char *v, struct sg_error *err) SG_MUST_USE;

#endif
