// What is known about a text by its content hash, kept in memory and persisted in the cache directory so a later
// run (CLI or extension) does not do it again for an unchanged file: its token count, that the secret scanner found
// nothing in it, and its outline (counted) under a label. Binary records, one file per counter, one per scanner and one
// per outliner and set of roots (named after them, so another counter's counts, another scanner's verdicts or another
// outliner's outlines are never reused; outlines are large, so each repository's are read alone), written whole to a
// temporary file and renamed, so concurrent runs never see half a file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SCANNER_ID } from '../secrets';
import { countTokens } from '../tokens';
import { OUTLINER_ID } from '../place/outline';
import { sha256, type KeptOutline, type Known } from './processFile';

/** Bytes of a hash kept as a key (its first 32 hex digits). */
const KEY = 16;

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

/** How a kind of record is written and read: `read` returns the key, value and the offset after it, if whole. */
interface Codec<V> {
  write(key: string, value: V): Buffer[];
  read(buf: Buffer, off: number): [string, V, number] | undefined;
}

const hashKey = (hash: string) => hash.slice(0, 2 * KEY);

/** A hash prefix and a uint32 (a token count). */
const COUNT: Codec<number> = {
  write: (key, n) => {
    const b = Buffer.alloc(KEY + 4);
    b.write(key, 0, KEY, 'hex');
    b.writeUInt32LE(Math.min(n, 0xffffffff), KEY);
    return [b];
  },
  read: (buf, off) =>
    off + KEY + 4 <= buf.length
      ? [buf.toString('hex', off, off + KEY), buf.readUInt32LE(off + KEY), off + KEY + 4]
      : undefined,
};

/** A hash prefix alone (a clean scan). */
const MARK: Codec<true> = {
  write: (key) => [Buffer.from(key, 'hex')],
  read: (buf, off) => (off + KEY <= buf.length ? [buf.toString('hex', off, off + KEY), true, off + KEY] : undefined),
};

/** key (a label) as length-prefixed UTF-8, the hash prefix, tokens, the block, the shown lines' count and numbers. */
const OUTLINE: Codec<KeptOutline> = {
  write: (label, o) => {
    const k = Buffer.from(label);
    const block = Buffer.from(o.block);
    const head = Buffer.alloc(12 + KEY);
    head.writeUInt32LE(k.length, 0);
    head.writeUInt32LE(block.length, 4);
    head.writeUInt32LE(o.tokens, 8);
    head.write(o.hash, 12, KEY, 'hex');
    const shown = Buffer.alloc(4 + 4 * o.shown.length);
    shown.writeUInt32LE(o.shown.length, 0);
    o.shown.forEach((n, i) => shown.writeInt32LE(n, 4 + 4 * i));
    return [head, k, block, shown];
  },
  read: (buf, off) => {
    if (off + 12 + KEY > buf.length) return undefined;
    const [kLen, bLen, tokens] = [buf.readUInt32LE(off), buf.readUInt32LE(off + 4), buf.readUInt32LE(off + 8)];
    const hash = buf.toString('hex', off + 12, off + 12 + KEY);
    const from = off + 12 + KEY;
    let at = from + kLen + bLen;
    if (at + 4 > buf.length) return undefined;
    const n = buf.readUInt32LE(at);
    if (at + 4 + 4 * n > buf.length) return undefined;
    const shown = new Int32Array(n);
    for (let i = 0; i < n; i++) shown[i] = buf.readInt32LE(at + 4 + 4 * i);
    const label = buf.toString('utf8', from, from + kLen);
    const block = buf.toString('utf8', from + kLen, at);
    at += 4 + 4 * n;
    return [label, { hash, block, tokens, shown }, at];
  },
};

/** Records of one kind by key, in memory and in `file`, the newest `max` kept. */
class Records<V> {
  readonly map = new Map<string, V>();
  private added = 0;

  constructor(
    readonly file: string | undefined,
    private readonly codec: Codec<V>,
    private readonly max: number,
  ) {
    if (file) this.load(file, this.map);
  }

  get dirty(): boolean {
    return this.added > 0;
  }

  add(key: string, value: V, same: (a: V) => boolean = (a) => a === value): void {
    const was = this.map.get(key);
    if (was !== undefined && same(was)) return;
    this.map.set(key, value);
    this.added++;
  }

  /** Writes the records (merged with what other runs wrote meanwhile) if any were added. */
  save(): void {
    if (!this.file || this.added === 0) return;
    const merged = new Map<string, V>();
    this.load(this.file, merged);
    for (const [k, v] of this.map) {
      merged.delete(k); // the newest last
      merged.set(k, v);
    }
    const parts = [...merged].slice(-this.max).flatMap(([k, v]) => this.codec.write(k, v));
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    fs.writeFileSync(tmp, Buffer.concat(parts));
    fs.renameSync(tmp, this.file);
    this.added = 0;
  }

  private load(file: string, into: Map<string, V>): void {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(file);
    } catch {
      return;
    }
    for (let r = this.codec.read(buf, 0); r; r = this.codec.read(buf, r[2])) into.set(r[0], r[1]);
  }
}

/**
 * Token counts, clean secret scans and planning outlines by content hash. `file`: the counts' file, beside which the
 * scans' is kept; `outlineFile`: the outlines' (undefined keeps them in memory only).
 */
export class TokenCache implements Known {
  private readonly counts: Records<number>;
  private readonly scans: Records<true>;
  private readonly outlines: Records<KeptOutline>;

  constructor(
    readonly file?: string,
    readonly outlineFile?: string,
  ) {
    this.counts = new Records(file, COUNT, 1_000_000);
    this.scans = new Records(
      file ? path.join(path.dirname(file), `clean-${SCANNER_ID}.bin`) : undefined,
      MARK,
      1_000_000,
    );
    this.outlines = new Records(outlineFile, OUTLINE, 100_000);
  }

  /**
   * The cache of `dir` (none: in memory only); `roots` (the packs' root folders) name the file the outlines are kept
   * in.
   */
  static inDir(dir: string | undefined, roots: readonly string[] = []): TokenCache {
    if (!dir) return new TokenCache();
    const scope = sha256(roots.join('\0')).slice(0, 12);
    return new TokenCache(
      path.join(dir, `tokens-${COUNTER_ID}.bin`),
      path.join(dir, `outlines-${OUTLINER_ID}-${COUNTER_ID}-${scope}.bin`),
    );
  }

  /** True when anything was added since the last save. */
  get dirty(): boolean {
    return this.counts.dirty || this.scans.dirty || this.outlines.dirty;
  }

  tokens(hash: string): number | undefined {
    return this.counts.map.get(hashKey(hash));
  }

  set(hash: string, tokens: number): void {
    this.counts.add(hashKey(hash), tokens);
  }

  /** True when the text of this hash was scanned whole for secrets by this scanner and none was found. */
  clean(hash: string): boolean {
    return this.scans.map.has(hashKey(hash));
  }

  /** Records that the text of this hash was scanned whole and holds no secret. */
  markClean(hash: string): void {
    this.scans.add(hashKey(hash), true);
  }

  /**
   * The planning outline kept under `label`, and the hash of the text it was made of, taken out of memory (it stays
   * in the file): a pack reads each file once, and a large repository's outlines are not held twice.
   */
  takeOutline(label: string): KeptOutline | undefined {
    const o = this.outlines.map.get(label);
    this.outlines.map.delete(label);
    return o;
  }

  /** Keeps the planning outline under `label` of the text of `hash` (its block, tokens and the lines it shows). */
  keepOutline(hash: string, label: string, o: Omit<KeptOutline, 'hash'>): void {
    this.outlines.add(label, { ...o, hash: hashKey(hash) });
  }

  /** Writes what was added (merged with what other runs wrote meanwhile). */
  save(): void {
    this.counts.save();
    this.scans.save();
    this.outlines.save();
  }
}
