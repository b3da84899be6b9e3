// The change-set model shared by Apply and the agent's edits: decisions per file, what is written,
// what the chat shows (+/- lines), and Undo back to the exact bytes from before, telling when the
// user changed a file since.
import * as assert from 'node:assert/strict';
import * as cs from '../../../src/chat/changeSet';
import { lineDelta } from '../../../src/chat/lineDiff';

const bytes = (t: string) => new TextEncoder().encode(t);

function twoFiles() {
  return cs.createChangeSet({
    id: 'c1',
    title: 'DeepSeek proposal: 2 files',
    files: [
      {
        path: 'src/a.ts',
        before: bytes('\uFEFFone\r\ntwo\r\n'),
        proposed: 'one\r\n2\r\nthree\r\n',
        note: 'replaces `two`',
      },
      { path: 'src/new.ts', before: undefined, proposed: 'export const fresh = 1;\n' },
    ],
  });
}

describe('change set (Apply and agent edits)', () => {
  it('starts proposed; accept, reject, and an edited proposal are told apart; only accepted files are written', () => {
    const set = twoFiles();
    assert.equal(set.status, 'reviewing');
    assert.deepEqual(
      set.files.map((f) => f.state),
      ['proposed', 'proposed'],
    );
    cs.accept(set, 'src/a.ts', 'one\n2\nthree\n'); // line endings alone are no edit
    assert.equal(set.files[0]!.state, 'accepted');
    cs.accept(set, 'src/a.ts', 'one\n2\nmine\n');
    assert.equal(set.files[0]!.state, 'edited');
    cs.reject(set, 'src/new.ts');
    assert.deepEqual(cs.toApply(set), [{ path: 'src/a.ts', text: 'one\n2\nmine\n', create: false }]);
    cs.undecide(set, 'src/new.ts');
    cs.accept(set, 'src/new.ts');
    assert.deepEqual(
      cs.toApply(set).map((w) => [w.path, w.create]),
      [
        ['src/a.ts', false],
        ['src/new.ts', true],
      ],
    );
    assert.deepEqual(
      cs.decisions(set).map((d) => d.state),
      ['edited', 'accepted'],
    );
    assert.throws(() => cs.accept(set, 'elsewhere.ts'), /not in the change set/);
    assert.throws(
      () => cs.createChangeSet({ id: 'x', title: 'x', files: [twoFiles().files[0]!, twoFiles().files[0]!] }),
      /proposed twice/,
    );
  });

  it('summarises per file the lines added and removed, whether it is new, and what it does', () => {
    const set = twoFiles();
    assert.deepEqual(cs.summarize(set), {
      id: 'c1',
      title: 'DeepSeek proposal: 2 files',
      status: 'reviewing',
      files: [
        { path: 'src/a.ts', state: 'proposed', added: 2, removed: 1, note: 'replaces `two`' },
        { path: 'src/new.ts', state: 'proposed', added: 1, removed: 0, created: true },
      ],
    });
    cs.reject(set, 'src/new.ts');
    cs.accept(set, 'src/a.ts', 'one\ntwo\nthree\n');
    cs.markApplied(set, new Map([['src/a.ts', bytes('one\ntwo\nthree\n')]]));
    const s = cs.summarize(set);
    assert.equal(s.status, 'applied');
    assert.deepEqual([s.files[0]!.state, s.files[0]!.added, s.files[0]!.removed], ['edited', 1, 0], 'what was applied');
  });

  it('nothing accepted is a rejected set; Reject All rejects every file', () => {
    const set = twoFiles();
    cs.reject(set, 'src/a.ts');
    cs.reject(set, 'src/new.ts');
    cs.markApplied(set, new Map());
    assert.equal(set.status, 'rejected');
    const all = twoFiles();
    cs.rejectAll(all);
    assert.deepEqual([all.status, cs.toApply(all)], ['rejected', []]);
  });

  it('a review the turn stopped ends undecided: nothing to write or undo, no file rejected, the set stopped', () => {
    const set = twoFiles();
    cs.reject(set, 'src/new.ts'); // left out while the review was open: still the review's state
    cs.markStopped(set);
    assert.equal(set.status, 'stopped');
    assert.deepEqual(
      set.files.map((f) => f.state),
      ['proposed', 'rejected'],
    );
    assert.deepEqual(cs.toApply(set), []);
    assert.deepEqual(
      cs.undoPlan(set, () => undefined),
      [],
    );
    const s = cs.summarize(set);
    assert.equal(s.status, 'stopped');
    assert.deepEqual(
      s.files.map((f) => [f.path, f.state]),
      [
        ['src/a.ts', 'proposed'],
        ['src/new.ts', 'rejected'],
      ],
    );
  });

  it(
    'Undo restores the exact bytes from before (a BOM and CRLF too) and removes a created ' +
      'file; it tells which files the user changed since',
    () => {
      const set = twoFiles();
      cs.accept(set, 'src/a.ts');
      cs.accept(set, 'src/new.ts');
      const after = new Map([
        ['src/a.ts', bytes('one\r\n2\r\nthree\r\n')],
        ['src/new.ts', bytes('export const fresh = 1;\n')],
      ]);
      assert.deepEqual(
        cs.undoPlan(set, () => undefined),
        [],
        'nothing to undo before it is applied',
      );
      cs.markApplied(set, after);
      const untouched = cs.undoPlan(set, (p) => after.get(p));
      assert.deepEqual(untouched, [
        { path: 'src/a.ts', restore: bytes('\uFEFFone\r\ntwo\r\n'), changedSince: false },
        { path: 'src/new.ts', restore: undefined, changedSince: false },
      ]);
      const typed = cs.undoPlan(set, (p) => (p === 'src/a.ts' ? bytes('one\r\n2\r\nthree\r\nfour\r\n') : undefined));
      assert.deepEqual(
        typed.map((s) => [s.path, s.changedSince]),
        [
          ['src/a.ts', true],
          ['src/new.ts', true],
        ],
        'edited since, and deleted since',
      );
      const bom = cs.undoPlan(set, (p) => (p === 'src/a.ts' ? bytes('\uFEFFone\r\n2\r\nthree\r\n') : after.get(p)));
      assert.equal(bom[0]!.changedSince, false, 'saved with a byte-order mark by the editor: the same text');
      cs.markUndone(set);
      assert.equal(set.status, 'undone');
      assert.deepEqual(
        cs.undoPlan(set, (p) => after.get(p)),
        [],
        'undone once',
      );
    },
  );

  it('a file changed during the review gets a new proposal on its new text, and Undo restores that text', () => {
    const set = twoFiles();
    cs.accept(set, 'src/a.ts', 'one\nmine\n');
    cs.rebase(set, 'src/a.ts', bytes('zero\none\ntwo\n'), 'zero\none\n2\n');
    assert.deepEqual([set.files[0]!.state, set.files[0]!.applied], ['proposed', undefined]);
    cs.accept(set, 'src/a.ts');
    cs.markApplied(set, new Map([['src/a.ts', bytes('zero\none\n2\n')]]));
    assert.deepEqual(cs.undoPlan(set, () => bytes('zero\none\n2\n'))[0]!.restore, bytes('zero\none\ntwo\n'));
  });

  it('counts added and removed lines as a line diff does', () => {
    assert.deepEqual(lineDelta('', ''), { added: 0, removed: 0 });
    assert.deepEqual(lineDelta('', 'a\nb\n'), { added: 2, removed: 0 });
    assert.deepEqual(lineDelta('a\nb\nc\n', 'a\nc\n'), { added: 0, removed: 1 });
    assert.deepEqual(lineDelta('a\nb\nc\nd\n', 'a\nx\nc\ny\nd\n'), { added: 2, removed: 1 });
    assert.deepEqual(
      lineDelta('a\r\nb\r\n', 'a\nb'),
      { added: 0, removed: 0 },
      'line endings and a final newline aside',
    );
    const big = Array.from({ length: 5000 }, (_, i) => `line ${i}`).join('\n');
    assert.deepEqual(lineDelta(big, big.replace('line 2500', 'changed')), { added: 1, removed: 1 });
  });
});
