#include "app/exceptions.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "app/findings.h"
#include "sca/purl.h"
#include "util/limits.h"
#include "util/timeutil.h"
#include "util/utf8.h"

#define DAY 86400

int sg_parse_exception_id(const char *text, long long *id, struct sg_error *err)
{
	char *end;
	long long v;

	errno = 0;
	v = text ? strtoll(text, &end, 10) : 0;
	if (!text || !*text || errno || *end || v <= 0)
		return sg_error_set(err, SG_DIAG_USAGE, "exception id \"%.40s\" is not a positive integer",
				    text ? text : "");
	*id = v;
	return 0;
}

/* A reason is for people: UTF-8 text, line breaks and tabs allowed, no other controls. */
static int check_reason(const char *reason, struct sg_error *err)
{
	size_t i, n, len;

	if (!reason || !*reason)
		return sg_error_set(err, SG_DIAG_USAGE, "--reason is required: say why, for the record");
	len = strlen(reason);
	if (len > SG_MAX_REASON_BYTES)
		return sg_error_set(err, SG_DIAG_BAD_VALUE, "--reason is longer than %d bytes", SG_MAX_REASON_BYTES);
	for (i = 0; i < len; i += n) {
		unsigned char c = (unsigned char)reason[i];
		n = sg_utf8_char_length((const unsigned char *)reason + i, len - i);
		if (n == 0)
			return sg_error_set(err, SG_DIAG_BAD_VALUE, "--reason is not valid UTF-8 (byte %zu)", i);
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			return sg_error_set(err, SG_DIAG_BAD_VALUE, "--reason contains a control character");
	}
	return 0;
}

/* ---- loading one exception inside a transaction ---- */

struct loaded {
	int found;
	enum sg_exception_status status;
	time_t now;
	time_t requested_at;
	time_t expires;      /* from the signed date */
	long long product_id;
	char requester[SG_PRINCIPAL_NAME_BYTES];
	char lapse[200];
	struct sg_buf text; /* what the approver signs */
};

static int load_one(void *ctx, const struct sg_exception *e)
{
	struct loaded *l = ctx;

	l->found = 1;
	l->status = sg_exception_status_at(e, l->now);
	l->requested_at = e->requested_at;
	if (sg_time_parse(e->expires_on, &l->expires) != 0)
		l->expires = 0;
	l->product_id = e->product_id;
	snprintf(l->requester, sizeof(l->requester), "%s", e->requester);
	sg_exception_lapse_text(e, l->now, l->lapse, sizeof(l->lapse));
	sg_buf_reset(&l->text);
	if (sg_exception_signing_text(e, &l->text) != 0)
		return SG_ENOMEM;
	return 0;
}

static int load(struct sg_store *store, long long id, struct loaded *l, struct sg_error *err)
{
	struct sg_exception_filter f;
	int rc;

	memset(&f, 0, sizeof(f));
	f.id = id;
	rc = sg_store_exceptions_list(store, &f, load_one, l, err);
	if (rc == SG_ENOMEM)
		return sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	if (!rc && !l->found)
		return sg_error_set(err, SG_DIAG_NOT_FOUND, "no exception %lld", id);
	return rc;
}

static void loaded_init(struct loaded *l, time_t now)
{
	memset(l, 0, sizeof(*l));
	l->now = now;
	sg_buf_init(&l->text, SG_SIGNED_MAX_BYTES);
}

/* ---- request ---- */

struct finding_target {
	long long product_id;
	char product[SG_MAX_NAME_BYTES + 1];
	unsigned char fingerprint[SG_FINGERPRINT_BYTES];
};

static int remember_finding(void *ctx, const struct sg_finding *f)
{
	struct finding_target *t = ctx;

	snprintf(t->product, sizeof(t->product), "%s", f->product ? f->product : "");
	memcpy(t->fingerprint, f->fingerprint, SG_FINGERPRINT_BYTES);
	return 0;
}

static int parse_expiry(const struct sg_policy *policy, const char *expires, time_t now, time_t *at,
			struct sg_error *err)
{
	time_t today = now - now % DAY, latest = today + (time_t)policy->exception_max_days * DAY;
	char latest_text[SG_DATE_TEXT];

	if (!expires)
		return sg_error_set(err, SG_DIAG_USAGE, "--expires YYYY-MM-DD is required: every exception ends");
	if (strlen(expires) != 10 || sg_time_parse(expires, at) != 0)
		return sg_error_set(err, SG_DIAG_BAD_VALUE, "--expires must be a date YYYY-MM-DD, not \"%.40s\"", expires);
	if (*at <= now)
		return sg_error_set(err, SG_DIAG_BAD_VALUE, "--expires %s is not in the future", expires);
	if (*at > latest) {
		sg_date_format(latest, latest_text);
		return sg_error_set(err, SG_DIAG_BAD_VALUE,
				    "--expires %s is more than %d days away (exception_max_days); the latest allowed is %s",
				    expires, policy->exception_max_days, latest_text);
	}
	return 0;
}

/*
 * A component exception names a package as findings name it: the canonical
 * purl without version or qualifiers (sca/purl.h), so "pkg:PyPI/Django_Auth"
 * covers what the SBOM calls "pkg:pypi/django-auth@1.2?os=linux". It covers
 * every version: a purl with one is refused rather than silently widened.
 */
static int canonical_component(const char *text, char *out, size_t size, struct sg_error *err)
{
	struct sg_purl purl;
	int rc;

	memset(&purl, 0, sizeof(purl));
	if ((rc = sg_purl_parse(text, &purl, err))) {
		char why[sizeof(err->message)];
		snprintf(why, sizeof(why), "%s", err->message); /* err is written again below */
		return sg_error_set(err, SG_DIAG_BAD_VALUE, "--component must be a package URL: %s", why);
	}
	if (purl.version)
		rc = sg_error_set(err, SG_DIAG_BAD_VALUE,
				  "--component names a package, not one version of it: drop \"@%.60s\" "
				  "(an exception covers every version)", purl.version);
	else
		rc = sg_purl_build(&purl, SG_PURL_NO_VERSION | SG_PURL_NO_QUALIFIERS, out, size, err);
	sg_purl_free(&purl);
	return rc;
}

static int check_scope(const struct sg_exception_params *p, struct sg_exception_request *req, char *tool,
		       size_t tool_size, char *component, size_t component_size, struct sg_error *err)
{
	int n = !!p->finding + !!p->rule + !!p->component;
	const char *colon;
	int rc;

	if (n != 1)
		return sg_error_set(err, SG_DIAG_USAGE, "give exactly one of --finding ID, --rule TOOL:RULE, --component PURL");
	if (!!p->product == !!p->all_products)
		return sg_error_set(err, SG_DIAG_USAGE, "give exactly one of --product P and --all-products");
	if (p->finding) {
		req->scope = SG_SCOPE_FINDING;
		if (p->all_products)
			return sg_error_set(err, SG_DIAG_USAGE, "an exception for one finding names its --product");
		return sg_parse_finding_id(p->finding, &req->finding_id, err);
	}
	if (p->rule) {
		req->scope = SG_SCOPE_RULE;
		colon = strchr(p->rule, ':');
		if (!colon || colon == p->rule || !colon[1] || (size_t)(colon - p->rule) >= tool_size)
			return sg_error_set(err, SG_DIAG_BAD_VALUE, "--rule must be TOOL:RULE (the tool as its SARIF names it), not \"%.80s\"", p->rule);
		memcpy(tool, p->rule, (size_t)(colon - p->rule));
		tool[colon - p->rule] = '\0';
		req->tool = tool;
		req->rule = colon + 1;
		if ((rc = sg_check_name(req->tool, "--rule's tool", err)) || (rc = sg_check_name(req->rule, "--rule's rule", err)))
			return rc;
		return 0;
	}
	req->scope = SG_SCOPE_COMPONENT;
	if ((rc = sg_check_name(p->component, "--component", err)))
		return rc;
	req->component = component;
	return canonical_component(p->component, component, component_size, err);
}

int sg_app_exception_request(struct sg_app *app, const struct sg_exception_params *p, long long *id,
			     struct sg_error *err)
{
	struct sg_exception_request req;
	struct finding_target target;
	const struct sg_policy *policy;
	struct sg_principal who = {0};
	struct sg_audit_note note;
	struct sg_store *store;
	char tool[SG_MAX_NAME_BYTES + 1], label[64], component[SG_PURL_MAX_BYTES];
	time_t now = sg_now();
	int rc;

	memset(&req, 0, sizeof(req));
	memset(&target, 0, sizeof(target));
	if ((rc = check_scope(p, &req, tool, sizeof(tool), component, sizeof(component), err)) || (rc = sg_check_name(p->as, "--as", err)) ||
	    (p->product && (rc = sg_check_name(p->product, "--product", err))) || (rc = check_reason(p->reason, err)) ||
	    (rc = sg_app_policy(app, &policy, err)) || (rc = parse_expiry(policy, p->expires, now, &req.expires_at, err)))
		return rc;
	req.reason = p->reason;
	req.expires_on = p->expires;
	req.requested_at = now;
	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err)) || (rc = sg_store_begin(store, err)))
		return rc;
	rc = sg_app_audit_check(store, SG_OBJ_USER, 0, err);
	if (!rc)
		rc = sg_store_principal_find(store, p->as, &who, err);
	if (!rc && who.role == SG_ROLE_VIEWER)
		rc = sg_error_set(err, SG_DIAG_NOT_PERMITTED, "%s is a viewer; viewers cannot request exceptions", p->as);
	req.requester_id = who.id;
	if (!rc && p->product)
		rc = sg_store_product_find(store, p->product, &req.product_id, err);
	if (rc == SG_ENOTFOUND && p->product && !err->message[0])
		rc = sg_error_set(err, SG_DIAG_NOT_FOUND, "no product \"%s\"", p->product);
	if (!rc && req.scope == SG_SCOPE_FINDING) {
		rc = sg_store_finding_get(store, req.finding_id, remember_finding, &target, err);
		if (!rc && req.product_id)
			rc = sg_app_audit_check(store, SG_OBJ_FINDINGS, req.product_id, err);
		if (!rc && strcmp(target.product, p->product) != 0)
			rc = sg_error_set(err, SG_DIAG_CONFLICT, "finding %lld belongs to product %s, not %s",
					  req.finding_id, target.product, p->product);
		memcpy(req.finding_fingerprint, target.fingerprint, SG_FINGERPRINT_BYTES);
	}
	if (!rc)
		rc = sg_store_exception_insert(store, &req, id, err);
	if (!rc) {
		snprintf(label, sizeof(label), "exception %lld", *id);
		sg_audit_note_begin(&note);
		sg_jw_kv_string(&note.w, "scope", sg_scope_name(req.scope));
		if (req.scope == SG_SCOPE_FINDING)
			sg_jw_kv_int(&note.w, "finding", req.finding_id);
		sg_jw_kv_string(&note.w, "tool", req.tool);
		sg_jw_kv_string(&note.w, "rule", req.rule);
		sg_jw_kv_string(&note.w, "component", req.component);
		sg_jw_kv_string(&note.w, "product", p->product);
		sg_jw_kv_string(&note.w, "expires", p->expires);
		sg_jw_kv_string(&note.w, "reason", p->reason);
		rc = sg_app_audit(app, store, "exception.request", SG_OBJ_EXCEPTION, *id, label, &note, err);
	}
	if (!rc)
		return sg_store_commit(store, err);
	sg_store_rollback(store);
	return rc;
}

int sg_app_exception_signing_text(struct sg_app *app, long long id, struct sg_buf *out, struct sg_error *err)
{
	struct sg_store *store;
	struct loaded l;
	int rc;

	loaded_init(&l, sg_now());
	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err)) || (rc = sg_store_begin_read(store, err))) {
		sg_buf_release(&l.text);
		return rc;
	}
	rc = load(store, id, &l, err);
	sg_store_rollback(store);
	if (!rc && sg_buf_add(out, l.text.data, l.text.len) != 0)
		rc = sg_error_set(err, SG_DIAG_NO_MEMORY, "out of memory");
	sg_buf_release(&l.text);
	return rc;
}

static int refuse(struct sg_error *err, const char *fmt, ...) SG_PRINTF(2, 3);
static int refuse(struct sg_error *err, const char *fmt, ...)
{
	char text[400];
	va_list ap;

	va_start(ap, fmt);
	/* Flawfinder: ignore (the format is checked by the compiler: SG_PRINTF) */
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return sg_error_set(err, SG_DIAG_APPROVAL_REFUSED, "approval refused: %s", text);
}

/* Every check of an approval, in the transaction that records it. */
static int check_approval(struct sg_store *store, const struct sg_policy *policy, long long id, const char *as,
			  const struct sg_signature *sig, const struct loaded *l, const struct sg_principal *who,
			  struct sg_error *err)
{
	unsigned char key[SG_PUBLIC_KEY_BYTES];
	long long owner = 0;
	int rc;

	if (strcmp(sg_role_name(who->role), policy->approver_role) != 0)
		return refuse(err, "%s has role %s; the policy's approver_role is %s", as, sg_role_name(who->role),
			      policy->approver_role);
	if (strcmp(l->requester, as) == 0)
		return refuse(err, "%s requested exception %lld and cannot approve it too", as, id);
	if (l->status != SG_EXC_PENDING)
		return refuse(err, "%s; only a pending exception can be approved", l->lapse);
	/* The approver's clock and policy decide too: a request dated in the
	 * future, or an expiry further than the policy allows from today, is
	 * not approved whatever the requester's clock or policy said. */
	if (l->requested_at > l->now)
		return refuse(err, "exception %lld is dated %lld seconds in the future: the clocks disagree", id,
			      (long long)(l->requested_at - l->now));
	if (l->expires > l->now - l->now % DAY + (time_t)policy->exception_max_days * DAY)
		return refuse(err, "exception %lld expires more than exception_max_days (%d) from today", id,
			      policy->exception_max_days);
	rc = sg_store_key_find(store, sig->key_id, &owner, key, err);
	if (rc == SG_ENOTFOUND || (!rc && owner != who->id)) {
		sg_error_clear(err);
		return refuse(err, "the signature was made with key %s, which is not a registered key of %s", sig->key_id,
			      as);
	}
	if (rc)
		return rc;
	if (sg_verify(key, l->text.data, l->text.len, sig->sig) != 0)
		return refuse(err, "the signature does not verify over exception %lld as recorded (forged, made over "
				   "other content, or stale)", id);
	return 0;
}

/*
 * The start of an approval or a revocation: a write transaction in which the
 * exception, every user (and with keys, every key) still match the audit
 * ledger, then the acting principal and the exception. On an error after
 * the transaction began, it is rolled back and *store is NULL.
 */
static int begin_on_exception(struct sg_app *app, long long id, const char *as, int keys, struct sg_store **store,
			      struct sg_principal *who, struct loaded *l, struct sg_error *err)
{
	int rc;

	*store = NULL;
	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, store, err)))
		return rc;
	if ((rc = sg_store_begin(*store, err))) {
		*store = NULL;
		return rc;
	}
	rc = sg_app_audit_check(*store, SG_OBJ_EXCEPTION, id, err);
	if (!rc)
		rc = sg_app_audit_check(*store, SG_OBJ_USER, 0, err);
	if (!rc && keys)
		rc = sg_app_audit_check(*store, SG_OBJ_KEY, 0, err);
	if (!rc)
		rc = sg_store_principal_find(*store, as, who, err);
	if (!rc)
		rc = load(*store, id, l, err);
	if (rc) {
		sg_store_rollback(*store);
		*store = NULL;
	}
	return rc;
}

int sg_app_exception_approve(struct sg_app *app, long long id, const char *as, const struct sg_signature *sig,
			     struct sg_error *err)
{
	const struct sg_policy *policy;
	struct sg_principal who = {0};
	struct sg_audit_note note;
	struct sg_store *store;
	char label[64];
	struct loaded l;
	time_t now = sg_now();
	int rc;

	if ((rc = sg_check_name(as, "--as", err)) || (rc = sg_app_policy(app, &policy, err)))
		return rc;
	loaded_init(&l, now);
	/* The keys too: an approval depends on them. */
	rc = begin_on_exception(app, id, as, 1, &store, &who, &l, err);
	if (!rc)
		rc = check_approval(store, policy, id, as, sig, &l, &who, err);
	if (!rc)
		rc = sg_store_exception_approve(store, id, who.id, sig->key_id, sig->sig, now, err);
	if (!rc) {
		snprintf(label, sizeof(label), "exception %lld", id);
		sg_audit_note_begin(&note);
		sg_jw_kv_string(&note.w, "approver", as);
		sg_jw_kv_string(&note.w, "key_id", sig->key_id);
		rc = sg_app_audit(app, store, "exception.approve", SG_OBJ_EXCEPTION, id, label, &note, err);
	}
	sg_buf_release(&l.text);
	if (!rc)
		return sg_store_commit(store, err);
	if (store)
		sg_store_rollback(store);
	return rc;
}

int sg_app_exception_revoke(struct sg_app *app, long long id, const char *as, const char *reason,
			    struct sg_error *err)
{
	const struct sg_policy *policy;
	struct sg_principal who = {0};
	struct sg_audit_note note;
	struct sg_store *store;
	char label[64];
	struct loaded l;
	time_t now = sg_now();
	int rc;

	if ((rc = sg_check_name(as, "--as", err)) || (rc = check_reason(reason, err)) ||
	    (rc = sg_app_policy(app, &policy, err)))
		return rc;
	loaded_init(&l, now);
	rc = begin_on_exception(app, id, as, 0, &store, &who, &l, err);
	/* Who asked for it, who may approve it, and security or admin may end it. */
	if (!rc && strcmp(l.requester, as) != 0 && strcmp(sg_role_name(who.role), policy->approver_role) != 0 &&
	    who.role != SG_ROLE_SECURITY && who.role != SG_ROLE_ADMIN)
		rc = sg_error_set(err, SG_DIAG_NOT_PERMITTED,
				  "revocation refused: %s (role %s) did not request exception %lld and is neither of "
				  "the approver role (%s), security nor admin",
				  as, sg_role_name(who.role), id, policy->approver_role);
	if (!rc && l.status == SG_EXC_REVOKED)
		rc = sg_error_set(err, SG_DIAG_CONFLICT, "%s", l.lapse);
	if (!rc)
		rc = sg_store_exception_revoke(store, id, who.id, reason, now, err);
	if (!rc) {
		snprintf(label, sizeof(label), "exception %lld", id);
		sg_audit_note_begin(&note);
		sg_jw_kv_string(&note.w, "revoked_by", as);
		sg_jw_kv_string(&note.w, "reason", reason);
		rc = sg_app_audit(app, store, "exception.revoke", SG_OBJ_EXCEPTION, id, label, &note, err);
	}
	sg_buf_release(&l.text);
	if (!rc)
		return sg_store_commit(store, err);
	if (store)
		sg_store_rollback(store);
	return rc;
}

struct list_ctx {
	int any;
	enum sg_exception_status want;
	time_t now;
	sg_exception_status_cb cb;
	void *ctx;
	long long found;
};

static int list_one(void *ctx, const struct sg_exception *e)
{
	struct list_ctx *c = ctx;
	enum sg_exception_status st = sg_exception_status_at(e, c->now);

	if (!c->any && st != c->want)
		return 0;
	c->found++;
	return c->cb(c->ctx, e, st);
}

int sg_app_exceptions_list(struct sg_app *app, const char *status, const char *product,
			   sg_exception_status_cb cb, void *ctx, struct sg_error *err)
{
	struct list_ctx c = {1, SG_EXC_PENDING, sg_now(), cb, ctx, 0};
	struct sg_exception_filter f;
	struct sg_store *store;
	int rc;

	memset(&f, 0, sizeof(f));
	if (status) {
		c.any = 0;
		if (sg_exception_status_parse(status, &c.want) != 0)
			return sg_error_set(err, SG_DIAG_BAD_VALUE,
					    "--status must be pending, active, expired or revoked, not \"%.40s\"", status);
	}
	if (product && (rc = sg_check_name(product, "--product", err)))
		return rc;
	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err)) || (rc = sg_store_begin_read(store, err)))
		return rc;
	rc = product ? sg_store_product_find(store, product, &f.product_id, err) : 0;
	if (!rc)
		rc = sg_store_exceptions_list(store, &f, list_one, &c, err);
	sg_store_rollback(store);
	return rc;
}

int sg_app_exception_get(struct sg_app *app, long long id, sg_exception_status_cb cb, void *ctx,
			 struct sg_error *err)
{
	struct list_ctx c = {1, SG_EXC_PENDING, sg_now(), cb, ctx, 0};
	struct sg_exception_filter f;
	struct sg_store *store;
	int rc;

	memset(&f, 0, sizeof(f));
	f.id = id;
	if ((rc = sg_app_store(app, SG_STORE_OPEN_EXISTING, &store, err)) || (rc = sg_store_begin_read(store, err)))
		return rc;
	rc = sg_store_exceptions_list(store, &f, list_one, &c, err);
	sg_store_rollback(store);
	if (!rc && !c.found)
		rc = sg_error_set(err, SG_DIAG_NOT_FOUND, "no exception %lld", id);
	return rc;
}

void sg_exception_json(struct sg_jw *w, const struct sg_exception *e, enum sg_exception_status status)
{
	char when[SG_TIME_TEXT], fp[2 * SG_FINGERPRINT_BYTES + 1];

	sg_jw_object_begin(w);
	sg_jw_kv_int(w, "id", e->id);
	sg_jw_kv_string(w, "status", sg_exception_status_name(status));
	sg_jw_kv_string(w, "scope", sg_scope_name(e->scope));
	if (e->scope == SG_SCOPE_FINDING) {
		sg_hex(e->finding_fingerprint, SG_FINGERPRINT_BYTES, fp);
		sg_jw_kv_int(w, "finding", e->finding_id);
		sg_jw_kv_string(w, "fingerprint", fp);
	}
	if (e->scope == SG_SCOPE_RULE) {
		sg_jw_kv_string(w, "tool", e->tool);
		sg_jw_kv_string(w, "rule", e->rule);
	}
	if (e->scope == SG_SCOPE_COMPONENT)
		sg_jw_kv_string(w, "component", e->component);
	sg_jw_kv_string(w, "product", e->product);
	sg_jw_key(w, "all_products");
	sg_jw_bool(w, e->product == NULL);
	sg_jw_kv_string(w, "reason", e->reason);
	sg_jw_kv_string(w, "expires", e->expires_on);
	sg_jw_kv_string(w, "requester", e->requester);
	sg_time_format(e->requested_at, when);
	sg_jw_kv_string(w, "requested_at", when);
	sg_jw_kv_string(w, "approver", e->approver);
	sg_jw_kv_string(w, "approver_key_id", e->approver_key_id);
	/* The recorded signature, so that anyone can check it over the text of
	 * `exception payload ID` with the approver's public key. */
	if (e->signature && e->signature_len == SG_SIGNATURE_BYTES) {
		char b64[SG_SIGNATURE_B64_BYTES];
		sg_signature_b64(e->signature, b64);
		sg_jw_kv_string(w, "signature", b64);
	} else {
		sg_jw_kv_string(w, "signature", NULL);
	}
	if (e->approver) {
		sg_time_format(e->approved_at, when);
		sg_jw_kv_string(w, "approved_at", when);
	} else {
		sg_jw_kv_string(w, "approved_at", NULL);
	}
	sg_jw_kv_string(w, "revoked_by", e->revoked_by);
	if (e->revoked_by) {
		sg_time_format(e->revoked_at, when);
		sg_jw_kv_string(w, "revoked_at", when);
		sg_jw_kv_string(w, "revoke_reason", e->revoke_reason);
	}
	sg_jw_object_end(w);
}
