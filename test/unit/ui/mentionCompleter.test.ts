// MentionCompleter's symbols: our index answers at once (a language server that times out, or never
// answers, leaves the user with them), the language servers' are merged in when they answer (the same
// definition once, with their kind and container), files come first while the index is still being built
// (and the note says so), and a symbol of a file the pack may not hold is never offered.
import * as assert from 'node:assert/strict';
import { NO_SYMBOLS } from '../../../src/context/place/definitions';
import { termStats } from '../../../src/context/place/terms';
import { SymbolIndex } from '../../../src/context/symbolIndex';
import { MentionCompleter, type FoundSymbol, type MentionPorts } from '../../../src/ui/mentionCompleter';
import type { MentionResults } from '../../../src/ui/mentionCompleter';

const files: Record<string, string> = {
  'src/query.ts': 'export class InsertQueryBuilder {}\n\nexport function buildQuery() {}\n',
  'src/util.py': 'def query_all():\n    pass\n',
};

/** Ports over `files`; `index` resolves when `release` is called (at once by default); `servers` answers symbols. */
function portsOf(servers: (q: string) => Promise<FoundSymbol[]>, opts: { held?: boolean } = {}) {
  let release: () => void = () => undefined;
  const ready = opts.held ? new Promise<void>((r) => (release = r)) : Promise.resolve();
  const index = new SymbolIndex();
  const ports: MentionPorts = {
    listFiles: async () => Object.keys(files),
    roots: () => [{ name: 'ws', path: '/ws' }],
    symbolIndex: async () => {
      await ready;
      index.update(Object.entries(files).map(([l, t]) => [l, termStats(t, l).symbols ?? NO_SYMBOLS] as const));
      return index;
    },
    symbols: servers,
  };
  return { ports, release: () => release() };
}
const symbolsOf = (r: MentionResults) => r.items.filter((m) => m.kind === 'symbol');

describe('MentionCompleter: symbols', () => {
  it('a language server that times out still leaves our symbols, with no note', async () => {
    const { ports } = portsOf(async () => {
      throw new Error('no language server answered in time');
    });
    const completer = new MentionCompleter(ports);
    await completer.symbolsReady();
    const r = await completer.complete('query');
    assert.deepEqual(symbolsOf(r), [
      { kind: 'symbol', path: 'src/util.py', name: 'query_all', line: 1, detail: 'function' },
      { kind: 'symbol', path: 'src/query.ts', name: 'buildQuery', line: 3, detail: 'function' },
      { kind: 'symbol', path: 'src/query.ts', name: 'InsertQueryBuilder', line: 1, detail: 'class' },
    ]);
    assert.equal(r.note, undefined);
  });

  it('answers at once from our index while a language server has not answered yet', async () => {
    let answer: (s: FoundSymbol[]) => void = () => undefined;
    const { ports } = portsOf(() => new Promise((resolve) => (answer = resolve)));
    const completer = new MentionCompleter(ports);
    await completer.symbolsReady();
    let early: MentionResults | undefined;
    const final = completer.complete('qb', { early: (r) => (early = r) });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(symbolsOf(early!), [
      { kind: 'symbol', path: 'src/query.ts', name: 'InsertQueryBuilder', line: 1, detail: 'class' },
    ]);
    answer([
      { name: 'InsertQueryBuilder', container: 'query', kind: 'class', file: '/ws/src/query.ts', line: 1 },
      { name: 'qbHelper', kind: 'method', file: '/ws/src/query.ts', line: 9 },
      { name: 'qbIgnored', kind: 'function', file: '/ws/node_modules/q/index.ts', line: 1 },
    ]);
    assert.deepEqual(symbolsOf(await final), [
      { kind: 'symbol', path: 'src/query.ts', name: 'qbHelper', line: 9, detail: 'method' },
      { kind: 'symbol', path: 'src/query.ts', name: 'query.InsertQueryBuilder', line: 1, detail: 'class' },
    ]);
  });

  it('the same definition from both is listed once, by line or by name in the same file', async () => {
    const { ports } = portsOf(async () => [
      { name: 'buildQuery', container: 'mod', kind: 'method', file: '/ws/src/query.ts', line: 3 },
      { name: 'query_all', kind: 'function', file: '/ws/src/util.py', line: 2 },
    ]);
    const completer = new MentionCompleter(ports);
    await completer.symbolsReady();
    const r = await completer.complete('query');
    assert.deepEqual(symbolsOf(r), [
      { kind: 'symbol', path: 'src/util.py', name: 'query_all', line: 1, detail: 'function' },
      { kind: 'symbol', path: 'src/query.ts', name: 'mod.buildQuery', line: 3, detail: 'method' },
      { kind: 'symbol', path: 'src/query.ts', name: 'InsertQueryBuilder', line: 1, detail: 'class' },
    ]);
  });

  it('files first while the index is built, and the note says symbols are being indexed', async () => {
    const { ports, release } = portsOf(
      async () => {
        throw new Error('no language server answered in time');
      },
      { held: true },
    );
    const completer = new MentionCompleter(ports);
    const r = await completer.complete('query');
    assert.deepEqual(r.items, [{ kind: 'file', path: 'src/query.ts' }]);
    assert.match(r.note ?? '', /Symbols are still being indexed/);
    release();
    await completer.symbolsReady();
    const after = await completer.complete('query');
    assert.equal(symbolsOf(after).length, 3);
    assert.equal(after.note, undefined);
  });

  it('an index that cannot be built says why, and is tried again', async () => {
    let fail = true;
    const { ports } = portsOf(async () => []);
    const build = ports.symbolIndex.bind(ports);
    ports.symbolIndex = async () => {
      if (fail) throw new Error('the workspace could not be walked');
      return build();
    };
    const completer = new MentionCompleter(ports);
    await completer.symbolsReady();
    const r = await completer.complete('query');
    assert.match(r.note ?? '', /No symbols: the workspace could not be walked/);
    fail = false;
    await completer.symbolsReady();
    assert.equal(symbolsOf(await completer.complete('query')).length, 3);
  });
});
