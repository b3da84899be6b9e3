// Each task of a set made ready to place, without checking anything out (quick.ts, tune.ts): the task's tree read
// from git objects (`git ls-tree`, `git cat-file --batch`), filtered by the walk's name and content rules, as
// candidates the ranking and budget take (rank.ts, budget.ts), with exact token counts remembered by blob between
// runs (in the clones' folder), BM25's documents, and the past commits of the 1,000 before the task's parent.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Candidate } from '../../../src/context/place/budget';
import { historyLogArgs, parseHistoryLog } from '../../../src/context/place/gitHistory';
import { ImportResolver, importSpecifiers } from '../../../src/context/place/imports';
import { fileBlock, PACK_FOOTER, renderHeader, type TreeEntry } from '../../../src/context/place/render';
import { termStats, type TermStats } from '../../../src/context/place/terms';
import { makeOutline } from '../../../src/context/read/processFile';
import { contentExclusion, hasNul, isBinaryName, nameExclusion } from '../../../src/context/scan/fileKinds';
import { countTokens } from '../../../src/context/tokens';
import { bm25Doc, type Bm25Doc } from './bm25';
import type { Task, TaskSet } from './tasks';

interface Blob {
  text: string;
  tokens: number;
  terms?: TermStats;
  imports?: string[];
  outline?: { block: string; tokens: number } | null;
  bm?: Bm25Doc;
}

const counts = new Map<string, number>();
const countCached = (text: string, key: string) => {
  let n = counts.get(key);
  if (n === undefined) counts.set(key, (n = countTokens(text)));
  return n;
};

async function readBlobs(dir: string, shas: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!shas.length) return out;
  const p = spawn('git', ['-C', dir, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const chunks: Buffer[] = [];
  p.stdout.on('data', (c: Buffer) => chunks.push(c));
  p.stdin.end(shas.join('\n') + '\n');
  await new Promise((r) => p.on('close', r));
  const buf = Buffer.concat(chunks);
  let at = 0;
  for (const sha of shas) {
    const nl = buf.indexOf(10, at);
    const size = Number(buf.subarray(at, nl).toString().split(' ')[2]);
    const body = buf.subarray(nl + 1, nl + 1 + size);
    at = nl + 1 + size + 1;
    if (!hasNul(body.subarray(0, 8000))) out.set(sha, body.toString('utf8'));
  }
  return out;
}

/** One task ready to place. */
export interface Prepared {
  task: Task;
  cands: Candidate[];
  docs: Bm25Doc[];
  resolver: ImportResolver;
  head: (tree: TreeEntry[]) => Promise<{ text: string; tokens: number }>;
}

/** The tasks of `set` (the first `limit`), each ready to place; `dir` is its clone. Saves the counts when done. */
export async function* prepareTasks(
  set: TaskSet,
  dir: string,
  clones: string,
  limit = Infinity,
): AsyncGenerator<Prepared> {
  const cacheFile = path.join(clones, `.quick-counts-${set.name}.json`);
  readCounts(cacheFile);
  const blobs = new Map<string, Blob>();
  for (const task of set.tasks.slice(0, limit)) {
    const tree = execFileSync('git', ['-C', dir, 'ls-tree', '-r', '-l', task.parent], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    })
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [meta, p] = l.split('\t') as [string, string];
        const [mode, type, sha, size] = meta.split(/\s+/) as [string, string, string, string];
        return { mode, type, sha, size: Number(size), path: p };
      })
      .filter(
        (e) =>
          e.type === 'blob' &&
          e.mode !== '120000' &&
          e.size <= 1_048_576 &&
          !isBinaryName(e.path) &&
          !nameExclusion(path.basename(e.path)),
      );
    const need = [...new Set(tree.filter((e) => !blobs.has(e.sha)).map((e) => e.sha))];
    const texts = await readBlobs(dir, need);
    for (const [sha, text] of texts) blobs.set(sha, { text, tokens: countCached(text, sha) });
    const files = tree.filter(
      (e) => blobs.has(e.sha) && !contentExclusion(path.basename(e.path), blobs.get(e.sha)!.text),
    );
    const resolver = new ImportResolver(files.map((f) => f.path));
    const past = parseHistoryLog(
      execFileSync('git', historyLogArgs(dir, task.parent), { encoding: 'utf8', maxBuffer: 1 << 28 }),
    ).commits;
    const cands: Candidate[] = files.map((f) => {
      const b = blobs.get(f.sha)!;
      const tags = countCached(fileBlock(f.path, ''), 'tags:' + f.path);
      const bytes = Buffer.byteLength(b.text);
      return {
        label: f.path,
        abs: '/r/' + f.path,
        bytes,
        text: () => b.text,
        imports: () => (b.imports ??= importSpecifiers(f.path, b.text)),
        terms: () => (b.terms ??= termStats(b.text, f.path)),
        tokens: async () => b.tokens + tags,
        knownTokens: () => b.tokens + tags,
        block: () => fileBlock(f.path, b.text),
        minTokens: Math.ceil(bytes / 8) + tags,
        recency: 0,
        changedInGit: false,
        pastCommits: past.get(f.path) ?? [],
        outline: () => {
          if (b.outline === undefined) {
            const o = makeOutline(f.path, b.text, false);
            b.outline = o ? { block: o.block, tokens: countCached(o.block, 'outline:' + f.sha + f.path) } : null;
          }
          return b.outline ?? undefined;
        },
        sentOutline: () => b.outline ?? undefined,
      };
    });
    const docs = files.map((f) => {
      const b = blobs.get(f.sha)!;
      return (b.bm ??= bm25Doc(f.path, b.text, b.tokens + countCached(fileBlock(f.path, ''), 'tags:' + f.path)));
    });
    const roots = [{ name: set.name, path: dir }];
    const head = async (t: { label: string; status: 'included' | 'outline' | 'excluded' }[]) => {
      const text = renderHeader(roots, t);
      return { text, tokens: countTokens(text + PACK_FOOTER) };
    };
    yield { task, cands, docs, resolver, head };
  }
  // Runs side by side (quick.ts beside tune.ts) share the file: what another wrote meanwhile is kept, and the file is
  // replaced whole, never read half written.
  readCounts(cacheFile);
  const temp = `${cacheFile}.${process.pid}`;
  fs.writeFileSync(temp, JSON.stringify(Object.fromEntries(counts)));
  fs.renameSync(temp, cacheFile);
  counts.clear();
}

/** Adds the exact counts remembered in `file` (blob -> tokens), when there is one, to `counts`. */
function readCounts(file: string): void {
  if (!fs.existsSync(file)) return;
  for (const [k, v] of Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, number>))
    counts.set(k, v);
}

/**
 * The sets to look at: those of `setFiles` (comma-separated paths), or every set of sets/, named in `names` (all when
 * absent) and whose clone is in `clones`; each with its clone.
 */
export function chosenSets(clones: string, names?: string, setFiles?: string): { set: TaskSet; dir: string }[] {
  const want = names?.split(',');
  const files =
    setFiles?.split(',') ?? fs.readdirSync(path.join(__dirname, 'sets')).map((f) => path.join(__dirname, 'sets', f));
  return files
    .map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as TaskSet)
    .filter((s) => !want || want.includes(s.name))
    .map((set) => ({ set, dir: path.join(clones, set.name) }))
    .filter((s) => fs.existsSync(s.dir));
}
