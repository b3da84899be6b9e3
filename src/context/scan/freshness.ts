// Whether what a walk saw is still what is on disk: every folder it listed, rule file it looked for and
// file it stated has the same stat signature (size, mtime, ctime, inode) now. Stats only, no reads, so a
// warm caller (the MCP server) can answer a repeated request from its last pack when nothing changed.
import type * as fs from 'node:fs';
import { statOrUndefined } from './paths';

/** `size:mtime:ctime:inode` of `st`, or '-' for a path that could not be stated. */
export function signatureOf(st: fs.Stats | undefined): string {
  return st ? `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}` : '-';
}

/** The stat signature of `abs` now (signatureOf). */
export function statSignature(abs: string): string {
  return signatureOf(statOrUndefined(abs));
}

/** True when every path in `seen` (absolute path → the signature taken when it was read) has it still. */
export function stillHolds(seen: ReadonlyMap<string, string>): boolean {
  for (const [abs, sig] of seen) if (statSignature(abs) !== sig) return false;
  return true;
}
