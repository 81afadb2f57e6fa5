/*
 * The verbs sent to a server: each parses the same options as its local
 * twin, makes one request per docs/api.md (ingest: one per file) and prints
 * the server's JSON answer. Options that cannot apply remotely (a --format
 * other than json, --source-root) are refused, not ignored: the
 * user would otherwise believe they took effect.
 */
#include "cli/remote.h"

#include <stdio.h>
#include <string.h>

#include "app/exceptions.h"
#include "app/findings.h"
#include "cli/args.h"
#include "evidence/keys.h"
#include "util/json_reader.h"
#include "util/json_writer.h"
#include "util/limits.h"

/* ---- requests and answers ---- */

/* What a verb reads from an answer besides printing it. */
struct answer {
	char verdict[16];           /* gate: "pass" or "block" */
	long long blocking_overdue; /* sla */
	int has_overdue;            /* sla: blocking_overdue was in the answer */
	int ok;                     /* audit verify: 1, 0, or -1 when absent */
	char problem[300];          /* audit verify: why not ok */
};

static int on_answer(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	static const char *const verdict[] = {"verdict", NULL};
	static const char *const overdue[] = {"blocking_overdue", NULL};
	static const char *const ok[] = {"ok", NULL};
	static const char *const problem[] = {"problem", NULL};
	struct answer *a = ctx;

	if (ev->type == SG_JSON_STRING && sg_json_match(r, verdict)) {
		snprintf(a->verdict, sizeof(a->verdict), "%s", ev->text);
	} else if (ev->type == SG_JSON_NUMBER && sg_json_match(r, overdue)) {
		if (sg_json_text_to_ll(ev->text, &a->blocking_overdue) != 0)
			return sg_json_fail(r, SG_DIAG_BAD_VALUE, "\"blocking_overdue\" is not an integer");
		a->has_overdue = 1;
	} else if ((ev->type == SG_JSON_TRUE || ev->type == SG_JSON_FALSE) && sg_json_match(r, ok)) {
		a->ok = ev->type == SG_JSON_TRUE;
	} else if (ev->type == SG_JSON_STRING && sg_json_match(r, problem)) {
		snprintf(a->problem, sizeof(a->problem), "%s", ev->text);
	}
	return 0;
}

/* Print a JSON answer, followed by one newline. It is parsed first: what
 * reaches the terminal is then JSON, whose strings cannot carry a raw
 * control character from a hostile server. */
static int print_json(const struct sg_client *c, const struct sg_buf *body, struct answer *a, struct sg_error *err)
{
	struct sg_json_mem m = {body->data, body->len, 0};
	struct sg_json_source src = {sg_json_mem_read, &m};
	size_t len = body->len;
	int rc;

	memset(a, 0, sizeof(*a));
	a->ok = -1;
	if ((rc = sg_json_parse(&src, "the server's answer", on_answer, a, err))) {
		char inner[sizeof(err->message)];
		long line = err->line, column = err->column;
		snprintf(inner, sizeof(inner), "%s", err->message);
		sg_error_clear(err);
		return sg_error_set(err, SG_DIAG_INTERNAL,
				    "the answer from \"%.300s\" is not the JSON expected (at %ld:%ld: %.200s)", c->base, line,
				    column, inner);
	}
	while (len > 0 && (body->data[len - 1] == '\n' || body->data[len - 1] == '\r' ||
			   body->data[len - 1] == ' ' || body->data[len - 1] == '\t'))
		len--;
	fwrite(body->data, 1, len, stdout);
	putchar('\n');
	return 0;
}

struct call {
	const char *method;
	struct sg_buf path;
	const struct sg_client_param *query;
	size_t n_query;
	struct sg_buf json; /* a JSON body, when json_body is set */
	int json_body;
	const char *file;   /* or a document streamed from this file */
	struct sg_jw w;
};

/* A call to /api/v1/<segments...> (escaped one by one). */
static int call_init(struct call *k, const char *method, const char *const *segments, struct sg_error *err)
{
	size_t i;
	int rc = 0;

	memset(k, 0, sizeof(*k));
	k->method = method;
	sg_buf_init(&k->path, SG_CLIENT_MAX_URL_BYTES);
	sg_buf_init(&k->json, SG_HTTP_MAX_JSON_BODY_BYTES);
	sg_buf_adds(&k->path, "/api/v1");
	for (i = 0; segments[i] && !rc; i++)
		rc = sg_client_path(&k->path, segments[i]);
	if (rc == SG_ENOMEM)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	if (rc)
		return sg_error_set(err, SG_DIAG_LIMIT_EXCEEDED, "the request's path is longer than %d bytes",
				    SG_CLIENT_MAX_URL_BYTES);
	return 0;
}

static void call_release(struct call *k)
{
	sg_buf_release(&k->path);
	sg_buf_release(&k->json);
}

/* The JSON body: call_body_begin(), sg_jw_kv_string(&k->w, ...), then call_send(). */
static struct sg_jw *call_body_begin(struct call *k)
{
	k->json_body = 1;
	sg_jw_init_buf(&k->w, &k->json, 0);
	sg_jw_object_begin(&k->w);
	return &k->w;
}

/* A member only when the option was given: the server's bodies take
 * strings, and an absent member means "not given". */
static void body_opt(struct call *k, const char *key, const char *value)
{
	if (value)
		sg_jw_kv_string(&k->w, key, value);
}

/* Send; the answer is left in resp for the caller. */
static int call_send(const struct sg_client *c, struct call *k, size_t max_response,
		     struct sg_client_response *resp, struct sg_error *err)
{
	struct sg_client_request req;

	memset(&req, 0, sizeof(req));
	if (k->json_body) {
		sg_jw_object_end(&k->w);
		if (sg_jw_finish(&k->w) != 0 || sg_buf_error(&k->json)) {
			if (sg_buf_error(&k->json) == SG_ENOMEM)
				return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
			return sg_error_set(err, SG_DIAG_LIMIT_EXCEEDED,
					    "the request is larger than the server takes (%u bytes of JSON)",
					    SG_HTTP_MAX_JSON_BODY_BYTES);
		}
		req.body = k->json.data;
		req.body_len = k->json.len;
		req.content_type = "application/json";
	} else if (k->file) {
		req.body_file = k->file;
		req.content_type = "application/json";
	}
	req.method = k->method;
	req.path = k->path.data;
	req.query = k->query;
	req.n_query = k->n_query;
	req.max_response = max_response;
	return sg_client_call(c, &req, resp, err);
}

/* Send and print the JSON answer. */
static int call_print(const struct sg_client *c, struct call *k, struct answer *a, struct sg_error *err)
{
	struct sg_client_response resp;
	struct answer ignored;
	int rc;

	sg_client_response_init(&resp);
	rc = call_send(c, k, 0, &resp, err);
	if (!rc)
		rc = print_json(c, &resp.body, a ? a : &ignored, err);
	sg_client_response_release(&resp);
	return rc;
}

/* One call with no body and its answer printed: most verbs. */
static int get_print(const struct sg_client *c, const char *const *segments, const struct sg_client_param *query,
		     size_t n_query, struct answer *a, struct sg_error *err)
{
	struct call k;
	int rc;

	if (!(rc = call_init(&k, "GET", segments, err))) {
		k.query = query;
		k.n_query = n_query;
		rc = call_print(c, &k, a, err);
	}
	call_release(&k);
	return rc;
}

/* ---- options that do not apply ---- */

static int refuse_remote_options(const char *format, struct sg_error *err)
{
	if (format && strcmp(format, "json") != 0)
		return sg_error_set(err, SG_DIAG_USAGE,
				    "--format \"%.40s\" does not apply with --server: the server answers JSON "
				    "(--format json)",
				    format);
	return 0;
}

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static int id_text(const char *text, int exception, char out[24], struct sg_error *err)
{
	long long id;
	int rc = exception ? sg_parse_exception_id(text, &id, err) : sg_parse_finding_id(text, &id, err);

	if (!rc)
		snprintf(out, 24, "%lld", id);
	return rc;
}

/* ---- ingest ---- */

static const char ingest_usage[] =
	"shipgate --server URL ingest sarif FILE... --product P [--commit SHA] [--release V] [--kind K] "
	"[--env E] [--category C] (one upload per file, in order, stopping at the first failure)"
	" | ingest sbom FILE --product P [--commit SHA] [--release V]";

static int ingest(const struct sg_client *c, int argc, char **argv, struct sg_error *err)
{
	const char *product = NULL, *commit = NULL, *release = NULL, *kind = NULL, *env = NULL, *category = NULL,
		   *source_root = NULL;
	const struct sg_opt opts[] = {
		{"product", &product, NULL}, {"commit", &commit, NULL}, {"release", &release, NULL},
		{"kind", &kind, NULL},       {"env", &env, NULL},       {"category", &category, NULL},
		{"source-root", &source_root, NULL}, {NULL, NULL, NULL},
	};
	const struct sg_opt sbom_opts[] = {
		{"product", &product, NULL}, {"commit", &commit, NULL}, {"release", &release, NULL},
		{NULL, NULL, NULL},
	};
	const struct sg_client_param query[] = {
		{"commit", NULL}, {"release", NULL}, {"kind", NULL}, {"env", NULL}, {"category", NULL},
	};
	struct sg_client_param q[N_OF(query)];
	struct sg_args args;
	int sarif, rc = 0;
	size_t i;

	if (argc < 1 || (strcmp(argv[0], "sarif") != 0 && strcmp(argv[0], "sbom") != 0))
		return sg_error_set(err, SG_DIAG_USAGE, "usage: %s", ingest_usage);
	sarif = strcmp(argv[0], "sarif") == 0;
	if ((rc = sg_args_parse(argc - 1, argv + 1, sarif ? opts : sbom_opts, &args, err)) ||
	    (rc = sg_args_count(&args, 1, sarif ? SG_MAX_INGEST_FILES : 1, ingest_usage, err)) ||
	    (rc = sg_args_require(product, "product", err)))
		return rc;
	if (source_root)
		return sg_error_set(err, SG_DIAG_USAGE,
				    "--source-root does not apply with --server: the server cannot read this machine's files");
	memcpy(q, query, sizeof(q));
	q[0].value = commit;
	q[1].value = release;
	q[2].value = kind;
	q[3].value = env;
	q[4].value = category;
	for (i = 0; i < args.n_positional && !rc; i++) {
		const char *segments[] = {"products", product, argv[0], NULL};
		struct call k;
		if (!(rc = call_init(&k, "POST", segments, err))) {
			k.query = q;
			k.n_query = sarif ? N_OF(q) : 2;
			k.file = args.positional[i];
			rc = call_print(c, &k, NULL, err);
		}
		call_release(&k);
		if (rc) {
			sg_error_where(err, args.positional[i]);
			if (args.n_positional > 1)
				fprintf(stderr, "shipgate: stopped at file %zu of %zu; the files after it were not sent\n",
					i + 1, args.n_positional);
		}
	}
	return rc;
}

/* ---- findings ---- */

static int findings_list(const struct sg_client *c, int argc, char **argv, struct sg_error *err)
{
	const char *product = NULL, *status = NULL, *severity = NULL, *page = NULL, *per_page = NULL, *format = NULL,
		   *limit = NULL;
	const struct sg_opt opts[] = {
		{"product", &product, NULL}, {"status", &status, NULL},     {"severity", &severity, NULL},
		{"page", &page, NULL},       {"per-page", &per_page, NULL}, {"format", &format, NULL},
		{"limit", &limit, NULL},     {NULL, NULL, NULL},
	};
	struct sg_args args;
	int rc;

	if ((rc = sg_args_parse(argc, argv, opts, &args, err)) ||
	    (rc = sg_args_count(&args, 0, 0,
				"shipgate --server URL findings [list] --product P [--status S] [--severity S] "
				"[--page N] [--per-page N]",
				err)) ||
	    (rc = sg_args_require(product, "product", err)) || (rc = refuse_remote_options(format, err)))
		return rc;
	if (limit)
		return sg_error_set(err, SG_DIAG_USAGE, "--limit does not apply with --server: the server answers "
							 "in pages (--page N, --per-page N)");
	{
		const char *segments[] = {"products", product, "findings", NULL};
		const struct sg_client_param q[] = {
			{"status", status}, {"severity", severity}, {"page", page}, {"per_page", per_page},
		};
		return get_print(c, segments, q, N_OF(q), NULL, err);
	}
}

static int findings(const struct sg_client *c, int argc, char **argv, struct sg_error *err)
{
	const char *format = NULL, *status = NULL, *reason = NULL;
	const struct sg_opt show_opts[] = {{"format", &format, NULL}, {NULL, NULL, NULL}};
	const struct sg_opt triage_opts[] = {
		{"status", &status, NULL}, {"reason", &reason, NULL}, {NULL, NULL, NULL}};
	struct sg_args args;
	char id[24];
	int rc;

	if (argc >= 1 && strcmp(argv[0], "show") == 0) {
		const char *segments[] = {"findings", id, NULL};
		if ((rc = sg_args_parse(argc - 1, argv + 1, show_opts, &args, err)) ||
		    (rc = sg_args_count(&args, 1, 1, "shipgate --server URL findings show ID", err)) ||
		    (rc = refuse_remote_options(format, err)) || (rc = id_text(args.positional[0], 0, id, err)))
			return rc;
		return get_print(c, segments, NULL, 0, NULL, err);
	}
	if (argc >= 1 && strcmp(argv[0], "triage") == 0) {
		const char *segments[] = {"findings", id, "triage", NULL};
		struct call k;
		if ((rc = sg_args_parse(argc - 1, argv + 1, triage_opts, &args, err)) ||
		    (rc = sg_args_count(&args, 1, 1, "shipgate --server URL findings triage ID --status S --reason TEXT",
					err)) ||
		    (rc = id_text(args.positional[0], 0, id, err)) || (rc = sg_args_require(status, "status", err)) ||
		    (rc = sg_args_require(reason, "reason", err)))
			return rc;
		if (!(rc = call_init(&k, "POST", segments, err))) {
			call_body_begin(&k);
			body_opt(&k, "status", status);
			body_opt(&k, "reason", reason);
			rc = call_print(c, &k, NULL, err);
		}
		call_release(&k);
		return rc;
	}
	if (argc >= 1 && strcmp(argv[0], "list") == 0)
		return findings_list(c, argc - 1, argv + 1, err);
	return findings_list(c, argc, argv, err);
}

/* ---- release, gate, sla ---- */

static int release(const struct sg_client *c, int argc, char **argv, struct sg_error *err)
{
	static const char usage[] = "shipgate --server URL release create PRODUCT VERSION --commit SHA "
				    "[--build-digest D]";
	const char *commit = NULL, *digest = NULL;
	const struct sg_opt opts[] = {
		{"commit", &commit, NULL}, {"build-digest", &digest, NULL}, {NULL, NULL, NULL}};
	struct sg_args args;
	struct call k;
	int rc;

	if (argc < 1 || strcmp(argv[0], "create") != 0)
		return sg_error_set(err, SG_DIAG_USAGE, "usage: %s", usage);
	if ((rc = sg_args_parse(argc - 1, argv + 1, opts, &args, err)) ||
	    (rc = sg_args_count(&args, 2, 2, usage, err)) || (rc = sg_args_require(commit, "commit", err)))
		return rc;
	{
		const char *segments[] = {"products", args.positional[0], "releases", NULL};
		if (!(rc = call_init(&k, "POST", segments, err))) {
			call_body_begin(&k);
			body_opt(&k, "version", args.positional[1]);
			body_opt(&k, "commit", commit);
			body_opt(&k, "build_digest", digest);
			rc = call_print(c, &k, NULL, err);
		}
	}
	call_release(&k);
	return rc;
}

static int gate(const struct sg_client *c, int argc, char **argv, struct sg_error *err)
{
	const char *product = NULL, *rel = NULL, *format = NULL;
	const struct sg_opt opts[] = {
		{"product", &product, NULL}, {"release", &rel, NULL}, {"format", &format, NULL}, {NULL, NULL, NULL}};
	struct sg_args args;
	struct answer a;
	int rc;

	if ((rc = sg_args_parse(argc, argv, opts, &args, err)) ||
	    (rc = sg_args_count(&args, 0, 0, "shipgate --server URL gate --product P [--release V]", err)) ||
	    (rc = sg_args_require(product, "product", err)) || (rc = refuse_remote_options(format, err)))
		return rc;
	{
		const char *segments[] = {"products", product, "gate", NULL};
		const struct sg_client_param q[] = {{"release", rel}};
		if ((rc = get_print(c, segments, q, N_OF(q), &a, err)))
			return rc;
	}
	/* Exit 0 only on an explicit pass: a CI step must not let a release
	 * through on an answer it does not understand. */
	if (strcmp(a.verdict, "block") == 0)
		return SG_EPOLICY;
	if (strcmp(a.verdict, "pass") != 0)
		return sg_error_set(err, SG_DIAG_INTERNAL, "the gate's answer from \"%.300s\" has no verdict pass or block",
				    c->base);
	return 0;
}

static int sla(const struct sg_client *c, int argc, char **argv, struct sg_error *err)
{
	const char *product = NULL, *format = NULL;
	const struct sg_opt opts[] = {{"product", &product, NULL}, {"format", &format, NULL}, {NULL, NULL, NULL}};
	struct sg_args args;
	struct answer a;
	int rc;

	if ((rc = sg_args_parse(argc, argv, opts, &args, err)) ||
	    (rc = sg_args_count(&args, 0, 0, "shipgate --server URL sla --product P", err)) ||
	    (rc = sg_args_require(product, "product", err)) || (rc = refuse_remote_options(format, err)))
		return rc;
	{
		const char *segments[] = {"products", product, "sla", NULL};
		if ((rc = get_print(c, segments, NULL, 0, &a, err)))
			return rc;
	}
	/* As the local `sla`: exit 1 when a blocking finding is overdue, so a
	 * scheduled job alerts the same way against a server; an answer that
	 * does not say cannot pass for "nothing overdue". */
	if (!a.has_overdue)
		return sg_error_set(err, SG_DIAG_INTERNAL, "the server's SLA answer has no \"blocking_overdue\"");
	return a.blocking_overdue > 0 ? SG_EPOLICY : 0;
}

/* ---- exceptions ---- */

static const char exception_usage[] =
	"shipgate --server URL exception request (--finding ID | --rule TOOL:RULE | --component PURL)\n"
	"                 (--product P | --all-products) --reason TEXT --expires YYYY-MM-DD\n"
	"  | exception approve ID (--key FILE | --signature FILE)\n"
	"  | exception revoke ID --reason TEXT\n"
	"  | exception list [--status pending|active|expired|revoked] [--product P]\n"
	"  | exception payload ID\n"
	"(the server acts as the token's user; --as, if given, must name that user)";

static int exception_request(const struct sg_client *c, int argc, char **argv, struct sg_error *err)
{
	const char *finding = NULL, *rule = NULL, *component = NULL, *product = NULL, *reason = NULL,
		   *expires = NULL, *as = NULL;
	int all_products = 0;
	const struct sg_opt opts[] = {
		{"finding", &finding, NULL}, {"rule", &rule, NULL},       {"component", &component, NULL},
		{"product", &product, NULL}, {"all-products", NULL, &all_products},
		{"reason", &reason, NULL},   {"expires", &expires, NULL}, {"as", &as, NULL},
		{NULL, NULL, NULL},
	};
	const char *segments[] = {"exceptions", NULL};
	struct sg_args args;
	struct call k;
	int rc;

	if ((rc = sg_args_parse(argc, argv, opts, &args, err)) ||
	    (rc = sg_args_count(&args, 0, 0, exception_usage, err)))
		return rc;
	/* The rules (one scope, one of product and every product, a reason,
	 * a date) are the server's: app/ checks them once for both faces. */
	if (!(rc = call_init(&k, "POST", segments, err))) {
		call_body_begin(&k);
		body_opt(&k, "finding", finding);
		body_opt(&k, "rule", rule);
		body_opt(&k, "component", component);
		body_opt(&k, "product", product);
		if (all_products) {
			sg_jw_key(&k.w, "all_products");
			sg_jw_bool(&k.w, 1);
		}
		body_opt(&k, "reason", reason);
		body_opt(&k, "expires", expires);
		body_opt(&k, "as", as);
		rc = call_print(c, &k, NULL, err);
	}
	call_release(&k);
	return rc;
}

/* The text to sign, fetched from the server. It must be the approval text
 * of exception `id`: a server cannot get this key to sign another. */
static int fetch_payload(const struct sg_client *c, const char *id, struct sg_client_response *resp,
			 struct sg_error *err)
{
	const char *segments[] = {"exceptions", id, "payload", NULL};
	char head[64];
	struct call k;
	int rc;

	if (!(rc = call_init(&k, "GET", segments, err)))
		rc = call_send(c, &k, SG_SIGNED_MAX_BYTES, resp, err);
	call_release(&k);
	if (rc)
		return rc;
	snprintf(head, sizeof(head), "shipgate-exception-approval-v1\nid: %s\n", id);
	if (resp->body.len < strlen(head) || memcmp(resp->body.data, head, strlen(head)) != 0 ||
	    memchr(resp->body.data, '\0', resp->body.len))
		return sg_error_set(err, SG_DIAG_INTERNAL,
				    "the payload from \"%.300s\" is not the approval text of exception %s; nothing signed",
				    c->base, id);
	return 0;
}

static int exception_approve(const struct sg_client *c, int argc, char **argv, struct sg_error *err)
{
	const char *as = NULL, *key_path = NULL, *sig_path = NULL;
	const struct sg_opt opts[] = {
		{"as", &as, NULL}, {"key", &key_path, NULL}, {"signature", &sig_path, NULL}, {NULL, NULL, NULL}};
	const char *segments[] = {"exceptions", NULL, "approve", NULL};
	struct sg_client_response resp;
	struct sg_secret_key key;
	struct sg_signature sig;
	char text[SG_SIGNATURE_TEXT_BYTES];
	struct sg_args args;
	struct call k;
	char id[24];
	int rc;

	if ((rc = sg_args_parse(argc, argv, opts, &args, err)) ||
	    (rc = sg_args_count(&args, 1, 1, exception_usage, err)) ||
	    (rc = id_text(args.positional[0], 1, id, err)))
		return rc;
	if (!!key_path == !!sig_path)
		return sg_error_set(err, SG_DIAG_USAGE, "give exactly one of --key FILE and --signature FILE");
	segments[1] = id;
	if (sig_path) {
		if ((rc = sg_signature_read(sig_path, &sig, err)))
			return rc;
	} else {
		/* Sign here: only the signature goes to the server. The key is
		 * read after the payload arrived, so it is in memory briefly. */
		sg_client_response_init(&resp);
		rc = fetch_payload(c, id, &resp, err);
		if (!rc && !(rc = sg_secret_key_read(key_path, &key, err))) {
			sg_sign(&key, resp.body.data, resp.body.len, &sig);
			sg_secret_key_wipe(&key);
		}
		sg_client_response_release(&resp);
		if (rc)
			return rc;
	}
	sg_signature_format(&sig, text);
	if (!(rc = call_init(&k, "POST", segments, err))) {
		call_body_begin(&k);
		body_opt(&k, "signature", text);
		body_opt(&k, "as", as);
		rc = call_print(c, &k, NULL, err);
	}
	call_release(&k);
	return rc;
}

static int exception_revoke(const struct sg_client *c, int argc, char **argv, struct sg_error *err)
{
	const char *as = NULL, *reason = NULL;
	const struct sg_opt opts[] = {{"as", &as, NULL}, {"reason", &reason, NULL}, {NULL, NULL, NULL}};
	const char *segments[] = {"exceptions", NULL, "revoke", NULL};
	struct sg_args args;
	struct call k;
	char id[24];
	int rc;

	if ((rc = sg_args_parse(argc, argv, opts, &args, err)) ||
	    (rc = sg_args_count(&args, 1, 1, exception_usage, err)) ||
	    (rc = id_text(args.positional[0], 1, id, err)))
		return rc;
	segments[1] = id;
	if (!(rc = call_init(&k, "POST", segments, err))) {
		call_body_begin(&k);
		body_opt(&k, "reason", reason);
		body_opt(&k, "as", as);
		rc = call_print(c, &k, NULL, err);
	}
	call_release(&k);
	return rc;
}

static int exception_list(const struct sg_client *c, int argc, char **argv, struct sg_error *err)
{
	const char *status = NULL, *product = NULL, *format = NULL;
	const struct sg_opt opts[] = {
		{"status", &status, NULL}, {"product", &product, NULL}, {"format", &format, NULL}, {NULL, NULL, NULL}};
	const char *segments[] = {"exceptions", NULL};
	struct sg_args args;
	int rc;

	if ((rc = sg_args_parse(argc, argv, opts, &args, err)) ||
	    (rc = sg_args_count(&args, 0, 0, exception_usage, err)) || (rc = refuse_remote_options(format, err)))
		return rc;
	{
		const struct sg_client_param q[] = {{"status", status}, {"product", product}};
		return get_print(c, segments, q, N_OF(q), NULL, err);
	}
}

/* The exact bytes, as they are: they are meant for `key sign`. */
static int exception_payload(const struct sg_client *c, int argc, char **argv, struct sg_error *err)
{
	struct sg_client_response resp;
	struct sg_args args;
	char id[24];
	int rc;

	if ((rc = sg_args_parse(argc, argv, NULL, &args, err)) ||
	    (rc = sg_args_count(&args, 1, 1, exception_usage, err)) || (rc = id_text(args.positional[0], 1, id, err)))
		return rc;
	sg_client_response_init(&resp);
	if (!(rc = fetch_payload(c, id, &resp, err)))
		fwrite(resp.body.data, 1, resp.body.len, stdout);
	sg_client_response_release(&resp);
	return rc;
}

static int exception(const struct sg_client *c, int argc, char **argv, struct sg_error *err)
{
	static const struct {
		const char *name;
		int (*fn)(const struct sg_client *, int, char **, struct sg_error *);
	} subs[] = {
		{"request", exception_request}, {"approve", exception_approve}, {"revoke", exception_revoke},
		{"list", exception_list},       {"payload", exception_payload},
	};
	size_t i;

	for (i = 0; argc >= 1 && i < N_OF(subs); i++)
		if (strcmp(argv[0], subs[i].name) == 0)
			return subs[i].fn(c, argc - 1, argv + 1, err);
	return sg_error_set(err, SG_DIAG_USAGE, "usage: %s", exception_usage);
}

/* ---- audit ---- */

static int audit(const struct sg_client *c, int argc, char **argv, struct sg_error *err)
{
	static const char usage[] = "shipgate --server URL audit log [--since DATE] | audit verify [--anchor HASH]";
	const char *since = NULL, *format = NULL, *anchor = NULL;
	const struct sg_opt log_opts[] = {{"since", &since, NULL}, {"format", &format, NULL}, {NULL, NULL, NULL}};
	const struct sg_opt verify_opts[] = {{"anchor", &anchor, NULL}, {"format", &format, NULL}, {NULL, NULL, NULL}};
	struct sg_args args;
	struct answer a;
	int rc;

	if (argc >= 1 && strcmp(argv[0], "log") == 0) {
		const char *segments[] = {"audit", NULL};
		if ((rc = sg_args_parse(argc - 1, argv + 1, log_opts, &args, err)) ||
		    (rc = sg_args_count(&args, 0, 0, usage, err)) || (rc = refuse_remote_options(format, err)))
			return rc;
		{
			const struct sg_client_param q[] = {{"since", since}};
			return get_print(c, segments, q, N_OF(q), NULL, err);
		}
	}
	if (argc >= 1 && strcmp(argv[0], "verify") == 0) {
		const char *segments[] = {"audit", "verify", NULL};
		if ((rc = sg_args_parse(argc - 1, argv + 1, verify_opts, &args, err)) ||
		    (rc = sg_args_count(&args, 0, 0, usage, err)) || (rc = refuse_remote_options(format, err)))
			return rc;
		{
			const struct sg_client_param q[] = {{"anchor", anchor}};
			if ((rc = get_print(c, segments, q, N_OF(q), &a, err)))
				return rc;
		}
		/* As the local verify: a ledger that fails is the policy not met. */
		if (a.ok == 0)
			return sg_error_set(err, SG_DIAG_AUDIT_BROKEN, "audit verify FAILED on the server: %s",
					    a.problem[0] ? a.problem : "(no problem named)");
		if (a.ok < 0)
			return sg_error_set(err, SG_DIAG_INTERNAL, "the server's verification answer has no \"ok\"");
		return 0;
	}
	return sg_error_set(err, SG_DIAG_USAGE, "usage: %s", usage);
}

int sg_remote_run(const struct sg_client *c, int argc, char **argv, struct sg_error *err)
{
	static const struct {
		const char *name;
		int (*fn)(const struct sg_client *, int, char **, struct sg_error *);
	} verbs[] = {
		{"ingest", ingest}, {"findings", findings},   {"release", release}, {"gate", gate},
		{"sla", sla},       {"exception", exception}, {"audit", audit},
	};
	size_t i;

	for (i = 0; argc >= 1 && i < N_OF(verbs); i++)
		if (strcmp(argv[0], verbs[i].name) == 0)
			return verbs[i].fn(c, argc - 1, argv + 1, err);
	return sg_error_set(err, SG_DIAG_USAGE,
			    "\"%.40s\" does not work with --server (or $SHIPGATE_SERVER; --server '' acts locally); "
			    "the verbs that do: " SG_REMOTE_VERBS,
			    argc >= 1 ? argv[0] : "");
}
