// The repository the MCP server serves: one ContextEngine over its folders, kept warm between calls (a
// second call re-reads only the files whose stat changed), used by one call at a time, since a call's
// include/exclude patterns are the engine's settings while it packs. A call that repeats the last one
// while nothing its walk read has changed (stats only: ContextEngine.lastWalkHolds) gets the same pack
// without packing again. Paths the caller names are checked to lie inside the folders.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { contextSourceOf, type ContextSource } from '../chat/contextSource';
import { ContextEngine } from '../context/engine';
import { isWithin } from '../context/scan/paths';
import type { ContextSettings, Pack, PackRequest, WorkspaceRoot } from '../context/types';
import type { Logger } from '../shared/log';

/** A caller's mistake (a path outside the workspace, a missing file): the tool answers with it as an error. */
export class ToolInputError extends Error {}

export class McpWorkspace {
  private readonly engine: ContextEngine;
  private queue: Promise<unknown> = Promise.resolve();
  /** The last pack this workspace made and what it was asked for (request and settings, as JSON). */
  private last: { key: string; pack: Pack } | undefined;

  constructor(
    readonly roots: WorkspaceRoot[],
    options: { cacheDir: string | undefined; logger?: Logger },
  ) {
    this.engine = new ContextEngine({
      roots,
      cacheDir: options.cacheDir,
      // The server waits while a cold pack reads, so its thread reads too (one worker thread fewer, as the CLI);
      // that reader answers one batch a turn of the event loop, so requests are still read and queued meanwhile.
      readHere: true,
      ...(options.logger ? { logger: options.logger } : {}),
    });
  }

  /** Packs `request` with `settings` (a call's include/exclude), after the calls before it. */
  pack(request: PackRequest, settings: Partial<ContextSettings>, signal?: AbortSignal): Promise<Pack> {
    return this.exclusive(async () => {
      this.engine.setSettings(settings);
      const key = JSON.stringify({ request, settings });
      if (this.last?.key === key && this.engine.lastWalkHolds()) return this.last.pack;
      this.last = undefined;
      const pack = await this.engine.pack(request, signal);
      this.last = { key, pack };
      return pack;
    });
  }

  /** What `ask_repository` conversations pack from: the default settings, as the CLI's `ask`. */
  source(): ContextSource {
    return contextSourceOf(
      {
        pack: (request) => this.pack(request, {}),
        updatesSince: (manifest, request) =>
          this.exclusive(() => {
            // It walks again: the last pack's walk is no longer the one the engine would compare with.
            this.last = undefined;
            this.engine.setSettings({});
            return this.engine.updatesSince(manifest, request);
          }),
      },
      this.roots,
    );
  }

  /**
   * Absolute paths for `paths` named as `pack --json` names them (relative to the folder; with
   * several folders, after the folder's name) or absolute. Throws a ToolInputError for a path outside
   * the folders or one that does not exist.
   */
  resolve(paths: readonly string[], what: string): string[] {
    return paths.map((p) => {
      const abs = this.absolute(p);
      if (!abs || !this.roots.some((r) => isWithin(abs, r.path)))
        throw new ToolInputError(
          `${what}: ${p} is outside the workspace (${this.roots.map((r) => r.path).join(', ')})`,
        );
      if (!fs.existsSync(abs)) throw new ToolInputError(`${what}: ${p} does not exist in the workspace`);
      return abs;
    });
  }

  /** Saves the token counts for the next run and drops the warm state. */
  dispose(): void {
    this.engine.dispose();
  }

  private absolute(p: string): string | undefined {
    if (path.isAbsolute(p)) return path.resolve(p);
    if (this.roots.length === 1) return path.resolve(this.roots[0]!.path, p);
    const [name, ...rest] = p.split(/[\\/]/);
    const root = this.roots.find((r) => r.name === name);
    return root ? path.resolve(root.path, ...rest) : undefined;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
