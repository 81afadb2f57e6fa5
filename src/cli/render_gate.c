#include "cli/render_gate.h"

#include <string.h>

#include "cli/safe_text.h"
#include "util/json_writer.h"
#include "util/timeutil.h"

static const char *verdict(const struct sg_gate_report *r)
{
	return r->result.blocked ? "block" : "pass";
}

static void location(FILE *out, const struct sg_gate_blocker *b)
{
	if (!b->path) {
		/* A vulnerable or mislicensed component is where the finding is. */
		if (b->component)
			sg_put_safe(out, b->component);
		else
			fputs("(no location)", out);
		return;
	}
	sg_put_safe(out, b->path);
	if (b->line > 0)
		fprintf(out, ":%ld", b->line);
}

static int more_than_listed(const struct sg_gate_report *r)
{
	return r->result.blocking_total > (long long)r->n_blockers;
}

void sg_render_gate_text(FILE *out, const struct sg_gate_report *r)
{
	char sha[2 * SG_SHA256_BYTES + 1];
	int i, j;
	size_t k;

	fputs("gate: ", out);
	sg_put_safe(out, r->product);
	if (r->release[0]) {
		fputc(' ', out);
		sg_put_safe(out, r->release);
	}
	fprintf(out, ": %s\n", r->result.blocked ? "BLOCK" : "PASS");
	for (i = 0; i < r->result.n_clauses; i++) {
		const struct sg_clause_result *c = &r->result.clauses[i];
		fprintf(out, "  %-6s %s\n",
			c->status == SG_CLAUSE_FAIL ? "FAIL" : c->status == SG_CLAUSE_WAIVED ? "WAIVED" : "ok", c->id);
		/* Reasons quote stored text (a scan's tool name from an SBOM). */
		for (j = 0; j < c->n_reasons; j++) {
			fputs("        ", out);
			sg_put_safe(out, c->reasons[j]);
			fputc('\n', out);
		}
		if (strcmp(c->id, "remediate.release") != 0 || r->n_blockers == 0)
			continue;
		for (k = 0; k < r->n_blockers; k++) {
			const struct sg_gate_blocker *b = &r->blockers[k];
			fprintf(out, "        #%lld %-8s ", b->id, sg_severity_name(b->severity));
			sg_put_safe(out, b->tool);
			fputc(' ', out);
			sg_put_safe(out, b->rule[0] ? b->rule : "(no rule)");
			fputs("  ", out);
			location(out, b);
			fputc('\n', out);
		}
		if (more_than_listed(r))
			fprintf(out, "        ... and %lld more\n", r->result.blocking_total - (long long)r->n_blockers);
	}
	if (r->n_waived) {
		fprintf(out, "  waived (%lld):\n", r->result.waived_total);
		for (k = 0; k < r->n_waived; k++) {
			const struct sg_gate_blocker *b = &r->waived[k];
			fprintf(out, "        #%lld %-8s ", b->id, sg_severity_name(b->severity));
			sg_put_safe(out, b->tool);
			fputc(' ', out);
			sg_put_safe(out, b->rule[0] ? b->rule : "(no rule)");
			fprintf(out, "  exception %lld, approved by ", b->exception_id);
			sg_put_safe(out, b->approver);
			fprintf(out, ", expires %s\n", b->expires);
		}
		if (r->result.waived_total > (long long)r->n_waived)
			fprintf(out, "        ... and %lld more\n", r->result.waived_total - (long long)r->n_waived);
	}
	if (r->clock_overridden) {
		char when[SG_TIME_TEXT];
		sg_time_format(r->evaluated_at, when);
		fprintf(out, "note: the clock is set by $SHIPGATE_NOW to %s, not the system clock\n", when);
	}
	sg_hex(r->policy->sha256, SG_SHA256_BYTES, sha);
	fprintf(out, "policy %s (%s) sha256 %.16s\n", r->policy->id, r->policy->source, sha);
}

/* A Markdown table cell from untrusted text: no line breaks, every character
 * Markdown acts on escaped (no links, images, mentions or HTML from a
 * scanner's message), controls and ill-formed UTF-8 replaced. */
static void md_cell(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\n' || c == '\r' || c == '\t') {
			fputc(' ', out);
		} else if (c == '<') {
			fputs("&lt;", out);
		} else if (c == '>') {
			fputs("&gt;", out);
		} else if (c == '@') {
			fputs("&#64;", out);
		} else if (strchr("\\`*_{}[]()#+-.!|~", c) && c) {
			fputc('\\', out);
			fputc(c, out);
		} else if (c < 0x20 || c == 0x7f) {
			fputc('?', out);
		} else if (c < 0x80) {
			fputc(c, out);
		} else {
			s += sg_put_utf8_char(out, s, strlen(s)) - 1;
		}
	}
}

void sg_render_gate_markdown(FILE *out, const struct sg_gate_report *r)
{
	char sha[2 * SG_SHA256_BYTES + 1];
	int i, j;
	size_t k;

	fputs("## shipgate: ", out);
	md_cell(out, r->product);
	if (r->release[0]) {
		fputc(' ', out);
		md_cell(out, r->release);
	}
	fprintf(out, " — **%s**\n\n| clause | status | reasons |\n|---|---|---|\n",
		r->result.blocked ? "BLOCK" : "PASS");
	for (i = 0; i < r->result.n_clauses; i++) {
		const struct sg_clause_result *c = &r->result.clauses[i];
		fprintf(out, "| `%s` | %s | ", c->id, c->status == SG_CLAUSE_FAIL ? ":x: fail" : c->status == SG_CLAUSE_WAIVED ? ":warning: waived" : ":white_check_mark: pass");
		for (j = 0; j < c->n_reasons; j++) {
			if (j)
				fputs("<br>", out);
			md_cell(out, c->reasons[j]);
		}
		fputs(" |\n", out);
	}
	if (r->n_blockers) {
		fprintf(out, "\n### Blocking findings (%lld)\n\n| id | severity | tool | rule | location | message |\n"
			"|---|---|---|---|---|---|\n", r->result.blocking_total);
		for (k = 0; k < r->n_blockers; k++) {
			const struct sg_gate_blocker *b = &r->blockers[k];
			fprintf(out, "| %lld | %s | ", b->id, sg_severity_name(b->severity));
			md_cell(out, b->tool);
			fputs(" | ", out);
			md_cell(out, b->rule);
			fputs(" | ", out);
			md_cell(out, b->path ? b->path : b->component ? b->component : "");
			if (b->path && b->line > 0)
				fprintf(out, ":%ld", b->line);
			fputs(" | ", out);
			md_cell(out, b->message);
			fputs(" |\n", out);
		}
		if (more_than_listed(r))
			fprintf(out, "\n... and %lld more.\n", r->result.blocking_total - (long long)r->n_blockers);
	}
	sg_hex(r->policy->sha256, SG_SHA256_BYTES, sha);
	fprintf(out, "\nPolicy `%s`, sha256 `%.16s`.\n", r->policy->id, sha);
}

static void xml_text(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		default:
			/* XML 1.0 allows no control characters but tab, CR and LF,
			 * and the document says UTF-8. */
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
				fputc(' ', out);
			} else if (c < 0x80) {
				fputc(c, out);
			} else {
				s += sg_put_utf8_char(out, s, strlen(s)) - 1;
			}
		}
	}
}

void sg_render_gate_junit(FILE *out, const struct sg_gate_report *r)
{
	int i, j, failures = 0;
	size_t k;

	for (i = 0; i < r->result.n_clauses; i++)
		failures += r->result.clauses[i].status == SG_CLAUSE_FAIL;
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"shipgate\" tests=\"%d\" "
		"failures=\"%d\">\n  <testsuite name=\"shipgate gate ", r->result.n_clauses, failures);
	xml_text(out, r->product);
	if (r->release[0]) {
		fputc(' ', out);
		xml_text(out, r->release);
	}
	fprintf(out, "\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"0\">\n", r->result.n_clauses, failures);
	for (i = 0; i < r->result.n_clauses; i++) {
		const struct sg_clause_result *c = &r->result.clauses[i];
		fputs("    <testcase classname=\"shipgate.", out);
		xml_text(out, r->product);
		fprintf(out, "\" name=\"%s\"", c->id);
		if (c->status != SG_CLAUSE_FAIL) {
			fputs(">\n      <system-out>", out);
			for (j = 0; j < c->n_reasons; j++) {
				xml_text(out, c->reasons[j]);
				fputc('\n', out);
			}
			fputs("</system-out>\n    </testcase>\n", out);
			continue;
		}
		fputs(">\n      <failure message=\"", out);
		xml_text(out, c->n_reasons ? c->reasons[0] : "failed");
		fputs("\">", out);
		for (j = 0; j < c->n_reasons; j++) {
			xml_text(out, c->reasons[j]);
			fputc('\n', out);
		}
		if (strcmp(c->id, "remediate.release") == 0) {
			for (k = 0; k < r->n_blockers; k++) {
				const struct sg_gate_blocker *b = &r->blockers[k];
				fprintf(out, "#%lld %s ", b->id, sg_severity_name(b->severity));
				xml_text(out, b->tool);
				fputc(' ', out);
				xml_text(out, b->rule);
				fputc(' ', out);
				xml_text(out, b->path ? b->path : b->component ? b->component : "(no location)");
				if (b->path && b->line > 0)
					fprintf(out, ":%ld", b->line);
				fputc('\n', out);
			}
		}
		fputs("</failure>\n    </testcase>\n", out);
	}
	fputs("  </testsuite>\n</testsuites>\n", out);
}

/* RFC 3986: keep unreserved and sub-delims, ":", "@" and "/"; encode the rest. */
static void uri_encode(const char *path, char *out, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (; *path && o + 4 < size; path++) {
		unsigned char c = (unsigned char)*path;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    strchr("-._~/:@!$&'()*+,;=", c)) {
			out[o++] = (char)c;
		} else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
}

int sg_render_gate_sarif(FILE *out, const struct sg_gate_report *r)
{
	struct sg_jw w;
	char uri[8192], message[1024];
	size_t k;

	sg_jw_init_file(&w, out, 1);
	sg_jw_object_begin(&w);
	sg_jw_kv_string(&w, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	sg_jw_kv_string(&w, "version", "2.1.0");
	sg_jw_key(&w, "runs");
	sg_jw_array_begin(&w);
	sg_jw_object_begin(&w);
	sg_jw_key(&w, "tool");
	sg_jw_object_begin(&w);
	sg_jw_key(&w, "driver");
	sg_jw_object_begin(&w);
	sg_jw_kv_string(&w, "name", "shipgate");
	sg_jw_key(&w, "rules");
	sg_jw_array_begin(&w);
	sg_jw_object_begin(&w);
	sg_jw_kv_string(&w, "id", "remediate.release");
	sg_jw_key(&w, "shortDescription");
	sg_jw_object_begin(&w);
	sg_jw_kv_string(&w, "text", "Open findings at a blocking severity must be fixed or excepted before release");
	sg_jw_object_end(&w);
	sg_jw_object_end(&w);
	sg_jw_array_end(&w);
	sg_jw_object_end(&w);
	sg_jw_object_end(&w);
	sg_jw_key(&w, "results");
	sg_jw_array_begin(&w);
	for (k = 0; k < r->n_blockers; k++) {
		const struct sg_gate_blocker *b = &r->blockers[k];
		sg_jw_object_begin(&w);
		sg_jw_kv_string(&w, "ruleId", "remediate.release");
		sg_jw_kv_string(&w, "level", "error");
		sg_jw_key(&w, "message");
		sg_jw_object_begin(&w);
		snprintf(message, sizeof(message), "finding %lld (%s) blocks the release: %s %s: %s", b->id,
			 sg_severity_name(b->severity), b->tool, b->rule, b->message ? b->message : "");
		sg_jw_kv_string(&w, "text", message);
		sg_jw_object_end(&w);
		if (b->path) {
			uri_encode(b->path, uri, sizeof(uri));
			sg_jw_key(&w, "locations");
			sg_jw_array_begin(&w);
			sg_jw_object_begin(&w);
			sg_jw_key(&w, "physicalLocation");
			sg_jw_object_begin(&w);
			sg_jw_key(&w, "artifactLocation");
			sg_jw_object_begin(&w);
			sg_jw_kv_string(&w, "uri", uri);
			sg_jw_object_end(&w);
			if (b->line > 0) {
				sg_jw_key(&w, "region");
				sg_jw_object_begin(&w);
				sg_jw_kv_int(&w, "startLine", b->line);
				sg_jw_object_end(&w);
			}
			sg_jw_object_end(&w);
			sg_jw_object_end(&w);
			sg_jw_array_end(&w);
		}
		sg_jw_key(&w, "partialFingerprints");
		sg_jw_object_begin(&w);
		sg_jw_kv_string(&w, "shipgateFinding/v1", b->fingerprint);
		sg_jw_object_end(&w);
		sg_jw_key(&w, "properties");
		sg_jw_object_begin(&w);
		sg_jw_kv_int(&w, "finding", b->id);
		sg_jw_kv_string(&w, "severity", sg_severity_name(b->severity));
		sg_jw_kv_string(&w, "tool", b->tool);
		sg_jw_kv_string(&w, "rule", b->rule);
		sg_jw_object_end(&w);
		sg_jw_object_end(&w);
	}
	sg_jw_array_end(&w);
	sg_jw_key(&w, "properties");
	sg_jw_object_begin(&w);
	sg_jw_kv_string(&w, "product", r->product);
	sg_jw_kv_string(&w, "release", r->release[0] ? r->release : NULL);
	sg_jw_kv_string(&w, "verdict", verdict(r));
	sg_jw_object_end(&w);
	sg_jw_object_end(&w);
	sg_jw_array_end(&w);
	sg_jw_object_end(&w);
	return sg_jw_finish(&w);
}
