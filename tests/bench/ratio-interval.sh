#!/bin/bash
# The benchmarks' ratio with its interval (bench/hotplug/ratio-interval.awk),
# on rounds whose answer is known: the verdict each way, the ratio of the
# means, the same line for the same input.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
awkf=$here/../../bench/hotplug/ratio-interval.awk
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
# shellcheck source=tests/tap.sh
. "$here/../tap.sh"

# $1 rounds of column b around 70 and column a = b * $2, both with a
# spread of $3 (a fraction), from a fixed seed.
rounds() {
	awk -v n="$1" -v r="$2" -v s="$3" 'BEGIN {
		srand(7)
		for (i = 0; i < n; i++) {
			b = 70 * (1 + s * (2 * rand() - 1))
			a = 70 * r * (1 + s * (2 * rand() - 1))
			printf "%.3f %.3f\n", a, b
		} }'
}
# check DESCRIPTION TARGET EXPECTED-SUBSTRING < rounds (not in a pipe:
# the TAP counters must stay in this shell)
check() {
	awk -v t="$2" -f "$awkf" >"$out" 2>"$err"
	if grep -qF -- "$3" "$out"; then
		ok "$1: $(cat "$out")"
	else
		echo "# expected \"$3\""
		not_ok "$1"
	fi
}

check "50% over a 1.20x target" 1.2 ": NOT met" < <(rounds 20 1.5 0.06)
check "equal columns under a 1.20x target" 1.2 ": met" < <(rounds 20 1.0 0.06)
check "equal columns against a 1.00x target" 1.0 \
	": not decided by this run" < <(rounds 20 1.0 0.06)
check "the ratio of the means" 1.0 \
	"2.000x (95% interval 2.000x-2.000x, 2 rounds): NOT met" < <(printf '2 1\n4 2\n')
check "the ratio of the means, not the mean of the rounds' ratios" 10 \
	"2.000x" < <(printf '1 2\n5 1\n')

# A second apart, so that a seed from the clock would differ.
a=$(rounds 20 1.0 0.06 | awk -v t=1 -f "$awkf")
sleep 1.1
b=$(rounds 20 1.0 0.06 | awk -v t=1 -f "$awkf")
if [ "$a" = "$b" ]; then
	ok "the same rounds give the same line"
else
	echo "# $a" >"$out"; echo "# $b" >>"$out"
	not_ok "the same rounds give the same line"
fi
# The interval holds the ratio, its ends in order.
rounds 20 1.1 0.06 | awk -v t=1 -f "$awkf" >"$out"
if sed 's/x (95% interval /x /; s/x-/x /; s/x, .*//' "$out" |
	awk '{ r = $1 + 0; lo = $2 + 0; hi = $3 + 0; exit !(lo <= r && r <= hi && lo < hi) }'; then
	ok "the interval holds the ratio: $(cat "$out")"
else
	not_ok "the interval holds the ratio"
fi
echo "1..$n"
exit $((failed > 0))
