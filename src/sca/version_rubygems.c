/*
 * Gem::Version (rubygems lib/rubygems/version.rb, the 3.x reading that
 * osv-scanner's generator used and Ruby ships):
 *
 * - What parses is ANCHORED_VERSION_PATTERN,
 *   /\A\s*([0-9]+(?>\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?)?\s*\z/:
 *   the first segment is digits only ("1beta" does not parse, "1.0beta"
 *   does), "-" only opens the last part. Ruby reads an empty or blank string
 *   as version 0; shipgate refuses it, since a missing version is not 0.
 * - initialize: strip, then every "-" becomes ".pre." ("1.0-1" is a
 *   pre-release below 1.0).
 * - Segments: runs of digits (Integers, of any size) and runs of letters
 *   (Strings), split on everything else and on digit/letter changes.
 * - canonical_segments: trailing zeros dropped from the numeric run before
 *   the first String and from the rest, separately ("1.0.a.0" is [1, "a"]).
 * - <=>: segment by segment, a missing one is 0; a String is below an
 *   Integer; Strings compare bytewise, Integers by value.
 *
 * rubygems 4 changed hyphens ("1.0-beta" == "1.0.beta"); OSV's vectors and
 * the rubygems that most deployed Rubies carry follow the 3.x rule above.
 */
#include "sca/version_impl.h"

#include <stdio.h>
#include <string.h>

/* Every segment but a "pre" takes at least one byte of the version and a
 * "pre" takes its "-": no more segments than bytes. */
#define GEM_MAX_SEGMENTS SG_VERSION_MAX_BYTES

struct segment {
	const char *p;
	unsigned short n;
	unsigned char numeric;
};

struct gem {
	struct segment seg[GEM_MAX_SEGMENTS];
	size_t n;
};

static int invalid(const char *v, const char *why, struct sg_error *err)
{
	return sg_version_invalid("rubygems", v, why, err);
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Ruby's \s: [ \t\r\n\f\v] */
static int is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static const char *skip_alnum(const char *p, const char *e, int dash)
{
	while (p < e && (is_digit(*p) || is_letter(*p) || (dash && *p == '-')))
		p++;
	return p;
}

/* ANCHORED_VERSION_PATTERN over [*pp, *ep) with the spaces around it
 * dropped; the regular expression never needs to backtrack. */
static const char *match_pattern(const char **pp, const char **ep)
{
	const char *p = *pp, *e = *ep, *q;

	while (p < e && is_space(*p))
		p++;
	while (e > p && is_space(e[-1]))
		e--;
	if (p == e)
		return "empty (rubygems reads it as 0; shipgate wants a version)";
	/* [0-9]+ */
	q = p;
	while (q < e && is_digit(*q))
		q++;
	if (q == p)
		return "it does not start with a digit";
	/* (?>\.[0-9a-zA-Z]+)* */
	while (q < e && *q == '.') {
		const char *r = skip_alnum(q + 1, e, 0);

		if (r == q + 1)
			return "empty segment";
		q = r;
	}
	/* (-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)? */
	if (q < e && *q == '-') {
		const char *r = skip_alnum(q + 1, e, 1);

		if (r == q + 1)
			return "nothing after \"-\"";
		q = r;
		while (q < e && *q == '.') {
			r = skip_alnum(q + 1, e, 1);
			if (r == q + 1)
				return "empty segment";
			q = r;
		}
	}
	if (q != e)
		return is_digit(*q) || is_letter(*q) ? "the first segment is not all digits"
						      : "character outside [0-9A-Za-z.-]";
	*pp = p;
	*ep = e;
	return NULL;
}

static void push(struct gem *g, const char *p, size_t n, int numeric)
{
	/* Cannot overflow: see GEM_MAX_SEGMENTS. */
	if (g->n < GEM_MAX_SEGMENTS)
		g->seg[g->n++] = (struct segment){p, (unsigned short)n, (unsigned char)numeric};
}

static int is_zero(const struct segment *s)
{
	unsigned short i;

	if (!s->numeric)
		return 0;
	for (i = 0; i < s->n; i++)
		if (s->p[i] != '0')
			return 0;
	return 1;
}

/* _segments after gsub("-", ".pre."), then canonical_segments. */
static void segments(const char *p, const char *e, struct gem *g)
{
	struct gem raw;
	size_t first_string, end, i;

	raw.n = 0;
	while (p < e) {
		const char *q = p;

		if (*p == '-') {
			push(&raw, "pre", 3, 0);
			p++;
		} else if (is_digit(*p)) {
			while (q < e && is_digit(*q))
				q++;
			push(&raw, p, (size_t)(q - p), 1);
			p = q;
		} else if (is_letter(*p)) {
			while (q < e && is_letter(*q))
				q++;
			push(&raw, p, (size_t)(q - p), 0);
			p = q;
		} else {
			p++;
		}
	}
	for (first_string = 0; first_string < raw.n && raw.seg[first_string].numeric; first_string++)
		;
	g->n = 0;
	for (end = first_string; end > 0 && is_zero(&raw.seg[end - 1]); end--)
		;
	for (i = 0; i < end; i++)
		g->seg[g->n++] = raw.seg[i];
	for (end = raw.n; end > first_string && is_zero(&raw.seg[end - 1]); end--)
		;
	for (i = first_string; i < end; i++)
		g->seg[g->n++] = raw.seg[i];
}

/* Integers of any size: leading zeros dropped, longer is larger, then bytes. */
static int cmp_number(const struct segment *a, const struct segment *b)
{
	const char *x = a->p, *y = b->p;
	size_t xn = a->n, yn = b->n;
	int c;

	while (xn > 0 && *x == '0')
		x++, xn--;
	while (yn > 0 && *y == '0')
		y++, yn--;
	if (xn != yn)
		return xn < yn ? -1 : 1;
	c = xn ? memcmp(x, y, xn) : 0;
	return (c > 0) - (c < 0);
}

static int cmp_segment(const struct segment *a, const struct segment *b)
{
	int c;

	if (a->numeric != b->numeric)
		return a->numeric ? 1 : -1;
	if (a->numeric)
		return cmp_number(a, b);
	c = memcmp(a->p, b->p, a->n < b->n ? a->n : b->n);
	if (c)
		return c > 0 ? 1 : -1;
	return (a->n > b->n) - (a->n < b->n);
}

static int cmp_gem(const struct gem *a, const struct gem *b)
{
	static const struct segment zero = {"0", 1, 1};
	size_t i, n = a->n > b->n ? a->n : b->n;
	int c;

	for (i = 0; i < n; i++) {
		c = cmp_segment(i < a->n ? &a->seg[i] : &zero, i < b->n ? &b->seg[i] : &zero);
		if (c)
			return c;
	}
	return 0;
}

static int parse(const char *s, struct gem *g, struct sg_error *err)
{
	const char *p, *e, *why;
	size_t len;

	if (!s)
		return invalid(s, "no version", err);
	len = strnlen(s, SG_VERSION_MAX_BYTES + 1);
	if (len > SG_VERSION_MAX_BYTES)
		return invalid(s, "longer than 256 bytes", err);
	p = s;
	e = s + len;
	why = match_pattern(&p, &e);
	if (why)
		return invalid(s, why, err);
	segments(p, e, g);
	return 0;
}

int sg_vcmp_rubygems(const char *a, const char *b, int *cmp, struct sg_error *err)
{
	struct gem ga, gb;
	int rc;

	rc = parse(a, &ga, err);
	if (rc)
		return rc;
	rc = parse(b, &gb, err);
	if (rc)
		return rc;
	*cmp = cmp_gem(&ga, &gb);
	return 0;
}

int sg_vcheck_rubygems(const char *v, struct sg_error *err)
{
	struct gem g;

	return parse(v, &g, err);
}
