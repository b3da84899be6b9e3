// Uncommitted changes of every git repository in the workspace and a branch's committed changes
// since its base, through VS Code's built-in git extension (the repositories it already tracks,
// nested ones and submodules included), and the Source Control input box for commit messages.
// The typed subset below is the part of the git extension's published API
// (extensions/git/src/api/git.d.ts, API version 1) that we use.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BranchChanges, RepoChanges } from '../chat/tasks';

/** Change.status values of the git API that mean "untracked". */
const UNTRACKED = 7;

interface GitChange {
  readonly uri: vscode.Uri;
  readonly status: number;
}
export interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly inputBox: { value: string };
  readonly state: {
    readonly indexChanges: GitChange[];
    readonly workingTreeChanges: GitChange[];
    readonly untrackedChanges?: GitChange[];
    readonly HEAD?: { readonly name?: string; readonly commit?: string };
  };
  diff(cached?: boolean): Promise<string>;
  log(options?: { maxEntries?: number; range?: string }): Promise<{ message: string }[]>;
  status(): Promise<void>;
  /** type 0: a local branch, 1: a remote one, 2: a tag (`state.refs` is deprecated: it is always empty now). */
  getRefs?(query: object): Promise<readonly { readonly type: number; readonly name?: string }[]>;
  getMergeBase?(ref1: string, ref2: string): Promise<string | undefined>;
  /** The patch between two refs (`git diff ref1...ref2`); newer VS Code only. */
  diffBetweenPatch?(ref1: string, ref2: string): Promise<string>;
}
interface GitApi {
  readonly repositories: GitRepository[];
}

/** Why git is not usable, in a sentence for the user; undefined when it is. */
export type GitProblem = string;

/** The git API, or why it is unavailable. */
export async function gitApi(): Promise<GitApi | GitProblem> {
  const ext = vscode.extensions.getExtension<{ enabled: boolean; getAPI(v: 1): GitApi }>('vscode.git');
  if (!ext) return 'the built-in Git extension is not installed';
  const exports = ext.isActive ? ext.exports : await ext.activate();
  if (!exports.enabled) return 'the built-in Git extension is disabled (setting git.enabled)';
  return exports.getAPI(1);
}

/** The repositories under the workspace folders, outermost first. */
export async function workspaceRepositories(): Promise<GitRepository[] | GitProblem> {
  const api = await gitApi();
  if (typeof api === 'string') return api;
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
  const inside = (p: string) =>
    folders.some((f) => p === f || p.startsWith(f + path.sep) || f.startsWith(p + path.sep));
  const repos = api.repositories.filter((r) => inside(r.rootUri.fsPath));
  return repos.sort(
    (a, b) => a.rootUri.fsPath.length - b.rootUri.fsPath.length || a.rootUri.fsPath.localeCompare(b.rootUri.fsPath),
  );
}

function untrackedOf(repo: GitRepository): GitChange[] {
  const separate = repo.state.untrackedChanges ?? [];
  return [...separate, ...repo.state.workingTreeChanges.filter((c) => c.status === UNTRACKED)];
}

/** A repository's label: its folder relative to the workspace, or the workspace folder's name. */
function labelOf(repo: GitRepository): string {
  const rel = vscode.workspace.asRelativePath(repo.rootUri, true);
  return rel === repo.rootUri.fsPath ? path.basename(rel) : rel;
}

/** Staged, unstaged and untracked changes of each repository (a fresh `git status` first). */
export async function collectChanges(
  repos: GitRepository[],
): Promise<{ changes: RepoChanges[]; changedFiles: string[] }> {
  const changes: RepoChanges[] = [];
  const changedFiles = new Set<string>();
  for (const repo of repos) {
    await repo.status();
    const [staged, unstaged] = await Promise.all([repo.diff(true), repo.diff(false)]);
    const untracked = untrackedOf(repo);
    for (const c of [...repo.state.indexChanges, ...repo.state.workingTreeChanges, ...untracked])
      changedFiles.add(c.uri.fsPath);
    changes.push({
      name: labelOf(repo),
      staged,
      unstaged,
      untracked: untracked
        .map((c) => path.relative(repo.rootUri.fsPath, c.uri.fsPath).split(path.sep).join('/'))
        .sort(),
    });
  }
  return { changes, changedFiles: [...changedFiles].sort() };
}

/** The subjects of the repository's last commits (style examples for a commit message). */
export async function recentSubjects(repo: GitRepository, count = 10): Promise<string[]> {
  try {
    return (await repo.log({ maxEntries: count })).map((c) => c.message.split('\n')[0]!.trim()).filter(Boolean);
  } catch {
    return []; // a repository without commits yet
  }
}

/** Where a branch is usually merged: the first of these that exists. */
const BASE_NAMES = [
  'origin/main',
  'origin/master',
  'upstream/main',
  'main',
  'master',
  'origin/develop',
  'develop',
  'trunk',
];

/** Refs to compare the current branch with, the likeliest base first (the current branch left out). */
export async function baseCandidates(repo: GitRepository): Promise<string[]> {
  const head = repo.state.HEAD?.name;
  const refs = (await repo.getRefs?.({}).catch(() => undefined)) ?? [];
  const names = refs.flatMap((r) =>
    (r.type === 0 || r.type === 1) && r.name && r.name !== head && !r.name.endsWith('/HEAD') ? [r.name] : [],
  );
  const preferred = BASE_NAMES.filter((n) => names.includes(n));
  return [...preferred, ...names.filter((n) => !preferred.includes(n)).sort()];
}

/**
 * The committed changes of HEAD since it left `base` (a fresh `git status` first); a string says why there are none to
 * read.
 */
export async function branchChanges(repo: GitRepository, base: string): Promise<BranchChanges | string> {
  if (!repo.getMergeBase || !repo.diffBetweenPatch)
    return "this VS Code's Git extension cannot compare branches (update VS Code)";
  await repo.status();
  const mergeBase = await repo.getMergeBase(base, 'HEAD').catch(() => undefined);
  if (!mergeBase) return `${base} and HEAD have no commit in common (or ${base} does not exist)`;
  const [patch, log] = await Promise.all([
    repo.diffBetweenPatch(mergeBase, 'HEAD'),
    repo.log({ range: `${mergeBase}..HEAD`, maxEntries: 200 }).catch(() => []),
  ]);
  const files = [...patch.matchAll(/^diff --git a\/.+? b\/(.+)$/gm)].map((m) =>
    path.join(repo.rootUri.fsPath, ...m[1]!.split('/')),
  );
  return {
    branch: repo.state.HEAD?.name ?? 'HEAD',
    base,
    commits: log.map((c) => c.message.split('\n')[0]!.trim()).filter(Boolean),
    patch,
    changedFiles: [...new Set(files)].sort(),
  };
}
