/* Guest CPU agent: onlines hot-added CPUs the way a udev rule would and
 * prints the online CPU set on the console every time it changes.
 * Event-driven (kernel uevents), so it costs nothing while idle. */
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ONLINE_PATH "/sys/devices/system/cpu/online"

static double uptime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/* Expands "0-2,5" into "0 1 2 5". */
static void expand_list(const char *ranges, char *out, size_t size)
{
	size_t len = 0;

	out[0] = '\0';
	while (*ranges && *ranges != '\n') {
		char *end;
		long lo = strtol(ranges, &end, 10), hi = lo;

		if (end == ranges)
			break;
		if (*end == '-')
			hi = strtol(end + 1, &end, 10);
		for (long c = lo; c <= hi && len + 12 < size; c++)
			len += snprintf(out + len, size - len, "%s%ld",
					len ? " " : "", c);
		ranges = *end == ',' ? end + 1 : end;
	}
}

static void report_if_changed(void)
{
	static char last[4096] = "unset";
	char raw[4096], list[8192];

	if (read_file(ONLINE_PATH, raw, sizeof(raw)))
		return;
	expand_list(raw, list, sizeof(list));
	if (!strcmp(list, last))
		return;
	snprintf(last, sizeof(last), "%s", list);
	printf("GUEST-CPUS-ONLINE [%s] t=%.3f\n", list, uptime());
	fflush(stdout);
}

static void online_cpu(const char *devpath)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "/sys%.400s/online", devpath);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, "1", 1) < 0)
		printf("GUEST-CPU-ONLINE-FAILED %s: %s\n", devpath,
		       strerror(errno));
	close(fd);
}

int main(void)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int sock = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
			  NETLINK_KOBJECT_UEVENT);

	if (sock < 0 || bind(sock, (struct sockaddr *)&addr, sizeof(addr))) {
		perror("cpuwatch: uevent socket");
		return 1;
	}
	report_if_changed();
	for (;;) {
		char msg[8192];
		ssize_t n = recv(sock, msg, sizeof(msg) - 1, 0);

		if (n <= 0)
			continue;
		msg[n] = '\0';
		/* "add@/devices/system/cpu/cpuN": a hot-added CPU that
		 * needs onlining. Only adds: an offline requested by the
		 * user must stay offline. */
		if (!strncmp(msg, "add@/devices/system/cpu/cpu", 27))
			online_cpu(msg + 4);
		if (strstr(msg, "/devices/system/cpu/cpu"))
			report_if_changed();
	}
}
