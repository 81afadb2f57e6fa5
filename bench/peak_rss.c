/*
 * peak_rss CMD ARGS...: runs CMD, then prints to stderr
 *
 *   peak_rss_kb=<child's ru_maxrss> wall_s=<seconds, ms precision>
 *
 * and exits with the child's status (128 + signal number if it was killed),
 * so a caller can both check the command and read its cost. The line goes
 * last on stderr: callers take the last line that starts with "peak_rss_kb=".
 *
 * Written against wait4(2) rather than relying on GNU time, which is not
 * installed everywhere and formats differently across versions.
 */
#define _GNU_SOURCE /* wait4 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec ts;

	/* monotonic: wall time must not jump with NTP adjustments mid-run */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double start, wall;
	pid_t pid, got;
	int status;
	struct rusage ru;

	if (argc < 2) {
		fputs("usage: peak_rss CMD [ARGS...]\n", stderr);
		return 2;
	}

	start = now_s();
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "peak_rss: fork: %s\n", strerror(errno));
		return 2;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		fprintf(stderr, "peak_rss: %s: %s\n", argv[1], strerror(errno));
		/* 127 like the shell for "command not found" */
		_exit(127);
	}

	/* The benchmarked command gets the terminal's ^C; we just wait for it. */
	signal(SIGINT, SIG_IGN);

	do {
		got = wait4(pid, &status, 0, &ru);
	} while (got < 0 && errno == EINTR);
	wall = now_s() - start;
	if (got < 0) {
		fprintf(stderr, "peak_rss: wait4: %s\n", strerror(errno));
		return 2;
	}

	/* ru_maxrss is in kilobytes on Linux */
	fprintf(stderr, "peak_rss_kb=%ld wall_s=%.3f\n", ru.ru_maxrss, wall);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 2;
}
