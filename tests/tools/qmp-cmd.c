/* Test helper: one QMP command on a socket, its return value on stdout.
 * Usage: qmp-cmd SOCKET COMMAND [ARGUMENTS-JSON] */
#include <stdio.h>
#include <stdlib.h>

#include "qmp.h"

int main(int argc, char **argv)
{
	json_t *args = NULL, *ret = NULL;
	struct qmp q;
	int r;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: qmp-cmd SOCKET COMMAND [ARGS-JSON]\n");
		return 2;
	}
	if (argc == 4 && !(args = json_loads(argv[3], 0, NULL))) {
		fprintf(stderr, "qmp-cmd: arguments are not JSON: %s\n",
			argv[3]);
		return 2;
	}
	qmp__init(&q);
	r = qmp__connect(&q, argv[1], 10000);
	if (r) {
		fprintf(stderr, "qmp-cmd: cannot connect to %s (%d)\n",
			argv[1], r);
		json_decref(args);
		return 1;
	}
	r = qmp__execute(&q, argv[2], args, &ret, 30000);
	if (r) {
		fprintf(stderr, "qmp-cmd: %s: %s\n", argv[2], q.error);
	} else {
		json_dumpf(ret, stdout, JSON_COMPACT | JSON_ENCODE_ANY);
		putchar('\n');
	}
	json_decref(ret);
	qmp__close(&q);
	return r ? 1 : 0;
}
