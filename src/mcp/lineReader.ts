// The MCP stdio framing (one JSON-RPC message a line) read with a bound on memory: a line longer than the
// limit is not buffered but dropped byte by byte until its newline, keeping only its first and last bytes
// (where a request's id is found), so the server can answer it and read the next line. The SDK's own
// ReadBuffer instead throws at its limit, and its transport then stops reading: the server ends unanswered.

/** What the reader hands on, in the order the lines arrived. */
export interface LineSink {
  /** A whole line, decoded as UTF-8, without its newline (nor a carriage return before it). */
  line(text: string): void;
  /** A line longer than the limit, now ended: `bytes` long, of which `head` and `tail` were kept. */
  tooLong(head: string, tail: string, bytes: number): void;
}

/** Bytes kept from each end of a line that is too long: room for `"jsonrpc"`, `"method"` and `"id"` members. */
export const KEPT_END_BYTES = 1024;

const NEWLINE = 0x0a;

export class BoundedLineReader {
  /** The line so far (while it is within the limit). */
  private parts: Buffer[] = [];
  private size = 0;
  /** The line so far, once it is over the limit: its first and last bytes and its length. */
  private dropping: { head: Buffer; tail: Buffer; bytes: number } | undefined;

  /** `maxLineBytes`: the longest line read whole, in bytes (its newline not counted). */
  constructor(
    readonly maxLineBytes: number,
    private readonly sink: LineSink,
  ) {}

  /** Reads `chunk`, handing on every line it ends. */
  push(chunk: Buffer): void {
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      this.add(chunk.subarray(start, end));
      this.endLine();
      start = end + 1;
    }
    if (start < chunk.length) this.add(chunk.subarray(start));
  }

  /** Bytes held for the unfinished line: at most maxLineBytes, and 2 × KEPT_END_BYTES once it is over. */
  get heldBytes(): number {
    return this.dropping ? this.dropping.head.length + this.dropping.tail.length : this.size;
  }

  /** Forgets the unfinished line. */
  clear(): void {
    this.parts = [];
    this.size = 0;
    this.dropping = undefined;
  }

  private add(bytes: Buffer): void {
    if (!bytes.length) return;
    if (this.dropping) {
      this.dropping.tail = lastBytes([this.dropping.tail, bytes]);
      this.dropping.bytes += bytes.length;
    } else if (this.size + bytes.length > this.maxLineBytes) {
      const all = [...this.parts, bytes];
      this.dropping = { head: firstBytes(all), tail: lastBytes(all), bytes: this.size + bytes.length };
      this.parts = [];
      this.size = 0;
    } else {
      this.parts.push(bytes);
      this.size += bytes.length;
    }
  }

  private endLine(): void {
    const { dropping, parts } = this;
    this.clear();
    if (dropping) {
      this.sink.tooLong(dropping.head.toString('utf8'), dropping.tail.toString('utf8'), dropping.bytes);
      return;
    }
    const [only] = parts;
    const text = (parts.length === 1 && only ? only : Buffer.concat(parts)).toString('utf8');
    this.sink.line(text.endsWith('\r') ? text.slice(0, -1) : text);
  }
}

/** A copy of the first KEPT_END_BYTES of `parts` (a copy: the chunks they lie in are not held). */
function firstBytes(parts: Buffer[]): Buffer {
  const head: Buffer[] = [];
  let size = 0;
  for (const p of parts) {
    if (size >= KEPT_END_BYTES) break;
    const piece = p.subarray(0, KEPT_END_BYTES - size);
    head.push(piece);
    size += piece.length;
  }
  return Buffer.concat(head);
}

/** A copy of the last KEPT_END_BYTES of `parts`. */
function lastBytes(parts: Buffer[]): Buffer {
  const tail: Buffer[] = [];
  let size = 0;
  for (const p of [...parts].reverse()) {
    if (size >= KEPT_END_BYTES) break;
    const piece = p.subarray(Math.max(0, p.length - (KEPT_END_BYTES - size)));
    tail.unshift(piece);
    size += piece.length;
  }
  return Buffer.concat(tail);
}
