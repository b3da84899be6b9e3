// The token cache is named after the counter, so counts from another counter are never reused; its clean scans
// after the secret scanner. Both persist between runs.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { SCANNER_ID } from '../../../../src/context/secrets';
import { COUNTER_ID, counterFingerprint, TokenCache } from '../../../../src/context/read/tokenCache';
import type { Kept } from '../../../../src/context/read/tokenCache';
import { termStats } from '../../../../src/context/place/terms';
import { tempDir } from '../../../helpers/tmp';

/** Runs `test` with a new temporary folder, removed after. */
function inDir(test: (dir: string) => void): void {
  const dir = tempDir('dsr-token-cache-');
  try {
    test(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('token cache', () => {
  it('is named after the counter as it counts now (update COUNTER_ID when the counts change)', () => {
    assert.equal(
      COUNTER_ID,
      counterFingerprint(),
      'the token counter counts differently: set COUNTER_ID to the new fingerprint so old cached counts are not reused',
    );
  });

  it('keeps counts and clean scans between runs, each in a file named after its counter or scanner', () =>
    inDir((dir) => {
      const a = TokenCache.inDir(dir);
      const [h1, h2, h3] = ['1', '2', '3'].map((c) => c.repeat(64));
      a.set(h1!, 12);
      a.markClean(h2!);
      assert.ok(a.dirty);
      a.save();
      assert.ok(!a.dirty);
      assert.deepEqual(fs.readdirSync(dir).sort(), [`clean-${SCANNER_ID}.bin`, `tokens-${COUNTER_ID}.bin`]);
      const b = TokenCache.inDir(dir);
      assert.deepEqual(
        [b.tokens(h1!), b.tokens(h2!), b.clean(h1!), b.clean(h2!), b.clean(h3!)],
        [12, undefined, false, true, false],
      );
      b.markClean(h3!);
      a.markClean(h1!);
      b.save();
      a.save(); // merges what b wrote meanwhile
      const c = TokenCache.inDir(dir);
      assert.equal(c.take('src/a.ts'), undefined);
      assert.deepEqual(
        [h1, h2, h3].map((h) => c.clean(h!)),
        [true, true, true],
      );
      assert.equal(c.tokens(h1!), 12);
    }));

  it('keeps counts in memory when its folder cannot be written: saving never fails a pack', () =>
    inDir((dir) => {
      fs.writeFileSync(`${dir}/file`, 'not a folder');
      const cache = TokenCache.inDir(`${dir}/file/cache`); // ENOTDIR even for root
      const h = '4'.repeat(64);
      cache.set(h, 7);
      cache.markClean(h);
      assert.doesNotThrow(() => cache.save());
      assert.deepEqual([cache.tokens(h), cache.clean(h)], [7, true]);
      assert.deepEqual(fs.readdirSync(dir), ['file']);
    }));

  it('keeps what planning made of a file by label, for the set of roots it was opened for', () =>
    inDir((dir) => {
      const a = TokenCache.inDir(dir, ['/r/one']);
      const full: Kept = {
        hash: 'ab'.repeat(32),
        outline: { block: '<file path="src/é.ts">\n1: x\n</file>\n', tokens: 9, shown: Int32Array.from([1, 4, 9]) },
        imports: ['./b', 'node:fs'],
        terms: termStats('export function greet(name: string) { return name; }\n', 'src/é.ts'),
      };
      assert.ok(full.terms?.symbols && full.terms.defs.length && full.terms.keys.length, 'every part of the stats');
      a.keep('src/é.ts', full);
      a.keep('src/b.ts', { hash: 'cd'.repeat(32), outline: null, imports: [] });
      assert.equal(a.take('src/b.ts')?.hash, 'cd'.repeat(16), 'taken before it was saved…');
      a.save(); // …and saved all the same
      const b = TokenCache.inDir(dir, ['/r/one']);
      assert.deepEqual(b.take('src/é.ts'), { ...full, hash: 'ab'.repeat(16) });
      assert.equal(b.take('src/é.ts'), undefined, 'taken once');
      b.keep('src/c.ts', { hash: 'ef'.repeat(32), outline: null, imports: ['x'] });
      b.save(); // merged with the file: what was taken stays there
      const c = TokenCache.inDir(dir, ['/r/one']);
      assert.deepEqual(
        ['src/é.ts', 'src/b.ts', 'src/c.ts'].map((l) => c.take(l)?.hash),
        ['ab'.repeat(16), 'cd'.repeat(16), 'ef'.repeat(16)],
      );
      assert.equal(TokenCache.inDir(dir, ['/r/two']).take('src/b.ts'), undefined, 'another set of roots');
      // A record cut short (a file another process is writing would never be: it is renamed whole) ends the reading.
      const file = fs.readdirSync(dir).find((f) => f.startsWith('kept-'))!;
      const bytes = fs.readFileSync(`${dir}/${file}`);
      fs.writeFileSync(`${dir}/${file}`, bytes.subarray(0, bytes.length - 3));
      const d = TokenCache.inDir(dir, ['/r/one']);
      assert.deepEqual(
        ['src/é.ts', 'src/c.ts'].map((l) => d.take(l)?.hash),
        ['ab'.repeat(16), undefined],
      );
    }));

  it('reads back every record of a file many times larger than its first write buffer', () =>
    inDir((dir) => {
      const a = TokenCache.inDir(dir, ['/r']);
      const records = new Map<string, Kept>();
      for (let i = 0; i < 400; i++) {
        // Sizes that cross the writer's buffer ends at every kind of field.
        const block = `<file path="f${i}">\n${'é'.repeat((i * 37) % 700)}\n</file>\n`;
        const k: Kept = {
          hash: i.toString(16).padStart(64, '0'),
          outline: i % 5 ? { block, tokens: i, shown: Int32Array.from({ length: i % 9 }, (_, j) => j * i) } : null,
          imports: Array.from({ length: i % 4 }, (_, j) => `./m${j}${'x'.repeat(i % 13)}`),
          ...(i % 3 ? { terms: termStats(`export const v${i} = ${'w '.repeat(i)};\n`, `f${i}.ts`) } : {}),
        };
        records.set(`f${i}.ts`, { ...k, hash: k.hash.slice(0, 32) });
        a.keep(`f${i}.ts`, k);
      }
      a.save();
      assert.ok(fs.statSync(`${dir}/${fs.readdirSync(dir).find((f) => f.startsWith('kept-'))}`).size > 4 * 65_536);
      const b = TokenCache.inDir(dir, ['/r']);
      for (const [label, k] of records) assert.deepEqual(b.take(label), k, label);
    }));

  it('removes the cache files of other versions no run has written for 30 days when it saves, and nothing else', () =>
    inDir((dir) => {
      const old = (Date.now() - 31 * 24 * 3600 * 1000) / 1000;
      const files = [
        'tokens-000000000000.bin',
        'kept-aaaaaaaaaaaa-bbbbbbbbbbbb-cccccccccccc.bin',
        'clean-dddddddddddd.bin',
      ];
      for (const f of files) fs.writeFileSync(`${dir}/${f}`, '');
      for (const f of [files[0]!, files[1]!, 'notes.bin']) {
        if (!fs.existsSync(`${dir}/${f}`)) fs.writeFileSync(`${dir}/${f}`, '');
        fs.utimesSync(`${dir}/${f}`, old, old);
      }
      const c = TokenCache.inDir(dir, ['/r']);
      c.save();
      assert.equal(fs.readdirSync(dir).length, 4, 'nothing to save: nothing swept');
      c.set('1'.repeat(64), 3);
      c.save();
      assert.deepEqual(fs.readdirSync(dir).sort(), [
        'clean-dddddddddddd.bin', // another version's, written lately
        'notes.bin', // not a cache file
        `tokens-${COUNTER_ID}.bin`,
      ]);
    }));
});
