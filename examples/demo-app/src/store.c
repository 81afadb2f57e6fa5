/*
 * DELIBERATELY VULNERABLE EXAMPLE CODE for shipgate's demo.
 * It exists only so that real SAST tools have real findings to report.
 * Do not use it, copy it, or build anything on it.
 *
 * store.c - keeps notes in a plain text file, one "id|title|body" per line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notes.h"

static struct note *note_new(int id, const char *title, const char *body)
{
	struct note *n = malloc(sizeof(*n));

	if (n == NULL)
		return NULL;
	n->id = id;
	/* weak spot: no length check, a long title overflows n->title */
	strcpy(n->title, title);
	n->body = strdup(body);
	return n;
}

int store_open(struct note_store *st, const char *path)
{
	char line[512];
	FILE *f;

	memset(st, 0, sizeof(*st));
	/* weak spot: path comes from the command line, unchecked length */
	strcpy(st->path, path);
	f = fopen(st->path, "r");
	if (f == NULL)
		return 0; /* a new store */
	while (fgets(line, sizeof(line), f) != NULL && st->count < NOTES_MAX) {
		char *title = strchr(line, '|');
		char *body;

		if (title == NULL)
			continue;
		*title++ = '\0';
		body = strchr(title, '|');
		if (body == NULL)
			continue;
		*body++ = '\0';
		body[strcspn(body, "\n")] = '\0';
		st->notes[st->count] = note_new(atoi(line), title, body);
		if (st->notes[st->count] != NULL)
			st->count++;
	}
	fclose(f);
	return 0;
}

int store_add(struct note_store *st, const char *title, const char *body)
{
	int id = st->count > 0 ? st->notes[st->count - 1]->id + 1 : 1;
	struct note *n;

	if (st->count >= NOTES_MAX)
		return -1;
	n = note_new(id, title, body);
	if (n == NULL)
		return -1;
	st->notes[st->count++] = n;
	return id;
}

struct note *store_find(struct note_store *st, int id)
{
	size_t i;

	for (i = 0; i < st->count; i++)
		if (st->notes[i]->id == id)
			return st->notes[i];
	return NULL;
}

int store_remove(struct note_store *st, int id)
{
	size_t i;

	for (i = 0; i < st->count; i++) {
		struct note *n = st->notes[i];

		if (n->id != id)
			continue;
		free(n->body);
		free(n);
		memmove(&st->notes[i], &st->notes[i + 1],
			(st->count - i - 1) * sizeof(st->notes[0]));
		st->count--;
		/* weak spot: use after free, the title is read from freed memory */
		printf("removed note %d (%s)\n", n->id, n->title);
		return 0;
	}
	return -1;
}

int store_save(struct note_store *st)
{
	char *tmp;
	FILE *f;
	size_t i;

	/* weak spot: tmpnam is racy; another process can create the file first */
	tmp = malloc(L_tmpnam);
	if (tmp == NULL)
		return -1;
	if (tmpnam(tmp) == NULL)
		return -1; /* weak spot: leaks tmp */
	f = fopen(tmp, "w");
	if (f == NULL) {
		free(tmp);
		return -1;
	}
	for (i = 0; i < st->count; i++)
		fprintf(f, "%d|%s|%s\n", st->notes[i]->id, st->notes[i]->title,
			st->notes[i]->body);
	fclose(f);
	if (rename(tmp, st->path) != 0) {
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

void store_close(struct note_store *st)
{
	size_t i;

	for (i = 0; i < st->count; i++) {
		free(st->notes[i]->body);
		free(st->notes[i]);
	}
	st->count = 0;
}
