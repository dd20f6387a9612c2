/* Fuzz target: the QMP client, tools/hotcpu/qmp.c, reading a QMP byte
 * stream from the input (greeting, replies, events, in any order, split
 * anywhere, ending early), with tools/hotcpu/cpus.c on top. The client's
 * read(), poll() and send() reach this file (objcopy in build.mk): the
 * stream arrives in chunks the input chooses, then closes or goes quiet.
 * Like QEMU, the server sends a line that carries an "id" (a reply)
 * only after the client sent that many commands; greetings, events and
 * replies without an id may come at any time.
 * Checks: a command succeeds only with a reply that carries its id and
 * its result; an error reply is one with its id; events come out as
 * objects with an "event" member, in order; the CPU list cpus__query()
 * builds from the replies is consistent; nothing leaks.
 *
 * Input: flags (u8), chunk length (u16, 0: all at once), the stream. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "cpus.h"
#include "fuzz.h"
#include "qmp.h"

#define F_QUIET_END	(1u << 0)	/* at its end the stream goes quiet */

ssize_t fuzz_read(int fd, void *buf, size_t n);
int fuzz_poll(struct pollfd *fds, nfds_t n, int timeout_ms);
ssize_t fuzz_send(int fd, const void *buf, size_t n, int flags);

/* The server: what it sends, how far the client read, what it got. */
static struct {
	uint8_t flags;
	const uint8_t *p;
	size_t len, pos, step;
	char sent[65536];
	size_t sent_len;
	unsigned commands;	/* lines the client sent */
} srv;

/* How far the client may read: up to the first reply line (one with
 * "id") beyond the replies its commands have asked for. */
static size_t readable(void)
{
	size_t at = 0;
	unsigned replies = 0;

	while (at < srv.len) {
		const uint8_t *nl = memchr(srv.p + at, '\n', srv.len - at);
		size_t end = nl ? (size_t)(nl - srv.p) + 1 : srv.len;

		if (memmem(srv.p + at, end - at, "\"id\"", 4) &&
		    ++replies > srv.commands)
			return at;
		at = end;
	}
	return srv.len;
}

ssize_t fuzz_read(int fd, void *buf, size_t n)
{
	size_t k = readable() - srv.pos;

	(void)fd;
	if (srv.step && k > srv.step)
		k = srv.step;
	if (k > n)
		k = n;
	memcpy(buf, srv.p + srv.pos, k);
	srv.pos += k;
	return (ssize_t)k;
}

int fuzz_poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
	(void)timeout_ms;
	fuzz_check(n == 1, "poll of %zu fds", (size_t)n);
	fds->revents = fds->events & POLLOUT;
	/* Data, or the end of a stream that closes; else a timeout. */
	if (fds->events & POLLIN &&
	    (srv.pos < readable() ||
	     (srv.pos == srv.len && !(srv.flags & F_QUIET_END))))
		fds->revents |= POLLIN;
	return fds->revents ? 1 : 0;
}

ssize_t fuzz_send(int fd, const void *buf, size_t n, int flags)
{
	(void)fd;
	(void)flags;
	if (n > sizeof(srv.sent) - srv.sent_len) {
		errno = EPIPE;
		return -1;
	}
	memcpy(srv.sent + srv.sent_len, buf, n);
	srv.sent_len += n;
	srv.commands += memchr(buf, '\n', n) != NULL;
	return (ssize_t)n;
}

/* The id of the last command the client sent. */
static json_int_t last_id(void)
{
	char *end = srv.sent + srv.sent_len, *start;
	json_t *cmd;
	json_int_t id;

	fuzz_check(srv.sent_len && end[-1] == '\n', "command not sent whole");
	for (start = end - 1; start > srv.sent && start[-1] != '\n'; start--)
		;
	cmd = json_loadb(start, end - 1 - start, 0, NULL);
	fuzz_check(cmd && json_is_integer(json_object_get(cmd, "id")),
		   "command without an id");
	id = json_integer_value(json_object_get(cmd, "id"));
	json_decref(cmd);
	return id;
}

/* A reply in what the client read that has this id: a success (with
 * this result, if ret) or an error. */
static int stream_has_reply(json_int_t id, int success, json_t *ret)
{
	size_t start = 0;
	int found = 0;

	while (!found && start < srv.pos) {
		const char *line = (const char *)srv.p + start;
		const char *nl = memchr(line, '\n', srv.pos - start);
		size_t n = nl ? (size_t)(nl - line) : srv.pos - start;
		json_t *msg, *v;

		start += n + 1;
		if (!nl)
			break;
		while (n && (line[n - 1] == '\r' || line[n - 1] == ' '))
			n--;
		msg = json_loadb(line, n, 0, NULL);
		v = json_object_get(msg, "id");
		if (json_is_object(msg) && !json_object_get(msg, "QMP") &&
		    !json_object_get(msg, "event") && json_is_integer(v) &&
		    json_integer_value(v) == id)
			found = !success ? json_object_get(msg, "error") != NULL :
				!json_object_get(msg, "error") &&
				json_object_get(msg, "return") &&
				(!ret || json_equal(json_object_get(msg,
							"return"), ret));
		json_decref(msg);
	}
	return found;
}

static void check_execute(struct qmp *q, const char *cmd, json_t *args)
{
	json_t *ret = NULL;
	int r = qmp__execute(q, cmd, args, &ret, 1000);

	if (r == 0) {
		fuzz_check(ret, "%s: success without a result", cmd);
		fuzz_check(stream_has_reply(last_id(), 1, ret),
			   "%s: result not from a reply with its id", cmd);
	} else {
		fuzz_check(!ret, "%s: failed with a result", cmd);
		fuzz_check(r != -EREMOTEIO ||
				   stream_has_reply(last_id(), 0, NULL),
			   "%s: error not from a reply with its id", cmd);
	}
	fuzz_check(memchr(q->error, 0, sizeof(q->error)),
		   "unterminated error");
	json_decref(ret);
}

static void check_cpus(struct qmp *q)
{
	struct cpu_list l;
	size_t present = 0;
	char where[96];

	if (cpus__query(q, &l)) {
		fuzz_check(!l.slot && !l.n, "failed query left a list");
		return;
	}
	for (size_t i = 0; i < l.n; i++) {
		const struct cpu_slot *s = &l.slot[i];

		fuzz_check(memchr(s->qom_path, 0, sizeof(s->qom_path)) &&
				   memchr(s->type, 0, sizeof(s->type)) &&
				   memchr(s->id, 0, sizeof(s->id)),
			   "unterminated slot strings");
		present += s->present;
		/* report.c's buffer. */
		cpus__describe(s, where, sizeof(where));
		fuzz_check(!strncmp(where, "socket ", 7), "describe: %s",
			   where);
	}
	fuzz_check(present == l.present && l.present <= l.n,
		   "%zu present, list says %zu of %zu", present, l.present,
		   l.n);
	cpus__free(&l);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int null_fd = -1;
	struct fuzz_in in;
	struct qmp q;
	json_t *ev;
	int r;

	if (null_fd < 0)
		null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	fuzz_in_init(&in, data, size);
	memset(&srv, 0, sizeof(srv));
	srv.flags = (uint8_t)fuzz_u(&in, 1);
	srv.step = (size_t)fuzz_u(&in, 2);
	srv.len = fuzz_take(&in, in.left, &srv.p);

	qmp__init(&q);
	r = qmp__attach(&q, dup(null_fd), 1000);
	if (r == 0) {
		fuzz_check(json_is_object(q.greeting) &&
				   json_object_get(q.greeting, "QMP"),
			   "attached without a greeting");
		fuzz_check(stream_has_reply(1, 1, NULL),
			   "attached without a reply to qmp_capabilities");
		check_cpus(&q);
		check_execute(&q, "device_add",
			      json_pack("{s:s, s:s}", "driver",
					"qemu64-x86_64-cpu", "id", "cpu1"));
	}
	while ((ev = qmp__pop_event(&q))) {
		fuzz_check(json_is_object(ev) && json_object_get(ev, "event") &&
				   json_object_get(ev, "hotcpu-rx-ms"),
			   "event without its name or arrival time");
		json_decref(ev);
	}
	if (!qmp__wait_event(&q, 0, &ev))
		json_decref(ev);
	qmp__close(&q);
	return 0;
}
