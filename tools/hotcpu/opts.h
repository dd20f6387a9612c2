/* Command-line helpers shared by the subcommands: usage errors that name
 * the argument, numbers, and the messages for a VM that cannot be
 * opened. Only the subcommand entry points call these. */
#ifndef HOTCPU_OPTS_H
#define HOTCPU_OPTS_H

#include <getopt.h>

#define OPTS_DEFAULT_NAME	"hotcpu"
#define OPTS_DEFAULT_TIMEOUT_S	30

/* Prints "hotcpu CMD: <message>" and a pointer to the help; returns
 * HOTCPU_EXIT_USAGE. */
int opts__usage(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The usage error for getopt's '?' or ':' at argv[optind - 1]. */
int opts__bad_option(const char *cmd, int c, char **argv);
/* Prints "hotcpu: <message>" and returns code. */
int opts__fail(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Parses an unsigned option value in [min, max] or prints why not. */
int opts__uint(const char *cmd, const char *opt, const char *val,
	       unsigned long min, unsigned long max, unsigned long *out);
int opts__timeout(const char *cmd, const char *val, int *ms);
int opts__name(const char *cmd, const char *val, const char **name);

/* The message and exit code for vm__open()'s error. */
int opts__vm_error(const char *name, int err);
/* The same for vm__attach(). */
int opts__attach_error(const char *path, int err);
/* --qmp PATH: a QEMU hotcpu did not start. */
int opts__qmp(const char *cmd, const char *val, const char **path);

#endif
