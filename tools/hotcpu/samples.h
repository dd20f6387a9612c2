/* Latency samples of a stress run: percentiles, one summary line, JSON. */
#ifndef HOTCPU_SAMPLES_H
#define HOTCPU_SAMPLES_H

#include <stddef.h>
#include <jansson.h>

struct samples {
	double *v;
	size_t n;
};

void samples__add(struct samples *s, double ms);
double samples__p50(const struct samples *s);
/* "  add    p50 ... p95 ... max ... (n=N, first F ms)" */
void samples__print(const char *what, const struct samples *s);
/* { n, p50, p95, max, first, samples: [...] } (new reference) */
json_t *samples__json(const struct samples *s);

#endif
