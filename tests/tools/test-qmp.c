/* Unit tests for the QMP client against a fake QMP server: a thread on
 * the other end of a socket pair that plays one script per test. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "qmp.h"
#include "util.h"

#define GREETING "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 2, " \
	"\"minor\": 0, \"major\": 10}, \"package\": \"\"}, " \
	"\"capabilities\": [\"oob\"]}}\r\n"

struct server {
	int fd;
	/* A listening socket to accept fd from, or -1 for a socket pair. */
	int lfd;
	void (*script)(struct server *s);
	pthread_t thread;
	/* Set by the script when it saw what it expected. */
	int ok;
};

static void srv_send(struct server *s, const char *text)
{
	size_t len = strlen(text);

	while (len) {
		ssize_t n = send(s->fd, text, len, MSG_NOSIGNAL);

		if (n <= 0)
			return;
		text += n;
		len -= n;
	}
}

static void srv_sendf(struct server *s, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	srv_send(s, buf);
}

/* Reads one command line; returns its id, or -1 unless it runs cmd. */
static long srv_expect(struct server *s, const char *cmd)
{
	char line[4096];
	size_t n = 0;
	json_t *msg;
	long id = -1;

	while (n < sizeof(line) - 1) {
		if (read(s->fd, line + n, 1) != 1)
			return -1;
		if (line[n++] == '\n')
			break;
	}
	msg = json_loadb(line, n, 0, NULL);
	if (msg && !strcmp(json_string_value(json_object_get(msg, "execute"))
			   ?: "", cmd))
		id = (long)json_integer_value(json_object_get(msg, "id"));
	json_decref(msg);
	return id;
}

static void srv_handshake(struct server *s)
{
	long id;

	srv_send(s, GREETING);
	id = srv_expect(s, "qmp_capabilities");
	srv_sendf(s, "{\"return\": {}, \"id\": %ld}\r\n", id);
}

static void *srv_main(void *arg)
{
	struct server *s = arg;

	if (s->lfd >= 0)
		s->fd = accept(s->lfd, NULL, NULL);
	s->script(s);
	close(s->fd);
	return NULL;
}

static void start(struct server *s, struct qmp *q,
		  void (*script)(struct server *))
{
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0,
				    sv), 0);
	s->fd = sv[1];
	s->lfd = -1;
	s->script = script;
	s->ok = 0;
	assert_int_equal(pthread_create(&s->thread, NULL, srv_main, s), 0);
	qmp__init(q);
	q->fd = sv[0];
}

static void finish(struct server *s, struct qmp *q)
{
	/* Closing our end unblocks a script still reading. */
	qmp__close(q);
	pthread_join(s->thread, NULL);
}

static void script_handshake_only(struct server *s)
{
	srv_handshake(s);
	s->ok = srv_expect(s, "query-status") > 0;
	srv_send(s, "{\"return\": {\"status\": \"running\"}, \"id\": 2}\r\n");
}

static void test_greeting(void **state)
{
	struct server s;
	struct qmp q;
	json_t *ret;

	(void)state;
	start(&s, &q, script_handshake_only);
	assert_int_equal(qmp__attach(&q, q.fd, 2000), 0);
	assert_non_null(q.greeting);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
		json_object_get(json_object_get(q.greeting, "QMP"), "version"),
		"qemu"), "major")), 10);
	assert_int_equal(qmp__execute(&q, "query-status", NULL, &ret, 2000), 0);
	assert_string_equal(json_string_value(json_object_get(ret, "status")),
			    "running");
	json_decref(ret);
	finish(&s, &q);
	assert_true(s.ok);
}

/* Through a real socket path, as the commands connect to QEMU. */
static void test_connect_path(void **state)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char dir[] = "/tmp/test-qmp.XXXXXX";
	struct server s = { .script = script_handshake_only };
	struct qmp q;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/qmp.sock", dir);
	s.lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_int_equal(bind(s.lfd, (struct sockaddr *)&addr, sizeof(addr)),
			 0);
	assert_int_equal(listen(s.lfd, 1), 0);
	qmp__init(&q);
	assert_int_equal(qmp__connect(&q, "/nonexistent/qmp.sock", 100),
			 -ENOENT);
	assert_int_equal(pthread_create(&s.thread, NULL, srv_main, &s), 0);
	assert_int_equal(qmp__connect(&q, addr.sun_path, 2000), 0);
	assert_int_equal(qmp__execute(&q, "query-status", NULL, NULL, 2000), 0);
	qmp__close(&q);
	pthread_join(s.thread, NULL);
	assert_true(s.ok);
	close(s.lfd);
	unlink(addr.sun_path);
	rmdir(dir);
}

/* QEMU sends events whenever they happen, also between a command and its
 * reply, and a reply may arrive in pieces. */
static void script_interleaved(struct server *s)
{
	long id;

	srv_handshake(s);
	id = srv_expect(s, "device_add");
	srv_send(s, "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, "
		 "\"event\": \"ACPI_DEVICE_OST\", \"data\": {\"info\": "
		 "{\"device\": \"cpu1\", \"source\": 1, \"status\": 0, "
		 "\"slot\": \"1\", \"slot-type\": \"CPU\"}}}\r\n");
	srv_send(s, "{\"ret");
	usleep(20000);
	srv_sendf(s, "urn\": {}, \"id\": %ld}\r\n{\"event\": \"RESUME\", "
		  "\"timestamp\": {\"seconds\": 1, \"microseconds\": 3}}\r\n",
		  id);
	s->ok = id > 0;
	/* An event after the reply, read by qmp__wait_event(). */
	usleep(20000);
	srv_send(s, "{\"event\": \"DEVICE_DELETED\", \"data\": {\"path\": "
		 "\"/machine/peripheral/cpu1/lapic\"}, \"timestamp\": "
		 "{\"seconds\": 1, \"microseconds\": 4}}\r\n");
}

static void test_events_interleaved(void **state)
{
	struct server s;
	struct qmp q;
	json_t *ret, *ev;

	(void)state;
	start(&s, &q, script_interleaved);
	assert_int_equal(qmp__attach(&q, q.fd, 2000), 0);
	assert_int_equal(qmp__execute(&q, "device_add",
				      json_pack("{s:s}", "id", "cpu1"), &ret,
				      2000), 0);
	assert_true(json_is_object(ret));
	json_decref(ret);
	ev = qmp__pop_event(&q);
	assert_non_null(ev);
	assert_string_equal(json_string_value(json_object_get(ev, "event")),
			    "ACPI_DEVICE_OST");
	assert_true(json_is_real(json_object_get(ev, "hotcpu-rx-ms")));
	json_decref(ev);
	/* RESUME came in the same read as the reply: queued, not lost. */
	assert_int_equal(qmp__wait_event(&q, 2000, &ev), 0);
	assert_string_equal(json_string_value(json_object_get(ev, "event")),
			    "RESUME");
	json_decref(ev);
	assert_int_equal(qmp__wait_event(&q, 2000, &ev), 0);
	assert_string_equal(json_string_value(json_object_get(ev, "event")),
			    "DEVICE_DELETED");
	json_decref(ev);
	assert_null(qmp__pop_event(&q));
	finish(&s, &q);
	assert_true(s.ok);
}

static void script_error(struct server *s)
{
	long id;

	srv_handshake(s);
	id = srv_expect(s, "device_add");
	srv_sendf(s, "{\"id\": %ld, \"error\": {\"class\": \"GenericError\", "
		  "\"desc\": \"cpu hotplug with SMI wasn't enabled by "
		  "firmware\"}}\r\n", id);
	id = srv_expect(s, "query-status");
	srv_sendf(s, "{\"return\": {\"status\": \"running\"}, \"id\": %ld}\r\n",
		  id);
	s->ok = id > 0;
}

/* An error reply fails that command only; the connection goes on. */
static void test_error_reply(void **state)
{
	struct server s;
	struct qmp q;
	json_t *ret = (json_t *)1;

	(void)state;
	start(&s, &q, script_error);
	assert_int_equal(qmp__attach(&q, q.fd, 2000), 0);
	assert_int_equal(qmp__execute(&q, "device_add", NULL, &ret, 2000),
			 -EREMOTEIO);
	assert_null(ret);
	assert_string_equal(q.error, "GenericError: cpu hotplug with SMI "
			    "wasn't enabled by firmware");
	assert_int_equal(qmp__execute(&q, "query-status", NULL, &ret, 2000), 0);
	json_decref(ret);
	finish(&s, &q);
	assert_true(s.ok);
}

static void script_malformed(struct server *s)
{
	srv_handshake(s);
	s->ok = srv_expect(s, "query-status") > 0;
	srv_send(s, "{\"return\": {\"status\": running}, \"id\": 2}\r\n");
}

static void test_malformed_json(void **state)
{
	struct server s;
	struct qmp q;

	(void)state;
	start(&s, &q, script_malformed);
	assert_int_equal(qmp__attach(&q, q.fd, 2000), 0);
	assert_int_equal(qmp__execute(&q, "query-status", NULL, NULL, 2000),
			 -EBADMSG);
	assert_non_null(strstr(q.error, "malformed QMP message"));
	/* The stream is out of sync: every later call fails the same way. */
	assert_int_equal(qmp__execute(&q, "query-status", NULL, NULL, 2000),
			 -EBADMSG);
	finish(&s, &q);
	assert_true(s.ok);
}

static void script_not_object(struct server *s)
{
	srv_send(s, "[1, 2, 3]\r\n");
	s->ok = 1;
}

static void test_greeting_not_object(void **state)
{
	struct server s;
	struct qmp q;

	(void)state;
	start(&s, &q, script_not_object);
	assert_int_equal(qmp__attach(&q, q.fd, 2000), -EBADMSG);
	finish(&s, &q);
}

static void script_oversized(struct server *s)
{
	char *big = malloc(QMP_MAX_MSG + 2);

	srv_handshake(s);
	s->ok = srv_expect(s, "query-qmp-schema") > 0;
	memset(big, ' ', QMP_MAX_MSG + 1);
	big[0] = '{';
	big[QMP_MAX_MSG + 1] = '\0';
	/* Never ends: the client must give up rather than grow forever. */
	srv_send(s, big);
	free(big);
}

static void test_oversized(void **state)
{
	struct server s;
	struct qmp q;

	(void)state;
	start(&s, &q, script_oversized);
	assert_int_equal(qmp__attach(&q, q.fd, 2000), 0);
	assert_int_equal(qmp__execute(&q, "query-qmp-schema", NULL, NULL,
				      5000), -EMSGSIZE);
	assert_true(q.cap <= 2 * QMP_MAX_MSG + 65536);
	finish(&s, &q);
	assert_true(s.ok);
}

static void script_closed_mid_reply(struct server *s)
{
	srv_handshake(s);
	s->ok = srv_expect(s, "query-hotpluggable-cpus") > 0;
	srv_send(s, "{\"return\": [{\"props\": {\"core-id\": 0, ");
}

static void test_closed_mid_reply(void **state)
{
	struct server s;
	struct qmp q;

	(void)state;
	start(&s, &q, script_closed_mid_reply);
	assert_int_equal(qmp__attach(&q, q.fd, 2000), 0);
	assert_int_equal(qmp__execute(&q, "query-hotpluggable-cpus", NULL,
				      NULL, 2000), -ECONNRESET);
	assert_string_equal(q.error, "QMP connection closed mid-message");
	finish(&s, &q);
	assert_true(s.ok);
}

static void script_silent(struct server *s)
{
	char c;

	srv_handshake(s);
	s->ok = srv_expect(s, "query-status") > 0;
	/* Hold the connection open until the client hangs up. */
	while (read(s->fd, &c, 1) > 0)
		;
}

static void test_timeout(void **state)
{
	struct server s;
	struct qmp q;
	double t0;

	(void)state;
	start(&s, &q, script_silent);
	assert_int_equal(qmp__attach(&q, q.fd, 2000), 0);
	t0 = util__now_ms();
	assert_int_equal(qmp__execute(&q, "query-status", NULL, NULL, 200),
			 -ETIMEDOUT);
	assert_true(util__now_ms() - t0 >= 190);
	assert_true(util__now_ms() - t0 < 2000);
	assert_non_null(strstr(q.error, "no reply to query-status"));
	finish(&s, &q);
	assert_true(s.ok);
}

static void script_no_greeting(struct server *s)
{
	char c;

	s->ok = 1;
	while (read(s->fd, &c, 1) > 0)
		;
}

static void test_no_greeting(void **state)
{
	struct server s;
	struct qmp q;

	(void)state;
	start(&s, &q, script_no_greeting);
	assert_int_equal(qmp__attach(&q, q.fd, 150), -ETIMEDOUT);
	assert_non_null(strstr(q.error, "no QMP greeting"));
	finish(&s, &q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_greeting),
		cmocka_unit_test(test_connect_path),
		cmocka_unit_test(test_events_interleaved),
		cmocka_unit_test(test_error_reply),
		cmocka_unit_test(test_malformed_json),
		cmocka_unit_test(test_greeting_not_object),
		cmocka_unit_test(test_oversized),
		cmocka_unit_test(test_closed_mid_reply),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_no_greeting),
	};

	return cmocka_run_group_tests_name("qmp", tests, NULL, NULL);
}
