/*
 * NuGet.Versioning's NuGetVersion: TryParse (NuGetVersionFactory.cs,
 * SemanticVersionFactory.cs ParseSections / IsValidPart) and
 * VersionComparer.Compare in its default mode (VersionComparer.cs).
 *
 * - The string is trimmed (ASCII whitespace here; .NET also trims Unicode
 *   spaces, which shipgate refuses instead), then split at the first "-" or
 *   "+" into the version, the release labels up to the next "+", and the
 *   build metadata.
 * - The version is 1 to 4 dot-separated numbers (Major.Minor.Patch.Revision),
 *   missing ones 0, leading zeros ignored. Each is a System.Version Int32:
 *   above 2147483647 is refused (older NuGet failed in System.Version; newer
 *   NuGet's hand parser wraps around, which no version means), as is an empty
 *   part ("1..2", "1.": newer NuGet reads those as 0).
 * - Labels are non-empty [0-9A-Za-z-]+ and a numeric one has no leading
 *   zero; metadata parts are non-empty [0-9A-Za-z-]+ and ignored in order.
 * - Labels compare as in CompareRelease: a label int.TryParse reads (an
 *   optional "-" and digits within Int32, so "-1" is minus one) is numeric
 *   and sorts below the others; numeric ones by value; the others with
 *   StringComparer.OrdinalIgnoreCase. No labels sorts above any labels; a
 *   shorter list sorts first when the shared labels are equal.
 *
 * Nothing is allocated: the version is read in place.
 */
#include "sca/version_impl.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define NUGET_PARTS 4    /* Major.Minor.Patch.Revision */
#define INT32_DIGITS 10  /* digits of 2147483647 */

struct nuget {
	uint32_t num[NUGET_PARTS];
	const char *labels; /* release labels, dot-separated; NULL when none */
	size_t labels_len;
};

static int invalid(const char *v, const char *why, struct sg_error *err)
{
	return sg_version_invalid("nuget", v, why, err);
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* SemanticVersion.IsLetterOrDigitOrDash */
static int is_label_char(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

static int is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Digits p[0..n) as a value up to limit: 0, or -1 when above it. */
static int read_number(const char *p, size_t n, uint64_t limit, uint64_t *out)
{
	uint64_t v = 0;

	while (n > 0 && *p == '0')
		p++, n--;
	if (n > INT32_DIGITS)
		return -1;
	while (n-- > 0)
		v = v * 10 + (uint64_t)(*p++ - '0');
	if (v > limit)
		return -1;
	*out = v;
	return 0;
}

/* IsValid / IsValidPart over a dot-separated list. */
static const char *check_parts(const char *p, const char *e, int allow_leading_zeros)
{
	const char *part = p;
	int digits_only = 1;

	for (;; p++) {
		if (p == e || *p == '.') {
			if (p == part)
				return "empty label or metadata part";
			/* "0 is fine, but 00 is not. 0A counts as an alpha numeric string" */
			if (!allow_leading_zeros && digits_only && *part == '0' && p - part > 1)
				return "numeric label with a leading zero";
			if (p == e)
				return NULL;
			part = p + 1;
			digits_only = 1;
		} else if (!is_label_char(*p)) {
			return "character outside [0-9A-Za-z-.]";
		} else if (!is_digit(*p)) {
			digits_only = 0;
		}
	}
}

static const char *parse_nuget(const char *s, struct nuget *v)
{
	const char *p, *e, *part, *end_version, *plus;
	size_t len = strlen(s), i;
	uint64_t n;
	const char *why;

	memset(v, 0, sizeof(*v));
	p = s;
	e = s + len;
	while (p < e && is_space(*p))
		p++;
	while (e > p && is_space(e[-1]))
		e--;
	if (p == e)
		return "empty";
	end_version = p;
	while (end_version < e && *end_version != '-' && *end_version != '+')
		end_version++;
	/* Version: 1 to 4 numbers (System.Version parts, Int32). */
	part = p;
	for (i = 0;; i++) {
		const char *q = part;

		while (q < end_version && is_digit(*q))
			q++;
		if (q == part)
			return q < end_version && *q != '.' ? "version part is not a number" : "empty version part";
		if (q < end_version && *q != '.')
			return "version part is not a number";
		if (i == NUGET_PARTS)
			return "more than 4 version parts";
		if (read_number(part, (size_t)(q - part), INT32_MAX, &n))
			return "version part above 2147483647";
		v->num[i] = (uint32_t)n;
		if (q == end_version)
			break;
		part = q + 1;
	}
	p = end_version;
	if (p < e && *p == '-') {
		p++;
		plus = memchr(p, '+', (size_t)(e - p));
		v->labels = p;
		v->labels_len = (size_t)((plus ? plus : e) - p);
		why = check_parts(p, p + v->labels_len, 0);
		if (why)
			return why;
		p += v->labels_len;
	}
	if (p < e) {
		/* p is at the "+": the rest is metadata (a second "+" is invalid there). */
		why = check_parts(p + 1, e, 1);
		if (why)
			return why;
	}
	return NULL;
}

/* int.TryParse on a valid label: an optional "-", digits, within Int32. */
static int label_number(const char *p, size_t n, int64_t *out)
{
	int neg = n > 0 && *p == '-';
	uint64_t v;
	size_t i;

	if (neg)
		p++, n--;
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!is_digit(p[i]))
			return 0;
	if (read_number(p, n, neg ? (uint64_t)INT32_MAX + 1 : (uint64_t)INT32_MAX, &v))
		return 0;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 1;
}

static int upper(char c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

/* VersionComparer.CompareRelease */
static int cmp_label(const char *a, size_t an, const char *b, size_t bn)
{
	int64_t x, y;
	int xnum = label_number(a, an, &x), ynum = label_number(b, bn, &y);
	size_t i;

	if (xnum && ynum)
		return (x > y) - (x < y);
	if (xnum || ynum)
		return xnum ? -1 : 1;
	/* StringComparer.OrdinalIgnoreCase: ordinal after upper-casing. */
	for (i = 0; i < an && i < bn; i++)
		if (upper(a[i]) != upper(b[i]))
			return upper(a[i]) < upper(b[i]) ? -1 : 1;
	return (an > bn) - (an < bn);
}

/* VersionComparer.CompareReleaseLabels */
static int cmp_labels(const struct nuget *a, const struct nuget *b)
{
	size_t ia = 0, ib = 0, sa, sb;
	int c;

	if (!a->labels || !b->labels)
		return (!a->labels) - (!b->labels);
	while (ia < a->labels_len && ib < b->labels_len) {
		sa = ia;
		sb = ib;
		while (ia < a->labels_len && a->labels[ia] != '.')
			ia++;
		while (ib < b->labels_len && b->labels[ib] != '.')
			ib++;
		c = cmp_label(a->labels + sa, ia - sa, b->labels + sb, ib - sb);
		if (c)
			return c;
		ia++;
		ib++;
	}
	return (ia < a->labels_len) - (ib < b->labels_len);
}

static int parse(const char *s, struct nuget *v, struct sg_error *err)
{
	const char *why;

	if (!s)
		return invalid(s, "no version", err);
	if (strnlen(s, SG_VERSION_MAX_BYTES + 1) > SG_VERSION_MAX_BYTES)
		return invalid(s, "longer than 256 bytes", err);
	why = parse_nuget(s, v);
	return why ? invalid(s, why, err) : 0;
}

int sg_vcmp_nuget(const char *a, const char *b, int *cmp, struct sg_error *err)
{
	struct nuget va, vb;
	int rc, i;

	rc = parse(a, &va, err);
	if (rc)
		return rc;
	rc = parse(b, &vb, err);
	if (rc)
		return rc;
	for (i = 0; i < NUGET_PARTS; i++) {
		if (va.num[i] != vb.num[i]) {
			*cmp = va.num[i] < vb.num[i] ? -1 : 1;
			return 0;
		}
	}
	*cmp = cmp_labels(&va, &vb);
	return 0;
}

int sg_vcheck_nuget(const char *v, struct sg_error *err)
{
	struct nuget nv;

	return parse(v, &nv, err);
}
