// The workspace port over the context engine (or anything that gives its ToolView): read_files,
// search and the targets of edits go through src/context/workspaceTools.ts, so the pack's ignore
// rules and secret redaction apply to tool results exactly as to the repository block. The
// extension and the CLI both use it.
import { editTargetsIn, readFilesIn, searchIn, toolLabel, type ToolView } from '../../context/workspaceTools';
import type { WorkspacePort } from './ports';

/** What gives a fresh view of the workspace: ContextEngine.toolView. */
export interface ToolViewSource {
  toolView(labels: string[], signal?: AbortSignal): Promise<ToolView>;
}

/** The WorkspacePort of `source` (its roots decide how paths are read). */
export function workspacePort(source: ToolViewSource, roots: Parameters<typeof toolLabel>[0]): WorkspacePort {
  const labels = (paths: string[]) =>
    paths.flatMap((p) => {
      const l = toolLabel(roots, p);
      return l.ok ? [l.label] : [];
    });
  return {
    readFiles: async (paths, signal) => readFilesIn(await source.toolView(labels(paths), signal), paths),
    search: async (query, signal) => searchIn(await source.toolView([], signal), query, signal),
    editTargets: async (paths, signal) => editTargetsIn(await source.toolView(labels(paths), signal), paths),
  };
}
