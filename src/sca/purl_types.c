/*
 * What a purl type means to OSV: its ecosystem and how OSV spells the package
 * name (FORMATS.md section 4.3; google/osv-scalibr extractor/convert.go
 * toEcosystem for the language ecosystems, purl/ecosystem for apk, and the
 * release suffixes of osv-schema's ecosystems.json for distributions).
 */
#include "sca/purl.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/banned.h"

enum name_style {
	NAME_ONLY,   /* the name; a namespace is not part of the OSV name */
	NAME_SLASH,  /* namespace "/" name: npm scopes, Go modules, Packagist vendors */
	NAME_COLON,  /* namespace ":" name: Maven groupId:artifactId */
	NAME_PEP503, /* PyPI: lowercase, runs of "-_." become "-" */
};

static const struct {
	const char *type;
	const char *ecosystem;
	enum name_style style;
} ecosystems[] = {
	{"pypi", "PyPI", NAME_PEP503},
	{"maven", "Maven", NAME_COLON},
	{"npm", "npm", NAME_SLASH},
	{"golang", "Go", NAME_SLASH},
	{"cargo", "crates.io", NAME_ONLY},
	{"gem", "RubyGems", NAME_ONLY},
	{"nuget", "NuGet", NAME_ONLY},
	{"composer", "Packagist", NAME_SLASH},
	/* A hex namespace is a private organisation; OSV names the package. */
	{"hex", "Hex", NAME_ONLY},
	{"pub", "Pub", NAME_ONLY},
	{"cran", "CRAN", NAME_ONLY},
	{"hackage", "Hackage", NAME_ONLY},
	{"conan", "ConanCenter", NAME_ONLY},
	{"julia", "Julia", NAME_ONLY},
	{"opam", "opam", NAME_ONLY},
	{"bitnami", "Bitnami", NAME_ONLY},
	/* SwiftURL names are "github.com/owner/repo"; GitHub Actions "owner/repo". */
	{"swift", "SwiftURL", NAME_SLASH},
	{"github", "GitHub Actions", NAME_SLASH},
};

/* Release codenames that a `distro` qualifier may carry instead of a number. */
static const struct {
	const char *codename;
	const char *distro;
	const char *release;
} codenames[] = {
	{"jessie", "Debian", "8"},
	{"stretch", "Debian", "9"},
	{"buster", "Debian", "10"},
	{"bullseye", "Debian", "11"},
	{"bookworm", "Debian", "12"},
	{"trixie", "Debian", "13"},
	{"xenial", "Ubuntu", "16.04"},
	{"bionic", "Ubuntu", "18.04"},
	{"focal", "Ubuntu", "20.04"},
	{"jammy", "Ubuntu", "22.04"},
	{"noble", "Ubuntu", "24.04"},
};

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int to_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static int ascii_caseeq(const char *a, const char *b)
{
	if (!a || !b)
		return 0;
	while (*a && to_lower((unsigned char)*a) == to_lower((unsigned char)*b)) {
		a++;
		b++;
	}
	return *a == '\0' && *b == '\0';
}

static int put(char *out, size_t size, const char *what, struct sg_error *err, const char *fmt, ...)
	SG_PRINTF(5, 6);

static int put(char *out, size_t size, const char *what, struct sg_error *err, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!out || size == 0)
		return sg_error_set(err, SG_DIAG_LIMIT_EXCEEDED, "no room for the OSV %s", what);
	va_start(ap, fmt);
	/* Flawfinder: ignore (the format is checked by the compiler: SG_PRINTF) */
	n = vsnprintf(out, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size) {
		out[0] = '\0';
		return sg_error_set(err, SG_DIAG_LIMIT_EXCEEDED, "the OSV %s does not fit in %zu bytes", what,
				    size);
	}
	return 0;
}

/* The part of a `distro` value after its last '-' ("debian-12" -> "12"). */
static const char *distro_release(const char *distro)
{
	const char *dash = distro ? strrchr(distro, '-') : NULL;

	return dash ? dash + 1 : distro;
}

/* Is s digits and dots, starting with a digit ("12", "22.04", "3.20.1")? */
static int is_numeric_release(const char *s)
{
	if (!s || !is_digit((unsigned char)s[0]))
		return 0;
	for (; *s; s++)
		if (!is_digit((unsigned char)*s) && *s != '.')
			return 0;
	return 1;
}

/*
 * deb: "Debian" or "Ubuntu" from the namespace (or, without one, from the
 * distro qualifier), the release from `distro`: "debian-12", "12.5" and
 * "bookworm" give "Debian:12" (OSV keys Debian by major release),
 * "ubuntu-22.04" and "jammy" give "Ubuntu:22.04". A release that cannot be
 * told leaves the bare ecosystem name.
 */
static int deb_ecosystem(const struct sg_purl *p, char *eco, size_t eco_size, struct sg_error *err)
{
	const char *distro = sg_purl_qualifier(p, "distro");
	const char *rel = distro_release(distro);
	const char *name = NULL, *release = NULL;
	size_t i, major;

	if (ascii_caseeq(p->namespace_, "debian"))
		name = "Debian";
	else if (ascii_caseeq(p->namespace_, "ubuntu"))
		name = "Ubuntu";
	for (i = 0; rel && i < sizeof(codenames) / sizeof(codenames[0]); i++)
		if (ascii_caseeq(rel, codenames[i].codename) && (!name || strcmp(name, codenames[i].distro) == 0)) {
			name = codenames[i].distro;
			release = codenames[i].release;
		}
	if (!name && distro) {
		if (strncmp(distro, "debian-", 7) == 0)
			name = "Debian";
		else if (strncmp(distro, "ubuntu-", 7) == 0)
			name = "Ubuntu";
	}
	if (!name)
		return sg_error_set(err, SG_DIAG_NOT_FOUND, "no OSV ecosystem for deb namespace \"%.60s\"",
				    p->namespace_ ? p->namespace_ : "");
	if (release)
		return put(eco, eco_size, "ecosystem", err, "%s:%s", name, release);
	if (!is_numeric_release(rel))
		return put(eco, eco_size, "ecosystem", err, "%s", name);
	if (strcmp(name, "Debian") == 0) {
		major = strcspn(rel, ".");
		return put(eco, eco_size, "ecosystem", err, "Debian:%.*s", (int)major, rel);
	}
	return put(eco, eco_size, "ecosystem", err, "%s:%s", name, rel);
}

/*
 * apk (osv-scalibr purl/ecosystem apkToEcosystem): wolfi and chainguard are
 * their own unversioned ecosystems; Alpine takes "v<major>.<minor>" from the
 * distro ("alpine-3.20.1", "3.20.1", "v3.20" -> "Alpine:v3.20").
 */
static int apk_ecosystem(const struct sg_purl *p, char *eco, size_t eco_size, struct sg_error *err)
{
	const char *rel = distro_release(sg_purl_qualifier(p, "distro"));
	size_t major, minor;

	if (ascii_caseeq(p->namespace_, "wolfi"))
		return put(eco, eco_size, "ecosystem", err, "Wolfi");
	if (ascii_caseeq(p->namespace_, "chainguard"))
		return put(eco, eco_size, "ecosystem", err, "Chainguard");
	if (p->namespace_ && !ascii_caseeq(p->namespace_, "alpine"))
		return sg_error_set(err, SG_DIAG_NOT_FOUND, "no OSV ecosystem for apk namespace \"%.60s\"",
				    p->namespace_);
	if (rel && (rel[0] == 'v' || rel[0] == 'V'))
		rel++;
	if (rel && strcmp(rel, "edge") == 0)
		return put(eco, eco_size, "ecosystem", err, "Alpine:edge");
	if (is_numeric_release(rel)) {
		major = strcspn(rel, ".");
		if (rel[major] == '.' && is_digit((unsigned char)rel[major + 1])) {
			minor = strcspn(rel + major + 1, ".");
			return put(eco, eco_size, "ecosystem", err, "Alpine:v%.*s.%.*s", (int)major, rel,
				   (int)minor, rel + major + 1);
		}
	}
	return put(eco, eco_size, "ecosystem", err, "Alpine");
}

/* PEP 503: lowercase, and every run of '-', '_', '.' becomes one '-'. */
static int pep503_name(const char *name, char *out, size_t size, struct sg_error *err)
{
	size_t i = 0;
	int in_run = 0;

	if (!out || size == 0)
		return sg_error_set(err, SG_DIAG_LIMIT_EXCEEDED, "no room for the OSV name");
	for (; *name; name++) {
		int c = (unsigned char)*name;
		if (c == '-' || c == '_' || c == '.') {
			if (in_run)
				continue;
			in_run = 1;
			c = '-';
		} else {
			in_run = 0;
			c = to_lower(c);
		}
		if (i + 1 >= size) {
			out[0] = '\0';
			return sg_error_set(err, SG_DIAG_LIMIT_EXCEEDED, "the OSV name does not fit in %zu bytes",
					    size);
		}
		out[i++] = (char)c;
	}
	out[i] = '\0';
	return 0;
}

int sg_purl_osv_package(const struct sg_purl *p, char *ecosystem, size_t eco_size, char *name,
			size_t name_size, struct sg_error *err)
{
	enum name_style style = NAME_ONLY;
	size_t i;
	int rc;

	if (!p->type || !p->name || !p->name[0])
		return sg_error_set(err, SG_DIAG_PURL_INVALID, "purl without a type and name has no OSV package");
	if (strcmp(p->type, "deb") == 0) {
		rc = deb_ecosystem(p, ecosystem, eco_size, err);
	} else if (strcmp(p->type, "apk") == 0) {
		rc = apk_ecosystem(p, ecosystem, eco_size, err);
	} else {
		for (i = 0; i < sizeof(ecosystems) / sizeof(ecosystems[0]); i++)
			if (strcmp(p->type, ecosystems[i].type) == 0)
				break;
		if (i == sizeof(ecosystems) / sizeof(ecosystems[0]))
			return sg_error_set(err, SG_DIAG_NOT_FOUND, "no OSV ecosystem for purl type \"%.60s\"",
					    p->type);
		style = ecosystems[i].style;
		rc = put(ecosystem, eco_size, "ecosystem", err, "%s", ecosystems[i].ecosystem);
	}
	if (rc)
		return rc;

	switch (style) {
	case NAME_PEP503:
		return pep503_name(p->name, name, name_size, err);
	case NAME_SLASH:
		if (p->namespace_)
			return put(name, name_size, "name", err, "%s/%s", p->namespace_, p->name);
		break;
	case NAME_COLON:
		if (p->namespace_)
			return put(name, name_size, "name", err, "%s:%s", p->namespace_, p->name);
		break;
	case NAME_ONLY:
	default:
		break;
	}
	/* Distribution advisories name source packages ("openssl", not
	 * "libssl3"); SBOM generators such as syft put the source in the
	 * `upstream` qualifier, as "source" or "source@version". */
	if (strcmp(p->type, "deb") == 0 || strcmp(p->type, "apk") == 0) {
		const char *up = sg_purl_qualifier(p, "upstream");
		if (up && up[0] && up[0] != '@')
			return put(name, name_size, "name", err, "%.*s", (int)strcspn(up, "@"), up);
	}
	return put(name, name_size, "name", err, "%s", p->name);
}
