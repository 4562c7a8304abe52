#!/usr/bin/env bash
# Time `pyquiz grade` end to end on a class of 10,000 CSV sheets of 50
# questions (issue 9: under 0.5 s; PRODUCT.md section 10: under 1 s): the
# real binary loads the pack, reads the CSV, scores every answer with
# play's rules, analyses the items and writes the whole report to stdout.
# Usage: scripts/bench-grade.sh [runs] [format]   (default 5 runs, json)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
format=${2:-json}
students=${STUDENTS:-10000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/pyquiz" ./cmd/pyquiz
export PYQUIZ_HOME="$tmp/state" XDG_DATA_HOME="$tmp/data" PYQUIZ_PACKS=""

# 50 questions, the five types in turn; each student right with a chance
# that grows with an ability drawn per student, 3% of answers blank.
awk -v students="$students" -v pack="$tmp/pack.yaml" -v csv="$tmp/class.csv" 'BEGIN {
  srand(1)
  print "format: 1\npack:\n  id: bench\n  title: Bench\n  version: 1.0.0\nquestions:" > pack
  split("b|\"a,c\"|true|True False|Yield", right, "|")
  split("c|\"a,b\"|false|True|return", wrong, "|")
  head = "student"
  for (j = 0; j < 50; j++) {
    printf "  - id: q%d\n    prompt: Question %d?\n", j, j > pack
    t = j % 5
    if (t == 0) print "    type: single\n    choices: [w, x, y, z]\n    answer: b" > pack
    if (t == 1) print "    type: multi\n    choices: [w, x, y, z, v]\n    answer: a,c" > pack
    if (t == 2) print "    type: truefalse\n    answer: true" > pack
    if (t == 3) print "    type: output\n    code: print(1)\n    answer: \"True\\nFalse\\n\"" > pack
    if (t == 4) print "    type: short\n    answer: [yield]\n    case_sensitive: false" > pack
    head = head ",q" j
  }
  print head > csv
  for (i = 0; i < students; i++) {
    line = sprintf("student-%05d", i); ability = rand()
    for (j = 0; j < 50; j++) {
      r = rand()
      line = line "," (r < 0.03 ? "" : (r < ability ? right[j % 5 + 1] : wrong[j % 5 + 1]))
    }
    print line > csv
  }
}'

"$tmp/pyquiz" grade --pack "$tmp/pack.yaml" "$tmp/class.csv" --format "$format" >"$tmp/out" 2>"$tmp/err" || {
  cat "$tmp/err" >&2; exit 1; }
echo "$(wc -c <"$tmp/class.csv") bytes of CSV, $(wc -c <"$tmp/out") bytes of $format report; $(cat "$tmp/err")"

walls=()
for _ in $(seq "$runs"); do
  start=$(date +%s%N)
  "$tmp/pyquiz" grade --pack "$tmp/pack.yaml" "$tmp/class.csv" --format "$format" >/dev/null 2>&1
  end=$(date +%s%N)
  walls+=($(( (end - start) / 1000000 )))
done
sorted=$(printf '%s\n' "${walls[@]}" | sort -n)
median=$(sed -n "$(( (runs + 1) / 2 ))p" <<<"$sorted")
best=$(head -1 <<<"$sorted")
cpu=""
if [ -x /usr/bin/time ]; then
  cpu=$(/usr/bin/time -f "%U user + %S sys s CPU, %M KB peak RSS" "$tmp/pyquiz" grade --pack "$tmp/pack.yaml" "$tmp/class.csv" --format "$format" 2>&1 >/dev/null | tail -1)
  cpu="; one run: $cpu"
fi
echo "grade $students CSV sheets x 50 questions, --format $format, $runs runs: median ${median} ms, best ${best} ms (target < 500 ms)$cpu"
