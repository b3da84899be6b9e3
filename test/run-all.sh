#!/usr/bin/env bash
# `npm test`: every check in order, then one closing `N passed, N failed` line summed over all test
# suites. The gates (type-check, format, lint, build) stop the run when one fails: type or build errors make
# every later step meaningless, and a tree that fails format or lint is not ready to test. So do the Debian
# packages the suites need (git for the unit tests, Chromium for the browser and end-to-end tests: installed
# with apt before the first suite when this runs as root, else named in one line). The test steps all run,
# so one failing suite does not hide the others.
# A test that cannot run on this machine prints `not run here: <test>: <reason>` (test/helpers/notRunHere.ts):
# it is counted apart, listed again at the end, and the closing line says `, N not run here`. Any other
# skipped (pending) test proved nothing and counts as failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1

GATES=("npm run --silent typecheck" "npm run --silent format:check" "npm run --silent lint" "npm run --silent build")
SUITES=("npm run --silent test:unit" "npm run --silent test:webview" "npm run --silent test:e2e")

for gate in "${GATES[@]}"; do
  echo "> $gate"
  $gate || { echo "$gate failed"; echo "0 passed, 1 failed"; exit 1; }
done
echo "> bash test/e2e/setup.sh --system"
chromium=$(bash test/e2e/setup.sh --system) || { echo "0 passed, 1 failed"; exit 1; }
export "${chromium?}"   # E2E_CHROMIUM=…, for the browser tests and the end-to-end runner

passed=0 failed=0 not_run=0 broken=() not_run_lines=()
exec 3>&1
for suite in "${SUITES[@]}"; do
  echo "> $suite"
  # Shown as it runs (through fd 3, which shares stdout's file offset: `tee /dev/fd/3` would reopen a
  # redirected log at offset 0 and overwrite it) and captured for the counts.
  out=$($suite 2>&1 | while IFS= read -r line || [[ -n $line ]]; do
    printf '%s\n' "$line" >&3
    printf '%s\n' "$line"
  done; exit "${PIPESTATUS[0]}")
  rc=$?
  # Counts: our suites end with `N passed, N failed[, N not run here]`; mocha's spec reporter says
  # `N passing` / `N failing` / `N pending`, and a pending test without its `not run here:` line is a failure.
  read -r p f n < <(awk '
    /^ *not run here: / { said++ }
    /^[0-9]+ passed, [0-9]+ failed(, [0-9]+ not run here)?$/ { ours = 1; p = $1; f = $3; n = $5 }
    !ours && /^ *[0-9]+ passing/ { p = $1 }
    !ours && /^ *[0-9]+ (failing|pending)/ { m[$2] = $1 }
    END {
      if (!ours) { n = said < m["pending"] ? said : m["pending"]; f = m["failing"] + m["pending"] - n }
      print p + 0, f + 0, n + 0
    }' <<< "$out")
  if [[ $rc != 0 && $f == 0 ]]; then f=1; fi   # it failed without saying how many: count one
  passed=$((passed + p)) failed=$((failed + f)) not_run=$((not_run + n))
  while IFS= read -r line; do
    [[ -n $line ]] && not_run_lines+=("$line")
  done < <(grep -E '^ *not run here: ' <<< "$out" | sed 's/^ *//')
  [[ $rc == 0 ]] || broken+=("$suite")
done

[[ ${#broken[@]} == 0 ]] || echo "failed: ${broken[*]}"
for line in "${not_run_lines[@]}"; do echo "$line"; done
if ((not_run)); then
  echo "$passed passed, $failed failed, $not_run not run here"
else
  echo "$passed passed, $failed failed"
fi
[[ $failed == 0 && ${#broken[@]} == 0 ]]
