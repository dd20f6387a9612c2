/* QMP client: one UNIX-socket connection to QEMU, commands in order,
 * events queued in arrival order. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "qmp.h"
#include "util.h"

void qmp__init(struct qmp *q)
{
	memset(q, 0, sizeof(*q));
	q->fd = -1;
	q->next_id = 1;
	q->max_msg = QMP_MAX_MSG;
}

void qmp__close(struct qmp *q)
{
	if (q->fd >= 0)
		close(q->fd);
	free(q->buf);
	json_decref(q->greeting);
	json_decref(q->events);
	json_decref(q->reply);
	qmp__init(q);
}

static int qmp_fail(struct qmp *q, int err, const char *what)
{
	if (!q->broken) {
		q->broken = err;
		snprintf(q->error, sizeof(q->error), "%s", what);
	}
	return q->broken;
}

static int remaining_ms(double deadline)
{
	double left = deadline - util__now_ms();

	return left <= 0 ? 0 : (int)left + 1;
}

/* One complete line: the greeting, an event or a reply. */
static int qmp_dispatch(struct qmp *q, const char *line, size_t len)
{
	json_error_t jerr;
	json_t *msg;

	while (len && (line[len - 1] == '\r' || line[len - 1] == ' '))
		len--;
	if (!len)
		return 0;
	msg = json_loadb(line, len, 0, &jerr);
	if (!msg || !json_is_object(msg)) {
		char what[512];

		snprintf(what, sizeof(what), "malformed QMP message: %s",
			 msg ? "not a JSON object" : jerr.text);
		json_decref(msg);
		return qmp_fail(q, -EBADMSG, what);
	}
	if (json_object_get(msg, "QMP")) {
		json_decref(q->greeting);
		q->greeting = msg;
	} else if (json_object_get(msg, "event")) {
		json_object_set_new(msg, "hotcpu-rx-ms",
				    json_real(util__now_ms()));
		if (!q->events)
			q->events = json_array();
		json_array_append_new(q->events, msg);
	} else if (json_object_get(msg, "return") ||
		   json_object_get(msg, "error")) {
		json_decref(q->reply);
		q->reply = msg;
	} else {
		json_decref(msg);
		return qmp_fail(q, -EBADMSG,
				"malformed QMP message: neither greeting, "
				"event nor reply");
	}
	return 0;
}

static int qmp_parse_buffer(struct qmp *q)
{
	size_t start = 0;
	char *nl;
	int ret = 0;

	while (!ret && (nl = memchr(q->buf + start, '\n', q->len - start))) {
		size_t n = nl - (q->buf + start);

		if (n > q->max_msg)
			return qmp_fail(q, -EMSGSIZE, "oversized QMP message");
		ret = qmp_dispatch(q, q->buf + start, n);
		start += n + 1;
	}
	memmove(q->buf, q->buf + start, q->len - start);
	q->len -= start;
	if (!ret && q->len > q->max_msg)
		return qmp_fail(q, -EMSGSIZE, "oversized QMP message");
	return ret;
}

int qmp__read(struct qmp *q, int timeout_ms)
{
	struct pollfd pfd = { .fd = q->fd, .events = POLLIN };
	ssize_t n;
	int r;

	if (q->broken)
		return q->broken;
	r = poll(&pfd, 1, timeout_ms);
	if (r < 0)
		return errno == EINTR ? 0 : -errno;
	if (r == 0)
		return -ETIMEDOUT;
	if (q->cap - q->len < 65536) {
		size_t cap = q->cap ? q->cap * 2 : 65536;
		char *nbuf = realloc(q->buf, cap);

		if (!nbuf)
			return -ENOMEM;
		q->buf = nbuf;
		q->cap = cap;
	}
	n = read(q->fd, q->buf + q->len, q->cap - q->len);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 :
			qmp_fail(q, -errno, strerror(errno));
	if (n == 0)
		return qmp_fail(q, -ECONNRESET,
				q->len ? "QMP connection closed mid-message" :
					 "QMP connection closed");
	q->len += n;
	return qmp_parse_buffer(q);
}

static int qmp_send(struct qmp *q, const char *data, size_t len,
		    double deadline)
{
	while (len) {
		struct pollfd pfd = { .fd = q->fd, .events = POLLOUT };
		ssize_t n;

		if (poll(&pfd, 1, remaining_ms(deadline)) == 0)
			return -ETIMEDOUT;
		n = send(q->fd, data, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return qmp_fail(q,
					errno == EPIPE ? -ECONNRESET : -errno,
					"QMP connection closed");
		data += n;
		len -= n;
	}
	return 0;
}

static int qmp_take_reply(struct qmp *q, unsigned int id, json_t **ret)
{
	json_t *reply = q->reply, *err;

	q->reply = NULL;
	if (json_integer_value(json_object_get(reply, "id")) != id) {
		/* A reply to an abandoned command: not ours. */
		json_decref(reply);
		return -EAGAIN;
	}
	err = json_object_get(reply, "error");
	if (err) {
		const char *class, *desc;

		class = json_string_value(json_object_get(err, "class"));
		desc = json_string_value(json_object_get(err, "desc"));
		snprintf(q->error, sizeof(q->error), "%s: %s",
			 class ?: "Error", desc ?: "");
		json_decref(reply);
		return -EREMOTEIO;
	}
	if (ret)
		*ret = json_incref(json_object_get(reply, "return"));
	json_decref(reply);
	return 0;
}

int qmp__execute(struct qmp *q, const char *cmd, json_t *args, json_t **ret,
		 int timeout_ms)
{
	double deadline = util__now_ms() + timeout_ms;
	unsigned int id = q->next_id++;
	json_t *msg;
	char *text;
	int r;

	if (ret)
		*ret = NULL;
	if (q->broken) {
		json_decref(args);
		return q->broken;
	}
	msg = json_pack("{s:s, s:I}", "execute", cmd, "id", (json_int_t)id);
	if (args)
		json_object_set_new(msg, "arguments", args);
	text = json_dumps(msg, JSON_COMPACT);
	json_decref(msg);
	if (!text)
		return -ENOMEM;
	r = qmp_send(q, text, strlen(text), deadline);
	if (!r)
		r = qmp_send(q, "\n", 1, deadline);
	free(text);
	while (!r) {
		if (q->reply) {
			r = qmp_take_reply(q, id, ret);
			if (r != -EAGAIN)
				return r;
			r = 0;
			continue;
		}
		r = qmp__read(q, remaining_ms(deadline));
	}
	if (r == -ETIMEDOUT)
		snprintf(q->error, sizeof(q->error),
			 "no reply to %s within %d ms", cmd, timeout_ms);
	return r;
}

json_t *qmp__pop_event(struct qmp *q)
{
	json_t *ev;

	if (!q->events || !json_array_size(q->events))
		return NULL;
	ev = json_incref(json_array_get(q->events, 0));
	json_array_remove(q->events, 0);
	return ev;
}

int qmp__wait_event(struct qmp *q, int timeout_ms, json_t **event)
{
	double deadline = util__now_ms() + timeout_ms;
	int r;

	while (!(*event = qmp__pop_event(q))) {
		r = qmp__read(q, remaining_ms(deadline));
		if (r)
			return r;
	}
	return 0;
}

int qmp__attach(struct qmp *q, int fd, int timeout_ms)
{
	double deadline = util__now_ms() + timeout_ms;
	int r = 0;

	q->fd = fd;
	while (!q->greeting && !r)
		r = qmp__read(q, remaining_ms(deadline));
	if (r == -ETIMEDOUT)
		snprintf(q->error, sizeof(q->error),
			 "no QMP greeting within %d ms", timeout_ms);
	if (r)
		return r;
	return qmp__execute(q, "qmp_capabilities", NULL, NULL,
			    remaining_ms(deadline));
}

int qmp__connect(struct qmp *q, const char *path, int timeout_ms)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd, r;

	if (strlen(path) >= sizeof(addr.sun_path))
		return -ENAMETOOLONG;
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		int err = -errno;

		close(fd);
		return err;
	}
	r = qmp__attach(q, fd, timeout_ms);
	if (r) {
		/* Keep q->error for the caller, drop the connection. */
		close(q->fd);
		q->fd = -1;
	}
	return r;
}
