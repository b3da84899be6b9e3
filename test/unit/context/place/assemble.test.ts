// The pack's text is made of parts (header, one block per placed file, footer) that the CLI writes one by one:
// joined, they are the text, byte for byte.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { ContextEngine } from '../../../../src/context/engine';
import { packParts } from '../../../../src/context/place/assemble';
import { PACK_FOOTER } from '../../../../src/context/place/render';
import { tempDir, writeTree } from '../../../helpers/tmp';

describe('assemble: the parts of the pack text', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('dsr-parts-');
    writeTree(dir, {
      'a.ts': 'export const a = 1;\n',
      'b/c.ts': 'export function c(): string {\n  return "é ✓ 加法";\n}\n', // beyond Latin-1
      'd.md': '# d\n',
    });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('are the header, each placed file block in order and the footer; joined, the text', async () => {
    const engine = new ContextEngine({ roots: [{ name: 'p', path: dir }], workers: 0, allowGit: false });
    try {
      const pack = await engine.pack({ budgetTokens: 100_000 });
      const parts = packParts(pack);
      assert.equal(parts.length, 2 + pack.files.filter((f) => f.status !== 'excluded').length);
      assert.match(parts[0]!, /^<repository>\n/);
      assert.ok(parts.slice(1, -1).every((p) => p.startsWith('<file path="')));
      assert.equal(parts.at(-1), PACK_FOOTER);
      assert.equal(parts.join(''), pack.text);
      assert.ok(pack.text.includes('return "é ✓ 加法";'));
    } finally {
      engine.dispose();
    }
  });

  it('of a pack made elsewhere are its text', () => {
    const pack = { text: '<repository>\n</repository>\n' } as Parameters<typeof packParts>[0];
    assert.deepEqual(packParts(pack), [pack.text]);
  });
});
