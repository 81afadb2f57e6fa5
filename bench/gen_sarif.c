/*
 * gen_sarif: writes a deterministic, realistic SARIF 2.1.0 log for the
 * benchmark (bench/run.sh).
 *
 *   gen_sarif N OUT.sarif [--seed S] [--commit-variant K] [--compact]
 *
 * One run of a tool "BenchScan" with 200 rules (security-severity on most,
 * not all), N results shaped like those of real scanners: ruleId and
 * ruleIndex, "level" mostly omitted, a relative URI under uriBaseId SRCROOT,
 * a region with a snippet, partialFingerprints on about half (the other half
 * forces identity to fall back to snippet hashing) and codeFlows on about
 * 10%. Output is pretty-printed with two-space indentation like CodeQL's, so
 * a result weighs about 1.2 KB (100k results: 118 MB; 1M: 1.18 GB), in line
 * with real CodeQL logs; --compact drops the white space (~0.54 KB).
 *
 * Every result derives its content from a hash of (seed, result number) and
 * its snippet and fingerprint carry that number, so the N results are N
 * distinct findings and the file is the same for the same arguments.
 *
 * --commit-variant K (K > 0) models a later commit of the same code: every
 * line number moves by a K-dependent offset (identity must ignore it) and
 * about 1% of results are replaced by new ones (fixed plus newly introduced
 * findings). K = 0, the default, is the base commit.
 *
 * Only libc: it must build anywhere the benchmark runs.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_RULES 200u
#define N_CATEGORIES 16u
#define MAX_DEPTH 32
/* Our own output buffer: formatting byte by byte through stdio's locked calls
 * would dominate the run time; we hand stdio big blocks instead. */
#define OUT_CAP (1u << 22)

struct out {
	FILE *f;
	char *buf;
	size_t len;
	int failed;
	int compact;
	int depth;
	int after_key;                   /* next value follows "key": */
	unsigned char first[MAX_DEPTH];  /* container at this depth is still empty */
};

static void out_flush(struct out *o)
{
	if (o->len > 0 && fwrite(o->buf, 1, o->len, o->f) != o->len)
		o->failed = 1;
	o->len = 0;
}

static void put(struct out *o, const char *s, size_t n)
{
	if (o->len + n > OUT_CAP) {
		out_flush(o);
		if (n > OUT_CAP) {
			if (fwrite(s, 1, n, o->f) != n)
				o->failed = 1;
			return;
		}
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void put_c(struct out *o, char c)
{
	if (o->len == OUT_CAP)
		out_flush(o);
	o->buf[o->len++] = c;
}

static void put_s(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void put_u(struct out *o, unsigned long long v)
{
	char tmp[24];
	size_t i = sizeof tmp;

	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	put(o, tmp + i, sizeof tmp - i);
}

/* JSON string body: copies runs of plain bytes in one go, escapes the rest.
 * Bytes >= 0x80 pass through: the text we generate is valid UTF-8. */
static void put_escaped(struct out *o, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;

	put_c(o, '"');
	for (;; s++) {
		unsigned char c = (unsigned char)*s;
		const char *esc = NULL;
		char u[6];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put(o, run, (size_t)(s - run));
		if (c == 0)
			break;
		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\t': esc = "\\t"; break;
		case '\r': esc = "\\r"; break;
		default:
			u[0] = '\\';
			u[1] = 'u';
			u[2] = '0';
			u[3] = '0';
			u[4] = hex[c >> 4];
			u[5] = hex[c & 15];
			put(o, u, sizeof u);
			break;
		}
		if (esc != NULL)
			put(o, esc, 2);
		run = s + 1;
	}
	put_c(o, '"');
}

static void newline(struct out *o)
{
	static const char spaces[] = "                                                                ";
	size_t n = (size_t)o->depth * 2;

	if (o->compact)
		return;
	put_c(o, '\n');
	while (n > 0) {
		size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
		put(o, spaces, k);
		n -= k;
	}
}

/* Separator and indentation owed before a member or an array element. */
static void member_start(struct out *o)
{
	if (o->depth > 0) {
		if (!o->first[o->depth])
			put_c(o, ',');
		o->first[o->depth] = 0;
	}
	newline(o);
}

static void value_start(struct out *o)
{
	if (o->after_key) {
		o->after_key = 0;
		return;
	}
	if (o->depth > 0)
		member_start(o);
}

static void open_c(struct out *o, char c)
{
	value_start(o);
	put_c(o, c);
	if (o->depth + 1 >= MAX_DEPTH) {
		/* Our document shape is fixed and shallow: this is a programming error. */
		fputs("gen_sarif: nesting too deep\n", stderr);
		exit(2);
	}
	o->depth++;
	o->first[o->depth] = 1;
}

static void close_c(struct out *o, char c)
{
	int empty = o->first[o->depth];

	o->depth--;
	if (!empty)
		newline(o);
	put_c(o, c);
}

static void obj(struct out *o) { open_c(o, '{'); }
static void obj_end(struct out *o) { close_c(o, '}'); }
static void arr(struct out *o) { open_c(o, '['); }
static void arr_end(struct out *o) { close_c(o, ']'); }

/* Keys are our own constants and need no escaping. */
static void key(struct out *o, const char *k)
{
	member_start(o);
	put_c(o, '"');
	put_s(o, k);
	put_s(o, o->compact ? "\":" : "\": ");
	o->after_key = 1;
}

static void str(struct out *o, const char *s)
{
	value_start(o);
	put_escaped(o, s);
}

static void num(struct out *o, unsigned long long v)
{
	value_start(o);
	put_u(o, v);
}

static void boolean(struct out *o, int v)
{
	value_start(o);
	put_s(o, v ? "true" : "false");
}

static void kv_str(struct out *o, const char *k, const char *v)
{
	key(o, k);
	str(o, v);
}

static void kv_num(struct out *o, const char *k, unsigned long long v)
{
	key(o, k);
	num(o, v);
}

/* {"text": ...}, SARIF's message and multiformatMessageString shape. */
static void kv_text(struct out *o, const char *k, const char *text)
{
	key(o, k);
	obj(o);
	kv_str(o, "text", text);
	obj_end(o);
}

/* splitmix64: tiny, fast and good enough to make the data look varied. */
static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	r->s += 0x9e3779b97f4a7c15ull;
	return mix64(r->s);
}

static uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * n) >> 32);
}

struct category {
	const char *name;
	const char *short_desc;
	const char *full_desc;
	unsigned cwe;
};

/* The weakness classes rules are drawn from; rule r is category r % 16. */
static const struct category categories[N_CATEGORIES] = {
	{ "UncheckedBufferCopy", "Copy into a fixed-size buffer without a length check",
	  "Copying data whose length is controlled by the caller into a fixed-size buffer can overflow it and corrupt adjacent memory.", 120 },
	{ "FormatStringInjection", "Uncontrolled format string",
	  "Passing user-controlled data as the format argument of a printf-style function lets an attacker read or write memory with \"%n\" and \"%x\" directives.", 134 },
	{ "SqlInjection", "Database query built from user-controlled sources",
	  "Building a SQL query by concatenating user input allows an attacker to change the meaning of the query (e.g. ' OR '1'='1).", 89 },
	{ "CommandInjection", "Uncontrolled command line",
	  "A shell command built from user input can execute arbitrary commands when the input contains ';', '|' or '$(...)'.", 78 },
	{ "PathTraversal", "Uncontrolled data used in path expression",
	  "A file path built from user input may contain \"..\\\\\" or \"../\" sequences and escape the intended directory.", 22 },
	{ "NullDereference", "Dereference of a possibly null pointer",
	  "A pointer that may be NULL on some path is dereferenced without a check.", 476 },
	{ "UseAfterFree", "Use of memory after it has been freed",
	  "Memory is read or written through a pointer after the block it points to was released.", 416 },
	{ "IntegerOverflow", "Multiplication result may overflow before conversion",
	  "An arithmetic operation on sizes may wrap around and lead to an undersized allocation.", 190 },
	{ "UninitializedVariable", "Use of an uninitialized local variable",
	  "A local variable is read on a path where it was never assigned.", 457 },
	{ "HardcodedCredential", "Hard-coded credentials",
	  "A password or key is embedded in the source code, where anyone with access to the binary or the repository can read it.", 798 },
	{ "WeakCryptography", "Use of a broken or risky cryptographic algorithm",
	  "MD5, SHA-1 and DES are considered broken for security purposes.", 327 },
	{ "MissingBoundsCheck", "Array index from untrusted input without bounds check",
	  "An index taken from untrusted input is used to access an array without checking it against the array's length.", 129 },
	{ "TimeOfCheckTimeOfUse", "Time-of-check time-of-use filesystem race",
	  "The file checked with access() may be replaced before it is opened.", 367 },
	{ "InsecureTemporaryFile", "Insecure temporary file",
	  "tmpnam() and mktemp() return predictable names that another process can create first.", 377 },
	{ "ResourceLeak", "Resource not released on all paths",
	  "A file handle or memory block acquired here is not released on some path out of the function.", 772 },
	{ "DoubleFree", "Memory freed twice",
	  "Freeing the same block twice corrupts the allocator's state and is often exploitable.", 415 },
};

static const char *const levels[3] = { "error", "warning", "note" };

/* Variables the snippets talk about; some carry characters that need care. */
static const char *const vars[] = {
	"input", "req->body", "argv[1]", "user_name", "pkt->payload", "hdr.value",
	"env_path", "query_str", "msg", "cfg->path", "opts[\"name\"]", "line",
};
#define N_VARS (sizeof vars / sizeof vars[0])

static unsigned rule_level(unsigned r)
{
	/* error, warning, warning, note, error: warnings and errors dominate */
	static const unsigned pattern[5] = { 0, 1, 1, 2, 0 };

	return pattern[r % 5];
}

/* A few rules have no security-severity, as in real rule packs (quality
 * queries); the gate then falls back to the level. */
static int rule_has_severity(unsigned r)
{
	return r % 17 != 5;
}

static void write_rule(struct out *o, uint64_t seed, unsigned r)
{
	const struct category *c = &categories[r % N_CATEGORIES];
	struct rng g = { mix64(seed ^ 0x52554c45ull) ^ mix64(r) };
	char id[16], name[64], cwe_tag[48], sev[24], help[1024], md[1024];
	unsigned variant = r / N_CATEGORIES;
	/* 1.0 .. 9.9, as the string SARIF producers use */
	unsigned tenths = 10 + rng_below(&g, 90);

	snprintf(id, sizeof id, "BS%04u", r + 1);
	if (variant == 0)
		snprintf(name, sizeof name, "%s", c->name);
	else
		snprintf(name, sizeof name, "%sV%u", c->name, variant + 1);
	snprintf(cwe_tag, sizeof cwe_tag, "external/cwe/cwe-%u", c->cwe);
	snprintf(sev, sizeof sev, "%u.%u", tenths / 10, tenths % 10);
	snprintf(help, sizeof help,
		 "%s\n\nRecommendation:\n\tValidate \"untrusted\" data before use; see CWE-%u.\n"
		 "Example (bad):\n    process(input);  // C:\\src\\legacy\\handler.c\n",
		 c->full_desc, c->cwe);
	snprintf(md, sizeof md,
		 "# %s\n\n%s\n\n## Recommendation\nValidate *untrusted* data before use.\n\n"
		 "## References\n* [CWE-%u](https://cwe.mitre.org/data/definitions/%u.html)\n",
		 c->short_desc, c->full_desc, c->cwe, c->cwe);

	obj(o);
	kv_str(o, "id", id);
	kv_str(o, "name", name);
	kv_text(o, "shortDescription", c->short_desc);
	kv_text(o, "fullDescription", c->full_desc);
	key(o, "help");
	obj(o);
	kv_str(o, "text", help);
	kv_str(o, "markdown", md);
	obj_end(o);
	key(o, "defaultConfiguration");
	obj(o);
	kv_str(o, "level", levels[rule_level(r)]);
	obj_end(o);
	key(o, "properties");
	obj(o);
	key(o, "tags");
	arr(o);
	str(o, "security");
	str(o, cwe_tag);
	if (r % 3 == 0)
		str(o, "correctness");
	arr_end(o);
	kv_str(o, "precision", (r % 4 == 0) ? "medium" : "high");
	if (rule_has_severity(r))
		kv_str(o, "security-severity", sev);
	obj_end(o);
	obj_end(o);
}

/* Message and flagged code of one result. `n` is the result's content number,
 * woven into the code so every snippet (and thus every finding) is distinct. */
static void result_text(unsigned cat, unsigned long long n, const char *v,
			char *msg, size_t msg_len, char *snip, size_t snip_len)
{
	switch (cat) {
	case 0:
		snprintf(msg, msg_len, "Call to 'memcpy' copies a length taken from '%s' into 'buf_%llu', a buffer of %llu bytes.", v, n, 16 + n % 240);
		snprintf(snip, snip_len, "\tmemcpy(buf_%llu, %s, len_%llu);\n", n, v, n);
		break;
	case 1:
		snprintf(msg, msg_len, "The format string of 'fprintf' is derived from '%s', which comes from a user-controlled source.", v);
		snprintf(snip, snip_len, "    fprintf(log_%llu, %s);\n", n, v);
		break;
	case 2:
		snprintf(msg, msg_len, "This query depends on a [user-provided value](1) (\"%s\"): use a prepared statement.", v);
		snprintf(snip, snip_len, "    snprintf(q, sizeof q, \"SELECT * FROM users WHERE name = '%%s' AND tenant = %llu\", %s);\n", n, v);
		break;
	case 3:
		snprintf(msg, msg_len, "This command line depends on a [user-provided value](1) ('%s').", v);
		snprintf(snip, snip_len, "    system(cmd_%llu); /* built from %s */\n", n, v);
		break;
	case 4:
		snprintf(msg, msg_len, "This path depends on a [user-provided value](1); '%s' may contain \"..\" segments.", v);
		snprintf(snip, snip_len, "    fd = open(\"C:\\\\data\\\\spool_%llu\\\\\" %s, O_RDONLY);\n", n, v);
		break;
	case 5:
		snprintf(msg, msg_len, "Pointer 'node_%llu' may be null here: it was compared to NULL at line %llu.", n, 1 + n % 500);
		snprintf(snip, snip_len, "\tif (node_%llu->next->refcount == 0 && %s)\n", n, v);
		break;
	case 6:
		snprintf(msg, msg_len, "Memory pointed to by 'ctx_%llu' is used after being freed.", n);
		snprintf(snip, snip_len, "    free(ctx_%llu); log_debug(\"freed %%p for %%s\", (void *)ctx_%llu->owner, %s);\n", n, n, v);
		break;
	case 7:
		snprintf(msg, msg_len, "Multiplication 'count * sizeof(struct item_%llu)' may overflow before it is converted to size_t.", n);
		snprintf(snip, snip_len, "    size_t total_%llu = count * sizeof(struct item_%llu); /* %s */\n", n, n, v);
		break;
	case 8:
		snprintf(msg, msg_len, "Variable 'rc_%llu' is read before it is initialized on some paths.", n);
		snprintf(snip, snip_len, "    int rc_%llu; if (%s) rc_%llu = 1; return rc_%llu;\n", n, v, n, n);
		break;
	case 9:
		snprintf(msg, msg_len, "Hard-coded credential in 'password_%llu'.", n);
		snprintf(snip, snip_len, "    static const char *password_%llu = \"hunter2-%llx\";\n", n, n * 2654435761ull);
		break;
	case 10:
		snprintf(msg, msg_len, "MD5 is a broken hash algorithm; '%s' should be hashed with SHA-256 or better.", v);
		snprintf(snip, snip_len, "    MD5_Update(&md_ctx_%llu, %s, strlen(%s));\n", n, v, v);
		break;
	case 11:
		snprintf(msg, msg_len, "Index '%s' from an untrusted source is used to access 'table_%llu' without a bounds check.", v, n);
		snprintf(snip, snip_len, "    return table_%llu[%s];\n", n, v);
		break;
	case 12:
		snprintf(msg, msg_len, "The file 'path_%llu' is checked with access() and then opened: it may change in between.", n);
		snprintf(snip, snip_len, "    if (access(path_%llu, W_OK) == 0) fd = open(path_%llu, O_WRONLY); // %s\n", n, n, v);
		break;
	case 13:
		snprintf(msg, msg_len, "Call to 'tmpnam' returns a predictable name ('tmp_%llu').", n);
		snprintf(snip, snip_len, "    char *tmp_%llu = tmpnam(NULL); /* \"%s\" */\n", n, v);
		break;
	case 14:
		snprintf(msg, msg_len, "File opened from '%s' is not closed on the error path (resource 'fp_%llu').", v, n);
		snprintf(snip, snip_len, "    FILE *fp_%llu = fopen(%s, \"r\");\n", n, v);
		break;
	default:
		snprintf(msg, msg_len, "Memory 'blk_%llu' may be freed twice (first free on the error path).", n);
		snprintf(snip, snip_len, "\tfree(blk_%llu);\n\tfree(blk_%llu); /* %s */\n", n, n, v);
		break;
	}
}

static void write_location(struct out *o, const char *uri, unsigned line, unsigned col,
			   unsigned end_line, unsigned end_col, const char *snippet)
{
	key(o, "physicalLocation");
	obj(o);
	key(o, "artifactLocation");
	obj(o);
	kv_str(o, "uri", uri);
	kv_str(o, "uriBaseId", "SRCROOT");
	obj_end(o);
	key(o, "region");
	obj(o);
	kv_num(o, "startLine", line);
	kv_num(o, "startColumn", col);
	/* CodeQL omits endLine when the region is on one line */
	if (end_line != line)
		kv_num(o, "endLine", end_line);
	kv_num(o, "endColumn", end_col);
	if (snippet != NULL)
		kv_text(o, "snippet", snippet);
	obj_end(o);
	obj_end(o);
}

static void make_uri(char *uri, size_t len, struct rng *g)
{
	static const char *const exts[] = { ".c", ".c", ".c", ".h", ".cc", ".cpp" };
	static const char *const tops[] = { "src", "src", "src", "lib", "tools" };
	unsigned top = rng_below(g, sizeof tops / sizeof tops[0]);
	unsigned module = rng_below(g, 200);
	unsigned file = rng_below(g, 60);
	unsigned ext = rng_below(g, sizeof exts / sizeof exts[0]);

	snprintf(uri, len, "%s/module_%u/file_%u%s", tops[top], module, file, exts[ext]);
}

static void write_code_flow(struct out *o, struct rng *g, const char *sink_uri,
			    unsigned sink_line, const char *v)
{
	unsigned steps = 3 + rng_below(g, 4); /* 3..6 */
	char uri[96], text[160];

	key(o, "codeFlows");
	arr(o);
	obj(o);
	key(o, "threadFlows");
	arr(o);
	obj(o);
	key(o, "locations");
	arr(o);
	for (unsigned s = 0; s < steps; s++) {
		int last = s + 1 == steps;
		unsigned line, col = 1 + rng_below(g, 30);

		if (last) {
			snprintf(uri, sizeof uri, "%s", sink_uri);
			line = sink_line;
			snprintf(text, sizeof text, "sink: %s reaches a dangerous call", v);
		} else {
			make_uri(uri, sizeof uri, g);
			line = 1 + rng_below(g, 4000);
			if (s == 0)
				snprintf(text, sizeof text, "source: %s (user-controlled)", v);
			else
				/* non-ASCII on purpose: real flow messages carry it */
				snprintf(text, sizeof text, "step %u \xe2\x86\x92 copied into '%s'", s, v);
		}
		obj(o);
		key(o, "location");
		obj(o);
		write_location(o, uri, line, col, line, col + 8 + rng_below(g, 20), NULL);
		kv_text(o, "message", text);
		obj_end(o);
		obj_end(o);
	}
	arr_end(o);
	obj_end(o);
	arr_end(o);
	obj_end(o);
	arr_end(o);
}

/* The number result i's content derives from. In a --commit-variant K log,
 * ~1% of results get a number no base result uses (a fixed finding replaced
 * by a new one) and every line moves by *line_shift. */
static unsigned long long content_number(uint64_t seed, unsigned long long i,
					 unsigned long long n_results,
					 unsigned long long variant, unsigned *line_shift)
{
	struct rng vg = { mix64(seed ^ 0x5641524eull) ^ mix64(i) ^ mix64(variant) };

	*line_shift = 0;
	if (variant == 0)
		return i;
	*line_shift = (unsigned)(variant * 7 % 50) + 1;
	return rng_below(&vg, 100) == 0 ? i + n_results * variant : i;
}

/* Skewed rule choice: a few rules produce most results, as in practice. */
static unsigned pick_rule(struct rng *g)
{
	double x = (double)(rng_next(g) >> 11) * (1.0 / 9007199254740992.0);
	unsigned rule = (unsigned)(x * x * N_RULES);

	return rule < N_RULES ? rule : N_RULES - 1;
}

static void write_result(struct out *o, uint64_t seed, unsigned long long i,
			 unsigned long long n_results, unsigned long long variant)
{
	unsigned line_shift;
	unsigned long long n = content_number(seed, i, n_results, variant, &line_shift);
	struct rng g = { mix64(seed) ^ mix64(n) };
	unsigned rule = pick_rule(&g);
	unsigned cat = rule % N_CATEGORIES;
	const char *v = vars[rng_below(&g, N_VARS)];
	char uri[96], msg[320], snip[320], rule_id[16], fp[24];
	unsigned line, col, end_line, end_col, level;
	int explicit_level, has_fp, has_flow;

	make_uri(uri, sizeof uri, &g);
	line = 1 + rng_below(&g, 4000) + line_shift;
	col = 1 + rng_below(&g, 24);
	result_text(cat, n, v, msg, sizeof msg, snip, sizeof snip);
	end_line = cat == 15 ? line + 1 : line;
	end_col = col + 10 + rng_below(&g, 50);
	explicit_level = rng_below(&g, 100) < 8;
	level = rng_below(&g, 3);
	has_fp = rng_below(&g, 2) == 0;
	has_flow = rng_below(&g, 10) == 0;

	snprintf(rule_id, sizeof rule_id, "BS%04u", rule + 1);
	snprintf(fp, sizeof fp, "%016llx:1", (unsigned long long)mix64(seed ^ 0x46505249ull ^ mix64(n)));

	obj(o);
	kv_str(o, "ruleId", rule_id);
	kv_num(o, "ruleIndex", rule);
	if (explicit_level)
		kv_str(o, "level", levels[level]);
	kv_text(o, "message", msg);
	key(o, "locations");
	arr(o);
	obj(o);
	write_location(o, uri, line, col, end_line, end_col, snip);
	obj_end(o);
	arr_end(o);
	if (has_fp) {
		key(o, "partialFingerprints");
		obj(o);
		kv_str(o, "primaryLocationLineHash", fp);
		obj_end(o);
	}
	if (has_flow)
		write_code_flow(o, &g, uri, line, v);
	obj_end(o);
}

static void write_log(struct out *o, uint64_t seed, unsigned long long n_results,
		      unsigned long long variant)
{
	obj(o);
	kv_str(o, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
	kv_str(o, "version", "2.1.0");
	key(o, "runs");
	arr(o);
	obj(o);

	key(o, "tool");
	obj(o);
	key(o, "driver");
	obj(o);
	kv_str(o, "name", "BenchScan");
	kv_str(o, "version", "3.2.1");
	kv_str(o, "semanticVersion", "3.2.1");
	kv_str(o, "informationUri", "https://example.invalid/benchscan");
	key(o, "rules");
	arr(o);
	for (unsigned r = 0; r < N_RULES; r++)
		write_rule(o, seed, r);
	arr_end(o);
	obj_end(o);
	obj_end(o);

	key(o, "invocations");
	arr(o);
	obj(o);
	kv_str(o, "commandLine", "benchscan analyze --format sarif --output results.sarif src/");
	kv_str(o, "startTimeUtc", "2024-05-01T12:00:00.000Z");
	kv_str(o, "endTimeUtc", "2024-05-01T12:41:07.250Z");
	key(o, "executionSuccessful");
	boolean(o, 1);
	obj_end(o);
	arr_end(o);

	key(o, "originalUriBaseIds");
	obj(o);
	key(o, "SRCROOT");
	obj(o);
	kv_str(o, "uri", "file:///home/ci/work/project/");
	obj_end(o);
	obj_end(o);

	kv_str(o, "columnKind", "utf16CodeUnits");

	/* results last, as CodeQL writes them: the streaming reader must cope
	 * with rules arriving before the results that reference them */
	key(o, "results");
	arr(o);
	for (unsigned long long i = 0; i < n_results && !o->failed; i++)
		write_result(o, seed, i, n_results, variant);
	arr_end(o);

	obj_end(o);
	arr_end(o);
	obj_end(o);
	put_c(o, '\n');
}

static int parse_u64(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;
	unsigned long long v;

	/* strtoull accepts "-1" and wraps it: refuse signs outright */
	if (s[0] < '0' || s[0] > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return -1;
	*out = v;
	return 0;
}

static void usage(void)
{
	fputs("usage: gen_sarif N OUT.sarif [--seed S] [--commit-variant K] [--compact]\n"
	      "  OUT.sarif may be - for standard output\n", stderr);
	exit(2);
}

static int generate(const char *path, uint64_t seed, unsigned long long n_results,
		    unsigned long long variant, int compact)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
	struct out o = { .f = f, .compact = compact };

	if (f == NULL) {
		fprintf(stderr, "gen_sarif: %s: %s\n", path, strerror(errno));
		return 1;
	}
	/* Large stdio buffer too, so our 4 MB blocks go out in few write(2)s. */
	setvbuf(f, NULL, _IOFBF, 1u << 22);
	o.buf = malloc(OUT_CAP);
	if (o.buf == NULL) {
		fputs("gen_sarif: out of memory\n", stderr);
		return 1;
	}
	write_log(&o, seed, n_results, variant);
	out_flush(&o);
	free(o.buf);
	if (o.failed || fflush(f) != 0 || ferror(f)) {
		fprintf(stderr, "gen_sarif: write to %s failed: %s\n", path, strerror(errno));
		if (f != stdout)
			fclose(f);
		return 1;
	}
	if (f != stdout && fclose(f) != 0) {
		fprintf(stderr, "gen_sarif: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long long n_results = 0, seed = 1, variant = 0;
	const char *path = NULL;
	int have_n = 0, compact = 0;

	for (int a = 1; a < argc; a++) {
		const char *arg = argv[a];

		if (strcmp(arg, "--seed") == 0 || strcmp(arg, "--commit-variant") == 0) {
			unsigned long long *dst = arg[2] == 's' ? &seed : &variant;

			if (a + 1 >= argc || parse_u64(argv[a + 1], UINT64_MAX, dst) != 0) {
				fprintf(stderr, "gen_sarif: %s needs a non-negative integer\n", arg);
				usage();
			}
			a++;
		} else if (strcmp(arg, "--compact") == 0) {
			compact = 1;
		} else if (arg[0] == '-' && arg[1] == '-') {
			fprintf(stderr, "gen_sarif: unknown option %s\n", arg);
			usage();
		} else if (!have_n) {
			/* 1e9 results would be a ~1 TB file: certainly a typo */
			if (parse_u64(arg, 100000000ull, &n_results) != 0) {
				fprintf(stderr, "gen_sarif: N must be an integer in 0..100000000\n");
				usage();
			}
			have_n = 1;
		} else if (path == NULL) {
			path = arg;
		} else {
			usage();
		}
	}
	if (!have_n || path == NULL)
		usage();
	/* the "new" results of a variant are numbered i + N*K: keep that in range */
	if (variant > 0 && n_results > 0 && variant > (UINT64_MAX - n_results) / n_results) {
		fputs("gen_sarif: --commit-variant too large\n", stderr);
		return 2;
	}
	return generate(path, seed, n_results, variant, compact);
}
