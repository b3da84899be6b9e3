// The ContextSource over the context engine: a pack, then changed, added and removed files with hashes
// that chain.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { contextSourceOf } from '../../../src/chat/contextSource';
import { ContextEngine } from '../../../src/context/engine';
import { fileBlock, renderUpdate } from '../../../src/context/place/render';

describe('chat context source over the context engine', () => {
  it('packs, then reports changed/added/removed files with hashes that chain', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dsr-src-'));
    try {
      fs.mkdirSync(path.join(dir, 'src'));
      fs.writeFileSync(path.join(dir, 'src', 'a.ts'), 'export const a = 1;\n');
      fs.writeFileSync(path.join(dir, 'src', 'b.ts'), 'export const b = 2;\n');
      const roots = [{ name: 'app', path: dir }];
      const engine = new ContextEngine({ roots, workers: 0 });
      const source = contextSourceOf(engine, roots);
      const req = { budgetTokens: 100_000 };
      const pack = await source.pack(req);
      assert.deepEqual(await source.updatesSince(pack.manifest, req), {
        text: '',
        tokens: 0,
        changed: [],
        added: [],
        removed: [],
        redactions: [],
        files: {},
      });
      fs.writeFileSync(path.join(dir, 'src', 'a.ts'), 'export const a = 10;\r\n');
      fs.writeFileSync(path.join(dir, 'src', 'c.ts'), 'export const c = 3;\n');
      fs.rmSync(path.join(dir, 'src', 'b.ts'));
      const d = await source.updatesSince(pack.manifest, req);
      assert.deepEqual([d.changed, d.added, d.removed], [['src/a.ts'], ['src/c.ts'], ['src/b.ts']]);
      assert.equal(
        d.text,
        renderUpdate(
          [fileBlock('src/a.ts', 'export const a = 10;\n'), fileBlock('src/c.ts', 'export const c = 3;\n')],
          ['src/b.ts'],
        ),
      );
      assert.deepEqual(Object.keys(d.files ?? {}).sort(), ['src/a.ts', 'src/c.ts']);
      const seen = { ...pack.manifest, files: { ...pack.manifest.files, ...d.files } };
      delete seen.files['src/b.ts'];
      assert.equal((await source.updatesSince(seen, req)).text, '', 'nothing new after applying the delta');
      engine.dispose();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
