/* shipgate: global options, then one verb (DESIGN.md section 4). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/remote.h"
#include "cli/safe_text.h"
#include "util/hash.h"

#define SG_VERSION "0.1.0"

static const char usage_text[] =
	"usage: shipgate [--db URL] [--policy FILE] COMMAND ...\n"
	"       shipgate --server URL [--token TOKEN] [--cacert FILE] COMMAND ...\n"
	"\n"
	"  --db URL        sqlite:PATH (default .shipgate/shipgate.db, or $SHIPGATE_DB)\n"
	"  --policy FILE   default ./shipgate.yml when present, else the built-in policy\n"
	"  --server URL    send the command to a shipgate server (or $SHIPGATE_SERVER; --server ''\n"
	"                  acts locally): " SG_REMOTE_VERBS " work so, each\n"
	"                  printing the server's JSON; --db and --policy do not apply. An http://\n"
	"                  URL sends the token in clear text: use https:// beyond this machine\n"
	"  --token TOKEN   the API token; prefer $SHIPGATE_TOKEN: other local users can read a\n"
	"                  command line (ps)\n"
	"  --cacert FILE   CA certificates to trust for the server (its own certificate authority)\n"
	"  With --server: no --as (the server acts as the token's user); findings list takes\n"
	"  [--page N] [--per-page N]; ingest sarif sends one upload per FILE, in order, and stops\n"
	"  at the first failure; exception approve --key signs here and sends only the signature.\n"
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
	"  user grant NAME --product P | user revoke-grant NAME --product P   (API access to P)\n"
	"  user list\n"
	"  token create --user NAME [--expires YYYY-MM-DD]   an API token, printed once\n"
	"  token list [--user NAME] [--format text|json] | token revoke ID\n"
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
	"  audit log [--since DATE] [--format text|json] | audit verify [--anchor HASH] [--format text|json]\n"
	"  serve [--listen ADDR:PORT] [--tls-cert F --tls-key F] [--behind-tls-proxy] [--threads N]\n"
	"               [--per-address N] [--max-body BYTES] [--rate-limit N] [--request-timeout S]\n"
	"               [--port-file F] [--instance NAME] [--vulndb-path PATH --vulndb-every DURATION]\n"
	"               [--sla-notify log|URL --sla-every DURATION [--sla-due-soon DAYS]]\n"
	"                                     the HTTP API (docs/api.md) and its jobs (docs/jobs.md)\n"
	"  job list [--format text|json] | job run-now NAME\n"
	"                                     the servers' background jobs: their runs / run one now\n"
	"  migrate --from URL --to URL [--format text|json]\n"
	"                                     copy a whole store, audit ledger included, into an empty\n"
	"                                     one (SQLite to PostgreSQL or back); kept only if it verifies\n"
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
	{"serve", sg_cmd_serve},
	{"token", sg_cmd_token},
	{"job", sg_cmd_job},
	{"migrate", sg_cmd_migrate},
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

/* The global options with a value: --NAME VALUE or --NAME=VALUE. */
enum { G_DB, G_POLICY, G_SERVER, G_TOKEN, G_CACERT, N_GLOBAL };
static const char *const global_names[N_GLOBAL] = {"--db", "--policy", "--server", "--token", "--cacert"};

/* Store argv[i]'s value in opt[]; returns the words used (1 or 2), or 0
 * when argv[i] is no global option or lacks its value. */
static int global_option(int argc, char **argv, int i, const char *opt[N_GLOBAL])
{
	int o;

	for (o = 0; o < N_GLOBAL; o++) {
		size_t n = strlen(global_names[o]);
		if (strncmp(argv[i], global_names[o], n) != 0)
			continue;
		if (argv[i][n] == '=') {
			opt[o] = argv[i] + n + 1;
			return 1;
		}
		if (argv[i][n] == '\0' && i + 1 < argc) {
			opt[o] = argv[i + 1];
			return 2;
		}
	}
	return 0;
}

/* The command goes to a server: checked before any request is made. */
static int run_remote(const char *server, const char *const opt[N_GLOBAL], int argc, char **argv,
		      struct sg_error *err)
{
	const char *token = opt[G_TOKEN] ? opt[G_TOKEN] : getenv("SHIPGATE_TOKEN");
	struct sg_client client;
	int rc;

	if (opt[G_DB] || opt[G_POLICY])
		return sg_error_set(err, SG_DIAG_USAGE,
				    "--db and --policy do not apply with --server: the server uses its own store and policy");
	if (!token || !token[0])
		return sg_error_set(err, SG_DIAG_USAGE, "--server needs an API token: set $SHIPGATE_TOKEN (or --token)");
	if ((rc = sg_client_open(&client, server, token, opt[G_CACERT], err)))
		return rc;
	rc = sg_remote_run(&client, argc, argv, err);
	sg_client_close(&client);
	return rc;
}

int main(int argc, char **argv)
{
	const char *opt[N_GLOBAL] = {NULL}, *db, *server;
	struct sg_error err;
	struct sg_app app;
	int i = 1, used, rc = SG_OK;
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
		if ((used = global_option(argc, argv, i, opt)) == 0) {
			/* Up to any "=": a mistyped --token=... must not print the token. */
			sg_error_set(&err, SG_DIAG_USAGE, "unknown global option \"%.*s\" (or it needs a value)",
				     (int)strcspn(arg, "="), arg);
			report_error(&err);
			return 2;
		}
		i += used;
	}
	if (i >= argc) {
		fputs(usage_text, stderr);
		return 2;
	}
	if (strcmp(argv[i], "help") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	server = opt[G_SERVER] ? opt[G_SERVER] : getenv("SHIPGATE_SERVER");
	if (server && server[0]) {
		rc = run_remote(server, opt, argc - i, argv + i, &err);
		goto out;
	}
	if (opt[G_TOKEN] || opt[G_CACERT]) {
		rc = sg_error_set(&err, SG_DIAG_USAGE, "--token and --cacert apply only with --server URL");
		goto out;
	}
	db = opt[G_DB] ? opt[G_DB] : getenv("SHIPGATE_DB");
	sg_app_init(&app, db, opt[G_POLICY]);
	for (c = 0; c < sizeof(commands) / sizeof(commands[0]); c++) {
		if (strcmp(argv[i], commands[c].name) == 0) {
			rc = commands[c].fn(&app, argc - i - 1, argv + i + 1, &err);
			break;
		}
	}
	if (c == sizeof(commands) / sizeof(commands[0]))
		rc = sg_error_set(&err, SG_DIAG_USAGE, "unknown command \"%s\"", argv[i]);
	sg_app_close(&app);
out:
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
