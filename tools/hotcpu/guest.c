/* The guest's side, read from its serial console: the bundled guest's
 * CPU agent prints "GUEST-CPUS-ONLINE [0 1 2] t=<uptime>" whenever the
 * online CPU set changes. */
#define _GNU_SOURCE	/* memmem */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "guest.h"
#include "util.h"

#define ONLINE_MARKER "GUEST-CPUS-ONLINE ["
#define POSSIBLE_MARKER "GUEST-CPUS-POSSIBLE "

/* Linux 6.12 and the agent on a CPU they will not run. */
static const char *const refusal_markers[] = {
	"Unable to map lapic to logical cpu number",
	"failed to report alive state",
	"do_boot_cpu failed",
	"Ignoring hot-pluggable APIC ID",
	"GUEST-CPU-ONLINE-FAILED",
};

static void find_refusal(struct guest_console *c, const char *line)
{
	for (size_t i = 0; i < sizeof(refusal_markers) /
			       sizeof(refusal_markers[0]); i++) {
		const char *p = strstr(line, refusal_markers[i]);

		if (!p)
			continue;
		/* Drop the kernel's "[    2.61] " time stamp. */
		p = strchr(line, ']') && strchr(line, ']') < p ?
			    strchr(line, ']') + 1 : line;
		while (*p == ' ')
			p++;
		snprintf(c->refusal, sizeof(c->refusal), "%.200s", p);
		c->refusals++;
		return;
	}
}

static int parse_line(struct guest_console *c, const char *line)
{
	unsigned char online[VM_MAX_CPUS + 1] = { 0 };
	const char *p = strstr(line, ONLINE_MARKER);
	size_t n = 0;

	if (!p) {
		p = strstr(line, POSSIBLE_MARKER);
		if (p)
			snprintf(c->possible, sizeof(c->possible), "%.40s",
				 p + strlen(POSSIBLE_MARKER));
		find_refusal(c, line);
		return 0;
	}
	p += strlen(ONLINE_MARKER);
	if (!strchr(p, ']'))
		return 0;
	while (*p && *p != ']') {
		char *end;
		long cpu = strtol(p, &end, 10);

		if (end == p) {
			p++;
			continue;
		}
		if (cpu >= 0 && cpu <= VM_MAX_CPUS && !online[cpu]) {
			online[cpu] = 1;
			n++;
		}
		p = end;
	}
	c->agent = 1;
	c->online_ms = util__now_ms();
	if (n == c->n_online && !memcmp(online, c->online, sizeof(online)))
		return 0;
	memcpy(c->online, online, sizeof(online));
	c->n_online = n;
	return 1;
}

int guest__poll(struct guest_console *c)
{
	char buf[65536], drain[4096];
	int changed = 0;
	ssize_t n;

	if (c->notify_fd >= 0)
		while (read(c->notify_fd, drain, sizeof(drain)) > 0)
			;
	while ((n = pread(c->fd, buf, sizeof(buf), c->off)) > 0) {
		c->off += n;
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] != '\n') {
				if (c->len < sizeof(c->line) - 1)
					c->line[c->len++] = buf[i];
				continue;
			}
			while (c->len && (c->line[c->len - 1] == '\r' ||
					  c->line[c->len - 1] == ' '))
				c->len--;
			c->line[c->len] = '\0';
			changed |= parse_line(c, c->line);
			c->len = 0;
		}
	}
	return changed;
}

int guest__marker_seen(struct guest_marker_scan *m, const char *buf,
		       size_t n)
{
	const size_t len = strlen(ONLINE_MARKER);
	size_t keep = len - 1;
	char joined[sizeof(m->tail) * 2];
	size_t head = n < keep ? n : keep;
	int seen;

	_Static_assert(sizeof(ONLINE_MARKER) <= sizeof(m->tail),
		       "the tail holds a marker less one byte");
	/* Across the seam: the kept tail and the start of this chunk. */
	memcpy(joined, m->tail, m->keep);
	memcpy(joined + m->keep, buf, head);
	seen = memmem(joined, m->keep + head, ONLINE_MARKER, len) ||
	       memmem(buf, n, ONLINE_MARKER, len);
	/* The last len - 1 bytes seen, for the next chunk: from this chunk
	 * alone, or from the joined bytes, which hold all of a short one. */
	if (n >= keep) {
		memcpy(m->tail, buf + n - keep, keep);
	} else {
		size_t have = m->keep + n;

		if (have < keep)
			keep = have;
		memcpy(m->tail, joined + have - keep, keep);
	}
	m->keep = keep;
	return seen;
}

int guest__open(const struct vm *vm, struct guest_console *c)
{
	char path[PATH_MAX + 16];

	memset(c, 0, sizeof(*c));
	c->notify_fd = -1;
	c->fd = -1;
	/* Attached: hotcpu does not see that VM's console. */
	if (!vm->dir[0])
		return 0;
	VM_PATH(vm, "serial.log", path);
	c->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (c->fd < 0)
		return -errno;
	c->notify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (c->notify_fd >= 0 &&
	    inotify_add_watch(c->notify_fd, path, IN_MODIFY) < 0) {
		close(c->notify_fd);
		c->notify_fd = -1;
	}
	guest__poll(c);
	return 0;
}

void guest__close(struct guest_console *c)
{
	if (c->fd >= 0)
		close(c->fd);
	if (c->notify_fd >= 0)
		close(c->notify_fd);
	c->fd = c->notify_fd = -1;
}

void guest__format_online(const struct guest_console *c, char *buf,
			  size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i <= VM_MAX_CPUS && n + 8 < size; i++)
		if (c->online[i])
			n += snprintf(buf + n, size - n, "%s%d", n ? " " : "",
				      i);
}
