/*
 * PEP 440 versions as packaging.version.Version (pypa/packaging >= 22,
 * version.py: VERSION_PATTERN, _parse_letter_version, _parse_local_version,
 * _cmpkey) reads and orders them. packaging 22 dropped LegacyVersion, so a
 * string that VERSION_PATTERN does not match is refused, not ordered.
 *
 * The pattern is matched with re.VERBOSE | re.IGNORECASE between "^\s*" and
 * "\s*$". Its optional parts never compete for the same text (no label is a
 * prefix of another that could also end the match), so reading each part
 * greedily, longest label first, accepts exactly what the regular
 * expression accepts and gives each group the same text.
 *
 * Deliberate difference: Python's IGNORECASE also lets four non-ASCII
 * letters (U+0130, U+0131, U+017F, U+212A) match ASCII ones, so packaging
 * accepts e.g. "1.0.po\u017ft1" with an unnormalised label; shipgate refuses
 * every non-ASCII byte inside a version. Non-ASCII whitespace around it is
 * trimmed as Python's "\s" does.
 *
 * Numbers (epoch, release, pre, post, dev, numeric local segments) are
 * Python ints, unbounded: they are kept as digit strings and compared by
 * value without conversion.
 */
#include "sca/version_impl.h"

#include <stdio.h>
#include <string.h>


struct span {
	const char *p;
	size_t n;
};

/* _cmpkey's stand-ins for a missing part: NegativeInfinity and Infinity. */
enum { PART_LOW = -1, PART_HAS = 0, PART_HIGH = 1 };

struct pep440 {
	char text[SG_VERSION_MAX_BYTES + 1]; /* the trimmed version, lower case */
	struct span epoch;                   /* digits, n == 0 for the default 0 */
	struct span release;                 /* N(.N)* */
	int pre;                             /* PART_*: absent pre is LOW or HIGH */
	int pre_letter;                      /* 0 "a", 1 "b", 2 "rc" */
	struct span pre_n;
	int post;
	struct span post_n;
	int dev;
	struct span dev_n;
	int has_local;
	struct span local;
};

static int invalid(const char *v, const char *why, struct sg_error *err)
{
	return sg_version_invalid("pypi", v, why, err);
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_sep(char c)
{
	return c == '-' || c == '_' || c == '.';
}

static int is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z');
}

/*
 * Python's "\s" in a str pattern (Py_UNICODE_ISSPACE) in UTF-8: the length
 * of the whitespace character that starts at p, or 0.
 */
static size_t py_space(const char *p, const char *e)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t left = (size_t)(e - p);

	if (left >= 1 && (u[0] == ' ' || (u[0] >= '\t' && u[0] <= '\r') || (u[0] >= 0x1c && u[0] <= 0x1f)))
		return 1;
	if (left >= 2 && u[0] == 0xc2 && (u[1] == 0x85 || u[1] == 0xa0)) /* U+0085, U+00A0 */
		return 2;
	if (left < 3)
		return 0;
	if (u[0] == 0xe2 && u[1] == 0x80) /* U+2000-200A, U+2028, U+2029, U+202F */
		return (u[2] >= 0x80 && u[2] <= 0x8a) || u[2] == 0xa8 || u[2] == 0xa9 || u[2] == 0xaf ? 3 : 0;
	if ((u[0] == 0xe1 && u[1] == 0x9a && u[2] == 0x80) || /* U+1680 */
	    (u[0] == 0xe2 && u[1] == 0x81 && u[2] == 0x9f) || /* U+205F */
	    (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80))   /* U+3000 */
		return 3;
	return 0;
}

/* The length of a Python whitespace character that ends at e, or 0. */
static size_t py_space_before(const char *s, const char *e)
{
	size_t k;

	for (k = 1; k <= 3 && k <= (size_t)(e - s); k++)
		if (py_space(e - k, e) == k)
			return k;
	return 0;
}

static struct span digits_at(const char *s, size_t *p)
{
	struct span d = {s + *p, 0};

	while (is_digit(s[*p]))
		(*p)++, d.n++;
	return d;
}

/* The longest of labels[] that starts at s + *p, moving *p past it: its
 * index, or -1. */
static int label_at(const char *s, size_t *p, const char *const *labels, int count)
{
	size_t best_len = 0, len;
	int best = -1, i;

	for (i = 0; i < count; i++) {
		len = strlen(labels[i]);
		if (len > best_len && strncmp(s + *p, labels[i], len) == 0) {
			best = i;
			best_len = len;
		}
	}
	*p += best_len;
	return best;
}

/* `[-_\.]?` label `[-_\.]?` `([0-9]+)?` from *p: the label's index or -1
 * (then *p is unchanged). The number is empty when left out (implicit 0). */
static int letter_part(const char *s, size_t *p, const char *const *labels, int count, struct span *num)
{
	size_t q = *p;
	int label;

	if (is_sep(s[q]))
		q++;
	label = label_at(s, &q, labels, count);
	if (label < 0)
		return -1;
	/* Taken even when no number follows: every later part may start
	 * without its own separator, so this never loses a match. */
	if (is_sep(s[q]))
		q++;
	*num = digits_at(s, &q);
	*p = q;
	return label;
}

/* _parse_letter_version: alpha -> a, beta -> b, c/pre/preview -> rc. */
static const char *const pre_labels[] = {"a", "b", "c", "rc", "alpha", "beta", "pre", "preview"};
static const int pre_letter_of[] = {0, 1, 2, 2, 0, 1, 2, 2};
static const char *const post_labels[] = {"post", "rev", "r"};
static const char *const dev_labels[] = {"dev"};

/* VERSION_PATTERN over the trimmed, lower-cased text. Returns why it does
 * not match, or NULL. */
static const char *parse_pattern(struct pep440 *v)
{
	const char *s = v->text;
	size_t p = 0, q;
	int label;

	if (s[p] == 'v')
		p++;
	/* (?:(?P<epoch>[0-9]+)!)? */
	q = p;
	v->epoch = digits_at(s, &q);
	if (v->epoch.n > 0 && s[q] == '!')
		p = q + 1;
	else
		v->epoch.n = 0;
	/* (?P<release>[0-9]+(?:\.[0-9]+)*) */
	v->release.p = s + p;
	if (!is_digit(s[p]))
		return "no release number";
	while (is_digit(s[p]) || (s[p] == '.' && is_digit(s[p + 1])))
		p++;
	v->release.n = (size_t)(s + p - v->release.p);
	label = letter_part(s, &p, pre_labels, 8, &v->pre_n);
	if (label >= 0) {
		v->pre = PART_HAS;
		v->pre_letter = pre_letter_of[label];
	}
	/* (?:-(?P<post_n1>[0-9]+)) | (?:[-_\.]?(?P<post_l>post|rev|r)[-_\.]?(?P<post_n2>[0-9]+)?) */
	if (s[p] == '-' && is_digit(s[p + 1])) {
		p++;
		v->post_n = digits_at(s, &p);
		v->post = PART_HAS;
	} else if (letter_part(s, &p, post_labels, 3, &v->post_n) >= 0) {
		v->post = PART_HAS;
	}
	if (letter_part(s, &p, dev_labels, 1, &v->dev_n) >= 0)
		v->dev = PART_HAS;
	/* (?:\+(?P<local>[a-z0-9]+(?:[-_\.][a-z0-9]+)*))? */
	if (s[p] == '+') {
		p++;
		v->local.p = s + p;
		for (;;) {
			if (!is_alnum(s[p]))
				return "empty local version segment";
			while (is_alnum(s[p]))
				p++;
			if (!(is_sep(s[p]) && is_alnum(s[p + 1])))
				break;
			p++;
		}
		v->local.n = (size_t)(s + p - v->local.p);
		v->has_local = 1;
	}
	if (s[p] != '\0')
		return "text after the version that PEP 440 does not allow";
	return NULL;
}

static int parse(const char *raw, struct pep440 *v, struct sg_error *err)
{
	const char *b, *e, *why;
	size_t len, k, i;

	if (!raw)
		return invalid(raw, "no version", err);
	len = strnlen(raw, SG_VERSION_MAX_BYTES + 1);
	if (len > SG_VERSION_MAX_BYTES)
		return invalid(raw, "longer than 256 bytes", err);
	memset(v, 0, sizeof(*v));
	b = raw;
	e = raw + len;
	while (b < e && (k = py_space(b, e)) > 0)
		b += k;
	while (e > b && (k = py_space_before(b, e)) > 0)
		e -= k;
	if (b == e)
		return invalid(raw, "empty", err);
	for (i = 0; b + i < e; i++) {
		unsigned char c = (unsigned char)b[i];

		if (c >= 0x80)
			return invalid(raw, "character outside ASCII", err);
		v->text[i] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
	}
	v->text[i] = '\0';
	v->pre = PART_HIGH;
	v->post = PART_LOW;
	v->dev = PART_HIGH;
	why = parse_pattern(v);
	if (why)
		return invalid(raw, why, err);
	/* _cmpkey: a dev release with no pre and no post ("1.0.dev1") sorts
	 * below every pre-release of its release. */
	if (v->pre == PART_HIGH && v->post == PART_LOW && v->dev == PART_HAS)
		v->pre = PART_LOW;
	return 0;
}

/* Digit strings of any length by value (an empty one is 0): leading zeros
 * dropped, then the longer is larger, then bytes. */
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

/* The next piece of s (split on any of seps) from *pos, moving *pos past it
 * and its separator; n == 0 at the end. */
static struct span next_piece(struct span s, size_t *pos, const char *seps)
{
	struct span piece = {s.p + *pos, 0};

	while (*pos < s.n && !strchr(seps, s.p[*pos]))
		(*pos)++, piece.n++;
	if (*pos < s.n)
		(*pos)++;
	return piece;
}

/* The release with trailing zeros stripped (_cmpkey) compares as the
 * releases padded with zeros to the same length. */
static int cmp_release(struct span a, struct span b)
{
	static const struct span zero = {"0", 1};
	size_t ia = 0, ib = 0;
	int c;

	while (ia < a.n || ib < b.n) {
		c = cmp_number(ia < a.n ? next_piece(a, &ia, ".") : zero,
			       ib < b.n ? next_piece(b, &ib, ".") : zero);
		if (c)
			return c;
	}
	return 0;
}

static int all_digits(struct span s)
{
	size_t i;

	for (i = 0; i < s.n; i++)
		if (!is_digit(s.p[i]))
			return 0;
	return 1;
}

/* _cmpkey's local: segments split on [-_.]; an int segment is (i, "") and
 * a str one (NegativeInfinity, s), so numbers beat strings; a shorter tuple
 * that is a prefix is smaller. */
static int cmp_local(struct span a, struct span b)
{
	size_t ia = 0, ib = 0, n;
	struct span sa, sb;
	int da, db, c;

	while (ia < a.n && ib < b.n) {
		sa = next_piece(a, &ia, "-_.");
		sb = next_piece(b, &ib, "-_.");
		da = all_digits(sa);
		db = all_digits(sb);
		if (da != db)
			return da ? 1 : -1;
		if (da) {
			c = cmp_number(sa, sb);
		} else {
			n = sa.n < sb.n ? sa.n : sb.n;
			c = memcmp(sa.p, sb.p, n);
			c = c ? c : (sa.n > sb.n) - (sa.n < sb.n);
		}
		if (c)
			return c > 0 ? 1 : -1;
	}
	return (ia < a.n) - (ib < b.n);
}

/* A part that may be NegativeInfinity, a value, or Infinity. */
static int cmp_part(int ka, int kb, struct span a, struct span b)
{
	if (ka != kb)
		return ka < kb ? -1 : 1;
	return ka == PART_HAS ? cmp_number(a, b) : 0;
}

/* _cmpkey: (epoch, release, pre, post, dev, local). */
static int cmp_pep440(const struct pep440 *a, const struct pep440 *b)
{
	int c;

	c = cmp_number(a->epoch, b->epoch);
	if (!c)
		c = cmp_release(a->release, b->release);
	if (!c && a->pre != b->pre)
		c = a->pre < b->pre ? -1 : 1;
	if (!c && a->pre == PART_HAS) {
		c = (a->pre_letter > b->pre_letter) - (a->pre_letter < b->pre_letter);
		if (!c)
			c = cmp_number(a->pre_n, b->pre_n);
	}
	if (!c)
		c = cmp_part(a->post, b->post, a->post_n, b->post_n);
	if (!c)
		c = cmp_part(a->dev, b->dev, a->dev_n, b->dev_n);
	if (!c && a->has_local != b->has_local)
		c = a->has_local ? 1 : -1;
	if (!c && a->has_local)
		c = cmp_local(a->local, b->local);
	return c;
}

int sg_vcmp_pypi(const char *a, const char *b, int *cmp, struct sg_error *err)
{
	struct pep440 va, vb;
	int rc;

	rc = parse(a, &va, err);
	if (rc)
		return rc;
	rc = parse(b, &vb, err);
	if (rc)
		return rc;
	*cmp = cmp_pep440(&va, &vb);
	return 0;
}

int sg_vcheck_pypi(const char *v, struct sg_error *err)
{
	struct pep440 pv;

	return parse(v, &pv, err);
}
