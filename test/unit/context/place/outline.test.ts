// Outlines (outline.ts): exported declarations with line numbers and no bodies, in TypeScript, Python, Go
// and Rust; nothing for unknown types.
import * as assert from 'node:assert/strict';
import { outlineOf } from '../../../../src/context/place/outline';

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
