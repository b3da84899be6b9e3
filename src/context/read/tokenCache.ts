// What is known about a text by its content hash, kept in memory and persisted in the cache directory so a later
// run (CLI or extension) does not do it again for an unchanged file: its token count, that the secret scanner found
// nothing in it, and what planning a pack far over its budget made of it under a label (outline, imports, term
// statistics: `Kept`). Binary records, one file per counter, one per scanner, and one per version of
// the code that makes `Kept` and set of roots (named after them, so another counter's counts, another scanner's
// verdicts or older code's records are never reused; `Kept` records are large, so each repository's are read alone),
// written whole to a temporary file and renamed, so concurrent runs never see half a file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SCANNER_ID } from '../secrets';
import { countTokens } from '../tokens';
import { sha256 } from '../../shared/hash';
import type { TermStats } from '../place/terms';
import { writeFileWhole } from '../../shared/wholeFile';

/** Bytes of a hash kept as a key (its first 32 hex digits). */
const KEY = 16;

/**
 * What an earlier run made of a file's text under its label for planning a pack far over its budget (kept between
 * runs here): taken instead of making it again when the text is the same.
 */
/** What is known already about texts, by their hash (the TokenCache keeps it between runs). */
export interface Known {
  /** The token count of the text of `hash`, if known. */
  tokens(hash: string): number | undefined;
  /** True when the text of `hash` was scanned whole for secrets, by this scanner, and none was found. */
  clean(hash: string): boolean;
}

export interface Kept {
  /** The first 32 hex digits of the hash of the text. */
  hash: string;
  /** Its outline, not scanned for secrets, counted; null when it has none. */
  outline: { block: string; tokens: number; shown: Int32Array } | null;
  /** Its import specifiers (imports.ts). */
  imports: string[];
  /** Its term statistics under the label, when they were made (a pack with a question). */
  terms?: TermStats;
}

/**
 * Names the code that makes what `Kept` holds and writes it: kept records are reused only while it stays. A hash of
 * its sources (this file, processFile.ts, and outline.ts, outlineText.ts, render.ts, terms.ts, definitions.ts and
 * imports.ts of ../place), written down; a unit test (read/keptIds.test.ts) fails when they change, asking for the
 * new value.
 */
export const KEPT_ID = '084451bae228';

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

/** Fields written into one growing buffer; typed arrays copied whole, in this machine's byte order (as read back). */
class Writer {
  private buf = Buffer.alloc(1 << 16);
  private at = 0;
  /** The offset to write `n` bytes at (then read `this.buf`: this may replace it). */
  private room(n: number): number {
    if (this.at + n > this.buf.length) {
      const next = Buffer.alloc(Math.max(2 * this.buf.length, this.at + n)); // zeroed: nothing stale is ever written
      this.buf.copy(next, 0, 0, this.at);
      this.buf = next;
    }
    const from = this.at;
    this.at += n;
    return from;
  }
  u32(n: number): this {
    const at = this.room(4);
    this.buf.writeUInt32LE(n >>> 0, at);
    return this;
  }
  str(s: string): this {
    // Room for the longest UTF-8 the string can take, its length written once it is known.
    const at = this.room(4 + 3 * s.length);
    const n = this.buf.write(s, at + 4, 'utf8');
    this.buf.writeUInt32LE(n, at);
    this.at = at + 4 + n;
    return this;
  }
  array(a: Uint32Array | Int32Array | Uint16Array): this {
    this.u32(a.length);
    const at = this.room(a.byteLength);
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(this.buf, at);
    return this;
  }
  hex(h: string, bytes: number): this {
    const at = this.room(bytes);
    this.buf.write(h, at, bytes, 'hex');
    return this;
  }
  /** What was written. */
  done(): Buffer {
    return this.buf.subarray(0, this.at);
  }
}

/** Reads what Writer wrote; throws RangeError past the end (a record cut short). */
class Reader {
  constructor(
    private readonly buf: Buffer,
    public at: number,
  ) {}
  private take(n: number): number {
    if (this.at + n > this.buf.length) throw new RangeError('cut short');
    const from = this.at;
    this.at += n;
    return from;
  }
  u32(): number {
    return this.buf.readUInt32LE(this.take(4));
  }
  str(): string {
    const n = this.u32();
    const from = this.take(n);
    return this.buf.toString('utf8', from, from + n);
  }
  hex(n: number): string {
    const from = this.take(n);
    return this.buf.toString('hex', from, from + n);
  }
  /** A typed array of `make`'s kind, copied (aligned). */
  array<T>(make: (b: ArrayBuffer) => T, size: number): T {
    const n = this.u32();
    const from = this.take(n * size);
    return make(new Uint8Array(this.buf.subarray(from, from + n * size)).buffer);
  }
}

/** How a kind of record is written and read: `read` returns the key, value and the offset after it, if whole. */
interface Codec<V> {
  write(w: Writer, key: string, value: V): void;
  read(buf: Buffer, off: number): [string, V, number] | undefined;
}

const hashKey = (hash: string) => hash.slice(0, 2 * KEY);

/** A hash prefix and a uint32 (a token count). */
const COUNT: Codec<number> = {
  write: (w, key, n) => w.hex(key, KEY).u32(Math.min(n, 0xffffffff)),
  read: (buf, off) =>
    off + KEY + 4 <= buf.length
      ? [buf.toString('hex', off, off + KEY), buf.readUInt32LE(off + KEY), off + KEY + 4]
      : undefined,
};

/** A hash prefix alone (a clean scan). */
const MARK: Codec<true> = {
  write: (w, key) => w.hex(key, KEY),
  read: (buf, off) => (off + KEY <= buf.length ? [buf.toString('hex', off, off + KEY), true, off + KEY] : undefined),
};

const HAS_OUTLINE = 1;
const HAS_TERMS = 2;
const HAS_SYMBOLS = 4;

/**
 * A label, then its record: the hash prefix, flags, the outline (tokens, block, shown lines), the imports, the term
 * statistics (length, keys, counts, definitions, and the symbols' names and places).
 */
const KEPT: Codec<Kept> = {
  write: (w, label, k) => {
    w.str(label).hex(k.hash, KEY);
    const symbols = k.terms?.symbols;
    w.u32((k.outline ? HAS_OUTLINE : 0) | (k.terms ? HAS_TERMS : 0) | (symbols ? HAS_SYMBOLS : 0));
    if (k.outline) w.u32(k.outline.tokens).str(k.outline.block).array(k.outline.shown);
    w.u32(k.imports.length);
    for (const i of k.imports) w.str(i);
    if (k.terms) w.u32(k.terms.length).array(k.terms.keys).array(k.terms.counts).array(k.terms.defs);
    if (symbols) w.str(symbols.names).array(symbols.at);
  },
  read: (buf, off) => {
    try {
      const r = new Reader(buf, off);
      const label = r.str();
      const hash = r.hex(KEY);
      const flags = r.u32();
      const outline =
        flags & HAS_OUTLINE ? { tokens: r.u32(), block: r.str(), shown: r.array((b) => new Int32Array(b), 4) } : null;
      const imports = Array.from({ length: r.u32() }, () => r.str());
      const kept: Kept = { hash, outline, imports };
      if (flags & HAS_TERMS) {
        kept.terms = {
          length: r.u32(),
          keys: r.array((b) => new Uint32Array(b), 4),
          counts: r.array((b) => new Uint16Array(b), 2),
          defs: r.array((b) => new Uint32Array(b), 4),
        };
        if (flags & HAS_SYMBOLS) kept.terms.symbols = { names: r.str(), at: r.array((b) => new Uint32Array(b), 4) };
      }
      return [label, kept, r.at];
    } catch (e) {
      if (e instanceof RangeError) return undefined;
      throw e;
    }
  },
};

/** Records of one kind by key, in memory and in `file`, the newest `max` kept. */
class Records<V> {
  readonly map = new Map<string, V>();
  /** Keys added since the last save. */
  private readonly pending = new Set<string>();

  constructor(
    readonly file: string | undefined,
    private readonly codec: Codec<V>,
    private readonly max: number,
  ) {
    if (file) this.load(file, this.map);
  }

  get dirty(): boolean {
    return this.pending.size > 0;
  }

  add(key: string, value: V): void {
    if (this.map.get(key) === value) return;
    this.map.set(key, value);
    this.pending.add(key);
  }

  /** The record of `key`, then out of memory unless it is still to be saved (it stays in the file). */
  take(key: string): V | undefined {
    const v = this.map.get(key);
    if (!this.pending.has(key)) this.map.delete(key);
    return v;
  }

  /**
   * Writes the records (merged with what other runs wrote meanwhile) if any were added. A cache directory that cannot
   * be written (read-only, a full disk, a file in its place) leaves the records in memory only: a cache, not state,
   * and never the reason a pack fails.
   */
  save(): void {
    if (!this.file || !this.pending.size) return;
    const merged = new Map<string, V>();
    this.load(this.file, merged);
    for (const [k, v] of this.map) {
      merged.delete(k); // the newest last
      merged.set(k, v);
    }
    const w = new Writer();
    for (const [k, v] of [...merged].slice(-this.max)) this.codec.write(w, k, v);
    try {
      writeFileWhole(this.file, w.done());
    } catch {
      return;
    }
    this.pending.clear();
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
 * Token counts, clean secret scans and what planning made of files. `file`: the counts' file, beside which the scans'
 * is kept; `keptFile`: the `Kept` records' (undefined keeps them in memory only).
 */
export class TokenCache implements Known {
  private readonly counts: Records<number>;
  private readonly scans: Records<true>;
  private readonly kept: Records<Kept>;

  constructor(
    readonly file?: string,
    readonly keptFile?: string,
  ) {
    this.counts = new Records(file, COUNT, 1_000_000);
    this.scans = new Records(
      file ? path.join(path.dirname(file), `clean-${SCANNER_ID}.bin`) : undefined,
      MARK,
      1_000_000,
    );
    this.kept = new Records(keptFile, KEPT, 100_000);
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
      path.join(dir, `kept-${KEPT_ID}-${COUNTER_ID}-${scope}.bin`),
    );
  }

  /** True when anything was added since the last save. */
  get dirty(): boolean {
    return this.counts.dirty || this.scans.dirty || this.kept.dirty;
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
   * What an earlier run made of the file under `label` (and the hash of its text then), taken out of memory (it stays
   * in the file): a pack reads each file once, and a large repository's records are not held twice.
   */
  take(label: string): Kept | undefined {
    return this.kept.take(label);
  }

  /** Keeps what was made of the file under `label` (its text's hash cut to a key). */
  keep(label: string, k: Kept): void {
    this.kept.add(label, { ...k, hash: hashKey(k.hash) });
  }

  /** Writes what was added (merged with what other runs wrote meanwhile). */
  save(): void {
    if (!this.dirty) return;
    this.counts.save();
    this.scans.save();
    this.kept.save();
    if (this.file) removeStale(path.dirname(this.file), [this.file, this.scans.file, this.kept.file]);
  }
}

/**
 * A cache file no run has written for this long is removed when another is saved: files of another counter, scanner,
 * code version or set of roots (each version of the CLI or extension writes its own), which would otherwise pile up.
 */
const STALE_MS = 30 * 24 * 3600 * 1000;

/** Removes the cache files (`tokens-`, `clean-`, `kept-`) of `dir` not in `current` and not written for STALE_MS. */
function removeStale(dir: string, current: (string | undefined)[], now = Date.now()): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const file = path.join(dir, name);
    if (!/^(tokens|clean|kept)-.*\.bin$/.test(name) || current.includes(file)) continue;
    try {
      if (now - fs.statSync(file).mtimeMs > STALE_MS) fs.rmSync(file, { force: true });
    } catch {
      // gone meanwhile, or not ours to remove: left as it is
    }
  }
}
