#!/bin/sh
# The SMM module is copied into TSEG at an address known only at boot and
# is never relocated: every reference must be RIP-relative. Fails on any
# absolute or GOT relocation in its objects.
set -eu
bad=$(for o in "$@"; do
	readelf -rW "$o" | awk -v o="$o" '
		/^Relocation section/ { sec = $3; next }
		sec ~ /debug/ { next }
		$3 ~ /^R_X86_64_(64|32|32S|GOTPCREL|GOTPCRELX|REX_GOTPCRELX|GOT64|GOTOFF64)$/ {
			print o " " sec ": " $3 " " $5 }'
done)
if [ -n "$bad" ]; then
	echo "checksmm: absolute relocations in the SMM module:" >&2
	echo "$bad" >&2
	exit 1
fi
