// How recently each tracked file changed, from git history, to order the pack for the prefix cache:
// files that change least go first, so an edit invalidates as little of the cached prefix as
// possible. Uses commit order (not timestamps or file times), so every clone at the same HEAD gets
// the same order. Needs the git binary; without it (or without history) the order is by path.
import { execFile } from 'node:child_process';
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
}

export class HistoryCache {
  private readonly byRepo = new Map<string, { head: string; recency: Promise<Recency> }>();

  /** Recency ranks for `repo` at its current HEAD (cached per HEAD). */
  recency(repo: GitRepo): Promise<Recency> {
    const head = readHead(repo.gitDir, repo.commonDir);
    if (!head) return Promise.resolve({ ranks: new Map(), complete: false });
    const hit = this.byRepo.get(repo.top);
    if (hit?.head === head) return hit.recency;
    const recency = gitLogRecency(repo.top, head);
    this.byRepo.set(repo.top, { head, recency });
    return recency;
  }
}

function gitLogRecency(top: string, head: string): Promise<Recency> {
  const args = [
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
    '--format=%x01',
    '--name-only',
    `-n${HISTORY_COMMITS}`,
    head,
  ];
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      { encoding: 'utf8', maxBuffer: 256 << 20, timeout: 60_000, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } },
      (err, stdout) => {
        const recency: Recency = { ranks: new Map(), complete: false };
        if (err) return resolve(recency);
        const parts = stdout.split('\0');
        let commits = parts.filter((p) => p === '\x01' || p.startsWith('\x01')).length;
        recency.complete = commits < HISTORY_COMMITS;
        for (const part of parts) {
          if (part.startsWith('\x01')) {
            commits--;
            continue;
          }
          const p = part.startsWith('\n') ? part.slice(1) : part;
          if (p && !recency.ranks.has(p)) recency.ranks.set(p, commits + 1);
        }
        resolve(recency);
      },
    );
  });
}

/**
 * Starts reading git history for every repository `files` belong to (`history` undefined: git may
 * not run); resolves to each file's recency (higher = changed more recently). Untracked files count
 * as the newest, and so do files staged but never committed when the history read is complete (in a
 * longer history they cannot be told from files older than the window, and count as the oldest).
 */
export async function fileRecency(
  files: readonly WalkedFile[],
  history: HistoryCache | undefined,
): Promise<(f: WalkedFile) => number> {
  const byRepo = new Map<GitRepo, Promise<Recency>>();
  for (const f of files)
    if (f.repo?.tracked.size && !byRepo.has(f.repo))
      byRepo.set(f.repo, history ? history.recency(f.repo) : Promise.resolve({ ranks: new Map(), complete: false }));
  const recencies = new Map<GitRepo, Recency>();
  for (const [repo, p] of byRepo) recencies.set(repo, await p);
  return (f) => {
    const recency = f.repo && recencies.get(f.repo);
    if (!recency) return 0;
    const newest = Number.MAX_SAFE_INTEGER;
    return f.indexOid === undefined ? newest : (recency.ranks.get(f.repoRel) ?? (recency.complete ? newest : 0));
  };
}
