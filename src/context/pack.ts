// Builds the repository block: a header with the file tree, then every included file, in a
// deterministic order with normalised line endings, so the same repository gives the same bytes.
import { createHash } from 'node:crypto';
import { scanRoots } from './scan';
import { countTokens } from './tokens';
import type { FileReport, Pack, PackRequest, WorkspaceRoot } from './types';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Packs the workspace roots into one repository block within `request.budgetTokens`. */
export function packWorkspace(roots: WorkspaceRoot[], request: PackRequest): Pack {
  const t0 = Date.now();
  const scan = scanRoots(roots);
  const multi = roots.length > 1;
  const label = (root: string, rel: string) => (multi ? `${root}/${rel}` : rel);
  const files: FileReport[] = [];
  const parts: string[] = [];
  const manifestFiles: Record<string, string> = {};
  let used = 0;
  for (const f of scan.files) {
    const text = f.text.replace(/\r\n?/g, '\n');
    const p = label(f.root, f.rel);
    const block = `<file path="${p}">\n${text}${text.endsWith('\n') ? '' : '\n'}</file>\n`;
    const tokens = countTokens(block);
    if (used + tokens > request.budgetTokens) {
      files.push({ root: f.root, path: p, bytes: f.bytes, tokens: 0, status: 'excluded', reason: 'budget' });
      continue;
    }
    used += tokens;
    const hash = sha256(text);
    manifestFiles[p] = hash;
    files.push({ root: f.root, path: p, bytes: f.bytes, tokens, status: 'included', hash });
    parts.push(block);
  }
  for (const x of scan.excluded) files.push({ ...x, path: label(x.root, x.path) });
  const tree = files.filter((f) => f.status === 'included').map((f) => `  ${f.path}`).join('\n');
  const header = `<repository roots="${roots.map((r) => r.name).join(', ')}">\nFiles:\n${tree}\n\n`;
  const text = header + parts.join('') + '</repository>\n';
  const tokens = countTokens(text);
  return {
    text,
    tokens,
    manifest: { hash: sha256(text), tokens, files: manifestFiles },
    roots,
    files,
    redactions: [],
    warnings: scan.warnings,
    stats: { scannedFiles: scan.files.length, readBytes: scan.files.reduce((n, f) => n + f.bytes, 0), elapsedMs: Date.now() - t0, tokenCacheHits: 0 },
  };
}
