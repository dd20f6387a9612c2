/* Latency samples of a stress run: percentiles, one summary line, JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "samples.h"
#include "util.h"

void samples__add(struct samples *s, double ms)
{
	s->v[s->n++] = ms;
}

json_t *samples__json(const struct samples *s)
{
	double *sorted = malloc((s->n + 1) * sizeof(double));
	json_t *samples = json_array(), *j;

	for (size_t i = 0; i < s->n; i++)
		json_array_append_new(samples, json_real(s->v[i]));
	memcpy(sorted, s->v, s->n * sizeof(double));
	util__sort(sorted, s->n);
	j = json_pack("{s:I, s:f, s:f, s:f, s:f, s:o}", "n", (json_int_t)s->n,
		      "p50", util__percentile(sorted, s->n, 50),
		      "p95", util__percentile(sorted, s->n, 95),
		      "max", s->n ? sorted[s->n - 1] : 0.0,
		      "first", s->n ? s->v[0] : 0.0, "samples", samples);
	free(sorted);
	return j;
}

void samples__print(const char *what, const struct samples *s)
{
	double *sorted = malloc((s->n + 1) * sizeof(double));

	memcpy(sorted, s->v, s->n * sizeof(double));
	util__sort(sorted, s->n);
	printf("  %-6s p50 %7.1f ms  p95 %7.1f ms  max %7.1f ms  (n=%zu",
	       what, util__percentile(sorted, s->n, 50),
	       util__percentile(sorted, s->n, 95),
	       s->n ? sorted[s->n - 1] : 0.0, s->n);
	if (s->n)
		printf(", first %.1f ms", s->v[0]);
	printf(")\n");
	free(sorted);
}

double samples__p50(const struct samples *s)
{
	double *sorted = malloc((s->n + 1) * sizeof(double)), v;

	memcpy(sorted, s->v, s->n * sizeof(double));
	util__sort(sorted, s->n);
	v = util__percentile(sorted, s->n, 50);
	free(sorted);
	return v;
}
