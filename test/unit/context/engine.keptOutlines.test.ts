// Outlines made for planning a pack far over its budget are kept between runs (tokenCache.ts), by the file's content
// hash and label: a later pack of the same tree plans with them instead of parsing every file again, and sends what
// it would have made itself.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { ContextEngine } from '../../../src/context/engine';
import { sha256 } from '../../../src/context/read/processFile';
import { TokenCache } from '../../../src/context/read/tokenCache';
import { countTokens } from '../../../src/context/tokens';
import type { Pack } from '../../../src/context/types';
import { tempDir, writeTree } from '../../helpers/tmp';

const body = (name: string, lines: number) =>
  `export function ${name}(x: number): number {\n${'  x = x * 3 + 1; // keep going\n'.repeat(lines)}  return x;\n}\n` +
  `export class Store${name} {\n  get(key: string): number {\n    return 1;\n  }\n}\n`;
const FILES = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`src/m${i}.ts`, body(`m${i}`, 40 + i)]));
const BUDGET = 3000;

describe('outlines kept between runs', () => {
  let dir: string;
  let cache: string;
  const pack = async (): Promise<Pack> => {
    const e = new ContextEngine({
      roots: [{ name: 'proj', path: dir }],
      cacheDir: cache,
      workers: 2,
      workerThresholdBytes: 0,
      allowGit: false,
    });
    try {
      return await e.pack({ budgetTokens: BUDGET, question: 'what does m3 do?' });
    } finally {
      e.dispose(); // saves the cache
    }
  };
  const outlined = (p: Pack) => p.files.filter((f) => f.status === 'outline').map((f) => f.path);
  beforeEach(() => {
    dir = tempDir('dsr-kept-');
    cache = tempDir('dsr-kept-cache-');
    writeTree(dir, FILES);
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(cache, { recursive: true, force: true });
  });

  it('keeps each outline made, and a later run plans with it and packs the same', async () => {
    const first = await pack();
    const names = outlined(first);
    assert.ok(names.length >= 10, `outlined: ${names.join()}`);
    const kept = TokenCache.inDir(cache, [dir]);
    for (const f of names) {
      const o = kept.takeOutline(f);
      assert.ok(o, `${f} kept`);
      assert.ok(sha256(FILES[f]!).startsWith(o.hash), `${f}: kept with the hash of its text`);
      assert.ok(first.text.includes(o.block), `${f}: the kept block is the one sent`);
      assert.equal(o.tokens, countTokens(o.block));
      assert.equal(kept.takeOutline(f), undefined, 'taken out of memory');
    }
    const second = await pack();
    assert.equal(second.text, first.text);
    assert.deepEqual(second.files, first.files);
  });

  it('plans with the kept outline rather than making it again (it is only made again for another text)', async () => {
    const first = await pack();
    const target = outlined(first).at(-1)!;
    const kept = TokenCache.inDir(cache, [dir]);
    const was = kept.takeOutline(target)!;
    const block = was.block.replace('</file>', '1: // kept\n</file>');
    kept.keepOutline(sha256(FILES[target]!), target, { block, tokens: countTokens(block), shown: was.shown });
    kept.save();
    const second = await pack();
    assert.ok(second.text.includes(block), 'the kept outline is the one planned and sent');
    assert.equal(second.tokens, countTokens(second.text));
    fs.appendFileSync(`${dir}/${target}`, '\n');
    const third = await pack();
    assert.ok(!third.text.includes('1: // kept'), 'an edited file is outlined again');
    assert.ok(third.files.some((f) => f.path === target && f.status === 'outline'));
  });
});
