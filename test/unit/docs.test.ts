// The folder READMEs and ARCHITECTURE.md are where a newcomer starts: every file they name exists, and
// every source file of a folder is named in that folder's README. This test fails when a file is added,
// moved or removed without its README saying so.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from '../helpers/paths';

/** Files named in backticks in a markdown text: `name.ts`, `src/a/b.ts`, `test/x/`; line suffixes dropped. */
export function namedFiles(markdown: string): string[] {
  const out: string[] = [];
  for (const m of markdown.matchAll(/`([^`\s]+)`/g)) {
    const name = m[1]!.replace(/:\d+.*$/, '');
    if (/^[\w./-]+\.(ts|mjs|json|md|sh)$/.test(name) || /^(src|test)\/[\w./-]*\/$/.test(name)) out.push(name);
  }
  return out;
}

/** Every file under `dir` whose base name is `base`. */
function findByName(dir: string, base: string): boolean {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === base) return true;
    if (e.isDirectory() && findByName(path.join(dir, e.name), base)) return true;
  }
  return false;
}

/** Does `name` exist: a path from the repository root, else a file name anywhere under `docDir`. */
function exists(name: string, docDir: string): boolean {
  if (name.includes('/')) return fs.existsSync(path.join(REPO, name)) || fs.existsSync(path.join(docDir, name));
  return findByName(docDir, name);
}

const readmes = (function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : e.name === 'README.md' ? [p] : [];
  });
})(path.join(REPO, 'src'));

describe('docs match the tree', () => {
  it('finds file names the way the documents write them', () => {
    const md = 'See `session.ts` / `src/chat/turnRun.ts:12`, `test/unit/`, `npm test` and `a.b`.';
    assert.deepEqual(namedFiles(md), ['session.ts', 'src/chat/turnRun.ts', 'test/unit/']);
  });

  for (const doc of [...readmes, path.join(REPO, 'ARCHITECTURE.md')]) {
    const rel = path.relative(REPO, doc);
    it(`every file ${rel} names exists`, () => {
      const text = fs.readFileSync(doc, 'utf8');
      const missing = namedFiles(text).filter((n) => !exists(n, path.dirname(doc)) && !exists(n, REPO));
      assert.deepEqual(missing, [], `${rel} names files that do not exist`);
    });
  }

  for (const readme of readmes) {
    const dir = path.dirname(readme);
    const rel = path.relative(REPO, readme);
    it(`${rel} names every source file of its folder`, () => {
      const text = fs.readFileSync(readme, 'utf8');
      const sources = fs.readdirSync(dir).filter((f) => /\.(ts|mjs)$/.test(f) || f === 'prices.json');
      const unnamed = sources.filter((f) => !text.includes(f) && !text.includes(`\`${f.replace(/\.\w+$/, '')}\``));
      assert.deepEqual(unnamed, [], `${rel} does not name these files`);
    });
  }
});
