/*
 * Maven versions as org.apache.maven.artifact.versioning.ComparableVersion
 * of maven-artifact 3.8.7 orders them (the POM reference's "Version Order
 * Specification" describes the same rules less exactly):
 *
 * - the lower-cased version is cut at ".", at "-" and where digits meet
 *   non-digits; "-" and a digit/letter change start a sub-list, and since
 *   3.8.7 (MNG-7644) so does a qualifier after "." ("1.0.RC1" reads as
 *   "1.0-RC1");
 * - an empty part is 0; numbers compare by value (int, long and BigInteger
 *   items, an int below a long below a BigInteger); "a1", "b1", "m1" are
 *   alpha-1, beta-1, milestone-1; ga, final and release mean "", cr means rc;
 * - each list drops its trailing null items (0, "", empty list), skipping
 *   over a sub-list at its end;
 * - qualifiers order alpha < beta < milestone < rc < snapshot < "" < sp <
 *   any other, others among themselves lexically; a number beats a list
 *   beats a qualifier; a missing item compares as null.
 *
 * The generated vectors of osv-scalibr came from maven-artifact 3.8.6 and
 * differ from this on ".qualifier" versions only (see the unit test).
 *
 * ComparableVersion takes any string. shipgate refuses what is not a
 * version: the empty string, more than SG_VERSION_MAX_BYTES bytes, and
 * bytes outside printable ASCII (Java would read Unicode digits and
 * letters, and control characters have no place in a version).
 *
 * The items live in fixed arrays: every byte adds at most three items, so
 * nothing is allocated and hostile input only costs its length.
 */
#include "sca/version_impl.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>


#define MAX_ITEMS (3 * SG_VERSION_MAX_BYTES + 4)

enum item_kind {
	ITEM_NUMBER,
	ITEM_QUALIFIER,
	ITEM_LIST,
};

/* Java's IntItem, LongItem and BigIntegerItem: the class orders first. */
enum number_class {
	NUMBER_INT,  /* up to 9 digits */
	NUMBER_LONG, /* up to 18 */
	NUMBER_BIG,
};

struct item {
	const char *s;  /* number: digits without leading zeros; qualifier: its text */
	uint16_t n;
	uint8_t kind;   /* enum item_kind */
	uint8_t cls;    /* enum number_class */
	uint8_t dead;   /* dropped by normalisation */
	uint16_t child; /* list: its index in seg_* */
};

/*
 * A new list is always added to the newest one, so the lists form a chain
 * and each holds a run of consecutive items, its sub-list last.
 */
struct maven {
	char text[SG_VERSION_MAX_BYTES + 1]; /* lower case */
	struct item items[MAX_ITEMS];
	uint16_t seg_start[MAX_ITEMS];
	uint16_t seg_end[MAX_ITEMS];
	uint16_t seg_live[MAX_ITEMS];
	size_t nitems;
	size_t nsegs;
};

/* StringItem.QUALIFIERS: the index orders known qualifiers. */
static const char *const qualifiers[] = {"alpha", "beta", "milestone", "rc", "snapshot", "", "sp"};
#define RELEASE_INDEX 5 /* of "" */
#define UNKNOWN_INDEX 7 /* comparableQualifier: "7-" followed by the qualifier */

static int invalid(const char *v, const char *why, struct sg_error *err)
{
	return sg_version_invalid("maven", v, why, err);
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static struct item *add_item(struct maven *v, enum item_kind kind)
{
	struct item *it = &v->items[v->nitems++];

	memset(it, 0, sizeof(*it));
	it->kind = (uint8_t)kind;
	v->seg_end[v->nsegs - 1] = (uint16_t)v->nitems;
	return it;
}

/* list.add(list = new ListItem()): the new list becomes the current one. */
static void add_list(struct maven *v)
{
	struct item *it = add_item(v, ITEM_LIST);

	it->child = (uint16_t)v->nsegs;
	v->seg_start[v->nsegs] = (uint16_t)v->nitems;
	v->seg_end[v->nsegs] = (uint16_t)v->nitems;
	v->nsegs++;
}

static int current_empty(const struct maven *v)
{
	return v->seg_start[v->nsegs - 1] == v->seg_end[v->nsegs - 1];
}

/* parseItem(true, ...): stripLeadingZeroes keeps an all-zero string as it
 * is, so its length still picks the class ("0000000000" is a LongItem). */
static void add_number(struct maven *v, const char *p, size_t n)
{
	struct item *it = add_item(v, ITEM_NUMBER);
	size_t len = n;

	while (n > 0 && *p == '0')
		p++, n--;
	if (n > 0)
		len = n;
	it->s = p;
	it->n = (uint16_t)n;
	it->cls = len <= 9 ? NUMBER_INT : len <= 18 ? NUMBER_LONG : NUMBER_BIG;
}

/* new StringItem(value, followedByDigit): the a1/b1/m1 shorthand, then
 * ALIASES (ga, final, release -> "", cr -> rc). */
static void add_qualifier(struct maven *v, const char *p, size_t n, int followed_by_digit)
{
	struct item *it = add_item(v, ITEM_QUALIFIER);

	it->s = p;
	it->n = (uint16_t)n;
	if (followed_by_digit && n == 1 && (*p == 'a' || *p == 'b' || *p == 'm')) {
		it->s = *p == 'a' ? "alpha" : *p == 'b' ? "beta" : "milestone";
		it->n = (uint16_t)strlen(it->s);
	}
	if ((it->n == 2 && memcmp(it->s, "ga", 2) == 0) || (it->n == 5 && memcmp(it->s, "final", 5) == 0) ||
	    (it->n == 7 && memcmp(it->s, "release", 7) == 0))
		it->n = 0;
	else if (it->n == 2 && memcmp(it->s, "cr", 2) == 0)
		it->s = "rc";
}

static void add_parsed(struct maven *v, int digits, const char *p, size_t n)
{
	if (digits)
		add_number(v, p, n);
	else
		add_qualifier(v, p, n, 0);
}

static int qualifier_index(const struct item *it)
{
	size_t i;

	for (i = 0; i < sizeof(qualifiers) / sizeof(qualifiers[0]); i++)
		if (strlen(qualifiers[i]) == it->n && memcmp(qualifiers[i], it->s, it->n) == 0)
			return (int)i;
	return UNKNOWN_INDEX;
}

static int item_is_null(const struct maven *v, const struct item *it)
{
	switch (it->kind) {
	case ITEM_NUMBER:
		return it->n == 0;
	case ITEM_QUALIFIER:
		return it->n == 0;
	case ITEM_LIST:
		return v->seg_live[it->child] == 0;
	default:
		return 0;
	}
}

/* ListItem.normalize, innermost list first (the order the stack pops):
 * drop null items from the end, stepping over a non-null sub-list. */
static void normalize(struct maven *v)
{
	size_t s, i;
	struct item *it;

	for (s = v->nsegs; s-- > 0;) {
		v->seg_live[s] = (uint16_t)(v->seg_end[s] - v->seg_start[s]);
		for (i = v->seg_end[s]; i-- > v->seg_start[s];) {
			it = &v->items[i];
			if (item_is_null(v, it)) {
				it->dead = 1;
				v->seg_live[s]--;
			} else if (it->kind != ITEM_LIST) {
				break;
			}
		}
	}
}

/* ComparableVersion.parseVersion of 3.8.7, step for step. */
static int parse(const char *raw, struct maven *v, struct sg_error *err)
{
	const char *s = v->text;
	size_t len, i, start = 0;
	int digit = 0;
	char c;

	if (!raw)
		return invalid(raw, "no version", err);
	len = strnlen(raw, SG_VERSION_MAX_BYTES + 1);
	if (len > SG_VERSION_MAX_BYTES)
		return invalid(raw, "longer than 256 bytes", err);
	if (len == 0)
		return invalid(raw, "empty", err);
	for (i = 0; i < len; i++) {
		c = raw[i];
		if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f)
			return invalid(raw, "character outside printable ASCII", err);
		v->text[i] = (char)(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
	}
	v->text[len] = '\0';
	v->nitems = 0;
	v->nsegs = 1;
	v->seg_start[0] = v->seg_end[0] = 0;
	for (i = 0; i < len; i++) {
		c = s[i];
		if (c == '.' || c == '-') {
			if (i == start)
				add_number(v, "0", 1);
			else
				add_parsed(v, digit, s + start, i - start);
			start = i + 1;
			if (c == '-')
				add_list(v);
		} else if (is_digit(c)) {
			if (!digit && i > start) {
				/* "1.0.X1" reads as "1.0-X1" (MNG-7644). */
				if (!current_empty(v))
					add_list(v);
				add_qualifier(v, s + start, i - start, 1);
				start = i;
				add_list(v);
			}
			digit = 1;
		} else {
			if (digit && i > start) {
				add_number(v, s + start, i - start);
				start = i;
				add_list(v);
			}
			digit = 0;
		}
	}
	if (len > start) {
		if (!digit && !current_empty(v))
			add_list(v);
		add_parsed(v, digit, s + start, len - start);
	}
	normalize(v);
	return 0;
}

static int sign(int c)
{
	return (c > 0) - (c < 0);
}

static int cmp_digits(const struct item *a, const struct item *b)
{
	if (a->cls != b->cls)
		return a->cls < b->cls ? -1 : 1;
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	return a->n ? sign(memcmp(a->s, b->s, a->n)) : 0;
}

/* comparableQualifier(a).compareTo(comparableQualifier(b)): an index digit
 * for a known qualifier, "7-" and the qualifier for the others. */
static int cmp_qualifier(const struct item *a, const struct item *b)
{
	int ka = qualifier_index(a), kb = qualifier_index(b), c;

	if (ka != UNKNOWN_INDEX || kb != UNKNOWN_INDEX)
		return sign(ka - kb);
	c = memcmp(a->s, b->s, a->n < b->n ? a->n : b->n);
	return c ? sign(c) : (a->n > b->n) - (a->n < b->n);
}

/* The next item of list seg from *pos that normalisation kept, or NULL. */
static const struct item *next_live(const struct maven *v, size_t seg, size_t *pos)
{
	while (*pos < v->seg_end[seg]) {
		const struct item *it = &v->items[(*pos)++];

		if (!it->dead)
			return it;
	}
	return NULL;
}

/* item.compareTo(null); a list compares its items in turn, its sub-list
 * (always last) included. */
static int cmp_null(const struct maven *v, const struct item *it)
{
	size_t pos;
	int c;

	for (;;) {
		switch (it->kind) {
		case ITEM_NUMBER:
			return it->n != 0;
		case ITEM_QUALIFIER:
			return sign(qualifier_index(it) - RELEASE_INDEX);
		case ITEM_LIST:
		default:
			break;
		}
		pos = v->seg_start[it->child];
		for (;;) {
			const struct item *sub = next_live(v, it->child, &pos);

			if (!sub)
				return 0;
			if (sub->kind == ITEM_LIST) {
				it = sub;
				break;
			}
			c = cmp_null(v, sub);
			if (c)
				return c;
		}
	}
}

/* Two items of which at most one is a list: number > list > qualifier. */
static int cmp_items(const struct item *a, const struct item *b)
{
	static const int rank[] = {[ITEM_NUMBER] = 2, [ITEM_LIST] = 1, [ITEM_QUALIFIER] = 0};

	if (a->kind != b->kind)
		return rank[a->kind] > rank[b->kind] ? 1 : -1;
	if (a->kind == ITEM_NUMBER)
		return cmp_digits(a, b);
	return cmp_qualifier(a, b);
}

/* ListItem.compareTo(ListItem): item by item, a missing one as null. Two
 * sub-lists are both last, so going into them ends the outer list. */
static int cmp_maven(const struct maven *va, const struct maven *vb)
{
	size_t sa = 0, sb = 0, ia, ib;
	const struct item *l, *r;
	int c;

	for (;;) {
		ia = va->seg_start[sa];
		ib = vb->seg_start[sb];
		for (;;) {
			l = next_live(va, sa, &ia);
			r = next_live(vb, sb, &ib);
			if (!l && !r)
				return 0;
			if (l && r && l->kind == ITEM_LIST && r->kind == ITEM_LIST)
				break;
			if (!r)
				c = cmp_null(va, l);
			else if (!l)
				c = -cmp_null(vb, r);
			else
				c = cmp_items(l, r);
			if (c)
				return c;
		}
		sa = l->child;
		sb = r->child;
	}
}

int sg_vcmp_maven(const char *a, const char *b, int *cmp, struct sg_error *err)
{
	struct maven va = {0}, vb = {0};
	int rc;

	rc = parse(a, &va, err);
	if (rc)
		return rc;
	rc = parse(b, &vb, err);
	if (rc)
		return rc;
	*cmp = cmp_maven(&va, &vb);
	return 0;
}

int sg_vcheck_maven(const char *v, struct sg_error *err)
{
	struct maven mv = {0};

	return parse(v, &mv, err);
}
