// One pack from a finished walk, the steps the engine runs for every `pack` and `updatesSince`: read what
// changed, order least recently changed first, rank when the files cannot all fit, fit to the budget and
// render. Lives apart from engine.ts, which keeps what lasts between packs (queue, caches, settings).
import { assemble } from './place/assemble';
import { allocate, mayFit, rankWithReasons, type Ranking } from './place/budget';
import { countAhead, EarlyCount, entriesOf, MAX_BYTES_PER_TOKEN, type Entry } from './read/candidates';
import type { FileState, FileStore } from './read/fileStore';
import { fileHistory, type HistoryCache } from './place/gitHistory';
import type { ImportResolver } from './place/imports';
import type { HeaderCache } from './place/render';
import type { Pack, PackRequest, WorkspaceRoot } from './types';
import { packLabeller, type WalkResult, type WalkedFile } from './scan/walk';
import { pathRole } from './place/roles';
import type { Logger } from '../shared/log';

/** A pack, each placed file's block by label, every readable file and how they were ranked (when they did not fit). */
export interface Packed {
  pack: Pack;
  blocks: Map<string, string>;
  entries: Entry[];
  ranking: Ranking | undefined;
}

/** What one pack reads from the engine that holds it. */
export interface PackWalkInput {
  request: PackRequest;
  roots: WorkspaceRoot[];
  walked: WalkResult;
  store: FileStore;
  /** Git history for the order; undefined when git may not run. */
  history: HistoryCache | undefined;
  headers: HeaderCache;
  /**
   * The import resolver for these entries (the engine keeps the last one); `made`: one that answers for them already
   * (the one that resolved the imports as files were read), taken when the engine has none for these labels.
   */
  importResolver: (entries: Entry[], made?: ImportResolver) => ImportResolver;
  /** Files larger than this are left out (bytes). */
  maxFileBytes: number;
  log: Logger;
  /** When the pack started (performance.now(), ms). */
  t0: number;
  signal?: AbortSignal;
}

/** Packs the walked files into one repository block within `request.budgetTokens`; the caller stops the pool. */
export async function packWalked(input: PackWalkInput): Promise<Packed> {
  const { request, roots, walked, store, signal } = input;
  const labelOf = packLabeller(roots);
  const history = fileHistory(walked.files, input.history); // git log runs while the files are read
  // Far over the budget: count tokens only where the plan needs them (else count all, on the workers).
  const countAll = mayFit(walked.files.reduce((n, f) => n + f.size, 0) / MAX_BYTES_PER_TOKEN, request.budgetTokens);
  const pooled = store.startPoolFor(walked.files);
  const early =
    !countAll && pooled ? new EarlyCount(store, walked.files, labelOf, request, history, signal) : undefined;
  const read = await store.refresh(walked.files, {
    prepare: countAll ? 'sent' : 'outline',
    label: labelOf,
    maxFileBytes: input.maxFileBytes,
    terms: !!(request.question || request.focus?.selection),
    // The project's own code is what a pack far over the budget most likely sends whole: read first, it is redacted and
    // counted while tests, examples, docs and vendored code are still being read.
    ...(countAll ? {} : { first: (f: WalkedFile) => pathRole(labelOf(f), f.linguist) === 'own' }),
    ...(early ? { onRead: (s: FileState[]) => early.onRead(s) } : {}),
    ...(signal ? { signal } : {}),
  });
  await early?.done();
  const { entries, excluded } = entriesOf(store, walked, roots);
  // Least recently changed first (git history), so an edit invalidates as little of the cached prefix as possible.
  const past = await history;
  for (const e of entries) {
    e.recency = past.recency(e.file);
    e.pastCommits = past.pastCommits(e.file);
  }
  entries.sort((a, b) => a.recency - b.recency || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  let ranking: Ranking | undefined;
  if (!countAll) {
    ranking = rankWithReasons(entries, request, input.importResolver(entries, early?.resolverFor(entries)));
    await countAhead(store, ranking.order as Entry[], request.budgetTokens, signal);
  }
  const plan = await allocate(
    entries,
    request,
    (tree) => input.headers.get(roots, tree, (texts) => store.count(texts)),
    ranking,
    (outlined) =>
      store.scanOutlines(
        (outlined as Entry[]).map((e) => ({ state: e.state, label: e.label })),
        signal,
      ),
  );
  store.saveSoon(); // and at once when the engine is disposed
  const stats = {
    scannedFiles: walked.files.length,
    readBytes: read.readBytes,
    readFiles: read.readFiles,
    tokenCacheHits: store.takeCacheHits(),
  };
  const done = assemble(
    store,
    { request, roots, excluded, entries, warnings: walked.warnings, stats, t0: input.t0 },
    plan,
  );
  input.log.debug(
    `pack: ${walked.files.length} files, read ${read.readFiles} (${read.readBytes} bytes), ` +
      `${done.pack.tokens} tokens, ${done.pack.stats.elapsedMs} ms`,
  );
  return { ...done, entries, ranking: plan.ranking };
}
