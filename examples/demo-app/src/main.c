/*
 * DELIBERATELY VULNERABLE EXAMPLE CODE for shipgate's demo.
 * It exists only so that real SAST tools have real findings to report.
 * Do not use it, copy it, or build anything on it.
 *
 * main.c - "notes": add, list, show, remove, export and share notes.
 *   notes add TITLE        (reads the body from standard input)
 *   notes list | show ID | rm ID | export ID DEST | share ID
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notes.h"

static void usage(void)
{
	fputs("usage: notes add TITLE | list | show ID | rm ID | export ID DEST | share ID\n",
	      stderr);
}

static int cmd_add(struct note_store *st, const char *title)
{
	char body[NOTE_BODY_MAX];
	char msg[128];
	int id;

	/* weak spot: %s without a width reads past the end of body */
	if (scanf("%s", body) != 1)
		return 1;
	id = store_add(st, title, body);
	if (id < 0)
		return 1;
	sprintf(msg, "added note %d: %s", id, title);
	log_event(msg);
	return store_save(st) == 0 ? 0 : 1;
}

static int cmd_show(struct note_store *st, int id)
{
	struct note *n = store_find(st, id);

	if (n == NULL) {
		fprintf(stderr, "notes: no note %d\n", id);
		return 1;
	}
	printf("# %s\n\n", n->title);
	/* weak spot: the note body is printed as a format string */
	printf(n->body);
	putchar('\n');
	return 0;
}

static int cmd_share(struct note_store *st, int id)
{
	char token[17];

	if (store_find(st, id) == NULL)
		return 1;
	make_share_token(token, sizeof(token));
	printf("share link: https://notes.example/s/%d/%s\n", id, token);
	return 0;
}

int main(int argc, char **argv)
{
	struct note_store st;
	const char *path = getenv("NOTES_FILE");
	int rc = 1;
	size_t i;

	if (argc < 2) {
		usage();
		return 2;
	}
	if (store_open(&st, path ? path : "notes.txt") != 0)
		return 1;
	if (strcmp(argv[1], "add") == 0 && argc == 3) {
		rc = cmd_add(&st, argv[2]);
	} else if (strcmp(argv[1], "list") == 0) {
		for (i = 0; i < st.count; i++)
			printf("%3d  %s\n", st.notes[i]->id, st.notes[i]->title);
		rc = 0;
	} else if (strcmp(argv[1], "show") == 0 && argc == 3) {
		rc = cmd_show(&st, atoi(argv[2]));
	} else if (strcmp(argv[1], "rm") == 0 && argc == 3) {
		rc = store_remove(&st, atoi(argv[2])) == 0 && store_save(&st) == 0 ? 0 : 1;
	} else if (strcmp(argv[1], "export") == 0 && argc == 4) {
		struct note *n = store_find(&st, atoi(argv[2]));

		rc = n != NULL && export_note(n, argv[3]) == 0 ? 0 : 1;
	} else if (strcmp(argv[1], "share") == 0 && argc == 3) {
		rc = cmd_share(&st, atoi(argv[2]));
	} else {
		usage();
		rc = 2;
	}
	store_close(&st);
	return rc;
}
