#include "util/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

time_t sg_now(void)
{
	const char *fixed = getenv("SHIPGATE_NOW");
	time_t t;

	if (fixed && *fixed && sg_time_parse(fixed, &t) == 0)
		return t;
	return time(NULL);
}

int sg_clock_overridden(void)
{
	const char *fixed = getenv("SHIPGATE_NOW");
	time_t t;

	return fixed && *fixed && sg_time_parse(fixed, &t) == 0;
}

void sg_date_format(time_t t, char out[SG_DATE_TEXT])
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || strftime(out, SG_DATE_TEXT, "%Y-%m-%d", &tm) == 0)
		snprintf(out, SG_DATE_TEXT, "1970-01-01");
}

void sg_time_format(time_t t, char out[SG_TIME_TEXT])
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || strftime(out, SG_TIME_TEXT, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, SG_TIME_TEXT, "1970-01-01T00:00:00Z");
}

static int days_in_month(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	return month == 2 && leap ? 29 : days[month - 1];
}

/* Digits at exactly these places, separators at the others: sscanf would
 * also take spaces, signs and line breaks ("2026-04-\n1"). */
static int digits(const char *text, size_t from, size_t n, int *out)
{
	size_t i;

	*out = 0;
	for (i = from; i < from + n; i++) {
		if (text[i] < '0' || text[i] > '9')
			return -1;
		*out = *out * 10 + (text[i] - '0');
	}
	return 0;
}

int sg_time_parse(const char *text, time_t *out)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, s = 0;
	size_t len = strlen(text);

	if (len != 10 && len != 20)
		return -1;
	if (digits(text, 0, 4, &y) || text[4] != '-' || digits(text, 5, 2, &mo) || text[7] != '-' ||
	    digits(text, 8, 2, &d))
		return -1;
	if (len == 20 && (text[10] != 'T' || digits(text, 11, 2, &h) || text[13] != ':' ||
			  digits(text, 14, 2, &mi) || text[16] != ':' || digits(text, 17, 2, &s) || text[19] != 'Z'))
		return -1;
	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
	    h > 23 || mi > 59 || s > 60 || h < 0 || mi < 0 || s < 0)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	*out = timegm(&tm);
	return 0;
}
