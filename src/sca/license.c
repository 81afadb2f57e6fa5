/*
 * SPDX licence expressions (SPDX 2.3 Annex D): a recursive-descent parser
 * into a small tree held in a fixed array (no allocation), printed back in
 * normal form or held against a policy's deny and allow lists.
 *
 * Annex D grammar, by precedence ("+" binds tightest, then WITH, AND, OR):
 *   or-expr   = and-expr *( "OR" and-expr )
 *   and-expr  = primary *( "AND" primary )
 *   primary   = "(" or-expr ")" / simple [ "WITH" addition ]
 *   simple    = idstring ["+"] / ["DocumentRef-" idstring ":"] "LicenseRef-" idstring
 *   addition  = idstring / ["DocumentRef-" idstring ":"] "AdditionRef-" idstring
 *   idstring  = 1*(ALPHA / DIGIT / "-" / ".")
 * Operators are matched case-insensitively (D.2 allows "AND" and "and"; mixed
 * case is accepted too, no licence id is spelt like an operator), ids
 * case-insensitively against the SPDX list (D.2) and kept as written when not
 * listed.
 */
#include "sca/license.h"

#include <string.h>

#include "sca/spdx_ids.h"

/*
 * Parentheses nest at most this deep: more pairs than terms are never needed,
 * so the terms limit bounds them too (and the parser's recursion).
 */
#define MAX_DEPTH SG_LICENSE_EXPR_MAX_TERMS
/* Terms are the leaves; every AND/OR joins two subtrees. */
#define MAX_NODES (2 * SG_LICENSE_EXPR_MAX_TERMS)
#define SHOWN 24

enum tok_kind { T_END, T_LPAREN, T_RPAREN, T_AND, T_OR, T_WITH, T_WORD };

struct token {
	enum tok_kind kind;
	size_t start, len; /* the word without its "+" */
	int plus;
};

enum node_kind { N_TERM, N_AND, N_OR };

struct node {
	unsigned char kind;   /* enum node_kind */
	unsigned char plus;   /* N_TERM: "+" after the id */
	unsigned char ref;    /* N_TERM: a (DocumentRef-...:)LicenseRef-, not in the list */
	unsigned char exc_ref;
	short parens;         /* pairs of parentheses written around it */
	short left, right;    /* N_AND, N_OR: node indexes */
	short id, id_len;     /* N_TERM: the licence (without "+"), as offsets in the text */
	short exc, exc_len;   /* the WITH addition; exc_len 0 when none */
};

/* Offsets fit a short: the text is at most SG_LICENSE_EXPR_MAX_BYTES. */
_Static_assert(SG_LICENSE_EXPR_MAX_BYTES < 32767, "license offsets are shorts");
_Static_assert(MAX_NODES < 32767, "license node indexes are shorts");

struct parser {
	const char *s;
	size_t pos; /* the lexer's cursor */
	struct token tok;
	struct node nodes[MAX_NODES];
	int n_nodes, n_terms, depth;
	struct sg_error *err;
};

static char ascii_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* strcasecmp of s[0, len) against the NUL-terminated b, in ASCII. */
static int cmp_ci(const char *s, size_t len, const char *b)
{
	size_t i;

	for (i = 0; i < len && b[i]; i++) {
		unsigned char x = (unsigned char)ascii_lower(s[i]);
		unsigned char y = (unsigned char)ascii_lower(b[i]);

		if (x != y)
			return x < y ? -1 : 1;
	}
	if (i < len)
		return 1;
	return b[i] ? -1 : 0;
}

/* The n bytes at a and b are equal but for ASCII case. */
static int eq_ci(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ascii_lower(a[i]) != ascii_lower(b[i]))
			return 0;
	return 1;
}

static int has_prefix_ci(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && eq_ci(s, prefix, n);
}

static const char *lookup(const struct sg_spdx_id *ids, size_t count, const char *s, size_t len)
{
	size_t lo = 0, hi = count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_ci(s, len, ids[mid].id);

		if (c == 0)
			return ids[mid].id;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *sg_license_canonical_id(const char *id)
{
	return id ? lookup(sg_spdx_licenses, sg_spdx_licenses_count, id, strlen(id)) : NULL;
}

const char *sg_license_canonical_exception(const char *id)
{
	return id ? lookup(sg_spdx_exceptions, sg_spdx_exceptions_count, id, strlen(id)) : NULL;
}

/* ---- errors ---- */

/* Up to SHOWN bytes of s for a message: printable ASCII, others as '?'. */
static void show(char *out, size_t size, const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len && i < SHOWN && n + 1 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		out[n++] = (c >= 0x20 && c < 0x7f && c != '"') ? (char)c : '?';
	}
	if (len > SHOWN && n + 3 < size) {
		memcpy(out + n, "...", 3);
		n += 3;
	}
	out[n] = '\0';
}

/* A syntax error at the current token, which the message quotes. */
static int fail(struct parser *p, const char *what)
{
	char found[SHOWN + 4];
	size_t at = p->tok.start;

	p->err->offset = (long long)at;
	p->err->column = (long)at + 1;
	if (p->tok.kind == T_END)
		return sg_error_set(p->err, SG_DIAG_LICENSE_INVALID,
				    "licence expression: %s at column %zu (the end)", what, at + 1);
	show(found, sizeof(found), p->s + at, p->tok.len + (size_t)p->tok.plus);
	return sg_error_set(p->err, SG_DIAG_LICENSE_INVALID,
			    "licence expression: %s at column %zu, found \"%s\"", what, at + 1, found);
}

/* "licence expression: <what> <n> <unit>" at the current token. */
static int limit(struct parser *p, const char *what, int n, const char *unit)
{
	p->err->offset = (long long)p->tok.start;
	p->err->column = (long)p->tok.start + 1;
	return sg_error_set(p->err, SG_DIAG_LIMIT_EXCEEDED, "licence expression: %s %d %s at column %zu",
			    what, n, unit, p->tok.start + 1);
}

/* ---- lexer ---- */

static int word_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == ':';
}

static int next(struct parser *p)
{
	const char *s = p->s;
	struct token *t = &p->tok;

	while (s[p->pos] == ' ' || s[p->pos] == '\t' || s[p->pos] == '\r' || s[p->pos] == '\n')
		p->pos++;
	t->start = p->pos;
	t->len = 0;
	t->plus = 0;
	if (s[p->pos] == '\0') {
		t->kind = T_END;
		return 0;
	}
	if (s[p->pos] == '(' || s[p->pos] == ')') {
		t->kind = s[p->pos] == '(' ? T_LPAREN : T_RPAREN;
		t->len = 1;
		p->pos++;
		return 0;
	}
	while (word_char(s[p->pos]))
		p->pos++;
	t->len = p->pos - t->start;
	if (t->len == 0) {
		t->kind = T_WORD; /* so the message quotes the character */
		t->len = 1;
		return fail(p, "unexpected character");
	}
	/* D.1: "There MUST NOT be white space between a license-id and any following +". */
	if (s[p->pos] == '+') {
		t->plus = 1;
		p->pos++;
	}
	t->kind = T_WORD;
	if (!t->plus) {
		if (cmp_ci(s + t->start, t->len, "and") == 0)
			t->kind = T_AND;
		else if (cmp_ci(s + t->start, t->len, "or") == 0)
			t->kind = T_OR;
		else if (cmp_ci(s + t->start, t->len, "with") == 0)
			t->kind = T_WITH;
	}
	return 0;
}

/* ---- parser ---- */

static int idstring(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!word_char(s[i]) || s[i] == ':')
			return 0;
	return len > 0;
}

/*
 * ["DocumentRef-" idstring ":"] <kind> idstring, kind "LicenseRef-" or
 * "AdditionRef-": 1 when s is such a reference, 0 when it is a plain
 * idstring, -1 when it is neither.
 */
static int reference(const char *s, size_t len, const char *kind)
{
	const char *colon = memchr(s, ':', len);
	size_t k = strlen(kind);

	if (colon) {
		size_t doc = (size_t)(colon - s);

		if (!has_prefix_ci(s, doc, "DocumentRef-") || !idstring(s + 12, doc - 12))
			return -1;
		s = colon + 1;
		len -= doc + 1;
		if (!has_prefix_ci(s, len, kind))
			return -1;
	}
	if (has_prefix_ci(s, len, kind))
		return idstring(s + k, len - k) ? 1 : -1;
	return idstring(s, len) ? 0 : -1;
}

static int new_node(struct parser *p, enum node_kind kind, int *out)
{
	struct node *n;

	/* Cannot happen: terms are counted first and a tree of T terms has
	 * 2T - 1 nodes. Checked all the same, the array is fixed. */
	if (p->n_nodes >= MAX_NODES)
		return limit(p, "more than", SG_LICENSE_EXPR_MAX_TERMS, "terms");
	n = &p->nodes[p->n_nodes];
	memset(n, 0, sizeof(*n));
	n->kind = (unsigned char)kind;
	*out = p->n_nodes++;
	return 0;
}

static int parse_or(struct parser *p, int *out);

/* simple [ "WITH" addition ] */
static int parse_term(struct parser *p, int *out)
{
	struct node *n;
	int rc, ref;

	if (++p->n_terms > SG_LICENSE_EXPR_MAX_TERMS)
		return limit(p, "more than", SG_LICENSE_EXPR_MAX_TERMS, "terms");
	ref = reference(p->s + p->tok.start, p->tok.len, "LicenseRef-");
	if (ref < 0)
		return fail(p, "malformed licence id");
	if (ref && p->tok.plus)
		return fail(p, "\"+\" after a LicenseRef");
	if ((rc = new_node(p, N_TERM, out)))
		return rc;
	n = &p->nodes[*out];
	n->id = (short)p->tok.start;
	n->id_len = (short)p->tok.len;
	n->plus = (unsigned char)p->tok.plus;
	n->ref = (unsigned char)ref;
	if ((rc = next(p)))
		return rc;
	if (p->tok.kind != T_WITH)
		return 0;
	if ((rc = next(p)))
		return rc;
	if (p->tok.kind != T_WORD)
		return fail(p, "expected an exception id after WITH");
	ref = reference(p->s + p->tok.start, p->tok.len, "AdditionRef-");
	if (ref < 0 || p->tok.plus)
		return fail(p, "malformed exception id");
	n->exc = (short)p->tok.start;
	n->exc_len = (short)p->tok.len;
	n->exc_ref = (unsigned char)ref;
	return next(p);
}

/* "(" or-expr ")" / term */
static int parse_primary(struct parser *p, int *out)
{
	int rc;

	if (p->tok.kind == T_WORD)
		return parse_term(p, out);
	if (p->tok.kind != T_LPAREN)
		return fail(p, "expected a licence id or \"(\"");
	if (++p->depth > MAX_DEPTH)
		return limit(p, "parentheses nested more than", MAX_DEPTH, "deep");
	if ((rc = next(p)) || (rc = parse_or(p, out)))
		return rc;
	if (p->tok.kind != T_RPAREN)
		return fail(p, "expected \")\"");
	p->depth--;
	p->nodes[*out].parens++; /* at most MAX_DEPTH: no overflow */
	if ((rc = next(p)))
		return rc;
	/* D.4.4: the left operand of WITH is a simple expression. */
	if (p->tok.kind == T_WITH)
		return fail(p, "WITH after \")\" (it applies to one licence id)");
	return 0;
}

/* One level of binary operators: AND over primaries, OR over AND-levels. */
static int parse_binary(struct parser *p, enum tok_kind op, int *out)
{
	int rc, left = 0, right = 0, n = 0;

	rc = op == T_AND ? parse_primary(p, &left) : parse_binary(p, T_AND, &left);
	if (rc)
		return rc;
	while (p->tok.kind == op) {
		if ((rc = next(p)))
			return rc;
		rc = op == T_AND ? parse_primary(p, &right) : parse_binary(p, T_AND, &right);
		if (rc)
			return rc;
		if ((rc = new_node(p, op == T_AND ? N_AND : N_OR, &n)))
			return rc;
		p->nodes[n].left = (short)left;
		p->nodes[n].right = (short)right;
		left = n;
	}
	*out = left;
	return 0;
}

static int parse_or(struct parser *p, int *out)
{
	return parse_binary(p, T_OR, out);
}

static int parse(struct parser *p, const char *expr, struct sg_error *err, int *root)
{
	size_t len;
	int rc;

	memset(p, 0, sizeof(*p));
	p->s = expr;
	p->err = err;
	if (!expr)
		return sg_error_set(err, SG_DIAG_LICENSE_INVALID, "licence expression: none given");
	len = strnlen(expr, (size_t)SG_LICENSE_EXPR_MAX_BYTES + 1);
	if (len > SG_LICENSE_EXPR_MAX_BYTES)
		return sg_error_set(err, SG_DIAG_LIMIT_EXCEEDED,
				    "licence expression: longer than %d bytes",
				    SG_LICENSE_EXPR_MAX_BYTES);
	if ((rc = next(p)))
		return rc;
	if (p->tok.kind == T_END)
		return fail(p, "empty expression");
	if ((rc = parse_or(p, root)))
		return rc;
	if (p->tok.kind != T_END)
		return fail(p, "expected AND, OR, WITH or the end");
	return 0;
}

/* ---- output ---- */

struct out {
	char *p;
	size_t size, len;
	int overflow;
};

static void put(struct out *o, const char *s, size_t len)
{
	if (o->overflow || len >= o->size - o->len) {
		o->overflow = 1;
		return;
	}
	memcpy(o->p + o->len, s, len);
	o->len += len;
	o->p[o->len] = '\0';
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

/* A term's licence: its listed spelling, or as written (refs, unknown ids). */
static const char *license_text(const struct parser *p, const struct node *n, size_t *len)
{
	const char *c = n->ref ? NULL :
		lookup(sg_spdx_licenses, sg_spdx_licenses_count, p->s + n->id, (size_t)n->id_len);

	*len = c ? strlen(c) : (size_t)n->id_len;
	return c ? c : p->s + n->id;
}

static void put_license(struct out *o, const struct parser *p, const struct node *n)
{
	size_t len;
	const char *s = license_text(p, n, &len);

	put(o, s, len);
	if (n->plus)
		put(o, "+", 1);
}

static void print_node(struct out *o, const struct parser *p, int i)
{
	const struct node *n = &p->nodes[i];
	const char *c;
	int k;

	for (k = 0; k < n->parens; k++)
		put(o, "(", 1);
	switch (n->kind) {
	case N_TERM:
		put_license(o, p, n);
		if (n->exc_len) {
			puts_(o, " WITH ");
			c = n->exc_ref ? NULL :
				lookup(sg_spdx_exceptions, sg_spdx_exceptions_count, p->s + n->exc,
				       (size_t)n->exc_len);
			if (c)
				puts_(o, c);
			else
				put(o, p->s + n->exc, (size_t)n->exc_len);
		}
		break;
	case N_AND:
	case N_OR:
		print_node(o, p, n->left);
		puts_(o, n->kind == N_AND ? " AND " : " OR ");
		print_node(o, p, n->right);
		break;
	default:
		break;
	}
	for (k = 0; k < n->parens; k++)
		put(o, ")", 1);
}

int sg_license_normalize(const char *expr, char *out, size_t size, struct sg_error *err)
{
	struct parser p;
	struct out o = {out, size, 0, 0};
	int rc, root;

	if (out && size)
		out[0] = '\0'; /* whatever happens, no stale text */
	if ((rc = parse(&p, expr, err, &root)))
		return rc;
	if (size == 0)
		return sg_error_set(err, SG_DIAG_LIMIT_EXCEEDED,
				    "licence expression: no room for the normal form");
	out[0] = '\0';
	print_node(&o, &p, root);
	if (o.overflow) {
		out[0] = '\0';
		return sg_error_set(err, SG_DIAG_LIMIT_EXCEEDED,
				    "licence expression: normal form longer than %zu bytes", size - 1);
	}
	return 0;
}

/* ---- evaluation ---- */

struct policy {
	const char *const *deny, *const *allow;
	size_t n_deny, n_allow;
	int offending[SG_LICENSE_EXPR_MAX_TERMS]; /* terms that failed, in order */
	int n_off;
};

/* A list entry names the term: "X" matches X and X+, "X+" matches X+. */
static int listed(const char *const *list, size_t n, const struct parser *p, const struct node *t)
{
	const char *id = p->s + t->id;
	size_t i, len, id_len = (size_t)t->id_len;

	for (i = 0; i < n; i++) {
		if (!list[i])
			continue;
		len = strlen(list[i]);
		if (len == id_len && eq_ci(id, list[i], id_len))
			return 1;
		if (t->plus && len == id_len + 1 && list[i][id_len] == '+' && eq_ci(id, list[i], id_len))
			return 1;
	}
	return 0;
}

static int eval(struct policy *pol, const struct parser *p, int i)
{
	const struct node *n = &p->nodes[i];
	int mark, ok, ok2;

	switch (n->kind) {
	case N_TERM:
		/* "X WITH E" is judged on X. */
		ok = !listed(pol->deny, pol->n_deny, p, n) &&
		     (pol->n_allow == 0 || listed(pol->allow, pol->n_allow, p, n));
		if (!ok && pol->n_off < SG_LICENSE_EXPR_MAX_TERMS)
			pol->offending[pol->n_off++] = i;
		return ok;
	case N_OR:
		/* A choice: acceptable when one side is; then nothing offends. */
		mark = pol->n_off;
		if (eval(pol, p, n->left) || eval(pol, p, n->right)) {
			pol->n_off = mark;
			return 1;
		}
		return 0;
	case N_AND:
		/* Both sides always evaluated, so every offending id is named. */
		ok = eval(pol, p, n->left);
		ok2 = eval(pol, p, n->right);
		return ok && ok2;
	default:
		return 0;
	}
}

/* "A,B": listed spellings, each once; an id that does not fit ends the list with ",...". */
static void list_offending(const struct policy *pol, const struct parser *p, char *buf,
			   size_t size)
{
	struct out o = {buf, size, 0, 0};
	int i, j, dup;

	if (!buf || size == 0)
		return;
	buf[0] = '\0';
	for (i = 0; i < pol->n_off; i++) {
		const struct node *n = &p->nodes[pol->offending[i]];
		size_t len;

		for (dup = 0, j = 0; j < i && !dup; j++) {
			const struct node *m = &p->nodes[pol->offending[j]];

			dup = m->plus == n->plus && m->id_len == n->id_len &&
			      eq_ci(p->s + m->id, p->s + n->id, (size_t)n->id_len);
		}
		if (dup)
			continue;
		license_text(p, n, &len);
		if (o.len + (o.len ? 1 : 0) + len + n->plus >= size) {
			if (o.len + 4 < size)
				puts_(&o, o.len ? ",..." : "...");
			return;
		}
		if (o.len)
			put(&o, ",", 1);
		put_license(&o, p, n);
	}
}

int sg_license_evaluate(const char *expr, const char *const *deny, size_t n_deny,
			const char *const *allow, size_t n_allow, int *ok, char *offending,
			size_t offending_size, struct sg_error *err)
{
	struct parser p;
	struct policy pol;
	int rc, root;

	if ((rc = parse(&p, expr, err, &root)))
		return rc;
	memset(&pol, 0, sizeof(pol));
	pol.deny = deny;
	pol.n_deny = deny ? n_deny : 0;
	pol.allow = allow;
	pol.n_allow = allow ? n_allow : 0;
	*ok = eval(&pol, &p, root);
	if (*ok)
		pol.n_off = 0;
	list_offending(&pol, &p, offending, offending_size);
	return 0;
}
