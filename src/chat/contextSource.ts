// The port through which conversations get the repository: a full pack, or the files changed since a
// manifest (appended as an "updated files" section so the cached prefix is never rewritten).
// `workspaceContextSource` adapts the first-slice packer to it; the context engine's
// `ContextEngine` (pack / updatesSince) satisfies the same interface.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packWorkspace } from '../context/pack';
import { redactSecrets } from '../context/secrets';
import { countTokens } from '../context/tokens';
import type { Pack, PackDelta, PackManifest, PackRequest, Redaction, WorkspaceRoot } from '../context/types';

export interface ContextSource {
  /** A stable id of the workspace (its roots): keys the base pack reused by new conversations. */
  readonly workspaceKey: string;
  /** Packs the workspace into the repository block. */
  pack(request: PackRequest): Promise<Pack>;
  /** Files changed, added and removed since `manifest`, rendered to append after the prefix. */
  updatesSince(manifest: PackManifest, request: PackRequest): Promise<PackDelta>;
}

/** The workspace key of a set of roots (order-sensitive: the pack is too). */
export function workspaceKeyOf(roots: WorkspaceRoot[]): string {
  return createHash('sha256').update(JSON.stringify(roots.map((r) => [r.name, r.path]))).digest('hex').slice(0, 16);
}

/** Renders the "updated files" section: changed and added files whole, then the removed paths. */
export function renderUpdatedFiles(files: Array<{ path: string; text: string }>, removed: string[]): string {
  if (files.length === 0 && removed.length === 0) return '';
  const blocks = files.map((f) => `<file path="${f.path}">\n${f.text}${f.text.endsWith('\n') ? '' : '\n'}</file>\n`);
  const gone = removed.map((p) => `<removed path="${p}"/>\n`);
  return `<updated_files>\n${blocks.join('')}${gone.join('')}</updated_files>\n`;
}

/** A ContextSource over the first-slice packer: a delta re-packs and reads the changed files. */
export function workspaceContextSource(roots: WorkspaceRoot[]): ContextSource {
  const multi = roots.length > 1;
  const locate = (label: string): string | undefined => {
    if (!multi) return path.join(roots[0]!.path, label);
    const slash = label.indexOf('/');
    const root = roots.find((r) => r.name === label.slice(0, slash));
    return root && path.join(root.path, label.slice(slash + 1));
  };
  return {
    workspaceKey: workspaceKeyOf(roots),
    pack: async (request) => packWorkspace(roots, request),
    updatesSince: async (manifest, request) => {
      const now = packWorkspace(roots, request).manifest.files;
      const changed = Object.keys(now).filter((p) => p in manifest.files && manifest.files[p] !== now[p]);
      const added = Object.keys(now).filter((p) => !(p in manifest.files));
      const removed = Object.keys(manifest.files).filter((p) => !(p in now));
      const files: Array<{ path: string; text: string }> = [];
      const redactions: Redaction[] = [];
      for (const p of [...changed, ...added].sort()) {
        const abs = locate(p);
        let raw: string;
        try {
          raw = abs ? fs.readFileSync(abs, 'utf8') : '';
        } catch {
          removed.push(p); // vanished since the re-pack
          continue;
        }
        const { text, findings } = redactSecrets(raw.replace(/\r\n?/g, '\n'));
        findings.forEach((f) => redactions.push({ path: p, line: f.line, rule: f.rule }));
        files.push({ path: p, text });
      }
      const text = renderUpdatedFiles(files, removed.sort());
      const hashes = Object.fromEntries(files.map((f) => [f.path, now[f.path]!]));
      return { text, tokens: text ? countTokens(text) : 0, changed, added, removed, redactions, files: hashes };
    },
  };
}
