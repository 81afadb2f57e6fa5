/*
 * Is a version affected by one OSV affected entry? docs/schema.md
 * "Evaluation", as FORMATS.md section 5 quotes it:
 *
 *   v in affected.versions OR IncludedInRanges(v, affected.ranges)
 *   IncludedInRanges: for each range with BeforeLimits(v, range):
 *       vulnerable = false
 *       for evt in sorted(range.events):
 *           if evt.introduced present and v >= evt.introduced: vulnerable = true
 *           elif evt.fixed present and v >= evt.fixed: vulnerable = false
 *           elif evt.last_affected present and v > evt.last_affected: vulnerable = false
 *       if vulnerable: return true
 *   BeforeLimits: true if no limit events, else true iff v < some limit
 *
 * Versions are compared parsed, never as strings: "1.0" is "1.0.0" in PyPI,
 * in versions[] as in events.
 */
#include "sca/osv.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/utf8.h"

/*
 * The order of a SEMVER range. Go and npm orders are SemVer 2.0 precedence
 * over what their ecosystems write (Go's "v4.1.17", node-semver's loose
 * forms), and agree with strict SemVer wherever both read a version; so a Go
 * or npm version is placed in a SEMVER range by its own order, as osv-scanner
 * does, instead of being refused for its "v".
 */
static enum sg_vorder semver_order(enum sg_vorder order)
{
	return order == SG_VORDER_GO || order == SG_VORDER_NPM ? order : SG_VORDER_SEMVER;
}

/*
 * "0" is the schema's "introduced before every version". It is read the
 * same way in fixed, last_affected and limit (GHSA writes last_affected
 * "0"): strict SemVer does not even parse "0", and it must sort where
 * introduced "0" sorts. limit "*" is infinity.
 */
enum { BELOW_ALL = -1, A_VERSION = 0, ABOVE_ALL = 1 };

struct item {
	const struct sg_osv_event *e;
	int bound;
	size_t pos; /* in the record, to keep ties in a fixed order */
};

/* The three answers a range can give (see eval_range). */
enum { NO = 0, YES = 1, UNDECIDED = 2 };

struct evalctx {
	const struct sg_osv_affected *a;
	const char *v;
	enum sg_vorder order; /* of versions[] and ECOSYSTEM ranges */
	enum sg_vorder range_order;
	struct item *items;   /* parseable events from the front, the others from the back */
	struct item *tmp;
	size_t cap;
	int rc;               /* a comparator refused what it had accepted */
	struct sg_error scratch;
};

struct range_out {
	int verdict;
	/* UNDECIDED only because a fix (or last_affected) could not be read
	 * while readable events make the version vulnerable: fails closed. */
	int open_fix;
	int n_bad;
	const struct sg_osv_event *fixed_in;
};

/* ---- the decided_by sentence: bounded, cut on a character, one line ---- */

struct line {
	char *s;
	size_t size, len;
	int full;
};

static void say(struct line *l, const char *fmt, ...) SG_PRINTF(2, 3);
static void say(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (l->full)
		return;
	va_start(ap, fmt);
	/* Flawfinder: ignore (the format is checked by the compiler: SG_PRINTF) */
	n = vsnprintf(l->s + l->len, l->size - l->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= l->size - l->len) {
		l->full = 1;
		l->len = l->size - 1;
		return;
	}
	l->len += (size_t)n;
}

/* Text from the record: control characters would break the line. */
static void say_text(struct line *l, const char *t)
{
	for (; *t && !l->full; t++) {
		unsigned char c = (unsigned char)*t;

		if (l->len + 1 >= l->size) {
			l->full = 1;
			break;
		}
		l->s[l->len++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	l->s[l->len] = '\0';
}

static void line_end(struct line *l)
{
	if (l->full) {
		l->len = sg_utf8_cut(l->s, l->len, l->size - 4);
		memcpy(l->s + l->len, "...", 4);
		l->len += 3;
	}
	l->s[l->len] = '\0';
}

/* ---- ordering events ---- */

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static int compare(struct evalctx *c, const char *x, const char *y)
{
	int cmp = 0;

	if (sg_version_compare(c->range_order, x, y, &cmp, &c->scratch) != 0) {
		c->rc = SG_EINTERNAL;
		return 0;
	}
	return sign(cmp);
}

/* At equal versions introduced comes first, so that introduced X with
 * fixed X (or last_affected "0" after introduced "0") is an empty range
 * whatever order the record lists them in. */
static int kind_rank(enum sg_osv_event_kind k)
{
	return k == SG_OSV_INTRODUCED ? 0 : k == SG_OSV_LIMIT ? 2 : 1;
}

static int item_cmp(struct evalctx *c, const struct item *x, const struct item *y)
{
	int cmp = 0;

	if (x->bound != y->bound)
		return x->bound < y->bound ? -1 : 1;
	if (x->bound == A_VERSION)
		cmp = compare(c, x->e->version, y->e->version);
	if (cmp == 0)
		cmp = kind_rank(x->e->kind) - kind_rank(y->e->kind);
	if (cmp == 0)
		cmp = (x->pos > y->pos) - (x->pos < y->pos);
	return sign(cmp);
}

/* Bottom-up merge sort: n log n comparisons (each one parses two versions),
 * and no recursion on hostile input. */
static void sort_items(struct evalctx *c, struct item *v, size_t n)
{
	size_t width, i;

	for (width = 1; width < n; width *= 2) {
		for (i = 0; i < n; i += 2 * width) {
			size_t mid = i + width < n ? i + width : n;
			size_t hi = i + 2 * width < n ? i + 2 * width : n;
			size_t x = i, y = mid, k = i;

			while (x < mid && y < hi)
				c->tmp[k++] = item_cmp(c, &v[y], &v[x]) < 0 ? v[y++] : v[x++];
			while (x < mid)
				c->tmp[k++] = v[x++];
			while (y < hi)
				c->tmp[k++] = v[y++];
		}
		memcpy(v, c->tmp, n * sizeof(*v));
	}
}

/* The version being evaluated against an event: < 0, 0, > 0. */
static int cmp_v(struct evalctx *c, const struct item *it)
{
	if (it->bound != A_VERSION)
		return -it->bound;
	return compare(c, c->v, it->e->version);
}

/* ---- one range ---- */

static void describe_range(struct evalctx *c, size_t index, size_t n_good, size_t n_bad, struct line *l)
{
	const struct sg_osv_range *range = &c->a->ranges[index];
	size_t j;

	say(l, "range %zu (%s): ", index + 1, sg_osv_range_type_name(range->type));
	for (j = 0; j < n_good; j++) {
		say(l, "%s%s ", j ? ", " : "", sg_osv_event_kind_name(c->items[j].e->kind));
		say_text(l, c->items[j].e->version);
	}
	if (n_good == 0)
		say(l, "no usable event");
	if (n_bad) {
		say(l, "; skipped, not %s versions: ", sg_vorder_name(c->range_order));
		for (j = 0; j < n_bad; j++) {
			const struct sg_osv_event *e = c->items[c->cap - 1 - j].e;

			say(l, "%s%s \"", j ? ", " : "", sg_osv_event_kind_name(e->kind));
			say_text(l, e->version);
			say(l, "\"");
		}
	}
}

/*
 * Events that do not parse under the range's order are skipped and counted,
 * and the range then answers only what the others decide whatever the
 * skipped ones were. Adding an introduced event can only make a version
 * vulnerable, adding a fixed or last_affected event can only make it not
 * vulnerable, and adding a limit can move BeforeLimits either way. So with
 * an unreadable fixed (say) the range still says NO for versions it leaves
 * unaffected, but UNDECIDED (not affected, reported in decided_by and
 * unparseable) where it would otherwise say YES: a fix we cannot read never
 * leaves a version vulnerable forever, and never hides that it was skipped.
 * The same holds the other way for an unreadable introduced.
 */
static int eval_range(struct evalctx *c, size_t index, struct range_out *out, struct line *l)
{
	const struct sg_osv_range *range = &c->a->ranges[index];
	size_t j, n = 0, n_bad = 0;
	int bad_introduced = 0, bad_closing = 0, bad_limit = 0;
	int has_limit = 0, before = 0, vulnerable = 0, vuln, lim;

	memset(out, 0, sizeof(*out));
	c->range_order = range->type == SG_OSV_RANGE_SEMVER ? semver_order(c->order) : c->order;
	for (j = 0; j < range->n_events; j++) {
		const struct sg_osv_event *e = &range->events[j];
		struct item it = {e, A_VERSION, j};

		if (strcmp(e->version, "0") == 0) {
			it.bound = BELOW_ALL;
		} else if (e->kind == SG_OSV_LIMIT && strcmp(e->version, "*") == 0) {
			it.bound = ABOVE_ALL;
		} else if (sg_version_check(c->range_order, e->version, &c->scratch) != 0) {
			c->items[c->cap - 1 - n_bad++] = it;
			bad_introduced |= e->kind == SG_OSV_INTRODUCED;
			bad_limit |= e->kind == SG_OSV_LIMIT;
			bad_closing |= e->kind == SG_OSV_FIXED || e->kind == SG_OSV_LAST_AFFECTED;
			continue;
		}
		c->items[n++] = it;
	}
	out->n_bad = (int)n_bad;
	sort_items(c, c->items, n);
	for (j = 0; j < n; j++) {
		const struct item *it = &c->items[j];
		int cmp = cmp_v(c, it);

		switch (it->e->kind) {
		case SG_OSV_INTRODUCED:
			if (cmp >= 0)
				vulnerable = 1;
			break;
		case SG_OSV_FIXED:
			if (cmp >= 0)
				vulnerable = 0;
			break;
		case SG_OSV_LAST_AFFECTED:
			if (cmp > 0)
				vulnerable = 0;
			break;
		case SG_OSV_LIMIT:
		default:
			has_limit = 1;
			if (cmp < 0)
				before = 1;
			break;
		}
	}
	if (!has_limit)
		before = 1; /* the implicit {limit: "*"} */
	vuln = vulnerable ? (bad_closing ? UNDECIDED : YES) : (bad_introduced ? UNDECIDED : NO);
	if (!bad_limit)
		lim = before ? YES : NO;
	else
		lim = has_limit && before ? YES : UNDECIDED;
	out->verdict = vuln == NO || lim == NO ? NO : vuln == YES && lim == YES ? YES : UNDECIDED;
	out->open_fix = out->verdict == UNDECIDED && vulnerable && bad_closing && lim == YES;
	if (out->verdict == YES) {
		/* The first fixed above v in sorted order is the smallest. */
		for (j = 0; j < n && !out->fixed_in; j++)
			if (c->items[j].e->kind == SG_OSV_FIXED && cmp_v(c, &c->items[j]) < 0)
				out->fixed_in = c->items[j].e;
	}
	if (l)
		describe_range(c, index, n, n_bad, l);
	if (c->rc)
		return sg_error_set(&c->scratch, SG_DIAG_INTERNAL,
				    "a version comparator refused a version it had accepted");
	return 0;
}

static int evaluated(const struct sg_osv_range *range)
{
	return range->type == SG_OSV_RANGE_SEMVER || range->type == SG_OSV_RANGE_ECOSYSTEM;
}

/* ---- the entry ---- */

static int check_version(enum sg_vorder order, const char *version, struct sg_error *err)
{
	struct sg_error why;

	sg_error_clear(&why);
	if (sg_version_check(order, version, &why) == 0)
		return 0;
	sg_error_clear(err);
	return sg_error_set(err, SG_DIAG_VERSION_INVALID, "version \"%.100s\" is not a %s version: %s", version,
			    sg_vorder_name(order), why.message);
}

/* When nothing matched: say what was looked at. */
static int describe_miss(struct evalctx *c, size_t undecided, struct line *l)
{
	const struct sg_osv_affected *a = c->a;
	struct range_out ro;
	const char *sep = "";
	size_t i;
	int rc;

	if (undecided) {
		say(l, "undecided, ");
		return eval_range(c, undecided - 1, &ro, l);
	}
	say(l, "not affected: ");
	if (a->n_versions) {
		say(l, "not in the versions list (%zu entries)", a->n_versions);
		sep = "; ";
	}
	for (i = 0; i < a->n_ranges && !l->full; i++) {
		say(l, "%s", sep);
		sep = "; ";
		if (!evaluated(&a->ranges[i])) {
			/* GIT ranges need the repository's history; an unknown
			 * type has no defined order. Never a match: say so. */
			say(l, "range %zu (%s) not evaluated%s", i + 1, sg_osv_range_type_name(a->ranges[i].type),
			    a->ranges[i].type == SG_OSV_RANGE_GIT ? " (commit ranges need the repository)" : "");
			continue;
		}
		say(l, "outside ");
		rc = eval_range(c, i, &ro, l);
		if (rc)
			return rc;
	}
	if (!a->n_versions && !a->n_ranges)
		say(l, "the entry lists no versions and no ranges");
	return 0;
}

static int fill_verdict(struct evalctx *c, size_t match, size_t decider, size_t undecided,
			struct sg_osv_verdict *out)
{
	struct line l = {out->decided_by, sizeof(out->decided_by), 0, 0};
	struct range_out ro;
	int rc = 0;

	out->decided_by[0] = '\0';
	if (match) {
		say(&l, "versions list (\"");
		say_text(&l, c->a->versions[match - 1]);
		say(&l, "\")");
	} else if (decider) {
		rc = eval_range(c, decider - 1, &ro, &l);
	} else {
		/* A security gate fails closed: when the readable events make
		 * the version vulnerable and the fix that might end it cannot
		 * be read, it counts as affected. An unreadable introduced or
		 * limit is not taken to widen a range: undecided, reported. */
		if (out->undecided)
			say(&l, "counted as affected: ");
		rc = describe_miss(c, undecided, &l);
	}
	line_end(&l);
	return rc;
}

int sg_osv_evaluate(const struct sg_osv_affected *a, enum sg_vorder order, const char *version,
		    struct sg_osv_verdict *out, struct sg_error *err)
{
	struct evalctx c;
	struct range_out ro;
	size_t i, match = 0, decider = 0, undecided = 0, open_fix = 0, cap = 1;
	int needs_order = a->n_versions > 0, needs_semver = 0, skip_semver = 0, rc = 0, cmp;
	struct sg_error unplaced;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	if (!version) {
		sg_error_clear(err);
		return sg_error_set(err, SG_DIAG_VERSION_INVALID, "no version to evaluate");
	}
	for (i = 0; i < a->n_ranges; i++) {
		needs_order |= a->ranges[i].type == SG_OSV_RANGE_ECOSYSTEM;
		needs_semver |= a->ranges[i].type == SG_OSV_RANGE_SEMVER;
		if (a->ranges[i].n_events > cap)
			cap = a->ranges[i].n_events;
	}
	/* The version must parse under every order the entry needs: a version
	 * that cannot be placed is an input error, never "not affected". */
	if (needs_order && (rc = check_version(order, version, err)) != 0)
		return rc;
	/* A version SemVer cannot place (PyPI's "1.0" against a SEMVER range)
	 * skips those ranges; if nothing else in the entry (its versions
	 * list, its ECOSYSTEM ranges) affects it, that is the answer: the
	 * pair cannot be evaluated. */
	sg_error_clear(&unplaced);
	if (needs_semver && check_version(semver_order(order), version, &unplaced) != 0)
		skip_semver = 1;
	c.a = a;
	c.v = version;
	c.order = order;
	c.cap = cap;
	c.items = sg_calloc(cap, sizeof(*c.items));
	c.tmp = sg_calloc(cap, sizeof(*c.tmp));
	if (!c.items || !c.tmp) {
		sg_error_clear(err);
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
		goto out;
	}
	/* Everything is looked at, also after a match, so that unparseable
	 * counts every version the entry holds that could not be used. */
	for (i = 0; i < a->n_versions; i++) {
		if (sg_version_compare(order, version, a->versions[i], &cmp, &c.scratch) != 0)
			out->unparseable++;
		else if (cmp == 0 && !match)
			match = i + 1;
	}
	for (i = 0; i < a->n_ranges; i++) {
		if (!evaluated(&a->ranges[i]) || (skip_semver && a->ranges[i].type == SG_OSV_RANGE_SEMVER))
			continue;
		rc = eval_range(&c, i, &ro, NULL);
		if (rc)
			goto out;
		out->unparseable += ro.n_bad;
		if (ro.verdict == UNDECIDED && !undecided)
			undecided = i + 1;
		if (ro.open_fix && !open_fix)
			open_fix = i + 1;
		if (ro.verdict != YES || decider)
			continue;
		decider = i + 1;
		/* A fixed version too long for the verdict is left out, not cut. */
		if (ro.fixed_in && strlen(ro.fixed_in->version) < sizeof(out->fixed_in))
			memcpy(out->fixed_in, ro.fixed_in->version, strlen(ro.fixed_in->version) + 1);
	}
	out->affected = match || decider || open_fix;
	out->undecided = !match && !decider && open_fix;
	if (!out->affected && skip_semver) {
		*err = unplaced;
		rc = SG_EINPUT;
		goto out;
	}
	rc = fill_verdict(&c, match, decider, open_fix ? open_fix : undecided, out);
out:
	if (rc && c.rc)
		*err = c.scratch; /* the comparator's complaint, see eval_range */
	sg_free(c.items);
	sg_free(c.tmp);
	return rc;
}
