#include "core/identity.h"

#include <string.h>

static void field(struct sg_fphash *h, const char *s)
{
	sg_fphash_field(h, s ? s : "", s ? strlen(s) : 0);
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Hash text without any of its white space, so that re-indenting or
 * re-spacing code (`f(a, b)` / `f(a,b)`) keeps the identity. */
static void text_without_space(struct sg_fphash *h, const char *text)
{
	struct sg_fphash inner;
	unsigned char digest[SG_FINGERPRINT_BYTES];
	const char *p = text, *run;

	sg_fphash_init(&inner);
	while (*p) {
		while (*p && is_space((unsigned char)*p))
			p++;
		run = p;
		while (*p && !is_space((unsigned char)*p))
			p++;
		if (p > run)
			sg_fphash_bytes(&inner, run, (size_t)(p - run));
	}
	sg_fphash_final(&inner, digest);
	sg_fphash_field(h, digest, sizeof(digest));
}

/* Messages often quote line numbers ("declared at line 12"): drop digits. */
static void message_without_digits(struct sg_fphash *h, const char *text)
{
	struct sg_fphash inner;
	unsigned char digest[SG_FINGERPRINT_BYTES];
	const char *p = text, *run;

	sg_fphash_init(&inner);
	while (*p) {
		run = p;
		while (*p && !(*p >= '0' && *p <= '9'))
			p++;
		if (p > run)
			sg_fphash_field(&inner, run, (size_t)(p - run));
		while (*p >= '0' && *p <= '9')
			p++;
	}
	sg_fphash_final(&inner, digest);
	sg_fphash_field(h, digest, sizeof(digest));
}

static int entry_before(const struct sg_fingerprint_entry *a, const struct sg_fingerprint_entry *b)
{
	int c;

	if (a->partial != b->partial)
		return a->partial < b->partial;
	c = strcmp(a->name, b->name);
	if (c != 0)
		return c < 0;
	return strcmp(a->value, b->value) < 0;
}

static int usable(const struct sg_fingerprint_entry *e)
{
	/* gitleaks writes every partialFingerprints value as "": absent. */
	return e->name && e->value && e->value[0] != '\0';
}

/* Feed the usable entries in sorted order without allocating: repeated
 * selection of the next smallest; n is bounded by SG_SARIF_MAX_FINGERPRINTS. */
static size_t hash_fingerprints(struct sg_fphash *h, const struct sg_fingerprint_entry *fps, size_t n)
{
	const struct sg_fingerprint_entry *last = NULL;
	size_t used = 0, i, round;

	for (round = 0; round < n; round++) {
		const struct sg_fingerprint_entry *next = NULL;

		for (i = 0; i < n; i++) {
			const struct sg_fingerprint_entry *e = &fps[i];
			if (!usable(e) || (last && !entry_before(last, e)))
				continue;
			if (!next || entry_before(e, next))
				next = e;
		}
		if (!next)
			break;
		sg_fphash_field(h, next->partial ? "p" : "f", 1);
		field(h, next->name);
		field(h, next->value);
		last = next;
		used++;
	}
	return used;
}

enum sg_identity_basis sg_identity_base(const struct sg_identity_input *in,
					unsigned char base[SG_FINGERPRINT_BYTES])
{
	struct sg_fphash h, probe;
	enum sg_identity_basis basis;

	sg_fphash_init(&h);
	field(&h, "shipgate-finding-v1");
	field(&h, in->kind);
	field(&h, in->tool);
	field(&h, in->category);
	field(&h, in->rule);
	field(&h, in->path);

	probe = h;
	if (hash_fingerprints(&probe, in->fps, in->n_fps) > 0) {
		sg_fphash_field(&probe, "F", 1);
		h = probe;
		basis = SG_IDENTITY_TOOL_FINGERPRINTS;
	} else if (in->flagged_text && in->flagged_text[0]) {
		sg_fphash_field(&h, "T", 1);
		text_without_space(&h, in->flagged_text);
		basis = SG_IDENTITY_FLAGGED_TEXT;
	} else if (in->message && in->message[0]) {
		sg_fphash_field(&h, "M", 1);
		message_without_digits(&h, in->message);
		basis = SG_IDENTITY_MESSAGE;
	} else {
		sg_fphash_field(&h, "L", 1);
		basis = SG_IDENTITY_LOCATION_ONLY;
	}
	sg_fphash_final(&h, base);
	return basis;
}

void sg_identity_fingerprint(const unsigned char base[SG_FINGERPRINT_BYTES],
			     unsigned long long occurrence,
			     unsigned char out[SG_FINGERPRINT_BYTES])
{
	struct sg_fphash h;
	unsigned char occ[8];
	int i;

	for (i = 0; i < 8; i++)
		occ[i] = (unsigned char)(occurrence >> (8 * i));
	sg_fphash_init(&h);
	sg_fphash_field(&h, base, SG_FINGERPRINT_BYTES);
	sg_fphash_field(&h, occ, sizeof(occ));
	sg_fphash_final(&h, out);
}
