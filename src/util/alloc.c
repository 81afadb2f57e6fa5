#include "util/alloc.h"

#include <stdlib.h>
#include <string.h>

static unsigned long fail_countdown; /* 0: off; test-only, single-threaded */

static int should_fail(void)
{
	if (fail_countdown == 0)
		return 0;
	if (fail_countdown == 1)
		return 1;
	fail_countdown--;
	return 0;
}

void sg_alloc_fail_after(unsigned long n)
{
	fail_countdown = n;
}

void *sg_malloc(size_t size)
{
	if (should_fail())
		return NULL;
	return malloc(size ? size : 1);
}

void *sg_calloc(size_t count, size_t size)
{
	if (should_fail())
		return NULL;
	return calloc(count ? count : 1, size ? size : 1);
}

void *sg_realloc(void *ptr, size_t size)
{
	if (should_fail())
		return NULL;
	return realloc(ptr, size ? size : 1);
}

void *sg_realloc_array(void *ptr, size_t count, size_t size)
{
	size_t total;

	if (__builtin_mul_overflow(count, size, &total))
		return NULL;
	return sg_realloc(ptr, total);
}

char *sg_strndup(const char *s, size_t n)
{
	char *copy = sg_malloc(n + 1);

	if (!copy)
		return NULL;
	memcpy(copy, s, n);
	copy[n] = '\0';
	return copy;
}

char *sg_strdup(const char *s)
{
	return sg_strndup(s, strlen(s));
}

void sg_free(void *ptr)
{
	free(ptr);
}
