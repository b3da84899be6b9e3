// Editor commands, last part: Accept, Reject and Undo under the answer, a change to several files, Fix
// Problems with none, Ask About Folder, a `path:line` reference, and Explain File with unsaved edits.
// Registered in order by commands.test.ts: the parts share one workspace, whose state each part leaves
// to the next.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChangeSetSummary } from '../../../src/protocol/messages';
import { sleep, waitFor } from './harness';
import { proposalDiffs, type CommandsKit } from './commandsKit';

/** Registers this part's tests in the calling describe block. */
export function changeCardCommands(k: CommandsKit): void {
  it(
    'Apply puts Accept and Reject under the answer; Accept writes the file in one step, the chat ' +
      'says what was applied, and its Undo restores the exact bytes',
    async () => {
      const rel = 'src/crlf-bom.ts';
      const file = vscode.Uri.file(path.join(k.root, rel));
      const before = Buffer.from('\uFEFFexport const a = 1;\r\nexport const b = 2;\r\n', 'utf8');
      fs.writeFileSync(file.fsPath, before);
      await vscode.window.tabGroups.close(proposalDiffs());
      const since = k.api.messages.length;
      assert.ok(
        k.api.deliver('panel', {
          type: 'applyCode',
          code: 'export const c = 3;\n',
          path: rel,
          language: 'ts',
          turn: 0,
        }),
      );
      const proposed = await k.changeState(since, 'reviewing');
      assert.deepEqual(proposed.files, [
        { path: rel, state: 'proposed', added: 2, removed: 0, note: 'adds 1 line at the end' },
      ]);
      await waitFor('the proposal diff to open', () => proposalDiffs()[0]);
      assert.equal(fs.readFileSync(file.fsPath).equals(before), true, 'nothing written before Accept');
      // Accept in the chat.
      assert.ok(k.api.deliver('panel', { type: 'decideChanges', id: proposed.id, accept: true }));
      const applied = await k.changeState(since, 'applied', proposed.id);
      assert.deepEqual(applied.files, [
        { path: rel, state: 'accepted', added: 2, removed: 0, note: 'adds 1 line at the end' },
      ]);
      await waitFor('the diff to close', () => proposalDiffs().length === 0 || undefined);
      const doc = await vscode.workspace.openTextDocument(file);
      assert.equal(doc.getText(), 'export const a = 1;\r\nexport const b = 2;\r\n\r\nexport const c = 3;\r\n');
      // Saved (the suite pins auto save off), then Undo in the chat.
      await k.saveNow(doc);
      assert.ok(fs.readFileSync(file.fsPath, 'utf8').includes('c = 3'));
      assert.ok(k.api.deliver('panel', { type: 'undoChanges', id: proposed.id }));
      const undone = await k.changeState(since, 'undone', proposed.id);
      assert.equal(undone.message, `${rel} is back as before.`);
      assert.equal(fs.readFileSync(file.fsPath).equals(before), true, 'the exact bytes: byte-order mark and CRLF');
      await waitFor(
        'the editor to show the text from before, saved',
        () => (doc.getText() === 'export const a = 1;\r\nexport const b = 2;\r\n' && !doc.isDirty) || undefined,
      );
      await vscode.window.tabGroups.close(
        vscode.window.tabGroups.all
          .flatMap((g) => g.tabs)
          .filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.fsPath === file.fsPath),
      );
      fs.unlinkSync(file.fsPath);
    },
  );

  it('Undo removes a file the change created, and asks before overwriting what the user changed since', async () => {
    const rel = 'src/made-by-apply.ts';
    const file = vscode.Uri.file(path.join(k.root, rel));
    const since = k.api.messages.length;
    assert.ok(k.api.deliver('panel', { type: 'applyCode', code: 'export const made = 1;', path: rel, turn: 0 }));
    const proposed = await k.changeState(since, 'reviewing');
    assert.deepEqual(proposed.files[0], {
      path: rel,
      state: 'proposed',
      added: 1,
      removed: 0,
      created: true,
      note: 'creates the file',
    });
    assert.ok(k.api.deliver('panel', { type: 'decideChanges', id: proposed.id, accept: true }));
    await k.changeState(since, 'applied', proposed.id);
    const doc = await vscode.workspace.openTextDocument(file);
    const typed = new vscode.WorkspaceEdit();
    typed.insert(file, new vscode.Position(1, 0), '// mine\n');
    assert.ok(await vscode.workspace.applyEdit(typed));
    const realWarning = vscode.window.showWarningMessage;
    const asked: string[] = [];
    let answer: string | undefined;
    vscode.window.showWarningMessage = async (message: string) => {
      asked.push(message);
      return answer;
    };
    try {
      assert.ok(k.api.deliver('panel', { type: 'undoChanges', id: proposed.id }));
      await waitFor('Undo to ask', () => asked.length === 1 || undefined);
      assert.equal(asked[0], `${rel} changed since DeepSeek's change was applied.`);
      await sleep(300);
      assert.equal(doc.getText(), 'export const made = 1;\n// mine\n', 'not confirmed: nothing undone');
      answer = 'Undo Anyway';
      assert.ok(k.api.deliver('panel', { type: 'undoChanges', id: proposed.id }));
      const undone = await k.changeState(since, 'undone', proposed.id);
      assert.equal(undone.message, `${rel} removed.`);
      await waitFor('the created file to be gone', () => !fs.existsSync(file.fsPath) || undefined);
    } finally {
      vscode.window.showWarningMessage = realWarning;
    }
  });

  it(
    'a change to several files opens in the multi-file diff editor; a file left out stays as it ' +
      'is, the rest is applied in one step and undone in one',
    async () => {
      const [a, b] = ['src/multi-a.ts', 'src/multi-b.ts'].map((rel) => vscode.Uri.file(path.join(k.root, rel)));
      fs.writeFileSync(a!.fsPath, 'export const a = 1;\n');
      fs.writeFileSync(b!.fsPath, 'export const b = 1;\n');
      const updates: ChangeSetSummary[] = [];
      const decided = k.api.review.propose(
        {
          title: 'DeepSeek proposal (e2e)',
          files: [a!, b!].map((uri) => ({
            uri,
            make: (now: string | undefined) => ({ ok: true as const, text: (now ?? '').replace('= 1', '= 2') }),
          })),
        },
        { onUpdate: (s) => updates.push(s) },
      );
      const tab = await waitFor('the multi-file diff editor', () =>
        vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'DeepSeek proposal (e2e) (2 files)'),
      );
      assert.ok(!(tab.input instanceof vscode.TabInputTextDiff), 'not a single diff');
      const id = updates[0]!.id;
      assert.equal(await k.api.review.decide(id, { accept: false, path: 'src/multi-b.ts' }), true);
      assert.deepEqual(
        updates.at(-1)!.files.map((f) => f.state),
        ['proposed', 'rejected'],
      );
      assert.equal(await k.api.review.decide(id, { accept: true }), true);
      const set = await decided;
      assert.equal(set.status, 'applied');
      assert.deepEqual(
        updates.at(-1)!.files.map((f) => [f.path, f.state, f.added, f.removed]),
        [
          ['src/multi-a.ts', 'accepted', 1, 1],
          ['src/multi-b.ts', 'rejected', 1, 1],
        ],
      );
      await waitFor(
        'the multi-file diff to close',
        () => !vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label === tab.label) || undefined,
      );
      assert.equal((await vscode.workspace.openTextDocument(a!)).getText(), 'export const a = 2;\n');
      assert.equal((await vscode.workspace.openTextDocument(b!)).getText(), 'export const b = 1;\n', 'left out');
      assert.equal(await k.api.review.undo(id), true);
      await waitFor(
        'a.ts back on disk',
        () => fs.readFileSync(a!.fsPath, 'utf8') === 'export const a = 1;\n' || undefined,
      );
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.unlinkSync(a!.fsPath);
      fs.unlinkSync(b!.fsPath);
    },
  );

  it('Fix Problems in a file without errors or warnings says so and sends nothing', async () => {
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(k.root, 'src', 'greet.ts')));
    const before = k.server.chatRequests().length;
    await vscode.commands.executeCommand('deepseekRepo.fixProblems');
    assert.equal(k.server.chatRequests().length, before);
  });

  it('Ask About Folder (explorer menu) asks about that folder, with its files sent whole', async () => {
    const realInputBox = vscode.window.showInputBox;
    const prompts: string[] = [];
    vscode.window.showInputBox = async (options?: vscode.InputBoxOptions) => {
      prompts.push(options?.title ?? '');
      return 'What does this folder do?';
    };
    try {
      const { request } = await k.run('deepseekRepo.askFolder', vscode.Uri.file(path.join(k.root, 'src')));
      assert.deepEqual(prompts, ['Ask About src/']);
      assert.match(
        k.lastUser(request),
        /^About the folder `src\/` of the repository above: What does this folder do\?/,
      );
      // The cache plan keeps the earlier repository block and appends what changed, or, once the
      // changes have grown large next to this tiny block, starts a new one: either way the folder's
      // files are all sent whole.
      const sent = JSON.stringify(request.body?.messages.map((m) => m.content));
      for (const file of ['src/main.ts', 'src/staged.ts', 'src/untracked.ts'])
        assert.ok(
          sent.includes(JSON.stringify(fs.readFileSync(path.join(k.root, file), 'utf8')).slice(1, -1)),
          `${file} is sent whole`,
        );
    } finally {
      vscode.window.showInputBox = realInputBox;
    }
  });

  it(
    'a `path:line` reference in an answer opens that file at that line; a path ' +
      'outside the workspace opens nothing',
    async () => {
      // The panel (an editor itself) stays open: it is the webview that asks.
      await vscode.window.showTextDocument(vscode.Uri.file(path.join(k.root, 'README.md')));
      assert.ok(k.api.deliver('panel', { type: 'openFile', path: 'src/greet.ts', line: 2 }), 'the panel is open');
      const editor = await waitFor('src/greet.ts to open', () =>
        vscode.window.activeTextEditor?.document.uri.fsPath === path.join(k.root, 'src', 'greet.ts')
          ? vscode.window.activeTextEditor
          : undefined,
      );
      assert.equal(editor.selection.active.line, 1, 'at line 2');
      const outside = path.relative(k.root, '/etc/hostname');
      assert.ok(k.api.deliver('panel', { type: 'openFile', path: outside, line: 1 }));
      await new Promise((r) => setTimeout(r, 500));
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.fsPath === '/etc/hostname'), `${outside} was opened`);
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, path.join(k.root, 'src', 'greet.ts'));
    },
  );

  it('Explain File sends the file as the editor shows it, unsaved edits included, and never saves it', async () => {
    const file = path.join(k.root, 'src', 'greet.ts');
    const onDisk = fs.readFileSync(file, 'utf8');
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file));
    assert.ok(await editor.edit((b) => b.insert(new vscode.Position(0, 0), '// E2E_UNSAVED_EDIT\n')));
    assert.equal(editor.document.isDirty, true);
    try {
      const { request, question } = await k.run('deepseekRepo.explainFile');
      assert.match(question, /src\/greet\.ts/);
      const sent = request.body?.messages.map((m) => m.content ?? '').join('\n') ?? '';
      assert.match(sent, /<file path="src\/greet\.ts">\n\/\/ E2E_UNSAVED_EDIT\n/, 'the unsaved text is what is sent');
      assert.equal(fs.readFileSync(file, 'utf8'), onDisk, 'the file on disk is untouched');
      assert.equal(editor.document.isDirty, true, 'and the editor is still unsaved');
    } finally {
      await vscode.window.showTextDocument(editor.document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    assert.equal(editor.document.getText(), onDisk);
  });
}
