/*
 * A JSON array streamed to stdout that opens with its first item or at its
 * end: a listing that fails before any item (an unknown product, a bad
 * option) prints nothing, and one that fails after its first item leaves
 * an unterminated array that no JSON reader accepts. So a failed command
 * never prints a clean "[]".
 */
#ifndef SG_CLI_JSON_LIST_H
#define SG_CLI_JSON_LIST_H

#include "util/error.h"
#include "util/json_writer.h"

struct sg_json_list {
	struct sg_jw jw;
	int started;
};

/* The writer for the next item, the array opened if need be. */
struct sg_jw *sg_json_list_item(struct sg_json_list *list);
/* After a successful listing: close the array (opening it if empty). */
int sg_json_list_end(struct sg_json_list *list, struct sg_error *err) SG_MUST_USE;

#endif
