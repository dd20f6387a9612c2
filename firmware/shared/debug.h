/* Debug output on the QEMU debug console (port 0x402) and panic(). */
#ifndef FW_DEBUG_H
#define FW_DEBUG_H

#include <stdarg.h>
#include <stdint.h>

#ifdef HOTCPU_HOST
/* Host builds (unit tests, platform model) link libc, whose stdio.h
 * declares POSIX dprintf(fd, ...): declare it first, then shadow it. */
#include <stdio.h>
#define dprintf fw_dprintf
#endif

#define DEBUGCON_PORT	0x402

#define DBG_ERR		0	/* always printed */
#define DBG_INFO	1	/* one line per boot phase */
#define DBG_VERBOSE	2	/* per-item detail */

#ifndef DEBUG_LEVEL
#define DEBUG_LEVEL	DBG_INFO
#endif

/* Prints one formatted message; every line starts with a timestamp.
 * The firmware writes to debugcon, host builds capture it for tests. */
void dprintf(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prints "PANIC func:line: message" and halts; never returns. */
__attribute__((noreturn, format(printf, 3, 4))) void
panic_at(const char *func, int line, const char *fmt, ...);

#define panic(...) panic_at(__func__, __LINE__, __VA_ARGS__)

/* Minimal vsnprintf: %c %s %d %i %u %x %X %p %%, flags '0' and '-',
 * width, and the length modifiers l, ll, z. Returns the length the
 * output would have had, like C99 vsnprintf. */
int fmt_vsnprintf(char *buf, unsigned long size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, unsigned long size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
