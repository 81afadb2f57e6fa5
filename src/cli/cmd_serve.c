/* `shipgate serve`: the HTTP API (docs/api.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "core/sla.h"
#include "server/server.h"

static const char usage[] =
	"shipgate serve [--listen ADDR:PORT] [--tls-cert FILE --tls-key FILE] [--behind-tls-proxy]\n"
	"               [--threads N] [--per-address N] [--max-body BYTES] [--rate-limit N]\n"
	"               [--request-timeout SECONDS] [--port-file FILE] [--instance NAME]\n"
	"               [--vulndb-path PATH --vulndb-every DURATION]\n"
	"               [--sla-notify log|URL --sla-every DURATION [--sla-due-soon DAYS]]";

static int parse_count(const char *text, const char *what, unsigned long long min, unsigned long long max,
		       unsigned long long *out, struct sg_error *err)
{
	char *end;
	unsigned long long v;

	if (!text)
		return 0;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || end == text || *end || text[0] == '-' || v < min || v > max)
		return sg_error_set(err, SG_DIAG_BAD_VALUE, "--%s must be a whole number from %llu to %llu, not \"%.40s\"",
				    what, min, max, text);
	*out = v;
	return 0;
}

/* --instance, --vulndb-*, --sla-*: the background jobs (docs/jobs.md). */
static int jobs_options(struct sg_jobs_config *jobs, const char *vulndb_every, const char *sla_every,
			const char *due_soon, char instance[SG_JOB_INSTANCE_BYTES], struct sg_error *err)
{
	unsigned long long days = SG_SLA_DUE_SOON_DAYS;
	int rc;

	if (!jobs->vulndb_path != !vulndb_every)
		return sg_error_set(err, SG_DIAG_USAGE, "--vulndb-path and --vulndb-every go together");
	if (!jobs->sla_notify != !sla_every)
		return sg_error_set(err, SG_DIAG_USAGE, "--sla-notify and --sla-every go together");
	if (due_soon && !jobs->sla_notify)
		return sg_error_set(err, SG_DIAG_USAGE, "--sla-due-soon goes with --sla-notify");
	if (vulndb_every && (rc = sg_jobs_parse_duration(vulndb_every, "--vulndb-every", &jobs->vulndb_every, err)))
		return rc;
	if (sla_every && (rc = sg_jobs_parse_duration(sla_every, "--sla-every", &jobs->sla_every, err)))
		return rc;
	if ((rc = parse_count(due_soon, "sla-due-soon", 0, 365, &days, err)))
		return rc;
	jobs->sla_due_soon_days = (int)days;
	if (!jobs->instance) {
		sg_jobs_default_instance(instance);
		jobs->instance = instance;
	}
	return sg_jobs_check_config(jobs, err);
}

int sg_cmd_serve(struct sg_app *app, int argc, char **argv, struct sg_error *err)
{
	const char *threads = NULL, *per_address = NULL, *max_body = NULL, *rate = NULL, *timeout = NULL;
	const char *vulndb_every = NULL, *sla_every = NULL, *due_soon = NULL;
	char instance[SG_JOB_INSTANCE_BYTES];
	struct sg_server_config cfg;
	unsigned long long n;
	struct sg_args args;
	int rc;

	sg_server_config_defaults(&cfg);
	{
		const struct sg_opt opts[] = {
			{"listen", &cfg.listen, NULL},
			{"tls-cert", &cfg.tls_cert, NULL},
			{"tls-key", &cfg.tls_key, NULL},
			{"behind-tls-proxy", NULL, &cfg.behind_tls_proxy},
			{"threads", &threads, NULL},
			{"per-address", &per_address, NULL},
			{"max-body", &max_body, NULL},
			{"rate-limit", &rate, NULL},
			{"request-timeout", &timeout, NULL},
			{"port-file", &cfg.port_file, NULL},
			{"instance", &cfg.jobs.instance, NULL},
			{"vulndb-path", &cfg.jobs.vulndb_path, NULL},
			{"vulndb-every", &vulndb_every, NULL},
			{"sla-notify", &cfg.jobs.sla_notify, NULL},
			{"sla-every", &sla_every, NULL},
			{"sla-due-soon", &due_soon, NULL},
			{NULL, NULL, NULL},
		};
		if ((rc = sg_args_parse(argc, argv, opts, &args, err)) || (rc = sg_args_count(&args, 0, 0, usage, err)))
			return rc;
	}
	n = cfg.threads;
	if ((rc = parse_count(threads, "threads", 1, 4096, &n, err)))
		return rc;
	cfg.threads = (unsigned)n;
	n = cfg.per_address;
	if ((rc = parse_count(per_address, "per-address", 1, 4096, &n, err)))
		return rc;
	cfg.per_address = (unsigned)n;
	if ((rc = parse_count(max_body, "max-body", 1, 1ULL << 40, &cfg.max_body, err)))
		return rc;
	n = cfg.rate_limit;
	if ((rc = parse_count(rate, "rate-limit", 0, 1000000000, &n, err)))
		return rc;
	cfg.rate_limit = (unsigned)n;
	n = cfg.request_timeout;
	if ((rc = parse_count(timeout, "request-timeout", 1, 86400, &n, err)))
		return rc;
	cfg.request_timeout = (unsigned)n;
	if ((rc = jobs_options(&cfg.jobs, vulndb_every, sla_every, due_soon, instance, err)))
		return rc;
	cfg.db_url = app->db_url;
	cfg.policy_path = app->policy_path;
	/* Requests log to stderr; stdout stays free for nothing at all. */
	cfg.log = stderr;
	return sg_server_run(&cfg, err);
}
