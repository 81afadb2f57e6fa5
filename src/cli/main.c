/* shipgate: global options, then one verb (DESIGN.md section 4). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/safe_text.h"
#include "util/hash.h"

#define SG_VERSION "0.1.0"

static const char usage_text[] =
	"usage: shipgate [--db URL] [--policy FILE] COMMAND ...\n"
	"\n"
	"  --db URL        sqlite:PATH (default .shipgate/shipgate.db, or $SHIPGATE_DB)\n"
	"  --policy FILE   default ./shipgate.yml when present, else the built-in policy\n"
	"\n"
	"commands:\n"
	"  init                               create the store; write a starter shipgate.yml\n"
	"  policy show | policy check FILE    the effective policy / validate a policy file\n"
	"  ingest sarif FILE... --product P [--commit SHA] [--release V] [--kind sast|dast]\n"
	"               [--env E] [--category C] [--source-root DIR]\n"
	"  ingest sbom FILE --product P [--commit SHA] [--release V]   (CycloneDX or SPDX JSON)\n"
	"  findings [list] --product P [--status open|fixed|false_positive|all] [--severity S]\n"
	"               [--format text|json] [--limit N]\n"
	"  findings show ID [--format text|json]\n"
	"  findings triage ID --status false_positive|open --reason TEXT\n"
	"  release create P VERSION --commit SHA [--build-digest D]\n"
	"  gate --product P [--release V] [--format text|json|markdown|junit|sarif]\n"
	"  sla --product P [--format text|json]\n"
	"  user add NAME --role viewer|developer|security|cto|admin | user key NAME --public FILE.pub\n"
	"  user list\n"
	"  key generate --out FILE            FILE (private, 0600) and FILE.pub\n"
	"  key sign --key FILE [FILE|-]       sign a file (an exception's payload) offline\n"
	"  exception request (--finding ID | --rule TOOL:RULE | --component PURL)\n"
	"               (--product P | --all-products) --reason TEXT --expires YYYY-MM-DD --as NAME\n"
	"  exception approve ID --as NAME (--key FILE | --signature FILE)\n"
	"  exception revoke ID --as NAME --reason TEXT\n"
	"  exception list [--status pending|active|expired|revoked] [--product P]\n"
	"               [--format text|json]\n"
	"  exception payload ID               the exact text an approver signs\n"
	"  vulndb import PATH...              OSV records: directories, .json files, .zip archives\n"
	"  vulndb status [--format text|json]\n"
	"  sca explain --product P --purl PURL [--vuln ID] [--format text|json]\n"
	"  audit log [--since DATE] [--format text|json] | audit verify [--anchor HASH]\n"
	"\n"
	"exit status: 0 ok / the gate passes, 1 the policy is not met, 2 bad usage or input,\n"
	"3 internal or storage failure. Documentation: docs/ in the source tree.\n";

static const struct {
	const char *name;
	sg_cmd_fn fn;
} commands[] = {
	{"init", sg_cmd_init},
	{"policy", sg_cmd_policy},
	{"ingest", sg_cmd_ingest},
	{"findings", sg_cmd_findings},
	{"release", sg_cmd_release},
	{"gate", sg_cmd_gate},
	{"sla", sg_cmd_sla},
	{"user", sg_cmd_user},
	{"key", sg_cmd_key},
	{"exception", sg_cmd_exception},
	{"audit", sg_cmd_audit},
	{"vulndb", sg_cmd_vulndb},
	{"sca", sg_cmd_sca},
};

static void report_error(const struct sg_error *err)
{
	char line[1200];

	sg_error_format(err, line, sizeof(line));
	/* Messages quote untrusted input (a record's field, an SBOM's type):
	 * control characters must not reach the terminal. */
	fputs("shipgate: error: ", stderr);
	sg_put_safe(stderr, line);
	fputc('\n', stderr);
	if (err->diag == SG_DIAG_USAGE)
		fprintf(stderr, "run `shipgate --help` for usage\n");
}

int main(int argc, char **argv)
{
	const char *db = getenv("SHIPGATE_DB"), *policy = NULL;
	struct sg_error err;
	struct sg_app app;
	int i = 1, rc = SG_OK;
	size_t c;

	/* Without TZ, glibc re-reads /etc/localtime at each time conversion
	 * (libarchive converts each zip entry's time): the same zone, once. */
	if (!getenv("TZ"))
		(void)setenv("TZ", ":/etc/localtime", 0);
	sg_error_clear(&err);
	if (sg_crypto_init() != 0) {
		fprintf(stderr, "shipgate: error: cannot initialise libsodium [internal]\n");
		return 3;
	}
	/* Global options come before the command. */
	while (i < argc && argv[i][0] == '-') {
		const char *arg = argv[i];
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			fputs(usage_text, stdout);
			return 0;
		}
		if (strcmp(arg, "--version") == 0) {
			printf("shipgate %s\n", SG_VERSION);
			return 0;
		}
		if ((strcmp(arg, "--db") == 0 || strcmp(arg, "--policy") == 0) && i + 1 < argc) {
			if (arg[2] == 'd')
				db = argv[i + 1];
			else
				policy = argv[i + 1];
			i += 2;
			continue;
		}
		if (strncmp(arg, "--db=", 5) == 0) {
			db = arg + 5;
		} else if (strncmp(arg, "--policy=", 9) == 0) {
			policy = arg + 9;
		} else {
			sg_error_set(&err, SG_DIAG_USAGE, "unknown global option \"%s\" (or it needs a value)", arg);
			report_error(&err);
			return 2;
		}
		i++;
	}
	if (i >= argc) {
		fputs(usage_text, stderr);
		return 2;
	}
	if (strcmp(argv[i], "help") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	sg_app_init(&app, db, policy);
	for (c = 0; c < sizeof(commands) / sizeof(commands[0]); c++) {
		if (strcmp(argv[i], commands[c].name) == 0) {
			rc = commands[c].fn(&app, argc - i - 1, argv + i + 1, &err);
			break;
		}
	}
	if (c == sizeof(commands) / sizeof(commands[0]))
		rc = sg_error_set(&err, SG_DIAG_USAGE, "unknown command \"%s\"", argv[i]);
	sg_app_close(&app);
	/* A refusal under the policy (exit 1) says why, unless the verb's own
	 * output already did (the gate's report). */
	if (rc != SG_OK && (rc != SG_EPOLICY || err.diag != SG_DIAG_NONE))
		report_error(&err);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "shipgate: error: cannot write the output\n");
		return 3;
	}
	return sg_exit_status(rc);
}
