/* QEMU under the qtest protocol, for tests that compare the model's
 * devices with QEMU's own. No guest runs: the vCPUs stay stopped (-S). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qtest.h"

#define QTEST_TIMEOUT_MS 10000
#define QTEST_MAX_ARGS 64

static int listen_at(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    listen(fd, 1)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* QEMU connects as a client; it may also die first. */
static int accept_from(struct qtest *t, int lfd, const char *what)
{
	struct pollfd pfd = { .fd = lfd, .events = POLLIN };
	int r;

	for (int waited = 0; waited < QTEST_TIMEOUT_MS; waited += 100) {
		if (waitpid(t->pid, NULL, WNOHANG) == t->pid) {
			t->pid = 0;
			snprintf(t->error, sizeof(t->error),
				 "QEMU exited before connecting its %s socket "
				 "(see %s/qemu.log)", what, t->dir);
			return -ECHILD;
		}
		r = poll(&pfd, 1, 100);
		if (r > 0) {
			int fd = accept(lfd, NULL, NULL);

			if (fd < 0)
				return -errno;
			fcntl(fd, F_SETFD, FD_CLOEXEC);
			return fd;
		}
	}
	snprintf(t->error, sizeof(t->error), "QEMU did not connect its %s "
		 "socket within %d ms", what, QTEST_TIMEOUT_MS);
	return -ETIMEDOUT;
}

static void spawn(struct qtest *t, const char *const *argv)
{
	char log[96];
	int fd;

	snprintf(log, sizeof(log), "%s/qemu.log", t->dir);
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		_exit(127);
	dup2(fd, 1);
	dup2(fd, 2);
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0)
		dup2(fd, 0);
	/* QEMU must not outlive a test that crashed. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	execvp(argv[0], (char **)argv);
	fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* QEMU's last words, for an error message. */
static void log_tail(struct qtest *t, char *buf, size_t size)
{
	char path[96], line[256] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/qemu.log", t->dir);
	f = fopen(path, "r");
	buf[0] = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		snprintf(buf, size, "%s", line);
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
}

int qtest__start(struct qtest *t, const char *const *args)
{
	const char *argv[QTEST_MAX_ARGS];
	char qt_path[80], qmp_path[80], qt_arg[96], qmp_arg[96];
	const char *qemu = getenv("HOTCPU_QEMU");
	int qt_l = -1, qmp_l = -1, qmp_fd = -1, n = 0, r;

	memset(t, 0, sizeof(*t));
	t->fd = -1;
	qmp__init(&t->qmp);
	strcpy(t->dir, "/tmp/hotcpu-qtest-XXXXXX");
	if (!mkdtemp(t->dir)) {
		r = -errno;
		snprintf(t->error, sizeof(t->error), "mkdtemp: %s",
			 strerror(errno));
		return r;
	}
	snprintf(qt_path, sizeof(qt_path), "%s/qtest.sock", t->dir);
	snprintf(qmp_path, sizeof(qmp_path), "%s/qmp.sock", t->dir);
	snprintf(qt_arg, sizeof(qt_arg), "unix:%s", qt_path);
	snprintf(qmp_arg, sizeof(qmp_arg), "unix:%s", qmp_path);
	argv[n++] = qemu && *qemu ? qemu : "qemu-system-x86_64";
	argv[n++] = "-S";
	argv[n++] = "-qtest";
	argv[n++] = qt_arg;
	argv[n++] = "-qtest-log";
	argv[n++] = "none";
	argv[n++] = "-qmp";
	argv[n++] = qmp_arg;
	argv[n++] = "-nodefaults";
	argv[n++] = "-display";
	argv[n++] = "none";
	for (; *args && n < QTEST_MAX_ARGS - 1; args++)
		argv[n++] = *args;
	argv[n] = NULL;

	qt_l = listen_at(qt_path);
	qmp_l = listen_at(qmp_path);
	if (qt_l < 0 || qmp_l < 0) {
		r = qt_l < 0 ? qt_l : qmp_l;
		snprintf(t->error, sizeof(t->error), "cannot listen in %s: %s",
			 t->dir, strerror(-r));
		goto out_listen;
	}
	t->pid = fork();
	if (t->pid < 0) {
		r = -errno;
		t->pid = 0;
		snprintf(t->error, sizeof(t->error), "fork: %s",
			 strerror(-r));
		goto out_listen;
	}
	if (t->pid == 0)
		spawn(t, argv);
	qmp_fd = accept_from(t, qmp_l, "QMP");
	if (qmp_fd < 0) {
		r = qmp_fd;
		goto out_listen;
	}
	t->fd = accept_from(t, qt_l, "qtest");
	if (t->fd < 0) {
		r = t->fd;
		close(qmp_fd);
		goto out_listen;
	}
	r = qmp__attach(&t->qmp, qmp_fd, QTEST_TIMEOUT_MS);
	if (r)
		snprintf(t->error, sizeof(t->error), "QMP: %s", t->qmp.error);
out_listen:
	if (r && t->pid > 0) {
		char last[256];

		/* Did it exit with a reason? */
		usleep(100000);
		log_tail(t, last, sizeof(last));
		if (last[0])
			snprintf(t->error, sizeof(t->error), "QEMU said: %s",
				 last);
	}
	if (qt_l >= 0)
		close(qt_l);
	if (qmp_l >= 0)
		close(qmp_l);
	return r;
}

void qtest__stop(struct qtest *t)
{
	char path[96];

	if (t->pid > 0) {
		kill(t->pid, SIGKILL);
		waitpid(t->pid, NULL, 0);
		t->pid = 0;
	}
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	qmp__close(&t->qmp);
	if (!t->dir[0])
		return;
	snprintf(path, sizeof(path), "%s/qtest.sock", t->dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/qmp.sock", t->dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/qemu.log", t->dir);
	unlink(path);
	rmdir(t->dir);
	t->dir[0] = 0;
}

/* One command, one reply line: "OK[ value]" gives the value text. */
static int roundtrip(struct qtest *t, const char *cmd, char *val,
		     size_t size)
{
	size_t n = strlen(cmd), off = 0;
	char *nl;

	while (off < n) {
		ssize_t w = write(t->fd, cmd + off, n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			snprintf(t->error, sizeof(t->error), "qtest write: %s",
				 strerror(errno));
			return -EPIPE;
		}
		off += (size_t)w;
	}
	while (!(nl = memchr(t->buf, '\n', t->len))) {
		struct pollfd pfd = { .fd = t->fd, .events = POLLIN };
		ssize_t r;

		if (t->len == sizeof(t->buf)) {
			snprintf(t->error, sizeof(t->error), "qtest reply "
				 "longer than %zu bytes", sizeof(t->buf));
			return -EMSGSIZE;
		}
		if (poll(&pfd, 1, QTEST_TIMEOUT_MS) == 0) {
			snprintf(t->error, sizeof(t->error),
				 "no qtest reply within %d ms to %.40s",
				 QTEST_TIMEOUT_MS, cmd);
			return -ETIMEDOUT;
		}
		r = read(t->fd, t->buf + t->len, sizeof(t->buf) - t->len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			snprintf(t->error, sizeof(t->error), "qtest socket "
				 "closed (did QEMU die? see %s/qemu.log)",
				 t->dir);
			return -ECONNRESET;
		}
		t->len += (size_t)r;
	}
	*nl = 0;
	if (strncmp(t->buf, "OK", 2) || (t->buf[2] && t->buf[2] != ' ')) {
		snprintf(t->error, sizeof(t->error), "qtest answered \"%.80s\" "
			 "to %.40s", t->buf, cmd);
		return -EPROTO;
	}
	if (val)
		snprintf(val, size, "%s", t->buf[2] ? t->buf + 3 : "");
	t->len -= (size_t)(nl + 1 - t->buf);
	memmove(t->buf, nl + 1, t->len);
	return 0;
}

static const char *op_name(const char *base, unsigned size)
{
	static char name[8];

	snprintf(name, sizeof(name), "%s%c", base,
		 size == 1 ? 'b' : size == 2 ? 'w' : 'l');
	return name;
}

int qtest__in(struct qtest *t, unsigned size, uint16_t port, uint32_t *val)
{
	char cmd[48], v[32];
	int r;

	snprintf(cmd, sizeof(cmd), "%s 0x%x\n", op_name("in", size), port);
	r = roundtrip(t, cmd, v, sizeof(v));
	if (!r)
		*val = (uint32_t)strtoul(v, NULL, 0);
	return r;
}

int qtest__out(struct qtest *t, unsigned size, uint16_t port, uint32_t val)
{
	char cmd[48];

	snprintf(cmd, sizeof(cmd), "%s 0x%x 0x%x\n", op_name("out", size),
		 port, val);
	return roundtrip(t, cmd, NULL, 0);
}

int qtest__write_mem(struct qtest *t, uint64_t addr, const void *data,
		     size_t len)
{
	const uint8_t *b = data;
	size_t size = 64 + 2 * len;
	char *cmd = malloc(size);
	int n, r;

	if (!cmd)
		return -ENOMEM;
	n = snprintf(cmd, size, "write 0x%" PRIx64 " 0x%zx 0x", addr, len);
	for (size_t i = 0; i < len; i++)
		n += snprintf(cmd + n, size - (size_t)n, "%02x", b[i]);
	snprintf(cmd + n, size - (size_t)n, "\n");
	r = roundtrip(t, cmd, NULL, 0);
	free(cmd);
	return r;
}

int qtest__read_mem(struct qtest *t, uint64_t addr, void *data, size_t len)
{
	size_t size = 8 + 2 * len;
	char cmd[64], *v = malloc(size);
	uint8_t *b = data;
	int r;

	if (!v)
		return -ENOMEM;
	snprintf(cmd, sizeof(cmd), "read 0x%" PRIx64 " 0x%zx\n", addr, len);
	r = roundtrip(t, cmd, v, size);
	if (!r && (strncmp(v, "0x", 2) || strlen(v) != 2 + 2 * len)) {
		snprintf(t->error, sizeof(t->error), "qtest read: \"%.40s\"",
			 v);
		r = -EPROTO;
	}
	for (size_t i = 0; !r && i < len; i++) {
		char hex[3] = { v[2 + 2 * i], v[3 + 2 * i], 0 };

		b[i] = (uint8_t)strtoul(hex, NULL, 16);
	}
	free(v);
	return r;
}
