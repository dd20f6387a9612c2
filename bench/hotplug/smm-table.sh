# shellcheck shell=bash disable=SC2154
# Sourced by run.sh: the SMM table, from the stress loops of hotcpu (SMM),
# hotcpu-nosmm and ovmf (all $out/KEY.json), the OVMF secure-boot attempt
# ($out/ovmf-smm.json or .hang) and the counting windows (counts.sh).
# Needs: here, out, cycles, rounds, windows, hang_s, accel, count_field().

smm_cols="hotcpu hotcpu-nosmm ovmf-smm"

# Latency statistic $2 (p50, p95) of operation $1 for column $3: the
# number, "hangs" for the add that timed out, "-" for what never ran.
smm_latency() {
	if [ -e "$out/$3.json" ]; then
		jq -r ".\"$1-ms\".$2" "$out/$3.json" | awk '{ printf "%.1f", $1 }'
	elif [ "$1" = add ] && [ -e "$out/$3.hang" ]; then
		echo hangs
	else
		echo -
	fi
}

# Hot-add, column $1 over column $2, against the target $3: the ratio
# of the pooled medians, then over the VMs, from each VM's median (a
# VM's median moves from one boot to the next by more than the targets'
# margins, sd 4-7% here, so the verdict is the interval's).
smm_vm_ci() {
	local r
	printf "%.3fx pooled, per VM " "$(jq -n --argjson a "$(jq '."add-ms".p50' "$out/$1.json")" \
		--argjson b "$(jq '."add-ms".p50' "$out/$2.json")" '$a / $b')"
	for r in $(seq "$rounds"); do
		jq -r '."add-ms".p50' "$out/$1-r$r.json" "$out/$2-r$r.json" | paste -sd' '
	done | awk -v t="$3" -f "$here/ratio-interval.awk"
}

smm_row() {
	local label=$1 key
	shift
	printf '%-30s' "$label"
	for key in $smm_cols; do
		printf ' %13s' "$("$@" "$key")"
	done
	echo
}

# Count field $2 of operation $1 for column $3; entries are TCG's log.
smm_count() {
	if [ "$accel" != tcg ] && [ "$2" != 1 ] && [ "$2" != 4 ]; then
		echo "n/a"
		return
	fi
	count_field "$3" "$1" "$2"
}

smm_table() {
	local op

	echo "SMM: hotcpu.fd with SMM and without, OVMF's secure-boot build with SMM"
	echo "hotcpu (SMM): -M q35,smm=on; SMI broadcast, CPU hotplug and hot-unplug negotiated,"
	echo "every add and remove through the SMI handler (checked in its debugcon log)."
	echo "hotcpu (no SMM): the same image with -M q35,smm=off. OVMF secboot: OVMF_CODE_4M.secboot.fd,"
	echo "smm=on, secure pflash, + initrd ACPI upgrade. Latency in ms, measured as above."
	echo "Counts per operation: $windows adds and removes in a second VM per column with QEMU's"
	echo "-d int and trace events on (a/b: the windows differed). SMIs = writes to APM_CNT"
	echo "(0xB2) outside SMM; SMM entries = TCG 'SMM: enter', per vCPU in thread order"
	echo "(boot CPU first);"
	echo "register accesses = memory_region_ops on acpi-cpu-hotplug (0xcd8-0xce3), QEMU's AML"
	echo "and the firmware together; 'in SMM' = made by a vCPU between its SMM entry and RSM."
	echo
	printf '%-30s %13s %13s %13s\n' "" hotcpu hotcpu "OVMF secboot"
	printf '%-30s %13s %13s %13s\n' "" "(SMM)" "(no SMM)" "(SMM)"
	smm_row "add median" smm_latency add p50
	smm_row "add p95" smm_latency add p95
	smm_row "remove median" smm_latency remove p50
	smm_row "remove p95" smm_latency remove p95
	for op in add remove; do
		echo "per hot-$op:"
		smm_row "  SMIs (0xB2 writes)" smm_count "$op" 1
		smm_row "  SMM entries" smm_count "$op" 2
		smm_row "    per vCPU" smm_count "$op" 3
		smm_row "  register-block accesses" smm_count "$op" 4
		smm_row "    of them in SMM" smm_count "$op" 5
	done
	echo

	echo "hot-add, hotcpu SMM / hotcpu no SMM (target <= 1.20x): $(smm_vm_ci hotcpu hotcpu-nosmm 1.2)"
	echo "hot-add, hotcpu SMM / OVMF no SMM (target <= 1.00x):   $(smm_vm_ci hotcpu ovmf 1.0)"
	awk -v a="$(jq -r '."add-ms".p95' "$out/hotcpu.json")" \
		-v b="$(jq -r '."add-ms".p95' "$out/hotcpu-nosmm.json")" \
		-v c="$(jq -r '."add-ms".p95' "$out/ovmf.json")" \
		-v d="$(jq -r '."remove-ms".p50' "$out/hotcpu.json")" \
		-v e="$(jq -r '."remove-ms".p50' "$out/hotcpu-nosmm.json")" \
		-v f="$(jq -r '."remove-ms".p50' "$out/ovmf.json")" 'BEGIN {
		printf "(same ratios, add p95: %.2fx and %.2fx; remove median: %.2fx and %.2fx)\n",
			a / b, a / c, d / e, d / f }'
	awk -v a="$(cat "$out/hotcpu.host")" -v b="$(cat "$out/hotcpu-nosmm.host")" \
		-v c="$(cat "$out/ovmf.host")" 'BEGIN {
		if (a > 10 || b > 10 || c > 10)
			printf "WARNING: other work took %d%%, %d%% and %d%% of the host CPU during the hotcpu SMM,\n" \
				"no SMM and OVMF loops (median of the rounds): these ratios are not reliable;\n" \
				"rerun on an idle host.\n", a, b, c }'
	# The monarch times each session (debugcon): the plan, the wait for
	# a new CPU's relocation (TCG with INIT-SIPI bring-up only), the
	# ejects. What it cannot time is the SMI's delivery and the other
	# CPUs' entry and exit, which the latency shows.
	for op in "1 admitted, 0 ejected:hot-add" "0 admitted, 1 ejected:hot-remove"; do
		{ grep "smm: session .*: ${op%%:*};" "$out/hotcpu-debugcon.log" || true; } |
			sed -n 's/.* plan \([0-9]*\) us, relocation \([0-9]*\) us, ejects \([0-9]*\) us$/\1 \2 \3/p' |
			awk '{ print $1 + $2 + $3 }' | sort -n |
			awk -v op="${op#*:}" '{ t[NR] = $1 } END {
				if (NR) printf "hotcpu SMI handler per %s session, plan + relocation + ejects (debugcon, %d sessions): median %d us, max %d us\n",
					op, NR, t[int((NR + 1) / 2)], t[NR] }'
	done
	echo "idle second in each counting VM (hotcpu SMM, no SMM, OVMF secboot): SMIs" \
		"$(for k in $smm_cols; do count_field "$k" idle 1; done | paste -sd' ')," \
		"register accesses" \
		"$(for k in $smm_cols; do count_field "$k" idle 4; done | paste -sd' ')"
	if [ -e "$out/ovmf-smm.hang" ]; then
		echo
		echo "OVMF secboot with SMM hangs on the first hot-add under $accel: no _OST and no CPU"
		echo "online within $hang_s s (hotcpu plug: $(sed -n 's/.*failed: \([^(]*[^ (]\).*/\1/p' \
			"$out/ovmf-smm.hang" | head -n1))."
		[ -e "$out/count-ovmf-smm/hang" ] &&
			echo "The counting VM hung the same way; its add column shows what OVMF did before."
		echo "Where its SMM CPU hotplug works (KVM) OVMF secboot is compared on paper only:"
		echo "that is not measurable on this host, so this table has no latency for it."
	fi
}
