// Helpers shared by the CLI commands: argument checks and the JSON shape of a pack.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repositoryBudget } from '../chat/requestPlan';
import { MIN_WINDOW_TOKENS } from '../llm/window';
import { defaultCacheDir } from '../context/read/tokenCache';
import type { Pack, WorkspaceRoot } from '../context/types';

export const DEFAULT_MAX_OUTPUT = 32_768;

/** The CLI's cache directory (token counts, cache-plan state): $DEEPSEEK_REPO_CACHE_DIR, else $XDG_CACHE_HOME/deepseek-repo, else ~/.cache/deepseek-repo. */
export function cliCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DEEPSEEK_REPO_CACHE_DIR ? path.resolve(env.DEEPSEEK_REPO_CACHE_DIR) : defaultCacheDir(env);
}

/** A problem with the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export function roots(dirs: string[]): WorkspaceRoot[] {
  return (dirs.length ? dirs : ['.']).map((d) => {
    const abs = path.resolve(d);
    if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) throw new UsageError(`not a directory: ${d}`);
    return { name: path.basename(abs) || abs, path: abs };
  });
}

/** The --budget value (tokens), or what `ask` packs a new conversation's question under: the window (`--window`, else DeepSeek V4's) minus the default output and the conversation's reserve. */
export function budgetArg(budget: string | undefined, window: string | undefined): number {
  return tokensOption('--budget', budget) ?? repositoryBudget(DEFAULT_MAX_OUTPUT, undefined, windowOption(window));
}

/** A token-count option (`--budget`, `--window`) when given; a usage error when it is not an integer of at least `min`. */
export function tokensOption(name: string, v: string | undefined, min = 1): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(
      `${name} must be ${min === 1 ? 'a positive integer' : `an integer of at least ${min}`} (tokens), got ${v}`,
    );
  return n;
}

/** The --window value (tokens) when given. */
export const windowOption = (v: string | undefined): number | undefined =>
  tokensOption('--window', v, MIN_WINDOW_TOKENS);

/** The `pack --json` contract: tokens, files [{path, tokens, status, reason?}], redactions. */
export function packJson(pack: Pack) {
  return {
    tokens: pack.tokens,
    hash: pack.manifest.hash,
    roots: pack.roots,
    files: pack.files.map((f) => ({
      path: f.path,
      tokens: f.tokens,
      status: f.status,
      ...(f.reason ? { reason: f.reason } : {}),
      ...(f.detail ? { detail: f.detail } : {}),
    })),
    redactions: pack.redactions,
    warnings: pack.warnings,
  };
}
