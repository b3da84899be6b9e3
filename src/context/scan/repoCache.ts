// The git repositories the walks meet, each loaded once (index, info/exclude, config, the user's
// global files) and reused while none of those files has changed.
import * as path from 'node:path';
import { statSignature } from './freshness';
import { readIfExists, xdgGitDir, type GitEnv } from './gitConfig';
import { loadGitRepo, readHead, type GitRepo } from './gitRepo';

/** A repository as last met: the files its rules come from, their signature, and its HEAD commit then. */
interface Held {
  repo: GitRepo;
  files: string[];
  sig: string;
  head: string | undefined;
}

/** Repositories read during walks, reused while their index and ignore files are unchanged. */
export class RepoCache {
  private readonly repos = new Map<string, Held>();
  private noRepo: Held | undefined;

  /** `allowGit`: may run `git ls-files` when the index cannot be parsed. */
  constructor(private readonly allowGit = true) {}

  get(top: string, gitDir: string, env: GitEnv): GitRepo {
    const commonRel = readIfExists(path.join(gitDir, 'commondir'))?.trim();
    const commonDir = commonRel ? path.resolve(gitDir, commonRel) : gitDir;
    const files = [
      path.join(gitDir, 'index'),
      path.join(commonDir, 'info', 'exclude'),
      path.join(commonDir, 'info', 'attributes'),
      path.join(commonDir, 'config'),
      ...globalFiles(env),
    ];
    const sig = this.signature(files);
    const head = readHead(gitDir, commonDir);
    const hit = this.repos.get(top);
    if (hit?.sig === sig) {
      hit.head = head;
      return hit.repo;
    }
    const repo = loadGitRepo(top, gitDir, env, this.allowGit);
    this.repos.set(top, { repo, files, sig, head });
    return repo;
  }

  /** A repository-less context: only the user's global excludes file. */
  global(env: GitEnv): GitRepo {
    const files = globalFiles(env);
    const sig = this.signature(files);
    if (this.noRepo?.sig === sig) return this.noRepo.repo;
    const repo = loadGitRepo('/', '/nonexistent-git-dir', env, false);
    this.noRepo = { repo, files, sig, head: readHead(repo.gitDir, repo.commonDir) };
    return repo;
  }

  /**
   * True while every repository met since the last `clear` has the rule files and the HEAD commit it had
   * when last met (git history orders the pack, so a commit changes it).
   */
  holds(): boolean {
    const held = [...this.repos.values(), ...(this.noRepo ? [this.noRepo] : [])];
    return held.every((h) => this.signature(h.files) === h.sig && readHead(h.repo.gitDir, h.repo.commonDir) === h.head);
  }

  clear(): void {
    this.repos.clear();
    this.noRepo = undefined;
  }

  private signature(files: string[]): string {
    return files.map(statSignature).join('|');
  }
}

/** The user's and the system's git files whose changes can change what a repository ignores. */
function globalFiles(env: GitEnv): string[] {
  const xdg = xdgGitDir(env);
  return [
    env.home && path.join(env.home, '.gitconfig'),
    xdg && path.join(xdg, 'config'),
    xdg && path.join(xdg, 'ignore'),
    '/etc/gitconfig',
  ].filter((f): f is string => !!f);
}
