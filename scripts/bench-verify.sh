#!/bin/sh
# bench-verify.sh: how much faster `pyquiz verify` is than the naive runner.
#
# The naive runner starts `python -I snippet.py` (-E -s on 2.7) once per
# built-in snippet and interpreter, in sequence. verify runs every pair
# twice (two hash seeds, for the nondeterminism check) through its fork
# servers with --jobs = number of CPUs. The benchmark checks that both saw
# byte-identical stdout and prints the ratio as "x-faster"; interpreter
# discovery is left out of both timings.
#
# Then it times the whole command, discovery and all, for the end-to-end figure.
set -eu
cd "$(dirname "$0")/.."
go test ./internal/verify -run '^$' -bench BenchmarkSpeedup -benchtime 1x -count "${COUNT:-1}"
go build -o "${TMPDIR:-/tmp}/pyquiz-bench" ./cmd/pyquiz
start=$(date +%s.%N)
"${TMPDIR:-/tmp}/pyquiz-bench" verify >/dev/null || true
end=$(date +%s.%N)
echo "pyquiz verify (built-in packs, every interpreter, end to end): $(echo "$end - $start" | bc) s"
rm -f "${TMPDIR:-/tmp}/pyquiz-bench"
