/* Small host helpers: clocks, files and numbers shared by the commands. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

int util__lock_file(const char *path, int timeout_ms)
{
	double deadline = util__now_ms() + timeout_ms;
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0)
		return -errno;
	while (flock(fd, LOCK_EX | LOCK_NB)) {
		if (errno != EWOULDBLOCK || util__now_ms() > deadline) {
			close(fd);
			return -EBUSY;
		}
		util__sleep_ms(5);
	}
	return fd;
}

double util__now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

double util__wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void util__sleep_ms(double ms)
{
	struct timespec ts = { .tv_sec = (time_t)(ms / 1e3) };

	ts.tv_nsec = (long)((ms - ts.tv_sec * 1e3) * 1e6);
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

void util__close_inherited(void)
{
	long max = sysconf(_SC_OPEN_MAX);

	if (!close_range(3, ~0u, 0))
		return;
	for (long fd = 3; fd < (max > 0 ? max : 1024); fd++)
		close((int)fd);
}

int util__read_file(const char *path, char **out, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	int fd, err = 0;

	*out = NULL;
	if (!buf)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		goto out_free;
	}
	for (;;) {
		ssize_t r;

		if (cap - n < 2) {
			char *nbuf = realloc(buf, cap * 2);

			if (!nbuf) {
				err = -ENOMEM;
				goto out_close;
			}
			buf = nbuf;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = -errno;
			goto out_close;
		}
		if (r == 0)
			break;
		n += r;
	}
	buf[n] = '\0';
	close(fd);
	*out = buf;
	if (len)
		*len = n;
	return 0;
out_close:
	close(fd);
out_free:
	free(buf);
	return err;
}

int util__write_file(const char *path, const char *data, size_t len)
{
	char tmp[4096];
	int fd, err = 0;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	while (len) {
		ssize_t r = write(fd, data, len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err = -errno;
			goto out_close;
		}
		data += r;
		len -= r;
	}
	if (close(fd))
		return -errno;
	if (rename(tmp, path))
		return -errno;
	return 0;
out_close:
	close(fd);
	unlink(tmp);
	return err;
}

int util__parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end)
		return -EINVAL;
	if (v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int util__parse_size_mb(const char *s, unsigned long *mb)
{
	char num[32];
	size_t n = strlen(s);
	unsigned long v, mult = 1;
	int r;

	if (!n || n >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, n + 1);
	switch (num[n - 1]) {
	case 'G': case 'g':
		mult = 1024;
		/* fall through */
	case 'M': case 'm':
		num[n - 1] = '\0';
		break;
	}
	r = util__parse_uint(num, 1ul << 30, &v);
	if (r)
		return r;
	if (!v)
		return -ERANGE;
	*mb = v * mult;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void util__sort(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
}

double util__percentile(const double *sorted, size_t n, double pct)
{
	size_t rank;

	if (!n)
		return 0;
	/* Nearest rank: the smallest value with pct% of samples at or
	 * below it. */
	rank = (size_t)((pct / 100.0) * n + 0.999999);
	if (rank < 1)
		rank = 1;
	return sorted[(rank > n ? n : rank) - 1];
}

int util__strv_add(struct strv *s, const char *fmt, ...)
{
	va_list ap;
	char *arg;

	if (s->n + 2 > s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;
		char **v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	va_start(ap, fmt);
	if (vasprintf(&arg, fmt, ap) < 0)
		arg = NULL;
	va_end(ap);
	if (!arg)
		return -ENOMEM;
	s->v[s->n++] = arg;
	s->v[s->n] = NULL;
	return 0;
}

void util__strv_free(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}
