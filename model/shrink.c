/* Shrinking a violating schedule: switch off the faults and preemptions
 * that fired, one at a time, keeping each off while the same invariant
 * still breaks. The schedule stays the seed's; only those decisions
 * change, so the result replays exactly. */
#include <string.h>

#include "model.h"
#include "shrink.h"

bool shrink_suppressed(struct model *m, uint32_t n)
{
	struct shrink *s = m->shrink;
	uint32_t lo = 0, hi;

	if (!s)
		return false;
	hi = s->nr_suppress;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (s->suppress[mid] == n)
			return true;
		if (s->suppress[mid] < n)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

void shrink_fired(struct model *m, uint32_t n)
{
	struct shrink *s = m->shrink;

	if (s && s->nr_fired < SHRINK_MAX)
		s->fired[s->nr_fired++] = n;
}

static void add(struct shrink *s, uint32_t n)
{
	uint32_t i = s->nr_suppress;

	while (i && s->suppress[i - 1] > n) {
		s->suppress[i] = s->suppress[i - 1];
		i--;
	}
	s->suppress[i] = n;
	s->nr_suppress++;
}

static void drop(struct shrink *s, uint32_t n)
{
	for (uint32_t i = 0; i < s->nr_suppress; i++)
		if (s->suppress[i] == n) {
			memmove(&s->suppress[i], &s->suppress[i + 1],
				(s->nr_suppress - i - 1) * sizeof(uint32_t));
			s->nr_suppress--;
			return;
		}
}

unsigned shrink_run(struct model *m, uint64_t seed)
{
	static struct shrink s;
	static uint32_t candidates[SHRINK_MAX];
	enum invariant want;
	uint32_t n;
	unsigned runs = 0;

	memset(&s, 0, sizeof(s));
	m->shrink = &s;
	if (!model_run_schedule(m, seed))
		return 1;
	want = m->violated;
	n = s.nr_fired;
	memcpy(candidates, s.fired, n * sizeof(uint32_t));
	for (uint32_t i = n; i-- > 0 && runs < 400;) {
		if (s.nr_suppress >= SHRINK_MAX - 1)
			break;
		add(&s, candidates[i]);
		s.nr_fired = 0;
		runs++;
		if (!model_run_schedule(m, seed) || m->violated != want)
			drop(&s, candidates[i]);
	}
	return runs + 1;
}
