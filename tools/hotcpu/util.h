/* Small host helpers: clocks, files and numbers shared by the commands. */
#ifndef HOTCPU_UTIL_H
#define HOTCPU_UTIL_H

#include <stddef.h>
#include <stdint.h>

double util__now_ms(void);		/* CLOCK_MONOTONIC */
double util__wall_s(void);		/* CLOCK_REALTIME */
void util__sleep_ms(double ms);

/* Closes every descriptor but stdin, stdout and stderr: a process that
 * outlives its caller (QEMU, the supervisor) must not keep the caller's
 * files open, such as a lock taken with flock(1). */
void util__close_inherited(void);

/* An exclusive flock(2) on path (created 0600), waited for up to
 * timeout_ms: the descriptor (close it to unlock), -EBUSY when another
 * process holds it that long, or -errno. */
int util__lock_file(const char *path, int timeout_ms);

/* Reads a whole file, NUL-terminated; *out is malloc'ed. */
int util__read_file(const char *path, char **out, size_t *len);
/* Writes atomically through path.tmp and rename(). */
int util__write_file(const char *path, const char *data, size_t len);

int util__parse_uint(const char *s, unsigned long max, unsigned long *out);
/* "512", "512M", "2G" in MiB. */
int util__parse_size_mb(const char *s, unsigned long *mb);

/* Percentile of sorted values (nearest rank); 0 for n == 0. */
double util__percentile(const double *sorted, size_t n, double pct);
void util__sort(double *v, size_t n);

/* A NULL-terminated argument vector built up one printf at a time. */
struct strv {
	char **v;
	size_t n, cap;
};
int util__strv_add(struct strv *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void util__strv_free(struct strv *s);

#endif
