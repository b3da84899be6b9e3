// The last walk of the workspace, and whether it still holds: a setting, a folder or an ignore file
// changed, or a path the walk never saw was invalidated, makes the next walk a full one. In watched
// mode (the extension's file watcher reports every change) a warm walk re-stats the known files
// instead of listing the folders again. The repositories the walks read are kept here too.
import type { GitEnv } from './gitConfig';
import { signatureOf, stillHolds } from './freshness';
import { statOrUndefined } from './paths';
import { RepoCache } from './repoCache';
import { walkRoots, type WalkResult, type WalkedFile } from './walk';
import type { ContextSettings, WorkspaceRoot } from '../types';

export interface WalkCacheOptions {
  /** May git run (`ls-files` for unusual indexes)? False for an untrusted workspace. */
  allowGit: boolean;
  /** Home and XDG config dir for git's global ignore file. */
  env: GitEnv;
  /** Every file change is reported through `invalidate`: a warm walk re-stats the known files only. */
  watched: boolean;
}

/** What a walk covers: the folders, their settings, and a signal to stop it. */
export interface WalkRequest {
  roots: WorkspaceRoot[];
  settings: ContextSettings;
  signal?: AbortSignal;
}

/** Paths whose change decides which files are in at all (ignore and attributes files, git's own state). */
const RULE_PATH = /(^|[\\/])(\.gitignore|\.gitattributes|\.deepseekignore|\.git)([\\/]|$)/;

export class WalkCache {
  private last: { result: WalkResult; byAbs: Map<string, WalkedFile> } | undefined;
  private valid = false;
  private readonly repos: RepoCache;

  constructor(private readonly options: WalkCacheOptions) {
    this.repos = new RepoCache(options.allowGit);
  }

  /** The next walk is a full one (a setting or the folders changed, or a file was created). */
  forget(): void {
    this.valid = false;
  }

  /** These paths changed: a path the last walk did not list, or a rule file, makes the next walk a full one. */
  invalidate(absPaths: readonly string[]): void {
    for (const p of absPaths) if (!this.last?.byAbs.has(p)) this.valid = false;
    // An ignore or attributes file or git's own state decides which files are in at all, known or not: walk again.
    if (absPaths.some((p) => RULE_PATH.test(p))) {
      this.repos.clear();
      this.valid = false;
    }
  }

  /**
   * Whether a walk now would find what the last one found: nothing forgotten since, and every folder,
   * rule file, file and git repository it read has the stat signature (and HEAD) it had. Stats only.
   */
  holds(): boolean {
    return this.valid && !!this.last && stillHolds(this.last.result.read) && this.repos.holds();
  }

  /** The last walk while nothing made it stale (no stat taken), else undefined. */
  current(): WalkResult | undefined {
    return this.valid && this.last ? this.last.result : undefined;
  }

  /**
   * A full walk, or in watched mode the last one with every known file re-stated. Re-stating all of
   * them (microseconds each) rather than only the invalidated ones catches an edit whose watcher event
   * is still on its way (a save and a command in the same breath); new or deleted files, folders and
   * ignore files still come through `invalidate`, which forces a full walk.
   */
  async walk(request: WalkRequest): Promise<WalkResult> {
    if (this.options.watched && this.valid && this.last) {
      const { result } = this.last;
      let ok = true;
      for (const f of result.files) {
        const st = statOrUndefined(f.abs);
        if (!st?.isFile()) {
          ok = false;
          break;
        }
        const sig = signatureOf(st);
        Object.assign(f, { size: st.size, mtimeMs: st.mtimeMs, sig });
        result.read.set(f.abs, sig);
      }
      if (ok) return result;
    }
    const result = await walkRoots(request.roots, {
      settings: request.settings,
      env: this.options.env,
      repos: this.repos,
      ...(request.signal ? { signal: request.signal } : {}),
    });
    this.last = { result, byAbs: new Map(result.files.map((f) => [f.abs, f])) };
    this.valid = true;
    return result;
  }
}
