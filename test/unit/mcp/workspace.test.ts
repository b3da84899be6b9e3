// McpWorkspace: a call that repeats the last one while nothing changed gets the same pack without
// packing again (the very object); a changed file, other arguments or settings, or a conversation's
// update in between make it pack again, and what it returns is what a fresh engine packs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContextEngine } from '../../../src/context/engine';
import type { PackRequest } from '../../../src/context/types';
import { McpWorkspace } from '../../../src/mcp/workspace';
import { tempDir, writeTree } from '../../helpers/tmp';

const PAST = new Date('2020-01-01T00:00:00Z');
const REQUEST: PackRequest = { budgetTokens: 1_000_000 };
const SETTINGS = { include: [], exclude: [] };

describe('McpWorkspace', () => {
  let dir: string;
  let ws: McpWorkspace;
  const roots = () => [{ name: 'repo', path: dir }];
  /** What a fresh engine packs now, for comparison. */
  const fresh = async (request = REQUEST): Promise<string> => {
    const engine = new ContextEngine({ roots: roots(), cacheDir: undefined, workers: 0 });
    try {
      return (await engine.pack(request)).text;
    } finally {
      engine.dispose();
    }
  };
  const age = (...rels: string[]) => rels.forEach((r) => fs.utimesSync(path.join(dir, r), PAST, PAST));

  beforeEach(() => {
    dir = tempDir('dsr-mcp-ws-');
    writeTree(dir, { 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 2;\n' });
    age('src/a.ts', 'src/b.ts', 'src', '.');
    ws = new McpWorkspace(roots(), { cacheDir: undefined });
  });
  afterEach(() => {
    ws.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers a repeated call with the same pack while nothing changed', async () => {
    const first = await ws.pack(REQUEST, SETTINGS);
    const second = await ws.pack({ ...REQUEST }, { include: [], exclude: [] });
    assert.equal(second, first, 'the same Pack object: not packed again');
    assert.equal(second.text, await fresh());
  });

  it('packs again after a file changes, and the new pack has the change', async () => {
    const first = await ws.pack(REQUEST, SETTINGS);
    fs.writeFileSync(path.join(dir, 'src/a.ts'), 'export const a = 42;\n');
    const second = await ws.pack(REQUEST, SETTINGS);
    assert.notEqual(second, first);
    assert.match(second.text, /a = 42/);
    assert.equal(second.text, await fresh());
  });

  it('packs again for other arguments or settings, and for the last ones after them', async () => {
    const first = await ws.pack(REQUEST, SETTINGS);
    const other = await ws.pack({ budgetTokens: 50 }, SETTINGS);
    assert.notEqual(other, first);
    assert.equal(other.text, await fresh({ budgetTokens: 50 }));
    const excluded = await ws.pack(REQUEST, { include: [], exclude: ['src/b.ts'] });
    assert.doesNotMatch(excluded.text, /const b/);
    const again = await ws.pack(REQUEST, SETTINGS);
    assert.notEqual(again, first);
    assert.equal(again.text, first.text);
  });

  it("packs again after a conversation's update walked the workspace", async () => {
    const first = await ws.pack(REQUEST, SETTINGS);
    const source = ws.source();
    fs.writeFileSync(path.join(dir, 'src/b.ts'), 'export const b = 3;\n');
    await source.updatesSince(first.manifest, REQUEST);
    const second = await ws.pack(REQUEST, SETTINGS);
    assert.notEqual(second, first);
    assert.match(second.text, /b = 3/);
  });
});
