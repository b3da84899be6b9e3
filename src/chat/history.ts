// Conversation persistence: one append-only JSONL file per conversation (events of conversation.ts).
// Appends are synchronous writes, so once `append` returns the event survives a killed process; the
// question is appended before its request is sent and the answer while it streams (throttled by
// TurnWriter), so a crash or reload finds the conversation with an interrupted answer. A damaged
// line (a crash mid-write) is skipped with a warning; everything else still loads. Never holds the
// API key or the pack text (only the pack's hash and manifest).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { imagesOf, type ConversationState, type HistoryEvent } from './conversation';
import { replay } from './replay';
import { FileImageStore } from './imageStore';

export interface ConversationLog {
  append(event: HistoryEvent): void;
  /** Every readable event, in order, and a warning per damaged line. */
  read(): { events: HistoryEvent[]; warnings: string[] };
}

export class MemoryConversationLog implements ConversationLog {
  readonly events: HistoryEvent[] = [];
  append(event: HistoryEvent): void {
    this.events.push(structuredClone(event));
  }
  read(): { events: HistoryEvent[]; warnings: string[] } {
    return { events: structuredClone(this.events), warnings: [] };
  }
}

export class FileConversationLog implements ConversationLog {
  constructor(readonly file: string) {}

  append(event: HistoryEvent): void {
    const line = JSON.stringify(event) + '\n';
    const fd = fs.openSync(this.file, 'a', 0o600);
    try {
      fs.writeSync(fd, line);
      // The question and the end of an answer are the events a crash must not lose even to power loss.
      if (event.type === 'question' || event.type === 'end' || event.type === 'conversation') fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }

  read(): { events: HistoryEvent[]; warnings: string[] } {
    const text = fs.readFileSync(this.file, 'utf8');
    return parseJsonl(text, path.basename(this.file));
  }
}

/** Parses JSONL events; a line that is not a JSON object with a `type` is skipped with a warning. */
export function parseJsonl(text: string, label: string): { events: HistoryEvent[]; warnings: string[] } {
  const events: HistoryEvent[] = [];
  const warnings: string[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const e = JSON.parse(line) as HistoryEvent;
      if (typeof e === 'object' && e !== null && typeof e.type === 'string') events.push(e);
      else warnings.push(`${label}:${i + 1}: not a history event`);
    } catch {
      const last = i === lines.length - 1 || (i === lines.length - 2 && lines[lines.length - 1] === '');
      warnings.push(
        `${label}:${i + 1}: ${last ? 'the last line was cut (a crash mid-write?)' : 'damaged line'}; skipped`,
      );
    }
  });
  return { events, warnings };
}

/** Reads and replays a log. Throws a clear error when it is not a conversation. */
export function loadConversation(log: ConversationLog): { state: ConversationState; warnings: string[] } {
  const { events, warnings } = log.read();
  const r = replay(events);
  return { state: r.state, warnings: [...warnings, ...r.warnings] };
}

export interface ConversationInfo {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  turns: number;
  model: string;
  spentUsd: number;
  /** The last turn's answer was cut (crash, network, stop) and can be continued. */
  interrupted: boolean;
  /** Some turn got an answer or was billed (false: every question failed before one, e.g. a rejected key). */
  answered: boolean;
}

const ID = /^[A-Za-z0-9_-]{1,80}$/;

/** The conversations of one workspace: `<dir>/<id>.jsonl`, and their images in `<dir>/images/` (imageStore.ts). */
export class HistoryStore {
  readonly images: FileImageStore;

  constructor(readonly dir: string) {
    this.images = new FileImageStore(path.join(dir, 'images'));
  }

  /** The log of conversation `id` (created on the first append). */
  log(id: string): FileConversationLog {
    if (!ID.test(id)) throw new Error(`invalid conversation id: ${id}`);
    fs.mkdirSync(this.dir, { recursive: true });
    return new FileConversationLog(path.join(this.dir, `${id}.jsonl`));
  }

  exists(id: string): boolean {
    return ID.test(id) && fs.existsSync(path.join(this.dir, `${id}.jsonl`));
  }

  /** Every readable conversation, most recently updated first; unreadable files are skipped. */
  list(): ConversationInfo[] {
    if (!fs.existsSync(this.dir)) return [];
    const out: ConversationInfo[] = [];
    for (const name of fs.readdirSync(this.dir)) {
      const id = name.endsWith('.jsonl') ? name.slice(0, -'.jsonl'.length) : '';
      if (!ID.test(id)) continue;
      try {
        const { state } = loadConversation(this.log(id));
        const turns = state.entries.flatMap((e) => (e.kind === 'turn' ? [e.turn] : []));
        const last = turns[turns.length - 1];
        out.push({
          id,
          title: state.title,
          createdAt: state.createdAt,
          updatedAt: state.updatedAt,
          turns: turns.length,
          model: state.params.model,
          spentUsd: state.spentUsd,
          interrupted: !!last && last.outcome !== 'complete' && !!last.answer,
          answered: turns.some((t) => t.answer || t.usage) || state.spentUsd > 0,
        });
      } catch {
        // not a conversation (or unreadable): not listed, never deleted
      }
    }
    return out.sort((a, b) => b.updatedAt - a.updatedAt);
  }

  /**
   * Deletes conversation `id` and the images only it named (another conversation that still names
   * one keeps it); false when it did not exist.
   */
  delete(id: string): boolean {
    if (!this.exists(id)) return false;
    const file = path.join(this.dir, `${id}.jsonl`);
    let hashes: string[] = [];
    try {
      hashes = [...new Set(imagesOf(loadConversation(this.log(id)).state).map((r) => r.sha256))];
    } catch {
      // not readable as a conversation: it names no image we could tell
    }
    fs.rmSync(file);
    if (!hashes.length) return true;
    // A hash is 64 hex digits: finding it in another log's text is finding a reference to it.
    const others = fs
      .readdirSync(this.dir)
      .filter((n) => n.endsWith('.jsonl'))
      .map((n) => fs.readFileSync(path.join(this.dir, n), 'utf8'));
    for (const h of hashes) if (!others.some((text) => text.includes(h))) this.images.remove(h);
    return true;
  }
}

/** Milliseconds between answer writes while streaming. */
export const ANSWER_FLUSH_MS = 250;
/** Buffered characters that force a write before the interval. */
const ANSWER_FLUSH_CHARS = 16_384;

/**
 * Buffers a streaming turn's reasoning and answer deltas and writes them as few events: at most
 * every ANSWER_FLUSH_MS (a timer writes a stalled tail), or sooner past ANSWER_FLUSH_CHARS.
 * `write` receives each event (the session appends it to the log and applies it to its state).
 */
export class TurnWriter {
  private reasoning = '';
  private answer = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly turn: number,
    private readonly write: (e: HistoryEvent) => void,
    private readonly now: () => number,
    private readonly intervalMs = ANSWER_FLUSH_MS,
  ) {}

  addReasoning(text: string): void {
    this.reasoning += text;
    this.schedule();
  }

  addAnswer(text: string): void {
    this.answer += text;
    this.schedule();
  }

  private schedule(): void {
    if (this.reasoning.length + this.answer.length >= ANSWER_FLUSH_CHARS || this.now() - this.last >= this.intervalMs)
      return this.flush();
    this.timer ??= setTimeout(() => this.flush(), this.intervalMs);
  }

  /** Writes whatever is buffered. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.last = this.now();
    if (this.reasoning) this.write({ type: 'reasoning', turn: this.turn, text: this.reasoning });
    if (this.answer) this.write({ type: 'answer', turn: this.turn, text: this.answer });
    this.reasoning = '';
    this.answer = '';
  }
}
