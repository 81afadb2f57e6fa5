#include "core/exception.h"

#include <stdio.h>
#include <string.h>

#include "util/timeutil.h"

static const char *const scope_names[] = {"finding", "rule", "component"};
static const char *const status_names[SG_EXC_STATUS_COUNT] = {"pending", "active", "expired", "revoked"};

const char *sg_scope_name(enum sg_exception_scope scope)
{
	return (unsigned)scope < 3 ? scope_names[scope] : "unknown";
}

int sg_scope_parse(const char *name, enum sg_exception_scope *out)
{
	int i;

	for (i = 0; i < 3; i++) {
		if (strcmp(name, scope_names[i]) == 0) {
			*out = (enum sg_exception_scope)i;
			return 0;
		}
	}
	return -1;
}

const char *sg_exception_status_name(enum sg_exception_status status)
{
	return (unsigned)status < SG_EXC_STATUS_COUNT ? status_names[status] : "unknown";
}

int sg_exception_status_parse(const char *name, enum sg_exception_status *out)
{
	int i;

	for (i = 0; i < SG_EXC_STATUS_COUNT; i++) {
		if (strcmp(name, status_names[i]) == 0) {
			*out = (enum sg_exception_status)i;
			return 0;
		}
	}
	return -1;
}

/* Revocation wins over expiry: it is a person's decision and says more.
 * Expiry is read from expires_on, the date the approver signed, never from
 * a stored copy that could say otherwise; a date that does not parse has
 * expired. */
enum sg_exception_status sg_exception_status_at(const struct sg_exception *e, time_t now)
{
	time_t expires;

	if (e->revoked_by)
		return SG_EXC_REVOKED;
	if (!e->expires_on || strlen(e->expires_on) != 10 || sg_time_parse(e->expires_on, &expires) != 0 ||
	    now >= expires)
		return SG_EXC_EXPIRED;
	return e->approver ? SG_EXC_ACTIVE : SG_EXC_PENDING;
}

int sg_exception_signing_text(const struct sg_exception *e, struct sg_buf *out)
{
	char when[SG_TIME_TEXT], fp[2 * SG_FINGERPRINT_BYTES + 1];

	sg_time_format(e->requested_at, when);
	sg_buf_adds(out, "shipgate-exception-approval-v1\n");
	sg_buf_printf(out, "id: %lld\nscope: %s\n", e->id, sg_scope_name(e->scope));
	switch (e->scope) {
	case SG_SCOPE_FINDING:
		sg_hex(e->finding_fingerprint, SG_FINGERPRINT_BYTES, fp);
		sg_buf_printf(out, "finding: %lld\nfingerprint: %s\n", e->finding_id, fp);
		break;
	case SG_SCOPE_RULE:
		sg_buf_printf(out, "tool: %s\nrule: %s\n", e->tool ? e->tool : "", e->rule ? e->rule : "");
		break;
	case SG_SCOPE_COMPONENT:
		sg_buf_printf(out, "component: %s\n", e->component ? e->component : "");
		break;
	}
	if (e->product)
		sg_buf_printf(out, "product: %s\n", e->product);
	else
		sg_buf_adds(out, "all-products: yes\n");
	sg_buf_printf(out, "expires: %s\nrequester: %s\nrequested-at: %s\n", e->expires_on,
		      e->requester, when);
	sg_buf_printf(out, "reason: %zu\n", strlen(e->reason));
	sg_buf_adds(out, e->reason);
	return sg_buf_error(out);
}

void sg_exception_lapse_text(const struct sg_exception *e, time_t now, char *out, size_t size)
{
	char when[SG_TIME_TEXT];

	switch (sg_exception_status_at(e, now)) {
	case SG_EXC_REVOKED:
		sg_time_format(e->revoked_at, when);
		snprintf(out, size, "exception %lld was revoked by %s at %s", e->id, e->revoked_by, when);
		break;
	case SG_EXC_EXPIRED:
		snprintf(out, size, "exception %lld expired on %s", e->id, e->expires_on);
		break;
	case SG_EXC_PENDING:
		snprintf(out, size, "exception %lld is pending approval", e->id);
		break;
	case SG_EXC_ACTIVE:
		snprintf(out, size, "exception %lld is active until %s", e->id, e->expires_on);
		break;
	}
}
