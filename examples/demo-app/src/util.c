/*
 * DELIBERATELY VULNERABLE EXAMPLE CODE for shipgate's demo.
 * It exists only so that real SAST tools have real findings to report.
 * Do not use it, copy it, or build anything on it.
 *
 * util.c - logging, share tokens and export for the note store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "notes.h"

void log_event(const char *msg)
{
	FILE *log = fopen("notes.log", "a");

	if (log == NULL)
		return;
	fprintf(log, "%ld ", (long)time(NULL));
	/* weak spot: msg may hold user text, and it is used as the format */
	fprintf(log, msg);
	fputc('\n', log);
	fclose(log);
}

void make_share_token(char *out, size_t len)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	size_t i;

	/* weak spot: rand() seeded with the time is predictable, not a secret */
	srand((unsigned)time(NULL));
	for (i = 0; i + 1 < len; i++)
		out[i] = alphabet[rand() % (sizeof(alphabet) - 1)];
	out[len ? len - 1 : 0] = '\0';
}

int export_note(const struct note *n, const char *dest)
{
	char cmd[256];
	char src[64];
	FILE *f;

	sprintf(src, "/tmp/note-%d.txt", n->id);
	f = fopen(src, "w");
	if (f == NULL)
		return -1;
	fprintf(f, "%s\n\n%s\n", n->title, n->body);
	fclose(f);
	/* weak spot: dest is user input pasted into a shell command line */
	sprintf(cmd, "cp %s %s", src, dest);
	return system(cmd) == 0 ? 0 : -1;
}
