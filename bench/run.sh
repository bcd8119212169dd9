#!/usr/bin/env bash
# Runs every benchmark of bench/ and writes the results: bench/results.md, the results
# section of bench/README.md, and bench/cache-hit-ratio.svg. Not part of CI.
#
#   bench/run.sh                 # the whole run, at most $TOTAL seconds (default 900)
#   KEEP=1 bench/run.sh          # keep the scratch directory (simulator logs, transcripts)
#
# Each part has its own time limit, cut to what is left of the total. The run is hermetic:
# it re-executes itself with an empty environment but PATH, a scratch HOME, the Go and npm
# caches, and AWS_EC2_METADATA_DISABLED=true, so nothing of the caller's AWS, Claude or
# ganban setup is read. It builds ganban from this checkout and installs what it needs: the
# pinned npm packages of test/conformance (npm ci) and ripgrep (apt-get, when root).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

if [ "${GANBAN_BENCH_INNER:-}" != 1 ]; then
	WORK=$(mktemp -d /tmp/ganban-bench.XXXXXX)
	mkdir -p "$WORK/home"
	exec env -i GANBAN_BENCH_INNER=1 WORK="$WORK" PATH="$PATH" HOME="$WORK/home" TERM=dumb LANG=C.UTF-8 \
		AWS_EC2_METADATA_DISABLED=true TMPDIR="$WORK/tmp" \
		GOCACHE="$(go env GOCACHE)" GOMODCACHE="$(go env GOMODCACHE)" GOPATH="$(go env GOPATH)" GOFLAGS="$(go env GOFLAGS)" \
		GOPROXY="$(go env GOPROXY)" npm_config_cache="$(npm config get cache 2>/dev/null || echo "$WORK/npm")" \
		TOTAL="${TOTAL:-900}" KEEP="${KEEP:-}" FUZZTIME="${FUZZTIME:-}" "$ROOT/bench/run.sh" "$@"
fi

mkdir -p "$TMPDIR"
OUT=$ROOT/bench/out
BIN=$WORK/bin
LOGS=$WORK/logs
CLAUDE=$ROOT/test/conformance/node_modules/.bin/claude
CLAUDE_VERSION=$(sed -n 's/.*"@anthropic-ai\/claude-code": "\([^"]*\)".*/\1/p' test/conformance/package.json)
rm -rf "$OUT"
mkdir -p "$OUT" "$BIN" "$LOGS"
START=$(date +%s)
export ROOT OUT BIN LOGS CLAUDE CLAUDE_VERSION START
echo "bench: scratch directory $WORK, results in $OUT"

# part NAME SECONDS COMMAND...: runs COMMAND with its output in $LOGS/NAME.log, for at most
# SECONDS or what is left of $TOTAL, and records how it went in $OUT/parts.txt.
part() {
	local name=$1 budget=$2
	shift 2
	local left=$((TOTAL - ($(date +%s) - START)))
	if [ "$left" -le 5 ]; then
		echo "bench: $name skipped, out of time"
		echo "$name skipped 0" >>"$OUT/parts.txt"
		return
	fi
	[ "$budget" -gt "$left" ] && budget=$left
	local t0 rc status
	t0=$(date +%s)
	echo "bench: $name (at most ${budget}s)"
	if declare -F "$1" >/dev/null; then
		# A function of this script: timeout runs programs, so give it a shell that has it.
		timeout --kill-after=10 "$budget" bash -c "$(declare -f "$1"); $1" >"$LOGS/$name.log" 2>&1
	else
		timeout --kill-after=10 "$budget" "$@" >"$LOGS/$name.log" 2>&1
	fi
	rc=$?
	case $rc in
	0) status=ok ;;
	124 | 137) status=timeout ;;
	*) status="failed($rc)" ;;
	esac
	[ "$status" = ok ] || tail -15 "$LOGS/$name.log" | sed "s/^/bench: $name: /"
	echo "$name $status $(($(date +%s) - t0))" >>"$OUT/parts.txt"
}

build() {
	go build -o "$BIN/ganban" ./cmd/ganban &&
		go build -o "$BIN/" ./bench/agents ./bench/search ./bench/soak ./bench/report
}

install() {
	if ! "$CLAUDE" --version 2>/dev/null | grep -q "^$CLAUDE_VERSION "; then
		(cd test/conformance && npm ci --no-audit --no-fund) || return 1
	fi
	if ! command -v rg >/dev/null; then
		if [ "$(id -u)" = 0 ]; then
			apt-get install -y ripgrep || { apt-get update && apt-get install -y ripgrep; } || return 1
		else
			echo "ripgrep is missing and this is not root: install it (apt-get install ripgrep)"
			return 1
		fi
	fi
}

streams() {
	{
		echo "# Event-stream decoding"
		echo "# \`go test ./internal/anthropic ./internal/bedrock -run '^\$' -bench 'DecodeEventStream|ClientStream' -benchmem -benchtime 2s\`: answers encoded by the simulator's own encoder (16-byte text deltas, 24-byte partial_json deltas), decoded from memory (event-stream frames, the chunk's JSON and base64, the event, the accumulator) for three answer lengths, and through \`bedrock.Client.Stream\` from a loopback server replaying the bytes (signing and the AWS SDK's event-stream reader included). MB/s is of the encoded stream."
		go test ./internal/anthropic ./internal/bedrock -run '^$' -bench 'DecodeEventStream|ClientStream' -benchmem -benchtime 2s
	} >"$OUT/80-streams.bench"
}

tui() {
	local bench
	bench=$(grep -ho '^func Benchmark[A-Za-z0-9_]*' internal/tui/*_test.go 2>/dev/null | sed 's/^func //' | paste -sd'|')
	[ -n "$bench" ] || { echo "no benchmark in internal/tui"; return 1; }
	{
		echo "# Stream to screen (terminal UI)"
		echo "# \`go test ./internal/tui -run '^\$' -bench '$bench' -benchtime 500x\`, written with the terminal UI in internal/tui: keystroke-to-screen latency while an answer streams at 200 tokens a second, up to the frame's bytes written to the terminal, at Bubble Tea's default 60 frames a second and at the 120 the UI uses (50th and 99th percentile, in ms; the UI's goal is p99 under 16 ms)."
		go test ./internal/tui -run '^$' -bench "$bench" -benchtime 500x
	} >"$OUT/85-tui.bench"
}

# fuzz gives each target an equal share of what is left of the part's budget (FUZZ_BUDGET)
# and of the whole run, less about 8 s a target for building its instrumented test binary.
fuzz() {
	local n left per
	n=$(grep -rho --include='*_test.go' --exclude-dir=node_modules '^func Fuzz' . | wc -l)
	left=$((TOTAL - ($(date +%s) - START) - 30))
	[ "$left" -gt $((FUZZ_BUDGET - 20)) ] && left=$((FUZZ_BUDGET - 20))
	per=${FUZZTIME:-$((left / n - 8))}
	[ "$per" -gt 20 ] && per=20
	[ "$per" -lt 2 ] && per=2
	OUT=$OUT bench/fuzz.sh "$per"
}

part build 180 build
[ -x "$BIN/ganban" ] || { echo "bench: build failed; see $LOGS/build.log"; cat "$LOGS/build.log"; exit 1; }
part install 300 install
A=("$BIN/agents")
part startup 60 "${A[0]}" startup -ganban "$BIN/ganban" -claude "$CLAUDE" -out "$OUT" -runs 5
part turns 90 "${A[0]}" turns -ganban "$BIN/ganban" -claude "$CLAUDE" -out "$OUT" -runs 5
part turncost 40 "${A[0]}" turncost -ganban "$BIN/ganban" -out "$OUT"
part cost 60 "${A[0]}" cost -ganban "$BIN/ganban" -claude "$CLAUDE" -out "$OUT" -svg "$ROOT/bench/cache-hit-ratio.svg"
part quota 150 "${A[0]}" quota -ganban "$BIN/ganban" -out "$OUT" -sessions 8 -minutes 20
part search 150 "$BIN/search" -root "$WORK/tree" -runs 5 -out "$OUT"
part streams 90 streams
part tui 60 tui
part soak 150 "$BIN/soak" -ganban "$BIN/ganban" -out "$OUT" -sessions 24 -steps 20 -parallel 4 -budget 120s
FUZZ_BUDGET=400
export FUZZ_BUDGET
part fuzz "$FUZZ_BUDGET" fuzz
"$BIN/report" -out "$OUT" -ganban "$BIN/ganban" -claude "$CLAUDE" -readme bench/README.md -results bench/results.md
echo "bench: done in $(($(date +%s) - START))s; bench/results.md and bench/README.md updated"
cat "$OUT/parts.txt"
if [ -z "${KEEP:-}" ]; then rm -rf "$WORK"; else echo "bench: kept $WORK"; fi
