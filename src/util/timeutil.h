/* Time as shipgate stores and shows it: UTC, "YYYY-MM-DDTHH:MM:SSZ". */
#ifndef SG_UTIL_TIMEUTIL_H
#define SG_UTIL_TIMEUTIL_H

#include <time.h>

#define SG_TIME_TEXT 21 /* "2026-11-29T12:00:00Z" + NUL */

/*
 * The current time. $SHIPGATE_NOW (a timestamp as below) replaces the clock,
 * so that tests and replays of history are reproducible.
 */
time_t sg_now(void);
/* Is the clock overridden by $SHIPGATE_NOW? Verbs that judge time (gate,
 * sla, expiry) say so in their output, so that an override is never silent. */
int sg_clock_overridden(void);
#define SG_DATE_TEXT 11 /* "2026-11-29" + NUL */
void sg_date_format(time_t t, char out[SG_DATE_TEXT]);
void sg_time_format(time_t t, char out[SG_TIME_TEXT]);
/* Accepts "YYYY-MM-DD" (midnight UTC) or "YYYY-MM-DDTHH:MM:SSZ"; 0 on success. */
int sg_time_parse(const char *text, time_t *out);

#endif
