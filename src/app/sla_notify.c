/*
 * The sla-notices job (jobs.h): for each open finding whose deadline under
 * clause remediate.sla has passed ("overdue") or falls within the configured
 * window ("due-soon"), and that no active exception waives, one notice per
 * (finding, stage), ever: a JSON line on the server's log, or a JSON POST to
 * a webhook.
 *
 * Exactly once, across servers: each notice is marked, sent and committed
 * in one write transaction of its own. The mark (store.h
 * sg_store_notice_mark) is a unique key, so a second server running the job
 * at the same time (a run-now while a run is in progress) waits for the
 * first one's transaction and then finds the notice marked: it sends
 * nothing. A delivery that fails rolls its mark back, so the notice goes
 * out with a later run instead of never; the run stops there (a webhook that
 * is down would fail the rest too, each holding the write lock for its
 * timeout). Only a commit failing after a delivery succeeded could send one
 * twice. Marking and committing first, then sending, would lose the notice
 * whenever the webhook is down; sending first, then marking, would let two
 * overlapping runs both send.
 */
#include "app/jobs.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "app/findings.h"
#include "app/gate.h"
#include "core/sla.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/json_writer.h"
#include "util/timeutil.h"

#define STAGE_OVERDUE "overdue"
#define STAGE_DUE_SOON "due-soon"
/* One notice's JSON: a finding's message is cut at 8 KiB when read. */
#define NOTICE_MAX_BYTES (64U << 10)

/* ---- where notices go ---- */

struct target_url {
	int ok;
	int loopback;
	char scheme[8];
	char host[256]; /* for messages: never the path or query, which may hold a secret */
	char port[8];   /* "" when the URL names none */
};

static int is_loopback_host(const char *host)
{
	unsigned char a4[4], a6[16];
	char inner[64];
	size_t len = strlen(host);

	if (strcmp(host, "localhost") == 0)
		return 1;
	if (inet_pton(AF_INET, host, a4) == 1)
		return a4[0] == 127;
	/* curl gives an IPv6 host in brackets. */
	if (len >= 2 && len - 2 < sizeof(inner) && host[0] == '[' && host[len - 1] == ']') {
		memcpy(inner, host + 1, len - 2);
		inner[len - 2] = '\0';
		if (inet_pton(AF_INET6, inner, a6) == 1) {
			static const unsigned char one[16] = {[15] = 1};
			return memcmp(a6, one, sizeof(one)) == 0;
		}
	}
	return 0;
}

static void parse_target(const char *url, struct target_url *out)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *user = NULL, *password = NULL, *port = NULL;

	memset(out, 0, sizeof(*out));
	if (!u)
		return;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_USER, &user, 0) != CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PASSWORD, &password, 0) != CURLUE_OK && strlen(scheme) < sizeof(out->scheme) &&
	    strlen(host) < sizeof(out->host)) {
		snprintf(out->scheme, sizeof(out->scheme), "%s", scheme);
		snprintf(out->host, sizeof(out->host), "%s", host);
		out->loopback = is_loopback_host(host);
		out->ok = 1;
		if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK && strlen(port) < sizeof(out->port))
			snprintf(out->port, sizeof(out->port), "%s", port);
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(user);
	curl_free(password);
	curl_free(port);
	curl_url_cleanup(u);
}

int sg_jobs_check_notify(const char *target, struct sg_error *err)
{
	struct target_url t;

	if (target && strcmp(target, "log") == 0)
		return 0;
	if (!target || strncmp(target, "http", 4) != 0)
		return sg_error_set(err, SG_DIAG_BAD_VALUE, "--sla-notify must be \"log\" or a webhook's https:// URL");
	parse_target(target, &t);
	if (!t.ok)
		return sg_error_set(err, SG_DIAG_BAD_VALUE,
				    "--sla-notify: not a URL with a host, or it holds a user or password");
	if (strcmp(t.scheme, "https") == 0 || (strcmp(t.scheme, "http") == 0 && t.loopback))
		return 0;
	return sg_error_set(err, SG_DIAG_BAD_VALUE,
			    "--sla-notify: a webhook takes https://, or http:// to this machine only (127.0.0.1, ::1, "
			    "localhost): notices name findings");
}

int sg_webhook_global_init(struct sg_error *err)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return sg_error_set(err, SG_DIAG_INTERNAL, "cannot initialise libcurl");
	return 0;
}

void sg_webhook_global_cleanup(void)
{
	curl_global_cleanup();
}

/* ---- delivery ---- */

struct sink {
	const struct sg_jobs_config *cfg;
	const struct sg_jobs_hooks *hooks;
	struct target_url target;
	CURL *curl;                  /* one connection for the run's notices */
	struct curl_slist *headers;
	char errbuf[CURL_ERROR_SIZE];
};

static size_t discard_answer(char *data, size_t size, size_t nmemb, void *ctx)
{
	(void)data;
	(void)ctx;
	return size * nmemb;
}

static int sink_open(struct sink *s, const struct sg_jobs_config *cfg, const struct sg_jobs_hooks *hooks,
		     struct sg_error *err)
{
	CURLcode cc = CURLE_OK;

	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->hooks = hooks;
	if (strcmp(cfg->sla_notify, "log") == 0)
		return 0;
	parse_target(cfg->sla_notify, &s->target);
	s->curl = curl_easy_init();
	s->headers = curl_slist_append(NULL, "Content-Type: application/json");
	if (!s->curl || !s->headers)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
#define SET(opt, val)                                           \
	do {                                                    \
		if (cc == CURLE_OK)                             \
			cc = curl_easy_setopt(s->curl, opt, val); \
	} while (0)
	SET(CURLOPT_URL, cfg->sla_notify);
	/* The scheme checked, and no redirect to anywhere else. */
	SET(CURLOPT_PROTOCOLS_STR, s->target.scheme);
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	if (s->target.loopback)
		SET(CURLOPT_PROXY, ""); /* this machine is reached directly */
	SET(CURLOPT_HTTPHEADER, s->headers);
	SET(CURLOPT_USERAGENT, "shipgate");
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_CONNECTTIMEOUT, (long)SG_WEBHOOK_CONNECT_TIMEOUT_S);
	SET(CURLOPT_TIMEOUT, (long)SG_WEBHOOK_TIMEOUT_S);
	SET(CURLOPT_WRITEFUNCTION, discard_answer);
	SET(CURLOPT_ERRORBUFFER, s->errbuf);
	SET(CURLOPT_POST, 1L);
#undef SET
	if (cc != CURLE_OK)
		return sg_error_set(err, SG_DIAG_INTERNAL, "libcurl refused an option: %s", curl_easy_strerror(cc));
	return 0;
}

static void sink_close(struct sink *s)
{
	if (s->curl)
		curl_easy_cleanup(s->curl);
	curl_slist_free_all(s->headers);
	s->curl = NULL;
	s->headers = NULL;
}

/* What the summary calls the target: never the whole URL. */
static void sink_name(const struct sink *s, char *out, size_t size)
{
	if (!s->curl)
		snprintf(out, size, "the log");
	else
		snprintf(out, size, "the webhook at %s://%s%s%s", s->target.scheme, s->target.host,
			 s->target.port[0] ? ":" : "", s->target.port);
}

static int log_notice(const struct sink *s, const char *body)
{
	char when[SG_TIME_TEXT];
	struct sg_buf line;

	if (!s->hooks || !s->hooks->log_line)
		return 0;
	/* The log's lines begin with their time; the notice's members follow
	 * (body is our own writer's object, so it starts with "{"). */
	sg_time_format(time(NULL), when);
	sg_buf_init(&line, NOTICE_MAX_BYTES + 64);
	sg_buf_printf(&line, "{\"time\":\"%s\",%s", when, body + 1);
	if (!sg_buf_error(&line))
		s->hooks->log_line(s->hooks->ctx, line.data);
	sg_buf_release(&line);
	return 0;
}

static int post_notice(struct sink *s, const char *body, struct sg_error *err)
{
	char where[300];
	long status = 0;
	CURLcode cc;

	sink_name(s, where, sizeof(where));
	s->errbuf[0] = '\0';
	if ((cc = curl_easy_setopt(s->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body))) != CURLE_OK ||
	    (cc = curl_easy_setopt(s->curl, CURLOPT_POSTFIELDS, body)) != CURLE_OK)
		return sg_error_set(err, SG_DIAG_INTERNAL, "libcurl refused an option: %s", curl_easy_strerror(cc));
	cc = curl_easy_perform(s->curl);
	if (cc != CURLE_OK)
		return sg_error_set(err, SG_DIAG_UNAVAILABLE, "cannot deliver to %s: %.200s", where,
				    s->errbuf[0] ? s->errbuf : curl_easy_strerror(cc));
	curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status < 200 || status > 299)
		return sg_error_set(err, SG_DIAG_UNAVAILABLE, "%s answered HTTP %ld", where, status);
	return 0;
}

static int deliver(struct sink *s, const char *body, struct sg_error *err)
{
	return s->curl ? post_notice(s, body, err) : log_notice(s, body);
}

/* ---- what is due ---- */

struct notice {
	long long finding_id;
	int overdue;
	char *body;
};

struct noticed {
	long long finding_id;
	int overdue;
};

struct product {
	long long id;
	char *name;
};

struct scan {
	const struct sg_policy *policy;
	time_t now;
	/* The notices sent before, sorted, to pass over without a write. */
	struct noticed *seen;
	size_t n_seen, cap_seen;
	struct product *products;
	size_t n_products, cap_products;
	struct notice *pending;
	size_t n_pending;
	int full;    /* SG_JOB_MAX_NOTICES reached: the rest wait */
	int failed;  /* out of memory */
};

static int cmp_noticed(const void *a, const void *b)
{
	const struct noticed *x = a, *y = b;

	if (x->finding_id != y->finding_id)
		return x->finding_id < y->finding_id ? -1 : 1;
	return x->overdue - y->overdue;
}

static int grow(void **items, size_t *cap, size_t n, size_t size)
{
	size_t new_cap;
	void *p;

	if (n < *cap)
		return 0;
	new_cap = *cap ? *cap * 2 : 64;
	p = sg_realloc_array(*items, new_cap, size);
	if (!p)
		return -1;
	*items = p;
	*cap = new_cap;
	return 0;
}

static int take_noticed(void *ctx, const struct sg_cell *cells, size_t n, struct sg_error *err)
{
	struct scan *sc = ctx;

	if (n != 2 || cells[0].type != SG_CELL_INT || cells[1].type != SG_CELL_TEXT)
		return 0; /* not a stage of ours: nothing to pass over */
	if (grow((void **)&sc->seen, &sc->cap_seen, sc->n_seen, sizeof(*sc->seen)) != 0)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	sc->seen[sc->n_seen].finding_id = cells[0].i;
	sc->seen[sc->n_seen].overdue = strcmp(cells[1].p, STAGE_OVERDUE) == 0;
	sc->n_seen++;
	return 0;
}

static int take_product(void *ctx, const struct sg_cell *cells, size_t n, struct sg_error *err)
{
	struct scan *sc = ctx;
	char *name;

	if (n != 2 || cells[0].type != SG_CELL_INT || cells[1].type != SG_CELL_TEXT)
		return sg_error_set(err, SG_DIAG_STORE_FAILED, "a product's row is not an id and a name");
	if (grow((void **)&sc->products, &sc->cap_products, sc->n_products, sizeof(*sc->products)) != 0 ||
	    !(name = sg_strdup(cells[1].p)))
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	sc->products[sc->n_products].id = cells[0].i;
	sc->products[sc->n_products].name = name;
	sc->n_products++;
	return 0;
}

static int noticed_before(const struct scan *sc, long long finding_id, int overdue)
{
	struct noticed key = {finding_id, overdue};

	return sc->n_seen && bsearch(&key, sc->seen, sc->n_seen, sizeof(key), cmp_noticed) != NULL;
}

static char *notice_body(const struct sg_finding *f, time_t due, int overdue)
{
	char when[SG_TIME_TEXT];
	struct sg_buf b;
	struct sg_jw w;

	sg_time_format(due, when);
	sg_buf_init(&b, NOTICE_MAX_BYTES);
	sg_jw_init_buf(&w, &b, 0);
	sg_jw_object_begin(&w);
	sg_jw_kv_string(&w, "event", "sla_notice");
	sg_jw_kv_string(&w, "stage", overdue ? STAGE_OVERDUE : STAGE_DUE_SOON);
	sg_jw_kv_string(&w, "due", when);
	sg_jw_kv_string(&w, "product", f->product);
	sg_jw_key(&w, "finding");
	sg_finding_json(&w, f);
	sg_jw_object_end(&w);
	if (sg_jw_finish(&w) != 0 || sg_buf_error(&b)) {
		sg_buf_release(&b);
		return NULL;
	}
	return sg_buf_detach(&b, NULL);
}

static int take_finding(void *ctx, const struct sg_finding *f)
{
	struct scan *sc = ctx;
	struct notice *n;
	time_t due = 0;
	int overdue;

	if (!sg_sla_due(sc->policy, f->severity, f->first_seen_at, &due))
		return 0;
	overdue = due <= sc->now;
	if (noticed_before(sc, f->id, overdue))
		return 0;
	if (sc->n_pending == SG_JOB_MAX_NOTICES) {
		sc->full = 1;
		return 1; /* stops the listing: the rest wait for the next run */
	}
	n = &sc->pending[sc->n_pending];
	n->finding_id = f->id;
	n->overdue = overdue;
	n->body = notice_body(f, due, overdue);
	if (!n->body) {
		sc->failed = 1;
		return 1;
	}
	sc->n_pending++;
	return 0;
}

/* One product's due findings, severity by severity, in a read transaction. */
static int scan_product(struct sg_app *app, struct sg_store *store, const struct sg_jobs_config *cfg,
			struct scan *sc, const struct product *p, struct sg_error *err)
{
	time_t window_end = sc->now + (time_t)cfg->sla_due_soon_days * 86400;
	struct sg_finding_filter q;
	long long *waivers = NULL;
	size_t n_waivers = 0;
	int sev, rc;

	if ((rc = sg_app_begin_synced(app, store, p->id, p->name, err)))
		return rc;
	rc = sg_gate_active_waivers(store, sc->policy, p->id, sc->now, &waivers, &n_waivers, err);
	for (sev = SG_SEV_CRITICAL; sev >= SG_SEV_INFO && !rc && !sc->full && !sc->failed; sev--) {
		if (sc->policy->sla_days[sev] <= 0)
			continue;
		memset(&q, 0, sizeof(q));
		q.product_id = p->id;
		q.status = SG_STATUS_OPEN;
		q.min_severity = (enum sg_severity)sev;
		q.one_severity = 1;
		q.by_first_seen = 1;
		q.first_seen_until = sg_sla_first_seen_cutoff(sc->policy, (enum sg_severity)sev, window_end);
		q.waivers = waivers;
		q.n_waivers = n_waivers;
		q.waiver_mode = SG_WAIVERS_EXCLUDE;
		rc = sg_store_findings_list(store, &q, take_finding, sc, err);
		if (rc == 1)
			rc = 0; /* take_finding stopped it */
	}
	sg_free(waivers);
	if (!rc && sc->failed)
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	if (rc) {
		sg_store_rollback(store);
		return rc;
	}
	return sg_store_commit(store, err);
}

static int collect(struct sg_app *app, struct sg_store *store, const struct sg_jobs_config *cfg, struct scan *sc,
		   struct sg_error *err)
{
	static const char *const notice_columns[] = {"finding_id", "stage"};
	static const char *const product_columns[] = {"id", "name"};
	size_t i;
	int rc;

	sc->pending = sg_calloc(SG_JOB_MAX_NOTICES, sizeof(*sc->pending));
	if (!sc->pending)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	if ((rc = sg_store_table_rows(store, "sla_notice", notice_columns, 2, take_noticed, sc, err)) ||
	    (rc = sg_store_table_rows(store, "product", product_columns, 2, take_product, sc, err)))
		return rc;
	if (sc->n_seen)
		qsort(sc->seen, sc->n_seen, sizeof(*sc->seen), cmp_noticed);
	for (i = 0; i < sc->n_products && !sc->full; i++)
		if ((rc = scan_product(app, store, cfg, sc, &sc->products[i], err)))
			return rc;
	return 0;
}

static void scan_release(struct scan *sc)
{
	size_t i;

	for (i = 0; i < sc->n_pending; i++)
		sg_free(sc->pending[i].body);
	for (i = 0; i < sc->n_products; i++)
		sg_free(sc->products[i].name);
	sg_free(sc->pending);
	sg_free(sc->products);
	sg_free(sc->seen);
}

/* ---- sending ---- */

struct tally {
	long long sent[2]; /* [overdue] */
	long long already; /* marked by another run meanwhile */
};

/* Mark, send, commit: one notice, in one write transaction. */
static int send_one(struct sg_store *store, struct sink *s, const struct notice *n, long long run_id,
		    struct tally *t, struct sg_error *err)
{
	int rc, is_new = 0;

	if (s->hooks && s->hooks->write_begin)
		s->hooks->write_begin(s->hooks->ctx);
	if ((rc = sg_store_begin(store, err)))
		goto out;
	rc = sg_store_notice_mark(store, n->finding_id, n->overdue ? STAGE_OVERDUE : STAGE_DUE_SOON, run_id,
				  time(NULL), &is_new, err);
	if (!rc && is_new)
		rc = deliver(s, n->body, err);
	if (!rc && is_new)
		rc = sg_store_commit(store, err);
	if (rc || !is_new)
		sg_store_rollback(store); /* nothing to keep, or what failed is undone */
	if (!rc) {
		if (is_new)
			t->sent[n->overdue]++;
		else
			t->already++;
	}
out:
	if (s->hooks && s->hooks->write_end)
		s->hooks->write_end(s->hooks->ctx);
	return rc;
}

int sg_job_sla_notices(struct sg_app *app, const struct sg_jobs_config *cfg, const struct sg_jobs_hooks *hooks,
		       long long run_id, char *summary, size_t summary_size, struct sg_error *err)
{
	const struct sg_policy *policy;
	struct sg_store *store;
	struct scan sc;
	struct sink s;
	struct tally t;
	char where[300];
	size_t i;
	int rc;

	memset(&sc, 0, sizeof(sc));
	memset(&t, 0, sizeof(t));
	memset(&s, 0, sizeof(s));
	if ((rc = sg_app_policy(app, &policy, err)) || (rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err)))
		return rc;
	if (!policy->sla_enabled) {
		snprintf(summary, summary_size, "the policy (%s) sets no sla_days: no deadlines, no notices",
			 policy->source);
		return 0;
	}
	sc.policy = policy;
	sc.now = sg_now(); /* deadlines by the policy's clock, as `shipgate sla` */
	if ((rc = collect(app, store, cfg, &sc, err)) || (rc = sink_open(&s, cfg, hooks, err)))
		goto out;
	for (i = 0; i < sc.n_pending; i++)
		if ((rc = send_one(store, &s, &sc.pending[i], run_id, &t, err)))
			break;
	sink_name(&s, where, sizeof(where));
	if (rc) {
		/* The reason first; what was done before it, after. */
		size_t len = strlen(err->message);
		snprintf(err->message + len, sizeof(err->message) - len,
			 " (%lld notice%s sent before; the other %zu wait for the next run)", t.sent[0] + t.sent[1],
			 t.sent[0] + t.sent[1] == 1 ? "" : "s", sc.n_pending - i);
		goto out;
	}
	snprintf(summary, summary_size,
		 "%lld notice%s sent to %s (%lld overdue, %lld due-soon) over %zu product%s; %lld sent by another run "
		 "meanwhile%s",
		 t.sent[0] + t.sent[1], t.sent[0] + t.sent[1] == 1 ? "" : "s", where, t.sent[1], t.sent[0],
		 sc.n_products, sc.n_products == 1 ? "" : "s", t.already,
		 sc.full ? "; more wait for the next run" : "");
out:
	sink_close(&s);
	scan_release(&sc);
	return rc;
}
