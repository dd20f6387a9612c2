/* QMP client: one UNIX-socket connection to QEMU, commands in order,
 * events queued in arrival order. */
#ifndef HOTCPU_QMP_H
#define HOTCPU_QMP_H

#include <stddef.h>
#include <jansson.h>

/* query-qmp-schema is ~200 KiB; anything past this is not QEMU talking. */
#define QMP_MAX_MSG	(4u << 20)

struct qmp {
	int fd;
	unsigned int next_id;
	size_t max_msg;
	/* Bytes read but not yet parsed: a message ends at '\n'. */
	char *buf;
	size_t len, cap;
	json_t *greeting;
	/* Events not yet taken by qmp__pop_event(), oldest first. Each
	 * carries "hotcpu-rx-ms", the host monotonic time of arrival. */
	json_t *events;
	/* The reply to the command in flight, once read. */
	json_t *reply;
	/* After a broken stream every call fails with the same error. */
	int broken;
	/* "Class: description" of the last error reply, or a parse error. */
	char error[512];
};

void qmp__init(struct qmp *q);
/* Takes over fd (closed by qmp__close), reads the greeting and leaves
 * capabilities negotiation mode. */
int qmp__attach(struct qmp *q, int fd, int timeout_ms);
int qmp__connect(struct qmp *q, const char *path, int timeout_ms);
void qmp__close(struct qmp *q);

/* Runs cmd with args (reference stolen, may be NULL). On success *ret
 * (if ret) holds the "return" value. An error reply gives -EREMOTEIO
 * with q->error set; a broken stream -EBADMSG (malformed JSON),
 * -EMSGSIZE (oversized message), -ECONNRESET (closed); no answer in
 * time -ETIMEDOUT. */
int qmp__execute(struct qmp *q, const char *cmd, json_t *args, json_t **ret,
		 int timeout_ms);
/* Waits up to timeout_ms (0: do not wait) for input and parses it. */
int qmp__read(struct qmp *q, int timeout_ms);
/* Oldest queued event (new reference) or NULL. */
json_t *qmp__pop_event(struct qmp *q);
/* Waits for the next event; -ETIMEDOUT if none comes in time. */
int qmp__wait_event(struct qmp *q, int timeout_ms, json_t **event);

#endif
