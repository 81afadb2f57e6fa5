/*
 * sca/purl: Package URLs (FORMATS.md section 4.3). Every case of the
 * package-url/purl-spec test suite in ../shared/corpus/cyclonedx/purl-spec
 * (spec/specification-test.json and types/ *-test.json, read with the
 * project's streaming JSON reader), then the OSV mapping and hostile input.
 * Clause: sca (components are identified by purl; a purl must name the same
 * package however a tool spelled it, and map to the OSV package advisories
 * are filed under).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sca/purl.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/json_reader.h"

#define CORPUS "../shared/corpus/cyclonedx/purl-spec/"

/*
 * The corpus snapshot (purl-spec 16f3d0e39343) holds 297 cases in 20 files;
 * the count guards against the loader silently missing some.
 */
#define CORPUS_CASES 297
#define CORPUS_FILES 20

/* ---- loading the test suite ---- */

enum { F_TYPE, F_NAMESPACE, F_NAME, F_VERSION, F_SUBPATH, F_COUNT };
static const char *const field_names[F_COUNT] = {"type", "namespace", "name", "version", "subpath"};

#define MAX_QUALS 40

/* A purl given as components, as "input" of build tests and
 * "expected_output" of parse tests; NULL fields are JSON null. */
struct comp {
	char *field[F_COUNT];
	int quals_null;
	size_t n_quals;
	char *qkey[MAX_QUALS], *qval[MAX_QUALS];
};

enum kind { K_ABSENT, K_NULL, K_STRING, K_OBJECT, K_OTHER };

struct tcase {
	char file[64];
	long long index;
	char *description, *test_type;
	enum kind input_kind, out_kind;
	char *input_str, *out_str;
	struct comp input_obj, out_obj;
	int expected_failure;
};

struct suite {
	struct tcase *cases;
	size_t n, cap;
	char file[64];
};

static void comp_free(struct comp *c)
{
	size_t i;

	for (i = 0; i < F_COUNT; i++)
		sg_free(c->field[i]);
	for (i = 0; i < c->n_quals; i++) {
		sg_free(c->qkey[i]);
		sg_free(c->qval[i]);
	}
}

static void suite_free(struct suite *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		sg_free(s->cases[i].description);
		sg_free(s->cases[i].test_type);
		sg_free(s->cases[i].input_str);
		sg_free(s->cases[i].out_str);
		comp_free(&s->cases[i].input_obj);
		comp_free(&s->cases[i].out_obj);
	}
	sg_free(s->cases);
	memset(s, 0, sizeof(*s));
}

static enum kind kind_of(enum sg_json_type t)
{
	switch (t) {
	case SG_JSON_NULL:
		return K_NULL;
	case SG_JSON_STRING:
		return K_STRING;
	case SG_JSON_OBJECT_START:
		return K_OBJECT;
	default:
		return K_OTHER;
	}
}

/* Store a string event's text in *dst (NULL for JSON null). */
static int take(struct sg_json_reader *r, const struct sg_json_event *ev, char **dst)
{
	if (ev->type != SG_JSON_STRING)
		return 0;
	*dst = sg_strdup(ev->text);
	return *dst ? 0 : sg_json_fail(r, SG_DIAG_NO_MEMORY, "out of memory");
}

/* Events inside a component object: {"type":..., "qualifiers": {k: v}}. */
static int comp_event(struct sg_json_reader *r, const struct sg_json_event *ev, struct comp *c, int depth)
{
	const char *member = sg_json_key(r, 3);
	size_t i;

	if (!member)
		return 0;
	if (strcmp(member, "qualifiers") == 0) {
		if (depth == 4 && ev->type == SG_JSON_OBJECT_START)
			c->quals_null = 0;
		if (depth == 5 && ev->type == SG_JSON_STRING) {
			if (c->n_quals == MAX_QUALS)
				return sg_json_fail(r, SG_DIAG_LIMIT_EXCEEDED, "too many qualifiers in a test");
			c->qkey[c->n_quals] = sg_strdup(sg_json_key(r, 4));
			c->qval[c->n_quals] = sg_strdup(ev->text);
			c->n_quals++;
			if (!c->qkey[c->n_quals - 1] || !c->qval[c->n_quals - 1])
				return sg_json_fail(r, SG_DIAG_NO_MEMORY, "out of memory");
		}
		return 0;
	}
	if (depth != 4)
		return 0;
	for (i = 0; i < F_COUNT; i++)
		if (strcmp(member, field_names[i]) == 0)
			return take(r, ev, &c->field[i]);
	return 0;
}

static int on_event(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	struct suite *s = ctx;
	int depth = sg_json_depth(r);
	const char *top, *member;
	struct tcase *c, *grown;

	top = depth >= 1 ? sg_json_key(r, 0) : NULL;
	if (depth < 2 || !top || strcmp(top, "tests") != 0)
		return 0;
	if (depth == 2) {
		if (ev->type != SG_JSON_OBJECT_START)
			return 0;
		if (s->n == s->cap) {
			grown = sg_realloc_array(s->cases, s->cap ? s->cap * 2 : 64, sizeof(*grown));
			if (!grown)
				return sg_json_fail(r, SG_DIAG_NO_MEMORY, "out of memory");
			s->cases = grown;
			s->cap = s->cap ? s->cap * 2 : 64;
		}
		c = &s->cases[s->n++];
		memset(c, 0, sizeof(*c));
		snprintf(c->file, sizeof(c->file), "%s", s->file);
		c->index = sg_json_index(r, 1);
		c->input_obj.quals_null = 1;
		c->out_obj.quals_null = 1;
		return 0;
	}
	c = &s->cases[s->n - 1];
	member = sg_json_key(r, 2);
	if (!member)
		return 0;
	if (depth == 3) {
		/* A container's END event has the container's path too. */
		if (ev->type == SG_JSON_OBJECT_END || ev->type == SG_JSON_ARRAY_END)
			return 0;
		if (strcmp(member, "description") == 0)
			return take(r, ev, &c->description);
		if (strcmp(member, "test_type") == 0)
			return take(r, ev, &c->test_type);
		if (strcmp(member, "expected_failure") == 0)
			c->expected_failure = ev->type == SG_JSON_TRUE;
		if (strcmp(member, "input") == 0) {
			c->input_kind = kind_of(ev->type);
			return take(r, ev, &c->input_str);
		}
		if (strcmp(member, "expected_output") == 0) {
			c->out_kind = kind_of(ev->type);
			return take(r, ev, &c->out_str);
		}
		return 0;
	}
	if (strcmp(member, "input") == 0)
		return comp_event(r, ev, &c->input_obj, depth);
	if (strcmp(member, "expected_output") == 0)
		return comp_event(r, ev, &c->out_obj, depth);
	return 0;
}

static void load_file(struct suite *s, const char *dir, const char *name)
{
	char path[512];
	struct sg_error err;
	int fd, rc;
	struct sg_json_source src = {sg_json_fd_read, &fd};

	snprintf(path, sizeof(path), "%s%s", dir, name);
	snprintf(s->file, sizeof(s->file), "%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		fail_msg("cannot open %s", path);
	sg_error_clear(&err);
	rc = sg_json_parse(&src, path, on_event, s, &err);
	close(fd);
	if (rc)
		fail_msg("%s: %s", path, err.message);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* spec/specification-test.json, then every types/ *-test.json in name order. */
static size_t load_suite(struct suite *s)
{
	char *names[256];
	size_t n = 0, i, len;
	struct dirent *de;
	DIR *d;

	load_file(s, CORPUS "spec/", "specification-test.json");
	d = opendir(CORPUS "types");
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len > 10 && strcmp(de->d_name + len - 10, "-test.json") == 0) {
			assert_true(n < sizeof(names) / sizeof(names[0]));
			names[n] = sg_strdup(de->d_name);
			assert_non_null(names[n]);
			n++;
		}
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), name_cmp);
	for (i = 0; i < n; i++) {
		load_file(s, CORPUS "types/", names[i]);
		sg_free(names[i]);
	}
	return n + 1;
}

/* ---- running one case ---- */

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int failed_invalid(int rc, const struct sg_error *err)
{
	return rc == SG_EINPUT && err->diag == SG_DIAG_PURL_INVALID;
}

/* A purl made of the test's components (pointers into it, not owned). */
static void from_comp(const struct comp *c, struct sg_purl *p)
{
	size_t i;

	memset(p, 0, sizeof(*p));
	p->type = c->field[F_TYPE];
	p->namespace_ = c->field[F_NAMESPACE];
	p->name = c->field[F_NAME];
	p->version = c->field[F_VERSION];
	p->subpath = c->field[F_SUBPATH];
	for (i = 0; i < c->n_quals && i < SG_PURL_MAX_QUALIFIERS; i++) {
		p->qualifiers[i].key = c->qkey[i];
		p->qualifiers[i].value = c->qval[i];
	}
	p->n_qualifiers = i;
}

static int matches(const struct sg_purl *p, const struct comp *want, char *why, size_t size)
{
	const char *got[F_COUNT] = {p->type, p->namespace_, p->name, p->version, p->subpath};
	size_t i;

	for (i = 0; i < F_COUNT; i++)
		if (!same(got[i], want->field[i])) {
			snprintf(why, size, "%s is \"%s\", expected \"%s\"", field_names[i],
				 got[i] ? got[i] : "(null)", want->field[i] ? want->field[i] : "(null)");
			return 0;
		}
	if (p->n_qualifiers != (want->quals_null ? 0 : want->n_quals)) {
		snprintf(why, size, "%zu qualifiers, expected %zu", p->n_qualifiers,
			 want->quals_null ? (size_t)0 : want->n_quals);
		return 0;
	}
	for (i = 0; i < want->n_quals; i++)
		if (!same(sg_purl_qualifier(p, want->qkey[i]), want->qval[i])) {
			snprintf(why, size, "qualifier \"%s\" differs", want->qkey[i]);
			return 0;
		}
	for (i = 1; i < p->n_qualifiers; i++)
		if (strcmp(p->qualifiers[i - 1].key, p->qualifiers[i].key) >= 0) {
			snprintf(why, size, "qualifiers not sorted");
			return 0;
		}
	return 1;
}

/* Parse then build: the canonical form of a purl string. */
static int canonical(const char *in, char *out, size_t size, struct sg_error *err)
{
	struct sg_purl p;
	int rc;

	rc = sg_purl_parse(in, &p, err);
	if (rc)
		return rc;
	rc = sg_purl_build(&p, 0, out, size, err);
	sg_purl_free(&p);
	return rc;
}

/* Returns 1 when the case passes; why says what went wrong otherwise. */
static int run_case(const struct tcase *c, int want_failure, char *why, size_t size)
{
	struct sg_error err;
	struct sg_purl p;
	char out[SG_PURL_MAX_BYTES + 1];
	int rc, ok;

	sg_error_clear(&err);
	if (!c->test_type) {
		snprintf(why, size, "no test_type");
		return 0;
	}
	if (strcmp(c->test_type, "parse") == 0 && c->input_kind == K_STRING) {
		rc = sg_purl_parse(c->input_str, &p, &err);
		if (want_failure) {
			if (rc == 0)
				sg_purl_free(&p);
			snprintf(why, size, "parse gave %d (%.200s), expected purl-invalid", rc, err.message);
			return failed_invalid(rc, &err);
		}
		if (rc) {
			snprintf(why, size, "parse failed: %.200s", err.message);
			return 0;
		}
		ok = c->out_kind == K_OBJECT && matches(&p, &c->out_obj, why, size);
		sg_purl_free(&p);
		return ok;
	}
	if (strcmp(c->test_type, "build") == 0 && c->input_kind == K_OBJECT) {
		from_comp(&c->input_obj, &p);
		rc = sg_purl_build(&p, 0, out, sizeof(out), &err);
		if (want_failure) {
			snprintf(why, size, "build gave %d \"%.300s\", expected purl-invalid", rc, rc ? "" : out);
			return failed_invalid(rc, &err);
		}
		snprintf(why, size, "build gave %d \"%.300s\" (%.200s), expected \"%.300s\"", rc, out, err.message,
			 c->out_str ? c->out_str : "");
		return rc == 0 && c->out_kind == K_STRING && strcmp(out, c->out_str) == 0;
	}
	/* "validate" in this schema version (0.2) is what later versions call
	 * "roundtrip": the canonical form of the input string. */
	if ((strcmp(c->test_type, "validate") == 0 || strcmp(c->test_type, "roundtrip") == 0) &&
	    c->input_kind == K_STRING) {
		rc = canonical(c->input_str, out, sizeof(out), &err);
		if (want_failure) {
			snprintf(why, size, "roundtrip gave %d, expected purl-invalid", rc);
			return failed_invalid(rc, &err);
		}
		snprintf(why, size, "roundtrip gave %d \"%.300s\" (%.200s), expected \"%.300s\"", rc, rc ? "" : out,
			 err.message, c->out_str ? c->out_str : "");
		return rc == 0 && c->out_kind == K_STRING && strcmp(out, c->out_str) == 0;
	}
	snprintf(why, size, "unknown test_type \"%s\" or input", c->test_type);
	return 0;
}

/*
 * A parse case that expects failure while a case of the same file expects
 * the same input to parse (a validate/roundtrip or parse case without
 * failure) cannot both hold. In this snapshot that is gem's
 * "?Platform=java" and rpm's "?Arch=i386&Distro=fedora-25": the parse cases
 * say upper-case keys must fail, the roundtrip cases lowercase them (as
 * how-to-parse.md does: "The key is the lowercase left side"), and upstream
 * later changed those parse cases to expect success. Such a case is
 * replaced by its sibling (which pins the parse result down exactly).
 */
static const struct tcase *contradicted(const struct suite *s, const struct tcase *c)
{
	size_t i;

	if (!c->expected_failure || !c->test_type || strcmp(c->test_type, "parse") != 0 || !c->input_str)
		return NULL;
	for (i = 0; i < s->n; i++) {
		const struct tcase *o = &s->cases[i];
		if (o != c && !o->expected_failure && o->input_str && strcmp(o->file, c->file) == 0 &&
		    strcmp(o->input_str, c->input_str) == 0)
			return o;
	}
	return NULL;
}

static void test_purl_spec_suite(void **state)
{
	struct suite s;
	size_t files, i, passed = 0, failed = 0, flipped = 0;
	char why[1024];

	(void)state;
	memset(&s, 0, sizeof(s));
	files = load_suite(&s);
	for (i = 0; i < s.n; i++) {
		const struct tcase *c = &s.cases[i];
		const struct tcase *sibling = contradicted(&s, c);
		why[0] = '\0';
		if (run_case(sibling ? sibling : c, sibling ? 0 : c->expected_failure, why, sizeof(why))) {
			passed++;
			flipped += sibling != NULL;
		} else {
			failed++;
			print_error("FAIL %s #%lld %s \"%s\": %s\n", c->file, c->index,
				    c->test_type ? c->test_type : "?", c->description ? c->description : "",
				    why);
		}
	}
	print_message("purl-spec suite: %zu files, %zu cases, %zu passed (%zu of them contradicted "
		      "within their file, replaced by their sibling case), %zu failed\n",
		      files, s.n, passed, flipped, failed);
	assert_int_equal(files, CORPUS_FILES);
	assert_int_equal(s.n, CORPUS_CASES);
	assert_int_equal(failed, 0);
	assert_int_equal(flipped, 2);
	suite_free(&s);
}

/* The loader is only trusted if it sees the shapes it must: spot checks. */
static void test_suite_loader(void **state)
{
	struct suite s;
	size_t i, builds_failing = 0, parse_objects = 0, with_quals = 0;

	(void)state;
	memset(&s, 0, sizeof(s));
	(void)load_suite(&s);
	for (i = 0; i < s.n; i++) {
		const struct tcase *c = &s.cases[i];
		assert_non_null(c->test_type);
		if (strcmp(c->test_type, "build") == 0) {
			assert_int_equal(c->input_kind, K_OBJECT);
			builds_failing += (size_t)c->expected_failure;
			with_quals += (size_t)!c->input_obj.quals_null;
		}
		if (strcmp(c->test_type, "parse") == 0 && !c->expected_failure) {
			assert_int_equal(c->out_kind, K_OBJECT);
			parse_objects++;
		}
	}
	assert_int_equal(builds_failing, 10);
	assert_int_equal(parse_objects, 80);
	assert_true(with_quals > 20);
	/* spec file, case 16: the build with a checksum list. */
	assert_string_equal(s.cases[16].file, "specification-test.json");
	assert_string_equal(s.cases[16].input_obj.field[F_NAME], "openssl");
	assert_null(s.cases[16].input_obj.field[F_NAMESPACE]);
	assert_int_equal(s.cases[16].input_obj.n_quals, 1);
	assert_string_equal(s.cases[16].input_obj.qkey[0], "checksum");
	suite_free(&s);
}

/* ---- parsing and building beyond the suite ---- */

static void parse_ok(const char *text, struct sg_purl *p)
{
	struct sg_error err;
	int rc;

	sg_error_clear(&err);
	rc = sg_purl_parse(text, p, &err);
	if (rc)
		fail_msg("\"%s\": %s", text, err.message);
}

static void parse_fails(const char *text, enum sg_diag diag)
{
	struct sg_error err;
	struct sg_purl p;
	int rc;

	sg_error_clear(&err);
	rc = sg_purl_parse(text, &p, &err);
	if (rc == 0) {
		sg_purl_free(&p);
		fail_msg("\"%.80s\" parsed", text);
	}
	assert_int_equal(rc, SG_EINPUT);
	assert_int_equal(err.diag, diag);
	/* A failed parse leaves nothing to free. */
	assert_null(p.type);
	assert_null(p.name);
	assert_int_equal(p.n_qualifiers, 0);
}

static void assert_canonical(const char *in, const char *want)
{
	struct sg_error err;
	char out[SG_PURL_MAX_BYTES + 1];
	int rc;

	sg_error_clear(&err);
	rc = canonical(in, out, sizeof(out), &err);
	if (rc)
		fail_msg("\"%s\": %s", in, err.message);
	assert_string_equal(out, want);
}

static void test_bad_percent_escapes(void **state)
{
	(void)state;
	parse_fails("pkg:npm/foo%", SG_DIAG_PURL_INVALID);
	parse_fails("pkg:npm/foo%2", SG_DIAG_PURL_INVALID);
	parse_fails("pkg:npm/foo%zz", SG_DIAG_PURL_INVALID);
	parse_fails("pkg:npm/foo@1.0%G0", SG_DIAG_PURL_INVALID);
	parse_fails("pkg:npm/a%2/foo", SG_DIAG_PURL_INVALID);
	parse_fails("pkg:npm/foo?a=%", SG_DIAG_PURL_INVALID);
	parse_fails("pkg:npm/foo#a/%x1", SG_DIAG_PURL_INVALID);
	/* Decoded bytes must be UTF-8. */
	parse_fails("pkg:npm/foo%FF", SG_DIAG_PURL_INVALID);
	parse_fails("pkg:npm/foo%C3", SG_DIAG_PURL_INVALID);
	/* A key is never percent-encoded. */
	parse_fails("pkg:npm/foo?a%62=1", SG_DIAG_PURL_INVALID);
	/* Good escapes in either case of hex digit. */
	assert_canonical("pkg:npm/caf%c3%A9@1%2e0", "pkg:npm/caf%C3%A9@1.0");
}

static void test_nul_escape(void **state)
{
	(void)state;
	parse_fails("pkg:npm/foo%00bar", SG_DIAG_PURL_INVALID);
	parse_fails("pkg:npm/%00/foo", SG_DIAG_PURL_INVALID);
	parse_fails("pkg:npm/foo@1.0%00", SG_DIAG_PURL_INVALID);
	parse_fails("pkg:npm/foo?a=x%00", SG_DIAG_PURL_INVALID);
	parse_fails("pkg:npm/foo#a/%00", SG_DIAG_PURL_INVALID);
	/* Raw control characters too. */
	parse_fails("pkg:npm/foo\tbar", SG_DIAG_PURL_INVALID);
	parse_fails("pkg:npm/foo\x7f", SG_DIAG_PURL_INVALID);
}

static void test_length_limit(void **state)
{
	char *text = sg_malloc(5001);
	struct sg_purl p;
	char *out = sg_malloc(SG_PURL_MAX_BYTES + 1);
	struct sg_error err;
	size_t n;

	(void)state;
	assert_non_null(text);
	assert_non_null(out);
	memcpy(text, "pkg:generic/", 12);
	memset(text + 12, 'a', 5000 - 12);
	text[5000] = '\0';
	parse_fails(text, SG_DIAG_LIMIT_EXCEEDED);

	/* Exactly the limit parses, and builds back into limit + 1 bytes. */
	text[SG_PURL_MAX_BYTES] = '\0';
	parse_ok(text, &p);
	assert_int_equal(strlen(p.name), SG_PURL_MAX_BYTES - 12);
	sg_error_clear(&err);
	assert_int_equal(sg_purl_build(&p, 0, out, SG_PURL_MAX_BYTES + 1, &err), 0);
	assert_string_equal(out, text);
	/* One byte short of room: limit-exceeded, and no half-written purl. */
	assert_int_equal(sg_purl_build(&p, 0, out, SG_PURL_MAX_BYTES, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_LIMIT_EXCEEDED);
	assert_string_equal(out, "");
	sg_purl_free(&p);

	/* Encoding grows a purl: 1000 spaces in a name become 3000 bytes. */
	n = strlen("pkg:generic/");
	memcpy(text, "pkg:generic/", n);
	memset(text + n, ' ', 1000);
	text[n + 1000] = '\0';
	parse_ok(text, &p);
	assert_int_equal(sg_purl_build(&p, 0, out, SG_PURL_MAX_BYTES + 1, &err), 0);
	assert_int_equal(strlen(out), n + 3000);
	assert_int_equal(sg_purl_build(&p, 0, out, 100, &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_LIMIT_EXCEEDED);
	sg_purl_free(&p);
	sg_free(text);
	sg_free(out);
}

static void test_qualifier_limit(void **state)
{
	char text[1024];
	size_t n, i;
	struct sg_purl p;

	(void)state;
	/* Exactly SG_PURL_MAX_QUALIFIERS, given in reverse order, come out sorted. */
	n = (size_t)snprintf(text, sizeof(text), "pkg:generic/x?");
	for (i = SG_PURL_MAX_QUALIFIERS; i > 0; i--)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "k%02zu=v&", i);
	text[n - 1] = '\0';
	parse_ok(text, &p);
	assert_int_equal(p.n_qualifiers, SG_PURL_MAX_QUALIFIERS);
	assert_string_equal(p.qualifiers[0].key, "k01");
	assert_string_equal(p.qualifiers[SG_PURL_MAX_QUALIFIERS - 1].key, "k32");
	sg_purl_free(&p);

	/* One more is refused. */
	snprintf(text + n - 1, sizeof(text) - n + 1, "&k33=v");
	parse_fails(text, SG_DIAG_LIMIT_EXCEEDED);
	/* Empty values do not count: they are dropped. */
	snprintf(text + n - 1, sizeof(text) - n + 1, "&k33=&k34=");
	parse_ok(text, &p);
	assert_int_equal(p.n_qualifiers, SG_PURL_MAX_QUALIFIERS);
	sg_purl_free(&p);
}

static void test_qualifiers(void **state)
{
	struct sg_purl p;
	struct sg_error err;
	char out[256];

	(void)state;
	parse_ok("pkg:generic/x?b=2&A=1&c=&&d=%26%3D", &p);
	assert_int_equal(p.n_qualifiers, 3);
	assert_string_equal(p.qualifiers[0].key, "a");
	assert_string_equal(sg_purl_qualifier(&p, "b"), "2");
	assert_string_equal(sg_purl_qualifier(&p, "d"), "&=");
	assert_null(sg_purl_qualifier(&p, "c"));
	assert_null(sg_purl_qualifier(&p, "A"));
	assert_null(sg_purl_qualifier(&p, NULL));
	sg_error_clear(&err);
	assert_int_equal(sg_purl_build(&p, 0, out, sizeof(out), &err), 0);
	assert_string_equal(out, "pkg:generic/x?a=1&b=2&d=%26%3D");
	sg_purl_free(&p);

	/* Duplicate keys, also when they differ only in case. */
	parse_fails("pkg:generic/x?a=1&a=2", SG_DIAG_PURL_INVALID);
	parse_fails("pkg:generic/x?arch=1&ARCH=2", SG_DIAG_PURL_INVALID);
	/* A pair without '=', a key that is empty, starts with a digit, or
	 * has a character outside [a-z0-9._-]. */
	parse_fails("pkg:generic/x?arch", SG_DIAG_PURL_INVALID);
	parse_fails("pkg:generic/x?=1", SG_DIAG_PURL_INVALID);
	parse_fails("pkg:generic/x?1a=1", SG_DIAG_PURL_INVALID);
	parse_fails("pkg:generic/x?a+b=1", SG_DIAG_PURL_INVALID);
	/* Values keep '=' after the first and decode '+' as itself. */
	parse_ok("pkg:generic/x?a=b=c+d", &p);
	assert_string_equal(sg_purl_qualifier(&p, "a"), "b=c+d");
	sg_purl_free(&p);
}

static void test_build_rules(void **state)
{
	struct sg_purl p;
	struct sg_error err;
	char out[256];

	(void)state;
	sg_error_clear(&err);
	memset(&p, 0, sizeof(p));
	p.type = "Maven";
	p.namespace_ = "/org.apache.logging.log4j/";
	p.name = "log4j-core";
	p.version = "2.14.1";
	p.qualifiers[0].key = "Type";
	p.qualifiers[0].value = "jar";
	p.qualifiers[1].key = "classifier";
	p.qualifiers[1].value = "";
	p.n_qualifiers = 2;
	p.subpath = "./a/../b/";
	assert_int_equal(sg_purl_build(&p, 0, out, sizeof(out), &err), 0);
	assert_string_equal(out, "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar#a/b");
	assert_int_equal(sg_purl_build(&p, SG_PURL_NO_VERSION, out, sizeof(out), &err), 0);
	assert_string_equal(out, "pkg:maven/org.apache.logging.log4j/log4j-core?type=jar#a/b");
	assert_int_equal(sg_purl_build(&p, SG_PURL_NO_QUALIFIERS, out, sizeof(out), &err), 0);
	assert_string_equal(out, "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
	assert_int_equal(sg_purl_build(&p, SG_PURL_NO_VERSION | SG_PURL_NO_QUALIFIERS, out, sizeof(out), &err),
			 0);
	assert_string_equal(out, "pkg:maven/org.apache.logging.log4j/log4j-core");

	/* Duplicate keys, a bad key, a bad type, no name: refused. */
	p.qualifiers[1].key = "TYPE";
	p.qualifiers[1].value = "pom";
	assert_int_equal(sg_purl_build(&p, 0, out, sizeof(out), &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_PURL_INVALID);
	p.qualifiers[1].key = "a b";
	assert_int_equal(sg_purl_build(&p, 0, out, sizeof(out), &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_PURL_INVALID);
	p.n_qualifiers = 1;
	p.type = "mav en";
	assert_int_equal(sg_purl_build(&p, 0, out, sizeof(out), &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_PURL_INVALID);
	p.type = "maven";
	p.name = "//";
	assert_int_equal(sg_purl_build(&p, 0, out, sizeof(out), &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_PURL_INVALID);
	p.name = NULL;
	assert_int_equal(sg_purl_build(&p, 0, out, sizeof(out), &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_PURL_INVALID);

	/* Every character outside A-Za-z0-9.-_~: is encoded, upper-case hex. */
	memset(&p, 0, sizeof(p));
	p.type = "generic";
	p.name = "a b/c@d?e#f%g+h~i:j";
	p.version = "1 0";
	assert_int_equal(sg_purl_build(&p, 0, out, sizeof(out), &err), 0);
	assert_string_equal(out, "pkg:generic/a%20b%2Fc%40d%3Fe%23f%25g%2Bh~i:j@1%200");
	assert_canonical(out, out);
}

static void test_parse_shapes(void **state)
{
	struct sg_purl p;

	(void)state;
	/* Scheme in any case, slashes after it ignored; type lowercased. */
	assert_canonical("PKG:NPM/foo@1", "pkg:npm/foo@1");
	assert_canonical("pkg:////npm/foo", "pkg:npm/foo");
	parse_fails("pkh:npm/foo", SG_DIAG_PURL_INVALID);
	parse_fails("npm/foo@1", SG_DIAG_PURL_INVALID);
	parse_fails("pk:npm/foo", SG_DIAG_PURL_INVALID);
	parse_fails("", SG_DIAG_PURL_INVALID);
	parse_fails("pkg:", SG_DIAG_PURL_INVALID);
	parse_fails("pkg:npm", SG_DIAG_PURL_INVALID);
	parse_fails("pkg:npm/", SG_DIAG_PURL_INVALID);
	parse_fails("pkg:npm/@1.0", SG_DIAG_PURL_INVALID);
	parse_fails("pkg:n+m/foo", SG_DIAG_PURL_INVALID);
	parse_fails("pkg:%6Epm/foo", SG_DIAG_PURL_INVALID);
	parse_fails(NULL, SG_DIAG_PURL_INVALID);

	/* Trailing slashes, empty namespace segments, an empty version. */
	parse_ok("pkg:golang//github.com//gin-gonic/gin@", &p);
	assert_string_equal(p.namespace_, "github.com/gin-gonic");
	assert_string_equal(p.name, "gin");
	assert_null(p.version);
	assert_null(p.subpath);
	sg_purl_free(&p);
	parse_ok("pkg:golang/github.com/gin-gonic/gin//", &p);
	assert_string_equal(p.name, "gin");
	sg_purl_free(&p);
	/* An empty name before the version is no name (purl-spec swift case). */
	parse_fails("pkg:golang/github.com/gin-gonic/@1.0", SG_DIAG_PURL_INVALID);

	/* A '@' in the namespace is not the version separator. */
	parse_ok("pkg:npm/@types/node@20.1.0", &p);
	assert_string_equal(p.namespace_, "@types");
	assert_string_equal(p.name, "node");
	assert_string_equal(p.version, "20.1.0");
	sg_purl_free(&p);

	/* Subpath: "", ".", ".." dropped after decoding; an encoded '/' in a
	 * subpath or namespace segment is refused. */
	parse_ok("pkg:generic/x#/./a/../%2E%2E/b//c/", &p);
	assert_string_equal(p.subpath, "a/b/c");
	sg_purl_free(&p);
	parse_ok("pkg:generic/x#./..", &p);
	assert_null(p.subpath);
	sg_purl_free(&p);
	parse_fails("pkg:generic/x#a%2Fb", SG_DIAG_PURL_INVALID);
	parse_fails("pkg:generic/a%2Fb/x", SG_DIAG_PURL_INVALID);
	/* An encoded '/' in a name is kept (and encoded again). */
	assert_canonical("pkg:generic/a%2Fb", "pkg:generic/a%2Fb");
}

static void test_type_rules(void **state)
{
	struct sg_purl p;
	struct sg_error err;
	char out[512];

	(void)state;
	assert_canonical("pkg:pypi/Django_Package@1.0", "pkg:pypi/django-package@1.0");
	/* Only '_' is rewritten in the purl; dots stay (PEP 503 is for OSV). */
	assert_canonical("pkg:pypi/zope.interface@5", "pkg:pypi/zope.interface@5");
	assert_canonical("pkg:github/Package-URL/Purl-Spec@A1B2", "pkg:github/package-url/purl-spec@A1B2");
	assert_canonical("pkg:bitbucket/Owner/Repo", "pkg:bitbucket/owner/repo");
	assert_canonical("pkg:composer/Laravel/Framework@10.0.0", "pkg:composer/laravel/framework@10.0.0");
	assert_canonical("pkg:hex/Acme/Foo@1", "pkg:hex/acme/foo@1");
	assert_canonical("pkg:huggingface/microsoft/DeBERTa@559062AD13D311",
			 "pkg:huggingface/microsoft/DeBERTa@559062ad13d311");
	assert_canonical("pkg:mlflow/CreditFraud@3?repository_url=https://adb-1.2.azuredatabricks.net/api",
			 "pkg:mlflow/creditfraud@3?repository_url=https:%2F%2Fadb-1.2.azuredatabricks.net%2Fapi");
	assert_canonical("pkg:mlflow/CreditFraud@3?repository_url=https://westus2.api.azureml.ms/mlflow",
			 "pkg:mlflow/CreditFraud@3?repository_url=https:%2F%2Fwestus2.api.azureml.ms%2Fmlflow");
	/* npm, maven, nuget, golang keep their case. */
	assert_canonical("pkg:npm/JSONStream@1.3.5", "pkg:npm/JSONStream@1.3.5");
	assert_canonical("pkg:maven/HTTPClient/HTTPClient@0.3-3", "pkg:maven/HTTPClient/HTTPClient@0.3-3");
	assert_canonical("pkg:golang/github.com/Masterminds/semver", "pkg:golang/github.com/Masterminds/semver");
	parse_fails("pkg:swift/Alamofire@5.4.3", SG_DIAG_PURL_INVALID);

	/* Building applies the same rules to components given unfolded. */
	sg_error_clear(&err);
	memset(&p, 0, sizeof(p));
	p.type = "PyPI";
	p.name = "Foo_Bar";
	assert_int_equal(sg_purl_build(&p, 0, out, sizeof(out), &err), 0);
	assert_string_equal(out, "pkg:pypi/foo-bar");
	p.type = "swift";
	p.namespace_ = "/";
	assert_int_equal(sg_purl_build(&p, 0, out, sizeof(out), &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_PURL_INVALID);
}

/* ---- OSV packages ---- */

static void osv_is(const char *purl, const char *want_eco, const char *want_name)
{
	struct sg_purl p;
	struct sg_error err;
	char eco[64], name[256];
	int rc;

	parse_ok(purl, &p);
	sg_error_clear(&err);
	rc = sg_purl_osv_package(&p, eco, sizeof(eco), name, sizeof(name), &err);
	sg_purl_free(&p);
	if (rc)
		fail_msg("%s: %s", purl, err.message);
	if (strcmp(eco, want_eco) != 0 || strcmp(name, want_name) != 0)
		fail_msg("%s: got %s / %s, expected %s / %s", purl, eco, name, want_eco, want_name);
}

static void osv_not_found(const char *purl)
{
	struct sg_purl p;
	struct sg_error err;
	char eco[64], name[256];
	int rc;

	parse_ok(purl, &p);
	sg_error_clear(&err);
	rc = sg_purl_osv_package(&p, eco, sizeof(eco), name, sizeof(name), &err);
	sg_purl_free(&p);
	assert_int_equal(rc, SG_ENOTFOUND);
	assert_int_equal(err.diag, SG_DIAG_NOT_FOUND);
}

static void test_osv_languages(void **state)
{
	(void)state;
	osv_is("pkg:pypi/Django_REST.framework@3.14", "PyPI", "django-rest-framework");
	osv_is("pkg:pypi/zope..interface__x", "PyPI", "zope-interface-x");
	osv_is("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "Maven",
	       "org.apache.logging.log4j:log4j-core");
	osv_is("pkg:maven/log4j-core@2", "Maven", "log4j-core");
	osv_is("pkg:npm/%40angular/core@12.3.1", "npm", "@angular/core");
	osv_is("pkg:npm/lodash@4.17.20", "npm", "lodash");
	osv_is("pkg:golang/github.com/gin-gonic/gin@v1.9.0", "Go", "github.com/gin-gonic/gin");
	osv_is("pkg:golang/stdlib@1.21", "Go", "stdlib");
	osv_is("pkg:cargo/rand@0.7.2", "crates.io", "rand");
	osv_is("pkg:gem/rails@7.0.0", "RubyGems", "rails");
	osv_is("pkg:nuget/Newtonsoft.Json@13.0.1", "NuGet", "Newtonsoft.Json");
	osv_is("pkg:composer/Laravel/Framework@10.0", "Packagist", "laravel/framework");
	osv_is("pkg:hex/acme/plug@1.0", "Hex", "plug");
	osv_is("pkg:pub/characters@1.2.0", "Pub", "characters");
	osv_is("pkg:cran/A3@0.9.1", "CRAN", "A3");
	osv_is("pkg:hackage/AC-HalfInteger@1.2.1", "Hackage", "AC-HalfInteger");
	osv_is("pkg:conan/openssl.org/openssl@3.0.3", "ConanCenter", "openssl");
	osv_is("pkg:swift/github.com/Alamofire/Alamofire@5.4.3", "SwiftURL", "github.com/Alamofire/Alamofire");
	osv_is("pkg:github/actions/checkout@v4", "GitHub Actions", "actions/checkout");
	osv_is("pkg:julia/Dates@1.9", "Julia", "Dates");
	osv_is("pkg:opam/lwt@5.6.1", "opam", "lwt");
	osv_not_found("pkg:generic/openssl@1.1.10g");
	osv_not_found("pkg:docker/library/alpine@3.20");
	osv_not_found("pkg:rpm/fedora/curl@7.50.3-1.fc25?distro=fedora-25");
}

static void test_osv_distributions(void **state)
{
	(void)state;
	osv_is("pkg:deb/debian/curl@7.88.1-10?arch=amd64&distro=debian-12", "Debian:12", "curl");
	osv_is("pkg:deb/debian/curl@7.88.1-10?distro=debian-12.5", "Debian:12", "curl");
	osv_is("pkg:deb/debian/curl@7.88.1-10?distro=bookworm", "Debian:12", "curl");
	osv_is("pkg:deb/debian/curl?distro=buster", "Debian:10", "curl");
	osv_is("pkg:deb/debian/curl?distro=bullseye", "Debian:11", "curl");
	osv_is("pkg:deb/debian/curl?distro=trixie", "Debian:13", "curl");
	osv_is("pkg:deb/debian/curl?distro=debian-trixie", "Debian:13", "curl");
	osv_is("pkg:deb/debian/curl?distro=11", "Debian:11", "curl");
	osv_is("pkg:deb/debian/curl@7.50.3-1?arch=i386", "Debian", "curl");
	osv_is("pkg:deb/debian/curl?distro=sid", "Debian", "curl");
	osv_is("pkg:deb/ubuntu/openssl@3.0.2?distro=ubuntu-22.04", "Ubuntu:22.04", "openssl");
	osv_is("pkg:deb/ubuntu/openssl@3.0.2?distro=jammy", "Ubuntu:22.04", "openssl");
	osv_is("pkg:deb/ubuntu/dpkg@1.19.0.4?arch=amd64", "Ubuntu", "dpkg");
	/* A Debian codename does not give an Ubuntu release. */
	osv_is("pkg:deb/ubuntu/dpkg?distro=bookworm", "Ubuntu", "dpkg");
	/* Without a namespace the distro tells the distribution. */
	osv_is("pkg:deb/curl?distro=debian-12", "Debian:12", "curl");
	osv_is("pkg:deb/curl?distro=bookworm", "Debian:12", "curl");
	osv_not_found("pkg:deb/raspbian/curl?distro=raspbian-11");
	osv_not_found("pkg:deb/curl");

	osv_is("pkg:apk/alpine/curl@8.9.0-r0?arch=x86_64&distro=alpine-3.20.1", "Alpine:v3.20", "curl");
	osv_is("pkg:apk/alpine/curl@8.9.0-r0?distro=3.20.1", "Alpine:v3.20", "curl");
	osv_is("pkg:apk/alpine/curl@8.9.0-r0?distro=v3.20", "Alpine:v3.20", "curl");
	osv_is("pkg:apk/alpine/curl@8.9.0-r0?distro=alpine-edge", "Alpine:edge", "curl");
	osv_is("pkg:apk/alpine/curl@7.83.0-r0?arch=x86", "Alpine", "curl");
	osv_is("pkg:apk/alpine/curl?distro=3", "Alpine", "curl");
	osv_is("pkg:apk/curl?distro=alpine-3.19.0", "Alpine:v3.19", "curl");
	osv_is("pkg:apk/wolfi/curl@8.9.0-r0?distro=wolfi-20230201", "Wolfi", "curl");
	osv_is("pkg:apk/chainguard/curl@8.9.0-r0", "Chainguard", "curl");
	osv_not_found("pkg:apk/postmarketos/curl@8.9.0-r0");
}

static void test_osv_small_buffers(void **state)
{
	struct sg_purl p;
	struct sg_error err;
	char eco[64], name[8];

	(void)state;
	parse_ok("pkg:npm/%40angular/core@12.3.1", &p);
	sg_error_clear(&err);
	assert_int_equal(sg_purl_osv_package(&p, eco, sizeof(eco), name, sizeof(name), &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_LIMIT_EXCEEDED);
	assert_int_equal(sg_purl_osv_package(&p, eco, 3, name, sizeof(name), &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_LIMIT_EXCEEDED);
	sg_purl_free(&p);
	parse_ok("pkg:pypi/a-very-long-name", &p);
	assert_int_equal(sg_purl_osv_package(&p, eco, sizeof(eco), name, sizeof(name), &err), SG_EINPUT);
	assert_int_equal(err.diag, SG_DIAG_LIMIT_EXCEEDED);
	assert_string_equal(name, "");
	sg_purl_free(&p);
}

/* Every allocation failing in turn: a clean no-memory error, nothing leaked. */
static void test_alloc_failures(void **state)
{
	const char *text = "pkg:maven/org.apache/Commons_IO/io@1.0?b=2&a=1&c=%20#x/./y";
	struct sg_purl p;
	struct sg_error err;
	unsigned long n;
	int rc = -1;

	(void)state;
	for (n = 1; n < 100; n++) {
		sg_error_clear(&err);
		sg_alloc_fail_after(n);
		rc = sg_purl_parse(text, &p, &err);
		sg_alloc_fail_after(0);
		if (rc == 0)
			break;
		assert_int_equal(rc, SG_ENOMEM);
		assert_int_equal(err.diag, SG_DIAG_NO_MEMORY);
		assert_null(p.name);
	}
	assert_int_equal(rc, 0);
	assert_true(n > 5);
	assert_string_equal(p.namespace_, "org.apache/Commons_IO");
	assert_int_equal(p.n_qualifiers, 3);
	sg_purl_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_purl_spec_suite),
		cmocka_unit_test(test_suite_loader),
		cmocka_unit_test(test_bad_percent_escapes),
		cmocka_unit_test(test_nul_escape),
		cmocka_unit_test(test_length_limit),
		cmocka_unit_test(test_qualifier_limit),
		cmocka_unit_test(test_qualifiers),
		cmocka_unit_test(test_build_rules),
		cmocka_unit_test(test_parse_shapes),
		cmocka_unit_test(test_type_rules),
		cmocka_unit_test(test_osv_languages),
		cmocka_unit_test(test_osv_distributions),
		cmocka_unit_test(test_osv_small_buffers),
		cmocka_unit_test(test_alloc_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
