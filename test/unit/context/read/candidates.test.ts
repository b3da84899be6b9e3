// Counting ahead while a cold scan reads (candidates.ts EarlyCount): the imports of each batch are resolved as it
// arrives (the ranking after reading finds them resolved), the guess is made once git history is in, and no file is
// handed to be made whole twice.
import * as assert from 'node:assert/strict';
import { EarlyCount } from '../../../../src/context/read/candidates';
import type { FileState, FileStore } from '../../../../src/context/read/fileStore';
import type { ProcessedText } from '../../../../src/context/read/processFile';
import type { FileHistory } from '../../../../src/context/place/gitHistory';
import type { WalkedFile } from '../../../../src/context/scan/walk';

const root = { name: 'w', path: '/w' };
const walked = (rel: string, size: number): WalkedFile => ({
  root,
  rel,
  abs: `/w/${rel}`,
  size,
  sig: '1',
  mtimeMs: 0,
  forced: false,
  repoRel: rel,
});
const stateOf = (f: WalkedFile, imports: string[]): FileState => {
  const result: ProcessedText = { ok: true, bytes: f.size, changedInGit: false, raw: 'x'.repeat(f.size), imports };
  return { abs: f.abs, key: '', readAt: 0, mtimeMs: 0, result };
};

/** A store that only records what it is asked to make whole. */
function recordingStore() {
  const whole: string[][] = [];
  const store = {
    prepareWhole: async (states: FileState[]) => void whole.push(states.map((s) => s.abs)),
    scanOutlines: async () => undefined,
  } as unknown as FileStore;
  return { store, whole };
}

const noHistory: FileHistory = { recency: () => 0, pastCommits: () => [] };

describe('EarlyCount: counting ahead while a cold scan reads', () => {
  const files = [walked('src/a.ts', 400), walked('src/b.ts', 400), walked('src/c.ts', 400), walked('src/d.ts', 400)];
  const label = (f: WalkedFile) => f.rel;

  it('resolves the imports of each batch as it arrives, before any guess, for the ranking to reuse', () => {
    const { store } = recordingStore();
    const early = new EarlyCount(store, files, label, { budgetTokens: 1_000_000 }, new Promise(() => {}));
    const aImports = ['./b', './c', 'left-pad'];
    early.onRead([stateOf(files[0]!, aImports), stateOf(files[1]!, [])]);
    const resolver = early.resolverFor(files.map((f) => ({ label: f.rel })));
    const first = resolver.importsOf('src/a.ts', aImports);
    assert.deepEqual(first, ['src/b.ts', 'src/c.ts']);
    assert.equal(resolver.importsOf('src/a.ts', aImports), first, 'remembered: the same list, not resolved again');
    // Answers for the entries it is given alone: a file found unreadable is no longer a target.
    const without = early.resolverFor([{ label: 'src/a.ts' }, { label: 'src/b.ts' }, { label: 'src/d.ts' }]);
    assert.deepEqual(without.importsOf('src/a.ts', aImports), ['src/b.ts']);
  });

  it('guesses once git history is in, and hands each file read to be made whole at most once', async () => {
    const { store, whole } = recordingStore();
    let giveHistory!: (h: FileHistory) => void;
    const history = new Promise<FileHistory>((resolve) => (giveHistory = resolve));
    const early = new EarlyCount(store, files, label, { budgetTokens: 1_000_000 }, history);
    early.onRead([stateOf(files[0]!, []), stateOf(files[1]!, [])]);
    assert.deepEqual(whole, [], 'nothing is made whole before the guess');
    giveHistory(noHistory);
    await history; // the guess is made when the history comes, before this resumes
    early.onRead([stateOf(files[2]!, []), stateOf(files[3]!, [])]);
    early.onRead([stateOf(files[0]!, [])]); // read again (a later batch names it again): already started
    await early.done();
    const handed = whole.flat();
    assert.deepEqual([...handed].sort(), files.map((f) => f.abs).sort(), 'every file fits the budget: all are wanted');
    assert.equal(new Set(handed).size, handed.length, 'none twice');
    const firstBatch: string[] = whole[0] ?? [];
    assert.deepEqual([...firstBatch].sort(), ['/w/src/a.ts', '/w/src/b.ts'], 'those read before the guess, first');
  });

  it('leaves out of the early work the files the guess puts past the budget', async () => {
    const { store, whole } = recordingStore();
    const big = [walked('src/a.ts', 400), walked('vendor/huge.js', 4_000_000)];
    const history = Promise.resolve(noHistory);
    const early = new EarlyCount(store, big, label, { budgetTokens: 20_000 }, history);
    await history;
    early.onRead(big.map((f) => stateOf(f, [])));
    await early.done();
    assert.deepEqual(whole.flat(), ['/w/src/a.ts']);
  });
});
