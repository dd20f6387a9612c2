/* The hotcpu command line: exit codes and the subcommand entry points.
 * Only these entry points print and exit; everything below them returns
 * 0 or -errno. */
#ifndef HOTCPU_H
#define HOTCPU_H

/* Documented in `hotcpu help` and docs/cli.md; tests rely on them. */
enum hotcpu_exit {
	HOTCPU_EXIT_OK = 0,
	HOTCPU_EXIT_ERROR = 1,		/* I/O, QMP or QEMU failure */
	HOTCPU_EXIT_USAGE = 2,		/* bad arguments */
	HOTCPU_EXIT_REFUSED = 3,	/* QEMU refused device_add/del */
	HOTCPU_EXIT_OST = 4,		/* the guest reported _OST failure */
	HOTCPU_EXIT_TIMEOUT = 5,	/* not confirmed before --timeout */
	HOTCPU_EXIT_NO_VM = 6,		/* no running VM of that name */
	HOTCPU_EXIT_NO_CPU = 7,		/* no such CPU (any more), boot CPU,
					 * no slot */
	HOTCPU_EXIT_LOST = 8,		/* QEMU and guest disagree, or died */
};

int cmd_run(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_plug(int argc, char **argv);
int cmd_unplug(int argc, char **argv);
int cmd_resize(int argc, char **argv);
int cmd_stress(int argc, char **argv);
int cmd_stop(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_help(int argc, char **argv);

#endif
