/* Coroutine set-up (model/coro.S does the switch). */
#include <stdint.h>

#include "coro.h"

void coro_trampoline(void);

void coro_start(struct coro *c, void (*fn)(void *), void *arg)
{
	uintptr_t *sp = (uintptr_t *)(((uintptr_t)c->stack + c->size) & ~15ul);

	/* Popped by coro_switch: r15 r14 r13 r12 rbx rbp, then ret, which
	 * leaves %rsp 16-byte aligned at the trampoline's call, as the ABI
	 * wants. */
	*--sp = (uintptr_t)coro_trampoline;
	*--sp = 0;			/* rbp */
	*--sp = 0;			/* rbx */
	*--sp = (uintptr_t)fn;		/* r12 */
	*--sp = (uintptr_t)arg;		/* r13 */
	*--sp = 0;			/* r14 */
	*--sp = 0;			/* r15 */
	c->sp = sp;
}
