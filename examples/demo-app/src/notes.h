/*
 * DELIBERATELY VULNERABLE EXAMPLE CODE for shipgate's demo.
 * It exists only so that real SAST tools have real findings to report.
 * Do not use it, copy it, or build anything on it.
 *
 * notes.h - a tiny command-line note store.
 */
#ifndef DEMO_NOTES_H
#define DEMO_NOTES_H

#include <stddef.h>

#define NOTE_TITLE_MAX 32
#define NOTE_BODY_MAX  256
#define NOTES_MAX      64

struct note {
	int id;
	char title[NOTE_TITLE_MAX];
	char *body;
};

struct note_store {
	char path[128];
	struct note *notes[NOTES_MAX];
	size_t count;
};

/* store.c */
int store_open(struct note_store *st, const char *path);
int store_add(struct note_store *st, const char *title, const char *body);
struct note *store_find(struct note_store *st, int id);
int store_remove(struct note_store *st, int id);
int store_save(struct note_store *st);
void store_close(struct note_store *st);

/* util.c */
void log_event(const char *msg);
void make_share_token(char *out, size_t len);
int export_note(const struct note *n, const char *dest);

#endif
