// The git repositories the walks meet, each loaded once (index, info/exclude, config, the user's
// global files) and reused while none of those files has changed.
import * as path from 'node:path';
import { readIfExists, xdgGitDir, type GitEnv } from './gitConfig';
import { loadGitRepo, type GitRepo } from './gitRepo';
import { statOrUndefined } from './paths';

/** Repositories read during walks, reused while their index and ignore files are unchanged. */
export class RepoCache {
  private readonly repos = new Map<string, { repo: GitRepo; sig: string }>();
  private noRepo: { repo: GitRepo; sig: string } | undefined;

  /** `allowGit`: may run `git ls-files` when the index cannot be parsed. */
  constructor(private readonly allowGit = true) {}

  get(top: string, gitDir: string, env: GitEnv): GitRepo {
    const commonRel = readIfExists(path.join(gitDir, 'commondir'))?.trim();
    const commonDir = commonRel ? path.resolve(gitDir, commonRel) : gitDir;
    const sig = this.signature([
      path.join(gitDir, 'index'),
      path.join(commonDir, 'info', 'exclude'),
      path.join(commonDir, 'info', 'attributes'),
      path.join(commonDir, 'config'),
      ...globalFiles(env),
    ]);
    const hit = this.repos.get(top);
    if (hit?.sig === sig) return hit.repo;
    const repo = loadGitRepo(top, gitDir, env, this.allowGit);
    this.repos.set(top, { repo, sig });
    return repo;
  }

  /** A repository-less context: only the user's global excludes file. */
  global(env: GitEnv): GitRepo {
    const sig = this.signature(globalFiles(env));
    if (this.noRepo?.sig === sig) return this.noRepo.repo;
    const repo = loadGitRepo('/', '/nonexistent-git-dir', env, false);
    this.noRepo = { repo, sig };
    return repo;
  }

  clear(): void {
    this.repos.clear();
    this.noRepo = undefined;
  }

  private signature(files: string[]): string {
    return files
      .map((f) => {
        const st = statOrUndefined(f);
        return st ? `${st.size}:${st.mtimeMs}:${st.ino}` : '-';
      })
      .join('|');
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
