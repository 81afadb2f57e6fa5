/*
 * SemVer 2.0 precedence (semver.org section 11) in three readings:
 *
 * - SG_VORDER_SEMVER: the SemVer 2.0 grammar, strictly. No "v", no
 *   whitespace, no leading zeros in numbers or numeric pre-release
 *   identifiers (the Rust semver crate refuses the same). This is what OSV
 *   ranges of type SEMVER hold and how crates.io orders (cmp_precedence:
 *   build metadata ignored). Numbers have no upper bound: SemVer sets none.
 *
 * - SG_VORDER_NPM: node-semver's `compare(a, b, true)`, i.e. `new SemVer(v,
 *   {loose: true})` (classes/semver.js, internal/re.js, 7.3.5): the string is
 *   trimmed of JavaScript whitespace, any run of "v", "=" and whitespace may
 *   come first, numbers may have leading zeros (compared by value), the "-"
 *   before the pre-release may be left out ("1.2.3beta"), and major, minor
 *   and patch above Number.MAX_SAFE_INTEGER are refused. What the LOOSE
 *   regular expression accepts through backtracking is accepted the same way
 *   here ("1.2.34.5" is 1.2.3-4.5). node-semver compares pre-release numbers
 *   of 2^53 and more as doubles; shipgate compares them exactly.
 *
 * - SG_VORDER_GO: golang.org/x/mod/semver (semver.go: parse, Compare) over
 *   OSV's v-less spelling; a leading "v" is accepted too, so Go's own
 *   spelling ("v1.2.3", from go.mod or a purl) means the same version. "1"
 *   and "1.2" are Go's shorthand for 1.0.0 and 1.2.0 (only without
 *   pre-release or build). "+incompatible" is build metadata, so it does not
 *   change precedence; pseudo-versions are pre-releases and order by their
 *   timestamp.
 *
 * Versions are read in place as spans: nothing is allocated, and numbers are
 * compared as digit strings (length, then bytes), so no length overflows.
 */
#include "sca/version_impl.h"

#include <stdio.h>
#include <string.h>


/* node-semver constants.js: MAX_SAFE_INTEGER (2^53 - 1) as digits. */
static const char npm_max_safe[] = "9007199254740991";

struct span {
	const char *p;
	size_t n;
};

struct semver {
	struct span num[3]; /* major, minor, patch: digits */
	struct span pre;    /* pre-release identifiers without the "-"; n == 0 when none */
};

enum flavour {
	FLAVOUR_SEMVER,
	FLAVOUR_NPM,
	FLAVOUR_GO,
};

static const char *const flavour_name[] = {
	[FLAVOUR_SEMVER] = "semver",
	[FLAVOUR_NPM] = "npm",
	[FLAVOUR_GO] = "go",
};

static int invalid(enum flavour f, const char *v, const char *why, struct sg_error *err)
{
	return sg_version_invalid(flavour_name[f], v, why, err);
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* SemVer 2.0: identifiers are [0-9A-Za-z-]. */
static int is_ident(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

static size_t count_digits(const char *p, const char *e)
{
	const char *q = p;

	while (q < e && is_digit(*q))
		q++;
	return (size_t)(q - p);
}

static int all_digits(struct span s)
{
	return count_digits(s.p, s.p + s.n) == s.n;
}

/* Digit strings of any length by value: leading zeros dropped, then the
 * longer is larger, then bytes. */
static int cmp_number(struct span a, struct span b)
{
	int c;

	while (a.n > 0 && *a.p == '0')
		a.p++, a.n--;
	while (b.n > 0 && *b.p == '0')
		b.p++, b.n--;
	if (a.n != b.n)
		return a.n < b.n ? -1 : 1;
	c = a.n ? memcmp(a.p, b.p, a.n) : 0;
	return (c > 0) - (c < 0);
}

/* semver.org 11.4.1-11.4.3: numeric by value, numeric below alphanumeric,
 * alphanumeric ASCII-wise (a prefix sorts first). */
static int cmp_identifier(struct span a, struct span b)
{
	int an = all_digits(a), bn = all_digits(b), c;

	if (an && bn)
		return cmp_number(a, b);
	if (an != bn)
		return an ? -1 : 1;
	c = memcmp(a.p, b.p, a.n < b.n ? a.n : b.n);
	if (c)
		return c > 0 ? 1 : -1;
	return (a.n > b.n) - (a.n < b.n);
}

/* The identifier of a dot-separated list that starts at *pos, moving *pos
 * past it and its dot. */
static struct span next_identifier(struct span list, size_t *pos)
{
	struct span id = {list.p + *pos, 0};

	while (*pos < list.n && list.p[*pos] != '.')
		(*pos)++, id.n++;
	if (*pos < list.n)
		(*pos)++;
	return id;
}

/* semver.org 11.3 and 11.4: a version without pre-release ranks higher; a
 * longer list ranks higher when all shared identifiers are equal. */
static int cmp_prerelease(struct span a, struct span b)
{
	size_t ia = 0, ib = 0;
	int c;

	if (a.n == 0 || b.n == 0)
		return (a.n == 0) - (b.n == 0);
	while (ia < a.n && ib < b.n) {
		c = cmp_identifier(next_identifier(a, &ia), next_identifier(b, &ib));
		if (c)
			return c;
	}
	return (ia < a.n) - (ib < b.n);
}

static int cmp_semver(const struct semver *a, const struct semver *b)
{
	int i, c;

	for (i = 0; i < 3; i++) {
		c = cmp_number(a->num[i], b->num[i]);
		if (c)
			return c;
	}
	return cmp_prerelease(a->pre, b->pre);
}

/*
 * A dot-separated list of identifiers from *pp up to a "+" or the end:
 * each non-empty, of [0-9A-Za-z-]; with no_lead_zero a numeric one has no
 * leading zero (SemVer 2.0 item 9). Returns why it is not one, or NULL.
 */
static const char *identifiers(const char **pp, const char *e, int no_lead_zero, struct span *out)
{
	const char *p = *pp, *start = p, *id = p;

	for (;;) {
		if (p == e || *p == '.' || *p == '+') {
			if (p == id)
				return "empty identifier";
			if (no_lead_zero && *id == '0' && p - id > 1 && count_digits(id, p) == (size_t)(p - id))
				return "numeric identifier with a leading zero";
			if (p == e || *p == '+')
				break;
			id = p + 1;
		} else if (!is_ident(*p)) {
			return "character outside [0-9A-Za-z-.]";
		}
		p++;
	}
	if (out)
		*out = (struct span){start, (size_t)(p - start)};
	*pp = p;
	return NULL;
}

static const struct span zero = {"0", 1};

/*
 * SemVer 2.0 (semver.org "Backus-Naur Form Grammar"), and for Go
 * x/mod/semver's parse, which adds the shorthand "1" and "1.2".
 */
static const char *parse_strict(const char *s, size_t len, int go, struct semver *v)
{
	const char *p = s, *e = s + len, *why;
	size_t n;
	int i;

	memset(v, 0, sizeof(*v));
	for (i = 0; i < 3; i++) {
		n = count_digits(p, e);
		if (n == 0)
			return i == 0 ? "no major number" : "major.minor.patch expected";
		if (n > 1 && *p == '0')
			return "number with a leading zero";
		v->num[i] = (struct span){p, n};
		p += n;
		if (i == 2)
			break;
		if (go && p == e) {
			/* x/mod/semver: "v1" is v1.0.0 and "v1.2" v1.2.0. */
			v->num[1] = i == 0 ? zero : v->num[1];
			v->num[2] = zero;
			return NULL;
		}
		if (p == e || *p != '.')
			return "major.minor.patch expected";
		p++;
	}
	if (p < e && *p == '-') {
		p++;
		why = identifiers(&p, e, 1, &v->pre);
		if (why)
			return why;
	}
	if (p < e && *p == '+') {
		p++;
		why = identifiers(&p, e, 0, NULL);
		if (why)
			return why;
	}
	if (p != e)
		return *p == '+' ? "second \"+\"" : "unexpected text after the version";
	return NULL;
}

/*
 * JavaScript's whitespace (ECMA-262 WhiteSpace and LineTerminator: what
 * String.prototype.trim and \s match) in UTF-8: the length of the one that
 * starts at p, or 0.
 */
static size_t js_space(const char *p, const char *e)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t left = (size_t)(e - p);

	if (left >= 1 && (u[0] == ' ' || (u[0] >= '\t' && u[0] <= '\r')))
		return 1;
	if (left >= 2 && u[0] == 0xc2 && u[1] == 0xa0) /* U+00A0 */
		return 2;
	if (left < 3)
		return 0;
	if (u[0] == 0xe2 && u[1] == 0x80) /* U+2000-200A, U+2028, U+2029, U+202F */
		return (u[2] >= 0x80 && u[2] <= 0x8a) || u[2] == 0xa8 || u[2] == 0xa9 || u[2] == 0xaf ? 3 : 0;
	if ((u[0] == 0xe1 && u[1] == 0x9a && u[2] == 0x80) || /* U+1680 */
	    (u[0] == 0xe2 && u[1] == 0x81 && u[2] == 0x9f) || /* U+205F */
	    (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80) || /* U+3000 */
	    (u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf))   /* U+FEFF */
		return 3;
	return 0;
}

/* The length of a JavaScript whitespace character that ends at e, or 0. */
static size_t js_space_before(const char *s, const char *e)
{
	size_t k;

	for (k = 1; k <= 3 && k <= (size_t)(e - s); k++)
		if (js_space(e - k, e) == k)
			return k;
	return 0;
}

/*
 * What follows the patch number in node-semver's LOOSE expression:
 * `(?:-?(ID(?:\.ID)*))?(?:\+(BID(?:\.BID)*))?$` with ID any non-empty
 * [0-9A-Za-z-]+ (NUMERICIDENTIFIERLOOSE | NONNUMERICIDENTIFIER). The
 * optional "-" is taken when an identifier follows it; otherwise the "-" is
 * itself the first identifier, as the regular expression backtracks to.
 */
static const char *npm_tail(const char *p, const char *e, struct semver *v)
{
	const char *why;

	v->pre = (struct span){p, 0};
	if (p < e && *p != '+') {
		if (*p == '-' && p + 1 < e && is_ident(p[1]))
			p++;
		why = identifiers(&p, e, 0, &v->pre);
		if (why)
			return why;
	}
	if (p < e && *p == '+') {
		p++;
		why = identifiers(&p, e, 0, NULL);
		if (why)
			return why;
	}
	if (p != e)
		return *p == '+' ? "second \"+\"" : "unexpected text after the version";
	return NULL;
}

/* node-semver refuses major, minor or patch above MAX_SAFE_INTEGER. */
static int npm_safe(struct span n)
{
	while (n.n > 0 && *n.p == '0')
		n.p++, n.n--;
	if (n.n != sizeof(npm_max_safe) - 1)
		return n.n < sizeof(npm_max_safe) - 1;
	return memcmp(n.p, npm_max_safe, n.n) <= 0;
}

/* new SemVer(v, {loose: true}) of node-semver 7.3.5. */
static const char *parse_npm(const char *s, size_t len, struct semver *v)
{
	const char *p = s, *e = s + len, *patch_end, *why;
	size_t n, k;
	int i;

	memset(v, 0, sizeof(*v));
	/* version.trim() */
	while (p < e && (k = js_space(p, e)) > 0)
		p += k;
	while (e > p && (k = js_space_before(p, e)) > 0)
		e -= k;
	/* LOOSEPLAIN: [v=\s]* */
	while (p < e) {
		if (*p == 'v' || *p == '=')
			p++;
		else if ((k = js_space(p, e)) > 0)
			p += k;
		else
			break;
	}
	/* MAINVERSIONLOOSE: (\d+)\.(\d+)\.(\d+) */
	for (i = 0; i < 3; i++) {
		n = count_digits(p, e);
		if (n == 0)
			return i == 0 ? "no major number" : "major.minor.patch expected";
		v->num[i] = (struct span){p, n};
		p += n;
		if (i < 2) {
			if (p == e || *p != '.')
				return "major.minor.patch expected";
			p++;
		}
	}
	patch_end = p;
	why = npm_tail(p, e, v);
	/*
	 * The regular expression backtracks into a patch of two or more
	 * digits when what follows does not match: its last digit then starts
	 * the pre-release, which can only help before a ".".
	 */
	if (why && patch_end < e && *patch_end == '.' && v->num[2].n > 1) {
		v->num[2].n--;
		why = npm_tail(patch_end - 1, e, v);
	}
	if (why)
		return why;
	for (i = 0; i < 3; i++)
		if (!npm_safe(v->num[i]))
			return "number above 2^53-1 (Number.MAX_SAFE_INTEGER)";
	return NULL;
}

static int parse(enum flavour f, const char *s, struct semver *v, struct sg_error *err)
{
	const char *why, *t = s;
	size_t len;

	if (!s)
		return invalid(f, s, "no version", err);
	len = strnlen(s, SG_VERSION_MAX_BYTES + 1);
	if (len > SG_VERSION_MAX_BYTES)
		return invalid(f, s, "longer than 256 bytes", err);
	if (len == 0)
		return invalid(f, s, "empty", err);
	switch (f) {
	case FLAVOUR_NPM:
		why = parse_npm(s, len, v);
		break;
	case FLAVOUR_GO:
		/* Go spells versions with "v"; OSV leaves it out. Either is read. */
		if (t[0] == 'v')
			t++, len--;
		why = parse_strict(t, len, 1, v);
		break;
	case FLAVOUR_SEMVER:
	default:
		why = parse_strict(s, len, 0, v);
		break;
	}
	return why ? invalid(f, s, why, err) : 0;
}

static int compare(enum flavour f, const char *a, const char *b, int *cmp, struct sg_error *err)
{
	struct semver va, vb;
	int rc;

	rc = parse(f, a, &va, err);
	if (rc)
		return rc;
	rc = parse(f, b, &vb, err);
	if (rc)
		return rc;
	*cmp = cmp_semver(&va, &vb);
	return 0;
}

static int check(enum flavour f, const char *v, struct sg_error *err)
{
	struct semver sv;

	return parse(f, v, &sv, err);
}

int sg_vcmp_semver(const char *a, const char *b, int *cmp, struct sg_error *err)
{
	return compare(FLAVOUR_SEMVER, a, b, cmp, err);
}

int sg_vcheck_semver(const char *v, struct sg_error *err)
{
	return check(FLAVOUR_SEMVER, v, err);
}

int sg_vcmp_npm(const char *a, const char *b, int *cmp, struct sg_error *err)
{
	return compare(FLAVOUR_NPM, a, b, cmp, err);
}

int sg_vcheck_npm(const char *v, struct sg_error *err)
{
	return check(FLAVOUR_NPM, v, err);
}

int sg_vcmp_go(const char *a, const char *b, int *cmp, struct sg_error *err)
{
	return compare(FLAVOUR_GO, a, b, cmp, err);
}

int sg_vcheck_go(const char *v, struct sg_error *err)
{
	return check(FLAVOUR_GO, v, err);
}
