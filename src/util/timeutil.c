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

int sg_time_parse(const char *text, time_t *out)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, s = 0, consumed = 0;
	size_t len = strlen(text);

	if (len == 10) {
		if (sscanf(text, "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) != 3 || consumed != 10)
			return -1;
	} else if (len == 20) {
		if (sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &s, &consumed) != 6 ||
		    consumed != 20)
			return -1;
	} else {
		return -1;
	}
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
