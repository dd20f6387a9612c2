/* Fuzz target: the guest console parser, guest__poll() in
 * tools/hotcpu/guest.c, on a console log that grows in chunks as QEMU
 * writes it. Checks: reading the log in chunks or at once ends in the
 * same state (online set, agent seen, refusals, possible CPUs); the
 * online count is the number of CPUs in the online set; the strings it
 * keeps are terminated; guest__format_online() lists the online set.
 *
 * Input: chunk length (u16, 0: one chunk), then the console bytes. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "guest.h"

static void open_console(struct guest_console *c)
{
	memset(c, 0, sizeof(*c));
	c->fd = memfd_create("serial.log", MFD_CLOEXEC);
	c->notify_fd = -1;
	if (c->fd < 0)
		abort();
}

static void feed(struct guest_console *c, const uint8_t *p, size_t n,
		 size_t step)
{
	size_t done = 0;

	do {
		size_t k = step && n - done > step ? step : n - done;

		if (k && write(c->fd, p + done, k) != (ssize_t)k)
			abort();
		done += k;
		guest__poll(c);
	} while (done < n);
}

static void check_console(const struct guest_console *c)
{
	static char buf[4096];
	size_t count = 0, listed = 0;
	char *p, *end;

	for (size_t i = 0; i < sizeof(c->online); i++) {
		fuzz_check(c->online[i] <= 1, "online[%zu] = %u", i,
			   c->online[i]);
		count += c->online[i];
	}
	fuzz_check(c->n_online == count, "n_online %zu, %zu CPUs online",
		   c->n_online, count);
	fuzz_check(memchr(c->refusal, 0, sizeof(c->refusal)) &&
			   memchr(c->possible, 0, sizeof(c->possible)),
		   "unterminated string");
	guest__format_online(c, buf, sizeof(buf));
	for (p = buf; *p; p = end) {
		long cpu = strtol(p, &end, 10);

		fuzz_check(end != p && cpu >= 0 &&
				   (size_t)cpu < sizeof(c->online) &&
				   c->online[cpu],
			   "formatted set \"%s\" lists a CPU not online", buf);
		listed++;
	}
	fuzz_check(listed == count, "formatted set \"%s\" for %zu CPUs", buf,
		   count);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct guest_console a, b;
	struct fuzz_in in;
	const uint8_t *log;
	size_t step, n;

	fuzz_in_init(&in, data, size);
	step = (size_t)fuzz_u(&in, 2);
	n = fuzz_take(&in, in.left, &log);
	/* At most 256 chunks: each costs two preads per console. */
	if (step && n / step > 256)
		step = n / 256 + 1;
	open_console(&a);
	open_console(&b);
	feed(&a, log, n, step);
	feed(&b, log, n, 0);
	check_console(&a);
	check_console(&b);
	fuzz_check(a.agent == b.agent && a.n_online == b.n_online &&
			   !memcmp(a.online, b.online, sizeof(a.online)) &&
			   a.refusals == b.refusals &&
			   !strcmp(a.refusal, b.refusal) &&
			   !strcmp(a.possible, b.possible) && a.len == b.len &&
			   !memcmp(a.line, b.line, a.len),
		   "chunks of %zu bytes read differently from one chunk", step);
	guest__close(&a);
	guest__close(&b);
	return 0;
}
