// The port through which conversations get the repository: a full pack, or the files changed since a
// manifest (appended as an "updated files" section so the cached prefix is never rewritten).
// The context engine (src/context/engine.ts) and the extension's warm ContextService provide both
// operations; `contextSourceOf` adds the workspace key the cache plan files base packs under.
import { createHash } from 'node:crypto';
import type { Pack, PackDelta, PackManifest, PackRequest, WorkspaceRoot } from '../context/types';

export interface ContextSource {
  /** A stable id of the workspace (its roots): keys the base pack reused by new conversations. */
  readonly workspaceKey: string;
  /** Packs the workspace into the repository block. */
  pack(request: PackRequest): Promise<Pack>;
  /** Files changed, added and removed since `manifest`, rendered to append after the prefix. */
  updatesSince(manifest: PackManifest, request: PackRequest): Promise<PackDelta>;
}

/** What packs a workspace: a ContextEngine, or the extension's ContextService around one. */
export interface PackProvider {
  pack(request: PackRequest): Promise<Pack>;
  updatesSince(manifest: PackManifest, request: PackRequest): Promise<PackDelta>;
}

/** The workspace key of a set of roots (order-sensitive: the pack is too). */
export function workspaceKeyOf(roots: WorkspaceRoot[]): string {
  return createHash('sha256')
    .update(JSON.stringify(roots.map((r) => [r.name, r.path])))
    .digest('hex')
    .slice(0, 16);
}

/** A ContextSource over `provider` for the workspace `roots`. */
export function contextSourceOf(provider: PackProvider, roots: WorkspaceRoot[]): ContextSource {
  return {
    workspaceKey: workspaceKeyOf(roots),
    pack: (r) => provider.pack(r),
    updatesSince: (m, r) => provider.updatesSince(m, r),
  };
}
