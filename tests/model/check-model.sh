#!/usr/bin/env bash
# The platform model in make check (TAP): a short campaign per rule set and
# bring-up with every fault on, one per rule set with every fault but junk
# (the firmware refuses nothing), every mutation caught in under a second,
# the seed-004 scenario and its replay, determinism, and bad arguments.
# Usage: tests/model/check-model.sh BUILD [SCHEDULES]
set -u
model=$1/hotcpu-model
sched=${2:-3000}
n=0
fail=0

ok() { n=$((n + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); fail=1; echo "not ok $n - $*"; }
check() { if eval "$1"; then ok "$2"; else notok "$2"; fi; }

command -v jq >/dev/null || { echo "1..0 # SKIP jq is missing (apt-get install jq)"; exit 0; }

# The invariants each pair may break: none with the mailbox; with
# INIT-SIPI-SIPI only what the CPU rules themselves allow (KVM drops a
# SIPI that finds the CPU in SMM; TCG processes a SIPI in SMM).
allowed() {
	case $1/$2 in
	*/mailbox) echo "" ;;
	kvm/sipi) echo "sipi-lost" ;;
	tcg/sipi) echo "os-in-smm" ;;
	esac
}

for rules in kvm tcg; do
	for bringup in mailbox sipi; do
		out=$("$model" --rules "$rules" --bringup "$bringup" \
			--schedules "$sched" --faults all --json 2>/dev/null)
		got=$(printf '%s' "$out" | jq -r '.by_invariant | keys | join(" ")')
		extra=""
		for inv in $got; do
			case " $(allowed $rules $bringup) " in
			*" $inv "*) ;;
			*) extra="$extra $inv" ;;
			esac
		done
		check '[ -n "$out" ] && [ -z "$extra" ]' \
			"$rules/$bringup: $sched schedules, all faults: $(printf '%s' "$out" | jq -c .by_invariant)${extra:+ (not allowed:$extra)}"
	done
done

# Without junk from the guest, QEMU and its AML are honest: the firmware
# must refuse nothing (invariant "refused", checked only then).
honest=$("$model" --list-faults | cut -f1 | grep -vx junk | paste -sd, -)
for rules in kvm tcg; do
	out=$("$model" --rules "$rules" --bringup mailbox --schedules "$sched" \
		--faults "$honest" --json 2>/dev/null)
	check '[ -n "$out" ] && [ "$(printf "%s" "$out" | jq .violations)" = 0 ]' \
		"$rules/mailbox: $sched schedules, every fault but junk: $(printf '%s' "$out" | jq -c .by_invariant)"
done

# Every mutation breaks its invariant in under a second, in at least one
# rule set and bring-up where it applies, with every fault on or with
# the one fault that meets it most often: a kept APM command
# (keep-command) shows only when an SMI comes twice, about one schedule
# in a few hundred with all faults, a second's worth on a loaded host;
# an AP that does not wait for the monarch's NMI (wake-not-taken) shows
# when that NMI comes late.
while IFS=$'\t' read -r name rest; do
	inv=$(printf '%s' "$rest" | sed -n 's/^breaks \([a-z0-9-]*\):.*/\1/p')
	best=""
	for faults in all smi-dup smi-delay "$honest"; do
		for pair in "kvm mailbox" "tcg mailbox" "kvm sipi" "tcg sipi"; do
			set -- $pair
			t=$("$model" --rules "$1" --bringup "$2" --schedules 5000 \
				--faults "$faults" --mutation "$name" --find "$inv" \
				--max-violations 1 --json 2>/dev/null |
				jq -r '.first_violation.elapsed_s // empty')
			if [ -n "$t" ] && awk "BEGIN { exit !($t < 1) }"; then
				best="$1/$2, faults $faults, in $t s"
				break 2
			fi
		done
	done
	check '[ -n "$best" ]' "mutation $name breaks $inv${best:+ ($best)}"
done < <("$model" --list-mutations)
check '[ "$("$model" --list-mutations | wc -l)" -ge 6 ]' "at least six mutations"

# Seed 004: under KVM's rules with INIT-SIPI-SIPI, a CPU the OS starts
# while an SMI holds it in SMM loses its SIPIs and stays in
# wait-for-SIPI; --replay shows it.
out=$("$model" --rules kvm --bringup sipi --schedules 20000 --faults all \
	--find sipi-lost --max-violations 1 --json 2>/dev/null)
seed=$(printf '%s' "$out" | jq -r '.first_violation.seed // empty')
t=$(printf '%s' "$out" | jq -r '.first_violation.elapsed_s // 99')
check '[ -n "$seed" ] && awk "BEGIN { exit !($t < 1) }"' \
	"seed 004: kvm/sipi loses a CPU (seed ${seed:-none}, $t s)"
replay=$("$model" --rules kvm --bringup sipi --faults all --replay "${seed:-0}" 2>&1)
check 'printf "%s" "$replay" | grep -q "SIPI dropped: not in wait-for-SIPI" &&
       printf "%s" "$replay" | grep -q "did not come up after INIT-SIPI-SIPI.*in wait-for-SIPI"' \
	"seed 004: --replay shows the SIPI dropped in SMM and the CPU left in wait-for-SIPI"

# The same seed gives the same output, apart from the timing fields.
a=$("$model" --rules tcg --bringup sipi --schedules 50 --seed 7 --faults all 2>&1 |
	sed 's/[0-9]* cycles\/s, [0-9.]* s$//')
b=$("$model" --rules tcg --bringup sipi --schedules 50 --seed 7 --faults all 2>&1 |
	sed 's/[0-9]* cycles\/s, [0-9.]* s$//')
check '[ -n "$a" ] && [ "$a" = "$b" ]' "the same seed gives the same output"
trace=$(mktemp /tmp/hotcpu-model-trace.XXXXXX)
"$model" --rules kvm --bringup sipi --faults all --replay "${seed:-0}" \
	--trace "$trace" >/dev/null 2>&1
check 'jq -e ".traceEvents | length > 10" "$trace" >/dev/null' \
	"--trace writes Chrome trace event JSON"
rm -f "$trace"

# Bad arguments: exit 2, and the message names the argument.
"$model" --cpus 0 >/dev/null 2>/tmp/hotcpu-model-err.$$; rc=$?
check '[ $rc = 2 ] && grep -q -- "--cpus" /tmp/hotcpu-model-err.$$' "--cpus 0: exit 2, names --cpus"
"$model" --faults bogus >/dev/null 2>/tmp/hotcpu-model-err.$$; rc=$?
check '[ $rc = 2 ] && grep -q "bogus" /tmp/hotcpu-model-err.$$' "--faults bogus: exit 2, names the fault"
"$model" --mutation nope >/dev/null 2>/tmp/hotcpu-model-err.$$; rc=$?
check '[ $rc = 2 ] && grep -q -- "--mutation" /tmp/hotcpu-model-err.$$' "--mutation nope: exit 2"
rm -f /tmp/hotcpu-model-err.$$

echo "1..$n"
exit $fail
