/* Guest tool for tests: looks at physical memory the way the CPU sees it,
 * through an mmap of /dev/mem (read() shows zeros for low memory under
 * STRICT_DEVMEM; mmap maps the real thing).
 *   physmem count ADDR LEN       prints "PHYSMEM ADDR distinct=N first=XX"
 *   physmem fill ADDR LEN SEED   writes random bytes, prints
 *                                "PHYSMEM-FILL ADDR done"
 *   physmem read ADDR COUNT      prints "PHYSMEM-READ ADDR w0 w1 ..." (u32)
 *   physmem write ADDR VALUE SIZE  writes a 1, 2, 4 or 8-byte value */
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
		fprintf(stderr, "usage: physmem count|fill|read|write ...\n");
		return 2;
	}
	addr = strtoul(argv[2], NULL, 0);
	len = strtoul(argv[3], NULL, 0);
	/* read: len is a count of u32; write: one value. */
	if (argv[1][0] == 'r')
		len = len * 4;
	/* No O_SYNC: the kernel maps the mailbox write-back, and PAT refuses
	 * a second mapping of it uncached. */
	fd = open("/dev/mem", O_RDWR);
	if (fd < 0) {
		perror("physmem: /dev/mem");
		return 1;
	}
	p = mmap(NULL, argv[1][0] == 'w' ? 8 : len, PROT_READ | PROT_WRITE,
		 MAP_SHARED, fd, addr & ~4095ul);
	if (p == MAP_FAILED) {
		printf("PHYSMEM 0x%lx denied\n", addr);
		return 1;
	}
	p += addr & 4095;
	if (argv[1][0] == 'r') {
		printf("PHYSMEM-READ 0x%lx", addr);
		for (unsigned long i = 0; i < len; i++)
			printf(" %x", ((volatile unsigned int *)p)[i]);
		printf("\n");
		return 0;
	}
	if (argv[1][0] == 'w') {
		unsigned long v = strtoul(argv[3], NULL, 0);
		unsigned size = argc > 4 ? strtoul(argv[4], NULL, 0) : 4;

		if (size == 1)
			*(volatile unsigned char *)p = v;
		else if (size == 2)
			*(volatile unsigned short *)p = v;
		else if (size == 8)
			*(volatile unsigned long *)p = v;
		else
			*(volatile unsigned int *)p = v;
		printf("PHYSMEM-WRITE 0x%lx done\n", addr);
		return 0;
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
