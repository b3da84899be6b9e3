// The files a pack may hold, as the budget sees them (budget.ts's Candidate over the file store),
// and counting ahead of the budget on the worker threads. Far over the budget only the files that
// go in whole need their whole text redacted and counted; finding which they are takes the ranking,
// which wants every file read. So the engine guesses first, from what is known before reading
// (paths, git recency, sizes), and redacts and counts the likely ones while the rest is still being
// read; after reading, `countAhead` fills in what the guess missed, and whatever `allocate` still
// asks for is counted one by one.
import { likelyCounted, rankCandidates, type Candidate } from '../place/budget';
import { ImportResolver } from '../place/imports';
import type { FileHistory } from '../place/gitHistory';
import type { FileState, FileStore } from './fileStore';
import { isCounted, rawText, type ProcessedText } from './processFile';
import { fileBlock } from '../place/render';
import { termStats, type TermStats } from '../place/terms';
import type { FileReport, PackRequest, WorkspaceRoot } from '../types';
import { packLabeller, type WalkResult, type WalkedFile } from '../scan/walk';

/**
 * Bytes per token above which text is rare (code and prose run 2.5-4.5 with DeepSeek's BPE), so
 * bytes / 8 serves as a file's lower bound of tokens. It only steers what to count: the budget is
 * always checked with exact counts.
 */
export const MAX_BYTES_PER_TOKEN = 8;
/** Bytes a token, to guess which files the budget will count before counting them (code runs 3-4). */
const GUESS_BYTES_PER_TOKEN = 3.6;
/** Tokens of a file's tags, guessed before they are counted. */
const GUESS_TAG_TOKENS = 16;

/** One file that can go into the pack, with everything needed to place and render it. */
export interface Entry extends Candidate {
  file: WalkedFile;
  state: FileState;
  /** Tokens of the file's tags. */
  tags: number;
}

/**
 * The walk's readable files (read by `store`) as entries under their pack labels, and every path
 * left out (by the walk, or unreadable when read) as a report under its pack label.
 */
export function entriesOf(
  store: FileStore,
  walked: WalkResult,
  roots: readonly WorkspaceRoot[],
): { entries: Entry[]; excluded: FileReport[] } {
  const multi = roots.length > 1;
  const labelOf = packLabeller(roots);
  const excluded: FileReport[] = walked.excluded.map((x) => ({ ...x, path: multi ? `${x.root}/${x.path}` : x.path }));
  const entries: Entry[] = [];
  for (const f of walked.files) {
    const state = store.get(f.abs)!;
    const r = state.result;
    if (r.ok) entries.push(new StoredEntry(store, f, state, r, labelOf(f)));
    else
      excluded.push({
        root: f.root.name,
        path: labelOf(f),
        bytes: r.bytes,
        tokens: 0,
        status: 'excluded',
        reason: r.reason,
        ...(r.detail ? { detail: r.detail } : {}),
      });
  }
  return { entries, excluded };
}

/**
 * The candidate for a readable file under its pack label. A class, not an object of closures: a pack of 100,000 files
 * holds one a file, and eight closures with their context cost about half a kilobyte more each.
 */
class StoredEntry implements Entry {
  readonly tags: number;
  readonly abs: string;
  readonly bytes: number;
  readonly minTokens: number;
  recency = 0;
  readonly changedInGit: boolean;
  readonly linguist?: WalkedFile['linguist'];
  pastCommits?: Entry['pastCommits'];

  constructor(
    private readonly store: FileStore,
    readonly file: WalkedFile,
    readonly state: FileState,
    private readonly result: ProcessedText,
    readonly label: string,
  ) {
    this.tags = store.tagTokens(state, label);
    this.abs = file.abs;
    this.bytes = rawBytes(result);
    this.minTokens = Math.ceil(this.bytes / MAX_BYTES_PER_TOKEN) + this.tags;
    this.changedInGit = !!file.repo?.tracked.size && result.changedInGit;
    if (file.linguist) this.linguist = file.linguist;
  }

  text(): string {
    return rawText(this.result);
  }
  imports(): string[] {
    return this.store.imports(this.state);
  }
  terms(): TermStats {
    return this.store.terms(this.state, this.label);
  }
  async tokens(): Promise<number> {
    return (await this.store.tokensOf(this.state)) + this.tags;
  }
  knownTokens(): number | undefined {
    const sent = this.result.sent;
    return sent && isCounted(sent.tokens) ? sent.tokens + this.tags : undefined;
  }
  block(): string {
    return fileBlock(this.label, this.store.sent(this.state).text);
  }
  outline(): { block: string; tokens: number } | undefined {
    return this.store.outline(this.state, this.label);
  }
  sentOutline(): { block: string; tokens: number } | undefined {
    return this.store.sentOutline(this.state, this.label);
  }
}

/**
 * While reading: the files (absolute paths) the budget is likely to want whole, ranked by what is
 * known without all the text (paths named, open or pinned; git recency and past commits; whether a file read so far
 * differs from git, untracked files as changed; the imports of the files read so far). Files read
 * so far count with their real size, and drop out when they cannot go in; the others' tokens are
 * guessed from their size. Outlines count as free, so the guess errs towards more files.
 */
export function guessWhole(
  files: WalkedFile[],
  read: ReadonlyMap<string, FileState>,
  label: (f: WalkedFile) => string,
  history: FileHistory,
  request: PackRequest,
  resolver: ImportResolver,
): Set<string> {
  const cands: Candidate[] = [];
  for (const f of files) {
    const r = read.get(f.abs)?.result;
    if (r && !r.ok) continue;
    const bytes = r ? rawBytes(r) : f.size;
    const changed = r ? r.changedInGit : f.indexOid === undefined;
    const guess = Math.ceil(bytes / GUESS_BYTES_PER_TOKEN) + GUESS_TAG_TOKENS;
    cands.push({
      label: label(f),
      abs: f.abs,
      bytes,
      text: () => '',
      imports: () => (r ? (r.imports ?? []) : []), // found by the workers as they read
      terms: () => r?.terms ?? termStats('', label(f)), // made by the workers as they read, when asked
      tokens: async () => guess,
      knownTokens: () => undefined,
      block: () => '',
      minTokens: Math.ceil(bytes / MAX_BYTES_PER_TOKEN) + GUESS_TAG_TOKENS,
      recency: history.recency(f),
      pastCommits: history.pastCommits(f),
      changedInGit: !!f.repo?.tracked.size && changed,
      ...(f.linguist ? { linguist: f.linguist } : {}),
      outline: () => undefined,
      sentOutline: () => undefined,
    });
  }
  return new Set(
    likelyCounted(
      rankCandidates(cands, request, resolver),
      request.budgetTokens,
      (c) => c.bytes / GUESS_BYTES_PER_TOKEN + GUESS_TAG_TOKENS,
    ).map((c) => c.abs),
  );
}

/** UTF-8 bytes of the raw text (measured once: a warm pack asks for every file's). */
const rawBytes = (r: ProcessedText) =>
  (r.rawBytes ??= typeof r.raw === 'string' ? Buffer.byteLength(r.raw) : r.raw.byteLength);

/**
 * Counts, on the worker threads (when running), the files `allocate` is likely to count, so it
 * finds their counts made instead of counting one after another. A few rounds: each guesses from
 * the bytes per token of the files counted so far.
 */
export async function countAhead(
  store: FileStore,
  ranked: Entry[],
  budget: number,
  signal?: AbortSignal,
): Promise<void> {
  let bytes = 0;
  let tokens = 0;
  for (const e of ranked) {
    const known = e.knownTokens();
    if (known === undefined) continue;
    bytes += e.bytes;
    tokens += known - e.tags;
  }
  for (let round = 0; round < 3 && store.pooled(); round++) {
    const perToken = tokens > 0 ? bytes / tokens : GUESS_BYTES_PER_TOKEN;
    const want = likelyCounted(ranked, budget, (c) => c.bytes / perToken + (c as Entry).tags) as Entry[];
    if (!want.length) return;
    await store.prepareWhole(
      want.map((e) => e.state),
      signal,
    );
    for (const e of want) {
      const known = e.knownTokens();
      if (known === undefined) continue; // not counted after all (unreadable, or no longer text)
      bytes += e.bytes;
      tokens += known - e.tags;
    }
  }
}

/**
 * Redacts and counts the files `guessWhole` picks as they are read, once git history is in, and
 * scans the outlines of the others for secrets (those are likely sent as outlines). One guess, when
 * the history comes: guessing again as files were read (up to four times a scan, 70-110 ms of this
 * thread on three@0.170.0) picked more files that then went in as outlines (3.7 MB redacted and counted
 * ahead for 3.1 MB sent whole, against 3.3 MB with one guess); what it misses `countAhead` makes after
 * the reading. The imports of each batch are resolved as it arrives, so the ranking after reading finds
 * them resolved.
 */
export class EarlyCount {
  private history: FileHistory | undefined;
  private wanted = new Set<string>();
  /** Resolves the imports of the files read (it remembers what it resolved), and the guess's. */
  private readonly resolver: ImportResolver;
  private readonly byAbs: Map<string, WalkedFile>;
  private readonly read = new Map<string, FileState>();
  private readonly started = new Set<string>();
  /** Files whose outline scan was started. */
  private readonly scanning = new Set<string>();
  private readonly pending: Promise<void>[] = [];
  private readonly ready: Promise<void>;

  constructor(
    private readonly store: FileStore,
    private readonly files: WalkedFile[],
    private readonly label: (f: WalkedFile) => string,
    private readonly request: PackRequest,
    history: Promise<FileHistory>,
    private readonly signal?: AbortSignal,
  ) {
    this.byAbs = new Map(files.map((f) => [f.abs, f]));
    this.resolver = new ImportResolver(files.map(label));
    this.ready = history.then((r) => {
      this.history = r;
      this.wanted = guessWhole(this.files, this.read, this.label, r, this.request, this.resolver);
      this.start(this.read.values());
    });
  }

  /** Files just read. */
  onRead(states: FileState[]): void {
    for (const s of states) {
      this.read.set(s.abs, s);
      if (s.result.ok && s.result.imports?.length)
        this.resolver.importsOf(this.label(this.byAbs.get(s.abs)!), s.result.imports);
    }
    if (this.history) this.start(states);
  }

  /**
   * The resolver of the files read, answering now for `entries` alone (the files read that can go in), as one made for
   * their labels would: a ranking of them reuses what it resolved.
   */
  resolverFor(entries: readonly { label: string }[]): ImportResolver {
    const kept = new Set(entries.map((e) => e.label));
    for (const f of this.files) if (!kept.has(this.label(f))) this.resolver.remove(this.label(f));
    return this.resolver;
  }

  /** Waits for everything started. */
  async done(): Promise<void> {
    await this.ready;
    await Promise.all(this.pending);
  }

  /** Makes whole the wanted files among `states`, and scans the outlines of the others (likely sent as outlines). */
  private start(states: Iterable<FileState>): void {
    const todo: FileState[] = [];
    const outlines: { state: FileState; label: string }[] = [];
    for (const s of states) {
      if (!s.result.ok || this.started.has(s.abs)) continue;
      if (this.wanted.has(s.abs)) {
        this.started.add(s.abs);
        todo.push(s);
      } else if (s.outline?.part && !s.outline.part.scanned && !this.scanning.has(s.abs)) {
        this.scanning.add(s.abs);
        outlines.push({ state: s, label: s.outline.label });
      }
    }
    if (todo.length) this.pending.push(this.store.prepareWhole(todo, this.signal));
    if (outlines.length) this.pending.push(this.store.scanOutlines(outlines, this.signal));
  }
}
