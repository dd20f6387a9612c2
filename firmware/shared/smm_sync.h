/* What both sides of an SMI session use: memory order on the shared
 * SMRAM state, the platform's clock and pause, and the APM command
 * (firmware/shared/smm_session.c, smm_monarch.c). */
#ifndef FW_SMM_SYNC_H
#define FW_SMM_SYNC_H

#include <stdint.h>

#include "hw/q35.h"
#include "smm_session.h"

static inline uint32_t load_acquire(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void store_release(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static inline uint64_t now(const struct smm_ctx *c)
{
	return c->p->now_us(c->p->ctx);
}

static inline void relax(const struct smm_ctx *c)
{
	c->p->relax(c->p->ctx);
}

/* The APM command port: 4 while the AML's request waits for a session. */
static inline uint8_t apm_command(const struct smm_ctx *c)
{
	return (uint8_t)c->p->io_read(c->p->ctx, APM_CNT_PORT, 1);
}

#endif
