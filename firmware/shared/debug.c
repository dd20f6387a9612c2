/* dprintf() and panic() on the QEMU debug console, port 0x402. */
#include <stdarg.h>

#include "debug.h"
#include "io.h"
#include "timer.h"

/* True when the next character starts a line and needs a timestamp. */
static int at_line_start = 1;

/* QEMU's isa-debugcon reads back 0xe9 (its "readback" property); without
 * it the port reads all ones. Found once per program: 1 there, -1 not,
 * 0 not looked yet (two CPUs in SMM may both look; they read the same).
 * Without the device every byte would still be an I/O exit, about 300 of
 * them in each hot-add's SMI with every CPU waiting, and thousands at
 * boot. SeaBIOS and OVMF look the same way. */
#define DEBUGCON_READBACK	0xe9
static int debugcon_state;

static int debugcon_present(void)
{
	int s = __atomic_load_n(&debugcon_state, __ATOMIC_RELAXED);

	if (!s) {
		s = inb(DEBUGCON_PORT) == DEBUGCON_READBACK ? 1 : -1;
		__atomic_store_n(&debugcon_state, s, __ATOMIC_RELAXED);
	}
	return s > 0;
}

static void debugcon_write(const char *s)
{
	if (!debugcon_present())
		return;
	for (; *s; s++) {
		if (at_line_start) {
			char stamp[32];
			uint64_t us = timer_us();
			const char *p = stamp;

			fmt_snprintf(stamp, sizeof(stamp), "[%5u.%03u ms] ",
				     (unsigned)(us / 1000),
				     (unsigned)(us % 1000));
			while (*p)
				outb(DEBUGCON_PORT, *p++);
			at_line_start = 0;
		}
		outb(DEBUGCON_PORT, *s);
		if (*s == '\n')
			at_line_start = 1;
	}
}

#ifdef SMM_MODULE
/* CPUs in SMM print at once (the monarch and a relocating CPU): one line
 * at a time. Bounded, so a CPU that faulted holding it cannot silence the
 * others for good. */
static uint32_t print_lock;

static void lock_print(void)
{
	for (int i = 0; i < 1000000; i++) {
		if (!__atomic_exchange_n(&print_lock, 1, __ATOMIC_ACQUIRE))
			return;
		cpu_relax();
	}
}

static void unlock_print(void)
{
	__atomic_store_n(&print_lock, 0, __ATOMIC_RELEASE);
}
#else
static void lock_print(void)
{
}

static void unlock_print(void)
{
}
#endif

static void vdprintf(const char *fmt, va_list ap)
{
	char buf[256];

	if (!debugcon_present())
		return;
	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	lock_print();
	debugcon_write(buf);
	unlock_print();
}

void dprintf(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > DEBUG_LEVEL)
		return;
	va_start(ap, fmt);
	vdprintf(fmt, ap);
	va_end(ap);
}

void panic_at(const char *func, int line, const char *fmt, ...)
{
	va_list ap;

	dprintf(DBG_ERR, "PANIC %s:%d: ", func, line);
	va_start(ap, fmt);
	vdprintf(fmt, ap);
	va_end(ap);
	if (!at_line_start)
		debugcon_write("\n");
	debugcon_write("hotcpu: halted\n");
	cpu_halt_forever();
}
