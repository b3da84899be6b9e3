// Editor commands, second part: Apply on SEARCH/REPLACE edits, the diff's title-bar Accept and Reject, an
// editable proposal.
// Registered in order by commands.test.ts: the parts share one workspace, whose state each part leaves
// to the next.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { sleep, waitFor, withUserSetting } from './harness';
import { proposalDiffs, type CommandsKit } from './commandsKit';

/** Registers this part's tests in the calling describe block. */
export function applyCommands(k: CommandsKit): void {
  it(
    'Apply on SEARCH/REPLACE edits changes only the lines they name; an edit ' + 'that does not match applies nothing',
    async () => {
      const file = vscode.Uri.file(path.join(k.root, 'src', 'main.ts'));
      const original = fs.readFileSync(file.fsPath, 'utf8');
      const line = "console.log(greet(process.argv[2] ?? 'world'));";
      assert.ok(original.includes(line), original);
      const edits = (search: string) =>
        `<<<<<<< SEARCH\n${search}\n=======\nconsole.log(greet(process.argv[2] ?? 'you'));\n>>>>>>> REPLACE\n`;
      const expected = original.replace(line, "console.log(greet(process.argv[2] ?? 'you'));");
      await vscode.window.tabGroups.close(proposalDiffs()); // the last test's; the panel stays open
      // Accepting edits the buffer and leaves saving to VS Code's files.autoSave: off here, so nothing is saved.
      const files = vscode.workspace.getConfiguration('files');
      const pinned = files.inspect('autoSave')?.globalValue; // the run's (test/e2e/shared/userSettings.ts)
      await files.update('autoSave', 'off', vscode.ConfigurationTarget.Global);
      const propose = async (code: string) => {
        assert.ok(k.api.deliver('panel', { type: 'applyCode', code, path: 'src/main.ts', language: 'ts' }));
        return (await waitFor('the proposal diff to open', () => proposalDiffs()[0])).input as vscode.TabInputTextDiff;
      };
      const shown = await propose(edits(line));
      assert.equal(
        (await vscode.workspace.openTextDocument(shown.modified)).getText(),
        expected,
        'the diff shows the file with the one line replaced',
      );
      await vscode.window.tabGroups.close(proposalDiffs());
      assert.equal(fs.readFileSync(file.fsPath, 'utf8'), original, 'closed undecided: untouched');

      assert.ok(
        await vscode.commands.executeCommand('deepseekRepo.acceptProposal', (await propose(edits(line))).modified),
      );
      const doc = await waitFor('the accepted edit in the editor', () =>
        vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.toString() && d.getText() === expected),
      );

      // The line is gone now: an edit searching for it opens no diff and changes nothing.
      await waitFor('the diff to close', () => proposalDiffs().length === 0 || undefined);
      assert.ok(k.api.deliver('panel', { type: 'applyCode', code: edits(line), path: 'src/main.ts', language: 'ts' }));
      await sleep(1_000);
      assert.deepEqual([proposalDiffs().length, doc.getText()], [0, expected]);
      assert.deepEqual(
        [doc.isDirty, fs.readFileSync(file.fsPath, 'utf8')],
        [true, original],
        'accepted over a second ago and not saved: with files.autoSave off the file stays modified',
      );
      await files.update('autoSave', pinned, vscode.ConfigurationTarget.Global);
      // Back to the file as it was, for the tests after this one.
      const undo = new vscode.WorkspaceEdit();
      undo.replace(file, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
      assert.ok(await vscode.workspace.applyEdit(undo));
      await k.saveNow(doc);
      assert.equal(fs.readFileSync(file.fsPath, 'utf8'), original);
    },
  );

  it(
    "the diff's title-bar Accept applies the proposal and closes the diff; Reject, or " +
      'closing the diff, leaves the file untouched',
    async () => {
      // About VS Code for the Web's auto save (pinned off for the other tests): on here, as its users have it.
      await withUserSetting('files', 'autoSave', 'afterDelay', async () => {
        const file = vscode.Uri.file(path.join(k.root, 'src', 'greet.ts'));
        const original = fs.readFileSync(file.fsPath, 'utf8');
        const line = original.split('\n').find((l) => l.includes('return'))!;
        const code = `<<<<<<< SEARCH\n${line}\n=======\n${line.replace('Hello', 'Hi')}\n>>>>>>> REPLACE\n`;
        const expected = original.replace(line, line.replace('Hello', 'Hi'));
        await vscode.window.tabGroups.close(proposalDiffs());
        const propose = async () => {
          assert.ok(k.api.deliver('panel', { type: 'applyCode', code, path: 'src/greet.ts', language: 'ts' }));
          const tab = await waitFor('the proposal diff to open', () => proposalDiffs()[0]);
          assert.equal(tab.isPreview, false, 'opening another file does not replace it');
          return (tab.input as vscode.TabInputTextDiff).modified;
        };
        // Rejected from the title bar (the command without an argument decides the active diff's proposal).
        await propose();
        assert.equal(await vscode.commands.executeCommand('deepseekRepo.rejectProposal'), true);
        await waitFor('the diff to close', () => proposalDiffs().length === 0 || undefined);
        // Closed without a decision.
        await propose();
        await vscode.window.tabGroups.close(proposalDiffs());
        await sleep(300);
        assert.equal(fs.readFileSync(file.fsPath, 'utf8'), original);
        assert.equal(
          vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.toString())?.getText() ?? original,
          original,
          'nothing applied',
        );
        // Accepted from the title bar (VS Code passes the diff's right side).
        const proposed = await propose();
        assert.equal(await vscode.commands.executeCommand('deepseekRepo.acceptProposal', proposed), true);
        const doc = await waitFor('the accepted edit in the buffer', () =>
          vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.toString() && d.getText() === expected),
        );
        await waitFor('the diff to close', () => proposalDiffs().length === 0 || undefined);
        assert.equal(
          await vscode.commands.executeCommand('deepseekRepo.acceptProposal', proposed),
          false,
          'decided once',
        );
        // With VS Code for the Web's default (files.autoSave afterDelay; desktop VS Code's is off), VS Code saves it.
        assert.equal(vscode.workspace.getConfiguration('files').inspect('autoSave')?.defaultValue, 'afterDelay');
        await waitFor(
          'VS Code to save the accepted edit',
          () => fs.readFileSync(file.fsPath, 'utf8') === expected || undefined,
        );
        const undo = new vscode.WorkspaceEdit();
        undo.replace(file, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
        assert.ok(await vscode.workspace.applyEdit(undo));
        await k.saveNow(doc);
      });
    },
  );

  it(
    'the proposal can be edited in the diff: Accept applies the right side as left, ' +
      'but not onto a file that changed meanwhile',
    async () => {
      const file = vscode.Uri.file(path.join(k.root, 'src', 'greet.ts'));
      const original = fs.readFileSync(file.fsPath, 'utf8');
      const lines = original.split('\n');
      const shout = lines[2]!.replace('Hello', 'HELLO');
      const code =
        `<<<<<<< SEARCH\n${lines[0]}\n=======\n// rewritten by the model\n>>>>>>> REPLACE\n<<<<<<< ` +
        `SEARCH\n${lines[2]}\n=======\n${shout}\n>>>>>>> REPLACE\n`;
      await vscode.window.tabGroups.close(proposalDiffs());
      const propose = async () => {
        assert.ok(k.api.deliver('panel', { type: 'applyCode', code, path: 'src/greet.ts', language: 'ts' }));
        const right = await vscode.workspace.openTextDocument(
          ((await waitFor('the proposal diff to open', () => proposalDiffs()[0])).input as vscode.TabInputTextDiff)
            .modified,
        );
        assert.equal(
          right.getText(),
          original.replace(lines[0]!, '// rewritten by the model').replace(lines[2]!, shout),
        );
        return right;
      };
      const restore = async (doc: vscode.TextDocument) => {
        const undo = new vscode.WorkspaceEdit();
        undo.replace(file, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
        assert.ok(await vscode.workspace.applyEdit(undo));
        await k.saveNow(doc);
      };
      // The user takes back the first change on the right side (as the diff's revert arrow does) and adds a line.
      let right = await propose();
      const mine = new vscode.WorkspaceEdit();
      mine.replace(right.uri, right.lineAt(0).range, lines[0]!);
      mine.insert(right.uri, right.lineAt(3).range.end, '\n// my own line');
      assert.ok(await vscode.workspace.applyEdit(mine), 'the proposal is writable');
      // The proposal is also open in a plain editor beside the diff (where a save can still land after Accept closes
      // the diff): without it, whether a document still holds the proposal then would be up to how soon VS Code
      // closes a document whose last editor went.
      await vscode.window.showTextDocument(right, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
      assert.equal(await vscode.commands.executeCommand('deepseekRepo.acceptProposal', right.uri), true);
      const expected = original.replace(lines[2]!, shout).replace('}\n', '}\n// my own line\n');
      const doc = await waitFor('the right side as the user left it, in the buffer', () =>
        vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.toString() && d.getText() === expected),
      );
      await waitFor(
        'the diff to close (its unsaved changes asked nothing)',
        () => proposalDiffs().length === 0 || undefined,
      );
      // A save landing after the decision (files.autoSave) still finds the proposal: a failed save would make VS Code
      // reopen it as a dirty editor.
      const late = new vscode.WorkspaceEdit();
      late.insert(right.uri, new vscode.Position(0, 0), '// a late save\n');
      assert.ok(await vscode.workspace.applyEdit(late));
      assert.equal(await right.save(), true, 'saved');
      await vscode.window.tabGroups.close(
        vscode.window.tabGroups.all
          .flatMap((g) => g.tabs)
          .filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === right.uri.toString()),
      );
      await restore(doc);

      // Edited, and then the file changes before Accept: the edited proposal is not carried over.
      right = await propose();
      const again = new vscode.WorkspaceEdit();
      again.insert(right.uri, new vscode.Position(0, 0), '// mine\n');
      assert.ok(await vscode.workspace.applyEdit(again));
      const typed = new vscode.WorkspaceEdit();
      typed.insert(file, new vscode.Position(0, 0), '// typed meanwhile\n');
      assert.ok(await vscode.workspace.applyEdit(typed));
      assert.equal(await vscode.commands.executeCommand('deepseekRepo.acceptProposal', right.uri), true);
      await waitFor('the diff to close', () => proposalDiffs().length === 0 || undefined);
      await sleep(300);
      assert.equal(doc.getText(), `// typed meanwhile\n${original}`, 'nothing applied');
      await restore(doc);
    },
  );
}
