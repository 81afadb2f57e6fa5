/* The one JSON shape of `shipgate sla` (the CLI's --format json and the API). */
#include "app/findings.h"
#include "app/sla.h"
#include "core/sla.h"
#include "util/timeutil.h"

struct writer {
	struct sg_jw *w;
};

static int write_due(void *ctx, const struct sg_finding *f, time_t due, int overdue)
{
	struct writer *wr = ctx;
	char when[SG_TIME_TEXT];

	sg_time_format(due, when);
	sg_jw_object_begin(wr->w);
	sg_jw_kv_string(wr->w, "state", overdue ? "overdue" : "due_soon");
	sg_jw_kv_string(wr->w, "due", when);
	sg_jw_key(wr->w, "finding");
	sg_finding_json(wr->w, f);
	sg_jw_object_end(wr->w);
	return 0;
}

int sg_app_sla_json(struct sg_app *app, const char *product, struct sg_jw *w, struct sg_sla_summary *sum,
		    struct sg_error *err)
{
	struct writer wr = {w};
	char now[SG_TIME_TEXT];
	int rc, sev;

	sg_jw_object_begin(w);
	sg_jw_kv_string(w, "product", product);
	sg_jw_key(w, "findings");
	sg_jw_array_begin(w);
	if ((rc = sg_app_sla(app, product, write_due, &wr, sum, err)))
		return rc;
	sg_jw_array_end(w);
	sg_jw_key(w, "overdue");
	sg_jw_object_begin(w);
	for (sev = SG_SEV_CRITICAL; sev >= SG_SEV_INFO; sev--)
		sg_jw_kv_int(w, sg_severity_name((enum sg_severity)sev), sum->overdue[sev]);
	sg_jw_object_end(w);
	sg_jw_key(w, "due_soon");
	sg_jw_object_begin(w);
	for (sev = SG_SEV_CRITICAL; sev >= SG_SEV_INFO; sev--)
		sg_jw_kv_int(w, sg_severity_name((enum sg_severity)sev), sum->due_soon[sev]);
	sg_jw_object_end(w);
	sg_jw_kv_int(w, "blocking_overdue", sum->blocking_overdue);
	sg_time_format(sum->now, now);
	sg_jw_kv_string(w, "evaluated_at", now);
	sg_jw_key(w, "clock_overridden");
	sg_jw_bool(w, sum->clock_overridden);
	sg_jw_object_end(w);
	return 0;
}
