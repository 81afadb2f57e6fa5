/* Unlinked temporary files, for bytes that must be read again (uploads). */
#ifndef SG_UTIL_TMPFILE_H
#define SG_UTIL_TMPFILE_H

#include "util/error.h"

/*
 * Open an unlinked file in $TMPDIR (else /tmp), readable and writable only
 * through the descriptor returned (>= 0); on failure a negative SG_E* code
 * with err filled. O_TMPFILE where the file system has it, else a file
 * created with mkostemp() and unlinked at once.
 */
int sg_tmpfile_open(struct sg_error *err) SG_MUST_USE;

#endif
