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
	/* Flawfinder: ignore (the format is checked by the compiler: SG_PRINTF) */
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return err->code;
}

void sg_error_where(struct sg_error *err, const char *where)
{
	if (err->where[0] == '\0' && where)
		snprintf(err->where, sizeof(err->where), "%s", where);
}

/* Append to out[*used..]; stops quietly when full (the line is cut). */
static void append(char *out, size_t size, size_t *used, const char *fmt, ...) SG_PRINTF(4, 5);
static void append(char *out, size_t size, size_t *used, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*used >= size)
		return;
	va_start(ap, fmt);
	/* Flawfinder: ignore (the format is checked by the compiler: SG_PRINTF) */
	n = vsnprintf(out + *used, size - *used, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	*used = (size_t)n >= size - *used ? size : *used + (size_t)n;
}

void sg_error_describe(const struct sg_error *err, char *out, size_t out_size)
{
	size_t used = 0;

	if (out_size == 0)
		return;
	out[0] = '\0';
	if (err->where[0]) {
		append(out, out_size, &used, "%s", err->where);
		if (err->line > 0)
			append(out, out_size, &used, ":%ld:%ld", err->line, err->column);
		else if (err->offset >= 0)
			append(out, out_size, &used, ": byte %lld", err->offset);
		append(out, out_size, &used, ": ");
	}
	if (err->pointer[0])
		append(out, out_size, &used, "at %s: ", err->pointer);
	append(out, out_size, &used, "%s", err->message[0] ? err->message : "failed");
}

void sg_error_format(const struct sg_error *err, char *out, size_t out_size)
{
	size_t used;

	sg_error_describe(err, out, out_size);
	if (out_size == 0)
		return;
	used = strlen(out);
	append(out, out_size, &used, " [%s]", sg_diag_id(err->diag));
}
