// What a question's `@` mentions do to the pack (mentions.ts): each becomes a pinned path of the
// focus (files whole, folders first, a symbol's defining file), resolved against the workspace
// folders; a label that climbs out, is absolute or names no folder pins nothing.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { focusWithMentions, mentionedPaths, pathOfLabel } from '../../../src/chat/mentions';
import type { Mention } from '../../../src/protocol/messages';

const root = path.resolve('/ws/app');
const one = [{ name: 'app', path: root }];
const two = [
  { name: 'app', path: root },
  { name: 'lib', path: path.resolve('/ws/lib') },
];

describe('mentions -> focus', () => {
  it('a file, a folder and a symbol pin the file, the folder and the defining file', () => {
    const mentions: Mention[] = [
      { kind: 'file', path: 'src/a.ts' },
      { kind: 'folder', path: 'src/ui' },
      { kind: 'symbol', path: 'src/auth.ts', name: 'AuthService.login', line: 12, detail: 'method' },
    ];
    assert.deepEqual(mentionedPaths(mentions, one), [
      path.join(root, 'src', 'a.ts'),
      path.join(root, 'src', 'ui'),
      path.join(root, 'src', 'auth.ts'),
    ]);
  });

  it("adds the pins after the focus's own, once each, and keeps the rest of the focus", () => {
    const focus = { activeFile: path.join(root, 'x.ts'), pinned: [path.join(root, 'src', 'a.ts')] };
    const got = focusWithMentions(
      focus,
      [
        { kind: 'file', path: 'src/a.ts' },
        { kind: 'symbol', path: 'src/b.ts', name: 'b', line: 1 },
        { kind: 'symbol', path: 'src/b.ts', name: 'c', line: 9 },
      ],
      one,
    );
    assert.deepEqual(got, {
      activeFile: focus.activeFile,
      pinned: [path.join(root, 'src', 'a.ts'), path.join(root, 'src', 'b.ts')],
    });
    assert.equal(focusWithMentions(focus, [], one), focus, 'no mentions: the same focus');
  });

  it('in a multi-root workspace the first segment names the folder', () => {
    assert.equal(pathOfLabel('lib/src/x.ts', two), path.join(path.resolve('/ws/lib'), 'src', 'x.ts'));
    assert.equal(pathOfLabel('nope/src/x.ts', two), undefined);
    assert.equal(pathOfLabel('lib', two), undefined, 'a whole root is not a mention');
  });

  it('a label that climbs out, is absolute or empty pins nothing', () => {
    for (const bad of ['../etc/passwd', 'src/../../x', '/etc/passwd', 'C:/x', '', './', 'a/./b'])
      assert.equal(pathOfLabel(bad, one), undefined, bad);
    assert.deepEqual(focusWithMentions({}, [{ kind: 'file', path: '../x' }], one), {});
  });
});
