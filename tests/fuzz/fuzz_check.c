/* fuzz_fail(), shared by every fuzz target: firmware and tool ones. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

/* Set by the firmware stand-ins (fuzz_support.c); "" in tool targets. */
char fuzz_last_msg[512];

void fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz: invariant broken: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (fuzz_last_msg[0])
		fprintf(stderr, "\nfuzz: last firmware message: %s",
			fuzz_last_msg);
	fputc('\n', stderr);
	abort();
}
