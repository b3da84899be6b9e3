// Answers the composer's `@` queries: files and folders from the workspace index (src/context/pathIndex.ts,
// built from the walk the packs already made, so ignored and excluded files are never offered), and
// symbols from our own index of what each file defines (src/context/symbolIndex.ts, the engine's), merged
// with the language servers' (VS Code's workspace symbol search) when they answer in time. Our index needs
// no language server: a language without an extension, or a TypeScript server still loading its project,
// still gets symbols. Files first: while the symbol index is built (a workspace not read yet) files and
// folders are answered at once and the note says symbols are being indexed.
// No vscode import: mentionPorts.ts gives it VS Code, the unit tests give it fakes.
import { labelOf } from '../chat/cachePlan';
import { PathIndex } from '../context/pathIndex';
import type { SymbolIndex } from '../context/symbolIndex';
import type { WorkspaceRoot } from '../context/types';
import { MAX_MENTION_RESULTS, type Mention } from '../protocol/messages';
import { mergeSymbols } from './mentionSymbols';

/** A symbol as a language server reports it. */
export interface FoundSymbol {
  name: string;
  container?: string;
  /** `class`, `function`, … */
  kind: string;
  /** Absolute path of the defining file. */
  file: string;
  /** 1-based line of the definition. */
  line: number;
}

export interface MentionPorts {
  /** The labels of the files a pack may hold (ContextService.listFiles). */
  listFiles(): Promise<string[]>;
  /** The workspace folders (to turn a symbol's file into a label). */
  roots(): readonly WorkspaceRoot[];
  /**
   * The workspace's symbol index brought up to date (ContextService.symbols: the engine's); may take a while in a
   * workspace not read yet.
   */
  symbolIndex(): Promise<SymbolIndex>;
  /** Workspace symbols matching `query` from the language servers; rejects when none answered in time. */
  symbols(query: string): Promise<FoundSymbol[]>;
}

/** What `complete` may do besides answering. */
export interface CompleteOptions {
  /**
   * Called at once with the files, folders and our index's symbols, before the language servers answer (`complete`
   * then resolves with those merged in).
   */
  early?: (results: MentionResults) => void;
}

export interface MentionResults {
  items: Mention[];
  note?: string;
}

/** Most files and folders one completion lists. */
const MAX_PATHS = 12;
/** Most symbols one completion lists. */
const MAX_SYMBOLS = 8;
/** Symbols are searched from this many characters on (a one-letter search lists half the workspace). */
const MIN_SYMBOL_QUERY = 2;

export class MentionCompleter {
  private index: { labels: string[]; index: PathIndex } | undefined;
  private building: Promise<PathIndex> | undefined;
  private stale = true;
  /** The symbol index as last brought up to date (kept while the next update runs). */
  private symbolIndex: SymbolIndex | undefined;
  private symbolsBuilding: Promise<unknown> | undefined;
  private symbolsStale = true;
  private symbolsFailed: string | undefined;

  constructor(private readonly ports: MentionPorts) {}

  /** Files or folders may have changed: the next query checks the walk's list and the symbols again. */
  invalidate(): void {
    this.stale = true;
    this.symbolsStale = true;
  }

  /** The symbol index once its update (started by a query, or now) settles; for callers that must wait. */
  async symbolsReady(): Promise<void> {
    this.currentSymbols();
    while (this.symbolsBuilding) await this.symbolsBuilding.catch(() => undefined);
  }

  /**
   * Files and folders, then symbols, for `query` (what follows `@`), best first: our index's symbols at once
   * (`opts.early`), the language servers' merged in when they answer within their timeout.
   */
  async complete(query: string, opts: CompleteOptions = {}): Promise<MentionResults> {
    const index = await this.currentIndex();
    const paths: Mention[] = index.query(query, MAX_PATHS).map((m) => ({ kind: m.kind, path: m.label }));
    const q = query.trim();
    if (q.length < MIN_SYMBOL_QUERY || /[/\\]/.test(q)) return { items: paths };
    const fromServers = this.ports.symbols(q); // runs while ours are looked up
    fromServers.catch(() => undefined);
    const own = this.currentSymbols();
    const ours: Mention[] = (own?.query(q, MAX_SYMBOLS) ?? []).flatMap((s) =>
      index.hasFile(s.label) ? [{ kind: 'symbol', path: s.label, name: s.name, line: s.line, detail: s.kind }] : [],
    );
    const indexing = !own ? 'Symbols are still being indexed.' : undefined;
    const failed = !own && this.symbolsFailed ? `No symbols: ${this.symbolsFailed}` : undefined;
    const answer = (symbols: Mention[], note: string | undefined): MentionResults => ({
      items: [...paths, ...symbols].slice(0, MAX_MENTION_RESULTS),
      ...(note ? { note } : {}),
    });
    opts.early?.(answer(ours, failed ?? indexing));
    let found: FoundSymbol[];
    try {
      found = await fromServers;
    } catch (e) {
      const servers = `no language server: ${(e as Error).message}`;
      return answer(ours, own ? undefined : (failed ?? `Symbols are still being indexed; ${servers}.`));
    }
    const roots = this.ports.roots();
    const theirs: Mention[] = [];
    for (const s of found) {
      const label = labelOf([...roots], s.file);
      // Only symbols of files the pack may hold: an ignored or excluded file is never offered.
      if (label === undefined || !index.hasFile(label)) continue;
      const name = s.container ? `${s.container}.${s.name}` : s.name;
      theirs.push({ kind: 'symbol', path: label, name, line: s.line, detail: s.kind });
    }
    return answer(mergeSymbols({ query: q, ours, theirs, limit: MAX_SYMBOLS }), failed ?? indexing);
  }

  /** The symbol index to answer from now (undefined until first built); starts an update when files changed. */
  private currentSymbols(): SymbolIndex | undefined {
    if (this.symbolsStale && !this.symbolsBuilding) {
      this.symbolsStale = false;
      const build: Promise<unknown> = this.ports.symbolIndex().then(
        (index) => {
          this.symbolIndex = index;
          this.symbolsFailed = undefined;
        },
        (e: Error) => {
          this.symbolsFailed = e.message;
          this.symbolsStale = true; // tried again by the next query
        },
      );
      this.symbolsBuilding = build.finally(() => (this.symbolsBuilding = undefined));
    }
    return this.symbolIndex;
  }

  /** The index of the walk's files, built again only when the list changed (one build at a time). */
  private currentIndex(): Promise<PathIndex> {
    if (!this.building || this.stale) {
      this.stale = false;
      const build = this.build();
      this.building = build;
      build.catch(() => this.building === build && (this.building = undefined));
    }
    return this.building;
  }

  private async build(): Promise<PathIndex> {
    const labels = await this.ports.listFiles();
    const prev = this.index;
    if (prev?.labels.length === labels.length && prev.labels.every((l, i) => l === labels[i])) return prev.index;
    this.index = { labels, index: new PathIndex(labels) };
    return this.index.index;
  }
}
