// Budget, ranking, outlines and import neighbours: what goes in whole, as an outline, or not at all
// when the repository does not fit, and why.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { allocate, type Candidate } from '../../../../src/context/place/budget';
import { ContextEngine } from '../../../../src/context/engine';
import { ImportResolver, importSpecifiers } from '../../../../src/context/place/imports';
import { outlineOf } from '../../../../src/context/place/outline';
import { makeOutline } from '../../../../src/context/read/processFile';
import { pathRole, rankFiles, words } from '../../../../src/context/place/rank';
import { fileBlock, PACK_FOOTER, renderHeader } from '../../../../src/context/place/render';
import { countTokens } from '../../../../src/context/tokens';
import { tempDir, writeTree } from '../../../helpers/tmp';

const cand = (label: string, text: string, extra: Partial<Candidate> = {}): Candidate => ({
  label,
  abs: `/w/${label}`,
  text: () => text,
  imports: () => importSpecifiers(label, text),
  tokens: async () => countTokens(fileBlock(label, text)),
  knownTokens: () => undefined,
  block: () => fileBlock(label, text),
  bytes: text.length,
  minTokens: Math.ceil(fileBlock(label, text).length / 8),
  recency: 0,
  changedInGit: false,
  outline: () => makeOutline(label, text) ?? undefined,
  sentOutline: () => makeOutline(label, text) ?? undefined, // no secrets here
  ...extra,
});
const body = (name: string, n: number) =>
  `export function ${name}(x: number): number {\n${'  x = x * 2 + 1; // step\n'.repeat(n)}  return x;\n}\n`;
const header = (tree: Parameters<typeof renderHeader>[1]) => renderHeader([{ name: 'w', path: '/w' }], tree);
const head = async (tree: Parameters<typeof renderHeader>[1]) => ({
  text: header(tree),
  tokens: countTokens(header(tree) + PACK_FOOTER),
});

describe('outlines', () => {
  it('lists exported TypeScript declarations with line numbers and no bodies', () => {
    const ts =
      "import x from 'y';\nexport interface Opts {\n  a: number;\n}\nexport async function load(\n  path: " +
      'string,\n  opts: Opts,\n): Promise<void> {\n  await x(path);\n}\nfunction hidden() {}\nexport const ' +
      'LIMIT = 5;\nexport default class Loader extends Base {\n}\n';
    assert.equal(
      outlineOf('src/load.ts', ts),
      '2: export interface Opts\n5: export async function load( path: string, opts: Opts, ): ' +
        'Promise<void>\n12: export const LIMIT = 5;\n13: export default class Loader extends Base\n',
    );
  });
  it('covers Python, Go and Rust public declarations', () => {
    assert.equal(
      outlineOf(
        'm.py',
        'class A:\n    def __init__(self):\n        pass\n    def run(self, n):\n        return n\n    def ' +
          '_private(self):\n        pass\n',
      ),
      '1: class A:\n2:     def __init__(self):\n4:     def run(self, n):\n',
    );
    assert.equal(
      outlineOf(
        'm.go',
        'package m\nfunc Exported(a int) int {\n\treturn a\n}\nfunc hidden() {}\ntype Thing struct {\n}\n',
      ),
      '2: func Exported(a int) int\n6: type Thing struct\n',
    );
    assert.equal(
      outlineOf('lib.rs', 'pub fn go(x: u8) -> u8 {\n    x\n}\nfn private() {}\npub struct S;\nimpl S {\n}\n'),
      '1: pub fn go(x: u8) -> u8\n5: pub struct S;\n6: impl S\n',
    );
  });
  it('lists declarations a module exports by list, and the methods of listed classes', () => {
    const js = [
      "import { Base } from './Base.js';",
      'const _tmp = 1;',
      'function helper( a ) {',
      '\treturn a;',
      '}',
      'class Vector extends Base {',
      '',
      '\tconstructor( x = 0, y = 0 ) {',
      '\t\tsuper();',
      '\t\tif ( x ) {',
      '\t\t\tthis.x = x;',
      '\t\t}',
      '\t\tthis.items.forEach( function ( item ) {',
      '\t\t} );',
      '\t}',
      '',
      '\tstatic fromArray( array, offset ) {',
      '\t\treturn new Vector( array[ offset ] );',
      '\t}',
      '',
      '\tget length() {',
      '\t\treturn 0;',
      '\t}',
      '',
      '\t*[ Symbol.iterator ]() {',
      '\t}',
      '',
      '\tcall( a );',
      '',
      '}',
      'async function load( url ) {',
      '}',
      'export { Vector, load as loadVector };',
      '',
    ].join('\n');
    assert.equal(
      outlineOf('src/Vector.js', js),
      '6: class Vector extends Base\n8: \tconstructor( x = 0, y = 0 )\n17: \tstatic fromArray( array, offset ' +
        ')\n21: \tget length()\n31: async function load( url )\n',
    );
    const ts =
      'export class Store {\n  private cache = new Map();\n  constructor(private readonly dir: string) {}\n  ' +
      'async read(key: string): Promise<string> {\n    return key;\n  }\n  private write(key: string): void ' +
      '{\n  }\n  protected static make<T>(x: T): Store {\n  }\n}\n';
    assert.equal(
      outlineOf('src/store.ts', ts),
      '1: export class Store\n4:   async read(key: string): Promise<string>\n9:   protected static ' +
        'make<T>(x: T): Store\n',
    );
  });
  it('lists a method whose parameter list spans lines (as formatters write them), not an abstract one', () => {
    const ts = [
      'export abstract class Repo<T> {', //  1
      '  constructor(', //                   2
      '    private readonly db: Db,', //     3
      '    private readonly log: Logger,', // 4
      '  ) {', //                            5
      '    super();', //                      6
      '  }', //                              7
      '', //                                 8
      '  async findMany(', //                9
      '    where: Partial<T>,', //          10
      '    options: { limit?: number; order?: "asc" | "desc" } = {},', // 11
      '  ): Promise<T[]> {', //             12
      '    return this.db.query(', //       13
      '      where,', //                    14
      '    );', //                          15
      '  }', //                             16
      '', //                                17
      '  abstract validate(', //            18
      '    row: T,', //                     19
      '  ): boolean;', //                   20
      '', //                                21
      '  save({', //                        22
      '    row,', //                        23
      '  }: { row: T }): void {', //        24
      '  }', //                             25
      '}', //                               26
      '',
    ].join('\n');
    assert.equal(
      outlineOf('src/repo.ts', ts),
      '1: export abstract class Repo<T>\n' +
        '2:   constructor( private readonly db: Db, private readonly log: Logger, )\n' +
        '9:   async findMany( where: Partial<T>, options: { limit?: number; order?: "asc" | "desc" } = {}, ' +
        '): Promise<T[]>\n' +
        '22:   save({ row, }: { row: T }): void\n',
    );
  });
  it('returns nothing for unknown types', () => assert.equal(outlineOf('data.csv', 'a,b\n1,2\n'), ''));
});

describe('import neighbours', () => {
  it('finds and resolves relative, Python and module-path imports against the pack', () => {
    const r = new ImportResolver([
      'src/a.ts',
      'src/b/index.ts',
      'src/c.ts',
      'pkg/mod.py',
      'pkg/sub/__init__.py',
      'src/main/java/com/x/Util.java',
    ]);
    assert.deepEqual(
      importSpecifiers('src/a.ts', "import { b } from './b';\nexport * from './c.js';\nconst d = require('lodash');"),
      ['./b', './c.js', 'lodash'],
    );
    assert.deepEqual(r.resolve('src/a.ts', './b'), ['src/b/index.ts']);
    assert.deepEqual(r.resolve('src/a.ts', './c.js'), ['src/c.ts']);
    assert.deepEqual(r.resolve('src/a.ts', 'lodash'), []);
    assert.deepEqual(r.resolve('pkg/mod.py', '.sub'), ['pkg/sub/__init__.py']);
    assert.deepEqual(r.resolve('Main.java', 'com.x.Util'), ['src/main/java/com/x/Util.java']);
  });
});

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

describe('budget', () => {
  const files = [
    cand('a.ts', body('a', 40)),
    cand('b.ts', body('b', 40)),
    cand('c.ts', body('c', 40)),
    cand('d.md', 'plain notes\n'.repeat(30)),
  ];
  it('includes everything whole when it fits', async () => {
    const plan = await allocate(files, { budgetTokens: 1_000_000 }, head);
    assert.deepEqual(
      [...plan.placed.values()].map((p) => p.status),
      ['included', 'included', 'included', 'included'],
    );
  });
  it('when it does not fit: the best-ranked whole, the rest as outlines, never over the budget', async () => {
    const wholeA = await files[0]!.tokens();
    const budget = countTokens(header(files.map((f) => ({ label: f.label, status: 'outline' })))) + wholeA + 100;
    const plan = await allocate(files, { budgetTokens: budget, question: 'what does b.ts do?' }, head);
    const status = Object.fromEntries([...plan.placed].map(([l, p]) => [l, p.status]));
    assert.equal(status['b.ts'], 'included');
    assert.equal(status['a.ts'], 'outline');
    assert.equal(status['d.md'], 'excluded', 'markdown with no headings has no outline');
    const used = plan.headerTokens + [...plan.placed.values()].reduce((n, p) => n + p.tokens, 0);
    assert.ok(used <= budget, `${used} > ${budget}`);
    assert.match(
      plan.placed.get('a.ts')!.block,
      /^<file path="a.ts" outline="exported signatures only">\n1: export function a\(x: number\): number\n<\/file>\n$/,
    );
    assert.match(plan.header, /a\.ts \(outline\)/);
    assert.match(plan.header, /d\.md \(left out\)/);
  });
  it('leaves out the lowest-ranked files when even the outlines do not fit', async () => {
    const budget = countTokens(header(files.map((f) => ({ label: f.label, status: 'excluded' })))) + 45;
    const plan = await allocate(files, { budgetTokens: budget, question: 'c.ts' }, head);
    const used = plan.headerTokens + [...plan.placed.values()].reduce((n, p) => n + p.tokens, 0);
    assert.ok(used <= budget);
    assert.equal(plan.placed.get('c.ts')!.status, 'outline');
    assert.equal([...plan.placed.values()].filter((p) => p.status === 'excluded').length, 3);
  });
});

describe('budget in the engine', () => {
  it('gives every file a status and reason `budget`, lists them in the tree, stays within the budget', async () => {
    const dir = tempDir('dsr-budget-');
    writeTree(dir, Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`src/m${i}.ts`, body(`f${i}`, 30)])));
    const engine = new ContextEngine({ roots: [{ name: 'b', path: dir }], workers: 0 });
    try {
      const budget = 1500;
      const pack = await engine.pack({ budgetTokens: budget, question: 'explain m7.ts' });
      assert.ok(pack.tokens <= budget, `${pack.tokens}`);
      assert.equal(pack.files.length, 12);
      const m7 = pack.files.find((f) => f.path === 'src/m7.ts')!;
      assert.equal(m7.status, 'included');
      for (const f of pack.files.filter((x) => x.status !== 'included')) assert.equal(f.reason, 'budget');
      assert.ok(pack.files.some((f) => f.status === 'outline'));
      assert.match(pack.text, /\n {2}m\d+\.ts \(outline\)\n/);
      assert.match(pack.text, /\n {2}m7\.ts\n/);
    } finally {
      engine.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
