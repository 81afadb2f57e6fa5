/*
 * Choosing a comparator: by OSV ecosystem name (osv-scalibr semantic/parse.go
 * groups them the same way), and dispatching to it.
 */
#include "sca/version.h"

#include <string.h>

#include "sca/version_impl.h"

struct order_ops {
	const char *name;
	int (*compare)(const char *a, const char *b, int *cmp, struct sg_error *err);
	int (*check)(const char *v, struct sg_error *err);
};

static const struct order_ops orders[SG_VORDER_COUNT] = {
	[SG_VORDER_NONE] = {"none", NULL, NULL},
	[SG_VORDER_SEMVER] = {"semver", sg_vcmp_semver, sg_vcheck_semver},
	[SG_VORDER_NPM] = {"npm", sg_vcmp_npm, sg_vcheck_npm},
	[SG_VORDER_GO] = {"go", sg_vcmp_go, sg_vcheck_go},
	[SG_VORDER_PYPI] = {"pypi", sg_vcmp_pypi, sg_vcheck_pypi},
	[SG_VORDER_MAVEN] = {"maven", sg_vcmp_maven, sg_vcheck_maven},
	[SG_VORDER_RUBYGEMS] = {"rubygems", sg_vcmp_rubygems, sg_vcheck_rubygems},
	[SG_VORDER_NUGET] = {"nuget", sg_vcmp_nuget, sg_vcheck_nuget},
	[SG_VORDER_DPKG] = {"dpkg", sg_vcmp_dpkg, sg_vcheck_dpkg},
	[SG_VORDER_APK] = {"apk", sg_vcmp_apk, sg_vcheck_apk},
};

/* OSV ecosystem (the part before ':') -> order. Ecosystems that
 * osv-scalibr orders as SemVer are SemVer here too. */
static const struct {
	const char *ecosystem;
	enum sg_vorder order;
} ecosystems[] = {
	{"npm", SG_VORDER_NPM},
	{"crates.io", SG_VORDER_SEMVER},
	{"Go", SG_VORDER_GO},
	{"Hex", SG_VORDER_SEMVER},
	{"Bitnami", SG_VORDER_SEMVER},
	{"SwiftURL", SG_VORDER_SEMVER},
	{"ConanCenter", SG_VORDER_SEMVER},
	{"Julia", SG_VORDER_SEMVER},
	{"GHC", SG_VORDER_SEMVER},
	{"Bioconductor", SG_VORDER_SEMVER},
	{"PyPI", SG_VORDER_PYPI},
	{"Maven", SG_VORDER_MAVEN},
	{"RubyGems", SG_VORDER_RUBYGEMS},
	{"NuGet", SG_VORDER_NUGET},
	{"Debian", SG_VORDER_DPKG},
	{"Ubuntu", SG_VORDER_DPKG},
	{"Alpine", SG_VORDER_APK},
	{"Wolfi", SG_VORDER_APK},
	{"Chainguard", SG_VORDER_APK},
	{"MinimOS", SG_VORDER_APK},
	{"Alpaquita", SG_VORDER_APK},
};

const char *sg_vorder_name(enum sg_vorder order)
{
	if ((unsigned)order >= SG_VORDER_COUNT)
		return "none";
	return orders[order].name;
}

enum sg_vorder sg_vorder_for_ecosystem(const char *ecosystem)
{
	size_t len, i;

	if (!ecosystem)
		return SG_VORDER_NONE;
	len = strcspn(ecosystem, ":");
	for (i = 0; i < sizeof(ecosystems) / sizeof(ecosystems[0]); i++)
		if (strlen(ecosystems[i].ecosystem) == len && memcmp(ecosystems[i].ecosystem, ecosystem, len) == 0)
			return ecosystems[i].order;
	return SG_VORDER_NONE;
}

int sg_version_compare(enum sg_vorder order, const char *a, const char *b, int *cmp, struct sg_error *err)
{
	if ((unsigned)order >= SG_VORDER_COUNT || !orders[order].compare)
		return sg_error_set(err, SG_DIAG_VERSION_INVALID, "no version order to compare \"%.60s\" with",
				    a ? a : "");
	return orders[order].compare(a, b, cmp, err);
}

int sg_version_check(enum sg_vorder order, const char *v, struct sg_error *err)
{
	if ((unsigned)order >= SG_VORDER_COUNT || !orders[order].check)
		return sg_error_set(err, SG_DIAG_VERSION_INVALID, "no version order to read \"%.60s\"", v ? v : "");
	return orders[order].check(v, err);
}

/* Bytes of a version shown in a message, and room for them escaped. */
#define QUOTE_INPUT 60
#define QUOTE_BYTES (QUOTE_INPUT * 4 + 4)

int sg_version_invalid(const char *order, const char *v, const char *why, struct sg_error *err)
{
	char q[QUOTE_BYTES];
	size_t n, used = 0, i;

	/* Hostile text must not break the one-line message. */
	v = v ? v : "";
	n = strnlen(v, QUOTE_INPUT + 1);
	for (i = 0; i < n && i < QUOTE_INPUT; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			q[used++] = (char)c;
		} else {
			static const char hex[] = "0123456789abcdef";
			q[used++] = '\\';
			q[used++] = 'x';
			q[used++] = hex[c >> 4];
			q[used++] = hex[c & 15];
		}
	}
	if (n > QUOTE_INPUT) {
		memcpy(q + used, "...", 3);
		used += 3;
	}
	q[used] = '\0';
	return sg_error_set(err, SG_DIAG_VERSION_INVALID, "%s version \"%s\" does not parse: %s", order, q, why);
}
