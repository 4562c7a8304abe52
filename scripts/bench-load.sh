#!/usr/bin/env bash
# Loading and validating a 10,000-question pack: the Go benchmarks (Parse
# against a bare YAML decode of the same file, and the live heap), then the
# real binary's wall time and peak memory on the same file.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

go test ./quiz -run XXX -bench '10k' -benchtime 10x -count 1 | tee "$tmp/bench.txt"
awk '/^BenchmarkParse10k-/ {p=$3} /^BenchmarkYAMLDecode10k-/ {y=$3}
     END {printf "load+validate / bare yaml decode = %.2fx (target <= 1.5x)\n", p/y}' "$tmp/bench.txt"

go test ./quiz -run TestWriteBigPack -bigpack "$tmp/big.yaml" >/dev/null
go build -o "$tmp/pyquiz" ./cmd/pyquiz
/usr/bin/time -f "pyquiz validate (10,000 questions, $(du -h "$tmp/big.yaml" | cut -f1)): %es wall, %MkB peak RSS (target < 100 MB)" \
  "$tmp/pyquiz" validate "$tmp/big.yaml" >/dev/null
