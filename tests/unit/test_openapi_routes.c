/*
 * docs/openapi.json against the server's route table (server/routes.c), both
 * ways: every route is in the document with its method, every operation of
 * the document is a route, each says the route's least role, only the two
 * public routes drop the bearer requirement (`security: []`), a route takes a
 * body exactly when its operation has a requestBody, every {param} of a path
 * is declared as a path parameter (and no other is), and operationIds are
 * unique. The document is read from the copy the server embeds and serves
 * (sg_openapi_json), with the streaming reader, and must be docs/openapi.json
 * byte for byte.
 *
 * The comparison is then fed a document altered on purpose (a path dropped,
 * a path added, a role changed, ...) to show that it reports each change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "server/request.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/json_reader.h"
#include "util/json_writer.h"

#define DOC_FILE "docs/openapi.json"

/* Bounds of what one document may declare, for this test's fixed tables. */
#define MAX_OPS 64
#define MAX_PARAMS 256
#define MAX_COMPONENT_PARAMS 64
#define MAX_TEXT 256
#define MAX_PROBLEMS 64

static int setup(void **state)
{
	(void)state;
	return sg_crypto_init();
}

/* ---- what the document says ---- */

struct op {
	char path[MAX_TEXT];
	char method[16];
	char operation_id[MAX_TEXT];
	char role[32];
	int has_security;   /* the operation has a `security` member */
	int security_items; /* its requirements: none is `security: []` */
	int has_body;       /* a requestBody */
};

/* A parameter of an operation (op >= 0) or of a path item (op == -1). */
struct param {
	int op;
	char path[MAX_TEXT];
	char name[MAX_TEXT];
	char in[16];
	char ref[MAX_TEXT];
};

/* components/parameters/KEY: what a $ref to it stands for. */
struct component_param {
	char key[MAX_TEXT];
	char name[MAX_TEXT];
	char in[16];
};

struct doc {
	char openapi[16];
	int global_bearer; /* the top-level security asks for bearerAuth */
	char scheme_type[16];
	char scheme[16];
	struct op ops[MAX_OPS];
	size_t n_ops;
	struct param params[MAX_PARAMS];
	size_t n_params;
	struct component_param components[MAX_COMPONENT_PARAMS];
	size_t n_components;
};

static const char *key_at(const struct sg_json_reader *r, int level)
{
	const char *k = sg_json_key(r, level);

	return k ? k : "";
}

static int copy_text(struct sg_json_reader *r, char *dst, size_t size, const char *src)
{
	size_t len = strlen(src);

	if (len >= size)
		return sg_json_fail(r, SG_DIAG_LIMIT_EXCEEDED, "\"%.40s\" is longer than this test keeps", src);
	memcpy(dst, src, len + 1);
	return 0;
}

static int is_method(const char *k)
{
	static const char *const methods[] = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};
	size_t i;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strcmp(k, methods[i]) == 0)
			return 1;
	return 0;
}

static int is_value_start(enum sg_json_type t)
{
	return t != SG_JSON_OBJECT_END && t != SG_JSON_ARRAY_END;
}

static int new_param(struct doc *d, struct sg_json_reader *r, int op, const char *path)
{
	struct param *p;

	if (d->n_params == MAX_PARAMS)
		return sg_json_fail(r, SG_DIAG_LIMIT_EXCEEDED, "more than %d parameters", MAX_PARAMS);
	p = &d->params[d->n_params++];
	memset(p, 0, sizeof(*p));
	p->op = op;
	return copy_text(r, p->path, sizeof(p->path), path);
}

/* name, in or $ref of the parameter being read (the last one). */
static int param_member(struct doc *d, struct sg_json_reader *r, const char *k, const struct sg_json_event *ev)
{
	struct param *p;

	if (ev->type != SG_JSON_STRING || d->n_params == 0)
		return 0;
	p = &d->params[d->n_params - 1];
	if (strcmp(k, "name") == 0)
		return copy_text(r, p->name, sizeof(p->name), ev->text);
	if (strcmp(k, "in") == 0)
		return copy_text(r, p->in, sizeof(p->in), ev->text);
	if (strcmp(k, "$ref") == 0)
		return copy_text(r, p->ref, sizeof(p->ref), ev->text);
	return 0;
}

/* Inside paths/P/METHOD: levels 0..2 are "paths", P, METHOD. */
static int on_operation(struct doc *d, struct sg_json_reader *r, int depth, const struct sg_json_event *ev)
{
	struct op *o;
	const char *k3;
	int rc;

	if (depth == 3) {
		if (ev->type != SG_JSON_OBJECT_START)
			return 0;
		if (d->n_ops == MAX_OPS)
			return sg_json_fail(r, SG_DIAG_LIMIT_EXCEEDED, "more than %d operations", MAX_OPS);
		o = &d->ops[d->n_ops++];
		memset(o, 0, sizeof(*o));
		if ((rc = copy_text(r, o->path, sizeof(o->path), key_at(r, 1))))
			return rc;
		return copy_text(r, o->method, sizeof(o->method), key_at(r, 2));
	}
	if (d->n_ops == 0)
		return 0;
	o = &d->ops[d->n_ops - 1];
	k3 = key_at(r, 3);
	if (depth == 4) {
		if (strcmp(k3, "operationId") == 0 && ev->type == SG_JSON_STRING)
			return copy_text(r, o->operation_id, sizeof(o->operation_id), ev->text);
		if (strcmp(k3, "x-shipgate-least-role") == 0 && ev->type == SG_JSON_STRING)
			return copy_text(r, o->role, sizeof(o->role), ev->text);
		if (strcmp(k3, "security") == 0 && is_value_start(ev->type))
			o->has_security = 1;
		if (strcmp(k3, "requestBody") == 0 && is_value_start(ev->type))
			o->has_body = 1;
		return 0;
	}
	if (strcmp(k3, "security") == 0 && depth == 5 && is_value_start(ev->type))
		o->security_items++;
	if (strcmp(k3, "parameters") == 0 && depth == 5 && ev->type == SG_JSON_OBJECT_START)
		return new_param(d, r, (int)(d->n_ops - 1), o->path);
	if (strcmp(k3, "parameters") == 0 && depth == 6)
		return param_member(d, r, key_at(r, 5), ev);
	return 0;
}

static int on_paths(struct doc *d, struct sg_json_reader *r, int depth, const struct sg_json_event *ev)
{
	if (depth < 3)
		return 0;
	if (is_method(key_at(r, 2)))
		return on_operation(d, r, depth, ev);
	/* Parameters of the path item, shared by its operations. */
	if (strcmp(key_at(r, 2), "parameters") == 0) {
		if (depth == 4 && ev->type == SG_JSON_OBJECT_START)
			return new_param(d, r, -1, key_at(r, 1));
		if (depth == 5)
			return param_member(d, r, key_at(r, 4), ev);
	}
	return 0;
}

static int on_components(struct doc *d, struct sg_json_reader *r, int depth, const struct sg_json_event *ev)
{
	static const char *const scheme_type[] = {"components", "securitySchemes", "bearerAuth", "type", NULL};
	static const char *const scheme[] = {"components", "securitySchemes", "bearerAuth", "scheme", NULL};
	struct component_param *c;

	if (ev->type == SG_JSON_STRING && sg_json_match(r, scheme_type))
		return copy_text(r, d->scheme_type, sizeof(d->scheme_type), ev->text);
	if (ev->type == SG_JSON_STRING && sg_json_match(r, scheme))
		return copy_text(r, d->scheme, sizeof(d->scheme), ev->text);
	if (depth < 3 || strcmp(key_at(r, 1), "parameters") != 0)
		return 0;
	if (depth == 3 && ev->type == SG_JSON_OBJECT_START) {
		if (d->n_components == MAX_COMPONENT_PARAMS)
			return sg_json_fail(r, SG_DIAG_LIMIT_EXCEEDED, "more than %d component parameters",
					    MAX_COMPONENT_PARAMS);
		c = &d->components[d->n_components++];
		memset(c, 0, sizeof(*c));
		return copy_text(r, c->key, sizeof(c->key), key_at(r, 2));
	}
	if (depth != 4 || ev->type != SG_JSON_STRING || d->n_components == 0)
		return 0;
	c = &d->components[d->n_components - 1];
	if (strcmp(key_at(r, 3), "name") == 0)
		return copy_text(r, c->name, sizeof(c->name), ev->text);
	if (strcmp(key_at(r, 3), "in") == 0)
		return copy_text(r, c->in, sizeof(c->in), ev->text);
	return 0;
}

static int on_doc_event(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	static const char *const openapi[] = {"openapi", NULL};
	static const char *const global_bearer[] = {"security", "#", "bearerAuth", NULL};
	struct doc *d = ctx;
	int depth = sg_json_depth(r);
	const char *k0;

	if (depth == 0) {
		if (ev->type != SG_JSON_OBJECT_START && ev->type != SG_JSON_OBJECT_END)
			return sg_json_fail(r, SG_DIAG_BAD_VALUE, "the document is not an object");
		return 0;
	}
	k0 = key_at(r, 0);
	if (ev->type == SG_JSON_STRING && sg_json_match(r, openapi))
		return copy_text(r, d->openapi, sizeof(d->openapi), ev->text);
	if (ev->type == SG_JSON_ARRAY_START && sg_json_match(r, global_bearer))
		d->global_bearer = 1;
	if (strcmp(k0, "paths") == 0)
		return on_paths(d, r, depth, ev);
	if (strcmp(k0, "components") == 0)
		return on_components(d, r, depth, ev);
	return 0;
}

struct mem {
	const char *data;
	size_t len, pos;
};

static ssize_t mem_read(void *ctx, void *buf, size_t len)
{
	struct mem *m = ctx;
	size_t n = m->len - m->pos;

	if (n > len)
		n = len;
	memcpy(buf, m->data + m->pos, n);
	m->pos += n;
	return (ssize_t)n;
}

/* Read a document into d (allocated; sg_free it). */
static int doc_read(const char *text, size_t len, struct doc **out, struct sg_error *err)
{
	struct mem m = {text, len, 0};
	struct sg_json_source src = {mem_read, &m};
	struct doc *d = sg_calloc(1, sizeof(*d));
	int rc;

	*out = NULL;
	if (!d)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	if ((rc = sg_json_parse(&src, "openapi.json", on_doc_event, d, err))) {
		sg_free(d);
		return rc;
	}
	*out = d;
	return 0;
}

/* ---- the comparison ---- */

enum problem_kind {
	P_MISSING,  /* a route the document lacks */
	P_EXTRA,    /* an operation that is no route */
	P_ROLE,     /* x-shipgate-least-role differs from the route's access */
	P_SECURITY, /* `security: []` where it does not belong, or not where it does */
	P_BODY,     /* requestBody and the route's body kind disagree */
	P_PARAM,    /* a {param} not declared, a path parameter not in the path, a bad $ref */
	P_OPID,     /* operationId missing or not unique */
	P_KINDS
};

struct problems {
	size_t n;
	size_t count[P_KINDS];
	char text[MAX_PROBLEMS][2 * MAX_TEXT];
};

static void problem(struct problems *p, enum problem_kind kind, const char *fmt, ...) SG_PRINTF(3, 4);

static void problem(struct problems *p, enum problem_kind kind, const char *fmt, ...)
{
	va_list ap;

	p->count[kind]++;
	if (p->n == MAX_PROBLEMS)
		return;
	va_start(ap, fmt);
	/* Flawfinder: ignore (the format is checked by the compiler: SG_PRINTF) */
	vsnprintf(p->text[p->n++], sizeof(p->text[0]), fmt, ap);
	va_end(ap);
}

static int has_problem(const struct problems *p, const char *text)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->text[i], text) == 0)
			return 1;
	return 0;
}

static void print_problems(const struct problems *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		print_message("openapi: %s\n", p->text[i]);
}

/* docs/api.md "least role", as the document spells it. */
static const char *access_role(enum sg_access a)
{
	switch (a) {
	case SG_ACCESS_PUBLIC:
		return "none";
	case SG_ACCESS_READ:
		return "viewer";
	case SG_ACCESS_WRITE:
		return "developer";
	case SG_ACCESS_TRIAGE:
		return "security";
	case SG_ACCESS_ADMIN:
		return "admin";
	}
	return "?";
}

static void lower(const char *in, char *out, size_t size)
{
	size_t i;

	for (i = 0; in[i] && i + 1 < size; i++)
		out[i] = (char)tolower((unsigned char)in[i]);
	out[i] = '\0';
}

static const struct op *find_op(const struct doc *d, const char *path, const char *method)
{
	size_t i;

	for (i = 0; i < d->n_ops; i++)
		if (strcmp(d->ops[i].path, path) == 0 && strcmp(d->ops[i].method, method) == 0)
			return &d->ops[i];
	return NULL;
}

static void resolve_refs(struct doc *d, struct problems *p)
{
	static const char prefix[] = "#/components/parameters/";
	size_t i, j;

	for (i = 0; i < d->n_params; i++) {
		struct param *pa = &d->params[i];
		if (!pa->ref[0])
			continue;
		for (j = 0; j < d->n_components; j++)
			if (strncmp(pa->ref, prefix, sizeof(prefix) - 1) == 0 &&
			    strcmp(pa->ref + sizeof(prefix) - 1, d->components[j].key) == 0)
				break;
		if (j == d->n_components) {
			problem(p, P_PARAM, "%s: parameter $ref \"%s\" names no component parameter", pa->path, pa->ref);
			continue;
		}
		snprintf(pa->name, sizeof(pa->name), "%s", d->components[j].name);
		snprintf(pa->in, sizeof(pa->in), "%s", d->components[j].in);
	}
}

/* Does the operation (index op), or its path item, declare path parameter name? */
static int declares(const struct doc *d, size_t op, const char *name, size_t name_len)
{
	size_t i;

	for (i = 0; i < d->n_params; i++) {
		const struct param *pa = &d->params[i];
		if (pa->op != (int)op && !(pa->op == -1 && strcmp(pa->path, d->ops[op].path) == 0))
			continue;
		if (strcmp(pa->in, "path") == 0 && strlen(pa->name) == name_len && memcmp(pa->name, name, name_len) == 0)
			return 1;
	}
	return 0;
}

static int path_has_param(const char *path, const char *name)
{
	size_t len = strlen(name);
	const char *s = path;

	while ((s = strchr(s, '{')) != NULL) {
		s++;
		if (strncmp(s, name, len) == 0 && s[len] == '}')
			return 1;
	}
	return 0;
}

static void check_params(const struct doc *d, struct problems *p)
{
	size_t i, j;

	for (i = 0; i < d->n_ops; i++) {
		const struct op *o = &d->ops[i];
		const char *s = o->path, *end;

		while ((s = strchr(s, '{')) != NULL && (end = strchr(s, '}')) != NULL) {
			if (!declares(d, i, s + 1, (size_t)(end - s - 1)))
				problem(p, P_PARAM, "%s %s: {%.*s} is not declared as a path parameter", o->method, o->path,
					(int)(end - s - 1), s + 1);
			s = end + 1;
		}
		for (j = 0; j < d->n_params; j++) {
			const struct param *pa = &d->params[j];
			if (pa->op == (int)i && strcmp(pa->in, "path") == 0 && !path_has_param(o->path, pa->name))
				problem(p, P_PARAM, "%s %s: path parameter \"%s\" is not in the path", o->method, o->path,
					pa->name);
		}
	}
	for (j = 0; j < d->n_params; j++) {
		const struct param *pa = &d->params[j];
		if (pa->op == -1 && strcmp(pa->in, "path") == 0 && !path_has_param(pa->path, pa->name))
			problem(p, P_PARAM, "%s: path parameter \"%s\" is not in the path", pa->path, pa->name);
	}
}

static void check_operation_ids(const struct doc *d, struct problems *p)
{
	size_t i, j;

	for (i = 0; i < d->n_ops; i++) {
		if (!d->ops[i].operation_id[0]) {
			problem(p, P_OPID, "%s %s has no operationId", d->ops[i].method, d->ops[i].path);
			continue;
		}
		for (j = 0; j < i; j++)
			if (strcmp(d->ops[i].operation_id, d->ops[j].operation_id) == 0) {
				problem(p, P_OPID, "operationId \"%s\" is used twice", d->ops[i].operation_id);
				break;
			}
	}
}

/* Hold the document and the route table to each other; every difference
 * goes into p. */
static void compare(struct doc *d, const struct sg_route *routes, size_t n, struct problems *p)
{
	char method[16];
	size_t i, j;

	memset(p, 0, sizeof(*p));
	resolve_refs(d, p);
	for (i = 0; i < n; i++) {
		const struct sg_route *rt = &routes[i];
		const struct op *o;
		lower(rt->method, method, sizeof(method));
		o = find_op(d, rt->pattern, method);
		if (!o) {
			problem(p, P_MISSING, "route %s %s is not in the document", rt->method, rt->pattern);
			continue;
		}
		if (strcmp(o->role, access_role(rt->least)) != 0)
			problem(p, P_ROLE, "%s %s: x-shipgate-least-role is \"%s\", the route's access is %s", rt->method,
				rt->pattern, o->role, access_role(rt->least));
		if (rt->least == SG_ACCESS_PUBLIC && !(o->has_security && o->security_items == 0))
			problem(p, P_SECURITY, "%s %s is public but does not say security: []", rt->method, rt->pattern);
		if (rt->least != SG_ACCESS_PUBLIC && o->has_security && o->security_items == 0)
			problem(p, P_SECURITY, "%s %s needs a token but says security: []", rt->method, rt->pattern);
		if ((rt->body != SG_BODY_NONE) != (o->has_body != 0))
			problem(p, P_BODY, "%s %s: the route %s a body, the document %s", rt->method, rt->pattern,
				rt->body != SG_BODY_NONE ? "takes" : "refuses",
				o->has_body ? "has a requestBody" : "has none");
	}
	for (j = 0; j < d->n_ops; j++) {
		const struct op *o = &d->ops[j];
		for (i = 0; i < n; i++) {
			lower(routes[i].method, method, sizeof(method));
			if (strcmp(o->path, routes[i].pattern) == 0 && strcmp(o->method, method) == 0)
				break;
		}
		if (i == n)
			problem(p, P_EXTRA, "%s %s is in the document but is no route", o->method, o->path);
	}
	check_params(d, p);
	check_operation_ids(d, p);
}

/* ---- the served document ---- */

static void test_embedded_is_docs_file(void **state)
{
	FILE *f;
	char *text;
	size_t n;

	(void)state;
	assert_int_equal(strlen(sg_openapi_json), sg_openapi_json_len);
	f = fopen(DOC_FILE, "rb");
	assert_non_null(f);
	text = sg_malloc(sg_openapi_json_len + 2);
	assert_non_null(text);
	/* One byte more than the embedded copy: a longer file shows. */
	n = fread(text, 1, sg_openapi_json_len + 1, f);
	fclose(f);
	assert_int_equal(n, sg_openapi_json_len);
	assert_memory_equal(text, sg_openapi_json, sg_openapi_json_len);
	sg_free(text);
}

static void test_document_header(void **state)
{
	struct sg_error err;
	struct doc *d;

	(void)state;
	sg_error_clear(&err);
	assert_int_equal(doc_read(sg_openapi_json, sg_openapi_json_len, &d, &err), 0);
	assert_string_equal(d->openapi, "3.1.0");
	/* The bearer requirement applies to everything not overriding it. */
	assert_true(d->global_bearer);
	assert_string_equal(d->scheme_type, "http");
	assert_string_equal(d->scheme, "bearer");
	sg_free(d);
}

static void test_document_matches_routes(void **state)
{
	const struct sg_route *routes;
	struct problems *p = sg_calloc(1, sizeof(*p));
	struct sg_error err;
	struct doc *d;
	size_t n;

	(void)state;
	assert_non_null(p);
	sg_error_clear(&err);
	routes = sg_server_routes(&n);
	assert_true(n > 0);
	assert_int_equal(doc_read(sg_openapi_json, sg_openapi_json_len, &d, &err), 0);
	compare(d, routes, n, p);
	print_problems(p);
	assert_int_equal(p->n, 0);
	/* Both ways, so the counts agree too: one operation per route. */
	assert_int_equal(d->n_ops, n);
	sg_free(d);
	sg_free(p);
}

/* Every route's access maps to a role the document can say. */
static void test_access_roles(void **state)
{
	const struct sg_route *routes;
	size_t i, n, public_routes = 0;

	(void)state;
	routes = sg_server_routes(&n);
	for (i = 0; i < n; i++) {
		assert_string_not_equal(access_role(routes[i].least), "?");
		if (routes[i].least == SG_ACCESS_PUBLIC)
			public_routes++;
	}
	/* docs/api.md: only /healthz and the document itself need no token. */
	assert_int_equal(public_routes, 2);
}

/* ---- the comparison has teeth ---- */

/* A copy of a document, changed on the way: members dropped, one string
 * replaced, one path added. Written with the JSON writer from the reader's
 * events, so the copy is valid JSON whatever the changes. */
struct mutation {
	struct sg_jw w;
	const char *const *const *drop; /* NULL-terminated list of member paths */
	const char *const *replace;     /* the string at this path ... */
	const char *replacement;        /* ... becomes this */
	const char *extra_path;         /* a path item added to paths */
};

static void write_extra_path(struct sg_jw *w, const char *path)
{
	/* A GET with a path parameter it does not declare and an operationId
	 * another operation has. */
	sg_jw_key(w, path);
	sg_jw_object_begin(w);
	sg_jw_key(w, "get");
	sg_jw_object_begin(w);
	sg_jw_kv_string(w, "operationId", "getGate");
	sg_jw_kv_string(w, "x-shipgate-least-role", "viewer");
	sg_jw_key(w, "responses");
	sg_jw_object_begin(w);
	sg_jw_key(w, "200");
	sg_jw_object_begin(w);
	sg_jw_kv_string(w, "description", "added by the test");
	sg_jw_object_end(w);
	sg_jw_object_end(w);
	sg_jw_object_end(w);
	sg_jw_object_end(w);
}

static int on_mutate_event(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	static const char *const paths[] = {"paths", NULL};
	struct mutation *m = ctx;
	int depth = sg_json_depth(r);
	const char *const *const *drop;
	long long v;

	for (drop = m->drop; drop && *drop; drop++)
		if (sg_json_match_prefix(r, *drop))
			return 0;
	if (depth > 0 && is_value_start(ev->type) && sg_json_key(r, depth - 1))
		sg_jw_key(&m->w, sg_json_key(r, depth - 1));
	switch (ev->type) {
	case SG_JSON_NULL:
		sg_jw_null(&m->w);
		break;
	case SG_JSON_TRUE:
	case SG_JSON_FALSE:
		sg_jw_bool(&m->w, ev->type == SG_JSON_TRUE);
		break;
	case SG_JSON_NUMBER:
		/* The document holds whole numbers only. */
		if (sg_json_text_to_ll(ev->text, &v) != 0)
			return sg_json_fail(r, SG_DIAG_BAD_VALUE, "number %.40s is not whole", ev->text);
		sg_jw_int(&m->w, v);
		break;
	case SG_JSON_STRING:
		if (m->replace && sg_json_match(r, m->replace))
			sg_jw_string(&m->w, m->replacement);
		else
			sg_jw_string_n(&m->w, ev->text, ev->len);
		break;
	case SG_JSON_OBJECT_START:
		sg_jw_object_begin(&m->w);
		break;
	case SG_JSON_ARRAY_START:
		sg_jw_array_begin(&m->w);
		break;
	case SG_JSON_OBJECT_END:
		if (m->extra_path && sg_json_match(r, paths))
			write_extra_path(&m->w, m->extra_path);
		sg_jw_object_end(&m->w);
		break;
	case SG_JSON_ARRAY_END:
		sg_jw_array_end(&m->w);
		break;
	}
	return 0;
}

static void mutate(struct mutation *m, struct sg_buf *out)
{
	struct mem src_mem = {sg_openapi_json, sg_openapi_json_len, 0};
	struct sg_json_source src = {mem_read, &src_mem};
	struct sg_error err;

	sg_error_clear(&err);
	sg_buf_init(out, 4U << 20);
	sg_jw_init_buf(&m->w, out, 1);
	assert_int_equal(sg_json_parse(&src, "openapi.json", on_mutate_event, m, &err), 0);
	assert_int_equal(sg_jw_finish(&m->w), 0);
	assert_int_equal(sg_buf_error(out), 0);
}

/* The copy itself changes nothing the comparison sees. */
static void test_unchanged_copy_passes(void **state)
{
	const struct sg_route *routes;
	struct problems *p = sg_calloc(1, sizeof(*p));
	struct mutation m;
	struct sg_error err;
	struct sg_buf copy;
	struct doc *d;
	size_t n;

	(void)state;
	assert_non_null(p);
	memset(&m, 0, sizeof(m));
	mutate(&m, &copy);
	sg_error_clear(&err);
	routes = sg_server_routes(&n);
	assert_int_equal(doc_read(copy.data, copy.len, &d, &err), 0);
	compare(d, routes, n, p);
	print_problems(p);
	assert_int_equal(p->n, 0);
	assert_int_equal(d->n_ops, n);
	sg_free(d);
	sg_buf_release(&copy);
	sg_free(p);
}

static void test_changes_are_reported(void **state)
{
	static const char *const drop_sla[] = {"paths", "/api/v1/products/{product}/sla", NULL};
	static const char *const drop_health_security[] = {"paths", "/healthz", "get", "security", NULL};
	static const char *const drop_triage_body[] = {"paths", "/api/v1/findings/{id}/triage", "post", "requestBody",
						       NULL};
	static const char *const *const drops[] = {drop_sla, drop_health_security, drop_triage_body, NULL};
	static const char *const audit_role[] = {"paths", "/api/v1/audit", "get", "x-shipgate-least-role", NULL};
	const struct sg_route *routes;
	struct problems *p = sg_calloc(1, sizeof(*p));
	struct mutation m;
	struct sg_error err;
	struct sg_buf copy;
	struct doc *d;
	size_t n;

	(void)state;
	assert_non_null(p);
	memset(&m, 0, sizeof(m));
	m.drop = drops;
	m.replace = audit_role;
	m.replacement = "viewer";
	m.extra_path = "/api/v1/extra/{id}";
	mutate(&m, &copy);
	sg_error_clear(&err);
	routes = sg_server_routes(&n);
	assert_int_equal(doc_read(copy.data, copy.len, &d, &err), 0);
	compare(d, routes, n, p);
	print_problems(p);

	/* The path removed, and the path added. */
	assert_int_equal(p->count[P_MISSING], 1);
	assert_true(has_problem(p, "route GET /api/v1/products/{product}/sla is not in the document"));
	assert_int_equal(p->count[P_EXTRA], 1);
	assert_true(has_problem(p, "get /api/v1/extra/{id} is in the document but is no route"));
	/* The added path's undeclared {id} and borrowed operationId. */
	assert_int_equal(p->count[P_PARAM], 1);
	assert_true(has_problem(p, "get /api/v1/extra/{id}: {id} is not declared as a path parameter"));
	assert_int_equal(p->count[P_OPID], 1);
	assert_true(has_problem(p, "operationId \"getGate\" is used twice"));
	/* The admin route said to need only a viewer. */
	assert_int_equal(p->count[P_ROLE], 1);
	assert_true(has_problem(p, "GET /api/v1/audit: x-shipgate-least-role is \"viewer\", the route's access is admin"));
	/* /healthz without its security: [] would ask for a token. */
	assert_int_equal(p->count[P_SECURITY], 1);
	assert_true(has_problem(p, "GET /healthz is public but does not say security: []"));
	assert_int_equal(p->count[P_BODY], 1);
	assert_true(has_problem(p, "POST /api/v1/findings/{id}/triage: the route takes a body, the document has none"));
	assert_int_equal(p->n, 7);

	sg_free(d);
	sg_buf_release(&copy);
	sg_free(p);
}

/* A route table with a route the document lacks, the other way round. */
static void test_extra_route_is_reported(void **state)
{
	const struct sg_route *routes;
	struct sg_route *more;
	struct problems *p = sg_calloc(1, sizeof(*p));
	struct sg_error err;
	struct doc *d;
	size_t n;

	(void)state;
	assert_non_null(p);
	routes = sg_server_routes(&n);
	more = sg_calloc(n + 1, sizeof(*more));
	assert_non_null(more);
	memcpy(more, routes, n * sizeof(*more));
	more[n] = routes[n - 1];
	more[n].method = "DELETE";
	sg_error_clear(&err);
	assert_int_equal(doc_read(sg_openapi_json, sg_openapi_json_len, &d, &err), 0);
	compare(d, more, n + 1, p);
	print_problems(p);
	assert_int_equal(p->n, 1);
	assert_int_equal(p->count[P_MISSING], 1);
	sg_free(d);
	sg_free(more);
	sg_free(p);
}

static void test_path_parameter_ref_checked(void **state)
{
	/* A $ref to no component, and a declared path parameter the path lacks. */
	static const char text[] =
		"{\"openapi\":\"3.1.0\",\"paths\":{"
		"\"/a/{id}\":{\"get\":{\"operationId\":\"a\",\"parameters\":[{\"$ref\":\"#/components/parameters/nope\"}]}},"
		"\"/b\":{\"parameters\":[{\"name\":\"x\",\"in\":\"path\"}],"
		"\"get\":{\"operationId\":\"b\",\"parameters\":[{\"name\":\"y\",\"in\":\"path\"},{\"name\":\"q\",\"in\":\"query\"}]}}"
		"},\"components\":{\"parameters\":{\"id\":{\"name\":\"id\",\"in\":\"path\"}}}}";
	struct problems *p = sg_calloc(1, sizeof(*p));
	struct sg_error err;
	struct doc *d;

	(void)state;
	assert_non_null(p);
	sg_error_clear(&err);
	assert_int_equal(doc_read(text, sizeof(text) - 1, &d, &err), 0);
	assert_int_equal(d->n_ops, 2);
	assert_int_equal(d->n_params, 4);
	compare(d, NULL, 0, p);
	print_problems(p);
	assert_int_equal(p->count[P_EXTRA], 2);
	assert_true(has_problem(p, "/a/{id}: parameter $ref \"#/components/parameters/nope\" names no component parameter"));
	assert_true(has_problem(p, "get /a/{id}: {id} is not declared as a path parameter"));
	assert_true(has_problem(p, "get /b: path parameter \"y\" is not in the path"));
	assert_true(has_problem(p, "/b: path parameter \"x\" is not in the path"));
	assert_int_equal(p->count[P_PARAM], 4);
	sg_free(d);
	sg_free(p);
}

/* A document that is not JSON is refused with the reader's diagnostic. */
static void test_broken_document_refused(void **state)
{
	static const char text[] = "{\"openapi\":\"3.1.0\",\"paths\":{";
	struct sg_error err;
	struct doc *d;

	(void)state;
	sg_error_clear(&err);
	assert_int_not_equal(doc_read(text, sizeof(text) - 1, &d, &err), 0);
	assert_null(d);
	assert_int_equal(err.diag, SG_DIAG_JSON_TRUNCATED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_embedded_is_docs_file),
		cmocka_unit_test(test_document_header),
		cmocka_unit_test(test_document_matches_routes),
		cmocka_unit_test(test_access_roles),
		cmocka_unit_test(test_unchanged_copy_passes),
		cmocka_unit_test(test_changes_are_reported),
		cmocka_unit_test(test_extra_route_is_reported),
		cmocka_unit_test(test_path_parameter_ref_checked),
		cmocka_unit_test(test_broken_document_refused),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
