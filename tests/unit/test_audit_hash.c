/*
 * core/audit and util/hash's typed digests: the hash of an audit event
 * covers every field, so that an edit of any one shows in the chain, and the
 * encoding of values never lets two different sequences share a digest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/audit.h"
#include "util/hash.h"

#define NOW ((time_t)1764417600) /* 2025-11-29T12:00:00Z */

static int setup(void **state)
{
	(void)state;
	return sg_crypto_init();
}

static void make_event(struct sg_audit_event *e)
{
	int i;

	memset(e, 0, sizeof(*e));
	e->seq = 5;
	e->at = NOW;
	e->actor = "ana";
	e->action = "exception.approve";
	e->object_kind = SG_OBJ_EXCEPTION;
	e->object_id = 12;
	e->object_label = "exception 12";
	e->payload = "{\"expires\":\"2026-01-31\"}";
	e->has_state = 1;
	for (i = 0; i < SG_DIGEST_BYTES; i++) {
		e->state[i] = (unsigned char)(0x40 + i);
		e->prev_hash[i] = (unsigned char)(0x80 + i);
	}
}

static void hash_of(const struct sg_audit_event *e, unsigned char out[SG_DIGEST_BYTES])
{
	memset(out, 0, SG_DIGEST_BYTES);
	sg_audit_hash(e, out);
}

/* Same fields, same hash, whatever the storage of the strings. */
static void test_same_fields_same_hash(void **state)
{
	unsigned char a[SG_DIGEST_BYTES], b[SG_DIGEST_BYTES];
	char actor[8], action[32], label[32], payload[64];
	struct sg_audit_event e, f;

	(void)state;
	make_event(&e);
	hash_of(&e, a);
	hash_of(&e, b);
	assert_memory_equal(a, b, SG_DIGEST_BYTES);

	f = e;
	snprintf(actor, sizeof(actor), "%s", e.actor);
	snprintf(action, sizeof(action), "%s", e.action);
	snprintf(label, sizeof(label), "%s", e.object_label);
	snprintf(payload, sizeof(payload), "%s", e.payload);
	f.actor = actor;
	f.action = action;
	f.object_label = label;
	f.payload = payload;
	hash_of(&f, b);
	assert_memory_equal(a, b, SG_DIGEST_BYTES);

	/* The hash field itself is not hashed. */
	memset(f.hash, 0xee, sizeof(f.hash));
	hash_of(&f, b);
	assert_memory_equal(a, b, SG_DIGEST_BYTES);
}

#define N_FIELDS 16

/* Change one field of the event; field numbers as in the switch. */
static void change_field(struct sg_audit_event *e, int field)
{
	switch (field) {
	case 0: e->seq = 6; break;
	case 1: e->at = NOW + 1; break;
	case 2: e->actor = "anb"; break;
	case 3: e->action = "exception.revoke"; break;
	case 4: e->object_kind = SG_OBJ_RELEASE; break;
	case 5: e->object_id = 13; break;
	case 6: e->object_label = "exception 13"; break;
	case 7: e->payload = "{\"expires\":\"2026-02-01\"}"; break;
	case 8: e->has_state = 0; break;
	case 9: e->state[0] ^= 1; break;
	case 10: e->state[SG_DIGEST_BYTES - 1] ^= 0x80; break;
	case 11: e->prev_hash[0] ^= 1; break;
	case 12: e->prev_hash[SG_DIGEST_BYTES - 1] ^= 0x80; break;
	case 13: e->payload = ""; break;
	case 14: e->actor = ""; break;
	default: e->seq = -5; break;
	}
}

/* Changing any single field changes the hash. */
static void test_each_field_counts(void **state)
{
	unsigned char base[SG_DIGEST_BYTES], got[SG_DIGEST_BYTES];
	struct sg_audit_event e;
	int field;

	(void)state;
	make_event(&e);
	hash_of(&e, base);
	for (field = 0; field < N_FIELDS; field++) {
		make_event(&e);
		change_field(&e, field);
		hash_of(&e, got);
		if (memcmp(base, got, SG_DIGEST_BYTES) == 0)
			fail_msg("changing field %d leaves the hash as it was", field);
	}
}

/* Two different single changes never meet either (no two fields trade places). */
static void test_changes_differ_from_each_other(void **state)
{
	unsigned char h[N_FIELDS][SG_DIGEST_BYTES];
	struct sg_audit_event e;
	int i, j;

	(void)state;
	for (i = 0; i < N_FIELDS; i++) {
		make_event(&e);
		change_field(&e, i);
		hash_of(&e, h[i]);
	}
	for (i = 0; i < N_FIELDS; i++)
		for (j = i + 1; j < N_FIELDS; j++)
			if (memcmp(h[i], h[j], SG_DIGEST_BYTES) == 0)
				fail_msg("changes %d and %d give the same hash", i, j);
}

/* Without a state, the state bytes are not part of the hash (a store gives
 * them back as zeros); with one, all-zero state differs from none. */
static void test_no_state(void **state)
{
	unsigned char a[SG_DIGEST_BYTES], b[SG_DIGEST_BYTES];
	struct sg_audit_event e;

	(void)state;
	make_event(&e);
	e.has_state = 0;
	hash_of(&e, a);
	memset(e.state, 0, sizeof(e.state));
	hash_of(&e, b);
	assert_memory_equal(a, b, SG_DIGEST_BYTES);
	e.has_state = 1;
	hash_of(&e, b);
	assert_memory_not_equal(a, b, SG_DIGEST_BYTES);
}

/* Strings moved between adjacent fields change the hash. */
static void test_field_boundaries(void **state)
{
	unsigned char a[SG_DIGEST_BYTES], b[SG_DIGEST_BYTES];
	struct sg_audit_event e;

	(void)state;
	make_event(&e);
	e.actor = "ana";
	e.action = "x.y";
	hash_of(&e, a);
	e.actor = "anax";
	e.action = ".y";
	hash_of(&e, b);
	assert_memory_not_equal(a, b, SG_DIGEST_BYTES);
	/* A NULL actor is not the empty actor. */
	e.actor = NULL;
	hash_of(&e, a);
	e.actor = "";
	hash_of(&e, b);
	assert_memory_not_equal(a, b, SG_DIGEST_BYTES);
}

/* Every object kind hashes as its own name. */
static void test_object_kinds(void **state)
{
	unsigned char h[SG_OBJ_COUNT][SG_DIGEST_BYTES];
	struct sg_audit_event e;
	enum sg_object_kind k;
	int i, j;

	(void)state;
	for (i = 0; i < SG_OBJ_COUNT; i++) {
		make_event(&e);
		e.object_kind = (enum sg_object_kind)i;
		hash_of(&e, h[i]);
		assert_int_equal(sg_object_kind_parse(sg_object_kind_name((enum sg_object_kind)i), &k), 0);
		assert_int_equal(k, i);
	}
	for (i = 0; i < SG_OBJ_COUNT; i++)
		for (j = i + 1; j < SG_OBJ_COUNT; j++)
			assert_memory_not_equal(h[i], h[j], SG_DIGEST_BYTES);
	assert_string_equal(sg_object_kind_name(SG_OBJ_POLICY), "policy");
	assert_string_equal(sg_object_kind_name(SG_OBJ_FINDINGS), "findings");
	assert_string_equal(sg_object_kind_name(SG_OBJ_HISTORY), "history");
	assert_string_equal(sg_object_kind_name((enum sg_object_kind)SG_OBJ_COUNT), "unknown");
	assert_int_equal(sg_object_kind_parse("Policy", &k), -1);
	assert_int_equal(sg_object_kind_parse("unknown", &k), -1);
}

/* ---- the typed encoding (util/hash.h), by hand ---- */

struct enc {
	unsigned char bytes[512];
	size_t len;
};

static void enc_head(struct enc *x, char tag, uint64_t n)
{
	int i;

	x->bytes[x->len++] = (unsigned char)tag;
	for (i = 0; i < 8; i++)
		x->bytes[x->len++] = (unsigned char)(n >> (8 * (7 - i)));
}

static void enc_text(struct enc *x, const char *s)
{
	size_t n = strlen(s);

	enc_head(x, 't', n);
	memcpy(x->bytes + x->len, s, n);
	x->len += n;
}

static void enc_blob(struct enc *x, const unsigned char *b, size_t n)
{
	enc_head(x, 'b', n);
	memcpy(x->bytes + x->len, b, n);
	x->len += n;
}

static void enc_digest(const struct enc *x, unsigned char out[SG_DIGEST_BYTES])
{
	crypto_generichash(out, SG_DIGEST_BYTES, x->bytes, x->len, NULL, 0);
}

/* "a tag byte, then for an integer 8 bytes big-endian, for text or bytes an
 * 8-byte big-endian length and the bytes; NULL is the tag alone", BLAKE2b-256. */
static void test_rhash_encoding(void **state)
{
	static const unsigned char blob[3] = {0x00, 0xff, 0x10};
	unsigned char got[SG_DIGEST_BYTES], want[SG_DIGEST_BYTES];
	struct sg_rhash h;
	struct enc x;

	(void)state;
	memset(&x, 0, sizeof(x));
	enc_head(&x, 'i', (uint64_t)0x0102030405060708LL);
	enc_head(&x, 'i', (uint64_t)-2LL);
	enc_text(&x, "caf\xc3\xa9");
	enc_text(&x, "");
	x.bytes[x.len++] = 'n';
	enc_blob(&x, blob, sizeof(blob));
	enc_digest(&x, want);

	sg_rhash_init(&h);
	sg_rhash_int(&h, 0x0102030405060708LL);
	sg_rhash_int(&h, -2);
	sg_rhash_text(&h, "caf\xc3\xa9");
	sg_rhash_text(&h, "");
	sg_rhash_text(&h, NULL);
	sg_rhash_blob(&h, blob, sizeof(blob));
	sg_rhash_final(&h, got);
	assert_memory_equal(got, want, SG_DIGEST_BYTES);
}

/* The audit hash follows docs/audit.md: the payload's digest, then the fields. */
static void test_audit_hash_encoding(void **state)
{
	unsigned char payload[SG_DIGEST_BYTES], want[SG_DIGEST_BYTES], got[SG_DIGEST_BYTES];
	struct sg_audit_event e;
	struct enc x;

	(void)state;
	make_event(&e);
	memset(&x, 0, sizeof(x));
	enc_text(&x, e.payload);
	enc_digest(&x, payload);

	memset(&x, 0, sizeof(x));
	enc_text(&x, "shipgate-audit-v1");
	enc_head(&x, 'i', (uint64_t)e.seq);
	enc_head(&x, 'i', (uint64_t)e.at);
	enc_text(&x, e.actor);
	enc_text(&x, e.action);
	enc_text(&x, "exception");
	enc_head(&x, 'i', (uint64_t)e.object_id);
	enc_text(&x, e.object_label);
	enc_blob(&x, payload, sizeof(payload));
	enc_blob(&x, e.state, SG_DIGEST_BYTES);
	enc_blob(&x, e.prev_hash, SG_DIGEST_BYTES);
	enc_digest(&x, want);
	hash_of(&e, got);
	assert_memory_equal(got, want, SG_DIGEST_BYTES);
}

static void digest_texts(const char *a, const char *b, unsigned char out[SG_DIGEST_BYTES])
{
	struct sg_rhash h;

	sg_rhash_init(&h);
	sg_rhash_text(&h, a);
	sg_rhash_text(&h, b);
	sg_rhash_final(&h, out);
}

/* ("ab", "c") and ("a", "bc") differ; so do ("abc", "") and ("", "abc"). */
static void test_rhash_split(void **state)
{
	unsigned char a[SG_DIGEST_BYTES], b[SG_DIGEST_BYTES], c[SG_DIGEST_BYTES], d[SG_DIGEST_BYTES];

	(void)state;
	digest_texts("ab", "c", a);
	digest_texts("a", "bc", b);
	digest_texts("abc", "", c);
	digest_texts("", "abc", d);
	assert_memory_not_equal(a, b, SG_DIGEST_BYTES);
	assert_memory_not_equal(a, c, SG_DIGEST_BYTES);
	assert_memory_not_equal(c, d, SG_DIGEST_BYTES);
	assert_memory_not_equal(b, d, SG_DIGEST_BYTES);
	digest_texts("a", "bc", c);
	assert_memory_equal(b, c, SG_DIGEST_BYTES);
}

/* The same bytes as text, as a blob, and an integer or NULL in their place:
 * all different. */
static void test_rhash_types(void **state)
{
	unsigned char t[SG_DIGEST_BYTES], bl[SG_DIGEST_BYTES], n[SG_DIGEST_BYTES], e[SG_DIGEST_BYTES],
		eb[SG_DIGEST_BYTES], z[SG_DIGEST_BYTES], none[SG_DIGEST_BYTES];
	struct sg_rhash h;

	(void)state;
	sg_rhash_init(&h);
	sg_rhash_text(&h, "abc");
	sg_rhash_final(&h, t);
	sg_rhash_init(&h);
	sg_rhash_blob(&h, "abc", 3);
	sg_rhash_final(&h, bl);
	assert_memory_not_equal(t, bl, SG_DIGEST_BYTES);

	/* NULL text is not the empty text, nor an empty blob. */
	sg_rhash_init(&h);
	sg_rhash_text(&h, NULL);
	sg_rhash_final(&h, n);
	sg_rhash_init(&h);
	sg_rhash_text(&h, "");
	sg_rhash_final(&h, e);
	sg_rhash_init(&h);
	sg_rhash_blob(&h, "", 0);
	sg_rhash_final(&h, eb);
	assert_memory_not_equal(n, e, SG_DIGEST_BYTES);
	assert_memory_not_equal(n, eb, SG_DIGEST_BYTES);
	assert_memory_not_equal(e, eb, SG_DIGEST_BYTES);
	/* NULL text is NULL. */
	sg_rhash_init(&h);
	sg_rhash_null(&h);
	sg_rhash_final(&h, z);
	assert_memory_equal(n, z, SG_DIGEST_BYTES);
	/* Integer 0 is not NULL, nor nothing at all. */
	sg_rhash_init(&h);
	sg_rhash_int(&h, 0);
	sg_rhash_final(&h, z);
	sg_rhash_init(&h);
	sg_rhash_final(&h, none);
	assert_memory_not_equal(z, n, SG_DIGEST_BYTES);
	assert_memory_not_equal(z, e, SG_DIGEST_BYTES);
	assert_memory_not_equal(none, n, SG_DIGEST_BYTES);
	assert_memory_not_equal(none, e, SG_DIGEST_BYTES);
}

/* Two NULLs are not one; a NULL then "x" is not "x" then NULL. */
static void test_rhash_order_and_count(void **state)
{
	unsigned char a[SG_DIGEST_BYTES], b[SG_DIGEST_BYTES];
	struct sg_rhash h;

	(void)state;
	sg_rhash_init(&h);
	sg_rhash_null(&h);
	sg_rhash_final(&h, a);
	sg_rhash_init(&h);
	sg_rhash_null(&h);
	sg_rhash_null(&h);
	sg_rhash_final(&h, b);
	assert_memory_not_equal(a, b, SG_DIGEST_BYTES);
	digest_texts(NULL, "x", a);
	digest_texts("x", NULL, b);
	assert_memory_not_equal(a, b, SG_DIGEST_BYTES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_fields_same_hash),
		cmocka_unit_test(test_each_field_counts),
		cmocka_unit_test(test_changes_differ_from_each_other),
		cmocka_unit_test(test_no_state),
		cmocka_unit_test(test_field_boundaries),
		cmocka_unit_test(test_object_kinds),
		cmocka_unit_test(test_rhash_encoding),
		cmocka_unit_test(test_audit_hash_encoding),
		cmocka_unit_test(test_rhash_split),
		cmocka_unit_test(test_rhash_types),
		cmocka_unit_test(test_rhash_order_and_count),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
