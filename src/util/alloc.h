/*
 * All allocation goes through these wrappers, so that a test can make the
 * Nth allocation fail (sg_alloc_fail_after) and check that every caller
 * copes: no crash, no leak, a clean SG_ENOMEM. Size arithmetic that feeds an
 * allocation uses sg_alloc_array, which checks for overflow.
 */
#ifndef SG_UTIL_ALLOC_H
#define SG_UTIL_ALLOC_H

#include <stddef.h>

void *sg_malloc(size_t size);
void *sg_calloc(size_t count, size_t size);
void *sg_realloc(void *ptr, size_t size);
/* realloc to count*size bytes; NULL (ptr untouched) on overflow or failure. */
void *sg_realloc_array(void *ptr, size_t count, size_t size);
char *sg_strdup(const char *s);
char *sg_strndup(const char *s, size_t n);
void sg_free(void *ptr);

/* Test switch: allocation number n (1-based, counted from this call) and every
 * later one fail. 0 turns failures off. */
void sg_alloc_fail_after(unsigned long n);

#endif
