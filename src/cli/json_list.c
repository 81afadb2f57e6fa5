#include "cli/json_list.h"

#include <stdio.h>

struct sg_jw *sg_json_list_item(struct sg_json_list *list)
{
	if (!list->started) {
		list->started = 1;
		sg_jw_init_file(&list->jw, stdout, 1);
		sg_jw_array_begin(&list->jw);
	}
	return &list->jw;
}

int sg_json_list_end(struct sg_json_list *list, struct sg_error *err)
{
	sg_jw_array_end(sg_json_list_item(list));
	if (sg_jw_finish(&list->jw) != 0)
		return sg_error_set(err, SG_DIAG_FILE_WRITE, "cannot write the output");
	return 0;
}
