#!/usr/bin/env bash
# check-content.sh: prove the shape of the built-in question packs (issue 12)
# from `pyquiz list questions --json`: enough questions, not too many of the
# "what does this print" kind, enough multi and short ones, a difficulty
# spread, a hint on every medium and hard question, feedback on every wrong
# choice and on a likely wrong output for every Python version an output
# question is asked about (including the answer of the other versions, which
# is what a learner drilling one version types), and a small tag vocabulary in which every tag
# names at least two questions and is documented in the README.
#
# Usage: scripts/check-content.sh            (builds pyquiz with go run)
#        PYQUIZ=/path/to/pyquiz scripts/check-content.sh
# Prints the counts by type, difficulty and tag; exits 1 when a rule fails.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v jq >/dev/null || { echo "check-content: needs jq (apt-get install jq)" >&2; exit 2; }

# Only the built-in packs: an empty user pack folder and no PYQUIZ_PACKS.
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
export XDG_DATA_HOME="$empty" PYQUIZ_PACKS=""
if [[ -n "${PYQUIZ:-}" ]]; then
  "$PYQUIZ" list questions --json >"$empty/q.json"
else
  go run ./cmd/pyquiz list questions --json >"$empty/q.json"
fi

MIN_QUESTIONS=${MIN_QUESTIONS:-200}

# Tags documented in the README: the backticked words between the two
# tag-vocabulary markers, leaving out what the parentheses say about them.
readme_tags=$(sed -n '/<!-- tag vocabulary -->/,/<!-- end tag vocabulary -->/p' README.md | tr '\n' ' ' |
  sed 's/([^()]*)//g' | { grep -o '`[a-z0-9-]*`' || true; } | tr -d '`' | sort -u | jq -R . | jq -s .)

jq -r --argjson min "$MIN_QUESTIONS" --argjson readme "$readme_tags" '
  def norm: [splits("\\s+") | select(length > 0)] | join(" ");
  def outcome_answer:
    if (.raises // "") != "" then ((.stdout // "") + "\nError")
    elif ((.stdout // "") | norm) == "" then "Nothing"
    else .stdout end | norm;
  def letters: [range(0; length) | [.] | implode] ;
  .questions as $q
  | ($q | length) as $n
  | ([$q[] | select(.type == "output")] | length) as $out
  | ([$q[] | .tags[]] | group_by(.) | map({tag: .[0], n: length})) as $tags
  | [
      (if $n < $min then "only \($n) questions; want at least \($min)" else empty end),
      (if $out * 100 > $n * 60 then "\($out) of \($n) questions are output questions; want at most 60%" else empty end),
      (([$q[] | select(.type == "multi")] | length) as $m | if $m < 15 then "only \($m) multi questions; want at least 15" else empty end),
      (([$q[] | select(.type == "short")] | length) as $s | if $s < 10 then "only \($s) short questions; want at least 10" else empty end),
      (["easy", "medium", "hard"][] as $d | ([$q[] | select(.difficulty == $d)] | length) as $k
        | if $k * 100 < $n * 15 then "only \($k) \($d) questions; want at least 15% of them" else empty end),
      ($q[] | select(.difficulty != "easy" and ((.hints // []) | length) == 0) | "\(.id): a \(.difficulty) question without a hint"),
      ($q[] | select(((.explanation // "") | length) < 40) | "\(.id): no explanation that says why"),
      ($q[] | select((.tags | length) == 0) | "\(.id): no tags"),
      ($q[] | select(.type == "single" or .type == "multi")
        | . as $x | ($x.answer | split(",")) as $right
        | [range(0; $x.choices | length) | [97 + .] | implode] - $right
        | map(. as $l | select(($x.feedback // {}) | has($l) | not))
        | select(length > 0) | "\($x.id): no feedback for wrong choice(s) \(join(","))"),
      ($q[] | select(.type == "truefalse") | . as $x | (if $x.answer then "false" else "true" end) as $w
        | select(($x.feedback // {}) | has($w) | not) | "\($x.id): no feedback for the wrong answer \($w)"),
      ($q[] | select(.type == "short" and ((.feedback // {}) | length) == 0) | "\(.id): no feedback for a likely wrong answer"),
      ($q[] | select(.type == "output") | . as $x
        | ([($x.feedback // {}) | keys[] | norm]) as $keys
        | (if ($x.answer // null) != null then [{python: "", a: ($x.answer | norm)}]
           else [$x.expect[] | {python: (.python // ""), a: outcome_answer}] end)[]
        | . as $o
        | select(([$keys[] | select(. != $o.a)] | length) == 0)
        | "\($x.id): no feedback for a likely wrong output\(if $o.python != "" then " on Python \($o.python)" else "" end)"),
      ($q[] | select(.type == "output" and (.answer // null) == null and (.expect | length) > 1) | . as $x
        | ([($x.feedback // {}) | keys[] | norm]) as $keys
        | [$x.expect[] | outcome_answer] | unique | select(length > 1)[]
        | select(. as $a | $keys | index($a) | not)
        | "\($x.id): the answer of one version (\(.)) is the likely wrong answer on the others; give it feedback"),
      (if ($tags | length) > 60 then "\($tags | length) tags; want at most 60" else empty end),
      ($tags[] | select(.n < 2) | "tag \(.tag) is on only \(.n) question; want at least 2"),
      ($tags[] | select(.tag as $t | $readme | index($t) | not) | "tag \(.tag) is not documented in the README tag vocabulary"),
      ($readme[] | select(. as $t | $tags | map(.tag) | index($t) | not) | "README documents tag \(.) that no question uses")
    ] as $fail
  | "questions: \($n)",
    "by type: " + ([$q[] | .type] | group_by(.) | map("\(.[0]) \(length)") | join(", ")) + " (output \($out * 100 / $n | floor)%)",
    "by difficulty: " + ([$q[] | .difficulty] | group_by(.) | map("\(.[0]) \(length)") | join(", ")),
    "by pack: " + ([$q[] | .pack] | group_by(.) | map("\(.[0]) \(length)") | join(", ")),
    "tags (\($tags | length)): " + ($tags | sort_by(-.n, .tag) | map("\(.tag) \(.n)") | join(", ")),
    (if ($fail | length) == 0 then "ok: the built-in packs have the shape issue 12 asks for"
     else ($fail[] | "FAIL " + .), "\($fail | length) problem(s)" end)
' "$empty/q.json" | tee "$empty/out.txt"
! grep -q '^FAIL ' "$empty/out.txt"
