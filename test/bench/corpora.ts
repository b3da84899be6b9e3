// The benchmark corpora: `npm pack` of a pinned version, extracted to .bench/corpora/<name> once and
// committed into a repository of its own (one commit, fixed identity and date), shared by bench:pack
// and bench:mcp.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from '../helpers/paths';

export const BENCH = path.join(REPO, '.bench');

/** Runs npm in `cwd` and returns what it printed, trimmed. */
export const npm = (a: string[], cwd = REPO) =>
  execFileSync('npm', a, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();

/** Extracts `npm pack <spec>` into .bench/corpora/<name> once. */
export function corpus(name: string, spec: string): string {
  const dir = path.join(BENCH, 'corpora', name);
  const stamp = path.join(dir, '.git', 'bench-spec');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === spec) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const tarballs = path.join(BENCH, 'tarballs');
  fs.mkdirSync(tarballs, { recursive: true });
  const file = npm(['pack', spec, '--silent', '--pack-destination', tarballs]).split('\n').pop()!;
  execFileSync('tar', ['-xzf', path.join(tarballs, file), '-C', dir, '--strip-components=1']);
  // Its own repository (one commit, fixed identity and date): both tools then see a repository of
  // their own instead of this project's .gitignore, which ignores .bench/.
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'bench',
    GIT_AUTHOR_EMAIL: 'bench@example.com',
    GIT_COMMITTER_NAME: 'bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com',
    GIT_AUTHOR_DATE: '2024-01-01T00:00:00Z',
    GIT_COMMITTER_DATE: '2024-01-01T00:00:00Z',
  };
  for (const a of [
    ['init', '-q'],
    ['add', '-A', '-f'],
    ['commit', '-q', '-m', spec],
  ])
    execFileSync('git', a, { cwd: dir, env, stdio: 'ignore' });
  fs.writeFileSync(path.join(dir, '.git', 'bench-spec'), spec);
  return dir;
}
