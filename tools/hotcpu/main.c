/* hotcpu: dispatches to one subcommand per file (cmd_*.c). */
#include <stdio.h>
#include <string.h>

#include "hotcpu.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
};

static const struct command commands[] = {
	{ "run", cmd_run },	  { "status", cmd_status },
	{ "plug", cmd_plug },	  { "unplug", cmd_unplug },
	{ "resize", cmd_resize }, { "stress", cmd_stress },
	{ "stop", cmd_stop },	  { "list", cmd_list },
	{ "help", cmd_help },
};

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "hotcpu: no command (see 'hotcpu help')\n");
		return HOTCPU_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(1, argv);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, argv[1]))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "hotcpu: unknown command '%s' (see 'hotcpu help')\n",
		argv[1]);
	return HOTCPU_EXIT_USAGE;
}
