/* Fuzz target: the streaming JSON reader (util/json_reader.c). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util/json_reader.h"

struct mem {
	const uint8_t *data;
	size_t len, pos;
};

static ssize_t mem_read(void *ctx, void *buf, size_t len)
{
	struct mem *m = ctx;
	/* Small, uneven reads split tokens across chunks, as pipes do. */
	size_t n = len < 7 ? len : 7;

	if (n > m->len - m->pos)
		n = m->len - m->pos;
	memcpy(buf, m->data + m->pos, n);
	m->pos += n;
	return (ssize_t)n;
}

static int on_event(void *ctx, struct sg_json_reader *r, const struct sg_json_event *ev)
{
	char pointer[256];
	long long v;

	(void)ctx;
	sg_json_pointer(r, pointer, sizeof(pointer));
	if (ev->type == SG_JSON_NUMBER && sg_json_text_to_ll(ev->text, &v) == 0 && v == 4242)
		return sg_json_fail(r, SG_DIAG_SARIF_INVALID, "stop at %s", pointer);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mem m = {data, size, 0};
	struct sg_json_source src = {mem_read, &m};
	struct sg_error err;

	sg_error_clear(&err);
	if (sg_json_parse(&src, "fuzz", on_event, NULL, &err) != 0)
		return 0; /* rejected input is the expected outcome for most inputs */
	return 0;
}
