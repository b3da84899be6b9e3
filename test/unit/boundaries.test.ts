// The core folders must never import `vscode` (they run in the CLI and in plain-Node tests), and the
// webview must not import Node or host code. This test reads the sources and fails on a violation.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from '../helpers/paths';

const CORE = ['context', 'llm', 'chat', 'protocol', 'shared'];
const SRC = path.join(REPO, 'src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : /\.(ts|tsx|js|mjs|cjs)$/.test(e.name) ? [p] : [];
  });
}

/** Module specifiers imported or required by a source file. */
export function importsOf(source: string): string[] {
  const specs: string[] = [];
  const re =
    /(?:^|[^\w$.])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[^\w$.])import\s*['"]([^'"]+)['"]|(?:require|import)\s*\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const m of source.matchAll(re)) specs.push((m[1] ?? m[2] ?? m[3])!);
  return specs;
}

describe('module boundaries', () => {
  it('finds imports in every syntax the checks rely on', () => {
    const src =
      `import * as vscode from 'vscode';\nimport type { X } from "vscode";\nimport 'vscode';\nconst v = ` +
      `require('vscode');\nconst w = await import("vscode");\nexport { y } from 'vscode';`;
    assert.deepEqual(importsOf(src), ['vscode', 'vscode', 'vscode', 'vscode', 'vscode', 'vscode']);
  });

  for (const folder of CORE) {
    it(`src/${folder} does not import vscode or host/browser code`, () => {
      const dir = path.join(SRC, folder);
      if (!fs.existsSync(dir)) return;
      for (const file of sources(dir)) {
        for (const spec of importsOf(fs.readFileSync(file, 'utf8'))) {
          assert.notEqual(spec, 'vscode', `${path.relative(SRC, file)} imports vscode`);
          assert.ok(
            !/(^|\/)(ui|webview|cli|mcp)(\/|$)|\/(extension|commands|config|cli)$/.test(spec),
            `${path.relative(SRC, file)} imports ${spec}`,
          );
        }
      }
    });
  }

  for (const folder of ['cli', 'mcp'])
    it(`src/${folder} (a front end outside VS Code) imports no vscode, src/ui or src/webview`, () => {
      for (const file of sources(path.join(SRC, folder)))
        for (const spec of importsOf(fs.readFileSync(file, 'utf8')))
          assert.ok(
            spec !== 'vscode' && !/(^|\/)(ui|webview)(\/|$)|\/(extension|commands|config)$/.test(spec),
            `${path.relative(SRC, file)} imports ${spec}`,
          );
    });

  it('src/webview imports only itself, src/protocol and browser libraries', () => {
    for (const file of sources(path.join(SRC, 'webview'))) {
      for (const spec of importsOf(fs.readFileSync(file, 'utf8'))) {
        assert.ok(!spec.startsWith('node:') && spec !== 'vscode', `${path.relative(SRC, file)} imports ${spec}`);
        if (spec.startsWith('.')) {
          const target = path.resolve(path.dirname(file), spec);
          assert.ok(
            target.startsWith(path.join(SRC, 'webview')) || target.startsWith(path.join(SRC, 'protocol')),
            `${path.relative(SRC, file)} imports ${spec}`,
          );
        }
      }
    }
  });
});
