// How recently each tracked file changed, from git history, to order the pack for the prefix cache:
// files that change least go first, so an edit invalidates as little of the cached prefix as
// possible. Uses commit order (not timestamps or file times), so every clone at the same HEAD gets
// the same order. The same `git log` gives each file the past commits that changed it (their subjects),
// which the ranking weighs against the question (pastCommits.ts). Needs the git binary; without it (or
// without history) the order is by path and there are no past commits.
import { execFile } from 'node:child_process';
import { pastCommit, type PastCommit } from './pastCommits';
import { readHead, type GitRepo } from '../scan/gitRepo';
import type { WalkedFile } from '../scan/walk';

/** Commits of history consulted; files last changed before them all rank as oldest. */
export const HISTORY_COMMITS = 1000;

/** What git history says about a repository's files. */
export interface Recency {
  /** Repository-relative path -> recency rank (higher = changed more recently; absent = not in the window). */
  ranks: Map<string, number>;
  /** The window held every commit: a tracked file it never names was never committed (staged only). */
  complete: boolean;
  /** Repository-relative path -> the commits of the window that changed it, newest first. */
  commits: Map<string, PastCommit[]>;
}

const noHistory = (): Recency => ({ ranks: new Map(), complete: false, commits: new Map() });

export class HistoryCache {
  private readonly byRepo = new Map<string, { head: string; recency: Promise<Recency> }>();

  /** Recency ranks for `repo` at its current HEAD (cached per HEAD). */
  recency(repo: GitRepo): Promise<Recency> {
    const head = readHead(repo.gitDir, repo.commonDir);
    if (!head) return Promise.resolve(noHistory());
    const hit = this.byRepo.get(repo.top);
    if (hit?.head === head) return hit.recency;
    const recency = gitLogRecency(repo.top, head);
    this.byRepo.set(repo.top, { head, recency });
    return recency;
  }
}

/** The arguments of the one `git log` that history is read from: `rev` and the HISTORY_COMMITS before it in `top`. */
export function historyLogArgs(top: string, rev: string): string[] {
  return [
    '-C',
    top,
    '-c',
    'core.fsmonitor=false',
    '-c',
    'core.quotepath=off',
    '-c',
    'log.showSignature=false',
    '-c',
    'diff.relative=false',
    'log',
    '-z',
    '--no-renames',
    '--no-merges',
    '--format=%x01%s',
    '--name-only',
    `-n${HISTORY_COMMITS}`,
    rev,
  ];
}

/** What the output of `git historyLogArgs(...)` says: each file's recency and the past commits that changed it. */
export function parseHistoryLog(stdout: string): Recency {
  const recency = noHistory();
  // Each commit is `\x01subject` then the paths it changed, all NUL-separated (the first path after a newline).
  const parts = stdout.split('\0');
  let commits = parts.filter((p) => p.startsWith('\x01')).length;
  recency.complete = commits < HISTORY_COMMITS;
  let subject = '';
  let age = 0;
  let paths: string[] = [];
  const flush = () => {
    if (!paths.length) return;
    const c = pastCommit(subject, paths.length, age++);
    for (const p of paths) {
      const list = recency.commits.get(p);
      if (list) list.push(c);
      else recency.commits.set(p, [c]);
    }
  };
  for (const part of parts) {
    if (part.startsWith('\x01')) {
      flush();
      commits--;
      subject = part.slice(1);
      paths = [];
      continue;
    }
    const p = part.startsWith('\n') ? part.slice(1) : part;
    if (!p) continue;
    paths.push(p);
    if (!recency.ranks.has(p)) recency.ranks.set(p, commits + 1);
  }
  flush();
  return recency;
}

function gitLogRecency(top: string, head: string): Promise<Recency> {
  return new Promise((resolve) => {
    execFile(
      'git',
      historyLogArgs(top, head),
      { encoding: 'utf8', maxBuffer: 256 << 20, timeout: 60_000, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } },
      (err, stdout) => resolve(err ? noHistory() : parseHistoryLog(stdout)),
    );
  });
}

/** What git history says about each walked file. */
export interface FileHistory {
  /** Higher = changed more recently. */
  recency(f: WalkedFile): number;
  /** The past commits (of the window) that changed the file, newest first. */
  pastCommits(f: WalkedFile): readonly PastCommit[];
}

/**
 * Starts reading git history for every repository `files` belong to (`history` undefined: git may
 * not run); resolves to each file's recency (higher = changed more recently) and past commits. Untracked
 * files count as the newest, and so do files staged but never committed when the history read is complete
 * (in a longer history they cannot be told from files older than the window, and count as the oldest).
 */
export async function fileHistory(
  files: readonly WalkedFile[],
  history: HistoryCache | undefined,
): Promise<FileHistory> {
  const byRepo = new Map<GitRepo, Promise<Recency>>();
  for (const f of files)
    if (f.repo?.tracked.size && !byRepo.has(f.repo))
      byRepo.set(f.repo, history ? history.recency(f.repo) : Promise.resolve(noHistory()));
  const recencies = new Map<GitRepo, Recency>();
  for (const [repo, p] of byRepo) recencies.set(repo, await p);
  const of = (f: WalkedFile) => (f.repo ? recencies.get(f.repo) : undefined);
  return {
    recency(f) {
      const recency = of(f);
      if (!recency) return 0;
      const newest = Number.MAX_SAFE_INTEGER;
      return f.indexOid === undefined ? newest : (recency.ranks.get(f.repoRel) ?? (recency.complete ? newest : 0));
    },
    pastCommits: (f) => (f.indexOid === undefined ? [] : (of(f)?.commits.get(f.repoRel) ?? [])),
  };
}
