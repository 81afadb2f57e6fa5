/*
 * Package URLs: parsing (purl-spec docs/specification/how-to-parse.md),
 * building (how-to-build.md) and the component rules of ECMA-427 clause 5.6.
 *
 * The parser works on (pointer, length) spans of the caller's text, right to
 * left as how-to-parse.md does, and only allocates the decoded components.
 * The builder writes straight into the caller's buffer and allocates nothing.
 */
#include "sca/purl.h"

#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/hash.h"
#include "util/utf8.h"

#include "util/banned.h"

/* ---- characters ---- */

static int is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int to_lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* Case-insensitive in ASCII only, whatever the locale. */
static int ascii_casecmp(const char *a, const char *b)
{
	while (*a && to_lower((unsigned char)*a) == to_lower((unsigned char)*b)) {
		a++;
		b++;
	}
	return to_lower((unsigned char)*a) - to_lower((unsigned char)*b);
}

static int span_is(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && memcmp(s, lit, n) == 0;
}

/*
 * 5.6.2: "The package type shall be composed only of ASCII letters and
 * numbers, period '.', and dash '-'. The type shall start with an ASCII
 * letter. The type shall not be percent-encoded."
 */
static int type_valid(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || !is_alpha((unsigned char)s[0]))
		return 0;
	for (i = 1; i < n; i++) {
		int c = (unsigned char)s[i];
		if (!is_alpha(c) && !is_digit(c) && c != '.' && c != '-')
			return 0;
	}
	return 1;
}

/*
 * 5.6.6: "The key shall be composed only of lowercase ASCII letters and
 * numbers, period '.', dash '-' and underscore '_'. A key shall start with an
 * ASCII letter. A key shall not be percent-encoded." Upper case is accepted
 * here and lowercased, as how-to-parse.md says ("the key is the lowercase left
 * side").
 */
static int key_valid(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || !is_alpha((unsigned char)s[0]))
		return 0;
	for (i = 1; i < n; i++) {
		int c = (unsigned char)s[i];
		if (!is_alpha(c) && !is_digit(c) && c != '.' && c != '-' && c != '_')
			return 0;
	}
	return 1;
}

/* ---- type rules (the purl-spec type definitions) ---- */

enum fold {
	FOLD_NONE,
	FOLD_LOWER,
	FOLD_PYPI, /* lowercase and '_' -> '-' */
};

enum component { COMP_NAMESPACE, COMP_NAME, COMP_VERSION };

/*
 * How a type folds a component to its canonical form:
 * - bitbucket, github, composer, hex: namespace and name "not case sensitive
 *   and must be lowercased";
 * - pypi: the name is lowercased and '_' becomes '-' (the test suite's
 *   "Django_package" -> "django-package");
 * - huggingface: the version is a commit hash, "must be lowercased";
 * - mlflow: the name is lowercased for Databricks servers (case-insensitive
 *   there), kept as-is for Azure ML.
 * npm keeps its case: old packages with capitals (e.g. JSONStream) are
 * recorded by OSV with them, and folding would lose the match.
 */
static enum fold type_fold(const struct sg_purl *p, enum component c)
{
	const char *t = p->type;
	const char *repo;

	if (!t)
		return FOLD_NONE;
	if (ascii_casecmp(t, "bitbucket") == 0 || ascii_casecmp(t, "github") == 0 ||
	    ascii_casecmp(t, "composer") == 0 || ascii_casecmp(t, "hex") == 0)
		return c == COMP_VERSION ? FOLD_NONE : FOLD_LOWER;
	if (ascii_casecmp(t, "pypi") == 0)
		return c == COMP_NAME ? FOLD_PYPI : FOLD_NONE;
	/* purl-spec types: the deb and apk vendor namespace "is not case
	 * sensitive and must be lowercased", and so is an apk name. */
	if ((ascii_casecmp(t, "deb") == 0 || ascii_casecmp(t, "apk") == 0) && c == COMP_NAMESPACE)
		return FOLD_LOWER;
	if (ascii_casecmp(t, "apk") == 0 && c == COMP_NAME)
		return FOLD_LOWER;
	if (ascii_casecmp(t, "huggingface") == 0)
		return c == COMP_VERSION ? FOLD_LOWER : FOLD_NONE;
	if (ascii_casecmp(t, "mlflow") == 0 && c == COMP_NAME) {
		repo = sg_purl_qualifier(p, "repository_url");
		if (repo && strstr(repo, "databricks"))
			return FOLD_LOWER;
	}
	return FOLD_NONE;
}

static int fold_char(int c, enum fold f)
{
	switch (f) {
	case FOLD_LOWER:
		return to_lower(c);
	case FOLD_PYPI:
		return c == '_' ? '-' : to_lower(c);
	case FOLD_NONE:
	default:
		return c;
	}
}

static void fold_in_place(char *s, enum fold f)
{
	if (!s || f == FOLD_NONE)
		return;
	for (; *s; s++)
		*s = (char)fold_char((unsigned char)*s, f);
}

/* Requirements of a type definition that the test suite checks. */
static int type_requirements(const char *type, int has_namespace, struct sg_error *err)
{
	if (ascii_casecmp(type, "swift") == 0 && !has_namespace)
		return sg_error_set(err, SG_DIAG_PURL_INVALID,
				    "purl of type \"swift\" has no namespace (the source host and owner)");
	return 0;
}

/* ---- parsing ---- */

/*
 * Percent-decode s[0..n) into a new string. A '%' must start a valid escape
 * (RFC 3986 section 2.1); a decoded NUL or bytes that are not UTF-8 are
 * refused, since every component is Unicode text.
 */
static int decode(const char *s, size_t n, const char *what, char **out, struct sg_error *err)
{
	char *d;
	size_t i, j = 0, len;

	*out = NULL;
	d = sg_malloc(n + 1);
	if (!d)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory decoding a purl %s", what);
	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (c == '%') {
			int hi = n - i >= 3 ? sg_hex_value(s[i + 1]) : -1;
			int lo = n - i >= 3 ? sg_hex_value(s[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				sg_free(d);
				return sg_error_set(err, SG_DIAG_PURL_INVALID,
						    "bad percent escape \"%.*s\" in the purl %s",
						    (int)(n - i < 3 ? n - i : 3), s + i, what);
			}
			c = hi << 4 | lo;
			if (c == 0) {
				sg_free(d);
				return sg_error_set(err, SG_DIAG_PURL_INVALID, "purl %s contains %%00", what);
			}
			i += 2;
		}
		d[j++] = (char)c;
	}
	d[j] = '\0';
	for (i = 0; i < j; i += len) {
		len = sg_utf8_char_length((const unsigned char *)d + i, j - i);
		if (len == 0) {
			sg_free(d);
			return sg_error_set(err, SG_DIAG_PURL_INVALID, "purl %s is not UTF-8 once decoded", what);
		}
	}
	*out = d;
	return 0;
}

/*
 * Decode each '/'-separated segment of s[0..n) and join the kept ones with
 * '/' into *out (NULL when none is kept). Empty segments are dropped, and
 * with drop_dots '.' and '..' too (the subpath rule). A decoded segment may
 * not contain '/': the joined form could not be split again.
 */
static int decode_segments(const char *s, size_t n, const char *what, int drop_dots, char **out,
			   struct sg_error *err)
{
	char *joined = NULL, *seg = NULL;
	size_t used = 0, seg_len;
	const char *p = s, *end = s + n, *slash;
	int rc = 0;

	*out = NULL;
	/* The joined decoded form is never longer than the encoded text. */
	joined = sg_malloc(n + 1);
	if (!joined) {
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory decoding a purl %s", what);
		goto out;
	}
	while (p < end) {
		slash = memchr(p, '/', (size_t)(end - p));
		seg_len = (size_t)((slash ? slash : end) - p);
		if (seg_len > 0) {
			rc = decode(p, seg_len, what, &seg, err);
			if (rc)
				goto out;
			if (strchr(seg, '/')) {
				rc = sg_error_set(err, SG_DIAG_PURL_INVALID,
						  "purl %s segment \"%.60s\" contains an encoded '/'", what, seg);
				goto out;
			}
			if (seg[0] && !(drop_dots && (strcmp(seg, ".") == 0 || strcmp(seg, "..") == 0))) {
				if (used)
					joined[used++] = '/';
				memcpy(joined + used, seg, strlen(seg));
				used += strlen(seg);
			}
			sg_free(seg);
			seg = NULL;
		}
		if (!slash)
			break;
		p = slash + 1;
	}
	joined[used] = '\0';
	if (used) {
		*out = joined;
		joined = NULL;
	}
out:
	sg_free(seg);
	sg_free(joined);
	return rc;
}

static int qualifier_cmp(const void *a, const void *b)
{
	const struct sg_purl_qualifier *x = a, *y = b;

	return strcmp(x->key, y->key);
}

/* One key=value pair of the query. */
static int parse_pair(const char *s, size_t n, struct sg_purl *out, struct sg_error *err)
{
	const char *eq = memchr(s, '=', n);
	char *key = NULL, *value = NULL;
	size_t key_len, i;
	int rc = 0;

	if (!eq)
		return sg_error_set(err, SG_DIAG_PURL_INVALID, "purl qualifier \"%.*s\" has no '='",
				    (int)(n > 60 ? 60 : n), s);
	key_len = (size_t)(eq - s);
	if (!key_valid(s, key_len))
		return sg_error_set(err, SG_DIAG_PURL_INVALID,
				    "purl qualifier key \"%.*s\" is not a letter then letters, digits, '.', '-', '_'",
				    (int)(key_len > 60 ? 60 : key_len), s);
	rc = decode(eq + 1, n - key_len - 1, "qualifier value", &value, err);
	if (rc)
		goto out;
	/* 5.6.6: "a key=value pair with an empty value is the same as if no
	 * key=value pair exists for this key". */
	if (value[0] == '\0')
		goto out;
	key = sg_strndup(s, key_len);
	if (!key) {
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory reading a purl qualifier");
		goto out;
	}
	fold_in_place(key, FOLD_LOWER);
	for (i = 0; i < out->n_qualifiers; i++)
		if (strcmp(out->qualifiers[i].key, key) == 0) {
			rc = sg_error_set(err, SG_DIAG_PURL_INVALID, "purl qualifier key \"%s\" appears twice",
					  key);
			goto out;
		}
	if (out->n_qualifiers == SG_PURL_MAX_QUALIFIERS) {
		rc = sg_error_set(err, SG_DIAG_LIMIT_EXCEEDED, "purl has more than %d qualifiers",
				  SG_PURL_MAX_QUALIFIERS);
		goto out;
	}
	out->qualifiers[out->n_qualifiers].key = key;
	out->qualifiers[out->n_qualifiers].value = value;
	out->n_qualifiers++;
	key = NULL;
	value = NULL;
out:
	sg_free(key);
	sg_free(value);
	return rc;
}

static int parse_qualifiers(const char *s, size_t n, struct sg_purl *out, struct sg_error *err)
{
	const char *p = s, *end = s + n, *amp;
	int rc;

	while (p < end) {
		amp = memchr(p, '&', (size_t)(end - p));
		/* An empty pair ("a=1&&b=2", a trailing '&') carries nothing. */
		if ((amp ? amp : end) > p) {
			rc = parse_pair(p, (size_t)((amp ? amp : end) - p), out, err);
			if (rc)
				return rc;
		}
		if (!amp)
			break;
		p = amp + 1;
	}
	qsort(out->qualifiers, out->n_qualifiers, sizeof(out->qualifiers[0]), qualifier_cmp);
	return 0;
}

/* type/namespace/name@version, everything between the scheme and '?' or '#'. */
static int parse_path(const char *s, const char *end, struct sg_purl *out, struct sg_error *err)
{
	const char *slash, *seg, *at, *name_start;
	size_t type_len;
	int rc;

	/* 5.6.1: parsers "should ignore and remove" slashes after "pkg:". */
	while (s < end && *s == '/')
		s++;
	slash = memchr(s, '/', (size_t)(end - s));
	type_len = (size_t)((slash ? slash : end) - s);
	if (!type_valid(s, type_len))
		return sg_error_set(err, SG_DIAG_PURL_INVALID,
				    "purl type \"%.*s\" is not a letter then letters, digits, '.', '-'",
				    (int)(type_len > 60 ? 60 : type_len), s);
	if (!slash)
		return sg_error_set(err, SG_DIAG_PURL_INVALID, "purl has no name after its type \"%.*s\"",
				    (int)(type_len > 60 ? 60 : type_len), s);
	out->type = sg_strndup(s, (size_t)(slash - s));
	if (!out->type)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory reading a purl type");
	fold_in_place(out->type, FOLD_LOWER);
	s = slash + 1;

	/* Trailing slashes are not significant; the version is after the last
	 * '@' of the last segment (a scope's '@' left unencoded, as in
	 * "pkg:npm/@babel/core", is not a version separator). */
	while (end > s && end[-1] == '/')
		end--;
	slash = s < end ? memrchr(s, '/', (size_t)(end - s)) : NULL;
	seg = slash ? slash + 1 : s;
	at = seg < end ? memrchr(seg, '@', (size_t)(end - seg)) : NULL;
	if (at) {
		rc = decode(at + 1, (size_t)(end - at - 1), "version", &out->version, err);
		if (rc)
			return rc;
		if (!out->version[0]) {
			sg_free(out->version);
			out->version = NULL;
		}
		end = at;
	}
	name_start = seg;
	if (name_start == end)
		return sg_error_set(err, SG_DIAG_PURL_INVALID, "purl of type \"%s\" has no name", out->type);
	rc = decode(name_start, (size_t)(end - name_start), "name", &out->name, err);
	if (rc)
		return rc;
	if (name_start > s) {
		rc = decode_segments(s, (size_t)(name_start - s), "namespace", 0, &out->namespace_, err);
		if (rc)
			return rc;
	}
	return 0;
}

int sg_purl_parse(const char *text, struct sg_purl *out, struct sg_error *err)
{
	const char *end, *hash, *query, *path_end, *colon;
	size_t len, i;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!text)
		return sg_error_set(err, SG_DIAG_PURL_INVALID, "purl is missing");
	len = strnlen(text, SG_PURL_MAX_BYTES + 1);
	if (len > SG_PURL_MAX_BYTES)
		return sg_error_set(err, SG_DIAG_LIMIT_EXCEEDED, "purl is longer than %d bytes",
				    SG_PURL_MAX_BYTES);
	for (i = 0; i < len; i++)
		if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
			return sg_error_set(err, SG_DIAG_PURL_INVALID,
					    "purl has a control character at byte %zu", i);
	end = text + len;

	/* how-to-parse.md: split once from the right on '#', then on '?'. */
	hash = memrchr(text, '#', len);
	path_end = hash ? hash : end;
	query = memrchr(text, '?', (size_t)(path_end - text));
	if (query)
		path_end = query;

	/* Then once from the left on ':' for the scheme, "pkg" in any case
	 * (an encoded "%3A" is no separator). */
	colon = memchr(text, ':', (size_t)(path_end - text));
	if (!colon || colon - text != 3 || to_lower((unsigned char)text[0]) != 'p' ||
	    to_lower((unsigned char)text[1]) != 'k' || to_lower((unsigned char)text[2]) != 'g') {
		rc = sg_error_set(err, SG_DIAG_PURL_INVALID, "purl \"%.60s\" does not start with \"pkg:\"", text);
		goto out;
	}

	if (hash) {
		rc = decode_segments(hash + 1, (size_t)(end - hash - 1), "subpath", 1, &out->subpath, err);
		if (rc)
			goto out;
	}
	if (query) {
		rc = parse_qualifiers(query + 1, (size_t)((hash ? hash : end) - query - 1), out, err);
		if (rc)
			goto out;
	}
	rc = parse_path(colon + 1, path_end, out, err);
	if (rc)
		goto out;

	fold_in_place(out->namespace_, type_fold(out, COMP_NAMESPACE));
	fold_in_place(out->name, type_fold(out, COMP_NAME));
	fold_in_place(out->version, type_fold(out, COMP_VERSION));
	rc = type_requirements(out->type, out->namespace_ != NULL, err);
out:
	if (rc)
		sg_purl_free(out);
	return rc;
}

void sg_purl_free(struct sg_purl *p)
{
	size_t i;

	if (!p)
		return;
	sg_free(p->type);
	sg_free(p->namespace_);
	sg_free(p->name);
	sg_free(p->version);
	for (i = 0; i < p->n_qualifiers && i < SG_PURL_MAX_QUALIFIERS; i++) {
		sg_free(p->qualifiers[i].key);
		sg_free(p->qualifiers[i].value);
	}
	sg_free(p->subpath);
	memset(p, 0, sizeof(*p));
}

const char *sg_purl_qualifier(const struct sg_purl *p, const char *key)
{
	size_t i;

	if (!p || !key)
		return NULL;
	for (i = 0; i < p->n_qualifiers && i < SG_PURL_MAX_QUALIFIERS; i++)
		if (p->qualifiers[i].key && strcmp(p->qualifiers[i].key, key) == 0)
			return p->qualifiers[i].value;
	return NULL;
}

/* ---- building ---- */

/* The caller's buffer; `full` is sticky once something did not fit. */
struct writer {
	char *p;
	size_t size, len;
	int full;
};

static void put_char(struct writer *w, int c)
{
	if (w->len + 1 < w->size)
		w->p[w->len++] = (char)c;
	else
		w->full = 1;
}

static void put_str(struct writer *w, const char *s)
{
	for (; *s; s++)
		put_char(w, (unsigned char)*s);
}

/*
 * 5.4: the Alphanumeric and Punctuation Characters (".-_~") and the colon
 * are never encoded; every other octet becomes an upper-case "%XX" triplet.
 */
static void put_encoded(struct writer *w, const char *s, size_t n, enum fold f)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < n; i++) {
		int c = fold_char((unsigned char)s[i], f);
		if (is_alpha(c) || is_digit(c) || c == '.' || c == '-' || c == '_' || c == '~' || c == ':') {
			put_char(w, c);
		} else {
			put_char(w, '%');
			put_char(w, hex[(c >> 4) & 0xf]);
			put_char(w, hex[c & 0xf]);
		}
	}
}

/*
 * The '/'-separated segments of s, each encoded, joined with '/'; empty
 * segments (so also leading and trailing slashes) and with drop_dots '.' and
 * '..' are left out. Returns how many segments were written.
 */
static size_t put_segments(struct writer *w, const char *s, int drop_dots, enum fold f)
{
	size_t n = 0, len;
	const char *slash;

	while (*s) {
		slash = strchr(s, '/');
		len = slash ? (size_t)(slash - s) : strlen(s);
		if (len > 0 && !(drop_dots && (span_is(s, len, ".") || span_is(s, len, "..")))) {
			if (n++)
				put_char(w, '/');
			put_encoded(w, s, len, f);
		}
		if (!slash)
			break;
		s = slash + 1;
	}
	return n;
}

static int segment_count(const char *s, int drop_dots)
{
	struct writer none = {NULL, 0, 0, 0};

	return s ? (int)put_segments(&none, s, drop_dots, FOLD_NONE) : 0;
}

static int key_order(const struct sg_purl *p, size_t *order, size_t *count, struct sg_error *err)
{
	size_t i, j, n = 0, tmp;
	int cmp;

	if (p->n_qualifiers > SG_PURL_MAX_QUALIFIERS)
		return sg_error_set(err, SG_DIAG_LIMIT_EXCEEDED, "purl has more than %d qualifiers",
				    SG_PURL_MAX_QUALIFIERS);
	for (i = 0; i < p->n_qualifiers; i++) {
		const char *key = p->qualifiers[i].key, *value = p->qualifiers[i].value;
		if (!key || !key_valid(key, strlen(key)))
			return sg_error_set(err, SG_DIAG_PURL_INVALID,
					    "purl qualifier key \"%.60s\" is not a letter then letters, digits, '.', '-', '_'",
					    key ? key : "");
		if (!value || !value[0])
			continue;
		/* Insertion sort: at most SG_PURL_MAX_QUALIFIERS keys. */
		for (j = n; j > 0; j--) {
			cmp = ascii_casecmp(p->qualifiers[order[j - 1]].key, key);
			if (cmp == 0)
				return sg_error_set(err, SG_DIAG_PURL_INVALID,
						    "purl qualifier key \"%.60s\" appears twice", key);
			if (cmp < 0)
				break;
		}
		for (tmp = n; tmp > j; tmp--)
			order[tmp] = order[tmp - 1];
		order[j] = i;
		n++;
	}
	*count = n;
	return 0;
}

int sg_purl_build(const struct sg_purl *p, int flags, char *out, size_t size, struct sg_error *err)
{
	struct writer w = {out, size, 0, 0};
	size_t order[SG_PURL_MAX_QUALIFIERS], nq = 0, i, name_len;
	const char *name;
	int rc;

	if (!out || size == 0)
		return sg_error_set(err, SG_DIAG_LIMIT_EXCEEDED, "no room for a purl");
	out[0] = '\0';
	if (!p->type || !type_valid(p->type, strlen(p->type)))
		return sg_error_set(err, SG_DIAG_PURL_INVALID,
				    "purl type \"%.60s\" is not a letter then letters, digits, '.', '-'",
				    p->type ? p->type : "");
	/* how-to-build.md: "Strip the name from leading and trailing '/'". */
	name = p->name ? p->name : "";
	while (*name == '/')
		name++;
	name_len = strlen(name);
	while (name_len > 0 && name[name_len - 1] == '/')
		name_len--;
	if (name_len == 0)
		return sg_error_set(err, SG_DIAG_PURL_INVALID, "purl of type \"%.60s\" has no name", p->type);
	rc = type_requirements(p->type, segment_count(p->namespace_, 0) > 0, err);
	if (rc)
		return rc;
	rc = key_order(p, order, &nq, err);
	if (rc)
		return rc;

	put_str(&w, "pkg:");
	put_encoded(&w, p->type, strlen(p->type), FOLD_LOWER);
	put_char(&w, '/');
	if (p->namespace_ && put_segments(&w, p->namespace_, 0, type_fold(p, COMP_NAMESPACE)) > 0)
		put_char(&w, '/');
	put_encoded(&w, name, name_len, type_fold(p, COMP_NAME));
	if (!(flags & SG_PURL_NO_VERSION) && p->version && p->version[0]) {
		put_char(&w, '@');
		put_encoded(&w, p->version, strlen(p->version), type_fold(p, COMP_VERSION));
	}
	if (!(flags & SG_PURL_NO_QUALIFIERS)) {
		for (i = 0; i < nq; i++) {
			const struct sg_purl_qualifier *q = &p->qualifiers[order[i]];
			put_char(&w, i ? '&' : '?');
			put_encoded(&w, q->key, strlen(q->key), FOLD_LOWER);
			put_char(&w, '=');
			put_encoded(&w, q->value, strlen(q->value), FOLD_NONE);
		}
		if (segment_count(p->subpath, 1) > 0) {
			put_char(&w, '#');
			put_segments(&w, p->subpath, 1, FOLD_NONE);
		}
	}
	if (w.full) {
		out[0] = '\0';
		return sg_error_set(err, SG_DIAG_LIMIT_EXCEEDED, "purl of \"%.60s\" does not fit in %zu bytes",
				    name, size);
	}
	out[w.len] = '\0';
	return 0;
}
