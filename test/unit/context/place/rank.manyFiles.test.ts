// A repository of 200,000 files is ranked: no step spreads a value per file into one call (V8 throws
// "Maximum call stack size exceeded" past about 150,000 arguments), and the file the question names wins.
import * as assert from 'node:assert/strict';
import { rankFiles } from '../../../../src/context/place/rank';
import { maxOf } from '../../../../src/context/place/maxOf';
import { cand } from './placeKit';

const FILES = 200_000;

describe('ranking a very large repository', () => {
  it(`ranks ${FILES.toLocaleString('en-US')} files, each importing the next, for a question`, () => {
    const files = Array.from({ length: FILES }, (_, i) =>
      cand(`src/m${i}.ts`, `import { v${i + 1} } from './m${i + 1}';\nexport const v${i} = ${i};\n`),
    );
    const ranked = rankFiles(files, 'Where is v4242 set?', undefined);
    assert.equal(ranked.length, FILES);
    assert.equal(ranked[0]!.label, 'src/m4242.ts');
  });

  it('maxOf takes any number of values, and its floor when there are none', () => {
    const many = Array.from({ length: 300_000 }, (_, i) => i % 1000);
    assert.equal(maxOf(many), 999);
    assert.equal(maxOf([]), 0);
    assert.equal(maxOf([-3, -1], -Infinity), -1);
    assert.equal(maxOf(new Set([2, 7, 5]).values()), 7);
  });
});
