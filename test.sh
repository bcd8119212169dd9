#!/usr/bin/env bash
# The whole test suite, hermetic: a throw-away HOME, no AWS/Claude settings from the caller's
# environment, and the instance-metadata endpoint disabled, so nothing reads a real ~/.aws or
# ~/.claude and the AWS SDK never probes 169.254.169.254.
set -euo pipefail
cd "$(dirname "$0")"

# Keep the Go caches where they are before HOME moves.
export GOPATH="$(go env GOPATH)" GOMODCACHE="$(go env GOMODCACHE)" GOCACHE="$(go env GOCACHE)"
export npm_config_cache="${npm_config_cache:-$(npm config get cache 2>/dev/null || echo /tmp/npm-cache)}"
# CI sets GANBAN_REQUIRE_TMUX=1 so that the terminal UI test fails rather than skips without
# tmux; keep it across the clean-up below.
require_tmux="${GANBAN_REQUIRE_TMUX:-}"
for v in $(env | grep -oE '^(AWS|ANTHROPIC|CLAUDE|GANBAN)_[A-Z0-9_]*' || true); do unset "$v"; done
[ -n "$require_tmux" ] && export GANBAN_REQUIRE_TMUX="$require_tmux"
unset HTTPS_PROXY HTTP_PROXY https_proxy http_proxy NO_PROXY no_proxy
export AWS_EC2_METADATA_DISABLED=true
HOME="$(mktemp -d)"
export HOME
trap 'rm -rf "$HOME"' EXIT

if [ -f test/conformance/package.json ]; then
  (cd test/conformance && npm ci --no-audit --no-fund --loglevel=error)
fi
export GANBAN_REQUIRE_NPM=1
go vet ./...
go test -count=1 ./... "$@"
