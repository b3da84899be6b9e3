// SymbolIndex, the `@` symbol completion over every file's definitions: case-insensitive, exact before
// prefix before a camelCase/snake_case part's start or its initials before a name that merely contains
// the query; bounded; a longer query narrows the last one's matches without losing any; an update
// replaces a file's symbols.
import * as assert from 'node:assert/strict';
import { NO_SYMBOLS } from '../../../src/context/place/definitions';
import { termStats } from '../../../src/context/place/terms';
import { SymbolIndex } from '../../../src/context/symbolIndex';

const indexOf = (files: Record<string, string>) => {
  const index = new SymbolIndex();
  index.update(
    Object.entries(files).map(([label, text]) => [label, termStats(text, label).symbols ?? NO_SYMBOLS] as const),
  );
  return index;
};
const names = (index: SymbolIndex, q: string, limit?: number) => index.query(q, limit).map((m) => m.name);

describe('SymbolIndex', () => {
  const index = indexOf({
    'src/query/insert.ts': 'export class InsertQueryBuilder {}\nexport class QueryBuilder {}\n',
    'src/query/builder.ts': 'export function builderOf() {}\nexport const rebuilder = 1;\n',
    'src/http.ts': 'export class HTTPServer {}\nexport function serve() {}\n',
    'pkg/model.py': 'def model_dump(obj):\n    pass\nclass Model:\n    pass\n',
  });

  it('ranks exact, then prefix, then a part start, then containing; case-insensitive', () => {
    assert.deepEqual(names(index, 'querybuilder'), ['QueryBuilder', 'InsertQueryBuilder']);
    assert.deepEqual(names(index, 'BUILDER'), ['builderOf', 'QueryBuilder', 'InsertQueryBuilder', 'rebuilder']);
    assert.deepEqual(names(index, 'model'), ['Model', 'model_dump']);
    assert.deepEqual(names(index, 'dump'), ['model_dump'], 'after an underscore is a part');
    assert.deepEqual(names(index, 'server'), ['HTTPServer'], 'after an acronym is a part');
  });

  it("finds a name by its parts' initials, below what starts with the query", () => {
    assert.deepEqual(names(index, 'qb'), ['QueryBuilder', 'InsertQueryBuilder']);
    assert.deepEqual(names(index, 'iqb'), ['InsertQueryBuilder']);
    assert.deepEqual(names(index, 'md'), ['model_dump']);
  });

  it('gives the defining file, line and kind, and lists at most `limit`', () => {
    assert.deepEqual(index.query('InsertQueryBuilder'), [
      { name: 'InsertQueryBuilder', label: 'src/query/insert.ts', line: 1, kind: 'class', score: 4886 },
    ]);
    assert.equal(index.query('e', 2).length, 2);
    assert.deepEqual(index.query('!!'), [], 'no word characters: nothing');
  });

  it('a longer query typed after a shorter one finds what a fresh query finds', () => {
    const files = Object.entries({
      'a.ts': 'export class QueryRunner {}\nexport class Quiet {}\n',
      'b.ts': 'export function quickSort() {}\nexport class InsertQueryBuilder {}\n',
    }).map(([l, t]) => [l, termStats(t, l).symbols ?? NO_SYMBOLS] as const);
    const typed = new SymbolIndex();
    typed.update(files);
    for (const q of ['qu', 'que', 'quer', 'query', 'qb', 'qbx', 'qb']) {
      const fresh = new SymbolIndex();
      fresh.update(files);
      assert.deepEqual(names(typed, q), names(fresh, q), q);
    }
    assert.deepEqual(names(typed, 'query'), ['QueryRunner', 'InsertQueryBuilder']);
  });

  it('an update replaces a file: its old names go, its new ones come', () => {
    const idx = indexOf({ 'a.ts': 'export class Before {}\n' });
    assert.deepEqual(names(idx, 'before'), ['Before']);
    idx.update([['a.ts', termStats('export class After {}\n', 'a.ts').symbols!]]);
    assert.deepEqual(names(idx, 'before'), []);
    assert.deepEqual(names(idx, 'after'), ['After']);
    assert.equal(idx.fileCount, 1);
    assert.equal(idx.symbolCount, 1);
  });
});
