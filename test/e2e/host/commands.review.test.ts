// Editor commands, first part: Explain Selection (numbered lines, its own tab), Review Uncommitted and
// Branch Changes, Write Commit Message, and Fix Problems with every diagnostic and its range.
// Registered in order by commands.test.ts: the parts share one workspace, whose state each part leaves
// to the next.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RecordedRequest } from '../../fake-server/server';
import { baseCandidates, type GitRepository } from '../../../src/ui/git';
import { waitFor } from './harness';
import { FIX, proposalDiffs, type CommandsKit } from './commandsKit';

/** Registers this part's tests in the calling describe block. */
export function reviewCommands(k: CommandsKit): void {
  let explained: RecordedRequest;

  it(
    'Explain Selection sends the selected lines, numbered, last; on the fast ' +
      'model; the answer streams into the panel',
    async () => {
      const doc = await vscode.workspace.openTextDocument(path.join(k.root, 'src', 'greet.ts'));
      const editor = await vscode.window.showTextDocument(doc);
      editor.selection = new vscode.Selection(1, 0, 3, 1);
      const { request, answer, question } = await k.run('deepseekRepo.explainSelection');
      explained = request;
      assert.equal(request.body?.model, 'deepseek-flash', 'explain runs on the fast model by default');
      const told = k.api.messages
        .filter((m) => m.surface === 'panel' && m.direction === 'toWebview')
        .map((m) => m.message as { type: string; config?: { model: string } })
        .filter((m) => m.type === 'init' || m.type === 'config');
      assert.equal(told.at(-1)?.config?.model, 'deepseek-flash', "the panel's picker shows the model that answers");
      const task = k.lastUser(request);
      assert.equal(task, question, 'the panel shows exactly what was asked');
      assert.match(task, /^Explain the selected code from src\/greet\.ts:2-4/);
      assert.match(
        task,
        /2\| export function greet\(name: string\): string \{\n3\| {3}return `Hello, \$\{name\}!`;\n4\| \}/,
      );
      assert.match(request.body?.messages[1]?.content ?? '', /E2E_MARKER_GREET/, 'the repository block comes first');
      assert.match(answer, /Answer from the fake server/);
    },
  );

  it(
    'an editor command answers in a tab of its own beside the conversation the ' + 'panel shows, which stays as it was',
    async () => {
      const panels = () =>
        vscode.window.tabGroups.all
          .flatMap((g) => g.tabs)
          .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('deepseekRepo.answer'));
      const before = panels().length;
      // The panel showing the Explain Selection conversation of the test above.
      const reading = k.api.messages
        .filter((m) => m.surface === 'panel' && m.direction === 'toWebview')
        .at(-1)!.webview;
      const since = k.api.messages.length;
      const { question } = await k.run(
        'deepseekRepo.explainFile',
        vscode.Uri.file(path.join(k.root, 'src', 'greet.ts')),
      );
      assert.match(question, /src\/greet\.ts/);
      assert.equal(panels().length, before + 1, 'a new tab');
      const told = k.api.messages.slice(since).filter((m) => m.webview === reading && m.direction === 'toWebview');
      assert.deepEqual(
        told.map((m) => (m.message as { type: string }).type).filter((t) => t === 'replay' || t === 'turnStart'),
        [],
        'the conversation the user was reading was neither cleared nor continued',
      );
    },
  );

  it('Explain Selection without a selection says so and sends nothing', async () => {
    const editor = vscode.window.activeTextEditor!;
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const before = k.server.chatRequests().length;
    await vscode.commands.executeCommand('deepseekRepo.explainSelection');
    assert.equal(k.server.chatRequests().length, before);
  });

  it(
    'Review Uncommitted Changes sends staged, unstaged and untracked ' + 'changes after the same repository block',
    async () => {
      fs.writeFileSync(
        path.join(k.root, 'src', 'greet.ts'),
        fs.readFileSync(path.join(k.root, 'src', 'greet.ts'), 'utf8').replace('Hello', 'Howdy'),
      );
      fs.writeFileSync(path.join(k.root, 'src', 'staged.ts'), 'export const staged = 1;\n');
      k.git('add', 'src/staged.ts');
      fs.writeFileSync(path.join(k.root, 'src', 'untracked.ts'), 'export const untracked = 1;\n');
      await k.gitRepository();
      const { request } = await k.run('deepseekRepo.reviewChanges');
      assert.equal(request.body?.model, 'deepseek-v4-pro', 'review runs on pro by default');
      const task = k.lastUser(request);
      assert.match(task, /Staged changes:[\s\S]*\+export const staged = 1;/);
      assert.match(task, /Unstaged changes:[\s\S]*-\s+return `Hello[\s\S]*\+\s+return `Howdy/);
      assert.match(task, /`src\/untracked\.ts`/);
      assert.match(task, /`path:line` — severity/);
      assert.equal(
        k.prefix(request),
        k.prefix(explained),
        'the repository block is byte-identical to the previous command’s',
      );
      const update = request.body?.messages.find(
        (m) => m.role === 'user' && m.content?.includes('<repository-update>'),
      );
      assert.match(
        update?.content ?? '',
        /Howdy/,
        'the edited file is appended as an update, not rewritten in the prefix',
      );
    },
  );

  it('Write Commit Message describes the staged diff only and fills the Source Control input box', async () => {
    const repo = await k.gitRepository();
    const { request, answer } = await k.run('deepseekRepo.writeCommitMessage');
    const task = k.lastUser(request);
    assert.match(task, /\+export const staged = 1;/);
    assert.ok(!task.includes('Howdy'), 'unstaged changes are not part of a commit message');
    assert.match(task, /- Add the greeting/, 'the recent commit subjects are given as style examples');
    assert.equal(repo.inputBox.value, answer.trim());
  });

  it(
    'Review Branch Changes reviews what the branch committed since it left ' + 'its base, not the uncommitted changes',
    async () => {
      const repo = await k.gitRepository();
      const id = ['-c', 'user.name=E2E', '-c', 'user.email=e2e@example.invalid'];
      // the staged and unstaged changes of the tests above come along, uncommitted
      k.git('checkout', '-q', '-b', 'e2e-feature');
      fs.writeFileSync(path.join(k.root, 'src', 'feature.ts'), 'export const feature = 42;\n');
      k.git('add', 'src/feature.ts');
      k.git(...id, 'commit', '-q', '-m', 'Add the feature flag', '--', 'src/feature.ts');
      try {
        await repo.status();
        await waitFor(
          'the git extension to see the branch',
          () => repo.state.HEAD?.name === 'e2e-feature' || undefined,
        );
        // The base picker offers the likeliest base first and never the branch itself.
        const bases = await baseCandidates(repo as unknown as GitRepository);
        assert.equal(bases[0], 'main');
        assert.ok(!bases.includes('e2e-feature'), bases.join(', '));
        const { request } = await k.run('deepseekRepo.reviewBranch', undefined, 'main');
        assert.equal(request.body?.model, 'deepseek-v4-pro');
        const task = k.lastUser(request);
        assert.match(task, /branch `e2e-feature` since it left `main`/);
        assert.match(task, /- Add the feature flag/);
        assert.match(task, /\+export const feature = 42;/);
        assert.ok(
          !task.includes('staged = 1') && !task.includes('Howdy'),
          'uncommitted changes are not part of a branch review',
        );
      } finally {
        k.git('checkout', '-q', 'main');
        k.git('branch', '-q', '-D', 'e2e-feature');
      }
    },
  );

  it('Fix Problems sends every diagnostic with its range; edits go only through the Apply diff', async () => {
    const file = vscode.Uri.file(path.join(k.root, 'src', 'main.ts'));
    k.setTwoProblems(file);
    k.server.setScenario(() => ({
      steps: [
        { kind: 'content', text: 'Rename it back.\n\n```ts path=src/main.ts\n' + FIX + '```\n' },
        { kind: 'finish', reason: 'stop' },
        { kind: 'usage' },
        { kind: 'done' },
      ],
    }));
    await vscode.window.showTextDocument(file);
    const original = fs.readFileSync(file.fsPath, 'utf8');
    const { request } = await k.run('deepseekRepo.fixProblems');
    k.server.setScenario(undefined);
    const task = k.lastUser(request);
    assert.match(task, /- src\/main\.ts:1:1-1:7 warning: Unused import\./);
    assert.match(task, /- src\/main\.ts:3:13-3:18 error \[e2e-lint X1\]: Cannot find name 'greet2'\./);
    assert.equal(fs.readFileSync(file.fsPath, 'utf8'), original, 'the answer alone changes nothing');
    // The panel's Apply button on that code block: a diff opens, and the file is still untouched.
    assert.ok(k.api.deliver('panel', { type: 'applyCode', code: FIX, path: 'src/main.ts', language: 'ts' }));
    await waitFor('the proposal diff to open', () => proposalDiffs()[0]);
    assert.equal(
      fs.readFileSync(file.fsPath, 'utf8'),
      original,
      'Apply shows a diff first; nothing is written until the user accepts',
    );
    assert.equal(vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file.fsPath)?.isDirty ?? false, false);
  });
}
