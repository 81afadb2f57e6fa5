/*
 * Functions that are easy to misuse with untrusted input, made compile errors
 * (git's banned.h). scripts/lint.sh rejects them in src/ (a forced include would clash with
 * the system headers that declare them); a .c file may also include this last.
 * Use snprintf / sg_buf instead of the string builders, strtoll with checks
 * instead of atoi, gmtime_r instead of gmtime.
 */
#ifndef SG_UTIL_BANNED_H
#define SG_UTIL_BANNED_H

#define SG_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) SG_BANNED(strcpy)
#undef strcat
#define strcat(x, y) SG_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) SG_BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) SG_BANNED(strncat)
#undef sprintf
#define sprintf(...) SG_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) SG_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) SG_BANNED(strtok)
#undef atoi
#define atoi(x) SG_BANNED(atoi)
#undef atol
#define atol(x) SG_BANNED(atol)
#undef gmtime
#define gmtime(t) SG_BANNED(gmtime)
#undef localtime
#define localtime(t) SG_BANNED(localtime)
#undef gets
#define gets(x) SG_BANNED(gets)

#endif
