#!/bin/sh
# make demo: boots the bundled guest with -smp 1,maxcpus=4 on our
# firmware, plugs 3 vCPUs, unplugs 2, and prints the timeline with the
# latency of each step. Usage: tools/demo.sh [BUILD_DIR]
set -eu
build=${1:-build}
hotcpu="$build/hotcpu"
name=demo

"$hotcpu" stop --name $name >/dev/null 2>&1 || true
echo "== hotcpu run --name $name --cpus 1 --max-cpus 4 --detach"
"$hotcpu" run --name $name --cpus 1 --max-cpus 4 --detach
echo
echo "== hotcpu plug --name $name 3"
"$hotcpu" plug --name $name 3
echo
echo "== hotcpu unplug --name $name 2"
"$hotcpu" unplug --name $name 2
echo
echo "== hotcpu status --name $name"
"$hotcpu" status --name $name
dir=$("$hotcpu" list | awk -v n=$name '$1 == n { print $NF }')
"$hotcpu" stop --name $name >/dev/null
echo
echo "== timeline (s since QEMU started; from $dir/events.jsonl)"
jq -r '
	def ost: if .source == 1 then "add" elif .source == 3 then "eject"
		 else "event \(.source)" end;
	"\(.t)\t" +
	if .event == "HOTCPU_READY" then
		"guest up, CPU agent running"
	elif .event == "ACPI_DEVICE_OST" then
		"guest _OST   CPU \(.data.info.slot) \(.data.info | ost) " +
		"status \(.data.info.status)" +
		(if .data.info.status == 0 then " (success)"
		 elif .data.info.status == 132 then " (eject in progress)"
		 else " (failure)" end)
	elif .event == "DEVICE_DELETED" then
		"QEMU         DEVICE_DELETED \(.data.path // .data.device)"
	elif .event == "HOTCPU_PLUG" or .event == "HOTCPU_UNPLUG" then
		"hotcpu       \(if .event == "HOTCPU_PLUG" then "plug  " else "unplug" end) " +
		"\(.id) \(.outcome) after \(.["latency-ms"] * 10 | round / 10) ms" +
		(if .why != "" then ": \(.why)" else "" end)
	elif .event == "HOTCPU_QEMU_EXIT" then
		"QEMU         \(.how)"
	else
		"QEMU         \(.event)"
	end' "$dir/events.jsonl" | awk -F '\t' '{ printf "  %+8.3f  %s\n", $1, $2 }'
grep -a 'GUEST-CPUS-ONLINE' "$dir/serial.log" | tr -d '\r' |
	sed 's/^/  guest console: /'
