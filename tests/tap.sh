# TAP for the shell tests: numbered ok / not ok lines, a failure count
# for the exit status, and the output of the command that failed. A test
# sources this, then sets $out and $err (the files its commands write)
# and, for expect, $hotcpu.
n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}
not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	sed 's/^/#   stdout: /' "$out" | head -20
	sed 's/^/#   stderr: /' "$err" | head -20
}
# expect CODE DESCRIPTION -- ARGS...: runs hotcpu, checks its exit code.
expect() {
	local code=$1 desc=$2 rc
	shift 3
	"$hotcpu" "$@" >"$out" 2>"$err"
	rc=$?
	if [ "$rc" = "$code" ]; then
		ok "$desc (exit $rc)"
	else
		echo "# hotcpu $* exited $rc, expected $code"
		not_ok "$desc"
	fi
}
# check DESCRIPTION COMMAND...: a shell condition.
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
in_err() { grep -q -- "$1" "$err"; }
in_out() { grep -q -- "$1" "$out"; }
# need_files FILE...: the whole test is skipped, saying which, when one
# is missing; need_commands CMD... likewise for programs.
need_files() {
	local f
	for f; do
		[ -e "$f" ] && continue
		echo "1..0 # SKIP $f is missing (make check builds it)"
		exit 0
	done
}
need_commands() {
	local c
	for c; do
		command -v "$c" >/dev/null && continue
		echo "1..0 # SKIP $c is missing (make deps)"
		exit 0
	done
}
