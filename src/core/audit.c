#include "core/audit.h"

#include <string.h>

static const char *const kind_names[SG_OBJ_COUNT] = {
	"policy", "product", "user", "key", "exception", "release", "ingest", "findings", "history",
	"sbom", "vulndb", "token", "grant",
};

const char *sg_object_kind_name(enum sg_object_kind kind)
{
	return (unsigned)kind < SG_OBJ_COUNT ? kind_names[kind] : "unknown";
}

int sg_object_kind_parse(const char *name, enum sg_object_kind *out)
{
	int i;

	for (i = 0; i < SG_OBJ_COUNT; i++) {
		if (strcmp(name, kind_names[i]) == 0) {
			*out = (enum sg_object_kind)i;
			return 0;
		}
	}
	return -1;
}

void sg_audit_hash(const struct sg_audit_event *e, unsigned char out[SG_DIGEST_BYTES])
{
	unsigned char payload[SG_DIGEST_BYTES];
	struct sg_rhash h;

	sg_rhash_init(&h);
	sg_rhash_text(&h, e->payload ? e->payload : "");
	sg_rhash_final(&h, payload);

	sg_rhash_init(&h);
	sg_rhash_text(&h, "shipgate-audit-v1");
	sg_rhash_int(&h, e->seq);
	sg_rhash_int(&h, (long long)e->at);
	sg_rhash_text(&h, e->actor);
	sg_rhash_text(&h, e->action);
	sg_rhash_text(&h, sg_object_kind_name(e->object_kind));
	sg_rhash_int(&h, e->object_id);
	sg_rhash_text(&h, e->object_label);
	sg_rhash_blob(&h, payload, sizeof(payload));
	if (e->has_state)
		sg_rhash_blob(&h, e->state, SG_DIGEST_BYTES);
	else
		sg_rhash_null(&h);
	sg_rhash_blob(&h, e->prev_hash, SG_DIGEST_BYTES);
	sg_rhash_final(&h, out);
}
