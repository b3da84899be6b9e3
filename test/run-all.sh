#!/usr/bin/env bash
# `npm test`: every check in order, then one closing `N passed, N failed` line summed over all test
# suites. Type-check and build stop the run when they fail (nothing after them would mean anything);
# the test steps all run, so one failing suite does not hide the others.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1

GATES=("npm run --silent typecheck" "npm run --silent build")
SUITES=("npm run --silent test:unit" "npm run --silent test:webview" "npm run --silent test:e2e")

for gate in "${GATES[@]}"; do
  echo "> $gate"
  $gate || { echo "$gate failed"; echo "0 passed, 1 failed"; exit 1; }
done

passed=0 failed=0 broken=()
exec 3>&1
for suite in "${SUITES[@]}"; do
  echo "> $suite"
  # Shown as it runs (through fd 3, which shares stdout's file offset: `tee /dev/fd/3` would reopen a
  # redirected log at offset 0 and overwrite it) and captured for the counts.
  out=$($suite 2>&1 | while IFS= read -r line || [[ -n $line ]]; do printf '%s\n' "$line" >&3; printf '%s\n' "$line"; done; exit "${PIPESTATUS[0]}")
  rc=$?
  # Counts: our suites end with `N passed, N failed`; mocha's spec reporter says `N passing` / `N failing`
  # (a pending test proved nothing: it counts as failed).
  read -r p f < <(awk '
    /^[0-9]+ passed, [0-9]+ failed$/ { ours = 1; p = $1; f = $3 }
    !ours && /^ *[0-9]+ passing/ { p = $1 }
    !ours && /^ *[0-9]+ (failing|pending)/ { m[$2] = $1 }
    END { if (!ours) f = m["failing"] + m["pending"]; print p + 0, f + 0 }' <<< "$out")
  if [[ $rc != 0 && $f == 0 ]]; then f=1; fi   # it failed without saying how many: count one
  passed=$((passed + p)) failed=$((failed + f))
  [[ $rc == 0 ]] || broken+=("$suite")
done

[[ ${#broken[@]} == 0 ]] || echo "failed: ${broken[*]}"
echo "$passed passed, $failed failed"
[[ $failed == 0 && ${#broken[@]} == 0 ]]
