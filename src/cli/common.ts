// Helpers shared by the CLI commands: argument checks and the JSON shape of a pack.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repositoryBudget } from '../chat/requestPlan';
import { ConversationStateError } from '../chat/conversation';
import { MIN_WINDOW_TOKENS } from '../llm/window';
import { defaultCacheDir } from '../context/read/tokenCache';
import type { Pack, WorkspaceRoot } from '../context/types';
import { JSON_FORMAT_VERSION, type PackReport } from '../protocol/packReport';

export const DEFAULT_MAX_OUTPUT = 32_768;

/**
 * The CLI's cache directory (what runs learned of files, cache-plan state): $DEEPSEEK_REPO_CACHE_DIR, else
 * $XDG_CACHE_HOME/deepseek-repo, else ~/.cache/deepseek-repo.
 */
export function cliCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DEEPSEEK_REPO_CACHE_DIR ? path.resolve(env.DEEPSEEK_REPO_CACHE_DIR) : defaultCacheDir(env);
}

// The failures below are told apart by a field, not `instanceof`: `mcp` runs from its own bundle
// (dist/mcp.js), whose copies of these classes are not the ones cli.js checks against.

/** A problem with the command line: one line on stderr pointing to the command's --help, exit code 2. */
export class UsageError extends Error {
  readonly failure = 'usage';
}

/** A file or folder the command cannot use, or a request it cannot carry out: one line on stderr, exit code 2. */
export class CommandError extends Error {
  readonly failure = 'command';
}

/** `cannot write out.txt: no such file or directory`, from a file system error on `file`. */
export function fileProblem(verb: 'read' | 'write', file: string, e: unknown): CommandError {
  const err = e as NodeJS.ErrnoException;
  const why = err.code ? (/^[A-Z]+: ([^,]+)/.exec(err.message)?.[1] ?? err.code) : String(e);
  return new CommandError(`cannot ${verb} ${file}: ${why}`);
}

/** An expected failure's one-line message (and whether to point to --help), or undefined for a bug. */
export function describeFailure(e: unknown): { message: string; usage: boolean } | undefined {
  const err = e as { code?: unknown; message?: unknown; failure?: unknown };
  if (typeof err?.message !== 'string') return undefined;
  if (err.failure === 'usage') return { message: err.message, usage: true };
  if (err.failure === 'command' || e instanceof ConversationStateError) return { message: err.message, usage: false };
  if (typeof err.code === 'string' && err.code.startsWith('ERR_PARSE_ARGS')) {
    // node:util parseArgs: "Unknown option '--x'. To specify a positional argument …": the first sentence says it,
    // except for a value that starts with a dash ("--budget -5"), where the last says how to give one.
    const [first, ...rest] = err.message.split(/\.\s/);
    const dash = first!.endsWith(' is ambiguous') ? rest.at(-1)?.match(/use '(--[^']+)'/) : undefined;
    return {
      message: dash ? `${first}: a value starting with a dash is written ${dash[1]}` : first!.replace(/\.$/, ''),
      usage: true,
    };
  }
  return undefined;
}

/**
 * Refuses a --conversation path that is there but not a file: reading a pipe or a device (/dev/zero) never ends.
 */
export function checkConversationFile(file: string): void {
  if (fs.existsSync(file) && !fs.statSync(file).isFile())
    throw new CommandError(`${file} is not a conversation file (it is a folder, a pipe or a device)`);
}

export function roots(dirs: string[]): WorkspaceRoot[] {
  return (dirs.length ? dirs : ['.']).map((d) => {
    const abs = path.resolve(d);
    if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) throw new CommandError(`not a folder: ${d}`);
    return { name: path.basename(abs) || abs, path: abs };
  });
}

/**
/**
 * The absolute paths of `--focus PATH` values: a path is taken from the current folder, else (one
 * root) from the root; it must exist inside a root. Files go in whole, folders are ranked first.
 */
export function focusPaths(paths: readonly string[], within: readonly WorkspaceRoot[]): string[] {
  return paths.map((p) => {
    const here = path.resolve(p);
    const abs = fs.existsSync(here) || within.length !== 1 ? here : path.resolve(within[0]!.path, p);
    if (!within.some((r) => abs === r.path || abs.startsWith(r.path.endsWith(path.sep) ? r.path : r.path + path.sep)))
      throw new CommandError(`--focus ${p} is outside ${within.map((r) => r.path).join(', ')}`);
    if (!fs.existsSync(abs)) throw new CommandError(`--focus ${p} does not exist`);
    return abs;
  });
}

/**
 * The --budget value (tokens), or what `ask` packs a new conversation's question under: the window (`--window`, else
 * DeepSeek V4's) minus the default output and the conversation's reserve.
 */
export function budgetArg(budget: string | undefined, window: string | undefined): number {
  return packBudget({ budget: tokensOption('--budget', budget), window: windowOption(window) });
}

/**
 * The tokens `pack` packs under: `budget` when given, else what a new question gets in `window` (default
 * DeepSeek V4's).
 */
export function packBudget(o: { budget: number | undefined; window: number | undefined }): number {
  return o.budget ?? repositoryBudget(DEFAULT_MAX_OUTPUT, undefined, o.window);
}

/**
 * A token-count option (`--budget`, `--window`) when given; a usage error when it is not an integer of at least `min`.
 */
export function tokensOption(name: string, v: string | undefined, min = 1): number | undefined {
  return countOption(name, v, 'tokens', min);
}

/** A whole-number option counted in `unit` (tokens, steps) when given; a usage error below `min`. */
export function countOption(name: string, v: string | undefined, unit: string, min = 1): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(
      `${name} must be ${min === 1 ? 'a positive integer' : `an integer of at least ${min}`} (${unit}), got ${v}`,
    );
  return n;
}

/** The --window value (tokens) when given. */
export const windowOption = (v: string | undefined): number | undefined =>
  tokensOption('--window', v, MIN_WINDOW_TOKENS);

/**
 * The `pack --json` report (src/protocol/packReport.ts): tokens, files [{path, tokens, status, reason?,
 * detail?, reasons?}], redactions.
 */
export function packJson(pack: Pack): PackReport {
  return {
    v: JSON_FORMAT_VERSION,
    tokens: pack.tokens,
    hash: pack.manifest.hash,
    roots: pack.roots.map((r) => ({ name: r.name, path: r.path })),
    files: pack.files.map((f) => ({
      path: f.path,
      tokens: f.tokens,
      status: f.status,
      ...(f.reason ? { reason: f.reason } : {}),
      ...(f.detail ? { detail: f.detail } : {}),
      ...(f.reasons?.length ? { reasons: f.reasons } : {}),
      ...(f.rank !== undefined ? { rank: f.rank } : {}),
      ...(f.placement ? { placement: f.placement } : {}),
    })),
    redactions: pack.redactions.map((r) => ({ path: r.path, line: r.line, rule: r.rule })),
    warnings: pack.warnings,
  };
}
