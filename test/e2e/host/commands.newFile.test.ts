// Editor commands, third part: the light bulb's Fix with DeepSeek, Apply to a path that does not exist, and
// Apply without a target file.
// Registered in order by commands.test.ts: the parts share one workspace, whose state each part leaves
// to the next.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor, withUserSetting } from './harness';
import { proposalDiffs, type CommandsKit } from './commandsKit';

/** Registers this part's tests in the calling describe block. */
export function newFileCommands(k: CommandsKit): void {
  it('the light bulb offers Fix with DeepSeek on the problem under the cursor and sends that one only', async () => {
    const file = vscode.Uri.file(path.join(k.root, 'src', 'main.ts'));
    k.setTwoProblems(file);
    k.server.setScenario(() => ({
      steps: [
        { kind: 'content', text: 'Rename it back.' },
        { kind: 'finish', reason: 'stop' },
        { kind: 'usage' },
        { kind: 'done' },
      ],
    }));
    await vscode.window.showTextDocument(file);
    const ours = async (range: vscode.Range) =>
      (
        (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', file, range)) ??
        []
      ).filter((a) => a.title.includes('DeepSeek'));
    assert.deepEqual(await ours(new vscode.Range(1, 0, 1, 0)), [], 'nothing offered where there is no problem');
    const [fix, ...more] = await ours(new vscode.Range(2, 14, 2, 14));
    assert.ok(fix && more.length === 0, 'one action on the error');
    assert.equal(fix.title, 'Fix with DeepSeek');
    assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
    const { request } = await k.run(fix.command!.command, ...((fix.command!.arguments ?? []) as unknown[]));
    k.server.setScenario(undefined);
    k.diagnostics.delete(file);
    const task = k.lastUser(request);
    assert.match(task, /- src\/main\.ts:3:13-3:18 error \[e2e-lint X1\]: Cannot find name 'greet2'\./);
    assert.ok(!task.includes('Unused import'), 'the warning elsewhere in the file is not part of this fix');
  });

  it(
    'Apply to a path that does not exist shows a new file against a read-only ' + 'empty side, and Accept creates it',
    async () => {
      // VS Code for the Web's auto save saves the new file (pinned off for the other tests: on here).
      await withUserSetting('files', 'autoSave', 'afterDelay', async () => {
        const rel = 'src/brand-new.ts';
        const file = vscode.Uri.file(path.join(k.root, rel));
        assert.equal(fs.existsSync(file.fsPath), false);
        await vscode.window.tabGroups.close(proposalDiffs());
        assert.ok(
          k.api.deliver('panel', { type: 'applyCode', code: 'export const fresh = 1;', path: rel, language: 'ts' }),
        );
        const tab = await waitFor('the proposal diff to open', () => proposalDiffs()[0]);
        assert.match(tab.label, /\(new file\)/);
        const input = tab.input as vscode.TabInputTextDiff;
        assert.equal(
          (await vscode.workspace.fs.stat(input.original)).permissions,
          vscode.FilePermission.Readonly,
          'the empty side is read-only (VS Code shows it so)',
        );
        assert.equal(
          (await vscode.workspace.fs.stat(input.modified)).permissions,
          undefined,
          'the proposal is writable',
        );
        assert.equal(await vscode.commands.executeCommand('deepseekRepo.acceptProposal', input.modified), true);
        const doc = await waitFor('the new file, holding the proposal', () =>
          vscode.workspace.textDocuments.find(
            (d) => d.uri.fsPath === file.fsPath && d.getText() === 'export const fresh = 1;\n',
          ),
        );
        await waitFor('the diff to close', () => proposalDiffs().length === 0 || undefined);
        // VS Code for the Web saves it (files.autoSave afterDelay, see above); then it goes again.
        await waitFor(
          'the new file on disk',
          () => (fs.existsSync(file.fsPath) && fs.readFileSync(file.fsPath, 'utf8') === doc.getText()) || undefined,
        );
        await vscode.window.tabGroups.close(
          vscode.window.tabGroups.all
            .flatMap((g) => g.tabs)
            .filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.fsPath === file.fsPath),
        );
        await vscode.workspace.fs.delete(file);
      });
    },
  );

  it(
    'Apply without a target file merges a snippet into the file picked (an insertion, every line kept); ' +
      'replacing the whole file is a choice of its own that says so',
    async () => {
      const file = vscode.Uri.file(path.join(k.root, 'src', 'greet.ts'));
      const original = fs.readFileSync(file.fsPath, 'utf8');
      const snippet = 'export function shout(name: string): string {\n  return greet(name).toUpperCase();\n}';
      await vscode.window.tabGroups.close(proposalDiffs());
      await vscode.window.showTextDocument(file);
      const realPick = vscode.window.showQuickPick;
      let offered: vscode.QuickPickItem[] = [];
      const choose = (which: (items: vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined) =>
        (vscode.window.showQuickPick = (async (items: readonly vscode.QuickPickItem[]) => {
          offered = [...items];
          return which(offered);
        }) as unknown as typeof vscode.window.showQuickPick);
      try {
        choose((items) => items[0]);
        assert.ok(k.api.deliver('panel', { type: 'applyCode', code: snippet, language: 'ts' }));
        const tab = await waitFor('the proposal diff to open', () => proposalDiffs()[0]);
        assert.deepEqual(
          [offered[0]?.label, offered[0]?.description, offered[0]?.detail],
          ['src/greet.ts', 'current editor', 'adds `shout` at the end'],
          'the first choice says what Apply does to the file',
        );
        assert.match(tab.label, /greet\.ts ↔ DeepSeek proposal \(adds `shout` at the end\)/);
        const right = await vscode.workspace.openTextDocument((tab.input as vscode.TabInputTextDiff).modified);
        assert.equal(right.getText(), `${original}\n${snippet}\n`, 'the file as it is, the function added after it');
        assert.equal(await vscode.commands.executeCommand('deepseekRepo.rejectProposal', right.uri), true);
        await waitFor('the diff to close', () => proposalDiffs().length === 0 || undefined);

        // Replacing the whole file is offered last, apart, and named for what it does.
        const all = offered.at(-1)!;
        assert.match(all.label, /Replace all of src\/greet\.ts with the block/);
        assert.match(
          all.detail ?? '',
          /replaces the whole file: its \d+ lines become these 3: the rest of the file is deleted/,
        );
        choose((items) => items.at(-1));
        assert.ok(k.api.deliver('panel', { type: 'applyCode', code: snippet, language: 'ts' }));
        const whole = await waitFor('the whole-file diff to open', () => proposalDiffs()[0]);
        assert.match(whole.label, /\(replaces the whole file: its \d+ lines become these 3\)/);
        assert.equal(
          await vscode.commands.executeCommand(
            'deepseekRepo.rejectProposal',
            (whole.input as vscode.TabInputTextDiff).modified,
          ),
          true,
        );
        await waitFor('the diff to close', () => proposalDiffs().length === 0 || undefined);
        assert.equal(fs.readFileSync(file.fsPath, 'utf8'), original, 'rejected: nothing written');
      } finally {
        vscode.window.showQuickPick = realPick;
      }
    },
  );
}
