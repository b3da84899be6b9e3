// The ranking's order (rank.ts): the active file, named files, open files and neighbours first; the
// project's own code before tests, examples, docs and vendored code; identifiers split into words.
import * as assert from 'node:assert/strict';
import { pastCommit } from '../../../../src/context/place/pastCommits';
import { pathRole, rankFiles, WEIGHTS, words, type Signals } from '../../../../src/context/place/rank';
import { AUXILIARY_FACTOR } from '../../../../src/context/place/roles';
import { cand } from './placeKit';

describe('ranking', () => {
  it('puts the active file, then files named in the question, open files, neighbours and lexical matches first', () => {
    const files = [
      cand('src/zeta.ts', 'export const z = 1;\n'),
      cand('src/active.ts', "import { h } from './helper';\n"),
      cand('src/helper.ts', 'export const h = 1;\n'),
      cand('src/open.ts', 'export const o = 1;\n'),
      cand('src/parser.ts', 'export function tokenize() {}\n'),
      cand('src/lexer.ts', 'export function tokenize() { tokenize(); tokenize(); }\n'),
    ];
    const ranked = rankFiles(files, 'How does tokenize work in parser.ts?', {
      activeFile: '/w/src/active.ts',
      openFiles: ['/w/src/open.ts'],
    }).map((r) => r.label);
    assert.deepEqual(ranked, [
      'src/active.ts',
      'src/parser.ts',
      'src/open.ts',
      'src/helper.ts',
      'src/lexer.ts',
      'src/zeta.ts',
    ]);
  });
  // …the most imported first
  it('with no question or editor: own code first, then tests, examples and docs, then vendored code', () => {
    const files = [
      cand('examples/demo.js', "import { Vec } from '../src/math/Vec.js';\n"),
      cand('examples/libs/big.module.js', 'export const big = 1;\n'),
      cand('src/zz/Unused.js', 'export const u = 1;\n'),
      cand('src/math/Vec.js', 'export class Vec {}\n'),
      cand('src/core/Mesh.js', "import { Vec } from '../math/Vec.js';\nimport { Geo } from './Geo.js';\n"),
      cand('src/core/Geo.js', "import { Vec } from '../math/Vec.js';\n"),
      cand('test/Vec.test.js', "import { Vec } from '../src/math/Vec.js';\n"),
      cand('vendor/lib.js', 'export const l = 1;\n'),
    ];
    const ranked = rankFiles(files, undefined, undefined).map((r) => r.label);
    assert.deepEqual(ranked, [
      'src/math/Vec.js',
      'src/core/Geo.js',
      'src/core/Mesh.js',
      'src/zz/Unused.js',
      'examples/demo.js',
      'test/Vec.test.js',
      'examples/libs/big.module.js',
      'vendor/lib.js',
    ]);
    // A question still outweighs the prior: the one file it names comes first.
    assert.equal(rankFiles(files, 'what is in big.module.js?', undefined)[0]!.label, 'examples/libs/big.module.js');
  });
  it("tells the project's own code from tests, examples, docs and vendored or generated code by path", () => {
    for (const own of [
      'src/a.ts',
      'lib/lodash.js',
      'libs/shared/ui.ts',
      'packages/core/index.ts',
      'main.go',
      'README.md',
      'packages/core/README.md',
    ])
      assert.equal(pathRole(own), 'own', own);
    for (const aux of [
      'test/a.ts',
      'src/__tests__/a.ts',
      'src/a.test.ts',
      'pkg/a_test.go',
      'tests/test_a.py',
      'examples/jsm/loaders/GLTFLoader.js',
      'docs/guide.md',
      'CHANGELOG.md',
      'packages/svelte/CHANGELOG.md',
      '.changeset/brave-cats.md',
      'benchmarks/x.js',
    ])
      assert.equal(pathRole(aux), 'auxiliary', aux);
    for (const ven of [
      'vendor/x.go',
      'third_party/y.c',
      'examples/jsm/libs/draco.js',
      'build/three.module.js',
      'dist/index.js',
      'src/external/z.js',
    ])
      assert.equal(pathRole(ven), 'vendored', ven);
  });
  it("gives each file's signals before weighting, which weighted as WEIGHTS make its score", () => {
    const caret = pastCommit('fix: keep the caret after a paste', 1);
    const files = [
      cand('src/editor/caret.ts', "import { paste } from './paste';\nexport function caretAfter() {}\n", {
        pastCommits: [caret],
      }),
      cand('src/editor/paste.ts', 'export function paste() { /* clipboard */ }\n', { pastCommits: [caret] }),
      cand('src/editor/paste.test.ts', "import { paste } from './paste';\n// keeps the caret after a paste\n"),
      cand('src/util.ts', "import { paste } from './editor/paste';\nexport const u = 1;\n"),
      cand('vendor/lib.js', 'export const caret = 1;\n'),
    ];
    const question = 'caret.ts: `caretAfter` loses the caret after a paste in the editor';
    const signals = new Map<string, Signals>();
    const ranked = rankFiles(files, question, undefined, undefined, signals);
    assert.deepEqual(ranked, rankFiles(files, question, undefined), 'asking for the signals changes nothing');
    const w = WEIGHTS;
    for (const r of ranked) {
      const s = signals.get(r.label)!;
      const asked =
        s.folder * w.folder +
        s.weakName * w.lexical +
        s.lexical * w.lexical +
        s.defines * w.defines +
        s.history * w.history +
        s.neighbour * w.neighbour;
      const prior = s.role * w.role + s.imported * w.imported;
      assert.ok(Math.abs(r.score - (s.named * w.named + asked * s.roleFactor + prior)) < 1e-9, r.label);
      assert.ok(Math.abs(r.evidence - r.score + prior) < 1e-9, r.label);
    }
    const caretFile = signals.get('src/editor/caret.ts')!;
    assert.equal(caretFile.named, 1);
    assert.ok(caretFile.defines > 0 && caretFile.lexical > 0 && caretFile.history > 0);
    assert.ok(signals.get('src/editor/paste.ts')!.neighbour > 0, 'imported by a named file');
    assert.equal(signals.get('src/editor/paste.test.ts')!.roleFactor, AUXILIARY_FACTOR);
    assert.equal(signals.get('vendor/lib.js')!.role, 0);
  });
  it('splits identifiers into words and drops stop words', () => {
    assert.deepEqual(words('How does parseHTTPRequest use snake_case in the file?'), [
      'parse',
      'http',
      'request',
      'snake',
      'case',
    ]);
  });
});
