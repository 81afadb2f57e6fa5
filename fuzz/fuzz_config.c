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

/* The name must not show a password libpq reads from the URL. */
static void check_url_name(const char *url)
{
	char name[512], *errmsg = NULL;
	struct sg_error err;
	PQconninfoOption *opts, *o;

	if (sg_store_url_name(url, name, sizeof(name), &err) != 0)
		return;
	if (strncmp(url, "postgres", 8) != 0)
		return;
	opts = PQconninfoParse(url, &errmsg);
	if (!opts) {
		PQfreemem(errmsg);
		abort(); /* the name was made, so libpq read it */
	}
	for (o = opts; o->keyword; o++)
		if (o->val && strlen(o->val) >= 4 &&
		    (strcmp(o->keyword, "password") == 0 || strcmp(o->keyword, "sslpassword") == 0) &&
		    strstr(name, o->val))
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
