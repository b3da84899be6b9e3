// One-shot packing for callers that pack once and exit (the CLI's `ask`, callers not yet holding a
// long-lived ContextEngine): an engine with the default cache directory, disposed after the pack.
import { ContextEngine, type ContextEngineOptions } from './engine';
import { defaultCacheDir } from './read/tokenCache';
import type { Pack, PackRequest, WorkspaceRoot } from './types';

/** Packs `roots` once (token counts cached in the default cache dir unless `options.cacheDir` says otherwise). */
export async function packWorkspace(
  roots: WorkspaceRoot[],
  request: PackRequest,
  options: Partial<ContextEngineOptions> = {},
): Promise<Pack> {
  const engine = new ContextEngine({ cacheDir: defaultCacheDir(), oneShot: true, ...options, roots });
  try {
    return await engine.pack(request);
  } finally {
    engine.dispose();
  }
}
