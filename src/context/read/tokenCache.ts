// Token counts by content hash, kept in memory and persisted in the cache directory so a later run
// (CLI or extension) does not count unchanged files again. Binary records (16-byte hash prefix +
// uint32 count), written whole to a temporary file and renamed, so concurrent runs never see half a file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { countTokens } from '../tokens';
import { sha256 } from './processFile';

const RECORD = 20;
const MAX_RECORDS = 1_000_000;

/** The default cache directory: $XDG_CACHE_HOME/deepseek-repo, else ~/.cache/deepseek-repo. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache');
  return path.join(base, 'deepseek-repo');
}

const PROBE =
  'export function add(a: number, b: number): number {\n  return a + b; // 加法\n}\n\tconst x = "héllo wörld";\n';

/** The counter's counts on a few probes, hashed: changes whenever the token counter does. */
export function counterFingerprint(): string {
  return sha256([PROBE, PROBE.repeat(7), 'x'.repeat(1000), ' '.repeat(64)].map(countTokens).join(',')).slice(0, 12);
}

/**
 * Names the cache file: counts from another counter are never reused. It is `counterFingerprint()`
 * written down, so opening the cache does not load the tokenizer on the calling thread (a cold
 * pack counts on worker threads only); a unit test fails when the two differ, asking for an update.
 */
export const COUNTER_ID = '9c84a40d441b';

export class TokenCache {
  private readonly map = new Map<string, number>();
  private added = 0;

  /** `file` is undefined for a memory-only cache. */
  constructor(readonly file?: string) {
    if (file) this.load(file, this.map);
  }

  static inDir(dir: string | undefined): TokenCache {
    return new TokenCache(dir ? path.join(dir, `tokens-${COUNTER_ID}.bin`) : undefined);
  }

  get size(): number {
    return this.map.size;
  }

  /** True when counts were added since the last save. */
  get dirty(): boolean {
    return this.added > 0;
  }

  get(hash: string): number | undefined {
    return this.map.get(hash.slice(0, 32));
  }

  set(hash: string, tokens: number): void {
    const key = hash.slice(0, 32);
    if (this.map.get(key) === tokens) return;
    this.map.set(key, tokens);
    this.added++;
  }

  /** Writes the cache (merged with what other runs wrote meanwhile) if anything was added. */
  save(): void {
    if (!this.file || this.added === 0) return;
    const merged = new Map<string, number>();
    this.load(this.file, merged);
    for (const [k, v] of this.map) merged.set(k, v);
    const entries = [...merged].slice(-MAX_RECORDS);
    const buf = Buffer.alloc(entries.length * RECORD);
    entries.forEach(([k, v], i) => {
      buf.write(k, i * RECORD, 16, 'hex');
      buf.writeUInt32LE(Math.min(v, 0xffffffff), i * RECORD + 16);
    });
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    fs.writeFileSync(tmp, buf);
    fs.renameSync(tmp, this.file);
    this.added = 0;
  }

  private load(file: string, into: Map<string, number>): void {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(file);
    } catch {
      return;
    }
    for (let off = 0; off + RECORD <= buf.length; off += RECORD)
      into.set(buf.toString('hex', off, off + 16), buf.readUInt32LE(off + 16));
  }
}
