/*
 * OSV records (FORMATS.md section 5; ossf/osv-schema validation/schema.json):
 * one record read from memory with the streaming reader, keeping only what
 * matching and severity need, and one affected entry written to and read back
 * from the store's compact JSON (the same reader, the same checks).
 *
 * What is refused (osv-invalid, with the JSON pointer): a missing or
 * non-string `id` or `modified`, a `modified`/`withdrawn` that is not the
 * schema's timestamp, a kept member of the wrong type or given twice, a
 * package without ecosystem or name, a range without type or events, an
 * event with none or more than one of introduced/fixed/last_affected/limit,
 * and a SEMVER or ECOSYSTEM range without any `introduced` (the evaluation
 * would silently affect nothing, hiding what the record meant to report).
 * GIT ranges are not checked for `introduced`: they are never evaluated, and
 * real osv.dev CVE records carry fixed-only GIT ranges. A range with both
 * fixed and last_affected (the schema forbids it) is read and evaluated as
 * written: the evaluation is defined for it. Unknown members are
 * ignored ("newer minor versions only add fields"); null stands for an
 * absent optional member. YAML is not read (a json-syntax error): the PyPA
 * advisories are read through their JSON conversion. An osv.dev query
 * response ({"vulns": [...]}) is not a record and is refused as one
 * without "id", with a message saying what it is: its caller unwraps it.
 *
 * Strings other than versions are bounded by the reader
 * (SG_JSON_MAX_STRING_BYTES) and the record (SG_OSV_MAX_RECORD_BYTES);
 * versions by SG_OSV_MAX_VERSION_BYTES.
 */
#include "sca/osv.h"

#include <ctype.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sca/cvss.h"
#include "util/alloc.h"
#include "util/json_reader.h"
#include "util/json_writer.h"
#include "util/limits.h"
#include "util/timeutil.h"
#include "util/utf8.h"

/* Members that may appear once (bits of osv_parse.seen / aff_seen / range_seen). */
enum {
	SEEN_ID = 1 << 0,
	SEEN_MODIFIED = 1 << 1,
	SEEN_ALIASES = 1 << 2,
	SEEN_SUMMARY = 1 << 3,
	SEEN_SEVERITY = 1 << 4,
	SEEN_AFFECTED = 1 << 5,
	SEEN_WITHDRAWN = 1 << 6,
};
enum {
	AFF_PACKAGE = 1 << 0,
	AFF_RANGES = 1 << 1,
	AFF_VERSIONS = 1 << 2,
	AFF_SEVERITY = 1 << 3,
	AFF_VECTOR = 1 << 4,
};
enum {
	RANGE_TYPE = 1 << 0,
	RANGE_EVENTS = 1 << 1,
};

struct osv_parse {
	struct sg_osv_record *rec;   /* NULL when reading one entry in the store's form */
	struct sg_osv_affected *aff; /* the entry being read */
	size_t cap_aliases, cap_affected, cap_ranges, cap_events, cap_versions;
	unsigned seen, aff_seen, range_seen;
	int has_vulns;               /* an osv.dev query response ({"vulns": [...]}) */
	int range_introduced;        /* the range being read has an introduced event */
	/* a severity[] item being read (its members come in any order) */
	char *sev_type, *sev_score;
	/* an entry's candidate vectors: severity[] v3 and v4, database_specific.cvss */
	char *aff_v3, *aff_v4, *aff_dbcvss;
	/* an event being read */
	int ev_keys;
	enum sg_osv_event_kind ev_kind;
	char *ev_version;
};

static const char *type_name(enum sg_json_type t)
{
	switch (t) {
	case SG_JSON_NULL:
		return "null";
	case SG_JSON_FALSE:
	case SG_JSON_TRUE:
		return "a boolean";
	case SG_JSON_NUMBER:
		return "a number";
	case SG_JSON_STRING:
		return "a string";
	case SG_JSON_OBJECT_START:
	case SG_JSON_OBJECT_END:
		return "an object";
	case SG_JSON_ARRAY_START:
	case SG_JSON_ARRAY_END:
		return "an array";
	default:
		return "a value";
	}
}

/* Does the path below `base` equal segs ("#" any index) and end there? */
static int osv_at(const struct sg_json_reader *r, int base, const char *const *segs)
{
	int i;

	for (i = 0; segs[i]; i++) {
		const char *key;

		if (base + i >= sg_json_depth(r))
			return 0;
		if (segs[i][0] == '#' && segs[i][1] == '\0') {
			if (sg_json_index(r, base + i) < 0)
				return 0;
			continue;
		}
		key = sg_json_key(r, base + i);
		if (!key || key[0] != segs[i][0] || strcmp(key, segs[i]) != 0)
			return 0;
	}
	return sg_json_depth(r) == base + i;
}
#define AT(r, base, ...) osv_at((r), (base), (const char *const[]){__VA_ARGS__, NULL})
/* Every event of a record is dispatched on its keys: the first byte rules
 * out most of them without a call (measured: strcmp was 5% of an import). */
#define KEY_IS(key, lit) ((key)[0] == (lit)[0] && strcmp((key), (lit)) == 0)

static int no_memory(struct sg_json_reader *r)
{
	return sg_json_fail(r, SG_DIAG_NO_MEMORY, "out of memory");
}

static int wrong_type(struct sg_json_reader *r, const char *what, const char *want,
		      const struct sg_json_event *ev)
{
	return sg_json_fail(r, SG_DIAG_OSV_INVALID, "%s must be %s, not %s", what, want, type_name(ev->type));
}

static int take(struct sg_json_reader *r, char **slot, const struct sg_json_event *ev)
{
	char *s = sg_strndup(ev->text, ev->len);

	if (!s)
		return no_memory(r);
	sg_free(*slot);
	*slot = s;
	return 0;
}

static int take_version(struct sg_json_reader *r, char **slot, const struct sg_json_event *ev)
{
	if (ev->len > SG_OSV_MAX_VERSION_BYTES)
		return sg_json_fail(r, SG_DIAG_LIMIT_EXCEEDED, "version longer than %d bytes",
				    SG_OSV_MAX_VERSION_BYTES);
	return take(r, slot, ev);
}

/* Make room for one more element; new space is zeroed. */
static int grow(struct sg_json_reader *r, void **array, size_t *cap, size_t n, size_t size, size_t max,
		const char *what)
{
	size_t want = *cap ? *cap * 2 : 4;
	void *p;

	if (n >= max)
		return sg_json_fail(r, SG_DIAG_LIMIT_EXCEEDED, "more than %zu %s", max, what);
	if (n < *cap)
		return 0;
	if (want > max)
		want = max;
	p = sg_realloc_array(*array, want, size);
	if (!p)
		return no_memory(r);
	memset((char *)p + *cap * size, 0, (want - *cap) * size);
	*array = p;
	*cap = want;
	return 0;
}

/*
 * The schema's timestamp: "YYYY-MM-DDTHH:MM:SS" [ "." 1*DIGIT ] "Z". The
 * fraction (osv.dev writes microseconds) is dropped: sg_time_parse takes
 * whole seconds. Offsets other than Z are not in the schema's pattern.
 * Years before 1970 are checked as dates but read as 0: every record of
 * golang/vulndb's data/osv says "modified": "0001-01-01T00:00:00Z" (Go's
 * zero time, "never set"), which sg_time_parse does not take.
 */
static int parse_timestamp(const char *text, size_t len, time_t *out)
{
	char whole[SG_TIME_TEXT];
	int year = 0, leap;
	size_t i;

	if (len < 20 || len > 64 || text[len - 1] != 'Z')
		return -1;
	if (len > 20) {
		if (text[19] != '.' || len < 22)
			return -1;
		for (i = 20; i < len - 1; i++)
			if (text[i] < '0' || text[i] > '9')
				return -1;
	}
	memcpy(whole, text, 19);
	whole[19] = 'Z';
	whole[20] = '\0';
	for (i = 0; i < 4; i++) {
		if (whole[i] < '0' || whole[i] > '9')
			return -1;
		year = year * 10 + (whole[i] - '0');
	}
	if (year >= 1970)
		return sg_time_parse(whole, out);
	/* Check the rest with a year of the same leap-ness, then say 0. */
	leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	memcpy(whole, leap ? "1972" : "1971", 4);
	if (sg_time_parse(whole, out) != 0)
		return -1;
	*out = 0;
	return 0;
}

/* ---- severity[] items (record and entry) ---- */

static void commit_severity(struct osv_parse *p, char **v3, char **v4)
{
	char **slot = NULL;

	/* CVSS_V2 and Ubuntu (a priority word) are ignored: shipgate scores
	 * v3.x and v4.0 vectors only; a record with just those falls back to
	 * the database's word. The first vector of a kind is kept. */
	if (p->sev_type && p->sev_score) {
		if (strcmp(p->sev_type, "CVSS_V3") == 0)
			slot = v3;
		else if (strcmp(p->sev_type, "CVSS_V4") == 0)
			slot = v4;
	}
	if (slot && !*slot) {
		*slot = p->sev_score;
		p->sev_score = NULL;
	}
	sg_free(p->sev_type);
	sg_free(p->sev_score);
	p->sev_type = p->sev_score = NULL;
}

/* An event inside a severity array whose key is at level `lvl`. */
static int severity_event(struct osv_parse *p, struct sg_json_reader *r, const struct sg_json_event *ev,
			  int lvl, char **v3, char **v4)
{
	int d = sg_json_depth(r);
	const char *key;

	if (d == lvl + 2) {
		if (ev->type == SG_JSON_OBJECT_START) {
			sg_free(p->sev_type);
			sg_free(p->sev_score);
			p->sev_type = p->sev_score = NULL;
			return 0;
		}
		if (ev->type == SG_JSON_OBJECT_END) {
			commit_severity(p, v3, v4);
			return 0;
		}
		return wrong_type(r, "a severity entry", "an object", ev);
	}
	if (d != lvl + 3 || sg_json_index(r, lvl + 1) < 0)
		return 0;
	key = sg_json_key(r, lvl + 2);
	if (key && (KEY_IS(key, "type") || KEY_IS(key, "score"))) {
		if (ev->type != SG_JSON_STRING)
			return wrong_type(r, key[0] == 't' ? "severity type" : "severity score", "a string", ev);
		return take(r, key[0] == 't' ? &p->sev_type : &p->sev_score, ev);
	}
	return 0;
}
/* ---- affected[] entries ---- */

static int new_entry(struct osv_parse *p, struct sg_json_reader *r)
{
	struct sg_osv_record *rec = p->rec;
	int rc;

	rc = grow(r, (void **)&rec->affected, &p->cap_affected, rec->n_affected, sizeof(*rec->affected),
		  SG_OSV_MAX_AFFECTED, "affected entries");
	if (rc)
		return rc;
	p->aff = &rec->affected[rec->n_affected++];
	p->cap_ranges = p->cap_versions = p->cap_events = 0;
	p->aff_seen = 0;
	return 0;
}

static void end_entry(struct osv_parse *p)
{
	char **pick = p->aff_v3 ? &p->aff_v3 : p->aff_v4 ? &p->aff_v4 : &p->aff_dbcvss;

	/* affected[].severity first (v3 before v4, as for the record), then
	 * RustSec's database_specific.cvss. */
	if (!p->aff->severity_vector && *pick) {
		p->aff->severity_vector = *pick;
		*pick = NULL;
	}
	sg_free(p->aff_v3);
	sg_free(p->aff_v4);
	sg_free(p->aff_dbcvss);
	p->aff_v3 = p->aff_v4 = p->aff_dbcvss = NULL;
}

static int once(struct sg_json_reader *r, unsigned *seen, unsigned bit, const char *name)
{
	if (*seen & bit)
		return sg_json_fail(r, SG_DIAG_OSV_INVALID, "\"%s\" given twice", name);
	*seen |= bit;
	return 0;
}

/* A member that must be an array (or null, meaning absent) at its own level. */
static int array_member(struct sg_json_reader *r, const struct sg_json_event *ev, unsigned *seen,
			unsigned bit, const char *name)
{
	if (ev->type == SG_JSON_ARRAY_START)
		return once(r, seen, bit, name);
	if (ev->type == SG_JSON_ARRAY_END || ev->type == SG_JSON_NULL)
		return 0;
	return wrong_type(r, name, "an array", ev);
}

static int package_member(struct osv_parse *p, struct sg_json_reader *r, const struct sg_json_event *ev,
			  const char *key)
{
	char **slot = NULL;

	if (KEY_IS(key, "ecosystem"))
		slot = &p->aff->ecosystem;
	else if (KEY_IS(key, "name"))
		slot = &p->aff->name;
	else if (KEY_IS(key, "purl"))
		slot = &p->aff->purl;
	if (!slot || ev->type == SG_JSON_NULL)
		return 0;
	if (ev->type != SG_JSON_STRING)
		return wrong_type(r, key, "a string", ev);
	if (*slot)
		return sg_json_fail(r, SG_DIAG_OSV_INVALID, "\"%s\" given twice", key);
	return take(r, slot, ev);
}

static int range_type(struct sg_json_reader *r, const struct sg_json_event *ev, struct sg_osv_range *range)
{
	if (ev->type != SG_JSON_STRING)
		return wrong_type(r, "range type", "a string", ev);
	if (strcmp(ev->text, "SEMVER") == 0)
		range->type = SG_OSV_RANGE_SEMVER;
	else if (strcmp(ev->text, "ECOSYSTEM") == 0)
		range->type = SG_OSV_RANGE_ECOSYSTEM;
	else if (strcmp(ev->text, "GIT") == 0)
		range->type = SG_OSV_RANGE_GIT;
	else
		range->type = SG_OSV_RANGE_OTHER; /* kept, never evaluated */
	return 0;
}

static int event_member(struct osv_parse *p, struct sg_json_reader *r, const struct sg_json_event *ev,
			const char *key)
{
	static const struct {
		const char *name;
		enum sg_osv_event_kind kind;
	} kinds[] = {
		{"introduced", SG_OSV_INTRODUCED},
		{"fixed", SG_OSV_FIXED},
		{"last_affected", SG_OSV_LAST_AFFECTED},
		{"limit", SG_OSV_LIMIT},
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(key, kinds[i].name) != 0)
			continue;
		if (ev->type != SG_JSON_STRING)
			return wrong_type(r, key, "a string", ev);
		/* "Only a single type (either introduced, fixed, last_affected,
		 * limit) is allowed in each event object" (docs/schema.md). */
		if (++p->ev_keys > 1)
			return sg_json_fail(r, SG_DIAG_OSV_INVALID,
					    "an event has more than one of introduced, fixed, last_affected, limit");
		p->ev_kind = kinds[i].kind;
		return take_version(r, &p->ev_version, ev);
	}
	return 0; /* other members of an event are not in the schema: ignored */
}

static int end_event(struct osv_parse *p, struct sg_json_reader *r)
{
	struct sg_osv_range *range = &p->aff->ranges[p->aff->n_ranges - 1];
	int rc;

	if (p->ev_keys == 0)
		return sg_json_fail(r, SG_DIAG_OSV_INVALID,
				    "an event has none of introduced, fixed, last_affected, limit");
	rc = grow(r, (void **)&range->events, &p->cap_events, range->n_events, sizeof(*range->events),
		  SG_OSV_MAX_EVENTS, "events in a range");
	if (rc)
		return rc;
	range->events[range->n_events].kind = p->ev_kind;
	range->events[range->n_events].version = p->ev_version;
	range->n_events++;
	p->ev_version = NULL;
	if (p->ev_kind == SG_OSV_INTRODUCED)
		p->range_introduced = 1;
	return 0;
}

static int end_range(struct osv_parse *p, struct sg_json_reader *r)
{
	struct sg_osv_range *range = &p->aff->ranges[p->aff->n_ranges - 1];

	if (!(p->range_seen & RANGE_TYPE))
		return sg_json_fail(r, SG_DIAG_OSV_INVALID, "a range has no \"type\"");
	if (!(p->range_seen & RANGE_EVENTS))
		return sg_json_fail(r, SG_DIAG_OSV_INVALID, "a range has no \"events\"");
	/* The store's form is checked as written: only records are held to the
	 * schema's "events must contain an introduced object". */
	if (p->rec && !p->range_introduced &&
	    (range->type == SG_OSV_RANGE_SEMVER || range->type == SG_OSV_RANGE_ECOSYSTEM))
		return sg_json_fail(r, SG_DIAG_OSV_INVALID, "a %s range has no \"introduced\" event",
				    range->type == SG_OSV_RANGE_SEMVER ? "SEMVER" : "ECOSYSTEM");
	return 0;
}

/* Below affected/#/ranges: `b` is the level of the entry's member keys. */
static int range_event(struct osv_parse *p, struct sg_json_reader *r, const struct sg_json_event *ev, int b)
{
	struct sg_osv_affected *a = p->aff;
	int d = sg_json_depth(r);
	const char *key;
	int rc;

	if (d == b + 2) {
		if (ev->type == SG_JSON_OBJECT_START) {
			rc = grow(r, (void **)&a->ranges, &p->cap_ranges, a->n_ranges, sizeof(*a->ranges),
				  SG_OSV_MAX_RANGES, "ranges in an affected entry");
			if (rc)
				return rc;
			a->n_ranges++;
			p->cap_events = 0;
			p->range_seen = 0;
			p->range_introduced = 0;
			return 0;
		}
		if (ev->type == SG_JSON_OBJECT_END)
			return end_range(p, r);
		return wrong_type(r, "a range", "an object", ev);
	}
	if (AT(r, b, "ranges", "#", "type")) {
		rc = once(r, &p->range_seen, RANGE_TYPE, "type");
		return rc ? rc : range_type(r, ev, &a->ranges[a->n_ranges - 1]);
	}
	if (AT(r, b, "ranges", "#", "events")) {
		if (ev->type == SG_JSON_ARRAY_START)
			return once(r, &p->range_seen, RANGE_EVENTS, "events");
		if (ev->type == SG_JSON_ARRAY_END)
			return 0;
		return wrong_type(r, "events", "an array", ev);
	}
	if (AT(r, b, "ranges", "#", "events", "#")) {
		if (ev->type == SG_JSON_OBJECT_START) {
			p->ev_keys = 0;
			sg_free(p->ev_version);
			p->ev_version = NULL;
			return 0;
		}
		if (ev->type == SG_JSON_OBJECT_END)
			return end_event(p, r);
		return wrong_type(r, "an event", "an object", ev);
	}
	key = d == b + 5 ? sg_json_key(r, b + 4) : NULL;
	if (key && AT(r, b, "ranges", "#", "events", "#", key))
		return event_member(p, r, ev, key);
	return 0; /* repo (GIT), database_specific: not kept */
}

static int entry_member(struct osv_parse *p, struct sg_json_reader *r, const struct sg_json_event *ev,
			const char *key)
{
	int rc;

	if (KEY_IS(key, "package")) {
		if (ev->type == SG_JSON_OBJECT_START)
			return once(r, &p->aff_seen, AFF_PACKAGE, "package");
		if (ev->type == SG_JSON_OBJECT_END) {
			/* "ecosystem" and "name" are required together; the store's
			 * form keeps whatever the entry had. */
			if (p->rec && (!p->aff->ecosystem || !p->aff->name))
				return sg_json_fail(r, SG_DIAG_OSV_INVALID, "a package needs \"ecosystem\" and \"name\"");
			return 0;
		}
		if (ev->type == SG_JSON_NULL)
			return 0;
		return wrong_type(r, "package", "an object", ev);
	}
	if (KEY_IS(key, "ranges"))
		return array_member(r, ev, &p->aff_seen, AFF_RANGES, "ranges");
	if (KEY_IS(key, "versions"))
		return array_member(r, ev, &p->aff_seen, AFF_VERSIONS, "versions");
	if (KEY_IS(key, "severity"))
		return array_member(r, ev, &p->aff_seen, AFF_SEVERITY, "severity");
	if (!p->rec && KEY_IS(key, "severity_vector")) {
		if (ev->type == SG_JSON_NULL)
			return 0;
		if (ev->type != SG_JSON_STRING)
			return wrong_type(r, key, "a string", ev);
		rc = once(r, &p->aff_seen, AFF_VECTOR, key);
		return rc ? rc : take(r, &p->aff->severity_vector, ev);
	}
	return 0;
}

/* Any event inside one affected entry; `b` is the level of its member keys. */
static int entry_event(struct osv_parse *p, struct sg_json_reader *r, const struct sg_json_event *ev, int b)
{
	struct sg_osv_affected *a = p->aff;
	int d = sg_json_depth(r);
	const char *key = sg_json_key(r, b);
	int rc;

	if (!key)
		return 0;
	if (d == b + 1)
		return entry_member(p, r, ev, key);
	if (KEY_IS(key, "package") && d == b + 2)
		return package_member(p, r, ev, sg_json_key(r, b + 1));
	if (KEY_IS(key, "ranges"))
		return range_event(p, r, ev, b);
	if (AT(r, b, "versions", "#")) {
		if (ev->type != SG_JSON_STRING)
			return wrong_type(r, "a version", "a string", ev);
		rc = grow(r, (void **)&a->versions, &p->cap_versions, a->n_versions, sizeof(*a->versions),
			  SG_OSV_MAX_VERSIONS, "versions in an affected entry");
		if (rc)
			return rc;
		rc = take_version(r, &a->versions[a->n_versions], ev);
		if (rc == 0)
			a->n_versions++;
		return rc;
	}
	if (KEY_IS(key, "severity"))
		return severity_event(p, r, ev, b, &p->aff_v3, &p->aff_v4);
	/* RustSec: affected[].database_specific.cvss, a vector or null. */
	if (AT(r, b, "database_specific", "cvss") && ev->type == SG_JSON_STRING)
		return take(r, &p->aff_dbcvss, ev);
	return 0;
}

/* ---- the record ---- */

static int top_string(struct osv_parse *p, struct sg_json_reader *r, const struct sg_json_event *ev,
		      const char *key)
{
	struct sg_osv_record *rec = p->rec;
	time_t t;
	int rc;

	if (KEY_IS(key, "id")) {
		if (ev->type != SG_JSON_STRING)
			return wrong_type(r, "id", "a string", ev);
		rc = once(r, &p->seen, SEEN_ID, key);
		return rc ? rc : take(r, &rec->id, ev);
	}
	if (KEY_IS(key, "modified") || KEY_IS(key, "withdrawn")) {
		int modified = key[0] == 'm';

		if (!modified && ev->type == SG_JSON_NULL)
			return 0;
		if (ev->type != SG_JSON_STRING)
			return wrong_type(r, key, "a string", ev);
		rc = once(r, &p->seen, modified ? SEEN_MODIFIED : SEEN_WITHDRAWN, key);
		if (rc)
			return rc;
		if (parse_timestamp(ev->text, ev->len, &t) != 0)
			return sg_json_fail(r, SG_DIAG_OSV_INVALID,
					    "%s \"%.64s\" is not an RFC 3339 UTC time (YYYY-MM-DDTHH:MM:SS[.f]Z)",
					    key, ev->text);
		if (!modified) {
			rec->withdrawn = 1;
			return 0;
		}
		rec->modified_at = t;
		return take(r, &rec->modified, ev);
	}
	/* summary: "longer is cut, not an error", on a character boundary. */
	if (ev->type == SG_JSON_NULL)
		return 0;
	if (ev->type != SG_JSON_STRING)
		return wrong_type(r, key, "a string", ev);
	rc = once(r, &p->seen, SEEN_SUMMARY, key);
	if (rc)
		return rc;
	rec->summary = sg_strndup(ev->text, sg_utf8_cut(ev->text, ev->len, SG_OSV_MAX_SUMMARY_BYTES));
	return rec->summary ? 0 : no_memory(r);
}

static int top_member(struct osv_parse *p, struct sg_json_reader *r, const struct sg_json_event *ev,
		      const char *key)
{
	if (KEY_IS(key, "id") || KEY_IS(key, "modified") || KEY_IS(key, "withdrawn") ||
	    KEY_IS(key, "summary"))
		return top_string(p, r, ev, key);
	if (KEY_IS(key, "aliases"))
		return array_member(r, ev, &p->seen, SEEN_ALIASES, key);
	if (KEY_IS(key, "severity"))
		return array_member(r, ev, &p->seen, SEEN_SEVERITY, key);
	if (KEY_IS(key, "affected"))
		return array_member(r, ev, &p->seen, SEEN_AFFECTED, key);
	if (KEY_IS(key, "vulns"))
		p->has_vulns = 1;
	return 0;
}

static int on_record(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	struct osv_parse *p = ctx;
	struct sg_osv_record *rec = p->rec;
	int d = sg_json_depth(r);
	const char *key;
	int rc;

	if (d == 0) {
		if (ev->type == SG_JSON_OBJECT_START || ev->type == SG_JSON_OBJECT_END)
			return 0;
		return wrong_type(r, "an OSV record", "an object", ev);
	}
	key = sg_json_key(r, 0);
	if (d == 1)
		return top_member(p, r, ev, key);
	if (AT(r, 0, "aliases", "#")) {
		if (ev->type != SG_JSON_STRING)
			return wrong_type(r, "an alias", "a string", ev);
		rc = grow(r, (void **)&rec->aliases, &p->cap_aliases, rec->n_aliases, sizeof(*rec->aliases),
			  SG_OSV_MAX_ALIASES, "aliases");
		if (rc == 0)
			rc = take(r, &rec->aliases[rec->n_aliases], ev);
		if (rc == 0)
			rec->n_aliases++;
		return rc;
	}
	if (KEY_IS(key, "severity"))
		return severity_event(p, r, ev, 0, &rec->cvss_v3, &rec->cvss_v4);
	if (AT(r, 0, "database_specific", "severity") && ev->type == SG_JSON_STRING)
		return take(r, &rec->severity_word, ev); /* free-form: other types are not ours */
	if (!KEY_IS(key, "affected"))
		return 0;
	if (d == 2) {
		if (ev->type == SG_JSON_OBJECT_START)
			return new_entry(p, r);
		if (ev->type == SG_JSON_OBJECT_END) {
			end_entry(p);
			return 0;
		}
		return wrong_type(r, "an affected entry", "an object", ev);
	}
	return entry_event(p, r, ev, 2);
}

static void parse_release(struct osv_parse *p)
{
	sg_free(p->sev_type);
	sg_free(p->sev_score);
	sg_free(p->aff_v3);
	sg_free(p->aff_v4);
	sg_free(p->aff_dbcvss);
	sg_free(p->ev_version);
}

static int missing(struct sg_error *err, const char *where, const char *member, int has_vulns)
{
	int rc;

	sg_error_clear(err);
	if (has_vulns)
		rc = sg_error_set(err, SG_DIAG_OSV_INVALID,
				  "no \"%s\": this is an osv.dev query response (\"vulns\"), not one record", member);
	else
		rc = sg_error_set(err, SG_DIAG_OSV_INVALID, "required \"%s\" is missing", member);
	sg_error_where(err, where);
	snprintf(err->pointer, sizeof(err->pointer), "/%s", member);
	return rc;
}

int sg_osv_parse(const char *data, size_t len, const char *where, struct sg_osv_record *out,
		 struct sg_error *err)
{
	struct sg_json_mem mem = {data, len, 0};
	struct sg_json_source src = {sg_json_mem_read, &mem};
	struct osv_parse p;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	if (!where)
		where = "osv record";
	if (len > SG_OSV_MAX_RECORD_BYTES) {
		sg_error_clear(err);
		rc = sg_error_set(err, SG_DIAG_LIMIT_EXCEEDED, "record larger than %u bytes",
				  SG_OSV_MAX_RECORD_BYTES);
		sg_error_where(err, where);
		goto out;
	}
	p.rec = out;
	rc = sg_json_parse(&src, where, on_record, &p, err);
	if (rc)
		goto out;
	if (!out->id)
		rc = missing(err, where, "id", p.has_vulns);
	else if (!out->modified)
		rc = missing(err, where, "modified", p.has_vulns);
out:
	parse_release(&p);
	if (rc)
		sg_osv_record_free(out);
	return rc;
}

void sg_osv_affected_free(struct sg_osv_affected *a)
{
	size_t i, j;

	if (!a)
		return;
	sg_free(a->ecosystem);
	sg_free(a->name);
	sg_free(a->purl);
	for (i = 0; i < a->n_ranges; i++) {
		for (j = 0; j < a->ranges[i].n_events; j++)
			sg_free(a->ranges[i].events[j].version);
		sg_free(a->ranges[i].events);
	}
	sg_free(a->ranges);
	for (i = 0; i < a->n_versions; i++)
		sg_free(a->versions[i]);
	sg_free(a->versions);
	sg_free(a->severity_vector);
	memset(a, 0, sizeof(*a));
}

void sg_osv_record_free(struct sg_osv_record *r)
{
	size_t i;

	if (!r)
		return;
	sg_free(r->id);
	sg_free(r->modified);
	for (i = 0; i < r->n_aliases; i++)
		sg_free(r->aliases[i]);
	sg_free(r->aliases);
	sg_free(r->summary);
	sg_free(r->cvss_v3);
	sg_free(r->cvss_v4);
	sg_free(r->severity_word);
	for (i = 0; i < r->n_affected; i++)
		sg_osv_affected_free(&r->affected[i]);
	sg_free(r->affected);
	memset(r, 0, sizeof(*r));
}

/* ---- severity ---- */

static int vector_severity(const char *vector, enum sg_severity *sev, int *tenths)
{
	struct sg_error ignored;
	int version;

	/* A vector that does not parse is skipped, not fatal: the next source
	 * of severity is tried. */
	if (!vector || sg_cvss_base_score(vector, tenths, &version, &ignored) != 0)
		return -1;
	*sev = sg_cvss_severity(*tenths);
	return 0;
}

static int word_severity(const char *word, enum sg_severity *sev)
{
	static const struct {
		const char *word;
		enum sg_severity sev;
	} words[] = {
		{"LOW", SG_SEV_LOW},
		{"MODERATE", SG_SEV_MEDIUM}, /* GitHub's word for medium */
		{"MEDIUM", SG_SEV_MEDIUM},
		{"HIGH", SG_SEV_HIGH},
		{"CRITICAL", SG_SEV_CRITICAL},
	};
	size_t i;

	if (!word)
		return -1;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strcasecmp(word, words[i].word) == 0) {
			*sev = words[i].sev;
			return 0;
		}
	}
	return -1;
}

/* The severity, and the vector or word it came from (NULL when none). */
static enum sg_severity severity_of(const struct sg_osv_record *r, int *known, int *score_tenths,
				    const char **source)
{
	enum sg_severity sev = SG_SEV_INFO;
	const char *from = NULL;
	int tenths = -1, found = 1;
	size_t i;

	if (vector_severity(r->cvss_v3, &sev, &tenths) == 0) {
		from = r->cvss_v3;
		goto out;
	}
	if (vector_severity(r->cvss_v4, &sev, &tenths) == 0) {
		from = r->cvss_v4;
		goto out;
	}
	tenths = -1;
	if (word_severity(r->severity_word, &sev) == 0) {
		from = r->severity_word;
		goto out;
	}
	for (i = 0; i < r->n_affected; i++)
		if (vector_severity(r->affected[i].severity_vector, &sev, &tenths) == 0) {
			from = r->affected[i].severity_vector;
			goto out;
		}
	tenths = -1;
	sev = SG_SEV_INFO;
	found = 0;
out:
	if (known)
		*known = found;
	if (score_tenths)
		*score_tenths = tenths;
	if (source)
		*source = from;
	return sev;
}

enum sg_severity sg_osv_severity(const struct sg_osv_record *r, int *known, int *score_tenths)
{
	return severity_of(r, known, score_tenths, NULL);
}

const char *sg_osv_severity_source(const struct sg_osv_record *r)
{
	const char *source;

	(void)severity_of(r, NULL, NULL, &source);
	return source;
}

/* ---- one affected entry in the store's form ---- */

const char *sg_osv_range_type_name(enum sg_osv_range_type t)
{
	switch (t) {
	case SG_OSV_RANGE_SEMVER:
		return "SEMVER";
	case SG_OSV_RANGE_ECOSYSTEM:
		return "ECOSYSTEM";
	case SG_OSV_RANGE_GIT:
		return "GIT";
	case SG_OSV_RANGE_OTHER:
	default:
		return "OTHER";
	}
}

const char *sg_osv_event_kind_name(enum sg_osv_event_kind k)
{
	switch (k) {
	case SG_OSV_INTRODUCED:
		return "introduced";
	case SG_OSV_FIXED:
		return "fixed";
	case SG_OSV_LAST_AFFECTED:
		return "last_affected";
	case SG_OSV_LIMIT:
	default:
		return "limit";
	}
}

/*
 * The OSV shape of an affected entry (package, ranges with events in their
 * order, versions) plus "severity_vector", appended to out. Only what the
 * struct holds is written, so from_json gives back the same struct.
 */
int sg_osv_affected_to_json(const struct sg_osv_affected *a, struct sg_buf *out)
{
	struct sg_jw w;
	size_t i, j;

	sg_jw_init_buf(&w, out, 0);
	sg_jw_object_begin(&w);
	if (a->ecosystem || a->name || a->purl) {
		sg_jw_key(&w, "package");
		sg_jw_object_begin(&w);
		if (a->ecosystem)
			sg_jw_kv_string(&w, "ecosystem", a->ecosystem);
		if (a->name)
			sg_jw_kv_string(&w, "name", a->name);
		if (a->purl)
			sg_jw_kv_string(&w, "purl", a->purl);
		sg_jw_object_end(&w);
	}
	if (a->n_ranges) {
		sg_jw_key(&w, "ranges");
		sg_jw_array_begin(&w);
		for (i = 0; i < a->n_ranges; i++) {
			sg_jw_object_begin(&w);
			sg_jw_kv_string(&w, "type", sg_osv_range_type_name(a->ranges[i].type));
			sg_jw_key(&w, "events");
			sg_jw_array_begin(&w);
			for (j = 0; j < a->ranges[i].n_events; j++) {
				const struct sg_osv_event *e = &a->ranges[i].events[j];

				sg_jw_object_begin(&w);
				sg_jw_kv_string(&w, sg_osv_event_kind_name(e->kind), e->version ? e->version : "");
				sg_jw_object_end(&w);
			}
			sg_jw_array_end(&w);
			sg_jw_object_end(&w);
		}
		sg_jw_array_end(&w);
	}
	if (a->n_versions) {
		sg_jw_key(&w, "versions");
		sg_jw_array_begin(&w);
		for (i = 0; i < a->n_versions; i++)
			sg_jw_string(&w, a->versions[i] ? a->versions[i] : "");
		sg_jw_array_end(&w);
	}
	if (a->severity_vector)
		sg_jw_kv_string(&w, "severity_vector", a->severity_vector);
	sg_jw_object_end(&w);
	return sg_jw_finish(&w);
}

static int on_entry(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	struct osv_parse *p = ctx;

	if (sg_json_depth(r) == 0) {
		if (ev->type == SG_JSON_OBJECT_START || ev->type == SG_JSON_OBJECT_END)
			return 0;
		return wrong_type(r, "an affected entry", "an object", ev);
	}
	return entry_event(p, r, ev, 0);
}

int sg_osv_affected_from_json(const char *json, size_t len, struct sg_osv_affected *out,
			      struct sg_error *err)
{
	struct sg_json_mem mem = {json, len, 0};
	struct sg_json_source src = {sg_json_mem_read, &mem};
	struct osv_parse p;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	if (len > SG_OSV_MAX_RECORD_BYTES) {
		sg_error_clear(err);
		rc = sg_error_set(err, SG_DIAG_LIMIT_EXCEEDED, "affected entry larger than %u bytes",
				  SG_OSV_MAX_RECORD_BYTES);
		sg_error_where(err, "stored affected entry");
		goto out;
	}
	p.aff = out;
	rc = sg_json_parse(&src, "stored affected entry", on_entry, &p, err);
	if (rc == 0)
		end_entry(&p);
out:
	parse_release(&p);
	if (rc)
		sg_osv_affected_free(out);
	return rc;
}

void sg_osv_package_key(const char *ecosystem, const char *name, char *out, size_t size)
{
	enum sg_vorder order = sg_vorder_for_ecosystem(ecosystem);
	size_t n = 0;
	int in_run = 0;

	if (size == 0)
		return;
	for (; *name && n + 1 < size; name++) {
		char c = *name;
		if (order == SG_VORDER_PYPI && (c == '-' || c == '_' || c == '.')) {
			if (!in_run)
				out[n++] = '-';
			in_run = 1;
			continue;
		}
		in_run = 0;
		out[n++] = order == SG_VORDER_PYPI || order == SG_VORDER_NUGET ? (char)tolower((unsigned char)c) : c;
	}
	out[n] = '\0';
}
