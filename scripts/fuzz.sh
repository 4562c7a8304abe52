#!/usr/bin/env bash
# Runs every fuzz target of every package for a while each (PRODUCT.md
# section 10: no panic on any input). Targets are found with
# `go test -list '^Fuzz' ./...`, so a new `func FuzzX(f *testing.F)` is picked
# up without editing this script. A failing input is written by `go test`
# into the package's testdata/fuzz/FuzzX folder: commit it, and it becomes a
# regression case that every plain `go test ./...` runs from then on.
#
# Usage: scripts/fuzz.sh [FUZZTIME] [PACKAGES...]
#   FUZZTIME  per target, as `go test -fuzztime` takes it (default 20s, or $FUZZTIME)
#   PACKAGES  default ./...
# FUZZ_BUDGET (seconds, default 300) caps the fuzzing time of all targets
# together, so CI stays well under its 15 minutes as targets are added: past
# it, each target gets an equal share (at least 5 s).
set -uo pipefail
cd "$(dirname "$0")/.."

fuzztime=${1:-${FUZZTIME:-20s}}
shift || true
pkgs=("$@")
[ ${#pkgs[@]} -eq 0 ] && pkgs=(./...)

list=$(go test -list '^Fuzz' "${pkgs[@]}") || {
	echo "fuzz.sh: go test -list failed:" >&2
	echo "$list" >&2
	exit 1
}

# go test -list prints the matching names of a package, then "ok  <pkg> <time>".
targets=()
names=()
while IFS= read -r line; do
	case $line in
	Fuzz*) names+=("$line") ;;
	"ok "*)
		pkg=$(awk '{print $2}' <<<"$line")
		for n in "${names[@]}"; do targets+=("$pkg $n"); done
		names=()
		;;
	*) names=() ;;
	esac
done <<<"$list"

if [ ${#targets[@]} -eq 0 ]; then
	echo "fuzz.sh: no fuzz targets found" >&2
	exit 1
fi

budget=${FUZZ_BUDGET:-300}
if [[ $fuzztime =~ ^([0-9]+)s$ ]]; then
	per=${BASH_REMATCH[1]}
	if ((per * ${#targets[@]} > budget)); then
		per=$((budget / ${#targets[@]}))
		((per < 5)) && per=5
		fuzztime="${per}s"
		echo "fuzz.sh: FUZZ_BUDGET=${budget}s shared by ${#targets[@]} targets"
	fi
fi
echo "fuzz.sh: ${#targets[@]} targets, $fuzztime each"
failed=()
for t in "${targets[@]}"; do
	read -r pkg name <<<"$t"
	echo "== $name ($pkg)"
	# -run '^$' skips the package's other tests; the anchored pattern makes
	# FuzzParse not also match FuzzParseResponse (go test -fuzz wants one).
	out=$(go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$pkg" 2>&1)
	status=$?
	printf '%s\n' "$out"
	if [ $status -ne 0 ]; then
		# Go's fuzzer reports "context deadline exceeded" when -fuzztime ends
		# while it is still minimizing a new interesting input; no input
		# failed then, and none is written to testdata/fuzz. Anything else
		# (a crasher, a build error) fails the run.
		if grep -q 'context deadline exceeded' <<<"$out" && ! grep -q 'Failing input written' <<<"$out"; then
			echo "fuzz.sh: $name: time ran out while minimizing a new input (no failing input); not a failure"
		else
			failed+=("$t")
		fi
	fi
done

if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzz.sh: ${#failed[@]} target(s) failed; the inputs are in testdata/fuzz:" >&2
	printf '  %s\n' "${failed[@]}" >&2
	exit 1
fi
echo "fuzz.sh: all ${#targets[@]} targets ran $fuzztime without a failure"
