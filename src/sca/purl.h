/*
 * Package URLs (ECMA-427, package-url/purl-spec; FORMATS.md section 4.3):
 * pkg:type/namespace/name@version?qualifiers#subpath.
 *
 * Parsing decodes and normalises per the specification and its type rules
 * (lowercase type, pypi names lowercased with '_' -> '-', qualifier keys
 * lowercased and sorted, empty qualifier values dropped, ...); building gives
 * the canonical string. Both pass the purl-spec test suite
 * (tests/unit/test_purl.c reads ../shared/corpus/cyclonedx/purl-spec).
 */
#ifndef SG_SCA_PURL_H
#define SG_SCA_PURL_H

#include <stddef.h>

#include "util/error.h"

#define SG_PURL_MAX_BYTES      4096 /* a purl as text */
#define SG_PURL_MAX_QUALIFIERS 32

struct sg_purl_qualifier {
	char *key;   /* lowercase */
	char *value; /* decoded */
};

/* Every string decoded and owned; namespace, version, subpath may be NULL. */
struct sg_purl {
	char *type;
	char *namespace_; /* segments joined by '/', each decoded */
	char *name;
	char *version;
	struct sg_purl_qualifier qualifiers[SG_PURL_MAX_QUALIFIERS]; /* sorted by key */
	size_t n_qualifiers;
	char *subpath;    /* segments joined by '/', '.' and '..' removed */
};

/* Parse text; SG_EINPUT (diagnostic purl-invalid) saying what is wrong. */
int sg_purl_parse(const char *text, struct sg_purl *out, struct sg_error *err) SG_MUST_USE;
void sg_purl_free(struct sg_purl *p);

/*
 * The canonical string of p (how-to-build.md), into out. With
 * SG_PURL_NO_VERSION the version is left out, with SG_PURL_NO_QUALIFIERS the
 * qualifiers and subpath: a finding's component identity is
 * SG_PURL_NO_VERSION | SG_PURL_NO_QUALIFIERS.
 * SG_EINPUT when p breaks a type rule; limit-exceeded when out is too small.
 */
#define SG_PURL_NO_VERSION    1
#define SG_PURL_NO_QUALIFIERS 2
int sg_purl_build(const struct sg_purl *p, int flags, char *out, size_t size,
		  struct sg_error *err) SG_MUST_USE;

/* A qualifier's value, or NULL. */
const char *sg_purl_qualifier(const struct sg_purl *p, const char *key);

/*
 * The OSV package a purl names (osv-scalibr extractor/convert.go toEcosystem):
 * ecosystem "npm", "PyPI", "Go", "Maven", "crates.io", "RubyGems", "NuGet",
 * "Packagist", "Hex", "Pub", ..., and for distributions "Debian:12",
 * "Alpine:v3.20", "Ubuntu:22.04" from the `distro` qualifier or namespace
 * (just "Debian" when the release is not known); name as OSV spells it
 * ("@angular/core", "org.apache.logging.log4j:log4j-core",
 * "github.com/gin-gonic/gin", PEP 503-normalised PyPI names).
 * SG_ENOTFOUND when the type has no OSV ecosystem (e.g. "generic").
 */
int sg_purl_osv_package(const struct sg_purl *p, char *ecosystem, size_t eco_size, char *name,
			size_t name_size, struct sg_error *err) SG_MUST_USE;

#endif
