// The everyday editor commands (explain, review, fix, tests, folder, where-is, commit message): each
// gathers its task-specific context (selection, diagnostics, git changes, a folder), says clearly what
// is missing when it cannot run, and streams the answer into the panel as a new conversation whose
// repository block is the same cached prefix as every other question. The prompts themselves are
// built in src/chat/tasks.ts; what they read from the editor in taskInputs.ts, and which git repository
// in taskRepos.ts.
import * as vscode from 'vscode';
import * as tasks from '../chat/tasks';
import type { TurnRecord } from '../protocol/messages';
import { readSettings } from '../config';
import type { Services } from './chatController';
import { canAsk } from './workspaceGate';
import { packLabel } from './editorFocus';
import { branchChanges, collectChanges, recentSubjects } from './git';
import { AnswerPanel } from './panel';
import {
  fileEditor,
  gathering,
  problemsOf,
  selectionOrExplain,
  selectionSpan,
  targetFile,
  testStyle,
} from './taskInputs';
import { gitRepositories, pickBase, pickRepository } from './taskRepos';

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
    const repo = await pickRepository(repos, { arg, title: "Review which repository's branch?" });
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
    const repo = await pickRepository(repos, {
      arg,
      title: 'Write a commit message for which repository?',
      worth: (r) => r.state.indexChanges.length > 0,
    });
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
    const problems = problemsOf(uri, only);
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
