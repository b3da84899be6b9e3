// The shared setup of the editor command tests: one workspace made a git repository from the fixture, the
// fake DeepSeek server, a fake linter's diagnostics, and the helpers that run a command and read what it
// sent. The test files of commands.test.ts run in order against this one state.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FakeServer, RecordedRequest } from '../../fake-server/server';
import type { TestingApi } from '../../../src/ui/testHooks';
import type { ChangeSetSummary } from '../../../src/protocol/messages';
import { API_KEY, conversation, fakeDeepSeek, testingApi, waitFor, workspaceFolder } from './harness';

interface GitRepo {
  rootUri: vscode.Uri;
  inputBox: { value: string };
  state: { indexChanges: unknown[]; workingTreeChanges: unknown[]; HEAD?: { name?: string } };
  status(): Promise<void>;
}

export const FIX = 'export function greet(name: string): string {\n  return `Hello, ${name}!`;\n}\n';

/** The state and helpers the editor command tests share (set up before the first, torn down after the last). */
export interface CommandsKit {
  readonly api: TestingApi;
  readonly server: FakeServer;
  /** The workspace folder, a git repository of the fixture. */
  readonly root: string;
  readonly diagnostics: vscode.DiagnosticCollection;
  git(...args: string[]): string;
  run(command: string, ...args: unknown[]): Promise<{ request: RecordedRequest; answer: string; question: string }>;
  saveNow(doc: vscode.TextDocument): Promise<void>;
  prefix(r: RecordedRequest): string;
  lastUser(r: RecordedRequest): string;
  gitRepository(): Promise<GitRepo>;
  setTwoProblems(file: vscode.Uri): void;
  changesSince(since: number): ChangeSetSummary[];
  changeState(since: number, status: string, id?: string): Promise<ChangeSetSummary>;
}

/** Registers the calling describe block's before and after hooks; returns the state they set up. */
export function commandsKit(): CommandsKit {
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
  return {
    get api() {
      return api;
    },
    get server() {
      return server;
    },
    get root() {
      return root;
    },
    get diagnostics() {
      return diagnostics;
    },
    git,
    run,
    saveNow,
    prefix,
    lastUser,
    gitRepository,
    setTwoProblems,
    changesSince,
    changeState,
  };
}

/** The open diff tabs of DeepSeek proposals (a review's diff, titled "… ↔ DeepSeek proposal"). */
export function proposalDiffs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputTextDiff && t.label.includes('DeepSeek proposal'));
}
