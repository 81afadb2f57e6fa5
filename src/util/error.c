#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *id;
	int code;
} diag_table[SG_DIAG_COUNT] = {
	[SG_DIAG_NONE] = {"none", SG_OK},
#define SG_DIAG_ROW(name, id, cls) [SG_DIAG_##name] = {id, cls},
	SG_DIAGNOSTICS(SG_DIAG_ROW)
#undef SG_DIAG_ROW
};

void sg_error_clear(struct sg_error *err)
{
	memset(err, 0, sizeof(*err));
	err->offset = -1;
}

const char *sg_diag_id(enum sg_diag diag)
{
	if ((int)diag < 0 || diag >= SG_DIAG_COUNT)
		return "internal";
	return diag_table[diag].id;
}

int sg_diag_code(enum sg_diag diag)
{
	if ((int)diag < 0 || diag >= SG_DIAG_COUNT)
		return SG_EINTERNAL;
	return diag_table[diag].code;
}

int sg_error_set(struct sg_error *err, enum sg_diag diag, const char *fmt, ...)
{
	va_list ap;

	err->diag = diag;
	err->code = sg_diag_code(diag);
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return err->code;
}

void sg_error_where(struct sg_error *err, const char *where)
{
	if (err->where[0] == '\0' && where)
		snprintf(err->where, sizeof(err->where), "%s", where);
}

void sg_error_format(const struct sg_error *err, char *out, size_t out_size)
{
	size_t used = 0;
	int n;

#define APPEND(...)                                                      \
	do {                                                             \
		n = snprintf(out + used, out_size - used, __VA_ARGS__); \
		if (n < 0 || (size_t)n >= out_size - used)               \
			return;                                          \
		used += (size_t)n;                                       \
	} while (0)

	if (out_size == 0)
		return;
	out[0] = '\0';
	if (err->where[0]) {
		APPEND("%s", err->where);
		if (err->line > 0)
			APPEND(":%ld:%ld", err->line, err->column);
		else if (err->offset >= 0)
			APPEND(": byte %lld", err->offset);
		APPEND(": ");
	}
	if (err->pointer[0])
		APPEND("at %s: ", err->pointer);
	APPEND("%s [%s]", err->message[0] ? err->message : "failed", sg_diag_id(err->diag));
#undef APPEND
}
