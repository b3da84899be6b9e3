// Temporary directories and small file trees for tests.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A fresh temporary directory (real path, symlinks resolved). */
export function tempDir(prefix = 'dsr-'): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/** Writes `files` (relative path -> content) under `dir`, creating folders. */
export function writeTree(dir: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, content);
  }
}

/** An environment for git that ignores the machine's own config (fake HOME and XDG dir). */
export function gitEnv(home: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@example.com',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@example.com',
  };
}

/** A temporary `base` holding an empty `repo` folder and a fake `home`, with the git `env` for that home. */
export function gitSandbox(
  prefix: string,
  repoName = 'repo',
): { base: string; home: string; repo: string; env: NodeJS.ProcessEnv } {
  const base = tempDir(prefix);
  const home = path.join(base, 'home');
  const repo = path.join(base, repoName);
  fs.mkdirSync(home);
  fs.mkdirSync(repo);
  return { base, home, repo, env: gitEnv(home) };
}

/** Runs git in `cwd` with `env`; returns stdout. */
export function git(cwd: string, args: string[], env: NodeJS.ProcessEnv): string {
  return execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
