// The floor under a packer that counts exactly and scans for secrets what it sends, built by
// pack.bench.ts into .bench/send-floor/ (minified, like the CLI) and run as a fresh process:
//   node .bench/send-floor/send-floor.js DIR FILES.json even|counter|no-count
// FILES.json is {"read": [...], "sent": [...]}: the paths a packer must read (the real pack's files
// but those it left out without reading them: over the size limit, ignored, binary) and those it
// sent whole. Two worker threads start before the walk; the main thread walks DIR (all files but
// .git), then hands out the work. Each file to read is read, checked for a NUL byte and decoded;
// each sent one is also scanned for secrets and counted, with the pack's own scanner and
// tokenizer. `even`: each thread takes half of the work, scanning and counting what it reads;
// `counter`: one thread only counts the sent files, the other reads everything and scans (the pack
// engine's split: the tokenizer loads and warms up in one thread); `no-count`: `even` without the
// count, the floor of a packer that only estimates tokens. Nothing else: no ignore rules,
// outlines, hashes, ranking, budget, assembly or output, and the work is split with hindsight (what
// is read and sent is known before anything is read), which no real packer can do.
// Prints {"files", "readFiles", "sentFiles", "tokens", "findings"} on stdout.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { redactSecrets } from '../../src/context/secrets';
import { countTokens } from '../../src/context/tokens';

interface Job {
  rel: string;
  scan: boolean;
  count: boolean;
}
export interface FloorFiles {
  read: string[];
  sent: string[];
}
interface Done {
  tokens: number;
  findings: number;
}

/** Relative cost of a sent byte against a byte only read (scan + count vs read), for balancing. */
const SENT_WEIGHT = 20;

function main(): void {
  const [root, listFile, split] = process.argv.slice(2);
  if (!root || !listFile || !(split === 'even' || split === 'counter' || split === 'no-count'))
    throw new Error('usage: send-floor DIR FILES.json even|counter|no-count');
  const workers = [0, 1].map(() => new Worker(__filename, { workerData: { root } }));
  const list = JSON.parse(fs.readFileSync(listFile, 'utf8')) as FloorFiles;
  const read = new Set(list.read);
  const sent = new Set(list.sent);
  const files: { rel: string; size: number }[] = [];
  (function walk(dir: string) {
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (rel !== '.git') walk(rel);
      } else if (e.isFile()) files.push({ rel, size: fs.statSync(path.join(root, rel)).size });
    }
  })('');
  const jobs: Job[][] = [[], []];
  const load = [0, 0];
  for (const f of files.filter((x) => read.has(x.rel)).sort((a, b) => b.size - a.size)) {
    const send = sent.has(f.rel);
    if (split === 'counter') {
      if (send) jobs[0]!.push({ rel: f.rel, scan: false, count: true });
      jobs[1]!.push({ rel: f.rel, scan: send, count: false });
      continue;
    }
    const w = load[0]! <= load[1]! ? 0 : 1;
    jobs[w]!.push({ rel: f.rel, scan: send, count: send && split === 'even' });
    load[w]! += send ? f.size * SENT_WEIGHT : f.size;
  }
  const results: Done[] = [];
  workers.forEach((w, i) => {
    w.once('message', (d: Done) => {
      results.push(d);
      if (results.length < workers.length) return;
      const sum = (k: keyof Done) => results.reduce((n, r) => n + r[k], 0);
      process.stdout.write(
        JSON.stringify({
          files: files.length,
          readFiles: new Set(jobs.flat().map((j) => j.rel)).size,
          sentFiles: files.filter((f) => sent.has(f.rel)).length,
          tokens: sum('tokens'),
          findings: sum('findings'),
        }),
      );
      for (const x of workers) void x.terminate();
    });
    w.postMessage(jobs[i]);
  });
}

function worker(): void {
  const { root } = workerData as { root: string };
  parentPort!.once('message', (jobs: Job[]) => {
    const done: Done = { tokens: 0, findings: 0 };
    for (const j of jobs) {
      const buf = fs.readFileSync(path.join(root, j.rel));
      if (buf.subarray(0, 8000).includes(0)) continue;
      const text = buf.toString('utf8');
      if (j.scan) done.findings += redactSecrets(text).findings.length;
      if (j.count) done.tokens += countTokens(text);
    }
    parentPort!.postMessage(done);
  });
}

if (isMainThread) main();
else worker();
