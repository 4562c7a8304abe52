#!/bin/sh
# bench-verify.sh: how much faster `pyquiz verify` is than the naive runner,
# and how much an unchanged re-run costs next to a cold one (the cache).
#
# The naive runner starts `python -I snippet.py` (-E -s on 2.7) once per
# built-in snippet and interpreter, in sequence, outside any sandbox.
# verify runs every pair through its fork servers, each in its sandbox,
# with --jobs = number of CPUs, and a second time under another hash seed
# where the outcome may vary (the nondeterminism check; verify-runs says
# how many runs that made). The benchmark checks that both saw byte-identical stdout
# and prints the ratio as "x-faster"; interpreter discovery is left out of
# both timings.
#
# Then it times the whole command, discovery and all, in a fresh state
# folder: a cold run (nothing cached), then the same run again (every
# verdict from the cache), and prints the second as a share of the first.
set -eu
cd "$(dirname "$0")/.."
go test ./internal/verify -run '^$' -bench BenchmarkSpeedup -benchtime 1x -count "${COUNT:-1}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/pyquiz" ./cmd/pyquiz
now() { date +%s.%N; }
start=$(now)
PYQUIZ_HOME="$tmp/state" "$tmp/pyquiz" verify >/dev/null || true
mid=$(now)
PYQUIZ_HOME="$tmp/state" "$tmp/pyquiz" verify >"$tmp/warm.txt" || true
end=$(now)
cold=$(echo "$mid - $start" | bc)
warm=$(echo "$end - $mid" | bc)
echo "pyquiz verify (built-in packs, every interpreter, end to end): cold $cold s"
echo "unchanged re-run: $warm s = $(echo "scale=1; 100 * $warm / $cold" | bc)% of the cold run ($(grep -o '[0-9]* unchanged' "$tmp/warm.txt"))"
