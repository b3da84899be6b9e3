// Reads the paths (and blob ids) of tracked files from a git index file (versions 2, 3 and 4),
// so "tracked files stay in even when an ignore rule matches them" works without git installed.
// Split indexes (the `link` extension) are not parsed here: the caller falls back to `git ls-files`.

export interface IndexEntry {
  /** Path relative to the repository top, POSIX. */
  path: string;
  /** Blob id, hex (sha1 or sha256 by the repository's object format). */
  oid: string;
  /** File mode, e.g. 0o100644; 0o160000 for a submodule, 0o040000 for a sparse directory. */
  mode: number;
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
    entries.push({ path: name.toString('utf8'), oid, mode });
  }
  // extensions: 4-byte signature, 4-byte size; stop before the trailing checksum
  while (off + 8 <= buf.length - hashBytes) {
    const sig = buf.toString('latin1', off, off + 4);
    if (sig === 'link') throw new UnsupportedIndex('split index');
    off += 8 + buf.readUInt32BE(off + 4);
  }
  return entries;
}
