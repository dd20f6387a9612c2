# The chaos soak's table (sourced by tests/chaos/soak.sh): sums of the
# per-VM results lines ("key=value ..."), for each guest and in all.

# sum_kind KIND KEY, sum_all KEY
sum_kind() { awk -v k="$2" -v g="kind=$1" '$0 ~ g" " { for (i = 1; i <= NF; i++) { split($i, a, "="); if (a[1] == k) s += a[2] } } END { print s + 0 }' "$results"; }
sum_all() { awk -v k="$1" '{ for (i = 1; i <= NF; i++) { split($i, a, "="); if (a[1] == k) s += a[2] } } END { print s + 0 }' "$results"; }
max_all() { awk -v k="$1" '{ for (i = 1; i <= NF; i++) { split($i, a, "="); if (a[1] == k && a[2] > m) m = a[2] } } END { print m + 0 }' "$results"; }

# row LABEL KEY: bundled, onliner, all
row() {
	printf '| %-52s | %9s | %9s | %9s |\n' "$1" "$(sum_kind bundled "$2")" \
		"$(sum_kind onliner "$2")" "$(sum_all "$2")"
}

print_table() {
	local secs=$1 ls
	ls=$(sum_all load_samples)
	echo
	echo "chaos soak: $(sum_all vms) VMs, $(sum_all removes) add/remove cycles, $((secs / 60)) min $((secs % 60)) s this run, $(( $(sum_all seconds) / 60 )) min in all VMs, $(awk -v c="$(sum_all removes)" -v s="$(sum_all seconds)" 'BEGIN { printf "%.2f", s ? c / s * 60 : 0 }') cycles/min"
	printf '| %-52s | %9s | %9s | %9s |\n' "injected" bundled onliner all
	printf '|%s|%s|%s|%s|\n' "------------------------------------------------------" "-----------" "-----------" "-----------"
	row "VMs (2 boot vCPUs, SMM on)" vms
	row "... ended by SIGKILL in the middle of a plug" kills
	row "rounds (hotcpu A and/or B)" rounds
	row "... A and B at once" both_at_once
	row "A plug commands (by name)" cmd_a_plug
	row "A unplug commands" cmd_a_unplug
	row "B plug commands (--qmp, second QMP socket)" cmd_b_plug
	row "B unplug commands" cmd_b_unplug
	row "hot-adds admitted by the firmware (debugcon)" fw_admitted
	row "hot-removes ejected by the firmware (debugcon)" fw_ejected
	row "hot-removes done (QEMU DEVICE_DELETED) = cycles" removes
	row "guest CPU hogs (busy loops)" hogs
	row "random bytes to port 0xB2 (not 3, 4)" apm_writes
	row "register block writes (selector, command; quiet)" regjunk_writes
	row "CPUs the guest offlined itself" flip_offline
	row "... and onlined again" flip_online
	row "CPUs the onliner onlined" onliner_onlines
	row "quiet windows (present CPUs == online CPUs?)" quiet_windows
	printf '| %-52s | %9s | %9s | %9s |\n' "most vCPUs present at once (2 host cores)" "" "" "$(max_all max_present)"
	printf '| %-52s | %9s | %9s | %9s |\n' "host load average (1 min), mean of samples" "" "" \
		"$(awk -v s="$(sum_all load_x100)" -v n="$ls" 'BEGIN { printf "%.2f", n ? s / n / 100 : 0 }')"
	printf '| %-52s | %9s | %9s | %9s |\n' "seen" "" "" ""
	row "answers: confirmed" ans_ok
	row "answers: refused, the other got there first" ans_race
	row "answers: QEMU gone (at a kill)" ans_lost
	row "answers: unclear (failure)" ans_unclear
	row "CPUs confirmed added by a hotcpu answer" conf_adds
	row "CPUs confirmed removed by a hotcpu answer" conf_removes
	row "lost CPUs (present, not online, unreported)" lost
	row "... reported by a hotcpu answer" lost_reported
	row "CPUs online in the guest but not present" ghosts
	row "guest hangs (no answer in $gcmd_timeout s)" hangs
	row "soft lockups and stalls" lockups
	row "\"Eject incomplete\"" eject_incomplete
	row "bad console lines (the rows above included)" console_bad
	row "firmware PANIC" panics
	row "firmware refusals" fw_refusals
	row "SMM: CPU in the reset state sent to park/hlt loop" fw_reset_resumes
	row "SMM: relocated into torn save state, sent to park" fw_torn_resumes
	row "hotcpu status after a kill says what happened" status_ok
	row "SMRAM reads 0xff at a VM's end" smram_ok
	row "failures" failures
}
