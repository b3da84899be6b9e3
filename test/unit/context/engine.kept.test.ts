// What planning a pack far over its budget makes of each file (its outline, imports and, with a question, term
// statistics) is kept between runs (tokenCache.ts) by label with the hash of the text: a later pack of the same tree
// plans with it instead of parsing every file again, and sends what it would have made itself.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { ContextEngine } from '../../../src/context/engine';
import { sha256 } from '../../../src/shared/hash';
import { TokenCache } from '../../../src/context/read/tokenCache';
import { termStats } from '../../../src/context/place/terms';
import { countTokens } from '../../../src/context/tokens';
import type { Pack } from '../../../src/context/types';
import { tempDir, writeTree } from '../../helpers/tmp';

const body = (name: string, lines: number) =>
  `export function ${name}(x: number): number {\n${'  x = x * 3 + 1; // keep going\n'.repeat(lines)}  return x;\n}\n` +
  `export class Store${name} {\n  get(key: string): number {\n    return 1;\n  }\n}\n`;
const FILES = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`src/m${i}.ts`, body(`m${i}`, 40 + i)]));
const BUDGET = 3000;

describe('what planning made of files, kept between runs', () => {
  let dir: string;
  let cache: string;
  const pack = async (question = 'what does m3 do?'): Promise<Pack> => {
    const e = new ContextEngine({
      roots: [{ name: 'proj', path: dir }],
      cacheDir: cache,
      workers: 2,
      workerThresholdBytes: 0,
      allowGit: false,
    });
    try {
      return await e.pack({ budgetTokens: BUDGET, ...(question ? { question } : {}) });
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

  it('keeps what it made of each file, and a later run plans with it and packs the same', async () => {
    const first = await pack();
    const names = outlined(first);
    assert.ok(names.length >= 10, `outlined: ${names.join()}`);
    const kept = TokenCache.inDir(cache, [dir]);
    for (const f of names) {
      const k = kept.take(f);
      assert.ok(k?.outline, `${f} kept`);
      assert.ok(sha256(FILES[f]!).startsWith(k.hash), `${f}: kept with the hash of its text`);
      assert.ok(first.text.includes(k.outline.block), `${f}: the kept block is the one sent`);
      assert.equal(k.outline.tokens, countTokens(k.outline.block));
      assert.deepEqual(k.terms, termStats(FILES[f]!, f), 'the term statistics of a pack with a question');
      assert.equal(kept.take(f), undefined, 'taken out of memory');
    }
    const second = await pack();
    assert.equal(second.text, first.text);
    assert.deepEqual(second.files, first.files);
  });

  it('adds term statistics to what a pack without a question kept, when a question comes', async () => {
    const bare = await pack('');
    const f = outlined(bare)[0]!;
    assert.equal(TokenCache.inDir(cache, [dir]).take(f)?.terms, undefined, 'no question: no term statistics');
    const asked = await pack();
    const k = TokenCache.inDir(cache, [dir]).take(f);
    assert.deepEqual(k?.terms, termStats(FILES[f]!, f));
    assert.equal((await pack()).text, asked.text);
  });

  it('plans with the kept outline rather than making it again (it is only made again for another text)', async () => {
    const first = await pack();
    const target = outlined(first).at(-1)!;
    const kept = TokenCache.inDir(cache, [dir]);
    const was = kept.take(target)!;
    const block = was.outline!.block.replace('</file>', '1: // kept\n</file>');
    kept.keep(target, { ...was, outline: { ...was.outline!, block, tokens: countTokens(block) } });
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
