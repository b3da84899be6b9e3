#!/usr/bin/env bash
# Builds the .vsix and installs it into VS Code (whichever of code / code-insiders / codium /
# code-server is on PATH), then says how to run the CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent package
vsix=$PWD/deepseek-repo.vsix
installed=""
for cli in ${VSCODE_CLI:-} code code-insiders codium code-server; do
  if [[ -n $cli ]] && command -v "$cli" >/dev/null 2>&1; then
    "$cli" --install-extension "$vsix" --force && installed=$cli && break
  fi
done
if [[ -z $installed ]]; then
  echo "Built $vsix, but no VS Code command line (code, code-insiders, codium, code-server) is on PATH."
  echo "Install it from VS Code: Extensions view > ... > Install from VSIX…"
else
  echo "Installed into $installed. Reload VS Code, then run \"DeepSeek: Ask About Repository\"."
fi
echo "CLI: node dist/cli.js pack . --json   |   DEEPSEEK_API_KEY=sk-... node dist/cli.js ask \"How does X work?\""
echo "     (npm link puts it on PATH as deepseek-repo)"
