/* Benchmark-only aid: runs QEMU human monitor commands over a UNIX
 * socket (-monitor unix:PATH,server=on,wait=off), so run.sh can switch
 * QEMU's interrupt log and trace events on and off around one hot-add
 * or hot-remove. The commands it is used for (log, trace-event) answer
 * nothing when they succeed, so any answer is printed and is an error.
 * Usage: hmp SOCKET COMMAND... */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define PROMPT		"(qemu) "
#define TIMEOUT_MS	10000

/* One monitor answer: everything up to and including the next prompt. */
static char buf[65536];
static size_t len;

/* Reads until the monitor shows its prompt again. */
static int read_prompt(int fd)
{
	size_t plen = strlen(PROMPT);

	len = 0;
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (len >= plen && !memcmp(buf + len - plen, PROMPT, plen))
			return 0;
		if (poll(&pfd, 1, TIMEOUT_MS) <= 0)
			return -ETIMEDOUT;
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			return n ? -errno : -ECONNRESET;
		len += n;
		if (len == sizeof(buf) - 1)
			return -EMSGSIZE;
	}
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0)
			return -errno;
		s += w;
		n -= w;
	}
	return 0;
}

/* Sends one command; the monitor echoes it (with line-editing escapes)
 * up to CR LF, then prints its answer, then the prompt. Returns the
 * length of the answer, or -errno. */
static int command(int fd, const char *cmd, const char **answer)
{
	char *start;
	int r;

	r = write_all(fd, cmd, strlen(cmd));
	r = r ?: write_all(fd, "\n", 1);
	r = r ?: read_prompt(fd);
	if (r)
		return r;
	buf[len - strlen(PROMPT)] = '\0';
	start = strstr(buf, "\r\n");
	*answer = start ? start + 2 : "";
	return strlen(*answer);
}

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, r, bad = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: hmp SOCKET COMMAND...\n");
		return 2;
	}
	if (strlen(argv[1]) >= sizeof(sa.sun_path)) {
		fprintf(stderr, "hmp: socket path too long: %s\n", argv[1]);
		return 2;
	}
	strcpy(sa.sun_path, argv[1]);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		fprintf(stderr, "hmp: cannot connect to %s: %s (is the VM "
			"running with -monitor unix:%s,server=on,wait=off?)\n",
			argv[1], strerror(errno), argv[1]);
		return 1;
	}
	/* The greeting ends with the first prompt. */
	r = read_prompt(fd);
	for (int i = 2; !r && i < argc; i++) {
		const char *answer = "";

		r = command(fd, argv[i], &answer);
		if (r > 0) {
			printf("hmp: %s: %s", argv[i], answer);
			bad = 1;
			r = 0;
		}
	}
	close(fd);
	if (r < 0) {
		fprintf(stderr, "hmp: %s: %s\n", argv[1], strerror(-r));
		return 1;
	}
	return bad;
}
