// Brings the `@` symbol index (symbolIndex.ts) up to date with a walk: the files that changed since they
// were read (or were never read) are read again, on the worker threads when there are many, with their
// term statistics, whose scan keeps each file's definitions (place/definitions.ts); a file a pack read
// without them has them made here, on this thread, a slice at a time so the host stays responsive. The
// statistics stay with the file (the next question's ranking uses them), so nothing is scanned twice.
import type { FileStore } from './read/fileStore';
import type { WalkResult, WalkedFile } from './scan/walk';
import { NO_SYMBOLS, type FileSymbols } from './place/definitions';
import type { SymbolIndex } from './symbolIndex';

export interface IndexSymbolsInput {
  walked: WalkResult;
  store: FileStore;
  /** The pack label of a walked file. */
  label: (f: WalkedFile) => string;
  index: SymbolIndex;
  /** Files larger than this are left out (bytes). */
  maxFileBytes: number;
  signal?: AbortSignal;
}

/** Text scanned on this thread between two yields to the event loop (UTF-16 units). */
const SLICE = 4 << 20;

/** Updates `input.index` to the definitions of the walked files that a pack may hold. */
export async function indexSymbols(input: IndexSymbolsInput): Promise<void> {
  const { walked, store, label, signal } = input;
  store.startPoolFor(walked.files);
  try {
    await store.refresh(walked.files, {
      prepare: 'read',
      terms: true,
      label,
      maxFileBytes: input.maxFileBytes,
      ...(signal ? { signal } : {}),
    });
  } finally {
    await store.stopPool();
  }
  const files: [string, FileSymbols][] = [];
  let scanned = 0;
  for (const f of walked.files) {
    const state = store.get(f.abs);
    if (!state?.result.ok) continue;
    const l = label(f);
    if (!state.result.terms || state.termsLabel !== l) {
      scanned += f.size;
      if (scanned > SLICE) {
        scanned = 0;
        await new Promise((resolve) => setImmediate(resolve));
        signal?.throwIfAborted();
      }
    }
    files.push([l, store.terms(state, l).symbols ?? NO_SYMBOLS]);
  }
  input.index.update(files);
}
