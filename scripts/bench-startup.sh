#!/usr/bin/env bash
# Time from process start to the first question on screen, with the
# built-in packs (PRODUCT.md section 10: under 50 ms from a cold start).
# Each run starts the real binary with stdin held open, as a person at a
# terminal, and stops the clock when the "Question 1/" line arrives on stdout.
# Usage: scripts/bench-startup.sh [runs]   (default 50)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-50}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/pyquiz" ./cmd/pyquiz
export PYQUIZ_HOME="$tmp/state" XDG_DATA_HOME="$tmp/data" PYQUIZ_PACKS=""

if command -v python3 >/dev/null; then
  python3 - "$tmp/pyquiz" "$runs" <<'PY'
import os, subprocess, sys, time, statistics
exe, runs = sys.argv[1], int(sys.argv[2])
times, cpu = [], []
for i in range(runs):
    t0 = time.perf_counter()
    p = subprocess.Popen([exe, "play", "--seed", str(i)], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    for line in p.stdout:
        if line.startswith(b"Question 1/"):
            times.append((time.perf_counter() - t0) * 1000)
            break
    p.kill()
    # CPU time (user+sys) of the whole run, up to the kill just after the
    # first question: on a loaded machine the wall time waits for the CPU,
    # this does not.
    _, _, ru = os.wait4(p.pid, 0)
    p.returncode = -9
    cpu.append((ru.ru_utime + ru.ru_stime) * 1000)
times.sort()
cpu.sort()
print(f"start to first question, built-in packs, {runs} runs: "
      f"median {statistics.median(times):.1f} ms, p90 {times[int(len(times)*0.9)-1]:.1f} ms, "
      f"max {times[-1]:.1f} ms (target < 50 ms); "
      f"CPU (user+sys) median {statistics.median(cpu):.1f} ms, max {cpu[-1]:.1f} ms; "
      f"load average {os.getloadavg()[0]:.1f}")
PY
else
  # Without python3: the whole run with stdin at end of file (an upper bound).
  start=$(date +%s%N)
  for i in $(seq "$runs"); do "$tmp/pyquiz" play --seed "$i" </dev/null >/dev/null; done
  end=$(date +%s%N)
  echo "whole play run to end of input, built-in packs: $(( (end - start) / runs / 1000 )) us per run (target < 50 ms)"
fi
