// An in-memory workspace implementing the ContextSource port, for chat tests and the cache
// benchmark: deterministic pack bytes, edits between questions, and deltas with per-file hashes.
// Also a seeded generator of realistic-looking source files of a chosen total size.
import { createHash } from 'node:crypto';
import type { ContextSource } from '../../src/chat/contextSource';
import { fileBlock, renderUpdate } from '../../src/context/place/render';
import { countTokens } from '../../src/context/tokens';
import type { FileReport, Pack, PackDelta, PackManifest, PackRequest } from '../../src/context/types';
import { rng } from './random';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

export class MemoryRepo implements ContextSource {
  readonly files = new Map<string, string>();
  /** Calls, for assertions. */
  readonly calls = { pack: 0, updatesSince: 0 };
  /** Every request given to pack and updatesSince, in order, for assertions. */
  readonly requests: PackRequest[] = [];

  constructor(
    files: Record<string, string>,
    readonly workspaceKey = 'memory-repo',
  ) {
    for (const [p, t] of Object.entries(files)) this.files.set(p, t);
  }

  edit(path: string, text: string): void {
    this.files.set(path, text);
  }

  remove(path: string): void {
    this.files.delete(path);
  }

  async pack(request: PackRequest): Promise<Pack> {
    this.calls.pack++;
    this.requests.push(request);
    const reports: FileReport[] = [];
    const parts: string[] = [];
    const manifestFiles: Record<string, string> = {};
    let used = 0;
    for (const p of [...this.files.keys()].sort()) {
      const text = this.files.get(p)!;
      const b = fileBlock(p, text);
      const tokens = countTokens(b);
      if (used + tokens > request.budgetTokens) {
        reports.push({ root: 'mem', path: p, bytes: text.length, tokens: 0, status: 'excluded', reason: 'budget' });
        continue;
      }
      used += tokens;
      manifestFiles[p] = sha(text);
      reports.push({ root: 'mem', path: p, bytes: text.length, tokens, status: 'included', hash: manifestFiles[p] });
      parts.push(b);
    }
    const tree = Object.keys(manifestFiles)
      .map((p) => `  ${p}`)
      .join('\n');
    const text = `<repository roots="mem">\nFiles:\n${tree}\n\n${parts.join('')}</repository>\n`;
    const tokens = countTokens(text);
    return {
      text,
      tokens,
      manifest: { hash: sha(text), tokens, files: manifestFiles },
      roots: [{ name: 'mem', path: '/mem' }],
      files: reports,
      redactions: [],
      warnings: [],
      stats: { scannedFiles: this.files.size, readBytes: 0, elapsedMs: 0, tokenCacheHits: 0 },
    };
  }

  async updatesSince(manifest: PackManifest, request?: PackRequest): Promise<PackDelta> {
    this.calls.updatesSince++;
    if (request) this.requests.push(request);
    const now = new Map([...this.files].map(([p, t]) => [p, sha(t)]));
    const changed = [...now.keys()].filter((p) => p in manifest.files && manifest.files[p] !== now.get(p)).sort();
    const added = [...now.keys()].filter((p) => !(p in manifest.files)).sort();
    const removed = Object.keys(manifest.files)
      .filter((p) => !now.has(p))
      .sort();
    const sent = [...changed, ...added].sort();
    const text = renderUpdate(
      sent.map((p) => fileBlock(p, this.files.get(p)!)),
      removed,
    );
    return {
      text,
      tokens: text ? countTokens(text) : 0,
      changed,
      added,
      removed,
      redactions: [],
      files: Object.fromEntries(sent.map((p) => [p, now.get(p)!])),
    };
  }
}

const WORDS = [
  'user',
  'session',
  'request',
  'cache',
  'token',
  'config',
  'handler',
  'result',
  'value',
  'index',
  'stream',
  'buffer',
  'parse',
  'render',
  'queue',
  'store',
  'event',
  'error',
  'item',
  'count',
];

/** One TypeScript-looking source file of about `bytes` bytes. */
export function sourceFile(seed: number, bytes: number): string {
  const r = rng(seed);
  const w = () => WORDS[Math.floor(r() * WORDS.length)]!;
  const cap = (s: string) => s[0]!.toUpperCase() + s.slice(1);
  const lines: string[] = [
    `// ${cap(w())} ${w()} module ${seed}.`,
    `import { ${w()}${cap(w())} } from './${w()}';`,
    '',
  ];
  let size = lines.join('\n').length;
  while (size < bytes) {
    const name = `${w()}${cap(w())}${Math.floor(r() * 1000)}`;
    const fn = [
      `/** Returns the ${w()} of a ${w()} for the ${w()} ${w()}. */`,
      `export function ${name}(${w()}: ${cap(w())}, ${w()}Count: number): ${cap(w())} | undefined {`,
      `  const ${w()} = ${w()}.${w()}(${Math.floor(r() * 100)});`,
      `  if (${w()}Count > ${Math.floor(r() * 64)}) return undefined;`,
      `  return { ${w()}: ${w()}, ${w()}: '${w()}-${w()}' };`,
      '}',
      '',
    ].join('\n');
    lines.push(fn);
    size += fn.length + 1;
  }
  return lines.join('\n');
}

/** A repository of `fileCount` files totalling about `totalBytes` bytes. */
export function syntheticRepo(fileCount: number, totalBytes: number, seed = 1): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < fileCount; i++) {
    const dir = WORDS[i % WORDS.length]!;
    files[`src/${dir}/${dir}${i}.ts`] = sourceFile(seed * 100_003 + i, Math.round(totalBytes / fileCount));
  }
  return files;
}
