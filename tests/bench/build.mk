# The benchmarks' own arithmetic, on inputs whose answer is known: a
# verdict printed by `make bench` is only as good as the code behind it.
check-bench-scripts:
	bash tests/bench/ratio-interval.sh
CHECKS += check-bench-scripts
.PHONY: check-bench-scripts
