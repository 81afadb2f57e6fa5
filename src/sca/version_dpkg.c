/*
 * Debian versions as `dpkg --compare-versions` reads and orders them
 * (deb-version(7); dpkg 1.21 lib/dpkg/parsehelp.c parseversion and
 * lib/dpkg/version.c verrevcmp):
 *
 *   [epoch:]upstream_version[-debian_revision]
 *
 * What parseversion calls an error, dpkg --compare-versions refuses (exit
 * 2), and so does shipgate: embedded blanks, an epoch that is empty, not a
 * number, negative or above INT_MAX, nothing after the colon, an empty
 * revision after the last "-", an empty upstream version. What it only
 * warns about (upstream not starting with a digit, characters outside
 * [A-Za-z0-9.+~-:]) it still compares, and so does shipgate.
 *
 * dpkg reads "" and "<unknown>" as "no version" and orders it by the
 * relation's own rule; shipgate refuses both: a missing version is not one
 * that can be compared.
 *
 * Digit runs compare by value at any length, as verrevcmp does without
 * converting them. A byte of 0x80 and above orders as dpkg built for amd64
 * (signed char) orders it: above the letters, below the other ASCII
 * punctuation.
 */
#include "sca/version_impl.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>


struct span {
	const char *p;
	size_t n;
};

struct debver {
	unsigned long epoch; /* at most INT_MAX */
	struct span upstream;
	struct span revision; /* n == 0 when there is none */
};

static int invalid(const char *v, const char *why, struct sg_error *err)
{
	return sg_version_invalid("dpkg", v, why, err);
}

/* dpkg's c_isdigit, c_isalpha, c_isblank: the C locale's. */
static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_blank(unsigned char c)
{
	return c == ' ' || c == '\t';
}

/*
 * parseversion's epoch: strtol(string, &end, 10), which must stop at the
 * first colon. strtol skips leading white space (space and tab are already
 * trimmed, so \n \v \f \r) and takes a sign; "-0" is 0 and allowed.
 */
static const char *parse_epoch(const char *p, const char *colon, unsigned long *epoch)
{
	unsigned long v = 0;
	int negative = 0, any = 0;

	while (p < colon && (*p == '\n' || *p == '\v' || *p == '\f' || *p == '\r'))
		p++;
	if (p < colon && (*p == '+' || *p == '-'))
		negative = *p++ == '-';
	for (; p < colon && is_digit((unsigned char)*p); p++) {
		any = 1;
		if (v <= INT_MAX)
			v = v * 10 + (unsigned long)(*p - '0');
	}
	if (!any)
		return "epoch in version is empty";
	if (p != colon)
		return "epoch in version is not number";
	if (negative && v != 0)
		return "epoch in version is negative";
	if (v > INT_MAX)
		return "epoch in version is too big";
	*epoch = v;
	return NULL;
}

static const char *parse_version(const char *s, size_t len, struct debver *v)
{
	const char *b = s, *e = s + len, *p, *q, *colon, *hyphen = NULL, *why;

	while (b < e && is_blank((unsigned char)*b))
		b++;
	if (b == e)
		return "version string is empty";
	p = b;
	while (p < e && !is_blank((unsigned char)*p))
		p++;
	for (q = p; q < e; q++)
		if (!is_blank((unsigned char)*q))
			return "version string has embedded spaces";
	e = p;
	v->epoch = 0;
	colon = memchr(b, ':', (size_t)(e - b));
	if (colon) {
		why = parse_epoch(b, colon, &v->epoch);
		if (why)
			return why;
		b = colon + 1;
		if (b == e)
			return "nothing after colon in version number";
	}
	/* The LAST hyphen splits off the revision. */
	for (p = b; p < e; p++)
		if (*p == '-')
			hyphen = p;
	v->upstream = (struct span){b, (size_t)((hyphen ? hyphen : e) - b)};
	v->revision = (struct span){e, 0};
	if (hyphen) {
		v->revision = (struct span){hyphen + 1, (size_t)(e - hyphen - 1)};
		if (v->revision.n == 0)
			return "revision number is empty";
	}
	if (v->upstream.n == 0)
		return "version number is empty";
	return NULL;
}

static int parse(const char *raw, struct debver *v, struct sg_error *err)
{
	const char *why;
	size_t len;

	if (!raw)
		return invalid(raw, "no version", err);
	len = strnlen(raw, SG_VERSION_MAX_BYTES + 1);
	if (len > SG_VERSION_MAX_BYTES)
		return invalid(raw, "longer than 256 bytes", err);
	if (len == 0 || strcmp(raw, "<unknown>") == 0)
		return invalid(raw, "no version (dpkg reads it as none)", err);
	why = parse_version(raw, len, v);
	return why ? invalid(raw, why, err) : 0;
}

/*
 * verrevcmp's order(): "~" before everything, even the end of the part;
 * then the end and digits; then letters; then everything else. A byte of
 * 0x80 and more is a negative char on amd64, so dpkg's "c + 256" puts it
 * at its unsigned value, between the letters and the ASCII punctuation.
 */
static int order(const struct span *s, size_t i)
{
	unsigned char c;

	if (i >= s->n)
		return 0;
	c = (unsigned char)s->p[i];
	if (is_digit(c))
		return 0;
	if (is_alpha(c))
		return c;
	if (c == '~')
		return -1;
	if (c >= 0x80)
		return c;
	return c + 256;
}

static int digit_at(const struct span *s, size_t i)
{
	return i < s->n && is_digit((unsigned char)s->p[i]);
}

/* verrevcmp: alternating non-digit runs (by order()) and digit runs (by
 * value: leading zeros skipped, the longer run larger, then the first
 * differing digit). */
static int verrevcmp(struct span a, struct span b)
{
	size_t i = 0, j = 0;
	int ac, bc, first_diff;

	while (i < a.n || j < b.n) {
		first_diff = 0;
		while ((i < a.n && !digit_at(&a, i)) || (j < b.n && !digit_at(&b, j))) {
			ac = order(&a, i);
			bc = order(&b, j);
			if (ac != bc)
				return ac < bc ? -1 : 1;
			i++;
			j++;
		}
		while (i < a.n && a.p[i] == '0')
			i++;
		while (j < b.n && b.p[j] == '0')
			j++;
		while (digit_at(&a, i) && digit_at(&b, j)) {
			if (!first_diff)
				first_diff = a.p[i] - b.p[j];
			i++;
			j++;
		}
		if (digit_at(&a, i))
			return 1;
		if (digit_at(&b, j))
			return -1;
		if (first_diff)
			return first_diff < 0 ? -1 : 1;
	}
	return 0;
}

/* dpkg_version_compare: epoch, upstream version, revision. */
static int cmp_debver(const struct debver *a, const struct debver *b)
{
	int c;

	if (a->epoch != b->epoch)
		return a->epoch < b->epoch ? -1 : 1;
	c = verrevcmp(a->upstream, b->upstream);
	if (c)
		return c;
	return verrevcmp(a->revision, b->revision);
}

int sg_vcmp_dpkg(const char *a, const char *b, int *cmp, struct sg_error *err)
{
	struct debver va, vb;
	int rc;

	rc = parse(a, &va, err);
	if (rc)
		return rc;
	rc = parse(b, &vb, err);
	if (rc)
		return rc;
	*cmp = cmp_debver(&va, &vb);
	return 0;
}

int sg_vcheck_dpkg(const char *v, struct sg_error *err)
{
	struct debver dv;

	return parse(v, &dv, err);
}
