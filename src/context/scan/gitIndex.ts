// Reads the paths (and blob ids) of tracked files from a git index file (versions 2, 3 and 4),
// so "tracked files stay in even when an ignore rule matches them" works without git installed.
// Split indexes (the `link` extension) are not parsed here: the caller falls back to `git ls-files`.
// Each entry also keeps the stat git recorded when it last hashed the file: a file whose stat still
// matches, and that is not racily clean (see `cleanStatKey`), holds the entry's blob without hashing it.

export interface IndexEntry {
  /** Path relative to the repository top, POSIX. */
  path: string;
  /** Blob id, hex (sha1 or sha256 by the repository's object format). */
  oid: string;
  /** File mode, e.g. 0o100644; 0o160000 for a submodule, 0o040000 for a sparse directory. */
  mode: number;
  /** The file's stat when git last hashed it (absent from `git ls-files`). */
  stat?: IndexStat;
}

/** What git records of a file's stat (each field as the index holds it: 32 bits, times as seconds and nanoseconds). */
export interface IndexStat {
  ctimeSec: number;
  ctimeNsec: number;
  mtimeSec: number;
  mtimeNsec: number;
  ino: number;
  size: number;
}

/** The fields of a stat that `statKey` compares (Node's fs.Stats has them). */
export interface StatLike {
  ctimeMs: number;
  mtimeMs: number;
  ino: number;
  size: number;
}

/** Milliseconds from seconds and nanoseconds, computed as Node computes `mtimeMs` (so the two compare equal). */
const msOf = (sec: number, nsec: number) => sec * 1e3 + nsec / 1e6;

/**
 * A stat's identity as the index can record it: change and modification times, inode and size (the last two cut to
 * 32 bits, as git stores them). Two equal keys mean git would see the file as unchanged since it was hashed.
 */
export function statKey(st: StatLike): string {
  return `${st.mtimeMs}/${st.ctimeMs}/${st.ino % 2 ** 32}/${st.size % 2 ** 32}`;
}

/**
 * The stat key of `e` when its blob can be trusted without hashing the file: it has a stat and is not racily clean,
 * that is, it was modified before the index file was written (`indexMtimeMs`; git's rule: a file modified in the same
 * instant as, or after, the index may have changed again without its stat showing it, so it is hashed). Undefined
 * otherwise.
 */
export function cleanStatKey(e: IndexEntry, indexMtimeMs: number): string | undefined {
  const st = e.stat;
  // Size 0: git "smudges" an entry it wrote racily clean by zeroing its size, so its content is checked next time (an
  // empty file costs nothing to hash).
  if (!st || st.size === 0) return undefined;
  const mtimeMs = msOf(st.mtimeSec, st.mtimeNsec);
  if (mtimeMs >= indexMtimeMs) return undefined;
  return statKey({ mtimeMs, ctimeMs: msOf(st.ctimeSec, st.ctimeNsec), ino: st.ino, size: st.size });
}

export class UnsupportedIndex extends Error {}

/** Parses an index file's bytes; `hashBytes` is 20 (sha1) or 32 (sha256). */
export function parseIndex(buf: Buffer, hashBytes = 20): IndexEntry[] {
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== 'DIRC') throw new UnsupportedIndex('not a git index');
  const version = buf.readUInt32BE(4);
  if (version < 2 || version > 4) throw new UnsupportedIndex(`index version ${version}`);
  const count = buf.readUInt32BE(8);
  const entries: IndexEntry[] = [];
  let off = 12;
  let prev: Buffer = Buffer.alloc(0);
  for (let n = 0; n < count; n++) {
    const start = off;
    const stat: IndexStat = {
      ctimeSec: buf.readUInt32BE(off),
      ctimeNsec: buf.readUInt32BE(off + 4),
      mtimeSec: buf.readUInt32BE(off + 8),
      mtimeNsec: buf.readUInt32BE(off + 12),
      ino: buf.readUInt32BE(off + 20),
      size: buf.readUInt32BE(off + 36),
    };
    const mode = buf.readUInt32BE(off + 24);
    const oid = buf.toString('hex', off + 40, off + 40 + hashBytes);
    off += 40 + hashBytes;
    const flags = buf.readUInt16BE(off);
    off += 2;
    if (version >= 3 && flags & 0x4000) off += 2;
    let name: Buffer;
    if (version === 4) {
      // varint: how many bytes to drop from the previous name, then a NUL-terminated suffix
      // Past the end of a truncated index a byte reads as 0: the NUL search below reports the truncation.
      let b = buf[off++] ?? 0;
      let strip = b & 0x7f;
      while (b & 0x80) {
        b = buf[off++] ?? 0;
        strip = ((strip + 1) << 7) | (b & 0x7f);
      }
      const end = buf.indexOf(0, off);
      if (end < 0) throw new UnsupportedIndex('truncated index');
      name = Buffer.concat([prev.subarray(0, prev.length - strip), buf.subarray(off, end)]);
      off = end + 1;
    } else {
      const end = buf.indexOf(0, off);
      if (end < 0) throw new UnsupportedIndex('truncated index');
      name = buf.subarray(off, end);
      off = start + ((end - start + 8) & ~7);
    }
    prev = name;
    entries.push({ path: name.toString('utf8'), oid, mode, stat });
  }
  // extensions: 4-byte signature, 4-byte size; stop before the trailing checksum
  while (off + 8 <= buf.length - hashBytes) {
    const sig = buf.toString('latin1', off, off + 4);
    if (sig === 'link') throw new UnsupportedIndex('split index');
    off += 8 + buf.readUInt32BE(off + 4);
  }
  return entries;
}
