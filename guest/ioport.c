/* Guest tool for tests: reads and writes x86 IO ports, and writes junk.
 *   ioport r PORT [SIZE]          prints "IOPORT PORT=VALUE"
 *   ioport w PORT VALUE [SIZE]
 *   ioport junk PORT LEN COUNT SEED
 *       COUNT writes of random values and sizes to PORT..PORT+LEN-1,
 *       then prints "IOPORT-JUNK PORT COUNT done"
 *   ioport rep PORT VALUE COUNT [SECONDS]
 *       COUNT byte writes of VALUE to PORT, each an "out %al, (%dx)", or
 *       as many as fit in SECONDS (COUNT 0: no limit), then prints
 *       "IOPORT-REP PORT COUNT done". With a time limit it stops by
 *       itself: under TCG a CPU that raises an SMI with every
 *       instruction takes no signal.
 * The kernel has no /dev/port, so this takes iopl(3) (root only). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <time.h>

static unsigned long num(const char *s)
{
	return strtoul(s, NULL, 0);
}

static void out(unsigned port, unsigned size, unsigned v)
{
	if (size == 1)
		outb((unsigned char)v, port);
	else if (size == 2)
		outw((unsigned short)v, port);
	else
		outl(v, port);
}

int main(int argc, char **argv)
{
	if (argc < 3 || iopl(3)) {
		fprintf(stderr, "usage: ioport r|w|rep|junk ... (needs root)\n");
		return 2;
	}
	if (!strcmp(argv[1], "r")) {
		unsigned port = num(argv[2]), size = argc > 3 ? num(argv[3]) : 1;
		unsigned v = size == 1 ? inb(port) :
			     size == 2 ? inw(port) : inl(port);

		printf("IOPORT 0x%x=0x%x\n", port, v);
	} else if (argv[1][0] == 'w' && argc >= 4) {
		out(num(argv[2]), argc > 4 ? num(argv[4]) : 1, num(argv[3]));
	} else if (!strcmp(argv[1], "rep") && argc >= 5) {
		unsigned port = num(argv[2]), v = num(argv[3]);
		unsigned long count = num(argv[4]), i;
		time_t end = argc > 5 ? time(NULL) + (time_t)num(argv[5]) : 0;

		for (i = 0; !count || i < count; i++) {
			if (end && !(i & 1023) && time(NULL) >= end)
				break;
			outb((unsigned char)v, port);
		}
		printf("IOPORT-REP 0x%x %lu done\n", port, i);
	} else if (argv[1][0] == 'j' && argc >= 6) {
		unsigned port = num(argv[2]), len = num(argv[3]);
		unsigned long count = num(argv[4]);

		srandom(num(argv[5]));
		for (unsigned long i = 0; i < count; i++) {
			unsigned size = 1u << (random() % 3);
			unsigned off = random() % len;

			out(port + (off & ~(size - 1)), size, random());
		}
		printf("IOPORT-JUNK 0x%x %lu done\n", port, count);
	} else {
		return 2;
	}
	return 0;
}
