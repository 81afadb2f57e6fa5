/*
 * Fuzz target: what `serve` and `--db` read from the command line. The first
 * byte picks: 0 a store URL's name (no password of it may show), 1 a job
 * duration, 2 a webhook target, 3 an instance name.
 */
#include <libpq-fe.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/jobs.h"
#include "store/store.h"

static const char *field(const PQconninfoOption *opts, const char *keyword)
{
	const PQconninfoOption *o;

	for (o = opts; o->keyword; o++)
		if (strcmp(o->keyword, keyword) == 0 && o->val)
			return o->val;
	return "";
}

/*
 * A PostgreSQL store's name is made of the fields libpq reads that are no
 * secret (user, host, port, database, options) and nothing else: rebuilt
 * here from libpq's own parse, it must be exactly that, so no password or
 * passphrase can be in it.
 */
static void check_url_name(const char *url)
{
	char name[512], want[512], *errmsg = NULL;
	const char *user, *port, *options;
	struct sg_error err;
	PQconninfoOption *opts;

	if (sg_store_url_name(url, name, sizeof(name), &err) != 0)
		return;
	/* Only a PostgreSQL URL: "postgresX" with no colon is a SQLite file's path. */
	if (strncmp(url, "postgresql:", 11) != 0 && strncmp(url, "postgres:", 9) != 0)
		return;
	opts = PQconninfoParse(url, &errmsg);
	if (!opts) {
		PQfreemem(errmsg);
		abort(); /* the name was made, so libpq read it */
	}
	user = field(opts, "user");
	port = field(opts, "port");
	options = field(opts, "options");
	snprintf(want, sizeof(want), "postgresql://%s%s%s%s%s/%s%s%s", user, *user ? "@" : "", field(opts, "host"),
		 *port ? ":" : "", port, field(opts, "dbname"), *options ? " options=" : "", options);
	if (strcmp(name, want) != 0)
		abort();
	PQconninfoFree(opts);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sg_error err;
	long long seconds;
	char *text;
	int rc = 0;

	if (size < 1 || size > 4096)
		return 0;
	text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	switch (data[0] % 4) {
	case 0:
		check_url_name(text);
		break;
	case 1:
		if (sg_jobs_parse_duration(text, "--every", &seconds, &err) == 0 &&
		    (seconds < 1 || seconds > SG_JOB_MAX_INTERVAL_S))
			abort();
		break;
	case 2:
		rc = sg_jobs_check_notify(text, &err); /* either answer; no crash */
		break;
	default:
		rc = sg_jobs_check_instance(text, &err);
		break;
	}
	(void)rc;
	free(text);
	return 0;
}
