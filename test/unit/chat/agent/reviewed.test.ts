// An agent change set through Apply's review model: the proposal made again when the file changed,
// and the settled review told to the model per file.
import { strict as assert } from 'node:assert';
import * as cs from '../../../../src/chat/changeSet';
import { decisionsOf, remade } from '../../../../src/chat/agent/reviewed';
import type { ChangeSet } from '../../../../src/chat/agent/ports';

const changes: ChangeSet = {
  id: 'call_1',
  files: [
    {
      path: 'src/a.ts',
      before: 'const a = 1;\nconst b = 2;\n',
      after: 'const a = 10;\nconst b = 2;\n',
      blocks: [{ search: ['const a = 1;'], replace: ['const a = 10;'] }],
    },
    { path: 'src/new.ts', before: undefined, after: 'export {};\n' },
  ],
};

function reviewed(): cs.ChangeSet {
  return cs.createChangeSet({
    id: 'c1',
    title: 't',
    files: changes.files.map((f) => ({
      path: f.path,
      before: f.before === undefined ? undefined : cs.bytesOf(f.before),
      proposed: f.after,
    })),
  });
}

describe('agent change sets reviewed like Apply', () => {
  it('proposes the tool text on unchanged files and makes the edits again on changed ones', () => {
    const [a, created] = changes.files;
    assert.deepEqual(remade(a!, a!.before), { ok: true, text: a!.after });
    const typed = remade(a!, '// typed meanwhile\nconst a = 1;\nconst b = 2;\n');
    assert.ok(typed.ok && typed.text === '// typed meanwhile\nconst a = 10;\nconst b = 2;\n');
    const gone = remade(a!, 'something else\n');
    assert.equal(gone.ok, false);
    assert.equal(remade(created!, undefined).ok, true);
    assert.equal(remade(created!, 'it exists now\n').ok, false, 'no blocks: a file that changed is not guessed');
  });

  it('tells the model per file: applied, applied with the user text, rejected with the reason', () => {
    const set = reviewed();
    cs.accept(set, 'src/a.ts', 'const a = 11;\nconst b = 2;\n');
    cs.reject(set, 'src/new.ts');
    cs.markApplied(set, new Map());
    assert.deepEqual(decisionsOf(changes, set, 'no new files'), [
      { path: 'src/a.ts', state: 'applied', text: 'const a = 11;\nconst b = 2;\n' },
      { path: 'src/new.ts', state: 'rejected', reason: 'no new files' },
    ]);
    const plain = reviewed();
    cs.accept(plain, 'src/a.ts');
    cs.accept(plain, 'src/new.ts');
    cs.markApplied(plain, new Map());
    assert.deepEqual(decisionsOf(changes, plain, undefined), [
      { path: 'src/a.ts', state: 'applied' },
      { path: 'src/new.ts', state: 'applied' },
    ]);
  });

  it('a set that could not be written fails every file with the reason, accepted ones included', () => {
    const set = reviewed();
    cs.accept(set, 'src/a.ts');
    cs.markFailed(set, 'VS Code could not apply the change; nothing was written.');
    assert.deepEqual(
      decisionsOf(changes, set, 'ignored').map((d) => [d.state, d.reason]),
      [
        ['failed', 'VS Code could not apply the change; nothing was written.'],
        ['failed', 'VS Code could not apply the change; nothing was written.'],
      ],
    );
    const rejected = reviewed();
    cs.rejectAll(rejected);
    assert.deepEqual(
      decisionsOf(changes, rejected, undefined).map((d) => d.state),
      ['rejected', 'rejected'],
    );
  });

  it('a review the turn stopped (Stop, a reload) is every file stopped: not applied, not rejected, no reason', () => {
    const set = reviewed();
    cs.reject(set, 'src/new.ts'); // left out before the Stop: no decision on the set either
    cs.markStopped(set);
    assert.deepEqual(decisionsOf(changes, set, 'the user stopped the turn'), [
      { path: 'src/a.ts', state: 'stopped' },
      { path: 'src/new.ts', state: 'stopped' },
    ]);
  });
});
