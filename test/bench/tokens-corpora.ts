// Code corpora for the token benchmark, built reproducibly from pinned npm packages with `npm pack`
// into the gitignored .bench/ folder. A corpus is the package's source-like text files (scripts,
// type declarations, JSON, markdown), without source maps and minified bundles, which the pack
// engine leaves out too.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const BENCH_DIR = path.resolve(__dirname, '../../.bench/tokens');

/** The corpora, by npm package spec. */
export const CORPORA = ['lodash@4.18.1', 'rxjs@7.8.2', 'three@0.170.0', 'typescript@5.9.3', '@babel/standalone@8.0.6'];

const TEXT = /\.(?:[cm]?js|[cm]?ts|jsx|tsx|json|md)$/;
const SKIP = /\.min\.js$|\.map$/;

export interface CorpusFile {
  path: string;
  text: string;
}

export interface Corpus {
  spec: string;
  files: CorpusFile[];
  bytes: number;
}

/** Downloads (once) and reads one corpus. */
export function loadCorpus(spec: string): Corpus {
  const dir = path.join(BENCH_DIR, spec.replace(/[@/]/g, '_').replace(/^_/, ''));
  if (!fs.existsSync(path.join(dir, 'package'))) {
    fs.mkdirSync(dir, { recursive: true });
    const out = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', dir], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop()!;
    execFileSync('tar', ['xzf', path.join(dir, out), '-C', dir]);
  }
  const files: CorpusFile[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (TEXT.test(e.name) && !SKIP.test(e.name))
        files.push({ path: path.relative(dir, p), text: fs.readFileSync(p, 'utf8') });
    }
  };
  walk(path.join(dir, 'package'));
  return { spec, files, bytes: files.reduce((n, f) => n + Buffer.byteLength(f.text), 0) };
}
