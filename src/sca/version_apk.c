/*
 * Alpine versions as apk-tools orders them (`apk version -t`; apk-tools
 * src/version.c: token_first, token_next, token_cmp,
 * apk_version_compare_fuzzy):
 *
 *   number{.number}...{letter}{_suffix{number}}...{~hash}{-r#}
 *
 * Both versions are read token by token while the token types agree; the
 * first differing value decides. Numbers compare by value, except that a
 * component after the first with a leading zero compares as a string (the
 * Gentoo rule: "1.01" < "1.1"); the letter by byte; suffixes _alpha < _beta
 * < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p; the commit hash as
 * a string. When one version runs out of tokens of the same type first,
 * a pre-release suffix (_alpha.._rc) makes it the older, otherwise the
 * version whose next token comes earlier in the format is the newer
 * ("1.0" > "1", "1-r0" > "1"). A version that turns invalid (a token out
 * of the format) where the other goes on is the older; two that turn
 * invalid at the same point are equal.
 *
 * Where apk-tools releases differ, shipgate takes:
 * - the tokenizer of current apk-tools (the one with TOKEN_INITIAL_DIGIT
 *   and "~hash"): the leading-zero string rule, the hash, "-r" only with a
 *   number;
 * - plus the older apk-tools' reading of digits right after the letter as
 *   a further number ("6.6.2p1" < "6.6.2p2"): Alpine 3.10's `apk version
 *   -t` produced osv-scalibr's generated vectors that way, and old secdb
 *   entries use it; current apk-tools calls such versions invalid.
 * With both, every generated vector holds. apk-tools keeps numbers in 64
 * bits; shipgate compares digit strings of any length by value.
 *
 * Like `apk version -t`, any string is ordered, valid or not; only the
 * empty string and more than SG_VERSION_MAX_BYTES bytes are refused.
 */
#include "sca/version_impl.h"

#include <stdio.h>
#include <string.h>


/* In format order: a version whose next token is later is the older one. */
enum token {
	TOKEN_INITIAL_DIGIT,
	TOKEN_DIGIT,
	TOKEN_LETTER,
	TOKEN_SUFFIX,
	TOKEN_SUFFIX_NO,
	TOKEN_COMMIT_HASH,
	TOKEN_REVISION_NO,
	TOKEN_END,
	TOKEN_INVALID,
};

enum suffix {
	SUFFIX_INVALID,
	SUFFIX_ALPHA,
	SUFFIX_BETA,
	SUFFIX_PRE,
	SUFFIX_RC,
	SUFFIX_NONE,
	SUFFIX_CVS,
	SUFFIX_SVN,
	SUFFIX_GIT,
	SUFFIX_HG,
	SUFFIX_P,
};

static const char *const suffix_names[] = {
	[SUFFIX_ALPHA] = "alpha", [SUFFIX_BETA] = "beta", [SUFFIX_PRE] = "pre", [SUFFIX_RC] = "rc",
	[SUFFIX_CVS] = "cvs",     [SUFFIX_SVN] = "svn",   [SUFFIX_GIT] = "git", [SUFFIX_HG] = "hg",
	[SUFFIX_P] = "p",
};

struct cursor {
	const char *p;
	const char *e;
};

struct token_state {
	enum token token;
	enum suffix suffix;
	const char *value; /* the token's text: digits, letter, suffix or hash */
	size_t n;
};

static int invalid(const char *v, const char *why, struct sg_error *err)
{
	return sg_version_invalid("apk", v, why, err);
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static int is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f');
}

/* The run of bytes from the cursor that pass `accept`, as the token value. */
static void take_run(struct token_state *t, struct cursor *c, int (*accept)(char))
{
	t->value = c->p;
	while (c->p < c->e && accept(*c->p))
		c->p++;
	t->n = (size_t)(c->p - t->value);
}

/* token_parse_digits: a number token needs at least one digit. */
static void take_digits(struct token_state *t, struct cursor *c, enum token token)
{
	take_run(t, c, is_digit);
	t->token = t->n ? token : TOKEN_INVALID;
}

static enum suffix suffix_value(const char *p, size_t n)
{
	size_t i;

	for (i = SUFFIX_ALPHA; i <= SUFFIX_P; i++)
		if (suffix_names[i] && strlen(suffix_names[i]) == n && memcmp(suffix_names[i], p, n) == 0)
			return (enum suffix)i;
	return SUFFIX_INVALID;
}

static void token_first(struct token_state *t, struct cursor *c)
{
	take_digits(t, c, TOKEN_INITIAL_DIGIT);
}

/* token_next: the next token's type from its first byte, checked against
 * the type before it (the format's order). */
static void token_next(struct token_state *t, struct cursor *c)
{
	char ch;

	if (c->p == c->e) {
		t->token = TOKEN_END;
		return;
	}
	ch = *c->p;
	if (is_lower(ch)) {
		if (t->token > TOKEN_DIGIT)
			goto invalid;
		t->value = c->p++;
		t->n = 1;
		t->token = TOKEN_LETTER;
	} else if (ch == '.' || is_digit(ch)) {
		if (ch == '.') {
			if (t->token > TOKEN_DIGIT)
				goto invalid;
			c->p++;
		}
		switch (t->token) {
		case TOKEN_INITIAL_DIGIT:
		case TOKEN_DIGIT:
			take_digits(t, c, TOKEN_DIGIT);
			break;
		case TOKEN_LETTER:
			/* apk-tools 2.x: "6.6.2p1" (only digits reach here after a letter). */
			take_digits(t, c, TOKEN_DIGIT);
			break;
		case TOKEN_SUFFIX:
			take_digits(t, c, TOKEN_SUFFIX_NO);
			break;
		default:
			goto invalid;
		}
	} else if (ch == '_') {
		if (t->token > TOKEN_SUFFIX_NO)
			goto invalid;
		c->p++;
		take_run(t, c, is_lower);
		t->suffix = suffix_value(t->value, t->n);
		if (t->suffix == SUFFIX_INVALID)
			goto invalid;
		t->token = TOKEN_SUFFIX;
	} else if (ch == '~') {
		if (t->token >= TOKEN_COMMIT_HASH)
			goto invalid;
		c->p++;
		take_run(t, c, is_hex);
		if (t->n == 0)
			goto invalid;
		t->token = TOKEN_COMMIT_HASH;
	} else if (ch == '-') {
		if (t->token >= TOKEN_REVISION_NO || c->e - c->p < 2 || c->p[1] != 'r')
			goto invalid;
		c->p += 2;
		take_digits(t, c, TOKEN_REVISION_NO);
	} else {
		goto invalid;
	}
	return;
invalid:
	t->token = TOKEN_INVALID;
}

static int sign(int c)
{
	return (c > 0) - (c < 0);
}

/* apk_blob_sort: bytes, then the shorter first. */
static int cmp_bytes(const struct token_state *a, const struct token_state *b)
{
	int c = memcmp(a->value, b->value, a->n < b->n ? a->n : b->n);

	return c ? sign(c) : (a->n > b->n) - (a->n < b->n);
}

/* Digit strings of any length by value. */
static int cmp_number(const struct token_state *a, const struct token_state *b)
{
	const char *pa = a->value, *pb = b->value;
	size_t na = a->n, nb = b->n;

	while (na > 0 && *pa == '0')
		pa++, na--;
	while (nb > 0 && *pb == '0')
		pb++, nb--;
	if (na != nb)
		return na < nb ? -1 : 1;
	return na ? sign(memcmp(pa, pb, na)) : 0;
}

/* token_cmp for two tokens of the same type. */
static int token_cmp(const struct token_state *a, const struct token_state *b)
{
	switch (a->token) {
	case TOKEN_DIGIT:
		if (a->value[0] == '0' || b->value[0] == '0')
			return cmp_bytes(a, b);
		return cmp_number(a, b);
	case TOKEN_INITIAL_DIGIT:
	case TOKEN_SUFFIX_NO:
	case TOKEN_REVISION_NO:
		return cmp_number(a, b);
	case TOKEN_LETTER:
		return sign((unsigned char)a->value[0] - (unsigned char)b->value[0]);
	case TOKEN_SUFFIX:
		return sign((int)a->suffix - (int)b->suffix);
	case TOKEN_COMMIT_HASH:
	default:
		return cmp_bytes(a, b);
	}
}

static int cmp_apk(const char *a, size_t na, const char *b, size_t nb)
{
	struct cursor ca = {a, a + na}, cb = {b, b + nb};
	struct token_state ta = {0}, tb = {0};
	int c;

	for (token_first(&ta, &ca), token_first(&tb, &cb); ta.token == tb.token && ta.token < TOKEN_END;
	     token_next(&ta, &ca), token_next(&tb, &cb)) {
		c = token_cmp(&ta, &tb);
		if (c)
			return c;
	}
	if (ta.token == tb.token)
		return 0;
	if (ta.token == TOKEN_SUFFIX && ta.suffix < SUFFIX_NONE)
		return -1;
	if (tb.token == TOKEN_SUFFIX && tb.suffix < SUFFIX_NONE)
		return 1;
	return ta.token > tb.token ? -1 : 1;
}

static int check_length(const char *v, size_t *len, struct sg_error *err)
{
	if (!v)
		return invalid(v, "no version", err);
	*len = strnlen(v, SG_VERSION_MAX_BYTES + 1);
	if (*len > SG_VERSION_MAX_BYTES)
		return invalid(v, "longer than 256 bytes", err);
	if (*len == 0)
		return invalid(v, "empty", err);
	return 0;
}

int sg_vcmp_apk(const char *a, const char *b, int *cmp, struct sg_error *err)
{
	size_t na, nb;
	int rc;

	rc = check_length(a, &na, err);
	if (rc)
		return rc;
	rc = check_length(b, &nb, err);
	if (rc)
		return rc;
	*cmp = cmp_apk(a, na, b, nb);
	return 0;
}

int sg_vcheck_apk(const char *v, struct sg_error *err)
{
	size_t n;

	return check_length(v, &n, err);
}
