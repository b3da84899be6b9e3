// Where the cache plan keeps what must outlive a process: a small JSON state (cache ledger, warm-up
// verdicts, base packs per workspace) and content-addressed blobs (the exact pack and updated-files
// texts a prefix was built from, so a reloaded conversation or a later CLI run can resend the same
// bytes). Blobs are a cache: the least recently used are pruned past a size cap, and losing one
// only costs one cache miss. Conversation history never holds pack text (see history.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileWhole } from '../shared/wholeFile';

export interface PlanStore {
  /** The saved state (parsed JSON), or undefined when there is none or it is unreadable. */
  loadState(): unknown;
  saveState(state: unknown): void;
  getBlob(name: string): string | undefined;
  putBlob(name: string, text: string): void;
}

export class MemoryPlanStore implements PlanStore {
  private state: string | undefined;
  readonly blobs = new Map<string, string>();
  loadState(): unknown {
    return this.state === undefined ? undefined : JSON.parse(this.state);
  }
  saveState(state: unknown): void {
    this.state = JSON.stringify(state);
  }
  getBlob(name: string): string | undefined {
    return this.blobs.get(name);
  }
  putBlob(name: string, text: string): void {
    this.blobs.set(name, text);
  }
}

/** Reads through to `inner` and keeps every write in memory: for a dry run that must leave no trace. */
export class OverlayPlanStore extends MemoryPlanStore {
  constructor(private readonly inner: PlanStore) {
    super();
  }
  override loadState(): unknown {
    return super.loadState() ?? this.inner.loadState();
  }
  override getBlob(name: string): string | undefined {
    return super.getBlob(name) ?? this.inner.getBlob(name);
  }
}

/** Default cap on the blob directory (bytes): a few 1M-token packs. */
export const DEFAULT_BLOB_CAP_BYTES = 64 * 1024 * 1024;

/**
 * A PlanStore in a directory: `plan.json` plus `blobs/<name>`. Writes are atomic (temp + rename). A directory that
 * cannot be written (read-only, a full disk) keeps what was written in memory for this process instead: the plan only
 * predicts, and a question must not fail for it.
 */
export class FilePlanStore implements PlanStore {
  private readonly blobDir: string;
  /** What could not be written to the directory: the state and blobs by name. */
  private readonly unwritten = new MemoryPlanStore();
  constructor(
    private readonly dir: string,
    private readonly blobCapBytes = DEFAULT_BLOB_CAP_BYTES,
  ) {
    this.blobDir = path.join(dir, 'blobs');
  }

  loadState(): unknown {
    const kept = this.unwritten.loadState();
    if (kept !== undefined) return kept;
    try {
      return JSON.parse(fs.readFileSync(path.join(this.dir, 'plan.json'), 'utf8'));
    } catch {
      return undefined; // missing or damaged: the plan starts afresh (it only predicts)
    }
  }

  saveState(state: unknown): void {
    if (!writeAtomic(path.join(this.dir, 'plan.json'), JSON.stringify(state))) this.unwritten.saveState(state);
  }

  getBlob(name: string): string | undefined {
    const file = path.join(this.blobDir, safe(name));
    const kept = this.unwritten.getBlob(name);
    if (kept !== undefined) return kept;
    try {
      const text = fs.readFileSync(file, 'utf8');
      const now = new Date();
      fs.utimesSync(file, now, now); // recently used: pruned last
      return text;
    } catch {
      return undefined;
    }
  }

  putBlob(name: string, text: string): void {
    const file = path.join(this.blobDir, safe(name));
    if (fs.existsSync(file)) {
      const now = new Date();
      fs.utimesSync(file, now, now);
      return;
    }
    if (writeAtomic(file, text)) this.prune(file);
    else this.unwritten.putBlob(name, text);
  }

  /** Deletes the least recently used blobs beyond the cap, never `keep`. */
  private prune(keep: string): void {
    const entries = fs.readdirSync(this.blobDir).flatMap((n) => {
      const file = path.join(this.blobDir, n);
      try {
        const st = fs.statSync(file);
        return [{ file, size: st.size, mtime: st.mtimeMs }];
      } catch {
        return [];
      }
    });
    entries.sort((a, b) => b.mtime - a.mtime);
    let total = 0;
    for (const e of entries) {
      total += e.size;
      if (total > this.blobCapBytes && e.file !== keep) fs.rmSync(e.file, { force: true });
    }
  }
}

function safe(name: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith('.')) throw new Error(`invalid blob name: ${name}`);
  return name;
}

/** Writes `text` to `file` whole; false when the directory cannot be written. */
function writeAtomic(file: string, text: string): boolean {
  try {
    writeFileWhole(file, text);
    return true;
  } catch {
    return false;
  }
}
