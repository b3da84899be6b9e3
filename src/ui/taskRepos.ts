// Which git repository (and which base branch) an editor command that reads git works on: says
// clearly when git or a repository is missing, takes the repository a Source Control button was
// pressed on, else the only one worth it, else asks. Used by taskCommands.ts.
import * as vscode from 'vscode';
import { packLabel } from './editorFocus';
import { baseCandidates, workspaceRepositories, type GitRepository } from './git';

/** The workspace's repositories, or undefined after telling the user why `command` cannot run. */
export async function gitRepositories(command: string): Promise<GitRepository[] | undefined> {
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

export interface RepositoryPick {
  /** The command's argument (a Source Control title button passes its repository). */
  arg: unknown;
  /** The quick pick's title when the user has to choose. */
  title: string;
  /** The repositories worth offering (default: all); when none is, all are offered. */
  worth?: (r: GitRepository) => boolean;
}

/**
 * The repository a Source Control title button was pressed on, else the only one (of those `worth` it), else the user's
 * pick.
 */
export async function pickRepository(
  repos: GitRepository[],
  { arg, title, worth = () => true }: RepositoryPick,
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
export async function pickBase(repo: GitRepository): Promise<string | undefined> {
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
