/* hotcpu help [COMMAND]: usage of every subcommand and the exit codes. */
#include <stdio.h>
#include <string.h>

#include "hotcpu.h"
#include "opts.h"

struct help {
	const char *cmd;
	const char *text;
};

static const struct help helps[] = {
	{ "run",
	  "hotcpu run [--name NAME] [--firmware hotcpu|seabios|ovmf|ovmf-smm|PATH]\n"
	  "           [--smm on|off|auto] [--cpus N] [--max-cpus M] [--memory SIZE]\n"
	  "           [--kernel K --initrd I --append A] [--accel auto|kvm|tcg]\n"
	  "           [--detach] [--timeout SECONDS] [-- QEMU ARGS...]\n"
	  "  Starts QEMU (q35) with a QMP socket, serial log and debugcon log in the\n"
	  "  VM's runtime directory. Defaults: --name hotcpu, --firmware hotcpu (our\n"
	  "  firmware), --cpus 1, --max-cpus 4, --memory 512M, the bundled guest\n"
	  "  (kernel booted with lpj= so that a new CPU is not calibrated).\n"
	  "  --accel auto uses KVM only when a probe boots the guest kernel under\n"
	  "  it, else TCG. --smm auto leaves QEMU's default (on under TCG);\n"
	  "  ovmf-smm needs it on. In the foreground the guest console goes to\n"
	  "  stdout until QEMU exits (Ctrl-C quits QEMU); --detach returns once\n"
	  "  the guest is up (--timeout, default 120 s). Arguments after --\n"
	  "  are appended to QEMU's command line.\n" },
	{ "status",
	  "hotcpu status [--name NAME] [--qmp PATH] [--json]\n"
	  "  Possible, present and online vCPUs with socket/core/thread and APIC\n"
	  "  ids (query-hotpluggable-cpus, query-cpus-fast, qom-get apic-id), and\n"
	  "  the last _OST result the guest reported for each. For a VM whose\n"
	  "  QEMU is gone: how it ended (killed, crashed, quit) and the plugs\n"
	  "  and unplugs that cut short (exit 6).\n" },
	{ "plug",
	  "hotcpu plug [COUNT | --socket S --core C --thread T]\n"
	  "            [--name NAME] [--qmp PATH] [--timeout SECONDS]\n"
	  "  Hot-adds COUNT vCPUs (default 1) in the lowest free slots, as one\n"
	  "  batch, or the one in the given slot, and waits for each to be\n"
	  "  confirmed: the guest's _OST success and the CPU online.\n" },
	{ "unplug",
	  "hotcpu unplug [COUNT | --id ID] [--name NAME] [--qmp PATH]\n"
	  "              [--timeout SECONDS]\n"
	  "  Hot-removes COUNT vCPUs (default 1), highest slot first, or the one\n"
	  "  with device id, QOM path or CPU index ID, and waits for QEMU's\n"
	  "  DEVICE_DELETED and the slot to be empty. CPU 0 is never removed.\n" },
	{ "resize",
	  "hotcpu resize N [--name NAME] [--qmp PATH] [--timeout SECONDS]\n"
	  "  Plugs or unplugs vCPUs until N are present and confirmed.\n" },
	{ "stress",
	  "hotcpu stress --cycles N [--cpus K] [--pause MS] [--json]\n"
	  "              [--name NAME] [--qmp PATH] [--timeout SECONDS]\n"
	  "  N cycles of: plug K vCPUs, unplug them. --pause waits MS (default\n"
	  "  0) after each plug and unplug, so that the next one finds the guest\n"
	  "  settled, as between an operator's commands. A live progress line,\n"
	  "  then cycles, failures and add/remove latency p50/p95/max. Stops at\n"
	  "  the first failure, lost CPU or hang and keeps every log. Under TCG,\n"
	  "  QEMU aborts once more vCPUs were created over a VM's life than\n"
	  "  --max-cpus: stress checks that budget first and, if it is short,\n"
	  "  restarts the VM with a larger --max-cpus (at most 255), again during\n"
	  "  long runs, and says so.\n" },
	{ "stop", "hotcpu stop [--name NAME]\n"
		  "  Quits QEMU; the logs stay in the runtime directory.\n" },
	{ "list", "hotcpu list [--all]\n"
		  "  The running VMs (--all: also stopped ones whose logs remain).\n" },
	{ "help", "hotcpu help [COMMAND]\n" },
};

static const char exit_codes[] =
	"Exit codes:\n"
	"  0  done and confirmed\n"
	"  1  error: I/O, QMP, or QEMU failed to start\n"
	"  2  usage: bad arguments (the message names the argument)\n"
	"  3  QEMU refused device_add/device_del (for example \"cpu hotplug\n"
	"     with SMI wasn't enabled by firmware\")\n"
	"  4  the guest refused: its _OST reported failure, or its console\n"
	"     shows the refusal (Linux 6.12 reports _OST success and then\n"
	"     \"Unable to map lapic\" for a CPU that QEMU's own ACPI tables do\n"
	"     not make hot-pluggable, as with SeaBIOS and OVMF under TCG)\n"
	"  5  timeout: no confirmation before --timeout (default 30 s)\n"
	"  6  no such VM, or it is not running\n"
	"  7  no such CPU, CPU 0, no free slot, the TCG vCPU budget is spent,\n"
	"     or another client unplugged the CPU being plugged or\n"
	"     plugged its slot first\n"
	"  8  lost: QEMU exited or QEMU and the guest disagree about a CPU\n";

static const char confirmation[] =
	"Confirmation: an add is confirmed when the guest's _OST reports\n"
	"success (QMP ACPI_DEVICE_OST) and the CPU is online: the bundled\n"
	"guest's agent prints its online CPUs on the console; for other\n"
	"guests hotcpu asks QEMU whether the guest started the CPU (CR0.PG set\n"
	"by the guest's bring-up). A remove is confirmed by DEVICE_DELETED\n"
	"(QEMU sends it for the CPU's lapic child) and an empty slot in\n"
	"query-hotpluggable-cpus. Every subcommand but run takes --name\n"
	"(default hotcpu); status, plug, unplug, resize and stress also take\n"
	"--qmp PATH: the QMP socket of a QEMU hotcpu did not start\n"
	"(the VM is named by --name, else QEMU's -name, else the socket's\n"
	"file name; docs/cli.md says what hotcpu cannot confirm there).\n"
	"Runtime directory: $HOTCPU_RUNTIME_DIR, else\n"
	"$XDG_RUNTIME_DIR/hotcpu, else /tmp/hotcpu-UID.\n";



static const char *help__usage(const char *cmd)
{
	for (size_t i = 0; i < sizeof(helps) / sizeof(helps[0]); i++)
		if (!strcmp(helps[i].cmd, cmd))
			return helps[i].text;
	return NULL;
}

int cmd_help(int argc, char **argv)
{
	const char *text;

	if (argc > 1) {
		text = help__usage(argv[1]);
		if (!text)
			return opts__usage("help", "no command '%s'", argv[1]);
		printf("%s\n%s", text, exit_codes);
		return HOTCPU_EXIT_OK;
	}
	printf("hotcpu: run a QEMU q35 VM and plug, unplug, resize, stress and "
	       "watch its vCPUs over QMP.\n\n");
	for (size_t i = 0; i < sizeof(helps) / sizeof(helps[0]); i++)
		printf("%s\n", helps[i].text);
	printf("%s\n%s", confirmation, exit_codes);
	return HOTCPU_EXIT_OK;
}
