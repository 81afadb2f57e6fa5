#include "ingest/sarif_model.h"

#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/limits.h"

static void run_free(struct sarif_run_ctx *run)
{
	size_t i;

	sg_free(run->tool);
	sg_free(run->tool_version);
	sg_free(run->semantic_version);
	sg_free(run->automation_id);
	for (i = 0; i < run->n_rules; i++) {
		sg_free(run->rules[i].id);
		sg_free(run->rules[i].name);
		sg_free(run->rules[i].short_description);
	}
	sg_free(run->rules);
	sg_free(run->components);
	sg_free(run->rule_index);
	for (i = 0; i < run->n_bases; i++) {
		sg_free(run->bases[i].name);
		sg_free(run->bases[i].uri);
		sg_free(run->bases[i].base_id);
	}
	sg_free(run->bases);
	for (i = 0; i < run->n_artifacts; i++) {
		sg_free(run->artifacts[i].uri);
		sg_free(run->artifacts[i].base_id);
	}
	sg_free(run->artifacts);
}

void sarif_doc_free(struct sarif_doc *doc)
{
	size_t i;

	for (i = 0; i < doc->n_runs; i++)
		run_free(&doc->runs[i]);
	sg_free(doc->runs);
	sg_free(doc->version);
	memset(doc, 0, sizeof(*doc));
}

/* FNV-1a: rule ids are short and few; the table is for lookup speed only. */
static size_t hash_id(const char *s)
{
	size_t h = 1469598103934665603ULL;

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return h;
}

static void index_rule(struct sarif_run_ctx *run, size_t i)
{
	size_t cap = run->rule_index_cap, slot;

	if (!run->rules[i].id)
		return;
	slot = hash_id(run->rules[i].id) & (cap - 1);
	while (run->rule_index[slot]) {
		/* The first rule with an id wins, the driver's before extensions'. */
		if (strcmp(run->rules[run->rule_index[slot] - 1].id, run->rules[i].id) == 0)
			return;
		slot = (slot + 1) & (cap - 1);
	}
	run->rule_index[slot] = i + 1;
}

int sarif_run_index_rules(struct sarif_run_ctx *run)
{
	size_t cap = 16, i;

	sg_free(run->rule_index); /* built again when a live run is read again */
	run->rule_index = NULL;
	run->rule_index_cap = 0;
	while (cap < run->n_rules * 2)
		cap *= 2;
	run->rule_index = sg_calloc(cap, sizeof(size_t));
	if (!run->rule_index)
		return SG_ENOMEM;
	run->rule_index_cap = cap;
	for (i = 0; i < run->n_driver_rules; i++)
		index_rule(run, run->driver_first + i);
	for (i = 0; i < run->n_rules; i++)
		if (i < run->driver_first || i >= run->driver_first + run->n_driver_rules)
			index_rule(run, i);
	return 0;
}

int sarif_doc_index_rules(struct sarif_doc *doc)
{
	size_t i;

	for (i = 0; i < doc->n_runs; i++)
		if (sarif_run_index_rules(&doc->runs[i]))
			return SG_ENOMEM;
	return 0;
}

static const struct sarif_rule *lookup(const struct sarif_run_ctx *run, const char *id, size_t len)
{
	size_t slot, h = 1469598103934665603ULL, i;

	if (!run->rule_index_cap)
		return NULL;
	for (i = 0; i < len; i++) {
		h ^= (unsigned char)id[i];
		h *= 1099511628211ULL;
	}
	slot = h & (run->rule_index_cap - 1);
	while (run->rule_index[slot]) {
		const struct sarif_rule *r = &run->rules[run->rule_index[slot] - 1];
		if (strlen(r->id) == len && memcmp(r->id, id, len) == 0)
			return r;
		slot = (slot + 1) & (run->rule_index_cap - 1);
	}
	return NULL;
}

const struct sarif_rule *sarif_run_rule_by_id(const struct sarif_run_ctx *run, const char *id)
{
	const struct sarif_rule *r;
	const char *slash;

	if (!id || !*id)
		return NULL;
	r = lookup(run, id, strlen(id));
	if (r)
		return r;
	/* §3.52.4: "CA5350/md5" is rule CA5350 with a sub-id. */
	slash = strrchr(id, '/');
	return slash ? lookup(run, id, (size_t)(slash - id)) : NULL;
}

const char *sarif_run_resolve_base(const struct sarif_run_ctx *run, const char *base_id, char *out,
				   size_t out_size)
{
	char tail[4096] = "";
	int hops;

	for (hops = 0; base_id && hops < SG_SARIF_MAX_URI_BASE_CHAIN; hops++) {
		const struct sarif_uri_base *b = NULL;
		size_t i;

		for (i = 0; i < run->n_bases; i++) {
			if (strcmp(run->bases[i].name, base_id) == 0) {
				b = &run->bases[i];
				break;
			}
		}
		if (!b || !b->uri)
			return NULL;
		/* Prepend this base's uri to what we have. */
		{
			char joined[4096];
			const char *sep = (tail[0] && b->uri[0] && b->uri[strlen(b->uri) - 1] != '/') ? "/" : "";
			if (snprintf(joined, sizeof(joined), "%s%s%s", b->uri, sep, tail) >= (int)sizeof(joined))
				return NULL;
			memcpy(tail, joined, strlen(joined) + 1);
		}
		base_id = b->base_id;
	}
	if (base_id) /* the chain is too long or loops */
		return NULL;
	if (strlen(tail) + 1 > out_size)
		return NULL;
	memcpy(out, tail, strlen(tail) + 1);
	return out;
}

/* ---- path helpers ---- */

/* Does the path, from `base` levels down, equal the keys given? ("#" any index) */
int sarif_at(const struct sg_json_reader *r, int base, const char *const *keys)
{
	int i;

	for (i = 0; keys[i]; i++) {
		const char *k;
		if (base + i >= sg_json_depth(r))
			return 0;
		k = sg_json_key(r, base + i);
		if (keys[i][0] == '#' && keys[i][1] == '\0') {
			if (k)
				return 0;
		} else if (keys[i][0] == '*' && keys[i][1] == '\0') {
			if (!k)
				return 0;
		} else if (!k || strcmp(k, keys[i]) != 0) {
			return 0;
		}
	}
	return base + i == sg_json_depth(r);
}

const char *sarif_type_name(enum sg_json_type t)
{
	switch (t) {
	case SG_JSON_NULL: return "null";
	case SG_JSON_TRUE:
	case SG_JSON_FALSE: return "a boolean";
	case SG_JSON_NUMBER: return "a number";
	case SG_JSON_STRING: return "a string";
	case SG_JSON_OBJECT_START: return "an object";
	case SG_JSON_ARRAY_START: return "an array";
	default: return "a value";
	}
}

