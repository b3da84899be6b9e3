// Helpers shared by the CLI commands: argument checks and the JSON shape of a pack.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repositoryBudget } from '../chat/requestPlan';
import { defaultCacheDir } from '../context/tokenCache';
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

/** The --budget value (tokens), or what `ask` packs a new conversation's question under (the window minus the default output and the conversation's reserve). */
export function budgetArg(v: string | undefined): number {
  return budgetOption(v) ?? repositoryBudget(DEFAULT_MAX_OUTPUT);
}

/** The --budget value (tokens) when given; a usage error when it is not a positive integer. */
export function budgetOption(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--budget must be a positive integer (tokens), got ${v}`);
  return n;
}

/** The `pack --json` contract: tokens, files [{path, tokens, status, reason?}], redactions. */
export function packJson(pack: Pack) {
  return {
    tokens: pack.tokens,
    hash: pack.manifest.hash,
    roots: pack.roots,
    files: pack.files.map((f) => ({ path: f.path, tokens: f.tokens, status: f.status, ...(f.reason ? { reason: f.reason } : {}), ...(f.detail ? { detail: f.detail } : {}) })),
    redactions: pack.redactions,
    warnings: pack.warnings,
  };
}
