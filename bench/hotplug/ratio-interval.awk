# The ratio of two columns over rounds, with its 95% interval and the
# verdict against a target: input one line per round, "a b" (the round's
# value of each column, each from its own fresh VM); -v t=TARGET. Prints
# "R (95% interval LO-HI, N rounds): VERDICT" where R is the ratio of the
# columns' means, and the interval comes from 2000 resamples of the
# rounds: a round's two VMs stay together, so a drift of the host during
# the run moves both. The verdict is the interval's, "met", "NOT met" or
# "not decided by this run" for a target inside it. Seeded: the same
# input gives the same line. Used by bench-hotplug and bench-resize.
{ a[NR] = $1; b[NR] = $2; sa += $1; sb += $2 }
END {
	srand(1)
	for (k = 1; k <= 2000; k++) {
		x = y = 0
		for (i = 1; i <= NR; i++) {
			j = int(rand() * NR) + 1
			x += a[j]
			y += b[j]
		}
		v[k] = x / y
	}
	for (i = 2; i <= 2000; i++)
		for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
			x = v[j]; v[j] = v[j - 1]; v[j - 1] = x
		}
	lo = v[50]
	hi = v[1951]
	# Not inside printf's arguments: there mawk reads ">" as a redirection.
	verdict = hi <= t ? "met" : (lo > t ? "NOT met" : "not decided by this run")
	printf "%.3fx (95%% interval %.3fx-%.3fx, %d rounds): %s", sa / sb, lo, hi, NR, verdict
}
