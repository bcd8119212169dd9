#!/usr/bin/env bash
# Runs every Go fuzz target of the repository for a set time each.
#
#   bench/fuzz.sh [seconds-per-target]      (default 20; FUZZTIME=... works too)
#
# Targets are found by looking for `func Fuzz...` in _test.go files, so a new one is picked up
# without editing this script. A crash makes `go test` write the failing input under the
# package's testdata/fuzz/ and this script exit 1 after running the rest. With OUT=dir set, a
# markdown table of the run is written to $OUT/70-fuzz.md.
set -uo pipefail
cd "$(dirname "$0")/.."
secs=${1:-${FUZZTIME:-20}}
secs=${secs%s}
results=()
failed=0
start_all=$(date +%s)
while IFS=: read -r file name; do
	dir=$(dirname "$file")
	start=$(date +%s)
	if go test "./$dir" -run '^$' -fuzz "^${name}\$" -fuzztime "${secs}s" >/tmp/ganban-fuzz-$$.log 2>&1; then
		status=ok
	else
		status=FAILED
		failed=$((failed + 1))
		tail -20 /tmp/ganban-fuzz-$$.log >&2
	fi
	execs=$(grep -o 'execs: [0-9]*' /tmp/ganban-fuzz-$$.log | tail -1 | grep -o '[0-9]*' || true)
	took=$(($(date +%s) - start))
	printf '%-28s %-32s %-6s %8s execs %4ss\n' "$dir" "$name" "$status" "${execs:-?}" "$took" >&2
	results+=("| \`$dir\` | \`$name\` | ${execs:-?} | $status |")
done < <(grep -rHo --include='*_test.go' --exclude-dir=node_modules --exclude-dir=.git '^func Fuzz[A-Za-z0-9_]*' . |
	sed 's|^\./||; s|:func |:|' | sort)
rm -f /tmp/ganban-fuzz-$$.log
if [ -n "${OUT:-}" ]; then
	mkdir -p "$OUT"
	{
		echo "### Fuzzing"
		echo
		echo "\`bench/fuzz.sh $secs\`: every \`Fuzz\` target of the repository for ${secs}s each with \`go test -fuzz\` ($(($(date +%s) - start_all))s in all)."
		echo
		echo "| package | target | executions | result |"
		echo "|---|---|---|---|"
		printf '%s\n' "${results[@]}"
		echo
		if [ "$failed" -eq 0 ]; then echo "No target found a failing input."; else echo "$failed targets found a failing input (kept under testdata/fuzz/)."; fi
	} >"$OUT/70-fuzz.md"
fi
[ "$failed" -eq 0 ]
