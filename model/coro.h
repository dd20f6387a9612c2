/* Coroutines for the platform model: each model CPU runs on its own
 * stack; the scheduler switches between them on one host thread. */
#ifndef MODEL_CORO_H
#define MODEL_CORO_H

#include <stddef.h>

struct coro {
	void *sp;		/* saved stack pointer while switched out */
	void *stack;
	size_t size;
};

void coro_switch(void **save_sp, void *load_sp);

/* Prepares c to run fn(arg) from the top of its stack at the next
 * switch to it; whatever it was running is dropped. fn must not
 * return. */
void coro_start(struct coro *c, void (*fn)(void *), void *arg);

#endif
