// The editor commands in the real extension host, against the fake DeepSeek server: what each sends
// (the repository block first and byte-identical from one command to the next, even after a file
// changed; the task-specific context last), on which model, what the panel shows, how a `path:line`
// reference in an answer opens the editor, and how they degrade (no selection, nothing staged). Git
// runs for real on a repository made from the fixture.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FakeServer, RecordedRequest } from '../../fake-server/server';
import type { TestingApi } from '../../../src/ui/testHooks';
import type { ChangeSetSummary } from '../../../src/protocol/messages';
import { baseCandidates, type GitRepository } from '../../../src/ui/git';
import {
  API_KEY,
  conversation,
  fakeDeepSeek,
  sleep,
  testingApi,
  waitFor,
  withUserSetting,
  workspaceFolder,
} from './harness';

interface GitRepo {
  rootUri: vscode.Uri;
  inputBox: { value: string };
  state: { indexChanges: unknown[]; workingTreeChanges: unknown[]; HEAD?: { name?: string } };
  status(): Promise<void>;
}

const FIX = 'export function greet(name: string): string {\n  return `Hello, ${name}!`;\n}\n';

describe('editor commands', () => {
  let api: TestingApi;
  let server: FakeServer;
  let root: string;
  let diagnostics: vscode.DiagnosticCollection;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' });

  /** Runs a command and waits for its turn in the panel; returns the request it sent and the panel's text. */
  async function run(
    command: string,
    ...args: unknown[]
  ): Promise<{ request: RecordedRequest; answer: string; question: string }> {
    const since = api.messages.length;
    const before = server.chatRequests().length;
    const panel = conversation(api, 'panel', since);
    await vscode.commands.executeCommand(command, ...args);
    // Each command is a new conversation in the panel: its first turn.
    const turn = await waitFor(`${command} to finish in the panel`, () => {
      const t = panel.shown().turns[0];
      return t?.outcome ? t : undefined;
    });
    assert.equal(turn.outcome, 'complete', turn.message);
    // A cache warm-up (max_tokens 1, ending at the repository block) may go first; one request answers.
    const sent = server
      .chatRequests()
      .slice(before)
      .filter((r) => r.body?.max_tokens !== 1);
    assert.equal(sent.length, 1, `${command} sent ${sent.length} answering requests`);
    return { request: sent[0]!, answer: turn.answer, question: turn.question };
  }

  /**
   * Saves `doc` and waits until its text is on disk: an auto save may have saved it first, and then
   * `save()` says false although all is well.
   */
  async function saveNow(doc: vscode.TextDocument): Promise<void> {
    await doc.save();
    await waitFor(
      `${path.basename(doc.fileName)} to be saved`,
      () =>
        (!doc.isDirty && fs.readFileSync(doc.uri.fsPath, 'utf8').replace(/^\uFEFF/, '') === doc.getText()) || undefined,
    );
  }

  /** The repository block: the system prompt and the first user message. */
  const prefix = (r: RecordedRequest) => JSON.stringify(r.body?.messages.slice(0, 2));
  const lastUser = (r: RecordedRequest) => r.body?.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';

  async function gitRepository(): Promise<GitRepo> {
    const ext = vscode.extensions.getExtension<{ getAPI(v: 1): { repositories: GitRepo[] } }>('vscode.git');
    assert.ok(ext, 'the built-in git extension is missing');
    const gitApi = (ext.isActive ? ext.exports : await ext.activate()).getAPI(1);
    await vscode.commands.executeCommand('git.openRepository', root);
    return waitFor('the git extension to open the fixture repository', () =>
      gitApi.repositories.find((r) => r.rootUri.fsPath === root),
    );
  }

  /** An error at `greet2` (line 3) and a warning on line 1 of `file`, from a fake linter. */
  const setTwoProblems = (file: vscode.Uri) =>
    diagnostics.set(file, [
      Object.assign(
        new vscode.Diagnostic(
          new vscode.Range(2, 12, 2, 17),
          "Cannot find name 'greet2'.",
          vscode.DiagnosticSeverity.Error,
        ),
        { source: 'e2e-lint', code: 'X1' },
      ),
      new vscode.Diagnostic(new vscode.Range(0, 0, 0, 6), 'Unused import.', vscode.DiagnosticSeverity.Warning),
    ]);

  before(async () => {
    api = await testingApi();
    server = await fakeDeepSeek();
    await api.setApiKey(API_KEY);
    root = workspaceFolder();
    git('init', '-q', '-b', 'main');
    git('-c', 'user.name=E2E', '-c', 'user.email=e2e@example.invalid', 'add', '-A');
    git('-c', 'user.name=E2E', '-c', 'user.email=e2e@example.invalid', 'commit', '-q', '-m', 'Add the greeting');
    diagnostics = vscode.languages.createDiagnosticCollection('e2e-lint');
  });
  after(async () => {
    diagnostics.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await server.close();
  });

  let explained: RecordedRequest;

  it(
    'Explain Selection sends the selected lines, numbered, last; on the fast ' +
      'model; the answer streams into the panel',
    async () => {
      const doc = await vscode.workspace.openTextDocument(path.join(root, 'src', 'greet.ts'));
      const editor = await vscode.window.showTextDocument(doc);
      editor.selection = new vscode.Selection(1, 0, 3, 1);
      const { request, answer, question } = await run('deepseekRepo.explainSelection');
      explained = request;
      assert.equal(request.body?.model, 'deepseek-flash', 'explain runs on the fast model by default');
      const told = api.messages
        .filter((m) => m.surface === 'panel' && m.direction === 'toWebview')
        .map((m) => m.message as { type: string; config?: { model: string } })
        .filter((m) => m.type === 'init' || m.type === 'config');
      assert.equal(told.at(-1)?.config?.model, 'deepseek-flash', "the panel's picker shows the model that answers");
      const task = lastUser(request);
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
      const reading = api.messages.filter((m) => m.surface === 'panel' && m.direction === 'toWebview').at(-1)!.webview;
      const since = api.messages.length;
      const { question } = await run('deepseekRepo.explainFile', vscode.Uri.file(path.join(root, 'src', 'greet.ts')));
      assert.match(question, /src\/greet\.ts/);
      assert.equal(panels().length, before + 1, 'a new tab');
      const told = api.messages.slice(since).filter((m) => m.webview === reading && m.direction === 'toWebview');
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
    const before = server.chatRequests().length;
    await vscode.commands.executeCommand('deepseekRepo.explainSelection');
    assert.equal(server.chatRequests().length, before);
  });

  it(
    'Review Uncommitted Changes sends staged, unstaged and untracked ' + 'changes after the same repository block',
    async () => {
      fs.writeFileSync(
        path.join(root, 'src', 'greet.ts'),
        fs.readFileSync(path.join(root, 'src', 'greet.ts'), 'utf8').replace('Hello', 'Howdy'),
      );
      fs.writeFileSync(path.join(root, 'src', 'staged.ts'), 'export const staged = 1;\n');
      git('add', 'src/staged.ts');
      fs.writeFileSync(path.join(root, 'src', 'untracked.ts'), 'export const untracked = 1;\n');
      await gitRepository();
      const { request } = await run('deepseekRepo.reviewChanges');
      assert.equal(request.body?.model, 'deepseek-v4-pro', 'review runs on pro by default');
      const task = lastUser(request);
      assert.match(task, /Staged changes:[\s\S]*\+export const staged = 1;/);
      assert.match(task, /Unstaged changes:[\s\S]*-\s+return `Hello[\s\S]*\+\s+return `Howdy/);
      assert.match(task, /`src\/untracked\.ts`/);
      assert.match(task, /`path:line` — severity/);
      assert.equal(
        prefix(request),
        prefix(explained),
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
    const repo = await gitRepository();
    const { request, answer } = await run('deepseekRepo.writeCommitMessage');
    const task = lastUser(request);
    assert.match(task, /\+export const staged = 1;/);
    assert.ok(!task.includes('Howdy'), 'unstaged changes are not part of a commit message');
    assert.match(task, /- Add the greeting/, 'the recent commit subjects are given as style examples');
    assert.equal(repo.inputBox.value, answer.trim());
  });

  it(
    'Review Branch Changes reviews what the branch committed since it left ' + 'its base, not the uncommitted changes',
    async () => {
      const repo = await gitRepository();
      const id = ['-c', 'user.name=E2E', '-c', 'user.email=e2e@example.invalid'];
      // the staged and unstaged changes of the tests above come along, uncommitted
      git('checkout', '-q', '-b', 'e2e-feature');
      fs.writeFileSync(path.join(root, 'src', 'feature.ts'), 'export const feature = 42;\n');
      git('add', 'src/feature.ts');
      git(...id, 'commit', '-q', '-m', 'Add the feature flag', '--', 'src/feature.ts');
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
        const { request } = await run('deepseekRepo.reviewBranch', undefined, 'main');
        assert.equal(request.body?.model, 'deepseek-v4-pro');
        const task = lastUser(request);
        assert.match(task, /branch `e2e-feature` since it left `main`/);
        assert.match(task, /- Add the feature flag/);
        assert.match(task, /\+export const feature = 42;/);
        assert.ok(
          !task.includes('staged = 1') && !task.includes('Howdy'),
          'uncommitted changes are not part of a branch review',
        );
      } finally {
        git('checkout', '-q', 'main');
        git('branch', '-q', '-D', 'e2e-feature');
      }
    },
  );

  it('Fix Problems sends every diagnostic with its range; edits go only through the Apply diff', async () => {
    const file = vscode.Uri.file(path.join(root, 'src', 'main.ts'));
    setTwoProblems(file);
    server.setScenario(() => ({
      steps: [
        { kind: 'content', text: 'Rename it back.\n\n```ts path=src/main.ts\n' + FIX + '```\n' },
        { kind: 'finish', reason: 'stop' },
        { kind: 'usage' },
        { kind: 'done' },
      ],
    }));
    await vscode.window.showTextDocument(file);
    const original = fs.readFileSync(file.fsPath, 'utf8');
    const { request } = await run('deepseekRepo.fixProblems');
    server.setScenario(undefined);
    const task = lastUser(request);
    assert.match(task, /- src\/main\.ts:1:1-1:7 warning: Unused import\./);
    assert.match(task, /- src\/main\.ts:3:13-3:18 error \[e2e-lint X1\]: Cannot find name 'greet2'\./);
    assert.equal(fs.readFileSync(file.fsPath, 'utf8'), original, 'the answer alone changes nothing');
    // The panel's Apply button on that code block: a diff opens, and the file is still untouched.
    assert.ok(api.deliver('panel', { type: 'applyCode', code: FIX, path: 'src/main.ts', language: 'ts' }));
    await waitFor('the proposal diff to open', () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputTextDiff && t.label.includes('DeepSeek proposal')),
    );
    assert.equal(
      fs.readFileSync(file.fsPath, 'utf8'),
      original,
      'Apply shows a diff first; nothing is written until the user accepts',
    );
    assert.equal(vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file.fsPath)?.isDirty ?? false, false);
  });

  it(
    'Apply on SEARCH/REPLACE edits changes only the lines they name; an edit ' + 'that does not match applies nothing',
    async () => {
      const file = vscode.Uri.file(path.join(root, 'src', 'main.ts'));
      const original = fs.readFileSync(file.fsPath, 'utf8');
      const line = "console.log(greet(process.argv[2] ?? 'world'));";
      assert.ok(original.includes(line), original);
      const edits = (search: string) =>
        `<<<<<<< SEARCH\n${search}\n=======\nconsole.log(greet(process.argv[2] ?? 'you'));\n>>>>>>> REPLACE\n`;
      const expected = original.replace(line, "console.log(greet(process.argv[2] ?? 'you'));");
      const diffs = () =>
        vscode.window.tabGroups.all
          .flatMap((g) => g.tabs)
          .filter((t) => t.input instanceof vscode.TabInputTextDiff && t.label.includes('DeepSeek proposal'));
      await vscode.window.tabGroups.close(diffs()); // the last test's; the panel stays open
      // Accepting edits the buffer and leaves saving to VS Code's files.autoSave: off here, so nothing is saved.
      const files = vscode.workspace.getConfiguration('files');
      const pinned = files.inspect('autoSave')?.globalValue; // the run's (test/e2e/shared/userSettings.ts)
      await files.update('autoSave', 'off', vscode.ConfigurationTarget.Global);
      const propose = async (code: string) => {
        assert.ok(api.deliver('panel', { type: 'applyCode', code, path: 'src/main.ts', language: 'ts' }));
        return (await waitFor('the proposal diff to open', () => diffs()[0])).input as vscode.TabInputTextDiff;
      };
      const shown = await propose(edits(line));
      assert.equal(
        (await vscode.workspace.openTextDocument(shown.modified)).getText(),
        expected,
        'the diff shows the file with the one line replaced',
      );
      await vscode.window.tabGroups.close(diffs());
      assert.equal(fs.readFileSync(file.fsPath, 'utf8'), original, 'closed undecided: untouched');

      assert.ok(
        await vscode.commands.executeCommand('deepseekRepo.acceptProposal', (await propose(edits(line))).modified),
      );
      const doc = await waitFor('the accepted edit in the editor', () =>
        vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.toString() && d.getText() === expected),
      );

      // The line is gone now: an edit searching for it opens no diff and changes nothing.
      await waitFor('the diff to close', () => diffs().length === 0 || undefined);
      assert.ok(api.deliver('panel', { type: 'applyCode', code: edits(line), path: 'src/main.ts', language: 'ts' }));
      await sleep(1_000);
      assert.deepEqual([diffs().length, doc.getText()], [0, expected]);
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
      await saveNow(doc);
      assert.equal(fs.readFileSync(file.fsPath, 'utf8'), original);
    },
  );

  it(
    "the diff's title-bar Accept applies the proposal and closes the diff; Reject, or " +
      'closing the diff, leaves the file untouched',
    async () => {
      // About VS Code for the Web's auto save (pinned off for the other tests): on here, as its users have it.
      await withUserSetting('files', 'autoSave', 'afterDelay', async () => {
        const file = vscode.Uri.file(path.join(root, 'src', 'greet.ts'));
        const original = fs.readFileSync(file.fsPath, 'utf8');
        const line = original.split('\n').find((l) => l.includes('return'))!;
        const code = `<<<<<<< SEARCH\n${line}\n=======\n${line.replace('Hello', 'Hi')}\n>>>>>>> REPLACE\n`;
        const expected = original.replace(line, line.replace('Hello', 'Hi'));
        const diffs = () =>
          vscode.window.tabGroups.all
            .flatMap((g) => g.tabs)
            .filter((t) => t.input instanceof vscode.TabInputTextDiff && t.label.includes('DeepSeek proposal'));
        await vscode.window.tabGroups.close(diffs());
        const propose = async () => {
          assert.ok(api.deliver('panel', { type: 'applyCode', code, path: 'src/greet.ts', language: 'ts' }));
          const tab = await waitFor('the proposal diff to open', () => diffs()[0]);
          assert.equal(tab.isPreview, false, 'opening another file does not replace it');
          return (tab.input as vscode.TabInputTextDiff).modified;
        };
        // Rejected from the title bar (the command without an argument decides the active diff's proposal).
        await propose();
        assert.equal(await vscode.commands.executeCommand('deepseekRepo.rejectProposal'), true);
        await waitFor('the diff to close', () => diffs().length === 0 || undefined);
        // Closed without a decision.
        await propose();
        await vscode.window.tabGroups.close(diffs());
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
        await waitFor('the diff to close', () => diffs().length === 0 || undefined);
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
        await saveNow(doc);
      });
    },
  );

  it(
    'the proposal can be edited in the diff: Accept applies the right side as left, ' +
      'but not onto a file that changed meanwhile',
    async () => {
      const file = vscode.Uri.file(path.join(root, 'src', 'greet.ts'));
      const original = fs.readFileSync(file.fsPath, 'utf8');
      const lines = original.split('\n');
      const shout = lines[2]!.replace('Hello', 'HELLO');
      const code =
        `<<<<<<< SEARCH\n${lines[0]}\n=======\n// rewritten by the model\n>>>>>>> REPLACE\n<<<<<<< ` +
        `SEARCH\n${lines[2]}\n=======\n${shout}\n>>>>>>> REPLACE\n`;
      const diffs = () =>
        vscode.window.tabGroups.all
          .flatMap((g) => g.tabs)
          .filter((t) => t.input instanceof vscode.TabInputTextDiff && t.label.includes('DeepSeek proposal'));
      await vscode.window.tabGroups.close(diffs());
      const propose = async () => {
        assert.ok(api.deliver('panel', { type: 'applyCode', code, path: 'src/greet.ts', language: 'ts' }));
        const right = await vscode.workspace.openTextDocument(
          ((await waitFor('the proposal diff to open', () => diffs()[0])).input as vscode.TabInputTextDiff).modified,
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
        await saveNow(doc);
      };
      // The user takes back the first change on the right side (as the diff's revert arrow does) and adds a line.
      let right = await propose();
      const mine = new vscode.WorkspaceEdit();
      mine.replace(right.uri, right.lineAt(0).range, lines[0]!);
      mine.insert(right.uri, right.lineAt(3).range.end, '\n// my own line');
      assert.ok(await vscode.workspace.applyEdit(mine), 'the proposal is writable');
      assert.equal(await vscode.commands.executeCommand('deepseekRepo.acceptProposal', right.uri), true);
      const expected = original.replace(lines[2]!, shout).replace('}\n', '}\n// my own line\n');
      const doc = await waitFor('the right side as the user left it, in the buffer', () =>
        vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.toString() && d.getText() === expected),
      );
      await waitFor('the diff to close (its unsaved changes asked nothing)', () => diffs().length === 0 || undefined);
      // A save landing after the decision (files.autoSave) still finds the proposal: a failed save would make VS Code
      // reopen it as a dirty editor.
      const late = new vscode.WorkspaceEdit();
      late.insert(right.uri, new vscode.Position(0, 0), '// a late save\n');
      assert.ok(await vscode.workspace.applyEdit(late));
      assert.equal(await right.save(), true, 'saved');
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
      await waitFor('the diff to close', () => diffs().length === 0 || undefined);
      await sleep(300);
      assert.equal(doc.getText(), `// typed meanwhile\n${original}`, 'nothing applied');
      await restore(doc);
    },
  );

  it('the light bulb offers Fix with DeepSeek on the problem under the cursor and sends that one only', async () => {
    const file = vscode.Uri.file(path.join(root, 'src', 'main.ts'));
    setTwoProblems(file);
    server.setScenario(() => ({
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
    const { request } = await run(fix.command!.command, ...((fix.command!.arguments ?? []) as unknown[]));
    server.setScenario(undefined);
    diagnostics.delete(file);
    const task = lastUser(request);
    assert.match(task, /- src\/main\.ts:3:13-3:18 error \[e2e-lint X1\]: Cannot find name 'greet2'\./);
    assert.ok(!task.includes('Unused import'), 'the warning elsewhere in the file is not part of this fix');
  });

  it(
    'Apply to a path that does not exist shows a new file against a read-only ' + 'empty side, and Accept creates it',
    async () => {
      // VS Code for the Web's auto save saves the new file (pinned off for the other tests: on here).
      await withUserSetting('files', 'autoSave', 'afterDelay', async () => {
        const rel = 'src/brand-new.ts';
        const file = vscode.Uri.file(path.join(root, rel));
        assert.equal(fs.existsSync(file.fsPath), false);
        const diffs = () =>
          vscode.window.tabGroups.all
            .flatMap((g) => g.tabs)
            .filter((t) => t.input instanceof vscode.TabInputTextDiff && t.label.includes('DeepSeek proposal'));
        await vscode.window.tabGroups.close(diffs());
        assert.ok(
          api.deliver('panel', { type: 'applyCode', code: 'export const fresh = 1;', path: rel, language: 'ts' }),
        );
        const tab = await waitFor('the proposal diff to open', () => diffs()[0]);
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
        await waitFor('the diff to close', () => diffs().length === 0 || undefined);
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
      const file = vscode.Uri.file(path.join(root, 'src', 'greet.ts'));
      const original = fs.readFileSync(file.fsPath, 'utf8');
      const snippet = 'export function shout(name: string): string {\n  return greet(name).toUpperCase();\n}';
      const diffs = () =>
        vscode.window.tabGroups.all
          .flatMap((g) => g.tabs)
          .filter((t) => t.input instanceof vscode.TabInputTextDiff && t.label.includes('DeepSeek proposal'));
      await vscode.window.tabGroups.close(diffs());
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
        assert.ok(api.deliver('panel', { type: 'applyCode', code: snippet, language: 'ts' }));
        const tab = await waitFor('the proposal diff to open', () => diffs()[0]);
        assert.deepEqual(
          [offered[0]?.label, offered[0]?.description, offered[0]?.detail],
          ['src/greet.ts', 'current editor', 'adds `shout` at the end'],
          'the first choice says what Apply does to the file',
        );
        assert.match(tab.label, /greet\.ts ↔ DeepSeek proposal \(adds `shout` at the end\)/);
        const right = await vscode.workspace.openTextDocument((tab.input as vscode.TabInputTextDiff).modified);
        assert.equal(right.getText(), `${original}\n${snippet}\n`, 'the file as it is, the function added after it');
        assert.equal(await vscode.commands.executeCommand('deepseekRepo.rejectProposal', right.uri), true);
        await waitFor('the diff to close', () => diffs().length === 0 || undefined);

        // Replacing the whole file is offered last, apart, and named for what it does.
        const all = offered.at(-1)!;
        assert.match(all.label, /Replace all of src\/greet\.ts with the block/);
        assert.match(
          all.detail ?? '',
          /replaces the whole file: its \d+ lines become these 3: the rest of the file is deleted/,
        );
        choose((items) => items.at(-1));
        assert.ok(api.deliver('panel', { type: 'applyCode', code: snippet, language: 'ts' }));
        const whole = await waitFor('the whole-file diff to open', () => diffs()[0]);
        assert.match(whole.label, /\(replaces the whole file: its \d+ lines become these 3\)/);
        assert.equal(
          await vscode.commands.executeCommand(
            'deepseekRepo.rejectProposal',
            (whole.input as vscode.TabInputTextDiff).modified,
          ),
          true,
        );
        await waitFor('the diff to close', () => diffs().length === 0 || undefined);
        assert.equal(fs.readFileSync(file.fsPath, 'utf8'), original, 'rejected: nothing written');
      } finally {
        vscode.window.showQuickPick = realPick;
      }
    },
  );

  /** The change sets the panel was told about since `since`, latest state of each last. */
  const changesSince = (since: number) =>
    conversation(api, 'panel', since)
      .sentOf('changes')
      .map((m) => m.changes as ChangeSetSummary);
  /** Waits for a change set (`id`, or any) to reach `status` in the chat; a busy machine makes a review slow. */
  const changeState = (since: number, status: string, id?: string) =>
    waitFor(
      `a change set ${status} in the chat`,
      () => changesSince(since).find((c) => c.status === status && (id === undefined || c.id === id)),
      45_000,
    );

  it(
    'Apply puts Accept and Reject under the answer; Accept writes the file in one step, the chat ' +
      'says what was applied, and its Undo restores the exact bytes',
    async () => {
      const rel = 'src/crlf-bom.ts';
      const file = vscode.Uri.file(path.join(root, rel));
      const before = Buffer.from('\uFEFFexport const a = 1;\r\nexport const b = 2;\r\n', 'utf8');
      fs.writeFileSync(file.fsPath, before);
      const diffs = () =>
        vscode.window.tabGroups.all
          .flatMap((g) => g.tabs)
          .filter((t) => t.input instanceof vscode.TabInputTextDiff && t.label.includes('DeepSeek proposal'));
      await vscode.window.tabGroups.close(diffs());
      const since = api.messages.length;
      assert.ok(
        api.deliver('panel', { type: 'applyCode', code: 'export const c = 3;\n', path: rel, language: 'ts', turn: 0 }),
      );
      const proposed = await changeState(since, 'reviewing');
      assert.deepEqual(proposed.files, [
        { path: rel, state: 'proposed', added: 2, removed: 0, note: 'adds 1 line at the end' },
      ]);
      await waitFor('the proposal diff to open', () => diffs()[0]);
      assert.equal(fs.readFileSync(file.fsPath).equals(before), true, 'nothing written before Accept');
      // Accept in the chat.
      assert.ok(api.deliver('panel', { type: 'decideChanges', id: proposed.id, accept: true }));
      const applied = await changeState(since, 'applied', proposed.id);
      assert.deepEqual(applied.files, [
        { path: rel, state: 'accepted', added: 2, removed: 0, note: 'adds 1 line at the end' },
      ]);
      await waitFor('the diff to close', () => diffs().length === 0 || undefined);
      const doc = await vscode.workspace.openTextDocument(file);
      assert.equal(doc.getText(), 'export const a = 1;\r\nexport const b = 2;\r\n\r\nexport const c = 3;\r\n');
      // Saved (the suite pins auto save off), then Undo in the chat.
      await saveNow(doc);
      assert.ok(fs.readFileSync(file.fsPath, 'utf8').includes('c = 3'));
      assert.ok(api.deliver('panel', { type: 'undoChanges', id: proposed.id }));
      const undone = await changeState(since, 'undone', proposed.id);
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
    const file = vscode.Uri.file(path.join(root, rel));
    const since = api.messages.length;
    assert.ok(api.deliver('panel', { type: 'applyCode', code: 'export const made = 1;', path: rel, turn: 0 }));
    const proposed = await changeState(since, 'reviewing');
    assert.deepEqual(proposed.files[0], {
      path: rel,
      state: 'proposed',
      added: 1,
      removed: 0,
      created: true,
      note: 'creates the file',
    });
    assert.ok(api.deliver('panel', { type: 'decideChanges', id: proposed.id, accept: true }));
    await changeState(since, 'applied', proposed.id);
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
      assert.ok(api.deliver('panel', { type: 'undoChanges', id: proposed.id }));
      await waitFor('Undo to ask', () => asked.length === 1 || undefined);
      assert.equal(asked[0], `${rel} changed since DeepSeek's change was applied.`);
      await sleep(300);
      assert.equal(doc.getText(), 'export const made = 1;\n// mine\n', 'not confirmed: nothing undone');
      answer = 'Undo Anyway';
      assert.ok(api.deliver('panel', { type: 'undoChanges', id: proposed.id }));
      const undone = await changeState(since, 'undone', proposed.id);
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
      const [a, b] = ['src/multi-a.ts', 'src/multi-b.ts'].map((rel) => vscode.Uri.file(path.join(root, rel)));
      fs.writeFileSync(a!.fsPath, 'export const a = 1;\n');
      fs.writeFileSync(b!.fsPath, 'export const b = 1;\n');
      const updates: ChangeSetSummary[] = [];
      const decided = api.review.propose(
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
      assert.equal(await api.review.decide(id, { accept: false, path: 'src/multi-b.ts' }), true);
      assert.deepEqual(
        updates.at(-1)!.files.map((f) => f.state),
        ['proposed', 'rejected'],
      );
      assert.equal(await api.review.decide(id, { accept: true }), true);
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
      assert.equal(await api.review.undo(id), true);
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
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(root, 'src', 'greet.ts')));
    const before = server.chatRequests().length;
    await vscode.commands.executeCommand('deepseekRepo.fixProblems');
    assert.equal(server.chatRequests().length, before);
  });

  it('Ask About Folder (explorer menu) asks about that folder, with its files sent whole', async () => {
    const realInputBox = vscode.window.showInputBox;
    const prompts: string[] = [];
    vscode.window.showInputBox = async (options?: vscode.InputBoxOptions) => {
      prompts.push(options?.title ?? '');
      return 'What does this folder do?';
    };
    try {
      const { request } = await run('deepseekRepo.askFolder', vscode.Uri.file(path.join(root, 'src')));
      assert.deepEqual(prompts, ['Ask About src/']);
      assert.match(lastUser(request), /^About the folder `src\/` of the repository above: What does this folder do\?/);
      // The cache plan keeps the earlier repository block and appends what changed, or, once the
      // changes have grown large next to this tiny block, starts a new one: either way the folder's
      // files are all sent whole.
      const sent = JSON.stringify(request.body?.messages.map((m) => m.content));
      for (const file of ['src/main.ts', 'src/staged.ts', 'src/untracked.ts'])
        assert.ok(
          sent.includes(JSON.stringify(fs.readFileSync(path.join(root, file), 'utf8')).slice(1, -1)),
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
      await vscode.window.showTextDocument(vscode.Uri.file(path.join(root, 'README.md')));
      assert.ok(api.deliver('panel', { type: 'openFile', path: 'src/greet.ts', line: 2 }), 'the panel is open');
      const editor = await waitFor('src/greet.ts to open', () =>
        vscode.window.activeTextEditor?.document.uri.fsPath === path.join(root, 'src', 'greet.ts')
          ? vscode.window.activeTextEditor
          : undefined,
      );
      assert.equal(editor.selection.active.line, 1, 'at line 2');
      const outside = path.relative(root, '/etc/hostname');
      assert.ok(api.deliver('panel', { type: 'openFile', path: outside, line: 1 }));
      await new Promise((r) => setTimeout(r, 500));
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.fsPath === '/etc/hostname'), `${outside} was opened`);
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, path.join(root, 'src', 'greet.ts'));
    },
  );

  it('Explain File sends the file as the editor shows it, unsaved edits included, and never saves it', async () => {
    const file = path.join(root, 'src', 'greet.ts');
    const onDisk = fs.readFileSync(file, 'utf8');
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file));
    assert.ok(await editor.edit((b) => b.insert(new vscode.Position(0, 0), '// E2E_UNSAVED_EDIT\n')));
    assert.equal(editor.document.isDirty, true);
    try {
      const { request, question } = await run('deepseekRepo.explainFile');
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
});
