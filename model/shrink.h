/* Which fault decisions fired in a schedule, and which to switch off
 * when the shrinker re-runs it. */
#ifndef MODEL_SHRINK_H
#define MODEL_SHRINK_H

#include <stdbool.h>
#include <stdint.h>

struct model;

#define SHRINK_MAX	4096

struct shrink {
	uint32_t fired[SHRINK_MAX], nr_fired;
	uint32_t suppress[SHRINK_MAX], nr_suppress;	/* sorted */
};

bool shrink_suppressed(struct model *m, uint32_t n);
void shrink_fired(struct model *m, uint32_t n);
/* Re-runs seed with fired faults switched off one at a time, keeping
 * each off while the same invariant still breaks. Returns the runs. */
unsigned shrink_run(struct model *m, uint64_t seed);

#endif
