// The everyday editor commands (explain, review, fix, tests, folder, where-is, commit message): each
// gathers its task-specific context (selection, diagnostics, git changes, a folder), says clearly what
// is missing when it cannot run, and streams the answer into the panel as a new conversation whose
// repository block is the same cached prefix as every other question. The prompts themselves are
// built in src/chat/tasks.ts.
import * as vscode from 'vscode';
import * as tasks from '../chat/tasks';
import type { TurnRecord } from '../protocol/messages';
import { readSettings } from '../config';
import type { Services } from './chatController';
import { canAsk } from './workspaceGate';
import { packLabel, selectedLines } from './editorFocus';
import {
  baseCandidates,
  branchChanges,
  collectChanges,
  recentSubjects,
  workspaceRepositories,
  type GitRepository,
} from './git';
import { AnswerPanel } from './panel';

export interface TaskContext {
  extensionUri: vscode.Uri;
  services: Services;
}

/** The model a task runs on: the per-command setting, else the task's default (flash or pro). */
export function modelFor(kind: tasks.TaskKind): string {
  const s = readSettings();
  return (s.commandModels[kind] ?? tasks.DEFAULT_TASK_MODELS[kind]) === 'flash' ? s.fastModel : s.model;
}

/** Streams `task` into the panel; resolves with the finished turn. */
async function runInPanel(ctx: TaskContext, task: tasks.TaskPrompt): Promise<TurnRecord | undefined> {
  // In act mode a task that changes code runs as an agent turn that also checks its work.
  if (ctx.services.agentMode?.options() && tasks.VERIFIABLE.has(task.kind)) task = tasks.andVerify(task);
  // A new tab when the panel shows a conversation: a command's answer never discards what is being read.
  const panel = AnswerPanel.show(ctx.extensionUri, ctx.services, { fresh: true });
  panel.setTitle(task.title);
  return panel.controller.runTask(task, modelFor(task.kind));
}

/** Runs `work` under a cancellable progress notification; undefined when the user cancelled. */
async function gathering<T>(title: string, work: () => Promise<T>): Promise<T | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (_p, token) => {
      const cancelled = new Promise<undefined>((resolve) => token.onCancellationRequested(() => resolve(undefined)));
      return Promise.race([work(), cancelled]);
    },
  );
}

function fileEditor(): vscode.TextEditor | undefined {
  const e = vscode.window.activeTextEditor;
  return e && !e.document.isUntitled ? e : undefined;
}

/** The file a command is about: the explorer's selection, else the active editor's file. */
function targetFile(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  return fileEditor()?.document.uri;
}

function selectionSpan(editor: vscode.TextEditor): tasks.CodeSpan {
  const { startLine, endLine } = selectedLines(editor.selection);
  const range = new vscode.Range(startLine - 1, 0, endLine - 1, editor.document.lineAt(endLine - 1).text.length);
  return {
    path: packLabel(editor.document.uri),
    absPath: editor.document.uri.fsPath,
    language: editor.document.languageId,
    startLine,
    endLine,
    text: editor.document.getText(range),
  };
}

/** The editor with a non-empty selection, or undefined after telling the user what to do. */
async function selectionOrExplain(
  what: string,
  alternative?: { label: string; command: string },
): Promise<vscode.TextEditor | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showWarningMessage(`Open a file and select the code ${what} first.`);
    return undefined;
  }
  if (editor.selection.isEmpty) {
    const actions = alternative ? [alternative.label] : [];
    void vscode.window
      .showWarningMessage(`Select the code ${what} first.`, ...actions)
      .then((a) => a && alternative && vscode.commands.executeCommand(alternative.command, editor.document.uri));
    return undefined;
  }
  return editor;
}

async function gitRepositories(command: string): Promise<GitRepository[] | undefined> {
  const repos = await workspaceRepositories();
  if (typeof repos === 'string') {
    void vscode.window.showWarningMessage(`${command} needs git, but ${repos}.`);
    return undefined;
  }
  if (repos.length === 0) {
    void vscode.window
      .showWarningMessage(`${command} needs a git repository, and this workspace has none.`, 'Initialize Repository')
      .then((a) => a && vscode.commands.executeCommand('git.init'));
    return undefined;
  }
  return repos;
}

/**
 * The repository a Source Control title button was pressed on, else the only one (of those `worth` it), else the user's
 * pick.
 */
async function pickRepository(
  repos: GitRepository[],
  arg: unknown,
  title: string,
  worth: (r: GitRepository) => boolean = () => true,
): Promise<GitRepository | undefined> {
  const root = (arg as { rootUri?: vscode.Uri } | undefined)?.rootUri?.fsPath;
  const byArg = root ? repos.find((r) => r.rootUri.fsPath === root) : undefined;
  if (byArg) return byArg;
  const worthy = repos.filter(worth);
  const candidates = worthy.length ? worthy : repos;
  if (candidates.length === 1) return candidates[0];
  const pick = await vscode.window.showQuickPick(
    candidates.map((r) => ({
      label: packLabel(r.rootUri) || r.rootUri.fsPath,
      description: r.state.HEAD?.name ?? '',
      repo: r,
    })),
    { title },
  );
  return pick?.repo;
}

/** Asks which ref the current branch is compared with, the likeliest base first. */
async function pickBase(repo: GitRepository): Promise<string | undefined> {
  const refs = await baseCandidates(repo);
  if (!refs.length)
    return void vscode.window.showWarningMessage(
      'Review Branch Changes: this repository has no other branch to compare with.',
    );
  const pick = await vscode.window.showQuickPick(refs, {
    title: `Review ${repo.state.HEAD?.name ?? 'HEAD'} against which branch?`,
    placeHolder: refs[0],
  });
  return pick;
}

type Handler = (ctx: TaskContext, ...args: unknown[]) => Promise<unknown>;

/** Every task command first checks that the workspace may be asked about (trust, a folder). */
const guarded = (handlers: Record<string, Handler>): Record<string, Handler> =>
  Object.fromEntries(
    Object.entries(handlers).map(([id, h]) => [
      id,
      async (ctx: TaskContext, ...args: unknown[]) => (canAsk() ? h(ctx, ...args) : undefined),
    ]),
  );

export const taskCommands: Record<string, Handler> = guarded({
  'deepseekRepo.explainSelection': async (ctx) => {
    const editor = await selectionOrExplain('to explain', {
      label: 'Explain File',
      command: 'deepseekRepo.explainFile',
    });
    if (editor) await runInPanel(ctx, tasks.explainSelection(selectionSpan(editor)));
  },

  'deepseekRepo.explainFile': async (ctx, arg) => {
    const uri = targetFile(arg);
    if (!uri)
      return void vscode.window.showWarningMessage('Open the file to explain, or use Explain File from the Explorer.');
    await runInPanel(ctx, tasks.explainFile(packLabel(uri), uri.fsPath));
  },

  'deepseekRepo.reviewFile': async (ctx, arg) => {
    const uri = targetFile(arg);
    if (!uri)
      return void vscode.window.showWarningMessage('Open the file to review, or use Review File from the Explorer.');
    await runInPanel(ctx, tasks.reviewFile(packLabel(uri), uri.fsPath));
  },

  'deepseekRepo.reviewChanges': async (ctx) => {
    const repos = await gitRepositories('Review Uncommitted Changes');
    if (!repos) return;
    const gathered = await gathering('DeepSeek: collecting uncommitted changes…', () => collectChanges(repos));
    if (!gathered) return;
    if (!tasks.hasChanges(gathered.changes))
      return void vscode.window.showInformationMessage('There are no uncommitted changes to review.');
    await runInPanel(ctx, tasks.reviewChanges(gathered.changes, gathered.changedFiles));
  },

  // `base`: the ref to compare with (default: picked, the likeliest first).
  'deepseekRepo.reviewBranch': async (ctx, arg, base?: unknown) => {
    const repos = await gitRepositories('Review Branch Changes');
    if (!repos) return;
    const repo = await pickRepository(repos, arg, "Review which repository's branch?");
    if (!repo) return;
    const against = typeof base === 'string' && base ? base : await pickBase(repo);
    if (!against) return;
    const gathered = await gathering(`DeepSeek: reading the changes since ${against}…`, () =>
      branchChanges(repo, against),
    );
    if (gathered === undefined) return;
    if (typeof gathered === 'string')
      return void vscode.window.showWarningMessage(`Review Branch Changes: ${gathered}.`);
    if (!gathered.patch.trim())
      return void vscode.window.showInformationMessage(
        `${gathered.branch} has no committed changes since it left ${against}.`,
      );
    await runInPanel(ctx, tasks.reviewBranch(gathered));
  },

  'deepseekRepo.writeCommitMessage': async (ctx, arg) => {
    const repos = await gitRepositories('Write Commit Message');
    if (!repos) return;
    const repo = await pickRepository(
      repos,
      arg,
      'Write a commit message for which repository?',
      (r) => r.state.indexChanges.length > 0,
    );
    if (!repo) return;
    const gathered = await gathering('DeepSeek: reading the staged changes…', async () => ({
      ...(await collectChanges([repo])),
      subjects: await recentSubjects(repo),
    }));
    if (!gathered) return;
    if (!tasks.hasChanges(gathered.changes, true)) {
      return void vscode.window
        .showWarningMessage(
          'Stage the changes to describe first: the commit message is written from the staged diff.',
          'Stage All Changes',
        )
        .then((a) => a && vscode.commands.executeCommand('git.stageAll'));
    }
    const turn = await runInPanel(ctx, tasks.commitMessage(gathered.changes, gathered.subjects));
    if (turn?.outcome !== 'complete' || !turn.answer.trim()) return;
    repo.inputBox.value = tasks.commitMessageFrom(turn.answer);
    await vscode.commands.executeCommand('workbench.view.scm');
  },

  // `only`: the diagnostics to fix (the quick fix passes those under the cursor); default: the file's errors and
  // warnings.
  'deepseekRepo.fixProblems': async (ctx, arg, only?: unknown) => {
    const uri = targetFile(arg);
    if (!uri) return void vscode.window.showWarningMessage('Open the file whose problems should be fixed.');
    const severity = {
      [vscode.DiagnosticSeverity.Error]: 'error',
      [vscode.DiagnosticSeverity.Warning]: 'warning',
      [vscode.DiagnosticSeverity.Information]: 'info',
      [vscode.DiagnosticSeverity.Hint]: 'hint',
    } as const;
    const chosen =
      Array.isArray(only) && only.length > 0 && only.every((d) => d instanceof vscode.Diagnostic) ? only : undefined;
    const problems: tasks.Problem[] = (chosen ?? vscode.languages.getDiagnostics(uri))
      .filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning)
      .sort((a, b) => a.range.start.compareTo(b.range.start))
      .map((d) => ({
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        endLine: d.range.end.line + 1,
        endColumn: d.range.end.character + 1,
        severity: severity[d.severity],
        message: d.message,
        ...(d.source ? { source: d.source } : {}),
        ...(d.code !== undefined ? { code: String(typeof d.code === 'object' ? d.code.value : d.code) } : {}),
      }));
    if (problems.length === 0)
      return void vscode.window.showInformationMessage(`No errors or warnings are reported for ${packLabel(uri)}.`);
    await runInPanel(ctx, tasks.fixProblems(packLabel(uri), uri.fsPath, problems));
  },

  'deepseekRepo.generateTests': async (ctx) => {
    const editor = await selectionOrExplain('to write tests for');
    if (!editor) return;
    const style = await gathering('DeepSeek: looking at how this repository tests…', testStyle);
    if (style === undefined) return;
    await runInPanel(ctx, tasks.generateTests(selectionSpan(editor), style));
  },

  'deepseekRepo.askFolder': async (ctx, arg) => {
    const folder =
      arg instanceof vscode.Uri
        ? arg
        : (
            await vscode.window.showOpenDialog({
              canSelectFolders: true,
              canSelectFiles: false,
              defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
              title: 'Ask about which folder?',
            })
          )?.[0];
    if (!folder) return;
    const question = await vscode.window.showInputBox({
      title: `Ask About ${packLabel(folder)}/`,
      prompt: 'Your question about this folder (its files go first, whole)',
      ignoreFocusOut: true,
    });
    if (!question?.trim()) return;
    await runInPanel(ctx, tasks.askFolder(packLabel(folder), folder.fsPath, question.trim()));
  },

  'deepseekRepo.whereHandled': async (ctx) => {
    const editor = vscode.window.activeTextEditor;
    const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection).trim() : '';
    const what = await vscode.window.showInputBox({
      title: 'Where Is This Handled?',
      prompt: 'A behaviour, feature, error message or request to locate in the code',
      placeHolder: 'e.g. "retrying failed uploads" or "the 429 error"',
      value: selected.length <= 200 && !selected.includes('\n') ? selected : '',
      ignoreFocusOut: true,
    });
    if (!what?.trim()) return;
    await runInPanel(ctx, tasks.whereHandled(what.trim(), fileEditor()?.document.uri.fsPath));
  },
});

/** How the workspace tests: its file list and manifests (package.json, pyproject.toml, Cargo.toml). */
async function testStyle(): Promise<string> {
  const files = await vscode.workspace.findFiles(
    '**/*',
    '{**/node_modules/**,**/.git/**,**/dist/**,**/build/**,**/target/**,**/.venv/**}',
    20_000,
  );
  const manifests: Record<string, string> = {};
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    for (const name of ['package.json', 'pyproject.toml', 'Cargo.toml']) {
      if (manifests[name]) continue;
      try {
        manifests[name] = new TextDecoder().decode(
          await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, name)),
        );
      } catch {
        // not there
      }
    }
  }
  return tasks.describeTestStyle(files.map(packLabel).sort(), manifests);
}
