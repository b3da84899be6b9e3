// Answers the composer's `@` queries: files and folders from the workspace index (src/context/pathIndex.ts,
// built from the walk the packs already made, so ignored and excluded files are never offered), and
// symbols from the language servers (VS Code's workspace symbol search), kept to the indexed files.
// Without a language server for the workspace's languages there are no symbols: files and folders are
// still completed, and the results say why symbols are missing when the search failed or timed out.
// No vscode import: mentionPorts.ts gives it VS Code, the unit tests give it fakes.
import { labelOf } from '../chat/cachePlan';
import { PathIndex } from '../context/pathIndex';
import type { WorkspaceRoot } from '../context/types';
import { MAX_MENTION_RESULTS, type Mention } from '../protocol/messages';

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
  /** Workspace symbols matching `query`; rejects when no language server answered in time. */
  symbols(query: string): Promise<FoundSymbol[]>;
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

  constructor(private readonly ports: MentionPorts) {}

  /** Files or folders may have changed: the next query checks the walk's list again. */
  invalidate(): void {
    this.stale = true;
  }

  /** Files and folders, then symbols, for `query` (what follows `@`), best first. */
  async complete(query: string): Promise<MentionResults> {
    const index = await this.currentIndex();
    const paths: Mention[] = index.query(query, MAX_PATHS).map((m) => ({ kind: m.kind, path: m.label }));
    const q = query.trim();
    if (q.length < MIN_SYMBOL_QUERY || /[/\\]/.test(q)) return { items: paths };
    let found: FoundSymbol[];
    try {
      found = await this.ports.symbols(q);
    } catch (e) {
      return { items: paths, note: `No symbols: ${(e as Error).message}` };
    }
    const roots = this.ports.roots();
    const lower = q.toLowerCase();
    const rank = (s: FoundSymbol) => {
      const n = s.name.toLowerCase();
      return n === lower ? 0 : n.startsWith(lower) ? 1 : n.includes(lower) ? 2 : 3;
    };
    const symbols: Mention[] = [];
    const seen = new Set<string>();
    for (const s of [...found].sort((a, b) => rank(a) - rank(b))) {
      const label = labelOf([...roots], s.file);
      // Only symbols of files the pack may hold: an ignored or excluded file is never offered.
      if (label === undefined || !index.hasFile(label)) continue;
      const name = s.container ? `${s.container}.${s.name}` : s.name;
      const key = `${label}:${s.line}:${name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      symbols.push({ kind: 'symbol', path: label, name, line: s.line, detail: s.kind });
      if (symbols.length >= MAX_SYMBOLS) break;
    }
    return { items: [...paths, ...symbols].slice(0, MAX_MENTION_RESULTS) };
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
