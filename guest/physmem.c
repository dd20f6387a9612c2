/* Guest tool for tests: looks at physical memory the way the CPU sees it,
 * through an mmap of /dev/mem (read() shows zeros for low memory under
 * STRICT_DEVMEM; mmap maps the real thing).
 *   physmem count ADDR LEN       prints "PHYSMEM ADDR distinct=N first=XX"
 *   physmem fill ADDR LEN SEED   writes random bytes, prints
 *                                "PHYSMEM-FILL ADDR done" */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long addr, len;
	volatile unsigned char *p;
	int fd;

	if (argc < 4) {
		fprintf(stderr, "usage: physmem count|fill ADDR LEN [SEED]\n");
		return 2;
	}
	addr = strtoul(argv[2], NULL, 0);
	len = strtoul(argv[3], NULL, 0);
	fd = open("/dev/mem", O_RDWR | O_SYNC);
	if (fd < 0) {
		perror("physmem: /dev/mem");
		return 1;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, addr);
	if (p == MAP_FAILED) {
		printf("PHYSMEM 0x%lx denied\n", addr);
		return 1;
	}
	if (argv[1][0] == 'c') {
		int seen[256] = { 0 }, distinct = 0;

		for (unsigned long i = 0; i < len; i++)
			if (!seen[p[i]]++)
				distinct++;
		printf("PHYSMEM 0x%lx distinct=%d first=%02x\n", addr, distinct,
		       p[0]);
	} else {
		srandom(argc > 4 ? strtoul(argv[4], NULL, 0) : 1);
		for (unsigned long i = 0; i < len; i++)
			p[i] = (unsigned char)random();
		printf("PHYSMEM-FILL 0x%lx done\n", addr);
	}
	return 0;
}
